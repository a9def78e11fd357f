//! The results: first the headline a paper reports (per arm n, events and the median with
//! its CI; the hazard ratio with its CI and P), one number per question as the convention
//! chooses, each with its method in plain words; then "Other methods", the same questions
//! answered by each convention side by side, and the excluded rows listed.
//!
//! Every displayed estimate carries its full-precision value in a `data-value`
//! attribute, so tests (and curious users) can compare with R without rounding.

use crate::state::{Outcome, Session};
use leptos::prelude::*;
use survcalc_core::analysis::fmt_level;
use survcalc_core::format::{num, p_label};
use survcalc_core::{Analysis, MedianCi, MedianMethod};

fn value_attr(x: Option<f64>) -> String {
    x.map_or_else(|| "NA".to_string(), |v| format!("{v:e}"))
}

fn median_cell(m: &MedianCi, testid: String) -> impl IntoView {
    // A missing R limit means the band never reaches 0.5 ("not reached"); a missing SPSS
    // limit means the density could not be estimated ("not estimable").
    let limit = |x: Option<f64>| match (x, m.method) {
        (None, MedianMethod::SpssSymmetric) if m.estimate.is_some() => "NE".to_string(),
        _ => num(x, 1),
    };
    view! {
        <td data-testid=testid data-value=value_attr(m.estimate) data-lower=value_attr(m.lower) data-upper=value_attr(m.upper)>
            {num(m.estimate, 1)}
            " ("
            {limit(m.lower)}
            ", "
            {limit(m.upper)}
            ")"
        </td>
    }
}

fn exclusions(a: &Analysis) -> impl IntoView {
    let n = a.excluded.len();
    let shown: Vec<_> = a.excluded.iter().take(100).cloned().collect();
    let more = n.saturating_sub(shown.len());
    (n > 0).then(|| {
        view! {
            <details class="excluded" data-testid="excluded" open=true>
                <summary>{format!("{n} row(s) excluded — each with its reason")}</summary>
                <ul>
                    {shown.into_iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}
                </ul>
                {(more > 0).then(|| view! { <p>{format!("… and {more} more")}</p> })}
            </details>
        }
    })
}

/// Rows of each Kaplan–Meier table put on the page; a million-row data set has tens of
/// thousands of distinct times, which would take the page seconds to lay out. A thinned
/// analysis keeps these first rows as they are.
const KM_ROWS_SHOWN: usize = survcalc_core::thin::HEAD_ROWS;

/// The rows of R's `summary(survfit(...), censored = TRUE)` for each group, put on the
/// page when the user first opens them: a thinned analysis holds 500 rows per arm, some
/// ten thousand cells that would otherwise be built, hidden, in the task that shows the
/// results (issue 15: the page's thread is not to stop for more than 100 ms).
fn km_tables(a: Analysis) -> impl IntoView {
    let lvl = fmt_level(a.options.km.conf_level);
    // Each full table's rows (a thinned analysis holds fewer).
    let rows: Vec<usize> = a
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| {
            a.drawing
                .as_ref()
                .and_then(|d| d.rows.get(i).copied())
                .unwrap_or(c.time.len())
        })
        .collect();
    let opened = RwSignal::new(false);
    view! {
        <details
            class="km-tables"
            data-testid="km-tables"
            on:toggle=move |_| {
                if !opened.get_untracked() {
                    opened.set(true);
                }
            }
        >
            <summary>"Kaplan–Meier tables (as R summary(survfit, censored = TRUE); std.err is Greenwood's, of S)"</summary>
            {move || opened.get().then(|| km_table_views(&a.curves, &rows, &lvl))}
        </details>
    }
}

/// The Kaplan–Meier table of each curve; `rows`: each full table's number of rows.
fn km_table_views(curves: &[survcalc_core::KmCurve], rows: &[usize], lvl: &str) -> impl IntoView {
    let f = |x: Option<f64>| num(x, 4);
    curves
        .iter()
        .zip(rows)
        .map(|(c, &rows)| {
            let shown = rows.min(KM_ROWS_SHOWN).min(c.time.len());
            let more = (rows > shown).then(|| {
                view! {
                    <p class="small">
                        {format!(
                            "Showing the first {shown} of {rows} rows; \u{201c}Download KM table (CSV)\u{201d} has them all."
                        )}
                    </p>
                }
            });
            let body = (0..shown)
                .map(|j| {
                    view! {
                        <tr>
                            <td>{format!("{}", c.time[j])}</td>
                            <td>{c.n_risk[j]}</td>
                            <td>{c.n_event[j]}</td>
                            <td>{c.n_censor[j]}</td>
                            <td>{f(Some(c.surv[j]))}</td>
                            <td>{f(Some(c.se_surv[j]).filter(|v| v.is_finite()))}</td>
                            <td>{f(c.lower[j])}</td>
                            <td>{f(c.upper[j])}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <h4 title=c.group.clone()>{survcalc_plot::figure_label(&c.group)}</h4>
                <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)">
                    <table class="summary km">
                        <thead>
                            <tr>
                                <th scope="col">"time"</th>
                                <th scope="col">"n.risk"</th>
                                <th scope="col">"n.event"</th>
                                <th scope="col">"n.censor"</th>
                                <th scope="col">"survival"</th>
                                <th scope="col">"std.err"</th>
                                <th scope="col">{format!("lower {lvl}% CI")}</th>
                                <th scope="col">{format!("upper {lvl}% CI")}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                {more}
            }
        })
        .collect_view()
}

/// A test's short name: "log-rank test" of "log-rank test, w(t) = 1 (R survdiff, rho = 0)".
pub(crate) fn test_name(method: &str) -> String {
    let cut = [", w(t)", " with w(t)", " as R", ": w(t)", " (", ","]
        .iter()
        .filter_map(|c| method.find(c))
        .min()
        .unwrap_or(method.len());
    method[..cut].to_string()
}

/// The unit of the analysis, as words after a time ("months"), or nothing.
fn unit_words(a: &Analysis) -> String {
    a.time_unit
        .map(|u| format!(" {}", u.name()))
        .unwrap_or_default()
}

/// The answer to "which number do I report": per arm n, events and the median with its
/// CI (one method, the convention's); the hazard ratio with its CI and the P of the
/// headline test, each with its method in plain words and a footnote where two sit
/// together.
fn headline_view(a: &Analysis) -> impl IntoView {
    let lvl = fmt_level(a.options.km.conf_level);
    let median_method = match a.options.median_method {
        MedianMethod::RBandInversion => format!(
            "Kaplan–Meier median; CI where the {} band crosses 50% (as R)",
            a.options.km.conf_type.r_name()
        ),
        MedianMethod::SpssSymmetric => {
            "Kaplan–Meier median; CI median ± 1.96 SE (as SPSS)".to_string()
        }
    };
    let unit = unit_words(a);
    let rows = a
        .summaries
        .iter()
        .enumerate()
        .map(|(i, g)| {
            view! {
                <tr>
                    <th scope="row" title=g.group.clone()>{survcalc_plot::figure_label(&g.group)}</th>
                    <td data-testid=format!("n-{i}")>{g.n}</td>
                    <td data-testid=format!("events-{i}")>{g.events}</td>
                    {median_cell(a.headline_median(g), format!("median-{i}"))}
                </tr>
            }
        })
        .collect_view();
    let test = a.headline_test().cloned();
    let test_label = test.as_ref().map(|t| test_name(&t.method));
    let hr = a.headline_hr().map(|h| {
        let lvl = fmt_level(h.conf_level);
        let p = test.as_ref().map(|t| p_label(t.p_value));
        let foot = test_label
            .clone()
            .map(|t| format!("P from the {t}. "))
            .unwrap_or_default();
        let p_value = test.as_ref().map(|t| format!("{:e}", t.p_value));
        view! {
            <div data-testid="hr-headline" data-value=format!("{:e}", h.hr)>
                <p class="stat headline-hr">
                    <strong>{format!("Hazard ratio, {} vs {}: ", survcalc_plot::figure_label(&h.group), survcalc_plot::figure_label(&h.reference))}</strong>
                    <span class="big">{format!("{:.2} ({lvl}% CI: {:.2}, {:.2})", h.hr, h.lower, h.upper)}</span>
                    {p.map(|p| view! { <span class="big">{format!("; {p}")}<sup>"*"</sup></span> })}
                </p>
                <p class="method small footnote" data-testid="test-headline" data-value=p_value>
                    {format!("* {foot}Hazard ratio from the {}; below 1 favours {}.", h.method, survcalc_plot::figure_label(&h.group))}
                </p>
            </div>
        }
    });
    // Without a hazard ratio (one group, three arms, a fit that diverged) the test stands alone.
    let test_alone = a
        .headline_hr()
        .is_none()
        .then_some(test)
        .flatten()
        .map(|t| {
            view! {
                <p class="stat" data-testid="test-headline" data-value=format!("{:e}", t.p_value)>
                    <strong>{format!("{}: ", test_name(&t.method))}</strong>
                    {format!("χ² = {:.2} on {} df, {}", t.chisq, t.df, p_label(t.p_value))}
                </p>
            }
        });
    view! {
        <div class="headline" data-testid="headline" tabindex="-1">
            <div class="table-wrap" tabindex="0" role="group" aria-label="Headline results (scrolls sideways on a narrow screen)">
            <table class="summary" data-testid="summary">
                <caption class="method">{format!("Median in{unit} ({lvl}% CI): {median_method}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col"><abbr title="patients analysed">"n"</abbr></th>
                        <th scope="col">"Events"</th>
                        <th scope="col">{format!("Median ({lvl}% CI)")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
            {hr}
            {test_alone}
            <p class="method small">"NR: not reached (the curve or its band stays above 50%). NE: not estimable."</p>
        </div>
    }
}

fn analysis_view(a: Analysis) -> impl IntoView {
    let counts = format!(
        "n = {} of {} rows ({} excluded). Events: {}.",
        a.n_used,
        a.n_rows,
        a.excluded.len(),
        a.event_coding
    );
    let warnings = a.warnings.clone();
    let notes = a.notes.clone();
    view! {
        {headline_view(&a)}
        <p class="counts small" data-testid="counts">{counts}</p>
        {exclusions(&a)}
        {(!warnings.is_empty()).then(|| view! {
            <ul class="warnings" data-testid="warnings">
                {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
            </ul>
        })}
        {(!notes.is_empty()).then(|| view! {
            <details class="notes small" data-testid="notes">
                <summary>{format!("How the data was read ({} note(s))", notes.len())}</summary>
                <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            </details>
        })}
    }
}

/// "Other methods": the same questions answered by each convention side by side, and why
/// the answers differ — the median CI by band inversion (R, SAS) and SPSS's symmetric
/// interval; the log-rank test next to the Cox model's tests; the Cox HR next to the
/// O/E and Mantel–Haenszel HRs (in the secondary results).
fn other_methods(a: &Analysis) -> impl IntoView {
    let lvl = fmt_level(a.options.km.conf_level);
    let conf = a.options.km.conf_type.r_name();
    let rows = a
        .summaries
        .iter()
        .enumerate()
        .map(|(i, g)| {
            view! {
                <tr>
                    <th scope="row" title=g.group.clone()>{survcalc_plot::figure_label(&g.group)}</th>
                    {median_cell(&g.median, format!("median-band-{i}"))}
                    {median_cell(&g.median_spss, format!("median-spss-{i}"))}
                </tr>
            }
        })
        .collect_view();
    let tests = a.log_rank.clone().map(|lr| {
        view! {
            <p class="stat" data-testid="logrank" data-value=format!("{:e}", lr.p_value) data-chisq=format!("{:e}", lr.chisq)>
                <strong>"Log-rank test: "</strong>
                {format!("χ² = {:.2} on {} df, {}", lr.chisq, lr.df, p_label(lr.p_value))}
                <span class="method">" — R survdiff (rho = 0)"</span>
            </p>
        }
    });
    let ph = a.ph_test.clone();
    let cox = a.cox.clone().map(|c| {
        let ties = c.options.ties.r_name();
        let clvl = fmt_level(c.options.conf_level);
        let reliable = c.is_reliable();
        let terms = c
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                view! {
                    <p class="stat" data-testid=format!("hr-{i}") data-value=format!("{:e}", t.hr)
                        data-lower=format!("{:e}", t.hr_lower) data-upper=format!("{:e}", t.hr_upper)
                        data-p=format!("{:e}", t.p_value)>
                        <strong>{format!("HR {} vs {}: ", survcalc_plot::figure_label(&t.level), survcalc_plot::figure_label(&c.reference))}</strong>
                        {if reliable {
                            format!("{:.2} ({clvl}% CI: {:.2}, {:.2}); Wald {}", t.hr, t.hr_lower, t.hr_upper, p_label(t.p_value))
                        } else {
                            "not estimable (see the warning below)".to_string()
                        }}
                        <span class="method">{format!(" — Cox model, {ties} ties, Wald CI (R coxph)")}</span>
                    </p>
                }
            })
            .collect_view();
        view! {
            {terms}
            <p class="stat small">
                {format!(
                    "Cox model tests: likelihood ratio χ² = {:.2} ({}), Wald χ² = {:.2} ({}), score χ² = {:.2} ({}); {} iteration(s).",
                    c.lr_test.chisq, p_label(c.lr_test.p_value),
                    c.wald_test.chisq, p_label(c.wald_test.p_value),
                    c.score_test.chisq, p_label(c.score_test.p_value),
                    c.iterations
                )}
            </p>
            {c.concordance.map(|k| view! {
                <p class="stat small" data-testid="concordance" data-value=format!("{:e}", k.concordance)>
                    {format!("Concordance C = {:.3} (SE {:.3})", k.concordance, k.std_err)}
                    <span class="method">" — Harrell's C as R concordance(fit)"</span>
                </p>
            })}
            {ph.map(|z| view! {
                <p class="stat small" data-testid="ph-test" data-value=format!("{:e}", z.global.p_value)>
                    {format!("Proportional hazards: global χ² = {:.2} on {} df, {}", z.global.chisq, z.global.df, p_label(z.global.p_value))}
                    <span class="method">{format!(" — scaled Schoenfeld residuals, R cox.zph(transform = \"{}\")", z.transform.r_name())}</span>
                </p>
            })}
        }
    });
    view! {
        <details class="other-methods" data-testid="other-methods">
            <summary>"Other methods: how R, SAS, SPSS and Prism would report the same data"</summary>
            <h3>"Median and its confidence interval"</h3>
            <div class="table-wrap" tabindex="0" role="group" aria-label="Medians by method (scrolls sideways on a narrow screen)">
                <table class="summary" data-testid="median-methods">
                    <thead>
                        <tr>
                            <th scope="col">"Group"</th>
                            <th scope="col">{format!("Median ({lvl}% CI)")}<br/><span class="method">{format!("band inversion, {conf} band (R; SAS with log-log)")}</span></th>
                            <th scope="col">{format!("Median ({lvl}% CI)")}<br/><span class="method">"symmetric, median ± 1.96 SE (SPSS)"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="small">
                "Why they differ: R and SAS take the CI as the times where the pointwise confidence band of S(t) crosses 50% (Brookmeyer–Crowley), so it follows the curve's steps and can be open-ended (NR). "
                "SPSS puts a symmetric interval around the median from an estimate of its standard error, floored at 0; it is narrower or wider depending on how steep the curve is at 50%."
            </p>
            <h3>"Test of the curves and the hazard ratio"</h3>
            {tests}
            {cox}
            <p class="small">
                "Why they differ: the log-rank test is the Cox model's score test (exactly so with Breslow ties); the Wald and likelihood-ratio P values of the Cox model agree with it in large samples and can differ in small ones. "
                "Prism reports the hazard ratio by the log-rank O/E or Mantel–Haenszel method, listed with the other tests below; they approximate the Cox HR when it is near 1."
            </p>
        </details>
    }
}

/// Everything below the figure: secondary results, the KM tables and the methods.
fn more_view(mut a: Analysis) -> impl IntoView {
    let methods = std::mem::take(&mut a.methods);
    let other = other_methods(&a);
    let secondary = crate::secondary::secondary_view(&a);
    view! {
        {other}
        {secondary}
        {km_tables(a)}
        <details class="methods">
            <summary>"Methods"</summary>
            <dl>
                {methods.into_iter().map(|m| view! { <dt>{m.quantity}</dt><dd>{m.method}</dd> }).collect_view()}
            </dl>
        </details>
    }
}

/// The results below the figure.
#[component]
pub fn MoreResults(outcome: Memo<Outcome>) -> impl IntoView {
    move || outcome.get().ok().map(more_view)
}

/// The results panel.
#[component]
pub fn Results(session: RwSignal<Session>, outcome: Memo<Outcome>) -> impl IntoView {
    let _ = session;
    move || match outcome.get() {
        Ok(a) => analysis_view(a).into_any(),
        // Empty: the first analysis is on its way (the progress line says so).
        Err(e) if e.is_empty() => ().into_any(),
        Err(e) => view! {
            <p class="error" role="alert" data-testid="error" tabindex="-1">{e}</p>
        }
        .into_any(),
    }
}
