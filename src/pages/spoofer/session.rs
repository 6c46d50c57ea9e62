//! `/spoofer/session/:id`: one session, every field explained, the four test results with their
//! meanings, and a link to CAIDA's own report.

use super::list::session_path;
use super::{asn_text, country_text, fetch_session, nat_text, prefix_text, result_badge};
use crate::api::error::FetchError;
use crate::api::spoofer::{parse_session_id, report_url, session_url, SpoofTest, SpooferQuery, SpooferSession};
use crate::api::time::{format_utc_seconds, relative};
use crate::api::Source;
use crate::app::{use_app, AppContext};
use crate::http::RequestSlot;
use crate::ui::copy_link::CopyLink;
use crate::ui::error_panel::ErrorPanel;
use crate::ui::now;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SpooferSessionView() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let id = Memo::new(move |_| parse_session_id(&params.with(|p| p.get("id")).unwrap_or_default()));
    let slot = RequestSlot::default();
    let data = LocalResource::new(move || {
        let id = id.get();
        let base = app.endpoints().base(Source::Spoofer).clone();
        let slot = slot.clone();
        async move {
            let id = id.ok()?;
            Some((id, fetch_session(session_url(&base, id), Some(&slot)).await))
        }
    });
    let pending = RwSignal::new(false);
    let title = move || match id.get() {
        Ok(n) => format!("Spoofer session {n}"),
        Err(_) => "Spoofer session".to_string(),
    };

    view! {
        <section class="spoofer-session">
            <p class="breadcrumb">
                <a href=app.href("/spoofer")>"← Spoofer sessions"</a>
            </p>
            <div class="page-head">
                <div>
                    <h1>{title}</h1>
                    <p class="lead">
                        "One run of CAIDA's Spoofer client: which packets with forged source addresses, sent from "
                        "this network, reached CAIDA's servers."
                    </p>
                </div>
                <div class="actions">
                    <CopyLink />
                </div>
            </div>
            {move || {
                id.get()
                    .err()
                    .map(|message| {
                        view! {
                            <div class="notice not-found" role="alert">
                                <p>{message}</p>
                                <p>
                                    <a href=app.href("/spoofer")>"Search the sessions instead"</a>
                                </p>
                            </div>
                        }
                    })
            }}
            <div class:is-loading=move || pending.get()>
                {move || pending.get().then(|| view! { <div class="loading-bar" role="progressbar" aria-label="Loading"></div> })}
                <Transition fallback=|| view! { <p class="empty-state">"Loading…"</p> } set_pending=pending>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => ().into_any(),
                            Some((_, Err(FetchError::Superseded))) => ().into_any(),
                            Some((_, Err(e))) => {
                                view! { <ErrorPanel error=e on_retry=Callback::new(move |_| data.refetch()) /> }.into_any()
                            }
                            Some((id, Ok(None))) => not_found(app, id).into_any(),
                            Some((_, Ok(Some(s)))) => details(app, s).into_any(),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

fn not_found(app: AppContext, id: u64) -> impl IntoView {
    view! {
        <div class="notice not-found" role="alert">
            <p>
                <strong>{format!("CAIDA Spoofer has no published session {id}. ")}</strong>
                "The number may be mistyped, or the session is very recent: results can take a while to be published."
            </p>
            <p class="actions">
                <a href=report_url(id) rel="noopener noreferrer" target="_blank">
                    "Try CAIDA's report for this id ↗"
                </a>
                <a href=app.href("/spoofer")>"Search the sessions"</a>
            </p>
        </div>
    }
}

/// One row of the field list: the name a person reads, the API's field name, the value, and what
/// the field means.
fn fact(label: &'static str, field: &'static str, value: AnyView, explain: &'static str) -> impl IntoView {
    view! {
        <dt>
            {label}
            <code class="api-field">{field}</code>
        </dt>
        <dd>
            <div class="value">{value}</div>
            <p class="explain">{explain}</p>
        </dd>
    }
}

fn details(app: AppContext, s: SpooferSession) -> impl IntoView {
    let now = now();
    let time = match s.timestamp {
        Some(ts) => view! {
            <span class="when">{format_utc_seconds(ts)}</span>
            <span class="when-rel">{relative(ts, now)}</span>
        }
        .into_any(),
        None => view! { <span>{s.timestamp_raw.clone().unwrap_or_else(|| "—".into())}</span> }.into_any(),
    };
    let mut asns: Vec<u32> = s.asn4.into_iter().chain(s.asn6).collect();
    asns.dedup();
    let more_from_as = asns
        .into_iter()
        .map(|asn| {
            let q = SpooferQuery { asns: vec![asn], ..Default::default() };
            let href = format!("{}{}", app.href("/spoofer"), q.to_params().to_suffix());
            view! { <a class="button" href=href>{format!("Other sessions from AS{asn}")}</a> }
        })
        .collect_view();
    let tests = SpoofTest::ALL
        .into_iter()
        .map(|test| {
            let r = s.result(test).clone();
            view! {
                <dt>
                    {test.label()}
                    <code class="api-field">{test.field()}</code>
                    <span class="explain">{format!("Spoofs {}.", test.description())}</span>
                </dt>
                <dd data-test=test.field()>
                    {result_badge(&r)}
                    <p class="explain">{r.meaning()}</p>
                </dd>
            }
        })
        .collect_view();
    let record = serde_json::to_string_pretty(&s.raw).unwrap_or_default();
    let id_text = s.id.clone().unwrap_or_else(|| "—".into());
    let session_link = app.href(&session_path(s.session));
    view! {
        <p class="actions session-links">
            <a class="button primary-link" href=s.report_url() rel="noopener noreferrer" target="_blank">
                "CAIDA's report for this session ↗"
            </a>
            {more_from_as}
        </p>
        <h2>"Spoofing tests"</h2>
        <p class="lead">
            "Each test sends packets with forged source addresses towards CAIDA's servers. “Received” means the "
            "network let them out: it does not filter spoofed traffic there."
        </p>
        <dl class="facts spoof-tests">{tests}</dl>
        <h2>"Session fields"</h2>
        <dl class="facts session-fields">
            {fact(
                "Session id",
                "session",
                view! { <a href=session_link>{s.session.to_string()}</a> }.into_any(),
                "CAIDA's number for this run of the Spoofer client; CAIDA's report uses the same number.",
            )}
            {fact("Time", "timestamp", time, "When the client ran the tests, in UTC.")}
            {fact(
                "IPv4 AS",
                "asn4",
                asn_text(s.asn4),
                "The autonomous system whose network the client's IPv4 address belonged to when the tests ran.",
            )}
            {fact(
                "IPv6 AS",
                "asn6",
                asn_text(s.asn6),
                "The autonomous system of the client's IPv6 address; empty when the client had no IPv6.",
            )}
            {fact(
                "IPv4 client prefix",
                "client4",
                prefix_text(s.client4.as_deref()),
                "The client's IPv4 network, anonymised by CAIDA to a /24 before publication.",
            )}
            {fact(
                "IPv6 client prefix",
                "client6",
                prefix_text(s.client6.as_deref()),
                "The client's IPv6 network, anonymised by CAIDA to a /40 before publication.",
            )}
            {fact(
                "Country",
                "country",
                country_text(s.country.as_deref()),
                "The country of the client's address as CAIDA publishes it (ISO 3166 alpha-3 code).",
            )}
            {fact(
                "NAT over IPv4",
                "nat4",
                view! { <span>{nat_text(s.nat4)}</span> }.into_any(),
                "Whether a network address translator (NAT) sat between the client and the Internet over IPv4. \
                 A NAT often drops or rewrites spoofed packets itself, whatever the network's own filtering.",
            )}
            {fact(
                "NAT over IPv6",
                "nat6",
                view! { <span>{nat_text(s.nat6)}</span> }.into_any(),
                "The same for IPv6; empty when IPv6 was not tested.",
            )}
            {fact(
                "Record",
                "@id",
                view! { <code>{id_text}</code> }.into_any(),
                "Where the Spoofer API serves this record.",
            )}
        </dl>
        <details class="raw-record">
            <summary>"The record as published"</summary>
            <pre>{record}</pre>
        </details>
    }
}
