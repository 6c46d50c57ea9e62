//! The one fetch helper: JSON GET/POST with a timeout, abort of superseded requests, and typed
//! errors (`api::error::FetchError`) a user can read.

use crate::api::error::{decode, message_from_body, FetchError, MAX_BODY_BYTES};
use crate::api::Source;
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
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
        }
    }

    pub fn post_json(source: Source, url: impl Into<String>, body: String) -> Self {
        let mut req = Request::get(source, url);
        req.method = Method::POST;
        req.body = Some(body);
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

    pub fn url(&self) -> &str {
        &self.url
    }
}

/// A response whose status the caller interprets itself (Spamhaus: 404 means "nothing listed").
pub struct Response {
    pub status: u16,
    pub body: String,
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

/// Holds the request a view has in flight; starting a new one aborts the old, so an older
/// answer can never land over a newer query.
#[derive(Clone, Default)]
pub struct RequestSlot {
    current: Rc<RefCell<Option<AbortController>>>,
    generation: Rc<Cell<u64>>,
}

impl RequestSlot {
    fn begin(&self, controller: &AbortController) -> u64 {
        if let Some(old) = self.current.borrow_mut().replace(controller.clone()) {
            old.abort();
        }
        let g = self.generation.get() + 1;
        self.generation.set(g);
        g
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.get() == generation
    }
}

/// Aborts the fetch when the future that owns it is dropped before the body was read (a view
/// unmounted, an export cancelled): the browser then stops the transfer instead of finishing it.
struct AbortOnDrop {
    controller: AbortController,
    finished: bool,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if !self.finished {
            self.controller.abort();
        }
    }
}

/// Sends `req`; any HTTP status is a `Response`, transport trouble is a `FetchError`.
pub async fn send(req: Request, slot: Option<&RequestSlot>) -> Result<Response, FetchError> {
    let controller = AbortController::new().map_err(|_| network(&req))?;
    let mut guard = AbortOnDrop { controller: controller.clone(), finished: false };
    let generation = slot.map(|s| s.begin(&controller));
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        gloo_timers::callback::Timeout::new(req.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };

    let outcome = match build(&req, &controller) {
        Some(r) => r.send().await.map_err(|_| ()),
        None => Err(()),
    };
    let superseded = || matches!((slot, generation), (Some(s), Some(g)) if !s.is_current(g));
    let response = match outcome {
        Ok(r) => r,
        Err(_) if timed_out.get() => return Err(timeout(&req)),
        Err(_) if superseded() => return Err(FetchError::Superseded),
        Err(_) => return Err(network(&req)),
    };
    let status = response.status();
    let retry_after = response.headers().get("Retry-After").and_then(|v| v.trim().parse().ok());
    // Refuse a runaway answer before reading it when its size is announced, and after otherwise.
    let announced = response.headers().get("Content-Length").and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(bytes) = announced.filter(|&b| b > MAX_BODY_BYTES as u64) {
        return Err(FetchError::TooLarge { service: req.source, bytes });
    }
    let body = match response.text().await {
        Ok(b) => b,
        Err(_) if timed_out.get() => return Err(timeout(&req)),
        Err(_) if superseded() => return Err(FetchError::Superseded),
        Err(_) => return Err(network(&req)),
    };
    guard.finished = true;
    if superseded() {
        return Err(FetchError::Superseded);
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(FetchError::TooLarge { service: req.source, bytes: body.len() as u64 });
    }
    Ok(Response { status, body, retry_after })
}

/// GET or POST and decode a 2xx JSON body into `T`; other statuses become `FetchError::Status`.
pub async fn fetch_json<T: DeserializeOwned>(req: Request, slot: Option<&RequestSlot>) -> Result<T, FetchError> {
    let source = req.source;
    let response = send(req, slot).await?;
    if !response.is_ok() {
        return Err(response.status_error(source));
    }
    decode(source, &response.body)
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
    if let Some(body) = &req.body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let raw = web_sys::Request::new_with_str_and_init(&req.url, &init).ok()?;
    Some(gloo_net::http::Request::from(raw))
}

fn network(req: &Request) -> FetchError {
    FetchError::Network { service: req.source, url: req.url.clone() }
}

fn timeout(req: &Request) -> FetchError {
    FetchError::Timeout { service: req.source, seconds: req.timeout_ms.div_ceil(1000) }
}
