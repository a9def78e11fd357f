//! Typed errors. Each names where the problem is (row, column, value) and what to do.

use std::fmt;

/// An error in a [`crate::SurvData`] constructed directly from vectors.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
