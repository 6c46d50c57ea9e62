//! IODA's outage events for one entity and window: when each began, how long it lasted (or lasts so far),
//! which signal saw it and IODA's score. Shown next to the alerts in the explorer and on the entity pages.

use crate::api::error::FetchError;
use crate::api::ioda::{decode_events, events_url, score_label, EntityRef, EventStatus, IodaEvent};
use crate::api::page::format_count;
use crate::api::time::{format_utc, relative, TimeRange};
use crate::api::Source;
use crate::app::use_app;
use crate::http::{fetch_decoded, Request};
use crate::ui::now;
use crate::ui::results::loaded;
use crate::ui::table::{Column, DataTable};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows the explorer shows; the count says how many there are.
const EXPLORER_ROWS: usize = 50;

/// The events of the explorer's one entity (v2 only), loaded beside its alerts.
#[component]
pub fn OutageEvents(entity: EntityRef, range: TimeRange) -> impl IntoView {
    let app = use_app();
    let url = events_url(app.endpoints().base(Source::Ioda), &entity, range);
    let data = LocalResource::new(move || {
        let req = Request::get(Source::Ioda, url.clone());
        async move { Some(fetch_decoded(req, None, decode_events).await.map(Arc::new)) }
    });
    view! {
        <section class="outage-events" data-testid="outage-events">
            {loaded(data, move |events| outage_events_table(Ok(events), range, EXPLORER_ROWS))}
        </section>
    }
}

fn when(ts: i64, t: i64) -> AnyView {
    view! {
        <span>{format_utc(ts)}</span>
        <span class="when-rel">{relative(ts, t)}</span>
    }
    .into_any()
}

/// IODA's outage events: when each began, how long it lasted (or lasts so far), which signal, the score.
pub fn outage_events_table(
    events: Result<Arc<Vec<IodaEvent>>, FetchError>,
    range: TimeRange,
    max_rows: usize,
) -> AnyView {
    let t = now();
    let events = match events {
        Ok(e) => e,
        Err(e) => return view! {
            <h3>"Outage events"</h3>
            <p class="notice" data-testid="events-error">{format!("IODA's outage events could not be loaded: {e}")}</p>
        }
        .into_any(),
    };
    let ongoing = events.iter().filter(|e| e.status(range) == EventStatus::Ongoing).count();
    let count = format!(
        "{} outage event{} in the window{}",
        format_count(events.len() as u64),
        if events.len() == 1 { "" } else { "s" },
        if ongoing > 0 { format!(", {ongoing} ongoing") } else { String::new() }
    );
    let columns = vec![
        Column::new("Began", move |e: &IodaEvent| when(e.start, t)),
        Column::new("Duration", move |e: &IodaEvent| e.duration_label(range).into_any()),
        Column::new("Signal", |e: &IodaEvent| e.source_label().into_any()),
        Column::new("Score", |e: &IodaEvent| e.score.map(score_label).unwrap_or_else(|| "—".into()).into_any())
            .numeric(),
        Column::new("Status", move |e: &IodaEvent| {
            let status = e.status(range);
            let class = if status == EventStatus::Ongoing { "badge critical" } else { "badge" };
            view! { <span class=class>{status.label()}</span> }.into_any()
        }),
    ];
    let mut rows: Vec<IodaEvent> = events.iter().cloned().collect();
    rows.sort_by_key(|e| std::cmp::Reverse(e.start));
    rows.truncate(max_rows);
    view! {
        <h3>"Outage events"</h3>
        <p class="events-count" data-testid="events-count">{count}</p>
        <DataTable rows=Arc::new(rows) columns=columns caption="IODA outage events, newest first".to_string() empty="No outage events in this window." />
    }
    .into_any()
}
