//! Getting data in: paste text, or drop or choose a file. Files are read in the page with
//! the File API and handed to the core as bytes, which detects the text encoding (UTF-8,
//! UTF-16, Windows-1252) or the workbook format (.xlsx, .xls, .ods).

use crate::client::Client;
use crate::mapping_panel::Choice;
use crate::state::{Session, EXAMPLE_SOURCE};
use leptos::prelude::*;
use survcalc_core::table::{delimiter_name, parse_delimiter, DELIMITERS};
use survcalc_core::{TableOptions, TextEncoding};
use wasm_bindgen::JsCast;

/// Hands a chosen or dropped file to the worker, which reads it: the page's thread never
/// holds its bytes (a 400 MB file read here stopped the page for a second, issue 15).
fn load_file(client: Client, file: web_sys::File) {
    let name = file.name();
    client.load_by_user(&name, file.into(), false);
}

/// A detect/force choice: `""` is "detect", else one of `values`.
fn detect_or(values: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "detect".to_string())];
    v.extend(values);
    v
}

fn yes_no(b: Option<bool>, yes: &str, no: &str) -> String {
    b.map(|b| if b { yes } else { no }.to_string())
        .unwrap_or_default()
}

/// How the data was read, with the choices to read it otherwise (text only: delimiter,
/// decimal mark, header row, encoding).
#[component]
fn Reading(session: RwSignal<Session>) -> impl IntoView {
    let client = expect_context::<Client>();
    let change = move |f: Box<dyn Fn(&mut TableOptions)>| {
        let mut read = session.with_untracked(|s| s.read.clone());
        f(&mut read);
        client.reread(read);
    };
    view! {
        {move || session.with(Session::reading).map(|(how, notes)| view! {
            <p class="small" data-testid="reading">"Read as " {how} "."</p>
            {(!notes.is_empty()).then(|| view! {
                <ul class="notes small" data-testid="reading-notes">
                    {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            })}
        })}
        <details class="reading-options" data-testid="reading-options" open=move || session.with(|s| s.table.is_err() && !s.is_example)>
            <summary>"Read it differently"</summary>
            <div class="grid">
                <label for="read-header-row">"Header row"</label>
                <input
                    id="read-header-row"
                    data-testid="read-header-row"
                    inputmode="numeric"
                    placeholder="detect (e.g. 3 when two title rows come first)"
                    prop:value=move || session.with(|s| s.read.header_row.map(|r| r.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let row = v.trim().parse::<u64>().ok().filter(|r| *r > 0);
                        change(Box::new(move |r| r.header_row = row));
                    }
                />
            </div>
            <Show when=move || session.with(Session::is_text)>
                <div class="grid">
                    <Choice
                        label="Delimiter"
                        id="read-delimiter"
                        options=Signal::derive(|| detect_or(DELIMITERS.iter().map(|(_, n)| ((*n).to_string(), (*n).to_string()))))
                        current=Signal::derive(move || session.with(|s| s.read.delimiter.map(delimiter_name).unwrap_or_default()))
                        set=move |v: String| change(Box::new(move |r| r.delimiter = parse_delimiter(&v)))
                    />
                    <Choice
                        label="Decimal mark"
                        id="read-decimal"
                        options=Signal::derive(|| detect_or([("comma".to_string(), "comma (16,3)".to_string()), ("point".to_string(), "point (16.3)".to_string())]))
                        current=Signal::derive(move || session.with(|s| yes_no(s.read.decimal_comma, "comma", "point")))
                        set=move |v: String| change(Box::new(move |r| r.decimal_comma = (!v.is_empty()).then_some(v == "comma")))
                    />
                    <Choice
                        label="First row"
                        id="read-header"
                        options=Signal::derive(|| detect_or([("yes".to_string(), "names the columns".to_string()), ("no".to_string(), "is data (columns V1, V2, …)".to_string())]))
                        current=Signal::derive(move || session.with(|s| yes_no(s.read.header, "yes", "no")))
                        set=move |v: String| change(Box::new(move |r| r.header = (!v.is_empty()).then_some(v == "yes")))
                    />
                    <Choice
                        label="Encoding"
                        id="read-encoding"
                        options=Signal::derive(|| detect_or(TextEncoding::ALL.into_iter().map(|e| (e.key().to_string(), e.name().to_string()))))
                        current=Signal::derive(move || session.with(|s| s.read.encoding.map(|e| e.key().to_string()).unwrap_or_default()))
                        set=move |v: String| change(Box::new(move |r| r.encoding = TextEncoding::parse(&v)))
                    />
                </div>
            </Show>
        </details>
    }
}

/// The data panel.
#[component]
pub fn DataInput(session: RwSignal<Session>) -> impl IntoView {
    let client = expect_context::<Client>();
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
            load_file(client, f);
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
            load_file(client, f);
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
        <Reading session=session />
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
                    on:click=move |_| {
                        let text = pasted.get_untracked();
                        client.load_by_user("pasted text", js_sys::Uint8Array::from(text.as_bytes()).into(), false);
                    }
                >
                    "Analyse pasted data"
                </button>
                <label class="file">
                    "or choose a file "
                    <input type="file" accept=".csv,.tsv,.txt,.xlsx,.xls,.ods,text/csv,text/plain" data-testid="file" on:change=on_file />
                </label>
                <span class="hint">"… or drop a file here."</span>
                <button class="secondary" on:click=move |_| {
                    let text = survcalc_core::example::example_csv();
                    client.load_by_user(EXAMPLE_SOURCE, js_sys::Uint8Array::from(text.as_bytes()).into(), true);
                }>
                    "Load the example"
                </button>
            </div>
        </div>
    }
}
