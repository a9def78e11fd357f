//! The "dot-and-bar" figure of adverse events (Amit, Heiberger & Lane, Pharm Stat
//! 2008;7:20–35; as NEJM and Lancet print safety data): for each term, the incidence in
//! each arm as a marker (a different shape per arm, so it reads in greyscale) on the
//! left, and the risk difference of each arm versus the reference with its confidence
//! interval on the right, with a line at no difference.

use crate::sheet::{linear_ticks, svg_document, tick_text, Sheet, SvgFigure};
use crate::{figure_label, group_color, text_pt};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// A risk difference in percentage points with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// 100 · (p_arm − p_reference).
    pub estimate: f64,
    /// Lower limit (percentage points).
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

/// One term of the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct AeDotRow {
    /// The event term.
    pub term: String,
    /// Incidence in percent, per arm (NaN when an arm has no patient at risk).
    pub percent: Vec<f64>,
    /// Each non-reference arm's difference from the reference (arm 0), in arm order;
    /// `None` where it cannot be estimated.
    pub differences: Vec<Option<Difference>>,
}

/// Everything the figure shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AeDotFigure {
    /// Arm labels; the first is the reference of the differences.
    pub arms: Vec<String>,
    /// Patients at risk per arm (for the legend).
    pub at_risk: Vec<u64>,
    /// The terms, top to bottom.
    pub rows: Vec<AeDotRow>,
    /// The confidence level of the differences (0.95).
    pub conf_level: f64,
    /// How the differences' intervals were made, under the axis.
    pub method: String,
    /// The printed width in inches.
    pub width_in: f64,
}

/// Draws the marker of arm `k` centred at (x, y), `r` pixels in radius: a filled circle,
/// an open triangle, a filled square, an open diamond, … .
fn marker(
    area: &DrawingArea<SVGBackend, Shift>,
    k: usize,
    (x, y): (f64, f64),
    r: f64,
) -> crate::sheet::Drawn {
    let color = group_color(k);
    let style = if k.is_multiple_of(2) {
        color.filled()
    } else {
        color.stroke_width((r / 3.0).round().max(1.0) as u32)
    };
    let p = |dx: f64, dy: f64| ((x + dx).round() as i32, (y + dy).round() as i32);
    match k % 4 {
        0 => area.draw(&Circle::new(p(0.0, 0.0), r.round() as i32, style)),
        1 => area.draw(&PathElement::new(
            vec![p(0.0, -r), p(r, r * 0.8), p(-r, r * 0.8), p(0.0, -r)],
            style,
        )),
        2 => area.draw(&Rectangle::new(
            [p(-r * 0.85, -r * 0.85), p(r * 0.85, r * 0.85)],
            style,
        )),
        _ => area.draw(&PathElement::new(
            vec![p(0.0, -r), p(r, 0.0), p(0.0, r), p(-r, 0.0), p(0.0, -r)],
            style,
        )),
    }
}

/// The figure as SVG at its printed width.
///
/// # Errors
/// A message if plotters fails to draw, or there is no term.
pub fn ae_dot_svg(f: &AeDotFigure) -> Result<SvgFigure, String> {
    if f.rows.is_empty() {
        return Err("there is no adverse event to plot".into());
    }
    let s = Sheet::new(f.width_in);
    let em = s.em();
    let pt = text_pt::TICKS;
    let margin = s.px(5.0);
    let row_h = em * 1.7;
    let terms: Vec<String> = f.rows.iter().map(|r| figure_label(&r.term)).collect();
    let label_w = terms
        .iter()
        .map(|t| s.text_w(t, pt))
        .fold(0.0, f64::max)
        .min(s.w * 0.3)
        + em;
    let gap = em * 1.5;
    let panels = s.w - 2.0 * margin - label_w - gap;
    let (l1, r1) = (margin + label_w, margin + label_w + panels * 0.45);
    let (l2, r2) = (r1 + gap, s.w - margin);
    // The legend: one line per arm above the panels when they do not fit side by side.
    let entries: Vec<String> = f
        .arms
        .iter()
        .enumerate()
        .map(|(k, a)| {
            format!(
                "{} (n = {})",
                figure_label(a),
                f.at_risk.get(k).copied().unwrap_or(0)
            )
        })
        .collect();
    let entry_w: Vec<f64> = entries.iter().map(|e| s.text_w(e, pt) + em * 2.5).collect();
    let one_line = margin + entry_w.iter().sum::<f64>() <= s.w;
    let legend_h = if one_line {
        em * 1.8
    } else {
        em * 1.6 * entries.len() as f64 + em * 0.2
    };
    let top = margin + legend_h + em * 1.6;
    let bottom = top + row_h * f.rows.len() as f64;
    let h = bottom + em * 6.2 + margin;
    // Incidence axis: 0 to the largest percentage; difference axis: every interval and 0.
    let max_pct = f
        .rows
        .iter()
        .flat_map(|r| r.percent.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let t1 = linear_ticks(0.0, (max_pct * 1.08).max(5.0), 5);
    let end1 = (max_pct * 1.08)
        .max(5.0)
        .max(t1.last().copied().unwrap_or(0.0));
    let (mut dlo, mut dhi) = (0.0f64, 0.0f64);
    for d in f.rows.iter().flat_map(|r| r.differences.iter().flatten()) {
        for v in [d.lower, d.upper] {
            if v.is_finite() {
                dlo = dlo.min(v);
                dhi = dhi.max(v);
            }
        }
    }
    let pad = ((dhi - dlo) * 0.06).max(1.0);
    let (dlo, dhi) = (dlo - pad, dhi + pad);
    let t2 = linear_ticks(dlo, dhi, 5);
    let x1 = |v: f64| l1 + v.clamp(0.0, end1) / end1 * (r1 - l1);
    let x2 = |v: f64| l2 + (v.clamp(dlo, dhi) - dlo) / (dhi - dlo) * (r2 - l2);
    let level = survcalc_core::analysis::fmt_level(f.conf_level);
    let reference = f.arms.first().map(|a| figure_label(a)).unwrap_or_default();
    let others: Vec<String> = f.arms.iter().skip(1).map(|a| figure_label(a)).collect();
    svg_document(s.w as u32, h.ceil() as u32, f.width_in, |area| {
        // Legend.
        let (mut lx, mut ly) = (margin, margin + em * 0.8);
        for (k, e) in entries.iter().enumerate() {
            marker(area, k, (lx + em * 0.6, ly), em * 0.38)?;
            s.text(
                area,
                e,
                (lx + em * 1.4, ly),
                pt,
                BLACK,
                false,
                (HPos::Left, VPos::Center),
            )?;
            if one_line {
                lx += entry_w[k];
            } else {
                ly += em * 1.6;
            }
        }
        let head_y = top - em * 0.9;
        s.text(
            area,
            "Incidence (%)",
            ((l1 + r1) / 2.0, head_y),
            pt,
            BLACK,
            true,
            (HPos::Center, VPos::Center),
        )?;
        let diff_head = if others.len() == 1 {
            format!("{} \u{2212} {reference}", others[0])
        } else {
            format!("Each arm \u{2212} {reference}")
        };
        s.text(
            area,
            &diff_head,
            ((l2 + r2) / 2.0, head_y),
            pt,
            BLACK,
            true,
            (HPos::Center, VPos::Center),
        )?;
        let grey = RGBColor(200, 200, 200);
        for (k, r) in f.rows.iter().enumerate() {
            let yk = top + row_h * (k as f64 + 0.5);
            s.text(
                area,
                &terms[k],
                (margin, yk),
                pt,
                BLACK,
                false,
                (HPos::Left, VPos::Center),
            )?;
            // A faint guide across both panels.
            s.line(area, (l1, yk), (r1, yk), grey, 0.4)?;
            s.line(area, (l2, yk), (r2, yk), grey, 0.4)?;
            for (a, p) in r.percent.iter().enumerate() {
                if p.is_finite() {
                    marker(area, a, (x1(*p), yk), em * 0.38)?;
                }
            }
            let n = r.differences.len().max(1) as f64;
            for (j, d) in r.differences.iter().enumerate() {
                let Some(d) = d else { continue };
                // Several comparisons of one term sit a little apart.
                let yj = yk + (j as f64 - (n - 1.0) / 2.0) * em * 0.55;
                let color = group_color(j + 1);
                s.line(area, (x2(d.lower), yj), (x2(d.upper), yj), color, 1.0)?;
                marker(area, j + 1, (x2(d.estimate), yj), em * 0.32)?;
            }
        }
        // Axes: incidence, and the difference with its line at 0.
        for (l, r) in [(l1, r1), (l2, r2)] {
            s.line(area, (l, bottom), (r, bottom), BLACK, 0.6)?;
        }
        let dash_at = x2(0.0);
        let mut yd = top - em * 0.3;
        while yd < bottom {
            s.line(
                area,
                (dash_at, yd),
                (dash_at, (yd + em * 0.4).min(bottom)),
                BLACK,
                0.6,
            )?;
            yd += em * 0.7;
        }
        let under = (HPos::Center, VPos::Top);
        for t in &t1 {
            s.x_tick(area, x1(*t), bottom, &tick_text(*t))?;
        }
        for t in &t2 {
            s.x_tick(area, x2(*t), bottom, &tick_text(*t))?;
        }
        s.text(
            area,
            "Patients (%)",
            ((l1 + r1) / 2.0, bottom + em * 2.0),
            text_pt::AXIS_TITLE,
            BLACK,
            false,
            under,
        )?;
        s.text(
            area,
            &format!("Risk difference, % points ({level}% CI)"),
            ((l2 + r2) / 2.0, bottom + em * 2.0),
            text_pt::AXIS_TITLE,
            BLACK,
            false,
            under,
        )?;
        s.note(area, &f.method, (margin, bottom + em * 4.0))?;
        Ok(())
    })
}
