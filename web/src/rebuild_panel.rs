//! Patient data rebuilt from a published Kaplan–Meier figure (issue 17, Guyot et al.
//! 2012): each arm's digitised points and numbers at risk pasted (from any digitiser),
//! rebuilt here in the page, checked against what was pasted, and analysed like any file
//! ("Analyse the rebuilt patients" loads them as the data). Nothing leaves the page.

use crate::download::save_text;
use leptos::prelude::*;
use survcalc_core::rebuild::{rebuild, ArmText, Rebuilt};

#[derive(Clone, Copy)]
struct ArmFields {
    name: RwSignal<String>,
    points: RwSignal<String>,
    risk: RwSignal<String>,
    events: RwSignal<String>,
}

fn arm_fields(name: &str) -> ArmFields {
    ArmFields {
        name: RwSignal::new(name.to_string()),
        points: RwSignal::new(String::new()),
        risk: RwSignal::new(String::new()),
        events: RwSignal::new(String::new()),
    }
}

fn arm_view(k: usize, a: ArmFields) -> impl IntoView {
    let id = |what: &str| format!("rebuild-{what}-{k}");
    view! {
        <fieldset class="rebuild-arm">
            <legend>{format!("Arm {}", k + 1)}</legend>
            <div class="grid">
                <label for=id("name")>"Name"</label>
                <input id=id("name") data-testid=id("name") prop:value=move || a.name.get()
                    on:change=move |ev| a.name.set(event_target_value(&ev)) />
                <label for=id("risk")>"Numbers at risk"</label>
                <input id=id("risk") data-testid=id("risk") placeholder="0:120, 3:104, 6:90, …"
                    prop:value=move || a.risk.get() on:change=move |ev| a.risk.set(event_target_value(&ev)) />
                <label for=id("events")>"Total events (if published)"</label>
                <input id=id("events") data-testid=id("events") inputmode="numeric"
                    prop:value=move || a.events.get() on:change=move |ev| a.events.set(event_target_value(&ev)) />
            </div>
            <label for=id("points")>"Points of the curve: time, survival — one per line (from a digitiser such as WebPlotDigitizer)"</label>
            <textarea id=id("points") data-testid=id("points") rows="6" placeholder="0, 1\n1.2, 0.97\n2.5, 0.93\n…"
                prop:value=move || a.points.get() on:change=move |ev| a.points.set(event_target_value(&ev))></textarea>
            <crate::digitiser::ImageDigitiser k=k points=a.points />
        </fieldset>
    }
}

fn accuracy_view(r: &Rebuilt) -> impl IntoView {
    let rows = r
        .arms
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let at_risk = a
                .result
                .at_risk
                .iter()
                .map(|(t, p, g)| format!("{t}: {p}/{g}"))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr>
                    <th scope="row">{a.name.clone()}</th>
                    <td data-testid=format!("rebuild-n-{k}")>{a.result.time.len()}</td>
                    <td data-testid=format!("rebuild-events-{k}")>{a.result.events}</td>
                    <td data-testid=format!("rebuild-max-{k}") data-value=format!("{:e}", a.result.max_abs_diff)>{format!("{:.3}", a.result.max_abs_diff)}</td>
                    <td>{format!("{:.3}", a.result.rms_diff)}</td>
                    <td class="small">{at_risk}</td>
                </tr>
            }
        })
        .collect_view();
    let notes: Vec<String> = r.arms.iter().flat_map(|a| a.notes.clone()).collect();
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label="Accuracy (scrolls sideways on a narrow screen)">
            <table class="summary" data-testid="rebuild-accuracy">
                <thead><tr>
                    <th scope="col">"Arm"</th><th scope="col">"Patients"</th><th scope="col">"Events"</th>
                    <th scope="col">"max |ΔS|"<br/><span class="method">"rebuilt KM vs points"</span></th>
                    <th scope="col">"RMS ΔS"</th>
                    <th scope="col">"At risk: published/rebuilt"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(!notes.is_empty()).then(|| view! {
            <ul class="small" data-testid="rebuild-notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        })}
        <p class="method small">{r.method.clone()}</p>
    }
}

/// The reconstruction panel.
#[component]
pub fn RebuildPanel() -> impl IntoView {
    let client = expect_context::<crate::client::Client>();
    let arms = [arm_fields("Control"), arm_fields("Experimental")];
    let result = RwSignal::new(None::<Result<Rebuilt, String>>);
    let status = RwSignal::new(None::<String>);
    let go = move |_| {
        let texts: Result<Vec<ArmText>, String> = arms
            .iter()
            .map(|a| {
                let e = a.events.get_untracked();
                let total_events = match e.trim() {
                    "" => None,
                    v => Some(v.parse::<u64>().map_err(|_| {
                        format!(
                            "{}: the total events \u{201c}{v}\u{201d} is not a whole number",
                            a.name.get_untracked()
                        )
                    })?),
                };
                Ok(ArmText {
                    name: a.name.get_untracked(),
                    points: a.points.get_untracked(),
                    risk: a.risk.get_untracked(),
                    total_events,
                })
            })
            .collect();
        result.set(Some(texts.and_then(|t| rebuild(&t))));
    };
    view! {
        <p class="small">
            "Check or pool a published trial from its Kaplan–Meier figure (Guyot et al. 2012): paste each arm's points, read off the curve with a digitiser, "
            "and the numbers at risk printed under it. The patients are rebuilt here, in your browser; then analyse them like any file."
        </p>
        {arms.into_iter().enumerate().map(|(k, a)| arm_view(k, a)).collect_view()}
        <div class="row">
            <button data-testid="rebuild-go" on:click=go>"Rebuild the patients"</button>
        </div>
        {move || result.get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="rebuild-error">{e}</p> }.into_any(),
            Ok(r) => {
                let csv = r.csv.clone();
                let csv2 = r.csv.clone();
                view! {
                    {accuracy_view(&r)}
                    <div class="row">
                        <button data-testid="rebuild-analyse" on:click=move |_| {
                            client.load_by_user(
                                "patients rebuilt from a published curve",
                                js_sys::Uint8Array::from(csv.as_bytes()).into(),
                                false,
                            );
                        }>"Analyse the rebuilt patients"</button>
                        <button class="secondary" data-testid="rebuild-csv" on:click=move |_| {
                            status.set(save_text("rebuilt-patients.csv", "text/csv", &csv2).err());
                        }>"Download them (CSV)"</button>
                        <span class="small" role="status">{move || status.get()}</span>
                    </div>
                }.into_any()
            }
        })}
    }
}
