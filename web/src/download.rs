//! Saving a file made in the page: a `Blob`, a `blob:` object URL and a click on a
//! temporary link. Nothing leaves the machine.

use wasm_bindgen::JsCast;

/// Offers `content` for download as `filename` with the given MIME type.
///
/// # Errors
/// A message when the browser refuses one of the steps.
pub fn save_text(filename: &str, mime: &str, content: &str) -> Result<(), String> {
    save_parts(filename, mime, &wasm_bindgen::JsValue::from_str(content))
}

/// Offers `bytes` for download as `filename` with the given MIME type.
///
/// # Errors
/// A message when the browser refuses one of the steps.
pub fn save_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    save_parts(filename, mime, &js_sys::Uint8Array::from(bytes))
}

fn save_parts(filename: &str, mime: &str, part: &wasm_bindgen::JsValue) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("could not save {filename}: {e:?}");
    let parts = js_sys::Array::of1(part);
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &bag).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a = document
        .create_element("a")
        .map_err(err)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "not an anchor".to_string())?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(err)?;
    Ok(())
}
