//! The Cox proportional-hazards model, fitted as R `survival::coxph` fits it.
//!
//! # Formula
//! With linear predictor η_i = x_iᵀβ and, at each distinct event time, the risk set R
//! (time ≥ t) and the tied deaths D (d of them), the Efron partial log-likelihood is
//!
//! ℓ(β) = Σ_t [ Σ_{i∈D} η_i − Σ_{r=0}^{d−1} log( Σ_{i∈R} e^{η_i} − (r/d) Σ_{i∈D} e^{η_i} ) ]
//!
//! and Breslow's drops the (r/d) term. β̂ maximises ℓ by Newton–Raphson from β = 0 with
//! step-halving, stopping when |1 − ℓ_old/ℓ_new| ≤ 1e-9 — the algorithm, criteria and
//! generalised Cholesky of R's `coxfit6.c`, so iterations and estimates agree with R.
//!
//! Tests: Wald β̂ᵀ I(β̂) β̂, likelihood ratio 2{ℓ(β̂) − ℓ(0)}, score U(0)ᵀ I(0)⁻¹ U(0); each
//! χ² on p df. Hazard ratios exp(β̂) with Wald limits exp(β̂ ± z·se).
//!
//! # References
//! Cox DR (1972). JRSS B 34:187–220. Efron B (1977). JASA 72:557–565. Breslow N (1974).
//! Biometrics 30:89–99. Therneau TM, Grambsch PM (2000). Modeling Survival Data, ch. 3.
//! R `survival::coxph(ties = "efron")`, `survival:::coxph.fit`, `src/coxfit6.c`,
//! `src/cholesky2.c`.

use crate::data::SurvData;
use crate::km::z_value;
use crate::logrank::chi_square_sf;
use statrs::distribution::{ContinuousCDF, Normal};

/// How tied event times are handled. Mirrors R `coxph(ties = )`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Ties {
    /// `ties = "efron"`: R's default.
    #[default]
    Efron,
    /// `ties = "breslow"`: the default of SAS PROC PHREG, SPSS and Stata.
    Breslow,
}

impl Ties {
    /// R's name for the method.
    pub fn r_name(self) -> &'static str {
        match self {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
        }
    }
}

/// Options of the Cox fit. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// One coefficient of the model: a non-reference group versus the reference.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// A chi-square test of the whole model.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChiSquareTest {
    /// The statistic.
    pub chisq: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail P value.
    pub p_value: f64,
}

impl ChiSquareTest {
    fn new(chisq: f64, df: usize) -> Self {
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
    /// Problems that do not stop the fit, e.g. a coefficient that may be infinite.
    pub warnings: Vec<String>,
    /// Number of observations.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// The options used.
    pub options: CoxOptions,
}

impl CoxFit {
    /// True when no warning says the estimate is unreliable (diverging or not converged).
    pub fn is_reliable(&self) -> bool {
        self.converged && self.warnings.is_empty()
    }
}

/// Fits a Cox model on the group of `data`: one 0/1 covariate per non-reference level
/// (the first level is the reference), as R `coxph(Surv(time, status) ~ group)` with
/// `group` a factor.
///
/// When a coefficient diverges (for example one group has no events) the fit still
/// returns, with R's warning text in [`CoxFit::warnings`].
pub fn cox_fit(data: &SurvData, options: &CoxOptions) -> CoxFit {
    let p = data.n_groups().saturating_sub(1);
    let x: Vec<Vec<f64>> = (1..data.n_groups())
        .map(|lvl| {
            data.group()
                .iter()
                .map(|&g| if g == lvl { 1.0 } else { 0.0 })
                .collect()
        })
        .collect();
    let names: Vec<String> = data.levels().iter().skip(1).cloned().collect();
    let raw = fit_matrix(data.time(), data.event(), &x, options);
    let z = z_value(options.conf_level);
    let norm = Normal::new(0.0, 1.0).ok();
    let terms = (0..p)
        .map(|j| {
            let coef = raw.beta[j];
            let se = raw.var[j][j].sqrt();
            let zstat = coef / se;
            CoxTerm {
                level: names[j].clone(),
                coef,
                se,
                hr: coef.exp(),
                hr_lower: (coef - z * se).exp(),
                hr_upper: (coef + z * se).exp(),
                z: zstat,
                p_value: norm.map_or(f64::NAN, |n| 2.0 * n.cdf(-zstat.abs())),
            }
        })
        .collect();
    let wald = {
        let mut m = raw.var.clone();
        cholesky2(&mut m, options.toler_chol);
        let mut b = raw.beta.clone();
        chsolve2(&m, &mut b);
        b.iter().zip(&raw.beta).map(|(a, b)| a * b).sum::<f64>()
    };
    CoxFit {
        reference: data.levels().first().cloned().unwrap_or_default(),
        terms,
        var: raw.var,
        loglik: raw.loglik,
        lr_test: ChiSquareTest::new(2.0 * (raw.loglik[1] - raw.loglik[0]), p),
        wald_test: ChiSquareTest::new(wald, p),
        score_test: ChiSquareTest::new(raw.score, p),
        iterations: raw.iterations,
        converged: raw.converged,
        warnings: raw.warnings,
        n: data.len(),
        events: data.event().iter().filter(|&&e| e).count(),
        options: *options,
    }
}

/// What the Newton–Raphson loop returns.
struct RawFit {
    beta: Vec<f64>,
    var: Vec<Vec<f64>>,
    loglik: [f64; 2],
    score: f64,
    iterations: usize,
    converged: bool,
    warnings: Vec<String>,
}

/// Log partial likelihood, score and information at `beta`.
struct Derivs {
    loglik: f64,
    u: Vec<f64>,
    imat: Vec<Vec<f64>>,
}

/// Observations sorted by decreasing time, with covariates centred as R centres them
/// (see [`fit_matrix`]).
struct Design<'a> {
    order: Vec<usize>,
    time: &'a [f64],
    event: &'a [bool],
    x: Vec<Vec<f64>>,
}

impl Design<'_> {
    fn derivs(&self, beta: &[f64], ties: Ties) -> Derivs {
        let p = beta.len();
        let mut loglik = 0.0;
        let mut u = vec![0.0; p];
        let mut imat = vec![vec![0.0; p]; p];
        let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
        let (mut d1, mut d2) = (vec![0.0; p], vec![vec![0.0; p]; p]);
        let mut xi = vec![0.0; p];
        let n = self.order.len();
        let mut i = 0;
        while i < n {
            let t = self.time[self.order[i]];
            let mut ndead = 0usize;
            let mut d0 = 0.0;
            d1.iter_mut().for_each(|v| *v = 0.0);
            d2.iter_mut().flatten().for_each(|v| *v = 0.0);
            let mut j = i;
            while j < n && self.time[self.order[j]] == t {
                let o = self.order[j];
                for k in 0..p {
                    xi[k] = self.x[k][o];
                }
                let eta: f64 = (0..p).map(|k| beta[k] * xi[k]).sum();
                let r = eta.exp();
                s0 += r;
                for a in 0..p {
                    s1[a] += r * xi[a];
                    for b in 0..=a {
                        s2[a][b] += r * xi[a] * xi[b];
                    }
                }
                if self.event[o] {
                    ndead += 1;
                    d0 += r;
                    loglik += eta;
                    for a in 0..p {
                        u[a] += xi[a];
                        d1[a] += r * xi[a];
                        for b in 0..=a {
                            d2[a][b] += r * xi[a] * xi[b];
                        }
                    }
                }
                j += 1;
            }
            if ndead > 0 {
                let dn = ndead as f64;
                for rr in 0..ndead {
                    let f = match ties {
                        Ties::Efron => rr as f64 / dn,
                        Ties::Breslow => 0.0,
                    };
                    let a0 = s0 - f * d0;
                    loglik -= a0.ln();
                    for a in 0..p {
                        let ma = (s1[a] - f * d1[a]) / a0;
                        u[a] -= ma;
                        for b in 0..=a {
                            let mb = (s1[b] - f * d1[b]) / a0;
                            imat[a][b] += (s2[a][b] - f * d2[a][b]) / a0 - ma * mb;
                        }
                    }
                }
            }
            i = j;
        }
        for a in 0..p {
            for b in 0..a {
                imat[b][a] = imat[a][b];
            }
        }
        Derivs { loglik, u, imat }
    }
}

/// Newton–Raphson as R's `coxfit6.c`, for covariate columns `x` (each of length n).
fn fit_matrix(time: &[f64], event: &[bool], x: &[Vec<f64>], opt: &CoxOptions) -> RawFit {
    let p = x.len();
    let mut order: Vec<usize> = (0..time.len()).collect();
    order.sort_by(|&a, &b| time[b].total_cmp(&time[a]));
    // Centring leaves the partial likelihood unchanged, but R's coxph.fit does not centre
    // a column whose values all lie in {-1, 0, 1} (its `nocenter`), so 0/1 group dummies
    // are used as they are. Following R matters when a coefficient diverges: with centred
    // dummies the information E[x²] − E[x]² is a difference of O(1) terms that cancel to
    // O(e^β), losing ~1e-8 relative precision in the variance that R does not lose.
    // (R also scales the columns it centres; no column the crate builds is centred.)
    let x: Vec<Vec<f64>> = x
        .iter()
        .map(|col| {
            if col.iter().all(|&v| v == -1.0 || v == 0.0 || v == 1.0) {
                return col.clone();
            }
            let m = col.iter().sum::<f64>() / col.len().max(1) as f64;
            col.iter().map(|v| v - m).collect()
        })
        .collect();
    let design = Design {
        order,
        time,
        event,
        x,
    };
    let mut beta = vec![0.0; p];
    let first = design.derivs(&beta, opt.ties);
    let loglik0 = first.loglik;
    let mut loglik = loglik0;
    let mut imat = first.imat;
    cholesky2(&mut imat, opt.toler_chol);
    let mut a = first.u.clone();
    chsolve2(&imat, &mut a);
    let score: f64 = a.iter().zip(&first.u).map(|(a, u)| a * u).sum();
    let mut newbeta: Vec<f64> = beta.iter().zip(&a).map(|(b, a)| b + a).collect();
    let mut halving = 0u32;
    let mut iterations = 0;
    let mut converged = false;
    let mut last = first.u;
    let mut result = newbeta.clone();
    if opt.iter_max == 0 {
        chinv2(&mut imat);
        converged = true;
        result = beta.clone();
    } else {
        for iter in 1..=opt.iter_max {
            iterations = iter;
            let d = design.derivs(&newbeta, opt.ties);
            let newlk = d.loglik;
            imat = d.imat;
            cholesky2(&mut imat, opt.toler_chol);
            let finite = newlk.is_finite()
                && d.u.iter().all(|v| v.is_finite())
                && imat.iter().flatten().all(|v| v.is_finite());
            last = d.u.clone();
            if finite && (1.0 - loglik / newlk).abs() <= opt.eps {
                loglik = newlk;
                converged = true;
                result = newbeta.clone();
                chinv2(&mut imat);
                break;
            }
            if !finite || newlk < loglik {
                // Not improving: step back towards the last good β, more each time.
                halving += 1;
                let h = f64::from(halving);
                for k in 0..p {
                    newbeta[k] = (newbeta[k] + h * beta[k]) / (h + 1.0);
                }
            } else {
                halving = 0;
                loglik = newlk;
                let mut step = d.u;
                chsolve2(&imat, &mut step);
                beta.copy_from_slice(&newbeta);
                for k in 0..p {
                    newbeta[k] += step[k];
                }
            }
        }
        if !converged {
            // Out of iterations: R returns the last good β, recomputing the log-likelihood,
            // score and information there, and inverts that information without
            // refactoring it (coxfit6.c); mirrored so that the numbers agree with R's.
            iterations = opt.iter_max + 1;
            if opt.iter_max > 1 {
                let d = design.derivs(&beta, opt.ties);
                loglik = d.loglik;
                imat = d.imat;
                last = d.u;
            }
            chinv2(&mut imat);
            result = beta.clone();
        }
    }
    for i in 0..p {
        for j in 0..i {
            imat[i][j] = imat[j][i];
        }
    }
    let var = imat;
    let mut warnings = Vec::new();
    if !converged {
        warnings.push("Ran out of iterations and did not converge".to_string());
    } else if opt.iter_max > 1 {
        // R: infs <- abs(u %*% var); warn where infs > eps and infs > toler.inf * |coef|.
        let infinite: Vec<String> = (0..p)
            .filter(|&j| {
                let s: f64 = (0..p).map(|k| last[k] * var[k][j]).sum::<f64>().abs();
                s > opt.eps && s > opt.toler_inf * result[j].abs()
            })
            .map(|j| (j + 1).to_string())
            .collect();
        if !infinite.is_empty() {
            warnings.push(format!(
                "Loglik converged before variable {}; coefficient may be infinite.",
                infinite.join(",")
            ));
        }
    }
    RawFit {
        beta: result,
        var,
        loglik: [loglik0, loglik],
        score,
        iterations,
        converged,
        warnings,
    }
}

/// Generalised Cholesky LDLᵀ in place (lower triangle L, diagonal D), with R's rule for
/// non-positive pivots: a pivot below `toler` × the largest diagonal is set to 0 and that
/// direction dropped. Port of survival's `cholesky2.c`; returns the rank.
fn cholesky2(m: &mut [Vec<f64>], toler: f64) -> usize {
    let n = m.len();
    let mut eps: f64 = 0.0;
    for i in 0..n {
        if m[i][i] > eps {
            eps = m[i][i];
        }
        for j in (i + 1)..n {
            m[j][i] = m[i][j];
        }
    }
    eps = if eps == 0.0 { toler } else { eps * toler };
    let mut rank = 0;
    for i in 0..n {
        let pivot = m[i][i];
        if !pivot.is_finite() || pivot < eps {
            m[i][i] = 0.0;
        } else {
            rank += 1;
            for j in (i + 1)..n {
                let temp = m[j][i] / pivot;
                m[j][i] = temp;
                m[j][j] -= temp * temp * pivot;
                for k in (j + 1)..n {
                    m[k][j] -= temp * m[k][i];
                }
            }
        }
    }
    rank
}

/// Solves (LDLᵀ) b = y in place after [`cholesky2`]. Port of survival's `chsolve2`.
fn chsolve2(m: &[Vec<f64>], y: &mut [f64]) {
    let n = m.len();
    for i in 0..n {
        let mut temp = y[i];
        for j in 0..i {
            temp -= y[j] * m[i][j];
        }
        y[i] = temp;
    }
    for i in (0..n).rev() {
        if m[i][i] == 0.0 {
            y[i] = 0.0;
        } else {
            let mut temp = y[i] / m[i][i];
            for j in (i + 1)..n {
                temp -= y[j] * m[j][i];
            }
            y[i] = temp;
        }
    }
}

/// Inverse from the [`cholesky2`] factor, into the upper triangle. Port of `chinv2`.
fn chinv2(m: &mut [Vec<f64>]) {
    let n = m.len();
    for i in 0..n {
        if m[i][i] > 0.0 {
            m[i][i] = 1.0 / m[i][i];
            for j in (i + 1)..n {
                m[j][i] = -m[j][i];
                for k in 0..i {
                    let add = m[j][i] * m[i][k];
                    m[j][k] += add;
                }
            }
        }
    }
    for i in 0..n {
        if m[i][i] == 0.0 {
            for j in 0..i {
                m[j][i] = 0.0;
            }
            for j in i..n {
                m[i][j] = 0.0;
            }
        } else {
            for j in (i + 1)..n {
                let temp = m[j][i] * m[j][j];
                m[i][j] = temp;
                for k in i..j {
                    let add = temp * m[j][k];
                    m[i][k] += add;
                }
            }
        }
    }
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
        assert!(fit.converged && fit.warnings.is_empty());
    }

    #[test]
    fn score_is_zero_at_estimate() {
        let time = vec![5.0, 3.0, 9.0, 2.0, 7.0, 4.0, 8.0, 1.0, 6.0, 3.0];
        let event = vec![true, true, false, true, true, true, false, true, true, true];
        let g = ["a", "b", "a", "b", "a", "b", "a", "b", "a", "a"];
        let d = match SurvData::from_labels(time.clone(), event.clone(), &g) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let fit = cox_fit(&d, &CoxOptions::default());
        let x = vec![g
            .iter()
            .map(|&s| if s == "b" { 1.0 } else { 0.0 })
            .collect()];
        let design = Design {
            order: {
                let mut o: Vec<usize> = (0..10).collect();
                o.sort_by(|&a, &b| time[b].total_cmp(&time[a]));
                o
            },
            time: &time,
            event: &event,
            x,
        };
        let u = design.derivs(&[fit.terms[0].coef], Ties::Efron).u;
        assert!(u[0].abs() < 1e-6, "score {}", u[0]);
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
    }
}
