//! The cumulative incidence of one cause in one group (Aalen–Johansen), with the
//! variance cmprsk's `cuminc` reports.

use super::CompetingData;

/// The cumulative incidence of one cause in one group: a step function that jumps at the
/// times when that cause occurs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CifCurve {
    /// The group's label.
    pub group: String,
    /// The cause (1, 2, …).
    pub cause: u32,
    /// Patients in the group.
    pub n: usize,
    /// Failures from this cause in the group.
    pub events: usize,
    /// The distinct times at which the cause occurs, increasing.
    pub time: Vec<f64>,
    /// Patients at risk just before each time.
    pub n_risk: Vec<usize>,
    /// Failures from the cause at each time.
    pub n_event: Vec<usize>,
    /// F(t) just after each time (R `est`).
    pub estimate: Vec<f64>,
    /// The variance of F(t) as cmprsk computes it (R `var`).
    pub variance: Vec<f64>,
    /// The group's last follow-up time: the curve is flat from its last jump to here.
    pub max_time: f64,
}

impl CifCurve {
    /// F(t) and its variance at `t` (R `timepoints`): the values at the last jump at or
    /// before `t`, (0, 0) before the first; `None` after the group's last follow-up.
    pub fn at(&self, t: f64) -> Option<(f64, f64)> {
        if t > self.max_time {
            return None;
        }
        let k = self.time.partition_point(|&x| x <= t);
        Some(match k {
            0 => (0.0, 0.0),
            k => (self.estimate[k - 1], self.variance[k - 1]),
        })
    }
}

/// The pointwise interval of a cumulative incidence F with variance `var` on the
/// log(−log) scale, as cmprsk users (Pintilie 2006) and tidycmprsk give it:
/// (F^exp(−z σ / (F ln F)), F^exp(z σ / (F ln F))), σ = √var, z = Φ⁻¹((1 + level)/2).
/// `None` where it is not defined (F = 0 or 1, or no variance).
pub fn log_log_interval(f: f64, var: f64, conf_level: f64) -> Option<(f64, f64)> {
    let z = crate::numerics::qnorm(0.5 + conf_level / 2.0);
    (f > 0.0 && f < 1.0 && var > 0.0).then(|| {
        let k = z * var.sqrt() / (f * f.ln());
        (f.powf((-k).exp()), f.powf(k.exp()))
    })
}

/// The infinitesimal-jackknife variance of F(t) for `cause` in group `group`, as R
/// `survfit(Surv(time, factor(status)) ~ group)` computes it for the Aalen–Johansen
/// estimate of a multi-state model (`summary(fit, times)$std.err²`): Σ_i U_i(t)², U_i the
/// derivative of F(t) with respect to patient i's case weight. `None` when `group` is
/// out of range or `t` is after the group's last follow-up.
///
/// # Formula
/// Over the group's distinct times u with Y(u) at risk, h = d/Y (any cause), h_k = d_k/Y,
/// S(u−) the Kaplan–Meier estimate of freedom from every cause just before u and
/// g(u) = h/(Y(1 − h)), for patient i with time t_i (index j_i) and m = min(t_i, t):
///
/// U_i(t) = 1{cause_i = k, t_i ≤ t}·S(t_i−)/Y(t_i) − Σ_{u ≤ m} S(u−) h_k(u)/Y(u)
///          − 1{failed, t_i < t}·(F(t) − F(t_i))/(Y(t_i)(1 − h(t_i)))
///          + F(t) Σ_{u ≤ m} g(u) − Σ_{u ≤ m} g(u) F(u),
///
/// the terms being the patient's own jump, its share of the risk sets, and its effect on
/// S through the any-cause hazard. Prefix sums make each U_i O(1): O(n) per time after
/// the sort. (At a time where every patient at risk fails, h = 1 and F does not change
/// afterwards, so those terms are 0.)
pub fn ij_variance(data: &CompetingData, cause: u32, group: usize, t: f64) -> Option<f64> {
    if group >= data.levels.len() {
        return None;
    }
    let idx = data.sorted(Some(group));
    let n = idx.len();
    if n == 0 || t > data.time[idx[n - 1]] {
        return None;
    }
    // Distinct times: Y, h, h_k, S(u−), F(u), and the prefix sums.
    let mut at = Vec::new(); // (time, y, h, s_minus, f, p1, g_sum, gf_sum)
    let (mut s, mut f) = (1.0f64, 0.0f64);
    let (mut p1, mut gs, mut gfs) = (0.0f64, 0.0f64, 0.0f64);
    let mut start = 0;
    let mut block_of = vec![0usize; n];
    while start < n {
        let u = data.time[idx[start]];
        let mut end = start;
        let (mut d, mut dk) = (0usize, 0usize);
        while end < n && data.time[idx[end]] == u {
            match data.cause[idx[end]] {
                0 => {}
                k if k == cause => {
                    d += 1;
                    dk += 1;
                }
                _ => d += 1,
            }
            block_of[end] = at.len();
            end += 1;
        }
        let y = (n - start) as f64;
        let (h, hk) = (d as f64 / y, dk as f64 / y);
        let s_minus = s;
        f += s_minus * hk;
        p1 += s_minus * hk / y;
        let g = if h < 1.0 { h / (y * (1.0 - h)) } else { 0.0 };
        gs += g;
        gfs += g * f;
        s *= 1.0 - h;
        at.push((u, y, h, s_minus, f, p1, gs, gfs));
        start = end;
    }
    let big_j = at.partition_point(|a| a.0 <= t);
    if big_j == 0 {
        return Some(0.0);
    }
    let ft = at[big_j - 1].4;
    let mut var = 0.0;
    for (pos, &i) in idx.iter().enumerate() {
        let j = block_of[pos];
        let mn = j.min(big_j - 1);
        let (_, y, h, s_minus, fj, _, _, _) = at[j];
        let (p1m, gm, gfm) = (at[mn].5, at[mn].6, at[mn].7);
        let c = data.cause[i];
        let own = if c == cause && j < big_j {
            s_minus / y
        } else {
            0.0
        };
        let through_s = if c != 0 && j + 1 < big_j && h < 1.0 {
            (ft - fj) / (y * (1.0 - h))
        } else {
            0.0
        };
        let u = own - p1m - through_s + ft * gm - gfm;
        var += u * u;
    }
    Some(var)
}

/// The cumulative incidence of `cause` in every group: R `cmprsk::cuminc(time, cause,
/// group)` for that cause.
///
/// # Formula
/// Over the distinct times t_j of a group with n_j at risk, d_kj failures from the cause
/// and d_oj from the other causes, and Ŝ the Kaplan–Meier estimate of failure from any
/// cause (Ŝ(t_j−) = Π_{i<j} (1 − (d_ki + d_oi)/n_i)):
///
/// F(t) = Σ_{t_j ≤ t} Ŝ(t_j−) · d_kj / n_j.
///
/// The variance is Gray's delta-method estimate in the Fortran `cinc` (the one
/// `cuminc` returns): at each time with failures, with Ŝ⁺ = Ŝ(t_j) and the tie factor
/// τ(d) = 1 − (d − 1)/(n_j − 1) (1 for d = 1), the sums
///
/// * for the other causes (when Ŝ⁺ > 0): w = Ŝ(t_j−)² τ(d_o) d_o / n_j², a = F/Ŝ⁺,
///   b = 1/Ŝ⁺;
/// * for the cause: w = Ŝ(t_j−)² τ(d_k) d_k / n_j², a = 1 + F/Ŝ⁺ (1 when Ŝ⁺ = 0), b = 1/Ŝ⁺
///   (0 when Ŝ⁺ = 0);
///
/// accumulate v₁ += a² w, v₂ += a b w, v₃ += b² w, and Var F(t_j) = v₁ + F² v₃ − 2 F v₂
/// (F after the jump). As in `cinc`, the variance is reported at the times the cause
/// occurs and carried between them.
///
/// Cost: one sort, then linear.
pub fn cumulative_incidence(data: &CompetingData, cause: u32) -> Vec<CifCurve> {
    (0..data.levels.len())
        .map(|g| {
            let idx = data.sorted(Some(g));
            let n = idx.len();
            let mut c = CifCurve {
                group: data.levels[g].clone(),
                cause,
                n,
                events: 0,
                time: Vec::new(),
                n_risk: Vec::new(),
                n_event: Vec::new(),
                estimate: Vec::new(),
                variance: Vec::new(),
                max_time: idx.last().map_or(0.0, |&i| data.time[i]),
            };
            let (mut s, mut f) = (1.0f64, 0.0f64);
            let (mut v1, mut v2, mut v3) = (0.0f64, 0.0f64, 0.0f64);
            let tie = |d: f64, rs: f64| {
                if d > 1.0 {
                    1.0 - (d - 1.0) / (rs - 1.0)
                } else {
                    1.0
                }
            };
            let mut start = 0;
            while start < n {
                let t = data.time[idx[start]];
                let mut end = start;
                let (mut dk, mut dother) = (0usize, 0usize);
                while end < n && data.time[idx[end]] == t {
                    match data.cause[idx[end]] {
                        0 => {}
                        k if k == cause => dk += 1,
                        _ => dother += 1,
                    }
                    end += 1;
                }
                let at_risk = n - start;
                let rs = at_risk as f64;
                if dk + dother > 0 {
                    let s_after = s * (rs - (dk + dother) as f64) / rs;
                    if dk > 0 {
                        f += s * dk as f64 / rs;
                    }
                    if dother > 0 && s_after > 0.0 {
                        let d = dother as f64;
                        let w = s * s * tie(d, rs) * d / (rs * rs);
                        let (a, b) = (f / s_after, 1.0 / s_after);
                        v1 += a * a * w;
                        v2 += a * b * w;
                        v3 += b * b * w;
                    }
                    if dk > 0 {
                        let d = dk as f64;
                        let w = s * s * tie(d, rs) * d / (rs * rs);
                        let b = if s_after > 0.0 { 1.0 / s_after } else { 0.0 };
                        let a = 1.0 + b * f;
                        v1 += a * a * w;
                        v2 += a * b * w;
                        v3 += b * b * w;
                        c.time.push(t);
                        c.n_risk.push(at_risk);
                        c.n_event.push(dk);
                        c.estimate.push(f);
                        c.variance.push(v1 + f * f * v3 - 2.0 * f * v2);
                        c.events += dk;
                    }
                    s = s_after;
                }
                start = end;
            }
            c
        })
        .collect()
}
