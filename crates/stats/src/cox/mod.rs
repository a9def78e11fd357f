//! The Cox proportional-hazards model, fitted as R `survival::coxph` fits it: the group
//! alone ([`cox_fit`]) or a multivariable, optionally stratified design ([`cox_model`]),
//! with Efron, Breslow or exact ties.
//!
//! # Formula
//! With linear predictor η_i = x_iᵀβ and, at each distinct event time within a stratum,
//! the risk set R (time ≥ t, same stratum) and the tied events D (d of them), the Efron
//! partial log-likelihood is
//!
//! ℓ(β) = Σ_t [ Σ_{i∈D} η_i − Σ_{r=0}^{d−1} log( Σ_{i∈R} e^{η_i} − (r/d) Σ_{i∈D} e^{η_i} ) ]
//!
//! Breslow's drops the (r/d) term; the exact (discrete logistic) likelihood replaces the
//! denominator by the sum over all d-subsets of R (see `cox/exact.rs`). Strata have
//! separate baseline hazards: each sum runs over one stratum, and ties do not cross strata.
//! β̂ maximises ℓ by Newton–Raphson from β = 0 with step-halving, stopping when
//! |1 − ℓ_old/ℓ_new| ≤ 1e-9 — the algorithm, criteria, covariate scaling and generalised
//! Cholesky of R's `coxfit6.c` / `coxexact.c`, so iterations and estimates agree with R.
//! One iteration costs O(n·p²) (exact ties: O(n·d_max·p²)).
//!
//! Tests: Wald β̂ᵀ I(β̂) β̂, likelihood ratio 2{ℓ(β̂) − ℓ(0)}, score U(0)ᵀ I(0)⁻¹ U(0); each
//! χ² on p df (p = non-singular coefficients). Per term, the Wald test of its coefficients
//! b_T: b_Tᵀ V_TT⁻¹ b_T on |T| df. Hazard ratios exp(β̂) with Wald limits exp(β̂ ± z·se).
//!
//! # References
//! Cox DR (1972). JRSS B 34:187–220. Efron B (1977). JASA 72:557–565. Breslow N (1974).
//! Biometrics 30:89–99. Kalbfleisch JD, Prentice RL (1973). Biometrika 60:267–278.
//! Therneau TM, Grambsch PM (2000). Modeling Survival Data, ch. 3.
//! R `survival::coxph`, `survival:::coxph.fit`, `survival:::coxexact.fit`,
//! `survival:::coxph.wtest`, `src/coxfit6.c`, `src/coxexact.c`, `src/cholesky2.c`.

mod concordance;
mod counts;
mod design;
mod exact;
mod fit;
mod fit6;
mod linalg;
mod monotone;
pub mod subgroup;
pub mod zph;

use fit::*;

pub use concordance::Concordance;
pub use counts::cox_fit_counts;
pub(crate) use design::{model_frame, ModelFrame};
pub use design::{CoxDesign, DesignError, ExcludedRow, Strata, Term};

use crate::data::SurvData;
use crate::km::z_value;
use crate::logrank::chi_square_sf;
use linalg::wald_statistic;
use monotone::RiskOrder;

/// How tied event times are handled. Mirrors R `coxph(ties = )`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Ties {
    /// `ties = "efron"`: R's default.
    #[default]
    Efron,
    /// `ties = "breslow"`: the default of SAS PROC PHREG, SPSS and Stata.
    Breslow,
    /// `ties = "exact"`: the exact partial likelihood (discrete logistic model; SAS
    /// `TIES=DISCRETE`, Stata `exactp`).
    Exact,
}

impl Ties {
    /// R's name for the method.
    pub fn r_name(self) -> &'static str {
        match self {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
            Ties::Exact => "exact",
        }
    }

    /// The method's name in a sentence: "Efron", "Breslow", "exact".
    pub fn name(self) -> &'static str {
        match self {
            Ties::Efron => "Efron",
            Ties::Breslow => "Breslow",
            Ties::Exact => "exact",
        }
    }
}

/// Options of the Cox fit. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct CoxOptions {
    /// R `coxph(ties = "efron")`.
    pub ties: Ties,
    /// Level of the hazard-ratio confidence intervals (R `summary(fit, conf.int = 0.95)`).
    pub conf_level: f64,
    /// R `coxph.control(eps = 1e-9)`: convergence tolerance on the relative log-likelihood.
    pub eps: f64,
    /// R `coxph.control(iter.max = 20)`.
    pub iter_max: usize,
    /// R `coxph.control(toler.chol = .Machine$double.eps^0.75)`.
    pub toler_chol: f64,
    /// R `coxph.control(toler.inf = sqrt(eps))`: threshold of the infinite-coefficient warning.
    pub toler_inf: f64,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            conf_level: 0.95,
            eps: 1e-9,
            iter_max: 20,
            toler_chol: f64::EPSILON.powf(0.75),
            toler_inf: 1e-9f64.sqrt(),
        }
    }
}

/// One coefficient of the group-only model: a non-reference group versus the reference.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoxTerm {
    /// The group compared with the reference.
    pub level: String,
    /// log hazard ratio β̂ (R `coef`).
    pub coef: f64,
    /// Standard error of β̂ from the inverse information (R `se(coef)`).
    pub se: f64,
    /// Hazard ratio exp(β̂) (R `exp(coef)`).
    pub hr: f64,
    /// Lower Wald limit of the hazard ratio (R `lower .95`).
    pub hr_lower: f64,
    /// Upper Wald limit of the hazard ratio (R `upper .95`).
    pub hr_upper: f64,
    /// Wald z = β̂ / se (R `z`).
    pub z: f64,
    /// Two-sided Wald P value (R `Pr(>|z|)`).
    pub p_value: f64,
}

/// A chi-square test.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ChiSquareTest {
    /// The statistic.
    pub chisq: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail P value.
    pub p_value: f64,
}

impl ChiSquareTest {
    pub(crate) fn new(chisq: f64, df: usize) -> Self {
        ChiSquareTest {
            chisq,
            df,
            p_value: chi_square_sf(chisq, df),
        }
    }
}

/// A fitted Cox model of survival on the group, with diagnostics beside the estimate.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoxFit {
    /// The reference group (hazard ratios are relative to it).
    pub reference: String,
    /// One term per non-reference group, in level order.
    pub terms: Vec<CoxTerm>,
    /// Variance–covariance matrix of β̂, row-major (R `vcov(fit)`).
    pub var: Vec<Vec<f64>>,
    /// Log partial likelihood at β = 0 and at β̂ (R `fit$loglik`).
    pub loglik: [f64; 2],
    /// Likelihood-ratio test.
    pub lr_test: ChiSquareTest,
    /// Wald test.
    pub wald_test: ChiSquareTest,
    /// Score (log-rank) test.
    pub score_test: ChiSquareTest,
    /// Newton–Raphson iterations used (R `fit$iter`).
    pub iterations: usize,
    /// False when the iteration limit was reached before convergence.
    pub converged: bool,
    /// Problems that do not stop the fit, in R's words, e.g. a coefficient that may be
    /// infinite.
    pub warnings: Vec<String>,
    /// Number of observations.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// The options used.
    pub options: CoxOptions,
    /// Typed diagnostics (non-convergence, monotone likelihood, singular design).
    #[cfg_attr(feature = "serde", serde(default))]
    pub diagnostics: Vec<CoxDiagnostic>,
    /// Harrell's concordance (R `summary(fit)$concordance`); `None` without comparable pairs.
    #[cfg_attr(feature = "serde", serde(default))]
    pub concordance: Option<Concordance>,
}

impl CoxFit {
    /// True when no warning or diagnostic says the estimate is unreliable (diverging,
    /// not converged, singular).
    pub fn is_reliable(&self) -> bool {
        self.converged && self.warnings.is_empty() && self.diagnostics.is_empty()
    }

    /// True when the coefficients that were estimated are reliable: as
    /// [`CoxModel::estimated_are_reliable`], a singular column (R's silent `NA`) alone does
    /// not make the others unreliable.
    pub fn estimated_are_reliable(&self) -> bool {
        self.converged
            && self.warnings.is_empty()
            && self
                .diagnostics
                .iter()
                .all(|d| matches!(d, CoxDiagnostic::Singular { .. }))
    }
}

/// The direction in which a coefficient diverges under monotone likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Divergence {
    /// β̂ → +∞ (hazard ratio → ∞).
    PlusInfinity,
    /// β̂ → −∞ (hazard ratio → 0).
    MinusInfinity,
}

/// A coefficient named in a diagnostic, with its direction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DivergingCoef {
    /// R's name of the coefficient.
    pub name: String,
    /// Where it goes.
    pub direction: Divergence,
}

/// What makes the likelihood monotone.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum MonotoneCause {
    /// One level of a categorical term (or group) separates the events: whenever its
    /// members are at risk together with others, the events are all in it
    /// (`higher_hazard`) or all outside it (e.g. an arm without events).
    Level {
        /// The term.
        term: String,
        /// The level.
        level: String,
        /// True: the level's hazard is infinitely higher; false: infinitely lower.
        higher_hazard: bool,
    },
    /// A numeric covariate orders the events: every event has the largest
    /// (`higher_hazard`) or smallest value of its risk set.
    Numeric {
        /// The term.
        term: String,
        /// True: higher values fail first.
        higher_hazard: bool,
    },
    /// A combination of the coefficients separates the events.
    Combination {
        /// The coefficients involved.
        coefficients: Vec<String>,
    },
}

/// A diagnostic of a Cox fit: data, not a failure.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum CoxDiagnostic {
    /// The iteration limit was reached (R: "Ran out of iterations and did not converge").
    NotConverged {
        /// Iterations used (R `fit$iter`).
        iterations: usize,
    },
    /// R's rule |U·V| > toler.inf·|β| flagged coefficients (R: "Loglik converged before
    /// variable …; coefficient may be infinite.").
    InfiniteCoefficients {
        /// The coefficients flagged.
        coefficients: Vec<String>,
    },
    /// The partial likelihood increases without bound along a direction: the estimate
    /// does not exist, and the numbers shown for `diverging` are where iteration stopped.
    MonotoneLikelihood {
        /// What separates the events.
        cause: MonotoneCause,
        /// The coefficients that go to ±∞.
        diverging: Vec<DivergingCoef>,
    },
    /// The log partial likelihood at β = 0 is not finite, so nothing could be estimated:
    /// with exact ties, the sum over subsets overflows when many events are tied in a large
    /// risk set (R gives `NA` coefficients too). Efron's approximation does not overflow.
    NonFiniteLoglik,
    /// Columns of the design are linearly dependent (or empty); their coefficients are
    /// not estimable (R gives `NA`; R: "X matrix deemed to be singular").
    Singular {
        /// The coefficients dropped.
        coefficients: Vec<String>,
    },
    /// There are no events, so the partial likelihood is flat and no coefficient can be
    /// estimated (R: every coefficient `NA`, 0 iterations, tests 0 on 0 df with P = 1).
    NoEvents,
}

/// One coefficient of a multivariable model.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoxCoef {
    /// R's name: the term, followed by the level for a categorical term (`rxLev+5FU`).
    pub name: String,
    /// The term it belongs to.
    pub term: String,
    /// The level compared with the term's reference (categorical terms and the group).
    pub level: Option<String>,
    /// log hazard ratio β̂ (R `coef`); NaN when not estimable (R `NA`).
    pub coef: f64,
    /// Standard error (R `se(coef)`).
    pub se: f64,
    /// Hazard ratio exp(β̂).
    pub hr: f64,
    /// Lower Wald limit of the hazard ratio.
    pub hr_lower: f64,
    /// Upper Wald limit of the hazard ratio.
    pub hr_upper: f64,
    /// Wald z.
    pub z: f64,
    /// Two-sided Wald P value (R `Pr(>|z|)`).
    pub p_value: f64,
    /// The column is linearly dependent on others (R `NA` coefficient).
    pub singular: bool,
    /// Set when the likelihood is monotone in this coefficient: the true β̂ is ±∞ and the
    /// numbers above are only where iteration stopped.
    pub diverges: Option<Divergence>,
}

/// The Wald test of one term's coefficients jointly (R `coxph.wtest` on the term's block
/// of `vcov(fit)`; for a 1-df term this is z²).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TermTest {
    /// The term.
    pub term: String,
    /// Its reference level (categorical terms and the group).
    pub reference: Option<String>,
    /// The test.
    pub test: ChiSquareTest,
}

/// Observations and events of one stratum.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct StratumCount {
    /// The stratum's label.
    pub stratum: String,
    /// Observations used.
    pub n: usize,
    /// Events.
    pub events: usize,
}

/// The strata of a stratified model.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct StrataSummary {
    /// The stratifying variable.
    pub name: String,
    /// Each stratum present, in order.
    pub strata: Vec<StratumCount>,
}

/// A fitted multivariable Cox model (R `summary(coxph(...))`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoxModel {
    /// The coefficients, in design order.
    pub coefficients: Vec<CoxCoef>,
    /// Wald test of each term (for categorical terms with several levels, the joint test).
    pub term_tests: Vec<TermTest>,
    /// Variance–covariance matrix of β̂ (R `vcov(fit)`, 0 rows/columns for singular ones).
    pub var: Vec<Vec<f64>>,
    /// Centres of the columns R centred (R `fit$means`; 0 for columns left as they are).
    pub means: Vec<f64>,
    /// Log partial likelihood at β = 0 and at β̂ (R `fit$loglik`).
    pub loglik: [f64; 2],
    /// Likelihood-ratio test.
    pub lr_test: ChiSquareTest,
    /// Wald test of all coefficients.
    pub wald_test: ChiSquareTest,
    /// Score test at β = 0.
    pub score_test: ChiSquareTest,
    /// Harrell's concordance; `None` without comparable pairs.
    pub concordance: Option<Concordance>,
    /// Newton–Raphson iterations (R `fit$iter`).
    pub iterations: usize,
    /// False when the iteration limit was reached.
    pub converged: bool,
    /// R's warnings, in R's words.
    pub warnings: Vec<String>,
    /// Typed diagnostics.
    pub diagnostics: Vec<CoxDiagnostic>,
    /// Observations used.
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// Rows left out for missing values (R `fit$na.action`).
    pub excluded: Vec<ExcludedRow>,
    /// The strata, for a stratified model.
    pub strata: Option<StrataSummary>,
    /// The options used.
    pub options: CoxOptions,
}

impl CoxModel {
    /// True when the fit converged and no diagnostic says an estimate is unreliable.
    pub fn is_reliable(&self) -> bool {
        self.converged && self.diagnostics.is_empty()
    }

    /// True when the coefficients that were estimated are reliable: the fit converged and
    /// no diagnostic besides [`CoxDiagnostic::Singular`] was raised. R sets a singular
    /// column's coefficient to `NA` without a warning and `cox.zph` drops it, so a
    /// proportional-hazards test of the rest is still meaningful.
    pub fn estimated_are_reliable(&self) -> bool {
        self.converged
            && self
                .diagnostics
                .iter()
                .all(|d| matches!(d, CoxDiagnostic::Singular { .. }))
    }

    /// The coefficient named `name` (R's name).
    pub fn coef(&self, name: &str) -> Option<&CoxCoef> {
        self.coefficients.iter().find(|c| c.name == name)
    }
}

/// Fits a Cox model on the group of `data`: one 0/1 covariate per non-reference level
/// (the first level is the reference), as R `coxph(Surv(time, status) ~ group)` with
/// `group` a factor.
///
/// When a coefficient diverges (for example one group has no events) the fit still
/// returns, with R's warning text in [`CoxFit::warnings`] and a typed
/// [`CoxDiagnostic`].
pub fn cox_fit(data: &SurvData, options: &CoxOptions) -> CoxFit {
    let frame = match model_frame(data, &CoxDesign::group_only("group")) {
        Ok(f) => f,
        // A single group (or none): the null model, as R fits `~ 1`.
        Err(_) => ModelFrame {
            time: data.time().into(),
            status: data.event().into(),
            x: Vec::new(),
            columns: Vec::new(),
            terms: Vec::new(),
            strata: vec![0; data.len()],
            strata_levels: Vec::new(),
            strata_name: None,
            excluded: Vec::new(),
            order: std::sync::OnceLock::new(),
            time_in_order: None,
        },
    };
    let m = fit_frame(frame, options);
    CoxFit::from_model(data.levels().first().cloned().unwrap_or_default(), m)
}

impl CoxFit {
    /// The summary of a group-only model ([`CoxDesign::group_only`]) fitted by
    /// [`cox_model`]: the report fits `~ group` once and reads both the hazard ratios and
    /// the proportional-hazards test from that one fit. `reference` is the group's first
    /// level.
    pub fn from_model(reference: String, m: CoxModel) -> CoxFit {
        CoxFit {
            reference,
            terms: m
                .coefficients
                .iter()
                .map(|c| CoxTerm {
                    level: c.level.clone().unwrap_or_default(),
                    coef: c.coef,
                    se: c.se,
                    hr: c.hr,
                    hr_lower: c.hr_lower,
                    hr_upper: c.hr_upper,
                    z: c.z,
                    p_value: c.p_value,
                })
                .collect(),
            var: m.var,
            loglik: m.loglik,
            lr_test: m.lr_test,
            wald_test: m.wald_test,
            score_test: m.score_test,
            iterations: m.iterations,
            converged: m.converged,
            warnings: m.warnings,
            n: m.n,
            events: m.events,
            options: m.options,
            diagnostics: m.diagnostics,
            concordance: m.concordance,
        }
    }
}

/// Fits a multivariable (optionally stratified) Cox model: R
/// `coxph(Surv(time, status) ~ terms + strata(s), ties = )` with `na.action = na.omit`.
///
/// # Errors
/// A [`DesignError`] naming the term (and row) when the design does not fit the data.
/// Numerical trouble is not an error: it comes back as [`CoxModel::diagnostics`].
pub fn cox_model(
    data: &SurvData,
    design: &CoxDesign,
    options: &CoxOptions,
) -> Result<CoxModel, DesignError> {
    let frame = model_frame(data, design)?;
    Ok(fit_frame(frame, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R survival `tests/book1.R`: the seven-row example whose Breslow estimate has the
    /// closed form β̂ = log(1.5 + √33/2) (Therneau & Grambsch 2000, §3.3).
    #[test]
    fn book1_breslow_closed_form() {
        // test1 of book1.R without its row with a missing status.
        let time = vec![9.0, 1.0, 1.0, 6.0, 6.0, 8.0];
        let event = vec![true, true, false, true, true, false];
        let x = ["0", "1", "1", "1", "0", "0"];
        let d = match SurvData::from_labels(time, event, &x).and_then(|d| d.with_reference("0")) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let opt = CoxOptions {
            ties: Ties::Breslow,
            ..CoxOptions::default()
        };
        let fit = cox_fit(&d, &opt);
        let expect = (1.5 + 33f64.sqrt() / 2.0).ln();
        assert!(
            (fit.terms[0].coef - expect).abs() < 1e-10,
            "{}",
            fit.terms[0].coef
        );
        assert!(fit.is_reliable(), "{:?}", fit.diagnostics);
    }

    #[test]
    fn score_is_zero_at_estimate() {
        let time = vec![5.0, 3.0, 9.0, 2.0, 7.0, 4.0, 8.0, 1.0, 6.0, 3.0];
        let event = vec![true, true, false, true, true, true, false, true, true, true];
        let age = vec![50.0, 61.0, 45.0, 70.0, 52.0, 66.0, 40.0, 75.0, 58.0, 63.0];
        let status_strata = vec![0usize; 10];
        for efron in [true, false] {
            let r = fit6::coxfit6(
                &time,
                &event,
                &status_strata,
                std::slice::from_ref(&age),
                efron,
                &CoxOptions::default(),
                &crate::data::order_by_strata_time(&status_strata, &time, false),
            );
            assert!(r.u[0].abs() < 1e-6, "score {}", r.u[0]);
        }
    }

    #[test]
    fn exact_equals_breslow_without_ties() {
        let time = vec![5.0, 3.5, 9.0, 2.0, 7.0, 4.0, 8.0, 1.0, 6.0, 3.0];
        let event = vec![true, true, false, true, true, true, false, true, true, true];
        let g = ["a", "b", "a", "b", "a", "b", "a", "b", "a", "a"];
        let d = SurvData::from_labels(time, event, &g).expect("valid data");
        let b = cox_fit(
            &d,
            &CoxOptions {
                ties: Ties::Breslow,
                ..CoxOptions::default()
            },
        );
        let e = cox_fit(
            &d,
            &CoxOptions {
                ties: Ties::Exact,
                ..CoxOptions::default()
            },
        );
        assert!((b.terms[0].coef - e.terms[0].coef).abs() < 1e-12);
        assert!((b.terms[0].se - e.terms[0].se).abs() < 1e-12);
        assert!((b.loglik[1] - e.loglik[1]).abs() < 1e-12);
    }

    /// R (survival 3.5.3): with 1000 events tied at one time among 2000 at risk the exact
    /// likelihood overflows; `coxph(ties = "exact")` returns iter = 0, loglik = -Inf and NA
    /// coefficients without a warning.
    #[test]
    fn exact_overflow_is_reported() {
        let n = 2000;
        let time: Vec<f64> = (0..n).map(|i| if i < n / 2 { 1.0 } else { 2.0 }).collect();
        let event: Vec<bool> = (0..n).map(|i| i < n / 2).collect();
        let g: Vec<&str> = (0..n).map(|i| if i % 2 == 0 { "a" } else { "b" }).collect();
        let d = SurvData::from_labels(time, event, &g).expect("valid data");
        let fit = cox_fit(
            &d,
            &CoxOptions {
                ties: Ties::Exact,
                ..CoxOptions::default()
            },
        );
        assert_eq!(fit.iterations, 0);
        assert!(fit.loglik[0] == f64::NEG_INFINITY && fit.terms[0].coef.is_nan());
        assert!(fit.warnings.is_empty());
        assert_eq!(fit.diagnostics[0], CoxDiagnostic::NonFiniteLoglik);
        let efron = cox_fit(&d, &CoxOptions::default());
        assert!(efron.is_reliable(), "{:?}", efron.diagnostics);
    }

    /// x1 + x2 orders the events though neither does alone. R: "Ran out of iterations and
    /// did not converge", coefficients ≈ (19.34, 19.34).
    #[test]
    fn separating_combination_is_reported() {
        let time: Vec<f64> = (1..=8).map(f64::from).collect();
        let event = vec![true, true, true, true, true, true, true, false];
        let d = SurvData::from_labels(time, event, &["all"; 8]).expect("valid data");
        let x1 = vec![8.0, 13.0, 0.0, 11.0, -2.0, 9.0, -4.0, 1.0];
        let x2 = vec![0.0, -6.0, 6.0, -6.0, 6.0, -6.0, 6.0, 0.0];
        let design = CoxDesign {
            terms: vec![Term::numeric("x1", x1), Term::numeric("x2", x2)],
            strata: None,
        };
        let fit = cox_model(&d, &design, &CoxOptions::default()).expect("design fits");
        assert!((fit.coefficients[0].coef - 19.33962).abs() < 1e-4);
        assert!(fit.diagnostics.iter().any(|d| matches!(
            d,
            CoxDiagnostic::MonotoneLikelihood {
                cause: MonotoneCause::Combination { .. },
                ..
            }
        )));
        assert!(fit
            .coefficients
            .iter()
            .all(|c| c.diverges == Some(Divergence::PlusInfinity)));
    }

    #[test]
    fn no_events_in_one_arm_warns() {
        let time = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let event = vec![true, true, true, false, false, false];
        let g = ["a", "a", "a", "b", "b", "b"];
        let d = match SurvData::from_labels(time, event, &g) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let fit = cox_fit(&d, &CoxOptions::default());
        assert!(!fit.is_reliable());
        // R: "Ran out of iterations and did not converge", iter = 21, coef ≈ −21.9.
        assert_eq!(
            fit.warnings,
            vec!["Ran out of iterations and did not converge".to_string()]
        );
        assert_eq!(fit.iterations, 21);
        assert!(
            (fit.terms[0].coef + 21.94).abs() < 0.01,
            "{}",
            fit.terms[0].coef
        );
        assert!(fit.diagnostics.iter().any(|d| matches!(
            d,
            CoxDiagnostic::MonotoneLikelihood {
                cause: MonotoneCause::Level {
                    higher_hazard: false,
                    ..
                },
                ..
            }
        )));
    }
}
