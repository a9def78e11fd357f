//! The reference trial of PRODUCT.md rebuilt from patient-level rows: objective response
//! 13/32 vs 1/32 (P < .001) and the grade 3–4 adverse events diarrhoea 7 vs 5, hand–foot
//! syndrome 6 vs 2, thrombocytopenia 7 vs 0 — through the same table → mapping → analysis
//! path the page and the CLI use. Expected P values are R's (`fisher.test`, `chisq.test`),
//! printed with `options(digits = 17)`.
//!
//! - `response_rate_as_reported`
//! - `grade_3_4_adverse_events_as_reported`
//! - `unknown_outcome_values_are_listed`

use survcalc_core::adverse::{AeOptions, GradeRange};
use survcalc_core::binary::BinaryOptions;
use survcalc_core::response::{ae_from_columns, analyze_response, ResponseMapping};
use survcalc_core::Table;

const REL: f64 = 1e-10;

/// 32 patients per arm; per arm: responders, and how many have each AE at grade 3 (the
/// others get grade 1 for that event, so that the grade filter matters).
fn trial_csv() -> String {
    let mut s = String::from("id,arm,response,diarrhoea,hand_foot,thrombocytopenia\n");
    let arms = [
        ("Sorafenib", 1, [5, 2, 0]),
        ("Sorafenib+HAIC", 13, [7, 6, 7]),
    ];
    let mut id = 0;
    for (arm, responders, ae) in arms {
        for i in 0..32 {
            id += 1;
            let grade = |k: usize| {
                if i < ae[k] {
                    if i % 2 == 0 {
                        3
                    } else {
                        4
                    }
                } else {
                    1
                }
            };
            s.push_str(&format!(
                "{id},{arm},{},{},{},{}\n",
                if i >= 32 - responders { "PR" } else { "SD" },
                grade(0),
                grade(1),
                grade(2)
            ));
        }
    }
    s
}

/// The response analysis of the trial by arm, as reported.
fn response_by_arm(table: &Table) -> survcalc_core::response::ResponseAnalysis {
    let m = ResponseMapping {
        outcome: "response".into(),
        group: "arm".into(),
        ..ResponseMapping::default()
    };
    analyze_response(table, &m, &BinaryOptions::default()).expect("analysis")
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn response_rate_as_reported() {
    let table = Table::parse(&trial_csv()).expect("table");
    let a = response_by_arm(&table);
    assert_eq!(a.groups, vec!["Sorafenib", "Sorafenib+HAIC"]);
    assert_eq!((a.arms[1].proportion.x, a.arms[1].proportion.n), (13, 32));
    assert_eq!((a.arms[0].proportion.x, a.arms[0].proportion.n), (1, 32));
    // 41% and 3%, as reported.
    assert_eq!(
        format!("{:.0}%", 100.0 * a.arms[1].proportion.estimate),
        "41%"
    );
    assert_eq!(
        format!("{:.0}%", 100.0 * a.arms[0].proportion.estimate),
        "3%"
    );
    // R: binom.test(13, 32)$conf.int
    let cp = a.arms[1].proportion.clopper_pearson;
    assert!(rel(cp.lower, 0.23698410055174315) < REL && rel(cp.upper, 0.5935507534235236) < REL);
    let c = &a.comparisons[0];
    assert!(
        rel(c.fisher.p_value, 0.00048426376836915755) < REL,
        "{}",
        c.fisher.p_value
    );
    let chi = c.chisq_corrected.p_value.expect("chi-square P");
    assert!(rel(chi, 0.000880743190741727) < REL, "{chi}");
    assert_eq!(survcalc_core::format::p_label(c.fisher.p_value), "P < .001");
}

#[test]
fn grade_3_4_adverse_events_as_reported() {
    let table = Table::parse(&trial_csv()).expect("table");
    let cols = vec![
        "diarrhoea".to_string(),
        "hand_foot".into(),
        "thrombocytopenia".into(),
    ];
    let options = AeOptions {
        grades: Some(GradeRange { min: 3, max: 4 }),
        ..AeOptions::default()
    };
    let t = ae_from_columns(&table, "arm", &cols, &options).expect("AE table");
    let expected = [
        ("Diarrhoea", [5, 7], 0.7499603359975586),
        ("Hand–foot syndrome", [2, 6], 0.2565186235942733),
        ("Thrombocytopenia", [0, 7], 0.01083634342873021),
    ];
    assert_eq!(t.arms, vec!["Sorafenib", "Sorafenib+HAIC"]);
    for (term, counts, p) in expected {
        let row = t
            .rows
            .iter()
            .find(|r| r.term == term)
            .expect("row for term");
        assert_eq!(row.counts, counts.to_vec(), "{term}");
        assert_eq!(row.at_risk, vec![32, 32]);
        let got = row.p_value.expect("P value");
        assert!(rel(got, p) < REL, "{term}: {got} vs {p}");
    }
}

#[test]
fn unknown_outcome_values_are_listed() {
    let table = Table::parse("arm,response\nA,1\nA,maybe\nB,0\nB,\n").expect("table");
    let m = ResponseMapping {
        outcome: "response".into(),
        group: "arm".into(),
        ..ResponseMapping::default()
    };
    let a = analyze_response(&table, &m, &BinaryOptions::default()).expect("analysis");
    assert_eq!(a.n_used, 2);
    let lines: Vec<u64> = a.excluded.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 5]);
    assert!(a.excluded[0].reason.starts_with("unknown outcome value"));
}

/// The sentences of a results section, from R's numbers above (binom.test 1/32:
/// 0.00079, 0.16217) rounded as a journal prints them.
#[test]
fn results_sentences_as_a_paper_writes_them() {
    use survcalc_core::report::{ae_sentences, response_sentence, TextStyle};
    let table = Table::parse(&trial_csv()).expect("table");
    let a = response_by_arm(&table);
    assert_eq!(
        response_sentence(&a, TextStyle::default()),
        "The response rate was 40.6% (13 of 32; 95% CI: 23.7, 59.4) with Sorafenib+HAIC and 3.1% (1 of 32; 95% CI: 0.1, 16.2) with Sorafenib (P < .001, Fisher's exact test)."
    );
    let options = AeOptions {
        grades: Some(GradeRange { min: 3, max: 4 }),
        ..AeOptions::default()
    };
    let cols = vec![
        "diarrhoea".to_string(),
        "hand_foot".into(),
        "thrombocytopenia".into(),
    ];
    let t = ae_from_columns(&table, "arm", &cols, &options).expect("AE table");
    let s = ae_sentences(&t, TextStyle::default());
    assert!(s.contains(&"Grade 3–4 thrombocytopenia occurred in 21.9% (7 of 32) with Sorafenib+HAIC and 0.0% (0 of 32) with Sorafenib (P = .01, Fisher's exact test).".to_string()), "{s:?}");
    // 2/32 = 6.25% exactly: a tie, rounded to even as R's sprintf("%.1f") and round() do.
    assert!(s.contains(&"Grade 3–4 hand–foot syndrome occurred in 18.8% (6 of 32) with Sorafenib+HAIC and 6.2% (2 of 32) with Sorafenib (P = .26, Fisher's exact test).".to_string()), "{s:?}");
}
