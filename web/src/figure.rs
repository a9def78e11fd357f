//! The Kaplan–Meier figure on a `<canvas>` (plotters-canvas), and its SVG export — both
//! drawn by `survcalc_plot::draw_km` from the same data.

use crate::download::{save_bytes, save_text};
use crate::state::{Outcome, Session};
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use survcalc_core::Analysis;
use survcalc_plot::{
    draw_km, km_svg, png_with_dpi, FigureOptions, KmFigure, PNG_DPI, PNG_WIDTH_INCHES,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const WIDTH: u32 = 900;
const HEIGHT: u32 = 620;

fn figure_of(a: &Analysis, x_label: String, options: FigureOptions) -> KmFigure<'_> {
    KmFigure::of(a, x_label, options)
}

/// The PNG export: the SVG drawn at 300 dpi for a 7-inch-wide figure, with the
/// resolution recorded in the file — the same drawing as the SVG and the screen.
async fn save_png(svg: String) -> Result<(), String> {
    let err = |e: JsValue| format!("could not make the PNG: {e:?}");
    let scale = PNG_WIDTH_INCHES * PNG_DPI / f64::from(WIDTH);
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let img = web_sys::HtmlImageElement::new().map_err(err)?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(err)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas = document
        .create_element("canvas")
        .map_err(err)?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .map_err(|_| "no canvas".to_string())?;
    canvas.set_width((f64::from(WIDTH) * scale).round() as u32);
    canvas.set_height((f64::from(HEIGHT) * scale).round() as u32);
    let ctx = canvas
        .get_context("2d")
        .map_err(err)?
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("this browser cannot draw on a canvas")?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    ctx.scale(scale, scale).map_err(err)?;
    ctx.draw_image_with_html_image_element(&img, 0.0, 0.0)
        .map_err(err)?;
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
    let png = png_with_dpi(&bytes, PNG_DPI)?;
    save_bytes("kaplan-meier.png", "image/png", &png)
}

/// A checkbox bound to one flag of the figure options.
#[component]
fn Flag(
    session: RwSignal<Session>,
    label: &'static str,
    id: &'static str,
    get: fn(&FigureOptions) -> bool,
    set: fn(&mut FigureOptions, bool),
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                id=id
                data-testid=id
                prop:checked=move || session.with(|s| get(&s.figure))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    session.update(|s| set(&mut s.figure, on));
                }
            />
            {label}
        </label>
    }
}

/// A number field of the figure options (empty = automatic).
fn parse_opt(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// The figure panel.
#[component]
pub fn Figure(session: RwSignal<Session>, outcome: Memo<Outcome>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let draw_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let (label, options) = session.with(|s| (s.x_label(), s.figure.clone()));
        let Some(el) = canvas.get() else { return };
        outcome.with(|o| {
            let Ok(a) = o else { return };
            let Some(backend) = CanvasBackend::with_canvas_object(el) else {
                draw_error.set(Some("this browser cannot draw on a canvas".into()));
                return;
            };
            let root = backend.into_drawing_area();
            let r = draw_km(&root, &figure_of(a, label, options)).map_err(|e| e.to_string());
            draw_error.set(r.err());
        });
    });
    let svg_now = move || {
        let (label, options) = session.with_untracked(|s| (s.x_label(), s.figure.clone()));
        outcome.with_untracked(|o| match o {
            Ok(a) => km_svg(&figure_of(a, label, options), WIDTH, HEIGHT).map(Some),
            Err(_) => Ok(None),
        })
    };
    let save_svg = move |_| {
        let r = svg_now().and_then(|svg| match svg {
            Some(svg) => save_text("kaplan-meier.svg", "image/svg+xml", &svg),
            None => Ok(()),
        });
        draw_error.set(r.err());
    };
    let save_png_click = move |_| match svg_now() {
        Ok(Some(svg)) => spawn_local(async move {
            draw_error.set(save_png(svg).await.err());
        }),
        Ok(None) => {}
        Err(e) => draw_error.set(Some(e)),
    };
    let number = move |id: &'static str,
                       label: &'static str,
                       placeholder: &'static str,
                       get: fn(&FigureOptions) -> Option<f64>,
                       set: fn(&mut FigureOptions, Option<f64>)| {
        view! {
            <label for=id>{label}</label>
            <input
                id=id
                data-testid=id
                inputmode="decimal"
                placeholder=placeholder
                prop:value=move || session.with(|s| get(&s.figure).map(|v| v.to_string()).unwrap_or_default())
                on:change=move |ev| {
                    let v = parse_opt(&event_target_value(&ev));
                    session.update(|s| set(&mut s.figure, v));
                }
            />
        }
    };
    view! {
        <div class="figure" class:hidden=move || outcome.with(Result::is_err)>
            <canvas
                node_ref=canvas
                width=WIDTH
                height=HEIGHT
                data-testid="km-canvas"
                role="img"
                aria-label="Kaplan–Meier curves by group, with numbers at risk"
            ></canvas>
            <div class="row">
                <button data-testid="save-svg" on:click=save_svg>"Download SVG"</button>
                <button data-testid="save-png" on:click=save_png_click>"Download PNG (300 dpi)"</button>
            </div>
            <details class="figure-options" data-testid="figure-options">
                <summary>"Figure options"</summary>
                <div class="checks">
                    <Flag session label="Confidence band" id="fig-ci-band" get=|o| o.ci_band set=|o, v| o.ci_band = v />
                    <Flag session label="Median lines" id="fig-median-lines" get=|o| o.median_lines set=|o, v| o.median_lines = v />
                    <Flag session label="HR and P on the plot" id="fig-annotation" get=|o| o.annotation set=|o, v| o.annotation = v />
                    <Flag session label="Censor marks" id="fig-censor" get=|o| o.censor_marks set=|o, v| o.censor_marks = v />
                    <Flag session label="Percent" id="fig-percent" get=|o| o.percent set=|o, v| o.percent = v />
                    <Flag session label="Cumulative incidence (1 − S)" id="fig-incidence" get=|o| o.cumulative_incidence set=|o, v| o.cumulative_incidence = v />
                    <Flag session label="Cumulative events under the plot" id="fig-risk-events" get=|o| o.risk_events set=|o, v| o.risk_events = v />
                    <Flag session label="Cumulative censored under the plot" id="fig-risk-censored" get=|o| o.risk_censored set=|o, v| o.risk_censored = v />
                </div>
                <div class="grid">
                    {number("fig-x-max", "Time axis ends at", "fit the data", |o| o.x_max, |o, v| o.x_max = v)}
                    {number("fig-tick-step", "Tick every", "round times", |o| o.tick_step, |o, v| o.tick_step = v)}
                    <label for="fig-title">"Title"</label>
                    <input
                        id="fig-title"
                        data-testid="fig-title"
                        placeholder="none (journals put it in the legend)"
                        prop:value=move || session.with(|s| s.figure.title.clone())
                        on:change=move |ev| {
                            let t = event_target_value(&ev);
                            session.update(|s| s.figure.title = t);
                        }
                    />
                </div>
            </details>
            {move || draw_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}
