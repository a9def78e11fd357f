//! Harrell's concordance of a fitted Cox model, as R `survival` 3.x reports it
//! (`summary(fit)$concordance`, `concordance(fit)`): a port of `concordancefit` with the
//! default `timewt = "n"` and of `concordance3.c`.
//!
//! # Formula
//! Over pairs (i, j) in the same stratum where i has an event at t_i and j is still at
//! risk (t_j > t_i, or t_j = t_i with j censored), the pair is concordant when the risk
//! score of i is the larger, discordant when it is the smaller, tied on x when equal.
//! Pairs tied on an event time are not comparable. With C concordant, D discordant and T
//! tied pairs, the concordance is (C + T/2)/(C + D + T). Its standard error is the
//! infinitesimal-jackknife one R reports: with Somers' d = (C − D)/N, N = C + D + T, and
//! per-subject counts c_i, d_i, t_i of the pairs subject i takes part in,
//! var = ¼ Σ_i [(c_i − d_i)/N − d·(c_i + d_i + t_i)/N]².
//!
//! The counts are kept in a balanced binary tree over the distinct risk scores, so the
//! whole computation costs O(n log n).
//!
//! # References
//! Harrell FE, Califf RM, Pryor DB, Lee KL, Rosati RA (1982). JAMA 247:2543–2546.
//! Therneau TM, Watson DA (2017). The concordance statistic and the Cox model. Mayo Clinic
//! technical report (survival package vignette "concordance").
//! R `survival::concordance.coxph`, `survival:::concordancefit`, `src/concordance3.c`.

/// Concordance of the linear predictor with survival (R `concordance(fit)`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Concordance {
    /// Harrell's C, ties in the predictor counted ½ (R `concordance`).
    pub concordance: f64,
    /// Its standard error (R `sqrt(var)`, `se(C)` of `summary(fit)`).
    pub std_err: f64,
    /// Concordant pairs (R `count["concordant"]`).
    pub concordant: f64,
    /// Discordant pairs.
    pub discordant: f64,
    /// Comparable pairs tied on the predictor (R `tied.x`).
    pub tied_x: f64,
    /// Pairs tied on the event time, not on the predictor (R `tied.y`).
    pub tied_y: f64,
    /// Pairs tied on both (R `tied.xy`).
    pub tied_xy: f64,
}

/// Positions of ranks 1..=n in a balanced binary tree stored as an array (children of
/// node k at 2k + 1 and 2k + 2), in-order traversal giving increasing rank:
/// R `survival:::btree`.
fn btree(n: usize) -> Vec<usize> {
    fn tfun(n: usize, id: usize, power: usize, out: &mut Vec<usize>) {
        match n {
            0 => {}
            1 => out.push(id),
            2 => {
                out.push(2 * id + 1);
                out.push(id);
            }
            3 => {
                out.push(2 * id + 1);
                out.push(id);
                out.push(2 * id + 2);
            }
            _ => {
                let nleft = if n == power * 2 {
                    power
                } else {
                    (power - 1).min(n - power / 2)
                };
                tfun(nleft, 2 * id + 1, power / 2, out);
                out.push(id);
                tfun(n - (nleft + 1), 2 * id + 2, power / 2, out);
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    if n == 1 {
        out.push(0);
        return out;
    }
    // 2^floor(log2(n - 1)).
    let mut power = 1usize;
    while power * 2 < n {
        power *= 2;
    }
    tfun(n, 0, power, &mut out);
    out
}

/// Weights greater than, less than and equal to node `index`: R's `walkup`.
fn walkup(nwt: &[f64], twt: &[f64], mut index: usize) -> [f64; 3] {
    let ntree = nwt.len();
    let mut sums = [0.0, 0.0, nwt[index]];
    let j = 2 * index + 2;
    if j < ntree {
        sums[0] += twt[j];
    }
    if j <= ntree {
        sums[1] += twt[j - 1];
    }
    while index > 0 {
        let parent = (index - 1) / 2;
        if index % 2 == 1 {
            sums[0] += twt[parent] - twt[index];
        } else {
            sums[1] += twt[parent] - twt[index];
        }
        index = parent;
    }
    sums
}

/// Adds weight at node `index`: R's `addin`.
fn addin(nwt: &mut [f64], twt: &mut [f64], mut index: usize, wt: f64) {
    nwt[index] += wt;
    while index > 0 {
        twt[index] += wt;
        index = (index - 1) / 2;
    }
    twt[0] += wt;
}

/// `concordance3.c` for one stratum (all weights 1, timewt "n"): counts (concordant,
/// discordant, tied.x, tied.y, tied.xy) and what the variance needs of the influence
/// matrix, row `p` for the `p`-th subject of the walk; the walk's order (R's
/// `sort.stop`) is returned too.
///
/// R keeps the influence matrix (n × 5); its variance uses only I₁ − I₂ and I₁ + I₂ + I₃
/// of each row (`concordancefit`'s `dfbeta`), so those two are what is kept, 16 bytes a
/// subject instead of 40 (24 MB less at a million rows, issue 15). Each update of R's
/// columns 1–3 is applied to both, and those of columns 4–5 (the tied-time influence,
/// which the variance does not use) are left out.
///
/// `ascending`: the rows' times in increasing order. `by_time_desc`: the rows (0..n) by
/// decreasing time, ties in row order; with `keep_walk`, returned reordered as the walk
/// went (empty without).
///
/// The columns are gathered once into the walk's order, so that the walk and the
/// influence rows it writes are read in sequence rather than through the order (a random
/// gather of four columns per subject, issue 15); the sums are the same, in the same order.
fn concordance3(
    ascending: &[f64],
    status: &[bool],
    risk: &[f64],
    by_time_desc: Vec<usize>,
    keep_walk: bool,
) -> ([f64; 5], Vec<Influence>, Vec<usize>) {
    let n = ascending.len();
    // The time of the walk's p-th subject: the walk is by decreasing time, so the
    // ascending times read backwards (read in sequence, not through the order).
    let time = |p: usize| ascending[n - 1 - p];
    let mut count = [0.0; 5];
    if !status.iter().any(|&s| s) {
        return (count, vec![Influence::default(); n], by_time_desc);
    }
    // sort.stop <- order(-time, status, risk)
    // (From the rows by decreasing time, each run of one time sorted by status, risk and
    // row: the order of R's stable `order`, without sorting all n again.)
    let mut sort2 = by_time_desc;
    let mut k = 0;
    while k < n {
        let mut j = k + 1;
        while j < n && time(j) == time(k) {
            j += 1;
        }
        if j - k > 1 {
            sort2[k..j].sort_by(|&a, &b| {
                status[a]
                    .cmp(&status[b])
                    .then(risk[a].total_cmp(&risk[b]))
                    .then(a.cmp(&b))
            });
        }
        k = j;
    }
    // utemp <- match(risk, sort(unique(risk))); x <- btree(max(utemp))[utemp]
    let uniq = sorted_unique(risk);
    let tree = btree(uniq.len());
    // Status and tree node of the walk's p-th subject.
    let status: Vec<bool> = sort2.iter().map(|&i| status[i]).collect();
    let x: Vec<usize> = sort2
        .iter()
        .map(|&i| {
            // (`<`, as the distinct values are: −0 and 0 have one rank.)
            let rank = uniq.partition_point(|u| *u < risk[i]);
            tree[rank]
        })
        .collect();
    // The walk's order is returned only when asked for (strata map rows back with it);
    // otherwise freed before the influence rows are made (4 MB at a million rows).
    let sort2 = if keep_walk { sort2 } else { Vec::new() };
    let mut imat = vec![Influence::default(); n];
    let ntree = x.iter().copied().max().map_or(0, |m| m + 1);
    let mut nwt = vec![0.0; ntree];
    let mut twt = vec![0.0; ntree];
    let mut dnwt = vec![0.0; ntree];
    let mut dtwt = vec![0.0; ntree];
    let wt = 1.0;
    let adjtimewt = 1.0;

    let mut i = 0;
    while i < n {
        if !status[i] {
            let wsum = walkup(&dnwt, &dtwt, x[i]);
            imat[i].sub_swapped(wsum);
            addin(&mut nwt, &mut twt, x[i], wt);
            i += 1;
        } else {
            let mut ndeath = 0;
            let mut dwt = 0.0;
            let mut dwt2 = 0.0;
            let mut xsave = x[i];
            let mut j = i;
            while j < n && time(j) == time(i) {
                ndeath += 1;
                count[3] += wt * dwt * adjtimewt;
                dwt += wt;
                if x[j] != xsave {
                    // (R changes columns 4–5 of the rows tied with this one here.)
                    dwt2 = 0.0;
                    xsave = x[j];
                }
                count[4] += wt * dwt2 * adjtimewt;
                dwt2 += wt;
                let wsum = walkup(&nwt, &twt, x[j]);
                for k in 0..3 {
                    count[k] += wt * wsum[k] * adjtimewt;
                }
                imat[j].add(wsum.map(|w| w * adjtimewt));
                addin(&mut dnwt, &mut dtwt, x[j], adjtimewt * wt);
                j += 1;
            }
            // (R changes columns 4–5 of the tied rows here, and column 4 of each death.)
            for jj in i..i + ndeath {
                let wsum = walkup(&dnwt, &dtwt, x[jj]);
                imat[jj].sub_swapped(wsum);
                addin(&mut nwt, &mut twt, x[jj], wt);
            }
            i += ndeath;
        }
    }
    for (row, &node) in imat.iter_mut().zip(&x) {
        let wsum = walkup(&dnwt, &dtwt, node);
        row.add([wsum[1], wsum[0], wsum[2]]);
    }
    count[3] -= count[4];
    (count, imat, sort2)
}

/// The distinct values of `risk` (as R's `unique`: −0 and 0 are one), sorted. A model of
/// the arm alone has as many as arms: they are collected in one pass without copying and
/// sorting all n (8 MB and a sort at a million rows); past 64 distinct values, a sorted
/// copy.
fn sorted_unique(risk: &[f64]) -> Vec<f64> {
    const FEW: usize = 64;
    let mut few: Vec<f64> = Vec::with_capacity(FEW);
    for &r in risk {
        if !few.contains(&r) {
            if few.len() == FEW {
                let mut all = risk.to_vec();
                all.sort_unstable_by(f64::total_cmp);
                all.dedup();
                return all;
            }
            few.push(r);
        }
    }
    few.sort_unstable_by(f64::total_cmp);
    few
}

/// The concordance of `risk` (the linear predictor) with (`time`, `status`) within
/// strata, reversed as `coxph` reverses it (a higher risk score predicts a shorter time).
///
/// `desc`: the rows by stratum, then decreasing time, ties in row order (R's
/// `order(strata, -time)`, the model frame's); taken, as the walk reorders it in place.
///
/// `ascending`: the times in increasing order, when at hand (the data's sorted times, for
/// a model of every row without strata); otherwise read from `time` through `desc`.
pub(crate) fn concordance(
    desc: Vec<usize>,
    time: &[f64],
    ascending: Option<&[f64]>,
    status: &[bool],
    strata: &[usize],
    risk: &[f64],
) -> Concordance {
    let n = time.len();
    let nstrat = strata.iter().copied().max().map_or(0, |m| m + 1);
    if nstrat <= 1 {
        // One stratum (the usual model): its rows are all rows, so neither the columns
        // nor the influence rows (16 MB at a million rows) are copied.
        // The influence rows are in the walk's order; the variance is their sum of squares.
        let gathered;
        let ascending = match ascending {
            Some(a) => a,
            None => {
                // `desc` read backwards is by increasing time.
                gathered = desc.iter().rev().map(|&i| time[i]).collect::<Vec<f64>>();
                &gathered
            }
        };
        let (count, imat, _) = concordance3(ascending, status, risk, desc, false);
        return summarise(count, &imat);
    }
    let mut count = [0.0; 5];
    let mut imat = vec![Influence::default(); n];
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); nstrat];
    // Each row's position within its stratum's rows.
    let mut local = vec![0usize; n];
    for (i, &s) in strata.iter().enumerate() {
        local[i] = rows[s].len();
        rows[s].push(i);
    }
    let mut by_stratum: Vec<Vec<usize>> =
        rows.iter().map(|r| Vec::with_capacity(r.len())).collect();
    for i in desc {
        by_stratum[strata[i]].push(local[i]);
    }
    for (idx, order) in rows.into_iter().zip(by_stratum) {
        if idx.is_empty() {
            continue;
        }
        let asc: Vec<f64> = order.iter().rev().map(|&l| time[idx[l]]).collect();
        let st: Vec<bool> = idx.iter().map(|&i| status[i]).collect();
        let r: Vec<f64> = idx.iter().map(|&i| risk[i]).collect();
        let (c, im, walk) = concordance3(&asc, &st, &r, order, true);
        for k in 0..5 {
            count[k] += c[k];
        }
        for (row, &local) in im.into_iter().zip(&walk) {
            imat[idx[local]] = row;
        }
    }
    summarise(count, &imat)
}

/// What the variance needs of a subject's row (I₁, …, I₅) of R's influence matrix:
/// I₁ − I₂ and I₁ + I₂ + I₃.
#[derive(Debug, Clone, Copy, Default)]
struct Influence {
    /// I₁ − I₂.
    diff: f64,
    /// I₁ + I₂ + I₃.
    sum: f64,
}

impl Influence {
    /// (I₁, I₂, I₃) += `w`.
    fn add(&mut self, w: [f64; 3]) {
        self.diff += w[0] - w[1];
        self.sum += w[0] + w[1] + w[2];
    }

    /// (I₁, I₂, I₃) −= (w₂, w₁, w₃): R's update of a subject from the walk-up sums.
    fn sub_swapped(&mut self, w: [f64; 3]) {
        self.diff += w[0] - w[1];
        self.sum -= w[0] + w[1] + w[2];
    }
}

/// The concordance and its standard error from the counts and the influence rows:
/// `concordancefit`'s dfbeta = (I₁ − I₂)/npair − (somer/npair)(I₁ + I₂ + I₃), and the
/// variance the sum of its squares.
fn summarise(count: [f64; 5], imat: &[Influence]) -> Concordance {
    let npair = count[0] + count[1] + count[2];
    let somer = (count[0] - count[1]) / npair;
    let mut var = 0.0;
    for row in imat {
        let dfbeta = row.diff / npair - (somer / npair) * row.sum;
        var += dfbeta * dfbeta;
    }
    let c = (somer + 1.0) / 2.0;
    // reverse = TRUE: swap concordant and discordant.
    Concordance {
        concordance: 1.0 - c,
        std_err: (var / 4.0).sqrt(),
        concordant: count[1],
        discordant: count[0],
        tied_x: count[2],
        tied_y: count[3],
        tied_xy: count[4],
    }
}

#[cfg(test)]
mod tests {
    /// A few distinct values are found without sorting a copy, and many with it; both
    /// sorted, −0 and 0 one value (each has a rank among them).
    #[test]
    fn distinct_risks_few_and_many() {
        let few = [0.5, -1.0, 0.5, 0.0, -0.0, -1.0];
        let u = super::sorted_unique(&few);
        assert_eq!(u, vec![-1.0, 0.0, 0.5]);
        for r in few {
            let rank = u.partition_point(|v| *v < r);
            assert_eq!(u[rank], r);
        }
        let many: Vec<f64> = (0..200).map(|k| f64::from((k * 37) % 100)).collect();
        let u = super::sorted_unique(&many);
        assert_eq!(u, (0..100).map(f64::from).collect::<Vec<_>>());
    }

    use super::*;

    #[test]
    fn btree_matches_r() {
        // R: survival:::btree(n) for n = 1..7 (0-based positions).
        assert_eq!(btree(1), vec![0]);
        assert_eq!(btree(2), vec![1, 0]);
        assert_eq!(btree(3), vec![1, 0, 2]);
        assert_eq!(btree(4), vec![3, 1, 0, 2]);
        assert_eq!(btree(5), vec![3, 1, 4, 0, 2]);
        assert_eq!(btree(7), vec![3, 1, 4, 0, 5, 2, 6]);
        assert_eq!(btree(10), vec![7, 3, 8, 1, 9, 4, 0, 5, 2, 6]);
    }

    /// Brute force over pairs, the definition in the module documentation.
    #[test]
    fn counts_match_pairwise_definition() {
        let time = [5.0, 3.0, 9.0, 2.0, 7.0, 4.0, 8.0, 1.0, 6.0, 3.0, 3.0, 7.0];
        let status = [
            true, true, false, true, true, true, false, true, true, true, false, true,
        ];
        let risk = [0.5, 1.0, -0.2, 1.0, 0.1, 0.5, -1.0, 2.0, 0.0, 0.3, 0.3, 0.1];
        let desc = crate::data::order_by_strata_time(&[0; 12], &time, true);
        let c = concordance(desc.clone(), &time, None, &status, &[0; 12], &risk);
        // The same from the ascending times, read backwards (every field, the SE too).
        let mut asc = time;
        asc.sort_by(f64::total_cmp);
        let again = concordance(desc, &time, Some(&asc), &status, &[0; 12], &risk);
        assert_eq!(format!("{c:?}"), format!("{again:?}"));
        let (mut conc, mut disc, mut tx) = (0.0, 0.0, 0.0);
        for i in 0..12 {
            if !status[i] {
                continue;
            }
            for j in 0..12 {
                let at_risk = time[j] > time[i] || (time[j] == time[i] && !status[j]);
                if !at_risk {
                    continue;
                }
                if risk[i] > risk[j] {
                    conc += 1.0;
                } else if risk[i] < risk[j] {
                    disc += 1.0;
                } else {
                    tx += 1.0;
                }
            }
        }
        assert_eq!((c.concordant, c.discordant, c.tied_x), (conc, disc, tx));
        let expect = (conc + tx / 2.0) / (conc + disc + tx);
        assert!((c.concordance - expect).abs() < 1e-15);
    }
}
