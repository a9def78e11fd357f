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

pub mod adverse;
mod chisq;
mod comparison;
mod fisher;
mod proportion;
mod ratio;

pub use chisq::*;
pub use comparison::*;
pub use fisher::*;
pub use proportion::*;
pub use ratio::*;

use crate::numerics::binomial::{dbinom, pbinom_lower, pbinom_upper_from};
use crate::numerics::hypergeometric::Hyper;
use crate::numerics::root::uniroot;
use crate::numerics::sum::Sum;

use std::collections::HashMap;
use std::fmt;

// =========================================================================================
// Common types

/// Direction of the alternative hypothesis. Mirrors R `alternative =`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
// The distribution functions, through crate::numerics

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

// =========================================================================================
// Two proportions

/// Events and patients in two arms: arm 1 has x₁ events of n₁, arm 2 has x₂ of n₂.
/// Comparisons are arm 1 versus arm 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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

#[cfg(test)]
mod tests {
    use super::*;

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
