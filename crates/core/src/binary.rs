//! Binary endpoints: a proportion with its confidence interval, and the comparison of two
//! proportions x₁/n₁ versus x₂/n₂ (a response rate by arm) — each written to give the
//! numbers R prints.
//!
//! | survcalc | R |
//! |---|---|
//! | [`binom_test`], [`clopper_pearson`] | `binom.test(x, n)` (exact test, Clopper–Pearson CI) |
//! | [`prop_test`], [`wilson`] | `prop.test(x, n, correct = )` (score test, Wilson CI) |
//! | [`proportion`] | the three intervals above for one arm |
//! | [`fisher_test`] | `fisher.test(matrix)` for a 2 × 2 table: P, conditional MLE odds ratio, exact CI |
//! | [`fisher_test_table`] | `fisher.test(matrix)` for an r × c table (P only) |
//! | [`chisq_test`] | `chisq.test(matrix, correct = )` |
//! | [`risk_difference`] | Newcombe (1998) hybrid score interval, methods 10 and 11; Wald |
//! | [`risk_ratio`], [`odds_ratio`] | `epitools::riskratio.wald`, `epitools::oddsratio.wald`; with the ½ correction `metafor::escalc(add = 1/2, to = "only0")` |
//! | [`compare_proportions`] | all of the above for one 2 × 2 table, as a report needs them |
//!
//! # Orientation
//! A [`TwoByTwo`] is arm 1 (events x₁ of n₁) against arm 2 (x₂ of n₂). Differences and
//! ratios are arm 1 versus arm 2: p₁ − p₂, p₁/p₂, odds₁/odds₂. The matrix given to R is
//! `matrix(c(x1, x2, n1 - x1, n2 - x2), 2)`: arms in rows, event / no event in columns.
//!
//! # Zero cells
//! The Wald (Katz / Woolf) intervals of the risk and odds ratios are undefined when a cell
//! they divide by is zero. By default ([`ZeroCellCorrection::None`]) survcalc then returns
//! no interval and says why in [`RatioEstimate::note`] — it never adds ½ silently. With
//! [`ZeroCellCorrection::AddHalf`] it adds ½ to all four cells of a table that has a zero
//! cell (Haldane–Anscombe), as `metafor::escalc(add = 1/2, to = "only0")`. Fisher's test,
//! its exact interval, the chi-square test and Newcombe's interval need no correction.
//!
//! # Numerical notes
//! Binomial probabilities use Loader's saddle-point algorithm (as R's `dbinom`), so they are
//! accurate to a few ulps for any n; hypergeometric probabilities are built from ratios of
//! successive terms in log space and normalised, so nothing overflows for n in the
//! millions. Sums are compensated (R sums in long double).
//!
//! R's `fisher.test` finds the conditional MLE and the exact limits with `uniroot` at its
//! default tolerance `.Machine$double.eps^0.25` ≈ 1.2e-4 (on the scale of the odds ratio
//! or of its reciprocal, whichever is below 1), so R's printed estimate and limits carry an
//! error of that order. survcalc reproduces R's iteration step by step (a port of R's
//! `zeroin.c`) and so prints R's numbers; set [`FisherOptions::root_tol`] to 0 for the
//! exact root instead.
//!
//! # References
//! Clopper CJ, Pearson ES (1934). Biometrika 26:404–413. Wilson EB (1927). JASA 22:209–212.
//! Newcombe RG (1998). Two-sided confidence intervals for the single proportion. Stat Med
//! 17:857–872; Interval estimation for the difference between independent proportions.
//! Stat Med 17:873–890. Fisher RA (1935). J R Stat Soc 98:39–82. Yates F (1934). Suppl J R
//! Stat Soc 1:217–235. Katz D et al. (1978). Biometrics 34:469–474. Woolf B (1955). Ann Hum
//! Genet 19:251–253. Loader C (2000). Fast and accurate computation of binomial
//! probabilities. Mehta CR, Patel NR (1983). JASA 78:427–434 (the r × c test R computes).

use std::collections::HashMap;
use std::fmt;

// =========================================================================================
// Common types

/// Direction of the alternative hypothesis. Mirrors R `alternative =`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Alternative {
    /// `alternative = "two.sided"`: R's default.
    #[default]
    TwoSided,
    /// `alternative = "less"`.
    Less,
    /// `alternative = "greater"`.
    Greater,
}

impl Alternative {
    /// R's name for the alternative.
    pub fn r_name(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two.sided",
            Alternative::Less => "less",
            Alternative::Greater => "greater",
        }
    }
}

/// A confidence interval. A limit may be infinite (an odds ratio's upper limit is
/// `f64::INFINITY` where R prints `Inf`; serde_json writes it as `null`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ConfInt {
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// Confidence level (R `attr(conf.int, "conf.level")`).
    pub level: f64,
}

/// An error in the counts or options given to a binary-endpoint method.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BinaryError {
    /// A number of events is larger than its number of patients.
    CountExceedsTotal {
        /// What the count belongs to ("arm 1", "the proportion").
        what: String,
        /// The count of events.
        x: u64,
        /// The total.
        n: u64,
    },
    /// A number of patients (a denominator) is zero.
    ZeroTotal {
        /// What the total belongs to.
        what: String,
    },
    /// The confidence level is not strictly between 0 and 1.
    InvalidConfLevel {
        /// The value given.
        value: f64,
    },
    /// The null proportion is outside the range the test allows.
    InvalidNullProportion {
        /// The value given.
        value: f64,
        /// The allowed range, e.g. "[0, 1]".
        allowed: String,
    },
    /// The null odds ratio is negative or NaN.
    InvalidNullOddsRatio {
        /// The value given.
        value: f64,
    },
    /// The root-finding tolerance is negative or not finite.
    InvalidTolerance {
        /// The value given.
        value: f64,
    },
    /// A contingency table with fewer than 2 rows or 2 columns.
    TableTooSmall {
        /// Number of rows.
        rows: usize,
        /// Number of columns (of the first row).
        cols: usize,
    },
    /// A row of a contingency table has a different length from the first row.
    RaggedTable {
        /// Zero-based row index.
        row: usize,
        /// Its length.
        len: usize,
        /// The length of the first row.
        expected: usize,
    },
    /// Every cell of the contingency table is zero.
    EmptyTable,
    /// Fisher's exact test of an r × c table would visit more nodes than the limit.
    TooManyTables {
        /// The limit ([`FISHER_TABLE_LIMIT`]).
        limit: u64,
    },
    /// Too many patients in all for an exact test (its work and memory grow with the
    /// total).
    TooLargeForExact {
        /// The total count of the table.
        total: u64,
        /// The limit ([`EXACT_MAX_TOTAL`]).
        limit: u64,
    },
}

impl fmt::Display for BinaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinaryError::CountExceedsTotal { what, x, n } => write!(
                f,
                "{what}: {x} events is more than the {n} patients; check the counts"
            ),
            BinaryError::ZeroTotal { what } => {
                write!(f, "{what}: the number of patients is 0; a proportion needs at least one")
            }
            BinaryError::InvalidConfLevel { value } => write!(
                f,
                "confidence level {value} is not between 0 and 1 (e.g. 0.95 for 95%)"
            ),
            BinaryError::InvalidNullProportion { value, allowed } => {
                write!(f, "null proportion {value} must lie in {allowed}")
            }
            BinaryError::InvalidNullOddsRatio { value } => {
                write!(f, "null odds ratio {value} must be 0 or more (1 for no difference)")
            }
            BinaryError::InvalidTolerance { value } => write!(
                f,
                "root-finding tolerance {value} must be a finite number ≥ 0 (R's default is 1.22e-4)"
            ),
            BinaryError::TableTooSmall { rows, cols } => write!(
                f,
                "a contingency table needs at least 2 rows and 2 columns (got {rows} × {cols})"
            ),
            BinaryError::RaggedTable { row, len, expected } => write!(
                f,
                "row {} of the table has {len} cells but the first row has {expected}",
                row + 1
            ),
            BinaryError::EmptyTable => write!(f, "every cell of the table is zero"),
            BinaryError::TooLargeForExact { total, limit } => write!(
                f,
                "{total} patients in all is more than an exact test handles here ({limit}); use the chi-square test"
            ),
            BinaryError::TooManyTables { limit } => write!(
                f,
                "Fisher's exact test would need more than {limit} tables; use the chi-square test"
            ),
        }
    }
}

impl std::error::Error for BinaryError {}

fn check_conf_level(conf_level: f64) -> Result<(), BinaryError> {
    if conf_level > 0.0 && conf_level < 1.0 {
        Ok(())
    } else {
        Err(BinaryError::InvalidConfLevel { value: conf_level })
    }
}

fn check_counts(what: &str, x: u64, n: u64) -> Result<(), BinaryError> {
    if n == 0 {
        return Err(BinaryError::ZeroTotal { what: what.into() });
    }
    if x > n {
        return Err(BinaryError::CountExceedsTotal {
            what: what.into(),
            x,
            n,
        });
    }
    Ok(())
}

// =========================================================================================
// Numerical kernels

/// Neumaier's compensated sum (R sums doubles in long double; this is as accurate).
#[derive(Default, Clone, Copy)]
struct Sum {
    s: f64,
    c: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }

    fn value(self) -> f64 {
        self.s + self.c
    }
}

/// Φ⁻¹(p), R `qnorm(p)`. `p` is in (0, 1) for every call here (levels are validated).
fn qnorm(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    crate::numerics::qnorm(p)
}

/// Φ(z), R `pnorm(z)` ([`crate::numerics::pnorm`]).
fn pnorm(z: f64) -> f64 {
    crate::numerics::pnorm(z)
}

/// Upper tail of χ²(df), R `pchisq(x, df, lower.tail = FALSE)`
/// ([`crate::numerics::chisq_upper`]).
pub(crate) fn pchisq_upper(x: f64, df: usize) -> f64 {
    crate::numerics::chisq_upper(x, df)
}

/// Result of a root search.
#[derive(Debug, Clone, Copy)]
struct Root {
    x: f64,
    converged: bool,
}

/// Brent's root finder exactly as R's `R_zeroin2` (src/library/stats/src/zeroin.c, from
/// Forsythe, Malcolm & Moler 1977), so that survcalc's `uniroot` takes R's steps.
fn zeroin<F: FnMut(f64) -> f64>(
    ax: f64,
    bx: f64,
    fa0: f64,
    fb0: f64,
    mut f: F,
    tol: f64,
    maxit: usize,
) -> Root {
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (fa0, fb0);
    let mut c = a;
    let mut fc = fa;
    if fa == 0.0 {
        return Root {
            x: a,
            converged: true,
        };
    }
    if fb == 0.0 {
        return Root {
            x: b,
            converged: true,
        };
    }
    for _ in 0..=maxit {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return Root {
                x: b,
                converged: true,
            };
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qq = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < (0.75 * cb * q - (tol_act * q).abs() / 2.0) && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    Root {
        x: b,
        converged: false,
    }
}

/// R's `uniroot(f, c(lower, upper), tol = tol)` with `maxiter = 1000`: `None` when f does
/// not change sign over the interval (R stops with an error there).
fn uniroot<F: FnMut(f64) -> f64>(mut f: F, lower: f64, upper: f64, tol: f64) -> Option<Root> {
    let fl = f(lower);
    let fu = f(upper);
    if fl.is_nan() || fu.is_nan() || fl.signum() * fu.signum() > 0.0 {
        return None;
    }
    Some(zeroin(lower, upper, fl, fu, f, tol, 1000))
}

/// Loader's stirlerr(n) = ln n! − ln(√(2πn) (n/e)ⁿ), for integer n ≥ 0.
fn stirlerr(n: f64) -> f64 {
    // Values at n = 0..15 (Loader 2000; n = 0 is a placeholder never used), with the
    // published digits.
    #[allow(clippy::excessive_precision)] // the digits as published; they round to the f64
    const SFERR: [f64; 16] = [
        0.0,
        0.081_061_466_795_327_258_219_670_2,
        0.041_340_695_955_409_294_093_822_1,
        0.027_677_925_684_998_339_148_789_29,
        0.020_790_672_103_765_093_111_522_77,
        0.016_644_691_189_821_192_163_194_87,
        0.013_876_128_823_070_747_998_745_73,
        0.011_896_709_945_891_770_095_055_72,
        0.010_411_265_261_972_096_497_478_567,
        0.009_255_462_182_712_732_917_728_637,
        0.008_330_563_433_362_871_256_469_318,
        0.007_573_675_487_951_840_794_972_024,
        0.006_942_840_107_209_529_865_664_152,
        0.006_408_994_188_004_207_068_439_631,
        0.005_951_370_112_758_847_735_624_416,
        0.005_554_733_551_962_801_371_038_690,
    ];
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        return SFERR[n as usize];
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// Loader's deviance term bd0(x, np) = x ln(x/np) + np − x, accurate when x ≈ np.
fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        if s.abs() < f64::MIN_POSITIVE {
            return s;
        }
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / (2 * j + 1) as f64;
            if s1 == s {
                return s1;
            }
            s = s1;
        }
    }
    x * (x / np).ln() + np - x
}

/// Binomial probability P(X = x) for X ~ Bin(n, p), q = 1 − p, by Loader's algorithm
/// (R's `dbinom_raw`): relative error of a few ulps for any n.
fn dbinom(x: u64, n: u64, p: f64, q: f64) -> f64 {
    if p == 0.0 {
        return if x == 0 { 1.0 } else { 0.0 };
    }
    if q == 0.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    let (xf, nf) = (x as f64, n as f64);
    if x == 0 {
        if n == 0 {
            return 1.0;
        }
        let lc = if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
        return lc.exp();
    }
    if x == n {
        let lc = if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
        return lc.exp();
    }
    if x > n {
        return 0.0;
    }
    let lc =
        stirlerr(nf) - stirlerr(xf) - stirlerr(nf - xf) - bd0(xf, nf * p) - bd0(nf - xf, nf * q);
    let lf = (2.0 * std::f64::consts::PI).ln() + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// Sum of binomial probabilities over `from..=to` (inclusive), walking away from the
/// mode and stopping once the rest cannot change the sum (terms of a log-concave
/// sequence past its peak shrink at least geometrically, so the rest is at most
/// term / (1 − ratio)).
fn binom_sum(from: u64, to: u64, n: u64, p: f64) -> f64 {
    if from > to {
        return 0.0;
    }
    let q = 1.0 - p;
    // Walk from the end nearer the mode towards the other end.
    let mode = ((n as f64 + 1.0) * p).floor().min(n as f64) as u64;
    let forward = mode <= from; // mode at or before `from`: walk upwards from `from`
    let backward = mode >= to;
    let mut sum = Sum::default();
    let mut add_walk = |start: u64, step_up: bool, stop: u64| {
        let mut i = start;
        let mut last = f64::NAN;
        loop {
            let term = dbinom(i, n, p, q);
            sum.add(term);
            // Every walk moves away from the mode, so the terms never grow again: once one
            // underflows, so do the rest.
            if term == 0.0 {
                break;
            }
            if last.is_finite() && term < last {
                let r = term / last;
                if term / (1.0 - r) < sum.value() * 1e-17 {
                    break;
                }
            }
            last = term;
            if i == stop {
                break;
            }
            i = if step_up { i + 1 } else { i - 1 };
        }
    };
    if forward {
        add_walk(from, true, to);
    } else if backward {
        add_walk(to, false, from);
    } else {
        // The mode is inside: walk up from it and down from just below it.
        add_walk(mode, true, to);
        if mode > from {
            add_walk(mode - 1, false, from);
        }
    }
    sum.value()
}

/// P(X ≤ x), R `pbinom(x, n, p)`.
fn pbinom_lower(x: u64, n: u64, p: f64) -> f64 {
    binom_sum(0, x.min(n), n, p).min(1.0)
}

/// P(X ≥ x), R `pbinom(x - 1, n, p, lower.tail = FALSE)`.
fn pbinom_upper_from(x: u64, n: u64, p: f64) -> f64 {
    if x > n {
        return 0.0;
    }
    binom_sum(x, n, n, p).min(1.0)
}

/// Relative log densities of the central hypergeometric distribution of the \[1,1\] cell of
/// a 2 × 2 table with first-column total `m`, second-column total `n` and first-row total
/// `k` (R `dhyper(support, m, n, k, log = TRUE)` up to a constant), built outward from the
/// mode from the ratio of successive terms so that the values stay exact for large n.
#[derive(Debug, Clone)]
struct Hyper {
    lo: u64,
    hi: u64,
    /// ln P(X = lo + i) − ln P(X = mode).
    logd: Vec<f64>,
    /// Normalised central probabilities (R `dnhyper(1)`).
    central: Vec<f64>,
}

impl Hyper {
    fn new(m: u64, n: u64, k: u64) -> Hyper {
        let lo = k.saturating_sub(n);
        let hi = k.min(m);
        let len = (hi - lo + 1) as usize;
        let (mf, nf, kf) = (m as f64, n as f64, k as f64);
        // Ratio P(x + 1) / P(x) = (m − x)(k − x) / ((x + 1)(n − k + x + 1)).
        let up = |x: f64| ((mf - x) * (kf - x)) / ((x + 1.0) * (nf - kf + x + 1.0));
        // Ratio P(y − 1) / P(y) = y (n − k + y) / ((m − y + 1)(k − y + 1)), written out so
        // that a symmetric distribution gets bit-identical halves.
        let down = |y: f64| (y * (nf - kf + y)) / ((mf - y + 1.0) * (kf - y + 1.0));
        // Mode: floor((m + 1)(k + 1) / (m + n + 2)), clamped to the support.
        let mode_f = ((mf + 1.0) * (kf + 1.0) / (mf + nf + 2.0)).floor();
        let mode = (mode_f as u64).clamp(lo, hi);
        let mut logd = vec![0.0; len];
        let mi = (mode - lo) as usize;
        for i in mi + 1..len {
            let x = (lo + i as u64 - 1) as f64;
            logd[i] = logd[i - 1] + up(x).ln();
        }
        for i in (0..mi).rev() {
            let y = (lo + i as u64 + 1) as f64;
            logd[i] = logd[i + 1] + down(y).ln();
        }
        let mut h = Hyper {
            lo,
            hi,
            logd,
            central: Vec::new(),
        };
        h.central = h.weights(1.0);
        h
    }

    /// Normalised probabilities under odds ratio `ncp` ∈ (0, ∞), R `dnhyper(ncp)`.
    fn weights(&self, ncp: f64) -> Vec<f64> {
        let l = ncp.ln();
        let mut d: Vec<f64> = self
            .logd
            .iter()
            .enumerate()
            .map(|(i, &ld)| if l == 0.0 { ld } else { ld + l * i as f64 })
            .collect();
        let max = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut s = Sum::default();
        for v in d.iter_mut() {
            *v = (*v - max).exp();
            s.add(*v);
        }
        let total = s.value();
        for v in d.iter_mut() {
            *v /= total;
        }
        d
    }

    /// The mean under odds ratio `ncp`, R `mnhyper(ncp)`.
    fn mean(&self, ncp: f64) -> f64 {
        if ncp == 0.0 {
            return self.lo as f64;
        }
        if ncp == f64::INFINITY {
            return self.hi as f64;
        }
        let d = self.weights(ncp);
        let mut s = Sum::default();
        for (i, v) in d.iter().enumerate() {
            s.add(i as f64 * v);
        }
        self.lo as f64 + s.value()
    }

    /// P(X ≤ q) (or P(X ≥ q) with `upper`) under odds ratio `ncp`, R `pnhyper`.
    fn cdf(&self, q: u64, ncp: f64, upper: bool) -> f64 {
        if ncp == 0.0 {
            return f64::from(u8::from(if upper { q <= self.lo } else { q >= self.lo }));
        }
        if ncp == f64::INFINITY {
            return f64::from(u8::from(if upper { q <= self.hi } else { q >= self.hi }));
        }
        let owned;
        let d: &[f64] = if ncp == 1.0 {
            &self.central
        } else {
            owned = self.weights(ncp);
            &owned
        };
        let mut s = Sum::default();
        for (i, &v) in d.iter().enumerate() {
            let x = self.lo + i as u64;
            if (upper && x >= q) || (!upper && x <= q) {
                s.add(v);
            }
        }
        s.value()
    }
}

// =========================================================================================
// One proportion

/// Options of the exact binomial test, R `binom.test(x, n, p = 0.5, alternative =
/// "two.sided", conf.level = 0.95)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BinomTestOptions {
    /// Null proportion, in [0, 1] (R `p = 0.5`).
    pub p: f64,
    /// R `alternative = "two.sided"`.
    pub alternative: Alternative,
    /// R `conf.level = 0.95`.
    pub conf_level: f64,
}

impl Default for BinomTestOptions {
    fn default() -> Self {
        BinomTestOptions {
            p: 0.5,
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
        }
    }
}

/// The exact binomial test with the Clopper–Pearson interval, as R `binom.test`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BinomTest {
    /// Number of events (R `statistic`).
    pub x: u64,
    /// Number of patients (R `parameter`).
    pub n: u64,
    /// x / n (R `estimate`).
    pub estimate: f64,
    /// P value (R `p.value`).
    pub p_value: f64,
    /// Clopper–Pearson interval (R `conf.int`).
    pub conf_int: ConfInt,
    /// The null proportion (R `null.value`).
    pub null_value: f64,
    /// The alternative.
    pub alternative: Alternative,
    /// R's method name: "Exact binomial test".
    pub method: String,
}

/// The Clopper–Pearson ("exact") interval, R `binom.test(x, n, conf.level =,
/// alternative =)$conf.int`.
///
/// # Formula
/// With α = (1 − level)/2 two-sided (1 − level one-sided), the lower limit p_L solves
/// P(X ≥ x | n, p_L) = α (0 when x = 0) and the upper p_U solves P(X ≤ x | n, p_U) = α
/// (1 when x = n) — R's `qbeta(α, x, n − x + 1)` and `qbeta(1 − α, x + 1, n − x)`. The
/// roots are found to machine precision on exact binomial sums.
///
/// # Errors
/// n = 0, x > n, or a level outside (0, 1).
///
/// # References
/// Clopper CJ, Pearson ES (1934). Biometrika 26:404–413. R `binom.test`.
pub fn clopper_pearson(
    x: u64,
    n: u64,
    conf_level: f64,
    alternative: Alternative,
) -> Result<ConfInt, BinaryError> {
    check_counts("the proportion", x, n)?;
    check_conf_level(conf_level)?;
    let lower = |alpha: f64| {
        if x == 0 {
            0.0
        } else {
            solve_probability(|p| pbinom_upper_from(x, n, p) - alpha)
        }
    };
    let upper = |alpha: f64| {
        if x == n {
            1.0
        } else {
            solve_probability(|p| pbinom_lower(x, n, p) - alpha)
        }
    };
    let (lo, hi) = match alternative {
        Alternative::TwoSided => {
            let alpha = (1.0 - conf_level) / 2.0;
            (lower(alpha), upper(alpha))
        }
        Alternative::Less => (0.0, upper(1.0 - conf_level)),
        Alternative::Greater => (lower(1.0 - conf_level), 1.0),
    };
    Ok(ConfInt {
        lower: lo,
        upper: hi,
        level: conf_level,
    })
}

/// The root in [0, 1] of a monotone function of a probability, to machine precision.
fn solve_probability<F: FnMut(f64) -> f64>(f: F) -> f64 {
    match uniroot(f, 0.0, 1.0, 0.0) {
        Some(r) => r.x,
        None => f64::NAN,
    }
}

/// The exact binomial test and Clopper–Pearson interval, R `binom.test(x, n, p,
/// alternative, conf.level)`.
///
/// # Formula
/// Two-sided P = Σ P(X = i) over all i with P(X = i) ≤ P(X = x)·(1 + 10⁻⁷) (R's
/// relative tolerance for ties); one-sided P = P(X ≤ x) ("less") or P(X ≥ x)
/// ("greater"). The interval is [`clopper_pearson`]. The P value is capped at 1 (R 4.2
/// can exceed 1 by an ulp).
///
/// # Errors
/// n = 0, x > n, p outside [0, 1], or a level outside (0, 1).
///
/// # References
/// Clopper CJ, Pearson ES (1934). Biometrika 26:404–413. R `binom.test`.
pub fn binom_test(x: u64, n: u64, options: &BinomTestOptions) -> Result<BinomTest, BinaryError> {
    check_counts("the proportion", x, n)?;
    check_conf_level(options.conf_level)?;
    let p = options.p;
    if !(0.0..=1.0).contains(&p) {
        return Err(BinaryError::InvalidNullProportion {
            value: p,
            allowed: "[0, 1]".into(),
        });
    }
    let p_value = match options.alternative {
        Alternative::Less => pbinom_lower(x, n, p),
        Alternative::Greater => pbinom_upper_from(x, n, p),
        Alternative::TwoSided => binom_two_sided(x, n, p),
    }
    .min(1.0);
    Ok(BinomTest {
        x,
        n,
        estimate: x as f64 / n as f64,
        p_value,
        conf_int: clopper_pearson(x, n, options.conf_level, options.alternative)?,
        null_value: p,
        alternative: options.alternative,
        method: "Exact binomial test".into(),
    })
}

fn binom_two_sided(x: u64, n: u64, p: f64) -> f64 {
    if p == 0.0 {
        return f64::from(u8::from(x == 0));
    }
    if p == 1.0 {
        return f64::from(u8::from(x == n));
    }
    const REL_ERR: f64 = 1.0 + 1e-7;
    let q = 1.0 - p;
    let d = dbinom(x, n, p, q) * REL_ERR;
    let m = n as f64 * p;
    let xf = x as f64;
    if xf == m {
        1.0
    } else if xf < m {
        // y = #{i ≥ ceil(m): P(i) ≤ d}; P = P(X ≤ x) + P(X > n − y). The binomial is
        // non-increasing from ceil(m) on, so the i with P(i) ≤ d form a tail [i*, n]: find
        // i* by bisection instead of R's scan (same count).
        let start = m.ceil() as u64;
        let first = first_true(start, n + 1, |i| dbinom(i, n, p, q) <= d);
        let y = n + 1 - first;
        pbinom_lower(x, n, p) + pbinom_upper_from(n - y + 1, n, p)
    } else {
        // y = #{i ≤ floor(m): P(i) ≤ d}; P = P(X ≤ y − 1) + P(X ≥ x). Non-decreasing up to
        // floor(m), so those i form a head [0, y).
        let end = m.floor() as u64;
        let y = first_true(0, end + 1, |i| dbinom(i, n, p, q) > d);
        let low = if y == 0 {
            0.0
        } else {
            pbinom_lower(y - 1, n, p)
        };
        low + pbinom_upper_from(x, n, p)
    }
}

/// The first i in [lo, hi) where the monotone predicate `f` (false…false true…true) holds,
/// or `hi` when it never does.
fn first_true<F: Fn(u64) -> bool>(mut lo: u64, mut hi: u64, f: F) -> u64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if f(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// The Wilson score interval with continuity correction `yates` (0 for none, ½ for
/// Newcombe's corrected interval), as R `prop.test` computes it for one proportion.
///
/// # Formula
/// With z = Φ⁻¹((1 + level)/2) two-sided (Φ⁻¹(level) one-sided), p̂ = x/n and
/// p_c = p̂ ± yates/n:
///
/// limit = (p_c + z²/2n ± z √(p_c(1 − p_c)/n + z²/4n²)) / (1 + z²/n),
///
/// the upper limit 1 when p̂ + yates/n ≥ 1 and the lower 0 when p̂ − yates/n ≤ 0. With
/// yates = ½ this is Newcombe's (1998) method 4.
///
/// # Errors
/// n = 0, x > n, or a level outside (0, 1).
///
/// # References
/// Wilson EB (1927). JASA 22:209–212. Newcombe RG (1998). Stat Med 17:857–872, methods 3
/// and 4. R `prop.test(x, n, correct = )$conf.int`.
pub fn wilson(
    x: u64,
    n: u64,
    conf_level: f64,
    alternative: Alternative,
    yates: f64,
) -> Result<ConfInt, BinaryError> {
    check_counts("the proportion", x, n)?;
    check_conf_level(conf_level)?;
    let nf = n as f64;
    let est = x as f64 / nf;
    let z = match alternative {
        Alternative::TwoSided => qnorm((1.0 + conf_level) / 2.0),
        _ => qnorm(conf_level),
    };
    let z22n = z * z / (2.0 * nf);
    let pc = est + yates / nf;
    let pu = if pc >= 1.0 {
        1.0
    } else {
        (pc + z22n + z * (pc * (1.0 - pc) / nf + z22n / (2.0 * nf)).sqrt()) / (1.0 + 2.0 * z22n)
    };
    let pc = est - yates / nf;
    let pl = if pc <= 0.0 {
        0.0
    } else {
        (pc + z22n - z * (pc * (1.0 - pc) / nf + z22n / (2.0 * nf)).sqrt()) / (1.0 + 2.0 * z22n)
    };
    let (lower, upper) = match alternative {
        Alternative::TwoSided => (pl.max(0.0), pu.min(1.0)),
        Alternative::Greater => (pl.max(0.0), 1.0),
        Alternative::Less => (0.0, pu.min(1.0)),
    };
    Ok(ConfInt {
        lower,
        upper,
        level: conf_level,
    })
}

/// Options of the one-sample score test, R `prop.test(x, n, p = NULL, alternative =
/// "two.sided", conf.level = 0.95, correct = TRUE)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PropTestOptions {
    /// Null proportion, in (0, 1) (R `p = NULL`, which means 0.5 for one sample).
    pub p: f64,
    /// R `alternative = "two.sided"`.
    pub alternative: Alternative,
    /// R `conf.level = 0.95`.
    pub conf_level: f64,
    /// Yates' continuity correction (R `correct = TRUE`).
    pub correct: bool,
}

impl Default for PropTestOptions {
    fn default() -> Self {
        PropTestOptions {
            p: 0.5,
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
            correct: true,
        }
    }
}

/// The one-sample score (chi-square) test with the Wilson interval, as R `prop.test`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PropTest {
    /// Number of events.
    pub x: u64,
    /// Number of patients.
    pub n: u64,
    /// x / n (R `estimate`).
    pub estimate: f64,
    /// X-squared (R `statistic`).
    pub statistic: f64,
    /// Degrees of freedom (1).
    pub df: usize,
    /// P value (R `p.value`).
    pub p_value: f64,
    /// Wilson score interval (R `conf.int`).
    pub conf_int: ConfInt,
    /// The null proportion (R `null.value`).
    pub null_value: f64,
    /// The alternative.
    pub alternative: Alternative,
    /// The continuity correction applied: R uses min(½, |x − np|) when `correct`.
    pub correction: f64,
    /// R's method name, e.g. "1-sample proportions test with continuity correction".
    pub method: String,
    /// R's warnings, e.g. "Chi-squared approximation may be incorrect" (np or n(1 − p) < 5).
    pub warnings: Vec<String>,
}

/// The one-sample score test and Wilson interval, R `prop.test(x, n, p, alternative,
/// conf.level, correct)`.
///
/// # Formula
/// Y = min(½, |x − np|) with `correct` (0 without); X² = (|x − np| − Y)² / (np(1 − p));
/// two-sided P = P(χ²₁ > X²), one-sided P from z = sign(p̂ − p)√X². The interval is
/// [`wilson`] with correction Y — so, as in R, the "corrected" interval is uncorrected
/// when x = np exactly.
///
/// # Errors
/// n = 0, x > n, p outside (0, 1), or a level outside (0, 1).
///
/// # References
/// Wilson EB (1927). JASA 22:209–212. R `prop.test`.
pub fn prop_test(x: u64, n: u64, options: &PropTestOptions) -> Result<PropTest, BinaryError> {
    check_counts("the proportion", x, n)?;
    check_conf_level(options.conf_level)?;
    let p = options.p;
    if !(p > 0.0 && p < 1.0) {
        return Err(BinaryError::InvalidNullProportion {
            value: p,
            allowed: "(0, 1)".into(),
        });
    }
    let nf = n as f64;
    let xf = x as f64;
    let yates = if options.correct {
        0.5f64.min((xf - nf * p).abs())
    } else {
        0.0
    };
    let conf_int = wilson(x, n, options.conf_level, options.alternative, yates)?;
    let e1 = nf * p;
    let e2 = nf * (1.0 - p);
    let mut s = Sum::default();
    s.add(((xf - e1).abs() - yates).powi(2) / e1);
    s.add((((nf - xf) - e2).abs() - yates).powi(2) / e2);
    let statistic = s.value();
    let estimate = xf / nf;
    let p_value = match options.alternative {
        Alternative::TwoSided => pchisq_upper(statistic, 1),
        alt => {
            let z = sign(estimate - p) * statistic.sqrt();
            if alt == Alternative::Less {
                pnorm(z)
            } else {
                pnorm(-z)
            }
        }
    };
    let mut warnings = Vec::new();
    if e1 < 5.0 || e2 < 5.0 {
        warnings.push("Chi-squared approximation may be incorrect".to_string());
    }
    Ok(PropTest {
        x,
        n,
        estimate,
        statistic,
        df: 1,
        p_value,
        conf_int,
        null_value: p,
        alternative: options.alternative,
        correction: yates,
        method: format!(
            "1-sample proportions test {} continuity correction",
            if yates > 0.0 { "with" } else { "without" }
        ),
        warnings,
    })
}

/// R's `sign`: −1, 0 or 1.
fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// A proportion with the three intervals a report may quote.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Proportion {
    /// Number of events.
    pub x: u64,
    /// Number of patients.
    pub n: u64,
    /// x / n.
    pub estimate: f64,
    /// Clopper–Pearson exact interval, R `binom.test(x, n)$conf.int`.
    pub clopper_pearson: ConfInt,
    /// Wilson score interval, R `prop.test(x, n, correct = FALSE)$conf.int`.
    pub wilson: ConfInt,
    /// Wilson interval with continuity correction as R prints it, `prop.test(x,
    /// n)$conf.int` (correction min(½, |x − n/2|), so equal to [`Proportion::wilson`]
    /// when x = n/2).
    pub wilson_cc: ConfInt,
}

/// A proportion x/n with its Clopper–Pearson and Wilson intervals (two-sided).
///
/// # Errors
/// n = 0, x > n, or a level outside (0, 1).
///
/// # References
/// R `binom.test(x, n, conf.level = )`, `prop.test(x, n, conf.level = , correct = )`.
pub fn proportion(x: u64, n: u64, conf_level: f64) -> Result<Proportion, BinaryError> {
    let cc = prop_test(
        x,
        n,
        &PropTestOptions {
            conf_level,
            ..PropTestOptions::default()
        },
    )?;
    Ok(Proportion {
        x,
        n,
        estimate: x as f64 / n as f64,
        clopper_pearson: clopper_pearson(x, n, conf_level, Alternative::TwoSided)?,
        wilson: wilson(x, n, conf_level, Alternative::TwoSided, 0.0)?,
        wilson_cc: cc.conf_int,
    })
}

// =========================================================================================
// Two proportions

/// Events and patients in two arms: arm 1 has x₁ events of n₁, arm 2 has x₂ of n₂.
/// Comparisons are arm 1 versus arm 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TwoByTwo {
    /// Events in arm 1.
    pub x1: u64,
    /// Patients in arm 1.
    pub n1: u64,
    /// Events in arm 2.
    pub x2: u64,
    /// Patients in arm 2.
    pub n2: u64,
}

impl TwoByTwo {
    /// A validated table.
    ///
    /// # Errors
    /// A zero number of patients or more events than patients in an arm.
    pub fn new(x1: u64, n1: u64, x2: u64, n2: u64) -> Result<TwoByTwo, BinaryError> {
        let t = TwoByTwo { x1, n1, x2, n2 };
        t.validate()?;
        Ok(t)
    }

    /// Checks the counts (every method calls this, as the fields are public).
    ///
    /// # Errors
    /// As [`TwoByTwo::new`].
    pub fn validate(&self) -> Result<(), BinaryError> {
        check_counts("arm 1", self.x1, self.n1)?;
        check_counts("arm 2", self.x2, self.n2)
    }

    /// The table as R's matrix: arms in rows, event / no event in columns,
    /// `[[x1, n1 − x1], [x2, n2 − x2]]`. Call on a validated table.
    pub fn matrix(&self) -> [[u64; 2]; 2] {
        [
            [self.x1, self.n1.saturating_sub(self.x1)],
            [self.x2, self.n2.saturating_sub(self.x2)],
        ]
    }
}

/// Options of Fisher's exact test, R `fisher.test(x, alternative = "two.sided", or = 1,
/// conf.int = TRUE, conf.level = 0.95)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
fn check_table(table: &[Vec<u64>]) -> Result<(usize, usize), BinaryError> {
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
fn exact_total(table: &[Vec<u64>]) -> Result<u64, BinaryError> {
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
fn log_factorials(n: u64) -> Vec<f64> {
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
fn min_key(total: u64, caps: &[u64], lfact: &[f64]) -> f64 {
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
fn max_key(total: u64, caps: &[u64], lfact: &[f64]) -> f64 {
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
fn key_bounds(rows: &[u64], cols: &[u64], lfact: &[f64]) -> (f64, f64) {
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
fn network_p(rows: &[u64], cols: &[u64], threshold: f64, lfact: &[f64]) -> Option<(f64, u64)> {
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
fn merge_paths(paths: &mut Vec<(f64, f64)>) {
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
fn spread(
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

/// Options of Pearson's chi-square test, R `chisq.test(x, correct = TRUE)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChisqOptions {
    /// Yates' continuity correction for 2 × 2 tables (R `correct = TRUE`); ignored for
    /// larger tables, as in R.
    pub correct: bool,
}

impl Default for ChisqOptions {
    fn default() -> Self {
        ChisqOptions { correct: true }
    }
}

/// Pearson's chi-square test of independence, as R `chisq.test(matrix)`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChisqTest {
    /// X-squared (R `statistic`); `None` when a row or column total is zero (R `NaN`).
    pub statistic: Option<f64>,
    /// Degrees of freedom (r − 1)(c − 1) (R `parameter`).
    pub df: usize,
    /// P value (R `p.value`); `None` with the statistic.
    pub p_value: Option<f64>,
    /// The continuity correction used: min(½, min |O − E|) for a 2 × 2 table with
    /// `correct`, else 0.
    pub correction: f64,
    /// Expected counts under independence, row-major (R `expected`).
    pub expected: Vec<Vec<f64>>,
    /// The smallest expected count.
    pub min_expected: f64,
    /// R's method name: "Pearson's Chi-squared test" with " with Yates' continuity
    /// correction" when a correction was applied.
    pub method: String,
    /// Warnings as R gives them ("Chi-squared approximation may be incorrect" when an
    /// expected count is below 5), plus why the statistic is undefined when it is.
    pub warnings: Vec<String>,
}

/// Pearson's chi-square test of an r × c table, R `chisq.test(matrix, correct = )`.
///
/// # Formula
/// Eᵢⱼ = Rᵢ Cⱼ / N; X² = Σ (|Oᵢⱼ − Eᵢⱼ| − Y)² / Eᵢⱼ with Y = min(½, minᵢⱼ |Oᵢⱼ − Eᵢⱼ|)
/// for a 2 × 2 table with `correct` (Yates) and Y = 0 otherwise; P = P(χ²_df > X²),
/// df = (r − 1)(c − 1). Like R, warns (as data) when an expected count is below 5.
///
/// # Errors
/// A ragged, empty or smaller than 2 × 2 table.
///
/// # References
/// Pearson K (1900). Phil Mag 50:157–175. Yates F (1934). Suppl J R Stat Soc 1:217–235.
/// R `chisq.test`.
pub fn chisq_test(table: &[Vec<u64>], options: &ChisqOptions) -> Result<ChisqTest, BinaryError> {
    let (r, c) = check_table(table)?;
    // Sums in f64, as R's: no overflow whatever the counts.
    let rows: Vec<f64> = table
        .iter()
        .map(|row| row.iter().map(|&v| v as f64).sum())
        .collect();
    let cols: Vec<f64> = (0..c)
        .map(|j| table.iter().map(|row| row[j] as f64).sum())
        .collect();
    let n: f64 = rows.iter().sum();
    let expected: Vec<Vec<f64>> = rows
        .iter()
        .map(|&ri| cols.iter().map(|&cj| ri * cj / n).collect())
        .collect();
    let min_expected = expected
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let yates = if options.correct && r == 2 && c == 2 {
        let mut y: f64 = 0.5;
        for i in 0..2 {
            for j in 0..2 {
                y = y.min((table[i][j] as f64 - expected[i][j]).abs());
            }
        }
        y
    } else {
        0.0
    };
    let df = (r - 1) * (c - 1);
    let mut warnings = Vec::new();
    if min_expected < 5.0 {
        warnings.push("Chi-squared approximation may be incorrect".to_string());
    }
    let (statistic, p_value) = if min_expected > 0.0 {
        let mut s = Sum::default();
        for i in 0..r {
            for j in 0..c {
                let e = expected[i][j];
                s.add(((table[i][j] as f64 - e).abs() - yates).powi(2) / e);
            }
        }
        let x2 = s.value();
        (Some(x2), Some(pchisq_upper(x2, df)))
    } else {
        warnings.push(
            "a row or column total is zero, so the statistic is undefined (R gives NaN)"
                .to_string(),
        );
        (None, None)
    };
    let mut method = "Pearson's Chi-squared test".to_string();
    if yates > 0.0 {
        method.push_str(" with Yates' continuity correction");
    }
    Ok(ChisqTest {
        statistic,
        df,
        p_value,
        correction: yates,
        expected,
        min_expected,
        method,
        warnings,
    })
}

/// How the interval of the risk difference is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum RiskDifferenceMethod {
    /// Newcombe's hybrid score interval from Wilson limits (1998, method 10).
    #[default]
    Newcombe,
    /// The same from continuity-corrected Wilson limits (method 11).
    NewcombeCc,
    /// Wald: d ± z √(p₁q₁/n₁ + p₂q₂/n₂) (SAS PROC FREQ's default), unbounded.
    Wald,
}

impl RiskDifferenceMethod {
    /// A name for the method, for reports.
    pub fn name(self) -> &'static str {
        match self {
            RiskDifferenceMethod::Newcombe => "Newcombe hybrid score interval (method 10)",
            RiskDifferenceMethod::NewcombeCc => {
                "Newcombe hybrid score interval with continuity correction (method 11)"
            }
            RiskDifferenceMethod::Wald => "Wald interval",
        }
    }
}

/// The difference of two proportions p₁ − p₂ with its interval.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RiskDifference {
    /// p₁ − p₂.
    pub estimate: f64,
    /// The interval.
    pub conf_int: ConfInt,
    /// How the interval was made.
    pub method: RiskDifferenceMethod,
    /// [`RiskDifferenceMethod::name`].
    pub method_name: String,
}

/// The risk difference p₁ − p₂ with Newcombe's hybrid score interval (or Wald).
///
/// # Formula
/// With Wilson limits (lᵢ, uᵢ) of each arm at the same level (continuity-corrected for
/// method 11, [`wilson`] with ½) and d = p₁ − p₂:
///
/// L = d − √((p₁ − l₁)² + (u₂ − p₂)²), U = d + √((u₁ − p₁)² + (p₂ − l₂)²).
///
/// Wald: d ± z √(p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂). Newcombe's limits are defined for every
/// table, zero cells included, and stay within [−1, 1].
///
/// # Errors
/// Invalid counts or a level outside (0, 1).
///
/// # References
/// Newcombe RG (1998). Interval estimation for the difference between independent
/// proportions: comparison of eleven methods. Stat Med 17:873–890 (methods 10 and 11;
/// methods 1 for Wald).
pub fn risk_difference(
    t: &TwoByTwo,
    conf_level: f64,
    method: RiskDifferenceMethod,
) -> Result<RiskDifference, BinaryError> {
    t.validate()?;
    check_conf_level(conf_level)?;
    let p1 = t.x1 as f64 / t.n1 as f64;
    let p2 = t.x2 as f64 / t.n2 as f64;
    let d = p1 - p2;
    let (lower, upper) = match method {
        RiskDifferenceMethod::Newcombe | RiskDifferenceMethod::NewcombeCc => {
            let y = if method == RiskDifferenceMethod::NewcombeCc {
                0.5
            } else {
                0.0
            };
            let w1 = wilson(t.x1, t.n1, conf_level, Alternative::TwoSided, y)?;
            let w2 = wilson(t.x2, t.n2, conf_level, Alternative::TwoSided, y)?;
            (
                d - ((p1 - w1.lower).powi(2) + (w2.upper - p2).powi(2)).sqrt(),
                d + ((w1.upper - p1).powi(2) + (p2 - w2.lower).powi(2)).sqrt(),
            )
        }
        RiskDifferenceMethod::Wald => {
            let z = qnorm((1.0 + conf_level) / 2.0);
            let se = (p1 * (1.0 - p1) / t.n1 as f64 + p2 * (1.0 - p2) / t.n2 as f64).sqrt();
            (d - z * se, d + z * se)
        }
    };
    Ok(RiskDifference {
        estimate: d,
        conf_int: ConfInt {
            lower,
            upper,
            level: conf_level,
        },
        method,
        method_name: method.name().into(),
    })
}

/// What to do when a cell of the 2 × 2 table is zero for the Wald ratio intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ZeroCellCorrection {
    /// No correction: an interval that would divide by a zero cell is not given (R
    /// `epitools::riskratio.wald` / `oddsratio.wald` print `NaN`/`Inf` limits there).
    #[default]
    None,
    /// Add ½ to all four cells when any cell is zero (Haldane–Anscombe), as
    /// `metafor::escalc(measure = "RR"/"OR", add = 1/2, to = "only0")`.
    AddHalf,
}

/// Options of the Wald ratio intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RatioOptions {
    /// R `epitools::riskratio.wald(conf.level = 0.95)`.
    pub conf_level: f64,
    /// What to do with a zero cell (default: nothing, and no interval).
    pub zero_cell: ZeroCellCorrection,
}

impl Default for RatioOptions {
    fn default() -> Self {
        RatioOptions {
            conf_level: 0.95,
            zero_cell: ZeroCellCorrection::None,
        }
    }
}

/// A ratio (risk ratio or odds ratio) with a Wald interval on the log scale.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RatioEstimate {
    /// The ratio, arm 1 over arm 2; 0 or `f64::INFINITY` when only one side is zero,
    /// `None` when both are (0/0).
    pub estimate: Option<f64>,
    /// Standard error of the log ratio, when defined.
    pub log_se: Option<f64>,
    /// The interval exp(log ratio ± z·SE), when defined.
    pub conf_int: Option<ConfInt>,
    /// True when ½ was added to every cell ([`ZeroCellCorrection::AddHalf`] and a zero cell).
    pub corrected: bool,
    /// The method, e.g. "risk ratio, Wald interval on the log scale (Katz)".
    pub method: String,
    /// Why the interval is missing, when it is.
    pub note: Option<String>,
}

/// a/b with the conventions of [`RatioEstimate::estimate`].
fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        if num == 0.0 {
            None
        } else {
            Some(f64::INFINITY)
        }
    } else {
        Some(num / den)
    }
}

/// The cells (a, b, c, d) = (x₁, n₁ − x₁, x₂, n₂ − x₂), with ½ added to each when asked
/// and one is zero; returns whether it was added.
fn cells(t: &TwoByTwo, zero: ZeroCellCorrection) -> ([f64; 4], bool) {
    let [[a, b], [c, d]] = t.matrix();
    let mut v = [a as f64, b as f64, c as f64, d as f64];
    let add = zero == ZeroCellCorrection::AddHalf && v.contains(&0.0);
    if add {
        for x in v.iter_mut() {
            *x += 0.5;
        }
    }
    (v, add)
}

fn wald_ratio(
    est: Option<f64>,
    log_se: Option<f64>,
    conf_level: f64,
) -> (Option<ConfInt>, Option<f64>) {
    match (est, log_se) {
        (Some(e), Some(se)) if e > 0.0 && e.is_finite() && se.is_finite() => {
            let z = qnorm((1.0 + conf_level) / 2.0);
            let l = e.ln();
            (
                Some(ConfInt {
                    lower: (l - z * se).exp(),
                    upper: (l + z * se).exp(),
                    level: conf_level,
                }),
                Some(se),
            )
        }
        _ => (None, None),
    }
}

/// The risk ratio p₁/p₂ with the Wald interval on the log scale (Katz).
///
/// # Formula
/// RR = (a/n₁)/(c/n₂); SE(ln RR) = √(1/a − 1/n₁ + 1/c − 1/n₂); limits
/// exp(ln RR ± z·SE), z = Φ⁻¹((1 + level)/2). Undefined when a = 0 or c = 0: then no
/// interval is given (with a note) unless [`ZeroCellCorrection::AddHalf`], which adds ½
/// to all four cells (n grows by 1) when any is zero.
///
/// # Errors
/// Invalid counts or a level outside (0, 1).
///
/// # References
/// Katz D, Baptista J, Azen SP, Pike MC (1978). Biometrics 34:469–474.
/// R `epitools::riskratio.wald`; with the correction `metafor::escalc("RR", add = 1/2,
/// to = "only0")`.
pub fn risk_ratio(t: &TwoByTwo, options: &RatioOptions) -> Result<RatioEstimate, BinaryError> {
    t.validate()?;
    check_conf_level(options.conf_level)?;
    let ([a, b, c, d], corrected) = cells(t, options.zero_cell);
    let (n1, n2) = (a + b, c + d);
    let estimate = ratio(a / n1, c / n2);
    let log_se = if a > 0.0 && c > 0.0 {
        Some((1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).sqrt())
    } else {
        None
    };
    let (conf_int, log_se) = wald_ratio(estimate, log_se, options.conf_level);
    let note = conf_int.is_none().then(|| {
        "no interval: an arm has no events, so the log risk ratio's standard error is \
         undefined; add ½ to every cell (zero-cell correction) or quote the risk difference"
            .to_string()
    });
    Ok(RatioEstimate {
        estimate,
        log_se,
        conf_int,
        corrected,
        method: "risk ratio, Wald interval on the log scale (Katz)".into(),
        note,
    })
}

/// The odds ratio (a·d)/(b·c) with the Wald interval on the log scale (Woolf).
///
/// # Formula
/// OR = (a d)/(b c) with a = x₁, b = n₁ − x₁, c = x₂, d = n₂ − x₂;
/// SE(ln OR) = √(1/a + 1/b + 1/c + 1/d); limits exp(ln OR ± z·SE). Undefined when a
/// cell is zero: then no interval (with a note) unless [`ZeroCellCorrection::AddHalf`].
/// This is the unconditional (sample) odds ratio; [`fisher_test`] gives the conditional
/// MLE and its exact interval.
///
/// # Errors
/// Invalid counts or a level outside (0, 1).
///
/// # References
/// Woolf B (1955). Ann Hum Genet 19:251–253. Haldane JBS (1956). Ann Hum Genet 20:309–311.
/// R `epitools::oddsratio.wald`; with the correction `metafor::escalc("OR", add = 1/2,
/// to = "only0")`.
pub fn odds_ratio(t: &TwoByTwo, options: &RatioOptions) -> Result<RatioEstimate, BinaryError> {
    t.validate()?;
    check_conf_level(options.conf_level)?;
    let ([a, b, c, d], corrected) = cells(t, options.zero_cell);
    let estimate = ratio(a * d, b * c);
    let log_se = if a > 0.0 && b > 0.0 && c > 0.0 && d > 0.0 {
        Some((1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt())
    } else {
        None
    };
    let (conf_int, log_se) = wald_ratio(estimate, log_se, options.conf_level);
    let note = conf_int.is_none().then(|| {
        "no interval: a cell of the 2 × 2 table is zero, so the log odds ratio's standard \
         error is undefined; add ½ to every cell (zero-cell correction) or quote Fisher's \
         exact interval"
            .to_string()
    });
    Ok(RatioEstimate {
        estimate,
        log_se,
        conf_int,
        corrected,
        method: "odds ratio, Wald interval on the log scale (Woolf)".into(),
        note,
    })
}

/// Options of [`compare_proportions`]. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BinaryOptions {
    /// Level of every interval (R `conf.level = 0.95`).
    pub conf_level: f64,
    /// Root tolerance of Fisher's estimate and limits ([`FisherOptions::root_tol`]).
    pub fisher_root_tol: f64,
    /// Interval of the risk difference.
    pub risk_difference: RiskDifferenceMethod,
    /// Zero-cell handling of the ratio intervals.
    pub zero_cell: ZeroCellCorrection,
}

impl Default for BinaryOptions {
    fn default() -> Self {
        BinaryOptions {
            conf_level: 0.95,
            fisher_root_tol: R_UNIROOT_TOL,
            risk_difference: RiskDifferenceMethod::Newcombe,
            zero_cell: ZeroCellCorrection::None,
        }
    }
}

/// Everything a report needs about a binary endpoint in two arms.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BinaryComparison {
    /// The counts.
    pub table: TwoByTwo,
    /// Arm 1's proportion and intervals.
    pub arm1: Proportion,
    /// Arm 2's proportion and intervals.
    pub arm2: Proportion,
    /// Fisher's exact test (two-sided) with the conditional MLE odds ratio.
    pub fisher: FisherTest,
    /// Pearson's chi-square with Yates' correction (R `chisq.test` default for 2 × 2).
    pub chisq_corrected: ChisqTest,
    /// Pearson's chi-square without correction (R `correct = FALSE`).
    pub chisq_uncorrected: ChisqTest,
    /// p₁ − p₂ with its interval.
    pub risk_difference: RiskDifference,
    /// p₁/p₂ with the Katz interval.
    pub risk_ratio: RatioEstimate,
    /// The sample odds ratio with the Woolf interval.
    pub odds_ratio: RatioEstimate,
    /// The options used.
    pub options: BinaryOptions,
}

/// Compares two proportions every way a trial report may: both proportions with their
/// intervals, Fisher's exact test, the chi-square test with and without Yates'
/// correction, the risk difference, the risk ratio and the odds ratio.
///
/// # Errors
/// Invalid counts or options, or more than [`EXACT_MAX_TOTAL`] patients in all (Fisher's
/// test).
///
/// # Examples
/// The reference trial's objective response, 13/32 versus 1/32:
/// ```
/// use survcalc_core::binary::{compare_proportions, BinaryOptions, TwoByTwo};
/// let t = TwoByTwo::new(13, 32, 1, 32).unwrap();
/// let r = compare_proportions(&t, &BinaryOptions::default()).unwrap();
/// assert!(r.fisher.p_value < 0.001); // R: 0.000484
/// assert_eq!(format!("{:.1}", r.fisher.estimate), "20.3"); // conditional MLE odds ratio
/// let ci = r.arm1.clopper_pearson;
/// assert_eq!(format!("{:.3}, {:.3}", ci.lower, ci.upper), "0.237, 0.594");
/// ```
///
/// # References
/// See the functions called: [`proportion`], [`fisher_test`], [`chisq_test`],
/// [`risk_difference`], [`risk_ratio`], [`odds_ratio`].
pub fn compare_proportions(
    t: &TwoByTwo,
    options: &BinaryOptions,
) -> Result<BinaryComparison, BinaryError> {
    t.validate()?;
    let level = options.conf_level;
    let m = t.matrix();
    let table = vec![m[0].to_vec(), m[1].to_vec()];
    let ratio_options = RatioOptions {
        conf_level: level,
        zero_cell: options.zero_cell,
    };
    Ok(BinaryComparison {
        table: *t,
        arm1: proportion(t.x1, t.n1, level)?,
        arm2: proportion(t.x2, t.n2, level)?,
        fisher: fisher_test(
            t,
            &FisherOptions {
                conf_level: level,
                root_tol: options.fisher_root_tol,
                ..FisherOptions::default()
            },
        )?,
        chisq_corrected: chisq_test(&table, &ChisqOptions { correct: true })?,
        chisq_uncorrected: chisq_test(&table, &ChisqOptions { correct: false })?,
        risk_difference: risk_difference(t, level, options.risk_difference)?,
        risk_ratio: risk_ratio(t, &ratio_options)?,
        odds_ratio: odds_ratio(t, &ratio_options)?,
        options: *options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbinom_sums_to_one_and_matches_direct_formula() {
        for &(n, p) in &[(10u64, 0.3), (200, 0.01), (5000, 0.47)] {
            let s: f64 = (0..=n).map(|i| dbinom(i, n, p, 1.0 - p)).sum();
            assert!((s - 1.0).abs() < 1e-13, "n={n} p={p}: sum {s}");
        }
        // Bin(5, 0.5): P(X = 2) = 10/32.
        assert!((dbinom(2, 5, 0.5, 0.5) - 10.0 / 32.0).abs() < 1e-16);
    }

    #[test]
    fn stirlerr_table_agrees_with_definition() {
        let mut lf = 0.0f64;
        for n in 1..=15u64 {
            lf += (n as f64).ln();
            let nf = n as f64;
            let direct = lf - (nf + 0.5) * nf.ln() + nf - 0.5 * (2.0 * std::f64::consts::PI).ln();
            assert!((stirlerr(nf) - direct).abs() < 1e-13, "n = {n}");
        }
    }

    #[test]
    fn hypergeometric_is_symmetric_and_normalised() {
        let h = Hyper::new(10, 10, 10);
        let s: f64 = h.central.iter().sum();
        assert!((s - 1.0).abs() < 1e-15);
        for i in 0..h.central.len() {
            assert_eq!(h.central[i], h.central[h.central.len() - 1 - i]);
        }
        assert!((h.mean(1.0) - 5.0).abs() < 1e-14);
    }

    #[test]
    fn zeroin_finds_sqrt2() {
        let r = uniroot(|x| x * x - 2.0, 0.0, 2.0, 0.0).expect("bracketed");
        assert!((r.x - std::f64::consts::SQRT_2).abs() < 1e-15);
    }

    #[test]
    fn fisher_table_2x3_sums_to_one_over_all_tables() {
        // Every table is at least as extreme as the least likely one.
        let t = vec![vec![3, 1, 0], vec![0, 2, 4]];
        let p = fisher_test_table(&t).expect("valid").p_value;
        assert!(p > 0.0 && p < 1.0);
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            TwoByTwo::new(5, 4, 0, 3),
            Err(BinaryError::CountExceedsTotal {
                what: "arm 1".into(),
                x: 5,
                n: 4
            })
        );
        assert!(matches!(
            proportion(1, 2, 1.5),
            Err(BinaryError::InvalidConfLevel { .. })
        ));
        assert!(matches!(
            chisq_test(&[vec![1, 2], vec![3]], &ChisqOptions::default()),
            Err(BinaryError::RaggedTable { row: 1, .. })
        ));
    }
}
