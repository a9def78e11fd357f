//! Progress reports of the reader and the analysis (issue 12; `survcalc_stats::progress`).

use survcalc_core::progress::{set_reporter, Step};

thread_local! {
    static SEEN: std::cell::RefCell<Vec<Step>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn record(s: &Step) {
    SEEN.with(|v| v.borrow_mut().push(*s));
}

#[test]
fn a_large_read_and_an_analysis_report_their_steps() {
    set_reporter(Some(record));
    let mut text = String::from("time,status,arm\n");
    for i in 0..200_000 {
        text.push_str(&format!(
            "{},{},{}\n",
            i % 97 + 1,
            i % 2,
            if i % 3 == 0 { "A" } else { "B" }
        ));
    }
    let table = survcalc_core::Table::parse(&text).expect("table");
    let m = survcalc_core::guess(&table);
    let _ = survcalc_core::analyze(&table, &m, &survcalc_core::AnalysisOptions::default())
        .expect("analysis");
    set_reporter(None);
    let seen = SEEN.with(|v| v.borrow().clone());
    let reads: Vec<(u64, u64)> = seen
        .iter()
        .filter_map(|s| match s {
            Step::Reading { done, total } => Some((*done, *total)),
            Step::Analysing(_) => None,
        })
        .collect();
    assert!(reads.len() >= 2, "{reads:?}");
    assert!(reads.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(
        reads.last().map(|r| r.0),
        Some(text.len() as u64),
        "ends at 100%"
    );
    assert!(reads
        .iter()
        .all(|&(d, t)| d <= t && t as usize == text.len()));
    assert!(seen.contains(&Step::Analysing("Cox model")), "{seen:?}");
    // Nothing after the reporter is cleared.
    let before = SEEN.with(|v| v.borrow().len());
    let _ = survcalc_core::Table::parse(&text);
    assert_eq!(SEEN.with(|v| v.borrow().len()), before);
}
