//! The entity box: a combobox (ARIA 1.2 pattern) that suggests countries, regions and ASes by
//! name from IODA's entity search, offers "all countries / regions / ASes" and "all entities",
//! and also takes a typed reference (`country/US`, `asn/3307`, `3307`).

use crate::api::error::FetchError;
use crate::api::ioda::{
    decode_entities, entity_search_url, typed_entity, EntityKind, EntityRef, IodaDialect, IodaEntity,
};
use crate::api::Source;
use crate::app::use_app;
use crate::http::{fetch_decoded, Request, RequestSlot};
use leptos::prelude::*;

/// How long typing must pause before NetLens asks IODA for suggestions.
const DEBOUNCE_MS: u32 = 250;
/// Shortest text that is searched.
const MIN_CHARS: usize = 2;
const LISTBOX_ID: &str = "entity-listbox";

/// One thing the entity box can stand for.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The `entity` URL value (`country/NO`, `asn`); empty = every entity.
    pub key: String,
    /// What the box shows once it is picked: the name, or `All countries`.
    pub label: String,
    /// `Country`, `AS`, …; empty for "all entities".
    pub kind: String,
    /// The code (`NO`, `3307`); empty for a whole type.
    pub code: String,
}

impl Choice {
    pub fn everything() -> Choice {
        Choice { key: String::new(), label: "All entities".into(), kind: String::new(), code: String::new() }
    }

    /// Every entity of one type.
    pub fn scope(kind: &EntityKind) -> Choice {
        Choice {
            key: kind.key().to_string(),
            label: scope_label(kind),
            kind: kind.label().to_string(),
            code: String::new(),
        }
    }

    /// A search result, when a query can filter on it (the key comes from the core's checked reference).
    pub fn from_entity(entity: &IodaEntity) -> Option<Choice> {
        let r = entity.to_ref()?;
        Some(Choice {
            key: r.key(),
            label: entity.label(),
            kind: entity.kind.label().to_string(),
            code: entity.code.clone(),
        })
    }

    /// A reference whose name is not known (yet): it shows as `asn/3307`.
    pub fn from_ref(r: &EntityRef) -> Choice {
        match &r.code {
            None => Choice::scope(&r.kind),
            Some(code) => Choice { key: r.key(), label: r.key(), kind: r.kind.label().to_string(), code: code.clone() },
        }
    }

    /// The text the input shows for it (empty for every entity: the placeholder says so).
    pub fn input_text(&self) -> String {
        if self.key.is_empty() {
            String::new()
        } else {
            self.label.clone()
        }
    }
}

pub fn scope_label(kind: &EntityKind) -> String {
    match kind {
        EntityKind::Continent => "All continents".into(),
        EntityKind::Country => "All countries".into(),
        EntityKind::Region => "All regions".into(),
        EntityKind::GeoAsn => "All ASes per place".into(),
        EntityKind::Asn => "All ASes".into(),
        other => format!("All of type {}", other.label()),
    }
}

/// What the list offers before anything is typed.
fn scope_choices() -> Vec<Choice> {
    let mut out = vec![Choice::everything()];
    out.extend([EntityKind::Country, EntityKind::Region, EntityKind::Asn].iter().map(Choice::scope));
    out
}

/// The `entity` value a submitted form means: the picked choice while the box still shows it; a
/// typed reference; else the first suggestion for exactly this text; else the text itself (so the
/// URL carries it and the field explains what is wrong).
pub fn entity_param(text: &str, chosen: Option<&Choice>, suggestions: &[Choice], searched: &str) -> String {
    let t = text.trim();
    if let Some(c) = chosen.filter(|c| c.input_text() == t) {
        return c.key.clone();
    }
    if t.is_empty() {
        return String::new();
    }
    match typed_entity(t) {
        Some(Ok(r)) => r.key(),
        Some(Err(_)) => t.to_string(),
        None => suggestions
            .iter()
            .find(|c| !c.code.is_empty() && searched.trim() == t)
            .map_or_else(|| t.to_string(), |c| c.key.clone()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Searching,
    Found(usize),
    NoMatch,
    Failed(String),
    /// The legacy API has no entity search.
    NoSearch,
}

impl Status {
    fn message(&self) -> Option<String> {
        match self {
            Status::Idle => None,
            Status::Searching => Some("Searching IODA…".into()),
            Status::Found(1) => Some("1 suggestion".into()),
            Status::Found(n) => Some(format!("{n} suggestions")),
            Status::NoMatch => Some("No IODA entity matches; type country/US or asn/3307 instead.".into()),
            Status::Failed(e) => Some(format!("Search failed: {e}")),
            Status::NoSearch => {
                Some("The legacy IODA API has no name search: type country/US, region/1859 or asn/3307.".into())
            }
        }
    }
}

/// The combobox. The page owns the text and the pick (it writes them to the URL); `options` and
/// `searched` (the text they were found for) let the page resolve a typed name on submit.
#[component]
pub fn EntityPicker(
    text: RwSignal<String>,
    chosen: RwSignal<Option<Choice>>,
    options: RwSignal<Vec<Choice>>,
    searched: RwSignal<String>,
    /// Called when the user picks an option (click, or Enter on the active one).
    on_pick: Callback<Choice>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let status = RwSignal::new(Status::Idle);
    let generation = StoredValue::new(0u64);
    let slot = StoredValue::new_local(RequestSlot::default());

    let expanded = move || open.get() && !options.with(Vec::is_empty);
    let option_id = |i: usize| format!("entity-opt-{i}");

    // Fills the list for `raw`: scopes for short text, else (after a pause) IODA's suggestions.
    let search = move |raw: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        active.set(None);
        let typed = match typed_entity(&raw) {
            Some(Ok(r)) => Some(Choice::from_ref(&r)),
            _ => None,
        };
        if raw.trim().chars().count() < MIN_CHARS {
            let mut list: Vec<Choice> = typed.into_iter().collect();
            list.extend(scope_choices());
            options.set(list);
            searched.set(String::new());
            status.set(Status::Idle);
            open.set(true);
            return;
        }
        let endpoints = app.endpoints();
        open.set(true);
        if endpoints.ioda_dialect == IodaDialect::Legacy {
            options.set(typed.into_iter().collect());
            status.set(Status::NoSearch);
            return;
        }
        // The previous suggestions stay while IODA is asked (less flicker); the scopes do not.
        if searched.get_untracked().is_empty() {
            options.set(typed.clone().into_iter().collect());
        }
        status.set(Status::Searching);
        let url = entity_search_url(endpoints.base(Source::Ioda), &raw);
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            let Some(slot) = slot.try_get_value() else { return };
            let result = fetch_decoded(Request::get(Source::Ioda, url), Some(&slot), decode_entities).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(entities) => {
                    let mut list: Vec<Choice> = Vec::new();
                    for c in entities.iter().filter_map(Choice::from_entity) {
                        if !list.iter().any(|o| o.key == c.key) {
                            list.push(c);
                        }
                    }
                    if let Some(t) = typed.filter(|t| !list.iter().any(|o| o.key == t.key)) {
                        list.insert(0, t);
                    }
                    status.set(if list.is_empty() { Status::NoMatch } else { Status::Found(list.len()) });
                    options.set(list);
                    searched.set(raw);
                }
                Err(FetchError::Superseded) => {}
                Err(e) => status.set(Status::Failed(e.to_string())),
            }
        });
    };

    let close = move || {
        open.set(false);
        active.set(None);
    };

    let pick = move |choice: Choice| {
        text.set(choice.input_text());
        chosen.set(Some(choice.clone()));
        close();
        status.set(Status::Idle);
        on_pick.run(choice);
    };

    // Opens the list with what it already holds (scopes when nothing was searched yet).
    let show = move || {
        if options.with_untracked(Vec::is_empty) || text.get_untracked().trim().chars().count() < MIN_CHARS {
            search(text.get_untracked());
        } else {
            open.set(true);
        }
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                if !open.get_untracked() {
                    show();
                    return;
                }
                if n > 0 {
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                if !open.get_untracked() {
                    show();
                    return;
                }
                if n > 0 {
                    active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
                }
            }
            "Enter" => {
                let picked = open
                    .get_untracked()
                    .then(|| active.get_untracked())
                    .flatten()
                    .and_then(|i| options.with_untracked(|o| o.get(i).cloned()));
                match picked {
                    Some(choice) => {
                        ev.prevent_default();
                        pick(choice);
                    }
                    // Otherwise Enter submits the form with whatever was typed.
                    None => close(),
                }
            }
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                close();
            }
            "Tab" => close(),
            _ => {}
        }
    };

    // Keeps the active option visible in a scrolled list.
    Effect::new(move |_| {
        if let Some(i) = active.get() {
            if let Some(el) = document().get_element_by_id(&option_id(i)) {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        }
    });

    let list = move || {
        options
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let selected = move || active.get() == Some(i);
                let detail = match (c.kind.is_empty(), c.code.is_empty()) {
                    (true, _) => String::new(),
                    (false, true) => "type".to_string(),
                    (false, false) => c.code.clone(),
                };
                let kind = c.kind.clone();
                let label = c.label.clone();
                view! {
                    <li
                        id=option_id(i)
                        role="option"
                        class="combo-option"
                        class:active=selected
                        aria-selected=move || selected().to_string()
                        on:mousedown=move |ev| {
                            ev.prevent_default();
                            pick(c.clone());
                        }
                    >
                        <span class="opt-name">{label}</span>
                        <span class="opt-kind">{kind}</span>
                        <span class="opt-code mono">{detail}</span>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="combo" data-testid="entity-picker">
            <div class="combo-input">
                <input
                    id="entity"
                    name="entity"
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="All entities"
                    aria-autocomplete="list"
                    aria-controls=LISTBOX_ID
                    aria-expanded=move || expanded().to_string()
                    aria-activedescendant=move || active.get().filter(|_| expanded()).map(option_id)
                    aria-describedby="entity-error"
                    aria-invalid=move || invalid.get().then_some("true")
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        text.set(v.clone());
                        search(v);
                    }
                    on:keydown=on_keydown
                    on:focus=move |_| show()
                    on:blur=move |_| close()
                />
                {move || {
                    (!text.get().is_empty())
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="combo-clear"
                                    aria-label="Clear: show every entity"
                                    title="Clear: show every entity"
                                    on:click=move |_| pick(Choice::everything())
                                >
                                    "×"
                                </button>
                            }
                        })
                }}
            </div>
            <ul id=LISTBOX_ID role="listbox" aria-label="Entities" class="combo-list" hidden=move || !expanded()>
                {list}
            </ul>
            <p class="combo-status" aria-live="polite">
                {move || if open.get() { status.get().message() } else { None }}
            </p>
        </div>
    }
}
