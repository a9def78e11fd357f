//! Fuzz target: the whole path from a file's bytes to a report, as the page and the CLI
//! run it — `Table::from_bytes` (text in any encoding, or a workbook), `guess`,
//! `analyze` (which runs `prepare`), every endpoint found, and a date span between the
//! first two columns. The first byte chooses the reading options, so that the overrides
//! are fuzzed too. Any panic is a bug: every input must give a table and a report, or an
//! error that says what is wrong.
//!
//! The same harness runs in the normal test suite over the corpus and a deterministic
//! random-bytes loop (crates/core/tests/import.rs); see README.md.

#![no_main]

use libfuzzer_sys::fuzz_target;
use survcalc_core::mapping::{endpoints, guess, prepare};
use survcalc_core::{analyze, AnalysisOptions, DateOrder, DateSpan, Table, TableOptions, TimeUnit};

fuzz_target!(|bytes: &[u8]| {
    let selector = bytes.first().copied().unwrap_or(0);
    let options = TableOptions {
        delimiter: [None, Some(','), Some('\t'), Some(';')][usize::from(selector % 4)],
        header: [None, Some(true), Some(false)][usize::from(selector / 4 % 3)],
        decimal_comma: [None, Some(true)][usize::from(selector / 12 % 2)],
        ..TableOptions::default()
    };
    let Ok(table) = Table::from_bytes(bytes, &options) else {
        return;
    };
    let mut mapping = guess(&table);
    let analysis = AnalysisOptions::default();
    let _ = analyze(&table, &mapping, &analysis);
    for e in endpoints(&table).into_iter().take(3) {
        mapping.time = e.time;
        mapping.event = e.event;
        mapping.filter = e.filter;
        let _ = analyze(&table, &mapping, &analysis);
    }
    if table.columns.len() >= 2 {
        mapping.dates = Some(DateSpan {
            start: table.columns[0].clone(),
            end: table.columns[1].clone(),
            order: DateOrder::Auto,
        });
        mapping.output_unit = Some(TimeUnit::Months);
        let _ = prepare(&table, &mapping);
    }
});
