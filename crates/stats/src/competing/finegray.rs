//! The Fine–Gray proportional subdistribution hazards model, as R `cmprsk::crr` fits it:
//! the same partial likelihood, Newton–Raphson iterations with the same step halving and
//! stopping rule, and the same sandwich variance.
//!
//! # Formula
//! For the cause of interest k, the subdistribution hazard λ_k(t) = −d log(1 − F_k(t))/dt
//! is modelled as λ_k(t | x) = λ_k0(t)·exp(xᵀβ). A patient who failed from another cause
//! stays in the risk set after that failure, with the weight
//!
//! w_i(t) = 1 while t_i ≥ t, and w_i(t) = Ĝ(t−)/Ĝ(t_i−) after a competing failure at t_i < t,
//!
//! Ĝ being the Kaplan–Meier estimate of the censoring distribution (censorings as the
//! events). Over the distinct times t_f of failures from cause k, with d_f failures and
//! S_r(t) = Σ_i w_i(t) e^{x_iᵀβ} x_i^{⊗r}, the log partial likelihood (Breslow's handling
//! of ties, as crr) is
//!
//! ℓ(β) = Σ_f [ Σ_{i fails from k at t_f} x_iᵀβ − d_f log S_0(t_f) ],
//!
//! its information I = Σ_f d_f [S_2/S_0 − (S_1/S_0)^{⊗2}](t_f). The variance is the
//! sandwich I⁻¹ (Σ_i (η_i + ψ_i)^{⊗2}) I⁻¹ of Fine & Gray §4, where η_i is patient i's
//! score residual (the martingale dM_i weighted by x_i − x̄) and ψ_i the correction for
//! estimating Ĝ: with π(u) the number at risk at u, x̄ = S_1/S_0 and
//!
//! q(u) = Σ_{t_f ≥ u} (d_f / S_0(t_f)) Σ_{j fails from another cause, t_j < u}
//!        w_j(t_f) e^{x_jᵀβ} (x_j − x̄(t_f)),
//!
//! ψ_i = ∫ q(u)/π(u) dM_i^c(u), dM_i^c = dN_i^c(u) − 1{t_i ≥ u} dN^c(u)/π(u).
//!
//! Every sum is a running sum over the sorted times, so a fit costs O(n log n) for the
//! sort and O(n p²) per iteration (crr's Fortran loops over pairs, O(n²)). The covariates
//! are centred first: the likelihood, score and information do not change (the factor
//! e^{cᵀβ} cancels), and S_2/S_0 − x̄x̄ᵀ then loses no digits to large covariates such as
//! age in years.
//!
//! # References
//! Fine JP, Gray RJ (1999). A proportional hazards model for the subdistribution of a
//! competing risk. J Am Stat Assoc 94:496–509. R `cmprsk::crr` (Fortran `crrfsv`, `crrf`,
//! `crrvv`).

use crate::numerics::{chisq_upper, qnorm, two_sided_normal_p};

/// Options of the fit. Defaults are `crr`'s.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FineGrayOptions {
    /// Convergence: stop when max |score_j|·max(|β_j|, 1) < max(|ℓ|, 1)·gtol (R `gtol`).
    pub gtol: f64,
    /// Newton–Raphson iterations at most (R `maxiter`).
    pub max_iter: usize,
    /// Level of the confidence intervals (R `summary(fit, conf.int = 0.95)`).
    pub conf_level: f64,
}

impl Default for FineGrayOptions {
    fn default() -> Self {
        FineGrayOptions {
            gtol: 1e-6,
            max_iter: 10,
            conf_level: 0.95,
        }
    }
}

/// One coefficient: a covariate's subdistribution hazard ratio.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FineGrayTerm {
    /// The covariate (a group compared with the reference, or a column name).
    pub name: String,
    /// β̂ (R `coef`).
    pub coef: f64,
    /// Its standard error from the sandwich variance (R `se(coef)`).
    pub se: f64,
    /// exp(β̂), the subdistribution hazard ratio (R `exp(coef)`).
    pub shr: f64,
    /// Lower Wald limit of the ratio (R `2.5%`).
    pub lower: f64,
    /// Upper Wald limit (R `97.5%`).
    pub upper: f64,
    /// z = β̂/se (R `z`).
    pub z: f64,
    /// Two-sided P value (R `p-value`, 2(1 − Φ(|z|)), here without its cancellation
    /// below 1e-16).
    pub p_value: f64,
}

/// A fitted Fine–Gray model (R `crr` and `summary.crr`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FineGrayFit {
    /// The cause of interest (R `failcode`).
    pub cause: u32,
    /// One term per covariate.
    pub terms: Vec<FineGrayTerm>,
    /// The sandwich variance of β̂ (R `var`).
    pub variance: Vec<Vec<f64>>,
    /// The information matrix at β̂ (R `inf`).
    pub information: Vec<Vec<f64>>,
    /// The log partial likelihood at β̂ (R `loglik`).
    pub loglik: f64,
    /// At β = 0 (R `loglik.null`).
    pub loglik_null: f64,
    /// The likelihood-ratio statistic 2(ℓ(β̂) − ℓ(0)) (R `summary(fit)$logtest`), on
    /// p degrees of freedom, and its P value.
    pub lr_chisq: f64,
    /// Its P value.
    pub lr_p_value: f64,
    /// Whether the iterations met the stopping rule (R `converged`).
    pub converged: bool,
    /// Newton–Raphson steps taken.
    pub iterations: usize,
    /// Observations.
    pub n: usize,
    /// Failures from the cause of interest.
    pub events: usize,
    /// Failures from the other causes.
    pub competing: usize,
}

/// Why a model cannot be fitted.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum FineGrayError {
    /// No failure from the cause of interest.
    NoEvents(u32),
    /// A covariate column of the wrong length, or no covariate.
    Shape(String),
    /// A covariate value that is not finite.
    NotFinite {
        /// The covariate.
        name: String,
        /// Its observation (0-based).
        row: usize,
    },
    /// The information matrix is singular at the estimate (a covariate that does not vary
    /// among the patients at risk, or a group without failures).
    Singular,
}

impl std::fmt::Display for FineGrayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FineGrayError::NoEvents(c) => {
                write!(f, "no failure from cause {c}: the model has nothing to estimate")
            }
            FineGrayError::Shape(s) => write!(f, "{s}"),
            FineGrayError::NotFinite { name, row } => write!(
                f,
                "covariate '{name}' is not a finite number at observation {}",
                row + 1
            ),
            FineGrayError::Singular => write!(
                f,
                "the information matrix is singular: a covariate is constant among the patients at risk, or its coefficient diverges"
            ),
        }
    }
}

impl std::error::Error for FineGrayError {}

/// The data of a fit, sorted by time, with the covariates centred.
struct Sorted {
    time: Vec<f64>,
    /// 1 = the cause of interest, 2 = another cause, 0 = censored (crr's `ici`).
    kind: Vec<u8>,
    x: Vec<Vec<f64>>,
    /// Ĝ(t_i−), the censoring survival just before each observation's time.
    g_minus: Vec<f64>,
    /// Start of each block of tied times, with `n` at the end.
    blocks: Vec<usize>,
}

/// Running sums at one distinct time of failure from the cause.
struct AtFailure {
    /// First observation of the time's block, and one past its last.
    block: usize,
    end: usize,
    d: f64,
    /// Ĝ(t_f−).
    g: f64,
    s0: f64,
    xbar: Vec<f64>,
    /// S_2/S_0 − x̄x̄ᵀ (the upper triangle is read).
    cov: Vec<Vec<f64>>,
}

impl Sorted {
    fn p(&self) -> usize {
        self.x.first().map_or(0, Vec::len)
    }

    /// e^{x_iᵀβ} of every observation.
    fn risk_scores(&self, beta: &[f64]) -> Vec<f64> {
        self.x
            .iter()
            .map(|x| x.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>().exp())
            .collect()
    }

    /// S_0, x̄ and the weighted covariance at each distinct failure time, and ℓ(β).
    fn sums(&self, beta: &[f64], with_cov: bool) -> (f64, Vec<AtFailure>) {
        let p = self.p();
        let e = self.risk_scores(beta);
        let zero_m = || vec![vec![0.0; p]; p];
        // Forward: competing failures before each block, weighted 1/Ĝ(t_j−).
        let mut c0 = 0.0;
        let mut c1 = vec![0.0; p];
        let mut c2 = zero_m();
        let mut before: Vec<(f64, Vec<f64>, Vec<Vec<f64>>)> = Vec::new();
        let mut failure_blocks = Vec::new();
        for w in self.blocks.windows(2) {
            if (w[0]..w[1]).any(|i| self.kind[i] == 1) {
                failure_blocks.push(w[0]);
                before.push((
                    c0,
                    c1.clone(),
                    if with_cov { c2.clone() } else { Vec::new() },
                ));
            }
            for i in w[0]..w[1] {
                if self.kind[i] == 2 {
                    let we = e[i] / self.g_minus[i];
                    accumulate(&mut c0, &mut c1, &mut c2, we, &self.x[i], with_cov);
                }
            }
        }
        // Backward: everyone still followed at each failure time.
        let mut r0 = 0.0;
        let mut r1 = vec![0.0; p];
        let mut r2 = zero_m();
        let mut out: Vec<AtFailure> = Vec::with_capacity(failure_blocks.len());
        let mut loglik = 0.0;
        let mut next = failure_blocks.len();
        for w in self.blocks.windows(2).rev() {
            for i in w[0]..w[1] {
                accumulate(&mut r0, &mut r1, &mut r2, e[i], &self.x[i], with_cov);
            }
            if next > 0 && failure_blocks[next - 1] == w[0] {
                next -= 1;
                let (cb0, cb1, cb2) = &before[next];
                let g = self.g_minus[w[0]];
                let s0 = r0 + g * cb0;
                let s1: Vec<f64> = (0..p).map(|j| r1[j] + g * cb1[j]).collect();
                let xbar: Vec<f64> = s1.iter().map(|v| v / s0).collect();
                let cov = if with_cov {
                    (0..p)
                        .map(|a| {
                            (0..p)
                                .map(|b| (r2[a][b] + g * cb2[a][b]) / s0 - xbar[a] * xbar[b])
                                .collect()
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let mut d = 0.0;
                for i in w[0]..w[1] {
                    if self.kind[i] == 1 {
                        d += 1.0;
                        loglik += e[i].ln();
                    }
                }
                loglik -= d * s0.ln();
                out.push(AtFailure {
                    block: w[0],
                    end: w[1],
                    d,
                    g,
                    s0,
                    xbar,
                    cov,
                });
            }
        }
        out.reverse();
        (loglik, out)
    }

    /// ℓ, its gradient (the score) and the information at β.
    fn derivatives(&self, beta: &[f64]) -> (f64, Vec<f64>, Vec<Vec<f64>>, Vec<AtFailure>) {
        let p = self.p();
        let (loglik, at) = self.sums(beta, true);
        let mut score = vec![0.0; p];
        let mut info = vec![vec![0.0; p]; p];
        for f in &at {
            for i in f.block..f.end {
                if self.kind[i] == 1 {
                    for j in 0..p {
                        score[j] += self.x[i][j] - f.xbar[j];
                    }
                }
            }
            for a in 0..p {
                for b in 0..p {
                    info[a][b] += f.d * f.cov[a][b];
                }
            }
        }
        (loglik, score, info, at)
    }

    /// Σ_i (η_i + ψ_i)^{⊗2} at β (crr's `crrvv`, second matrix).
    fn meat(&self, beta: &[f64], at: &[AtFailure]) -> Vec<Vec<f64>> {
        let n = self.time.len();
        let p = self.p();
        let e = self.risk_scores(beta);
        let mut u: Vec<Vec<f64>> = vec![vec![0.0; p]; n];
        // η: the dN part, and the dΛ̂ part through running sums over the failure times:
        // A(t) = Σ_{t_f ≤ t} d_f/S_0, B(t) = Σ_{t_f ≤ t} d_f x̄_f/S_0 (patients still
        // followed), and their suffix forms weighted by Ĝ(t_f−) for competing failures.
        let mut fi = 0;
        let (mut a, mut b) = (0.0, vec![0.0; p]);
        let total_ga: f64 = at.iter().map(|f| f.d * f.g / f.s0).sum();
        let total_gb: Vec<f64> = (0..p)
            .map(|j| at.iter().map(|f| f.d * f.g * f.xbar[j] / f.s0).sum())
            .collect();
        let (mut ga, mut gb) = (0.0, vec![0.0; p]);
        for w in self.blocks.windows(2) {
            let here = fi < at.len() && at[fi].block == w[0];
            if here {
                let f = &at[fi];
                a += f.d / f.s0;
                ga += f.d * f.g / f.s0;
                for j in 0..p {
                    b[j] += f.d * f.xbar[j] / f.s0;
                    gb[j] += f.d * f.g * f.xbar[j] / f.s0;
                }
            }
            for i in w[0]..w[1] {
                let ui = &mut u[i];
                if here && self.kind[i] == 1 {
                    for j in 0..p {
                        ui[j] += self.x[i][j] - at[fi].xbar[j];
                    }
                }
                for j in 0..p {
                    ui[j] -= e[i] * (self.x[i][j] * a - b[j]);
                }
                if self.kind[i] == 2 {
                    let c = e[i] / self.g_minus[i];
                    let (ra, rb) = (total_ga - ga, (0..p).map(|j| total_gb[j] - gb[j]));
                    for (j, rbj) in rb.enumerate() {
                        ui[j] -= c * (self.x[i][j] * ra - rbj);
                    }
                }
            }
            if here {
                fi += 1;
            }
        }
        // ψ: q(u) at each censoring time, E, F the competing failures before u weighted
        // e/Ĝ(t_j−), P, Q the failure times at or after u weighted d_f Ĝ(t_f−)/S_0.
        let (mut ef, mut ee) = (0.0, vec![0.0; p]);
        let (mut pp, mut qq) = (total_ga, total_gb.clone());
        let mut fi = 0;
        let mut cumulative = vec![0.0; p];
        for w in self.blocks.windows(2) {
            // P, Q over t_f ≥ u: drop the failure times before this block.
            while fi < at.len() && at[fi].block < w[0] {
                let f = &at[fi];
                pp -= f.d * f.g / f.s0;
                for j in 0..p {
                    qq[j] -= f.d * f.g * f.xbar[j] / f.s0;
                }
                fi += 1;
            }
            let censored = (w[0]..w[1]).filter(|&i| self.kind[i] == 0).count();
            if censored > 0 {
                let q: Vec<f64> = (0..p).map(|j| ee[j] * pp - ef * qq[j]).collect();
                let risk = (n - w[0]) as f64;
                for j in 0..p {
                    cumulative[j] -= censored as f64 * q[j] / (risk * risk);
                }
                for i in w[0]..w[1] {
                    for j in 0..p {
                        u[i][j] += cumulative[j];
                        if self.kind[i] == 0 {
                            u[i][j] += q[j] / risk;
                        }
                    }
                }
            } else {
                for i in w[0]..w[1] {
                    for j in 0..p {
                        u[i][j] += cumulative[j];
                    }
                }
            }
            for i in w[0]..w[1] {
                if self.kind[i] == 2 {
                    let c = e[i] / self.g_minus[i];
                    ef += c;
                    for j in 0..p {
                        ee[j] += c * self.x[i][j];
                    }
                }
            }
        }
        let mut m = vec![vec![0.0; p]; p];
        for ui in &u {
            for a in 0..p {
                for b in 0..p {
                    m[a][b] += ui[a] * ui[b];
                }
            }
        }
        m
    }
}

fn accumulate(
    s0: &mut f64,
    s1: &mut [f64],
    s2: &mut [Vec<f64>],
    w: f64,
    x: &[f64],
    with_cov: bool,
) {
    *s0 += w;
    for (j, xj) in x.iter().enumerate() {
        s1[j] += w * xj;
        if with_cov {
            for (k, xk) in x.iter().enumerate() {
                s2[j][k] += w * xj * xk;
            }
        }
    }
}

/// Solves the symmetric system m·y = r by Gaussian elimination with partial pivoting
/// (R `solve`); `None` when singular.
fn solve(m: &[Vec<f64>], r: &[f64]) -> Option<Vec<f64>> {
    let p = r.len();
    let mut a: Vec<Vec<f64>> = m
        .iter()
        .zip(r)
        .map(|(row, &ri)| {
            let mut v = row.clone();
            v.push(ri);
            v
        })
        .collect();
    for c in 0..p {
        let piv = (c..p).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[piv][c] == 0.0 || !a[piv][c].is_finite() {
            return None;
        }
        a.swap(c, piv);
        for i in (c + 1)..p {
            let f = a[i][c] / a[c][c];
            for k in c..=p {
                a[i][k] -= f * a[c][k];
            }
        }
    }
    let mut y = vec![0.0; p];
    for i in (0..p).rev() {
        let s: f64 = ((i + 1)..p).map(|k| a[i][k] * y[k]).sum();
        y[i] = (a[i][p] - s) / a[i][i];
    }
    y.iter().all(|v| v.is_finite()).then_some(y)
}

fn inverse(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let p = m.len();
    let cols: Option<Vec<Vec<f64>>> = (0..p)
        .map(|j| solve(m, &(0..p).map(|i| f64::from(i == j)).collect::<Vec<_>>()))
        .collect();
    let cols = cols?;
    Some(
        (0..p)
            .map(|i| (0..p).map(|j| cols[j][i]).collect())
            .collect(),
    )
}

/// Fits the Fine–Gray model of `cause` on covariate columns `x` (one `Vec` per covariate,
/// one value per observation) named `names`: R `crr(time, status, cov1 = x, failcode =
/// cause, cencode = 0)`. `status` is 0 for censored, otherwise the cause of failure.
///
/// # Errors
/// [`FineGrayError::NoEvents`] when the cause never occurs, [`FineGrayError::Shape`] for
/// columns of the wrong length, [`FineGrayError::NotFinite`], and
/// [`FineGrayError::Singular`] when the information at the estimate cannot be inverted.
pub fn fine_gray(
    time: &[f64],
    status: &[u32],
    x: &[Vec<f64>],
    names: &[String],
    cause: u32,
    options: &FineGrayOptions,
) -> Result<FineGrayFit, FineGrayError> {
    let n = time.len();
    let p = x.len();
    if p == 0 || names.len() != p || status.len() != n || x.iter().any(|c| c.len() != n) {
        return Err(FineGrayError::Shape(format!(
            "{p} covariates named {}, each with one value per observation ({n})",
            names.len()
        )));
    }
    for (c, name) in x.iter().zip(names) {
        if let Some(row) = c.iter().position(|v| !v.is_finite()) {
            return Err(FineGrayError::NotFinite {
                name: name.clone(),
                row,
            });
        }
    }
    let events = status.iter().filter(|&&s| s == cause).count();
    if events == 0 {
        return Err(FineGrayError::NoEvents(cause));
    }
    let competing = status.iter().filter(|&&s| s != 0 && s != cause).count();
    let order = crate::data::order_by(time);
    let means: Vec<f64> = x.iter().map(|c| c.iter().sum::<f64>() / n as f64).collect();
    let kind: Vec<u8> = order
        .iter()
        .map(|&i| match status[i] {
            0 => 0,
            s if s == cause => 1,
            _ => 2,
        })
        .collect();
    let stime: Vec<f64> = order.iter().map(|&i| time[i]).collect();
    let mut blocks = vec![0];
    for i in 1..n {
        if stime[i] > stime[i - 1] {
            blocks.push(i);
        }
    }
    blocks.push(n);
    // Ĝ(t−): Kaplan–Meier of the censorings (R survfit(Surv(time, status == 0) ~ 1)).
    let mut g_minus = vec![0.0; n];
    let mut g = 1.0;
    for w in blocks.windows(2) {
        for gm in &mut g_minus[w[0]..w[1]] {
            *gm = g;
        }
        let c = (w[0]..w[1]).filter(|&i| kind[i] == 0).count();
        g *= 1.0 - c as f64 / (n - w[0]) as f64;
    }
    let data = Sorted {
        time: stime,
        kind,
        x: order
            .iter()
            .map(|&i| (0..p).map(|j| x[j][i] - means[j]).collect())
            .collect(),
        g_minus,
        blocks,
    };
    // crr's minimisation of −ℓ: Newton steps from 0, halved until the Armijo condition
    // holds (at most 20 halvings), stopping when the scaled score is below gtol.
    let mut beta = vec![0.0; p];
    let mut converged = false;
    let mut iterations = 0;
    let loglik_null = data.sums(&beta, false).0;
    // Every way out of the loop leaves β where it was last evaluated, so that evaluation
    // is the fit's.
    let mut last = data.derivatives(&beta);
    for ll in 0..=options.max_iter {
        if ll > 0 {
            last = data.derivatives(&beta);
        }
        let (loglik, score, info, _) = &last;
        let (f, grad) = (-loglik, score.iter().map(|s| -s).collect::<Vec<_>>());
        let scaled = grad
            .iter()
            .zip(&beta)
            .map(|(g, b)| g.abs() * b.abs().max(1.0))
            .fold(0.0, f64::max);
        if scaled < f.abs().max(1.0) * options.gtol {
            converged = true;
            break;
        }
        if ll == options.max_iter {
            break;
        }
        let Some(step) = solve(info, score) else {
            break;
        };
        let mut step = step;
        let slope = |step: &[f64]| step.iter().zip(&grad).map(|(s, g)| s * g).sum::<f64>();
        let mut halvings = 0;
        let mut next: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
        let mut fnext = -data.sums(&next, false).0;
        while fnext.is_nan() || fnext > f + 1e-4 * slope(&step) {
            halvings += 1;
            for s in &mut step {
                *s *= 0.5;
            }
            next = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
            fnext = -data.sums(&next, false).0;
            if halvings > 20 {
                break;
            }
        }
        if halvings > 20 {
            break;
        }
        beta = next;
        iterations += 1;
    }
    let (loglik, _, info, at) = last;
    let inv = inverse(&info).ok_or(FineGrayError::Singular)?;
    let meat = data.meat(&beta, &at);
    let variance: Vec<Vec<f64>> = (0..p)
        .map(|a| {
            (0..p)
                .map(|b| {
                    (0..p)
                        .map(|k| inv[a][k] * (0..p).map(|l| meat[k][l] * inv[b][l]).sum::<f64>())
                        .sum()
                })
                .collect()
        })
        .collect();
    let z_crit = qnorm(0.5 + options.conf_level / 2.0);
    let terms = (0..p)
        .map(|j| {
            let (b, se) = (beta[j], variance[j][j].sqrt());
            let z = b / se;
            FineGrayTerm {
                name: names[j].clone(),
                coef: b,
                se,
                shr: b.exp(),
                lower: (b - z_crit * se).exp(),
                upper: (b + z_crit * se).exp(),
                z,
                p_value: two_sided_normal_p(z),
            }
        })
        .collect();
    let lr_chisq = 2.0 * (loglik - loglik_null);
    Ok(FineGrayFit {
        cause,
        terms,
        variance,
        information: info,
        loglik,
        loglik_null,
        lr_chisq,
        lr_p_value: chisq_upper(lr_chisq, p),
        converged,
        iterations,
        n,
        events,
        competing,
    })
}
