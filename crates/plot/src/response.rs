//! The bar chart of a binary endpoint by arm (the response rate): a bar per arm at the
//! percentage responding, whiskers over its exact (Clopper–Pearson) interval, the
//! percentage and "x/n" written on it, and the comparison's P.

use crate::sheet::{linear_ticks, svg_document, Sheet, SvgFigure};
use crate::{figure_label, group_color, text_pt};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One bar: an arm's proportion with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The arm.
    pub label: String,
    /// Patients with the outcome.
    pub x: u64,
    /// Patients.
    pub n: u64,
    /// x / n.
    pub estimate: f64,
    /// Lower limit of the interval (a proportion).
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

/// Everything the bar chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BarFigure {
    /// One bar per arm, left to right.
    pub bars: Vec<Bar>,
    /// The vertical-axis title, e.g. "Objective response (%)".
    pub y_title: String,
    /// The comparison written above the bars, e.g. "Fisher's exact test P = .002".
    pub note: Option<String>,
    /// What the whiskers are, under the axis: "Whiskers: 95% CI, exact (Clopper–Pearson)".
    pub method: String,
    /// The printed width in inches.
    pub width_in: f64,
}

/// The bar chart as SVG at its printed width.
///
/// # Errors
/// A message if plotters fails to draw, or there is no bar.
pub fn bars_svg(f: &BarFigure) -> Result<SvgFigure, String> {
    if f.bars.is_empty() {
        return Err("there is no arm to plot".into());
    }
    let s = Sheet::new(f.width_in);
    let em = s.em();
    let pt = text_pt::TICKS;
    let margin = s.px(5.0);
    let plot_h = (s.w * 0.45).clamp(200.0, 340.0);
    let top_pct = f
        .bars
        .iter()
        .map(|b| b.upper * 100.0)
        .filter(|v| v.is_finite())
        .fold(10.0f64, f64::max);
    let y_end = ((top_pct * 1.12 / 10.0).ceil() * 10.0).min(100.0);
    let (pl, pr) = (margin + em * 4.2, s.w - margin);
    let pt_top = margin + em * 2.2;
    let pb = pt_top + plot_h;
    let h = pb + em * 5.6 + margin;
    let y = |pct: f64| pb - pct.clamp(0.0, y_end) / y_end * (pb - pt_top);
    let slot = (pr - pl) / f.bars.len() as f64;
    let bar_w = (slot * 0.5).min(em * 7.0);
    svg_document(s.w as u32, h.ceil() as u32, f.width_in, |area| {
        if let Some(note) = &f.note {
            s.text(
                area,
                note,
                (pl, margin + em * 0.6),
                pt,
                BLACK,
                false,
                (HPos::Left, VPos::Center),
            )?;
        }
        // The vertical axis with its ticks, and its title turned.
        s.y_axis(
            area,
            pl,
            (pt_top, pb),
            &linear_ticks(0.0, y_end, 6),
            y,
            &f.y_title,
            margin + em * 0.2,
        )?;
        s.line(area, (pl, pb), (pr, pb), BLACK, 0.6)?;
        for (k, b) in f.bars.iter().enumerate() {
            let c = pl + slot * (k as f64 + 0.5);
            let color = group_color(k);
            let pct = b.estimate * 100.0;
            area.draw(&Rectangle::new(
                [
                    ((c - bar_w / 2.0).round() as i32, y(pct).round() as i32),
                    ((c + bar_w / 2.0).round() as i32, pb.round() as i32),
                ],
                color.filled(),
            ))?;
            // The interval: a line with a cap at each end, in black over the bar.
            let (lo, hi) = (y(b.lower * 100.0), y(b.upper * 100.0));
            let cap = bar_w * 0.18;
            s.line(area, (c, lo), (c, hi), BLACK, 1.0)?;
            s.line(area, (c - cap, lo), (c + cap, lo), BLACK, 1.0)?;
            s.line(area, (c - cap, hi), (c + cap, hi), BLACK, 1.0)?;
            s.text(
                area,
                &format!("{pct:.1}%"),
                (c + cap + em * 0.4, hi.min(y(pct) - em * 0.2)),
                pt,
                BLACK,
                true,
                (HPos::Left, VPos::Bottom),
            )?;
            s.text(
                area,
                &figure_label(&b.label),
                (c, pb + em * 0.5),
                pt,
                BLACK,
                false,
                (HPos::Center, VPos::Top),
            )?;
            s.text(
                area,
                &format!("{} of {}", b.x, b.n),
                (c, pb + em * 1.9),
                pt,
                crate::sheet::NOTE_GREY,
                false,
                (HPos::Center, VPos::Top),
            )?;
        }
        s.note(area, &f.method, (pl, pb + em * 3.8))?;
        Ok(())
    })
}
