//! The log-rank test for k ≥ 2 groups, and its G-rho family, as R `survival::survdiff`.
//!
//! # Formula
//! At each distinct event time t_i of the pooled sample, with n_i at risk and d_i events in
//! all, n_ig at risk and d_ig events in group g, and weight w_i = Ŝ(t_i−)^ρ (Ŝ the pooled
//! Kaplan–Meier; ρ = 0 is the log-rank test):
//!
//! * O_g = Σ w_i d_ig, E_g = Σ w_i d_i n_ig / n_i
//! * V_gh = Σ w_i² d_i (n_i − d_i)/(n_i − 1) · (n_ig/n_i)(δ_gh − n_ih/n_i)
//! * χ² = (O − E)ᵀ V⁻¹ (O − E) over all groups with E_g > 0 but the first, df = (their
//!   number) − 1.
//!
//! # References
//! Mantel N (1966). Cancer Chemother Rep 50:163–170. Harrington DP, Fleming TR (1982).
//! Biometrika 69:553–566. R `survival::survdiff(rho = 0)`.

use crate::data::SurvData;
use nalgebra::{DMatrix, DVector};

/// The result of a (weighted) log-rank test.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LogRank {
    /// Group labels, in level order.
    pub groups: Vec<String>,
    /// Number of observations per group (R `n`).
    pub n: Vec<usize>,
    /// Observed events per group, weighted when ρ ≠ 0 (R `obs`).
    pub observed: Vec<f64>,
    /// Expected events per group under the null hypothesis (R `exp`).
    pub expected: Vec<f64>,
    /// Variance–covariance matrix of O − E, row-major k × k (R `var`).
    pub variance: Vec<Vec<f64>>,
    /// The chi-square statistic (R `chisq`).
    pub chisq: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// P value, upper tail of χ²(df) (R `pchisq(chisq, df, lower.tail = FALSE)`).
    pub p_value: f64,
    /// The ρ of the G-rho family (R `survdiff(rho = )`; 0 = log-rank).
    pub rho: f64,
}

/// The log-rank test, R `survdiff(Surv(time, status) ~ group)`.
pub fn log_rank(data: &SurvData) -> LogRank {
    survdiff(data, 0.0)
}

/// The G-rho family of tests, R `survdiff(..., rho = rho)`: ρ = 0 log-rank, ρ = 1 the
/// Peto & Peto modification of the Gehan–Wilcoxon test.
///
/// Cost: one O(n log n) sort, then O(n·k + m·k²) for m distinct event times.
pub fn survdiff(data: &SurvData, rho: f64) -> LogRank {
    let k = data.n_groups();
    let sorted = data.sorted();
    let mut n_risk = vec![0usize; k];
    for &g in data.group() {
        n_risk[g] += 1;
    }
    let mut acc = Survdiff::new(n_risk, rho);
    let mut d_g = vec![0usize; k];
    let mut removed = vec![0usize; k];
    let mut i = 0;
    let time = &sorted.time;
    while i < time.len() {
        let t = time[i];
        d_g.iter_mut().for_each(|x| *x = 0);
        removed.iter_mut().for_each(|x| *x = 0);
        let mut j = i;
        while j < time.len() && time[j] == t {
            let (g, event) = sorted.group_event(j);
            removed[g] += 1;
            if event {
                d_g[g] += 1;
            }
            j += 1;
        }
        acc.time(&d_g, &removed);
        i = j;
    }
    acc.finish(data.levels().to_vec())
}

/// The sums of [`survdiff`] over the distinct times in increasing order: the one place
/// they are computed, for patient rows ([`survdiff`]) and for counts
/// ([`crate::counts::survdiff_counts`]) alike.
pub(crate) struct Survdiff {
    rho: f64,
    n_group: Vec<usize>,
    n_risk: Vec<usize>,
    obs: Vec<f64>,
    exp: Vec<f64>,
    var: Vec<Vec<f64>>,
    /// Pooled Kaplan–Meier just before the current time.
    km: f64,
}

impl Survdiff {
    /// Starts with `n_group[g]` observations at risk in group g.
    pub(crate) fn new(n_group: Vec<usize>, rho: f64) -> Survdiff {
        let k = n_group.len();
        Survdiff {
            rho,
            n_risk: n_group.clone(),
            n_group,
            obs: vec![0.0; k],
            exp: vec![0.0; k],
            var: vec![vec![0.0; k]; k],
            km: 1.0,
        }
    }

    /// One distinct time: `d_g[g]` events and `removed[g]` observations (events and
    /// censored) of group g at that time.
    pub(crate) fn time(&mut self, d_g: &[usize], removed: &[usize]) {
        let k = self.n_risk.len();
        let d: usize = d_g.iter().sum();
        if d > 0 {
            let n = self.n_risk.iter().sum::<usize>() as f64;
            let df = d as f64;
            let w = if self.rho == 0.0 {
                1.0
            } else {
                self.km.powf(self.rho)
            };
            for g in 0..k {
                self.obs[g] += w * d_g[g] as f64;
                self.exp[g] += w * df * self.n_risk[g] as f64 / n;
            }
            if n > 1.0 {
                let c = w * w * df * (n - df) / (n - 1.0);
                for g in 0..k {
                    let pg = self.n_risk[g] as f64 / n;
                    self.var[g][g] += c * pg * (1.0 - pg);
                    for h in (g + 1)..k {
                        let v = c * pg * self.n_risk[h] as f64 / n;
                        self.var[g][h] -= v;
                        self.var[h][g] -= v;
                    }
                }
            }
            self.km *= 1.0 - df / n;
        }
        for g in 0..k {
            self.n_risk[g] -= removed[g];
        }
    }

    /// The test, with `groups` the level labels.
    pub(crate) fn finish(self, groups: Vec<String>) -> LogRank {
        let Survdiff {
            rho,
            n_group,
            obs,
            exp,
            var,
            ..
        } = self;
        let k = n_group.len();
        // As survdiff: keep groups with expected > 0, drop the first of them.
        let keep: Vec<usize> = (0..k).filter(|&g| exp[g] > 0.0).collect();
        let (chisq, df) = if keep.len() < 2 {
            (0.0, 0)
        } else {
            let m = keep.len() - 1;
            let u = DVector::from_iterator(m, keep[1..].iter().map(|&g| obs[g] - exp[g]));
            let v = DMatrix::from_fn(m, m, |a, b| var[keep[a + 1]][keep[b + 1]]);
            let chi = match v.clone().lu().solve(&u) {
                Some(x) => x.dot(&u),
                None => f64::NAN,
            };
            (chi, m)
        };
        let p_value = chi_square_sf(chisq, df);
        LogRank {
            groups,
            n: n_group,
            observed: obs,
            expected: exp,
            variance: var,
            chisq,
            df,
            p_value,
            rho,
        }
    }
}

/// Upper tail of the chi-square distribution, R `pchisq(x, df, lower.tail = FALSE)`.
/// NaN for df = 0 or a NaN statistic.
pub fn chi_square_sf(x: f64, df: usize) -> f64 {
    crate::numerics::chisq_upper(x, df)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_groups_by_hand() {
        // Group a: events at 1, 3; group b: event at 2, censored at 4.
        let d = SurvData::from_labels(
            vec![1.0, 3.0, 2.0, 4.0],
            vec![true, true, true, false],
            &["a", "a", "b", "b"],
        );
        let lr = match d {
            Ok(d) => log_rank(&d),
            Err(e) => panic!("{e}"),
        };
        // t=1: n=4 (2,2), d=1 -> E_a=.5; t=2: n=3 (1,2) -> E_a=1/3; t=3: n=2 (1,1) -> .5.
        let ea = 0.5 + 1.0 / 3.0 + 0.5;
        assert!((lr.expected[0] - ea).abs() < 1e-15);
        assert_eq!(lr.observed, vec![2.0, 1.0]);
        let v = 0.25 + 2.0 / 9.0 + 0.25;
        assert!((lr.variance[1][1] - v).abs() < 1e-15);
        let chi = (1.0 - (3.0 - ea)).powi(2) / v;
        assert!((lr.chisq - chi).abs() < 1e-14);
        assert_eq!(lr.df, 1);
    }

    #[test]
    fn swapping_groups_leaves_chisq() {
        let t = vec![1.0, 3.0, 2.0, 4.0, 5.0, 0.5];
        let e = vec![true, true, true, false, true, true];
        let a = SurvData::from_labels(t.clone(), e.clone(), &["a", "a", "b", "b", "a", "b"]);
        let b = SurvData::from_labels(t, e, &["b", "b", "a", "a", "b", "a"]);
        match (a, b) {
            (Ok(a), Ok(b)) => assert!((log_rank(&a).chisq - log_rank(&b).chisq).abs() < 1e-12),
            _ => panic!("test data invalid"),
        }
    }
}
