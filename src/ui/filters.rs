//! The explorers' filter forms, folded: on a phone the whole form sits behind a one-line summary of the
//! query (results first), and on every screen the rarely used filters sit behind "More filters", which
//! says how many of them are set. A field with an error is never hidden: its disclosure opens.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// Phone widths, where the form starts folded (the stylesheet's breakpoint).
const NARROW: &str = "(max-width: 640px)";

fn is_narrow() -> bool {
    window().match_media(NARROW).ok().flatten().is_some_and(|m| m.matches())
}

/// Mirrors a `<details>` element's open state into `open` on toggle.
fn track_toggle(open: RwSignal<bool>) -> impl Fn(web_sys::Event) + Clone {
    move |ev: web_sys::Event| {
        let el = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        open.set(el.is_some_and(|el| el.has_attribute("open")));
    }
}

/// Keeps `open` true while `has_error` is (a message must show next to its field).
fn open_on_error(open: RwSignal<bool>, has_error: Signal<bool>) {
    Effect::new(move |_| {
        if has_error.get() {
            open.set(true);
        }
    });
}

/// The whole form: open on wide screens, folded to `summary` on a phone, and folded again there when the
/// query changes (after a search the answer is what shows).
#[component]
pub fn FilterPanel(
    /// The query in one line ("MOAS · AS 3356 · Suspicious").
    #[prop(into)]
    summary: Signal<String>,
    /// Any field of the form has a message.
    #[prop(into)]
    has_error: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(!is_narrow());
    open_on_error(open, has_error);
    let query = use_location().search;
    Effect::new(move |prev: Option<String>| {
        let now = query.get();
        if prev.is_some_and(|p| p != now) && is_narrow() && !has_error.get_untracked() {
            open.set(false);
        }
        now
    });
    view! {
        <details class="filter-panel" prop:open=move || open.get() on:toggle=track_toggle(open) data-testid="filter-panel">
            <summary class="filter-summary">
                <span class="fs-title">"Filters"</span>
                <span class="fs-text">{move || summary.get()}</span>
                <span class="fs-edit" aria-hidden="true">{move || if open.get() { "Hide" } else { "Edit" }}</span>
            </summary>
            {children()}
        </details>
    }
}

/// The filters most searches leave alone, behind a disclosure that counts the ones set.
#[component]
pub fn MoreFilters(
    /// How many of the filters inside are set.
    #[prop(into)]
    active: Signal<usize>,
    #[prop(into)] has_error: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    open_on_error(open, has_error);
    // The fields come a task after the page's first frame: the disclosure starts closed, and
    // building them (with V8 compiling their code on first use) held up the page's first paint.
    // Nobody submits the form inside that task, so no field's value can go missing.
    let children = StoredValue::new_local(Some(children));
    let built = RwSignal::new(false);
    request_animation_frame(move || {
        leptos::prelude::set_timeout(move || _ = built.try_set(true), std::time::Duration::ZERO)
    });
    let body = move || built.get().then(|| children.try_update_value(Option::take).flatten().map(|c| c()));
    view! {
        <details class="more-filters" prop:open=move || open.get() on:toggle=track_toggle(open) data-testid="more-filters">
            <summary>
                "More filters"
                {move || match active.get() {
                    0 => None,
                    n => Some(view! { <span class="badge info more-count">{format!("{n} set")}</span> }),
                }}
            </summary>
            <div class="more-filters-body">{body}</div>
        </details>
    }
}
