//! `/ioda/summary`: what is out now. The countries, regions and networks IODA saw in outage during
//! a window, ranked by its overall score, with each source's score and the event count; every row
//! links to the entity's own page (or to the alerts explorer for a region). The URL is the query:
//! a window preset or an entity type changes it at once.

use super::results::entity_text;
use crate::api::error::FetchError;
use crate::api::ioda::{
    decode_summary, rank_summary, score_label, Datasource, EntityKind, IodaDialect, IodaQuery, IodaSummaryEntry,
    IodaSummaryQuery,
};
use crate::api::page::format_count;
use crate::api::query::{FieldErrors, QueryParams};
use crate::api::Source;
use crate::app::use_app;
use crate::heads::IODA_SUMMARY;
use crate::http::{fetch_decoded, Request, RequestSlot};
use crate::ui::copy_link::CopyLink;
use crate::ui::field::Field;
use crate::ui::now;
use crate::ui::page_head::PageHead;
use crate::ui::results::results_area;
use crate::ui::table::{Column, DataTable, SortKey};
use crate::ui::time_range::TimeRangePicker;
use crate::ui::url_state::{use_query_params, use_set_query};
use leptos::prelude::*;
use std::sync::Arc;

/// The per-source columns, in IODA's order.
const SOURCES: [Datasource; 3] = [Datasource::Bgp, Datasource::PingSlash24, Datasource::MeritNt];

/// A ranked row: its place and the entry.
struct Row {
    rank: usize,
    entry: IodaSummaryEntry,
    /// The alerts explorer for this entity over the same window.
    alerts_href: Option<String>,
}

fn score_cell(score: Option<f64>) -> AnyView {
    match score {
        Some(s) => view! { <span class="mono">{score_label(s)}</span> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

fn columns() -> Vec<Column<Row>> {
    let mut cols = vec![
        Column::new("#", |r: &Row| view! { <span>{r.rank}</span> }.into_any())
            .numeric()
            .sort_by(|r| SortKey::Int(r.rank as i64)),
        Column::new("Entity", |r: &Row| {
            let alerts = r.alerts_href.clone().map(|href| {
                view! { <a class="sub" href=href>"alerts"</a> }
            });
            view! {
                {entity_text(&r.entry.entity)}
                {alerts}
            }
            .into_any()
        })
        .sort_by(|r| SortKey::Text(r.entry.entity.label())),
        Column::new("Overall score", |r: &Row| score_cell(r.entry.overall_score()))
            .numeric()
            .sort_by(|r| r.entry.overall_score().map_or(SortKey::Missing, SortKey::Float)),
    ];
    for source in SOURCES {
        cols.push(
            Column::new(source.label(), move |r: &Row| score_cell(r.entry.source_score(source)))
                .numeric()
                .sort_by(move |r| r.entry.source_score(source).map_or(SortKey::Missing, SortKey::Float)),
        );
    }
    cols.push(
        Column::new("Events", |r: &Row| view! { <span>{format_count(r.entry.event_count)}</span> }.into_any())
            .numeric()
            .sort_by(|r| SortKey::Int(i64::try_from(r.entry.event_count).unwrap_or(i64::MAX))),
    );
    cols
}

#[component]
pub fn IodaSummary() -> impl IntoView {
    let app = use_app();
    let params = use_query_params();
    let dialect = Memo::new(move |_| app.endpoints().ioda_dialect);
    let parsed: Memo<Result<IodaSummaryQuery, FieldErrors>> =
        Memo::new(move |_| IodaSummaryQuery::from_params(&params.get(), now()));
    let slot = RequestSlot::default();
    type Answer = Result<(IodaSummaryQuery, Arc<Vec<IodaSummaryEntry>>), FetchError>;
    let data: LocalResource<Option<Answer>> = LocalResource::new(move || {
        let q = parsed.get();
        let dialect = dialect.get();
        let base = app.endpoints().base(Source::Ioda).clone();
        let slot = slot.clone();
        async move {
            let q = q.ok().filter(|_| dialect == IodaDialect::V2)?;
            let req = Request::get(Source::Ioda, q.request_url(&base));
            let result = fetch_decoded(req, Some(&slot), decode_summary).await.map(rank_summary);
            Some(result.map(|rows| (q, Arc::new(rows))))
        }
    });

    let set_query = StoredValue::new_local(use_set_query("/ioda/summary"));
    // A change of one field keeps the others as the URL has them (invalid ones too: the page then
    // explains them next to their field).
    let change = move |key: &'static str, value: Option<String>| {
        let mut p: QueryParams = params.get_untracked();
        p.set(key, value);
        set_query.with_value(|go| go(&p));
    };
    let err = move |key: &'static str| {
        Signal::derive(move || parsed.get().err().and_then(|e| e.for_field(key).map(str::to_string)))
    };
    let window = move || parsed.get().ok().map(|q| q.range);
    let kind_now = move || params.get().get(IodaSummaryQuery::TYPE).unwrap_or_default().to_string();
    let kind_options = IodaSummaryQuery::KINDS
        .into_iter()
        .map(|k: EntityKind| {
            let key = k.key().to_string();
            let selected = {
                let key = key.clone();
                move || kind_now() == key
            };
            view! { <option value=key.clone() prop:selected=selected>{k.label().to_string()}</option> }
        })
        .collect_view();

    let legacy = move || {
        if dialect.get_untracked() != IodaDialect::Legacy {
            return ().into_any();
        }
        view! {
            <p class="notice" data-testid="summary-legacy">
                "The outage summary comes from IODA’s v2 API; this deployment’s IODA endpoint speaks the "
                "retired legacy API, which has none. The "
                <a href=app.href("/ioda")>"alerts explorer"</a>
                " works with both."
            </p>
        }
        .into_any()
    };
    let render = move |(q, entries): (IodaSummaryQuery, Arc<Vec<IodaSummaryEntry>>)| {
        let (from, until) = (q.range.from, q.range.until);
        let rows: Vec<Row> = entries
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, entry)| {
                let alerts_href = entry.entity.to_ref().map(|r| {
                    let mut p = QueryParams::new();
                    p.push(IodaQuery::FROM, from.to_string())
                        .push(IodaQuery::UNTIL, until.to_string())
                        .push(IodaQuery::ENTITY, r.key());
                    app.href(&format!("/ioda{}", p.to_suffix()))
                });
                Row { rank: i + 1, entry, alerts_href }
            })
            .collect();
        let n = rows.len();
        let count = match n {
            0 => "No outages in this window".to_string(),
            1 => "1 entity with outages".to_string(),
            n if n as u32 >= IodaSummaryQuery::LIMIT => format!("The {n} highest-scored entities"),
            n => format!("{n} entities with outages"),
        };
        view! {
            <div class="toolbar">
                <p class="count-line">
                    <span class="count" role="status" data-testid="count">{count}</span>
                    " "
                    <span class="count-note">"ranked by IODA’s overall score"</span>
                </p>
                <span class="actions">
                    <CopyLink />
                </span>
            </div>
            <DataTable
                rows=Arc::new(rows)
                columns=columns()
                caption="Entities with outages, ranked by IODA's overall score".to_string()
                empty="IODA saw no outage in this window. Try a longer one."
            />
        }
        .into_any()
    };

    view! {
        <section class="ioda-page">
            <PageHead
                title=IODA_SUMMARY.title
                lead=IODA_SUMMARY.lead
            >
                <a class="button" href=app.href("/ioda") data-testid="to-alerts">
                    "All alerts"
                </a>
            </PageHead>
            <form class="query-form" novalidate on:submit=|ev| ev.prevent_default()>
                <TimeRangePicker
                    from=Signal::derive(move || window().map(|w| w.from))
                    until=Signal::derive(move || window().map(|w| w.until))
                    on_change=Callback::new(move |(f, u): (i64, i64)| {
                        let mut p = params.get_untracked();
                        p.set(IodaQuery::FROM, Some(f.to_string()));
                        p.set(IodaQuery::UNTIL, Some(u.to_string()));
                        set_query.with_value(|go| go(&p));
                    })
                    from_error=err(IodaQuery::FROM)
                    until_error=err(IodaQuery::UNTIL)
                    id="summary-range"
                />
                <Field id="summary-type" label="Entities" error=err(IodaSummaryQuery::TYPE)>
                    <select
                        id="summary-type"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            change(IodaSummaryQuery::TYPE, Some(v).filter(|v| !v.is_empty()));
                        }
                    >
                        <option value="" prop:selected=move || kind_now().is_empty()>
                            "Countries, regions and ASes"
                        </option>
                        {kind_options}
                    </select>
                </Field>
            </form>
            {results_area("summary-results", data, legacy, render)}
        </section>
    }
}
