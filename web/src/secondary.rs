//! Secondary results of an endpoint: quartiles, follow-up, the test family, other hazard
//! ratios, landmark survival and RMST — each labelled with its method.

use leptos::prelude::*;
use survcalc_core::analysis::fmt_level;
use survcalc_core::format::{num, p_label};
use survcalc_core::Analysis;

fn ci(est: Option<f64>, lo: Option<f64>, hi: Option<f64>, d: usize) -> String {
    format!("{} ({}, {})", num(est, d), num(lo, d), num(hi, d))
}

/// Quartiles, median follow-up and RMST per group.
fn per_group(a: &Analysis) -> impl IntoView {
    let lvl = fmt_level(a.options.km.conf_level);
    let rmst = a.rmst.clone();
    let tau = rmst.as_ref().map(|r| r.tau);
    let rows = a
        .summaries
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let fu = a.follow_up.groups.get(i).map(|f| f.median);
            let r = rmst.as_ref().and_then(|t| t.groups.get(i).cloned());
            let r_value = r.as_ref().map(|r| format!("{:e}", r.estimate)).unwrap_or_default();
            let r_text = r
                .map(|r| format!("{:.2} ({:.2}, {:.2})", r.estimate, r.lower, r.upper))
                .unwrap_or_else(|| "—".into());
            view! {
                <tr>
                    <th scope="row" title=g.group.clone()>{survcalc_plot::figure_label(&g.group)}</th>
                    <td>{ci(g.quartiles[0].estimate, g.quartiles[0].lower, g.quartiles[0].upper, 1)}</td>
                    <td>{ci(g.quartiles[1].estimate, g.quartiles[1].lower, g.quartiles[1].upper, 1)}</td>
                    <td>{fu.map(|m| ci(m.estimate, m.lower, m.upper, 1)).unwrap_or_default()}</td>
                    <td data-testid=format!("rmst-{i}") data-value=r_value>{r_text}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)">
            <table class="summary" data-testid="per-group">
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col">{format!("25th pct ({lvl}% CI)")}</th>
                        <th scope="col">{format!("75th pct ({lvl}% CI)")}</th>
                        <th scope="col">"Median follow-up"<br/><span class="method">"reverse Kaplan–Meier"</span></th>
                        <th scope="col">{format!("RMST to τ = {}", num(tau, 1))}<br/><span class="method">"survRM2"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The weighted log-rank family, trend, pairwise and MaxCombo.
fn tests(a: &Analysis) -> impl IntoView {
    let family = a
        .tests
        .iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <tr data-testid=format!("test-{i}")>
                    <td>{t.method.clone()}</td>
                    <td>{format!("{:.2}", t.chisq)}</td>
                    <td>{t.df}</td>
                    <td data-value=format!("{:e}", t.p_value)>{p_label(t.p_value)}</td>
                </tr>
            }
        })
        .collect_view();
    let combo = a.max_combo.clone().map(|m| {
        view! {
            <tr data-testid="maxcombo">
                <td>{m.method.clone()}</td>
                <td>{format!("max |Z| = {:.2}", m.z_max)}</td>
                <td>"—"</td>
                <td data-value=format!("{:e}", m.p_value)>{p_label(m.p_value)}</td>
            </tr>
        }
    });
    let trend = a.trend.clone().map(|t| {
        view! {
            <tr data-testid="trend">
                <td>{t.method.clone()}</td>
                <td>{format!("{:.2}", t.chisq)}</td>
                <td>{t.df}</td>
                <td data-value=format!("{:e}", t.p_value)>{p_label(t.p_value)}</td>
            </tr>
        }
    });
    let pairwise = a.pairwise.clone().map(|p| {
        let rows = p
            .comparisons
            .iter()
            .map(|c| {
                view! {
                    <tr>
                        <td>{format!("{} vs {}", c.group_a, c.group_b)}</td>
                        <td>{format!("{:.2}", c.chisq)}</td>
                        <td>{p_label(c.p_value)}</td>
                        <td>{p_label(c.p_holm)}</td>
                        <td>{p_label(c.p_bonferroni)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h4>"Pairwise log-rank tests"</h4>
            <table class="summary" data-testid="pairwise">
                <thead><tr><th>"Pair"</th><th>"χ²"</th><th>"P"</th><th>"P (Holm)"</th><th>"P (Bonferroni)"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)">
            <table class="summary tests" data-testid="tests">
                <thead><tr><th scope="col">"Test"</th><th scope="col">"χ²"</th><th scope="col">"df"</th><th scope="col">"P"</th></tr></thead>
                <tbody>{family}{trend}{combo}</tbody>
            </table>
        </div>
        {pairwise}
    }
}

/// Hazard ratios by the log-rank O/E and Mantel–Haenszel methods (as Prism reports them).
fn other_hrs(a: &Analysis) -> impl IntoView {
    let lvl = fmt_level(a.options.cox.conf_level);
    a.hr_other
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let method = h.method.describe();
            view! {
                <p class="stat small" data-testid=format!("hr-other-{i}") data-value=format!("{:e}", h.hr)>
                    {format!("HR {} vs {}: {:.2} ({lvl}% CI: {:.2}, {:.2})", survcalc_plot::figure_label(&h.group), survcalc_plot::figure_label(&h.reference), h.hr, h.lower, h.upper)}
                    <span class="method">{format!(" — {method}")}</span>
                </p>
            }
        })
        .collect_view()
}

/// Landmark survival per group and the difference from the reference.
fn landmarks(a: &Analysis) -> impl IntoView {
    if a.landmarks.is_empty() {
        return None;
    }
    let lvl = fmt_level(a.options.km.conf_level);
    let times: Vec<f64> = a.landmarks[0].rows.iter().map(|r| r.time).collect();
    let header = a
        .landmarks
        .iter()
        .map(|l| view! { <th scope="col">{format!("S(t) {} ({lvl}% CI)", survcalc_plot::figure_label(&l.group))}</th> })
        .collect_view();
    let diff_header = a
        .landmark_differences
        .iter()
        .map(|d| view! { <th scope="col">{format!("{} − {} ({lvl}% CI), P", survcalc_plot::figure_label(&d.group1), survcalc_plot::figure_label(&d.group2))}</th> })
        .collect_view();
    let rows = times
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let cells = a
                .landmarks
                .iter()
                .map(|l| {
                    let r = &l.rows[j];
                    view! { <td>{ci(Some(r.surv), r.lower, r.upper, 3)}</td> }
                })
                .collect_view();
            let diffs = a
                .landmark_differences
                .iter()
                .map(|d| {
                    let r = &d.rows[j];
                    view! { <td>{format!("{}, {}", ci(Some(r.difference), r.lower, r.upper, 3), r.p_value.map(p_label).unwrap_or_default())}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{format!("{t}")}</th>{cells}{diffs}</tr> }
        })
        .collect_view();
    Some(view! {
        <h4>"Survival at landmark times"</h4>
        <div class="table-wrap" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)">
            <table class="summary" data-testid="landmarks">
                <thead><tr><th scope="col">"Time"</th>{header}{diff_header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="method small">"S(t) as R summary(fit, times = t); differences: Wald test with Greenwood SEs (Klein et al. 2007)."</p>
    })
}

/// RMST comparisons.
fn rmst(a: &Analysis) -> impl IntoView {
    a.rmst_comparisons
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let d = &c.difference;
            let r = &c.ratio;
            view! {
                <p class="stat small" data-testid=format!("rmst-diff-{i}")>
                    {format!(
                        "RMST to τ = {}: {} − {} = {} ({}% CI: {}, {}), {}; ratio {} ({}, {})",
                        num(Some(c.tau), 1), survcalc_plot::figure_label(&c.arm1.group), survcalc_plot::figure_label(&c.arm0.group),
                        num(d.estimate, 2), fmt_level(c.conf_level), num(d.lower, 2), num(d.upper, 2),
                        d.p_value.map(p_label).unwrap_or_default(),
                        num(r.estimate, 2), num(r.lower, 2), num(r.upper, 2)
                    )}
                    <span class="method">" — survRM2 rmst2 (Uno et al. 2014)"</span>
                </p>
            }
        })
        .collect_view()
}

/// The stratified log-rank test and the adjusted/stratified Cox model.
fn adjusted(a: &Analysis) -> impl IntoView {
    let strat = a.stratified_log_rank.clone().map(|t| {
        view! {
            <p class="stat small" data-testid="stratified" data-value=format!("{:e}", t.p_value)>
                {format!("Stratified by {}: χ² = {:.2} on {} df, {}", a.options.strata.clone().unwrap_or_default(), t.chisq, t.df, p_label(t.p_value))}
                <span class="method">{format!(" — {} (R survdiff + strata())", t.method)}</span>
            </p>
        }
    });
    let model = a.cox_adjusted.clone().map(|m| {
        let lvl = fmt_level(a.options.cox.conf_level);
        let rows = m
            .coefficients
            .iter()
            .map(|c| {
                view! {
                    <tr>
                        <th scope="row">{c.name.clone()}</th>
                        <td data-value=format!("{:e}", c.hr)>{format!("{:.2} ({:.2}, {:.2})", c.hr, c.hr_lower, c.hr_upper)}</td>
                        <td>{p_label(c.p_value)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h4>{format!("Adjusted Cox model (n = {}, {} events; {} row(s) without a covariate value left out)", m.n, m.events, m.excluded.len())}</h4>
            <table class="summary" data-testid="cox-adjusted">
                <thead><tr><th scope="col">"Term"</th><th scope="col">{format!("HR ({lvl}% CI)")}</th><th scope="col">"Wald P"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="method small">{format!("R coxph, ties = \"{}\"{}", a.options.cox.ties.r_name(), if a.options.strata.is_some() { ", + strata()" } else { "" })}</p>
        }
    });
    view! { {strat} {model} }
}

/// The secondary-results section.
pub fn secondary_view(a: &Analysis) -> impl IntoView {
    view! {
        <details class="secondary" data-testid="secondary" open=true>
            <summary>"More results: quartiles, follow-up, RMST, other tests and hazard ratios"</summary>
            {per_group(a)}
            {other_hrs(a)}
            {rmst(a)}
            {tests(a)}
            {adjusted(a)}
            {landmarks(a)}
        </details>
    }
}
