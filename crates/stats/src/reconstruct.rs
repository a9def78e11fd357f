//! Patient data rebuilt from a published Kaplan–Meier figure: the iterative algorithm of
//! Guyot, Ades, Ouwens & Welton (2012), from digitised points of one arm's curve and the
//! numbers at risk printed under it.
//!
//! # Algorithm
//! Points (t_k, S_k), k = 1…K, are read off the curve (the first (0, 1)); the risk table
//! gives n_i patients at risk at times T_i, i = 1…m (T_1 = 0). Interval i holds the points
//! with T_i ≤ t_k < T_{i+1} (indices lower_i…upper_i).
//!
//! 1. For each interval but the last, a first guess of the censored:
//!    c_i = round(n_i S(lower_{i+1}) / S(lower_i) − n_{i+1}).
//! 2. The c_i are spread evenly over the interval (at T_i + j (T_{i+1} − T_i)/(c_i + 1)),
//!    and counted per gap between points.
//! 3. Events at each point from the drop of the curve since the last point with an event:
//!    d_k = round(n̂_k (1 − S_k / Ŝ_last)), Ŝ_k = Ŝ_last (1 − d_k / n̂_k), n̂_{k+1} = n̂_k − d_k − c_k.
//! 4. c_i grows by n̂(lower_{i+1}) − n_{i+1} until the patients at risk match the next
//!    printed number (or no censoring is left to take away).
//! 5. The last interval takes the average censoring rate of the earlier ones (the total
//!    censored so far × its length / the length of the earlier intervals, at most n_m);
//!    with the total number of events given, its censoring is adjusted until the events
//!    add up to it.
//! 6. Each event becomes a patient with an event at its point's time; each censoring a
//!    patient censored at the time step 2 spread it to. (Guyot's code puts it halfway
//!    along its gap between two points; when that gap spans a time of the risk table,
//!    half of those patients land after the time whose count already took them away, and
//!    the rebuilt numbers at risk drift from the published ones — by 5 patients of 61 in
//!    a 300-patient round trip. The spread times keep each censoring in its interval.)
//! 7. Whoever is left after the last point is censored (the curve is flat there): spread
//!    over the risk table's intervals beyond the last point as its counts say, so that the
//!    rebuilt numbers at risk there are the published ones too (Guyot's and
//!    reconstructKM's code censor them all at one time past the last point).
//!
//! Rounding is R's (halves to even), so that the steps are those of the published R code.
//!
//! # References
//! Guyot P, Ades AE, Ouwens MJNM, Welton NJ (2012). Enhanced secondary analysis of
//! survival data: reconstructing the data from published Kaplan–Meier survival curves.
//! BMC Med Res Methodol 12:9.

/// Why a curve cannot be rebuilt.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ReconstructError {
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for ReconstructError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReconstructError {}

fn err(message: String) -> ReconstructError {
    ReconstructError { message }
}

/// One arm's rebuilt patients and how well they fit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Reconstruction {
    /// Each patient's time.
    pub time: Vec<f64>,
    /// Each patient's status (true = event).
    pub event: Vec<bool>,
    /// The digitised points used (sorted, the curve made non-increasing, a point (0, 1)
    /// added when the first was later).
    pub points: Vec<(f64, f64)>,
    /// Points whose survival was lowered to the one before (digitising noise that made
    /// the curve go up).
    pub points_adjusted: usize,
    /// The rebuilt Kaplan–Meier estimate at each digitised point.
    pub km_at_points: Vec<f64>,
    /// max |Ŝ − S| over the points.
    pub max_abs_diff: f64,
    /// √(mean (Ŝ − S)²) over the points.
    pub rms_diff: f64,
    /// The numbers at risk at the table's times: (time, published, rebuilt).
    pub at_risk: Vec<(f64, u64, u64)>,
    /// Events in all.
    pub events: u64,
    /// What was done with the input that a reader should know (rows of the risk table
    /// not used).
    pub notes: Vec<String>,
    /// The rows of the risk table the intervals were made of; the censoring after the
    /// last one is the average of the earlier intervals', not fitted to a count.
    pub table_used: Vec<(f64, u64)>,
}

/// R's `round`: halves to even.
fn round(x: f64) -> f64 {
    x.round_ties_even()
}

/// Step 3 at one point: the events d = round(n̂ (1 − S / Ŝ_last)) that take the rebuilt
/// curve from Ŝ_last down to the digitised S, and the rebuilt Ŝ after them.
fn events_at(n_hat: f64, s: f64, km_last: f64) -> (f64, f64) {
    if n_hat <= 0.0 {
        return (0.0, km_last);
    }
    let d = if km_last > 0.0 {
        round(n_hat * (1.0 - s / km_last)).max(0.0)
    } else {
        0.0
    };
    (d, km_last * (1.0 - d / n_hat))
}

/// Counts per gap (t_k, t_{k+1}] of the times `c` (R `hist(c, breaks = t)$counts`).
fn counts_per_gap(c: &[f64], breaks: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; breaks.len().saturating_sub(1)];
    for &x in c {
        // The gap whose upper end is the first break ≥ x (the first gap includes its lower end).
        let k = breaks.partition_point(|&b| b < x);
        let g = k.saturating_sub(1).min(out.len().saturating_sub(1));
        if !out.is_empty() {
            out[g] += 1.0;
        }
    }
    out
}

/// Rebuilds one arm's patients from digitised `points` (time, survival as a proportion)
/// and the published `risk` table (time, number at risk), with the total number of events
/// when the paper gives it.
///
/// # Errors
/// [`ReconstructError`] naming the point or row: a time or survival that is not a
/// number in range, fewer than two points, a risk table that does not start at time 0 or
/// whose numbers grow, a table time with no point after it.
pub fn reconstruct(
    points: &[(f64, f64)],
    risk: &[(f64, u64)],
    total_events: Option<u64>,
) -> Result<Reconstruction, ReconstructError> {
    for (i, &(t, s)) in points.iter().enumerate() {
        if !(t.is_finite() && t >= 0.0) {
            return Err(err(format!(
                "point {}: the time {t} must be a number of 0 or more",
                i + 1
            )));
        }
        if !(s.is_finite() && (0.0..=1.0 + 1e-9).contains(&s)) {
            return Err(err(format!(
                "point {}: the survival {s} must be a proportion between 0 and 1 (divide percentages by 100)",
                i + 1
            )));
        }
    }
    if points.len() < 2 {
        return Err(err("give at least two points of the curve".into()));
    }
    if risk.is_empty() || risk[0].0 != 0.0 {
        return Err(err(
            "the risk table must start with the number at risk at time 0".into(),
        ));
    }
    for (i, w) in risk.windows(2).enumerate() {
        if w[1].0 <= w[0].0 {
            return Err(err(format!(
                "risk table row {}: the times must increase ({} after {})",
                i + 2,
                w[1].0,
                w[0].0
            )));
        }
        if w[1].1 > w[0].1 {
            return Err(err(format!(
                "risk table row {}: {} at risk at {} is more than the {} before it; the numbers at risk can only fall",
                i + 2,
                w[1].1,
                w[1].0,
                w[0].1
            )));
        }
    }
    // Sort, start at (0, 1), keep one point per time (the lowest), make S non-increasing.
    let mut pts: Vec<(f64, f64)> = points.iter().map(|&(t, s)| (t, s.min(1.0))).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    if pts[0].0 > 0.0 {
        pts.insert(0, (0.0, 1.0));
    } else {
        pts[0].1 = 1.0;
    }
    let mut clean: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    let mut adjusted = 0;
    for (t, s) in pts {
        let s = match clean.last() {
            Some(&(_, prev)) if s > prev => {
                adjusted += 1;
                prev
            }
            _ => s,
        };
        match clean.last_mut() {
            Some(last) if last.0 == t => last.1 = s,
            _ => clean.push((t, s)),
        }
    }
    let ts: Vec<f64> = clean.iter().map(|p| p.0).collect();
    let sv: Vec<f64> = clean.iter().map(|p| p.1).collect();
    let n_t = ts.len();
    // Intervals: table times beyond the last point are not used (as the R code warns).
    // Table rows whose interval holds no point are merged into the one before (as the
    // reference implementations drop them), and said so.
    let mut notes = Vec::new();
    let mut table: Vec<(f64, u64)> = Vec::new();
    for (i, r) in risk.iter().enumerate() {
        if r.0 >= ts[n_t - 1] {
            notes.push(format!(
                "the risk table's time {} is at or after the last point of the curve ({}): the curve is flat there, so it only places the censorings after the last point",
                r.0,
                ts[n_t - 1]
            ));
            continue;
        }
        let next = risk.get(i + 1).map_or(f64::INFINITY, |n| n.0);
        let has_point = ts.iter().any(|&t| t >= r.0 && t < next);
        if i > 0 && !has_point {
            notes.push(format!(
                "no point of the curve between the risk table's times {} and {}: that row is merged into the one before",
                r.0,
                if next.is_finite() { next.to_string() } else { "the end".into() }
            ));
            continue;
        }
        table.push(*r);
    }
    let m = table.len();
    let lower: Vec<usize> = table
        .iter()
        .map(|r| ts.partition_point(|&t| t < r.0))
        .collect();
    let mut upper: Vec<usize> = (0..m)
        .map(|i| {
            if i + 1 < m {
                ts.partition_point(|&t| t < table[i + 1].0)
                    .saturating_sub(1)
            } else {
                n_t - 1
            }
        })
        .collect();
    for i in 0..m {
        if upper[i] < lower[i] {
            return Err(err(format!(
                "no digitised point between the risk table's times {} and {}: click at least one point in every interval",
                table[i].0,
                table.get(i + 1).map_or(ts[n_t - 1], |r| r.0)
            )));
        }
    }
    if let Some(u) = upper.last_mut() {
        *u = n_t - 1;
    }
    let mut n_risk: Vec<f64> = table.iter().map(|r| r.1 as f64).collect();
    let mut n_censor = vec![0.0f64; m];
    let mut n_hat = vec![n_risk[0] + 1.0; n_t + 1];
    let mut cen = vec![0.0f64; n_t];
    let mut d = vec![0.0f64; n_t];
    let mut km = vec![1.0f64; n_t];
    let mut last_i = vec![0usize; m];
    // Where each gap's censorings were spread (the times of step 2), for the patients.
    let mut spread_at: Vec<Vec<f64>> = vec![Vec::new(); n_t];
    let spread = |count: f64,
                  a: f64,
                  b: f64,
                  lo: usize,
                  hi_break: usize,
                  cen: &mut [f64],
                  at: &mut [Vec<f64>]| {
        let times: Vec<f64> = (1..=count as usize)
            .map(|j| a + j as f64 * (b - a) / (count + 1.0))
            .collect();
        let breaks = &ts[lo..=hi_break];
        let c = counts_per_gap(&times, breaks);
        for (k, v) in c.into_iter().enumerate() {
            cen[lo + k] = v;
            at[lo + k].clear();
        }
        for x in times {
            let g = breaks.partition_point(|&b| b < x).saturating_sub(1);
            at[lo + g.min(hi_break - lo - 1)].push(x);
        }
    };
    const MAX_ROUNDS: usize = 10_000;
    for i in 0..m.saturating_sub(1) {
        let (lo, hi, next) = (lower[i], upper[i], lower[i + 1]);
        n_censor[i] = round(n_risk[i] * sv[next] / sv[lo] - n_risk[i + 1]);
        let mut rounds = 0;
        while n_hat[next] > n_risk[i + 1] || (n_hat[next] < n_risk[i + 1] && n_censor[i] > 0.0) {
            rounds += 1;
            if rounds > MAX_ROUNDS {
                return Err(err(format!(
                    "the numbers at risk at {} and {} cannot both be met by the curve between them: check the risk table and the points there",
                    table[i].0,
                    table[i + 1].0
                )));
            }
            if n_censor[i] <= 0.0 {
                cen[lo..=hi].iter_mut().for_each(|c| *c = 0.0);
                n_censor[i] = 0.0;
            } else {
                spread(
                    n_censor[i],
                    ts[lo],
                    ts[next],
                    lo,
                    next,
                    &mut cen,
                    &mut spread_at,
                );
            }
            n_hat[lo] = n_risk[i];
            let mut last = last_i[i];
            for k in lo..=hi {
                if i == 0 && k == lo {
                    d[k] = 0.0;
                    km[k] = 1.0;
                } else {
                    (d[k], km[k]) = events_at(n_hat[k], sv[k], km[last]);
                }
                n_hat[k + 1] = n_hat[k] - d[k] - cen[k];
                if d[k] != 0.0 {
                    last = k;
                }
            }
            n_censor[i] += n_hat[next] - n_risk[i + 1];
            last_i[i + 1] = last;
        }
        if n_hat[next] < n_risk[i + 1] {
            n_risk[i + 1] = n_hat[next];
        }
    }
    // The last interval.
    let lm = m - 1;
    let (lo, hi) = (lower[lm], upper[lm]);
    n_censor[lm] = if m > 1 {
        let span = ts[upper[m - 2]] - ts[lower[0]];
        let rate = if span > 0.0 {
            n_censor[..lm].iter().sum::<f64>() * (ts[hi] - ts[lo]) / span
        } else {
            0.0
        };
        // An earlier interval's count can end below 0 (no censoring left to take away).
        round(rate).min(n_risk[lm]).max(0.0)
    } else {
        0.0
    };
    let last_interval = |n_censor_last: f64,
                         cen: &mut Vec<f64>,
                         d: &mut Vec<f64>,
                         km: &mut Vec<f64>,
                         n_hat: &mut Vec<f64>,
                         spread_at: &mut Vec<Vec<f64>>| {
        if n_censor_last <= 0.0 {
            cen[lo..hi].iter_mut().for_each(|c| *c = 0.0);
        } else if hi > lo {
            spread(n_censor_last, ts[lo], ts[hi], lo, hi, cen, spread_at);
        }
        n_hat[lo] = n_risk[lm];
        let mut last = last_i[lm];
        for k in lo..=hi {
            (d[k], km[k]) = events_at(n_hat[k], sv[k], km[last]);
            n_hat[k + 1] = n_hat[k] - d[k] - cen[k];
            if n_hat[k + 1] < 0.0 {
                n_hat[k + 1] = 0.0;
                cen[k] = n_hat[k] - d[k];
            }
            if d[k] != 0.0 {
                last = k;
            }
        }
    };
    last_interval(
        n_censor[lm],
        &mut cen,
        &mut d,
        &mut km,
        &mut n_hat,
        &mut spread_at,
    );
    if let Some(total) = total_events {
        let total = total as f64;
        let before: f64 = if m > 1 {
            d[..=upper[m - 2]].iter().sum()
        } else {
            0.0
        };
        if m > 1 && before >= total {
            for k in lo..=hi {
                d[k] = 0.0;
                cen[k] = 0.0;
                n_hat[k + 1] = n_risk[lm];
            }
        } else {
            let mut sumd: f64 = d[..=hi].iter().sum();
            let mut rounds = 0;
            while sumd > total || (sumd < total && n_censor[lm] > 0.0) {
                rounds += 1;
                if rounds > MAX_ROUNDS {
                    break;
                }
                n_censor[lm] = (n_censor[lm] + sumd - total).max(0.0);
                last_interval(
                    n_censor[lm],
                    &mut cen,
                    &mut d,
                    &mut km,
                    &mut n_hat,
                    &mut spread_at,
                );
                sumd = d[..=hi].iter().sum();
            }
        }
    }
    // The patients: events at their points, censorings where they were spread, and
    // whoever is left at the last point censored there.
    let n0 = table[0].1 as usize;
    let mut time = Vec::with_capacity(n0);
    let mut event = Vec::with_capacity(n0);
    for k in 0..n_t {
        for _ in 0..(d[k] as usize) {
            time.push(ts[k]);
            event.push(true);
        }
    }
    for k in 0..n_t.saturating_sub(1) {
        let at = &spread_at[k];
        // A gap that spans a table time: its censorings stay before that time (the
        // table's count there has already taken them away).
        let cut = table
            .iter()
            .map(|r| r.0)
            .find(|&t| t > ts[k] && t <= ts[k + 1]);
        for j in 0..(cen[k].max(0.0) as usize) {
            // At the time the censoring was spread to; Guyot's midpoint of the gap where
            // none was (a count changed after the spread).
            let x = at.get(j).copied().unwrap_or((ts[k] + ts[k + 1]) / 2.0);
            let x = match cut {
                Some(c) if x >= c => (ts[k] + c) / 2.0,
                _ => x,
            };
            time.push(x);
            event.push(false);
        }
    }
    // Whoever is left after the last point: the curve is flat there, so they are all
    // censored, spread over the table's intervals beyond the last point as its counts say
    // (n_j − n_{j+1} in [T_j, T_{j+1}), the last count at the last time), the rest at
    // the last point. (Guyot's code censors them all at one midpoint past the last point,
    // so the rebuilt numbers at risk there keep everyone: 70 for a published 18 on
    // reconstructKM's KEYNOTE-189 example.)
    let mut left = n0.saturating_sub(time.len());
    let mut from = ts[n_t - 1];
    for (j, &(t, n)) in risk.iter().filter(|r| r.0 > ts[n_t - 1]).enumerate() {
        let n = (n as usize).min(left);
        let gone = left - n;
        for c in 0..gone {
            // Lost before this table time: strictly between the last point and the first
            // time after it; from the previous table time on (evenly) after that.
            time.push(if j == 0 {
                from + (c + 1) as f64 * (t - from) / (gone + 1) as f64
            } else {
                from + c as f64 * (t - from) / gone as f64
            });
            event.push(false);
        }
        (left, from) = (n, t);
    }
    // The last table time's count (or, without one after the last point, everyone left)
    // censored there.
    while time.len() < n0 {
        time.push(from);
        event.push(false);
    }
    time.truncate(n0);
    event.truncate(n0);
    // Accuracy: the rebuilt KM at each point, and the numbers at risk at the table's times.
    let rebuilt = km_steps(&time, &event);
    let km_at_points: Vec<f64> = ts.iter().map(|&t| step_at(&rebuilt, t)).collect();
    let diffs: Vec<f64> = km_at_points.iter().zip(&sv).map(|(a, b)| a - b).collect();
    let max_abs_diff = diffs.iter().map(|x| x.abs()).fold(0.0, f64::max);
    let rms_diff = (diffs.iter().map(|x| x * x).sum::<f64>() / diffs.len() as f64).sqrt();
    let at_risk = risk
        .iter()
        .map(|&(t, n)| (t, n, time.iter().filter(|&&x| x >= t).count() as u64))
        .collect();
    let events = event.iter().filter(|&&e| e).count() as u64;
    Ok(Reconstruction {
        time,
        event,
        points: clean,
        points_adjusted: adjusted,
        km_at_points,
        max_abs_diff,
        rms_diff,
        at_risk,
        events,
        notes,
        table_used: table,
    })
}

/// The Kaplan–Meier steps (time, S after it) of one group.
fn km_steps(time: &[f64], event: &[bool]) -> Vec<(f64, f64)> {
    let mut idx: Vec<usize> = (0..time.len()).collect();
    idx.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    let mut out = Vec::new();
    let mut s = 1.0;
    let mut i = 0;
    let n = idx.len();
    while i < n {
        let t = time[idx[i]];
        let mut j = i;
        let mut d = 0;
        while j < n && time[idx[j]] == t {
            d += usize::from(event[idx[j]]);
            j += 1;
        }
        if d > 0 {
            s *= 1.0 - d as f64 / (n - i) as f64;
            out.push((t, s));
        }
        i = j;
    }
    out
}

fn step_at(steps: &[(f64, f64)], t: f64) -> f64 {
    let k = steps.partition_point(|s| s.0 <= t);
    if k == 0 {
        1.0
    } else {
        steps[k - 1].1
    }
}
