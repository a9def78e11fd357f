//! What a paper copies: the journal sentences and the summary table are R's numbers
//! (tests/fixtures/veteran.json, R's veteran data) rounded as a journal prints them; the
//! CSV exports read back to R's numbers at the KM tolerance.

use crate::util::{array, field, load, opt_num, rel};
use survcalc_core::mapping::guess;
use survcalc_core::report::{
    km_table_csv, results_csv, sentences, summary_table, tsv, CiStyle, PStyle, TextStyle,
};
use survcalc_core::{analyze, AnalysisOptions, Table};

const KM_REL: f64 = 1e-10;

fn veteran() -> survcalc_core::Analysis {
    let t = Table::parse(fixture_text!("veteran.csv")).expect("veteran.csv is a table");
    let mut m = guess(&t);
    m.time = "time".into();
    m.event = "status".into();
    m.group = Some("trt".into());
    let options = AnalysisOptions {
        landmarks: vec![90.0],
        ..AnalysisOptions::default()
    };
    analyze(&t, &m, &options).expect("veteran analyses")
}

fn r_num(v: &serde_json::Value, key: &str) -> f64 {
    opt_num(field(v, key), key).expect("a number")
}

#[test]
fn sentence_is_r_numbers_in_journal_style() {
    let fx = load(fixture_text!("veteran.json"));
    let med = array(field(&fx, "median"), "log");
    let cox = field(field(&fx, "coxph"), "efron");
    let coef = array(cox, "coef")[0].as_f64().expect("coef");
    let se = array(cox, "se")[0].as_f64().expect("se");
    let z = 1.959963984540054;
    let p = r_num(field(&fx, "survdiff"), "p");
    // Group 2 (compared) first, then the reference group 1.
    let expected = format!(
        "The median OS was {:.1} (95% CI: {:.1}, {:.1}) with 2 and {:.1} (95% CI: {:.1}, {:.1}) with 1 (HR = {:.2}; 95% CI: {:.2}, {:.2}; P = .{:02.0}).",
        r_num(&med[1], "estimate"),
        r_num(&med[1], "lower"),
        r_num(&med[1], "upper"),
        r_num(&med[0], "estimate"),
        r_num(&med[0], "lower"),
        r_num(&med[0], "upper"),
        coef.exp(),
        (coef - z * se).exp(),
        (coef + z * se).exp(),
        (p * 100.0).round(),
    );
    let a = veteran();
    let s = sentences(&a, "OS", TextStyle::default());
    assert_eq!(s[0], expected);
    assert_eq!(
        s[0],
        "The median OS was 52.5 (95% CI: 44.0, 95.0) with 2 and 103.0 (95% CI: 59.0, 132.0) with 1 (HR = 1.02; 95% CI: 0.71, 1.45; P = .93)."
    );
    // Landmark sentence: survival at 90 as percentages.
    assert!(s[1].starts_with("The OS rate at time 90 was "), "{}", s[1]);
    let other = sentences(
        &a,
        "OS",
        TextStyle {
            p: PStyle::LeadingZero,
            ci: CiStyle::To,
        },
    );
    assert!(
        other[0].ends_with("(HR = 1.02; 95% CI, 0.71 to 1.45; P = 0.93)."),
        "{}",
        other[0]
    );
    let lancet = sentences(
        &a,
        "OS",
        TextStyle {
            p: PStyle::Journal,
            ci: CiStyle::Dash,
        },
    );
    assert!(
        lancet[0].contains("52.5 (95% CI 44.0\u{2013}95.0)"),
        "{}",
        lancet[0]
    );
}

#[test]
fn summary_table_rows_and_tsv() {
    let a = veteran();
    let rows = summary_table(&a, TextStyle::default());
    let tau = a.rmst.as_ref().map(|r| r.tau).expect("RMST by default");
    assert_eq!(
        rows[0],
        vec![
            "Group".to_string(),
            "n".into(),
            "Events".into(),
            "Median (95% CI)".into(),
            "Survival at 90 (95% CI)".into(),
            format!("RMST to {tau} (95% CI)"),
            "HR (95% CI)".into(),
            // Issue 10: the P next to the Cox HR says which test made it.
            "P (log-rank)".into(),
        ]
    );
    assert_eq!(rows[1][6..], ["1 (reference)", ""]);
    assert_eq!(rows[2][6..], ["1.02 (95% CI: 0.71, 1.45)", ".93"]);
    assert_eq!(
        rows[1][..4],
        ["1", "69", "64", "103.0 (95% CI: 59.0, 132.0)"]
    );
    assert_eq!(rows[2][..4], ["2", "68", "64", "52.5 (95% CI: 44.0, 95.0)"]);
    let text = tsv(&rows);
    assert_eq!(text.lines().count(), 3);
    assert!(text
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("1\t69\t64\t103.0")));
}

#[test]
fn km_csv_reads_back_to_r() {
    let fx = load(fixture_text!("veteran.json"));
    let km = array(field(&fx, "km"), "log");
    let a = veteran();
    let csv = km_table_csv(&a);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let head = rdr.headers().expect("header").clone();
    assert_eq!(head.get(7), Some("lower 95% CI (log)"));
    let recs: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("record")).collect();
    let mut k = 0;
    for g in km {
        let group = field(g, "group").as_str().expect("group");
        for (j, t) in array(g, "time").iter().enumerate() {
            let r = &recs[k];
            k += 1;
            assert_eq!(r.get(0), Some(group));
            let num = |i: usize| r.get(i).and_then(|s| s.parse::<f64>().ok());
            assert_eq!(num(1), t.as_f64());
            assert_eq!(num(2), array(g, "n_risk")[j].as_f64());
            // R's fit$std.err is the SE of log S; the table's (summary's) is S × that.
            let surv = opt_num(&array(g, "surv")[j], "surv");
            for (col, key) in [(5, "surv"), (6, "std_err"), (7, "lower"), (8, "upper")] {
                let mut want = opt_num(&array(g, key)[j], key);
                if key == "std_err" {
                    want = want.zip(surv).map(|(se, s)| se * s);
                }
                match (num(col), want) {
                    (Some(x), Some(w)) => assert!(rel(x, w) <= KM_REL, "{key} {x} vs {w}"),
                    (x, w) => assert_eq!(x, w, "{key} at {t}"),
                }
            }
        }
    }
    assert_eq!(k, recs.len());
}

#[test]
fn results_csv_has_every_number_with_its_method() {
    let a = veteran();
    let csv = results_csv(&a);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let recs: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("record")).collect();
    let find = |q: &str, g: &str| {
        recs.iter()
            .find(|r| r.get(0) == Some(q) && r.get(1) == Some(g))
            .cloned()
            .unwrap_or_else(|| panic!("no row {q} / {g}"))
    };
    assert_eq!(find("median", "2").get(2), Some("52.5"));
    assert!(find("median", "2")
        .get(7)
        .is_some_and(|m| m.contains("Brookmeyer")));
    let hr = find("hazard ratio vs 1", "2");
    let hr_value: f64 = hr.get(2).and_then(|s| s.parse().ok()).expect("HR");
    let fx = load(fixture_text!("veteran.json"));
    let coef = array(field(field(&fx, "coxph"), "efron"), "coef")[0]
        .as_f64()
        .expect("coef");
    assert!(rel(hr_value, coef.exp()) <= 1e-8);
    let test = find("test of the curves", "");
    let p: f64 = test.get(6).and_then(|s| s.parse().ok()).expect("P");
    assert!(rel(p, r_num(field(&fx, "survdiff"), "p")) <= KM_REL);
}

#[test]
fn methods_paragraph_names_every_method_used() {
    use survcalc_core::report::methods_paragraph;
    let a = veteran();
    let m = methods_paragraph(&a);
    for phrase in [
        "Kaplan–Meier method, with 95% pointwise confidence intervals from Greenwood's variance on the log scale",
        "Brookmeyer and Crowley",
        "reverse Kaplan–Meier",
        "compared with the log-rank test",
        "Cox proportional-hazards model (Efron method for tied event times; Wald confidence intervals), with 1 as the reference group",
        "scaled Schoenfeld residuals",
        "Survival at 90 was read",
        "Restricted mean survival time up to",
        "P values are two-sided",
    ] {
        assert!(m.contains(phrase), "missing \"{phrase}\" in: {m}");
    }
    // Another convention changes the words with the methods.
    let t = Table::parse(fixture_text!("veteran.csv")).expect("table");
    let mut map = guess(&t);
    map.time = "time".into();
    map.event = "status".into();
    map.group = Some("trt".into());
    let sas = AnalysisOptions::for_convention(survcalc_core::Convention::Sas);
    let b = analyze(&t, &map, &sas).expect("analyses");
    let m = methods_paragraph(&b);
    assert!(m.contains("complementary log–log"), "{m}");
    assert!(m.contains("Breslow method"), "{m}");
}

/// Issue 12: arm labels beginning with = + - @ were written as they are into the results
/// and KM-table CSVs; Excel would run them as formulas.
#[test]
fn regression_exports_carry_no_formula_cells() {
    use survcalc_core::report::{km_table_csv, results_csv};
    let csv = "t,s,arm\n1,1,=HYPERLINK(\"http://x\";\"click\")\n2,0,=HYPERLINK(\"http://x\";\"click\")\n3,1,+cmd|' /C calc'!A0\n4,1,+cmd|' /C calc'!A0\n5,1,@SUM(A1)\n6,0,-Drug\n";
    let t = survcalc_core::Table::parse(csv).expect("table");
    let m = survcalc_core::Mapping {
        time: "t".into(),
        event: "s".into(),
        group: Some("arm".into()),
        ..survcalc_core::Mapping::default()
    };
    let a = analyze(&t, &m, &survcalc_core::AnalysisOptions::default()).expect("analysis");
    for text in [results_csv(&a), km_table_csv(&a)] {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let mut cells = 0;
        for row in r.records() {
            for cell in row.expect("a CSV row").iter() {
                cells += 1;
                let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!formula, "formula cell {cell:?}");
            }
        }
        assert!(cells > 20);
        assert!(
            text.contains("'=HYPERLINK") && text.contains("'-Drug"),
            "{text}"
        );
    }
}
