//! The entity pages' Spoofer panel: the newest sessions of an AS or a country, and the share of them that could
//! spoof. The service lists sessions oldest first, so the newest are read from its last pages.

use super::{loaded, panel, when, PANEL_ROWS};
use crate::api::error::FetchError;
use crate::api::page::format_count;
use crate::api::spoofer::{
    latest_last_page, latest_previous_page, latest_share_line, newest_first, SpoofSummary, SpoofTally, SpoofTest,
    SpooferQuery, SpooferSession, LATEST_WINDOW,
};
use crate::api::Source;
use crate::app::use_app;
use crate::config::BaseUrl;
use crate::pages::spoofer::fetch_page;
use crate::ui::now;
use crate::ui::pivot::asn_link;
use crate::ui::table::{Column, DataTable};
use leptos::prelude::*;
use std::sync::Arc;

/// The newest sessions (at most [`LATEST_WINDOW`]) and how many match in all, when the service says.
#[derive(Clone)]
struct Latest {
    sessions: Vec<SpooferSession>,
    total: Option<u64>,
}

/// Page 1 names the last page; the last page (and the one before, when the last is short) holds the newest.
async fn fetch_latest(query: SpooferQuery, base: BaseUrl) -> Result<Latest, FetchError> {
    let first = fetch_page(query.with_page(1).request_url(&base), None).await?;
    let total = first.total_items;
    let mut pages = Vec::new();
    if let Some(last) = latest_last_page(&first) {
        // Page numbers go through the query builder, not the service's links: requests stay on our endpoint.
        let last_page = fetch_page(query.with_page(last).request_url(&base), None).await?;
        let last_len = last_page.members.len();
        pages.push(last_page.members);
        if let Some(before) = latest_previous_page(last, last_len, LATEST_WINDOW) {
            pages.push(fetch_page(query.with_page(before).request_url(&base), None).await?.members);
        }
    }
    // Page 1 only counts when the pages after it hold fewer than the window (two pages in all, or one).
    pages.push(first.members);
    Ok(Latest { sessions: newest_first(pages, LATEST_WINDOW), total })
}

#[component]
pub fn SpooferPanel(query: SpooferQuery) -> impl IntoView {
    let app = use_app();
    let explorer = (app.href("/spoofer") + &query.to_params().to_suffix(), "Open in the Spoofer explorer");
    let base = app.endpoints().base(Source::Spoofer).clone();
    let data = LocalResource::new(move || {
        let latest = fetch_latest(query.clone(), base.clone());
        async move { Some(latest.await) }
    });
    let body = loaded(data, sessions_view).into_any();
    panel("panel-spoofer", "Spoofer sessions (latest)", Some(explorer), body)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", format_count(n as u64), if n == 1 { one } else { many })
}

fn share_text(label: &'static str, tally: SpoofTally) -> AnyView {
    let text = match tally.share() {
        Some(s) => format!(
            "{label}: {:.0} % could spoof ({} of {} conclusive)",
            s * 100.0,
            tally.got_through,
            tally.conclusive
        ),
        None => format!("{label}: no conclusive test"),
    };
    view! { <li>{text}</li> }.into_any()
}

fn sessions_view(latest: Latest) -> AnyView {
    let app = use_app();
    let t = now();
    let Latest { sessions, total } = latest;
    if sessions.is_empty() {
        return view! { <p class="empty-state">"No Spoofer sessions."</p> }.into_any();
    }
    let summary = SpoofSummary::of(&sessions);
    let headline = latest_share_line(&sessions, total);
    let shown = sessions.len().min(PANEL_ROWS);
    let count = match total {
        Some(t) => format!("{} in all; the {shown} newest below.", plural(t as usize, "session", "sessions")),
        None => format!("The {shown} newest below."),
    };
    let columns = vec![
        Column::new("Session", move |s: &SpooferSession| {
            let href = app.href(&format!("/spoofer/session/{}", s.session));
            view! { <a class="mono" href=href>{format!("#{}", s.session)}</a> }.into_any()
        }),
        Column::new("Time", move |s: &SpooferSession| when(s.timestamp, t)),
        Column::new("AS", |s: &SpooferSession| match s.asn4.or(s.asn6) {
            Some(n) => asn_link(n),
            None => view! { <span class="none">"—"</span> }.into_any(),
        }),
        Column::new("Routed IPv4", |s: &SpooferSession| s.result(SpoofTest::RoutedV4).label().to_string().into_any()),
    ];
    let rows: Vec<_> = sessions.into_iter().take(PANEL_ROWS).collect();
    view! {
        <p class="spoof-headline" data-testid="spoof-share">{headline}</p>
        <ul class="spoof-summary" data-testid="spoof-summary">
            {share_text("Routed IPv4", summary.tally(SpoofTest::RoutedV4))}
            {share_text("Routed IPv6", summary.tally(SpoofTest::RoutedV6))}
            {share_text("Private IPv4", summary.tally(SpoofTest::PrivateV4))}
        </ul>
        <p class="count">{count}</p>
        <DataTable rows=Arc::new(rows) columns=columns caption="Spoofer sessions, newest first".to_string() empty="No Spoofer sessions." />
    }
    .into_any()
}
