//! The page: data in, mapping, results and figure, from one [`Session`] signal.

use crate::binary_panel::BinaryPanel;
use crate::data_input::DataInput;
use crate::figure::Figure;
use crate::mapping_panel::MappingPanel;
use crate::results::{MoreResults, Results};
use crate::state::{Outcome, Session};
use leptos::prelude::*;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(Session::example());
    let outcome: Memo<Outcome> = Memo::new(move |_| session.with(Session::analyze));
    view! {
        <header class="top">
            <h1>"survcalc"</h1>
            <p class="tagline">
                "Kaplan–Meier, log-rank and Cox for trial data — computed in your browser; "
                "your data never leaves this page."
            </p>
        </header>
        <main>
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
                <Results session=session outcome=outcome />
                <Figure session=session outcome=outcome />
                <MoreResults outcome=outcome />
            </section>
            <section class="panel binary" aria-labelledby="bin-h" class:hidden=move || session.with(|s| s.response.is_none() && s.ae_columns.is_empty())>
                <h2 id="bin-h">"4. Response and adverse events"</h2>
                <BinaryPanel session=session />
            </section>
        </main>
        <footer>
            <p>
                "Numbers match R survival (survfit, survdiff, coxph); each is labelled with its method. "
                "No network requests are made after the page loads."
            </p>
        </footer>
    }
}
