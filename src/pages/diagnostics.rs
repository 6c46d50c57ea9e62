//! `/diagnostics`: deployer-only checks, on only when config.json says `"diagnostics": true`
//! (nothing in a URL or in Settings can turn it on); otherwise the not-found page.

use crate::app::use_app;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;

#[component]
pub fn Diagnostics() -> impl IntoView {
    let app = use_app();
    if !app.file.get_value().diagnostics {
        return view! { <NotFound /> }.into_any();
    }
    view! {
        <section class="diagnostics">
            <h1>"Diagnostics"</h1>
            <p class="lead">
                "Checks for whoever runs this NetLens. This page is on because config.json sets "
                <code>"\"diagnostics\": true"</code> "."
            </p>
            <h2>"Sources"</h2>
            <crate::ui::reach::ReachCheck />
            <h2>"Panic banner"</h2>
            <p>
                "A panic should replace the dead page with a banner that names it and offers a reload. "
                "The button panics on purpose; reload the page afterwards."
            </p>
            <button type="button" on:click=|_| trigger_test_panic()>
                "Trigger a test panic"
            </button>
        </section>
    }
    .into_any()
}

/// The one deliberate panic in NetLens, behind the diagnostics switch.
#[allow(clippy::panic)]
fn trigger_test_panic() {
    panic!("test panic from the diagnostics page");
}
