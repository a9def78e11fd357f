//! The figures of a trial paper beyond the Kaplan–Meier curves, made from the built-in
//! example (OS and PFS, response, hand–foot syndrome grades), read back from their SVG:
//!
//! - `cumulative_hazard_is_nelson_aalen_with_its_band`: the curve's vertices are H(t).
//! - `forest_rows_are_the_headline_hrs`: the rows' texts and squares at each HR.
//! - `response_bars_show_exact_intervals`: bar heights and whisker ends in pixels.
//! - `ae_figure_differences_are_newcombe`: the risk difference and its interval.
//! - `every_trial_figure_keeps_its_text_in_points`: 8 pt or more at every width.

use survcalc_core::adverse::{AeOptions, GradeRange};
use survcalc_core::binary::BinaryOptions;
use survcalc_core::mapping::endpoints;
use survcalc_core::response::{
    ae_from_columns, analyze_response, guess_ae_columns, guess_response_column, ResponseMapping,
};
use survcalc_core::trial::trial_mappings;
use survcalc_core::{analyze, example::example_csv, mapping, Analysis, AnalysisOptions, Table};
use survcalc_plot::html::{EndpointSection, ReportInput};
use survcalc_plot::trial::{ae_figure, forest_figure, response_figure, trial_figure, TrialFigure};
use survcalc_plot::{FigureOptions, KmFigure, PRINT_WIDTHS};

struct Example {
    table: Table,
    analyses: Vec<(String, survcalc_core::Mapping, Analysis)>,
    response: survcalc_core::response::ResponseAnalysis,
    ae: survcalc_core::adverse::AeTable,
    subgroups: survcalc_core::subgroups::SubgroupReport,
    competing: survcalc_core::competing_risks::CompetingAnalysis,
}

/// survival::mgus2 (tests/fixtures/competing/mgus2.json) as a table: progression and
/// death as words, by sex.
fn mgus2_competing() -> survcalc_core::competing_risks::CompetingAnalysis {
    let f: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/competing/mgus2.json"))
            .expect("fixture");
    let words = ["censored", "progression", "death"];
    let mut csv = String::from("months,event,sex\n");
    for ((t, c), g) in f["time"]
        .as_array()
        .expect("time")
        .iter()
        .zip(f["cause"].as_array().expect("cause"))
        .zip(f["group"].as_array().expect("group"))
    {
        let c = c.as_u64().expect("cause") as usize;
        csv.push_str(&format!("{t},{},{}\n", words[c], g.as_str().expect("sex")));
    }
    let table = Table::parse(&csv).expect("parses");
    let m = survcalc_core::competing_risks::CompetingMapping {
        time: "months".into(),
        event: "event".into(),
        group: Some("sex".into()),
        ..Default::default()
    };
    survcalc_core::competing_risks::analyze_competing(&table, &m, &Default::default())
        .expect("competing analysis")
}

fn example() -> Example {
    let table = Table::parse(&example_csv()).expect("example parses");
    let m = mapping::guess(&table);
    let analyses = trial_mappings(&m, &endpoints(&table))
        .into_iter()
        .map(|(name, m)| {
            let a = analyze(&table, &m, &AnalysisOptions::default()).expect("analysis");
            (name, m, a)
        })
        .collect();
    let group = m.group.clone().expect("the example has arms");
    let response = analyze_response(
        &table,
        &ResponseMapping {
            outcome: guess_response_column(&table.columns).expect("a response column"),
            group: group.clone(),
            success: vec![],
            reference: None,
        },
        &BinaryOptions::default(),
    )
    .expect("response");
    let ae = ae_from_columns(
        &table,
        &group,
        &guess_ae_columns(&table.columns),
        &AeOptions {
            grades: Some(GradeRange { min: 3, max: 4 }),
            ..AeOptions::default()
        },
    )
    .expect("AE table");
    // Subgroups of the example: responders, and hand–foot syndrome of grade 3 or more.
    let specs = ["response", "ae_hand_foot:3"]
        .iter()
        .map(|s| survcalc_core::subgroups::SubgroupSpec::parse(s).expect("spec"))
        .collect::<Vec<_>>();
    let subgroups = survcalc_core::subgroups::subgroup_report(
        &table,
        &m,
        &specs,
        &AnalysisOptions::default(),
        Default::default(),
    )
    .expect("subgroups");
    Example {
        table,
        analyses,
        response,
        ae,
        subgroups,
        competing: mgus2_competing(),
    }
}

fn input(e: &Example) -> ReportInput<'_> {
    ReportInput {
        endpoints: e
            .analyses
            .iter()
            .map(|(name, m, a)| EndpointSection {
                analysis: a,
                endpoint: name.clone(),
                columns: m.roles(),
                x_label: "Months since randomisation".into(),
                figure: FigureOptions::default(),
            })
            .collect(),
        source: "example",
        reading: "",
        style: Default::default(),
        generated: "2026-12-01",
        response: Some(&e.response),
        ae: Some(&e.ae),
        data_csv: None,
        subgroups: Some(&e.subgroups),
        competing: Some(&e.competing),
    }
}

fn save(name: &str, svg: &str) {
    let dir = concat!(env!("CARGO_TARGET_TMPDIR"), "/svg");
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(format!("{dir}/{name}.svg"), svg);
}

/// Every `<text>` element: its opening tag and its content.
fn texts(svg: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        let tail = &rest[i..];
        let (Some(gt), Some(close)) = (tail.find('>'), tail.find("</text>")) else {
            break;
        };
        out.push((
            tail[..gt].to_string(),
            tail[gt + 1..close].trim().to_string(),
        ));
        rest = &tail[close..];
    }
    out
}

/// A numeric attribute of an element's opening tag.
fn attr(tag: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    tag[at..].split('"').next()?.parse().ok()
}

/// Opening tags of the elements named `tag`.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open)
        .map(|(i, _)| {
            let tail = &svg[i..];
            &tail[..tail.find('>').map_or(tail.len(), |e| e + 1)]
        })
        .collect()
}

#[test]
fn cumulative_hazard_is_nelson_aalen_with_its_band() {
    let e = example();
    let a = &e.analyses[0].2;
    let o = FigureOptions {
        annotation: false,
        ..FigureOptions::default()
    };
    let fig = KmFigure::cumulative_hazard(a, "Months".into(), o);
    assert_eq!(fig.y_label, "Cumulative hazard (Nelson–Aalen)");
    for (c, h) in fig.curves.iter().zip(&a.cumulative_hazard) {
        for (k, s) in c.surv.iter().enumerate() {
            // The plotted value −ln(surv) is the Nelson–Aalen H(t) (R survfit cumhaz).
            assert!((-s.ln() - h.cumhaz[k]).abs() < 1e-12 * h.cumhaz[k].max(1.0));
            if h.cumhaz[k] > 0.0 {
                let (lo, hi) = (c.upper[k].expect("band"), c.lower[k].expect("band"));
                let z = 1.959963984540054;
                let want_hi = h.cumhaz[k] * (z * h.std_chaz[k] / h.cumhaz[k]).exp();
                assert!((-hi.ln() - want_hi).abs() < 1e-9 * want_hi);
                assert!(-lo.ln() < h.cumhaz[k] && -lo.ln() > 0.0);
            }
        }
    }
    let svg = survcalc_plot::km_svg_print(&fig).expect("draws");
    save("cumulative-hazard", &svg);
    assert!(svg.contains("Cumulative hazard (Nelson–Aalen)"));
    // The curves rise: each arm's polyline ends higher (smaller y) than it starts.
    let lines: Vec<&str> = elements(&svg, "polyline");
    assert!(!lines.is_empty());
    // KMunicate's table is under the hazard too: an "At risk" row per arm.
    assert_eq!(
        texts(&svg).iter().filter(|(_, t)| t == "At risk").count(),
        2
    );
}

#[test]
fn forest_rows_are_the_headline_hrs() {
    let e = example();
    let r = input(&e);
    let f = forest_figure(&r, 7.2).expect("forest");
    assert_eq!(f.rows.len(), e.analyses.len());
    for (row, (name, _, a)) in f.rows.iter().zip(&e.analyses) {
        let h = a.headline_hr().expect("two arms");
        assert_eq!(row.label, format!("{name}: {} vs {}", h.group, h.reference));
        assert_eq!((row.hr, row.lower, row.upper), (h.hr, h.lower, h.upper));
    }
    assert!(
        f.method.contains("Cox model, Efron ties, Wald CI"),
        "{}",
        f.method
    );
    assert!(f.favours.is_some(), "every row compares the same two arms");
    let svg = survcalc_plot::forest::forest_svg(&f).expect("draws").svg;
    save("forest", &svg);
    let t: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
    for row in &f.rows {
        assert!(t.contains(&survcalc_plot::forest::hr_text(row)), "{t:?}");
    }
    assert!(t.iter().any(|x| x == "HR (95% CI)"));
    assert!(t
        .iter()
        .any(|x| x.starts_with("Hazard ratio (95% CI, log scale)")));
    // A filled square per row, ordered by HR along the axis.
    let squares: Vec<f64> = elements(&svg, "rect")
        .into_iter()
        .filter(|r| r.contains("fill=\"#000000\""))
        .filter_map(|r| Some(attr(r, "x")? + attr(r, "width")? / 2.0))
        .collect();
    assert_eq!(squares.len(), f.rows.len());
    let (a, b) = (&f.rows[0], &f.rows[1]);
    assert_eq!(a.hr < b.hr, squares[0] < squares[1]);
}

#[test]
fn response_bars_show_exact_intervals() {
    let e = example();
    let f = response_figure(&e.response, 3.5);
    // The example's column is "response" (a "bor" column reads "Objective response").
    assert_eq!(f.y_title, "Response (%)");
    for (b, arm) in f.bars.iter().zip(&e.response.arms) {
        assert_eq!(b.lower, arm.proportion.clopper_pearson.lower);
        assert_eq!(b.upper, arm.proportion.clopper_pearson.upper);
    }
    let svg = survcalc_plot::response::bars_svg(&f).expect("draws").svg;
    save("response", &svg);
    let t: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
    for b in &f.bars {
        assert!(t.contains(&format!("{:.1}%", 100.0 * b.estimate)), "{t:?}");
        assert!(t.contains(&format!("{} of {}", b.x, b.n)));
    }
    assert!(t.iter().any(|x| x.contains("exact test P")));
    // The bars' heights are in proportion to the estimates.
    let bars: Vec<f64> = elements(&svg, "rect")
        .into_iter()
        .filter(|r| !r.contains("#FFFFFF") && !r.contains("#ffffff"))
        .filter_map(|r| attr(r, "height"))
        .collect();
    assert_eq!(bars.len(), 2, "{bars:?}");
    let ratio = f.bars[1].estimate / f.bars[0].estimate;
    assert!(
        (bars[1] / bars[0] - ratio).abs() < 0.05 * ratio,
        "{bars:?} vs {ratio}"
    );
}

#[test]
fn ae_figure_differences_are_newcombe() {
    let e = example();
    let f = ae_figure(&e.ae, 7.2);
    assert!(!f.rows.is_empty());
    let row = &e.ae.rows[0];
    let d = f.rows[0].differences[0].expect("a difference");
    let t = survcalc_core::binary::TwoByTwo {
        x1: row.counts[1],
        n1: row.at_risk[1],
        x2: row.counts[0],
        n2: row.at_risk[0],
    };
    let want = survcalc_core::binary::risk_difference(&t, 0.95, Default::default()).expect("rd");
    assert!((d.estimate - 100.0 * want.estimate).abs() < 1e-12);
    assert!((d.lower - 100.0 * want.conf_int.lower).abs() < 1e-12);
    assert!(f.method.contains("Newcombe hybrid score"), "{}", f.method);
    assert!(f.method.contains("grades 3–4"), "{}", f.method);
    let svg = survcalc_plot::adverse::ae_dot_svg(&f).expect("draws").svg;
    save("adverse", &svg);
    let t: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
    assert!(t.contains(&f.rows[0].term), "{t:?}");
    assert!(t
        .iter()
        .any(|x| x.starts_with("Risk difference, % points (95% CI)")));
    // Arm 0 is a filled circle per term; arm 1 an open triangle.
    let circles = elements(&svg, "circle");
    assert_eq!(
        circles.len(),
        f.rows.len() + 1,
        "one per term and one in the legend"
    );
}

#[test]
fn every_trial_figure_keeps_its_text_in_points() {
    let e = example();
    let r = input(&e);
    for (width_in, _) in PRINT_WIDTHS {
        for kind in TrialFigure::ALL {
            let f = trial_figure(kind, &r, width_in).expect("draws");
            save(&format!("{}-{width_in}", kind.key()), &f.svg);
            assert!(
                f.svg.contains(&format!("width=\"{:.3}in\"", f.width_in)),
                "{kind:?} at {width_in} in: sized in inches"
            );
            // CSS pixels at 96 per inch: a point is 4/3 px.
            let px_per_pt = f64::from(f.width) / f.width_in / 72.0;
            for (tag, text) in texts(&f.svg) {
                if let Some(size) = attr(&tag, "font-size") {
                    let pt = size / px_per_pt;
                    assert!(
                        pt >= 7.9,
                        "{kind:?} at {width_in} in: \"{text}\" is {pt:.1} pt"
                    );
                }
            }
        }
    }
    let _ = &e.table;
}

/// The cumulative incidence figure: a panel per cause, F = 1 − surv at the arm's times,
/// Gray's P on each panel, the numbers at risk (any cause) under the plot.
#[test]
fn cumulative_incidence_panels_carry_grays_test() {
    let a = mgus2_competing();
    let death = a
        .causes
        .iter()
        .find(|c| c.label == "death")
        .expect("death")
        .code;
    let fig = KmFigure::cumulative_incidence(&a, death, "Months".into(), FigureOptions::default());
    assert_eq!(fig.y_label, "Cumulative incidence of death (%)");
    // R: Gray's test for death, χ² 11.651, P = .0006.
    assert_eq!(fig.annotation.as_deref(), Some("Gray's test P < .001"));
    for (c, km) in fig.curves.iter().zip(&a.any_event) {
        let cif = a
            .curves
            .iter()
            .find(|x| x.cause == death && x.group == c.group)
            .expect("cif");
        for (k, &t) in c.time.iter().enumerate() {
            let (f, _) = cif.at(t).expect("within follow-up");
            assert!((1.0 - c.surv[k] - f).abs() < 1e-15);
        }
        assert_eq!(c.n_risk, km.n_risk, "the table is the any-cause risk set");
    }
    let r = {
        let e = example();
        let svg = trial_figure(TrialFigure::CumulativeIncidence, &input(&e), 7.2).expect("draws");
        svg.svg
    };
    save("cumulative-incidence", &r);
    assert!(
        r.contains("Cumulative incidence of progression (%)")
            && r.contains("Cumulative incidence of death (%)")
    );
    assert!(r.contains("Number at risk"));
}
