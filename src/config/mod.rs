//! Which endpoint each source talks to: public defaults, then the deployment's `config.json`,
//! then the user's Settings overrides. Nothing in a page URL takes part.

use crate::api::ioda::IodaDialect;
use crate::api::Source;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod policy;

/// The public services, as their owners document them (see shared/apis/README.md).
pub fn public_default(source: Source) -> &'static str {
    match source {
        Source::Spoofer => "https://api.spoofer.caida.org",
        Source::Grip => "https://api.grip.inetintel.cc.gatech.edu/json",
        Source::Ioda => "https://api.ioda.inetintel.cc.gatech.edu/v2",
        Source::Spamhaus => "https://api.spamhaus.org",
    }
}

/// Where an endpoint in effect came from, shown on the Settings page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Default,
    ConfigFile,
    Settings,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Default => "public default",
            Origin::ConfigFile => "config.json",
            Origin::Settings => "your Settings",
        }
    }
}

/// An endpoint base URL: absolute http(s), no query, fragment or credentials, no trailing slash; or
/// a path on the app's own origin (`api/grip`, `/api/grip`), which [`BaseUrl::resolve`] turns into an
/// absolute URL against the page's base URL (so sub-path hosting keeps working).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BaseUrl(String);

/// What every endpoint error says it should be.
const ENDPOINT_FORMS: &str =
    "must start with https:// (or http:// for a local proxy), or be a path on this site such as api/grip";

impl BaseUrl {
    /// Checked with the `url` crate (WHATWG parsing, as the browser does); the text is kept as
    /// written, less surrounding blanks and trailing slashes, so joins stay predictable.
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let s = raw.trim();
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must be a plain base URL, without spaces".into());
        }
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            return BaseUrl::parse_path(s);
        }
        // The `url` crate here has no Unicode tables (Cargo.lock pins idna_adapter 1.0: about 40 kB
        // of the first visit), so an international host name is asked for in the ASCII form that
        // DNS and the browser use anyway.
        let host = s.split_once("://").map_or("", |(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""));
        if !host.is_ascii() {
            return Err(
                "has a host name in Unicode: write it in its ASCII form (xn--…, as the browser shows it)".into()
            );
        }
        let parsed = url::Url::parse(s).map_err(|e| format!("is not a valid URL ({e})"))?;
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err("has no host name".into());
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("must not contain a user name or password".into());
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err("must be a plain base URL, without ? or #".into());
        }
        Ok(BaseUrl(s.trim_end_matches('/').to_string()))
    }

    /// A same-origin path: plain segments of letters, digits and `-._~` only, so it can never name
    /// another host (`//host`, `\\host`), a scheme (`javascript:`) or climb out of the base (`..`).
    fn parse_path(s: &str) -> Result<BaseUrl, String> {
        let trimmed = s.trim_end_matches('/');
        let body = trimmed.strip_prefix('/').unwrap_or(trimmed);
        let plain = |seg: &str| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        };
        if body.is_empty() || !body.split('/').all(plain) {
            return Err(ENDPOINT_FORMS.into());
        }
        Ok(BaseUrl(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a path on the app's own origin, not yet resolved against the page.
    pub fn is_relative(&self) -> bool {
        !(self.0.starts_with("https://") || self.0.starts_with("http://"))
    }

    /// The absolute endpoint for a page whose base URL (`document.baseURI`) is `page`: a path is
    /// joined to it (`api/grip` under `/netlens/` is `/netlens/api/grip`); an absolute URL stays as it
    /// is, but plain http:// only reaches loopback (a local proxy) or the page's own origin: the
    /// browser blocks mixed content from an https page, and the build's policy allows no more.
    pub fn resolve(&self, page: &url::Url) -> Result<BaseUrl, String> {
        if self.is_relative() {
            let joined = page.join(&self.0).map_err(|e| format!("cannot be read on this page ({e})"))?;
            return Ok(BaseUrl(joined[..url::Position::AfterPath].trim_end_matches('/').to_string()));
        }
        let url = url::Url::parse(&self.0).map_err(|e| format!("is not a valid URL ({e})"))?;
        let same_origin = url.origin() == page.origin();
        let loopback = url.host_str().is_some_and(policy::is_loopback_host);
        if url.scheme() == "http" && !loopback && !same_origin {
            return Err("uses plain http://, which NetLens allows only for a proxy on this machine \
                        (127.0.0.1, localhost) or this site itself; use https://"
                .into());
        }
        Ok(self.clone())
    }

    /// `base` + `/path`, with exactly one slash between them.
    pub fn join(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }

    /// `https://host:port`, the part a CSP `connect-src` or a same-origin check compares (empty for a
    /// path not yet resolved: it is on the page's own origin).
    pub fn origin(&self) -> &str {
        if self.is_relative() {
            return "";
        }
        let scheme_end = self.0.find("://").map_or(0, |i| i + 3);
        match self.0[scheme_end..].find('/') {
            Some(i) => &self.0[..scheme_end + i],
            None => &self.0,
        }
    }
}

impl TryFrom<String> for BaseUrl {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        BaseUrl::parse(&s)
    }
}

impl From<BaseUrl> for String {
    fn from(b: BaseUrl) -> String {
        b.0
    }
}

/// What `config.json` (or the Settings overrides in localStorage) holds: any key optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointOverrides {
    #[serde(default)]
    pub endpoints: BTreeMap<String, String>,
    /// `"v2"` (default) or `"legacy"`: which IODA alert API the IODA endpoint speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ioda_dialect: Option<String>,
    /// Deployer-only: enables the `/diagnostics` page (a test panic). Read from `config.json`
    /// alone, never from Settings or a URL.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub diagnostics: bool,
    /// Deployer-only: how long to wait for any service, in seconds (1–120; default 20). A slow
    /// mirror may need more; the end-to-end tests use less.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
}

impl EndpointOverrides {
    /// Parses the file; unknown sources and malformed URLs become warnings, not failures, so one
    /// typo never takes the other endpoints with it.
    pub fn parse(json: &str) -> Result<(EndpointOverrides, Vec<String>), String> {
        let raw: EndpointOverrides =
            serde_json::from_str(json).map_err(|e| format!("config.json is not valid: {e}"))?;
        let mut warnings = Vec::new();
        let mut endpoints = BTreeMap::new();
        for (key, url) in raw.endpoints {
            match (Source::from_key(&key), BaseUrl::parse(&url)) {
                (None, _) => warnings.push(format!("config.json: unknown endpoint “{key}” ignored")),
                (Some(_), Err(e)) => warnings.push(format!("config.json: endpoint “{key}” {e}; using the default")),
                (Some(_), Ok(b)) => {
                    endpoints.insert(key, b.0);
                }
            }
        }
        let ioda_dialect = match raw.ioda_dialect {
            Some(d) if IodaDialect::from_key(&d).is_none() => {
                warnings.push(format!("config.json: ioda_dialect “{d}” is not v2 or legacy; using v2"));
                None
            }
            other => other,
        };
        let timeout_seconds = match raw.timeout_seconds {
            Some(t) if !(1..=120).contains(&t) => {
                warnings.push(format!("config.json: timeout_seconds {t} is not between 1 and 120; using 20"));
                None
            }
            other => other,
        };
        let diagnostics = raw.diagnostics;
        Ok((EndpointOverrides { endpoints, ioda_dialect, diagnostics, timeout_seconds }, warnings))
    }

    /// What a page at `page` cannot use of these endpoints, in words (a console warning at start-up).
    pub fn unusable_on(&self, page: &url::Url) -> Vec<String> {
        Source::ALL
            .into_iter()
            .filter_map(|s| {
                let base = self.get(s)?;
                base.resolve(page).err().map(|e| format!("config.json: endpoint “{}” {e}; using the default", s.key()))
            })
            .collect()
    }

    pub fn dialect(&self) -> Option<IodaDialect> {
        self.ioda_dialect.as_deref().and_then(IodaDialect::from_key)
    }

    pub fn get(&self, source: Source) -> Option<BaseUrl> {
        self.endpoints.get(source.key()).and_then(|u| BaseUrl::parse(u).ok())
    }
}

/// The endpoints in effect, and where each came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    entries: Vec<(Source, BaseUrl, Origin)>,
    /// The IODA alert dialect in effect (Settings, then config.json, then v2).
    pub ioda_dialect: IodaDialect,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints::resolve(&EndpointOverrides::default(), &EndpointOverrides::default())
    }
}

impl Endpoints {
    /// Settings beat config.json, which beats the public default.
    pub fn resolve(file: &EndpointOverrides, settings: &EndpointOverrides) -> Endpoints {
        Endpoints::pick(file, settings, |o, s| o.get(s))
    }

    /// [`Endpoints::resolve`] for a page whose base URL is `page`: paths become absolute on the
    /// page's origin, and an endpoint this page cannot use (plain http to another host) gives way to
    /// the next one down (config.json, then the default), as a malformed one does.
    pub fn resolve_for(file: &EndpointOverrides, settings: &EndpointOverrides, page: &url::Url) -> Endpoints {
        Endpoints::pick(file, settings, |o, s| o.get(s).and_then(|b| b.resolve(page).ok()))
    }

    /// Per source, the first of Settings, config.json and the default that `usable` takes.
    fn pick(
        file: &EndpointOverrides,
        settings: &EndpointOverrides,
        usable: impl Fn(&EndpointOverrides, Source) -> Option<BaseUrl>,
    ) -> Endpoints {
        let entries = Source::ALL
            .into_iter()
            .map(|s| match (usable(settings, s), usable(file, s)) {
                (Some(u), _) => (s, u, Origin::Settings),
                (None, Some(u)) => (s, u, Origin::ConfigFile),
                (None, None) => (s, BaseUrl::parse(public_default(s)).expect("defaults are valid"), Origin::Default),
            })
            .collect();
        let ioda_dialect = settings.dialect().or(file.dialect()).unwrap_or_default();
        Endpoints { entries, ioda_dialect }
    }

    /// Whether `source` is reached on the page's own origin (through the host's forwarding).
    pub fn is_same_origin(&self, source: Source, page: &url::Url) -> bool {
        url::Url::parse(self.base(source).as_str()).is_ok_and(|u| u.origin() == page.origin())
    }

    pub fn base(&self, source: Source) -> &BaseUrl {
        &self.entry(source).1
    }

    pub fn origin_of(&self, source: Source) -> Origin {
        self.entry(source).2
    }

    fn entry(&self, source: Source) -> &(Source, BaseUrl, Origin) {
        self.entries.iter().find(|e| e.0 == source).expect("every source has an entry")
    }
}

/// Where the page may connect: the `connect-src` (else `default-src`) of the deployment's
/// Content-Security-Policy, so Settings can say before the browser does that an endpoint will be blocked.
/// Hand-written matching of CSP source expressions (no crate does this for wasm without a large
/// dependency tree); it covers what tools/postbuild writes and what deployers commonly add: `'self'`,
/// `*`, `scheme:`, and `[scheme://]host[:port][/path]` with `*.` host and `*` port wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectPolicy {
    sources: Vec<String>,
    page: url::Url,
}

impl ConnectPolicy {
    /// `None` when the policy does not restrict connections (or the page's own URL is unreadable).
    pub fn parse(policy: &str, page_url: &str) -> Option<ConnectPolicy> {
        let page = url::Url::parse(page_url).ok()?;
        let directive = |name: &str| {
            policy.split(';').map(str::trim).find_map(|d| {
                let mut words = d.split_ascii_whitespace();
                words
                    .next()
                    .filter(|w| w.eq_ignore_ascii_case(name))
                    .map(|_| words.map(str::to_string).collect::<Vec<_>>())
            })
        };
        let sources = directive("connect-src").or_else(|| directive("default-src"))?;
        Some(ConnectPolicy { sources, page })
    }

    /// Whether a request under this base URL passes the policy.
    pub fn allows(&self, base: &BaseUrl) -> bool {
        let Ok(url) = url::Url::parse(base.as_str()) else { return false };
        self.sources.iter().any(|s| self.source_matches(s, &url))
    }

    /// The allowed destinations in words: the app's own origin first, then each source.
    pub fn describe(&self) -> String {
        let own = self.page.origin().ascii_serialization();
        let mut out: Vec<String> = Vec::new();
        for s in &self.sources {
            let item = match s.as_str() {
                "'self'" => format!("this site ({own})"),
                "'none'" => continue,
                other => other.to_string(),
            };
            if !out.contains(&item) {
                out.push(item);
            }
        }
        if out.is_empty() {
            "nowhere".into()
        } else {
            out.join(", ")
        }
    }

    fn source_matches(&self, source: &str, url: &url::Url) -> bool {
        let scheme_ok = |allowed: &str, scheme: &str| {
            allowed.eq_ignore_ascii_case(scheme)
                || matches!(
                    (allowed.to_ascii_lowercase().as_str(), scheme),
                    ("http", "https") | ("ws", "wss") | ("http", "ws") | ("https", "wss")
                )
        };
        let source = source.trim();
        if source.eq_ignore_ascii_case("'self'") {
            return scheme_ok(self.page.scheme(), url.scheme())
                && url.host_str() == self.page.host_str()
                && url.port_or_known_default() == self.page.port_or_known_default();
        }
        if source == "*" {
            return matches!(url.scheme(), "http" | "https" | "ws" | "wss");
        }
        if source.starts_with('\'') {
            return false; // 'none', hashes, nonces, 'unsafe-…': not destinations
        }
        if let Some(scheme) = source.strip_suffix(':').filter(|s| !s.contains('/')) {
            return scheme_ok(scheme, url.scheme());
        }
        let (scheme, rest) = match source.split_once("://") {
            Some((sch, rest)) => (sch.to_string(), rest),
            None => (self.page.scheme().to_string(), source),
        };
        if !scheme_ok(&scheme, url.scheme()) {
            return false;
        }
        let (host_port, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        // `[::1]` has colons but no port; `[::1]:8080` and `host:8080` have one.
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) if !host_port.ends_with(']') && !p.is_empty() => (h, Some(p)),
            _ => (host_port, None),
        };
        let Some(url_host) = url.host_str() else { return false };
        let host_ok = match host.strip_prefix("*.") {
            Some(suffix) => url_host.to_ascii_lowercase().ends_with(&format!(".{}", suffix.to_ascii_lowercase())),
            None => host == "*" || url_host.eq_ignore_ascii_case(host),
        };
        let port_ok = match port {
            Some("*") => true,
            Some(p) => p.parse::<u16>().ok() == url.port_or_known_default(),
            None => url.port().is_none() || url.port_or_known_default() == default_port(&scheme),
        };
        // A path ending in `/` covers what is under it; any other path names one URL, never a base.
        let path_ok = path.is_empty()
            || path == "/"
            || (path.ends_with('/') && format!("{}/", url.path().trim_end_matches('/')).starts_with(path));
        host_ok && port_ok && path_ok
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// The colour theme chosen in Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "Follow the system",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    pub fn from_key(key: &str) -> Theme {
        Theme::ALL.into_iter().find(|t| t.key() == key).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(BaseUrl::parse(" https://api.example.org/v2/ ").unwrap().as_str(), "https://api.example.org/v2");
        assert_eq!(BaseUrl::parse("http://127.0.0.1:8702").unwrap().as_str(), "http://127.0.0.1:8702");
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("javascript:alert(1)").is_err());
        assert!(BaseUrl::parse("https://").is_err());
        assert!(BaseUrl::parse("https://user:pw@host").is_err());
        assert!(BaseUrl::parse("https://host/?q=1").is_err());
        assert!(BaseUrl::parse("https://ho st").is_err());
        // International host names in their ASCII form; the Unicode form is refused with a hint.
        assert_eq!(
            BaseUrl::parse("https://xn--bcher-kva.example/api").unwrap().as_str(),
            "https://xn--bcher-kva.example/api"
        );
        assert!(BaseUrl::parse("https://bücher.example/api").unwrap_err().contains("ASCII form"));
        assert!(BaseUrl::parse("https://api.example.org/bücher").is_ok(), "only the host must be ASCII");
    }

    #[test]
    fn same_origin_paths_are_endpoints_and_nothing_else_is() {
        for ok in ["api/grip", "/api/grip", "api/grip/", "proxy/v1.2/grip_x~"] {
            let b = BaseUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(b.is_relative(), "{ok}");
            assert_eq!(b.origin(), "");
        }
        assert_eq!(BaseUrl::parse("api/grip/").unwrap().as_str(), "api/grip");
        for bad in [
            "",
            "/",
            "//evil.example/x",
            "\\\\evil.example",
            "javascript:alert(1)",
            "../up",
            "api/../x",
            "./api",
            "api/grip?x=1",
            "api/grip#x",
            "data:text/html,x",
            "api/gr ip",
            "ftp://x",
            "evil.example:443/x",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(BaseUrl::parse("ftp://example.org").unwrap_err().starts_with("must start with https://"));
    }

    #[test]
    fn paths_resolve_against_the_page_base_and_http_stays_local() {
        let page = url::Url::parse("https://netlens.example.org/netlens/grip?x=1").unwrap();
        let at = |raw: &str| BaseUrl::parse(raw).unwrap().resolve(&page);
        assert_eq!(at("api/grip").unwrap().as_str(), "https://netlens.example.org/netlens/api/grip");
        assert_eq!(at("/api/grip").unwrap().as_str(), "https://netlens.example.org/api/grip");
        assert_eq!(at("https://api.spamhaus.org").unwrap().as_str(), "https://api.spamhaus.org");
        assert_eq!(at("http://127.0.0.1:8787/grip").unwrap().as_str(), "http://127.0.0.1:8787/grip");
        assert!(at("http://localhost:9/x").is_ok());
        assert!(at("http://[::1]:9/x").is_err(), "a policy cannot allow an IPv6 literal: use localhost");
        assert!(at("http://proxy.example.org/grip").unwrap_err().contains("plain http://"));
        // An http page may name its own origin over http.
        let local = url::Url::parse("http://netlens.lan:8080/").unwrap();
        assert!(BaseUrl::parse("http://netlens.lan:8080/api/grip").unwrap().resolve(&local).is_ok());
        assert!(BaseUrl::parse("http://other.lan:8080/api/grip").unwrap().resolve(&local).is_err());
    }

    #[test]
    fn endpoints_for_a_page_resolve_paths_and_skip_what_it_cannot_use() {
        let page = url::Url::parse("http://127.0.0.1:8700/netlens/").unwrap();
        let (file, w) = EndpointOverrides::parse(
            r#"{"endpoints":{"grip":"api/grip","spamhaus":"api/spamhaus","ioda":"http://ioda.example.org/v2"}}"#,
        )
        .unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(file.unusable_on(&page).len(), 1, "plain http to another host");
        let (settings, _) =
            EndpointOverrides::parse(r#"{"endpoints":{"spoofer":"http://spoofer.example.org"}}"#).unwrap();
        let e = Endpoints::resolve_for(&file, &settings, &page);
        assert_eq!(e.base(Source::Grip).as_str(), "http://127.0.0.1:8700/netlens/api/grip");
        assert_eq!(e.origin_of(Source::Grip), Origin::ConfigFile);
        assert!(e.is_same_origin(Source::Grip, &page));
        assert!(e.is_same_origin(Source::Spamhaus, &page));
        assert_eq!(e.base(Source::Ioda).as_str(), public_default(Source::Ioda));
        assert_eq!(e.origin_of(Source::Spoofer), Origin::Default, "an unusable Settings entry gives way");
        assert!(!e.is_same_origin(Source::Ioda, &page));
    }

    #[test]
    fn join_and_origin() {
        let b = BaseUrl::parse("https://api.grip.inetintel.cc.gatech.edu/json").unwrap();
        assert_eq!(b.join("/events"), "https://api.grip.inetintel.cc.gatech.edu/json/events");
        assert_eq!(b.join("tags"), "https://api.grip.inetintel.cc.gatech.edu/json/tags");
        assert_eq!(b.origin(), "https://api.grip.inetintel.cc.gatech.edu");
        assert_eq!(BaseUrl::parse("http://127.0.0.1:9").unwrap().origin(), "http://127.0.0.1:9");
    }

    #[test]
    fn defaults_are_the_public_services() {
        let e = Endpoints::default();
        for s in Source::ALL {
            assert_eq!(e.base(s).as_str(), public_default(s));
            assert_eq!(e.origin_of(s), Origin::Default);
        }
    }

    #[test]
    fn settings_beat_file_beat_defaults() {
        let (file, warnings) = EndpointOverrides::parse(
            r#"{"endpoints":{"ioda":"http://127.0.0.1:8703/v2","grip":"http://127.0.0.1:8702/json","nope":"https://x","spoofer":"not a url"},"extra":1}"#,
        )
        .unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let (settings, _) = EndpointOverrides::parse(r#"{"endpoints":{"grip":"https://proxy.example/grip"}}"#).unwrap();
        let e = Endpoints::resolve(&file, &settings);
        assert_eq!(e.base(Source::Ioda).as_str(), "http://127.0.0.1:8703/v2");
        assert_eq!(e.origin_of(Source::Ioda), Origin::ConfigFile);
        assert_eq!(e.base(Source::Grip).as_str(), "https://proxy.example/grip");
        assert_eq!(e.origin_of(Source::Grip), Origin::Settings);
        assert_eq!(e.origin_of(Source::Spoofer), Origin::Default);
        assert_eq!(e.ioda_dialect, IodaDialect::V2);
    }

    #[test]
    fn ioda_dialect_comes_from_settings_then_file() {
        let (file, w) = EndpointOverrides::parse(r#"{"ioda_dialect":"legacy"}"#).unwrap();
        assert!(w.is_empty());
        assert_eq!(Endpoints::resolve(&file, &EndpointOverrides::default()).ioda_dialect, IodaDialect::Legacy);
        let settings = EndpointOverrides { ioda_dialect: Some("v2".into()), ..Default::default() };
        assert_eq!(Endpoints::resolve(&file, &settings).ioda_dialect, IodaDialect::V2);
        let (bad, w) = EndpointOverrides::parse(r#"{"ioda_dialect":"v9"}"#).unwrap();
        assert_eq!(bad.ioda_dialect, None);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn themes_round_trip_and_default_to_system() {
        for t in Theme::ALL {
            assert_eq!(Theme::from_key(t.key()), t);
        }
        assert_eq!(Theme::from_key("neon"), Theme::System);
    }

    #[test]
    fn diagnostics_and_timeout_are_off_unless_the_file_says_so() {
        let (plain, _) = EndpointOverrides::parse("{}").unwrap();
        assert!(!plain.diagnostics);
        assert_eq!(plain.timeout_seconds, None);
        let (on, w) = EndpointOverrides::parse(r#"{"diagnostics":true,"timeout_seconds":3}"#).unwrap();
        assert!(w.is_empty());
        assert!(on.diagnostics);
        assert_eq!(on.timeout_seconds, Some(3));
        let (bad, w) = EndpointOverrides::parse(r#"{"timeout_seconds":0}"#).unwrap();
        assert_eq!((bad.timeout_seconds, w.len()), (None, 1));
        assert!(EndpointOverrides::parse(r#"{"diagnostics":"yes"}"#).is_err());
        // Saved Settings never carry the switch (it is skipped when off).
        assert_eq!(serde_json::to_string(&EndpointOverrides::default()).unwrap(), r#"{"endpoints":{}}"#);
    }

    #[test]
    fn invalid_files_are_reported() {
        assert!(EndpointOverrides::parse("{").is_err());
        assert!(EndpointOverrides::parse(r#"{"endpoints":[1]}"#).is_err());
        assert_eq!(EndpointOverrides::parse("{}").unwrap().0, EndpointOverrides::default());
    }

    #[test]
    fn connect_policy_matches_what_the_browser_would_allow() {
        let policy = "default-src 'self'; script-src 'self' 'sha256-x'; connect-src 'self' https://api.spamhaus.org \
                      http://127.0.0.1:8787 https://*.proxy.example.org https://only.example.org:* wss: \
                      https://paths.example.org/api/; object-src 'none'";
        let p = ConnectPolicy::parse(policy, "https://netlens.example.org/netlens/settings").unwrap();
        let ok = |u: &str| p.allows(&BaseUrl::parse(u).unwrap());
        assert!(ok("https://netlens.example.org/spamhaus"), "'self'");
        assert!(ok("https://api.spamhaus.org"));
        assert!(ok("https://API.spamhaus.org:443/x"), "default port, any case");
        assert!(!ok("http://api.spamhaus.org"), "no downgrade");
        assert!(ok("http://127.0.0.1:8787/spamhaus"));
        assert!(!ok("http://127.0.0.1:8788/spamhaus"), "another port");
        assert!(ok("https://a.b.proxy.example.org/grip"));
        assert!(!ok("https://proxy.example.org/grip"), "*. needs a subdomain");
        assert!(ok("https://only.example.org:9443/v2"));
        assert!(ok("https://paths.example.org/api/v2"));
        assert!(!ok("https://paths.example.org/other"));
        assert!(!ok("https://evil.example"));
        assert!(!ok("http://netlens.example.org"), "'self' keeps the scheme");
        assert_eq!(
            p.describe(),
            "this site (https://netlens.example.org), https://api.spamhaus.org, http://127.0.0.1:8787, \
             https://*.proxy.example.org, https://only.example.org:*, wss:, https://paths.example.org/api/"
        );

        // An http page's 'self' also allows https on the same host; default-src stands in for connect-src.
        let local = ConnectPolicy::parse("default-src 'self' https:", "http://127.0.0.1:8700/").unwrap();
        assert!(local.allows(&BaseUrl::parse("http://127.0.0.1:8700/x").unwrap()));
        assert!(local.allows(&BaseUrl::parse("https://anything.example").unwrap()));
        assert!(!local.allows(&BaseUrl::parse("http://127.0.0.1:8701").unwrap()));
        assert!(ConnectPolicy::parse("script-src 'self'", "http://x/").is_none(), "no restriction on connections");
        let none = ConnectPolicy::parse("connect-src 'none'", "http://x/").unwrap();
        assert!(!none.allows(&BaseUrl::parse("http://x").unwrap()));
        assert_eq!(none.describe(), "nowhere");
        assert!(ConnectPolicy::parse("connect-src *", "not a url").is_none());
    }
}
