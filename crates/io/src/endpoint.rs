//! Which time column goes with which event column: the endpoints of a table (OS, PFS,
//! DFS, …), paired by what the names mean rather than by their first word alone.
//!
//! A wide trial table holds several endpoints side by side (`os_months, death,
//! pfs_months, progression`). Pairing `pfs_months` with the first event column it finds
//! gives a wrong PFS that looks right, so each (time, event) pair is scored:
//!
//! | evidence | score | example |
//! |---|---|---|
//! | both name the same endpoint | 100 | `os_months` + `os_event`, `time_pfs` + `PFS_STATUS` |
//! | the same leading word (not a generic one) | 90 | `surv.time` + `surv.status` |
//! | the event is what the endpoint counts | 60 | `os_months` + `death`, `pfs` + `pd_or_death` |
//! | a generic event column | 20 | `time` + `status` |
//! | the event names another endpoint | 0 | `os_months` + `progression` |
//!
//! A pair is *certain* when its score is at least 60 and no other event column scores as
//! high, or when the table has one time column and one generic event column; any other
//! pairing is a guess the page asks the user to confirm, listing the candidates. An event
//! column claimed with certainty by one endpoint is not given to another on weaker
//! evidence.

use crate::mapping::{is_event_name, is_time_name, stem, tokens, RowFilter};
use crate::table::Table;

/// An endpoint found in a table: a time column with its event column.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Endpoint {
    /// A short name, e.g. "OS" or "PFS" (from the column names or the ADTTE parameter).
    pub name: String,
    /// The time column.
    pub time: String,
    /// The event column.
    pub event: String,
    /// The rows of this endpoint, for long tables (ADTTE `PARAMCD`); `None` = all rows.
    pub filter: Option<RowFilter>,
    /// Whether the names make the pairing clear. When `false` the pairing is a guess that
    /// the user should confirm among `candidates`.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub certain: bool,
    /// The event columns that could go with this time column, most likely first (the
    /// chosen one included); empty when nothing else fits.
    #[cfg_attr(feature = "serde", serde(default))]
    pub candidates: Vec<String>,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

/// The endpoints the pairing knows, with the words that name them and the words of the
/// event each one counts. PFS, DFS, RFS and EFS count death as well ("progression or
/// death"), so an event column that also says "death" still belongs to them.
struct Kind {
    name: &'static str,
    /// Abbreviations and words that name the endpoint in a column name.
    names: &'static [&'static str],
    /// Words of an event column that say it is this endpoint's event.
    events: &'static [&'static str],
    /// Whether death is part of this endpoint's event (composite endpoints).
    includes_death: bool,
}

const KINDS: [Kind; 10] = [
    Kind {
        name: "OS",
        names: &["os", "overall"],
        events: &[
            "death",
            "dead",
            "died",
            "deceased",
            "dth",
            "dthfl",
            "vital",
            "mortality",
        ],
        includes_death: true,
    },
    Kind {
        name: "PFS",
        names: &["pfs"],
        events: &[
            "progression",
            "progressed",
            "progress",
            "prog",
            "pd",
            "progdeath",
            "pdeath",
        ],
        includes_death: true,
    },
    Kind {
        name: "TTP",
        names: &["ttp"],
        events: &["progression", "progressed", "progress", "prog", "pd"],
        includes_death: false,
    },
    Kind {
        name: "DFS",
        names: &["dfs"],
        events: &["recurrence", "recurred", "recur", "relapse", "relapsed"],
        includes_death: true,
    },
    Kind {
        name: "RFS",
        names: &["rfs"],
        events: &["relapse", "relapsed", "recurrence", "recurred", "recur"],
        includes_death: true,
    },
    Kind {
        name: "EFS",
        names: &["efs"],
        events: &[],
        includes_death: true,
    },
    Kind {
        name: "DoR",
        names: &["dor"],
        events: &["progression", "progressed", "progress", "prog", "pd"],
        includes_death: true,
    },
    Kind {
        name: "MFS",
        names: &["mfs"],
        events: &["metastasis", "metastases", "mets"],
        includes_death: true,
    },
    Kind {
        name: "CSS",
        names: &["css", "dss"],
        events: &[],
        includes_death: false,
    },
    Kind {
        name: "TTF",
        names: &["ttf"],
        events: &["failure", "fail"],
        includes_death: false,
    },
];

/// Words of an event column that name no endpoint: any endpoint may use it.
const GENERIC_EVENT: [&str; 10] = [
    "status", "event", "censor", "cnsr", "cens", "censored", "fustat", "evt", "fail", "ind",
];

/// Leading words that say nothing about which endpoint a column belongs to.
const GENERIC_STEMS: [&str; 6] = ["time", "event", "status", "censor", "t", "days"];

/// Spelled-out endpoint names, as they read with separators removed.
const PHRASES: [(&str, &str); 7] = [
    ("overallsurvival", "OS"),
    ("progressionfree", "PFS"),
    ("diseasefree", "DFS"),
    ("recurrencefree", "RFS"),
    ("relapsefree", "RFS"),
    ("eventfree", "EFS"),
    ("timetoprogression", "TTP"),
];

/// The endpoint a column name names by abbreviation ("os_months", "PFS.status") or
/// spelled out ("Progression-free survival (months)").
fn named_kind(name: &str) -> Option<usize> {
    let t = tokens(name);
    let joined: String = t.concat();
    PHRASES
        .iter()
        .find(|(p, _)| joined.contains(p))
        .and_then(|(_, n)| KINDS.iter().position(|k| k.name == *n))
        .or_else(|| {
            KINDS
                .iter()
                .position(|k| t.iter().any(|w| k.names.contains(&w.as_str())))
        })
}

/// Words that make a column a duration even when it also names an event
/// ("time_to_death", "progression_free_survival_months").
const DURATION_WORDS: [&str; 11] = [
    "time", "months", "month", "days", "day", "weeks", "years", "mo", "futime", "aval", "duration",
];

/// Whether a column is a time column of an endpoint: named like one, and not an event
/// column unless a unit or "time" says it is a duration; a spelled-out endpoint
/// ("Progression-free survival") without "status" or "event" is its time.
fn is_time_column(name: &str) -> bool {
    let t = tokens(name);
    let has = |set: &[&str]| t.iter().any(|w| set.contains(&w.as_str()));
    let spelled = {
        let joined = t.concat();
        PHRASES.iter().any(|(p, _)| joined.contains(p))
    };
    is_time_name(name)
        && (!is_event_name(name) || has(&DURATION_WORDS) || (spelled && !has(&GENERIC_EVENT)))
}

/// Whether a word of an event column's name is some endpoint's event word.
fn is_event_word(w: &str) -> bool {
    KINDS.iter().any(|k| k.events.contains(&w))
}

/// How well event column `event` fits time column `time` (the table above).
fn score(time: &str, event: &str) -> u32 {
    match (named_kind(time), named_kind(event)) {
        (Some(a), Some(b)) if a == b => return 100,
        (_, Some(_)) => return 0,
        _ => {}
    }
    let (ts, es) = (stem(time), stem(event));
    if tokens(time).len() > 1
        && tokens(event).len() > 1
        && ts == es
        && !GENERIC_STEMS.contains(&ts.as_str())
    {
        return 90;
    }
    let words: Vec<String> = tokens(event)
        .into_iter()
        .filter(|w| is_event_word(w))
        .collect();
    let Some(k) = named_kind(time) else {
        // A time column that names no endpoint ("time", "futime"): any event column may
        // go with it, a generic one first.
        return if words.is_empty() { 20 } else { 15 };
    };
    if words.is_empty() {
        return 20;
    }
    let kind = &KINDS[k];
    let death = KINDS[0].events;
    let fits = words.iter().any(|w| kind.events.contains(&w.as_str()));
    // A word of another endpoint's event; death is not foreign to a composite endpoint
    // ("pd_or_death" is PFS's event, not overall survival's).
    let own = |w: &str| kind.events.contains(&w) || (kind.includes_death && death.contains(&w));
    let foreign = words.iter().any(|w| !own(w));
    match (fits, foreign) {
        (true, false) => 60,
        (true, true) => 10,
        (false, _) => 0,
    }
}

/// Time/event column pairs of a table: `os_months` with `os_event` or `death`,
/// `pfs_months` with `progression` or `pd_or_death`, `pfs.time` with `pfs.status`, or a
/// lone `time` with `status`; for a CDISC ADTTE table (`PARAMCD`, `AVAL`, `CNSR`), one
/// endpoint per parameter. See the module documentation for how pairs are scored.
pub fn endpoints(table: &Table) -> Vec<Endpoint> {
    if let Some(eps) = adtte(table) {
        return eps;
    }
    let is_time = |c: &String| is_time_column(c);
    let times: Vec<&String> = table.columns.iter().filter(|c| is_time(c)).collect();
    let events: Vec<&String> = table
        .columns
        .iter()
        .filter(|c| !is_time(c) && is_event_name(c))
        .collect();
    // Candidates per time column, best first (ties keep the table's order).
    let ranked: Vec<Vec<(u32, &String)>> = times
        .iter()
        .map(|t| {
            let mut c: Vec<(u32, &String)> = events
                .iter()
                .map(|e| (score(t, e), *e))
                .filter(|(s, _)| *s > 0)
                .collect();
            c.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
            c
        })
        .collect();
    // Event columns that one time column claims on strong evidence (≥ 60, unique best).
    let claimed: Vec<Option<&String>> = ranked
        .iter()
        .map(|c| match c.as_slice() {
            [(a, e), (b, _), ..] if *a >= 60 && a > b => Some(*e),
            [(a, e)] if *a >= 60 => Some(*e),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (i, t) in times.iter().enumerate() {
        // Weaker candidates lose the columns other endpoints claimed.
        let own = claimed[i];
        let usable: Vec<(u32, &String)> = ranked[i]
            .iter()
            .copied()
            .filter(|(_, e)| {
                Some(*e) == own
                    || !claimed
                        .iter()
                        .enumerate()
                        .any(|(j, c)| j != i && *c == Some(*e))
            })
            .collect();
        let (event, certain) = match (own, usable.as_slice()) {
            (Some(e), _) => (e, true),
            (None, [(s, e), rest @ ..]) => {
                let tie = rest.first().is_some_and(|(s2, _)| s2 == s);
                // One time column and one generic event column: the ordinary two-column
                // survival table.
                let plain = times.len() == 1 && usable.len() == 1;
                (*e, !tie && (*s >= 60 || plain))
            }
            // Nothing fits by name: the first event column, as a question.
            (None, []) => match events.first() {
                Some(e) => (*e, false),
                None => continue,
            },
        };
        let mut candidates: Vec<String> = usable.iter().map(|(_, e)| (*e).clone()).collect();
        if !candidates.contains(event) {
            candidates.insert(0, event.clone());
        }
        if !certain {
            // The question lists every event column, the likely ones first.
            for e in &events {
                if !candidates.contains(e) {
                    candidates.push((*e).clone());
                }
            }
        }
        out.push(Endpoint {
            name: endpoint_label(t),
            time: (*t).clone(),
            event: event.clone(),
            filter: None,
            certain,
            candidates,
        });
    }
    out
}

/// The short name of a time column's endpoint: "OS" for `os_months` or
/// `overall_survival_months`, the leading word for other two-word names, else "Survival".
fn endpoint_label(time: &str) -> String {
    if let Some(k) = named_kind(time) {
        return KINDS[k].name.to_string();
    }
    let s = stem(time);
    if tokens(time).len() > 1 && !GENERIC_STEMS.contains(&s.as_str()) {
        s.to_ascii_uppercase()
    } else {
        "Survival".to_string()
    }
}

/// A CDISC ADTTE long table (`PARAMCD`, `AVAL`, `CNSR`): one endpoint per parameter.
fn adtte(table: &Table) -> Option<Vec<Endpoint>> {
    let named = |n: &str| {
        table
            .columns
            .iter()
            .find(|c| c.eq_ignore_ascii_case(n))
            .cloned()
    };
    let param = named("PARAMCD").or_else(|| named("PARAM"))?;
    let (aval, cnsr) = (named("AVAL")?, named("CNSR")?);
    let pc = table.column_index(&param)?;
    Some(
        table
            .distinct_first(pc, 20)
            .into_iter()
            .map(|p| Endpoint {
                name: p.clone(),
                time: aval.clone(),
                event: cnsr.clone(),
                filter: Some(RowFilter {
                    column: param.clone(),
                    value: p,
                }),
                certain: true,
                candidates: Vec::new(),
            })
            .collect(),
    )
}

/// The short name of the endpoint a mapping analyses ("OS", "PFS"), from the endpoints
/// found in its table; "survival" when it is none of them.
pub fn endpoint_name(found: &[Endpoint], mapping: &crate::Mapping) -> String {
    found
        .iter()
        .find(|e| e.time == mapping.time && e.filter == mapping.filter)
        .map_or_else(|| "survival".to_string(), |e| e.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(csv: &str) -> Vec<(String, String, String, bool)> {
        let t = match Table::parse(csv) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        endpoints(&t)
            .into_iter()
            .map(|e| (e.name, e.time, e.event, e.certain))
            .collect()
    }

    fn row(n: &str, t: &str, e: &str, c: bool) -> (String, String, String, bool) {
        (n.into(), t.into(), e.into(), c)
    }

    #[test]
    fn regression_pfs_paired_with_death() {
        // Issue 10: PFS was paired with the death column.
        for progression in ["progression", "progressed", "pd_or_death"] {
            let csv = format!("id,arm,os_months,death,pfs_months,{progression}\n1,A,3,1,2,1\n");
            assert_eq!(
                pairs(&csv),
                vec![
                    row("OS", "os_months", "death", true),
                    row("PFS", "pfs_months", progression, true)
                ],
                "{progression}"
            );
        }
    }

    #[test]
    fn same_abbreviation_wins() {
        let csv = "arm,OS_MONTHS,OS_STATUS,PFS_MONTHS,PFS_STATUS\nA,3,1,2,1\n";
        assert_eq!(
            pairs(csv),
            vec![
                row("OS", "OS_MONTHS", "OS_STATUS", true),
                row("PFS", "PFS_MONTHS", "PFS_STATUS", true)
            ]
        );
    }

    #[test]
    fn plain_two_column_table_is_certain() {
        assert_eq!(
            pairs("time,status,trt\n1,1,A\n"),
            vec![row("Survival", "time", "status", true)]
        );
    }

    #[test]
    fn two_times_one_generic_event_asks() {
        let e = pairs("os_months,pfs_months,status\n3,2,1\n");
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|x| !x.3), "{e:?}");
    }

    #[test]
    fn pfs_with_only_a_death_column_asks() {
        let t =
            Table::parse("os_months,pfs_months,death\n3,2,1\n").unwrap_or_else(|e| panic!("{e}"));
        let e = endpoints(&t);
        assert_eq!((e[0].event.as_str(), e[0].certain), ("death", true));
        assert_eq!((e[1].event.as_str(), e[1].certain), ("death", false));
        assert_eq!(e[1].candidates, vec!["death".to_string()]);
    }
}
