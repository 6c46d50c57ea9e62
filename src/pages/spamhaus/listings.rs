//! Running a Spamhaus SIA listings query (every window, the cost rule, 429 waits, 401 → sign in again) and
//! showing its outcome: shared by the explorer (`/spamhaus`) and the entity pages' Spamhaus panel.

use super::token::{
    cached_answer, keep_answer, limits_answer, use_clock, CachedAnswer, CachedLimits, RateWait, RunCounter, SiaCall,
    SiaError, SiaSession,
};
use super::{asn_text, dash};
use crate::api::error::FetchError;
use crate::api::page::format_count;
use crate::api::query::FieldErrors;
use crate::api::spamhaus::{
    decode_records, limits_url, merge_records, Dataset, ListingScope, SpamhausQuery, SpamhausRecord,
    CONFIRM_COST_ABOVE, MAX_WINDOW_DAYS,
};
use crate::api::time::{format_utc, relative, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::http::RequestSlot;
use crate::ui::copy_link::CopyLink;
use crate::ui::error_panel::ErrorPanel;
use crate::ui::export::ExportButtons;
use crate::ui::now;
use crate::ui::table::{Column, DataTable, SortKey};
use leptos::prelude::*;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Records a compact view (an entity panel) shows; the explorer has them all.
const COMPACT_ROWS: usize = 10;

/// What the results area shows.
#[derive(Clone)]
pub enum Outcome {
    /// Nothing to run: `empty` when the query simply names no address yet (errors show at the fields).
    Idle {
        empty: bool,
    },
    /// Waiting for a sign-in; the query runs right after it.
    SignIn,
    /// A query costing more than `CONFIRM_COST_ABOVE` that the user did not ask for themselves (a link):
    /// runs only when confirmed.
    Confirm {
        query: SpamhausQuery,
        cost: u32,
    },
    Loaded {
        query: SpamhausQuery,
        answer: CachedAnswer,
        cached: bool,
    },
    Failed(FetchError),
    Refused(String),
}

/// One query's runs: the outcome, the 429 wait and the window progress, and the handles that run it again.
#[derive(Clone, Copy)]
pub struct ListingsRun {
    pub data: LocalResource<Outcome>,
    /// Bumped to run the query again (Run again, Retry, after a sign-in, a confirmation).
    nonce: RwSignal<u32>,
    /// The next run asks the service even when this tab kept the answer.
    fresh: StoredValue<bool>,
    /// The query the user asked for themselves (submitted or confirmed): it runs whatever it costs.
    confirmed: RwSignal<Option<SpamhausQuery>>,
    waiting_for_token: RwSignal<bool>,
    pub rate_wait: RwSignal<Option<RateWait>>,
    pub progress: RwSignal<Option<(usize, usize)>>,
}

impl ListingsRun {
    /// Runs `query` whenever it changes (and on the handles below). A query that is not ready or not valid
    /// runs nothing: its messages belong next to the fields that carry it.
    pub fn new(session: SiaSession, query: Signal<Result<SpamhausQuery, FieldErrors>>) -> ListingsRun {
        let app = use_app();
        let slot = RequestSlot::default();
        let runs = RunCounter::default();
        {
            let runs = runs.clone();
            on_cleanup(move || runs.cancel());
        }
        let nonce = RwSignal::new(0u32);
        let fresh = StoredValue::new(false);
        let confirmed = RwSignal::new(None::<SpamhausQuery>);
        let waiting_for_token = RwSignal::new(false);
        let rate_wait = RwSignal::new(None::<RateWait>);
        let progress = RwSignal::new(None::<(usize, usize)>);

        let data = LocalResource::new(move || {
            let q = query.get();
            nonce.track();
            let base = app.endpoints().base(Source::Spamhaus).clone();
            let (slot, runs) = (slot.clone(), runs.clone());
            async move {
                let q = match q {
                    Ok(q) if q.is_ready() => q,
                    Ok(_) => return Outcome::Idle { empty: true },
                    Err(_) => return Outcome::Idle { empty: false },
                };
                let guard = runs.begin();
                rate_wait.set(None);
                progress.set(None);
                let fresh_run = fresh.get_value();
                fresh.set_value(false);
                let key = q.to_params().to_query_string();
                if !fresh_run {
                    if let Some(answer) = cached_answer(&base, &key) {
                        return Outcome::Loaded { query: q, answer, cached: true };
                    }
                }
                if session.usable_token(now()).is_none() {
                    if session.token.get_untracked().is_some() {
                        session.expired.set(true);
                    }
                    waiting_for_token.set(true);
                    return Outcome::SignIn;
                }
                let cost = q.total_cost().unwrap_or(0);
                if cost > CONFIRM_COST_ABOVE && confirmed.get_untracked().as_ref() != Some(&q) {
                    return Outcome::Confirm { query: q, cost };
                }
                let call = SiaCall { session, base: &base, slot: &slot, guard: &guard, rate_wait };
                let urls = q.request_urls(&base);
                let total = urls.len();
                let mut batches = Vec::with_capacity(total);
                let mut capped = false;
                for (i, url) in urls.iter().enumerate() {
                    progress.set(Some((i + 1, total)));
                    match call.get(url, decode_records).await {
                        Ok(records) => {
                            capped |= records.len() >= q.limit as usize;
                            batches.push(records);
                        }
                        Err(e) => {
                            if guard.is_current() {
                                progress.set(None);
                                rate_wait.set(None);
                            }
                            return match e {
                                SiaError::SignIn => {
                                    waiting_for_token.set(true);
                                    Outcome::SignIn
                                }
                                SiaError::Refused(m) => Outcome::Refused(m),
                                SiaError::Fetch(e) => Outcome::Failed(e),
                            };
                        }
                    }
                }
                progress.set(None);
                session.spend(cost);
                let answer = CachedAnswer { records: Arc::new(merge_records(batches)), fetched: now(), capped };
                keep_answer(&base, &key, answer.clone());
                Outcome::Loaded { query: q, answer, cached: false }
            }
        });
        ListingsRun { data, nonce, fresh, confirmed, waiting_for_token, rate_wait, progress }
    }

    /// Runs the query again, asking the service even when this tab kept the answer.
    pub fn rerun(&self) {
        self.fresh.set_value(true);
        self.nonce.update(|n| *n += 1);
    }

    /// The user asked for `query` themselves: it runs whatever it costs.
    pub fn confirm(&self, query: SpamhausQuery) {
        self.confirmed.set(Some(query));
    }

    /// Confirms `query` and runs it now.
    fn run_confirmed(&self, query: SpamhausQuery) {
        self.confirmed.set(Some(query));
        self.nonce.update(|n| *n += 1);
    }

    /// For the sign-in panel: the query that waited for a token runs now.
    pub fn on_signed_in(&self) -> Callback<()> {
        let (waiting, nonce) = (self.waiting_for_token, self.nonce);
        Callback::new(move |_| {
            if waiting.get_untracked() {
                waiting.set(false);
                nonce.update(|n| *n += 1);
            }
        })
    }

    /// For the sign-in panel: after a sign-out the outcome goes back to "sign in".
    pub fn on_signed_out(&self) -> Callback<()> {
        let nonce = self.nonce;
        Callback::new(move |_| nonce.update(|n| *n += 1))
    }
}

/// Fetches the account's limits once per session (for the quota beside a cost), whichever page asks first.
pub fn load_account_limits(session: SiaSession) {
    let app = use_app();
    let limit_runs = RunCounter::default();
    let quiet_wait = RwSignal::new(None::<RateWait>);
    Effect::new(move |_| {
        session.token.track();
        if session.usable_token(now()).is_none() || !session.claim_limits_fetch() {
            return;
        }
        let base = untrack(|| app.endpoints().base(Source::Spamhaus).clone());
        let guard = limit_runs.begin();
        leptos::task::spawn_local(async move {
            let slot = RequestSlot::default();
            let call = SiaCall { session, base: &base, slot: &slot, guard: &guard, rate_wait: quiet_wait };
            if let Ok(limits) = call.get(&limits_url(&base), limits_answer).await {
                session.set_limits(limits);
            }
        });
    });
}

/// The outcome of a [`ListingsRun`]: the 429 countdown, the window progress, then the records (or why there
/// are none). `compact` (an entity panel) shows the newest records in fewer columns.
#[component]
pub fn Listings(
    run: ListingsRun,
    session: SiaSession,
    #[prop(optional)] compact: bool,
    /// Shown while the query names no address yet.
    #[prop(optional)]
    intro: Option<&'static str>,
) -> impl IntoView {
    let second = use_clock(Duration::from_secs(1));
    let pending = RwSignal::new(false);
    let rerun = Callback::new(move |_| run.rerun());
    let results = move || {
        Suspend::new(async move {
            match run.data.await {
                Outcome::Idle { empty: true } => {
                    intro.map(|text| view! { <p class="intro">{text}</p> }.into_any()).unwrap_or_else(|| ().into_any())
                }
                Outcome::Idle { empty: false } => ().into_any(),
                // A compact panel's sign-in prompt already says the lookup follows.
                Outcome::SignIn if compact => ().into_any(),
                Outcome::SignIn => view! {
                    <p class="notice awaiting-signin" data-testid="awaiting-signin">
                        "This query runs as soon as you sign in above."
                    </p>
                }
                .into_any(),
                Outcome::Confirm { query, cost } => {
                    let remaining = session.limits.get_untracked().as_ref().and_then(CachedLimits::remaining);
                    let plan = query.plan_label();
                    view! {
                        <div class="notice confirm-cost" data-testid="confirm-cost">
                            <p>
                                <strong>
                                    {format!("This link's query costs {} of your monthly queries", format_count(cost.into()))}
                                </strong>
                                {format!(" ({plan})")}
                                {remaining.map(|r| format!("; you have about {} left", format_count(r)))}
                                ". It runs only when you confirm."
                            </p>
                            <button type="button" class="primary" on:click=move |_| run.run_confirmed(query.clone())>
                                "Run this query"
                            </button>
                        </div>
                    }
                    .into_any()
                }
                Outcome::Failed(FetchError::Superseded) => ().into_any(),
                Outcome::Failed(e) => view! { <ErrorPanel error=e on_retry=rerun /> }.into_any(),
                Outcome::Refused(message) => view! {
                    <div class="error-panel" role="alert">
                        <p>{message}</p>
                    </div>
                }
                .into_any(),
                Outcome::Loaded { query, answer, cached } => {
                    view! { <Results query=query answer=answer cached=cached compact=compact on_run_again=rerun /> }
                        .into_any()
                }
            }
        })
    };
    view! {
        {move || {
            run.rate_wait
                .get()
                .map(|w| {
                    let left = (w.until - second.get()).max(0);
                    view! {
                        <p class="notice rate-limit" role="status" data-testid="rate-limit">
                            "Spamhaus SIA is limiting this account's request rate (429 Too many requests"
                            {w.message.map(|m| format!(": “{m}”"))}
                            "). Retrying automatically in "
                            <span class="countdown">{format!("{left} s")}</span>
                            "."
                        </p>
                    }
                })
        }}
        {move || {
            run.progress
                .get()
                .filter(|(_, n)| *n > 1)
                .map(|(i, n)| {
                    view! {
                        <p class="progress-note" role="status">
                            {format!("Request {i} of {n} ({MAX_WINDOW_DAYS}-day windows)…")}
                        </p>
                    }
                })
        }}
        <div class="results" class:is-loading=move || pending.get() class:compact=compact>
            {move || pending.get().then(|| view! { <div class="loading-bar" role="progressbar" aria-label="Loading"></div> })}
            <Transition fallback=|| view! { <p class="loading-note">"Loading…"</p> } set_pending=pending>
                {results}
            </Transition>
        </div>
    }
}

#[component]
fn Results(
    query: SpamhausQuery,
    answer: CachedAnswer,
    cached: bool,
    compact: bool,
    on_run_again: Callback<()>,
) -> impl IntoView {
    let t = now();
    let scope = query.scope;
    let records = answer.records.clone();
    let live = records.iter().filter(|r| listed_now(r, scope, t)).count();
    let n = records.len();
    let count = format!(
        "{} record{}, {} still listed",
        format_count(n as u64),
        if n == 1 { "" } else { "s" },
        format_count(live as u64)
    );
    let net = query.network().map(|n| n.to_string()).unwrap_or_default();
    let where_ = match query.dataset {
        Dataset::All => "in any dataset".to_string(),
        d => format!("on {}", d.as_str()),
    };
    let empty = match (scope, query.since, query.until) {
        (ListingScope::History, Some(s), Some(u)) => {
            format!("Nothing listed: no record {where_} for {net} between {} and {}.", format_utc(s), format_utc(u))
        }
        _ => format!("Nothing listed: no live listing {where_} for {net}."),
    };
    let caption = format!("Spamhaus SIA records for {net}");
    let fetched = if cached {
        format!("Kept in this tab from {}: Run again asks Spamhaus SIA again.", relative(answer.fetched, t))
    } else {
        format!("Fetched {}.", relative(answer.fetched, t))
    };
    let capped = answer.capped.then(|| {
        view! {
            <p class="notice capped">
                {format!(
                    "A request returned {} records, its limit: there may be more. Narrow the prefix or the window, or raise the limit (at most 2000).",
                    query.limit,
                )}
            </p>
        }
    });
    let run_again = view! {
        <button type="button" class="run-again" on:click=move |_| on_run_again.run(())>
            "Run again"
        </button>
    };
    if compact {
        // The newest listings first; the explorer link beside the panel has every record and column.
        let mut newest: Vec<SpamhausRecord> = records.iter().cloned().collect();
        newest.sort_by_key(|r| std::cmp::Reverse(r.listed));
        let shown = newest.len().min(COMPACT_ROWS);
        newest.truncate(COMPACT_ROWS);
        let more = (n > shown).then(|| format!("The {shown} most recently listed; the explorer shows all {n}."));
        return view! {
            <div class="toolbar">
                <span class="count" data-testid="count">{count}</span>
                <span class="actions">{run_again}</span>
            </div>
            <p class="result-meta" data-testid="result-meta">{fetched}" "{more}</p>
            {capped}
            <DataTable rows=Arc::new(newest) columns=compact_columns(scope, t) caption=caption empty=empty />
        }
        .into_any();
    }
    view! {
        <div class="toolbar">
            <span class="count" data-testid="count">{count}</span>
            <span class="actions">
                <ExportButtons rows=records.clone() source_key="spamhaus" />
                <CopyLink />
                {run_again}
            </span>
        </div>
        <p class="result-meta" data-testid="result-meta">
            {format!("{net}, {} {} {}, {}. ", query.dataset.as_str(), query.mode.as_str(), scope.as_str(), query.plan_label())}
            {fetched}
        </p>
        {capped}
        <DataTable rows=records columns=columns(scope, t) caption=caption empty=empty />
    }
    .into_any()
}

/// Whether the record is a current listing: `valid_until` in the future; without one, a `live` answer only holds
/// current listings.
fn listed_now(r: &SpamhausRecord, scope: ListingScope, t: Timestamp) -> bool {
    match r.valid_until {
        Some(_) => r.is_live(t),
        None => scope == ListingScope::Live,
    }
}

fn text(v: Option<&str>) -> AnyView {
    match v {
        Some(s) => s.to_string().into_any(),
        None => dash(),
    }
}

fn mono(v: Option<&str>) -> AnyView {
    match v {
        Some(s) => view! { <span class="mono">{s.to_string()}</span> }.into_any(),
        None => dash(),
    }
}

fn when(ts: Option<Timestamp>, t: Timestamp) -> AnyView {
    match ts {
        Some(ts) => view! {
            <span class="when">{format_utc(ts)}</span>
            <span class="when-rel">{relative(ts, t)}</span>
        }
        .into_any(),
        None => dash(),
    }
}

fn time_key(ts: Option<Timestamp>) -> SortKey {
    ts.map_or(SortKey::Missing, SortKey::Int)
}

fn text_key(v: Option<&str>) -> SortKey {
    v.map_or(SortKey::Missing, |s| SortKey::Text(s.to_string()))
}

/// Addresses sort numerically, IPv4 before IPv6.
fn ip_key(v: Option<&str>) -> SortKey {
    match v.and_then(|s| s.trim().parse::<IpAddr>().ok()) {
        Some(IpAddr::V4(a)) => SortKey::Text(format!("4{:08x}", u32::from(a))),
        Some(IpAddr::V6(a)) => SortKey::Text(format!("6{:032x}", u128::from(a))),
        None => text_key(v),
    }
}

fn sub(line: Option<String>) -> Option<AnyView> {
    line.map(|l| view! { <span class="sub">{l}</span> }.into_any())
}

fn status_column(scope: ListingScope, t: Timestamp) -> Column<SpamhausRecord> {
    Column::new("Status", move |r: &SpamhausRecord| {
        if listed_now(r, scope, t) {
            view! { <span class="badge bad">"listed"</span> }.into_any()
        } else {
            view! { <span class="badge neutral">"expired"</span> }.into_any()
        }
    })
    .sort_by(move |r| SortKey::Int(i64::from(listed_now(r, scope, t))))
}

fn dataset_column() -> Column<SpamhausRecord> {
    Column::new("Dataset", |r: &SpamhausRecord| text(r.dataset.as_deref())).sort_by(|r| text_key(r.dataset.as_deref()))
}

fn address_column() -> Column<SpamhausRecord> {
    Column::new("Address", |r: &SpamhausRecord| match r.ipaddress.as_deref() {
        Some(a) => crate::ui::pivot::prefix_link(a),
        None => mono(None),
    })
    .sort_by(|r| ip_key(r.ipaddress.as_deref()))
}

fn listed_column(t: Timestamp) -> Column<SpamhausRecord> {
    Column::new("Listed", move |r: &SpamhausRecord| when(r.listed, t)).sort_by(|r| time_key(r.listed))
}

fn valid_until_column(t: Timestamp) -> Column<SpamhausRecord> {
    Column::new("Valid until", move |r: &SpamhausRecord| when(r.valid_until, t)).sort_by(|r| time_key(r.valid_until))
}

fn bot_column() -> Column<SpamhausRecord> {
    Column::new("Bot", |r: &SpamhausRecord| {
        if r.botname.is_none() && r.botname_malpedia.is_none() && r.malware_family.is_none() {
            return dash();
        }
        view! {
            {r.botname.clone()}
            {sub(r.botname_malpedia.as_ref().map(|m| format!("Malpedia: {m}")))}
            {sub(r.malware_family.as_ref().map(|m| format!("malware family: {m}")))}
        }
        .into_any()
    })
    .sort_by(|r| text_key(r.botname.as_deref().or(r.botname_malpedia.as_deref())))
}

/// A time as "7 h ago" with the UTC time on hover: a panel has no room for both.
fn when_short(ts: Option<Timestamp>, t: Timestamp) -> AnyView {
    match ts {
        Some(ts) => view! { <span class="when-rel" title=format_utc(ts)>{relative(ts, t)}</span> }.into_any(),
        None => dash(),
    }
}

/// An entity panel's columns: what is listed, since when, until when, and why.
fn compact_columns(scope: ListingScope, t: Timestamp) -> Vec<Column<SpamhausRecord>> {
    vec![
        status_column(scope, t),
        dataset_column(),
        address_column(),
        Column::new("Listed", move |r: &SpamhausRecord| when_short(r.listed, t)).sort_by(|r| time_key(r.listed)),
        Column::new("Until", move |r: &SpamhausRecord| when_short(r.valid_until, t))
            .sort_by(|r| time_key(r.valid_until)),
        Column::new("Detection", |r: &SpamhausRecord| text(r.detection.as_deref().or(r.heuristic.as_deref())))
            .sort_by(|r| text_key(r.detection.as_deref().or(r.heuristic.as_deref()))),
    ]
}

fn columns(scope: ListingScope, t: Timestamp) -> Vec<Column<SpamhausRecord>> {
    vec![
        status_column(scope, t),
        dataset_column(),
        address_column(),
        Column::new("ASN", asn_text)
            .sort_by(|r| r.asn_number().map_or(SortKey::Missing, |n| SortKey::Int(i64::from(n)))),
        Column::new("Country", |r: &SpamhausRecord| match r.cc.as_deref() {
            Some(c) => crate::ui::pivot::country_link(c, c.to_string()),
            None => text(None),
        })
        .sort_by(|r| text_key(r.cc.as_deref())),
        listed_column(t),
        Column::new("Seen", move |r: &SpamhausRecord| when(r.seen, t)).sort_by(|r| time_key(r.seen)),
        valid_until_column(t),
        Column::new("Detection", |r: &SpamhausRecord| text(r.detection.as_deref()))
            .sort_by(|r| text_key(r.detection.as_deref())),
        Column::new("Heuristic", |r: &SpamhausRecord| text(r.heuristic.as_deref()))
            .sort_by(|r| text_key(r.heuristic.as_deref())),
        bot_column(),
        Column::new("Dest. port", |r: &SpamhausRecord| match (r.dstport, r.protocol_label()) {
            (None, None) => dash(),
            (port, proto) => {
                let port = port.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
                proto.map_or(port.clone(), |p| format!("{port}/{p}")).into_any()
            }
        })
        .numeric()
        .sort_by(|r| r.dstport.map_or(SortKey::Missing, |p| SortKey::Int(i64::from(p)))),
        Column::new("Dest. IP", |r: &SpamhausRecord| mono(r.dstip.as_deref())).sort_by(|r| ip_key(r.dstip.as_deref())),
        Column::new("Source IP", |r: &SpamhausRecord| {
            if r.srcip.is_none() && r.srcport.is_none() {
                return dash();
            }
            view! {
                <span class="mono">{r.srcip.clone()}</span>
                {sub(r.srcport.map(|p| format!("port {p}")))}
            }
            .into_any()
        })
        .sort_by(|r| ip_key(r.srcip.as_deref())),
        Column::new("HELO", |r: &SpamhausRecord| mono(r.helo.as_deref())).sort_by(|r| text_key(r.helo.as_deref())),
        Column::new("Subject", |r: &SpamhausRecord| text(r.subject.as_deref()))
            .sort_by(|r| text_key(r.subject.as_deref())),
        Column::new("Rule", |r: &SpamhausRecord| mono(r.rule.as_deref())).sort_by(|r| text_key(r.rule.as_deref())),
        Column::new("Flags", |r: &SpamhausRecord| {
            let flag = |name: &str, v: Option<bool>| v.map(|v| format!("{name}: {}", if v { "yes" } else { "no" }));
            let lines: Vec<String> =
                [flag("abused", r.abused), flag("shared", r.shared)].into_iter().flatten().collect();
            if lines.is_empty() {
                return dash();
            }
            lines.into_iter().map(|l| view! { <span class="sub-line">{l}</span> }).collect_view().into_any()
        }),
        Column::new("Domain", |r: &SpamhausRecord| mono(r.domain.as_deref()))
            .sort_by(|r| text_key(r.domain.as_deref())),
        Column::new("Lat/lon", |r: &SpamhausRecord| match (r.lat, r.lon) {
            (Some(lat), Some(lon)) => format!("{lat:.4}, {lon:.4}").into_any(),
            (Some(lat), None) => format!("{lat:.4}, ?").into_any(),
            (None, Some(lon)) => format!("?, {lon:.4}").into_any(),
            (None, None) => dash(),
        })
        .numeric(),
    ]
}
