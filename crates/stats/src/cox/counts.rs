//! The Cox model on the group alone, from counts per (group, distinct time)
//! ([`crate::counts::CountTable`]): R `coxph(Surv(time, status) ~ group)` on the expanded
//! rows, in memory bounded by the distinct times.
//!
//! # Formula
//! With indicator columns, at a distinct event time with n_g at risk and d_g events in
//! group g (D in all), A_g = n_g e^{β_g}, B_g = d_g e^{β_g}, R = Σ A_g and E = Σ B_g
//! (β = 0 for the reference). Efron's r-th step (r = 0, …, D − 1, s_r = r/D) has the
//! denominator R − s_r E and first moments A_g − s_r B_g, so the step sums
//! e0 = Σ 1/D_r, e1 = Σ s_r/D_r, c0 = Σ 1/D_r², c1 = Σ s_r/D_r², c2 = Σ s_r²/D_r² give
//! U_g = d_g − (A_g e0 − B_g e1) and
//! I_gh = δ_gh (A_g e0 − B_g e1) − (A_g A_h c0 − (A_g B_h + B_g A_h) c1 + B_g B_h c2).
//! Breslow's is the one step s = 0 with weight D. The Newton–Raphson iteration, its
//! step-halving and its convergence test are `coxfit6`'s ([`super::fit6`]), so the
//! estimate, its iterations and R's warnings are those of the patient rows; the sums run
//! in another order, so the numbers agree to rounding (about 1e-13 relative).
//!
//! # References
//! R `survival:::coxph.fit`, `src/coxfit6.c`; Efron B (1977). JASA 72:557–565.

use super::linalg::{chinv2, cholesky2, chsolve2, wald_statistic};
use super::{inf_check, ChiSquareTest, CoxDiagnostic, CoxFit, CoxOptions, CoxTerm, Ties};
use crate::counts::{CountTable, Pooled};
use crate::km::z_value;
use crate::logrank::chi_square_sf;

/// Log-likelihood, score and information (full symmetric) at `beta` (one per group but
/// the first).
fn iterate(rows: &Pooled, beta: &[f64], efron: bool) -> (f64, Vec<f64>, Vec<Vec<f64>>) {
    let p = beta.len();
    let k = p + 1;
    let risk: Vec<f64> = std::iter::once(1.0)
        .chain(beta.iter().map(|b| b.exp()))
        .collect();
    let mut at_risk = vec![0.0; k];
    let mut loglik = 0.0;
    let mut u = vec![0.0; p];
    let mut imat = vec![vec![0.0; p]; p];
    for (d, removed) in rows.events.chunks(k).zip(rows.removed.chunks(k)).rev() {
        for g in 0..k {
            at_risk[g] += removed[g] as f64;
        }
        let deaths = d.iter().sum::<usize>() as f64;
        if deaths == 0.0 {
            continue;
        }
        let a: Vec<f64> = (0..k).map(|g| at_risk[g] * risk[g]).collect();
        let b: Vec<f64> = (0..k).map(|g| d[g] as f64 * risk[g]).collect();
        let (r_all, e_all): (f64, f64) = (a.iter().sum(), b.iter().sum());
        for g in 1..k {
            loglik += d[g] as f64 * beta[g - 1];
        }
        let (mut e0, mut e1, mut c0, mut c1, mut c2) = (0.0, 0.0, 0.0, 0.0, 0.0);
        if !efron || deaths == 1.0 {
            loglik -= deaths * r_all.ln();
            e0 = deaths / r_all;
            c0 = deaths / r_all / r_all;
        } else {
            // Whole numbers of deaths: counts of patients.
            let nd = deaths as u64;
            for r in 0..nd {
                let s = r as f64 / deaths;
                let den = r_all - s * e_all;
                loglik -= den.ln();
                let (e, c) = (1.0 / den, 1.0 / den / den);
                e0 += e;
                e1 += e * s;
                c0 += c;
                c1 += c * s;
                c2 += c * s * s;
            }
        }
        for i in 0..p {
            let (ai, bi) = (a[i + 1], b[i + 1]);
            let first = ai * e0 - bi * e1;
            u[i] += d[i + 1] as f64 - first;
            imat[i][i] += first;
            for j in 0..p {
                let (aj, bj) = (a[j + 1], b[j + 1]);
                imat[i][j] -= ai * aj * c0 - (ai * bj + bi * aj) * c1 + bi * bj * c2;
            }
        }
    }
    (loglik, u, imat)
}

/// The Cox model on the group from counts: as [`super::cox_fit`] on the expanded rows,
/// for Efron's and Breslow's ties (`None` for exact ties, whose likelihood the counts do
/// not give in bounded time) and without the concordance.
pub fn cox_fit_counts(table: &CountTable, options: &CoxOptions) -> Option<CoxFit> {
    if options.ties == Ties::Exact {
        return None;
    }
    let efron = options.ties == Ties::Efron;
    let k = table.groups.len();
    let p = k.saturating_sub(1);
    let rows = table.pooled();
    let n = table.n();
    let events: usize = table
        .groups
        .iter()
        .map(|g| g.events.iter().sum::<usize>())
        .sum();
    let toler = options.toler_chol;
    let maxiter = options.iter_max;

    let mut beta = vec![0.0; p];
    let (loglik0, u0, mut imat) = iterate(&rows, &beta, efron);
    let mut loglik1 = loglik0;
    let mut a = u0.clone();
    let mut flag = cholesky2(&mut imat, toler) as i64;
    chsolve2(&imat, &mut a);
    let sctest: f64 = (0..p).map(|i| u0[i] * a[i]).sum();
    let mut u = u0;
    let mut iterations = 0;
    let mut done = maxiter == 0 || !loglik0.is_finite() || events == 0;
    if done {
        chinv2(&mut imat);
    }
    let mut newbeta: Vec<f64> = (0..p).map(|i| beta[i] + a[i]).collect();
    let mut halving = 0u32;
    if !done {
        for iter in 1..=maxiter {
            let (newlk, nu, mut nimat) = iterate(&rows, &newbeta, efron);
            flag = cholesky2(&mut nimat, toler) as i64;
            let notfinite = !newlk.is_finite()
                || nu.iter().any(|v| !v.is_finite())
                || nimat.iter().flatten().any(|v| !v.is_finite());
            if !notfinite && (1.0 - loglik1 / newlk).abs() <= options.eps {
                chinv2(&mut nimat);
                if halving > 0 {
                    flag = -2;
                }
                beta.clone_from(&newbeta);
                loglik1 = newlk;
                imat = nimat;
                u = nu;
                iterations = iter;
                done = true;
                break;
            }
            if notfinite || newlk < loglik1 {
                (u, imat) = (nu, nimat);
                halving += 1;
                let h = f64::from(halving);
                for i in 0..p {
                    newbeta[i] = (newbeta[i] + h * beta[i]) / (h + 1.0);
                }
            } else {
                halving = 0;
                loglik1 = newlk;
                let mut step = nu.clone();
                chsolve2(&nimat, &mut step);
                beta.copy_from_slice(&newbeta);
                for i in 0..p {
                    newbeta[i] += step[i];
                }
                u = nu;
                imat = nimat;
            }
        }
    }
    if !done {
        // Out of iterations: as coxfit6, the last good β's likelihood, score and
        // information, inverted without refactoring.
        if maxiter > 1 {
            (loglik1, u, imat) = iterate(&rows, &beta, efron);
        }
        chinv2(&mut imat);
        iterations = maxiter + 1;
        flag = 1000;
    }
    let var = imat;
    let converged = flag != 1000;
    let names: Vec<String> = table
        .groups
        .iter()
        .skip(1)
        .map(|g| g.label.clone())
        .collect();
    let mut warnings = Vec::new();
    let mut diagnostics = Vec::new();
    if events == 0 {
        diagnostics.push(CoxDiagnostic::NoEvents);
    } else if maxiter > 1 {
        let flagged = inf_check(&u, &var, &beta, options, true);
        if !converged {
            warnings.push("Ran out of iterations and did not converge".to_string());
            // The largest linear predictor (indicator columns are not centred: the
            // group's β, 0 for the reference), as coxph.fit checks it.
            if beta.iter().any(|&b| b > 500.0) || flagged.iter().any(Option::is_none) {
                warnings.push("one or more coefficients may be infinite".to_string());
            }
            diagnostics.push(CoxDiagnostic::NotConverged { iterations });
        } else {
            let idx: Vec<usize> = (0..p).filter(|&j| flagged[j] != Some(false)).collect();
            if !idx.is_empty() {
                let list: Vec<String> = idx.iter().map(|j| (j + 1).to_string()).collect();
                warnings.push(format!(
                    "Loglik converged before variable {}; coefficient may be infinite.",
                    list.join(",")
                ));
                diagnostics.push(CoxDiagnostic::InfiniteCoefficients {
                    coefficients: idx.iter().map(|&j| names[j].clone()).collect(),
                });
            }
        }
    }
    let z = z_value(options.conf_level);
    let coef: Vec<f64> = if events == 0 { vec![f64::NAN; p] } else { beta };
    let terms = (0..p)
        .map(|j| {
            let (b, se) = (coef[j], var[j][j].sqrt());
            let se = if events == 0 { f64::NAN } else { se };
            let zs = b / se;
            CoxTerm {
                level: names[j].clone(),
                coef: b,
                se,
                hr: b.exp(),
                hr_lower: (b - z * se).exp(),
                hr_upper: (b + z * se).exp(),
                z: zs,
                p_value: chi_square_sf(zs * zs, 1),
            }
        })
        .collect();
    let df = if events == 0 { 0 } else { p };
    let (wald, _) = if events == 0 {
        (0.0, 0)
    } else {
        wald_statistic(&var, &coef, toler)
    };
    Some(CoxFit {
        reference: table
            .groups
            .first()
            .map(|g| g.label.clone())
            .unwrap_or_default(),
        terms,
        var,
        loglik: [loglik0, loglik1],
        lr_test: ChiSquareTest::new(2.0 * (loglik1 - loglik0), df),
        wald_test: ChiSquareTest::new(wald, df),
        score_test: ChiSquareTest::new(if events == 0 { 0.0 } else { sctest }, df),
        iterations,
        converged,
        warnings,
        n,
        events,
        options: *options,
        diagnostics,
        concordance: None,
    })
}
