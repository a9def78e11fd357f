//! A table and a mapping into validated [`SurvData`]: the columns resolved, times read
//! (or computed from dates), events coded, groups labelled and ordered, and every row
//! that cannot be used listed as an [`Exclusion`] with its reason.

use super::*;

/// Columns the mapping names, as indices.
pub(super) struct Columns {
    pub(super) time: Option<usize>,
    pub(super) start: Option<usize>,
    pub(super) end: Option<usize>,
    /// The status column; `None` in the events/censored form, which has none.
    pub(super) event: Option<usize>,
    pub(super) group: Option<usize>,
    pub(super) id: Option<usize>,
    pub(super) filter: Option<(usize, String)>,
    pub(super) count: Option<usize>,
    /// The events and censored columns of the events/censored form.
    pub(super) counts: Option<(usize, usize)>,
}

pub(super) fn resolve(table: &Table, mapping: &Mapping) -> Result<Columns, MappingError> {
    let col = |role: &str, name: &str| {
        if name.is_empty() {
            return Err(MappingError::MissingColumn {
                role: role.to_string(),
                available: table.columns.clone(),
            });
        }
        table
            .column_index(name)
            .ok_or_else(|| MappingError::UnknownColumn {
                role: role.to_string(),
                name: name.to_string(),
                available: table.columns.clone(),
            })
    };
    // One column cannot be both the time and the event (a title line above the header
    // made both V2), nor the event and the group.
    let same = |a: (&str, &str), b: (&str, &str)| {
        if !a.1.is_empty() && a.1 == b.1 {
            Err(MappingError::SameColumn {
                column: a.1.to_string(),
                roles: (a.0.to_string(), b.0.to_string()),
            })
        } else {
            Ok(())
        }
    };
    // In the events/censored form the event column is not read.
    let event_name = if mapping.counts.is_some() {
        ""
    } else {
        mapping.event.as_str()
    };
    if mapping.dates.is_none() {
        same(("time", &mapping.time), ("event", event_name))?;
    }
    if let Some(g) = &mapping.group {
        same(("event", event_name), ("group", g))?;
    }
    let (time, start, end) = match &mapping.dates {
        Some(d) => (
            None,
            Some(col("start date", &d.start)?),
            Some(col("end date", &d.end)?),
        ),
        None => (Some(col("time", &mapping.time)?), None, None),
    };
    let counts = match &mapping.counts {
        Some(k) => {
            same(
                ("number of events", &k.events),
                ("number censored", &k.censored),
            )?;
            if let Some(c) = &mapping.count {
                return Err(MappingError::SameColumn {
                    column: c.clone(),
                    roles: ("patient count".into(), "events/censored counts".into()),
                });
            }
            Some((
                col("number of events", &k.events)?,
                col("number censored", &k.censored)?,
            ))
        }
        None => None,
    };
    let event = match counts {
        Some(_) => None,
        None => Some(col("event", &mapping.event)?),
    };
    let group = match &mapping.group {
        Some(g) => Some(col("group", g)?),
        None => None,
    };
    let id = match &mapping.id {
        Some(i) => Some(col("patient identifier", i)?),
        None => table.columns.iter().position(|c| is_id_name(c)),
    };
    let filter = match &mapping.filter {
        Some(f) => Some((col("filter", &f.column)?, f.value.clone())),
        None => None,
    };
    let count = match &mapping.count {
        Some(c) => {
            same(("event", &mapping.event), ("patient count", c))?;
            if mapping.dates.is_none() {
                same(("time", &mapping.time), ("patient count", c))?;
            }
            Some(col("patient count", c)?)
        }
        None => None,
    };
    Ok(Columns {
        count,
        counts,
        time,
        start,
        end,
        event,
        group,
        id,
        filter,
    })
}

/// Reads a date cell: workbook dates are ISO, numbers are Excel serials, text is read
/// under `order`.
pub(super) fn cell_date(
    table: &Table,
    r: usize,
    c: usize,
    order: DateOrder,
) -> Result<i64, DateError> {
    let text = table.cell(r, c);
    match table.kind(r, c) {
        CellKind::Date => parse_date(text, DateOrder::Ymd),
        CellKind::Bool | CellKind::Error => Err(DateError::NotADate),
        _ => parse_date(text, order),
    }
}

/// Distinct strings numbered in order of first appearance. A linear scan while there
/// are few (the two event codes, a handful of arms), a hash map beyond: per-row lookups
/// on a million-row table stay cheap either way.
pub(super) struct Interner<'a> {
    pub(super) values: Vec<&'a str>,
    pub(super) map: Option<HashMap<&'a str, usize>>,
    pub(super) last: usize,
}

impl<'a> Interner<'a> {
    const LINEAR: usize = 16;

    pub(super) fn new() -> Interner<'a> {
        Interner {
            values: Vec::new(),
            map: None,
            last: 0,
        }
    }

    pub(super) fn id(&mut self, s: &'a str) -> usize {
        if self.values.get(self.last) == Some(&s) {
            return self.last;
        }
        let found = match &self.map {
            Some(m) => m.get(s).copied(),
            None => self.values.iter().position(|v| *v == s),
        };
        let i = found.unwrap_or_else(|| {
            self.values.push(s);
            let i = self.values.len() - 1;
            match &mut self.map {
                Some(m) => {
                    m.insert(s, i);
                }
                None if self.values.len() > Self::LINEAR => {
                    self.map = Some(
                        self.values
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (*v, i))
                            .collect(),
                    );
                }
                None => {}
            }
            i
        });
        self.last = i;
        i
    }
}

/// The time of one row, from the time column or the two date columns.
pub(super) struct TimeReader<'t> {
    pub(super) table: &'t Table,
    pub(super) mapping: &'t Mapping,
    pub(super) column: Option<usize>,
    pub(super) dates: Option<(usize, usize, DateOrder)>,
    /// The first number read as an Excel serial date, and its day, for the note.
    pub(super) serial: Option<(String, i64)>,
}

impl TimeReader<'_> {
    pub(super) fn read(
        &mut self,
        r: usize,
        exclude: &dyn Fn(&str, &str, String) -> Exclusion,
    ) -> Result<f64, Exclusion> {
        let table = self.table;
        if let Some(tc) = self.column {
            let name = &self.mapping.time;
            let tv = table.cell(r, tc);
            if is_missing(tv) {
                return Err(exclude(
                    name,
                    tv,
                    "missing time: fill it in or leave the row out".into(),
                ));
            }
            return match table.number(r, tc) {
                // "16,3" in a table read with a decimal point: the reading setting fixes it.
                // "1,234": three digits after the comma are as likely thousands (1234) as
                // a decimal comma (1.234); saying only "decimal comma" would mislead.
                None if !table.decimal_comma
                    && parse_number(tv, true).is_some()
                    && tv.split_once(',').is_some_and(|(_, b)| b.len() == 3) =>
                {
                    Err(exclude(
                        name,
                        tv,
                        "time has a comma: if it separates thousands (1,234 = 1234), remove the separators in the data; if it is a decimal comma (1,234 = 1.234), read the table with a decimal comma (page: \"Read it differently\" → Decimal mark: comma; CLI: --decimal comma)".into(),
                    ))
                }
                None if !table.decimal_comma && parse_number(tv, true).is_some() => Err(exclude(
                    name,
                    tv,
                    "time has a decimal comma: read the table with a decimal comma (page: \"Read it differently\" → Decimal mark: comma; CLI: --decimal comma)".into(),
                )),
                None => Err(exclude(
                    name,
                    tv,
                    "time is not a number: write it as a number (e.g. 12.5) in one unit".into(),
                )),
                Some(x) if x < 0.0 => Err(exclude(
                    name,
                    tv,
                    "negative time: follow-up time must be 0 or more; check the dates or sign"
                        .into(),
                )),
                Some(x) => Ok(x),
            };
        }
        let (Some((sc, ec, order)), Some(span)) = (self.dates, &self.mapping.dates) else {
            // Unreachable: `resolve` gives a time column or both date columns.
            return Err(exclude(&self.mapping.time, "", "no time column".into()));
        };
        let read = |c: usize, name: &str, what: &str| -> Result<i64, Exclusion> {
            let v = table.cell(r, c);
            if is_missing(v) {
                return Err(exclude(
                    name,
                    v,
                    format!("missing {what} date: fill it in or leave the row out"),
                ));
            }
            cell_date(table, r, c, order).map_err(|e| exclude(name, v, e.to_string()))
        };
        let (s, e) = (read(sc, &span.start, "start")?, read(ec, &span.end, "end")?);
        if self.serial.is_none() {
            self.serial = [(sc, s), (ec, e)].into_iter().find_map(|(c, d)| {
                (table.kind(r, c) != CellKind::Date
                    && parse_number(table.cell(r, c), false).is_some())
                .then(|| (table.cell(r, c).to_string(), d))
            });
        }
        if e < s {
            return Err(exclude(
                &span.end,
                table.cell(r, ec),
                format!(
                    "the end date ({}) is before the start date ({}): check both dates",
                    iso(e),
                    iso(s)
                ),
            ));
        }
        Ok((e - s) as f64)
    }
}

/// Validates the mapped columns of `table` into [`SurvData`]. Rows with a missing or
/// invalid time (or dates), event or group are excluded and each one is listed.
///
/// Cost: a few passes over the rows of the endpoint, O(n) apart from the duplicate-ID
/// check (one sort of 64-bit hashes, O(n log n)).
///
/// # Errors
/// [`MappingError::UnknownColumn`] for a column not in the table,
/// [`MappingError::NoValidRows`] when every row is excluded,
/// [`MappingError::UnknownReference`] when the reference group has no valid rows.
pub fn prepare(table: &Table, mapping: &Mapping) -> Result<Prepared, MappingError> {
    let cols = resolve(table, mapping)?;
    let in_endpoint = |r: &usize| {
        cols.filter
            .as_ref()
            .is_none_or(|(c, v)| table.cell(*r, *c) == v.as_str())
    };
    let rows = || (0..table.n_rows()).filter(in_endpoint);

    let mut warnings = Vec::new();
    let mut notes = Vec::new();

    // The event coding, from the distinct values of the endpoint's rows.
    let mut n_rows = 0usize;
    let mut event_values = Interner::new();
    for r in rows() {
        n_rows += 1;
        if let Some(ec) = cols.event {
            let v = table.cell(r, ec);
            if !is_missing(v) && event_values.values.len() < 64 {
                event_values.id(v);
            }
        }
    }
    let filtered_out = table.n_rows() - n_rows;
    let distinct: Vec<String> = event_values.values.iter().map(|v| v.to_string()).collect();
    let mut code = coding(&distinct, &mapping.event, mapping);
    if let Some(k) = &mapping.counts {
        code.text = format!(
            "events counted in \"{}\", censored in \"{}\" (an aggregated table)",
            k.events, k.censored
        );
        code.by_name = None;
    }
    if let Some(n) = &code.by_name {
        if !is_cnsr(&mapping.event) {
            warnings.push(format!("event column {n}"));
        }
    }

    // Units.
    let from_unit = source_unit(mapping);
    let to_unit = match (mapping.output_unit, from_unit) {
        (Some(to), Some(from)) => {
            if to != from {
                notes.push(format!(
                    "times converted from {from} to {to} (1 month = 30.4375 days, 1 year = 365.25 days)"
                ));
            }
            Some(to)
        }
        (Some(to), None) => {
            warnings.push(format!(
                "the unit of \"{}\" is not known, so times were not converted to {to}: choose the unit of the time column",
                mapping.time
            ));
            None
        }
        (None, from) => from,
    };

    // Date order, learned once from both date columns.
    let dates = match (&mapping.dates, cols.start, cols.end) {
        (Some(span), Some(sc), Some(ec)) => {
            let order = resolve_date_order(table, rows(), span, sc, ec, &mut warnings, &mut notes);
            Some((sc, ec, order))
        }
        _ => None,
    };
    let date_order = dates.map(|d| d.2);
    let mut times = TimeReader {
        table,
        mapping,
        column: cols.time,
        dates,
        serial: None,
    };

    let labels: HashMap<&str, &str> = mapping
        .group_labels
        .iter()
        .map(|l| (l.value.as_str(), l.label.as_str()))
        .collect();
    let mut event_ids = Interner::new();
    let mut event_class: Vec<Option<bool>> = Vec::new();
    let mut raw_groups = Interner::new();
    let mut raw_to_label: Vec<usize> = Vec::new();
    let mut group_labels = Interner::new();
    let mut first_valid: Vec<Option<usize>> = Vec::new();
    let mut time = Vec::with_capacity(n_rows);
    let mut event = Vec::with_capacity(n_rows);
    let mut label_of_row: Vec<u32> = Vec::with_capacity(n_rows);
    let mut kept_rows: Vec<usize> = Vec::with_capacity(n_rows);
    let mut excluded = Vec::new();
    let (mut n_zero, mut zero_lines) = (0usize, Vec::new());
    // An aggregated table: the patients it stands for, counted before any is expanded.
    let count_columns: Vec<usize> = match (cols.count, cols.counts) {
        (Some(kc), _) => vec![kc],
        (None, Some((dc, cc))) => vec![dc, cc],
        (None, None) => Vec::new(),
    };
    if !count_columns.is_empty() {
        let mut patients = 0u64;
        for r in rows() {
            for &kc in &count_columns {
                if let Some(v) = parse_number(table.cell(r, kc), table.decimal_comma) {
                    if v >= 0.0 && v.fract() == 0.0 {
                        patients = patients.saturating_add(v.min(u64::MAX as f64) as u64);
                    }
                }
            }
            if patients > MAX_PATIENTS {
                return Err(MappingError::TooManyPatients {
                    column: mapping.count.clone().unwrap_or_else(|| {
                        mapping
                            .counts
                            .as_ref()
                            .map(|k| format!("{} + {}", k.events, k.censored))
                            .unwrap_or_default()
                    }),
                    patients,
                    limit: MAX_PATIENTS,
                });
            }
        }
    }

    for r in rows() {
        let line = table.lines.get(r).unwrap_or(0);
        let exclude = |column: &str, value: &str, reason: String| Exclusion {
            line,
            column: column.to_string(),
            value: shown_value(value),
            reason,
        };
        let t = times.read(r, &exclude);
        // The row's status; the events/censored form has none (its counts say).
        let e = match cols.event.map(|ec| table.cell(r, ec)) {
            None => Ok(true),
            Some(ev) if is_missing(ev) => Err(exclude(
                &mapping.event,
                ev,
                "missing event status: code it as event or censored".into(),
            )),
            Some(ev) => {
                let id = event_ids.id(ev);
                if id >= event_class.len() {
                    event_class.push(code.classify(ev));
                }
                event_class.get(id).copied().flatten().ok_or_else(|| {
                    exclude(
                        &mapping.event,
                        ev,
                        format!(
                            "unknown event value: expected {}; or choose which value means \"event\"",
                            code.text
                        ),
                    )
                })
            }
        };
        let g = match cols.group {
            None => Ok(group_labels.id("All")),
            Some(gc) => {
                let gv = table.cell(r, gc);
                if is_missing(gv) {
                    Err(exclude(
                        mapping.group.as_deref().unwrap_or_default(),
                        gv,
                        "missing group: fill in the arm or leave the row out".into(),
                    ))
                } else {
                    let raw = raw_groups.id(gv);
                    if raw >= raw_to_label.len() {
                        let label = labels.get(gv).copied().unwrap_or(gv);
                        raw_to_label.push(group_labels.id(label));
                    }
                    Ok(raw_to_label.get(raw).copied().unwrap_or(0))
                }
            }
        };
        // A count cell: a whole number of patients.
        let counted = |kc: usize, name: &str| {
            let kv = table.cell(r, kc);
            match parse_number(kv, table.decimal_comma) {
                Some(v) if v >= 0.0 && v.fract() == 0.0 => Ok(v as u64),
                _ if is_missing(kv) => Err(exclude(
                    name,
                    kv,
                    "missing patient count: give how many patients the row stands for".into(),
                )),
                _ => Err(exclude(
                    name,
                    kv,
                    "the patient count must be a whole number of patients (0, 1, 2, …)".into(),
                )),
            }
        };
        // Patients the row stands for (1 without a count column); in the events/censored
        // form, those with the event and those censored.
        let (k, split) = match (cols.count, cols.counts, &mapping.counts) {
            (Some(kc), _, _) => (
                counted(kc, mapping.count.as_deref().unwrap_or_default()),
                None,
            ),
            (None, Some((dc, cc)), Some(names)) => {
                match (counted(dc, &names.events), counted(cc, &names.censored)) {
                    (Ok(d), Ok(c)) => (Ok(d + c), Some((d, c))),
                    (Err(x), _) | (_, Err(x)) => (Err(x), None),
                }
            }
            _ => (Ok(1u64), None),
        };
        // The count's problem first: the row is left out for it.
        let (k, t) = match k {
            Ok(k) => (k, t),
            Err(x) => (0, Err(x)),
        };
        match (t, e, g) {
            (Ok(_), Ok(_), Ok(_)) if k == 0 => {}
            (Ok(t), Ok(e), Ok(g)) => {
                // (events, censored) of the row: its own status k times, or the counts.
                let (d, c) = split.unwrap_or(if e { (k, 0) } else { (0, k) });
                if t == 0.0 && d > 0 {
                    n_zero += d as usize;
                    if zero_lines.len() < EXAMPLES {
                        zero_lines.push(line);
                    }
                }
                if first_valid.len() <= g {
                    first_valid.resize(g + 1, None);
                }
                first_valid[g].get_or_insert(time.len());
                for status in [true, false] {
                    for _ in 0..(if status { d } else { c }) {
                        time.push(t);
                        event.push(status);
                        label_of_row.push(g as u32);
                        kept_rows.push(r);
                    }
                }
            }
            (t, e, g) => {
                // Report the first problem of the row (time, then event, then group).
                if let Some(x) = t.err().or(e.err()).or(g.err()) {
                    excluded.push(x);
                }
            }
        }
    }
    if let (Some(name), Some(_)) = (&mapping.count, cols.count) {
        notes.push(format!(
            "each row counted as the number of patients in \"{name}\" (an aggregated table): {} rows stand for {} patients",
            n_rows,
            time.len()
        ));
    }
    if let (Some(k), Some(_)) = (&mapping.counts, cols.counts) {
        notes.push(format!(
            "each row counted as the events in \"{}\" and the censored in \"{}\" at its time (an aggregated table): {} rows stand for {} patients",
            k.events,
            k.censored,
            n_rows,
            time.len()
        ));
    }
    if time.is_empty() {
        return Err(MappingError::NoValidRows {
            rows: n_rows,
            first: excluded.into_iter().take(5).collect(),
        });
    }
    if let (Some(from), Some(to)) = (from_unit, to_unit) {
        if from != to {
            // value × days-per-from ÷ days-per-to, per value (days → months is t / 30.4375,
            // as R's `days / 30.4375`).
            for t in &mut time {
                *t = from.convert(*t, to);
            }
        }
    }
    if let (Some(span), Some((value, day))) = (&mapping.dates, &times.serial) {
        notes.push(format!(
            "numbers in {} / {} were read as Excel serial dates (1900 date system), e.g. {value} = {}",
            span.start,
            span.end,
            iso(*day)
        ));
    }

    // Labels in Unicode NFC, and labels that are one label in NFC merged into the first
    // ("Café" precomposed and as "e" + U+0301).
    let composed: Vec<std::borrow::Cow<'_, str>> =
        group_labels.values.iter().map(|l| nfc(l)).collect();
    let mut renamed_nfc: Vec<String> = Vec::new();
    let mut canon: Vec<usize> = (0..composed.len()).collect();
    if composed
        .iter()
        .any(|c| matches!(c, std::borrow::Cow::Owned(_)))
    {
        let mut first_of: HashMap<&str, usize> = HashMap::new();
        for (g, c) in canon.iter_mut().enumerate() {
            *c = *first_of.entry(composed[g].as_ref()).or_insert(g);
        }
        for (g, c) in composed.iter().enumerate() {
            if matches!(c, std::borrow::Cow::Owned(_)) && renamed_nfc.len() < EXAMPLES {
                renamed_nfc.push(shown_value(group_labels.values[g]));
            }
        }
        if canon.iter().enumerate().any(|(g, &c)| g != c) {
            for g in label_of_row.iter_mut() {
                *g = canon[*g as usize] as u32;
            }
            for g in 0..canon.len().min(first_valid.len()) {
                let c = canon[g];
                if c != g {
                    if let Some(row) = first_valid[g].take() {
                        let slot = &mut first_valid[c];
                        *slot = Some(slot.map_or(row, |r| r.min(row)));
                    }
                }
            }
        }
    }
    if !renamed_nfc.is_empty() {
        notes.push(format!(
            "group labels with accents written as a letter and a combining mark were composed (Unicode NFC), so that they match the same labels written precomposed: {}",
            renamed_nfc
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    // Group levels: the chosen order, then the rest in the order of their first valid
    // row; the reference first.
    let all_labels: Vec<&str> = composed.iter().map(|c| c.as_ref()).collect();
    let merged = |g: usize| canon[g] != g;
    let mut valid: Vec<usize> = (0..first_valid.len())
        .filter(|&g| first_valid[g].is_some())
        .collect();
    valid.sort_by_key(|&g| first_valid[g]);
    let mut order: Vec<usize> = Vec::new();
    for want in &mapping.group_order {
        let label = labels.get(want.as_str()).copied().unwrap_or(want.as_str());
        let label = nfc(label);
        match all_labels.iter().position(|l| *l == label.as_ref()) {
            Some(g) if valid.contains(&g) => {
                if !order.contains(&g) {
                    order.push(g);
                }
            }
            Some(_) => {}
            None => {
                if cols.group.is_some() {
                    warnings.push(format!(
                        "group \"{}\" (in the chosen order) has no rows in column \"{}\"",
                        shown_value(want),
                        mapping.group.as_deref().unwrap_or_default()
                    ));
                }
            }
        }
    }
    for &g in &valid {
        if !order.contains(&g) {
            order.push(g);
        }
    }
    if let Some(reference) = &mapping.reference {
        let label = labels
            .get(reference.as_str())
            .copied()
            .unwrap_or(reference.as_str());
        let label = nfc(label);
        match order.iter().position(|&g| all_labels[g] == label.as_ref()) {
            Some(i) => {
                let g = order.remove(i);
                order.insert(0, g);
            }
            None => {
                return Err(MappingError::UnknownReference {
                    level: reference.clone(),
                    groups: order.iter().map(|&g| all_labels[g].to_string()).collect(),
                })
            }
        }
    }
    let mut position = vec![0usize; all_labels.len()];
    for (i, &g) in order.iter().enumerate() {
        position[g] = i;
    }
    let group: Vec<usize> = label_of_row.iter().map(|&g| position[g as usize]).collect();
    drop(label_of_row);
    let levels: Vec<String> = order.iter().map(|&g| all_labels[g].to_string()).collect();
    for (g, label) in all_labels.iter().enumerate() {
        if !order.contains(&g) && !merged(g) {
            warnings.push(format!(
                "group \"{}\" has no valid rows (all of its rows are excluded; see the list)",
                shown_value(label)
            ));
        }
    }

    // Warnings that do not exclude rows.
    look_alike_groups(&levels, &mut warnings);
    if n_zero > 0 {
        let more = if n_zero > zero_lines.len() {
            ", …"
        } else {
            ""
        };
        let word = if n_zero == 1 { "line" } else { "lines" };
        let shown: Vec<String> = zero_lines.iter().map(u64::to_string).collect();
        warnings.push(format!(
            "{n_zero} event(s) at time 0 ({word} {}{more}): check that time is measured from randomisation",
            shown.join(", ")
        ));
    }
    let n_events = event.iter().filter(|&&e| e).count();
    if n_events == 0 {
        warnings.push(format!(
            "no events: every row is censored under the coding {}; check which value means \"event\"",
            code.text
        ));
    } else if mapping.counts.is_none()
        && time.len() >= INVERTED_MIN_ROWS
        && n_events as f64 > INVERTED_EVENT_SHARE * time.len() as f64
    {
        warnings.push(format!(
            "{n_events} of {} analysed rows ({:.0}%) are events under the coding {}: if fewer were expected, the coding may be inverted (in CDISC ADTTE, CNSR = 0 is the event and 1 is censored)",
            time.len(),
            100.0 * n_events as f64 / time.len() as f64,
            code.text
        ));
    }
    if let Some(unit) = to_unit {
        let max = time.iter().copied().fold(0.0_f64, f64::max);
        if max > unit.plausible_max() {
            warnings.push(format!(
                "the longest time is {} {unit} ({:.0} years), implausibly long: check that the time is in {unit}",
                fmt_num(max),
                unit.convert(max, TimeUnit::Years)
            ));
        }
    }
    if let Some(ic) = cols.id {
        duplicate_ids(table, rows(), ic, &mut warnings);
    }

    let data =
        SurvData::new(time, event, group, levels).map_err(|e| MappingError::NoValidRows {
            // Unreachable: times and groups were checked above; reported rather than panicking.
            rows: n_rows,
            first: vec![Exclusion {
                line: 0,
                column: mapping.time.clone(),
                value: String::new(),
                reason: e.to_string(),
            }],
        })?;
    let mut event_coding = code.text;
    if let Some(n) = code.by_name.filter(|_| !is_cnsr(&mapping.event)) {
        event_coding = format!("{event_coding} ({n})");
    }
    Ok(Prepared {
        data,
        n_rows,
        excluded,
        event_coding,
        warnings,
        notes,
        time_unit: to_unit,
        filtered_out,
        rows: kept_rows,
        date_order,
    })
}

/// The day/month order for the dates of a span: the user's, or learned from both date
/// columns; ambiguity and conflicts become warnings (the rows concerned are excluded one
/// by one with the reason).
pub(super) fn resolve_date_order(
    table: &Table,
    rows: impl Iterator<Item = usize>,
    span: &DateSpan,
    sc: usize,
    ec: usize,
    warnings: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> DateOrder {
    if span.order != DateOrder::Auto {
        return span.order;
    }
    let texts = rows.flat_map(|r| {
        [sc, ec]
            .into_iter()
            .filter(move |&c| table.kind(r, c) == CellKind::Text)
            .map(move |c| table.cell(r, c))
    });
    let ev = order_evidence(texts);
    let cols = format!("{} / {}", span.start, span.end);
    if ev.conflicting() {
        warnings.push(format!(
            "the dates in {cols} are written both day first (e.g. {}) and month first (e.g. {}); dates that could be either are left out: choose the date order",
            ev.day_first.as_deref().unwrap_or_default(),
            ev.month_first.as_deref().unwrap_or_default()
        ));
        return DateOrder::Auto;
    }
    match ev.order() {
        Some(order) => {
            if ev.n_ambiguous > 0 {
                notes.push(format!(
                    "dates in {cols} read as {} because {} can only be read that way",
                    order.describe(),
                    ev.day_first
                        .as_deref()
                        .or(ev.month_first.as_deref())
                        .unwrap_or_default()
                ));
            }
            order
        }
        None => {
            if ev.n_ambiguous > 0 {
                warnings.push(format!(
                    "{} date(s) in {cols} could be day/month/year or month/day/year (e.g. {}) and are left out: choose the date order",
                    ev.n_ambiguous,
                    ev.ambiguous.as_deref().unwrap_or_default()
                ));
            }
            DateOrder::Auto
        }
    }
}

/// FNV-1a, 64-bit: a fast hash for sorting identifiers (collisions are resolved by
/// comparing the strings).
pub(super) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Warns about identifiers that appear on more than one row of the endpoint. Sorting
/// (hash, row) pairs finds them in O(n log n) with 16 bytes a row, cheaper than a hash set
/// of strings on a million rows.
pub(super) fn duplicate_ids(
    table: &Table,
    rows: impl Iterator<Item = usize>,
    ic: usize,
    warnings: &mut Vec<String>,
) {
    let mut keys: Vec<(u64, usize)> = rows
        .filter(|&r| !is_missing(table.cell(r, ic)))
        .map(|r| (fnv1a(table.cell(r, ic)), r))
        .collect();
    keys.sort_unstable();
    // (first row, second row) of each duplicated identifier.
    let mut dups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let mut j = i + 1;
        while j < keys.len() && keys[j].0 == keys[i].0 {
            j += 1;
        }
        if j - i > 1 {
            // Equal hashes: group by the string itself (rows ascending within the run).
            let run = &keys[i..j];
            let mut done = vec![false; run.len()];
            for a in 0..run.len() {
                if done[a] {
                    continue;
                }
                let value = table.cell(run[a].1, ic);
                let same: Vec<usize> = (a + 1..run.len())
                    .filter(|&b| !done[b] && table.cell(run[b].1, ic) == value)
                    .collect();
                if let Some(&b) = same.first() {
                    dups.push((run[a].1, run[b].1));
                }
                for b in same {
                    done[b] = true;
                }
            }
        }
        i = j;
    }
    if dups.is_empty() {
        return;
    }
    dups.sort_unstable_by_key(|&(_, second)| second);
    let line = |r: usize| table.lines.get(r).unwrap_or(0);
    let examples: Vec<String> = dups
        .iter()
        .take(EXAMPLES)
        .map(|&(a, b)| {
            format!(
                "\"{}\" on lines {} and {}",
                shown_value(table.cell(a, ic)),
                line(a),
                line(b)
            )
        })
        .collect();
    warnings.push(format!(
        "{} patient identifier(s) appear more than once in column \"{}\" ({}): each patient should have one row per endpoint",
        dups.len(),
        table.columns.get(ic).map_or("", String::as_str),
        examples.join("; ")
    ));
}

pub(super) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}
