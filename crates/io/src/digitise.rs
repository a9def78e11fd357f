//! Reading a Kaplan–Meier curve off an image of a published figure (issue 17): the axes
//! calibrated by two known values on each, and a curve traced by its colour. The result
//! is the digitised points the reconstruction (`survcalc_stats::reconstruct`) takes, which
//! the user can still correct by hand.
//!
//! The image never leaves the page: the browser decodes it to RGBA pixels and hands them
//! here.

/// A linear axis: two pixel positions and the values they show.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AxisCalibration {
    /// The first clicked pixel coordinate (x for the time axis, y for survival).
    pub p1: f64,
    /// Its value.
    pub v1: f64,
    /// The second pixel coordinate.
    pub p2: f64,
    /// Its value.
    pub v2: f64,
}

impl AxisCalibration {
    /// The value at pixel coordinate `p`.
    pub fn value(&self, p: f64) -> f64 {
        self.v1 + (p - self.p1) * (self.v2 - self.v1) / (self.p2 - self.p1)
    }

    /// The pixel coordinate of value `v`.
    pub fn pixel(&self, v: f64) -> f64 {
        self.p1 + (v - self.v1) * (self.p2 - self.p1) / (self.v2 - self.v1)
    }

    fn usable(&self) -> bool {
        [self.p1, self.v1, self.p2, self.v2]
            .iter()
            .all(|x| x.is_finite())
            && (self.p2 - self.p1).abs() >= 1.0
            && self.v2 != self.v1
    }
}

/// An image as RGBA bytes, row by row.
#[derive(Debug, Clone, Copy)]
pub struct Rgba<'a> {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// 4 bytes per pixel.
    pub data: &'a [u8],
}

impl Rgba<'_> {
    fn pixel(&self, x: usize, y: usize) -> [u8; 4] {
        let i = 4 * (y * self.width + x);
        [
            self.data[i],
            self.data[i + 1],
            self.data[i + 2],
            self.data[i + 3],
        ]
    }

    /// The colour at (x, y), for picking a curve by clicking on it; `None` outside.
    pub fn color_at(&self, x: usize, y: usize) -> Option<[u8; 3]> {
        (x < self.width && y < self.height && self.data.len() >= 4 * self.width * self.height).then(
            || {
                let p = self.pixel(x, y);
                [p[0], p[1], p[2]]
            },
        )
    }
}

/// Why a curve cannot be traced.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceError(pub String);

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TraceError {}

fn close_to(p: [u8; 4], c: [u8; 3], tolerance: f64) -> bool {
    // Transparent pixels are background; the distance is Euclidean in RGB.
    if p[3] < 128 {
        return false;
    }
    // A coloured curve is not the grey of an axis or the black of a label, however near
    // in RGB: its pixels keep some of its saturation (max − min of the channels).
    let sat = |r: u8, g: u8, b: u8| f64::from(r.max(g).max(b)) - f64::from(r.min(g).min(b));
    let target = sat(c[0], c[1], c[2]);
    if target >= 40.0 && sat(p[0], p[1], p[2]) < 0.4 * target {
        return false;
    }
    let d: f64 = (0..3)
        .map(|k| (f64::from(p[k]) - f64::from(c[k])).powi(2))
        .sum::<f64>()
        .sqrt();
    d <= tolerance
}

/// Traces the curve of colour `color` (within `tolerance`, a distance in RGB, 0–441)
/// between the calibrated axes: column by column from time 0 to the last column of that
/// colour, it follows the run of matching pixels nearest the one before (so a censor
/// mark or another curve crossing does not pull it away), never upwards (a survival
/// curve only falls), and returns the corners of the steps as (time, survival), the time
/// in the axis' unit and survival as a proportion (an axis calibrated in percentages is
/// read as such), starting at (0, S at time 0).
///
/// # Errors
/// [`TraceError`] when a calibration is degenerate (two clicks on the same spot, or the
/// same value twice), the image is not as large as it says, or no pixel of the colour
/// lies between the axes.
pub fn trace_curve(
    image: &Rgba<'_>,
    x_axis: &AxisCalibration,
    y_axis: &AxisCalibration,
    color: [u8; 3],
    tolerance: f64,
) -> Result<Vec<(f64, f64)>, TraceError> {
    if !x_axis.usable() {
        return Err(TraceError(
            "the time axis is not calibrated: click two points on it far apart, with different values".into(),
        ));
    }
    if !y_axis.usable() {
        return Err(TraceError(
            "the survival axis is not calibrated: click two points on it far apart, with different values".into(),
        ));
    }
    if image.data.len() < 4 * image.width * image.height || image.width == 0 || image.height == 0 {
        return Err(TraceError("the image could not be read".into()));
    }
    // The survival axis in proportions (1) or percentages (100, when a calibrated value
    // is above 1.5).
    let full = if y_axis.v1.max(y_axis.v2) > 1.5 {
        100.0
    } else {
        1.0
    };
    // The plot area: from time 0 to the image's right edge, between survival 1 and 0
    // (with a pixel or two of line width around them).
    let clamp_x = |p: f64| p.round().clamp(0.0, (image.width - 1) as f64) as usize;
    let clamp_y = |p: f64| p.round().clamp(0.0, (image.height - 1) as f64) as usize;
    let x0 = clamp_x(x_axis.pixel(0.0));
    let (ya, yb) = (y_axis.pixel(full), y_axis.pixel(0.0));
    let (y_top, y_bottom) = (clamp_y(ya.min(yb) - 3.0), clamp_y(ya.max(yb) + 3.0));
    let mut prev: Option<f64> = None;
    let mut corners: Vec<(usize, f64)> = Vec::new();
    let mut last_x = None;
    for x in x0..image.width {
        // Runs of matching pixels in this column: (first y, last y).
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for y in y_top..=y_bottom {
            if close_to(image.pixel(x, y), color, tolerance) {
                match runs.last_mut() {
                    Some(r) if r.1 + 1 == y => r.1 = y,
                    _ => runs.push((y, y)),
                }
            }
        }
        // Once the curve is found, pixels of its colour above it (a legend, a label) are
        // not the curve, nor far below it; a dashed line may fall within a gap, so a run
        // below is followed up to 60 pixels down.
        if let Some(p) = prev {
            runs.retain(|r| r.1 as f64 >= p - 3.0 && (r.0 as f64) <= p + 60.0);
        }
        if runs.is_empty() {
            continue;
        }
        // The run to follow: the one touching (or nearest) the level before; on a drop
        // the vertical segment reaches down to the new level, whose bottom end is it.
        let level = match prev {
            None => {
                let r = runs[0];
                (r.0 + r.1) as f64 / 2.0
            }
            Some(p) => {
                let r = runs
                    .iter()
                    .min_by(|a, b| {
                        let d = |r: &(usize, usize)| {
                            if (r.0 as f64) <= p && p <= r.1 as f64 {
                                0.0
                            } else {
                                (r.0 as f64 - p).abs().min((r.1 as f64 - p).abs())
                            }
                        };
                        d(a).total_cmp(&d(b))
                    })
                    .copied()
                    .unwrap_or(runs[0]);
                let thick = (r.1 - r.0) as f64;
                if thick <= 4.0 {
                    ((r.0 + r.1) as f64 / 2.0).max(p)
                } else if (r.0 as f64) < p - 2.5 {
                    // Reaching above the line as well as below: a censor mark across it.
                    p
                } else {
                    // Down from the line only: a step; the line goes on from its foot.
                    (r.1 as f64 - 1.0).max(p)
                }
            }
        };
        if prev.is_none_or(|p| level > p + 0.75) {
            corners.push((x, level));
        }
        prev = Some(prev.map_or(level, |p| p.max(level)));
        last_x = Some(x);
    }
    let Some(last_x) = last_x else {
        return Err(TraceError(
            "no pixel of that colour between the axes: click on the curve itself to pick its colour, or raise the tolerance".into(),
        ));
    };
    let mut out: Vec<(f64, f64)> = corners
        .iter()
        .map(|&(x, y)| {
            (
                x_axis.value(x as f64),
                (y_axis.value(y) / full).clamp(0.0, 1.0),
            )
        })
        .collect();
    // The curve's end: flat to its last column.
    if let Some(&(_, s)) = out.last() {
        out.push((x_axis.value(last_x as f64), s));
    }
    if let Some(first) = out.first_mut() {
        first.0 = first.0.max(0.0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drawn step function: white background, a 2-pixel blue line from S = 1 at x = 10
    /// falling at x = 50 and 90, with a censor tick at x = 70.
    #[test]
    fn a_drawn_step_function_is_read_back() {
        let (w, h) = (140usize, 120usize);
        let mut data = vec![255u8; 4 * w * h];
        let mut put = |x: usize, y: usize| {
            let i = 4 * (y * w + x);
            data[i..i + 4].copy_from_slice(&[31, 119, 180, 255]);
        };
        // y pixel = 110 − 100 S.
        let y_of = |s: f64| (110.0 - 100.0 * s).round() as usize;
        for x in 10..=130 {
            let s = if x < 50 {
                1.0
            } else if x < 90 {
                0.8
            } else {
                0.5
            };
            put(x, y_of(s));
            put(x, y_of(s) + 1);
        }
        for y in y_of(1.0)..=y_of(0.8) {
            put(50, y);
        }
        for y in y_of(0.8)..=y_of(0.5) {
            put(90, y);
        }
        for y in (y_of(0.8) - 4)..=(y_of(0.8) + 4) {
            put(70, y);
        }
        let image = Rgba {
            width: w,
            height: h,
            data: &data,
        };
        let x = AxisCalibration {
            p1: 10.0,
            v1: 0.0,
            p2: 130.0,
            v2: 12.0,
        };
        let y = AxisCalibration {
            p1: 110.0,
            v1: 0.0,
            p2: 10.0,
            v2: 1.0,
        };
        let pts = trace_curve(&image, &x, &y, [31, 119, 180], 60.0).expect("traced");
        // Corners at t = 4 (S 0.8) and t = 8 (S 0.5), read to a pixel.
        let near = |t: f64, s: f64| {
            pts.iter()
                .any(|p| (p.0 - t).abs() <= 0.15 && (p.1 - s).abs() <= 0.012)
        };
        assert!(near(4.0, 0.8) && near(8.0, 0.5), "{pts:?}");
        assert!(
            pts.windows(2).all(|w| w[1].1 <= w[0].1),
            "never up: {pts:?}"
        );
        // The censor tick at t = 6 adds no step.
        assert!(!pts.iter().any(|p| (p.0 - 6.0).abs() < 0.2), "{pts:?}");
        assert!(trace_curve(&image, &x, &y, [200, 0, 0], 30.0).is_err());
    }
}
