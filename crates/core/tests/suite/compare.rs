//! Golden tests of `survcalc_core::compare` against R at full precision.
//!
//! The fixtures in `tests/fixtures/compare/*.json` are written by `Rscript
//! tests/r/compare.R` (run from the repository root). Each holds one data set (with strata
//! where it has them) and R's results: every weighted log-rank test (from `survdiff` where
//! R has the weight, else the textbook formula written out in R — each entry's `source`
//! says which), the stratified tests, the tests for trend, pairwise comparisons
//! (`survminer::pairwise_survdiff` + `p.adjust`) and MaxCombo (`mvtnorm::pmvnorm`).
//! `mvn.json` holds multivariate normal rectangle probabilities from `pmvnorm`.
//!
//! Layout: tolerances; fixture access (the common part in `util`); `Checker` (its own: it
//! takes equal NaNs as equal and also compares absolutely; collects every mismatch and the
//! largest error per quantity); one check per kind of result; one `#[test]` per fixture;
//! invariants.
//!
//! Run with `cargo test -p survcalc-core --test tests compare:: -- --nocapture` to see the
//! largest errors.

use crate::util::{array, field, load, matrix, num, nums, opt_num, string, surv_data};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Display;
use survcalc_core::compare::{
    log_rank_trend, max_combo, mvn_rectangle, pairwise_log_rank, stratified_log_rank,
    stratified_log_rank_trend, weighted_log_rank, MaxComboOptions, MvnOptions, PairwiseOptions,
    TrendOptions, Weight, WeightedLogRankOptions,
};
use survcalc_core::SurvData;

// ---------------------------------------------------------------------------------------
// Tolerances

/// Weighted observed, expected, variance and chi-square (relative; absolute for an exact 0).
const LOGRANK_REL: f64 = 1e-10;
/// Chi-square P values (relative): statrs's incomplete gamma is good to about 1e-10.
const P_REL: f64 = 1e-9;
/// Trend U, Var U, Z and chi-square.
const TREND_REL: f64 = 1e-10;
/// Pairwise chi-squares.
const PAIRWISE_REL: f64 = 1e-10;
/// MaxCombo U, variances, Z and correlations ("to 1e-10" of the by-hand R computation).
const MAXCOMBO_REL: f64 = 1e-10;
/// MaxCombo P, absolute: the R reference is GenzBretz (the correlation matrix is singular,
/// so Miwa cannot be used), accurate only to its error estimate (~1e-9, written in the
/// fixture); we allow this plus twice R's estimate.
const MAXCOMBO_P_ABS: f64 = 1e-9;
/// Multivariate normal probabilities against an exact formula (equicorrelated, AR(1)),
/// absolute.
const MVN_EXACT_ABS: f64 = 1e-12;
/// Against Miwa (steps = 4096), absolute: Miwa itself is off by up to ~1e-10 (1.1e-10 on a
/// 5-d AR(1) case, 8e-12 on an equicorrelated one, against the exact values).
const MVN_MIWA_ABS: f64 = 2e-10;
/// Against GenzBretz references: this plus twice R's error estimate.
const MVN_GENZ_ABS: f64 = 1e-9;
/// Six dimensions use our lattice rule, which converges only as ~1/N: absolute.
const MVN_LATTICE_ABS: f64 = 1e-5;

// ---------------------------------------------------------------------------------------
// Fixture access (the common part: crate::util)

/// The fixture's strata as codes (order of first appearance), if it has strata.
fn strata(fx: &Value) -> Option<Vec<usize>> {
    let labels = field(fx, "data").get("stratum")?;
    let mut seen: Vec<String> = Vec::new();
    let codes = labels
        .as_array()
        .expect("fixture: stratum is an array")
        .iter()
        .map(|s| {
            let s = s
                .as_str()
                .expect("fixture: stratum holds strings")
                .to_string();
            match seen.iter().position(|x| *x == s) {
                Some(i) => i,
                None => {
                    seen.push(s);
                    seen.len() - 1
                }
            }
        })
        .collect();
    Some(codes)
}

/// The fixture's weight object as a `Weight`.
fn weight(v: &Value) -> Weight {
    let w = field(v, "weight");
    match string(w, "name").as_str() {
        "logrank" => Weight::LogRank,
        "peto_peto" => Weight::PetoPeto,
        "peto_peto_tilde" => Weight::PetoPetoTilde,
        "modified_peto_peto" => Weight::ModifiedPetoPeto,
        "fleming_harrington" => Weight::FlemingHarrington {
            rho: num(w, "rho"),
            gamma: num(w, "gamma"),
        },
        "gehan_breslow" => Weight::GehanBreslow,
        "tarone_ware" => Weight::TaroneWare,
        other => panic!("fixture: unknown weight {other}"),
    }
}

fn weight_name(v: &Value) -> String {
    let w = field(v, "weight");
    match (w.get("rho"), w.get("gamma")) {
        (Some(r), Some(g)) => format!("{}({r},{g})", string(w, "name")),
        _ => string(w, "name"),
    }
}

// ---------------------------------------------------------------------------------------
// Comparison

/// Relative error of `actual` against `expected`; absolute where `expected` is 0; 0 when
/// both are NaN/None-like.
fn rel_err(actual: f64, expected: f64) -> f64 {
    if actual == expected || (actual.is_nan() && expected.is_nan()) {
        0.0
    } else if expected == 0.0 {
        actual.abs()
    } else {
        ((actual - expected) / expected).abs()
    }
}

/// Collects every mismatch of one data set, and the largest relative error per quantity.
struct Checker {
    set: &'static str,
    failures: Vec<String>,
    max_err: BTreeMap<String, f64>,
}

impl Checker {
    fn new(set: &'static str) -> Self {
        Checker {
            set,
            failures: Vec::new(),
            max_err: BTreeMap::new(),
        }
    }

    fn fail(&mut self, what: &str, at: impl Display, msg: String) {
        self.failures
            .push(format!("{} / {what} [{at}]: {msg}", self.set));
    }

    fn record(&mut self, what: &str, e: f64) {
        let m = self.max_err.entry(what.to_string()).or_insert(0.0);
        if e > *m || e.is_nan() {
            *m = e;
        }
    }

    /// `actual` within `tol` (relative) of `expected`.
    fn close(&mut self, what: &str, at: impl Display, actual: f64, expected: f64, tol: f64) {
        let e = rel_err(actual, expected);
        self.record(what, e);
        if e.is_nan() || e > tol {
            self.fail(
                what,
                at,
                format!("got {actual:e}, R {expected:e}, rel. error {e:e} > {tol:e}"),
            );
        }
    }

    /// `actual` within `tol` (absolute) of `expected`.
    fn close_abs(&mut self, what: &str, at: impl Display, actual: f64, expected: f64, tol: f64) {
        let e = (actual - expected).abs();
        self.record(what, e);
        if e.is_nan() || e > tol {
            self.fail(
                what,
                at,
                format!("got {actual:e}, R {expected:e}, abs. error {e:e} > {tol:e}"),
            );
        }
    }

    fn close_all(
        &mut self,
        what: &str,
        at: impl Display,
        actual: &[f64],
        expected: &[f64],
        tol: f64,
    ) {
        if actual.len() != expected.len() {
            let msg = format!("length {} but R has {}", actual.len(), expected.len());
            self.fail(what, at, msg);
            return;
        }
        for (i, (&a, &e)) in actual.iter().zip(expected).enumerate() {
            self.close(what, format!("{at}, {i}"), a, e, tol);
        }
    }

    fn close_matrix(
        &mut self,
        what: &str,
        at: impl Display,
        actual: &[Vec<f64>],
        expected: &[Vec<f64>],
        tol: f64,
    ) {
        self.equal(&format!("{what}.rows"), &at, actual.len(), expected.len());
        for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
            self.close_all(what, format!("{at}, row {i}"), a, e, tol);
        }
    }

    fn equal<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: &str,
        at: impl Display,
        actual: T,
        expected: T,
    ) {
        if actual != expected {
            self.fail(what, at, format!("got {actual:?}, R {expected:?}"));
        }
    }

    /// Prints the largest errors and panics listing every mismatch.
    fn finish(self) {
        for (what, e) in &self.max_err {
            eprintln!("{:<17} max error {:<22} {e:.3e}", self.set, what);
        }
        assert!(
            self.failures.is_empty(),
            "{} mismatch(es) against R:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// R's P value, null when df = 0 (our NaN).
fn p_of(v: &Value) -> f64 {
    opt_num(field(v, "p"), "p").unwrap_or(f64::NAN)
}

// ---------------------------------------------------------------------------------------
// Checks per kind of result

/// Every weighted test, unstratified (`weighted`) or stratified (`stratified`).
fn check_weighted(ck: &mut Checker, fx: &Value, data: &SurvData, key: &str) {
    let Some(entries) = fx.get(key) else {
        return;
    };
    let strata = strata(fx);
    for r in entries.as_array().expect("fixture: weighted list") {
        let options = WeightedLogRankOptions { weight: weight(r) };
        let at = format!("{} ({})", weight_name(r), string(r, "source"));
        let res = if key == "stratified" {
            let s = strata
                .as_ref()
                .expect("fixture: stratified results need strata");
            stratified_log_rank(data, s, &options)
        } else {
            weighted_log_rank(data, &options)
        }
        .expect("valid weight");
        let q = |x: &str| format!("{key}.{x}");
        ck.close_all(&q("obs"), &at, &res.observed, &nums(r, "obs"), LOGRANK_REL);
        ck.close_all(&q("exp"), &at, &res.expected, &nums(r, "exp"), LOGRANK_REL);
        ck.close_matrix(
            &q("var"),
            &at,
            &res.variance,
            &matrix(r, "var"),
            LOGRANK_REL,
        );
        ck.close(&q("chisq"), &at, res.chisq, num(r, "chisq"), LOGRANK_REL);
        ck.equal(&q("df"), &at, res.df as f64, num(r, "df"));
        ck.close(&q("p"), &at, res.p_value, p_of(r), P_REL);
    }
}

/// Tests for trend, default and given scores, plain and stratified.
fn check_trend(ck: &mut Checker, fx: &Value, data: &SurvData) {
    let Some(entries) = fx.get("trend") else {
        return;
    };
    let k = data.n_groups();
    let strata = strata(fx);
    for r in entries.as_array().expect("fixture: trend list") {
        let scores = nums(r, "scores");
        let default = scores == (1..=k).map(|g| g as f64).collect::<Vec<_>>();
        let options = TrendOptions {
            weight: weight(r),
            // Default scores are 1..k: pass None for them, to test the default too.
            scores: (!default).then(|| scores.clone()),
        };
        let stratified = field(r, "stratified").as_bool().expect("fixture: bool");
        let at = format!(
            "{} scores {scores:?} stratified {stratified}",
            weight_name(r)
        );
        let res = if stratified {
            let s = strata
                .as_ref()
                .expect("fixture: stratified trend needs strata");
            stratified_log_rank_trend(data, s, &options)
        } else {
            log_rank_trend(data, &options)
        }
        .expect("valid options");
        ck.close_all("trend.scores", &at, &res.scores, &scores, 0.0);
        ck.close("trend.u", &at, res.statistic, num(r, "u"), TREND_REL);
        ck.close("trend.var", &at, res.variance, num(r, "var"), TREND_REL);
        ck.close("trend.z", &at, res.z, num(r, "z"), TREND_REL);
        ck.close("trend.chisq", &at, res.chisq, num(r, "chisq"), TREND_REL);
        ck.close("trend.p", &at, res.p_value, num(r, "p"), P_REL);
    }
}

/// Pairwise comparisons with Holm, Bonferroni and BH adjustment.
fn check_pairwise(ck: &mut Checker, fx: &Value, data: &SurvData) {
    let Some(entries) = fx.get("pairwise") else {
        return;
    };
    for r in entries.as_array().expect("fixture: pairwise list") {
        let res =
            pairwise_log_rank(data, &PairwiseOptions { weight: weight(r) }).expect("valid weight");
        let pairs = array(r, "pairs");
        let at0 = format!("{} ({})", weight_name(r), string(r, "source"));
        ck.equal("pairwise.count", &at0, res.comparisons.len(), pairs.len());
        for (c, e) in res.comparisons.iter().zip(pairs) {
            let at = format!("{at0} {} vs {}", string(e, "a"), string(e, "b"));
            ck.equal("pairwise.a", &at, c.group_a.clone(), string(e, "a"));
            ck.equal("pairwise.b", &at, c.group_b.clone(), string(e, "b"));
            ck.close(
                "pairwise.chisq",
                &at,
                c.chisq,
                num(e, "chisq"),
                PAIRWISE_REL,
            );
            ck.close("pairwise.p", &at, c.p_value, num(e, "p"), P_REL);
            ck.close("pairwise.p_holm", &at, c.p_holm, num(e, "p_holm"), P_REL);
            let pb = num(e, "p_bonferroni");
            ck.close("pairwise.p_bonferroni", &at, c.p_bonferroni, pb, P_REL);
            ck.close("pairwise.p_bh", &at, c.p_bh, num(e, "p_bh"), P_REL);
        }
    }
}

/// MaxCombo of FH(0,0), FH(0,1), FH(1,0), FH(1,1).
fn check_maxcombo(ck: &mut Checker, fx: &Value, data: &SurvData) {
    let Some(r) = fx.get("maxcombo") else {
        return;
    };
    let res = max_combo(data, &MaxComboOptions::default()).expect("two groups");
    let rho: Vec<f64> = res.components.iter().map(|c| c.rho).collect();
    let gamma: Vec<f64> = res.components.iter().map(|c| c.gamma).collect();
    ck.equal("maxcombo.rho", "", rho, nums(r, "rho"));
    ck.equal("maxcombo.gamma", "", gamma, nums(r, "gamma"));
    let get = |f: fn(&survcalc_core::compare::MaxComboComponent) -> f64| {
        res.components.iter().map(f).collect::<Vec<_>>()
    };
    ck.close_all(
        "maxcombo.u",
        "",
        &get(|c| c.statistic),
        &nums(r, "u"),
        MAXCOMBO_REL,
    );
    ck.close_all(
        "maxcombo.var",
        "",
        &get(|c| c.variance),
        &nums(r, "var"),
        MAXCOMBO_REL,
    );
    ck.close_all("maxcombo.z", "", &get(|c| c.z), &nums(r, "z"), MAXCOMBO_REL);
    ck.close_matrix(
        "maxcombo.corr",
        "",
        &res.correlation,
        &matrix(r, "corr"),
        MAXCOMBO_REL,
    );
    ck.close(
        "maxcombo.z_max",
        "",
        res.z_max,
        num(r, "z_max"),
        MAXCOMBO_REL,
    );
    ck.equal("maxcombo.converged", "", res.converged, true);
    let tol = MAXCOMBO_P_ABS + 2.0 * num(r, "p_error");
    ck.close_abs("maxcombo.p", "", res.p_value, num(r, "p"), tol);
}

fn check_fixture(set: &'static str, text: &str) {
    let fx = load(text);
    let data = surv_data(&fx);
    let mut ck = Checker::new(set);
    check_weighted(&mut ck, &fx, &data, "weighted");
    check_weighted(&mut ck, &fx, &data, "stratified");
    check_trend(&mut ck, &fx, &data);
    check_pairwise(&mut ck, &fx, &data);
    check_maxcombo(&mut ck, &fx, &data);
    ck.finish();
}

// ---------------------------------------------------------------------------------------
// One test per fixture

macro_rules! golden {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            check_fixture(
                stringify!($name),
                fixture_text!("compare/", stringify!($name), ".json"),
            );
        }
    )*};
}

golden!(
    veteran,
    veteran_celltype,
    lung,
    ovarian,
    aml,
    colon,
    pbc,
    ties,
    three_arm,
    censored_arm,
    noevents_arm,
    crossing,
);

/// Multivariate normal rectangle probabilities against `mvtnorm::pmvnorm`.
#[test]
fn mvn_rectangles() {
    let fx: Value = load(fixture_text!("compare/mvn.json"));
    let mut ck = Checker::new("mvn");
    for case in array(&fx, "cases") {
        let name = string(case, "name");
        let corr = matrix(case, "corr");
        // ±Inf are written as null.
        let bound = |key: &str, inf: f64| -> Vec<f64> {
            array(case, key)
                .iter()
                .map(|x| opt_num(x, key).unwrap_or(inf))
                .collect()
        };
        let lower = bound("lower", f64::NEG_INFINITY);
        let upper = bound("upper", f64::INFINITY);
        let d = corr.len();
        let options = if d > 5 {
            // The lattice rule: keep the test quick; ~1e-6 is reached well within this.
            MvnOptions {
                abs_tol: 1e-6,
                max_points: 1_000_000,
            }
        } else {
            MvnOptions::default()
        };
        let r = mvn_rectangle(&corr, &lower, &upper, &options).expect("valid case");
        let reference = string(case, "algorithm");
        let tol = match (d > 5, reference.as_str()) {
            (true, _) => MVN_LATTICE_ABS,
            (false, "exact") => MVN_EXACT_ABS,
            (false, "Miwa") => MVN_MIWA_ABS,
            _ => MVN_GENZ_ABS + 2.0 * num(case, "error"),
        };
        let what = format!(
            "mvn.p ({} vs {reference})",
            if d > 5 { "lattice" } else { "quadrature" }
        );
        ck.close_abs(&what, &name, r.value, num(case, "p"), tol);
        if d <= 5 {
            ck.equal("mvn.converged", &name, r.converged, true);
        }
    }
    ck.finish();
}

// ---------------------------------------------------------------------------------------
// Invariants

fn veteran_data(reversed: bool) -> SurvData {
    let fx: Value = load(fixture_text!("compare/veteran.json"));
    let d = surv_data(&fx);
    if reversed {
        d.with_reference("2").expect("level 2 exists")
    } else {
        d
    }
}

/// Swapping the two groups leaves every chi-square and the MaxCombo P unchanged and flips
/// the sign of every Z.
#[test]
fn swapping_groups_leaves_the_tests_unchanged() {
    let (a, b) = (veteran_data(false), veteran_data(true));
    for weight in [
        Weight::LogRank,
        Weight::PetoPetoTilde,
        Weight::FlemingHarrington {
            rho: 0.5,
            gamma: 2.0,
        },
        Weight::GehanBreslow,
    ] {
        let o = WeightedLogRankOptions { weight };
        let (x, y) = (
            weighted_log_rank(&a, &o).expect("valid"),
            weighted_log_rank(&b, &o).expect("valid"),
        );
        assert!(rel_err(x.chisq, y.chisq) < 1e-12, "{weight:?}");
    }
    let (x, y) = (
        max_combo(&a, &MaxComboOptions::default()).expect("two groups"),
        max_combo(&b, &MaxComboOptions::default()).expect("two groups"),
    );
    for (c, d) in x.components.iter().zip(&y.components) {
        assert!(rel_err(c.z, -d.z) < 1e-12);
    }
    assert!((x.p_value - y.p_value).abs() < 1e-12);
}

/// The tests depend on the times only through their order: a monotone transformation of
/// the time scale changes nothing.
#[test]
fn monotone_time_transformation_changes_nothing() {
    let a = veteran_data(false);
    let t: Vec<f64> = a.time().iter().map(|t| (t + 1.0).ln() * 7.0).collect();
    let b = SurvData::new(
        t,
        a.event().to_vec(),
        a.group().to_vec(),
        a.levels().to_vec(),
    )
    .expect("valid");
    let o = WeightedLogRankOptions {
        weight: Weight::TaroneWare,
    };
    let (x, y) = (
        weighted_log_rank(&a, &o).expect("valid"),
        weighted_log_rank(&b, &o).expect("valid"),
    );
    assert_eq!(x.chisq, y.chisq);
    let (x, y) = (
        max_combo(&a, &MaxComboOptions::default()).expect("two groups"),
        max_combo(&b, &MaxComboOptions::default()).expect("two groups"),
    );
    assert_eq!(x.p_value, y.p_value);
}
