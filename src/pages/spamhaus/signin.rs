//! The account panel of the Spamhaus pages: the token state line with Sign out, or the sign-in form (account
//! e-mail and password, or a pasted token) when there is no usable token.

use super::token::{login_throttle, set_login_throttle, use_clock, use_session};
use crate::api::error::FetchError;
use crate::api::query::FieldErrors;
use crate::api::spamhaus::{decode_login, login_url, LoginRequest, SessionToken};
use crate::api::time::{format_duration, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::config::BaseUrl;
use crate::http::{send, Request};
use crate::ui::error_panel::ErrorPanel;
use crate::ui::field::Field;
use leptos::prelude::*;
use std::time::Duration;

/// Shown above the sign-in form when a query was stopped because the session ran out.
pub const EXPIRED_MESSAGE: &str = "Your session expired: sign in again to run this query.";
/// Shown when the token is within 10 minutes of expiry but nothing was stopped yet.
const ENDING_MESSAGE: &str = "Your session ends soon: sign in again to keep querying.";

/// Posts the sign-in body to the login URL. Sent once per click: never retried, never per request.
async fn sign_in(base: BaseUrl, body: LoginRequest) -> Result<SessionToken, FetchError> {
    let req = Request::post_json(Source::Spamhaus, login_url(&base), body.to_json());
    drop(body);
    let response = send(req, None).await?;
    if !response.is_ok() {
        return Err(response.status_error(Source::Spamhaus));
    }
    decode_login(&response.body)
}

/// Now in Unix seconds, rounded up: whole seconds left until an expiry then round down, as a countdown should
/// (a token valid for 24 h from this second reads "23 h 59 min", not "1 d").
fn now_rounded_up() -> Timestamp {
    (js_sys::Date::now() / 1000.0).ceil() as Timestamp
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The token state line, or the sign-in panel (or both, when the token is about to expire).
/// `prompt` explains why signing in is needed when no query was stopped (e.g. "Sign in to run this link").
#[component]
pub fn SessionPanel(
    #[prop(into)] prompt: Signal<Option<String>>,
    /// After a successful sign-in or a pasted token.
    on_signed_in: Callback<()>,
    on_signed_out: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    // Ticks once a minute; the time itself is read fresh, so a token stored since the last tick is not
    // measured against a clock up to a minute old (a fresh 24-h token read "expires in 1 d").
    let minute = use_clock(Duration::from_secs(60));
    let label = move || {
        minute.track();
        let t = now_rounded_up();
        session.token.with(|tok| tok.as_ref().map(|tok| capitalised(&tok.status_label(t))))
    };
    let needs_sign_in = move || {
        minute.track();
        let t = now_rounded_up();
        session.token.with(|tok| tok.as_ref().is_none_or(|tok| tok.needs_sign_in(t)))
    };
    let account = move || session.limits.with(|l| l.as_ref().and_then(|c| c.limits.account.usr.clone()));
    let sign_out = move |_| {
        session.sign_out();
        on_signed_out.run(());
    };
    let message = Signal::derive(move || {
        if session.expired.get() {
            Some(EXPIRED_MESSAGE.to_string())
        } else if session.token.with(Option::is_some) {
            Some(ENDING_MESSAGE.to_string())
        } else {
            prompt.get()
        }
    });
    view! {
        {move || {
            label()
                .map(|l| {
                    view! {
                        <div class="token-state" data-testid="token-state">
                            <span role="status">
                                {l}
                                {account().map(|a| format!(" (account {a})"))}
                            </span>
                            <button type="button" class="sign-out" on:click=sign_out>
                                "Sign out"
                            </button>
                        </div>
                    }
                })
        }}
        <Show when=needs_sign_in>
            <SignInForm message=message on_signed_in=on_signed_in />
        </Show>
    }
}

#[component]
fn SignInForm(#[prop(into)] message: Signal<Option<String>>, on_signed_in: Callback<()>) -> impl IntoView {
    let app = use_app();
    let session = use_session();
    let second = use_clock(Duration::from_secs(1));
    let username = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let errors = RwSignal::new(None::<FieldErrors>);
    let failure = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let throttle = RwSignal::new(login_throttle());
    let wait_left = move || throttle.get().wait_remaining(second.get());

    let field_error = move |key: &'static str| {
        Signal::derive(move || errors.with(|e| e.as_ref().and_then(|e| e.for_field(key).map(str::to_string))))
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || throttle.get_untracked().wait_remaining(crate::ui::now()) > 0 {
            return;
        }
        let (Some(user), Some(pass)) = (username.get_untracked(), password.get_untracked()) else { return };
        let body = match LoginRequest::new(&user.value(), &pass.value()) {
            Ok(b) => b,
            Err(e) => {
                errors.set(Some(e));
                return;
            }
        };
        errors.set(None);
        failure.set(None);
        busy.set(true);
        let base = untrack(|| app.endpoints().base(Source::Spamhaus).clone());
        leptos::task::spawn_local(async move {
            let outcome = sign_in(base, body).await;
            busy.set(false);
            match outcome {
                Ok(token) => {
                    pass.set_value("");
                    let mut t = login_throttle();
                    t.record_success();
                    set_login_throttle(t);
                    throttle.set(t);
                    session.store(token);
                    on_signed_in.run(());
                }
                Err(e) => {
                    // Refusals count towards the wait; a request that never reached the service does not.
                    if matches!(e, FetchError::Status { .. }) {
                        let mut t = login_throttle();
                        t.record_failure(crate::ui::now());
                        set_login_throttle(t);
                        throttle.set(t);
                    }
                    failure.set(Some(e));
                }
            }
        });
    };

    let paste_token = NodeRef::<leptos::html::Input>::new();
    let paste_expires = NodeRef::<leptos::html::Input>::new();
    let paste_errors = RwSignal::new(None::<FieldErrors>);
    let paste_error = move |key: &'static str| {
        Signal::derive(move || paste_errors.with(|e| e.as_ref().and_then(|e| e.for_field(key).map(str::to_string))))
    };
    let use_pasted = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(tok), Some(exp)) = (paste_token.get_untracked(), paste_expires.get_untracked()) else { return };
        let expires = exp.value();
        match SessionToken::from_pasted(&tok.value(), Some(expires.as_str())) {
            Ok(token) if token.needs_sign_in(crate::ui::now()) => {
                let mut e = FieldErrors::default();
                let field = if expires.trim().is_empty() { "token" } else { "expires" };
                e.add(field, "this token has expired or expires within 10 minutes: sign in instead");
                paste_errors.set(Some(e));
            }
            Ok(token) => {
                tok.set_value("");
                exp.set_value("");
                paste_errors.set(None);
                session.store(token);
                on_signed_in.run(());
            }
            Err(e) => paste_errors.set(Some(e)),
        }
    };

    let button_label = move || {
        let left = wait_left();
        if busy.get() {
            "Signing in…".to_string()
        } else if left > 0 {
            format!("Sign in (try again in {})", format_duration(left))
        } else {
            "Sign in".to_string()
        }
    };
    let login_address = move || login_url(app.endpoints().base(Source::Spamhaus));

    view! {
        <section class="signin" aria-labelledby="signin-title" data-testid="signin">
            <h2 id="signin-title">"Sign in to Spamhaus SIA"</h2>
            {move || message.get().map(|m| view! { <p class="signin-message" role="status">{m}</p> })}
            <p class="signin-note">
                "Use your own SIA account. NetLens sends the e-mail and password only to "
                <code>{login_address}</code>
                " (realm “intel”) and keeps just the session token, in this tab (sessionStorage) until you sign out "
                "or close it. The token never goes into a link or anywhere but the Spamhaus SIA endpoint."
            </p>
            <form class="signin-form" novalidate on:submit=submit>
                <Field id="signin-username" label="Account e-mail" error=field_error("username")>
                    <input
                        id="signin-username"
                        type="email"
                        autocomplete="username"
                        spellcheck="false"
                        node_ref=username
                    />
                </Field>
                <Field id="signin-password" label="Password" error=field_error("password")>
                    <input
                        id="signin-password"
                        type="password"
                        autocomplete="current-password"
                        node_ref=password
                    />
                </Field>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || { busy.get() || wait_left() > 0 }
                        data-testid="signin-submit"
                    >
                        {button_label}
                    </button>
                </div>
            </form>
            {move || {
                throttle
                    .get()
                    .wait_label(second.get())
                    .map(|l| view! { <p class="throttle-note" role="status">{capitalised(&l)} "."</p> })
            }}
            {move || {
                failure
                    .get()
                    .map(|e| match e {
                        FetchError::Status { .. } => view! {
                            <div class="error-panel signin-error" role="alert">
                                <p>
                                    <strong>"Sign-in refused. "</strong>
                                    {e.to_string()}
                                </p>
                            </div>
                        }
                        .into_any(),
                        other => view! { <ErrorPanel error=other /> }.into_any(),
                    })
            }}
            <details class="paste-token">
                <summary>"Or paste a token"</summary>
                <p class="signin-note">
                    "A token from the SIA sign-in answer (the “token” value). Its expiry is read from the token when "
                    "it carries one; otherwise enter it, or leave it empty and NetLens uses the token until the "
                    "service refuses it."
                </p>
                <form class="signin-form" novalidate on:submit=use_pasted>
                    <Field id="signin-token" label="Token" error=paste_error("token")>
                        <input
                            id="signin-token"
                            type="password"
                            autocomplete="off"
                            spellcheck="false"
                            node_ref=paste_token
                        />
                    </Field>
                    <Field
                        id="signin-expires"
                        label="Expires (UTC, optional)"
                        error=paste_error("expires")
                    >
                        <input id="signin-expires" type="datetime-local" node_ref=paste_expires />
                    </Field>
                    <div class="form-actions">
                        <button type="submit">"Use this token"</button>
                    </div>
                </form>
            </details>
        </section>
    }
}
