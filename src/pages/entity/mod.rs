//! Entity pages: one AS (`/asn/:n`), one prefix (`/prefix/:addr/:len`), one address (`/ip/:addr`)
//! and one country (`/country/:cc`), each joining what the four sources say. Every panel loads on
//! its own: one service failing shows its error in its panel and never blanks the page.

use crate::api::error::FetchError;
use crate::api::grip::GripEvent;
use crate::api::grip::{decode_events, GripEventsPage, GripQuery, Term};
use crate::api::ioda::{
    decode_alerts, decode_entities, decode_events as decode_outage_events, entity_lookup_url, events_url, EntityKind,
    EntityRef, IodaAlert, IodaDialect, IodaEvent, IodaQuery,
};
use crate::api::names::{self, NetworkName};
use crate::api::page::format_count;
use crate::api::search::{parse_addr, parse_asn, parse_prefix, Country};
use crate::api::spoofer::{CountryCode, SpooferQuery};
use crate::api::time::{format_utc, relative, TimeRange, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::http::{fetch_decoded, send, Request};
use crate::pages::grip::{fetch_grip, GripRefs};
use crate::pages::ioda::{outage_events_table, SignalsChart};
use crate::ui::now;
use crate::ui::pivot::asn_text_link;
use crate::ui::table::{Column, DataTable};
use ipnet::IpNet;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use spamhaus::{SpamhausAsPanel, SpamhausCidrPanel};
use spoofer::SpooferPanel;
use std::sync::Arc;

mod spamhaus;
mod spoofer;
mod timeline;
mod window;

use timeline::{CrossTimeline, TimelineFeed};
use window::{PageWindow, WindowBar};

const GRIP_DAYS: i64 = 30;
/// Rows a panel shows; the explorer link has the rest.
const PANEL_ROWS: usize = 10;

fn param(name: &'static str) -> Memo<Option<String>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name)))
}

fn invalid(title: &'static str, message: String) -> AnyView {
    let app = use_app();
    view! {
        <section class="entity-page">
            <div class="page-head"><div><h1>{title}</h1></div></div>
            <div class="error-panel invalid-entity" role="alert" data-testid="invalid-entity">
                <p><strong>"Not a valid address for this page. "</strong>{message}</p>
                <p><a href=app.href("/")>"Back to the start page"</a>" or use the search box above."</p>
            </div>
        </section>
    }
    .into_any()
}

/// A panel: heading, body, and a link to the full explorer with the same query.
fn panel(
    testid: &'static str,
    title: &'static str,
    explorer: Option<(String, &'static str)>,
    body: AnyView,
) -> AnyView {
    view! {
        <section class="entity-panel" data-testid=testid aria-label=title>
            <h2>{title}</h2>
            {body}
            {explorer.map(|(href, label)| view! { <p class="explorer-link"><a href=href>{label}</a></p> })}
        </section>
    }
    .into_any()
}

use crate::ui::results::loaded;

fn when(ts: Option<Timestamp>, t: Timestamp) -> AnyView {
    match ts {
        Some(ts) => view! {
            <span>{format_utc(ts)}</span>
            <span class="when-rel">{relative(ts, t)}</span>
        }
        .into_any(),
        None => view! { <span class="none">"—"</span> }.into_any(),
    }
}

// ---------------------------------------------------------------------------------------------
// IODA
// ---------------------------------------------------------------------------------------------

/// IODA for one entity over the page's window: its outage events, its signals and its alerts.
#[component]
fn IodaPanel(entity: EntityRef, window: PageWindow) -> impl IntoView {
    let app = use_app();
    let chart_entity = entity.clone();
    let lane_entity = entity.clone();
    let query = Memo::new(move |_| {
        window.get().map(|range| IodaQuery {
            range,
            entity: Some(entity.clone()),
            datasource: None,
            levels: vec![],
            page: 1,
        })
    });
    let data = LocalResource::new(move || {
        let q = query.get();
        let endpoints = app.endpoints();
        let lane_entity = lane_entity.clone();
        async move {
            let q = q?;
            let dialect = endpoints.ioda_dialect;
            let base = endpoints.base(Source::Ioda);
            let alerts = fetch_ioda(q.request_url(base, dialect), move |b| decode_alerts(b, dialect));
            // The legacy API has no events: its alerts alone tell the story there.
            let events = async {
                match (dialect, q.entity.as_ref()) {
                    (IodaDialect::V2, Some(e)) => {
                        Some(fetch_ioda(events_url(base, e, q.range), decode_outage_events).await)
                    }
                    _ => None,
                }
            };
            let (alerts, events) = futures::join!(alerts, events);
            let answer = alerts.map(|a| IodaAnswer {
                alerts: Arc::new(a),
                events: events.map(|r| r.map(Arc::new)),
                range: q.range,
                dialect,
            });
            timeline::feed_result(Source::Ioda, &answer, |a| {
                let events = a.events.as_ref().and_then(|r| r.as_ref().ok()).map_or(&[][..], |e| e.as_slice());
                let marks = crate::api::timeline::ioda_marks(events, &a.alerts, &lane_entity, a.range);
                (marks, "outage events as spans, warning and critical alerts as ticks".to_string())
            });
            Some(answer)
        }
    });
    let explorer = move || {
        query.get().map(|q| {
            let href = app.href("/ioda") + &q.to_params().to_suffix();
            view! { <p class="explorer-link"><a href=href>"Open in the IODA explorer"</a></p> }
        })
    };
    view! {
        <section class="entity-panel wide" data-testid="panel-ioda" aria-label="IODA outages">
        <h2>"IODA outages"</h2>
        {loaded(data, move |answer: IodaAnswer| {
            let signals = (answer.dialect == IodaDialect::V2).then(|| {
                view! { <SignalsChart entity=chart_entity.clone() range=answer.range alerts=answer.alerts.clone() /> }
            });
            view! {
                {answer.events.clone().map(|e| outage_events_table(e, answer.range, PANEL_ROWS))}
                {signals}
                <h3>"Alerts"</h3>
                {alerts_table(&answer.alerts)}
            }
            .into_any()
        })}
        {explorer}
        </section>
    }
}

/// One IODA request (sent at once), its status and its decoding.
fn fetch_ioda<T: 'static>(
    url: String,
    decode: impl FnOnce(&str) -> Result<T, FetchError> + 'static,
) -> impl std::future::Future<Output = Result<T, FetchError>> + 'static {
    fetch_decoded(Request::get(Source::Ioda, url), None, decode)
}

/// What the IODA panel loaded: the alerts, the window they are for, and the dialect that answered.
#[derive(Clone)]
struct IodaAnswer {
    alerts: Arc<Vec<IodaAlert>>,
    /// `None` with the legacy API (no events endpoint).
    events: Option<Result<Arc<Vec<IodaEvent>>, FetchError>>,
    range: TimeRange,
    dialect: IodaDialect,
}

fn alerts_table(alerts: &[IodaAlert]) -> AnyView {
    let t = now();
    let count = format!(
        "{} alert{} in the window",
        format_count(alerts.len() as u64),
        if alerts.len() == 1 { "" } else { "s" }
    );
    let columns = vec![
        Column::new("Time", move |a: &IodaAlert| when(Some(a.time), t)),
        Column::new("Level", |a: &IodaAlert| crate::pages::ioda::level_badge(&a.level)),
        Column::new("Source", |a: &IodaAlert| a.datasource.clone().into_any()),
        Column::new("Change", |a: &IodaAlert| a.change_label().unwrap_or_default().into_any()).numeric(),
    ];
    let rows: Vec<IodaAlert> = alerts.iter().take(PANEL_ROWS).cloned().collect();
    view! {
        <p class="count">{count}</p>
        <DataTable rows=Arc::new(rows) columns=columns caption="IODA alerts".to_string() empty="No alerts in this window." />
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// GRIP
// ---------------------------------------------------------------------------------------------

/// GRIP events for an AS or a prefix over the last 30 days.
#[component]
fn GripPanel(
    query: GripQuery,
    #[prop(optional)] show_origins: bool,
    /// Receives the prefixes named in the events (the AS page offers them to the Spamhaus panel).
    #[prop(optional)]
    prefixes: Option<RwSignal<Vec<IpNet>>>,
    /// Receives the loaded events (the headings name ASes from their `asinfo`).
    #[prop(optional)]
    events: Option<RwSignal<Option<Arc<Vec<GripEvent>>>>>,
) -> impl IntoView {
    let app = use_app();
    let explorer = (app.href("/grip") + &query.to_params().to_suffix(), "Open in the GRIP explorer");
    let url = query.request_url(app.endpoints().base(Source::Grip));
    let data = LocalResource::new(move || {
        let url = url.clone();
        async move {
            let page = fetch_grip::<GripEventsPage>(url, None, decode_events).await;
            if let (Some(sink), Ok(page)) = (prefixes, &page) {
                sink.set(event_prefixes(&page.data));
            }
            if let (Some(sink), Ok(page)) = (events, &page) {
                sink.set(Some(page.data.clone()));
            }
            timeline::feed_result(Source::Grip, &page, |p| {
                let capped = if p.is_capped() || p.records_total > p.data.len() as u64 { ", newest first" } else { "" };
                let covers = format!("GRIP asked for the last {GRIP_DAYS} days{capped}");
                (crate::api::timeline::grip_marks(&p.data), covers)
            });
            Some(page)
        }
    });
    let body = loaded(data, move |page| events_table(page, show_origins)).into_any();
    panel("panel-grip", "GRIP routing events (last 30 days)", Some(explorer), body)
}

/// The prefixes the events name (summary first, then each prefix event's), each once, in first-seen order.
fn event_prefixes(events: &[GripEvent]) -> Vec<IpNet> {
    let mut seen: Vec<IpNet> = Vec::new();
    for e in events {
        let from_pfx_events = e.pfx_events.iter().flat_map(|p| [p.prefix_text(), p.sub_pfx_text(), p.super_pfx_text()]);
        let texts = e.summary.prefixes.iter().map(|s| Some(s.as_str())).chain(from_pfx_events);
        for net in texts.flatten().filter_map(|t| t.trim().parse::<IpNet>().ok()) {
            let net = net.trunc();
            if !seen.contains(&net) {
                seen.push(net);
            }
        }
    }
    seen
}

/// The origin ASes the events end with (each event's new origins), each once, in first-seen order.
fn event_origins(events: &[GripEvent]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for e in events {
        for a in e.origins_old_new().1 {
            if parse_asn(&a).is_some() && !seen.contains(&a) {
                seen.push(a);
            }
        }
    }
    seen
}

fn events_table(page: GripEventsPage, show_origins: bool) -> AnyView {
    let app = use_app();
    let t = now();
    let capped = if page.is_capped() { "at least " } else { "" };
    let count =
        format!("{capped}{} event{}", format_count(page.records_total), if page.records_total == 1 { "" } else { "s" });
    let origins: Vec<String> = if show_origins { event_origins(&page.data) } else { Vec::new() };
    let origin_view = show_origins.then(|| {
        if origins.is_empty() {
            view! { <p class="origin-as" data-testid="origin-as">"GRIP's events show no origin AS for this prefix."</p> }.into_any()
        } else {
            let links = origins.iter().map(|a| view! { <li>{asn_text_link(a)}</li> }).collect_view();
            view! {
                <div class="origin-as" data-testid="origin-as">
                    "Origin AS in GRIP's events: "
                    <ul class="grip-inline-list">{links}</ul>
                </div>
            }
            .into_any()
        }
    });
    let columns = vec![
        Column::new("Event", move |e: &crate::api::grip::GripEvent| match e.event_id() {
            Some(id) => {
                let href = app.href(&format!("/grip/event/{}", id.as_str()));
                view! { <a class="mono" href=href>{id.as_str().to_string()}</a> }.into_any()
            }
            None => view! { <span class="mono">{e.id.clone().unwrap_or_default()}</span> }.into_any(),
        }),
        Column::new("Type", |e: &crate::api::grip::GripEvent| e.event_type.clone().into_any()),
        Column::new("Started", move |e: &crate::api::grip::GripEvent| when(e.view_ts, t)),
        Column::new("Suspicion", |e: &crate::api::grip::GripEvent| crate::pages::grip::suspicion_view(e.suspicion())),
    ];
    let rows: Vec<_> = page.data.iter().take(PANEL_ROWS).cloned().collect();
    view! {
        {origin_view}
        <p class="count">{count}</p>
        <DataTable rows=Arc::new(rows) columns=columns caption="GRIP events".to_string() empty="No GRIP events in the last 30 days." />
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// Blocklists
// ---------------------------------------------------------------------------------------------

#[component]
fn ListsPanel(asn: u32) -> impl IntoView {
    let refs = GripRefs::load();
    let body = view! {
        <p data-testid="lists-status">
            {move || match (refs.blocklist_state(asn), refs.asndrop_state(asn)) {
                (None, _) | (_, None) => "Loading GRIP's blocklist and Spamhaus ASN-DROP…".to_string(),
                (Some(b), Some(d)) => {
                    let say = |r: Result<bool, ()>, name: &str| match r {
                        Ok(true) => format!("On {name}."),
                        Ok(false) => format!("Not on {name}."),
                        Err(()) => format!("{name} could not be loaded."),
                    };
                    format!("{} {}", say(b, "GRIP's blocklist"), say(d, "Spamhaus ASN-DROP"))
                }
            }}
        </p>
    }
    .into_any();
    panel("panel-lists", "Blocklists", None, body)
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

fn grip_since() -> Timestamp {
    let t = now();
    t - GRIP_DAYS * 86_400
}

/// IODA's name for an AS (`None` while loading, on any failure, with the legacy API, or when IODA
/// has no entity for it): the heading never shows an error for a name.
fn ioda_name(entity: EntityRef, asn: u32) -> LocalResource<Option<NetworkName>> {
    let app = use_app();
    LocalResource::new(move || {
        let endpoints = app.endpoints();
        let entity = entity.clone();
        async move {
            if endpoints.ioda_dialect != IodaDialect::V2 {
                return None;
            }
            let url = entity_lookup_url(endpoints.base(Source::Ioda), &entity);
            match send(Request::get(Source::Ioda, url), None).await {
                Ok(resp) if resp.is_ok() => {
                    decode_entities(&resp.body).ok().and_then(|list| names::from_ioda(&list, asn))
                }
                _ => None,
            }
        }
    })
}

/// The note under an AS heading: the organisation when the heading shows the name, and the source.
fn name_note(name: &NetworkName) -> String {
    match name.org_beside_title() {
        Some(org) => format!("{org} · {}", name.source_note()),
        None => name.source_note(),
    }
}

#[component]
pub fn AsnPage() -> impl IntoView {
    let n = param("n");
    move || {
        let raw = n.get().unwrap_or_default();
        let Some(asn) = parse_asn(&raw) else {
            return invalid("AS page", format!("“{}” is not an AS number (1 to 4294967295, like 3356).", clip(&raw)));
        };
        let Ok(entity) = EntityRef::new(EntityKind::Asn, &asn.to_string()) else {
            return invalid("AS page", "IODA does not accept this AS number.".into());
        };
        let grip = GripQuery { asns: vec![Term::is(asn)], ts_start: Some(grip_since()), ..GripQuery::default() };
        let spoofer = SpooferQuery { asns: vec![asn], ..SpooferQuery::default() };
        let prefixes = RwSignal::new(Vec::<IpNet>::new());
        let events = RwSignal::new(None::<Arc<Vec<GripEvent>>>);
        let from_ioda = ioda_name(entity.clone(), asn);
        let window = PageWindow::from_url();
        let feed = TimelineFeed::provide(&[]);
        // IODA's name first; GRIP's ASRank info once its events are in, when IODA has none.
        let name = Signal::derive(move || {
            from_ioda.get().flatten().or_else(|| events.with(|e| e.as_ref().and_then(|e| names::from_grip(e, asn))))
        });
        view! {
            <section class="entity-page" data-testid="entity-asn">
                <div class="page-head">
                    <div>
                        <h1>
                            {format!("AS{asn}")}
                            {move || name.get().map(|n| view! { <span class="as-name">{format!(" · {}", n.title())}</span> })}
                        </h1>
                        {move || name.get().map(|n| view! { <p class="name-source" data-testid="entity-name-source">{name_note(&n)}</p> })}
                        <p class="lead">"What IODA, GRIP, Spoofer and Spamhaus say about this autonomous system."</p>
                    </div>
                </div>
                <WindowBar window=window />
                <CrossTimeline subject=Signal::derive(move || match name.get() { Some(n) => format!("AS{asn} ({})", n.title()), None => format!("AS{asn}") }) window=window feed=feed />
                <div class="entity-grid">
                    <IodaPanel entity=entity window=window />
                    <GripPanel query=grip prefixes=prefixes events=events />
                    <SpooferPanel query=spoofer />
                    <ListsPanel asn=asn />
                    <SpamhausAsPanel suggestions=prefixes />
                </div>
            </section>
        }
        .into_any()
    }
}

fn prefix_page(net: IpNet, title: String, testid: &'static str) -> AnyView {
    let grip = GripQuery { pfxs: vec![Term::is(net.trunc())], ts_start: Some(grip_since()), ..GripQuery::default() };
    let events = RwSignal::new(None::<Arc<Vec<GripEvent>>>);
    let window = PageWindow::from_url();
    let feed = TimelineFeed::provide(&[
        (Source::Ioda, "IODA measures countries, regions and ASes, not prefixes: see the origin AS's page."),
        (Source::Spoofer, "Spoofer lists sessions by AS and country, not by prefix: see the origin AS's page."),
    ]);
    let subject = net.to_string();
    view! {
        <section class="entity-page" data-testid=testid>
            <div class="page-head">
                <div>
                    <h1 class="mono">{title}</h1>
                    {move || events.with(|e| e.as_deref().map(|e| origin_note(e)))}
                    <p class="lead">"GRIP routing events and Spamhaus listings for this address space."</p>
                </div>
            </div>
            <WindowBar window=window />
            <CrossTimeline subject=subject window=window feed=feed />
            <div class="entity-grid">
                <GripPanel query=grip show_origins=true events=events />
                <SpamhausCidrPanel net=net />
            </div>
        </section>
    }
    .into_any()
}

/// "Originated by AS3307 (BANETELE-NORWAY)" under a prefix heading, from the GRIP events the page
/// loaded (no request of its own); nothing when they name no origin.
fn origin_note(events: &[GripEvent]) -> Option<AnyView> {
    let origins: Vec<u32> = event_origins(events).iter().filter_map(|a| parse_asn(a)).collect();
    if origins.is_empty() {
        return None;
    }
    let items = origins
        .into_iter()
        .enumerate()
        .map(|(i, asn)| {
            let named = names::from_grip(events, asn).map(|n| format!(" ({})", n.title()));
            view! {
                {(i > 0).then_some(", ")}
                {crate::ui::pivot::asn_link(asn)}
                {named}
            }
        })
        .collect_view();
    Some(
        view! {
            <p class="name-source" data-testid="prefix-origin">
                "Originated by "{items}" · from GRIP's events"
            </p>
        }
        .into_any(),
    )
}

#[component]
pub fn PrefixPage() -> impl IntoView {
    let addr = param("addr");
    let len = param("len");
    move || {
        let raw = format!("{}/{}", addr.get().unwrap_or_default(), len.get().unwrap_or_default());
        match parse_prefix(&raw) {
            Some((net, _)) => prefix_page(net, net.to_string(), "entity-prefix"),
            None => {
                invalid("Prefix page", format!("“{}” is not an IPv4 or IPv6 prefix (like 192.0.2.0/24).", clip(&raw)))
            }
        }
    }
}

#[component]
pub fn IpPage() -> impl IntoView {
    let addr = param("addr");
    move || {
        let raw = addr.get().unwrap_or_default();
        match parse_addr(&raw) {
            Some(a) => prefix_page(IpNet::from(a), a.to_string(), "entity-ip"),
            None => invalid("Address page", format!("“{}” is not an IPv4 or IPv6 address.", clip(&raw))),
        }
    }
}

#[component]
pub fn CountryPage() -> impl IntoView {
    let cc = param("cc");
    move || {
        let raw = cc.get().unwrap_or_default();
        let Some(country) = Country::from_code(&raw) else {
            return invalid(
                "Country page",
                format!("“{}” is not an ISO 3166 country code (like NO or NOR).", clip(&raw)),
            );
        };
        let entity = EntityRef::new(EntityKind::Country, country.alpha2());
        let spoofer = SpooferQuery {
            country: CountryCode::parse(&country.alpha3().to_ascii_lowercase()).ok(),
            ..SpooferQuery::default()
        };
        let window = PageWindow::from_url();
        let feed = TimelineFeed::provide(&[
            (Source::Grip, "GRIP reports routing events per AS and prefix, not per country."),
            (Source::Spamhaus, "Spamhaus SIA looks up addresses and prefixes, not countries."),
        ]);
        let subject = country.name().to_string();
        view! {
            <section class="entity-page" data-testid="entity-country">
                <div class="page-head">
                    <div>
                        <h1>
                            <span class="flag" aria-hidden="true">{country.flag()}</span>
                            " "
                            {format!("{} ({})", country.name(), country.alpha2())}
                        </h1>
                        <p class="lead">
                            {format!("ISO 3166: {} / {}. ", country.alpha2(), country.alpha3())}
                            "Outage alerts from IODA and source-address-validation tests from Spoofer."
                        </p>
                    </div>
                </div>
                <WindowBar window=window />
                <CrossTimeline subject=subject window=window feed=feed />
                <div class="entity-grid">
                    {entity.ok().map(|e| view! { <IodaPanel entity=e window=window /> })}
                    <SpooferPanel query=spoofer />
                </div>
            </section>
        }
        .into_any()
    }
}

fn clip(s: &str) -> String {
    let short: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        format!("{short}…")
    } else {
        short
    }
}
