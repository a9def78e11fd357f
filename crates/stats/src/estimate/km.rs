//! The Kaplan–Meier estimator with Greenwood standard errors and pointwise confidence
//! intervals, as R `survival::survfit` computes them.
//!
//! # Formula
//! At each distinct time t_j (event or censoring) of a group, with n_j at risk and d_j
//! events,
//!
//! * S(t) = ∏_{t_j ≤ t} (1 − d_j / n_j)
//! * Greenwood: se{log S(t)}² = Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)) — R's `fit$std.err`;
//!   the standard error of S itself is S·se{log S} (R's `summary(fit)$std.err`).
//!
//! Pointwise limits (z = Φ⁻¹(1 − α/2)) follow R's `survfit_confint`:
//! * `log` (R default): exp(log S ± z·se), upper capped at 1; undefined where S = 0.
//! * `log-log` (SAS, Stata): exp(−exp(log(−log S) ± z·se/log S)); undefined at S ∈ {0, 1}.
//! * `plain`: S ± z·S·se, clipped to [0, 1].
//! * `logit`: on log(S/(1−S)) with se·(1 + S/(1−S)).
//! * `arcsin`: on asin(√S) with ½·se·√(S/(1−S)), clipped to [0, π/2].
//!
//! # References
//! Kaplan EL, Meier P (1958). JASA 53:457–481. Greenwood M (1926). Reports on Public Health
//! and Medical Subjects 33. R: `survival::survfit.formula`, `survival:::survfit_confint`.

use crate::data::SurvData;

/// The transform on which pointwise confidence limits are symmetric.
/// Mirrors R `survfit(conf.type = )`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ConfType {
    /// `conf.type = "log"`: R's default.
    #[default]
    Log,
    /// `conf.type = "log-log"`: the default of SAS PROC LIFETEST and Stata.
    LogLog,
    /// `conf.type = "plain"`: linear (SPSS).
    Plain,
    /// `conf.type = "logit"`.
    Logit,
    /// `conf.type = "arcsin"`.
    Arcsin,
}

impl ConfType {
    /// The name R uses for this transform.
    pub fn r_name(self) -> &'static str {
        match self {
            ConfType::Log => "log",
            ConfType::LogLog => "log-log",
            ConfType::Plain => "plain",
            ConfType::Logit => "logit",
            ConfType::Arcsin => "arcsin",
        }
    }

    /// Parses R's name for a transform (`"log"`, `"log-log"`, `"plain"`, `"logit"`,
    /// `"arcsin"`); `None` for anything else.
    pub fn from_r_name(s: &str) -> Option<Self> {
        Some(match s {
            "log" => ConfType::Log,
            "log-log" | "loglog" => ConfType::LogLog,
            "plain" | "linear" => ConfType::Plain,
            "logit" => ConfType::Logit,
            "arcsin" => ConfType::Arcsin,
            _ => return None,
        })
    }
}

/// Options of the Kaplan–Meier fit. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct KmOptions {
    /// R `survfit(conf.type = "log")`.
    pub conf_type: ConfType,
    /// R `survfit(conf.int = 0.95)`: the confidence level of pointwise limits, in (0, 1).
    pub conf_level: f64,
}

impl Default for KmOptions {
    fn default() -> Self {
        KmOptions {
            conf_type: ConfType::Log,
            conf_level: 0.95,
        }
    }
}

/// The Kaplan–Meier curve of one group, one entry per distinct time (event or censoring),
/// as the rows of R's `summary(survfit(...), censored = TRUE)`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct KmCurve {
    /// The group's label.
    pub group: String,
    /// Number of observations in the group.
    pub n: usize,
    /// Total number of events in the group.
    pub events: usize,
    /// Distinct times, increasing.
    pub time: Vec<f64>,
    /// Number at risk just before each time (R `n.risk`).
    pub n_risk: Vec<usize>,
    /// Number of events at each time (R `n.event`).
    pub n_event: Vec<usize>,
    /// Number censored at each time (R `n.censor`).
    pub n_censor: Vec<usize>,
    /// Survival estimate S(t) (R `surv`).
    pub surv: Vec<f64>,
    /// Greenwood standard error of log S(t), i.e. of the cumulative hazard (R `fit$std.err`);
    /// infinite once S reaches 0.
    pub se_log_surv: Vec<f64>,
    /// Greenwood standard error of S(t) (R `summary(fit)$std.err`).
    pub se_surv: Vec<f64>,
    /// Lower pointwise confidence limit; `None` where R gives `NA`.
    pub lower: Vec<Option<f64>>,
    /// Upper pointwise confidence limit; `None` where R gives `NA`.
    pub upper: Vec<Option<f64>>,
    /// The options the curve was computed with.
    pub options: KmOptions,
}

impl KmCurve {
    /// S(t) at time `t`: the estimate at the last distinct time ≤ `t` (1 before the first).
    pub fn surv_at(&self, t: f64) -> f64 {
        match self.time.partition_point(|&x| x <= t) {
            0 => 1.0,
            i => self.surv[i - 1],
        }
    }

    /// Number at risk at time `t` (observations with time ≥ `t`), as R's
    /// `summary(fit, times = t)$n.risk`.
    pub fn at_risk(&self, t: f64) -> usize {
        let i = self.time.partition_point(|&x| x < t);
        self.n_risk.get(i).copied().unwrap_or(0)
    }

    /// Times at which observations were censored (for censor marks), with S there.
    pub fn censor_marks(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        (0..self.time.len())
            .filter(|&i| self.n_censor[i] > 0)
            .map(|i| (self.time[i], self.surv[i]))
    }

    /// Largest observed time in the group.
    pub fn max_time(&self) -> f64 {
        self.time.last().copied().unwrap_or(0.0)
    }
}

/// z = Φ⁻¹(1 − (1 − level)/2), R `qnorm(1 - (1 - conf.int)/2)`.
pub(crate) fn z_value(conf_level: f64) -> f64 {
    // A level outside (0, 1) gives NaN limits, not a panic.
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return f64::NAN;
    }
    crate::numerics::qnorm(1.0 - (1.0 - conf_level) / 2.0)
}

/// Pointwise limits for survival `p` with standard error of log S `se`, as R's
/// `survfit_confint(p, se, logse = TRUE, conf.type, conf.int)`.
pub fn conf_limits(p: f64, se: f64, conf_type: ConfType, z: f64) -> (Option<f64>, Option<f64>) {
    let some = |x: f64| if x.is_nan() { None } else { Some(x) };
    match conf_type {
        ConfType::Plain => {
            let se2 = se * p * z;
            if se2.is_nan() {
                return (None, None);
            }
            (some((p - se2).max(0.0)), some((p + se2).min(1.0)))
        }
        ConfType::Log => {
            if p == 0.0 {
                return (None, None);
            }
            let se2 = z * se;
            (
                some((p.ln() - se2).exp()),
                some((p.ln() + se2).exp()).map(|u| u.min(1.0)),
            )
        }
        ConfType::LogLog => {
            if p == 0.0 || p == 1.0 {
                return (None, None);
            }
            let se2 = z * se / p.ln();
            let c = (-p.ln()).ln();
            (
                some((-(c - se2).exp()).exp()),
                some((-(c + se2).exp()).exp()),
            )
        }
        ConfType::Logit => {
            if p == 0.0 {
                return (None, None);
            }
            let se2 = z * se * (1.0 + p / (1.0 - p));
            let l = (p / (1.0 - p)).ln();
            (
                some(1.0 - 1.0 / (1.0 + (l - se2).exp())),
                some(1.0 - 1.0 / (1.0 + (l + se2).exp())),
            )
        }
        ConfType::Arcsin => {
            if p == 0.0 {
                return (None, None);
            }
            let se2 = 0.5 * z * se * (p / (1.0 - p)).sqrt();
            if se2.is_nan() {
                // S = 1 with SE 0 gives 0·∞ = NaN: R's pmax/pmin keep the NaN (no limits),
                // while f64::max/min would drop it and give the limits (0, 1).
                return (None, None);
            }
            let a = p.sqrt().asin();
            (
                some((0.0f64).max(a - se2).sin().powi(2)),
                some((std::f64::consts::FRAC_PI_2).min(a + se2).sin().powi(2)),
            )
        }
    }
}

/// Kaplan–Meier curves for every group of `data`, in level order.
///
/// Cost: one O(n log n) sort, then a linear pass.
///
/// # Examples
/// ```
/// use survcalc_stats::{kaplan_meier, KmOptions, SurvData};
/// let d = SurvData::from_labels(vec![1.0, 2.0, 2.0, 3.0], vec![true, false, true, false], &["a"; 4])?;
/// let km = kaplan_meier(&d, &KmOptions::default());
/// assert_eq!(km[0].surv, vec![0.75, 0.5, 0.5]);
/// # Ok::<(), survcalc_stats::DataError>(())
/// ```
///
/// # References
/// R `survival::survfit(Surv(time, status) ~ group)`.
pub fn kaplan_meier(data: &SurvData, options: &KmOptions) -> Vec<KmCurve> {
    curves_by_group(data, options, false)
}

/// The curve of every group in level order, from one walk in time order; with
/// `reverse`, of the censoring (events and censorings swapped: the reverse Kaplan–Meier).
pub(crate) fn curves_by_group(data: &SurvData, options: &KmOptions, reverse: bool) -> Vec<KmCurve> {
    let z = z_value(options.conf_level);
    let mut n = vec![0usize; data.n_groups()];
    for &g in data.group() {
        n[g] += 1;
    }
    let mut curves: Vec<KmCurve> = data
        .levels()
        .iter()
        .zip(&n)
        .map(|(level, &n)| KmCurve::empty(level.clone(), n, *options))
        .collect();
    // One walk in time order, reading memory in sequence, feeds every group's curve.
    let mut at_risk = n;
    let sorted = data.sorted();
    for (j, &t) in sorted.time.iter().enumerate() {
        let (g, event) = sorted.group_event(j);
        curves[g].count(t, event != reverse, at_risk[g]);
        at_risk[g] -= 1;
    }
    for c in &mut curves {
        fill_estimates(c, z);
    }
    curves
}

impl KmCurve {
    /// The curve of a group of `n` observations before any row is counted: the counts are
    /// filled in, then [`fill_estimates`] computes the rest.
    pub(crate) fn empty(group: String, n: usize, options: KmOptions) -> KmCurve {
        KmCurve {
            group,
            n,
            events: 0,
            time: Vec::new(),
            n_risk: Vec::new(),
            n_event: Vec::new(),
            n_censor: Vec::new(),
            surv: Vec::new(),
            se_log_surv: Vec::new(),
            se_surv: Vec::new(),
            lower: Vec::new(),
            upper: Vec::new(),
            options,
        }
    }

    /// Counts one observation of a walk in time order, `at_risk` being the group's number
    /// at risk just before it (the first observation at a time opens that time's row).
    fn count(&mut self, t: f64, event: bool, at_risk: usize) {
        if self.time.last() != Some(&t) {
            self.time.push(t);
            self.n_risk.push(at_risk);
            self.n_event.push(0);
            self.n_censor.push(0);
        }
        let j = self.time.len() - 1;
        if event {
            self.n_event[j] += 1;
            self.events += 1;
        } else {
            self.n_censor[j] += 1;
        }
    }
}

/// Kaplan–Meier for one group from (time, event) pairs already sorted by time.
pub(crate) fn km_sorted(
    group: String,
    obs: impl Iterator<Item = (f64, bool)>,
    n: usize,
    options: &KmOptions,
    z: f64,
) -> KmCurve {
    let mut c = KmCurve::empty(group, n, *options);
    for (at_risk, (t, e)) in (1..=n).rev().zip(obs) {
        c.count(t, e, at_risk);
    }
    fill_estimates(&mut c, z);
    c
}

/// Fills a curve's estimates (survival, Greenwood standard errors, pointwise limits) from
/// its counts (`time`, `n_risk`, `n_event`, `n_censor`): the one place the Kaplan–Meier
/// product and Greenwood's sum are computed, for patient rows and for counts alike.
pub(crate) fn fill_estimates(c: &mut KmCurve, z: f64) {
    let options = c.options;
    let mut s = 1.0;
    let mut var = 0.0;
    for j in 0..c.time.len() {
        let (nr, d) = (c.n_risk[j] as f64, c.n_event[j] as f64);
        if d > 0.0 {
            s *= 1.0 - d / nr;
            var += if nr > d {
                d / (nr * (nr - d))
            } else {
                f64::INFINITY
            };
        }
        let se = var.sqrt();
        let (lo, hi) = conf_limits(s, se, options.conf_type, z);
        c.surv.push(s);
        c.se_log_surv.push(se);
        c.se_surv
            .push(if se.is_infinite() { f64::NAN } else { s * se });
        c.lower.push(lo);
        c.upper.push(hi);
    }
}

/// One group's curve with R's defaults, from times and 0/1 events: the unit tests'
/// shared fixture builder (km, median, landmark).
#[cfg(test)]
pub(crate) fn test_curve(time: &[f64], ev: &[u8]) -> KmCurve {
    let d = SurvData::from_labels(
        time.to_vec(),
        ev.iter().map(|&e| e == 1).collect(),
        &vec!["g"; time.len()],
    );
    match d {
        Ok(d) => kaplan_meier(&d, &KmOptions::default()).remove(0),
        Err(e) => panic!("test data invalid: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(time: &[f64], ev: &[u8]) -> KmCurve {
        test_curve(time, ev)
    }

    #[test]
    fn matches_hand_computation() {
        // R: survfit(Surv(c(1,2,2,3), c(1,0,1,0)) ~ 1)
        let c = one(&[1.0, 2.0, 2.0, 3.0], &[1, 0, 1, 0]);
        assert_eq!(c.time, vec![1.0, 2.0, 3.0]);
        assert_eq!(c.n_risk, vec![4, 3, 1]);
        assert_eq!(c.surv, vec![0.75, 0.5, 0.5]);
        let se1 = (1.0f64 / 12.0).sqrt();
        assert!((c.se_log_surv[0] - se1).abs() < 1e-15);
        assert!((c.se_log_surv[1] - 0.5).abs() < 1e-15);
    }

    #[test]
    fn no_censoring_is_one_minus_ecdf() {
        let t = [5.0, 1.0, 3.0, 3.0, 8.0];
        let c = one(&t, &[1, 1, 1, 1, 1]);
        for (i, &ti) in c.time.iter().enumerate() {
            let ecdf = t.iter().filter(|&&x| x <= ti).count() as f64 / t.len() as f64;
            assert!((c.surv[i] - (1.0 - ecdf)).abs() < 1e-15);
        }
        // S = 0 at the end: the log band is undefined, as R's NA.
        assert_eq!(c.lower.last(), Some(&None));
        assert!(c.se_log_surv.last().is_some_and(|s| s.is_infinite()));
    }

    #[test]
    fn at_risk_and_surv_at() {
        let c = one(&[1.0, 2.0, 2.0, 3.0], &[1, 0, 1, 0]);
        assert_eq!(c.at_risk(0.0), 4);
        assert_eq!(c.at_risk(1.5), 3);
        assert_eq!(c.at_risk(2.0), 3);
        assert_eq!(c.at_risk(3.5), 0);
        assert_eq!(c.surv_at(0.5), 1.0);
        assert_eq!(c.surv_at(2.5), 0.5);
    }

    #[test]
    fn z_is_r_qnorm() {
        assert!((z_value(0.95) - 1.959963984540054).abs() < 1e-14);
    }
}
