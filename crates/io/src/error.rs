//! Typed errors. Each names where the problem is (row, column, value) and what to do.

use std::fmt;

/// An error reading delimited text into a [`crate::Table`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
                None => write!(f, "the data could not be read as a table ({message})"),
            },
        }
    }
}

impl std::error::Error for TableError {}

/// An error in mapping table columns to an analysis: the whole analysis cannot run.
/// (Problems with single rows are not errors; they are [`crate::Exclusion`]s.)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// An aggregated table stands for more patients than survcalc expands.
    TooManyPatients {
        /// The patient-count column.
        column: String,
        /// Patients counted when the limit was passed.
        patients: u64,
        /// The limit ([`crate::mapping::MAX_PATIENTS`]).
        limit: u64,
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
            MappingError::TooManyPatients {
                column,
                patients,
                limit,
            } => write!(
                f,
                "the patient counts in \"{column}\" add up to more than {limit} patients ({patients} so far): survcalc expands an aggregated table to one row per patient and holds at most {limit}; aggregate to coarser times (e.g. days or months), or analyse a sample"
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
