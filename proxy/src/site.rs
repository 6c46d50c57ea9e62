//! The built app on the proxy's own origin (`--dist DIR`): files by tower-http's `ServeDir` (using
//! `.br`/`.gz` siblings when present), the single-page-app fallback, the cache rules, the security
//! headers of `DIR/_headers`, and a `config.json` that sends sources through the proxy.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use netlens::api::Source;
use serde_json::{Map, Value};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::route::Upstreams;

/// For files whose name carries a content hash: a new build has new names.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else (index.html, 404.html, config.json, unhashed files): revalidate each time.
pub const NO_CACHE: &str = "no-cache";

/// What a file that names no file of the build may be: these get a 404, anything else is an app
/// route (a deep link such as `/grip/event/…`) and gets `index.html`.
const ASSET_EXTENSIONS: [&str; 24] = [
    "js",
    "mjs",
    "wasm",
    "css",
    "map",
    "json",
    "ts",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "ico",
    "webp",
    "avif",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "txt",
    "xml",
    "webmanifest",
    "br",
    "gz",
];

/// The app's files and what to send with them.
#[derive(Clone, Debug)]
pub struct Site {
    dist: PathBuf,
    config_file: Option<PathBuf>,
    security_headers: HeaderMap,
    files: ServeDir,
    index: ServeFile,
}

impl Site {
    /// Opens a built app: `dist/index.html` must exist; `dist/_headers`, when present, must parse.
    /// `config_file` (else `dist/config.json`) is read on every request for `/config.json`.
    pub fn open(dist: &Path, config_file: Option<&Path>) -> Result<Site, String> {
        let index = dist.join("index.html");
        if !index.is_file() {
            return Err(format!(
                "--dist {}: there is no index.html in it; build the app first (make dist)",
                dist.display()
            ));
        }
        let headers_file = dist.join("_headers");
        let text = match std::fs::read_to_string(&headers_file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", headers_file.display())),
        };
        let security_headers =
            security_headers(text.as_deref()).map_err(|e| format!("{}: {e}", headers_file.display()))?;
        Ok(Site {
            dist: dist.to_owned(),
            config_file: config_file.map(Path::to_owned),
            security_headers,
            files: ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                // Directories are app routes (the fallback), never listings or redirects.
                .append_index_html_on_directories(false),
            index: ServeFile::new(index).precompressed_br().precompressed_gzip(),
        })
    }

    /// The headers sent with every answer of the site.
    pub fn security_headers(&self) -> &HeaderMap {
        &self.security_headers
    }

    /// Answers `request`, whose path is already relative to the public path (starts with `/`).
    pub(crate) async fn serve(&self, request: Request, upstreams: &Upstreams) -> Response {
        let path = request.uri().path().to_owned();
        let mut response = if path == "/config.json" {
            self.config_json(request.method(), upstreams).await
        } else {
            self.file(request, &path).await
        };
        let headers = response.headers_mut();
        for name in self.security_headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &self.security_headers {
            headers.append(name.clone(), value.clone());
        }
        response
    }

    async fn file(&self, request: Request, path: &str) -> Response {
        let (parts, _) = request.into_parts();
        let found = self.files.clone().oneshot(Request::from_parts(parts.clone(), Body::empty())).await;
        let found = match found {
            Ok(r) => r.map(Body::new),
            Err(never) => match never {},
        };
        let (mut response, served_file) = if found.status() != StatusCode::NOT_FOUND {
            (found, true)
        } else if looks_like_asset(path) {
            (plain(StatusCode::NOT_FOUND, "not found\n"), false)
        } else {
            // An app route: the app itself, with 200, so a deep link opened cold boots it.
            let index = self.index.clone().oneshot(Request::from_parts(parts, Body::empty())).await;
            match index {
                Ok(r) => (r.map(Body::new), false),
                Err(never) => match never {},
            }
        };
        let cache = if served_file && response.status().is_success() && is_hashed(path) { IMMUTABLE } else { NO_CACHE };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        response
    }

    /// The deployer's config.json, read now (so an edit shows without a restart), with the proxied
    /// sources' endpoints set to the relative `api/<source>` (the app resolves it against its base URL).
    async fn config_json(&self, method: &Method, upstreams: &Upstreams) -> Response {
        if method != Method::GET && method != Method::HEAD {
            let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
            r.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            return r;
        }
        let file = self.config_file.clone().unwrap_or_else(|| self.dist.join("config.json"));
        let text = match tokio::fs::read_to_string(&file).await {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                tracing::warn!("{}: {e}; serving the proxy's endpoints only", file.display());
                None
            }
        };
        let config = proxied_config(text.as_deref(), &proxied_sources(upstreams)).unwrap_or_else(|(config, e)| {
            tracing::warn!("{}: {e}; serving the proxy's endpoints only", file.display());
            config
        });
        let mut r = Response::new(Body::from(config.to_string()));
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
        r
    }
}

/// The sources the served config.json sends through the proxy: GRIP and Spamhaus (no CORS for
/// browser pages), and every source whose upstream `--upstream` replaced.
pub fn proxied_sources(upstreams: &Upstreams) -> Vec<Source> {
    Source::ALL
        .into_iter()
        .filter(|s| matches!(s, Source::Grip | Source::Spamhaus) || upstreams.is_replaced(*s))
        .collect()
}

/// The endpoint the served config.json gives a proxied source: relative, so it follows the base URL.
pub fn proxied_endpoint(source: Source) -> String {
    format!("api/{}", source.key())
}

/// `text` (a config.json, or none) with `endpoints.<source>` set to [`proxied_endpoint`] for each of
/// `sources`; every other key as it was. Text that is not a JSON object counts as `{}` and is
/// returned as the error, with the config built from `{}`.
pub fn proxied_config(text: Option<&str>, sources: &[Source]) -> Result<Value, (Value, String)> {
    let (mut root, error) = match text.map(serde_json::from_str::<Value>) {
        None => (Map::new(), None),
        Some(Ok(Value::Object(m))) => (m, None),
        Some(Ok(_)) => (Map::new(), Some("is not a JSON object".to_owned())),
        Some(Err(e)) => (Map::new(), Some(format!("is not valid JSON ({e})"))),
    };
    let endpoints = root.entry("endpoints").or_insert_with(|| Value::Object(Map::new()));
    if !endpoints.is_object() {
        *endpoints = Value::Object(Map::new());
    }
    let endpoints = endpoints.as_object_mut().expect("an object");
    for s in sources {
        endpoints.insert(s.key().to_owned(), Value::String(proxied_endpoint(*s)));
    }
    let config = Value::Object(root);
    match error {
        None => Ok(config),
        Some(e) => Err((config, e)),
    }
}

/// Whether the last segment of `path` has an extension of a static asset.
fn looks_like_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(_, ext)| ASSET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether the file name in `path` carries a content hash, as Trunk writes them: `<stem>-<hash>.<ext>`,
/// `<stem>-<hash>_bg.wasm` or `<hash>-<name>`, the hash a 64-bit number in lower-case hex without
/// leading zeros (so usually 16 digits, sometimes fewer; 12 or more counts). Hashed chunks follow the
/// same naming. Only the file name counts: a directory name stays the same when a file in it changes.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem != name
        && stem
            .split(['-', '_'])
            .any(|t| (12..=16).contains(&t.len()) && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// The security headers: those under `/*` in a `_headers` file (Netlify / Cloudflare Pages format:
/// a path line, then indented `Name: value` lines), plus a default for each of
/// `X-Content-Type-Options`, `Referrer-Policy` and `Content-Security-Policy` it does not set (all
/// three when there is no file).
pub fn security_headers(headers_file: Option<&str>) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    let mut path: Option<&str> = None;
    for (i, line) in headers_file.unwrap_or_default().lines().enumerate() {
        let n = i + 1;
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            path = Some(content);
            continue;
        }
        let Some(current) = path else {
            return Err(format!("line {n}: a header before any path line"));
        };
        // Rules for other paths are for other hosts' layouts; every answer here is under `/*`.
        if current != "/*" {
            continue;
        }
        let (name, value) =
            content.split_once(':').ok_or_else(|| format!("line {n}: expected `Name: value`, got {content:?}"))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("line {n}: {:?} is not a header name", name.trim()))?;
        let value =
            HeaderValue::from_str(value.trim()).map_err(|_| format!("line {n}: the value of {name} is not valid"))?;
        map.append(name, value);
    }
    let defaults = [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("content-security-policy", "frame-ancestors 'none'"),
    ];
    for (name, value) in defaults {
        if !map.contains_key(name) {
            map.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
    }
    Ok(map)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_trunks() {
        for hashed in [
            "/netlens-3f9a2b1c4d5e6f70_bg.wasm",
            "/netlens-3f9a2b1c4d5e6f70.js",
            "/style-0a1b2c3d4e5f6a7b.css",
            "/sub/style-a1b2c3d4e5f6a7b.css",
            "/3f9a2b1c4d5e6f70-loader.js",
            "/chunk_grip-3f9a2b1c4d5e6f70.wasm",
            "/netlens-3f9a2b1c4d5e6f70_bg.wasm.br",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/index.html",
            "/404.html",
            "/config.json",
            "/netlens_bg.wasm",
            "/__wasm_split.js",
            "/snippets/netlens-3f9a2b1c4d5e6f70/inline0.js",
            "/style-0a1b2c3d.css",
            "/style-0A1B2C3D4E5F6A7B.css",
            "/grip/event/3f9a2b1c4d5e6f70",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn asset_misses_are_told_from_app_routes() {
        for asset in ["/x.wasm", "/a/b.js", "/style.CSS", "/favicon.ico", "/x.js.map"] {
            assert!(looks_like_asset(asset), "{asset}");
        }
        for route in ["/", "/grip/event/x", "/spamhaus/ip/192.0.2.1", "/grip/prefix/10.0.0.0/8", "/ioda/asn/3356"] {
            assert!(!looks_like_asset(route), "{route}");
        }
    }

    #[test]
    fn reads_the_headers_file() {
        let file = "/*\n  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: same-origin\n\n/other\n  X-Other: 1\n";
        let h = security_headers(Some(file)).unwrap();
        assert_eq!(h["content-security-policy"], "default-src 'self'; frame-ancestors 'none'");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(!h.contains_key("x-other"));
        assert_eq!(h.len(), 3);

        let h = security_headers(Some("/*\n  Permissions-Policy: camera=()\n")).unwrap();
        assert_eq!(h["permissions-policy"], "camera=()");
        assert_eq!(h["content-security-policy"], "frame-ancestors 'none'");
        assert_eq!(h["referrer-policy"], "no-referrer");

        let h = security_headers(None).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h["x-content-type-options"], "nosniff");

        assert!(security_headers(Some("  X-A: 1\n")).unwrap_err().contains("line 1"));
        assert!(security_headers(Some("/*\n  no colon here\n")).unwrap_err().contains("line 2"));
        assert!(security_headers(Some("/*\n  Bad Name: 1\n")).is_err());
    }

    #[test]
    fn config_json_sends_the_proxied_sources_through_the_proxy() {
        let text = r#"{"endpoints":{"grip":"https://elsewhere.example/json","ioda":"https://ioda.example/v2"},"timeout_seconds":40}"#;
        let c = proxied_config(Some(text), &[Source::Grip, Source::Spamhaus]).unwrap();
        assert_eq!(
            c,
            serde_json::json!({
                "endpoints": {"grip": "api/grip", "spamhaus": "api/spamhaus", "ioda": "https://ioda.example/v2"},
                "timeout_seconds": 40
            })
        );
        assert_eq!(
            proxied_config(None, &[Source::Ioda]).unwrap(),
            serde_json::json!({"endpoints": {"ioda": "api/ioda"}})
        );
        for bad in ["[1]", "{not json", r#""x""#] {
            let (c, e) = proxied_config(Some(bad), &[Source::Grip]).unwrap_err();
            assert_eq!(c, serde_json::json!({"endpoints": {"grip": "api/grip"}}), "{bad}");
            assert!(e.starts_with("is not"), "{e}");
        }
        let c = proxied_config(Some(r#"{"endpoints": 3}"#), &[Source::Grip]).unwrap();
        assert_eq!(c, serde_json::json!({"endpoints": {"grip": "api/grip"}}));
    }

    #[test]
    fn grip_and_spamhaus_always_go_through_the_proxy_and_replaced_upstreams_too() {
        assert_eq!(proxied_sources(&Upstreams::default()), [Source::Grip, Source::Spamhaus]);
        let u = Upstreams::default().with_overrides(&["ioda=http://127.0.0.1:1"]).unwrap();
        assert_eq!(proxied_sources(&u), [Source::Grip, Source::Ioda, Source::Spamhaus]);
    }
}
