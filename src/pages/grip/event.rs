//! `/grip/event/:id`: one event in full: summary, inferences, the ASes involved (ASRank,
//! hegemony), its prefix events and its metrics.

use super::detail::detail_body;
use super::{
    asn_list, asn_view, fetch_grip, inference_table, json_text, no_names, none_view, number_text, prefix_list,
    prefix_view, suspicion_view, tag_chips, time_view, yes_no, GripRefs, RefsNote,
};
use crate::api::correlate::{attacker_asns, SpoofEvidence};
use crate::api::error::FetchError;
use crate::api::grip::{decode_event, event_url, EventType, GripAsInfo, GripEvent, GripEventId, GripPfxEvent};
use crate::api::spoofer::SpooferQuery;
use crate::api::time::format_duration;
use crate::api::Source;
use crate::app::{use_app, AppContext};
use crate::http::RequestSlot;
use crate::pages::spoofer::newest_sessions;
use crate::ui::copy_link::CopyLink;
use crate::ui::export::ExportButtons;
use crate::ui::now;
use crate::ui::table::{Column, DataTable, SortKey};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

#[component]
pub fn GripEventPage() -> impl IntoView {
    let app = use_app();
    let refs = GripRefs::load();
    let params = use_params_map();
    // The id is checked against GRIP's grammar before any request.
    let id = Memo::new(move |_| {
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        GripEventId::parse_at(&raw, now()).map_err(|e| (raw, e))
    });
    let slot = RequestSlot::default();
    let data = LocalResource::new(move || {
        let id = id.get();
        let base = app.endpoints().base(Source::Grip).clone();
        let slot = slot.clone();
        async move {
            let id = id.ok()?;
            Some(fetch_grip(event_url(&base, &id), Some(&slot), decode_event).await.map(|e| (id, Arc::new(e))))
        }
    });
    let search_href = app.href("/grip");

    view! {
        <section class="grip-event">
            <div class="page-head">
                <div>
                    <h1>"GRIP event"</h1>
                    <p class="lead">
                        <code data-testid="grip-event-id">{move || id.with(|r| match r {
                            Ok(id) => id.to_string(),
                            Err((raw, _)) => raw.clone(),
                        })}</code>
                        {move || id.with(|r| r.as_ref().ok().map(|id| format!(" · {}", id.event_type.description())))}
                    </p>
                </div>
                <p class="actions">
                    <a href=search_href.clone()>"← Search events"</a>
                    <CopyLink />
                </p>
            </div>
            <RefsNote refs />
            {detail_body(
                Signal::derive(move || id.with(|r| r.as_ref().err().map(|(_, m)| m.clone()))),
                "This is not a valid GRIP event id. ",
                search_href.clone(),
                data,
                move |(id, event)| event_view(app, refs, id, event),
            )}
        </section>
    }
}

fn event_view(app: AppContext, refs: GripRefs, id: GripEventId, ev: Arc<GripEvent>) -> impl IntoView {
    let name = |asn: &str| ev.as_name(asn).map(str::to_string);
    let s = &ev.summary;
    let kind = ev.kind().unwrap_or(id.event_type);
    let end = if ev.is_ongoing() {
        view! { <span class="badge info" data-testid="ongoing">"ongoing"</span> }.into_any()
    } else {
        time_view(ev.finished_ts)
    };
    let duration = ev.duration_secs().map_or_else(
        || if ev.is_ongoing() { "still running".into_any() } else { none_view() },
        |d| format_duration(d).into_any(),
    );
    let primary = ev.primary().cloned();
    let tags_defs = tag_definitions(&ev, refs);
    let asinfo = asinfo_table(&ev, refs);
    let pfx_table = pfx_events_table(app, refs, &id, &ev);
    let metrics = metrics_view(&ev);
    let export_rows = Arc::new(vec![(*ev).clone()]);

    view! {
        <div class="toolbar">
            <span class="grip-muted">"This event as a file:"</span>
            <ExportButtons rows=export_rows source_key="grip-event" />
        </div>

        <h2>"Summary"</h2>
        <dl class="facts grip-facts" data-testid="grip-summary">
            <dt>"Type"</dt>
            <dd>{format!("{} ({}): {}", kind.label(), kind.key(), kind.description())}</dd>
            <dt>"Start"</dt>
            <dd>{time_view(ev.view_ts)}</dd>
            <dt>"End"</dt>
            <dd>{end}</dd>
            <dt>"Duration"</dt>
            <dd>{duration}</dd>
            <dt>"Suspicion (primary inference)"</dt>
            <dd>{suspicion_view(ev.suspicion())}</dd>
            <dt>"Prefixes"</dt>
            <dd>{prefix_list(&s.prefixes)}</dd>
            <dt>"ASes"</dt>
            <dd>{asn_list(&s.ases, &name, refs)}</dd>
            <dt>"Victims"</dt>
            <dd>{asn_list(&s.victims, &name, refs)}</dd>
            <dt>"Attackers"</dt>
            <dd>{asn_list(&s.attackers, &name, refs)}</dd>
            <dt>"Newcomers"</dt>
            <dd>{asn_list(&s.newcomers, &name, refs)}</dd>
            <dt>"Traceroute-worthy"</dt>
            <dd>{yes_no(s.tr_worthy, "")}</dd>
            <dt>"Tags"</dt>
            <dd>{tag_chips(&s.tags, refs)}</dd>
            <dt>"First recorded"</dt>
            <dd>{time_view(ev.insert_ts)}</dd>
            <dt>"Last changed"</dt>
            <dd>{time_view(ev.last_modified_ts)}</dd>
        </dl>

        <h2>"Attackers across sources"</h2>
        {attackers_check(&ev, refs)}

        <h2>"Tags and what they mean"</h2>
        {tags_defs}

        <h2>"Inferences"</h2>
        {inference_table(ev.inferences(), primary.as_ref())}

        <h2>"ASes involved"</h2>
        <p class="grip-muted">"External data GRIP attached: CAIDA AS Rank (rank, name, organisation) and IHR AS hegemony."</p>
        {asinfo}

        <h2>"Prefix events"</h2>
        {pfx_table}

        <h2>"Event metrics"</h2>
        {metrics}
    }
}

/// The event's attacker ASes against Spoofer: asked for only when the user does (one Spoofer query per
/// attacker), with the ASN-DROP and blocklist badges the page already has.
fn attackers_check(ev: &GripEvent, refs: GripRefs) -> AnyView {
    let asns = attacker_asns(ev);
    if asns.is_empty() {
        return view! { <p class="grip-muted" data-testid="correlation">"GRIP names no attacker AS for this event."</p> }
            .into_any();
    }
    let app = use_app();
    let asked = RwSignal::new(false);
    let list = asns.clone();
    let data = LocalResource::new(move || {
        let go = asked.get();
        let base = app.endpoints().base(Source::Spoofer).clone();
        let list = list.clone();
        async move {
            if !go {
                return None;
            }
            let checks = list.iter().map(|&asn| {
                let query = SpooferQuery { asns: vec![asn], ..SpooferQuery::default() };
                let base = base.clone();
                async move { (asn, newest_sessions(query, &base).await.map(|s| SpoofEvidence::of(&s))) }
            });
            Some(Ok::<_, FetchError>(Arc::new(futures::future::join_all(checks).await)))
        }
    });
    let rows = move |checks: Arc<Vec<(u32, Result<SpoofEvidence, FetchError>)>>| {
        let items = checks
            .iter()
            .map(|(asn, evidence)| {
                let (flag, text) = match evidence {
                    Ok(e) => (
                        e.is_flag().then(|| {
                            view! { <span class="badge bad grip-flag" data-testid="flag-spoofer" title="Spoofer sessions from this AS got spoofed packets through">"can spoof"</span> }
                        }),
                        e.sentence(),
                    ),
                    Err(err) => (None, format!("Spoofer could not be asked: {err}")),
                };
                view! {
                    <li data-asn=*asn>
                        {asn_view(&asn.to_string(), None, refs)}
                        {flag}
                        <span class="correlation-text">{text}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="correlation-list" data-testid="correlation-list">{items}</ul> }.into_any()
    };
    let n = asns.len();
    view! {
        <div class="correlation" data-testid="correlation">
            <p class="grip-muted">
                {format!(
                    "{} attacker AS{}. Badges show GRIP's blocklist and Spamhaus ASN-DROP; Spoofer's tests tell whether an AS lets spoofed packets out.",
                    n,
                    if n == 1 { "" } else { "es" }
                )}
            </p>
            {move || (!asked.get()).then(|| view! {
                <button type="button" data-testid="check-spoofer" on:click=move |_| asked.set(true)>
                    {format!("Check {} in Spoofer", if n == 1 { "the attacker" } else { "the attackers" })}
                </button>
            })}
            {crate::ui::results::loaded(data, rows)}
        </div>
    }
    .into_any()
}

/// Each tag of the event with its definition (and comments) from the glossary.
fn tag_definitions(ev: &GripEvent, refs: GripRefs) -> AnyView {
    if ev.summary.tags.is_empty() {
        return view! { <p class="grip-muted">"GRIP put no tag on this event."</p> }.into_any();
    }
    let items = ev
        .summary
        .tags
        .iter()
        .map(|t| {
            let name = t.name.clone();
            let comments = {
                let name = name.clone();
                move || Some(refs.comments(&name))
            };
            view! {
                <dt>
                    <span class="grip-tag">{t.to_string()}</span>
                </dt>
                <dd>
                    {move || {
                        refs.definition(&name).unwrap_or_else(|| refs.tag_title(&name))
                    }}
                    {move || {
                        comments()
                            .filter(|c| !c.is_empty())
                            .map(|c| {
                                view! {
                                    <ul class="grip-comments">
                                        {c.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                    </ul>
                                }
                            })
                    }}
                </dd>
            }
        })
        .collect_view();
    view! { <dl class="facts grip-tag-defs" data-testid="grip-tag-defs">{items}</dl> }.into_any()
}

#[derive(Clone)]
struct AsRow {
    asn: String,
    info: GripAsInfo,
}

impl AsRow {
    fn name(&self) -> Option<String> {
        self.info.asrank.as_ref()?.asn_name.clone()
    }
    fn rank(&self) -> Option<i64> {
        self.info.asrank.as_ref()?.rank
    }
    fn org(&self) -> Option<String> {
        self.info.asrank.as_ref()?.organization.as_ref()?.org_name.clone()
    }
    fn country_iso(&self) -> Option<String> {
        self.info.asrank.as_ref()?.organization.as_ref()?.country.as_ref()?.iso.clone()
    }
    fn country(&self) -> Option<String> {
        let c = self.info.asrank.as_ref()?.organization.as_ref()?.country.as_ref()?;
        match (c.iso.as_deref(), c.name.as_deref()) {
            (Some(iso), Some(name)) => Some(format!("{name} ({iso})")),
            (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
            (None, None) => None,
        }
    }
}

fn text_or_none(v: Option<String>) -> AnyView {
    v.map_or_else(none_view, |t| t.into_any())
}

fn asinfo_table(ev: &GripEvent, refs: GripRefs) -> AnyView {
    let rows: Vec<AsRow> = ev.asinfo.iter().map(|(asn, info)| AsRow { asn: asn.clone(), info: info.clone() }).collect();
    let columns = vec![
        Column::new("AS", move |r: &AsRow| asn_view(&r.asn, None, refs))
            .sort_by(|r: &AsRow| r.asn.parse::<i64>().map_or(SortKey::Text(r.asn.clone()), SortKey::Int)),
        Column::new("Name", |r: &AsRow| text_or_none(r.name()))
            .sort_by(|r: &AsRow| r.name().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("AS rank", |r: &AsRow| text_or_none(r.rank().map(|n| n.to_string())))
            .numeric()
            .sort_by(|r: &AsRow| r.rank().map_or(SortKey::Missing, SortKey::Int)),
        Column::new("Organisation", |r: &AsRow| text_or_none(r.org()))
            .sort_by(|r: &AsRow| r.org().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("Country", |r: &AsRow| match (r.country(), r.country_iso()) {
            (Some(c), Some(iso)) => crate::ui::pivot::country_link(&iso, c),
            (c, _) => text_or_none(c),
        })
        .sort_by(|r: &AsRow| r.country().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("Hegemony", |r: &AsRow| text_or_none(r.info.hegemony.map(|h| format!("{h:.4}"))))
            .numeric()
            .sort_by(|r: &AsRow| r.info.hegemony.map_or(SortKey::Missing, SortKey::Float)),
    ];
    view! {
        <DataTable
            rows=Arc::new(rows)
            columns
            caption="ASes involved, with AS Rank and hegemony data".to_string()
            empty="GRIP sent no external data about the ASes of this event."
        />
    }
    .into_any()
}

#[derive(Clone)]
struct PfxRow {
    pfx: GripPfxEvent,
    /// The prefix-event page, when the prefixes name a valid prefix event of this event.
    href: Option<String>,
    kind: EventType,
}

fn pfx_events_table(app: AppContext, refs: GripRefs, id: &GripEventId, ev: &GripEvent) -> AnyView {
    let kind = ev.kind().unwrap_or(id.event_type);
    let rows: Vec<PfxRow> = ev
        .pfx_events
        .iter()
        .map(|p| {
            let href = p
                .fingerprint_prefixes()
                .filter(|prefixes| id.check_fingerprint(prefixes).is_ok())
                .and_then(|_| p.fingerprint())
                .map(|fp| app.href(&format!("/grip/event/{id}/{fp}")));
            PfxRow { pfx: p.clone(), href, kind }
        })
        .collect();
    let columns = vec![
        Column::new("Prefix event", |r: &PfxRow| match &r.href {
            Some(href) => {
                let label = format!("Open the prefix event of {}", prefixes_text(&r.pfx));
                view! {
                    <a class="grip-pfx-link" href=href.clone() aria-label=label>
                        "Open"
                    </a>
                }
                .into_any()
            }
            None => none_view(),
        }),
        Column::new("Prefix", |r: &PfxRow| prefix_cell(&r.pfx))
            .sort_by(|r: &PfxRow| SortKey::Text(prefixes_text(&r.pfx))),
        Column::new("Old origins", move |r: &PfxRow| {
            if r.kind == EventType::Edges {
                return none_view();
            }
            asn_list(&r.pfx.origins_old_new().0, &no_names, refs)
        }),
        Column::new("New origins", move |r: &PfxRow| {
            if r.kind == EventType::Edges {
                let d = r.pfx.details.clone().unwrap_or_default();
                let ends: Vec<String> = d.as1.into_iter().chain(d.as2).collect();
                return view! {
                    <span class="grip-change">
                        <span class="grip-change-caption">"new edge"</span>
                        {asn_list(&ends, &no_names, refs)}
                    </span>
                }
                .into_any();
            }
            asn_list(&r.pfx.origins_old_new().1, &no_names, refs)
        }),
        Column::new("Tags", move |r: &PfxRow| tag_chips(&r.pfx.tags, refs)),
        Column::new("Traceroute-worthy", |r: &PfxRow| {
            yes_no(r.pfx.tr_worthy.or_else(|| r.pfx.traceroutes.as_ref().and_then(|t| t.worthy)), "")
        }),
        Column::new("Traceroutes available", |r: &PfxRow| {
            yes_no(r.pfx.tr_available.or_else(|| r.pfx.traceroutes.as_ref().map(|t| !t.msms.is_empty())), "")
        }),
    ];
    view! {
        <DataTable
            rows=Arc::new(rows)
            columns
            caption="The prefix events of this event".to_string()
            empty="GRIP lists no prefix event for this event."
        />
    }
    .into_any()
}

/// `196.0.5.0/24 in 196.0.0.0/16` or the one prefix, as plain text.
fn prefixes_text(p: &GripPfxEvent) -> String {
    match (p.sub_pfx_text(), p.super_pfx_text(), p.prefix_text()) {
        (Some(sub), Some(sup), _) => format!("{sub} in {sup}"),
        (_, _, Some(one)) => one.to_string(),
        _ => "(no prefix)".into(),
    }
}

pub(super) fn prefix_cell(p: &GripPfxEvent) -> AnyView {
    match (p.sub_pfx_text(), p.super_pfx_text(), p.prefix_text()) {
        (Some(sub), Some(sup), _) => view! {
            <span class="grip-pfx-pair">
                <span class="grip-pfx-role">"sub "</span>
                {prefix_view(sub)}
                <span class="grip-pfx-role">" in super "</span>
                {prefix_view(sup)}
            </span>
        }
        .into_any(),
        (_, _, Some(one)) => prefix_view(one),
        _ => none_view(),
    }
}

fn metrics_view(ev: &GripEvent) -> AnyView {
    let Some(m) = ev.event_metrics.clone() else {
        if ev.tr_metrics.is_empty() {
            return view! { <p class="grip-muted">"GRIP sent no metrics for this event."</p> }.into_any();
        }
        return tr_metrics(ev);
    };
    let count = |n: Option<i64>| n.map_or_else(none_view, |n| n.to_string().into_any());
    let secs = |n: Option<f64>| n.map_or_else(none_view, |n| format!("{} s", number_text(n)).into_any());
    let per_tag = if m.per_tag_cnt.is_empty() {
        none_view()
    } else {
        let items = m
            .per_tag_cnt
            .iter()
            .map(|(tag, n)| view! { <li><span class="grip-tag">{tag.clone()}</span> {format!(" {}", json_text(n))}</li> })
            .collect_view();
        view! { <ul class="grip-inline-list">{items}</ul> }.into_any()
    };
    view! {
        <dl class="facts grip-facts" data-testid="grip-metrics">
            <dt>"Prefix events"</dt>
            <dd>{count(m.pfx_event_cnt)}</dd>
            <dt>"Prefix events with traceroutes"</dt>
            <dd>{count(m.pfx_event_with_tr_cnt)}</dd>
            <dt>"Tags in all"</dt>
            <dd>{count(m.total_tags_cnt)}</dd>
            <dt>"Tags per name"</dt>
            <dd>{per_tag}</dd>
            <dt>"Processing time: detection / inference / tagging"</dt>
            <dd>
                {secs(m.proc_time_driver)}
                " / "
                {secs(m.proc_time_inference)}
                " / "
                {secs(m.proc_time_tagger)}
            </dd>
        </dl>
        {(!ev.tr_metrics.is_empty()).then(|| tr_metrics(ev))}
    }
    .into_any()
}

fn tr_metrics(ev: &GripEvent) -> AnyView {
    let items = ev
        .tr_metrics
        .iter()
        .map(|(k, v)| view! { <dt>{k.replace('_', " ")}</dt> <dd>{json_text(v)}</dd> })
        .collect_view();
    view! {
        <h3>"Traceroute metrics"</h3>
        <dl class="facts grip-facts">{items}</dl>
    }
    .into_any()
}
