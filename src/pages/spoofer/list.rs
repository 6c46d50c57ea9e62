//! `/spoofer`: the session explorer. Filters (after, before, ASNs, country, session id) and the
//! page live in the URL; the service's Hydra collection is paged with links; the loaded page gets
//! a summary strip, the result legend, the table, and the export of everything that matches.

use super::export_all::ExportAll;
use super::{asn_text, country_text, fetch_page, nat_text, prefix_text, result_badge, spoofer_request, ResultLegend};
use crate::api::page::format_count;
use crate::api::query::QueryParams;
use crate::api::spoofer::{
    countries, parse_session_id, SpoofResult, SpoofSummary, SpoofTally, SpoofTest, SpooferPage, SpooferQuery,
    SpooferSession,
};
use crate::api::time::{format_input, format_utc, parse_instant, relative, Timestamp};
use crate::api::Source;
use crate::app::{use_app, AppContext};
use crate::heads::SPOOFER;
use crate::http::RequestSlot;
use crate::ui::copy_link::CopyLink;
use crate::ui::export::ExportButtons;
use crate::ui::field::Field;
use crate::ui::filters::FilterPanel;
use crate::ui::now;
use crate::ui::page_head::PageHead;
use crate::ui::pager::{prefetch_next, Pager};
use crate::ui::results::results_area;
use crate::ui::table::{Column, DataTable, SortKey};
use crate::ui::url_state::{use_query_params, use_set_query};
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use std::sync::Arc;

/// The app path of one session's page (the id is a number from the core, never a data string).
pub(super) fn session_path(id: u64) -> String {
    format!("/spoofer/session/{id}")
}

/// What a `type="date"` input shows for a time bound of the URL: its UTC day, or empty when the
/// value is not a time (its message shows at the field).
fn date_value(raw: &str) -> String {
    parse_instant(raw).ok().map(format_input).and_then(|s| s.get(..10).map(str::to_string)).unwrap_or_default()
}

/// A permalink bound that is not midnight cannot show in a date input; say what it is exactly.
fn exact_time(raw: &str) -> Option<String> {
    parse_instant(raw).ok().filter(|ts| ts.rem_euclid(86_400) != 0).map(|ts| format!("Exactly {}", format_utc(ts)))
}

#[component]
pub fn SpooferList() -> impl IntoView {
    let app = use_app();
    let params = use_query_params();
    let parsed = Memo::new(move |_| SpooferQuery::from_params(&params.get(), now()));
    let set_query = use_set_query("/spoofer");
    let navigate = use_navigate();

    // A permalink naming a session (`?session=891176`) opens that session's page.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if let Ok(SpooferQuery { session: Some(id), .. }) = parsed.get() {
                let to = app.href(&session_path(id));
                navigate(&to, NavigateOptions { resolve: false, replace: true, ..Default::default() });
            }
        });
    }

    let slot = RequestSlot::default();
    let data = LocalResource::new(move || {
        // Invalid filters send nothing (the messages show at the fields); a session id jumps away.
        let q = parsed.get().ok().filter(|q| q.session.is_none());
        let base = app.endpoints().base(Source::Spoofer).clone();
        // Sent here, not in the future: the request is on the wire while the page builds.
        let page = q.as_ref().map(|q| fetch_page(q.request_url(&base), Some(&slot)));
        async move {
            let (q, page) = (q?, page?.await);
            Some(page.map(|page| (q, page)))
        }
    });

    let after_ref = NodeRef::<Input>::new();
    let before_ref = NodeRef::<Input>::new();
    let asn_ref = NodeRef::<Input>::new();
    let country_ref = NodeRef::<Input>::new();
    let session_ref = NodeRef::<Input>::new();

    // The URL's value of a key as typed (several `asn` values are shown joined).
    let raw = move |key: &'static str| params.with(|p| p.get_all(key).collect::<Vec<_>>().join(", "));
    let error = move |key: &'static str| {
        Signal::derive(move || parsed.get().err().and_then(|e| e.for_field(key).map(str::to_string)))
    };

    let filter_summary = Signal::derive(move || match parsed.get() {
        Ok(q) => q.summary(),
        Err(_) => "Some filters need a correction".to_string(),
    });
    let filter_error = Signal::derive(move || parsed.with(Result::is_err));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = |r: NodeRef<Input>| r.get().map(|i| i.value()).unwrap_or_default().trim().to_string();
        let current = params.get_untracked();
        let mut p = QueryParams::new();
        for (key, input) in [("after", after_ref), ("before", before_ref)] {
            let typed = value(input);
            if typed.is_empty() {
                continue;
            }
            // An unchanged day keeps the exact time a pasted permalink had.
            match current.get(key) {
                Some(old) if date_value(old) == typed => p.push(key, old),
                _ => p.push(key, typed),
            };
        }
        for (key, input) in [("asn", asn_ref), ("country", country_ref)] {
            let typed = value(input);
            if !typed.is_empty() {
                p.push(key, typed);
            }
        }
        let session = value(session_ref);
        if !session.is_empty() {
            match parse_session_id(&session) {
                Ok(id) => {
                    navigate(&app.href(&session_path(id)), NavigateOptions { resolve: false, ..Default::default() });
                    return;
                }
                // Kept in the URL so its message shows at the field.
                Err(_) => {
                    p.push("session", session);
                }
            }
        }
        match SpooferQuery::from_params(&p, now()) {
            Ok(q) => set_query(&q.to_params()),
            Err(_) => set_query(&p),
        }
    };

    let country_options = countries()
        .into_iter()
        .map(|(code, name)| {
            let label = format!("{} — {name}", code.to_ascii_uppercase());
            view! { <option value=code label=label></option> }
        })
        .collect_view();

    view! {
        <section class="spoofer">
            <PageHead
                title=SPOOFER.title
                lead=SPOOFER.lead
            />
            <FilterPanel summary=filter_summary has_error=filter_error>
            <form class="query-form spoofer-form" on:submit=submit>
                <Field id="after" label="After (UTC)" error=error("after") hint="From 00:00 UTC on this day">
                    <input
                        id="after"
                        name="after"
                        type="date"
                        node_ref=after_ref
                        prop:value=move || date_value(&raw("after"))
                    />
                    {move || exact_time(&raw("after")).map(|t| view! { <span class="field-hint">{t}</span> })}
                </Field>
                <Field id="before" label="Before (UTC)" error=error("before") hint="Up to 00:00 UTC on this day">
                    <input
                        id="before"
                        name="before"
                        type="date"
                        node_ref=before_ref
                        prop:value=move || date_value(&raw("before"))
                    />
                    {move || exact_time(&raw("before")).map(|t| view! { <span class="field-hint">{t}</span> })}
                </Field>
                <Field id="asn" label="ASNs" error=error("asn") hint="Like 3356, AS174 (IPv4 or IPv6 AS)">
                    <input
                        id="asn"
                        name="asn"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="3356"
                        node_ref=asn_ref
                        prop:value=move || raw("asn")
                    />
                </Field>
                <Field id="country" label="Country" error=error("country") hint="ISO alpha-3 code, like usa, deu, jpn">
                    <input
                        id="country"
                        name="country"
                        type="text"
                        list="spoofer-countries"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="usa"
                        class="code-input"
                        node_ref=country_ref
                        prop:value=move || raw("country")
                    />
                    <datalist id="spoofer-countries">{country_options}</datalist>
                </Field>
                <Field id="session" label="Session id" error=error("session") hint="Opens that session (other filters ignored)">
                    <input
                        id="session"
                        name="session"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        placeholder="891176"
                        node_ref=session_ref
                        prop:value=move || raw("session")
                    />
                </Field>
                <div class="form-actions">
                    <button type="submit" class="primary">"Search"</button>
                    <a class="button" href=app.href("/spoofer")>"Clear"</a>
                </div>
            </form>
            </FilterPanel>
            {move || {
                let message = parsed.get().err().and_then(|e| e.for_field("page").map(str::to_string))?;
                let mut first = params.get();
                first.set("page", None);
                let href = format!("{}{}", app.href("/spoofer"), first.to_suffix());
                Some(
                    view! {
                        <div class="notice page-error" role="alert">
                            {format!("The page number in this link cannot be used ({message}). ")}
                            <a href=href>"Go to the first page"</a>
                        </div>
                    },
                )
            }}
            <ResultLegend />
            {results_area("spoofer-results", data, || ().into_any(), move |(q, page)| results(app, q, page).into_any())}
            <ExportAll query=parsed />
        </section>
    }
}

/// The toolbar, summary strip and table of one loaded page.
fn results(app: AppContext, q: SpooferQuery, page: SpooferPage) -> impl IntoView {
    let nav = page.nav(q.page);
    if nav.has_next {
        prefetch_next(spoofer_request(q.with_page(q.page + 1).request_url(app.endpoints().base(Source::Spoofer))));
    }
    let label = page.count_label(q.page);
    let href: Arc<dyn Fn(u32) -> String + Send + Sync> = {
        let q = q.clone();
        Arc::new(move |n| format!("{}{}", app.href("/spoofer"), q.with_page(n).to_params().to_suffix()))
    };
    let summary = SpoofSummary::of(&page.members);
    let rows = Arc::new(page.members);
    let has_rows = !rows.is_empty();
    let empty = if q.page > 1 {
        format!("No sessions on page {}: the results end before it.", q.page)
    } else {
        "No sessions match these filters.".to_string()
    };
    view! {
        <div class="toolbar">
            <span class="count" role="status">{label}</span>
            <Pager nav=nav href=href.clone() />
            <span class="actions">
                <ExportButtons rows=rows.clone() source_key="spoofer" />
                <CopyLink />
            </span>
        </div>
        {has_rows.then(|| view! { <SummaryStrip summary=summary /> })}
        <DataTable
            rows=rows
            columns=columns(app, now())
            caption="Spoofer sessions on this page".to_string()
            empty=empty
        />
        {has_rows.then(|| view! { <div class="toolbar toolbar-bottom"><Pager nav=nav href=href label="Pages (below the table)" /></div> })}
    }
}

/// Worst first when sorted ascending: spoofed packets through, then rewritten, then the rest.
fn result_rank(r: &SpoofResult) -> SortKey {
    match r {
        SpoofResult::Received => SortKey::Int(0),
        SpoofResult::Rewritten => SortKey::Int(1),
        SpoofResult::Other(_) => SortKey::Int(2),
        SpoofResult::Unknown => SortKey::Int(3),
        SpoofResult::Blocked => SortKey::Int(4),
        SpoofResult::NotTested => SortKey::Missing,
    }
}

fn asn_key(asn: Option<u32>) -> SortKey {
    asn.map_or(SortKey::Missing, |n| SortKey::Int(n.into()))
}

fn columns(app: AppContext, now: Timestamp) -> Vec<Column<SpooferSession>> {
    let mut cols = vec![
        Column::new("Session", move |s: &SpooferSession| {
            view! { <a class="session-link" href=app.href(&session_path(s.session))>{s.session.to_string()}</a> }
                .into_any()
        })
        .sort_by(|s| SortKey::Int(i64::try_from(s.session).unwrap_or(i64::MAX))),
        Column::new("Time (UTC)", move |s: &SpooferSession| match s.timestamp {
            Some(ts) => view! {
                <span class="when">{format_utc(ts)}</span>
                <span class="when-rel">{relative(ts, now)}</span>
            }
            .into_any(),
            None => {
                view! { <span class="when">{s.timestamp_raw.clone().unwrap_or_else(|| "—".into())}</span> }.into_any()
            }
        })
        .sort_by(|s| s.timestamp.map_or(SortKey::Missing, SortKey::Int)),
        Column::new("ASN v4", |s: &SpooferSession| asn_text(s.asn4)).sort_by(|s| asn_key(s.asn4)),
        Column::new("ASN v6", |s: &SpooferSession| asn_text(s.asn6)).sort_by(|s| asn_key(s.asn6)),
        Column::new("Country", |s: &SpooferSession| country_text(s.country.as_deref()))
            .sort_by(|s| s.country.clone().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("Client prefixes", |s: &SpooferSession| {
            let (v4, v6) = (s.client4.is_some(), s.client6.is_some());
            view! {
                <span class="stack">
                    {(v4 || !v6).then(|| prefix_text(s.client4.as_deref()))}
                    {v6.then(|| prefix_text(s.client6.as_deref()))}
                </span>
            }
            .into_any()
        }),
        Column::new("NAT v4 / v6", |s: &SpooferSession| {
            view! {
                <span class="nat" title="Whether a NAT was detected over IPv4 / IPv6">
                    {format!("{} / {}", nat_text(s.nat4), nat_text(s.nat6))}
                </span>
            }
            .into_any()
        }),
    ];
    cols.extend(SpoofTest::ALL.into_iter().map(|test| {
        Column::new(test.label(), move |s: &SpooferSession| result_badge(s.result(test)))
            .sort_by(move |s| result_rank(s.result(test)))
    }));
    cols
}

/// `67%`, never rounding a non-zero share down to `0%`.
fn percent(tally: SpoofTally) -> Option<String> {
    let share = tally.share()?;
    let pct = (share * 100.0).round();
    Some(if pct == 0.0 && tally.got_through > 0 { "<1%".into() } else { format!("{pct:.0}%") })
}

/// The words beside a bar: how many got through out of how many verdicts.
fn tally_text(tally: SpoofTally) -> String {
    let unknown = tally.tested - tally.conclusive;
    let unknown_note =
        if unknown > 0 { format!(" ({} without a verdict)", format_count(unknown)) } else { String::new() };
    match percent(tally) {
        Some(pct) => format!(
            "{pct} got through: {} of {} with a verdict{unknown_note}",
            format_count(tally.got_through),
            format_count(tally.conclusive)
        ),
        None if tally.tested > 0 => format!("no verdict{unknown_note}"),
        None => "not tested".to_string(),
    }
}

/// How often spoofed packets got through, per test, across the loaded page.
#[component]
fn SummaryStrip(summary: SpoofSummary) -> impl IntoView {
    let shares = SpoofTest::ALL
        .into_iter()
        .map(|test| {
            let tally = summary.tally(test);
            let text = tally_text(tally);
            let bar = match tally.share() {
                Some(share) => view! {
                    <meter
                        min="0"
                        max="1"
                        value=share.to_string()
                        aria-label=format!("{}: share that got through", test.label())
                    >
                        {percent(tally)}
                    </meter>
                }
                .into_any(),
                None => view! { <span class="meter-none" aria-hidden="true"></span> }.into_any(),
            };
            view! {
                <div class="spoof-share" data-test=test.field()>
                    <span class="share-label">{test.label()}</span>
                    {bar}
                    <span class="share-text">{text}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="spoof-summary" aria-label="Summary of the sessions on this page">
            <p class="summary-head">
                <strong>
                    {format!("{} {}", format_count(summary.total), if summary.total == 1 { "session" } else { "sessions" })}
                </strong>
                " on this page. Share where spoofed packets got through (received or rewritten), "
                "among tests with a verdict:"
            </p>
            <div class="shares">{shares}</div>
        </section>
    }
}
