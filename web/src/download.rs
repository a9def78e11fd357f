//! Saving a file made in the page: a `Blob`, a `blob:` object URL and a click on a
//! temporary link; and the PNG of a figure, painted from its SVG on a canvas. Nothing
//! leaves the machine.

use survcalc_plot::png_with_dpi;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

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

/// The PNG export `{stem}-{dpi}dpi.png`: the SVG (sized in CSS pixels at its printed width) drawn at `dpi`,
/// with the resolution recorded in the file — the same drawing as the SVG and the screen.
pub async fn save_png(
    stem: &str,
    svg: String,
    (width_px, height_px): (u32, u32),
    width_in: f64,
    dpi: f64,
) -> Result<(), String> {
    let err = |e: JsValue| format!("could not make the PNG: {e:?}");
    // Exactly width_in × dpi pixels wide (7.2 in at 300 dpi: 2160).
    let scale = (width_in * dpi).round() / f64::from(width_px.max(1));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas = document
        .create_element("canvas")
        .map_err(err)?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .map_err(|_| "no canvas".to_string())?;
    paint(
        &canvas,
        &svg,
        (f64::from(width_px) * scale).round() as u32,
        (f64::from(height_px) * scale).round() as u32,
    )
    .await?;
    let png = js_sys::Promise::new(&mut |resolve, reject| {
        let cb = Closure::once_into_js(move |b: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &b);
        });
        if canvas
            .to_blob_with_type(cb.unchecked_ref(), "image/png")
            .is_err()
        {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob: web_sys::Blob = JsFuture::from(png)
        .await
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "the browser made no PNG".to_string())?;
    let bytes =
        js_sys::Uint8Array::new(&JsFuture::from(blob.array_buffer()).await.map_err(err)?).to_vec();
    let png = png_with_dpi(&bytes, dpi)?;
    save_bytes(&format!("{stem}-{dpi:.0}dpi.png"), "image/png", &png)
}

/// Resolves in a later task of the page's event loop (a `setTimeout` of 0): work after it
/// does not add to the task running now, and what waits (input, timers) runs first.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .is_ok()
        });
        if !queued {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Paints `svg` on `canvas`, stretched to `w` × `h` device pixels (the canvas gets that
/// size) on white: the page's figure and the PNG export are painted so.
pub async fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    svg: &str,
    w: u32,
    h: u32,
) -> Result<(), String> {
    let err = |e: JsValue| format!("could not draw the figure: {e:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let img = web_sys::HtmlImageElement::new().map_err(err)?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(err)?;
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx = canvas
        .get_context("2d")
        .map_err(err)?
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("this browser cannot draw on a canvas")?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    ctx.draw_image_with_html_image_element_and_dw_and_dh(
        &img,
        0.0,
        0.0,
        f64::from(w),
        f64::from(h),
    )
    .map_err(err)?;
    Ok(())
}
