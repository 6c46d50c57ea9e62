//! Test plumbing: an upstream that records and echoes what reaches it, the proxy in front of it, and
//! clients. Everything listens on 127.0.0.1 with a port the system picks.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::BodyExt;
use netlens_proxy::Config;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";

/// A test server that records every request (method, path, query, headers, body) and answers:
/// `…/slow` after 3 s; `…/limited` 429 with Retry-After; `…/hop` 301 to `/json/landed` on its own
/// host; `…/away` 302 to `away_to`; anything else 200 with the request echoed as JSON.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Value>>>,
}

impl Upstream {
    pub async fn start(away_to: Option<String>) -> Upstream {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().fallback(echo).with_state((seen.clone(), away_to));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Upstream { addr, seen }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request that reached this server so far.
    pub fn seen(&self) -> Vec<Value> {
        self.seen.lock().unwrap().clone()
    }
}

type EchoState = (Arc<Mutex<Vec<Value>>>, Option<String>);

async fn echo(State((seen, away_to)): State<EchoState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let headers: serde_json::Map<String, Value> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), Value::String(String::from_utf8_lossy(v.as_bytes()).into_owned())))
        .collect();
    let record = json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "query": parts.uri.query(),
        "headers": headers,
        "header_count": parts.headers.len(),
        "body": String::from_utf8_lossy(&body),
    });
    seen.lock().unwrap().push(record.clone());
    let path = parts.uri.path();
    let reply = |status: StatusCode, body: String| {
        let mut r = Response::new(Body::from(body));
        *r.status_mut() = status;
        r.headers_mut().insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        r.headers_mut().insert(header::SET_COOKIE, "upstream=1".parse().unwrap());
        r.headers_mut().insert("x-upstream-only", "1".parse().unwrap());
        r
    };
    if path.ends_with("/slow") {
        tokio::time::sleep(Duration::from_secs(3)).await;
    } else if path.ends_with("/limited") {
        let mut r = reply(StatusCode::TOO_MANY_REQUESTS, r#"{"error":"slow down"}"#.into());
        r.headers_mut().insert(header::RETRY_AFTER, "7".parse().unwrap());
        r.headers_mut().insert(header::CONTENT_TYPE, "application/problem+json".parse().unwrap());
        return r;
    } else if path.ends_with("/hop") {
        let mut r = reply(StatusCode::MOVED_PERMANENTLY, String::new());
        r.headers_mut().insert(header::LOCATION, "/json/landed".parse().unwrap());
        return r;
    } else if path.ends_with("/away") {
        let mut r = reply(StatusCode::FOUND, String::new());
        r.headers_mut().insert(header::LOCATION, away_to.unwrap_or_default().parse().unwrap());
        return r;
    }
    reply(StatusCode::OK, record.to_string())
}

/// Starts the proxy with `config` and returns its address.
pub async fn start_proxy(config: Config) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(netlens_proxy::serve(listener, config));
    addr
}

/// The config the tests use: one origin, every source on `upstream` under its usual base path.
pub fn config_for(upstream: &str, timeout: Duration) -> Config {
    let overrides = [
        format!("spoofer={upstream}"),
        format!("grip={upstream}/json"),
        format!("ioda={upstream}/v2"),
        format!("spamhaus={upstream}"),
    ];
    Config::new(&[APP_ORIGIN], &overrides, timeout).unwrap()
}

/// A client that talks to 127.0.0.1 directly and never follows redirects itself.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Sends `head` (a raw HTTP/1.1 request, sent byte for byte) and returns the status and the raw answer.
pub async fn raw(addr: SocketAddr, head: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}
