//! Reading plus mapping a 1,000,000-row, 6-column CSV (`id,arm,os_months,os_event,
//! pfs_months,pfs_event`, ≈ 29 MB): `Table::from_bytes`, `guess` and `prepare`, and the
//! three together. A benchmark, not a test:
//!
//!     cargo bench -p survcalc-core --bench import
//!
//! Before criterion's figures it prints one cold run with the peak memory the import
//! added above the input (Linux: the process's peak resident set, `VmHWM`, reset through
//! `/proc/self/clear_refs` once the input is built) and the table's own size. The input
//! is made in memory, so no file is read.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Instant;
use survcalc_core::mapping::{guess, prepare};
use survcalc_core::{Table, TableOptions};

const ROWS: usize = 1_000_000;

/// Deterministic trial-shaped CSV: two arms, times to two decimals, ~30% censored.
fn make_csv(n: usize) -> Vec<u8> {
    survcalc_core::example::scaling_csv(n, 2024).into_bytes()
}

/// A field of /proc/self/status in KiB (Linux); `None` elsewhere.
fn status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cold_run(bytes: &[u8]) {
    // Reset the peak resident set to the current one (Linux ≥ 4.0).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let base = status_kib("VmRSS:");
    let start = Instant::now();
    let table = match Table::from_bytes(bytes, &TableOptions::default()) {
        Ok(t) => t,
        Err(e) => panic!("benchmark input: {e}"),
    };
    let read = start.elapsed();
    let mapping = guess(&table);
    let guessed = start.elapsed();
    let prepared = match prepare(&table, &mapping) {
        Ok(p) => p,
        Err(e) => panic!("benchmark mapping: {e}"),
    };
    let total = start.elapsed();
    let peak = status_kib("VmHWM:");
    println!(
        "import of {} rows × {} columns ({:.1} MB of CSV): read {:.0} ms, guess {:.0} ms, prepare {:.0} ms, total {:.0} ms",
        table.n_rows(),
        table.columns.len(),
        bytes.len() as f64 / 1e6,
        read.as_secs_f64() * 1e3,
        (guessed - read).as_secs_f64() * 1e3,
        (total - guessed).as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    println!(
        "table in memory: {:.1} MB; prepared: {} rows analysed",
        table.heap_bytes() as f64 / 1e6,
        prepared.data.len()
    );
    match (reset, base, peak) {
        (true, Some(b), Some(p)) => println!(
            "peak memory added by the import: {:.1} MB (peak resident {:.1} MB, before {:.1} MB)",
            p.saturating_sub(b) as f64 / 1024.0,
            p as f64 / 1024.0,
            b as f64 / 1024.0
        ),
        _ => println!("peak memory: not measurable on this system (needs Linux /proc)"),
    }
}

fn import(c: &mut Criterion) {
    let bytes = make_csv(ROWS);
    cold_run(&bytes);
    let table = match Table::from_bytes(&bytes, &TableOptions::default()) {
        Ok(t) => t,
        Err(e) => panic!("benchmark input: {e}"),
    };
    let mapping = guess(&table);
    let mut g = c.benchmark_group("import_1M_rows");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("from_bytes", |b| {
        b.iter(|| Table::from_bytes(black_box(&bytes), &TableOptions::default()))
    });
    g.bench_function("guess", |b| b.iter(|| guess(black_box(&table))));
    g.bench_function("prepare", |b| {
        b.iter(|| prepare(black_box(&table), black_box(&mapping)))
    });
    g.bench_function("from_bytes+guess+prepare", |b| {
        b.iter(|| {
            let t = Table::from_bytes(black_box(&bytes), &TableOptions::default());
            t.map(|t| {
                let m = guess(&t);
                prepare(&t, &m).map(|p| p.data.len())
            })
        })
    });
    g.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
