//! Sample size and power for comparing two arms' survival by the log-rank test, at R
//! rpact's conventions (`getSampleSizeSurvival`, `getPowerSurvival`, fixed designs).
//!
//! # Formula
//! With r = n₁/n₂ (the allocation ratio, treatment over control), the hazard ratio θ =
//! λ₁/λ₂ and z_a = Φ⁻¹(1 − a), the number of events is d = (z_{α/s} + z_β)² K, s the
//! number of sides, with
//!
//! * Schoenfeld (1981): K = (1 + r)² / (r (ln θ)²);
//! * Freedman (1982): K = (1 + θ r)² / (r (1 − θ)²);
//! * Hsieh & Freedman (rpact's "HsiehFreedman"): K = (1 + θ)² (1 + r)² / (4 r (1 − θ)²).
//!
//! Lachin & Foulkes (1986), as R gsDesign's `nSurv` computes it, fixes the patients rather
//! than the events: with ξ₁ = r/(1 + r), ξ₂ = 1/(1 + r), P_j the probability of an event
//! before the analysis in arm j (below) and P_j⁰ the same under the null hypothesis, where
//! both arms have the pooled hazard λ̄ = λ₂ (1 + r θ)/(1 + r) (each its own dropout),
//! φ = 1/(ξ₁ P₁) + 1/(ξ₂ P₂) and φ⁰ likewise,
//!
//! n = ((z_{α/s} √φ⁰ + z_β √φ) / |ln θ|)², d = n (ξ₁ P₁ + ξ₂ P₂),
//!
//! and its power is one-sided, Φ((|ln θ| − z_{α/s} √(φ⁰/n)) / √(φ/n)) (gsDesign never adds
//! the other tail). With accrual as a rate, the follow-up solves power(f) = 1 − β (as
//! gsDesign's `nSurv(minfup = NULL)`).
//!
//! The events use the one side the effect is on (rpact `twoSidedPower = FALSE`); the
//! power for d events, as rpact's `getPowerSurvival` reports it, adds the other side when
//! the test is two-sided: Φ(√(d/K) − z_{α/s}) + [s = 2] Φ(−√(d/K) − z_{α/2}).
//!
//! Patients: survival is exponential in each arm (λ from a hazard, a median ln 2/m, or
//! the probability π of an event by a time t, −ln(1 − π)/t); dropout is exponential too,
//! γ = −ln(1 − p)/t for a proportion p lost by time t (rpact's `dropoutRate`,
//! `dropoutTime`) or a hazard (gsDesign's `eta`). Entry is uniform within each accrual
//! period, with a relative intensity per period, and the analysis is at the end of
//! accrual A plus the follow-up f. A patient who enters at e has the event before the
//! analysis with probability λ/(λ+γ) (1 − e^{−(λ+γ)(A+f−e)}); over period k = [a_k, a_{k+1}]
//! the mean of that is λ/(λ+γ) (1 − (e^{−h(A+f−a_{k+1})} − e^{−h(A+f−a_k)}) / (h (a_{k+1} − a_k))),
//! h = λ + γ. Averaged over the periods (weights intensity × length) and the arms (r/(1+r),
//! 1/(1+r)) this is P̄, and n = d / P̄. With accrual given as a rate (patients per unit
//! of time) n is fixed and the follow-up f solves n P̄(f) = d.
//!
//! # References
//! Schoenfeld D (1981). The asymptotic properties of nonparametric tests for comparing
//! survival distributions. Biometrika 68:316–319. Freedman LS (1982). Tables of the number
//! of patients required in clinical trials using the logrank test. Stat Med 1:121–129.
//! Lachin JM, Foulkes MA (1986). Evaluation of sample size and power for analyses of
//! survival with allowance for nonuniform patient entry, losses to follow-up,
//! noncompliance, and stratification. Biometrics 42:507–519.
//! R rpact 3.3 `getSampleSizeSurvival`, `getPowerSurvival`; R gsDesign 3.10 `nSurv`.

use crate::numerics::{pnorm, qnorm};

/// A hazard of an exponential distribution, given as rpact takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Hazard {
    /// The hazard λ per unit of time (rpact `lambda2`).
    Rate {
        /// λ.
        lambda: f64,
    },
    /// The median survival m: λ = ln 2 / m (rpact `median2`).
    Median {
        /// m.
        median: f64,
    },
    /// The probability π of an event by `time` (rpact `pi2` with `eventTime`): λ = −ln(1 −
    /// π)/t.
    EventProbability {
        /// π.
        probability: f64,
        /// t (rpact `eventTime`, 12 by default).
        time: f64,
    },
}

impl Hazard {
    /// λ.
    pub fn lambda(self) -> f64 {
        match self {
            Hazard::Rate { lambda } => lambda,
            Hazard::Median { median } => std::f64::consts::LN_2 / median,
            Hazard::EventProbability { probability, time } => -(-probability).ln_1p() / time,
        }
    }
}

/// The treatment effect: a hazard ratio, or the treatment arm's own hazard.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Effect {
    /// θ = λ₁/λ₂ (rpact `hazardRatio`).
    HazardRatio {
        /// θ.
        hazard_ratio: f64,
    },
    /// The treatment arm's hazard (rpact `lambda1`, `median1`, `pi1`).
    Treatment {
        /// Its hazard.
        hazard: Hazard,
    },
}

/// Loss to follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Dropout {
    /// None (rpact's default).
    #[default]
    None,
    /// A proportion lost by a time in each arm (rpact `dropoutRate1`, `dropoutRate2`,
    /// `dropoutTime`): γ = −ln(1 − p)/t.
    Proportion {
        /// Lost in the treatment arm by `time`.
        treatment: f64,
        /// Lost in the control arm by `time`.
        control: f64,
        /// The time (rpact's default 12).
        time: f64,
    },
    /// A hazard of dropout in each arm (gsDesign `nSurv(eta = , etaE = )`).
    Hazard {
        /// γ₁.
        treatment: f64,
        /// γ₂.
        control: f64,
    },
}

impl Dropout {
    fn hazards(self) -> (f64, f64) {
        match self {
            Dropout::None => (0.0, 0.0),
            Dropout::Proportion {
                treatment,
                control,
                time,
            } => (-(-treatment).ln_1p() / time, -(-control).ln_1p() / time),
            Dropout::Hazard { treatment, control } => (treatment, control),
        }
    }
}

/// How patients enter.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Accrual {
    /// Over a fixed period with a given follow-up after it: `boundaries` 0 = a₀ < a₁ < …
    /// (rpact `accrualTime`) and a relative intensity per period (rpact
    /// `accrualIntensity` as proportions); one period is uniform accrual.
    Period {
        /// a₀ = 0, …, A.
        boundaries: Vec<f64>,
        /// One relative intensity per period.
        intensity: Vec<f64>,
        /// Follow-up after the end of accrual (rpact `followUpTime`).
        follow_up: f64,
    },
    /// Patients per unit of time in each period (rpact `accrualIntensity` as numbers
    /// ≥ 1): the number of patients is fixed and the follow-up is solved for.
    Rate {
        /// a₀ = 0, …, A.
        boundaries: Vec<f64>,
        /// Patients per unit of time in each period.
        per_time: Vec<f64>,
    },
}

impl Accrual {
    fn boundaries(&self) -> &[f64] {
        match self {
            Accrual::Period { boundaries, .. } | Accrual::Rate { boundaries, .. } => boundaries,
        }
    }

    /// Each period's weight: intensity × length.
    fn weights(&self) -> Vec<f64> {
        let (b, w) = match self {
            Accrual::Period {
                boundaries,
                intensity,
                ..
            } => (boundaries, intensity),
            Accrual::Rate {
                boundaries,
                per_time,
            } => (boundaries, per_time),
        };
        b.windows(2)
            .zip(w)
            .map(|(p, w)| w * (p[1] - p[0]))
            .collect()
    }
}

/// The number of events by which formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EventsMethod {
    /// Schoenfeld (1981), rpact's default.
    #[default]
    Schoenfeld,
    /// Freedman (1982).
    Freedman,
    /// Hsieh & Freedman, as rpact's `typeOfComputation = "HsiehFreedman"`.
    HsiehFreedman,
    /// Lachin & Foulkes (1986), as R gsDesign's `nSurv` (the patients from the variances
    /// under the null and the alternative; the events follow from them).
    LachinFoulkes,
}

impl EventsMethod {
    /// Every method, for a form.
    pub const ALL: [EventsMethod; 4] = [
        EventsMethod::Schoenfeld,
        EventsMethod::Freedman,
        EventsMethod::HsiehFreedman,
        EventsMethod::LachinFoulkes,
    ];

    /// The name in the report.
    pub fn name(self) -> &'static str {
        match self {
            EventsMethod::Schoenfeld => "Schoenfeld",
            EventsMethod::Freedman => "Freedman",
            EventsMethod::HsiehFreedman => "Hsieh–Freedman",
            EventsMethod::LachinFoulkes => "Lachin–Foulkes",
        }
    }

    /// K of the module's formula: d = (z_{α/s} + z_β)² K (Lachin–Foulkes has none; it is
    /// computed from the patients).
    fn k(self, theta: f64, r: f64) -> f64 {
        match self {
            EventsMethod::Schoenfeld | EventsMethod::LachinFoulkes => {
                (1.0 + r).powi(2) / (r * theta.ln().powi(2))
            }
            EventsMethod::Freedman => (1.0 + theta * r).powi(2) / (r * (1.0 - theta).powi(2)),
            EventsMethod::HsiehFreedman => {
                (1.0 + theta).powi(2) * (1.0 + r).powi(2) / (4.0 * r * (1.0 - theta).powi(2))
            }
        }
    }
}

/// A two-arm survival design. Defaults are rpact's: one-sided α 0.025, power 80%, 1:1,
/// accrual over 12 with 6 of follow-up... except that the effect and the control hazard
/// have no default and must be given.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SurvivalDesign {
    /// The control arm's hazard (rpact `lambda2` / `median2` / `pi2`).
    pub control: Hazard,
    /// The effect (rpact `hazardRatio`, or the treatment arm's hazard).
    pub effect: Effect,
    /// The significance level α (rpact `alpha`), of the `sides` the test has.
    pub alpha: f64,
    /// 1 or 2 (rpact `sided`): the events use z_{α/sides}.
    pub sides: u8,
    /// The power 1 − β (rpact `1 - beta`).
    pub power: f64,
    /// n₁/n₂, treatment over control (rpact `allocationRatioPlanned`).
    pub allocation_ratio: f64,
    /// Entry and follow-up.
    pub accrual: Accrual,
    /// Loss to follow-up.
    pub dropout: Dropout,
    /// The formula for the number of events.
    pub method: EventsMethod,
}

/// What a design needs: events, patients, and when the analysis happens.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SurvivalSampleSize {
    /// The events needed (rpact `eventsFixed`), not rounded.
    pub events: f64,
    /// The patients needed (rpact `nFixed`), not rounded.
    pub subjects: f64,
    /// Of them in the treatment arm (rpact `nFixed1`).
    pub subjects_treatment: f64,
    /// In the control arm (rpact `nFixed2`).
    pub subjects_control: f64,
    /// θ.
    pub hazard_ratio: f64,
    /// λ₁ (rpact `lambda1`).
    pub lambda_treatment: f64,
    /// λ₂ (rpact `lambda2`).
    pub lambda_control: f64,
    /// P(event before the analysis) in the treatment arm.
    pub event_probability_treatment: f64,
    /// In the control arm.
    pub event_probability_control: f64,
    /// The follow-up after the end of accrual (given, or solved for a rate).
    pub follow_up: f64,
    /// The end of accrual plus the follow-up: when the analysis is expected (rpact
    /// `analysisTime`, `studyDuration`).
    pub study_duration: f64,
    /// Patients per unit of time over the accrual (rpact `accrualIntensity`), one per
    /// period.
    pub accrual_per_time: Vec<f64>,
    /// The events by each method, for the report's comparison.
    pub events_by_method: Vec<(EventsMethod, f64)>,
}

/// Why a design cannot be computed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DesignError {
    /// The input, as the report and the CLI name it (`alpha`, `hazard_ratio`, …).
    pub input: String,
    /// What it must be.
    pub rule: String,
}

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.input, self.rule)
    }
}

impl std::error::Error for DesignError {}

pub(crate) fn bad(input: &str, rule: &str) -> DesignError {
    DesignError {
        input: input.to_string(),
        rule: rule.to_string(),
    }
}

pub(crate) fn check_probability(name: &str, p: f64, rule: &str) -> Result<(), DesignError> {
    if p > 0.0 && p < 1.0 {
        Ok(())
    } else {
        Err(bad(name, rule))
    }
}

impl SurvivalDesign {
    fn validate(&self) -> Result<(f64, f64, f64), DesignError> {
        check_probability(
            "alpha",
            self.alpha,
            "a probability between 0 and 1, such as 0.05",
        )?;
        check_probability(
            "power",
            self.power,
            "a probability between 0 and 1, such as 0.8",
        )?;
        if self.sides != 1 && self.sides != 2 {
            return Err(bad("sides", "1 or 2"));
        }
        if !(self.allocation_ratio.is_finite() && self.allocation_ratio > 0.0) {
            return Err(bad(
                "allocation_ratio",
                "a ratio above 0, such as 1 (1:1) or 2 (2:1)",
            ));
        }
        let hazard_ok = |h: Hazard, name: &str| -> Result<f64, DesignError> {
            match h {
                Hazard::EventProbability { probability, time } => {
                    check_probability(name, probability, "a probability between 0 and 1")?;
                    if !(time.is_finite() && time > 0.0) {
                        return Err(bad(name, "a time above 0 for the event probability"));
                    }
                }
                Hazard::Median { median } if !(median.is_finite() && median > 0.0) => {
                    return Err(bad(name, "a median above 0"))
                }
                Hazard::Rate { lambda } if !(lambda.is_finite() && lambda > 0.0) => {
                    return Err(bad(name, "a hazard above 0"))
                }
                _ => {}
            }
            Ok(h.lambda())
        };
        let l2 = hazard_ok(self.control, "control")?;
        let l1 = match self.effect {
            Effect::HazardRatio { hazard_ratio } => {
                if !(hazard_ratio.is_finite() && hazard_ratio > 0.0 && hazard_ratio != 1.0) {
                    return Err(bad(
                        "hazard_ratio",
                        "a hazard ratio above 0 and other than 1, such as 0.7",
                    ));
                }
                hazard_ratio * l2
            }
            Effect::Treatment { hazard } => hazard_ok(hazard, "treatment")?,
        };
        let theta = l1 / l2;
        if (theta - 1.0).abs() < 1e-12 {
            return Err(bad("treatment", "a hazard other than the control arm's"));
        }
        let b = self.accrual.boundaries();
        let ok_bounds = b.len() >= 2
            && b[0] == 0.0
            && b.windows(2).all(|w| w[1] > w[0])
            && b.iter().all(|x| x.is_finite());
        if !ok_bounds {
            return Err(bad(
                "accrual",
                "times 0 < a₁ < … < A that end each accrual period, such as 0, 24",
            ));
        }
        let w = match &self.accrual {
            Accrual::Period {
                intensity,
                follow_up,
                ..
            } => {
                if !(follow_up.is_finite() && *follow_up >= 0.0) {
                    return Err(bad("follow_up", "a follow-up time of 0 or more"));
                }
                intensity
            }
            Accrual::Rate { per_time, .. } => per_time,
        };
        if w.len() != b.len() - 1
            || w.iter().any(|x| !(x.is_finite() && *x >= 0.0))
            || w.iter().all(|x| *x == 0.0)
        {
            return Err(bad(
                "accrual",
                "one intensity (0 or more, not all 0) per accrual period",
            ));
        }
        let (g1, g2) = self.dropout.hazards();
        if !(g1.is_finite() && g1 >= 0.0 && g2.is_finite() && g2 >= 0.0) {
            return Err(bad(
                "dropout",
                "proportions between 0 and 1 (exclusive) or hazards of 0 or more",
            ));
        }
        Ok((theta, l1, l2))
    }

    fn z_sum(&self) -> f64 {
        qnorm(1.0 - self.alpha / f64::from(self.sides)) + qnorm(self.power)
    }

    /// P(event before the analysis) in each arm, for follow-up `f`.
    fn event_probabilities(&self, l1: f64, l2: f64, f: f64) -> (f64, f64) {
        let b = self.accrual.boundaries();
        let w = self.accrual.weights();
        let (g1, g2) = self.dropout.hazards();
        let end = b[b.len() - 1] + f;
        let arm = |lam: f64, gam: f64| {
            let h = lam + gam;
            let total: f64 = w.iter().sum();
            let mean: f64 = b
                .windows(2)
                .zip(&w)
                .map(|(p, w)| {
                    let inner = ((-h * (end - p[1])).exp() - (-h * (end - p[0])).exp())
                        / (h * (p[1] - p[0]));
                    w * (1.0 - inner)
                })
                .sum::<f64>()
                / total;
            lam / h * mean
        };
        (arm(l1, g1), arm(l2, g2))
    }

    /// Lachin–Foulkes (module doc): the φ and φ⁰ of the variances at follow-up `f`.
    fn lf_phis(&self, theta: f64, l1: f64, l2: f64, f: f64) -> (f64, f64) {
        let r = self.allocation_ratio;
        let (x1, x2) = (r / (1.0 + r), 1.0 / (1.0 + r));
        let (p1, p2) = self.event_probabilities(l1, l2, f);
        let pooled = l2 * (1.0 + r * theta) / (1.0 + r);
        let (q1, q2) = self.event_probabilities(pooled, pooled, f);
        (
            1.0 / (x1 * p1) + 1.0 / (x2 * p2),
            1.0 / (x1 * q1) + 1.0 / (x2 * q2),
        )
    }

    /// Lachin–Foulkes patients at follow-up `f`.
    fn lf_subjects(&self, theta: f64, l1: f64, l2: f64, f: f64) -> f64 {
        let (phi, phi0) = self.lf_phis(theta, l1, l2, f);
        let za = qnorm(1.0 - self.alpha / f64::from(self.sides));
        ((za * phi0.sqrt() + qnorm(self.power) * phi.sqrt()) / theta.ln().abs()).powi(2)
    }

    /// Lachin–Foulkes power (one-sided, as gsDesign) with `n` patients at follow-up `f`.
    fn lf_power(&self, theta: f64, l1: f64, l2: f64, n: f64, f: f64) -> f64 {
        let (phi, phi0) = self.lf_phis(theta, l1, l2, f);
        let za = qnorm(1.0 - self.alpha / f64::from(self.sides));
        pnorm((theta.ln().abs() - za * (phi0 / n).sqrt()) / (phi / n).sqrt())
    }

    /// The follow-up at which `n` patients have the design's power by Lachin–Foulkes
    /// (gsDesign `nSurv(minfup = NULL)`); `None` when no follow-up is enough.
    fn lf_follow_up(&self, theta: f64, l1: f64, l2: f64, n: f64) -> Option<f64> {
        follow_up_root(
            |f| self.lf_power(theta, l1, l2, n, f) - self.power,
            l1.min(l2),
        )
    }

    fn mean_probability(&self, l1: f64, l2: f64, f: f64) -> f64 {
        let r = self.allocation_ratio;
        let (p1, p2) = self.event_probabilities(l1, l2, f);
        (r * p1 + p2) / (1.0 + r)
    }

    /// The follow-up at which `n` patients give `d` expected events; `None` when even
    /// unlimited follow-up gives fewer.
    fn follow_up_for(&self, l1: f64, l2: f64, n: f64, d: f64) -> Option<f64> {
        follow_up_root(|f| n * self.mean_probability(l1, l2, f) - d, l1.min(l2))
    }
}

/// The follow-up f ≥ 0 where the increasing `g` reaches 0: 0 when g(0) ≥ 0; else a bracket
/// doubled from 1/λ (the smaller hazard) and R's Brent root; `None` when g stays below 0.
fn follow_up_root(g: impl Fn(f64) -> f64, lambda: f64) -> Option<f64> {
    if g(0.0) >= 0.0 {
        return Some(0.0);
    }
    let mut hi = 1.0 / lambda;
    let mut k = 0;
    while g(hi) < 0.0 {
        hi *= 2.0;
        k += 1;
        if k > 60 {
            return None;
        }
    }
    crate::numerics::root::uniroot(g, 0.0, hi, 1e-13).map(|r| r.x)
}

/// The events and patients a design needs (R rpact `getSampleSizeSurvival`, fixed
/// design).
///
/// # Errors
/// [`DesignError`] naming the input that cannot be used, or the accrual when its rate
/// can never give the events.
pub fn survival_sample_size(d: &SurvivalDesign) -> Result<SurvivalSampleSize, DesignError> {
    let (theta, l1, l2) = d.validate()?;
    let r = d.allocation_ratio;
    let z = d.z_sum();
    let lf = d.method == EventsMethod::LachinFoulkes;
    let mut events = z * z * d.method.k(theta, r);
    let (subjects, follow_up) = match &d.accrual {
        Accrual::Period { follow_up, .. } if lf => {
            let n = d.lf_subjects(theta, l1, l2, *follow_up);
            events = n * d.mean_probability(l1, l2, *follow_up);
            (n, *follow_up)
        }
        Accrual::Period { follow_up, .. } => {
            (events / d.mean_probability(l1, l2, *follow_up), *follow_up)
        }
        Accrual::Rate { .. } if lf => {
            let n: f64 = d.accrual.weights().iter().sum();
            let f = d.lf_follow_up(theta, l1, l2, n).ok_or_else(|| {
                bad(
                    "accrual",
                    &format!(
                        "{n:.0} patients never reach the power by Lachin–Foulkes, however long the follow-up: accrue for longer or faster"
                    ),
                )
            })?;
            events = n * d.mean_probability(l1, l2, f);
            (n, f)
        }
        Accrual::Rate { .. } => {
            let n: f64 = d.accrual.weights().iter().sum();
            let f = d.follow_up_for(l1, l2, n, events).ok_or_else(|| {
                bad(
                    "accrual",
                    &format!(
                        "{n:.0} patients can never give the {events:.1} events needed: accrue for longer or faster"
                    ),
                )
            })?;
            (n, f)
        }
    };
    let (p1, p2) = d.event_probabilities(l1, l2, follow_up);
    let b = d.accrual.boundaries();
    let total_w: f64 = d.accrual.weights().iter().sum();
    let accrual_per_time = match &d.accrual {
        Accrual::Rate { per_time, .. } => per_time.clone(),
        Accrual::Period { intensity, .. } => {
            // Relative intensities scaled so that the periods hold the n patients.
            intensity.iter().map(|w| w * subjects / total_w).collect()
        }
    };
    Ok(SurvivalSampleSize {
        events,
        subjects,
        subjects_treatment: subjects * r / (1.0 + r),
        subjects_control: subjects / (1.0 + r),
        hazard_ratio: theta,
        lambda_treatment: l1,
        lambda_control: l2,
        event_probability_treatment: p1,
        event_probability_control: p2,
        follow_up,
        study_duration: b[b.len() - 1] + follow_up,
        accrual_per_time,
        events_by_method: EventsMethod::ALL
            .iter()
            .map(|&m| {
                let e = if m == EventsMethod::LachinFoulkes {
                    // At this design's accrual and follow-up.
                    let n = d.lf_subjects(theta, l1, l2, follow_up);
                    n * d.mean_probability(l1, l2, follow_up)
                } else {
                    z * z * m.k(theta, r)
                };
                (m, e)
            })
            .collect(),
    })
}

/// The power of a design with a given number of events (R rpact `getPowerSurvival(
/// maxNumberOfEvents = )$overallReject`): Φ(√(d/K) − z_{α/s}), plus Φ(−√(d/K) − z_{α/2})
/// for a two-sided test; the design's power field is not used. By Lachin–Foulkes, the
/// one-sided power of gsDesign `nSurv(beta = NULL)` with the patients that give `events`
/// at the design's accrual.
///
/// # Errors
/// As [`survival_sample_size`], and for events that are not a number above 0.
pub fn survival_power(d: &SurvivalDesign, events: f64) -> Result<f64, DesignError> {
    let (theta, l1, l2) = d.validate()?;
    if !(events.is_finite() && events > 0.0) {
        return Err(bad("events", "a number of events above 0"));
    }
    if d.method == EventsMethod::LachinFoulkes {
        // The patients that give these events at the design's accrual and follow-up (for
        // a rate, the follow-up at which its patients give them).
        let (n, f) = match &d.accrual {
            Accrual::Period { follow_up, .. } => {
                (events / d.mean_probability(l1, l2, *follow_up), *follow_up)
            }
            Accrual::Rate { .. } => {
                let n: f64 = d.accrual.weights().iter().sum();
                let f = d.follow_up_for(l1, l2, n, events).ok_or_else(|| {
                    bad(
                        "events",
                        &format!("{n:.0} patients can never give {events:.1} events"),
                    )
                })?;
                (n, f)
            }
        };
        return Ok(d.lf_power(theta, l1, l2, n, f));
    }
    let k = d.method.k(theta, d.allocation_ratio);
    let z = qnorm(1.0 - d.alpha / f64::from(d.sides));
    let other = if d.sides == 2 {
        pnorm(-(events / k).sqrt() - z)
    } else {
        0.0
    };
    Ok(pnorm((events / k).sqrt() - z) + other)
}

/// The expected events with `subjects` patients (at the design's accrual and follow-up),
/// and for a rate-free accrual period the time at which `events` are expected (rpact
/// `getPowerSurvival(maxNumberOfSubjects = , maxNumberOfEvents = )$analysisTime`).
///
/// # Errors
/// As [`survival_sample_size`]; when `subjects` can never give `events`.
pub fn survival_analysis_time(
    d: &SurvivalDesign,
    subjects: f64,
    events: f64,
) -> Result<f64, DesignError> {
    let (_, l1, l2) = d.validate()?;
    if !(subjects.is_finite() && subjects > 0.0 && events.is_finite() && events > 0.0) {
        return Err(bad("subjects", "numbers of patients and events above 0"));
    }
    let b = d.accrual.boundaries();
    d.follow_up_for(l1, l2, subjects, events)
        .map(|f| b[b.len() - 1] + f)
        .ok_or_else(|| {
            bad(
                "subjects",
                &format!("{subjects:.0} patients can never give {events:.1} events"),
            )
        })
}
