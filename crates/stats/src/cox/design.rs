//! The design of a Cox model — its terms (numeric covariates, categorical covariates,
//! the treatment group) and strata — and the model matrix built from it, as R's
//! `model.frame` / `model.matrix` build it for `coxph`.
//!
//! # Formula
//! A numeric term is one column, its values as given. A categorical term with levels
//! ℓ₀ (the reference), ℓ₁, …, ℓ_m is m columns of 0/1 indicators, column k being
//! 1{x = ℓ_k} — R's treatment contrasts (`contr.treatment`), named as R names them:
//! the term name followed by the level (`celltypesmallcell`). Rows with a missing value in
//! any term or in the strata are left out and listed, as R's `na.omit` does.
//!
//! # References
//! R `stats::model.frame`, `stats::model.matrix`, `stats::contr.treatment`,
//! `stats::relevel`, `stats::na.omit`; `survival::strata`.

use crate::data::SurvData;
use std::borrow::Cow;
use std::fmt;

/// The right-hand side of a Cox model formula: terms in formula order, plus optional strata.
///
/// `CoxDesign { terms: vec![Term::group("trt"), Term::numeric("age", ages)], strata: None }`
/// is R's `Surv(time, status) ~ trt + age` with `trt` the data's group as a factor.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoxDesign {
    /// The terms, in formula order (this is the order of the coefficients).
    pub terms: Vec<Term>,
    /// R `strata(...)`: a separate baseline hazard per stratum. `None`: no strata.
    pub strata: Option<Strata>,
}

impl CoxDesign {
    /// The design `~ group` that [`crate::cox_fit`] fits: the data's group as a factor.
    pub fn group_only(name: &str) -> Self {
        CoxDesign {
            terms: vec![Term::group(name)],
            strata: None,
        }
    }
}

/// One term of the model formula.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Term {
    /// The group of the [`SurvData`] as a factor; the data's first level is the reference
    /// (set it with [`SurvData::with_reference`]). One column per other level.
    Group {
        /// Name of the group column; coefficient names are this name followed by the level.
        name: String,
    },
    /// A numeric covariate: one column, one coefficient per unit.
    Numeric {
        /// Name of the covariate (the coefficient's name).
        name: String,
        /// One value per observation of the data; `None` or NaN is missing (R `NA`).
        values: Vec<Option<f64>>,
    },
    /// A categorical covariate, coded with treatment contrasts against a reference level.
    Categorical {
        /// Name of the covariate; coefficient names are this name followed by the level.
        name: String,
        /// One label per observation of the data; `None` is missing (R `NA`).
        labels: Vec<Option<String>>,
        /// The levels, in order (R `factor(x, levels = )`). `None`: the distinct labels
        /// sorted as R's `factor()` sorts them — numerically when every label is a number,
        /// otherwise by code point (R's order in the C locale). A label not among the given
        /// levels is an error rather than R's silent `NA`.
        levels: Option<Vec<String>>,
        /// The reference level (R `relevel(x, ref = )`). `None`: the first level.
        reference: Option<String>,
    },
}

impl Term {
    /// The data's group as a factor named `name`.
    pub fn group(name: &str) -> Self {
        Term::Group {
            name: name.to_string(),
        }
    }

    /// A numeric covariate; NaN values are missing.
    pub fn numeric(name: &str, values: Vec<f64>) -> Self {
        Term::Numeric {
            name: name.to_string(),
            values: values
                .into_iter()
                .map(|v| if v.is_nan() { None } else { Some(v) })
                .collect(),
        }
    }

    /// A categorical covariate with levels in R's `factor()` order and, optionally, a
    /// reference level.
    pub fn categorical<S: AsRef<str>>(
        name: &str,
        labels: &[Option<S>],
        reference: Option<&str>,
    ) -> Self {
        Term::Categorical {
            name: name.to_string(),
            labels: labels
                .iter()
                .map(|l| l.as_ref().map(|s| s.as_ref().to_string()))
                .collect(),
            levels: None,
            reference: reference.map(str::to_string),
        }
    }

    /// The term's name as written in the formula.
    pub fn name(&self) -> &str {
        match self {
            Term::Group { name } | Term::Numeric { name, .. } | Term::Categorical { name, .. } => {
                name
            }
        }
    }
}

/// R `strata(x)`: rows with different labels have separate baseline hazards, and their
/// tied times are not tied with each other.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Strata {
    /// Name of the stratifying variable.
    pub name: String,
    /// One label per observation; `None` is missing (the row is left out, as in R).
    pub labels: Vec<Option<String>>,
    /// The order of the strata (it orders only the output). `None`: R's `factor()` order.
    pub levels: Option<Vec<String>>,
}

impl Strata {
    /// Strata from labels, in R's `factor()` order.
    pub fn new<S: AsRef<str>>(name: &str, labels: &[Option<S>]) -> Self {
        Strata {
            name: name.to_string(),
            labels: labels
                .iter()
                .map(|l| l.as_ref().map(|s| s.as_ref().to_string()))
                .collect(),
            levels: None,
        }
    }
}

/// A row of the data left out of the model because a value is missing (R `na.omit`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ExcludedRow {
    /// Zero-based index of the observation in the data.
    pub row: usize,
    /// The first term (or `strata(name)`) whose value is missing in that row.
    pub term: String,
}

/// Why a [`CoxDesign`] cannot be fitted to the data.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum CoxDesignError {
    /// The design has no terms (R would fit the null model; there is nothing to estimate).
    EmptyDesign,
    /// A term has a different number of values than the data has observations.
    LengthMismatch {
        /// The term.
        term: String,
        /// The number of observations in the data.
        expected: usize,
        /// The number of values the term has.
        found: usize,
    },
    /// A numeric value is infinite (R: "data contains an infinite predictor").
    NonFinite {
        /// The term.
        term: String,
        /// Zero-based index of the observation.
        row: usize,
        /// The value.
        value: f64,
    },
    /// A label is not among the levels given for its term.
    UnknownLevel {
        /// The term.
        term: String,
        /// Zero-based index of the observation.
        row: usize,
        /// The label found.
        label: String,
        /// The levels given.
        levels: Vec<String>,
    },
    /// The reference level is not a level of its term.
    UnknownReference {
        /// The term.
        term: String,
        /// The reference asked for.
        reference: String,
        /// The levels of the term.
        levels: Vec<String>,
    },
    /// A categorical term (or the group) has fewer than two levels (R: "contrasts can be
    /// applied only to factors with 2 or more levels").
    TooFewLevels {
        /// The term.
        term: String,
        /// Its levels.
        levels: Vec<String>,
    },
    /// Every row has a missing value somewhere.
    NoCompleteRows {
        /// The number of observations.
        rows: usize,
        /// The first rows left out, with the term that was missing.
        first: Vec<ExcludedRow>,
    },
}

/// The name the rest of the crate uses for `CoxDesignError` (`CoxDesignError` is the
/// type's own name so that its TypeScript declaration does not collide with the trial
/// design's `DesignError`).
pub type DesignError = CoxDesignError;

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DesignError::EmptyDesign => {
                write!(f, "the Cox model has no covariates: add the group or a covariate")
            }
            DesignError::LengthMismatch {
                term,
                expected,
                found,
            } => write!(
                f,
                "covariate \"{term}\" has {found} values but the data has {expected} observations"
            ),
            DesignError::NonFinite { term, row, value } => write!(
                f,
                "covariate \"{term}\", observation {}: {value} is not a finite number; \
                 correct it or mark it missing",
                row + 1
            ),
            DesignError::UnknownLevel {
                term,
                row,
                label,
                levels,
            } => write!(
                f,
                "covariate \"{term}\", observation {}: \"{label}\" is not one of its levels ({}); \
                 add it to the levels or correct the value",
                row + 1,
                levels.join(", ")
            ),
            DesignError::UnknownReference {
                term,
                reference,
                levels,
            } => write!(
                f,
                "reference level \"{reference}\" of \"{term}\" is not among its levels ({}); choose one of them",
                levels.join(", ")
            ),
            DesignError::TooFewLevels { term, levels } => write!(
                f,
                "covariate \"{term}\" has {} level(s) ({}); a categorical covariate needs at least two",
                levels.len(),
                levels.join(", ")
            ),
            DesignError::NoCompleteRows { rows, first } => {
                write!(f, "none of the {rows} observations has all covariates present")?;
                if let Some(e) = first.first() {
                    write!(f, "; for example observation {} lacks \"{}\"", e.row + 1, e.term)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for DesignError {}

/// One column of the model matrix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    /// R's coefficient name.
    pub name: String,
    /// Index of the term in the design.
    pub term: usize,
    /// The level this indicator column stands for (categorical terms and the group).
    pub level: Option<String>,
}

/// What the frame keeps of each design term.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TermInfo {
    /// The term's name.
    pub name: String,
    /// Its columns in the model matrix.
    pub columns: std::ops::Range<usize>,
    /// The reference level of a categorical term or the group.
    pub reference: Option<String>,
    /// All levels, reference first (categorical terms and the group).
    pub levels: Vec<String>,
}

/// The rows of the data used by the model and their model matrix.
#[derive(Debug, Clone)]
pub(crate) struct ModelFrame<'a> {
    /// Times of the kept rows: the data's own when every row is kept (not a copy: 8 MB
    /// at a million rows, issue 15).
    pub time: Cow<'a, [f64]>,
    /// Event indicators of the kept rows (the data's own when every row is kept).
    pub status: Cow<'a, [bool]>,
    /// Model matrix, column-major: `x[k][i]` is column k of kept row i.
    pub x: Vec<Vec<f64>>,
    /// The columns.
    pub columns: Vec<Column>,
    /// The terms.
    pub terms: Vec<TermInfo>,
    /// Stratum index of each kept row (all 0 without strata).
    pub strata: Vec<usize>,
    /// The strata present, in order (empty without strata).
    pub strata_levels: Vec<String>,
    /// Name of the stratifying variable.
    pub strata_name: Option<String>,
    /// Rows left out for missing values.
    pub excluded: Vec<ExcludedRow>,
    /// The kept rows by stratum, then increasing time, ties in row order (R's
    /// `order(strata, time)`), sorted once: the fit, the separation check, the
    /// concordance and cox.zph all walk it (issue 15).
    pub order: std::sync::OnceLock<std::sync::Arc<[usize]>>,
    /// [`ModelFrame::time`] in the order of [`ModelFrame::order`], when that is the data's
    /// own (every row kept, no strata): the data's sorted times, which the walks of
    /// cox.zph and the concordance read instead of gathering a copy (issue 15).
    pub time_in_order: Option<&'a [f64]>,
}

impl PartialEq for ModelFrame<'_> {
    fn eq(&self, o: &Self) -> bool {
        (&self.time, &self.status, &self.x, &self.strata) == (&o.time, &o.status, &o.x, &o.strata)
            && (
                &self.columns,
                &self.terms,
                &self.strata_levels,
                &self.strata_name,
            ) == (&o.columns, &o.terms, &o.strata_levels, &o.strata_name)
            && self.excluded == o.excluded
    }
}

impl ModelFrame<'_> {
    /// [`ModelFrame::time`] in the order of [`ModelFrame::order`]: the data's sorted times
    /// when at hand ([`ModelFrame::time_in_order`]), else gathered.
    pub(crate) fn times_in_order(&self) -> Cow<'_, [f64]> {
        match self.time_in_order {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(self.order().iter().map(|&i| self.time[i]).collect()),
        }
    }

    /// [`ModelFrame::order`], sorted on first use.
    pub(crate) fn order(&self) -> &[usize] {
        self.order.get_or_init(|| {
            crate::data::order_by_strata_time(&self.strata, &self.time, false).into()
        })
    }

    /// The rows by stratum, then decreasing time, ties in row order (R's
    /// `order(strata, -time)`): [`ModelFrame::order`] with each stratum's runs of equal
    /// times taken from the last to the first. O(n).
    pub(crate) fn order_desc(&self) -> Vec<usize> {
        let asc = self.order();
        let mut out = Vec::with_capacity(asc.len());
        let mut start = 0;
        while start < asc.len() {
            let s = self.strata[asc[start]];
            let mut end = start;
            while end < asc.len() && self.strata[asc[end]] == s {
                end += 1;
            }
            // The stratum's runs of one time, last run first, each in row order.
            let mut hi = end;
            while hi > start {
                let t = self.time[asc[hi - 1]];
                let mut lo = hi - 1;
                while lo > start && self.time[asc[lo - 1]] == t {
                    lo -= 1;
                }
                out.extend_from_slice(&asc[lo..hi]);
                hi = lo;
            }
            start = end;
        }
        out
    }
}

/// Levels in R's `factor()` order: numeric when every label parses as a number,
/// otherwise by code point (R in the C locale).
pub(crate) fn r_factor_levels<'a, I: Iterator<Item = &'a str>>(labels: I) -> Vec<String> {
    let mut levels: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for l in labels {
        if seen.insert(l) {
            levels.push(l.to_string());
        }
    }
    let numbers: Option<Vec<f64>> = levels
        .iter()
        .map(|l| l.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    match numbers {
        Some(v) => {
            let mut idx: Vec<usize> = (0..levels.len()).collect();
            idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
            idx.into_iter().map(|i| levels[i].clone()).collect()
        }
        None => {
            levels.sort();
            levels
        }
    }
}

/// Codes a label vector against its levels: level index per row, `None` for missing.
fn code_labels(
    term: &str,
    labels: &[Option<String>],
    levels: &Option<Vec<String>>,
) -> Result<(Vec<Option<usize>>, Vec<String>), DesignError> {
    let levels = match levels {
        Some(l) => l.clone(),
        None => r_factor_levels(labels.iter().flatten().map(String::as_str)),
    };
    let index: std::collections::HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut codes = Vec::with_capacity(labels.len());
    for (row, l) in labels.iter().enumerate() {
        match l {
            None => codes.push(None),
            Some(s) => match index.get(s.as_str()) {
                Some(&k) => codes.push(Some(k)),
                None => {
                    return Err(DesignError::UnknownLevel {
                        term: term.to_string(),
                        row,
                        label: s.clone(),
                        levels: levels.clone(),
                    })
                }
            },
        }
    }
    Ok((codes, levels))
}

/// A term after validation: what each row contributes.
enum Coded {
    Numeric(Vec<Option<f64>>),
    /// Level codes (reference moved to 0) and the levels, reference first.
    Factor(Vec<Option<usize>>, Vec<String>),
}

/// Validates the design against the data and builds the model frame.
pub(crate) fn model_frame<'a>(
    data: &'a SurvData,
    design: &CoxDesign,
) -> Result<ModelFrame<'a>, DesignError> {
    if design.terms.is_empty() {
        return Err(DesignError::EmptyDesign);
    }
    let n = data.len();
    let check_len = |term: &str, found: usize| {
        if found == n {
            Ok(())
        } else {
            Err(DesignError::LengthMismatch {
                term: term.to_string(),
                expected: n,
                found,
            })
        }
    };
    let mut coded = Vec::with_capacity(design.terms.len());
    for term in &design.terms {
        match term {
            Term::Group { name } => {
                let levels = data.levels().to_vec();
                if levels.len() < 2 {
                    return Err(DesignError::TooFewLevels {
                        term: name.clone(),
                        levels,
                    });
                }
                coded.push(Coded::Factor(
                    data.group().iter().map(|&g| Some(g)).collect(),
                    levels,
                ));
            }
            Term::Numeric { name, values } => {
                check_len(name, values.len())?;
                if let Some((row, v)) = values
                    .iter()
                    .enumerate()
                    .find_map(|(i, v)| v.filter(|v| v.is_infinite()).map(|v| (i, v)))
                {
                    return Err(DesignError::NonFinite {
                        term: name.clone(),
                        row,
                        value: v,
                    });
                }
                coded.push(Coded::Numeric(
                    values.iter().map(|v| v.filter(|v| !v.is_nan())).collect(),
                ));
            }
            Term::Categorical {
                name,
                labels,
                levels,
                reference,
            } => {
                check_len(name, labels.len())?;
                let (mut codes, mut levels) = code_labels(name, labels, levels)?;
                if let Some(r) = reference {
                    let Some(k) = levels.iter().position(|l| l == r) else {
                        return Err(DesignError::UnknownReference {
                            term: name.clone(),
                            reference: r.clone(),
                            levels,
                        });
                    };
                    // relevel: the reference moves to the front, the others keep their order.
                    let lvl = levels.remove(k);
                    levels.insert(0, lvl);
                    for c in codes.iter_mut().flatten() {
                        *c = match (*c).cmp(&k) {
                            std::cmp::Ordering::Equal => 0,
                            std::cmp::Ordering::Less => *c + 1,
                            std::cmp::Ordering::Greater => *c,
                        };
                    }
                }
                if levels.len() < 2 {
                    return Err(DesignError::TooFewLevels {
                        term: name.clone(),
                        levels,
                    });
                }
                coded.push(Coded::Factor(codes, levels));
            }
        }
    }
    let strata_coded = match &design.strata {
        None => None,
        Some(s) => {
            let term = format!("strata({})", s.name);
            check_len(&term, s.labels.len())?;
            let (codes, levels) = code_labels(&term, &s.labels, &s.levels)?;
            Some((term, codes, levels))
        }
    };

    // na.omit: a row is kept when every term and the strata are present.
    let mut rows = Vec::with_capacity(n);
    let mut excluded = Vec::new();
    for i in 0..n {
        let missing = design.terms.iter().zip(&coded).find_map(|(t, c)| {
            let absent = match c {
                Coded::Numeric(v) => v[i].is_none(),
                Coded::Factor(v, _) => v[i].is_none(),
            };
            absent.then(|| t.name().to_string())
        });
        let missing = missing.or_else(|| {
            strata_coded
                .as_ref()
                .and_then(|(term, codes, _)| codes[i].is_none().then(|| term.clone()))
        });
        match missing {
            Some(term) => excluded.push(ExcludedRow { row: i, term }),
            None => rows.push(i),
        }
    }
    if rows.is_empty() {
        excluded.truncate(10);
        return Err(DesignError::NoCompleteRows {
            rows: n,
            first: excluded,
        });
    }

    let mut x = Vec::new();
    let mut columns = Vec::new();
    let mut terms = Vec::new();
    for (t, (term, c)) in design.terms.iter().zip(&coded).enumerate() {
        let start = x.len();
        match c {
            Coded::Numeric(v) => {
                x.push(rows.iter().map(|&i| v[i].unwrap_or(f64::NAN)).collect());
                columns.push(Column {
                    name: term.name().to_string(),
                    term: t,
                    level: None,
                });
                terms.push(TermInfo {
                    name: term.name().to_string(),
                    columns: start..start + 1,
                    reference: None,
                    levels: Vec::new(),
                });
            }
            Coded::Factor(codes, levels) => {
                for (k, level) in levels.iter().enumerate().skip(1) {
                    x.push(
                        rows.iter()
                            .map(|&i| if codes[i] == Some(k) { 1.0 } else { 0.0 })
                            .collect(),
                    );
                    columns.push(Column {
                        name: format!("{}{}", term.name(), level),
                        term: t,
                        level: Some(level.clone()),
                    });
                }
                terms.push(TermInfo {
                    name: term.name().to_string(),
                    columns: start..x.len(),
                    reference: levels.first().cloned(),
                    levels: levels.clone(),
                });
            }
        }
    }

    // Strata: keep only those present among the kept rows, in level order.
    let (strata, strata_levels, strata_name) = match (&strata_coded, &design.strata) {
        (Some((_, codes, levels)), Some(s)) => {
            let mut present = vec![false; levels.len()];
            for &i in &rows {
                if let Some(c) = codes[i] {
                    present[c] = true;
                }
            }
            let mut new_index = vec![0usize; levels.len()];
            let mut kept = Vec::new();
            for (k, l) in levels.iter().enumerate() {
                if present[k] {
                    new_index[k] = kept.len();
                    kept.push(l.clone());
                }
            }
            let strata = rows
                .iter()
                .map(|&i| codes[i].map_or(0, |c| new_index[c]))
                .collect();
            (strata, kept, Some(s.name.clone()))
        }
        _ => (vec![0; rows.len()], Vec::new(), None),
    };

    // Every row kept and no strata: the data's own time order (sorted once per data,
    // shared).
    let order = std::sync::OnceLock::new();
    let mut time_in_order = None;
    if rows.len() == data.len() && strata_name.is_none() {
        let _ = order.set(data.shared_order());
        time_in_order = Some(data.sorted().time.as_slice());
    }
    let (time, status) = if rows.len() == data.len() {
        (Cow::Borrowed(data.time()), Cow::Borrowed(data.event()))
    } else {
        (
            Cow::Owned(rows.iter().map(|&i| data.time()[i]).collect()),
            Cow::Owned(rows.iter().map(|&i| data.event()[i]).collect()),
        )
    };
    Ok(ModelFrame {
        time,
        status,
        x,
        columns,
        terms,
        strata,
        strata_levels,
        strata_name,
        excluded,
        order,
        time_in_order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_levels_sort_like_r() {
        let l = r_factor_levels(["10", "2", "1", "2"].into_iter());
        assert_eq!(l, vec!["1", "2", "10"]);
        let l = r_factor_levels(["b", "a", "B"].into_iter());
        assert_eq!(l, vec!["B", "a", "b"]);
    }

    /// The frame's orders equal R's `order(strata, time)` and `order(strata, -time)`
    /// whether they come from the data's cached order or are sorted for the frame.
    #[test]
    fn frame_orders_are_rs() {
        let time = vec![3.0, 1.0, 3.0, 2.0, 1.0, 3.0, 2.0];
        let data = SurvData::from_labels(
            time.clone(),
            vec![true; 7],
            &["a", "b", "a", "b", "a", "b", "a"],
        )
        .expect("valid data");
        let sites = [
            Some("x"),
            Some("y"),
            Some("x"),
            Some("y"),
            Some("y"),
            Some("x"),
            Some("x"),
        ];
        for strata in [None, Some(Strata::new("site", &sites))] {
            let design = CoxDesign {
                terms: vec![Term::group("arm")],
                strata,
            };
            let f = model_frame(&data, &design).expect("frame");
            assert_eq!(
                f.order(),
                crate::data::order_by_strata_time(&f.strata, &f.time, false)
            );
            assert_eq!(
                f.order_desc(),
                crate::data::order_by_strata_time(&f.strata, &f.time, true)
            );
        }
    }

    #[test]
    fn missing_rows_are_listed() {
        let data = SurvData::from_labels(
            vec![1.0, 2.0, 3.0, 4.0],
            vec![true; 4],
            &["a", "b", "a", "b"],
        )
        .expect("valid data");
        let design = CoxDesign {
            terms: vec![
                Term::group("arm"),
                Term::numeric("age", vec![50.0, f64::NAN, 60.0, 70.0]),
            ],
            strata: Some(Strata::new(
                "site",
                &[Some("x"), Some("y"), None, Some("x")],
            )),
        };
        let f = model_frame(&data, &design).expect("frame");
        // Rows 0 and 3 kept.
        assert_eq!(*f.time, [1.0, 4.0]);
        assert_eq!(
            f.excluded,
            vec![
                ExcludedRow {
                    row: 1,
                    term: "age".into()
                },
                ExcludedRow {
                    row: 2,
                    term: "strata(site)".into()
                }
            ]
        );
        assert_eq!(f.strata_levels, vec!["x"]);
        assert_eq!(f.columns[0].name, "armb");
    }

    #[test]
    fn unknown_reference_is_an_error() {
        let data = SurvData::from_labels(vec![1.0, 2.0], vec![true; 2], &["a", "a"]).expect("data");
        let design = CoxDesign {
            terms: vec![Term::categorical(
                "cell",
                &[Some("x"), Some("y")],
                Some("z"),
            )],
            strata: None,
        };
        assert!(matches!(
            model_frame(&data, &design),
            Err(DesignError::UnknownReference { .. })
        ));
    }
}
