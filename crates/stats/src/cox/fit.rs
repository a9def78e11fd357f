//! One Cox fit from its model frame, as R's `coxph` and `summary` report it: the
//! iteration (`fit6` or `exact`), singular columns, R's infinite-coefficient rule, the
//! monotone-likelihood diagnostics, the tests and the concordance.

use super::*;

/// Runs the fit of `frame` and assembles everything R's `coxph` and `summary` report.
pub(crate) fn fit_frame(mut frame: ModelFrame<'_>, options: &CoxOptions) -> CoxModel {
    let p = frame.x.len();
    let n = frame.time.len();
    if !frame.status.iter().any(|&e| e) {
        return no_events(&frame, options);
    }
    let mut warnings = Vec::new();
    let names: Vec<String> = frame.columns.iter().map(|c| c.name.clone()).collect();
    let maxiter = options.iter_max;

    // Fit, then R's post-processing: singular columns, the infinite-coefficient rule.
    let (raw_coef, var, means, lp, loglik, sctest, iterations, flag, flagged) = match options.ties {
        Ties::Efron | Ties::Breslow => {
            let r = fit6::coxfit6(
                &frame.time,
                &frame.status,
                &frame.strata,
                &frame.x,
                options.ties == Ties::Efron,
                options,
                frame.order(),
            );
            let mut lp = vec![0.0; n];
            let shift: f64 = (0..p).map(|k| r.beta[k] * r.means[k]).sum();
            for (i, v) in lp.iter_mut().enumerate() {
                let mut s = 0.0;
                for k in 0..p {
                    s += frame.x[k][i] * r.beta[k];
                }
                *v = s - shift;
            }
            let infs = inf_check(&r.u, &r.var, &r.beta, options, true);
            (
                r.beta, r.var, r.means, lp, r.loglik, r.sctest, r.iter, r.flag, infs,
            )
        }
        Ties::Exact => {
            let r = exact::coxexact(&frame.time, &frame.status, &frame.strata, &frame.x, options);
            let infs = inf_check(&r.u_scaled, &r.var_scaled, &r.beta_scaled, options, false);
            let beta: Vec<f64> = (0..p).map(|k| r.beta_scaled[k] / r.rescale[k]).collect();
            let var: Vec<Vec<f64>> = (0..p)
                .map(|i| {
                    (0..p)
                        .map(|j| r.var_scaled[i][j] / r.rescale[i] / r.rescale[j])
                        .collect()
                })
                .collect();
            (
                beta, var, r.means, r.lp, r.loglik, r.sctest, r.iter, r.flag, infs,
            )
        }
    };
    let converged = flag != 1000;
    let singular: Vec<bool> = if flag < p as i64 {
        (0..p).map(|k| var[k][k] == 0.0).collect()
    } else {
        vec![false; p]
    };
    let mut diagnostics = Vec::new();
    if maxiter > 1 {
        if !converged {
            warnings.push("Ran out of iterations and did not converge".to_string());
            let max_lp = lp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if max_lp > 500.0 || flagged.iter().any(|f| f.is_none()) {
                warnings.push("one or more coefficients may be infinite".to_string());
            }
        } else {
            let idx: Vec<usize> = (0..p).filter(|&k| flagged[k] != Some(false)).collect();
            if !idx.is_empty() {
                let list: Vec<String> = idx.iter().map(|k| (k + 1).to_string()).collect();
                let what = if options.ties == Ties::Exact {
                    "beta"
                } else {
                    "coefficient"
                };
                warnings.push(format!(
                    "Loglik converged before variable {}; {what} may be infinite.",
                    list.join(",")
                ));
                diagnostics.push(CoxDiagnostic::InfiniteCoefficients {
                    coefficients: idx.iter().map(|&k| names[k].clone()).collect(),
                });
            }
        }
    }
    if !converged {
        diagnostics.insert(0, CoxDiagnostic::NotConverged { iterations });
    }
    if !loglik[0].is_finite() {
        diagnostics.insert(0, CoxDiagnostic::NonFiniteLoglik);
    }
    if singular.iter().any(|&s| s) {
        // R's coxph (singular.ok = TRUE) gives NA without a warning; the diagnostic says it.
        let cols: Vec<usize> = (0..p).filter(|&k| singular[k]).collect();
        diagnostics.push(CoxDiagnostic::Singular {
            coefficients: cols.iter().map(|&k| names[k].clone()).collect(),
        });
    }
    let coef: Vec<f64> = (0..p)
        .map(|k| {
            if singular[k] && maxiter > 0 {
                f64::NAN
            } else {
                raw_coef[k]
            }
        })
        .collect();

    // Monotone likelihood: which directions separate the events.
    let suspect: Vec<usize> = if converged {
        (0..p).filter(|&k| flagged[k] != Some(false)).collect()
    } else {
        (0..p).filter(|&k| !singular[k]).collect()
    };
    let (monotone, diverges) = monotone_diagnostics(&frame, &raw_coef, &singular, &suspect);
    diagnostics.extend(monotone);

    // Summary table.
    let z = z_value(options.conf_level);
    let coefficients: Vec<CoxCoef> = (0..p)
        .map(|k| {
            let c = &frame.columns[k];
            let b = coef[k];
            let se = if singular[k] {
                f64::NAN
            } else {
                var[k][k].sqrt()
            };
            let zstat = b / se;
            CoxCoef {
                name: c.name.clone(),
                term: frame.terms[c.term].name.clone(),
                level: c.level.clone(),
                coef: b,
                se,
                hr: b.exp(),
                hr_lower: (b - z * se).exp(),
                hr_upper: (b + z * se).exp(),
                z: zstat,
                // 2Φ(−|z|) = P(χ²₁ > z²): statrs' normal tail (via its erfc) is good to only
                // ~1e-10 relative, its regularised gamma to ~1e-15.
                p_value: chi_square_sf(zstat * zstat, 1),
                singular: singular[k],
                diverges: diverges[k],
            }
        })
        .collect();

    let keep: Vec<usize> = (0..p).filter(|&k| !singular[k]).collect();
    let df = keep.len();
    let sub = |idx: &[usize]| -> (Vec<Vec<f64>>, Vec<f64>) {
        (
            idx.iter()
                .map(|&i| idx.iter().map(|&j| var[i][j]).collect())
                .collect(),
            idx.iter().map(|&i| coef[i]).collect(),
        )
    };
    let (v, b) = sub(&keep);
    let (wald, _) = wald_statistic(&v, &b, options.toler_chol);
    let term_tests = frame
        .terms
        .iter()
        .filter_map(|t| {
            let idx: Vec<usize> = t.columns.clone().filter(|&k| !singular[k]).collect();
            if idx.is_empty() {
                return None;
            }
            let (v, b) = sub(&idx);
            let (chisq, df) = wald_statistic(&v, &b, options.toler_chol);
            Some(TermTest {
                term: t.name.clone(),
                reference: t.reference.clone(),
                test: ChiSquareTest::new(chisq, df),
            })
        })
        .collect();

    let events = frame.status.iter().filter(|&&e| e).count();
    // The model matrix has done its work (the concordance reads the linear predictor):
    // freed before the concordance's walk, the report's peak (8 MB a column at a
    // million rows, issue 15).
    frame.x = Vec::new();
    let concordance = if events > 0 {
        let c = concordance::concordance(
            frame.order_desc(),
            &frame.time,
            frame.time_in_order,
            &frame.status,
            &frame.strata,
            &lp,
        );
        let npair = c.concordant + c.discordant + c.tied_x;
        (npair > 0.0).then_some(c)
    } else {
        None
    };
    let strata = frame.strata_name.as_ref().map(|name| {
        let mut counts: Vec<StratumCount> = frame
            .strata_levels
            .iter()
            .map(|l| StratumCount {
                stratum: l.clone(),
                n: 0,
                events: 0,
            })
            .collect();
        for (i, &s) in frame.strata.iter().enumerate() {
            counts[s].n += 1;
            counts[s].events += usize::from(frame.status[i]);
        }
        StrataSummary {
            name: name.clone(),
            strata: counts,
        }
    });

    CoxModel {
        coefficients,
        term_tests,
        var,
        means,
        loglik,
        lr_test: ChiSquareTest::new(2.0 * (loglik[1] - loglik[0]), df),
        wald_test: ChiSquareTest::new(wald, df),
        score_test: ChiSquareTest::new(sctest, df),
        concordance,
        iterations,
        converged,
        warnings,
        diagnostics,
        n,
        events,
        excluded: frame.excluded.clone(),
        strata,
        options: *options,
    }
}

/// The model of data without events: nothing is estimable. As R: every coefficient NA,
/// 0 iterations, log-likelihood 0, each test 0 on 0 df with P = 1. Unlike R, the SE of
/// an NA coefficient is NA too (R prints 0, which reads as certainty), and the fit says
/// why ([`CoxDiagnostic::NoEvents`]) rather than showing a hazard ratio of 1.
pub(super) fn no_events(frame: &ModelFrame, options: &CoxOptions) -> CoxModel {
    let p = frame.x.len();
    let flat = ChiSquareTest {
        chisq: 0.0,
        df: 0,
        p_value: 1.0,
    };
    CoxModel {
        coefficients: frame
            .columns
            .iter()
            .map(|c| CoxCoef {
                name: c.name.clone(),
                term: frame.terms[c.term].name.clone(),
                level: c.level.clone(),
                coef: f64::NAN,
                se: f64::NAN,
                hr: f64::NAN,
                hr_lower: f64::NAN,
                hr_upper: f64::NAN,
                z: f64::NAN,
                p_value: f64::NAN,
                singular: true,
                diverges: None,
            })
            .collect(),
        term_tests: Vec::new(),
        var: vec![vec![0.0; p]; p],
        means: (0..p)
            .map(|k| frame.x[k].iter().sum::<f64>() / frame.x[k].len().max(1) as f64)
            .collect(),
        loglik: [0.0, 0.0],
        lr_test: flat,
        wald_test: flat,
        score_test: flat,
        concordance: None,
        iterations: 0,
        converged: true,
        warnings: vec!["not estimable: there are no events".to_string()],
        diagnostics: vec![CoxDiagnostic::NoEvents],
        n: frame.time.len(),
        events: 0,
        excluded: frame.excluded.clone(),
        strata: None,
        options: *options,
    }
}

/// R's infinite-coefficient rule on the fitting scale: per coefficient, `Some(true)` when
/// |U·V|_k > eps and > toler.inf·|β_k|, `Some(false)` when not, `None` when |U·V|_k is not
/// finite (with `nonfinite_u`, coxph.fit's extra test `!is.finite(u)` also flags).
pub(super) fn inf_check(
    u: &[f64],
    var: &[Vec<f64>],
    beta: &[f64],
    options: &CoxOptions,
    nonfinite_u: bool,
) -> Vec<Option<bool>> {
    let p = beta.len();
    (0..p)
        .map(|j| {
            let s: f64 = (0..p).map(|k| u[k] * var[k][j]).sum::<f64>().abs();
            if !s.is_finite() {
                return None;
            }
            let flagged = (nonfinite_u && !u[j].is_finite())
                || (s > options.eps && s > options.toler_inf * beta[j].abs());
            Some(flagged)
        })
        .collect()
}

/// Checks the candidate directions for separation; returns the diagnostics and, per
/// coefficient, its direction of divergence.
pub(super) fn monotone_diagnostics(
    frame: &ModelFrame,
    beta: &[f64],
    singular: &[bool],
    suspect: &[usize],
) -> (Vec<CoxDiagnostic>, Vec<Option<Divergence>>) {
    let p = frame.x.len();
    let n = frame.time.len();
    let mut diverges: Vec<Option<Divergence>> = vec![None; p];
    let mut out = Vec::new();
    if p == 0 || !frame.status.iter().any(|&e| e) {
        return (out, diverges);
    }
    let order = RiskOrder::from_order(
        frame.order_desc(),
        &frame.time,
        &frame.status,
        &frame.strata,
    );
    let dir = |up: bool| {
        if up {
            Divergence::PlusInfinity
        } else {
            Divergence::MinusInfinity
        }
    };
    let record = |cause: MonotoneCause,
                  cols: Vec<(usize, Divergence)>,
                  out: &mut Vec<CoxDiagnostic>,
                  diverges: &mut Vec<Option<Divergence>>| {
        for &(k, d) in &cols {
            diverges[k] = Some(d);
        }
        out.push(CoxDiagnostic::MonotoneLikelihood {
            cause,
            diverging: cols
                .iter()
                .map(|&(k, d)| DivergingCoef {
                    name: frame.columns[k].name.clone(),
                    direction: d,
                })
                .collect(),
        });
    };
    for term in &frame.terms {
        let cols: Vec<usize> = term.columns.clone().collect();
        let factor = term.reference.is_some();
        for &k in &cols {
            if singular[k] {
                continue;
            }
            for up in [true, false] {
                if order.separates_signed(&frame.x[k], if up { 1.0 } else { -1.0 }, 0.0) {
                    let cause = if factor {
                        MonotoneCause::Level {
                            term: term.name.clone(),
                            level: frame.columns[k].level.clone().unwrap_or_default(),
                            higher_hazard: up,
                        }
                    } else {
                        MonotoneCause::Numeric {
                            term: term.name.clone(),
                            higher_hazard: up,
                        }
                    };
                    record(cause, vec![(k, dir(up))], &mut out, &mut diverges);
                }
            }
        }
        // The reference level of a factor with several other levels: its indicator is
        // 1 − Σ (the other indicators).
        if factor && cols.len() >= 2 {
            let sum: Vec<f64> = (0..n)
                .map(|i| cols.iter().map(|&k| frame.x[k][i]).sum())
                .collect();
            for up in [true, false] {
                // up: the reference has the higher hazard, score = −Σ.
                if order.separates_signed(&sum, if up { -1.0 } else { 1.0 }, 0.0) {
                    record(
                        MonotoneCause::Level {
                            term: term.name.clone(),
                            level: term.reference.clone().unwrap_or_default(),
                            higher_hazard: up,
                        },
                        cols.iter()
                            .filter(|&&k| !singular[k])
                            .map(|&k| (k, dir(!up)))
                            .collect(),
                        &mut out,
                        &mut diverges,
                    );
                }
            }
        }
    }
    // The direction of the coefficients R flags, when no single term explains it.
    if out.is_empty() && !suspect.is_empty() {
        let score: Vec<f64> = (0..n)
            .map(|i| suspect.iter().map(|&k| frame.x[k][i] * beta[k]).sum())
            .collect();
        let scale = score.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if scale > 0.0 && scale.is_finite() && order.separates(&score, 1e-10 * scale) {
            record(
                MonotoneCause::Combination {
                    coefficients: suspect
                        .iter()
                        .map(|&k| frame.columns[k].name.clone())
                        .collect(),
                },
                suspect
                    .iter()
                    .filter(|&&k| beta[k] != 0.0)
                    .map(|&k| (k, dir(beta[k] > 0.0)))
                    .collect(),
                &mut out,
                &mut diverges,
            );
        }
    }
    (out, diverges)
}
