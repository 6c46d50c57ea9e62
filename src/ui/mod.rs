//! Shared components, written once and used by every source: table, pager, time-range picker,
//! error panel, export, copy link, form field, and the URL-state hooks.

pub mod chunk;
pub mod copy_link;
pub mod error_panel;
pub mod export;
pub mod field;
pub mod filters;
pub mod notice;
pub mod page_head;
pub mod pager;
pub mod pivot;
pub mod reach;
pub mod results;
pub mod search_box;
pub mod table;
pub mod time_range;
pub mod url_state;

/// Seconds since the Unix epoch, from the browser clock.
pub fn now() -> crate::api::time::Timestamp {
    (js_sys::Date::now() / 1000.0) as i64
}
