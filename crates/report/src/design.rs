//! A trial's design as a protocol states it (issue 17): the numbers of
//! `survcalc_stats::design`, a curve of power, and the sentence for the protocol.

use survcalc_stats::design::{
    ahern_single_stage, simon_two_stage, survival_power, survival_sample_size, two_proportions,
    two_proportions_power, Accrual, DesignError, Dropout, Effect, SimonDesigns, SingleStageDesign,
    SurvivalDesign, SurvivalSampleSize, TwoProportions, TwoStageDesign, TwoStageInference,
    TwoStageOutcome,
};

/// What to design.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum DesignRequest {
    /// Two arms' survival by the log-rank test.
    Survival {
        /// The design.
        design: SurvivalDesign,
        /// The time unit's plural name ("months") for the sentence; empty for none.
        unit: String,
    },
    /// A single-arm response rate: Simon's two-stage and A'Hern's single-stage designs.
    Response {
        /// The uninteresting rate p₀.
        p0: f64,
        /// The desirable rate p₁.
        p1: f64,
        /// One-sided α.
        alpha: f64,
        /// 1 − power.
        beta: f64,
        /// The largest sample size searched (R clinfun's `nmax`, 100).
        n_max: u32,
        /// After the trial: what it observed, for inference that respects the stopping
        /// rule (on the optimal design, or the minimax one with `minimax`).
        #[cfg_attr(feature = "serde", serde(default))]
        observed: Option<TwoStageOutcome>,
        /// The observed trial followed the minimax design.
        #[cfg_attr(feature = "serde", serde(default))]
        minimax: bool,
    },
    /// Two proportions.
    Proportions {
        /// The control arm's proportion.
        p1: f64,
        /// The treatment arm's.
        p2: f64,
        /// α.
        alpha: f64,
        /// 1 − β.
        power: f64,
        /// 1 or 2.
        sides: u8,
    },
}

/// A point of a curve: (x, y).
pub type Point = (f64, f64);

/// One curve of the figure.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Curve {
    /// Its name in the legend.
    pub label: String,
    /// The points, x increasing.
    #[cfg_attr(feature = "ts", tsify(type = "[number, number][]"))]
    pub points: Vec<Point>,
}

/// The design's numbers, curve and sentence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DesignReport {
    /// Survival: events, patients, duration.
    pub survival: Option<SurvivalSampleSize>,
    /// Response: Simon's designs.
    pub simon: Option<SimonDesigns>,
    /// Response: A'Hern's single-stage design.
    pub single_stage: Option<SingleStageDesign>,
    /// Two proportions.
    pub proportions: Option<TwoProportions>,
    /// Response, after the trial: the P value, the interval and the UMVUE.
    pub inference: Option<TwoStageInference>,
    /// The curves of the figure: power against events or patients, or the probability of
    /// declaring the treatment promising against its true response rate.
    pub curves: Vec<Curve>,
    /// The figure's x axis.
    pub x_label: String,
    /// The figure's y axis.
    pub y_label: String,
    /// The power asked for, drawn as a line across the figure.
    pub target_power: Option<f64>,
    /// Values of x marked on the figure (p₀ and p₁ of a response design).
    pub x_marks: Vec<f64>,
    /// The design for the protocol, in words.
    pub sentence: String,
    /// How the numbers were made, with the R function they equal.
    pub method: String,
}

fn pct(p: f64) -> String {
    let v = 100.0 * p;
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}%")
    } else {
        format!("{v:.1}%")
    }
}

fn alpha_words(alpha: f64, sides: u8) -> String {
    format!(
        "a {}-sided α of {}",
        if sides == 2 { "two" } else { "one" },
        crate::format::num(Some(alpha), if alpha >= 0.01 { 3 } else { 4 })
            .trim_end_matches('0')
            .trim_end_matches('.')
    )
}

/// The design's numbers, a curve and the protocol's sentence.
///
/// # Errors
/// [`DesignError`] naming the input that cannot be used.
pub fn design_report(r: &DesignRequest) -> Result<DesignReport, DesignError> {
    match r {
        DesignRequest::Survival { design, unit } => survival_report(design, unit),
        DesignRequest::Response {
            p0,
            p1,
            alpha,
            beta,
            n_max,
            observed,
            minimax,
        } => response_report(*p0, *p1, *alpha, *beta, *n_max, *observed, *minimax),
        DesignRequest::Proportions {
            p1,
            p2,
            alpha,
            power,
            sides,
        } => proportions_report(*p1, *p2, *alpha, *power, *sides),
    }
}

fn survival_report(d: &SurvivalDesign, unit: &str) -> Result<DesignReport, DesignError> {
    let s = survival_sample_size(d)?;
    let events = s.events.ceil();
    let r = d.allocation_ratio;
    let (n1, n2) = (s.subjects_treatment.ceil(), s.subjects_control.ceil());
    // Power against the number of patients, from a twentieth to twice those needed, at
    // this accrual pattern and follow-up (each n has n P̄ events, P̄ = events/patients).
    let points: Vec<Point> = (1..=40)
        .map(|k| {
            let e = s.events * f64::from(k) / 20.0;
            (
                s.subjects * f64::from(k) / 20.0,
                survival_power(d, e).unwrap_or(f64::NAN),
            )
        })
        .collect();
    let u = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    let t = |x: f64| crate::format::num(Some(x), if x.fract() == 0.0 { 0 } else { 1 });
    let median = |lambda: f64| std::f64::consts::LN_2 / lambda;
    let effect = match d.effect {
        Effect::HazardRatio { .. } => format!("a hazard ratio of {:.2}", s.hazard_ratio),
        Effect::Treatment { .. } => format!(
            "a hazard ratio of {:.2} (median survival {}{u} with treatment against {}{u})",
            s.hazard_ratio,
            t(median(s.lambda_treatment)),
            t(median(s.lambda_control))
        ),
    };
    let accrual = match &d.accrual {
        Accrual::Period {
            boundaries,
            follow_up,
            ..
        } => {
            let a = boundaries[boundaries.len() - 1];
            format!(
                "{} accrual over {}{u} and {}{u} of follow-up after it",
                if boundaries.len() > 2 {
                    "piecewise"
                } else {
                    "uniform"
                },
                t(a),
                t(*follow_up)
            )
        }
        Accrual::Rate {
            boundaries,
            per_time,
        } => format!(
            "{} patients a {} over {}{u}, the analysis then needs {}{u} of follow-up",
            per_time
                .iter()
                .map(|x| crate::format::num(Some(*x), 1))
                .collect::<Vec<_>>()
                .join(" then "),
            unit.trim_end_matches('s').if_empty("unit of time"),
            t(boundaries[boundaries.len() - 1]),
            t(s.follow_up)
        ),
    };
    let dropout = match d.dropout {
        Dropout::None => String::new(),
        Dropout::Proportion {
            treatment,
            control,
            time,
        } => format!(
            ", allowing for {} (treatment) and {} (control) lost to follow-up by {}{u}",
            pct(treatment),
            pct(control),
            t(time)
        ),
        Dropout::Hazard { treatment, control } => format!(
            ", allowing for dropout hazards of {treatment} (treatment) and {control} (control) per {}",
            unit.trim_end_matches('s').if_empty("unit of time")
        ),
    };
    let sentence = format!(
        "To detect {effect} with {} power at {}, {events:.0} events are needed ({}). With exponential survival (median {}{u} in the control arm), {accrual}{dropout}, {:.0} patients are required ({n1:.0} treatment and {n2:.0} control, {}:1), and the analysis is expected {}{u} after the first patient enters.",
        pct(d.power),
        alpha_words(d.alpha, d.sides),
        d.method.name(),
        t(median(s.lambda_control)),
        n1 + n2,
        crate::format::num(Some(r), if r.fract() == 0.0 { 0 } else { 2 }),
        t(s.study_duration),
    );
    let others = format!(
        "Schoenfeld {:.2}, Freedman {:.2}, Hsieh–Freedman {:.2}, Lachin–Foulkes {:.2} events",
        s.events_by_method[0].1,
        s.events_by_method[1].1,
        s.events_by_method[2].1,
        s.events_by_method[3].1
    );
    let method = if d.method == survcalc_stats::design::EventsMethod::LachinFoulkes {
        format!(
            "Number of patients by Lachin and Foulkes (1986), from the variance of the log hazard ratio under the null hypothesis (the pooled hazard in both arms) and under the alternative, with exponential survival and the accrual and dropout given, as R gsDesign nSurv (fixed design) computes it; the events are those the patients are expected to have ({others}); power one-sided as nSurv's."
        )
    } else {
        format!(
            "Number of events by {} ({others}); patients from the probability of an event under exponential survival with the accrual and dropout given, as R rpact getSampleSizeSurvival (fixed design) computes them; power as rpact getPowerSurvival.",
            d.method.name()
        )
    };
    let s_subjects = s.subjects;
    Ok(DesignReport {
        survival: Some(s),
        simon: None,
        single_stage: None,
        proportions: None,
        inference: None,
        curves: vec![Curve {
            label: format!("log-rank test, {}", d.method.name()),
            points,
        }],
        x_label: "Number of patients (same accrual pattern and follow-up)".into(),
        y_label: "Power".into(),
        target_power: Some(d.power),
        x_marks: vec![s_subjects],
        sentence,
        method,
    })
}

trait IfEmpty {
    fn if_empty(&self, other: &str) -> String;
}

impl IfEmpty for str {
    fn if_empty(&self, other: &str) -> String {
        if self.is_empty() {
            other.to_string()
        } else {
            self.to_string()
        }
    }
}

fn stage_words(d: &TwoStageDesign) -> String {
    format!(
        "{} patients in stage 1; if {} or fewer respond the trial stops, otherwise {} more are enrolled ({} in all) and the treatment is considered promising if more than {} respond. The expected sample size under p₀ is {:.1}, with a {} probability of early termination (exact α {:.3}, power {:.3})",
        d.n1,
        d.r1,
        d.n - d.n1,
        d.n,
        d.r,
        d.expected_n0,
        pct((d.pet0 * 100.0).round() / 100.0),
        d.alpha,
        d.power
    )
}

fn response_report(
    p0: f64,
    p1: f64,
    alpha: f64,
    beta: f64,
    n_max: u32,
    observed: Option<TwoStageOutcome>,
    minimax: bool,
) -> Result<DesignReport, DesignError> {
    let s = simon_two_stage(p0, p1, alpha, beta, n_max)?;
    let used = if minimax { &s.minimax } else { &s.optimal };
    let inference = match observed {
        Some(o) => Some(used.inference(o, p0, 0.95)?),
        None => None,
    };
    let after = match (observed, &inference) {
        (Some(o), Some(i)) => format!(
            " After the trial ({} design): {}; {} against p₀ (stage-wise ordering), response rate {} by the unbiased estimate (UMVUE; {} naive), 95% CI {} to {}.",
            if minimax { "minimax" } else { "optimal" },
            match o {
                TwoStageOutcome::Stopped { x1 } => format!("stopped after stage 1 with {x1} of {} responding", used.n1),
                TwoStageOutcome::Completed { x } => format!("{x} of {} responded", used.n),
            },
            crate::format::p_label(i.p_value),
            pct((i.umvue * 1000.0).round() / 1000.0),
            pct((i.naive * 1000.0).round() / 1000.0),
            pct((i.lower * 1000.0).round() / 1000.0),
            pct((i.upper * 1000.0).round() / 1000.0)
        ),
        _ => String::new(),
    };
    let single = ahern_single_stage(p0, p1, alpha, beta, n_max.max(1000)).ok();
    let grid: Vec<f64> = (0..=50).map(|k| f64::from(k) / 50.0).collect();
    let curve = |d: &TwoStageDesign| -> Vec<Point> {
        grid.iter()
            .map(|&p| {
                let v = if p == 0.0 {
                    0.0
                } else if p == 1.0 {
                    1.0
                } else {
                    d.promising_probability(p)
                };
                (p, v)
            })
            .collect()
    };
    let sentence = format!(
        "Simon's optimal two-stage design (p₀ = {}, p₁ = {}, one-sided α = {}, power {}): {}. The minimax design would enrol at most {} ({}/{} in stage 1, {}/{} in all; EN₀ {:.1}).{}",
        pct(p0),
        pct(p1),
        crate::format::num(Some(alpha), 3).trim_end_matches('0').trim_end_matches('.'),
        pct(1.0 - beta),
        stage_words(&s.optimal),
        s.minimax.n,
        s.minimax.r1,
        s.minimax.n1,
        s.minimax.r,
        s.minimax.n,
        s.minimax.expected_n0,
        single.as_ref().map_or(String::new(), |d| format!(
            " A single-stage design (A'Hern) needs {} patients, the treatment promising with {} or more responses.",
            d.n, d.r
        ))
    ) + &after;
    Ok(DesignReport {
        survival: None,
        curves: vec![
            Curve {
                label: format!("optimal ({}/{}, {}/{})", s.optimal.r1, s.optimal.n1, s.optimal.r, s.optimal.n),
                points: curve(&s.optimal),
            },
            Curve {
                label: format!("minimax ({}/{}, {}/{})", s.minimax.r1, s.minimax.n1, s.minimax.r, s.minimax.n),
                points: curve(&s.minimax),
            },
        ],
        simon: Some(s),
        single_stage: single,
        proportions: None,
        inference,
        x_label: "True response rate".into(),
        y_label: "P(declared promising)".into(),
        target_power: None,
        x_marks: vec![p0, p1],
        sentence,
        method: "Simon's (1989) optimal and minimax two-stage designs and A'Hern's (2001) single-stage design, by exact binomial enumeration (as R clinfun ph2simon and ph2single)."
            .into(),
    })
}

fn proportions_report(
    p1: f64,
    p2: f64,
    alpha: f64,
    power: f64,
    sides: u8,
) -> Result<DesignReport, DesignError> {
    let t = two_proportions(p1, p2, alpha, power, sides)?;
    let points = (1..=40)
        .map(|k| {
            let n = t.n * f64::from(k) / 20.0;
            (n, two_proportions_power(n, p1, p2, alpha, sides))
        })
        .collect();
    let sentence = format!(
        "To detect a difference between {} and {} with {} power at {}, {:.0} patients per group are needed (normal approximation, R power.prop.test); with the continuity correction (Fleiss), {:.0} per group, with which Fisher's exact test has {} power.",
        pct(p1),
        pct(p2),
        pct(power),
        alpha_words(alpha, sides),
        t.n.ceil(),
        t.n_corrected.ceil(),
        pct((t.exact_power * 1000.0).round() / 1000.0)
    );
    let t_n = t.n;
    let t_closed = t.n_closed_form;
    Ok(DesignReport {
        survival: None,
        simon: None,
        single_stage: None,
        proportions: Some(t),
        inference: None,
        curves: vec![Curve {
            label: "normal approximation".into(),
            points,
        }],
        x_label: "Patients per group".into(),
        y_label: "Power".into(),
        target_power: Some(power),
        x_marks: vec![t_n],
        sentence,
        method: format!("Sample size per group by the normal approximation of R power.prop.test (solved by R's uniroot; rpact getSampleSizeRates gives the same equation in closed form, {:.4}), with the Fleiss–Tytun–Ury continuity correction; exact power of Fisher's two-sided test by enumeration of every outcome.", t_closed),
    })
}
