//! The answer to one alerts query: toolbar (count, pager, export, copy link), the timeline and the
//! alerts table. The level filter and the legacy dialect's paging happen here, in the browser.

use super::events::OutageEvents;
use super::signals::SignalsChart;
use super::timeline::Timeline;
use crate::api::ioda::{
    dashboard_url, level_shown, AlertLevel, Datasource, IodaAlert, IodaDialect, IodaEntity, IodaQuery, TimelineGroup,
    PAGE_SIZE,
};
use crate::api::page::{format_count, format_number, slice_bounds, PageNav};
use crate::api::query::FieldErrors;
use crate::api::time::{format_utc, relative};
use crate::api::Source;
use crate::app::use_app;
use crate::ui::copy_link::CopyLink;
use crate::ui::export::ExportButtons;
use crate::ui::now;
use crate::ui::pager::{prefetch_next, Pager};
use crate::ui::table::{Column, DataTable, RowId, SortKey};
use crate::ui::url_state::use_set_query;
use leptos::prelude::*;
use std::sync::Arc;

/// Rows per page when the legacy API answered the whole window at once.
pub const LEGACY_PAGE_SIZE: usize = 100;

/// One answer of the alerts API, with the query that asked for it (levels cleared: they filter
/// in the browser; for the legacy dialect the page too).
#[derive(Clone)]
pub struct Loaded {
    pub alerts: Arc<Vec<IodaAlert>>,
    pub query: IodaQuery,
    pub dialect: IodaDialect,
}

/// A table row: the alert and its index in the query's alert list (the timeline's `alert_index`).
struct Row {
    index: usize,
    alert: IodaAlert,
}

/// An alert's entity: its name and `type/code`. The one place that a later change turns entities
/// into links to NetLens's own country / AS pages.
pub(super) fn entity_text(entity: &IodaEntity) -> AnyView {
    let code = if entity.code.is_empty() {
        entity.kind.key().to_string()
    } else {
        format!("{}/{}", entity.kind.key(), entity.code)
    };
    let code_view = match entity.page_path() {
        Some(path) => {
            let href = crate::app::use_app().href(&path);
            view! { <a class="pivot sub mono" href=href>{code}</a> }.into_any()
        }
        None => view! { <span class="sub mono">{code}</span> }.into_any(),
    };
    match &entity.name {
        Some(name) if !name.trim().is_empty() => view! {
            <span class="entity-name">{name.clone()}</span>
            {code_view}
        }
        .into_any(),
        _ => view! { <span class="entity-name mono">{code_view}</span> }.into_any(),
    }
}

pub fn level_badge(level: &AlertLevel) -> AnyView {
    let class = match level {
        AlertLevel::Critical => "badge bad",
        AlertLevel::Warning => "badge warn",
        AlertLevel::Normal => "badge ok",
        AlertLevel::Other(_) => "badge",
    };
    view! { <span class=class>{level.label().to_string()}</span> }.into_any()
}

fn level_rank(level: &AlertLevel) -> i64 {
    match level {
        AlertLevel::Critical => 0,
        AlertLevel::Warning => 1,
        AlertLevel::Normal => 2,
        AlertLevel::Other(_) => 3,
    }
}

fn columns(query: &IodaQuery) -> Vec<Column<Row>> {
    let (from, until) = (query.range.from, query.range.until);
    vec![
        Column::new("Time (UTC)", |r: &Row| {
            view! {
                <span class="nowrap">{format_utc(r.alert.time)}</span>
                <span class="when-rel">{relative(r.alert.time, now())}</span>
            }
            .into_any()
        })
        .sort_by(|r| SortKey::Int(r.alert.time)),
        Column::new("Level", |r: &Row| level_badge(&r.alert.level))
            .sort_by(|r| SortKey::Int(level_rank(&r.alert.level))),
        Column::new("Entity", |r: &Row| entity_text(&r.alert.entity))
            .sort_by(|r| SortKey::Text(r.alert.entity.label())),
        Column::new("Datasource", |r: &Row| {
            let ds = r.alert.datasource.clone();
            match Datasource::from_key(&ds) {
                Some(d) => view! {
                    <span>{d.label()}</span>
                    <span class="sub mono">{ds}</span>
                }
                .into_any(),
                None if ds.is_empty() => view! { <span class="muted">"unknown"</span> }.into_any(),
                None => view! { <span class="mono">{ds}</span> }.into_any(),
            }
        })
        .sort_by(|r| SortKey::Text(r.alert.datasource.clone())),
        Column::new("Condition", |r: &Row| match &r.alert.condition {
            Some(c) if !c.trim().is_empty() => view! { <code>{c.clone()}</code> }.into_any(),
            _ => view! { <span class="muted">"—"</span> }.into_any(),
        }),
        Column::new("Value vs history", |r: &Row| {
            let a = &r.alert;
            let pair = match (a.value, a.history_value) {
                (None, None) => "—".to_string(),
                (v, h) => format!(
                    "{} vs {}",
                    v.map_or("—".to_string(), format_number),
                    h.map_or("—".to_string(), format_number)
                ),
            };
            let change = a.change_label();
            let drop = a.change_percent().is_some_and(|c| c < 0.0);
            view! {
                <span class="nowrap">{pair}</span>
                {change.map(|c| view! { <span class="change" class:drop=drop>{c}</span> })}
            }
            .into_any()
        })
        .numeric()
        .sort_by(|r| r.alert.change_percent().map_or(SortKey::Missing, SortKey::Float)),
        Column::new("IODA", move |r: &Row| match r.alert.entity.to_ref() {
            Some(e) => {
                let label = format!("Open {} in IODA (new tab)", r.alert.entity.label());
                view! {
                    <a class="nowrap" href=dashboard_url(Some(&e), from, until) target="_blank" rel="noopener" aria-label=label>
                        "IODA ↗"
                    </a>
                }
                .into_any()
            }
            None => view! { <span class="muted">"—"</span> }.into_any(),
        }),
    ]
}

/// Brings row `alert-<index>` into view and marks it; false when it is not on this page.
fn reveal(index: usize, last: StoredValue<Option<usize>>) -> bool {
    let doc = document();
    if let Some(prev) = last.get_value().and_then(|i| doc.get_element_by_id(&format!("alert-{i}"))) {
        let _ = prev.class_list().remove_1("highlight");
    }
    let Some(el) = doc.get_element_by_id(&format!("alert-{index}")) else { return false };
    let _ = el.class_list().add_1("highlight");
    last.set_value(Some(index));
    let reduced = window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches());
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Center);
    opts.set_behavior(if reduced { web_sys::ScrollBehavior::Auto } else { web_sys::ScrollBehavior::Smooth });
    el.scroll_into_view_with_scroll_into_view_options(&opts);
    true
}

#[component]
pub fn Results(loaded: Loaded, current: Memo<Result<IodaQuery, FieldErrors>>) -> impl IntoView {
    let app = use_app();
    let set_query = StoredValue::new_local(use_set_query("/ioda"));
    let legacy = loaded.dialect == IodaDialect::Legacy;
    let fetched = loaded.query.clone();
    let returned = loaded.alerts.len();
    // The legacy API cannot filter by datasource: that happens here (v2 did it already).
    let alerts: Arc<Vec<IodaAlert>> = Arc::new(
        loaded.alerts.iter().filter(|a| fetched.datasource.is_none_or(|d| d.matches(&a.datasource))).cloned().collect(),
    );
    let last_highlight = StoredValue::new(None::<usize>);
    if !legacy && fetched.page_nav(returned).has_next {
        let next = IodaQuery { page: fetched.page + 1, ..fetched.clone() };
        let url = next.request_url(app.endpoints().base(Source::Ioda), loaded.dialect);
        prefetch_next(crate::http::Request::get(Source::Ioda, url));
    }

    // The signals of the one entity asked for (v2 only: the legacy API has none), drawn once per answer:
    // the level filter and the legacy pages below change nothing in it.
    let signals = match (&fetched.entity, legacy) {
        (Some(e), false) if e.code.is_some() => Some(view! {
            <OutageEvents entity=e.clone() range=fetched.range />
            <SignalsChart entity=e.clone() range=fetched.range alerts=alerts.clone() />
        }),
        _ => None,
    };

    let listing = move || {
        // What is shown: the fetched query with the URL's level filter (and, for legacy, its page).
        let mut q = fetched.clone();
        if let Ok(c) = current.get() {
            q.levels = c.levels;
            if legacy {
                q.page = c.page;
            }
        }
        let shown: Vec<usize> = (0..alerts.len()).filter(|&i| level_shown(&q.levels, &alerts[i].level)).collect();
        let hidden = alerts.len() - shown.len();
        let (nav, on_page): (PageNav, Vec<usize>) = if legacy {
            let (start, end) = slice_bounds(shown.len(), q.page, LEGACY_PAGE_SIZE);
            let offset = u64::from(q.page.max(1) - 1) * LEGACY_PAGE_SIZE as u64;
            let nav = PageNav::from_offset(offset, LEGACY_PAGE_SIZE as u64, shown.len() as u64, None);
            (nav, shown[start..end].to_vec())
        } else {
            (q.page_nav(returned), shown.clone())
        };

        let n = shown.len();
        let mut count = format!("{} alert{} (page {}", format_count(n as u64), if n == 1 { "" } else { "s" }, q.page);
        if let (true, Some(last)) = (legacy, nav.last) {
            if last > 1 {
                count.push_str(&format!(" of {last}"));
            }
        }
        count.push(')');
        let note = match (hidden, legacy) {
            (0, _) => None,
            (h, false) => Some(format!("{} more on this page hidden by the level filter", format_count(h as u64))),
            (h, true) => Some(format!("{} more hidden by the level filter", format_count(h as u64))),
        };
        let more_note = (!legacy && nav.has_next).then(|| {
            format!("IODA sends {} alerts per page; the next page may hold more.", format_count(u64::from(PAGE_SIZE)))
        });

        let show_pager = nav.has_next || nav.has_prev() || nav.last.is_some_and(|l| l > 1);
        let pager = show_pager.then(|| {
            let href_q = q.clone();
            let href: Arc<dyn Fn(u32) -> String + Send + Sync> = Arc::new(move |page| {
                let mut p = href_q.clone();
                p.page = page;
                format!("{}{}", app.href("/ioda"), p.to_params().to_suffix())
            });
            view! { <Pager nav=nav href=href /> }
        });

        let export: Arc<Vec<IodaAlert>> = Arc::new(shown.iter().map(|&i| alerts[i].clone()).collect());
        let rows: Arc<Vec<Row>> =
            Arc::new(on_page.iter().map(|&i| Row { index: i, alert: alerts[i].clone() }).collect());
        let row_id: RowId<Row> = Arc::new(|r: &Row| format!("alert-{}", r.index));
        let empty = if alerts.is_empty() {
            "IODA raised no alerts for this query. Try a longer window or another entity.".to_string()
        } else if n == 0 {
            format!("All {} alerts are hidden by the level filter.", format_count(alerts.len() as u64))
        } else {
            "No alerts on this page: go back to an earlier page.".to_string()
        };

        let group = if q.entity.as_ref().is_some_and(|e| e.code.is_some()) {
            TimelineGroup::Datasource
        } else {
            TimelineGroup::Entity
        };
        let select_q = q.clone();
        let select_shown = shown.clone();
        let on_select = Callback::new(move |index: usize| {
            if reveal(index, last_highlight) || !legacy {
                return;
            }
            // Legacy pages in the browser: open the page that holds the alert, then show it.
            let Some(pos) = select_shown.iter().position(|&i| i == index) else { return };
            let mut p = select_q.clone();
            p.page = u32::try_from(pos / LEGACY_PAGE_SIZE + 1).unwrap_or(1);
            set_query.with_value(|go| go(&p.to_params()));
            wasm_bindgen_futures::spawn_local(async move {
                for _ in 0..30 {
                    gloo_timers::future::TimeoutFuture::new(100).await;
                    if last_highlight.is_disposed() || reveal(index, last_highlight) {
                        return;
                    }
                }
            });
        });

        view! {
            <div class="toolbar">
                <p class="count-line">
                    <span class="count" role="status">{count}</span>
                    {note.map(|t| view! { <span class="count-note">{t}</span> })}
                    {more_note.map(|t| view! { <span class="count-note">{t}</span> })}
                </p>
                {pager}
                <span class="actions">
                    <ExportButtons rows=export source_key="ioda" />
                    <CopyLink />
                </span>
            </div>
            <Timeline alerts=alerts.clone() range=q.range group=group levels=q.levels.clone() on_select=on_select />
            <DataTable rows=rows columns=columns(&q) caption="IODA outage alerts".to_string() empty=empty row_id=row_id />
        }
        .into_any()
    };
    let alerts_heading = signals.is_some().then(|| view! { <h3>"Alerts"</h3> });
    view! {
        {signals}
        {alerts_heading}
        <div class="alerts-list">{listing}</div>
    }
}
