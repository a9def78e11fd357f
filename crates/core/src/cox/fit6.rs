//! Newton–Raphson for the Efron and Breslow partial likelihoods: a port of R survival's
//! `coxfit6.c` (with the set-up of `survival:::coxph.fit`), strata and covariate scaling
//! included.
//!
//! # Formula
//! Within each stratum, at each distinct event time with d tied events D and risk set R,
//! Breslow's term is Σ_{i∈D} η_i − d·log Σ_{j∈R} e^{η_j}; Efron's replaces the d copies of
//! the denominator by Σ_{j∈R} e^{η_j} − (r/d) Σ_{i∈D} e^{η_i}, r = 0, …, d − 1. Score and
//! information accumulate in one backward pass over the times: O(n·p²) per iteration.
//!
//! Covariates are centred and scaled by 1 / mean|x − x̄| before iterating, unless every
//! value is in {−1, 0, 1} (R's `nocenter`); β and its variance are scaled back at the end.
//!
//! # References
//! R `survival:::coxph.fit`, `src/coxfit6.c` (survival 3.5).

use super::linalg::{chinv2, cholesky2, chsolve2};
use super::CoxOptions;

/// What `coxfit6` returns, on the scale of the original covariates.
pub(crate) struct RawFit {
    /// β̂ (R `coxfit$coef`).
    pub beta: Vec<f64>,
    /// Inverse information (R `coxfit$imat`), full symmetric matrix.
    pub var: Vec<Vec<f64>>,
    /// Score at the returned β (R `coxfit$u`).
    pub u: Vec<f64>,
    /// Log partial likelihood at 0 and at β̂.
    pub loglik: [f64; 2],
    /// Score test at β = 0.
    pub sctest: f64,
    /// Iterations (R `coxfit$iter`).
    pub iter: usize,
    /// Rank of the information, −2 when converged while step-halving, 1000 when out of
    /// iterations (R `coxfit$flag`).
    pub flag: i64,
    /// Column centres (0 for columns not centred), R `coxfit$means`.
    pub means: Vec<f64>,
}

/// The sorted data and scratch space of one fit.
struct Work {
    p: usize,
    time: Vec<f64>,
    status: Vec<bool>,
    /// True for the last observation of a stratum in sort order.
    last_of_stratum: Vec<bool>,
    /// Centred and scaled covariates, column-major, in sort order.
    covar: Vec<Vec<f64>>,
    efron: bool,
    u: Vec<f64>,
    imat: Vec<Vec<f64>>,
    a: Vec<f64>,
    a2: Vec<f64>,
    cmat: Vec<Vec<f64>>,
    cmat2: Vec<Vec<f64>>,
}

impl Work {
    /// Log-likelihood, score `u` and information `imat` (upper triangle, `imat[j][i]` with
    /// j ≤ i) at `beta`: `coxfit6_iter`.
    fn iterate(&mut self, beta: &[f64]) -> f64 {
        let p = self.p;
        for i in 0..p {
            self.u[i] = 0.0;
            self.a2[i] = 0.0;
            for j in 0..p {
                self.imat[i][j] = 0.0;
                self.cmat2[i][j] = 0.0;
            }
        }
        let mut loglik = 0.0;
        let mut denom = 0.0;
        let n = self.time.len();
        let mut person = n;
        while person > 0 {
            // `person` is one past the C code's index.
            if self.last_of_stratum[person - 1] {
                denom = 0.0;
                for i in 0..p {
                    self.a[i] = 0.0;
                    for j in 0..p {
                        self.cmat[i][j] = 0.0;
                    }
                }
            }
            let dtime = self.time[person - 1];
            let mut ndead = 0usize;
            let mut deadwt = 0.0;
            let mut denom2 = 0.0;
            while person > 0 && self.time[person - 1] == dtime {
                let ps = person - 1;
                let mut zbeta = 0.0;
                for i in 0..p {
                    zbeta += beta[i] * self.covar[i][ps];
                }
                let risk = zbeta.exp();
                if !self.status[ps] {
                    denom += risk;
                    for i in 0..p {
                        self.a[i] += risk * self.covar[i][ps];
                        for j in 0..=i {
                            self.cmat[i][j] += risk * self.covar[i][ps] * self.covar[j][ps];
                        }
                    }
                } else {
                    ndead += 1;
                    deadwt += 1.0;
                    denom2 += risk;
                    loglik += zbeta;
                    for i in 0..p {
                        self.u[i] += self.covar[i][ps];
                        self.a2[i] += risk * self.covar[i][ps];
                        for j in 0..=i {
                            self.cmat2[i][j] += risk * self.covar[i][ps] * self.covar[j][ps];
                        }
                    }
                }
                person -= 1;
                // Ties do not cross strata.
                if person > 0 && self.last_of_stratum[person - 1] {
                    break;
                }
            }
            if ndead > 0 {
                if !self.efron || ndead == 1 {
                    denom += denom2;
                    loglik -= deadwt * denom.ln();
                    for i in 0..p {
                        self.a[i] += self.a2[i];
                        let temp2 = self.a[i] / denom;
                        self.u[i] -= deadwt * temp2;
                        for j in 0..=i {
                            self.cmat[i][j] += self.cmat2[i][j];
                            self.imat[j][i] +=
                                deadwt * (self.cmat[i][j] - temp2 * self.a[j]) / denom;
                        }
                    }
                } else {
                    let nd = ndead as f64;
                    let wtave = deadwt / nd;
                    for _ in 0..ndead {
                        denom += denom2 / nd;
                        loglik -= wtave * denom.ln();
                        for i in 0..p {
                            self.a[i] += self.a2[i] / nd;
                            let temp2 = self.a[i] / denom;
                            self.u[i] -= wtave * temp2;
                            for j in 0..=i {
                                self.cmat[i][j] += self.cmat2[i][j] / nd;
                                self.imat[j][i] +=
                                    wtave * (self.cmat[i][j] - temp2 * self.a[j]) / denom;
                            }
                        }
                    }
                }
                for i in 0..p {
                    self.a2[i] = 0.0;
                    for j in 0..p {
                        self.cmat2[i][j] = 0.0;
                    }
                }
            }
        }
        loglik
    }
}

/// Rescales the inverse information, score and β back to the original covariates and
/// fills the lower triangle, as the end of `coxfit6` does.
fn unscale(imat: &mut [Vec<f64>], u: &mut [f64], beta: &mut [f64], scale: &[f64]) {
    let p = beta.len();
    for i in 0..p {
        beta[i] *= scale[i];
        u[i] /= scale[i];
        imat[i][i] *= scale[i] * scale[i];
        for j in 0..i {
            imat[j][i] *= scale[i] * scale[j];
            imat[i][j] = imat[j][i];
        }
    }
}

/// Fits the model: `coxph.fit` + `coxfit6`.
///
/// `x` is column-major (`x[k][i]`), rows in data order; `strata[i]` is the stratum index.
pub(crate) fn coxfit6(
    time: &[f64],
    status: &[bool],
    strata: &[usize],
    x: &[Vec<f64>],
    efron: bool,
    opt: &CoxOptions,
) -> RawFit {
    let n = time.len();
    let p = x.len();
    // R: sorted <- order(strata, time); newstrat marks the last row of each stratum.
    let mut sorted: Vec<usize> = (0..n).collect();
    sorted.sort_by(|&a, &b| strata[a].cmp(&strata[b]).then(time[a].total_cmp(&time[b])));
    let last_of_stratum: Vec<bool> = (0..n)
        .map(|k| k + 1 == n || strata[sorted[k + 1]] != strata[sorted[k]])
        .collect();
    let mut covar: Vec<Vec<f64>> = x
        .iter()
        .map(|col| sorted.iter().map(|&i| col[i]).collect())
        .collect();

    // Centre and scale each column unless its values are all in {-1, 0, 1}.
    let nf = n as f64;
    let mut means = vec![0.0; p];
    let mut scale = vec![1.0; p];
    for k in 0..p {
        let doscale = !covar[k].iter().all(|&v| v == -1.0 || v == 0.0 || v == 1.0);
        if !doscale {
            continue;
        }
        let mut temp = 0.0;
        for &v in &covar[k] {
            temp += v;
        }
        temp /= nf;
        means[k] = temp;
        for v in covar[k].iter_mut() {
            *v -= temp;
        }
        let mut abs = 0.0;
        for &v in &covar[k] {
            abs += v.abs();
        }
        let s = if abs > 0.0 { nf / abs } else { 1.0 };
        scale[k] = s;
        for v in covar[k].iter_mut() {
            *v *= s;
        }
    }

    let mut w = Work {
        p,
        time: sorted.iter().map(|&i| time[i]).collect(),
        status: sorted.iter().map(|&i| status[i]).collect(),
        last_of_stratum,
        covar,
        efron,
        u: vec![0.0; p],
        imat: vec![vec![0.0; p]; p],
        a: vec![0.0; p],
        a2: vec![0.0; p],
        cmat: vec![vec![0.0; p]; p],
        cmat2: vec![vec![0.0; p]; p],
    };
    let maxiter = opt.iter_max;
    let toler = opt.toler_chol;

    let mut beta = vec![0.0; p];
    let loglik0 = w.iterate(&beta);
    let mut loglik1 = loglik0;
    let mut a = w.u.clone();
    let mut flag = cholesky2(&mut w.imat, toler) as i64;
    chsolve2(&w.imat, &mut a);
    let mut sctest = 0.0;
    for i in 0..p {
        sctest += w.u[i] * a[i];
    }

    let finish = |w: &mut Work, mut beta: Vec<f64>, loglik1: f64, iter: usize, flag: i64| {
        let mut imat = std::mem::take(&mut w.imat);
        let mut u = std::mem::take(&mut w.u);
        unscale(&mut imat, &mut u, &mut beta, &scale);
        RawFit {
            beta,
            var: imat,
            u,
            loglik: [loglik0, loglik1],
            sctest,
            iter,
            flag,
            means: means.clone(),
        }
    };

    if maxiter == 0 || !loglik0.is_finite() {
        chinv2(&mut w.imat);
        return finish(&mut w, beta, loglik1, 0, flag);
    }

    let mut newbeta: Vec<f64> = (0..p).map(|i| beta[i] + a[i]).collect();
    let mut halving = 0u32;
    for iter in 1..=maxiter {
        let newlk = w.iterate(&newbeta);
        flag = cholesky2(&mut w.imat, toler) as i64;
        let notfinite = !newlk.is_finite()
            || w.u.iter().any(|v| !v.is_finite())
            || w.imat.iter().flatten().any(|v| !v.is_finite());
        if !notfinite && (1.0 - loglik1 / newlk).abs() <= opt.eps {
            chinv2(&mut w.imat);
            if halving > 0 {
                flag = -2;
            }
            return finish(&mut w, newbeta, newlk, iter, flag);
        }
        if notfinite || newlk < loglik1 {
            // Not improving: step back towards the last good β, more each time.
            halving += 1;
            let h = f64::from(halving);
            for i in 0..p {
                newbeta[i] = (newbeta[i] + h * beta[i]) / (h + 1.0);
            }
        } else {
            halving = 0;
            loglik1 = newlk;
            chsolve2(&w.imat, &mut w.u);
            beta.copy_from_slice(&newbeta);
            for i in 0..p {
                newbeta[i] += w.u[i];
            }
        }
    }
    // Out of iterations: R recomputes the last good β's log-likelihood, score and
    // information and inverts that information without refactoring it; mirrored so that
    // the numbers agree with R's.
    if maxiter > 1 {
        loglik1 = w.iterate(&beta);
    }
    chinv2(&mut w.imat);
    finish(&mut w, beta, loglik1, maxiter + 1, 1000)
}
