//! The proxy end to end over loopback: an echoing upstream, the proxy in front of it, a reqwest
//! client (and raw sockets for request targets a URL library would normalise away).

mod common;

use std::time::Duration;

use common::{client, config_for, raw, start_proxy, Upstream, APP_ORIGIN};
use serde_json::Value;

struct Setup {
    proxy: String,
    proxy_addr: std::net::SocketAddr,
    upstream: Upstream,
    /// The host a redirect (or a trick) would like to reach; it must never see a request.
    elsewhere: Upstream,
}

async fn setup() -> Setup {
    setup_with_timeout(Duration::from_secs(30)).await
}

async fn setup_with_timeout(timeout: Duration) -> Setup {
    let elsewhere = Upstream::start(None).await;
    let upstream = Upstream::start(Some(format!("{}/stolen", elsewhere.base()))).await;
    let proxy_addr = start_proxy(config_for(&upstream.base(), timeout)).await;
    Setup { proxy: format!("http://{proxy_addr}"), proxy_addr, upstream, elsewhere }
}

async fn json(r: reqwest::Response) -> Value {
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn forwards_path_and_query_under_each_base() {
    let s = setup().await;
    let cases = [
        (
            "/ioda/outages/alerts?from=1&until=2&entityType=asn",
            "/v2/outages/alerts",
            Some("from=1&until=2&entityType=asn"),
        ),
        (
            "/grip/events?length=10&asns=1,2&ts_start=2024-01-01T00:00",
            "/json/events",
            Some("length=10&asns=1,2&ts_start=2024-01-01T00:00"),
        ),
        ("/spoofer/sessions?asn%5B%5D=3356&page=2", "/sessions", Some("asn%5B%5D=3356&page=2")),
        (
            "/spamhaus/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.0/24?limit=5",
            "/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.0/24",
            Some("limit=5"),
        ),
        (
            "/spamhaus/api/intel/v1/byobject/cidr/ALL/listed/live/2001:db8::1/64",
            "/api/intel/v1/byobject/cidr/ALL/listed/live/2001:db8::1/64",
            None,
        ),
        ("/grip", "/json", None),
    ];
    for (path, upstream_path, query) in cases {
        let r = client().get(format!("{}{path}", s.proxy)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(header(&r, "content-type"), Some("application/json"));
        let echoed = json(r).await;
        assert_eq!(echoed["method"], "GET");
        assert_eq!(echoed["path"], upstream_path, "{path}");
        assert_eq!(echoed["query"].as_str(), query, "{path}");
    }
    assert_eq!(s.upstream.seen().len(), cases.len());
}

#[tokio::test]
async fn only_the_four_sources_are_routed() {
    let s = setup().await;
    for path in ["/", "/evil/x", "/SPAMHAUS/api", "/spamhausx/api", "/api/v1/login", "/favicon.ico"] {
        let r = client().get(format!("{}{path}", s.proxy)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(header(&r, "content-type"), Some("application/json"));
        assert!(json(r).await["error"].as_str().unwrap().contains("unknown source"), "{path}");
    }
    assert!(s.upstream.seen().is_empty());
}

#[tokio::test]
async fn no_request_can_leave_the_configured_upstream() {
    let s = setup().await;
    let evil = s.elsewhere.addr;
    let host = format!("Host: {}\r\nConnection: close\r\n\r\n", s.proxy_addr);
    let refused = [
        "/grip/../x",
        "/grip/..",
        "/grip/%2e%2e/x",
        "/grip/.%2E/spamhaus",
        "/grip/./events",
        "/grip/..%2f..%2fx",
        "/grip/a%2Fb",
        "/grip//evil.example/x",
        &format!("/grip//{evil}/x"),
        &format!("/spamhaus@{evil}/x"),
        &format!("/http://{evil}/x"),
        &format!("//{evil}/spamhaus/x"),
        "/spamhaus%2f..%2fgrip",
        "/grip/a%5c..%5cx",
    ];
    for target in refused {
        let (status, answer) = raw(s.proxy_addr, &format!("GET {target} HTTP/1.1\r\n{host}")).await;
        assert!(status == 400 || status == 404, "{target}: {answer}");
    }
    assert!(s.upstream.seen().is_empty(), "{:?}", s.upstream.seen());

    // An absolute-form target or a foreign Host header changes nothing: the configured upstream answers.
    let (status, _) = raw(s.proxy_addr, &format!("GET http://{evil}/spamhaus/a HTTP/1.1\r\n{host}")).await;
    assert_eq!(status, 200);
    let (status, _) =
        raw(s.proxy_addr, &format!("GET /spamhaus/b HTTP/1.1\r\nHost: {evil}\r\nConnection: close\r\n\r\n")).await;
    assert_eq!(status, 200);
    let paths: Vec<Value> = s.upstream.seen().iter().map(|r| r["path"].clone()).collect();
    assert_eq!(paths, ["/a", "/b"]);
    assert_eq!(s.upstream.seen()[1]["headers"]["host"], s.upstream.addr.to_string());
    assert!(s.elsewhere.seen().is_empty());
}

#[tokio::test]
async fn preflight_is_answered_by_the_proxy_for_allowed_origins_only() {
    let s = setup().await;
    let preflight = |origin: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, format!("{}/spamhaus/api/v1/login", s.proxy))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type")
            .send()
    };
    let r = preflight(APP_ORIGIN).await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(APP_ORIGIN));
    assert_eq!(header(&r, "access-control-allow-methods"), Some("GET, POST, OPTIONS"));
    assert_eq!(
        header(&r, "access-control-allow-headers"),
        Some("Authorization, Content-Type, Accept, x-requested-with")
    );
    assert_eq!(header(&r, "access-control-max-age"), Some("600"));
    assert_eq!(header(&r, "vary"), Some("Origin"));
    assert_eq!(header(&r, "access-control-allow-credentials"), None);

    let r = preflight("https://evil.example").await.unwrap();
    assert_eq!(r.status(), 204);
    for h in [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
    ] {
        assert_eq!(header(&r, h), None, "{h}");
    }
    assert_eq!(header(&r, "vary"), Some("Origin"));

    let r = client()
        .request(reqwest::Method::OPTIONS, format!("{}/evil/x", s.proxy))
        .header("Origin", APP_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(s.upstream.seen().is_empty(), "preflights are never forwarded");
}

#[tokio::test]
async fn a_page_from_another_origin_gets_403_and_nothing_is_forwarded() {
    let s = setup().await;
    for origin in ["https://evil.example", "null", "http://127.0.0.1:8081", "http://127.0.0.1:8080/"] {
        for post in [false, true] {
            let url = format!("{}/spamhaus/api/v1/login", s.proxy);
            let request = if post { client().post(url).body("{}") } else { client().get(url) };
            let r = request.header("Origin", origin).send().await.unwrap();
            assert_eq!(r.status(), 403, "{origin}");
            assert_eq!(header(&r, "access-control-allow-origin"), None);
            assert_eq!(json(r).await, serde_json::json!({"error": "origin not allowed"}));
        }
    }
    assert!(s.upstream.seen().is_empty());

    // The allowed origin gets CORS headers; no Origin at all (curl, scripts) is fine too, without them.
    let r = client().get(format!("{}/ioda/x", s.proxy)).header("Origin", APP_ORIGIN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(APP_ORIGIN));
    assert_eq!(header(&r, "access-control-expose-headers"), Some("Retry-After"));
    assert_eq!(header(&r, "vary"), Some("Origin"));
    let r = client().get(format!("{}/ioda/x", s.proxy)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn authorization_passes_untouched_and_only_the_listed_headers_are_forwarded() {
    let s = setup().await;
    let token = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.a-b_c~d+e/f==";
    let r = client()
        .get(format!("{}/spamhaus/api/intel/v1/limits", s.proxy))
        .header("Authorization", token)
        .header("Accept", "application/json")
        .header("X-Requested-With", "XMLHttpRequest")
        .header("Origin", APP_ORIGIN)
        .header("Cookie", "session=abc; other=def")
        .header("Referer", "http://127.0.0.1:8080/spamhaus")
        .header("X-Forwarded-For", "203.0.113.9")
        .header("X-Custom", "1")
        .header("User-Agent", "Mozilla/5.0 test")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "set-cookie"), None, "upstream cookies are not relayed");
    assert_eq!(header(&r, "x-upstream-only"), None);
    let seen = &s.upstream.seen()[0];
    let headers = seen["headers"].as_object().unwrap();
    assert_eq!(headers["authorization"], token);
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(headers["x-requested-with"], "XMLHttpRequest");
    assert!(headers["user-agent"].as_str().unwrap().starts_with("netlens-proxy/"));
    let mut names: Vec<&str> = headers.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["accept", "authorization", "host", "user-agent", "x-requested-with"], "{seen}");
}

#[tokio::test]
async fn retry_after_and_content_type_come_back_and_are_exposed() {
    let s = setup().await;
    let r = client().get(format!("{}/spamhaus/limited", s.proxy)).header("Origin", APP_ORIGIN).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "retry-after"), Some("7"));
    assert_eq!(header(&r, "content-type"), Some("application/problem+json"));
    assert_eq!(header(&r, "access-control-allow-origin"), Some(APP_ORIGIN));
    assert_eq!(header(&r, "access-control-expose-headers"), Some("Retry-After"));
    assert_eq!(r.text().await.unwrap(), r#"{"error":"slow down"}"#);
}

#[tokio::test]
async fn post_bodies_are_forwarded_up_to_64_kb() {
    let s = setup().await;
    let login = r#"{"username":"analyst@example.org","password":"correct horse battery staple","realm":"intel"}"#;
    let r = client()
        .post(format!("{}/spamhaus/api/v1/login", s.proxy))
        .header("Content-Type", "application/json")
        .header("Origin", APP_ORIGIN)
        .body(login)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let echoed = json(r).await;
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/api/v1/login");
    assert_eq!(echoed["body"], login);
    assert_eq!(echoed["headers"]["content-type"], "application/json");

    let exactly = "x".repeat(64 * 1024);
    let r = client().post(format!("{}/spamhaus/echo", s.proxy)).body(exactly.clone()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["body"], exactly);

    let r = client().post(format!("{}/spamhaus/echo", s.proxy)).body("x".repeat(64 * 1024 + 1)).send().await.unwrap();
    assert_eq!(r.status(), 413);
    // The same without a Content-Length (chunked), so only the streaming limit can catch it.
    let chunk = "x".repeat(40 * 1024);
    let head = format!(
        "POST /spamhaus/echo HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        s.proxy_addr,
        chunk.len(),
        chunk.len()
    );
    let (status, _) = raw(s.proxy_addr, &head).await;
    assert_eq!(status, 413);
    assert_eq!(s.upstream.seen().len(), 2);
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_502_and_a_slow_one_a_504() {
    // A port that was free a moment ago: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let proxy = start_proxy(common::config_for(&format!("http://{closed}"), Duration::from_secs(30))).await;
    let r = client()
        .get(format!("http://{proxy}/spamhaus/api/intel/v1/limits"))
        .header("Origin", APP_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(APP_ORIGIN), "the page can read the error");
    assert_eq!(json(r).await, serde_json::json!({"error": "spamhaus could not be reached"}));

    let s = setup_with_timeout(Duration::from_secs(1)).await;
    let r = client().get(format!("{}/ioda/slow", s.proxy)).send().await.unwrap();
    assert_eq!(r.status(), 504);
    assert_eq!(json(r).await, serde_json::json!({"error": "ioda did not answer in time"}));
}

#[tokio::test]
async fn redirects_are_followed_on_the_same_host_only() {
    let s = setup().await;
    let r = client().get(format!("{}/grip/hop?x=1", s.proxy)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["path"], "/json/landed");

    let r =
        client().get(format!("{}/grip/away", s.proxy)).header("Authorization", "Bearer secret").send().await.unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(header(&r, "location"), None);
    assert!(json(r).await["error"].as_str().unwrap().contains("redirected to another host"));
    assert!(s.elsewhere.seen().is_empty());
}

#[tokio::test]
async fn other_methods_are_refused() {
    let s = setup().await;
    for method in ["PUT", "DELETE", "PATCH", "HEAD"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = client().request(m, format!("{}/spamhaus/api/v1/login", s.proxy)).send().await.unwrap();
        assert_eq!(r.status(), 405, "{method}");
        assert_eq!(header(&r, "allow"), Some("GET, POST, OPTIONS"));
    }
    assert!(s.upstream.seen().is_empty());
}

#[tokio::test]
async fn the_api_prefix_works_in_the_cors_proxy_mode_too() {
    let s = setup().await;
    let r = client()
        .get(format!("{}/api/grip/events?length=10", s.proxy))
        .header("Origin", APP_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(APP_ORIGIN));
    let echoed = json(r).await;
    assert_eq!(echoed["path"], "/json/events");
    assert_eq!(echoed["query"], "length=10");
    let r = client().get(format!("{}/api/spamhaus/api/v1/limits", s.proxy)).send().await.unwrap();
    assert_eq!(json(r).await["path"], "/api/v1/limits");
    // The proxy's own origin counts as allowed (its pages need no CORS headers); others do not.
    let r = client().get(format!("{}/api/ioda/x", s.proxy)).header("Origin", &s.proxy).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), None);
    let r =
        client().get(format!("{}/api/ioda/x", s.proxy)).header("Origin", "http://127.0.0.1:1").send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = client().get(format!("{}/healthz", s.proxy)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.upstream.seen().len(), 3);
}

#[tokio::test]
async fn api_answers_cannot_run_as_pages_on_the_proxys_origin() {
    let s = setup().await;
    let r = client().get(format!("{}/ioda/x", s.proxy)).send().await.unwrap();
    assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&r, "content-security-policy"), Some("default-src 'none'; frame-ancestors 'none'; sandbox"));
}
