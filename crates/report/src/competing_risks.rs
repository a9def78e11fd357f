//! From a table to a competing-risks analysis (issue 16): an event column with a code per
//! cause of failure, the cumulative incidence of every cause in every arm (cmprsk's
//! estimate and variance) with its value at landmark times, Gray's test of each cause
//! between arms, and each cause's Fine–Gray subdistribution hazard ratio (R `crr`) beside
//! its cause-specific Cox hazard ratio (R `coxph`). Every row that cannot be used is
//! listed, as for survival endpoints.

use crate::error::OptionError;
use crate::report::TextStyle;
use crate::response::column;
use survcalc_io::error::MappingError;
use survcalc_io::mapping::Exclusion;
use survcalc_io::table::{is_missing, parse_number, Table};
use survcalc_stats::competing::{
    cumulative_incidence, gray_test, ij_variance, log_log_interval, CifCurve, CompetingData,
    FineGrayFit, FineGrayOptions, GrayTest,
};
use survcalc_stats::cox::CoxTerm;

/// Which columns hold the time, the cause of failure and the arm.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// Names of the event values, as (value, name): `("1", "progression")`. When given,
    /// every value of the event column must be the censoring value or one of these (a row
    /// with another value is listed as excluded, never guessed at); the names label the
    /// causes everywhere. Empty: the values are their own names.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cause_names: Vec<(String, String)>,
}

/// Options of the analysis. Defaults are R's.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct CompetingOptions {
    /// The weight's power in Gray's test (R `cuminc(rho = 0)`).
    pub rho: f64,
    /// The cause of interest, by code, value or name (R `crr(failcode = )`): it comes
    /// first in the causes, the tables and the sentences. `None`: the lowest code.
    pub cause: Option<String>,
    /// Times at which the cumulative incidence is reported with its interval and the
    /// numbers at risk (R `timepoints(fit, times)`); empty picks round times that every
    /// arm's follow-up reaches, at most four.
    pub times: Vec<f64>,
    /// Level of the intervals (R `summary(crr, conf.int = 0.95)`).
    pub conf_level: f64,
}

impl Default for CompetingOptions {
    fn default() -> Self {
        CompetingOptions {
            rho: 0.0,
            cause: None,
            times: Vec::new(),
            conf_level: 0.95,
        }
    }
}

/// The cumulative incidence of one cause in one arm at a landmark time.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CifAt {
    /// The cause's code.
    pub cause: u32,
    /// The arm.
    pub group: String,
    /// The time.
    pub time: f64,
    /// F(t) (R `timepoints(fit, times)$est`); `None` after the arm's last follow-up.
    pub estimate: Option<f64>,
    /// Its variance (cmprsk's, R `timepoints(...)$var`); the interval uses it.
    pub variance: Option<f64>,
    /// The infinitesimal-jackknife variance of R `survfit`'s multi-state Aalen–Johansen
    /// estimate (`summary(survfit(Surv(time, factor(status)) ~ arm), times)$std.err²`),
    /// given beside cmprsk's ([`ij_variance`]).
    pub variance_ij: Option<f64>,
    /// The interval on the log(−log) scale ([`log_log_interval`]).
    pub lower: Option<f64>,
    /// Its upper limit.
    pub upper: Option<f64>,
    /// Patients of the arm still followed at the time (time ≥ t).
    pub n_risk: usize,
}

/// One cause's two hazard-ratio models of the arm.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CauseModels {
    /// The cause's code.
    pub cause: u32,
    /// The Fine–Gray model (R `crr(time, status, cov1 = arm contrasts, failcode =
    /// cause)`); `None` when it is not estimable (see `fine_gray_note`).
    pub fine_gray: Option<FineGrayFit>,
    /// Why the Fine–Gray model is not shown: an arm without failures from the cause (its
    /// estimate diverges), iterations that did not converge, a singular information.
    pub fine_gray_note: Option<String>,
    /// The cause-specific Cox model (R `coxph(Surv(time, status == cause) ~ arm)`, Efron
    /// ties): the other causes counted as censored. Empty when not estimable.
    pub cause_specific: Vec<CoxTerm>,
    /// Why the cause-specific model is not shown.
    pub cause_specific_note: Option<String>,
}

/// Why a competing-risks analysis cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub enum CompetingError {
    /// The columns do not fit the table.
    Mapping(MappingError),
    /// An option cannot be used.
    Option(OptionError),
}

impl std::fmt::Display for CompetingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompetingError::Mapping(e) => e.fmt(f),
            CompetingError::Option(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CompetingError {}

impl From<MappingError> for CompetingError {
    fn from(e: MappingError) -> Self {
        CompetingError::Mapping(e)
    }
}

/// One cause: its code and its name in the data.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Cause {
    /// The code (1, 2, …).
    pub code: u32,
    /// The value in the event column.
    pub label: String,
}

/// The analysis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CompetingAnalysis {
    /// Data rows in the table.
    pub n_rows: usize,
    /// Rows analysed.
    pub n_used: usize,
    /// Rows left out, each with line, column, value and reason.
    pub excluded: Vec<Exclusion>,
    /// The arms, in sorted order (as cmprsk's factor).
    pub groups: Vec<String>,
    /// The causes found, the cause of interest first, then by code.
    pub causes: Vec<Cause>,
    /// The cumulative incidence of each cause in each arm, cause by cause.
    pub curves: Vec<CifCurve>,
    /// Gray's test of each cause (two or more arms).
    pub tests: Vec<GrayTest>,
    /// The cumulative incidence at the landmark times: cause by cause, then arm by arm,
    /// then time by time.
    pub landmarks: Vec<CifAt>,
    /// Each cause's Fine–Gray and cause-specific Cox models of the arm (two or more arms).
    pub models: Vec<CauseModels>,
    /// The level of the intervals.
    pub conf_level: f64,
    /// Each arm's Kaplan–Meier curve of failure from any cause: its numbers at risk,
    /// events and censorings are the figure's table and censor marks.
    pub any_event: Vec<survcalc_stats::KmCurve>,
    /// How the numbers were made, for a methods section.
    pub method: String,
}

fn option_error(option: &str, value: String, rule: &str) -> CompetingError {
    CompetingError::Option(OptionError {
        option: option.to_string(),
        value,
        rule: rule.to_string(),
    })
}

fn check_options(o: &CompetingOptions) -> Result<(), CompetingError> {
    if !(o.rho.is_finite() && o.rho >= 0.0) {
        return Err(option_error(
            "competing.rho",
            o.rho.to_string(),
            "a number of 0 or more (0 is Gray's default)",
        ));
    }
    if !(o.conf_level > 0.0 && o.conf_level < 1.0) {
        return Err(option_error(
            "competing.conf_level",
            o.conf_level.to_string(),
            "a number between 0 and 1 (exclusive), such as 0.95",
        ));
    }
    if let Some(t) = o.times.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
        return Err(option_error(
            "competing.times",
            t.to_string(),
            "times of 0 or more, such as 12, 24",
        ));
    }
    Ok(())
}

/// The cumulative incidence of every cause by arm, at landmark times, Gray's test of
/// each, and each cause's Fine–Gray and cause-specific Cox hazard ratios.
///
/// # Errors
/// [`CompetingError::Mapping`] for a column not in the table
/// ([`MappingError::UnknownColumn`]) or no usable row ([`MappingError::NoValidRows`]);
/// [`CompetingError::Option`] for an option out of range or a cause of interest that is
/// not in the data.
pub fn analyze_competing(
    table: &Table,
    mapping: &CompetingMapping,
    options: &CompetingOptions,
) -> Result<CompetingAnalysis, CompetingError> {
    check_options(options)?;
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
    let named = |v: &str| {
        mapping
            .cause_names
            .iter()
            .find(|(value, _)| value.trim() == v)
            .map(|(_, name)| name.trim().to_string())
    };
    let known_values = || {
        mapping
            .cause_names
            .iter()
            .map(|(v, n)| format!("{}={}", v.trim(), n.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    for r in 0..table.n_rows() {
        let line = table.lines.get(r).unwrap_or(0);
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
        } else if !mapping.cause_names.is_empty() && !is_censor(ev) && named(ev.trim()).is_none() {
            Some(exclude(
                &mapping.event,
                ev,
                &format!(
                    "not the censoring value nor one of the event codes ({}): correct the value or add it to the codes",
                    known_values()
                ),
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
        }
        .into());
    }
    // Causes: whole numbers ≥ 1 as they are; otherwise the words, numbered in sorted order.
    let mut values: Vec<String> = rows
        .iter()
        .filter(|r| !is_censor(&r.1))
        .map(|r| r.1.clone())
        .collect();
    values.sort();
    values.dedup();
    let numeric = values
        .iter()
        .all(|l| l.parse::<u32>().is_ok_and(|c| c >= 1));
    let mut causes: Vec<(Cause, String)> = values
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let code = if numeric {
                v.parse().unwrap_or(0)
            } else {
                k as u32 + 1
            };
            let label = named(v).unwrap_or_else(|| v.clone());
            (Cause { code, label }, v.clone())
        })
        .collect();
    causes.sort_by_key(|c| c.0.code);
    if let Some(want) = &options.cause {
        let w = want.trim();
        let k = causes
            .iter()
            .position(|(c, v)| c.code.to_string() == w || v == w || c.label.eq_ignore_ascii_case(w))
            .ok_or_else(|| {
                option_error(
                    "competing.cause",
                    w.to_string(),
                    &format!(
                        "one of the causes in the data: {}",
                        causes
                            .iter()
                            .map(|(c, v)| if &c.label == v {
                                v.clone()
                            } else {
                                format!("{v} ({})", c.label)
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        let first = causes.remove(k);
        causes.insert(0, first);
    }
    let code_of = |v: &str| {
        if is_censor(v) {
            0
        } else {
            causes.iter().find(|c| c.1 == v).map_or(0, |c| c.0.code)
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
    let causes: Vec<Cause> = causes.into_iter().map(|c| c.0).collect();
    let invalid = |_| MappingError::NoValidRows {
        rows: table.n_rows(),
        first: Vec::new(),
    };
    let data = CompetingData::new(
        times.clone(),
        codes.clone(),
        group_of.clone(),
        groups.clone(),
    )
    .map_err(invalid)?;
    let data = if sc.is_some() {
        data.with_strata(
            rows.iter()
                .map(|r| strata_levels.binary_search(&r.3).unwrap_or(0))
                .collect(),
        )
        .map_err(invalid)?
    } else {
        data
    };
    let curves: Vec<CifCurve> = causes
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
    let landmark_times = if options.times.is_empty() {
        // Round times that every arm still reaches (its last follow-up after them).
        let mut last = vec![0.0f64; groups.len()];
        for (&t, &g) in times.iter().zip(&group_of) {
            last[g] = last[g].max(t);
        }
        let max = times.iter().copied().fold(0.0, f64::max);
        let reach = last.iter().copied().fold(f64::INFINITY, f64::min);
        let mut t: Vec<f64> = crate::ticks::nice_times(max)
            .into_iter()
            .filter(|&t| t > 0.0 && t < reach)
            .collect();
        // At most four, spread over the follow-up.
        while t.len() > 4 {
            t = t.into_iter().step_by(2).collect();
        }
        t
    } else {
        options.times.clone()
    };
    let mut sorted_by_group: Vec<Vec<f64>> = vec![Vec::new(); groups.len()];
    for (&t, &g) in times.iter().zip(&group_of) {
        sorted_by_group[g].push(t);
    }
    for v in &mut sorted_by_group {
        v.sort_by(f64::total_cmp);
    }
    let data_ref = &data;
    let landmarks = curves
        .iter()
        .flat_map(|c| {
            let g = groups.binary_search(&c.group).unwrap_or(0);
            let followed = &sorted_by_group[g];
            landmark_times.iter().map(move |&t| {
                let at = c.at(t);
                let ci = at.and_then(|(f, v)| log_log_interval(f, v, options.conf_level));
                CifAt {
                    cause: c.cause,
                    group: c.group.clone(),
                    time: t,
                    estimate: at.map(|a| a.0),
                    variance: at.map(|a| a.1),
                    variance_ij: ij_variance(data_ref, c.cause, g, t),
                    lower: ci.map(|c| c.0),
                    upper: ci.map(|c| c.1),
                    n_risk: followed.len() - followed.partition_point(|&x| x < t),
                }
            })
        })
        .collect();
    let models = if groups.len() >= 2 {
        causes
            .iter()
            .map(|c| cause_models(&data, c, options.conf_level))
            .collect()
    } else {
        Vec::new()
    };
    let method = format!(
        "Cumulative incidence of each cause by the Aalen–Johansen estimator with the variance of Gray's cmprsk::cuminc and pointwise {}% intervals on the log(−log) scale (the infinitesimal-jackknife standard error of survival::survfit is given beside it); groups compared with Gray's test (ρ = {}){}.{}",
        crate::analysis::fmt_level(options.conf_level),
        options.rho,
        if sc.is_some() { ", stratified" } else { "" },
        if groups.len() >= 2 {
            " Subdistribution hazard ratios from the Fine–Gray model (cmprsk::crr; Breslow ties, sandwich variance) are given beside cause-specific hazard ratios from Cox models in which the other causes count as censored (survival::coxph, Efron ties). The cause-specific ratio compares the rate of the cause among patients still free of every cause; the subdistribution ratio compares the cumulative incidence itself, keeping patients who failed from another cause in the risk set, so the two can differ even in direction."
        } else {
            ""
        }
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
        landmarks,
        models,
        conf_level: options.conf_level,
        method,
    })
}

/// The Fine–Gray and cause-specific Cox models of one cause on the arm, each marked "not
/// estimable" (with the reason) rather than shown with a diverging number.
fn cause_models(data: &CompetingData, cause: &Cause, conf_level: f64) -> CauseModels {
    let levels = data.levels();
    let mut events = vec![0usize; levels.len()];
    for (&c, &g) in data.cause().iter().zip(data.group()) {
        if c == cause.code {
            events[g] += 1;
        }
    }
    let empty: Vec<&str> = levels
        .iter()
        .zip(&events)
        .filter(|(_, &e)| e == 0)
        .map(|(l, _)| l.as_str())
        .collect();
    let no_events = (!empty.is_empty()).then(|| {
        format!(
            "not estimable: no {} in {}, so its hazard ratio has no finite estimate",
            cause.label,
            empty.join(" and ")
        )
    });
    let options = FineGrayOptions {
        conf_level,
        ..FineGrayOptions::default()
    };
    let (fine_gray, fine_gray_note) = match &no_events {
        Some(n) => (None, Some(n.clone())),
        None => match data.fine_gray_by_group(cause.code, &options) {
            Ok(f) if f.converged => (Some(f), None),
            Ok(f) => (
                None,
                Some(format!(
                    "not estimable: the Fine–Gray iterations did not converge in {} steps",
                    f.iterations
                )),
            ),
            Err(e) => (None, Some(format!("not estimable: {e}"))),
        },
    };
    let (cause_specific, cause_specific_note) = match &no_events {
        Some(n) => (Vec::new(), Some(n.clone())),
        None => {
            let d = survcalc_stats::SurvData::new(
                data.time().to_vec(),
                data.cause().iter().map(|&c| c == cause.code).collect(),
                data.group().to_vec(),
                levels.to_vec(),
            );
            let cox = survcalc_stats::CoxOptions {
                conf_level,
                ..survcalc_stats::CoxOptions::default()
            };
            match d.map(|d| survcalc_stats::cox_fit(&d, &cox)) {
                Ok(f) if f.is_reliable() => (f.terms, None),
                Ok(_) => (
                    Vec::new(),
                    Some(
                        "not estimable: the Cox model did not converge to a finite estimate".into(),
                    ),
                ),
                Err(e) => (Vec::new(), Some(format!("not estimable: {e}"))),
            }
        }
    };
    CauseModels {
        cause: cause.code,
        fine_gray,
        fine_gray_note,
        cause_specific,
        cause_specific_note,
    }
}

/// A cause's label in a sentence: "progression", "cause 2".
fn cause_words(a: &CompetingAnalysis, code: u32) -> String {
    a.causes.iter().find(|c| c.code == code).map_or_else(
        || format!("cause {code}"),
        |c| {
            if c.label.parse::<u32>().is_ok() {
                format!("cause {}", c.label)
            } else {
                c.label.clone()
            }
        },
    )
}

/// Journal-style sentences, one per cause: the cumulative incidence at the last landmark
/// time every arm reaches (with 10 patients still at risk in each, when one has) in each
/// arm with its interval, Gray's P, and the Fine–Gray subdistribution hazard
/// ratio with its interval (two arms), e.g. "The 24-month cumulative incidence of
/// progression was 31.0% (95% CI: 22.1, 40.4) with B and 18.2% (…) with A (Gray's test
/// P = .04; subdistribution HR 1.71, 95% CI: 1.02, 2.86, Fine–Gray)." `unit` follows the
/// time ("-month"); empty for none.
pub fn competing_sentences(a: &CompetingAnalysis, unit: &str, style: TextStyle) -> Vec<String> {
    let level = crate::analysis::fmt_level(a.conf_level);
    let mut order: Vec<usize> = (0..a.groups.len()).collect();
    if order.len() == 2 {
        order.reverse();
    }
    a.causes
        .iter()
        .map(|cause| {
            let at: Vec<&CifAt> = a
                .landmarks
                .iter()
                .filter(|l| l.cause == cause.code)
                .collect();
            // The last landmark every arm still reaches, preferring one where each arm
            // still has 10 patients at risk (an estimate a paper can stand on).
            let last = |min_risk: usize| {
                at.iter()
                    .filter(|l| {
                        at.iter()
                            .filter(|m| m.time == l.time)
                            .all(|m| m.estimate.is_some() && m.n_risk >= min_risk)
                    })
                    .map(|l| l.time)
                    .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))))
            };
            let t = last(10).or_else(|| last(0));
            let what = cause_words(a, cause.code);
            let mut s = match t {
                Some(t) => {
                    let parts: Vec<String> = order
                        .iter()
                        .filter_map(|&g| {
                            let l = at.iter().find(|l| l.time == t && l.group == a.groups[g])?;
                            let e = l.estimate?;
                            let ci = match (l.lower, l.upper) {
                                (Some(lo), Some(hi)) => format!(
                                    " ({})",
                                    style.ci.interval(
                                        &level,
                                        &format!("{:.1}", 100.0 * lo),
                                        &format!("{:.1}", 100.0 * hi)
                                    )
                                ),
                                _ => String::new(),
                            };
                            Some(if a.groups.len() > 1 {
                                format!("{:.1}%{ci} with {}", 100.0 * e, a.groups[g])
                            } else {
                                format!("{:.1}%{ci}", 100.0 * e)
                            })
                        })
                        .collect();
                    let t = crate::format::num(Some(t), if t.fract() == 0.0 { 0 } else { 1 });
                    let parts = crate::report::join_and(&parts);
                    if unit.is_empty() {
                        format!("At time {t}, the cumulative incidence of {what} was {parts}")
                    } else {
                        format!("The {t}{unit} cumulative incidence of {what} was {parts}")
                    }
                }
                None => format!(
                    "The cumulative incidence of {what} could not be given at a common time"
                ),
            };
            let mut tail = Vec::new();
            if let Some(p) = a
                .tests
                .iter()
                .find(|g| g.cause == cause.code)
                .and_then(|g| g.p_value)
            {
                tail.push(format!("Gray's test {}", style.p.label(p)));
            }
            if let Some(m) = a.models.iter().find(|m| m.cause == cause.code) {
                if let (Some(f), true) = (&m.fine_gray, a.groups.len() == 2) {
                    if let Some(term) = f.terms.first() {
                        tail.push(format!(
                            "subdistribution HR {:.2}, {}, Fine–Gray",
                            term.shr,
                            style.ci.interval(
                                &level,
                                &format!("{:.2}", term.lower),
                                &format!("{:.2}", term.upper)
                            )
                        ));
                    }
                }
            }
            if !tail.is_empty() {
                s.push_str(&format!(" ({})", tail.join("; ")));
            }
            s.push('.');
            s
        })
        .collect()
}
