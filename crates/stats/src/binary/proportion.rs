//! One proportion: Clopper–Pearson and Wilson intervals, the exact binomial test
//! (`binom.test`) and the one-sample score test (`prop.test`).

use super::*;

// =========================================================================================
// One proportion

/// Options of the exact binomial test, R `binom.test(x, n, p = 0.5, alternative =
/// "two.sided", conf.level = 0.95)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
pub(super) fn solve_probability<F: FnMut(f64) -> f64>(f: F) -> f64 {
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

pub(super) fn binom_two_sided(x: u64, n: u64, p: f64) -> f64 {
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
pub(super) fn first_true<F: Fn(u64) -> bool>(mut lo: u64, mut hi: u64, f: F) -> u64 {
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
pub(super) fn sign(v: f64) -> f64 {
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
