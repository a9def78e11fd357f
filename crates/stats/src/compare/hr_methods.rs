//! Hazard ratios of two groups from the log-rank quantities, as GraphPad Prism reports
//! them beside its survival curves: the "logrank" method and the "Mantel-Haenszel" method.
//!
//! # Formula
//! With O_g and E_g the observed and expected events of group g and V the hypergeometric
//! variance of O₁ − E₁ (R `survdiff`'s `obs`, `exp`, `var[2, 2]`), group 1 the
//! non-reference group and group 0 the reference:
//!
//! * log-rank: HR = (O₁/E₁)/(O₀/E₀), CI exp(log HR ± z·√(1/E₁ + 1/E₀));
//! * Mantel–Haenszel: HR = exp((O₁ − E₁)/V), CI exp((O₁ − E₁)/V ± z/√V).
//!
//! The Mantel–Haenszel estimate is the one-step estimate of the Cox coefficient from
//! β = 0; both are close to the Cox hazard ratio when it is near 1 and events are not
//! too few.
//!
//! # References
//! GraphPad Prism Statistics Guide, "Key facts about the hazard ratio" and Knowledgebase
//! article 1226 "Hazard ratio from survival analysis" (the two methods, Prism's names
//! "logrank" and "Mantel-Haenszel"). Machin D, Cheung YB, Parmar MKB (2006). Survival
//! Analysis: A Practical Approach, 2nd ed., ch. 3 (Wiley). Checked against R
//! `survival::survdiff`'s obs / exp / var with the formulas above (tests/r/cox.R).

use crate::data::SurvData;
use crate::km::z_value;
use crate::logrank::log_rank;
use std::fmt;

/// The two methods (GraphPad Prism's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum HrMethod {
    /// Prism "logrank": (O₁/E₁)/(O₀/E₀).
    LogRank,
    /// Prism "Mantel-Haenszel": exp((O₁ − E₁)/V).
    MantelHaenszel,
}

impl HrMethod {
    /// The method in words, with its formula and Prism's name for it: what the page and
    /// the command-line text print beside its hazard ratio.
    pub fn describe(self) -> &'static str {
        match self {
            HrMethod::LogRank => "log-rank O/E: (O₁/E₁)/(O₀/E₀) (Prism “logrank”)",
            HrMethod::MantelHaenszel => {
                "Mantel–Haenszel: exp((O₁ − E₁)/V) (Prism “Mantel–Haenszel”)"
            }
        }
    }
}

/// A hazard ratio with its confidence interval.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct HrEstimate {
    /// The method.
    pub method: HrMethod,
    /// The group compared.
    pub group: String,
    /// The reference group.
    pub reference: String,
    /// The hazard ratio of `group` versus `reference`.
    pub hr: f64,
    /// Standard error of log HR.
    pub se_log_hr: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Confidence level.
    pub conf_level: f64,
    /// The reciprocal hazard ratio (reference versus group), as Prism also reports it.
    pub reciprocal: f64,
}

/// Why a hazard ratio cannot be computed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum HrError {
    /// The methods compare exactly two groups.
    NotTwoGroups {
        /// The groups present.
        groups: Vec<String>,
    },
    /// A group has no observed or no expected events, so the log-rank ratio is 0 or
    /// infinite (the Mantel–Haenszel method still gives a number).
    NoEvents {
        /// The group.
        group: String,
    },
    /// The variance of O − E is 0 (no event time has both groups at risk).
    NoVariance,
}

impl fmt::Display for HrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HrError::NotTwoGroups { groups } => write!(
                f,
                "the log-rank and Mantel-Haenszel hazard ratios compare two groups; there are {} ({})",
                groups.len(),
                groups.join(", ")
            ),
            HrError::NoEvents { group } => write!(
                f,
                "group \"{group}\" has no events, so the log-rank hazard ratio is 0 or infinite"
            ),
            HrError::NoVariance => write!(
                f,
                "no event time has both groups at risk: the hazard ratio is not estimable"
            ),
        }
    }
}

impl std::error::Error for HrError {}

/// The hazard ratio of the second level of `data` versus the first (the reference) by
/// `method`, with a `conf_level` confidence interval.
///
/// Cost: that of the log-rank test, O(n log n).
///
/// # Errors
/// [`HrError::NotTwoGroups`] unless there are exactly two groups; [`HrError::NoEvents`]
/// (log-rank method) when a group has no observed or expected events;
/// [`HrError::NoVariance`] (Mantel–Haenszel) when V = 0.
pub fn hazard_ratio(
    data: &SurvData,
    method: HrMethod,
    conf_level: f64,
) -> Result<HrEstimate, HrError> {
    if data.n_groups() != 2 {
        return Err(HrError::NotTwoGroups {
            groups: data.levels().to_vec(),
        });
    }
    let lr = log_rank(data);
    let (o0, o1) = (lr.observed[0], lr.observed[1]);
    let (e0, e1) = (lr.expected[0], lr.expected[1]);
    let v = lr.variance[1][1];
    let z = z_value(conf_level);
    let (log_hr, se) = match method {
        HrMethod::LogRank => {
            for (g, (o, e)) in [(o0, e0), (o1, e1)].into_iter().enumerate() {
                if o <= 0.0 || e <= 0.0 {
                    return Err(HrError::NoEvents {
                        group: data.levels()[g].clone(),
                    });
                }
            }
            (((o1 / e1) / (o0 / e0)).ln(), (1.0 / e1 + 1.0 / e0).sqrt())
        }
        HrMethod::MantelHaenszel => {
            if v.is_nan() || v <= 0.0 {
                return Err(HrError::NoVariance);
            }
            ((o1 - e1) / v, 1.0 / v.sqrt())
        }
    };
    let hr = match method {
        HrMethod::LogRank => (o1 / e1) / (o0 / e0),
        HrMethod::MantelHaenszel => log_hr.exp(),
    };
    Ok(HrEstimate {
        method,
        group: data.levels()[1].clone(),
        reference: data.levels()[0].clone(),
        hr,
        se_log_hr: se,
        lower: (log_hr - z * se).exp(),
        upper: (log_hr + z * se).exp(),
        conf_level,
        reciprocal: 1.0 / hr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_groups_inverts_the_ratio() {
        let time = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let event = vec![true, true, false, true, true, true, false, true];
        let g = ["a", "b", "a", "b", "a", "b", "a", "b"];
        let d = SurvData::from_labels(time, event, &g).expect("valid data");
        let swapped = d.clone().with_reference("b").expect("level b");
        for m in [HrMethod::LogRank, HrMethod::MantelHaenszel] {
            let a = hazard_ratio(&d, m, 0.95).expect("estimable");
            let b = hazard_ratio(&swapped, m, 0.95).expect("estimable");
            assert!((a.hr * b.hr - 1.0).abs() < 1e-12, "{m:?}");
            assert!((a.lower * b.upper - 1.0).abs() < 1e-12, "{m:?}");
        }
    }

    #[test]
    fn three_groups_is_an_error() {
        let d = SurvData::from_labels(vec![1.0, 2.0, 3.0], vec![true; 3], &["a", "b", "c"])
            .expect("valid data");
        assert!(matches!(
            hazard_ratio(&d, HrMethod::LogRank, 0.95),
            Err(HrError::NotTwoGroups { .. })
        ));
    }
}
