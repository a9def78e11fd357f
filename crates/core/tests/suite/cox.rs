//! Golden tests of the multivariable Cox model, its concordance, `cox.zph` and the
//! log-rank / Mantel–Haenszel hazard ratios against R `survival` at full precision.
//!
//! The fixtures in `tests/fixtures/cox/*.json` are written by `Rscript tests/r/cox.R`
//! (run from the repository root); every number is R's double printed with `%.17g`, and
//! R's `NA` is JSON `null`. Each model fixture holds the data, the design (terms and
//! strata exactly as the test builds its `CoxDesign`) and, per ties method, R's `coxph`,
//! `summary`, `concordance` and `cox.zph` results.
//!
//! Layout:
//! * tolerances — every tolerance, in one place;
//! * fixture access (the common part in `util`) and the design built from a fixture;
//! * `Checker` — collects every mismatch and the largest relative error per quantity;
//! * `check_fit`, `check_zph`, `check_expect` — one per result;
//! * one `#[test]` per fixture.
//!
//! Run with `cargo test -p survcalc-core --test tests cox:: -- --nocapture` to see the
//! largest relative error per quantity.

use crate::util::{field, load, num, nums, opt_num, opt_nums, some, string};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Display;
use survcalc_core::cox::{CoxDiagnostic, Divergence, MonotoneCause};
use survcalc_core::{
    cox_model, cox_zph, cox_zph_tests, hazard_ratio, CoxDesign, CoxModel, CoxOptions, CoxZph,
    DesignError, HrMethod, Strata, SurvData, Term, Ties, ZphTransform,
};

// ---------------------------------------------------------------------------------------
// Tolerances (relative; see `Checker::close` for values that R gives as 0).

/// Cox coef, se, var, means, loglik, tests and their P values, confidence limits.
const COX_REL: f64 = 1e-8;
/// Concordance and its standard error (the pair counts must be equal; these depend on
/// β̂ only through the ordering of the linear predictor).
const CONCORDANCE_REL: f64 = 1e-10;
/// cox.zph tests, transformed times, scaled Schoenfeld residuals and var: functions of β̂,
/// so as accurate as β̂ itself.
const ZPH_REL: f64 = 1e-8;
/// Log-rank and Mantel–Haenszel hazard ratios (closed forms of survdiff's sums).
const HR_REL: f64 = 1e-10;
/// Values whose magnitude is below this are compared absolutely against the tolerance
/// times this scale: R's own rounding noise for a quantity that is mathematically 0
/// (e.g. an off-diagonal variance of 1e-20) has no relative precision.
const TINY: f64 = 1e-12;

// ---------------------------------------------------------------------------------------
// Fixture access (the common part: crate::util); here the forms that allow nulls

fn matrix(v: &Value, key: &str) -> Vec<Vec<Option<f64>>> {
    field(v, key)
        .as_array()
        .unwrap_or_else(|| panic!("fixture: `{key}` is not an array"))
        .iter()
        .map(|row| {
            row.as_array()
                .expect("fixture: matrix row is an array")
                .iter()
                .map(|x| opt_num(x, key))
                .collect()
        })
        .collect()
}

fn opt_strings(v: &Value, key: &str) -> Vec<Option<String>> {
    field(v, key)
        .as_array()
        .unwrap_or_else(|| panic!("fixture: `{key}` is not an array"))
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    opt_strings(v, key)
        .into_iter()
        .map(|s| s.unwrap_or_else(|| panic!("fixture: `{key}` holds a null")))
        .collect()
}

/// The fixture's data: levels in the fixture's order, reference first.
fn surv_data(fx: &Value) -> SurvData {
    let d = field(fx, "data");
    let levels = strings(fx, "group_levels");
    let group = strings(d, "group")
        .iter()
        .map(|g| {
            levels
                .iter()
                .position(|l| l == g)
                .expect("fixture: group label is a level")
        })
        .collect();
    let event = nums(d, "status").into_iter().map(|s| s == 1.0).collect();
    SurvData::new(nums(d, "time"), event, group, levels).expect("fixture data is valid")
}

/// The fixture's design, built as a user of the crate builds it.
fn design(fx: &Value) -> CoxDesign {
    let terms = field(fx, "terms")
        .as_array()
        .expect("fixture: terms is an array")
        .iter()
        .map(|t| match string(t, "kind").as_str() {
            "group" => Term::group(&string(t, "name")),
            "numeric" => Term::Numeric {
                name: string(t, "name"),
                values: opt_nums(t, "values"),
            },
            "categorical" => Term::Categorical {
                name: string(t, "name"),
                labels: opt_strings(t, "labels"),
                levels: (!field(t, "levels").is_null()).then(|| strings(t, "levels")),
                reference: field(t, "reference").as_str().map(str::to_string),
            },
            other => panic!("fixture: unknown term kind {other}"),
        })
        .collect();
    let strata = match field(fx, "strata") {
        Value::Null => None,
        s => Some(Strata::new(&string(s, "name"), &opt_strings(s, "labels"))),
    };
    CoxDesign { terms, strata }
}

fn ties_of(name: &str) -> Ties {
    match name {
        "efron" => Ties::Efron,
        "breslow" => Ties::Breslow,
        "exact" => Ties::Exact,
        other => panic!("fixture: unknown ties {other}"),
    }
}

/// R's warnings compared without whitespace (R pastes "variable  1 ; coefficient").
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------------------
// Checker

struct Checker {
    set: &'static str,
    failures: Vec<String>,
    worst: BTreeMap<String, f64>,
}

impl Checker {
    fn new(set: &'static str) -> Self {
        Checker {
            set,
            failures: Vec::new(),
            worst: BTreeMap::new(),
        }
    }

    fn close(&mut self, what: &str, at: impl Display, ours: f64, r: f64, tol: f64) {
        let err = if ours == r {
            0.0
        } else {
            (ours - r).abs() / r.abs().max(TINY)
        };
        let w = self.worst.entry(what.to_string()).or_insert(0.0);
        if err.is_nan() || err > *w {
            *w = if err.is_nan() { f64::INFINITY } else { err };
        }
        if err.is_nan() || err > tol {
            self.failures.push(format!(
                "{}: {what} [{at}]: ours {ours:e}, R {r:e} (rel err {err:e} > {tol:e})",
                self.set
            ));
        }
    }

    /// NaN/None on our side must meet R's null.
    fn close_opt(
        &mut self,
        what: &str,
        at: impl Display,
        ours: Option<f64>,
        r: Option<f64>,
        tol: f64,
    ) {
        match (ours.filter(|v| v.is_finite()), r) {
            (Some(a), Some(b)) => self.close(what, at, a, b, tol),
            (None, None) => {}
            (a, b) => self
                .failures
                .push(format!("{}: {what} [{at}]: ours {a:?}, R {b:?}", self.set)),
        }
    }

    fn close_all(
        &mut self,
        what: &str,
        at: impl Display,
        ours: &[Option<f64>],
        r: &[Option<f64>],
        tol: f64,
    ) {
        if ours.len() != r.len() {
            self.failures.push(format!(
                "{}: {what} [{at}]: length {} vs R {}",
                self.set,
                ours.len(),
                r.len()
            ));
            return;
        }
        for (i, (a, b)) in ours.iter().zip(r).enumerate() {
            self.close_opt(what, format!("{at}, {i}"), *a, *b, tol);
        }
    }

    fn equal<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: &str,
        at: impl Display,
        ours: T,
        r: T,
    ) {
        if ours != r {
            self.failures.push(format!(
                "{}: {what} [{at}]: ours {ours:?}, R {r:?}",
                self.set
            ));
        }
    }

    fn finish(self) {
        println!("{}: largest relative error per quantity", self.set);
        for (k, v) in &self.worst {
            println!("  {k:<28} {v:.3e}");
        }
        assert!(
            self.failures.is_empty(),
            "{} mismatches:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------
// Checks

fn check_fit(ck: &mut Checker, at: &str, fit: &CoxModel, r: &Value) {
    let names: Vec<String> = fit.coefficients.iter().map(|c| c.name.clone()).collect();
    ck.equal("names", at, names, strings(r, "names"));
    let coef: Vec<Option<f64>> = fit.coefficients.iter().map(|c| Some(c.coef)).collect();
    ck.close_all("coef", at, &coef, &opt_nums(r, "coef"), COX_REL);
    // R's se of an NA coefficient is sqrt(0) = 0; ours is NaN, with `singular` set.
    let r_se = opt_nums(r, "se");
    for (k, c) in fit.coefficients.iter().enumerate() {
        if c.singular {
            ck.equal("se of singular", format!("{at}, {k}"), r_se[k], Some(0.0));
        } else {
            ck.close_opt("se", format!("{at}, {k}"), Some(c.se), r_se[k], COX_REL);
        }
    }
    let r_var = matrix(r, "var");
    ck.equal("var rows", at, fit.var.len(), r_var.len());
    for (i, (a, b)) in fit.var.iter().zip(&r_var).enumerate() {
        ck.close_all("var", format!("{at}, {i}"), &some(a), b, COX_REL);
    }
    ck.close_all(
        "means",
        at,
        &some(&fit.means),
        &opt_nums(r, "means"),
        COX_REL,
    );
    ck.close_all(
        "loglik",
        at,
        &some(&fit.loglik),
        &opt_nums(r, "loglik"),
        COX_REL,
    );
    ck.equal("iter", at, fit.iterations as f64, num(r, "iter"));
    for (name, t) in [
        ("wald", fit.wald_test),
        ("lr", fit.lr_test),
        ("score", fit.score_test),
    ] {
        let rt = field(r, name);
        ck.equal(&format!("{name}.df"), at, t.df as f64, num(rt, "df"));
        ck.close(
            &format!("{name}.chisq"),
            at,
            t.chisq,
            num(rt, "chisq"),
            COX_REL,
        );
        ck.close(&format!("{name}.p"), at, t.p_value, num(rt, "p"), COX_REL);
    }
    let lower: Vec<_> = fit.coefficients.iter().map(|c| Some(c.hr_lower)).collect();
    let upper: Vec<_> = fit.coefficients.iter().map(|c| Some(c.hr_upper)).collect();
    let p: Vec<_> = fit.coefficients.iter().map(|c| Some(c.p_value)).collect();
    ck.close_all("hr_lower", at, &lower, &opt_nums(r, "hr_lower"), COX_REL);
    ck.close_all("hr_upper", at, &upper, &opt_nums(r, "hr_upper"), COX_REL);
    ck.close_all("p_wald", at, &p, &opt_nums(r, "p_wald"), COX_REL);

    let r_tt = field(r, "term_tests").as_array().expect("term_tests array");
    ck.equal("term_tests", at, fit.term_tests.len(), r_tt.len());
    for (t, rt) in fit.term_tests.iter().zip(r_tt) {
        let at = format!("{at}, {}", t.term);
        ck.equal("term_test.term", &at, t.term.clone(), string(rt, "term"));
        ck.equal("term_test.df", &at, t.test.df as f64, num(rt, "df"));
        ck.close(
            "term_test.chisq",
            &at,
            t.test.chisq,
            num(rt, "chisq"),
            COX_REL,
        );
        ck.close("term_test.p", &at, t.test.p_value, num(rt, "p"), COX_REL);
    }

    let rc = field(r, "concordance");
    match &fit.concordance {
        None => ck
            .failures
            .push(format!("{}: concordance [{at}]: missing", ck.set)),
        Some(c) => {
            let count = nums(rc, "count");
            let ours = [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy];
            ck.equal("concordance.count", at, ours.to_vec(), count);
            ck.close(
                "concordance",
                at,
                c.concordance,
                num(rc, "concordance"),
                CONCORDANCE_REL,
            );
            ck.close(
                "concordance.std",
                at,
                c.std_err,
                num(rc, "std"),
                CONCORDANCE_REL,
            );
            ck.close(
                "summary C",
                at,
                c.concordance,
                num(rc, "summary_c"),
                CONCORDANCE_REL,
            );
            ck.close(
                "summary se(C)",
                at,
                c.std_err,
                num(rc, "summary_se"),
                CONCORDANCE_REL,
            );
        }
    }

    let ours: Vec<String> = fit.warnings.iter().map(|w| squash(w)).collect();
    let theirs: Vec<String> = strings(r, "warnings").iter().map(|w| squash(w)).collect();
    ck.equal("warnings", at, ours, theirs);
    ck.equal("n", at, fit.n as f64, num(r, "n"));
    ck.equal("nevent", at, fit.events as f64, num(r, "nevent"));
    let excluded: Vec<f64> = fit.excluded.iter().map(|e| e.row as f64).collect();
    ck.equal("na_rows", at, excluded, nums(r, "na_rows"));
}

fn check_zph(
    ck: &mut Checker,
    at: &str,
    data: &SurvData,
    design: &CoxDesign,
    fit: &CoxModel,
    r: &Value,
) {
    for (name, transform) in [
        ("km", ZphTransform::Km),
        ("identity", ZphTransform::Identity),
        ("rank", ZphTransform::Rank),
    ] {
        let rz = field(r, name);
        let at = format!("{at}, {name}");
        let full = cox_zph(data, design, fit, transform);
        // The tests alone (what the report prints) are the full result's, errors too.
        let tests = cox_zph_tests(data, design, fit, transform);
        let from_full = full.clone().map(CoxZph::tests);
        if tests != from_full {
            ck.failures.push(format!(
                "{}: zph [{at}]: the tests alone {tests:?} differ from cox_zph's {from_full:?}",
                ck.set
            ));
        }
        let z = match full {
            Ok(z) => z,
            Err(e) => {
                ck.failures.push(format!("{}: zph [{at}]: {e}", ck.set));
                continue;
            }
        };
        let terms: Vec<String> = z.terms.iter().map(|t| t.term.clone()).collect();
        ck.equal("zph.terms", &at, terms, strings(rz, "terms"));
        let chisq: Vec<_> = z.terms.iter().map(|t| Some(t.test.chisq)).collect();
        let df: Vec<f64> = z.terms.iter().map(|t| t.test.df as f64).collect();
        let p: Vec<_> = z.terms.iter().map(|t| Some(t.test.p_value)).collect();
        ck.close_all("zph.chisq", &at, &chisq, &opt_nums(rz, "chisq"), ZPH_REL);
        ck.equal("zph.df", &at, df, nums(rz, "df"));
        ck.close_all("zph.p", &at, &p, &opt_nums(rz, "p"), ZPH_REL);
        let g = field(rz, "global");
        ck.close(
            "zph.global.chisq",
            &at,
            z.global.chisq,
            num(g, "chisq"),
            ZPH_REL,
        );
        ck.equal("zph.global.df", &at, z.global.df as f64, num(g, "df"));
        ck.close("zph.global.p", &at, z.global.p_value, num(g, "p"), ZPH_REL);
        ck.close_all("zph.x", &at, &some(&z.x), &opt_nums(rz, "x"), ZPH_REL);
        ck.close_all(
            "zph.time",
            &at,
            &some(&z.time),
            &opt_nums(rz, "time"),
            ZPH_REL,
        );
        // R labels strata "name=level"; ours are the levels.
        let r_strata = match field(rz, "strata") {
            Value::Null => None,
            _ => Some(
                strings(rz, "strata")
                    .into_iter()
                    .map(|s| s.split_once('=').map_or(s.clone(), |(_, l)| l.to_string()))
                    .collect::<Vec<_>>(),
            ),
        };
        ck.equal("zph.strata", &at, z.strata.clone(), r_strata);
        let ry = matrix(rz, "y");
        ck.equal("zph.y rows", &at, z.y.len(), ry.len());
        for (i, (a, b)) in z.y.iter().zip(&ry).enumerate() {
            ck.close_all("zph.y", format!("{at}, {i}"), a, b, ZPH_REL);
        }
        let rv = matrix(rz, "var");
        for (i, (a, b)) in z.var.iter().zip(&rv).enumerate() {
            ck.close_all("zph.var", format!("{at}, {i}"), &some(a), b, ZPH_REL);
        }
    }
}

/// The monotone-likelihood diagnosis a constructed data set was built to trigger.
fn check_expect(ck: &mut Checker, at: &str, fit: &CoxModel, e: &Value) {
    let term = string(e, "term");
    let higher = field(e, "higher_hazard")
        .as_bool()
        .expect("higher_hazard bool");
    let want_dir = match string(e, "direction").as_str() {
        "plus-infinity" => Divergence::PlusInfinity,
        _ => Divergence::MinusInfinity,
    };
    let diverging = strings(e, "diverging");
    let found = fit.diagnostics.iter().any(|d| match d {
        CoxDiagnostic::MonotoneLikelihood {
            cause,
            diverging: dv,
        } => {
            let cause_ok = match (cause, string(e, "cause").as_str()) {
                (
                    MonotoneCause::Level {
                        term: t,
                        level,
                        higher_hazard,
                    },
                    "level",
                ) => *t == term && *level == string(e, "level") && *higher_hazard == higher,
                (
                    MonotoneCause::Numeric {
                        term: t,
                        higher_hazard,
                    },
                    "numeric",
                ) => *t == term && *higher_hazard == higher,
                _ => false,
            };
            let names: Vec<String> = dv.iter().map(|c| c.name.clone()).collect();
            cause_ok && names == diverging && dv.iter().all(|c| c.direction == want_dir)
        }
        _ => false,
    });
    ck.equal(
        "monotone diagnosis",
        format!("{at}: {:?}", fit.diagnostics),
        found,
        true,
    );
    for c in &fit.coefficients {
        let want = diverging.contains(&c.name).then_some(want_dir);
        ck.equal(
            "coef.diverges",
            format!("{at}, {}", c.name),
            c.diverges,
            want,
        );
    }
    ck.equal("is_reliable", at, fit.is_reliable(), false);
}

fn run(set: &'static str, json: &str) {
    let fx = load(json);
    let data = surv_data(&fx);
    let design = design(&fx);
    let mut ck = Checker::new(set);
    let fits = field(&fx, "fits").as_object().expect("fits is an object");
    for (spec, r) in fits {
        // "exact@2": ties = "exact", iter.max = 2.
        let ties = spec.as_str();
        let (method, iter_max) = match spec.split_once('@') {
            Some((m, k)) => (m, k.parse().expect("fixture: iteration limit")),
            None => (ties, CoxOptions::default().iter_max),
        };
        let options = CoxOptions {
            ties: ties_of(method),
            iter_max,
            ..CoxOptions::default()
        };
        let fit = cox_model(&data, &design, &options).expect("design fits the data");
        check_fit(&mut ck, ties, &fit, r);
        match fx.get("expect") {
            Some(e) => check_expect(&mut ck, ties, &fit, e),
            None => {
                // Ordinary data: nothing diverges.
                let monotone = fit
                    .diagnostics
                    .iter()
                    .any(|d| matches!(d, CoxDiagnostic::MonotoneLikelihood { .. }));
                ck.equal("no monotone diagnosis", ties, monotone, false);
            }
        }
        if !field(r, "zph").is_null() {
            check_zph(&mut ck, ties, &data, &design, &fit, field(r, "zph"));
        }
    }
    ck.finish();
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            run(
                stringify!($name),
                fixture_text!("cox/", stringify!($name), ".json"),
            );
        }
    )*};
}

golden!(
    veteran,
    veteran_months,
    veteran_empty_level,
    lung,
    lung_strata,
    ovarian,
    aml,
    colon,
    colon_strata,
    pbc,
    mono_noevents_arm,
    mono_ordering,
    mono_ordering_short,
    mono_reference_noevents,
    mono_strata,
);

/// Prism's log-rank and Mantel–Haenszel hazard ratios against the same formulas applied
/// in R to survdiff's obs / exp / var.
#[test]
fn hazard_ratios() {
    let fx: Value = load(fixture_text!("cox/hazard_ratios.json"));
    let mut ck = Checker::new("hazard_ratios");
    for case in field(&fx, "cases").as_array().expect("cases array") {
        let name = string(case, "name");
        let d = field(case, "data");
        let data = SurvData::from_labels(
            nums(d, "time"),
            nums(d, "status").into_iter().map(|s| s == 1.0).collect(),
            &strings(d, "group"),
        )
        .and_then(|s| s.with_reference(&strings(case, "levels")[0]))
        .expect("valid data");
        let conf = num(case, "conf_level");
        for (key, method) in [
            ("logrank", HrMethod::LogRank),
            ("mantel_haenszel", HrMethod::MantelHaenszel),
        ] {
            let r = field(case, key);
            let at = format!("{name}, {key}");
            let h = hazard_ratio(&data, method, conf).expect("estimable");
            ck.close("hr", &at, h.hr, num(r, "hr"), HR_REL);
            ck.close("se_log", &at, h.se_log_hr, num(r, "se_log"), HR_REL);
            ck.close("lower", &at, h.lower, num(r, "lower"), HR_REL);
            ck.close("upper", &at, h.upper, num(r, "upper"), HR_REL);
        }
    }
    ck.finish();
}

/// A design error names the term and the row.
#[test]
fn design_errors_name_term_and_row() {
    let data = SurvData::from_labels(vec![1.0, 2.0, 3.0], vec![true; 3], &["a", "b", "a"])
        .expect("valid data");
    let design = CoxDesign {
        terms: vec![
            Term::group("arm"),
            Term::numeric("age", vec![50.0, f64::INFINITY, 60.0]),
        ],
        strata: None,
    };
    let e = cox_model(&data, &design, &CoxOptions::default()).expect_err("infinite age");
    assert!(
        matches!(&e, DesignError::NonFinite { term, row: 1, .. } if term == "age"),
        "{e:?}"
    );
    assert!(e.to_string().contains("\"age\", observation 2"), "{e}");
    let design = CoxDesign {
        terms: vec![Term::numeric("age", vec![50.0, 60.0])],
        strata: None,
    };
    assert!(matches!(
        cox_model(&data, &design, &CoxOptions::default()),
        Err(DesignError::LengthMismatch {
            expected: 3,
            found: 2,
            ..
        })
    ));
    let design = CoxDesign {
        terms: vec![Term::categorical(
            "cell",
            &[Some("x"), Some("x"), None],
            None,
        )],
        strata: None,
    };
    assert!(matches!(
        cox_model(&data, &design, &CoxOptions::default()),
        Err(DesignError::TooFewLevels { .. })
    ));
}

/// Swapping the reference of a two-level factor negates its coefficient and leaves the
/// likelihood and the other coefficients unchanged (an invariant, not an R value).
#[test]
fn reference_swap_negates_coefficient() {
    let fx: Value = load(fixture_text!("cox/ovarian.json"));
    let data = surv_data(&fx);
    let design = design(&fx);
    let swapped = data.clone().with_reference("2").expect("level 2");
    for ties in [Ties::Efron, Ties::Breslow, Ties::Exact] {
        let o = CoxOptions {
            ties,
            ..CoxOptions::default()
        };
        let a = cox_model(&data, &design, &o).expect("fit");
        let b = cox_model(&swapped, &design, &o).expect("fit");
        assert!((a.coefficients[0].coef + b.coefficients[0].coef).abs() < 1e-9);
        assert!((a.coefficients[1].coef - b.coefficients[1].coef).abs() < 1e-9);
        assert!((a.loglik[1] - b.loglik[1]).abs() < 1e-9);
    }
}

/// Issue 11: a model with no events was reported as HR 1.0 (1.0, 1.0) after 21
/// iterations on 1 df. R: coefficient NA, 0 iterations, tests 0 on 0 df (P = 1).
#[test]
fn regression_no_events_is_not_estimable() {
    use survcalc_core::{analyze, cox_fit, AnalysisOptions, CoxOptions, Mapping, SurvData, Table};
    let data = SurvData::from_labels(
        vec![1.0, 2.0, 3.0, 4.0],
        vec![false; 4],
        &["A", "A", "B", "B"],
    )
    .expect("data");
    for ties in [
        survcalc_core::Ties::Efron,
        survcalc_core::Ties::Breslow,
        survcalc_core::Ties::Exact,
    ] {
        let fit = cox_fit(
            &data,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        );
        assert!(
            fit.terms[0].coef.is_nan() && fit.terms[0].hr.is_nan(),
            "{ties:?}"
        );
        assert_eq!(fit.iterations, 0);
        assert!(!fit.is_reliable());
        assert_eq!(fit.diagnostics, vec![CoxDiagnostic::NoEvents]);
        for t in [fit.lr_test, fit.wald_test, fit.score_test] {
            assert_eq!((t.chisq, t.df, t.p_value), (0.0, 0, 1.0));
        }
    }
    let table = Table::parse("t,s,a\n1,0,A\n2,0,A\n3,0,B\n4,0,B\n").expect("table");
    let m = Mapping {
        time: "t".into(),
        event: "s".into(),
        group: Some("a".into()),
        ..Mapping::default()
    };
    let a = analyze(&table, &m, &AnalysisOptions::default()).expect("analysis");
    assert!(a.headline_hr().is_none(), "no made-up hazard ratio");
}

/// Issue 11: cox.zph on a singular information matrix. R stops ("system is
/// computationally singular"); survcalc printed a χ² without a warning, sometimes
/// negative (−2.65e-5; −675 with Breslow ties).
#[test]
fn regression_singular_zph_is_refused_never_negative() {
    use survcalc_core::{analyze, AnalysisOptions, Mapping, Table, Ties};
    for (csv, ties) in [
        (
            "t,s,a\n1,1,A\n3,1,B\n3,1,B\n1,1,B\n1,1,C\n1,1,C\n1,1,C\n",
            Ties::Efron,
        ),
        (
            "t,s,a\n1,1,A\n3,1,B\n3,1,B\n1,1,B\n1,1,C\n1,1,C\n1,1,C\n",
            Ties::Breslow,
        ),
        (
            "t,s,a\n2,1,Active\n2,1,Placebo\n3,1,Drug\n3,0,Active\n2,1,Combo\n",
            Ties::Efron,
        ),
        (
            "t,s,a\n2,1,Active\n2,1,Placebo\n3,1,Drug\n3,0,Active\n2,1,Combo\n",
            Ties::Breslow,
        ),
    ] {
        let table = Table::parse(csv).expect("table");
        let m = Mapping {
            time: "t".into(),
            event: "s".into(),
            group: Some("a".into()),
            ..Mapping::default()
        };
        let mut o = AnalysisOptions::default();
        o.cox.ties = ties;
        let a = analyze(&table, &m, &o).expect("analysis");
        assert!(a.ph_test.is_none(), "{ties:?}: {:?}", a.ph_test);
        assert!(
            a.warnings
                .iter()
                .any(|w| w.contains("proportional-hazards test not computed")
                    && w.contains("is singular")),
            "{:?}",
            a.warnings
        );
    }
}

/// Issue 11: cox.zph of a model with a coefficient that is not estimable (R's silent NA).
/// R drops the NA column and tests the rest; survcalc reported no test at all ("not
/// reliable") although the estimated coefficients are. `tests/r/zph_na.R`: one case where
/// R's terms = TRUE works, one where it fails and terms = FALSE gives the global test.
#[test]
fn regression_zph_with_na_coefficient_as_r() {
    use survcalc_core::{analyze, AnalysisOptions, Mapping, Table};
    let fx: Value = load(fixture_text!("cox/zph_na.json"));
    for case in field(&fx, "cases").as_array().expect("cases") {
        let name = string(case, "name");
        let d = field(case, "data");
        let (time, status) = (nums(d, "time"), nums(d, "status"));
        let group = strings(d, "group");
        let mut csv = String::from("t,s,a\n");
        for i in 0..time.len() {
            csv.push_str(&format!("{:?},{},{}\n", time[i], status[i], group[i]));
        }
        let table = Table::parse(&csv).expect("table");
        let m = Mapping {
            time: "t".into(),
            event: "s".into(),
            group: Some("a".into()),
            ..Mapping::default()
        };
        let a = analyze(&table, &m, &AnalysisOptions::default()).expect("analysis");
        let cox = a.cox.as_ref().expect("cox");
        let r_coef = opt_nums(case, "coef");
        assert_eq!(cox.terms.len(), r_coef.len(), "{name}");
        for (t, r) in cox.terms.iter().zip(&r_coef) {
            match r {
                Some(r) => assert!(((t.coef - r) / r).abs() < COX_REL, "{name}: {t:?} vs {r}"),
                None => assert!(t.coef.is_nan(), "{name}: {t:?} should be NA"),
            }
        }
        let ph = a
            .ph_test
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no PH test: {:?}", a.warnings));
        let g = num(case, "global_chisq");
        assert!(
            ((ph.global.chisq - g) / g).abs() < ZPH_REL,
            "{name}: global {} vs R {g}",
            ph.global.chisq
        );
        assert_eq!(ph.global.df as f64, num(case, "global_df"), "{name}");
        if let Some(r) = opt_num(field(case, "group_chisq"), "group_chisq") {
            let t = &ph.terms[0];
            assert!(
                ((t.test.chisq - r) / r).abs() < ZPH_REL,
                "{name}: {t:?} vs {r}"
            );
            assert_eq!(t.test.df as f64, num(case, "group_df"), "{name}");
        }
    }
}

/// Issue 11, item 4: the exact partial likelihood with one very large tie (99 rows at
/// t = 5, four arms). R's coxexact.c neither converges nor steps on while the score,
/// information or log-likelihood is not finite; survcalc called these fits converged with
/// every coefficient singular and a score test on 0 df. `tests/r/exact_large_tie.R`.
#[test]
fn regression_exact_large_tie_follows_r() {
    use survcalc_core::{cox_fit, CoxOptions};
    let fx: Value = load(fixture_text!("cox/exact_large_tie.json"));
    for case in field(&fx, "cases").as_array().expect("cases") {
        let name = string(case, "name");
        let d = field(case, "data");
        let group = strings(d, "group");
        let data = SurvData::from_labels(
            nums(d, "time"),
            nums(d, "status").iter().map(|&s| s == 1.0).collect(),
            &group,
        )
        .expect("data");
        let fit = cox_fit(
            &data,
            &CoxOptions {
                ties: Ties::Exact,
                ..CoxOptions::default()
            },
        );
        let r_coef = nums(case, "coef");
        assert_eq!(fit.terms.len(), r_coef.len(), "{name}");
        for (t, r) in fit.terms.iter().zip(&r_coef) {
            assert!(
                ((t.coef - r) / r).abs() < COX_REL,
                "{name}: {} vs R {r}",
                t.coef
            );
        }
        let r_loglik = nums(case, "loglik");
        for k in 0..2 {
            let rel = ((fit.loglik[k] - r_loglik[k]) / r_loglik[k]).abs();
            assert!(
                rel < COX_REL,
                "{name}: loglik {k} {} vs {}",
                fit.loglik[k],
                r_loglik[k]
            );
        }
        let score = num(case, "score");
        assert!(
            ((fit.score_test.chisq - score) / score).abs() < COX_REL,
            "{name}"
        );
        assert_eq!(
            fit.score_test.df, 3,
            "{name}: the score test is on 3 df, as R's"
        );
        assert_eq!(fit.iterations as f64, num(case, "iter"), "{name}");
        assert!(!fit.converged, "{name}");
        assert!(
            fit.warnings.iter().any(|w| *w == string(case, "warning")),
            "{name}: {:?}",
            fit.warnings
        );
    }
}
