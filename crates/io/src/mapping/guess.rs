//! The mapping guessed from the column names and values: which column is the time, the
//! event, the group, the patient identifier, and which are dates.

use super::*;

pub(crate) fn tokens(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words that make a column a date, not a duration ("death_date", "RANDDT").
pub(super) fn is_date_name(name: &str) -> bool {
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

pub(super) fn is_group_name(name: &str) -> bool {
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

pub(super) fn is_id_name(name: &str) -> bool {
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
pub(super) fn sample(table: &Table, c: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
    (0..table.n_rows())
        .filter(move |&r| !is_missing(table.cell(r, c)))
        .take(n)
}

/// Whether most of a column's values are dates (workbook date cells or written dates).
pub(super) fn is_date_column(table: &Table, c: usize) -> bool {
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
pub(super) fn is_duration_column(table: &Table, c: usize) -> bool {
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
pub(super) fn is_event_column(table: &Table, c: usize) -> bool {
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
    // An events/censored table has no status column: the event column guessed above is
    // not read, so it names the events column rather than hiding the arm from the guess.
    mapping.counts = guess_event_counts(table, &mapping.time);
    if let Some(c) = &mapping.counts {
        mapping.event = c.events.clone();
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
    if mapping.counts.is_none() {
        mapping.count = guess_count(table, &mapping);
    }
    mapping
}

/// Names a column of patient counts goes by in aggregated tables (SQL `count(*) AS n`,
/// SEER*Stat, Stata's `fweight`).
const COUNT_NAMES: [&str; 11] = [
    "n",
    "count",
    "counts",
    "freq",
    "frequency",
    "fweight",
    "weight",
    "weights",
    "patients",
    "n_patients",
    "npatients",
];

/// Whether column `c` holds counts (in its first 10,000 rows every value present a whole
/// number ≥ 0) and some of them above 1; `None` when a value is not a count.
fn counts_above_one(table: &Table, c: usize) -> Option<bool> {
    let mut above_one = false;
    for r in 0..table.n_rows().min(10_000) {
        let v = table.cell(r, c);
        if is_missing(v) {
            continue;
        }
        match parse_number(v, table.decimal_comma) {
            Some(x) if x >= 0.0 && x.fract() == 0.0 => above_one |= x > 1.0,
            _ => return None,
        }
    }
    Some(above_one)
}

/// The column of patient counts of an aggregated table: named so ([`COUNT_NAMES`]), not
/// another role's, every value a whole number ≥ 0 and some above 1. A patient-level table
/// with a column `n` of 0/1 flags is not taken for one.
fn guess_count(table: &Table, m: &Mapping) -> Option<String> {
    let taken = |c: &str| c == m.time || c == m.event || m.group.as_deref() == Some(c);
    (0..table.columns.len()).find_map(|c| {
        let name = &table.columns[c];
        if taken(name) || !COUNT_NAMES.contains(&name.trim().to_lowercase().as_str()) {
            return None;
        }
        counts_above_one(table, c)?.then(|| name.clone())
    })
}

/// Names the column of events of the events/censored form goes by (life tables, SQL
/// `sum(status) AS deaths`, R `summary(survfit)`'s `n.event`).
const EVENT_COUNT_NAMES: [&str; 9] = [
    "events", "n_event", "n.event", "nevent", "n_events", "nevents", "deaths", "n_deaths", "died",
];

/// Names the column of censorings of the events/censored form goes by (`n.censor`, life
/// tables' "lost" or "withdrawn").
const CENSORED_COUNT_NAMES: [&str; 9] = [
    "censored",
    "n_censor",
    "n.censor",
    "ncensor",
    "n_censored",
    "lost",
    "withdrawn",
    "n_lost",
    "censorings",
];

/// The events/censored form of an aggregated table: a column named as events
/// ([`EVENT_COUNT_NAMES`]) and one named as censorings ([`CENSORED_COUNT_NAMES`]), neither
/// the time column, every value a whole number ≥ 0 and some above 1. A patient-level table
/// with 0/1 columns `deaths` and `censored` is not taken for one.
fn guess_event_counts(table: &Table, time: &str) -> Option<EventCounts> {
    let named = |names: &[&str]| {
        (0..table.columns.len()).find(|&c| {
            let name = &table.columns[c];
            name != time && names.contains(&name.trim().to_lowercase().as_str())
        })
    };
    let (events, censored) = (named(&EVENT_COUNT_NAMES)?, named(&CENSORED_COUNT_NAMES)?);
    let above_one = counts_above_one(table, events)? | counts_above_one(table, censored)?;
    above_one.then(|| EventCounts {
        events: table.columns[events].clone(),
        censored: table.columns[censored].clone(),
    })
}

/// Start and end among date columns: by name when the names say, else first and last.
pub(super) fn guess_span(table: &Table, date_cols: &[usize]) -> DateSpan {
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
