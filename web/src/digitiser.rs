//! Reading a curve off an image of the figure, in the page (issue 17): the user loads a
//! PNG/JPEG/screenshot (decoded by the browser, never sent anywhere), clicks two known
//! values on each axis, then clicks on a curve to trace it by its colour
//! (`survcalc_core::digitise::trace_curve`) or clicks points one by one. The points go to
//! the arm's text box, where they can be corrected by hand.

use leptos::prelude::*;
use survcalc_core::digitise::{trace_curve, AxisCalibration, Rgba};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the next click on the image does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    X1,
    X2,
    Y1,
    Y2,
    Trace,
    Click,
}

impl Step {
    fn prompt(self) -> &'static str {
        match self {
            Step::X1 => "Click the time axis at its first value.",
            Step::X2 => "Click the time axis at its second value.",
            Step::Y1 => "Click the survival axis at its first value.",
            Step::Y2 => "Click the survival axis at its second value.",
            Step::Trace => "Click on the curve to trace it by its colour.",
            Step::Click => "Click along the curve: each click adds a point.",
        }
    }
}

/// The decoded image: its size and RGBA pixels.
#[derive(Clone, Default)]
struct Pixels {
    width: usize,
    height: usize,
    data: Vec<u8>,
}

async fn decode(file: web_sys::File, canvas: web_sys::HtmlCanvasElement) -> Result<Pixels, String> {
    let err = |e: wasm_bindgen::JsValue| format!("the image could not be read: {e:?}");
    let url = web_sys::Url::create_object_url_with_blob(&file).map_err(err)?;
    let img = web_sys::HtmlImageElement::new().map_err(err)?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded
        .map_err(|_| "the file is not an image this browser can read (PNG, JPEG, …)".to_string())?;
    let (w, h) = (img.natural_width(), img.natural_height());
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > 40_000_000 {
        return Err(format!(
            "the image is {w} × {h} pixels: use a screenshot of the figure"
        ));
    }
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx = context(&canvas)?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    ctx.draw_image_with_html_image_element(&img, 0.0, 0.0)
        .map_err(err)?;
    let data = ctx
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .map_err(err)?
        .data()
        .0;
    Ok(Pixels {
        width: w as usize,
        height: h as usize,
        data,
    })
}

fn context(
    canvas: &web_sys::HtmlCanvasElement,
) -> Result<web_sys::CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "this browser cannot draw on a canvas".to_string())
}

/// Redraws the image with the clicks and the points on it.
fn redraw(
    canvas: &web_sys::HtmlCanvasElement,
    px: &Pixels,
    marks: &[(f64, f64)],
    dots: &[(f64, f64)],
) {
    let Ok(ctx) = context(canvas) else { return };
    if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(&px.data),
        px.width as u32,
        px.height as u32,
    ) {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
    ctx.set_fill_style_str("#d62728");
    for &(x, y) in dots {
        ctx.fill_rect(x - 2.0, y - 2.0, 4.0, 4.0);
    }
    ctx.set_stroke_style_str("#000000");
    for &(x, y) in marks {
        ctx.begin_path();
        ctx.move_to(x - 6.0, y);
        ctx.line_to(x + 6.0, y);
        ctx.move_to(x, y - 6.0);
        ctx.line_to(x, y + 6.0);
        ctx.stroke();
    }
}

/// A typed number, a decimal comma read as a point ("0,05"), as in a table.
fn number(s: &str) -> Option<f64> {
    survcalc_core::table::parse_number(s, true)
}

/// The image digitiser of one arm; `points` is the arm's text box of points.
#[component]
pub fn ImageDigitiser(k: usize, points: RwSignal<String>) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let pixels = RwSignal::new(None::<Pixels>);
    let step = RwSignal::new(Step::X1);
    let clicks = RwSignal::new(Vec::<(f64, f64)>::new()); // x1, x2, y1, y2 as pixels
    let values = [
        RwSignal::new("0".to_string()),
        RwSignal::new("12".to_string()),
        RwSignal::new("0".to_string()),
        RwSignal::new("1".to_string()),
    ];
    let tolerance = RwSignal::new(90.0);
    let message = RwSignal::new(None::<String>);
    let id = move |what: &str| format!("digitise-{what}-{k}");
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match decode(file, c).await {
                Ok(p) => {
                    pixels.set(Some(p));
                    clicks.set(Vec::new());
                    step.set(Step::X1);
                    message.set(None);
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let axes = move || -> Option<(AxisCalibration, AxisCalibration)> {
        let c = clicks.get_untracked();
        let v: Vec<Option<f64>> = values.iter().map(|s| number(&s.get_untracked())).collect();
        (c.len() >= 4).then_some(())?;
        Some((
            AxisCalibration {
                p1: c[0].0,
                v1: v[0]?,
                p2: c[1].0,
                v2: v[1]?,
            },
            AxisCalibration {
                p1: c[2].1,
                v1: v[2]?,
                p2: c[3].1,
                v2: v[3]?,
            },
        ))
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(c), Some(px)) = (canvas.get_untracked(), pixels.get_untracked()) else {
            return;
        };
        // Canvas pixels from the click in CSS pixels (the canvas is shown scaled).
        let scale = f64::from(c.width()) / f64::from(c.client_width().max(1));
        let (x, y) = (
            f64::from(ev.offset_x()) * scale,
            f64::from(ev.offset_y()) * scale,
        );
        match step.get_untracked() {
            s @ (Step::X1 | Step::X2 | Step::Y1 | Step::Y2) => {
                clicks.update(|v| v.push((x, y)));
                redraw(&c, &px, &clicks.get_untracked(), &[]);
                step.set(match s {
                    Step::X1 => Step::X2,
                    Step::X2 => Step::Y1,
                    Step::Y1 => Step::Y2,
                    _ => Step::Trace,
                });
            }
            Step::Trace => {
                let image = Rgba {
                    width: px.width,
                    height: px.height,
                    data: &px.data,
                };
                let color = image.color_at(x as usize, y as usize);
                match (axes(), color) {
                    (Some((xa, ya)), Some(col)) => {
                        match trace_curve(&image, &xa, &ya, col, tolerance.get_untracked()) {
                            Ok(pts) => {
                                message.set(Some(format!(
                                    "{} points traced in colour #{:02x}{:02x}{:02x}; correct them in the box if need be.",
                                    pts.len(), col[0], col[1], col[2]
                                )));
                                points.set(
                                    pts.iter()
                                        .map(|(t, s)| format!("{t:.4}, {s:.4}"))
                                        .collect::<Vec<_>>()
                                        .join("\n"),
                                );
                                let dots: Vec<(f64, f64)> = pts
                                    .iter()
                                    .map(|&(t, s)| (xa.pixel(t), ya.pixel(s)))
                                    .collect();
                                redraw(&c, &px, &clicks.get_untracked(), &dots);
                            }
                            Err(e) => message.set(Some(e.to_string())),
                        }
                    }
                    (None, _) => message.set(Some(
                        "give the values of the four axis clicks as numbers".into(),
                    )),
                    (_, None) => {}
                }
            }
            Step::Click => {
                if let Some((xa, ya)) = axes() {
                    points.update(|p| {
                        if !p.is_empty() && !p.ends_with('\n') {
                            p.push('\n');
                        }
                        p.push_str(&format!(
                            "{:.4}, {:.4}",
                            xa.value(x),
                            ya.value(y).clamp(0.0, 1.0)
                        ));
                    });
                }
            }
        }
    };
    view! {
        <details class="digitiser" data-testid=id("details")>
            <summary>"…or read the curve from an image of the figure"</summary>
            <label class="file">"Image (PNG, JPEG, screenshot) "
                <input type="file" accept="image/*" data-testid=id("image") on:change=on_file />
            </label>
            <div class="grid">
                <label for=id("x1")>"Time axis: first value"</label>
                <input id=id("x1") data-testid=id("x1") prop:value=move || values[0].get() on:change=move |ev| values[0].set(event_target_value(&ev)) />
                <label for=id("x2")>"second value"</label>
                <input id=id("x2") data-testid=id("x2") prop:value=move || values[1].get() on:change=move |ev| values[1].set(event_target_value(&ev)) />
                <label for=id("y1")>"Survival axis: first value"</label>
                <input id=id("y1") data-testid=id("y1") prop:value=move || values[2].get() on:change=move |ev| values[2].set(event_target_value(&ev)) />
                <label for=id("y2")>"second value (1 for 100%)"</label>
                <input id=id("y2") data-testid=id("y2") prop:value=move || values[3].get() on:change=move |ev| values[3].set(event_target_value(&ev)) />
                <label for=id("tolerance")>"Colour tolerance"</label>
                <input id=id("tolerance") data-testid=id("tolerance") type="number" min="5" max="200"
                    prop:value=move || tolerance.get().to_string()
                    on:change=move |ev| if let Some(t) = number(&event_target_value(&ev)) { tolerance.set(t.clamp(1.0, 441.0)) } />
            </div>
            <Show when=move || pixels.with(Option::is_some)>
                <p class="small" role="status" data-testid=id("prompt")>{move || step.get().prompt()}</p>
                <div class="row">
                    <button class="secondary" data-testid=id("recalibrate") on:click=move |_| { clicks.set(Vec::new()); step.set(Step::X1); }>"Calibrate again"</button>
                    <button class="secondary" data-testid=id("trace-mode") on:click=move |_| step.set(Step::Trace)>"Trace a curve"</button>
                    <button class="secondary" data-testid=id("click-mode") on:click=move |_| step.set(Step::Click)>"Click points"</button>
                </div>
            </Show>
            <canvas node_ref=canvas class="digitiser-canvas" data-testid=id("canvas") on:click=on_click
                aria-label="The figure: click on it to calibrate the axes and to trace the curve"></canvas>
            {move || message.get().map(|m| view! { <p class="small" data-testid=id("message")>{m}</p> })}
        </details>
    }
}
