//! Typed errors. Each names where the problem is (row, column, value) and what to do.

use std::fmt;

/// An analysis option outside what the analysis can use: from a share link, the page or
/// the CLI, every option passes [`crate::AnalysisOptions::validate`] before any estimator
/// sees it, so that no value can panic a distribution function or loop for ever.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct OptionError {
    /// The option, as the JSON report and share links name it (`km.conf_level`).
    pub option: String,
    /// The value given, as text.
    pub value: String,
    /// What it must be, e.g. "a number between 0 and 1 (exclusive), such as 0.95".
    pub rule: String,
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the setting {} = {} cannot be used: it must be {}",
            self.option, self.value, self.rule
        )
    }
}

impl std::error::Error for OptionError {}
