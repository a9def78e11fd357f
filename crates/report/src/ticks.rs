//! Round times for axes and risk tables: 0, s, 2s, … up to the follow-up, with a step s
//! of 1, 2, 2.5 or 5 × 10^k giving about eight intervals.

/// Times 0, s, 2s, … ≤ `max` with a round step s (1, 2, 2.5 or 5 × 10^k) and about eight
/// intervals; `[0, 1]` when `max` is not a positive number.
///
/// # Examples
/// ```
/// assert_eq!(survcalc_report::ticks::nice_times(31.0), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]);
/// ```
pub fn nice_times(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    let raw = max / 8.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    // Ticks stop at the last one inside the data: the axis itself ends at `max`.
    let n = (max / step + 1e-9).floor() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}
