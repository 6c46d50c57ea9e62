//! The error panel: what failed, in words, with a retry button when retrying can help, a pointer to
//! the proxy when the service refused browser pages from other sites (CORS), and to Settings when
//! this page's own policy blocked the request.

use crate::api::error::FetchError;
use crate::app::use_app;
use leptos::prelude::*;

#[component]
pub fn ErrorPanel(error: FetchError, #[prop(optional)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let app = use_app();
    let retry = on_retry.filter(|_| error.is_retryable());
    let cors = error.is_cors_refusal();
    let blocked = error.is_blocked();
    view! {
        <div class="error-panel" role="alert">
            <p>
                <strong>"Could not load the data. "</strong>
                {error.to_string()}
            </p>
            {cors
                .then(|| {
                    view! {
                        <p>
                            <a href=app.href("/settings#proxy")>"Point NetLens at a proxy"</a>
                            " (docs/deploy.md: “netlens-proxy”)."
                        </p>
                    }
                })}
            {blocked
                .then(|| {
                    view! {
                        <p>
                            <a href=app.href("/settings")>"Check the endpoints in Settings"</a>
                        </p>
                    }
                })}
            {retry.map(|cb| view! { <button type="button" class="primary" on:click=move |_| cb.run(())>"Retry"</button> })}
        </div>
    }
}
