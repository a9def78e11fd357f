//! The whole two-or-more-arm survival analysis of one endpoint, as one typed report: the
//! structure the CLI prints as JSON and the web page renders (see `docs/report-json.md`).

use crate::cox::{cox_fit, CoxFit, CoxOptions};
use crate::error::{MappingError, TableError};
use crate::km::{kaplan_meier, KmCurve, KmOptions};
use crate::logrank::{log_rank, LogRank};
use crate::mapping::{prepare, Exclusion, Mapping};
use crate::median::{median_r, median_spss, MedianCi};
use crate::table::Table;

/// Everything the analysis can be told. Defaults are R's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AnalysisOptions {
    /// Kaplan–Meier band options (R `survfit(conf.type, conf.int)`).
    pub km: KmOptions,
    /// Cox options (R `coxph(ties)`, `coxph.control`).
    pub cox: CoxOptions,
}

/// Per-group summary: the numbers of a trial report's results table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
}

/// A named method, so that each number can say what made it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MethodNote {
    /// The quantity, e.g. "median (95% CI)".
    pub quantity: String,
    /// The method in words, with the R call it matches.
    pub method: String,
}

/// The analysis of one endpoint.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Analysis {
    /// Data rows in the table.
    pub n_rows: usize,
    /// Rows analysed.
    pub n_used: usize,
    /// Rows left out, each with line, column, value and reason.
    pub excluded: Vec<Exclusion>,
    /// How the event column was read.
    pub event_coding: String,
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
    /// The method behind each kind of number.
    pub methods: Vec<MethodNote>,
    /// The options used.
    pub options: AnalysisOptions,
}

/// What stops an analysis from running at all.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AnalysisError {
    /// The text is not a table.
    Table(TableError),
    /// The mapping cannot be applied.
    Mapping(MappingError),
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::Table(e) => e.fmt(f),
            AnalysisError::Mapping(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AnalysisError {}

/// Runs the analysis of one endpoint of `table` under `mapping`.
///
/// # Errors
/// [`MappingError`]s from [`prepare`]; row problems are not errors but
/// [`Analysis::excluded`].
pub fn analyze(
    table: &Table,
    mapping: &Mapping,
    options: &AnalysisOptions,
) -> Result<Analysis, MappingError> {
    let prepared = prepare(table, mapping)?;
    let data = prepared.data.drop_empty_levels();
    let curves = kaplan_meier(&data, &options.km);
    let summaries = curves
        .iter()
        .map(|c| GroupSummary {
            group: c.group.clone(),
            n: c.n,
            events: c.events,
            median: median_r(c, 0.5),
            median_spss: median_spss(c, 0.5),
        })
        .collect();
    let mut warnings = prepared.warnings;
    let (lr, cox) = if data.n_groups() >= 2 {
        let cox = cox_fit(&data, &options.cox);
        warnings.extend(cox.warnings.iter().map(|w| format!("Cox model: {w}")));
        (Some(log_rank(&data)), Some(cox))
    } else {
        warnings.push(format!(
            "only one group (\"{}\") has valid rows, so there is no log-rank test or hazard ratio: choose a group column with at least two arms",
            data.levels().first().map_or("", String::as_str)
        ));
        (None, None)
    };
    let level = format!("{}%", fmt_level(options.km.conf_level));
    let methods = vec![
        MethodNote {
            quantity: "survival curve".into(),
            method: format!(
                "Kaplan–Meier estimate with Greenwood variance; pointwise {level} CI on the {} scale (R survfit, conf.type = \"{}\")",
                options.km.conf_type.r_name(),
                options.km.conf_type.r_name()
            ),
        },
        MethodNote {
            quantity: format!("median ({level} CI)"),
            method: format!(
                "first time S(t) ≤ 0.5 (midpoint of a plateau at 0.5); CI where the {} band crosses 0.5, Brookmeyer–Crowley (R print.survfit / quantile.survfit)",
                options.km.conf_type.r_name()
            ),
        },
        MethodNote {
            quantity: format!("median ({level} CI), SPSS"),
            method: "first event time with S(t) < 0.5; symmetric CI median ± z·SE, SE = Greenwood SE of S / density from the 0.55 and 0.45 crossings, lower limit floored at 0 (SPSS; Collett 2015 §2.4)".into(),
        },
        MethodNote {
            quantity: "log-rank P".into(),
            method: "log-rank test, chi-square on k − 1 df (R survdiff, rho = 0)".into(),
        },
        MethodNote {
            quantity: format!("HR ({}% CI)", fmt_level(options.cox.conf_level)),
            method: format!(
                "Cox proportional hazards on the group, {} ties, Wald CI exp(β ± z·se) and Wald P; reference = {} (R coxph, ties = \"{}\")",
                options.cox.ties.r_name(),
                data.levels().first().map_or("", String::as_str),
                options.cox.ties.r_name()
            ),
        },
    ];
    Ok(Analysis {
        n_rows: prepared.n_rows,
        n_used: data.len(),
        excluded: prepared.excluded,
        event_coding: prepared.event_coding,
        warnings,
        groups: data.levels().to_vec(),
        summaries,
        curves,
        log_rank: lr,
        cox,
        methods,
        options: *options,
    })
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
    analyze(&table, mapping, options).map_err(AnalysisError::Mapping)
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
