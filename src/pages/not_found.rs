//! The in-app "not found" page for unknown routes.

use crate::app::use_app;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn NotFound() -> impl IntoView {
    let app = use_app();
    let location = use_location();
    view! {
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p class="lead">
                "NetLens has no page at "
                <code>{move || location.pathname.get()}</code>
                ". The link may be mistyped or from a newer version of NetLens."
            </p>
            <p>
                <a href=app.href("/")>"Go to the start page"</a>
            </p>
        </section>
    }
}
