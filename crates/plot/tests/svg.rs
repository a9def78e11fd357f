//! SVG tests of the Kaplan–Meier figure: its structure, read back from the SVG text.
//!
//! - `one_polyline_per_group_in_group_colour`: one step curve per group.
//! - `censor_marks_at_censored_times`: a mark per censored time, where the curve is.
//! - `numbers_at_risk_equal_the_curves`: the table under the axis shows at_risk(t).
//! - `text_is_escaped`: a group label cannot inject markup into the SVG.

use survcalc_core::{example::example_csv, kaplan_meier, mapping, KmOptions, Table};
use survcalc_plot::{
    count_before, cumulative_count, group_color, group_dash, km_svg, nice_ticks, step_points,
    FigureOptions, FigureStyle, KmFigure, PRINT_WIDTHS,
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

/// The classic style (numbers at risk by arm, in the arm's colour).
fn classic() -> FigureOptions {
    let mut o = FigureOptions::default();
    o.set_style(FigureStyle::Classic);
    o
}

fn figure_with(curves: &[survcalc_core::KmCurve], options: FigureOptions, name: &str) -> String {
    let fig = KmFigure {
        curves: curves.into(),
        medians: vec![Some(7.35), Some(16.8)],
        x_label: "Time (months)".into(),
        y_label: String::new(),
        annotation: Some("HR 0.28".into()),
        ticks: vec![],
        options,
        cumulative_hazard: false,
        drawing: None,
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

/// A line's points, in pixels.
type Piece = Vec<(f64, f64)>;

/// Every stroke of the SVG: each `<polyline>` and each `<path>` (a run of segments drawn
/// alike), as its opening tag and its pieces, each piece as (x, y) pixel pairs. A polyline
/// is one piece; a path has one per `M`.
fn strokes(svg: &str) -> Vec<(&str, Vec<Piece>)> {
    let mut out: Vec<(&str, Vec<Piece>)> = elements(svg, "polyline")
        .into_iter()
        .map(|e| (e, vec![points(e)]))
        .collect();
    for e in elements(svg, "path") {
        let d = e
            .split(" d=\"")
            .nth(1)
            .and_then(|d| d.split('"').next())
            .unwrap_or("");
        let pieces = d
            .split('M')
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.split('L')
                    .filter_map(|xy| {
                        let (x, y) = xy.trim().split_once(' ')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect()
            })
            .collect();
        out.push((e, pieces));
    }
    out
}

/// The pieces of the strokes in a group's colour at a stroke width.
fn pieces_of(svg: &str, color: &str, width: &str) -> Vec<Vec<(f64, f64)>> {
    strokes(svg)
        .into_iter()
        .filter(|(e, _)| {
            e.contains(&format!("stroke=\"{color}\""))
                && e.contains(&format!("stroke-width=\"{width}\""))
        })
        .flat_map(|(_, p)| p)
        .collect()
}

/// The band: each `<polygon>` of the translucent band fill, as its points.
fn band_polygons(svg: &str) -> Vec<Vec<(f64, f64)>> {
    elements(svg, "polygon")
        .into_iter()
        .filter(|e| e.contains("opacity=\"0.16"))
        .map(points)
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

/// Every `<text>` element: its opening tag and its (trimmed) content.
fn text_elements(svg: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        let tail = &rest[i..];
        let (Some(gt), Some(close)) = (tail.find('>'), tail.find("</text>")) else {
            break;
        };
        out.push((&tail[..gt], tail[gt + 1..close].trim().to_string()));
        rest = &tail[close..];
    }
    out
}

/// The text contents of `<text>` elements with the given fill colour.
fn texts_in(svg: &str, color: &str) -> Vec<String> {
    text_elements(svg)
        .into_iter()
        .filter(|(tag, _)| tag.contains(&format!("fill=\"{color}\"")))
        .map(|(_, text)| text)
        .collect()
}

#[test]
fn one_curve_per_group_in_group_colour_solid_then_dashed() {
    let curves = example_curves();
    let svg = figure(&curves);
    for (i, c) in curves.iter().enumerate() {
        let col = hex(group_color(i));
        let lines = pieces_of(&svg, &col, "2");
        if group_dash(i).is_none() {
            // The solid curve (and its three legend pieces).
            let curve: Vec<&Vec<(f64, f64)>> = lines.iter().filter(|l| l.len() > 2).collect();
            assert_eq!(curve.len(), 1, "group {} should have one curve", c.group);
            assert_eq!(curve[0].len(), step_points(c).len());
        } else {
            // A dashed curve is drawn as its dashes: many short pieces.
            assert!(
                lines.len() > 20,
                "group {}: {} pieces",
                c.group,
                lines.len()
            );
        }
    }
    assert_eq!(group_dash(0), None);
    assert!(group_dash(1).is_some() && group_dash(1) != group_dash(2));
}

#[test]
fn censor_marks_at_censored_times() {
    let curves = example_curves();
    let svg = figure(&curves);
    for (i, c) in curves.iter().enumerate() {
        let col = hex(group_color(i));
        let marks = pieces_of(&svg, &col, "1");
        // Each mark is one vertical segment, and all of them are one path.
        assert!(marks.iter().all(|m| m.len() == 2 && m[0].0 == m[1].0));
        assert_eq!(
            elements(&svg, "path")
                .iter()
                .filter(|e| e.contains(&format!("stroke=\"{col}\" stroke-width=\"1\"")))
                .count(),
            1
        );
        let marks = marks.len();
        let censored = c.censor_marks().count();
        assert!(censored > 0);
        assert_eq!(marks, censored, "group {}", c.group);
    }
}

/// The censor marks' height follows `censor_pt`, in points at the printed size.
#[test]
fn censor_marks_are_as_tall_as_asked() {
    let curves = example_curves();
    for pt in [4.0, 6.0, 12.0] {
        let o = FigureOptions {
            censor_pt: pt,
            ..FigureOptions::default()
        };
        // 800 px for 7.2 in: 800 / (7.2 · 72) pixels per point.
        let svg = figure_with(&curves, o, &format!("censor-{pt}"));
        let want = pt * 800.0 / (7.2 * 72.0);
        let col = hex(group_color(0));
        let heights: Vec<f64> = pieces_of(&svg, &col, "1")
            .into_iter()
            .map(|p| (p[1].1 - p[0].1).abs())
            .collect();
        assert!(!heights.is_empty());
        for h in heights {
            assert!(
                (h - want).abs() <= 1.5,
                "{pt} pt: a mark {h} px tall, want {want:.1}"
            );
        }
    }
}

#[test]
fn numbers_at_risk_equal_the_curves() {
    let curves = example_curves();
    let svg = figure_with(&curves, classic(), "classic");
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
    assert!(survival.contains("Survival (%)"));
    let proportion = figure_with(
        &curves,
        FigureOptions {
            percent: false,
            ..FigureOptions::default()
        },
        "proportion",
    );
    assert!(proportion.contains("Survival probability"));
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
        ..classic()
    };
    let svg = figure_with(&curves, options, "options");
    // The band of each interval with both limits, before the axis end: a box of four
    // corners, the boxes that touch drawn as one polygon (the top edges, then the bottom
    // ones back), so one polygon per stretch without a gap.
    let band = band_polygons(&svg);
    let intervals = |c: &survcalc_core::KmCurve| -> Vec<usize> {
        (0..c.time.len().saturating_sub(1))
            .filter(|&j| c.time[j] < 24.0 && c.lower[j].is_some() && c.upper[j].is_some())
            .filter(|&j| c.time[j] < c.time[j + 1].min(24.0))
            .collect()
    };
    let boxes: usize = curves.iter().map(|c| intervals(c).len()).sum();
    let stretches: usize = curves
        .iter()
        .map(|c| {
            let js = intervals(c);
            1 + js.windows(2).filter(|w| w[1] != w[0] + 1).count()
        })
        .sum();
    assert_eq!(band.len(), stretches);
    assert_eq!(band.iter().map(Vec::len).sum::<usize>(), 4 * boxes);
    // Each polygon is boxes side by side: its top edge goes right, its bottom edge left.
    for p in &band {
        let k = p.len() / 2;
        assert!(p[..k].windows(2).all(|w| w[1].0 >= w[0].0), "{p:?}");
        assert!(p[k..].windows(2).all(|w| w[1].0 <= w[0].0), "{p:?}");
    }
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
    // Each group's rightmost point over its curve's pieces (a dashed curve is many).
    let ends: Vec<f64> = (0..curves.len())
        .map(|i| {
            pieces_of(&svg, &hex(group_color(i)), "2")
                .into_iter()
                .flatten()
                .map(|p| p.0)
                .fold(f64::MIN, f64::max)
        })
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
        svg.contains("stroke-dasharray") || pieces_of(&svg, &hex(group_color(1)), "2").len() > 20
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
                    figure: FigureOptions {
                        title: format!("{name} by arm"),
                        ..FigureOptions::default()
                    },
                })
                .collect(),
            source,
            reading: &table.reading(),
            style: TextStyle::default(),
            generated: "2026-11-29",
            response: None,
            ae: None,
            data_csv: data,
            subgroups: None,
            competing: None,
        })
        .expect("a report")
    };
    let html = report("<b>trial</b>.csv", None);
    // Each endpoint's figure with its own options.
    assert!(html.contains("OS by arm") && html.contains("PFS by arm"));
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
    let (w, h) = FigureOptions::default().size_px(2);
    assert!(html.contains("<svg") && html.contains(&format!("viewBox=\"0 0 {w} {h}\"")));
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

/// The numbers of the black `<text>` elements, in document order.
fn black_numbers(svg: &str) -> Vec<String> {
    texts_in(svg, "#000000")
        .into_iter()
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Issue 14: KMunicate (the default) groups the table by arm — at risk, censored and
/// events at each tick, which add up to the arm's n — under a caption in the arm's colour.
#[test]
fn kmunicate_table_is_grouped_by_arm_and_adds_up() {
    let curves = example_curves();
    let o = FigureOptions::default();
    assert_eq!(o.style, FigureStyle::Kmunicate);
    assert!(o.ci_band, "KMunicate shows the bands");
    let svg = figure_with(&curves, o, "kmunicate");
    let ticks = nice_ticks(curves.iter().map(|c| c.max_time()).fold(0.0, f64::max));
    let numbers = black_numbers(&svg).join(" ");
    for (i, c) in curves.iter().enumerate() {
        let mut rows: Vec<String> = ticks.iter().map(|&t| c.at_risk(t).to_string()).collect();
        rows.extend(ticks.iter().map(|&t| count_before(c, t, false).to_string()));
        rows.extend(ticks.iter().map(|&t| count_before(c, t, true).to_string()));
        assert!(
            numbers.contains(&rows.join(" ")),
            "arm {}: {rows:?} in {numbers}",
            c.group
        );
        for &t in &ticks {
            assert_eq!(
                c.at_risk(t) + count_before(c, t, false) + count_before(c, t, true),
                c.n,
                "arm {} at {t}",
                c.group
            );
        }
        assert!(
            texts_in(&svg, &hex(group_color(i))).contains(&c.group),
            "caption {}",
            c.group
        );
    }
    for label in ["At risk", "Censored", "Events"] {
        assert_eq!(
            texts_in(&svg, "#000000")
                .iter()
                .filter(|t| *t == label)
                .count(),
            curves.len()
        );
    }
    // Curves and censor marks are opaque.
    for (e, _) in strokes(&svg) {
        if (0..curves.len()).any(|i| e.contains(&format!("stroke=\"{}\"", hex(group_color(i))))) {
            assert!(e.contains("opacity=\"1\""), "{e}");
        }
    }
}

/// The font sizes of the SVG's text, in CSS pixels, with the text.
fn font_sizes(svg: &str) -> Vec<(f64, String)> {
    text_elements(svg)
        .into_iter()
        .filter_map(|(tag, text)| {
            let size = tag
                .split("font-size=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            Some((size, text))
        })
        .collect()
}

/// Issue 14: at the printed size, ticks and the table are at least 8 pt and the axis
/// titles at least 9 pt, at single, 1.5 and double column widths; the SVG says its size
/// in inches.
#[test]
fn text_is_legible_at_every_printed_width() {
    let curves = example_curves();
    for (width_in, name) in PRINT_WIDTHS {
        let o = FigureOptions {
            width_in,
            ..FigureOptions::default()
        };
        let (w, h) = o.size_px(curves.len());
        let fig = KmFigure {
            curves: curves.as_slice().into(),
            medians: vec![],
            x_label: "Months since randomisation".into(),
            y_label: "Overall survival (%)".into(),
            annotation: Some("HR 0.28 (95% CI: 0.15, 0.53); log-rank P < .001".into()),
            ticks: vec![],
            options: o,
            cumulative_hazard: false,
            drawing: None,
        };
        let svg = km_svg(&fig, w, h).expect("draws");
        let _ = std::fs::write(
            format!("{}/svg/width-{width_in}.svg", env!("CARGO_TARGET_TMPDIR")),
            &svg,
        );
        assert!(
            svg.contains(&format!("width=\"{width_in:.3}in\"")),
            "{name}"
        );
        let px_per_pt = f64::from(w) / (width_in * 72.0);
        let sizes = font_sizes(&svg);
        assert!(!sizes.is_empty());
        for (px, text) in &sizes {
            let pt = px / px_per_pt;
            assert!(pt >= 8.0 - 0.3, "{name}: {text:?} is {pt:.1} pt");
            if text.contains("since randomisation") || text.contains("Overall survival") {
                assert!(pt >= 9.0 - 0.3, "{name}: axis title {text:?} is {pt:.1} pt");
            }
        }
    }
}

/// The pixels of every curve (and censor mark and legend sample) of the SVG, sampled
/// along each polyline and path, and the band's boxes.
/// A box: left, top, right, bottom.
type Box4 = (f64, f64, f64, f64);

fn drawn(svg: &str, groups: usize) -> (Vec<(f64, f64)>, Vec<Box4>) {
    let mut pts = Vec::new();
    for (e, pieces) in strokes(svg) {
        if !(0..groups).any(|i| e.contains(&format!("stroke=\"{}\"", hex(group_color(i))))) {
            continue;
        }
        for w in pieces.iter().flat_map(|p| p.windows(2)) {
            for k in 0..=20 {
                let f = f64::from(k) / 20.0;
                pts.push((
                    w[0].0 + (w[1].0 - w[0].0) * f,
                    w[0].1 + (w[1].1 - w[0].1) * f,
                ));
            }
        }
    }
    // Box m of a band polygon of 4k points: its top corners are points 2m and 2m + 1,
    // its bottom ones the same from the end.
    let rects = band_polygons(svg)
        .into_iter()
        .flat_map(|p| {
            let n = p.len();
            (0..n / 4)
                .map(|m| {
                    let (a, b, c) = (p[2 * m], p[2 * m + 1], p[n - 1 - 2 * m]);
                    (a.0.min(b.0), a.1.min(c.1), a.0.max(b.0), a.1.max(c.1))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    (pts, rects)
}

/// Issue 14: the HR and P line is drawn where no curve, band or legend is — for the
/// example's OS and PFS, veteran's two arms and two curves that cross.
#[test]
fn the_annotation_never_covers_a_curve_or_band() {
    use survcalc_core::{analyze, AnalysisOptions, Mapping};
    let mut cases: Vec<(String, String, Mapping)> = Vec::new();
    let table = example_csv();
    for (time, event) in [("os_months", "os_event"), ("pfs_months", "pfs_event")] {
        cases.push((
            time.into(),
            table.clone(),
            Mapping {
                time: time.into(),
                event: event.into(),
                group: Some("arm".into()),
                ..Mapping::default()
            },
        ));
    }
    let veteran = include_str!("../../../tests/fixtures/veteran.csv").to_string();
    cases.push((
        "veteran".into(),
        veteran,
        Mapping {
            time: "time".into(),
            event: "status".into(),
            group: Some("trt".into()),
            ..Mapping::default()
        },
    ));
    // Crossing: one arm falls early and levels off, the other holds and then falls.
    let mut crossing = String::from("t,s,arm\n");
    for i in 0..40 {
        let early = if i < 24 {
            1.0 + i as f64 * 0.2
        } else {
            30.0 + i as f64
        };
        let late = 12.0 + i as f64 * 0.6;
        crossing.push_str(&format!(
            "{early},{},A\n{late},{},B\n",
            u8::from(i < 24),
            u8::from(i % 5 != 0)
        ));
    }
    cases.push((
        "crossing".into(),
        crossing,
        Mapping {
            time: "t".into(),
            event: "s".into(),
            group: Some("arm".into()),
            ..Mapping::default()
        },
    ));
    for (name, text, m) in &cases {
        let t = survcalc_core::Table::parse(text).expect("table");
        let a = analyze(&t, m, &AnalysisOptions::default()).expect("analysis");
        // Each style of the survival figure, and the cumulative hazard (which rises).
        let figures = FigureStyle::ALL
            .into_iter()
            .map(|style| (style, false))
            .chain([(FigureStyle::Kmunicate, true)]);
        // At each printed width (a single column's plot is narrow beside long row labels).
        let figures = figures.flat_map(|f| PRINT_WIDTHS.map(|(width, _)| (f, width)));
        for ((style, hazard), width_in) in figures {
            let mut o = FigureOptions {
                width_in,
                ..FigureOptions::default()
            };
            o.set_style(style);
            let fig = if hazard {
                KmFigure::cumulative_hazard(&a, "Months since randomisation".into(), o.clone())
            } else {
                KmFigure::of(&a, "Months since randomisation".into(), o.clone())
            };
            let note = fig.annotation.clone().expect("two arms: an annotation");
            let (w, h) = o.size_px(a.curves.len());
            let svg = km_svg(&fig, w, h).expect("draws");
            let _ = std::fs::write(
                format!(
                    "{}/svg/annotation-{name}-{}{}-{width_in}in.svg",
                    env!("CARGO_TARGET_TMPDIR"),
                    style.key(),
                    if hazard { "-hazard" } else { "" }
                ),
                &svg,
            );
            let escaped = note
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let el = svg
                .split("<text")
                .find(|e| e.contains(escaped.as_str()))
                .unwrap_or_else(|| panic!("{name}: the annotation is drawn"));
            let num = |a: &str| -> f64 {
                el.split(&format!("{a}=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(f64::NAN)
            };
            let (x, y, size) = (num(" x"), num(" y"), num("font-size"));
            // The text's box: 0.56 em a character is generous for sans-serif digits.
            let b = (
                x,
                y,
                x + note.chars().count() as f64 * 0.56 * size,
                y + 1.25 * size,
            );
            // …within the figure, at every width.
            assert!(
                b.0 >= 0.0 && b.2 <= f64::from(w),
                "{name} ({}, {width_in} in): the annotation {b:?} leaves the figure {w} px wide",
                style.key()
            );
            let (pts, rects) = drawn(&svg, a.curves.len());
            let hit = pts
                .iter()
                .find(|(px, py)| *px > b.0 && *px < b.2 && *py > b.1 && *py < b.3);
            assert!(
                hit.is_none(),
                "{name} ({}): a curve at {hit:?} under {b:?}",
                style.key()
            );
            let band = rects
                .iter()
                .find(|r| r.0 < b.2 && b.0 < r.2 && r.1 < b.3 && b.1 < r.3);
            assert!(
                band.is_none(),
                "{name} ({}): a band {band:?} under {b:?}",
                style.key()
            );
        }
    }
}

/// Issue 14: OS and PFS side by side as one SVG, labelled A and B, each with its own
/// options; the report draws each endpoint with its own options too.
#[test]
fn panels_side_by_side_with_their_own_options() {
    use survcalc_core::{analyze, AnalysisOptions, Mapping};
    use survcalc_plot::km_panels_svg;
    let table = survcalc_core::Table::parse(&example_csv()).expect("table");
    let analyses: Vec<_> = [("os_months", "os_event"), ("pfs_months", "pfs_event")]
        .iter()
        .map(|(t, e)| {
            let m = Mapping {
                time: (*t).into(),
                event: (*e).into(),
                group: Some("arm".into()),
                ..Mapping::default()
            };
            analyze(&table, &m, &AnalysisOptions::default()).expect("analysis")
        })
        .collect();
    let figs: Vec<KmFigure> = analyses
        .iter()
        .zip(["Overall survival (%)", "Progression-free survival (%)"])
        .enumerate()
        .map(|(k, (a, y))| {
            let mut f = KmFigure::of(
                a,
                "Months since randomisation".into(),
                FigureOptions {
                    width_in: 3.5,
                    title: format!("panel {k}"),
                    ..FigureOptions::default()
                },
            );
            f.y_label = y.into();
            f
        })
        .collect();
    let svg = km_panels_svg(&figs).expect("draws").svg;
    let _ = std::fs::write(
        format!("{}/svg/panels.svg", env!("CARGO_TARGET_TMPDIR")),
        &svg,
    );
    assert!(
        svg.starts_with("<svg width=\"7.000in\""),
        "two 3.5-inch panels"
    );
    assert_eq!(svg.matches("<svg ").count(), 3, "the whole and two panels");
    for want in [
        "panel 0",
        "panel 1",
        "Overall survival (%)",
        "Progression-free survival (%)",
    ] {
        assert!(svg.contains(want), "{want}");
    }
    let letters: Vec<String> = text_elements(&svg)
        .into_iter()
        .filter(|(tag, _)| tag.contains("font-weight=\"bold\"") && !tag.contains("fill="))
        .map(|(_, t)| t)
        .collect();
    assert_eq!(letters, ["A", "B"]);
}

/// The title is drawn once, however the legend and the annotation are placed.
#[test]
fn the_title_is_drawn_once() {
    let curves = example_curves();
    for width_in in [3.5, 7.2] {
        let o = FigureOptions {
            width_in,
            title: "Overall survival by arm".into(),
            ..FigureOptions::default()
        };
        let (w, h) = o.size_px(curves.len());
        let svg = km_svg(
            &KmFigure {
                curves: curves.as_slice().into(),
                medians: vec![],
                x_label: "Months".into(),
                y_label: String::new(),
                annotation: Some("HR 0.28 (95% CI: 0.15, 0.53); log-rank P < .001".into()),
                ticks: vec![],
                options: o,
                cumulative_hazard: false,
                drawing: None,
            },
            w,
            h,
        )
        .expect("draws");
        assert_eq!(
            svg.matches("Overall survival by arm").count(),
            1,
            "{width_in} in"
        );
    }
}

/// The classic table's row labels (the arms) fit inside the figure at every printed
/// width: the label area grows for them (up to 35% of the width, then "…").
#[test]
fn classic_row_labels_are_not_cut_at_the_left() {
    let curves = example_curves();
    for (width_in, _) in PRINT_WIDTHS {
        let mut o = classic();
        o.width_in = width_in;
        let (w, h) = o.size_px(curves.len());
        let fig = KmFigure {
            curves: curves.as_slice().into(),
            medians: vec![],
            x_label: "Months since randomisation".into(),
            y_label: String::new(),
            annotation: None,
            ticks: vec![],
            options: o,
            cumulative_hazard: false,
            drawing: None,
        };
        let svg = km_svg(&fig, w, h).expect("draws");
        let _ = std::fs::write(
            format!(
                "{}/svg/classic-labels-{width_in}.svg",
                env!("CARGO_TARGET_TMPDIR")
            ),
            &svg,
        );
        let labels: Vec<(&str, String)> = text_elements(&svg)
            .into_iter()
            .filter(|(tag, t)| {
                tag.contains("text-anchor=\"end\"") && curves.iter().any(|c| c.group == *t)
            })
            .collect();
        assert_eq!(labels.len(), curves.len(), "{width_in} in: a row per arm");
        for (tag, text) in labels {
            let num = |a: &str| -> f64 {
                tag.split(&format!(" {a}=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(f64::NAN)
            };
            let left = num("x") - text.chars().count() as f64 * 0.56 * num("font-size");
            assert!(
                left >= 0.0,
                "{width_in} in: \"{text}\" starts at x = {left:.1}"
            );
        }
    }
}

/// A large analysis thinned for drawing (survcalc_core::thin) draws the same figure text —
/// axis, legend and every number under the plot — as the full one at the ticks it was
/// thinned for; at other ticks the table leaves its cells empty rather than guess.
#[test]
fn a_thinned_analysis_draws_the_same_numbers_or_none() {
    let mut csv = String::from("time,status,arm\n");
    let mut seed: u64 = 11;
    for i in 0..100_000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let arm = if i % 2 == 0 { "A" } else { "B" };
        let status = u8::from(!(seed >> 7).is_multiple_of(3));
        csv.push_str(&format!("{:.3},{status},{arm}\n", -u.ln() * 12.0));
    }
    let table = Table::parse(&csv).expect("parses");
    let a = survcalc_core::analyze(&table, &mapping::guess(&table), &Default::default())
        .expect("analysed");
    let end = a.curves.iter().map(|c| c.max_time()).fold(0.0, f64::max);
    let o = FigureOptions::default();
    let thin = survcalc_core::thin::thinned(&a, &o.ticks(end)).expect("thinned");
    assert!(thin.curves[0].time.len() * 2 < a.curves[0].time.len());
    let draw = |a: &survcalc_core::Analysis, o: FigureOptions| {
        let svg = km_svg(&KmFigure::of(a, "Time (months)".into(), o), 800, 600).expect("draws");
        (
            text_elements(&svg)
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>(),
            svg.len(),
        )
    };
    let (full_text, full_len) = draw(&a, o.clone());
    let (thin_text, thin_len) = draw(&thin, o.clone());
    assert_eq!(thin_text, full_text);
    assert!(thin_len < full_len, "{thin_len} vs {full_len} bytes");
    // Ticks it was not thinned for: no number is printed that the full figure lacks.
    let mut other = o.clone();
    other.tick_step = Some(7.0);
    let (full_other, _) = draw(&a, other.clone());
    let (thin_other, _) = draw(&thin, other.clone());
    let numbers = |t: &[String]| t.iter().filter(|x| x.parse::<u64>().is_ok()).count();
    assert!(numbers(&thin_other) < numbers(&full_other));
    assert!(thin_other.iter().all(|x| full_other.contains(x)));
    // Thinned again for them, the figure is the full one's.
    let again = survcalc_core::thin::thinned(&a, &other.ticks(end)).expect("thinned");
    assert_eq!(draw(&again, other).0, full_other);
}
