//! Two proportions compared in one call: everything the report shows for a response
//! rate by arm.

use super::*;

/// Options of [`compare_proportions`]. Defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BinaryOptions {
    /// Level of every interval (R `conf.level = 0.95`).
    pub conf_level: f64,
    /// Root tolerance of Fisher's estimate and limits ([`FisherOptions::root_tol`]).
    pub fisher_root_tol: f64,
    /// Interval of the risk difference.
    pub risk_difference: RiskDifferenceMethod,
    /// Zero-cell handling of the ratio intervals.
    pub zero_cell: ZeroCellCorrection,
}

impl Default for BinaryOptions {
    fn default() -> Self {
        BinaryOptions {
            conf_level: 0.95,
            fisher_root_tol: R_UNIROOT_TOL,
            risk_difference: RiskDifferenceMethod::Newcombe,
            zero_cell: ZeroCellCorrection::None,
        }
    }
}

/// Everything a report needs about a binary endpoint in two arms.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BinaryComparison {
    /// The counts.
    pub table: TwoByTwo,
    /// Arm 1's proportion and intervals.
    pub arm1: Proportion,
    /// Arm 2's proportion and intervals.
    pub arm2: Proportion,
    /// Fisher's exact test (two-sided) with the conditional MLE odds ratio.
    pub fisher: FisherTest,
    /// Pearson's chi-square with Yates' correction (R `chisq.test` default for 2 × 2).
    pub chisq_corrected: ChisqTest,
    /// Pearson's chi-square without correction (R `correct = FALSE`).
    pub chisq_uncorrected: ChisqTest,
    /// p₁ − p₂ with its interval.
    pub risk_difference: RiskDifference,
    /// p₁/p₂ with the Katz interval.
    pub risk_ratio: RatioEstimate,
    /// The sample odds ratio with the Woolf interval.
    pub odds_ratio: RatioEstimate,
    /// The options used.
    pub options: BinaryOptions,
}

/// Compares two proportions every way a trial report may: both proportions with their
/// intervals, Fisher's exact test, the chi-square test with and without Yates'
/// correction, the risk difference, the risk ratio and the odds ratio.
///
/// # Errors
/// Invalid counts or options, or more than [`EXACT_MAX_TOTAL`] patients in all (Fisher's
/// test).
///
/// # Examples
/// The reference trial's objective response, 13/32 versus 1/32:
/// ```
/// use survcalc_stats::binary::{compare_proportions, BinaryOptions, TwoByTwo};
/// let t = TwoByTwo::new(13, 32, 1, 32).unwrap();
/// let r = compare_proportions(&t, &BinaryOptions::default()).unwrap();
/// assert!(r.fisher.p_value < 0.001); // R: 0.000484
/// assert_eq!(format!("{:.1}", r.fisher.estimate), "20.3"); // conditional MLE odds ratio
/// let ci = r.arm1.clopper_pearson;
/// assert_eq!(format!("{:.3}, {:.3}", ci.lower, ci.upper), "0.237, 0.594");
/// ```
///
/// # References
/// See the functions called: [`proportion`], [`fisher_test`], [`chisq_test`],
/// [`risk_difference`], [`risk_ratio`], [`odds_ratio`].
pub fn compare_proportions(
    t: &TwoByTwo,
    options: &BinaryOptions,
) -> Result<BinaryComparison, BinaryError> {
    t.validate()?;
    let level = options.conf_level;
    let m = t.matrix();
    let table = vec![m[0].to_vec(), m[1].to_vec()];
    let ratio_options = RatioOptions {
        conf_level: level,
        zero_cell: options.zero_cell,
    };
    Ok(BinaryComparison {
        table: *t,
        arm1: proportion(t.x1, t.n1, level)?,
        arm2: proportion(t.x2, t.n2, level)?,
        fisher: fisher_test(
            t,
            &FisherOptions {
                conf_level: level,
                root_tol: options.fisher_root_tol,
                ..FisherOptions::default()
            },
        )?,
        chisq_corrected: chisq_test(&table, &ChisqOptions { correct: true })?,
        chisq_uncorrected: chisq_test(&table, &ChisqOptions { correct: false })?,
        risk_difference: risk_difference(t, level, options.risk_difference)?,
        risk_ratio: risk_ratio(t, &ratio_options)?,
        odds_ratio: odds_ratio(t, &ratio_options)?,
        options: *options,
    })
}
