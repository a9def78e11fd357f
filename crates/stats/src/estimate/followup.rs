//! Median follow-up by the reverse Kaplan–Meier method.
//!
//! The reverse Kaplan–Meier estimator swaps the roles of events and censorings: a
//! censoring is the "event" (the end of follow-up) and a death censors the follow-up time.
//! Its median is the median potential follow-up, the measure of follow-up recommended for
//! trial reports by Schemper & Smith.
//!
//! # Formula
//! G(t) = ∏_{t_j ≤ t} (1 − c_j / n_j) with c_j censorings at t_j, n_j at risk; Greenwood
//! standard errors and the pointwise band as [`crate::km`]; the median and its limits read
//! off G and its band with R `print.survfit`'s rule ([`print_median`]).
//!
//! # References
//! Schemper M, Smith TL (1996). A note on quantifying follow-up in studies of failure time.
//! Control Clin Trials 17:343–346. R `print(survfit(Surv(time, 1 - status) ~ group))`.

use crate::data::SurvData;
use crate::km::{curves_by_group, km_sorted, z_value, KmCurve, KmOptions};
use crate::median::{MedianCi, MedianMethod};

/// Options of [`median_follow_up`]. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FollowUpOptions {
    /// The band of the reverse Kaplan–Meier curve, from which the median's limits are
    /// read: R `survfit(Surv(time, 1 - status) ~ group, conf.type = "log", conf.int = 0.95)`.
    pub km: KmOptions,
}

/// How median follow-up was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum FollowUpMethod {
    /// Median of the reverse Kaplan–Meier curve with R `print.survfit`'s rule.
    ReverseKaplanMeier,
}

/// Median follow-up of one group (or of all patients).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FollowUp {
    /// The group's label, or `"overall"` for all patients together.
    pub group: String,
    /// Number of patients.
    pub n: usize,
    /// Number of censored patients: the reverse curve's "events" (R's `events` column).
    pub censored: usize,
    /// Median follow-up with its limits (R's `median`, `0.95LCL`, `0.95UCL`); `None`
    /// where R prints NA (the reverse curve or its band does not reach 0.5).
    pub median: MedianCi,
}

/// Median follow-up of every group and of all patients.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FollowUpSummary {
    /// All patients together: R `survfit(Surv(time, 1 - status) ~ 1)`.
    pub overall: FollowUp,
    /// One entry per group, in level order: R `survfit(Surv(time, 1 - status) ~ group)`.
    pub groups: Vec<FollowUp>,
    /// How it was estimated.
    pub method: FollowUpMethod,
    /// The options used.
    pub options: FollowUpOptions,
}

/// R's tolerance in `survival:::survmean`: `.Machine$double.eps^0.5`.
const R_MEDIAN_TOL: f64 = 1.4901161193847656e-08;

/// `survival:::survmean`'s `minmin(y, x)`: the first x with y < 0.5 (within tolerance),
/// or the midpoint to the next lower step where y sits exactly at 0.5.
fn minmin(y: &[Option<f64>], x: &[f64]) -> Option<f64> {
    let kept: Vec<(f64, f64)> = y
        .iter()
        .zip(x)
        .filter_map(|(y, &x)| y.filter(|&v| v < 0.5 + R_MEDIAN_TOL).map(|v| (x, v)))
        .collect();
    let &(x1, y1) = kept.first()?;
    if (y1 - 0.5).abs() < R_MEDIAN_TOL {
        if let Some(&(x2, _)) = kept.iter().find(|(_, v)| *v < y1) {
            return Some((x1 + x2) / 2.0);
        }
    }
    Some(x1)
}

/// The median and its limits as R `print.survfit` shows them (`survival:::survmean`).
///
/// # Formula
/// The median is the first time with S(t) ≤ 0.5 (within 1.5e-8); where S equals 0.5 at
/// that time it is the midpoint between that time and the first time S drops below 0.5.
/// The lower limit is the same rule applied to the lower band, the upper to the upper band.
///
/// This differs from R `quantile.survfit` (and [`crate::median_r`]) in one case: when the
/// curve ends on a plateau at exactly 0.5, `print` gives the first time on the plateau and
/// `quantile` the midpoint between it and the last observed time.
///
/// # References
/// R `survival:::survmean` (used by `print.survfit` and `summary(fit)$table`).
pub fn print_median(curve: &KmCurve) -> MedianCi {
    let surv: Vec<Option<f64>> = curve.surv.iter().map(|&s| Some(s)).collect();
    MedianCi {
        prob: 0.5,
        estimate: minmin(&surv, &curve.time),
        lower: minmin(&curve.lower, &curve.time),
        upper: minmin(&curve.upper, &curve.time),
        se: None,
        conf_level: curve.options.conf_level,
        method: MedianMethod::RBandInversion,
    }
}

/// The reverse Kaplan–Meier curve of every group, in level order: R
/// `survfit(Surv(time, 1 - status) ~ group)`. In each curve `n_event` counts censorings
/// and `n_censor` counts events.
///
/// Cost: one O(n log n) sort, then linear.
pub fn reverse_kaplan_meier(data: &SurvData, options: &KmOptions) -> Vec<KmCurve> {
    curves_by_group(data, options, true)
}

/// The reverse Kaplan–Meier curve of all patients together, labelled `"overall"`:
/// R `survfit(Surv(time, 1 - status) ~ 1)`.
///
/// Cost: one O(n log n) sort, then linear.
pub fn reverse_kaplan_meier_overall(data: &SurvData, options: &KmOptions) -> KmCurve {
    let order = data.order_by_time();
    km_sorted(
        "overall".to_string(),
        order.iter().map(|&i| (data.time()[i], !data.event()[i])),
        order.len(),
        options,
        z_value(options.conf_level),
    )
}

pub(crate) fn follow_up_of(curve: &KmCurve) -> FollowUp {
    FollowUp {
        group: curve.group.clone(),
        n: curve.n,
        censored: curve.events,
        median: print_median(curve),
    }
}

/// Median follow-up by the reverse Kaplan–Meier method, overall and per group, with the
/// confidence interval R `print(survfit(Surv(time, 1 - status) ~ group))` shows.
///
/// Cost: O(n log n) (two sorts), then linear.
///
/// # Examples
/// ```
/// use survcalc_stats::{median_follow_up, FollowUpOptions, SurvData};
/// // Censored at 4, 6 and 8; deaths at 1 and 2.
/// let d = SurvData::from_labels(
///     vec![1.0, 2.0, 4.0, 6.0, 8.0], vec![true, true, false, false, false], &["a"; 5])?;
/// let f = median_follow_up(&d, &FollowUpOptions::default());
/// assert_eq!(f.overall.median.estimate, Some(6.0));
/// # Ok::<(), survcalc_stats::DataError>(())
/// ```
///
/// # References
/// Schemper M, Smith TL (1996). Control Clin Trials 17:343–346. R `print.survfit`,
/// `survival:::survmean`.
pub fn median_follow_up(data: &SurvData, options: &FollowUpOptions) -> FollowUpSummary {
    let overall = follow_up_of(&reverse_kaplan_meier_overall(data, &options.km));
    let groups = reverse_kaplan_meier(data, &options.km)
        .iter()
        .map(follow_up_of)
        .collect();
    FollowUpSummary {
        overall,
        groups,
        method: FollowUpMethod::ReverseKaplanMeier,
        options: *options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::median_r;

    fn data(time: &[f64], ev: &[u8]) -> SurvData {
        match SurvData::from_labels(
            time.to_vec(),
            ev.iter().map(|&e| e == 1).collect(),
            &vec!["g"; time.len()],
        ) {
            Ok(d) => d,
            Err(e) => panic!("test data invalid: {e}"),
        }
    }

    #[test]
    fn reverse_curve_counts_censorings_as_events() {
        let d = data(&[1.0, 2.0, 3.0, 4.0], &[1, 0, 0, 1]);
        let c = reverse_kaplan_meier_overall(&d, &KmOptions::default());
        assert_eq!(c.n_event, vec![0, 1, 1, 0]);
        let expected = [1.0, 2.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0];
        assert!(c
            .surv
            .iter()
            .zip(expected)
            .all(|(a, b)| (a - b).abs() < 1e-15));
    }

    #[test]
    fn end_plateau_at_half_differs_from_quantile() {
        // Censored at 1 and 2, deaths at 3 and 4: the reverse curve is 0.75, 0.5 and stays
        // at 0.5. R print: 2; R quantile: (2 + 4) / 2 = 3.
        let d = data(&[1.0, 2.0, 3.0, 4.0], &[0, 0, 1, 1]);
        let c = reverse_kaplan_meier_overall(&d, &KmOptions::default());
        assert_eq!(print_median(&c).estimate, Some(2.0));
        assert_eq!(median_r(&c, 0.5).estimate, Some(3.0));
    }

    #[test]
    fn interior_plateau_takes_midpoint() {
        // S = 0.5 on [2, 4), then drops: both rules give 3.
        let d = data(&[1.0, 2.0, 4.0, 5.0], &[0, 0, 0, 0]);
        let c = reverse_kaplan_meier_overall(&d, &KmOptions::default());
        assert_eq!(print_median(&c).estimate, Some(3.0));
    }
}
