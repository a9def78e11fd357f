//! The `survcalc` binary, run as a user would.
//!
//! - `veteran_json_matches_r`: JSON on R's veteran data equals R's fixture.
//! - `breslow_flag_changes_ties`: `--ties breslow` gives R's Breslow estimate.
//! - `text_report_names_methods`: the text report says which method made each number.
//! - `bad_input_fails_with_a_message`: a missing file, an empty file, an unknown column.
//! - `example_round_trips`: `survcalc example` output analyses to 64 patients.

use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(args)
        .output()
        .expect("the survcalc binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture() -> serde_json::Value {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/fixtures/veteran.json"))
        .expect("veteran fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs())
}

#[test]
fn veteran_json_matches_r() {
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let (ok, out, err) = run(&["analyze", &csv, "--format", "json"]);
    assert!(ok, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    let r = fixture();
    assert_eq!(a["n_used"], 137);
    assert_eq!(a["groups"], serde_json::json!(["1", "2"]));
    for i in 0..2 {
        for key in ["estimate", "lower", "upper"] {
            let ours = a["summaries"][i]["median"][key].as_f64();
            assert_eq!(
                ours,
                r["median"]["log"][i][key].as_f64(),
                "median {key} of group {i}"
            );
        }
    }
    let coef = a["cox"]["terms"][0]["coef"].as_f64().expect("coef");
    let r_coef = r["coxph"]["efron"]["coef"][0].as_f64().expect("R coef");
    assert!(rel(coef, r_coef) < 1e-8, "{coef} vs {r_coef}");
    let p = a["log_rank"]["p_value"].as_f64().expect("p");
    assert!(rel(p, r["survdiff"]["p"].as_f64().expect("R p")) < 1e-9);
    assert_eq!(a["summaries"][0]["median"]["method"], "r-band-inversion");
}

#[test]
fn breslow_flag_changes_ties() {
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let (ok, out, _) = run(&["analyze", &csv, "--format", "json", "--ties", "breslow"]);
    assert!(ok);
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    let coef = a["cox"]["terms"][0]["coef"].as_f64().expect("coef");
    let r_coef = fixture()["coxph"]["breslow"]["coef"][0]
        .as_f64()
        .expect("R coef");
    assert!(rel(coef, r_coef) < 1e-8);
    assert_eq!(a["cox"]["options"]["ties"], "breslow");
}

#[test]
fn text_report_names_methods() {
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let (ok, out, _) = run(&["analyze", &csv, "--conf-type", "log-log"]);
    assert!(ok);
    assert!(out.contains("n = 137 of 137 rows (0 excluded)"), "{out}");
    assert!(out.contains("conf.type = log-log"));
    assert!(out.contains("log-rank test (R survdiff)"));
    assert!(out.contains("Cox model (R coxph, ties = \"efron\"), reference = 1"));
}

#[test]
fn bad_input_fails_with_a_message() {
    let (ok, _, err) = run(&["analyze", "/nonexistent/x.csv"]);
    assert!(!ok);
    assert!(err.contains("cannot read /nonexistent/x.csv"), "{err}");

    let dir = std::env::temp_dir().join(format!("survcalc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let (ok, _, err) = run(&["analyze", empty.to_str().expect("utf8 path")]);
    assert!(!ok);
    assert!(err.contains("the data is empty"), "{err}");

    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let (ok, _, err) = run(&["analyze", &csv, "--group", "arm"]);
    assert!(!ok);
    assert!(
        err.contains(
            "the group column \"arm\" is not in the table; the columns are: trt, celltype"
        ),
        "{err}"
    );
}

#[test]
fn example_round_trips() {
    let (ok, csv, _) = run(&["example"]);
    assert!(ok);
    let dir = std::env::temp_dir().join(format!("survcalc-cli-ex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let f = dir.join("example.csv");
    std::fs::write(&f, csv).expect("write");
    let (ok, out, _) = run(&[
        "analyze",
        f.to_str().expect("utf8 path"),
        "--format",
        "json",
    ]);
    assert!(ok);
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(a["n_used"], 64);
    assert_eq!(
        a["groups"],
        serde_json::json!(["Sorafenib", "Sorafenib+HAIC"])
    );
}

/// R: `coxph(Surv(time, dead) ~ factor(sex) + age + ph.ecog + strata(inst), lung)` and
/// `survdiff(Surv(time, dead) ~ sex + strata(inst), lung)$chisq` (12 significant digits).
#[test]
fn adjusted_and_stratified_models_match_r() {
    let csv = format!("{ROOT}/tests/fixtures/lung.csv");
    let (ok, out, err) = run(&[
        "analyze",
        &csv,
        "--time",
        "time",
        "--event",
        "dead",
        "--group",
        "sex",
        "--covariates",
        "age,ph.ecog",
        "--strata",
        "inst",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    let chisq = a["stratified_log_rank"]["chisq"]
        .as_f64()
        .expect("stratified chisq");
    assert!(rel(chisq, 8.52446736332) < 1e-11, "{chisq}");
    let m = &a["cox_adjusted"];
    assert_eq!(m["n"], 226);
    let expected = [-0.54735667684895, 0.00956134169656, 0.59725324468041];
    for (k, e) in expected.iter().enumerate() {
        let c = m["coefficients"][k]["coef"].as_f64().expect("coef");
        assert!(rel(c, *e) < 1e-11, "coefficient {k}: {c} vs {e}");
    }
}

/// A long AE table: patient 1 counted once at their worst grade (3), patient 4's grade 5
/// outside 3–4, patient 2's grade 2 outside 3–4; denominators from `--at-risk`.
#[test]
fn ae_long_counts_patients_once_at_worst_grade() {
    let dir = std::env::temp_dir().join(format!("survcalc-cli-ae-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let f = dir.join("ae.csv");
    std::fs::write(
        &f,
        "usubjid,arm,aedecod,aetoxgr\n1,A,Diarrhoea,3\n1,A,Diarrhoea,1\n2,A,Rash,2\n3,B,Diarrhoea,4\n4,B,Diarrhoea,5\n",
    )
    .expect("write");
    let (ok, out, err) = run(&[
        "ae-long",
        f.to_str().expect("utf8 path"),
        "--patient",
        "usubjid",
        "--group",
        "arm",
        "--term",
        "aedecod",
        "--grade",
        "aetoxgr",
        "--at-risk",
        "A=10,B=12",
        "--grades",
        "3-4",
    ]);
    assert!(ok, "{err}");
    let t: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(t["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(t["rows"][0]["counts"], serde_json::json!([1, 1]));
    assert_eq!(t["rows"][0]["at_risk"], serde_json::json!([10, 12]));
    // R: fisher.test(matrix(c(1, 9, 1, 11), 2, byrow = TRUE))$p.value
    let p = t["rows"][0]["p_value"].as_f64().expect("P");
    assert!(rel(p, 1.0) < 1e-12, "{p}");
    let (ok, _, err) = run(&[
        "ae-long",
        f.to_str().expect("utf8 path"),
        "--patient",
        "usubjid",
        "--group",
        "arm",
        "--term",
        "aedecod",
        "--at-risk",
        "A:10",
    ]);
    assert!(!ok);
    assert!(err.contains("should be ARM=N"), "{err}");
}
