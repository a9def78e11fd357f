//! The weighted log-rank test (log-rank, Gehan–Breslow, Tarone–Ware, Peto–Peto,
//! Fleming–Harrington), plain and stratified.

use super::*;

// ---------------------------------------------------------------------------------------
// The weighted log-rank test, plain and stratified

/// Options of [`weighted_log_rank`] and [`stratified_log_rank`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WeightedLogRankOptions {
    /// The weight (R `survdiff(rho = )` for the G(ρ, 0) members); default log-rank.
    pub weight: Weight,
}

/// The result of a weighted log-rank test of k ≥ 2 groups.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WeightedLogRank {
    /// The method in words ([`Weight::describe`]), with "stratified" when it is.
    pub method: String,
    /// The weight used.
    pub weight: Weight,
    /// Group labels, in level order.
    pub groups: Vec<String>,
    /// Observations per group (R `n`).
    pub n: Vec<usize>,
    /// Events per group, unweighted.
    pub events: Vec<usize>,
    /// Weighted observed events per group, Σ w d_g (R `obs`, summed over strata).
    pub observed: Vec<f64>,
    /// Weighted expected events per group (R `exp`, summed over strata).
    pub expected: Vec<f64>,
    /// Variance–covariance matrix of O − E, k × k (R `var`).
    pub variance: Vec<Vec<f64>>,
    /// Chi-square statistic (R `chisq`).
    pub chisq: f64,
    /// Degrees of freedom: groups with E > 0, minus 1 (as `print.survdiff`).
    pub df: usize,
    /// Upper tail of χ²(df); NaN when df = 0.
    pub p_value: f64,
    /// Number of strata (1 for an unstratified test).
    pub strata: usize,
}

pub(super) fn weighted_impl(
    data: &SurvData,
    strata: Option<&[usize]>,
    options: &WeightedLogRankOptions,
) -> Result<WeightedLogRank, CompareError> {
    options.weight.validate()?;
    let tables = tables(data, strata)?;
    Ok(from_tables(
        data.levels(),
        &tables,
        strata.is_some(),
        options,
    ))
}

/// The test from the risk tables of its strata.
fn from_tables(
    levels: &[String],
    tables: &[super::risk_table::RiskTable],
    stratified: bool,
    options: &WeightedLogRankOptions,
) -> WeightedLogRank {
    let (s, n, events) = pooled_sums(tables, levels.len(), options.weight);
    let (chisq, df) = s.chisq();
    let mut method = options.weight.describe();
    if stratified {
        method = format!("stratified {method}, {} strata", tables.len());
    }
    WeightedLogRank {
        method,
        weight: options.weight,
        groups: levels.to_vec(),
        n,
        events,
        p_value: chi_square_sf(chisq, df),
        observed: s.obs,
        expected: s.exp,
        variance: s.var,
        chisq,
        df,
        strata: tables.len(),
    }
}

/// A weighted log-rank test of k ≥ 2 groups: R `survdiff(Surv(time, status) ~ group,
/// rho = ρ)` for the G(ρ, 0) weights, the same construction (Klein & Moeschberger §7.3)
/// with the other weights.
///
/// # Errors
/// [`CompareError::InvalidWeight`] for a negative or non-finite Fleming–Harrington
/// parameter.
pub fn weighted_log_rank(
    data: &SurvData,
    options: &WeightedLogRankOptions,
) -> Result<WeightedLogRank, CompareError> {
    weighted_impl(data, None, options)
}

/// [`weighted_log_rank`] for each of `weights`, from one pass over the data: the risk
/// table is built once for all of them (each test alone walks every row again).
///
/// # Errors
/// Each test's [`CompareError::InvalidWeight`], as [`weighted_log_rank`].
pub fn weighted_log_ranks(
    data: &SurvData,
    weights: &[super::Weight],
) -> Vec<Result<WeightedLogRank, CompareError>> {
    match tables(data, None) {
        Ok(t) => each_weight(data.levels(), &t, weights),
        Err(e) => weights.iter().map(|_| Err(e.clone())).collect(),
    }
}

/// The unstratified test for each of `weights`, from one set of risk tables.
fn each_weight(
    levels: &[String],
    tables: &[super::risk_table::RiskTable],
    weights: &[super::Weight],
) -> Vec<Result<WeightedLogRank, CompareError>> {
    weights
        .iter()
        .map(|&weight| {
            weight.validate()?;
            Ok(from_tables(
                levels,
                tables,
                false,
                &WeightedLogRankOptions { weight },
            ))
        })
        .collect()
}

/// [`weighted_log_ranks`] from survival data as counts per (group, distinct time)
/// ([`crate::counts`]), the groups in the table's order: the same tests as the expanded
/// rows give, from one walk over the pooled distinct times.
///
/// # Errors
/// Each test's [`CompareError::InvalidWeight`], as [`weighted_log_rank`].
pub fn weighted_log_ranks_counts(
    table: &crate::counts::CountTable,
    weights: &[super::Weight],
) -> Vec<Result<WeightedLogRank, CompareError>> {
    let levels: Vec<String> = table.groups.iter().map(|g| g.label.clone()).collect();
    each_weight(
        &levels,
        &[super::risk_table::RiskTable::from_counts(table)],
        weights,
    )
}

/// The stratified weighted log-rank test: O − E and V summed over strata, each stratum with
/// its own risk sets and weights (its own pooled Kaplan–Meier), R `survdiff(Surv(time,
/// status) ~ group + strata(s), rho = ρ)`.
///
/// `strata` holds one code per observation; equal codes make a stratum.
///
/// # Errors
/// [`CompareError::StrataLength`] if `strata` is not one per observation;
/// [`CompareError::InvalidWeight`] as [`weighted_log_rank`].
pub fn stratified_log_rank(
    data: &SurvData,
    strata: &[usize],
    options: &WeightedLogRankOptions,
) -> Result<WeightedLogRank, CompareError> {
    weighted_impl(data, Some(strata), options)
}
