//! Survival at chosen (landmark) times, the numbers-at-risk table, and the between-arm
//! difference in survival at a landmark.
//!
//! # Formula
//! For a time t ≥ 0 and one group's Kaplan–Meier curve, as R's
//! `summary(survfit(...), times = t)`:
//!
//! * S(t), its Greenwood standard error S(t)·se{log S(t)} and the pointwise limits are those
//!   of the last distinct time ≤ t; before the first time they are S = 1, SE = 0 and limits
//!   (1, 1), the row R's `survfit0` adds at time 0;
//! * n.risk = the number of observations with time ≥ t;
//! * n.event and n.censor count what happened after the previous requested time, up to and
//!   including t (R's `summary` convention); the cumulative counts from time 0 are given
//!   beside them.
//!
//! The difference between two groups at t is the untransformed ("naive") comparison of
//! Klein et al.: D = S₁(t) − S₂(t), SE(D) = √(SE₁² + SE₂²) with Greenwood SEs of independent
//! samples, the Wald interval D ± z·SE(D) and the two-sided P = 2·Φ(−|D / SE(D)|).
//!
//! # References
//! Klein JP, Logan B, Harhoff M, Andersen PK (2007). Analyzing survival curves at a fixed
//! point in time. Stat Med 26:4505–4519. R `survival:::summary.survfit(times = , extend = )`.

use crate::km::{z_value, KmCurve};
use crate::logrank::chi_square_sf;
use crate::ConfType;
use std::fmt;

/// Options for [`survival_at`]. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LandmarkOptions {
    /// R `summary.survfit(extend = FALSE)`: with `false` a time after the group's largest
    /// observed time gives no row (R drops it); with `true` it gives a row whose estimate
    /// and limits are carried forward from the last time, with n.risk = 0.
    pub extend: bool,
}

/// Options for [`survival_difference`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DifferenceOptions {
    /// Confidence level of the Wald interval of the difference, in (0, 1); 0.95 by
    /// default. (No R function computes this difference; the level plays the role of
    /// R's `conf.int`.)
    pub conf_level: f64,
}

impl Default for DifferenceOptions {
    fn default() -> Self {
        DifferenceOptions { conf_level: 0.95 }
    }
}

/// An invalid request for estimates at chosen times.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum LandmarkError {
    /// A requested time is negative, infinite or NaN.
    InvalidTime {
        /// Zero-based position in the list of requested times.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// The confidence level is not strictly between 0 and 1.
    InvalidConfLevel {
        /// The offending value.
        value: f64,
    },
}

impl fmt::Display for LandmarkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LandmarkError::InvalidTime { index, value } => write!(
                f,
                "landmark time {} ({value}) is not a finite non-negative number",
                index + 1
            ),
            LandmarkError::InvalidConfLevel { value } => write!(
                f,
                "confidence level {value} must be strictly between 0 and 1 (e.g. 0.95)"
            ),
        }
    }
}

impl std::error::Error for LandmarkError {}

/// One row of R's `summary(fit, times = t)` for one group.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SurvivalAt {
    /// The requested time (R `time`).
    pub time: f64,
    /// Number at risk at `time`: observations with time ≥ `time` (R `n.risk`).
    pub n_risk: usize,
    /// Events after the previous requested time, up to and including `time` (R `n.event`;
    /// from time 0 for the first row).
    pub n_event: usize,
    /// Censorings after the previous requested time, up to and including `time`
    /// (R `n.censor`).
    pub n_censor: usize,
    /// Events in [0, `time`].
    pub cum_event: usize,
    /// Censorings in [0, `time`].
    pub cum_censor: usize,
    /// Kaplan–Meier S(`time`) (R `surv`).
    pub surv: f64,
    /// Greenwood standard error of S (R `std.err`); `None` where R gives NaN (S = 0 after
    /// an event that emptied the risk set).
    pub std_err: Option<f64>,
    /// Lower pointwise limit of the curve's band (R `lower`); `None` where R gives NA.
    pub lower: Option<f64>,
    /// Upper pointwise limit (R `upper`); `None` where R gives NA.
    pub upper: Option<f64>,
    /// `time` is after the group's largest observed time: the row exists only with
    /// `extend = true`, and its values are carried forward from that last time.
    pub beyond_last: bool,
}

/// Survival of one group at chosen times.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Landmarks {
    /// The group's label.
    pub group: String,
    /// The transform of the pointwise limits (the curve's).
    pub conf_type: ConfType,
    /// The confidence level of the limits (the curve's).
    pub conf_level: f64,
    /// One row per requested time, in increasing time order (as R sorts `times`).
    pub rows: Vec<SurvivalAt>,
}

/// The numbers-at-risk table drawn under a Kaplan–Meier figure.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RiskTable {
    /// The requested times, increasing.
    pub times: Vec<f64>,
    /// One row per group, in the order of the curves given.
    pub groups: Vec<RiskRow>,
}

/// One group's row of a [`RiskTable`]; each vector is aligned with [`RiskTable::times`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RiskRow {
    /// The group's label.
    pub group: String,
    /// Number at risk (time ≥ t), R `summary(fit, times = t, extend = TRUE)$n.risk`.
    pub n_risk: Vec<usize>,
    /// Events in [0, t].
    pub cum_event: Vec<usize>,
    /// Censorings in [0, t].
    pub cum_censor: Vec<usize>,
}

/// How a difference in survival at a landmark was compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum DifferenceMethod {
    /// S₁ − S₂ with SE = √(SE₁² + SE₂²) (Greenwood), Wald interval and z test on the
    /// untransformed scale (Klein et al. 2007, the "naive" test).
    GreenwoodWald,
}

/// S₁(t) − S₂(t) at one time.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SurvivalDifference {
    /// The time.
    pub time: f64,
    /// S₁(t).
    pub surv1: f64,
    /// S₂(t).
    pub surv2: f64,
    /// Greenwood SE of S₁(t); `None` where undefined (S₁ = 0 after the risk set emptied).
    pub se1: Option<f64>,
    /// Greenwood SE of S₂(t).
    pub se2: Option<f64>,
    /// S₁(t) − S₂(t).
    pub difference: f64,
    /// √(SE₁² + SE₂²); `None` where a group's SE is undefined.
    pub se: Option<f64>,
    /// Lower Wald limit, difference − z·SE (not truncated to [−1, 1]).
    pub lower: Option<f64>,
    /// Upper Wald limit, difference + z·SE.
    pub upper: Option<f64>,
    /// The z statistic difference / SE; `None` where it is not a finite number (SE = 0).
    pub z: Option<f64>,
    /// Two-sided P value 2·Φ(−|z|); `None` where undefined (0 / 0).
    pub p_value: Option<f64>,
    /// `t` is after the largest observed time of either group: that group's values are
    /// carried forward, as R's `summary(..., extend = TRUE)`.
    pub beyond_last: bool,
}

/// The difference in survival between two groups at chosen times.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LandmarkComparison {
    /// The first group (the minuend).
    pub group1: String,
    /// The second group (the subtrahend), usually the reference arm.
    pub group2: String,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// How the difference was compared.
    pub method: DifferenceMethod,
    /// One row per requested time, increasing.
    pub rows: Vec<SurvivalDifference>,
}

/// What a curve says at one requested time (`extend = TRUE` semantics).
struct Lookup {
    n_risk: usize,
    cum_event: usize,
    cum_censor: usize,
    surv: f64,
    std_err: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    beyond_last: bool,
}

/// Running sums of events and censorings over a curve's rows, so every lookup is a binary
/// search: O(n) once, then O(log n) per time.
struct Counts {
    events: Vec<usize>,
    censors: Vec<usize>,
}

impl Counts {
    fn new(curve: &KmCurve) -> Self {
        let running = |v: &[usize]| {
            v.iter()
                .scan(0usize, |acc, &x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        };
        Counts {
            events: running(&curve.n_event),
            censors: running(&curve.n_censor),
        }
    }

    fn lookup(&self, curve: &KmCurve, t: f64) -> Lookup {
        // Rows with time ≤ t (R's findInterval on the curve with its time-0 row).
        let k = curve.time.partition_point(|&x| x <= t);
        let beyond_last = curve.time.last().is_none_or(|&last| t > last);
        match k {
            // Before the first time: the row survfit0 adds at time 0 (S = 1, SE = 0,
            // limits 1 whatever the transform).
            0 => Lookup {
                n_risk: curve.at_risk(t),
                cum_event: 0,
                cum_censor: 0,
                surv: 1.0,
                std_err: Some(0.0),
                lower: Some(1.0),
                upper: Some(1.0),
                beyond_last,
            },
            _ => {
                let j = k - 1;
                let se = curve.surv[j] * curve.se_log_surv[j];
                Lookup {
                    n_risk: curve.at_risk(t),
                    cum_event: self.events[j],
                    cum_censor: self.censors[j],
                    surv: curve.surv[j],
                    std_err: se.is_finite().then_some(se),
                    lower: curve.lower[j],
                    upper: curve.upper[j],
                    beyond_last,
                }
            }
        }
    }
}

/// The requested times checked (finite, ≥ 0) and sorted, as R sorts `times`.
fn sorted_times(times: &[f64]) -> Result<Vec<f64>, LandmarkError> {
    if let Some((index, &value)) = times
        .iter()
        .enumerate()
        .find(|(_, t)| !(t.is_finite() && **t >= 0.0))
    {
        return Err(LandmarkError::InvalidTime { index, value });
    }
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

fn check_level(conf_level: f64) -> Result<(), LandmarkError> {
    if conf_level > 0.0 && conf_level < 1.0 {
        Ok(())
    } else {
        Err(LandmarkError::InvalidConfLevel { value: conf_level })
    }
}

/// Survival of one group at chosen times, with its Greenwood SE, pointwise limits (the
/// curve's transform and level), the number at risk and event/censoring counts: the rows
/// of R's `summary(fit, times = times, extend = options.extend)`.
///
/// Times are sorted; duplicates are kept (R does the same). With `extend = false` times
/// after the group's largest observed time give no row.
///
/// Cost: O(n + m log n) for n curve rows and m times (after an O(m log m) sort).
///
/// # Errors
/// [`LandmarkError::InvalidTime`] for a negative or non-finite time. (R silently drops
/// non-finite times; a negative time has no meaning for follow-up from time 0.)
///
/// # Examples
/// ```
/// use survcalc_stats::{kaplan_meier, survival_at, KmOptions, LandmarkOptions, SurvData};
/// let d = SurvData::from_labels(vec![1.0, 2.0, 3.0, 4.0], vec![true, false, true, false], &["a"; 4])?;
/// let km = kaplan_meier(&d, &KmOptions::default());
/// let s = survival_at(&km[0], &[2.5], &LandmarkOptions::default()).expect("valid time");
/// assert_eq!(s.rows[0].surv, 0.75);
/// assert_eq!((s.rows[0].n_risk, s.rows[0].n_event, s.rows[0].n_censor), (2, 1, 1));
/// # Ok::<(), survcalc_stats::DataError>(())
/// ```
///
/// # References
/// R `survival:::summary.survfit(times = , extend = )`.
pub fn survival_at(
    curve: &KmCurve,
    times: &[f64],
    options: &LandmarkOptions,
) -> Result<Landmarks, LandmarkError> {
    let times = sorted_times(times)?;
    let counts = Counts::new(curve);
    let mut rows = Vec::with_capacity(times.len());
    let (mut prev_event, mut prev_censor) = (0, 0);
    for &t in &times {
        let l = counts.lookup(curve, t);
        if l.beyond_last && !options.extend {
            // Later times are larger still: R keeps none of them.
            break;
        }
        rows.push(SurvivalAt {
            time: t,
            n_risk: l.n_risk,
            n_event: l.cum_event - prev_event,
            n_censor: l.cum_censor - prev_censor,
            cum_event: l.cum_event,
            cum_censor: l.cum_censor,
            surv: l.surv,
            std_err: l.std_err,
            lower: l.lower,
            upper: l.upper,
            beyond_last: l.beyond_last,
        });
        (prev_event, prev_censor) = (l.cum_event, l.cum_censor);
    }
    Ok(Landmarks {
        group: curve.group.clone(),
        conf_type: curve.options.conf_type,
        conf_level: curve.options.conf_level,
        rows,
    })
}

/// The numbers-at-risk table (with cumulative events and censorings) of several groups at
/// the same times. Times after a group's last observation give n.risk = 0 and the final
/// counts, as R's `summary(fit, times = , extend = TRUE)`.
///
/// Cost: O(n + m log n) per group.
///
/// # Errors
/// [`LandmarkError::InvalidTime`] for a negative or non-finite time.
///
/// # References
/// R `summary(survfit(...), times = times, extend = TRUE)$n.risk`; cumulative counts are
/// the running sums of its `n.event` and `n.censor`.
pub fn risk_table(curves: &[KmCurve], times: &[f64]) -> Result<RiskTable, LandmarkError> {
    let times = sorted_times(times)?;
    let groups = curves
        .iter()
        .map(|c| {
            let counts = Counts::new(c);
            let mut row = RiskRow {
                group: c.group.clone(),
                n_risk: Vec::with_capacity(times.len()),
                cum_event: Vec::with_capacity(times.len()),
                cum_censor: Vec::with_capacity(times.len()),
            };
            for &t in &times {
                let l = counts.lookup(c, t);
                row.n_risk.push(l.n_risk);
                row.cum_event.push(l.cum_event);
                row.cum_censor.push(l.cum_censor);
            }
            row
        })
        .collect();
    Ok(RiskTable { times, groups })
}

/// Two-sided normal P value 2·Φ(−|z|), R `2 * pnorm(-abs(z))`; `None` for NaN.
///
/// Computed as the upper tail of χ²(1) at z², which statrs evaluates to about 1e-14
/// relative; statrs 0.18's `Normal::cdf` (through its `erfc`) is off by up to ~1e-10
/// relative against R's `pnorm`.
pub(crate) fn two_sided_p(z: f64) -> Option<f64> {
    let p = chi_square_sf(z * z, 1);
    (!p.is_nan()).then_some(p)
}

/// The difference S₁(t) − S₂(t) between two groups at chosen times, with the Wald
/// interval and z test of Klein et al. (2007) on the untransformed scale.
///
/// Each group's S(t) and SE are those of [`survival_at`] with `extend = true`; a row whose
/// time is after either group's last observation is flagged
/// ([`SurvivalDifference::beyond_last`]).
///
/// # Formula
/// D = S₁(t) − S₂(t); SE(D) = √(SE₁² + SE₂²) with Greenwood SEs; limits D ± z·SE(D),
/// z = Φ⁻¹(1 − (1 − level)/2); P = 2·Φ(−|D / SE(D)|).
///
/// # Errors
/// [`LandmarkError::InvalidTime`] for a negative or non-finite time,
/// [`LandmarkError::InvalidConfLevel`] for a level outside (0, 1).
///
/// # References
/// Klein JP, Logan B, Harhoff M, Andersen PK (2007). Stat Med 26:4505–4519 (the "naive"
/// test). No R function prints it: the fixtures compute it from
/// `summary(fit, times = t, extend = TRUE)$surv` and `$std.err`.
pub fn survival_difference(
    curve1: &KmCurve,
    curve2: &KmCurve,
    times: &[f64],
    options: &DifferenceOptions,
) -> Result<LandmarkComparison, LandmarkError> {
    check_level(options.conf_level)?;
    let times = sorted_times(times)?;
    let z = z_value(options.conf_level);
    let (c1, c2) = (Counts::new(curve1), Counts::new(curve2));
    let rows = times
        .iter()
        .map(|&t| {
            let a = c1.lookup(curve1, t);
            let b = c2.lookup(curve2, t);
            let difference = a.surv - b.surv;
            let se = match (a.std_err, b.std_err) {
                (Some(x), Some(y)) => Some((x * x + y * y).sqrt()),
                _ => None,
            };
            let stat = se.map(|s| difference / s);
            SurvivalDifference {
                time: t,
                surv1: a.surv,
                surv2: b.surv,
                se1: a.std_err,
                se2: b.std_err,
                difference,
                se,
                lower: se.map(|s| difference - z * s),
                upper: se.map(|s| difference + z * s),
                z: stat.filter(|x| x.is_finite()),
                p_value: stat.and_then(two_sided_p),
                beyond_last: a.beyond_last || b.beyond_last,
            }
        })
        .collect();
    Ok(LandmarkComparison {
        group1: curve1.group.clone(),
        group2: curve2.group.clone(),
        conf_level: options.conf_level,
        method: DifferenceMethod::GreenwoodWald,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(time: &[f64], ev: &[u8]) -> KmCurve {
        crate::km::test_curve(time, ev)
    }

    #[test]
    fn counts_are_since_previous_time_and_cumulative() {
        let c = curve(&[1.0, 2.0, 2.0, 3.0, 5.0], &[1, 0, 1, 1, 0]);
        let s =
            survival_at(&c, &[2.0, 0.5, 4.0], &LandmarkOptions::default()).expect("valid times");
        let t: Vec<f64> = s.rows.iter().map(|r| r.time).collect();
        assert_eq!(t, vec![0.5, 2.0, 4.0]);
        let ev: Vec<usize> = s.rows.iter().map(|r| r.n_event).collect();
        let cum: Vec<usize> = s.rows.iter().map(|r| r.cum_event).collect();
        assert_eq!(ev, vec![0, 2, 1]);
        assert_eq!(cum, vec![0, 2, 3]);
        let risk: Vec<usize> = s.rows.iter().map(|r| r.n_risk).collect();
        assert_eq!(risk, vec![5, 4, 1]);
        // Before the first time: R's added time-0 row.
        assert_eq!(
            (s.rows[0].surv, s.rows[0].std_err, s.rows[0].lower),
            (1.0, Some(0.0), Some(1.0))
        );
    }

    #[test]
    fn extend_keeps_times_after_the_last() {
        let c = curve(&[1.0, 2.0, 3.0], &[1, 0, 0]);
        let times = [1.0, 3.0, 4.0];
        let plain = survival_at(&c, &times, &LandmarkOptions::default()).expect("valid");
        assert_eq!(plain.rows.len(), 2);
        let ext = survival_at(&c, &times, &LandmarkOptions { extend: true }).expect("valid");
        assert_eq!(ext.rows.len(), 3);
        let last = &ext.rows[2];
        assert!(last.beyond_last);
        assert_eq!((last.n_risk, last.n_event), (0, 0));
        assert!((last.surv - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn rejects_negative_and_nan_times() {
        let c = curve(&[1.0, 2.0], &[1, 1]);
        let e = survival_at(&c, &[1.0, -1.0], &LandmarkOptions::default());
        assert_eq!(
            e,
            Err(LandmarkError::InvalidTime {
                index: 1,
                value: -1.0
            })
        );
        assert!(risk_table(std::slice::from_ref(&c), &[f64::NAN]).is_err());
        let bad = DifferenceOptions { conf_level: 1.0 };
        assert_eq!(
            survival_difference(&c, &c, &[1.0], &bad),
            Err(LandmarkError::InvalidConfLevel { value: 1.0 })
        );
    }

    #[test]
    fn difference_with_itself_is_zero_with_p_one() {
        let c = curve(&[1.0, 2.0, 3.0, 4.0], &[1, 0, 1, 0]);
        let d = survival_difference(&c, &c, &[1.5], &DifferenceOptions::default()).expect("valid");
        let r = &d.rows[0];
        assert_eq!(r.difference, 0.0);
        assert_eq!(r.p_value, Some(1.0));
        // At time 0 both SEs are 0: z = 0/0 and P are undefined.
        let d0 = survival_difference(&c, &c, &[0.0], &DifferenceOptions::default()).expect("valid");
        assert_eq!((d0.rows[0].z, d0.rows[0].p_value), (None, None));
    }
}
