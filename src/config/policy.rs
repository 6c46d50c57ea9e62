//! The Content-Security-Policy's rules for where the page may connect: one home for the app
//! (Settings, endpoint validation), the build step that writes the policy and the proxy.

/// `connect-src` of a default ("open") build: every endpoint the app accepts, so a deployer's edited
/// `config.json` and a user's Settings override keep working without a rebuild. The app accepts
/// https:// anywhere and http:// only on loopback (a local proxy); same-origin paths are `'self'`.
pub const OPEN_CONNECT_SRC: [&str; 5] =
    ["'self'", "https:", "http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"];

/// The hosts on which the app accepts a plain http:// endpoint (see [`OPEN_CONNECT_SRC`]).
pub const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// Whether a URL host (as `url::Url::host_str` gives it) may be reached over plain http.
pub fn is_loopback_host(host: &str) -> bool {
    LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host) || h.trim_matches(['[', ']']) == host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_host("127.0.0.1"));
        assert!(is_loopback_host("LOCALHOST"));
        assert!(is_loopback_host("[::1]"));
        assert!(is_loopback_host("::1"));
        assert!(!is_loopback_host("127.0.0.2"));
        assert!(!is_loopback_host("example.org"));
    }
}
