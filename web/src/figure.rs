//! The Kaplan–Meier figure: drawn by `survcalc_plot::draw_km` as SVG, which the page
//! shows by painting it on a `<canvas>` and exports as the SVG itself or a PNG painted
//! from it — so screen, SVG and PNG are one drawing (plotters' canvas backend sets its
//! fonts 1.24 times larger than its SVG backend does).

use crate::download::{next_task, paint, save_png, save_text};
use crate::state::{Outcome, Session};
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use survcalc_core::Analysis;
use survcalc_plot::{endpoint_y_title, km_svg, FigureOptions, FigureStyle, KmFigure, PRINT_WIDTHS};

/// The figure of the current endpoint: its own options, its y title ("Overall survival
/// (%)") unless the user wrote one.
fn figure_of<'a>(
    a: &'a Analysis,
    x_label: String,
    endpoint: &str,
    options: FigureOptions,
) -> KmFigure<'a> {
    let y = endpoint_y_title(endpoint, &options);
    let mut f = KmFigure::of(a, x_label, options);
    f.y_label = y;
    f
}

/// Below this window width the screen shows the figure at single-column size, whatever
/// the printed size, so that its text stays readable on a phone.
const NARROW: f64 = 600.0;

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
    // The canvas's size: the figure at its printed width in CSS pixels (single column on a
    // narrow screen), with as many table rows as arms.
    let narrow = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .is_some_and(|w| w < NARROW);
    let screen_options = move |mut o: FigureOptions| {
        if narrow {
            o.width_in = 3.5;
        }
        o
    };
    let arms = move || outcome.with(|o| o.as_ref().map_or(2, |a| a.curves.len().max(1)));
    let size = Memo::new(move |_| {
        let o = session.with(|s| screen_options(s.figure.clone()));
        o.size_px(arms())
    });
    // Each redraw has a number, so that a slow paint of an older figure cannot land last.
    let drawn = RwSignal::new(0u64);
    Effect::new(move |_| {
        let (label, endpoint, options) = session.with(|s| {
            (
                s.x_label(),
                s.endpoint_name(),
                screen_options(s.figure.clone()),
            )
        });
        let (w, h) = size.get();
        let Some(el) = canvas.get() else { return };
        outcome.track();
        let n = drawn.get_untracked() + 1;
        drawn.set(n);
        let ratio = web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .clamp(1.0, 3.0);
        let (pw, ph) = (
            (f64::from(w) * ratio).round() as u32,
            (f64::from(h) * ratio).round() as u32,
        );
        // The figure is drawn in a task of its own, after the one that shows the results
        // (and after what waits meanwhile: input, timers), so that a large data set's
        // figure does not add to it (issue 15: the page's thread never stops > 100 ms).
        spawn_local(async move {
            next_task().await;
            // A newer redraw was asked for meanwhile: it draws.
            if drawn.get_untracked() != n {
                return;
            }
            let svg = outcome.with_untracked(|o| match o {
                Ok(a) => Some(km_svg(&figure_of(a, label, &endpoint, options), w, h)),
                Err(_) => None,
            });
            let svg = match svg {
                Some(Ok(s)) => s,
                Some(Err(e)) => {
                    draw_error.set(Some(e));
                    return;
                }
                None => return,
            };
            let r = paint(&el, &svg, pw, ph).await;
            if drawn.get_untracked() == n {
                draw_error.set(r.err());
            }
        });
    });
    let svg_now = move || {
        let (label, endpoint, options) =
            session.with_untracked(|s| (s.x_label(), s.endpoint_name(), s.figure.clone()));
        outcome.with_untracked(|o| match o {
            Ok(a) => {
                let (w, h) = options.size_px(a.curves.len().max(1));
                km_svg(&figure_of(a, label, &endpoint, options), w, h).map(|s| Some((s, (w, h))))
            }
            Err(_) => Ok(None),
        })
    };
    let save_svg = move |_| {
        let r = svg_now().and_then(|svg| match svg {
            Some((svg, _)) => save_text("kaplan-meier.svg", "image/svg+xml", &svg),
            None => Ok(()),
        });
        draw_error.set(r.err());
    };
    let save_png_at = move |dpi: f64| match svg_now() {
        Ok(Some((svg, size))) => spawn_local(async move {
            let width_in = session.with_untracked(|s| s.figure.print_width());
            draw_error.set(
                save_png("kaplan-meier", svg, size, width_in, dpi)
                    .await
                    .err(),
            );
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
    // A text field of the figure options: `field` picks which one.
    let text = move |id: &'static str,
                     label: &'static str,
                     placeholder: Signal<String>,
                     field: fn(&mut FigureOptions) -> &mut String| {
        view! {
            <label for=id>{label}</label>
            <input
                id=id
                data-testid=id
                placeholder=move || placeholder.get()
                prop:value=move || session.with(|s| field(&mut s.figure.clone()).clone())
                on:change=move |ev| {
                    let t = event_target_value(&ev);
                    session.update(|s| *field(&mut s.figure) = t);
                }
            />
        }
    };
    view! {
        <div class="figure" class:hidden=move || outcome.with(Result::is_err)>
            <canvas
                node_ref=canvas
                data-testid="km-canvas"
                style=move || format!("max-width: {}px", size.get().0)
                role="img"
                aria-label="Kaplan–Meier curves by group, with numbers at risk"
            ></canvas>
            <div class="row">
                <button data-testid="save-svg" on:click=save_svg>"Download SVG"</button>
                <button data-testid="save-png" on:click=move |_| save_png_at(300.0)>"Download PNG (300 dpi)"</button>
                <button class="secondary" data-testid="save-png-600" on:click=move |_| save_png_at(600.0)>"PNG (600 dpi)"</button>
            </div>
            <details class="figure-options" data-testid="figure-options">
                <summary>"Figure options"</summary>
                <div class="grid">
                    <label for="fig-style">"Style"</label>
                    <select id="fig-style" data-testid="fig-style" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(st) = FigureStyle::ALL.into_iter().find(|st| st.key() == v) {
                            session.update(|s| s.figure.set_style(st));
                        }
                    }>
                        {FigureStyle::ALL.into_iter().map(|st| view! {
                            <option value=st.key() prop:selected=move || session.with(|s| s.figure.style == st)>{st.label()}</option>
                        }).collect_view()}
                    </select>
                    <label for="fig-width">"Printed width"</label>
                    <select id="fig-width" data-testid="fig-width" on:change=move |ev| {
                        if let Ok(w) = event_target_value(&ev).parse::<f64>() {
                            session.update(|s| s.figure.width_in = w);
                        }
                    }>
                        {PRINT_WIDTHS.into_iter().map(|(w, label)| view! {
                            <option value=w.to_string() prop:selected=move || session.with(|s| (s.figure.width_in - w).abs() < 1e-9)>{label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <p class="small method">"Text is set in points at the printed width: tick labels and the table 9 pt, axis titles 10 pt."</p>
                <div class="checks">
                    <Flag session label="Confidence band" id="fig-ci-band" get=|o| o.ci_band set=|o, v| o.ci_band = v />
                    <Flag session label="Median lines" id="fig-median-lines" get=|o| o.median_lines set=|o, v| o.median_lines = v />
                    <Flag session label="HR and P on the plot" id="fig-annotation" get=|o| o.annotation set=|o, v| o.annotation = v />
                    <Flag session label="Censor marks" id="fig-censor" get=|o| o.censor_marks set=|o, v| o.censor_marks = v />
                    <Flag session label="Percent" id="fig-percent" get=|o| o.percent set=|o, v| o.percent = v />
                    <Flag session label="Cumulative incidence (1 − S)" id="fig-incidence" get=|o| o.cumulative_incidence set=|o, v| o.cumulative_incidence = v />
                    <Show when=move || session.with(|s| s.figure.style == FigureStyle::Classic)>
                        <Flag session label="Cumulative events under the plot" id="fig-risk-events" get=|o| o.risk_events set=|o, v| o.risk_events = v />
                        <Flag session label="Cumulative censored under the plot" id="fig-risk-censored" get=|o| o.risk_censored set=|o, v| o.risk_censored = v />
                    </Show>
                </div>
                <div class="grid">
                    {number("fig-x-max", "Time axis ends at", "fit the data", |o| o.x_max, |o, v| o.x_max = v)}
                    {number("fig-tick-step", "Tick every", "round times", |o| o.tick_step, |o, v| o.tick_step = v)}
                    {number("fig-censor-size", "Censor mark height (pt)", "6", |o| Some(o.censor_pt).filter(|v| (*v - 6.0).abs() > 1e-9), |o, v| o.censor_pt = v.unwrap_or(6.0))}
                    {text("fig-y-title", "Vertical axis", Signal::derive(move || {
                        session.with(|s| endpoint_y_title(&s.endpoint_name(), &s.figure))
                    }), |o| &mut o.y_title)}
                    {text("fig-x-title", "Time axis", Signal::derive(move || session.with(|s| s.x_label())), |o| &mut o.x_title)}
                    {text("fig-title", "Title", Signal::derive(|| "none (journals put it in the legend)".to_string()), |o| &mut o.title)}
                </div>
            </details>
            {move || draw_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}
