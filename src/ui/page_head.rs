//! The head of a page: its title, the sentence that says what it shows, and the page's own links or
//! actions beside them (children).

use leptos::prelude::*;

#[component]
pub fn PageHead(
    title: &'static str,
    /// What the page shows, in a sentence or two.
    lead: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="page-head">
            <div>
                <h1>{title}</h1>
                <p class="lead">{lead}</p>
            </div>
            {children.map(|c| c())}
        </div>
    }
}
