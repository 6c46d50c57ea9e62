//! GRIP: the event search query, event ids, prefix fingerprints, response models and page helpers.

use super::error::{decode, message_from_body, FetchError};
use super::export::CsvRecord;
use super::page::{format_count, PageNav};
use super::query::{clip, parse_in_range, FieldErrors, QueryParams};
use super::time::{self, format_utc, TimeRange, Timestamp};
use super::Source;
use crate::config::BaseUrl;
use chrono::{DateTime, SecondsFormat, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

/// The deepest record GRIP's search reaches: Elasticsearch refuses `from + size` beyond 10,000
/// and `recordsTotal` never counts past it.
pub const SEARCH_CAP: u64 = 10_000;
/// The API's default page size (`length`).
pub const DEFAULT_LENGTH: u64 = 100;
/// The largest page size the API documents.
pub const MAX_LENGTH: u64 = 1_000;
/// The most items one filter list may hold; keeps permalinks and the service's query sane.
pub const MAX_TERMS: usize = 100;
/// Longer durations than this (ten years) cannot be real GRIP events.
pub const MAX_DURATION: u64 = 10 * 365 * 86_400;
const MAX_ASN: u64 = 4_294_967_295;
/// Elasticsearch ids are at most 512 bytes.
const MAX_EVENT_ID_LEN: usize = 512;

/// The kinds of routing event GRIP detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    Moas,
    Submoas,
    Defcon,
    Edges,
}

impl EventType {
    pub const ALL: [EventType; 4] = [EventType::Moas, EventType::Submoas, EventType::Defcon, EventType::Edges];

    /// The name in the API (`event_type=`, event ids).
    pub fn key(self) -> &'static str {
        match self {
            EventType::Moas => "moas",
            EventType::Submoas => "submoas",
            EventType::Defcon => "defcon",
            EventType::Edges => "edges",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventType::Moas => "MOAS",
            EventType::Submoas => "Sub-MOAS",
            EventType::Defcon => "DEFCON",
            EventType::Edges => "New edge",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            EventType::Moas => "several origin ASes announce the same prefix",
            EventType::Submoas => "a more specific prefix is announced by a different origin AS",
            EventType::Defcon => "a more specific prefix is announced by the same origin AS",
            EventType::Edges => "a new AS-to-AS link appears in AS paths",
        }
    }

    pub fn from_key(key: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.key() == key)
    }

    /// How many prefixes name one of its prefix events (`/pfx_event/...`): two (sub-prefix first)
    /// for the sub-prefix types, one otherwise.
    pub fn fingerprint_len(self) -> usize {
        match self {
            EventType::Moas | EventType::Edges => 1,
            EventType::Submoas | EventType::Defcon => 2,
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One item of a GRIP filter list: events must match it, or (`!` in the URL) must not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term<T> {
    pub value: T,
    pub negated: bool,
}

impl<T> Term<T> {
    pub fn is(value: T) -> Self {
        Term { value, negated: false }
    }

    pub fn not(value: T) -> Self {
        Term { value, negated: true }
    }
}

impl<T: fmt::Display> fmt::Display for Term<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negated {
            f.write_str("!")?;
        }
        self.value.fmt(f)
    }
}

/// The event search of the GRIP explorer. Page-URL keys are the API's own parameter names.
///
/// Times are whole UTC minutes: GRIP v2 reads `YYYY-MM-DDTHH:MM` (not the spec's `…:SS`), so a
/// time is floored to its minute when read and written back in that form. GRIP's own view
/// timestamps are 5-minute bins, so the floor drops no event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GripQuery {
    /// `None`: every type (`all`).
    pub event_type: Option<EventType>,
    /// Events that started at or after this minute (GRIP filters on the event start).
    pub ts_start: Option<Timestamp>,
    /// Events that started at or before this minute.
    pub ts_end: Option<Timestamp>,
    pub asns: Vec<Term<u32>>,
    pub tags: Vec<Term<String>>,
    /// Truncated to the network address; written in the URL as GRIP stores them ([`stored_prefix`]).
    pub pfxs: Vec<Term<IpNet>>,
    /// Primary-inference suspicion, 0..=100, min ≤ max.
    pub min_susp: u8,
    pub max_susp: u8,
    /// Seconds; GRIP applies a duration filter only when one is given (ongoing events have none).
    pub min_duration: Option<u64>,
    pub max_duration: Option<u64>,
    /// Ask for full events (AS paths included): far bigger answers.
    pub full: bool,
    /// Offset of the first event; `start + length` stays within [`SEARCH_CAP`].
    pub start: u64,
    /// Events per page, 1..=1000.
    pub length: u64,
}

impl Default for GripQuery {
    fn default() -> Self {
        GripQuery {
            event_type: None,
            ts_start: None,
            ts_end: None,
            asns: Vec::new(),
            tags: Vec::new(),
            pfxs: Vec::new(),
            min_susp: 0,
            max_susp: 100,
            min_duration: None,
            max_duration: None,
            full: false,
            start: 0,
            length: DEFAULT_LENGTH,
        }
    }
}

impl GripQuery {
    /// Every key the query reads, in form order.
    pub const KEYS: [&'static str; 13] = [
        "event_type",
        "ts_start",
        "ts_end",
        "asns",
        "tags",
        "pfxs",
        "min_susp",
        "max_susp",
        "min_duration",
        "max_duration",
        "full",
        "start",
        "length",
    ];

    /// Reads the page URL. `now` only tells epoch milliseconds from seconds, as GRIP does.
    pub fn from_params(p: &QueryParams, now: Timestamp) -> Result<GripQuery, FieldErrors> {
        let mut errs = FieldErrors::default();
        let d = GripQuery::default();

        let event_type = errs.take("event_type", parse_event_type(p.get("event_type"))).flatten();
        let ts_start = errs.take("ts_start", parse_time(p.get("ts_start"), now)).flatten();
        let ts_end = errs.take("ts_end", parse_time(p.get("ts_end"), now)).flatten();
        if let (Some(from), Some(until)) = (ts_start, ts_end) {
            if let Err(e) = TimeRange::new(from, until) {
                errs.add("ts_end", e);
            }
        }

        let asns = errs.take("asns", parse_terms(p.get("asns"), ASNS, parse_asn)).unwrap_or_default();
        let tags = errs.take("tags", parse_terms(p.get("tags"), TAGS, parse_tag)).unwrap_or_default();
        let pfxs = errs.take("pfxs", parse_terms(p.get("pfxs"), PFXS, parse_prefix)).unwrap_or_default();

        let min_susp = errs.take("min_susp", parse_in_range(p.get("min_susp"), 0, 100)).flatten();
        let max_susp = errs.take("max_susp", parse_in_range(p.get("max_susp"), 0, 100)).flatten();
        if let (Some(lo), Some(hi)) = (min_susp, max_susp) {
            if lo > hi {
                errs.add("min_susp", format!("must not be above the maximum suspicion ({hi})"));
            }
        }
        let min_duration = errs.take("min_duration", parse_in_range(p.get("min_duration"), 0, MAX_DURATION)).flatten();
        let max_duration = errs.take("max_duration", parse_in_range(p.get("max_duration"), 0, MAX_DURATION)).flatten();
        if let (Some(lo), Some(hi)) = (min_duration, max_duration) {
            if lo > hi {
                errs.add("min_duration", format!("must not be above the maximum duration ({hi} s)"));
            }
        }

        let length = errs.take("length", parse_in_range(p.get("length"), 1, MAX_LENGTH)).map(|l| l.unwrap_or(d.length));
        let start = errs.take("start", parse_offset(p.get("start"))).map(|s| s.unwrap_or(d.start));
        if let (Some(s), Some(l)) = (start, length) {
            if s.saturating_add(l) > SEARCH_CAP {
                errs.add("start", cap_message(s.saturating_add(l)));
            }
        }

        errs.into_result(GripQuery {
            event_type,
            ts_start,
            ts_end,
            asns,
            tags,
            pfxs,
            // Both are within 0..=100 once parsed.
            min_susp: min_susp.map_or(d.min_susp, |v| v as u8),
            max_susp: max_susp.map_or(d.max_susp, |v| v as u8),
            min_duration,
            max_duration,
            // Presence-based, like the API: `full=false` still asks for full events.
            full: p.contains("full"),
            start: start.unwrap_or(d.start),
            length: length.unwrap_or(d.length),
        })
    }

    /// The permalink query: only what differs from the API's defaults. The names and formats are
    /// the API's, so the same pairs also make the request.
    pub fn to_params(&self) -> QueryParams {
        let d = GripQuery::default();
        let mut p = QueryParams::new();
        p.push_opt("event_type", self.event_type.map(EventType::key));
        p.push_opt("ts_start", self.ts_start.map(time::format_input));
        p.push_opt("ts_end", self.ts_end.map(time::format_input));
        push_terms(&mut p, "asns", &self.asns);
        push_terms(&mut p, "tags", &self.tags);
        // As GRIP stores them: it matches the text exactly.
        let pfxs: Vec<Term<String>> =
            self.pfxs.iter().map(|t| Term { value: stored_prefix(&t.value), negated: t.negated }).collect();
        push_terms(&mut p, "pfxs", &pfxs);
        p.push_opt("min_susp", Some(self.min_susp).filter(|v| *v != d.min_susp));
        p.push_opt("max_susp", Some(self.max_susp).filter(|v| *v != d.max_susp));
        p.push_opt("min_duration", self.min_duration);
        p.push_opt("max_duration", self.max_duration);
        if self.full {
            // Never `full=false`: the API reads any value as true.
            p.push("full", "true");
        }
        p.push_opt("start", Some(self.start).filter(|v| *v != d.start));
        p.push_opt("length", Some(self.length).filter(|v| *v != d.length));
        p
    }

    /// `<base>/events?…` with only the parameters that are set.
    pub fn request_url(&self, base: &BaseUrl) -> String {
        format!("{}{}", base.join("events"), self.to_params().to_suffix())
    }

    /// The pager for a page of results. The reachable depth is the largest multiple of `length`
    /// within [`SEARCH_CAP`], so the last page offered never asks for records past the cap (with
    /// `length=300`, page 34 would need records 9,901–10,200).
    pub fn page_nav(&self, records_total: u64) -> PageNav {
        PageNav::from_offset(self.start, self.length, records_total, Some(self.reachable()))
    }

    /// The same search at page `n` (1-based), clamped to the deepest page the cap allows.
    pub fn with_page(&self, n: u32) -> GripQuery {
        let length = self.length.max(1);
        let deepest = (self.reachable() / length).max(1);
        let page = u64::from(n).clamp(1, deepest);
        GripQuery { start: (page - 1) * length, ..self.clone() }
    }

    /// The search with a suspicion preset applied, from the first page.
    pub fn with_suspicion(&self, level: Option<SuspicionLevel>) -> GripQuery {
        let (min_susp, max_susp) = level.map_or((0, 100), SuspicionLevel::range);
        GripQuery { min_susp, max_susp, start: 0, ..self.clone() }
    }

    /// The filters behind the explorer's "More filters" that this query sets: tags, a custom suspicion
    /// range (the presets sit in the main bar), durations, full events and a page size of its own.
    pub fn more_filters_active(&self) -> usize {
        let custom_susp = (self.min_susp, self.max_susp) != (0, 100) && self.suspicion_preset().is_none();
        [
            !self.tags.is_empty(),
            custom_susp,
            self.min_duration.is_some(),
            self.max_duration.is_some(),
            self.full,
            self.length != DEFAULT_LENGTH,
        ]
        .into_iter()
        .filter(|b| *b)
        .count()
    }

    /// The query in one line, for the folded filter bar on a phone: "MOAS · since 2026-12-01 00:00 UTC ·
    /// AS 3356, !174 · Suspicious". "Every event" when nothing narrows it.
    pub fn summary(&self) -> String {
        let list = |terms: Vec<String>| terms.join(", ");
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.event_type.map(|t| t.label().to_string()));
        match (self.ts_start, self.ts_end) {
            (Some(f), Some(u)) => parts.push(format!("{} to {}", format_utc(f), format_utc(u))),
            (Some(f), None) => parts.push(format!("since {}", format_utc(f))),
            (None, Some(u)) => parts.push(format!("until {}", format_utc(u))),
            (None, None) => {}
        }
        if !self.asns.is_empty() {
            parts.push(format!("AS {}", list(self.asns.iter().map(Term::to_string).collect())));
        }
        if !self.pfxs.is_empty() {
            parts.push(list(self.pfxs.iter().map(Term::to_string).collect()));
        }
        if !self.tags.is_empty() {
            parts.push(format!("tags {}", list(self.tags.iter().map(Term::to_string).collect())));
        }
        match self.suspicion_preset() {
            Some(level) => parts.push(level.label().to_string()),
            None if (self.min_susp, self.max_susp) != (0, 100) => {
                parts.push(format!("suspicion {}–{}", self.min_susp, self.max_susp))
            }
            None => {}
        }
        if parts.is_empty() {
            "Every event".to_string()
        } else {
            parts.join(" · ")
        }
    }

    /// The preset the suspicion bounds match, if any (`None` for all or a custom range).
    pub fn suspicion_preset(&self) -> Option<SuspicionLevel> {
        SuspicionLevel::ALL.into_iter().find(|l| l.range() == (self.min_susp, self.max_susp))
    }

    fn reachable(&self) -> u64 {
        let length = self.length.max(1);
        (SEARCH_CAP / length * length).max(length)
    }
}

fn cap_message(end: u64) -> String {
    format!(
        "GRIP's search only reaches its first {cap} matches, so start + length must be at most {cap} \
         (here {end}); narrow the search (time, type, ASNs) to reach older events",
        cap = format_count(SEARCH_CAP),
        end = format_count(end)
    )
}

fn push_terms<T: fmt::Display>(p: &mut QueryParams, key: &str, terms: &[Term<T>]) {
    if !terms.is_empty() {
        p.push(key, terms.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    }
}

fn parse_event_type(raw: Option<&str>) -> Result<Option<EventType>, String> {
    let Some(raw) = raw else { return Ok(None) };
    let key = raw.to_ascii_lowercase();
    if key == "all" {
        return Ok(None);
    }
    EventType::from_key(&key)
        .map(Some)
        .ok_or_else(|| format!("“{}” is not an event type: use moas, submoas, defcon, edges or all", clip(raw)))
}

/// Any form `time::parse_instant` reads, plus epoch milliseconds (told apart as GRIP does: a
/// number above ten times now), floored to the minute.
fn parse_time(raw: Option<&str>, now: Timestamp) -> Result<Option<Timestamp>, String> {
    let Some(raw) = raw else { return Ok(None) };
    let millis =
        raw.bytes().all(|b| b.is_ascii_digit()) && raw.parse::<i64>().is_ok_and(|n| n > now.max(1).saturating_mul(10));
    let ts = if millis {
        let secs = raw.parse::<i64>().map(|n| n / 1000).unwrap_or(i64::MAX);
        time::parse_instant(&secs.to_string())
            .map_err(|_| format!("“{}” is not a valid Unix time (seconds or milliseconds)", clip(raw)))?
    } else {
        time::parse_instant(raw)?
    };
    if ts < 0 {
        return Err("must not be before 1970".into());
    }
    Ok(Some(ts - ts.rem_euclid(60)))
}

/// An offset: any whole number (the search-cap check explains the real limit).
fn parse_offset(raw: Option<&str>) -> Result<Option<u64>, String> {
    let Some(raw) = raw else { return Ok(None) };
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("“{}” is not a whole number (0 or more)", clip(raw)));
    }
    Ok(Some(raw.parse::<u64>().unwrap_or(u64::MAX)))
}

/// What a filter list holds, for messages: (plural, "a(n) one").
type Noun = (&'static str, &'static str);
const ASNS: Noun = ("AS numbers", "an AS number");
const TAGS: Noun = ("tags", "a tag name");
const PFXS: Noun = ("prefixes", "a prefix");

/// A comma list of items, each optionally `!`-negated. Blank items (a trailing comma) are
/// skipped and repeats dropped; every bad item is counted, the first one quoted.
fn parse_terms<T: PartialEq>(
    raw: Option<&str>,
    (plural, one): Noun,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<Term<T>>, String> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    let items: Vec<&str> = raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if items.len() > MAX_TERMS {
        return Err(format!("can hold at most {MAX_TERMS} {plural}, not {}", items.len()));
    }
    let mut terms: Vec<Term<T>> = Vec::new();
    let mut bad = Vec::new();
    for item in items {
        let (negated, body) = match item.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, item),
        };
        if body.is_empty() {
            bad.push(format!("“!” must be followed by {one}"));
            continue;
        }
        match parse(body) {
            Ok(value) => {
                let term = Term { value, negated };
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
            Err(e) => bad.push(e),
        }
    }
    match bad.len() {
        0 => Ok(terms),
        1 => Err(bad.swap_remove(0)),
        n => Err(format!("{} (and {} more)", bad[0], n - 1)),
    }
}

/// An AS number as users write it: `3356`, `AS3356` or `as3356`.
pub fn parse_asn(raw: &str) -> Result<u32, String> {
    let s = raw.trim();
    let digits = s.strip_prefix(['A', 'a']).and_then(|r| r.strip_prefix(['S', 's'])).map(str::trim_start).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("“{}” is not an AS number (write 3356 or AS3356)", clip(s)));
    }
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_ASN).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| format!("AS number “{}” is not between 1 and {MAX_ASN}", clip(digits)))
}

/// A GRIP tag name (`[a-z0-9-_]`); upper case is folded, as every GRIP tag is lower case.
fn parse_tag(raw: &str) -> Result<String, String> {
    let tag = raw.to_ascii_lowercase();
    let ok = !tag.is_empty()
        && tag.len() <= 100
        && tag.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(tag)
    } else {
        Err(format!("“{}” is not a tag name (letters, digits, - and _ only)", clip(raw)))
    }
}

/// An IPv4/IPv6 prefix, or a bare address as its /32 or /128; host bits are cleared because GRIP
/// matches the stored prefix text exactly.
fn parse_prefix(raw: &str) -> Result<IpNet, String> {
    raw.parse::<IpNet>()
        .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
        .map(|n| n.trunc())
        .map_err(|_| format!("“{}” is not an IPv4 or IPv6 prefix", clip(raw)))
}

/// The AS part of an event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventAses {
    /// moas and defcon: the origins, `asn1_asn2_…`.
    Origins(Vec<u32>),
    /// submoas: `victims=attackers`. (GRIP builds it from the super- and sub-prefix origins.)
    Split { victims: Vec<u32>, attackers: Vec<u32> },
    /// edges: the two ends of the new link.
    Edge(u32, u32),
}

/// A GRIP event id, `<type>-<unix_ts>-<as details>`, checked against the grammar GRIP v2
/// validates. Displays (and goes into URLs) exactly as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GripEventId {
    raw: String,
    pub event_type: EventType,
    pub timestamp: Timestamp,
    pub ases: EventAses,
}

impl GripEventId {
    /// Checks the grammar; every character of a valid id is URL-path safe.
    pub fn parse(raw: &str) -> Result<GripEventId, String> {
        let raw = raw.trim();
        const SHAPE: &str = "a GRIP event id looks like moas-1605039900-207384_48282";
        if raw.is_empty() {
            return Err(format!("the event id is empty: {SHAPE}"));
        }
        if raw.len() > MAX_EVENT_ID_LEN {
            return Err(format!("is too long for a GRIP event id ({} characters)", raw.chars().count()));
        }
        let mut parts = raw.splitn(3, '-');
        let (Some(kind), Some(ts), Some(details)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("“{}” is not an event id: {SHAPE}", clip(raw)));
        };
        let event_type = EventType::from_key(kind)
            .ok_or_else(|| format!("“{}” is not a GRIP event type (moas, submoas, defcon or edges)", clip(kind)))?;
        let timestamp = if !ts.is_empty() && ts.bytes().all(|b| b.is_ascii_digit()) {
            time::parse_instant(ts).map_err(|_| format!("“{}” in the event id is not a Unix time", clip(ts)))?
        } else {
            return Err(format!("“{}” in the event id is not a Unix time", clip(ts)));
        };
        let ases = match event_type {
            EventType::Moas | EventType::Defcon => {
                if details.contains('=') {
                    return Err(format!("a {event_type} event id lists origins as asn1_asn2, without “=”"));
                }
                EventAses::Origins(id_asns(details)?)
            }
            EventType::Submoas => {
                let (victims, attackers) = details
                    .split_once('=')
                    .filter(|(_, a)| !a.contains('='))
                    .ok_or("a submoas event id ends in victims=attackers, e.g. 3356=64500_64501")?;
                EventAses::Split { victims: id_asns(victims)?, attackers: id_asns(attackers)? }
            }
            EventType::Edges => match id_as_list(details)?.as_slice() {
                [a, b] if a != b => EventAses::Edge(*a, *b),
                [_, _] => return Err("an edges event id names two different ASes".into()),
                other => return Err(format!("an edges event id names exactly 2 ASes, not {}", other.len())),
            },
        };
        Ok(GripEventId { raw: raw.to_string(), event_type, timestamp, ases })
    }

    /// The id GRIP gives an event of this type, time and ASes, in GRIP's own form: origins (and each side of a
    /// submoas) as a set sorted as text, so a repeated AS is written once and the order does not matter; an
    /// edge keeps its direction and must join two different ASes. The result parses back to itself.
    pub fn build(event_type: EventType, timestamp: Timestamp, ases: EventAses) -> Result<GripEventId, String> {
        if timestamp < 0 {
            return Err(format!("an event id needs a Unix time, not {timestamp}"));
        }
        let details = match (event_type, &ases) {
            (EventType::Moas | EventType::Defcon, EventAses::Origins(v)) => grip_as_list(v),
            (EventType::Submoas, EventAses::Split { victims, attackers }) => {
                format!("{}={}", grip_as_list(victims), grip_as_list(attackers))
            }
            (EventType::Edges, EventAses::Edge(a, b)) => format!("{a}_{b}"),
            (t, _) => {
                let want = match t {
                    EventType::Moas | EventType::Defcon => "its origins",
                    EventType::Submoas => "victims and attackers",
                    EventType::Edges => "the two ends of an edge",
                };
                return Err(format!("a {t} event id names {want}"));
            }
        };
        GripEventId::parse(&format!("{event_type}-{timestamp}-{details}"))
    }

    /// [`parse`](Self::parse), and the time must be past (GRIP v2 rejects ids from the future).
    pub fn parse_at(raw: &str, now: Timestamp) -> Result<GripEventId, String> {
        let id = GripEventId::parse(raw)?;
        if id.timestamp > now {
            return Err(format!("names a time in the future ({})", time::format_utc(id.timestamp)));
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Every AS the id names, in order.
    pub fn asns(&self) -> Vec<u32> {
        match &self.ases {
            EventAses::Origins(v) => v.clone(),
            EventAses::Split { victims, attackers } => victims.iter().chain(attackers).copied().collect(),
            EventAses::Edge(a, b) => vec![*a, *b],
        }
    }

    /// Whether `prefixes` can name a prefix event of this event: one prefix, or for submoas and
    /// defcon two with the sub-prefix (inside the other) first.
    pub fn check_fingerprint(&self, prefixes: &[IpNet]) -> Result<(), String> {
        let want = self.event_type.fingerprint_len();
        if prefixes.len() != want {
            let what = if want == 1 { "one prefix" } else { "two prefixes (sub-prefix first)" };
            return Err(format!("a {} prefix event is named by {what}, not {}", self.event_type, prefixes.len()));
        }
        if let [sub, sup] = prefixes {
            if !sup.contains(sub) || sub == sup {
                return Err(format!("the sub-prefix {sub} must come first and lie inside {sup}"));
            }
        }
        Ok(())
    }
}

impl fmt::Display for GripEventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// `asn1_asn2_…` in an id: plain numbers, 1..=4294967295, each AS once. GRIP writes the list from a set of
/// origins (GRIP-CORE `get_origin_fingerprint`: `"_".join(sorted(origins))`) and refuses an id that repeats one.
fn id_asns(list: &str) -> Result<Vec<u32>, String> {
    let asns = id_as_list(list)?;
    if let Some((_, a)) = asns.iter().enumerate().find(|(i, a)| asns[..*i].contains(a)) {
        return Err(format!(
            "names AS{a} more than once: GRIP lists each AS of an event once, so no event has this id"
        ));
    }
    Ok(asns)
}

/// `asn1_asn2_…` read as it stands, repeats included.
fn id_as_list(list: &str) -> Result<Vec<u32>, String> {
    if list.is_empty() {
        return Err("the event id names no AS".into());
    }
    list.split('_')
        .map(|a| {
            a.parse::<u64>()
                .ok()
                .filter(|n| a.bytes().all(|b| b.is_ascii_digit()) && (1..=MAX_ASN).contains(n))
                .map(|n| n as u32)
                .ok_or_else(|| format!("“{}” in the event id is not an AS number (1 to {MAX_ASN})", clip(a)))
        })
        .collect()
}

/// The AS list GRIP writes for a set of origins: each AS once, sorted as text (`207384_48282`).
fn grip_as_list(asns: &[u32]) -> String {
    let mut names: Vec<String> = asns.iter().map(u32::to_string).collect();
    names.sort();
    names.dedup();
    names.join("_")
}

/// A prefix in the form GRIP stores it, the only form it matches: `pfxs` is an exact `term` query on the
/// keyword field `summary.prefixes`, and a prefix event is found by comparing its `details.prefix` text.
/// GRIP's prefixes come from BGPStream, whose C formatter writes addresses with `inet_ntop`: the network
/// address (BGP announces no host bits), IPv6 in lower-case hex without leading zeros, the first longest run
/// of two or more zero groups as `::` (`2a00:a040:0:3::/64`), and an IPv4-mapped or IPv4-compatible tail
/// dotted (`::ffff:1.2.3.0/120`, `::1.2.3.0/120`). Rust writes IPv6 the same way except the
/// IPv4-compatible tail, handled here. Hand-written because no kept crate formats like `inet_ntop`.
pub fn stored_prefix(net: &IpNet) -> String {
    let net = net.trunc();
    match net {
        IpNet::V6(n) => {
            let seg = n.network().segments();
            // `inet_ntop`: dotted when the first 96 bits are zero and the address is not `::` or `::x`.
            if seg[..6].iter().all(|&s| s == 0) && seg[6] != 0 {
                let [a, b] = seg[6].to_be_bytes();
                let [c, d] = seg[7].to_be_bytes();
                return format!("::{a}.{b}.{c}.{d}/{}", n.prefix_len());
            }
            format!("{}/{}", n.network(), n.prefix_len())
        }
        IpNet::V4(n) => format!("{}/{}", n.network(), n.prefix_len()),
    }
}

/// Prefixes as GRIP names a prefix event: each in its [stored form](stored_prefix), `/` → `-`, joined by `_`
/// (sub-prefix first).
pub fn encode_fingerprint(prefixes: &[IpNet]) -> String {
    prefixes.iter().map(|p| stored_prefix(p).replace('/', "-")).collect::<Vec<_>>().join("_")
}

/// Reads a fingerprint back, in any spelling of the prefixes (`2001:DB8:0::-32`); [`encode_fingerprint`]
/// writes them as GRIP stores them. A prefix with host bits names its network, as GRIP stores no other.
pub fn decode_fingerprint(raw: &str) -> Result<Vec<IpNet>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("the prefix fingerprint is empty".into());
    }
    let parts: Vec<&str> = raw.split('_').collect();
    if parts.len() > 2 {
        return Err(format!("a prefix fingerprint holds one or two prefixes, not {}", parts.len()));
    }
    parts
        .iter()
        .map(|part| {
            part.rsplit_once('-')
                .and_then(|(addr, len)| format!("{addr}/{len}").parse::<IpNet>().ok())
                .map(|n| n.trunc())
                .ok_or_else(|| format!("“{}” is not an encoded prefix (like 178.208.78.0-24)", clip(part)))
        })
        .collect()
}

/// `<base>/event/id/<id>`: one full event.
pub fn event_url(base: &BaseUrl, id: &GripEventId) -> String {
    base.join(&format!("event/id/{id}"))
}

/// `<base>/pfx_event/id/<id>/<fingerprint>`: one prefix event, with AS paths and traceroutes.
pub fn pfx_event_url(base: &BaseUrl, id: &GripEventId, fingerprint: &[IpNet]) -> String {
    base.join(&format!("pfx_event/id/{id}/{}", encode_fingerprint(fingerprint)))
}

/// `<base>/tags`: the tag glossary.
pub fn tags_url(base: &BaseUrl) -> String {
    base.join("tags")
}

/// `<base>/blocklist`: ASes GRIP considers of bad reputation.
pub fn blocklist_url(base: &BaseUrl) -> String {
    base.join("blocklist")
}

/// `<base>/asndrop`: the Spamhaus ASN-DROP list as GRIP serves it.
pub fn asndrop_url(base: &BaseUrl) -> String {
    base.join("asndrop")
}

/// The suspicion buckets of the official GRIP dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuspicionLevel {
    /// 0–20.
    Benign,
    /// 21–79.
    Grey,
    /// 80–100.
    Suspicious,
}

impl SuspicionLevel {
    pub const ALL: [SuspicionLevel; 3] = [SuspicionLevel::Suspicious, SuspicionLevel::Grey, SuspicionLevel::Benign];

    /// The bucket of a 0–100 suspicion score (out-of-range scores go to the nearer end).
    pub fn from_score(score: i64) -> SuspicionLevel {
        match score {
            s if s <= 20 => SuspicionLevel::Benign,
            s if s < 80 => SuspicionLevel::Grey,
            _ => SuspicionLevel::Suspicious,
        }
    }

    /// The `min_susp`/`max_susp` preset.
    pub fn range(self) -> (u8, u8) {
        match self {
            SuspicionLevel::Benign => (0, 20),
            SuspicionLevel::Grey => (21, 79),
            SuspicionLevel::Suspicious => (80, 100),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SuspicionLevel::Benign => "Benign",
            SuspicionLevel::Grey => "Grey",
            SuspicionLevel::Suspicious => "Suspicious",
        }
    }

    /// A stable lower-case key (CSS classes, tests).
    pub fn key(self) -> &'static str {
        match self {
            SuspicionLevel::Benign => "benign",
            SuspicionLevel::Grey => "grey",
            SuspicionLevel::Suspicious => "suspicious",
        }
    }
}

/// The fill of a suspicion bar: the score clamped to 0–100 and rounded to the nearest 5 (the
/// bar is drawn in 5 % steps; the number beside it is exact).
pub fn suspicion_bar_step(score: i64) -> u8 {
    ((score.clamp(0, 100) + 2) / 5 * 5) as u8
}

/// Deserialisers for the shapes GRIP's documents take in practice: numbers as text and text as
/// numbers (ASNs), `null` for empty lists, AS paths as a string or a list.
mod de {
    use crate::api::lenient::{describe, text_of as scalar_text};
    pub use crate::api::lenient::{null_default, opt_bool, opt_f64, opt_i64, opt_text, text_list};
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;
    use std::collections::BTreeMap;

    /// `per_tag_cnt`, whose shape no source documents: a map `{tag: n}`, a list of
    /// `{name, count}` objects or `[name, count]` pairs. Anything else reads as no counts, so an
    /// optional metric can never fail a whole page of events.
    pub fn tag_counts<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Value>, D::Error> {
        let value = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
        Ok(match value {
            Value::Object(map) => map.into_iter().collect(),
            Value::Array(items) => items
                .into_iter()
                .filter_map(|item| match item {
                    Value::Object(o) => {
                        let name = o.get("name").or_else(|| o.get("tag")).and_then(scalar_text)?;
                        Some((name, o.get("count").or_else(|| o.get("cnt")).cloned().unwrap_or(Value::Null)))
                    }
                    Value::Array(pair) if pair.len() == 2 => Some((scalar_text(&pair[0])?, pair[1].clone())),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        })
    }

    /// A count; missing, `null` or negative is 0.
    pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        Ok(opt_i64(d)?.map_or(0, |n| n.max(0) as u64))
    }

    /// The ASN lists of `/blocklist` and `/asndrop`: numbers or numeric text.
    pub fn asn_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let items = Option::<Vec<Value>>::deserialize(d)?.unwrap_or_default();
        items
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_null())
            .map(|(i, v)| {
                scalar_text(v)
                    .and_then(|s| super::parse_asn(&s).ok())
                    .ok_or_else(|| D::Error::custom(format!("item {i} is not an AS number")))
            })
            .collect()
    }

    /// AS paths: GRIP writes a string; old documents held a list of path strings (GRIP core
    /// joins those with `:`), and a list of hop lists is read the same way.
    pub fn aspaths<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Array(paths) => Ok(Some(
                paths
                    .iter()
                    .map(|p| match p {
                        Value::Array(hops) => hops.iter().filter_map(scalar_text).collect::<Vec<_>>().join(" "),
                        other => scalar_text(other).unwrap_or_default(),
                    })
                    .collect::<Vec<_>>()
                    .join(":"),
            )),
            other => Err(D::Error::custom(format!("expected AS paths as text, found {}", describe(&other)))),
        }
    }

    /// A map whose `null` values are dropped.
    pub fn map_skip_null<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
    where
        D: Deserializer<'de>,
        V: Deserialize<'de>,
    {
        let m = Option::<BTreeMap<String, Option<V>>>::deserialize(d)?.unwrap_or_default();
        Ok(m.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect())
    }
}

/// One answer of `/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GripEventsPage {
    /// Shared, so the table, the exports and the panels take the page without copying it.
    pub data: Arc<Vec<GripEvent>>,
    /// Matches in all, counted up to [`SEARCH_CAP`] (`recordsFiltered` is always 0 and ignored).
    #[serde(rename = "recordsTotal", default, deserialize_with = "de::count")]
    pub records_total: u64,
    #[serde(default)]
    pub copyright: Option<String>,
}

impl GripEventsPage {
    /// Whether the total is GRIP's ceiling rather than a count ("at least 10,000").
    pub fn is_capped(&self) -> bool {
        self.records_total >= SEARCH_CAP
    }
}

/// A tag on an event or prefix event: `{"name": …}` or `{"name": …, "value": …}` (or, in older
/// documents, just the name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "TagRepr")]
pub struct GripTag {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TagRepr {
    Name(String),
    Full {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        value: Option<serde_json::Value>,
    },
}

impl From<TagRepr> for GripTag {
    fn from(r: TagRepr) -> Self {
        match r {
            TagRepr::Name(name) => GripTag { name, value: None },
            TagRepr::Full { name, value } => {
                GripTag { name: name.unwrap_or_default(), value: value.filter(|v| !v.is_null()) }
            }
        }
    }
}

impl fmt::Display for GripTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            None => f.write_str(&self.name),
            Some(serde_json::Value::String(s)) => write!(f, "{}={s}", self.name),
            Some(v) => write!(f, "{}={v}", self.name),
        }
    }
}

/// One conclusion GRIP's inference engine drew.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripInference {
    #[serde(default)]
    pub inference_id: Option<String>,
    #[serde(default)]
    pub explanation: Option<String>,
    /// 0–100.
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub suspicion_level: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub confidence: Option<f64>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub labels: Vec<String>,
}

impl GripInference {
    pub fn level(&self) -> Option<SuspicionLevel> {
        self.suspicion_level.map(SuspicionLevel::from_score)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripInferenceResult {
    /// May be `null` (IHR's live-schema check).
    #[serde(default, deserialize_with = "de::null_default")]
    pub inferences: Vec<GripInference>,
    #[serde(default)]
    pub primary_inference: Option<GripInference>,
}

/// What an event's prefix events add up to. ASNs are text, as GRIP stores them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripSummary {
    #[serde(default, deserialize_with = "de::text_list")]
    pub prefixes: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub ases: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub newcomers: Vec<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub tags: Vec<GripTag>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub tr_worthy: Option<bool>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub attackers: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub victims: Vec<String>,
    #[serde(default)]
    pub inference_result: Option<GripInferenceResult>,
}

/// `event_metrics`: counters about the event itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripEventMetrics {
    #[serde(default, deserialize_with = "de::tag_counts")]
    pub per_tag_cnt: BTreeMap<String, serde_json::Value>,
    /// GRIP's documentation says `pfx_event_cnt`; grip-core's `EventMetrics` writes
    /// `pfx_events_cnt` (and `pfx_events_with_tr_cnt`), so both spellings are read.
    #[serde(default, alias = "pfx_events_cnt", deserialize_with = "de::opt_i64")]
    pub pfx_event_cnt: Option<i64>,
    #[serde(default, alias = "pfx_events_with_tr_cnt", deserialize_with = "de::opt_i64")]
    pub pfx_event_with_tr_cnt: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub total_tags_cnt: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub proc_time_driver: Option<f64>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub proc_time_inference: Option<f64>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub proc_time_tagger: Option<f64>,
}

/// `asinfo["<asn>"]`: what GRIP knows about an AS involved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripAsInfo {
    #[serde(default)]
    pub asrank: Option<GripAsRank>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub hegemony: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripAsRank {
    #[serde(default, deserialize_with = "de::opt_text")]
    pub asn: Option<String>,
    #[serde(rename = "asnName", default, deserialize_with = "de::opt_text")]
    pub asn_name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub rank: Option<i64>,
    #[serde(default)]
    pub organization: Option<GripOrganization>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripOrganization {
    #[serde(rename = "orgId", default, deserialize_with = "de::opt_text")]
    pub org_id: Option<String>,
    #[serde(rename = "orgName", default, deserialize_with = "de::opt_text")]
    pub org_name: Option<String>,
    #[serde(default)]
    pub country: Option<GripCountry>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripCountry {
    #[serde(default, deserialize_with = "de::opt_text")]
    pub iso: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
}

/// One GRIP event (a row of the explorer). Search results are trimmed unless `full` was asked:
/// their prefix events carry only tags, inferences, finish time and prefixes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripEvent {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub event_type: String,
    /// Event start (Unix seconds).
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub view_ts: Option<Timestamp>,
    /// `None` while the event is ongoing.
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub finished_ts: Option<Timestamp>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub insert_ts: Option<Timestamp>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub last_modified_ts: Option<Timestamp>,
    /// Seconds; `None` while ongoing.
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub duration: Option<i64>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub summary: GripSummary,
    #[serde(default, deserialize_with = "de::null_default")]
    pub pfx_events: Vec<GripPfxEvent>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub tr_metrics: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub event_metrics: Option<GripEventMetrics>,
    /// Keyed by ASN (as text).
    #[serde(default, deserialize_with = "de::map_skip_null")]
    pub asinfo: BTreeMap<String, GripAsInfo>,
}

impl GripEvent {
    pub fn kind(&self) -> Option<EventType> {
        EventType::from_key(&self.event_type)
    }

    /// The id, when it follows GRIP's grammar (for building links).
    pub fn event_id(&self) -> Option<GripEventId> {
        self.id.as_deref().and_then(|id| GripEventId::parse(id).ok())
    }

    /// The inference that decides the event's suspicion.
    pub fn primary(&self) -> Option<&GripInference> {
        self.summary.inference_result.as_ref()?.primary_inference.as_ref()
    }

    pub fn inferences(&self) -> &[GripInference] {
        self.summary.inference_result.as_ref().map_or(&[], |r| r.inferences.as_slice())
    }

    pub fn suspicion(&self) -> Option<i64> {
        self.primary()?.suspicion_level
    }

    pub fn suspicion_level(&self) -> Option<SuspicionLevel> {
        self.suspicion().map(SuspicionLevel::from_score)
    }

    pub fn is_ongoing(&self) -> bool {
        self.finished_ts.is_none()
    }

    /// The duration GRIP gives, else finish minus start.
    pub fn duration_secs(&self) -> Option<i64> {
        self.duration.or_else(|| Some(self.finished_ts? - self.view_ts?)).filter(|d| *d >= 0)
    }

    /// Old and new origin ASes over all prefix events (`old_origins`, `new_origins` and their
    /// `super_`/`sub_` forms), each deduplicated in first-seen order. Empty for trimmed search
    /// results (no `details`) and for edges events, which have no origin change.
    pub fn origins_old_new(&self) -> (Vec<String>, Vec<String>) {
        let mut old = Vec::new();
        let mut new = Vec::new();
        for (o, n) in self.pfx_events.iter().map(GripPfxEvent::origins_old_new) {
            for a in &o {
                push_unique(&mut old, a);
            }
            for a in &n {
                push_unique(&mut new, a);
            }
        }
        (old, new)
    }

    pub fn as_info(&self, asn: &str) -> Option<&GripAsInfo> {
        self.asinfo.get(asn)
    }

    /// The AS name from ASRank, if GRIP sent it.
    pub fn as_name(&self, asn: &str) -> Option<&str> {
        self.as_info(asn)?.asrank.as_ref()?.asn_name.as_deref()
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// One prefix (or prefix pair) of an event, as in `pfx_events[]` and `/pfx_event/...`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripPfxEvent {
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub view_ts: Option<Timestamp>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub finished_ts: Option<Timestamp>,
    #[serde(default)]
    pub position: Option<String>,
    /// moas and edges.
    #[serde(default)]
    pub prefix: Option<String>,
    /// submoas and defcon.
    #[serde(default)]
    pub sub_pfx: Option<String>,
    #[serde(default)]
    pub super_pfx: Option<String>,
    #[serde(default)]
    pub details: Option<GripPfxDetails>,
    #[serde(default)]
    pub traceroutes: Option<GripTraceroutes>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub tags: Vec<GripTag>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub inferences: Vec<GripInference>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub victims: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub attackers: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub tr_worthy: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub tr_available: Option<bool>,
}

impl GripPfxEvent {
    fn pick<'a>(
        &'a self,
        top: &'a Option<String>,
        f: impl Fn(&'a GripPfxDetails) -> &'a Option<String>,
    ) -> Option<&'a str> {
        top.as_deref().or_else(|| self.details.as_ref().and_then(|d| f(d).as_deref()))
    }

    pub fn prefix_text(&self) -> Option<&str> {
        self.pick(&self.prefix, |d| &d.prefix)
    }

    pub fn sub_pfx_text(&self) -> Option<&str> {
        self.pick(&self.sub_pfx, |d| &d.sub_pfx)
    }

    pub fn super_pfx_text(&self) -> Option<&str> {
        self.pick(&self.super_pfx, |d| &d.super_pfx)
    }

    /// The prefixes naming this prefix event: sub-prefix then super-prefix, or the one prefix.
    pub fn fingerprint_prefixes(&self) -> Option<Vec<IpNet>> {
        let texts = match (self.sub_pfx_text(), self.super_pfx_text(), self.prefix_text()) {
            (Some(sub), Some(sup), _) => vec![sub, sup],
            (_, _, Some(p)) => vec![p],
            _ => return None,
        };
        texts.into_iter().map(|t| t.trim().parse::<IpNet>().ok()).collect()
    }

    /// The `/pfx_event/id/<id>/<fingerprint>` part naming this prefix event.
    pub fn fingerprint(&self) -> Option<String> {
        self.fingerprint_prefixes().map(|p| encode_fingerprint(&p))
    }

    /// Old and new origin ASes of this prefix event (`old_origins`/`new_origins` and their
    /// `super_`/`sub_` forms), each deduplicated in first-seen order; empty without `details`.
    pub fn origins_old_new(&self) -> (Vec<String>, Vec<String>) {
        let mut old = Vec::new();
        let mut new = Vec::new();
        if let Some(d) = &self.details {
            for a in d.old_origins.iter().chain(&d.super_old_origins).chain(&d.sub_old_origins) {
                push_unique(&mut old, a);
            }
            for a in d.new_origins.iter().chain(&d.super_new_origins).chain(&d.sub_new_origins) {
                push_unique(&mut new, a);
            }
        }
        (old, new)
    }
}

/// `details` of a prefix event; which fields appear depends on the event type (all optional).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripPfxDetails {
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub super_pfx: Option<String>,
    #[serde(default)]
    pub sub_pfx: Option<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub old_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub new_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub super_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub sub_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub super_old_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub sub_old_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub super_new_origins: Vec<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub sub_new_origins: Vec<String>,
    /// edges: the new link.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub as1: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub as2: Option<String>,
    /// Raw AS-path text (empty in trimmed answers); read with [`parse_aspaths`].
    #[serde(default, deserialize_with = "de::aspaths")]
    pub aspaths: Option<String>,
    #[serde(default, deserialize_with = "de::aspaths")]
    pub super_aspaths: Option<String>,
    #[serde(default, deserialize_with = "de::aspaths")]
    pub sub_aspaths: Option<String>,
    #[serde(default, deserialize_with = "de::aspaths")]
    pub aspaths_with_newedge: Option<String>,
}

impl GripPfxDetails {
    pub fn paths(&self) -> Vec<AsPath> {
        parse_aspaths(self.aspaths.as_deref().unwrap_or_default())
    }

    pub fn sub_paths(&self) -> Vec<AsPath> {
        parse_aspaths(self.sub_aspaths.as_deref().unwrap_or_default())
    }

    pub fn super_paths(&self) -> Vec<AsPath> {
        parse_aspaths(self.super_aspaths.as_deref().unwrap_or_default())
    }

    pub fn paths_with_newedge(&self) -> Vec<AsPath> {
        parse_aspaths(self.aspaths_with_newedge.as_deref().unwrap_or_default())
    }
}

/// RIPE Atlas traceroutes GRIP ran for a prefix event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripTraceroutes {
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub worthy: Option<bool>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub worthy_tags: Vec<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub msms: Vec<GripMeasurement>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripMeasurement {
    #[serde(default, deserialize_with = "de::opt_text")]
    pub event_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub msm_id: Option<i64>,
    #[serde(default)]
    pub request_error: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub probe_ids: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub target_asn: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub results: Vec<GripTracerouteResult>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripTracerouteResult {
    /// AS hops; `*` where a hop did not answer.
    #[serde(default, deserialize_with = "de::text_list")]
    pub as_traceroute: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub dst: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub src: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub msm_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub prb_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub starttime: Option<Timestamp>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub endtime: Option<Timestamp>,
    #[serde(default)]
    pub hops: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub target_ip_reached: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub target_pfx_reached: Option<bool>,
}

impl GripTracerouteResult {
    /// How many hops the traceroute took: GRIP's `hops` when it sent them, else the AS hops.
    /// grip-core writes `hops` as an object keyed by hop number (`{"1": {addr, asn, rtt, ttl}}`);
    /// a list of hops or a plain count are read too.
    pub fn hop_count(&self) -> usize {
        match &self.hops {
            Some(serde_json::Value::Object(h)) if !h.is_empty() => h.len(),
            Some(serde_json::Value::Array(h)) if !h.is_empty() => h.len(),
            Some(serde_json::Value::Number(n)) if n.as_u64().is_some_and(|n| n > 0) => {
                n.as_u64().map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
            }
            _ => self.as_traceroute.len(),
        }
    }
}

/// The RIPE Atlas page of a measurement GRIP ran (ids are positive numbers).
pub fn atlas_measurement_url(msm_id: i64) -> Option<String> {
    (msm_id > 0).then(|| format!("https://atlas.ripe.net/measurements/{msm_id}/"))
}

/// One AS path of a prefix event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsPath {
    /// GRIP's path text names no collector (see [`parse_aspaths`]), so this stays `None` for
    /// GRIP; the field keeps the shape the prefix-event page draws.
    pub collector: Option<String>,
    /// First hop = the collector's peer AS, last hop = the origin. Kept as text: an AS set
    /// (`{1,2}`) is one hop.
    pub hops: Vec<String>,
}

impl AsPath {
    pub fn peer(&self) -> Option<&str> {
        self.hops.first().map(String::as_str)
    }

    pub fn origin(&self) -> Option<&str> {
        self.hops.last().map(String::as_str)
    }

    /// The hops with prepending folded: each hop once, with how many times in a row it appears.
    pub fn runs(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = Vec::with_capacity(self.hops.len());
        for h in &self.hops {
            match out.last_mut() {
                Some((last, n)) if *last == h.as_str() => *n += 1,
                _ => out.push((h, 1)),
            }
        }
        out
    }

    /// The hops with prepending removed (repeats in a row collapsed), as the GRIP dashboard
    /// draws paths.
    pub fn collapsed(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::with_capacity(self.hops.len());
        for h in &self.hops {
            if out.last() != Some(&h.as_str()) {
                out.push(h);
            }
        }
        out
    }
}

/// Reads GRIP's AS-path text. Neither the API reference nor the service docs state the format;
/// GRIP core writes it with `aspaths_as_str` (paths joined by `:`, hops by a space, e.g.
/// `6939 2516 9381:7018 3257 9381`), and the dashboard splits it the same way. Read tolerantly:
/// newlines also end a path, runs of spaces are one separator, empty paths (a trailing `:`) are
/// skipped, and a brace-enclosed AS set stays one hop even if written with spaces.
pub fn parse_aspaths(raw: &str) -> Vec<AsPath> {
    raw.split([':', '\n', '\r'])
        .map(|line| {
            let mut hops: Vec<String> = Vec::new();
            let mut open_set = false;
            for token in line.split_whitespace() {
                match hops.last_mut() {
                    Some(last) if open_set => {
                        last.push(' ');
                        last.push_str(token);
                    }
                    _ => hops.push(token.to_string()),
                }
                let last = hops.last().map(String::as_str).unwrap_or_default();
                open_set = last.contains('{') && !last.contains('}');
            }
            AsPath { collector: None, hops }
        })
        .filter(|p| !p.hops.is_empty())
        .collect()
}

/// `/tags`: what each tag means and which tag combinations make an event traceroute-worthy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripTags {
    #[serde(default, deserialize_with = "de::map_skip_null")]
    pub definitions: BTreeMap<String, GripTagDefinition>,
    #[serde(default, deserialize_with = "de::null_default")]
    pub tr_worthy: Vec<GripTrWorthyRule>,
    #[serde(default)]
    pub copyright: Option<String>,
}

impl GripTags {
    pub fn definition(&self, tag: &str) -> Option<&str> {
        self.definitions.get(tag)?.definition.as_deref()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripTagDefinition {
    #[serde(default, deserialize_with = "de::opt_text")]
    pub definition: Option<String>,
    #[serde(default, deserialize_with = "de::text_list")]
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GripTrWorthyRule {
    #[serde(default, deserialize_with = "de::text_list")]
    pub tags: Vec<String>,
    /// `yes`, `no` or `na`.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub worthy: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub explain: Option<String>,
    /// Event types the rule covers; empty = all.
    #[serde(default, deserialize_with = "de::text_list")]
    pub apply_to: Vec<String>,
}

#[derive(Deserialize)]
struct Blocklist {
    #[serde(deserialize_with = "de::asn_list")]
    blocklist: Vec<u32>,
}

#[derive(Deserialize)]
struct AsnDrop {
    #[serde(deserialize_with = "de::asn_list")]
    asndrop: Vec<u32>,
}

/// GRIP v2 (2023) answers some refusals with HTTP 200 and `{"error": …}`, and a prefix event it
/// cannot find with `{}`; later versions send 400/404. Both are reported as the status the newer
/// service sends, so the page shows one message either way. `real_key` marks a genuine answer.
fn refusal(body: &str, real_key: &str, not_found: &str) -> Option<FetchError> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let obj = value.as_object()?;
    let status = |status: u16, message: String| FetchError::Status {
        service: Source::Grip,
        status,
        message: Some(message),
        retry_after: None,
    };
    if obj.is_empty() {
        return Some(status(404, not_found.to_string()));
    }
    if obj.contains_key(real_key) {
        return None;
    }
    message_from_body(body).map(|m| status(400, m))
}

/// `/events`, read the way the list needs it (see [`list`]). A good answer takes the fast way: a
/// plain decode of the lean shape. Only one that fails is read again for its refusal or, with the
/// field's path tracked, for a message naming the field (tracking every path costs 3x the decode).
pub fn decode_events(body: &str) -> Result<GripEventsPage, FetchError> {
    if let Ok(page) = serde_json::from_str::<list::Page>(body) {
        return Ok(page.into());
    }
    match refusal(body, "data", "GRIP returned no search result") {
        Some(e) => Err(e),
        // The whole event's decoder, which the event page has already: one more of them, with
        // every path tracked, would cost the bundle more than a wrong page is worth.
        None => decode::<GripEventsPage>(Source::Grip, body),
    }
}

/// The first `n` events of a page of `/events`, read as [`decode_events`] reads them, without reading
/// the rest of the answer: a large page shows its first screenful from these while the whole page is
/// decoded in a later task. `None` when the answer is not a page of events (the whole decode then
/// says why). The envelope's other keys are skipped, `recordsTotal` too: GRIP sends it after `data`.
pub fn decode_events_head(body: &str, n: usize) -> Option<Vec<GripEvent>> {
    list::head(body, n)
}

/// What a page of `/events` is read for: the events table, its exports, the entity pages'
/// panels, timeline and AS names. Real events weigh ~9 KB each, most of it `asinfo` for every AS
/// on the collectors' paths (31,000 entries in a 1,000-event page) and AS-path text; the list shows
/// none of that but the names of the ASes in its cells. So the list reads the event's own fields,
/// its summary, each prefix event's prefixes and origins, and each AS's name and organisation, and
/// skips the rest unread (a 1,000-event page decodes ~10x faster natively than the whole event
/// did). The event page reads everything ([`decode_event`]).
mod list {
    use super::{
        de, GripAsInfo, GripAsRank, GripEvent, GripEventsPage, GripOrganization, GripPfxDetails, GripPfxEvent,
        GripSummary,
    };
    use crate::api::time::Timestamp;
    use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_json::value::RawValue;
    use std::borrow::Cow;
    use std::collections::BTreeMap;
    use std::fmt;
    use std::sync::Arc;

    #[derive(Deserialize)]
    pub struct Page<'a> {
        #[serde(borrow)]
        data: Vec<Event<'a>>,
        #[serde(rename = "recordsTotal", default, deserialize_with = "de::count")]
        records_total: u64,
        #[serde(default)]
        copyright: Option<String>,
    }

    #[derive(Deserialize)]
    struct Event<'a> {
        #[serde(default)]
        id: Option<String>,
        #[serde(default, deserialize_with = "de::null_default")]
        event_type: String,
        #[serde(default, deserialize_with = "de::opt_i64")]
        view_ts: Option<Timestamp>,
        #[serde(default, deserialize_with = "de::opt_i64")]
        finished_ts: Option<Timestamp>,
        #[serde(default, deserialize_with = "de::opt_i64")]
        insert_ts: Option<Timestamp>,
        #[serde(default, deserialize_with = "de::opt_i64")]
        last_modified_ts: Option<Timestamp>,
        #[serde(default, deserialize_with = "de::opt_i64")]
        duration: Option<i64>,
        #[serde(default, deserialize_with = "de::null_default")]
        summary: GripSummary,
        #[serde(default, deserialize_with = "de::null_default")]
        pfx_events: Vec<PfxEvent>,
        /// Each AS's entry kept as its text (borrowed from the answer, in one pass over it) and read
        /// after the rest, for the ASes the event names only.
        #[serde(default, borrow)]
        asinfo: Entries<'a>,
    }

    /// The entries of an `asinfo` map, unread; anything but a map reads as none.
    #[derive(Default)]
    struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

    impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct EntriesVisitor<'a>(std::marker::PhantomData<&'a ()>);
            impl<'de: 'a, 'a> Visitor<'de> for EntriesVisitor<'a> {
                type Value = Entries<'a>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a map of ASes")
                }
                fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                    let mut all = Vec::with_capacity(map.size_hint().unwrap_or(32));
                    while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                        all.push((key, map.next_value::<&'de RawValue>()?));
                    }
                    Ok(Entries(all))
                }
                fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Entries::default())
                }
                fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                    Ok(Entries::default())
                }
                fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
                    Ok(Entries::default())
                }
                fn visit_i64<E: Error>(self, _: i64) -> Result<Self::Value, E> {
                    Ok(Entries::default())
                }
                fn visit_u64<E: Error>(self, _: u64) -> Result<Self::Value, E> {
                    Ok(Entries::default())
                }
                fn visit_f64<E: Error>(self, _: f64) -> Result<Self::Value, E> {
                    Ok(Entries::default())
                }
                fn visit_str<E: Error>(self, _: &str) -> Result<Self::Value, E> {
                    Ok(Entries::default())
                }
            }
            deserializer.deserialize_any(EntriesVisitor(std::marker::PhantomData))
        }
    }

    #[derive(Deserialize)]
    struct PfxEvent {
        #[serde(default)]
        prefix: Option<String>,
        #[serde(default)]
        sub_pfx: Option<String>,
        #[serde(default)]
        super_pfx: Option<String>,
        #[serde(default)]
        details: Option<Details>,
    }

    #[derive(Deserialize)]
    struct Details {
        #[serde(default)]
        prefix: Option<String>,
        #[serde(default)]
        super_pfx: Option<String>,
        #[serde(default)]
        sub_pfx: Option<String>,
        #[serde(default, deserialize_with = "de::text_list")]
        old_origins: Vec<String>,
        #[serde(default, deserialize_with = "de::text_list")]
        new_origins: Vec<String>,
        #[serde(default, deserialize_with = "de::text_list")]
        super_old_origins: Vec<String>,
        #[serde(default, deserialize_with = "de::text_list")]
        sub_old_origins: Vec<String>,
        #[serde(default, deserialize_with = "de::text_list")]
        super_new_origins: Vec<String>,
        #[serde(default, deserialize_with = "de::text_list")]
        sub_new_origins: Vec<String>,
    }

    #[derive(Deserialize)]
    struct AsInfo {
        #[serde(default)]
        asrank: Option<AsRank>,
    }

    #[derive(Deserialize)]
    struct AsRank {
        #[serde(rename = "asnName", default, deserialize_with = "de::opt_text")]
        asn_name: Option<String>,
        #[serde(default)]
        organization: Option<Organization>,
    }

    #[derive(Deserialize)]
    struct Organization {
        #[serde(rename = "orgName", default, deserialize_with = "de::opt_text")]
        org_name: Option<String>,
    }

    impl From<Page<'_>> for GripEventsPage {
        fn from(p: Page<'_>) -> Self {
            GripEventsPage {
                data: Arc::new(p.data.into_iter().map(GripEvent::from).collect()),
                records_total: p.records_total,
                copyright: p.copyright,
            }
        }
    }

    /// The first `n` events of a page, read without the rest of the answer (see [`super::decode_events_head`]).
    pub fn head(body: &str, n: usize) -> Option<Vec<GripEvent>> {
        let mut events = None;
        let mut de = serde_json::Deserializer::from_str(body);
        // Ends with an error on purpose once the events are read: the parse stops there.
        let _ = Head { n, events: &mut events }.deserialize(&mut de);
        events
    }

    struct Head<'o> {
        n: usize,
        events: &'o mut Option<Vec<GripEvent>>,
    }

    /// The envelope: a map whose `data` is read by [`Head`]'s `visit_seq`.
    impl<'de> DeserializeSeed<'de> for Head<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    /// `data`: the events.
    struct HeadData<'o>(Head<'o>);

    impl<'de> DeserializeSeed<'de> for HeadData<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_seq(self.0)
        }
    }

    impl<'de> Visitor<'de> for Head<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a page of events")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if key == "data" {
                    return map.next_value_seed(HeadData(self));
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
            let mut events = Vec::with_capacity(self.n);
            while events.len() < self.n {
                match seq.next_element::<Event<'de>>()? {
                    Some(e) => events.push(GripEvent::from(e)),
                    None => break,
                }
            }
            *self.events = Some(events);
            Err(S::Error::custom("the first events are read"))
        }
    }

    /// `asinfo` entries of the ASes the event itself names (its id, summary and origins): what the list can show.
    fn names(all: &Entries<'_>, event: &GripEvent) -> BTreeMap<String, GripAsInfo> {
        if all.0.is_empty() {
            return BTreeMap::new();
        }
        let s = &event.summary;
        let (old, new) = event.origins_old_new();
        let in_id: Vec<String> =
            event.event_id().map_or_else(Vec::new, |id| id.asns().iter().map(u32::to_string).collect());
        [&s.ases, &s.victims, &s.attackers, &s.newcomers, &old, &new, &in_id]
            .into_iter()
            .flatten()
            .filter_map(|asn| {
                let (_, raw) = all.0.iter().find(|(key, _)| key == asn)?;
                let info = serde_json::from_str::<Option<AsInfo>>(raw.get()).ok()??;
                Some((asn.clone(), GripAsInfo::from(info.asrank?)))
            })
            .collect()
    }

    impl From<Event<'_>> for GripEvent {
        fn from(e: Event<'_>) -> Self {
            let mut event = GripEvent {
                id: e.id,
                event_type: e.event_type,
                view_ts: e.view_ts,
                finished_ts: e.finished_ts,
                insert_ts: e.insert_ts,
                last_modified_ts: e.last_modified_ts,
                duration: e.duration,
                summary: e.summary,
                pfx_events: e.pfx_events.into_iter().map(GripPfxEvent::from).collect(),
                ..GripEvent::default()
            };
            event.asinfo = names(&e.asinfo, &event);
            event
        }
    }

    impl From<PfxEvent> for GripPfxEvent {
        fn from(p: PfxEvent) -> Self {
            GripPfxEvent {
                prefix: p.prefix,
                sub_pfx: p.sub_pfx,
                super_pfx: p.super_pfx,
                details: p.details.map(|d| GripPfxDetails {
                    prefix: d.prefix,
                    super_pfx: d.super_pfx,
                    sub_pfx: d.sub_pfx,
                    old_origins: d.old_origins,
                    new_origins: d.new_origins,
                    super_old_origins: d.super_old_origins,
                    sub_old_origins: d.sub_old_origins,
                    super_new_origins: d.super_new_origins,
                    sub_new_origins: d.sub_new_origins,
                    ..GripPfxDetails::default()
                }),
                ..GripPfxEvent::default()
            }
        }
    }

    impl From<AsRank> for GripAsInfo {
        fn from(r: AsRank) -> Self {
            let organization = r.organization.map(|o| GripOrganization { org_name: o.org_name, ..Default::default() });
            GripAsInfo {
                asrank: Some(GripAsRank { asn_name: r.asn_name, organization, ..Default::default() }),
                hegemony: None,
            }
        }
    }
}

/// `/event/id/<id>`.
pub fn decode_event(body: &str) -> Result<GripEvent, FetchError> {
    match refusal(body, "id", "GRIP has no such event") {
        Some(e) => Err(e),
        None => decode(Source::Grip, body),
    }
}

/// `/pfx_event/id/<id>/<fingerprint>`.
pub fn decode_pfx_event(body: &str) -> Result<GripPfxEvent, FetchError> {
    match refusal(body, "details", "GRIP has no prefix event with these prefixes in this event") {
        Some(e) => Err(e),
        None => decode(Source::Grip, body),
    }
}

/// `/tags`.
pub fn decode_tags(body: &str) -> Result<GripTags, FetchError> {
    decode(Source::Grip, body)
}

/// `/blocklist` → `{"blocklist": [asn…]}`.
pub fn decode_blocklist(body: &str) -> Result<Vec<u32>, FetchError> {
    decode::<Blocklist>(Source::Grip, body).map(|b| b.blocklist)
}

/// `/asndrop` → `{"asndrop": [asn…]}`.
pub fn decode_asndrop(body: &str) -> Result<Vec<u32>, FetchError> {
    decode::<AsnDrop>(Source::Grip, body).map(|b| b.asndrop)
}

/// `2023-08-10T10:25:00Z`: spreadsheet-friendly UTC for exports.
fn iso_utc(ts: Option<Timestamp>) -> String {
    ts.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// `100`, `0.75`: no trailing `.0` on whole numbers.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

impl CsvRecord for GripEvent {
    fn csv_header() -> Vec<&'static str> {
        vec![
            "id",
            "event_type",
            "view_ts",
            "finished_ts",
            "duration",
            "prefixes",
            "ases",
            "victims",
            "attackers",
            "tags",
            "primary_inference",
            "suspicion",
            "confidence",
        ]
    }

    fn csv_row(&self) -> Vec<String> {
        let primary = self.primary();
        vec![
            self.id.clone().unwrap_or_default(),
            self.event_type.clone(),
            iso_utc(self.view_ts),
            iso_utc(self.finished_ts),
            self.duration_secs().map(|d| d.to_string()).unwrap_or_default(),
            self.summary.prefixes.join(" "),
            self.summary.ases.join(" "),
            self.summary.victims.join(" "),
            self.summary.attackers.join(" "),
            self.summary.tags.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
            primary.and_then(|p| p.inference_id.clone()).unwrap_or_default(),
            primary.and_then(|p| p.suspicion_level).map(|s| s.to_string()).unwrap_or_default(),
            primary.and_then(|p| p.confidence).map(format_number).unwrap_or_default(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::export::to_csv;

    const SAMPLE: &str = include_str!("../../tests/fixtures/grip/events-data-element-trimmed-ihr.json");
    /// 2023-11-14 22:13:20 UTC.
    const NOW: Timestamp = 1_700_000_000;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://api.grip.inetintel.cc.gatech.edu/json").unwrap()
    }

    fn q(s: &str) -> Result<GripQuery, FieldErrors> {
        GripQuery::from_params(&QueryParams::parse(s), NOW)
    }

    fn err(s: &str, field: &str) -> String {
        let e = q(s).expect_err(s);
        e.for_field(field).unwrap_or_else(|| panic!("no error for {field} in {e:?}")).to_string()
    }

    /// The recorded element, as the `data` array of a realistic `/events` envelope.
    fn sample_envelope() -> String {
        format!(
            r#"{{"copyright":"This data is Copyright (c) 2021 Georgia Tech Research Corporation. All Rights Reserved.","data":{SAMPLE},"draw":null,"recordsFiltered":0,"recordsTotal":1}}"#
        )
    }

    #[test]
    fn the_folded_filter_bar_reads_the_query_and_counts_the_hidden_filters() {
        let q = |raw: &str| GripQuery::from_params(&QueryParams::parse(raw), 1_764_547_200).unwrap();
        let plain = q("");
        assert_eq!(plain.summary(), "Every event");
        assert_eq!(plain.more_filters_active(), 0);
        let busy =
            q("event_type=moas&ts_start=1764547200&asns=3356,!174&min_susp=80&max_susp=100&tags=a-tag&full&length=30");
        assert_eq!(busy.summary(), "MOAS · since 2025-12-01 00:00 UTC · AS 3356, !174 · tags a-tag · Suspicious");
        assert_eq!(busy.more_filters_active(), 3, "tags, full and the page size; the preset is in the main bar");
        let custom = q("min_susp=10&max_susp=50&min_duration=60");
        assert_eq!(custom.summary(), "suspicion 10–50");
        assert_eq!(custom.more_filters_active(), 2);
    }

    #[test]
    fn decodes_the_recorded_element() {
        let events: Vec<GripEvent> = decode(Source::Grip, SAMPLE).unwrap();
        assert_eq!(events.len(), 1);
        // …and the same element on its own, as `/event/id/` would send it.
        let element =
            serde_json::to_string(&serde_json::from_str::<Vec<serde_json::Value>>(SAMPLE).unwrap()[0]).unwrap();
        let e = decode_event(&element).unwrap();
        assert_eq!(e, events[0]);
        assert_eq!(e.id.as_deref(), Some("moas-1691663100-328892_60064"));
        assert_eq!(e.kind(), Some(EventType::Moas));
        assert_eq!(e.view_ts, Some(1_691_663_100));
        assert_eq!(e.finished_ts, Some(1_691_663_400));
        assert_eq!(e.insert_ts, Some(1_691_664_977));
        assert_eq!(e.last_modified_ts, Some(1_691_666_126));
        assert_eq!(e.duration, None);
        assert_eq!(e.duration_secs(), Some(300));
        assert!(!e.is_ongoing());
        assert_eq!(e.summary.victims, vec!["34467"]);
        assert_eq!(e.summary.tr_worthy, Some(true));
        assert_eq!(e.inferences().len(), 1);
        assert_eq!(e.suspicion(), Some(80));
        assert_eq!(e.suspicion_level(), Some(SuspicionLevel::Suspicious));
        assert_eq!(e.primary().and_then(|p| p.inference_id.as_deref()), None);
        assert_eq!(e.origins_old_new(), (vec![], vec![]));
        let id = e.event_id().unwrap();
        assert_eq!(id.timestamp, 1_691_663_100);
        assert_eq!(id.ases, EventAses::Origins(vec![328_892, 60_064]));
    }

    #[test]
    fn decodes_the_sample_in_an_events_envelope() {
        let page = decode_events(&sample_envelope()).unwrap();
        assert_eq!(page.data.len(), 1);
        assert_eq!(page.records_total, 1);
        assert!(!page.is_capped());
        assert!(page.copyright.as_deref().unwrap().contains("Georgia Tech"));
        assert_eq!(page.data[0].summary.victims, vec!["34467"]);
        let capped = decode_events(r#"{"data":[],"draw":0,"recordsFiltered":0,"recordsTotal":10000}"#).unwrap();
        assert!(capped.is_capped());
    }

    #[test]
    fn the_head_of_a_page_is_its_first_events_as_the_whole_decode_reads_them() {
        // Twelve events of two shapes, `recordsTotal` before and after `data`, keys escaped.
        // SAMPLE is the recorded `data` array of one event.
        let sample = SAMPLE.trim().trim_start_matches('[').trim_end_matches(']');
        let events: Vec<&str> = (0..12).map(|i| if i % 2 == 0 { sample } else { FULL_EVENT }).collect();
        let list = events.join(",");
        for body in [
            format!(r#"{{"copyright":"c","data":[{list}],"draw":null,"recordsFiltered":0,"recordsTotal":12}}"#),
            format!(r#"{{"recordsTotal":12,"draw":{{"x":[1,2]}},"d\u0061ta":[{list}]}}"#),
        ] {
            let whole = decode_events(&body).unwrap();
            for n in [0, 1, 5, 12, 40] {
                let head = decode_events_head(&body, n).unwrap();
                assert_eq!(head.len(), n.min(12), "{n}");
                assert_eq!(head[..], whole.data[..n.min(12)], "{n}");
            }
        }
        // What is not a page of events has no head: the whole decode says what is wrong.
        for bad in
            ["", "[]", "<html>", r#"{"data":"GRIP error"}"#, r#"{"data":[{"id":7}"#, r#"{"data":[{"view_ts":"soon"}]}"#]
        {
            assert_eq!(decode_events_head(bad, 5), None, "{bad}");
        }
        assert_eq!(decode_events_head(r#"{"recordsTotal":0}"#, 5), None, "no data at all");
        // The events after the head are not read: a broken tail does not spoil it.
        let head = decode_events_head(&format!(r#"{{"data":[{sample},{{"id":"#), 1).unwrap();
        assert_eq!(head.len(), 1);
    }

    #[test]
    fn exports_the_sample_as_csv_and_json() {
        let page = decode_events(&sample_envelope()).unwrap();
        let csv = to_csv(&page.data);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("id,event_type,view_ts,finished_ts,duration,prefixes,ases,victims,attackers,tags,primary_inference,suspicion,confidence")
        );
        assert_eq!(
            lines.next(),
            Some("moas-1691663100-328892_60064,moas,2023-08-10T10:25:00Z,2023-08-10T10:30:00Z,300,,,34467,,,,80,")
        );
        let json: serde_json::Value = serde_json::from_str(&crate::api::export::to_json(&page.data)).unwrap();
        assert_eq!(json[0]["summary"]["inference_result"]["primary_inference"]["suspicion_level"], 80);
        // The export reads back as the same event.
        let back: Vec<GripEvent> = serde_json::from_value(json).unwrap();
        assert_eq!(back, *page.data);
    }

    /// A full event written from the documented schema (not a recorded payload): ASNs as numbers
    /// and as text, nulls where IHR saw them, tags with and without values.
    const FULL_EVENT: &str = r#"{
      "id": "submoas-1691663100-34467=328892", "event_type": "submoas",
      "view_ts": "1691663100", "finished_ts": null, "insert_ts": 1691664977.0, "last_modified_ts": 1691666126,
      "duration": null, "position": "NEW", "_esid": "observatory-v4-query-events-submoas-2023-08",
      "summary": {
        "prefixes": ["196.0.0.0/16", "196.0.5.0/24"], "ases": [34467, "328892"], "newcomers": ["328892"],
        "tags": [{"name": "newcomer-small-asn"}, {"name": "sub-pfx-count", "value": 1}, "no-newcomer"],
        "tr_worthy": false, "attackers": ["328892"], "victims": [34467],
        "inference_result": {
          "inferences": null,
          "primary_inference": {"inference_id": "unclassified", "explanation": "no rule matched",
                                "suspicion_level": "80", "confidence": 0.75, "labels": ["incident"]}
        }
      },
      "pfx_events": [{
        "event_type": "submoas", "view_ts": 1691663100, "finished_ts": null,
        "sub_pfx": "196.0.5.0/24", "super_pfx": "196.0.0.0/16",
        "details": {"super_pfx": "196.0.0.0/16", "sub_pfx": "196.0.5.0/24",
          "super_origins": ["34467"], "sub_origins": [328892], "super_old_origins": ["34467"], "sub_old_origins": [],
          "super_new_origins": [], "sub_new_origins": ["328892", "328892"],
          "super_aspaths": "6939 3356 34467:7018 3356 3356 34467:",
          "sub_aspaths": ["6939 328892", "7018 {64500 64501} 328892"]},
        "traceroutes": {"worthy": true, "worthy_tags": ["newcomer-small-asn"], "msms": [
          {"event_id": "submoas-1691663100-34467=328892", "msm_id": 58000001, "request_error": null,
           "probe_ids": [1001, 1002], "target_asn": 328892,
           "results": [{"as_traceroute": ["3333", "*", "328892"], "dst": "196.0.5.1", "src": "193.0.0.1",
                        "msm_id": 58000001, "prb_id": 1001, "starttime": 1691663200, "endtime": 1691663260,
                        "hops": [], "target_ip_reached": false, "target_pfx_reached": true}]}]},
        "tags": [{"name": "newcomer-small-asn"}], "inferences": [], "victims": ["34467"], "attackers": ["328892"]
      }, {
        "finished_ts": 1691663400, "prefix": "10.1.0.0/16", "tags": null, "inferences": null,
        "details": {"prefix": "10.1.0.0/16", "old_origins": ["64500"], "new_origins": ["328892"], "aspaths": ""}
      }],
      "tr_metrics": {"tr_worthy_cnt": 1}, "event_metrics": {"pfx_event_cnt": 2, "proc_time_driver": 0.5, "per_tag_cnt": {"no-newcomer": 1}},
      "asinfo": {
        "34467": {"asrank": {"asn": "34467", "asnName": "EXAMPLE-NET", "rank": 5000,
                   "organization": {"orgId": "ORG-1", "orgName": "Example Org", "country": {"iso": "ZA", "name": "South Africa"}}},
                  "hegemony": 0.12},
        "328892": {"asrank": null, "hegemony": null},
        "64500": null
      },
      "debug": {}
    }"#;

    /// The list reads what its cells, exports and panels show, the same as the event page reads
    /// it, and leaves the weight (AS paths, traceroutes, metrics, the rest of `asinfo`) unread.
    #[test]
    fn the_list_reads_what_it_shows_and_skips_the_weight() {
        let full = decode_event(FULL_EVENT).unwrap();
        let page = decode_events(&format!(r#"{{"data":[{FULL_EVENT}],"recordsTotal":"1"}}"#)).unwrap();
        assert_eq!(page.records_total, 1);
        let e = &page.data[0];
        assert_eq!(
            (&e.id, &e.event_type, e.view_ts, e.finished_ts),
            (&full.id, &full.event_type, full.view_ts, full.finished_ts)
        );
        assert_eq!((e.insert_ts, e.duration_secs()), (full.insert_ts, full.duration_secs()));
        assert_eq!(e.summary, full.summary);
        assert_eq!(e.origins_old_new(), full.origins_old_new());
        let texts = |e: &GripEvent| {
            e.pfx_events
                .iter()
                .map(|p| [p.prefix_text(), p.sub_pfx_text(), p.super_pfx_text()].map(|t| t.map(str::to_string)))
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(e), texts(&full));
        assert_eq!(e.as_name("34467"), Some("EXAMPLE-NET"));
        let org = |e: &GripEvent| e.as_info("34467")?.asrank.as_ref()?.organization.as_ref()?.org_name.clone();
        assert_eq!(org(e).as_deref(), Some("Example Org"));
        // Unread: ASes without ASRank data, paths, traceroutes, metrics, hegemony, countries.
        assert!(e.as_info("328892").is_none() && e.as_info("64500").is_none());
        assert!(e
            .pfx_events
            .iter()
            .all(|p| p.traceroutes.is_none() && p.details.as_ref().unwrap().sub_aspaths.is_none()));
        assert!(e.tr_metrics.is_empty() && e.event_metrics.is_none());
        assert_eq!(e.as_info("34467").and_then(|i| i.hegemony), None);
        // A bad value in a field the list does not read cannot fail the page; one it reads still names its path.
        let odd = FULL_EVENT
            .replace(r#""tr_worthy_cnt": 1"#, r#""tr_worthy_cnt": {"x": []}"#)
            .replace(r#""rank": 5000"#, r#""rank": "high""#);
        assert!(decode_events(&format!(r#"{{"data":[{odd}]}}"#)).is_ok());
        let bad = FULL_EVENT.replace(r#""newcomers": ["328892"]"#, r#""newcomers": [{"asn": 1}]"#);
        match decode_events(&format!(r#"{{"data":[{{}}, {bad}]}}"#)).unwrap_err() {
            FetchError::Decode { detail, .. } => assert!(detail.contains("data[1].summary.newcomers"), "{detail}"),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(decode_events("{}").unwrap_err().status(), Some(404));
    }

    #[test]
    fn the_lists_names_come_from_an_asinfo_map_of_any_key_spelling_and_nothing_else() {
        let event = |asinfo: &str| {
            let body = format!(
                r#"{{"data":[{{"id":"moas-1-64500_64501","asinfo":{asinfo},"summary":{{"ases":["64500"]}}}}]}}"#
            );
            decode_events(&body).map(|p| p.data[0].clone())
        };
        let named = r#"{"64500":{"asrank":{"asnName":"ONE"}},"6450\u0031":{"asrank":{"asnName":"TWO"}},"9":[1]}"#;
        let e = event(named).unwrap();
        assert_eq!((e.as_name("64500"), e.as_name("64501")), (Some("ONE"), Some("TWO")));
        assert_eq!(e.asinfo.len(), 2, "only the ASes the event names are read");
        for odd in ["null", "[1, {\"a\": 2}]", "\"none\"", "7", "true", "{}"] {
            let e = event(odd).unwrap_or_else(|err| panic!("asinfo {odd}: {err:?}"));
            assert!(e.asinfo.is_empty(), "asinfo {odd}");
        }
        assert!(event(r#"{"64500": }"#).is_err(), "broken JSON is still an error");
    }
    #[test]
    fn decodes_a_full_event_tolerantly() {
        let e = decode_event(FULL_EVENT).unwrap();
        assert_eq!(e.kind(), Some(EventType::Submoas));
        assert_eq!(e.view_ts, Some(1_691_663_100));
        assert_eq!(e.insert_ts, Some(1_691_664_977));
        assert!(e.is_ongoing());
        assert_eq!(e.duration_secs(), None);
        assert_eq!(e.summary.ases, vec!["34467", "328892"]);
        assert_eq!(e.summary.victims, vec!["34467"]);
        assert_eq!(
            e.summary.tags.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["newcomer-small-asn", "sub-pfx-count=1", "no-newcomer"]
        );
        assert!(e.inferences().is_empty());
        let p = e.primary().unwrap();
        assert_eq!(p.suspicion_level, Some(80));
        assert_eq!(p.confidence, Some(0.75));
        assert_eq!(p.labels, vec!["incident"]);
        assert_eq!(e.as_name("34467"), Some("EXAMPLE-NET"));
        let org = e.as_info("34467").and_then(|i| i.asrank.as_ref()).and_then(|r| r.organization.as_ref()).unwrap();
        assert_eq!(org.country.as_ref().and_then(|c| c.iso.as_deref()), Some("ZA"));
        assert_eq!(e.as_info("328892").map(|i| i.hegemony), Some(None));
        assert!(e.as_info("64500").is_none());
        assert_eq!(e.event_metrics.as_ref().and_then(|m| m.pfx_event_cnt), Some(2));
        // Old → new over both prefix events, deduplicated.
        assert_eq!(e.origins_old_new(), (vec!["34467".to_string(), "64500".into()], vec!["328892".to_string()]));

        let pe = &e.pfx_events[0];
        assert_eq!(pe.fingerprint().as_deref(), Some("196.0.5.0-24_196.0.0.0-16"));
        let d = pe.details.as_ref().unwrap();
        assert_eq!(d.sub_origins, vec!["328892"]);
        let sup = d.super_paths();
        assert_eq!(sup.len(), 2);
        assert_eq!(sup[1].hops, vec!["7018", "3356", "3356", "34467"]);
        assert_eq!(sup[1].collapsed(), vec!["7018", "3356", "34467"]);
        assert_eq!(sup[0].peer(), Some("6939"));
        assert_eq!(sup[0].origin(), Some("34467"));
        // A list of path strings reads as GRIP core joins it; an AS set stays one hop.
        let sub = d.sub_paths();
        assert_eq!(sub[1].hops, vec!["7018", "{64500 64501}", "328892"]);
        let tr = pe.traceroutes.as_ref().unwrap();
        assert_eq!(tr.worthy, Some(true));
        assert_eq!(tr.msms[0].target_asn.as_deref(), Some("328892"));
        assert_eq!(tr.msms[0].probe_ids, vec!["1001", "1002"]);
        assert_eq!(tr.msms[0].results[0].as_traceroute, vec!["3333", "*", "328892"]);
        assert_eq!(tr.msms[0].results[0].target_pfx_reached, Some(true));

        let moas_like = &e.pfx_events[1];
        assert_eq!(moas_like.fingerprint().as_deref(), Some("10.1.0.0-16"));
        assert!(moas_like.details.as_ref().unwrap().paths().is_empty());
        assert!(moas_like.tags.is_empty());

        let row = e.csv_row();
        assert_eq!(row[3], "", "ongoing events have no finish time");
        assert_eq!(row[5], "196.0.0.0/16 196.0.5.0/24");
        assert_eq!(row[9], "newcomer-small-asn sub-pfx-count=1 no-newcomer");
        assert_eq!(&row[10..], ["unclassified", "80", "0.75"]);
    }

    #[test]
    fn decode_errors_name_the_field() {
        let bad = r#"{"data":[{"id":"x","view_ts":"yesterday"}],"recordsTotal":1}"#;
        match decode_events(bad).unwrap_err() {
            FetchError::Decode { detail, .. } => assert!(detail.contains("data[0].view_ts"), "{detail}"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(decode_events("<html>").unwrap_err(), FetchError::Decode { .. }));
    }

    #[test]
    fn refusals_in_200_bodies_become_statuses() {
        let e = decode_pfx_event(r#"{"error":"moas must only have one prefix in the fingerprint for a pfx_event!"}"#)
            .unwrap_err();
        assert_eq!(e.status(), Some(400));
        assert!(e.to_string().contains("must only have one prefix"), "{e}");
        assert_eq!(decode_pfx_event("{}").unwrap_err().status(), Some(404));
        assert_eq!(decode_event(r#"{"error":"The requested event was not found"}"#).unwrap_err().status(), Some(400));
        assert_eq!(decode_events(r#"{"error":"boom"}"#).unwrap_err().status(), Some(400));
        let pe = decode_pfx_event(
            r#"{"details":{"prefix":"178.208.78.0/24","aspaths":"1 2 3"},"prefix":"178.208.78.0/24"}"#,
        )
        .unwrap();
        assert_eq!(pe.details.unwrap().paths()[0].hops, vec!["1", "2", "3"]);
    }

    #[test]
    fn decodes_tags_blocklist_and_asndrop() {
        let tags = decode_tags(
            r#"{"definitions":{"no-newcomer":{"definition":"no newcomer origin","comments":["see paper"]},"x":null},
                "tr_worthy":[{"tags":["no-newcomer"],"worthy":"no","explain":"benign","apply_to":[]}],"copyright":"c"}"#,
        )
        .unwrap();
        assert_eq!(tags.definition("no-newcomer"), Some("no newcomer origin"));
        assert_eq!(tags.definitions["no-newcomer"].comments, vec!["see paper"]);
        assert!(!tags.definitions.contains_key("x"));
        assert_eq!(tags.tr_worthy[0].worthy.as_deref(), Some("no"));
        assert!(tags.tr_worthy[0].apply_to.is_empty());

        assert_eq!(
            decode_blocklist(r#"{"blocklist":[3356,"64500","AS12"],"copyright":"c"}"#).unwrap(),
            vec![3356, 64500, 12]
        );
        assert_eq!(decode_asndrop(r#"{"asndrop":[]}"#).unwrap(), Vec::<u32>::new());
        let e = decode_asndrop(r#"{"asndrop":[1,"nope"]}"#).unwrap_err();
        assert!(e.to_string().contains("asndrop"), "{e}");
        assert!(decode_blocklist(r#"{"blacklist":[1]}"#).is_err());
    }

    #[test]
    fn defaults_and_a_full_query() {
        let d = q("").unwrap();
        assert_eq!(d, GripQuery::default());
        assert_eq!(d.to_params(), QueryParams::new());
        assert_eq!(d.request_url(&base()), "https://api.grip.inetintel.cc.gatech.edu/json/events");

        let full = q("event_type=MOAS&ts_start=2023-08-10T10:25:42&ts_end=1691749500&asns=AS3356,!as174, 64500,3356\
                      &tags=Newcomer-Small-ASN,!no-newcomer&pfxs=8.8.8.8,!2001:db8::1/32,10.1.2.3/8\
                      &min_susp=80&max_susp=100&min_duration=0&max_duration=3600&full=false&start=200&length=50")
        .unwrap();
        assert_eq!(full.event_type, Some(EventType::Moas));
        assert_eq!(full.ts_start, Some(1_691_663_100), "floored to the minute");
        assert_eq!(full.ts_end, Some(1_691_749_500));
        assert_eq!(full.asns, vec![Term::is(3356), Term::not(174), Term::is(64500)]);
        assert_eq!(full.tags, vec![Term::is("newcomer-small-asn".to_string()), Term::not("no-newcomer".to_string())]);
        assert_eq!(
            full.pfxs.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["8.8.8.8/32", "!2001:db8::/32", "10.0.0.0/8"]
        );
        assert!(full.full, "presence-based");
        assert_eq!((full.start, full.length), (200, 50));
        assert_eq!(
            full.request_url(&base()),
            "https://api.grip.inetintel.cc.gatech.edu/json/events?event_type=moas&ts_start=2023-08-10T10%3A25\
             &ts_end=2023-08-11T10%3A25&asns=3356%2C%21174%2C64500&tags=newcomer-small-asn%2C%21no-newcomer\
             &pfxs=8.8.8.8%2F32%2C%212001%3Adb8%3A%3A%2F32%2C10.0.0.0%2F8&min_susp=80&min_duration=0\
             &max_duration=3600&full=true&start=200&length=50"
        );
    }

    #[test]
    fn full_is_only_sent_when_set() {
        let mut query = GripQuery::default();
        assert!(!query.request_url(&base()).contains("full"));
        query.full = true;
        assert!(query.request_url(&base()).ends_with("/events?full=true"));
        assert!(q("full=").unwrap().full);
    }

    #[test]
    fn times_accept_every_form_and_epoch_millis() {
        let t = 1_691_663_100;
        for raw in
            ["2023-08-10T10:25", "2023-08-10 10:25:00", "1691663100", "1691663100000", "2023-08-10T12:25:59+02:00"]
        {
            let encoded = raw.replace('+', "%2B");
            assert_eq!(q(&format!("ts_start={encoded}")).unwrap().ts_start, Some(t), "{raw}");
        }
        assert!(err("ts_start=yesterday", "ts_start").contains("YYYY-MM-DD"));
        assert!(err("ts_end=1969-12-31", "ts_end").contains("1970"));
        assert!(err("ts_start=99999999999999999999", "ts_start").contains("Unix time"));
        assert!(err("ts_start=2023-08-11&ts_end=2023-08-10", "ts_end").contains("after the start"));
    }

    #[test]
    fn list_items_are_checked_one_by_one() {
        assert_eq!(err("asns=0", "asns"), "AS number “0” is not between 1 and 4294967295");
        assert_eq!(err("asns=4294967296", "asns"), "AS number “4294967296” is not between 1 and 4294967295");
        assert_eq!(q("asns=4294967295").unwrap().asns, vec![Term::is(u32::MAX)]);
        assert_eq!(
            err("asns=AS3356,foo,ASx,!", "asns"),
            "“foo” is not an AS number (write 3356 or AS3356) (and 2 more)"
        );
        assert_eq!(err("asns=!", "asns"), "“!” must be followed by an AS number");
        assert_eq!(err("tags=bad tag", "tags"), "“bad tag” is not a tag name (letters, digits, - and _ only)");
        assert_eq!(err("pfxs=8.8.8.300/24", "pfxs"), "“8.8.8.300/24” is not an IPv4 or IPv6 prefix");
        assert_eq!(err("pfxs=10.0.0.0/33", "pfxs"), "“10.0.0.0/33” is not an IPv4 or IPv6 prefix");
        let many = (1..=101).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
        assert_eq!(err(&format!("asns={many}"), "asns"), "can hold at most 100 AS numbers, not 101");
        assert_eq!(q("asns=1,,2,").unwrap().asns.len(), 2, "blank items are skipped");
    }

    #[test]
    fn numeric_fields_report_their_ranges() {
        assert_eq!(
            err("event_type=hijack", "event_type"),
            "“hijack” is not an event type: use moas, submoas, defcon, edges or all"
        );
        assert_eq!(q("event_type=all").unwrap().event_type, None);
        assert_eq!(err("length=5000", "length"), "must be between 1 and 1000, not 5000");
        assert_eq!(err("length=0", "length"), "must be between 1 and 1000, not 0");
        assert_eq!(err("min_susp=101", "min_susp"), "must be between 0 and 100, not 101");
        assert_eq!(err("min_susp=90&max_susp=20", "min_susp"), "must not be above the maximum suspicion (20)");
        assert_eq!(
            err("min_duration=600&max_duration=60", "min_duration"),
            "must not be above the maximum duration (60 s)"
        );
        assert!(err("max_duration=-1", "max_duration").contains("not a whole number"));
        assert_eq!(err("start=-5", "start"), "“-5” is not a whole number (0 or more)");
        let cap = err("start=9950", "start");
        assert!(cap.contains("first 10,000 matches") && cap.contains("(here 10,050)"), "{cap}");
        assert!(q("start=9900").is_ok());
        assert!(err("start=99999999999999999999999", "start").contains("10,000"));
    }

    #[test]
    fn every_error_is_collected() {
        let e = q("event_type=x&asns=0&tags=%21&pfxs=x&min_susp=x&max_susp=x&length=x&start=x&ts_start=x&ts_end=x")
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            vec!["event_type", "ts_start", "ts_end", "asns", "tags", "pfxs", "min_susp", "max_susp", "length", "start"]
        );
    }

    #[test]
    fn valid_queries_round_trip() {
        let queries = [
            GripQuery::default(),
            q("event_type=edges&ts_start=2020-01-01&ts_end=2020-01-02T00:01").unwrap(),
            q("asns=!3356,174&tags=!a-b_c&pfxs=2001:db8::/48,!192.0.2.0/24&full").unwrap(),
            q("min_susp=21&max_susp=79&min_duration=300&max_duration=86400&start=9000&length=1000").unwrap(),
            GripQuery {
                ts_start: Some(0),
                min_susp: 100,
                max_susp: 100,
                length: 1,
                start: 9_999,
                ..GripQuery::default()
            },
            GripQuery { asns: vec![Term::is(1), Term::not(u32::MAX)], max_susp: 0, ..GripQuery::default() },
        ];
        for query in queries {
            let p = query.to_params();
            assert_eq!(GripQuery::from_params(&p, NOW), Ok(query.clone()), "{}", p.to_query_string());
            // And through the text of a real URL.
            assert_eq!(GripQuery::from_params(&QueryParams::parse(&p.to_query_string()), NOW), Ok(query));
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        let long = "9".repeat(10_000);
        let long_list = "AS1,".repeat(3_000);
        let hostile = [
            "",
            " ",
            "!",
            "!!",
            ",,,",
            "%00",
            "\0",
            "../../etc/passwd",
            "javascript:alert(1)",
            "<script>",
            "ÄS３３５６",
            "🦀🦀🦀",
            "-1",
            "1e9",
            "NaN",
            "18446744073709551616",
            "2023-13-45T99:99",
            "::/0",
            "1.2.3.4/-1",
            long.as_str(),
            long_list.as_str(),
        ];
        for key in GripQuery::KEYS {
            for value in hostile {
                let p = QueryParams::from_pairs([(key, value), (key, "second")]);
                if let Err(e) = GripQuery::from_params(&p, NOW) {
                    for f in &e.0 {
                        assert!(GripQuery::KEYS.contains(&f.field), "{f}");
                        assert!(f.message.chars().count() < 400, "message too long: {f}");
                    }
                }
            }
        }
        let everything =
            QueryParams::from_pairs(GripQuery::KEYS.iter().map(|k| (*k, long.as_str())).collect::<Vec<_>>());
        assert!(GripQuery::from_params(&everything, NOW).is_err());
        for value in hostile {
            assert!(GripEventId::parse(value).is_err());
            assert!(decode_fingerprint(value).is_err());
            let _ = parse_aspaths(value);
        }
    }

    #[test]
    fn paging_respects_the_search_cap() {
        let query = q("length=100&start=200").unwrap();
        let nav = query.page_nav(4_312);
        assert_eq!((nav.current, nav.last, nav.has_next), (3, Some(44), true));
        assert_eq!(query.page_nav(50_000).last, Some(100));
        let p5 = query.with_page(5);
        assert_eq!(p5.start, 400);
        assert_eq!(query.with_page(0).start, 0);
        assert_eq!(query.with_page(10_000).start, 9_900);
        // 300 does not divide 10,000: the last page offered still ends within the cap.
        let odd = q("length=300").unwrap();
        let last = odd.page_nav(50_000).last.unwrap();
        assert_eq!(last, 33);
        let deepest = odd.with_page(last);
        assert!(GripQuery::from_params(&deepest.to_params(), NOW).is_ok());
        assert_eq!(odd.with_page(34), deepest);
    }

    #[test]
    fn suspicion_buckets_follow_the_dashboard() {
        let levels: Vec<_> = [0, 20, 21, 79, 80, 100, -3, 250].into_iter().map(SuspicionLevel::from_score).collect();
        use SuspicionLevel::*;
        assert_eq!(levels, vec![Benign, Benign, Grey, Grey, Suspicious, Suspicious, Benign, Suspicious]);
        assert_eq!(Suspicious.label(), "Suspicious");
        assert_eq!(Grey.key(), "grey");
        let s = GripQuery::default().with_suspicion(Some(Suspicious));
        assert_eq!((s.min_susp, s.max_susp), (80, 100));
        assert_eq!(s.suspicion_preset(), Some(Suspicious));
        assert_eq!(s.with_suspicion(None).suspicion_preset(), None);
        assert_eq!(s.to_params().to_query_string(), "min_susp=80");
    }

    #[test]
    fn event_ids_follow_the_grammar() {
        let id = GripEventId::parse("moas-1605039900-207384_48282").unwrap();
        assert_eq!(id.event_type, EventType::Moas);
        assert_eq!(id.timestamp, 1_605_039_900);
        assert_eq!(id.asns(), vec![207_384, 48_282]);
        assert_eq!(
            event_url(&base(), &id),
            "https://api.grip.inetintel.cc.gatech.edu/json/event/id/moas-1605039900-207384_48282"
        );

        let sub = GripEventId::parse("submoas-1691663100-34467_1=328892").unwrap();
        assert_eq!(sub.ases, EventAses::Split { victims: vec![34_467, 1], attackers: vec![328_892] });
        assert_eq!(sub.to_string(), "submoas-1691663100-34467_1=328892");
        assert_eq!(GripEventId::parse("edges-1691663100-1_2").unwrap().ases, EventAses::Edge(1, 2));
        assert_eq!(GripEventId::parse("defcon-1691663100-3356").unwrap().ases, EventAses::Origins(vec![3356]));

        let bad = |raw: &str| GripEventId::parse(raw).unwrap_err();
        assert!(bad("edges-1691663100-1_1").contains("two different"));
        assert!(bad("edges-1691663100-1_2_3").contains("exactly 2"));
        assert!(bad("submoas-1691663100-1_2").contains("victims=attackers"));
        assert!(bad("submoas-1691663100-1=2=3").contains("victims=attackers"));
        assert!(bad("submoas-1691663100-=2").contains("names no AS"));
        assert!(bad("moas-1691663100-1=2").contains("without “=”"));
        assert!(bad("moas-1691663100-0_5").contains("not an AS number"));
        assert!(bad("moas-1691663100-4294967296").contains("not an AS number"));
        assert!(bad("moas-1691663100-1__2").contains("not an AS number"));
        assert!(bad("hijack-1691663100-1").contains("not a GRIP event type"));
        assert!(bad("moas-16916631OO-1_2").contains("Unix time"));
        assert!(bad("moas-1691663100").contains("looks like"));
        assert!(bad(&format!("moas-1-{}", "1_".repeat(300))).contains("too long"));
        assert!(GripEventId::parse_at("moas-1691663100-1_2", NOW).is_ok());
        assert!(GripEventId::parse_at("moas-1791663100-1_2", NOW).unwrap_err().contains("future"));
    }

    #[test]
    fn event_ids_name_each_as_once_per_list() {
        let bad = |raw: &str| GripEventId::parse(raw).unwrap_err();
        // GRIP builds the AS part from sets of origins, so it never repeats an AS and refuses ids that do.
        let e = bad("moas-1605039900-64496_64496");
        assert!(e.contains("AS64496") && e.contains("more than once"), "{e}");
        assert!(bad("defcon-1605039900-3356_174_3356").contains("AS3356"));
        assert!(bad("submoas-1605039900-1_2_1=3").contains("AS1"));
        assert!(bad("submoas-1605039900-1=3_3").contains("AS3"));
        assert!(bad("edges-1605039900-7_7").contains("two different"));
        // One AS on both sides of a submoas id is real (the super- and the sub-prefix announced by 12849).
        let both = GripEventId::parse("submoas-1475193600-12849=12849").unwrap();
        assert_eq!(both.ases, EventAses::Split { victims: vec![12_849], attackers: vec![12_849] });
    }

    #[test]
    fn built_event_ids_take_grips_own_form() {
        // GRIP joins the sorted set of origins (sorted as text: "207384" before "48282").
        let id = GripEventId::build(EventType::Moas, 1_605_039_900, EventAses::Origins(vec![48_282, 207_384, 48_282]))
            .unwrap();
        assert_eq!(id.as_str(), "moas-1605039900-207384_48282");
        assert_eq!(GripEventId::parse(id.as_str()), Ok(id.clone()));
        let sub = GripEventId::build(
            EventType::Submoas,
            1_691_663_100,
            EventAses::Split { victims: vec![34_467, 1, 1], attackers: vec![328_892] },
        )
        .unwrap();
        assert_eq!(sub.as_str(), "submoas-1691663100-1_34467=328892");
        // An edge keeps its direction; an edge from an AS to itself is no edge.
        let edge = GripEventId::build(EventType::Edges, 1_691_663_100, EventAses::Edge(9381, 10_026)).unwrap();
        assert_eq!(edge.as_str(), "edges-1691663100-9381_10026");
        let e = GripEventId::build(EventType::Edges, 1_691_663_100, EventAses::Edge(64_496, 64_496)).unwrap_err();
        assert!(e.contains("two different"), "{e}");
        // The AS part must fit the type.
        assert!(GripEventId::build(EventType::Moas, 1, EventAses::Edge(1, 2)).is_err());
        assert!(GripEventId::build(EventType::Moas, 1, EventAses::Origins(vec![])).unwrap_err().contains("no AS"));
        assert!(GripEventId::build(EventType::Moas, -1, EventAses::Origins(vec![1])).is_err());
    }

    #[test]
    fn prefixes_are_written_as_grip_stores_them() {
        // GRIP matches `pfxs` and fingerprints against its stored text exactly; that text is BGPStream's
        // (C inet_ntop): the network address, lower-case, zeros compressed, IPv4-compatible tails dotted.
        for (typed, stored) in [
            ("2001:DB8:0000:0000::/32", "2001:db8::/32"),
            ("2001:0db8:0:1:0:0:0:0/64", "2001:db8:0:1::/64"),
            ("2a00:a040:0:3::1/64", "2a00:a040:0:3::/64"),
            ("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"),
            ("::ffff:1.2.3.4/120", "::ffff:1.2.3.0/120"),
            ("::1.2.3.4/120", "::1.2.3.0/120"),
            ("::0.0.1.0/128", "::100/128"),
            ("::/0", "::/0"),
            ("10.1.2.3/8", "10.0.0.0/8"),
        ] {
            let net: IpNet = typed.parse().unwrap();
            assert_eq!(stored_prefix(&net), stored, "{typed}");
            let q = q(&format!("pfxs={typed}")).unwrap();
            assert_eq!(q.to_params().get("pfxs"), Some(stored), "{typed}");
            // What GRIP stores reads back to itself.
            assert_eq!(stored_prefix(&stored.parse().unwrap()), stored);
        }
        let q = q("pfxs=!::1.2.3.0/120,2001:DB8::/32").unwrap();
        assert_eq!(q.to_params().get("pfxs"), Some("!::1.2.3.0/120,2001:db8::/32"));
        // Fingerprints too, and one read from a link is put in the stored form.
        assert_eq!(encode_fingerprint(&["::1.2.3.0/120".parse().unwrap()]), "::1.2.3.0-120");
        let fp = decode_fingerprint("2001:DB8:0:0:0:0:0:1-32_2001:0:0::-16").unwrap();
        assert_eq!(encode_fingerprint(&fp), "2001:db8::-32_2001::-16");
    }

    #[test]
    fn fingerprints_encode_and_decode() {
        let sub: IpNet = "196.0.5.0/24".parse().unwrap();
        let sup: IpNet = "196.0.0.0/16".parse().unwrap();
        let v6: IpNet = "2001:db8::/32".parse().unwrap();
        assert_eq!(encode_fingerprint(&[sub, sup]), "196.0.5.0-24_196.0.0.0-16");
        assert_eq!(encode_fingerprint(&[v6]), "2001:db8::-32");
        assert_eq!(decode_fingerprint("196.0.5.0-24_196.0.0.0-16"), Ok(vec![sub, sup]));
        assert_eq!(decode_fingerprint("2001:db8::-32"), Ok(vec![v6]));
        assert!(decode_fingerprint("1.2.3.0-24_1.2.0.0-16_1.0.0.0-8").unwrap_err().contains("one or two"));
        assert!(decode_fingerprint("178.208.78.0/24").unwrap_err().contains("178.208.78.0-24"));
        assert!(decode_fingerprint("").is_err());

        let moas = GripEventId::parse("moas-1605039900-207384_48282").unwrap();
        let p: IpNet = "178.208.78.0/24".parse().unwrap();
        assert_eq!(
            pfx_event_url(&base(), &moas, &decode_fingerprint("178.208.78.0-24").unwrap()),
            "https://api.grip.inetintel.cc.gatech.edu/json/pfx_event/id/moas-1605039900-207384_48282/178.208.78.0-24"
        );
        assert!(moas.check_fingerprint(&[p]).is_ok());
        assert!(moas.check_fingerprint(&[sub, sup]).unwrap_err().contains("one prefix"));
        let submoas = GripEventId::parse("submoas-1691663100-34467=328892").unwrap();
        assert!(submoas.check_fingerprint(&[sub, sup]).is_ok());
        assert!(submoas.check_fingerprint(&[sup, sub]).unwrap_err().contains("must come first"));
        assert!(submoas.check_fingerprint(&[p]).unwrap_err().contains("two prefixes"));
    }

    #[test]
    fn other_endpoint_urls() {
        assert_eq!(tags_url(&base()), "https://api.grip.inetintel.cc.gatech.edu/json/tags");
        assert_eq!(blocklist_url(&base()), "https://api.grip.inetintel.cc.gatech.edu/json/blocklist");
        assert_eq!(asndrop_url(&base()), "https://api.grip.inetintel.cc.gatech.edu/json/asndrop");
    }

    #[test]
    fn as_paths_are_read_tolerantly() {
        let paths = parse_aspaths("6939 2516 9381 9381 10118:7018  3257 9381:\n:1 {2,3} 4\r\n5 6");
        let hops: Vec<Vec<&str>> = paths.iter().map(|p| p.hops.iter().map(String::as_str).collect()).collect();
        assert_eq!(
            hops,
            vec![
                vec!["6939", "2516", "9381", "9381", "10118"],
                vec!["7018", "3257", "9381"],
                vec!["1", "{2,3}", "4"],
                vec!["5", "6"],
            ]
        );
        assert!(paths.iter().all(|p| p.collector.is_none()));
        assert_eq!(paths[0].collapsed(), vec!["6939", "2516", "9381", "10118"]);
        assert!(parse_aspaths("").is_empty());
        assert_eq!(parse_aspaths("1 {2 3").last().unwrap().hops, vec!["1", "{2 3"], "an unclosed set ends the path");
    }

    #[test]
    fn page_helpers() {
        let path = &parse_aspaths("7018 3356 3356 3356 64500 64500")[0];
        assert_eq!(path.runs(), vec![("7018", 1), ("3356", 3), ("64500", 2)]);
        assert!(parse_aspaths("").is_empty());

        let e = decode_event(FULL_EVENT).unwrap();
        assert_eq!(e.pfx_events[0].origins_old_new(), (vec!["34467".to_string()], vec!["328892".to_string()]));
        assert_eq!(e.pfx_events[1].origins_old_new(), (vec!["64500".to_string()], vec!["328892".to_string()]));
        assert_eq!(GripPfxEvent::default().origins_old_new(), (vec![], vec![]));

        let r = &e.pfx_events[0].traceroutes.as_ref().unwrap().msms[0].results[0];
        assert_eq!(r.hop_count(), 3, "empty hops list: the AS hops count");
        let r2 = GripTracerouteResult { hops: Some(serde_json::json!([{}, {}])), ..r.clone() };
        assert_eq!(r2.hop_count(), 2);
        // grip-core's shape: an object keyed by hop number.
        let by_number = serde_json::json!({"1": {"addr": "10.0.0.1", "asn": "*", "rtt": 0.4, "ttl": 255},
                                           "2": {"addr": "*", "asn": "*", "rtt": 0.0, "ttl": 255},
                                           "3": {"addr": "198.51.100.9", "asn": "64501", "rtt": 7.5, "ttl": 251},
                                           "4": {"addr": "192.0.2.1", "asn": "64500", "rtt": 9.1, "ttl": 250}});
        let r3 = GripTracerouteResult { hops: Some(by_number), ..r.clone() };
        assert_eq!(r3.hop_count(), 4);
        let r4 = GripTracerouteResult { hops: Some(serde_json::json!(12)), ..r.clone() };
        assert_eq!(r4.hop_count(), 12);
        assert_eq!(atlas_measurement_url(58_000_001).as_deref(), Some("https://atlas.ripe.net/measurements/58000001/"));
        assert_eq!(atlas_measurement_url(0), None);

        let steps: Vec<u8> = [-5, 0, 2, 3, 21, 79, 80, 98, 100, 250].into_iter().map(suspicion_bar_step).collect();
        assert_eq!(steps, vec![0, 0, 0, 5, 20, 80, 80, 100, 100, 100]);
    }

    #[test]
    fn per_tag_counts_read_in_every_shape() {
        for body in [
            r#"{"per_tag_cnt":{"no-newcomer":2}}"#,
            r#"{"per_tag_cnt":[{"name":"no-newcomer","count":2}]}"#,
            r#"{"per_tag_cnt":[["no-newcomer",2]]}"#,
        ] {
            let m: GripEventMetrics = serde_json::from_str(body).unwrap();
            assert_eq!(m.per_tag_cnt.get("no-newcomer"), Some(&serde_json::json!(2)), "{body}");
        }
        let odd: GripEventMetrics = serde_json::from_str(r#"{"per_tag_cnt":"n/a","pfx_event_cnt":3}"#).unwrap();
        assert!(odd.per_tag_cnt.is_empty());
        assert_eq!(odd.pfx_event_cnt, Some(3));
    }

    #[test]
    fn prefix_event_counts_read_under_grip_cores_names() {
        // grip-core's EventMetrics writes the plural names; the API documentation the singular.
        let m: GripEventMetrics =
            serde_json::from_str(r#"{"pfx_events_cnt":4,"pfx_events_with_tr_cnt":1,"per_tag_cnt":[]}"#).unwrap();
        assert_eq!((m.pfx_event_cnt, m.pfx_event_with_tr_cnt), (Some(4), Some(1)));
        let doc: GripEventMetrics = serde_json::from_str(r#"{"pfx_event_cnt":2,"pfx_event_with_tr_cnt":0}"#).unwrap();
        assert_eq!((doc.pfx_event_cnt, doc.pfx_event_with_tr_cnt), (Some(2), Some(0)));
    }
}
