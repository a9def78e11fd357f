//! The Kaplan–Meier figure on a `<canvas>` (plotters-canvas), and its SVG export — both
//! drawn by `survcalc_plot::draw_km` from the same data.

use crate::download::save_text;
use crate::state::{Outcome, Session};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use survcalc_core::analysis::fmt_level;
use survcalc_core::format::p_label;
use survcalc_core::Analysis;
use survcalc_plot::{draw_km, km_svg, KmFigure};

const WIDTH: u32 = 900;
const HEIGHT: u32 = 620;

/// The line printed on the plot: the headline HR (CI) and the headline test's P, when
/// there are two groups.
pub fn annotation(a: &Analysis) -> Option<String> {
    let test = a.headline_test()?;
    let short = match test.weight {
        survcalc_core::compare::Weight::LogRank => "log-rank".to_string(),
        _ => test
            .method
            .split([',', ':'])
            .next()
            .unwrap_or("test")
            .trim()
            .to_string(),
    };
    let p = format!("{short} {}", p_label(test.p_value));
    match a.headline_hr() {
        Some(h) => Some(format!(
            "HR {:.2} ({}% CI: {:.2}, {:.2}); {p}",
            h.hr,
            fmt_level(h.conf_level),
            h.lower,
            h.upper
        )),
        None => Some(p),
    }
}

fn figure_of<'a>(a: &'a Analysis, x_label: String) -> KmFigure<'a> {
    KmFigure {
        curves: &a.curves,
        x_label,
        y_label: "Survival probability".into(),
        annotation: annotation(a),
        ticks: vec![],
    }
}

/// The figure panel.
#[component]
pub fn Figure(session: RwSignal<Session>, outcome: Memo<Outcome>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let draw_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let label = session.with(Session::x_label);
        let Some(el) = canvas.get() else { return };
        outcome.with(|o| {
            let Ok(a) = o else { return };
            let Some(backend) = CanvasBackend::with_canvas_object(el) else {
                draw_error.set(Some("this browser cannot draw on a canvas".into()));
                return;
            };
            let root = backend.into_drawing_area();
            let r = draw_km(&root, &figure_of(a, label)).map_err(|e| e.to_string());
            draw_error.set(r.err());
        });
    });
    let save_svg = move |_| {
        let label = session.with_untracked(Session::x_label);
        outcome.with_untracked(|o| {
            if let Ok(a) = o {
                let r = km_svg(&figure_of(a, label), WIDTH, HEIGHT)
                    .and_then(|svg| save_text("kaplan-meier.svg", "image/svg+xml", &svg));
                draw_error.set(r.err());
            }
        });
    };
    view! {
        <div class="figure" class:hidden=move || outcome.with(Result::is_err)>
            <canvas
                node_ref=canvas
                width=WIDTH
                height=HEIGHT
                data-testid="km-canvas"
                role="img"
                aria-label="Kaplan–Meier survival curves by group, with numbers at risk"
            ></canvas>
            <div class="row">
                <button data-testid="save-svg" on:click=save_svg>"Download SVG"</button>
            </div>
            {move || draw_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}
