//! The error panel: what failed, in words, with a retry button when retrying can help and a
//! pointer to the proxy when the failure looks like a refused cross-origin request.

use crate::api::error::FetchError;
use crate::app::use_app;
use leptos::prelude::*;

#[component]
pub fn ErrorPanel(error: FetchError, #[prop(optional)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let app = use_app();
    let retry = on_retry.filter(|_| error.is_retryable());
    let cors = error.maybe_cors();
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
                            "If the service is up, it probably does not accept requests from web pages on other sites. "
                            <a href=app.href("/settings#proxy")>"Point NetLens at a proxy"</a>
                            " (README: “CORS proxy”)."
                        </p>
                    }
                })}
            {retry.map(|cb| view! { <button type="button" class="primary" on:click=move |_| cb.run(())>"Retry"</button> })}
        </div>
    }
}
