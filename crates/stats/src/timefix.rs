//! Near-tied times treated as tied, as R's `survival` does by default (`timefix = TRUE`
//! in `survfit`, `survdiff` and `coxph.control`).
//!
//! Times computed from dates (days / 30.4375, / 365.25) or read from a spreadsheet give
//! pairs such as 10/3 and (1/3)·10 that differ in the last bit. R treats them as one
//! time; without the same rule a tie becomes two event times, and the log-rank test and
//! the Cox model change (issue 11: 1.778 against 4.263 for the same five rows).
//!
//! # Formula
//! With y₁ < y₂ < … the distinct finite times, the gap dᵢ = yᵢ₊₁ − yᵢ is a tie when
//! dᵢ ≤ tol or dᵢ / mean(|y|) ≤ tol, tol = √ε ≈ 1.49e-8 (the tolerance of R's
//! `all.equal`). A run of tied gaps is one time, the smallest of the run; every
//! observation takes the value of its run.
//!
//! # References
//! R survival `aeqSurv()` (R/aeqSurv.R) and the "Roundoff error and tied times"
//! vignette (Therneau, 2016).

/// R's default tolerance, `sqrt(.Machine$double.eps)`.
pub const TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// The times with near-ties merged as R's `aeqSurv(x, tolerance)` merges them; `None`
/// when no two distinct times are within the tolerance (the common case, so the data
/// need not be copied).
///
/// Cost: a sort of the distinct times, O(n log n), and a binary search per observation.
pub fn merged_times(times: &[f64], tolerance: f64) -> Option<Vec<f64>> {
    if tolerance.is_nan() || tolerance <= 0.0 {
        return None;
    }
    let mut y: Vec<f64> = times.iter().copied().filter(|t| t.is_finite()).collect();
    y.sort_by(f64::total_cmp);
    y.dedup();
    if y.len() < 2 {
        return None;
    }
    let mean_abs = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
    // The first time of each run of tied gaps.
    let mut cuts = Vec::with_capacity(y.len());
    cuts.push(y[0]);
    let mut any = false;
    for w in y.windows(2) {
        let d = w[1] - w[0];
        let tied = d <= tolerance || d / mean_abs <= tolerance;
        if tied {
            any = true;
        } else {
            cuts.push(w[1]);
        }
    }
    if !any {
        return None;
    }
    // R: cuts[findInterval(x, cuts)], the last cut ≤ x.
    Some(
        times
            .iter()
            .map(|&t| {
                if !t.is_finite() {
                    return t;
                }
                let i = cuts.partition_point(|c| *c <= t);
                cuts[i.saturating_sub(1)]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_one_ulp_apart_become_one() {
        let a = 10.0_f64 / 3.0;
        let b = (1.0_f64 / 3.0) * 10.0;
        assert_ne!(a, b);
        let got = merged_times(&[b, a, 5.0], TOLERANCE);
        let lo = a.min(b);
        assert_eq!(got, Some(vec![lo, lo, 5.0]));
    }

    #[test]
    fn relative_gaps_count_against_the_mean_time() {
        // Issue 11's example: mean |y| is 8e7, so a gap of 1 is 1.25e-8 of it, within the
        // tolerance, and 1, 2, 3 and 4 are one time.
        let got = merged_times(&[1.0, 2.0, 3.0, 4.0, 4e8], TOLERANCE);
        assert_eq!(got, Some(vec![1.0, 1.0, 1.0, 1.0, 4e8]));
    }

    #[test]
    fn distinct_times_are_left_alone() {
        assert_eq!(merged_times(&[1.0, 2.0, 3.0], TOLERANCE), None);
        assert_eq!(merged_times(&[1.0, 1.0 + 1e-9], 0.0), None);
    }

    #[test]
    fn a_chain_of_small_gaps_is_one_time() {
        let e = 1e-8;
        let got = merged_times(&[1.0, 1.0 + e, 1.0 + 2.0 * e, 2.0], TOLERANCE);
        assert_eq!(got, Some(vec![1.0, 1.0, 1.0, 2.0]));
    }
}
