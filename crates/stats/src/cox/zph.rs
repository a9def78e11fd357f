//! The test of proportional hazards of a fitted Cox model, and its scaled Schoenfeld
//! residuals: R `survival::cox.zph` as in survival 3.x.
//!
//! # Formula
//! Let g(t) be a transform of time (Kaplan–Meier `1 − Ŝ(t−)` of all rows by default,
//! identity, or rank), centred at its mean over the events. The proportional-hazards model
//! is extended by the time-varying terms x·g(t) with coefficients θ; at (β̂, θ = 0) the
//! score for θ is U_θ = Σ_events g(t_i)(x_i − x̄(t_i)), and the information of (β, θ) is
//! the full 2p × 2p matrix
//!
//! I = Σ_events V(t_i) ⊗ [1, g; g, g²], V(t) the (Efron or Breslow) weighted covariance of x
//! in the risk set.
//!
//! The score test of θ = 0 for a term T (its columns) is Uᵀ I_(β,θ_T)⁻¹ U with U = (0, U_θT),
//! on |T| df, and the global test uses all θ. This is survival 3.x's test (the full
//! information, not Grambsch & Therneau's 1994 approximation). Models fitted with exact
//! ties are tested with Breslow weights, as R does.
//!
//! Scaled Schoenfeld residuals: r_i V̄⁻¹ + β̂, where r_i is the Schoenfeld residual of
//! event i and V̄ = I_ββ / (number of events), per stratum over the covariates that vary in
//! it; for a term with several columns the residual is that of its linear predictor,
//! centred at 1.
//!
//! # References
//! Grambsch PM, Therneau TM (1994). Proportional hazards tests and diagnostics based on
//! weighted residuals. Biometrika 81:515–526. Therneau TM, Grambsch PM (2000). Modeling
//! Survival Data, §6.2. R `survival::cox.zph` (survival 3.5), `src/zph1.c`.

use crate::cox::{model_frame, ChiSquareTest, CoxDesign, CoxModel, DesignError, Ties};
use crate::data::SurvData;
use nalgebra::{DMatrix, DVector};
use std::borrow::Cow;
use std::fmt;

/// The transform of time (R `cox.zph(transform = )`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ZphTransform {
    /// `"km"` (R's default): 1 − Ŝ(t−), Ŝ the Kaplan–Meier estimate of all rows.
    #[default]
    Km,
    /// `"identity"`: the time itself.
    Identity,
    /// `"rank"`: the rank of the time among all rows (ties averaged).
    Rank,
}

impl ZphTransform {
    /// R's name of the transform.
    pub fn r_name(self) -> &'static str {
        match self {
            ZphTransform::Km => "km",
            ZphTransform::Identity => "identity",
            ZphTransform::Rank => "rank",
        }
    }
}

/// The test of one term.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ZphTermTest {
    /// The term (R's row name of `cox.zph(fit)$table`).
    pub term: String,
    /// The score test of proportional hazards for the term.
    pub test: ChiSquareTest,
}

/// The tests of R `cox.zph(fit)` (its `table`), without the residuals: [`cox_zph_tests`],
/// and what a report shows of the proportional-hazards test.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PhTest {
    /// The time transform (R `cox.zph(transform = )`).
    pub transform: ZphTransform,
    /// One test per term (R `table` without `GLOBAL`).
    pub terms: Vec<ZphTermTest>,
    /// The global test (R `table["GLOBAL", ]`).
    pub global: ChiSquareTest,
}

/// R `cox.zph(fit)`: per-term and global tests, and the scaled Schoenfeld residuals.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoxZph {
    /// The transform of time used.
    pub transform: ZphTransform,
    /// One test per term (R `table` without `GLOBAL`).
    pub terms: Vec<ZphTermTest>,
    /// The global test (R `table["GLOBAL", ]`).
    pub global: ChiSquareTest,
    /// Event times, one per residual row, in order of stratum then time (R `time`).
    pub time: Vec<f64>,
    /// Transformed event times (R `x`): the horizontal axis of the residual plot.
    pub x: Vec<f64>,
    /// The stratum of each event, for a stratified model (R `strata`).
    pub strata: Option<Vec<String>>,
    /// Scaled Schoenfeld residuals, one row per event, one column per term (R `y`);
    /// `None` where R has `NA` (a covariate constant within the stratum).
    pub y: Vec<Vec<Option<f64>>>,
    /// Inverse of the average information per event (R `var`), for confidence bands of
    /// the smoothed residuals.
    pub var: Vec<Vec<f64>>,
}

/// Why the test cannot be computed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum ZphError {
    /// The design does not fit the data.
    Design(DesignError),
    /// The fit's coefficients are not those of the design (it was fitted to another one).
    Mismatch {
        /// The coefficient names the design gives.
        design: Vec<String>,
        /// The coefficient names in the fit.
        fit: Vec<String>,
    },
    /// No coefficient is estimable.
    NoCoefficients,
    /// There are no events.
    NoEvents,
    /// The information matrix cannot be inverted (R's `solve` would fail).
    Singular,
}

impl fmt::Display for ZphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZphError::Design(e) => e.fmt(f),
            ZphError::Mismatch { design, fit } => write!(
                f,
                "the fit has coefficients ({}) but the design gives ({}); pass the design the model was fitted with",
                fit.join(", "),
                design.join(", ")
            ),
            ZphError::NoCoefficients => {
                write!(f, "the model has no estimable coefficient to test")
            }
            ZphError::NoEvents => write!(f, "there are no events: proportional hazards cannot be tested"),
            ZphError::Singular => write!(
                f,
                "the information matrix of the proportional-hazards test is singular"
            ),
        }
    }
}

impl std::error::Error for ZphError {}

impl From<DesignError> for ZphError {
    fn from(e: DesignError) -> Self {
        ZphError::Design(e)
    }
}

/// What `zph1.c` returns.
struct Zph1 {
    u: Vec<f64>,
    imat: Vec<Vec<f64>>,
    /// The Schoenfeld residuals, one row of `nvar` per event (row-major); empty unless
    /// asked for.
    schoen: Vec<f64>,
    n_events: usize,
    used: Vec<Vec<usize>>,
}

/// How [`zph1`] walks: the time weights and times, the coefficients, and the order.
struct Walk<'a> {
    /// g(t) − mean over events, in the walk's order.
    gt: Vec<f64>,
    /// The times, in the walk's order.
    time: Cow<'a, [f64]>,
    /// The estimable coefficients, one per column of `covar_in`.
    beta: &'a [f64],
    /// Σ β·means over those columns.
    shift: f64,
    efron: bool,
    /// The rows by stratum, then time.
    sort: &'a [usize],
    residuals: bool,
}

/// Port of `zph1.c`: score for the time-weighted terms, the full 2p × 2p information and
/// (with `residuals`) the Schoenfeld residuals, walking backwards through `sort`
/// (stratum, then time).
///
/// The columns are gathered once into the walk's order, so that the walk reads memory
/// in sequence: reading six columns through `sort` for each row (a random gather) was
/// most of the test's time at a million rows (issue 15). The sums are the same, in the
/// same order. What is already in that order comes so: `walk.gt` (made in place by the
/// caller) and `walk.time` (the data's sorted times when the model keeps every row
/// without strata);
/// the columns are taken and gathered one at a time, the risk scores exp(x·β − shift)
/// are computed in that order, and one stratum is not gathered at all (at a million
/// rows these copies were 37 MB of the report's peak).
fn zph1(walk: Walk<'_>, status: &[bool], covar_in: Vec<Vec<f64>>, strata: &[usize]) -> Zph1 {
    let Walk {
        gt,
        time,
        beta,
        shift,
        efron,
        sort,
        residuals,
    } = walk;
    let nused = status.len();
    let nvar = covar_in.len();
    let nevent_total = status.iter().filter(|&&s| s).count();
    let nstrat = strata.iter().copied().max().map_or(1, |m| m + 1);
    let mut u = vec![0.0; 2 * nvar];
    let mut imat = vec![vec![0.0; 2 * nvar]; 2 * nvar];
    let mut schoen = if residuals {
        vec![0.0; nevent_total * nvar]
    } else {
        Vec::new()
    };
    let mut used = vec![vec![0usize; nvar]; nstrat];

    // Everything the walk reads, in walk order (position k is row sort[k]).
    let gather = |col: &[f64]| -> Vec<f64> { sort.iter().map(|&p| col[p]).collect() };
    // Each column's mean (over all rows, summed in row order as zph1.c), then the column
    // gathered into the walk's order and the one by row freed: one column's copy at a
    // time, not all of them.
    let mut tmeans = Vec::with_capacity(nvar);
    let mut covar: Vec<Vec<f64>> = Vec::with_capacity(nvar);
    for raw in covar_in {
        let mut tmean = 0.0;
        for &v in raw.iter() {
            tmean += v;
        }
        tmeans.push(tmean / nused as f64);
        covar.push(gather(&raw));
    }
    // R's fit$linear.predictors, x·β − Σ β·means, as fit_frame computes them.
    let risk: Vec<f64> = (0..nused)
        .map(|p| {
            let mut s = 0.0;
            for (col, b) in covar.iter().zip(beta) {
                s += col[p] * b;
            }
            (s - shift).exp()
        })
        .collect();
    let status: Vec<bool> = sort.iter().map(|&p| status[p]).collect();
    let strata: Vec<usize> = if nstrat > 1 {
        sort.iter().map(|&p| strata[p]).collect()
    } else {
        Vec::new()
    };
    // The walk's p-th row's stratum.
    let stratum = |p: usize| strata.get(p).copied().unwrap_or(0);

    // Events per stratum for each covariate that is not constant within the stratum.
    let mut k = 0;
    let mut ndead = 0usize;
    let mut cstrat = stratum(0);
    let close = |used: &mut Vec<Vec<usize>>,
                 covar: &[Vec<f64>],
                 cstrat: usize,
                 k: usize,
                 i: usize,
                 ndead: usize| {
        for j in 0..nvar {
            used[cstrat][j] = 0;
            if covar[j][k..i].iter().any(|&v| v != covar[j][k]) {
                used[cstrat][j] = ndead;
            }
        }
    };
    for i in 0..nused {
        if cstrat == stratum(i) {
            ndead += usize::from(status[i]);
        } else {
            close(&mut used, &covar, cstrat, k, i, ndead);
            ndead = usize::from(status[i]);
            k = i;
            cstrat = stratum(i);
        }
    }
    close(&mut used, &covar, cstrat, k, nused, ndead);

    // Recentre X for a stabler variance.
    for (col, tmean) in covar.iter_mut().zip(tmeans) {
        for v in col.iter_mut() {
            *v -= tmean;
        }
    }

    let mut a = vec![0.0; nvar];
    let mut a2 = vec![0.0; nvar];
    let mut cmat = vec![vec![0.0; nvar]; nvar];
    let mut cmat2 = vec![vec![0.0; nvar]; nvar];
    let mut denom = 0.0;
    let mut nevent = nevent_total;
    let mut cstrat: Option<usize> = None;
    let mut ip = nused; // one past the C index
    while ip > 0 {
        let here = ip - 1;
        if Some(stratum(here)) != cstrat {
            cstrat = Some(stratum(here));
            denom = 0.0;
            for i in 0..nvar {
                a[i] = 0.0;
                for j in 0..nvar {
                    cmat[i][j] = 0.0;
                }
            }
        }
        let dtime = time[here];
        let timewt = gt[here];
        let mut ndead = 0usize;
        let mut deadwt = 0.0;
        let mut denom2 = 0.0;
        while ip > 0 {
            let p = ip - 1;
            if time[p] != dtime || Some(stratum(p)) != cstrat {
                break;
            }
            let risk = risk[p];
            if !status[p] {
                denom += risk;
                for i in 0..nvar {
                    a[i] += risk * covar[i][p];
                    for j in 0..=i {
                        cmat[i][j] += risk * covar[i][p] * covar[j][p];
                    }
                }
            } else {
                ndead += 1;
                deadwt += 1.0;
                denom2 += risk;
                nevent -= 1;
                for i in 0..nvar {
                    if residuals {
                        schoen[nevent * nvar + i] = covar[i][p];
                    }
                    u[i] += covar[i][p];
                    u[i + nvar] += timewt * covar[i][p];
                    a2[i] += risk * covar[i][p];
                    for j in 0..=i {
                        cmat2[i][j] += risk * covar[i][p] * covar[j][p];
                    }
                }
            }
            ip -= 1;
        }
        if ndead > 0 {
            let nd = ndead as f64;
            if !efron {
                denom += denom2;
                for i in 0..nvar {
                    a[i] += a2[i];
                    let temp2 = a[i] / denom;
                    u[i] -= deadwt * temp2;
                    u[i + nvar] -= timewt * deadwt * temp2;
                    for j in 0..=i {
                        cmat[i][j] += cmat2[i][j];
                        let temp = deadwt * (cmat[i][j] - temp2 * a[j]) / denom;
                        imat[j][i] += temp;
                        imat[j][i + nvar] += temp * timewt;
                        imat[j + nvar][i + nvar] += temp * timewt * timewt;
                    }
                    for row in schoen.chunks_mut(nvar).skip(nevent).take(ndead) {
                        row[i] -= temp2;
                    }
                }
            } else {
                let wtave = deadwt / nd;
                for i in (0..nvar).filter(|_| residuals) {
                    let mut tmean = 0.0;
                    for kk in 0..ndead {
                        let temp = (kk + 1) as f64 / nd;
                        tmean += (a[i] + a2[i] * temp) / (denom + denom2 * temp);
                    }
                    for row in schoen.chunks_mut(nvar).skip(nevent).take(ndead) {
                        row[i] -= tmean / nd;
                    }
                }
                for _ in 0..ndead {
                    denom += denom2 / nd;
                    for i in 0..nvar {
                        a[i] += a2[i] / nd;
                        let temp2 = a[i] / denom;
                        u[i] -= wtave * temp2;
                        u[i + nvar] -= timewt * wtave * temp2;
                        for j in 0..=i {
                            cmat[i][j] += cmat2[i][j] / nd;
                            let temp = wtave * (cmat[i][j] - temp2 * a[j]) / denom;
                            imat[j][i] += temp;
                            imat[j][i + nvar] += timewt * temp;
                            imat[j + nvar][i + nvar] += timewt * timewt * temp;
                        }
                    }
                }
            }
            for i in 0..nvar {
                a2[i] = 0.0;
                for j in 0..nvar {
                    cmat2[i][j] = 0.0;
                }
            }
        }
    }
    for i in 0..nvar {
        for j in 0..i {
            imat[i][j] = imat[j][i];
            imat[i][j + nvar] = imat[j][i + nvar];
            imat[i + nvar][j + nvar] = imat[j + nvar][i + nvar];
        }
    }
    for i in 0..nvar {
        for j in 0..nvar {
            imat[i + nvar][j] = imat[j][i + nvar];
        }
    }
    Zph1 {
        u,
        imat,
        schoen,
        n_events: nevent_total,
        used,
    }
}

/// Uᵀ A⁻¹ U by LU with partial pivoting (R `solve(A, u) %*% u`).
///
/// R's `solve` refuses a matrix whose reciprocal condition number (1-norm, LAPACK
/// `dgecon`) is below `.Machine$double.eps` ("system is computationally singular"); the
/// same test is made here with the exact 1-norm condition number. A negative quadratic
/// form, which an information matrix that is numerically positive definite cannot give,
/// is refused too: a χ² is never negative (issue 11).
fn quad_solve(a: &[Vec<f64>], u: &[f64]) -> Result<f64, ZphError> {
    let n = u.len();
    let m = DMatrix::from_fn(n, n, |i, j| a[i][j]);
    let lu = m.clone().lu();
    let inv = lu.try_inverse().ok_or(ZphError::Singular)?;
    let norm1 = |x: &DMatrix<f64>| {
        (0..x.ncols())
            .map(|j| x.column(j).iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max)
    };
    let rcond = 1.0 / (norm1(&m) * norm1(&inv));
    if rcond.is_nan() || rcond < f64::EPSILON {
        return Err(ZphError::Singular);
    }
    let s = lu
        .solve(&DVector::from_column_slice(u))
        .ok_or(ZphError::Singular)?;
    let q: f64 = s.iter().zip(u).map(|(s, u)| s * u).sum();
    if q < 0.0 || !q.is_finite() {
        return Err(ZphError::Singular);
    }
    Ok(q)
}

/// The transformed times g(t) of every row.
///
/// `by_time`: the rows by increasing time, ties in row order.
fn transform_times(
    time: &[f64],
    status: &[bool],
    transform: ZphTransform,
    by_time: &[usize],
) -> Vec<f64> {
    let n = time.len();
    match transform {
        ZphTransform::Identity => time.to_vec(),
        ZphTransform::Rank => {
            let idx = by_time;
            let mut rank = vec![0.0; n];
            let mut k = 0;
            while k < n {
                let mut j = k;
                while j < n && time[idx[j]] == time[idx[k]] {
                    j += 1;
                }
                // Ranks k+1..=j averaged.
                let r = (k + 1 + j) as f64 / 2.0;
                for &i in &idx[k..j] {
                    rank[i] = r;
                }
                k = j;
            }
            rank
        }
        ZphTransform::Km => {
            // Kaplan–Meier of all rows at each distinct time; g(t) = 1 − Ŝ(t−).
            let idx = by_time;
            let mut out = vec![0.0; n];
            let mut surv_before = 1.0; // Ŝ just before the current distinct time
            let mut at_risk = n;
            let mut k = 0;
            while k < n {
                let t = time[idx[k]];
                let mut j = k;
                let mut d = 0usize;
                while j < n && time[idx[j]] == t {
                    d += usize::from(status[idx[j]]);
                    j += 1;
                }
                for &i in &idx[k..j] {
                    out[i] = 1.0 - surv_before;
                }
                let nr = at_risk as f64;
                surv_before *= (nr - d as f64) / nr;
                at_risk -= j - k;
                k = j;
            }
            out
        }
    }
}

/// Tests proportional hazards for `fit`, a model fitted by [`crate::cox_model`] to `data`
/// with `design`: R `cox.zph(fit, transform = )`.
///
/// Cost: O(n log n + n·p²) for the statistics, plus O(p³) per term for the solves.
///
/// # Errors
/// [`ZphError::Design`] if the design does not fit the data, [`ZphError::Mismatch`] if the
/// fit was made with another design, [`ZphError::NoEvents`], [`ZphError::NoCoefficients`],
/// [`ZphError::Singular`] when R's `solve` would fail.
pub fn cox_zph(
    data: &SurvData,
    design: &CoxDesign,
    fit: &CoxModel,
    transform: ZphTransform,
) -> Result<CoxZph, ZphError> {
    zph(data, design, fit, transform, true)
}

/// The tests of [`cox_zph`] alone, without the scaled Schoenfeld residuals: what a report
/// prints. The residuals are one row per event (a million-row trial has 700,000), and
/// scaling them costs as much as the test itself; this gives the same tests and the same
/// errors (a scaling that R's `solve` would refuse is checked once per stratum).
///
/// # Errors
/// As [`cox_zph`].
pub fn cox_zph_tests(
    data: &SurvData,
    design: &CoxDesign,
    fit: &CoxModel,
    transform: ZphTransform,
) -> Result<PhTest, ZphError> {
    zph(data, design, fit, transform, false).map(CoxZph::tests)
}

impl CoxZph {
    /// The tests, without the residuals.
    pub fn tests(self) -> PhTest {
        PhTest {
            transform: self.transform,
            terms: self.terms,
            global: self.global,
        }
    }
}

/// [`cox_zph`], with the residuals (`time`, `x`, `strata`, `y`) left empty unless
/// `residuals`.
fn zph(
    data: &SurvData,
    design: &CoxDesign,
    fit: &CoxModel,
    transform: ZphTransform,
    residuals: bool,
) -> Result<CoxZph, ZphError> {
    let mut frame = model_frame(data, design)?;
    let design_names: Vec<String> = frame.columns.iter().map(|c| c.name.clone()).collect();
    let fit_names: Vec<String> = fit.coefficients.iter().map(|c| c.name.clone()).collect();
    if design_names != fit_names || fit.means.len() != fit_names.len() {
        return Err(ZphError::Mismatch {
            design: design_names,
            fit: fit_names,
        });
    }
    let n = frame.time.len();
    if !frame.status.iter().any(|&e| e) {
        return Err(ZphError::NoEvents);
    }
    // Estimable coefficients only, as cox.zph drops NA ones.
    let keep: Vec<usize> = (0..fit_names.len())
        .filter(|&k| !fit.coefficients[k].singular)
        .collect();
    if keep.is_empty() {
        return Err(ZphError::NoCoefficients);
    }
    let nvar = keep.len();
    let fcoef: Vec<f64> = keep.iter().map(|&k| fit.coefficients[k].coef).collect();
    // The estimable columns, moved out (zph1 gathers each into its order and frees it).
    let x: Vec<Vec<f64>> = keep
        .iter()
        .map(|&k| std::mem::take(&mut frame.x[k]))
        .collect();
    frame.x = Vec::new();
    // Terms as lists of kept columns; terms left without columns are dropped.
    let mut asgn: Vec<(String, Vec<usize>)> = Vec::new();
    for t in &frame.terms {
        let cols: Vec<usize> = keep
            .iter()
            .enumerate()
            .filter(|(_, &k)| t.columns.contains(&k))
            .map(|(new, _)| new)
            .collect();
        if !cols.is_empty() {
            asgn.push((t.name.clone(), cols));
        }
    }
    let nterm = asgn.len();

    // The linear predictor as R's fit$linear.predictors: x·β − Σ β·means.
    let shift: f64 = keep
        .iter()
        .map(|&k| fit.coefficients[k].coef * fit.means[k])
        .sum();

    // The frame's order (by stratum, then time) is the order by time without strata.
    let by_time_owned;
    let by_time: &[usize] = if frame.strata_name.is_none() {
        frame.order()
    } else {
        by_time_owned = crate::data::order_by(&frame.time);
        &by_time_owned
    };
    let mut gt = transform_times(&frame.time, &frame.status, transform, by_time);
    let (sum, count) = (0..n)
        .filter(|&i| frame.status[i])
        .fold((0.0, 0usize), |(s, c), i| (s + gt[i], c + 1));
    let mean_event = sum / count as f64;
    let ord = frame.order();
    // The residuals' transformed times, by event in time order.
    let events: Vec<usize> = if residuals {
        ord.iter().copied().filter(|&i| frame.status[i]).collect()
    } else {
        Vec::new()
    };
    let events_gt: Vec<f64> = events.iter().map(|&i| gt[i]).collect();
    // g(t) − mean, put into the walk's order in place.
    crate::data::permute_in_place(&mut gt, ord);
    for g in &mut gt {
        *g -= mean_event;
    }
    let r = zph1(
        Walk {
            gt,
            time: frame.times_in_order(),
            beta: &fcoef,
            shift,
            efron: fit.options.ties == Ties::Efron,
            sort: ord,
            residuals,
        },
        &frame.status,
        x,
        &frame.strata,
    );

    // Tests.
    let mut terms = Vec::with_capacity(nterm);
    for (name, jj) in &asgn {
        let kk: Vec<usize> = (0..nvar).chain(jj.iter().map(|&j| j + nvar)).collect();
        let sub: Vec<Vec<f64>> = kk
            .iter()
            .map(|&a| kk.iter().map(|&b| r.imat[a][b]).collect())
            .collect();
        let mut u = vec![0.0; nvar];
        u.extend(jj.iter().map(|&j| r.u[j + nvar]));
        let chisq = quad_solve(&sub, &u)?;
        terms.push(ZphTermTest {
            term: name.clone(),
            test: ChiSquareTest::new(chisq, jj.len()),
        });
    }
    let mut u = vec![0.0; nvar];
    u.extend_from_slice(&r.u[nvar..]);
    let global = ChiSquareTest::new(quad_solve(&r.imat, &u)?, nvar);

    // Scaled Schoenfeld residuals.
    let mut used = r.used.clone();
    for (_, cols) in &asgn {
        if cols.len() > 1 && used.iter().any(|row| cols.iter().any(|&c| row[c] == 0)) {
            for row in used.iter_mut() {
                let m = cols.iter().map(|&c| row[c]).max().unwrap_or(0);
                for &c in cols {
                    row[c] = m;
                }
            }
        }
    }
    let mut wtmat = vec![vec![0.0; nvar]; nvar];
    for row in &used {
        for i in 0..nvar {
            for j in 0..nvar {
                wtmat[i][j] += row[i].min(row[j]) as f64;
            }
        }
    }
    let mut vmean: Vec<Vec<f64>> = (0..nvar)
        .map(|i| {
            (0..nvar)
                .map(|j| r.imat[i][j] / if wtmat[i][j] == 0.0 { 1.0 } else { wtmat[i][j] })
                .collect()
        })
        .collect();
    let n_events = r.n_events;
    let mut sresid: Vec<Vec<f64>> = if residuals {
        r.schoen.chunks(nvar).map(<[f64]>::to_vec).collect()
    } else {
        Vec::new()
    };
    let mut used_terms = used.clone();
    if asgn.iter().any(|(_, c)| c.len() > 1) {
        // temp (nvar × nterm): 1 for a one-column term, β̂ for the columns of a larger one.
        let mut temp = vec![vec![0.0; nterm]; nvar];
        for (i, (_, cols)) in asgn.iter().enumerate() {
            for &j in cols {
                temp[j][i] = if cols.len() == 1 { 1.0 } else { fcoef[j] };
            }
        }
        sresid = sresid
            .iter()
            .map(|row| {
                (0..nterm)
                    .map(|t| (0..nvar).map(|j| row[j] * temp[j][t]).sum())
                    .collect()
            })
            .collect();
        let vt: Vec<Vec<f64>> = (0..nvar)
            .map(|i| {
                (0..nterm)
                    .map(|t| (0..nvar).map(|j| vmean[i][j] * temp[j][t]).sum())
                    .collect()
            })
            .collect();
        vmean = (0..nterm)
            .map(|s| {
                (0..nterm)
                    .map(|t| (0..nvar).map(|i| temp[i][s] * vt[i][t]).sum())
                    .collect()
            })
            .collect();
        used_terms = used
            .iter()
            .map(|row| asgn.iter().map(|(_, c)| row[c[0]]).collect())
            .collect();
    }
    let mut y: Vec<Vec<Option<f64>>> = sresid
        .iter()
        .map(|row| row.iter().map(|&v| Some(v)).collect())
        .collect();
    // sgrp <- rep(1:nrow(used), apply(used, 1, max)): rows of each stratum.
    let mut start = 0usize;
    for row_used in &used_terms {
        let count = row_used.iter().copied().max().unwrap_or(0);
        let rows = start..(start + count).min(n_events);
        start += count;
        let k: Vec<usize> = (0..nterm).filter(|&t| row_used[t] > 0).collect();
        if k.is_empty() {
            continue;
        }
        if let [t] = k[..] {
            // One term: the solve is a division (R's solve of a 1 × 1 matrix).
            if residuals {
                for i in rows {
                    y[i] = (0..nterm)
                        .map(|c| (c == t).then(|| sresid[i][t] / vmean[t][t]))
                        .collect();
                }
            }
            continue;
        }
        let vk = DMatrix::from_fn(k.len(), k.len(), |a, b| vmean[k[a]][k[b]]);
        let lu = vk.lu();
        // `solve` fails for every row or for none: the tests alone check it once.
        if !rows.is_empty() && !lu.is_invertible() {
            return Err(ZphError::Singular);
        }
        if !residuals {
            continue;
        }
        for i in rows {
            let rhs = DVector::from_iterator(k.len(), k.iter().map(|&t| sresid[i][t]));
            let s = lu.solve(&rhs).ok_or(ZphError::Singular)?;
            for t in 0..nterm {
                y[i][t] = k.iter().position(|&c| c == t).map(|p| s[p]);
            }
        }
    }
    for (t, (_, cols)) in asgn.iter().enumerate() {
        let add = if cols.len() == 1 { fcoef[cols[0]] } else { 1.0 };
        for row in y.iter_mut() {
            if let Some(v) = row[t].as_mut() {
                *v += add;
            }
        }
    }
    let var = {
        let m = DMatrix::from_fn(nterm, nterm, |a, b| vmean[a][b]);
        let inv = m.try_inverse().ok_or(ZphError::Singular)?;
        (0..nterm)
            .map(|a| (0..nterm).map(|b| inv[(a, b)]).collect())
            .collect()
    };

    Ok(CoxZph {
        transform,
        terms,
        global,
        time: events.iter().map(|&i| frame.time[i]).collect(),
        x: events_gt,
        strata: frame.strata_name.as_ref().filter(|_| residuals).map(|_| {
            events
                .iter()
                .map(|&i| frame.strata_levels[frame.strata[i]].clone())
                .collect()
        }),
        y,
        var,
    })
}
