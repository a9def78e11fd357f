//! `survcalc-bench import [ROWS]`: one cold run of bytes → table → mapping guess →
//! prepared data on a trial-shaped CSV (`example::scaling_csv`, 1,000,000 rows by
//! default), printing the time of each step and the memory the import added.
//!
//! The same source is built natively and for `wasm32-wasip1` and run under Node's WASI
//! (`scripts/bench-import.sh` does both), so the figures compare the core as the CLI runs
//! it with the core as WebAssembly runs it — the page's code path without the page.
//!
//! Memory: natively, the growth of the peak resident set (Linux `VmHWM`, reset through
//! `/proc/self/clear_refs` once the input is built); in WebAssembly, the growth of linear
//! memory, which never shrinks, so its final size is its peak.
//!
//! Figures, not a test: nothing here passes or fails.

mod peers;

use std::time::Instant;
use survcalc_core::mapping::{guess, prepare};
use survcalc_core::{Table, TableOptions};

/// Bytes in use as the process sees them: resident set natively, linear memory in wasm.
fn memory_now() -> Option<u64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65_536)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        status_kib("VmRSS:").map(|k| k * 1024)
    }
}

/// The peak since the last reset.
fn memory_peak() -> Option<u64> {
    #[cfg(target_arch = "wasm32")]
    {
        memory_now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        status_kib("VmHWM:").map(|k| k * 1024)
    }
}

/// Resets the native peak to the current resident set (Linux ≥ 4.0); nothing in wasm.
fn reset_peak() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn import(rows: usize) -> Result<(), String> {
    let bytes = survcalc_core::example::scaling_csv(rows, 2024).into_bytes();
    reset_peak();
    let before = memory_now();
    let start = Instant::now();
    let table = Table::from_bytes(&bytes, &TableOptions::default()).map_err(|e| e.to_string())?;
    let read = start.elapsed();
    let mapping = guess(&table);
    let guessed = start.elapsed();
    let prepared = prepare(&table, &mapping).map_err(|e| e.to_string())?;
    let total = start.elapsed();
    let peak = memory_peak();
    let target = if cfg!(target_arch = "wasm32") {
        "wasm32 (WASI)"
    } else {
        "native"
    };
    println!(
        "{target}: import of {} rows × {} columns ({:.1} MB of CSV): read {:.0} ms, guess {:.0} ms, prepare {:.0} ms, total {:.0} ms",
        table.n_rows(),
        table.columns.len(),
        mb(bytes.len() as u64),
        read.as_secs_f64() * 1e3,
        (guessed - read).as_secs_f64() * 1e3,
        (total - guessed).as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
    );
    let what = if cfg!(target_arch = "wasm32") {
        "linear memory"
    } else {
        "peak resident set"
    };
    match (before, peak) {
        (Some(b), Some(p)) => println!(
            "{target}: memory added by the import: {:.1} MB ({what} {:.1} MB, before {:.1} MB); table {:.1} MB; {} rows analysed",
            mb(p.saturating_sub(b)),
            mb(p),
            mb(b),
            mb(table.heap_bytes() as u64),
            prepared.data.len()
        ),
        _ => println!("{target}: memory not measurable here (needs Linux /proc natively)"),
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = |k: usize, default: usize| match args.get(k).map(|r| r.parse::<usize>()) {
        None => Ok(default),
        Some(Ok(n)) if n > 0 => Ok(n),
        Some(_) => Err(format!("{:?} must be a positive whole number", args[k])),
    };
    let result = match args.first().map(String::as_str) {
        Some("import") => count(1, 1_000_000).and_then(import),
        Some(cmd @ ("peers-data" | "peers-gen-steps" | "peers-stream")) => (|| {
            let rows = count(1, 1_000_000)?;
            let arms = count(2, 2)?;
            let ties = match args.get(3).map(String::as_str) {
                None | Some("continuous") => false,
                Some("ties") => true,
                Some(other) => return Err(format!("TIES is continuous or ties, not {other:?}")),
            };
            let seed = count(4, 2026)? as u64;
            if cmd == "peers-stream" {
                let out = std::io::stdout().lock();
                let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
                return peers::write_data(&mut out, rows, arms, ties, seed)
                    .map_err(|e| format!("writing the rows: {e}"));
            }
            let csv = peers::data(rows, arms, ties, seed);
            if cmd == "peers-data" {
                print!("{csv}");
                Ok(())
            } else {
                let tool = if cfg!(target_arch = "wasm32") { "survcalc-wasm" } else { "survcalc" };
                peers::steps(tool, csv.as_bytes(), args.get(5).map(String::as_str))
            }
        })(),
        Some("peers-steps") => match args.get(1) {
            Some(path) => std::fs::read(path)
                .map_err(|e| format!("{path}: {e}"))
                .and_then(|b| peers::steps("survcalc", &b, args.get(2).map(String::as_str))),
            None => Err("usage: survcalc-bench peers-steps FILE [km|logrank|cox|report|e2e]".into()),
        },
        _ => Err("usage: survcalc-bench import [ROWS] | peers-data ROWS ARMS continuous|ties SEED | peers-steps FILE [STEP] | peers-gen-steps ROWS ARMS continuous|ties SEED [STEP] | peers-stream ROWS ARMS continuous|ties SEED".to_string()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("survcalc-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
