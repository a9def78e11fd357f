//! Near-tied times (issue 11): R's `timefix` (survival's `aeqSurv`) against the fixtures
//! of `Rscript tests/r/timefix.R`. With timefix on — R's default, and survcalc's under the
//! R convention — the merged times, the Kaplan–Meier curves, survdiff's χ² and the Cox
//! fits equal R's; with it off, the curves equal `survfit(timefix = FALSE)`.

use crate::util::{
    array, field, load, matrix, num, nums, opt_nums, some, string, strings, Checker,
};
use serde_json::Value;
use survcalc_core::timefix::TOLERANCE;
use survcalc_core::{
    analyze, cox_fit, kaplan_meier, log_rank, AnalysisOptions, CoxOptions, KmCurve, KmOptions,
    Mapping, SurvData, Table, Ties,
};

/// Kaplan–Meier and log-rank (the project's KM tolerance).
const KM_REL: f64 = 1e-10;
/// Cox coefficients, variance and log-likelihood.
const COX_REL: f64 = 1e-8;

fn data(fx: &Value) -> SurvData {
    let levels = strings(fx, "levels");
    let d = field(fx, "data");
    let group = strings(d, "group")
        .iter()
        .map(|g| levels.iter().position(|l| l == g).expect("a level"))
        .collect();
    let event = nums(d, "status").into_iter().map(|s| s == 1.0).collect();
    SurvData::new(nums(d, "time"), event, group, levels).expect("valid data")
}

fn check_km(c: &mut Checker, at: &str, ours: &[KmCurve], r: &[Value]) {
    c.equal("km.groups", at, ours.len(), r.len());
    for (k, rk) in ours.iter().zip(r) {
        let at = format!("{at}, {}", string(rk, "group"));
        c.close_all(
            "km.time",
            &at,
            &some(&k.time),
            &some(&nums(rk, "time")),
            KM_REL,
        );
        let n_risk: Vec<f64> = k.n_risk.iter().map(|&n| n as f64).collect();
        c.close_all(
            "km.n_risk",
            &at,
            &some(&n_risk),
            &some(&nums(rk, "n_risk")),
            0.0,
        );
        c.close_all(
            "km.surv",
            &at,
            &some(&k.surv),
            &some(&nums(rk, "surv")),
            KM_REL,
        );
        let se: Vec<Option<f64>> = k
            .se_surv
            .iter()
            .map(|v| Some(*v).filter(|v| v.is_finite()))
            .collect();
        let r_se = opt_nums(rk, "std_err");
        // R has NaN (0 · Inf) where S = 0; survcalc 0 or NaN: compare where both are numbers.
        for (j, (a, b)) in se.iter().zip(&r_se).enumerate() {
            if let (Some(a), Some(b)) = (a, b) {
                c.close("km.std_err", format!("{at}[{j}]"), *a, *b, KM_REL);
            }
        }
        c.close_all("km.lower", &at, &k.lower, &opt_nums(rk, "lower"), KM_REL);
        c.close_all("km.upper", &at, &k.upper, &opt_nums(rk, "upper"), KM_REL);
    }
}

fn check(name: &'static str, text: &str) {
    let fx = load(text);
    // Each data set is one where the rule matters: R's curves differ without it.
    assert_ne!(
        field(&fx, "km"),
        field(&fx, "km_nofix"),
        "{name}: timefix changes nothing"
    );
    let mut c = Checker::new(name);
    let raw = data(&fx);
    let (fixed, _) = raw.clone().timefixed(TOLERANCE);
    c.close_all(
        "aeq",
        name,
        &some(fixed.time()),
        &some(&nums(&fx, "aeq")),
        0.0,
    );
    let km = KmOptions::default();
    check_km(&mut c, name, &kaplan_meier(&fixed, &km), array(&fx, "km"));
    check_km(
        &mut c,
        &format!("{name} (timefix off)"),
        &kaplan_meier(&raw, &km),
        array(&fx, "km_nofix"),
    );
    let lr = log_rank(&fixed);
    c.close(
        "survdiff.chisq",
        name,
        lr.chisq,
        num(field(&fx, "survdiff"), "chisq"),
        KM_REL,
    );
    for rc in array(&fx, "cox") {
        let ties = match string(rc, "ties").as_str() {
            "efron" => Ties::Efron,
            _ => Ties::Breslow,
        };
        let fit = cox_fit(
            &fixed,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        );
        let at = format!("{name}, {}", string(rc, "ties"));
        let coef: Vec<f64> = fit.terms.iter().map(|t| t.coef).collect();
        c.close_all(
            "cox.coef",
            &at,
            &some(&coef),
            &some(&nums(rc, "coef")),
            COX_REL,
        );
        let var: Vec<f64> = fit.var.concat();
        c.close_all(
            "cox.var",
            &at,
            &some(&var),
            &some(&matrix(rc, "var").concat()),
            COX_REL,
        );
        c.close_all(
            "cox.loglik",
            &at,
            &some(&fit.loglik),
            &some(&nums(rc, "loglik")),
            COX_REL,
        );
    }
    // Through the whole analysis, with R's defaults: the same χ².
    let d = field(&fx, "data");
    let mut csv = String::from("time,status,group\n");
    for ((t, s), g) in nums(d, "time")
        .iter()
        .zip(nums(d, "status"))
        .zip(strings(d, "group"))
    {
        csv.push_str(&format!("{t:?},{s},{g}\n"));
    }
    let table = Table::parse(&csv).expect("table");
    let m = Mapping {
        time: "time".into(),
        event: "status".into(),
        group: Some("group".into()),
        ..Mapping::default()
    };
    let a = analyze(&table, &m, &AnalysisOptions::default()).expect("analysis");
    let chisq = a.log_rank.as_ref().map_or(f64::NAN, |l| l.chisq);
    c.close(
        "analysis.log_rank",
        name,
        chisq,
        num(field(&fx, "survdiff"), "chisq"),
        KM_REL,
    );
    c.finish();
}

#[test]
fn regression_near_tied_times_relative_to_the_mean() {
    // Issue 11: 1,1,A 2,1,A 3,1,B 4,0,B 4e8,0,B — R χ² 1.778, survcalc was 4.263.
    check("relative", fixture_text!("timefix/relative.json"));
}

#[test]
fn times_from_dates_computed_two_ways() {
    check("dates", fixture_text!("timefix/dates.json"));
}

#[test]
fn absolute_near_ties_and_chains() {
    check("absolute", fixture_text!("timefix/absolute.json"));
}

#[test]
fn other_conventions_keep_near_ties_apart() {
    use survcalc_core::Convention;
    assert!(AnalysisOptions::for_convention(Convention::R).timefix);
    for c in [
        Convention::Sas,
        Convention::Spss,
        Convention::Stata,
        Convention::Prism,
    ] {
        assert!(!AnalysisOptions::for_convention(c).timefix, "{c:?}");
    }
}
