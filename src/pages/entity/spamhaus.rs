//! The entity pages' Spamhaus SIA panel: the listings of the page's own CIDR (prefix and address pages), or of
//! prefixes the user enters on an AS page (`sh=` in the page URL), with the sign-in panel inline. It runs the
//! explorer's own query runner and result view (`pages::spamhaus::listings`).

use super::timeline;
use crate::api::error::FetchError;
use crate::api::query::{FieldErrors, QueryParams};
use crate::api::spamhaus::{fits_one_query, SpamhausQuery};
use crate::api::timeline::{spamhaus_marks, LaneFeed};
use crate::api::Source;
use crate::app::use_app;
use crate::pages::spamhaus::listings::{load_account_limits, Listings, ListingsRun, Outcome};
use crate::pages::spamhaus::signin::SessionPanel;
use crate::pages::spamhaus::token::{provide_session, SiaSession};
use crate::ui::field::Field;
use crate::ui::now;
use crate::ui::url_state::use_query_params;
use ipnet::IpNet;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The URL key of the prefix typed on an AS page.
const PREFIX_KEY: &str = "sh";
/// Suggestion chips shown at most.
const MAX_SUGGESTIONS: usize = 8;

fn explorer_link(query: Signal<Result<SpamhausQuery, FieldErrors>>) -> impl IntoView {
    let app = use_app();
    move || {
        let suffix = query.with(|q| q.as_ref().ok().filter(|q| q.is_ready()).map(|q| q.to_params().to_suffix()));
        let label = if suffix.is_some() { "Open in the Spamhaus explorer" } else { "Open the Spamhaus explorer" };
        let href = app.href("/spamhaus") + &suffix.unwrap_or_default();
        view! { <p class="explorer-link"><a href=href>{label}</a></p> }
    }
}

/// What the page's timeline shows for the run's outcome: the listings, or what the user can do to get them.
fn feed_timeline(run: ListingsRun, idle: &'static str) {
    Effect::new(move |_| {
        let value = match run.data.get() {
            None | Some(Outcome::Failed(FetchError::Superseded)) => LaneFeed::Loading,
            Some(Outcome::Idle { .. }) => LaneFeed::Unavailable(idle.to_string()),
            Some(Outcome::SignIn) => LaneFeed::Unavailable(
                "Sign in to Spamhaus SIA in its panel below to see listings here (the token stays in this tab).".into(),
            ),
            Some(Outcome::Confirm { .. }) => {
                LaneFeed::Unavailable("The lookup waits for your confirmation in the Spamhaus panel below.".into())
            }
            Some(Outcome::Failed(e)) => LaneFeed::Unavailable(format!("Spamhaus SIA could not be loaded: {e}")),
            Some(Outcome::Refused(m)) => LaneFeed::Unavailable(m),
            Some(Outcome::Loaded { query, answer, .. }) => {
                let path = format!("/spamhaus{}", query.to_params().to_suffix());
                let covers = match query.network() {
                    Some(net) => format!("listings of {net}"),
                    None => "the looked-up listings".to_string(),
                };
                LaneFeed::Ready { marks: spamhaus_marks(&answer.records, &path, now()), covers }
            }
        };
        timeline::feed(Source::Spamhaus, value);
    });
}

/// The sign-in panel (or the signed-in line) and the listings of `query`.
fn listings_body(session: SiaSession, run: ListingsRun, prompt: &'static str) -> impl IntoView {
    let prompt = Signal::derive(move || Some(prompt.to_string()));
    view! {
        <div class="entity-signin">
            <SessionPanel prompt=prompt on_signed_in=run.on_signed_in() on_signed_out=run.on_signed_out() />
        </div>
        <Listings run=run session=session compact=true />
    }
}

/// Prefix and address pages: the listings of the page's own CIDR.
#[component]
pub fn SpamhausCidrPanel(net: IpNet) -> impl IntoView {
    let session = provide_session();
    load_account_limits(session);
    let query = Signal::stored(SpamhausQuery::for_network(net, now()));
    let body = match query.get_untracked() {
        Ok(_) => {
            let run = ListingsRun::new(session, query);
            feed_timeline(run, "Spamhaus SIA cannot look up this address space in one query.");
            listings_body(session, run, "Sign in with your SIA account to see this address space's listings here: the lookup runs as soon as you are signed in.").into_any()
        }
        Err(e) => {
            timeline::feed(
                Source::Spamhaus,
                LaneFeed::Unavailable(format!("Spamhaus SIA cannot look up {net} in one query.")),
            );
            let why = e.for_field("mask").or_else(|| e.for_field("ip")).unwrap_or("the service cannot take it");
            view! {
                <p class="notice" data-testid="spamhaus-too-wide">
                    {format!("Spamhaus SIA cannot look up {net} in one query: {why}.")}
                </p>
            }
            .into_any()
        }
    };
    view! {
        <section class="entity-panel spamhaus-panel" data-testid="panel-spamhaus" aria-label="Spamhaus SIA listings">
            <h2>"Spamhaus SIA listings"</h2>
            {body}
            {explorer_link(query)}
        </section>
    }
}

/// AS pages: Spamhaus has no lookup by AS, so the user enters a prefix (kept in the page URL as `sh=`), or picks
/// one the page already knows for the AS (`suggestions`, e.g. from its GRIP events).
#[component]
pub fn SpamhausAsPanel(#[prop(into)] suggestions: Signal<Vec<IpNet>>) -> impl IntoView {
    let session = provide_session();
    load_account_limits(session);
    let params = use_query_params();
    let location = use_location();
    let navigate = use_navigate();
    let typed = Memo::new(move |_| params.with(|p| p.get(PREFIX_KEY).map(str::to_string)));
    let query = Memo::new(move |_| match typed.get() {
        Some(raw) => {
            let mut p = QueryParams::new();
            p.push("ip", raw.trim());
            SpamhausQuery::from_params(&p, now())
        }
        None => SpamhausQuery::from_params(&QueryParams::new(), now()),
    });
    let query = Signal::from(query);
    let run = ListingsRun::new(session, query);
    feed_timeline(
        run,
        "Look up a prefix of this AS in the Spamhaus panel below (with your SIA account) to see its listings here.",
    );
    let draft = RwSignal::new(typed.get_untracked().unwrap_or_default());
    Effect::new(move |_| draft.set(typed.get().unwrap_or_default()));
    let error = Signal::derive(move || {
        query.with(|q| {
            q.as_ref().err().and_then(|e| e.for_field("ip").or_else(|| e.for_field("mask"))).map(str::to_string)
        })
    });

    // The URL is the source of truth: a lookup is a navigation to the same page with `sh=` set.
    let look_up = move |raw: String| {
        let raw = raw.trim().to_string();
        let mut p = params.get_untracked();
        let mut parsed = QueryParams::new();
        parsed.push("ip", raw.as_str());
        if let Ok(q) = SpamhausQuery::from_params(&parsed, now()) {
            // Asked for by the user: it runs whatever it costs; the same prefix again asks the service again.
            run.confirm(q);
            if typed.get_untracked().as_deref() == Some(raw.as_str()) {
                run.rerun();
                return;
            }
        }
        p.set(PREFIX_KEY, (!raw.is_empty()).then_some(raw));
        let to = format!("{}{}", location.pathname.get_untracked(), p.to_suffix());
        navigate(&to, NavigateOptions { resolve: false, scroll: false, ..Default::default() });
    };
    let submit = {
        let look_up = look_up.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            look_up(draft.get_untracked());
        }
    };
    let chips = move || {
        let nets: Vec<IpNet> =
            suggestions.get().into_iter().filter(fits_one_query).take(MAX_SUGGESTIONS).collect::<Vec<_>>();
        (!nets.is_empty()).then(|| {
            let look_up = look_up.clone();
            let items = nets
                .into_iter()
                .map(|net| {
                    let look_up = look_up.clone();
                    let text = net.to_string();
                    let pressed = {
                        let text = text.clone();
                        move || typed.with(|t| t.as_deref() == Some(text.as_str())).to_string()
                    };
                    let value = text.clone();
                    view! {
                        <li>
                            <button type="button" class="chip mono" aria-pressed=pressed on:click=move |_| look_up(value.clone())>
                                {text}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="prefix-chips" data-testid="prefix-chips">
                    <span class="chips-label">"In its GRIP events:"</span>
                    <ul class="chip-list">{items}</ul>
                </div>
            }
        })
    };
    view! {
        <section class="entity-panel spamhaus-panel wide" data-testid="panel-spamhaus" aria-label="Spamhaus SIA listings">
            <h2>"Spamhaus SIA listings"</h2>
            <p class="panel-note">
                "Spamhaus SIA looks up addresses and prefixes (up to a /24, IPv6 /56), not whole ASes: enter one of this AS."
            </p>
            <form class="query-form entity-spamhaus-form" novalidate on:submit=submit>
                <Field id="entity-spamhaus" label="Prefix of this AS to look up" error=error>
                    <input
                        id="entity-spamhaus"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="192.0.2.0/24"
                        aria-describedby="entity-spamhaus-error"
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                    />
                </Field>
                <div class="form-actions">
                    <button type="submit" class="primary">"Look up"</button>
                </div>
            </form>
            {chips}
            {listings_body(session, run, "Sign in with your SIA account to look up this AS's prefixes here: a lookup runs as soon as you are signed in.")}
            {explorer_link(query)}
        </section>
    }
}
