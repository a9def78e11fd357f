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
use survcalc_core::KmCurve;

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
    /// The time-axis label, with its unit, e.g. "Time (months)".
    pub x_label: String,
    /// The survival-axis label.
    pub y_label: String,
    /// An optional line under the curves, e.g. "HR 0.28 (95% CI 0.15–0.53); log-rank P < .001".
    pub annotation: Option<String>,
    /// Times at which the x ticks and the numbers at risk are shown; empty picks a
    /// round step.
    pub ticks: Vec<f64>,
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

/// Width of the left label area, shared by the plot and the risk table (pixels): room for
/// the longest group label in the risk table (about 7.5 px a character at 13 px).
fn left_area(curves: &[KmCurve]) -> u32 {
    let longest = curves
        .iter()
        .map(|c| c.group.chars().count())
        .max()
        .unwrap_or(0) as u32;
    (longest * 15 / 2 + 20).clamp(80, 260)
}
/// Outer margins (pixels).
const MARGIN: u32 = 14;

/// Draws the Kaplan–Meier figure with its numbers-at-risk table onto `area`.
///
/// # Errors
/// Whatever the backend reports while drawing.
pub fn draw_km<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &KmFigure,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let (_, h) = area.dim_in_pixel();
    let xmax = fig
        .curves
        .iter()
        .map(KmCurve::max_time)
        .fold(0.0f64, f64::max);
    let ticks = if fig.ticks.is_empty() {
        nice_ticks(xmax)
    } else {
        fig.ticks.clone()
    };
    let x_end = ticks.last().copied().unwrap_or(1.0).max(xmax).max(1e-9);
    // A little room left of 0 so that the first risk-table column clears the row labels.
    let x_start = -0.03 * x_end;
    let left = left_area(fig.curves);
    let rows = fig.curves.len().max(1);
    let table_h = (32 + 20 * rows as u32).min(h / 2);
    let (top, bottom) = area.split_vertically(h.saturating_sub(table_h));

    let mut chart = ChartBuilder::on(&top)
        .margin(MARGIN)
        .x_label_area_size(44)
        .y_label_area_size(left)
        .build_cartesian_2d(TickAxis::new(x_start..x_end, ticks.clone()), 0.0..1.02)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(fig.x_label.as_str())
        .y_desc(fig.y_label.as_str())
        .x_label_formatter(&|v| tick_label(*v))
        .y_labels(6)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .axis_desc_style(("sans-serif", 15))
        .label_style(("sans-serif", 13))
        .draw()?;

    let tick_h = 0.018;
    for (i, c) in fig.curves.iter().enumerate() {
        let color = group_color(i);
        chart
            .draw_series(LineSeries::new(step_points(c), color.stroke_width(2)))?
            .label(format!("{} (n = {})", c.group, c.n))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
            });
        chart.draw_series(c.censor_marks().map(|(t, s)| {
            PathElement::new(
                vec![(t, s - tick_h), (t, s + tick_h)],
                color.stroke_width(1),
            )
        }))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 14))
        .draw()?;
    if let Some(note) = &fig.annotation {
        chart.draw_series(std::iter::once(Text::new(
            note.clone(),
            (x_end * 0.02, 0.06),
            ("sans-serif", 14).into_font().color(&BLACK),
        )))?;
    }

    // Numbers at risk: the same x coordinate, margins and left label area as the plot.
    let row_keys: Vec<f64> = (0..rows).map(|r| r as f64 + 0.5).collect();
    let names: Vec<String> = fig.curves.iter().map(|c| c.group.clone()).collect();
    let mut table = ChartBuilder::on(&bottom)
        .margin_left(MARGIN)
        .margin_right(MARGIN)
        .margin_bottom(4)
        .caption("Number at risk", ("sans-serif", 13))
        .x_label_area_size(0)
        .y_label_area_size(left)
        .build_cartesian_2d(
            TickAxis::new(x_start..x_end, ticks.clone()),
            TickAxis::new(0.0..rows as f64, row_keys),
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
        let y = rows as f64 - r as f64 - 0.5;
        table.draw_series(ticks.iter().filter(|&&t| t <= x_end).map(|&t| {
            Text::new(
                c.at_risk(t).to_string(),
                (t, y),
                ("sans-serif", 13).into_font().color(&color).pos(
                    plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    ),
                ),
            )
        }))?;
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
