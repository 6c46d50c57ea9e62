//! What can go wrong when NetLens asks a service, as values a user can read.

use super::Source;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// One failed request. The browser shell produces these; the wording lives here so it is tested.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FetchError {
    /// The browser got no response and the service cannot be reached at all: network, name (DNS)
    /// or the service itself is down (a probe without CORS did not get through either).
    #[error("{service} could not be reached at {url}: the network, the name lookup (DNS) or the service is down. Check the address in Settings, or try again later.")]
    Network { service: Source, url: String },
    /// The service answered, but the browser kept the answer from the page: it sends no CORS
    /// headers for pages on other sites (GRIP and Spamhaus never do).
    #[error("{service} answered at {url}, but it does not let web pages on other sites read its answers (it sends no CORS headers), so the browser refused them. Run NetLens behind netlens-proxy (or your host's proxy rules) so that {service} is reached on this site's own address, or enter such a proxy in Settings.")]
    CorsRefused { service: Source, url: String },
    /// This page's own Content-Security-Policy kept the request from leaving the browser.
    #[error("The browser blocked the request to {origin}: this deployment's Content-Security-Policy does not allow {service} there. Reset the {service} endpoint in Settings, or ask whoever runs this NetLens to allow it (an open build, or connect_src in config.json).")]
    Blocked { service: Source, origin: String },
    /// The service answered with an HTTP error.
    #[error("{}", status_message(*.service, *.status, .message.as_deref(), *.retry_after))]
    Status { service: Source, status: u16, message: Option<String>, retry_after: Option<u32> },
    /// The answer was not the JSON NetLens expects; `detail` names the field.
    #[error("{service} sent an answer NetLens could not read ({detail}).")]
    Decode { service: Source, detail: String },
    #[error("{service} did not answer within {seconds} s.")]
    Timeout { service: Source, seconds: u32 },
    /// The answer was bigger than a page can show without freezing the tab.
    #[error("{service} sent an answer too large to show ({} MB; NetLens reads at most {} MB from {service}). Narrow the query: a shorter time window or fewer results per page.", megabytes(*.bytes), megabytes(max_body_bytes(*.service) as u64))]
    TooLarge { service: Source, bytes: u64 },
    /// A newer query replaced this one before it finished; never shown.
    #[error("superseded by a newer query")]
    Superseded,
}

impl FetchError {
    /// Whether trying the same request again could help (network trouble, 429, 5xx, timeouts).
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Network { .. } | FetchError::Timeout { .. } => true,
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            FetchError::Decode { .. }
            | FetchError::TooLarge { .. }
            | FetchError::CorsRefused { .. }
            | FetchError::Blocked { .. }
            | FetchError::Superseded => false,
        }
    }

    /// Whether the service refused browser pages from other sites (so a same-origin proxy helps).
    pub fn is_cors_refusal(&self) -> bool {
        matches!(self, FetchError::CorsRefused { .. })
    }

    /// Whether this page's policy blocked the request (so Settings or the deployer can help).
    pub fn is_blocked(&self) -> bool {
        matches!(self, FetchError::Blocked { .. })
    }

    /// A short name of the kind of failure (the Diagnostics table).
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Network { .. } => "unreachable (network, DNS or service down)",
            FetchError::CorsRefused { .. } => "refused for browser pages (CORS)",
            FetchError::Blocked { .. } => "blocked by this page's policy",
            FetchError::Timeout { .. } => "timed out",
            FetchError::Status { .. } => "HTTP error",
            FetchError::Decode { .. } => "unreadable answer",
            FetchError::TooLarge { .. } => "answer too large",
            FetchError::Superseded => "superseded",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The largest answer NetLens reads from most sources: their largest pages (IODA's 500 alerts,
/// Spamhaus's 2,000 records, Spoofer's 1,000 sessions) stay far below it; a runaway answer (tens of
/// thousands of rows) would freeze the tab while it is drawn.
pub const MAX_BODY_BYTES: usize = 8_000_000;

/// GRIP's largest page is 1,000 full events, and real events weigh about 9 KB each (per-AS info, AS
/// paths, traceroutes): ~9 MB, with room for events twice as heavy.
pub const GRIP_MAX_BODY_BYTES: usize = 20_000_000;

/// The largest answer NetLens reads from `source`, sized from the largest page it lets a user ask for.
pub fn max_body_bytes(source: Source) -> usize {
    match source {
        Source::Grip => GRIP_MAX_BODY_BYTES,
        _ => MAX_BODY_BYTES,
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}

fn status_message(service: Source, status: u16, message: Option<&str>, retry_after: Option<u32>) -> String {
    let mut out = format!("{service} answered {status} ({})", status_reason(status));
    if let Some(m) = message.filter(|m| !m.trim().is_empty()) {
        out.push_str(": “");
        out.push_str(&super::query::clip(m.trim()).replace('\n', " "));
        out.push('”');
    }
    out.push('.');
    match (status, retry_after) {
        (429, Some(s)) => out.push_str(&format!(" Too many requests: try again in {s} s.")),
        (429, None) => out.push_str(" Too many requests: wait a little before trying again."),
        (401, _) => out.push_str(" The credentials were refused or have expired."),
        (s, _) if s >= 500 => out.push_str(" The service has trouble right now; retrying later usually helps."),
        _ => {}
    }
    out
}

/// The standard reason phrase, in lower case, for the statuses these services send.
pub fn status_reason(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        408 => "request timeout",
        413 => "payload too large",
        422 => "unprocessable request",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        s if (400..500).contains(&s) => "client error",
        s if s >= 500 => "server error",
        _ => "unexpected status",
    }
}

/// The service's own explanation in an error body, if it gave one (`error`, `message`,
/// `hydra:description`, `detail` or `title`, as the four services do).
pub fn message_from_body(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    ["error", "message", "hydra:description", "detail", "title"]
        .iter()
        .find_map(|k| value.get(*k).and_then(|v| v.as_str()).map(str::to_string))
        .filter(|m| !m.trim().is_empty())
}

/// Decodes a body into `T`; on failure the message names the field path (`data[3].time`).
pub fn decode<T: DeserializeOwned>(service: Source, body: &str) -> Result<T, FetchError> {
    let de = &mut serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let detail = if inner.is_syntax() || inner.is_eof() {
            format!("not valid JSON: {inner}")
        } else if path == "." || path.is_empty() {
            inner.to_string()
        } else {
            format!("field `{path}`: {inner}")
        };
        FetchError::Decode { service, detail }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Envelope {
        data: Vec<Item>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        time: i64,
    }

    #[test]
    fn status_messages_read_as_sentences() {
        let e = FetchError::Status { service: Source::Grip, status: 503, message: None, retry_after: None };
        assert_eq!(
            e.to_string(),
            "GRIP answered 503 (service unavailable). The service has trouble right now; retrying later usually helps."
        );
        let e = FetchError::Status {
            service: Source::Ioda,
            status: 400,
            message: Some("'from' timestamp must be set".into()),
            retry_after: None,
        };
        assert_eq!(e.to_string(), "IODA answered 400 (bad request): “'from' timestamp must be set”.");
        let e = FetchError::Status { service: Source::Spamhaus, status: 429, message: None, retry_after: Some(7) };
        assert!(e.to_string().contains("try again in 7 s"));
        assert!(e.is_retryable());
    }

    #[test]
    fn too_large_answers_say_how_large() {
        let e = FetchError::TooLarge { service: Source::Ioda, bytes: 9_071_000 };
        assert!(e
            .to_string()
            .starts_with("IODA sent an answer too large to show (9.1 MB; NetLens reads at most 8.0 MB from IODA)"));
        assert!(!e.is_retryable());
    }

    #[test]
    fn unreachable_refused_and_blocked_read_differently() {
        let e = FetchError::Network { service: Source::Spoofer, url: "https://x".into() };
        assert!(!e.is_cors_refusal() && e.is_retryable());
        assert!(!e.to_string().contains("CORS"), "an unreachable service is not a CORS refusal");
        assert!(e.to_string().contains("DNS"));
        let e = FetchError::CorsRefused { service: Source::Grip, url: "https://api.grip.example/json/events".into() };
        assert!(e.is_cors_refusal() && !e.is_retryable());
        assert!(e.to_string().starts_with("GRIP answered at https://api.grip.example/json/events, but"));
        assert!(e.to_string().contains("CORS") && e.to_string().contains("netlens-proxy"));
        assert!(!e.to_string().contains("DNS"));
        let e = FetchError::Blocked { service: Source::Ioda, origin: "http://127.0.0.1:9".into() };
        assert!(e.is_blocked() && !e.is_retryable());
        assert!(e.to_string().contains("blocked the request to http://127.0.0.1:9"));
        assert!(e.to_string().contains("Content-Security-Policy"));
        assert!(!e.to_string().contains("CORS"));
        assert!(!FetchError::Decode { service: Source::Grip, detail: String::new() }.is_retryable());
    }

    #[test]
    fn the_body_limit_fits_the_largest_page_of_real_weight() {
        // 1,000 GRIP events of ~9 KB (what third-party clients report) fit; a 32 MiB answer does not.
        assert!(max_body_bytes(Source::Grip) >= 1_000 * 9_000 * 2);
        assert!(max_body_bytes(Source::Grip) < 32 * 1024 * 1024);
        assert_eq!(max_body_bytes(Source::Ioda), MAX_BODY_BYTES);
        let e = FetchError::TooLarge { service: Source::Grip, bytes: 33_554_432 };
        assert!(e.to_string().contains("(33.6 MB; NetLens reads at most 20.0 MB from GRIP)"), "{e}");
    }

    #[test]
    fn body_messages_are_found_under_each_services_key() {
        assert_eq!(message_from_body(r#"{"error":"bad id"}"#).as_deref(), Some("bad id"));
        assert_eq!(
            message_from_body(r#"{"code":401,"message":"Authentication failed"}"#).as_deref(),
            Some("Authentication failed")
        );
        assert_eq!(message_from_body(r#"{"hydra:description":"Not Found"}"#).as_deref(), Some("Not Found"));
        assert_eq!(message_from_body(r#"{"error":null}"#), None);
        assert_eq!(message_from_body("<html>"), None);
    }

    #[test]
    fn decode_names_the_field_that_failed() {
        let err = decode::<Envelope>(Source::Ioda, r#"{"data":[{"time":1},{"time":"x"}]}"#).unwrap_err();
        match err {
            FetchError::Decode { detail, .. } => assert!(detail.contains("data[1].time"), "{detail}"),
            other => panic!("unexpected {other:?}"),
        }
        let err = decode::<Envelope>(Source::Ioda, "{not json").unwrap_err();
        assert!(err.to_string().contains("not valid JSON"), "{err}");
        assert!(decode::<Envelope>(Source::Ioda, r#"{"data":[{"time":5}],"extra":1}"#).is_ok());
    }
}
