//! Comparing survival curves beyond the plain log-rank test: the weighted log-rank family
//! (Peto–Peto, Fleming–Harrington G(ρ, γ), Gehan–Breslow, Tarone–Ware, …), the stratified
//! test, the test for trend over ordered groups, pairwise comparisons with multiplicity
//! adjustment, and the MaxCombo test for non-proportional hazards.
//!
//! # Formula
//! At each distinct event time t_i of the (sub)sample being compared, with n_i at risk and
//! d_i events in all and n_ig, d_ig in group g, and a weight w_i (see [`Weight`]):
//!
//! * O_g = Σ w_i d_ig, E_g = Σ w_i d_i n_ig / n_i
//! * V_gh = Σ w_i² d_i (n_i − d_i)/(n_i − 1) · (n_ig/n_i)(δ_gh − n_ih/n_i)  (hypergeometric;
//!   times with n_i = 1 add nothing)
//! * χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with E_g > 0 except the first of them, on
//!   (their number − 1) degrees of freedom — R `survdiff`'s rule.
//!
//! Stratified tests add O − E and V over strata, each stratum with its own risk sets and
//! weights (R `survdiff(... + strata(s))`). The trend test is U = Σ_g s_g (O_g − E_g),
//! Var U = sᵀ V s, χ² = U²/Var U on 1 df. MaxCombo takes the largest |Z| of several
//! G(ρ, γ) statistics of two groups, with Cov(U_a, U_b) = Σ_i w_ai w_bi v_i, and its P
//! value from the multivariate normal ([`mvn`]).
//!
//! Cost: one O(n log n) sort of the times; then every test is linear in n plus O(m·k²) for
//! m distinct event times and k groups (pairwise: that for each of the k(k−1)/2 pairs).
//!
//! # Differences from other software
//! * "Peto–Peto": R `survdiff(rho = 1)` weights by the pooled Kaplan–Meier Ŝ(t−)
//!   ([`Weight::PetoPeto`]); Klein & Moeschberger and SAS use S̃(t) = Π_{t_j ≤ t}
//!   (1 − d_j/(n_j + 1)) ([`Weight::PetoPetoTilde`]), and Andersen et al.'s modified test
//!   S̃(t) n/(n + 1) ([`Weight::ModifiedPetoPeto`]). All three are offered, each named.
//! * R `coin::logrank_test` standardises with the permutation variance of its linear
//!   statistic (conditional on all scores), not this hypergeometric variance, so its
//!   statistics differ (by ~0.1–20% on the test data sets, most with ties or small arms).
//! * `survMisc::comp` agrees to 1e-14 on data without tied event times, but uses a different
//!   variance with ties (also for the plain log-rank test, where we equal `survdiff`).
//! * MaxCombo here is two-sided (max |Z|); implementations written for one-sided
//!   (group-sequential) designs use min Z instead.
//!
//! # References
//! Klein JP, Moeschberger ML (2003). Survival Analysis, 2nd ed., Springer: §7.3 (weighted
//! tests), §7.4 (trend), §7.5 (stratified). Harrington DP, Fleming TR (1982). Biometrika
//! 69:553–566. Peto R, Peto J (1972). J R Stat Soc A 135:185–207. Andersen PK, Borgan Ø,
//! Gill RD, Keiding N (1982). Int Stat Rev 50:219–258. Gehan EA (1965). Biometrika
//! 52:203–223; Breslow N (1970). Biometrika 57:579–594. Tarone RE, Ware J (1977).
//! Biometrika 64:156–160. Lee S-H (2007). On the versatility of the combination of the
//! weighted log-rank statistics. Comput Stat Data Anal 51:6557–6564 (MaxCombo). R
//! `survival::survdiff`, `survminer::pairwise_survdiff`, `stats::p.adjust`,
//! `mvtnorm::pmvnorm`.

pub mod adjust;
pub mod hr_methods;
pub mod logrank;
mod maxcombo;
pub mod mvn;
mod pairwise;
mod risk_table;
mod trend;
mod weighted;

pub use maxcombo::*;
pub use pairwise::*;
use risk_table::*;
pub use trend::*;
pub use weighted::*;

pub use adjust::{p_adjust, PAdjust};
pub use mvn::{mvn_rectangle, MvnOptions, MvnProbability};

use crate::data::SurvData;
use crate::logrank::chi_square_sf;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;
use std::fmt;

// ---------------------------------------------------------------------------------------
// Weights

/// The weight w(t) given to each distinct event time. Ŝ(t−) is the Kaplan–Meier estimate
/// of the pooled sample (of the stratum, in a stratified test) just before t; n is the
/// number at risk at t.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum Weight {
    /// w = 1: the log-rank (Mantel–Haenszel) test, R `survdiff(rho = 0)`.
    #[default]
    LogRank,
    /// w = Ŝ(t−), the pooled Kaplan–Meier just before t: what R calls the "Peto & Peto
    /// modification of the Gehan–Wilcoxon test", `survdiff(rho = 1)` (= G(1, 0)).
    ///
    /// Not the same as [`Weight::PetoPetoTilde`] (Klein & Moeschberger's and SAS's
    /// "Peto–Peto", built on S̃ with n + 1 in the denominator and including t itself) nor as
    /// [`Weight::ModifiedPetoPeto`]; with few ties and many at risk the three are close.
    PetoPeto,
    /// w = S̃(t) = Π_{t_j ≤ t} (1 − d_j/(n_j + 1)): Peto & Peto's estimator as Klein &
    /// Moeschberger §7.3 and SAS PROC LIFETEST (TEST = PETO) define the Peto–Peto test.
    PetoPetoTilde,
    /// w = S̃(t) n/(n + 1): the modified Peto–Peto test of Andersen et al. (1982), Klein &
    /// Moeschberger §7.3 (SAS TEST = MODPETO).
    ModifiedPetoPeto,
    /// w = Ŝ(t−)^ρ (1 − Ŝ(t−))^γ: the Fleming–Harrington G(ρ, γ) family. γ = 0 is R
    /// `survdiff(rho = ρ)`; G(0, 1) weights late differences, G(1, 0) early ones.
    FlemingHarrington {
        /// ρ ≥ 0, the power of Ŝ(t−).
        rho: f64,
        /// γ ≥ 0, the power of 1 − Ŝ(t−).
        gamma: f64,
    },
    /// w = n: the Gehan–Breslow generalised Wilcoxon test (SAS TEST = WILCOXON, Prism's
    /// "Gehan–Breslow–Wilcoxon").
    GehanBreslow,
    /// w = √n: the Tarone–Ware test.
    TaroneWare,
}

impl Weight {
    /// The method in words, with the weight and, where there is one, the R call it equals.
    pub fn describe(&self) -> String {
        match *self {
            Weight::LogRank => "log-rank test, w(t) = 1 (R survdiff, rho = 0)".into(),
            Weight::PetoPeto => "Peto–Peto test as R survdiff(rho = 1): w(t) = pooled \
                 Kaplan–Meier S(t−)"
                .into(),
            Weight::PetoPetoTilde => "Peto–Peto test with w(t) = Π_{tj ≤ t} (1 − dj/(nj + 1)) \
                 (Klein & Moeschberger §7.3)"
                .into(),
            Weight::ModifiedPetoPeto => "modified Peto–Peto test (Andersen et al. 1982), \
                 w(t) = Π_{tj ≤ t} (1 − dj/(nj + 1)) · n/(n + 1)"
                .into(),
            Weight::FlemingHarrington { rho, gamma } => {
                let r = if gamma == 0.0 {
                    format!(" (R survdiff, rho = {rho})")
                } else {
                    String::new()
                };
                format!(
                    "Fleming–Harrington G({rho}, {gamma}) test, w(t) = S(t−)^{rho} \
                     (1 − S(t−))^{gamma} with S the pooled Kaplan–Meier{r}"
                )
            }
            Weight::GehanBreslow => {
                "Gehan–Breslow (generalised Wilcoxon) test, w(t) = number at risk".into()
            }
            Weight::TaroneWare => "Tarone–Ware test, w(t) = √(number at risk)".into(),
        }
    }

    fn validate(&self) -> Result<(), CompareError> {
        if let Weight::FlemingHarrington { rho, gamma } = *self {
            for (parameter, value) in [("rho", rho), ("gamma", gamma)] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(CompareError::InvalidWeight {
                        parameter: parameter.into(),
                        value,
                    });
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Errors

/// What stops a comparison from being computed: options or extra inputs that do not fit the
/// data. (The data itself is a validated [`SurvData`].)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum CompareError {
    /// A Fleming–Harrington parameter is negative or not finite.
    InvalidWeight {
        /// "rho" or "gamma".
        parameter: String,
        /// The value given.
        value: f64,
    },
    /// The strata vector does not have one entry per observation.
    StrataLength {
        /// Entries given.
        strata: usize,
        /// Observations in the data.
        observations: usize,
    },
    /// The trend scores do not have one entry per group.
    ScoresLength {
        /// Scores given.
        scores: usize,
        /// Groups in the data.
        groups: usize,
    },
    /// A trend score is not finite.
    InvalidScore {
        /// Zero-based group index.
        index: usize,
        /// The value given.
        value: f64,
    },
    /// MaxCombo compares exactly two groups.
    MaxComboGroups {
        /// Groups with observations in the data.
        groups: usize,
    },
    /// MaxCombo was given no weights to combine.
    NoWeights,
    /// A multivariate normal probability was asked for with inconsistent input.
    InvalidMvn {
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::InvalidWeight { parameter, value } => write!(
                f,
                "Fleming–Harrington {parameter} = {value}: it must be a finite number ≥ 0"
            ),
            CompareError::StrataLength {
                strata,
                observations,
            } => write!(
                f,
                "{strata} strata values for {observations} observations: give one stratum per \
                 observation"
            ),
            CompareError::ScoresLength { scores, groups } => write!(
                f,
                "{scores} trend scores for {groups} groups: give one score per group, in group \
                 order"
            ),
            CompareError::InvalidScore { index, value } => write!(
                f,
                "trend score {} is {value}: scores must be finite numbers",
                index + 1
            ),
            CompareError::MaxComboGroups { groups } => write!(
                f,
                "the MaxCombo test compares two groups, but the data has {groups}; choose two \
                 groups or use pairwise comparisons"
            ),
            CompareError::NoWeights => write!(
                f,
                "the MaxCombo test needs at least one Fleming–Harrington weight"
            ),
            CompareError::InvalidMvn { reason } => {
                write!(f, "multivariate normal probability: {reason}")
            }
        }
    }
}

impl std::error::Error for CompareError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(time: &[f64], event: &[bool], group: &[&str]) -> SurvData {
        match SurvData::from_labels(time.to_vec(), event.to_vec(), group) {
            Ok(d) => d,
            Err(e) => panic!("test data invalid: {e}"),
        }
    }

    fn ok<T>(r: Result<T, CompareError>) -> T {
        match r {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn gehan_by_hand() {
        // Group a: events at 1, 3; group b: event at 2, censored at 4.
        let d = data(
            &[1.0, 3.0, 2.0, 4.0],
            &[true, true, true, false],
            &["a", "a", "b", "b"],
        );
        let r = ok(weighted_log_rank(
            &d,
            &WeightedLogRankOptions {
                weight: Weight::GehanBreslow,
            },
        ));
        // t=1: n=4 (2,2); t=2: n=3 (1,2); t=3: n=2 (1,1). w = n.
        let ob = 3.0 * 1.0;
        let eb = 4.0 * 0.5 + 3.0 * (2.0 / 3.0) + 2.0 * 0.5;
        let v = 16.0 * 0.25 + 9.0 * (2.0 / 9.0) + 4.0 * 0.25;
        assert!((r.observed[1] - ob).abs() < 1e-14);
        assert!((r.expected[1] - eb).abs() < 1e-14);
        assert!((r.variance[1][1] - v).abs() < 1e-14);
        assert!((r.chisq - (ob - eb).powi(2) / v).abs() < 1e-14);
    }

    #[test]
    fn trend_of_two_groups_is_the_log_rank() {
        let d = data(
            &[1.0, 3.0, 2.0, 4.0, 5.0, 0.5, 6.0],
            &[true, true, true, false, true, true, false],
            &["a", "a", "b", "b", "a", "b", "b"],
        );
        let lr = ok(weighted_log_rank(&d, &WeightedLogRankOptions::default()));
        let tr = ok(log_rank_trend(&d, &TrendOptions::default()));
        assert!((lr.chisq - tr.chisq).abs() < 1e-12 * lr.chisq);
    }

    /// The family from one risk table equals each test on its own, and a bad weight is
    /// an error of its own test only.
    #[test]
    fn the_family_at_once_equals_each_test() {
        let d = data(
            &[1.0, 3.0, 2.0, 4.0, 5.0, 0.5, 6.0, 2.0],
            &[true, true, true, false, true, true, false, true],
            &["a", "a", "b", "b", "a", "b", "c", "c"],
        );
        let weights = [
            Weight::LogRank,
            Weight::PetoPeto,
            Weight::TaroneWare,
            Weight::FlemingHarrington {
                rho: -1.0,
                gamma: 0.0,
            },
        ];
        let all = weighted_log_ranks(&d, &weights);
        for (w, r) in weights.iter().zip(&all) {
            assert_eq!(
                r,
                &weighted_log_rank(&d, &WeightedLogRankOptions { weight: *w })
            );
        }
        assert!(all[3].is_err() && all[0].is_ok());
    }

    #[test]
    fn one_stratum_is_unstratified() {
        let d = data(
            &[1.0, 3.0, 2.0, 4.0, 5.0, 0.5, 6.0],
            &[true, true, true, false, true, true, false],
            &["a", "a", "b", "b", "a", "b", "c"],
        );
        let o = WeightedLogRankOptions {
            weight: Weight::TaroneWare,
        };
        let a = ok(weighted_log_rank(&d, &o));
        let b = ok(stratified_log_rank(&d, &[7; 7], &o));
        assert_eq!(a.chisq, b.chisq);
        assert_eq!(
            stratified_log_rank(&d, &[1, 2], &o),
            Err(CompareError::StrataLength {
                strata: 2,
                observations: 7
            })
        );
    }

    #[test]
    fn rejects_bad_options() {
        let d = data(&[1.0, 2.0, 3.0], &[true; 3], &["a", "b", "c"]);
        let bad = WeightedLogRankOptions {
            weight: Weight::FlemingHarrington {
                rho: -1.0,
                gamma: 0.0,
            },
        };
        assert!(matches!(
            weighted_log_rank(&d, &bad),
            Err(CompareError::InvalidWeight { .. })
        ));
        assert_eq!(
            max_combo(&d, &MaxComboOptions::default()),
            Err(CompareError::MaxComboGroups { groups: 3 })
        );
        let t = TrendOptions {
            weight: Weight::LogRank,
            scores: Some(vec![1.0, f64::NAN, 2.0]),
        };
        assert!(matches!(
            log_rank_trend(&d, &t),
            Err(CompareError::InvalidScore { index: 1, .. })
        ));
    }
}
