//! Where a request may go: the upstream base of each source, the path rules that keep a request under
//! its base, and which redirects and origins are acceptable. Pure functions, unit-tested here.

use netlens::api::Source;
use netlens::config::{public_default, BaseUrl};
use url::Url;

/// Parses an upstream base. The endpoint rule is the app's own ([`BaseUrl::parse`]: http(s), a host,
/// no user info, query or fragment); the proxy adds what it needs to connect: an absolute URL.
/// A trailing slash is dropped, so `https://x/json/` and `https://x/json` are the same base.
pub fn parse_base(value: &str) -> Result<Url, String> {
    let base = BaseUrl::parse(value).map_err(|e| format!("{value:?} {e}"))?;
    let url = Url::parse(base.as_str()).map_err(|e| format!("{value:?} is not an absolute URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{value:?} must be an absolute http(s) URL with a host"));
    }
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

/// Whether `origin` (an `Origin` header) names the site the request was sent to (its `Host` header):
/// the app's own pages, served by this proxy, directly or behind a TLS-terminating load balancer (so
/// either scheme counts; the port must match the scheme's).
pub fn is_same_origin(origin: &str, host: &str) -> bool {
    let Ok(origin) = Url::parse(origin) else { return false };
    if !matches!(origin.scheme(), "http" | "https") || origin.path() != "/" || host.contains(['/', '@', '?', '#']) {
        return false;
    }
    let Ok(target) = Url::parse(&format!("{}://{host}/", origin.scheme())) else { return false };
    origin.host_str().is_some()
        && origin.host_str() == target.host_str()
        && origin.port_or_known_default() == target.port_or_known_default()
}

/// The upstream base of every source, and which ones `--upstream` replaced.
#[derive(Clone, Debug)]
pub struct Upstreams {
    bases: [Url; 4],
    replaced: [bool; 4],
}

impl Default for Upstreams {
    fn default() -> Self {
        Upstreams {
            bases: Source::ALL.map(|s| parse_base(public_default(s)).expect("built-in base")),
            replaced: [false; 4],
        }
    }
}

fn index(source: Source) -> usize {
    Source::ALL.iter().position(|s| *s == source).expect("one of ALL")
}

impl Upstreams {
    pub fn base(&self, source: Source) -> &Url {
        &self.bases[index(source)]
    }

    /// Whether the base is not the public default (set by `--upstream`).
    pub fn is_replaced(&self, source: Source) -> bool {
        self.replaced[index(source)]
    }

    pub fn set(&mut self, source: Source, base: Url) {
        self.bases[index(source)] = base;
        self.replaced[index(source)] = true;
    }

    /// Applies `name=url` overrides (only the four names).
    pub fn with_overrides<S: AsRef<str>>(mut self, overrides: &[S]) -> Result<Self, String> {
        for o in overrides {
            let o = o.as_ref();
            let (name, value) = o
                .split_once('=')
                .ok_or_else(|| format!("--upstream {o:?}: expected NAME=URL, e.g. spamhaus=http://127.0.0.1:8704"))?;
            let source = Source::from_key(name.trim()).ok_or_else(|| {
                format!("--upstream {o:?}: unknown source {name:?} (spoofer, grip, ioda or spamhaus)")
            })?;
            self.set(source, parse_base(value).map_err(|e| format!("--upstream {o:?}: {e}"))?);
        }
        Ok(self)
    }
}

/// Why a path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RouteError {
    /// The first segment is not one of the four source keys: 404.
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
    let source = Source::from_key(name).ok_or(RouteError::UnknownSource)?;
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
/// on the default ports): GRIP moves `/json/…` to `/v1/json/…` on its own host, with an absolute
/// `Location`. Any path on that host is fine; another host never is.
pub fn same_host(from: &Url, to: &Url) -> bool {
    if from.host_str() != to.host_str() || !to.username().is_empty() || to.password().is_some() {
        return false;
    }
    if from.scheme() == to.scheme() {
        return from.port_or_known_default() == to.port_or_known_default();
    }
    from.scheme() == "http" && to.scheme() == "https" && from.port().is_none() && to.port().is_none()
}

/// A `--public-path`: `/` or `/a/b/` (letters, digits, `-`, `_`, `.`, `~`; no dot segments).
pub fn parse_public_path(value: &str) -> Result<String, String> {
    let trimmed = value.trim().trim_matches('/');
    if trimmed.is_empty() {
        return Ok("/".into());
    }
    let ok = trimmed.split('/').all(|seg| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
    });
    if !ok {
        return Err(format!("--public-path {value:?}: use a plain path such as /netlens/ (letters, digits, - _ . ~)"));
    }
    Ok(format!("/{trimmed}/"))
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
        for bad in ["ftp://x", "/relative", "api/grip", "https://u:p@x", "https://x/?q=1", "https://x/#f", "https://"] {
            assert!(parse_base(bad).is_err(), "{bad}");
        }
        assert!(Upstreams::default().with_overrides(&["evil=https://x"]).is_err());
        assert!(Upstreams::default().with_overrides(&["spamhaus"]).is_err());
        let u = Upstreams::default().with_overrides(&["spamhaus=http://127.0.0.1:8704"]).unwrap();
        assert_eq!(u.base(Source::Spamhaus).as_str(), "http://127.0.0.1:8704/");
        assert!(u.is_replaced(Source::Spamhaus));
        assert!(!u.is_replaced(Source::Ioda));
        assert_eq!(u.base(Source::Ioda).as_str(), "https://api.ioda.inetintel.cc.gatech.edu/v2");
        assert_eq!(parse_origin("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(parse_origin("HTTPS://NetLens.Example.org:443").unwrap(), "https://netlens.example.org");
        for bad in ["*", "null", "http://x/app", "file:///tmp", "x"] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_defaults_are_the_apps() {
        let u = Upstreams::default();
        for s in Source::ALL {
            assert_eq!(u.base(s).as_str().trim_end_matches('/'), public_default(s), "{s}");
            assert!(!u.is_replaced(s));
        }
    }

    #[test]
    fn same_origin_is_the_host_the_request_was_sent_to() {
        assert!(is_same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(is_same_origin("https://netlens.example.org", "netlens.example.org"));
        assert!(is_same_origin("https://NetLens.example.org", "netlens.example.org:443"));
        assert!(is_same_origin("http://[::1]:9000", "[::1]:9000"));
        assert!(!is_same_origin("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assert!(!is_same_origin("https://evil.example", "netlens.example.org"));
        assert!(!is_same_origin("http://netlens.example.org", "netlens.example.org:8080"));
        assert!(!is_same_origin("null", "netlens.example.org"));
        assert!(!is_same_origin("http://a.example", "a.example/x"));
        assert!(!is_same_origin("http://a.example", "evil@a.example"));
        assert!(!is_same_origin("http://a.example/path", "a.example"));
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

    #[test]
    fn public_paths() {
        assert_eq!(parse_public_path("/").unwrap(), "/");
        assert_eq!(parse_public_path("").unwrap(), "/");
        assert_eq!(parse_public_path("/netlens").unwrap(), "/netlens/");
        assert_eq!(parse_public_path("tools/netlens/").unwrap(), "/tools/netlens/");
        for bad in ["/a/../b/", "/a//b/", "/a b/", "/a?x/", "/%2e%2e/", "/./"] {
            assert!(parse_public_path(bad).is_err(), "{bad}");
        }
    }
}
