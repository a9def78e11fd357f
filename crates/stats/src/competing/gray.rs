//! Gray's K-sample test of equal cumulative incidence of one cause.

use super::CompetingData;
use crate::logrank::chi_square_sf;

/// Gray's test: R `cmprsk::cuminc(...)$Tests` for one cause.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GrayTest {
    /// The cause compared.
    pub cause: u32,
    /// The weight's power ρ (R `rho`; 0 by default).
    pub rho: f64,
    /// The score of each group but the last, summed over strata (R's `s`).
    pub score: Vec<f64>,
    /// Their variance–covariance matrix.
    pub variance: Vec<Vec<f64>>,
    /// χ² = sᵀ V⁻¹ s (R `stat`); `None` when V is singular (R prints −1).
    pub statistic: Option<f64>,
    /// Groups − 1 (R `df`).
    pub df: usize,
    /// Upper tail of χ²(df) (R `pv`).
    pub p_value: Option<f64>,
    /// Number of strata.
    pub strata: usize,
}

/// Gray's test that `cause` has the same cumulative incidence in every group, with the
/// weight (1 − F(t−))^ρ, stratified when the data has strata: R `cmprsk::cuminc(time,
/// cause, group, strata, rho = ρ)$Tests`.
///
/// # Formula
/// Gray (1988): within a stratum, at each distinct time, with group g's risk set n_g,
/// its left-continuous Kaplan–Meier Ŝ_g(t−) of failure from any cause and its cumulative
/// incidence F_g(t−), the subdistribution risk sets R_g = n_g (1 − F_g(t−)) / Ŝ_g(t−) and
/// the pooled F(t−) updated by d / Σ_g n_g / Ŝ_g(t−), the score of group g adds
/// (1 − F(t−))^ρ (d_g − d R_g / Σ_r R_r). Its variance is the Fortran `crst`'s
/// estimate, accumulated from the a, c matrices and the v₂, v₃ sums of Gray's paper §3;
/// scores and variances add over strata, and χ² = sᵀ V⁻¹ s on groups − 1 degrees of
/// freedom.
pub fn gray_test(data: &CompetingData, cause: u32, rho: f64) -> GrayTest {
    let ng = data.levels.len();
    let ng1 = ng.saturating_sub(1);
    let mut score = vec![0.0; ng1];
    let mut var = vec![vec![0.0; ng1]; ng1];
    let strata: Vec<usize> = data.strata.clone().unwrap_or_else(|| vec![0; data.len()]);
    let nst = strata.iter().copied().max().map_or(0, |m| m + 1);
    let order = data.sorted(None);
    let mut n_strata = 0;
    for st in 0..nst {
        let rows: Vec<usize> = order.iter().copied().filter(|&i| strata[i] == st).collect();
        if rows.is_empty() {
            continue;
        }
        n_strata += 1;
        let (s, v) = stratum(data, &rows, cause, rho, ng);
        for i in 0..ng1 {
            score[i] += s[i];
            for j in 0..=i {
                var[i][j] += v[i][j];
            }
        }
    }
    for i in 0..ng1 {
        for j in 0..i {
            var[j][i] = var[i][j];
        }
    }
    let statistic = if ng1 == 0 {
        None
    } else {
        crate::numerics::quadratic_form(&score, &var)
    };
    GrayTest {
        cause,
        rho,
        p_value: statistic.map(|x| chi_square_sf(x, ng1)),
        score,
        variance: var,
        statistic,
        df: ng1,
        strata: n_strata,
    }
}

/// The score and its variance (lower triangle) of one stratum; `rows` in time order.
fn stratum(
    data: &CompetingData,
    rows: &[usize],
    cause: u32,
    rho: f64,
    ng: usize,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    let ng1 = ng - 1;
    let n = rows.len();
    let mut rs = vec![0usize; ng];
    for &i in rows {
        rs[data.group[i]] += 1;
    }
    let mut s = vec![0.0; ng1];
    let mut v = vec![vec![0.0; ng1]; ng1];
    // Left- (…m) and right-continuous Kaplan–Meier and incidence of each group.
    let (mut f1m, mut f1) = (vec![0.0; ng], vec![0.0; ng]);
    let (mut skmm, mut skm) = (vec![1.0; ng], vec![1.0; ng]);
    let mut v3 = vec![0.0; ng];
    let mut v2 = vec![vec![0.0; ng]; ng1];
    let mut c = vec![vec![0.0; ng]; ng];
    let mut a = vec![vec![0.0; ng]; ng];
    let mut fm = 0.0f64;
    let mut start = 0;
    while start < n {
        let t = data.time[rows[start]];
        let mut end = start;
        // d[k][g]: censored (0), failed from the cause (1), from another cause (2).
        let mut d = vec![[0usize; 3]; ng];
        while end < n && data.time[rows[end]] == t {
            let i = rows[end];
            let k = match data.cause[i] {
                0 => 0,
                x if x == cause => 1,
                _ => 2,
            };
            d[data.group[i]][k] += 1;
            end += 1;
        }
        let nd1: usize = d.iter().map(|x| x[1]).sum();
        let nd2: usize = d.iter().map(|x| x[2]).sum();
        let mut f = fm;
        if nd1 + nd2 > 0 {
            let (mut tr, mut tq) = (0.0, 0.0);
            for g in 0..ng {
                if rs[g] == 0 {
                    continue;
                }
                let r = rs[g] as f64;
                skm[g] = skmm[g] * (r - (d[g][1] + d[g][2]) as f64) / r;
                f1[g] = f1m[g] + skmm[g] * d[g][1] as f64 / r;
                tr += r / skmm[g];
                tq += r * (1.0 - f1m[g]) / skmm[g];
            }
            let nd1f = nd1 as f64;
            f = fm + nd1f / tr;
            let fb = (1.0 - fm).powf(rho);
            for i in 0..ng {
                for x in a[i].iter_mut().skip(i) {
                    *x = 0.0;
                }
                if rs[i] == 0 {
                    continue;
                }
                let t1 = rs[i] as f64 / skmm[i];
                a[i][i] = fb * t1 * (1.0 - t1 / tr);
                c[i][i] += a[i][i] * nd1f / (tr * (1.0 - fm));
                for j in i + 1..ng {
                    if rs[j] == 0 {
                        continue;
                    }
                    a[i][j] = -fb * t1 * rs[j] as f64 / (skmm[j] * tr);
                    c[i][j] += a[i][j] * nd1f / (tr * (1.0 - fm));
                }
            }
            for i in 1..ng {
                for j in 0..i {
                    a[i][j] = a[j][i];
                    c[i][j] = c[j][i];
                }
            }
            for i in 0..ng1 {
                if rs[i] > 0 {
                    let r = rs[i] as f64;
                    s[i] += fb * (d[i][1] as f64 - nd1f * r * (1.0 - f1m[i]) / (skmm[i] * tq));
                }
            }
            if nd1 > 0 {
                for k in 0..ng {
                    if rs[k] == 0 {
                        continue;
                    }
                    let t4 = if skm[k] > 0.0 {
                        1.0 - (1.0 - f) / skm[k]
                    } else {
                        1.0
                    };
                    let t5 = if nd1 > 1 {
                        1.0 - (nd1f - 1.0) / (tr * skmm[k] - 1.0)
                    } else {
                        1.0
                    };
                    let t3 = t5 * skmm[k] * nd1f / (tr * rs[k] as f64);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = a[i][k] - t4 * c[i][k];
                        v2[i][k] += t1 * t4 * t3;
                        for j in 0..=i {
                            let t2 = a[j][k] - t4 * c[j][k];
                            v[i][j] += t1 * t2 * t3;
                        }
                    }
                }
            }
            if nd2 > 0 {
                for k in 0..ng {
                    if skm[k] <= 0.0 || d[k][2] == 0 {
                        continue;
                    }
                    let (d2, r) = (d[k][2] as f64, rs[k] as f64);
                    let t4 = (1.0 - f) / skm[k];
                    let t5 = if d[k][2] > 1 {
                        1.0 - (d2 - 1.0) / (r - 1.0)
                    } else {
                        1.0
                    };
                    let t3 = t5 * skmm[k] * skmm[k] * d2 / (r * r);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = t4 * c[i][k];
                        v2[i][k] -= t1 * t4 * t3;
                        for j in 0..=i {
                            let t2 = t4 * c[j][k];
                            v[i][j] += t1 * t2 * t3;
                        }
                    }
                }
            }
        }
        if end >= n {
            break;
        }
        for &i in &rows[start..end] {
            rs[data.group[i]] -= 1;
        }
        fm = f;
        f1m.clone_from(&f1);
        skmm.clone_from(&skm);
        start = end;
    }
    for i in 0..ng1 {
        for j in 0..=i {
            for k in 0..ng {
                v[i][j] += c[i][k] * c[j][k] * v3[k] + c[i][k] * v2[j][k] + c[j][k] * v2[i][k];
            }
        }
    }
    (s, v)
}
