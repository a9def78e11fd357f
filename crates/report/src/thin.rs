//! An analysis sized for drawing: its curves thinned to the resolution of a figure.
//!
//! A million patients give hundreds of thousands of distinct times per arm, and a curve
//! holds nine numbers for each. The page draws a few thousand pixels across; what it is
//! sent of a large analysis ([`thinned`]) keeps, of each curve:
//!
//! - its first [`HEAD_ROWS`] rows, unchanged (the rows the page's table shows);
//! - in each of [`COLUMNS`] equal slices of the time axis, the first and the last row, the
//!   first and the last with a censoring, and those of the lowest lower and highest upper
//!   confidence limit — so that the drawn steps, band and censor marks move by at most one
//!   slice (1/4096 of the time span, under a pixel at a figure's printed resolution);
//! - at each of the figure's tick times, the rows just before and at or after it, so that
//!   the numbers at risk, events and censorings under the figure are exact there
//!   ([`Thinning::exact_at`]);
//! - its last row.
//!
//! The events and censorings of a row left out are added to the next row kept: the counts
//! up to any kept row stay exact. Every other number of the analysis is unchanged, and
//! the full analysis stays where it was made (the page's worker), for the CSV downloads.

use crate::analysis::Analysis;
use survcalc_stats::hazard::CumHazard;
use survcalc_stats::km::KmCurve;

/// Slices of the time axis: the drawing resolution (a 7.2-inch figure at 600 dpi is 4,320
/// pixels wide).
pub const COLUMNS: usize = 4096;

/// The first rows of every curve kept as they are: what the page's Kaplan–Meier tables
/// show (the full table is a download).
pub const HEAD_ROWS: usize = 500;

/// Analyses whose curves have at most this many rows in all are sent whole.
pub const THIN_ABOVE: usize = 20_000;

/// How an analysis was thinned for drawing.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Thinning {
    /// Each curve's rows before thinning, in the order of [`Analysis::curves`].
    pub rows: Vec<usize>,
    /// The times at which the thinned curves' numbers at risk and counts of events and
    /// censorings are those of the full curves (the figure's ticks when it was thinned).
    pub exact_at: Vec<f64>,
    /// Slices of the time axis ([`COLUMNS`]).
    pub columns: usize,
}

impl Thinning {
    /// Whether the counts at time `t` are exact (`t` is one of [`Thinning::exact_at`]).
    pub fn is_exact_at(&self, t: f64) -> bool {
        self.exact_at
            .iter()
            .any(|&x| (x - t).abs() <= 1e-9 * x.abs().max(1.0))
    }
}

/// The longest time of an analysis's curves: where the figure's data end, and the span
/// its curves are thinned over.
pub fn curves_end(a: &Analysis) -> f64 {
    a.curves.iter().map(KmCurve::max_time).fold(0.0, f64::max)
}

/// The analysis with its curves (and cumulative hazards) thinned for drawing, exact at the
/// times `exact_at`; `None` when its curves are small enough to send whole
/// ([`THIN_ABOVE`]).
pub fn thinned(a: &Analysis, exact_at: &[f64]) -> Option<Analysis> {
    let rows: Vec<usize> = a.curves.iter().map(|c| c.time.len()).collect();
    if rows.iter().sum::<usize>() <= THIN_ABOVE {
        return None;
    }
    let span = curves_end(a);
    let kept: Vec<Vec<usize>> = a
        .curves
        .iter()
        .map(|c| kept_rows(c, span, exact_at))
        .collect();
    let curves = a
        .curves
        .iter()
        .zip(&kept)
        .map(|(c, k)| thin_curve(c, k))
        .collect();
    // The cumulative hazard has the rows of its group's curve (the figure pairs them).
    let cumulative_hazard = a
        .cumulative_hazard
        .iter()
        .zip(&a.curves)
        .zip(&kept)
        .map(|((h, c), k)| {
            if h.time.len() == c.time.len() {
                thin_hazard(h, k)
            } else {
                h.clone()
            }
        })
        .collect();
    let mut exact: Vec<f64> = exact_at.to_vec();
    exact.sort_by(f64::total_cmp);
    exact.dedup();
    // Every other field as it is (listed, so that the curves are not copied first).
    Some(Analysis {
        n_rows: a.n_rows,
        n_used: a.n_used,
        excluded: a.excluded.clone(),
        event_coding: a.event_coding.clone(),
        time_unit: a.time_unit,
        notes: a.notes.clone(),
        filtered_out: a.filtered_out,
        warnings: a.warnings.clone(),
        groups: a.groups.clone(),
        summaries: a.summaries.clone(),
        log_rank: a.log_rank.clone(),
        cox: a.cox.clone(),
        ph_test: a.ph_test.clone(),
        stratified_log_rank: a.stratified_log_rank.clone(),
        cox_adjusted: a.cox_adjusted.clone(),
        tests: a.tests.clone(),
        trend: a.trend.clone(),
        pairwise: a.pairwise.clone(),
        max_combo: a.max_combo.clone(),
        hr_other: a.hr_other.clone(),
        follow_up: a.follow_up.clone(),
        landmarks: a.landmarks.clone(),
        landmark_differences: a.landmark_differences.clone(),
        risk_table: a.risk_table.clone(),
        rmst: a.rmst.clone(),
        rmst_comparisons: a.rmst_comparisons.clone(),
        methods: a.methods.clone(),
        options: a.options.clone(),
        curves,
        cumulative_hazard,
        drawing: Some(Thinning {
            rows,
            exact_at: exact,
            columns: COLUMNS,
        }),
    })
}

/// The rows of `c` kept for drawing over a time axis of `span` (see the module's list).
pub fn kept_rows(c: &KmCurve, span: f64, exact_at: &[f64]) -> Vec<usize> {
    let n = c.time.len();
    let mut keep = vec![false; n];
    for k in keep.iter_mut().take(HEAD_ROWS) {
        *k = true;
    }
    if n == 0 {
        return Vec::new();
    }
    keep[n - 1] = true;
    let column = |t: f64| {
        if span > 0.0 {
            ((t / span * COLUMNS as f64).floor() as usize).min(COLUMNS)
        } else {
            0
        }
    };
    let mut j = 0;
    while j < n {
        let slice = column(c.time[j]);
        keep[j] = true;
        let (mut first_censor, mut last_censor) = (None, None);
        let (mut lowest, mut highest) = (None::<(usize, f64)>, None::<(usize, f64)>);
        let mut last = j;
        while j < n && column(c.time[j]) == slice {
            if c.n_censor[j] > 0 {
                first_censor.get_or_insert(j);
                last_censor = Some(j);
            }
            if let Some(l) = c.lower[j] {
                if lowest.is_none_or(|(_, v)| l < v) {
                    lowest = Some((j, l));
                }
            }
            if let Some(u) = c.upper[j] {
                if highest.is_none_or(|(_, v)| u > v) {
                    highest = Some((j, u));
                }
            }
            last = j;
            j += 1;
        }
        keep[last] = true;
        for i in [
            first_censor,
            last_censor,
            lowest.map(|p| p.0),
            highest.map(|p| p.0),
        ]
        .into_iter()
        .flatten()
        {
            keep[i] = true;
        }
    }
    for &t in exact_at {
        let i = c.time.partition_point(|&x| x < t);
        if i < n {
            keep[i] = true;
        }
        if i > 0 {
            keep[i - 1] = true;
        }
    }
    (0..n).filter(|&i| keep[i]).collect()
}

/// The counts of `v` summed from the row after the previous kept one to each kept row.
fn summed(v: &[usize], kept: &[usize]) -> Vec<usize> {
    let mut from = 0;
    kept.iter()
        .map(|&i| {
            let s = v[from..=i].iter().sum();
            from = i + 1;
            s
        })
        .collect()
}

fn pick<T: Copy>(v: &[T], kept: &[usize]) -> Vec<T> {
    kept.iter().map(|&i| v[i]).collect()
}

/// The curve at the rows `kept` (increasing), with the events and censorings of the rows
/// between summed into the next kept row.
pub fn thin_curve(c: &KmCurve, kept: &[usize]) -> KmCurve {
    KmCurve {
        group: c.group.clone(),
        n: c.n,
        events: c.events,
        time: pick(&c.time, kept),
        n_risk: pick(&c.n_risk, kept),
        n_event: summed(&c.n_event, kept),
        n_censor: summed(&c.n_censor, kept),
        surv: pick(&c.surv, kept),
        se_log_surv: pick(&c.se_log_surv, kept),
        se_surv: pick(&c.se_surv, kept),
        lower: pick(&c.lower, kept),
        upper: pick(&c.upper, kept),
        options: c.options,
    }
}

fn thin_hazard(h: &CumHazard, kept: &[usize]) -> CumHazard {
    CumHazard {
        group: h.group.clone(),
        time: pick(&h.time, kept),
        n_risk: pick(&h.n_risk, kept),
        n_event: summed(&h.n_event, kept),
        cumhaz: pick(&h.cumhaz, kept),
        std_chaz: pick(&h.std_chaz, kept),
        hazard_type: h.hazard_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use survcalc_stats::data::SurvData;
    use survcalc_stats::km::{kaplan_meier, KmOptions};

    /// Two arms of `n` exponential times (a fixed generator), a third censored.
    fn curves(n: usize) -> Vec<KmCurve> {
        let mut seed: u64 = 2026;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (mut time, mut event, mut group) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..n {
            let g = i % 2;
            let scale = if g == 0 { 12.0 } else { 18.0 };
            time.push((-next().ln() * scale * 1000.0).round() / 1000.0);
            event.push(next() < 0.7);
            group.push(g);
        }
        let d = SurvData::new(time, event, group, vec!["A".into(), "B".into()])
            .unwrap_or_else(|e| panic!("{e}"));
        kaplan_meier(&d, &KmOptions::default())
    }

    fn count_before(c: &KmCurve, t: f64, events: bool) -> usize {
        let k = c.time.partition_point(|&x| x < t);
        let v = if events { &c.n_event } else { &c.n_censor };
        v[..k].iter().sum()
    }

    #[test]
    fn thinned_curves_draw_within_a_slice_and_count_exactly_at_the_ticks() {
        let full = curves(200_000);
        let span = full.iter().map(KmCurve::max_time).fold(0.0, f64::max);
        let ticks: Vec<f64> = (0..=20).map(|k| k as f64 * 6.0).chain([13.37]).collect();
        let w = span / COLUMNS as f64;
        for c in &full {
            let k = kept_rows(c, span, &ticks);
            let t = thin_curve(c, &k);
            // Far fewer rows: at most six a slice, the head, the ticks' and the last.
            assert!(c.time.len() > 20_000, "{}", c.time.len());
            assert!(t.time.len() <= 6 * (COLUMNS + 1) + HEAD_ROWS + 2 * ticks.len() + 1);
            assert!(
                t.time.len() < c.time.len() / 2,
                "{} of {}",
                t.time.len(),
                c.time.len()
            );
            // The head and the last row as they are.
            assert_eq!(t.time[..HEAD_ROWS], c.time[..HEAD_ROWS]);
            assert_eq!(t.n_event[..HEAD_ROWS], c.n_event[..HEAD_ROWS]);
            assert_eq!(t.time.last(), c.time.last());
            assert_eq!(t.surv.last(), c.surv.last());
            // Every count is kept: the totals, and the counts before and the number at
            // risk at each tick.
            assert_eq!(t.n_event.iter().sum::<usize>(), c.events);
            assert_eq!(
                t.n_censor.iter().sum::<usize>(),
                c.n_censor.iter().sum::<usize>()
            );
            for &x in &ticks {
                assert_eq!(t.at_risk(x), c.at_risk(x), "at risk at {x}");
                assert_eq!(count_before(&t, x, true), count_before(c, x, true));
                assert_eq!(count_before(&t, x, false), count_before(c, x, false));
            }
            for (j, &x) in c.time.iter().enumerate() {
                // The drawn step at any time is the true one within a slice before it.
                let s = t.surv_at(x);
                assert!(s <= c.surv_at(x - w) && s >= c.surv[j], "S at {x}");
                // A censoring is marked within a slice after its time.
                if c.n_censor[j] > 0 {
                    let m = t.time.partition_point(|&y| y < x);
                    assert!(t.n_censor[m] > 0 && t.time[m] - x <= w, "mark at {x}");
                }
            }
        }
    }
}
