//! # survcalc-stats
//!
//! Everything survcalc computes, on validated data ([`SurvData`]): Kaplan–Meier estimates
//! and the quantities read from them ([`estimate`]), the tests that compare curves
//! ([`compare`]), the Cox model and its diagnostics ([`cox`]), binary endpoints and
//! adverse-event tables ([`binary`]), and one home for the accuracy-critical distribution
//! functions ([`numerics`]). Each is written to give the numbers R prints, and checked
//! against R at full precision (`tests/` at the repository root, `docs/methods.md`).
//!
//! What this crate deliberately does not do: read files, bytes, tables or column names
//! (that is `survcalc-io`), write reports, sentences or conventions (`survcalc-report`),
//! or know of browsers, WebAssembly or JSON. Its dependencies are numerical only (statrs,
//! nalgebra; serde behind a feature), a rule `crates/core/tests/architecture.rs` checks.
#![deny(missing_docs)]

pub mod binary;
pub mod compare;
pub mod competing;
pub mod counts;
pub mod cox;
pub mod data;
pub mod design;
pub mod error;
pub mod estimate;
pub mod numerics;
pub mod progress;
pub mod reconstruct;
pub mod timefix;

// The estimators by their short names, as the rest of the workspace has always named
// them (`survcalc_stats::km`, `crate::km`).
pub use binary::adverse;
pub use compare::{hr_methods, logrank};
pub use cox::zph as cox_zph;
pub use estimate::{followup, hazard, km, landmark, median, rmst};

pub use counts::{kaplan_meier_counts, median_follow_up_counts, survdiff_counts};
pub use counts::{CountAccumulator, CountTable};
pub use cox::zph::{cox_zph, cox_zph_tests, CoxZph, PhTest, ZphTransform};
pub use cox::{cox_fit, cox_fit_counts, CoxFit, CoxOptions, Ties};
pub use cox::{cox_model, CoxDesign, CoxModel, DesignError, Strata, Term};
pub use data::SurvData;
pub use error::DataError;
pub use followup::{median_follow_up, print_median, FollowUp, FollowUpOptions, FollowUpSummary};
pub use hazard::{cumulative_hazard, CumHazard, HazardOptions, HazardType};
pub use hr_methods::{hazard_ratio, HrEstimate, HrMethod};
pub use km::{kaplan_meier, ConfType, KmCurve, KmOptions};
pub use landmark::{risk_table, survival_at, survival_difference, LandmarkError, RiskTable};
pub use landmark::{DifferenceOptions, LandmarkComparison, LandmarkOptions, Landmarks};
pub use logrank::{log_rank, LogRank};
pub use median::{median_r, median_spss, MedianCi, MedianMethod};
pub use rmst::{
    rmst, rmst2, rmst_by_group, rmst_tau_default, rmst_tau_max, Rmst, RmstComparison, RmstError,
};
pub use rmst::{rmst_against_first, RmstOptions, RmstTable};
