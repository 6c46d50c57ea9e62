//! `/spamhaus`: is anything in this address or prefix listed, since when, and for what?

use super::listings::{load_account_limits, Listings, ListingsRun};
use super::signin::SessionPanel;
use super::token::{provide_session, CachedLimits};
use crate::api::page::format_count;
use crate::api::query::QueryParams;
use crate::api::spamhaus::{CidrMode, Dataset, ListingScope, SpamhausQuery};
use crate::api::time::{format_input, format_utc, parse_instant};
use crate::app::use_app;
use crate::heads::SPAMHAUS;
use crate::ui::field::Field;
use crate::ui::filters::FilterPanel;
use crate::ui::now;
use crate::ui::page_head::PageHead;
use crate::ui::url_state::{use_query_params, use_set_query};
use leptos::prelude::*;

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
    let run = ListingsRun::new(session, parsed.into());
    load_account_limits(session);

    let drafts = Drafts::new();
    drafts.load(&params.get_untracked());
    Effect::new(move |_| drafts.load(&params.get()));
    let draft_query = Memo::new(move |_| SpamhausQuery::from_params(&drafts.params(), now()));

    let prompt = Signal::derive(move || {
        parsed.with(|q| match q {
            Ok(q) if q.is_ready() => {
                Some("Sign in to run this query; it runs as soon as you are signed in.".to_string())
            }
            _ => Some("Sign in with your SIA account to search the listings.".to_string()),
        })
    });

    let filter_summary = Signal::derive(move || match parsed.get() {
        Ok(q) => q.summary(),
        Err(_) => "Some filters need a correction".to_string(),
    });
    let filter_error = Signal::derive(move || parsed.with(Result::is_err));

    let submit = {
        let set_query = set_query.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let raw = untrack(|| drafts.params());
            match SpamhausQuery::from_params(&raw, now()) {
                Ok(q) => {
                    let p = q.to_params();
                    let same = parsed.with_untracked(|cur| cur.as_ref().ok() == Some(&q));
                    run.confirm(q);
                    if same {
                        run.rerun();
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

    view! {
        <section class="spamhaus-page">
            <PageHead
                title=SPAMHAUS.title
                lead=SPAMHAUS.lead
            >
                <p class="actions">
                    <a href=app.href("/spamhaus/limits")>"Quota and limits"</a>
                </p>
            </PageHead>
            <crate::ui::notice::SameOriginNotice source=crate::api::Source::Spamhaus />
            <SessionPanel prompt=prompt on_signed_in=run.on_signed_in() on_signed_out=run.on_signed_out() />
            <FilterPanel summary=filter_summary has_error=filter_error>
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
            </FilterPanel>
            <Listings
                run=run
                session=session
                intro="Enter an IPv4 or IPv6 address, or a prefix up to a /24 (IPv6: /56), and choose Search. Each search counts against your account's monthly queries: one address costs 1, a /24 costs 8."
            />
        </section>
    }
}
