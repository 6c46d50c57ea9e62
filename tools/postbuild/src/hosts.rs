//! Per-host recipes written next to the bundle (`make dist HOST=…`): the files that make Netlify,
//! Vercel, nginx or Caddy forward GRIP and Spamhaus on the app's own origin, serve deep links and
//! send the security headers, and the `config.json` that sends the app through them.

use netlens::api::Source;
use netlens::config::policy::{same_origin_endpoint, ContentPolicy, FORWARDED_SOURCES};
use netlens::config::{public_default, EndpointOverrides};
use serde_json::{json, Value};

/// Where the bundle is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Netlify,
    Vercel,
    Nginx,
    Caddy,
    /// GitHub Pages, S3 and other hosts that cannot forward: the public endpoints stay, and the app
    /// says on the GRIP and Spamhaus pages that they need a netlens-proxy.
    Static,
}

impl Host {
    pub const ALL: [Host; 5] = [Host::Netlify, Host::Vercel, Host::Nginx, Host::Caddy, Host::Static];

    pub fn key(self) -> &'static str {
        match self {
            Host::Netlify => "netlify",
            Host::Vercel => "vercel",
            Host::Nginx => "nginx",
            Host::Caddy => "caddy",
            Host::Static => "static",
        }
    }

    /// `None` for "no host recipe" (the default), an error for an unknown name.
    pub fn parse(key: &str) -> Result<Option<Host>, String> {
        match key.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Ok(None),
            k => Host::ALL.into_iter().find(|h| h.key() == k).map(Some).ok_or_else(|| {
                let names: Vec<_> = Host::ALL.iter().map(|h| h.key()).collect();
                format!("unknown host “{key}”: use one of {} (or none)", names.join(", "))
            }),
        }
    }

    /// Whether this host forwards GRIP and Spamhaus (then `config.json` points at it).
    pub fn forwards(self) -> bool {
        self != Host::Static
    }
}

/// One forwarding rule: requests under `<public url>api/<source>/` go to `upstream` + the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub source: Source,
    /// The path on the app's origin, with both slashes: `/api/grip/` (or `/netlens/api/grip/`).
    pub path: String,
    /// The upstream base, ending in `/`: `https://api.grip.inetintel.cc.gatech.edu/v1/json/`.
    pub upstream: String,
}

impl Forward {
    /// `https://host[:port]` of the upstream.
    pub fn origin(&self) -> &str {
        let after_scheme = self.upstream.find("://").map_or(0, |i| i + 3);
        let end = self.upstream[after_scheme..].find('/').map_or(self.upstream.len(), |i| after_scheme + i);
        &self.upstream[..end]
    }

    /// The host name (with port if any), for the `Host` header an upstream expects.
    pub fn authority(&self) -> &str {
        let o = self.origin();
        &o[o.find("://").map_or(0, |i| i + 3)..]
    }

    /// The upstream's path, with both slashes: `/v1/json/` (or `/`).
    pub fn upstream_path(&self) -> &str {
        &self.upstream[self.origin().len()..]
    }
}

/// GRIP's public API answers `/json/...` with a redirect to `/v1/json/...` (shared/apis/grip.md
/// §2.1); a host's forwarding rule targets the final place, so no redirect reaches the browser.
pub fn without_known_redirect(upstream: &str) -> String {
    let grip = public_default(Source::Grip);
    match upstream.strip_prefix(grip) {
        Some(rest) if grip.ends_with("/json") && (rest.is_empty() || rest.starts_with('/')) => {
            format!("{}/v1/json{rest}", &grip[..grip.len() - "/json".len()])
        }
        _ => upstream.to_string(),
    }
}

/// The forwarding rules: for GRIP and Spamhaus, the absolute endpoint `config.json` names (by the
/// app's own rules), else the public default; `public_url` is the app's base path (`/`, `/netlens/`).
pub fn forwards(config: Option<&str>, public_url: &str) -> Vec<Forward> {
    let overrides = config.and_then(|c| EndpointOverrides::parse(c).ok()).map(|(o, _)| o).unwrap_or_default();
    FORWARDED_SOURCES
        .into_iter()
        .map(|source| {
            let configured = overrides.get(source).map(|b| b.as_str().to_string());
            let base = configured
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .unwrap_or_else(|| public_default(source).to_string());
            let upstream = format!("{}/", without_known_redirect(base.trim_end_matches('/')));
            Forward { source, path: format!("{public_url}{}/", same_origin_endpoint(source)), upstream }
        })
        .collect()
}

/// `config.json` with the forwarded sources pointing at the app's own origin (`"api/grip"`…), every
/// other key kept. `None` (no file) gives a file with just those endpoints.
pub fn with_same_origin_endpoints(config: Option<&str>) -> Result<String, String> {
    let mut value: Value = match config {
        None => json!({}),
        Some(text) => serde_json::from_str(text).map_err(|e| format!("config.json is not valid JSON ({e})"))?,
    };
    let Some(object) = value.as_object_mut() else { return Err("config.json is not a JSON object".into()) };
    let endpoints = object.entry("endpoints").or_insert_with(|| json!({}));
    let Some(endpoints) = endpoints.as_object_mut() else {
        return Err("config.json: endpoints is not an object".into());
    };
    for source in FORWARDED_SOURCES {
        endpoints.insert(source.key().to_string(), Value::String(same_origin_endpoint(source)));
    }
    let mut out = serde_json::to_string_pretty(&value).expect("a JSON value serialises");
    out.push('\n');
    Ok(out)
}

/// The files a host needs, as (file name, content).
pub fn recipe(
    host: Host,
    forwards: &[Forward],
    policy: &ContentPolicy,
    public_url: &str,
    site_root: &str,
) -> Vec<(&'static str, String)> {
    match host {
        Host::Netlify => vec![("_redirects", netlify_redirects(forwards, public_url))],
        Host::Vercel => vec![("vercel.json", vercel_json(forwards, policy, public_url))],
        Host::Nginx => vec![("netlens.nginx.conf", nginx_conf(forwards, policy, public_url, site_root))],
        Host::Caddy => vec![("Caddyfile", caddyfile(forwards, policy, public_url, site_root))],
        Host::Static => Vec::new(),
    }
}

/// A file name Trunk gave a content hash (`netlens-0123456789abcdef_bg.wasm`): cacheable for ever.
const HASHED_FILE_REGEX: &str = "-[0-9a-f]{16}(_bg)?\\.(js|wasm|css|svg)$";

/// Netlify `_redirects`: proxy rules (status 200 = forward, not redirect), then the SPA fallback,
/// which Netlify applies only where no file matches. `_headers` already carries the policy.
pub fn netlify_redirects(forwards: &[Forward], public_url: &str) -> String {
    let mut out = String::from(
        "# NetLens on Netlify (generated by netlens-dist). GRIP and Spamhaus send no CORS headers, so\n\
         # Netlify forwards them on the app's own origin; deep links boot the app.\n",
    );
    for f in forwards {
        out.push_str(&format!("{}*  {}:splat  200\n", f.path, f.upstream));
    }
    out.push_str(&format!("{public_url}*  {public_url}index.html  200\n"));
    out
}

/// Vercel `vercel.json`: rewrites (applied where no file matches) and the security headers.
pub fn vercel_json(forwards: &[Forward], policy: &ContentPolicy, public_url: &str) -> String {
    let mut rewrites: Vec<Value> = forwards
        .iter()
        .map(|f| json!({ "source": format!("{}:path*", f.path), "destination": format!("{}:path*", f.upstream) }))
        .collect();
    rewrites.push(json!({ "source": format!("{public_url}(.*)"), "destination": format!("{public_url}index.html") }));
    let security: Vec<Value> =
        policy.response_headers().into_iter().map(|(k, v)| json!({ "key": k, "value": v })).collect();
    let value = json!({
        "$schema": "https://openapi.vercel.sh/vercel.json",
        "cleanUrls": false,
        "trailingSlash": false,
        "rewrites": rewrites,
        "headers": [
            { "source": format!("{public_url}(.*)"), "headers": security },
            // config.json is edited in place and index.html names the hashed files: always revalidate.
            { "source": format!("{public_url}(config\\.json|index\\.html)?"), "headers": [{ "key": "Cache-Control", "value": "no-cache" }] },
            { "source": format!("{public_url}(.*){}", HASHED_FILE_REGEX.trim_end_matches('$')),
              "headers": [{ "key": "Cache-Control", "value": "public, max-age=31536000, immutable" }] },
        ],
    });
    let mut out = serde_json::to_string_pretty(&value).expect("a JSON value serialises");
    out.push('\n');
    out
}

/// nginx: one `server` block for the `http {}` context (e.g. /etc/nginx/conf.d/netlens.conf).
pub fn nginx_conf(forwards: &[Forward], policy: &ContentPolicy, public_url: &str, site_root: &str) -> String {
    let headers_at = |indent: &str| -> String {
        policy
            .response_headers()
            .into_iter()
            .map(|(k, v)| format!("{indent}add_header {k} \"{}\" always;\n", v.replace('"', "\\\"")))
            .collect()
    };
    let headers = headers_at("    ");
    let nested =
        |cache: &str| format!("        add_header Cache-Control \"{cache}\" always;\n{}", headers_at("        "));
    let mut out = format!(
        "# NetLens behind nginx (generated by netlens-dist). Include it in the http {{}} block, e.g. as\n\
         # /etc/nginx/conf.d/netlens.conf, with the bundle at {site_root}{public_url}.\n\
         # GRIP and Spamhaus send no CORS headers: nginx forwards them on the app's own origin.\n\
         server {{\n    \
             listen 8080;\n    \
             server_name _;\n    \
             root {site_root};\n    \
             # The .gz siblings netlens-dist wrote (.br ones need the third-party brotli module).\n    \
             gzip_static on;\n\n\
         {headers}\n    \
             # Deep links (/grip/event/…) boot the app.\n    \
             location {public_url} {{\n        \
                 try_files $uri {public_url}index.html;\n    \
             }}\n    \
             # config.json is edited in place and index.html names the hashed files: always revalidate.\n    \
             # (add_header in a location replaces the server's, so the security headers are repeated.)\n    \
             location ~ ^{public_url}(index\\.html|config\\.json)?$ {{\n        \
                 try_files $uri {public_url}index.html;\n{}    \
             }}\n    \
             location ~ \"{HASHED_FILE_REGEX}\" {{\n{}    \
             }}\n",
        nested("no-cache"),
        nested("public, max-age=31536000, immutable"),
    );
    for f in forwards {
        out.push_str(&format!(
            "    location {} {{\n        \
                 proxy_pass {};\n        \
                 proxy_set_header Host {};\n        \
                 proxy_set_header Cookie \"\";\n        \
                 proxy_ssl_server_name on;\n        \
                 proxy_ssl_verify on;\n        \
                 proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n        \
                 # Large GRIP pages stream through; never log the Authorization header (Spamhaus).\n        \
                 proxy_buffering off;\n    \
             }}\n",
            f.path,
            f.upstream,
            f.authority()
        ));
    }
    out.push_str("}\n");
    out
}

/// Caddy: a Caddyfile site (`NETLENS_SITE=netlens.example.org caddy run` for automatic HTTPS).
pub fn caddyfile(forwards: &[Forward], policy: &ContentPolicy, public_url: &str, site_root: &str) -> String {
    let headers: String = policy
        .response_headers()
        .into_iter()
        .map(|(k, v)| format!("\t\t{k} \"{}\"\n", v.replace('"', "\\\"")))
        .collect();
    let mut out = format!(
        "# NetLens behind Caddy (generated by netlens-dist), with the bundle at {site_root}{public_url}.\n\
         # GRIP and Spamhaus send no CORS headers: Caddy forwards them on the app's own origin.\n\
         {{$NETLENS_SITE::8080}} {{\n\
         \troot * {site_root}\n\
         \theader {{\n{headers}\t}}\n\
         \t# config.json is edited in place and index.html names the hashed files: always revalidate.\n\
         \t@hashed path_regexp hashed \"{HASHED_FILE_REGEX}\"\n\
         \t@mutable not path_regexp mutable \"{HASHED_FILE_REGEX}\"\n\
         \theader @hashed Cache-Control \"public, max-age=31536000, immutable\"\n\
         \theader @mutable Cache-Control \"no-cache\"\n\n"
    );
    for f in forwards {
        let rewrite = match f.upstream_path().trim_end_matches('/') {
            "" => String::new(),
            p => format!("\t\trewrite * {p}{{uri}}\n"),
        };
        out.push_str(&format!(
            "\thandle_path {}* {{\n{rewrite}\
             \t\treverse_proxy {} {{\n\
             \t\t\theader_up Host {{upstream_hostport}}\n\
             \t\t\theader_up -Cookie\n\
             \t\t}}\n\
             \t}}\n",
            f.path,
            f.origin()
        ));
    }
    out.push_str(&format!(
        "\t# Deep links (/grip/event/…) boot the app.\n\
         \thandle {{\n\
         \t\ttry_files {{path}} {public_url}index.html\n\
         \t\tfile_server {{\n\
         \t\t\tprecompressed br gzip\n\
         \t\t}}\n\
         \t}}\n\
         }}\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ContentPolicy {
        ContentPolicy::open(vec!["'sha256-AAAA'".into()])
    }

    #[test]
    fn hosts_by_name() {
        assert_eq!(Host::parse("").unwrap(), None);
        assert_eq!(Host::parse("none").unwrap(), None);
        for h in Host::ALL {
            assert_eq!(Host::parse(h.key()).unwrap(), Some(h));
        }
        assert!(Host::parse("heroku").unwrap_err().contains("netlify, vercel, nginx, caddy, static"));
        assert!(!Host::Static.forwards() && Host::Netlify.forwards());
    }

    #[test]
    fn grip_forwards_straight_to_v1() {
        assert_eq!(
            without_known_redirect("https://api.grip.inetintel.cc.gatech.edu/json"),
            "https://api.grip.inetintel.cc.gatech.edu/v1/json"
        );
        assert_eq!(
            without_known_redirect("https://api.grip.inetintel.cc.gatech.edu/jsonx"),
            "https://api.grip.inetintel.cc.gatech.edu/jsonx"
        );
        assert_eq!(without_known_redirect("https://mirror.example/json"), "https://mirror.example/json");
    }

    #[test]
    fn forwards_take_the_upstreams_from_the_config_or_the_defaults() {
        let f = forwards(None, "/");
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].path.as_str(), f[0].upstream.as_str()),
            ("/api/grip/", "https://api.grip.inetintel.cc.gatech.edu/v1/json/")
        );
        assert_eq!((f[1].path.as_str(), f[1].upstream.as_str()), ("/api/spamhaus/", "https://api.spamhaus.org/"));
        assert_eq!(f[0].authority(), "api.grip.inetintel.cc.gatech.edu");
        assert_eq!(f[0].upstream_path(), "/v1/json/");
        assert_eq!(f[1].upstream_path(), "/");

        let config = r#"{"endpoints":{"grip":"http://127.0.0.1:8702/json/","spamhaus":"api/spamhaus","ioda":"https://x.example"}}"#;
        let f = forwards(Some(config), "/netlens/");
        assert_eq!((f[0].path.as_str(), f[0].upstream.as_str()), ("/netlens/api/grip/", "http://127.0.0.1:8702/json/"));
        assert_eq!(f[0].authority(), "127.0.0.1:8702");
        assert_eq!(f[1].upstream, "https://api.spamhaus.org/", "a same-origin path is no upstream: the default is");
    }

    #[test]
    fn config_json_sends_grip_and_spamhaus_through_the_host() {
        let out = with_same_origin_endpoints(Some(
            r#"{"endpoints":{"grip":"https://g.example/json","ioda":"https://i.example/v2"},"timeout_seconds":30}"#,
        ))
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["endpoints"]["grip"], "api/grip");
        assert_eq!(v["endpoints"]["spamhaus"], "api/spamhaus");
        assert_eq!(v["endpoints"]["ioda"], "https://i.example/v2", "other endpoints stay");
        assert_eq!(v["timeout_seconds"], 30, "other keys stay");
        assert!(out.ends_with("}\n"));
        let fresh: Value = serde_json::from_str(&with_same_origin_endpoints(None).unwrap()).unwrap();
        assert_eq!(fresh, json!({"endpoints": {"grip": "api/grip", "spamhaus": "api/spamhaus"}}));
        assert!(with_same_origin_endpoints(Some("[1]")).is_err());
        assert!(with_same_origin_endpoints(Some("{")).is_err());
        assert!(with_same_origin_endpoints(Some(r#"{"endpoints":3}"#)).is_err());
    }

    #[test]
    fn netlify_forwards_then_falls_back_to_the_app() {
        let out = netlify_redirects(&forwards(None, "/"), "/");
        let rules: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            rules,
            [
                "/api/grip/*  https://api.grip.inetintel.cc.gatech.edu/v1/json/:splat  200",
                "/api/spamhaus/*  https://api.spamhaus.org/:splat  200",
                "/*  /index.html  200",
            ]
        );
        let sub = netlify_redirects(&forwards(None, "/netlens/"), "/netlens/");
        assert!(
            sub.contains("\n/netlens/api/grip/*  https://") && sub.ends_with("/netlens/*  /netlens/index.html  200\n")
        );
    }

    #[test]
    fn vercel_rewrites_and_headers() {
        let p = policy();
        let v: Value = serde_json::from_str(&vercel_json(&forwards(None, "/"), &p, "/")).unwrap();
        assert_eq!(
            v["rewrites"],
            json!([
                {"source": "/api/grip/:path*", "destination": "https://api.grip.inetintel.cc.gatech.edu/v1/json/:path*"},
                {"source": "/api/spamhaus/:path*", "destination": "https://api.spamhaus.org/:path*"},
                {"source": "/(.*)", "destination": "/index.html"},
            ])
        );
        let all = &v["headers"][0];
        assert_eq!(all["source"], "/(.*)");
        assert_eq!(all["headers"][0], json!({"key": "Content-Security-Policy", "value": p.header_text()}));
        assert_eq!(all["headers"][1], json!({"key": "X-Content-Type-Options", "value": "nosniff"}));
        assert_eq!(all["headers"][2], json!({"key": "Referrer-Policy", "value": "no-referrer"}));
        assert_eq!(v["headers"][1]["headers"][0]["value"], "no-cache");
        assert!(v["headers"][2]["source"].as_str().unwrap().contains("[0-9a-f]{16}"));
    }

    #[test]
    fn nginx_serves_the_app_and_forwards_with_tls_checked() {
        let p = policy();
        let out = nginx_conf(&forwards(None, "/"), &p, "/", "/srv/netlens");
        assert!(out.contains("    root /srv/netlens;\n"));
        assert!(out.contains("try_files $uri /index.html;"));
        assert!(out.contains(&format!("    add_header Content-Security-Policy \"{}\" always;\n", p.header_text())));
        assert_eq!(
            out.matches("add_header Content-Security-Policy").count(),
            3,
            "server + the two locations with own headers"
        );
        assert_eq!(out.matches("add_header Referrer-Policy \"no-referrer\" always;").count(), 3);
        assert!(out.contains(
            "    location /api/grip/ {\n        proxy_pass https://api.grip.inetintel.cc.gatech.edu/v1/json/;\n        \
             proxy_set_header Host api.grip.inetintel.cc.gatech.edu;\n"
        ));
        assert!(out.contains("    location /api/spamhaus/ {\n        proxy_pass https://api.spamhaus.org/;\n"));
        assert_eq!(out.matches("proxy_ssl_verify on;").count(), 2);
        assert!(out.ends_with("}\n"));
    }

    #[test]
    fn caddy_serves_the_app_precompressed_and_forwards() {
        let p = policy();
        let out = caddyfile(&forwards(None, "/"), &p, "/", "/srv/netlens");
        assert!(out.contains("{$NETLENS_SITE::8080} {\n\troot * /srv/netlens\n"));
        assert!(out.contains(&format!("\t\tContent-Security-Policy \"{}\"\n", p.header_text())));
        assert!(out.contains(
            "\thandle_path /api/grip/* {\n\t\trewrite * /v1/json{uri}\n\t\treverse_proxy https://api.grip.inetintel.cc.gatech.edu {\n\
             \t\t\theader_up Host {upstream_hostport}\n"
        ));
        assert!(
            out.contains("\thandle_path /api/spamhaus/* {\n\t\treverse_proxy https://api.spamhaus.org {\n"),
            "no rewrite for a root upstream"
        );
        assert!(out.contains("\t\ttry_files {path} /index.html\n") && out.contains("precompressed br gzip"));
    }

    #[test]
    fn a_static_host_gets_no_files() {
        assert!(recipe(Host::Static, &forwards(None, "/"), &policy(), "/", "/srv").is_empty());
        let names: Vec<_> = [Host::Netlify, Host::Vercel, Host::Nginx, Host::Caddy]
            .into_iter()
            .flat_map(|h| recipe(h, &forwards(None, "/"), &policy(), "/", "/srv").into_iter().map(|(n, _)| n))
            .collect();
        assert_eq!(names, ["_redirects", "vercel.json", "netlens.nginx.conf", "Caddyfile"]);
    }
}
