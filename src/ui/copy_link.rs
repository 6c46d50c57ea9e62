//! "Copy link": puts the current permalink on the clipboard.

use leptos::prelude::*;

#[component]
pub fn CopyLink() -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let Some(window) = web_sys::window() else { return };
        let href = window.location().href().unwrap_or_default();
        let promise = window.navigator().clipboard().write_text(&href);
        wasm_bindgen_futures::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(Some(ok));
            gloo_timers::future::TimeoutFuture::new(2_000).await;
            copied.set(None);
        });
    };
    view! {
                <button type="button" class="copy-link" on:click=copy title="Copy a link that reproduces this view">
            {move || match copied.get() {
                Some(true) => "✓ Link copied",
                Some(false) => "Copy failed: use the address bar",
                None => "Copy link",
            }}
        </button>
    }
}
