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
use tokio::sync::Notify;

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";

/// A test server that records every request (method, path, query, headers, body) and answers:
/// `…/slow` after 3 s; `…/limited` 429 with Retry-After; `…/hop` 301 to `/json/landed` on its own
/// host; `/json/moved/…` 301 to the absolute `http://<own host>/v1/json/moved/…?<query>`, as GRIP
/// does; `…/away` 302 to `away_to`; `…/big/<MB>` that many MB of [`big_byte`]s with a
/// Content-Length, `…/bigchunked/<MB>` the same without one; `…/trickle` 64 KB, then the rest once
/// [`Upstream::release`] is called; anything else 200 with the request echoed as JSON.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Value>>>,
    gate: Arc<Notify>,
}

/// Byte `i` of a big answer: a pattern that shows any byte lost, doubled or moved.
pub fn big_byte(i: usize) -> u8 {
    (i % 251) as u8 ^ ((i >> 16) as u8)
}

#[derive(Clone)]
struct EchoState {
    seen: Arc<Mutex<Vec<Value>>>,
    away_to: Option<String>,
    own: String,
    gate: Arc<Notify>,
}

impl Upstream {
    pub async fn start(away_to: Option<String>) -> Upstream {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let gate = Arc::new(Notify::new());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = EchoState { seen: seen.clone(), away_to, own: format!("http://{addr}"), gate: gate.clone() };
        let app = Router::new().fallback(echo).with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Upstream { addr, seen, gate }
    }

    /// Lets a `…/trickle` answer send its rest.
    pub fn release(&self) {
        self.gate.notify_one();
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request that reached this server so far.
    pub fn seen(&self) -> Vec<Value> {
        self.seen.lock().unwrap().clone()
    }
}

fn big_body(megabytes: usize) -> Vec<u8> {
    (0..megabytes << 20).map(big_byte).collect()
}

async fn echo(State(EchoState { seen, away_to, own, gate }): State<EchoState>, request: Request) -> Response {
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
    } else if path.starts_with("/json/moved/") {
        let mut r = reply(StatusCode::MOVED_PERMANENTLY, String::new());
        let query = parts.uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        r.headers_mut().insert(header::LOCATION, format!("{own}/v1{path}{query}").parse().unwrap());
        return r;
    } else if let Some(mb) = path.rsplit_once("/big/").and_then(|(_, n)| n.parse::<usize>().ok()) {
        let mut r = Response::new(Body::from(big_body(mb)));
        r.headers_mut().insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        return r;
    } else if let Some(mb) = path.rsplit_once("/bigchunked/").and_then(|(_, n)| n.parse::<usize>().ok()) {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            big_body(mb).chunks(256 * 1024).map(|c| Ok(c.to_vec())).collect();
        return Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
    } else if path.ends_with("/trickle") {
        let first = futures_util::stream::once(async { Ok::<_, std::io::Error>(vec![b'a'; 64 * 1024]) });
        let rest = futures_util::stream::once(async move {
            gate.notified().await;
            Ok::<_, std::io::Error>(vec![b'b'; 64 * 1024])
        });
        return Response::new(Body::from_stream(futures_util::StreamExt::chain(first, rest)));
    } else if path.ends_with("/away") {
        let mut r = reply(StatusCode::FOUND, String::new());
        r.headers_mut().insert(header::LOCATION, away_to.unwrap_or_default().parse().unwrap());
        return r;
    }
    reply(StatusCode::OK, record.to_string())
}

/// A built app in a fresh directory: `index.html`, `404.html`, a hashed wasm with a `.br` and a
/// `.gz` sibling (each with its own text, so a test can tell which was served), an unhashed
/// `style.css`, `config.json` and, when given, `_headers`.
pub struct Dist {
    pub dir: std::path::PathBuf,
}

pub const INDEX_HTML: &str = "<!doctype html><title>NetLens</title><p>the app</p>";
pub const WASM: &str = "netlens-0123456789abcdef_bg.wasm";
pub const HEADERS_FILE: &str = "/*\n  Content-Security-Policy: default-src 'self'; connect-src 'self' https:; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n";

impl Dist {
    pub fn new(headers_file: Option<&str>) -> Dist {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("netlens-proxy-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
        write("index.html", INDEX_HTML);
        write("404.html", INDEX_HTML);
        write(WASM, "raw wasm");
        write(&format!("{WASM}.br"), "brotli wasm");
        write(&format!("{WASM}.gz"), "gzip wasm");
        write("style.css", "body{}");
        write("config.json", r#"{"endpoints":{"spoofer":"https://spoofer.example"},"timeout_seconds":40}"#);
        if let Some(h) = headers_file {
            write("_headers", h);
        }
        Dist { dir }
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.dir.join(name), text).unwrap();
    }
}

impl Drop for Dist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
