//! From a [`Table`] and a choice of columns to validated [`SurvData`], with every
//! excluded row reported (row, column, value, reason) — never dropped silently — and
//! warnings for what looks wrong but does not exclude a row.
//!
//! What a [`Mapping`] can say:
//! - the time column and its unit, or a start and an end date column turned into a
//!   duration ([`DateSpan`]); times converted to the unit of the analysis;
//! - the event column and its coding: recognised (1/0, R's 2/1, true/false, yes/no,
//!   dead/alive, event/censored; CDISC ADTTE `CNSR` with 0 = event; a column named
//!   "censored" with 1 = censored), or any two values the user names;
//! - the group column, the order and labels of its levels and the reference arm;
//! - a row filter, for long tables holding several endpoints (CDISC ADTTE `PARAMCD`);
//! - the patient identifier, for the duplicate check.
//!
//! [`guess`] proposes a mapping from column names and contents; [`endpoints`] lists the
//! time/event pairs of a table (OS and PFS side by side, or one per ADTTE parameter).

use crate::dates::{iso, order_evidence, parse_date, DateError, DateOrder};
use crate::error::MappingError;
use crate::table::{is_missing, parse_number, CellKind, Table};
use crate::units::TimeUnit;
use std::collections::{HashMap, HashSet};
use survcalc_stats::data::SurvData;

pub use crate::endpoint::{endpoint_name, endpoints, Endpoint};

/// Which columns play which role, and how to read them. Every field added after the
/// first five defaults to "as before", so a mapping of time, event and group still works.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Mapping {
    /// Column holding follow-up time (non-negative numbers). Not read when `dates` is set.
    pub time: String,
    /// Column holding the event indicator.
    pub event: String,
    /// Column holding the group (arm); `None` analyses everyone as one group.
    pub group: Option<String>,
    /// The value of the event column that means "event". `None` means recognise the coding:
    /// 1/0, 2/1 (R `Surv`: 2 = event), true/false, yes/no, dead/alive, event/censored;
    /// a column named `CNSR` (CDISC ADTTE) is read with 0 = event, and one named
    /// `censored`/`censor` with 1 = censored.
    pub event_value: Option<String>,
    /// The reference group, as a value of the column or its label (the first level of
    /// `group_order`, or of the data, by default).
    pub reference: Option<String>,
    /// The value that means "censored". With `event_value`, the two values the user
    /// names: any other value is reported, not guessed.
    pub censor_value: Option<String>,
    /// Follow-up time from a start and an end date instead of the time column.
    pub dates: Option<DateSpan>,
    /// The unit of the time column; `None` reads it from the column's name
    /// (`os_months`), or leaves it unknown (`futime`).
    pub time_unit: Option<TimeUnit>,
    /// The unit of the analysis; times are converted to it (months = 30.4375 days,
    /// years = 365.25 days). `None` keeps the time column's unit, or days for dates.
    pub output_unit: Option<TimeUnit>,
    /// The patient identifier column, for the duplicate check; `None` uses a column
    /// named like one (`id`, `USUBJID`, `patient_id`, `record_id`), if any.
    pub id: Option<String>,
    /// Only the rows where a column has a given value belong to this endpoint (CDISC
    /// ADTTE: `PARAMCD` = `OS`). Other rows are not analysed and not reported as excluded.
    pub filter: Option<RowFilter>,
    /// The order of the groups, as values or labels; groups not listed follow in data
    /// order. The first is the reference unless `reference` is set.
    pub group_order: Vec<String>,
    /// Labels shown for group values (e.g. "1" → "Sorafenib"). Two values given the same
    /// label are one group.
    pub group_labels: Vec<GroupLabel>,
}

/// Follow-up time as the days from a start date to an end date.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct DateSpan {
    /// The start column (randomisation, diagnosis).
    pub start: String,
    /// The end column (event or last contact).
    pub end: String,
    /// How dates written with numbers only are ordered; learned from the data by default.
    pub order: DateOrder,
}

/// Keep only the rows where `column` equals `value`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RowFilter {
    /// The column, e.g. `PARAMCD`.
    pub column: String,
    /// The value, e.g. `OS`.
    pub value: String,
}

/// A display label for a group value.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupLabel {
    /// The value as it is in the table.
    pub value: String,
    /// The label to show.
    pub label: String,
}

/// A row left out of the analysis, and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Exclusion {
    /// One-based line of the row in the text (the header is line 1 when present), or its
    /// row number in the sheet of a workbook.
    pub line: u64,
    /// The column whose value caused the exclusion.
    pub column: String,
    /// The value found (cut to 100 characters, control characters shown as U+FFFD).
    pub value: String,
    /// Why the row cannot be used, and what to do.
    pub reason: String,
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column \"{}\", value \"{}\": {}",
            self.line, self.column, self.value, self.reason
        )
    }
}

/// Validated data plus the account of what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The rows that can be analysed.
    pub data: SurvData,
    /// Number of data rows of this endpoint (all rows of the table, or those passing the
    /// filter).
    pub n_rows: usize,
    /// Rows left out, in table order.
    pub excluded: Vec<Exclusion>,
    /// How the event column was read, e.g. "status: 2 = event, 1 = censored".
    pub event_coding: String,
    /// Observations worth a look that do not exclude rows.
    pub warnings: Vec<String>,
    /// How the data was read where it was not spelled out: the date order learned from
    /// the data, Excel serial dates, unit conversion. Information, not warnings.
    pub notes: Vec<String>,
    /// The unit of the times in `data`, when known.
    pub time_unit: Option<TimeUnit>,
    /// Rows of the table not in this endpoint (left out by the filter).
    pub filtered_out: usize,
    /// The table row (zero-based) of each observation in `data`, so that other columns
    /// (strata, covariates) can be read for exactly the analysed rows.
    pub rows: Vec<usize>,
}

const EVENT_WORDS: [&str; 16] = [
    "1",
    "true",
    "t",
    "yes",
    "y",
    "dead",
    "died",
    "death",
    "deceased",
    "event",
    "progressed",
    "progression",
    "relapse",
    "relapsed",
    "recurrence",
    "failure",
];
const CENSOR_WORDS: [&str; 13] = [
    "0",
    "false",
    "f",
    "no",
    "n",
    "alive",
    "living",
    "censored",
    "censor",
    "no event",
    "event-free",
    "lost",
    "lost to follow-up",
];

/// Longest value kept in an [`Exclusion`].
const MAX_VALUE_CHARS: usize = 100;
/// Above this share of events (with at least [`INVERTED_MIN_ROWS`] rows) the coding is
/// worth a second look. 0.95 rather than 0.9: mature overall-survival data sets reach 90%
/// deaths (R's veteran: 93%), and a warning that fires on ordinary data teaches users to
/// ignore warnings.
const INVERTED_EVENT_SHARE: f64 = 0.95;
const INVERTED_MIN_ROWS: usize = 20;
/// How many examples a warning lists.
const EXAMPLES: usize = 3;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

fn is_cnsr(column: &str) -> bool {
    let n = norm(column);
    n == "cnsr" || n.ends_with(".cnsr") || n.ends_with("_cnsr")
}

/// A column whose name says it flags censoring ("censored", "censor", "is_censored"):
/// its 1 (or yes/true) means censored.
fn is_censor_flag(column: &str) -> bool {
    let t = tokens(column);
    !is_cnsr(column)
        && t.iter()
            .any(|w| matches!(w.as_str(), "censored" | "censor" | "cens" | "iscensored"))
        && !t
            .iter()
            .any(|w| matches!(w.as_str(), "event" | "status" | "date" | "dt"))
}

/// The event coding: which values are events and which are censorings.
struct Coding {
    events: Vec<String>,
    censors: Vec<String>,
    text: String,
    /// A note when the coding comes from the column's name rather than its values.
    by_name: Option<String>,
}

impl Coding {
    fn classify(&self, v: &str) -> Option<bool> {
        let n = norm(v);
        if self.events.contains(&n) || numeric_match(v, &self.events) {
            Some(true)
        } else if self.censors.contains(&n) || numeric_match(v, &self.censors) {
            Some(false)
        } else {
            // cBioPortal writes the code before its meaning: "1:DECEASED", "0:LIVING".
            let (code, meaning) = v.split_once(':')?;
            if meaning.trim().is_empty() || parse_number(code.trim(), false).is_none() {
                return None;
            }
            self.classify(code.trim())
        }
    }
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

fn coding(distinct: &[String], column: &str, mapping: &Mapping) -> Coding {
    let lower: Vec<String> = distinct.iter().map(|v| norm(v)).collect();
    let mut by_name = None;
    let (events, censors): (Vec<String>, Vec<String>) = match (
        mapping.event_value.as_deref(),
        mapping.censor_value.as_deref(),
    ) {
        (Some(e), Some(c)) => (vec![norm(e)], vec![norm(c)]),
        (Some(v), None) => {
            let v = norm(v);
            let others: Vec<String> = lower.iter().filter(|x| **x != v).cloned().collect();
            let censors = if others.len() == 1 {
                others
            } else {
                others
                    .into_iter()
                    .filter(|x| CENSOR_WORDS.contains(&x.as_str()))
                    .collect()
            };
            (vec![v], censors)
        }
        (None, Some(c)) => {
            let c = norm(c);
            let others: Vec<String> = lower.iter().filter(|x| **x != c).cloned().collect();
            let events = if others.len() == 1 {
                others
            } else {
                others
                    .into_iter()
                    .filter(|x| EVENT_WORDS.contains(&x.as_str()))
                    .collect()
            };
            (events, vec![c])
        }
        (None, None) if is_cnsr(column) => {
            by_name = Some("CDISC ADTTE CNSR coding: 0 = event, 1 = censored".to_string());
            (vec!["0".into()], vec!["1".into()])
        }
        (None, None) if is_censor_flag(column) => {
            by_name = Some(format!(
                    "read as 1 = censored because the column is named \"{column}\"; if 1 means event, choose 1 as the event value"
                ));
            (
                owned(&["0", "false", "f", "no", "n"]),
                owned(&["1", "true", "t", "yes", "y", "censored"]),
            )
        }
        (None, None) => {
            let num: Vec<f64> = lower
                .iter()
                .filter_map(|v| parse_number(v, false))
                .collect();
            let is12 = !num.is_empty()
                && num.len() == lower.len()
                && num.iter().all(|&x| x == 1.0 || x == 2.0)
                && num.contains(&2.0);
            if is12 {
                // R's Surv(): a status coded 1/2 means 1 = censored, 2 = event.
                (vec!["2".into()], vec!["1".into()])
            } else {
                (owned(&EVENT_WORDS), owned(&CENSOR_WORDS))
            }
        }
    };
    let present = |set: &[String]| -> Vec<String> {
        let has = |v: &str| set.contains(&norm(v)) || numeric_match(v, set);
        distinct
            .iter()
            // "1:DECEASED" by its code, as `Coding::classify` reads it.
            .filter(|v| has(v) || v.split_once(':').is_some_and(|(c, _)| has(c.trim())))
            .cloned()
            .collect()
    };
    let (pe, pc) = (present(&events), present(&censors));
    let shown = |p: Vec<String>, set: &[String]| {
        if p.is_empty() {
            set.iter().take(6).cloned().collect::<Vec<_>>().join("/")
        } else {
            p.join("/")
        }
    };
    let mut text = format!(
        "{column}: {} = event, {} = censored",
        shown(pe, &events),
        shown(pc, &censors)
    );
    if by_name.is_some() && is_cnsr(column) {
        text.push_str(" (CDISC ADTTE CNSR coding)");
    }
    Coding {
        events,
        censors,
        text,
        by_name,
    }
}

/// "1.0" matches the code "1".
fn numeric_match(v: &str, set: &[String]) -> bool {
    parse_number(v, false).is_some_and(|x| {
        set.iter()
            .any(|s| parse_number(s, false).is_some_and(|y| y == x))
    })
}

/// A value as shown in a report: at most [`MAX_VALUE_CHARS`] characters, control
/// characters replaced so that a report never carries NULs or escape sequences.
fn shown_value(v: &str) -> String {
    let mut out: String = v
        .chars()
        .take(MAX_VALUE_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if v.chars().nth(MAX_VALUE_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// The unit a time column is in: set by the user, or announced by its name.
fn source_unit(mapping: &Mapping) -> Option<TimeUnit> {
    mapping.source_unit()
}

impl Mapping {
    /// The unit the times are read in: days for dates, else the unit the user set, else
    /// the one the time column's name announces (`os_months`); `None` when unknown.
    pub fn source_unit(&self) -> Option<TimeUnit> {
        if self.dates.is_some() {
            Some(TimeUnit::Days)
        } else {
            self.time_unit
                .or_else(|| TimeUnit::from_column_name(&self.time))
        }
    }

    /// The columns in their roles, in words, for a report: ("Time", "os_months"),
    /// ("Event", "os_event"), ("Group", "arm"), and the optional ones that are set.
    pub fn roles(&self) -> Vec<(String, String)> {
        let mut v = Vec::new();
        match &self.dates {
            Some(d) => v.push((
                "Time".to_string(),
                format!(
                    "from {} to {} (dates, {})",
                    d.start,
                    d.end,
                    d.order.describe()
                ),
            )),
            None => v.push(("Time".to_string(), self.time.clone())),
        }
        let mut event = self.event.clone();
        if let Some(e) = &self.event_value {
            let _ = std::fmt::Write::write_fmt(&mut event, format_args!(" (event = {e})"));
        }
        v.push(("Event".to_string(), event));
        v.push((
            "Group".to_string(),
            self.group
                .clone()
                .unwrap_or_else(|| "(none: one group)".into()),
        ));
        if let Some(r) = &self.reference {
            v.push(("Reference group".to_string(), r.clone()));
        }
        if let Some(f) = &self.filter {
            v.push(("Rows".to_string(), format!("{} = {}", f.column, f.value)));
        }
        if let Some(u) = self.analysis_unit() {
            v.push(("Time unit".to_string(), u.name().to_string()));
        }
        v
    }

    /// The unit of the analysis (what [`Prepared::time_unit`] will be): the output unit
    /// when the source unit is known, else the source unit.
    pub fn analysis_unit(&self) -> Option<TimeUnit> {
        let from = self.source_unit();
        match self.output_unit {
            Some(to) if from.is_some() => Some(to),
            _ => from,
        }
    }
}

/// Reads group labels written as `value=label` pairs separated by commas or semicolons,
/// e.g. `1=Sorafenib, 2=Sorafenib+HAIC`.
///
/// # Errors
/// A pair without `=`, or with an empty value or label, is named in the message.
pub fn parse_group_labels(text: &str) -> Result<Vec<GroupLabel>, String> {
    split_list(text)
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((v, l)) if !v.trim().is_empty() && !l.trim().is_empty() => Ok(GroupLabel {
                value: v.trim().to_string(),
                label: l.trim().to_string(),
            }),
            _ => Err(format!(
                "\"{pair}\" is not value=label (e.g. 1=Sorafenib, 2=Placebo)"
            )),
        })
        .collect()
}

/// Splits a list written with commas or semicolons into its trimmed, non-empty items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Columns the mapping names, as indices.
struct Columns {
    time: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    event: usize,
    group: Option<usize>,
    id: Option<usize>,
    filter: Option<(usize, String)>,
}

fn resolve(table: &Table, mapping: &Mapping) -> Result<Columns, MappingError> {
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
    if mapping.dates.is_none() {
        same(("time", &mapping.time), ("event", &mapping.event))?;
    }
    if let Some(g) = &mapping.group {
        same(("event", &mapping.event), ("group", g))?;
    }
    let (time, start, end) = match &mapping.dates {
        Some(d) => (
            None,
            Some(col("start date", &d.start)?),
            Some(col("end date", &d.end)?),
        ),
        None => (Some(col("time", &mapping.time)?), None, None),
    };
    let event = col("event", &mapping.event)?;
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
    Ok(Columns {
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
fn cell_date(table: &Table, r: usize, c: usize, order: DateOrder) -> Result<i64, DateError> {
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
struct Interner<'a> {
    values: Vec<&'a str>,
    map: Option<HashMap<&'a str, usize>>,
    last: usize,
}

impl<'a> Interner<'a> {
    const LINEAR: usize = 16;

    fn new() -> Interner<'a> {
        Interner {
            values: Vec::new(),
            map: None,
            last: 0,
        }
    }

    fn id(&mut self, s: &'a str) -> usize {
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
struct TimeReader<'t> {
    table: &'t Table,
    mapping: &'t Mapping,
    column: Option<usize>,
    dates: Option<(usize, usize, DateOrder)>,
    /// The first number read as an Excel serial date, and its day, for the note.
    serial: Option<(String, i64)>,
}

impl TimeReader<'_> {
    fn read(
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
        let v = table.cell(r, cols.event);
        if !is_missing(v) && event_values.values.len() < 64 {
            event_values.id(v);
        }
    }
    let filtered_out = table.n_rows() - n_rows;
    let distinct: Vec<String> = event_values.values.iter().map(|v| v.to_string()).collect();
    let code = coding(&distinct, &mapping.event, mapping);
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

    for r in rows() {
        let line = table.lines.get(r).copied().unwrap_or(0);
        let exclude = |column: &str, value: &str, reason: String| Exclusion {
            line,
            column: column.to_string(),
            value: shown_value(value),
            reason,
        };
        let t = times.read(r, &exclude);
        let ev = table.cell(r, cols.event);
        let e = if is_missing(ev) {
            Err(exclude(
                &mapping.event,
                ev,
                "missing event status: code it as event or censored".into(),
            ))
        } else {
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
        match (t, e, g) {
            (Ok(t), Ok(e), Ok(g)) => {
                if t == 0.0 && e {
                    n_zero += 1;
                    if zero_lines.len() < EXAMPLES {
                        zero_lines.push(line);
                    }
                }
                if first_valid.len() <= g {
                    first_valid.resize(g + 1, None);
                }
                first_valid[g].get_or_insert(time.len());
                time.push(t);
                event.push(e);
                label_of_row.push(g as u32);
                kept_rows.push(r);
            }
            (t, e, g) => {
                // Report the first problem of the row (time, then event, then group).
                if let Some(x) = t.err().or(e.err()).or(g.err()) {
                    excluded.push(x);
                }
            }
        }
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
    } else if time.len() >= INVERTED_MIN_ROWS
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
    })
}

/// The day/month order for the dates of a span: the user's, or learned from both date
/// columns; ambiguity and conflicts become warnings (the rows concerned are excluded one
/// by one with the reason).
fn resolve_date_order(
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
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Warns about identifiers that appear on more than one row of the endpoint. Sorting
/// (hash, row) pairs finds them in O(n log n) with 16 bytes a row, cheaper than a hash set
/// of strings on a million rows.
fn duplicate_ids(
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
    let line = |r: usize| table.lines.get(r).copied().unwrap_or(0);
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

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

pub(crate) fn tokens(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words that make a column a date, not a duration ("death_date", "RANDDT").
fn is_date_name(name: &str) -> bool {
    let t = tokens(name);
    t.iter()
        .any(|w| matches!(w.as_str(), "date" | "dt" | "dtc" | "datum" | "fecha"))
        || t.iter().any(|w| {
            w.len() > 3 && (w.ends_with("dt") || w.ends_with("dtc") || w.ends_with("date"))
        })
}

pub(crate) fn is_time_name(name: &str) -> bool {
    if is_date_name(name) {
        return false;
    }
    let n = name.to_lowercase();
    let t = tokens(name);
    matches!(
        n.as_str(),
        "time" | "futime" | "stime" | "os" | "pfs" | "efs" | "dfs" | "rfs" | "ttp" | "survtime"
    ) || t.iter().any(|w| {
        matches!(
            w.as_str(),
            "time"
                | "months"
                | "month"
                | "days"
                | "day"
                | "weeks"
                | "years"
                | "mo"
                | "futime"
                | "aval"
                | "dur"
                | "duration"
                | "followup"
                | "fu"
                | "survival"
        )
    })
}

pub(crate) fn is_event_name(name: &str) -> bool {
    if is_date_name(name) {
        return false;
    }
    tokens(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "status"
                | "event"
                | "censor"
                | "cnsr"
                | "dead"
                | "death"
                | "died"
                | "fustat"
                | "censored"
                | "evt"
                | "fail"
                | "cens"
                | "vital"
                | "relapse"
                | "relapsed"
                | "progression"
                | "progressed"
                | "prog"
                | "pd"
                | "recurrence"
                | "recurred"
                | "deceased"
                | "dth"
                | "dthfl"
                | "metastasis"
        )
    })
}

fn is_group_name(name: &str) -> bool {
    tokens(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "arm"
                | "armcd"
                | "actarm"
                | "group"
                | "grp"
                | "trt"
                | "treatment"
                | "treat"
                | "rx"
                | "trt01p"
                | "trt01a"
                | "trtp"
                | "trta"
                | "cohort"
                | "randomisation"
                | "randomization"
        )
    })
}

fn is_id_name(name: &str) -> bool {
    let n = name.to_lowercase();
    matches!(
        n.as_str(),
        "id" | "usubjid"
            | "subjid"
            | "subject"
            | "patient"
            | "patient_id"
            | "patientid"
            | "patient.id"
            | "pt_id"
            | "ptid"
            | "patid"
            | "pid"
            | "record_id"
            | "studyid_subjid"
            | "subject_id"
            | "case_id"
    )
}

/// The leading word of a column name, e.g. "os" of "os_months", "pfs" of "PFS.time".
pub(crate) fn stem(name: &str) -> String {
    tokens(name).first().cloned().unwrap_or_default()
}

/// The values of column `c` in the first rows that are not missing (at most `n`).
fn sample(table: &Table, c: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
    (0..table.n_rows())
        .filter(move |&r| !is_missing(table.cell(r, c)))
        .take(n)
}

/// Whether most of a column's values are dates (workbook date cells or written dates).
fn is_date_column(table: &Table, c: usize) -> bool {
    let (mut n, mut dates) = (0usize, 0usize);
    for r in sample(table, c, 200) {
        n += 1;
        if table.kind(r, c) == CellKind::Date || crate::dates::looks_like_date(table.cell(r, c)) {
            dates += 1;
        }
    }
    n > 0 && dates * 10 >= n * 9
}

/// Whether a column holds non-negative numbers with more than two values (a duration).
fn is_duration_column(table: &Table, c: usize) -> bool {
    let (mut n, mut ok) = (0usize, 0usize);
    let mut distinct: HashSet<&str> = HashSet::new();
    let mut consecutive = true;
    let mut prev: Option<f64> = None;
    for r in sample(table, c, 200) {
        n += 1;
        if let Some(x) = table.number(r, c).filter(|x| *x >= 0.0) {
            ok += 1;
            distinct.insert(table.cell(r, c));
            // 1, 2, 3, … is a row number or an identifier, not follow-up.
            consecutive &= prev.is_none_or(|p| x == p + 1.0);
            prev = Some(x);
        }
    }
    n > 0 && ok * 10 >= n * 9 && distinct.len() > 2 && !(consecutive && n > 3)
}

/// Whether a column looks like an event indicator: two values of a known coding.
fn is_event_column(table: &Table, c: usize) -> bool {
    let d = table.distinct_first(c, 3);
    if d.len() != 2 {
        return false;
    }
    let m = Mapping::default();
    let code = coding(&d, table.columns.get(c).map_or("", String::as_str), &m);
    d.iter().all(|v| code.classify(v).is_some())
}

/// A first guess at the mapping from column names and contents. The user can change any
/// part of it. Time and event come from [`endpoints`] when the names say; otherwise a
/// column of non-negative numbers and a two-valued column of a known coding; with no
/// time column but two date columns, the time is the span between them.
pub fn guess(table: &Table) -> Mapping {
    let n_cols = table.columns.len();
    let eps = endpoints(table);
    let mut mapping = Mapping::default();
    match eps.first() {
        Some(e) => {
            mapping.time = e.time.clone();
            mapping.event = e.event.clone();
            mapping.filter = e.filter.clone();
        }
        None => {
            let event = (0..n_cols)
                .find(|&c| is_event_name(&table.columns[c]) && is_event_column(table, c))
                .or_else(|| (0..n_cols).find(|&c| is_event_column(table, c)));
            let time = (0..n_cols)
                .find(|&c| {
                    Some(c) != event
                        && is_time_name(&table.columns[c])
                        && is_duration_column(table, c)
                })
                .or_else(|| {
                    (0..n_cols).find(|&c| Some(c) != event && is_duration_column(table, c))
                });
            let date_cols: Vec<usize> = (0..n_cols).filter(|&c| is_date_column(table, c)).collect();
            let named_time = time.is_some_and(|c| is_time_name(&table.columns[c]));
            if date_cols.len() >= 2 && !named_time {
                mapping.dates = Some(guess_span(table, &date_cols));
            }
            // With dates and no time column, `time` is left empty rather than naming a
            // column that is not a time.
            let fallback = || {
                if mapping.dates.is_some() {
                    String::new()
                } else {
                    table.columns.first().cloned().unwrap_or_default()
                }
            };
            mapping.time = time.map_or_else(fallback, |c| table.columns[c].clone());
            mapping.event = event.map_or_else(
                || table.columns.get(1).cloned().unwrap_or_default(),
                |c| table.columns[c].clone(),
            );
        }
    }
    mapping.group = table
        .columns
        .iter()
        .find(|c| is_group_name(c) && **c != mapping.event)
        .cloned()
        .or_else(|| {
            // Content: a short text column with a few levels.
            (0..n_cols)
                .find(|&c| {
                    let d = table.distinct_first(c, 7);
                    let name = &table.columns[c];
                    (2..=6).contains(&d.len())
                        && *name != mapping.event
                        && *name != mapping.time
                        && mapping
                            .dates
                            .as_ref()
                            .is_none_or(|s| *name != s.start && *name != s.end)
                        && mapping
                            .filter
                            .as_ref()
                            .is_none_or(|f| f.column != table.columns[c])
                        && d.iter().any(|v| {
                            parse_number(v, table.decimal_comma).is_none()
                                && !crate::dates::looks_like_date(v)
                        })
                })
                .map(|c| table.columns[c].clone())
        });
    mapping.id = table.columns.iter().find(|c| is_id_name(c)).cloned();
    mapping
}

/// A group label in Unicode normalization form C: "Cafe" + U+0301 (as macOS and some
/// exports write it) becomes "Café", so that the two spellings are one group (issue 12).
/// ASCII and labels already in NFC are borrowed.
fn nfc(label: &str) -> std::borrow::Cow<'_, str> {
    // Nothing below U+0300 (the combining marks) composes with anything.
    if label.chars().all(|c| (c as u32) < 0x300) {
        return std::borrow::Cow::Borrowed(label);
    }
    let composed = compose(label);
    if composed == label {
        std::borrow::Cow::Borrowed(label)
    } else {
        std::borrow::Cow::Owned(composed)
    }
}

#[cfg(feature = "nfc")]
fn compose(label: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    label.nfc().collect()
}

#[cfg(not(feature = "nfc"))]
fn compose(label: &str) -> String {
    match NFC_COMPOSER.get() {
        Some(f) => f(label),
        None => label.to_string(),
    }
}

static NFC_COMPOSER: std::sync::OnceLock<fn(&str) -> String> = std::sync::OnceLock::new();

/// Supplies the NFC composition of labels for a build without the `nfc` feature (the
/// page passes the browser's `String.prototype.normalize("NFC")`); the first call wins.
/// Without either, labels are compared as written. With the feature it is not used.
pub fn set_nfc_composer(f: fn(&str) -> String) {
    let _ = NFC_COMPOSER.set(f);
}

/// Whether a character is invisible or reorders text: zero-width spaces and joiners,
/// bidirectional controls, the byte-order mark, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A label as a reader sees it: without invisible characters, case, accents (written
/// precomposed or as a letter and a combining mark) and runs of white space. Two labels
/// with one skeleton look alike on the page.
fn skeleton(label: &str) -> String {
    // U+00C0…U+00FF without their accents (× and ÷ kept).
    const LATIN1: &str = "aaaaaaaceeeeiiiidnooooo×ouuuuyþsaaaaaaaceeeeiiiidnooooo÷ouuuuyþy";
    let mut out = String::new();
    for c in label.chars() {
        if is_invisible(c) || ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        let c = match c {
            '\u{00C0}'..='\u{00FF}' => LATIN1.chars().nth(c as usize - 0xC0).unwrap_or(c),
            c => c,
        };
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end().to_string()
}

/// Warns about groups a reader cannot tell apart (issue 12: "Café" written two ways,
/// "Drug" and "Drug\u{200b}", "\u{202e}Drug" were separate groups printed alike), and
/// about labels with invisible or reordering characters.
fn look_alike_groups(levels: &[String], warnings: &mut Vec<String>) {
    let code_points = |l: &str| {
        l.chars()
            .filter(|c| is_invisible(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect::<Vec<_>>()
    };
    for l in levels {
        let hidden = code_points(l);
        if !hidden.is_empty() {
            warnings.push(format!(
                "group \"{}\" contains invisible or text-reordering characters ({}): it may print like another group; remove them from the data or relabel the group",
                shown_value(l),
                hidden.join(", ")
            ));
        }
    }
    let mut by_skeleton: HashMap<String, Vec<&str>> = HashMap::new();
    for l in levels {
        by_skeleton.entry(skeleton(l)).or_default().push(l);
    }
    let mut alike: Vec<Vec<&str>> = by_skeleton.into_values().filter(|v| v.len() > 1).collect();
    alike.sort();
    for group in alike {
        let shown: Vec<String> = group
            .iter()
            .map(|l| format!("\"{}\"", shown_value(l)))
            .collect();
        warnings.push(format!(
            "groups {} look alike but are analysed apart (they differ only in case, spaces, accents written two ways or invisible characters): if they are one arm, give them one label (group labels, e.g. {}={})",
            shown.join(" and "),
            group.get(1).map_or("", |l| l),
            group.first().map_or("", |l| l)
        ));
    }
}

/// Start and end among date columns: by name when the names say, else first and last.
fn guess_span(table: &Table, date_cols: &[usize]) -> DateSpan {
    let has = |c: usize, words: &[&str]| {
        tokens(&table.columns[c])
            .iter()
            .any(|w| words.iter().any(|x| w.contains(x)))
    };
    const START: [&str; 9] = [
        "rand", "start", "entry", "enrol", "diag", "baseline", "trtsdt", "rfst", "surg",
    ];
    const END: [&str; 10] = [
        "end", "last", "death", "dth", "event", "contact", "cutoff", "lstalv", "prog", "fu",
    ];
    let start = date_cols
        .iter()
        .copied()
        .find(|&c| has(c, &START))
        .unwrap_or(date_cols[0]);
    let end = date_cols
        .iter()
        .copied()
        .filter(|&c| c != start)
        .find(|&c| has(c, &END))
        .or_else(|| date_cols.iter().copied().rev().find(|&c| c != start))
        .unwrap_or(start);
    DateSpan {
        start: table.columns[start].clone(),
        end: table.columns[end].clone(),
        order: DateOrder::Auto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &str) -> Table {
        match Table::parse(s) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn prep(t: &Table, m: &Mapping) -> Prepared {
        match prepare(t, m) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn excludes_and_reports_bad_rows() {
        let t = table("time,status,arm\n1,1,A\nx,1,A\n-2,0,B\n3,maybe,B\n4,0,\n5,0,B\n");
        let m = Mapping {
            time: "time".into(),
            event: "status".into(),
            group: Some("arm".into()),
            ..Mapping::default()
        };
        let p = prep(&t, &m);
        assert_eq!(p.data.len(), 2);
        assert_eq!(p.n_rows, 6);
        let lines: Vec<u64> = p.excluded.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert_eq!(p.excluded[1].column, "time");
        assert_eq!(p.excluded[2].column, "status");
        assert_eq!(p.excluded[3].column, "arm");
    }

    #[test]
    fn group_with_no_valid_rows_is_reported() {
        let t = table("time,status,arm\n1,1,A\n2,0,A\nx,1,B\n");
        let m = guess(&t);
        let p = prep(&t, &m);
        assert!(p
            .warnings
            .iter()
            .any(|w| w.starts_with("group \"B\" has no valid rows")));
    }

    #[test]
    fn r_one_two_coding() {
        let t = table("time,status\n1,2\n2,1\n");
        let m = guess(&t);
        assert_eq!(prep(&t, &m).data.event().to_vec(), vec![true, false]);
    }

    #[test]
    fn regression_look_alike_groups_are_named() {
        // Issue 12: "Café" in NFC and NFD printed as two identical rows; "Drug" and
        // "Drug\u{200b}", "\u{202e}Drug" were silently separate groups.
        let t = table("t,s,arm\n1,1,Caf\u{e9}\n2,0,Cafe\u{301}\n3,1,Drug\n4,1,Drug\u{200b}\n5,0,\u{202e}Drug\n6,1,Placebo\n7,1,placebo \n");
        let m = Mapping {
            time: "t".into(),
            event: "s".into(),
            group: Some("arm".into()),
            ..Mapping::default()
        };
        let p = prep(&t, &m);
        let w = p.warnings;
        let has = |s: &str| w.iter().any(|x| x.contains(s));
        // Café written two ways is one group in NFC, and a note says so.
        assert!(!has("Caf"), "{w:?}");
        assert_eq!(p.data.levels()[0], "Caf\u{e9}");
        assert_eq!(p.data.group()[..2], [0, 0]);
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("(Unicode NFC)") && n.contains("\"Cafe\u{301}\"")),
            "{:?}",
            p.notes
        );
        // Chosen order and reference match in NFC too.
        let m2 = Mapping {
            reference: Some("Placebo".into()),
            group_order: vec!["Cafe\u{301}".into()],
            ..m.clone()
        };
        let p2 = prep(&t, &m2);
        assert_eq!(p2.data.levels()[0], "Placebo");
        assert_eq!(p2.data.levels()[1], "Caf\u{e9}");
        assert!(
            has("look alike") && has("\"Placebo\" and \"placebo\""),
            "{w:?}"
        );
        assert!(has("(U+200B)") && has("(U+202E)"), "{w:?}");
        assert_eq!(skeleton("  Éclair  AU  Café "), "eclair au cafe");
        assert_eq!(skeleton("ÀÿÐß"), "ayds");
    }

    #[test]
    fn guesses_trial_columns() {
        let t = table("id,arm,os_months,os_event,pfs_months,pfs_event\n1,A,3,1,2,1\n");
        let m = guess(&t);
        assert_eq!(
            (m.time.as_str(), m.event.as_str()),
            ("os_months", "os_event")
        );
        assert_eq!(m.group.as_deref(), Some("arm"));
        assert_eq!(m.id.as_deref(), Some("id"));
        let e = endpoints(&t);
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[1].name.as_str(), e[1].event.as_str()),
            ("PFS", "pfs_event")
        );
    }

    #[test]
    fn unknown_column_names_alternatives() {
        let t = table("a,b\n1,2\n");
        let m = Mapping {
            time: "t".into(),
            event: "b".into(),
            ..Mapping::default()
        };
        assert!(matches!(
            prepare(&t, &m),
            Err(MappingError::UnknownColumn { .. })
        ));
    }
}
