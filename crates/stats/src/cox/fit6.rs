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
    /// For a design of 0/1 indicator columns with at most one 1 per row (the group as a
    /// factor), the column of each row in sort order (`NONE` for the reference level):
    /// then [`Work::iterate`] takes the O(n·p) path of [`Work::iterate_indicators`].
    indicator: Option<Vec<u32>>,
}

/// No indicator column set in this row (the reference level).
const NONE: u32 = u32::MAX;

/// Columns from which an indicator design takes [`Work::iterate_indicators`].
const INDICATOR_PATH_FROM: usize = 3;

impl Work {
    /// Log-likelihood, score `u` and information `imat` (upper triangle, `imat[j][i]` with
    /// j ≤ i) at `beta`: `coxfit6_iter`.
    fn iterate(&mut self, beta: &[f64]) -> f64 {
        if beta.iter().all(|b| b.is_finite()) {
            if let Some(ind) = self.indicator.take() {
                let loglik = self.iterate_indicators(&ind, beta);
                self.indicator = Some(ind);
                return loglik;
            }
        }
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

impl Work {
    /// [`Work::iterate`] for indicator columns (the group as a factor): the same
    /// log-likelihood, score and information in O(n·p + m·p + strata·p²) rather than
    /// O(n·p²) (issue 12: 1000 arms of 5 rows did not finish in 600 s).
    ///
    /// # Formula
    /// With indicators, the risk-set sums are a_g = Σ_{j∈R, g(j)=g} e^{η_j} and the
    /// second-moment matrix is diag(a). At each event (Efron: each of its d steps) with
    /// weight w and denominator D, the score loses w·a/D and the information gains
    /// w·(diag(a)/D − a·aᵀ/D²). Between two changes of a_g and a_h the product a_g·a_h is
    /// constant, so the sums are kept lazily: W = Σ w/D and V = Σ w/D² run on, and an
    /// entry is brought up to date, with the product it had, only when a_g or a_h is
    /// about to change (O(p) per row entering the risk set). An event's own deaths B
    /// enter a as A + s·B over its Efron steps s = 1/d … 1, which splits the products into
    /// A·Aᵀ (lazy), the cross terms A·Bᵀ + B·Aᵀ and B·Bᵀ (B is non-zero only in the
    /// dying rows' columns). The sums run in another order than coxfit6.c's, so the
    /// results agree with R's to rounding (about 1e-15 relative) rather than bit for bit.
    fn iterate_indicators(&mut self, ind: &[u32], beta: &[f64]) -> f64 {
        let p = self.p;
        // Upper triangle (i ≤ j) of Σ w·a·aᵀ/D², and Σ w·a/D per column.
        let mut s = vec![vec![0.0; p]; p];
        let mut diag = vec![0.0; p];
        let mut deaths = vec![0.0; p];
        let mut a = vec![0.0; p];
        let (mut w_sum, mut v_sum) = (0.0f64, 0.0f64);
        let mut w_last = vec![0.0; p];
        let mut v_last = vec![0.0; p];
        // Brings column g's lazy sums up to now (before a[g] changes).
        let flush = |g: usize,
                     a: &[f64],
                     s: &mut [Vec<f64>],
                     diag: &mut [f64],
                     w_last: &mut [f64],
                     v_last: &mut [f64],
                     w_sum: f64,
                     v_sum: f64| {
            if a[g] != 0.0 {
                diag[g] += a[g] * (w_sum - w_last[g]);
                for j in 0..p {
                    if a[j] != 0.0 {
                        let dv = v_sum - v_last[g].max(v_last[j]);
                        let (lo, hi) = if g <= j { (g, j) } else { (j, g) };
                        s[lo][hi] += a[g] * a[j] * dv;
                    }
                }
            }
            w_last[g] = w_sum;
            v_last[g] = v_sum;
        };
        // Brings every column up to now and clears a (a new stratum, or the end).
        let flush_all = |a: &mut [f64],
                         s: &mut [Vec<f64>],
                         diag: &mut [f64],
                         w_last: &mut [f64],
                         v_last: &mut [f64],
                         w_sum: f64,
                         v_sum: f64| {
            for i in 0..p {
                if a[i] == 0.0 {
                    continue;
                }
                diag[i] += a[i] * (w_sum - w_last[i]);
                for j in i..p {
                    if a[j] != 0.0 {
                        s[i][j] += a[i] * a[j] * (v_sum - v_last[i].max(v_last[j]));
                    }
                }
            }
            for i in 0..p {
                a[i] = 0.0;
                w_last[i] = w_sum;
                v_last[i] = v_sum;
            }
        };
        let mut loglik = 0.0;
        let mut denom = 0.0;
        let n = self.time.len();
        let mut dying: Vec<usize> = Vec::new();
        let mut b = vec![0.0; p];
        let mut person = n;
        while person > 0 {
            if self.last_of_stratum[person - 1] {
                flush_all(
                    &mut a,
                    &mut s,
                    &mut diag,
                    &mut w_last,
                    &mut v_last,
                    w_sum,
                    v_sum,
                );
                denom = 0.0;
            }
            let dtime = self.time[person - 1];
            let mut ndead = 0usize;
            let mut denom2 = 0.0;
            while person > 0 && self.time[person - 1] == dtime {
                let ps = person - 1;
                let g = ind[ps];
                let zbeta = if g == NONE { 0.0 } else { beta[g as usize] };
                let risk = zbeta.exp();
                if !self.status[ps] {
                    denom += risk;
                    if g != NONE {
                        let g = g as usize;
                        flush(
                            g,
                            &a,
                            &mut s,
                            &mut diag,
                            &mut w_last,
                            &mut v_last,
                            w_sum,
                            v_sum,
                        );
                        a[g] += risk;
                    }
                } else {
                    ndead += 1;
                    denom2 += risk;
                    loglik += zbeta;
                    if g != NONE {
                        let g = g as usize;
                        deaths[g] += 1.0;
                        if b[g] == 0.0 {
                            dying.push(g);
                        }
                        b[g] += risk;
                    }
                }
                person -= 1;
                if person > 0 && self.last_of_stratum[person - 1] {
                    break;
                }
            }
            if ndead == 0 {
                continue;
            }
            // The event's steps: s_r, D_r, weight (Breslow and one death: one step, s = 1).
            let (mut e0, mut e1, mut c0, mut c1, mut c2) = (0.0, 0.0, 0.0, 0.0, 0.0);
            if !self.efron || ndead == 1 {
                denom += denom2;
                let w = ndead as f64;
                loglik -= w * denom.ln();
                let (e, c) = (w / denom, w / denom / denom);
                (e0, e1, c0, c1, c2) = (e, e, c, c, c);
            } else {
                let nd = ndead as f64;
                for r in 0..ndead {
                    denom += denom2 / nd;
                    loglik -= denom.ln();
                    let sr = (r + 1) as f64 / nd;
                    let (e, c) = (1.0 / denom, 1.0 / denom / denom);
                    e0 += e;
                    e1 += e * sr;
                    c0 += c;
                    c1 += c * sr;
                    c2 += c * sr * sr;
                }
            }
            // A·Aᵀ and A/D with the a in place: the lazy sums run on.
            w_sum += e0;
            v_sum += c0;
            // The deaths' own terms.
            for &g in &dying {
                diag[g] += b[g] * e1;
                for i in 0..p {
                    if a[i] != 0.0 {
                        let mut v = c1 * a[i] * b[g];
                        if i == g {
                            v *= 2.0;
                        }
                        let (lo, hi) = if i <= g { (i, g) } else { (g, i) };
                        s[lo][hi] += v;
                    }
                }
                for &h in &dying {
                    if g <= h {
                        s[g][h] += c2 * b[g] * b[h];
                    }
                }
            }
            // The deaths join the risk set (a = A + B).
            for &g in &dying {
                flush(
                    g,
                    &a,
                    &mut s,
                    &mut diag,
                    &mut w_last,
                    &mut v_last,
                    w_sum,
                    v_sum,
                );
                a[g] += b[g];
                b[g] = 0.0;
            }
            dying.clear();
        }
        flush_all(
            &mut a,
            &mut s,
            &mut diag,
            &mut w_last,
            &mut v_last,
            w_sum,
            v_sum,
        );
        for i in 0..p {
            self.u[i] = deaths[i] - diag[i];
            for j in 0..p {
                // The upper triangle (row ≤ column), as the dense path fills it.
                self.imat[j][i] = match j.cmp(&i) {
                    std::cmp::Ordering::Equal => diag[i] - s[i][i],
                    std::cmp::Ordering::Less => -s[j][i],
                    std::cmp::Ordering::Greater => 0.0,
                };
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
/// `x` is column-major (`x[k][i]`), rows in data order; `strata[i]` is the stratum index;
/// `sorted` is R's `order(strata, time)` ([`crate::data::order_by_strata_time`], which the
/// model frame keeps).
pub(crate) fn coxfit6(
    time: &[f64],
    status: &[bool],
    strata: &[usize],
    x: &[Vec<f64>],
    efron: bool,
    opt: &CoxOptions,
    sorted: &[usize],
) -> RawFit {
    let n = time.len();
    let p = x.len();
    // R: sorted <- order(strata, time) (the caller's, sorted once); newstrat marks the
    // last row of each stratum.
    debug_assert_eq!(sorted.len(), n);
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

    // The group as a factor (4 or more arms): indicator columns, at most one 1 per row.
    // Two and three arms keep coxfit6.c's arithmetic exactly (bit-identical to R).
    let indicator = (p >= INDICATOR_PATH_FROM)
        .then(|| {
            let mut ind = vec![NONE; n];
            for (k, col) in covar.iter().enumerate() {
                for (r, &v) in col.iter().enumerate() {
                    if v == 1.0 {
                        if ind[r] != NONE {
                            return None;
                        }
                        ind[r] = k as u32;
                    } else if v != 0.0 {
                        return None;
                    }
                }
            }
            Some(ind)
        })
        .flatten();
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
        indicator,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::SplitMix64;

    /// The indicator path equals the dense path (coxfit6.c's arithmetic) to rounding, with
    /// ties (Efron and Breslow), empty arms at some times, strata, and at β ≠ 0.
    #[test]
    fn indicator_path_equals_the_dense_one() {
        let mut rng = SplitMix64(11);
        for case in 0..40 {
            let n = 20 + (rng.next_u64() % 300) as usize;
            let k = 4 + (rng.next_u64() % 9) as usize;
            let ties = case % 2 == 0;
            let time: Vec<f64> = (0..n)
                .map(|_| {
                    if ties {
                        (rng.next_u64() % 12) as f64
                    } else {
                        rng.uniform() * 50.0
                    }
                })
                .collect();
            let status: Vec<bool> = (0..n).map(|_| rng.uniform() < 0.7).collect();
            let group: Vec<usize> = (0..n)
                .map(|i| {
                    if i < k {
                        i
                    } else {
                        (rng.next_u64() % k as u64) as usize
                    }
                })
                .collect();
            let strata: Vec<usize> = (0..n)
                .map(|i| if case % 3 == 0 { i % 2 } else { 0 })
                .collect();
            let x: Vec<Vec<f64>> = (1..k)
                .map(|g| group.iter().map(|&h| f64::from(u8::from(h == g))).collect())
                .collect();
            for efron in [true, false] {
                let order = crate::data::order_by_strata_time(&strata, &time, false);
                let fast = coxfit6(
                    &time,
                    &status,
                    &strata,
                    &x,
                    efron,
                    &CoxOptions::default(),
                    &order,
                );
                // The same data with the last column negated to -1/0 takes the dense path
                // (not an indicator design) and flips that coefficient's sign only.
                let mut xd = x.clone();
                for v in xd[k - 2].iter_mut() {
                    *v = -*v;
                }
                let dense = coxfit6(
                    &time,
                    &status,
                    &strata,
                    &xd,
                    efron,
                    &CoxOptions::default(),
                    &order,
                );
                let sign = |j: usize| if j == k - 2 { -1.0 } else { 1.0 };
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * b.abs().max(1e-3);
                assert_eq!(fast.iter, dense.iter, "case {case}, efron {efron}");
                assert!(close(fast.loglik[1], dense.loglik[1]), "case {case}");
                for j in 0..k - 1 {
                    assert!(
                        close(fast.beta[j], sign(j) * dense.beta[j]),
                        "case {case}, efron {efron}, beta {j}: {} vs {}",
                        fast.beta[j],
                        sign(j) * dense.beta[j]
                    );
                    for i in 0..k - 1 {
                        assert!(
                            close(fast.var[i][j], sign(i) * sign(j) * dense.var[i][j]),
                            "case {case}, var {i} {j}"
                        );
                    }
                }
            }
        }
    }
}
