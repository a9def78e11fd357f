//! "For the paper": journal-style sentences and the summary table, each copyable, and the
//! CSV exports (the results in long form and the Kaplan–Meier tables, full precision).
//! The text comes from `survcalc_core::report`; this file only shows and copies it.

use crate::download::{save_png, save_text};
use crate::mapping_panel::Choice;
use crate::state::{Outcome, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use survcalc_core::report::{
    km_table_csv, methods_paragraph, sentences, summary_table, tsv, CiStyle, PStyle,
};
use survcalc_core::trial::{abstract_paragraph, consort_line, trial_results_csv, trial_sentences};
use survcalc_plot::html::{report_html, EndpointSection, ReportInput};
use survcalc_plot::trial::{trial_figure, TrialFigure};
use survcalc_plot::PRINT_WIDTHS;
use wasm_bindgen::JsCast;

/// Today's date in the user's calendar, ISO 8601 (from the browser's clock).
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Copies `text` to the clipboard (the page asks nothing of the network).
pub(crate) async fn copy(text: String) -> Result<(), String> {
    let navigator =
        js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).map_err(|_| "no navigator")?;
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or("this browser gives no clipboard here (it needs https or localhost)")?;
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("this browser cannot write text to the clipboard")?;
    let promise = write
        .call1(&clipboard, &text.into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or("the clipboard refused the text")?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "the clipboard refused the text (allow clipboard access, or select the text and copy it)".to_string())
}

fn p_name(p: PStyle) -> (&'static str, &'static str) {
    match p {
        PStyle::Journal => ("journal", "P < .001, P = .03"),
        PStyle::LeadingZero => ("zero", "P < 0.001, P = 0.03"),
    }
}

fn ci_name(c: CiStyle) -> (&'static str, &'static str) {
    match c {
        CiStyle::ColonComma => ("colon", "(95% CI: 4.4, 8.6)"),
        CiStyle::To => ("to", "(95% CI, 4.4 to 8.6)"),
        CiStyle::Dash => ("dash", "(95% CI 4.4–8.6)"),
    }
}

/// Whether the data's source is a file's name (the R script then opens it) rather than
/// pasted text or the built-in example.
fn is_data_file(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    [".csv", ".tsv", ".txt", ".tab", ".xlsx", ".xls", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The endpoint's short name for sentences: "OS", "PFS", or "survival".
fn endpoint_name(s: &Session) -> String {
    survcalc_core::mapping::endpoint_name(&s.endpoints, &s.mapping)
}

/// What a button of the trial's figures does once the figure is drawn.
#[derive(Clone, Copy)]
enum FigureAction {
    /// Show it on the page.
    Show,
    /// Save it as SVG.
    Svg,
    /// Save it as PNG at this many dots per inch.
    Png(f64),
}

/// What to do with the whole trial's report input once every endpoint is analysed.
type WithReport = Box<dyn FnOnce(&ReportInput) -> Result<(), String>>;

/// The panel.
#[component]
pub fn Paper(session: RwSignal<Session>, outcome: Memo<Outcome>) -> impl IntoView {
    let client = expect_context::<crate::client::Client>();
    let status = RwSignal::new(None::<String>);
    let style = move || session.with(|s| s.text_style);
    let text = Memo::new(move |_| {
        let st = style();
        let name = session.with(endpoint_name);
        outcome.with(|o| {
            o.as_ref().ok().map(|a| {
                (
                    sentences(a, &name, st),
                    summary_table(a, st),
                    methods_paragraph(a),
                )
            })
        })
    });
    let copy_with = move |what: &'static str, content: String| {
        spawn_local(async move {
            status.set(Some(match copy(content).await {
                Ok(()) => format!("{what} copied."),
                Err(e) => format!("{what} not copied: {e}."),
            }));
        });
    };
    let include_data = RwSignal::new(false);
    // The whole trial's abstract paragraph and CONSORT line, once asked for.
    let summary = RwSignal::new(None::<(String, String)>);
    // Asks the worker for every endpoint, then hands the trial's parts to `then`.
    let with_trial = move |then: WithReport, data: Option<String>| {
        session.with_untracked(|s| {
            let source = s.source.clone();
            let reading = s.reading().map(|(r, _)| r).unwrap_or_default();
            // Each endpoint's figure options, as they are when the report is asked for.
            let figures = s.figure_book();
            let style = s.text_style;
            client.trial(s, move |t| {
                let ok: Vec<(String, survcalc_core::Mapping, &survcalc_core::Analysis)> = t
                    .parts
                    .iter()
                    .filter_map(|p| {
                        p.outcome
                            .as_ref()
                            .ok()
                            .map(|a| (p.name.clone(), p.mapping.clone(), a))
                    })
                    .collect();
                let response = t.current.response.as_ref().and_then(|r| r.as_ref().ok());
                let ae = t.current.ae.as_ref().and_then(|r| r.as_ref().ok());
                let generated = today();
                let input = ReportInput {
                    endpoints: ok
                        .iter()
                        .map(|(name, m, a)| EndpointSection {
                            analysis: a,
                            endpoint: name.clone(),
                            columns: m.roles(),
                            x_label: survcalc_plot::time_axis_title(m.analysis_unit()),
                            figure: figures.figure_for(m),
                        })
                        .collect(),
                    source: &source,
                    reading: &reading,
                    style,
                    generated: &generated,
                    response,
                    ae,
                    data_csv: data.as_deref(),
                    subgroups: t.subgroups.as_ref().and_then(|r| r.as_ref().ok()),
                    competing: t.competing.as_ref().and_then(|r| r.as_ref().ok()),
                };
                let mut failed: Vec<String> = t
                    .parts
                    .iter()
                    .filter_map(|p| p.outcome.as_ref().err().map(|e| format!("{}: {e}", p.name)))
                    .collect();
                if let Some(Err(e)) = &t.subgroups {
                    failed.push(format!("subgroups: {e}"));
                }
                if let Some(Err(e)) = &t.competing {
                    failed.push(format!("competing risks: {e}"));
                }
                let r = then(&input);
                status.set(match (r, failed.is_empty()) {
                    (Err(e), true) => Some(e),
                    (Err(e), false) => Some(format!(
                        "{e}. Could not be analysed: {}.",
                        failed.join("; ")
                    )),
                    (Ok(()), false) => Some(format!(
                        "Left out (could not be analysed): {}.",
                        failed.join("; ")
                    )),
                    (Ok(()), true) => None,
                });
            });
        });
    };
    // Builds and saves the HTML report of the whole trial (with the data when given).
    let save_report = move |data: Option<String>| {
        with_trial(
            Box::new(|r| {
                let html = report_html(r)?;
                save_text("survcalc-report.html", "text/html", &html)
            }),
            data,
        );
    };
    // The figures of the trial: which, how wide, and the last one drawn (a data: URL of
    // its SVG, its name, its width in CSS pixels) — local to the page, not in links.
    let figure_kind = RwSignal::new(TrialFigure::KmPanels);
    let figure_width = RwSignal::new(7.2);
    let preview = RwSignal::new(None::<(String, String, u32)>);
    // The subgroup table (with its CSV) shown under the subgroup forest plot.
    let subgroup_rows = RwSignal::new(None::<(Vec<Vec<String>>, String)>);
    let with_figure = move |action: FigureAction| {
        let (kind, width) = (figure_kind.get_untracked(), figure_width.get_untracked());
        with_trial(
            Box::new(move |r| {
                let f = trial_figure(kind, r, width)?;
                let url = format!(
                    "data:image/svg+xml;charset=utf-8,{}",
                    String::from(js_sys::encode_uri_component(&f.svg))
                );
                preview.set(Some((url, kind.label().to_string(), f.width)));
                subgroup_rows.set(r.subgroups.filter(|_| kind == TrialFigure::Subgroups).map(
                    |sg| {
                        let style = r.style;
                        (
                            survcalc_core::subgroups::subgroup_table(sg, style),
                            survcalc_core::subgroups::subgroup_csv(sg, style),
                        )
                    },
                ));
                match action {
                    FigureAction::Show => Ok(()),
                    FigureAction::Svg => {
                        save_text(&format!("{}.svg", kind.key()), "image/svg+xml", &f.svg)
                    }
                    FigureAction::Png(dpi) => {
                        spawn_local(async move {
                            let r =
                                save_png(kind.key(), f.svg, (f.width, f.height), f.width_in, dpi)
                                    .await;
                            if let Err(e) = r {
                                status.set(Some(e));
                            }
                        });
                        Ok(())
                    }
                }
            }),
            None,
        );
    };
    // The full Kaplan–Meier table: made here, or by the worker when the page holds the
    // analysis thinned for drawing.
    let save_km_csv = move || {
        let name = "kaplan-meier-table.csv";
        let thinned = outcome.with_untracked(|o| match o {
            Ok(a) if a.drawing.is_none() => {
                status.set(save_text(name, "text/csv", &km_table_csv(a)).err());
                false
            }
            Ok(_) => true,
            Err(_) => false,
        });
        if thinned {
            client.km_csv(move |csv| status.set(save_text(name, "text/csv", &csv).err()));
        }
    };
    view! {
        <Show when=move || text.with(Option::is_some)>
            <section class="paper" aria-labelledby="paper-h">
                <h3 id="paper-h">"For the paper"</h3>
                <div class="grid">
                    <Choice
                        label="P values"
                        id="p-style"
                        options=Signal::derive(|| PStyle::ALL.into_iter().map(|p| { let (k, t) = p_name(p); (k.to_string(), t.to_string()) }).collect::<Vec<_>>())
                        current=Signal::derive(move || p_name(style().p).0.to_string())
                        set=move |v: String| {
                            if let Some(p) = PStyle::ALL.into_iter().find(|p| p_name(*p).0 == v) {
                                session.update(|s| s.text_style.p = p);
                            }
                        }
                    />
                    <Choice
                        label="Confidence intervals"
                        id="ci-style"
                        options=Signal::derive(|| CiStyle::ALL.into_iter().map(|c| { let (k, t) = ci_name(c); (k.to_string(), t.to_string()) }).collect::<Vec<_>>())
                        current=Signal::derive(move || ci_name(style().ci).0.to_string())
                        set=move |v: String| {
                            if let Some(c) = CiStyle::ALL.into_iter().find(|c| ci_name(*c).0 == v) {
                                session.update(|s| s.text_style.ci = c);
                            }
                        }
                    />
                </div>
                <div class="sentences" data-testid="sentences">
                    {move || text.get().map(|(s, _, _)| s.into_iter().map(|p| view! { <p>{on_page(&p)}</p> }).collect_view())}
                </div>
                <p class="method small">
                    "P in the sentence is the test of the curves shown above; the hazard ratio is the headline one, with its method named there."
                </p>
                <div class="row">
                    <button class="secondary" data-testid="trial-summary" on:click=move |_| {
                        with_trial(Box::new(move |r| {
                            let style = session.with_untracked(|s| s.text_style);
                            let t = r.trial();
                            summary.set(Some((abstract_paragraph(&t, style), consort_line(&t))));
                            Ok(())
                        }), None);
                    }>"Abstract paragraph for the whole trial"</button>
                </div>
                {move || summary.get().map(|(abs, consort)| view! {
                    <div class="trial-summary">
                        <p data-testid="abstract">{on_page(&abs)}</p>
                        <p class="small" data-testid="consort">{consort}</p>
                        <button class="secondary" data-testid="copy-abstract" on:click=move |_| copy_with("Abstract paragraph", abs.clone())>"Copy paragraph"</button>
                    </div>
                })}
                <div class="row">
                    <button data-testid="copy-sentences" on:click=move |_| {
                        with_trial(Box::new(move |r| {
                            let style = session.with_untracked(|s| s.text_style);
                            copy_with("Sentences of the whole trial", trial_sentences(&r.trial(), style).join(" "));
                            Ok(())
                        }), None);
                    }>"Copy sentences (whole trial)"</button>
                    <button class="secondary" data-testid="copy-table" on:click=move |_| {
                        let t = text.get_untracked().map(|(_, rows, _)| tsv(&rows)).unwrap_or_default();
                        copy_with("Table", t);
                    }>"Copy table"</button>
                    <button class="secondary" data-testid="save-results-csv" on:click=move |_| {
                        with_trial(Box::new(|r| save_text("results.csv", "text/csv", &trial_results_csv(&r.trial()))), None);
                    }>
                        "Download results (CSV, whole trial)"
                    </button>
                    <button class="secondary" data-testid="save-report" on:click=move |_| {
                        if include_data.get_untracked() {
                            client.data_csv(move |csv| save_report(Some(csv)));
                        } else {
                            save_report(None);
                        }
                    }>
                        "Download report (HTML, whole trial)"
                    </button>
                    <label class="check">
                        <input type="checkbox" data-testid="report-include-data" prop:checked=move || include_data.get()
                            on:change=move |ev| include_data.set(event_target_checked(&ev)) />
                        "with the data in it"
                    </label>
                    <button class="secondary" data-testid="save-km-csv" on:click=move |_| save_km_csv()>
                        "Download KM table (CSV)"
                    </button>
                    <button class="secondary" data-testid="save-r-script"
                        title="An R script that recomputes every number of the report with R's survival package, with these settings"
                        on:click=move |_| {
                        let s = session.get_untracked();
                        // A file the user has is opened by its name; pasted text and the
                        // example travel inside the script.
                        let file = is_data_file(&s.source).then(|| s.source.clone());
                        let name = survcalc_core::rscript::script_name(file.as_deref().unwrap_or("data.csv"));
                        client.r_script(&s, file, false, move |r| {
                            status.set(match r {
                                Ok(text) => save_text(&name, "text/plain", &text).err(),
                                Err(e) => Some(format!("The R script could not be written: {e}")),
                            });
                        });
                    }>
                        "Reproduce in R (script)"
                    </button>
                    <button class="secondary" data-testid="save-sas-script"
                        class:hidden=move || session.with(|s| s.options.convention != survcalc_core::Convention::Sas)
                        title="A SAS program (PROC LIFETEST, PHREG, FREQ) with these settings"
                        on:click=move |_| {
                        let s = session.get_untracked();
                        let file = is_data_file(&s.source).then(|| s.source.clone());
                        let stem = file.as_deref().unwrap_or("data.csv");
                        let name = format!("{}-survcalc.sas", stem.rsplit_once('.').map_or(stem, |(a, _)| a));
                        client.r_script(&s, file, true, move |r| {
                            status.set(match r {
                                Ok(text) => save_text(&name, "text/plain", &text).err(),
                                Err(e) => Some(format!("The SAS program could not be written: {e}")),
                            });
                        });
                    }>
                        "Reproduce in SAS (program)"
                    </button>
                </div>
                <h4>"Figures of the trial"</h4>
                <div class="grid">
                    <label for="trial-figure">"Figure"</label>
                    <select id="trial-figure" data-testid="trial-figure" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = TrialFigure::ALL.into_iter().find(|k| k.key() == v) {
                            figure_kind.set(k);
                            preview.set(None);
                        }
                    }>
                        {TrialFigure::ALL.into_iter().map(|k| view! {
                            <option value=k.key() prop:selected=move || figure_kind.get() == k>{k.label()}</option>
                        }).collect_view()}
                    </select>
                    <label for="trial-figure-width">"Printed width"</label>
                    <select id="trial-figure-width" data-testid="trial-figure-width" on:change=move |ev| {
                        if let Ok(w) = event_target_value(&ev).parse::<f64>() {
                            figure_width.set(w);
                            preview.set(None);
                        }
                    }>
                        {PRINT_WIDTHS.into_iter().map(|(w, label)| view! {
                            <option value=w.to_string() prop:selected=move || (figure_width.get() - w).abs() < 1e-9>{label}</option>
                        }).collect_view()}
                    </select>
                    <label for="subgroups">"Subgroups"</label>
                    <input id="subgroups" data-testid="subgroups"
                        placeholder="columns, e.g. sex, age:65 (cut at 65), ecog! (prespecified)"
                        prop:value=move || session.with(|s| s.subgroups.clone())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            session.update(|s| s.subgroups = v);
                            preview.set(None);
                        } />
                </div>
                {move || session.with(|s| s.options.strata.clone()).map(|st| view! {
                    <label class="check">
                        <input type="checkbox" data-testid="subgroups-stratified"
                            prop:checked=move || session.with(|s| !s.subgroups_unstratified)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                session.update(|s| s.subgroups_unstratified = !on);
                                preview.set(None);
                                subgroup_rows.set(None);
                            } />
                        {format!("subgroup models stratified by {st}, as the primary analysis")}
                    </label>
                })}
                {move || session.with(|s| s.subgroup_specs().err()).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="row">
                    <button data-testid="trial-figure-show" on:click=move |_| with_figure(FigureAction::Show)>"Show"</button>
                    <button class="secondary" data-testid="trial-figure-svg" on:click=move |_| with_figure(FigureAction::Svg)>"Download SVG"</button>
                    <button class="secondary" data-testid="trial-figure-png" on:click=move |_| with_figure(FigureAction::Png(300.0))>"PNG (300 dpi)"</button>
                    <button class="secondary" data-testid="trial-figure-png-600" on:click=move |_| with_figure(FigureAction::Png(600.0))>"PNG (600 dpi)"</button>
                </div>
                {move || preview.get().map(|(url, label, w)| view! {
                    <img class="trial-figure" data-testid="trial-figure-preview" src=url alt=label style=format!("max-width: {w}px") />
                })}
                {move || subgroup_rows.get().map(|(rows, csv)| {
                    let copied = tsv(&rows);
                    let mut it = rows.into_iter();
                    let head = it.next().unwrap_or_default();
                    view! {
                        <div class="table-wrap" tabindex="0" role="group" aria-label="Subgroup table (scrolls sideways on a narrow screen)">
                            <table class="summary" data-testid="subgroup-table">
                                <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                                <tbody>{it.map(|r| view! {
                                    <tr>{r.into_iter().map(|c| view! { <td>{on_page(&c)}</td> }).collect_view()}</tr>
                                }).collect_view()}</tbody>
                            </table>
                        </div>
                        <div class="row">
                            <button class="secondary" data-testid="copy-subgroup-table" on:click=move |_| copy_with("Subgroup table", copied.clone())>"Copy subgroup table"</button>
                            <button class="secondary" data-testid="save-subgroup-csv" on:click=move |_| {
                                status.set(save_text("subgroups.csv", "text/csv", &csv).err());
                            }>"Subgroup table (CSV)"</button>
                        </div>
                    }
                })}
                <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)">
                    <table class="summary" data-testid="paper-table">
                        {move || text.get().map(|(_, rows, _)| {
                            let mut it = rows.into_iter();
                            let head = it.next().unwrap_or_default();
                            view! {
                                <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{survcalc_plot::figure_label(&h)}</th> }).collect_view()}</tr></thead>
                                <tbody>
                                    {it.map(|r| {
                                        let mut cells = r.into_iter();
                                        let first = cells.next().unwrap_or_default();
                                        view! {
                                            <tr>
                                                <th scope="row" title=first.clone()>{survcalc_plot::figure_label(&first)}</th>
                                                {cells.map(|c| view! { <td>{on_page(&c)}</td> }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            }
                        })}
                    </table>
                </div>
                <h4>"Statistical methods"</h4>
                <p class="methods-text" data-testid="methods-paragraph">{move || text.get().map(|(_, _, m)| m)}</p>
                <div class="row">
                    <button class="secondary" data-testid="copy-methods" on:click=move |_| {
                        let t = text.get_untracked().map(|(_, _, m)| m).unwrap_or_default();
                        copy_with("Methods", t);
                    }>"Copy methods"</button>
                </div>
                <p class="small" role="status" data-testid="paper-status">{move || status.get()}</p>
            </section>
        </Show>
    }
}

/// Text as the page shows it: at most 2,000 characters, the rest cut with a word saying
/// so (a label of a megabyte laid out in a sentence stopped the page for a second, issue
/// 12). The copy buttons and downloads keep the whole text.
pub(crate) fn on_page(text: &str) -> String {
    const MAX: usize = 2000;
    match text.char_indices().nth(MAX) {
        None => text.to_string(),
        Some((cut, _)) => format!(
            "{}… (shortened on the page; Copy gives the whole text)",
            &text[..cut]
        ),
    }
}

/// Sentences to paste into a paper, shown with a button that copies them all (the
/// response/AE and the competing-risks panels). `id` names them for the tests:
/// `{id}-sentences` and `copy-{id}-sentences`.
#[component]
pub fn CopyableSentences(sentences: Memo<Vec<String>>, id: &'static str) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    view! {
        <Show when=move || sentences.with(|s| !s.is_empty())>
            <div class="sentences" data-testid=format!("{id}-sentences")>
                {move || sentences.get().into_iter().map(|p| view! { <p>{on_page(&p)}</p> }).collect_view()}
            </div>
            <div class="row">
                <button class="secondary" data-testid=format!("copy-{id}-sentences") on:click=move |_| {
                    let text = sentences.get_untracked().join(" ");
                    spawn_local(async move {
                        status.set(Some(match copy(text).await {
                            Ok(()) => "Sentences copied.".to_string(),
                            Err(e) => format!("Sentences not copied: {e}."),
                        }));
                    });
                }>"Copy sentences"</button>
                <span class="small" role="status">{move || status.get()}</span>
            </div>
        </Show>
    }
}
