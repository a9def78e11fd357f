//! # survcalc-plot
//!
//! The Kaplan–Meier figure: a step curve per group, censor marks, legend, axis labels with
//! units, an optional annotation (HR and P), and the numbers at risk under the time axis.
//!
//! Drawing is a function of data, generic over the plotters backend: [`draw_km`] renders
//! onto any `DrawingArea` — a `<canvas>` in the page (plotters-canvas, in `web/`), an SVG
//! string for export and tests ([`km_svg`]). The numbers-at-risk table is a second chart
//! built on the same x coordinate with the same margins and label-area width, so its
//! columns sit under the axis ticks by construction, not by measuring text.
//!
//! What this crate does not do: statistics (it takes finished [`KmCurve`]s from the core)
//! or any I/O.
#![deny(missing_docs)]

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;
use survcalc_core::analysis::fmt_level;
use survcalc_core::format::p_label;
use survcalc_core::{Analysis, KmCurve};

pub mod html;

/// Colour-blind-safe palette (Okabe & Ito 2008): blue, vermillion, bluish green, reddish
/// purple, orange, sky blue, yellow, black.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (240, 228, 66),
    (0, 0, 0),
];

/// Everything the figure shows.
#[derive(Debug, Clone)]
pub struct KmFigure<'a> {
    /// One curve per group, in legend order.
    pub curves: &'a [KmCurve],
    /// Each curve's median (for median lines), in the same order; may be empty.
    pub medians: Vec<Option<f64>>,
    /// The time-axis label, with its unit, e.g. "Time (months)".
    pub x_label: String,
    /// The vertical-axis label; empty picks one from the options ("Survival probability",
    /// "Cumulative incidence (%)", …).
    pub y_label: String,
    /// An optional line on the plot, e.g. "HR 0.28 (95% CI 0.15–0.53); log-rank P < .001".
    pub annotation: Option<String>,
    /// Times at which the x ticks and the numbers at risk are shown; empty picks them
    /// from the options (a step, or round times).
    pub ticks: Vec<f64>,
    /// What to show and how.
    pub options: FigureOptions,
}

impl<'a> KmFigure<'a> {
    /// The figure of an analysis: its curves, headline medians and annotation (HR and P).
    pub fn of(a: &'a Analysis, x_label: String, options: FigureOptions) -> KmFigure<'a> {
        KmFigure {
            curves: &a.curves,
            medians: a
                .summaries
                .iter()
                .map(|g| a.headline_median(g).estimate)
                .collect(),
            x_label,
            y_label: String::new(),
            annotation: annotation(a),
            ticks: vec![],
            options,
        }
    }
}

/// The figure's choices. The default is a journal's usual Kaplan–Meier figure: survival
/// as a proportion, censor marks, the HR and P line, numbers at risk.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct FigureOptions {
    /// Shade each curve's pointwise confidence band (its `lower`/`upper`).
    pub ci_band: bool,
    /// Dashed lines from 0.5 to each median and down to the axis.
    pub median_lines: bool,
    /// Print the annotation (HR and P) on the plot.
    pub annotation: bool,
    /// Censor marks on the curves.
    pub censor_marks: bool,
    /// The vertical axis in percent (0–100) rather than a proportion (0–1).
    pub percent: bool,
    /// Draw 1 − S (cumulative incidence of the event) instead of S.
    pub cumulative_incidence: bool,
    /// End of the time axis; `None` fits the data.
    pub x_max: Option<f64>,
    /// Distance between time ticks; `None` picks round times.
    pub tick_step: Option<f64>,
    /// A title above the plot; empty for none (journals usually set it in the legend).
    pub title: String,
    /// Add rows with the cumulative number of events under the numbers at risk.
    pub risk_events: bool,
    /// Add rows with the cumulative number censored.
    pub risk_censored: bool,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            ci_band: false,
            median_lines: false,
            annotation: true,
            censor_marks: true,
            percent: false,
            cumulative_incidence: false,
            x_max: None,
            tick_step: None,
            title: String::new(),
            risk_events: false,
            risk_censored: false,
        }
    }
}

impl FigureOptions {
    /// The plotted value of a survival probability: S or 1 − S, as a proportion or %.
    pub fn y_of(&self, s: f64) -> f64 {
        let v = if self.cumulative_incidence {
            1.0 - s
        } else {
            s
        };
        if self.percent {
            100.0 * v
        } else {
            v
        }
    }

    /// The default vertical-axis label for these options.
    pub fn y_label(&self) -> &'static str {
        match (self.cumulative_incidence, self.percent) {
            (false, false) => "Survival probability",
            (false, true) => "Survival (%)",
            (true, false) => "Cumulative incidence",
            (true, true) => "Cumulative incidence (%)",
        }
    }

    /// The tick times for a time axis whose data end at `data_end`: every `tick_step`
    /// (at most 100 ticks) or round times, up to `x_max` when set.
    pub fn ticks(&self, data_end: f64) -> Vec<f64> {
        let end = self.x_max.filter(|x| *x > 0.0).unwrap_or(data_end);
        match self.tick_step.filter(|s| *s > 0.0 && end / *s <= 100.0) {
            Some(step) => (0..=((end / step + 1e-9).floor() as usize))
                .map(|k| k as f64 * step)
                .collect(),
            None => nice_ticks(end),
        }
    }
}

/// The number of events (`events = true`) or censorings in [0, t] of a curve.
pub fn cumulative_count(c: &KmCurve, t: f64, events: bool) -> usize {
    let k = c.time.partition_point(|&x| x <= t);
    let v = if events { &c.n_event } else { &c.n_censor };
    v[..k.min(v.len())].iter().sum()
}

/// Tick positions: the core's round times ([`survcalc_core::ticks::nice_times`]), so the
/// figure's axis and the report's risk table use the same times.
pub use survcalc_core::ticks::nice_times as nice_ticks;

/// Formats a tick value without needless decimals.
fn tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

/// The colour of group `i`.
pub fn group_color(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

/// The step function of a curve as polyline vertices, from (0, 1) to the last time.
pub fn step_points(c: &KmCurve) -> Vec<(f64, f64)> {
    let mut pts = vec![(0.0, 1.0)];
    let mut prev = 1.0;
    for (i, &t) in c.time.iter().enumerate() {
        if c.surv[i] != prev {
            pts.push((t, prev));
            pts.push((t, c.surv[i]));
            prev = c.surv[i];
        }
    }
    let end = c.max_time();
    if pts.last().is_some_and(|p| p.0 < end) {
        pts.push((end, prev));
    }
    pts
}

/// A linear axis whose ticks are exactly the given values. Both the plot and the risk table
/// use it with the same ticks, which is what aligns the numbers at risk with the axis.
/// (plotters' own `WithKeyPoints` cannot take a label formatter in 0.3.7.)
#[derive(Clone)]
struct TickAxis {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl TickAxis {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        TickAxis {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for TickAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

/// Most characters of a group label drawn in a figure (legend, risk table); a longer one
/// ends in "…". A 1 MB label took the page's canvas seconds to measure (issue 12); the
/// CSV exports and report tables keep the full text.
pub const MAX_LABEL_CHARS: usize = 40;

/// A label as a figure draws it: at most [`MAX_LABEL_CHARS`] characters.
pub fn figure_label(label: &str) -> String {
    if label.chars().nth(MAX_LABEL_CHARS).is_none() {
        return label.to_string();
    }
    let mut out: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    out.push('…');
    out
}

/// Width of the left label area, shared by the plot and the risk table (pixels): room for
/// the longest group label in the risk table (about 7.5 px a character at 13 px).
fn left_area(curves: &[KmCurve]) -> u32 {
    let longest = curves
        .iter()
        .map(|c| figure_label(&c.group).chars().count())
        .max()
        .unwrap_or(0) as u32;
    (longest * 15 / 2 + 20).clamp(80, 260)
}
/// Outer margins (pixels).
const MARGIN: u32 = 14;

/// `pts` (increasing x) cut at `x_end`: a line that goes on past it ends there.
fn clip(pts: Vec<(f64, f64)>, x_end: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for p in pts {
        if p.0 <= x_end {
            out.push(p);
        } else {
            if let Some(&last) = out.last() {
                if last.0 < x_end {
                    out.push((x_end, last.1));
                }
            }
            break;
        }
    }
    out
}

/// One block of the table under the plot: a caption and a count per group at each tick.
struct TableBlock {
    caption: &'static str,
    count: fn(&KmCurve, f64) -> usize,
}

/// Draws the Kaplan–Meier figure with its numbers-at-risk table onto `area`.
///
/// # Errors
/// Whatever the backend reports while drawing.
pub fn draw_km<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &KmFigure,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let o = &fig.options;
    area.fill(&WHITE)?;
    let (_, h) = area.dim_in_pixel();
    let xmax = fig
        .curves
        .iter()
        .map(KmCurve::max_time)
        .fold(0.0f64, f64::max);
    let ticks = if fig.ticks.is_empty() {
        o.ticks(xmax)
    } else {
        fig.ticks.clone()
    };
    let x_end = match o.x_max.filter(|x| *x > 0.0) {
        Some(x) => x,
        None => ticks.last().copied().unwrap_or(1.0).max(xmax),
    }
    .max(1e-9);
    let ticks: Vec<f64> = ticks.into_iter().filter(|&t| t <= x_end + 1e-9).collect();
    // A little room left of 0 so that the first risk-table column clears the row labels.
    let x_start = -0.03 * x_end;
    let y_top = o.y_of(if o.cumulative_incidence { 0.0 } else { 1.0 }) * 1.02;
    let left = left_area(fig.curves);
    let rows = fig.curves.len().max(1);
    let mut blocks = vec![TableBlock {
        caption: "Number at risk",
        count: KmCurve::at_risk,
    }];
    if o.risk_events {
        blocks.push(TableBlock {
            caption: "Cumulative number of events",
            count: |c, t| cumulative_count(c, t, true),
        });
    }
    if o.risk_censored {
        blocks.push(TableBlock {
            caption: "Cumulative number censored",
            count: |c, t| cumulative_count(c, t, false),
        });
    }
    let block_h = 32 + 20 * rows as u32;
    let table_h = (block_h * blocks.len() as u32).min(h * 3 / 5);
    let (top, bottom) = area.split_vertically(h.saturating_sub(table_h));

    let mut builder = ChartBuilder::on(&top);
    builder
        .margin(MARGIN)
        .x_label_area_size(44)
        .y_label_area_size(left);
    if !o.title.trim().is_empty() {
        builder.caption(o.title.trim(), ("sans-serif", 19));
    }
    let mut chart =
        builder.build_cartesian_2d(TickAxis::new(x_start..x_end, ticks.clone()), 0.0..y_top)?;
    let y_label = if fig.y_label.is_empty() {
        o.y_label().to_string()
    } else {
        fig.y_label.clone()
    };
    let percent = o.percent;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(fig.x_label.as_str())
        .y_desc(y_label.as_str())
        .x_label_formatter(&|v| tick_label(*v))
        .y_labels(6)
        .y_label_formatter(&|v| {
            if percent {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        })
        .axis_desc_style(("sans-serif", 15))
        .label_style(("sans-serif", 13))
        .draw()?;

    let y = |s: f64| o.y_of(s);
    if o.ci_band {
        for (i, c) in fig.curves.iter().enumerate() {
            let fill = group_color(i).mix(0.16).filled();
            let n = c.time.len();
            chart.draw_series((0..n.saturating_sub(1)).filter_map(|j| {
                let (t0, t1) = (c.time[j], c.time[j + 1].min(x_end));
                let (lo, hi) = (
                    c.lower.get(j).copied().flatten()?,
                    c.upper.get(j).copied().flatten()?,
                );
                (t0 < t1).then(|| Rectangle::new([(t0, y(lo)), (t1, y(hi))], fill))
            }))?;
        }
    }
    if o.median_lines {
        let half = y(0.5);
        let style = BLACK.mix(0.55).stroke_width(1);
        for m in fig.medians.iter().flatten().filter(|m| **m <= x_end) {
            chart.draw_series(DashedLineSeries::new(
                vec![(0.0, half), (*m, half)],
                6,
                4,
                style,
            ))?;
            chart.draw_series(DashedLineSeries::new(
                vec![(*m, half), (*m, 0.0)],
                6,
                4,
                style,
            ))?;
        }
    }
    let tick_h = 0.018 * y_top;
    for (i, c) in fig.curves.iter().enumerate() {
        let color = group_color(i);
        let pts = clip(step_points(c), x_end)
            .into_iter()
            .map(|(t, s)| (t, y(s)))
            .collect::<Vec<_>>();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))?
            .label(format!("{} (n = {})", figure_label(&c.group), c.n))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
            });
        if o.censor_marks {
            chart.draw_series(c.censor_marks().filter(|(t, _)| *t <= x_end).map(|(t, s)| {
                PathElement::new(
                    vec![(t, y(s) - tick_h), (t, y(s) + tick_h)],
                    color.stroke_width(1),
                )
            }))?;
        }
    }
    chart
        .configure_series_labels()
        .position(if o.cumulative_incidence {
            SeriesLabelPosition::UpperLeft
        } else {
            SeriesLabelPosition::UpperRight
        })
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 14))
        .draw()?;
    if let Some(note) = fig.annotation.as_ref().filter(|_| o.annotation) {
        // Where the curves are not: low for survival, low right for incidence.
        let x = if o.cumulative_incidence {
            x_end * 0.45
        } else {
            x_end * 0.02
        };
        chart.draw_series(std::iter::once(Text::new(
            note.clone(),
            (x, 0.06 * y_top),
            ("sans-serif", 14).into_font().color(&BLACK),
        )))?;
    }

    // The table: the same x coordinate, margins and left label area as the plot.
    let row_keys: Vec<f64> = (0..rows).map(|r| r as f64 + 0.5).collect();
    let names: Vec<String> = fig.curves.iter().map(|c| figure_label(&c.group)).collect();
    let parts = bottom.split_evenly((blocks.len(), 1));
    for (block, part) in blocks.iter().zip(parts.iter()) {
        let mut table = ChartBuilder::on(part)
            .margin_left(MARGIN)
            .margin_right(MARGIN)
            .margin_bottom(4)
            .caption(block.caption, ("sans-serif", 13))
            .x_label_area_size(0)
            .y_label_area_size(left)
            .build_cartesian_2d(
                TickAxis::new(x_start..x_end, ticks.clone()),
                TickAxis::new(0.0..rows as f64, row_keys.clone()),
            )?;
        table
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .axis_style(WHITE)
            .y_label_formatter(&|v| {
                // Row r (from the top) is drawn at y = rows − r − 0.5.
                let r = rows as f64 - 0.5 - v;
                names.get(r.round() as usize).cloned().unwrap_or_default()
            })
            .label_style(("sans-serif", 13))
            .draw()?;
        for (r, c) in fig.curves.iter().enumerate() {
            let color = group_color(r);
            let yr = rows as f64 - r as f64 - 0.5;
            table.draw_series(ticks.iter().map(|&t| {
                Text::new(
                    (block.count)(c, t).to_string(),
                    (t, yr),
                    ("sans-serif", 13).into_font().color(&color).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    ),
                )
            }))?;
        }
    }
    area.present()?;
    Ok(())
}

/// The figure as an SVG document of `width` × `height` pixels.
///
/// # Errors
/// A message if plotters fails to draw.
pub fn km_svg(fig: &KmFigure, width: u32, height: u32) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw_km(&root, fig).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Pixels per inch of the PNG export, and the printed width it is made for (a journal's
/// double-column figure, 7 inches).
pub const PNG_DPI: f64 = 300.0;
/// See [`PNG_DPI`].
pub const PNG_WIDTH_INCHES: f64 = 7.0;

/// A PNG with its resolution recorded: a `pHYs` chunk (pixels per metre, unit = metre)
/// inserted after `IHDR`, replacing any there was, so that Word, InDesign and journal
/// systems read it as `dpi` dots per inch. PNG spec §11.3.5.3.
///
/// # Errors
/// When `png` does not start with a PNG signature and an IHDR chunk.
pub fn png_with_dpi(png: &[u8], dpi: f64) -> Result<Vec<u8>, String> {
    const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if png.len() < 33 || png[..8] != SIGNATURE || &png[12..16] != b"IHDR" {
        return Err("not a PNG image".into());
    }
    let ppm = (dpi / 0.0254).round() as u32;
    let mut chunk = Vec::with_capacity(21);
    chunk.extend_from_slice(&9u32.to_be_bytes());
    chunk.extend_from_slice(b"pHYs");
    chunk.extend_from_slice(&ppm.to_be_bytes());
    chunk.extend_from_slice(&ppm.to_be_bytes());
    chunk.push(1);
    let crc = crc32fast::hash(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    // Copy the chunks, dropping an existing pHYs and adding ours after IHDR.
    let mut out = Vec::with_capacity(png.len() + chunk.len());
    out.extend_from_slice(&png[..8]);
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
        let end = at + 12 + len;
        if end > png.len() {
            return Err("the PNG is truncated".into());
        }
        let kind = &png[at + 4..at + 8];
        if kind != b"pHYs" {
            out.extend_from_slice(&png[at..end]);
        }
        if kind == b"IHDR" {
            out.extend_from_slice(&chunk);
        }
        at = end;
    }
    Ok(out)
}

/// The line printed on the plot: the headline HR (CI) and the headline test's P, when
/// there are two groups.
pub fn annotation(a: &Analysis) -> Option<String> {
    let test = a.headline_test()?;
    let short = match test.weight {
        survcalc_core::compare::Weight::LogRank => "log-rank".to_string(),
        _ => test
            .method
            .split([',', ':'])
            .next()
            .unwrap_or("test")
            .trim()
            .to_string(),
    };
    let p = format!("{short} {}", p_label(test.p_value));
    match a.headline_hr() {
        Some(h) => Some(format!(
            "HR {:.2} ({}% CI: {:.2}, {:.2}); {p}",
            h.hr,
            fmt_level(h.conf_level),
            h.lower,
            h.upper
        )),
        None => Some(p),
    }
}
