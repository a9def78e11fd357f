//! The whole trial in one report: every survival endpoint (OS, PFS, …), the response and
//! the adverse-event table, with one abstract-ready paragraph, a CONSORT-style line of
//! numbers and one methods paragraph naming exactly the analyses reported.
//!
//! The page and the CLI build the same [`Trial`]: [`trial_mappings`] turns the mapping
//! being looked at and the endpoints of the table into one mapping per endpoint, each is
//! analysed with the same options, and the text comes from here.

use crate::analysis::{fmt_level, Analysis};
use crate::report::{
    ae_sentences, export_csv, methods_sentences, response_sentence, results_rows, sentences,
    TextStyle,
};
use crate::response::ResponseAnalysis;
use std::collections::BTreeMap;
use survcalc_io::mapping::{Endpoint, Mapping};
use survcalc_stats::adverse::AeTable;

/// One survival endpoint of the trial, analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialEndpoint<'a> {
    /// The endpoint's short name ("OS", "PFS").
    pub name: String,
    /// Its analysis.
    pub analysis: &'a Analysis,
}

/// Everything a trial report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial<'a> {
    /// The survival endpoints, in the table's order.
    pub endpoints: Vec<TrialEndpoint<'a>>,
    /// The response analysis, if the report has one.
    pub response: Option<&'a ResponseAnalysis>,
    /// The adverse-event table, if the report has one.
    pub ae: Option<&'a AeTable>,
}

/// The endpoint's name spelled out: "Overall survival" for "OS"; other names as they are.
pub fn long_name(short: &str) -> String {
    match short {
        "OS" => "Overall survival",
        "PFS" => "Progression-free survival",
        "DFS" => "Disease-free survival",
        "RFS" => "Relapse-free survival",
        "EFS" => "Event-free survival",
        "TTP" => "Time to progression",
        "DoR" => "Duration of response",
        "MFS" => "Metastasis-free survival",
        "CSS" => "Cancer-specific survival",
        "TTF" => "Time to treatment failure",
        other => other,
    }
    .to_string()
}

/// One mapping per endpoint of the trial: each endpoint found in the table with the
/// current mapping's group, units and labels, and the current mapping itself in the
/// place of its endpoint (or first, when its time column is none of them). The event
/// coding is recognised afresh for every endpoint but the current one.
pub fn trial_mappings(current: &Mapping, found: &[Endpoint]) -> Vec<(String, Mapping)> {
    let is_current = |e: &Endpoint| e.time == current.time && e.filter == current.filter;
    let mut out: Vec<(String, Mapping)> = found
        .iter()
        .map(|e| {
            if is_current(e) && current.dates.is_none() {
                (e.name.clone(), current.clone())
            } else {
                let mut m = current.clone();
                m.time = e.time.clone();
                m.event = e.event.clone();
                m.filter = e.filter.clone();
                m.dates = None;
                m.event_value = None;
                m.censor_value = None;
                (e.name.clone(), m)
            }
        })
        .collect();
    if current.dates.is_some() || !found.iter().any(is_current) {
        let name = match survcalc_io::mapping::endpoint_name(found, current) {
            // Time from dates is none of the table's endpoints.
            _ if current.dates.is_some() => "Survival".to_string(),
            n if n == "survival" => "Survival".to_string(),
            n => n,
        };
        out.insert(0, (name, current.clone()));
    }
    out
}

/// "7 vs 5" for two arms, the compared arm first; "7, 5 and 3" for more.
fn counts_phrase(counts: &[u64]) -> String {
    let mut c: Vec<String> = counts.iter().map(u64::to_string).collect();
    if c.len() == 2 {
        c.reverse();
        return c.join(" vs ");
    }
    crate::report::join_and(&c)
}

/// The paragraph for an abstract's Results: follow-up, each endpoint's medians with the
/// HR and P, the response rate, and the grade 3–4 adverse events in one line.
pub fn abstract_paragraph(t: &Trial, style: TextStyle) -> String {
    let mut out = Vec::new();
    if let Some(first) = t.endpoints.first() {
        let a = first.analysis;
        let n: Vec<String> = a
            .summaries
            .iter()
            .map(|g| format!("{} to {}", g.n, g.group))
            .collect();
        out.push(format!(
            "{} patients were analysed ({}).",
            a.n_used,
            crate::report::join_and(&n)
        ));
        if let Some(m) = a.follow_up.overall.median.estimate {
            let unit = a
                .time_unit
                .map_or(String::new(), |u| format!(" {}", u.name()));
            out.push(format!(
                "Median follow-up was {m:.1}{unit} (reverse Kaplan–Meier)."
            ));
        }
    }
    for e in &t.endpoints {
        if let Some(s) = sentences(e.analysis, &e.name, style).into_iter().next() {
            out.push(s);
        }
    }
    if let Some(r) = t.response {
        out.push(response_sentence(r, style));
    }
    if let Some(ae) = t.ae.filter(|ae| !ae.rows.is_empty()) {
        let grades = ae.options.grades.map_or("Adverse events".to_string(), |g| {
            if g.min == g.max {
                format!("Grade {} adverse events", g.min)
            } else {
                format!("Grade {}\u{2013}{} adverse events", g.min, g.max)
            }
        });
        let arms = if ae.arms.len() == 2 {
            format!(" ({} vs {})", ae.arms[1], ae.arms[0])
        } else {
            String::new()
        };
        let rows: Vec<String> = ae
            .rows
            .iter()
            .filter(|r| r.level == survcalc_stats::adverse::AeLevel::AllGrades)
            .map(|r| format!("{} {}", lower_first(&r.term), counts_phrase(&r.counts)))
            .collect();
        out.push(format!("{grades}{arms}: {}.", rows.join("; ")));
    }
    out.join(" ")
}

/// An AE row's name: the term, or "Diarrhoea, grade 3" for a row by worst grade.
pub fn ae_row_name(row: &survcalc_stats::adverse::AeRow) -> String {
    use survcalc_stats::adverse::AeLevel;
    match row.level {
        AeLevel::AllGrades => row.term.clone(),
        AeLevel::Grade(g) => format!("{}, grade {g}", row.term),
        AeLevel::GradeNotRecorded => format!("{}, grade not recorded", row.term),
    }
}

/// "Hand–foot syndrome" → "hand–foot syndrome", "ALT increased" unchanged.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), s.chars().nth(1)) {
        (Some(f), Some(n)) if n.is_lowercase() => f.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

/// The CONSORT-style line of numbers: patients in the table (per arm), and for each
/// endpoint how many were analysed and why the others were excluded.
pub fn consort_line(t: &Trial) -> String {
    let Some(first) = t.endpoints.first() else {
        return String::new();
    };
    let a = first.analysis;
    let randomised = a.n_rows;
    let mut parts = vec![format!("Patients in the data: {randomised}")];
    for e in &t.endpoints {
        let a = e.analysis;
        let excluded = a.excluded.len();
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for x in &a.excluded {
            *reasons.entry(x.reason.as_str()).or_default() += 1;
        }
        let why: Vec<String> = reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        let per_arm: Vec<String> = a
            .summaries
            .iter()
            .map(|g| format!("{} {}", g.group, g.n))
            .collect();
        parts.push(if excluded == 0 {
            format!(
                "analysed for {}: {} ({})",
                e.name,
                a.n_used,
                per_arm.join(", ")
            )
        } else {
            format!(
                "analysed for {}: {} ({}); excluded {excluded} ({})",
                e.name,
                a.n_used,
                per_arm.join(", "),
                why.join("; ")
            )
        });
    }
    format!("{}.", parts.join("; "))
}

/// The statistical-methods paragraph of the whole report: the survival methods (shared
/// by every endpoint), then the response and adverse-event methods when they are shown.
pub fn trial_methods(t: &Trial) -> String {
    let mut s = Vec::new();
    if !t.endpoints.is_empty() {
        let names: Vec<String> = t.endpoints.iter().map(|e| long_name(&e.name)).collect();
        if t.endpoints.len() > 1 {
            s.push(format!(
                "{} were analysed as time-to-event endpoints.",
                crate::report::join_and(&names)
            ));
        }
        // Sentences every endpoint shares once; one that only some endpoints have (RMST
        // up to a τ of each endpoint's own) with the endpoint it belongs to.
        let each: Vec<Vec<String>> = t
            .endpoints
            .iter()
            .map(|e| methods_sentences(e.analysis))
            .collect();
        let mut shared: Vec<String> = Vec::new();
        let mut own: Vec<String> = Vec::new();
        for (k, sentences) in each.iter().enumerate() {
            for x in sentences {
                if each.iter().all(|o| o.contains(x)) {
                    if !shared.contains(x) {
                        shared.push(x.clone());
                    }
                } else {
                    own.push(format!("For {}, {}", t.endpoints[k].name, lower_first(x)));
                }
            }
        }
        // The closing sentence (two-sided P, the software) stays last.
        let last = shared.pop();
        s.extend(shared);
        s.extend(own);
        s.extend(last);
    }
    if let Some(r) = t.response {
        let level = r.arms.first().map_or("95".to_string(), |a| {
            fmt_level(a.proportion.clopper_pearson.level)
        });
        s.push(format!(
            "Response rates are given with exact (Clopper–Pearson) {level}% confidence intervals and were compared between arms with Fisher's exact test."
        ));
    }
    if let Some(ae) = t.ae {
        let grades = ae.options.grades.map_or("any grade".to_string(), |g| {
            format!("grade {}\u{2013}{}", g.min, g.max)
        });
        s.push(format!(
            "Adverse events ({grades}, each patient counted once per event at the worst grade) were compared between arms with Fisher's exact test."
        ));
    }
    s.join(" ")
}

/// Every sentence of the report: each endpoint's, then response and adverse events.
pub fn trial_sentences(t: &Trial, style: TextStyle) -> Vec<String> {
    let mut out: Vec<String> = t
        .endpoints
        .iter()
        .flat_map(|e| sentences(e.analysis, &e.name, style))
        .collect();
    if let Some(r) = t.response {
        out.push(response_sentence(r, style));
    }
    if let Some(ae) = t.ae {
        out.extend(ae_sentences(ae, style));
    }
    out
}

/// The results of every endpoint in long form ([`crate::report::results_csv`] with the endpoint's name
/// in a first column), full precision.
pub fn trial_results_csv(t: &Trial) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for e in &t.endpoints {
        let mut r = results_rows(e.analysis).into_iter();
        let header = r.next();
        if rows.is_empty() {
            if let Some(mut h) = header {
                h.insert(0, "endpoint".into());
                rows.push(h);
            }
        }
        rows.extend(r.map(|mut row| {
            row.insert(0, e.name.clone());
            row
        }));
    }
    if rows.is_empty() {
        rows.push(
            [
                "endpoint",
                "quantity",
                "group",
                "estimate",
                "lower",
                "upper",
                "conf_level",
                "p_value",
                "method",
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    let full = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    if let Some(r) = t.response {
        for a in &r.arms {
            let p = &a.proportion;
            let ci = &p.clopper_pearson;
            rows.push(vec![
                "response".into(),
                format!("{} rate", r.outcome),
                a.group.clone(),
                full(Some(p.estimate)),
                full(Some(ci.lower)),
                full(Some(ci.upper)),
                full(Some(ci.level)),
                String::new(),
                "proportion, exact (Clopper–Pearson) interval".into(),
            ]);
        }
        for (c, g) in r.comparisons.iter().zip(r.groups.iter().skip(1)) {
            rows.push(vec![
                "response".into(),
                "Fisher exact test".into(),
                g.clone(),
                full(Some(c.fisher.estimate)),
                full(Some(c.fisher.conf_int.lower)),
                full(Some(c.fisher.conf_int.upper)),
                full(Some(c.fisher.conf_int.level)),
                full(Some(c.fisher.p_value)),
                "conditional MLE odds ratio with exact interval (R fisher.test)".into(),
            ]);
        }
    }
    if let Some(ae) = t.ae {
        for row in &ae.rows {
            let quantity = ae_row_name(row);
            for (i, arm) in ae.arms.iter().enumerate() {
                rows.push(vec![
                    "adverse events".into(),
                    quantity.clone(),
                    arm.clone(),
                    full(row.percent.get(i).map(|p| p / 100.0)),
                    String::new(),
                    String::new(),
                    String::new(),
                    if i == 0 {
                        String::new()
                    } else {
                        full(row.p_value)
                    },
                    ae.method.clone(),
                ]);
            }
        }
    }
    export_csv(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{ae_from_columns, analyze_response, ResponseMapping};
    use crate::{analyze, AnalysisOptions};
    use survcalc_io::mapping::{endpoints, guess};
    use survcalc_io::Table;
    use survcalc_stats::adverse::{AeOptions, GradeRange};
    use survcalc_stats::binary::BinaryOptions;

    #[test]
    fn the_example_trial_in_one_paragraph() {
        let table = match Table::parse(&crate::example::example_csv()) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let m = guess(&table);
        let maps = trial_mappings(&m, &endpoints(&table));
        let names: Vec<&str> = maps.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["OS", "PFS"]);
        assert_eq!(maps[0].1, m, "the current mapping stands in its place");
        assert_eq!(
            (maps[1].1.time.as_str(), maps[1].1.event.as_str()),
            ("pfs_months", "pfs_event")
        );
        let options = AnalysisOptions::default();
        let analyses: Vec<Analysis> = maps
            .iter()
            .filter_map(|(_, m)| analyze(&table, m, &options).ok())
            .collect();
        assert_eq!(analyses.len(), 2);
        let response = analyze_response(
            &table,
            &ResponseMapping {
                outcome: "response".into(),
                group: "arm".into(),
                success: Vec::new(),
                reference: None,
            },
            &BinaryOptions::default(),
        )
        .ok();
        let ae = ae_from_columns(
            &table,
            "arm",
            &["ae_diarrhoea".into(), "ae_hand_foot".into()],
            &AeOptions {
                grades: Some(GradeRange { min: 3, max: 4 }),
                ..AeOptions::default()
            },
        )
        .ok();
        let t = Trial {
            endpoints: maps
                .iter()
                .zip(&analyses)
                .map(|((name, _), a)| TrialEndpoint {
                    name: name.clone(),
                    analysis: a,
                })
                .collect(),
            response: response.as_ref(),
            ae: ae.as_ref(),
        };
        let p = abstract_paragraph(&t, TextStyle::default());
        assert!(p.starts_with("64 patients were analysed (32 to Sorafenib and 32 to Sorafenib+HAIC). Median follow-up was "), "{p}");
        assert!(
            p.contains(" months (reverse Kaplan–Meier). The median OS was "),
            "{p}"
        );
        assert!(p.contains("The median PFS was "), "{p}");
        assert!(p.contains("The response rate was "), "{p}");
        assert!(
            p.contains("Grade 3–4 adverse events (Sorafenib+HAIC vs Sorafenib): "),
            "{p}"
        );
        let methods = trial_methods(&t);
        assert!(methods.starts_with(
            "Overall survival and Progression-free survival were analysed as time-to-event endpoints."
        ));
        assert!(methods.contains("Clopper–Pearson") && methods.contains("worst grade"));
        let consort = consort_line(&t);
        assert_eq!(
            consort,
            "Patients in the data: 64; analysed for OS: 64 (Sorafenib 32, Sorafenib+HAIC 32); analysed for PFS: 64 (Sorafenib 32, Sorafenib+HAIC 32)."
        );
        let csv = trial_results_csv(&t);
        let first: Vec<&str> = csv.lines().filter_map(|l| l.split(',').next()).collect();
        assert_eq!(first[0], "endpoint");
        for e in ["OS", "PFS", "response", "adverse events"] {
            assert!(first.contains(&e), "{e}");
        }
    }

    #[test]
    fn a_mapping_from_dates_comes_first() {
        let table = match Table::parse("arm,start,end,dead,os_months,death\nA,2020-01-01,2020-07-01,1,5,1\nB,2020-01-01,2020-09-01,0,7,0\n") {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let mut m = guess(&table);
        m.dates = Some(survcalc_io::DateSpan {
            start: "start".into(),
            end: "end".into(),
            order: survcalc_io::DateOrder::Auto,
        });
        let maps = trial_mappings(&m, &endpoints(&table));
        assert_eq!(maps.len(), 2);
        assert!(maps[0].1.dates.is_some() && maps[1].1.dates.is_none());
        assert_eq!(maps[1].0, "OS");
    }
}
