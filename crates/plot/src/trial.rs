//! The figures of a trial paper, made from the whole trial ([`ReportInput`]): every
//! endpoint's Kaplan–Meier curves side by side (A/B), the cumulative hazards, the forest
//! plot of hazard ratios, the response by arm, and the adverse events' dot-and-bar
//! figure. Each is an [`SvgFigure`] at a printed width, which the page saves as SVG or
//! paints as PNG.

use crate::adverse::{ae_dot_svg, AeDotFigure, AeDotRow, Difference};
use crate::forest::{forest_svg, ForestFigure, ForestRow};
use crate::html::ReportInput;
use crate::response::{bars_svg, Bar, BarFigure};
use crate::sheet::SvgFigure;
use crate::{km_panels_svg, FigureOptions, KmFigure};
use survcalc_core::adverse::{AeLevel, AeTable};
use survcalc_core::binary::{risk_difference, RiskDifferenceMethod, TwoByTwo};
use survcalc_core::format::p_label;
use survcalc_core::response::ResponseAnalysis;

/// A figure of the trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialFigure {
    /// Each endpoint's Kaplan–Meier figure (its own options), side by side, A, B, ….
    KmPanels,
    /// Each endpoint's Nelson–Aalen cumulative hazard with its band, side by side.
    HazardPanels,
    /// Hazard ratios of every endpoint, each arm versus the reference.
    Forest,
    /// The response rate by arm with exact intervals.
    Response,
    /// Adverse events: incidence by arm and the risk difference per term.
    Adverse,
    /// The current endpoint's hazard ratios within subgroups, with the P for interaction.
    Subgroups,
    /// Competing risks: the cumulative incidence of each cause by arm, a panel per cause,
    /// with Gray's test.
    CumulativeIncidence,
}

impl TrialFigure {
    /// Every figure, in the order the page offers them.
    pub const ALL: [TrialFigure; 7] = [
        TrialFigure::KmPanels,
        TrialFigure::HazardPanels,
        TrialFigure::CumulativeIncidence,
        TrialFigure::Forest,
        TrialFigure::Subgroups,
        TrialFigure::Response,
        TrialFigure::Adverse,
    ];

    /// The figure's key (a file name's stem, a menu value).
    pub fn key(self) -> &'static str {
        match self {
            TrialFigure::KmPanels => "kaplan-meier-panels",
            TrialFigure::HazardPanels => "cumulative-hazard",
            TrialFigure::Forest => "forest-hazard-ratios",
            TrialFigure::Response => "response-by-arm",
            TrialFigure::Adverse => "adverse-events-dot-and-bar",
            TrialFigure::Subgroups => "forest-subgroups",
            TrialFigure::CumulativeIncidence => "cumulative-incidence-competing-risks",
        }
    }

    /// The figure's name on the page.
    pub fn label(self) -> &'static str {
        match self {
            TrialFigure::KmPanels => "Kaplan–Meier curves, every endpoint side by side (A, B)",
            TrialFigure::HazardPanels => "Cumulative hazard (Nelson–Aalen), every endpoint",
            TrialFigure::Forest => "Forest plot of hazard ratios",
            TrialFigure::Response => "Response by arm (exact 95% CI)",
            TrialFigure::Adverse => "Adverse events: incidence and risk difference (dot-and-bar)",
            TrialFigure::Subgroups => "Forest plot of subgroups (this endpoint)",
            TrialFigure::CumulativeIncidence => {
                "Cumulative incidence with competing risks (Gray's test)"
            }
        }
    }
}

/// The width of each of `n` panels `width_in` wide together: at least a single column
/// (3.5 in) each, so that a panel's legend and table keep their 9-pt text.
fn panel_width(width_in: f64, n: usize) -> f64 {
    (width_in / n.max(1) as f64).max(3.5)
}

/// Each endpoint's figure, side by side ([`panel_width`]).
fn panels(r: &ReportInput, width_in: f64, hazard: bool) -> Result<SvgFigure, String> {
    if r.endpoints.is_empty() {
        return Err("no endpoint could be analysed".into());
    }
    let each = panel_width(width_in, r.endpoints.len());
    let figs: Vec<KmFigure> = r
        .endpoints
        .iter()
        .map(|e| {
            let mut o = e.figure.clone();
            o.width_in = each;
            if hazard {
                KmFigure::cumulative_hazard(e.analysis, e.x_label.clone(), o)
            } else {
                let mut f = KmFigure::of(e.analysis, e.x_label.clone(), o);
                f.y_label = crate::endpoint_y_title(&e.endpoint, &f.options);
                f
            }
        })
        .collect();
    km_panels_svg(&figs)
}

/// The forest plot's rows: each endpoint's headline HR with two arms (the preset's
/// method), or its Cox model's terms (each arm versus the reference) with more.
pub fn forest_figure(r: &ReportInput, width_in: f64) -> Result<ForestFigure, String> {
    let mut rows = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut level = 0.95;
    for e in &r.endpoints {
        let a = e.analysis;
        if let Some(h) = a.headline_hr() {
            rows.push(ForestRow::hr(
                format!("{}: {} vs {}", e.endpoint, h.group, h.reference),
                h.hr,
                h.lower,
                h.upper,
            ));
            pairs.push((h.group.clone(), h.reference.clone()));
            level = h.conf_level;
            methods.push(h.method.clone());
        } else if let Some(c) = a
            .cox
            .as_ref()
            .filter(|c| c.is_reliable() && c.terms.len() > 1)
        {
            for t in &c.terms {
                rows.push(ForestRow::hr(
                    format!("{}: {} vs {}", e.endpoint, t.level, c.reference),
                    t.hr,
                    t.hr_lower,
                    t.hr_upper,
                ));
                pairs.push((t.level.clone(), c.reference.clone()));
            }
            level = c.options.conf_level;
            methods.push(format!(
                "Cox model, {} ties, Wald CI",
                c.options.ties.name()
            ));
        }
    }
    if rows.is_empty() {
        return Err(
            "no endpoint has a hazard ratio (one group, or the Cox model did not converge)".into(),
        );
    }
    methods.dedup();
    let favours = pairs
        .first()
        .filter(|p| pairs.iter().all(|q| q == *p))
        .cloned();
    Ok(ForestFigure {
        rows,
        conf_level: level,
        favours,
        method: format!("Hazard ratios: {}.", methods.join("; ")),
        width_in,
    })
}

/// The response bars: each arm's proportion with its Clopper–Pearson interval, and the
/// Fisher's exact P.
pub fn response_figure(r: &ResponseAnalysis, width_in: f64) -> BarFigure {
    let bars = r
        .arms
        .iter()
        .map(|a| Bar {
            label: a.group.clone(),
            x: a.proportion.x,
            n: a.proportion.n,
            estimate: a.proportion.estimate,
            lower: a.proportion.clopper_pearson.lower,
            upper: a.proportion.clopper_pearson.upper,
        })
        .collect();
    let p = match (r.comparisons.as_slice(), &r.overall) {
        ([c], _) => Some(c.fisher.p_value),
        (_, Some(o)) => Some(o.p_value),
        _ => None,
    };
    let level = r
        .arms
        .first()
        .map_or(0.95, |a| a.proportion.clopper_pearson.level);
    let words = survcalc_core::report::response_words(&r.outcome);
    let mut title: Vec<char> = words.chars().collect();
    if let Some(c) = title.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    BarFigure {
        bars,
        y_title: format!("{} (%)", title.into_iter().collect::<String>()),
        note: p.map(|p| format!("Fisher's exact test {}", p_label(p))),
        method: format!(
            "Whiskers: {}% CI, exact (Clopper\u{2013}Pearson).",
            survcalc_core::analysis::fmt_level(level)
        ),
        width_in,
    }
}

/// Most terms the adverse-event figure shows (the table keeps them all).
pub const MAX_AE_TERMS: usize = 40;

/// The dot-and-bar figure of the table's terms (all grades within its grade range):
/// each arm's incidence, and each other arm's risk difference from the first with the
/// Newcombe hybrid score interval (95%).
pub fn ae_figure(t: &AeTable, width_in: f64) -> AeDotFigure {
    let level = 0.95;
    let rows = t
        .rows
        .iter()
        .filter(|r| r.level == AeLevel::AllGrades)
        .take(MAX_AE_TERMS)
        .map(|r| {
            let base = (r.counts.first().copied(), r.at_risk.first().copied());
            let differences = (1..t.arms.len())
                .map(|k| {
                    let (Some(x2), Some(n2)) = base else {
                        return None;
                    };
                    let table = TwoByTwo {
                        x1: *r.counts.get(k)?,
                        n1: *r.at_risk.get(k)?,
                        x2,
                        n2,
                    };
                    let d = risk_difference(&table, level, RiskDifferenceMethod::Newcombe).ok()?;
                    Some(Difference {
                        estimate: 100.0 * d.estimate,
                        lower: 100.0 * d.conf_int.lower,
                        upper: 100.0 * d.conf_int.upper,
                    })
                })
                .collect();
            AeDotRow {
                term: r.term.clone(),
                percent: r.percent.clone(),
                differences,
            }
        })
        .collect();
    AeDotFigure {
        arms: t.arms.clone(),
        at_risk: t.at_risk.clone(),
        rows,
        conf_level: level,
        method: format!(
            "Patients with the event at any grade{}; differences with the {}.",
            t.options
                .grades
                .map(|g| if g.min == g.max {
                    format!(" (grade {})", g.min)
                } else {
                    format!(" (grades {}\u{2013}{})", g.min, g.max)
                })
                .unwrap_or_default(),
            RiskDifferenceMethod::Newcombe.name()
        ),
        width_in,
    }
}

/// One figure of the trial at `width_in` inches.
///
/// # Errors
/// A sentence when the trial has nothing for the figure (no response column, no adverse
/// event, a single arm) or plotters fails.
pub fn trial_figure(
    kind: TrialFigure,
    r: &ReportInput,
    width_in: f64,
) -> Result<SvgFigure, String> {
    match kind {
        TrialFigure::KmPanels => panels(r, width_in, false),
        TrialFigure::HazardPanels => panels(r, width_in, true),
        TrialFigure::Forest => forest_svg(&forest_figure(r, width_in)?),
        TrialFigure::Response => match r.response {
            Some(resp) => bars_svg(&response_figure(resp, width_in)),
            None => Err("the trial has no response column (one named response, bor or orr, or chosen under \u{201c}Choose the response and adverse-event columns\u{201d} on the page)".into()),
        },
        TrialFigure::CumulativeIncidence => match r.competing {
            Some(c) if !c.causes.is_empty() => {
                let each = panel_width(width_in, c.causes.len());
                let x_label = r.endpoints.first().map(|e| e.x_label.clone()).unwrap_or_default();
                let figs: Vec<KmFigure> = c
                    .causes
                    .iter()
                    .map(|k| {
                        let o = FigureOptions {
                            width_in: each,
                            ..FigureOptions::default()
                        };
                        KmFigure::cumulative_incidence(c, k.code, x_label.clone(), o)
                    })
                    .collect();
                km_panels_svg(&figs)
            }
            Some(_) => Err("the competing-risks event column has no failure of any cause".into()),
            None => Err("choose the cause-of-failure column first (under \u{201c}Competing risks\u{201d}: 0 = censored, 1, 2, … or words for the causes)".into()),
        },
        TrialFigure::Subgroups => match r.subgroups {
            Some(s) => {
                let arms = s.subgroups.first().map(|a| a.arms.clone()).unwrap_or_default();
                forest_svg(&subgroup_forest(s, &arms, width_in))
            }
            None => Err("name the subgroup variables first (\u{201c}Subgroups\u{201d}: columns, e.g. sex, age:65)".into()),
        },
        TrialFigure::Adverse => match r.ae {
            Some(t) => ae_dot_svg(&ae_figure(t, width_in)),
            None => Err("the trial has no adverse-event column (columns named ae_\u{2026} or \u{2026}_grade, or chosen under \u{201c}Choose the response and adverse-event columns\u{201d} on the page)".into()),
        },
    }
}

/// The forest plot of a subgroup report: "All patients", then each subgroup variable as a
/// heading with its P for interaction (likelihood ratio) and a row per level with its
/// patients and events ("not estimable" where the level's model is not). Two arms: the
/// HR of the second versus the first.
pub fn subgroup_forest(
    r: &survcalc_core::subgroups::SubgroupReport,
    arms: &[String],
    width_in: f64,
) -> ForestFigure {
    let first = |terms: &[survcalc_core::cox::CoxTerm]| {
        terms.first().map_or((f64::NAN, f64::NAN, f64::NAN), |t| {
            (t.hr, t.hr_lower, t.hr_upper)
        })
    };
    let (hr, lo, hi) = first(&r.overall);
    let mut rows = vec![ForestRow::hr("All patients".into(), hr, lo, hi)];
    for s in &r.subgroups {
        let p = s
            .interaction
            .as_ref()
            .map_or("P for interaction not computed".to_string(), |i| {
                format!("interaction {}", p_label(i.likelihood_ratio.p_value))
            });
        rows.push(ForestRow::heading(s.name.clone(), p));
        for l in &s.levels {
            let (hr, lo, hi) = first(&l.terms);
            // Two arms: events/patients per arm, the compared arm first (as the HR);
            // more arms: the level's totals.
            let counts = match (l.events.as_slice(), l.n.as_slice()) {
                ([e0, e1], [n0, n1]) => format!("{e1}/{n1} vs {e0}/{n0}"),
                _ => format!(
                    "{} events / {}",
                    l.events.iter().sum::<usize>(),
                    l.n.iter().sum::<usize>()
                ),
            };
            rows.push(ForestRow::hr(
                format!("\u{2003}{} ({counts})", l.level),
                hr,
                lo,
                hi,
            ));
        }
    }
    let method = match arms {
        [reference, other] => format!(
            "{} Counts are events/patients, {other} vs {reference}.",
            r.method
        ),
        _ => r.method.clone(),
    };
    let favours = match arms {
        [reference, other] => Some((other.clone(), reference.clone())),
        _ => None,
    };
    ForestFigure {
        rows,
        conf_level: 0.95,
        favours,
        method,
        width_in,
    }
}
