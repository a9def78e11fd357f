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
    let job: Job = serde_wasm_bindgen::from_value(job)?;
    let bytes = bytes
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec);
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
}
