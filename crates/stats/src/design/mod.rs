//! Designing a trial (issue 17): the number of events and patients for comparing two
//! arms' survival ([`survival`], at R rpact's conventions), single-arm two-stage and
//! single-stage designs for a response rate ([`simon`]), and the sample size for two
//! proportions ([`proportions`]).

pub mod proportions;
pub mod simon;
pub mod survival;

pub use proportions::{
    fisher_power, two_proportions, two_proportions_power, two_proportions_rpact, TwoProportions,
};
pub use simon::{
    ahern_single_stage, simon_two_stage, SimonDesigns, SingleStageDesign, TwoStageDesign,
    TwoStageInference, TwoStageOutcome,
};
pub use survival::{
    survival_analysis_time, survival_power, survival_sample_size, Accrual, DesignError, Dropout,
    Effect, EventsMethod, Hazard, SurvivalDesign, SurvivalSampleSize,
};
