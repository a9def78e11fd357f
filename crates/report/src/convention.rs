//! Convention presets: one switch that sets every default the way a given program does,
//! so a user can see what R, SAS, SPSS, Stata or Prism would have printed.
//!
//! Each preset fixes the pointwise CI transform, the median CI method, Cox ties, the
//! headline test and the headline hazard-ratio method. Every result records the preset and
//! each individual choice (see [`crate::AnalysisOptions`]). Sources are listed per preset in
//! `docs/conventions.md`; where a vendor default could not be checked against that vendor's
//! software here, the doc says so.

use survcalc_stats::compare::Weight;
use survcalc_stats::cox::Ties;
use survcalc_stats::km::ConfType;
use survcalc_stats::median::MedianMethod;

/// The software whose defaults to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Convention {
    /// R `survival`: log band, band-inversion median CI, Efron ties, log-rank, Cox HR.
    #[default]
    R,
    /// SAS PROC LIFETEST / PHREG: log-log band (CONFTYPE=LOGLOG), band-inversion median CI,
    /// Breslow ties (TIES=BRESLOW), log-rank, Cox HR.
    Sas,
    /// SPSS KM / COXREG: plain (linear) band, symmetric median CI, Breslow ties, log-rank
    /// (Mantel–Cox), Cox HR.
    Spss,
    /// Stata sts / stcox: log-log band, band-inversion median CI, Breslow ties, log-rank,
    /// Cox HR.
    Stata,
    /// GraphPad Prism: log-log band ("asymmetrical"), band-inversion median CI, log-rank
    /// (Mantel–Cox), hazard ratio by the Mantel–Haenszel method.
    Prism,
}

/// How the headline hazard ratio is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum HeadlineHr {
    /// Cox proportional hazards, Wald CI (R coxph, SAS PHREG, SPSS COXREG, Stata stcox).
    #[default]
    Cox,
    /// (O₁/E₁)/(O₀/E₀) from the log-rank test (Prism "logrank").
    LogRankOe,
    /// exp((O₁ − E₁)/V) (Prism "Mantel–Haenszel").
    MantelHaenszel,
}

/// The choices a convention makes.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ConventionChoices {
    /// Pointwise CI transform.
    pub conf_type: ConfType,
    /// Which median CI is headlined.
    pub median_method: MedianMethod,
    /// Cox tie handling.
    pub ties: Ties,
    /// The headline test of curves.
    pub test: Weight,
    /// The headline hazard-ratio method.
    pub hr: HeadlineHr,
    /// Whether near-tied times are tied (R's `timefix`; the others compare the doubles).
    pub timefix: bool,
}

impl Convention {
    /// All presets, in menu order.
    pub const ALL: [Convention; 5] = [
        Convention::R,
        Convention::Sas,
        Convention::Spss,
        Convention::Stata,
        Convention::Prism,
    ];

    /// The choices of this convention.
    pub fn choices(self) -> ConventionChoices {
        use Convention::*;
        let (conf_type, median_method, ties, hr) = match self {
            R => (
                ConfType::Log,
                MedianMethod::RBandInversion,
                Ties::Efron,
                HeadlineHr::Cox,
            ),
            Sas => (
                ConfType::LogLog,
                MedianMethod::RBandInversion,
                Ties::Breslow,
                HeadlineHr::Cox,
            ),
            Spss => (
                ConfType::Plain,
                MedianMethod::SpssSymmetric,
                Ties::Breslow,
                HeadlineHr::Cox,
            ),
            Stata => (
                ConfType::LogLog,
                MedianMethod::RBandInversion,
                Ties::Breslow,
                HeadlineHr::Cox,
            ),
            Prism => (
                ConfType::LogLog,
                MedianMethod::RBandInversion,
                Ties::Breslow,
                HeadlineHr::MantelHaenszel,
            ),
        };
        ConventionChoices {
            conf_type,
            median_method,
            ties,
            test: Weight::LogRank,
            hr,
            // Only R merges near-ties (aeqSurv); SAS, SPSS, Stata and Prism compare the
            // stored doubles as they are (docs/conventions.md).
            timefix: self == R,
        }
    }

    /// The program's name as users know it.
    pub fn label(self) -> &'static str {
        match self {
            Convention::R => "R (survival)",
            Convention::Sas => "SAS",
            Convention::Spss => "SPSS",
            Convention::Stata => "Stata",
            Convention::Prism => "GraphPad Prism",
        }
    }

    /// Parses "r", "sas", "spss", "stata", "prism" (any case).
    pub fn from_name(s: &str) -> Option<Convention> {
        Convention::ALL
            .into_iter()
            .find(|c| format!("{c:?}").eq_ignore_ascii_case(s.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_is_the_default_and_matches_r() {
        let c = Convention::default().choices();
        assert_eq!(c.conf_type, ConfType::Log);
        assert_eq!(c.ties, Ties::Efron);
        assert_eq!(c.hr, HeadlineHr::Cox);
    }

    #[test]
    fn names_round_trip() {
        for c in Convention::ALL {
            assert_eq!(
                Convention::from_name(&format!("{c:?}").to_lowercase()),
                Some(c)
            );
        }
        assert_eq!(Convention::from_name("minitab"), None);
    }

    #[test]
    fn spss_uses_the_symmetric_median() {
        assert_eq!(
            Convention::Spss.choices().median_method,
            MedianMethod::SpssSymmetric
        );
        assert_eq!(Convention::Sas.choices().conf_type, ConfType::LogLog);
    }
}
