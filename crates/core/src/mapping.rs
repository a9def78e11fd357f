//! From a [`Table`] and a choice of columns to validated [`SurvData`], with every
//! excluded row reported (row, column, value, reason) — never dropped silently.

use crate::data::SurvData;
use crate::error::MappingError;
use crate::table::{is_missing, parse_number, Table};

/// Which columns play which role, and how events are coded.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mapping {
    /// Column holding follow-up time (non-negative numbers).
    pub time: String,
    /// Column holding the event indicator.
    pub event: String,
    /// Column holding the group (arm); `None` analyses everyone as one group.
    pub group: Option<String>,
    /// The value of the event column that means "event". `None` means recognise the coding:
    /// 1/0, 2/1 (R `Surv`: 2 = event), true/false, yes/no, dead/alive, event/censored;
    /// a column named `CNSR` (CDISC ADTTE) is read with 0 = event.
    pub event_value: Option<String>,
    /// The reference group (the first level by default, as the data has it).
    pub reference: Option<String>,
}

/// A row left out of the analysis, and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Exclusion {
    /// One-based line of the row in the text (the header is line 1 when present).
    pub line: u64,
    /// The column whose value caused the exclusion.
    pub column: String,
    /// The value found.
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
    /// Number of data rows in the table.
    pub n_rows: usize,
    /// Rows left out, in table order.
    pub excluded: Vec<Exclusion>,
    /// How the event column was read, e.g. "status: 2 = event, 1 = censored".
    pub event_coding: String,
    /// Observations worth a look that do not exclude rows.
    pub warnings: Vec<String>,
}

/// An endpoint found in a table: a time column with its event column.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Endpoint {
    /// A short name, e.g. "OS" or "PFS" (from the column names).
    pub name: String,
    /// The time column.
    pub time: String,
    /// The event column.
    pub event: String,
}

const EVENT_WORDS: [&str; 6] = ["1", "true", "yes", "dead", "event", "died"];
const CENSOR_WORDS: [&str; 7] = ["0", "false", "no", "alive", "censored", "censor", "living"];

fn norm(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

fn is_cnsr(column: &str) -> bool {
    norm(column) == "cnsr" || norm(column).ends_with(".cnsr") || norm(column).ends_with("_cnsr")
}

/// The event coding: which values are events and which are censorings.
struct Coding {
    events: Vec<String>,
    censors: Vec<String>,
    text: String,
}

fn coding(table: &Table, col: usize, column: &str, event_value: Option<&str>) -> Coding {
    let distinct = table.distinct(col);
    let lower: Vec<String> = distinct.iter().map(|v| norm(v)).collect();
    let (events, censors): (Vec<String>, Vec<String>) = if let Some(v) = event_value {
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
    } else if is_cnsr(column) {
        (vec!["0".into()], vec!["1".into()])
    } else {
        let num: Vec<f64> = lower
            .iter()
            .filter_map(|v| parse_number(v, false))
            .collect();
        let is12 = num.len() == lower.len()
            && num.iter().all(|&x| x == 1.0 || x == 2.0)
            && num.contains(&2.0);
        if is12 {
            // R's Surv(): a status coded 1/2 means 1 = censored, 2 = event.
            (vec!["2".into()], vec!["1".into()])
        } else {
            (
                EVENT_WORDS.iter().map(|s| s.to_string()).collect(),
                CENSOR_WORDS.iter().map(|s| s.to_string()).collect(),
            )
        }
    };
    let present = |set: &[String]| -> Vec<String> {
        distinct
            .iter()
            .filter(|v| set.contains(&norm(v)) || numeric_match(v, set))
            .cloned()
            .collect()
    };
    let (pe, pc) = (present(&events), present(&censors));
    let mut text = format!(
        "{column}: {} = event, {} = censored",
        if pe.is_empty() {
            events.join("/")
        } else {
            pe.join("/")
        },
        if pc.is_empty() {
            censors.join("/")
        } else {
            pc.join("/")
        }
    );
    if is_cnsr(column) && event_value.is_none() {
        text.push_str(" (CDISC ADTTE CNSR coding)");
    }
    Coding {
        events,
        censors,
        text,
    }
}

/// "1.0" matches the code "1".
fn numeric_match(v: &str, set: &[String]) -> bool {
    parse_number(v, false).is_some_and(|x| {
        set.iter()
            .any(|s| parse_number(s, false).is_some_and(|y| y == x))
    })
}

/// Validates the mapped columns of `table` into [`SurvData`]. Rows with a missing or
/// invalid time, event or group are excluded and each one is listed.
///
/// # Errors
/// [`MappingError::UnknownColumn`] for a column not in the table,
/// [`MappingError::NoValidRows`] when every row is excluded,
/// [`MappingError::UnknownReference`] when the reference group has no valid rows.
pub fn prepare(table: &Table, mapping: &Mapping) -> Result<Prepared, MappingError> {
    let col = |role: &str, name: &str| {
        table
            .column_index(name)
            .ok_or_else(|| MappingError::UnknownColumn {
                role: role.to_string(),
                name: name.to_string(),
                available: table.columns.clone(),
            })
    };
    let tc = col("time", &mapping.time)?;
    let ec = col("event", &mapping.event)?;
    let gc = match &mapping.group {
        Some(g) => Some(col("group", g)?),
        None => None,
    };
    let code = coding(table, ec, &mapping.event, mapping.event_value.as_deref());
    let mut time = Vec::new();
    let mut event = Vec::new();
    let mut labels: Vec<&str> = Vec::new();
    let mut excluded = Vec::new();
    let mut zero_events = 0usize;
    for r in 0..table.rows.len() {
        let line = table.lines.get(r).copied().unwrap_or(0);
        let exclude = |column: &str, value: &str, reason: String| Exclusion {
            line,
            column: column.to_string(),
            value: value.to_string(),
            reason,
        };
        let tv = table.cell(r, tc);
        let t = if is_missing(tv) {
            Err(exclude(
                &mapping.time,
                tv,
                "missing time: fill it in or leave the row out".into(),
            ))
        } else {
            match parse_number(tv, table.decimal_comma) {
                None => Err(exclude(
                    &mapping.time,
                    tv,
                    "time is not a number: write it as a number (e.g. 12.5) in one unit".into(),
                )),
                Some(x) if x < 0.0 => Err(exclude(
                    &mapping.time,
                    tv,
                    "negative time: follow-up time must be 0 or more; check the dates or sign"
                        .into(),
                )),
                Some(x) => Ok(x),
            }
        };
        let ev = table.cell(r, ec);
        let e = if is_missing(ev) {
            Err(exclude(
                &mapping.event,
                ev,
                "missing event status: code it as event or censored".into(),
            ))
        } else if code.events.contains(&norm(ev)) || numeric_match(ev, &code.events) {
            Ok(true)
        } else if code.censors.contains(&norm(ev)) || numeric_match(ev, &code.censors) {
            Ok(false)
        } else {
            Err(exclude(
                &mapping.event,
                ev,
                format!(
                    "unknown event value: expected {}; or choose which value means \"event\"",
                    code.text
                ),
            ))
        };
        let g = match gc {
            None => Ok("All"),
            Some(gc) => {
                let gv = table.cell(r, gc);
                if is_missing(gv) {
                    Err(exclude(
                        mapping.group.as_deref().unwrap_or_default(),
                        gv,
                        "missing group: fill in the arm or leave the row out".into(),
                    ))
                } else {
                    Ok(gv)
                }
            }
        };
        match (t, e, g) {
            (Ok(t), Ok(e), Ok(g)) => {
                if t == 0.0 && e {
                    zero_events += 1;
                }
                time.push(t);
                event.push(e);
                labels.push(g);
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
            rows: table.rows.len(),
            first: excluded.into_iter().take(5).collect(),
        });
    }
    let mut data = match SurvData::from_labels(time, event, &labels) {
        Ok(d) => d,
        // Unreachable: times were checked above; reported rather than panicking.
        Err(e) => {
            return Err(MappingError::NoValidRows {
                rows: table.rows.len(),
                first: vec![Exclusion {
                    line: 0,
                    column: mapping.time.clone(),
                    value: String::new(),
                    reason: e.to_string(),
                }],
            })
        }
    };
    if let Some(r) = &mapping.reference {
        data = data
            .with_reference(r)
            .map_err(|_| MappingError::UnknownReference {
                level: r.clone(),
                groups: labels_of(&labels),
            })?;
    }
    let mut warnings = Vec::new();
    if let Some(gc) = gc {
        for level in table.distinct(gc) {
            if !data.levels().contains(&level) {
                warnings.push(format!(
                    "group \"{level}\" has no valid rows (all of its rows are excluded; see the list)"
                ));
            }
        }
    }
    if zero_events > 0 {
        warnings.push(format!(
            "{zero_events} event(s) at time 0: check that time is measured from randomisation"
        ));
    }
    let n_events = data.event().iter().filter(|&&e| e).count();
    if n_events == 0 {
        warnings.push(format!(
            "no events: every row is censored under the coding {}; check which value means \"event\"",
            code.text
        ));
    }
    Ok(Prepared {
        data,
        n_rows: table.rows.len(),
        excluded,
        event_coding: code.text,
        warnings,
    })
}

fn labels_of(labels: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in labels {
        if !out.iter().any(|x| x == l) {
            out.push(l.to_string());
        }
    }
    out
}

fn tokens(name: &str) -> Vec<String> {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_time_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let t = tokens(name);
    n == "time"
        || n == "futime"
        || n == "stime"
        || n == "os"
        || n == "pfs"
        || t.iter().any(|w| {
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
            )
        })
}

fn is_event_name(name: &str) -> bool {
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
        )
    })
}

fn is_group_name(name: &str) -> bool {
    tokens(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "arm"
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
        )
    })
}

/// The leading word of a column name, e.g. "os" of "os_months", "pfs" of "PFS.time".
fn stem(name: &str) -> String {
    tokens(name).first().cloned().unwrap_or_default()
}

/// Time/event column pairs found by name: `os_months` with `os_event`, `pfs.time` with
/// `pfs.status`, or a lone `time` with `status`.
pub fn endpoints(table: &Table) -> Vec<Endpoint> {
    let mut out = Vec::new();
    let events: Vec<&String> = table.columns.iter().filter(|c| is_event_name(c)).collect();
    for t in table
        .columns
        .iter()
        .filter(|c| is_time_name(c) && !is_event_name(c))
    {
        let s = stem(t);
        let paired = events
            .iter()
            .find(|e| tokens(e).len() > 1 && stem(e) == s)
            .or_else(|| events.iter().find(|e| tokens(e).len() == 1))
            .or(events.first());
        if let Some(e) = paired {
            let name = if tokens(t).len() > 1 || s == "os" || s == "pfs" {
                s.to_ascii_uppercase()
            } else {
                "Survival".to_string()
            };
            out.push(Endpoint {
                name,
                time: t.clone(),
                event: (*e).clone(),
            });
        }
    }
    out
}

/// A first guess at the mapping from column names and contents. The user can change any
/// part of it.
pub fn guess(table: &Table) -> Mapping {
    let eps = endpoints(table);
    let (time, event) = match eps.first() {
        Some(e) => (e.time.clone(), e.event.clone()),
        None => {
            // Content: an event column has two distinct values; time is numeric.
            let two: Option<usize> =
                (0..table.columns.len()).find(|&c| table.distinct(c).len() == 2);
            let num: Option<usize> = (0..table.columns.len()).find(|&c| {
                Some(c) != two
                    && (0..table.rows.len().min(50)).all(|r| table.number(r, c).is_some())
            });
            (
                num.map_or_else(|| table.columns[0].clone(), |c| table.columns[c].clone()),
                two.map_or_else(
                    || table.columns.get(1).cloned().unwrap_or_default(),
                    |c| table.columns[c].clone(),
                ),
            )
        }
    };
    let group = table
        .columns
        .iter()
        .find(|c| is_group_name(c))
        .cloned()
        .or_else(|| {
            // Content: a short text column with a few levels.
            (0..table.columns.len())
                .find(|&c| {
                    let d = table.distinct(c);
                    (2..=6).contains(&d.len())
                        && table.columns[c] != event
                        && d.iter()
                            .any(|v| parse_number(v, table.decimal_comma).is_none())
                })
                .map(|c| table.columns[c].clone())
        });
    Mapping {
        time,
        event,
        group,
        event_value: None,
        reference: None,
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

    #[test]
    fn excludes_and_reports_bad_rows() {
        let t = table("time,status,arm\n1,1,A\nx,1,A\n-2,0,B\n3,maybe,B\n4,0,\n5,0,B\n");
        let m = Mapping {
            time: "time".into(),
            event: "status".into(),
            group: Some("arm".into()),
            ..Mapping::default()
        };
        let p = match prepare(&t, &m) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
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
        let p = prepare(&t, &m).map_err(|e| e.to_string());
        assert!(p.is_ok_and(|p| p
            .warnings
            .iter()
            .any(|w| w.starts_with("group \"B\" has no valid rows"))));
    }

    #[test]
    fn r_one_two_coding() {
        let t = table("time,status\n1,2\n2,1\n");
        let m = guess(&t);
        let p = prepare(&t, &m).map_err(|e| e.to_string());
        assert_eq!(p.map(|p| p.data.event().to_vec()), Ok(vec![true, false]));
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
