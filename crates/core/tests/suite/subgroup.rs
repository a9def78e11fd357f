//! Subgroup analyses against R survival (`tests/r/subgroup.R`): the Cox model of the arm
//! within each level (n and events per arm, HR and its 95% CI) and the arm × subgroup
//! interaction test (likelihood ratio from `anova`, Wald from the interaction
//! coefficients), on veteran, pbc and colon subgroups.

use crate::util::load;
use serde_json::Value;
use survcalc_core::cox::subgroup::subgroup_analysis;
use survcalc_core::{CoxOptions, Strata, SurvData};

/// Cox-model tolerance (the project's: 1e-8 relative).
const REL: f64 = 1e-8;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

fn check(name: &str, text: &str) {
    let f = load(text);
    let time: Vec<f64> = f["time"]
        .as_array()
        .expect("time")
        .iter()
        .map(|x| x.as_f64().expect("t"))
        .collect();
    let status: Vec<bool> = f["status"]
        .as_array()
        .expect("status")
        .iter()
        .map(|x| x.as_f64() == Some(1.0))
        .collect();
    let arm = strings(&f["arm"]);
    // R's factor(arm): sorted levels, the first the reference.
    let mut arms = arm.clone();
    arms.sort();
    arms.dedup();
    let group = arm
        .iter()
        .map(|a| arms.iter().position(|x| x == a).expect("arm"))
        .collect();
    let data = SurvData::new(time, status, group, arms).expect("data");
    let labels: Vec<Option<String>> = strings(&f["sub"]).into_iter().map(Some).collect();
    let strata = f["strata"].as_array().map(|_| {
        let l: Vec<Option<String>> = strings(&f["strata"]).into_iter().map(Some).collect();
        Strata::new("st", &l)
    });
    let s = subgroup_analysis(
        &data,
        "sub",
        &labels,
        strata.as_ref(),
        &CoxOptions::default(),
    )
    .expect("analysis");
    let want = f["levels"].as_array().expect("levels");
    assert_eq!(s.levels.len(), want.len(), "{name}");
    for w in want {
        let level = w["level"].as_str().expect("level");
        let got = s
            .levels
            .iter()
            .find(|l| l.level == level)
            .expect("the level");
        let ints = |v: &Value| -> Vec<usize> {
            v.as_array()
                .expect("ints")
                .iter()
                .map(|x| x.as_f64().expect("n") as usize)
                .collect()
        };
        assert_eq!(got.n, ints(&w["n"]), "{name} {level}: n");
        assert_eq!(got.events, ints(&w["events"]), "{name} {level}: events");
        // R survfit's median per arm (null: not reached).
        let medians: Vec<Option<f64>> = w["median"]
            .as_array()
            .expect("medians")
            .iter()
            .map(Value::as_f64)
            .collect();
        assert_eq!(got.medians, medians, "{name} {level}: medians");
        let t = got.terms.first().expect("estimable");
        for (g, r, what) in [
            (t.hr, &w["hr"], "HR"),
            (t.hr_lower, &w["lower"], "lower"),
            (t.hr_upper, &w["upper"], "upper"),
        ] {
            let r = r.as_f64().expect("R value");
            assert!(close(g, r), "{name} {level}: {what} {g} vs R {r}");
        }
    }
    let i = s.interaction.expect("an interaction test");
    let r = &f["interaction"];
    let num = |k: &str| r[k].as_f64().expect("number");
    assert!(
        close(i.likelihood_ratio.chisq, num("lr")),
        "{name}: LR {} vs {}",
        i.likelihood_ratio.chisq,
        num("lr")
    );
    assert!(
        close(i.likelihood_ratio.p_value, num("p_lr")),
        "{name}: P(LR)"
    );
    assert_eq!(i.likelihood_ratio.df as f64, num("df"));
    let w = i.wald.expect("Wald");
    assert!(
        close(w.chisq, num("wald")),
        "{name}: Wald {} vs {}",
        w.chisq,
        num("wald")
    );
    assert!(close(w.p_value, num("p_wald")), "{name}: P(Wald)");
}

#[test]
fn subgroups_and_interactions_equal_r() {
    check(
        "veteran_celltype",
        fixture_text!("subgroup/veteran_celltype.json"),
    );
    check(
        "veteran_prior",
        fixture_text!("subgroup/veteran_prior.json"),
    );
    check("pbc_sex", fixture_text!("subgroup/pbc_sex.json"));
    check("pbc_edema", fixture_text!("subgroup/pbc_edema.json"));
    check("colon_sex", fixture_text!("subgroup/colon_sex.json"));
    check(
        "colon_obstruct",
        fixture_text!("subgroup/colon_obstruct.json"),
    );
}

/// With the primary analysis's strata: every model has + strata(s).
#[test]
fn stratified_subgroup_models_equal_r() {
    check(
        "veteran_celltype_strata",
        fixture_text!("subgroup/veteran_celltype_strata.json"),
    );
    check(
        "colon_sex_strata",
        fixture_text!("subgroup/colon_sex_strata.json"),
    );
}

/// A level where one arm has no events is "not estimable", never a diverging HR.
#[test]
fn a_level_without_events_in_an_arm_is_not_estimable() {
    let time = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    let event = vec![
        true, true, true, true, false, false, true, true, false, true,
    ];
    let group = vec![0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    let data = SurvData::new(time, event, group, vec!["A".into(), "B".into()]).expect("data");
    let sub: Vec<Option<String>> = ["x", "x", "x", "x", "y", "y", "y", "y", "y", "y"]
        .iter()
        .map(|s| Some(s.to_string()))
        .collect();
    // Level y: arm A has the event at 7 only, arm B at 8 and 10; make A event-free there.
    let mut labels = sub.clone();
    labels[6] = Some("x".into());
    let s =
        subgroup_analysis(&data, "site", &labels, None, &CoxOptions::default()).expect("analysis");
    let y = s.levels.iter().find(|l| l.level == "y").expect("y");
    assert_eq!(y.events, vec![0, 2]);
    assert!(y.terms.is_empty(), "not estimable: {:?}", y.terms);
}
