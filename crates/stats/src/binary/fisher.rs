//! Fisher's exact test: 2 × 2 with R's conditional MLE and exact limits, and r × c by
//! the Mehta–Patel network algorithm (`fisher.test`).

use super::*;

/// Options of Fisher's exact test, R `fisher.test(x, alternative = "two.sided", or = 1,
/// conf.int = TRUE, conf.level = 0.95)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FisherOptions {
    /// R `alternative = "two.sided"`.
    pub alternative: Alternative,
    /// R `conf.level = 0.95`.
    pub conf_level: f64,
    /// Null odds ratio, ≥ 0 (R `or = 1`).
    pub or: f64,
    /// Tolerance of the root searches for the conditional MLE and the exact limits. The
    /// default is what `fisher.test` passes to `uniroot` (`.Machine$double.eps^0.25`), which
    /// reproduces R's printed numbers; 0 gives the roots to machine precision.
    pub root_tol: f64,
}

impl Default for FisherOptions {
    fn default() -> Self {
        FisherOptions {
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
            or: 1.0,
            root_tol: R_UNIROOT_TOL,
        }
    }
}

/// R `uniroot`'s default tolerance, `.Machine$double.eps^0.25`.
pub const R_UNIROOT_TOL: f64 = 1.220_703_125e-4;

/// Fisher's exact test of a 2 × 2 table with the conditional MLE of the odds ratio and
/// its exact interval, as R `fisher.test`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FisherTest {
    /// P value (R `p.value`).
    pub p_value: f64,
    /// Conditional maximum-likelihood estimate of the odds ratio (R `estimate`): 0 when
    /// x₁ is the smallest value its margins allow, `f64::INFINITY` when the largest.
    pub estimate: f64,
    /// Exact conditional interval (R `conf.int`); the upper limit may be infinite.
    pub conf_int: ConfInt,
    /// The null odds ratio (R `null.value`).
    pub null_value: f64,
    /// The alternative.
    pub alternative: Alternative,
    /// R's method name: "Fisher's Exact Test for Count Data".
    pub method: String,
    /// Problems that do not stop the test (a root search that did not converge).
    pub warnings: Vec<String>,
}

/// Fisher's exact test of a 2 × 2 table, R `fisher.test(matrix(c(x1, x2, n1 - x1, n2 -
/// x2), 2), ...)`.
///
/// # Formula
/// Conditional on the margins, the \[1,1\] cell X follows the noncentral hypergeometric
/// distribution with odds ratio ψ: P(X = x) ∝ C(m, x) C(n, k − x) ψˣ over the support
/// max(0, k − n) ≤ x ≤ min(k, m) (m events in all, n non-events, k = n₁).
///
/// * Two-sided P = Σ P₀(X = i) over i with P₀(X = i) ≤ P₀(X = x₁)·(1 + 10⁻⁷) (ψ₀ the null
///   odds ratio); one-sided P = P(X ≤ x₁) or P(X ≥ x₁).
/// * Estimate: the ψ at which E_ψ(X) = x₁ (conditional MLE).
/// * Limits: ψ_L with P_ψ(X ≥ x₁) = α and ψ_U with P_ψ(X ≤ x₁) = α, α = (1 − level)/2.
///
/// The roots are searched as R does (on [0, 1] for ψ or 1/ψ) with R's Brent iteration at
/// [`FisherOptions::root_tol`].
///
/// # Errors
/// Invalid counts, a level outside (0, 1), a negative null odds ratio or tolerance, or
/// more than [`EXACT_MAX_TOTAL`] patients in all.
///
/// # References
/// Fisher RA (1935). J R Stat Soc 98:39–82. Cornfield J (1956) for the exact limits.
/// R `fisher.test` (2 × 2 branch).
pub fn fisher_test(t: &TwoByTwo, options: &FisherOptions) -> Result<FisherTest, BinaryError> {
    t.validate()?;
    check_conf_level(options.conf_level)?;
    let or = options.or;
    if or.is_nan() || or < 0.0 {
        return Err(BinaryError::InvalidNullOddsRatio { value: or });
    }
    let tol = options.root_tol;
    if !tol.is_finite() || tol < 0.0 {
        return Err(BinaryError::InvalidTolerance { value: tol });
    }
    let total = t.n1.saturating_add(t.n2);
    if total > EXACT_MAX_TOTAL {
        return Err(BinaryError::TooLargeForExact {
            total,
            limit: EXACT_MAX_TOTAL,
        });
    }
    let [[a, b], [c, d]] = t.matrix();
    let m = a + c; // first column: events
    let n = b + d; // second column: non-events
    let k = a + b; // first row: arm 1
    let x = a;
    let h = Hyper::new(m, n, k);
    let (lo, hi) = (h.lo, h.hi);
    let mut warnings = Vec::new();

    let p_value = match options.alternative {
        Alternative::Less => h.cdf(x, or, false),
        Alternative::Greater => h.cdf(x, or, true),
        Alternative::TwoSided => {
            if or == 0.0 {
                f64::from(u8::from(x == lo))
            } else if or == f64::INFINITY {
                f64::from(u8::from(x == hi))
            } else {
                let dens = if or == 1.0 {
                    h.central.clone()
                } else {
                    h.weights(or)
                };
                let cut = dens[(x - lo) as usize] * (1.0 + 1e-7);
                let mut s = Sum::default();
                for &v in &dens {
                    if v <= cut {
                        s.add(v);
                    }
                }
                s.value()
            }
        }
    };

    let mut root = |f: &mut dyn FnMut(f64) -> f64, lower: f64, what: &str| -> f64 {
        match uniroot(f, lower, 1.0, tol) {
            Some(r) => {
                if !r.converged {
                    warnings.push(format!("{what}: the root search did not converge"));
                }
                r.x
            }
            None => {
                warnings.push(format!(
                    "{what}: the root is not bracketed; limit left at NaN"
                ));
                f64::NAN
            }
        }
    };
    let xf = x as f64;

    // Conditional MLE (R `mle`).
    let estimate = if x == lo {
        0.0
    } else if x == hi {
        f64::INFINITY
    } else {
        let mu = h.mean(1.0);
        // mu and x are equal in exact arithmetic for symmetric tables; R's long-double sum
        // gets them equal there, so treat a difference at rounding level as equality.
        let equal = (mu - xf).abs() <= 64.0 * f64::EPSILON * xf.max(1.0);
        if equal {
            1.0
        } else if mu > xf {
            root(&mut |t| h.mean(t) - xf, 0.0, "odds-ratio estimate")
        } else {
            1.0 / root(
                &mut |t| h.mean(1.0 / t) - xf,
                f64::EPSILON,
                "odds-ratio estimate",
            )
        }
    };

    // Exact limits (R `ncp.U`, `ncp.L`).
    let mut ncp_u = |alpha: f64| -> f64 {
        if x == hi {
            return f64::INFINITY;
        }
        let p = h.cdf(x, 1.0, false);
        if p < alpha {
            root(&mut |t| h.cdf(x, t, false) - alpha, 0.0, "upper limit")
        } else if p > alpha {
            1.0 / root(
                &mut |t| h.cdf(x, 1.0 / t, false) - alpha,
                f64::EPSILON,
                "upper limit",
            )
        } else {
            1.0
        }
    };
    let alpha2 = (1.0 - options.conf_level) / 2.0;
    let alpha1 = 1.0 - options.conf_level;
    let upper = match options.alternative {
        Alternative::TwoSided => ncp_u(alpha2),
        Alternative::Less => ncp_u(alpha1),
        Alternative::Greater => f64::INFINITY,
    };
    let mut ncp_l = |alpha: f64| -> f64 {
        if x == lo {
            return 0.0;
        }
        let p = h.cdf(x, 1.0, true);
        if p > alpha {
            root(&mut |t| h.cdf(x, t, true) - alpha, 0.0, "lower limit")
        } else if p < alpha {
            1.0 / root(
                &mut |t| h.cdf(x, 1.0 / t, true) - alpha,
                f64::EPSILON,
                "lower limit",
            )
        } else {
            1.0
        }
    };
    let lower = match options.alternative {
        Alternative::TwoSided => ncp_l(alpha2),
        Alternative::Greater => ncp_l(alpha1),
        Alternative::Less => 0.0,
    };
    Ok(FisherTest {
        p_value,
        estimate,
        conf_int: ConfInt {
            lower,
            upper,
            level: options.conf_level,
        },
        null_value: or,
        alternative: options.alternative,
        method: "Fisher's Exact Test for Count Data".into(),
        warnings,
    })
}

/// The most nodes (partial tables) [`fisher_test_table`] visits before giving up.
pub const FISHER_TABLE_LIMIT: u64 = 5_000_000;

/// Fisher's exact test of an r × c table (two-sided P only).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FisherTableTest {
    /// P value (R `fisher.test(matrix)$p.value`).
    pub p_value: f64,
    /// Nodes of the network visited (0 for 2 × 2, which uses the hypergeometric
    /// distribution directly).
    pub nodes: u64,
    /// R's method name: "Fisher's Exact Test for Count Data".
    pub method: String,
}

/// Checks a contingency table's shape and returns (rows, cols).
pub(super) fn check_table(table: &[Vec<u64>]) -> Result<(usize, usize), BinaryError> {
    let r = table.len();
    let c = table.first().map_or(0, Vec::len);
    for (i, row) in table.iter().enumerate() {
        if row.len() != c {
            return Err(BinaryError::RaggedTable {
                row: i,
                len: row.len(),
                expected: c,
            });
        }
    }
    if r < 2 || c < 2 {
        return Err(BinaryError::TableTooSmall { rows: r, cols: c });
    }
    if table.iter().flatten().all(|&v| v == 0) {
        return Err(BinaryError::EmptyTable);
    }
    Ok((r, c))
}

/// The largest total count [`fisher_test`] and [`fisher_test_table`] accept: their memory
/// grows with it (a few vectors of that length), and beyond it the chi-square test is as
/// good as exact.
pub const EXACT_MAX_TOTAL: u64 = 10_000_000;

/// The table's total count, refused above [`EXACT_MAX_TOTAL`].
pub(super) fn exact_total(table: &[Vec<u64>]) -> Result<u64, BinaryError> {
    let total = table
        .iter()
        .flatten()
        .try_fold(0u64, |acc, &v| acc.checked_add(v))
        .unwrap_or(u64::MAX);
    if total > EXACT_MAX_TOTAL {
        Err(BinaryError::TooLargeForExact {
            total,
            limit: EXACT_MAX_TOTAL,
        })
    } else {
        Ok(total)
    }
}

/// Fisher's exact test of an r × c contingency table (rows and columns as given, e.g.
/// event / no event by arm), R `fisher.test(matrix)`.
///
/// # Formula
/// Given the margins, a table T has probability P(T) = Π Rᵢ! Π Cⱼ! / (N! Π tᵢⱼ!). The P
/// value sums P(T) over every table with ln P(T) ≤ ln P(observed) + 3.45254·10⁻⁷ (the
/// tolerance of R's FEXACT), walking the tables column by column and adding or skipping
/// whole subtrees whose bounds decide them (at most [`FISHER_TABLE_LIMIT`] nodes). A
/// 2 × 2 table goes through [`fisher_test`] as in R.
///
/// # Errors
/// A ragged, empty or smaller than 2 × 2 table, a total above [`EXACT_MAX_TOTAL`], or more
/// nodes than [`FISHER_TABLE_LIMIT`].
///
/// # References
/// Freeman GH, Halton JH (1951). Biometrika 38:141–149. Mehta CR, Patel NR (1983). JASA
/// 78:427–434 (R's network algorithm, which gives the same sum). R `fisher.test`.
pub fn fisher_test_table(table: &[Vec<u64>]) -> Result<FisherTableTest, BinaryError> {
    let (r, c) = check_table(table)?;
    exact_total(table)?;
    let method = "Fisher's Exact Test for Count Data".to_string();
    if r == 2 && c == 2 {
        let t = TwoByTwo {
            x1: table[0][0],
            n1: table[0][0] + table[0][1],
            x2: table[1][0],
            n2: table[1][0] + table[1][1],
        };
        // Rows with no patients have no distribution to test: R's 2 × 2 code gives 1.
        let p = if t.n1 == 0 || t.n2 == 0 {
            1.0
        } else {
            fisher_test(
                &t,
                &FisherOptions {
                    root_tol: R_UNIROOT_TOL,
                    ..FisherOptions::default()
                },
            )?
            .p_value
        };
        return Ok(FisherTableTest {
            p_value: p,
            nodes: 0,
            method,
        });
    }
    // Rows are the dimension each column is spread over: make it the shorter one.
    let (rows, cols) = {
        let rs: Vec<u64> = table.iter().map(|row| row.iter().sum()).collect();
        let cs: Vec<u64> = (0..c)
            .map(|j| table.iter().map(|row| row[j]).sum())
            .collect();
        if r > c {
            (cs, rs)
        } else {
            (rs, cs)
        }
    };
    let total: u64 = rows.iter().sum();
    let lfact = log_factorials(total);
    let mut obs = Sum::default();
    for v in table.iter().flatten() {
        obs.add(lfact[*v as usize]);
    }
    match network_p(&rows, &cols, obs.value() - FEXACT_TOL, &lfact) {
        Some((p, nodes)) => Ok(FisherTableTest {
            p_value: p.clamp(0.0, 1.0),
            nodes,
            method,
        }),
        None => Err(BinaryError::TooManyTables {
            limit: FISHER_TABLE_LIMIT,
        }),
    }
}

/// R FEXACT's tolerance on the log probability ("the square root of the smallest relative
/// spacing").
const FEXACT_TOL: f64 = 3.45254e-7;

/// ln k! for k = 0..=n, by compensated cumulative sums.
pub(super) fn log_factorials(n: u64) -> Vec<f64> {
    let mut v = Vec::with_capacity(n as usize + 1);
    let mut s = Sum::default();
    v.push(0.0);
    for k in 1..=n {
        s.add((k as f64).ln());
        v.push(s.value());
    }
    v
}

/// Smallest Σ ln tᵢ! over integer t with Σ tᵢ = total and 0 ≤ tᵢ ≤ capᵢ (the most even
/// fill: water-filling).
pub(super) fn min_key(total: u64, caps: &[u64], lfact: &[f64]) -> f64 {
    let mut c: Vec<u64> = caps.to_vec();
    c.sort_unstable();
    let mut left = total;
    let mut key = 0.0;
    for (i, &cap) in c.iter().enumerate() {
        let rows_left = (c.len() - i) as u64;
        let share = left / rows_left;
        let extra = left % rows_left;
        if cap <= share {
            key += lfact[cap as usize];
            left -= cap;
        } else {
            // Every remaining row (each at least as large) takes the even share and
            // `extra` of them one more.
            let plain = rows_left - extra;
            return key
                + plain as f64 * lfact[share as usize]
                + extra as f64 * lfact[share as usize + 1];
        }
    }
    key
}

/// Largest Σ ln tᵢ! over the same set (fill the largest capacities first).
pub(super) fn max_key(total: u64, caps: &[u64], lfact: &[f64]) -> f64 {
    let mut c: Vec<u64> = caps.to_vec();
    c.sort_unstable_by(|a, b| b.cmp(a));
    let mut left = total;
    let mut key = 0.0;
    for cap in c {
        let t = cap.min(left);
        key += lfact[t as usize];
        left -= t;
        if left == 0 {
            break;
        }
    }
    key
}

/// Bounds on Σ ln tᵢⱼ! over the tables with row sums `rows` and column sums `cols`:
/// each column on its own and each row on its own are relaxations; the tighter of the two
/// is kept.
pub(super) fn key_bounds(rows: &[u64], cols: &[u64], lfact: &[f64]) -> (f64, f64) {
    let (mut lo_c, mut hi_c, mut lo_r, mut hi_r) = (0.0, 0.0, 0.0, 0.0);
    for &cj in cols {
        lo_c += min_key(cj, rows, lfact);
        hi_c += max_key(cj, rows, lfact);
    }
    for &ri in rows {
        lo_r += min_key(ri, cols, lfact);
        hi_r += max_key(ri, cols, lfact);
    }
    (f64::max(lo_c, lo_r), f64::min(hi_c, hi_r))
}

/// The two-sided Fisher P value of an r × c table by the network algorithm of Mehta &
/// Patel (1983), as R's FEXACT computes it: the table is built column by column; a node
/// is the multiset of the row sums still to fill, and the paths reaching it are kept as
/// their distinct "past" values Σ ln tᵢⱼ! with multiplicities. At each node, bounds on the
/// rest decide whole subtrees: when every completion is at most as probable as the
/// observed table (key ≥ `threshold`) the subtree's probability is added in closed form
/// (Σ over completions of Π 1/tᵢⱼ! = N′!/(Π Rᵢ′! Π Cⱼ!)); when none is, it is skipped;
/// otherwise the next column is spread over the rows. Returns (P, nodes visited), or
/// `None` past [`FISHER_TABLE_LIMIT`].
pub(super) fn network_p(
    rows: &[u64],
    cols: &[u64],
    threshold: f64,
    lfact: &[f64],
) -> Option<(f64, u64)> {
    // Largest column last: it is then determined by the others.
    let mut cols = cols.to_vec();
    cols.sort_unstable();
    let nc = cols.len();
    let total: u64 = rows.iter().sum();
    // ln Π Rᵢ! Π Cⱼ! / N!, so that P(T) = exp(k − Σ ln tᵢⱼ!).
    let mut k = Sum::default();
    for &v in rows.iter().chain(&cols) {
        k.add(lfact[v as usize]);
    }
    k.add(-lfact[total as usize]);
    let k = k.value();
    let mut col_lfact_from = vec![0.0; nc + 1];
    for j in (0..nc).rev() {
        col_lfact_from[j] = col_lfact_from[j + 1] + lfact[cols[j] as usize];
    }
    let mut p = Sum::default();
    let mut nodes: u64 = 0;
    // Stage j: node (sorted remaining row sums) -> paths as (past, multiplicity).
    let mut start = rows.to_vec();
    start.sort_unstable();
    let mut stage: HashMap<Vec<u64>, Vec<(f64, f64)>> = HashMap::new();
    stage.insert(start, vec![(0.0, 1.0)]);
    for j in 0..nc {
        let mut next: HashMap<Vec<u64>, Vec<(f64, f64)>> = HashMap::new();
        for (rem, mut paths) in stage {
            nodes += 1;
            if nodes > FISHER_TABLE_LIMIT {
                return None;
            }
            merge_paths(&mut paths);
            if j == nc - 1 {
                // The last column takes what the rows have left.
                let key: f64 = rem.iter().map(|&r| lfact[r as usize]).sum();
                for (past, m) in paths {
                    if past + key >= threshold {
                        p.add(m * (k - past - key).exp());
                    }
                }
                continue;
            }
            let (lo, hi) = key_bounds(&rem, &cols[j..], lfact);
            let n_left: u64 = rem.iter().sum();
            let mut ln_s = lfact[n_left as usize] - col_lfact_from[j];
            for &r in &rem {
                ln_s -= lfact[r as usize];
            }
            let mut open = Vec::new();
            for (past, m) in paths {
                if past + lo >= threshold {
                    p.add(m * (k - past + ln_s).exp());
                } else if past + hi >= threshold {
                    open.push((past, m));
                }
            }
            if open.is_empty() {
                continue;
            }
            // Spread column j over the rows: every child with the key it adds.
            let mut children: Vec<(Vec<u64>, f64)> = Vec::new();
            let mut t = vec![0u64; rem.len()];
            spread(
                &rem,
                cols[j],
                0,
                &mut t,
                0.0,
                lfact,
                &mut children,
                &mut nodes,
            );
            if nodes > FISHER_TABLE_LIMIT {
                return None;
            }
            for (child, delta) in children {
                let entry = next.entry(child).or_default();
                for &(past, m) in &open {
                    entry.push((past + delta, m));
                }
            }
        }
        stage = next;
    }
    Some((p.value(), nodes))
}

/// Merges paths whose past values agree to 1e-12 (relative): their futures are the same.
pub(super) fn merge_paths(paths: &mut Vec<(f64, f64)>) {
    if paths.len() < 2 {
        return;
    }
    paths.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(paths.len());
    for &(past, m) in paths.iter() {
        match out.last_mut() {
            Some(last) if past - last.0 <= 1e-12 * (1.0 + last.0.abs()) => last.1 += m,
            _ => out.push((past, m)),
        }
    }
    *paths = out;
}

/// Every way of spreading `left` over the rows `i..` of `rem` (cell i takes at most
/// rem[i]); pushes (sorted remaining row sums, Σ ln t!) per way.
#[allow(clippy::too_many_arguments)] // a recursive helper; the arguments are its state
pub(super) fn spread(
    rem: &[u64],
    left: u64,
    i: usize,
    t: &mut Vec<u64>,
    key: f64,
    lfact: &[f64],
    out: &mut Vec<(Vec<u64>, f64)>,
    nodes: &mut u64,
) {
    if *nodes > FISHER_TABLE_LIMIT {
        return;
    }
    if i == rem.len() - 1 {
        if left > rem[i] {
            return;
        }
        t[i] = left;
        *nodes += 1;
        let mut child: Vec<u64> = rem.iter().zip(t.iter()).map(|(&r, &x)| r - x).collect();
        child.sort_unstable();
        out.push((child, key + lfact[left as usize]));
        return;
    }
    let below: u64 = rem[i + 1..].iter().sum();
    for v in left.saturating_sub(below)..=left.min(rem[i]) {
        t[i] = v;
        spread(
            rem,
            left - v,
            i + 1,
            t,
            key + lfact[v as usize],
            lfact,
            out,
            nodes,
        );
    }
}
