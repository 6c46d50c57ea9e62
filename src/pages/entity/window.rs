//! The entity pages' window: `from`/`until` (or a `window` preset) in the page URL, default 7 days, read
//! once for the page and set by one picker above the timeline. The IODA panel and the timeline follow it.

use crate::api::ioda::IodaQuery;
use crate::api::query::{FieldErrors, QueryParams};
use crate::api::search::parse_window;
use crate::api::time::{RangePreset, TimeRange};
use crate::ui::now;
use crate::ui::time_range::TimeRangePicker;
use crate::ui::url_state::use_query_params;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The page's window, checked as IODA checks one (seconds, at most 100 days), and a bad `window` preset.
#[derive(Clone, Copy)]
pub(super) struct PageWindow {
    pub range: Memo<Result<TimeRange, FieldErrors>>,
    preset_error: Memo<Option<String>>,
}

impl PageWindow {
    pub fn from_url() -> PageWindow {
        let params = use_query_params();
        let t = now();
        let preset = Memo::new(move |_| params.with(|p| p.get("window").map(parse_window)));
        let range = Memo::new(move |_| {
            let page = params.get();
            let week = match preset.get() {
                Some(Ok(p)) => p,
                _ => RangePreset::Week,
            }
            .window(t);
            let mut p = QueryParams::new();
            p.push(IodaQuery::FROM, page.get("from").map_or(week.from.to_string(), str::to_string));
            p.push(IodaQuery::UNTIL, page.get("until").map_or(week.until.to_string(), str::to_string));
            IodaQuery::from_params(&p, t).map(|q| q.range)
        });
        let preset_error = Memo::new(move |_| preset.get().and_then(Result::err).map(|e| e.to_string()));
        PageWindow { range, preset_error }
    }

    pub fn get(&self) -> Option<TimeRange> {
        self.range.get().ok()
    }
}

/// The picker: a preset or an explicit range replaces the window in the URL; other keys (the Spamhaus
/// prefix) stay.
#[component]
pub(super) fn WindowBar(window: PageWindow) -> impl IntoView {
    let params = use_query_params();
    let location = use_location();
    let navigate = use_navigate();
    let from = Signal::derive(move || window.get().map(|r| r.from));
    let until = Signal::derive(move || window.get().map(|r| r.until));
    let err = move |key: &'static str| {
        Signal::derive(move || window.range.get().err().and_then(|e| e.for_field(key).map(str::to_string)))
    };
    let on_change = Callback::new(move |(f, u): (i64, i64)| {
        let mut p = params.get_untracked();
        p.set("from", Some(f.to_string())).set("until", Some(u.to_string())).set("window", None);
        let to = format!("{}{}", location.pathname.get_untracked(), p.to_suffix());
        navigate(&to, NavigateOptions { resolve: false, scroll: false, ..Default::default() });
    });
    view! {
        <div class="entity-window" data-testid="entity-window">
            <TimeRangePicker
                from=from
                until=until
                on_change=on_change
                from_error=err(IodaQuery::FROM)
                until_error=err(IodaQuery::UNTIL)
                id="entity-range"
            />
            {move || {
                window.preset_error.get().map(|e| {
                    view! { <p class="field-error" role="alert" data-testid="window-error">{format!("The {e}; showing 7 days.")}</p> }
                })
            }}
        </div>
    }
}
