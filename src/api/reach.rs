//! Whether each source can be reached from this page, and why not: the probe each source answers
//! cheaply, and the verdict a probe's outcome means (the Diagnostics and Settings checks). The
//! browser shell (`crate::http`) tells the kinds of failure apart; the words live here.

use super::error::FetchError;
use super::{grip, ioda, spamhaus, Source};
use crate::config::policy::FORWARDED_SOURCES;
use crate::config::BaseUrl;

/// The cheapest request each source answers: GRIP's tag list, an IODA entity lookup, one Spoofer
/// session page, and Spamhaus's account limits (which answer 401 without a sign-in: reachable).
pub fn probe_url(source: Source, base: &BaseUrl) -> String {
    match source {
        Source::Spoofer => super::spoofer::SpooferQuery::default().request_url(base),
        Source::Grip => grip::tags_url(base),
        Source::Ioda => ioda::entity_search_url(base, "NO"),
        Source::Spamhaus => spamhaus::limits_url(base),
    }
}

/// What a probe found, in a form a table shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether the source can be used from this page as it is.
    pub ok: bool,
    /// "answers", "refused for browser pages (CORS)", "HTTP error"…
    pub kind: String,
    /// One sentence: what it means and what to do.
    pub detail: String,
}

/// The verdict on a probe that ended with HTTP `status` (`Ok`) or failed (`Err`).
pub fn verdict(source: Source, outcome: Result<u16, &FetchError>) -> Verdict {
    match outcome {
        Ok(s) if (200..300).contains(&s) => {
            Verdict { ok: true, kind: "answers".into(), detail: format!("{source} answered {s}.") }
        }
        Ok(401) if source == Source::Spamhaus => Verdict {
            ok: true,
            kind: "answers (sign-in needed)".into(),
            detail: "Spamhaus answered 401 without a token, as it should: sign in on the Spamhaus page to use it."
                .into(),
        },
        Ok(s) => Verdict {
            ok: false,
            kind: "HTTP error".into(),
            detail: FetchError::Status { service: source, status: s, message: None, retry_after: None }.to_string(),
        },
        Err(e) => Verdict { ok: false, kind: e.kind().into(), detail: e.to_string() },
    }
}

/// Whether a browser page on another site cannot read `source` (it sends no CORS headers), so a
/// deployment forwards it on its own origin.
pub fn needs_same_origin(source: Source) -> bool {
    FORWARDED_SOURCES.contains(&source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> BaseUrl {
        BaseUrl::parse(s).unwrap()
    }

    #[test]
    fn probes_are_small_requests_under_each_base() {
        assert_eq!(probe_url(Source::Grip, &base("https://g.example/json")), "https://g.example/json/tags");
        assert_eq!(probe_url(Source::Spamhaus, &base("https://s.example")), "https://s.example/api/intel/v1/limits");
        assert!(
            probe_url(Source::Ioda, &base("https://i.example/v2")).starts_with("https://i.example/v2/entities/query?")
        );
        assert_eq!(probe_url(Source::Spoofer, &base("https://sp.example")), "https://sp.example/sessions");
    }

    #[test]
    fn verdicts_tell_the_kinds_apart() {
        assert!(verdict(Source::Ioda, Ok(200)).ok);
        let signin = verdict(Source::Spamhaus, Ok(401));
        assert!(signin.ok && signin.kind.contains("sign-in"));
        let refused = verdict(Source::Grip, Ok(401));
        assert!(!refused.ok && refused.detail.contains("401"));
        let cors = FetchError::CorsRefused { service: Source::Grip, url: "https://g.example/json/tags".into() };
        let v = verdict(Source::Grip, Err(&cors));
        assert!(!v.ok);
        assert_eq!(v.kind, "refused for browser pages (CORS)");
        let net = FetchError::Network { service: Source::Grip, url: "https://g.example/json/tags".into() };
        assert_eq!(verdict(Source::Grip, Err(&net)).kind, "unreachable (network, DNS or service down)");
        let blocked = FetchError::Blocked { service: Source::Ioda, origin: "https://x.example".into() };
        assert_eq!(verdict(Source::Ioda, Err(&blocked)).kind, "blocked by this page's policy");
    }

    #[test]
    fn grip_and_spamhaus_need_the_same_origin() {
        assert!(needs_same_origin(Source::Grip) && needs_same_origin(Source::Spamhaus));
        assert!(!needs_same_origin(Source::Ioda) && !needs_same_origin(Source::Spoofer));
    }
}
