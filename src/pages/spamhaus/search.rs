//! `/spamhaus`: is anything in this address or prefix listed, since when, and for what?

use super::signin::SessionPanel;
use super::token::{
    cached_answer, keep_answer, limits_answer, provide_session, use_clock, CachedAnswer, CachedLimits, RateWait,
    RunCounter, SiaCall, SiaError,
};
use super::{asn_text, dash};
use crate::api::error::FetchError;
use crate::api::page::format_count;
use crate::api::query::QueryParams;
use crate::api::spamhaus::{
    decode_records, limits_url, merge_records, CidrMode, Dataset, ListingScope, SpamhausQuery, SpamhausRecord,
    CONFIRM_COST_ABOVE,
};
use crate::api::time::{format_input, format_utc, parse_instant, relative, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::http::RequestSlot;
use crate::ui::copy_link::CopyLink;
use crate::ui::error_panel::ErrorPanel;
use crate::ui::export::ExportButtons;
use crate::ui::field::Field;
use crate::ui::now;
use crate::ui::table::{Column, DataTable, SortKey};
use crate::ui::url_state::{use_query_params, use_set_query};
use leptos::prelude::*;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// What the results area shows.
#[derive(Clone)]
enum Outcome {
    /// Nothing to run: `empty` when the form simply names no address yet (errors show at the fields).
    Idle {
        empty: bool,
    },
    /// Waiting for a sign-in; the query runs right after it.
    SignIn,
    /// A link whose plan costs more than `CONFIRM_COST_ABOVE`: runs only when confirmed.
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

/// The form's fields as typed (drafts); the URL stays the source of truth and refills them.
#[derive(Clone, Copy)]
struct Drafts {
    dataset: RwSignal<String>,
    mode: RwSignal<String>,
    scope: RwSignal<String>,
    ip: RwSignal<String>,
    mask: RwSignal<String>,
    limit: RwSignal<String>,
    since: RwSignal<String>,
    until: RwSignal<String>,
}

impl Drafts {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Drafts { dataset: s(), mode: s(), scope: s(), ip: s(), mask: s(), limit: s(), since: s(), until: s() }
    }

    fn fields(&self) -> [(&'static str, RwSignal<String>); 8] {
        [
            ("dataset", self.dataset),
            ("mode", self.mode),
            ("type", self.scope),
            ("ip", self.ip),
            ("mask", self.mask),
            ("limit", self.limit),
            ("since", self.since),
            ("until", self.until),
        ]
    }

    fn load(&self, p: &QueryParams) {
        let raw = |k: &str| p.get(k).unwrap_or_default().to_string();
        self.dataset.set(p.get("dataset").unwrap_or(Dataset::All.as_str()).to_ascii_uppercase());
        self.mode.set(p.get("mode").unwrap_or(CidrMode::Listed.as_str()).to_ascii_lowercase());
        self.scope.set(p.get("type").unwrap_or(ListingScope::Live.as_str()).to_ascii_lowercase());
        self.ip.set(raw("ip"));
        self.mask.set(raw("mask"));
        self.limit.set(raw("limit"));
        // datetime-local inputs show minutes in UTC; a value they cannot hold stays in the URL (and its message).
        let time = |k: &str| p.get(k).and_then(|v| parse_instant(v).ok()).map(format_input).unwrap_or_default();
        self.since.set(time("since"));
        self.until.set(time("until"));
    }

    /// The typed values as URL parameters (blank fields left out). Tracked.
    fn params(&self) -> QueryParams {
        let mut p = QueryParams::new();
        for (key, sig) in self.fields() {
            let v = sig.get();
            if !v.trim().is_empty() {
                p.push(key, v.trim());
            }
        }
        p
    }
}

#[component]
pub fn SpamhausSearch() -> impl IntoView {
    let app = use_app();
    let session = provide_session();
    let params = use_query_params();
    let parsed = Memo::new(move |_| SpamhausQuery::from_params(&params.get(), now()));
    let set_query = use_set_query("/spamhaus");
    let slot = RequestSlot::default();
    let runs = RunCounter::default();
    {
        let runs = runs.clone();
        on_cleanup(move || runs.cancel());
    }
    // Bumped to run the query again (Run again, Retry, after a sign-in, a confirmation).
    let nonce = RwSignal::new(0u32);
    // The next run asks the service even when this tab kept the answer.
    let fresh = StoredValue::new(false);
    // The query the user asked for themselves (submitted or confirmed): it runs whatever it costs.
    let confirmed = RwSignal::new(None::<SpamhausQuery>);
    let waiting_for_token = RwSignal::new(false);
    let rate_wait = RwSignal::new(None::<RateWait>);
    let progress = RwSignal::new(None::<(usize, usize)>);
    let second = use_clock(Duration::from_secs(1));
    let rerun = move || {
        fresh.set_value(true);
        nonce.update(|n| *n += 1);
    };

    let drafts = Drafts::new();
    drafts.load(&params.get_untracked());
    Effect::new(move |_| drafts.load(&params.get()));
    let draft_query = Memo::new(move |_| SpamhausQuery::from_params(&drafts.params(), now()));

    let data = LocalResource::new(move || {
        let q = parsed.get();
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

    // The account's limits, once per session (for the quota beside the cost).
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

    let on_signed_in = Callback::new(move |_| {
        if waiting_for_token.get_untracked() {
            waiting_for_token.set(false);
            nonce.update(|n| *n += 1);
        }
    });
    let on_signed_out = Callback::new(move |_| nonce.update(|n| *n += 1));
    let prompt = Signal::derive(move || {
        parsed.with(|q| match q {
            Ok(q) if q.is_ready() => {
                Some("Sign in to run this query; it runs as soon as you are signed in.".to_string())
            }
            _ => Some("Sign in with your SIA account to search the listings.".to_string()),
        })
    });

    let submit = {
        let set_query = set_query.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let raw = untrack(|| drafts.params());
            match SpamhausQuery::from_params(&raw, now()) {
                Ok(q) => {
                    let p = q.to_params();
                    let same = parsed.with_untracked(|cur| cur.as_ref().ok() == Some(&q));
                    confirmed.set(Some(q));
                    if same {
                        rerun();
                    }
                    if p != params.get_untracked() {
                        set_query(&p);
                    }
                }
                Err(_) => set_query(&raw),
            }
        }
    };

    let err = move |key: &'static str| {
        Signal::derive(move || parsed.with(|q| q.as_ref().err().and_then(|e| e.for_field(key).map(str::to_string))))
    };

    let cost_line = move || {
        let q = draft_query.get().ok()?;
        let cost = q.total_cost()?;
        let cached = session.limits.get();
        let remaining = cached.as_ref().and_then(CachedLimits::remaining);
        let allowed = cached.as_ref().is_none_or(|c| c.limits.allows(q.dataset));
        let plan = (q.request_count() > 1).then(|| format!(" ({})", q.plan_label()));
        let window = match (q.scope, q.since, q.until) {
            (ListingScope::History, Some(s), Some(u)) => {
                Some(format!(" Window: {} to {}.", format_utc(s), format_utc(u)))
            }
            _ => None,
        };
        let quota = match remaining {
            Some(r) => format!("; about {} left this month.", format_count(r)),
            None => ".".to_string(),
        };
        let over = remaining.is_some_and(|r| u64::from(cost) > r);
        Some(view! {
            <p class="cost" data-testid="cost" aria-live="polite">
                {format!("This query costs {} of your monthly queries", format_count(cost.into()))}
                {plan}
                {quota}
                {window}
                {over.then(|| view! { " " <span class="badge warn">"more than you have left"</span> })}
                {(!allowed)
                    .then(|| {
                        view! {
                            " "
                            <span class="badge warn">
                                {format!("your account may not query {}", q.dataset.as_str())}
                            </span>
                        }
                    })}
            </p>
        })
    };

    let select_options = |values: Vec<(&'static str, &'static str)>, draft: RwSignal<String>| {
        values
            .into_iter()
            .map(|(value, label)| {
                view! {
                    <option value=value prop:selected=move || draft.with(|d| d == value)>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let dataset_hint = move || {
        let d = drafts.dataset.get();
        Dataset::ALL.into_iter().find(|x| x.as_str() == d).map(Dataset::description)
    };

    let pending = RwSignal::new(false);
    let results = move || {
        Suspend::new(async move {
            match data.await {
                Outcome::Idle { empty: true } => view! {
                    <p class="intro">
                        "Enter an IPv4 or IPv6 address, or a prefix up to a /24 (IPv6: /56), and choose Search. "
                        "Each search counts against your account's monthly queries: one address costs 1, a /24 costs 8."
                    </p>
                }
                .into_any(),
                Outcome::Idle { empty: false } => ().into_any(),
                Outcome::SignIn => view! {
                    <p class="notice awaiting-signin" data-testid="awaiting-signin">
                        "This query runs as soon as you sign in above."
                    </p>
                }
                .into_any(),
                Outcome::Confirm { query, cost } => {
                    let remaining = session.limits.get_untracked().as_ref().and_then(CachedLimits::remaining);
                    let plan = query.plan_label();
                    let run = move |_| {
                        confirmed.set(Some(query.clone()));
                        nonce.update(|n| *n += 1);
                    };
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
                            <button type="button" class="primary" on:click=run>
                                "Run this query"
                            </button>
                        </div>
                    }
                    .into_any()
                }
                Outcome::Failed(FetchError::Superseded) => ().into_any(),
                Outcome::Failed(e) => view! { <ErrorPanel error=e on_retry=Callback::new(move |_| rerun()) /> }.into_any(),
                Outcome::Refused(message) => view! {
                    <div class="error-panel" role="alert">
                        <p>{message}</p>
                    </div>
                }
                .into_any(),
                Outcome::Loaded { query, answer, cached } => {
                    view! { <Results query=query answer=answer cached=cached on_run_again=Callback::new(move |_| rerun()) /> }
                        .into_any()
                }
            }
        })
    };

    view! {
        <section class="spamhaus-page">
            <div class="page-head">
                <div>
                    <h1>"Spamhaus SIA listings"</h1>
                    <p class="lead">
                        "Is anything in an address or prefix listed on XBL, CSS or BCL, since when, and why? "
                        "Queries run with your own SIA account and count against its quota."
                    </p>
                </div>
                <p class="actions">
                    <a href=app.href("/spamhaus/limits")>"Quota and limits"</a>
                </p>
            </div>
            <SessionPanel prompt=prompt on_signed_in=on_signed_in on_signed_out=on_signed_out />
            <form class="query-form spamhaus-form" novalidate on:submit=submit>
                <Field id="dataset" label="Dataset" error=err("dataset")>
                    <select
                        id="dataset"
                        name="dataset"
                        on:change=move |ev| drafts.dataset.set(event_target_value(&ev))
                    >
                        {select_options(
                            Dataset::ALL.into_iter().map(|d| (d.as_str(), d.as_str())).collect(),
                            drafts.dataset,
                        )}
                    </select>
                    <span class="field-hint">{dataset_hint}</span>
                </Field>
                <Field id="mode" label="Search" error=err("mode")>
                    <select id="mode" name="mode" on:change=move |ev| drafts.mode.set(event_target_value(&ev))>
                        {select_options(
                            vec![("listed", "listed: records within the prefix"), ("listings", "listings: listings containing it")],
                            drafts.mode,
                        )}
                    </select>
                </Field>
                <Field id="type" label="Type" error=err("type")>
                    <select id="type" name="type" on:change=move |ev| drafts.scope.set(event_target_value(&ev))>
                        {select_options(
                            vec![("live", "live: still listed"), ("history", "history: expired too")],
                            drafts.scope,
                        )}
                    </select>
                </Field>
                <Field id="ip" label="Address or prefix" error=err("ip")>
                    <input
                        id="ip"
                        name="ip"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="45.150.206.0/24"
                        prop:value=move || drafts.ip.get()
                        on:input=move |ev| drafts.ip.set(event_target_value(&ev))
                    />
                </Field>
                <Field id="mask" label="Mask" error=err("mask") hint="IPv4 24–32, IPv6 56–128">
                    <input
                        id="mask"
                        name="mask"
                        type="number"
                        min="24"
                        max="128"
                        placeholder="32 / 64"
                        prop:value=move || drafts.mask.get()
                        on:input=move |ev| drafts.mask.set(event_target_value(&ev))
                    />
                </Field>
                <Field id="limit" label="Limit" error=err("limit") hint="1–2000 per request">
                    <input
                        id="limit"
                        name="limit"
                        type="number"
                        min="1"
                        max="2000"
                        placeholder="500"
                        prop:value=move || drafts.limit.get()
                        on:input=move |ev| drafts.limit.set(event_target_value(&ev))
                    />
                </Field>
                <Field id="since" label="Since (UTC)" error=err("since") hint="Empty: service default">
                    <input
                        id="since"
                        name="since"
                        type="datetime-local"
                        prop:value=move || drafts.since.get()
                        on:input=move |ev| drafts.since.set(event_target_value(&ev))
                    />
                </Field>
                <Field id="until" label="Until (UTC)" error=err("until") hint="Empty: now">
                    <input
                        id="until"
                        name="until"
                        type="datetime-local"
                        prop:value=move || drafts.until.get()
                        on:input=move |ev| drafts.until.set(event_target_value(&ev))
                    />
                </Field>
                <div class="form-actions">
                    <button type="submit" class="primary">
                        "Search"
                    </button>
                </div>
                {cost_line}
            </form>
            {move || {
                rate_wait
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
                progress
                    .get()
                    .filter(|(_, n)| *n > 1)
                    .map(|(i, n)| {
                        view! {
                            <p class="progress-note" role="status">
                                {format!("Request {i} of {n} (12-month windows)…")}
                            </p>
                        }
                    })
            }}
            <div class="results" class:is-loading=move || pending.get()>
                {move || pending.get().then(|| view! { <div class="loading-bar" role="progressbar" aria-label="Loading"></div> })}
                <Transition fallback=|| view! { <p class="loading-note">"Loading…"</p> } set_pending=pending>
                    {results}
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn Results(query: SpamhausQuery, answer: CachedAnswer, cached: bool, on_run_again: Callback<()>) -> impl IntoView {
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
    view! {
        <div class="toolbar">
            <span class="count" data-testid="count">{count}</span>
            <span class="actions">
                <ExportButtons rows=records.clone() source_key="spamhaus" />
                <CopyLink />
                <button type="button" class="run-again" on:click=move |_| on_run_again.run(())>
                    "Run again"
                </button>
            </span>
        </div>
        <p class="result-meta" data-testid="result-meta">
            {format!("{net}, {} {} {}, {}. ", query.dataset.as_str(), query.mode.as_str(), scope.as_str(), query.plan_label())}
            {fetched}
        </p>
        {answer
            .capped
            .then(|| {
                view! {
                    <p class="notice capped">
                        {format!(
                            "A request returned {} records, its limit: there may be more. Narrow the prefix or the window, or raise the limit (at most 2000).",
                            query.limit,
                        )}
                    </p>
                }
            })}
        <DataTable rows=records columns=columns(scope, t) caption=caption empty=empty />
    }
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

fn columns(scope: ListingScope, t: Timestamp) -> Vec<Column<SpamhausRecord>> {
    vec![
        Column::new("Status", move |r: &SpamhausRecord| {
            if listed_now(r, scope, t) {
                view! { <span class="badge bad">"listed"</span> }.into_any()
            } else {
                view! { <span class="badge neutral">"expired"</span> }.into_any()
            }
        })
        .sort_by(move |r| SortKey::Int(i64::from(listed_now(r, scope, t)))),
        Column::new("Dataset", |r: &SpamhausRecord| text(r.dataset.as_deref()))
            .sort_by(|r| text_key(r.dataset.as_deref())),
        Column::new("Address", |r: &SpamhausRecord| match r.ipaddress.as_deref() {
            Some(a) => crate::ui::pivot::prefix_link(a),
            None => mono(None),
        })
        .sort_by(|r| ip_key(r.ipaddress.as_deref())),
        Column::new("ASN", asn_text)
            .sort_by(|r| r.asn_number().map_or(SortKey::Missing, |n| SortKey::Int(i64::from(n)))),
        Column::new("Country", |r: &SpamhausRecord| match r.cc.as_deref() {
            Some(c) => crate::ui::pivot::country_link(c, c.to_string()),
            None => text(None),
        })
        .sort_by(|r| text_key(r.cc.as_deref())),
        Column::new("Listed", move |r: &SpamhausRecord| when(r.listed, t)).sort_by(|r| time_key(r.listed)),
        Column::new("Seen", move |r: &SpamhausRecord| when(r.seen, t)).sort_by(|r| time_key(r.seen)),
        Column::new("Valid until", move |r: &SpamhausRecord| when(r.valid_until, t))
            .sort_by(|r| time_key(r.valid_until)),
        Column::new("Detection", |r: &SpamhausRecord| text(r.detection.as_deref()))
            .sort_by(|r| text_key(r.detection.as_deref())),
        Column::new("Heuristic", |r: &SpamhausRecord| text(r.heuristic.as_deref()))
            .sort_by(|r| text_key(r.heuristic.as_deref())),
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
        .sort_by(|r| text_key(r.botname.as_deref().or(r.botname_malpedia.as_deref()))),
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
