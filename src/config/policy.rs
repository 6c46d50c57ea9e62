//! The Content-Security-Policy of a NetLens build: its directives, the rules for where the page may
//! connect (open or pinned), and the texts that carry it (the `<meta>`, the header, `_headers`). One
//! home for the app (Settings, endpoint validation), the build step (`tools/postbuild`) and the proxy.

use super::{public_default, EndpointOverrides};
use crate::api::Source;
use serde::Deserialize;

/// `connect-src` of a default ("open") build: every endpoint the app accepts, so a deployer's edited
/// `config.json` and a user's Settings override keep working without a rebuild. The app accepts
/// https:// anywhere and http:// only on loopback (a local proxy); same-origin paths are `'self'`.
pub const OPEN_CONNECT_SRC: [&str; 4] = ["'self'", "https:", "http://127.0.0.1:*", "http://localhost:*"];

/// The hosts on which the app accepts a plain http:// endpoint (see [`OPEN_CONNECT_SRC`]). Not
/// `[::1]`: a CSP host-source cannot name an IPv6 literal (Chromium ignores `http://[::1]:*` with a
/// console error), so the policy could never allow it; `localhost` reaches it instead.
pub const LOOPBACK_HOSTS: [&str; 2] = ["127.0.0.1", "localhost"];

/// Whether a URL host (as `url::Url::host_str` gives it) may be reached over plain http.
pub fn is_loopback_host(host: &str) -> bool {
    LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host) || h.trim_matches(['[', ']']) == host)
}

/// On the app's own origin, a source's forwarding lives under `api/<source>/` (never a route of the
/// app: `/grip/tags` is a page). This relative endpoint, resolved by the app against its base URL, is
/// what `config.json` says when the host (netlens-proxy, Netlify, nginx, `make serve`…) forwards it.
pub fn same_origin_endpoint(source: Source) -> String {
    format!("api/{}", source.key())
}

/// The sources that refuse browser pages from other sites (no CORS headers), so a deployment
/// forwards them on its own origin; IODA and Spoofer answer browsers directly.
pub const FORWARDED_SOURCES: [Source; 2] = [Source::Grip, Source::Spamhaus];

/// Headers a host sends with every file besides the policy (what a `<meta>` cannot do).
pub const EXTRA_HEADERS: [(&str, &str); 2] =
    [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")];

/// The header name of the policy, as hosts and `_headers` spell it.
pub const POLICY_HEADER: &str = "Content-Security-Policy";

/// Which `connect-src` a build carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConnectMode {
    /// [`OPEN_CONNECT_SRC`]: whatever the app itself accepts (the default).
    #[default]
    Open,
    /// `'self'`, the origins of the endpoints in `config.json` and its `connect_src` list, chosen by
    /// the deployer at build time (`make dist CSP=pinned`). Settings then offers no endpoint overrides.
    Pinned,
}

impl ConnectMode {
    pub fn from_key(key: &str) -> Option<ConnectMode> {
        match key.trim().to_ascii_lowercase().as_str() {
            "open" | "" => Some(ConnectMode::Open),
            "pinned" => Some(ConnectMode::Pinned),
            _ => None,
        }
    }
}

/// Where the policy travels: a `<meta>` cannot carry `frame-ancestors` (browsers ignore it there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    Meta,
    Header,
}

/// The policy of one build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPolicy {
    /// `'sha256-…'` of each inline script (Trunk's loader), computed by the build step.
    script_hashes: Vec<String>,
    connect_src: Vec<String>,
}

impl ContentPolicy {
    /// The open policy: connections wherever the app accepts an endpoint.
    pub fn open(script_hashes: Vec<String>) -> ContentPolicy {
        ContentPolicy { script_hashes: dedup(script_hashes), connect_src: OPEN_CONNECT_SRC.map(String::from).to_vec() }
    }

    /// The pinned policy for `config.json`'s text (`None`: no file). The endpoints are read by the
    /// app's own rules ([`EndpointOverrides::parse`]): what the app would drop for its default is
    /// replaced by the default here too, and a same-origin path needs nothing beyond `'self'`.
    /// Returns the policy and warnings for the deployer.
    pub fn pinned(config: Option<&str>, script_hashes: Vec<String>) -> (ContentPolicy, Vec<String>) {
        let (overrides, mut warnings) = match config.map(EndpointOverrides::parse) {
            None => (EndpointOverrides::default(), Vec::new()),
            Some(Ok(parsed)) => parsed,
            Some(Err(e)) => (EndpointOverrides::default(), vec![format!("{e}: the app uses the public endpoints")]),
        };
        let mut connect_src = vec!["'self'".to_string()];
        let mut add = |s: String| {
            if !connect_src.contains(&s) {
                connect_src.push(s);
            }
        };
        for source in Source::ALL {
            let endpoint = overrides.get(source).map(|b| (b.as_str().to_string(), b.origin().to_string()));
            match endpoint {
                Some((url, origin)) if is_absolute(&url) => add(origin),
                Some(_) => {} // a path on the app's own origin
                None => add(origin_of(public_default(source))),
            }
        }
        let (extra, extra_warnings) = config.map(connect_src_entries).unwrap_or_default();
        warnings.extend(extra_warnings);
        extra.into_iter().for_each(&mut add);
        (ContentPolicy { script_hashes: dedup(script_hashes), connect_src }, warnings)
    }

    /// Builds the policy for `mode` (see [`ContentPolicy::open`] and [`ContentPolicy::pinned`]).
    pub fn for_mode(
        mode: ConnectMode,
        config: Option<&str>,
        script_hashes: Vec<String>,
    ) -> (ContentPolicy, Vec<String>) {
        match mode {
            ConnectMode::Open => {
                let (extra, _) = config.map(connect_src_entries).unwrap_or_default();
                let note = (!extra.is_empty()).then(|| {
                    "config.json: connect_src only matters in a pinned build (CSP=pinned); this open build already \
                     allows every endpoint the app accepts"
                        .to_string()
                });
                (ContentPolicy::open(script_hashes), note.into_iter().collect())
            }
            ConnectMode::Pinned => ContentPolicy::pinned(config, script_hashes),
        }
    }

    pub fn connect_src(&self) -> &[String] {
        &self.connect_src
    }

    /// The directives, in the order browsers report them in the console.
    pub fn directives(&self, carrier: Carrier) -> Vec<String> {
        let mut script_src = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
        script_src.extend(self.script_hashes.iter().cloned());
        let mut d = vec![
            "default-src 'self'".to_string(),
            // 'wasm-unsafe-eval' lets the page compile its WebAssembly; it allows no JavaScript eval.
            format!("script-src {}", script_src.join(" ")),
            // The app sets no style attributes (the e2e suite's violation listener checks it).
            "style-src 'self'".to_string(),
            "img-src 'self'".to_string(),
            format!("connect-src {}", self.connect_src.join(" ")),
            "object-src 'none'".to_string(),
            "base-uri 'self'".to_string(),
            "form-action 'self'".to_string(),
        ];
        if carrier == Carrier::Header {
            d.push("frame-ancestors 'none'".to_string());
        }
        d
    }

    /// The `content` of the page's `<meta http-equiv="Content-Security-Policy">`.
    pub fn meta_text(&self) -> String {
        self.directives(Carrier::Meta).join("; ")
    }

    /// The value of the `Content-Security-Policy` header.
    pub fn header_text(&self) -> String {
        self.directives(Carrier::Header).join("; ")
    }

    /// Every header a host should send with every file: the policy and [`EXTRA_HEADERS`].
    pub fn response_headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![(POLICY_HEADER, self.header_text())];
        h.extend(EXTRA_HEADERS.iter().map(|(k, v)| (*k, v.to_string())));
        h
    }

    /// The `_headers` file (Netlify, Cloudflare Pages; netlens-proxy reads it too): one block for
    /// every path. The format is fixed: `/*`, then one indented `Name: value` line per header.
    pub fn headers_file(&self) -> String {
        let mut out = String::from("/*\n");
        for (k, v) in self.response_headers() {
            out.push_str(&format!("  {k}: {v}\n"));
        }
        out
    }
}

/// Whether a page's policy text pins `connect-src` (a pinned build: Settings cannot add endpoints).
/// An open build allows `https:` as a whole; a pinned one never does (`connect_src` takes origins
/// only), and a policy without `connect-src` or `default-src` restricts nothing.
pub fn is_pinned(policy: &str) -> bool {
    let directive = |name: &str| {
        policy.split(';').find_map(|d| {
            let mut words = d.split_ascii_whitespace();
            words.next().filter(|w| w.eq_ignore_ascii_case(name)).map(|_| words.map(str::to_string).collect::<Vec<_>>())
        })
    };
    match directive("connect-src").or_else(|| directive("default-src")) {
        None => false,
        Some(sources) => !sources.iter().any(|s| s == "*" || s.eq_ignore_ascii_case("https:")),
    }
}

/// `config.json`'s `connect_src`: a string or a list of origins such as `https://proxy.example.org`
/// (scheme http, https, ws or wss; a `*.` subdomain wildcard and a `*` port allowed). Anything else
/// (a keyword, a path, a bare scheme) is refused with a warning rather than copied into the policy.
pub fn connect_src_entries(config: &str) -> (Vec<String>, Vec<String>) {
    #[derive(Deserialize)]
    struct Extra {
        #[serde(default)]
        connect_src: Option<serde_json::Value>,
    }
    let Ok(extra) = serde_json::from_str::<Extra>(config) else { return (Vec::new(), Vec::new()) };
    let values = match extra.connect_src {
        None => Vec::new(),
        Some(serde_json::Value::Array(v)) => v,
        Some(one) => vec![one],
    };
    let (mut origins, mut warnings) = (Vec::new(), Vec::new());
    for v in values {
        match v.as_str().and_then(connect_origin) {
            Some(o) => origins.push(o),
            None => warnings.push(format!(
                "config.json: connect_src entry {v} is not an origin such as https://proxy.example.org; ignored"
            )),
        }
    }
    (origins, warnings)
}

/// One `connect_src` entry as a CSP source expression, or `None`. The host is checked by the `url`
/// crate (a `*.` wildcard and a `*` port are put back after the check: URLs cannot carry them).
fn connect_origin(raw: &str) -> Option<String> {
    let s = raw.trim();
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss") {
        return None;
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (wildcard, rest) = match rest.strip_prefix("*.") {
        Some(r) => ("*.", r),
        None => ("", rest),
    };
    let (host_port, any_port) = match rest.strip_suffix(":*") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    if host_port.is_empty()
        || host_port.contains(['/', '?', '#', '@', '*'])
        || host_port.chars().any(char::is_whitespace)
    {
        return None;
    }
    let url = url::Url::parse(&format!("{scheme}://{host_port}/")).ok()?;
    let host = url.host_str()?;
    let port = match (any_port, url.port()) {
        (true, None) => ":*".to_string(),
        (true, Some(_)) => return None,
        (false, Some(p)) => format!(":{p}"),
        (false, None) => String::new(),
    };
    Some(format!("{scheme}://{wildcard}{host}{port}"))
}

fn is_absolute(endpoint: &str) -> bool {
    endpoint.starts_with("https://") || endpoint.starts_with("http://")
}

fn origin_of(url: &str) -> String {
    super::BaseUrl::parse(url).map(|b| b.origin().to_string()).unwrap_or_default()
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::BaseUrl;
    use super::super::ConnectPolicy;
    use super::*;

    const HASH: &str = "'sha256-AAAA'";

    fn directive(policy: &str, name: &str) -> Vec<String> {
        policy
            .split("; ")
            .find_map(|d| d.strip_prefix(&format!("{name} ")))
            .map(|s| s.split(' ').map(String::from).collect())
            .unwrap_or_default()
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_host("127.0.0.1"));
        assert!(is_loopback_host("LOCALHOST"));
        // A CSP host-source cannot name an IPv6 literal, so neither can an http endpoint.
        assert!(!is_loopback_host("[::1]"));
        assert!(!is_loopback_host("127.0.0.2"));
        assert!(!is_loopback_host("example.org"));
    }

    #[test]
    fn the_open_policy_is_strict_except_for_where_the_app_connects() {
        let p = ContentPolicy::open(vec![HASH.into(), HASH.into()]);
        let meta = p.meta_text();
        assert_eq!(directive(&meta, "script-src"), ["'self'", "'wasm-unsafe-eval'", HASH], "each hash once");
        assert_eq!(directive(&meta, "connect-src"), OPEN_CONNECT_SRC);
        for d in [
            "default-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ] {
            assert!(meta.split("; ").any(|x| x == d), "{d} in {meta}");
        }
        assert!(!meta.contains("unsafe-inline") && !meta.contains("'unsafe-eval'"));
        assert!(!meta.contains("frame-ancestors"), "a meta cannot carry frame-ancestors");
        assert_eq!(p.header_text(), format!("{meta}; frame-ancestors 'none'"));
    }

    #[test]
    fn the_open_policy_allows_every_endpoint_the_app_accepts_and_nothing_else() {
        let meta = ContentPolicy::open(vec![]).meta_text();
        let policy = ConnectPolicy::parse(&meta, "https://netlens.example.org/netlens/").unwrap();
        let ok = |u: &str| policy.allows(&BaseUrl::parse(u).unwrap());
        assert!(ok("https://any.example.net/grip"), "a deployer's or a user's https endpoint");
        assert!(ok("https://netlens.example.org/netlens/api/grip"));
        assert!(ok("http://127.0.0.1:8787/spamhaus") && ok("http://localhost:9/x"));
        assert!(!ok("http://proxy.example.org/grip"), "plain http off loopback");
        // Whatever the app accepts on an https page, the policy allows; whatever it refuses, it blocks.
        let page = url::Url::parse("https://netlens.example.org/netlens/").unwrap();
        for raw in [
            "https://x.example",
            "http://127.0.0.1:1",
            "http://localhost:2/a",
            "api/grip",
            "/api/spamhaus",
            "http://[::1]:8080",
            "http://proxy.example.org",
            "http://10.0.0.1:80",
        ] {
            let accepted = BaseUrl::parse(raw).unwrap().resolve(&page);
            let allowed = accepted.as_ref().is_ok_and(|b| policy.allows(b));
            assert_eq!(accepted.is_ok(), allowed, "{raw}: accepted {accepted:?} but allowed {allowed}");
        }
        // Chromium refuses IPv6 literals in a source list (the whole entry is ignored with an error).
        assert!(!meta.contains("[::1]"));
        assert!(!is_pinned(&meta));
    }

    #[test]
    fn a_pinned_policy_follows_config_json_by_the_apps_own_rules() {
        let config =
            r#"{"endpoints":{"grip":"http://127.0.0.1:8702/json","ioda":"https://ioda.example.org:8443/v2/"}}"#;
        let (p, warnings) = ContentPolicy::pinned(Some(config), vec![HASH.into()]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            p.connect_src(),
            [
                "'self'",
                "https://api.spoofer.caida.org",
                "http://127.0.0.1:8702",
                "https://ioda.example.org:8443",
                "https://api.spamhaus.org"
            ]
        );
        assert_eq!(directive(&p.meta_text(), "script-src"), ["'self'", "'wasm-unsafe-eval'", HASH]);
        assert!(is_pinned(&p.meta_text()));
        assert!(is_pinned(&p.header_text()));
    }

    #[test]
    fn pinned_mistakes_fall_back_to_the_defaults_the_app_uses() {
        let (none, w) = ContentPolicy::pinned(None, vec![]);
        assert!(w.is_empty());
        let (broken, w) = ContentPolicy::pinned(Some("{broken"), vec![]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(none.connect_src(), broken.connect_src());
        let defaults: Vec<String> = Source::ALL.iter().map(|s| origin_of(public_default(*s))).collect();
        assert_eq!(none.connect_src()[1..], defaults[..]);

        let (bad, w) = ContentPolicy::pinned(
            Some(r#"{"endpoints":{"grip":"javascript:alert(1)","spamhaus":"https://u:p@evil.example"}}"#),
            vec![],
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(bad.connect_src().contains(&"https://api.grip.inetintel.cc.gatech.edu".to_string()));
        assert!(bad.connect_src().contains(&"https://api.spamhaus.org".to_string()));
        assert!(!bad.connect_src().iter().any(|o| o.contains("evil") || o.starts_with("javascript")));
    }

    #[test]
    fn connect_src_adds_origins_and_refuses_anything_else() {
        let config = r#"{"connect_src":["http://127.0.0.1:8787","https://*.Proxy.example.org/","'unsafe-inline'",
            "https://x.example/path?q","https:","wss://live.example:*",42,"ftp://files.example","https://a b.example"]}"#;
        let (origins, warnings) = connect_src_entries(config);
        assert_eq!(origins, ["http://127.0.0.1:8787", "https://*.proxy.example.org", "wss://live.example:*"]);
        assert_eq!(warnings.len(), 6, "{warnings:?}");
        assert_eq!(connect_src_entries(r#"{"connect_src":"https://one.example"}"#).0, ["https://one.example"]);
        assert_eq!(connect_src_entries("{}"), (vec![], vec![]));

        let (p, w) = ContentPolicy::pinned(Some(r#"{"connect_src":["http://127.0.0.1:8787"]}"#), vec![]);
        assert!(w.is_empty());
        assert_eq!(p.connect_src().last().map(String::as_str), Some("http://127.0.0.1:8787"));
        assert!(!is_pinned("connect-src 'self' https:"), "a bare scheme cannot come from connect_src");
    }

    #[test]
    fn an_open_build_ignores_connect_src_with_a_note() {
        let (p, notes) =
            ContentPolicy::for_mode(ConnectMode::Open, Some(r#"{"connect_src":["https://p.example"]}"#), vec![]);
        assert_eq!(p, ContentPolicy::open(vec![]));
        assert_eq!(notes.len(), 1);
        assert!(ContentPolicy::for_mode(ConnectMode::Open, Some("{}"), vec![]).1.is_empty());
        assert!(is_pinned(&ContentPolicy::for_mode(ConnectMode::Pinned, None, vec![]).0.meta_text()));
    }

    #[test]
    fn forwarded_sources_live_under_api() {
        assert_eq!(same_origin_endpoint(Source::Grip), "api/grip");
        assert_eq!(FORWARDED_SOURCES.map(same_origin_endpoint), ["api/grip", "api/spamhaus"]);
    }

    #[test]
    fn modes_by_name() {
        assert_eq!(ConnectMode::from_key("pinned"), Some(ConnectMode::Pinned));
        assert_eq!(ConnectMode::from_key(" Open "), Some(ConnectMode::Open));
        assert_eq!(ConnectMode::from_key(""), Some(ConnectMode::Open));
        assert_eq!(ConnectMode::from_key("strict"), None);
    }

    #[test]
    fn is_pinned_reads_a_page_policy() {
        assert!(!is_pinned("script-src 'self'"), "nothing restricts connections");
        assert!(is_pinned("default-src 'self'"));
        assert!(!is_pinned("default-src *"));
        assert!(is_pinned("default-src https:; connect-src 'self' https://api.spamhaus.org"));
    }

    #[test]
    fn the_headers_file_keeps_its_format() {
        let p = ContentPolicy::open(vec![HASH.into()]);
        let expected = format!(
            "/*\n  Content-Security-Policy: {}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n",
            p.header_text()
        );
        assert_eq!(p.headers_file(), expected);
        assert!(p.headers_file().contains("frame-ancestors 'none'"));
        assert_eq!(p.response_headers().len(), 3);
    }
}
