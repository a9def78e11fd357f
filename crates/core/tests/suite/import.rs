//! Import: bytes → table → mapping → analysis, for the files clinicians actually export.
//!
//! Three kinds of checks:
//! * golden — files written by `Rscript tests/r/import.R` (and
//!   `tests/corpus/make_workbooks.py` for .xls/.ods) in the formats of Excel, R and
//!   CDISC exports, read here and compared with what R reads from the same files
//!   (`read.csv2`, `read.delim(fileEncoding =)`, readxl `read_excel`, `as.Date`) and
//!   computes on them (survdiff, quantile(survfit));
//! * behaviour — delimiters, headers, event codings, dates, group order, warnings;
//! * robustness — the nasty-file corpus (`tests/corpus/nasty/` plus the large cases made
//!   here at run time) and a deterministic random-bytes loop over the same path the
//!   `cargo fuzz` target runs (`fuzz/fuzz_targets/import.rs`): every input gives a table
//!   and a report, or an error that says what is wrong — never a panic — in bounded time.
//!
//! Run with `cargo test -p survcalc-core --test tests import::`.

use crate::util::rel;
use serde_json::Value;
use std::time::{Duration, Instant};
use survcalc_core::dates::{from_excel_serial, iso, parse_date};
use survcalc_core::mapping::{endpoints, guess, prepare};
use survcalc_core::{
    analyze, AnalysisOptions, CellKind, DateOrder, DateSpan, GroupLabel, Mapping, MappingError,
    Source, Table, TableError, TableOptions, TextEncoding, TimeUnit, WorkbookFormat,
};

// ---------------------------------------------------------------------------------------
// Tolerances and limits

/// Log-rank chi-square and Kaplan–Meier medians against R (the KM/log-rank tolerance).
const STAT_REL: f64 = 1e-10;
/// Numbers read from text or a workbook cell are the same double R reads: both parse the
/// same decimal digits with correct rounding, so they are compared exactly.
const READ_EXACT: f64 = 0.0;
/// Wall-clock bound for one nasty file through the whole path (debug build, 2 cores).
const NASTY_TIME: Duration = Duration::from_secs(20);
/// Random inputs in the deterministic fuzz loop, and mutations per workbook.
const RANDOM_CASES: usize = 3_000;
const WORKBOOK_MUTATIONS: usize = 60;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

// ---------------------------------------------------------------------------------------
// Helpers

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{ROOT}/tests/corpus/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture(name: &str) -> Value {
    let path = format!("{ROOT}/tests/fixtures/import/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn nums(v: &Value, key: &str) -> Vec<Option<f64>> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("fixture field {key}"))
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("fixture field {key}"))
        .iter()
        .map(|s| s.as_str().unwrap_or("<null>").to_string())
        .collect()
}

fn read(bytes: &[u8]) -> Table {
    Table::from_bytes(bytes, &TableOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn text_table(s: &str) -> Table {
    Table::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_close(what: &str, ours: Option<f64>, r: Option<f64>, tol: f64) {
    match (ours, r) {
        (Some(a), Some(b)) => assert!(rel(a, b) <= tol, "{what}: ours {a:e}, R {b:e}"),
        (a, b) => assert_eq!(a, b, "{what}"),
    }
}

/// A column's numbers as the table reads them.
fn column_numbers(t: &Table, name: &str) -> Vec<Option<f64>> {
    let c = t
        .column_index(name)
        .unwrap_or_else(|| panic!("column {name}"));
    (0..t.n_rows()).map(|r| t.number(r, c)).collect()
}

fn column_text(t: &Table, name: &str) -> Vec<String> {
    let c = t
        .column_index(name)
        .unwrap_or_else(|| panic!("column {name}"));
    (0..t.n_rows()).map(|r| t.cell(r, c).to_string()).collect()
}

/// Compares an analysis with R's survdiff / quantile(survfit) summary under `prefix`.
fn check_against_r(what: &str, t: &Table, m: &Mapping, r: &Value, prefix: &str) {
    let a = analyze(t, m, &AnalysisOptions::default()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let key = |k: &str| format!("{prefix}{k}");
    assert_eq!(a.groups, strs(r, &key("groups")), "{what}: groups");
    let n: Vec<Option<f64>> = a.summaries.iter().map(|s| Some(s.n as f64)).collect();
    assert_eq!(n, nums(r, &key("n")), "{what}: n");
    let ev: Vec<Option<f64>> = a.summaries.iter().map(|s| Some(s.events as f64)).collect();
    assert_eq!(ev, nums(r, &key("events")), "{what}: events");
    let chisq = a.log_rank.as_ref().map(|l| l.chisq);
    assert_close(
        &format!("{what}: chisq"),
        chisq,
        r[key("chisq")].as_f64(),
        STAT_REL,
    );
    for (i, s) in a.summaries.iter().enumerate() {
        for (field, ours) in [
            ("median", s.median.estimate),
            ("median_lower", s.median.lower),
            ("median_upper", s.median.upper),
        ] {
            assert_close(
                &format!("{what}: {field}[{i}]"),
                ours,
                nums(r, &key(field))[i],
                STAT_REL,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Golden: files as exported, read as R reads them

#[test]
fn lung_write_csv2_semicolon_decimal_comma() {
    let t = read(&corpus("lung_csv2.csv"));
    let r = fixture("lung_csv2.json");
    assert_eq!((t.delimiter, t.decimal_comma), (';', true));
    assert_eq!(t.columns, strs(&r, "columns"));
    let os = column_numbers(&t, "os_months");
    let want = nums(&r, "os_months");
    for (i, (a, b)) in os.iter().zip(&want).enumerate() {
        assert_close(&format!("os_months[{i}]"), *a, *b, READ_EXACT);
    }
    assert_eq!(column_numbers(&t, "wt.loss"), nums(&r, "wt_loss"));
    let m = Mapping {
        time: "os_months".into(),
        event: "status".into(),
        group: Some("sex".into()),
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.event_coding, "status: 2 = event, 1 = censored");
    assert_eq!(p.time_unit, Some(TimeUnit::Months));
    check_against_r("lung csv2", &t, &m, &r, "");
}

#[test]
fn veteran_excel_unicode_text() {
    let bytes = corpus("veteran_utf16.txt");
    assert_eq!(
        &bytes[..2],
        &[0xFF, 0xFE],
        "the corpus file has a UTF-16LE mark"
    );
    let t = read(&bytes);
    let r = fixture("veteran_utf16.json");
    assert_eq!(
        t.source,
        Source::Text {
            encoding: TextEncoding::Utf16Le,
            bom: true
        }
    );
    assert_eq!(t.delimiter, '\t');
    assert_eq!(t.columns, strs(&r, "columns"));
    assert_eq!(column_text(&t, "arm"), strs(&r, "arm"));
    assert_eq!(column_numbers(&t, "time"), nums(&r, "time"));
    let m = guess(&t);
    assert_eq!(
        (m.time.as_str(), m.event.as_str(), m.group.as_deref()),
        ("time", "status", Some("arm"))
    );
    check_against_r("veteran UTF-16", &t, &m, &r, "");
}

#[test]
fn latin1_labels_and_decimal_comma() {
    let t = read(&corpus("latin1.csv"));
    let r = fixture("latin1.json");
    assert!(matches!(
        t.source,
        Source::Text {
            encoding: TextEncoding::Windows1252,
            ..
        }
    ));
    assert!(t.notes.iter().any(|n| n.contains("Windows-1252")));
    assert_eq!(t.columns, strs(&r, "columns"));
    assert_eq!(column_text(&t, "bras"), strs(&r, "bras"));
    assert_eq!(column_numbers(&t, "temps_mois"), nums(&r, "temps_mois"));
    let m = Mapping {
        time: "temps_mois".into(),
        event: "décès".into(),
        group: Some("bras".into()),
        ..Mapping::default()
    };
    check_against_r("latin1", &t, &m, &r, "");
}

/// The cells of the "patients" sheet, as (id, arm, randomised, last contact, os_months,
/// dead) text, and their kinds.
fn patients(t: &Table) -> (Vec<Vec<String>>, Vec<Vec<CellKind>>) {
    let cells = (0..t.n_rows())
        .map(|r| t.row(r).iter().map(|s| s.to_string()).collect())
        .collect();
    let kinds = (0..t.n_rows())
        .map(|r| (0..t.columns.len()).map(|c| t.kind(r, c)).collect())
        .collect();
    (cells, kinds)
}

#[test]
#[cfg(feature = "spreadsheet")]
fn xlsx_cells_match_readxl() {
    let bytes = corpus("trial.xlsx");
    let r = fixture("trial_xlsx.json");
    assert_eq!(
        survcalc_core::spreadsheet::sheet_names(&bytes).unwrap_or_else(|e| panic!("{e}")),
        strs(&r, "sheets")
    );
    // The note sheet comes first; the first sheet with a table is read, and said so.
    let t = read(&bytes);
    assert!(matches!(
        &t.source,
        Source::Workbook { format: WorkbookFormat::Xlsx, sheet, .. } if sheet == "patients"
    ));
    assert!(t
        .notes
        .iter()
        .any(|n| n.contains("sheet \"patients\" was read")));
    assert_eq!(t.columns, strs(&r, "columns"));
    assert_eq!(column_text(&t, "id"), strs(&r, "id"));
    assert_eq!(column_text(&t, "randomised"), strs(&r, "randomised"));
    assert_eq!(column_text(&t, "last_contact"), strs(&r, "last_contact"));
    assert_eq!(column_text(&t, "dead"), strs(&r, "dead"));
    assert_eq!(column_numbers(&t, "os_months"), nums(&r, "os_months"));
    let kinds: Vec<CellKind> = (0..t.columns.len()).map(|c| t.kind(0, c)).collect();
    assert_eq!(
        kinds,
        vec![
            CellKind::Text,
            CellKind::Text,
            CellKind::Date,
            CellKind::Date,
            CellKind::Number,
            CellKind::Bool
        ]
    );
    // Sheet rows are numbered as Excel numbers them (header on row 1).
    assert_eq!(t.lines.get(0), Some(2));
    // A date cell is not a number.
    assert_eq!(t.number(0, 2), None);

    // Durations from the two date columns, in months, as R's difftime / 30.4375.
    let m = Mapping {
        event: "dead".into(),
        group: Some("arm".into()),
        dates: Some(DateSpan {
            start: "randomised".into(),
            end: "last_contact".into(),
            order: DateOrder::Auto,
        }),
        output_unit: Some(TimeUnit::Months),
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.time_unit, Some(TimeUnit::Months));
    let want = nums(&r, "months_from_dates");
    for (i, (a, b)) in p.data.time().iter().zip(&want).enumerate() {
        assert_close(&format!("months[{i}]"), Some(*a), *b, READ_EXACT);
    }
    assert_eq!(p.event_coding, "dead: TRUE = event, FALSE = censored");
    check_against_r("xlsx dates", &t, &m, &r, "");

    // The sheet with a title above the table gives the same cells, two rows lower.
    let titled = Table::from_bytes(
        &bytes,
        &TableOptions {
            sheet: Some("titled".into()),
            ..TableOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(patients(&titled), patients(&t));
    assert_eq!(titled.lines.get(0), Some(4));
    assert!(titled
        .notes
        .iter()
        .any(|n| n.contains("skipped as a title")));

    // A sheet that does not exist is named in the error, with the ones that do.
    let e = Table::from_bytes(
        &bytes,
        &TableOptions {
            sheet: Some("Sheet9".into()),
            ..TableOptions::default()
        },
    );
    assert!(
        matches!(&e, Err(TableError::Malformed { message, .. })
            if message.contains("no sheet \"Sheet9\"") && message.contains("README, patients, titled")),
        "{e:?}"
    );
}

#[test]
#[cfg(feature = "spreadsheet")]
fn xlsx_stray_cell_far_away_costs_nothing() {
    // One value in XFD1048576 below a 5-row table: the sheet is streamed cell by cell, so
    // the box around it (10^6 rows × 16,384 columns) is never held in memory.
    let start = Instant::now();
    let t = read(&corpus("nasty/xlsx_stray_cell.xlsx"));
    assert!(start.elapsed() < NASTY_TIME);
    assert_eq!(t.n_rows(), 6);
    assert_eq!(t.columns.len(), 16_384);
    assert_eq!(t.lines.get(5), Some(1_048_576));
    assert_eq!(t.cell(5, 16_383), "stray");
    let m = Mapping {
        time: "os_months".into(),
        event: "dead".into(),
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.len(), 5);
    assert_eq!(
        (p.excluded[0].line, p.excluded[0].reason.as_str()),
        (1_048_576, "missing time: fill it in or leave the row out")
    );
}

#[test]
#[cfg(feature = "spreadsheet")]
fn xls_and_ods_read_as_the_xlsx() {
    let xlsx = read(&corpus("trial.xlsx"));
    for (file, format) in [
        ("trial.xls", WorkbookFormat::Xls),
        ("trial.ods", WorkbookFormat::Ods),
    ] {
        let t = read(&corpus(file));
        assert!(
            matches!(&t.source, Source::Workbook { format: f, sheet, sheets }
                if *f == format && sheet == "patients" && sheets.len() == 2),
            "{file}: {:?}",
            t.source
        );
        assert_eq!(t.columns, xlsx.columns, "{file}");
        assert_eq!(patients(&t), patients(&xlsx), "{file}");
    }
}

#[test]
fn cdisc_adtte_long_table_has_one_endpoint_per_parameter() {
    let t = read(&corpus("adtte.csv"));
    let r = fixture("adtte.json");
    let eps = endpoints(&t);
    let names: Vec<&str> = eps.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["OS", "PFS"]);
    let m = guess(&t);
    assert_eq!(m.filter, eps[0].filter);
    assert_eq!(m.id.as_deref(), Some("USUBJID"));
    for e in &eps {
        let m = Mapping {
            time: e.time.clone(),
            event: e.event.clone(),
            filter: e.filter.clone(),
            group: Some("TRT01P".into()),
            ..Mapping::default()
        };
        let p = prepare(&t, &m).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(p.filtered_out, t.n_rows() / 2);
        assert!(
            p.event_coding.contains("CDISC ADTTE CNSR"),
            "{}",
            p.event_coding
        );
        // One row per subject within a parameter: no duplicate warning.
        assert!(
            !p.warnings.iter().any(|w| w.contains("more than once")),
            "{:?}",
            p.warnings
        );
        check_against_r(&e.name, &t, &m, &r, &format!("{}_", e.name.to_lowercase()));
    }
    // Without the filter, the long table shows every subject twice.
    let m = Mapping {
        time: "AVAL".into(),
        event: "CNSR".into(),
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert!(p
        .warnings
        .iter()
        .any(|w| w.starts_with("228 patient identifier(s) appear more than once in column \"USUBJID\" (\"LUNG-001\" on lines 2 and 3")));
}

/// Issue 10: the endpoints of wide tables with the column names real exports use
/// (`tests/corpus/endpoints/`, written by its `make_endpoints.py`) are paired by meaning:
/// each file's pairs are those of `expected.tsv`, a pair marked ` [ask]` is a question, and
/// every endpoint reads every row (the event coding is recognised).
#[test]
fn realistic_exports_pair_each_endpoint_by_meaning() {
    let list = String::from_utf8(corpus("endpoints/expected.tsv")).unwrap_or_default();
    let mut files = 0;
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (file, expected) = line.split_once('\t').unwrap_or((line, ""));
        let t = read(&corpus(&format!("endpoints/{file}")));
        let found: Vec<String> = endpoints(&t)
            .iter()
            .map(|e| {
                let ask = if e.certain { "" } else { " [ask]" };
                format!("{}={}+{}{ask}", e.name, e.time, e.event)
            })
            .collect();
        assert_eq!(found.join("; "), expected, "{file}");
        let guessed = guess(&t);
        for e in endpoints(&t) {
            let m = Mapping {
                time: e.time.clone(),
                event: e.event.clone(),
                group: guessed.group.clone(),
                ..Mapping::default()
            };
            let p = prepare(&t, &m).unwrap_or_else(|err| panic!("{file} {}: {err}", e.name));
            assert!(p.excluded.is_empty(), "{file} {}: {:?}", e.name, p.excluded);
            assert_eq!(p.data.len(), t.n_rows(), "{file} {}", e.name);
            assert!(guessed.group.is_some(), "{file}: no group column guessed");
        }
        files += 1;
    }
    assert!(files >= 12, "only {files} files in the endpoint corpus");
}

/// Issue 10: a workbook whose first sheet is a README opened on the README; a header in
/// row 3 (under a title and a "Data cut-off:" row) could not be chosen.
#[test]
fn regression_readme_sheet_and_header_in_row_three() {
    let bytes = corpus("readme_first.xlsx");
    let t = read(&bytes);
    assert!(
        matches!(&t.source, Source::Workbook { sheet, .. } if sheet == "Data"),
        "{:?}",
        t.source
    );
    assert!(
        t.notes
            .iter()
            .any(|n| n.contains("the first that looks like data")),
        "{:?}",
        t.notes
    );
    // Detection cannot tell the header under a two-cell row; the header row can be said.
    let options = TableOptions {
        header_row: Some(3),
        ..TableOptions::default()
    };
    let t = Table::from_bytes(&bytes, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.columns, ["id", "arm", "os_months", "os_event"]);
    assert_eq!(t.n_rows(), 20);
    assert_eq!(t.lines.first(), Some(4));
    assert!(
        t.notes.iter().any(|n| n.contains("2 row(s) above row 3")),
        "{:?}",
        t.notes
    );
    let m = guess(&t);
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.len(), 20);
    // The same for text: two title lines, then the header.
    let text = "Trial ABC\nData cut-off:,2026-06-30\nid,arm,time,status\n1,A,5,1\n2,B,6,0\n";
    let t = Table::from_bytes(text.as_bytes(), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.columns, ["id", "arm", "time", "status"]);
    assert_eq!(t.n_rows(), 2);
    // A header row past the data is refused with what to do.
    let past = TableOptions {
        header_row: Some(99),
        ..TableOptions::default()
    };
    let e = Table::from_bytes(text.as_bytes(), &past)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("choose a header row within the table"), "{e}");
}

/// Issue 10: a decimal-comma time says which setting reads it.
#[test]
fn decimal_comma_time_points_to_the_setting() {
    let t = text_table("arm,time,status\nA,\"5,5\",1\nB,6,0\nA,7,1\n");
    let m = guess(&t);
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.excluded.len(), 1);
    assert!(
        p.excluded[0].reason.contains("Decimal mark: comma")
            && p.excluded[0].reason.contains("--decimal comma"),
        "{}",
        p.excluded[0].reason
    );
}

#[test]
fn day_month_year_dates_learned_from_the_data() {
    let t = read(&corpus("dates_dmy.csv"));
    let r = fixture("dates_dmy.json");
    let m = guess(&t);
    assert_eq!((m.time.as_str(), m.event.as_str()), ("", "status"));
    assert_eq!(
        m.dates,
        Some(DateSpan {
            start: "start".into(),
            end: "end".into(),
            order: DateOrder::Auto
        })
    );
    for (unit, key) in [
        (None, "days"),
        (Some(TimeUnit::Weeks), "weeks"),
        (Some(TimeUnit::Years), "years"),
    ] {
        let m = Mapping {
            output_unit: unit,
            ..m.clone()
        };
        let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
        assert!(p.excluded.is_empty(), "{:?}", p.excluded);
        assert!(
            p.notes.iter().any(|n| n.contains("read as day/month/year")),
            "{:?}",
            p.notes
        );
        let want = nums(&r, key);
        for (i, (a, b)) in p.data.time().iter().zip(&want).enumerate() {
            assert_close(&format!("{key}[{i}]"), Some(*a), *b, READ_EXACT);
        }
    }
}

#[test]
fn date_formats_match_as_date() {
    let r = fixture("dates.json");
    let orders = strs(&r, "order");
    let (start, end) = (strs(&r, "start"), strs(&r, "end"));
    let (sd, ed) = (nums(&r, "start_days"), nums(&r, "end_days"));
    for i in 0..start.len() {
        let order = match orders[i].as_str() {
            "ymd" => DateOrder::Ymd,
            "dmy" => DateOrder::Dmy,
            "mdy" => DateOrder::Mdy,
            _ => DateOrder::Auto,
        };
        for (s, want) in [(&start[i], sd[i]), (&end[i], ed[i])] {
            let got = parse_date(s, order).map(|d| d as f64).ok();
            assert_eq!(got, want, "{s} ({order:?})");
        }
    }
    let serial_iso = strs(&r, "serial_start_iso");
    let (ss, se, sdays) = (
        nums(&r, "serial_start"),
        nums(&r, "serial_end"),
        nums(&r, "serial_days"),
    );
    for i in 0..ss.len() {
        let a = ss[i].and_then(from_excel_serial);
        let b = se[i].and_then(from_excel_serial);
        assert_eq!(a.map(iso).as_deref(), Some(serial_iso[i].as_str()));
        assert_eq!(a.zip(b).map(|(a, b)| (b - a) as f64), sdays[i]);
    }
}

// ---------------------------------------------------------------------------------------
// Behaviour

#[test]
fn pasted_tab_text_reads_as_the_file() {
    let text = "arm\tos_months\tos_event\r\nA\t16,3\t1\r\nB\t6,5\t0\r\n";
    let pasted = text_table(text);
    let file = read(text.as_bytes());
    assert_eq!(pasted.columns, file.columns);
    assert_eq!((pasted.delimiter, pasted.decimal_comma), ('\t', true));
    assert_eq!(
        (0..2).map(|r| pasted.row(r)).collect::<Vec<_>>(),
        (0..2).map(|r| file.row(r)).collect::<Vec<_>>()
    );
    assert_eq!(file.number(0, 1), Some(16.3));
}

#[test]
fn guesses_from_common_column_names() {
    for (header, row, time, event, group) in [
        (
            "futime,fustat,age,rx",
            "59,1,72.3,1",
            "futime",
            "fustat",
            Some("rx"),
        ),
        (
            "OS.time,OS.status,arm",
            "5,1,A",
            "OS.time",
            "OS.status",
            Some("arm"),
        ),
        (
            "pfs,pfs_event,trt",
            "5,1,B",
            "pfs",
            "pfs_event",
            Some("trt"),
        ),
        (
            "time,dead,treatment",
            "5,1,Drug",
            "time",
            "dead",
            Some("treatment"),
        ),
        (
            "AVAL,CNSR,TRT01P",
            "5,1,Drug",
            "AVAL",
            "CNSR",
            Some("TRT01P"),
        ),
        (
            "os_months,event,group",
            "5,yes,G1",
            "os_months",
            "event",
            Some("group"),
        ),
        (
            "months,censor,arm",
            "5,0,A",
            "months",
            "censor",
            Some("arm"),
        ),
    ] {
        let rows: Vec<String> = (0..6)
            .map(|i| row.replacen(",1", &format!(",{}", i % 2), 1))
            .collect();
        let t = text_table(&format!("{header}\n{}\n", rows.join("\n")));
        let m = guess(&t);
        assert_eq!(
            (m.time.as_str(), m.event.as_str(), m.group.as_deref()),
            (time, event, group),
            "{header}"
        );
    }
    // By content alone: an identifier 1, 2, 3 …, follow-up in days, a 0/1 flag, a text arm.
    let t = text_table("pt,fu_d,flag,bras\n1,340,1,A\n2,120,0,B\n3,75,1,A\n4,400,0,B\n5,33,1,A\n");
    let m = guess(&t);
    assert_eq!(
        (m.time.as_str(), m.event.as_str(), m.group.as_deref()),
        ("fu_d", "flag", Some("bras"))
    );
}

#[test]
fn decoders_match_encoding_rs() {
    use survcalc_core::encoding::decode;
    // Every byte in Windows-1252, as the WHATWG Encoding Standard maps it.
    let all: Vec<u8> = (0..=255).collect();
    let (want, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&all);
    assert_eq!(decode(&all, Some(TextEncoding::Windows1252)).text, want);
    // UTF-16 both ways, with unpaired surrogates and odd lengths, from random bytes.
    let mut rng = Rng(16);
    for n in 0..400 {
        let bytes: Vec<u8> = (0..n)
            .map(|_| match rng.below(4) {
                0 => 0xD8 + (rng.next() as u8 & 7),
                1 => 0,
                _ => rng.next() as u8,
            })
            .collect();
        for (ours, theirs) in [
            (TextEncoding::Utf16Le, encoding_rs::UTF_16LE),
            (TextEncoding::Utf16Be, encoding_rs::UTF_16BE),
            (TextEncoding::Utf8, encoding_rs::UTF_8),
        ] {
            let d = decode(&bytes, Some(ours));
            let (want, replaced) = theirs.decode_without_bom_handling(&bytes);
            // A leading byte-order mark is dropped by ours; compare without it.
            let want = if d.bom {
                &want[want.char_indices().nth(1).map_or(0, |x| x.0)..]
            } else {
                &want[..]
            };
            assert_eq!(d.text, want, "{ours:?} {bytes:?}");
            if !d.bom {
                assert_eq!(d.replaced, replaced, "{ours:?} {bytes:?}");
            }
        }
    }
}

#[test]
fn encoding_can_be_forced() {
    // "Zürich" in UTF-8 read as Windows-1252 on purpose gives the two-byte mojibake.
    let t = Table::from_bytes(
        "arm,time\nZürich,1\n".as_bytes(),
        &TableOptions {
            encoding: Some(TextEncoding::Windows1252),
            ..TableOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.cell(0, 0), "ZÃ¼rich");
}

#[test]
fn delimiters_detected_and_overridden() {
    for (text, d) in [
        ("a,b\n1,2\n", ','),
        ("a\tb\n1\t2\n", '\t'),
        ("a;b\n1;2\n", ';'),
        ("a|b\n1|2\n", '|'),
        ("\"x, y\";b\n\"1,2\";3\n", ';'),
    ] {
        assert_eq!(text_table(text).delimiter, d, "{text:?}");
    }
    let t = Table::parse_with(
        "a;b,c\n1;2,3\n",
        TableOptions {
            delimiter: Some(','),
            ..TableOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.columns, vec!["a;b", "c"]);
}

#[test]
fn header_detection_and_override() {
    let t = text_table("12,1\n15,0\n");
    assert!(!t.has_header);
    assert_eq!(t.columns, vec!["V1", "V2"]);
    let t = text_table("start,end,status\n2020-01-01,2020-06-01,1\n");
    assert!(t.has_header, "dates below a text row make it a header");
    let t = Table::parse_with(
        "x,y\na,b\n",
        TableOptions {
            header: Some(false),
            ..TableOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((t.n_rows(), t.cell(0, 0)), (2, "x"));
}

/// Issue 12: 16,384 identical header names were renamed in quadratic time (12 s on the
/// CLI, 28 s in the page's worker).
#[test]
fn regression_many_identical_names_are_renamed_in_linear_time() {
    let n = 16_384;
    let text = format!("{}\n{}\n", vec!["x"; n].join(","), vec!["1"; n].join(","));
    let start = Instant::now();
    let t = text_table(&text);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(t.columns[0], "x");
    assert_eq!(t.columns[1], "x.2");
    assert_eq!(t.columns[n - 1], format!("x.{n}"));
}

#[test]
fn duplicated_and_empty_header_names_are_made_unique() {
    let t = text_table("time,time,,status,time\n1,2,3,1,4\n");
    assert_eq!(t.columns, vec!["time", "time.2", "V3", "status", "time.3"]);
}

fn with_time_status(extra: &str, rows: &[&str]) -> Table {
    let mut s = format!("time,status{extra}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    text_table(&s)
}

#[test]
fn event_codings_are_recognised_and_labelled() {
    for (values, events) in [
        (["1", "0"], "1"),
        (["TRUE", "FALSE"], "TRUE"),
        (["yes", "no"], "yes"),
        (["Dead", "Alive"], "Dead"),
        (["event", "censored"], "event"),
        (["2", "1"], "2"),
    ] {
        let t = with_time_status(
            "",
            &[&format!("1,{}", values[0]), &format!("2,{}", values[1])],
        );
        let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.data.event(), &[true, false], "{values:?}");
        assert!(
            p.event_coding
                .starts_with(&format!("status: {events} = event")),
            "{}",
            p.event_coding
        );
    }
}

#[test]
fn any_two_values_the_user_names() {
    let t = with_time_status(
        "",
        &["1,Died", "2,Alive at last FU", "3,Withdrew", "4,Died"],
    );
    let m = Mapping {
        time: "time".into(),
        event: "status".into(),
        event_value: Some("Died".into()),
        censor_value: Some("Alive at last FU".into()),
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.event(), &[true, false, true]);
    assert_eq!(p.excluded.len(), 1);
    assert_eq!(
        (p.excluded[0].line, p.excluded[0].value.as_str()),
        (4, "Withdrew")
    );
    assert!(p.excluded[0].reason.starts_with("unknown event value"));
}

#[test]
fn cnsr_and_censored_columns_are_read_as_censoring_flags() {
    let t = text_table("AVAL,CNSR\n1,0\n2,1\n");
    let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.event(), &[true, false]);
    assert_eq!(
        p.event_coding,
        "CNSR: 0 = event, 1 = censored (CDISC ADTTE CNSR coding)"
    );
    let t = text_table("time,censored\n1,0\n2,1\n");
    let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.event(), &[true, false]);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("read as 1 = censored")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn mostly_events_warns_that_the_coding_may_be_inverted() {
    let rows: Vec<String> = (1..=30)
        .map(|i| format!("{i},{}", u8::from(i != 7)))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let t = with_time_status("", &rows);
    let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        p.warnings
            .iter()
            .any(|w| w.starts_with("29 of 30 analysed rows (97%) are events")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn group_order_labels_and_reference() {
    let t = with_time_status(
        ",arm",
        &["1,1,1", "2,0,2", "3,1,3", "4,1,1", "5,0,2", "6,1,2"],
    );
    let m = Mapping {
        time: "time".into(),
        event: "status".into(),
        group: Some("arm".into()),
        group_order: vec!["Placebo".into(), "Drug".into(), "Other".into()],
        group_labels: vec![
            GroupLabel {
                value: "1".into(),
                label: "Drug".into(),
            },
            GroupLabel {
                value: "2".into(),
                label: "Placebo".into(),
            },
            GroupLabel {
                value: "3".into(),
                label: "Drug".into(),
            },
        ],
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p.data.levels(),
        &["Placebo".to_string(), "Drug".to_string()]
    );
    assert_eq!(p.data.group(), &[1, 0, 1, 1, 0, 0]);
    assert!(p
        .warnings
        .iter()
        .any(|w| w == "group \"Other\" (in the chosen order) has no rows in column \"arm\""));
    let m = Mapping {
        reference: Some("1".into()),
        ..m
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.levels()[0], "Drug");
    let m = Mapping {
        reference: Some("Nope".into()),
        ..m
    };
    assert!(matches!(
        prepare(&t, &m),
        Err(MappingError::UnknownReference { .. })
    ));
}

#[test]
fn warnings_that_do_not_exclude() {
    let t =
        text_table("id,arm,os_months,os_event\n1,A,0,1\n2,A,12,0\n2,B,400,1\n3,B,5,1\n3,B,7,0\n");
    let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.len(), 5);
    let has = |s: &str| p.warnings.iter().any(|w| w.starts_with(s));
    assert!(has("1 event(s) at time 0 (line 2)"), "{:?}", p.warnings);
    assert!(has("2 patient identifier(s) appear more than once in column \"id\" (\"2\" on lines 3 and 4; \"3\" on lines 5 and 6)"), "{:?}", p.warnings);
    assert!(
        has("the longest time is 400 months (33 years), implausibly long"),
        "{:?}",
        p.warnings
    );
    let a = analyze(
        &text_table("time,status,arm\n1,1,A\n2,0,A\n"),
        &Mapping {
            time: "time".into(),
            event: "status".into(),
            group: Some("arm".into()),
            ..Mapping::default()
        },
        &AnalysisOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(a.warnings.iter().any(|w| w.starts_with("only one group")));
}

#[test]
fn time_units_convert_and_unknown_units_say_so() {
    let t = text_table("futime,fustat\n365.25,1\n730.5,0\n");
    let m = Mapping {
        time: "futime".into(),
        event: "fustat".into(),
        output_unit: Some(TimeUnit::Years),
        ..Mapping::default()
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p.data.time(),
        &[365.25, 730.5],
        "unit unknown: not converted"
    );
    assert!(p.warnings.iter().any(|w| w.contains("is not known")));
    let m = Mapping {
        time_unit: Some(TimeUnit::Days),
        ..m
    };
    let p = prepare(&t, &m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.time(), &[1.0, 2.0]);
    assert_eq!(p.time_unit, Some(TimeUnit::Years));
}

fn date_mapping(order: DateOrder) -> Mapping {
    Mapping {
        event: "status".into(),
        dates: Some(DateSpan {
            start: "start".into(),
            end: "end".into(),
            order,
        }),
        ..Mapping::default()
    }
}

#[test]
fn ambiguous_dates_are_reported_never_guessed() {
    let t = text_table("start,end,status\n03/04/2021,05/06/2021,1\n01/02/2021,11/12/2021,0\n");
    match prepare(&t, &date_mapping(DateOrder::Auto)) {
        Err(MappingError::NoValidRows { rows, first }) => {
            assert_eq!(rows, 2);
            assert!(
                first[0].reason.starts_with(
                    "ambiguous date: it is 3 April 2021 read as day/month/year but 4 March 2021 read as month/day/year"
                ),
                "{}",
                first[0].reason
            );
        }
        other => panic!("expected NoValidRows, got {other:?}"),
    }
    // Month first: 4 March → 6 May and 2 January → 12 November 2021.
    let p = prepare(&t, &date_mapping(DateOrder::Mdy)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.time(), &[63.0, 314.0]);
    // Day first: 3 April → 5 June and 1 February → 11 December 2021.
    let p = prepare(&t, &date_mapping(DateOrder::Dmy)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.data.time(), &[63.0, 313.0]);
}

#[test]
fn conflicting_and_bad_dates_are_excluded_with_reasons() {
    let t = text_table(
        "start,end,status\n25/03/2021,01/04/2021,1\n03/25/2021,04/20/2021,1\n2021-01-01,2020-12-01,0\n2021-01-01,03/04/21,0\n2021-01-01,,1\n44197,44227,1\n",
    );
    let p = prepare(&t, &date_mapping(DateOrder::Auto)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        p.warnings
            .iter()
            .any(|w| w
                .contains("both day first (e.g. 25/03/2021) and month first (e.g. 03/25/2021)")),
        "{:?}",
        p.warnings
    );
    let reasons: Vec<(u64, &str)> = p
        .excluded
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert_eq!(reasons[0].0, 2, "01/04/2021 could be either");
    assert!(reasons[1]
        .1
        .starts_with("the end date (2020-12-01) is before the start date (2021-01-01)"));
    assert!(reasons[2].1.starts_with("two-digit year"));
    assert!(reasons[3].1.starts_with("missing end date"));
    // 25/03 can only be day-first, 03/25 only month-first: both read; serials too.
    assert_eq!(p.data.time(), &[26.0, 30.0]);
    assert!(p
        .notes
        .iter()
        .any(|n| n.contains("Excel serial dates") && n.contains("44197 = 2021-01-01")));
}

#[test]
fn exclusion_values_are_cut_and_cleaned() {
    let long = "x".repeat(500);
    let t = with_time_status("", &[&format!("{long},1"), "a\u{1}b,1", "3,1"]);
    let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.excluded[0].value.chars().count(), 101);
    assert!(p.excluded[0].value.ends_with('…'));
    assert_eq!(p.excluded[1].value, "a\u{FFFD}b");
}

// ---------------------------------------------------------------------------------------
// Robustness: the whole path from bytes to report, on anything

/// Reading options chosen by the first byte, so that random input also exercises the
/// overrides (as the `cargo fuzz` target does).
fn fuzz_options(bytes: &[u8]) -> TableOptions {
    let selector = bytes.first().copied().unwrap_or(0);
    TableOptions {
        delimiter: [None, Some(','), Some('\t'), Some(';')][usize::from(selector % 4)],
        header: [None, Some(true), Some(false)][usize::from(selector / 4 % 3)],
        decimal_comma: [None, Some(true)][usize::from(selector / 12 % 2)],
        ..TableOptions::default()
    }
}

/// What the `cargo fuzz` target runs (fuzz/fuzz_targets/import.rs): read the bytes, guess
/// a mapping, prepare and analyse it and every endpoint found, and a date span between
/// the first two columns. Returns a short account for the assertions below.
fn harness(bytes: &[u8], options: &TableOptions) -> Result<String, String> {
    let table = Table::from_bytes(bytes, options).map_err(|e| e.to_string())?;
    let mut mapping = guess(&table);
    let options = AnalysisOptions::default();
    let mut out = format!("{} rows × {} columns", table.n_rows(), table.columns.len());
    match analyze(&table, &mapping, &options) {
        Ok(a) => out.push_str(&format!("; n = {} of {}", a.n_used, a.n_rows)),
        Err(e) => out.push_str(&format!("; {e}")),
    }
    for e in endpoints(&table).into_iter().take(3) {
        mapping.time = e.time;
        mapping.event = e.event;
        mapping.filter = e.filter;
        let _ = analyze(&table, &mapping, &options);
    }
    // Dates between the first two columns, whatever they hold.
    if table.columns.len() >= 2 {
        mapping.dates = Some(DateSpan {
            start: table.columns[0].clone(),
            end: table.columns[1].clone(),
            order: DateOrder::Auto,
        });
        mapping.output_unit = Some(TimeUnit::Months);
        let _ = prepare(&table, &mapping);
    }
    Ok(out)
}

fn timed(name: &str, bytes: &[u8]) -> Result<String, String> {
    let start = Instant::now();
    let out = harness(bytes, &TableOptions::default());
    let took = start.elapsed();
    assert!(took < NASTY_TIME, "{name}: {took:?}");
    if let Err(e) = &out {
        assert!(
            e.len() > 20,
            "{name}: an error must say what is wrong: {e:?}"
        );
    }
    out
}

/// SplitMix64: deterministic, so a failure here reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn nasty_corpus_gives_a_report_or_a_clear_error() {
    let dir = format!("{ROOT}/tests/corpus/nasty");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in &names {
        let bytes = std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{e}"));
        let _ = timed(name, &bytes);
    }
    let out = |name: &str| timed(name, &corpus(&format!("nasty/{name}")));
    assert!(out("empty.csv").is_err_and(|e| e.starts_with("the data is empty")));
    assert!(out("header_only.csv").is_err_and(|e| e.contains("header row but no data rows")));
    // Issue 12: this said `the event column "" is not in the table`.
    assert!(
        out("one_column.csv").is_ok_and(
            |s| s.contains("no event column is chosen") && s.contains("Read it differently")
        ),
        "{:?}",
        out("one_column.csv")
    );
    assert!(out("all_invalid.csv").is_ok_and(|s| s.contains("none of the 4 rows can be analysed")));
    assert!(out("duplicated_headers.csv").is_ok_and(|s| s.contains("n = 3 of 3")));
    assert!(out("mixed_line_endings.csv").is_ok_and(|s| s.contains("n = 4 of 4")));
    assert!(out("nul_bytes.csv").is_ok());
    // Found by the fuzz target: a damaged .xls whose sector chain loops (calamine would
    // allocate without bound).
    #[cfg(feature = "spreadsheet")]
    assert!(
        out("xls_fat_loop.xls").is_err_and(|e| e.contains("has a loop")),
        "{:?}",
        out("xls_fat_loop.xls")
    );
    // Found by the fuzz target: a damaged .xls with cells far apart (calamine would
    // allocate the whole box around them, tens of gigabytes).
    #[cfg(feature = "spreadsheet")]
    assert!(
        out("xls_sparse_bomb.xls").is_err_and(|e| e.contains("the workbook could not be read")),
        "{:?}",
        out("xls_sparse_bomb.xls")
    );
    let t = read(&corpus("nasty/nul_bytes.csv"));
    assert!(t.notes.iter().any(|n| n.contains("NUL")), "{:?}", t.notes);
    let t = read(&corpus("nasty/mixed_line_endings.csv"));
    assert_eq!(t.lines.iter().collect::<Vec<_>>(), [2, 3, 4, 6]);
    let t = read(&corpus("nasty/duplicated_headers.csv"));
    assert_eq!(t.columns, vec!["time", "status", "time.2", "status.2"]);
}

/// Issue 12: an unclosed quote swallowed the rows after it ("n = 1 of 2 rows", four
/// patients gone). Each variant in `tests/corpus/quotes_expected.tsv` must keep every
/// row, and say where the quote opened when one ran on.
#[test]
fn regression_unclosed_quotes_never_lose_a_row() {
    let list = String::from_utf8(corpus("quotes_expected.tsv")).unwrap_or_default();
    let mut n = 0;
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut f = line.split('\t');
        let (file, want, note) = (
            f.next().unwrap_or_default(),
            f.next().unwrap_or_default(),
            f.next().unwrap_or_default(),
        );
        let bytes = corpus(&format!("nasty/{file}"));
        let out = timed(file, &bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(out.contains(want), "{file}: {out}");
        let t = read(&bytes);
        let quote_notes: Vec<&String> = t.notes.iter().filter(|x| x.contains("quote")).collect();
        if note.is_empty() {
            assert!(quote_notes.is_empty(), "{file}: {quote_notes:?}");
        } else {
            assert!(
                quote_notes.iter().any(|x| x.contains(note)),
                "{file}: {:?}",
                t.notes
            );
        }
        n += 1;
    }
    assert!(n >= 12);
}

/// Issue 12: a title line above the header gave `time = V2, event = V2`, and the same
/// column was accepted as both.
#[test]
fn regression_one_column_cannot_be_time_and_event() {
    let t = text_table("t,s,arm\n1,1,A\n2,0,B\n");
    for (time, event, group) in [("t", "t", "arm"), ("t", "s", "s")] {
        let m = Mapping {
            time: time.into(),
            event: event.into(),
            group: Some(group.into()),
            ..Mapping::default()
        };
        let e = prepare(&t, &m).map(|_| ()).unwrap_err();
        assert!(matches!(e, MappingError::SameColumn { .. }), "{e:?}");
        assert!(e.to_string().contains("is chosen as both"), "{e}");
    }
}

#[test]
fn ten_thousand_columns() {
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    let row: Vec<String> = (0..10_000).map(|i| (i % 7).to_string()).collect();
    let text = format!(
        "{}\n{}\n{}\n",
        header.join(","),
        row.join(","),
        row.join(",")
    );
    let out = timed("10,000 columns", text.as_bytes());
    assert!(out.is_ok_and(|s| s.starts_with("2 rows × 10000 columns")));
    // Beyond Excel's 16,384 columns the text is not taken for a table.
    let wide = ",".repeat(20_000);
    let out = timed("20,001 columns", format!("a{wide}\n1{wide}\n").as_bytes());
    assert!(out.is_err_and(|e| e.contains("more than the 16384 columns")));
}

#[test]
fn ten_megabyte_cell() {
    let big = "9".repeat(10 << 20);
    let text = format!("time,status\n{big},1\n2,0\n");
    let out = timed("10 MB cell", text.as_bytes());
    assert!(out.is_ok(), "{out:?}");
    // An unclosed quote running to the end of a 2 MB file: 700,000 lines reread one by
    // one, each excluded with its reason (quadratic work would take minutes; 10 MB took
    // 22 s in a debug build on two busy cores, too near the bound to be a fair test).
    let text = format!("time,status\n1,1\n\"{}\n", "x,\n".repeat(700_000));
    assert!(timed("2 MB quoted", text.as_bytes()).is_ok());
    // The excluded value is shown cut, not 10 MB long.
    let text = format!("time,status\n1,1\nx{big},0\n");
    let t = read(text.as_bytes());
    let p = prepare(&t, &guess(&t)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.excluded[0].value.chars().count(), 101);
}

#[test]
fn binary_garbage_is_refused() {
    let mut rng = Rng(7);
    let junk: Vec<u8> = (0..100_000).map(|_| rng.next() as u8).collect();
    let out = timed("random bytes", &junk);
    assert!(
        out.as_ref()
            .is_err_and(|e| e.contains("does not look like text")),
        "{out:?}"
    );
    let mut zip_junk = b"PK\x03\x04".to_vec();
    zip_junk.extend_from_slice(&junk[..1000]);
    // Without the `spreadsheet` feature the error says to save the sheet as CSV.
    assert!(timed("damaged zip", &zip_junk).is_err_and(|e| e
        .contains("the workbook could not be read")
        || e.contains("save the sheet as CSV")));
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(20_240_501);
    // Bytes that matter to the readers, so that random input reaches deep paths.
    const ALPHABET: &[u8] = b"0123456789012345,,,;;\t\t||\"\"\n\n\r.-/ :TtNnAaEeYyDdCcRr\x00\xff\xfe\xef\xbb\xbf\xc3\xa9";
    let seeds: Vec<Vec<u8>> = [
        "lung_csv2.csv",
        "adtte.csv",
        "dates_dmy.csv",
        "latin1.csv",
        "veteran_utf16.txt",
        "nasty/mixed_line_endings.csv",
    ]
    .iter()
    .map(|n| corpus(n))
    .collect();
    let start = Instant::now();
    for i in 0..RANDOM_CASES {
        let bytes: Vec<u8> = if i % 2 == 0 {
            let n = rng.below(400);
            (0..n)
                .map(|_| ALPHABET[rng.below(ALPHABET.len())])
                .collect()
        } else {
            // A corpus file, cut short and with a few bytes changed.
            let seed = &seeds[rng.below(seeds.len())];
            let mut b = seed[..rng.below(seed.len().min(3000)) + 1].to_vec();
            for _ in 0..rng.below(8) {
                let k = rng.below(b.len());
                b[k] = ALPHABET[rng.below(ALPHABET.len())];
            }
            b
        };
        let _ = harness(&bytes, &TableOptions::default());
        let _ = harness(&bytes, &fuzz_options(&bytes));
    }
    assert!(start.elapsed() < Duration::from_secs(120));
}

#[test]
#[cfg(feature = "spreadsheet")]
fn damaged_workbooks_never_panic() {
    let mut rng = Rng(99);
    for name in ["trial.xlsx", "trial.xls", "trial.ods"] {
        let good = corpus(name);
        for _ in 0..WORKBOOK_MUTATIONS {
            let mut b = good.clone();
            match rng.below(3) {
                0 => b.truncate(rng.below(b.len()) + 8),
                1 => {
                    for _ in 0..1 + rng.below(16) {
                        let k = 8 + rng.below(b.len() - 8);
                        b[k] = rng.next() as u8;
                    }
                }
                _ => {
                    let k = 8 + rng.below(b.len() - 8);
                    let n = rng.below(64).min(b.len() - k);
                    b.drain(k..k + n);
                }
            }
            if let Err(e) = harness(&b, &TableOptions::default()) {
                assert!(e.len() > 20, "{name}: {e}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The names the page and the CLI use for reading and mapping choices

#[test]
fn reading_choices_round_trip_through_their_names() {
    use survcalc_core::table::{delimiter_name, parse_delimiter, DELIMITERS};
    for (c, name) in DELIMITERS {
        assert_eq!(parse_delimiter(name), Some(c));
        assert_eq!(delimiter_name(c), name);
    }
    assert_eq!(parse_delimiter("\\t"), Some('\t'));
    assert_eq!(parse_delimiter(":"), Some(':'));
    assert_eq!(parse_delimiter("\""), None);
    assert_eq!(parse_delimiter("ab"), None);
    for e in TextEncoding::ALL {
        assert_eq!(TextEncoding::parse(e.key()), Some(e));
    }
    assert_eq!(
        TextEncoding::parse("Latin1"),
        Some(TextEncoding::Windows1252)
    );
    assert_eq!(TextEncoding::parse("ebcdic"), None);
    for o in DateOrder::ALL {
        assert_eq!(DateOrder::parse(o.name()), Some(o));
    }
}

#[test]
fn forced_reading_options_override_detection_and_are_described() {
    // Semicolons inside a comma-separated file: detection picks the comma (more fields);
    // forcing the semicolon gives one column per semicolon field instead.
    let text = b"arm;site,time,event\nA;1,5,1\nB;2,7,0\n";
    let t = Table::from_bytes(text, &TableOptions::default()).map_err(|e| e.to_string());
    assert_eq!(t.as_ref().map(|t| t.columns.len()), Ok(3));
    assert_eq!(
        t.map(|t| t.reading()),
        Ok("comma-separated text, UTF-8, header row, decimal point".to_string())
    );
    let forced = TableOptions {
        delimiter: Some(';'),
        header: Some(false),
        encoding: Some(TextEncoding::Windows1252),
        ..TableOptions::default()
    };
    let t = Table::from_bytes(text, &forced).map_err(|e| e.to_string());
    assert_eq!(
        t.as_ref().map(|t| (t.columns.clone(), t.n_rows())),
        Ok((vec!["V1".to_string(), "V2".to_string()], 3))
    );
    assert_eq!(
        t.map(|t| t.reading()),
        Ok(
            "semicolon-separated text, Windows-1252 (Latin-1), no header row, decimal point"
                .to_string()
        )
    );
}

#[test]
fn group_labels_and_units_from_text() {
    use survcalc_core::mapping::{parse_group_labels, split_list};
    assert_eq!(
        parse_group_labels("1=Sorafenib; 2 = Sorafenib+HAIC"),
        Ok(vec![
            GroupLabel {
                value: "1".into(),
                label: "Sorafenib".into()
            },
            GroupLabel {
                value: "2".into(),
                label: "Sorafenib+HAIC".into()
            },
        ])
    );
    assert!(parse_group_labels("1=A, 2").is_err_and(|e| e.contains("\"2\"")));
    assert_eq!(
        split_list(" B, ,A;"),
        vec!["B".to_string(), "A".to_string()]
    );
    let mut m = Mapping {
        time: "os_months".into(),
        ..Mapping::default()
    };
    assert_eq!(
        (m.source_unit(), m.analysis_unit()),
        (Some(TimeUnit::Months), Some(TimeUnit::Months))
    );
    m.output_unit = Some(TimeUnit::Years);
    assert_eq!(m.analysis_unit(), Some(TimeUnit::Years));
    m.time = "futime".into();
    // Unknown source unit: nothing is converted, so the analysis unit stays unknown.
    assert_eq!(m.analysis_unit(), None);
    m.time_unit = Some(TimeUnit::Days);
    assert_eq!(m.analysis_unit(), Some(TimeUnit::Years));
}

/// A zip whose one part (`xl/workbook.xml`, deflated, 10 bytes) declares `declared`
/// bytes unpacked: the shape of a zip bomb, without the bomb.
fn zip_declaring(declared: u32) -> Vec<u8> {
    let name = b"xl/workbook.xml";
    let data = [0x03u8, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut out = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    // Local file header.
    le32(&mut out, 0x0403_4b50);
    for x in [20u16, 0, 8, 0, 0] {
        le16(&mut out, x);
    }
    le32(&mut out, 0); // crc
    le32(&mut out, data.len() as u32);
    le32(&mut out, declared);
    le16(&mut out, name.len() as u16);
    le16(&mut out, 0);
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let cd_start = out.len() as u32;
    // Central directory entry.
    le32(&mut out, 0x0201_4b50);
    for x in [20u16, 20, 0, 8, 0, 0] {
        le16(&mut out, x);
    }
    le32(&mut out, 0);
    le32(&mut out, data.len() as u32);
    le32(&mut out, declared);
    for x in [name.len() as u16, 0, 0, 0, 0] {
        le16(&mut out, x);
    }
    le32(&mut out, 0); // external attributes
    le32(&mut out, 0); // local header offset
    out.extend_from_slice(name);
    let cd_len = out.len() as u32 - cd_start;
    // End of central directory.
    le32(&mut out, 0x0605_4b50);
    for x in [0u16, 0, 1, 1] {
        le16(&mut out, x);
    }
    le32(&mut out, cd_len);
    le32(&mut out, cd_start);
    le16(&mut out, 0);
    out
}

#[test]
fn a_workbook_declaring_gigabytes_is_refused_before_unpacking() {
    let bomb = zip_declaring(3 << 30);
    let e = Table::from_bytes(&bomb, &TableOptions::default()).map_err(|e| e.to_string());
    assert!(
        e.as_ref()
            .is_err_and(|m| m.contains("would unpack to 3.2 GB")),
        "{e:?}"
    );
    // The same zip declaring a sane size goes on to the reader, which says what is wrong.
    let small = zip_declaring(1000);
    let e = Table::from_bytes(&small, &TableOptions::default()).map_err(|e| e.to_string());
    assert!(
        e.as_ref().is_err_and(|m| !m.contains("would unpack")),
        "{e:?}"
    );
}

/// The account of one file for `tests/corpus/nasty_expected.tsv`: the harness's line,
/// then the reader's notes, the analysis's warnings and the exclusion reasons.
fn account(bytes: &[u8]) -> Result<String, String> {
    let mut out = timed("corpus file", bytes)?;
    let table = Table::from_bytes(bytes, &TableOptions::default()).map_err(|e| e.to_string())?;
    for n in &table.notes {
        out.push_str(" | note: ");
        out.push_str(n);
    }
    if let Ok(a) = analyze(&table, &guess(&table), &AnalysisOptions::default()) {
        for n in a.notes.iter().filter(|n| !table.notes.contains(n)) {
            out.push_str(" | note: ");
            out.push_str(n);
        }
        for w in &a.warnings {
            out.push_str(" | warning: ");
            out.push_str(w);
        }
        for e in &a.excluded {
            out.push_str(&format!(" | excluded line {}: {}", e.line, e.reason));
        }
    }
    Ok(out)
}

/// Issue 12: the bad-input corpus, each file with the outcome it must give
/// (`tests/corpus/nasty_expected.tsv`; the quote cases in `quotes_expected.tsv`). Every
/// file of `tests/corpus/nasty/` must be listed in one of them.
#[test]
fn nasty_corpus_outcomes() {
    let list = String::from_utf8(corpus("nasty_expected.tsv")).unwrap_or_default();
    let quotes = String::from_utf8(corpus("quotes_expected.tsv")).unwrap_or_default();
    let listed = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect()
    };
    let mut all = listed(&list);
    all.extend(listed(&quotes));
    let dir = format!("{ROOT}/tests/corpus/nasty");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    for f in &files {
        assert!(
            all.contains(f),
            "{f} has no expected outcome in tests/corpus/*_expected.tsv"
        );
    }
    assert!(files.len() >= 60, "the corpus has {} files", files.len());
    let mut n = 0;
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut f = line.split('\t');
        let file = f.next().unwrap_or_default();
        let first = f.next().unwrap_or_default();
        let bytes = corpus(&format!("nasty/{file}"));
        let got = account(&bytes);
        let text = match (first.split_once(": "), &got) {
            (Some(("ok", want)), Ok(s)) => {
                assert!(s.contains(want), "{file}: wanted {want:?} in {s}");
                s.clone()
            }
            (Some(("error", want)), Err(e)) => {
                assert!(
                    e.contains(want),
                    "{file}: wanted the error {want:?}, got {e}"
                );
                e.clone()
            }
            _ => panic!("{file}: expected {first:?}, got {got:?}"),
        };
        for want in f {
            assert!(text.contains(want), "{file}: wanted {want:?} in {text}");
        }
        n += 1;
    }
    assert!(n >= 45, "{n}");
}
