//! # survcalc-core
//!
//! The statistics of survcalc: validated survival data, Kaplan–Meier estimates with
//! Greenwood standard errors and pointwise confidence bands, medians with confidence
//! intervals, the log-rank test and the Cox proportional-hazards model — each written to
//! give the numbers R's `survival` package prints, and checked against it at full
//! precision (see `tests/` at the repository root).
//!
//! It also turns delimited text into a table of cells ([`table`]) and a table plus a
//! column mapping into validated data ([`mapping`]), reporting every excluded row.
//!
//! What this crate deliberately does not do: it knows nothing about the browser,
//! WebAssembly, files, networks or plotting. It takes bytes or strings and returns plain
//! Rust values; the CLI (`crates/cli`) and the web app (`web/`) own all I/O. With the
//! optional `serde` feature the result types serialise to the JSON report documented in
//! `docs/report-json.md`.
#![deny(missing_docs)]

pub mod adverse;
pub mod analysis;
pub mod binary;
pub mod compare;
pub mod convention;
pub mod cox;
pub mod cox_zph;
pub mod data;
pub mod dates;
pub mod encoding;
pub mod endpoint;
pub mod error;
pub mod example;
pub mod followup;
pub mod format;
pub mod hazard;
pub mod hr_methods;
pub mod km;
pub mod landmark;
pub mod logrank;
pub mod mapping;
pub mod median;
pub mod numerics;
pub mod progress;
pub mod report;
pub mod response;
pub mod rmst;
pub mod spreadsheet;
pub mod table;
pub mod ticks;
pub mod timefix;
pub mod trial;
pub mod units;

pub use analysis::{
    analyze, analyze_text, Analysis, AnalysisError, AnalysisOptions, GroupSummary, MethodNote,
};
pub use convention::{Convention, HeadlineHr};
pub use cox::{cox_fit, CoxFit, CoxOptions, Ties};
pub use cox::{cox_model, CoxDesign, CoxModel, DesignError, Strata, Term};
pub use cox_zph::{cox_zph, CoxZph, ZphTransform};
pub use data::SurvData;
pub use dates::DateOrder;
pub use encoding::TextEncoding;
pub use error::{DataError, MappingError, OptionError, TableError};
pub use followup::{median_follow_up, print_median, FollowUp, FollowUpOptions, FollowUpSummary};
pub use hazard::{cumulative_hazard, CumHazard, HazardOptions, HazardType};
pub use hr_methods::{hazard_ratio, HrEstimate, HrMethod};
pub use km::{kaplan_meier, ConfType, KmCurve, KmOptions};
pub use landmark::{risk_table, survival_at, survival_difference, LandmarkError, RiskTable};
pub use landmark::{DifferenceOptions, LandmarkComparison, LandmarkOptions, Landmarks};
pub use logrank::{log_rank, LogRank};
pub use mapping::{endpoints, guess, prepare, Endpoint, Exclusion, Mapping, Prepared};
pub use mapping::{DateSpan, GroupLabel, RowFilter};
pub use median::{median_r, median_spss, MedianCi, MedianMethod};
pub use rmst::{rmst, rmst2, rmst_by_group, rmst_tau_max, Rmst, RmstComparison, RmstError};
pub use rmst::{RmstOptions, RmstTable};
pub use table::{CellKind, Source, WorkbookFormat};
pub use table::{Table, TableOptions};
pub use units::TimeUnit;
