//! Cost of the core estimators from 10^3 to 10^6 patients (two arms, exponential times,
//! ~30% censored, times rounded to 0.1 so ties occur as in real data). Prints criterion's
//! figures; it is a benchmark, not a test: `cargo bench -p survcalc-core --bench scaling`.
//!
//! Expected shape: Kaplan–Meier and log-rank O(n log n) (one sort, then linear); one Cox
//! iteration O(n·p²) for general covariates, O(n·k) for the group as a factor with k ≥ 4
//! arms (`cox_arms`: k arms of 5 patients; issue 12's 1000 arms did not finish in 600 s).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use survcalc_core::{cox_fit, kaplan_meier, log_rank, CoxOptions, KmOptions, SurvData};

/// Deterministic data: SplitMix64 uniforms → exponential times with HR 0.7 between arms.
fn simulate(n: usize) -> SurvData {
    let mut state: u64 = 42;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut time = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    let mut group = Vec::with_capacity(n);
    for i in 0..n {
        let g = i % 2;
        let rate = if g == 1 { 0.7 } else { 1.0 } / 12.0;
        let t = -next().ln() / rate;
        let c = next() * 60.0;
        time.push((t.min(c) * 10.0).round() / 10.0);
        event.push(t <= c);
        group.push(g);
    }
    match SurvData::new(
        time,
        event,
        group,
        vec!["control".into(), "treatment".into()],
    ) {
        Ok(d) => d,
        Err(e) => panic!("simulated data invalid: {e}"),
    }
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("core");
    g.sample_size(10);
    for &n in &[1_000usize, 10_000, 100_000, 1_000_000] {
        let d = simulate(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("kaplan_meier", n), &d, |b, d| {
            b.iter(|| kaplan_meier(black_box(d), &KmOptions::default()))
        });
        g.bench_with_input(BenchmarkId::new("log_rank", n), &d, |b, d| {
            b.iter(|| log_rank(black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("cox_efron", n), &d, |b, d| {
            b.iter(|| cox_fit(black_box(d), &CoxOptions::default()))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("cox_arms");
    g.sample_size(10);
    for &k in &[10usize, 100, 1000] {
        let d = arms(k, 5);
        g.throughput(Throughput::Elements((5 * k) as u64));
        g.bench_with_input(BenchmarkId::new("cox_efron", k), &d, |b, d| {
            b.iter(|| cox_fit(black_box(d), &CoxOptions::default()))
        });
    }
    g.finish();
}

/// `k` arms of `per` patients, times 1…per·k with arm effects spread over ±1 log-hazard.
fn arms(k: usize, per: usize) -> SurvData {
    let n = k * per;
    let time: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64 + 1.0).collect();
    let event: Vec<bool> = (0..n).map(|i| i % 4 != 0).collect();
    let labels: Vec<String> = (0..n).map(|i| format!("arm{:04}", i % k)).collect();
    match SurvData::from_labels(time, event, &labels) {
        Ok(d) => d,
        Err(e) => panic!("arms data invalid: {e}"),
    }
}

criterion_group!(benches, scaling);
criterion_main!(benches);
