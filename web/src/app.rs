//! The page: data in, mapping, results and figure, from one [`Session`] signal.

use crate::binary_panel::BinaryPanel;
use crate::client::Client;
use crate::competing_panel::CompetingPanel;
use crate::data_input::DataInput;
use crate::design_panel::DesignPanel;
use crate::figure::Figure;
use crate::mapping_panel::{MappingPanel, PairingQuestion};
use crate::paper::Paper;
use crate::rebuild_panel::RebuildPanel;
use crate::results::{MoreResults, Results};
use crate::share;
use crate::share_panel::{LinkNote, SharePanel};
use crate::state::{Outcome, Session, EXAMPLE_SOURCE};
use leptos::prelude::*;
use survcalc_core::TableOptions;
use wasm_bindgen::JsCast;

/// One tab per endpoint found in the table (OS, PFS, …): the report follows the tab. The
/// WAI-ARIA tabs pattern: one tab in the Tab order, arrow keys (and Home/End) move
/// between tabs and select them, and the results are the tab panel.
#[component]
fn EndpointTabs(session: RwSignal<Session>) -> impl IntoView {
    let tabs = move || {
        session.with(|s| {
            let current = s.current_endpoint();
            s.endpoints
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.name.clone(), current == Some(i)))
                .collect::<Vec<_>>()
        })
    };
    let select = move |i: usize| {
        session.update(|s| s.select_endpoint(i));
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("tab-{i}")))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = session.with_untracked(|s| s.endpoints.len());
        let cur = session
            .with_untracked(Session::current_endpoint)
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (cur + 1) % n.max(1),
            "ArrowLeft" => (cur + n.max(1) - 1) % n.max(1),
            "Home" => 0,
            "End" => n.saturating_sub(1),
            _ => return,
        };
        ev.prevent_default();
        select(next);
    };
    view! {
        <Show when=move || session.with(|s| s.endpoints.len() > 1)>
            <div class="tabs" role="tablist" aria-label="Endpoints" on:keydown=on_key>
                {move || tabs().into_iter().map(|(i, name, selected)| {
                    let testid = format!("tab-{name}");
                    view! {
                    <button
                        role="tab"
                        id=format!("tab-{i}")
                        class="tab"
                        class:selected=selected
                        aria-selected=if selected { "true" } else { "false" }
                        aria-controls="endpoint-panel"
                        tabindex=if selected { "0" } else { "-1" }
                        data-testid=testid
                        on:click=move |_| select(i)
                    >
                        {name}
                    </button>
                }}).collect_view()}
            </div>
        </Show>
    }
}

/// The one-line summary of the data above the results: where it came from, its size, the
/// columns analysed, and links down to change them.
#[component]
fn DataSummary(session: RwSignal<Session>) -> impl IntoView {
    let line = move || {
        session.with(|s| {
            let t = s.table.as_ref().ok()?;
            let m = &s.mapping;
            let time = match &m.dates {
                Some(d) => format!("{} → {}", d.start, d.end),
                None => m.time.clone(),
            };
            let mut cols = vec![time, m.event.clone()];
            cols.extend(m.group.clone());
            Some(format!(
                "{} · {} rows · {}",
                s.source,
                t.n_rows,
                cols.join(", ")
            ))
        })
    };
    view! {
        <p class="data-summary" data-testid="data-summary">
            {move || match line() {
                Some(l) => view! {
                    {move || session.with(|s| s.is_example).then(|| view! { <strong>"Example, already analysed: "</strong> })}
                    <span>{l}</span>
                }.into_any(),
                None => view! { <span>"No data analysed yet."</span> }.into_any(),
            }}
            " · "
            <a href="#data-h">"use your own data"</a>
            " · "
            <a href="#map-h">"change columns or settings"</a>
        </p>
    }
}

/// Scrolls to the element with `testid` and moves the focus to it.
fn reveal(testid: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-testid=\"{testid}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        el.scroll_into_view_with_bool(true);
        let _ = el.focus();
    }
}

/// What screen readers hear when results arrive.
fn announcement(outcome: &Outcome) -> String {
    match outcome {
        Ok(a) => {
            let medians: Vec<String> = a
                .summaries
                .iter()
                .map(|g| {
                    let m = a.headline_median(g).estimate;
                    format!(
                        "{}: median {}",
                        g.group,
                        m.map_or_else(|| "not reached".to_string(), |v| format!("{v:.1}"))
                    )
                })
                .collect();
            let hr = a
                .headline_hr()
                .map(|h| format!("; hazard ratio {:.2}", h.hr))
                .unwrap_or_default();
            format!(
                "Results updated: {} of {} rows analysed. {}{hr}.",
                a.n_used,
                a.n_rows,
                medians.join("; ")
            )
        }
        Err(e) if e.is_empty() => String::new(),
        Err(e) => format!("The data could not be analysed: {e}"),
    }
}

/// The whole app. Reading and analysing happen in the worker ([`Client`]); the page
/// asks for a new analysis whenever what it depends on changes.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(Session::from_info(
        EXAMPLE_SOURCE,
        Err(String::new()),
        TableOptions::default(),
    ));
    let client = Client::start(session);
    provide_context(client);
    // A share link restores its analysis: with its data at once; without, when the user
    // loads the file (the example is shown meanwhile).
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let load_example = move || {
        let example = survcalc_core::example::example_csv();
        client.load(
            EXAMPLE_SOURCE,
            js_sys::Uint8Array::from(example.as_bytes()).into(),
            true,
        );
    };
    match share::decode(&fragment) {
        Ok(Some(share::Shared {
            state,
            data: Some(bytes),
        })) => {
            let name = state.data.name.clone();
            let read = state.read.clone();
            client.load_with(
                &name,
                js_sys::Uint8Array::from(&bytes[..]).into(),
                false,
                read,
                Some(Box::new(state)),
            );
        }
        // A link made from the built-in example needs no file.
        Ok(Some(share::Shared { state, data: None })) if state.data.name == EXAMPLE_SOURCE => {
            let example = survcalc_core::example::example_csv();
            let read = state.read.clone();
            client.load_with(
                EXAMPLE_SOURCE,
                js_sys::Uint8Array::from(example.as_bytes()).into(),
                true,
                read,
                Some(Box::new(state)),
            );
        }
        Ok(Some(share::Shared { state, data: None })) => {
            client.link.set(Some((
                false,
                format!(
                    "This link restores an analysis of {} ({} rows, {} bytes, SHA-256 {}…). Load that file to see it; the example is shown meanwhile.",
                    state.data.name,
                    state.data.rows,
                    state.data.bytes,
                    state.data.sha256.get(..12).unwrap_or_default()
                ),
            )));
            client.await_data(state);
            load_example();
        }
        Ok(None) => load_example(),
        Err(e) => {
            client.link.set(Some((
                false,
                format!("The link could not be opened: {e}. The example is shown instead."),
            )));
            load_example();
        }
    }
    // What an analysis depends on; a new table (even with the same mapping) counts.
    let request = Memo::new(move |_| {
        let generation = client.generation.get();
        session.with(|s| s.table.is_ok().then(|| (generation, s.request())))
    });
    Effect::new(move |_| {
        if request.with(Option::is_some) {
            session.with_untracked(|s| client.analyze(s));
        }
    });
    let outcome: Memo<Outcome> =
        Memo::new(
            move |_| match session.with(|s| s.table.as_ref().err().cloned()) {
                Some(e) => Err(e),
                None => client.computed.with(|c| {
                    c.as_ref()
                        .map_or_else(|| Err(String::new()), |c| c.outcome.clone())
                }),
            },
        );
    // A large analysis arrives thinned for drawing, its numbers at risk exact at the
    // figure's ticks; when the user moves the ticks (axis end, step), the worker thins it
    // again for them (until then the figure leaves those cells empty).
    Effect::new(move |_| {
        let axis = session.with(Session::time_axis);
        let stale = outcome.with(|o| {
            o.as_ref().ok().is_some_and(|a| {
                a.drawing.as_ref().is_some_and(|d| {
                    axis.ticks(crate::engine::curves_end(a))
                        .iter()
                        .any(|&t| !d.is_exact_at(t))
                })
            })
        });
        if stale {
            client.redraw(axis);
        }
    });
    // After the user loads or rereads data, go to what changed: the results, or the message.
    Effect::new(move |_| {
        let target = outcome.with(|o| match o {
            Ok(_) => Some("headline"),
            Err(e) if e.is_empty() => None,
            Err(_) => Some("error"),
        });
        if let Some(t) = target {
            if client.reveal.get_untracked() {
                client.reveal.set(false);
                request_animation_frame(move || reveal(t));
            }
        }
    });
    view! {
        <header class="top">
            <h1>"survcalc"</h1>
            <p class="tagline">
                "Kaplan–Meier, log-rank and Cox for trial data — computed in your browser; "
                "your data never leaves this page."
            </p>
        </header>
        <main>
            <LinkNote />
            <DataSummary session=session />
            <section class="panel results" id="results" aria-labelledby="res-h">
                <h2 id="res-h">"Results"</h2>
                <EndpointTabs session=session />
                <p class="busy" role="status" aria-live="polite" data-testid="busy">
                    {move || client.busy.get().map(|b| view! {
                        <span class="spinner" aria-hidden="true"></span>{b}
                        {move || client.progress.get().map(|p| view! { <span class="progress-detail" data-testid="progress" aria-hidden="true">{format!(" {p}")}</span> })}
                    })}
                </p>
                {move || client.busy.get().is_some().then(|| view! {
                    <button class="secondary cancel" data-testid="cancel" on:click=move |_| client.cancel()>"Cancel"</button>
                })}
                <p class="sr-only" aria-live="polite" data-testid="announce">{move || outcome.with(announcement)}</p>
                <div id="endpoint-panel" role="tabpanel" aria-labelledby="res-h">
                    <PairingQuestion session=session />
                    <div class="first-screen">
                        <div class="headline-col">
                            <Results session=session outcome=outcome />
                        </div>
                        <div class="figure-col">
                            <Figure session=session outcome=outcome />
                        </div>
                    </div>
                    <Paper session=session outcome=outcome />
                    <SharePanel session=session />
                    <MoreResults outcome=outcome />
                </div>
            </section>
            <section class="panel binary" aria-labelledby="bin-h" class:hidden=move || session.with(|s| s.table.is_err())>
                <h2 id="bin-h">"Response and adverse events"</h2>
                <BinaryPanel session=session />
            </section>
            <section class="panel competing" aria-labelledby="cr-h" class:hidden=move || session.with(|s| s.table.is_err())>
                <h2 id="cr-h">"Competing risks"</h2>
                <CompetingPanel session=session />
            </section>
            <section class="panel data" id="data" aria-labelledby="data-h">
                <h2 id="data-h">"Your data"</h2>
                <DataInput session=session />
            </section>
            <section class="panel mapping" id="columns" aria-labelledby="map-h">
                <h2 id="map-h">"Columns and settings"</h2>
                <MappingPanel session=session />
            </section>
            <section class="panel design" id="design" aria-labelledby="design-h">
                <h2 id="design-h">"Plan a trial: sample size and power"</h2>
                <DesignPanel />
            </section>
            <section class="panel rebuild" id="rebuild" aria-labelledby="rebuild-h">
                <h2 id="rebuild-h">"Patients rebuilt from a published curve"</h2>
                <RebuildPanel />
            </section>
        </main>
        <footer>
            <p>
                "Numbers match R survival (survfit, survdiff, coxph); each is labelled with its method."
            </p>
            <p data-testid="privacy">
                <strong>"Privacy: "</strong>
                "nothing you load leaves this page. After the page's own files have loaded it makes no request at all; "
                "your data is analysed here, in your browser, and nothing is stored (a copy of the page's own files is kept for offline use). "
                "Share links keep the settings after the “#”, which is never sent to a server, and carry the data only if you tick that they should. "
                "The browser tests check every request of a whole session."
            </p>
        </footer>
    }
}
