//! The entity pages' Spoofer panel: the newest sessions of an AS or a country, and the share of them that could
//! spoof. The service lists sessions oldest first, so the newest are read from its last pages.

use super::{panel, when, PANEL_ROWS};
use crate::api::error::FetchError;
use crate::api::page::format_count;
use crate::api::spoofer::trend::SpoofTrend;
use crate::api::spoofer::{
    country_name, history_pages, latest_last_page, latest_share_line, newest_first, SpoofSummary, SpoofTally,
    SpoofTest, SpooferQuery, SpooferSession, LATEST_WINDOW,
};
use crate::api::Source;
use crate::app::use_app;
use crate::config::BaseUrl;
use crate::pages::spoofer::fetch_page;
use crate::ui::now;
use crate::ui::pivot::asn_link;
use crate::ui::results::loaded;
use crate::ui::table::{lazy_table, Column, DataTable};
use leptos::prelude::*;
use std::sync::Arc;

/// The newest sessions (at most [`LATEST_WINDOW`]), how many match in all when the service says, and the
/// sessions the trend is drawn from (every one, or the newest [`HISTORY_PAGES`] pages: `complete` says which).
#[derive(Clone)]
struct Latest {
    sessions: Vec<SpooferSession>,
    total: Option<u64>,
    history: Arc<Vec<SpooferSession>>,
    complete: bool,
}

/// Page 1 names the last page; the pages before it, read at once, hold the newest sessions and the history.
async fn fetch_latest(query: SpooferQuery, base: BaseUrl) -> Result<Latest, FetchError> {
    let first = fetch_page(query.with_page(1).request_url(&base), None).await?;
    let total = first.total_items;
    let (numbers, complete) = latest_last_page(&first).map_or((vec![], true), history_pages);
    // Page numbers go through the query builder, not the service's links: requests stay on our endpoint.
    let pages =
        futures::future::join_all(numbers.iter().map(|&n| fetch_page(query.with_page(n).request_url(&base), None)))
            .await;
    let mut all: Vec<Vec<SpooferSession>> = Vec::with_capacity(pages.len() + 1);
    for page in pages {
        all.push(page?.members);
    }
    if complete {
        all.push(first.members);
    }
    let history = newest_first(all.clone(), usize::MAX);
    Ok(Latest { sessions: newest_first(all, LATEST_WINDOW), total, history: Arc::new(history), complete })
}

#[component]
pub fn SpooferPanel(query: SpooferQuery) -> impl IntoView {
    let app = use_app();
    let explorer = (app.href("/spoofer") + &query.to_params().to_suffix(), "Open in the Spoofer explorer");
    let base = app.endpoints().base(Source::Spoofer).clone();
    let subject = match (query.asns.first(), &query.country) {
        (Some(asn), _) => format!("AS{asn}"),
        (None, Some(cc)) => country_name(cc.as_str()).map_or_else(|| cc.as_str().to_uppercase(), str::to_string),
        _ => "these".to_string(),
    };
    let data = LocalResource::new(move || {
        let latest = fetch_latest(query.clone(), base.clone());
        async move {
            let latest = latest.await;
            super::timeline::feed_result(Source::Spoofer, &latest, |l| {
                let covers = match l.total {
                    Some(t) if t > l.sessions.len() as u64 => format!("the latest {} sessions", l.sessions.len()),
                    _ => "every session".to_string(),
                };
                (crate::api::timeline::spoofer_marks(&l.sessions), covers)
            });
            Some(latest)
        }
    });
    let body = loaded(data, move |l| sessions_view(l, subject.clone())).into_any();
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

fn sessions_view(latest: Latest, subject: String) -> AnyView {
    let app = use_app();
    let t = now();
    let Latest { sessions, total, history, complete } = latest;
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
        {trend_view(&history, complete, total, &subject)}
        <h3>"Newest sessions"</h3>
        <p class="count">{count}</p>
        <DataTable rows=Arc::new(rows) columns=columns caption="Spoofer sessions, newest first".to_string() empty="No Spoofer sessions." />
    }
    .into_any()
}

/// Spoofability over time: one bar per month, quarter or year (the share of sessions with a verdict that
/// could spoof in any test), a line per test on how it changed, and the numbers as a table.
fn trend_view(history: &[SpooferSession], complete: bool, total: Option<u64>, subject: &str) -> AnyView {
    let trend = SpoofTrend::of(history);
    if trend.points.is_empty() {
        return view! { <p class="muted" data-testid="spoof-trend">{trend.describe(subject)}</p> }.into_any();
    }
    let unit = trend.bucket.label();
    let coverage = match (complete, total) {
        (true, _) => format!("All {} sessions, by {unit}.", format_count(history.len() as u64)),
        (false, Some(t)) => {
            format!("The newest {} of {} sessions, by {unit}.", format_count(history.len() as u64), format_count(t))
        }
        (false, None) => format!("The newest {} sessions, by {unit}.", format_count(history.len() as u64)),
    };
    let undated = (trend.undated > 0)
        .then(|| format!(" {} without a time are left out.", plural(trend.undated as usize, "session", "sessions")));
    let n = trend.points.len();
    let label_every = n.div_ceil(8).max(1);
    let bars = trend
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let reading = p.reading();
            let (class, height) = match p.any.share() {
                _ if p.sessions == 0 => ("st-bar none", None),
                None => ("st-bar undecided", None),
                Some(s) => ("st-bar", Some(format!("{:.1}%", (s * 100.0).max(1.5)))),
            };
            let x_label = (i % label_every == 0 || i + 1 == n).then(|| p.label.clone());
            view! {
                <li class=class tabindex="0" title=reading.clone() aria-label=reading>
                    <span class="st-fill" style:height=height></span>
                    <span class="st-x" aria-hidden="true">{x_label}</span>
                </li>
            }
        })
        .collect_view();
    let lines = [SpoofTest::RoutedV4, SpoofTest::RoutedV6, SpoofTest::PrivateV4, SpoofTest::PrivateV6]
        .map(|test| view! { <li>{trend.sentence(test)}</li> })
        .into_iter()
        .collect_view();
    let points = trend.points.clone();
    let head = move || {
        let cols = ["Sessions", "Any test", "Routed IPv4", "Routed IPv6", "Private IPv4", "Private IPv6"]
            .map(|h| view! { <th scope="col" class="num">{h}</th> });
        view! {
            <th scope="col">{unit.to_string()}</th>
            {cols.into_iter().collect_view()}
        }
        .into_any()
    };
    let rows = move || {
        let share = |t: SpoofTally| t.share().map_or_else(|| "—".to_string(), |s| format!("{:.0} %", s * 100.0));
        points
            .iter()
            .map(|p| {
                let cells = [p.any, p.summary.routed4, p.summary.routed6, p.summary.private4, p.summary.private6]
                    .map(|t| view! { <td class="num">{share(t)}</td> });
                view! {
                    <tr>
                        <th scope="row">{p.label.clone()}</th>
                        <td class="num">{format_count(p.sessions)}</td>
                        {cells.into_iter().collect_view()}
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let caption = format!("Share that could spoof, per {unit} (— = no verdict)");
    view! {
        <section class="spoof-trend" data-testid="spoof-trend" aria-labelledby="spoof-trend-title">
            <h3 id="spoof-trend-title">"Spoofability over time"</h3>
            <p class="panel-note">{coverage}{undated}" Bars: the share of sessions with a verdict whose spoofed packets got through in any test."</p>
            <div class="st-chart">
                <svg class="st-grid" role="img" aria-label=trend.describe(subject) viewBox="0 0 100 100" preserveAspectRatio="none">
                    <line x1="0" x2="100" y1="0" y2="0" />
                    <line x1="0" x2="100" y1="50" y2="50" />
                    <line x1="0" x2="100" y1="100" y2="100" />
                </svg>
                <span class="st-y top" aria-hidden="true">"100 %"</span>
                <span class="st-y mid" aria-hidden="true">"50 %"</span>
                <ol class="st-bars" data-bucket=unit>{bars}</ol>
            </div>
            <ul class="spoof-trend-lines">{lines}</ul>
            {lazy_table("Show as table".to_string(), "spoof-trend-table", caption, head, rows)}
        </section>
    }
    .into_any()
}
