//! `/spamhaus/limits`: the account, its allowed datasets, its limits and the current counters.

use super::dash;
use super::signin::SessionPanel;
use super::token::{limits_answer, provide_session, use_clock, RateWait, RunCounter, SiaCall, SiaError};
use crate::api::error::FetchError;
use crate::api::page::format_count;
use crate::api::spamhaus::{limits_url, SpamhausLimits};
use crate::api::time::{format_utc, relative, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::heads::SPAMHAUS_LIMITS;
use crate::http::RequestSlot;
use crate::ui::error_panel::ErrorPanel;
use crate::ui::now;
use crate::ui::page_head::PageHead;
use crate::ui::table::{Column, DataTable};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
enum Outcome {
    SignIn,
    Loaded(SpamhausLimits, Timestamp),
    Failed(FetchError),
    Refused(String),
}

/// One counter against its limit.
struct Usage {
    window: &'static str,
    used: Option<u64>,
    limit: Option<u64>,
    /// The monthly soft limit (a warning e-mail when passed).
    soft: Option<u64>,
}

#[component]
pub fn SpamhausLimitsPage() -> impl IntoView {
    let app = use_app();
    let session = provide_session();
    let slot = RequestSlot::default();
    let runs = RunCounter::default();
    {
        let runs = runs.clone();
        on_cleanup(move || runs.cancel());
    }
    let nonce = RwSignal::new(0u32);
    let waiting_for_token = RwSignal::new(false);
    let rate_wait = RwSignal::new(None::<RateWait>);
    let second = use_clock(Duration::from_secs(1));

    let data = LocalResource::new(move || {
        nonce.track();
        let base = app.endpoints().base(Source::Spamhaus).clone();
        let (slot, runs) = (slot.clone(), runs.clone());
        async move {
            let guard = runs.begin();
            rate_wait.set(None);
            let call = SiaCall { session, base: &base, slot: &slot, guard: &guard, rate_wait };
            match call.get(&limits_url(&base), limits_answer).await {
                Ok(limits) => {
                    session.set_limits(limits.clone());
                    Outcome::Loaded(limits, now())
                }
                Err(SiaError::SignIn) => {
                    waiting_for_token.set(true);
                    Outcome::SignIn
                }
                Err(SiaError::Refused(m)) => Outcome::Refused(m),
                Err(SiaError::Fetch(e)) => Outcome::Failed(e),
            }
        }
    });
    let refresh = move || nonce.update(|n| *n += 1);
    let on_signed_in = Callback::new(move |_| {
        if waiting_for_token.get_untracked() {
            waiting_for_token.set(false);
            refresh();
        }
    });
    let on_signed_out = Callback::new(move |_| refresh());
    let prompt = Signal::derive(|| Some("Sign in with your SIA account to see its quota and limits.".to_string()));

    let pending = RwSignal::new(false);
    let results = move || {
        Suspend::new(async move {
            match data.await {
                Outcome::SignIn => view! {
                    <p class="notice awaiting-signin" data-testid="awaiting-signin">
                        "The limits load as soon as you sign in above."
                    </p>
                }
                .into_any(),
                Outcome::Failed(FetchError::Superseded) => ().into_any(),
                Outcome::Failed(e) => {
                    view! { <ErrorPanel error=e on_retry=Callback::new(move |_| refresh()) /> }.into_any()
                }
                Outcome::Refused(message) => view! {
                    <div class="error-panel" role="alert">
                        <p>{message}</p>
                    </div>
                }
                .into_any(),
                Outcome::Loaded(limits, fetched) => {
                    view! { <LimitsView limits=limits fetched=fetched on_refresh=Callback::new(move |_| refresh()) /> }
                        .into_any()
                }
            }
        })
    };

    view! {
        <section class="spamhaus-page spamhaus-limits">
            <PageHead
                title=SPAMHAUS_LIMITS.title
                lead=SPAMHAUS_LIMITS.lead
            >
                <p class="actions">
                    <a href=app.href("/spamhaus")>"Search listings"</a>
                </p>
            </PageHead>
            <SessionPanel prompt=prompt on_signed_in=on_signed_in on_signed_out=on_signed_out />
            {move || {
                rate_wait
                    .get()
                    .map(|w| {
                        let left = (w.until - second.get()).max(0);
                        view! {
                            <p class="notice rate-limit" role="status" data-testid="rate-limit">
                                "Spamhaus SIA is limiting this account's request rate (429 Too many requests). "
                                "Retrying automatically in "
                                <span class="countdown">{format!("{left} s")}</span>
                                "."
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

fn opt_text(v: Option<String>) -> AnyView {
    match v {
        Some(s) => s.into_any(),
        None => dash(),
    }
}

fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "unknown".to_string(), format_count)
}

#[component]
fn LimitsView(limits: SpamhausLimits, fetched: Timestamp, on_refresh: Callback<()>) -> impl IntoView {
    let t = now();
    let (account, l, c) = (limits.account.clone(), limits.limits.clone(), limits.current.clone());
    let datasets = if l.ads.is_empty() {
        dash()
    } else {
        l.ads.iter().map(|d| view! { <span class="badge info">{d.clone()}</span> " " }).collect_view().into_any()
    };
    let rows = Arc::new(vec![
        Usage { window: "This month", used: c.qpm, limit: l.qmh, soft: l.qms },
        Usage { window: "Today", used: c.qpd, limit: None, soft: None },
        Usage { window: "This hour", used: c.rl_qph, limit: l.rl_qph, soft: None },
        Usage { window: "This minute", used: c.rl_qpm, limit: l.rl_qpm, soft: None },
        Usage { window: "This second", used: c.rl_qps, limit: l.rl_qps, soft: None },
    ]);
    let columns = vec![
        Column::new("Window", |u: &Usage| u.window.into_any()),
        Column::new("Used", |u: &Usage| match (u.used, u.limit) {
            (Some(used), Some(limit)) if limit > 0 => view! {
                <progress
                    max=limit.to_string()
                    value=used.min(limit).to_string()
                    aria-label=format!("{}: {} of {}", u.window, used, limit)
                ></progress>
            }
            .into_any(),
            _ => dash(),
        }),
        Column::new("Counted", |u: &Usage| {
            let text = match (u.used, u.limit) {
                (used, Some(limit)) => format!("{} of {}", count(used), format_count(limit)),
                (used, None) => count(used),
            };
            let state = match (u.used, u.limit, u.soft) {
                (Some(used), Some(limit), _) if used >= limit => {
                    Some(view! { <span class="badge bad">"limit reached"</span> }.into_any())
                }
                (Some(used), _, Some(soft)) if used >= soft => {
                    Some(view! { <span class="badge warn">"over the soft limit"</span> }.into_any())
                }
                _ => None,
            };
            view! { <span class="usage-count">{text}</span> {state.map(|s| view! { " " {s} })} }.into_any()
        })
        .numeric(),
        Column::new("Limit", |u: &Usage| {
            let hard = u.limit.map(|h| format!("{} (hard)", format_count(h)));
            let soft = u.soft.map(|s| format!("{} (soft: a warning e-mail)", format_count(s)));
            match (hard, soft) {
                (None, None) => dash(),
                (h, s) => view! {
                    {h.map(|h| view! { <span class="sub-line">{h}</span> })}
                    {s.map(|s| view! { <span class="sub-line">{s}</span> })}
                }
                .into_any(),
            }
        }),
    ];
    let remaining = limits.remaining_this_month();
    view! {
        <div class="toolbar">
            <span class="count" data-testid="limits-fetched">
                {format!("As of {} ({})", format_utc(fetched), relative(fetched, t))}
            </span>
            <span class="actions">
                <button type="button" class="refresh" on:click=move |_| on_refresh.run(())>
                    "Refresh"
                </button>
            </span>
        </div>
        <h2>"Account"</h2>
        <dl class="facts account-facts" data-testid="account">
            <dt>"User"</dt>
            <dd>{opt_text(account.usr)}</dd>
            <dt>"Subscription"</dt>
            <dd>{opt_text(account.sub)}</dd>
            <dt>"Access level"</dt>
            <dd>{opt_text(l.trs.clone())}</dd>
            <dt>"Allowed datasets"</dt>
            <dd class="datasets">{datasets}</dd>
            <dt>"Left this month"</dt>
            <dd data-testid="remaining">{count(remaining)}</dd>
        </dl>
        <h2>"Limits and usage"</h2>
        <DataTable
            rows=rows
            columns=columns
            caption="Query counters against the account's limits".to_string()
            empty="The service sent no counters."
        />
    }
}
