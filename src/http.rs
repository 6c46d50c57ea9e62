//! The one fetch helper: JSON GET/POST with a timeout, abort of superseded requests, typed
//! errors (`api::error::FetchError`) a user can read, and an in-memory response cache (so
//! back/forward and returning to a page never fetch again) that also shares identical requests
//! in flight. The cache's bookkeeping is the pure `api::cache`.

use crate::api::cache::{request_key, storable, ResponseCache};
use crate::api::error::{decode, max_body_bytes, message_from_body, FetchError};
use crate::api::Source;
use futures::channel::oneshot;
use futures::future::{select, Either, FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;
use std::task::Context;
use web_sys::AbortController;

/// How long NetLens waits for any service before saying so, unless config.json says otherwise.
pub const DEFAULT_TIMEOUT_MS: u32 = 20_000;

thread_local! {
    static TIMEOUT_MS: Cell<u32> = const { Cell::new(DEFAULT_TIMEOUT_MS) };
}

/// Sets the timeout of every request made from now on (config.json's `timeout_seconds`).
pub fn set_default_timeout_ms(ms: u32) {
    TIMEOUT_MS.with(|t| t.set(ms));
}

/// One request, described before it is sent.
pub struct Request {
    source: Source,
    url: String,
    method: Method,
    body: Option<String>,
    headers: Vec<(&'static str, String)>,
    timeout_ms: u32,
    /// Whether the answer may come from, and go into, the response cache.
    store: bool,
    low_priority: bool,
}

impl Request {
    pub fn get(source: Source, url: impl Into<String>) -> Self {
        Request {
            source,
            url: url.into(),
            method: Method::GET,
            body: None,
            headers: vec![("Accept", "application/json".into())],
            timeout_ms: TIMEOUT_MS.with(Cell::get),
            store: true,
            low_priority: false,
        }
    }

    pub fn post_json(source: Source, url: impl Into<String>, body: String) -> Self {
        let mut req = Request::get(source, url);
        req.method = Method::POST;
        req.body = Some(body);
        // A POST changes or logs in: never answered from memory.
        req.store = false;
        req.headers.push(("Content-Type", "application/json".into()));
        req
    }

    /// Replaces a header (e.g. `Accept: application/ld+json` for Spoofer's Hydra collections).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name, value.into()));
        self
    }

    pub fn timeout_ms(mut self, ms: u32) -> Self {
        self.timeout_ms = ms;
        self
    }

    /// Neither answered from nor kept in the response cache (a bulk walk that would only evict
    /// the pages a user returns to).
    pub fn no_store(mut self) -> Self {
        self.store = false;
        self
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn low_priority(mut self) -> Self {
        self.low_priority = true;
        self
    }

    /// The cache key: method (with Accept, which picks the representation), URL, body and
    /// (hashed) Authorization.
    fn key(&self) -> String {
        let header =
            |name: &str| self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let method = format!("{} {}", self.method.as_ref(), header("Accept").unwrap_or("*/*"));
        request_key(&method, &self.url, self.body.as_deref(), header("Authorization"))
    }
}

/// A response whose status the caller interprets itself (Spamhaus: 404 means "nothing listed").
#[derive(Clone)]
pub struct Response {
    pub status: u16,
    /// Shared: the in-flight join, the cache and every caller hold one copy of a (possibly 9 MB) answer.
    pub body: Rc<str>,
    pub retry_after: Option<u32>,
}

impl Response {
    pub fn is_ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error a non-2xx status means, with the service's own message when it sent one.
    pub fn status_error(&self, source: Source) -> FetchError {
        FetchError::Status {
            service: source,
            status: self.status,
            message: message_from_body(&self.body),
            retry_after: self.retry_after,
        }
    }
}

/// Holds the request a view has in flight; starting a new one supersedes the old, so an older
/// answer can never land over a newer query. (The old fetch itself stops only when nobody else
/// awaits the same request: see `send`.)
#[derive(Clone, Default)]
pub struct RequestSlot {
    current: Rc<RefCell<Option<oneshot::Sender<()>>>>,
    generation: Rc<Cell<u64>>,
}

impl RequestSlot {
    /// Supersedes whatever the slot held; the receiver fires when this request is superseded in turn.
    fn begin(&self) -> (u64, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        // Dropping the old sender wakes the old request's receiver.
        drop(self.current.borrow_mut().replace(tx));
        let g = self.generation.get() + 1;
        self.generation.set(g);
        (g, rx)
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.get() == generation
    }
}

// ---------------------------------------------------------------------------------------------
// The response cache and the requests in flight, one of each per tab (the wasm app has one
// thread). `send` looks in the cache first, then joins an identical request in flight, and only
// then fetches. A fetch is shared (`futures::Shared`) by every caller awaiting it and counts them;
// a caller that goes away (superseded, unmounted) only stops the transfer when it was the last.
// ---------------------------------------------------------------------------------------------

type Outcome = Result<Response, FetchError>;
type SharedFetch = Shared<LocalBoxFuture<'static, Outcome>>;

struct InFlight {
    fetch: SharedFetch,
    waiting: Rc<Cell<usize>>,
    controller: AbortController,
}

thread_local! {
    static CACHE: RefCell<ResponseCache<Response>> = RefCell::new(ResponseCache::default());
    static IN_FLIGHT: RefCell<HashMap<String, InFlight>> = RefCell::new(HashMap::new());
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The body, copied once from the browser straight into the shared buffer every caller keeps
/// (gloo's `binary()` zeroes a 9 MB buffer first, and a `String` would be copied again into the `Rc`).
async fn body_text(response: gloo_net::http::Response) -> Result<Rc<str>, ()> {
    let raw = web_sys::Response::from(response);
    let buffer = wasm_bindgen_futures::JsFuture::from(raw.array_buffer().map_err(drop)?).await.map_err(drop)?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let mut body = Rc::<[u8]>::new_uninit_slice(bytes.length() as usize);
    bytes.copy_to_uninit(Rc::get_mut(&mut body).ok_or(())?);
    // SAFETY: `copy_to_uninit` initialised every byte (it asserts that the lengths match).
    Ok(utf8(unsafe { body.assume_init() }))
}

/// The bytes as text; invalid bytes become U+FFFD, as `text()` makes them.
fn utf8(bytes: Rc<[u8]>) -> Rc<str> {
    match std::str::from_utf8(&bytes) {
        // SAFETY: the bytes were just checked to be UTF-8, and `str` has the layout of `[u8]`.
        Ok(_) => unsafe { Rc::from_raw(Rc::into_raw(bytes) as *const str) },
        Err(_) => String::from_utf8_lossy(&bytes).into(),
    }
}

/// Forgets every stored answer (Settings changing an endpoint does not need it: the URL changes).
pub fn clear_cache() {
    CACHE.with_borrow_mut(|c| c.clear());
}

/// One caller's share of a fetch: leaving before the answer came withdraws it, and the last one to
/// leave stops the transfer (the browser then stops downloading instead of finishing).
struct Waiter {
    key: String,
    waiting: Rc<Cell<usize>>,
    controller: AbortController,
    finished: bool,
}

impl Drop for Waiter {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        self.waiting.set(self.waiting.get().saturating_sub(1));
        if self.waiting.get() == 0 {
            self.controller.abort();
            IN_FLIGHT.with_borrow_mut(|m| {
                if m.get(&self.key).is_some_and(|f| Rc::ptr_eq(&f.waiting, &self.waiting)) {
                    m.remove(&self.key);
                }
            });
        }
    }
}

/// Joins the fetch in flight for `key`, or starts it.
fn join(req: Request, key: String) -> Result<(SharedFetch, Waiter), FetchError> {
    if let Some(found) =
        IN_FLIGHT.with_borrow(|m| m.get(&key).map(|f| (f.fetch.clone(), f.waiting.clone(), f.controller.clone())))
    {
        let (fetch, waiting, controller) = found;
        waiting.set(waiting.get() + 1);
        return Ok((fetch, Waiter { key, waiting, controller, finished: false }));
    }
    let controller = AbortController::new().map_err(|_| network(&req))?;
    let fetch = fetch_once(req, key.clone(), controller.clone()).boxed_local().shared();
    let waiting = Rc::new(Cell::new(1));
    IN_FLIGHT.with_borrow_mut(|m| {
        m.insert(
            key.clone(),
            InFlight { fetch: fetch.clone(), waiting: waiting.clone(), controller: controller.clone() },
        )
    });
    Ok((fetch, Waiter { key, waiting, controller, finished: false }))
}

/// The one browser fetch behind a key: timeout, status and body; files a storable answer in the
/// cache and leaves the in-flight table.
async fn fetch_once(req: Request, key: String, controller: AbortController) -> Outcome {
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        gloo_timers::callback::Timeout::new(req.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let limit = max_body_bytes(req.source);
    let outcome = match build(&req, &controller) {
        Some(r) => r.send().await.map_err(|_| ()),
        None => Err(()),
    };
    let result = match outcome {
        Err(_) if timed_out.get() => Err(timeout(&req)),
        Err(_) => Err(classify_failure(&req).await),
        Ok(response) => {
            let status = response.status();
            let retry_after = response.headers().get("Retry-After").and_then(|v| v.trim().parse().ok());
            // Refuse a runaway answer before reading it when its size is announced, and after otherwise.
            let announced = response.headers().get("Content-Length").and_then(|v| v.trim().parse::<u64>().ok());
            match announced.filter(|&b| b > limit as u64) {
                Some(bytes) => Err(FetchError::TooLarge { service: req.source, bytes }),
                // The bytes, not `text()`: the browser would decode 9 MB of UTF-8 into a JS string only
                // for wasm-bindgen to encode it back (~60 ms for a 1,000-event GRIP page); a copy and a
                // UTF-8 check are a few. Invalid bytes become U+FFFD, as `text()` makes them.
                None => match body_text(response).await {
                    Ok(body) if body.len() > limit => {
                        Err(FetchError::TooLarge { service: req.source, bytes: body.len() as u64 })
                    }
                    Ok(body) => Ok(Response { status, body, retry_after }),
                    Err(_) if timed_out.get() => Err(timeout(&req)),
                    Err(_) => Err(network(&req)),
                },
            }
        }
    };
    IN_FLIGHT.with_borrow_mut(|m| m.remove(&key));
    if let Ok(r) = &result {
        if req.store && storable(req.source, &req.url, r.status) {
            CACHE.with_borrow_mut(|c| c.insert(key, r.clone(), r.body.len(), now_ms()));
        }
    }
    result
}

/// Sends `req` now, and answers with the future of its response: any HTTP status is a `Response`,
/// transport trouble is a `FetchError`. A stored answer younger than the cache's TTL comes back at
/// once; an identical request in flight is joined instead of sent twice.
///
/// The browser's fetch starts before this returns, not when the future is first polled: a page
/// that asks from its resource's fetcher (outside the `async` block) so has its request on the
/// wire while it builds the rest of its view, instead of after (a `LocalResource` polls its future
/// only on the next tick).
pub fn send(req: Request, slot: Option<&RequestSlot>) -> impl Future<Output = Result<Response, FetchError>> + 'static {
    let slot = slot.cloned();
    let (generation, superseded_signal) = match slot.as_ref().map(RequestSlot::begin) {
        Some((g, rx)) => (Some(g), Some(rx)),
        None => (None, None),
    };
    let is_current = move || match (&slot, generation) {
        (Some(s), Some(g)) => s.is_current(g),
        _ => true,
    };
    let key = req.key();
    let hit = if req.store { CACHE.with_borrow_mut(|c| c.get(&key, now_ms())) } else { None };
    // Left: the stored answer; right: the fetch joined or started.
    let start = match hit {
        Some(hit) => Either::Left(hit),
        None => Either::Right(join(req, key).map(|(fetch, waiter)| {
            // One poll runs the fetch up to the browser's `fetch()`; the shared future keeps its
            // progress, and the caller's awaits go on from there.
            let mut started = fetch.clone();
            let _ = started.poll_unpin(&mut Context::from_waker(futures::task::noop_waker_ref()));
            (fetch, waiter)
        })),
    };
    async move {
        let (fetch, mut waiter) = match start {
            Either::Left(hit) => {
                // Answer on a later microtask, never synchronously: a page being left re-runs its
                // query once with the next page's URL before it is torn down, and an answer arriving
                // inside that teardown would draw into a half-disposed page (a panic). Later, the old
                // page is gone and the answer dropped, as a network answer would be.
                let _ =
                    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await;
                return if is_current() { Ok(hit) } else { Err(FetchError::Superseded) };
            }
            Either::Right(joined) => joined?,
        };
        let result = match superseded_signal {
            None => fetch.await,
            Some(signal) => match select(fetch, signal).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => return Err(FetchError::Superseded),
            },
        };
        waiter.finished = true;
        if !is_current() {
            return Err(FetchError::Superseded);
        }
        result
    }
}

/// A prefetch under way; dropping it cancels it (the transfer stops unless a page joined it).
#[must_use = "dropping a Prefetch cancels it"]
pub struct Prefetch {
    _cancel: oneshot::Sender<()>,
}

/// Fetches `req` into the cache at low priority after `delay_ms` (the user idling on a page), for
/// the page they will likely open next. If they open it while it is in flight, the page joins
/// this fetch instead of sending another.
pub fn prefetch(req: Request, delay_ms: u32) -> Prefetch {
    let (tx, rx) = oneshot::channel::<()>();
    if prefetch_disabled() {
        return Prefetch { _cancel: tx };
    }
    wasm_bindgen_futures::spawn_local(async move {
        let work = async move {
            gloo_timers::future::TimeoutFuture::new(delay_ms).await;
            let _ = send(req.low_priority(), None).await;
        };
        // Whichever ends first: the fetch, or the page dropping the handle.
        let _ = select(Box::pin(work), rx).await;
    });
    Prefetch { _cancel: tx }
}

/// Where the "prefetch next pages" choice of Settings lives (absent = on). The e2e suite turns it
/// off so that tests counting requests see only the ones the user's actions make.
const PREFETCH_KEY: &str = "netlens.prefetch";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn prefetch_disabled() -> bool {
    local_storage().and_then(|s| s.get_item(PREFETCH_KEY).ok().flatten()).is_some_and(|v| v == "off")
}

/// Whether next pages are fetched ahead (Settings shows and changes it).
pub fn prefetch_enabled() -> bool {
    !prefetch_disabled()
}

pub fn set_prefetch_enabled(on: bool) {
    if let Some(s) = local_storage() {
        let _ = if on { s.remove_item(PREFETCH_KEY) } else { s.set_item(PREFETCH_KEY, "off") };
    }
}

/// GET or POST and decode a 2xx JSON body into `T`; other statuses become `FetchError::Status`.
/// Sent at once, as [`send`].
pub fn fetch_json<T: DeserializeOwned>(
    req: Request,
    slot: Option<&RequestSlot>,
) -> impl Future<Output = Result<T, FetchError>> + 'static {
    let sent = send_ok(req, slot);
    async move {
        let (source, response) = sent.await?;
        decode_apart(source, &response.body, |body| decode(source, body)).await
    }
}

/// GET or POST and decode a 2xx body with the source's own decoder (envelopes, tolerant shapes); other
/// statuses become `FetchError::Status`. Sent at once, as [`send`].
pub fn fetch_decoded<T, D>(
    req: Request,
    slot: Option<&RequestSlot>,
    decode: D,
) -> impl Future<Output = Result<T, FetchError>> + 'static
where
    T: 'static,
    D: FnOnce(&str) -> Result<T, FetchError> + 'static,
{
    let sent = send_ok(req, slot);
    async move {
        let (source, response) = sent.await?;
        decode_apart(source, &response.body, decode).await
    }
}

/// Sends `req` at once; a status other than 2xx is the error `FetchError::Status` says.
fn send_ok(
    req: Request,
    slot: Option<&RequestSlot>,
) -> impl Future<Output = Result<(Source, Response), FetchError>> + 'static {
    let source = req.source;
    let sent = send(req, slot);
    async move {
        let response = sent.await?;
        if !response.is_ok() {
            return Err(response.status_error(source));
        }
        Ok((source, response))
    }
}

/// Answers above this size show their head first ([`fetch_decoded_head_first`]).
const HEAD_FIRST_BODY: usize = 512 * 1024;

/// As [`fetch_decoded`]; and for a large answer, `head` first reads what the page can show at once
/// (its first rows, from the start of the body), `show` draws it, and the whole answer is decoded
/// once that frame is painted. A list of 1,000 real-weight GRIP events (9 MB) so paints its first
/// screenful without waiting for the rest of the answer to be decoded. `head` answering `None` (not the expected
/// shape) skips straight to the whole decode, which says what is wrong.
pub fn fetch_decoded_head_first<T, H, F, S, D>(
    req: Request,
    slot: Option<&RequestSlot>,
    head: F,
    show: S,
    decode: D,
) -> impl Future<Output = Result<T, FetchError>> + 'static
where
    T: 'static,
    F: FnOnce(&str) -> Option<H> + 'static,
    S: FnOnce(H) + 'static,
    D: FnOnce(&str) -> Result<T, FetchError> + 'static,
{
    let sent = send_ok(req, slot);
    async move {
        let (source, response) = sent.await?;
        if response.body.len() > HEAD_FIRST_BODY {
            let name = format!("netlens:decode-head {}", source.key());
            if let Some(first) = timed_as(&name, || head(&response.body)) {
                show(first);
                after_next_paint().await;
            }
        }
        decode_apart(source, &response.body, decode).await
    }
}

/// Bodies above this size are decoded in a task of their own.
const LARGE_BODY: usize = 64 * 1024;

/// Decodes `body`; a large one in a task of its own, between reading it and drawing what it holds, so
/// the page stays responsive (each long task blocks input; Lighthouse counts them as blocking time).
async fn decode_apart<T>(source: Source, body: &str, decode: impl FnOnce(&str) -> T) -> T {
    let large = body.len() > LARGE_BODY;
    if large {
        yield_to_browser().await;
    }
    let out = timed(source, || decode(body));
    if large {
        yield_to_browser().await;
    }
    out
}

/// Lets the browser run what is waiting (input, a frame) before going on.
pub async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Waits until the browser has painted the next frame: its animation-frame callbacks, then a task
/// after them. A hidden tab paints no frames, so it waits 100 ms at most.
pub async fn after_next_paint() {
    let (tx, rx) = oneshot::channel::<()>();
    leptos::prelude::request_animation_frame(move || {
        let _ = tx.send(());
    });
    let _ = select(rx, gloo_timers::future::TimeoutFuture::new(100)).await;
    yield_to_browser().await;
}

/// Runs a decode inside a User Timing measure, `netlens:decode <source>`: the browser's performance
/// panel shows it and `make bench` reports it apart from drawing the rows.
fn timed<T>(source: Source, decode: impl FnOnce() -> T) -> T {
    timed_as(&format!("netlens:decode {}", source.key()), decode)
}

/// Runs `work` inside the User Timing measure `name`.
fn timed_as<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return work();
    };
    let start = format!("{name} start");
    let _ = performance.mark(&start);
    let out = work();
    let _ = performance.measure_with_start_mark(name, &start);
    performance.clear_marks_with_mark_name(&start);
    out
}

/// The browser request, with the URL exactly as the core built it. (gloo-net's `RequestBuilder`
/// re-joins the query string and appends a stray `&` to every URL that already has one.)
/// `None` when the browser refuses to build it (a malformed URL), which the caller reports like
/// any request that cannot be made.
fn build(req: &Request, controller: &AbortController) -> Option<gloo_net::http::Request> {
    let headers = web_sys::Headers::new().ok()?;
    for (name, value) in &req.headers {
        headers.set(name, value).ok()?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(req.method.as_ref());
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    if req.low_priority {
        // Fetch priority hints are not in web-sys yet; browsers without them ignore the field.
        let _ = js_sys::Reflect::set(&init, &"priority".into(), &"low".into());
    }
    if let Some(body) = &req.body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let raw = web_sys::Request::new_with_str_and_init(&req.url, &init).ok()?;
    Some(gloo_net::http::Request::from(raw))
}

// ---------------------------------------------------------------------------------------------
// Telling failures apart. A browser reports a refused cross-origin answer, a policy block and an
// unreachable host as the same TypeError; the page can still tell them apart: its own policy says
// what it blocks (and a `securitypolicyviolation` event names it), and a `no-cors` request, whose
// answer the page may not read but which succeeds whenever the server answers, shows whether the
// service is there at all.
// ---------------------------------------------------------------------------------------------

thread_local! {
    /// Origins this page's policy blocked, from `securitypolicyviolation` events (newest last).
    static BLOCKED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Listens for the page's policy violations from start-up on (a policy sent only as a header
/// cannot be read from a script, but its violations can).
pub fn watch_policy_violations() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let on_violation =
        Closure::<dyn Fn(web_sys::SecurityPolicyViolationEvent)>::new(|e: web_sys::SecurityPolicyViolationEvent| {
            if let Some(origin) = origin_of(&e.blocked_uri()) {
                BLOCKED.with_borrow_mut(|b| {
                    b.retain(|o| o != &origin);
                    b.push(origin);
                    if b.len() > 32 {
                        b.remove(0);
                    }
                });
            }
        });
    let _ = document.add_event_listener_with_callback("securitypolicyviolation", on_violation.as_ref().unchecked_ref());
    on_violation.forget();
}

fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| u.origin().ascii_serialization()).filter(|o| o != "null")
}

fn page_origin() -> Option<String> {
    web_sys::window().and_then(|w| w.location().origin().ok())
}

/// Why a request that got no response failed: this page's policy, a service that refuses browser
/// pages from other sites (CORS), or the network.
async fn classify_failure(req: &Request) -> FetchError {
    let Some(origin) = origin_of(&req.url) else { return network(req) };
    let policy_blocks = crate::config::browser::page_connect_policy()
        .zip(crate::config::BaseUrl::parse(&origin).ok())
        .is_some_and(|(p, base)| !p.allows(&base));
    // The violation event is queued as a task of its own: give it one turn to arrive.
    if !policy_blocks {
        yield_to_browser().await;
    }
    if policy_blocks || BLOCKED.with_borrow(|b| b.contains(&origin)) {
        return FetchError::Blocked { service: req.source, origin };
    }
    if page_origin().as_deref() == Some(origin.as_str()) {
        return network(req); // same-origin answers are never refused for CORS
    }
    if answers_without_cors(&req.url).await {
        FetchError::CorsRefused { service: req.source, url: req.url.clone() }
    } else {
        network(req)
    }
}

/// Whether a `no-cors` GET of `url` gets an answer (opaque to the page, but there) within 5 s.
async fn answers_without_cors(url: &str) -> bool {
    let Ok(controller) = AbortController::new() else { return false };
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&controller.signal()));
    let Ok(raw) = web_sys::Request::new_with_str_and_init(url, &init) else { return false };
    let _timer = {
        let controller = controller.clone();
        gloo_timers::callback::Timeout::new(5_000, move || controller.abort())
    };
    gloo_net::http::Request::from(raw).send().await.is_ok()
}

/// One probe of `url`: its HTTP status, or why it failed (never cached, never shared).
pub async fn probe(source: Source, url: String) -> Result<u16, FetchError> {
    send(Request::get(source, url).no_store().timeout_ms(10_000), None).await.map(|r| r.status)
}

fn network(req: &Request) -> FetchError {
    FetchError::Network { service: req.source, url: req.url.clone() }
}

fn timeout(req: &Request) -> FetchError {
    FetchError::Timeout { service: req.source, seconds: req.timeout_ms.div_ceil(1000) }
}
