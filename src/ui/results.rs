//! The loading pattern, written once: every explorer's results area and every entity panel shows
//! "Loading…" the first time, the loading bar over the answer it keeps while the next one loads, the
//! error with Retry, or the answer. A resource answering `None` has nothing to ask (invalid fields).

use crate::api::error::FetchError;
use crate::ui::error_panel::ErrorPanel;
use leptos::prelude::*;

fn loading() -> AnyView {
    view! { <p class="empty-state">"Loading…"</p> }.into_any()
}

/// The answer's view inside a `Transition`; `pending` (when given) follows the loads after the first,
/// and `preview` (when it has one) stands in for "Loading…" until the first answer is decoded.
fn answer<T: Clone + Send + Sync + 'static>(
    data: LocalResource<Option<Result<T, FetchError>>>,
    invalid: impl Fn() -> AnyView + Clone + Send + Sync + 'static,
    render: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
    pending: Option<RwSignal<bool>>,
    preview: impl Fn() -> Option<AnyView> + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let loading = move || {
        let preview = preview.clone();
        view! { {move || preview().unwrap_or_else(loading)} }.into_any()
    };
    let body = move || {
        let render = render.clone();
        let invalid = invalid.clone();
        Suspend::new(async move {
            match data.await {
                None => invalid(),
                Some(Err(FetchError::Superseded)) => ().into_any(),
                Some(Err(e)) => {
                    view! { <ErrorPanel error=e on_retry=Callback::new(move |_| data.refetch()) /> }.into_any()
                }
                Some(Ok(answer)) => render(answer),
            }
        })
    };
    match pending {
        Some(p) => view! { <Transition fallback=loading set_pending=p>{body}</Transition> }.into_any(),
        None => view! { <Transition fallback=loading>{body}</Transition> }.into_any(),
    }
}

/// A panel's body: "Loading…", then what `render` makes of the answer, or the error with Retry.
/// `data` gives `None` when there is nothing to ask (an invalid window).
pub fn loaded<T: Clone + Send + Sync + 'static>(
    data: LocalResource<Option<Result<T, FetchError>>>,
    render: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    answer(data, || ().into_any(), render, None, || None)
}

/// An explorer's results area (`class` names it for the page's styles): as [`loaded`], plus the loading
/// bar while a new query loads over the kept answer, and `invalid` when the form's fields need fixing.
pub fn results_area<T: Clone + Send + Sync + 'static>(
    class: &'static str,
    data: LocalResource<Option<Result<T, FetchError>>>,
    invalid: impl Fn() -> AnyView + Clone + Send + Sync + 'static,
    render: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    results_area_previewed(class, data, || None, invalid, render)
}

/// As [`results_area`], with what `preview` draws (the first rows of a large answer, while the rest is
/// decoded) in place of "Loading…" once it has something.
pub fn results_area_previewed<T: Clone + Send + Sync + 'static>(
    class: &'static str,
    data: LocalResource<Option<Result<T, FetchError>>>,
    preview: impl Fn() -> Option<AnyView> + Clone + Send + Sync + 'static,
    invalid: impl Fn() -> AnyView + Clone + Send + Sync + 'static,
    render: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    view! {
        <div class=class class:is-loading=move || pending.get()>
            {move || pending.get().then(|| view! { <div class="loading-bar" role="progressbar" aria-label="Loading"></div> })}
            {answer(data, invalid, render, Some(pending), preview)}
        </div>
    }
}
