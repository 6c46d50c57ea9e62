//! `netlens-proxy --dist`: the built app and the forwarding on one origin, over loopback, against a
//! temporary dist directory and an echoing upstream.

mod common;

use std::time::Duration;

use common::{big_byte, client, start_proxy, Dist, Upstream, APP_ORIGIN, HEADERS_FILE, INDEX_HTML, WASM};
use netlens_proxy::Config;
use serde_json::{json, Value};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Setup {
    proxy: String,
    upstream: Upstream,
    elsewhere: Upstream,
    dist: Dist,
}

/// The proxy serving `dist`, with grip, ioda and spamhaus on the echoing upstream (spoofer stays
/// the public default and is never asked).
async fn setup_with(dist: Dist, tune: impl FnOnce(Config) -> Config) -> Setup {
    let elsewhere = Upstream::start(None).await;
    let upstream = Upstream::start(Some(format!("{}/stolen", elsewhere.base()))).await;
    let u = upstream.base();
    let overrides = [format!("grip={u}/json"), format!("ioda={u}/v2"), format!("spamhaus={u}")];
    let config =
        Config::new(&[APP_ORIGIN], &overrides, Duration::from_secs(30)).unwrap().with_dist(&dist.dir, None).unwrap();
    let addr = start_proxy(tune(config)).await;
    Setup { proxy: format!("http://{addr}"), upstream, elsewhere, dist }
}

async fn setup() -> Setup {
    setup_with(Dist::new(Some(HEADERS_FILE)), |c| c).await
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

async fn json(r: reqwest::Response) -> Value {
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

async fn get(url: String) -> reqwest::Response {
    client().get(url).send().await.unwrap()
}

#[tokio::test]
async fn files_come_with_the_security_headers_of_the_headers_file() {
    let s = setup().await;
    for path in ["/", "/index.html", "/style.css", &format!("/{WASM}"), "/config.json", "/grip/event/x", "/x.wasm"] {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert_eq!(
            header(&r, "content-security-policy"),
            Some("default-src 'self'; connect-src 'self' https:; frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&r, "referrer-policy"), Some("no-referrer"), "{path}");
    }
    let r = get(format!("{}/", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), Some("text/html"));
    assert_eq!(r.text().await.unwrap(), INDEX_HTML);
    let r = get(format!("{}/{WASM}", s.proxy)).await;
    assert_eq!(header(&r, "content-type"), Some("application/wasm"));
    assert_eq!(r.text().await.unwrap(), "raw wasm");
}

#[tokio::test]
async fn without_a_headers_file_the_safe_defaults_are_sent() {
    let s = setup_with(Dist::new(None), |c| c).await;
    for path in ["/", "/grip/tags", "/style.css"] {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(header(&r, "content-security-policy"), Some("frame-ancestors 'none'"), "{path}");
        assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&r, "referrer-policy"), Some("no-referrer"), "{path}");
    }
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_is_revalidated() {
    let s = setup().await;
    let r = get(format!("{}/{WASM}", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), Some(IMMUTABLE));
    for path in ["/", "/index.html", "/404.html", "/config.json", "/style.css", "/grip/event/x", "/nothing.js"] {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert_eq!(header(&r, "cache-control"), Some("no-cache"), "{path}");
    }
    // A deep link whose last segment looks like a hash is an app route, not a hashed file.
    let r = get(format!("{}/grip/event/netlens-0123456789abcdef", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn app_routes_boot_the_app_and_missing_assets_are_404() {
    let s = setup().await;
    for path in ["/grip/event/x", "/grip/tags", "/grip/events?asns=1", "/spamhaus/ip/192.0.2.1", "/settings", "/grip/"]
    {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(header(&r, "content-type"), Some("text/html"), "{path}");
        assert_eq!(r.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    for path in ["/missing.wasm", "/netlens-ffffffffffffffff_bg.wasm", "/a/b.js", "/style-1.css"] {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_ne!(r.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    // App routes that are also API paths on the upstream are never forwarded with --dist.
    assert!(s.upstream.seen().is_empty(), "{:?}", s.upstream.seen());
}

#[tokio::test]
async fn precompressed_siblings_are_served_to_browsers_that_take_them() {
    let s = setup().await;
    let url = format!("{}/{WASM}", s.proxy);
    let r = client().get(&url).header("Accept-Encoding", "br, gzip").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-encoding"), Some("br"));
    assert_eq!(header(&r, "content-type"), Some("application/wasm"));
    assert_eq!(header(&r, "cache-control"), Some(IMMUTABLE));
    assert!(header(&r, "vary").unwrap().to_ascii_lowercase().contains("accept-encoding"));
    assert_eq!(r.text().await.unwrap(), "brotli wasm");
    let r = client().get(&url).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(header(&r, "content-encoding"), Some("gzip"));
    assert_eq!(r.text().await.unwrap(), "gzip wasm");
    let r = client().get(&url).send().await.unwrap();
    assert_eq!(header(&r, "content-encoding"), None);
    assert_eq!(r.text().await.unwrap(), "raw wasm");
}

#[tokio::test]
async fn config_json_sends_grip_spamhaus_and_replaced_upstreams_through_the_proxy() {
    let s = setup().await;
    let r = get(format!("{}/config.json", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), Some("application/json"));
    let config: Value = json(r).await;
    assert_eq!(
        config,
        json!({
            "endpoints": {
                "spoofer": "https://spoofer.example",
                "grip": "api/grip",
                "ioda": "api/ioda",
                "spamhaus": "api/spamhaus"
            },
            "timeout_seconds": 40
        })
    );

    // An edit shows on the next request, without a restart; an invalid file counts as `{}`.
    s.dist.write("config.json", r#"{"ioda_dialect":"legacy","endpoints":{"grip":"https://x.example/json"}}"#);
    let config: Value = json(get(format!("{}/config.json", s.proxy)).await).await;
    assert_eq!(
        config,
        json!({
            "ioda_dialect": "legacy",
            "endpoints": {"grip": "api/grip", "ioda": "api/ioda", "spamhaus": "api/spamhaus"}
        })
    );
    s.dist.write("config.json", "{ not json");
    let config: Value = json(get(format!("{}/config.json", s.proxy)).await).await;
    assert_eq!(config, json!({"endpoints": {"grip": "api/grip", "ioda": "api/ioda", "spamhaus": "api/spamhaus"}}));
    std::fs::remove_file(s.dist.dir.join("config.json")).unwrap();
    let config: Value = json(get(format!("{}/config.json", s.proxy)).await).await;
    assert_eq!(config, json!({"endpoints": {"grip": "api/grip", "ioda": "api/ioda", "spamhaus": "api/spamhaus"}}));
}

#[tokio::test]
async fn config_flag_names_the_file_and_only_grip_and_spamhaus_go_through_by_default() {
    let dist = Dist::new(None);
    let file = dist.dir.join("deployer.json");
    std::fs::write(&file, r#"{"endpoints":{"ioda":"https://ioda.example/v2"},"diagnostics":true}"#).unwrap();
    let config = Config::new(&[APP_ORIGIN], &[] as &[&str], Duration::from_secs(30))
        .unwrap()
        .with_dist(&dist.dir, Some(&file))
        .unwrap();
    let addr = start_proxy(config).await;
    let config: Value = json(get(format!("http://{addr}/config.json")).await).await;
    assert_eq!(
        config,
        json!({
            "endpoints": {"ioda": "https://ioda.example/v2", "grip": "api/grip", "spamhaus": "api/spamhaus"},
            "diagnostics": true
        })
    );
}

#[tokio::test]
async fn the_api_prefix_is_forwarded_for_the_apps_own_pages() {
    let s = setup().await;
    let host = s.proxy.trim_start_matches("http://").to_owned();
    // No Origin (a same-origin GET), the page's own origin, and the allowed one.
    for origin in [None, Some(s.proxy.clone()), Some(APP_ORIGIN.to_owned())] {
        let mut request = client().get(format!("{}/api/grip/events?length=10&asns=1", s.proxy));
        if let Some(o) = &origin {
            request = request.header("Origin", o);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 200, "{origin:?}");
        let cors = header(&r, "access-control-allow-origin").map(str::to_owned);
        assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"));
        let echoed: Value = json(r).await;
        assert_eq!(echoed["path"], "/json/events");
        assert_eq!(echoed["query"], "length=10&asns=1");
        // Only another site's page needs (and gets) CORS headers.
        assert_eq!(cors.as_deref(), origin.as_deref().filter(|o| *o == APP_ORIGIN), "{origin:?}");
    }
    // A login POST from the page itself.
    let r = client()
        .post(format!("{}/api/spamhaus/api/v1/login", s.proxy))
        .header("Origin", &s.proxy)
        .header("Content-Type", "application/json")
        .body(r#"{"username":"u"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["path"], "/api/v1/login");

    for origin in ["https://evil.example", &format!("http://{host}.evil.example"), "null"] {
        let r = client().get(format!("{}/api/grip/events", s.proxy)).header("Origin", origin).send().await.unwrap();
        assert_eq!(r.status(), 403, "{origin}");
    }
    for path in ["/api/evil/x", "/api", "/api/", "/api/grip/../x"] {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert!(r.status() == 404 || r.status() == 400, "{path}: {}", r.status());
        assert_eq!(header(&r, "content-type"), Some("application/json"), "{path}");
    }
    assert_eq!(s.upstream.seen().len(), 4);
}

#[tokio::test]
async fn grips_absolute_redirect_on_its_own_host_is_followed_and_another_host_is_refused() {
    let s = setup().await;
    let r = get(format!("{}/api/grip/moved/events?length=1000&ts_start=2024-01-01T00:00", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "location"), None);
    let echoed: Value = json(r).await;
    assert_eq!(echoed["path"], "/v1/json/moved/events");
    assert_eq!(echoed["query"], "length=1000&ts_start=2024-01-01T00:00");
    let paths: Vec<Value> = s.upstream.seen().iter().map(|r| r["path"].clone()).collect();
    assert_eq!(paths, ["/json/moved/events", "/v1/json/moved/events"]);

    let r = client()
        .get(format!("{}/api/grip/away", s.proxy))
        .header("Authorization", "Bearer secret")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(header(&r, "location"), None);
    assert!(json(r).await["error"].as_str().unwrap().contains("redirected to another host"));
    assert!(s.elsewhere.seen().is_empty());
}

fn assert_big(body: &[u8], megabytes: usize) {
    assert_eq!(body.len(), megabytes << 20);
    if let Some(i) = body.iter().enumerate().position(|(i, b)| *b != big_byte(i)) {
        panic!("byte {i} differs");
    }
}

#[tokio::test]
async fn a_20_mb_answer_arrives_intact_with_or_without_a_length() {
    let s = setup().await;
    for path in ["/api/ioda/big/20", "/api/ioda/bigchunked/20"] {
        let r = get(format!("{}{path}", s.proxy)).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_big(&r.bytes().await.unwrap(), 20);
    }
}

#[tokio::test]
async fn answers_are_streamed_not_buffered() {
    let s = setup().await;
    let mut r = tokio::time::timeout(Duration::from_secs(5), get(format!("{}/api/ioda/trickle", s.proxy)))
        .await
        .expect("the answer's head before its whole body");
    assert_eq!(r.status(), 200);
    // The upstream holds back its second half until it is released: the first half must arrive first.
    let mut received = 0;
    while received < 64 * 1024 {
        let chunk = tokio::time::timeout(Duration::from_secs(5), r.chunk()).await.expect("the first half, streamed");
        received += chunk.unwrap().expect("more body").len();
    }
    s.upstream.release();
    let mut rest = Vec::new();
    while let Some(chunk) = r.chunk().await.unwrap() {
        rest.extend_from_slice(&chunk);
    }
    assert_eq!(received + rest.len(), 128 * 1024);
    assert!(rest.iter().all(|b| *b == b'b'));
}

#[tokio::test]
async fn answers_over_the_cap_are_refused_or_cut_off() {
    let s = setup_with(Dist::new(None), |mut c| {
        c.max_answer_bytes = 1 << 20;
        c
    })
    .await;
    let r = get(format!("{}/api/ioda/big/2", s.proxy)).await;
    assert_eq!(r.status(), 502);
    assert_eq!(json(r).await, json!({"error": "ioda answered with more than 1 MB"}));
    // Without a declared length, the cap is found while streaming: the answer breaks off.
    let r = get(format!("{}/api/ioda/bigchunked/2", s.proxy)).await;
    assert_eq!(r.status(), 200);
    let body = r.bytes().await;
    assert!(body.is_err() || body.unwrap().len() <= 1 << 20);
    // The limit is not off by one.
    let r = get(format!("{}/api/ioda/big/1", s.proxy)).await;
    assert_big(&r.bytes().await.unwrap(), 1);
}

#[tokio::test]
async fn healthz_answers_ok() {
    let s = setup().await;
    let r = get(format!("{}/healthz", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), Some("no-store"));
    assert_eq!(r.text().await.unwrap().trim(), "ok");
    let r = client().post(format!("{}/healthz", s.proxy)).send().await.unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn a_public_path_holds_the_app_and_the_api() {
    let s = setup_with(Dist::new(None), |c| c.with_public_path("/tools/netlens/").unwrap()).await;
    let r = get(format!("{}/tools/netlens/", s.proxy)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), INDEX_HTML);
    let r = get(format!("{}/tools/netlens/grip/event/x", s.proxy)).await;
    assert_eq!(r.text().await.unwrap(), INDEX_HTML);
    let r = get(format!("{}/tools/netlens/{WASM}", s.proxy)).await;
    assert_eq!(header(&r, "cache-control"), Some(IMMUTABLE));
    assert_eq!(r.text().await.unwrap(), "raw wasm");
    let config: Value = json(get(format!("{}/tools/netlens/config.json", s.proxy)).await).await;
    assert_eq!(config["endpoints"]["grip"], "api/grip");
    let r = get(format!("{}/tools/netlens/api/grip/events", s.proxy)).await;
    assert_eq!(json(r).await["path"], "/json/events");

    let r = get(format!("{}/tools/netlens", s.proxy)).await;
    assert_eq!(r.status(), 308);
    assert_eq!(header(&r, "location"), Some("/tools/netlens/"));
    for outside in ["/", "/index.html", "/api/grip/events", "/tools/netlensx/", "/tools/"] {
        assert_eq!(get(format!("{}{outside}", s.proxy)).await.status(), 404, "{outside}");
    }
    assert_eq!(get(format!("{}/healthz", s.proxy)).await.status(), 200);
    assert_eq!(s.upstream.seen().len(), 1);
}

#[test]
fn a_dist_without_index_html_is_refused_at_start() {
    let dist = Dist::new(None);
    std::fs::remove_file(dist.dir.join("index.html")).unwrap();
    let e = Config::default().with_dist(&dist.dir, None).unwrap_err();
    assert!(e.contains("no index.html") && e.contains("make dist"), "{e}");
    let dist = Dist::new(Some("/*\n  Not A Header\n"));
    let e = Config::default().with_dist(&dist.dir, None).unwrap_err();
    assert!(e.contains("_headers") && e.contains("line 2"), "{e}");
}
