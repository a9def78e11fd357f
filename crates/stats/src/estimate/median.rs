//! Median (and other quantiles) of survival with a confidence interval.
//!
//! Two methods, because trial reports use both:
//!
//! * [`median_r`] — R's `quantile.survfit` (and `print.survfit`): the estimate is the first
//!   time the curve reaches 1 − p, taking the midpoint of a plateau that lies exactly at
//!   1 − p; the confidence limits are the same quantile read off the pointwise lower and
//!   upper bands (Brookmeyer & Crowley 1982). SAS PROC LIFETEST does the same with its
//!   log-log band.
//! * [`median_spss`] — the symmetric interval t̂ ± z·SE(t̂) used by SPSS, with
//!   SE(t̂) = SE{Ŝ(t̂)} / f̂(t̂) and the density estimated from the times where S crosses
//!   1 − p ± 0.05 (Collett 2015, §2.4.2); the lower limit is floored at 0.
//!
//! # References
//! Brookmeyer R, Crowley J (1982). Biometrics 38:29–41. Collett D (2015). Modelling
//! Survival Data in Medical Research, 3rd ed., §2.4. R `survival:::quantile.survfit`,
//! `survival:::findq`.

use crate::km::{z_value, KmCurve};

/// How a median's confidence interval was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum MedianMethod {
    /// Band inversion as R `quantile.survfit` (Brookmeyer–Crowley with the curve's band).
    RBandInversion,
    /// Symmetric t̂ ± z·SE as SPSS (Collett 2015 §2.4.2), lower limit floored at 0.
    SpssSymmetric,
}

impl MedianMethod {
    /// The method in words, for exports and the methods text.
    pub fn describe(self) -> String {
        match self {
            MedianMethod::RBandInversion => {
                "Kaplan–Meier; CI where the pointwise band crosses 0.5 (Brookmeyer–Crowley, as R quantile.survfit)".into()
            }
            MedianMethod::SpssSymmetric => {
                "Kaplan–Meier; symmetric CI, median ± z·SE, lower limit floored at 0 (as SPSS)".into()
            }
        }
    }
}

/// A survival quantile with its confidence interval. `None` means "not reached"
/// (R prints `NA`): the curve or band never gets down to 1 − p.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MedianCi {
    /// The probability p of the quantile (0.5 for the median).
    pub prob: f64,
    /// Point estimate.
    pub estimate: Option<f64>,
    /// Lower confidence limit.
    pub lower: Option<f64>,
    /// Upper confidence limit.
    pub upper: Option<f64>,
    /// Standard error of the estimate, where the method has one (SPSS).
    pub se: Option<f64>,
    /// Confidence level of the interval.
    pub conf_level: f64,
    /// How the interval was made.
    pub method: MedianMethod,
}

/// R's tolerance in `quantile.survfit`: `sqrt(.Machine$double.eps)`.
const R_QUANTILE_TOL: f64 = 1.4901161193847656e-08;

/// The knots `(x, y)` with duplicated y values dropped (keeping the first), as R's
/// `duplicated` (NA equals NA, 0 equals −0), in O(n): a scan of the kept values made the
/// whole report quadratic in the distinct times (issue 15). An estimate 1 − S never
/// decreases, so its duplicates are neighbours among the defined values and a comparison
/// with the last one kept finds them; a band need not be monotone (issue 11), and one
/// that is not goes through a hash of the values seen ([`distinct_knots_hashed`]).
fn distinct_knots(x: &[f64], y: &[Option<f64>]) -> (Vec<f64>, Vec<Option<f64>>) {
    let defined = || y.iter().flatten();
    let monotone = defined().zip(defined().skip(1)).all(|(a, b)| a <= b)
        || defined().zip(defined().skip(1)).all(|(a, b)| a >= b);
    if !monotone {
        return distinct_knots_hashed(x, y);
    }
    let mut xs = Vec::with_capacity(x.len());
    let mut ys = Vec::with_capacity(y.len());
    let (mut last, mut na_seen) = (None::<f64>, false);
    for (&xi, &yi) in x.iter().zip(y) {
        let new = match yi {
            None => !std::mem::replace(&mut na_seen, true),
            Some(v) => last.is_none_or(|l| l != v),
        };
        if new {
            last = yi.or(last);
            xs.push(xi);
            ys.push(yi);
        }
    }
    (xs, ys)
}

/// [`distinct_knots`] for any order of the values.
fn distinct_knots_hashed(x: &[f64], y: &[Option<f64>]) -> (Vec<f64>, Vec<Option<f64>>) {
    let mut seen: std::collections::HashSet<Option<u64>> = std::collections::HashSet::new();
    let mut xs = Vec::with_capacity(x.len());
    let mut ys = Vec::with_capacity(y.len());
    for (&xi, &yi) in x.iter().zip(y) {
        let key = yi.map(|v| if v == 0.0 { 0u64 } else { v.to_bits() });
        if seen.insert(key) {
            xs.push(xi);
            ys.push(yi);
        }
    }
    (xs, ys)
}

/// The `p` quantile of a step function as R's `survival:::findq`.
///
/// `x` are times starting with the origin (0), `y` the cumulative probability 1 − S at
/// those times (`None` where undefined, as R's `NA`).
fn findq(x: &[f64], y: &[Option<f64>], p: f64) -> Option<f64> {
    let max_y = y
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if max_y < p {
        return None;
    }
    let xmax = *x.last()?;
    let (xs, ys) = distinct_knots(x, y);
    // approx(y ± tol, 1:n, p, method = "constant", f = 1). approx drops the NA knots and
    // sorts the others by value (a band need not be monotone: log and logit bands can
    // turn back; issue 11), then gives the index of the first knot at or above p, or NA
    // when p is outside the knots' range.
    let mut order: Vec<(f64, usize)> = ys
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (v, i)))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let index = |shift: f64| -> Option<usize> {
        let (first, last) = (order.first()?.0 + shift, order.last()?.0 + shift);
        if p < first || p > last {
            return None;
        }
        let k = order.partition_point(|(v, _)| v + shift < p);
        order.get(k).map(|&(_, i)| i)
    };
    let i1 = index(R_QUANTILE_TOL);
    let i2 = index(-R_QUANTILE_TOL);
    if let Some(Some(yn)) = ys.last() {
        if (p - yn).abs() < R_QUANTILE_TOL {
            return i1.map(|i| (xs[i] + xmax) / 2.0);
        }
    }
    match (i1, i2) {
        (Some(a), Some(b)) => Some((xs[a] + xs[b]) / 2.0),
        _ => None,
    }
}

/// The `prob` quantile of survival time (0.5 for the median) with R's band-inversion
/// confidence interval, from the curve's own pointwise band.
///
/// # Formula
/// t̂_p = inf{t : S(t) ≤ 1 − p}, with the midpoint rule when S equals 1 − p on an interval;
/// lower limit = the same rule applied to the lower band, upper = to the upper band.
///
/// # References
/// R `quantile(survfit(...), probs = p)`. For p = 0.5 this equals what `print(survfit(...))`
/// shows except when the curve ends on a plateau at exactly 0.5 (then `print` gives the
/// plateau's first time; see [`crate::followup::print_median`], which the report's headline
/// median uses).
pub fn median_r(curve: &KmCurve, prob: f64) -> MedianCi {
    let mut x = Vec::with_capacity(curve.time.len() + 1);
    x.push(0.0);
    x.extend_from_slice(&curve.time);
    let one_minus = |v: &[Option<f64>]| -> Vec<Option<f64>> {
        std::iter::once(Some(0.0))
            .chain(v.iter().map(|s| s.map(|s| 1.0 - s)))
            .collect()
    };
    let surv: Vec<Option<f64>> = curve.surv.iter().map(|&s| Some(s)).collect();
    MedianCi {
        prob,
        estimate: findq(&x, &one_minus(&surv), prob),
        lower: findq(&x, &one_minus(&curve.lower), prob),
        upper: findq(&x, &one_minus(&curve.upper), prob),
        se: None,
        conf_level: curve.options.conf_level,
        method: MedianMethod::RBandInversion,
    }
}

/// The `prob` quantile with the symmetric confidence interval of SPSS.
///
/// # Formula
/// t̂_p = the smallest event time with Ŝ(t) < 1 − p (Collett's definition: no midpoint
/// rule). With û = the largest event time with Ŝ ≥ 1 − p + 0.05 (0 if none) and
/// l̂ = the smallest event time with Ŝ ≤ 1 − p − 0.05,
/// f̂ = (Ŝ(û) − Ŝ(l̂)) / (l̂ − û), SE(t̂_p) = SE_Greenwood{Ŝ(t̂_p)} / f̂, and the interval is
/// t̂_p ± z·SE with the lower limit floored at 0. Where l̂ does not exist the SE cannot be
/// estimated and the limits are `None`.
///
/// # References
/// Collett D (2015). Modelling Survival Data in Medical Research, 3rd ed., §2.4.2, eq. 2.15.
pub fn median_spss(curve: &KmCurve, prob: f64) -> MedianCi {
    let target = 1.0 - prob;
    let eps = 0.05;
    let z = z_value(curve.options.conf_level);
    let events: Vec<usize> = (0..curve.time.len())
        .filter(|&j| curve.n_event[j] > 0)
        .collect();
    let at = events.iter().copied().find(|&j| curve.surv[j] < target);
    let mut out = MedianCi {
        prob,
        estimate: at.map(|j| curve.time[j]),
        lower: None,
        upper: None,
        se: None,
        conf_level: curve.options.conf_level,
        method: MedianMethod::SpssSymmetric,
    };
    let Some(j) = at else { return out };
    let (u_t, u_s) = events
        .iter()
        .rev()
        .find(|&&k| curve.surv[k] >= target + eps)
        .map_or((0.0, 1.0), |&k| (curve.time[k], curve.surv[k]));
    let Some((l_t, l_s)) = events
        .iter()
        .find(|&&k| curve.surv[k] <= target - eps)
        .map(|&k| (curve.time[k], curve.surv[k]))
    else {
        return out;
    };
    let density = (u_s - l_s) / (l_t - u_t);
    let se = curve.se_surv[j] / density;
    if se.is_finite() {
        let t = curve.time[j];
        out.se = Some(se);
        out.lower = Some((t - z * se).max(0.0));
        out.upper = Some(t + z * se);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(time: &[f64], ev: &[u8]) -> KmCurve {
        crate::km::test_curve(time, ev)
    }

    #[test]
    fn regression_findq_on_a_long_curve() {
        // Issue 15: findq's duplicate check was quadratic in the distinct times (87% of a
        // 22 s report at 1e6 rows). This pins its result on a 1e5-point curve: every time
        // an event, S(t_i) = 1 − i/n, so S = 0.5 on [50000, 50001) and the median is the
        // midpoint; the quartiles likewise.
        let n = 100_000;
        let t: Vec<f64> = (1..=n).map(f64::from).collect();
        let c = curve(&t, &vec![1; t.len()]);
        assert_eq!(median_r(&c, 0.5).estimate, Some(50_000.5));
        assert_eq!(median_r(&c, 0.25).estimate, Some(25_000.5));
        let m = median_r(&c, 0.5);
        let (lo, hi) = (m.lower.unwrap_or(f64::NAN), m.upper.unwrap_or(f64::NAN));
        assert!(
            lo < 50_000.5 && hi > 50_000.5 && hi - lo < 1_000.0,
            "{lo} {hi}"
        );
    }

    #[test]
    fn monotone_knots_lose_the_same_duplicates_as_the_hash() {
        let check = |y: &[Option<f64>], kept: &[f64]| {
            let x: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
            let fast = distinct_knots(&x, y);
            // The knots kept, by their x (a NaN y is not equal to itself).
            assert_eq!(fast.0, distinct_knots_hashed(&x, y).0, "{y:?}");
            assert_eq!(fast.1.len(), fast.0.len());
            assert_eq!(fast.0, kept, "{y:?}");
        };
        // Rising, with NAs between equal values (NA equals NA; 0 equals −0).
        check(
            &[
                Some(0.0),
                Some(-0.0),
                Some(0.3),
                None,
                Some(0.3),
                Some(0.5),
                None,
            ],
            &[0.0, 2.0, 3.0, 5.0],
        );
        // Falling (an upper band read as 1 − S can be either way).
        check(
            &[Some(0.9), Some(0.9), Some(0.4), None, Some(0.4)],
            &[0.0, 2.0, 3.0],
        );
        // Not monotone: a value seen earlier, not next to it, is still a duplicate.
        check(
            &[Some(0.1), Some(0.4), Some(0.1), Some(0.4), Some(0.2)],
            &[0.0, 1.0, 4.0],
        );
        // A NaN is neither ≤ nor ≥ its neighbours: the hash path, keyed by its bits.
        check(&[Some(0.1), Some(f64::NAN), Some(f64::NAN)], &[0.0, 1.0]);
    }

    #[test]
    fn plateau_at_half_takes_midpoint() {
        // S = 0.5 from t = 2 until t = 4: R's median is (2 + 4) / 2 = 3.
        let c = curve(&[1.0, 2.0, 4.0, 5.0], &[1, 1, 1, 1]);
        assert_eq!(median_r(&c, 0.5).estimate, Some(3.0));
    }

    #[test]
    fn last_point_at_half_uses_last_time() {
        // S = 0.5 after t = 2 and the curve ends (censored) at 6: R gives (2 + 6) / 2.
        let c = curve(&[1.0, 2.0, 5.0, 6.0], &[1, 1, 0, 0]);
        assert_eq!(median_r(&c, 0.5).estimate, Some(4.0));
    }

    #[test]
    fn not_reached_is_none() {
        let c = curve(&[1.0, 2.0, 3.0, 4.0], &[1, 0, 0, 0]);
        let m = median_r(&c, 0.5);
        assert_eq!((m.estimate, m.upper), (None, None));
        assert_eq!(median_spss(&c, 0.5).estimate, None);
    }

    #[test]
    fn spss_is_symmetric_and_floored() {
        let t: Vec<f64> = (1..=20).map(f64::from).collect();
        let c = curve(&t, &[1; 20]);
        let m = median_spss(&c, 0.5);
        // S(t) = 1 - t/20: first S < 0.5 at t = 11; û = 9 (S = .55), l̂ = 11 (S = .45).
        assert_eq!(m.estimate, Some(11.0));
        let f = 0.1 / 2.0;
        let se = (0.45f64 * 0.55 / 20.0).sqrt() / f;
        assert!(m.se.is_some_and(|s| (s - se).abs() < 1e-12));
        assert!(m
            .lower
            .is_some_and(|l| (l - (11.0 - 1.959963984540054 * se).max(0.0)).abs() < 1e-9));
    }
}
