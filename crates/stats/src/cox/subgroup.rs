//! Subgroup analysis of a trial (issue 16): within each level of a subgroup variable, the
//! numbers and events per arm and the Cox model of the arm; and the test of the arm ×
//! subgroup interaction, by likelihood ratio and by Wald.
//!
//! # Formula
//! The interaction test compares h₀(t)·exp(β·arm + Σγ·subgroup) with
//! h₀(t)·exp(β·arm + Σγ·subgroup + Σδ·arm×subgroup), the δ being the products of the arm's
//! and the subgroup's treatment-contrast columns ((arms − 1)(levels − 1) of them):
//! LR = 2 (ℓ_full − ℓ_main) (R `anova(main, full)`), and Wald = δ̂ᵀ V_δ⁻¹ δ̂ from the full
//! model (R `coef(full)[k]`, `vcov(full)[k, k]`), both on the number of δ estimated.
//! Both models use the rows with a subgroup value.
//!
//! # References
//! Wang R, Lagakos SW, Ware JH, Hunter DJ, Drazen JM (2007). Statistics in medicine —
//! reporting of subgroup analyses in clinical trials. N Engl J Med 357:2189–2194.
//! R `coxph(Surv(time, status) ~ arm * subgroup)`.

use super::{
    cox_fit, cox_model, ChiSquareTest, CoxDesign, CoxOptions, CoxTerm, DesignError, Strata, Term,
};
use crate::data::SurvData;
use crate::estimate::km::{kaplan_meier, KmOptions};
use crate::estimate::median::median_r;

/// One level of the subgroup variable.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SubgroupLevel {
    /// The level.
    pub level: String,
    /// Patients per arm (the data's arms, in order).
    pub n: Vec<usize>,
    /// Events per arm.
    pub events: Vec<usize>,
    /// Each arm versus the reference within the level (R `coxph` on the level's rows);
    /// empty when the model is not estimable there (an arm without patients or events,
    /// a diverging fit): "not estimable", never a diverging number.
    pub terms: Vec<CoxTerm>,
    /// Each arm's Kaplan–Meier median within the level (R `survfit(Surv ~ arm)` on the
    /// level's rows, `summary(fit)$table[, "median"]`); `None` when not reached.
    pub medians: Vec<Option<f64>>,
}

/// The test of the arm × subgroup interaction.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct InteractionTest {
    /// Likelihood ratio (R `anova(main, full)`).
    pub likelihood_ratio: ChiSquareTest,
    /// Wald, from the full model's interaction coefficients; `None` when their covariance
    /// is singular.
    pub wald: Option<ChiSquareTest>,
    /// Rows used (those with a subgroup value).
    pub n: usize,
}

/// A subgroup analysis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SubgroupAnalysis {
    /// The subgroup variable.
    pub name: String,
    /// The arms, the first the reference.
    pub arms: Vec<String>,
    /// The levels, in R's `factor()` order.
    pub levels: Vec<SubgroupLevel>,
    /// The interaction test; `None` with one level or one arm.
    pub interaction: Option<InteractionTest>,
}

/// The Cox model of the arm alone, with `strata` when given (R `coxph(Surv ~ arm)` or
/// `coxph(Surv ~ arm + strata(s))`), as a [`super::CoxFit`] of each arm versus the first.
///
/// # Errors
/// [`DesignError`] when the strata are not one label per observation.
pub fn arm_model(
    data: &SurvData,
    strata: Option<&Strata>,
    options: &CoxOptions,
) -> Result<super::CoxFit, DesignError> {
    match strata {
        None => Ok(cox_fit(data, options)),
        Some(s) => {
            let design = CoxDesign {
                terms: vec![Term::group("arm")],
                strata: Some(s.clone()),
            };
            let m = cox_model(data, &design, options)?;
            Ok(super::CoxFit::from_model(
                data.levels().first().cloned().unwrap_or_default(),
                m,
            ))
        }
    }
}

/// The subgroup analysis of `data`'s arms by `labels` (one per observation; `None` is
/// missing, R's NA), with the Cox options of the primary analysis and, when given, its
/// strata (one label per observation): every model then has `+ strata(s)` (R
/// `coxph(Surv ~ arm + strata(s))` within a level, `~ arm * subgroup + strata(s)` for
/// the interaction).
///
/// # Errors
/// [`DesignError`] when `labels` is not one per observation.
pub fn subgroup_analysis(
    data: &SurvData,
    name: &str,
    labels: &[Option<String>],
    strata: Option<&Strata>,
    options: &CoxOptions,
) -> Result<SubgroupAnalysis, DesignError> {
    if labels.len() != data.len() {
        return Err(DesignError::LengthMismatch {
            term: name.to_string(),
            expected: data.len(),
            found: labels.len(),
        });
    }
    if let Some(s) = strata {
        if s.labels.len() != data.len() {
            return Err(DesignError::LengthMismatch {
                term: format!("strata({})", s.name),
                expected: data.len(),
                found: s.labels.len(),
            });
        }
    }
    let levels = super::design::r_factor_levels(labels.iter().flatten().map(String::as_str));
    let k = data.n_groups();
    let rows_of = |l: &str| -> Vec<usize> {
        (0..data.len())
            .filter(|&i| labels[i].as_deref() == Some(l))
            .collect()
    };
    let out_levels = levels
        .iter()
        .map(|l| {
            let rows = rows_of(l);
            let mut n = vec![0; k];
            let mut events = vec![0; k];
            for &i in &rows {
                n[data.group()[i]] += 1;
                events[data.group()[i]] += usize::from(data.event()[i]);
            }
            let estimable = n.iter().all(|&x| x > 0) && events.iter().sum::<usize>() > 0;
            let level_data = SurvData::new(
                rows.iter().map(|&i| data.time()[i]).collect(),
                rows.iter().map(|&i| data.event()[i]).collect(),
                rows.iter().map(|&i| data.group()[i]).collect(),
                data.levels().to_vec(),
            )
            .ok();
            let terms = match (&level_data, estimable) {
                (Some(d), true) => {
                    let sub = strata.map(|s| Strata {
                        labels: rows.iter().map(|&i| s.labels[i].clone()).collect(),
                        ..s.clone()
                    });
                    arm_model(d, sub.as_ref(), options).ok()
                }
                _ => None,
            }
            .filter(|f| f.is_reliable())
            .map(|f| f.terms)
            .unwrap_or_default();
            let medians = match &level_data {
                Some(d) => {
                    let curves = kaplan_meier(d, &KmOptions::default());
                    (0..k)
                        .map(|a| {
                            curves
                                .iter()
                                .find(|c| c.group == data.levels()[a])
                                .and_then(|c| median_r(c, 0.5).estimate)
                        })
                        .collect()
                }
                None => vec![None; k],
            };
            SubgroupLevel {
                level: l.clone(),
                n,
                events,
                terms,
                medians,
            }
        })
        .collect();
    let interaction = if levels.len() >= 2 && k >= 2 {
        interaction_test(data, name, labels, &levels, strata, options)
    } else {
        None
    };
    Ok(SubgroupAnalysis {
        name: name.to_string(),
        arms: data.levels().to_vec(),
        levels: out_levels,
        interaction,
    })
}

/// The LR and Wald tests of the interaction; `None` when a model cannot be fitted.
fn interaction_test(
    data: &SurvData,
    name: &str,
    labels: &[Option<String>],
    levels: &[String],
    strata: Option<&Strata>,
    options: &CoxOptions,
) -> Option<InteractionTest> {
    let main_terms = vec![Term::group("arm"), Term::categorical(name, labels, None)];
    let main = cox_model(
        data,
        &CoxDesign {
            terms: main_terms.clone(),
            strata: strata.cloned(),
        },
        options,
    )
    .ok()?;
    // arm a (not the reference) × level s (not the reference): 1 when both, NaN (missing)
    // where the subgroup is missing, so that both models use the same rows.
    let mut terms = main_terms;
    let mut names = Vec::new();
    for a in 1..data.n_groups() {
        for s in levels.iter().skip(1) {
            let col = format!("arm{}:{name}{s}", data.levels()[a]);
            let values = (0..data.len())
                .map(|i| match &labels[i] {
                    None => f64::NAN,
                    Some(l) => f64::from(u8::from(data.group()[i] == a && l == s)),
                })
                .collect();
            terms.push(Term::numeric(&col, values));
            names.push(col);
        }
    }
    let full = cox_model(
        data,
        &CoxDesign {
            terms,
            strata: strata.cloned(),
        },
        options,
    )
    .ok()?;
    let idx: Vec<usize> = full
        .coefficients
        .iter()
        .enumerate()
        .filter(|(_, c)| names.contains(&c.name) && !c.singular)
        .map(|(i, _)| i)
        .collect();
    let df = idx.len();
    let lr = 2.0 * (full.loglik[1] - main.loglik[1]);
    let coef: Vec<f64> = idx.iter().map(|&i| full.coefficients[i].coef).collect();
    let var: Vec<Vec<f64>> = idx
        .iter()
        .map(|&i| idx.iter().map(|&j| full.var[i][j]).collect())
        .collect();
    let wald = crate::numerics::quadratic_form(&coef, &var).map(|w| ChiSquareTest::new(w, df));
    Some(InteractionTest {
        likelihood_ratio: ChiSquareTest::new(lr.max(0.0), df),
        wald,
        n: full.n,
    })
}
