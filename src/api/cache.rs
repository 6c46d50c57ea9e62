//! The bookkeeping of the in-memory response cache (`http.rs` holds one per tab): which answers
//! may be kept, the key a request is filed under, and a small LRU with a time-to-live and a byte
//! bound. Pure, so it is tested natively; the browser side only supplies the clock.

use super::Source;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// How long an answer is reused: long enough for back/forward and returning to a page, short
/// enough that a user who waits sees fresh data.
pub const TTL_MS: f64 = 5.0 * 60.0 * 1000.0;
/// At most this many answers are kept...
pub const MAX_ENTRIES: usize = 120;
/// ...and at most this many bytes of bodies (an answer bigger than that is never kept).
pub const MAX_BYTES: usize = 12 * 1024 * 1024;

/// The key a request is filed under: method, full URL, body and who asks. The body and the
/// `Authorization` value enter only as hashes, so no password or token is readable in the key;
/// different tokens still get different entries.
pub fn request_key(method: &str, url: &str, body: Option<&str>, authorization: Option<&str>) -> String {
    format!("{method} {url}\nbody:{}\nauth:{}", digest(body), digest(authorization))
}

fn digest(value: Option<&str>) -> String {
    match value {
        None => "-".into(),
        Some(v) => {
            // std's SipHash with its fixed keys: stable within a tab, which is all a key needs.
            let mut h = DefaultHasher::new();
            v.hash(&mut h);
            format!("{:016x}", h.finish())
        }
    }
}

/// Whether an answer may be kept: successes, and Spamhaus's 404 (its "nothing listed", an answer
/// like any other). Errors are never kept, so Retry always asks again. Spamhaus's `/limits` are
/// counters every query moves, so they are always fetched afresh.
pub fn storable(source: Source, url: &str, status: u16) -> bool {
    let answer = (200..300).contains(&status) || (source == Source::Spamhaus && status == 404);
    let counters = source == Source::Spamhaus && url.split(['?', '#']).next().is_some_and(|p| p.ends_with("/limits"));
    answer && !counters
}

struct Entry<V> {
    value: V,
    bytes: usize,
    stored_at: f64,
    last_used: u64,
}

/// A least-recently-used map with a time-to-live and bounds on entries and bytes. Eviction scans
/// for the oldest use: with ~100 entries that is cheaper than keeping a linked list in step.
pub struct ResponseCache<V> {
    entries: HashMap<String, Entry<V>>,
    bytes: usize,
    clock: u64,
    ttl_ms: f64,
    max_entries: usize,
    max_bytes: usize,
}

impl<V: Clone> Default for ResponseCache<V> {
    fn default() -> Self {
        ResponseCache::new(TTL_MS, MAX_ENTRIES, MAX_BYTES)
    }
}

impl<V: Clone> ResponseCache<V> {
    pub fn new(ttl_ms: f64, max_entries: usize, max_bytes: usize) -> Self {
        ResponseCache { entries: HashMap::new(), bytes: 0, clock: 0, ttl_ms, max_entries, max_bytes }
    }

    /// The answer stored under `key` if it is younger than the TTL at `now_ms`; an expired one is
    /// dropped.
    pub fn get(&mut self, key: &str, now_ms: f64) -> Option<V> {
        let fresh = self.entries.get(key).map(|e| now_ms - e.stored_at < self.ttl_ms)?;
        if !fresh {
            self.remove(key);
            return None;
        }
        self.clock += 1;
        let entry = self.entries.get_mut(key)?;
        entry.last_used = self.clock;
        Some(entry.value.clone())
    }

    /// Stores an answer of `bytes` bytes, evicting the least recently used ones to stay in bounds.
    /// Returns false (and stores nothing) when the answer alone is over the byte bound.
    pub fn insert(&mut self, key: String, value: V, bytes: usize, now_ms: f64) -> bool {
        self.remove(&key);
        if bytes > self.max_bytes || self.max_entries == 0 {
            return false;
        }
        self.entries.retain(|_, e| now_ms - e.stored_at < self.ttl_ms);
        self.bytes = self.entries.values().map(|e| e.bytes).sum();
        while self.entries.len() >= self.max_entries || self.bytes + bytes > self.max_bytes {
            let Some(oldest) = self.entries.iter().min_by_key(|(_, e)| e.last_used).map(|(k, _)| k.clone()) else {
                break;
            };
            self.remove(&oldest);
        }
        self.clock += 1;
        self.bytes += bytes;
        self.entries.insert(key, Entry { value, bytes, stored_at: now_ms, last_used: self.clock });
        true
    }

    pub fn remove(&mut self, key: &str) {
        if let Some(e) = self.entries.remove(key) {
            self.bytes -= e.bytes;
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tell_method_url_body_and_identity_apart_without_showing_secrets() {
        let url = "https://api.spamhaus.org/api/intel/v1/byobject/cidr/XBL/listed/live/192.0.2.1";
        let a = request_key("GET", url, None, Some("Bearer secret-token-a"));
        let b = request_key("GET", url, None, Some("Bearer secret-token-b"));
        assert_ne!(a, b);
        assert_eq!(a, request_key("GET", url, None, Some("Bearer secret-token-a")));
        assert!(!a.contains("secret"), "{a}");
        assert_ne!(request_key("GET", url, None, None), request_key("POST", url, None, None));
        assert_ne!(request_key("GET", url, None, None), request_key("GET", &format!("{url}?x=1"), None, None));
        let login = request_key("POST", url, Some(r#"{"password":"hunter2"}"#), None);
        assert!(!login.contains("hunter2"));
        assert_ne!(login, request_key("POST", url, Some(r#"{"password":"hunter3"}"#), None));
    }

    #[test]
    fn only_answers_are_stored_and_spamhaus_counters_never() {
        assert!(storable(Source::Grip, "http://x/json/events", 200));
        assert!(!storable(Source::Grip, "http://x/json/events", 404));
        assert!(!storable(Source::Ioda, "http://x/v2/outages/alerts", 500));
        assert!(!storable(Source::Spoofer, "http://x/sessions", 429));
        assert!(storable(Source::Spamhaus, "http://x/api/intel/v1/byobject/cidr/XBL/listed/live/1.2.3.4", 404));
        assert!(!storable(Source::Spamhaus, "http://x/api/intel/v1/byobject/cidr/XBL/listed/live/1.2.3.4", 401));
        assert!(!storable(Source::Spamhaus, "http://x/api/intel/v1/limits", 200));
        assert!(!storable(Source::Spamhaus, "http://x/api/intel/v1/limits?x=1", 200));
    }

    #[test]
    fn answers_expire_after_the_ttl() {
        let mut c = ResponseCache::new(1000.0, 10, 1000);
        c.insert("a".into(), 1, 10, 0.0);
        assert_eq!(c.get("a", 999.0), Some(1));
        assert_eq!(c.get("a", 1000.0), None);
        assert!(c.is_empty());
        assert_eq!(c.bytes(), 0);
    }

    #[test]
    fn the_least_recently_used_goes_first_when_full() {
        let mut c = ResponseCache::new(1e9, 3, 1000);
        for k in ["a", "b", "c"] {
            c.insert(k.into(), k, 1, 0.0);
        }
        assert_eq!(c.get("a", 1.0), Some("a")); // b is now the oldest use
        c.insert("d".into(), "d", 1, 2.0);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get("b", 3.0), None);
        assert_eq!(c.get("a", 3.0), Some("a"));
        assert_eq!(c.get("d", 3.0), Some("d"));
    }

    #[test]
    fn the_byte_bound_holds_and_oversized_answers_are_not_kept() {
        let mut c = ResponseCache::new(1e9, 100, 100);
        assert!(c.insert("a".into(), 1, 60, 0.0));
        assert!(c.insert("b".into(), 2, 30, 0.0));
        assert!(c.insert("c".into(), 3, 50, 0.0)); // evicts a
        assert_eq!(c.bytes(), 80);
        assert_eq!(c.get("a", 1.0), None);
        assert!(!c.insert("huge".into(), 4, 101, 1.0));
        assert_eq!(c.get("huge", 1.0), None);
        assert_eq!(c.bytes(), 80);
    }

    #[test]
    fn replacing_a_key_keeps_the_byte_count_right() {
        let mut c = ResponseCache::new(1e9, 10, 100);
        c.insert("a".into(), 1, 40, 0.0);
        c.insert("a".into(), 2, 10, 0.0);
        assert_eq!((c.len(), c.bytes(), c.get("a", 0.0)), (1, 10, Some(2)));
        c.clear();
        assert_eq!((c.len(), c.bytes()), (0, 0));
    }
}
