//! Getting data in: paste text, or drop or choose a file. Files are read in the page with
//! the File API and handed to the core as bytes, which detects the text encoding (UTF-8,
//! UTF-16, Windows-1252) or the workbook format (.xlsx, .xls, .ods).

use crate::state::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn load_file(session: RwSignal<Session>, file: web_sys::File) {
    let name = file.name();
    spawn_local(async move {
        match JsFuture::from(file.array_buffer()).await {
            Ok(buf) => session.set(Session::from_bytes(
                &name,
                &js_sys::Uint8Array::new(&buf).to_vec(),
            )),
            Err(_) => session.set(Session::from_text(&name, "")),
        }
    });
}

/// The data panel.
#[component]
pub fn DataInput(session: RwSignal<Session>) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(f) = input.files().and_then(|fs| fs.get(0)) {
            load_file(session, f);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(f) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|fs| fs.get(0))
        {
            load_file(session, f);
        }
    };
    view! {
        <p class="source" data-testid="source">
            "Data: "
            <strong>{move || session.with(|s| s.source.clone())}</strong>
            {move || {
                session
                    .with(|s| s.is_example)
                    .then(|| {
                        view! {
                            <span class="note">
                                " — a simulated 64-patient two-arm trial shaped like a published phase II trial; not real patients."
                            </span>
                        }
                    })
            }}
        </p>
        <div
            class="dropzone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="paste">"Paste a table (CSV or tab-separated, one row per patient, header row first):"</label>
            <textarea
                id="paste"
                data-testid="paste"
                rows="6"
                spellcheck="false"
                placeholder="id,arm,os_months,os_event\n1,A,16.3,1\n…"
                prop:value=move || pasted.get()
                on:input=move |ev| pasted.set(event_target_value(&ev))
            ></textarea>
            <div class="row">
                <button
                    data-testid="analyze-pasted"
                    on:click=move |_| session.set(Session::from_text("pasted text", &pasted.get_untracked()))
                >
                    "Analyse pasted data"
                </button>
                <label class="file">
                    "or choose a file "
                    <input type="file" accept=".csv,.tsv,.txt,.xlsx,.xls,.ods,text/csv,text/plain" data-testid="file" on:change=on_file />
                </label>
                <span class="hint">"… or drop a file here."</span>
                <button class="secondary" on:click=move |_| session.set(Session::example())>
                    "Load the example"
                </button>
            </div>
        </div>
    }
}
