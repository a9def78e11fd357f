//! The integration tests of survcalc-core, as one test binary (one binary links and
//! starts faster than eight, and the helpers live in one place). Each module is a file in
//! `suite/`; `util/` holds what they share (fixture loading and access, `Checker`).
//!
//! Run one module with `cargo test -p survcalc-core --test tests <module>::`, e.g.
//! `cargo test -p survcalc-core --test tests golden:: -- --nocapture` to see the largest
//! relative error per quantity.

#[macro_use]
mod util;

// Kaplan–Meier, log-rank and Cox against R's `survival` (tests/r/make_fixtures.R).
#[path = "suite/golden.rs"]
mod golden;
// Kaplan–Meier extras: bands, quantiles, landmarks, follow-up, hazard, RMST (km_extras.R).
#[path = "suite/km_extras.rs"]
mod km_extras;
// Weighted, stratified and trend log-rank tests, pairwise, MaxCombo, MVN (compare.R).
#[path = "suite/compare.rs"]
mod compare;
// Multivariable Cox, concordance, cox.zph, hazard ratios (cox.R).
#[path = "suite/cox.rs"]
mod cox;
// Binary endpoints and adverse-event tables (binary.R).
#[path = "suite/binary.rs"]
mod binary;
// Import: files → table → mapping → analysis, and the nasty-file corpus (import.R).
#[path = "suite/import.rs"]
mod import;
// Invariants for any data (proptest).
#[path = "suite/properties.rs"]
mod properties;
// The reference trial rebuilt from patient-level rows.
#[path = "suite/reference_trial.rs"]
mod reference_trial;
// Sentences, the summary table and the CSV exports, from R's veteran numbers.
#[path = "suite/report.rs"]
mod report;
// Near-tied times as R's timefix treats them (timefix.R).
#[path = "suite/timefix.rs"]
mod timefix;
// Progress reports of a long read and analysis.
#[path = "suite/progress.rs"]
mod progress;
// The architecture's rules: which crate may depend on which.
#[path = "suite/architecture.rs"]
mod architecture;
// Aggregated tables (a patient count per row) equal to their expanded rows.
#[path = "suite/aggregated.rs"]
mod aggregated;
// Competing risks: cumulative incidence and Gray's test against cmprsk (cuminc.R).
#[path = "suite/competing.rs"]
mod competing;
// Subgroups: Cox within each level and the interaction test (subgroup.R).
#[path = "suite/subgroup.rs"]
mod subgroup;
// Fine–Gray: cmprsk::crr and the cause-specific Cox model beside it (crr.R).
#[path = "suite/finegray.rs"]
mod finegray;
// Trial design: rpact, power.prop.test, Simon's table (design.R).
#[path = "suite/design.rs"]
mod design;
// Guyot's reconstruction from a digitised curve: round trips.
#[path = "suite/reconstruct.rs"]
mod reconstruct;
