//! Planning a trial (issue 17): the events and patients for two arms' survival, Simon's
//! two-stage design for a response rate, or two proportions, computed by the worker
//! (`Job::Design`), with the protocol's sentence and the power curve. Needs no data; the
//! inputs are local to the page (not in share links).

use crate::download::save_text;
use leptos::prelude::*;
use survcalc_core::design::{Accrual, Dropout, Effect, EventsMethod, Hazard, SurvivalDesign};
use survcalc_core::design_report::{DesignReport, DesignRequest};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Survival,
    Response,
    Proportions,
}

/// A number field: its label, test id and text.
#[derive(Clone, Copy)]
struct Field {
    label: &'static str,
    id: &'static str,
    value: RwSignal<String>,
}

fn field(label: &'static str, id: &'static str, default: &str) -> Field {
    Field {
        label,
        id,
        value: RwSignal::new(default.to_string()),
    }
}

fn number(f: &Field) -> Result<f64, String> {
    let v = f.value.get_untracked();
    // A decimal comma is read as a point ("0,05"), as in a table.
    survcalc_core::table::parse_number(&v, true)
        .ok_or_else(|| format!("{}: \u{201c}{}\u{201d} is not a number", f.label, v.trim()))
}

/// A list of numbers ("6, 24" or "6 24"; in a list the decimal mark is a point).
fn numbers(f: &Field) -> Result<Vec<f64>, String> {
    let v = f.value.get_untracked();
    v.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|x| !x.is_empty())
        .map(|x| {
            survcalc_core::table::parse_number(x, false).ok_or_else(|| {
                format!(
                    "{}: \u{201c}{x}\u{201d} is not a number (separate numbers by commas, decimals with a point)",
                    f.label
                )
            })
        })
        .collect()
}

fn input_view(f: Field) -> impl IntoView {
    view! {
        <label for=f.id>{f.label}</label>
        <input id=f.id data-testid=f.id inputmode="decimal"
            prop:value=move || f.value.get()
            on:change=move |ev| f.value.set(event_target_value(&ev)) />
    }
}

/// The design panel.
#[component]
pub fn DesignPanel() -> impl IntoView {
    let client = expect_context::<crate::client::Client>();
    let kind = RwSignal::new(Kind::Survival);
    let hr = field("Hazard ratio (treatment vs control)", "design-hr", "0.7");
    let median = field("Median survival, control arm", "design-median", "12");
    let median1 = field(
        "…or the treatment arm's median instead of the HR",
        "design-median1",
        "",
    );
    let alpha = field(
        "Significance level α (one-sided for a response design)",
        "design-alpha",
        "0.05",
    );
    let power = field("Power", "design-power", "0.8");
    let ratio = field("Allocation ratio (treatment:control)", "design-ratio", "1");
    let accrual = field(
        "Accrual ends at (one period: 24; periods: 6, 24)",
        "design-accrual",
        "24",
    );
    let intensity = field(
        "Accrual intensity per period (relative: 1, 3; empty: uniform)",
        "design-intensity",
        "",
    );
    let rate = RwSignal::new(false);
    let follow = field("Follow-up after accrual", "design-follow-up", "12");
    let dropout = field(
        "Dropout, treatment arm (a proportion, or a hazard as chosen below; 0 for none)",
        "design-dropout",
        "0",
    );
    let dropout_c = field(
        "Dropout, control arm (empty: as treatment)",
        "design-dropout-control",
        "",
    );
    let dropout_time = field(
        "Time by which that proportion is lost",
        "design-dropout-time",
        "12",
    );
    let dropout_hazard = RwSignal::new(false);
    let p0 = field("Uninteresting response rate p₀", "design-p0", "0.2");
    let p1 = field("Desirable response rate p₁", "design-p1", "0.4");
    let observed = field(
        "After the trial: responses (empty before it)",
        "design-observed",
        "",
    );
    let stopped = RwSignal::new(false);
    let q1 = field("Proportion, control", "design-q1", "0.5");
    let q2 = field("Proportion, treatment", "design-q2", "0.75");
    let sides = RwSignal::new(2u8);
    let method = RwSignal::new(EventsMethod::Schoenfeld);
    let unit = RwSignal::new("months".to_string());
    let result = RwSignal::new(None::<Result<(DesignReport, String), String>>);
    let status = RwSignal::new(None::<String>);
    let request = move || -> Result<DesignRequest, String> {
        Ok(match kind.get_untracked() {
            Kind::Survival => {
                let d = number(&dropout)?;
                let dc = if dropout_c.value.get_untracked().trim().is_empty() {
                    d
                } else {
                    number(&dropout_c)?
                };
                let mut boundaries = vec![0.0];
                boundaries.extend(numbers(&accrual)?);
                let periods = boundaries.len() - 1;
                let weights = if intensity.value.get_untracked().trim().is_empty() {
                    vec![1.0; periods]
                } else {
                    numbers(&intensity)?
                };
                if weights.len() != periods {
                    return Err(format!(
                        "{}: give one intensity for each of the {periods} accrual period(s)",
                        intensity.label
                    ));
                }
                DesignRequest::Survival {
                    design: SurvivalDesign {
                        control: Hazard::Median {
                            median: number(&median)?,
                        },
                        effect: if median1.value.get_untracked().trim().is_empty() {
                            Effect::HazardRatio {
                                hazard_ratio: number(&hr)?,
                            }
                        } else {
                            Effect::Treatment {
                                hazard: Hazard::Median {
                                    median: number(&median1)?,
                                },
                            }
                        },
                        alpha: number(&alpha)?,
                        sides: sides.get_untracked(),
                        power: number(&power)?,
                        allocation_ratio: number(&ratio)?,
                        accrual: if rate.get_untracked() {
                            Accrual::Rate {
                                boundaries,
                                per_time: weights,
                            }
                        } else {
                            Accrual::Period {
                                boundaries,
                                intensity: weights,
                                follow_up: number(&follow)?,
                            }
                        },
                        dropout: if d == 0.0 && dc == 0.0 {
                            Dropout::None
                        } else if dropout_hazard.get_untracked() {
                            Dropout::Hazard {
                                treatment: d,
                                control: dc,
                            }
                        } else {
                            Dropout::Proportion {
                                treatment: d,
                                control: dc,
                                time: number(&dropout_time)?,
                            }
                        },
                        method: method.get_untracked(),
                    },
                    unit: unit.get_untracked(),
                }
            }
            Kind::Response => DesignRequest::Response {
                p0: number(&p0)?,
                p1: number(&p1)?,
                alpha: number(&alpha)?,
                beta: 1.0 - number(&power)?,
                n_max: 100,
                observed: if observed.value.get_untracked().trim().is_empty() {
                    None
                } else {
                    let x = number(&observed)?;
                    if x < 0.0 || x.fract() != 0.0 {
                        return Err(format!("{}: a whole number of patients", observed.label));
                    }
                    Some(if stopped.get_untracked() {
                        survcalc_core::design::TwoStageOutcome::Stopped { x1: x as u32 }
                    } else {
                        survcalc_core::design::TwoStageOutcome::Completed { x: x as u32 }
                    })
                },
                minimax: false,
            },
            Kind::Proportions => DesignRequest::Proportions {
                p1: number(&q1)?,
                p2: number(&q2)?,
                alpha: number(&alpha)?,
                power: number(&power)?,
                sides: sides.get_untracked(),
            },
        })
    };
    let compute = move |_| {
        status.set(None);
        match request() {
            Err(e) => result.set(Some(Err(e))),
            Ok(req) => client.design(req, move |r| {
                result.set(Some(r.and_then(|d| {
                    let svg = survcalc_plot::design::design_svg(&d, 5.5)?.svg;
                    Ok((d, svg))
                })));
            }),
        }
    };
    let shown = move |k: Kind| move || kind.get() != k;
    view! {
        <p class="small">"Plan the trial before the data exist: the numbers rpact, PASS or Stata give, with the sentence for the protocol. Nothing here needs your data."</p>
        <div class="grid">
            <label for="design-kind">"Design"</label>
            <select id="design-kind" data-testid="design-kind" on:change=move |ev| {
                kind.set(match event_target_value(&ev).as_str() {
                    "response" => Kind::Response,
                    "proportions" => Kind::Proportions,
                    _ => Kind::Survival,
                });
                if kind.get_untracked() == Kind::Response && power.value.get_untracked() == "0.8" {
                    power.value.set("0.9".into());
                }
                result.set(None);
            }>
                <option value="survival">"Survival, two arms (log-rank test)"</option>
                <option value="response">"Response rate, one arm (Simon two-stage)"</option>
                <option value="proportions">"Two proportions"</option>
            </select>
        <div class="grid-part" class:hidden=shown(Kind::Survival)>
            {input_view(hr)}
            {input_view(median)}
            {input_view(median1)}
            {input_view(ratio)}
            {input_view(accrual)}
            {input_view(intensity)}
            <span></span>
            <label class="check">
                <input type="checkbox" data-testid="design-rate" prop:checked=move || rate.get()
                    on:change=move |ev| rate.set(event_target_checked(&ev)) />
                {move || format!("the intensities are patients per {}: solve the follow-up", unit.get().trim_end_matches('s'))}
            </label>
            <label for=follow.id>{follow.label}</label>
            <input id=follow.id data-testid=follow.id inputmode="decimal"
                prop:disabled=move || rate.get()
                prop:value=move || if rate.get() { "solved".to_string() } else { follow.value.get() }
                on:change=move |ev| follow.value.set(event_target_value(&ev)) />
            {input_view(dropout)}
            {input_view(dropout_c)}
            <label for="design-dropout-kind">"Dropout given as"</label>
            <select id="design-dropout-kind" data-testid="design-dropout-kind"
                on:change=move |ev| dropout_hazard.set(event_target_value(&ev) == "hazard")>
                <option value="proportion">"a proportion lost by a time (rpact)"</option>
                <option value="hazard">"a hazard per unit of time (gsDesign eta)"</option>
            </select>
            <div class="grid-part" class:hidden=move || dropout_hazard.get()>
                {input_view(dropout_time)}
            </div>
            <label for="design-unit">"Time unit"</label>
            <select id="design-unit" data-testid="design-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                {["months", "years", "weeks", "days"].into_iter().map(|u| view! { <option value=u>{u}</option> }).collect_view()}
            </select>
            <label for="design-method">"Events by"</label>
            <select id="design-method" data-testid="design-method" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(m) = EventsMethod::ALL.into_iter().find(|m| m.name() == v) {
                    method.set(m);
                }
            }>
                {EventsMethod::ALL.into_iter().map(|m| view! { <option value=m.name()>{m.name()}</option> }).collect_view()}
            </select>
        </div>
        <div class="grid-part" class:hidden=shown(Kind::Response)>
            {input_view(p0)}
            {input_view(p1)}
            {input_view(observed)}
            <span></span>
            <label class="check">
                <input type="checkbox" data-testid="design-stopped" prop:checked=move || stopped.get()
                    on:change=move |ev| stopped.set(event_target_checked(&ev)) />
                "the trial stopped after stage 1 (responses in stage 1)"
            </label>
        </div>
        <div class="grid-part" class:hidden=shown(Kind::Proportions)>
            {input_view(q1)}
            {input_view(q2)}
        </div>
            {input_view(alpha)}
            <div class="grid-part" class:hidden=move || kind.get() == Kind::Response>
            <label for="design-sides">"Sides"</label>
            <select id="design-sides" data-testid="design-sides"
                on:change=move |ev| sides.set(if event_target_value(&ev) == "1" { 1 } else { 2 })>
                <option value="2">"two-sided"</option>
                <option value="1">"one-sided"</option>
            </select>
            </div>
            {input_view(power)}
        </div>
        <div class="row">
            <button data-testid="design-compute" on:click=compute>"Compute the design"</button>
        </div>
        {move || result.get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="design-error">{e}</p> }.into_any(),
            Ok((d, svg)) => {
                let url = format!(
                    "data:image/svg+xml;charset=utf-8,{}",
                    String::from(js_sys::encode_uri_component(&svg))
                );
                let sentence = d.sentence.clone();
                let numbers = numbers_view(&d, &unit.get_untracked());
                view! {
                    {numbers}
                    <p class="sentences" data-testid="design-sentence">{d.sentence.clone()}</p>
                    <div class="row">
                        <button class="secondary" data-testid="copy-design" on:click=move |_| {
                            let t = sentence.clone();
                            leptos::task::spawn_local(async move {
                                status.set(Some(match crate::paper::copy(t).await {
                                    Ok(()) => "Sentence copied.".to_string(),
                                    Err(e) => format!("Sentence not copied: {e}."),
                                }));
                            });
                        }>"Copy the sentence"</button>
                        <button class="secondary" data-testid="design-svg" on:click=move |_| {
                            status.set(save_text("design.svg", "image/svg+xml", &svg).err());
                        }>"Download the figure (SVG)"</button>
                        <span class="small" role="status">{move || status.get()}</span>
                    </div>
                    <img class="trial-figure" data-testid="design-figure" src=url alt="The design's power curve" style="max-width: 528px" />
                    <p class="method small">{d.method.clone()}</p>
                }.into_any()
            }
        })}
    }
}

fn numbers_view(d: &DesignReport, unit: &str) -> impl IntoView {
    let rows: Vec<(String, String, String)> = if let Some(s) = &d.survival {
        vec![
            (
                "Events".into(),
                format!("{:.0}", s.events.ceil()),
                format!("{:e}", s.events),
            ),
            (
                "Patients".into(),
                format!(
                    "{:.0}",
                    s.subjects_treatment.ceil() + s.subjects_control.ceil()
                ),
                format!("{:e}", s.subjects),
            ),
            (
                "per arm (treatment, control)".into(),
                format!(
                    "{:.0}, {:.0}",
                    s.subjects_treatment.ceil(),
                    s.subjects_control.ceil()
                ),
                String::new(),
            ),
            (
                "Follow-up after accrual".into(),
                format!("{:.1} {unit}", s.follow_up),
                format!("{:e}", s.follow_up),
            ),
            (
                "Analysis expected at".into(),
                format!("{:.1} {unit}", s.study_duration),
                format!("{:e}", s.study_duration),
            ),
        ]
    } else if let Some(s) = &d.simon {
        let row = |name: &str, t: &survcalc_core::design::TwoStageDesign| {
            (
                name.to_string(),
                format!(
                    "{}/{}, {}/{} — EN₀ {:.1}, PET₀ {:.2}",
                    t.r1, t.n1, t.r, t.n, t.expected_n0, t.pet0
                ),
                format!("{} {} {} {}", t.r1, t.n1, t.r, t.n),
            )
        };
        let mut v = vec![
            row("Optimal (r₁/n₁, r/n)", &s.optimal),
            row("Minimax (r₁/n₁, r/n)", &s.minimax),
        ];
        if let Some(a) = &d.single_stage {
            v.push((
                "Single stage (A'Hern)".into(),
                format!("n = {}, promising with ≥ {} responses", a.n, a.r),
                format!("{} {}", a.n, a.r),
            ));
        }
        v
    } else if let Some(p) = &d.proportions {
        vec![
            (
                "Per group (normal approximation)".into(),
                format!("{:.0}", p.n.ceil()),
                format!("{:e}", p.n),
            ),
            (
                "Per group (continuity correction)".into(),
                format!("{:.0}", p.n_corrected.ceil()),
                format!("{:e}", p.n_corrected),
            ),
            (
                format!("Exact power of Fisher's test at {}", p.exact_n),
                format!("{:.3}", p.exact_power),
                format!("{:e}", p.exact_power),
            ),
        ]
    } else {
        Vec::new()
    };
    view! {
        <table class="summary" data-testid="design-numbers">
            <tbody>{rows.into_iter().enumerate().map(|(i, (k, v, exact))| view! {
                <tr><th scope="row">{k}</th><td data-testid=format!("design-value-{i}") data-value=exact>{v}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
}
