//! A page whose code is loaded when it is first visited (split builds, `--features split`).
//!
//! While the chunk is on its way the page shows its title and lead (`heads`, in the first
//! visit) and the loading state every query shows; a chunk that
//! cannot be fetched (offline, or a newer deployment replaced the files) says so, with a reload link
//! and a retry, and the rest of the app keeps working. Eager builds resolve at once.

use crate::heads::Head;
use crate::ui::page_head::PageHead;
use futures::FutureExt;
use leptos::prelude::*;
use std::future::Future;

/// The chunk holding a page's code could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkFailed;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkFailed {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ChunkFailed
    }
}

/// The route view for a page whose code `preload` fetches and `build` then builds (a pair from
/// `pages::chunks`), headed by `head` until it is built. The page is built in the ordinary render flow
/// once its code is here, never inside the load's future: its signals and its effects then share one
/// owner, as any page's do.
pub fn chunked<P, E, B>(head: Option<Head>, preload: fn() -> P, build: fn() -> B) -> impl IntoView
where
    P: Future<Output = Result<(), E>> + 'static,
    B: Future<Output = Result<AnyView, ChunkFailed>> + 'static,
{
    // None while the code is on its way, then whether it came. A chunk already here (or an eager
    // build) is ready at once, so the page shows without a loading frame.
    let ready = RwSignal::new(preload().now_or_never().map(|r| r.is_ok()));
    let fetch = move || {
        ready.set(None);
        leptos::task::spawn_local(async move {
            let ok = preload().await.is_ok();
            // The chunk was compiled and linked in this task: build the page in the next one.
            crate::http::yield_to_browser().await;
            let _ = ready.try_set(Some(ok));
        });
    };
    if ready.get_untracked().is_none() {
        fetch();
    }
    let head = move || head.map(|h| view! { <PageHead title=h.title lead=h.lead /> });
    move || match ready.get() {
        None => view! {
            {head()}
            <div class="loading-bar" role="progressbar" aria-label="Loading"></div>
            <p class="empty-state" data-testid="chunk-loading">"Loading…"</p>
        }
        .into_any(),
        // The code is loaded, so the call completes at once.
        Some(true) => match untrack(|| build().now_or_never()) {
            Some(Ok(page)) => page,
            _ => view! { {head()} <ChunkError on_retry=fetch /> }.into_any(),
        },
        // A failed fetch is not cached: "Try again" fetches afresh.
        Some(false) => view! { {head()} <ChunkError on_retry=fetch /> }.into_any(),
    }
}

#[component]
fn ChunkError(on_retry: impl Fn() + Copy + 'static) -> impl IntoView {
    let here = window().location().href().unwrap_or_default();
    view! {
        <div class="error-panel" role="alert" data-testid="chunk-error">
            <p>
                <strong>"This page could not be loaded. "</strong>
                "Its code did not arrive: the network may be down, or NetLens was updated on this site "
                "since the page was opened. Reloading fetches the current version."
            </p>
            <p class="error-actions">
                <a class="button primary" href=here rel="external">"Reload the page"</a>
                <button type="button" on:click=move |_| on_retry()>"Try again"</button>
            </p>
        </div>
    }
}
