//! The fuzz harness of issue 12, on stable Rust: seeded random inputs for the three doors
//! through which a stranger's bytes reach the page — the share-link decoder, the option
//! validation behind it, and the worker's job handler (read, then analyse, with random
//! settings). Every input must give a value or an error message, never a panic, in
//! bounded time.
//!
//! `cargo test -p survcalc-web --test fuzz` runs 20,000 inputs per door; set
//! `SURVCALC_FUZZ=1000000` for the million-input run (its count is printed).

use std::time::{Duration, Instant};
use survcalc_core::{AnalysisOptions, Mapping, TableOptions};
use survcalc_web::engine::{AnalysisRequest, Engine, Job, Reply, TimeAxis};
use survcalc_web::share::decode;

fn count() -> usize {
    std::env::var("SURVCALC_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// The core's SplitMix64 (`survcalc_core::example::SplitMix64`), with the draws used here.
struct Rng(survcalc_core::example::SplitMix64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(survcalc_core::example::SplitMix64(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// A number, often a nasty one.
    fn number(&mut self) -> String {
        match self.below(10) {
            0 => "NaN".into(),
            1 => "-1".into(),
            2 => "1e308".into(),
            3 => "4294967295".into(),
            4 => "0".into(),
            5 => "1.5".into(),
            6 => "-0".into(),
            _ => format!("{}", (self.next() % 10_000) as f64 / 100.0),
        }
    }
}

/// A random JSON value for a state field: mostly well-typed, sometimes not.
fn json_value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(if depth > 2 { 4 } else { 7 }) {
        0 => rng.number(),
        1 => format!(
            "\"{}\"",
            rng.pick(&["", "os_months", "<b>", "\u{202e}x", "Café", "1=A"])
        ),
        2 => rng.pick(&["true", "false", "null"]).to_string(),
        3 => format!(
            "[{}]",
            (0..rng.below(4))
                .map(|_| rng.number())
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ => {
            let keys = [
                "km",
                "cox",
                "conf_level",
                "iter_max",
                "eps",
                "landmarks",
                "mapping",
                "time",
                "event",
                "group",
                "options",
                "figure",
                "title",
                "group_order",
                "ae_columns",
                "endpoints",
                "rmst_tau",
                "read",
                "header_row",
                "data",
            ];
            let n = rng.below(5);
            let fields: Vec<String> = (0..n)
                .map(|_| format!("\"{}\":{}", rng.pick(&keys), json_value(rng, depth + 1)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

fn deflate64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(miniz_oxide::deflate::compress_to_vec(bytes, 6))
}

#[test]
fn share_links_and_their_options_never_panic() {
    let n = count();
    let mut rng = Rng::new(12);
    let started = Instant::now();
    let mut opened = 0usize;
    for i in 0..n {
        let fragment = match i % 4 {
            // A well-formed link around a random state.
            0 | 1 => format!(
                "#survcalc=1.{}",
                deflate64(json_value(&mut rng, 0).as_bytes())
            ),
            // Random characters after the key.
            2 => {
                let len = rng.below(120);
                let body: String = (0..len)
                    .map(|_| char::from(b"AZaz09-_.=%!#"[rng.below(13)]))
                    .collect();
                format!("#survcalc={body}")
            }
            // A link with a data part.
            _ => format!(
                "#survcalc=1.{}.{}",
                deflate64(json_value(&mut rng, 0).as_bytes()),
                deflate64(rng.number().as_bytes())
            ),
        };
        // A value or a message; the state a link opens always passes validation.
        if let Ok(Some(shared)) = decode(&fragment) {
            assert!(shared.state.options.validate().is_ok(), "{fragment}");
            opened += 1;
        }
    }
    eprintln!(
        "share-link decoder: {n} inputs, {opened} opened, {:?}",
        started.elapsed()
    );
    assert!(opened > 0);
}

#[test]
fn the_worker_job_handler_never_panics() {
    let n = count() / 10;
    let mut rng = Rng::new(34);
    let started = Instant::now();
    let mut analysed = 0usize;
    for _ in 0..n {
        let mut engine = Engine::default();
        // A small table with random cells, sometimes ragged, quoted or empty.
        let rows = rng.below(12);
        let mut text = String::from("time,status,arm\n");
        for _ in 0..rows {
            let cells: Vec<String> = (0..3 + rng.below(2) - 1)
                .map(|_| match rng.below(6) {
                    0 => rng
                        .pick(&["", "\"", "NA", "A", "B", "=1+1", "1:DECEASED"])
                        .to_string(),
                    _ => rng.number(),
                })
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        let read = TableOptions {
            header_row: (rng.below(4) == 0).then(|| rng.below(5) as u64),
            ..TableOptions::default()
        };
        let _ = engine.handle(Job::Read(read), Some(text.into_bytes()));
        let mut options = AnalysisOptions::default();
        match rng.below(6) {
            0 => options.km.conf_level = rng.number().parse().unwrap_or(f64::NAN),
            1 => options.cox.iter_max = rng.below(5_000),
            2 => options.cox.eps = rng.number().parse().unwrap_or(-1.0),
            3 => options.landmarks = (0..rng.below(400)).map(|i| i as f64).collect(),
            4 => options.rmst_tau = rng.number().parse().ok(),
            _ => {}
        }
        // Mostly the right columns (so that estimators run), sometimes wrong or none.
        let right = rng.below(10) < 7;
        let request = AnalysisRequest {
            mapping: Mapping {
                time: if right {
                    "time"
                } else {
                    rng.pick(&["status", "arm", "", "x"])
                }
                .into(),
                event: if right {
                    "status"
                } else {
                    rng.pick(&["time", "arm", ""])
                }
                .into(),
                group: Some(
                    if right {
                        "arm"
                    } else {
                        rng.pick(&["", "time"])
                    }
                    .to_string(),
                ),
                ..Mapping::default()
            },
            options,
            response: None,
            ae_columns: Vec::new(),
            ae_grades: Some((3, 4)),
            response_values: Vec::new(),
            ae_labels: Vec::new(),
            ae_by_grade: rng.below(2) == 0,
            subgroups: Vec::new(),
            subgroup_strata: Default::default(),
            // Sometimes a competing-risks analysis on any column, with any cause named.
            competing_event: (rng.below(4) == 0)
                .then(|| rng.pick(&["status", "arm", "time", "x", ""]).to_string()),
            competing_cause: (rng.below(3) == 0)
                .then(|| rng.pick(&["1", "2", "x", ""]).to_string()),
        };
        let t = Instant::now();
        // Any time axis, and afterwards another one and the KM table's CSV.
        let mut axis = || TimeAxis {
            x_max: (rng.below(3) == 0).then(|| rng.below(100) as f64 - 10.0),
            tick_step: (rng.below(3) == 0).then(|| rng.below(30) as f64 / 4.0),
        };
        let first = axis();
        if let Reply::Analyzed(c) = engine.handle(Job::Analyze(Box::new(request), first), None) {
            analysed += usize::from(c.outcome.is_ok());
        }
        let _ = engine.handle(Job::Redraw(axis()), None);
        let _ = engine.handle(Job::KmCsv, None);
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "a job took {:?}",
            t.elapsed()
        );
    }
    eprintln!(
        "worker jobs: {n} tables, {analysed} analysed, {:?}",
        started.elapsed()
    );
    assert!(analysed > 0);
}
