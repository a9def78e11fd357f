//! Entry point of the page: mounts the app; everything else is in the library. The same
//! module runs in the page's Web Worker (`web/worker.js`), where there is no window to
//! mount on and [`worker_handle`] does the work.

use wasm_bindgen::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    survcalc_web::worker::init();
    if web_sys::window().is_none() {
        // In the worker: wait for messages.
        return;
    }
    leptos::mount::mount_to_body(survcalc_web::app::App);
}

/// One job for the worker (see `survcalc_web::worker::handle`).
///
/// # Errors
/// A message that is not a job.
#[wasm_bindgen]
pub fn worker_handle(job: JsValue, bytes: JsValue) -> Result<JsValue, JsValue> {
    survcalc_web::worker::handle(job, bytes)
}
