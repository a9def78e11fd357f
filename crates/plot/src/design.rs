//! The figure of a design (issue 17): power against the number of events or patients,
//! or a two-stage design's probability of declaring the treatment promising against its
//! true response rate; a dotted line at the design's target (its power, or p₀ and p₁).

use crate::sheet::{linear_ticks, svg_document, tick_text, Sheet, SvgFigure};
use crate::{group_color, text_pt};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use survcalc_core::design_report::DesignReport;

/// The design's curves as SVG at `width_in` inches.
///
/// # Errors
/// A message if plotters fails to draw, or the report has no curve.
pub fn design_svg(r: &DesignReport, width_in: f64) -> Result<SvgFigure, String> {
    let pts: Vec<(f64, f64)> = r
        .curves
        .iter()
        .flat_map(|c| c.points.iter().copied())
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if pts.is_empty() {
        return Err("the design has no curve to draw".into());
    }
    let s = Sheet::new(width_in);
    let em = s.em();
    let pt = text_pt::TICKS;
    let margin = s.px(5.0);
    let x_max = pts.iter().map(|p| p.0).fold(0.0, f64::max);
    let x_ticks = linear_ticks(0.0, x_max, 6);
    let x_end = x_ticks.last().copied().unwrap_or(x_max).max(x_max);
    let legend_h = em * 1.5 * r.curves.len() as f64;
    let (pl, pr) = (margin + em * 4.6, s.w - margin - em);
    let pt_top = margin + legend_h + em * 0.6;
    let plot_h = (s.w * 0.42).clamp(180.0, 320.0);
    let pb = pt_top + plot_h;
    let h = pb + em * 4.2 + margin;
    let x = |v: f64| pl + v / x_end * (pr - pl);
    let y = |v: f64| pb - v.clamp(0.0, 1.0) * (pb - pt_top);
    svg_document(s.w as u32, h.ceil() as u32, width_in, |area| {
        s.y_axis(
            area,
            pl,
            (pt_top, pb),
            &linear_ticks(0.0, 1.0, 6),
            y,
            &r.y_label,
            margin + em * 0.2,
        )?;
        s.line(area, (pl, pb), (pr, pb), BLACK, 0.6)?;
        for &t in &x_ticks {
            s.line(area, (x(t), pb), (x(t), pb + em * 0.35), BLACK, 0.6)?;
            s.text(
                area,
                &tick_text(t),
                (x(t), pb + em * 0.5),
                pt,
                BLACK,
                false,
                (HPos::Center, VPos::Top),
            )?;
        }
        s.text(
            area,
            &r.x_label,
            ((pl + pr) / 2.0, pb + em * 2.0),
            text_pt::AXIS_TITLE,
            BLACK,
            false,
            (HPos::Center, VPos::Top),
        )?;
        // The power asked for across, and the design's own x (events, patients, or p₀
        // and p₁) up, in grey under the curves.
        if let Some(v) = r.target_power {
            s.line(area, (pl, y(v)), (pr, y(v)), crate::sheet::NOTE_GREY, 0.6)?;
        }
        for &m in &r.x_marks {
            if m.is_finite() && m <= x_end {
                s.line(
                    area,
                    (x(m), pt_top),
                    (x(m), pb),
                    crate::sheet::NOTE_GREY,
                    0.6,
                )?;
            }
        }
        for (k, c) in r.curves.iter().enumerate() {
            let color = group_color(k);
            let line: Vec<(i32, i32)> = c
                .points
                .iter()
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .map(|&(a, b)| (x(a).round() as i32, y(b).round() as i32))
                .collect();
            area.draw(&PathElement::new(line, color.stroke_width(2)))?;
            let ly = margin + em * (0.7 + 1.5 * k as f64);
            s.line(area, (pl, ly), (pl + em * 2.0, ly), color, 2.0)?;
            s.text(
                area,
                &c.label,
                (pl + em * 2.6, ly),
                pt,
                BLACK,
                false,
                (HPos::Left, VPos::Center),
            )?;
        }
        Ok(())
    })
}
