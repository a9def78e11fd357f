//! One-sample estimates of a survival curve: Kaplan–Meier with Greenwood variance and
//! pointwise bands, quantiles (medians) with R's band-inversion CI and SPSS's, landmark
//! survival and numbers at risk, median follow-up, Nelson–Aalen cumulative hazard and the
//! restricted mean survival time.

pub mod followup;
pub mod hazard;
pub mod km;
pub mod landmark;
pub mod median;
pub mod rmst;
