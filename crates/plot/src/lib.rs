//! # survcalc-plot
//!
//! The Kaplan–Meier figure: a step curve per group, censor marks, legend, axis labels with
//! units, an optional annotation (HR and P), and the numbers at risk under the time axis.
//!
//! Drawing is a function of data, generic over the plotters backend: [`draw_km`] renders
//! onto any `DrawingArea`; the page, the exports and the tests all use its SVG
//! ([`km_svg`]), which the page paints on its `<canvas>`. The numbers-at-risk table is a second chart
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
use std::borrow::Cow;
use std::ops::Range;
use survcalc_core::analysis::fmt_level;
use survcalc_core::format::p_label;
use survcalc_core::thin::Thinning;
use survcalc_core::{Analysis, KmCurve};

pub mod adverse;
pub mod design;
pub mod forest;
pub mod html;
pub mod response;
mod sheet;
pub mod trial;

pub use sheet::SvgFigure;

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
    pub curves: Cow<'a, [KmCurve]>,
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
    /// Draw the cumulative hazard −ln S(t) of each curve instead of S (or 1 − S): with
    /// [`KmFigure::cumulative_hazard`]'s curves, the Nelson–Aalen estimate and its band.
    pub cumulative_hazard: bool,
    /// `Some` when the curves were thinned for drawing ([`survcalc_core::thin`]), with the
    /// times at which their numbers at risk and counts are exact. The table under the
    /// figure leaves its cells at other times empty rather than print a count it cannot
    /// know.
    pub drawing: Option<Thinning>,
}

impl<'a> KmFigure<'a> {
    /// The figure of an analysis: its curves, headline medians and annotation (HR and P).
    pub fn of(a: &'a Analysis, x_label: String, options: FigureOptions) -> KmFigure<'a> {
        KmFigure {
            curves: Cow::Borrowed(&a.curves),
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
            cumulative_hazard: false,
            drawing: a.drawing.clone(),
        }
    }

    /// The cumulative incidence of `cause` by arm in a competing-risks analysis, drawn as
    /// the Kaplan–Meier figure draws 1 − S (legend, annotation, table): each arm's curve is
    /// its Kaplan–Meier curve of failure from any cause (its numbers at risk, events and
    /// censor marks) with `surv` = 1 − F(t), so that the figure's 1 − S is F.
    ///
    /// # Formula
    /// The band is pointwise on the log(−log) scale, as cmprsk users (Pintilie 2006) and
    /// tidycmprsk draw it: F^exp(±z σ / (F ln F)), σ² = cmprsk's variance, z at 95%.
    pub fn cumulative_incidence(
        a: &survcalc_core::competing_risks::CompetingAnalysis,
        cause: u32,
        x_label: String,
        mut options: FigureOptions,
    ) -> KmFigure<'static> {
        // Numbers at risk under the plot (KMunicate's events would count every cause).
        options.set_style(FigureStyle::Classic);
        options.risk_events = false;
        options.risk_censored = false;
        options.ci_band = true;
        options.cumulative_incidence = true;
        let curves: Vec<KmCurve> = a
            .any_event
            .iter()
            .filter_map(|km| {
                let cif = a
                    .curves
                    .iter()
                    .find(|c| c.cause == cause && c.group == km.group)?;
                let mut c = km.clone();
                let at: Vec<(f64, f64)> = c
                    .time
                    .iter()
                    .map(|&t| cif.at(t).unwrap_or((0.0, 0.0)))
                    .collect();
                c.surv = at.iter().map(|(f, _)| 1.0 - f).collect();
                // On the figure's 1 − F scale the upper limit of F is the lower one.
                let band: Vec<Option<(f64, f64)>> = at
                    .iter()
                    .map(|&(f, v)| survcalc_core::competing::log_log_interval(f, v, 0.95))
                    .collect();
                c.lower = band.iter().map(|b| b.map(|(_, hi)| 1.0 - hi)).collect();
                c.upper = band.iter().map(|b| b.map(|(lo, _)| 1.0 - lo)).collect();
                c.events = cif.events;
                Some(c)
            })
            .collect();
        let label = a
            .causes
            .iter()
            .find(|c| c.code == cause)
            .map_or_else(|| format!("cause {cause}"), |c| c.label.clone());
        let annotation = a
            .tests
            .iter()
            .find(|t| t.cause == cause)
            .and_then(|t| t.p_value)
            .map(|p| format!("Gray's test {}", p_label(p)));
        KmFigure {
            curves: Cow::Owned(curves),
            medians: vec![],
            x_label,
            y_label: format!(
                "Cumulative incidence of {label}{}",
                if options.percent { " (%)" } else { "" }
            ),
            annotation,
            ticks: vec![],
            options,
            cumulative_hazard: false,
            drawing: None,
        }
    }

    /// The Nelson–Aalen cumulative hazard of an analysis (R `survfit(ctype = 1)$cumhaz`,
    /// [`Analysis::cumulative_hazard`]) with a pointwise band, drawn as the Kaplan–Meier
    /// figure is (the same legend, annotation and table).
    ///
    /// Each curve is the group's Kaplan–Meier curve with `surv` = exp(−H(t)) and the band
    /// exp(−H_upper), exp(−H_lower), so that the figure's y = −ln(surv) is H itself; the
    /// numbers at risk, events and censored are the group's own.
    ///
    /// # Formula
    /// The vertical axis reads "Cumulative hazard (Nelson–Aalen)"; the band's level is the
    /// Kaplan–Meier bands' (the methods paragraph states it).
    ///
    /// The band is log-transformed (as lifelines' `NelsonAalenFitter`), which keeps it
    /// positive: H · exp(±z σ / H), σ = Aalen's standard error (R `std.chaz`),
    /// z = Φ⁻¹(1 − α/2) at the analysis' Kaplan–Meier confidence level; none where H = 0.
    pub fn cumulative_hazard(
        a: &Analysis,
        x_label: String,
        options: FigureOptions,
    ) -> KmFigure<'static> {
        let level = a.options.km.conf_level;
        let z = survcalc_core::numerics::qnorm(0.5 + level / 2.0);
        let curves: Vec<KmCurve> = a
            .curves
            .iter()
            .zip(&a.cumulative_hazard)
            .map(|(c, h)| {
                let mut c = c.clone();
                c.surv = h.cumhaz.iter().map(|&x| (-x).exp()).collect();
                let band = |sign: f64| -> Vec<Option<f64>> {
                    h.cumhaz
                        .iter()
                        .zip(&h.std_chaz)
                        .map(|(&x, &se)| {
                            (x > 0.0 && se.is_finite())
                                .then(|| (-(x * (sign * z * se / x).exp())).exp())
                        })
                        .collect()
                };
                c.lower = band(1.0);
                c.upper = band(-1.0);
                c
            })
            .collect();
        KmFigure {
            curves: Cow::Owned(curves),
            medians: vec![],
            x_label,
            y_label: "Cumulative hazard (Nelson\u{2013}Aalen)".into(),
            annotation: annotation(a),
            ticks: vec![],
            options,
            cumulative_hazard: true,
            drawing: a.drawing.clone(),
        }
    }
}

/// The look of the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum FigureStyle {
    /// KMunicate (Morris et al., BMJ Open 2019;9:e030215): a confidence band for each
    /// curve and, under the plot, a table grouped by arm with the number at risk, the
    /// cumulative number censored and the cumulative number of events at each tick (the
    /// three add up to the arm's total).
    #[default]
    Kmunicate,
    /// Numbers at risk only (optionally with cumulative events and censored blocks).
    Classic,
    /// The curves alone: no table under the plot.
    Minimal,
}

impl FigureStyle {
    /// Every style, in the order the page offers them.
    pub const ALL: [FigureStyle; 3] = [
        FigureStyle::Kmunicate,
        FigureStyle::Classic,
        FigureStyle::Minimal,
    ];

    /// The style's name on the page.
    pub fn label(self) -> &'static str {
        match self {
            FigureStyle::Kmunicate => "KMunicate (band; at risk, censored, events by arm)",
            FigureStyle::Classic => "Classic (numbers at risk)",
            FigureStyle::Minimal => "Minimal (curves only)",
        }
    }

    /// The style's key in links and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            FigureStyle::Kmunicate => "kmunicate",
            FigureStyle::Classic => "classic",
            FigureStyle::Minimal => "minimal",
        }
    }
}

/// Printed widths journals ask for (inches): single column, 1.5 column, double column.
pub const PRINT_WIDTHS: [(f64, &str); 3] = [
    (3.5, "single column (3.5 in)"),
    (5.5, "1.5 column (5.5 in)"),
    (7.2, "double column (7.2 in)"),
];

/// Text sizes in points at the printed size: journals ask for 8–12 pt.
pub mod text_pt {
    /// The title above the plot.
    pub const TITLE: f64 = 11.0;
    /// Axis titles.
    pub const AXIS_TITLE: f64 = 10.0;
    /// Tick labels, the legend, the annotation and the table's numbers.
    pub const TICKS: f64 = 9.0;
}

/// The figure's choices. The default is KMunicate at double-column width, survival in
/// percent: what a journal prints without touch-up.
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
    /// The look: KMunicate, classic or minimal.
    pub style: FigureStyle,
    /// The printed width in inches (text sizes are set in points at this width).
    pub width_in: f64,
    /// The vertical-axis title; empty for the endpoint's ("Overall survival (%)").
    pub y_title: String,
    /// The time-axis title; empty for the one from the unit ("Months since
    /// randomisation").
    pub x_title: String,
    /// The height of a censor mark in points at the printed size (2–20; 6 by default).
    pub censor_pt: f64,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            ci_band: true,
            median_lines: false,
            annotation: true,
            censor_marks: true,
            percent: true,
            cumulative_incidence: false,
            x_max: None,
            tick_step: None,
            title: String::new(),
            risk_events: false,
            risk_censored: false,
            style: FigureStyle::Kmunicate,
            width_in: 7.2,
            y_title: String::new(),
            x_title: String::new(),
            censor_pt: 6.0,
        }
    }
}

impl FigureOptions {
    /// Chooses a style with what it implies: KMunicate shows the bands, Classic and
    /// Minimal do not (each can be changed afterwards).
    pub fn set_style(&mut self, style: FigureStyle) {
        self.style = style;
        self.ci_band = style == FigureStyle::Kmunicate;
    }

    /// The censor marks' height in points, within 2–20.
    pub fn censor_height(&self) -> f64 {
        if self.censor_pt.is_finite() {
            self.censor_pt.clamp(2.0, 20.0)
        } else {
            6.0
        }
    }

    /// The printed width, within 2–12 inches.
    pub fn print_width(&self) -> f64 {
        if self.width_in.is_finite() {
            self.width_in.clamp(2.0, 12.0)
        } else {
            7.2
        }
    }

    /// The figure's size in CSS pixels (96 per inch) at its printed width, for `arms`
    /// groups: the plot, then the table the style draws.
    pub fn size_px(&self, arms: usize) -> (u32, u32) {
        let w = self.print_width() * 96.0;
        let line = text_pt::TICKS * 4.0 / 3.0 * 1.45;
        // A single-column figure needs a taller plot for its curves to read (the legend
        // and the annotation often take lines above it there).
        let plot = (w * 0.6).clamp(310.0, 520.0);
        let table = match self.style {
            FigureStyle::Minimal => 0.0,
            FigureStyle::Kmunicate => arms as f64 * (line * 4.0 + 6.0) + 8.0,
            FigureStyle::Classic => {
                let blocks = 1 + usize::from(self.risk_events) + usize::from(self.risk_censored);
                blocks as f64 * (line * (arms as f64 + 1.0) + 6.0) + 8.0
            }
        };
        (w.round() as u32, (plot + table).round() as u32)
    }

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
    count_of_first(c, c.time.partition_point(|&x| x <= t), events)
}

/// Events (or censorings) in the curve's first `k` rows.
fn count_of_first(c: &KmCurve, k: usize, events: bool) -> usize {
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

/// The line dash of group `i` (dash, gap) in points, `None` for solid: solid, dashed,
/// dotted, long dash, short dash — so that the arms stay apart in a greyscale print.
pub fn group_dash(i: usize) -> Option<(f64, f64)> {
    match i % 5 {
        0 => None,
        1 => Some((5.0, 3.0)),
        2 => Some((1.2, 2.0)),
        3 => Some((9.0, 3.0)),
        _ => Some((3.0, 1.5)),
    }
}

/// Outer margins (points).
const MARGIN_PT: f64 = 5.0;

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

/// The number of events (`events = true`) or censorings strictly before `t`: with the
/// number at risk at `t` (time ≥ t) they add up to the group's size, as KMunicate's table
/// does.
pub fn count_before(c: &KmCurve, t: f64, events: bool) -> usize {
    count_of_first(c, c.time.partition_point(|&x| x < t), events)
}

/// One row of the table under the plot: its label, colour and count at a tick.
struct TableRow<'a> {
    label: String,
    color: RGBColor,
    count: Box<dyn Fn(f64) -> usize + 'a>,
}

/// One block of the table: a caption (a quantity, or an arm for KMunicate) and its rows.
struct TableBlock<'a> {
    caption: String,
    color: RGBColor,
    rows: Vec<TableRow<'a>>,
}

/// The table the style draws under the plot.
fn table_blocks<'a>(fig: &'a KmFigure) -> Vec<TableBlock<'a>> {
    let o = &fig.options;
    let curves: &'a [KmCurve] = &fig.curves;
    match o.style {
        FigureStyle::Minimal => Vec::new(),
        FigureStyle::Kmunicate => curves
            .iter()
            .enumerate()
            .map(|(i, c)| TableBlock {
                caption: figure_label(&c.group),
                color: group_color(i),
                rows: vec![
                    TableRow {
                        label: "At risk".into(),
                        color: BLACK,
                        count: Box::new(move |t| c.at_risk(t)),
                    },
                    TableRow {
                        label: "Censored".into(),
                        color: BLACK,
                        count: Box::new(move |t| count_before(c, t, false)),
                    },
                    TableRow {
                        label: "Events".into(),
                        color: BLACK,
                        count: Box::new(move |t| count_before(c, t, true)),
                    },
                ],
            })
            .collect(),
        FigureStyle::Classic => {
            let by_arm = |f: fn(&KmCurve, f64) -> usize| -> Vec<TableRow<'a>> {
                curves
                    .iter()
                    .enumerate()
                    .map(|(i, c)| TableRow {
                        label: figure_label(&c.group),
                        color: group_color(i),
                        count: Box::new(move |t| f(c, t)),
                    })
                    .collect()
            };
            let mut blocks = vec![TableBlock {
                caption: "Number at risk".into(),
                color: BLACK,
                rows: by_arm(KmCurve::at_risk),
            }];
            if o.risk_events {
                blocks.push(TableBlock {
                    caption: "Cumulative number of events".into(),
                    color: BLACK,
                    rows: by_arm(|c, t| cumulative_count(c, t, true)),
                });
            }
            if o.risk_censored {
                blocks.push(TableBlock {
                    caption: "Cumulative number censored".into(),
                    color: BLACK,
                    rows: by_arm(|c, t| cumulative_count(c, t, false)),
                });
            }
            blocks
        }
    }
}

/// One legend entry: its label, colour and line dash.
type LegendEntry = (String, RGBColor, Option<(f64, f64)>);

/// A box in pixels: left, top, right, bottom.
type PixelBox = (i32, i32, i32, i32);

fn overlaps(a: PixelBox, b: PixelBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Where the annotation goes inside the plot: the first candidate box (bottom left,
/// bottom right, bottom centre, under the legend, top left, middle right, middle left)
/// that no curve, band or the legend enters; `None` when every one is taken (it then goes
/// above the plot). `points` are the curves' pixels, sampled along every segment.
fn free_box(
    plot: PixelBox,
    size: (i32, i32),
    points: &[(i32, i32)],
    obstacles: &[PixelBox],
    legend: PixelBox,
) -> Option<PixelBox> {
    let (w, h) = size;
    let pad = 4;
    let (l, t, r, b) = plot;
    let candidates = [
        (l + 8, b - 8 - h),
        (r - 8 - w, b - 8 - h),
        ((l + r - w) / 2, b - 8 - h),
        (r - 8 - w, legend.3 + 6),
        (l + 8, t + 8),
        (r - 8 - w, (t + b - h) / 2),
        (l + 8, (t + b - h) / 2),
    ];
    candidates.into_iter().find_map(|(x, y)| {
        let bx = (x - pad, y - pad, x + w + pad, y + h + pad);
        let inside = bx.0 >= l && bx.1 >= t && bx.2 <= r && bx.3 <= b;
        let clear = inside
            && !overlaps(bx, legend)
            && !obstacles.iter().any(|o| overlaps(bx, *o))
            && !points
                .iter()
                .any(|&(px, py)| px >= bx.0 && px <= bx.2 && py >= bx.1 && py <= bx.3);
        clear.then_some((x, y, x + w, y + h))
    })
}

/// Where the legend may go, in order: upper right (upper left for incidence, which
/// rises to the right), then the other corners.
fn legend_corners(plot: PixelBox, size: (i32, i32), incidence: bool) -> Vec<PixelBox> {
    let (l, t, r, b) = plot;
    let (w, h) = size;
    let ur = (r - 6 - w, t + 6, r - 6, t + 6 + h);
    let ul = (l + 6, t + 6, l + 6 + w, t + 6 + h);
    let lr = (r - 6 - w, b - 6 - h, r - 6, b - 6);
    let ll = (l + 6, b - 6 - h, l + 6 + w, b - 6);
    let all = if incidence {
        [ul, ur, ll, lr]
    } else {
        [ur, lr, ll, ul]
    };
    all.into_iter()
        .filter(|bx| bx.0 >= l && bx.1 >= t && bx.2 <= r && bx.3 <= b)
        .collect()
}

/// Pixels along the polyline `pts` (already in pixels), every 2 pixels.
fn sample_polyline(pts: &[(i32, i32)], out: &mut Vec<(i32, i32)>) {
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 2).max(1);
        for k in 0..=steps {
            out.push((a.0 + (b.0 - a.0) * k / steps, a.1 + (b.1 - a.1) * k / steps));
        }
    }
    if pts.len() == 1 {
        out.push(pts[0]);
    }
}

/// Draws the Kaplan–Meier figure with the table its style asks for onto `area`. Text is
/// set in points at the printed width ([`FigureOptions::width_in`]): the area's width in
/// pixels stands for that width, so screen, SVG and PNG are one drawing at any scale.
///
/// # Errors
/// Whatever the backend reports while drawing.
pub fn draw_km<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &KmFigure,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let o = &fig.options;
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    // Pixels per point at the printed width.
    let ppt = f64::from(w) / (o.print_width() * 72.0);
    let px = |pt: f64| (pt * ppt).round().max(1.0) as u32;
    // plotters sets a font of size s as CSS font-size s / 1.24 (its line box): the sizes
    // passed are the point sizes × 1.24, so that the text itself is that many points.
    let font = |pt: f64| (pt * ppt * 1.24).round().max(1.0) as u32;
    let (f_title, f_axis, f_tick) = (
        font(text_pt::TITLE),
        font(text_pt::AXIS_TITLE),
        font(text_pt::TICKS),
    );
    // The em of the tick font in pixels, for the geometry of text.
    let em = text_pt::TICKS * ppt;
    let margin = px(MARGIN_PT);
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
    // Room left of 0 so that the first table column (three or four digits) clears the
    // row labels.
    let x_start = -0.05 * x_end;
    let hazard = fig.cumulative_hazard;
    // The plotted value of a curve's `surv`: −ln S for the cumulative hazard.
    let y = |s: f64| {
        if hazard {
            -s.max(f64::MIN_POSITIVE).ln()
        } else {
            o.y_of(s)
        }
    };
    let y_top = if hazard {
        // Up to the highest curve or band drawn (within the time axis), rounded up.
        let top = fig
            .curves
            .iter()
            .flat_map(|c| {
                // The band is drawn between one time and the next: none after the last.
                let banded = c.time.len().saturating_sub(1);
                c.time
                    .iter()
                    .zip(c.surv.iter().zip(&c.lower))
                    .enumerate()
                    .filter(|(_, (t, _))| **t <= x_end)
                    .map(move |(j, (_, (s, lo)))| {
                        let band = lo.filter(|_| j < banded).unwrap_or(*s);
                        y(band).max(y(*s))
                    })
            })
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        hazard_axis_end(top)
    } else {
        o.y_of(if o.cumulative_incidence { 0.0 } else { 1.0 }) * 1.02
    };
    let mut blocks = table_blocks(fig);
    // The left label area of the plot and the table: room for the y ticks and title, or
    // for the table's longest row label (an arm in the classic table), up to 35% of the
    // width; a label longer than that ends in "…".
    let char_w = 0.56 * em;
    let longest = blocks
        .iter()
        .flat_map(|b| b.rows.iter().map(|r| r.label.chars().count()))
        .max()
        .unwrap_or(0);
    let label_area = (f_tick * 3 + f_axis + px(6.0))
        .max(((longest as f64 * char_w).ceil() as u32 + px(8.0)).min(w * 35 / 100));
    let fits = ((f64::from(label_area.saturating_sub(px(8.0))) / char_w) as usize).max(2);
    for row in blocks.iter_mut().flat_map(|b| b.rows.iter_mut()) {
        if row.label.chars().count() > fits {
            row.label = row.label.chars().take(fits - 1).chain(['…']).collect();
        }
    }
    let line_h = (em * 1.5).round() as u32;
    let caption_h = line_h + px(2.0);
    let table_h: u32 = blocks
        .iter()
        .map(|b| caption_h + line_h * b.rows.len() as u32 + px(3.0))
        .sum::<u32>()
        .min(h * 3 / 5);
    let (top, bottom) = area.split_vertically(h.saturating_sub(table_h));

    let note = fig.annotation.as_ref().filter(|_| o.annotation);
    let y_label = if !o.y_title.trim().is_empty() {
        o.y_title.trim().to_string()
    } else if fig.y_label.is_empty() {
        o.y_label().to_string()
    } else {
        fig.y_label.clone()
    };
    let x_label = if o.x_title.trim().is_empty() {
        fig.x_label.clone()
    } else {
        o.x_title.trim().to_string()
    };
    // `probe`: a chart only to measure where the plot will be (its caption, which
    // plotters draws at once, is a blank of the same height).
    let build = |on: &DrawingArea<DB, Shift>, probe: bool| {
        let mut builder = ChartBuilder::on(on);
        builder
            .margin(margin)
            .x_label_area_size(f_tick + f_axis + px(9.0))
            .y_label_area_size(label_area);
        if !o.title.trim().is_empty() {
            let text = if probe { " " } else { o.title.trim() };
            builder.caption(text, ("sans-serif", f_title));
        }
        builder.build_cartesian_2d(TickAxis::new(x_start..x_end, ticks.clone()), 0.0..y_top)
    };
    let curve_points: Vec<Vec<(f64, f64)>> = fig
        .curves
        .iter()
        .map(|c| {
            clip(step_points(c), x_end)
                .into_iter()
                .map(|(t, s)| (t, y(s)))
                .collect()
        })
        .collect();
    // The annotation's box: inside the plot where nothing is drawn, or a line above it.
    let note_size = note.map(|n| {
        (
            (n.chars().count() as f64 * 0.56 * em).ceil() as i32,
            (em * 1.3).ceil() as i32,
        )
    });
    let legend_w = fig
        .curves
        .iter()
        .map(|c| {
            format!("{} (n = {})", figure_label(&c.group), c.n)
                .chars()
                .count()
        })
        .max()
        .unwrap_or(0) as f64
        * 0.56
        * em
        + 4.0 * em;
    let legend_h = fig.curves.len() as f64 * em * 1.6 + em;
    let placement = |chart: &ChartContext<DB, Cartesian2d<TickAxis, RangedCoordf64>>| {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let plot = (xr.start, yr.start, xr.end, yr.end);
        let mut points = Vec::new();
        for pts in &curve_points {
            let pix: Vec<(i32, i32)> = pts.iter().map(|&p| chart.backend_coord(&p)).collect();
            sample_polyline(&pix, &mut points);
        }
        let mut obstacles = Vec::new();
        if o.ci_band {
            for c in fig.curves.iter() {
                for j in 0..c.time.len().saturating_sub(1) {
                    if let (Some(lo), Some(hi)) = (
                        c.lower.get(j).copied().flatten(),
                        c.upper.get(j).copied().flatten(),
                    ) {
                        let (t0, t1) = (c.time[j].min(x_end), c.time[j + 1].min(x_end));
                        let a = chart.backend_coord(&(t0, y(hi)));
                        let b = chart.backend_coord(&(t1, y(lo)));
                        obstacles.push((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)));
                    }
                }
            }
        }
        // The legend first (upper right, or left for incidence, then the other corners),
        // then the annotation where neither the curves nor the legend are.
        let nothing = (0, 0, 0, 0);
        let corners = legend_corners(
            plot,
            (legend_w as i32, legend_h as i32),
            o.cumulative_incidence || hazard,
        );
        let legend = corners.into_iter().find(|&b| {
            !obstacles.iter().any(|r| overlaps(b, *r))
                && !points
                    .iter()
                    .any(|&(px, py)| px >= b.0 && px <= b.2 && py >= b.1 && py <= b.3)
        });
        let note_at = note_size
            .and_then(|size| free_box(plot, size, &points, &obstacles, legend.unwrap_or(nothing)));
        (legend, note_at)
    };
    // Try inside the plot first; what has no free place gets a line above the plot.
    let probe = build(&top, true)?;
    let (legend_in, inside) = placement(&probe);
    drop(probe);
    let strip_line = (em * 1.9).round() as u32;
    // A legend above the plot: its entries side by side, or one a line when they do not fit.
    let strip_x = (label_area + margin) as i32;
    let entry_w = |k: usize| {
        let c = &fig.curves[k];
        (em * (3.9
            + 0.56
                * format!("{} (n = {})", figure_label(&c.group), c.n)
                    .chars()
                    .count() as f64)) as i32
    };
    let side_by_side: i32 = (0..fig.curves.len()).map(entry_w).sum();
    let legend_lines = if strip_x + side_by_side <= w as i32 {
        1
    } else {
        fig.curves.len().max(1) as u32
    };
    let strip_h = u32::from(note.is_some() && inside.is_none()) * strip_line
        + u32::from(legend_in.is_none()) * strip_line * legend_lines;
    let (strip, plot_area) = if strip_h > 0 {
        let (s, rest) = top.split_vertically(strip_h);
        (Some(s), rest)
    } else {
        (None, top.clone())
    };
    let mut chart = build(&plot_area, false)?;
    // Under a strip the plot is shorter: what fitted inside on the probe is placed again
    // on the final chart (the legend keeps the probe's place, moved down, if it no longer
    // fits; the annotation then goes to the strip).
    let (legend_in, inside) = if strip_h > 0 {
        let dy = strip_h as i32;
        let (legend_again, note_again) = placement(&chart);
        (
            legend_in.map(|b| legend_again.unwrap_or((b.0, b.1 + dy, b.2, b.3 + dy))),
            inside.and(note_again),
        )
    } else {
        (legend_in, inside)
    };
    let percent = o.percent;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_label.as_str())
        .y_desc(y_label.as_str())
        .x_label_formatter(&|v| tick_label(*v))
        .y_labels(6)
        .y_label_formatter(&|v| {
            if hazard {
                if y_top < 1.0 {
                    format!("{v:.2}")
                } else {
                    format!("{v:.1}")
                }
            } else if percent {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        })
        .axis_desc_style(("sans-serif", f_axis))
        .label_style(("sans-serif", f_tick))
        .axis_style(BLACK.stroke_width(px(0.6)))
        .draw()?;

    if o.ci_band {
        for (i, c) in fig.curves.iter().enumerate() {
            let fill = group_color(i).mix(0.16).filled();
            let n = c.time.len();
            let steps = (0..n.saturating_sub(1)).filter_map(|j| {
                let (t0, t1) = (c.time[j], c.time[j + 1].min(x_end));
                let (lo, hi) = (
                    c.lower.get(j).copied().flatten()?,
                    c.upper.get(j).copied().flatten()?,
                );
                (t0 < t1).then(|| (t0, t1, y(lo), y(hi)))
            });
            // Steps narrower than a pixel column are drawn as one rectangle per column
            // (their envelope): the same pixels, not thousands of elements for a large
            // data set.
            let column = |t: f64| chart.backend_coord(&(t, 0.0)).0;
            let mut boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
            let mut open: Option<i32> = None;
            for (t0, t1, a, b) in steps {
                let (c0, c1) = (column(t0), column(t1));
                match boxes.last_mut() {
                    Some(r) if c0 == c1 && open == Some(c0) && r.1 == t0 => {
                        r.1 = t1;
                        r.2 = r.2.min(a.min(b));
                        r.3 = r.3.max(a.max(b));
                    }
                    _ => {
                        boxes.push((t0, t1, a.min(b), a.max(b)));
                        open = (c0 == c1).then_some(c0);
                    }
                }
            }
            // Boxes that touch are one shape: its top edge left to right, then its
            // bottom edge back. One polygon per stretch of the band, instead of a
            // rectangle per step or column (hundreds at 10^6 patients), for the browser
            // to lay out and paint (issue 15).
            let mut outlines: Vec<Vec<(f64, f64, f64, f64)>> = Vec::new();
            for b in boxes {
                match outlines.last_mut() {
                    Some(run) if run.last().is_some_and(|r| r.1 == b.0) => run.push(b),
                    _ => outlines.push(vec![b]),
                }
            }
            chart.draw_series(outlines.into_iter().map(|run| {
                let top = run.iter().flat_map(|&(t0, t1, _, hi)| [(t0, hi), (t1, hi)]);
                let bottom = run
                    .iter()
                    .rev()
                    .flat_map(|&(t0, t1, lo, _)| [(t1, lo), (t0, lo)]);
                Polygon::new(top.chain(bottom).collect::<Vec<_>>(), fill)
            }))?;
        }
    }
    if o.median_lines && !hazard {
        let half = y(0.5);
        let style = BLACK.mix(0.55).stroke_width(px(0.6));
        // Only where the median is reached (an open-ended curve has none to draw).
        for m in fig.medians.iter().flatten().filter(|m| **m <= x_end) {
            chart.draw_series(DashedLineSeries::new(
                vec![(0.0, half), (*m, half)],
                px(3.0),
                px(2.0),
                style,
            ))?;
            chart.draw_series(DashedLineSeries::new(
                vec![(*m, half), (*m, 0.0)],
                px(3.0),
                px(2.0),
                style,
            ))?;
        }
    }
    // Half a censor mark in data units: its height in points over the plot's pixels.
    let plot_px = {
        let (_, yr) = chart.plotting_area().get_pixel_range();
        f64::from((yr.end - yr.start).max(1))
    };
    let tick_h = o.censor_height() / 2.0 * ppt / plot_px * y_top;
    let line_w = px(1.1);
    for (i, c) in fig.curves.iter().enumerate() {
        let color = group_color(i);
        let style = color.stroke_width(line_w);
        // Vertices on the pixel of the one before add nothing to the line.
        let mut pts = curve_points[i].clone();
        pts.dedup_by(|b, a| chart.backend_coord(a) == chart.backend_coord(b));
        let series = match group_dash(i) {
            None => chart.draw_series(LineSeries::new(pts, style))?,
            Some((d, g)) => chart.draw_series(DashedLineSeries::new(pts, px(d), px(g), style))?,
        };
        let _ = series;
        if o.censor_marks {
            // One mark per pixel: marks on the same pixel are the same drawing.
            let mut marks: Vec<(f64, f64)> =
                c.censor_marks().filter(|(t, _)| *t <= x_end).collect();
            marks.dedup_by(|b, a| {
                chart.backend_coord(&(a.0, y(a.1))) == chart.backend_coord(&(b.0, y(b.1)))
            });
            chart.draw_series(marks.into_iter().map(|(t, s)| {
                PathElement::new(
                    vec![(t, y(s) - tick_h), (t, y(s) + tick_h)],
                    color.stroke_width(px(0.8)),
                )
            }))?;
        }
    }
    // The legend: a sample of each arm's line (with its dash) and its label, in the
    // free corner found above, or in a line above the plot.
    let entries: Vec<LegendEntry> = fig
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                format!("{} (n = {})", figure_label(&c.group), c.n),
                group_color(i),
                group_dash(i),
            )
        })
        .collect();
    let sample = |area: &DrawingArea<DB, Shift>,
                  x: i32,
                  y: i32,
                  color: RGBColor,
                  dash: Option<(f64, f64)>|
     -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let seg = em * 2.4;
        let style = color.stroke_width(line_w);
        match dash {
            None => area.draw(&PathElement::new(vec![(x, y), (x + seg as i32, y)], style))?,
            Some((d, g)) => {
                let (d, g) = (d * ppt, g * ppt);
                let mut at = 0.0;
                while at < seg {
                    let end = (at + d).min(seg);
                    area.draw(&PathElement::new(
                        vec![(x + at as i32, y), (x + end.max(at + 1.0) as i32, y)],
                        style,
                    ))?;
                    at += d + g;
                }
            }
        }
        Ok(())
    };
    let font = ("sans-serif", f_tick).into_font().color(&BLACK);
    let row_h = em * 1.6;
    match (legend_in, &strip) {
        (Some(b), _) => {
            plot_area.draw(&Rectangle::new(
                [(b.0, b.1), (b.2, b.3)],
                WHITE.mix(0.85).filled(),
            ))?;
            plot_area.draw(&Rectangle::new([(b.0, b.1), (b.2, b.3)], BLACK.mix(0.4)))?;
            for (k, (label, color, dash)) in entries.iter().enumerate() {
                let yk = b.1 + (em * 0.5 + row_h * k as f64) as i32;
                sample(
                    &plot_area,
                    b.0 + (em * 0.5) as i32,
                    yk + (em * 0.55) as i32,
                    *color,
                    *dash,
                )?;
                plot_area.draw(&Text::new(
                    label.clone(),
                    (b.0 + (em * 3.3) as i32, yk),
                    font.clone(),
                ))?;
            }
        }
        (None, Some(s)) => {
            // Above the plot: the entries side by side, or one a line.
            let (mut x, mut yk) = (strip_x, (strip_line as i32 - em as i32) / 2);
            for (k, (label, color, dash)) in entries.iter().enumerate() {
                sample(s, x, yk + (em * 0.55) as i32, *color, *dash)?;
                s.draw(&Text::new(
                    label.clone(),
                    (x + (em * 2.9) as i32, yk),
                    font.clone(),
                ))?;
                if legend_lines == 1 {
                    x += entry_w(k);
                } else {
                    yk += strip_line as i32;
                }
            }
        }
        (None, None) => {}
    }
    if let Some(text) = note {
        let font = ("sans-serif", f_tick).into_font().color(&BLACK);
        match (inside, &strip) {
            (Some(b), _) => {
                plot_area.draw(&Text::new(text.clone(), (b.0, b.1), font))?;
            }
            (None, Some(s)) => {
                let (sw, sh) = s.dim_in_pixel();
                // Over the plot, or as far left as it needs to end within the figure (a
                // single-column figure with long row labels has a narrow plot).
                let note_w = note_size.map_or(0, |(nw, _)| nw);
                let x = ((label_area + margin) as i32)
                    .min(sw as i32 - margin as i32 - note_w)
                    .max(margin as i32);
                s.draw(&Text::new(
                    text.clone(),
                    (
                        x,
                        sh as i32 - strip_line as i32 + (strip_line as i32 - em as i32) / 2,
                    ),
                    font,
                ))?;
            }
            (None, None) => {}
        }
    }

    // The table: the same x coordinate, margins and left label area as the plot.
    if !blocks.is_empty() {
        let heights: Vec<u32> = blocks
            .iter()
            .map(|b| caption_h + line_h * b.rows.len() as u32 + px(3.0))
            .collect();
        let total: u32 = heights.iter().sum::<u32>().max(1);
        let (_, bh) = bottom.dim_in_pixel();
        let mut rest = bottom.clone();
        for (k, block) in blocks.iter().enumerate() {
            let part_h = if k + 1 == blocks.len() {
                rest.dim_in_pixel().1
            } else {
                (u64::from(heights[k]) * u64::from(bh) / u64::from(total)) as u32
            };
            let (part, next) = rest.split_vertically(part_h);
            rest = next;
            let n_rows = block.rows.len().max(1);
            let row_keys: Vec<f64> = (0..n_rows).map(|r| r as f64 + 0.5).collect();
            let labels: Vec<String> = block.rows.iter().map(|r| r.label.clone()).collect();
            let mut table = ChartBuilder::on(&part)
                .margin_left(margin)
                .margin_right(margin)
                .margin_bottom(px(2.0))
                .margin_top(caption_h)
                .x_label_area_size(0)
                .y_label_area_size(label_area)
                .build_cartesian_2d(
                    TickAxis::new(x_start..x_end, ticks.clone()),
                    TickAxis::new(0.0..n_rows as f64, row_keys.clone()),
                )?;
            // The block's caption (an arm, or a quantity) at the left, over its row labels.
            part.draw(&Text::new(
                block.caption.clone(),
                (margin as i32, (caption_h as i32 - em as i32) / 2),
                ("sans-serif", f_tick)
                    .into_font()
                    .style(FontStyle::Bold)
                    .color(&block.color),
            ))?;
            table
                .configure_mesh()
                .disable_mesh()
                .disable_x_axis()
                .axis_style(WHITE)
                .y_label_formatter(&|v| {
                    // Row r (from the top) is drawn at y = rows − r − 0.5.
                    let r = n_rows as f64 - 0.5 - v;
                    labels.get(r.round() as usize).cloned().unwrap_or_default()
                })
                .label_style(("sans-serif", f_tick))
                .draw()?;
            for (r, row) in block.rows.iter().enumerate() {
                let yr = n_rows as f64 - r as f64 - 0.5;
                // A thinned analysis's counts are known at its exact times only.
                let known = |t: &&f64| fig.drawing.as_ref().is_none_or(|d| d.is_exact_at(**t));
                table.draw_series(ticks.iter().filter(known).map(|&t| {
                    Text::new(
                        (row.count)(t).to_string(),
                        (t, yr),
                        ("sans-serif", f_tick).into_font().color(&row.color).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        ),
                    )
                }))?;
            }
        }
    }
    area.present()?;
    Ok(())
}

/// The end of a cumulative-hazard axis whose highest value is `top`: 1.05 × top rounded up
/// to 1, 2 or 5 times a power of ten's tenth (0.1 at least).
fn hazard_axis_end(top: f64) -> f64 {
    let want = (top * 1.05).max(0.1);
    let step = 10f64.powf(want.log10().floor()) / 10.0;
    for m in [1.0, 2.0, 5.0, 10.0] {
        let s = step * m;
        let end = (want / s).ceil() * s;
        if end / want < 1.25 {
            return end;
        }
    }
    want
}

/// The figure as an SVG document of `width` × `height` pixels (its coordinates), sized
/// in inches at the printed width ([`FigureOptions::width_in`]) so that a journal's
/// system, Word or Illustrator places it at that size with its text in points.
///
/// # Errors
/// A message if plotters fails to draw.
pub fn km_svg(fig: &KmFigure, width: u32, height: u32) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw_km(&root, fig).map_err(|e| e.to_string())?;
    }
    Ok(sheet::finished(
        &out,
        width,
        height,
        fig.options.print_width(),
    ))
}

/// The figure as an SVG at its own size: [`FigureOptions::size_px`] for its arms.
///
/// # Errors
/// As [`km_svg`].
pub fn km_svg_print(fig: &KmFigure) -> Result<String, String> {
    let (w, h) = fig.options.size_px(fig.curves.len().max(1));
    km_svg(fig, w, h)
}

/// The CRC-32 of a PNG chunk's type and data (PNG spec, Annex D: ISO 3309, the reflected
/// polynomial 0xEDB88320), a bit at a time. Written here rather than taken from
/// crc32fast: the chunk is 13 bytes, and that crate's 16 kB of tables were 1.4% of what
/// opening the page downloads (issue 15: the page stays within 1 MB).
fn png_crc(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// Pixels per inch of the PNG export (600 is offered too).
pub const PNG_DPI: f64 = 300.0;

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
    let crc = png_crc(&chunk[4..]);
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

/// The time-axis title from the analysis unit: "Months since randomisation" (time is
/// measured from randomisation in a trial; the title can be edited).
pub fn time_axis_title(unit: Option<survcalc_core::TimeUnit>) -> String {
    match unit {
        Some(u) => {
            let name = u.name();
            let mut c = name.chars();
            let first = c
                .next()
                .map(|f| f.to_uppercase().collect::<String>())
                .unwrap_or_default();
            format!("{first}{} since randomisation", c.as_str())
        }
        None => "Time since randomisation".into(),
    }
}

/// The vertical-axis title of an endpoint: "Overall survival (%)",
/// "Progression-free survival (%)"; the generic one ("Survival (%)", "Cumulative
/// incidence (%)") for an endpoint whose name is not a kind of survival.
pub fn endpoint_y_title(endpoint: &str, o: &FigureOptions) -> String {
    let long = survcalc_core::trial::long_name(endpoint);
    if !o.cumulative_incidence && long.to_lowercase().ends_with("survival") {
        if o.percent {
            format!("{long} (%)")
        } else {
            format!("{long} (probability)")
        }
    } else {
        o.y_label().to_string()
    }
}

/// Several figures side by side as one SVG, labelled A, B, … in bold at their top left
/// (one figure alone has no letter),
/// as trial papers print OS and PFS: each panel is [`km_svg_print`] at its own printed
/// width, and the whole is as wide as they are together.
///
/// # Errors
/// As [`km_svg`].
pub fn km_panels_svg(figs: &[KmFigure]) -> Result<SvgFigure, String> {
    let mut inner = String::new();
    let (mut x, mut height, mut width_in) = (0u32, 0u32, 0.0f64);
    let label_pt = text_pt::TITLE + 1.0;
    for (k, fig) in figs.iter().enumerate() {
        let (w, h) = fig.options.size_px(fig.curves.len().max(1));
        let svg = km_svg(fig, w, h)?;
        // The panel's root element, placed at x; its own viewBox keeps its drawing.
        let body = svg.trim_start_matches(|c| c != '<');
        let body = match body.split_once('>') {
            Some((open, rest)) if open.starts_with("<svg") => {
                let view = open
                    .split_once("viewBox")
                    .map(|(_, v)| format!("viewBox{v}"))
                    .unwrap_or_default();
                format!("<svg x=\"{x}\" y=\"0\" width=\"{w}\" height=\"{h}\" {view}>{rest}")
            }
            _ => return Err("a panel could not be drawn".into()),
        };
        let letter = char::from(b'A' + (k % 26) as u8);
        let size = label_pt * 96.0 / 72.0;
        inner.push_str(&body);
        if figs.len() > 1 {
            inner.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" font-family=\"sans-serif\" font-size=\"{size:.1}\" font-weight=\"bold\">{letter}</text>\n",
            x + 2,
            size
        ));
        }
        x += w;
        height = height.max(h);
        width_in += fig.options.print_width();
    }
    let height_in = width_in * f64::from(height) / f64::from(x.max(1));
    Ok(SvgFigure {
        svg: format!(
            "<svg width=\"{width_in:.3}in\" height=\"{height_in:.3}in\" viewBox=\"0 0 {x} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"{x}\" height=\"{height}\" fill=\"#ffffff\"/>\n{inner}</svg>\n"
        ),
        width: x,
        height,
        width_in,
    })
}

#[cfg(test)]
mod tests {
    /// The CRC-32 check value (ISO 3309 / ITU-T V.42) and the CRC of every PNG's IEND.
    #[test]
    fn png_crc_is_the_standard_crc32() {
        assert_eq!(super::png_crc(b"123456789"), 0xCBF4_3926);
        assert_eq!(super::png_crc(b"IEND"), 0xAE42_6082);
        assert_eq!(super::png_crc(b""), 0);
    }
}
