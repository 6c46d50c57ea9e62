//! `/grip/event/:id/:fingerprint`: one prefix event: its details per event type, its AS paths
//! (one path per line as hop chips, origin marked) and the RIPE Atlas traceroutes GRIP ran.

use super::detail::detail_body;
use super::event::prefix_cell;
use super::{
    asn_list, asn_view, fetch_grip, inference_table, no_names, none_view, tag_chips, tag_name_chips, time_view, yes_no,
    GripRefs, RefsNote,
};
use crate::api::grip::{
    atlas_measurement_url, decode_fingerprint, decode_pfx_event, pfx_event_url, AsPath, EventType, GripEventId,
    GripPfxDetails, GripPfxEvent, GripTracerouteResult,
};
use crate::api::Source;
use crate::app::{use_app, AppContext};
use crate::http::RequestSlot;
use crate::ui::copy_link::CopyLink;
use crate::ui::now;
use crate::ui::table::{Column, DataTable, SortKey};
use ipnet::IpNet;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

/// Paths drawn before "show all" (some prefix events carry hundreds).
const PATHS_SHOWN: usize = 50;

#[component]
pub fn GripPfxEventPage() -> impl IntoView {
    let app = use_app();
    let refs = GripRefs::load();
    let params = use_params_map();
    // Both parts are checked before any request: the id's grammar, the fingerprint's encoding,
    // and that the prefixes fit the event type (one, or sub-prefix then super-prefix).
    let target = Memo::new(move |_| {
        let (raw_id, raw_fp) =
            params.with(|p| (p.get("id").unwrap_or_default(), p.get("fingerprint").unwrap_or_default()));
        let id = GripEventId::parse_at(&raw_id, now()).map_err(|e| format!("The event id is not valid: {e}."))?;
        let prefixes = decode_fingerprint(&raw_fp).map_err(|e| format!("The prefix part is not valid: {e}."))?;
        id.check_fingerprint(&prefixes).map_err(|e| format!("The prefixes do not fit this event: {e}."))?;
        Ok::<(GripEventId, Vec<IpNet>), String>((id, prefixes))
    });
    let slot = RequestSlot::default();
    let data = LocalResource::new(move || {
        let target = target.get();
        let base = app.endpoints().base(Source::Grip).clone();
        let slot = slot.clone();
        async move {
            let (id, prefixes) = target.ok()?;
            let url = pfx_event_url(&base, &id, &prefixes);
            Some(fetch_grip(url, Some(&slot), decode_pfx_event).await.map(|p| (id, Arc::new(p))))
        }
    });
    let search_href = app.href("/grip");
    let event_link = move || {
        target.with(|t| {
            t.as_ref().ok().map(|(id, _)| {
                let href = app.href(&format!("/grip/event/{id}"));
                view! {
                    " · in event "
                    <a class="mono" href=href>{id.to_string()}</a>
                }
            })
        })
    };
    let title_prefixes = move || {
        target.with(|t| match t {
            Ok((_, p)) => p.iter().map(ToString::to_string).collect::<Vec<_>>().join(" in "),
            Err(_) => params.with(|p| p.get("fingerprint").unwrap_or_default()),
        })
    };

    view! {
        <section class="grip-pfx-event">
            <div class="page-head">
                <div>
                    <h1>"GRIP prefix event"</h1>
                    <p class="lead">
                        <code data-testid="grip-pfx-prefixes">{title_prefixes}</code>
                        {event_link}
                    </p>
                </div>
                <p class="actions">
                    <a href=search_href.clone()>"← Search events"</a>
                    <CopyLink />
                </p>
            </div>
            <RefsNote refs />
            {detail_body(
                Signal::derive(move || target.with(|t| t.as_ref().err().cloned())),
                "This address does not name a GRIP prefix event. ",
                search_href.clone(),
                data,
                move |(id, pfx)| pfx_view(app, refs, id, pfx),
            )}
        </section>
    }
}

fn pfx_view(app: AppContext, refs: GripRefs, id: GripEventId, p: Arc<GripPfxEvent>) -> impl IntoView {
    let kind = p.event_type.as_deref().and_then(EventType::from_key).unwrap_or(id.event_type);
    let details = p.details.clone().unwrap_or_default();
    let end = if p.finished_ts.is_none() {
        view! { <span class="badge info" data-testid="ongoing">"ongoing"</span> }.into_any()
    } else {
        time_view(p.finished_ts)
    };
    let tr_worthy = p.tr_worthy.or_else(|| p.traceroutes.as_ref().and_then(|t| t.worthy));
    let tr_available = p.tr_available.or_else(|| p.traceroutes.as_ref().map(|t| !t.msms.is_empty()));
    let event_href = app.href(&format!("/grip/event/{id}"));
    let inferences = (!p.inferences.is_empty()).then(|| {
        view! {
            <h2>"Inferences"</h2>
            {inference_table(&p.inferences, None)}
        }
    });

    view! {
        <h2>"Summary"</h2>
        <dl class="facts grip-facts" data-testid="grip-pfx-summary">
            <dt>"Type"</dt>
            <dd>{format!("{} ({}): {}", kind.label(), kind.key(), kind.description())}</dd>
            <dt>"Event"</dt>
            <dd>
                <a class="mono" href=event_href>{id.to_string()}</a>
            </dd>
            <dt>"Prefix"</dt>
            <dd>{prefix_cell(&p)}</dd>
            <dt>"Start"</dt>
            <dd>{time_view(p.view_ts)}</dd>
            <dt>"End"</dt>
            <dd>{end}</dd>
            <dt>"Victims"</dt>
            <dd>{asn_list(&p.victims, &no_names, refs)}</dd>
            <dt>"Attackers"</dt>
            <dd>{asn_list(&p.attackers, &no_names, refs)}</dd>
            <dt>"Tags"</dt>
            <dd>{tag_chips(&p.tags, refs)}</dd>
            <dt>"Traceroute-worthy"</dt>
            <dd>{yes_no(tr_worthy, "")}</dd>
            <dt>"Traceroutes available"</dt>
            <dd>{yes_no(tr_available, "")}</dd>
        </dl>

        <h2>"Details"</h2>
        {details_view(kind, &details, refs)}

        {inferences}

        <h2>"AS paths"</h2>
        {paths_view(kind, &details, refs)}

        <h2>"Traceroutes"</h2>
        {traceroutes_view(&p, refs)}
    }
}

/// The origin fields the event type has, each with a label; empty fields are left out.
fn details_view(kind: EventType, d: &GripPfxDetails, refs: GripRefs) -> AnyView {
    let mut rows: Vec<(&'static str, Vec<String>)> = match kind {
        EventType::Moas => vec![
            ("Origins", d.origins.clone()),
            ("Old origins", d.old_origins.clone()),
            ("New origins", d.new_origins.clone()),
        ],
        EventType::Submoas => vec![
            ("Super-prefix origins", d.super_origins.clone()),
            ("Sub-prefix origins", d.sub_origins.clone()),
            ("Super-prefix old origins", d.super_old_origins.clone()),
            ("Super-prefix new origins", d.super_new_origins.clone()),
            ("Sub-prefix old origins", d.sub_old_origins.clone()),
            ("Sub-prefix new origins", d.sub_new_origins.clone()),
        ],
        EventType::Defcon => vec![
            ("Origins", d.origins.clone()),
            ("Old origins", d.old_origins.clone()),
            ("New origins", d.new_origins.clone()),
        ],
        EventType::Edges => vec![("New edge", d.as1.iter().chain(&d.as2).cloned().collect())],
    };
    rows.retain(|(_, asns)| !asns.is_empty());
    if rows.is_empty() {
        return view! { <p class="grip-muted">"GRIP sent no origin details for this prefix event."</p> }.into_any();
    }
    let items = rows
        .into_iter()
        .map(|(label, asns)| view! { <dt>{label}</dt> <dd>{asn_list(&asns, &no_names, refs)}</dd> })
        .collect_view();
    view! { <dl class="facts grip-facts" data-testid="grip-pfx-details">{items}</dl> }.into_any()
}

/// Every set of AS paths the prefix event carries.
fn paths_view(kind: EventType, d: &GripPfxDetails, refs: GripRefs) -> AnyView {
    // For a new edge, its two ends are marked on every path.
    let edge: Vec<String> =
        if kind == EventType::Edges { d.as1.iter().chain(&d.as2).cloned().collect() } else { vec![] };
    let sets: Vec<(&'static str, Vec<AsPath>)> = vec![
        ("Paths", d.paths()),
        ("Super-prefix paths", d.super_paths()),
        ("Sub-prefix paths", d.sub_paths()),
        ("Paths with the new edge", d.paths_with_newedge()),
    ];
    let blocks: Vec<AnyView> = sets
        .into_iter()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(title, paths)| path_block(title, paths, edge.clone(), refs))
        .collect();
    if blocks.is_empty() {
        return view! {
            <p class="grip-muted" data-testid="grip-no-paths">
                "GRIP sent no AS paths for this prefix event."
            </p>
        }
        .into_any();
    }
    view! {
        <p class="grip-muted grip-path-legend">
            "One path per line, from the route collector's peer (left) to the origin AS (right, marked “origin”). "
            "“×3” means the AS appears three times in a row (prepending)."
        </p>
        {blocks}
    }
    .into_any()
}

fn path_block(title: &'static str, paths: Vec<AsPath>, edge: Vec<String>, refs: GripRefs) -> AnyView {
    let total = paths.len();
    let show_all = RwSignal::new(total <= PATHS_SHOWN);
    let paths = Arc::new(paths);
    let edge = Arc::new(edge);
    let list = {
        let paths = paths.clone();
        move || {
            let n = if show_all.get() { paths.len() } else { PATHS_SHOWN };
            paths.iter().take(n).map(|p| path_row(p, &edge, refs)).collect_view()
        }
    };
    view! {
        <section class="grip-path-set" data-testid="grip-path-set">
            <h3>{format!("{title} ({total})")}</h3>
            <ol class="grip-paths">{list}</ol>
            {move || {
                (!show_all.get())
                    .then(|| {
                        view! {
                            <button type="button" on:click=move |_| show_all.set(true)>
                                {format!("Show all {total} paths")}
                            </button>
                        }
                    })
            }}
        </section>
    }
    .into_any()
}

/// One path: its collector (when known), then hop chips; peer and origin labelled.
fn path_row(path: &AsPath, edge: &[String], refs: GripRefs) -> impl IntoView {
    let runs = path.runs();
    let last = runs.len().saturating_sub(1);
    let hops = runs
        .iter()
        .enumerate()
        .map(|(i, (hop, count))| {
            let is_origin = i == last;
            let is_peer = i == 0;
            let on_edge = edge.iter().any(|e| e == hop);
            let role = match (is_peer, is_origin) {
                (true, true) => Some("peer · origin"),
                (true, false) => Some("peer"),
                (false, true) => Some("origin"),
                (false, false) => None,
            };
            view! {
                <li class="grip-hop" class:origin=is_origin class:edge=on_edge>
                    {asn_view(hop, None, refs)}
                    {(*count > 1)
                        .then(|| {
                            view! {
                                <span class="grip-prepend" title=format!("Prepended: {count} times in a row")>
                                    {format!("×{count}")}
                                </span>
                            }
                        })}
                    {role.map(|r| view! { <span class="grip-hop-role">{r}</span> })}
                    {on_edge.then(|| view! { <span class="grip-hop-role">"new edge"</span> })}
                </li>
            }
        })
        .collect_view();
    let collector = path.collector.clone();
    view! {
        <li class="grip-path">
            {collector.map(|c| view! { <span class="grip-collector">"collector " {c}</span> })}
            <ol class="grip-hops" aria-label=format!("AS path of {} hops", path.hops.len())>{hops}</ol>
        </li>
    }
}

#[derive(Clone)]
struct TrRow {
    r: GripTracerouteResult,
}

fn traceroutes_view(p: &GripPfxEvent, refs: GripRefs) -> AnyView {
    let Some(tr) = p.traceroutes.clone() else {
        return view! { <p class="grip-muted" data-testid="grip-no-traceroutes">"GRIP ran no traceroute for this prefix event."</p> }
            .into_any();
    };
    let msms = tr
        .msms
        .iter()
        .map(|m| {
            let id_view = match m.msm_id {
                Some(id) => match atlas_measurement_url(id) {
                    Some(url) => view! {
                        <a href=url rel="noopener noreferrer" target="_blank">{format!("RIPE Atlas {id}")}</a>
                    }
                    .into_any(),
                    None => id.to_string().into_any(),
                },
                None => none_view(),
            };
            let probes = if m.probe_ids.is_empty() { "—".to_string() } else { m.probe_ids.join(", ") };
            let target = m.target_asn.clone().map_or_else(none_view, |a| asn_view(&a, None, refs));
            let error = m.request_error.as_ref().filter(|e| !e.is_null()).map(|e| {
                view! { <span class="badge warn">"request error"</span> " " {super::json_text(e)} }
            });
            view! {
                <li>
                    {id_view}
                    " · target "
                    {target}
                    {format!(" · probes {probes}")}
                    {error.map(|e| view! { " · " {e} })}
                </li>
            }
        })
        .collect_view();
    let rows: Vec<TrRow> = tr.msms.iter().flat_map(|m| m.results.iter().cloned()).map(|r| TrRow { r }).collect();
    let columns = vec![
        Column::new("Measurement", |t: &TrRow| t.r.msm_id.map_or_else(none_view, |n| n.to_string().into_any()))
            .numeric()
            .sort_by(|t: &TrRow| t.r.msm_id.map_or(SortKey::Missing, SortKey::Int)),
        Column::new("Probe", |t: &TrRow| t.r.prb_id.map_or_else(none_view, |n| n.to_string().into_any()))
            .numeric()
            .sort_by(|t: &TrRow| t.r.prb_id.map_or(SortKey::Missing, SortKey::Int)),
        Column::new("From → to", |t: &TrRow| {
            let src = t.r.src.clone().unwrap_or_else(|| "?".into());
            let dst = t.r.dst.clone().unwrap_or_else(|| "?".into());
            view! { <span class="mono">{format!("{src} → {dst}")}</span> }.into_any()
        }),
        Column::new("Target IP reached", |t: &TrRow| yes_no(t.r.target_ip_reached, "warn"))
            .sort_by(|t: &TrRow| t.r.target_ip_reached.map_or(SortKey::Missing, |b| SortKey::Int(b.into()))),
        Column::new("Target prefix reached", |t: &TrRow| yes_no(t.r.target_pfx_reached, "warn"))
            .sort_by(|t: &TrRow| t.r.target_pfx_reached.map_or(SortKey::Missing, |b| SortKey::Int(b.into()))),
        Column::new("Hops", |t: &TrRow| t.r.hop_count().to_string().into_any())
            .numeric()
            .sort_by(|t: &TrRow| SortKey::Int(t.r.hop_count() as i64)),
        Column::new("AS hops", move |t: &TrRow| {
            if t.r.as_traceroute.is_empty() {
                return none_view();
            }
            let path = AsPath { collector: None, hops: t.r.as_traceroute.clone() };
            let hops = path
                .runs()
                .into_iter()
                .map(|(hop, count)| {
                    view! {
                        <li class="grip-hop">
                            {asn_view(hop, None, refs)}
                            {(count > 1).then(|| view! { <span class="grip-prepend">{format!("×{count}")}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! { <ol class="grip-hops" aria-label="AS hops of the traceroute">{hops}</ol> }.into_any()
        }),
        Column::new("Time", |t: &TrRow| time_view(t.r.starttime))
            .sort_by(|t: &TrRow| t.r.starttime.map_or(SortKey::Missing, SortKey::Int)),
    ];
    view! {
        <dl class="facts grip-facts" data-testid="grip-traceroutes">
            <dt>"Worthy"</dt>
            <dd>{yes_no(tr.worthy, "")}</dd>
            <dt>"Because of tags"</dt>
            <dd>{tag_name_chips(&tr.worthy_tags, refs)}</dd>
        </dl>
        {(!tr.msms.is_empty()).then(|| view! { <ul class="grip-msms">{msms}</ul> })}
        <DataTable
            rows=Arc::new(rows)
            columns
            caption="Traceroute results".to_string()
            empty="No traceroute result yet."
        />
    }
    .into_any()
}
