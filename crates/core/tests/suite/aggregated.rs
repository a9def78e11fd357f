//! An aggregated table — one row per (time, arm, status) with the number of patients,
//! as `SELECT time, arm, status, count(*) AS n … GROUP BY 1, 2, 3` returns it — gives the
//! numbers of the patient-level rows it came from (issue 15).

use survcalc_core::mapping::{guess, prepare, MAX_PATIENTS};
use survcalc_core::MappingError;
use survcalc_core::{analyze, AnalysisOptions, Table};

/// R's veteran data (137 patients, many tied times) and its aggregation by
/// (time, trt, status), with the count column `n` and a row of count 0.
fn veteran_and_aggregated() -> (String, String) {
    let csv = include_str!("../../../../tests/fixtures/veteran.csv");
    let t = Table::parse(csv).expect("veteran parses");
    let (ct, cs, cg) = (
        t.column_index("time").expect("time"),
        t.column_index("status").expect("status"),
        t.column_index("trt").expect("trt"),
    );
    let mut long = String::from("time,status,trt\n");
    let mut counts: Vec<((String, String, String), u64)> = Vec::new();
    for r in 0..t.n_rows() {
        let key = (
            t.cell(r, ct).to_string(),
            t.cell(r, cs).to_string(),
            t.cell(r, cg).to_string(),
        );
        long.push_str(&format!("{},{},{}\n", key.0, key.1, key.2));
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    // Reversed, so that the aggregated rows are in another order than the patients.
    let mut agg = String::from("trt,time,status,n\n");
    for ((time, status, trt), n) in counts.iter().rev() {
        agg.push_str(&format!("{trt},{time},{status},{n}\n"));
    }
    agg.push_str("1,999,1,0\n");
    (long, agg)
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// The patient rows' analysis `a` and the aggregated table's `b` have the same curves
/// (times, numbers at risk, events, censored; survival to 1e-14) and log-rank χ² (1e-12).
fn assert_same_curves_and_log_rank(a: &survcalc_core::Analysis, b: &survcalc_core::Analysis) {
    for (ca, cb) in a.curves.iter().zip(&b.curves) {
        assert_eq!(
            (&ca.time, &ca.n_risk, &ca.n_event, &ca.n_censor),
            (&cb.time, &cb.n_risk, &cb.n_event, &cb.n_censor)
        );
        for (x, y) in ca.surv.iter().zip(&cb.surv) {
            assert!(rel(*x, *y) < 1e-14);
        }
    }
    let (la, lb) = (
        a.log_rank.as_ref().expect("lr"),
        b.log_rank.as_ref().expect("lr"),
    );
    assert!(
        rel(la.chisq, lb.chisq) < 1e-12,
        "{} vs {}",
        la.chisq,
        lb.chisq
    );
}

#[test]
fn aggregated_rows_give_the_expanded_numbers() {
    let (long, agg) = veteran_and_aggregated();
    let run = |csv: &str| {
        let t = Table::parse(csv).expect("parses");
        let mut m = guess(&t);
        // The aggregated rows are shuffled: the arms in one order for both.
        m.group_order = vec!["1".into(), "2".into()];
        (
            m.clone(),
            analyze(&t, &m, &AnalysisOptions::default()).expect("analysis"),
        )
    };
    let (ml, a) = run(&long);
    let (mg, b) = run(&agg);
    assert_eq!(ml.count, None);
    assert_eq!(
        mg.count.as_deref(),
        Some("n"),
        "the count column is recognised"
    );
    assert_eq!(b.n_used, 137);
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("rows stand for 137 patients")),
        "{:?}",
        b.notes
    );
    // Curves: the same groups, distinct times, numbers at risk, events, survival.
    for (ca, cb) in a.curves.iter().zip(&b.curves) {
        assert_eq!(ca.group, cb.group);
    }
    assert_same_curves_and_log_rank(&a, &b);
    let (xa, xb) = (a.cox.as_ref().expect("cox"), b.cox.as_ref().expect("cox"));
    for (ta, tb) in xa.terms.iter().zip(&xb.terms) {
        assert!(
            rel(ta.coef, tb.coef) < 1e-10 && rel(ta.se, tb.se) < 1e-10,
            "{ta:?} vs {tb:?}"
        );
    }
    for (sa, sb) in a.summaries.iter().zip(&b.summaries) {
        assert_eq!(a.headline_median(sa), b.headline_median(sb));
    }
}

#[test]
fn bad_counts_are_named_and_too_many_patients_refused() {
    let t = Table::parse("time,status,arm,n\n5,1,A,2\n6,0,A,2.5\n7,1,B,\n8,1,B,-1\n9,0,B,3\n")
        .expect("parses");
    let mut m = guess(&t);
    m.count = Some("n".into());
    let p = prepare(&t, &m).expect("prepares");
    assert_eq!(p.data.len(), 5, "2 + 3 patients");
    let reasons: Vec<(u64, String)> = p
        .excluded
        .iter()
        .map(|e| (e.line, e.reason.clone()))
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].1.contains("whole number of patients") && reasons[0].0 == 3);
    assert!(reasons[1].1.contains("missing patient count"));
    let huge = Table::parse(&format!(
        "time,status,arm,n\n5,1,A,{}\n6,1,B,{}\n",
        MAX_PATIENTS, 5
    ))
    .expect("parses");
    let mut m = guess(&huge);
    m.count = Some("n".into());
    match prepare(&huge, &m) {
        Err(e @ MappingError::TooManyPatients { .. }) => {
            assert!(e.to_string().contains("aggregate to coarser times"), "{e}");
        }
        other => panic!("expected TooManyPatients, got {other:?}"),
    }
    // A 0/1 column named n in a patient-level table is not a count.
    let flags = Table::parse("time,status,arm,n\n5,1,A,1\n6,0,B,0\n").expect("parses");
    assert_eq!(guess(&flags).count, None);
}

/// The events/censored form — one row per (time, arm) with the number of events and the
/// number censored then, as a life table or `SUM(status), SUM(1 - status) … GROUP BY` gives
/// it — gives the numbers of the patient-level rows too; bad counts are named.
#[test]
fn events_and_censored_columns_give_the_expanded_numbers() {
    use survcalc_core::mapping::EventCounts;
    let csv = include_str!("../../../../tests/fixtures/veteran.csv");
    let long = Table::parse(csv).expect("veteran parses");
    let (ct, cs, cg) = (
        long.column_index("time").expect("time"),
        long.column_index("status").expect("status"),
        long.column_index("trt").expect("trt"),
    );
    let mut cells: Vec<((String, String), (u64, u64))> = Vec::new();
    for r in 0..long.n_rows() {
        let key = (long.cell(r, cg).to_string(), long.cell(r, ct).to_string());
        let event = long.cell(r, cs) == "1";
        let i = match cells.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                cells.push((key, (0, 0)));
                cells.len() - 1
            }
        };
        if event {
            cells[i].1 .0 += 1;
        } else {
            cells[i].1 .1 += 1;
        }
    }
    let mut agg = String::from("trt,time,deaths,censored\n");
    for ((trt, time), (d, c)) in cells.iter().rev() {
        agg.push_str(&format!("{trt},{time},{d},{c}\n"));
    }
    let t = Table::parse(&agg).expect("aggregated parses");
    // The guess finds the form by its column names (and the arm beside it).
    let g = guess(&t);
    let counts = EventCounts {
        events: "deaths".into(),
        censored: "censored".into(),
    };
    assert_eq!(g.counts.as_ref(), Some(&counts));
    assert_eq!(
        (g.time.as_str(), g.group.as_deref(), g.count),
        ("time", Some("trt"), None)
    );
    // Patient rows with 0/1 columns of those names are not an aggregated table.
    let flags = Table::parse("time,arm,deaths,censored\n5,A,1,0\n6,B,0,1\n").expect("parses");
    assert_eq!(guess(&flags).counts, None);
    let mut m = guess(&t);
    m.time = "time".into();
    m.group = Some("trt".into());
    m.group_order = vec!["1".into(), "2".into()];
    m.count = None;
    m.counts = Some(EventCounts {
        events: "deaths".into(),
        censored: "censored".into(),
    });
    let b = analyze(&t, &m, &AnalysisOptions::default()).expect("analysis");
    let mut ml = guess(&long);
    ml.group_order = vec!["1".into(), "2".into()];
    let a = analyze(&long, &ml, &AnalysisOptions::default()).expect("analysis");
    assert_eq!(b.n_used, 137);
    assert!(
        b.event_coding.contains("events counted in \"deaths\""),
        "{}",
        b.event_coding
    );
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("rows stand for 137 patients")),
        "{:?}",
        b.notes
    );
    assert_same_curves_and_log_rank(&a, &b);
    let (xa, xb) = (a.cox.as_ref().expect("cox"), b.cox.as_ref().expect("cox"));
    assert!(rel(xa.terms[0].coef, xb.terms[0].coef) < 1e-10);
    // A count that is not a whole number is named by line and column.
    let bad = Table::parse("time,d,c\n5,1,0\n6,x,2\n7,2,-1\n").expect("parses");
    let mut m = guess(&bad);
    m.time = "time".into();
    m.group = None;
    m.count = None;
    m.counts = Some(EventCounts {
        events: "d".into(),
        censored: "c".into(),
    });
    let p = prepare(&bad, &m).expect("prepares");
    assert_eq!(p.data.len(), 1);
    let e: Vec<(u64, &str)> = p
        .excluded
        .iter()
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    assert_eq!(e, [(3, "d"), (4, "c")]);
    // With a patient-count column as well, the two forms are refused by name.
    m.count = Some("d".into());
    assert!(matches!(
        prepare(&bad, &m),
        Err(MappingError::SameColumn { .. })
    ));
}
