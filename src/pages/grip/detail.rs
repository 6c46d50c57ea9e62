//! What the two GRIP detail pages (event, prefix event) share below their heading: an address
//! that names nothing says so before any request; otherwise the record loads with its own
//! loading bar, "not found" notice and error panel (with retry).

use crate::api::error::FetchError;
use crate::ui::error_panel::ErrorPanel;
use leptos::prelude::*;

/// `bad` is the message when the page address is not valid (`None` when it is); `bad_title`
/// leads that message; `render` draws the loaded record.
pub(super) fn detail_body<T, V>(
    bad: Signal<Option<String>>,
    bad_title: &'static str,
    search_href: String,
    data: LocalResource<Option<Result<T, FetchError>>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let pending = RwSignal::new(false);
    move || match bad.get() {
        Some(message) => view! {
            <div class="error-panel grip-bad-id" role="alert" data-testid="grip-bad-id">
                <p>
                    <strong>{bad_title}</strong>
                    {message}
                </p>
                <p>
                    <a href=search_href.clone()>"Search GRIP events"</a>
                </p>
            </div>
        }
        .into_any(),
        None => {
            let (search_href, render) = (search_href.clone(), render.clone());
            view! {
                <div class:is-loading=move || pending.get()>
                    {move || {
                        pending.get().then(|| view! { <div class="loading-bar" role="progressbar" aria-label="Loading"></div> })
                    }}
                    <Transition fallback=|| view! { <p class="empty-state">"Loading…"</p> } set_pending=pending>
                        {move || {
                            let (search_href, render) = (search_href.clone(), render.clone());
                            Suspend::new(async move {
                                match data.await {
                                    None | Some(Err(FetchError::Superseded)) => ().into_any(),
                                    Some(Err(e)) if super::is_not_found(&e) => not_found(search_href).into_any(),
                                    Some(Err(e)) => {
                                        view! { <ErrorPanel error=e on_retry=Callback::new(move |_| data.refetch()) /> }
                                            .into_any()
                                    }
                                    Some(Ok(record)) => render(record).into_any(),
                                }
                            })
                        }}
                    </Transition>
                </div>
            }
            .into_any()
        }
    }
}

fn not_found(search_href: String) -> impl IntoView {
    view! {
        <div class="notice grip-not-found" role="status" data-testid="grip-not-found">
            <p>
                <strong>"Not found. "</strong>
                "GRIP has no such event. It may have been removed from GRIP's index, or the address was mistyped."
            </p>
            <p>
                <a href=search_href>"Search GRIP events"</a>
            </p>
        </div>
    }
}
