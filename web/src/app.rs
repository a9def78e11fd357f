//! The page: data in, mapping, results and figure, from one [`Session`] signal.

use crate::binary_panel::BinaryPanel;
use crate::client::Client;
use crate::data_input::DataInput;
use crate::figure::Figure;
use crate::mapping_panel::MappingPanel;
use crate::paper::Paper;
use crate::results::{MoreResults, Results};
use crate::share;
use crate::share_panel::{LinkNote, SharePanel};
use crate::state::{Outcome, Session, EXAMPLE_SOURCE};
use leptos::prelude::*;
use survcalc_core::TableOptions;

/// One tab per endpoint found in the table (OS, PFS, …): the report follows the tab.
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
    view! {
        <Show when=move || session.with(|s| s.endpoints.len() > 1)>
            <div class="tabs" role="tablist" aria-label="Endpoints">
                {move || tabs().into_iter().map(|(i, name, selected)| {
                    let testid = format!("tab-{name}");
                    view! {
                    <button
                        role="tab"
                        class="tab"
                        class:selected=selected
                        aria-selected=if selected { "true" } else { "false" }
                        data-testid=testid
                        on:click=move |_| session.update(|s| s.select_endpoint(i))
                    >
                        {name}
                    </button>
                }}).collect_view()}
            </div>
        </Show>
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
            js_sys::Uint8Array::from(example.as_bytes()),
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
                js_sys::Uint8Array::from(&bytes[..]),
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
                js_sys::Uint8Array::from(example.as_bytes()),
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
            <section class="panel data" aria-labelledby="data-h">
                <h2 id="data-h">"1. Data"</h2>
                <DataInput session=session />
            </section>
            <section class="panel mapping" aria-labelledby="map-h">
                <h2 id="map-h">"2. Columns"</h2>
                <MappingPanel session=session />
            </section>
            <section class="panel results" aria-labelledby="res-h">
                <h2 id="res-h">"3. Results"</h2>
                <EndpointTabs session=session />
                <p class="busy" role="status" aria-live="polite" data-testid="busy">
                    {move || client.busy.get().map(|b| view! { <span class="spinner" aria-hidden="true"></span>{b} })}
                </p>
                <Results session=session outcome=outcome />
                <Figure session=session outcome=outcome />
                <Paper session=session outcome=outcome />
                <SharePanel session=session />
                <MoreResults outcome=outcome />
            </section>
            <section class="panel binary" aria-labelledby="bin-h" class:hidden=move || session.with(|s| s.response.is_none() && s.ae_columns.is_empty())>
                <h2 id="bin-h">"4. Response and adverse events"</h2>
                <BinaryPanel session=session />
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
