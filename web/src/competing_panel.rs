//! Competing risks on the page: the column coding the cause of failure, the cause of
//! interest, and for each cause the cumulative incidence at the landmark times by arm
//! (with its interval and the numbers at risk), Gray's test, and the Fine–Gray
//! subdistribution hazard ratio beside the cause-specific one, with the sentences and
//! the methods. The figure is under "Figures of the trial".

use crate::mapping_panel::Choice;
use crate::paper::CopyableSentences;
use crate::state::Session;
use leptos::prelude::*;
use survcalc_core::competing_risks::{competing_sentences, CompetingAnalysis};
use survcalc_core::format::p_label;

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "NA".into(), |v| format!("{:.1}", 100.0 * v))
}

fn ratio(hr: f64, lo: f64, hi: f64) -> String {
    format!("{hr:.2} ({lo:.2}, {hi:.2})")
}

fn analysis_view(a: CompetingAnalysis, unit: String) -> impl IntoView {
    let level = survcalc_core::analysis::fmt_level(a.conf_level);
    let reference = a.groups.first().cloned().unwrap_or_default();
    let causes = a.causes.clone();
    let per_cause = causes
        .into_iter()
        .enumerate()
        .map(|(ci, cause)| {
            let rows = a
                .landmarks
                .iter()
                .filter(|l| l.cause == cause.code)
                .map(|l| {
                    view! {
                        <tr>
                            <th scope="row" title=l.group.clone()>{survcalc_plot::figure_label(&l.group)}</th>
                            <td>{format!("{}", l.time)}</td>
                            <td data-value=l.estimate.map(|v| format!("{v:e}")).unwrap_or_default()>{pct(l.estimate)}</td>
                            <td>{match (l.lower, l.upper) {
                                (Some(lo), Some(hi)) => format!("{}, {}", pct(Some(lo)), pct(Some(hi))),
                                _ => "—".into(),
                            }}</td>
                            <td data-value=l.variance_ij.map(|v| format!("{:e}", v.sqrt())).unwrap_or_default()>{format!(
                                "{} / {}",
                                pct(l.variance.map(f64::sqrt)),
                                pct(l.variance_ij.map(f64::sqrt))
                            )}</td>
                            <td>{l.n_risk}</td>
                        </tr>
                    }
                })
                .collect_view();
            let gray = a.tests.iter().find(|t| t.cause == cause.code).map(|t| {
                view! {
                    <li data-testid=format!("gray-{ci}") data-value=t.p_value.map(|p| format!("{p:e}")).unwrap_or_default()>
                        {format!(
                            "Gray's test: χ² {} on {} df, {}",
                            t.statistic.map_or_else(|| "NA".into(), |s| format!("{s:.3}")),
                            t.df,
                            t.p_value.map_or_else(|| "P not defined".into(), p_label)
                        )}
                        <span class="method">" — cmprsk::cuminc, ρ = 0"</span>
                    </li>
                }
            });
            let models = a.models.iter().find(|m| m.cause == cause.code).map(|m| {
                let fg = match (&m.fine_gray, &m.fine_gray_note) {
                    (Some(f), _) => f
                        .terms
                        .iter()
                        .map(|t| view! {
                            <li data-testid=format!("fine-gray-{ci}") data-value=format!("{:e}", t.shr)>
                                {format!("Subdistribution HR, {} vs {}: {} — {}", t.name, reference, ratio(t.shr, t.lower, t.upper), p_label(t.p_value))}
                                <span class="method">{format!(" — Fine–Gray (cmprsk::crr), {level}% CI, sandwich variance")}</span>
                            </li>
                        })
                        .collect_view()
                        .into_any(),
                    (None, Some(n)) => view! { <li>{format!("Subdistribution HR (Fine–Gray): {n}")}</li> }.into_any(),
                    (None, None) => ().into_any(),
                };
                let cs = m
                    .cause_specific
                    .iter()
                    .map(|t| view! {
                        <li data-testid=format!("cause-specific-{ci}") data-value=format!("{:e}", t.hr)>
                            {format!("Cause-specific HR, {} vs {}: {} — {}", t.level, reference, ratio(t.hr, t.hr_lower, t.hr_upper), p_label(t.p_value))}
                            <span class="method">" — Cox, other causes censored (survival::coxph, Efron ties)"</span>
                        </li>
                    })
                    .collect_view();
                let cs_note = m
                    .cause_specific_note
                    .clone()
                    .map(|n| view! { <li>{format!("Cause-specific HR (Cox): {n}")}</li> });
                view! { {fg}{cs}{cs_note} }
            });
            view! {
                <h3>{format!("{} (code {})", cause.label, cause.code)}</h3>
                <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)">
                    <table class="summary" data-testid=format!("cif-table-{ci}")>
                        <thead><tr>
                            <th scope="col">"Arm"</th>
                            <th scope="col">{format!("Time{unit}")}</th>
                            <th scope="col">"Cumulative incidence, %"<br/><span class="method">"Aalen–Johansen"</span></th>
                            <th scope="col">{format!("{level}% CI")}<br/><span class="method">"log(−log), cmprsk variance"</span></th>
                            <th scope="col">"SE, %"<br/><span class="method">"cmprsk / survfit IJ"</span></th>
                            <th scope="col">"At risk"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <ul class="stat small">{gray}{models}</ul>
            }
        })
        .collect_view();
    let excluded = a.excluded.len();
    let first_excluded = a.excluded.first().map(|e| e.to_string());
    let method = a.method.clone();
    view! {
        <p class="small">{format!(
            "n = {} of {} rows ({excluded} excluded). Causes: {}.",
            a.n_used,
            a.n_rows,
            a.causes.iter().map(|c| format!("{} = {}", c.code, c.label)).collect::<Vec<_>>().join(", ")
        )}</p>
        {first_excluded.map(|e| view! { <p class="small" data-testid="competing-excluded">{format!("First row left out: {e}")}</p> })}
        {per_cause}
        <p class="method small" data-testid="competing-method">{method}</p>
    }
}

/// The competing-risks panel.
#[component]
pub fn CompetingPanel(session: RwSignal<Session>) -> impl IntoView {
    let computed = expect_context::<crate::client::Client>().computed;
    let analysis =
        Memo::new(move |_| computed.with(|c| c.as_ref().and_then(|c| c.competing.clone())));
    let style = move || session.with(|s| s.text_style);
    let unit = move || {
        session.with(|s| {
            let u = s.mapping.analysis_unit();
            let w = survcalc_plot::time_axis_title(u);
            // "Time (months)" → " (months)" for the column, "-month" for sentences.
            (
                w.strip_prefix("Time").unwrap_or("").to_string(),
                u.map(|u| format!("-{}", u.name().trim_end_matches('s')))
                    .unwrap_or_default(),
            )
        })
    };
    let sentences = Memo::new(move |_| match analysis.get() {
        Some(Ok(a)) => competing_sentences(&a, &unit().1, style()),
        _ => Vec::new(),
    });
    view! {
        <p class="small">
            "When patients can fail from more than one cause (progression, and death without progression), "
            "1 − Kaplan–Meier of one cause overstates its incidence. Choose the column that codes the cause: "
            "0 = censored, 1, 2, … = causes (or words such as progression, death)."
        </p>
        <div class="grid">
            <Choice
                label="Cause of failure column"
                id="competing-event"
                options=Signal::derive(move || {
                    let mut v = vec![(String::new(), "(none)".to_string())];
                    v.extend(session.with(|s| s.columns()).into_iter().map(|c| (c.clone(), c)));
                    v
                })
                current=Signal::derive(move || session.with(|s| s.competing_event.clone().unwrap_or_default()))
                set=move |v: String| session.update(|s| {
                    s.competing_event = (!v.is_empty()).then_some(v);
                    s.competing_cause = None;
                })
            />
            <Show when=move || matches!(analysis.get(), Some(Ok(_)))>
                <Choice
                    label="Cause of interest"
                    id="competing-cause"
                    options=Signal::derive(move || match analysis.get() {
                        Some(Ok(a)) => {
                            let mut c = a.causes.clone();
                            c.sort_by_key(|c| c.code);
                            c.into_iter().map(|c| (c.code.to_string(), format!("{} ({})", c.label, c.code))).collect()
                        }
                        _ => Vec::new(),
                    })
                    current=Signal::derive(move || match analysis.get() {
                        Some(Ok(a)) => a.causes.first().map(|c| c.code.to_string()).unwrap_or_default(),
                        _ => String::new(),
                    })
                    set=move |v: String| session.update(|s| s.competing_cause = Some(v))
                />
            </Show>
        </div>
        <CopyableSentences sentences=sentences id="competing" />
        {move || analysis.get().map(|r| match r {
            Ok(a) => analysis_view(a, unit().0).into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="competing-error">{format!("Competing risks: {e}")}</p> }.into_any(),
        })}
    }
}
