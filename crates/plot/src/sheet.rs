//! What every figure of the crate shares: a drawing surface at its printed size (96 CSS
//! pixels per inch, text in points), text set by its anchor, the width of a line of text,
//! round axis ticks, and the SVG document sized in inches.

use crate::text_pt;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A figure drawn, ready to save: the SVG text and its size in CSS pixels (its
/// coordinates) and in inches (its printed width).
#[derive(Debug, Clone, PartialEq)]
pub struct SvgFigure {
    /// The SVG document, with `width`/`height` in inches.
    pub svg: String,
    /// Width in CSS pixels (96 per inch at the printed size).
    pub width: u32,
    /// Height in CSS pixels.
    pub height: u32,
    /// The printed width in inches.
    pub width_in: f64,
}

/// The drawing result of the SVG backend.
pub(crate) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// A surface `width_in` inches wide at 96 pixels per inch, its text in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sheet {
    /// Width in pixels.
    pub w: f64,
    /// Pixels per point.
    pub ppt: f64,
}

/// A printed width within 2–12 inches (7.2 for one that is not a number).
pub(crate) fn print_width(width_in: f64) -> f64 {
    if width_in.is_finite() {
        width_in.clamp(2.0, 12.0)
    } else {
        7.2
    }
}

impl Sheet {
    pub fn new(width_in: f64) -> Sheet {
        let width_in = print_width(width_in);
        Sheet {
            w: (width_in * 96.0).round(),
            ppt: 96.0 / 72.0,
        }
    }

    /// Points in pixels.
    pub fn px(&self, pt: f64) -> f64 {
        pt * self.ppt
    }

    /// The em of the tick font in pixels.
    pub fn em(&self) -> f64 {
        self.px(text_pt::TICKS)
    }

    /// The width of `s` set at `pt` points (an average glyph is 0.56 em wide in a
    /// sans-serif face).
    pub fn text_w(&self, s: &str, pt: f64) -> f64 {
        s.chars().count() as f64 * 0.56 * self.px(pt)
    }

    /// A font of `pt` points anchored at (h, v). plotters writes a font of size s as CSS
    /// font-size s / 1.24: the size passed is the pixels × 1.24.
    pub fn font(
        &self,
        pt: f64,
        color: RGBColor,
        bold: bool,
        h: HPos,
        v: VPos,
    ) -> TextStyle<'static> {
        let size = self.px(pt) * 1.24;
        let f = ("sans-serif", size).into_font();
        let f = if bold { f.style(FontStyle::Bold) } else { f };
        f.color(&color).pos(Pos::new(h, v))
    }

    /// Draws `s` at (x, y) with its anchor (h, v).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        area: &DrawingArea<SVGBackend, Shift>,
        s: &str,
        (x, y): (f64, f64),
        pt: f64,
        color: RGBColor,
        bold: bool,
        (h, v): (HPos, VPos),
    ) -> Drawn {
        area.draw(&Text::new(
            s.to_string(),
            (x.round() as i32, y.round() as i32),
            self.font(pt, color, bold, h, v),
        ))
    }

    /// A straight line of `pt` points.
    pub fn line(
        &self,
        area: &DrawingArea<SVGBackend, Shift>,
        a: (f64, f64),
        b: (f64, f64),
        color: RGBColor,
        pt: f64,
    ) -> Drawn {
        area.draw(&PathElement::new(
            vec![
                (a.0.round() as i32, a.1.round() as i32),
                (b.0.round() as i32, b.1.round() as i32),
            ],
            color.stroke_width(self.px(pt).round().max(1.0) as u32),
        ))
    }
}

impl Sheet {
    /// A tick of a horizontal axis at `x` on the axis line at `y`, its label under it.
    pub fn x_tick(
        &self,
        area: &DrawingArea<SVGBackend, Shift>,
        x: f64,
        y: f64,
        label: &str,
    ) -> Drawn {
        let em = self.em();
        self.line(area, (x, y), (x, y + em * 0.35), BLACK, 0.6)?;
        self.text(
            area,
            label,
            (x, y + em * 0.5),
            text_pt::TICKS,
            BLACK,
            false,
            (HPos::Center, VPos::Top),
        )
    }

    /// A vertical axis at x = `at` from `top` to `bottom`: its line, a tick and label at
    /// each of `ticks` (placed by `y`), and `title` turned along it at x = `title_x`.
    #[allow(
        clippy::too_many_arguments,
        reason = "one axis: its place, ticks and title"
    )]
    pub fn y_axis(
        &self,
        area: &DrawingArea<SVGBackend, Shift>,
        at: f64,
        (top, bottom): (f64, f64),
        ticks: &[f64],
        y: impl Fn(f64) -> f64,
        title: &str,
        title_x: f64,
    ) -> Drawn {
        let em = self.em();
        self.line(area, (at, top), (at, bottom), BLACK, 0.6)?;
        for &t in ticks {
            self.line(area, (at - em * 0.35, y(t)), (at, y(t)), BLACK, 0.6)?;
            self.text(
                area,
                &tick_text(t),
                (at - em * 0.5, y(t)),
                text_pt::TICKS,
                BLACK,
                false,
                (HPos::Right, VPos::Center),
            )?;
        }
        area.draw(&Text::new(
            title.to_string(),
            (
                title_x.round() as i32,
                ((top + bottom) / 2.0).round() as i32,
            ),
            self.font(text_pt::AXIS_TITLE, BLACK, false, HPos::Center, VPos::Top)
                .transform(FontTransform::Rotate270),
        ))
    }

    /// A line of small grey text from (x, y) — the method statement under a figure.
    pub fn note(&self, area: &DrawingArea<SVGBackend, Shift>, text: &str, at: (f64, f64)) -> Drawn {
        self.text(
            area,
            text,
            at,
            NOTE_PT,
            NOTE_GREY,
            false,
            (HPos::Left, VPos::Top),
        )
    }
}

/// The size of the method statement under a figure (points): journals' minimum.
pub(crate) const NOTE_PT: f64 = 8.0;

/// Its colour, and the colour of secondary text ("x of n", "Favours …").
pub(crate) const NOTE_GREY: RGBColor = RGBColor(68, 68, 68);

/// The SVG of a `width` × `height` pixel drawing, sized in inches at `width_in`, so that
/// a journal's system, Word or Illustrator places it at that size with its text in points.
///
/// # Errors
/// A message if plotters fails to draw.
pub(crate) fn svg_document(
    width: u32,
    height: u32,
    width_in: f64,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Drawn,
) -> Result<SvgFigure, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let width_in = print_width(width_in);
    Ok(SvgFigure {
        svg: finished(&out, width, height, width_in),
        width,
        height,
        width_in,
    })
}

/// The SVG plotters wrote, as it is saved and shown: sized in inches at `width_in`
/// ([`size_in_inches`]), its runs of lines drawn alike as paths ([`segments_as_paths`]).
pub(crate) fn finished(svg: &str, width: u32, height: u32, width_in: f64) -> String {
    segments_as_paths(&size_in_inches(svg, width, height, width_in))
}

/// The SVG with each run of lines drawn alike as one `<path>`.
///
/// plotters writes every line as a `<polyline>` of its own: each censor mark and each
/// dash of a dashed curve. A curve of 10^6 patients has hundreds of them, and the
/// browser lays out and paints every element (issue 15: the page's thread stays under
/// 100 ms). Consecutive polylines with the same attributes become the subpaths of one
/// path (`M x0 y0 L x1 y1 … M …`). Only opaque ones: opaque strokes in the same order are
/// the same drawing whether one element or many (a subpath is joined and capped as its
/// polyline was), while a translucent path would blend its overlaps once instead of
/// twice. A line alone stays as it is.
fn segments_as_paths(svg: &str) -> String {
    /// The attributes before `points` and the points of an opaque polyline.
    fn polyline(line: &str) -> Option<(&str, &str)> {
        let rest = line.strip_prefix("<polyline ")?.strip_suffix("\"/>")?;
        let (attrs, points) = rest.split_once(" points=\"")?;
        attrs.contains(" opacity=\"1\" ").then_some((attrs, points))
    }
    let mut out = String::with_capacity(svg.len());
    let mut run: Vec<&str> = Vec::new();
    let mut run_attrs = "";
    let flush = |out: &mut String, attrs: &str, run: &mut Vec<&str>| {
        match run.as_slice() {
            [] => {}
            [points] => out.push_str(&format!("<polyline {attrs} points=\"{points}\"/>\n")),
            lines => {
                out.push_str(&format!("<path {attrs} d=\""));
                for points in lines {
                    for (k, xy) in points.split_whitespace().enumerate() {
                        out.push(if k == 0 { 'M' } else { 'L' });
                        out.push_str(&xy.replace(',', " "));
                    }
                }
                out.push_str("\"/>\n");
            }
        }
        run.clear();
    };
    for line in svg.split_inclusive('\n') {
        match polyline(line.trim_end()) {
            Some((attrs, points)) => {
                if attrs != run_attrs {
                    flush(&mut out, run_attrs, &mut run);
                    run_attrs = attrs;
                }
                run.push(points);
            }
            None => {
                flush(&mut out, run_attrs, &mut run);
                out.push_str(line);
            }
        }
    }
    flush(&mut out, run_attrs, &mut run);
    out
}

/// Replaces the pixel size of an SVG's root element with inches at `width_in`.
pub(crate) fn size_in_inches(svg: &str, width: u32, height: u32, width_in: f64) -> String {
    let h_in = width_in * f64::from(height) / f64::from(width.max(1));
    let from = format!("<svg width=\"{width}\" height=\"{height}\"");
    let to = format!("<svg width=\"{width_in:.3}in\" height=\"{h_in:.3}in\"");
    svg.replacen(&from, &to, 1)
}

/// Round ticks from `lo` to `hi`: a step of 1, 2 or 5 times a power of ten giving at most
/// `max` ticks, every multiple of it within the range.
pub(crate) fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = (hi - lo).abs();
    if !span.is_finite() || span <= 0.0 {
        return vec![lo];
    }
    let base = 10f64.powf((span / max.max(2) as f64).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * base)
        .find(|s| span / s <= max as f64)
        .unwrap_or(10.0 * base);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            // −0 and 1e-17 print as 0.
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect()
}

/// A tick value as text: no needless decimals.
pub(crate) fn tick_text(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_within_the_range() {
        assert_eq!(
            linear_ticks(0.0, 60.0, 6),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
        );
        assert_eq!(
            linear_ticks(-12.0, 31.0, 6),
            vec![-10.0, 0.0, 10.0, 20.0, 30.0]
        );
        assert_eq!(linear_ticks(0.0, 0.0, 6), vec![0.0]);
        assert_eq!(tick_text(0.5), "0.5");
        assert_eq!(tick_text(20.0), "20");
        assert_eq!(tick_text(-0.0), "0");
    }
}
