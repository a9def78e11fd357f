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

mod coding;
mod guess;
mod labels;
mod prepare;

use coding::*;
pub use guess::*;
pub use labels::set_nfc_composer;
use labels::*;
pub use prepare::*;

/// Which columns play which role, and how to read them. Every field added after the
/// first five defaults to "as before", so a mapping of time, event and group still works.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// A column holding how many patients each row stands for: an aggregated table, as a
    /// registry extract or `SELECT time, arm, status, count(*) AS n … GROUP BY 1, 2, 3`
    /// gives it. Each row counts as that many patients with its time, event and group
    /// (R `survfit(…, weights = n)` with whole-number weights equals the expanded rows).
    /// `None`: a patient per row.
    pub count: Option<String>,
    /// An aggregated table in the events/censored form: each row holds a time (and
    /// group) with the number of patients who had the event then and the number censored
    /// then, in two columns (as registry extracts and life tables give it). The event
    /// column is not read. `None`: the event column holds each row's status.
    pub counts: Option<EventCounts>,
}

/// The two columns of the events/censored form of an aggregated table.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct EventCounts {
    /// The column of the number of events at the row's time.
    pub events: String,
    /// The column of the number censored at the row's time.
    pub censored: String,
}

/// Most patients an aggregated table (see [`Mapping::count`]) may stand for: its rows
/// are expanded to one observation per patient, about 25 bytes each.
pub const MAX_PATIENTS: u64 = 20_000_000;

/// Follow-up time as the days from a start date to an end date.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RowFilter {
    /// The column, e.g. `PARAMCD`.
    pub column: String,
    /// The value, e.g. `OS`.
    pub value: String,
}

/// A display label for a group value.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GroupLabel {
    /// The value as it is in the table.
    pub value: String,
    /// The label to show.
    pub label: String,
}

/// A row left out of the analysis, and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// The day/month order the dates were read in (the user's, or learned from the
    /// cells; `Auto` when they do not settle it), when time comes from dates.
    pub date_order: Option<DateOrder>,
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
