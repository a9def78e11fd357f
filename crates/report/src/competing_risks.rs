//! From a table to a competing-risks analysis (issue 16, first slice): an event column
//! with a code per cause of failure, the cumulative incidence of every cause in every arm
//! (cmprsk's estimate and variance) and Gray's test of each cause between arms. Every row
//! that cannot be used is listed, as for survival endpoints.

use crate::response::column;
use survcalc_io::error::MappingError;
use survcalc_io::mapping::Exclusion;
use survcalc_io::table::{is_missing, parse_number, Table};
use survcalc_stats::competing::{
    cumulative_incidence, gray_test, CifCurve, CompetingData, GrayTest,
};

/// Which columns hold the time, the cause of failure and the arm.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CompetingMapping {
    /// Follow-up time (a number ≥ 0).
    pub time: String,
    /// The event: the censoring value, or a cause — whole numbers 1, 2, … (R cmprsk's
    /// `fstatus`), or words ("progression", "death"), numbered in sorted order.
    pub event: String,
    /// The arm; `None` analyses everyone as one group (no test).
    pub group: Option<String>,
    /// The value meaning censored (R `cencode`); `None`: 0, or "censored"/"alive".
    pub censor_value: Option<String>,
    /// A stratum column for Gray's test (R `cuminc(strata = )`).
    pub strata: Option<String>,
}

/// Options of the analysis. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CompetingOptions {
    /// The weight's power in Gray's test (R `cuminc(rho = 0)`).
    pub rho: f64,
}

impl Default for CompetingOptions {
    fn default() -> Self {
        CompetingOptions { rho: 0.0 }
    }
}

/// One cause: its code and its name in the data.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Cause {
    /// The code (1, 2, …).
    pub code: u32,
    /// The value in the event column.
    pub label: String,
}

/// The analysis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CompetingAnalysis {
    /// Data rows in the table.
    pub n_rows: usize,
    /// Rows analysed.
    pub n_used: usize,
    /// Rows left out, each with line, column, value and reason.
    pub excluded: Vec<Exclusion>,
    /// The arms, in sorted order (as cmprsk's factor).
    pub groups: Vec<String>,
    /// The causes found.
    pub causes: Vec<Cause>,
    /// The cumulative incidence of each cause in each arm, cause by cause.
    pub curves: Vec<CifCurve>,
    /// Gray's test of each cause (two or more arms).
    pub tests: Vec<GrayTest>,
    /// Each arm's Kaplan–Meier curve of failure from any cause: its numbers at risk,
    /// events and censorings are the figure's table and censor marks.
    pub any_event: Vec<survcalc_stats::KmCurve>,
    /// How the numbers were made, for a methods section.
    pub method: String,
}

/// The cumulative incidence of every cause by arm, and Gray's test of each.
///
/// # Errors
/// [`MappingError::UnknownColumn`] for a column not in the table,
/// [`MappingError::NoValidRows`] when no row can be used.
pub fn analyze_competing(
    table: &Table,
    mapping: &CompetingMapping,
    options: &CompetingOptions,
) -> Result<CompetingAnalysis, MappingError> {
    let tc = column(table, "time", &mapping.time)?;
    let ec = column(table, "event", &mapping.event)?;
    let gc = match &mapping.group {
        Some(g) => Some(column(table, "group", g)?),
        None => None,
    };
    let sc = match &mapping.strata {
        Some(s) => Some(column(table, "strata", s)?),
        None => None,
    };
    let is_censor = |v: &str| match &mapping.censor_value {
        Some(c) => v.trim() == c.trim(),
        None => {
            let v = v.trim().to_lowercase();
            v == "0" || v == "censored" || v == "alive" || v == "censor"
        }
    };
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    for r in 0..table.n_rows() {
        let line = table.lines.get(r).copied().unwrap_or(0);
        let exclude = |col: &str, v: &str, reason: &str| Exclusion {
            line,
            column: col.to_string(),
            value: v.chars().take(100).collect(),
            reason: reason.to_string(),
        };
        let (tv, ev) = (table.cell(r, tc), table.cell(r, ec));
        let gv = gc.map_or("All", |c| table.cell(r, c));
        let sv = sc.map_or("", |c| table.cell(r, c));
        let t = parse_number(tv, table.decimal_comma).filter(|t| t.is_finite() && *t >= 0.0);
        let problem = if is_missing(tv) {
            Some(exclude(&mapping.time, tv, "missing time"))
        } else if t.is_none() {
            Some(exclude(&mapping.time, tv, "the time must be a number ≥ 0"))
        } else if is_missing(ev) {
            Some(exclude(
                &mapping.event,
                ev,
                "missing event: code it as censored or as a cause",
            ))
        } else if is_missing(gv) {
            Some(exclude(
                mapping.group.as_deref().unwrap_or_default(),
                gv,
                "missing group: fill in the arm or leave the row out",
            ))
        } else if sc.is_some() && is_missing(sv) {
            Some(exclude(
                mapping.strata.as_deref().unwrap_or_default(),
                sv,
                "missing stratum",
            ))
        } else {
            None
        };
        match (problem, t) {
            (Some(p), _) => excluded.push(p),
            (None, Some(t)) => {
                rows.push((t, ev.trim().to_string(), gv.to_string(), sv.to_string()))
            }
            (None, None) => {}
        }
    }
    if rows.is_empty() {
        return Err(MappingError::NoValidRows {
            rows: table.n_rows(),
            first: excluded.into_iter().take(5).collect(),
        });
    }
    // Causes: whole numbers ≥ 1 as they are; otherwise the words, numbered in sorted order.
    let mut labels: Vec<String> = rows
        .iter()
        .filter(|r| !is_censor(&r.1))
        .map(|r| r.1.clone())
        .collect();
    labels.sort();
    labels.dedup();
    let numeric = labels
        .iter()
        .all(|l| l.parse::<u32>().is_ok_and(|c| c >= 1));
    let mut causes: Vec<Cause> = labels
        .iter()
        .enumerate()
        .map(|(k, l)| Cause {
            code: if numeric {
                l.parse().unwrap_or(0)
            } else {
                k as u32 + 1
            },
            label: l.clone(),
        })
        .collect();
    causes.sort_by_key(|c| c.code);
    let code_of = |v: &str| {
        if is_censor(v) {
            0
        } else {
            causes.iter().find(|c| c.label == v).map_or(0, |c| c.code)
        }
    };
    let mut groups: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
    groups.sort();
    groups.dedup();
    let mut strata_levels: Vec<String> = rows.iter().map(|r| r.3.clone()).collect();
    strata_levels.sort();
    strata_levels.dedup();
    // Each row's arm and cause, found once for the data and the any-cause curves.
    let group_of: Vec<usize> = rows
        .iter()
        .map(|r| groups.binary_search(&r.2).unwrap_or(0))
        .collect();
    let codes: Vec<u32> = rows.iter().map(|r| code_of(&r.1)).collect();
    let times: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let data = CompetingData::new(
        times.clone(),
        codes.clone(),
        group_of.clone(),
        groups.clone(),
    )
    .map_err(|_| MappingError::NoValidRows {
        rows: table.n_rows(),
        first: Vec::new(),
    })?;
    let data = if sc.is_some() {
        data.with_strata(
            rows.iter()
                .map(|r| strata_levels.binary_search(&r.3).unwrap_or(0))
                .collect(),
        )
        .map_err(|_| MappingError::NoValidRows {
            rows: table.n_rows(),
            first: Vec::new(),
        })?
    } else {
        data
    };
    let curves = causes
        .iter()
        .flat_map(|c| cumulative_incidence(&data, c.code))
        .collect();
    let tests = if groups.len() >= 2 {
        causes
            .iter()
            .map(|c| gray_test(&data, c.code, options.rho))
            .collect()
    } else {
        Vec::new()
    };
    let method = format!(
        "Cumulative incidence of each cause by the Aalen–Johansen estimator with the variance of Gray's cmprsk::cuminc; groups compared with Gray's test (ρ = {}){}.",
        options.rho,
        if sc.is_some() { ", stratified" } else { "" }
    );
    let any_event = survcalc_stats::SurvData::new(
        times,
        codes.iter().map(|&c| c > 0).collect(),
        group_of,
        groups.clone(),
    )
    .map(|d| survcalc_stats::kaplan_meier(&d, &survcalc_stats::KmOptions::default()))
    .unwrap_or_default();
    Ok(CompetingAnalysis {
        any_event,
        n_rows: table.n_rows(),
        n_used: rows.len(),
        excluded,
        groups,
        causes,
        curves,
        tests,
        method,
    })
}
