//! Column mapping: endpoint, time, event (and the value meaning "event"), group and the
//! reference group — guessed from the names, always editable.

use crate::state::Session;
use leptos::prelude::*;
use survcalc_core::compare::Weight;
use survcalc_core::convention::HeadlineHr;
use survcalc_core::dates::DateOrder;
use survcalc_core::median::MedianMethod;
use survcalc_core::units::TimeUnit;
use survcalc_core::{ConfType, Convention, Ties};
use wasm_bindgen::JsCast;

/// The tests of curves offered as the headline: key, label, weight.
const TESTS: [(&str, &str, Weight); 6] = [
    (
        "logrank",
        "log-rank (all software's default)",
        Weight::LogRank,
    ),
    (
        "gehan",
        "Gehan–Breslow–Wilcoxon (SAS, Prism)",
        Weight::GehanBreslow,
    ),
    ("tarone", "Tarone–Ware", Weight::TaroneWare),
    ("peto", "Peto–Peto (R survdiff rho = 1)", Weight::PetoPeto),
    (
        "fh01",
        "Fleming–Harrington G(0, 1): late differences",
        Weight::FlemingHarrington {
            rho: 0.0,
            gamma: 1.0,
        },
    ),
    (
        "fh10",
        "Fleming–Harrington G(1, 0): early differences",
        Weight::FlemingHarrington {
            rho: 1.0,
            gamma: 0.0,
        },
    ),
];

/// Above this many options a [`Choice`] gets a search box and lists only matches.
pub(crate) const SEARCH_ABOVE: usize = 200;
/// Matches listed at once in a searchable [`Choice`].
pub(crate) const MATCHES_SHOWN: usize = 100;

/// The options a [`Choice`] renders: all of them up to [`SEARCH_ABOVE`]; beyond, the first
/// (the "none" entry, where there is one), the current one, and the first
/// [`MATCHES_SHOWN`] whose text contains `query` (ignoring case), with the number left out.
/// A table of 16,384 columns had 115,000 option nodes in its menus (issue 12).
pub(crate) fn shown_options(
    all: &[(String, String)],
    current: &str,
    query: &str,
) -> (Vec<(String, String)>, usize) {
    if all.len() <= SEARCH_ABOVE {
        return (all.to_vec(), 0);
    }
    let q = query.trim().to_lowercase();
    let mut shown = Vec::with_capacity(MATCHES_SHOWN + 2);
    let mut left_out = 0;
    for (i, (value, text)) in all.iter().enumerate() {
        let pinned = i == 0 || value == current;
        let hit = q.is_empty() || text.to_lowercase().contains(&q);
        if pinned || (hit && shown.len() < MATCHES_SHOWN + 1) {
            shown.push((value.clone(), text.clone()));
        } else if hit {
            left_out += 1;
        }
    }
    (shown, left_out)
}

/// A `<select>` over `options` showing `current`, calling `set` on change. With more than
/// [`SEARCH_ABOVE`] options (a very wide table) a search box above it narrows the list.
#[component]
pub(crate) fn Choice(
    label: &'static str,
    id: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] current: Signal<String>,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let many = move || options.with(|o| o.len() > SEARCH_ABOVE);
    view! {
        <label for=id>{label}</label>
        <span class="choice">
            <Show when=many>
                <input
                    type="search"
                    class="choice-search"
                    id=format!("{id}-search")
                    data-testid=format!("{id}-search")
                    aria-label=format!("Search the list “{label}”")
                    placeholder=move || format!("search {} columns…", options.with(|o| o.iter().filter(|(v, _)| !v.is_empty()).count()))
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </Show>
            <select id=id data-testid=id on:change=move |ev| set(event_target_value(&ev))>
                {move || {
                    let cur = current.get();
                    let q = query.get();
                    let (shown, left_out) = options.with(|all| shown_options(all, &cur, &q));
                    let rows = shown
                        .into_iter()
                        .map(|(value, text)| {
                            let sel = value == cur;
                            view! { <option value=value selected=sel prop:selected=sel>{text}</option> }
                        })
                        .collect_view();
                    let more = (left_out > 0).then(|| view! {
                        <option disabled=true value="">{format!("… {left_out} more: type in the search box")}</option>
                    });
                    (rows, more)
                }}
            </select>
        </span>
    }
}

pub(crate) fn pairs(v: Vec<String>) -> Vec<(String, String)> {
    v.into_iter().map(|c| (c.clone(), c)).collect()
}

/// The table's columns, after a first empty choice labelled `none` (e.g. "(not used)").
fn columns_or(session: RwSignal<Session>, none: &'static str) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut v = vec![(String::new(), none.to_string())];
        v.extend(pairs(session.with(Session::columns)));
        v
    })
}

/// The mapping and settings panel.
#[component]
pub fn MappingPanel(session: RwSignal<Session>) -> impl IntoView {
    let has_table = move || session.with(|s| s.table.is_ok());
    let columns = Signal::derive(move || pairs(session.with(Session::columns)));
    let endpoints = Signal::derive(move || {
        session.with(|s| {
            s.endpoints
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    (
                        i.to_string(),
                        format!("{} ({}, {})", e.name, e.time, e.event),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let event_values = Signal::derive(move || {
        let mut v = vec![(
            String::new(),
            "recognise (1/0, 2/1, dead/alive, …)".to_string(),
        )];
        v.extend(
            session
                .with(Session::event_values)
                .into_iter()
                .map(|l| (l.clone(), survcalc_plot::figure_label(&l))),
        );
        v
    });
    let group_columns = columns_or(session, "(none: one group)");
    let levels = Signal::derive(move || {
        let mut v = vec![(String::new(), "first in the data".to_string())];
        // Long labels are shortened in the menu (the value stays whole).
        v.extend(
            session
                .with(Session::group_levels)
                .into_iter()
                .map(|l| (l.clone(), survcalc_plot::figure_label(&l))),
        );
        v
    });
    view! {
        <Show when=has_table fallback=|| view! { <p class="muted">"Load data to choose columns."</p> }>
            <div class="grid">
                <Show when=move || session.with(|s| s.sheets.len() > 1)>
                    <Choice
                        label="Sheet"
                        id="sheet"
                        options=Signal::derive(move || pairs(session.with(|s| s.sheets.clone())))
                        current=Signal::derive(move || session.with(|s| s.sheet.clone().unwrap_or_default()))
                        set=move |v: String| {
                            let read = session.with_untracked(|s| s.sheet_options(&v));
                            expect_context::<crate::client::Client>().reread(read);
                        }
                    />
                </Show>
                <Show when=move || session.with(|s| s.endpoints.len() > 1)>
                    <Choice
                        label="Endpoint"
                        id="endpoint"
                        options=endpoints
                        current=Signal::derive(move || {
                            session.with(|s| s.current_endpoint().map(|i| i.to_string()).unwrap_or_default())
                        })
                        set=move |v: String| {
                            if let Ok(i) = v.parse() {
                                session.update(|s| s.select_endpoint(i));
                            }
                        }
                    />
                </Show>
                <Choice
                    label="Time"
                    id="time-col"
                    options=columns_or(session, "(from the start and end dates)")
                    current=Signal::derive(move || session.with(|s| s.mapping.time.clone()))
                    set=move |v| session.update(|s| s.set_time(v))
                />
                <Choice
                    label="…or from dates: start"
                    id="date-start"
                    options=columns_or(session, "(not used)")
                    current=Signal::derive(move || session.with(|s| s.date_draft.0.clone()))
                    set=move |v: String| session.update(|s| s.set_dates(Some(v), None))
                />
                <Choice
                    label="…end (event or last contact)"
                    id="date-end"
                    options=columns_or(session, "(not used)")
                    current=Signal::derive(move || session.with(|s| s.date_draft.1.clone()))
                    set=move |v: String| session.update(|s| s.set_dates(None, Some(v)))
                />
                <Show when=move || session.with(|s| s.mapping.dates.is_some())>
                    <Choice
                        label="Dates are written"
                        id="date-order"
                        options=Signal::derive(|| {
                            [DateOrder::Auto, DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy]
                                .into_iter()
                                .map(|o| (format!("{o:?}"), o.describe().to_string()))
                                .collect::<Vec<_>>()
                        })
                        current=Signal::derive(move || {
                            session.with(|s| s.mapping.dates.as_ref().map(|d| format!("{:?}", d.order)).unwrap_or_default())
                        })
                        set=move |v: String| {
                            let o = [DateOrder::Auto, DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy]
                                .into_iter()
                                .find(|o| format!("{o:?}") == v);
                            if let Some(o) = o {
                                session.update(|s| s.set_date_order(o));
                            }
                        }
                    />
                </Show>
                <Choice
                    label="Analyse in"
                    id="output-unit"
                    options=Signal::derive(|| {
                        let mut v = vec![(String::new(), "the data's unit".to_string())];
                        v.extend(TimeUnit::ALL.into_iter().map(|u| (u.name().to_string(), u.name().to_string())));
                        v
                    })
                    current=Signal::derive(move || session.with(|s| s.mapping.output_unit.map(|u| u.name().to_string()).unwrap_or_default()))
                    set=move |v: String| {
                        let u = TimeUnit::ALL.into_iter().find(|u| u.name() == v);
                        session.update(|s| s.set_output_unit(u));
                    }
                />
                <Show when=move || session.with(|s| s.mapping.dates.is_none())>
                    <Choice
                        label="Time column is in"
                        id="time-unit"
                        options=Signal::derive(move || {
                            let named = session.with(|s| TimeUnit::from_column_name(&s.mapping.time));
                            let first = match named {
                                Some(u) => format!("{} (from its name)", u.name()),
                                None => "unknown: choose".to_string(),
                            };
                            let mut v = vec![(String::new(), first)];
                            v.extend(TimeUnit::ALL.into_iter().map(|u| (u.name().to_string(), u.name().to_string())));
                            v
                        })
                        current=Signal::derive(move || session.with(|s| s.mapping.time_unit.map(|u| u.name().to_string()).unwrap_or_default()))
                        set=move |v: String| session.update(|s| s.set_time_unit(TimeUnit::parse(&v)))
                    />
                </Show>
                <Choice
                    label="Event"
                    id="event-col"
                    options=columns
                    current=Signal::derive(move || session.with(|s| s.mapping.event.clone()))
                    set=move |v| session.update(|s| s.set_event(v))
                />
                <Choice
                    label="Value meaning “event”"
                    id="event-value"
                    options=event_values
                    current=Signal::derive(move || {
                        session.with(|s| s.mapping.event_value.clone().unwrap_or_default())
                    })
                    set=move |v: String| session.update(|s| s.mapping.event_value = (!v.is_empty()).then_some(v))
                />
                <Choice
                    label="Value meaning “censored”"
                    id="censor-value"
                    options=Signal::derive(move || {
                        let mut v = vec![(String::new(), "any other value".to_string())];
                        v.extend(pairs(session.with(Session::event_values)));
                        v
                    })
                    current=Signal::derive(move || {
                        session.with(|s| s.mapping.censor_value.clone().unwrap_or_default())
                    })
                    set=move |v: String| session.update(|s| s.set_censor_value(v))
                />
                <Choice
                    label="Patient ID (duplicate check)"
                    id="id-col"
                    options=columns_or(session, "guess (id, USUBJID, …)")
                    current=Signal::derive(move || session.with(|s| s.mapping.id.clone().unwrap_or_default()))
                    set=move |v: String| session.update(|s| s.set_id(v))
                />
                <Choice
                    label="Patients per row (an aggregated table)"
                    id="count-col"
                    options=columns_or(session, "one patient per row")
                    current=Signal::derive(move || session.with(|s| s.mapping.count.clone().unwrap_or_default()))
                    set=move |v: String| session.update(|s| s.set_count(v))
                />
                <Choice
                    label="Events at each time (an events/censored table)"
                    id="events-count-col"
                    options=columns_or(session, "none: a status per row")
                    current=Signal::derive(move || session.with(|s| s.counts_draft.0.clone()))
                    set=move |v: String| session.update(|s| s.set_counts(Some(v), None))
                />
                <Choice
                    label="Censored at each time"
                    id="censored-count-col"
                    options=columns_or(session, "none: a status per row")
                    current=Signal::derive(move || session.with(|s| s.counts_draft.1.clone()))
                    set=move |v: String| session.update(|s| s.set_counts(None, Some(v)))
                />
                <Choice
                    label="Group (arm)"
                    id="group-col"
                    options=group_columns
                    current=Signal::derive(move || session.with(|s| s.mapping.group.clone().unwrap_or_default()))
                    set=move |v| session.update(|s| s.set_group(v))
                />
                <Choice
                    label="Reference group"
                    id="reference"
                    options=levels
                    current=Signal::derive(move || session.with(|s| s.mapping.reference.clone().unwrap_or_default()))
                    set=move |v: String| session.update(|s| s.mapping.reference = (!v.is_empty()).then_some(v))
                />
                <label for="group-order">"Group order"</label>
                <input
                    id="group-order"
                    data-testid="group-order"
                    placeholder="e.g. Placebo, Drug (first = reference)"
                    prop:value=move || session.with(|s| s.mapping.group_order.join(", "))
                    on:change=move |ev| session.update(|s| s.set_group_order(&event_target_value(&ev)))
                />
                <label for="group-labels">"Group labels"</label>
                <input
                    id="group-labels"
                    data-testid="group-labels"
                    placeholder="e.g. 1=Sorafenib, 2=Sorafenib+HAIC"
                    prop:value=move || session.with(Session::group_labels_text)
                    on:change=move |ev| session.update(|s| s.set_group_labels(&event_target_value(&ev)))
                />
            </div>
            <h3 class="settings-h">"Settings"</h3>
            <div class="grid">
                <Choice
                    label="Convention"
                    id="convention"
                    options=Signal::derive(|| {
                        Convention::ALL
                            .into_iter()
                            .map(|c| (format!("{c:?}").to_lowercase(), format!("{} defaults", c.label())))
                            .collect::<Vec<_>>()
                    })
                    current=Signal::derive(move || session.with(|s| format!("{:?}", s.options.convention).to_lowercase()))
                    set=move |v: String| {
                        if let Some(c) = Convention::from_name(&v) {
                            session.update(|s| s.options.apply_convention(c));
                        }
                    }
                />
                <Choice
                    label="CI transform"
                    id="conf-type"
                    options=Signal::derive(|| {
                        [
                            (ConfType::Log, "log (R default)"),
                            (ConfType::LogLog, "log-log (SAS, Stata)"),
                            (ConfType::Plain, "plain (SPSS)"),
                            (ConfType::Logit, "logit"),
                            (ConfType::Arcsin, "arcsin"),
                        ]
                        .into_iter()
                        .map(|(c, t)| (c.r_name().to_string(), t.to_string()))
                        .collect::<Vec<_>>()
                    })
                    current=Signal::derive(move || session.with(|s| s.options.km.conf_type.r_name().to_string()))
                    set=move |v: String| {
                        if let Some(c) = ConfType::from_r_name(&v) {
                            session.update(|s| s.options.km.conf_type = c);
                        }
                    }
                />
                <Choice
                    label="Confidence level"
                    id="conf-level"
                    options=Signal::derive(|| {
                        ["0.90", "0.95", "0.99"]
                            .into_iter()
                            .map(|v| (v.to_string(), format!("{}%", (v.parse::<f64>().unwrap_or(0.95) * 100.0).round())))
                            .collect::<Vec<_>>()
                    })
                    current=Signal::derive(move || session.with(|s| format!("{:.2}", s.options.km.conf_level)))
                    set=move |v: String| {
                        if let Ok(l) = v.parse::<f64>() {
                            session.update(|s| {
                                s.options.km.conf_level = l;
                                s.options.cox.conf_level = l;
                            });
                        }
                    }
                />
                <Choice
                    label="Median CI"
                    id="median-method"
                    options=Signal::derive(|| {
                        vec![
                            ("band".to_string(), "where the band crosses 0.5 (R, SAS, Stata)".to_string()),
                            ("spss".to_string(), "median ± z·SE (SPSS)".to_string()),
                        ]
                    })
                    current=Signal::derive(move || session.with(|s| match s.options.median_method {
                        MedianMethod::RBandInversion => "band".to_string(),
                        MedianMethod::SpssSymmetric => "spss".to_string(),
                    }))
                    set=move |v: String| session.update(|s| s.options.median_method = if v == "spss" {
                        MedianMethod::SpssSymmetric
                    } else {
                        MedianMethod::RBandInversion
                    })
                />
                <Choice
                    label="Test of the curves"
                    id="test"
                    options=Signal::derive(|| TESTS.iter().map(|(k, t, _)| (k.to_string(), t.to_string())).collect::<Vec<_>>())
                    current=Signal::derive(move || session.with(|s| {
                        TESTS.iter().find(|(_, _, w)| *w == s.options.test).map(|(k, _, _)| k.to_string()).unwrap_or_default()
                    }))
                    set=move |v: String| {
                        if let Some((_, _, w)) = TESTS.iter().find(|(k, _, _)| *k == v) {
                            session.update(|s| s.options.test = *w);
                        }
                    }
                />
                <Choice
                    label="Hazard ratio"
                    id="hr-method"
                    options=Signal::derive(|| {
                        vec![
                            ("cox".to_string(), "Cox model (R, SAS, SPSS, Stata)".to_string()),
                            ("oe".to_string(), "log-rank O/E (Prism)".to_string()),
                            ("mh".to_string(), "Mantel–Haenszel (Prism)".to_string()),
                        ]
                    })
                    current=Signal::derive(move || session.with(|s| match s.options.hr {
                        HeadlineHr::Cox => "cox".to_string(),
                        HeadlineHr::LogRankOe => "oe".to_string(),
                        HeadlineHr::MantelHaenszel => "mh".to_string(),
                    }))
                    set=move |v: String| session.update(|s| s.options.hr = match v.as_str() {
                        "oe" => HeadlineHr::LogRankOe,
                        "mh" => HeadlineHr::MantelHaenszel,
                        _ => HeadlineHr::Cox,
                    })
                />
                <Choice
                    label="Cox ties"
                    id="ties"
                    options=Signal::derive(|| {
                        vec![
                            ("efron".to_string(), "Efron (R default)".to_string()),
                            ("breslow".to_string(), "Breslow (SAS, SPSS, Stata)".to_string()),
                            ("exact".to_string(), "exact (discrete; R ties = \"exact\")".to_string()),
                        ]
                    })
                    current=Signal::derive(move || session.with(|s| s.options.cox.ties.r_name().to_string()))
                    set=move |v: String| {
                        session.update(|s| {
                            s.options.cox.ties = match v.as_str() {
                                "breslow" => Ties::Breslow,
                                "exact" => Ties::Exact,
                                _ => Ties::Efron,
                            }
                        })
                    }
                />
                <label for="timefix">"Near-tied times"</label>
                <select id="timefix" data-testid="timefix" on:change=move |ev| {
                    let on = event_target_value(&ev) == "on";
                    session.update(|s| s.options.timefix = on);
                }>
                    <option value="on" prop:selected=move || session.with(|s| s.options.timefix)>"tied when within 1.5e-8 (R timefix)"</option>
                    <option value="off" prop:selected=move || session.with(|s| !s.options.timefix)>"kept apart (SAS, SPSS, Stata, Prism)"</option>
                </select>
                <Choice
                    label="Strata"
                    id="strata"
                    options=columns_or(session, "(none)")
                    current=Signal::derive(move || session.with(|s| s.options.strata.clone().unwrap_or_default()))
                    set=move |v: String| session.update(|s| s.options.strata = (!v.is_empty()).then_some(v))
                />
                <label for="covariates">"Adjust Cox for"</label>
                <input
                    id="covariates"
                    data-testid="covariates-input"
                    placeholder="columns, e.g. age, ecog"
                    on:change=move |ev| session.update(|s| s.set_covariates(&event_target_value(&ev)))
                />
                <label for="landmarks">"Landmark times"</label>
                <input
                    id="landmarks"
                    data-testid="landmarks-input"
                    placeholder="e.g. 6, 12, 24"
                    on:change=move |ev| session.update(|s| s.set_landmarks(&event_target_value(&ev)))
                />
                <label for="tau">"RMST τ"</label>
                <input
                    id="tau"
                    data-testid="tau-input"
                    placeholder="default: survRM2's rule"
                    on:change=move |ev| session.update(|s| s.set_tau(&event_target_value(&ev)))
                />
            </div>
            {move || session.with(|s| s.input_error.clone()).map(|e| view! { <p class="error" role="alert" data-testid="input-error">{e}</p> })}
        </Show>
    }
}

/// The question the page asks when the names do not say which event column goes with an
/// endpoint's time column (e.g. `os_months, pfs_months, status`): the analysis shown uses
/// the first candidate until the user answers.
#[component]
pub fn PairingQuestion(session: RwSignal<Session>) -> impl IntoView {
    move || {
        session.with(Session::pairing_question).map(|(name, time, candidates)| {
            let current = session.with_untracked(|s| s.mapping.event.clone());
            let options = candidates
                .into_iter()
                .map(|c| {
                    let sel = c == current;
                    view! { <option value=c.clone() selected=sel prop:selected=sel>{c.clone()}</option> }
                })
                .collect_view();
            view! {
                <div class="warn pairing" role="group" aria-labelledby="pairing-q" data-testid="pairing-question">
                    <p id="pairing-q">
                        <strong>{format!("Which column records the {name} event?")}</strong>
                        {format!(" The column names do not say which event goes with “{time}”; the results below use “{current}” until you choose.")}
                    </p>
                    <label for="pairing-choice">{format!("Event column for {name}")}</label>
                    " "
                    <select id="pairing-choice" data-testid="pairing-choice">{options}</select>
                    " "
                    <button data-testid="pairing-confirm" on:click=move |_| {
                        let v = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.get_element_by_id("pairing-choice"))
                            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
                            .map(|s| s.value());
                        if let Some(v) = v {
                            session.update(|s| s.set_event(v));
                        }
                    }>"Use this column"</button>
                </div>
            }
        })
    }
}
