//! The forest plot of hazard ratios: one row per comparison (each arm versus the
//! reference, for each endpoint; subgroups are rows too), a square at the HR and a line
//! over its confidence interval on a log axis with a line at HR = 1, the label at the
//! left and "HR (95% CI)" written at the right — as trial papers print them.

use crate::sheet::{svg_document, Sheet, SvgFigure};
use crate::text_pt;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One row of the forest plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    /// What is compared, e.g. "OS: Drug vs Placebo".
    pub label: String,
    /// The hazard ratio.
    pub hr: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Written at the right instead of the HR, with no marker: a heading row (a subgroup
    /// variable with its interaction P).
    pub note: Option<String>,
}

impl ForestRow {
    /// A row with an HR and its interval.
    pub fn hr(label: String, hr: f64, lower: f64, upper: f64) -> ForestRow {
        ForestRow {
            label,
            hr,
            lower,
            upper,
            note: None,
        }
    }

    /// A heading row: a label and a note, no estimate.
    pub fn heading(label: String, note: String) -> ForestRow {
        ForestRow {
            label,
            hr: f64::NAN,
            lower: f64::NAN,
            upper: f64::NAN,
            note: Some(note),
        }
    }
}

/// Everything the forest plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestFigure {
    /// The rows, top to bottom.
    pub rows: Vec<ForestRow>,
    /// The confidence level of the intervals (0.95).
    pub conf_level: f64,
    /// "Favours" labels under the axis, (left of 1, right of 1), when every row compares
    /// the same two arms.
    pub favours: Option<(String, String)>,
    /// How the HRs were estimated, printed under the axis ("Cox model, Efron ties, Wald CI").
    pub method: String,
    /// The printed width in inches.
    pub width_in: f64,
}

/// The row's text at the right: "0.28 (0.15–0.53)", or "not estimable".
pub fn hr_text(r: &ForestRow) -> String {
    if let Some(n) = &r.note {
        n.clone()
    } else if r.hr.is_finite() && r.lower.is_finite() && r.upper.is_finite() && r.hr > 0.0 {
        format!("{:.2} ({:.2}\u{2013}{:.2})", r.hr, r.lower, r.upper)
    } else {
        "not estimable".into()
    }
}

/// Round HRs for the log axis.
const LOG_TICKS: [f64; 17] = [
    0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0,
];

/// The axis range: every finite interval and 1, widened a little, within 0.01–100.
fn axis_range(rows: &[ForestRow]) -> (f64, f64) {
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for r in rows {
        for v in [r.lower, r.hr, r.upper] {
            if v.is_finite() && v > 0.0 {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    ((lo / 1.15).max(0.01), (hi * 1.15).min(100.0))
}

/// The forest plot as SVG at its printed width.
///
/// # Errors
/// A message if plotters fails to draw, or there is no row.
pub fn forest_svg(f: &ForestFigure) -> Result<SvgFigure, String> {
    if f.rows.is_empty() {
        return Err("there is no hazard ratio to plot".into());
    }
    let s = Sheet::new(f.width_in);
    let em = s.em();
    let (pt, small) = (text_pt::TICKS, crate::sheet::NOTE_PT);
    let margin = s.px(5.0);
    let row_h = em * 1.9;
    let labels: Vec<String> = f
        .rows
        .iter()
        .map(|r| crate::figure_label(&r.label))
        .collect();
    let texts: Vec<String> = f.rows.iter().map(hr_text).collect();
    let level = survcalc_core::analysis::fmt_level(f.conf_level);
    let right_head = format!("HR ({level}% CI)");
    let left_w = labels
        .iter()
        .map(|l| s.text_w(l, pt))
        .fold(s.text_w("Comparison", pt), f64::max)
        .min(s.w * 0.42)
        + em;
    let right_w = texts
        .iter()
        .map(|t| s.text_w(t, pt))
        .fold(s.text_w(&right_head, pt), f64::max)
        + em;
    // Labels in a column at the left, or — when that leaves the intervals less than a
    // third of the width (a single column) — each on its own line over its interval.
    let stacked = s.w - 2.0 * margin - left_w - right_w < s.w / 3.0;
    let (pl, pr) = if stacked {
        (margin + em * 0.5, s.w - margin - right_w)
    } else {
        (margin + left_w, s.w - margin - right_w)
    };
    let row_h = if stacked { em * 3.0 } else { row_h };
    // The row's label line and interval line, from the row's centre.
    let (label_dy, bar_dy) = if stacked {
        (-em * 0.7, em * 0.55)
    } else {
        (0.0, 0.0)
    };
    let head_y = margin + em * 0.9;
    let top = margin + em * 2.2;
    let rows_end = top + row_h * f.rows.len() as f64;
    let axis_y = rows_end + em * 0.3;
    // The method under the axis, wrapped to the width.
    let method = wrap(
        &f.method,
        ((s.w - 2.0 * margin) / (0.56 * s.px(small))) as usize,
    );
    let (lo, hi) = axis_range(&f.rows);
    let favours = f.favours.as_ref().map(|(l, r)| {
        (
            format!("\u{2190} Favours {}", crate::figure_label(l)),
            format!("Favours {} \u{2192}", crate::figure_label(r)),
        )
    });
    let (llo, lhi) = (lo.ln(), hi.ln());
    let x = |v: f64| pl + (v.clamp(lo, hi).ln() - llo) / (lhi - llo) * (pr - pl);
    let one = x(1.0);
    let favours_fit = favours.as_ref().is_none_or(|(l, r)| {
        one - em * 0.5 - s.text_w(l, small) >= margin
            && one + em * 0.5 + s.text_w(r, small) <= s.w - margin
    });
    let method_y = axis_y + em * if favours_fit { 5.0 } else { 6.2 };
    let h = method_y + em * 0.4 + em * 1.25 * method.len() as f64 + margin;
    let w = s.w as u32;
    svg_document(w, h.ceil() as u32, f.width_in, |area| {
        let left = (HPos::Left, VPos::Center);
        s.text(area, "Comparison", (margin, head_y), pt, BLACK, true, left)?;
        s.text(area, &right_head, (pr + em, head_y), pt, BLACK, true, left)?;
        // HR = 1: no difference.
        s.line(area, (x(1.0), top - em * 0.4), (x(1.0), axis_y), BLACK, 0.6)?;
        for (k, r) in f.rows.iter().enumerate() {
            let centre = top + row_h * (k as f64 + 0.5);
            let yk = centre + bar_dy;
            if stacked {
                // Over the line at HR = 1: the label on white.
                let (w, hh) = (s.text_w(&labels[k], pt), em * 0.75);
                let y0 = centre + label_dy;
                area.draw(&Rectangle::new(
                    [
                        (margin.round() as i32, (y0 - hh).round() as i32),
                        ((margin + w).round() as i32, (y0 + hh).round() as i32),
                    ],
                    WHITE.filled(),
                ))?;
            }
            s.text(
                area,
                &labels[k],
                (margin, centre + label_dy),
                pt,
                BLACK,
                r.note.is_some(),
                left,
            )?;
            s.text(area, &texts[k], (pr + em, yk), pt, BLACK, false, left)?;
            if !(r.hr.is_finite() && r.hr > 0.0) {
                continue;
            }
            let interval = !(r.lower.is_nan() || r.upper.is_nan());
            let (a, b) = (x(r.lower), x(r.upper));
            if interval {
                s.line(area, (a, yk), (b, yk), BLACK, 1.0)?;
            }
            // An interval beyond the axis ends in an arrow head.
            for (end, beyond, dir) in [(a, r.lower < lo, -1.0), (b, r.upper > hi, 1.0)] {
                if interval && beyond {
                    let tip = (end + dir * em * 0.1, yk);
                    let back = end - dir * em * 0.5;
                    area.draw(&Polygon::new(
                        vec![
                            (tip.0.round() as i32, tip.1.round() as i32),
                            (back.round() as i32, (yk - em * 0.3).round() as i32),
                            (back.round() as i32, (yk + em * 0.3).round() as i32),
                        ],
                        BLACK.filled(),
                    ))?;
                }
            }
            let half = em * 0.35;
            let c = x(r.hr);
            area.draw(&Rectangle::new(
                [
                    ((c - half).round() as i32, (yk - half).round() as i32),
                    ((c + half).round() as i32, (yk + half).round() as i32),
                ],
                BLACK.filled(),
            ))?;
        }
        // The log axis.
        s.line(area, (pl, axis_y), (pr, axis_y), BLACK, 0.6)?;
        let mut ticks: Vec<f64> = LOG_TICKS
            .into_iter()
            .filter(|t| *t >= lo && *t <= hi)
            .collect();
        while ticks.len() > 7 {
            // Keep 1 and every other tick around it.
            let one = ticks.iter().position(|t| *t == 1.0).unwrap_or(0);
            ticks = ticks
                .iter()
                .enumerate()
                .filter(|(i, _)| (*i as i64 - one as i64) % 2 == 0)
                .map(|(_, t)| *t)
                .collect();
        }
        for t in &ticks {
            s.x_tick(area, x(*t), axis_y, &crate::sheet::tick_text(*t))?;
        }
        let centre = (pl + pr) / 2.0;
        s.text(
            area,
            &format!("Hazard ratio ({level}% CI, log scale)"),
            (centre, axis_y + em * 2.0),
            text_pt::AXIS_TITLE,
            BLACK,
            false,
            (HPos::Center, VPos::Top),
        )?;
        if let Some((left, right)) = &favours {
            let y = axis_y + em * 3.5;
            let grey = crate::sheet::NOTE_GREY;
            if favours_fit {
                s.text(
                    area,
                    left,
                    (x(1.0) - em * 0.5, y),
                    small,
                    grey,
                    false,
                    (HPos::Right, VPos::Top),
                )?;
                s.text(
                    area,
                    right,
                    (x(1.0) + em * 0.5, y),
                    small,
                    grey,
                    false,
                    (HPos::Left, VPos::Top),
                )?;
            } else {
                // Too long for either side of 1: one a line, from the left margin.
                s.text(
                    area,
                    left,
                    (margin, y),
                    small,
                    grey,
                    false,
                    (HPos::Left, VPos::Top),
                )?;
                s.text(
                    area,
                    right,
                    (margin, y + em * 1.2),
                    small,
                    grey,
                    false,
                    (HPos::Left, VPos::Top),
                )?;
            }
        }
        for (k, line) in method.iter().enumerate() {
            s.note(area, line, (margin, method_y + em * 1.25 * k as f64))?;
        }
        Ok(())
    })
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word keeps its
/// own line).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width.max(1) {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
