//! The adverse-event table of a trial report: one row per event term (optionally one per
//! grade), one column per arm, each cell the number and percentage of patients, with a
//! test per row (Fisher's exact test by default, Pearson's chi-square on request).
//!
//! Two inputs, both plain vectors so that any mapping layer can fill them:
//!
//! * [`AeLongInput`] — one record per patient and event (patient id, arm, event term,
//!   grade), and the number of patients at risk in each arm (the denominators: patients
//!   without any event do not appear among the records);
//! * [`AeWideInput`] — one entry per patient (its arm) and one column per event, holding a
//!   0/1 indicator or the patient's worst grade (0 = no event).
//!
//! # Counting rules
//! * A patient is counted once per event term, at their **worst grade** (the highest grade
//!   recorded for that term). Records of a term without a grade count as "grade not
//!   recorded" only when no record of that patient and term has a grade.
//! * With a grade range (e.g. [`GradeRange::new(3, 4)`](GradeRange::new) for "grade 3–4"), a
//!   patient counts for a term when their worst grade lies in the range — so a patient whose
//!   worst diarrhoea was grade 5 is not among the grade 3–4 diarrhoea (CTCAE tables count
//!   each patient once, at the worst grade). Patients whose grade was not recorded cannot be
//!   placed in a range: they are left out and listed in [`AeTable::excluded`], never
//!   silently dropped.
//! * Percentages are of the patients at risk in the arm; P values compare the proportions
//!   of the arms (a 2 × k table: patients with / without the event, by arm).
//! * Terms are compared as given after trimming spaces (case matters).
//!
//! # References
//! National Cancer Institute. Common Terminology Criteria for Adverse Events (CTCAE)
//! v5.0 (2017). ICH E3 (1995), §12.2. The tests are [`crate::binary::fisher_test_table`]
//! (R `fisher.test`) and [`crate::binary::chisq_test`] (R `chisq.test`).

use crate::binary::{chisq_test, fisher_test_table, ChisqOptions};
use std::collections::HashMap;
use std::fmt;

mod build;

pub use build::*;

// =========================================================================================
// Inputs

/// One adverse-event record: a patient had an event of a term, at a grade.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeRecord {
    /// Patient identifier.
    pub patient: String,
    /// The patient's arm (one of [`AeLongInput::arms`]).
    pub arm: String,
    /// Event term, e.g. "Diarrhoea" (MedDRA preferred term or CTCAE term).
    pub term: String,
    /// CTCAE grade (1–5), or `None` when not recorded.
    pub grade: Option<u32>,
}

/// Adverse events as records (one per patient and event), with the denominators.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeLongInput {
    /// Arm labels, in the order of the table's columns.
    pub arms: Vec<String>,
    /// Patients at risk in each arm (the safety population), aligned with `arms`.
    pub at_risk: Vec<u64>,
    /// The records.
    pub records: Vec<AeRecord>,
}

/// How a per-patient event column is coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum AeCoding {
    /// 0 = no event, 1 = event (any grade).
    Binary,
    /// 0 = no event, g ≥ 1 = the patient's worst grade.
    #[default]
    Grade,
}

/// One per-patient event column.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeColumn {
    /// Event term (the column's name).
    pub term: String,
    /// How the values are coded.
    pub coding: AeCoding,
    /// One value per patient (aligned with [`AeWideInput::arm`]); `None` = missing, which
    /// leaves the patient out of this event's denominator.
    pub values: Vec<Option<u32>>,
}

/// Adverse events as per-patient columns: every patient of the safety population is a row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeWideInput {
    /// Arm labels in column order; empty = the arms in order of first appearance in `arm`.
    pub arms: Vec<String>,
    /// Each patient's arm.
    pub arm: Vec<String>,
    /// The event columns.
    pub columns: Vec<AeColumn>,
}

// =========================================================================================
// Options

/// An inclusive range of grades, e.g. 3–4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GradeRange {
    /// Lowest grade included.
    pub min: u32,
    /// Highest grade included.
    pub max: u32,
}

impl GradeRange {
    /// The grades `min..=max`.
    pub fn new(min: u32, max: u32) -> GradeRange {
        GradeRange { min, max }
    }

    /// Whether `g` lies in the range.
    pub fn contains(&self, g: u32) -> bool {
        self.min <= g && g <= self.max
    }

    /// "grade 3–4", "grade 3", "grade ≥ 3" style label.
    pub fn label(&self) -> String {
        if self.min == self.max {
            format!("grade {}", self.min)
        } else if self.max == u32::MAX {
            format!("grade ≥ {}", self.min)
        } else {
            format!("grade {}–{}", self.min, self.max)
        }
    }
}

/// The test of each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum AeTest {
    /// Fisher's exact test, two-sided (R `fisher.test`).
    #[default]
    Fisher,
    /// Pearson's chi-square (R `chisq.test(correct = )`; the correction applies to two arms).
    ChiSquare {
        /// Yates' continuity correction (R `correct = TRUE`).
        correct: bool,
    },
}

/// The order of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum AeOrder {
    /// Terms in order of first appearance (records) or column order.
    #[default]
    Input,
    /// Most frequent term first (by patients in all arms), ties in input order.
    Frequency,
    /// Terms alphabetically (ignoring case).
    Alphabetical,
}

/// Options of the adverse-event table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeOptions {
    /// The test per row (default Fisher's exact test).
    pub test: AeTest,
    /// Count only patients whose worst grade is in this range (`None`: any grade).
    pub grades: Option<GradeRange>,
    /// Add one row per worst grade under each term.
    pub by_grade: bool,
    /// Row order.
    pub order: AeOrder,
    /// Leave out terms no patient has (after the grade range); default true.
    pub drop_empty: bool,
}

impl Default for AeOptions {
    fn default() -> Self {
        AeOptions {
            test: AeTest::Fisher,
            grades: None,
            by_grade: false,
            order: AeOrder::Input,
            drop_empty: true,
        }
    }
}

// =========================================================================================
// Output

/// Which patients of a term a row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum AeLevel {
    /// Every patient with the term (within the grade range, if one is set).
    AllGrades,
    /// Patients whose worst grade for the term is this grade.
    Grade(u32),
    /// Patients with the term but no recorded grade (only without a grade range).
    GradeNotRecorded,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeRow {
    /// Event term.
    pub term: String,
    /// Which patients of the term the row counts.
    pub level: AeLevel,
    /// Patients with the event, per arm.
    pub counts: Vec<u64>,
    /// Patients at risk (the denominator), per arm.
    pub at_risk: Vec<u64>,
    /// 100 · count / at risk, per arm (NaN when no patient is at risk).
    pub percent: Vec<f64>,
    /// Patients with the event in all arms.
    pub total: u64,
    /// P value of the row's test; `None` with fewer than two arms or when undefined.
    pub p_value: Option<f64>,
    /// The test's name as R prints it, e.g. "Fisher's Exact Test for Count Data".
    pub test: Option<String>,
    /// Problems of the test that do not stop the table (R's chi-square warning).
    pub warnings: Vec<String>,
}

/// Something in the input that could not be counted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeExclusion {
    /// Zero-based index of the record (long input) or patient row (wide input).
    pub index: usize,
    /// The patient, when the input names patients.
    pub patient: Option<String>,
    /// The event term.
    pub term: String,
    /// Why it was left out.
    pub reason: String,
}

/// The adverse-event table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeTable {
    /// Arm labels, in column order.
    pub arms: Vec<String>,
    /// Patients at risk per arm (rows may have fewer where values are missing).
    pub at_risk: Vec<u64>,
    /// The rows.
    pub rows: Vec<AeRow>,
    /// What was left out, and why.
    pub excluded: Vec<AeExclusion>,
    /// The options used.
    pub options: AeOptions,
    /// A method statement for the report.
    pub method: String,
}

// =========================================================================================
// Errors

/// An error in the adverse-event input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum AeError {
    /// No arms were given (or, for per-patient columns, no patients).
    NoArms,
    /// The number of denominators differs from the number of arms.
    AtRiskLength {
        /// Number of arms.
        arms: usize,
        /// Number of denominators.
        at_risk: usize,
    },
    /// An arm label appears twice among the arms.
    DuplicateArm {
        /// The label.
        arm: String,
    },
    /// An arm has no patients at risk.
    ZeroAtRisk {
        /// The arm.
        arm: String,
    },
    /// A record or patient has an empty field.
    EmptyField {
        /// Zero-based record (or patient row) index.
        index: usize,
        /// "patient", "arm" or "term".
        field: String,
    },
    /// A record or patient names an arm that is not among the arms.
    UnknownArm {
        /// Zero-based record (or patient row) index.
        index: usize,
        /// The arm found.
        arm: String,
        /// The arms.
        arms: Vec<String>,
    },
    /// One patient appears in two arms.
    PatientInTwoArms {
        /// Zero-based index of the record with the second arm.
        index: usize,
        /// The patient.
        patient: String,
        /// The arm of that record.
        arm: String,
        /// The arm of the patient's first record.
        first_arm: String,
    },
    /// More distinct patients have events in an arm than are at risk there.
    MorePatientsThanAtRisk {
        /// The arm.
        arm: String,
        /// Distinct patients with records in the arm.
        patients: u64,
        /// Patients at risk given for the arm.
        at_risk: u64,
    },
    /// A grade range whose lower end is above its upper end.
    InvalidGradeRange {
        /// Lower end.
        min: u32,
        /// Upper end.
        max: u32,
    },
    /// A per-patient column's length differs from the number of patients.
    ColumnLength {
        /// The column's term.
        term: String,
        /// Its length.
        len: usize,
        /// The number of patients.
        expected: usize,
    },
    /// A per-patient column has no term, or two columns have the same term.
    ColumnTerm {
        /// Zero-based column index.
        column: usize,
        /// The term ("" when empty).
        term: String,
    },
    /// A 0/1 column holds another value.
    InvalidBinaryValue {
        /// The column's term.
        term: String,
        /// Zero-based patient row.
        index: usize,
        /// The value found.
        value: u32,
    },
    /// A grade range was asked for but a column is coded 0/1, which carries no grade.
    GradeRangeOnBinary {
        /// The column's term.
        term: String,
    },
}

impl fmt::Display for AeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AeError::NoArms => write!(f, "no arms: give at least one arm and its patients"),
            AeError::AtRiskLength { arms, at_risk } => write!(
                f,
                "{arms} arms but {at_risk} numbers of patients at risk; give one per arm"
            ),
            AeError::DuplicateArm { arm } => write!(f, "arm \"{arm}\" is listed twice"),
            AeError::ZeroAtRisk { arm } => {
                write!(f, "arm \"{arm}\" has no patients at risk; give its safety population")
            }
            AeError::EmptyField { index, field } => {
                write!(f, "record {}: the {field} is empty", index + 1)
            }
            AeError::UnknownArm { index, arm, arms } => write!(
                f,
                "record {}: arm \"{arm}\" is not one of the arms ({})",
                index + 1,
                arms.join(", ")
            ),
            AeError::PatientInTwoArms {
                index,
                patient,
                arm,
                first_arm,
            } => write!(
                f,
                "record {}: patient \"{patient}\" is in arm \"{arm}\" here but in \"{first_arm}\" earlier",
                index + 1
            ),
            AeError::MorePatientsThanAtRisk {
                arm,
                patients,
                at_risk,
            } => write!(
                f,
                "arm \"{arm}\": {patients} patients have events but only {at_risk} are at risk; check the denominators"
            ),
            AeError::InvalidGradeRange { min, max } => {
                write!(f, "grade range {min}–{max} is empty: the lower grade is above the upper")
            }
            AeError::ColumnLength {
                term,
                len,
                expected,
            } => write!(
                f,
                "column \"{term}\" has {len} values but there are {expected} patients"
            ),
            AeError::ColumnTerm { column, term } => {
                if term.is_empty() {
                    write!(f, "column {} has no event term", column + 1)
                } else {
                    write!(f, "column {}: event term \"{term}\" is used twice", column + 1)
                }
            }
            AeError::InvalidBinaryValue { term, index, value } => write!(
                f,
                "column \"{term}\", patient {}: {value} is not 0 or 1 (code the column as grades?)",
                index + 1
            ),
            AeError::GradeRangeOnBinary { term } => write!(
                f,
                "column \"{term}\" is coded 0/1 and has no grades to select from; give grades or drop the grade range"
            ),
        }
    }
}

impl std::error::Error for AeError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(p: &str, a: &str, t: &str, g: Option<u32>) -> AeRecord {
        AeRecord {
            patient: p.into(),
            arm: a.into(),
            term: t.into(),
            grade: g,
        }
    }

    fn input(records: Vec<AeRecord>) -> AeLongInput {
        AeLongInput {
            arms: vec!["A".into(), "B".into()],
            at_risk: vec![3, 3],
            records,
        }
    }

    #[test]
    fn worst_grade_counts_once() {
        let t = ae_table_long(
            &input(vec![
                rec("1", "A", "Rash", Some(1)),
                rec("1", "A", "Rash", Some(3)),
                rec("2", "B", "Rash", Some(5)),
            ]),
            &AeOptions {
                grades: Some(GradeRange::new(3, 4)),
                ..AeOptions::default()
            },
        )
        .expect("valid");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].counts, vec![1, 0]);
        assert_eq!(t.rows[0].p_value, Some(1.0));
    }

    #[test]
    fn errors_name_the_record() {
        let e = ae_table_long(
            &input(vec![
                rec("1", "A", "Rash", Some(1)),
                rec("1", "B", "Rash", Some(1)),
            ]),
            &AeOptions::default(),
        );
        assert_eq!(
            e.map(|_| ()),
            Err(AeError::PatientInTwoArms {
                index: 1,
                patient: "1".into(),
                arm: "B".into(),
                first_arm: "A".into()
            })
        );
        let e = ae_table_long(
            &input(vec![rec("1", "C", "Rash", None)]),
            &AeOptions::default(),
        );
        assert!(matches!(e, Err(AeError::UnknownArm { index: 0, .. })));
        let e = ae_table_long(
            &input(vec![
                rec("1", "A", "Rash", None),
                rec("2", "A", "Rash", None),
                rec("3", "A", "Rash", None),
                rec("4", "A", "Rash", None),
            ]),
            &AeOptions::default(),
        );
        assert!(matches!(
            e,
            Err(AeError::MorePatientsThanAtRisk { patients: 4, .. })
        ));
    }

    #[test]
    fn binary_column_refuses_a_grade_range() {
        let w = AeWideInput {
            arms: vec![],
            arm: vec!["A".into(), "B".into()],
            columns: vec![AeColumn {
                term: "Any".into(),
                coding: AeCoding::Binary,
                values: vec![Some(1), Some(0)],
            }],
        };
        let e = ae_table_wide(
            &w,
            &AeOptions {
                grades: Some(GradeRange::new(3, 4)),
                ..AeOptions::default()
            },
        );
        assert!(matches!(e, Err(AeError::GradeRangeOnBinary { .. })));
        let ok = ae_table_wide(&w, &AeOptions::default()).expect("valid");
        assert_eq!(ok.arms, vec!["A".to_string(), "B".to_string()]);
        assert_eq!(ok.rows[0].counts, vec![1, 0]);
    }
}
