//! URL query strings <-> typed queries: the one parser and formatter every source shares.
//!
//! A page's query string is parsed once into [`QueryParams`]; each source turns that into its own
//! typed query with `from_params`, collecting [`FieldError`]s (shown next to the form field they
//! name) instead of failing on the first bad value.

use std::fmt;

/// An ordered multimap of query-string pairs, as they appear in a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses `a=1&b=two` (an optional leading `?` is ignored; `+` and `%XX` are decoded).
    pub fn parse(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        Self(form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Self(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    /// The first value of `key`, trimmed; `None` when absent or blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// Every non-blank value of `key`, in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Appends a pair (repeated keys are kept: `asn[]=1&asn[]=2`).
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.0.push((key.into(), value.into()));
        self
    }

    /// Appends the pair only when there is a value.
    pub fn push_opt<V: ToString>(&mut self, key: &str, value: Option<V>) -> &mut Self {
        if let Some(v) = value {
            self.push(key, v.to_string());
        }
        self
    }

    /// Replaces every value of `key` with one value (or removes the key for `None`).
    pub fn set(&mut self, key: &str, value: Option<String>) -> &mut Self {
        self.0.retain(|(k, _)| k != key);
        if let Some(v) = value {
            self.0.push((key.to_string(), v));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `a=1&b=two%20words`: percent-encoded, without a leading `?`.
    pub fn to_query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter())
            .finish()
            // `form_urlencoded` writes spaces as `+`; `%20` reads the same everywhere and also
            // survives APIs (PHP `\DateTime` strings, Spoofer) that take the value verbatim.
            .replace('+', "%20")
    }

    /// `?a=1` or the empty string, for appending to a path.
    pub fn to_suffix(&self) -> String {
        if self.0.is_empty() {
            String::new()
        } else {
            format!("?{}", self.to_query_string())
        }
    }
}

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The query-string key (and form field) the message belongs to.
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Every field problem found in one query, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// The first message for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps `value` when it parsed, records the error otherwise.
    pub fn take<T>(&mut self, field: &'static str, value: Result<T, String>) -> Option<T> {
        match value {
            Ok(v) => Some(v),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Parses an optional whole number within `min..=max`; the message names the accepted range.
pub fn parse_in_range(raw: Option<&str>, min: u64, max: u64) -> Result<Option<u64>, String> {
    let Some(raw) = raw else { return Ok(None) };
    let n: u64 = raw.parse().map_err(|_| format!("“{}” is not a whole number ({min} to {max})", clip(raw)))?;
    if !(min..=max).contains(&n) {
        return Err(format!("must be between {min} and {max}, not {n}"));
    }
    Ok(Some(n))
}

/// Parses a 1-based page number (`page=3`); absent means 1.
pub fn parse_page(raw: Option<&str>) -> Result<u32, String> {
    Ok(parse_in_range(raw, 1, 1_000_000).map_err(|e| format!("page {e}"))?.unwrap_or(1) as u32)
}

/// Shortens user input quoted back in a message, so a 10 KB value does not flood the page.
pub fn clip(raw: &str) -> String {
    const MAX: usize = 40;
    if raw.chars().count() <= MAX {
        raw.to_string()
    } else {
        format!("{}…", raw.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_decodes_pairs() {
        let q = QueryParams::parse("?a=1&b=two+words&c=%2Fx%3D&a=2&empty=");
        assert_eq!(q.get("a"), Some("1"));
        assert_eq!(q.get_all("a").collect::<Vec<_>>(), vec!["1", "2"]);
        assert_eq!(q.get("b"), Some("two words"));
        assert_eq!(q.get("c"), Some("/x="));
        assert_eq!(q.get("empty"), None);
        assert!(q.contains("empty"));
        assert_eq!(q.get("missing"), None);
    }

    #[test]
    fn formats_with_percent_twenty_and_round_trips() {
        let mut q = QueryParams::new();
        q.push("timestamp[after]", "1 May 2020").push("asn[]", "3356").push("x", "a&b=c");
        let s = q.to_query_string();
        assert_eq!(s, "timestamp%5Bafter%5D=1%20May%202020&asn%5B%5D=3356&x=a%26b%3Dc");
        assert_eq!(QueryParams::parse(&s), q);
        assert_eq!(q.to_suffix(), format!("?{s}"));
        assert_eq!(QueryParams::new().to_suffix(), "");
    }

    #[test]
    fn set_replaces_and_removes() {
        let mut q = QueryParams::parse("page=2&page=3&x=1");
        q.set("page", Some("4".into()));
        assert_eq!(q.get_all("page").collect::<Vec<_>>(), vec!["4"]);
        q.set("x", None);
        assert!(!q.contains("x"));
    }

    #[test]
    fn range_parsing_reports_what_is_accepted() {
        assert_eq!(parse_in_range(None, 1, 10), Ok(None));
        assert_eq!(parse_in_range(Some("7"), 1, 10), Ok(Some(7)));
        assert_eq!(parse_in_range(Some("11"), 1, 10), Err("must be between 1 and 10, not 11".into()));
        assert!(parse_in_range(Some("-1"), 1, 10).unwrap_err().contains("not a whole number"));
        assert_eq!(parse_page(None), Ok(1));
        assert!(parse_page(Some("0")).is_err());
    }

    #[test]
    fn clip_keeps_messages_short() {
        assert_eq!(clip("short"), "short");
        let long = "x".repeat(100);
        assert_eq!(clip(&long).chars().count(), 41);
    }

    #[test]
    fn field_errors_collect_and_lookup() {
        let mut errs = FieldErrors::default();
        assert_eq!(errs.take("a", Ok::<_, String>(1)), Some(1));
        assert_eq!(errs.take::<u32>("b", Err("bad".into())), None);
        assert_eq!(errs.for_field("b"), Some("bad"));
        assert_eq!(errs.for_field("a"), None);
        assert!(errs.into_result(()).is_err());
    }
}
