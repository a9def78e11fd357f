//! The (weighted, optionally stratified) log-rank test for trend over ordered groups.

use super::*;

// ---------------------------------------------------------------------------------------
// Trend

/// Options of [`log_rank_trend`].
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TrendOptions {
    /// The weight; default log-rank.
    pub weight: Weight,
    /// One score per group in level order; `None` is 1, 2, …, k (as SAS LIFETEST
    /// TREND and `survMisc::comp`).
    pub scores: Option<Vec<f64>>,
}

/// The result of the log-rank test for trend.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LogRankTrend {
    /// The method in words.
    pub method: String,
    /// The weight used.
    pub weight: Weight,
    /// Group labels, in level order.
    pub groups: Vec<String>,
    /// The scores used, one per group.
    pub scores: Vec<f64>,
    /// Weighted observed events per group.
    pub observed: Vec<f64>,
    /// Weighted expected events per group.
    pub expected: Vec<f64>,
    /// U = Σ s_g (O_g − E_g): positive when groups with higher scores have more events
    /// than expected.
    pub statistic: f64,
    /// Var U = sᵀ V s.
    pub variance: f64,
    /// Z = U / √Var U.
    pub z: f64,
    /// χ² = Z² on 1 df.
    pub chisq: f64,
    /// Always 1.
    pub df: usize,
    /// Two-sided P value, upper tail of χ²(1).
    pub p_value: f64,
    /// Number of strata (1 for an unstratified test).
    pub strata: usize,
}

pub(super) fn trend_impl(
    data: &SurvData,
    strata: Option<&[usize]>,
    options: &TrendOptions,
) -> Result<LogRankTrend, CompareError> {
    options.weight.validate()?;
    let k = data.n_groups();
    let scores = match &options.scores {
        None => (1..=k).map(|g| g as f64).collect::<Vec<_>>(),
        Some(s) => {
            if s.len() != k {
                return Err(CompareError::ScoresLength {
                    scores: s.len(),
                    groups: k,
                });
            }
            if let Some((index, &value)) = s.iter().enumerate().find(|(_, x)| !x.is_finite()) {
                return Err(CompareError::InvalidScore { index, value });
            }
            s.clone()
        }
    };
    let tables = tables(data, strata)?;
    let (s, _, _) = pooled_sums(&tables, k, options.weight);
    let u: f64 = (0..k).map(|g| scores[g] * (s.obs[g] - s.exp[g])).sum();
    let var: f64 = (0..k)
        .map(|g| {
            (0..k)
                .map(|h| scores[g] * scores[h] * s.var[g][h])
                .sum::<f64>()
        })
        .sum();
    let z = u / var.sqrt();
    let chisq = z * z;
    let mut method = format!(
        "test for trend, U = Σ score·(O − E), {}",
        options.weight.describe()
    );
    if strata.is_some() {
        method = format!("stratified {method}, {} strata", tables.len());
    }
    Ok(LogRankTrend {
        method,
        weight: options.weight,
        groups: data.levels().to_vec(),
        scores,
        observed: s.obs,
        expected: s.exp,
        statistic: u,
        variance: var,
        z,
        chisq,
        df: 1,
        p_value: chi_square_sf(chisq, 1),
        strata: tables.len(),
    })
}

/// The (weighted) log-rank test for trend over ordered groups: U = Σ s_g (O_g − E_g),
/// Var U = sᵀ V s with V the k × k variance of the k-group test, χ² = U²/Var U on 1 df.
///
/// # References
/// Klein & Moeschberger (2003) §7.4; the same statistic from R `survdiff`'s `obs`, `exp`
/// and `var` (`sum(s * (obs - exp))`, `t(s) %*% var %*% s`).
///
/// # Errors
/// [`CompareError::ScoresLength`], [`CompareError::InvalidScore`] for unusable scores,
/// [`CompareError::InvalidWeight`] as [`weighted_log_rank`].
pub fn log_rank_trend(
    data: &SurvData,
    options: &TrendOptions,
) -> Result<LogRankTrend, CompareError> {
    trend_impl(data, None, options)
}

/// The stratified test for trend: O − E and V summed over strata first (R `survdiff(... +
/// strata(s))`'s `obs`, `exp`, `var`).
///
/// # Errors
/// As [`log_rank_trend`], and [`CompareError::StrataLength`].
pub fn stratified_log_rank_trend(
    data: &SurvData,
    strata: &[usize],
    options: &TrendOptions,
) -> Result<LogRankTrend, CompareError> {
    trend_impl(data, Some(strata), options)
}
