//! Comparing survival curves beyond the plain log-rank test: the weighted log-rank family
//! (Peto–Peto, Fleming–Harrington G(ρ, γ), Gehan–Breslow, Tarone–Ware, …), the stratified
//! test, the test for trend over ordered groups, pairwise comparisons with multiplicity
//! adjustment, and the MaxCombo test for non-proportional hazards.
//!
//! # Formula
//! At each distinct event time t_i of the (sub)sample being compared, with n_i at risk and
//! d_i events in all and n_ig, d_ig in group g, and a weight w_i (see [`Weight`]):
//!
//! * O_g = Σ w_i d_ig, E_g = Σ w_i d_i n_ig / n_i
//! * V_gh = Σ w_i² d_i (n_i − d_i)/(n_i − 1) · (n_ig/n_i)(δ_gh − n_ih/n_i)  (hypergeometric;
//!   times with n_i = 1 add nothing)
//! * χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with E_g > 0 except the first of them, on
//!   (their number − 1) degrees of freedom — R `survdiff`'s rule.
//!
//! Stratified tests add O − E and V over strata, each stratum with its own risk sets and
//! weights (R `survdiff(... + strata(s))`). The trend test is U = Σ_g s_g (O_g − E_g),
//! Var U = sᵀ V s, χ² = U²/Var U on 1 df. MaxCombo takes the largest |Z| of several
//! G(ρ, γ) statistics of two groups, with Cov(U_a, U_b) = Σ_i w_ai w_bi v_i, and its P
//! value from the multivariate normal ([`mvn`]).
//!
//! Cost: one O(n log n) sort of the times; then every test is linear in n plus O(m·k²) for
//! m distinct event times and k groups (pairwise: that for each of the k(k−1)/2 pairs).
//!
//! # Differences from other software
//! * "Peto–Peto": R `survdiff(rho = 1)` weights by the pooled Kaplan–Meier Ŝ(t−)
//!   ([`Weight::PetoPeto`]); Klein & Moeschberger and SAS use S̃(t) = Π_{t_j ≤ t}
//!   (1 − d_j/(n_j + 1)) ([`Weight::PetoPetoTilde`]), and Andersen et al.'s modified test
//!   S̃(t) n/(n + 1) ([`Weight::ModifiedPetoPeto`]). All three are offered, each named.
//! * R `coin::logrank_test` standardises with the permutation variance of its linear
//!   statistic (conditional on all scores), not this hypergeometric variance, so its
//!   statistics differ (by ~0.1–20% on the test data sets, most with ties or small arms).
//! * `survMisc::comp` agrees to 1e-14 on data without tied event times, but uses a different
//!   variance with ties (also for the plain log-rank test, where we equal `survdiff`).
//! * MaxCombo here is two-sided (max |Z|); implementations written for one-sided
//!   (group-sequential) designs use min Z instead.
//!
//! # References
//! Klein JP, Moeschberger ML (2003). Survival Analysis, 2nd ed., Springer: §7.3 (weighted
//! tests), §7.4 (trend), §7.5 (stratified). Harrington DP, Fleming TR (1982). Biometrika
//! 69:553–566. Peto R, Peto J (1972). J R Stat Soc A 135:185–207. Andersen PK, Borgan Ø,
//! Gill RD, Keiding N (1982). Int Stat Rev 50:219–258. Gehan EA (1965). Biometrika
//! 52:203–223; Breslow N (1970). Biometrika 57:579–594. Tarone RE, Ware J (1977).
//! Biometrika 64:156–160. Lee S-H (2007). On the versatility of the combination of the
//! weighted log-rank statistics. Comput Stat Data Anal 51:6557–6564 (MaxCombo). R
//! `survival::survdiff`, `survminer::pairwise_survdiff`, `stats::p.adjust`,
//! `mvtnorm::pmvnorm`.

pub mod adjust;
pub mod hr_methods;
pub mod logrank;
pub mod mvn;

pub use adjust::{p_adjust, PAdjust};
pub use mvn::{mvn_rectangle, MvnOptions, MvnProbability};

use crate::data::SurvData;
use crate::logrank::chi_square_sf;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;
use std::fmt;

// ---------------------------------------------------------------------------------------
// Weights

/// The weight w(t) given to each distinct event time. Ŝ(t−) is the Kaplan–Meier estimate
/// of the pooled sample (of the stratum, in a stratified test) just before t; n is the
/// number at risk at t.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Weight {
    /// w = 1: the log-rank (Mantel–Haenszel) test, R `survdiff(rho = 0)`.
    #[default]
    LogRank,
    /// w = Ŝ(t−), the pooled Kaplan–Meier just before t: what R calls the "Peto & Peto
    /// modification of the Gehan–Wilcoxon test", `survdiff(rho = 1)` (= G(1, 0)).
    ///
    /// Not the same as [`Weight::PetoPetoTilde`] (Klein & Moeschberger's and SAS's
    /// "Peto–Peto", built on S̃ with n + 1 in the denominator and including t itself) nor as
    /// [`Weight::ModifiedPetoPeto`]; with few ties and many at risk the three are close.
    PetoPeto,
    /// w = S̃(t) = Π_{t_j ≤ t} (1 − d_j/(n_j + 1)): Peto & Peto's estimator as Klein &
    /// Moeschberger §7.3 and SAS PROC LIFETEST (TEST = PETO) define the Peto–Peto test.
    PetoPetoTilde,
    /// w = S̃(t) n/(n + 1): the modified Peto–Peto test of Andersen et al. (1982), Klein &
    /// Moeschberger §7.3 (SAS TEST = MODPETO).
    ModifiedPetoPeto,
    /// w = Ŝ(t−)^ρ (1 − Ŝ(t−))^γ: the Fleming–Harrington G(ρ, γ) family. γ = 0 is R
    /// `survdiff(rho = ρ)`; G(0, 1) weights late differences, G(1, 0) early ones.
    FlemingHarrington {
        /// ρ ≥ 0, the power of Ŝ(t−).
        rho: f64,
        /// γ ≥ 0, the power of 1 − Ŝ(t−).
        gamma: f64,
    },
    /// w = n: the Gehan–Breslow generalised Wilcoxon test (SAS TEST = WILCOXON, Prism's
    /// "Gehan–Breslow–Wilcoxon").
    GehanBreslow,
    /// w = √n: the Tarone–Ware test.
    TaroneWare,
}

impl Weight {
    /// The method in words, with the weight and, where there is one, the R call it equals.
    pub fn describe(&self) -> String {
        match *self {
            Weight::LogRank => "log-rank test, w(t) = 1 (R survdiff, rho = 0)".into(),
            Weight::PetoPeto => "Peto–Peto test as R survdiff(rho = 1): w(t) = pooled \
                 Kaplan–Meier S(t−)"
                .into(),
            Weight::PetoPetoTilde => "Peto–Peto test with w(t) = Π_{tj ≤ t} (1 − dj/(nj + 1)) \
                 (Klein & Moeschberger §7.3)"
                .into(),
            Weight::ModifiedPetoPeto => "modified Peto–Peto test (Andersen et al. 1982), \
                 w(t) = Π_{tj ≤ t} (1 − dj/(nj + 1)) · n/(n + 1)"
                .into(),
            Weight::FlemingHarrington { rho, gamma } => {
                let r = if gamma == 0.0 {
                    format!(" (R survdiff, rho = {rho})")
                } else {
                    String::new()
                };
                format!(
                    "Fleming–Harrington G({rho}, {gamma}) test, w(t) = S(t−)^{rho} \
                     (1 − S(t−))^{gamma} with S the pooled Kaplan–Meier{r}"
                )
            }
            Weight::GehanBreslow => {
                "Gehan–Breslow (generalised Wilcoxon) test, w(t) = number at risk".into()
            }
            Weight::TaroneWare => "Tarone–Ware test, w(t) = √(number at risk)".into(),
        }
    }

    fn validate(&self) -> Result<(), CompareError> {
        if let Weight::FlemingHarrington { rho, gamma } = *self {
            for (parameter, value) in [("rho", rho), ("gamma", gamma)] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(CompareError::InvalidWeight {
                        parameter: parameter.into(),
                        value,
                    });
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Errors

/// What stops a comparison from being computed: options or extra inputs that do not fit the
/// data. (The data itself is a validated [`SurvData`].)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CompareError {
    /// A Fleming–Harrington parameter is negative or not finite.
    InvalidWeight {
        /// "rho" or "gamma".
        parameter: String,
        /// The value given.
        value: f64,
    },
    /// The strata vector does not have one entry per observation.
    StrataLength {
        /// Entries given.
        strata: usize,
        /// Observations in the data.
        observations: usize,
    },
    /// The trend scores do not have one entry per group.
    ScoresLength {
        /// Scores given.
        scores: usize,
        /// Groups in the data.
        groups: usize,
    },
    /// A trend score is not finite.
    InvalidScore {
        /// Zero-based group index.
        index: usize,
        /// The value given.
        value: f64,
    },
    /// MaxCombo compares exactly two groups.
    MaxComboGroups {
        /// Groups with observations in the data.
        groups: usize,
    },
    /// MaxCombo was given no weights to combine.
    NoWeights,
    /// A multivariate normal probability was asked for with inconsistent input.
    InvalidMvn {
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::InvalidWeight { parameter, value } => write!(
                f,
                "Fleming–Harrington {parameter} = {value}: it must be a finite number ≥ 0"
            ),
            CompareError::StrataLength {
                strata,
                observations,
            } => write!(
                f,
                "{strata} strata values for {observations} observations: give one stratum per \
                 observation"
            ),
            CompareError::ScoresLength { scores, groups } => write!(
                f,
                "{scores} trend scores for {groups} groups: give one score per group, in group \
                 order"
            ),
            CompareError::InvalidScore { index, value } => write!(
                f,
                "trend score {} is {value}: scores must be finite numbers",
                index + 1
            ),
            CompareError::MaxComboGroups { groups } => write!(
                f,
                "the MaxCombo test compares two groups, but the data has {groups}; choose two \
                 groups or use pairwise comparisons"
            ),
            CompareError::NoWeights => write!(
                f,
                "the MaxCombo test needs at least one Fleming–Harrington weight"
            ),
            CompareError::InvalidMvn { reason } => {
                write!(f, "multivariate normal probability: {reason}")
            }
        }
    }
}

impl std::error::Error for CompareError {}

// ---------------------------------------------------------------------------------------
// The risk table: counts at the distinct event times of one sample

/// Counts at the distinct event times of one (sub)sample, in time order.
struct RiskTable {
    k: usize,
    /// Pooled number at risk and events, one per event time.
    n: Vec<f64>,
    d: Vec<f64>,
    /// Per group, row-major m × k.
    n_g: Vec<f64>,
    d_g: Vec<f64>,
    /// Observations and events per group.
    count: Vec<usize>,
    events: Vec<usize>,
}

impl RiskTable {
    /// `order`: observation indices sorted by time; `map(i)`: the group (in 0..k) of
    /// observation i, or None to leave it out.
    fn new(
        data: &SurvData,
        order: &[usize],
        k: usize,
        map: impl Fn(usize) -> Option<usize>,
    ) -> RiskTable {
        let rows: Vec<(usize, usize)> = order
            .iter()
            .filter_map(|&i| map(i).map(|g| (i, g)))
            .collect();
        let mut count = vec![0usize; k];
        let mut events = vec![0usize; k];
        for &(i, g) in &rows {
            count[g] += 1;
            if data.event()[i] {
                events[g] += 1;
            }
        }
        let mut at_risk: Vec<usize> = count.clone();
        let mut total = rows.len();
        let mut t = RiskTable {
            k,
            n: Vec::new(),
            d: Vec::new(),
            n_g: Vec::new(),
            d_g: Vec::new(),
            count,
            events,
        };
        let mut dg = vec![0usize; k];
        let mut removed = vec![0usize; k];
        let mut a = 0;
        while a < rows.len() {
            let time = data.time()[rows[a].0];
            dg.iter_mut().for_each(|x| *x = 0);
            removed.iter_mut().for_each(|x| *x = 0);
            let mut b = a;
            while b < rows.len() && data.time()[rows[b].0] == time {
                let (i, g) = rows[b];
                removed[g] += 1;
                if data.event()[i] {
                    dg[g] += 1;
                }
                b += 1;
            }
            let d: usize = dg.iter().sum();
            if d > 0 {
                t.n.push(total as f64);
                t.d.push(d as f64);
                t.n_g.extend(at_risk.iter().map(|&x| x as f64));
                t.d_g.extend(dg.iter().map(|&x| x as f64));
            }
            for g in 0..k {
                at_risk[g] -= removed[g];
            }
            total -= b - a;
            a = b;
        }
        t
    }

    /// The weight at each event time.
    fn weights(&self, weight: Weight) -> Vec<f64> {
        let mut km = 1.0; // pooled Kaplan–Meier just before the current time
        let mut s_tilde = 1.0; // Π over earlier times of (1 − d/(n + 1))
        let mut w = Vec::with_capacity(self.n.len());
        for (&n, &d) in self.n.iter().zip(&self.d) {
            s_tilde *= 1.0 - d / (n + 1.0);
            w.push(match weight {
                Weight::LogRank => 1.0,
                Weight::PetoPeto => km,
                Weight::PetoPetoTilde => s_tilde,
                Weight::ModifiedPetoPeto => s_tilde * n / (n + 1.0),
                Weight::FlemingHarrington { rho, gamma } => {
                    let a = if rho == 0.0 { 1.0 } else { km.powf(rho) };
                    let b = if gamma == 0.0 {
                        1.0
                    } else {
                        (1.0 - km).powf(gamma)
                    };
                    a * b
                }
                Weight::GehanBreslow => n,
                Weight::TaroneWare => n.sqrt(),
            });
            km *= 1.0 - d / n;
        }
        w
    }

    /// The hypergeometric variance factor d (n − d)/(n − 1) at each event time (0 if n = 1).
    fn hyper(&self, i: usize) -> f64 {
        let (n, d) = (self.n[i], self.d[i]);
        if n > 1.0 {
            d * (n - d) / (n - 1.0)
        } else {
            0.0
        }
    }

    /// Weighted O, E and V.
    fn sums(&self, w: &[f64]) -> Sums {
        let k = self.k;
        let mut s = Sums::zero(k);
        for i in 0..self.n.len() {
            let (n, d) = (self.n[i], self.d[i]);
            let ng = &self.n_g[i * k..(i + 1) * k];
            let dg = &self.d_g[i * k..(i + 1) * k];
            for g in 0..k {
                s.obs[g] += w[i] * dg[g];
                s.exp[g] += w[i] * d * ng[g] / n;
            }
            let c = w[i] * w[i] * self.hyper(i);
            if c != 0.0 {
                for g in 0..k {
                    let pg = ng[g] / n;
                    s.var[g][g] += c * pg * (1.0 - pg);
                    for h in (g + 1)..k {
                        let v = c * pg * ng[h] / n;
                        s.var[g][h] -= v;
                        s.var[h][g] -= v;
                    }
                }
            }
        }
        s
    }
}

/// Weighted observed, expected and variance of O − E.
struct Sums {
    obs: Vec<f64>,
    exp: Vec<f64>,
    var: Vec<Vec<f64>>,
}

impl Sums {
    fn zero(k: usize) -> Sums {
        Sums {
            obs: vec![0.0; k],
            exp: vec![0.0; k],
            var: vec![vec![0.0; k]; k],
        }
    }

    fn add(&mut self, o: &Sums) {
        for g in 0..self.obs.len() {
            self.obs[g] += o.obs[g];
            self.exp[g] += o.exp[g];
            for h in 0..self.obs.len() {
                self.var[g][h] += o.var[g][h];
            }
        }
    }

    /// survdiff's chi-square: groups with E > 0, the first of them dropped.
    fn chisq(&self) -> (f64, usize) {
        let keep: Vec<usize> = (0..self.exp.len()).filter(|&g| self.exp[g] > 0.0).collect();
        if keep.len() < 2 {
            return (0.0, 0);
        }
        let m = keep.len() - 1;
        let u = DVector::from_iterator(m, keep[1..].iter().map(|&g| self.obs[g] - self.exp[g]));
        let v = DMatrix::from_fn(m, m, |a, b| self.var[keep[a + 1]][keep[b + 1]]);
        let chi = match v.lu().solve(&u) {
            Some(x) => x.dot(&u),
            None => f64::NAN,
        };
        (chi, m)
    }
}

/// Observation indices sorted by time, split by stratum (strata in order of first
/// appearance in time order); one stratum holding everything without `strata`.
fn stratum_orders(
    data: &SurvData,
    strata: Option<&[usize]>,
) -> Result<Vec<Vec<usize>>, CompareError> {
    let mut order: Vec<usize> = (0..data.len()).collect();
    order.sort_by(|&a, &b| data.time()[a].total_cmp(&data.time()[b]));
    let Some(strata) = strata else {
        return Ok(vec![order]);
    };
    if strata.len() != data.len() {
        return Err(CompareError::StrataLength {
            strata: strata.len(),
            observations: data.len(),
        });
    }
    let mut index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let next = index.len();
        let s = *index.entry(strata[i]).or_insert(next);
        if s == out.len() {
            out.push(Vec::new());
        }
        out[s].push(i);
    }
    Ok(out)
}

/// The tables of every stratum for all groups.
fn tables(data: &SurvData, strata: Option<&[usize]>) -> Result<Vec<RiskTable>, CompareError> {
    let k = data.n_groups();
    let group = data.group();
    Ok(stratum_orders(data, strata)?
        .iter()
        .map(|o| RiskTable::new(data, o, k, |i| Some(group[i])))
        .collect())
}

/// O, E, V summed over the strata, and counts per group.
fn pooled_sums(tables: &[RiskTable], k: usize, weight: Weight) -> (Sums, Vec<usize>, Vec<usize>) {
    let mut s = Sums::zero(k);
    let mut n = vec![0usize; k];
    let mut events = vec![0usize; k];
    for t in tables {
        s.add(&t.sums(&t.weights(weight)));
        for g in 0..k {
            n[g] += t.count[g];
            events[g] += t.events[g];
        }
    }
    (s, n, events)
}

// ---------------------------------------------------------------------------------------
// The weighted log-rank test, plain and stratified

/// Options of [`weighted_log_rank`] and [`stratified_log_rank`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WeightedLogRankOptions {
    /// The weight (R `survdiff(rho = )` for the G(ρ, 0) members); default log-rank.
    pub weight: Weight,
}

/// The result of a weighted log-rank test of k ≥ 2 groups.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WeightedLogRank {
    /// The method in words ([`Weight::describe`]), with "stratified" when it is.
    pub method: String,
    /// The weight used.
    pub weight: Weight,
    /// Group labels, in level order.
    pub groups: Vec<String>,
    /// Observations per group (R `n`).
    pub n: Vec<usize>,
    /// Events per group, unweighted.
    pub events: Vec<usize>,
    /// Weighted observed events per group, Σ w d_g (R `obs`, summed over strata).
    pub observed: Vec<f64>,
    /// Weighted expected events per group (R `exp`, summed over strata).
    pub expected: Vec<f64>,
    /// Variance–covariance matrix of O − E, k × k (R `var`).
    pub variance: Vec<Vec<f64>>,
    /// Chi-square statistic (R `chisq`).
    pub chisq: f64,
    /// Degrees of freedom: groups with E > 0, minus 1 (as `print.survdiff`).
    pub df: usize,
    /// Upper tail of χ²(df); NaN when df = 0.
    pub p_value: f64,
    /// Number of strata (1 for an unstratified test).
    pub strata: usize,
}

fn weighted_impl(
    data: &SurvData,
    strata: Option<&[usize]>,
    options: &WeightedLogRankOptions,
) -> Result<WeightedLogRank, CompareError> {
    options.weight.validate()?;
    let tables = tables(data, strata)?;
    let (s, n, events) = pooled_sums(&tables, data.n_groups(), options.weight);
    let (chisq, df) = s.chisq();
    let mut method = options.weight.describe();
    if strata.is_some() {
        method = format!("stratified {method}, {} strata", tables.len());
    }
    Ok(WeightedLogRank {
        method,
        weight: options.weight,
        groups: data.levels().to_vec(),
        n,
        events,
        p_value: chi_square_sf(chisq, df),
        observed: s.obs,
        expected: s.exp,
        variance: s.var,
        chisq,
        df,
        strata: tables.len(),
    })
}

/// A weighted log-rank test of k ≥ 2 groups: R `survdiff(Surv(time, status) ~ group,
/// rho = ρ)` for the G(ρ, 0) weights, the same construction (Klein & Moeschberger §7.3)
/// with the other weights.
///
/// # Errors
/// [`CompareError::InvalidWeight`] for a negative or non-finite Fleming–Harrington
/// parameter.
pub fn weighted_log_rank(
    data: &SurvData,
    options: &WeightedLogRankOptions,
) -> Result<WeightedLogRank, CompareError> {
    weighted_impl(data, None, options)
}

/// The stratified weighted log-rank test: O − E and V summed over strata, each stratum with
/// its own risk sets and weights (its own pooled Kaplan–Meier), R `survdiff(Surv(time,
/// status) ~ group + strata(s), rho = ρ)`.
///
/// `strata` holds one code per observation; equal codes make a stratum.
///
/// # Errors
/// [`CompareError::StrataLength`] if `strata` is not one per observation;
/// [`CompareError::InvalidWeight`] as [`weighted_log_rank`].
pub fn stratified_log_rank(
    data: &SurvData,
    strata: &[usize],
    options: &WeightedLogRankOptions,
) -> Result<WeightedLogRank, CompareError> {
    weighted_impl(data, Some(strata), options)
}

// ---------------------------------------------------------------------------------------
// Trend

/// Options of [`log_rank_trend`].
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrendOptions {
    /// The weight; default log-rank.
    pub weight: Weight,
    /// One score per group in level order; `None` is 1, 2, …, k (as SAS LIFETEST
    /// TREND and `survMisc::comp`).
    pub scores: Option<Vec<f64>>,
}

/// The result of the log-rank test for trend.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogRankTrend {
    /// The method in words.
    pub method: String,
    /// The weight used.
    pub weight: Weight,
    /// Group labels, in level order.
    pub groups: Vec<String>,
    /// The scores used, one per group.
    pub scores: Vec<f64>,
    /// Weighted observed events per group.
    pub observed: Vec<f64>,
    /// Weighted expected events per group.
    pub expected: Vec<f64>,
    /// U = Σ s_g (O_g − E_g): positive when groups with higher scores have more events
    /// than expected.
    pub statistic: f64,
    /// Var U = sᵀ V s.
    pub variance: f64,
    /// Z = U / √Var U.
    pub z: f64,
    /// χ² = Z² on 1 df.
    pub chisq: f64,
    /// Always 1.
    pub df: usize,
    /// Two-sided P value, upper tail of χ²(1).
    pub p_value: f64,
    /// Number of strata (1 for an unstratified test).
    pub strata: usize,
}

fn trend_impl(
    data: &SurvData,
    strata: Option<&[usize]>,
    options: &TrendOptions,
) -> Result<LogRankTrend, CompareError> {
    options.weight.validate()?;
    let k = data.n_groups();
    let scores = match &options.scores {
        None => (1..=k).map(|g| g as f64).collect::<Vec<_>>(),
        Some(s) => {
            if s.len() != k {
                return Err(CompareError::ScoresLength {
                    scores: s.len(),
                    groups: k,
                });
            }
            if let Some((index, &value)) = s.iter().enumerate().find(|(_, x)| !x.is_finite()) {
                return Err(CompareError::InvalidScore { index, value });
            }
            s.clone()
        }
    };
    let tables = tables(data, strata)?;
    let (s, _, _) = pooled_sums(&tables, k, options.weight);
    let u: f64 = (0..k).map(|g| scores[g] * (s.obs[g] - s.exp[g])).sum();
    let var: f64 = (0..k)
        .map(|g| {
            (0..k)
                .map(|h| scores[g] * scores[h] * s.var[g][h])
                .sum::<f64>()
        })
        .sum();
    let z = u / var.sqrt();
    let chisq = z * z;
    let mut method = format!(
        "test for trend, U = Σ score·(O − E), {}",
        options.weight.describe()
    );
    if strata.is_some() {
        method = format!("stratified {method}, {} strata", tables.len());
    }
    Ok(LogRankTrend {
        method,
        weight: options.weight,
        groups: data.levels().to_vec(),
        scores,
        observed: s.obs,
        expected: s.exp,
        statistic: u,
        variance: var,
        z,
        chisq,
        df: 1,
        p_value: chi_square_sf(chisq, 1),
        strata: tables.len(),
    })
}

/// The (weighted) log-rank test for trend over ordered groups: U = Σ s_g (O_g − E_g),
/// Var U = sᵀ V s with V the k × k variance of the k-group test, χ² = U²/Var U on 1 df.
///
/// # References
/// Klein & Moeschberger (2003) §7.4; the same statistic from R `survdiff`'s `obs`, `exp`
/// and `var` (`sum(s * (obs - exp))`, `t(s) %*% var %*% s`).
///
/// # Errors
/// [`CompareError::ScoresLength`], [`CompareError::InvalidScore`] for unusable scores,
/// [`CompareError::InvalidWeight`] as [`weighted_log_rank`].
pub fn log_rank_trend(
    data: &SurvData,
    options: &TrendOptions,
) -> Result<LogRankTrend, CompareError> {
    trend_impl(data, None, options)
}

/// The stratified test for trend: O − E and V summed over strata first (R `survdiff(... +
/// strata(s))`'s `obs`, `exp`, `var`).
///
/// # Errors
/// As [`log_rank_trend`], and [`CompareError::StrataLength`].
pub fn stratified_log_rank_trend(
    data: &SurvData,
    strata: &[usize],
    options: &TrendOptions,
) -> Result<LogRankTrend, CompareError> {
    trend_impl(data, Some(strata), options)
}

// ---------------------------------------------------------------------------------------
// Pairwise comparisons

/// Options of [`pairwise_log_rank`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairwiseOptions {
    /// The weight of each two-group test (R `pairwise_survdiff(rho = )`); default log-rank.
    pub weight: Weight,
}

/// One pair of groups, re-analysed on its own two groups' observations.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairwiseComparison {
    /// The earlier group in level order.
    pub group_a: String,
    /// The later group in level order.
    pub group_b: String,
    /// Observations in each of the two groups.
    pub n: [usize; 2],
    /// Chi-square of the two-group test.
    pub chisq: f64,
    /// Degrees of freedom: always 1, as `pairwise_survdiff` (so a pair in which one group
    /// has no one at risk at any event time has χ² = 0 and P = 1).
    pub df: usize,
    /// Unadjusted P value.
    pub p_value: f64,
    /// Holm-adjusted P (R `p.adjust(method = "holm")` over all pairs).
    pub p_holm: f64,
    /// Bonferroni-adjusted P.
    pub p_bonferroni: f64,
    /// Benjamini–Hochberg-adjusted P (`pairwise_survdiff`'s default).
    pub p_bh: f64,
}

/// All pairwise comparisons.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairwiseLogRank {
    /// The method in words.
    pub method: String,
    /// The weight of each test.
    pub weight: Weight,
    /// Pairs (a, b) with a before b in level order: (1, 2), (1, 3), …, (2, 3), …; groups
    /// without observations are left out (R `droplevels`).
    pub comparisons: Vec<PairwiseComparison>,
}

/// Every pair of groups compared by its own two-group test on the observations of those two
/// groups only (risk sets and weights from that subset), with P values adjusted over all
/// pairs, R `survminer::pairwise_survdiff(Surv(time, status) ~ group, rho = ρ,
/// p.adjust.method = )` with `p.adjust` methods holm, bonferroni and BH.
///
/// Cost: one sort, then O(n + m·4) per pair.
///
/// # Errors
/// [`CompareError::InvalidWeight`] as [`weighted_log_rank`].
pub fn pairwise_log_rank(
    data: &SurvData,
    options: &PairwiseOptions,
) -> Result<PairwiseLogRank, CompareError> {
    options.weight.validate()?;
    let order = stratum_orders(data, None)?.pop().unwrap_or_default();
    let k = data.n_groups();
    let mut present = vec![false; k];
    for &g in data.group() {
        present[g] = true;
    }
    let levels: Vec<usize> = (0..k).filter(|&g| present[g]).collect();
    let group = data.group();
    let mut comparisons = Vec::new();
    for (x, &a) in levels.iter().enumerate() {
        for &b in &levels[x + 1..] {
            let map = |i: usize| match group[i] {
                g if g == a => Some(0),
                g if g == b => Some(1),
                _ => None,
            };
            let t = RiskTable::new(data, &order, 2, map);
            let (chisq, _) = t.sums(&t.weights(options.weight)).chisq();
            comparisons.push(PairwiseComparison {
                group_a: data.levels()[a].clone(),
                group_b: data.levels()[b].clone(),
                n: [t.count[0], t.count[1]],
                chisq,
                df: 1,
                p_value: chi_square_sf(chisq, 1),
                p_holm: f64::NAN,
                p_bonferroni: f64::NAN,
                p_bh: f64::NAN,
            });
        }
    }
    let p: Vec<f64> = comparisons.iter().map(|c| c.p_value).collect();
    let holm = p_adjust(&p, PAdjust::Holm);
    let bonferroni = p_adjust(&p, PAdjust::Bonferroni);
    let bh = p_adjust(&p, PAdjust::BenjaminiHochberg);
    for (i, c) in comparisons.iter_mut().enumerate() {
        c.p_holm = holm[i];
        c.p_bonferroni = bonferroni[i];
        c.p_bh = bh[i];
    }
    Ok(PairwiseLogRank {
        method: format!("pairwise {}", options.weight.describe()),
        weight: options.weight,
        comparisons,
    })
}

// ---------------------------------------------------------------------------------------
// MaxCombo

/// Options of [`max_combo`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MaxComboOptions {
    /// The Fleming–Harrington (ρ, γ) pairs combined; default G(0, 0), G(0, 1), G(1, 0),
    /// G(1, 1) (Lin et al. 2020).
    pub weights: Vec<(f64, f64)>,
    /// Accuracy of the multivariate normal probability.
    pub mvn: MvnOptions,
}

impl Default for MaxComboOptions {
    fn default() -> Self {
        MaxComboOptions {
            weights: vec![(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)],
            mvn: MvnOptions::default(),
        }
    }
}

/// One Fleming–Harrington statistic of the combination.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MaxComboComponent {
    /// ρ of G(ρ, γ).
    pub rho: f64,
    /// γ of G(ρ, γ).
    pub gamma: f64,
    /// U = Σ w (O − E) of the second group.
    pub statistic: f64,
    /// Var U.
    pub variance: f64,
    /// Z = U / √Var U (positive: more events than expected in the second group).
    pub z: f64,
    /// Its own two-sided P value, 2(1 − Φ(|Z|)), not adjusted for the combination.
    pub p_value: f64,
}

/// The MaxCombo test of two groups.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MaxCombo {
    /// The method in words.
    pub method: String,
    /// The two groups; statistics are for the second.
    pub groups: Vec<String>,
    /// One per weight, in the order of the options.
    pub components: Vec<MaxComboComponent>,
    /// Correlation matrix of the Z statistics.
    pub correlation: Vec<Vec<f64>>,
    /// max_j |Z_j|.
    pub z_max: f64,
    /// Two-sided P = 1 − P(max_j |Z_j| ≤ z_max) under the multivariate normal null; NaN if
    /// a statistic has zero variance.
    pub p_value: f64,
    /// Estimated absolute error of `p_value` (from the quadrature or lattice rule).
    pub p_error: f64,
    /// Whether the multivariate normal integration met its tolerance.
    pub converged: bool,
}

/// The MaxCombo test: the largest |Z| of several Fleming–Harrington G(ρ, γ) statistics of
/// two groups, its P value from their joint normal distribution with Cov(U_a, U_b) =
/// Σ_i w_a(t_i) w_b(t_i) d_i (n_i − d_i)/(n_i − 1) · n_1i n_2i / n_i².
///
/// # Formula
/// Z_j = U_j / √V_jj, R_ab = V_ab / √(V_aa V_bb), P = 1 − P(|X_j| ≤ z_max ∀ j) for
/// X ~ N(0, R), by [`mvn_rectangle`]. With the default weights R is singular (rank 3:
/// w₀₀ = w₁₀ + w₀₁, so U₀₀ = U₁₀ + U₀₁), which the quadrature handles by splitting
/// at the kinks this causes; successive refinements then agree to ~1e-12, and P agrees
/// with R `pmvnorm` (GenzBretz, abseps 1e-10) within R's own error estimate (≤ 2e-8).
///
/// # References
/// Lee S-H (2007), Comput Stat Data Anal 51:6557–6564; Karrison TG (2016), Stat Med
/// 35:2829–2848; Lin RS et al. (2020), Stat Biopharm Res 12:187–198. The P value as R
/// `1 - mvtnorm::pmvnorm(-z, z, corr = R)`.
///
/// # Errors
/// [`CompareError::MaxComboGroups`] unless exactly two groups have observations;
/// [`CompareError::NoWeights`], [`CompareError::InvalidWeight`] for unusable weights;
/// [`CompareError::InvalidMvn`] for non-positive accuracy options.
pub fn max_combo(data: &SurvData, options: &MaxComboOptions) -> Result<MaxCombo, CompareError> {
    if options.weights.is_empty() {
        return Err(CompareError::NoWeights);
    }
    let weights: Vec<Weight> = options
        .weights
        .iter()
        .map(|&(rho, gamma)| Weight::FlemingHarrington { rho, gamma })
        .collect();
    for w in &weights {
        w.validate()?;
    }
    let k = data.n_groups();
    let mut present = vec![false; k];
    for &g in data.group() {
        present[g] = true;
    }
    let levels: Vec<usize> = (0..k).filter(|&g| present[g]).collect();
    if levels.len() != 2 {
        return Err(CompareError::MaxComboGroups {
            groups: levels.len(),
        });
    }
    let (a, b) = (levels[0], levels[1]);
    let group = data.group();
    let order = stratum_orders(data, None)?.pop().unwrap_or_default();
    let map = |i: usize| match group[i] {
        g if g == a => Some(0),
        _ => Some(1),
    };
    let t = RiskTable::new(data, &order, 2, map);
    let w: Vec<Vec<f64>> = weights.iter().map(|&x| t.weights(x)).collect();
    let p = weights.len();
    let mut u = vec![0.0; p];
    let mut cov = vec![vec![0.0; p]; p];
    for i in 0..t.n.len() {
        let (n, d) = (t.n[i], t.d[i]);
        let (n1, n2) = (t.n_g[2 * i], t.n_g[2 * i + 1]);
        let oe = t.d_g[2 * i + 1] - d * n2 / n;
        let v = t.hyper(i) * n1 * n2 / (n * n);
        for x in 0..p {
            u[x] += w[x][i] * oe;
            for y in 0..=x {
                cov[x][y] += w[x][i] * w[y][i] * v;
            }
        }
    }
    for x in 0..p {
        for y in 0..x {
            cov[y][x] = cov[x][y];
        }
    }
    let z: Vec<f64> = (0..p).map(|x| u[x] / cov[x][x].sqrt()).collect();
    let correlation: Vec<Vec<f64>> = (0..p)
        .map(|x| {
            (0..p)
                .map(|y| {
                    if x == y {
                        1.0
                    } else {
                        (cov[x][y] / (cov[x][x] * cov[y][y]).sqrt()).clamp(-1.0, 1.0)
                    }
                })
                .collect()
        })
        .collect();
    let z_max = z.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let degenerate =
        z.iter().any(|x| !x.is_finite()) || correlation.iter().flatten().any(|x| x.is_nan());
    let (p_value, p_error, converged) = if degenerate {
        (f64::NAN, f64::NAN, false)
    } else {
        let r = mvn_rectangle(
            &correlation,
            &vec![-z_max; p],
            &vec![z_max; p],
            &options.mvn,
        )?;
        ((1.0 - r.value).max(0.0), r.error, r.converged)
    };
    let components = (0..p)
        .map(|x| MaxComboComponent {
            rho: options.weights[x].0,
            gamma: options.weights[x].1,
            statistic: u[x],
            variance: cov[x][x],
            z: z[x],
            p_value: 2.0 * mvn::pnorm(-z[x].abs()),
        })
        .collect();
    let names: Vec<String> = options
        .weights
        .iter()
        .map(|(r, g)| format!("G({r}, {g})"))
        .collect();
    Ok(MaxCombo {
        method: format!(
            "MaxCombo test: max |Z| over Fleming–Harrington {}, P from the multivariate normal \
             (nested Gauss–Legendre quadrature up to 5 dimensions, a lattice rule above)",
            names.join(", ")
        ),
        groups: vec![data.levels()[a].clone(), data.levels()[b].clone()],
        components,
        correlation,
        z_max: if degenerate { f64::NAN } else { z_max },
        p_value,
        p_error,
        converged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(time: &[f64], event: &[bool], group: &[&str]) -> SurvData {
        match SurvData::from_labels(time.to_vec(), event.to_vec(), group) {
            Ok(d) => d,
            Err(e) => panic!("test data invalid: {e}"),
        }
    }

    fn ok<T>(r: Result<T, CompareError>) -> T {
        match r {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn gehan_by_hand() {
        // Group a: events at 1, 3; group b: event at 2, censored at 4.
        let d = data(
            &[1.0, 3.0, 2.0, 4.0],
            &[true, true, true, false],
            &["a", "a", "b", "b"],
        );
        let r = ok(weighted_log_rank(
            &d,
            &WeightedLogRankOptions {
                weight: Weight::GehanBreslow,
            },
        ));
        // t=1: n=4 (2,2); t=2: n=3 (1,2); t=3: n=2 (1,1). w = n.
        let ob = 3.0 * 1.0;
        let eb = 4.0 * 0.5 + 3.0 * (2.0 / 3.0) + 2.0 * 0.5;
        let v = 16.0 * 0.25 + 9.0 * (2.0 / 9.0) + 4.0 * 0.25;
        assert!((r.observed[1] - ob).abs() < 1e-14);
        assert!((r.expected[1] - eb).abs() < 1e-14);
        assert!((r.variance[1][1] - v).abs() < 1e-14);
        assert!((r.chisq - (ob - eb).powi(2) / v).abs() < 1e-14);
    }

    #[test]
    fn trend_of_two_groups_is_the_log_rank() {
        let d = data(
            &[1.0, 3.0, 2.0, 4.0, 5.0, 0.5, 6.0],
            &[true, true, true, false, true, true, false],
            &["a", "a", "b", "b", "a", "b", "b"],
        );
        let lr = ok(weighted_log_rank(&d, &WeightedLogRankOptions::default()));
        let tr = ok(log_rank_trend(&d, &TrendOptions::default()));
        assert!((lr.chisq - tr.chisq).abs() < 1e-12 * lr.chisq);
    }

    #[test]
    fn one_stratum_is_unstratified() {
        let d = data(
            &[1.0, 3.0, 2.0, 4.0, 5.0, 0.5, 6.0],
            &[true, true, true, false, true, true, false],
            &["a", "a", "b", "b", "a", "b", "c"],
        );
        let o = WeightedLogRankOptions {
            weight: Weight::TaroneWare,
        };
        let a = ok(weighted_log_rank(&d, &o));
        let b = ok(stratified_log_rank(&d, &[7; 7], &o));
        assert_eq!(a.chisq, b.chisq);
        assert_eq!(
            stratified_log_rank(&d, &[1, 2], &o),
            Err(CompareError::StrataLength {
                strata: 2,
                observations: 7
            })
        );
    }

    #[test]
    fn rejects_bad_options() {
        let d = data(&[1.0, 2.0, 3.0], &[true; 3], &["a", "b", "c"]);
        let bad = WeightedLogRankOptions {
            weight: Weight::FlemingHarrington {
                rho: -1.0,
                gamma: 0.0,
            },
        };
        assert!(matches!(
            weighted_log_rank(&d, &bad),
            Err(CompareError::InvalidWeight { .. })
        ));
        assert_eq!(
            max_combo(&d, &MaxComboOptions::default()),
            Err(CompareError::MaxComboGroups { groups: 3 })
        );
        let t = TrendOptions {
            weight: Weight::LogRank,
            scores: Some(vec![1.0, f64::NAN, 2.0]),
        };
        assert!(matches!(
            log_rank_trend(&d, &t),
            Err(CompareError::InvalidScore { index: 1, .. })
        ));
    }
}
