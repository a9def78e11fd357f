//! The cumulative hazard: Nelson–Aalen (and its Fleming–Harrington tie correction) with
//! standard errors, as R `survfit(..., ctype = )` returns them in `cumhaz` and `std.chaz`.
//!
//! # Formula
//! At each distinct time t_j with n_j at risk and d_j events:
//!
//! * Nelson–Aalen (`ctype = 1`, R's default): H(t) = Σ_{t_j ≤ t} d_j / n_j, with Aalen's
//!   variance Var H(t) = Σ_{t_j ≤ t} d_j / n_j² — the variance R survival 3.x uses for
//!   `std.chaz` (its C routine `survfitkm` accumulates `d/(n*n)`), not the Greenwood-type
//!   Σ d / (n (n − d)) of the Kaplan–Meier curve.
//! * Fleming–Harrington (`ctype = 2`): tied events are treated as happening one after
//!   another, H(t) = Σ_{t_j ≤ t} Σ_{k=0}^{d_j−1} 1 / (n_j − k), with variance
//!   Σ Σ 1 / (n_j − k)².
//!
//! `std.chaz` = √Var.
//!
//! # References
//! Nelson W (1972). Technometrics 14:945–966. Aalen O (1978). Ann Stat 6:701–726.
//! Fleming TR, Harrington DP (1984). Commun Stat Theory Methods 13:2469–2486.
//! R `survival::survfit.formula(ctype = )`, C `survfitkm`.

use crate::km::KmCurve;

/// How tied events enter the cumulative hazard. Mirrors R `survfit(ctype = )`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum HazardType {
    /// `ctype = 1`: Nelson–Aalen, d/n at each time; R's default.
    #[default]
    NelsonAalen,
    /// `ctype = 2`: Fleming–Harrington, tied events one after another.
    FlemingHarrington,
}

impl HazardType {
    /// R's `ctype` number for this estimator.
    pub fn r_ctype(self) -> u8 {
        match self {
            HazardType::NelsonAalen => 1,
            HazardType::FlemingHarrington => 2,
        }
    }
}

/// Options of [`cumulative_hazard`]. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct HazardOptions {
    /// R `survfit(ctype = 1)`.
    pub hazard_type: HazardType,
}

/// The cumulative hazard of one group at every distinct time of its curve.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CumHazard {
    /// The group's label.
    pub group: String,
    /// Distinct times, increasing (R `time`).
    pub time: Vec<f64>,
    /// Number at risk (R `n.risk`).
    pub n_risk: Vec<usize>,
    /// Number of events (R `n.event`).
    pub n_event: Vec<usize>,
    /// Cumulative hazard H(t) (R `cumhaz`).
    pub cumhaz: Vec<f64>,
    /// Standard error of H(t) (R `std.chaz`).
    pub std_chaz: Vec<f64>,
    /// The estimator.
    pub hazard_type: HazardType,
}

/// The cumulative hazard and its standard error from a group's Kaplan–Meier curve (which
/// holds the numbers at risk and events needed).
///
/// Cost: linear in the curve's rows (plus the tied events for Fleming–Harrington).
///
/// # Examples
/// ```
/// use survcalc_stats::{cumulative_hazard, kaplan_meier, HazardOptions, KmOptions, SurvData};
/// let d = SurvData::from_labels(vec![1.0, 2.0, 2.0, 3.0], vec![true, true, true, false], &["a"; 4])?;
/// let km = kaplan_meier(&d, &KmOptions::default());
/// let h = cumulative_hazard(&km[0], &HazardOptions::default());
/// assert_eq!(h.cumhaz, vec![0.25, 0.25 + 2.0 / 3.0, 0.25 + 2.0 / 3.0]);
/// # Ok::<(), survcalc_stats::DataError>(())
/// ```
///
/// # References
/// R `survfit(Surv(time, status) ~ group, ctype = )$cumhaz` and `$std.chaz`.
pub fn cumulative_hazard(curve: &KmCurve, options: &HazardOptions) -> CumHazard {
    let mut h = 0.0;
    let mut var = 0.0;
    let mut cumhaz = Vec::with_capacity(curve.time.len());
    let mut std_chaz = Vec::with_capacity(curve.time.len());
    for (&n, &d) in curve.n_risk.iter().zip(&curve.n_event) {
        if d > 0 {
            let (n, d) = (n as f64, d as f64);
            match options.hazard_type {
                HazardType::NelsonAalen => {
                    h += d / n;
                    var += d / (n * n);
                }
                HazardType::FlemingHarrington => {
                    let mut k = 0.0;
                    while k < d {
                        let r = n - k;
                        h += 1.0 / r;
                        var += 1.0 / (r * r);
                        k += 1.0;
                    }
                }
            }
        }
        cumhaz.push(h);
        std_chaz.push(var.sqrt());
    }
    CumHazard {
        group: curve.group.clone(),
        time: curve.time.clone(),
        n_risk: curve.n_risk.clone(),
        n_event: curve.n_event.clone(),
        cumhaz,
        std_chaz,
        hazard_type: options.hazard_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kaplan_meier, KmOptions, SurvData};

    #[test]
    fn fleming_harrington_splits_ties() {
        let d = SurvData::from_labels(vec![1.0, 1.0, 2.0], vec![true, true, false], &["a"; 3]);
        let km = match d {
            Ok(d) => kaplan_meier(&d, &KmOptions::default()),
            Err(e) => panic!("test data invalid: {e}"),
        };
        let opt = HazardOptions {
            hazard_type: HazardType::FlemingHarrington,
        };
        let h = cumulative_hazard(&km[0], &opt);
        assert!((h.cumhaz[0] - (1.0 / 3.0 + 0.5)).abs() < 1e-15);
        assert!((h.std_chaz[0] - (1.0f64 / 9.0 + 0.25).sqrt()).abs() < 1e-15);
        let na = cumulative_hazard(&km[0], &HazardOptions::default());
        assert!((na.cumhaz[0] - 2.0 / 3.0).abs() < 1e-15);
        assert!((na.std_chaz[0] - (2.0f64 / 9.0).sqrt()).abs() < 1e-15);
    }
}
