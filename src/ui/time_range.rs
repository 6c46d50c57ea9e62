//! The UTC time-range picker: presets (1 h, 24 h, 7 d, 30 d) and a custom window. It reports the
//! chosen window; the page writes it to the URL and validates it there.

use crate::api::time::{format_input, parse_instant, RangePreset, TimeRange};
use crate::ui::now;
use leptos::prelude::*;

#[component]
pub fn TimeRangePicker(
    /// The window now in the URL (as typed; it may be invalid).
    #[prop(into)]
    from: Signal<Option<i64>>,
    #[prop(into)] until: Signal<Option<i64>>,
    /// Called with (from, until) whenever the user picks a window.
    on_change: Callback<(i64, i64)>,
    #[prop(into)] from_error: Signal<Option<String>>,
    #[prop(into)] until_error: Signal<Option<String>>,
    /// Id prefix, so two pickers on one page stay distinct.
    #[prop(default = "range")]
    id: &'static str,
) -> impl IntoView {
    let active = move || match (from.get(), until.get()) {
        (Some(f), Some(u)) => RangePreset::matching(TimeRange { from: f, until: u }),
        _ => None,
    };
    let presets = RangePreset::ALL
        .into_iter()
        .map(|p| {
            let pressed = move || (active() == Some(p)).to_string();
            view! {
                <button
                    type="button"
                    aria-pressed=pressed
                    on:click=move |_| {
                        let w = p.window(now());
                        on_change.run((w.from, w.until));
                    }
                >
                    {p.label()}
                </button>
            }
        })
        .collect_view();
    let from_id = format!("{id}-from");
    let until_id = format!("{id}-until");
    let input = move |which: &'static str, raw: String| {
        let Ok(ts) = parse_instant(&raw) else { return };
        let (f, u) = (from.get_untracked(), until.get_untracked());
        let (f, u) = if which == "from" { (ts, u.unwrap_or(now())) } else { (f.unwrap_or(ts - 86_400), ts) };
        on_change.run((f, u));
    };
    view! {
        <div class="time-range">
            <div class="field">
                <span class="label" id=format!("{id}-presets-label")>"Window"</span>
                <div class="presets" role="group" aria-labelledby=format!("{id}-presets-label")>
                    {presets}
                </div>
            </div>
            <div class="field" class:invalid=move || from_error.get().is_some()>
                <label for=from_id.clone()>"From (UTC)"</label>
                <input
                    id=from_id
                    type="datetime-local"
                    prop:value=move || from.get().map(format_input).unwrap_or_default()
                    on:change=move |ev| input("from", event_target_value(&ev))
                />
                <span class="field-error" role="alert">{move || from_error.get()}</span>
            </div>
            <div class="field" class:invalid=move || until_error.get().is_some()>
                <label for=until_id.clone()>"Until (UTC)"</label>
                <input
                    id=until_id
                    type="datetime-local"
                    prop:value=move || until.get().map(format_input).unwrap_or_default()
                    on:change=move |ev| input("until", event_target_value(&ev))
                />
                <span class="field-error" role="alert">{move || until_error.get()}</span>
            </div>
        </div>
    }
}
