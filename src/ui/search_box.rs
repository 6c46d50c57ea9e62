//! The header search box: one field for an AS, address, prefix, country, GRIP event id or Spoofer
//! session. Enter opens the only reading; several readings show as a listbox (ARIA combobox:
//! ↑/↓ move, Enter opens, Escape closes); unrecognised input shows what is accepted.

use crate::api::search::{parse, Reading};
use crate::app::use_app;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn SearchBox() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let readings = RwSignal::new(Vec::<Reading>::new());
    let active = RwSignal::new(0usize);
    let message = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();

    let go = {
        let navigate = navigate.clone();
        move |r: &Reading| {
            let to = app.href(&r.target());
            readings.set(Vec::new());
            message.set(None);
            text.set(String::new());
            if let Some(el) = input.get_untracked() {
                el.set_value("");
                let _ = el.blur();
            }
            navigate(&to, NavigateOptions { resolve: false, ..Default::default() });
        }
    };
    let submit = {
        let go = go.clone();
        move || {
            let open = readings.get_untracked();
            if !open.is_empty() {
                if let Some(r) = open.get(active.get_untracked()) {
                    go(r);
                }
                return;
            }
            match parse(&text.get_untracked()) {
                Ok(rs) if rs.len() == 1 => go(&rs[0]),
                Ok(rs) => {
                    active.set(0);
                    message.set(None);
                    readings.set(rs);
                }
                Err(e) => {
                    readings.set(Vec::new());
                    message.set(Some(e));
                }
            }
        }
    };
    let on_key = {
        let submit = submit.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let n = readings.with_untracked(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" if n > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = (*a + 1) % n);
                }
                "ArrowUp" if n > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = (*a + n - 1) % n);
                }
                "Escape" => {
                    if n > 0 {
                        // Close the list only; a second Escape clears the field as usual.
                        ev.prevent_default();
                    }
                    readings.set(Vec::new());
                    message.set(None);
                }
                "Enter" => {
                    ev.prevent_default();
                    submit();
                }
                _ => {}
            }
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        readings.set(Vec::new());
        message.set(None);
    };
    let expanded = move || readings.with(|r| !r.is_empty()).to_string();
    let active_id = move || readings.with(|r| (!r.is_empty()).then(|| format!("search-option-{}", active.get())));
    let options = move || {
        let go = go.clone();
        readings
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let go = go.clone();
                let label = r.label();
                let selected = move || (active.get() == i).to_string();
                view! {
                    <li
                        id=format!("search-option-{i}")
                        role="option"
                        class="search-option"
                        class:active=move || active.get() == i
                        aria-selected=selected
                        on:mousedown=move |ev| {
                            ev.prevent_default();
                            go(&r);
                        }
                    >
                        {label}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form
            class="site-search"
            role="search"
            on:submit={
                let submit = submit.clone();
                move |ev| {
                    ev.prevent_default();
                    submit();
                }
            }
        >
            <label for="site-search-input" class="visually-hidden">"Search by AS, address, prefix, country, event id or session id"</label>
            <input
                id="site-search-input"
                node_ref=input
                type="search"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                placeholder="AS3356, 192.0.2.1, NO, #891176…"
                aria-autocomplete="none"
                aria-controls="site-search-list"
                aria-expanded=expanded
                aria-activedescendant=active_id
                aria-describedby="site-search-message"
                on:input=on_input
                on:keydown=on_key
                on:blur=move |_| readings.set(Vec::new())
            />
            <ul id="site-search-list" role="listbox" aria-label="What you may mean" class="search-list" hidden=move || readings.with(Vec::is_empty)>
                {options}
            </ul>
            <p id="site-search-message" class="search-message" role="alert" hidden=move || message.with(Option::is_none)>
                {move || message.get()}
            </p>
        </form>
    }
}
