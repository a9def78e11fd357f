//! The survcalc side of `scripts/bench-peers.sh` (issue 15): the data sets every tool
//! reads, and survcalc's time for each step on them.
//!
//! - `peers-data ROWS ARMS TIES SEED` prints `time,status,arm`: exponential times (median
//!   12 months in the first arm, hazard ratio 0.75 for each further arm), 30% censored,
//!   to 3 decimals (`TIES` = `continuous`) or rounded to 0.1 (`ties`: heavy ties).
//! - `peers-steps FILE` (or `peers-gen-steps ROWS ARMS TIES SEED`, which makes the data in
//!   memory, for WebAssembly under WASI where there is no file system) prints one `tool<TAB>step<TAB>seconds` line a step, the median of
//!   three runs: compute only on the prepared data (`km` both arms with Greenwood and log
//!   CI, `logrank`, `cox` Efron with concordance, `report` = every statistic the page
//!   shows by default from the read table), then end to end from the file's bytes
//!   (`e2e`), and the peak resident set (`peak_mb`).
//! - `peers-stream ROWS ARMS TIES SEED` writes the same data set to standard output as it
//!   makes it, for `scripts/bench-stream.sh` to pipe into `survcalc stream -`.

use std::time::Instant;
use survcalc_core::mapping::{guess, prepare, Mapping};
use survcalc_core::{
    analyze, cox_fit, kaplan_meier, log_rank, AnalysisOptions, CoxOptions, KmOptions, SurvData,
    Table, TableOptions,
};

/// The data set of the comparison, deterministic for `seed`.
pub fn data(rows: usize, arms: usize, ties: bool, seed: u64) -> String {
    let mut out = Vec::with_capacity(rows * 16 + 32);
    // Writing to a Vec cannot fail.
    let _ = write_data(&mut out, rows, arms, ties, seed);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the data set of [`data`] row by row to `out`, never holding it: `peers-stream`
/// pipes 10⁸ rows into `survcalc stream` this way.
///
/// # Errors
/// When `out` cannot be written (a closed pipe).
pub fn write_data(
    out: &mut impl std::io::Write,
    rows: usize,
    arms: usize,
    ties: bool,
    seed: u64,
) -> std::io::Result<()> {
    let mut rng = survcalc_core::example::SplitMix64(seed);
    writeln!(out, "time,status,arm")?;
    for i in 0..rows {
        let arm = i % arms.max(1);
        let rate = 0.75f64.powi(arm as i32) * std::f64::consts::LN_2 / 12.0;
        let t = (-rng.uniform().ln() / rate).max(0.001);
        let status = u8::from(rng.uniform() < 0.7);
        let label = char::from(b'A' + (arm % 26) as u8);
        if ties {
            writeln!(
                out,
                "{:.1},{status},{label}",
                (t * 10.0).round().max(1.0) / 10.0
            )?;
        } else {
            writeln!(out, "{t:.3},{status},{label}")?;
        }
    }
    out.flush()
}

thread_local! {
    static PHASE: std::cell::RefCell<Option<(Instant, &'static str)>> =
        const { std::cell::RefCell::new(None) };
}

/// Prints the time since the last phase, from the analysis's progress reports.
fn phase(step: &survcalc_core::progress::Step) {
    use survcalc_core::progress::Step;
    let now = Instant::now();
    let name = match step {
        Step::Analysing(what) => *what,
        Step::Reading { .. } => return,
    };
    PHASE.with(|p| {
        if let Some((start, last)) = p.replace(Some((now, name))) {
            println!(
                "phase\t{last}\t{:.4}\t{}",
                (now - start).as_secs_f64(),
                peak_so_far()
            );
        }
    });
}

/// The peak memory so far (the resident set natively, the linear memory in wasm), in MB.
fn peak_so_far() -> String {
    crate::memory_peak().map_or(String::new(), |b| format!("peak {:.1} MB", b as f64 / 1e6))
}

/// One run of the whole report, timed phase by phase (`peers-steps FILE phases`): where
/// its time goes, by the stages the page's progress line names.
fn phases(table: &Table, mapping: &Mapping, options: &AnalysisOptions) -> Result<(), String> {
    survcalc_core::progress::set_reporter(Some(phase));
    let start = Instant::now();
    let result = analyze(table, mapping, options).map_err(|e| e.to_string());
    survcalc_core::progress::set_reporter(None);
    PHASE.with(|p| {
        if let Some((at, last)) = p.take() {
            println!(
                "phase\t{last}\t{:.4}\t{}",
                at.elapsed().as_secs_f64(),
                peak_so_far()
            );
        }
    });
    println!("phase\twhole report\t{:.4}", start.elapsed().as_secs_f64());
    result.map(|_| ())
}

/// The median of three timings of `f`, in seconds.
fn median3<T>(mut f: impl FnMut() -> T) -> f64 {
    let mut t: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[1]
}

/// survcalc's time for each step on the CSV `bytes`, printed as `tool` (`survcalc`
/// natively, `survcalc-wasm` under WASI); with `only`, that step alone (to profile it).
pub fn steps(tool: &str, bytes: &[u8], only: Option<&str>) -> Result<(), String> {
    let table = Table::from_bytes(bytes, &TableOptions::default()).map_err(|e| e.to_string())?;
    let mapping = guess(&table);
    let prepared = prepare(&table, &mapping).map_err(|e| e.to_string())?;
    let data = &prepared.data;
    let options = AnalysisOptions::default();
    let line = |step: &str, secs: f64| println!("{tool}\t{step}\t{secs:.4}");
    let run = |step: &str| only.is_none_or(|o| o == step);
    // Each timing starts from unsorted data, as each peer's does (the data's time order
    // is sorted once and kept within one report).
    let fresh = || {
        SurvData::new(
            data.time().to_vec(),
            data.event().to_vec(),
            data.group().to_vec(),
            data.levels().to_vec(),
        )
    };
    if run("km") {
        line(
            "km",
            median3(|| fresh().map(|d| kaplan_meier(&d, &KmOptions::default()))),
        );
    }
    if run("logrank") {
        line("logrank", median3(|| fresh().map(|d| log_rank(&d))));
    }
    if run("cox") {
        line(
            "cox",
            median3(|| fresh().map(|d| cox_fit(&d, &CoxOptions::default()))),
        );
    }
    if run("report") {
        line(
            "report",
            median3(|| analyze(&table, &mapping, &options).map(|a| a.n_used)),
        );
    }
    if only == Some("phases") {
        phases(&table, &mapping, &options)?;
    }
    if run("e2e") {
        line(
            "e2e",
            median3(|| -> Result<usize, String> {
                let t = Table::from_bytes(bytes, &TableOptions::default())
                    .map_err(|e| e.to_string())?;
                let m = guess(&t);
                analyze(&t, &m, &options)
                    .map(|a| a.n_used)
                    .map_err(|e| e.to_string())
            }),
        );
    }
    if let Some(bytes) = crate::memory_peak() {
        println!("{tool}\tpeak_mb\t{:.1}", bytes as f64 / 1e6);
    }
    Ok(())
}
