//! Newton–Raphson for the exact partial likelihood (R `coxph(ties = "exact")`, the
//! discrete logistic model): a port of R survival's `coxexact.c` with the set-up of
//! `survival:::coxexact.fit`.
//!
//! # Formula
//! At an event time with d tied events D and risk set R (n subjects, risk scores
//! r_j = e^{η_j}), the term of the log-likelihood is
//!
//! Σ_{i∈D} η_i − log Σ_{S⊂R, |S|=d} Π_{j∈S} r_j.
//!
//! The sum over subsets is D(d, n) of the recursion of Gail et al. (1981):
//! D(d, n) = r_n D(d−1, n−1) + D(d, n−1), D(0, ·) = 1, and D(d, n) = 0 for d > n; its first
//! and second derivatives in β follow the same recursion. Subjects are taken in order of
//! decreasing time, so the table of a stratum only grows as the risk set does: one pass
//! costs O(n·d_max·p²), d_max the largest number of tied events.
//!
//! Covariates are centred and scaled by their standard deviation (R `scale()`) unless
//! every value is in {−1, 0, 1}.
//!
//! # References
//! Gail MH, Lubin JH, Rubinstein LV (1981). Likelihood calculations for matched
//! case-control studies and survival studies with tied death times. Biometrika 68:703–707.
//! Kalbfleisch JD, Prentice RL (1973). Biometrika 60:267–278.
//! R `survival:::coxexact.fit`, `src/coxexact.c` (survival 3.5).

use super::linalg::{chinv2, cholesky2, chsolve2};
use super::CoxOptions;

/// What `coxexact` returns, on the scale of the scaled covariates, plus the scaling.
pub(crate) struct ExactFit {
    /// β̂ on the scaled covariates (R `cfit$coef`).
    pub beta_scaled: Vec<f64>,
    /// Inverse information on the scaled covariates (R `cfit$imat`).
    pub var_scaled: Vec<Vec<f64>>,
    /// Score at the returned β, scaled covariates (R `cfit$u`).
    pub u_scaled: Vec<f64>,
    /// Log partial likelihood at 0 and at β̂.
    pub loglik: [f64; 2],
    /// Score test at β = 0.
    pub sctest: f64,
    /// Iterations.
    pub iter: usize,
    /// Rank of the information, or 1000 when out of iterations.
    pub flag: i64,
    /// Column centres (R `means`).
    pub means: Vec<f64>,
    /// Column scales (R `rescale`): the scaled covariate is (x − mean) / rescale.
    pub rescale: Vec<f64>,
    /// Linear predictor on the scaled covariates, data order (R `lp`).
    pub lp: Vec<f64>,
}

struct Work {
    p: usize,
    time: Vec<f64>,
    status: Vec<bool>,
    /// Start (inclusive) and end (exclusive) of each stratum in sort order, with its
    /// largest number of tied events.
    strata: Vec<(usize, usize, usize)>,
    covar: Vec<Vec<f64>>,
    u: Vec<f64>,
    imat: Vec<Vec<f64>>,
}

impl Work {
    /// Log-likelihood, score and information (upper triangle `imat[k][j]`, k ≤ j).
    fn iterate(&mut self, beta: &[f64]) -> f64 {
        let p = self.p;
        let npair = p * (p + 1) / 2;
        for i in 0..p {
            self.u[i] = 0.0;
            for j in 0..p {
                self.imat[i][j] = 0.0;
            }
        }
        let mut newlk = 0.0;
        let mut score = vec![0.0; self.time.len()];
        let mut d1 = vec![0.0; p];
        for &(start, end, maxdeath) in &self.strata {
            // Columns n − 1 (prev) and n (cur) of the tables D0[d], D1[j][d], D2[jk][d],
            // d = 0..=maxdeath; entries with d > n are zero and never read.
            let m = maxdeath + 1;
            let mut d0_prev = vec![0.0; m];
            let mut d0_cur = vec![0.0; m];
            let mut dd1_prev = vec![0.0; p * m];
            let mut dd1_cur = vec![0.0; p * m];
            let mut dd2_prev = vec![0.0; npair * m];
            let mut dd2_cur = vec![0.0; npair * m];
            d0_prev[0] = 1.0;
            let mut nrisk = 0usize;
            let mut i = start;
            while i < end {
                let dtime = self.time[i];
                let mut ndeath = 0usize;
                while i < end && self.time[i] == dtime {
                    let mut zbeta = 0.0;
                    for j in 0..p {
                        zbeta += self.covar[j][i] * beta[j];
                    }
                    score[i] = zbeta.exp();
                    if self.status[i] {
                        newlk += zbeta;
                        for j in 0..p {
                            self.u[j] += self.covar[j][i];
                        }
                        ndeath += 1;
                    }
                    // Extend the tables by this subject: column nrisk + 1.
                    nrisk += 1;
                    let n = nrisk;
                    let s = score[i];
                    let top = n.min(maxdeath);
                    d0_cur[0] = 1.0;
                    for d in 1..=top {
                        let mut v = s * d0_prev[d - 1];
                        if d < n {
                            v += d0_prev[d];
                        }
                        d0_cur[d] = v;
                    }
                    for j in 0..p {
                        let xj = self.covar[j][i];
                        let base = j * m;
                        dd1_cur[base] = 0.0;
                        for d in 1..=top {
                            let mut v = s * xj * d0_prev[d - 1];
                            if d < n {
                                v += dd1_prev[base + d];
                            }
                            if d > 1 {
                                v += s * dd1_prev[base + d - 1];
                            }
                            dd1_cur[base + d] = v;
                        }
                    }
                    let mut pair = 0;
                    for j in 0..p {
                        let xj = self.covar[j][i];
                        for k in 0..=j {
                            let xk = self.covar[k][i];
                            let base = pair * m;
                            dd2_cur[base] = 0.0;
                            for d in 1..=top {
                                let mut v = d0_prev[d - 1] * s * xj * xk;
                                if d < n {
                                    v += dd2_prev[base + d];
                                }
                                if d > 1 {
                                    v += s
                                        * (dd2_prev[base + d - 1]
                                            + xj * dd1_prev[k * m + d - 1]
                                            + xk * dd1_prev[j * m + d - 1]);
                                }
                                dd2_cur[base + d] = v;
                            }
                            pair += 1;
                        }
                    }
                    std::mem::swap(&mut d0_prev, &mut d0_cur);
                    std::mem::swap(&mut dd1_prev, &mut dd1_cur);
                    std::mem::swap(&mut dd2_prev, &mut dd2_cur);
                    i += 1;
                }
                if ndeath > 0 {
                    // The tables' latest column is n = nrisk, now in `*_prev`.
                    let d0 = d0_prev[ndeath];
                    newlk -= d0.ln();
                    let mut pair = 0;
                    for j in 0..p {
                        d1[j] = dd1_prev[j * m + ndeath] / d0;
                        self.u[j] -= d1[j];
                        for k in 0..=j {
                            let temp = dd2_prev[pair * m + ndeath];
                            self.imat[k][j] += temp / d0 - d1[j] * d1[k];
                            pair += 1;
                        }
                    }
                }
            }
        }
        newlk
    }
}

/// Fits the model: `coxexact.fit` + `coxexact`. `x` column-major, rows in data order.
pub(crate) fn coxexact(
    time: &[f64],
    status: &[bool],
    strata: &[usize],
    x: &[Vec<f64>],
    opt: &CoxOptions,
) -> ExactFit {
    let n = time.len();
    let p = x.len();
    // R: sorted <- order(strata, -time).
    let sorted = crate::data::order_by_strata_time(strata, time, true);
    let stime: Vec<f64> = sorted.iter().map(|&i| time[i]).collect();
    let sstat: Vec<bool> = sorted.iter().map(|&i| status[i]).collect();

    // scale(x[sorted, ]): centre by the mean, divide by the standard deviation; columns in
    // {-1, 0, 1} are left as they are.
    let nf = n as f64;
    let mut means = vec![0.0; p];
    let mut rescale = vec![1.0; p];
    let mut covar: Vec<Vec<f64>> = Vec::with_capacity(p);
    for col in x {
        let raw: Vec<f64> = sorted.iter().map(|&i| col[i]).collect();
        covar.push(raw);
    }
    for k in 0..p {
        if covar[k].iter().all(|&v| v == -1.0 || v == 0.0 || v == 1.0) {
            continue;
        }
        let m = covar[k].iter().sum::<f64>() / nf;
        let ss: f64 = covar[k].iter().map(|v| (v - m) * (v - m)).sum();
        let sd = (ss / (nf - 1.0).max(1.0)).sqrt();
        // A constant column has sd 0; R would divide by it. Leaving it unscaled keeps the
        // (singular) column finite so that it is reported as singular.
        let sd = if sd > 0.0 { sd } else { 1.0 };
        means[k] = m;
        rescale[k] = sd;
        for v in covar[k].iter_mut() {
            *v = (*v - m) / sd;
        }
    }

    // Strata boundaries and the largest number of tied events in each.
    let mut bounds = Vec::new();
    let mut s0 = 0;
    while s0 < n {
        let mut s1 = s0;
        while s1 < n && strata[sorted[s1]] == strata[sorted[s0]] {
            s1 += 1;
        }
        let mut maxdeath = 0;
        let mut i = s0;
        while i < s1 {
            let mut j = i;
            let mut d = 0;
            while j < s1 && stime[j] == stime[i] {
                d += usize::from(sstat[j]);
                j += 1;
            }
            maxdeath = maxdeath.max(d);
            i = j;
        }
        bounds.push((s0, s1, maxdeath));
        s0 = s1;
    }

    let mut w = Work {
        p,
        time: stime,
        status: sstat,
        strata: bounds,
        covar,
        u: vec![0.0; p],
        imat: vec![vec![0.0; p]; p],
    };
    let maxiter = opt.iter_max;
    let toler = opt.toler_chol;

    let mut beta = vec![0.0; p];
    let mut newlk = w.iterate(&beta);
    let loglik0 = newlk;
    let mut loglik1 = newlk;
    let saved_u = w.u.clone();
    let mut flag = cholesky2(&mut w.imat, toler) as i64;
    chsolve2(&w.imat, &mut w.u);
    let mut sctest = 0.0;
    for i in 0..p {
        sctest += w.u[i] * saved_u[i];
    }

    let lp_of = |beta: &[f64], covar: &[Vec<f64>]| -> Vec<f64> {
        let mut lp = vec![0.0; n];
        for (k, &si) in sorted.iter().enumerate() {
            let mut v = 0.0;
            for j in 0..p {
                v += covar[j][k] * beta[j];
            }
            lp[si] = v;
        }
        lp
    };
    let symmetric = |imat: &mut Vec<Vec<f64>>| {
        for i in 1..p {
            for j in 0..i {
                imat[i][j] = imat[j][i];
            }
        }
    };

    // A non-finite log-likelihood at the start (the sum over subsets overflows when many
    // events are tied in a large risk set): R stops here with iter = 0, as coxfit6 does.
    if maxiter == 0 || !loglik0.is_finite() {
        chinv2(&mut w.imat);
        symmetric(&mut w.imat);
        return ExactFit {
            lp: lp_of(&beta, &w.covar),
            beta_scaled: beta,
            var_scaled: w.imat,
            u_scaled: w.u,
            loglik: [loglik0, loglik1],
            sctest,
            iter: 0,
            flag,
            means,
            rescale,
        };
    }

    let mut oldbeta = beta.clone();
    for i in 0..p {
        beta[i] += w.u[i];
    }
    let mut halving = false;
    let mut iter = 1;
    while iter <= maxiter {
        newlk = w.iterate(&beta);
        flag = cholesky2(&mut w.imat, toler) as i64;
        // coxexact.c's `notfinite` (survival ≥ 3.2-13): a score, information (after the
        // Cholesky step) or log-likelihood that is not finite is never convergence, and
        // forces step halving. Without it a fit whose sums over subsets underflowed was
        // declared converged with every coefficient singular (issue 11, item 4).
        let notfinite = w.u.iter().any(|x| !x.is_finite())
            || w.imat.iter().flatten().any(|x| !x.is_finite())
            || !newlk.is_finite();
        if !notfinite && (1.0 - loglik1 / newlk).abs() <= opt.eps && !halving {
            chinv2(&mut w.imat);
            symmetric(&mut w.imat);
            return ExactFit {
                lp: lp_of(&beta, &w.covar),
                beta_scaled: beta,
                var_scaled: w.imat,
                u_scaled: w.u,
                loglik: [loglik0, newlk],
                sctest,
                iter,
                flag,
                means,
                rescale,
            };
        }
        if iter == maxiter {
            break;
        }
        if notfinite || newlk < loglik1 {
            halving = true;
            for i in 0..p {
                beta[i] = (oldbeta[i] + beta[i]) / 2.0;
            }
        } else {
            halving = false;
            loglik1 = newlk;
            chsolve2(&w.imat, &mut w.u);
            oldbeta.copy_from_slice(&beta);
            for i in 0..p {
                beta[i] += w.u[i];
            }
        }
        iter += 1;
    }
    // Out of iterations: survival 3.5 returns the last good β (the one before the last
    // step), recomputing its log-likelihood, score and information, and inverts that
    // information without refactoring it — as coxfit6 does; mirrored so the numbers agree.
    if maxiter > 1 {
        beta.copy_from_slice(&oldbeta);
        newlk = w.iterate(&beta);
    }
    chinv2(&mut w.imat);
    symmetric(&mut w.imat);
    ExactFit {
        lp: lp_of(&beta, &w.covar),
        beta_scaled: beta,
        var_scaled: w.imat,
        u_scaled: w.u,
        loglik: [loglik0, newlk],
        sctest,
        iter: iter.min(maxiter),
        flag: 1000,
        means,
        rescale,
    }
}
