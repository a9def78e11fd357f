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

/// Writes `content` to a file of this test process's own temporary folder and returns its
/// path as text (the CLI's argument).
fn temp_file(name: &str, content: impl AsRef<[u8]>) -> String {
    let dir = std::env::temp_dir().join(format!("survcalc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let f = dir.join(name);
    std::fs::write(&f, content).expect("write");
    f.to_str().expect("utf8 path").to_string()
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
    // Prism's two hazard ratios, each with its method in words (not a Rust name).
    let hr: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("HR 2 vs 1:"))
        .collect();
    assert_eq!(hr.len(), 2, "{out}");
    assert!(hr[0].ends_with("— log-rank O/E: (O₁/E₁)/(O₀/E₀) (Prism “logrank”)"));
    assert!(hr[1].ends_with("— Mantel–Haenszel: exp((O₁ − E₁)/V) (Prism “Mantel–Haenszel”)"));
}

#[test]
fn text_report_bounds_a_p_that_underflows() {
    // Two arms that never overlap: every death in A comes before any in B, so the
    // log-rank chi-square is in the thousands and its P underflows to 0 in doubles.
    let mut csv = String::from("time,status,arm\n");
    for i in 1..=3000 {
        csv.push_str(&format!("{i},1,A\n{},1,B\n", 10_000 + i));
    }
    let path = temp_file("separated.csv", &csv);
    let (ok, out, err) = run(&["analyze", &path, "--format", "text"]);
    assert!(ok, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("Chisq = "))
        .unwrap_or_else(|| panic!("no log-rank line in {out}"));
    assert!(line.ends_with("on 1 df, p < 5e-324"), "{line}");
    assert!(!out.contains("0.000000e0"), "{out}");
}

#[test]
fn bad_input_fails_with_a_message() {
    let (ok, _, err) = run(&["analyze", "/nonexistent/x.csv"]);
    assert!(!ok);
    assert!(err.contains("cannot read /nonexistent/x.csv"), "{err}");

    let empty = temp_file("empty.csv", "");
    let (ok, _, err) = run(&["analyze", &empty]);
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
    let f = temp_file("example.csv", csv);
    let (ok, out, _) = run(&["analyze", &f, "--format", "json"]);
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
    let f = temp_file(
        "ae.csv",
        "usubjid,arm,aedecod,aetoxgr\n1,A,Diarrhoea,3\n1,A,Diarrhoea,1\n2,A,Rash,2\n3,B,Diarrhoea,4\n4,B,Diarrhoea,5\n",
    );
    let (ok, out, err) = run(&[
        "ae-long",
        &f,
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
        &f,
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

/// Every reading and mapping choice the page offers is also a flag: a headerless,
/// semicolon-separated Latin-1 file with decimal commas, coded groups, a censor value, an
/// ID column, a time unit and a conversion; dates; an ADTTE filter; and bad values.
#[test]
fn reading_and_mapping_flags() {
    // 0xE9 is "é" in Latin-1 (invalid as UTF-8): the ID of the last two rows.
    let mut bytes =
        b"1;16,3;mort;p1\n1;3,5;vivant;p2\n2;8,25;mort;p3\n2;12;vivant;p\xe9\n2;1,5;mort;p\xe9\n"
            .to_vec();
    bytes.extend_from_slice(b"1;4;mort;p6\n");
    let path = temp_file("latin1.txt", &bytes);
    let path = path.as_str();
    // The file's reading and mapping, shared by both runs below.
    let base = [
        "analyze",
        path,
        "--delimiter",
        "semicolon",
        "--header",
        "no",
        "--encoding",
        "latin1",
        "--time",
        "V2",
        "--event",
        "V3",
        "--event-value",
        "mort",
        "--censor-value",
        "vivant",
        "--group",
        "V1",
    ];
    let more = [
        "--decimal",
        "comma",
        "--group-labels",
        "1=Sorafenib,2=HAIC",
        "--group-order",
        "2,1",
        "--id",
        "V4",
        "--time-unit",
        "months",
        "--unit",
        "years",
        "--format",
        "json",
    ];
    let (ok, out, err) = run(&[&base[..], &more[..]].concat());
    assert!(ok, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(a["groups"], serde_json::json!(["HAIC", "Sorafenib"]));
    assert_eq!(a["n_used"], 6);
    // HAIC's first time: 1.5 months in years.
    let t0 = a["curves"][0]["time"][0].as_f64().unwrap_or(f64::NAN);
    assert_eq!(t0, 1.5 * 30.4375 / 365.25);
    let warnings = a["warnings"].to_string();
    assert!(warnings.contains("pé"), "{warnings}");

    // The decimal comma is detected when not given; the text report says how it read.
    let (ok, out, _) = run(&base);
    assert!(ok);
    assert!(
        out.contains("read as semicolon-separated text, Windows-1252 (Latin-1), no header row, decimal comma"),
        "{out}"
    );

    let dates = temp_file(
        "dates.csv",
        "arm,rand,last,dead\nA,01/02/2020,01/03/2020,1\nA,05/02/2020,05/08/2020,0\nB,03/02/2020,03/04/2020,1\nB,04/02/2020,04/06/2020,1\n",
    );
    let (ok, out, err) = run(&[
        "analyze",
        &dates,
        "--start",
        "rand",
        "--end",
        "last",
        "--date-order",
        "dmy",
        "--event",
        "dead",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    // 1 Feb → 1 Mar 2020 (a leap year): 29 days.
    assert_eq!(a["curves"][0]["time"][0].as_f64(), Some(29.0));

    let adtte = temp_file(
        "adtte.csv",
        "USUBJID,ARM,PARAMCD,AVAL,CNSR\n1,A,OS,10,0\n1,A,PFS,5,0\n2,B,OS,20,1\n2,B,PFS,7,0\n3,A,OS,4,0\n3,A,PFS,2,0\n",
    );
    let (ok, out, err) = run(&[
        "analyze",
        &adtte,
        "--filter",
        "PARAMCD=PFS",
        "--time",
        "AVAL",
        "--event",
        "CNSR",
        "--group",
        "ARM",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(
        (a["n_used"].as_u64(), a["n_rows"].as_u64()),
        (Some(3), Some(3))
    );

    for (flag, value, message) in [
        ("--encoding", "ebcdic", "--encoding ebcdic: give utf-8"),
        ("--delimiter", "::", "--delimiter ::: give comma"),
        (
            "--group-labels",
            "1=A,2",
            "--group-labels: \"2\" is not value=label",
        ),
        ("--unit", "fortnights", "--unit fortnights: give days"),
        (
            "--filter",
            "PARAMCD",
            "--filter PARAMCD: write COLUMN=VALUE",
        ),
    ] {
        let (ok, _, err) = run(&["analyze", path, flag, value]);
        assert!(!ok && err.contains(message), "{flag} {value}: {err}");
    }
}

/// `--format html` is the page's report; `--format csv` and `km-csv` its downloads.
#[test]
fn report_formats() {
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let (ok, html, err) = run(&["analyze", &csv, "--format", "html"]);
    assert!(ok, "{err}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "The median survival was 52.5 (95% CI: 44.0, 95.0) with 2 and 103.0 (95% CI: 59.0, 132.0) with 1 (HR = 1.02; 95% CI: 0.71, 1.45; P = .93)."
    ), "{html}");
    let (ok, km, _) = run(&["analyze", &csv, "--format", "km-csv"]);
    assert!(ok);
    // 1 header + one row per distinct time per arm (R's summary(fit, censored = TRUE):
    // 61 and 53 rows, tests/fixtures/veteran.json).
    assert_eq!(km.lines().count(), 1 + 61 + 53);
    let (ok, text, _) = run(&["analyze", &csv]);
    assert!(ok);
    assert!(
        text.contains("for the paper:\n  The median survival was 52.5"),
        "{text}"
    );
}

/// `--format svg` draws the page's figures of the trial: the forest plot at a printed
/// width, and a sentence (not a panic) for a figure the data cannot have.
#[test]
fn trial_figures_as_svg() {
    let (ok, example, _) = run(&["example"]);
    assert!(ok);
    let path = temp_file("example-figures.csv", example);
    let (ok, svg, err) = run(&[
        "analyze",
        &path,
        "--format",
        "svg",
        "--figure",
        "forest-hazard-ratios",
        "--width-in",
        "3.5",
    ]);
    assert!(ok, "{err}");
    assert!(
        svg.starts_with("<svg width=\"3.500in\""),
        "{}",
        &svg[..80.min(svg.len())]
    );
    assert!(svg.contains("OS: Sorafenib+HAIC vs Sorafenib") && svg.contains("HR (95% CI)"));
    let (ok, svg, _) = run(&[
        "analyze",
        &path,
        "--format",
        "svg",
        "--figure",
        "response-by-arm",
    ]);
    assert!(ok && svg.contains("11 of 32"));
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let (ok, _, err) = run(&[
        "analyze",
        &csv,
        "--format",
        "svg",
        "--figure",
        "adverse-events-dot-and-bar",
    ]);
    assert!(
        !ok && err.contains("the trial has no adverse-event column"),
        "{err}"
    );
    let (ok, _, err) = run(&["analyze", &path, "--format", "svg", "--width-in", "40"]);
    assert!(
        !ok && err.contains("--width-in 40: give a printed width between 2 and 12 inches"),
        "{err}"
    );
}

/// `--count`: an aggregated table gives the expanded rows' numbers; `--count none`
/// reads a patient per row.
#[test]
fn aggregated_table_with_a_count_column() {
    let long = temp_file(
        "long.csv",
        "time,status,arm\n5,1,A\n5,1,A\n5,0,A\n8,1,A\n3,1,B\n9,0,B\n9,0,B\n12,1,B\n",
    );
    let agg = temp_file(
        "aggregated.csv",
        "time,status,arm,patients\n5,1,A,2\n5,0,A,1\n8,1,A,1\n3,1,B,1\n9,0,B,2\n12,1,B,1\n",
    );
    let json = |args: &[&str]| -> serde_json::Value {
        let (ok, out, err) = run(args);
        assert!(ok, "{err}");
        serde_json::from_str(&out).expect("json")
    };
    let a = json(&["analyze", &long, "--format", "json"]);
    let b = json(&["analyze", &agg, "--format", "json", "--count", "patients"]);
    assert_eq!(b["n_used"], 8);
    assert_eq!(a["curves"], b["curves"]);
    assert_eq!(a["log_rank"]["chisq"], b["log_rank"]["chisq"]);
    let c = json(&["analyze", &agg, "--format", "json", "--count", "none"]);
    assert_eq!(c["n_used"], 6);
}

/// `survcalc competing`: causes written as words, Gray's test per cause equal to cmprsk on
/// survival::mgus2 (tests/fixtures/competing/mgus2.json: pcm χ² 1.1945…, death 11.651…).
#[test]
fn competing_risks_equal_cmprsk() {
    let mut csv = mgus2_csv();
    csv.push_str("NA,death,F\n");
    let path = temp_file("mgus2-competing.csv", csv);
    let (ok, out, err) = run(&[
        "competing",
        &path,
        "--time",
        "time",
        "--event",
        "event",
        "--group",
        "sex",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let a: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(a["n_used"], 1384);
    assert_eq!(a["excluded"][0]["reason"], "missing time");
    let code = |label: &str| {
        a["causes"]
            .as_array()
            .expect("causes")
            .iter()
            .find(|c| c["label"] == label)
            .map(|c| c["code"].clone())
            .expect("cause")
    };
    for (label, want) in [
        ("progression", 1.194507825075515),
        ("death", 11.651259012127738),
    ] {
        let t = a["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .find(|t| t["cause"] == code(label))
            .expect("test");
        let got = t["statistic"].as_f64().expect("χ²");
        assert!(
            ((got - want) / want).abs() < 1e-10,
            "{label}: {got} vs {want}"
        );
    }
    let (ok, _, err) = run(&[
        "competing",
        &path,
        "--time",
        "time",
        "--event",
        "event",
        "--rho=-1",
    ]);
    assert!(
        !ok && err.contains("competing.rho = -1 cannot be used: it must be a number of 0 or more"),
        "{err}"
    );
    // The text report: the cause of interest first, crr's subdistribution HR for death
    // (tests/fixtures/finegray/mgus2.json: β 0.232762…, exp 1.2621) and the sentences.
    let (ok, out, err) = run(&[
        "competing",
        &path,
        "--time",
        "time",
        "--event",
        "event",
        "--group",
        "sex",
        "--cause",
        "death",
        "--at",
        "100,200",
    ]);
    assert!(ok, "{err}");
    let death = out.find("(death)").expect("death");
    let progression = out.find("(progression)").expect("progression");
    assert!(death < progression, "{out}");
    assert!(out.contains("subdistribution HR M vs F: 1.2621"), "{out}");
    assert!(
        out.contains("At time 200, the cumulative incidence of death was 70.8%"),
        "{out}"
    );
    let (ok, _, err) = run(&[
        "competing",
        &path,
        "--time",
        "time",
        "--event",
        "event",
        "--cause",
        "relapse",
    ]);
    assert!(
        !ok && err.contains("one of the causes in the data: death, progression"),
        "{err}"
    );
    let (ok, _, err) = run(&[
        "competing",
        &path,
        "--time",
        "time",
        "--event",
        "event",
        "--event-codes",
        "1",
    ]);
    assert!(!ok && err.contains("should be VALUE=NAME"), "{err}");
}

/// `--format subgroups` and `--figure forest-subgroups`: veteran by cell type and by
/// Karnofsky score cut at 60; the interaction P of cell type equals R's (subgroup.R:
/// LR 8.21622904065623 on 3 df).
#[test]
fn subgroups_as_json_and_forest() {
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let base = [
        "analyze", &csv, "--time", "time", "--event", "status", "--group", "trt",
    ];
    let (ok, out, err) = run(&[
        &base[..],
        &["--format", "subgroups", "--subgroups", "celltype,karno:60!"],
    ]
    .concat());
    assert!(ok, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    let lr = &r["subgroups"][0]["interaction"]["likelihood_ratio"];
    assert!((lr["chisq"].as_f64().expect("chisq") - 8.21622904065623).abs() < 1e-8 * 8.2);
    assert_eq!(lr["df"], 3);
    let levels: Vec<&str> = r["subgroups"][1]["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .map(|l| l["level"].as_str().expect("level"))
        .collect();
    assert_eq!(levels, ["< 60", "≥ 60"]);
    assert!(r["method"]
        .as_str()
        .expect("method")
        .contains("1 prespecified, the others exploratory"));
    let (ok, svg, err) = run(&[
        &base[..],
        &[
            "--format",
            "svg",
            "--figure",
            "forest-subgroups",
            "--subgroups",
            "celltype",
        ],
    ]
    .concat());
    assert!(ok, "{err}");
    assert!(
        svg.contains("All patients")
            && svg.contains("interaction P = .04")
            && svg.contains("squamous (18/20 vs 13/15)")
            && svg.contains("Counts are events/patients, 2 vs 1.")
    );
    // With the primary analysis stratified (by prior therapy), the subgroup models carry
    // the strata unless told otherwise, and the methods say which (subgroup.R's
    // veteran_celltype_strata: the stratified models).
    let stratified = |mode: &str| {
        let (ok, out, err) = run(&[
            &base[..],
            &[
                "--format",
                "subgroups",
                "--subgroups",
                "celltype",
                "--strata",
                "prior",
                "--subgroup-strata",
                mode,
            ],
        ]
        .concat());
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).expect("json")
    };
    let with = stratified("primary");
    assert_eq!(with["stratified_by"], "prior");
    assert!(with["method"]
        .as_str()
        .expect("method")
        .contains("stratified by prior as the primary analysis"));
    let f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{ROOT}/tests/fixtures/subgroup/veteran_celltype_strata.json"
        ))
        .expect("fixture"),
    )
    .expect("json");
    let lr = with["subgroups"][0]["interaction"]["likelihood_ratio"]["chisq"]
        .as_f64()
        .expect("LR");
    let want = f["interaction"]["lr"].as_f64().expect("R LR");
    assert!((lr - want).abs() < 1e-8 * want, "{lr} vs R {want}");
    let without = stratified("none");
    assert!(without["stratified_by"].is_null());
    assert!(without["method"]
        .as_str()
        .expect("method")
        .contains("without the primary analysis's strata (prior)"));
    let (ok, _, err) = run(&[&base[..], &["--format", "subgroups"]].concat());
    assert!(
        !ok && err.contains("name the subgroup columns with --subgroups"),
        "{err}"
    );
    let (ok, _, err) = run(&[
        &base[..],
        &["--format", "subgroups", "--subgroups", "nosuch"],
    ]
    .concat());
    assert!(
        !ok && err.contains("the subgroup column \"nosuch\" is not in the table"),
        "{err}"
    );
}

/// Runs the binary with `stdin` on standard input: (exit code, stdout, stderr).
fn run_piped(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the survcalc binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("survcalc finishes");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The CLI in a pipeline: standard input, JSON Lines per endpoint, exit codes 0/1/2,
/// remarks on standard error that `--quiet` silences, `--version` with the reference
/// software, completions.
#[test]
fn pipelines() {
    let example = survcalc_core::example::example_csv();
    // JSON Lines: OS and PFS of the example, each the same report as `--format json`.
    let (code, out, err) = run_piped(&["analyze", "-", "--format", "jsonl"], example.as_bytes());
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["endpoint"].as_str())
        .collect();
    assert_eq!(names, ["OS", "PFS"]);
    assert_eq!(lines[1]["columns"]["time"], "pfs_months");
    for args in [
        vec!["analyze", "-", "--format", "json"],
        vec![
            "analyze",
            "-",
            "--format",
            "json",
            "--time",
            "pfs_months",
            "--event",
            "pfs_event",
        ],
    ] {
        let (code, json, _) = run_piped(&args, example.as_bytes());
        assert_eq!(code, 0);
        let whole: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let k = usize::from(args.len() > 4);
        assert_eq!(
            lines[k]["report"], whole,
            "line {k} = --format json of that endpoint"
        );
    }
    // A row left out: named on stderr, not in the output; --quiet hides it.
    let bad = "time,status,arm\n1,1,A\n2,x,B\n3,0,A\n4,1,B\n5,1,A\n6,0,B\n";
    let (code, out, err) = run_piped(&["analyze", "-", "--format", "json"], bad.as_bytes());
    assert_eq!(code, 0);
    assert!(err.contains("1 of 6 rows left out"), "{err}");
    assert!(
        err.contains("line 3, column \"status\", value \"x\""),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_str(&out).expect("stdout is only JSON");
    assert_eq!(report["n_used"], 5);
    let (code, _, err) = run_piped(
        &["--quiet", "analyze", "-", "--format", "json"],
        bad.as_bytes(),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    let (code, _, err) = run_piped(&["analyze", "-", "-q", "--format", "csv"], bad.as_bytes());
    assert_eq!((code, err.as_str()), (0, ""));
    // Exit codes: 1 for input that cannot be analysed, 2 for usage.
    let (code, _, err) = run_piped(&["analyze", "-"], b"x,y\nfoo,bar\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with("survcalc: "), "{err}");
    let (code, _, err) = run_piped(&["analyze", "-", "--conf-level", "95"], example.as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--conf-level 95"), "{err}");
    let (code, _, _) = run_piped(&["analyze", "-", "--no-such-option"], b"");
    assert_eq!(code, 2);
    let (code, _, err) = run_piped(&["design", "survival", "--hr", "0.7"], b"");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--control-median"), "{err}");
    let (code, _, _) = run_piped(&["analyze", "/no/such/file.csv"], b"");
    assert_eq!(code, 1);
    // --version names the reference software of the fixtures.
    let (code, out, _) = run_piped(&["--version"], b"");
    assert_eq!(code, 0);
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    assert!(out.contains(survcalc_core::REFERENCE_SOFTWARE), "{out}");
    // Completions for the shells clap knows, naming the subcommands.
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run_piped(&["completions", shell], b"");
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            out.contains("analyze") && out.contains("reconstruct"),
            "{shell}"
        );
    }
}

/// The numbers an R script printed: `[survcalc] endpoint | quantity | arm = value`.
fn r_printed(out: &str) -> Vec<(String, Option<f64>)> {
    out.lines()
        .filter_map(|l| l.strip_prefix("[survcalc] "))
        .filter_map(|l| l.rsplit_once(" = "))
        .map(|(k, v)| (k.to_string(), v.trim().parse::<f64>().ok()))
        .collect()
}

/// What survcalc's report says for one printed label, and the tolerance it must meet
/// (KM, log-rank, RMST 1e-10; Cox and cox.zph 1e-8).
fn report_value(lines: &[serde_json::Value], label: &str) -> Option<(Option<f64>, f64)> {
    let parts: Vec<&str> = label.split(" | ").collect();
    let [endpoint, quantity, arm] = parts[..] else {
        return None;
    };
    if endpoint == "Response" || endpoint == "AE" {
        let b = lines.iter().find(|l| l["endpoint"] == endpoint)?;
        let v = |x: &serde_json::Value| x.as_f64();
        if endpoint == "AE" {
            let row = b["rows"].as_array()?.iter().find(|r| r["term"] == arm)?;
            return Some((v(&row["p_value"]), 1e-10));
        }
        let i = b["groups"].as_array()?.iter().position(|g| g == arm)?;
        let p = &b["arms"][i]["proportion"];
        return Some(match quantity {
            "proportion" => (v(&p["estimate"]), 1e-10),
            "exact lower" => (v(&p["clopper_pearson"]["lower"]), 1e-10),
            "exact upper" => (v(&p["clopper_pearson"]["upper"]), 1e-10),
            "Fisher P" => (v(&b["comparisons"][i - 1]["fisher"]["p_value"]), 1e-10),
            "Fisher OR" => (v(&b["comparisons"][i - 1]["fisher"]["estimate"]), 1e-8),
            _ => return None,
        });
    }
    let r = &lines.iter().find(|l| l["endpoint"] == endpoint)?["report"];
    let groups: Vec<&str> = r["groups"]
        .as_array()?
        .iter()
        .filter_map(|g| g.as_str())
        .collect();
    let i = groups.iter().position(|g| *g == arm);
    let s = i.map(|i| &r["summaries"][i]);
    let v = |x: &serde_json::Value| x.as_f64();
    let km = 1e-10;
    Some(match quantity {
        "n" => (v(&s?["n"]), km),
        "events" => (v(&s?["events"]), km),
        "median" => (v(&s?["median"]["estimate"]), km),
        "median lower" => (v(&s?["median"]["lower"]), km),
        "median upper" => (v(&s?["median"]["upper"]), km),
        "RMST" => (v(&r["rmst"]["groups"][i?]["estimate"]), km),
        "log-rank chi-square" => (v(&r["log_rank"]["chisq"]), km),
        "log-rank P" => (v(&r["log_rank"]["p_value"]), km),
        "HR" => (v(&r["cox"]["terms"][i? - 1]["hr"]), 1e-8),
        "HR lower" => (v(&r["cox"]["terms"][i? - 1]["hr_lower"]), 1e-8),
        "HR upper" => (v(&r["cox"]["terms"][i? - 1]["hr_upper"]), 1e-8),
        "HR P (Wald)" => (v(&r["cox"]["terms"][i? - 1]["p_value"]), 1e-8),
        "PH test P" => (v(&r["ph_test"]["global"]["p_value"]), 1e-8),
        "stratified log-rank chi-square" => (v(&r["stratified_log_rank"]["chisq"]), km),
        "adjusted HR" => {
            let c = r["cox_adjusted"]["coefficients"].as_array()?;
            let term = c.iter().find(|c| c["name"] == arm)?;
            (v(&term["hr"]), 1e-8)
        }
        q if q.starts_with("survival at ") => {
            let t: f64 = q.trim_start_matches("survival at ").parse().ok()?;
            let rows = r["landmarks"][i?]["rows"].as_array()?;
            let row = rows.iter().find(|x| x["time"].as_f64() == Some(t))?;
            (v(&row["surv"]), km)
        }
        _ => return None,
    })
}

/// "Reproduce in R": the script `--format r` writes equals the committed one for the
/// example (no R needed), and where R is installed it runs on the example, on veteran
/// (with landmarks, strata and a covariate) and on realistic exports — ADaM ADTTE (a
/// PARAMCD filter), dates day first, Windows-1252, semicolons and decimal commas, UTF-16
/// with a byte-order mark, a workbook (with readxl) — and prints every number as the
/// report has it.
#[test]
fn r_script_reproduces_the_report() {
    let dir = std::env::temp_dir().join(format!("survcalc-rscript-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let example = survcalc_core::example::example_csv();
    let veteran = std::fs::read(format!("{ROOT}/tests/fixtures/veteran.csv")).expect("veteran.csv");
    let (has_r, has_readxl) = (r_has("survival"), r_has("readxl"));
    let corpus = |f: &str| std::fs::read(format!("{ROOT}/tests/corpus/{f}")).expect("corpus file");
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("example.csv", example.into_bytes(), &[]),
        (
            "veteran.csv",
            veteran,
            &[
                "--landmarks",
                "90,180",
                "--strata",
                "celltype",
                "--covariates",
                "karno",
            ],
        ),
        (
            "adtte.csv",
            corpus("adtte.csv"),
            &["--filter", "PARAMCD=OS"],
        ),
        ("dates_dmy.csv", corpus("dates_dmy.csv"), &[]),
        ("latin1.csv", corpus("latin1.csv"), &[]),
        (
            "lung_csv2.csv",
            corpus("lung_csv2.csv"),
            &["--unit", "months"],
        ),
        ("veteran_utf16.txt", corpus("veteran_utf16.txt"), &[]),
        ("trial.xlsx", corpus("trial.xlsx"), &[]),
        (
            "life_table.csv",
            b"time,arm,deaths,lost\n1,A,2,0\n2,A,1,1\n3,B,0,2\n4,B,3,0\n5,A,0,1\n6,B,1,1\n"
                .to_vec(),
            &[
                "--time",
                "time",
                "--group",
                "arm",
                "--events-count",
                "deaths",
                "--censored-count",
                "lost",
            ],
        ),
    ];
    for (name, bytes, extra) in cases {
        let data = dir.join(name);
        std::fs::write(&data, &bytes).expect("write data");
        let path = data.to_str().expect("utf8 path");
        let mut args = vec!["analyze", path, "--format", "r"];
        args.extend_from_slice(extra);
        let (ok, script, err) = run(&args);
        assert!(ok, "{name}: {err}");
        assert!(
            script.contains(&format!("file <- \"{name}\"")),
            "reads the file by name"
        );
        if name == "example.csv" {
            assert_committed(&script, "example-survcalc.R");
        }
        if !has_r || (name.ends_with(".xlsx") && !has_readxl) {
            eprintln!(
                "R with survival (readxl for workbooks) not installed: {name}'s script not run"
            );
            continue;
        }
        let stdout = run_r_script(&dir, &survcalc_core::rscript::script_name(name), &script);
        let mut jargs = vec!["analyze", path, "--format", "jsonl", "-q"];
        jargs.extend_from_slice(extra);
        let (_, jsonl, _) = run(&jargs);
        let mut lines: Vec<serde_json::Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        // The response and adverse-event analyses the report makes by default (the
        // columns found by name, grades 3–4), from their own commands.
        let t = survcalc_core::Table::from_bytes(&bytes, &Default::default()).expect("table");
        let group = survcalc_core::mapping::guess(&t).group;
        if let (Some(o), Some(g)) = (
            survcalc_core::response::guess_response_column(&t.columns),
            group.as_deref(),
        ) {
            let (ok, json, _) = run(&["response", path, "--outcome", &o, "--group", g]);
            if ok {
                let mut v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
                v["endpoint"] = "Response".into();
                lines.push(v);
            }
        }
        let ae_columns = survcalc_core::response::guess_ae_columns(&t.columns);
        if let (false, Some(g)) = (ae_columns.is_empty(), group.as_deref()) {
            let cols = ae_columns.join(",");
            let (ok, json, _) = run(&[
                "ae",
                path,
                "--group",
                g,
                "--columns",
                &cols,
                "--grades",
                "3-4",
            ]);
            if ok {
                let mut v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
                v["endpoint"] = "AE".into();
                lines.push(v);
            }
        }
        let printed = r_printed(&stdout);
        assert!(printed.len() >= 5, "{name}: {printed:?}");
        for (label, got) in &printed {
            let (want, tol) = report_value(&lines, label)
                .unwrap_or_else(|| panic!("{name}: the report has no \"{label}\""));
            match (got, want) {
                (Some(g), Some(w)) => {
                    assert!(
                        rel(*g, w) <= tol || g == &w,
                        "{name}: {label}: R {g}, survcalc {w}"
                    )
                }
                (None, None) => {}
                _ => panic!("{name}: {label}: R {got:?}, survcalc {want:?}"),
            }
        }
        eprintln!("{name}: {} numbers equal R's", printed.len());
    }
}

/// Under the SAS convention, `--format sas` writes the SAS program of the report (PROC
/// LIFETEST with conftype=loglog, PROC PHREG with ties=breslow, PROC FREQ exact): SAS does
/// not run here, so its text is checked against the committed one
/// (`tests/fixtures/rscript/example-survcalc.sas`; SURVCALC_BLESS=1 to accept a change).
#[test]
fn sas_program_for_the_sas_convention() {
    let path = temp_file("example.csv", survcalc_core::example::example_csv());
    let (ok, sas, err) = run(&["analyze", &path, "--convention", "sas", "--format", "sas"]);
    assert!(ok, "{err}");
    for line in [
        "infile 'example.csv' dlm=',' dsd firstobs=2",
        "proc lifetest data=work.ep1 method=km conftype=loglog alpha=0.05",
        "strata sc_arm / test=logrank;",
        "model sc_time*sc_status(0) = sc_arm / ties=breslow risklimits alpha=0.05;",
        "class sc_arm (ref='Sorafenib');",
        "exact binomial;",
        "tables sc_arm*sc_success / fisher",
    ] {
        assert!(sas.contains(line), "{line}\n{sas}");
    }
    assert_committed(&sas, "example-survcalc.sas");
    // The R convention's options are its own: R's conf.type and Efron ties.
    let (_, r_sas, _) = run(&["analyze", &path, "--format", "sas"]);
    assert!(
        r_sas.contains("conftype=log ") && r_sas.contains("ties=efron"),
        "{r_sas}"
    );
}

/// `survcalc competing --format r`: the R script (cmprsk cuminc, timepoints, crr) prints
/// the cumulative incidence at the landmarks, Gray's P and the Fine–Gray HR as survcalc
/// reports them (where R and cmprsk are installed; 1e-10, Fine–Gray 1e-8).
#[test]
fn competing_risks_r_script_equals_the_report() {
    let csv = mgus2_csv();
    let dir = std::env::temp_dir().join(format!("survcalc-cr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("mgus2.csv");
    std::fs::write(&data, csv).expect("write");
    let path = data.to_str().expect("utf8");
    let args = [
        "competing",
        path,
        "--time",
        "time",
        "--event",
        "event",
        "--group",
        "sex",
        "--at",
        "60,120",
    ];
    let (ok, script, err) = run(&[&args[..], &["--format", "r"]].concat());
    assert!(ok, "{err}");
    assert!(
        script.contains("ci <- cuminc(cr$time, cr$fstatus, cr$arm, cencode = 0, rho = 0)"),
        "{script}"
    );
    if !(r_has("survival") && r_has("cmprsk")) {
        eprintln!("R with cmprsk not installed: the script was not run");
        return;
    }
    let stdout = run_r_script(&dir, "mgus2-survcalc.R", &script);
    let (_, json, _) = run(&[&args[..], &["--format", "json"]].concat());
    let a: serde_json::Value = serde_json::from_str(&json).expect("json");
    let label_of = |code: &serde_json::Value| {
        a["causes"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| &c["code"] == code))
            .and_then(|c| c["label"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut want: Vec<(String, Option<f64>, f64)> = Vec::new();
    for l in a["landmarks"].as_array().expect("landmarks") {
        want.push((
            format!(
                "Competing | CIF at {} | {} {}",
                l["time"].as_f64().expect("t"),
                l["group"].as_str().expect("g"),
                label_of(&l["cause"])
            ),
            l["estimate"].as_f64(),
            1e-10,
        ));
    }
    for t in a["tests"].as_array().expect("tests") {
        want.push((
            format!("Competing | Gray P | {}", label_of(&t["cause"])),
            t["p_value"].as_f64(),
            1e-10,
        ));
    }
    for m in a["models"].as_array().expect("models") {
        for term in m["fine_gray"]["terms"].as_array().into_iter().flatten() {
            want.push((
                format!(
                    "Competing | subdistribution HR | {} {}",
                    label_of(&m["cause"]),
                    term["name"].as_str().expect("name")
                ),
                term["shr"].as_f64(),
                1e-8,
            ));
        }
    }
    let printed = r_printed(&stdout);
    assert_eq!(printed.len(), want.len(), "{printed:?}\n{want:?}");
    for (label, w, tol) in &want {
        let got = printed
            .iter()
            .find(|(k, _)| k == label)
            .unwrap_or_else(|| panic!("R did not print {label}"))
            .1;
        match (got, w) {
            (Some(g), Some(w)) => assert!(rel(g, *w) <= *tol, "{label}: R {g}, survcalc {w}"),
            (None, None) => {}
            _ => panic!("{label}: R {got:?}, survcalc {w:?}"),
        }
    }
}

/// R's mgus2 from the competing-risks fixture as a CSV (time, event as words, sex).
fn mgus2_csv() -> String {
    let f: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/competing/mgus2.json"
    )))
    .expect("fixture");
    let mut csv = String::from("time,event,sex\n");
    let words = ["censored", "progression", "death"];
    for ((t, c), g) in f["time"]
        .as_array()
        .expect("time")
        .iter()
        .zip(f["cause"].as_array().expect("cause"))
        .zip(f["group"].as_array().expect("group"))
    {
        let c = c.as_u64().expect("code") as usize;
        csv.push_str(&format!("{t},{},{}\n", words[c], g.as_str().expect("sex")));
    }
    csv
}

/// Whether Rscript runs and has the package `lib`.
fn r_has(lib: &str) -> bool {
    Command::new("Rscript")
        .args(["-e", &format!("library({lib})")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Writes `script` as `name` in `dir` and runs it there with Rscript; its stdout (the
/// script must succeed).
fn run_r_script(dir: &std::path::Path, name: &str, script: &str) -> String {
    std::fs::write(dir.join(name), script).expect("write script");
    let out = Command::new("Rscript")
        .arg(name)
        .current_dir(dir)
        .output()
        .expect("Rscript runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name}: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `text` equals the committed `tests/fixtures/rscript/<file>` (SURVCALC_BLESS=1 writes
/// it instead, to accept a change).
fn assert_committed(text: &str, file: &str) {
    let path = format!("{ROOT}/tests/fixtures/rscript/{file}");
    if std::env::var_os("SURVCALC_BLESS").is_some() {
        std::fs::write(&path, text).expect("bless");
    }
    let expected = std::fs::read_to_string(&path).expect("committed text");
    assert_eq!(
        text, expected,
        "{file} changed (SURVCALC_BLESS=1 to accept)"
    );
}

/// What `survcalc COMMAND FILE --format json ARGS…` prints, as JSON, and its standard
/// error; the command must succeed.
fn json_of(command: &str, file: &str, args: &[&str]) -> (serde_json::Value, String) {
    let (ok, out, err) = run(&[&[command, file, "--format", "json"][..], args].concat());
    assert!(ok, "{err}");
    (serde_json::from_str(&out).expect("JSON"), err)
}

/// `survcalc stream` on R's veteran data: the curves, medians and log-rank test equal R's
/// fixture; the same data as an aggregated table (`--count`), and read from standard
/// input, give the same JSON; a bad cell names its row and column.
#[test]
fn stream_matches_r_and_the_aggregated_table() {
    let csv = format!("{ROOT}/tests/fixtures/veteran.csv");
    let args = ["--time", "time", "--event", "status", "--group", "trt"];
    let (a, _) = json_of("stream", &csv, &args);
    let r = fixture();
    assert_eq!(a["rows"], 137);
    assert_eq!(a["left_out"], serde_json::json!([]));
    let lr = &a["log_rank"];
    let v = |x: &serde_json::Value| x.as_f64().expect("a number");
    assert!(rel(v(&lr["chisq"]), v(&r["survdiff"]["chisq"])) < 1e-10);
    assert!(rel(v(&lr["p_value"]), v(&r["survdiff"]["p"])) < 1e-10);
    for g in 0..2 {
        let (ours, theirs) = (&a["km"][g], &r["km"]["log"][g]);
        let n = theirs["surv"].as_array().expect("R's curve").len();
        assert_eq!(ours["surv"].as_array().expect("curve").len(), n);
        for i in 0..n {
            let (s, rs) = (v(&ours["surv"][i]), v(&theirs["surv"][i]));
            assert!(
                s == rs || rel(s, rs) < 1e-10,
                "group {g} row {i}: {s} vs {rs}"
            );
            assert_eq!(ours["n_risk"][i], theirs["n_risk"][i]);
            if let Some(se) = theirs["std_err"][i].as_f64() {
                assert!(
                    rel(v(&ours["se_log_surv"][i]), se) < 1e-10,
                    "group {g} row {i}"
                );
            }
        }
        for key in ["estimate", "lower", "upper"] {
            assert_eq!(
                a["medians"][g]["median"][key].as_f64(),
                r["median"]["log"][g][key].as_f64(),
                "median {key} of group {g}"
            );
        }
    }

    let coef = v(&a["cox"]["terms"][0]["coef"]);
    assert!(
        rel(coef, v(&r["coxph"]["efron"]["coef"][0])) < 1e-8,
        "{coef}"
    );
    assert_eq!(a["cox"]["concordance"], serde_json::Value::Null);

    // The same patients as SQL's GROUP BY would give them, semicolon-delimited.
    let text = std::fs::read_to_string(&csv).expect("veteran");
    let mut counts: std::collections::BTreeMap<(String, String, String), u32> =
        std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *counts
            .entry((f[0].into(), f[2].into(), f[3].into()))
            .or_default() += 1;
    }
    let mut agg = String::from("trt;time;status;n\n");
    for ((g, t, s), n) in &counts {
        agg.push_str(&format!("{g};{t};{s};{n}\n"));
    }
    let agg_file = temp_file("veteran-aggregated.csv", &agg);
    let (ok, out_agg, err) = run(&[
        &["stream", &agg_file, "--format", "json", "--count", "n"][..],
        &args,
    ]
    .concat());
    assert!(ok, "{err}");
    let b: serde_json::Value = serde_json::from_str(&out_agg).expect("JSON");
    assert_eq!(a["km"], b["km"]);
    assert_eq!(a["log_rank"], b["log_rank"]);
    assert_eq!(a["cox"], b["cox"]);
    assert_eq!(b["rows"], counts.len());

    // Standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args([&["stream", "-", "--format", "json"][..], &args].concat())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(text.as_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("finishes");
    assert!(out.status.success());
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(a["km"], c["km"]);

    // A bad cell, a missing one, and the text report.
    let bad = temp_file("stream-bad.csv", "t,e,arm\n1,1,A\n2,dead,B\n");
    let (ok, _, err) = run(&[
        "stream", &bad, "--time", "t", "--event", "e", "--group", "arm",
    ]);
    assert!(!ok);
    assert!(err.contains("row 3, column \"e\": \"dead\""), "{err}");
    let gap = temp_file("stream-gap.csv", "t,e,arm\n1,1,A\n,1,B\n3,0,B\n4,1,A\n");
    let (ok, out, err) = run(&[
        "stream", &gap, "--time", "t", "--event", "e", "--group", "arm",
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("1 rows left out: missing time (the first at row 3"),
        "{err}"
    );
    assert!(out.contains("Log-rank test (R survdiff, rho = 0)"), "{out}");
    assert!(out.contains("4 rows read"), "{out}");
    assert!(
        out.contains("Cox model on the arm (R coxph, efron ties"),
        "{out}"
    );
}

/// `survcalc stream` gives median follow-up (reverse Kaplan–Meier), the RMST, the weighted
/// tests and MaxCombo from the counts as R (or `analyze`) gives them from the rows: R's lung data by sex, against the fixture of
/// `tests/r/km_extras.R` (print.survfit of the reverse curve; survRM2 rmst2 at its default
/// τ and at τ = 730); a τ beyond the follow-up is refused with survRM2's reason.
#[test]
fn stream_gives_follow_up_rmst_and_tests_as_the_rows() {
    let csv = format!("{ROOT}/tests/fixtures/lung.csv");
    let text = std::fs::read_to_string(format!("{ROOT}/tests/fixtures/km_extras/lung.json"))
        .expect("fixture");
    let r: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let v = |x: &serde_json::Value| x.as_f64().expect("a number");
    let args = ["--time", "time", "--event", "dead", "--group", "sex"];
    let fu_r = &r["followup"]["log"];
    for (case, tau) in [(0usize, None), (1, Some("730"))] {
        let mut call = [&["stream", &csv, "--format", "json"][..], &args].concat();
        if let Some(t) = tau {
            call.extend(["--tau", t]);
        }
        let (ok, out, err) = run(&call);
        assert!(ok, "{err}");
        let a: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(a["rows"], 228);
        // Median follow-up: overall, then each arm, as R prints them (NA is null).
        let ours = &a["follow_up"];
        for (o, t) in [(&ours["overall"], &fu_r["overall"])].into_iter().chain(
            ours["groups"]
                .as_array()
                .expect("arms")
                .iter()
                .zip(fu_r["groups"].as_array().expect("R's arms")),
        ) {
            assert_eq!(o["n"], t["n"]);
            assert_eq!(o["censored"], t["events"]);
            for (k, rk) in [
                ("estimate", "median"),
                ("lower", "lower"),
                ("upper", "upper"),
            ] {
                assert_eq!(
                    o["median"][k].as_f64(),
                    t[rk].as_f64(),
                    "{} {k}",
                    t["group"]
                );
            }
        }
        assert_eq!(ours["overall"]["median"]["estimate"], 588.0);
        // RMST of each arm and the difference 2 − 1, to 1e-10.
        let rc = &r["rmst"]["comparisons"][0]["cases"][case];
        let rm = &a["rmst"];
        assert_eq!(v(&rm["tau"]), v(&rc["tau"]));
        for (g, arm) in [(0, "arm0"), (1, "arm1")] {
            for (k, rk) in [("estimate", "rmst"), ("se", "se"), ("lower", "lower")] {
                let (x, y) = (v(&rm["groups"][g][k]), v(&rc[arm][rk]));
                assert!(rel(x, y) < 1e-10, "tau {tau:?}, {arm} {k}: {x} vs {y}");
            }
        }
        let d = &a["rmst_comparisons"][0];
        assert_eq!(d["arm1"]["group"], "2");
        for (x, y) in [
            (&d["difference"]["estimate"], &rc["difference"]["estimate"]),
            (&d["difference"]["upper"], &rc["difference"]["upper"]),
            (&d["difference"]["p_value"], &rc["difference"]["p"]),
            (&d["ratio"]["estimate"], &rc["ratio"]["estimate"]),
        ] {
            assert!(rel(v(x), v(y)) < 1e-10, "tau {tau:?}: {x} vs {y}");
        }
        assert!(a["methods"]["rmst"]
            .as_str()
            .is_some_and(|m| m.contains("survRM2")));
    }
    // The weighted tests and MaxCombo from the counts are those of `analyze` on the rows,
    // every digit.
    let (a, _) = json_of("stream", &csv, &args);
    let (rows, _) = json_of("analyze", &csv, &args);
    assert_eq!(a["tests"].as_array().map(Vec::len), Some(6));
    assert_eq!(a["tests"], rows["tests"]);
    assert!(a["max_combo"]["p_value"].as_f64().is_some_and(|p| p > 0.0));
    assert_eq!(a["max_combo"], rows["max_combo"]);
    let (ok, out, _) = run(&[&["stream", &csv][..], &args].concat());
    assert!(ok);
    assert!(
        out.contains("Median follow-up (reverse Kaplan–Meier"),
        "{out}"
    );
    assert!(out.contains("tests of the curves:"), "{out}");
    assert!(out.contains("MaxCombo test"), "{out}");
    assert!(out.contains("overall"), "{out}");
    assert!(out.contains("RMST to tau = 965 (survRM2):"), "{out}");
    let (ok, _, err) = run(&[&["stream", &csv, "--tau", "5000"][..], &args].concat());
    assert!(!ok);
    assert!(
        err.contains("--tau: the truncation time tau = 5000"),
        "{err}"
    );
    assert!(err.contains("choose tau ≤ 965"), "{err}");
}

/// `survcalc stream` treats near-tied times as tied, as R (and `analyze`) do: 10/3 and
/// (1/3)·10 are one time; `--timefix off` keeps them apart.
/// A curve that ends on a plateau at exactly 0.5: R `print.survfit` (and `analyze`'s
/// headline) gives the plateau's first time, `quantile.survfit` the midpoint to the
/// last time. The stream gives what `analyze` gives.
#[test]
fn stream_median_is_print_survfit_as_analyze() {
    let csv = temp_file(
        "stream-plateau.csv",
        "t,e,arm\n1,1,A\n2,0,A\n1,1,B\n3,1,B\n4,0,B\n",
    );
    let args = ["--time", "t", "--event", "e", "--group", "arm"];
    let (a, _) = json_of("stream", &csv, &args);
    let (rows, _) = json_of("analyze", &csv, &args);
    // Arm A: S = 0.5 from t = 1 to its last time, 2 (quantile.survfit would say 1.5).
    assert_eq!(a["medians"][0]["median"]["estimate"], 1.0);
    for g in 0..2 {
        assert_eq!(
            a["medians"][g]["median"], rows["summaries"][g]["median"],
            "arm {g}"
        );
    }
}

#[test]
fn stream_merges_near_tied_times_as_r() {
    let csv = temp_file(
        "stream-near-ties.csv",
        "t,e,arm\n3.3333333333333335,1,A\n3.333333333333333,1,B\n3.333333333333333,0,A\n\
         5,1,A\n7,0,B\n2,1,B\n3.3333333333333335,1,B\n9,1,A\n",
    );
    let args = ["--time", "t", "--event", "e", "--group", "arm"];
    let (a, err) = json_of("stream", &csv, &args);
    assert!(
        err.contains("2 observation(s) with a time within √ε"),
        "{err}"
    );
    assert_eq!(a["timefix"]["merged_observations"], 2);
    let (rows, _) = json_of("analyze", &csv, &args);
    for g in 0..2 {
        for k in ["time", "n_risk", "n_event", "surv", "upper"] {
            assert_eq!(a["km"][g][k], rows["curves"][g][k], "arm {g}, {k}");
        }
    }
    assert_eq!(
        a["km"][0]["time"],
        serde_json::json!([3.333333333333333, 5.0, 9.0])
    );
    assert!(a["log_rank"]["chisq"].as_f64().is_some_and(|x| x > 0.0));
    assert_eq!(a["log_rank"]["chisq"], rows["log_rank"]["chisq"]);
    let (ok, out, err) = run(&[
        &["stream", &csv, "--format", "json", "--timefix", "off"][..],
        &args,
    ]
    .concat());
    assert!(ok, "{err}");
    assert!(!err.contains("√ε"), "{err}");
    let off: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(off["timefix"]["merged_observations"], 0);
    assert_eq!(off["km"][0]["time"].as_array().map(Vec::len), Some(4));
}
