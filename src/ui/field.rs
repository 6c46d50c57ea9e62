//! A labelled form field with its validation message next to it.

use leptos::prelude::*;

#[component]
pub fn Field(
    /// The input's id (also the query key it edits).
    id: &'static str,
    label: &'static str,
    /// The message for this field, when its value is not accepted.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            {children()}
            {hint.map(|h| view! { <span class="field-hint">{h}</span> })}
            <span class="field-error" id=error_id role="alert">
                {move || error.get()}
            </span>
        </div>
    }
}
