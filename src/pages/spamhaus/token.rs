//! The Spamhaus session: the bearer token (sessionStorage only, never the password, never a URL or a log
//! line), the ONE function that attaches it to a request, request pacing, and this tab's caches (account
//! limits, recent answers) that sign-out forgets.

use crate::api::error::{message_from_body, FetchError};
use crate::api::spamhaus::{
    decode_limits, is_service_url, retry_delay_secs, LoginThrottle, SessionToken, SpamhausLimits, SpamhausRecord,
};
use crate::api::time::Timestamp;
use crate::api::Source;
use crate::config::BaseUrl;
use crate::http::{send, Request, RequestSlot};
use crate::ui::now;
use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The one sessionStorage key: `{token, expires}` and nothing else.
const TOKEN_KEY: &str = "netlens.spamhaus.token";

/// How often one request is retried by itself after a 429 before the page gives up and offers Retry.
const MAX_AUTO_RETRIES: u32 = 5;

/// How many recent answers the tab keeps (so back/forward does not spend the quota again).
const RESULT_CACHE_SIZE: usize = 10;

/// The account's limits as last fetched in this tab, with what NetLens has spent since.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedLimits {
    pub limits: SpamhausLimits,
    pub fetched: Timestamp,
    /// Queries NetLens has run since the fetch (the service's counter is not re-read after each query).
    pub spent: u64,
}

impl CachedLimits {
    /// Queries left this month, less what was spent since the fetch.
    pub fn remaining(&self) -> Option<u64> {
        self.limits.remaining_this_month().map(|r| r.saturating_sub(self.spent))
    }
}

/// An answer kept for this tab.
#[derive(Clone)]
pub struct CachedAnswer {
    pub records: Arc<Vec<SpamhausRecord>>,
    pub fetched: Timestamp,
    /// Some request returned as many records as `limit`: there may be more.
    pub capped: bool,
}

thread_local! {
    /// When the next Spamhaus request may leave (ms since the epoch).
    static NEXT_REQUEST_MS: Cell<f64> = const { Cell::new(0.0) };
    static LIMITS: RefCell<Option<CachedLimits>> = const { RefCell::new(None) };
    static LIMITS_TRIED: Cell<bool> = const { Cell::new(false) };
    static THROTTLE: Cell<LoginThrottle> = Cell::new(LoginThrottle::default());
    static ANSWERS: RefCell<Vec<(String, CachedAnswer)>> = const { RefCell::new(Vec::new()) };
}

/// The stored token, unless it has expired (an expired one is removed).
fn load_token() -> Option<SessionToken> {
    let t = SessionStorage::get::<SessionToken>(TOKEN_KEY).ok()?;
    if t.expires_in(now()).is_some_and(|left| left <= 0) {
        SessionStorage::delete(TOKEN_KEY);
        return None;
    }
    Some(t)
}

/// What the Spamhaus pages share: the token (also provided alone as `RwSignal<Option<SessionToken>>`), the
/// cached limits, and whether a query was stopped because the session ran out.
#[derive(Clone, Copy)]
pub struct SiaSession {
    pub token: RwSignal<Option<SessionToken>>,
    pub limits: RwSignal<Option<CachedLimits>>,
    /// A query wanted to run but the token had expired, was about to, or was refused (401).
    pub expired: RwSignal<bool>,
}

/// Called by each Spamhaus route component: reads the token from sessionStorage and provides the context.
pub fn provide_session() -> SiaSession {
    let token = RwSignal::new(load_token());
    provide_context(token);
    let session =
        SiaSession { token, limits: RwSignal::new(LIMITS.with(|l| l.borrow().clone())), expired: RwSignal::new(false) };
    provide_context(session);
    session
}

pub fn use_session() -> SiaSession {
    expect_context::<SiaSession>()
}

impl SiaSession {
    /// The token, when it is there and not within 10 minutes of expiry.
    pub fn usable_token(&self, at: Timestamp) -> Option<SessionToken> {
        self.token.get_untracked().filter(|t| !t.needs_sign_in(at))
    }

    /// After a sign-in or a pasted token: keeps `{token, expires}` for this tab. The limits of a previous
    /// account are dropped (the next page fetches them again).
    pub fn store(&self, token: SessionToken) {
        let _ = SessionStorage::set(TOKEN_KEY, &token);
        LIMITS.with(|l| l.borrow_mut().take());
        LIMITS_TRIED.with(|t| t.set(false));
        self.limits.set(None);
        self.expired.set(false);
        self.token.set(Some(token));
    }

    /// The service refused the token (401): forget it and ask for a sign-in.
    pub fn expire(&self) {
        SessionStorage::delete(TOKEN_KEY);
        self.token.set(None);
        self.expired.set(true);
    }

    /// Sign out: the token, the account's limits and the answers kept in this tab are all forgotten.
    pub fn sign_out(&self) {
        SessionStorage::delete(TOKEN_KEY);
        LIMITS.with(|l| l.borrow_mut().take());
        LIMITS_TRIED.with(|t| t.set(false));
        ANSWERS.with(|a| a.borrow_mut().clear());
        self.limits.set(None);
        self.expired.set(false);
        self.token.set(None);
    }

    pub fn set_limits(&self, limits: SpamhausLimits) {
        let cached = CachedLimits { limits, fetched: now(), spent: 0 };
        LIMITS.with(|l| *l.borrow_mut() = Some(cached.clone()));
        self.limits.set(Some(cached));
    }

    /// Counts a finished query against the cached quota.
    pub fn spend(&self, cost: u32) {
        let bump = |c: &mut Option<CachedLimits>| {
            if let Some(c) = c {
                c.spent = c.spent.saturating_add(u64::from(cost));
            }
        };
        LIMITS.with(|l| bump(&mut l.borrow_mut()));
        self.limits.update(bump);
    }

    /// Whether the limits still need fetching this session; marks them as being fetched.
    pub fn claim_limits_fetch(&self) -> bool {
        if self.limits.get_untracked().is_some() || LIMITS_TRIED.with(Cell::get) {
            return false;
        }
        LIMITS_TRIED.with(|t| t.set(true));
        true
    }
}

/// THE one place the token is attached to a request: only a GET to a URL under the Spamhaus base (see
/// `api::spamhaus::is_service_url`), only as `Authorization: Bearer …`.
pub fn authorised_get(base: &BaseUrl, url: &str, token: &SessionToken) -> Result<Request, String> {
    if !is_service_url(base, url) {
        return Err(format!(
            "NetLens did not send the request: its address is not under the Spamhaus SIA endpoint {}, and your token \
             only ever goes there.",
            base.as_str()
        ));
    }
    // Not through the response cache: the listings runner keeps its own answers per query, with
    // "Run again" meaning a real request (every query also spends the account's quota).
    Ok(Request::get(Source::Spamhaus, url).header("Authorization", format!("Bearer {}", token.token)).no_store())
}

pub fn login_throttle() -> LoginThrottle {
    THROTTLE.with(Cell::get)
}

pub fn set_login_throttle(t: LoginThrottle) {
    THROTTLE.with(|c| c.set(t));
}

fn answer_key(base: &BaseUrl, params: &str) -> String {
    format!("{}|{params}", base.as_str())
}

pub fn cached_answer(base: &BaseUrl, params: &str) -> Option<CachedAnswer> {
    let key = answer_key(base, params);
    ANSWERS.with(|a| a.borrow().iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()))
}

pub fn keep_answer(base: &BaseUrl, params: &str, answer: CachedAnswer) {
    let key = answer_key(base, params);
    ANSWERS.with(|a| {
        let mut a = a.borrow_mut();
        a.retain(|(k, _)| *k != key);
        a.push((key, answer));
        let excess = a.len().saturating_sub(RESULT_CACHE_SIZE);
        a.drain(..excess);
    });
}

/// Waits until this tab may send its next Spamhaus request: never faster than the account's rate (at least 1 s
/// apart), whichever page sends it.
async fn pace(limits: Option<&SpamhausLimits>) {
    let gap_ms = f64::from(retry_delay_secs(None, limits)) * 1000.0;
    let t = js_sys::Date::now();
    let start = NEXT_REQUEST_MS.with(|c| {
        let s = c.get().max(t);
        c.set(s + gap_ms);
        s
    });
    let wait = (start - t).ceil();
    if wait > 0.0 {
        gloo_timers::future::TimeoutFuture::new(wait as u32).await;
    }
}

/// A page's runs: a newer run (or leaving the page) makes older ones stop before their next request.
#[derive(Clone, Default)]
pub struct RunCounter(Arc<AtomicU64>);

pub struct RunGuard {
    counter: Arc<AtomicU64>,
    mine: u64,
}

impl RunCounter {
    pub fn begin(&self) -> RunGuard {
        let mine = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        RunGuard { counter: self.0.clone(), mine }
    }

    /// Stops every run (the page is going away).
    pub fn cancel(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl RunGuard {
    pub fn is_current(&self) -> bool {
        self.counter.load(Ordering::SeqCst) == self.mine
    }
}

/// A 429 being waited out.
#[derive(Debug, Clone, PartialEq)]
pub struct RateWait {
    pub until: Timestamp,
    pub message: Option<String>,
}

/// Why an authorised request gave no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum SiaError {
    /// No usable token (none, about to expire, or refused with 401): the sign-in panel says what to do.
    SignIn,
    /// NetLens itself refused to attach the token (see [`authorised_get`]).
    Refused(String),
    Fetch(FetchError),
}

/// What the page needs to send authorised requests.
pub struct SiaCall<'a> {
    pub session: SiaSession,
    pub base: &'a BaseUrl,
    pub slot: &'a RequestSlot,
    pub guard: &'a RunGuard,
    pub rate_wait: RwSignal<Option<RateWait>>,
}

impl SiaCall<'_> {
    /// GETs `url` with the token and decodes the answer with `decode(status, body)`. A 401 (as HTTP status or
    /// as the body's `code`) forgets the token; a 429 is waited out and retried by itself (never faster than
    /// `retry_delay_secs`, at most a few times).
    pub async fn get<T>(&self, url: &str, decode: impl Fn(u16, &str) -> Result<T, FetchError>) -> Result<T, SiaError> {
        let mut retries = 0;
        loop {
            let Some(token) = self.session.usable_token(now()) else {
                if self.session.token.get_untracked().is_some() {
                    self.session.expired.set(true);
                }
                return Err(SiaError::SignIn);
            };
            let req = authorised_get(self.base, url, &token).map_err(SiaError::Refused)?;
            drop(token);
            let limits = self.session.limits.get_untracked().map(|c| c.limits);
            pace(limits.as_ref()).await;
            if !self.guard.is_current() {
                return Err(SiaError::Fetch(FetchError::Superseded));
            }
            let response = send(req, Some(self.slot)).await.map_err(SiaError::Fetch)?;
            match decode(response.status, &response.body) {
                Ok(v) => return Ok(v),
                Err(e) if e.status() == Some(401) => {
                    self.session.expire();
                    return Err(SiaError::SignIn);
                }
                Err(FetchError::Status { status: 429, message, .. }) if retries < MAX_AUTO_RETRIES => {
                    retries += 1;
                    let secs = retry_delay_secs(response.retry_after, limits.as_ref());
                    self.rate_wait.set(Some(RateWait { until: now() + i64::from(secs), message }));
                    gloo_timers::future::TimeoutFuture::new(secs.saturating_mul(1000)).await;
                    if !self.guard.is_current() {
                        return Err(SiaError::Fetch(FetchError::Superseded));
                    }
                    self.rate_wait.set(None);
                }
                Err(FetchError::Status { service, status, message, retry_after }) => {
                    let retry_after = retry_after.or(response.retry_after);
                    return Err(SiaError::Fetch(FetchError::Status { service, status, message, retry_after }));
                }
                Err(e) => return Err(SiaError::Fetch(e)),
            }
        }
    }
}

/// `decode_limits` for any HTTP status.
pub fn limits_answer(status: u16, body: &str) -> Result<SpamhausLimits, FetchError> {
    if !(200..300).contains(&status) {
        return Err(FetchError::Status {
            service: Source::Spamhaus,
            status,
            message: message_from_body(body),
            retry_after: None,
        });
    }
    decode_limits(body)
}

/// `now()`, refreshed every `period`; stops when the component goes away.
pub fn use_clock(period: Duration) -> RwSignal<Timestamp> {
    let clock = RwSignal::new(now());
    if let Ok(handle) = set_interval_with_handle(move || clock.set(now()), period) {
        on_cleanup(move || handle.clear());
    }
    clock
}
