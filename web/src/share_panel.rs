//! "Share": a link that restores this analysis (`crate::share`), with the data in it only
//! when the user ticks that the link will then contain the patients' data; and the note
//! about a link the page was opened with.

use crate::client::Client;
use crate::share::{encode_packed, MAX_LINK_CHARS};
use crate::state::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The page's address without its fragment.
fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// What the page says about the link it was opened with.
#[component]
pub fn LinkNote() -> impl IntoView {
    let client = expect_context::<Client>();
    move || {
        client.link.get().map(|(ok, msg)| {
            view! {
                <p class=if ok { "link-note ok" } else { "link-note warn" } role="status" data-testid="link-note">
                    {msg}
                </p>
            }
        })
    }
}

/// The share panel.
#[component]
pub fn SharePanel(session: RwSignal<Session>) -> impl IntoView {
    let client = expect_context::<Client>();
    let with_data = RwSignal::new(false);
    let link = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let finish = move |data: Option<String>| {
        let Some(state) = session.with_untracked(Session::share_state) else {
            status.set(Some("Load data first.".into()));
            return;
        };
        let base = base_url();
        match encode_packed(&state, data.as_deref(), &base) {
            Ok(fragment) => {
                let url = format!("{base}#{fragment}");
                link.set(Some(url.clone()));
                spawn_local(async move {
                    let chars = url.chars().count();
                    status.set(Some(match crate::paper::copy(url).await {
                        Ok(()) => format!("Link copied ({chars} characters)."),
                        Err(e) => format!("Link made ({chars} characters) but not copied: {e}. Copy it from the box."),
                    }));
                });
            }
            Err(e) => {
                link.set(None);
                status.set(Some(format!("No link: {e}.")));
            }
        }
    };
    view! {
        <section class="share" aria-labelledby="share-h">
            <h3 id="share-h">"Share this analysis"</h3>
            <p class="small">
                "The link holds the settings after the “#”, which browsers never send to a server. "
                "Without the data, whoever opens it loads the same file and sees the same analysis; the page checks that it is the same file (its SHA-256)."
            </p>
            <label class="check">
                <input type="checkbox" data-testid="share-with-data" prop:checked=move || with_data.get()
                    on:change=move |ev| with_data.set(event_target_checked(&ev)) />
                {format!("Put the data in the link too (compressed; at most {MAX_LINK_CHARS} characters)")}
            </label>
            <Show when=move || with_data.get()>
                <p class="warn" role="alert" data-testid="share-warning">
                    "The link will contain the patients' data: anyone who gets the link can read it. Share it only where the data itself may go."
                </p>
            </Show>
            <div class="row">
                <button data-testid="copy-link" on:click=move |_| {
                    if with_data.get_untracked() {
                        client.packed_data(move |packed| finish(Some(packed)));
                    } else {
                        finish(None);
                    }
                }>"Copy link"</button>
            </div>
            <Show when=move || link.with(Option::is_some)>
                <label for="share-link" class="small">"Link"</label>
                <input id="share-link" class="share-link" readonly data-testid="share-link" prop:value=move || link.get().unwrap_or_default() />
            </Show>
            <p class="small" role="status" data-testid="share-status">{move || status.get()}</p>
        </section>
    }
}
