//! Typed errors. Each names where the problem is (row, column, value) and what to do.

use std::fmt;

/// An error in a [`crate::SurvData`] constructed directly from vectors.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DataError {
    /// The input vectors have different lengths.
    LengthMismatch {
        /// Length of the time vector.
        time: usize,
        /// Length of the event vector.
        event: usize,
        /// Length of the group vector.
        group: usize,
    },
    /// There are no observations.
    Empty,
    /// A time is negative, infinite or NaN.
    InvalidTime {
        /// Zero-based index of the observation.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A group index does not name a level.
    InvalidGroup {
        /// Zero-based index of the observation.
        index: usize,
        /// The group index found.
        group: usize,
        /// The number of levels.
        levels: usize,
    },
    /// The requested reference level is not one of the groups.
    UnknownLevel {
        /// The level asked for.
        level: String,
        /// The levels present.
        levels: Vec<String>,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::LengthMismatch { time, event, group } => write!(
                f,
                "time, event and group must have the same length (got {time}, {event}, {group})"
            ),
            DataError::Empty => write!(f, "there are no observations to analyse"),
            DataError::InvalidTime { index, value } => write!(
                f,
                "observation {}: time {value} is not a finite non-negative number",
                index + 1
            ),
            DataError::InvalidGroup {
                index,
                group,
                levels,
            } => write!(
                f,
                "observation {}: group index {group} is out of range (there are {levels} groups)",
                index + 1
            ),
            DataError::UnknownLevel { level, levels } => write!(
                f,
                "reference group \"{level}\" is not among the groups ({}); choose one of them",
                levels.join(", ")
            ),
        }
    }
}

impl std::error::Error for DataError {}

/// An error reading delimited text into a [`crate::Table`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TableError {
    /// The text has no non-blank lines.
    Empty,
    /// The text has a header but no data rows.
    NoDataRows,
    /// The text is not readable as delimited text.
    Malformed {
        /// One-based line number where reading failed, if known.
        line: Option<u64>,
        /// What the parser reported.
        message: String,
    },
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::Empty => write!(
                f,
                "the data is empty: paste a table or choose a CSV/TSV file with one row per patient"
            ),
            TableError::NoDataRows => write!(
                f,
                "the table has a header row but no data rows: add one row per patient, or, if the first row is data, read it with \"First row: is data\" (CLI: --header no), or choose the header row (CLI: --header-row N)"
            ),
            // Each reading error says which setting reads the file otherwise.
            TableError::Malformed { line, message } => match line {
                Some(l) => write!(
                    f,
                    "line {l}: the text could not be read as a table ({message}); if the delimiter, header row or encoding was guessed wrong, set it under \"Read it differently\" (CLI: --delimiter, --header-row, --encoding)"
                ),
                None => write!(f, "the text could not be read as a table ({message})"),
            },
        }
    }
}

impl std::error::Error for TableError {}

/// An error in mapping table columns to an analysis: the whole analysis cannot run.
/// (Problems with single rows are not errors; they are [`crate::Exclusion`]s.)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MappingError {
    /// A column name given in the mapping is not in the table.
    UnknownColumn {
        /// The role the column was meant to play ("time", "event", "group").
        role: String,
        /// The name given.
        name: String,
        /// The columns present.
        available: Vec<String>,
    },
    /// Every row was excluded; the first few reasons are included.
    NoValidRows {
        /// How many rows the table has.
        rows: usize,
        /// The first exclusions, to show the user.
        first: Vec<crate::Exclusion>,
    },
    /// The reference group asked for has no valid rows.
    UnknownReference {
        /// The level asked for.
        level: String,
        /// The groups present.
        groups: Vec<String>,
    },
    /// One column was given two roles that must differ (time and event, event and
    /// group).
    SameColumn {
        /// The column.
        column: String,
        /// The two roles.
        roles: (String, String),
    },
    /// No column was named for a role, e.g. a table with one column has none for the
    /// event.
    MissingColumn {
        /// The role.
        role: String,
        /// The columns present.
        available: Vec<String>,
    },
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappingError::UnknownColumn {
                role,
                name,
                available,
            } => write!(
                f,
                "the {role} column \"{name}\" is not in the table; the columns are: {}",
                available.join(", ")
            ),
            MappingError::NoValidRows { rows, first } => {
                write!(f, "none of the {rows} rows can be analysed")?;
                if let Some(e) = first.first() {
                    write!(f, "; for example {e}")?;
                }
                Ok(())
            }
            MappingError::UnknownReference { level, groups } => write!(
                f,
                "reference group \"{level}\" has no valid rows; choose one of: {}",
                groups.join(", ")
            ),
            MappingError::SameColumn { column, roles } => write!(
                f,
                "the column \"{column}\" is chosen as both the {} and the {} column: choose another column for the {}",
                roles.0, roles.1, roles.1
            ),
            MappingError::MissingColumn { role, available } => {
                if available.len() < 2 {
                    write!(
                        f,
                        "no {role} column is chosen, and the table has {} column(s) ({}): survival data needs a time column and an event column; if the data is all in one column, its delimiter was not recognised — choose it under \"Read it differently\" (CLI: --delimiter)",
                        available.len(),
                        available.join(", ")
                    )
                } else {
                    write!(
                        f,
                        "no {role} column is chosen; the columns are: {}",
                        available.join(", ")
                    )
                }
            }
        }
    }
}

impl std::error::Error for MappingError {}

/// An analysis option outside what the analysis can use: from a share link, the page or
/// the CLI, every option passes [`crate::AnalysisOptions::validate`] before any estimator
/// sees it, so that no value can panic a distribution function or loop for ever.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
