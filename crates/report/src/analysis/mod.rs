//! The whole two-or-more-arm survival analysis of one endpoint, as one typed report: the
//! structure the CLI prints as JSON and the web page renders (see `docs/report-json.md`).

use crate::convention::{Convention, HeadlineHr};
use crate::ticks::nice_times;
use survcalc_io::error::{MappingError, TableError};
use survcalc_io::mapping::{prepare, Exclusion, Mapping};
use survcalc_io::table::Table;
use survcalc_io::table::{is_missing, parse_number};
use survcalc_stats::compare::stratified_log_rank;
use survcalc_stats::compare::{
    log_rank_trend, max_combo, pairwise_log_rank, weighted_log_ranks, LogRankTrend, MaxCombo,
    MaxComboOptions, PairwiseLogRank, PairwiseOptions, TrendOptions, Weight, WeightedLogRank,
    WeightedLogRankOptions,
};
use survcalc_stats::cox::{
    cox_fit, cox_model, CoxDesign, CoxFit, CoxModel, CoxOptions, Strata, Term,
};
use survcalc_stats::cox_zph::{cox_zph_tests, ZphTransform};
use survcalc_stats::data::SurvData;
use survcalc_stats::followup::{median_follow_up, print_median, FollowUpOptions, FollowUpSummary};
use survcalc_stats::hazard::{cumulative_hazard, CumHazard, HazardOptions};
use survcalc_stats::hr_methods::{hazard_ratio, HrEstimate, HrMethod};
use survcalc_stats::km::{kaplan_meier, KmCurve, KmOptions};
use survcalc_stats::landmark::{
    risk_table, survival_at, survival_difference, DifferenceOptions, LandmarkComparison,
    LandmarkOptions, Landmarks, RiskTable,
};
use survcalc_stats::logrank::{log_rank, LogRank};
use survcalc_stats::median::{median_r, median_spss, MedianCi, MedianMethod};
use survcalc_stats::rmst::{
    rmst_against_first, rmst_by_group, RmstComparison, RmstOptions, RmstTable,
};

mod adjusted;
mod options;

use adjusted::*;
pub use options::*;

/// Per-group summary: the numbers of a trial report's results table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GroupSummary {
    /// The group's label.
    pub group: String,
    /// Number of patients analysed.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// Median with R's band-inversion CI (`print(survfit(...))`).
    pub median: MedianCi,
    /// Median with the SPSS symmetric CI.
    pub median_spss: MedianCi,
    /// First and third quartiles (p = 0.25, 0.75) with band-inversion CIs
    /// (R `quantile(fit, c(.25, .75))`).
    pub quartiles: [MedianCi; 2],
}

/// The tests of R's `cox.zph` (the residuals themselves are not part of the report).
pub use survcalc_stats::cox_zph::PhTest;

/// A named method, so that each number can say what made it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MethodNote {
    /// The quantity, e.g. "median (95% CI)".
    pub quantity: String,
    /// The method in words, with the R call it matches.
    pub method: String,
}

/// The analysis of one endpoint.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Analysis {
    /// Data rows in the table.
    pub n_rows: usize,
    /// Rows analysed.
    pub n_used: usize,
    /// Rows left out, each with line, column, value and reason.
    pub excluded: Vec<Exclusion>,
    /// How the event column was read.
    pub event_coding: String,
    /// The unit of every time in the report, when known (from the mapping or from dates).
    pub time_unit: Option<survcalc_io::units::TimeUnit>,
    /// What reading and mapping did that the user should know (date order, Excel serial
    /// dates, unit conversion, the sheet read); not problems.
    pub notes: Vec<String>,
    /// Rows left out by the endpoint's row filter (e.g. other PARAMCDs of an ADTTE table).
    pub filtered_out: usize,
    /// Remarks that do not stop the analysis (events at time 0, a single group, …).
    pub warnings: Vec<String>,
    /// Group labels in analysis order; the first is the reference.
    pub groups: Vec<String>,
    /// One summary per group.
    pub summaries: Vec<GroupSummary>,
    /// One Kaplan–Meier curve per group.
    pub curves: Vec<KmCurve>,
    /// Log-rank test; `None` with a single group.
    pub log_rank: Option<LogRank>,
    /// Cox model on the group; `None` with a single group.
    pub cox: Option<CoxFit>,
    /// Proportional-hazards check of the Cox model (R `cox.zph`, transform "km").
    pub ph_test: Option<PhTest>,
    /// The log-rank test stratified by `options.strata`.
    pub stratified_log_rank: Option<WeightedLogRank>,
    /// The Cox model adjusted for `options.covariates` and/or stratified by
    /// `options.strata` (R `summary(coxph(...))`), with the rows it excluded for missing
    /// values.
    pub cox_adjusted: Option<CoxModel>,
    /// The weighted log-rank family (log-rank, Peto–Peto, Fleming–Harrington, Gehan–Breslow,
    /// Tarone–Ware); empty with a single group.
    pub tests: Vec<WeightedLogRank>,
    /// Log-rank test for trend over the groups in order (three or more groups).
    pub trend: Option<LogRankTrend>,
    /// Pairwise log-rank tests with Holm and Bonferroni adjustment (three or more groups).
    pub pairwise: Option<PairwiseLogRank>,
    /// MaxCombo over FH(0,0), (0,1), (1,0), (1,1) (two groups).
    pub max_combo: Option<MaxCombo>,
    /// Hazard ratios by the log-rank O/E and Mantel–Haenszel methods (two groups).
    pub hr_other: Vec<HrEstimate>,
    /// Median follow-up by the reverse Kaplan–Meier method, overall and per group.
    pub follow_up: FollowUpSummary,
    /// Survival at the landmark times, per group.
    pub landmarks: Vec<Landmarks>,
    /// Differences in survival at the landmarks, each group versus the reference.
    pub landmark_differences: Vec<LandmarkComparison>,
    /// Numbers at risk, cumulative events and censored at the risk-table times.
    pub risk_table: Option<RiskTable>,
    /// Nelson–Aalen cumulative hazard with its SE, per group (R `survfit(ctype = 1)`).
    pub cumulative_hazard: Vec<CumHazard>,
    /// Restricted mean survival time per group up to τ.
    pub rmst: Option<RmstTable>,
    /// RMST difference and ratio, each group versus the reference (survRM2 `rmst2`).
    pub rmst_comparisons: Vec<RmstComparison>,
    /// The method behind each kind of number.
    pub methods: Vec<MethodNote>,
    /// The options used.
    pub options: AnalysisOptions,
    /// `Some` when the curves and cumulative hazards were thinned for drawing
    /// ([`crate::thin::thinned`]): their rows are then a subset, and the counts exact only
    /// at the times it names. `None` for every analysis [`analyze`] makes.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub drawing: Option<crate::thin::Thinning>,
}

/// The hazard ratio the settings headline, whichever method made it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct HeadlineHrValue {
    /// The group compared.
    pub group: String,
    /// The reference group.
    pub reference: String,
    /// The hazard ratio.
    pub hr: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Confidence level.
    pub conf_level: f64,
    /// Wald P (Cox only).
    pub p_value: Option<f64>,
    /// The method, in words.
    pub method: String,
}

impl Analysis {
    /// The headline hazard ratio for two groups (the method of `options.hr`); `None` with
    /// other than two groups or when it cannot be estimated (a diverging Cox fit).
    pub fn headline_hr(&self) -> Option<HeadlineHrValue> {
        if self.groups.len() != 2 {
            return None;
        }
        match self.options.hr {
            HeadlineHr::Cox => {
                let c = self.cox.as_ref().filter(|c| c.is_reliable())?;
                let t = c.terms.first()?;
                Some(HeadlineHrValue {
                    group: t.level.clone(),
                    reference: c.reference.clone(),
                    hr: t.hr,
                    lower: t.hr_lower,
                    upper: t.hr_upper,
                    conf_level: c.options.conf_level,
                    p_value: Some(t.p_value),
                    method: format!("Cox model, {} ties, Wald CI", c.options.ties.name()),
                })
            }
            HeadlineHr::LogRankOe | HeadlineHr::MantelHaenszel => {
                let want = if self.options.hr == HeadlineHr::LogRankOe {
                    HrMethod::LogRank
                } else {
                    HrMethod::MantelHaenszel
                };
                let h = self.hr_other.iter().find(|h| h.method == want)?;
                Some(HeadlineHrValue {
                    group: h.group.clone(),
                    reference: h.reference.clone(),
                    hr: h.hr,
                    lower: h.lower,
                    upper: h.upper,
                    conf_level: h.conf_level,
                    p_value: None,
                    method: if want == HrMethod::LogRank {
                        "log-rank O/E method".into()
                    } else {
                        "Mantel–Haenszel method".into()
                    },
                })
            }
        }
    }

    /// The headline test of the curves (the first of [`Analysis::tests`]).
    pub fn headline_test(&self) -> Option<&WeightedLogRank> {
        self.tests.first()
    }

    /// The headline median of a group summary, by `options.median_method`.
    pub fn headline_median<'a>(&self, g: &'a GroupSummary) -> &'a MedianCi {
        match self.options.median_method {
            MedianMethod::RBandInversion => &g.median,
            MedianMethod::SpssSymmetric => &g.median_spss,
        }
    }
}

/// What stops an analysis from running at all.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum AnalysisError {
    /// The text is not a table.
    Table(TableError),
    /// The mapping cannot be applied.
    Mapping(MappingError),
    /// An option is outside what the analysis can use.
    Option(crate::error::OptionError),
    /// More groups than the report can compare (every pairwise test and the Cox model
    /// grow with their number); [`MAX_GROUPS`] at most.
    TooManyGroups {
        /// The groups found.
        groups: usize,
        /// The group column.
        column: String,
    },
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::Table(e) => e.fmt(f),
            AnalysisError::Mapping(e) => e.fmt(f),
            AnalysisError::Option(e) => e.fmt(f),
            AnalysisError::TooManyGroups { groups, column } => write!(
                f,
                "the group column \"{column}\" has {groups} different values; survcalc compares at most {MAX_GROUPS} groups. Choose the column that holds the arm (or none)"
            ),
        }
    }
}

impl From<MappingError> for AnalysisError {
    fn from(e: MappingError) -> Self {
        AnalysisError::Mapping(e)
    }
}

/// Most groups an analysis compares.
pub const MAX_GROUPS: usize = 50;
/// Most landmark times, and most risk-table times.
pub const MAX_TIMES: usize = 200;
/// Most covariates of the adjusted Cox model.
pub const MAX_COVARIATES: usize = 20;
/// Most Newton–Raphson iterations (R's default is 20).
pub const MAX_ITERATIONS: usize = 1_000;

impl std::error::Error for AnalysisError {}

/// Runs the analysis of one endpoint of `table` under `mapping`.
///
/// # Errors
/// [`AnalysisError::Option`] for an option out of range ([`AnalysisOptions::validate`]),
/// [`MappingError`]s from [`prepare`], [`AnalysisError::TooManyGroups`]; row problems are
/// not errors but [`Analysis::excluded`].
pub fn analyze(
    table: &Table,
    mapping: &Mapping,
    options: &AnalysisOptions,
) -> Result<Analysis, AnalysisError> {
    options.validate().map_err(AnalysisError::Option)?;
    use survcalc_stats::progress::{report, Step};
    report(Step::Analysing("checking the rows"));
    let prepared = prepare(table, mapping)?;
    let groups = prepared.data.n_groups();
    if groups > MAX_GROUPS {
        return Err(AnalysisError::TooManyGroups {
            groups,
            column: mapping.group.clone().unwrap_or_default(),
        });
    }
    let data = prepared.data.drop_empty_levels();
    let (data, merged) = if options.timefix {
        data.timefixed(survcalc_stats::timefix::TOLERANCE)
    } else {
        (data, 0)
    };
    report(Step::Analysing("Kaplan–Meier curves"));
    let curves = kaplan_meier(&data, &options.km);
    let summaries = curves
        .iter()
        .map(|c| GroupSummary {
            group: c.group.clone(),
            n: c.n,
            events: c.events,
            median: print_median(c),
            median_spss: median_spss(c, 0.5),
            quartiles: [median_r(c, 0.25), median_r(c, 0.75)],
        })
        .collect();
    let mut warnings = prepared.warnings;
    let two_or_more = data.n_groups() >= 2;
    let mut tests = Vec::new();
    let (mut trend, mut pairwise, mut combo, mut hr_other) = (None, None, None, Vec::new());
    let mut ph_test = None;
    let (lr, cox) = if two_or_more {
        report(Step::Analysing("Cox model"));
        // One fit of `~ group` gives the hazard ratios and, below, the PH test.
        let design = CoxDesign::group_only("group");
        let model = cox_model(&data, &design, &options.cox);
        let cox = match &model {
            Ok(m) => CoxFit::from_model(
                data.levels().first().cloned().unwrap_or_default(),
                m.clone(),
            ),
            Err(_) => cox_fit(&data, &options.cox),
        };
        warnings.extend(cox.warnings.iter().map(|w| format!("Cox model: {w}")));
        report(Step::Analysing("log-rank and weighted tests"));
        let family = test_family(options.test);
        for (weight, r) in family.iter().zip(weighted_log_ranks(&data, &family)) {
            match r {
                Ok(t) => tests.push(t),
                Err(e) => warnings.push(format!("{}: {e}", weight.describe())),
            }
        }
        if data.n_groups() >= 3 {
            trend = note(
                &mut warnings,
                "trend test",
                log_rank_trend(&data, &TrendOptions::default()),
            );
            pairwise = note(
                &mut warnings,
                "pairwise tests",
                pairwise_log_rank(&data, &PairwiseOptions::default()),
            );
        } else {
            combo = note(
                &mut warnings,
                "MaxCombo",
                max_combo(&data, &MaxComboOptions::default()),
            );
            for m in [HrMethod::LogRank, HrMethod::MantelHaenszel] {
                if let Some(h) = note(
                    &mut warnings,
                    "hazard ratio",
                    hazard_ratio(&data, m, options.cox.conf_level),
                ) {
                    hr_other.push(h);
                }
            }
        }
        report(Step::Analysing("proportional-hazards test"));
        ph_test = match model {
            // Residuals at a coefficient that diverged test nothing (R computes them, and
            // its numbers and survcalc's then differ in the 7th digit: both are noise). A
            // coefficient that is not estimable (R's NA) is dropped, as cox.zph drops it.
            Ok(model) if !model.estimated_are_reliable() => {
                warnings.push(
                    "proportional-hazards test not computed: the Cox model's estimate is not reliable (see its warning)"
                        .into(),
                );
                None
            }
            Ok(model) => note(
                &mut warnings,
                "proportional-hazards test",
                cox_zph_tests(&data, &design, &model, ZphTransform::Km),
            ),
            Err(e) => {
                warnings.push(format!("proportional-hazards test not computed: {e}"));
                None
            }
        };
        (Some(log_rank(&data)), Some(cox))
    } else {
        warnings.push(format!(
            "only one group (\"{}\") has valid rows, so there is no log-rank test or hazard ratio: choose a group column with at least two arms",
            data.levels().first().map_or("", String::as_str)
        ));
        (None, None)
    };
    report(Step::Analysing("adjusted models"));
    let (stratified_lr, cox_adjusted) = if two_or_more {
        adjusted_models(table, &prepared.rows, &data, options, &mut warnings)
    } else {
        (None, None)
    };
    report(Step::Analysing("follow-up, landmarks and the risk table"));
    let follow_up = median_follow_up(&data, &FollowUpOptions { km: options.km });
    let mut landmarks = Vec::new();
    let mut landmark_differences = Vec::new();
    if !options.landmarks.is_empty() {
        for c in &curves {
            if let Some(l) = note(
                &mut warnings,
                "landmark survival",
                survival_at(c, &options.landmarks, &LandmarkOptions { extend: true }),
            ) {
                landmarks.push(l);
            }
        }
        let diff = DifferenceOptions {
            conf_level: options.km.conf_level,
        };
        for c in curves.iter().skip(1) {
            if let Some(d) = note(
                &mut warnings,
                "landmark difference",
                survival_difference(c, &curves[0], &options.landmarks, &diff),
            ) {
                landmark_differences.push(d);
            }
        }
    }
    let max_time = curves.iter().map(KmCurve::max_time).fold(0.0, f64::max);
    let risk_times = if options.risk_times.is_empty() {
        nice_times(max_time)
    } else {
        options.risk_times.clone()
    };
    let risk = note(
        &mut warnings,
        "risk table",
        risk_table(&curves, &risk_times),
    );
    let cumhaz = curves
        .iter()
        .map(|c| cumulative_hazard(c, &HazardOptions::default()))
        .collect();
    let rmst_opts = RmstOptions {
        tau: options.rmst_tau,
        conf_level: options.km.conf_level,
    };
    report(Step::Analysing("restricted mean survival"));
    let rmst = note(&mut warnings, "RMST", rmst_by_group(&curves, &rmst_opts));
    let mut rmst_comparisons = Vec::new();
    if let Some(table) = &rmst {
        for r in rmst_against_first(&curves, table, rmst_opts.conf_level) {
            if let Some(r) = note(&mut warnings, "RMST comparison", r) {
                rmst_comparisons.push(r);
            }
        }
    }
    let level = format!("{}%", fmt_level(options.km.conf_level));
    let reference = data.levels().first().map_or("", String::as_str);
    let hr_level = fmt_level(options.cox.conf_level);
    let mut methods = vec![
        MethodNote {
            quantity: "survival curve".into(),
            method: format!(
                "Kaplan–Meier estimate with Greenwood variance; pointwise {level} CI on the {} scale (R survfit, conf.type = \"{}\")",
                options.km.conf_type.r_name(),
                options.km.conf_type.r_name()
            ),
        },
        MethodNote {
            quantity: format!("median ({level} CI), band inversion{}", headline(options.median_method == MedianMethod::RBandInversion)),
            method: format!(
                "first time S(t) ≤ 0.5 (midpoint of a plateau at 0.5); CI where the {} band crosses 0.5, Brookmeyer–Crowley (R print.survfit)",
                options.km.conf_type.r_name()
            ),
        },
        MethodNote {
            quantity: format!("median ({level} CI), SPSS symmetric{}", headline(options.median_method == MedianMethod::SpssSymmetric)),
            method: "first event time with S(t) < 0.5; symmetric CI median ± z·SE, SE = Greenwood SE of S / density from the 0.55 and 0.45 crossings, lower limit floored at 0 (SPSS; Collett 2015 §2.4)".into(),
        },
        MethodNote {
            quantity: "quartiles".into(),
            method: format!("as the median, p = 0.25 and 0.75, CI from the {} band (R quantile.survfit)", options.km.conf_type.r_name()),
        },
        MethodNote {
            quantity: "test of the curves (headline)".into(),
            method: format!("{}; chi-square on k − 1 df", options.test.describe()),
        },
        MethodNote {
            quantity: format!("HR ({hr_level}% CI), Cox{}", headline(options.hr == HeadlineHr::Cox)),
            method: format!(
                "Cox proportional hazards on the group, {} ties, Wald CI exp(β ± z·se) and Wald P; reference = {reference} (R coxph, ties = \"{}\")",
                options.cox.ties.r_name(),
                options.cox.ties.r_name()
            ),
        },
        MethodNote {
            quantity: format!("HR ({hr_level}% CI), log-rank O/E{}", headline(options.hr == HeadlineHr::LogRankOe)),
            method: "(O₁/E₁)/(O₀/E₀), CI exp(ln HR ± z·√(1/E₁ + 1/E₀)) (GraphPad Prism \"logrank\")".into(),
        },
        MethodNote {
            quantity: format!("HR ({hr_level}% CI), Mantel–Haenszel{}", headline(options.hr == HeadlineHr::MantelHaenszel)),
            method: "exp((O₁ − E₁)/V), CI exp((O₁ − E₁)/V ± z/√V) (GraphPad Prism \"Mantel-Haenszel\")".into(),
        },
        MethodNote {
            quantity: "median follow-up".into(),
            method: "reverse Kaplan–Meier (censorings as events), median as R print(survfit(Surv(time, 1 − status) ~ 1))".into(),
        },
        MethodNote {
            quantity: "RMST".into(),
            method: "area under the Kaplan–Meier curve to τ with survRM2's variance; difference and ratio of arms with Wald CIs (survRM2 rmst2; Uno et al. 2014)".into(),
        },
    ];
    if !options.landmarks.is_empty() {
        methods.push(MethodNote {
            quantity: "survival at landmarks".into(),
            method: format!(
                "S(t) with {} CI as R summary(fit, times = t); differences S₁ − S₀ with Greenwood SEs and a Wald z test (Klein et al. 2007)",
                options.km.conf_type.r_name()
            ),
        });
    }
    Ok(Analysis {
        n_rows: prepared.n_rows,
        n_used: data.len(),
        excluded: prepared.excluded,
        event_coding: prepared.event_coding,
        time_unit: prepared.time_unit,
        notes: {
            let mut notes: Vec<String> =
                table.notes.iter().chain(&prepared.notes).cloned().collect();
            if merged > 0 {
                notes.push(format!(
                    "{merged} time(s) within √ε (1.5e-8, absolutely or relative to the mean time) of a smaller one were treated as equal to it, as R does (timefix); turn timefix off to keep them apart"
                ));
            }
            if prepared.time_unit.is_none() {
                notes.push(format!(
                    "the unit of \"{}\" is not known, so times are shown without one: set the time column's unit (CLI: --time-unit days|weeks|months|years)",
                    mapping.time
                ));
            }
            notes
        },
        filtered_out: prepared.filtered_out,
        warnings,
        groups: data.levels().to_vec(),
        summaries,
        curves,
        log_rank: lr,
        cox,
        ph_test,
        stratified_log_rank: stratified_lr,
        cox_adjusted,
        tests,
        trend,
        pairwise,
        max_combo: combo,
        hr_other,
        follow_up,
        landmarks,
        landmark_differences,
        risk_table: risk,
        cumulative_hazard: cumhaz,
        rmst,
        rmst_comparisons,
        methods,
        options: options.clone(),
        drawing: None,
    })
}

/// Reads file bytes (any supported text encoding, or a workbook) and analyses them.
///
/// # Errors
/// As [`analyze_text`].
pub fn analyze_bytes(
    bytes: &[u8],
    mapping: &Mapping,
    options: &AnalysisOptions,
) -> Result<Analysis, AnalysisError> {
    let table = Table::from_bytes(bytes, &survcalc_io::table::TableOptions::default())
        .map_err(AnalysisError::Table)?;
    analyze(&table, mapping, options)
}

/// Reads `text` as a table and analyses it: the path from pasted text to a report.
///
/// # Errors
/// [`AnalysisError::Table`] if the text is not a table, [`AnalysisError::Mapping`] as
/// [`analyze`].
pub fn analyze_text(
    text: &str,
    mapping: &Mapping,
    options: &AnalysisOptions,
) -> Result<Analysis, AnalysisError> {
    let table = Table::parse(text).map_err(AnalysisError::Table)?;
    analyze(&table, mapping, options)
}

/// The tests computed for every comparison: the headline first, then the rest of the
/// family (log-rank, Peto–Peto, Fleming–Harrington G(0, 1) and G(1, 1), Gehan–Breslow,
/// Tarone–Ware) without repeating it. `survcalc stream` computes the same family.
pub fn test_family(headline: Weight) -> Vec<Weight> {
    let mut out = vec![headline];
    for w in [
        Weight::LogRank,
        Weight::PetoPeto,
        Weight::FlemingHarrington {
            rho: 0.0,
            gamma: 1.0,
        },
        Weight::FlemingHarrington {
            rho: 1.0,
            gamma: 1.0,
        },
        Weight::GehanBreslow,
        Weight::TaroneWare,
    ] {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// " (headline)" when a method is the one the settings headline.
fn headline(yes: bool) -> &'static str {
    if yes {
        " (headline)"
    } else {
        ""
    }
}

/// Keeps a result, or turns its error into a warning that names what could not be done.
fn note<T, E: std::fmt::Display>(
    warnings: &mut Vec<String>,
    what: &str,
    r: Result<T, E>,
) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            warnings.push(format!("{what} not computed: {e}"));
            None
        }
    }
}

/// A confidence level as a percentage without needless decimals: 0.95 → "95".
pub fn fmt_level(level: f64) -> String {
    let pct = level * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{}", pct.round())
    } else {
        format!("{pct}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        match Table::parse("t,s,a\n1,1,A\n2,0,A\n3,1,B\n4,1,B\n") {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn mapping() -> Mapping {
        Mapping {
            time: "t".into(),
            event: "s".into(),
            group: Some("a".into()),
            ..Mapping::default()
        }
    }

    #[test]
    fn regression_options_from_a_link_are_validated_before_any_estimator() {
        // Issue 12: km.conf_level = 1.5 from a share link panicked statrs in the worker;
        // iter_max = u32::MAX with eps = −1 never ended.
        type Set = Box<dyn Fn(&mut AnalysisOptions)>;
        let cases: Vec<(Set, &str)> = vec![
            (Box::new(|o| o.km.conf_level = 1.5), "km.conf_level = 1.5"),
            (
                Box::new(|o| o.cox.conf_level = f64::NAN),
                "cox.conf_level = NaN",
            ),
            (
                Box::new(|o| o.cox.iter_max = 4_294_967_295),
                "cox.iter_max = 4294967295",
            ),
            (Box::new(|o| o.cox.eps = -1.0), "cox.eps = -1"),
            (
                Box::new(|o| o.landmarks = vec![1.0; 10_000]),
                "landmarks = 10000 times",
            ),
            (
                Box::new(|o| o.landmarks = vec![f64::INFINITY]),
                "landmarks = inf",
            ),
            (Box::new(|o| o.rmst_tau = Some(-2.0)), "rmst_tau = -2"),
            (
                Box::new(|o| o.covariates = vec!["a".into(); 2_000]),
                "covariates = 2000 columns",
            ),
        ];
        for (set, said) in cases {
            let mut o = AnalysisOptions::default();
            set(&mut o);
            let e = match analyze(&table(), &mapping(), &o) {
                Err(AnalysisError::Option(e)) => e.to_string(),
                other => panic!("{said}: {other:?}"),
            };
            assert!(e.contains(said) && e.contains("must be"), "{e}");
        }
        assert!(analyze(&table(), &mapping(), &AnalysisOptions::default()).is_ok());
    }

    #[test]
    fn regression_a_thousand_arms_are_refused_with_what_to_do() {
        // Issue 12: 1000 arms × 5 rows did not finish in 600 s.
        let mut csv = String::from("t,s,a\n");
        for i in 0..1000 {
            for j in 0..5 {
                csv.push_str(&format!("{},{},arm{i}\n", j + 1, j % 2));
            }
        }
        let t = match Table::parse(&csv) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        match analyze(&t, &mapping(), &AnalysisOptions::default()) {
            Err(e @ AnalysisError::TooManyGroups { groups: 1000, .. }) => {
                assert!(e.to_string().contains("at most 50 groups"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
}
