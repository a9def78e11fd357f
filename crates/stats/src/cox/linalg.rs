//! The generalised Cholesky decomposition of R `survival` (`cholesky2.c`, `chsolve2.c`,
//! `chinv2.c`), ported line by line so that Newton–Raphson steps, variances and Wald tests
//! round as R's do.
//!
//! Matrices are square `Vec<Vec<f64>>` indexed `m[i][j]` exactly as the C code indexes its
//! ragged arrays; only the entries with `i ≤ j` are read on input.

/// Generalised Cholesky LDLᵀ in place (lower triangle L, diagonal D), with R's rule for
/// non-positive pivots: a pivot below `toler` × the largest diagonal is set to 0 and that
/// direction dropped. Port of survival's `cholesky2.c`; returns the rank.
pub(crate) fn cholesky2(m: &mut [Vec<f64>], toler: f64) -> usize {
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
pub(crate) fn chsolve2(m: &[Vec<f64>], y: &mut [f64]) {
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

/// Inverse from the [`cholesky2`] factor, into the upper triangle (`m[i][j]`, `i ≤ j`).
/// Port of `chinv2`.
pub(crate) fn chinv2(m: &mut [Vec<f64>]) {
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

/// The Wald statistic bᵀ V⁻¹ b and its degrees of freedom (the rank of V) by the
/// generalised Cholesky, as R `survival:::coxph.wtest` (`coxph_wtest.c`): directions of
/// `var` that are numerically singular are dropped. One coefficient: b²/V, as the R code.
pub(crate) fn wald_statistic(var: &[Vec<f64>], b: &[f64], toler: f64) -> (f64, usize) {
    match b.len() {
        0 => (0.0, 0),
        1 => (b[0] * b[0] / var[0][0], 1),
        _ => {
            let mut m = var.to_vec();
            cholesky2(&mut m, toler);
            let df = (0..m.len()).filter(|&i| m[i][i] > 0.0).count();
            let mut s = b.to_vec();
            chsolve2(&m, &mut s);
            (b.iter().zip(&s).map(|(b, s)| b * s).sum(), df)
        }
    }
}
