//! The URL is the single source of truth for every query: pages read it here and write it back
//! through `use_set_query`, so reload, back/forward and pasted links reproduce the view.

use crate::api::query::QueryParams;
use crate::app::use_app;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The current page's query string, parsed.
pub fn use_query_params() -> Memo<QueryParams> {
    let location = use_location();
    Memo::new(move |_| QueryParams::parse(&location.search.get()))
}

/// Navigates to `path` (app-relative, e.g. `/ioda`) with `params` as its query string; a new
/// history entry, so back returns to the previous query.
pub fn use_set_query(path: &'static str) -> impl Fn(&QueryParams) + Clone + 'static {
    let app = use_app();
    let navigate = use_navigate();
    move |params: &QueryParams| {
        let to = format!("{}{}", app.href(path), params.to_suffix());
        navigate(&to, NavigateOptions { resolve: false, ..Default::default() });
    }
}
