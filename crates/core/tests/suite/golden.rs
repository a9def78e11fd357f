//! Golden tests: survcalc-core against R's `survival` package at full precision.
//!
//! The fixtures in `tests/fixtures/*.json` are written by `Rscript tests/r/make_fixtures.R`
//! (run from the repository root); every number in them is R's double printed with
//! `%.17g`, and R's `NA`/`NaN`/`Inf` are JSON `null`. Each fixture holds one data set, its
//! group levels (the first is the reference) and R's results for `~ group`.
//!
//! Layout of this file:
//! * tolerances — every tolerance, in one place;
//! * fixture access and `Checker` (compares values, collects every mismatch with data set /
//!   field / index, records the largest relative error per quantity) — in `util`;
//! * `check_km`, `check_median`, `check_log_rank`, `check_cox` — one per estimator;
//! * one `#[test]` per fixture (the `golden!` macro).
//!
//! Run with `cargo test -p survcalc-core --test tests golden:: -- --nocapture` to see the
//! largest relative error per quantity.

use crate::util::{
    array, count, counts, field, load, matrix, num, nums, opt_num, opt_nums, string, strings,
    surv_data, Checker,
};
use serde_json::Value;
use survcalc_core::{
    cox_fit, kaplan_meier, log_rank, median_r, ConfType, CoxOptions, KmOptions, SurvData, Ties,
};

// ---------------------------------------------------------------------------------------
// Tolerances (relative; absolute where the expected value is 0).

/// Kaplan–Meier surv, std.err (of log S), lower, upper.
const KM_REL: f64 = 1e-10;
/// Medians and their confidence limits.
const MEDIAN_REL: f64 = 1e-10;
/// Log-rank observed, expected, variance, chi-square.
const LOGRANK_REL: f64 = 1e-10;
/// Log-rank P value.
const LOGRANK_P_REL: f64 = 1e-9;
/// Cox coef, se, var, loglik, Wald / LR / score chi-squares and their P values.
const COX_REL: f64 = 1e-8;

/// The conf.type values the fixtures hold.
const CONF_TYPES: [&str; 3] = ["log", "log-log", "plain"];

// ---------------------------------------------------------------------------------------
// Fixture access and `Checker`: crate::util.

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

// ---------------------------------------------------------------------------------------
// Checks per estimator

/// Kaplan–Meier curves and medians for each conf.type.
fn check_km(ck: &mut Checker, fx: &Value, data: &SurvData) {
    for ct in CONF_TYPES {
        let conf_type = ConfType::from_r_name(ct).expect("known conf.type name");
        let options = KmOptions {
            conf_type,
            conf_level: 0.95,
        };
        let curves = kaplan_meier(data, &options);
        let r_curves = array(field(fx, "km"), ct);
        let r_medians = array(field(fx, "median"), ct);
        ck.equal("km.groups", ct, curves.len(), r_curves.len());
        ck.equal("median.groups", ct, curves.len(), r_medians.len());
        for ((c, r), rm) in curves.iter().zip(r_curves).zip(r_medians) {
            let at = format!("{ct}, group {}", c.group);
            ck.equal("km.group", &at, c.group.clone(), string(r, "group"));
            ck.equal("km.time", &at, c.time.clone(), nums(r, "time"));
            ck.equal("km.n_risk", &at, c.n_risk.clone(), counts(r, "n_risk"));
            ck.equal("km.n_event", &at, c.n_event.clone(), counts(r, "n_event"));
            ck.equal(
                "km.n_censor",
                &at,
                c.n_censor.clone(),
                counts(r, "n_censor"),
            );
            let surv: Vec<_> = c.surv.iter().map(|&s| Some(s)).collect();
            ck.close_all("km.surv", &at, &surv, &opt_nums(r, "surv"), KM_REL);
            // R's std.err is Inf/NaN (null in the fixture) once S reaches 0.
            let se: Vec<_> = c.se_log_surv.iter().map(|&s| finite(s)).collect();
            ck.close_all("km.std_err", &at, &se, &opt_nums(r, "std_err"), KM_REL);
            ck.close_all("km.lower", &at, &c.lower, &opt_nums(r, "lower"), KM_REL);
            ck.close_all("km.upper", &at, &c.upper, &opt_nums(r, "upper"), KM_REL);

            let m = median_r(c, 0.5);
            ck.equal("median.group", &at, c.group.clone(), string(rm, "group"));
            let r_est = opt_num(field(rm, "estimate"), "estimate");
            let r_lo = opt_num(field(rm, "lower"), "lower");
            let r_hi = opt_num(field(rm, "upper"), "upper");
            ck.close_opt("median.estimate", &at, m.estimate, r_est, MEDIAN_REL);
            ck.close_opt("median.lower", &at, m.lower, r_lo, MEDIAN_REL);
            ck.close_opt("median.upper", &at, m.upper, r_hi, MEDIAN_REL);
        }
    }
}

/// The log-rank test against `survdiff`.
fn check_log_rank(ck: &mut Checker, fx: &Value, data: &SurvData) {
    let r = field(fx, "survdiff");
    let lr = log_rank(data);
    let some = |v: &[f64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
    ck.equal("logrank.n", "", lr.n.clone(), counts(r, "n"));
    ck.equal("logrank.df", "", lr.df, count(r, "df"));
    ck.close_all(
        "logrank.obs",
        "",
        &some(&lr.observed),
        &some(&nums(r, "obs")),
        LOGRANK_REL,
    );
    ck.close_all(
        "logrank.exp",
        "",
        &some(&lr.expected),
        &some(&nums(r, "exp")),
        LOGRANK_REL,
    );
    let r_var = matrix(r, "var");
    ck.equal("logrank.var.rows", "", lr.variance.len(), r_var.len());
    for (i, (a, e)) in lr.variance.iter().zip(&r_var).enumerate() {
        ck.close_all("logrank.var", i, &some(a), &some(e), LOGRANK_REL);
    }
    ck.close("logrank.chisq", "", lr.chisq, num(r, "chisq"), LOGRANK_REL);
    ck.close("logrank.p", "", lr.p_value, num(r, "p"), LOGRANK_P_REL);
}

/// The Cox model against `coxph`, for Efron and Breslow ties.
fn check_cox(ck: &mut Checker, fx: &Value, data: &SurvData) {
    for ties in [Ties::Efron, Ties::Breslow] {
        let r = field(field(fx, "coxph"), ties.r_name());
        let fit = cox_fit(
            data,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        );
        let at = ties.r_name();
        let coef: Vec<_> = fit.terms.iter().map(|t| Some(t.coef)).collect();
        let se: Vec<_> = fit.terms.iter().map(|t| Some(t.se)).collect();
        let some = |v: Vec<f64>| v.into_iter().map(Some).collect::<Vec<_>>();
        ck.close_all("cox.coef", at, &coef, &some(nums(r, "coef")), COX_REL);
        ck.close_all("cox.se", at, &se, &some(nums(r, "se")), COX_REL);
        let r_var = matrix(r, "var");
        ck.equal("cox.var.rows", at, fit.var.len(), r_var.len());
        for (i, (a, e)) in fit.var.iter().zip(r_var).enumerate() {
            let a: Vec<_> = a.iter().map(|&x| Some(x)).collect();
            ck.close_all("cox.var", format!("{at}, {i}"), &a, &some(e), COX_REL);
        }
        ck.close_all(
            "cox.loglik",
            at,
            &some(fit.loglik.to_vec()),
            &some(nums(r, "loglik")),
            COX_REL,
        );
        ck.equal("cox.iter", at, fit.iterations, count(r, "iter"));
        for (name, test) in [
            ("wald", fit.wald_test),
            ("lr", fit.lr_test),
            ("score", fit.score_test),
        ] {
            let rt = field(r, name);
            ck.equal(&format!("cox.{name}.df"), at, test.df, count(rt, "df"));
            let chi = num(rt, "chisq");
            ck.close(&format!("cox.{name}.chisq"), at, test.chisq, chi, COX_REL);
            let p = num(rt, "p");
            ck.close(&format!("cox.{name}.p"), at, test.p_value, p, COX_REL);
        }
        let r_warn = strings(r, "warnings");
        ck.equal(
            "cox.warned",
            format!("{at}; ours {:?}, R {r_warn:?}", fit.warnings),
            !fit.warnings.is_empty(),
            !r_warn.is_empty(),
        );
    }
}

fn run(set: &'static str, json: &str) {
    let fx = load(json);
    let data = surv_data(&fx);
    let mut ck = Checker::new(set);
    ck.equal(
        "reference",
        "",
        data.levels()[0].clone(),
        string(&fx, "reference"),
    );
    check_km(&mut ck, &fx, &data);
    check_log_rank(&mut ck, &fx, &data);
    check_cox(&mut ck, &fx, &data);
    ck.finish();
}

// ---------------------------------------------------------------------------------------
// One test per fixture

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run(
                    stringify!($name),
                    fixture_text!(stringify!($name), ".json"),
                );
            }
        )*
    };
}

golden!(
    veteran,
    lung,
    ovarian,
    aml,
    book1,
    ties,
    noevents_arm,
    never_half
);
