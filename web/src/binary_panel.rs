//! Binary endpoints of the report: the response rate per arm with its comparison, and the
//! adverse-event table by arm with a test per event.

use crate::mapping_panel::Choice;
use crate::paper::CopyableSentences;
use crate::state::Session;
use leptos::prelude::*;
use survcalc_core::adverse::{AeLevel, AeTable};
use survcalc_core::format::{num, p_label};
use survcalc_core::report::{ae_sentences, response_sentence};
use survcalc_core::response::ResponseAnalysis;

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn response_view(r: ResponseAnalysis) -> impl IntoView {
    let rows = r
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let p = &a.proportion;
            view! {
                <tr>
                    <th scope="row" title=a.group.clone()>{survcalc_plot::figure_label(&a.group)}</th>
                    <td data-testid=format!("resp-{i}")>{format!("{}/{} ({})", p.x, p.n, pct(p.estimate))}</td>
                    <td>{format!("{}, {}", pct(p.clopper_pearson.lower), pct(p.clopper_pearson.upper))}</td>
                </tr>
            }
        })
        .collect_view();
    let groups = r.groups.clone();
    let comps = r
        .comparisons
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chi = c.chisq_corrected.p_value.map(p_label).unwrap_or_else(|| "NA".into());
            let ci = |x: Option<&survcalc_core::binary::ConfInt>| {
                x.map_or_else(
                    || "CI not defined".to_string(),
                    |ci| format!("95% CI: {}, {}", num(Some(ci.lower), 2), num(Some(ci.upper), 2)),
                )
            };
            // Two odds ratios that answer differently: the sample OR (a·d / b·c) with its
            // Woolf interval, and fisher.test's conditional MLE with its exact interval.
            let sample = format!(
                "odds ratio {} ({}; sample OR, Woolf interval{})",
                num(c.odds_ratio.estimate, 2),
                ci(c.odds_ratio.conf_int.as_ref()),
                if c.odds_ratio.corrected { ", ½ added to each cell" } else { "" }
            );
            let conditional = format!(
                "conditional MLE odds ratio {} (95% CI: {}, {}; exact, as R fisher.test)",
                num(Some(c.fisher.estimate), 2),
                num(Some(c.fisher.conf_int.lower), 2),
                num(Some(c.fisher.conf_int.upper), 2)
            );
            view! {
                <p class="stat small" data-testid=format!("resp-test-{i}") data-value=format!("{:e}", c.fisher.p_value)
                    data-or=c.odds_ratio.estimate.map(|v| format!("{v:e}")).unwrap_or_default()
                    data-or-mle=format!("{:e}", c.fisher.estimate)>
                    {format!(
                        "{} vs {}: Fisher exact {}; chi-square (Yates) {}; risk difference {} (95% CI: {}, {}) (Newcombe); {sample}; {conditional}",
                        survcalc_plot::figure_label(&groups.get(i + 1).cloned().unwrap_or_default()),
                        survcalc_plot::figure_label(&groups.first().cloned().unwrap_or_default()),
                        p_label(c.fisher.p_value),
                        chi,
                        num(Some(100.0 * c.risk_difference.estimate), 1),
                        num(Some(100.0 * c.risk_difference.conf_int.lower), 1),
                        num(Some(100.0 * c.risk_difference.conf_int.upper), 1),
                    )}
                    <span class="method">" — P: R fisher.test, chisq.test(correct = TRUE); risk difference: Newcombe (1998) method 10, in percentage points"</span>
                </p>
            }
        })
        .collect_view();
    let excluded = r.excluded.len();
    view! {
        <h3>{format!("Response ({})", r.outcome)}</h3>
        <p class="small">{format!("n = {} of {} rows ({} excluded). {}.", r.n_used, r.n_rows, excluded, r.coding)}</p>
        <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)"><table class="summary" data-testid="response">
            <thead><tr><th scope="col">"Arm"</th><th scope="col">"Responders"</th><th scope="col">"95% CI"<br/><span class="method">"Clopper–Pearson"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        {comps}
    }
}

fn ae_view(t: AeTable, grades: Option<(u32, u32)>) -> impl IntoView {
    let head = t
        .arms
        .iter()
        .zip(&t.at_risk)
        .map(|(a, n)| view! { <th scope="col" title=a.clone()>{format!("{} (n = {n})", survcalc_plot::figure_label(a))}</th> })
        .collect_view();
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .counts
                .iter()
                .zip(&r.percent)
                .map(|(c, p)| view! { <td>{format!("{c} ({p:.0}%)")}</td> })
                .collect_view();
            // Rows by worst grade sit under their term's row.
            let name = match r.level {
                AeLevel::AllGrades => r.term.clone(),
                AeLevel::Grade(g) => format!("\u{2003}grade {g}"),
                AeLevel::GradeNotRecorded => "\u{2003}grade not recorded".to_string(),
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    {cells}
                    <td data-value=r.p_value.map(|p| format!("{p:e}")).unwrap_or_default()>{r.p_value.map(p_label).unwrap_or_else(|| "NA".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let title = match grades {
        Some((a, b)) if a == b => format!("Adverse events, grade {a}"),
        Some((a, b)) => format!("Adverse events, grade {a}–{b}"),
        None => "Adverse events, any grade".into(),
    };
    view! {
        <h3>{title}</h3>
        <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)"><table class="summary" data-testid="ae-table">
            <thead><tr><th scope="col">"Event"</th>{head}<th scope="col">"P"<br/><span class="method">"Fisher exact"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <p class="method small">{t.method.clone()}</p>
    }
}

/// Most AE column choices put on the page; a table with more columns names the rest in
/// a note (the columns stay choosable by pasting a narrower table).
const AE_CHOICES_SHOWN: usize = 300;

/// The columns of the binary endpoints, by choice: the response column and the values
/// meaning "responder", the adverse-event columns and the name of each term.
#[component]
fn BinaryColumns(session: RwSignal<Session>) -> impl IntoView {
    let columns = move || session.with(Session::columns);
    let candidates = move || {
        session.with(|s| {
            let m = &s.mapping;
            // Not the survival columns of any endpoint, the group, the ID or the dates.
            let mut used: Vec<&str> = [
                Some(m.time.as_str()),
                Some(m.event.as_str()),
                m.group.as_deref(),
                m.id.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            used.extend(
                s.endpoints
                    .iter()
                    .flat_map(|e| [e.time.as_str(), e.event.as_str()]),
            );
            if let Some(d) = &m.dates {
                used.extend([d.start.as_str(), d.end.as_str()]);
            }
            s.columns()
                .into_iter()
                .filter(|c| {
                    !used.contains(&c.as_str()) && s.response.as_deref() != Some(c.as_str())
                })
                .collect::<Vec<_>>()
        })
    };
    let nothing_found = move || {
        session.with(|s| s.table.is_ok() && s.response.is_none() && s.ae_columns.is_empty())
    };
    // Opened when a table has nothing found by name, and left open while the user chooses.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if nothing_found() {
            open.set(true);
        }
    });
    view! {
        <details class="binary-columns" data-testid="binary-columns" open=move || open.get()>
            <summary>"Choose the response and adverse-event columns"</summary>
            {move || nothing_found().then(|| view! {
                <p class="small">"No column is named like a response (response, bor, orr) or an adverse event (ae_…, …_grade). Choose them here."</p>
            })}
            <div class="grid">
                <Choice
                    label="Response column"
                    id="response-col"
                    options=Signal::derive(move || {
                        let mut v = vec![(String::new(), "(none)".to_string())];
                        v.extend(crate::mapping_panel::pairs(columns()));
                        v
                    })
                    current=Signal::derive(move || session.with(|s| s.response.clone().unwrap_or_default()))
                    set=move |v: String| session.update(|s| s.set_response(v))
                />
                <label for="response-values">"Responder values"</label>
                <input id="response-values" data-testid="response-values"
                    placeholder="recognised: 1, yes, CR, PR"
                    prop:value=move || session.with(|s| s.response_values.join(", "))
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        session.update(|s| s.set_response_values(&v));
                    } />
            </div>
            <fieldset class="ae-columns">
                <legend>"Adverse-event columns (0/1 or worst grade per patient) and the name of each term"</legend>
                {move || {
                    let all = candidates();
                    let more = all.len().saturating_sub(AE_CHOICES_SHOWN);
                    let rows = all.into_iter().take(AE_CHOICES_SHOWN).map(|c| {
                        let col = c.clone();
                        let col2 = c.clone();
                        let col3 = c.clone();
                        let on = session.with_untracked(|s| s.ae_columns.contains(&c));
                        let label_id = format!("ae-label-{c}");
                        view! {
                            <div class="ae-choice">
                                <label class="check">
                                    <input type="checkbox" data-testid=format!("ae-col-{c}") prop:checked=on
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            session.update(|s| s.toggle_ae_column(&col, on));
                                        } />
                                    {c.clone()}
                                </label>
                                <Show when=move || session.with(|s| s.ae_columns.contains(&col2))>
                                    <input class="ae-label" aria-label=format!("Name of the term in column {}", col3)
                                        id=label_id.clone() data-testid=format!("ae-label-{}", col3)
                                        prop:value={
                                            let c = col3.clone();
                                            move || session.with(|s| s.ae_label(&c))
                                        }
                                        on:change={
                                            let c = col3.clone();
                                            move |ev| {
                                                let v = event_target_value(&ev);
                                                session.update(|s| s.set_ae_label(&c, &v));
                                            }
                                        } />
                                </Show>
                            </div>
                        }
                    }).collect_view();
                    view! {
                        {rows}
                        {(more > 0).then(|| view! { <p class="small">{format!("… and {more} more columns not listed.")}</p> })}
                    }
                }}
            </fieldset>
        </details>
    }
}

/// The binary-endpoints panel: the columns by choice, the response rate per arm with its
/// comparison, and the adverse-event table.
#[component]
pub fn BinaryPanel(session: RwSignal<Session>) -> impl IntoView {
    let computed = expect_context::<crate::client::Client>().computed;
    let response =
        Memo::new(move |_| computed.with(|c| c.as_ref().and_then(|c| c.response.clone())));
    let ae = Memo::new(move |_| computed.with(|c| c.as_ref().and_then(|c| c.ae.clone())));
    let grades = move || session.with(|s| s.ae_grades);
    let style = move || session.with(|s| s.text_style);
    let sentences = Memo::new(move |_| {
        let st = style();
        let mut v = Vec::new();
        if let Some(Ok(r)) = response.get() {
            v.push(response_sentence(&r, st));
        }
        if let Some(Ok(t)) = ae.get() {
            v.extend(ae_sentences(&t, st));
        }
        v
    });
    view! {
        <BinaryColumns session=session />
        <CopyableSentences sentences=sentences id="binary" />
        {move || response.get().map(|r| match r {
            Ok(r) => response_view(r).into_any(),
            Err(e) => view! { <p class="error" role="alert">{format!("Response: {e}")}</p> }.into_any(),
        })}
        {move || ae.get().map(|t| match t {
            Ok(t) => view! {
                <label for="ae-grades">"Grades counted "</label>
                <select id="ae-grades" data-testid="ae-grades" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    session.update(|s| s.ae_grades = match v.as_str() {
                        "3-4" => Some((3, 4)),
                        "3-5" => Some((3, 5)),
                        _ => None,
                    });
                }>
                    <option value="3-4" prop:selected=move || grades() == Some((3, 4))>"3–4"</option>
                    <option value="3-5" prop:selected=move || grades() == Some((3, 5))>"3–5"</option>
                    <option value="any" prop:selected=move || grades().is_none()>"any grade"</option>
                </select>
                " "
                <label class="check">
                    <input type="checkbox" data-testid="ae-by-grade"
                        prop:checked=move || session.with(|s| s.ae_by_grade)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            session.update(|s| s.ae_by_grade = on);
                        } />
                    "a row per worst grade"
                </label>
                {ae_view(t, grades())}
            }.into_any(),
            Err(e) => view! { <p class="error" role="alert">{format!("Adverse events: {e}")}</p> }.into_any(),
        })}
    }
}
