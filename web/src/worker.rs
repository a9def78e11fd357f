//! The worker's side: `web/worker.js` loads this same WebAssembly module in a Web Worker
//! and passes each message to [`handle`], which runs the [`Engine`] kept for the
//! worker's life.

use crate::engine::{Engine, Job};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

/// Runs one job: `job` is a serde-wasm-bindgen [`Job`], `bytes` a `Uint8Array` of new
/// data or `undefined`. Returns the [`crate::engine::Reply`] the same way.
///
/// # Errors
/// A message that is not a job (a bug in the page, not in the data).
pub fn handle(job: JsValue, bytes: JsValue) -> Result<JsValue, JsValue> {
    init();
    survcalc_core::progress::set_reporter(Some(post_progress));
    let job: Job = serde_wasm_bindgen::from_value(job)?;
    let bytes = if let Some(u) = bytes.dyn_ref::<js_sys::Uint8Array>() {
        Some(u.to_vec())
    } else if let Some(blob) = bytes.dyn_ref::<web_sys::Blob>() {
        // A file the page handed over: read here, synchronously (workers may).
        let read = web_sys::FileReaderSync::new()
            .and_then(|r| r.read_as_array_buffer(blob))
            .map(|buf| js_sys::Uint8Array::new(&buf).to_vec());
        match read {
            Ok(b) => Some(b),
            Err(e) => {
                let reply = crate::engine::Reply::Read(Box::new(Err(format!(
                    "the browser could not read the file ({})",
                    e.as_string().unwrap_or_else(|| "no reason given".into())
                ))));
                return Ok(serde_wasm_bindgen::to_value(&reply)?);
            }
        }
    } else {
        None
    };
    let reply = ENGINE.with_borrow_mut(|e| e.handle(job, bytes));
    Ok(serde_wasm_bindgen::to_value(&reply)?)
}

/// Composes group labels to Unicode NFC with the browser's `String.prototype.normalize`,
/// so that the core (built without its `nfc` feature, 66 kB smaller) merges "Café"
/// written two ways. Called before every job; the core keeps the first.
pub fn init() {
    survcalc_core::mapping::set_nfc_composer(|s| {
        String::from(js_sys::JsString::from(s).normalize("NFC"))
    });
    survcalc_core::table::set_workbook_reader(read_workbook);
}

#[wasm_bindgen]
extern "C" {
    /// `web/worker.js`'s `self.survcalcReadWorkbook`: the workbook reader module's
    /// `read_workbook` (crates/sheet), which the worker imports before a job on a
    /// workbook; it throws when that module could not be loaded.
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = survcalcReadWorkbook)]
    fn js_read_workbook(bytes: &[u8], options: &str) -> Result<String, JsValue>;
}

/// Reads a workbook with the module of its own that the worker loaded for it; the table
/// comes back as JSON (the same io crate's serde form on both sides).
fn read_workbook(
    bytes: &[u8],
    options: &survcalc_core::TableOptions,
) -> Result<survcalc_core::Table, survcalc_core::TableError> {
    let failed = |why: String| survcalc_core::TableError::Malformed {
        line: None,
        message: format!(
            "this is a spreadsheet file, and the page's workbook reader {why}: reload the \
             page (online, once) and try again, or save the sheet as CSV"
        ),
    };
    let options = serde_json::to_string(options)
        .map_err(|e| failed(format!("was not sent its options ({e})")))?;
    let text = js_read_workbook(bytes, &options).map_err(|e| {
        let reason = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "no reason given".into());
        // worker.js says "could not be loaded (…)" when the module is missing; anything
        // else is the reader failing on this file.
        if reason.starts_with("could not be loaded") {
            failed(reason)
        } else {
            failed(format!("failed on this file ({reason})"))
        }
    })?;
    serde_json::from_str::<Result<survcalc_core::Table, survcalc_core::TableError>>(&text)
        .map_err(|e| failed(format!("sent back a table the page cannot read ({e})")))?
}

thread_local! {
    /// When the last progress message was posted (ms since the epoch).
    static LAST_PROGRESS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Posts the core's progress to the page (`{ progress: "…" }`), at most every 250 ms: the
/// job runs in one call, so the worker's own message loop cannot say how far it is.
fn post_progress(step: &survcalc_core::progress::Step) {
    use survcalc_core::progress::Step;
    let now = js_sys::Date::now();
    if now - LAST_PROGRESS.with(std::cell::Cell::get) < 250.0 {
        return;
    }
    LAST_PROGRESS.with(|c| c.set(now));
    let text = match *step {
        Step::Reading { done, total } => format!(
            "{:.0}% of {:.1} MB",
            100.0 * done as f64 / total.max(1) as f64,
            total as f64 / 1e6
        ),
        Step::Analysing(what) => format!("({what})"),
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"progress".into(), &text.into());
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(&message);
    }
}
