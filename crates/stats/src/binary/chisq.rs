//! Pearson's chi-square test with Yates' correction (`chisq.test`).

use super::*;

/// Options of Pearson's chi-square test, R `chisq.test(x, correct = TRUE)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
