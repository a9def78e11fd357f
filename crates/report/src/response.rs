//! From a table to the binary analyses of a trial report: the response rate per arm with
//! its comparison, and the adverse-event table from per-patient columns. Every row that
//! cannot be used is listed, as for survival endpoints.

use survcalc_io::error::MappingError;
use survcalc_io::mapping::Exclusion;
use survcalc_io::table::{is_missing, parse_number, Table};
use survcalc_stats::adverse::{ae_table_wide, AeCoding, AeColumn, AeOptions, AeTable, AeWideInput};
use survcalc_stats::binary::{
    compare_proportions, fisher_test_table, proportion, BinaryComparison, BinaryOptions,
    FisherTableTest, Proportion, TwoByTwo,
};

/// Which columns hold a binary outcome (e.g. objective response) and the arm.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ResponseMapping {
    /// The outcome column.
    pub outcome: String,
    /// The arm column.
    pub group: String,
    /// Values meaning "success" (response). Empty recognises 1/0, yes/no, true/false and
    /// RECIST best overall response (CR, PR = response; SD, PD, NE = no response).
    pub success: Vec<String>,
    /// The reference arm (the first in the data by default).
    pub reference: Option<String>,
}

/// One arm's proportion.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ArmProportion {
    /// The arm.
    pub group: String,
    /// Successes, patients, estimate and its Clopper–Pearson and Wilson CIs.
    pub proportion: Proportion,
}

/// The analysis of a binary outcome by arm.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ResponseAnalysis {
    /// The outcome column.
    pub outcome: String,
    /// Data rows in the table.
    pub n_rows: usize,
    /// Rows analysed.
    pub n_used: usize,
    /// Rows left out, with line, column, value and reason.
    pub excluded: Vec<Exclusion>,
    /// How the outcome was read, e.g. "response: 1 = success, 0 = failure".
    pub coding: String,
    /// Arms in analysis order; the first is the reference.
    pub groups: Vec<String>,
    /// Per-arm proportions.
    pub arms: Vec<ArmProportion>,
    /// Each non-reference arm versus the reference: Fisher, chi-square (with and without
    /// Yates), risk difference (Newcombe), risk ratio and odds ratio.
    pub comparisons: Vec<BinaryComparison>,
    /// Fisher's exact test of the whole arms × outcome table, with three or more arms.
    pub overall: Option<FisherTableTest>,
    /// Remarks that do not stop the analysis.
    pub warnings: Vec<String>,
}

const SUCCESS: [&str; 9] = [
    "1",
    "yes",
    "y",
    "true",
    "responder",
    "response",
    "cr",
    "pr",
    "success",
];
const FAILURE: [&str; 10] = [
    "0",
    "no",
    "n",
    "false",
    "non-responder",
    "nonresponder",
    "sd",
    "pd",
    "ne",
    "failure",
];

pub(crate) fn norm(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

/// The index of the column `name` for `role`, or the error naming the columns there are.
pub(crate) fn column(table: &Table, role: &str, name: &str) -> Result<usize, MappingError> {
    table
        .column_index(name)
        .ok_or_else(|| MappingError::UnknownColumn {
            role: role.to_string(),
            name: name.to_string(),
            available: table.columns.clone(),
        })
}

/// What an outcome cell means: success, failure, or `None` when unknown. `user` holds the
/// values the user named as success (normalised), empty to recognise the usual codings.
pub(crate) fn outcome_of(cell: &str, user: &[String], decimal_comma: bool) -> Option<bool> {
    let v = norm(cell);
    let numeric = parse_number(cell, decimal_comma);
    if !user.is_empty() {
        Some(
            user.contains(&v)
                || numeric.is_some_and(|x| user.iter().any(|u| parse_number(u, false) == Some(x))),
        )
    } else if SUCCESS.contains(&v.as_str()) || numeric == Some(1.0) {
        Some(true)
    } else if FAILURE.contains(&v.as_str()) || numeric == Some(0.0) {
        Some(false)
    } else {
        None
    }
}

/// Analyses a binary outcome by arm.
///
/// # Errors
/// [`MappingError::UnknownColumn`] for a column not in the table,
/// [`MappingError::NoValidRows`] when no row can be used,
/// [`MappingError::UnknownReference`] for a reference arm without valid rows.
pub fn analyze_response(
    table: &Table,
    mapping: &ResponseMapping,
    options: &BinaryOptions,
) -> Result<ResponseAnalysis, MappingError> {
    let oc = column(table, "outcome", &mapping.outcome)?;
    let gc = column(table, "group", &mapping.group)?;
    let user: Vec<String> = mapping.success.iter().map(|s| norm(s)).collect();
    let mut groups: Vec<String> = Vec::new();
    let mut counts: Vec<(u64, u64)> = Vec::new();
    let mut excluded = Vec::new();
    for r in 0..table.n_rows() {
        let line = table.lines.get(r).unwrap_or(0);
        let ov = table.cell(r, oc);
        let gv = table.cell(r, gc);
        let exclude = |col: &str, v: &str, reason: &str| Exclusion {
            line,
            column: col.to_string(),
            value: v.to_string(),
            reason: reason.to_string(),
        };
        if is_missing(gv) {
            excluded.push(exclude(
                &mapping.group,
                gv,
                "missing group: fill in the arm or leave the row out",
            ));
            continue;
        }
        if is_missing(ov) {
            excluded.push(exclude(&mapping.outcome, ov, "missing outcome: patients without an assessment are not counted in the denominator; code them as non-responders if that is the trial's rule"));
            continue;
        }
        let Some(success) = outcome_of(ov, &user, table.decimal_comma) else {
            excluded.push(exclude(
                &mapping.outcome,
                ov,
                "unknown outcome value: expected 1/0, yes/no, true/false or CR/PR/SD/PD/NE; or name the values that mean success",
            ));
            continue;
        };
        let g = match groups.iter().position(|x| x == gv) {
            Some(i) => i,
            None => {
                groups.push(gv.to_string());
                counts.push((0, 0));
                groups.len() - 1
            }
        };
        counts[g].1 += 1;
        if success {
            counts[g].0 += 1;
        }
    }
    let n_used: u64 = counts.iter().map(|c| c.1).sum();
    if n_used == 0 {
        return Err(MappingError::NoValidRows {
            rows: table.n_rows(),
            first: excluded.into_iter().take(5).collect(),
        });
    }
    if let Some(r) = &mapping.reference {
        let Some(i) = groups.iter().position(|g| g == r) else {
            return Err(MappingError::UnknownReference {
                level: r.clone(),
                groups,
            });
        };
        let g = groups.remove(i);
        groups.insert(0, g);
        let c = counts.remove(i);
        counts.insert(0, c);
    }
    let mut warnings = Vec::new();
    let arms: Vec<ArmProportion> = groups
        .iter()
        .zip(&counts)
        .filter_map(|(g, &(x, n))| match proportion(x, n, options.conf_level) {
            Ok(p) => Some(ArmProportion {
                group: g.clone(),
                proportion: p,
            }),
            Err(e) => {
                warnings.push(format!("{g}: {e}"));
                None
            }
        })
        .collect();
    let mut comparisons = Vec::new();
    for (i, g) in groups.iter().enumerate().skip(1) {
        let t = TwoByTwo::new(counts[i].0, counts[i].1, counts[0].0, counts[0].1)
            .and_then(|t| compare_proportions(&t, options));
        match t {
            Ok(c) => comparisons.push(c),
            Err(e) => warnings.push(format!("{g} vs {}: {e}", groups[0])),
        }
    }
    let overall = if groups.len() >= 3 {
        let m: Vec<Vec<u64>> = counts.iter().map(|&(x, n)| vec![x, n - x]).collect();
        match fisher_test_table(&m) {
            Ok(f) => Some(f),
            Err(e) => {
                warnings.push(format!("overall Fisher test not computed: {e}"));
                None
            }
        }
    } else {
        if groups.len() < 2 {
            warnings.push("only one arm has valid rows, so there is no comparison".into());
        }
        None
    };
    let coding = if user.is_empty() {
        format!(
            "{}: 1/yes/true/CR/PR = success, 0/no/false/SD/PD/NE = failure",
            mapping.outcome
        )
    } else {
        format!(
            "{}: {} = success, other values = failure",
            mapping.outcome,
            mapping.success.join("/")
        )
    };
    Ok(ResponseAnalysis {
        outcome: mapping.outcome.clone(),
        n_rows: table.n_rows(),
        n_used: n_used as usize,
        excluded,
        coding,
        groups,
        arms,
        comparisons,
        overall,
        warnings,
    })
}

/// An adverse-event table from per-patient columns (one column per event term, holding
/// 0/1 or the worst grade; blank = not assessed), each term named by [`ae_term_label`].
///
/// # Errors
/// A message naming the column, row and value that could not be read, or what
/// [`ae_table_wide`] reports.
pub fn ae_from_columns(
    table: &Table,
    group: &str,
    columns: &[String],
    options: &AeOptions,
) -> Result<AeTable, String> {
    ae_from_columns_labelled(table, group, columns, &[], options)
}

/// [`ae_from_columns`] with the user's names for some terms: `(column, label)` pairs;
/// a column without one (or with an empty one) is named by [`ae_term_label`].
///
/// # Errors
/// As [`ae_from_columns`].
pub fn ae_from_columns_labelled(
    table: &Table,
    group: &str,
    columns: &[String],
    labels: &[(String, String)],
    options: &AeOptions,
) -> Result<AeTable, String> {
    let label = |name: &str| {
        labels
            .iter()
            .find(|(c, l)| c == name && !l.trim().is_empty())
            .map_or_else(|| ae_term_label(name), |(_, l)| l.trim().to_string())
    };
    let gc = column(table, "group", group).map_err(|e| e.to_string())?;
    let mut arm = Vec::with_capacity(table.n_rows());
    let mut rows = Vec::with_capacity(table.n_rows());
    for r in 0..table.n_rows() {
        let g = table.cell(r, gc);
        if !is_missing(g) {
            arm.push(g.to_string());
            rows.push(r);
        }
    }
    let mut cols = Vec::new();
    for name in columns {
        let c = column(table, "adverse-event", name).map_err(|e| e.to_string())?;
        let mut values = Vec::with_capacity(rows.len());
        for &r in &rows {
            let v = table.cell(r, c);
            if is_missing(v) {
                values.push(None);
                continue;
            }
            match parse_number(v, table.decimal_comma) {
                Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= 5.0 => values.push(Some(x as u32)),
                _ => {
                    return Err(format!(
                        "line {}, column \"{name}\", value \"{v}\": an adverse-event column holds 0/1 or a CTCAE grade 0–5",
                        table.lines.get(r).unwrap_or(0)
                    ))
                }
            }
        }
        let graded = values.iter().flatten().any(|&g| g > 1);
        cols.push(AeColumn {
            term: label(name),
            coding: if graded || options.grades.is_some() {
                AeCoding::Grade
            } else {
                AeCoding::Binary
            },
            values,
        });
    }
    let input = AeWideInput {
        arms: Vec::new(),
        arm,
        columns: cols,
    };
    ae_table_wide(&input, options).map_err(|e| e.to_string())
}

/// Which columns of a long adverse-event table (one row per patient and event) play which
/// role, and how many patients each arm has (patients without any event have no row, so
/// the denominators must be given).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AeLongMapping {
    /// Patient identifier column.
    pub patient: String,
    /// Arm column.
    pub group: String,
    /// Event term column (e.g. MedDRA preferred term).
    pub term: String,
    /// Grade column (CTCAE); `None` when the table has no grades.
    pub grade: Option<String>,
    /// Patients per arm, in the order the arms are shown.
    pub at_risk: Vec<(String, u64)>,
}

/// An adverse-event table from a long table: one row per patient and event, each patient
/// counted once per term at the worst grade.
///
/// # Errors
/// A message naming the line, column and value that could not be read, or what
/// [`survcalc_stats::adverse::ae_table_long`] reports.
pub fn ae_from_long(
    table: &Table,
    mapping: &AeLongMapping,
    options: &AeOptions,
) -> Result<AeTable, String> {
    let col = |role: &str, name: &str| column(table, role, name).map_err(|e| e.to_string());
    let pc = col("patient", &mapping.patient)?;
    let gc = col("group", &mapping.group)?;
    let tc = col("term", &mapping.term)?;
    let grc = match &mapping.grade {
        Some(g) => Some(col("grade", g)?),
        None => None,
    };
    let mut records = Vec::with_capacity(table.n_rows());
    for r in 0..table.n_rows() {
        let grade = match grc {
            None => None,
            Some(c) => {
                let v = table.cell(r, c);
                if is_missing(v) {
                    None
                } else {
                    match parse_number(v, table.decimal_comma) {
                        Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= 5.0 => Some(x as u32),
                        _ => {
                            return Err(format!(
                            "line {}, column \"{}\", value \"{v}\": a grade is a whole number 0–5",
                            table.lines.get(r).unwrap_or(0),
                            table.columns[c]
                        ))
                        }
                    }
                }
            }
        };
        records.push(survcalc_stats::adverse::AeRecord {
            patient: table.cell(r, pc).to_string(),
            arm: table.cell(r, gc).to_string(),
            term: table.cell(r, tc).to_string(),
            grade,
        });
    }
    let input = survcalc_stats::adverse::AeLongInput {
        arms: mapping.at_risk.iter().map(|(a, _)| a.clone()).collect(),
        at_risk: mapping.at_risk.iter().map(|(_, n)| *n).collect(),
        records,
    };
    survcalc_stats::adverse::ae_table_long(&input, options).map_err(|e| e.to_string())
}

/// Whether a column name says it holds a binary response: response, orr, bor,
/// best_response, responder, resp (alone or as a `_` word).
fn is_response_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "response",
        "orr",
        "bor",
        "best_response",
        "responder",
        "resp",
    ]
    .iter()
    .any(|k| n == *k || n.starts_with(&format!("{k}_")) || n.ends_with(&format!("_{k}")))
}

/// The first column whose name says it holds the response, if any.
pub fn guess_response_column(columns: &[String]) -> Option<String> {
    columns.iter().find(|c| is_response_name(c)).cloned()
}

/// Grade columns that are not adverse events (tumour grade, performance status).
const NOT_AE_GRADES: [&str; 9] = [
    "tumor",
    "tumour",
    "histologic",
    "histological",
    "gleason",
    "who",
    "nuclear",
    "fuhrman",
    "isup",
];

/// The words of a column name, lower case.
fn name_words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The per-patient adverse-event columns: those named `ae_…` or `ae.…`, and worst-grade
/// columns named `…_grade` (`diarrhoea_grade`, `hfs_grade`, `grade_neutropenia`) other
/// than tumour or histological grades.
pub fn guess_ae_columns(columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .filter(|c| {
            let n = c.to_ascii_lowercase();
            let w = name_words(c);
            let graded = w.len() > 1
                && w.iter()
                    .any(|x| matches!(x.as_str(), "grade" | "grd" | "ctcae"))
                && !w.iter().any(|x| NOT_AE_GRADES.contains(&x.as_str()));
            n.starts_with("ae_") || n.starts_with("ae.") || graded
        })
        .cloned()
        .collect()
}

/// Abbreviations of adverse-event columns and the terms they stand for (CTCAE wording,
/// British spelling as the reference trial's report).
const AE_TERMS: [(&str, &str); 16] = [
    ("hfs", "Hand–foot syndrome"),
    ("hfsr", "Hand–foot skin reaction"),
    ("ppe", "Palmar–plantar erythrodysaesthesia"),
    ("hand foot", "Hand–foot syndrome"),
    ("handfoot", "Hand–foot syndrome"),
    ("hand foot syndrome", "Hand–foot syndrome"),
    ("diarrhea", "Diarrhoea"),
    ("anemia", "Anaemia"),
    ("plt", "Thrombocytopenia"),
    ("anc", "Neutropenia"),
    ("alt", "ALT increased"),
    ("ast", "AST increased"),
    ("htn", "Hypertension"),
    ("ast alt", "AST/ALT increased"),
    ("bili", "Blood bilirubin increased"),
    ("gi bleed", "Gastrointestinal haemorrhage"),
];

/// The term an adverse-event column is shown as: without its `ae_` prefix and `_grade`
/// suffix, abbreviations spelled out, words separated by spaces and the first capitalised
/// (`ae_hand_foot` and `hfs_grade` → "Hand–foot syndrome", `diarrhoea_grade` →
/// "Diarrhoea"). A name it does not recognise keeps its words.
pub fn ae_term_label(column: &str) -> String {
    let w: Vec<String> = name_words(column)
        .into_iter()
        .filter(|x| {
            !matches!(
                x.as_str(),
                "ae" | "grade" | "grd" | "ctcae" | "max" | "worst"
            )
        })
        .collect();
    if w.is_empty() {
        return column.to_string();
    }
    let phrase = w.join(" ");
    if let Some((_, term)) = AE_TERMS.iter().find(|(k, _)| *k == phrase) {
        return (*term).to_string();
    }
    let mut c = phrase.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn regression_grade_columns_are_adverse_events() {
        // Issue 10: `*_grade` columns gave no AE section and no message.
        let cols = names(&[
            "id",
            "arm",
            "diarrhoea_grade",
            "hfs_grade",
            "grade_neutropenia",
            "tumour_grade",
            "ae_rash",
            "grade",
        ]);
        assert_eq!(
            guess_ae_columns(&cols),
            names(&[
                "diarrhoea_grade",
                "hfs_grade",
                "grade_neutropenia",
                "ae_rash"
            ])
        );
    }

    #[test]
    fn ae_terms_read_as_words() {
        for (col, term) in [
            ("ae_hand_foot", "Hand–foot syndrome"),
            ("hfs_grade", "Hand–foot syndrome"),
            ("diarrhoea_grade", "Diarrhoea"),
            ("ae.diarrhea", "Diarrhoea"),
            ("thrombocytopenia_grade", "Thrombocytopenia"),
            ("ALT_grade", "ALT increased"),
            ("ae_peripheral_neuropathy", "Peripheral neuropathy"),
            ("Fatigue", "Fatigue"),
        ] {
            assert_eq!(ae_term_label(col), term, "{col}");
        }
    }
}
