//! Competing risks: the cumulative incidence of each cause by Aalen–Johansen with
//! cmprsk's variance ([`cumulative_incidence`]), and Gray's test of equal incidence
//! between groups ([`gray_test`]), as R `cmprsk::cuminc` computes them, and the
//! Fine–Gray model of the subdistribution hazard ([`fine_gray`], R `cmprsk::crr`).
//!
//! With several causes of failure (progression, and death without progression), the
//! Kaplan–Meier curve of one cause with the others counted as censored overstates that
//! cause's incidence: it estimates the incidence in a world where the other causes do
//! not happen. The cumulative incidence function F_k(t) = P(T ≤ t, cause = k) is what
//! a patient faces.
//!
//! # References
//! Kalbfleisch JD, Prentice RL (1980). The Statistical Analysis of Failure Time Data,
//! §7.2. Gray RJ (1988). A class of K-sample tests for comparing the cumulative incidence
//! of a competing risk. Ann Stat 16:1141–1154. R `cmprsk::cuminc` (Fortran `cinc`,
//! `crstm`).

mod cuminc;
mod finegray;
mod gray;

pub use cuminc::{cumulative_incidence, ij_variance, log_log_interval, CifCurve};
pub use finegray::{fine_gray, FineGrayError, FineGrayFit, FineGrayOptions, FineGrayTerm};
pub use gray::{gray_test, GrayTest};

use crate::error::DataError;

/// Validated competing-risks data: each observation's time, its cause (0 = censored,
/// 1, 2, … = the cause of failure) and its group, with an optional stratum for the test.
#[derive(Debug, Clone)]
pub struct CompetingData {
    time: Vec<f64>,
    cause: Vec<u32>,
    group: Vec<usize>,
    levels: Vec<String>,
    strata: Option<Vec<usize>>,
    /// The observations in time order, sorted once (every cause and group walks it).
    order: std::sync::OnceLock<Vec<usize>>,
}

impl PartialEq for CompetingData {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.time,
            &self.cause,
            &self.group,
            &self.levels,
            &self.strata,
        ) == (&o.time, &o.cause, &o.group, &o.levels, &o.strata)
    }
}

impl CompetingData {
    /// Builds validated data from parallel vectors: times finite and ≥ 0, a group index
    /// below `levels.len()` for every observation.
    ///
    /// # Errors
    /// [`DataError::LengthMismatch`], [`DataError::Empty`], [`DataError::InvalidTime`],
    /// [`DataError::InvalidGroup`], as [`crate::SurvData::new`].
    pub fn new(
        time: Vec<f64>,
        cause: Vec<u32>,
        group: Vec<usize>,
        levels: Vec<String>,
    ) -> Result<Self, DataError> {
        crate::data::validate(&time, cause.len(), &group, levels.len())?;
        Ok(CompetingData {
            time,
            cause,
            group,
            levels,
            strata: None,
            order: std::sync::OnceLock::new(),
        })
    }

    /// The data with a stratum index per observation for Gray's test (R `cuminc(strata
    /// = )`): the test sums its scores and variances over strata; the curves ignore it.
    ///
    /// # Errors
    /// [`DataError::LengthMismatch`] when `strata` is not one per observation.
    pub fn with_strata(mut self, strata: Vec<usize>) -> Result<Self, DataError> {
        if strata.len() != self.time.len() {
            return Err(DataError::LengthMismatch {
                time: self.time.len(),
                event: self.cause.len(),
                group: strata.len(),
            });
        }
        self.strata = Some(strata);
        Ok(self)
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always false: validated data has at least one observation.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Group labels.
    pub fn levels(&self) -> &[String] {
        &self.levels
    }

    /// The causes that occur, increasing (R: the `fstatus` codes other than `cencode`).
    pub fn causes(&self) -> Vec<u32> {
        let mut c: Vec<u32> = self.cause.iter().copied().filter(|&c| c > 0).collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// Times, one per observation.
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Causes (0 = censored), one per observation.
    pub fn cause(&self) -> &[u32] {
        &self.cause
    }

    /// Group indices (into [`Self::levels`]), one per observation.
    pub fn group(&self) -> &[usize] {
        &self.group
    }

    /// The Fine–Gray model of `cause` on the group (R `crr(time, status, cov1 =
    /// model.matrix(~ group)[, -1], failcode = cause)`): one term per non-reference group,
    /// named by its level.
    ///
    /// # Errors
    /// As [`fine_gray`]; with one group there is nothing to compare
    /// ([`FineGrayError::Shape`]).
    pub fn fine_gray_by_group(
        &self,
        cause: u32,
        options: &FineGrayOptions,
    ) -> Result<FineGrayFit, FineGrayError> {
        let x: Vec<Vec<f64>> = (1..self.levels.len())
            .map(|l| self.group.iter().map(|&g| f64::from(g == l)).collect())
            .collect();
        fine_gray(
            &self.time,
            &self.cause,
            &x,
            &self.levels[1..],
            cause,
            options,
        )
    }

    /// Indices of the observations of group `g` (all groups for `None`) in time order,
    /// ties in data order.
    fn sorted(&self, g: Option<usize>) -> Vec<usize> {
        self.order
            .get_or_init(|| crate::data::order_by(&self.time))
            .iter()
            .copied()
            .filter(|&i| g.is_none_or(|g| self.group[i] == g))
            .collect()
    }
}
