//! The options of one endpoint's analysis, R's defaults, and the one validation every
//! option passes (from the CLI, the page or a share link) before an estimator sees it.

use super::*;

/// Everything the analysis can be told. Defaults are R's ([`Convention::R`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct AnalysisOptions {
    /// The convention whose defaults were applied last (a label: the fields below are what
    /// is used, and each may have been changed since).
    pub convention: Convention,
    /// Kaplan–Meier band options (R `survfit(conf.type, conf.int)`).
    pub km: KmOptions,
    /// Cox options (R `coxph(ties)`, `coxph.control`).
    pub cox: CoxOptions,
    /// Which median CI is the headline (both are always computed).
    pub median_method: MedianMethod,
    /// The headline test of curves (the whole family is always computed).
    pub test: Weight,
    /// The headline hazard-ratio method (all are computed for two groups).
    pub hr: HeadlineHr,
    /// Times at which survival, its CI and the between-arm differences are reported
    /// (R `summary(fit, times = )`); empty for none.
    pub landmarks: Vec<f64>,
    /// Times of the risk table (number at risk, cumulative events and censored); empty
    /// picks round times across the follow-up, as the figure's axis does.
    pub risk_times: Vec<f64>,
    /// RMST truncation time τ (survRM2 `rmst2(tau = )`); `None` takes survRM2's default.
    pub rmst_tau: Option<f64>,
    /// A column whose values define strata: adds the stratified log-rank test (R
    /// `survdiff(... + strata(s))`) and a stratified Cox model (`coxph(... + strata(s))`).
    pub strata: Option<String>,
    /// Covariate columns for an adjusted Cox model (group + covariates, R
    /// `coxph(Surv ~ group + x1 + x2)`); numeric columns enter as numbers, others as
    /// factors with their first level (R's order) as reference.
    pub covariates: Vec<String>,
    /// Treat times closer than √ε (absolutely, or relative to their mean) as tied, as R
    /// does by default (R `survfit(timefix = TRUE)`, `survdiff(timefix = TRUE)`,
    /// `coxph.control(timefix = TRUE)`); see [`survcalc_stats::timefix`].
    pub timefix: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions::for_convention(Convention::R)
    }
}

impl AnalysisOptions {
    /// Options with every default of `convention`.
    pub fn for_convention(convention: Convention) -> Self {
        let mut o = AnalysisOptions {
            convention,
            km: KmOptions::default(),
            cox: CoxOptions::default(),
            median_method: MedianMethod::RBandInversion,
            test: Weight::LogRank,
            hr: HeadlineHr::Cox,
            landmarks: Vec::new(),
            risk_times: Vec::new(),
            rmst_tau: None,
            strata: None,
            covariates: Vec::new(),
            timefix: true,
        };
        o.apply_convention(convention);
        o
    }

    /// Sets every choice `convention` makes, keeping landmarks, risk times, τ and levels.
    pub fn apply_convention(&mut self, convention: Convention) {
        let c = convention.choices();
        self.convention = convention;
        self.km.conf_type = c.conf_type;
        self.median_method = c.median_method;
        self.timefix = c.timefix;
        self.cox.ties = c.ties;
        self.test = c.test;
        self.hr = c.hr;
    }
}

impl AnalysisOptions {
    /// Checks every option against what the estimators can use; the one boundary that
    /// options from a share link, the page and the CLI all pass ([`analyze`] calls it).
    ///
    /// # Errors
    /// The first option out of range, with its rule.
    pub fn validate(&self) -> Result<(), crate::error::OptionError> {
        let err = |option: &str, value: String, rule: &str| crate::error::OptionError {
            option: option.to_string(),
            value,
            rule: rule.to_string(),
        };
        let level = "a number between 0 and 1 (exclusive), such as 0.95";
        for (name, v) in [
            ("km.conf_level", self.km.conf_level),
            ("cox.conf_level", self.cox.conf_level),
        ] {
            if !(v > 0.0 && v < 1.0) {
                return Err(err(name, v.to_string(), level));
            }
        }
        let c = &self.cox;
        if c.iter_max > MAX_ITERATIONS {
            return Err(err(
                "cox.iter_max",
                c.iter_max.to_string(),
                &format!("at most {MAX_ITERATIONS} (R's default is 20)"),
            ));
        }
        for (name, v) in [
            ("cox.eps", c.eps),
            ("cox.toler_chol", c.toler_chol),
            ("cox.toler_inf", c.toler_inf),
        ] {
            if !(v > 0.0 && v < 1.0) {
                return Err(err(
                    name,
                    v.to_string(),
                    "a small positive number below 1 (R's defaults: eps 1e-9, toler.chol 1.8e-12, toler.inf 3.2e-5)",
                ));
            }
        }
        for (name, times) in [
            ("landmarks", &self.landmarks),
            ("risk_times", &self.risk_times),
        ] {
            if times.len() > MAX_TIMES {
                return Err(err(
                    name,
                    format!("{} times", times.len()),
                    &format!("at most {MAX_TIMES} times"),
                ));
            }
            if let Some(t) = times.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
                return Err(err(name, t.to_string(), "times that are numbers ≥ 0"));
            }
        }
        if let Some(t) = self.rmst_tau.filter(|t| !(t.is_finite() && *t > 0.0)) {
            return Err(err("rmst_tau", t.to_string(), "a time > 0"));
        }
        if self.covariates.len() > MAX_COVARIATES {
            return Err(err(
                "covariates",
                format!("{} columns", self.covariates.len()),
                &format!("at most {MAX_COVARIATES} columns"),
            ));
        }
        Ok(())
    }
}
