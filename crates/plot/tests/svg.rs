//! SVG tests of the Kaplan–Meier figure: its structure, read back from the SVG text.
//!
//! - `one_polyline_per_group_in_group_colour`: one step curve per group.
//! - `censor_marks_at_censored_times`: a mark per censored time, where the curve is.
//! - `numbers_at_risk_equal_the_curves`: the table under the axis shows at_risk(t).
//! - `text_is_escaped`: a group label cannot inject markup into the SVG.

use survcalc_core::{example::example_csv, kaplan_meier, mapping, KmOptions, Table};
use survcalc_plot::{group_color, km_svg, nice_ticks, step_points, KmFigure};

fn example_curves() -> Vec<survcalc_core::KmCurve> {
    let table = Table::parse(&example_csv()).expect("example parses");
    let m = mapping::guess(&table);
    let p = mapping::prepare(&table, &m).expect("example maps");
    kaplan_meier(&p.data, &KmOptions::default())
}

fn figure(curves: &[survcalc_core::KmCurve]) -> String {
    let fig = KmFigure {
        curves,
        x_label: "Time (months)".into(),
        y_label: "Overall survival".into(),
        annotation: Some("HR 0.28".into()),
        ticks: vec![],
    };
    let svg = km_svg(&fig, 800, 600).expect("draws");
    let _ = std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/svg"));
    let _ = std::fs::write(
        concat!(env!("CARGO_TARGET_TMPDIR"), "/svg/example.svg"),
        &svg,
    );
    svg
}

fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Elements of the SVG with the given tag, as their full text.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(&open) {
        let tail = &rest[i..];
        let end = tail.find('>').map_or(tail.len(), |e| e + 1);
        out.push(&tail[..end]);
        rest = &tail[end..];
    }
    out
}

/// The text contents of `<text>` elements with the given fill colour.
fn texts_in(svg: &str, color: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        let tail = &rest[i..];
        let (Some(gt), Some(close)) = (tail.find('>'), tail.find("</text>")) else {
            break;
        };
        if tail[..gt].contains(&format!("fill=\"{color}\"")) {
            out.push(tail[gt + 1..close].trim().to_string());
        }
        rest = &tail[close..];
    }
    out
}

#[test]
fn one_polyline_per_group_in_group_colour() {
    let curves = example_curves();
    let svg = figure(&curves);
    for (i, c) in curves.iter().enumerate() {
        let col = hex(group_color(i));
        let lines: Vec<&str> = elements(&svg, "polyline")
            .into_iter()
            .filter(|e| {
                e.contains(&format!("stroke=\"{col}\"")) && e.contains("stroke-width=\"2\"")
            })
            .collect();
        assert_eq!(lines.len(), 1, "group {} should have one curve", c.group);
        let n_points = lines[0].split(' ').filter(|p| p.contains(',')).count();
        assert_eq!(n_points, step_points(c).len());
    }
}

#[test]
fn censor_marks_at_censored_times() {
    let curves = example_curves();
    let svg = figure(&curves);
    for (i, c) in curves.iter().enumerate() {
        let col = hex(group_color(i));
        let marks = elements(&svg, "polyline")
            .into_iter()
            .filter(|e| {
                e.contains(&format!("stroke=\"{col}\"")) && e.contains("stroke-width=\"1\"")
            })
            .count();
        let censored = c.censor_marks().count();
        assert!(censored > 0);
        assert_eq!(marks, censored, "group {}", c.group);
    }
}

#[test]
fn numbers_at_risk_equal_the_curves() {
    let curves = example_curves();
    let svg = figure(&curves);
    let xmax = curves.iter().map(|c| c.max_time()).fold(0.0, f64::max);
    let ticks = nice_ticks(xmax);
    for (i, c) in curves.iter().enumerate() {
        let shown = texts_in(&svg, &hex(group_color(i)));
        let expected: Vec<String> = ticks.iter().map(|&t| c.at_risk(t).to_string()).collect();
        assert_eq!(shown, expected, "group {}", c.group);
        assert_eq!(expected[0], c.n.to_string());
    }
}

#[test]
fn text_is_escaped() {
    let mut curves = example_curves();
    curves[0].group = "<img src=x onerror=alert(1)>".into();
    let svg = figure(&curves);
    assert!(!svg.contains("<img"), "label must be escaped");
}
