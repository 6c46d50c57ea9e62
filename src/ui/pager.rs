//! The one pager: first / previous / numbered pages / next / last, as plain links (the page lives
//! in the URL, so every page has a permalink and back/forward work).

use crate::api::page::PageNav;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Pager(
    nav: PageNav,
    href: Arc<dyn Fn(u32) -> String + Send + Sync>,
    /// The landmark's name; a second pager on the page (below the table) needs its own.
    #[prop(default = "Pages")]
    label: &'static str,
) -> impl IntoView {
    if nav.last == Some(1) && !nav.has_next {
        return ().into_any();
    }
    let link = {
        let href = href.clone();
        move |page: u32, label: &'static str, aria: String, enabled: bool| {
            if enabled {
                view! { <a href=href(page) aria-label=aria rel="nofollow">{label}</a> }.into_any()
            } else {
                view! { <span class="disabled" aria-hidden="true">{label}</span> }.into_any()
            }
        }
    };
    let numbers = nav
        .window(2)
        .into_iter()
        .map(|slot| match slot {
            Some(p) if p == nav.current => {
                view! { <a href=href(p) aria-current="page" aria-label=format!("Page {p}, current")>{p}</a> }.into_any()
            }
            Some(p) => view! { <a href=href(p) aria-label=format!("Page {p}")>{p}</a> }.into_any(),
            None => view! { <span class="gap" aria-hidden="true">"…"</span> }.into_any(),
        })
        .collect_view();
    view! {
        <nav class="pager" aria-label=label>
            {link(1, "«", "First page".into(), nav.has_prev())}
            {link(nav.current.saturating_sub(1).max(1), "‹", "Previous page".into(), nav.has_prev())}
            {numbers}
            {link(nav.current + 1, "›", "Next page".into(), nav.has_next)}
            {nav.last.map(|last| link(last, "»", format!("Last page ({last})"), nav.current < last))}
        </nav>
    }
    .into_any()
}

/// How long the user stays on a page before the next one is fetched ahead.
const PREFETCH_IDLE_MS: u32 = 1_200;

/// Fetches `next` (the page after this one) into the response cache once the user has stayed on
/// this page a moment, so "Next" opens at once. Call it where the loaded page renders: re-rendering
/// or leaving the page cancels it.
pub fn prefetch_next(next: crate::http::Request) {
    let handle = crate::http::prefetch(next, PREFETCH_IDLE_MS);
    on_cleanup(move || drop(handle));
}
