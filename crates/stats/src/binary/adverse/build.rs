//! Building the table: each term's patients reduced to their worst grade, counted by arm,
//! tested, and ordered.

use super::*;

/// The worst grade of one patient for one term, as far as the input tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Worst {
    /// The highest recorded grade.
    Grade(u32),
    /// The patient had the event but no grade is recorded.
    NotRecorded,
}

/// One term's patients, already reduced to one entry per patient.
pub(super) struct TermData {
    pub(super) term: String,
    /// Whether the term carries grades (false for 0/1 columns).
    pub(super) graded: bool,
    /// (arm, worst grade, index of the first record or the patient row, patient id).
    pub(super) patients: Vec<(usize, Worst, usize, Option<String>)>,
    /// Denominator per arm for this term.
    pub(super) at_risk: Vec<u64>,
}

pub(super) fn check_options(options: &AeOptions) -> Result<(), AeError> {
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

pub(super) fn check_arms(arms: &[String]) -> Result<(), AeError> {
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
pub(super) fn worse(a: Worst, b: Worst) -> Worst {
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
pub(super) fn build(
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
pub(super) fn row(
    term: &str,
    level: AeLevel,
    counts: Vec<u64>,
    at_risk: &[u64],
    test: AeTest,
) -> AeRow {
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

pub(super) fn method_statement(options: &AeOptions) -> String {
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
