//! Every pair of groups by its own two-group test, with P adjusted over the pairs.

use super::*;

// ---------------------------------------------------------------------------------------
// Pairwise comparisons

/// Options of [`pairwise_log_rank`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PairwiseOptions {
    /// The weight of each two-group test (R `pairwise_survdiff(rho = )`); default log-rank.
    pub weight: Weight,
}

/// One pair of groups, re-analysed on its own two groups' observations.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PairwiseComparison {
    /// The earlier group in level order.
    pub group_a: String,
    /// The later group in level order.
    pub group_b: String,
    /// Observations in each of the two groups.
    pub n: [usize; 2],
    /// Chi-square of the two-group test.
    pub chisq: f64,
    /// Degrees of freedom: always 1, as `pairwise_survdiff` (so a pair in which one group
    /// has no one at risk at any event time has χ² = 0 and P = 1).
    pub df: usize,
    /// Unadjusted P value.
    pub p_value: f64,
    /// Holm-adjusted P (R `p.adjust(method = "holm")` over all pairs).
    pub p_holm: f64,
    /// Bonferroni-adjusted P.
    pub p_bonferroni: f64,
    /// Benjamini–Hochberg-adjusted P (`pairwise_survdiff`'s default).
    pub p_bh: f64,
}

/// All pairwise comparisons.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PairwiseLogRank {
    /// The method in words.
    pub method: String,
    /// The weight of each test.
    pub weight: Weight,
    /// Pairs (a, b) with a before b in level order: (1, 2), (1, 3), …, (2, 3), …; groups
    /// without observations are left out (R `droplevels`).
    pub comparisons: Vec<PairwiseComparison>,
}

/// Every pair of groups compared by its own two-group test on the observations of those two
/// groups only (risk sets and weights from that subset), with P values adjusted over all
/// pairs, R `survminer::pairwise_survdiff(Surv(time, status) ~ group, rho = ρ,
/// p.adjust.method = )` with `p.adjust` methods holm, bonferroni and BH.
///
/// Cost: one sort, then O(n + m·4) per pair.
///
/// # Errors
/// [`CompareError::InvalidWeight`] as [`weighted_log_rank`].
pub fn pairwise_log_rank(
    data: &SurvData,
    options: &PairwiseOptions,
) -> Result<PairwiseLogRank, CompareError> {
    options.weight.validate()?;
    let k = data.n_groups();
    let mut present = vec![false; k];
    for &g in data.group() {
        present[g] = true;
    }
    let levels: Vec<usize> = (0..k).filter(|&g| present[g]).collect();
    let mut comparisons = Vec::new();
    for (x, &a) in levels.iter().enumerate() {
        for &b in &levels[x + 1..] {
            let map = |g: usize| match g {
                g if g == a => Some(0),
                g if g == b => Some(1),
                _ => None,
            };
            let t = RiskTable::by_group(data, 2, map);
            let (chisq, _) = t.sums(&t.weights(options.weight)).chisq();
            comparisons.push(PairwiseComparison {
                group_a: data.levels()[a].clone(),
                group_b: data.levels()[b].clone(),
                n: [t.count[0], t.count[1]],
                chisq,
                df: 1,
                p_value: chi_square_sf(chisq, 1),
                p_holm: f64::NAN,
                p_bonferroni: f64::NAN,
                p_bh: f64::NAN,
            });
        }
    }
    let p: Vec<f64> = comparisons.iter().map(|c| c.p_value).collect();
    let holm = p_adjust(&p, PAdjust::Holm);
    let bonferroni = p_adjust(&p, PAdjust::Bonferroni);
    let bh = p_adjust(&p, PAdjust::BenjaminiHochberg);
    for (i, c) in comparisons.iter_mut().enumerate() {
        c.p_holm = holm[i];
        c.p_bonferroni = bonferroni[i];
        c.p_bh = bh[i];
    }
    Ok(PairwiseLogRank {
        method: format!("pairwise {}", options.weight.describe()),
        weight: options.weight,
        comparisons,
    })
}
