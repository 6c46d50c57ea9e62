//! CAIDA Spoofer: the explorer's query, the Hydra (JSON-LD) session pages, their summary and the full export walk.

use super::error::{decode, FetchError};
use super::export::{ndjson_line, to_csv, CsvRecord};
use super::lenient;
use super::page::{format_count, PageNav};
use super::query::{clip, parse_page, FieldErrors, QueryParams};
use super::search::Country;
use super::time::{format_utc, parse_instant, TimeRange, Timestamp};
use super::Source;
use crate::config::BaseUrl;
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;
pub mod trend;

/// The `Accept` header every Spoofer request sends: only JSON-LD carries `hydra:view` paging links
/// and `hydra:totalItems` (`application/json` returns a bare array).
pub const ACCEPT: &str = "application/ld+json";

/// Sessions per page: API Platform's default, which CAIDA documents ("30 items per page").
pub const PAGE_SIZE: u64 = 30;

/// CAIDA asks for an email before anyone makes "more than 1000 requests/day".
pub const COURTESY_REQUESTS: u64 = 1_000;

/// The most ASNs one query may carry, so a hostile permalink cannot build a giant request URL.
pub const MAX_ASNS: usize = 100;

/// Latest instant whose `YYYY-MM-DD` form still has four year digits (9999-12-31 23:59:59 UTC).
const LATEST: Timestamp = 253_402_300_799;

// ---------------------------------------------------------------------------------------------
// Query
// ---------------------------------------------------------------------------------------------

/// A country as the Spoofer API writes it: ISO 3166 alpha-3, lower case (`usa`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    /// Any case is accepted; the stored form is the API's lower case.
    pub fn parse(raw: &str) -> Result<CountryCode, String> {
        let s = raw.trim();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(CountryCode(s.to_ascii_lowercase()))
        } else {
            Err(format!("“{}” is not a three-letter ISO 3166 country code (like usa, deu or jpn)", clip(s)))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Spoofer explorer's filters, read from the page URL (`?after=2020-05-01&asn=3356&page=2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpooferQuery {
    /// Sessions at or after this instant (API Platform's `after` is inclusive).
    pub after: Option<Timestamp>,
    /// Sessions at or before this instant.
    pub before: Option<Timestamp>,
    /// Sessions from any of these ASNs; empty means every AS.
    pub asns: Vec<u32>,
    pub country: Option<CountryCode>,
    /// A session to open directly (the page jumps to its session view).
    pub session: Option<u64>,
    /// 1-based.
    pub page: u32,
}

impl Default for SpooferQuery {
    fn default() -> Self {
        SpooferQuery { after: None, before: None, asns: Vec::new(), country: None, session: None, page: 1 }
    }
}

impl SpooferQuery {
    /// Reads the permalink keys `after`, `before`, `asn`, `country`, `session` and `page`. No default
    /// depends on `now` (an absent time bound means "unbounded"), so `now` is not consulted.
    pub fn from_params(p: &QueryParams, _now: Timestamp) -> Result<Self, FieldErrors> {
        let mut errs = FieldErrors::default();
        let after = errs.take("after", p.get("after").map(parse_bound).transpose()).flatten();
        let before = errs.take("before", p.get("before").map(parse_bound).transpose()).flatten();
        if let (Some(a), Some(b)) = (after, before) {
            errs.take("before", TimeRange::new(a, b));
        }
        let asns = errs.take("asn", parse_asn_list(p.get_all("asn"))).unwrap_or_default();
        let country = errs.take("country", p.get("country").map(CountryCode::parse).transpose()).flatten();
        let session = errs.take("session", p.get("session").map(parse_session_id).transpose()).flatten();
        let page = errs.take("page", parse_page(p.get("page"))).unwrap_or(1);
        errs.into_result(SpooferQuery { after, before, asns, country, session, page })
    }

    /// The permalink: only what differs from the defaults (page 1 is left out).
    pub fn to_params(&self) -> QueryParams {
        let mut p = QueryParams::new();
        p.push_opt("after", self.after.map(permalink_time));
        p.push_opt("before", self.before.map(permalink_time));
        if !self.asns.is_empty() {
            p.push("asn", self.asns.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
        }
        p.push_opt("country", self.country.as_ref());
        p.push_opt("session", self.session);
        if self.page > 1 {
            p.push("page", self.page.to_string());
        }
        p
    }

    /// The query in one line, for the folded filter bar on a phone: "AS 3356, 1299 · usa · after 2020-05-01".
    pub fn summary(&self) -> String {
        let day = |t: Timestamp| format_utc(t).chars().take(10).collect::<String>();
        let mut parts: Vec<String> = Vec::new();
        if let Some(id) = self.session {
            return format!("session {id}");
        }
        if !self.asns.is_empty() {
            parts.push(format!("AS {}", self.asns.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")));
        }
        parts.extend(self.country.as_ref().map(|c| c.as_str().to_string()));
        parts.extend(self.after.map(|t| format!("after {}", day(t))));
        parts.extend(self.before.map(|t| format!("before {}", day(t))));
        if parts.is_empty() {
            "Every session".to_string()
        } else {
            parts.join(" · ")
        }
    }

    /// `<base>/sessions?timestamp[after]=…&timestamp[before]=…&asn[]=…&country=…&page=…`, with the
    /// filter names API Platform gives the real service (`asn[]` repeated, as CAIDA's own script
    /// sends it). `session` is not a list filter: the session view uses [`session_url`].
    pub fn request_url(&self, base: &BaseUrl) -> String {
        let mut p = QueryParams::new();
        p.push_opt("timestamp[after]", self.after.map(api_time));
        p.push_opt("timestamp[before]", self.before.map(api_time));
        for asn in &self.asns {
            p.push("asn[]", asn.to_string());
        }
        p.push_opt("country", self.country.as_ref());
        if self.page > 1 {
            p.push("page", self.page.to_string());
        }
        format!("{}{}", base.join("sessions"), p.to_suffix())
    }

    /// The same filters on another page (for pager links).
    pub fn with_page(&self, page: u32) -> SpooferQuery {
        SpooferQuery { page: page.max(1), ..self.clone() }
    }
}

/// `<base>/sessions/<id>`: one session (same object as in the collection, plus `@context`).
pub fn session_url(base: &BaseUrl, id: u64) -> String {
    base.join(&format!("sessions/{id}"))
}

/// CAIDA's own web report of a session (route graph, adjacent-netblock test, filtering depth).
pub fn report_url(id: u64) -> String {
    format!("https://spoofer.caida.org/report.php?sessionid={id}")
}

/// A time bound of the permalink; limited to 1970–9999 so it always writes back as `YYYY-MM-DD…`.
fn parse_bound(raw: &str) -> Result<Timestamp, String> {
    let ts = parse_instant(raw)?;
    if (0..=LATEST).contains(&ts) {
        Ok(ts)
    } else {
        Err(format!("“{}” is outside the years 1970 to 9999", clip(raw.trim())))
    }
}

/// `2020-05-01` at midnight, `2020-05-07T14:34` on a minute, with seconds only when there are some
/// (so a pasted Unix time survives the round trip).
fn permalink_time(ts: Timestamp) -> String {
    let fmt = if ts.rem_euclid(86_400) == 0 {
        "%Y-%m-%d"
    } else if ts.rem_euclid(60) == 0 {
        "%Y-%m-%dT%H:%M"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    DateTime::<Utc>::from_timestamp(ts, 0).map(|t| t.format(fmt).to_string()).unwrap_or_default()
}

/// The API's date form: a plain date at midnight, else ISO with an explicit `Z` so the service's
/// PHP `\DateTime` parsing cannot read it in another time zone.
fn api_time(ts: Timestamp) -> String {
    let fmt = if ts.rem_euclid(86_400) == 0 { "%Y-%m-%d" } else { "%Y-%m-%dT%H:%M:%SZ" };
    DateTime::<Utc>::from_timestamp(ts, 0).map(|t| t.format(fmt).to_string()).unwrap_or_default()
}

/// Reads `3356, AS174 as1299` (commas or spaces; `AS` prefix in any case) from every `asn` value,
/// dropping repeats; every bad entry is named in one message.
pub fn parse_asn_list<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<Vec<u32>, String> {
    let mut asns = Vec::new();
    let mut bad = Vec::new();
    let mut count = 0usize;
    for token in values.into_iter().flat_map(|v| v.split(|c: char| c == ',' || c.is_whitespace())) {
        if token.is_empty() {
            continue;
        }
        count += 1;
        match parse_asn(token) {
            Some(n) if !asns.contains(&n) => asns.push(n),
            Some(_) => {}
            None => bad.push(token),
        }
    }
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().take(3).map(|t| format!("“{}”", clip(t))).collect();
        let more = if bad.len() > 3 { format!(" and {} more", bad.len() - 3) } else { String::new() };
        let verb = if bad.len() == 1 { "is not an AS number" } else { "are not AS numbers" };
        return Err(format!("{}{more} {verb} (use 1 to 4294967295, like 3356 or AS3356)", shown.join(", ")));
    }
    if count > MAX_ASNS {
        return Err(format!("at most {MAX_ASNS} AS numbers at a time, not {count}"));
    }
    Ok(asns)
}

/// `3356` or `AS3356`; AS 0 is reserved (RFC 7607) and never appears in measurements.
fn parse_asn(token: &str) -> Option<u32> {
    let digits = match token.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("as") => &token[2..],
        _ => token,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|n| *n > 0)
}

/// A session id as typed or pasted: `891176`, `/sessions/891176`, or a report link
/// `…/report.php?sessionid=891176`.
pub fn parse_session_id(raw: &str) -> Result<u64, String> {
    let s = raw.trim();
    let digits = if let Some(i) = s.find("sessionid=") {
        s[i + "sessionid=".len()..].split('&').next().unwrap_or_default()
    } else if let Some(i) = s.rfind("/sessions/") {
        &s[i + "/sessions/".len()..]
    } else {
        s
    };
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(n) = digits.parse::<u64>().ok().filter(|n| *n > 0) {
            return Ok(n);
        }
    }
    Err(format!("“{}” is not a session id (a whole number like 891176)", clip(s)))
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

/// The outcome of one spoofing test, in the vocabulary of CAIDA's report legend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum SpoofResult {
    Received,
    Rewritten,
    Blocked,
    Unknown,
    /// `null` or absent: the test did not run (e.g. no IPv6 on the client).
    #[default]
    NotTested,
    /// A value outside CAIDA's vocabulary, kept as sent.
    Other(String),
}

impl SpoofResult {
    /// Case-insensitive, so a capitalised value still counts; an empty string reads as not tested.
    pub fn from_api(raw: Option<&str>) -> SpoofResult {
        let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return SpoofResult::NotTested };
        match s.to_ascii_lowercase().as_str() {
            "received" => SpoofResult::Received,
            "rewritten" => SpoofResult::Rewritten,
            "blocked" => SpoofResult::Blocked,
            "unknown" => SpoofResult::Unknown,
            _ => SpoofResult::Other(s.to_string()),
        }
    }

    /// The value as the API writes it (`None` for not tested), for CSV.
    pub fn api_value(&self) -> Option<&str> {
        match self {
            SpoofResult::Received => Some("received"),
            SpoofResult::Rewritten => Some("rewritten"),
            SpoofResult::Blocked => Some("blocked"),
            SpoofResult::Unknown => Some("unknown"),
            SpoofResult::NotTested => None,
            SpoofResult::Other(s) => Some(s),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            SpoofResult::Received => "Received",
            SpoofResult::Rewritten => "Rewritten",
            SpoofResult::Blocked => "Blocked",
            SpoofResult::Unknown => "Unknown",
            SpoofResult::NotTested => "Not tested",
            SpoofResult::Other(s) => s,
        }
    }

    /// The legend sentence of CAIDA's session report.
    pub fn meaning(&self) -> &'static str {
        match self {
            SpoofResult::Received => {
                "A packet with a spoofed source address was received by CAIDA's servers: \
                 source address validation (SAV) is not deployed."
            }
            SpoofResult::Rewritten => "Spoofed packet was received, but the source address was changed en route.",
            SpoofResult::Blocked => "Spoofed packet was not received, but unspoofed packet was.",
            SpoofResult::Unknown => "Neither spoofed nor unspoofed packet was received.",
            SpoofResult::NotTested => "This test did not run in this session (for example, the client had no IPv6).",
            SpoofResult::Other(_) => "A result outside CAIDA's documented vocabulary, shown as the service sent it.",
        }
    }

    /// Spoofed packets reached CAIDA (received, or received with a rewritten source).
    pub fn got_through(&self) -> bool {
        matches!(self, SpoofResult::Received | SpoofResult::Rewritten)
    }

    /// A test ran and gave a verdict; `unknown` ran but says nothing about filtering.
    pub fn is_conclusive(&self) -> bool {
        matches!(self, SpoofResult::Received | SpoofResult::Rewritten | SpoofResult::Blocked)
    }

    pub fn is_tested(&self) -> bool {
        *self != SpoofResult::NotTested
    }
}

impl<'de> Deserialize<'de> for SpoofResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(SpoofResult::from_api(Option::<String>::deserialize(d)?.as_deref()))
    }
}

impl Serialize for SpoofResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.api_value().serialize(s)
    }
}

/// The four spoofing tests of a session, for table columns and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpoofTest {
    PrivateV4,
    PrivateV6,
    RoutedV4,
    RoutedV6,
}

impl SpoofTest {
    pub const ALL: [SpoofTest; 4] =
        [SpoofTest::PrivateV4, SpoofTest::PrivateV6, SpoofTest::RoutedV4, SpoofTest::RoutedV6];

    pub fn label(self) -> &'static str {
        match self {
            SpoofTest::PrivateV4 => "Private IPv4",
            SpoofTest::PrivateV6 => "Private IPv6",
            SpoofTest::RoutedV4 => "Routed IPv4",
            SpoofTest::RoutedV6 => "Routed IPv6",
        }
    }

    /// What the test spoofs, for a column tooltip.
    pub fn description(self) -> &'static str {
        match self {
            SpoofTest::PrivateV4 | SpoofTest::PrivateV6 => "packets with private (unroutable) source addresses",
            SpoofTest::RoutedV4 | SpoofTest::RoutedV6 => "packets with routed source addresses of other networks",
        }
    }

    /// The record field that holds this test's result.
    pub fn field(self) -> &'static str {
        match self {
            SpoofTest::PrivateV4 => "privatespoof",
            SpoofTest::PrivateV6 => "privatespoof6",
            SpoofTest::RoutedV4 => "routedspoof",
            SpoofTest::RoutedV6 => "routedspoof6",
        }
    }
}

/// One Spoofer measurement session, decoded tolerantly, with the object exactly as published.
#[derive(Debug, Clone, PartialEq)]
pub struct SpooferSession {
    /// `@id`, e.g. `/sessions/891176`.
    pub id: Option<String>,
    pub session: u64,
    /// `timestamp` read as UTC seconds; `None` when it is missing or not RFC 3339.
    pub timestamp: Option<Timestamp>,
    /// `timestamp` as published (`2020-05-07T14:34:59+00:00`).
    pub timestamp_raw: Option<String>,
    pub asn4: Option<u32>,
    pub asn6: Option<u32>,
    /// Anonymised prefix as published (IPv4 masked to /24, IPv6 to /40).
    pub client4: Option<String>,
    pub client6: Option<String>,
    /// ISO 3166 alpha-3, lower case (`usa`).
    pub country: Option<String>,
    pub nat4: Option<bool>,
    pub nat6: Option<bool>,
    pub privatespoof: SpoofResult,
    pub privatespoof6: SpoofResult,
    pub routedspoof: SpoofResult,
    pub routedspoof6: SpoofResult,
    /// The object as the service sent it (keys in sorted order: serde_json keeps no wire order,
    /// nor does CAIDA's Perl script), for exports that must reproduce records.
    pub raw: Map<String, Value>,
}

/// The typed view of a record, read from the kept raw object.
#[derive(Deserialize)]
struct SessionFields {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    session: Option<u64>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default, deserialize_with = "de_asn")]
    asn4: Option<u32>,
    #[serde(default, deserialize_with = "de_asn")]
    asn6: Option<u32>,
    #[serde(default)]
    client4: Option<String>,
    #[serde(default)]
    client6: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default, deserialize_with = "de_flag")]
    nat4: Option<bool>,
    #[serde(default, deserialize_with = "de_flag")]
    nat6: Option<bool>,
    #[serde(default)]
    privatespoof: SpoofResult,
    #[serde(default)]
    privatespoof6: SpoofResult,
    #[serde(default)]
    routedspoof: SpoofResult,
    #[serde(default)]
    routedspoof6: SpoofResult,
}

impl SpooferSession {
    /// Builds the typed view over a raw record; the error names the field that did not fit.
    pub fn from_raw(raw: Map<String, Value>) -> Result<SpooferSession, String> {
        let value = Value::Object(raw);
        let f: SessionFields = serde_path_to_error::deserialize(&value).map_err(|e| {
            let path = e.path().to_string();
            format!("{path}: {}", e.into_inner())
        })?;
        let raw = match value {
            Value::Object(raw) => raw,
            _ => Map::new(), // built from an object above
        };
        // `@id` carries the id too, so a record that lacks `session` is still addressable.
        let session = f
            .session
            .or_else(|| f.id.as_deref().and_then(|id| parse_session_id(id).ok()))
            .ok_or_else(|| "session: missing (and no `@id` to read it from)".to_string())?;
        Ok(SpooferSession {
            id: f.id,
            session,
            timestamp: f.timestamp.as_deref().and_then(|t| parse_instant(t).ok()),
            timestamp_raw: f.timestamp,
            asn4: f.asn4,
            asn6: f.asn6,
            client4: f.client4,
            client6: f.client6,
            country: f.country,
            nat4: f.nat4,
            nat6: f.nat6,
            privatespoof: f.privatespoof,
            privatespoof6: f.privatespoof6,
            routedspoof: f.routedspoof,
            routedspoof6: f.routedspoof6,
            raw,
        })
    }

    pub fn client4_net(&self) -> Option<IpNet> {
        self.client4.as_deref().and_then(parse_client)
    }

    pub fn client6_net(&self) -> Option<IpNet> {
        self.client6.as_deref().and_then(parse_client)
    }

    pub fn result(&self, test: SpoofTest) -> &SpoofResult {
        match test {
            SpoofTest::PrivateV4 => &self.privatespoof,
            SpoofTest::PrivateV6 => &self.privatespoof6,
            SpoofTest::RoutedV4 => &self.routedspoof,
            SpoofTest::RoutedV6 => &self.routedspoof6,
        }
    }

    /// Whether the session was measured from `asn` over either family (a session can match an
    /// ASN filter through `asn4` or `asn6`).
    pub fn is_from_asn(&self, asn: u32) -> bool {
        self.asn4 == Some(asn) || self.asn6 == Some(asn)
    }

    pub fn report_url(&self) -> String {
        report_url(self.session)
    }

    /// The record as one NDJSON line, as CAIDA's script prints it.
    pub fn ndjson_line(&self) -> String {
        ndjson_line(&self.raw)
    }
}

/// A published prefix, or a bare address read as a host prefix.
fn parse_client(raw: &str) -> Option<IpNet> {
    let s = raw.trim();
    s.parse::<IpNet>().ok().or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

impl<'de> Deserialize<'de> for SpooferSession {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        SpooferSession::from_raw(Map::deserialize(d)?).map_err(de::Error::custom)
    }
}

/// JSON export writes the record as published, not NetLens's reading of it.
impl Serialize for SpooferSession {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl CsvRecord for SpooferSession {
    fn csv_header() -> Vec<&'static str> {
        vec![
            "session",
            "timestamp",
            "asn4",
            "asn6",
            "client4",
            "client6",
            "country",
            "nat4",
            "nat6",
            "privatespoof",
            "privatespoof6",
            "routedspoof",
            "routedspoof6",
        ]
    }

    fn csv_row(&self) -> Vec<String> {
        let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
        let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let flag = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_default();
        vec![
            self.session.to_string(),
            opt(self.timestamp_raw.as_deref()),
            num(self.asn4),
            num(self.asn6),
            opt(self.client4.as_deref()),
            opt(self.client6.as_deref()),
            opt(self.country.as_deref()),
            flag(self.nat4),
            flag(self.nat6),
            opt(self.privatespoof.api_value()),
            opt(self.privatespoof6.api_value()),
            opt(self.routedspoof.api_value()),
            opt(self.routedspoof6.api_value()),
        ]
    }
}

/// ASNs are published as digit strings (`"3356"`); numbers, `AS3356` and null are accepted too.
fn de_asn<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{n} is not an AS number"))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => {
            let t = s.trim();
            let digits = match t.get(..2) {
                Some(p) if p.eq_ignore_ascii_case("as") => &t[2..],
                _ => t,
            };
            digits.parse().map(Some).map_err(|_| de::Error::custom(format!("“{}” is not an AS number", clip(&s))))
        }
        other => Err(de::Error::custom(format!("expected an AS number, found {}", kind(&other)))),
    }
}

/// NAT flags are booleans; `0`/`1` are read the same way. Stricter than [`lenient::opt_bool`]:
/// text such as `"yes"` is a schema surprise here, not a flag.
fn de_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::Number(n) if n.as_u64() == Some(0) => Ok(Some(false)),
        Value::Number(n) if n.as_u64() == Some(1) => Ok(Some(true)),
        other => Err(de::Error::custom(format!("expected true, false or null, found {}", kind(&other)))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `GET /sessions/{id}`.
pub fn decode_session(body: &str) -> Result<SpooferSession, FetchError> {
    decode(Source::Spoofer, body)
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/// `hydra:view`: relative links to other pages of the same collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct HydraView {
    #[serde(rename = "hydra:first", alias = "first", default)]
    pub first: Option<String>,
    #[serde(rename = "hydra:last", alias = "last", default)]
    pub last: Option<String>,
    #[serde(rename = "hydra:next", alias = "next", default)]
    pub next: Option<String>,
    #[serde(rename = "hydra:previous", alias = "previous", default)]
    pub previous: Option<String>,
}

impl HydraView {
    fn has_links(&self) -> bool {
        self.first.is_some() || self.last.is_some() || self.next.is_some() || self.previous.is_some()
    }
}

/// One page of `GET /sessions`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpooferPage {
    pub members: Vec<SpooferSession>,
    /// Sessions matching the filters across all pages (JSON-LD only).
    pub total_items: Option<u64>,
    /// Paging links (JSON-LD only; empty for a plain array).
    pub view: HydraView,
}

/// The JSON-LD collection. The unprefixed names are what API Platform 3.x/4 emits when its
/// `hydra_prefix` option is off, accepted in case the service is upgraded.
#[derive(Deserialize)]
struct HydraCollection {
    #[serde(rename = "hydra:member", alias = "member")]
    members: Vec<SpooferSession>,
    #[serde(rename = "hydra:totalItems", alias = "totalItems", default)]
    total_items: Option<u64>,
    #[serde(rename = "hydra:view", alias = "view", default)]
    view: Option<HydraView>,
}

/// `GET /sessions`, as a JSON-LD collection (`application/ld+json`) or a plain array
/// (`application/json`, no paging information).
pub fn decode_page(body: &str) -> Result<SpooferPage, FetchError> {
    if body.trim_start().starts_with('[') {
        let members: Vec<SpooferSession> = decode(Source::Spoofer, body)?;
        return Ok(SpooferPage { members, total_items: None, view: HydraView::default() });
    }
    let c: HydraCollection = decode(Source::Spoofer, body)?;
    Ok(SpooferPage { members: c.members, total_items: c.total_items, view: c.view.unwrap_or_default() })
}

impl SpooferPage {
    /// The pager: `hydra:last`/`hydra:next` when the service sent them, else the total, else (a plain
    /// array) a full page suggests there may be more.
    pub fn nav(&self, current: u32) -> PageNav {
        let current = current.max(1);
        let from_total = self.total_items.map(pages_for);
        if self.view.has_links() {
            let last = self.view.last.as_deref().and_then(page_of).map(u64::from).or(from_total);
            PageNav { current, last: last.map(clamp_u32), has_next: self.view.next.is_some() }
        } else if let Some(last) = from_total {
            PageNav { current, last: Some(clamp_u32(last)), has_next: u64::from(current) < last }
        } else {
            PageNav::from_count(current, PAGE_SIZE, self.members.len())
        }
    }

    /// How many requests the whole collection takes. The `hydra:last` link comes first because it
    /// reflects the page size the service really uses; `hydra:totalItems` / 30 otherwise.
    pub fn estimated_pages(&self) -> Option<u64> {
        self.view.last.as_deref().and_then(page_of).map(u64::from).or_else(|| self.total_items.map(pages_for))
    }

    /// The count line above the table: `1,234 sessions · page 3 of 42`, or without a total
    /// (a plain array) `30 sessions on this page · page 3`.
    pub fn count_label(&self, current: u32) -> String {
        let nav = self.nav(current);
        let page = match nav.last {
            Some(last) => format!("page {} of {}", format_count(nav.current.into()), format_count(last.into())),
            None => format!("page {}", format_count(nav.current.into())),
        };
        match self.total_items {
            Some(0) => "No sessions match".into(),
            Some(total) => format!("{} {} · {page}", format_count(total), sessions_word(total)),
            None => {
                let n = self.members.len() as u64;
                format!("{} {} on this page · {page}", format_count(n), sessions_word(n))
            }
        }
    }
}

fn sessions_word(n: u64) -> &'static str {
    if n == 1 {
        "session"
    } else {
        "sessions"
    }
}

fn pages_for(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE).max(1)
}

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The `page=` of a link such as `/sessions?asn=3356&page=2`.
pub fn page_of(link: &str) -> Option<u32> {
    let query = link.split('#').next()?.split_once('?')?.1;
    QueryParams::parse(query).get("page")?.parse().ok()
}

/// Turns a Hydra link into the URL to fetch. Links are root-relative (`/sessions?page=2`) and are
/// joined onto the configured base, so a proxy with a path prefix keeps receiving them. An
/// absolute link is followed only on the base's own origin: a response must never send NetLens's
/// requests to another host. `None` for anything else (`//host`, `javascript:`, `..`, controls).
pub fn resolve_link(base: &BaseUrl, link: &str) -> Option<String> {
    let link = link.trim();
    let link = link.split('#').next().unwrap_or_default();
    if link.is_empty() || link.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return None;
    }
    let path = link.split('?').next().unwrap_or_default();
    let lower_path = path.to_ascii_lowercase();
    // `..` would let a link climb out of a proxy's path prefix.
    if path.split('/').any(|seg| seg == "..") || lower_path.contains("%2e%2e") || lower_path.contains("%2f") {
        return None;
    }
    let origin = base.origin();
    if let Some(rest) = strip_prefix_ignore_case(link, origin) {
        return (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')).then(|| link.to_string());
    }
    if link.starts_with("//") || scheme_like(link) {
        return None;
    }
    // A proxy that forwards its prefix makes the service write it into its links already.
    let prefix = &base.as_str()[origin.len()..];
    if !prefix.is_empty() && link.starts_with(prefix) && link[prefix.len()..].starts_with(['/', '?']) {
        return Some(format!("{origin}{link}"));
    }
    Some(base.join(link))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// `mailto:x`, `data:…`: a colon before the first `/` or `?` means a scheme, not a path.
fn scheme_like(link: &str) -> bool {
    let head = link.split(['/', '?']).next().unwrap_or_default();
    head.contains(':')
}

// ---------------------------------------------------------------------------------------------
// Country names
// ---------------------------------------------------------------------------------------------

/// The ISO 3166-1 English short name of an alpha-3 code (any case), for showing beside the code
/// the service publishes. `None` for a code outside the standard. From the `isocountry` crate.
pub fn country_name(alpha3: &str) -> Option<&'static str> {
    let code = alpha3.trim();
    if code.len() != 3 {
        return None;
    }
    Country::from_code(code).map(|c| c.name())
}

/// Every alpha-3 code (lower case, as the Spoofer API writes it) with its name, sorted by code
/// (for the country hint list).
pub fn countries() -> Vec<(String, &'static str)> {
    Country::all().map(|c| (c.alpha3().to_ascii_lowercase(), c.name())).collect()
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

/// One test's outcome across a set of sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpoofTally {
    /// Sessions where the test ran (any result but not tested).
    pub tested: u64,
    /// Sessions with a verdict: received, rewritten or blocked (`unknown` says nothing).
    pub conclusive: u64,
    /// Sessions whose spoofed packets reached CAIDA (received or rewritten).
    pub got_through: u64,
}

impl SpoofTally {
    fn add(&mut self, r: &SpoofResult) {
        self.tested += u64::from(r.is_tested());
        self.conclusive += u64::from(r.is_conclusive());
        self.got_through += u64::from(r.got_through());
    }

    /// The share of conclusive tests whose spoofed packets got through, `None` with no verdicts.
    pub fn share(&self) -> Option<f64> {
        (self.conclusive > 0).then(|| self.got_through as f64 / self.conclusive as f64)
    }
}

/// What a set of sessions says about source address validation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpoofSummary {
    pub total: u64,
    pub private4: SpoofTally,
    pub private6: SpoofTally,
    pub routed4: SpoofTally,
    pub routed6: SpoofTally,
}

impl SpoofSummary {
    pub fn of(sessions: &[SpooferSession]) -> SpoofSummary {
        let mut s = SpoofSummary::default();
        for session in sessions {
            s.total += 1;
            s.private4.add(&session.privatespoof);
            s.private6.add(&session.privatespoof6);
            s.routed4.add(&session.routedspoof);
            s.routed6.add(&session.routedspoof6);
        }
        s
    }

    /// Sessions where any test's spoofed packets got through, and sessions with a verdict in any test.
    pub fn could_spoof(sessions: &[SpooferSession]) -> SpoofTally {
        let mut t = SpoofTally::default();
        for s in sessions {
            let results = SpoofTest::ALL.map(|test| s.result(test));
            t.tested += u64::from(results.iter().any(|r| r.is_tested()));
            t.conclusive += u64::from(results.iter().any(|r| r.is_conclusive()));
            t.got_through += u64::from(results.iter().any(|r| r.got_through()));
        }
        t
    }

    pub fn tally(&self, test: SpoofTest) -> SpoofTally {
        match test {
            SpoofTest::PrivateV4 => self.private4,
            SpoofTest::PrivateV6 => self.private6,
            SpoofTest::RoutedV4 => self.routed4,
            SpoofTest::RoutedV6 => self.routed6,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Latest sessions
// ---------------------------------------------------------------------------------------------

/// How many of the newest sessions the entity pages summarise: one page's worth.
pub const LATEST_WINDOW: usize = PAGE_SIZE as usize;

/// The service lists sessions oldest first, and the reference documents no sort order a client may
/// ask for (`order[timestamp]` is seen only in one third-party client; API Platform silently ignores
/// a filter it does not have, which would pass the oldest sessions off as the newest). So the newest
/// are read from the end: page 1 names the last page in `hydra:last` (or implies it by its total).
/// `None` when page 1 is the only page (its members are all there is).
pub fn latest_last_page(first: &SpooferPage) -> Option<u32> {
    first.estimated_pages().map(clamp_u32).filter(|last| *last > 1)
}

/// Pages the entity pages read for the trend: the newest 10 (300 sessions), enough for years of a
/// typical AS and a recent stretch of a busy country, in one round of requests.
pub const HISTORY_PAGES: u32 = 10;

/// The pages to read after page 1 when the last page is `last`: a contiguous run ending at `last`,
/// [`HISTORY_PAGES`] in all with page 1 when that reaches it. The second value says whether the run
/// holds every page (else page 1 is left out of the trend: a gap of years between it and the run
/// would read as years without tests).
pub fn history_pages(last: u32) -> (Vec<u32>, bool) {
    let first = last.saturating_sub(HISTORY_PAGES - 1).max(2);
    let complete = last <= HISTORY_PAGES;
    let first = if complete { first } else { last - (HISTORY_PAGES - 1) };
    ((first..=last).collect(), complete)
}

/// The newest `want` sessions of the pages fetched, newest first (by time, then by session id, which
/// the service hands out in time order); a session on two pages counts once.
pub fn newest_first(pages: Vec<Vec<SpooferSession>>, want: usize) -> Vec<SpooferSession> {
    let mut all: Vec<SpooferSession> = Vec::new();
    for s in pages.into_iter().flatten() {
        if !all.iter().any(|seen| seen.session == s.session) {
            all.push(s);
        }
    }
    all.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(b.session.cmp(&a.session)));
    all.truncate(want);
    all
}

/// What the newest sessions say, with the window stated: "12 of the latest 30 sessions could spoof (40 %): …".
/// `total` is how many sessions match in all (when the service says), to tell "the latest 30" from "all 7".
pub fn latest_share_line(sessions: &[SpooferSession], total: Option<u64>) -> String {
    let n = sessions.len();
    let all = total.is_none_or(|t| t <= n as u64);
    let count = |n: u64| format!("{} {}", format_count(n), sessions_word(n));
    let window = if all { format!("all {}", count(n as u64)) } else { format!("the latest {}", count(n as u64)) };
    let any = SpoofSummary::could_spoof(sessions);
    let share = if n > 0 { any.got_through as f64 * 100.0 / n as f64 } else { 0.0 };
    let mut line = match (all, n) {
        (true, 1) if any.got_through == 1 => {
            "Its only session could spoof: spoofed packets got through in at least one test.".to_string()
        }
        (true, 1) => "Its only session could not spoof.".to_string(),
        _ => format!(
            "{} of {window} could spoof ({share:.0} %): spoofed packets got through in at least one test.",
            format_count(any.got_through)
        ),
    };
    let undecided = (n as u64).saturating_sub(any.conclusive);
    if undecided > 0 {
        line.push_str(&format!(" {} had no verdict.", count(undecided)));
    }
    line
}

// ---------------------------------------------------------------------------------------------
// Export walk
// ---------------------------------------------------------------------------------------------

/// Why a walk ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkEnd {
    /// The last page had no `hydra:next`.
    Complete,
    /// The next link repeats a page already fetched, or a page brought only sessions already seen.
    NotAdvancing { link: String },
    /// The next link points away from the configured endpoint and was not followed.
    ForeignLink { link: String },
}

impl WalkEnd {
    pub fn is_complete(&self) -> bool {
        *self == WalkEnd::Complete
    }

    pub fn message(&self) -> String {
        match self {
            WalkEnd::Complete => "All pages fetched.".into(),
            WalkEnd::NotAdvancing { link } => format!(
                "Stopped early: the next page ({}) repeats what was already fetched; the export may be incomplete.",
                clip(link)
            ),
            WalkEnd::ForeignLink { link } => format!(
                "Stopped early: the next-page link ({}) leads off the configured endpoint; NetLens does not follow it.",
                clip(link)
            ),
        }
    }
}

/// What the shell does after a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkStep {
    /// Fetch this URL next.
    Next(String),
    Done(WalkEnd),
}

/// Fetching every page of a query for export, as CAIDA's `dump-spoofer-api-after.pl` does: the
/// shell fetches [`ExportWalk::next_url`], hands the decoded page to [`ExportWalk::accept`], and
/// repeats until it is told `Done`.
#[derive(Debug, Clone)]
pub struct ExportWalk {
    next: Option<String>,
    fetched: Vec<String>,
    pages_seen: HashSet<u32>,
    ids: HashSet<u64>,
    sessions: Vec<SpooferSession>,
    ndjson: String,
    pages_done: u64,
    pages_total: Option<u64>,
    duplicates: u64,
    end: Option<WalkEnd>,
}

impl ExportWalk {
    /// Starts at `first_url` (usually `SpooferQuery::request_url` of page 1).
    pub fn new(first_url: String) -> ExportWalk {
        ExportWalk {
            next: Some(first_url),
            fetched: Vec::new(),
            pages_seen: HashSet::new(),
            ids: HashSet::new(),
            sessions: Vec::new(),
            ndjson: String::new(),
            pages_done: 0,
            pages_total: None,
            duplicates: 0,
            end: None,
        }
    }

    /// The walk over every page of `query`, whatever page the explorer shows.
    pub fn for_query(query: &SpooferQuery, base: &BaseUrl) -> ExportWalk {
        ExportWalk::new(query.with_page(1).request_url(base))
    }

    /// Whether walking every page of this collection means more requests than CAIDA's courtesy
    /// limit, so the user should confirm first.
    pub fn needs_confirmation(first_page: &SpooferPage) -> bool {
        first_page.estimated_pages().is_some_and(|n| n > COURTESY_REQUESTS)
    }

    /// The URL to fetch now; `None` once the walk has ended.
    pub fn next_url(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// Takes the page fetched from [`ExportWalk::next_url`]; a page handed in after the end is ignored.
    pub fn accept(&mut self, page: SpooferPage, base: &BaseUrl) -> WalkStep {
        let Some(url) = self.next.take() else {
            return WalkStep::Done(self.end.clone().unwrap_or(WalkEnd::Complete));
        };
        self.pages_done += 1;
        self.pages_seen.insert(page_of(&url).unwrap_or(1));
        self.fetched.push(url);
        if let Some(n) = page.estimated_pages() {
            self.pages_total = Some(n);
        }
        let had_members = !page.members.is_empty();
        let mut fresh = 0u64;
        for s in page.members {
            // Sessions can reappear when results shift between requests; each is exported once.
            if self.ids.insert(s.session) {
                self.ndjson.push_str(&s.ndjson_line());
                self.sessions.push(s);
                fresh += 1;
            } else {
                self.duplicates += 1;
            }
        }
        let end = match page.view.next {
            None => WalkEnd::Complete,
            // Guards against a service that ignores `page` (or loops its links): a next link that
            // was already fetched, names a page number already fetched, or follows a page that
            // brought nothing new would otherwise repeat the same requests for ever.
            Some(link) if had_members && fresh == 0 => WalkEnd::NotAdvancing { link },
            Some(link) => match resolve_link(base, &link) {
                None => WalkEnd::ForeignLink { link },
                Some(u) if self.fetched.contains(&u) || page_of(&u).is_some_and(|p| self.pages_seen.contains(&p)) => {
                    WalkEnd::NotAdvancing { link: u }
                }
                Some(u) => {
                    self.next = Some(u.clone());
                    return WalkStep::Next(u);
                }
            },
        };
        self.end = Some(end.clone());
        WalkStep::Done(end)
    }

    /// `(pages fetched, pages expected if known, sessions collected)`.
    pub fn progress(&self) -> (u64, Option<u64>, u64) {
        (self.pages_done, self.pages_total, self.sessions.len() as u64)
    }

    pub fn is_finished(&self) -> bool {
        self.end.is_some()
    }

    pub fn end(&self) -> Option<&WalkEnd> {
        self.end.as_ref()
    }

    /// Sessions dropped because an earlier page already had them.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    pub fn sessions(&self) -> &[SpooferSession] {
        &self.sessions
    }

    /// One session object per line, as the service sent it (what CAIDA's script prints).
    pub fn ndjson(&self) -> &str {
        &self.ndjson
    }

    pub fn csv(&self) -> String {
        to_csv(&self.sessions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REC_891176: &str = include_str!("../../tests/fixtures/spoofer/session-record-891176.json");
    const REC_894351: &str = include_str!("../../tests/fixtures/spoofer/session-record-894351.json");
    const NOW: Timestamp = 1_795_392_780;

    fn base() -> BaseUrl {
        BaseUrl::parse(crate::config::public_default(Source::Spoofer)).unwrap()
    }

    fn proxy() -> BaseUrl {
        BaseUrl::parse("https://proxy.example/spoofer").unwrap()
    }

    fn q(s: &str) -> Result<SpooferQuery, FieldErrors> {
        SpooferQuery::from_params(&QueryParams::parse(s), NOW)
    }

    /// A JSON-LD page as API Platform shapes it, around the given members.
    fn hydra_page(members: &[&str], total: u64, view: &str) -> String {
        format!(
            r#"{{"@context":"/contexts/Session","@id":"/sessions","@type":"hydra:Collection","hydra:member":[{}],"hydra:totalItems":{total},"hydra:view":{view},"hydra:search":{{"@type":"hydra:IriTemplate","hydra:template":"/sessions{{?asn,asn[]}}"}}}}"#,
            members.join(",")
        )
    }

    fn session_json(id: u64, routed: &str) -> String {
        format!(
            r#"{{"@id":"/sessions/{id}","@type":"Session","asn4":"3356","asn6":null,"client4":"4.30.179.0/24","client6":null,"country":"usa","nat4":false,"nat6":null,"privatespoof":"blocked","privatespoof6":null,"routedspoof":"{routed}","routedspoof6":null,"session":{id},"timestamp":"2020-05-07T14:34:59+00:00"}}"#
        )
    }

    fn page_with(ids: &[u64], next: Option<&str>, last: &str) -> SpooferPage {
        let members: Vec<String> = ids.iter().map(|i| session_json(*i, "received")).collect();
        let refs: Vec<&str> = members.iter().map(String::as_str).collect();
        let next = next.map(|n| format!(r#","hydra:next":"{n}""#)).unwrap_or_default();
        let view = format!(
            r#"{{"@id":"/sessions?page=1","@type":"hydra:PartialCollectionView","hydra:first":"/sessions?page=1","hydra:last":"{last}"{next}}}"#
        );
        decode_page(&hydra_page(&refs, 90, &view)).unwrap()
    }

    // ----- samples -----

    #[test]
    fn the_folded_filter_bar_reads_the_filters() {
        let q = |raw: &str| SpooferQuery::from_params(&QueryParams::parse(raw), 0).unwrap();
        assert_eq!(q("").summary(), "Every session");
        assert_eq!(q("asn=3356,1299&country=usa&after=2020-05-01").summary(), "AS 3356, 1299 · usa · after 2020-05-01");
        assert_eq!(q("session=891176&asn=3356").summary(), "session 891176");
    }

    #[test]
    fn decodes_both_recorded_sessions_verbatim() {
        let s = decode_session(REC_891176).unwrap();
        assert_eq!(s.session, 891_176);
        assert_eq!(s.id.as_deref(), Some("/sessions/891176"));
        assert_eq!(s.timestamp, Some(1_588_862_099));
        assert_eq!(s.timestamp_raw.as_deref(), Some("2020-05-07T14:34:59+00:00"));
        assert_eq!((s.asn4, s.asn6), (Some(3356), None));
        assert_eq!(s.client4.as_deref(), Some("4.30.179.0/24"));
        assert_eq!(s.client4_net(), Some("4.30.179.0/24".parse().unwrap()));
        assert_eq!((s.client6.as_deref(), s.client6_net()), (None, None));
        assert_eq!(s.country.as_deref(), Some("usa"));
        assert_eq!((s.nat4, s.nat6), (Some(true), None));
        assert_eq!(s.privatespoof, SpoofResult::Blocked);
        assert_eq!(s.routedspoof, SpoofResult::Blocked);
        assert_eq!(s.privatespoof6, SpoofResult::NotTested);
        assert_eq!(s.routedspoof6, SpoofResult::NotTested);
        assert!(s.is_from_asn(3356) && !s.is_from_asn(174));
        assert_eq!(s.report_url(), "https://spoofer.caida.org/report.php?sessionid=891176");

        let t = decode_session(REC_894351).unwrap();
        assert_eq!(t.session, 894_351);
        assert_eq!(t.timestamp_raw.as_deref(), Some("2020-05-13T11:12:51+00:00"));
        assert_eq!(t.timestamp, Some(parse_instant("2020-05-13T11:12:51Z").unwrap()));
        assert_eq!(t.client4_net(), Some("8.9.89.0/24".parse().unwrap()));
        assert_eq!(t.result(SpoofTest::RoutedV4), &SpoofResult::Blocked);
    }

    #[test]
    fn records_are_reproduced_exactly() {
        for rec in [REC_891176, REC_894351] {
            let s = decode_session(rec).unwrap();
            assert_eq!(s.ndjson_line(), format!("{}\n", rec.trim_end()));
            assert_eq!(serde_json::to_string(&s).unwrap(), rec.trim_end());
        }
    }

    #[test]
    fn decodes_a_hydra_collection() {
        let view = r#"{"@id":"/sessions?asn%5B%5D=3356&page=1","@type":"hydra:PartialCollectionView","hydra:first":"/sessions?asn%5B%5D=3356&page=1","hydra:last":"/sessions?asn%5B%5D=3356&page=4","hydra:next":"/sessions?asn%5B%5D=3356&page=2"}"#;
        let page = decode_page(&hydra_page(&[REC_891176.trim(), REC_894351.trim()], 95, view)).unwrap();
        assert_eq!(page.members.len(), 2);
        assert_eq!(page.members[0].session, 891_176);
        assert_eq!(page.members[1].client4.as_deref(), Some("8.9.89.0/24"));
        assert_eq!(page.total_items, Some(95));
        assert_eq!(page.view.first.as_deref(), Some("/sessions?asn%5B%5D=3356&page=1"));
        assert_eq!(page.view.next.as_deref(), Some("/sessions?asn%5B%5D=3356&page=2"));
        assert_eq!(page.view.previous, None);
        assert_eq!(page.nav(1), PageNav { current: 1, last: Some(4), has_next: true });
        assert_eq!(page.estimated_pages(), Some(4));
        assert_eq!(page.members[0].ndjson_line(), format!("{}\n", REC_891176.trim_end()));
    }

    #[test]
    fn decodes_a_plain_array() {
        let body = format!("[{},\n{}]", REC_891176.trim(), REC_894351.trim());
        let page = decode_page(&body).unwrap();
        assert_eq!(page.members.iter().map(|s| s.session).collect::<Vec<_>>(), vec![891_176, 894_351]);
        assert_eq!(page.total_items, None);
        assert_eq!(page.view, HydraView::default());
        assert_eq!(page.estimated_pages(), None);
        assert_eq!(page.nav(1), PageNav { current: 1, last: None, has_next: false });
        assert!(decode_page("  []").unwrap().members.is_empty());
    }

    #[test]
    fn decodes_unprefixed_hydra_names() {
        let body = format!(
            r#"{{"member":[{}],"totalItems":31,"view":{{"first":"/sessions?page=1","last":"/sessions?page=2","next":"/sessions?page=2"}}}}"#,
            REC_894351.trim()
        );
        let page = decode_page(&body).unwrap();
        assert_eq!(page.members[0].session, 894_351);
        assert_eq!(page.total_items, Some(31));
        assert_eq!(page.view.next.as_deref(), Some("/sessions?page=2"));
    }

    #[test]
    fn sessions_are_read_tolerantly() {
        let body = r#"{"@id":"/sessions/7","asn4":174,"asn6":"AS6939","nat4":1,"nat6":0,"privatespoof":"Received",
            "privatespoof6":"rewritten","routedspoof":"sent","routedspoof6":"","timestamp":"not a time","extra":{"x":1}}"#;
        let s = decode_session(body).unwrap();
        assert_eq!(s.session, 7, "read from @id when `session` is missing");
        assert_eq!((s.asn4, s.asn6), (Some(174), Some(6939)));
        assert_eq!((s.nat4, s.nat6), (Some(true), Some(false)));
        assert_eq!(s.privatespoof, SpoofResult::Received);
        assert_eq!(s.privatespoof6, SpoofResult::Rewritten);
        assert_eq!(s.routedspoof, SpoofResult::Other("sent".into()));
        assert_eq!(s.routedspoof6, SpoofResult::NotTested);
        assert_eq!((s.timestamp, s.timestamp_raw.as_deref()), (None, Some("not a time")));
        assert_eq!(s.raw["extra"]["x"], 1);
        assert_eq!(s.country, None);
        let minimal = decode_session(r#"{"session":"12"}"#).unwrap();
        assert_eq!(minimal.session, 12);
        assert_eq!(minimal.privatespoof, SpoofResult::NotTested);
    }

    #[test]
    fn schema_surprises_name_the_field() {
        let bad = r#"{"hydra:member":[{"session":1},{"session":2,"asn4":"abc"}]}"#;
        let detail = decode_page(bad).unwrap_err().to_string();
        assert!(detail.contains("hydra:member[1]") && detail.contains("asn4"), "{detail}");
        let detail = decode_page(r#"[{"session":1,"nat4":"yes"}]"#).unwrap_err().to_string();
        assert!(detail.contains("nat4") && detail.contains("a string"), "{detail}");
        let detail = decode_session(r#"{"asn4":"3356"}"#).unwrap_err().to_string();
        assert!(detail.contains("session"), "{detail}");
        let detail = decode_page(r#"{"hydra:totalItems":3}"#).unwrap_err().to_string();
        assert!(detail.contains("hydra:member"), "{detail}");
        assert!(decode_page("<html>").unwrap_err().to_string().contains("not valid JSON"));
    }

    // ----- spoof results and summary -----

    #[test]
    fn spoof_results_explain_themselves() {
        assert!(SpoofResult::Received.got_through() && SpoofResult::Rewritten.got_through());
        assert!(!SpoofResult::Blocked.got_through() && !SpoofResult::Unknown.got_through());
        assert!(!SpoofResult::NotTested.is_tested() && SpoofResult::Unknown.is_tested());
        assert!(!SpoofResult::Unknown.is_conclusive());
        assert_eq!(SpoofResult::Blocked.meaning(), "Spoofed packet was not received, but unspoofed packet was.");
        assert_eq!(SpoofResult::Unknown.meaning(), "Neither spoofed nor unspoofed packet was received.");
        assert!(SpoofResult::Rewritten.meaning().contains("changed en route"));
        assert!(SpoofResult::Received.meaning().contains("SAV"));
        assert_eq!(SpoofResult::NotTested.label(), "Not tested");
        assert_eq!(SpoofResult::Other("sent".into()).label(), "sent");
        assert_eq!(serde_json::to_string(&SpoofResult::NotTested).unwrap(), "null");
        assert_eq!(serde_json::to_string(&SpoofResult::Rewritten).unwrap(), "\"rewritten\"");
    }

    /// The recorded session and three made-up ones: one got through, one rewritten, one unknown.
    fn mixed_page() -> SpooferPage {
        let body = format!(
            "[{},{},{},{}]",
            REC_891176.trim(),
            session_json(1, "received"),
            session_json(2, "rewritten"),
            session_json(3, "unknown")
        );
        decode_page(&body).unwrap()
    }

    #[test]
    fn summary_counts_tests_and_leaks() {
        let page = mixed_page();
        let sum = SpoofSummary::of(&page.members);
        assert_eq!(sum.total, 4);
        assert_eq!(sum.routed4, SpoofTally { tested: 4, conclusive: 3, got_through: 2 });
        assert_eq!(sum.routed4.share(), Some(2.0 / 3.0));
        assert_eq!(sum.private4, SpoofTally { tested: 4, conclusive: 4, got_through: 0 });
        assert_eq!(sum.private4.share(), Some(0.0));
        assert_eq!(sum.tally(SpoofTest::PrivateV6), SpoofTally::default());
        assert_eq!(sum.private6.share(), None);
        assert_eq!(SpoofSummary::of(&[]).total, 0);
    }

    #[test]
    fn could_spoof_counts_sessions_not_tests() {
        let page = mixed_page();
        let t = SpoofSummary::could_spoof(&page.members);
        assert_eq!(t, SpoofTally { tested: 4, conclusive: 4, got_through: 2 });
        assert_eq!(SpoofSummary::could_spoof(&[]).share(), None);
    }

    // ----- latest sessions -----

    #[test]
    fn latest_sessions_come_from_the_last_page() {
        let first = page_with(&[1, 2, 3], Some("/sessions?asn%5B0%5D=3356&page=2"), "/sessions?asn%5B0%5D=3356&page=5");
        assert_eq!(latest_last_page(&first), Some(5));
        // One page only: page 1 is everything.
        let only = page_with(&[1, 2], None, "/sessions?asn%5B0%5D=3356&page=1");
        assert_eq!(latest_last_page(&only), None);
        let plain = decode_page(&format!("[{}]", session_json(1, "blocked"))).unwrap();
        assert_eq!(latest_last_page(&plain), None);
        // Without links, the total says how many pages there are.
        let total_only = decode_page(&hydra_page(&[&session_json(1, "blocked")], 61, "{}")).unwrap();
        assert_eq!(latest_last_page(&total_only), Some(3));
    }

    #[test]
    fn the_history_is_the_newest_contiguous_pages() {
        assert_eq!(history_pages(5), ((2..=5).collect::<Vec<_>>(), true));
        assert_eq!(history_pages(2), (vec![2], true));
        assert_eq!(history_pages(HISTORY_PAGES), ((2..=HISTORY_PAGES).collect::<Vec<_>>(), true));
        let (pages, complete) = history_pages(40);
        assert!(!complete);
        assert_eq!(pages, (31..=40).collect::<Vec<_>>(), "the newest ten, contiguous");
    }

    #[test]
    fn newest_first_sorts_by_time_and_drops_repeats() {
        let at = |id: u64, ts: &str| {
            decode_session(&session_json(id, "blocked").replace("2020-05-07T14:34:59+00:00", ts)).unwrap()
        };
        let older = vec![at(10, "2021-01-01T00:00:00+00:00"), at(11, "2021-01-02T00:00:00+00:00")];
        let newer = vec![
            at(11, "2021-01-02T00:00:00+00:00"),
            at(12, "2021-01-03T00:00:00+00:00"),
            at(13, "2021-01-03T00:00:00+00:00"),
        ];
        let ids = |v: Vec<SpooferSession>| v.iter().map(|s| s.session).collect::<Vec<_>>();
        assert_eq!(ids(newest_first(vec![older.clone(), newer.clone()], 30)), vec![13, 12, 11, 10]);
        assert_eq!(ids(newest_first(vec![older, newer], 2)), vec![13, 12]);
    }

    #[test]
    fn the_share_line_states_its_window() {
        let s = |id: u64, routed: &str| decode_session(&session_json(id, routed)).unwrap();
        let sessions = vec![s(3, "received"), s(2, "blocked"), s(1, "rewritten")];
        assert_eq!(
            latest_share_line(&sessions, Some(90)),
            "2 of the latest 3 sessions could spoof (67 %): spoofed packets got through in at least one test."
        );
        assert!(latest_share_line(&sessions, Some(3)).starts_with("2 of all 3 sessions could spoof"));
        assert!(latest_share_line(&sessions[..1], None).starts_with("Its only session could spoof:"));
        let undecided = decode_session(
            &session_json(4, "unknown").replace(r#""privatespoof":"blocked""#, r#""privatespoof":null"#),
        )
        .unwrap();
        assert_eq!(
            latest_share_line(&[undecided], Some(1)),
            "Its only session could not spoof. 1 session had no verdict."
        );
    }

    // ----- query -----

    #[test]
    fn defaults_are_unfiltered_page_one() {
        let d = q("").unwrap();
        assert_eq!(d, SpooferQuery::default());
        assert_eq!(d.page, 1);
        assert!(d.to_params().is_empty());
        assert_eq!(d.request_url(&base()), "https://api.spoofer.caida.org/sessions");
    }

    #[test]
    fn reads_every_key() {
        let got = q(
            "after=2020-05-01&before=2020-05-07T14:34&asn=AS3356,%20174+as1299,3356&country=USA&session=891176&page=3",
        )
        .unwrap();
        assert_eq!(got.after, Some(parse_instant("2020-05-01").unwrap()));
        assert_eq!(got.before, Some(1_588_862_040));
        assert_eq!(got.asns, vec![3356, 174, 1299]);
        assert_eq!(got.country.as_ref().map(CountryCode::as_str), Some("usa"));
        assert_eq!(got.session, Some(891_176));
        assert_eq!(got.page, 3);
        assert_eq!(
            got.to_params().to_query_string(),
            "after=2020-05-01&before=2020-05-07T14%3A34&asn=3356%2C174%2C1299&country=usa&session=891176&page=3"
        );
    }

    #[test]
    fn builds_the_api_url_the_service_expects() {
        let got = q("after=2020-05-01&before=2020-05-07T14:34:59&asn=3356,174&country=usa&page=2").unwrap();
        assert_eq!(
            got.request_url(&base()),
            "https://api.spoofer.caida.org/sessions?timestamp%5Bafter%5D=2020-05-01\
             &timestamp%5Bbefore%5D=2020-05-07T14%3A34%3A59Z&asn%5B%5D=3356&asn%5B%5D=174&country=usa&page=2"
        );
        assert_eq!(
            q("asn=3356").unwrap().request_url(&proxy()),
            "https://proxy.example/spoofer/sessions?asn%5B%5D=3356"
        );
        assert_eq!(session_url(&base(), 891_176), "https://api.spoofer.caida.org/sessions/891176");
        assert_eq!(session_url(&proxy(), 5), "https://proxy.example/spoofer/sessions/5");
        assert_eq!(report_url(894_351), "https://spoofer.caida.org/report.php?sessionid=894351");
        assert_eq!(ACCEPT, "application/ld+json");
        assert_eq!(q("page=4").unwrap().with_page(0).page, 1);
    }

    #[test]
    fn bad_values_get_messages_per_field() {
        let errs = q("after=yesterday&before=2020-13-01&asn=3356,foo,AS0,99999999999&country=us&session=abc&page=0")
            .unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["after", "before", "asn", "country", "session", "page"]);
        assert!(errs.for_field("after").unwrap().contains("YYYY-MM-DD"));
        assert_eq!(
            errs.for_field("asn"),
            Some("“foo”, “AS0”, “99999999999” are not AS numbers (use 1 to 4294967295, like 3356 or AS3356)")
        );
        assert_eq!(
            errs.for_field("country"),
            Some("“us” is not a three-letter ISO 3166 country code (like usa, deu or jpn)")
        );
        assert_eq!(errs.for_field("session"), Some("“abc” is not a session id (a whole number like 891176)"));
        assert!(errs.for_field("page").unwrap().contains("between 1 and"));
        assert_eq!(
            q("asn=1,2,3,4,x").unwrap_err().for_field("asn"),
            Some("“x” is not an AS number (use 1 to 4294967295, like 3356 or AS3356)")
        );
        let many = (1..=101).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
        assert_eq!(
            q(&format!("asn={many}")).unwrap_err().for_field("asn"),
            Some("at most 100 AS numbers at a time, not 101")
        );
        assert!(q("country=u1a").is_err() && q("country=ü%C3%A9").is_err());
    }

    #[test]
    fn before_must_follow_after() {
        let errs = q("after=2020-05-07&before=2020-05-01").unwrap_err();
        assert_eq!(errs.0.len(), 1);
        assert_eq!(errs.for_field("before"), Some("must be after the start (2020-05-07 00:00 UTC)"));
        assert!(q("after=2020-05-07&before=2020-05-07").is_err());
        assert!(q("after=2020-05-07&before=2020-05-07T00:01").is_ok());
        assert!(q("after=0000-01-01T00:00:00%2B05:00").unwrap_err().for_field("after").unwrap().contains("1970"));
    }

    #[test]
    fn session_ids_can_be_pasted() {
        assert_eq!(parse_session_id("891176"), Ok(891_176));
        assert_eq!(parse_session_id(" /sessions/891176 "), Ok(891_176));
        assert_eq!(parse_session_id("https://spoofer.caida.org/report.php?sessionid=894351&x=1"), Ok(894_351));
        assert!(parse_session_id("0").is_err());
        assert!(parse_session_id("-5").is_err());
        assert_eq!(q("session=/sessions/12").unwrap().session, Some(12));
    }

    #[test]
    fn permalinks_round_trip() {
        let queries = [
            SpooferQuery::default(),
            SpooferQuery { after: Some(1_588_291_200), ..Default::default() },
            SpooferQuery { after: Some(1_588_862_040), before: Some(1_588_862_099), ..Default::default() },
            SpooferQuery {
                after: Some(0),
                before: Some(LATEST),
                asns: vec![3356, 174, u32::MAX],
                country: Some(CountryCode::parse("DEU").unwrap()),
                session: Some(891_176),
                page: 1_000_000,
            },
            SpooferQuery { asns: vec![1], page: 2, ..Default::default() },
        ];
        for query in queries {
            let params = query.to_params();
            assert_eq!(SpooferQuery::from_params(&params, NOW), Ok(query.clone()), "{params:?}");
            let reparsed = QueryParams::parse(&params.to_query_string());
            assert_eq!(SpooferQuery::from_params(&reparsed, NOW), Ok(query));
        }
        let p = SpooferQuery { before: Some(1_588_862_099), ..Default::default() }.to_params();
        assert_eq!(p.get("before"), Some("2020-05-07T14:34:59"));
    }

    #[test]
    fn hostile_input_never_panics() {
        let long = "9".repeat(10_000);
        let hostile = [
            "",
            " ",
            long.as_str(),
            "ü",
            "日本",
            "%00",
            "\u{0}",
            "../",
            "javascript:alert(1)",
            "AS",
            "as",
            "ASü",
            ",,,",
            "-1",
            "1e9",
            "sessionid=",
            "/sessions/",
            "9999-12-31T23:59:59-23:59",
            "0000-01-01",
            "18446744073709551616",
        ];
        for key in ["after", "before", "asn", "country", "session", "page", "other"] {
            for v in hostile {
                let mut p = QueryParams::new();
                p.push(key, v).push(key, v);
                match SpooferQuery::from_params(&p, NOW) {
                    Ok(query) => assert_eq!(SpooferQuery::from_params(&query.to_params(), NOW), Ok(query)),
                    Err(errs) => {
                        assert!(errs.0.iter().all(|e| e.field == key && e.message.chars().count() < 300), "{errs:?}")
                    }
                }
            }
        }
        assert!(q(&format!("asn={}", "x,".repeat(5_000))).unwrap_err().for_field("asn").unwrap().contains("4997 more"));
    }

    // ----- links and paging -----

    #[test]
    fn links_resolve_onto_the_configured_base() {
        let b = base();
        assert_eq!(
            resolve_link(&b, "/sessions?asn=3356&page=2").as_deref(),
            Some("https://api.spoofer.caida.org/sessions?asn=3356&page=2")
        );
        assert_eq!(
            resolve_link(&proxy(), "/sessions?asn=3356&page=2").as_deref(),
            Some("https://proxy.example/spoofer/sessions?asn=3356&page=2")
        );
        assert_eq!(
            resolve_link(&proxy(), "/spoofer/sessions?page=2").as_deref(),
            Some("https://proxy.example/spoofer/sessions?page=2"),
            "a prefix the service already wrote is not doubled"
        );
        assert_eq!(
            resolve_link(&b, "https://api.spoofer.caida.org/sessions?page=3").as_deref(),
            Some("https://api.spoofer.caida.org/sessions?page=3")
        );
        assert_eq!(
            resolve_link(&proxy(), "https://proxy.example/other/sessions?page=3").as_deref(),
            Some("https://proxy.example/other/sessions?page=3")
        );
        assert_eq!(
            resolve_link(&b, "/sessions?page=2#frag").as_deref(),
            Some("https://api.spoofer.caida.org/sessions?page=2")
        );
        for evil in [
            "https://evil.example/sessions?page=2",
            "https://api.spoofer.caida.org.evil.example/sessions",
            "https://api.spoofer.caida.org@evil.example/sessions",
            "http://api.spoofer.caida.org/sessions?page=2",
            "//evil.example/sessions",
            "javascript:alert(1)",
            "data:text/plain,x",
            "/sessions/../../x",
            "/%2e%2e/x",
            "/\\evil.example",
            "/sessions?page=2 x",
            "",
        ] {
            assert_eq!(resolve_link(&b, evil), None, "{evil}");
        }
        assert_eq!(resolve_link(&proxy(), "/../admin"), None);
    }

    #[test]
    fn page_numbers_come_from_links() {
        assert_eq!(page_of("/sessions?asn=3356&page=2"), Some(2));
        assert_eq!(page_of("/sessions?page=17&asn%5B%5D=1"), Some(17));
        assert_eq!(page_of("/sessions?asn=3356"), None);
        assert_eq!(page_of("/sessions?page=x"), None);
        assert_eq!(page_of("/sessions"), None);
    }

    #[test]
    fn pager_uses_links_then_total_then_page_fullness() {
        let page = page_with(&[1], Some("/sessions?page=3"), "/sessions?page=3");
        assert_eq!(page.nav(2), PageNav { current: 2, last: Some(3), has_next: true });
        let last = page_with(&[1], None, "/sessions?page=3");
        assert_eq!(last.nav(3), PageNav { current: 3, last: Some(3), has_next: false });
        let mut no_links = page_with(&[1], None, "/x");
        no_links.view = HydraView::default();
        no_links.total_items = Some(61);
        assert_eq!(no_links.nav(2), PageNav { current: 2, last: Some(3), has_next: true });
        assert_eq!(no_links.estimated_pages(), Some(3));
        no_links.total_items = Some(0);
        assert_eq!(no_links.estimated_pages(), Some(1));
        let full: Vec<String> = (1..=30).map(|i| session_json(i, "blocked")).collect();
        let array = decode_page(&format!("[{}]", full.join(","))).unwrap();
        assert_eq!(array.nav(1), PageNav { current: 1, last: None, has_next: true });
    }

    #[test]
    fn count_label_says_total_and_page() {
        let view =
            r#"{"hydra:first":"/sessions?page=1","hydra:last":"/sessions?page=42","hydra:next":"/sessions?page=4"}"#;
        let mut page = decode_page(&hydra_page(&[REC_891176.trim()], 1_234, view)).unwrap();
        assert_eq!(page.count_label(3), "1,234 sessions · page 3 of 42");
        page.total_items = Some(1);
        page.view = HydraView::default();
        assert_eq!(page.count_label(1), "1 session · page 1 of 1");
        page.total_items = Some(0);
        assert_eq!(page.count_label(1), "No sessions match");
        let array = decode_page(&format!("[{}]", REC_891176.trim())).unwrap();
        assert_eq!(array.count_label(2), "1 session on this page · page 2");
    }

    #[test]
    fn country_names_for_published_codes() {
        assert_eq!(country_name("usa"), Some("United States of America"));
        assert_eq!(country_name(" DEU "), Some("Germany"));
        assert_eq!(country_name("jpn"), Some("Japan"));
        assert_eq!(country_name("zwe"), Some("Zimbabwe"));
        assert_eq!(country_name("abw"), Some("Aruba"));
        assert_eq!(country_name("us"), None);
        assert_eq!(country_name("zzz"), None);
        assert_eq!(country_name("ü"), None);
        let codes: Vec<String> = countries().into_iter().map(|(c, _)| c).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted and unique, for the binary search");
        assert!(codes.iter().all(|c| CountryCode::parse(c).is_ok_and(|p| p.as_str() == c)));
        assert_eq!(codes.len(), 249);
    }

    // ----- export walk -----

    #[test]
    fn walk_follows_next_links_to_the_end() {
        let b = proxy();
        let mut walk = ExportWalk::for_query(&q("asn=3356&page=5").unwrap(), &b);
        assert_eq!(walk.next_url(), Some("https://proxy.example/spoofer/sessions?asn%5B%5D=3356"));
        assert_eq!(walk.progress(), (0, None, 0));

        let first = decode_page(&hydra_page(
            &[REC_891176.trim(), REC_894351.trim()],
            4,
            r#"{"hydra:first":"/sessions?asn%5B%5D=3356&page=1","hydra:last":"/sessions?asn%5B%5D=3356&page=2","hydra:next":"/sessions?asn%5B%5D=3356&page=2"}"#,
        ))
        .unwrap();
        assert!(!ExportWalk::needs_confirmation(&first));
        let step = walk.accept(first, &b);
        let second_url = "https://proxy.example/spoofer/sessions?asn%5B%5D=3356&page=2";
        assert_eq!(step, WalkStep::Next(second_url.into()));
        assert_eq!(walk.next_url(), Some(second_url));
        assert_eq!(walk.progress(), (1, Some(2), 2));

        // The second page repeats one session (results shifted) and adds one.
        let second = decode_page(&hydra_page(
            &[REC_894351.trim(), &session_json(900_001, "received")],
            4,
            r#"{"hydra:first":"/sessions?asn%5B%5D=3356&page=1","hydra:last":"/sessions?asn%5B%5D=3356&page=2","hydra:previous":"/sessions?asn%5B%5D=3356&page=1"}"#,
        ))
        .unwrap();
        assert_eq!(walk.accept(second, &b), WalkStep::Done(WalkEnd::Complete));
        assert!(walk.is_finished() && walk.end().unwrap().is_complete());
        assert_eq!(walk.next_url(), None);
        assert_eq!(walk.progress(), (2, Some(2), 3));
        assert_eq!(walk.duplicates(), 1);

        let lines: Vec<&str> = walk.ndjson().lines().collect();
        assert_eq!(
            lines,
            vec![REC_891176.trim_end(), REC_894351.trim_end(), session_json(900_001, "received").as_str()]
        );

        let csv = walk.csv();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(
            rows[0],
            "session,timestamp,asn4,asn6,client4,client6,country,nat4,nat6,privatespoof,privatespoof6,routedspoof,routedspoof6"
        );
        assert_eq!(rows[1], "891176,2020-05-07T14:34:59+00:00,3356,,4.30.179.0/24,,usa,true,,blocked,,blocked,");
        assert_eq!(rows[3], "900001,2020-05-07T14:34:59+00:00,3356,,4.30.179.0/24,,usa,false,,blocked,,received,");
        assert_eq!(rows.len(), 4);
        assert_eq!(SpoofSummary::of(walk.sessions()).routed4.got_through, 1);

        // A page handed in after the end changes nothing.
        assert_eq!(walk.accept(page_with(&[5], None, "/x"), &b), WalkStep::Done(WalkEnd::Complete));
        assert_eq!(walk.progress(), (2, Some(2), 3));
    }

    #[test]
    fn walk_stops_when_paging_does_not_advance() {
        let b = base();
        // The next link names the URL just fetched.
        let mut walk = ExportWalk::new(b.join("sessions?page=1"));
        let step = walk.accept(page_with(&[1, 2], Some("/sessions?page=1"), "/sessions?page=9"), &b);
        let link = "https://api.spoofer.caida.org/sessions?page=1".to_string();
        assert_eq!(step, WalkStep::Done(WalkEnd::NotAdvancing { link }));
        assert!(walk.end().unwrap().message().contains("may be incomplete"));

        // The next link goes back to a page number already fetched (the first URL had no `page`).
        let mut walk = ExportWalk::new(b.join("sessions"));
        assert!(matches!(
            walk.accept(page_with(&[1], Some("/sessions?page=2"), "/sessions?page=3"), &b),
            WalkStep::Next(_)
        ));
        let step = walk.accept(page_with(&[2], Some("/sessions?asn=1&page=1"), "/sessions?page=3"), &b);
        assert!(matches!(step, WalkStep::Done(WalkEnd::NotAdvancing { .. })), "{step:?}");
        assert_eq!(walk.progress(), (2, Some(3), 2));

        // A service ignoring `page` sends new links but the same sessions.
        let mut walk = ExportWalk::new(b.join("sessions"));
        walk.accept(page_with(&[1, 2], Some("/sessions?page=2"), "/sessions?page=50"), &b);
        let step = walk.accept(page_with(&[1, 2], Some("/sessions?page=3"), "/sessions?page=50"), &b);
        assert_eq!(step, WalkStep::Done(WalkEnd::NotAdvancing { link: "/sessions?page=3".into() }));
        assert_eq!(walk.ndjson().lines().count(), 2);
        assert_eq!(walk.duplicates(), 2);
    }

    #[test]
    fn walk_never_leaves_the_endpoint() {
        let b = base();
        let mut walk = ExportWalk::new(b.join("sessions"));
        let step = walk.accept(page_with(&[1], Some("https://evil.example/sessions?page=2"), "/sessions?page=2"), &b);
        assert_eq!(step, WalkStep::Done(WalkEnd::ForeignLink { link: "https://evil.example/sessions?page=2".into() }));
        assert_eq!(walk.next_url(), None);
        assert!(walk.end().unwrap().message().contains("does not follow"));
    }

    #[test]
    fn big_exports_ask_first() {
        let mut page = page_with(&[1], Some("/sessions?page=2"), "/sessions?page=1000");
        assert!(!ExportWalk::needs_confirmation(&page));
        page.view.last = Some("/sessions?page=1001".into());
        assert!(ExportWalk::needs_confirmation(&page));
        page.view = HydraView::default();
        page.total_items = Some(30_000);
        assert!(!ExportWalk::needs_confirmation(&page));
        page.total_items = Some(30_001);
        assert!(ExportWalk::needs_confirmation(&page));
        page.total_items = None;
        assert!(!ExportWalk::needs_confirmation(&page), "a plain array is one request");
    }
}
