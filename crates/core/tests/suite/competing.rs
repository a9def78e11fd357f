//! Competing risks against R cmprsk 2.2-11 (`tests/r/cuminc.R`): the cumulative
//! incidence of every cause in every group and its variance at every distinct time of the
//! data (R `timepoints`), survfit's infinitesimal-jackknife standard error, and Gray's test for each cause with ρ = 0 and 1, on
//! survival::mgus2 (with and without strata), three causes with ties across causes, and
//! edge sets (a group with no event, a cause missing from a group).

use crate::util::load;
use serde_json::Value;
use survcalc_core::competing::{cumulative_incidence, gray_test, ij_variance, CompetingData};

/// Relative tolerance (absolute below 1e-300): the estimates are sums of products, the
/// variances and the test a few hundred more operations.
const REL: f64 = 1e-10;

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= REL * a.abs().max(b.abs()).max(1e-300)
}

fn nums(v: &Value) -> Vec<Option<f64>> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn data_of(f: &Value) -> CompetingData {
    let time: Vec<f64> = nums(&f["time"])
        .into_iter()
        .map(|x| x.expect("time"))
        .collect();
    let cause: Vec<u32> = nums(&f["cause"])
        .into_iter()
        .map(|x| x.expect("cause") as u32)
        .collect();
    let labels: Vec<String> = f["group"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g.as_str().expect("label").to_string())
        .collect();
    // cmprsk orders groups as factor() does: sorted labels.
    let mut levels = labels.clone();
    levels.sort();
    levels.dedup();
    let group = labels
        .iter()
        .map(|l| levels.iter().position(|x| x == l).expect("level"))
        .collect();
    let d = CompetingData::new(time, cause, group, levels).expect("valid data");
    match f["strata"].as_array() {
        Some(s) => d
            .with_strata(
                s.iter()
                    .map(|x| x.as_f64().expect("stratum") as usize - 1)
                    .collect(),
            )
            .expect("strata"),
        None => d,
    }
}

fn check(name: &str, text: &str) {
    let f = load(text);
    let d = data_of(&f);
    let times: Vec<f64> = nums(&f["times"]).into_iter().flatten().collect();
    let mut compared = 0;
    for c in f["curves"].as_array().expect("curves") {
        let cause = c["cause"].as_u64().expect("cause") as u32;
        let group = c["group"].as_str().expect("group");
        let curves = cumulative_incidence(&d, cause);
        let curve = curves
            .iter()
            .find(|x| x.group == group)
            .expect("the group's curve");
        for ((t, est), var) in times.iter().zip(nums(&c["est"])).zip(nums(&c["var"])) {
            match (curve.at(*t), est, var) {
                (Some((e, v)), Some(re), Some(rv)) => {
                    assert!(
                        close(e, re),
                        "{name} {group} cause {cause} at {t}: F {e} vs R {re}"
                    );
                    assert!(
                        close(v, rv),
                        "{name} {group} cause {cause} at {t}: var {v} vs R {rv}"
                    );
                    compared += 2;
                }
                // R: NA after the group's last follow-up.
                (None, None, _) => {}
                (got, e, v) => {
                    panic!("{name} {group} cause {cause} at {t}: {got:?} vs R {e:?} {v:?}")
                }
            }
        }
    }
    for t in f["tests"].as_array().expect("tests") {
        let cause = t["cause"].as_u64().expect("cause") as u32;
        let rho = t["rho"].as_f64().expect("rho");
        let g = gray_test(&d, cause, rho);
        let (stat, pv) = (
            t["stat"].as_f64().expect("stat"),
            t["pv"].as_f64().expect("pv"),
        );
        let got = g.statistic.expect("a statistic");
        assert!(
            close(got, stat),
            "{name} cause {cause} rho {rho}: χ² {got} vs R {stat}"
        );
        assert!(
            close(g.p_value.expect("P"), pv),
            "{name} cause {cause} rho {rho}: P"
        );
        assert_eq!(g.df as f64, t["df"].as_f64().expect("df"));
        compared += 2;
    }
    // survfit's infinitesimal-jackknife standard error, at every distinct time of each
    // group's follow-up.
    for c in f["ij"].as_array().expect("ij") {
        let cause = c["cause"].as_u64().expect("cause") as u32;
        let group = c["group"].as_str().expect("group");
        let g = d.levels().iter().position(|l| l == group).expect("group");
        for (t, se) in nums(&c["times"]).into_iter().zip(nums(&c["se"])) {
            let (t, se) = (t.expect("time"), se.expect("se"));
            let got = ij_variance(&d, cause, g, t)
                .expect("within follow-up")
                .sqrt();
            assert!(
                close(got, se) || (got - se).abs() < 1e-15,
                "{name} {group} cause {cause} at {t}: IJ se {got} vs R {se}"
            );
            compared += 1;
        }
    }
    assert!(compared > 20, "{name}: {compared} numbers compared");
}

#[test]
fn mgus2_equals_cmprsk_and_the_issues_check_vector() {
    check("mgus2", fixture_text!("competing/mgus2.json"));
    // Issue 16's check vector: pcm χ² 1.194507825075515, death 11.651259012127738.
    let d = data_of(&load(fixture_text!("competing/mgus2.json")));
    assert!(close(
        gray_test(&d, 1, 0.0).statistic.expect("χ²"),
        1.194507825075515
    ));
    assert!(close(
        gray_test(&d, 2, 0.0).statistic.expect("χ²"),
        11.651259012127738
    ));
}

#[test]
fn stratified_gray_test_equals_cmprsk() {
    check("mgus2_strata", fixture_text!("competing/mgus2_strata.json"));
}

#[test]
fn three_causes_with_ties_equal_cmprsk() {
    check("ties3", fixture_text!("competing/ties3.json"));
}

#[test]
fn edge_sets_equal_cmprsk() {
    check("edges", fixture_text!("competing/edges.json"));
}
