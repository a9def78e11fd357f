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

pub mod analysis;
pub mod cox;
pub mod data;
pub mod error;
pub mod example;
pub mod format;
pub mod km;
pub mod logrank;
pub mod mapping;
pub mod median;
pub mod table;

pub use analysis::{
    analyze, analyze_text, Analysis, AnalysisError, AnalysisOptions, GroupSummary, MethodNote,
};
pub use cox::{cox_fit, CoxFit, CoxOptions, Ties};
pub use data::SurvData;
pub use error::{DataError, MappingError, TableError};
pub use km::{kaplan_meier, ConfType, KmCurve, KmOptions};
pub use logrank::{log_rank, LogRank};
pub use mapping::{endpoints, guess, prepare, Endpoint, Exclusion, Mapping, Prepared};
pub use median::{median_r, median_spss, MedianCi, MedianMethod};
pub use table::{Table, TableOptions};
