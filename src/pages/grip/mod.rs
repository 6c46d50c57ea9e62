//! GRIP pages: the event search (`/grip`), one event (`/grip/event/:id`), one prefix event
//! (`/grip/event/:id/:fingerprint`) and the tag glossary (`/grip/tags`), plus what they share:
//! the fetch wrapper, the session cache of GRIP's reference lists, and the one renderer per kind
//! of value (AS numbers, prefixes, suspicion, tags, times).

mod detail;
mod event;
mod pfx_event;
mod search;
mod tags;

pub use event::GripEventPage;
pub use pfx_event::GripPfxEventPage;
pub use search::GripSearch;
pub use tags::GripTagsPage;

use crate::api::error::FetchError;
use crate::api::grip::{
    asndrop_url, blocklist_url, decode_asndrop, decode_blocklist, decode_tags, parse_asn, suspicion_bar_step, tags_url,
    GripInference, GripTag, GripTags, SuspicionLevel,
};
use crate::api::page::format_count;
use crate::api::time::{format_utc, relative, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::http::{fetch_decoded, Request, RequestSlot};
use crate::ui::now;
use crate::ui::table::{Column, DataTable, SortKey};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;
use std::thread::LocalKey;

/// GETs a GRIP URL (sent at once, see `http::send`) and decodes a 2xx body with the core's
/// `decode_*` function (which also turns GRIP v2's "refusal in a 200" into the status a newer GRIP
/// sends).
pub(crate) fn fetch_grip<T: 'static>(
    url: String,
    slot: Option<&RequestSlot>,
    decode: fn(&str) -> Result<T, FetchError>,
) -> impl std::future::Future<Output = Result<T, FetchError>> + 'static {
    fetch_decoded(Request::get(Source::Grip, url), slot, decode)
}

/// Whether an error means "GRIP has no such thing" (404, or GRIP v2's 400 "… not found").
pub(crate) fn is_not_found(e: &FetchError) -> bool {
    match e {
        FetchError::Status { status: 404, .. } => true,
        FetchError::Status { status: 400, message: Some(m), .. } => m.to_ascii_lowercase().contains("not found"),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The reference lists (/tags, /blocklist, /asndrop), loaded once per app session.
//
// Choice: a module-level `thread_local!` cache (the wasm app has one thread). Each entry holds a
// `Shared` future keyed by the request URL, so every GRIP page of the session — and a page opened
// while the first request is still in flight — awaits the same single request. Each page wraps
// the shared future in its own `LocalResource` (see `GripRefs::load`) so views update when it
// resolves. A failed load is dropped from the cache, so the next page (or Retry) asks again; a
// changed GRIP endpoint in Settings changes the URL and therefore loads afresh. (A context from
// a parent route was not possible: routes are flat and app.rs is not ours beyond route lines.)
// ---------------------------------------------------------------------------------------------

type RefResult<T> = Result<Arc<T>, FetchError>;
type RefFuture<T> = Shared<LocalBoxFuture<'static, RefResult<T>>>;
type RefCache<T> = RefCell<Option<(String, RefFuture<T>)>>;

thread_local! {
    static TAGS: RefCache<GripTags> = const { RefCell::new(None) };
    static BLOCKLIST: RefCache<HashSet<u32>> = const { RefCell::new(None) };
    static ASNDROP: RefCache<HashSet<u32>> = const { RefCell::new(None) };
}

fn load_ref<T: 'static>(
    cache: &'static LocalKey<RefCache<T>>,
    url: String,
    decode: fn(&str) -> Result<T, FetchError>,
) -> RefFuture<T> {
    cache.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some((cached_url, fut)) = cell.as_ref() {
            if *cached_url == url && !matches!(fut.peek(), Some(Err(_))) {
                return fut.clone();
            }
        }
        // Sent now (the page asks while it builds; see `http::send`).
        let sent = fetch_grip(url.clone(), None, decode);
        let fut = async move { sent.await.map(Arc::new) }.boxed_local().shared();
        *cell = Some((url, fut.clone()));
        fut
    })
}

fn decode_blocklist_set(body: &str) -> Result<HashSet<u32>, FetchError> {
    decode_blocklist(body).map(|v| v.into_iter().collect())
}

fn decode_asndrop_set(body: &str) -> Result<HashSet<u32>, FetchError> {
    decode_asndrop(body).map(|v| v.into_iter().collect())
}

pub(crate) const BLOCKLIST_TITLE: &str =
    "On GRIP's blocklist: an AS GRIP considers of bad reputation (e.g. involved in earlier hijacks)";
pub(crate) const ASNDROP_TITLE: &str =
    "On Spamhaus ASN-DROP: an AS Spamhaus advises dropping all traffic from (hijacked or run by criminals)";

/// The session's reference lists as this page sees them (cheap to copy into any view).
///
/// Views read the lists through memos created here, at page level: a memo computes under its
/// own owner, so a tag chip or AS badge inside a `<Transition>` does not register the lists with
/// that Transition (the results never wait for the glossary; badges simply appear when it lands).
#[derive(Clone, Copy)]
pub struct GripRefs {
    /// For the glossary page, which awaits it (and retries it) itself.
    pub tags: LocalResource<RefResult<GripTags>>,
    glossary: Memo<Option<RefResult<GripTags>>>,
    blocklist: Memo<Option<RefResult<HashSet<u32>>>>,
    asndrop: Memo<Option<RefResult<HashSet<u32>>>>,
}

/// How long a result page waits for GRIP's blocklist and ASN-DROP before drawing its rows anyway.
const FLAGS_WAIT_MS: u32 = 800;

impl GripRefs {
    /// Resolves when the blocklist and ASN-DROP have loaded (or failed), or after [`FLAGS_WAIT_MS`]. A result
    /// page awaits it with its events, so the badges are in the first drawing of the rows: badges landing
    /// later made the rows grow under the reader's eyes (a layout shift).
    pub fn flags_settled(base: &crate::config::BaseUrl) -> impl std::future::Future<Output = ()> {
        let lists = futures::future::join(
            load_ref(&BLOCKLIST, blocklist_url(base), decode_blocklist_set),
            load_ref(&ASNDROP, asndrop_url(base), decode_asndrop_set),
        );
        async move {
            let timeout = gloo_timers::future::TimeoutFuture::new(FLAGS_WAIT_MS);
            futures::future::select(Box::pin(lists), timeout).await;
        }
    }

    /// Call once per page component (the requests themselves happen once per session).
    pub fn load() -> Self {
        let app = use_app();
        let tags =
            LocalResource::new(move || load_ref(&TAGS, tags_url(app.endpoints().base(Source::Grip)), decode_tags));
        let blocklist = LocalResource::new(move || {
            load_ref(&BLOCKLIST, blocklist_url(app.endpoints().base(Source::Grip)), decode_blocklist_set)
        });
        let asndrop = LocalResource::new(move || {
            load_ref(&ASNDROP, asndrop_url(app.endpoints().base(Source::Grip)), decode_asndrop_set)
        });
        GripRefs {
            tags,
            glossary: Memo::new(move |_| tags.get()),
            blocklist: Memo::new(move |_| blocklist.get()),
            asndrop: Memo::new(move |_| asndrop.get()),
        }
    }

    /// The `title` of a tag chip: its definition, or why there is none (reactive).
    pub fn tag_title(&self, tag: &str) -> String {
        self.glossary.with(|g| match g {
            None => "Loading GRIP's tag glossary…".into(),
            Some(Err(_)) => "GRIP's tag glossary could not be loaded".into(),
            Some(Ok(t)) => t
                .definition(tag)
                .map(str::to_string)
                .unwrap_or_else(|| "GRIP's tag glossary has no definition for this tag".into()),
        })
    }

    /// The definition of a tag, once the glossary is in (reactive).
    pub fn definition(&self, tag: &str) -> Option<String> {
        self.glossary.with(|g| g.as_ref()?.as_ref().ok()?.definition(tag).map(str::to_string))
    }

    /// The comments on a tag in the glossary (reactive; empty until it is in).
    pub fn comments(&self, tag: &str) -> Vec<String> {
        self.glossary.with(|g| {
            g.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|t| t.definitions.get(tag))
                .map(|d| d.comments.clone())
                .unwrap_or_default()
        })
    }

    fn on_blocklist(&self, asn: u32) -> bool {
        self.blocklist.with(|l| matches!(l, Some(Ok(set)) if set.contains(&asn)))
    }

    fn on_asndrop(&self, asn: u32) -> bool {
        self.asndrop.with(|l| matches!(l, Some(Ok(set)) if set.contains(&asn)))
    }

    /// Whether `asn` is on GRIP's blocklist: `None` while loading, `Err` when it failed (reactive).
    pub fn blocklist_state(&self, asn: u32) -> Option<Result<bool, ()>> {
        self.blocklist.with(|l| l.as_ref().map(|r| r.as_ref().map(|s| s.contains(&asn)).map_err(|_| ())))
    }

    /// Whether `asn` is on Spamhaus ASN-DROP, as [`blocklist_state`](Self::blocklist_state).
    pub fn asndrop_state(&self, asn: u32) -> Option<Result<bool, ()>> {
        self.asndrop.with(|l| l.as_ref().map(|r| r.as_ref().map(|s| s.contains(&asn)).map_err(|_| ())))
    }

    fn failed_lists(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.blocklist.with(|l| matches!(l, Some(Err(_)))) {
            names.push("GRIP's blocklist");
        }
        if self.asndrop.with(|l| matches!(l, Some(Err(_)))) {
            names.push("Spamhaus ASN-DROP");
        }
        names
    }
}

/// A one-line note when the blocklist or ASN-DROP list could not be loaded (so a missing
/// badge is not read as "not listed").
#[component]
pub fn RefsNote(refs: GripRefs) -> impl IntoView {
    let failed = move || {
        let names = refs.failed_lists();
        (!names.is_empty()).then(|| {
            view! {
                <p class="grip-refs-note" data-testid="grip-refs-note">
                    {format!(
                        "{} could not be loaded: AS numbers below are shown without those flags.",
                        names.join(" and "),
                    )}
                </p>
            }
        })
    };
    view! { {failed} }
}

// ---------------------------------------------------------------------------------------------
// One renderer per kind of value.
// ---------------------------------------------------------------------------------------------

/// Every AS number on a GRIP page goes through here (a later change turns it into an entity
/// link). Shows `AS3356`, the AS name when known, and a badge when the AS is on GRIP's blocklist
/// or on Spamhaus ASN-DROP. Anything that is not an AS number (`*`, an AS set) is shown as sent.
pub(crate) fn asn_view(raw: &str, name: Option<&str>, refs: GripRefs) -> AnyView {
    let asn = parse_asn(raw).ok();
    let name = name.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    let flags = move || {
        asn.map(|n| {
            view! {
                {refs
                    .on_blocklist(n)
                    .then(|| {
                        view! {
                            <span class="badge bad grip-flag" data-testid="flag-blocklist" title=BLOCKLIST_TITLE>
                                "blocklist"
                            </span>
                        }
                    })}
                {refs
                    .on_asndrop(n)
                    .then(|| {
                        view! {
                            <span class="badge bad grip-flag" data-testid="flag-asndrop" title=ASNDROP_TITLE>
                                "ASN-DROP"
                            </span>
                        }
                    })}
            }
        })
    };
    view! {
        <span class="grip-asn">
            {match asn {
                Some(n) => crate::ui::pivot::asn_link(n),
                None => view! { <span class="mono">{raw.trim().to_string()}</span> }.into_any(),
            }}
            {name.map(|n| view! { <span class="grip-asn-name">{n}</span> })}
            {flags}
        </span>
    }
    .into_any()
}

/// Looks up an AS name (from an event's `asinfo`).
pub(crate) type Names<'a> = &'a dyn Fn(&str) -> Option<String>;

/// No AS names to show.
pub(crate) fn no_names(_: &str) -> Option<String> {
    None
}

/// A list of AS numbers (names looked up with `name`); "—" when empty.
pub(crate) fn asn_list(asns: &[String], name: Names, refs: GripRefs) -> AnyView {
    if asns.is_empty() {
        return none_view();
    }
    let items = asns
        .iter()
        .map(|a| {
            let n = name(a);
            view! { <li>{asn_view(a, n.as_deref(), refs)}</li> }
        })
        .collect_view();
    view! { <ul class="grip-inline-list">{items}</ul> }.into_any()
}

/// Every IP prefix on a GRIP page goes through here (a later change turns it into a link).
pub(crate) fn prefix_view(prefix: &str) -> AnyView {
    view! { <span class="grip-pfx mono">{crate::ui::pivot::prefix_link(prefix)}</span> }.into_any()
}

pub(crate) fn prefix_list(prefixes: &[String]) -> AnyView {
    if prefixes.is_empty() {
        return none_view();
    }
    let items = prefixes.iter().map(|p| view! { <li>{prefix_view(p)}</li> }).collect_view();
    view! { <ul class="grip-inline-list">{items}</ul> }.into_any()
}

/// Prefixes a results row shows before "+N more". An event can name hundreds: one such row was
/// taller than the screen and built a link for each; the event's page lists them all.
pub(crate) const ROW_PREFIXES: usize = 6;

/// The first `at_most` prefixes, then "+N more" linking to `all` (the event's page), if any.
pub(crate) fn prefix_list_clamped(prefixes: &[String], at_most: usize, all: Option<String>) -> AnyView {
    if prefixes.len() <= at_most {
        return prefix_list(prefixes);
    }
    let items = prefixes[..at_most].iter().map(|p| view! { <li>{prefix_view(p)}</li> }).collect_view();
    let rest = format!("+{} more", format_count((prefixes.len() - at_most) as u64));
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    let label = format!("{rest} prefixes, all {} on the event's page", format_count(prefixes.len() as u64));
    let more = match all {
        Some(href) => {
            view! { <a class="grip-more" href=href title=label.clone() aria-label=label>{rest}</a> }.into_any()
        }
        None => view! { <span class="grip-more grip-muted" title=label>{rest}</span> }.into_any(),
    };
    view! { <ul class="grip-inline-list">{items}<li>{more}</li></ul> }.into_any()
}

/// `old → new` (or `victims → attackers`): two AS lists with a caption saying which.
pub(crate) fn change_view(
    caption: &'static str,
    from: &[String],
    to: &[String],
    name: Names,
    refs: GripRefs,
) -> AnyView {
    view! {
        <span class="grip-change">
            <span class="grip-change-caption">{caption}</span>
            {asn_list(from, name, refs)}
            <span class="grip-arrow" aria-hidden="true">"→"</span>
            <span class="visually-hidden">" to "</span>
            {asn_list(to, name, refs)}
        </span>
    }
    .into_any()
}

pub(crate) fn none_view() -> AnyView {
    view! { <span class="grip-muted">"—"</span> }.into_any()
}

/// A suspicion score as a small bar, the number and the bucket label (colour never alone).
pub(crate) fn suspicion_view(score: Option<i64>) -> AnyView {
    let Some(score) = score else { return none_view() };
    let level = SuspicionLevel::from_score(score);
    let badge = match level {
        SuspicionLevel::Suspicious => "badge bad",
        SuspicionLevel::Grey => "badge warn",
        SuspicionLevel::Benign => "badge ok",
    };
    let (lo, hi) = level.range();
    view! {
        <span
            class=format!("grip-susp {}", level.key())
            data-testid="suspicion"
            title=format!("Suspicion {score} of 100: {} ({lo}–{hi})", level.label())
        >
            <span class="grip-susp-bar" aria-hidden="true">
                <span class=format!("grip-susp-fill w{}", suspicion_bar_step(score))></span>
            </span>
            <span class="grip-susp-num">{score}</span>
            <span class=badge>{level.label()}</span>
        </span>
    }
    .into_any()
}

/// Tags as chips whose tooltip is the tag's definition from GRIP's glossary.
pub(crate) fn tag_chips(tags: &[GripTag], refs: GripRefs) -> AnyView {
    if tags.is_empty() {
        return none_view();
    }
    let chips = tags
        .iter()
        .map(|t| {
            let name = t.name.clone();
            view! {
                <li class="grip-tag" title=move || refs.tag_title(&name)>
                    {t.to_string()}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="grip-tags">{chips}</ul> }.into_any()
}

/// Tag names (no values) as chips, e.g. traceroute-worthy tags.
pub(crate) fn tag_name_chips(names: &[String], refs: GripRefs) -> AnyView {
    let tags: Vec<GripTag> = names.iter().map(|n| GripTag { name: n.clone(), value: None }).collect();
    tag_chips(&tags, refs)
}

/// A UTC time with "3 h ago" under it.
pub(crate) fn time_view(ts: Option<Timestamp>) -> AnyView {
    let Some(ts) = ts else { return none_view() };
    view! {
        <span class="grip-time">{format_utc(ts)}</span>
        <span class="when-rel">{relative(ts, now())}</span>
    }
    .into_any()
}

/// yes / no / — with a badge; `no_class` styles "no" ("" for neutral, "warn" when no is bad news).
pub(crate) fn yes_no(value: Option<bool>, no_class: &'static str) -> AnyView {
    match value {
        Some(true) => view! { <span class="badge ok">"yes"</span> }.into_any(),
        Some(false) => view! { <span class=format!("badge {no_class}")>"no"</span> }.into_any(),
        None => none_view(),
    }
}

/// A number as GRIP sent it, without a trailing `.0`.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{}", (n * 10_000.0).round() / 10_000.0)
    }
}

/// A JSON value as plain text (strings without quotes).
pub(crate) fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".into(),
        other => other.to_string(),
    }
}

#[derive(Clone)]
struct InferenceRow {
    inference: GripInference,
    primary: bool,
}

/// Every inference, the primary one first and marked.
pub(crate) fn inference_table(inferences: &[GripInference], primary: Option<&GripInference>) -> AnyView {
    let mut rows: Vec<InferenceRow> =
        primary.map(|p| InferenceRow { inference: p.clone(), primary: true }).into_iter().collect();
    rows.extend(
        inferences
            .iter()
            .filter(|i| Some(*i) != primary)
            .map(|i| InferenceRow { inference: i.clone(), primary: false }),
    );
    let columns = vec![
        Column::new("Inference", |r: &InferenceRow| {
            let id = r.inference.inference_id.clone().unwrap_or_else(|| "(no id)".into());
            view! {
                <span class="mono">{id}</span>
                {r.primary.then(|| view! { " " <span class="badge info">"primary"</span> })}
            }
            .into_any()
        })
        .sort_by(|r: &InferenceRow| r.inference.inference_id.clone().map_or(SortKey::Missing, SortKey::Text)),
        Column::new("Suspicion", |r: &InferenceRow| suspicion_view(r.inference.suspicion_level))
            .sort_by(|r: &InferenceRow| r.inference.suspicion_level.map_or(SortKey::Missing, SortKey::Int)),
        Column::new("Confidence", |r: &InferenceRow| {
            r.inference.confidence.map_or_else(none_view, |c| number_text(c).into_any())
        })
        .numeric()
        .sort_by(|r: &InferenceRow| r.inference.confidence.map_or(SortKey::Missing, SortKey::Float)),
        Column::new("Explanation", |r: &InferenceRow| {
            r.inference.explanation.clone().map_or_else(none_view, |e| e.into_any())
        }),
        Column::new("Labels", |r: &InferenceRow| {
            if r.inference.labels.is_empty() {
                return none_view();
            }
            let labels = r
                .inference
                .labels
                .iter()
                .map(|l| view! { <li><span class="badge info">{l.clone()}</span></li> })
                .collect_view();
            view! { <ul class="grip-inline-list">{labels}</ul> }.into_any()
        }),
    ];
    view! {
        <DataTable
            rows=Arc::new(rows)
            columns
            caption="Inferences GRIP drew, the primary one first".to_string()
            empty="GRIP drew no inference."
        />
    }
    .into_any()
}
