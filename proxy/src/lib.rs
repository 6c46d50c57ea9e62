//! netlens-proxy: an optional CORS proxy for NetLens.
//!
//! `/<source>/<rest>?<query>` is forwarded to `<upstream base of source>/<rest>?<query>` for the
//! four sources NetLens knows (spoofer, grip, ioda, spamhaus) and nothing else. The upstream bases
//! are fixed when the proxy starts; nothing in a request (path, Host header, absolute-form target)
//! can pick another host. Browser pages may use it only from the allowed origins.
//!
//! What is logged: one line per request with method, source, path (no query string), status and
//! duration. Never a header value, a query string or a body.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ALLOW, AUTHORIZATION, CACHE_CONTROL, CONTENT_LENGTH,
    CONTENT_TYPE, ORIGIN, RETRY_AFTER, VARY,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::net::TcpListener;
use url::Url;

/// Largest request body forwarded (POST, e.g. the Spamhaus login).
pub const MAX_REQUEST_BODY: usize = 64 * 1024;
/// Largest upstream answer relayed; bigger answers become a 502.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;
/// Default upstream timeout (connect + answer + body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The origins of `make serve` and `make demo`.
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://127.0.0.1:8700"];

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "Authorization, Content-Type, Accept, x-requested-with";
const MAX_AGE: &str = "600";
const MAX_REDIRECTS: usize = 5;
const X_REQUESTED_WITH: HeaderName = HeaderName::from_static("x-requested-with");
/// The only request headers that reach an upstream.
const FORWARDED_HEADERS: [HeaderName; 4] = [AUTHORIZATION, CONTENT_TYPE, ACCEPT, X_REQUESTED_WITH];

/// One of the four services NetLens queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Spoofer,
    Grip,
    Ioda,
    Spamhaus,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Spoofer, Source::Grip, Source::Ioda, Source::Spamhaus];

    pub fn name(self) -> &'static str {
        match self {
            Source::Spoofer => "spoofer",
            Source::Grip => "grip",
            Source::Ioda => "ioda",
            Source::Spamhaus => "spamhaus",
        }
    }

    /// Exact, case-sensitive match on the four names.
    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The public base URL (the same defaults as the app's).
    pub fn default_base(self) -> &'static str {
        match self {
            Source::Spoofer => "https://api.spoofer.caida.org",
            Source::Grip => "https://api.grip.inetintel.cc.gatech.edu/json",
            Source::Ioda => "https://api.ioda.inetintel.cc.gatech.edu/v2",
            Source::Spamhaus => "https://api.spamhaus.org",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Parses an upstream base: an absolute http(s) URL with a host, no user info, query or fragment.
/// A trailing slash is dropped, so `https://x/json/` and `https://x/json` are the same base.
pub fn parse_base(value: &str) -> Result<Url, String> {
    let url = Url::parse(value.trim()).map_err(|e| format!("{value:?} is not an absolute URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{value:?} must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{value:?} has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{value:?} must not carry user info"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{value:?} must not carry a query or fragment"));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    let mut url = url;
    url.set_path(&trimmed);
    Ok(url)
}

/// Parses an allowed origin into the form browsers send (`scheme://host[:port]`, no path).
pub fn parse_origin(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value == "*" || value == "null" {
        return Err(format!("{value:?} is not allowed as an origin: list each site explicitly"));
    }
    let url = Url::parse(value).map_err(|e| format!("{value:?} is not an origin: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{value:?} must be an http(s) origin such as http://127.0.0.1:8080"));
    }
    if !url.username().is_empty()
        || url.password().is_some()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(format!("{value:?} must be an origin only (scheme, host, port), without a path"));
    }
    Ok(url.origin().ascii_serialization())
}

/// The upstream base of every source.
#[derive(Clone, Debug)]
pub struct Upstreams([Url; 4]);

impl Default for Upstreams {
    fn default() -> Self {
        Upstreams(Source::ALL.map(|s| parse_base(s.default_base()).expect("built-in base")))
    }
}

impl Upstreams {
    pub fn base(&self, source: Source) -> &Url {
        &self.0[source.index()]
    }

    pub fn set(&mut self, source: Source, base: Url) {
        self.0[source.index()] = base;
    }

    /// Applies `name=url` overrides (only the four names).
    pub fn with_overrides<S: AsRef<str>>(mut self, overrides: &[S]) -> Result<Self, String> {
        for o in overrides {
            let o = o.as_ref();
            let (name, value) = o
                .split_once('=')
                .ok_or_else(|| format!("--upstream {o:?}: expected NAME=URL, e.g. spamhaus=http://127.0.0.1:8704"))?;
            let source = Source::from_name(name.trim()).ok_or_else(|| {
                format!("--upstream {o:?}: unknown source {name:?} (spoofer, grip, ioda or spamhaus)")
            })?;
            self.set(source, parse_base(value).map_err(|e| format!("--upstream {o:?}: {e}"))?);
        }
        Ok(self)
    }
}

/// Everything the proxy needs to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Origins as browsers send them (see [`parse_origin`]).
    pub allowed_origins: Vec<String>,
    pub upstreams: Upstreams,
    pub timeout: Duration,
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
        Ok(Config { allowed_origins, upstreams: Upstreams::default().with_overrides(upstream_overrides)?, timeout })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new(&DEFAULT_ORIGINS, &[] as &[&str], DEFAULT_TIMEOUT).expect("built-in defaults")
    }
}

/// Why a path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RouteError {
    /// The first segment is not one of the four source names: 404.
    UnknownSource,
    /// Dot segments, empty segments, encoded slashes or backslashes: 400.
    BadPath,
}

/// Splits `/<source>/<rest>` into the source and `/<rest>` (or `""`), refusing anything that could
/// leave the upstream base: `.`/`..` segments (also percent-encoded), empty segments (`//host`),
/// and segments that decode to a slash, backslash or control character.
pub fn split_route(path: &str) -> Result<(Source, &str), RouteError> {
    let rest = path.strip_prefix('/').ok_or(RouteError::UnknownSource)?;
    let (name, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let source = Source::from_name(name).ok_or(RouteError::UnknownSource)?;
    if let Some(segments) = tail.strip_prefix('/') {
        let segments: Vec<&str> = segments.split('/').collect();
        let last = segments.len() - 1;
        for (i, segment) in segments.iter().enumerate() {
            // A trailing slash is fine; an empty segment anywhere else is not.
            if segment.is_empty() && i != last {
                return Err(RouteError::BadPath);
            }
            let decoded: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
            if decoded == b"."
                || decoded == b".."
                || decoded.iter().any(|&b| b == b'/' || b == b'\\' || b < 0x20 || b == 0x7f)
            {
                return Err(RouteError::BadPath);
            }
        }
    }
    Ok((source, tail))
}

/// `base` + `tail` + `?query`, checked to stay on the base's scheme, host and port and under its path.
pub fn upstream_url(base: &Url, tail: &str, query: Option<&str>) -> Option<Url> {
    let mut s = base.as_str().trim_end_matches('/').to_owned();
    s.push_str(tail);
    if let Some(q) = query {
        s.push('?');
        s.push_str(q);
    }
    let url = Url::parse(&s).ok()?;
    let base_path = base.path().trim_end_matches('/');
    let under_base = url.path() == base_path
        || url.path().strip_prefix(base_path).is_some_and(|after| after.starts_with('/'))
        || (base_path.is_empty() && url.path() == "/");
    (url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port() == base.port()
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none()
        && under_base)
        .then_some(url)
}

/// A redirect is followed only to the same host and port (scheme the same, or http upgraded to https
/// on the default ports): GRIP may move `/json/…` to `/v1/json/…` on its own host.
pub fn same_host(from: &Url, to: &Url) -> bool {
    if from.host_str() != to.host_str() || !to.username().is_empty() || to.password().is_some() {
        return false;
    }
    if from.scheme() == to.scheme() {
        return from.port_or_known_default() == to.port_or_known_default();
    }
    from.scheme() == "http" && to.scheme() == "https" && from.port().is_none() && to.port().is_none()
}

struct AppState {
    config: Config,
    client: reqwest::Client,
}

/// The proxy as an axum router (every path goes through one handler).
pub fn router(config: Config) -> Result<Router, reqwest::Error> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let allowed = attempt.previous().first().is_some_and(|first| same_host(first, attempt.url()));
        if allowed {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    let client = reqwest::Client::builder()
        .redirect(policy)
        .timeout(config.timeout)
        .connect_timeout(config.timeout.min(Duration::from_secs(10)))
        // Direct connections only: no HTTP(S)_PROXY from the environment.
        .no_proxy()
        .user_agent(concat!("netlens-proxy/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let state = Arc::new(AppState { config, client });
    Ok(Router::new().fallback(handle).with_state(state))
}

/// Serves the proxy on `listener` until ctrl-c (or until the future is dropped).
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    let app = router(config).map_err(std::io::Error::other)?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// The request's Origin, judged against the allow-list.
enum RequestOrigin {
    /// No Origin header (curl, scripts): allowed, no CORS headers needed.
    Absent,
    Allowed(HeaderValue),
    Refused,
}

fn request_origin(headers: &HeaderMap, allowed: &[String]) -> RequestOrigin {
    let mut values = headers.get_all(ORIGIN).iter();
    match (values.next(), values.next()) {
        (None, _) => RequestOrigin::Absent,
        (Some(v), None) => match v.to_str() {
            Ok(s) if allowed.iter().any(|a| a == s) => RequestOrigin::Allowed(v.clone()),
            _ => RequestOrigin::Refused,
        },
        // Several Origin headers: no browser sends that.
        _ => RequestOrigin::Refused,
    }
}

async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let origin = request_origin(request.headers(), &state.config.allowed_origins);
    let (mut response, source) = dispatch(&state, request, &origin).await;

    let preflight = method == Method::OPTIONS && response.status() == StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("Origin"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
    tracing::info!(
        target: "netlens_proxy",
        "{method} {source} {path} {status} {ms}ms",
        source = source.map_or("-", Source::name),
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis(),
    );
    response
}

async fn dispatch(state: &AppState, request: Request, origin: &RequestOrigin) -> (Response, Option<Source>) {
    let path = request.uri().path();
    let route = split_route(path);
    let source = route.as_ref().ok().map(|(s, _)| *s);
    let response = match *request.method() {
        Method::OPTIONS => match route {
            Ok(_) => empty(StatusCode::NO_CONTENT),
            Err(e) => route_error(e),
        },
        Method::GET | Method::POST => {
            if matches!(origin, RequestOrigin::Refused) {
                json_error(StatusCode::FORBIDDEN, "origin not allowed")
            } else {
                match route {
                    Ok((source, tail)) => {
                        let tail = tail.to_owned();
                        forward(state, source, &tail, request).await.unwrap_or_else(|e| e)
                    }
                    Err(e) => route_error(e),
                }
            }
        }
        _ => {
            let mut r = json_error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed; use GET, POST or OPTIONS");
            r.headers_mut().insert(ALLOW, HeaderValue::from_static(ALLOW_METHODS));
            r
        }
    };
    (response, source)
}

fn route_error(e: RouteError) -> Response {
    match e {
        RouteError::UnknownSource => {
            json_error(StatusCode::NOT_FOUND, "unknown source: use /spoofer/, /grip/, /ioda/ or /spamhaus/")
        }
        RouteError::BadPath => json_error(StatusCode::BAD_REQUEST, "path not allowed"),
    }
}

async fn forward(state: &AppState, source: Source, tail: &str, request: Request) -> Result<Response, Response> {
    let base = state.config.upstreams.base(source);
    let url = upstream_url(base, tail, request.uri().query())
        .ok_or_else(|| json_error(StatusCode::BAD_REQUEST, "path not allowed"))?;
    let (parts, body) = request.into_parts();

    let mut headers = HeaderMap::new();
    for name in FORWARDED_HEADERS {
        for value in parts.headers.get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let mut upstream = state.client.request(parts.method.clone(), url).headers(headers);
    if parts.method == Method::POST {
        upstream = upstream.body(read_body(&parts.headers, body).await?);
    }

    let answer = upstream.send().await.map_err(|e| upstream_error(source, &e))?;
    if answer.status().is_redirection() {
        return Err(json_error(
            StatusCode::BAD_GATEWAY,
            &format!("{} redirected to another host; the proxy does not follow that", source.name()),
        ));
    }
    let status = answer.status();
    let content_type = answer.headers().get(CONTENT_TYPE).cloned();
    let retry_after = answer.headers().get(RETRY_AFTER).cloned();
    let body = read_answer(source, answer).await?;

    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Some(v) = content_type {
        response.headers_mut().insert(CONTENT_TYPE, v);
    }
    if let Some(v) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, v);
    }
    Ok(response)
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, Response> {
    let too_large =
        || json_error(StatusCode::PAYLOAD_TOO_LARGE, &format!("request body over {} KB", MAX_REQUEST_BODY / 1024));
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BODY as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => Err(json_error(StatusCode::BAD_REQUEST, "request body could not be read")),
    }
}

async fn read_answer(source: Source, mut answer: reqwest::Response) -> Result<Vec<u8>, Response> {
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|e| upstream_error(source, &e))? {
        if body.len() + chunk.len() > MAX_RESPONSE_BODY {
            return Err(json_error(
                StatusCode::BAD_GATEWAY,
                &format!("{} answered with more than {} MB", source.name(), MAX_RESPONSE_BODY >> 20),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// 504 for a timeout, 502 otherwise. The message names the source only: a reqwest error's text
/// carries the URL with its query string.
fn upstream_error(source: Source, e: &reqwest::Error) -> Response {
    if e.is_timeout() {
        json_error(StatusCode::GATEWAY_TIMEOUT, &format!("{} did not answer in time", source.name()))
    } else if e.is_redirect() {
        json_error(StatusCode::BAD_GATEWAY, &format!("{} redirected too often", source.name()))
    } else {
        json_error(StatusCode::BAD_GATEWAY, &format!("{} could not be reached", source.name()))
    }
}

fn empty(status: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

fn json_error(status: StatusCode, message: &str) -> Response {
    let mut r = Response::new(Body::from(serde_json::json!({ "error": message }).to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_only_the_four_sources() {
        assert_eq!(split_route("/spamhaus/api/v1/login"), Ok((Source::Spamhaus, "/api/v1/login")));
        assert_eq!(split_route("/grip"), Ok((Source::Grip, "")));
        assert_eq!(split_route("/ioda/"), Ok((Source::Ioda, "/")));
        assert_eq!(split_route("/spoofer/sessions/"), Ok((Source::Spoofer, "/sessions/")));
        for p in [
            "/",
            "",
            "*",
            "/Spamhaus/x",
            "/evil/x",
            "/spamhaus@evil.example/x",
            "/http://evil.example/x",
            "/spamhaus%2f..",
            "/spamhaus..",
            "//evil.example/spamhaus",
        ] {
            assert_eq!(split_route(p), Err(RouteError::UnknownSource), "{p}");
        }
    }

    #[test]
    fn refuses_paths_that_could_leave_the_base() {
        for p in [
            "/grip/../x",
            "/grip/..",
            "/grip/./x",
            "/grip/%2e%2e/x",
            "/grip/.%2E/x",
            "/grip/%2E/x",
            "/grip//evil.example/x",
            "/grip/a//b",
            "/grip/..%2fx",
            "/grip/a%2Fb",
            "/grip/a%5c..",
            "/grip/a%00",
            "/grip/a\\..",
        ] {
            assert_eq!(split_route(p), Err(RouteError::BadPath), "{p}");
        }
        assert!(split_route("/grip/a..b/.x/...").is_ok());
    }

    #[test]
    fn builds_upstream_urls_under_the_base() {
        let grip = parse_base("https://api.grip.example/json/").unwrap();
        assert_eq!(grip.as_str(), "https://api.grip.example/json");
        let u = upstream_url(&grip, "/events", Some("length=10&asns=1")).unwrap();
        assert_eq!(u.as_str(), "https://api.grip.example/json/events?length=10&asns=1");
        assert_eq!(upstream_url(&grip, "", None).unwrap().as_str(), "https://api.grip.example/json");
        assert!(upstream_url(&grip, "/../admin", None).is_none());
        assert!(upstream_url(&grip, "@evil.example/", None).is_none());
        let root = parse_base("https://api.spamhaus.org").unwrap();
        let u = upstream_url(&root, "/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.0/24", Some("limit=5"))
            .unwrap();
        assert_eq!(
            u.as_str(),
            "https://api.spamhaus.org/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.0/24?limit=5"
        );
        assert_eq!(upstream_url(&root, "", None).unwrap().as_str(), "https://api.spamhaus.org/");
    }

    #[test]
    fn validates_upstreams_and_origins() {
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_base("/relative").is_err());
        assert!(parse_base("https://u:p@x").is_err());
        assert!(parse_base("https://x/?q=1").is_err());
        assert!(Upstreams::default().with_overrides(&["evil=https://x"]).is_err());
        assert!(Upstreams::default().with_overrides(&["spamhaus"]).is_err());
        let u = Upstreams::default().with_overrides(&["spamhaus=http://127.0.0.1:8704"]).unwrap();
        assert_eq!(u.base(Source::Spamhaus).as_str(), "http://127.0.0.1:8704/");
        assert_eq!(u.base(Source::Ioda).as_str(), "https://api.ioda.inetintel.cc.gatech.edu/v2");
        assert_eq!(parse_origin("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(parse_origin("HTTPS://NetLens.Example.org:443").unwrap(), "https://netlens.example.org");
        for bad in ["*", "null", "http://x/app", "file:///tmp", "x"] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn follows_redirects_on_the_same_host_only() {
        let u = |s| Url::parse(s).unwrap();
        assert!(same_host(&u("https://api.grip.example/json/events"), &u("https://api.grip.example/v1/json/events")));
        assert!(same_host(&u("http://api.grip.example/json"), &u("https://api.grip.example/json")));
        assert!(!same_host(&u("https://api.grip.example/json"), &u("http://api.grip.example/json")));
        assert!(!same_host(&u("https://api.grip.example/"), &u("https://evil.example/")));
        assert!(!same_host(&u("http://127.0.0.1:1/"), &u("http://127.0.0.1:2/")));
        assert!(!same_host(&u("https://a.example/"), &u("https://x@a.example/")));
    }
}
