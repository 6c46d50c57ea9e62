//! `/grip`: the event search. Every parameter of GRIP's `/events` endpoint is a form field under
//! the API's own name; the URL is the single source of truth (the form shows it, submitting
//! writes it, the results follow it).

use super::{
    asn_list, change_view, none_view, prefix_list_clamped, suspicion_view, tag_chips, time_view, GripRefs, RefsNote,
    ROW_PREFIXES,
};
use crate::api::grip::{
    decode_events, decode_events_head, EventAses, EventType, GripEvent, GripEventsPage, GripQuery, SuspicionLevel,
    SEARCH_CAP,
};
use crate::api::page::{format_count, range_label, PageNav};
use crate::api::query::QueryParams;
use crate::api::time::{format_duration, format_input, parse_instant, Timestamp};
use crate::api::Source;
use crate::app::{use_app, AppContext};
use crate::heads::GRIP;
use crate::http::{fetch_decoded_head_first, Request, RequestSlot};
use crate::ui::copy_link::CopyLink;
use crate::ui::export::ExportButtons;
use crate::ui::field::Field;
use crate::ui::filters::{FilterPanel, MoreFilters};
use crate::ui::now;
use crate::ui::page_head::PageHead;
use crate::ui::pager::{prefetch_next, Pager};
use crate::ui::results::results_area_previewed;
use crate::ui::table::{Column, DataTable, SortKey};
use crate::ui::time_range::TimeRangePicker;
use crate::ui::url_state::{use_query_params, use_set_query};
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Select};
use leptos::prelude::*;
use std::sync::Arc;

/// How many events a large page shows before the rest is decoded: a tall screen's worth (the table
/// starts below the filters, and events with many prefixes are tall rows).
const HEAD_EVENTS: usize = 20;

/// The page sizes offered (the URL may carry any 1–1000).
const PAGE_SIZES: [u64; 6] = [10, 30, 50, 100, 500, 1000];

/// The time bounds to write: raw text, as the URL or the picker gives it (`None` = no bound).
type TimeBounds = (Option<String>, Option<String>);

#[component]
pub fn GripSearch() -> impl IntoView {
    let app = use_app();
    let refs = GripRefs::load();
    let params = use_query_params();
    let parsed = Memo::new(move |_| GripQuery::from_params(&params.get(), now()));
    let set_query = StoredValue::new_local(use_set_query("/grip"));
    let slot = RequestSlot::default();
    // A large page's first events, drawn while the whole page is decoded.
    let preview = RwSignal::new(None::<(GripQuery, Arc<Vec<GripEvent>>)>);
    let data = LocalResource::new(move || {
        let q = parsed.get();
        let base = app.endpoints().base(Source::Grip).clone();
        // Sent here, not in the future: the request is on the wire while the page builds.
        let events = q.as_ref().ok().map(|q| {
            let shown = q.clone();
            fetch_decoded_head_first(
                Request::get(Source::Grip, q.request_url(&base)),
                Some(&slot),
                |body| decode_events_head(body, HEAD_EVENTS),
                // The page may be gone by then (the user went elsewhere): then nothing is drawn.
                move |head| _ = preview.try_set(Some((shown, Arc::new(head)))),
                decode_events,
            )
        });
        async move {
            let (q, events) = (q.ok()?, events?);
            let (page, ()) = futures::future::join(events, GripRefs::flags_settled(&base)).await;
            Some(page.map(|page| (q, Arc::new(page))))
        }
    });
    // Shown in place of "Loading…" while it is the current query's.
    let preview_view = move || {
        let current = parsed.try_with(|p| p.as_ref().ok().cloned())??;
        let rows = preview.try_with(|p| p.as_ref().filter(|(q, _)| *q == current).map(|(_, rows)| rows.clone()))??;
        Some(partial_results(app, refs, rows).into_any())
    };

    let error = move |key: &'static str| {
        Signal::derive(move || parsed.with(|r| r.as_ref().err().and_then(|e| e.for_field(key)).map(str::to_string)))
    };
    let raw = move |key: &'static str| params.with(|p| p.get(key).unwrap_or_default().to_string());

    // The form's fields are uncontrolled drafts that show the URL's values; submitting reads them.
    let event_type = NodeRef::<Select>::new();
    let asns = NodeRef::<Input>::new();
    let tags = NodeRef::<Input>::new();
    let pfxs = NodeRef::<Input>::new();
    let min_susp = NodeRef::<Input>::new();
    let max_susp = NodeRef::<Input>::new();
    let min_duration = NodeRef::<Input>::new();
    let max_duration = NodeRef::<Input>::new();
    let full = NodeRef::<Input>::new();
    let length = NodeRef::<Select>::new();

    // Builds the query from the form (plus the given time bounds) and navigates to it, from the
    // first page. Invalid values go into the URL too: the page then shows the message at the field.
    let go = move |(ts_start, ts_end): TimeBounds| {
        let input = |r: NodeRef<Input>| r.get_untracked().map(|e| e.value()).unwrap_or_default();
        let select = |r: NodeRef<Select>| r.get_untracked().map(|e| e.value()).unwrap_or_default();
        let mut p = QueryParams::new();
        let mut put = |key: &str, value: String| {
            let value = value.trim();
            if !value.is_empty() {
                p.push(key, value);
            }
        };
        put("event_type", select(event_type));
        put("ts_start", ts_start.unwrap_or_default());
        put("ts_end", ts_end.unwrap_or_default());
        put("asns", input(asns));
        put("tags", input(tags));
        put("pfxs", input(pfxs));
        put("min_susp", input(min_susp));
        put("max_susp", input(max_susp));
        put("min_duration", input(min_duration));
        put("max_duration", input(max_duration));
        if full.get_untracked().is_some_and(|e| e.checked()) {
            put("full", "true".into());
        }
        put("length", select(length));
        // A valid query is written in its short canonical form (defaults left out).
        let p = match GripQuery::from_params(&p, now()) {
            Ok(q) => q.to_params(),
            Err(_) => p,
        };
        set_query.with_value(|set| set(&p));
    };
    let url_times = move || -> TimeBounds {
        params.with_untracked(|p| (p.get("ts_start").map(str::to_string), p.get("ts_end").map(str::to_string)))
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        go(url_times());
    };

    // Time bounds: what the URL says (the picker shows it; it may be invalid text).
    let bound = move |key: &'static str| {
        Signal::derive(move || match parsed.get() {
            Ok(q) => {
                if key == "ts_start" {
                    q.ts_start
                } else {
                    q.ts_end
                }
            }
            Err(_) => params.with(|p| p.get(key).and_then(|r| parse_instant(r).ok())),
        })
    };
    let on_window = Callback::new(move |(from, until): (Timestamp, Timestamp)| {
        go((Some(format_input(from)), Some(format_input(until))));
    });
    let unbounded = move || params.with(|p| p.get("ts_start").is_none() && p.get("ts_end").is_none());

    // Suspicion presets fill the bounds and search.
    let presets = [
        (Some(SuspicionLevel::Suspicious), "Suspicious", "80–100"),
        (Some(SuspicionLevel::Grey), "Grey", "21–79"),
        (Some(SuspicionLevel::Benign), "Benign", "0–20"),
        (None, "All", "0–100"),
    ]
    .into_iter()
    .map(|(level, label, range)| {
        let pressed = move || {
            let on = parsed.with(|r| match (r, level) {
                (Ok(q), Some(l)) => q.suspicion_preset() == Some(l),
                (Ok(q), None) => (q.min_susp, q.max_susp) == (0, 100),
                (Err(_), _) => false,
            });
            on.to_string()
        };
        let apply = move |_| {
            let (lo, hi) = level.map_or((String::new(), String::new()), |l| {
                let (lo, hi) = l.range();
                (lo.to_string(), hi.to_string())
            });
            if let Some(e) = min_susp.get_untracked() {
                e.set_value(&lo);
            }
            if let Some(e) = max_susp.get_untracked() {
                e.set_value(&hi);
            }
            go(url_times());
        };
        view! {
            <button
                type="button"
                aria-pressed=pressed
                on:click=apply
                title=format!("Primary-inference suspicion {range}")
                data-testid=format!("susp-{}", label.to_ascii_lowercase())
            >
                {label}
                <span class="grip-preset-range">{format!(" {range}")}</span>
            </button>
        }
    })
    .collect_view();

    let type_options = {
        let current = move || raw("event_type").to_ascii_lowercase();
        let all = move || matches!(current().as_str(), "" | "all");
        let typed = EventType::ALL
            .into_iter()
            .map(|t| {
                view! {
                    <option value=t.key() prop:selected=move || current() == t.key()>
                        {format!("{} ({}): {}", t.label(), t.key(), t.description())}
                    </option>
                }
            })
            .collect_view();
        view! {
            <option value="" prop:selected=all>"All types"</option>
            {typed}
        }
    };
    let length_options = move || {
        let current = raw("length");
        let current = if current.is_empty() { "100".to_string() } else { current };
        let mut sizes: Vec<String> = PAGE_SIZES.iter().map(u64::to_string).collect();
        if !sizes.contains(&current) {
            sizes.push(current.clone());
        }
        sizes
            .into_iter()
            .map(|s| {
                let selected = s == current;
                view! { <option value=s.clone() prop:selected=selected>{s.clone()}</option> }
            })
            .collect_view()
    };
    let start_error = error("start");
    let summary = Signal::derive(move || match parsed.get() {
        Ok(q) => q.summary(),
        Err(_) => "Some filters need a correction".to_string(),
    });
    let has_error = Signal::derive(move || parsed.with(Result::is_err));
    const MORE: [&str; 7] = ["tags", "min_susp", "max_susp", "min_duration", "max_duration", "full", "length"];
    let more_error = Signal::derive(move || {
        parsed.with(|r| r.as_ref().err().is_some_and(|e| MORE.iter().any(|k| e.for_field(k).is_some())))
    });
    let more_active = Signal::derive(move || match parsed.get() {
        Ok(q) => q.more_filters_active(),
        Err(_) => params.with(|p| MORE.iter().filter(|k| p.get(k).is_some()).count()),
    });

    view! {
        <section class="grip-search">
            <PageHead
                title=GRIP.title
                lead=GRIP.lead
            >
                <p class="actions">
                    <a href=app.href("/grip/tags")>"Tag glossary"</a>
                </p>
            </PageHead>
            <crate::ui::notice::SameOriginNotice source=crate::api::Source::Grip />

            <FilterPanel summary=summary has_error=has_error>
            <form class="query-form grip-form" on:submit=submit role="search" aria-label="Search GRIP events" novalidate=true>
                <Field id="event_type" label="Event type (event_type)" error=error("event_type")>
                    <select id="event_type" name="event_type" node_ref=event_type>
                        {type_options}
                    </select>
                </Field>

                <div class="grip-time-bounds" data-testid="grip-time-bounds">
                    <TimeRangePicker
                        id="ts"
                        from=bound("ts_start")
                        until=bound("ts_end")
                        on_change=on_window
                        from_error=error("ts_start")
                        until_error=error("ts_end")
                    />
                    <button
                        type="button"
                        class="grip-unbounded"
                        aria-pressed=move || unbounded().to_string()
                        on:click=move |_| go((None, None))
                        title="Search every time (leave ts_start and ts_end empty)"
                    >
                        "No time bound"
                    </button>
                    <span class="field-hint grip-time-hint">
                        "ts_start / ts_end: UTC; GRIP filters on the event's start time."
                    </span>
                </div>

                <Field
                    id="asns"
                    label="ASNs (asns)"
                    error=error("asns")
                    hint="Comma list, e.g. 3356,AS174; !64500 excludes an AS."
                >
                    <input
                        id="asns"
                        name="asns"
                        type="text"
                        node_ref=asns
                        placeholder="3356, !174"
                        prop:value=move || raw("asns")
                    />
                </Field>
                <Field
                    id="pfxs"
                    label="Prefixes (pfxs)"
                    error=error("pfxs")
                    hint="Comma list of IPv4/IPv6 prefixes; !prefix excludes one."
                >
                    <input
                        id="pfxs"
                        name="pfxs"
                        type="text"
                        node_ref=pfxs
                        placeholder="8.8.8.0/24, !2001:db8::/32"
                        prop:value=move || raw("pfxs")
                    />
                </Field>

                <div class="grip-susp-group">
                    <div class="field">
                        <span class="label" id="grip-susp-presets-label">"Suspicion"</span>
                        <div class="presets" role="group" aria-labelledby="grip-susp-presets-label">
                            {presets}
                        </div>
                    </div>
                </div>

                <MoreFilters active=more_active has_error=more_error>
                <Field
                    id="tags"
                    label="Tags (tags)"
                    error=error("tags")
                    hint="Comma list of tag names; !name excludes a tag."
                >
                    <input
                        id="tags"
                        name="tags"
                        type="text"
                        node_ref=tags
                        placeholder="newcomer-small-asn, !no-newcomer"
                        prop:value=move || raw("tags")
                    />
                </Field>
                    <div class="grip-susp-bounds">
                    <Field id="min_susp" label="Min (min_susp)" error=error("min_susp")>
                        <input
                            id="min_susp"
                            name="min_susp"
                            type="number"
                            min="0"
                            max="100"
                            placeholder="0"
                            node_ref=min_susp
                            prop:value=move || raw("min_susp")
                        />
                    </Field>
                    <Field id="max_susp" label="Max (max_susp)" error=error("max_susp")>
                        <input
                            id="max_susp"
                            name="max_susp"
                            type="number"
                            min="0"
                            max="100"
                            placeholder="100"
                            node_ref=max_susp
                            prop:value=move || raw("max_susp")
                        />
                    </Field>
                    </div>
                <Field
                    id="min_duration"
                    label="Min duration, s (min_duration)"
                    error=error("min_duration")
                    hint="Seconds. Ongoing events have no duration and drop out when set."
                >
                    <input
                        id="min_duration"
                        name="min_duration"
                        type="number"
                        min="0"
                        node_ref=min_duration
                        prop:value=move || raw("min_duration")
                    />
                </Field>
                <Field id="max_duration" label="Max duration, s (max_duration)" error=error("max_duration")>
                    <input
                        id="max_duration"
                        name="max_duration"
                        type="number"
                        min="0"
                        node_ref=max_duration
                        prop:value=move || raw("max_duration")
                    />
                </Field>

                <Field
                    id="full"
                    label="Full events (full)"
                    error=error("full")
                    hint="Adds AS paths and origin details; answers get much bigger."
                >
                    <input
                        id="full"
                        name="full"
                        type="checkbox"
                        node_ref=full
                        prop:checked=move || params.with(|p| p.contains("full"))
                    />
                </Field>
                <Field id="length" label="Per page (length)" error=error("length")>
                    <select id="length" name="length" node_ref=length on:change=move |_| go(url_times())>
                        {length_options}
                    </select>
                </Field>

                </MoreFilters>

                {move || {
                    match start_error.get() {
                        Some(message) => {
                            view! {
                                <div class="field invalid grip-start-field">
                                    <label for="start">"Offset (start)"</label>
                                    <input id="start" type="text" readonly prop:value=raw("start") />
                                    <span class="field-error" role="alert">{message}</span>
                                    <span class="field-hint">"Searching again starts from the first page."</span>
                                </div>
                            }
                                .into_any()
                        }
                        None => view! { <input id="start" type="hidden" prop:value=raw("start") /> }.into_any(),
                    }
                }}

                <div class="form-actions">
                    <button type="submit" class="primary">"Search"</button>
                    <a class="button" href=app.href("/grip")>"Reset"</a>
                </div>
            </form>
            </FilterPanel>

            <RefsNote refs />

            {results_area_previewed(
                "grip-results",
                data,
                preview_view,
                || view! { <p class="empty-state" data-testid="grip-invalid">"Fix the highlighted fields to search."</p> }.into_any(),
                move |(q, page)| results(app, refs, set_query, q, page).into_any(),
            )}
        </section>
    }
}

/// The toolbar, the cap note and the table for one loaded page.
fn results<F: Fn(&QueryParams) + 'static>(
    app: AppContext,
    refs: GripRefs,
    set_query: StoredValue<F, LocalStorage>,
    q: GripQuery,
    page: Arc<GripEventsPage>,
) -> impl IntoView {
    let rows = page.data.clone();
    let nav = q.page_nav(page.records_total);
    if nav.has_next {
        let next = q.with_page(nav.current + 1).request_url(app.endpoints().base(Source::Grip));
        prefetch_next(Request::get(Source::Grip, next));
    }
    let label = range_label(q.start, page.data.len(), Some(page.records_total), page.is_capped());
    let href: Arc<dyn Fn(u32) -> String + Send + Sync> = {
        let q = q.clone();
        let base = app.href("/grip");
        Arc::new(move |n| format!("{base}{}", q.with_page(n).to_params().to_suffix()))
    };
    let jump = {
        let q = q.clone();
        move |n: u32| set_query.with_value(|set| set(&q.with_page(n).to_params()))
    };
    let cap_note = page.is_capped().then(|| {
        view! {
            <div class="notice grip-cap-note" data-testid="grip-cap-note">
                <p>
                    {format!(
                        "GRIP's search reaches only the first {} matches of a query (a limit of its search engine), so \
                         it counts “at least {}” and the pager stops at page {}. To reach other events, narrow the \
                         search: a time window, an event type, suspicion, ASNs, prefixes or tags.",
                        format_count(SEARCH_CAP),
                        format_count(SEARCH_CAP),
                        nav.last.unwrap_or(1),
                    )}
                </p>
            </div>
        }
    });
    let shown = page.data.len();
    view! {
        <div class="toolbar">
            <span class="count" role="status">{label}</span>
            <Pager nav href=href.clone() />
            <JumpToPage nav on_jump=jump />
            <span class="actions">
                <ExportButtons rows=rows.clone() source_key="grip" />
                <CopyLink />
            </span>
        </div>
        {cap_note}
        {events_table(app, refs, rows)}
        {(shown > 20).then(|| view! { <div class="toolbar grip-bottom-pager"><Pager nav href label="Pages (below the table)" /></div> })}
    }
}

/// The events of a page, as the table shows them.
fn events_table(app: AppContext, refs: GripRefs, rows: Arc<Vec<GripEvent>>) -> impl IntoView {
    view! {
        <DataTable
            rows
            columns=event_columns(app, refs)
            caption="GRIP events, newest first".to_string()
            empty="No GRIP event matches this search. Widen the time window or the suspicion range, or remove filters."
        />
    }
}

/// A large page's first events while the rest is decoded: the table as it will be, and no pager,
/// count or exports yet (they need the whole page).
fn partial_results(app: AppContext, refs: GripRefs, rows: Arc<Vec<GripEvent>>) -> impl IntoView {
    view! {
        <div class="toolbar">
            <span class="count" role="status" data-testid="grip-partial">
                {format!("The first {} events; reading the rest of the page…", rows.len())}
            </span>
        </div>
        {events_table(app, refs, rows)}
    }
}

/// "Jump to page": a number input and Go, within the pages the service can reach.
#[component]
fn JumpToPage(nav: PageNav, on_jump: impl Fn(u32) + 'static) -> impl IntoView {
    let last = nav.last.unwrap_or(nav.current);
    if last <= 1 {
        return ().into_any();
    }
    let input = NodeRef::<Input>::new();
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = input.get_untracked().map(|e| e.value()).unwrap_or_default();
        match value.trim().parse::<u32>() {
            Ok(n) if (1..=last).contains(&n) => {
                error.set(None);
                on_jump(n);
            }
            _ => error.set(Some(format!("Enter a page from 1 to {last}."))),
        }
    };
    view! {
        <form class="grip-jump" on:submit=submit data-testid="grip-jump" novalidate=true>
            <label for="grip-jump-page">"Jump to page"</label>
            <input
                id="grip-jump-page"
                type="number"
                min="1"
                max=last.to_string()
                value=nav.current.to_string()
                node_ref=input
            />
            <button type="submit">"Go"</button>
            <span class="field-error" role="alert">{move || error.get()}</span>
        </form>
    }
    .into_any()
}

/// The results table's columns.
fn event_columns(app: AppContext, refs: GripRefs) -> Vec<Column<GripEvent>> {
    vec![
        Column::new("Event", move |e: &GripEvent| match (e.event_id(), e.id.clone()) {
            (Some(id), _) => {
                let href = app.href(&format!("/grip/event/{id}"));
                view! { <a class="grip-event-link mono" href=href>{id.to_string()}</a> }.into_any()
            }
            (None, Some(raw)) => view! { <span class="mono">{raw}</span> }.into_any(),
            (None, None) => none_view(),
        })
        .sort_by(|e: &GripEvent| e.id.clone().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("Type", |e: &GripEvent| match e.kind() {
            Some(t) => view! { <span title=t.description()>{t.label()}</span> }.into_any(),
            None => e.event_type.clone().into_any(),
        })
        .sort_by(|e: &GripEvent| SortKey::Text(e.event_type.clone())),
        Column::new("Start (UTC)", |e: &GripEvent| time_view(e.view_ts))
            .sort_by(|e: &GripEvent| e.view_ts.map_or(SortKey::Missing, SortKey::Int)),
        Column::new("Duration", |e: &GripEvent| {
            if e.is_ongoing() {
                view! { <span class="badge info" data-testid="ongoing">"ongoing"</span> }.into_any()
            } else {
                e.duration_secs().map_or_else(none_view, |d| format_duration(d).into_any())
            }
        })
        .numeric()
        .sort_by(|e: &GripEvent| e.duration_secs().map_or(SortKey::Missing, SortKey::Int)),
        Column::new("Prefixes", move |e: &GripEvent| {
            let all = e.event_id().map(|id| app.href(&format!("/grip/event/{id}")));
            prefix_list_clamped(&e.summary.prefixes, ROW_PREFIXES, all)
        }),
        Column::new("Origin ASes", move |e: &GripEvent| origins_cell(e, refs)),
        Column::new("Primary inference", |e: &GripEvent| {
            let id = e.primary().and_then(|p| p.inference_id.clone());
            view! {
                {id.map(|id| view! { <span class="mono grip-inference-id">{id}</span> })}
                {suspicion_view(e.suspicion())}
            }
            .into_any()
        })
        .sort_by(|e: &GripEvent| e.suspicion().map_or(SortKey::Missing, SortKey::Int)),
        Column::new("Tags", move |e: &GripEvent| tag_chips(&e.summary.tags, refs)),
    ]
}

/// Old → new origins when the event carries details (full events), else victims → attackers,
/// else (edges) the two ends of the new link, else the ASes involved.
fn origins_cell(e: &GripEvent, refs: GripRefs) -> AnyView {
    let name = |asn: &str| e.as_name(asn).map(str::to_string);
    let (old, new) = e.origins_old_new();
    if !old.is_empty() || !new.is_empty() {
        return change_view("old → new", &old, &new, &name, refs);
    }
    let s = &e.summary;
    if !s.victims.is_empty() || !s.attackers.is_empty() {
        return change_view("victims → attackers", &s.victims, &s.attackers, &name, refs);
    }
    if let Some(EventAses::Edge(a, b)) = e.event_id().map(|id| id.ases) {
        let ends = [a.to_string(), b.to_string()];
        return view! {
            <span class="grip-change">
                <span class="grip-change-caption">"new edge"</span>
                {asn_list(&ends, &name, refs)}
            </span>
        }
        .into_any();
    }
    asn_list(&s.ases, &name, refs)
}
