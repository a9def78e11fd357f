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

// =========================================================================================
// Inputs

/// One adverse-event record: a patient had an event of a term, at a grade.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

// =========================================================================================
// Building the table

/// The worst grade of one patient for one term, as far as the input tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Worst {
    /// The highest recorded grade.
    Grade(u32),
    /// The patient had the event but no grade is recorded.
    NotRecorded,
}

/// One term's patients, already reduced to one entry per patient.
struct TermData {
    term: String,
    /// Whether the term carries grades (false for 0/1 columns).
    graded: bool,
    /// (arm, worst grade, index of the first record or the patient row, patient id).
    patients: Vec<(usize, Worst, usize, Option<String>)>,
    /// Denominator per arm for this term.
    at_risk: Vec<u64>,
}

fn check_options(options: &AeOptions) -> Result<(), AeError> {
    if let Some(r) = options.grades {
        if r.min > r.max {
            return Err(AeError::InvalidGradeRange {
                min: r.min,
                max: r.max,
            });
        }
    }
    Ok(())
}

fn check_arms(arms: &[String]) -> Result<(), AeError> {
    if arms.is_empty() {
        return Err(AeError::NoArms);
    }
    for (i, a) in arms.iter().enumerate() {
        if arms[..i].contains(a) {
            return Err(AeError::DuplicateArm { arm: a.clone() });
        }
    }
    Ok(())
}

/// The adverse-event table from records (one per patient and event).
///
/// # Formula
/// For each term, each patient's worst grade over their records of the term; the row
/// counts the patients whose worst grade is in the range (any grade without one), by
/// arm, over the patients at risk; P from the 2 × k table of patients with and without
/// the event by arm.
///
/// # Errors
/// Arms missing, duplicated or without patients at risk; a record with an empty field or
/// an unknown arm; a patient in two arms; more patients with events than at risk; an
/// empty grade range. Each error names the record (1-based in its message).
///
/// # References
/// CTCAE v5.0 (worst grade per patient); R `fisher.test`, `chisq.test` for the tests.
pub fn ae_table_long(input: &AeLongInput, options: &AeOptions) -> Result<AeTable, AeError> {
    check_options(options)?;
    let arms: Vec<String> = input.arms.iter().map(|a| a.trim().to_string()).collect();
    check_arms(&arms)?;
    if input.at_risk.len() != arms.len() {
        return Err(AeError::AtRiskLength {
            arms: arms.len(),
            at_risk: input.at_risk.len(),
        });
    }
    for (a, &n) in arms.iter().zip(&input.at_risk) {
        if n == 0 {
            return Err(AeError::ZeroAtRisk { arm: a.clone() });
        }
    }
    // Validate records; reduce to the worst grade per (term, patient).
    let mut patient_arm: HashMap<&str, usize> = HashMap::new();
    let mut term_index: HashMap<&str, usize> = HashMap::new();
    let mut terms: Vec<TermData> = Vec::new();
    // (term, patient) -> position in terms[term].patients
    let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
    for (i, r) in input.records.iter().enumerate() {
        let patient = r.patient.trim();
        let arm = r.arm.trim();
        let term = r.term.trim();
        for (value, field) in [(patient, "patient"), (arm, "arm"), (term, "term")] {
            if value.is_empty() {
                return Err(AeError::EmptyField {
                    index: i,
                    field: field.into(),
                });
            }
        }
        let a = arms
            .iter()
            .position(|x| x == arm)
            .ok_or_else(|| AeError::UnknownArm {
                index: i,
                arm: arm.to_string(),
                arms: arms.clone(),
            })?;
        match patient_arm.get(patient) {
            Some(&first) if first != a => {
                return Err(AeError::PatientInTwoArms {
                    index: i,
                    patient: patient.to_string(),
                    arm: arm.to_string(),
                    first_arm: arms[first].clone(),
                })
            }
            Some(_) => {}
            None => {
                patient_arm.insert(patient, a);
            }
        }
        let t = *term_index.entry(term).or_insert_with(|| {
            terms.push(TermData {
                term: term.to_string(),
                graded: true,
                patients: Vec::new(),
                at_risk: input.at_risk.clone(),
            });
            terms.len() - 1
        });
        let grade = r.grade.map_or(Worst::NotRecorded, Worst::Grade);
        match seen.get(&(t, patient)) {
            Some(&k) => {
                let entry = &mut terms[t].patients[k].1;
                *entry = worse(*entry, grade);
            }
            None => {
                seen.insert((t, patient), terms[t].patients.len());
                terms[t]
                    .patients
                    .push((a, grade, i, Some(patient.to_string())));
            }
        }
    }
    let mut per_arm = vec![0u64; arms.len()];
    for &a in patient_arm.values() {
        per_arm[a] += 1;
    }
    for (a, (&p, &n)) in per_arm.iter().zip(&input.at_risk).enumerate() {
        if p > n {
            return Err(AeError::MorePatientsThanAtRisk {
                arm: arms[a].clone(),
                patients: p,
                at_risk: n,
            });
        }
    }
    Ok(build(arms, input.at_risk.clone(), terms, options))
}

/// The worse of two worst-grade entries: a recorded grade beats "not recorded".
fn worse(a: Worst, b: Worst) -> Worst {
    match (a, b) {
        (Worst::Grade(x), Worst::Grade(y)) => Worst::Grade(x.max(y)),
        (Worst::Grade(x), Worst::NotRecorded) | (Worst::NotRecorded, Worst::Grade(x)) => {
            Worst::Grade(x)
        }
        (Worst::NotRecorded, Worst::NotRecorded) => Worst::NotRecorded,
    }
}

/// The adverse-event table from per-patient columns.
///
/// # Formula
/// As [`ae_table_long`], with each column already holding the patient's worst grade
/// (or 0/1); a missing value leaves that patient out of that event's denominator (listed in
/// [`AeTable::excluded`]).
///
/// # Errors
/// No patients; an empty or unknown arm; a duplicated arm label; a column of the wrong
/// length, without a term or with a repeated term; a 0/1 column holding another value; a
/// grade range with a 0/1 column; an empty grade range.
///
/// # References
/// CTCAE v5.0; R `fisher.test`, `chisq.test`.
pub fn ae_table_wide(input: &AeWideInput, options: &AeOptions) -> Result<AeTable, AeError> {
    check_options(options)?;
    let mut arms: Vec<String> = input.arms.iter().map(|a| a.trim().to_string()).collect();
    if arms.is_empty() {
        for a in &input.arm {
            let a = a.trim();
            if !a.is_empty() && !arms.iter().any(|x| x == a) {
                arms.push(a.to_string());
            }
        }
    }
    check_arms(&arms)?;
    let mut arm_of = Vec::with_capacity(input.arm.len());
    for (i, a) in input.arm.iter().enumerate() {
        let a = a.trim();
        if a.is_empty() {
            return Err(AeError::EmptyField {
                index: i,
                field: "arm".into(),
            });
        }
        let k = arms
            .iter()
            .position(|x| x == a)
            .ok_or_else(|| AeError::UnknownArm {
                index: i,
                arm: a.to_string(),
                arms: arms.clone(),
            })?;
        arm_of.push(k);
    }
    let mut at_risk = vec![0u64; arms.len()];
    for &k in &arm_of {
        at_risk[k] += 1;
    }
    for (a, &n) in arms.iter().zip(&at_risk) {
        if n == 0 {
            return Err(AeError::ZeroAtRisk { arm: a.clone() });
        }
    }
    let mut terms = Vec::with_capacity(input.columns.len());
    let mut excluded = Vec::new();
    for (c, col) in input.columns.iter().enumerate() {
        let term = col.term.trim();
        if term.is_empty() || input.columns[..c].iter().any(|o| o.term.trim() == term) {
            return Err(AeError::ColumnTerm {
                column: c,
                term: term.to_string(),
            });
        }
        if col.values.len() != arm_of.len() {
            return Err(AeError::ColumnLength {
                term: term.to_string(),
                len: col.values.len(),
                expected: arm_of.len(),
            });
        }
        let graded = col.coding == AeCoding::Grade;
        if !graded && options.grades.is_some() {
            return Err(AeError::GradeRangeOnBinary {
                term: term.to_string(),
            });
        }
        let mut den = at_risk.clone();
        let mut patients = Vec::new();
        for (i, v) in col.values.iter().enumerate() {
            match *v {
                None => {
                    den[arm_of[i]] -= 1;
                    excluded.push(AeExclusion {
                        index: i,
                        patient: None,
                        term: term.to_string(),
                        reason: "value missing: the patient is left out of this event's \
                                 denominator"
                            .into(),
                    });
                }
                Some(0) => {}
                Some(g) => {
                    if !graded && g != 1 {
                        return Err(AeError::InvalidBinaryValue {
                            term: term.to_string(),
                            index: i,
                            value: g,
                        });
                    }
                    patients.push((arm_of[i], Worst::Grade(g), i, None));
                }
            }
        }
        terms.push(TermData {
            term: term.to_string(),
            graded,
            patients,
            at_risk: den,
        });
    }
    let mut table = build(arms, at_risk, terms, options);
    excluded.append(&mut table.excluded);
    table.excluded = excluded;
    Ok(table)
}

/// Counts, tests and orders the rows.
fn build(
    arms: Vec<String>,
    at_risk: Vec<u64>,
    terms: Vec<TermData>,
    options: &AeOptions,
) -> AeTable {
    let k = arms.len();
    let mut excluded = Vec::new();
    // (term row, its grade rows), kept together for ordering.
    let mut groups: Vec<(AeRow, Vec<AeRow>)> = Vec::new();
    for t in &terms {
        let mut counts = vec![0u64; k];
        let mut by_grade: Vec<(u32, Vec<u64>)> = Vec::new();
        let mut not_recorded = vec![0u64; k];
        for (arm, worst, index, patient) in &t.patients {
            let selected = match (options.grades, worst) {
                (None, _) => true,
                (Some(r), Worst::Grade(g)) => r.contains(*g),
                (Some(_), Worst::NotRecorded) => {
                    excluded.push(AeExclusion {
                        index: *index,
                        patient: patient.clone(),
                        term: t.term.clone(),
                        reason: "grade not recorded: cannot tell whether the event is in the \
                                 grade range"
                            .into(),
                    });
                    false
                }
            };
            if !selected {
                continue;
            }
            counts[*arm] += 1;
            match worst {
                Worst::Grade(g) => match by_grade.iter_mut().find(|(x, _)| x == g) {
                    Some((_, c)) => c[*arm] += 1,
                    None => {
                        let mut c = vec![0u64; k];
                        c[*arm] = 1;
                        by_grade.push((*g, c));
                    }
                },
                Worst::NotRecorded => not_recorded[*arm] += 1,
            }
        }
        let total: u64 = counts.iter().sum();
        if total == 0 && options.drop_empty {
            continue;
        }
        let head = row(
            &t.term,
            AeLevel::AllGrades,
            counts,
            &t.at_risk,
            options.test,
        );
        let mut sub = Vec::new();
        if options.by_grade && t.graded {
            by_grade.sort_by_key(|(g, _)| *g);
            for (g, c) in by_grade {
                sub.push(row(&t.term, AeLevel::Grade(g), c, &t.at_risk, options.test));
            }
            if not_recorded.iter().any(|&c| c > 0) {
                sub.push(row(
                    &t.term,
                    AeLevel::GradeNotRecorded,
                    not_recorded,
                    &t.at_risk,
                    options.test,
                ));
            }
        }
        groups.push((head, sub));
    }
    match options.order {
        AeOrder::Input => {}
        AeOrder::Frequency => groups.sort_by_key(|g| std::cmp::Reverse(g.0.total)),
        AeOrder::Alphabetical => {
            groups.sort_by_key(|g| g.0.term.to_lowercase());
        }
    }
    let rows = groups
        .into_iter()
        .flat_map(|(h, s)| std::iter::once(h).chain(s))
        .collect();
    AeTable {
        method: method_statement(options),
        arms,
        at_risk,
        rows,
        excluded,
        options: *options,
    }
}

/// One row with its percentages and test.
fn row(term: &str, level: AeLevel, counts: Vec<u64>, at_risk: &[u64], test: AeTest) -> AeRow {
    let percent = counts
        .iter()
        .zip(at_risk)
        .map(|(&c, &n)| {
            if n == 0 {
                f64::NAN
            } else {
                100.0 * c as f64 / n as f64
            }
        })
        .collect();
    let total = counts.iter().sum();
    let mut warnings = Vec::new();
    let (p_value, name) = if counts.len() < 2 {
        (None, None)
    } else {
        let table = vec![
            counts.clone(),
            counts
                .iter()
                .zip(at_risk)
                .map(|(&c, &n)| n.saturating_sub(c))
                .collect(),
        ];
        match test {
            AeTest::Fisher => match fisher_test_table(&table) {
                Ok(f) => (Some(f.p_value), Some(f.method)),
                Err(e) => {
                    warnings.push(e.to_string());
                    (None, Some("Fisher's Exact Test for Count Data".to_string()))
                }
            },
            AeTest::ChiSquare { correct } => match chisq_test(&table, &ChisqOptions { correct }) {
                Ok(c) => {
                    warnings = c.warnings;
                    (c.p_value, Some(c.method))
                }
                Err(e) => {
                    warnings.push(e.to_string());
                    (None, Some("Pearson's Chi-squared test".to_string()))
                }
            },
        }
    };
    AeRow {
        term: term.to_string(),
        level,
        counts,
        at_risk: at_risk.to_vec(),
        percent,
        total,
        p_value,
        test: name,
        warnings,
    }
}

fn method_statement(options: &AeOptions) -> String {
    let grades = match options.grades {
        Some(r) => format!("{} adverse events", r.label()),
        None => "adverse events of any grade".to_string(),
    };
    let test = match options.test {
        AeTest::Fisher => "Fisher's exact test (two-sided)".to_string(),
        AeTest::ChiSquare { correct: true } => {
            "Pearson's chi-square test (Yates' correction for two arms)".to_string()
        }
        AeTest::ChiSquare { correct: false } => "Pearson's chi-square test".to_string(),
    };
    format!(
        "Number (%) of patients with {grades}; each patient counted once per event term at \
         the worst grade; percentages of the patients at risk in each arm; arms compared by \
         {test}."
    )
}

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
