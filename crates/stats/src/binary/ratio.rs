//! The risk difference (Newcombe's hybrid score interval), the risk ratio and the odds
//! ratio with their intervals.

use super::*;

/// How the interval of the risk difference is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
pub(super) fn ratio(num: f64, den: f64) -> Option<f64> {
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
pub(super) fn cells(t: &TwoByTwo, zero: ZeroCellCorrection) -> ([f64; 4], bool) {
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

pub(super) fn wald_ratio(
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
