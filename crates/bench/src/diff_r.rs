//! The differential test against R (issue 11): random data sets with the pathologies that
//! break survival software — heavy ties, times of 0, near-ties from dates, all-censored
//! and one-patient groups, magnitudes from 1e-6 to 1e7, curves ending at S = 0.5 — run
//! through survcalc's core here and through R's `survival` by `tests/r/diff_r.R`, then
//! compared number by number. `scripts/diff-r.sh` runs the three steps:
//!
//! ```text
//! survcalc-diff-r generate DIR N SEED   # DIR/case_NNNN.csv and DIR/ours_NNNN.tsv
//! Rscript tests/r/diff_r.R DIR          # DIR/r_NNNN.tsv
//! survcalc-diff-r compare DIR           # the largest relative error per family
//! ```
//!
//! Both sides write one `key<TAB>value` line per number (`%.17g`, `NA` for R's NA/NaN),
//! with the same keys, so that the comparison is a join on the key. A family is over its
//! tolerance when any number differs by more than it (KM and log-rank 1e-10, Cox 1e-8,
//! relative; absolute below 1e-12); then the cases are listed, to become fixtures.
//!
//! What R computes, and so what is compared: `survfit` under the five `conf.type`s
//! (surv, std.err of log S, lower, upper); `summary(fit, times = , extend = TRUE)` at four
//! landmarks (n.risk, surv, std.err, limits); `quantile(fit, c(.25, .5, .75))` on the log
//! band; the RMST and its SE to the smallest last time (`summary(fit, rmean = )`, whose
//! SE is survRM2's); `survdiff` with ρ = 0 and 1, every pair on its own (as
//! `pairwise_survdiff`) and the test for trend from its obs, exp and var; `coxph ~ group`
//! with Efron and Breslow ties, and exact ties up to 100 rows (coefficients, standard
//! errors, final log-likelihood; only where neither side warns of divergence), its
//! concordance, `cox.zph`'s global test (where R does not refuse it); and `coxph ~ group +
//! x` with a numeric covariate. Every call uses R's defaults, timefix included.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use survcalc_core::compare::{
    log_rank_trend, pairwise_log_rank, weighted_log_rank, PairwiseOptions, TrendOptions, Weight,
    WeightedLogRankOptions,
};
use survcalc_core::{
    cox_fit, cox_model, cox_zph, kaplan_meier, log_rank, median_r, rmst_by_group, survival_at,
    ConfType, CoxDesign, CoxOptions, KmOptions, LandmarkOptions, RmstOptions, SurvData, Term, Ties,
    ZphTransform,
};

/// The tolerances of the project (relative; absolute where R's value is below `TINY`).
const KM_REL: f64 = 1e-10;
const COX_REL: f64 = 1e-8;
const TINY: f64 = 1e-12;

/// The core's SplitMix64 (`survcalc_core::example::SplitMix64`), with the draws used here.
struct Rng(survcalc_core::example::SplitMix64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(survcalc_core::example::SplitMix64(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn uniform(&mut self) -> f64 {
        self.0.uniform()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One row of a data set: time, status, group label, a numeric covariate.
type Row = (f64, bool, String, f64);

/// One random data set.
fn case(rng: &mut Rng) -> Vec<Row> {
    let small = rng.uniform() < 0.5;
    let n = 2 + rng.below(if small { 30 } else { 399 }) as usize;
    let k = [1, 2, 2, 2, 3, 4][rng.below(6) as usize];
    let kind = rng.below(6);
    let event_share = [0.0, 0.3, 0.7, 1.0, 0.9, 0.5][rng.below(6) as usize];
    let scale = [1e-6, 1e-3, 1.0, 1.0, 1e3, 1e7][rng.below(6) as usize];
    // The covariate: continuous, a few tied values, or 0/1.
    let x_kind = rng.below(3);
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let group = if i < k {
            i
        } else if k > 1 && rng.uniform() < 0.05 {
            // A one-patient group sometimes keeps only its first row.
            0
        } else {
            rng.below(k as u64) as usize
        };
        let t = match kind {
            // Heavy ties on a few integers, some at 0.
            0 => rng.below(8) as f64,
            // Continuous times.
            1 => -rng.uniform().max(1e-300).ln() * 10.0,
            // Days turned into months two ways, as different tools compute them.
            2 => {
                let d = (30 + rng.below(700)) as f64;
                if rng.uniform() < 0.5 {
                    d / 30.4375
                } else {
                    d * (1.0 / 30.4375)
                }
            }
            // Rounded times (ties) at some magnitude.
            3 => (rng.uniform() * 20.0).round() * scale,
            // Continuous at some magnitude.
            4 => rng.uniform() * 100.0 * scale,
            // Mostly tied at one time, a few others.
            _ => {
                if rng.uniform() < 0.7 {
                    5.0
                } else {
                    rng.below(10) as f64
                }
            }
        };
        let event = rng.uniform() < event_share;
        let x = match x_kind {
            0 => {
                // Box–Muller: a standard normal.
                let (u, v) = (rng.uniform().max(1e-300), rng.uniform());
                (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
            }
            1 => rng.below(4) as f64,
            _ => (rng.uniform() < 0.5) as u8 as f64,
        };
        rows.push((t, event, format!("g{}", group + 1), x));
    }
    // Sometimes the last group is censored before the first event: its column is 0 in
    // every risk set, so its coefficient is not estimable (R's silent NA) while the
    // others are, and cox.zph drops it.
    let first_event = rows
        .iter()
        .filter(|r| r.1)
        .map(|r| r.0)
        .fold(f64::INFINITY, f64::min);
    if k >= 2 && first_event.is_finite() && first_event > 0.0 && rng.uniform() < 0.1 {
        let last = format!("g{k}");
        for r in rows.iter_mut().filter(|r| r.2 == last) {
            (r.0, r.1) = (first_event / 2.0, false);
        }
    }
    rows
}

/// `%.17g`-like text: the shortest representation that reads back to the same double.
fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:e}")
    } else {
        "NA".into()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "NA".into(), num)
}

/// survcalc's numbers for one data set, keyed as `tests/r/diff_r.R` keys R's.
fn ours(rows: &[Row]) -> String {
    let mut levels: Vec<String> = Vec::new();
    for (_, _, g, _) in rows {
        if !levels.contains(g) {
            levels.push(g.clone());
        }
    }
    // R orders factor levels alphabetically: g1, g2, … (at most 4, so no "g10").
    levels.sort();
    let group = rows
        .iter()
        .map(|(_, _, g, _)| levels.iter().position(|l| l == g).unwrap_or(0))
        .collect();
    let data = match SurvData::new(
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1).collect(),
        group,
        levels,
    ) {
        Ok(d) => d.timefixed(survcalc_core::timefix::TOLERANCE).0,
        Err(e) => return format!("error\t{e}\n"),
    };
    let mut out = String::new();
    let mut put = |k: String, v: String| {
        let _ = writeln!(out, "{k}\t{v}");
    };
    // Landmarks at a quarter, half and all of the longest time, and beyond it (R
    // `summary(fit, times = , extend = TRUE)`).
    // From the times as given, as R's script takes them, not as timefix merged them.
    let t_max = rows.iter().map(|r| r.0).fold(0.0, f64::max);
    let landmark_times: Vec<f64> = if t_max > 0.0 {
        [0.25, 0.5, 1.0, 1.5].iter().map(|f| f * t_max).collect()
    } else {
        Vec::new()
    };
    let mut log_curves = Vec::new();
    for ct in [
        ConfType::Log,
        ConfType::LogLog,
        ConfType::Plain,
        ConfType::Logit,
        ConfType::Arcsin,
    ] {
        let name = ct.r_name();
        let curves = kaplan_meier(
            &data,
            &KmOptions {
                conf_type: ct,
                conf_level: 0.95,
            },
        );
        for c in &curves {
            for j in 0..c.time.len() {
                let at = format!("km.{name}.{}.{j}", c.group);
                put(format!("{at}.time"), num(c.time[j]));
                put(format!("{at}.surv"), num(c.surv[j]));
                put(format!("{at}.std_err"), num(c.se_log_surv[j]));
                put(format!("{at}.lower"), opt(c.lower[j]));
                put(format!("{at}.upper"), opt(c.upper[j]));
            }
            if ct == ConfType::Log {
                if let Ok(l) = survival_at(c, &landmark_times, &LandmarkOptions { extend: true }) {
                    for (j, r) in l.rows.iter().enumerate() {
                        let at = format!("landmark.{}.{j}", c.group);
                        put(format!("{at}.n_risk"), num(r.n_risk as f64));
                        put(format!("{at}.surv"), num(r.surv));
                        put(format!("{at}.std_err"), opt(r.std_err));
                        put(format!("{at}.lower"), opt(r.lower));
                        put(format!("{at}.upper"), opt(r.upper));
                    }
                }
                for p in [0.25, 0.5, 0.75] {
                    let m = median_r(c, p);
                    let at = format!("quantile.{}.{p}", c.group);
                    put(format!("{at}.estimate"), opt(m.estimate));
                    put(format!("{at}.lower"), opt(m.lower));
                    put(format!("{at}.upper"), opt(m.upper));
                }
            }
        }
        if ct == ConfType::Log {
            log_curves = curves;
        }
    }
    // RMST to the smallest of the groups' last times after timefix (R `summary(fit, rmean
    // = tau)`, whose se(rmean) is survRM2's; τ after a group's last time is refused, as
    // survRM2 refuses it, where survival would extend the curve).
    let tau = log_curves
        .iter()
        .map(|c| c.time.last().copied().unwrap_or(0.0))
        .fold(f64::INFINITY, f64::min);
    if tau.is_finite() && tau > 0.0 {
        if let Ok(t) = rmst_by_group(
            &log_curves,
            &RmstOptions {
                tau: Some(tau),
                conf_level: 0.95,
            },
        ) {
            for g in &t.groups {
                put(format!("rmst.{}.estimate", g.group), num(g.estimate));
                put(format!("rmst.{}.se", g.group), num(g.se));
            }
        }
    }
    if data.n_groups() < 2 {
        return out;
    }
    if data.n_groups() >= 3 {
        if let Ok(p) = pairwise_log_rank(&data, &PairwiseOptions::default()) {
            for c in &p.comparisons {
                put(
                    format!("pairwise.{}.{}.chisq", c.group_a, c.group_b),
                    num(c.chisq),
                );
            }
        }
        put(
            "trend.chisq".into(),
            log_rank_trend(&data, &TrendOptions::default())
                .map_or_else(|_| "NA".into(), |t| num(t.chisq)),
        );
    }
    put("survdiff.0.chisq".into(), num(log_rank(&data).chisq));
    if let Ok(t) = weighted_log_rank(
        &data,
        &WeightedLogRankOptions {
            weight: Weight::PetoPeto,
        },
    ) {
        put("survdiff.1.chisq".into(), num(t.chisq));
    }
    if !data.event().iter().any(|&e| e) {
        return out;
    }
    // Exact ties only up to 100 rows (a tie of 99 included, issue 11's item 4): the
    // exact partial likelihood sums over subsets of each tie, slow in R too on larger.
    let exact = data.len() <= 100;
    for ties in [Ties::Efron, Ties::Breslow, Ties::Exact] {
        if ties == Ties::Exact && !exact {
            continue;
        }
        let name = ties.r_name();
        let fit = cox_fit(
            &data,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        );
        put(
            format!("cox.{name}.warn"),
            u8::from(!fit.estimated_are_reliable()).to_string(),
        );
        for (i, t) in fit.terms.iter().enumerate() {
            put(format!("cox.{name}.coef.{i}"), num(t.coef));
            put(format!("cox.{name}.se.{i}"), num(t.se));
        }
        put(format!("cox.{name}.loglik"), num(fit.loglik[1]));
        if ties == Ties::Efron {
            if let Some(c) = fit.concordance {
                put("cox.efron.concordance".into(), num(c.concordance));
            }
            let design = CoxDesign::group_only("group");
            let zph = cox_model(&data, &design, &CoxOptions::default())
                .ok()
                .and_then(|m| cox_zph(&data, &design, &m, ZphTransform::Km).ok());
            put(
                "zph.global".into(),
                zph.map_or_else(|| "NA".into(), |z| num(z.global.chisq)),
            );
        }
    }
    // The group and a numeric covariate (R `coxph(Surv(time, status) ~ group + x)`).
    let design = CoxDesign {
        terms: vec![
            Term::group("group"),
            Term::numeric("x", rows.iter().map(|r| r.3).collect()),
        ],
        strata: None,
    };
    if let Ok(m) = cox_model(&data, &design, &CoxOptions::default()) {
        put(
            "coxx.efron.warn".into(),
            u8::from(!m.estimated_are_reliable()).to_string(),
        );
        for (i, c) in m.coefficients.iter().enumerate() {
            put(format!("coxx.efron.coef.{i}"), num(c.coef));
            put(format!("coxx.efron.se.{i}"), num(c.se));
        }
        put("coxx.efron.loglik".into(), num(m.loglik[1]));
    }
    out
}

fn generate(dir: &Path, n: usize, seed: u64) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut rng = Rng::new(seed);
    for i in 1..=n {
        let rows = case(&mut rng);
        let mut csv = String::from("time,status,group,x\n");
        for (t, e, g, x) in &rows {
            let _ = writeln!(csv, "{t:?},{},{g},{x:?}", u8::from(*e));
        }
        let write = |name: String, text: &str| {
            std::fs::write(dir.join(&name), text).map_err(|e| format!("{name}: {e}"))
        };
        write(format!("case_{i:04}.csv"), &csv)?;
        write(format!("ours_{i:04}.tsv"), &ours(&rows))?;
    }
    Ok(())
}

fn read_tsv(path: &Path) -> BTreeMap<String, Option<f64>> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| {
            (
                k.to_string(),
                v.parse::<f64>().ok().filter(|x| x.is_finite()),
            )
        })
        .collect()
}

/// The family of a key ("km.log", "quantile", "survdiff", "cox.efron", "zph"), and its
/// tolerance.
fn family(key: &str) -> (String, f64) {
    let mut parts = key.split('.');
    let first = parts.next().unwrap_or_default();
    match first {
        "km" | "cox" | "coxx" => {
            let f = format!("{first}.{}", parts.next().unwrap_or_default());
            let tol = if first == "km" { KM_REL } else { COX_REL };
            (f, tol)
        }
        "zph" => ("zph".into(), COX_REL),
        other => (other.to_string(), KM_REL),
    }
}

#[derive(Default)]
struct Family {
    compared: usize,
    /// Numbers where survcalc deliberately differs from R.
    decided: usize,
    max_rel: f64,
    over: usize,
    cases: Vec<String>,
}

fn compare(dir: &Path) -> Result<bool, String> {
    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    let mut skipped_cox = 0usize;
    let mut cases = 0usize;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("ours_"))
        .collect();
    entries.sort();
    for name in entries {
        let id = name
            .trim_start_matches("ours_")
            .trim_end_matches(".tsv")
            .to_string();
        let ours = read_tsv(&dir.join(&name));
        let r = read_tsv(&dir.join(format!("r_{id}.tsv")));
        if r.is_empty() {
            return Err(format!(
                "no R results for case {id}: run tests/r/diff_r.R first"
            ));
        }
        cases += 1;
        for (key, rv) in &r {
            if key.ends_with(".warn") {
                continue;
            }
            let (fam, tol) = family(key);
            // A Cox fit that diverges (either side says so) has no number to compare, nor
            // has the proportional-hazards test of it (survcalc does not report one).
            if fam.starts_with("cox") || fam == "zph" {
                let warn = if fam == "zph" {
                    "cox.efron.warn".to_string()
                } else {
                    format!("{fam}.warn")
                };
                if r.get(&warn).copied().flatten() == Some(1.0)
                    || ours.get(&warn).copied().flatten() == Some(1.0)
                {
                    skipped_cox += 1;
                    continue;
                }
            }
            let f = families.entry(fam).or_default();
            f.compared += 1;
            let ov = ours.get(key).copied().flatten();
            let bad = match (ov, rv) {
                (None, None) => false,
                // Decided otherwise (docs/methods.md §13a): R prints a negative χ² for a
                // nearly singular cox.zph; survcalc refuses it.
                (None, Some(b)) if key == "zph.global" && *b < 0.0 => {
                    f.decided += 1;
                    false
                }
                (Some(a), Some(b)) => {
                    let e = if b.abs() < TINY {
                        (a - b).abs()
                    } else {
                        ((a - b) / b).abs()
                    };
                    if e > f.max_rel {
                        f.max_rel = e;
                    }
                    e > tol
                }
                _ => true,
            };
            if bad {
                f.over += 1;
                if f.cases.len() < 5 && !f.cases.iter().any(|c| c.starts_with(&id)) {
                    f.cases
                        .push(format!("{id} {key}: survcalc {ov:?}, R {rv:?}"));
                }
            }
        }
    }
    println!(
        "differential test against R: {cases} data sets in {}",
        dir.display()
    );
    println!(
        "{:<14} {:>10} {:>14} {:>8}",
        "family", "numbers", "max rel. error", "over"
    );
    let mut ok = true;
    for (name, f) in &families {
        println!(
            "{name:<14} {:>10} {:>14.3e} {:>8}",
            f.compared, f.max_rel, f.over
        );
        for c in &f.cases {
            println!("    {c}");
        }
        ok &= f.over == 0;
    }
    println!("Cox numbers not compared because a fit diverged: {skipped_cox}");
    println!("decided: survcalc differs from R by design (docs/methods.md §13a)");
    Ok(ok)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", dir, n, seed] => match (n.parse(), seed.parse()) {
            (Ok(n), Ok(seed)) => generate(Path::new(dir), n, seed).map(|()| true),
            _ => Err("generate DIR N SEED: N and SEED are whole numbers".into()),
        },
        ["compare", dir] => compare(Path::new(dir)),
        _ => Err("usage: survcalc-diff-r generate DIR N SEED | compare DIR".into()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("survcalc-diff-r: {e}");
            ExitCode::from(2)
        }
    }
}
