//! netlens-proxy: NetLens on one origin, or a CORS proxy beside it.
//!
//! `/api/<source>/<rest>?<query>` is forwarded to `<upstream base of source>/<rest>?<query>` for the
//! four sources NetLens knows (spoofer, grip, ioda, spamhaus) and nothing else. The upstream bases
//! are fixed when the proxy starts; nothing in a request (path, Host header, absolute-form target)
//! can pick another host. With `--dist DIR` the proxy also serves the built app ([`site`]) on the
//! same origin, so the browser needs no CORS at all; without it, the old `/<source>/<rest>` paths
//! work too, for pages from the allowed origins (the CORS-proxy mode).
//!
//! What is logged: one line per request with method, source, path (no query string), status and
//! duration. Never a header value, a query string or a body.

pub mod route;
pub mod site;

mod forward;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ALLOW, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    HOST, LOCATION, ORIGIN, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;

pub use forward::{MAX_REQUEST_BODY, MAX_RESPONSE_BODY};
pub use netlens::api::Source;
pub use route::{parse_base, parse_origin, split_route, upstream_url, RouteError, Upstreams};
pub use site::Site;

use forward::Forwarder;

/// Default upstream timeout: waiting for an answer to start, or for its body to go on.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The origins of `make serve` and `make demo`.
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://127.0.0.1:8700"];
/// Where forwarding lives on the app's origin, so that no API path collides with an app route
/// (`/grip/tags` is both).
pub const API_PREFIX: &str = "/api";
/// Answers 200 `ok` while the process serves (container health checks, load balancers).
pub const HEALTH_PATH: &str = "/healthz";

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "Authorization, Content-Type, Accept, x-requested-with";
const MAX_AGE: &str = "600";
/// API answers are data, never documents: if one is ever opened as a page, it runs nothing.
const API_ANSWER_CSP: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// Everything the proxy needs to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Origins as browsers send them (see [`parse_origin`]).
    pub allowed_origins: Vec<String>,
    pub upstreams: Upstreams,
    pub timeout: Duration,
    /// Largest answer relayed (see [`MAX_RESPONSE_BODY`]).
    pub max_answer_bytes: u64,
    /// The built app to serve (`--dist`); `None` is the CORS-proxy mode.
    pub site: Option<Site>,
    /// Where the app and `/api/` live: `/` or `/sub/` (see [`route::parse_public_path`]).
    pub public_path: String,
}

impl Config {
    /// Validates origins and upstream overrides.
    pub fn new<S: AsRef<str>, T: AsRef<str>>(
        origins: &[S],
        upstream_overrides: &[T],
        timeout: Duration,
    ) -> Result<Config, String> {
        let mut allowed_origins = Vec::new();
        for o in origins {
            let o = parse_origin(o.as_ref())?;
            if !allowed_origins.contains(&o) {
                allowed_origins.push(o);
            }
        }
        if timeout.is_zero() {
            return Err("the timeout must be at least 1 s".into());
        }
        Ok(Config {
            allowed_origins,
            upstreams: Upstreams::default().with_overrides(upstream_overrides)?,
            timeout,
            max_answer_bytes: MAX_RESPONSE_BODY,
            site: None,
            public_path: "/".into(),
        })
    }

    /// Serves the built app in `dist` (see [`Site::open`]).
    pub fn with_dist(mut self, dist: &Path, config_file: Option<&Path>) -> Result<Config, String> {
        self.site = Some(Site::open(dist, config_file)?);
        Ok(self)
    }

    pub fn with_public_path(mut self, public_path: &str) -> Result<Config, String> {
        self.public_path = route::parse_public_path(public_path)?;
        Ok(self)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new(&DEFAULT_ORIGINS, &[] as &[&str], DEFAULT_TIMEOUT).expect("built-in defaults")
    }
}

struct AppState {
    allowed_origins: Vec<String>,
    forwarder: Forwarder,
    site: Option<Site>,
    public_path: String,
}

/// The proxy as an axum router (every path goes through one handler).
pub fn router(config: Config) -> Result<Router, reqwest::Error> {
    let forwarder = Forwarder::new(config.upstreams, config.timeout, config.max_answer_bytes)?;
    let state = Arc::new(AppState {
        allowed_origins: config.allowed_origins,
        forwarder,
        site: config.site,
        public_path: config.public_path,
    });
    Ok(Router::new().fallback(handle).with_state(state))
}

/// Serves the proxy on `listener` until ctrl-c or SIGTERM (or until the future is dropped).
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    let app = router(config).map_err(std::io::Error::other)?;
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `GET url`; true when it answers 200 within 5 s. For `netlens-proxy --health-check URL`.
pub async fn health_check(url: &str) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let answer = client.get(url).send().await.map_err(|_| format!("{url} could not be reached"))?;
    if answer.status() == StatusCode::OK {
        Ok(())
    } else {
        Err(format!("{url} answered {}", answer.status()))
    }
}

/// What a path names, once the public path is taken off.
enum Target<'a> {
    Health,
    /// `/api/<source>/…` (or, in the CORS-proxy mode, `/<source>/…`): the part from `/<source>` on.
    Api(&'a str),
    /// A file of the app, or an app route (`--dist` only); the path relative to the public path.
    Site(&'a str),
    /// `/sub` without its slash: redirect to `/sub/`.
    AddSlash,
    Outside,
}

fn target<'a>(state: &AppState, path: &'a str) -> Target<'a> {
    if path == HEALTH_PATH {
        return Target::Health;
    }
    let prefix = state.public_path.as_str();
    let Some(rest) = path.strip_prefix(prefix.trim_end_matches('/')).filter(|r| r.starts_with('/')) else {
        return if path == prefix.trim_end_matches('/') { Target::AddSlash } else { Target::Outside };
    };
    if rest == HEALTH_PATH {
        return Target::Health;
    }
    if let Some(api) = rest.strip_prefix(API_PREFIX) {
        if api.is_empty() || api.starts_with('/') {
            return Target::Api(api);
        }
    }
    if state.site.is_some() {
        Target::Site(rest)
    } else {
        Target::Api(rest)
    }
}

async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let (response, source) = match target(&state, &path) {
        Target::Health => {
            let response = health(&method);
            tracing::debug!(target: "netlens_proxy", "{method} - {path} {}", response.status().as_u16());
            return response;
        }
        Target::Api(api) => {
            let api = api.to_owned();
            let (response, source) = api_request(&state, &api, request).await;
            (response, source)
        }
        Target::Site(rest) => {
            let site = state.site.as_ref().expect("Target::Site only with a site");
            let rest = rest.to_owned();
            let request = with_path(request, &rest);
            (site.serve(request, state.forwarder.upstreams()).await, None)
        }
        Target::AddSlash => {
            let mut r = empty(StatusCode::PERMANENT_REDIRECT);
            r.headers_mut().insert(LOCATION, HeaderValue::from_str(&state.public_path).expect("a plain path"));
            (r, None)
        }
        Target::Outside => (plain_not_found(), None),
    };
    tracing::info!(
        target: "netlens_proxy",
        "{method} {source} {path} {status} {ms}ms",
        source = source.map_or("-", Source::key),
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis(),
    );
    response
}

fn health(method: &Method) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = empty(StatusCode::METHOD_NOT_ALLOWED);
        r.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let mut r = Response::new(Body::from("ok\n"));
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The request with its path replaced (the query kept): what the site sees under a public path.
fn with_path(mut request: Request, path: &str) -> Request {
    let pq = match request.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    if let Ok(uri) = pq.parse::<Uri>() {
        *request.uri_mut() = uri;
    }
    request
}

/// The request's Origin, judged against the allow-list and the request's own origin.
enum RequestOrigin {
    /// No Origin header (curl, scripts, same-origin GETs): allowed, no CORS headers needed.
    Absent,
    /// The page was served by this proxy (the `--dist` deployment): no CORS headers needed.
    Same,
    Allowed(HeaderValue),
    Refused,
}

fn request_origin(headers: &HeaderMap, allowed: &[String]) -> RequestOrigin {
    let mut values = headers.get_all(ORIGIN).iter();
    match (values.next(), values.next()) {
        (None, _) => RequestOrigin::Absent,
        (Some(v), None) => match v.to_str() {
            Ok(s) if allowed.iter().any(|a| a == s) => RequestOrigin::Allowed(v.clone()),
            Ok(s) if headers.get(HOST).and_then(|h| h.to_str().ok()).is_some_and(|h| route::is_same_origin(s, h)) => {
                RequestOrigin::Same
            }
            _ => RequestOrigin::Refused,
        },
        // Several Origin headers: no browser sends that.
        _ => RequestOrigin::Refused,
    }
}

/// `api` is `/<source>/<rest>`.
async fn api_request(state: &AppState, api: &str, request: Request) -> (Response, Option<Source>) {
    let method = request.method().clone();
    let origin = request_origin(request.headers(), &state.allowed_origins);
    let route = split_route(api);
    let source = route.as_ref().ok().map(|(s, _)| *s);
    let mut response = match method {
        Method::OPTIONS => match route {
            Ok(_) => empty(StatusCode::NO_CONTENT),
            Err(e) => route_error(e),
        },
        Method::GET | Method::POST => match (&origin, route) {
            (RequestOrigin::Refused, _) => json_error(StatusCode::FORBIDDEN, "origin not allowed"),
            (_, Ok((source, tail))) => {
                let tail = tail.to_owned();
                state.forwarder.forward(source, &tail, request).await
            }
            (_, Err(e)) => route_error(e),
        },
        _ => {
            let mut r = json_error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed; use GET, POST or OPTIONS");
            r.headers_mut().insert(ALLOW, HeaderValue::from_static(ALLOW_METHODS));
            r
        }
    };

    let preflight = method == Method::OPTIONS && response.status() == StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("Origin"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(API_ANSWER_CSP));
    if let RequestOrigin::Allowed(o) = &origin {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
        if preflight {
            headers.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOW_METHODS));
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOW_HEADERS));
            headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(MAX_AGE));
        } else {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Retry-After"));
        }
    }
    (response, source)
}

fn route_error(e: RouteError) -> Response {
    match e {
        RouteError::UnknownSource => json_error(
            StatusCode::NOT_FOUND,
            "unknown source: use /api/spoofer/, /api/grip/, /api/ioda/ or /api/spamhaus/",
        ),
        RouteError::BadPath => json_error(StatusCode::BAD_REQUEST, "path not allowed"),
    }
}

fn empty(status: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

fn plain_not_found() -> Response {
    let mut r = Response::new(Body::from("not found\n"));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    let mut r = Response::new(Body::from(serde_json::json!({ "error": message }).to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}
