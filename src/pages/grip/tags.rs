//! `/grip/tags`: GRIP's tag glossary (every tag with its definition and comments, filterable)
//! and the table of which tag combinations make a prefix event worth a traceroute.

use super::{none_view, tag_name_chips, GripRefs};
use crate::api::error::FetchError;
use crate::api::grip::{GripTags, GripTrWorthyRule};
use crate::api::page::format_count;
use crate::app::use_app;
use crate::heads::GRIP_TAGS;
use crate::ui::error_panel::ErrorPanel;
use crate::ui::page_head::PageHead;
use crate::ui::table::{Column, DataTable, SortKey};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone)]
struct TagRow {
    name: String,
    definition: Option<String>,
    comments: Vec<String>,
}

impl TagRow {
    fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self.name.to_lowercase().contains(needle)
            || self.definition.as_deref().is_some_and(|d| d.to_lowercase().contains(needle))
            || self.comments.iter().any(|c| c.to_lowercase().contains(needle))
    }
}

#[component]
pub fn GripTagsPage() -> impl IntoView {
    let app = use_app();
    // The glossary comes from the session cache (one request per app session).
    let refs = GripRefs::load();
    let filter = RwSignal::new(String::new());

    view! {
        <section class="grip-tags-page">
            <PageHead
                title=GRIP_TAGS.title
                lead=GRIP_TAGS.lead
            >
                <p class="actions">
                    <a href=app.href("/grip")>"← Search events"</a>
                </p>
            </PageHead>
            <Transition fallback=|| view! { <p class="empty-state">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match refs.tags.await {
                        Err(FetchError::Superseded) => ().into_any(),
                        Err(e) => {
                            view! { <ErrorPanel error=e on_retry=Callback::new(move |_| refs.tags.refetch()) /> }
                                .into_any()
                        }
                        Ok(tags) => glossary(tags, refs, filter).into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn glossary(tags: Arc<GripTags>, refs: GripRefs, filter: RwSignal<String>) -> impl IntoView {
    let all: Arc<Vec<TagRow>> = Arc::new(
        tags.definitions
            .iter()
            .map(|(name, d)| TagRow {
                name: name.clone(),
                definition: d.definition.clone(),
                comments: d.comments.clone(),
            })
            .collect(),
    );
    let total = all.len();
    let shown = {
        let all = all.clone();
        Memo::new(move |_| {
            let needle = filter.get().trim().to_lowercase();
            all.iter().filter(|r| r.matches(&needle)).map(|r| r.name.clone()).collect::<Vec<_>>()
        })
    };
    let table = {
        let all = all.clone();
        move || {
            let names = shown.get();
            let rows: Vec<TagRow> = all.iter().filter(|r| names.contains(&r.name)).cloned().collect();
            let columns = vec![
                Column::new("Tag", |r: &TagRow| view! { <span class="grip-tag">{r.name.clone()}</span> }.into_any())
                    .sort_by(|r: &TagRow| SortKey::Text(r.name.clone())),
                Column::new("Definition", |r: &TagRow| r.definition.clone().map_or_else(none_view, |d| d.into_any())),
                Column::new("Comments", |r: &TagRow| {
                    if r.comments.is_empty() {
                        return none_view();
                    }
                    let items = r.comments.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view();
                    view! { <ul class="grip-comments">{items}</ul> }.into_any()
                }),
            ];
            view! {
                <DataTable
                    rows=Arc::new(rows)
                    columns
                    caption="GRIP tags and their definitions".to_string()
                    empty="No tag matches the filter."
                    row_id=Arc::new(|r: &TagRow| format!("tag-{}", r.name))
                />
            }
        }
    };
    let count = move || {
        let n = shown.with(Vec::len);
        if n == total {
            format!("{} tags", format_count(total as u64))
        } else {
            format!("{} of {} tags", format_count(n as u64), format_count(total as u64))
        }
    };

    view! {
        <h2>"Tags"</h2>
        <div class="toolbar">
            <div class="field grip-tag-filter">
                <label for="tag-filter">"Filter tags"</label>
                <input
                    id="tag-filter"
                    type="search"
                    placeholder="newcomer, hegemony, …"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </div>
            <span class="count" role="status">{count}</span>
        </div>
        {table}

        <h2>"When is a traceroute worth running?"</h2>
        <p class="grip-muted">
            "GRIP runs RIPE Atlas traceroutes for a prefix event when its tags match a rule below marked “yes”."
        </p>
        {worthiness_table(&tags.tr_worthy, refs)}
        {tags.copyright.clone().map(|c| view! { <p class="grip-muted grip-copyright">{c}</p> })}
    }
}

fn worthiness_table(rules: &[GripTrWorthyRule], refs: GripRefs) -> impl IntoView {
    let columns = vec![
        Column::new("Tags", move |r: &GripTrWorthyRule| tag_name_chips(&r.tags, refs)),
        Column::new("Worthy", |r: &GripTrWorthyRule| {
            match r.worthy.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("yes") => view! { <span class="badge ok">"yes"</span> }.into_any(),
                Some("no") => view! { <span class="badge">"no"</span> }.into_any(),
                Some("na") => view! { <span class="badge">"not applicable"</span> }.into_any(),
                Some(other) => view! { <span class="badge">{other.to_string()}</span> }.into_any(),
                None => none_view(),
            }
        })
        .sort_by(|r: &GripTrWorthyRule| r.worthy.clone().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("Why", |r: &GripTrWorthyRule| r.explain.clone().map_or_else(none_view, |e| e.into_any())),
        Column::new("Applies to", |r: &GripTrWorthyRule| {
            if r.apply_to.is_empty() {
                "all event types".into_any()
            } else {
                r.apply_to.join(", ").into_any()
            }
        }),
    ];
    view! {
        <DataTable
            rows=Arc::new(rules.to_vec())
            columns
            caption="Traceroute-worthiness rules".to_string()
            empty="GRIP sent no traceroute-worthiness rule."
        />
    }
}
