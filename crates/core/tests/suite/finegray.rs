//! The Fine–Gray model against R cmprsk 2.2-11 `crr` (`tests/r/crr.R`): coefficients,
//! sandwich variance, information and log partial likelihoods on survival::mgus2 (sex;
//! sex and age in years), and on three causes in three groups with ties across causes
//! and censorings; and the cause-specific Cox model R survival fits on the same data.

use crate::util::load;
use serde_json::Value;
use survcalc_core::competing::{fine_gray, FineGrayOptions};
use survcalc_core::{cox_model, CoxDesign, CoxOptions, SurvData, Term};

/// Relative tolerance of the Cox fixtures (the 1e-8): crr stops its Newton steps
/// at a gradient of about 1e-6 relative, so the estimate depends on the path, which is
/// R's here step for step.
const REL: f64 = 1e-8;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs()).max(1e-12)
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("rows").iter().map(nums).collect()
}

fn check(name: &str, text: &str) {
    let f = load(text);
    let time = nums(&f["time"]);
    let status: Vec<u32> = nums(&f["cause"]).iter().map(|&c| c as u32).collect();
    let labels: Vec<String> = f["group"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g.as_str().expect("label").to_string())
        .collect();
    let mut levels = labels.clone();
    levels.sort();
    levels.dedup();
    let gi: Vec<usize> = labels
        .iter()
        .map(|l| levels.binary_search(l).expect("level"))
        .collect();
    let numeric = matrix(&f["covariates"]);
    let mut x: Vec<Vec<f64>> = (1..levels.len())
        .map(|l| gi.iter().map(|&g| f64::from(g == l)).collect())
        .collect();
    let mut names: Vec<String> = levels[1..].to_vec();
    for (j, c) in numeric.iter().enumerate() {
        x.push(c.clone());
        names.push(format!("x{j}"));
    }
    let mut compared = 0;
    for fit in f["fits"].as_array().expect("fits") {
        let cause = fit["cause"].as_u64().expect("cause") as u32;
        let got = fine_gray(
            &time,
            &status,
            &x,
            &names,
            cause,
            &FineGrayOptions::default(),
        )
        .expect("a fit");
        assert_eq!(
            got.converged,
            fit["converged"].as_bool().expect("converged")
        );
        let coef = nums(&fit["coef"]);
        for (t, r) in got.terms.iter().zip(&coef) {
            assert!(
                close(t.coef, *r),
                "{name} cause {cause} {}: β {} vs R {r}",
                t.name,
                t.coef
            );
            compared += 1;
        }
        for (what, ours, r) in [
            ("var", &got.variance, matrix(&fit["var"])),
            ("inf", &got.information, matrix(&fit["inf"])),
        ] {
            for (a, b) in ours.iter().flatten().zip(r.iter().flatten()) {
                assert!(close(*a, *b), "{name} cause {cause} {what}: {a} vs R {b}");
                compared += 1;
            }
        }
        for (ours, key) in [(got.loglik, "loglik"), (got.loglik_null, "loglik_null")] {
            let r = fit[key].as_f64().expect(key);
            assert!(
                close(ours, r),
                "{name} cause {cause} {key}: {ours} vs R {r}"
            );
            compared += 1;
        }
        // The cause-specific Cox model: the other causes censored, Efron ties.
        let data = SurvData::new(
            time.clone(),
            status.iter().map(|&s| s == cause).collect(),
            gi.clone(),
            levels.clone(),
        )
        .expect("data");
        let mut terms = vec![Term::group("g")];
        for (j, c) in numeric.iter().enumerate() {
            terms.push(Term::numeric(&format!("x{j}"), c.clone()));
        }
        let cs = cox_model(
            &data,
            &CoxDesign {
                terms,
                strata: None,
            },
            &CoxOptions::default(),
        )
        .expect("cause-specific model");
        for (c, r) in cs.coefficients.iter().zip(nums(&fit["cs_coef"])) {
            assert!(
                close(c.coef, r),
                "{name} cause {cause} cause-specific {}: {} vs R {r}",
                c.name,
                c.coef
            );
            compared += 1;
        }
        let rv = matrix(&fit["cs_var"]);
        for (k, c) in cs.coefficients.iter().enumerate() {
            assert!(
                close(c.se * c.se, rv[k][k]),
                "{name} cause {cause} cause-specific var"
            );
            compared += 1;
        }
    }
    assert!(compared > 10, "{name}: {compared} numbers compared");
}

#[test]
fn mgus2_by_sex_equals_crr() {
    check("mgus2", fixture_text!("finegray/mgus2.json"));
}

#[test]
fn mgus2_with_age_in_years_equals_crr() {
    check("mgus2_age", fixture_text!("finegray/mgus2_age.json"));
}

#[test]
fn three_causes_three_groups_with_ties_equal_crr() {
    check("ties3", fixture_text!("finegray/ties3.json"));
}

/// The mgus2 fixture as a table with the causes as 1/2 codes.
fn mgus2_table(codes: &[&str; 3]) -> survcalc_core::Table {
    let f = load(fixture_text!("finegray/mgus2.json"));
    let mut csv = String::from("months,event,sex\n");
    for ((t, c), g) in nums(&f["time"])
        .iter()
        .zip(nums(&f["cause"]))
        .zip(f["group"].as_array().expect("group"))
    {
        csv.push_str(&format!(
            "{t},{},{}\n",
            codes[c as usize],
            g.as_str().expect("sex")
        ));
    }
    survcalc_core::Table::parse(&csv).expect("parses")
}

fn mgus2_mapping() -> CompetingMapping {
    CompetingMapping {
        time: "months".into(),
        event: "event".into(),
        group: Some("sex".into()),
        ..CompetingMapping::default()
    }
}

use survcalc_core::competing_risks::{
    analyze_competing, competing_sentences, CompetingError, CompetingMapping, CompetingOptions,
};

#[test]
fn the_report_gives_crr_and_coxph_for_each_cause_and_the_cif_at_landmarks() {
    let fixture = load(fixture_text!("finegray/mgus2.json"));
    let cif = load(fixture_text!("competing/mgus2.json"));
    let table = mgus2_table(&["0", "1", "2"]);
    let mut m = mgus2_mapping();
    m.cause_names = vec![
        ("1".into(), "progression".into()),
        ("2".into(), "death".into()),
    ];
    let o = CompetingOptions {
        times: vec![100.0, 200.0],
        ..CompetingOptions::default()
    };
    let a = analyze_competing(&table, &m, &o).expect("analysis");
    assert_eq!(a.causes[0].label, "progression");
    for fit in fixture["fits"].as_array().expect("fits") {
        let cause = fit["cause"].as_u64().expect("cause") as u32;
        let models = a.models.iter().find(|x| x.cause == cause).expect("models");
        let fg = models.fine_gray.as_ref().expect("Fine–Gray estimable");
        assert!(close(fg.terms[0].coef, nums(&fit["coef"])[0]));
        assert!(close(
            models.cause_specific[0].coef,
            nums(&fit["cs_coef"])[0]
        ));
    }
    // The landmarks are cuminc's timepoints (est, var) at 100 and 200.
    let times: Vec<f64> = nums(&cif["times"]);
    for c in cif["curves"].as_array().expect("curves") {
        let (cause, group) = (
            c["cause"].as_u64().expect("cause") as u32,
            c["group"].as_str().expect("group"),
        );
        for t in [100.0, 200.0] {
            // R's value at t is its value at the last distinct time ≤ t.
            let k = times.partition_point(|&x| x <= t) - 1;
            let want = c["est"].as_array().expect("est")[k].as_f64().expect("est");
            let got = a
                .landmarks
                .iter()
                .find(|l| l.cause == cause && l.group == group && l.time == t)
                .expect("a landmark");
            assert!(
                close(got.estimate.expect("F"), want),
                "{group} {cause} at {t}"
            );
            let (lo, hi) = (got.lower.expect("lower"), got.upper.expect("upper"));
            assert!(lo < want && want < hi);
        }
    }
    let s = competing_sentences(&a, "-month", Default::default());
    assert_eq!(s.len(), 2);
    assert!(
        s[0].starts_with("The 200-month cumulative incidence of progression was 8.9% (95% CI: 6.7, 11.5) with M and 9.5%"),
        "{}",
        s[0]
    );
    assert!(
        s[0].contains(
            "Gray's test P = .27; subdistribution HR 0.80, 95% CI: 0.55, 1.14, Fine–Gray"
        ),
        "{}",
        s[0]
    );
    assert!(a.method.contains("cmprsk::crr") && a.method.contains("cause-specific"));
}

#[test]
fn the_cause_of_interest_comes_first_and_an_unknown_one_is_refused_with_the_list() {
    let table = mgus2_table(&["censored", "progression", "death"]);
    let o = CompetingOptions {
        cause: Some("death".into()),
        ..CompetingOptions::default()
    };
    let a = analyze_competing(&table, &mgus2_mapping(), &o).expect("analysis");
    assert_eq!(a.causes[0].label, "death");
    assert_eq!(a.curves[0].cause, a.causes[0].code);
    let o = CompetingOptions {
        cause: Some("relapse".into()),
        ..CompetingOptions::default()
    };
    match analyze_competing(&table, &mgus2_mapping(), &o) {
        Err(CompetingError::Option(e)) => {
            assert_eq!(e.option, "competing.cause");
            assert!(
                e.rule.contains("death") && e.rule.contains("progression"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn values_outside_the_event_codes_are_listed_by_line_never_guessed() {
    let table = mgus2_table(&["0", "1", "2"]);
    let mut m = mgus2_mapping();
    m.cause_names = vec![("1".into(), "progression".into())];
    let a = analyze_competing(&table, &m, &CompetingOptions::default()).expect("analysis");
    assert_eq!(a.causes.len(), 1);
    let deaths = load(fixture_text!("finegray/mgus2.json"))["cause"]
        .as_array()
        .expect("cause")
        .iter()
        .filter(|c| c.as_u64() == Some(2))
        .count();
    assert_eq!(a.excluded.len(), deaths);
    let e = &a.excluded[0];
    assert_eq!((e.column.as_str(), e.value.as_str()), ("event", "2"));
    assert!(e.line >= 2 && e.reason.contains("1=progression"), "{e}");
}

#[test]
fn an_arm_without_failures_from_a_cause_is_not_estimable_never_a_diverging_number() {
    let csv = "t,cause,arm\n1,1,A\n2,2,A\n3,1,A\n4,0,A\n5,1,A\n1,2,B\n2,2,B\n3,0,B\n4,2,B\n6,0,B\n";
    let table = survcalc_core::Table::parse(csv).expect("parses");
    let m = CompetingMapping {
        time: "t".into(),
        event: "cause".into(),
        group: Some("arm".into()),
        ..CompetingMapping::default()
    };
    let a = analyze_competing(&table, &m, &CompetingOptions::default()).expect("analysis");
    let first = a.models.iter().find(|x| x.cause == 1).expect("cause 1");
    assert!(first.fine_gray.is_none() && first.cause_specific.is_empty());
    assert!(
        first
            .fine_gray_note
            .as_deref()
            .is_some_and(|n| n.contains("no cause 1") || n.contains("in B")),
        "{:?}",
        first.fine_gray_note
    );
    let second = a.models.iter().find(|x| x.cause == 2).expect("cause 2");
    assert!(second
        .fine_gray
        .as_ref()
        .is_some_and(|f| f.terms[0].shr.is_finite()));
}

#[test]
fn options_out_of_range_are_refused_by_name() {
    let table = mgus2_table(&["0", "1", "2"]);
    for (o, name) in [
        (
            CompetingOptions {
                rho: -1.0,
                ..CompetingOptions::default()
            },
            "competing.rho",
        ),
        (
            CompetingOptions {
                conf_level: 95.0,
                ..CompetingOptions::default()
            },
            "competing.conf_level",
        ),
        (
            CompetingOptions {
                times: vec![f64::NAN],
                ..CompetingOptions::default()
            },
            "competing.times",
        ),
    ] {
        match analyze_competing(&table, &mgus2_mapping(), &o) {
            Err(CompetingError::Option(e)) => assert_eq!(e.option, name),
            other => panic!("{name}: {other:?}"),
        }
    }
}
