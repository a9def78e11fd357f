//! Restricted mean survival time (RMST) up to a truncation time τ, per arm and between two
//! arms, as survRM2's `rmst2`.
//!
//! # Formula
//! For one arm with Kaplan–Meier curve S at its distinct times t_1 < … < t_m ≤ τ (events
//! and censorings, as `survfit` lists them), n_i at risk and d_i events:
//!
//! * RMST = ∫₀^τ S(u) du, the area under the step function; RMTL = τ − RMST (the
//!   restricted mean time lost);
//! * Var(RMST) = Σ_i A_i² d_i / (n_i (n_i − d_i)), A_i = ∫_{t_i}^τ S(u) du, a term being 0
//!   where n_i = d_i (the Greenwood plug-in of survRM2's `rmst1`);
//! * limits RMST ± z·SE; RMTL limits τ − (RMST ± z·SE).
//!
//! Between arm 1 and arm 0 (z = Φ⁻¹(1 − α/2), P = 2·Φ(−|estimate / SE|)):
//!
//! * difference RMST₁ − RMST₀, SE = √(Var₁ + Var₀), Wald interval;
//! * ratio RMST₁ / RMST₀ on the log scale, SE = √(Var₁/RMST₁² + Var₀/RMST₀²) (delta
//!   method), interval exponentiated;
//! * RMTL ratio RMTL₁ / RMTL₀ likewise with SE = √(Var₁/RMTL₁² + Var₀/RMTL₀²).
//!
//! R `survival`'s own restricted mean (`print(fit, rmean = τ)`, `summary(fit, rmean =
//! τ)$table[, "se(rmean)"]`, `survival:::survmean`) uses the same variance formula, so for
//! τ within follow-up both give the same SE; they differ only in which τ they allow (survival
//! extends the last value of S past the last observation, survRM2 refuses) and in the
//! default τ (survival: the largest time of all groups; survRM2: the rule of
//! [`rmst_tau_max`]).
//!
//! # References
//! Uno H, Claggett B, Tian L, et al. (2014). Moving beyond the hazard ratio in quantifying
//! the between-group difference in survival analysis. J Clin Oncol 32:2380–2385.
//! Royston P, Parmar MKB (2013). BMC Med Res Methodol 13:152. R package survRM2 1.0-4,
//! `rmst2()` and its internal `rmst1()`.

use crate::km::{z_value, KmCurve};
use crate::landmark::two_sided_p;
use std::fmt;

/// Options of [`rmst2`] and [`rmst_by_group`]. Defaults are survRM2's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RmstOptions {
    /// survRM2 `rmst2(tau = NULL)`: the truncation time; `None` takes survRM2's default
    /// ([`rmst_tau_max`]). A τ above that maximum is an error, as in survRM2.
    pub tau: Option<f64>,
    /// 1 − survRM2 `rmst2(alpha = 0.05)`: the confidence level, in (0, 1).
    pub conf_level: f64,
}

impl Default for RmstOptions {
    fn default() -> Self {
        RmstOptions {
            tau: None,
            conf_level: 0.95,
        }
    }
}

/// An invalid RMST request.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum RmstError {
    /// τ is not a finite number greater than 0.
    InvalidTau {
        /// The offending value.
        tau: f64,
    },
    /// τ is beyond the time up to which every curve is estimable (survRM2's check).
    TauTooLarge {
        /// The τ asked for.
        tau: f64,
        /// The largest τ allowed ([`rmst_tau_max`]).
        max: f64,
    },
    /// A group has no observations.
    EmptyGroup {
        /// The group's label.
        group: String,
    },
    /// The confidence level is not strictly between 0 and 1.
    InvalidConfLevel {
        /// The offending value.
        value: f64,
    },
}

impl fmt::Display for RmstError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RmstError::InvalidTau { tau } => {
                write!(
                    f,
                    "the truncation time tau = {tau} must be a finite number above 0"
                )
            }
            RmstError::TauTooLarge { tau, max } => write!(
                f,
                "the truncation time tau = {tau} is beyond the follow-up of the groups; \
                 choose tau ≤ {max}"
            ),
            RmstError::EmptyGroup { group } => {
                write!(
                    f,
                    "group \"{group}\" has no observations: no RMST can be computed"
                )
            }
            RmstError::InvalidConfLevel { value } => write!(
                f,
                "confidence level {value} must be strictly between 0 and 1 (e.g. 0.95)"
            ),
        }
    }
}

impl std::error::Error for RmstError {}

/// How the RMST was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum RmstMethod {
    /// Area under the Kaplan–Meier curve, Greenwood plug-in variance, Wald intervals; the
    /// ratios on the log scale by the delta method (survRM2 `rmst2`, unadjusted).
    KaplanMeierArea,
}

/// Where τ came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum TauSource {
    /// Chosen by the user (survRM2 `tau = `).
    User,
    /// survRM2's default (`tau = NULL`): [`rmst_tau_max`], and with three or more groups
    /// also within each comparison's limit against the first ([`rmst_tau_default`]).
    Default,
}

/// The RMST of one arm up to τ.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Rmst {
    /// The group's label.
    pub group: String,
    /// The truncation time τ.
    pub tau: f64,
    /// RMST = ∫₀^τ S(u) du (survRM2 `RMST.arm*$rmst["Est."]`).
    pub estimate: f64,
    /// Its variance (survRM2 `rmst.var`).
    pub variance: f64,
    /// Its standard error (survRM2 `rmst["se"]`; equal to survival's `se(rmean)`).
    pub se: f64,
    /// Lower limit RMST − z·SE.
    pub lower: f64,
    /// Upper limit RMST + z·SE.
    pub upper: f64,
    /// Restricted mean time lost τ − RMST (survRM2 `rmtl["Est."]`).
    pub rmtl: f64,
    /// Lower limit of the RMTL, τ − upper.
    pub rmtl_lower: f64,
    /// Upper limit of the RMTL, τ − lower.
    pub rmtl_upper: f64,
    /// Confidence level of the limits (1 − survRM2's `alpha`).
    pub conf_level: f64,
}

/// The scale a between-arm contrast is estimated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ContrastScale {
    /// Difference, Wald interval on the natural scale.
    Difference,
    /// Ratio, Wald interval on the log scale, exponentiated.
    LogRatio,
}

/// A between-arm contrast with its interval and P value. `None` where survRM2 gives NaN
/// or an infinite value (for example an RMTL ratio when an arm has no event before τ).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RmstContrast {
    /// The estimate (a difference, or a ratio on its natural scale).
    pub estimate: Option<f64>,
    /// Standard error on the scale of the test: of the difference, or of the log ratio.
    pub se: Option<f64>,
    /// Lower confidence limit (natural scale).
    pub lower: Option<f64>,
    /// Upper confidence limit (natural scale).
    pub upper: Option<f64>,
    /// Two-sided P value of the Wald z test (of the difference = 0, of the log ratio = 0).
    pub p_value: Option<f64>,
    /// The scale of the interval and test.
    pub scale: ContrastScale,
}

/// The two-arm RMST comparison of survRM2 `rmst2` (unadjusted analysis).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RmstComparison {
    /// The truncation time used.
    pub tau: f64,
    /// Whether τ was given or is the default.
    pub tau_source: TauSource,
    /// The largest τ allowed, survRM2's default ([`rmst_tau_max`]).
    pub tau_max: f64,
    /// Arm 1 (survRM2 `RMST.arm1`), usually the experimental arm.
    pub arm1: Rmst,
    /// Arm 0 (survRM2 `RMST.arm0`), usually the control arm.
    pub arm0: Rmst,
    /// RMST₁ − RMST₀ (survRM2 row "RMST (arm=1)-(arm=0)").
    pub difference: RmstContrast,
    /// RMST₁ / RMST₀ (survRM2 row "RMST (arm=1)/(arm=0)").
    pub ratio: RmstContrast,
    /// RMTL₁ / RMTL₀ (survRM2 row "RMTL (arm=1)/(arm=0)").
    pub rmtl_ratio: RmstContrast,
    /// Confidence level of all intervals.
    pub conf_level: f64,
    /// How it was estimated.
    pub method: RmstMethod,
}

/// RMST of several groups at one τ.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct RmstTable {
    /// The truncation time used.
    pub tau: f64,
    /// Whether τ was given or is the default.
    pub tau_source: TauSource,
    /// The largest τ allowed ([`rmst_tau_max`] of all the groups).
    pub tau_max: f64,
    /// One entry per group, in the order given.
    pub groups: Vec<Rmst>,
    /// How it was estimated.
    pub method: RmstMethod,
}

/// The largest truncation time survRM2 allows, which is also its default τ.
///
/// # Formula
/// With x_k the largest observed time of group k, a group "ends with an event" when every
/// observation at x_k is an event (its curve is then 0 from x_k on, so known for all
/// later times). survRM2 (two arms): if the arm with the shorter follow-up ends with an
/// event, τ = max(x₁, x₀); otherwise τ = min(x₁, x₀) (its documented cases 1–4). For any
/// number of groups this is min(max_k x_k, min over groups ending censored of x_k).
///
/// `None` when there are no curves or a curve has no observations.
///
/// # References
/// survRM2 reference manual, `rmst2`, "Details: the definition of the default tau".
pub fn rmst_tau_max<'a>(curves: impl IntoIterator<Item = &'a KmCurve>) -> Option<f64> {
    let mut longest = f64::NEG_INFINITY;
    let mut censored_limit = f64::INFINITY;
    let mut any = false;
    for c in curves {
        let (&x, &censored) = (c.time.last()?, c.n_censor.last()?);
        any = true;
        longest = longest.max(x);
        if censored > 0 {
            censored_limit = censored_limit.min(x);
        }
    }
    any.then_some(longest.min(censored_limit))
}

/// The default τ of a table of groups compared each with the first: [`rmst_tau_max`] of
/// all of them, and no later than [`rmst_tau_max`] of any pair (first, k), so that the
/// table and every comparison against the first share one τ. With two groups this is
/// survRM2's default; with three, when the two shorter arms end with events and the third
/// goes on, the pair's limit (survRM2's rule for those two) is the smaller.
///
/// `None` as [`rmst_tau_max`].
pub fn rmst_tau_default(curves: &[&KmCurve]) -> Option<f64> {
    let all = rmst_tau_max(curves.iter().copied())?;
    let (first, rest) = curves.split_first()?;
    rest.iter().try_fold(all, |tau, c| {
        rmst_tau_max([*first, *c]).map(|pair| tau.min(pair))
    })
}

fn check_conf_level(conf_level: f64) -> Result<(), RmstError> {
    if conf_level > 0.0 && conf_level < 1.0 {
        Ok(())
    } else {
        Err(RmstError::InvalidConfLevel { value: conf_level })
    }
}

/// Checks τ against the curves and resolves the default.
fn resolve_tau(curves: &[&KmCurve], tau: Option<f64>) -> Result<(f64, TauSource, f64), RmstError> {
    if let Some(c) = curves.iter().find(|c| c.time.is_empty()) {
        return Err(RmstError::EmptyGroup {
            group: c.group.clone(),
        });
    }
    let max = rmst_tau_max(curves.iter().copied()).unwrap_or(f64::NAN);
    match tau {
        None => Ok((
            rmst_tau_default(curves).unwrap_or(max),
            TauSource::Default,
            max,
        )),
        Some(t) if !(t.is_finite() && t > 0.0) => Err(RmstError::InvalidTau { tau: t }),
        Some(t) if t > max => Err(RmstError::TauTooLarge { tau: t, max }),
        Some(t) => Ok((t, TauSource::User, max)),
    }
}

/// The RMST of one curve up to `tau`, with survRM2's variance (no check of τ against
/// follow-up: beyond the last time the last value of S is carried forward, as
/// survival's `rmean`). Callers check τ with [`resolve_tau`].
fn rmst_unchecked(curve: &KmCurve, tau: f64, conf_level: f64) -> Rmst {
    // Rows with time ≤ τ, and the rectangles of the step function: the one ending at each
    // kept time (height 1 before the first), then the one from the last kept time to τ.
    let m = curve.time.partition_point(|&t| t <= tau);
    let mut rect = Vec::with_capacity(m + 1);
    let mut prev_t = 0.0;
    let mut prev_s = 1.0;
    for j in 0..m {
        rect.push((curve.time[j] - prev_t) * prev_s);
        prev_t = curve.time[j];
        prev_s = curve.surv[j];
    }
    rect.push((tau - prev_t) * prev_s);
    let estimate = area(curve, m, tau);
    // A_i = area from t_i to τ = the rectangles after t_i, accumulated from the end.
    let mut variance = 0.0;
    let mut tail = 0.0;
    for j in (0..m).rev() {
        tail += rect[j + 1];
        let (n, d) = (curve.n_risk[j] as f64, curve.n_event[j] as f64);
        if d > 0.0 && n > d {
            variance += tail * tail * d / (n * (n - d));
        }
    }
    let se = variance.sqrt();
    let z = z_value(conf_level);
    let (lower, upper) = (estimate - z * se, estimate + z * se);
    Rmst {
        group: curve.group.clone(),
        tau,
        estimate,
        variance,
        se,
        lower,
        upper,
        rmtl: tau - estimate,
        rmtl_lower: tau - upper,
        rmtl_upper: tau - lower,
        conf_level,
    }
}

/// The area under the step function up to τ, from the first `m` rows: one rectangle per
/// run of equal S (censorings do not change S), summed with Neumaier's compensation. R
/// sums the row rectangles in long double; adding the runs' widths row by row in double
/// left an all-censored arm's RMST a few ulps off τ, and a difference of −2.2e-16 with
/// SE 0 (issue 11).
fn area(curve: &KmCurve, m: usize, tau: f64) -> f64 {
    let mut total = crate::numerics::sum::Sum::default();
    let mut add = |x: f64| total.add(x);
    let (mut start, mut s) = (0.0, 1.0);
    for j in 0..m {
        if curve.surv[j] != s {
            add((curve.time[j] - start) * s);
            start = curve.time[j];
            s = curve.surv[j];
        }
    }
    add((tau - start) * s);
    total.value()
}

/// The RMST of one group up to `tau`, with survRM2's SE and Wald interval.
///
/// # Errors
/// [`RmstError::InvalidTau`] unless τ is finite and > 0; [`RmstError::TauTooLarge`] if τ is
/// after the group's last observed time ([`rmst_tau_max`] of this one curve);
/// [`RmstError::EmptyGroup`]; [`RmstError::InvalidConfLevel`].
///
/// # Examples
/// ```
/// use survcalc_stats::{kaplan_meier, rmst, KmOptions, SurvData};
/// // S = 1 on [0, 2), 0.5 on [2, 4): RMST(4) = 2 + 1 = 3.
/// let d = SurvData::from_labels(vec![2.0, 4.0], vec![true, false], &["a"; 2])?;
/// let km = kaplan_meier(&d, &KmOptions::default());
/// let r = rmst(&km[0], 4.0, 0.95).expect("tau within follow-up");
/// assert_eq!(r.estimate, 3.0);
/// # Ok::<(), survcalc_stats::DataError>(())
/// ```
///
/// # References
/// survRM2 1.0-4 internal `rmst1(time, status, tau, alpha)`; Uno et al. (2014).
pub fn rmst(curve: &KmCurve, tau: f64, conf_level: f64) -> Result<Rmst, RmstError> {
    check_conf_level(conf_level)?;
    let (tau, _, _) = resolve_tau(&[curve], Some(tau))?;
    Ok(rmst_unchecked(curve, tau, conf_level))
}

/// The RMST of every group at one τ (default: [`rmst_tau_max`] of all groups).
///
/// # Errors
/// As [`rmst`], with τ checked against all groups.
///
/// # References
/// survRM2 `rmst1` per group; the default τ generalises `rmst2`'s rule to k groups.
pub fn rmst_by_group(curves: &[KmCurve], options: &RmstOptions) -> Result<RmstTable, RmstError> {
    check_conf_level(options.conf_level)?;
    let refs: Vec<&KmCurve> = curves.iter().collect();
    let (tau, tau_source, tau_max) = resolve_tau(&refs, options.tau)?;
    Ok(RmstTable {
        tau,
        tau_source,
        tau_max,
        groups: curves
            .iter()
            .map(|c| rmst_unchecked(c, tau, options.conf_level))
            .collect(),
        method: RmstMethod::KaplanMeierArea,
    })
}

/// A contrast from its estimate and SE on the test scale, as survRM2 computes it.
fn contrast(est: f64, se: f64, z: f64, scale: ContrastScale) -> RmstContrast {
    let finite = |x: f64| x.is_finite().then_some(x);
    let (lo, hi) = (est - z * se, est + z * se);
    let back = |x: f64| match scale {
        ContrastScale::Difference => x,
        ContrastScale::LogRatio => x.exp(),
    };
    // R: 2 * pnorm(-abs(est) / se); pnorm(-Inf) = 0, NaN stays NaN. With se = 0 there is
    // no test (R prints 0 or NaN by the sign of the rounding error): undefined.
    let p = if se > 0.0 {
        two_sided_p(est / se)
    } else {
        None
    };
    RmstContrast {
        estimate: finite(back(est)),
        se: finite(se),
        lower: finite(back(lo)),
        upper: finite(back(hi)),
        p_value: p,
        scale,
    }
}

/// Compares the RMST of two arms up to τ: difference, ratio and RMTL ratio with intervals
/// and P values, as survRM2 `rmst2(time, status, arm, tau)` without covariates.
///
/// `arm1` is survRM2's `arm = 1` (usually the experimental arm), `arm0` its `arm = 0`.
///
/// Cost: linear in the curves' rows.
///
/// # Errors
/// [`RmstError::TauTooLarge`] when a given τ exceeds [`rmst_tau_max`] (survRM2 stops with
/// "The truncation time, tau, needs to be shorter than or equal to …");
/// [`RmstError::InvalidTau`], [`RmstError::EmptyGroup`], [`RmstError::InvalidConfLevel`].
///
/// # References
/// Uno H et al. (2014). J Clin Oncol 32:2380–2385. survRM2 1.0-4 `rmst2()`.
pub fn rmst2(
    arm1: &KmCurve,
    arm0: &KmCurve,
    options: &RmstOptions,
) -> Result<RmstComparison, RmstError> {
    check_conf_level(options.conf_level)?;
    let (tau, tau_source, tau_max) = resolve_tau(&[arm1, arm0], options.tau)?;
    let a1 = rmst_unchecked(arm1, tau, options.conf_level);
    let a0 = rmst_unchecked(arm0, tau, options.conf_level);
    let z = z_value(options.conf_level);
    let difference = contrast(
        a1.estimate - a0.estimate,
        (a1.variance + a0.variance).sqrt(),
        z,
        ContrastScale::Difference,
    );
    let ratio = contrast(
        a1.estimate.ln() - a0.estimate.ln(),
        (a1.variance / a1.estimate / a1.estimate + a0.variance / a0.estimate / a0.estimate).sqrt(),
        z,
        ContrastScale::LogRatio,
    );
    let rmtl_ratio = contrast(
        a1.rmtl.ln() - a0.rmtl.ln(),
        (a1.variance / a1.rmtl / a1.rmtl + a0.variance / a0.rmtl / a0.rmtl).sqrt(),
        z,
        ContrastScale::LogRatio,
    );
    Ok(RmstComparison {
        tau,
        tau_source,
        tau_max,
        arm1: a1,
        arm0: a0,
        difference,
        ratio,
        rmtl_ratio,
        conf_level: options.conf_level,
        method: RmstMethod::KaplanMeierArea,
    })
}

/// Each group after the first against the first ([`rmst2`], the first as survRM2's
/// `arm = 0`), at the τ of `table` (the groups' [`rmst_by_group`]): the comparisons the
/// report and `survcalc stream` show.
///
/// # Errors
/// Each comparison's, as [`rmst2`].
pub fn rmst_against_first(
    curves: &[KmCurve],
    table: &RmstTable,
    conf_level: f64,
) -> Vec<Result<RmstComparison, RmstError>> {
    let pair = RmstOptions {
        tau: Some(table.tau),
        conf_level,
    };
    match curves.split_first() {
        Some((first, rest)) => rest.iter().map(|c| rmst2(c, first, &pair)).collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kaplan_meier, KmOptions, SurvData};

    fn curves(time: &[f64], ev: &[u8], grp: &[&str]) -> Vec<KmCurve> {
        match SurvData::from_labels(time.to_vec(), ev.iter().map(|&e| e == 1).collect(), grp) {
            Ok(d) => kaplan_meier(&d, &KmOptions::default()),
            Err(e) => panic!("test data invalid: {e}"),
        }
    }

    #[test]
    fn regression_all_censored_arms_have_no_test() {
        // Issue 11: an all-censored arm gave a difference of −2.2e-16 with se 0 and P = 0.
        let c = curves(
            &[0.1, 0.7, 1.3, 2.9, 0.2, 0.3, 1.7, 2.9],
            &[0, 0, 0, 0, 0, 0, 0, 0],
            &["a", "a", "a", "a", "b", "b", "b", "b"],
        );
        let r = rmst2(&c[1], &c[0], &RmstOptions::default()).expect("valid tau");
        assert_eq!(r.difference.estimate, Some(0.0));
        assert_eq!(r.difference.se, Some(0.0));
        assert_eq!(r.difference.p_value, None, "no test without variance");
        let a = rmst(&c[0], 2.9, 0.95).expect("valid tau");
        assert_eq!(a.estimate, 2.9, "the area under S = 1 is τ exactly");
    }

    #[test]
    fn no_censoring_rmst_is_mean_of_truncated_times() {
        let t = [1.0, 3.0, 4.0, 7.0, 9.0];
        let c = curves(&t, &[1; 5], &["a"; 5]);
        let tau = 5.0;
        let mean = t.iter().map(|&x: &f64| x.min(tau)).sum::<f64>() / 5.0;
        let r = rmst(&c[0], tau, 0.95).expect("valid tau");
        assert!((r.estimate - mean).abs() < 1e-14);
        assert!((r.rmtl - (tau - mean)).abs() < 1e-14);
    }

    #[test]
    fn default_tau_follows_survrm2_cases() {
        // a ends censored at 6, b ends with an event at 4: the shorter arm (b) ends with
        // an event, so τ = max = 6.
        let c = curves(&[1.0, 6.0, 2.0, 4.0], &[1, 0, 1, 1], &["a", "a", "b", "b"]);
        assert_eq!(rmst_tau_max(&c), Some(6.0));
        // b ends censored at 4: τ = min = 4, and τ = 5 is refused.
        let c = curves(&[1.0, 6.0, 2.0, 4.0], &[1, 1, 1, 0], &["a", "a", "b", "b"]);
        assert_eq!(rmst_tau_max(&c), Some(4.0));
        let opt = RmstOptions {
            tau: Some(5.0),
            ..RmstOptions::default()
        };
        assert_eq!(
            rmst2(&c[0], &c[1], &opt),
            Err(RmstError::TauTooLarge { tau: 5.0, max: 4.0 })
        );
        let bad = RmstOptions {
            tau: Some(-1.0),
            ..RmstOptions::default()
        };
        assert_eq!(
            rmst2(&c[0], &c[1], &bad),
            Err(RmstError::InvalidTau { tau: -1.0 })
        );
    }

    /// Three arms: a and b end with events at 4 and 5, c goes on to 9 (an event). The
    /// three together allow τ = 9, but the pair (a, b) only 5 (its longer arm's end):
    /// the default is 5, and every comparison against a is made at it.
    #[test]
    fn default_tau_of_three_arms_suits_every_comparison() {
        let c = curves(
            &[1.0, 4.0, 2.0, 5.0, 3.0, 9.0],
            &[1, 1, 1, 1, 0, 1],
            &["a", "a", "b", "b", "c", "c"],
        );
        let refs: Vec<&KmCurve> = c.iter().collect();
        assert_eq!(rmst_tau_max(refs.iter().copied()), Some(9.0));
        assert_eq!(rmst_tau_default(&refs), Some(5.0));
        let table = match rmst_by_group(&c, &RmstOptions::default()) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            (table.tau, table.tau_source, table.tau_max),
            (5.0, TauSource::Default, 9.0)
        );
        let compared = rmst_against_first(&c, &table, 0.95);
        assert_eq!(compared.len(), 2);
        assert!(compared.iter().all(Result::is_ok), "{compared:?}");
        // Two arms: survRM2's default, unchanged.
        let two = &refs[..2];
        assert_eq!(rmst_tau_default(two), rmst_tau_max(two.iter().copied()));
    }

    #[test]
    fn swapping_arms_negates_difference_and_inverts_ratio() {
        let c = curves(
            &[1.0, 2.0, 5.0, 6.0, 2.5, 3.0, 4.0, 7.0],
            &[1, 0, 1, 0, 1, 1, 0, 1],
            &["a", "a", "a", "a", "b", "b", "b", "b"],
        );
        let o = RmstOptions::default();
        let ab = rmst2(&c[0], &c[1], &o).expect("valid");
        let ba = rmst2(&c[1], &c[0], &o).expect("valid");
        let (d1, d2) = (ab.difference.estimate, ba.difference.estimate);
        assert!(d1.zip(d2).is_some_and(|(x, y)| (x + y).abs() < 1e-14));
        let (r1, r2) = (ab.ratio.estimate, ba.ratio.estimate);
        assert!(r1.zip(r2).is_some_and(|(x, y)| (x * y - 1.0).abs() < 1e-14));
        assert_eq!(ab.difference.p_value, ba.difference.p_value);
    }
}
