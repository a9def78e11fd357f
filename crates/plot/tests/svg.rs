//! SVG tests of the Kaplan–Meier figure: its structure, read back from the SVG text.
//!
//! - `one_polyline_per_group_in_group_colour`: one step curve per group.
//! - `censor_marks_at_censored_times`: a mark per censored time, where the curve is.
//! - `numbers_at_risk_equal_the_curves`: the table under the axis shows at_risk(t).
//! - `text_is_escaped`: a group label cannot inject markup into the SVG.

use survcalc_core::{example::example_csv, kaplan_meier, mapping, KmOptions, Table};
use survcalc_plot::{
    cumulative_count, group_color, km_svg, nice_ticks, step_points, FigureOptions, KmFigure,
};

fn example_curves() -> Vec<survcalc_core::KmCurve> {
    let table = Table::parse(&example_csv()).expect("example parses");
    let m = mapping::guess(&table);
    let p = mapping::prepare(&table, &m).expect("example maps");
    kaplan_meier(&p.data, &KmOptions::default())
}

fn figure(curves: &[survcalc_core::KmCurve]) -> String {
    figure_with(curves, FigureOptions::default(), "example")
}

fn figure_with(curves: &[survcalc_core::KmCurve], options: FigureOptions, name: &str) -> String {
    let fig = KmFigure {
        curves,
        medians: vec![Some(7.35), Some(16.8)],
        x_label: "Time (months)".into(),
        y_label: String::new(),
        annotation: Some("HR 0.28".into()),
        ticks: vec![],
        options,
    };
    let svg = km_svg(&fig, 800, 600).expect("draws");
    let _ = std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/svg"));
    let _ = std::fs::write(
        format!("{}/svg/{name}.svg", env!("CARGO_TARGET_TMPDIR")),
        &svg,
    );
    svg
}

/// The numbers in a polyline's `points` attribute, as (x, y) pixel pairs.
fn points(el: &str) -> Vec<(f64, f64)> {
    let Some(start) = el.find("points=\"") else {
        return Vec::new();
    };
    let rest = &el[start + 8..];
    let end = rest.find('"').unwrap_or(rest.len());
    rest[..end]
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
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

#[test]
fn percent_and_cumulative_incidence_change_the_axis_and_the_curves() {
    let curves = example_curves();
    let svg = figure_with(
        &curves,
        FigureOptions {
            percent: true,
            cumulative_incidence: true,
            ..FigureOptions::default()
        },
        "incidence",
    );
    assert!(svg.contains("Cumulative incidence (%)"));
    assert!(
        texts_in(&svg, "#000000").iter().any(|t| t == "100"),
        "a tick at 100 %"
    );
    // 1 − S rises: in SVG pixels (y down) every step of the first curve goes up the page.
    let colour = hex(group_color(0));
    let line = elements(&svg, "polyline")
        .into_iter()
        .find(|e| e.contains(&colour))
        .expect("the first curve");
    let pts = points(line);
    assert!(pts.len() > 2);
    assert!(pts.windows(2).all(|w| w[1].1 <= w[0].1 + 1e-9));
    let survival = figure(&curves);
    assert!(survival.contains("Survival probability"));
}

#[test]
fn band_median_lines_axis_range_ticks_title_and_extra_rows() {
    let curves = example_curves();
    let options = FigureOptions {
        ci_band: true,
        median_lines: true,
        x_max: Some(24.0),
        tick_step: Some(6.0),
        title: "Overall survival".into(),
        risk_events: true,
        risk_censored: true,
        ..FigureOptions::default()
    };
    let svg = figure_with(&curves, options, "options");
    // One shaded rectangle per interval with both limits, before the axis end.
    let rects = elements(&svg, "rect")
        .into_iter()
        .filter(|r| r.contains("opacity=\"0.16"))
        .count();
    let expected: usize = curves
        .iter()
        .map(|c| {
            (0..c.time.len().saturating_sub(1))
                .filter(|&j| c.time[j] < 24.0 && c.lower[j].is_some() && c.upper[j].is_some())
                .filter(|&j| c.time[j] < c.time[j + 1].min(24.0))
                .count()
        })
        .sum();
    assert_eq!(rects, expected);
    assert!(svg.contains("Overall survival"));
    // Ticks every 6 up to 24, and three blocks of rows under the plot, each equal to
    // the curves' own counts.
    let ticks = [0.0, 6.0, 12.0, 18.0, 24.0];
    for (i, c) in curves.iter().enumerate() {
        let shown = texts_in(&svg, &hex(group_color(i)));
        let mut expected: Vec<String> = ticks.iter().map(|&t| c.at_risk(t).to_string()).collect();
        expected.extend(
            ticks
                .iter()
                .map(|&t| cumulative_count(c, t, true).to_string()),
        );
        expected.extend(
            ticks
                .iter()
                .map(|&t| cumulative_count(c, t, false).to_string()),
        );
        assert_eq!(shown, expected, "group {}", c.group);
    }
    // No curve goes past the end of the axis: the last x of each curve is the same pixel.
    let ends: Vec<f64> = elements(&svg, "polyline")
        .into_iter()
        .filter(|e| {
            curves
                .iter()
                .enumerate()
                .any(|(i, _)| e.contains(&hex(group_color(i))))
        })
        .map(points)
        // Curves, not censor marks or legend lines (two points each).
        .filter(|p| p.len() > 4)
        .filter_map(|p| p.last().map(|p| p.0))
        .collect();
    assert_eq!(ends.len(), curves.len());
    // The tick label "24" sits at the end of the axis; the longer curve is cut there, the
    // shorter one ends at its own last time, before it.
    let axis_end = svg
        .split("<text")
        .find(|t| {
            t.split('>')
                .nth(1)
                .is_some_and(|c| c.trim().starts_with("24"))
        })
        .and_then(|t| t.split("x=\"").nth(1))
        .and_then(|x| x.split('"').next())
        .and_then(|x| x.parse::<f64>().ok())
        .expect("a tick labelled 24");
    let last = ends.iter().copied().fold(f64::MIN, f64::max);
    assert!((last - axis_end).abs() < 1.0, "{ends:?} vs {axis_end}");
    assert!(ends.iter().all(|x| *x <= axis_end + 0.5), "{ends:?}");
    assert!(
        svg.contains("stroke-dasharray") || elements(&svg, "polyline").len() > 2 + curves.len()
    );
}

#[test]
fn png_export_records_300_dpi() {
    use survcalc_plot::{png_with_dpi, PNG_DPI};
    // A 2 × 1 PNG written by the png crate, as a browser's canvas would give.
    let mut raw = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut raw, 2, 1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: 1,
            yppu: 1,
            unit: png::Unit::Unspecified,
        }));
        let mut w = enc.write_header().expect("header");
        w.write_image_data(&[255, 0, 0, 0, 0, 255]).expect("data");
    }
    let out = png_with_dpi(&raw, PNG_DPI).expect("a PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(out));
    let mut reader = decoder
        .read_info()
        .expect("still a valid PNG (CRCs checked)");
    let dims = reader.info().pixel_dims.expect("pHYs");
    assert_eq!(
        (dims.xppu, dims.yppu, dims.unit),
        (11811, 11811, png::Unit::Meter)
    );
    let mut buf = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut buf).expect("pixels");
    assert_eq!(&buf[..6], &[255, 0, 0, 0, 0, 255]);
    assert!(png_with_dpi(b"GIF89a", 300.0).is_err());
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    use survcalc_core::report::{methods_sentences, sentences, TextStyle};
    use survcalc_core::trial::trial_mappings;
    use survcalc_plot::html::{escape, report_html, EndpointSection, ReportInput};
    let table = Table::parse(&example_csv()).expect("example parses");
    let m = mapping::guess(&table);
    let options = survcalc_core::AnalysisOptions::default();
    // The whole trial: OS and PFS.
    let parts: Vec<(String, survcalc_core::Mapping, survcalc_core::Analysis)> =
        trial_mappings(&m, &mapping::endpoints(&table))
            .into_iter()
            .map(|(name, m)| {
                let a = survcalc_core::analyze(&table, &m, &options).expect("analyses");
                (name, m, a)
            })
            .collect();
    assert_eq!(
        parts.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
        ["OS", "PFS"]
    );
    let report = |source: &str, data: Option<&str>| {
        report_html(&ReportInput {
            endpoints: parts
                .iter()
                .map(|(name, m, a)| EndpointSection {
                    analysis: a,
                    endpoint: name.clone(),
                    columns: m.roles(),
                    x_label: "Time (months)".into(),
                })
                .collect(),
            source,
            reading: &table.reading(),
            figure: FigureOptions::default(),
            style: TextStyle::default(),
            generated: "2026-11-29",
            response: None,
            ae: None,
            data_csv: data,
        })
        .expect("a report")
    };
    let html = report("<b>trial</b>.csv", None);
    let _ = std::fs::write(
        format!("{}/svg/report.html", env!("CARGO_TARGET_TMPDIR")),
        &html,
    );
    // Everything a reader needs, in the file.
    for (name, _, a) in &parts {
        for s in sentences(a, name, TextStyle::default()) {
            assert!(html.contains(&escape(&s)), "sentence: {s}");
        }
        assert!(html.contains(&format!(
            "<section class=\"endpoint\" data-endpoint=\"{name}\">"
        )));
    }
    assert!(
        html.contains("<h2>Overall survival (OS)</h2>")
            && html.contains("<h2>Progression-free survival (PFS)</h2>")
    );
    // Every methods sentence of each endpoint, once for all or "For PFS, …" where only
    // that endpoint has it (RMST up to its own τ).
    for (name, _, a) in &parts {
        for m in methods_sentences(a) {
            let own = format!("For {name}, {}{}", m[..1].to_lowercase(), &m[1..]);
            assert!(
                html.contains(&escape(&m)) || html.contains(&escape(&own)),
                "{m}"
            );
        }
    }
    assert!(html.contains(
        "Overall survival and Progression-free survival were analysed as time-to-event endpoints."
    ));
    assert!(html.contains("<p class=\"abstract\">64 patients were analysed (32 to Sorafenib and 32 to Sorafenib+HAIC). Median follow-up was"));
    assert!(html.contains("Patients in the data: 64; analysed for OS: 64 (Sorafenib 32, Sorafenib+HAIC 32); analysed for PFS: 64"));
    assert!(html.contains("<li>Time: pfs_months</li>"));
    assert!(html.contains("<svg") && html.contains("viewBox=\"0 0 900 620\""));
    assert!(html.contains("n = 64 of 64 rows (0 excluded)"));
    assert!(html.contains("<li>Time: os_months</li>") && html.contains("<li>Group: arm</li>"));
    // Nothing to run or fetch, and the user's text is escaped.
    // (The SVG namespace URI is a name, not a fetch.)
    for fetch in [
        "<script", "src=", "href=", "url(", "@import", "<link", "<iframe",
    ] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    assert!(html.contains("default-src 'none'"));
    assert!(!html.contains("<b>trial") && html.contains("&lt;b&gt;trial&lt;/b&gt;.csv"));
    // The data is not in the report unless asked for.
    assert!(!html.contains("os_months,os_event"));
    let data = survcalc_core::report::table_csv(&table);
    let with_data = report("trial.csv", Some(&data));
    assert!(with_data.contains("Included at the user's request (64 rows)"));
    assert!(with_data.contains(&escape(&data)));
    // The CSV reads back to the same table.
    let back = Table::parse(&data).expect("CSV parses");
    assert_eq!(back.columns, table.columns);
    assert_eq!(back.row(63), table.row(63));
}
