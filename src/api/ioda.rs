//! IODA (Internet Outage Detection and Analysis): the explorer's query, the v2 and legacy alert APIs
//! decoded into one alert model, entity search, outage summaries, raw signals and the alert timeline.

use super::error::{decode, FetchError};
use super::export::CsvRecord;
use super::lenient;
use super::page::PageNav;
use super::query::{clip, parse_page, FieldError, FieldErrors, QueryParams};
use super::time::{format_utc, parse_instant, RangePreset, TimeRange, Timestamp};
use super::Source;
use crate::config::BaseUrl;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

mod events;
pub use events::{decode_events, events_url, EventStatus, IodaEvent, EVENTS_LIMIT};

/// Alerts a v2 page asks for: the API's own default `limit`, so a page matches what IODA's UI sees.
pub const PAGE_SIZE: u32 = 500;
/// Entities the search box asks for, as IODA's own typeahead does.
pub const SEARCH_LIMIT: u32 = 15;
/// The latest instant the outages API accepts: it stores times as SQL integers and rejects larger
/// values (which is also how millisecond timestamps fail).
pub const MAX_TIMESTAMP: Timestamp = 2_147_483_647;
/// The longest window NetLens sends. The signals API refuses ranges over 100 days, and alert queries
/// over longer windows take IODA a very long time (squashing runs over every alert in the window),
/// so longer windows are refused before any request.
pub const MAX_WINDOW_SECONDS: i64 = 100 * 86_400;
/// Bins per series a signals request asks for at most: a week of 5-minute bins (2,016) fits whole, a
/// longer window is binned coarser by IODA itself, so a chart never carries more points than it can show.
pub const SIGNAL_MAX_POINTS: u32 = 3000;
/// IODA's official UI drops SARIMA-detected alerts; NetLens does the same so the numbers agree.
pub const IGNORE_METHODS: &str = "*.sarima";
/// IODA's own dashboard, for "open in IODA" links.
pub const DASHBOARD: &str = "https://ioda.inetintel.cc.gatech.edu";
/// The base of the retired CAIDA-hosted API that the legacy dialect speaks.
pub const LEGACY_BASE: &str = "https://ioda.caida.org/ioda";
/// Width of a timeline tick for a `normal` alert (a moment, not a span), as a fraction of the window.
pub const TICK_FRAC: f64 = 0.004;

const SEARCH_MAX_CHARS: usize = 100;
const CONTINENTS: [&str; 7] = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"];

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

/// What an IODA entity is: a place, a network, or a network within a place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Continent,
    Country,
    Region,
    /// Still in old answers (the summary sample); the outages API replaced it with `geoasn` in 2024-11.
    County,
    /// An AS within a country or region (`138322-AF`).
    GeoAsn,
    Asn,
    /// A type this version of NetLens does not know, kept as the service spelled it.
    Other(String),
}

impl EntityKind {
    /// The types a NetLens query can filter on (the outages API's `entityType` values).
    pub const QUERYABLE: [EntityKind; 5] =
        [EntityKind::Continent, EntityKind::Country, EntityKind::Region, EntityKind::GeoAsn, EntityKind::Asn];

    pub fn key(&self) -> &str {
        match self {
            EntityKind::Continent => "continent",
            EntityKind::Country => "country",
            EntityKind::Region => "region",
            EntityKind::County => "county",
            EntityKind::GeoAsn => "geoasn",
            EntityKind::Asn => "asn",
            EntityKind::Other(s) => s,
        }
    }

    /// Any type string the service sends (case-insensitive); unknown ones become `Other`.
    pub fn from_key(raw: &str) -> EntityKind {
        let s = raw.trim();
        match s.to_ascii_lowercase().as_str() {
            "continent" => EntityKind::Continent,
            "country" => EntityKind::Country,
            "region" => EntityKind::Region,
            "county" => EntityKind::County,
            "geoasn" => EntityKind::GeoAsn,
            "asn" => EntityKind::Asn,
            _ => EntityKind::Other(s.to_string()),
        }
    }

    pub fn is_queryable(&self) -> bool {
        EntityKind::QUERYABLE.contains(self)
    }

    pub fn label(&self) -> &str {
        match self {
            EntityKind::Continent => "Continent",
            EntityKind::Country => "Country",
            EntityKind::Region => "Region",
            EntityKind::County => "County",
            EntityKind::GeoAsn => "AS in a place",
            EntityKind::Asn => "AS",
            EntityKind::Other(s) if s.is_empty() => "unknown",
            EntityKind::Other(s) => s,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Serialize for EntityKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// How alarming an alert is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AlertLevel {
    Critical,
    Warning,
    Normal,
    /// A level this version of NetLens does not know (empty when the service sent none).
    Other(String),
}

impl AlertLevel {
    /// The levels the `level` filter offers, in the order it writes them.
    pub const FILTERABLE: [AlertLevel; 3] = [AlertLevel::Critical, AlertLevel::Warning, AlertLevel::Normal];

    pub fn key(&self) -> &str {
        match self {
            AlertLevel::Critical => "critical",
            AlertLevel::Warning => "warning",
            AlertLevel::Normal => "normal",
            AlertLevel::Other(s) => s,
        }
    }

    pub fn from_key(raw: &str) -> AlertLevel {
        let s = raw.trim();
        match s.to_ascii_lowercase().as_str() {
            "critical" => AlertLevel::Critical,
            "warning" => AlertLevel::Warning,
            "normal" => AlertLevel::Normal,
            _ => AlertLevel::Other(s.to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            AlertLevel::Critical => "Critical",
            AlertLevel::Warning => "Warning",
            AlertLevel::Normal => "Normal",
            AlertLevel::Other(s) if s.is_empty() => "unknown",
            AlertLevel::Other(s) => s,
        }
    }

    /// Whether the alert marks a (possible) outage rather than a return to normal.
    pub fn is_outage(&self) -> bool {
        *self != AlertLevel::Normal
    }

    fn filter_rank(&self) -> usize {
        AlertLevel::FILTERABLE.iter().position(|l| l == self).unwrap_or(usize::MAX)
    }
}

impl fmt::Display for AlertLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for AlertLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// Whether a `level` filter (empty = everything) shows alerts of `level`.
pub fn level_shown(levels: &[AlertLevel], level: &AlertLevel) -> bool {
    levels.is_empty() || levels.contains(level)
}

/// The alert datasources the outages API filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Datasource {
    Bgp,
    PingSlash24,
    Gtr,
    MeritNt,
}

impl Datasource {
    pub const ALL: [Datasource; 4] = [Datasource::Bgp, Datasource::PingSlash24, Datasource::Gtr, Datasource::MeritNt];

    pub fn key(self) -> &'static str {
        match self {
            Datasource::Bgp => "bgp",
            Datasource::PingSlash24 => "ping-slash24",
            Datasource::Gtr => "gtr",
            Datasource::MeritNt => "merit-nt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Datasource::Bgp => "BGP",
            Datasource::PingSlash24 => "Active probing",
            Datasource::Gtr => "Google Transparency Report",
            Datasource::MeritNt => "Network telescope",
        }
    }

    pub fn from_key(raw: &str) -> Option<Datasource> {
        let s = raw.trim();
        Datasource::ALL.into_iter().find(|d| d.key().eq_ignore_ascii_case(s))
    }

    /// Whether an alert's datasource name is this one. The legacy API's telescope was UCSD's
    /// (`ucsd-nt`), which Merit's (`merit-nt`) replaced, so the telescope filter keeps both.
    pub fn matches(self, name: &str) -> bool {
        name == self.key() || (self == Datasource::MeritNt && name == "ucsd-nt")
    }
}

/// Which IODA API an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IodaDialect {
    /// `api.ioda.inetintel.cc.gatech.edu/v2` (Georgia Tech).
    #[default]
    V2,
    /// The retired `ioda.caida.org/ioda` API (`watchtower.alerts`), for archives and mirrors.
    Legacy,
}

impl IodaDialect {
    pub fn key(self) -> &'static str {
        match self {
            IodaDialect::V2 => "v2",
            IodaDialect::Legacy => "legacy",
        }
    }

    pub fn from_key(raw: &str) -> Option<IodaDialect> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "v2" => Some(IodaDialect::V2),
            "legacy" => Some(IodaDialect::Legacy),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Entity references (what a query filters on)
// ---------------------------------------------------------------------------------------------

/// An entity filter: a type with a code (`country/US`) or a type alone (`asn` = every AS).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub kind: EntityKind,
    /// Canonical: country/continent codes upper-case, numbers without leading zeros.
    pub code: Option<String>,
}

impl EntityRef {
    /// Every entity of one type.
    pub fn all_of(kind: EntityKind) -> Result<EntityRef, String> {
        check_queryable(&kind)?;
        Ok(EntityRef { kind, code: None })
    }

    /// One entity, its code checked against what the type's codes look like.
    pub fn new(kind: EntityKind, code: &str) -> Result<EntityRef, String> {
        check_queryable(&kind)?;
        let code = canonical_code(&kind, code.trim())?;
        Ok(EntityRef { kind, code: Some(code) })
    }

    /// Reads `country/US`, `asn/AS3307`, `region/4416` or a bare type such as `asn`.
    pub fn parse(raw: &str) -> Result<EntityRef, String> {
        let s = raw.trim();
        let (kind_raw, code) = match s.split_once('/') {
            Some((k, c)) => (k.trim(), Some(c.trim()).filter(|c| !c.is_empty())),
            None => (s, None),
        };
        let kind = EntityKind::from_key(kind_raw);
        match code {
            None => EntityRef::all_of(kind),
            Some(c) => EntityRef::new(kind, c),
        }
    }

    /// `country/US` or `asn`: the form the permalink and the legacy `meta` parameter use.
    pub fn key(&self) -> String {
        match &self.code {
            Some(c) => format!("{}/{c}", self.kind.key()),
            None => self.kind.key().to_string(),
        }
    }

    /// The AS number, for an `asn` reference with a code.
    pub fn asn(&self) -> Option<u32> {
        match (&self.kind, &self.code) {
            (EntityKind::Asn, Some(c)) => c.parse().ok(),
            _ => None,
        }
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

fn check_queryable(kind: &EntityKind) -> Result<(), String> {
    match kind {
        k if k.is_queryable() => Ok(()),
        EntityKind::County => {
            Err("IODA replaced county entities with geoasn in 2024; search for the place and pick a region".into())
        }
        other => Err(format!(
            "“{}” is not an IODA entity type: use continent, country, region, geoasn or asn, optionally with a code \
             (country/US, asn/3307)",
            clip(other.key())
        )),
    }
}

fn canonical_code(kind: &EntityKind, raw: &str) -> Result<String, String> {
    let quoted = clip(raw);
    match kind {
        EntityKind::Country => {
            if raw.len() == 2 && raw.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(raw.to_ascii_uppercase())
            } else {
                Err(format!("“{quoted}” is not a two-letter country code (such as US or DE)"))
            }
        }
        EntityKind::Continent => {
            let up = raw.to_ascii_uppercase();
            if CONTINENTS.contains(&up.as_str()) {
                Ok(up)
            } else {
                Err(format!("“{quoted}” is not a continent code: use AF, AN, AS, EU, NA, OC or SA"))
            }
        }
        EntityKind::Asn => {
            let digits = strip_as_prefix(raw);
            parse_asn(digits).map(|n| n.to_string()).ok_or_else(|| {
                format!("“{quoted}” is not an AS number (a whole number up to 4294967295, such as 3307)")
            })
        }
        EntityKind::Region | EntityKind::County => parse_numeric_code(raw).ok_or_else(|| {
            format!(
                "“{quoted}” is not an IODA region code: these are numbers (such as 4416); search by name to find one"
            )
        }),
        EntityKind::GeoAsn => {
            let (asn, place) = match raw.split_once('-') {
                Some((a, p)) => (a, Some(p)),
                None => (raw, None),
            };
            let place_ok =
                place.is_none_or(|p| (1..=10).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
            match parse_asn(strip_as_prefix(asn)) {
                Some(n) if place_ok => {
                    Ok(place.map_or_else(|| n.to_string(), |p| format!("{n}-{}", p.to_ascii_uppercase())))
                }
                _ => Err(format!(
                    "“{quoted}” is not a geoasn code: an AS number and a country or region code, such as 138322-AF"
                )),
            }
        }
        EntityKind::Other(_) => Err(format!("“{quoted}” cannot be checked for an unknown entity type")),
    }
}

fn strip_as_prefix(raw: &str) -> &str {
    match raw.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("as") => &raw[2..],
        _ => raw,
    }
}

fn parse_asn(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn parse_numeric_code(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.len() > 12 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<u64>().ok().map(|n| n.to_string())
}

// ---------------------------------------------------------------------------------------------
// The page query
// ---------------------------------------------------------------------------------------------

/// The IODA explorer's filters, as the page URL carries them.
#[derive(Debug, Clone, PartialEq)]
pub struct IodaQuery {
    /// `from`/`until` (Unix seconds). Default: the last 24 h.
    pub range: TimeRange,
    /// `entity`: `None` = every entity.
    pub entity: Option<EntityRef>,
    /// `source`: `None` = every datasource.
    pub datasource: Option<Datasource>,
    /// `level`: the levels to show, in `AlertLevel::FILTERABLE` order; empty = all. Applied in the
    /// browser (the outages API has no level filter).
    pub levels: Vec<AlertLevel>,
    /// `page`: 1-based.
    pub page: u32,
}

impl IodaQuery {
    pub const FROM: &'static str = "from";
    pub const UNTIL: &'static str = "until";
    pub const ENTITY: &'static str = "entity";
    pub const SOURCE: &'static str = "source";
    pub const LEVEL: &'static str = "level";
    pub const PAGE: &'static str = "page";

    /// The query of a page opened without parameters: every alert of the last 24 h.
    pub fn default_at(now: Timestamp) -> IodaQuery {
        IodaQuery { range: RangePreset::Day.window(now), entity: None, datasource: None, levels: vec![], page: 1 }
    }

    pub fn from_params(p: &QueryParams, now: Timestamp) -> Result<IodaQuery, FieldErrors> {
        let mut errs = FieldErrors::default();
        let range = window_param(p, &mut errs, now);
        let entity = errs.take(Self::ENTITY, p.get(Self::ENTITY).map(EntityRef::parse).transpose());
        let datasource = errs.take(Self::SOURCE, p.get(Self::SOURCE).map(parse_datasource).transpose());
        let levels = errs.take(Self::LEVEL, parse_levels(p.get_all(Self::LEVEL)));
        let page = errs.take(Self::PAGE, parse_page(p.get(Self::PAGE)));
        match (range, entity, datasource, levels, page) {
            (Some(range), Some(entity), Some(datasource), Some(levels), Some(page)) if errs.is_empty() => {
                Ok(IodaQuery { range, entity, datasource, levels, page })
            }
            _ => Err(errs),
        }
    }

    /// The permalink. The window is always written out: its default moves with the clock.
    pub fn to_params(&self) -> QueryParams {
        let mut p = QueryParams::new();
        p.push(Self::FROM, self.range.from.to_string()).push(Self::UNTIL, self.range.until.to_string());
        p.push_opt(Self::ENTITY, self.entity.as_ref().map(EntityRef::key));
        p.push_opt(Self::SOURCE, self.datasource.map(Datasource::key));
        if !self.levels.is_empty() {
            p.push(Self::LEVEL, self.levels.iter().map(AlertLevel::key).collect::<Vec<_>>().join(","));
        }
        if self.page != 1 {
            p.push(Self::PAGE, self.page.to_string());
        }
        p
    }

    /// The query in one line, for the folded filter bar on a phone: "24 h to 2026-12-04 03:00 UTC ·
    /// country/NO · BGP · Critical, Warning".
    pub fn summary(&self) -> String {
        let window = match RangePreset::matching(self.range) {
            Some(p) => format!("{} to {}", p.label(), format_utc(self.range.until)),
            None => format!("{} to {}", format_utc(self.range.from), format_utc(self.range.until)),
        };
        let mut parts = vec![window];
        parts.push(self.entity.as_ref().map_or_else(|| "all entities".to_string(), EntityRef::key));
        parts.extend(self.datasource.map(|d| d.label().to_string()));
        if !self.levels.is_empty() {
            parts.push(self.levels.iter().map(|l| l.label().to_string()).collect::<Vec<_>>().join(", "));
        }
        parts.join(" · ")
    }

    /// The alerts request. v2 pages on the server (0-based `page`, which needs `limit`); the legacy
    /// API answers the whole window at once and has no datasource filter, so the shell pages that
    /// list itself and filters it with [`IodaQuery::keeps`].
    pub fn request_url(&self, base: &BaseUrl, dialect: IodaDialect) -> String {
        let mut q = QueryParams::new();
        q.push("from", self.range.from.to_string()).push("until", self.range.until.to_string());
        match dialect {
            IodaDialect::V2 => {
                if let Some(e) = &self.entity {
                    q.push("entityType", e.kind.key());
                    q.push_opt("entityCode", e.code.as_deref());
                }
                q.push_opt("datasource", self.datasource.map(Datasource::key));
                q.push("ignoreMethods", IGNORE_METHODS)
                    .push("limit", PAGE_SIZE.to_string())
                    .push("page", self.page.saturating_sub(1).to_string());
                format!("{}{}", base.join("outages/alerts"), q.to_suffix())
            }
            IodaDialect::Legacy => {
                q.push("annotateMeta", "true").push("human", "true");
                q.push_opt("meta", self.entity.as_ref().map(EntityRef::key));
                format!("{}{}", base.join("data/alerts"), q.to_suffix())
            }
        }
    }

    /// What the chosen dialect cannot answer, as a message for the `entity` field.
    pub fn check_dialect(&self, dialect: IodaDialect) -> Result<(), FieldError> {
        match (&self.entity, dialect) {
            (Some(e), IodaDialect::Legacy) if e.kind == EntityKind::GeoAsn => Err(FieldError::new(
                Self::ENTITY,
                "geoasn entities exist only in the v2 API; the legacy API knows countries, regions and ASes",
            )),
            _ => Ok(()),
        }
    }

    /// Whether the page shows this alert: the level filter, and the datasource filter that the
    /// legacy API cannot apply itself (v2 already filtered it; checking again is harmless).
    pub fn keeps(&self, alert: &IodaAlert) -> bool {
        level_shown(&self.levels, &alert.level) && self.datasource.is_none_or(|d| d.matches(&alert.datasource))
    }

    /// The pager for a v2 answer of `returned` alerts (IODA gives no total: a full page means more).
    pub fn page_nav(&self, returned: usize) -> PageNav {
        PageNav::from_count(self.page, u64::from(PAGE_SIZE), returned)
    }

    /// The same view on IODA's own dashboard.
    pub fn dashboard_url(&self) -> String {
        dashboard_url(self.entity.as_ref(), self.range.from, self.range.until)
    }
}

/// The `from`/`until` window of a page URL (default: the last 24 h; one end alone keeps 24 h or runs
/// to now), checked as the outages API checks it; `None` with the messages in `errs`.
fn window_param(p: &QueryParams, errs: &mut FieldErrors, now: Timestamp) -> Option<TimeRange> {
    let from = errs.take(IodaQuery::FROM, p.get(IodaQuery::FROM).map(parse_seconds).transpose());
    let until = errs.take(IodaQuery::UNTIL, p.get(IodaQuery::UNTIL).map(parse_seconds).transpose());
    let default = RangePreset::Day.window(now);
    let (from, until) = match (from?, until?) {
        (None, None) => (default.from, default.until),
        (Some(f), None) => (f, default.until),
        (None, Some(u)) => ((u - RangePreset::Day.seconds()).max(0), u),
        (Some(f), Some(u)) => (f, u),
    };
    check_window(errs, from, until, now)
}

// ---------------------------------------------------------------------------------------------
// The outage summary page
// ---------------------------------------------------------------------------------------------

/// `/ioda/summary`: which entities had outages in a window, ranked by IODA's overall score.
#[derive(Debug, Clone, PartialEq)]
pub struct IodaSummaryQuery {
    /// `from`/`until`, as on the alerts page. Default: the last 24 h.
    pub range: TimeRange,
    /// `type`: countries, regions or ASes only; `None` = all three.
    pub kind: Option<EntityKind>,
}

impl IodaSummaryQuery {
    pub const TYPE: &'static str = "type";
    /// The entity types the summary can be narrowed to, in the form's order.
    pub const KINDS: [EntityKind; 3] = [EntityKind::Country, EntityKind::Region, EntityKind::Asn];
    /// How many entities one answer ranks (IODA's default is 500).
    pub const LIMIT: u32 = 100;

    pub fn from_params(p: &QueryParams, now: Timestamp) -> Result<IodaSummaryQuery, FieldErrors> {
        let mut errs = FieldErrors::default();
        let range = window_param(p, &mut errs, now);
        let kind = errs.take(
            Self::TYPE,
            p.get(Self::TYPE)
                .map(|raw| {
                    let kind = EntityKind::from_key(raw.trim());
                    Self::KINDS.contains(&kind).then_some(kind).ok_or_else(|| {
                        format!("“{}” is not an entity type of the summary: use country, region or asn", clip(raw))
                    })
                })
                .transpose(),
        );
        match (range, kind) {
            (Some(range), Some(kind)) if errs.is_empty() => Ok(IodaSummaryQuery { range, kind }),
            _ => Err(errs),
        }
    }

    /// The permalink: the window always written out (its default moves with the clock).
    pub fn to_params(&self) -> QueryParams {
        let mut p = QueryParams::new();
        p.push(IodaQuery::FROM, self.range.from.to_string()).push(IodaQuery::UNTIL, self.range.until.to_string());
        p.push_opt(Self::TYPE, self.kind.as_ref().map(|k| k.key().to_string()));
        p
    }

    /// `/outages/summary` (v2 only: the legacy API has no summary), ordered by overall score.
    pub fn request_url(&self, base: &BaseUrl) -> String {
        let mut q = QueryParams::new();
        q.push("from", self.range.from.to_string()).push("until", self.range.until.to_string());
        q.push_opt("entityType", self.kind.as_ref().map(|k| k.key().to_string()));
        q.push("ignoreMethods", IGNORE_METHODS).push("limit", Self::LIMIT.to_string()).push("orderBy", "score/desc");
        format!("{}{}", base.join("outages/summary"), q.to_suffix())
    }
}

/// The summary's rows ranked by overall score, highest first (IODA orders them so already; an
/// entry without a score goes last), ties kept in the service's order.
pub fn rank_summary(mut entries: Vec<IodaSummaryEntry>) -> Vec<IodaSummaryEntry> {
    entries.sort_by(|a, b| {
        let key = |e: &IodaSummaryEntry| e.overall_score().filter(|s| s.is_finite()).unwrap_or(f64::NEG_INFINITY);
        key(b).total_cmp(&key(a))
    });
    entries
}

/// A score for the table: IODA's overall scores multiply per-source ones (values like 6.5e14), so
/// large ones are written with their power of ten.
pub fn score_label(score: f64) -> String {
    if !score.is_finite() {
        return "—".into();
    }
    if score.abs() < 1e6 {
        return crate::api::page::format_number(score.round());
    }
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let exp = score.abs().log10().floor() as i32;
    let power: String =
        exp.to_string().chars().filter_map(|c| c.to_digit(10).map(|d| SUPERSCRIPT[d as usize])).collect();
    format!("{:.1} × 10{power}", score / 10f64.powi(exp))
}

/// A time the outages API accepts: Unix seconds within 0..=2147483647, or any form NetLens reads.
fn parse_seconds(raw: &str) -> Result<Timestamp, String> {
    let s = raw.trim();
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Checked before `parse_instant`, so a millisecond timestamp gets a message that says so.
    if digits && (s.len() > 10 || s.parse::<i64>().is_ok_and(|n| n > MAX_TIMESTAMP)) {
        return Err(format!(
            "“{}” is past {MAX_TIMESTAMP} (2038-01-19), the last time IODA accepts; it wants Unix seconds, \
             not milliseconds",
            clip(s)
        ));
    }
    let t = parse_instant(s)?;
    if t < 0 {
        return Err(format!("{} is before 1970; IODA has no data that old", format_utc(t)));
    }
    if t > MAX_TIMESTAMP {
        return Err(format!("{} is past 2038-01-19, the last time IODA accepts", format_utc(t)));
    }
    Ok(t)
}

fn check_window(errs: &mut FieldErrors, from: Timestamp, until: Timestamp, now: Timestamp) -> Option<TimeRange> {
    let before = errs.0.len();
    if from > now {
        errs.add(IodaQuery::FROM, format!("is in the future ({}); IODA has no alerts yet", format_utc(from)));
    }
    match TimeRange::new(from, until) {
        Err(e) => errs.add(IodaQuery::UNTIL, e),
        Ok(r) if r.seconds() > MAX_WINDOW_SECONDS => errs.add(
            IodaQuery::FROM,
            format!(
                "IODA answers windows of up to 100 days quickly; narrow the window (this one is {} days)",
                (r.seconds() + 86_399) / 86_400
            ),
        ),
        Ok(_) => {}
    }
    (errs.0.len() == before).then_some(TimeRange { from, until })
}

fn parse_datasource(raw: &str) -> Result<Datasource, String> {
    Datasource::from_key(raw).ok_or_else(|| {
        format!("“{}” is not an IODA alert datasource: use bgp, ping-slash24, gtr or merit-nt", clip(raw))
    })
}

fn parse_levels<'a>(values: impl Iterator<Item = &'a str>) -> Result<Vec<AlertLevel>, String> {
    let mut levels = Vec::new();
    let mut bad = Vec::new();
    for part in values.flat_map(|v| v.split(',')).map(str::trim).filter(|p| !p.is_empty()) {
        match AlertLevel::from_key(part) {
            AlertLevel::Other(_) => bad.push(format!("“{}”", clip(part))),
            level if !levels.contains(&level) => levels.push(level),
            _ => {}
        }
    }
    if !bad.is_empty() {
        let verb = if bad.len() == 1 { "is not an alert level" } else { "are not alert levels" };
        bad.truncate(3);
        return Err(format!("{} {verb}: use critical, warning or normal", bad.join(", ")));
    }
    levels.sort_by_key(AlertLevel::filter_rank);
    Ok(levels)
}

// ---------------------------------------------------------------------------------------------
// Links and URLs beside the alerts request
// ---------------------------------------------------------------------------------------------

/// The typeahead request (`/entities/query?limit=15&search=…`), as IODA's UI sends it.
pub fn entity_search_url(base: &BaseUrl, text: &str) -> String {
    let text: String = text.trim().chars().take(SEARCH_MAX_CHARS).collect();
    let mut q = QueryParams::new();
    q.push("limit", SEARCH_LIMIT.to_string()).push("search", text);
    format!("{}{}", base.join("entities/query"), q.to_suffix())
}

/// The metadata request for one entity (or, for a type alone, every entity of that type).
pub fn entity_lookup_url(base: &BaseUrl, entity: &EntityRef) -> String {
    let mut q = QueryParams::new();
    q.push("entityType", entity.kind.key());
    q.push_opt("entityCode", entity.code.as_deref());
    format!("{}{}", base.join("entities/query"), q.to_suffix())
}

/// The raw signals of one entity over a window (`/signals/raw/{type}/{code}?from&until&maxPoints`): every
/// datasource, at most [`SIGNAL_MAX_POINTS`] bins each (IODA widens the step to fit, as its UI asks).
/// `None` for a type alone: signals belong to one entity.
pub fn signals_url(base: &BaseUrl, entity: &EntityRef, from: Timestamp, until: Timestamp) -> Option<String> {
    let code = entity.code.as_deref()?;
    let code: String = form_urlencoded::byte_serialize(code.as_bytes()).collect();
    let mut q = QueryParams::new();
    q.push("from", from.to_string()).push("until", until.to_string()).push("maxPoints", SIGNAL_MAX_POINTS.to_string());
    Some(format!("{}{}", base.join(&format!("signals/raw/{}/{code}", entity.kind.key())), q.to_suffix()))
}

/// IODA's own page for an entity and window: `/<type>/<code>` for one entity, the dashboard
/// (on the type's tab where it has one) for a type alone or for everything.
pub fn dashboard_url(entity: Option<&EntityRef>, from: Timestamp, until: Timestamp) -> String {
    let path = match entity {
        Some(EntityRef { kind, code: Some(code) }) => {
            format!("{}/{}", kind.key(), form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>())
        }
        Some(EntityRef { kind: kind @ (EntityKind::Country | EntityKind::Region | EntityKind::Asn), code: None }) => {
            format!("dashboard/{}", kind.key())
        }
        _ => "dashboard".to_string(),
    };
    format!("{DASHBOARD}/{path}?from={from}&until={until}")
}

// ---------------------------------------------------------------------------------------------
// Response models
// ---------------------------------------------------------------------------------------------

/// A place or network as IODA describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IodaEntity {
    pub kind: EntityKind,
    pub code: String,
    pub name: Option<String>,
    /// IODA's internal id (`asn.36040`, `geo.netacuity.AS.IQ.1859`).
    pub fqid: Option<String>,
    /// The rest of `attrs` (country_code, org, ip_count, …), every value as text.
    pub attrs: BTreeMap<String, String>,
}

impl IodaEntity {
    /// What a row shows: the name, or `asn/36040` when the service gave none.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => n.clone(),
            _ if self.code.is_empty() => self.kind.label().to_string(),
            _ => format!("{}/{}", self.kind.key(), self.code),
        }
    }

    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }

    /// A filter on this entity, for "show only this" links (`None` for types a query cannot use).
    pub fn to_ref(&self) -> Option<EntityRef> {
        EntityRef::new(self.kind.clone(), &self.code).ok()
    }
}

/// One outage alert, from either API version.
#[derive(Debug, Clone, PartialEq)]
pub struct IodaAlert {
    pub time: Timestamp,
    pub level: AlertLevel,
    /// `bgp`, `ping-slash24`, `merit-nt`, `gtr`; legacy: the fqid's first part (`ucsd-nt`, …).
    pub datasource: String,
    pub entity: IodaEntity,
    /// The rule that fired (`< 0.99`); absent on legacy `normal` alerts.
    pub condition: Option<String>,
    pub value: Option<f64>,
    pub history_value: Option<f64>,
    pub method: Option<String>,
    /// The fqid of the alert's series (`gtr.WEB_SEARCH…`) when the answer names it: legacy answers do; v2
    /// answers carry only the datasource, which several series share (see [`alert_series`]).
    pub fqid: Option<String>,
}

impl IodaAlert {
    /// The change from the historical value, in percent (−100 = everything gone).
    pub fn change_percent(&self) -> Option<f64> {
        match (self.value, self.history_value) {
            (Some(v), Some(h)) if h != 0.0 => Some((v - h) / h * 100.0),
            _ => None,
        }
    }

    /// `−3.0 %`, `+12.5 %`, for the table.
    pub fn change_label(&self) -> Option<String> {
        self.change_percent().map(|c| format!("{c:+.1} %").replacen('-', "−", 1))
    }
}

/// One row of an `/outages/summary` answer: an entity's outage scores over the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IodaSummaryEntry {
    pub entity: IodaEntity,
    pub event_count: u64,
    /// `<datasource>.<method>` → score, plus `overall`.
    pub scores: BTreeMap<String, f64>,
}

impl IodaSummaryEntry {
    pub fn overall_score(&self) -> Option<f64> {
        self.scores.get("overall").copied()
    }

    /// One datasource's score (`<datasource>.<method>` keys; several methods add up), `None` when
    /// that source saw no outage.
    pub fn source_score(&self, source: Datasource) -> Option<f64> {
        let parts: Vec<f64> = self
            .scores
            .iter()
            .filter(|(k, _)| k.split_once('.').is_some_and(|(ds, _)| source.matches(ds)))
            .map(|(_, v)| *v)
            .collect();
        (!parts.is_empty()).then(|| parts.iter().sum())
    }
}

impl IodaEntity {
    /// NetLens's own page for this entity: `/asn/N`, `/country/CC`; `None` for other kinds.
    pub fn page_path(&self) -> Option<String> {
        match (&self.kind, self.code.trim()) {
            (EntityKind::Asn, c) => crate::api::search::parse_asn(c).map(crate::api::search::asn_path),
            (EntityKind::Country, c) => {
                crate::api::search::Country::from_code(c).map(|c| crate::api::search::country_path(&c))
            }
            _ => None,
        }
    }
}

/// One time series of `/signals/raw/{type}/{code}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IodaSignalSeries {
    pub entity: IodaEntity,
    pub datasource: String,
    pub subtype: String,
    pub from: Timestamp,
    pub until: Timestamp,
    /// Seconds between values.
    pub step: i64,
    pub native_step: Option<i64>,
    pub values: Vec<SignalValue>,
}

impl IodaSignalSeries {
    /// The time of value `i`.
    pub fn time_at(&self, i: usize) -> Timestamp {
        self.from.saturating_add(self.step.saturating_mul(i64::try_from(i).unwrap_or(i64::MAX)))
    }

    /// `(time, value)` pairs.
    pub fn points(&self) -> impl Iterator<Item = (Timestamp, &SignalValue)> + '_ {
        self.values.iter().enumerate().map(|(i, v)| (self.time_at(i), v))
    }
}

/// One bin of a signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SignalValue {
    Missing,
    Number(f64),
    /// Upstream-delay datasources: one entry per penultimate AS.
    Breakdown(Vec<SignalBreakdown>),
}

/// An upstream-delay bin entry: the path through one penultimate AS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalBreakdown {
    pub penultimate_as: Option<String>,
    pub target_as: Option<String>,
    /// `agg_values`: `median_e2e_latency`, `penultimate_as_count`, … (`None` when not measured).
    pub values: BTreeMap<String, Option<f64>>,
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    error: Option<Value>,
    // A missing or null `data` is `None` (an Option field needs no `default`, which would ask T: Default).
    data: Option<T>,
}

/// The two envelope fields that explain a failure, read without caring about anything else.
#[derive(Deserialize)]
struct Probe {
    #[serde(default, rename = "type")]
    kind: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

fn reported_error(error: Option<&Value>) -> Option<String> {
    match error? {
        Value::Null | Value::Bool(false) => None,
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        other => Some(other.to_string()),
    }
}

/// A service-reported error in a body NetLens got. It is a `Decode` error carrying IODA's words,
/// not a `Status`: no HTTP status is known here (the shell turns 4xx/5xx bodies into `Status`
/// before decoding), and inventing one would mislead; no new variant is needed for this.
fn service_error(message: &str) -> FetchError {
    FetchError::Decode { service: Source::Ioda, detail: format!("IODA reported an error: “{}”", clip(message)) }
}

/// Decodes an IODA envelope, returning its `data` (`None` when null). When decoding fails, the
/// envelope's own `error` or a `type` for another endpoint explains why better than a field path.
fn decode_envelope<T: DeserializeOwned>(body: &str, expected_type: &str) -> Result<Option<T>, FetchError> {
    match decode::<Envelope<T>>(Source::Ioda, body) {
        Ok(env) => match reported_error(env.error.as_ref()) {
            Some(msg) => Err(service_error(&msg)),
            None => Ok(env.data),
        },
        Err(e) => {
            let Ok(probe) = serde_json::from_str::<Probe>(body) else { return Err(e) };
            if let Some(msg) = reported_error(probe.error.as_ref()) {
                return Err(service_error(&msg));
            }
            match probe.kind {
                Some(Value::String(kind)) if kind != expected_type => Err(FetchError::Decode {
                    service: Source::Ioda,
                    detail: format!(
                        "expected a “{expected_type}” answer but got “{}”; check that the IODA endpoint and API \
                         version match",
                        clip(&kind)
                    ),
                }),
                _ => Err(e),
            }
        }
    }
}

/// `/outages/alerts` (v2). Takes the whole envelope, or the bare `data` array that some proxies
/// and caches keep.
pub fn decode_v2_alerts(body: &str) -> Result<Vec<IodaAlert>, FetchError> {
    let raw: Vec<RawV2Alert> = if body.trim_start().starts_with('[') {
        decode(Source::Ioda, body)?
    } else {
        decode_envelope(body, "outages.alerts")?.unwrap_or_default()
    };
    Ok(raw.into_iter().map(IodaAlert::from).collect())
}

/// `/data/alerts` of the legacy API (`watchtower.alerts`).
pub fn decode_legacy_alerts(body: &str) -> Result<Vec<IodaAlert>, FetchError> {
    let data: Option<RawLegacyData> = decode_envelope(body, "watchtower.alerts")?;
    Ok(data.map(|d| d.alerts).unwrap_or_default().into_iter().map(IodaAlert::from).collect())
}

/// Either dialect's alerts.
pub fn decode_alerts(body: &str, dialect: IodaDialect) -> Result<Vec<IodaAlert>, FetchError> {
    match dialect {
        IodaDialect::V2 => decode_v2_alerts(body),
        IodaDialect::Legacy => decode_legacy_alerts(body),
    }
}

/// `/entities/query` (`entities.lookup`).
pub fn decode_entities(body: &str) -> Result<Vec<IodaEntity>, FetchError> {
    let raw: Option<Vec<RawEntity>> = decode_envelope(body, "entities.lookup")?;
    Ok(raw.unwrap_or_default().into_iter().map(IodaEntity::from).collect())
}

/// `/outages/summary`.
pub fn decode_summary(body: &str) -> Result<Vec<IodaSummaryEntry>, FetchError> {
    let raw: Option<Vec<RawSummaryEntry>> = decode_envelope(body, "outages.summary")?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|r| IodaSummaryEntry {
            entity: r.entity.into(),
            event_count: r.event_cnt.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
            scores: match r.scores {
                Some(Value::Object(map)) => {
                    map.into_iter().filter_map(|(k, v)| value_to_f64(&v).map(|n| (k, n))).collect()
                }
                _ => BTreeMap::new(),
            },
        })
        .collect())
}

/// `/signals/raw/{type}/{code}`: `data` is one list of series per entity, flattened here.
pub fn decode_signals(body: &str) -> Result<Vec<IodaSignalSeries>, FetchError> {
    let raw: Option<Vec<Vec<RawSeries>>> = decode_envelope(body, "signals")?;
    Ok(raw.unwrap_or_default().into_iter().flatten().map(IodaSignalSeries::from).collect())
}

#[derive(Deserialize)]
struct RawEntity {
    #[serde(default, deserialize_with = "de_opt_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    name: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "de_opt_string")]
    kind: Option<String>,
    /// A map, or `[]` when PHP serialises an empty one.
    #[serde(default)]
    attrs: Option<Value>,
}

impl From<RawEntity> for IodaEntity {
    fn from(r: RawEntity) -> Self {
        entity_from_parts(r.kind, r.code, r.name, r.attrs, None)
    }
}

fn entity_from_parts(
    kind: Option<String>,
    code: Option<String>,
    name: Option<String>,
    attrs: Option<Value>,
    fqid: Option<String>,
) -> IodaEntity {
    let mut attrs: BTreeMap<String, String> = match attrs {
        Some(Value::Object(map)) => map.into_iter().filter_map(|(k, v)| value_to_text(&v).map(|t| (k, t))).collect(),
        _ => BTreeMap::new(),
    };
    let fqid = fqid.or_else(|| attrs.remove("fqid"));
    IodaEntity {
        kind: EntityKind::from_key(kind.as_deref().unwrap_or_default()),
        code: code.unwrap_or_default(),
        name: name.filter(|n| !n.trim().is_empty()),
        fqid,
        attrs,
    }
}

#[derive(Deserialize)]
struct RawV2Alert {
    #[serde(default, deserialize_with = "de_opt_string")]
    datasource: Option<String>,
    entity: RawEntity,
    #[serde(deserialize_with = "de_i64")]
    time: i64,
    #[serde(default, deserialize_with = "de_opt_string")]
    level: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    condition: Option<String>,
    #[serde(default, deserialize_with = "de_opt_f64")]
    value: Option<f64>,
    #[serde(default, rename = "historyValue", deserialize_with = "de_opt_f64")]
    history_value: Option<f64>,
    #[serde(default, deserialize_with = "de_opt_string")]
    method: Option<String>,
    /// Not sent by v2 today (OutagesAlertNormalizer drops it); read if a server ever adds it.
    #[serde(default, deserialize_with = "de_opt_string")]
    fqid: Option<String>,
}

impl From<RawV2Alert> for IodaAlert {
    fn from(r: RawV2Alert) -> Self {
        IodaAlert {
            time: r.time,
            level: AlertLevel::from_key(r.level.as_deref().unwrap_or_default()),
            datasource: r.datasource.unwrap_or_default(),
            entity: r.entity.into(),
            condition: r.condition,
            value: r.value,
            history_value: r.history_value,
            method: r.method,
            fqid: r.fqid,
        }
    }
}

#[derive(Deserialize)]
struct RawLegacyData {
    #[serde(default)]
    alerts: Vec<RawLegacyAlert>,
}

#[derive(Deserialize)]
struct RawLegacyAlert {
    #[serde(default, deserialize_with = "de_opt_string")]
    fqid: Option<String>,
    #[serde(deserialize_with = "de_i64")]
    time: i64,
    #[serde(default, deserialize_with = "de_opt_string")]
    level: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    method: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    condition: Option<String>,
    #[serde(default, deserialize_with = "de_opt_f64")]
    value: Option<f64>,
    #[serde(default, rename = "historyValue", deserialize_with = "de_opt_f64")]
    history_value: Option<f64>,
    #[serde(default, rename = "metaType", deserialize_with = "de_opt_string")]
    meta_type: Option<String>,
    #[serde(default, rename = "metaCode", deserialize_with = "de_opt_string")]
    meta_code: Option<String>,
    #[serde(default)]
    meta: Option<RawLegacyMeta>,
}

#[derive(Deserialize)]
struct RawLegacyMeta {
    #[serde(default, deserialize_with = "de_opt_string")]
    name: Option<String>,
    #[serde(default)]
    attrs: Option<Value>,
}

impl From<RawLegacyAlert> for IodaAlert {
    fn from(r: RawLegacyAlert) -> Self {
        // `bgp.v4.visibility_threshold…`, `ping-slash24.…`, `ucsd-nt.…`: the datasource leads the fqid.
        let datasource = r.fqid.as_deref().and_then(|f| f.split('.').next()).unwrap_or_default().to_string();
        let fqid = r.fqid.filter(|f| !f.trim().is_empty());
        let (name, attrs) = r.meta.map_or((None, None), |m| (m.name, m.attrs));
        IodaAlert {
            time: r.time,
            level: AlertLevel::from_key(r.level.as_deref().unwrap_or_default()),
            datasource,
            entity: entity_from_parts(r.meta_type, r.meta_code, name, attrs, None),
            condition: r.condition,
            value: r.value,
            history_value: r.history_value,
            method: r.method,
            fqid,
        }
    }
}

#[derive(Deserialize)]
struct RawSummaryEntry {
    /// A map, or `[]`/null when there is nothing to score.
    #[serde(default)]
    scores: Option<Value>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    event_cnt: Option<i64>,
    entity: RawEntity,
}

#[derive(Deserialize)]
struct RawSeries {
    #[serde(default, rename = "entityType", deserialize_with = "de_opt_string")]
    entity_type: Option<String>,
    #[serde(default, rename = "entityCode", deserialize_with = "de_opt_string")]
    entity_code: Option<String>,
    #[serde(default, rename = "entityName", deserialize_with = "de_opt_string")]
    entity_name: Option<String>,
    #[serde(default, rename = "entityFqid", deserialize_with = "de_opt_string")]
    entity_fqid: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    datasource: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    subtype: Option<String>,
    #[serde(deserialize_with = "de_i64")]
    from: i64,
    #[serde(deserialize_with = "de_i64")]
    until: i64,
    #[serde(deserialize_with = "de_i64")]
    step: i64,
    #[serde(default, rename = "nativeStep", deserialize_with = "de_opt_i64")]
    native_step: Option<i64>,
    #[serde(default)]
    values: Vec<Value>,
}

impl From<RawSeries> for IodaSignalSeries {
    fn from(r: RawSeries) -> Self {
        IodaSignalSeries {
            entity: entity_from_parts(r.entity_type, r.entity_code, r.entity_name, None, r.entity_fqid),
            datasource: r.datasource.unwrap_or_default(),
            subtype: r.subtype.unwrap_or_default(),
            from: r.from,
            until: r.until,
            step: r.step,
            native_step: r.native_step,
            values: r.values.iter().map(signal_value).collect(),
        }
    }
}

fn signal_value(v: &Value) -> SignalValue {
    match v {
        Value::Array(items) => SignalValue::Breakdown(
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|o| SignalBreakdown {
                    penultimate_as: o.get("penultimate_as").and_then(value_to_text),
                    target_as: o.get("target_as").and_then(value_to_text),
                    values: o
                        .get("agg_values")
                        .and_then(Value::as_object)
                        .map(|agg| agg.iter().map(|(k, v)| (k.clone(), value_to_f64(v))).collect())
                        .unwrap_or_default(),
                })
                .collect(),
        ),
        other => value_to_f64(other).map_or(SignalValue::Missing, SignalValue::Number),
    }
}

// Tolerant scalars: IODA's PHP sends some numbers as strings (ip_count, nativeStep) and vice versa.

fn value_to_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A number or numeric text; anything else (garbage included) reads as missing.
fn value_to_f64(v: &Value) -> Option<f64> {
    lenient::f64_of(v).ok().flatten()
}

/// A whole number or whole-number text; anything else (garbage included) reads as missing.
fn value_to_i64(v: &Value) -> Option<i64> {
    lenient::i64_of(v).ok().flatten()
}

fn de_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_i64(&v).ok_or_else(|| de::Error::custom(format!("expected a whole number, got {}", clip(&v.to_string()))))
}

fn de_opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(value_to_i64(&Value::deserialize(d)?))
}

fn de_opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?))
}

fn de_opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(lenient::text_of(&Value::deserialize(d)?))
}

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

/// What one timeline row gathers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineGroup {
    /// One row per datasource (every entity's alerts of that source).
    Datasource,
    /// One row per entity (every source's alerts for it).
    Entity,
}

/// A bar on the timeline, in fractions of the window (0 = `from`, 1 = `until`).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineSegment {
    pub start_frac: f64,
    pub end_frac: f64,
    pub level: AlertLevel,
    /// The alert (index into the slice given to [`timeline`]) the bar stands for.
    pub alert_index: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub label: String,
    /// Per datasource: which series of it the row draws (`WEB_SEARCH`, `series 2`), when the entity has
    /// several; `None` otherwise and per entity.
    pub series: Option<String>,
    pub segments: Vec<TimelineSegment>,
}

/// Which of IODA's alert series an alert belongs to. IODA squashes alerts per series — one fqid for one
/// entity (IODA-API `OutagesAlertsService::squashAlerts`, key `fqid . metaType . metaCode`) — and one
/// datasource can have several series for an entity (Google's products under `gtr`, for one).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertSeries {
    /// Tells the series apart within its datasource and entity.
    key: SeriesKey,
    /// The series' place among its datasource's series for the entity, by first alert (0, 1, …).
    pub rank: usize,
    /// `None` when it is the entity's only series of that datasource; else its name: the fqid's own part
    /// (`WEB_SEARCH`) or, when the answer names no fqid, `series 2`.
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct SeriesKey {
    datasource: String,
    kind: String,
    code: String,
    series: SeriesName,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum SeriesName {
    Fqid(String),
    /// The n-th series reconstructed from the order of an answer that names none.
    Unnamed(usize),
}

/// Whether IODA's squashing keeps `next` after `current` in one series: only N→W[→C], N→C and C→N
/// transitions survive (a repeat of the level, or critical → warning, is dropped).
fn kept_after(current: &AlertLevel, next: &AlertLevel) -> bool {
    match current {
        AlertLevel::Critical => *next == AlertLevel::Normal,
        other => other != next,
    }
}

/// How far apart two historical values are, relative to the larger (0 = equal); unknown is farthest.
fn history_gap(a: Option<f64>, b: Option<f64>) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() => (a - b).abs() / a.abs().max(b.abs()).max(1e-9),
        _ => f64::INFINITY,
    }
}

/// The series of every alert (same order as `alerts`).
///
/// Alerts that carry an fqid (legacy answers) are grouped by it. v2 answers name only the datasource, so the
/// series are rebuilt from IODA's own squashing rule: within one series an alert always follows a level it
/// may follow ([`kept_after`]), so two criticals in a row, or a warning after a critical, must be two series.
/// Each alert, in time order, joins the series it can follow whose historical value is closest to its own
/// (the series of one datasource measure different things: Google Search and YouTube traffic differ by
/// orders of magnitude), the oldest on a tie, or else starts a new series. An answer that holds one series
/// per datasource (the usual case) comes back as exactly that.
pub fn alert_series(alerts: &[IodaAlert]) -> Vec<AlertSeries> {
    struct Lane {
        level: AlertLevel,
        history: Option<f64>,
    }
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    order.sort_by_key(|&i| (alerts[i].time, i));

    let mut lanes: HashMap<(&str, &str, &str), Vec<Lane>> = HashMap::new();
    let mut keys: Vec<Option<SeriesKey>> = vec![None; alerts.len()];
    for &i in &order {
        let a = &alerts[i];
        let group = (a.datasource.as_str(), a.entity.kind.key(), a.entity.code.as_str());
        let series = match a.fqid.as_deref() {
            Some(f) => SeriesName::Fqid(f.to_string()),
            None => {
                let group_lanes = lanes.entry(group).or_default();
                let pick = group_lanes
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| kept_after(&l.level, &a.level))
                    .min_by(|(x, lx), (y, ly)| {
                        history_gap(lx.history, a.history_value)
                            .total_cmp(&history_gap(ly.history, a.history_value))
                            .then(x.cmp(y))
                    })
                    .map(|(n, _)| n);
                let n = pick.unwrap_or_else(|| {
                    group_lanes.push(Lane { level: a.level.clone(), history: None });
                    group_lanes.len() - 1
                });
                let lane = &mut group_lanes[n];
                lane.level = a.level.clone();
                lane.history = a.history_value.or(lane.history);
                SeriesName::Unnamed(n)
            }
        };
        keys[i] = Some(SeriesKey {
            datasource: group.0.to_string(),
            kind: group.1.to_string(),
            code: group.2.to_string(),
            series,
        });
    }

    // Rank and name each series within its datasource and entity, by first alert.
    let mut first_seen: Vec<&SeriesKey> = Vec::new();
    for &i in &order {
        if let Some(k) = &keys[i] {
            if !first_seen.contains(&k) {
                first_seen.push(k);
            }
        }
    }
    let same_group =
        |a: &SeriesKey, b: &SeriesKey| a.datasource == b.datasource && a.kind == b.kind && a.code == b.code;
    let entity_fqid = |k: &SeriesKey| {
        alerts
            .iter()
            .find(|a| a.entity.kind.key() == k.kind && a.entity.code == k.code)
            .and_then(|a| a.entity.fqid.clone())
    };
    let mut named: HashMap<&SeriesKey, (usize, Option<String>)> = HashMap::new();
    for k in &first_seen {
        let siblings: Vec<&SeriesKey> = first_seen.iter().copied().filter(|o| same_group(o, k)).collect();
        let rank = siblings.iter().position(|o| o == k).unwrap_or(0);
        let label = (siblings.len() > 1).then(|| match &k.series {
            SeriesName::Fqid(f) => {
                let short = fqid_label(f, &k.datasource, entity_fqid(k).as_deref());
                let clash = siblings.iter().any(|o| {
                    o != k && matches!(&o.series, SeriesName::Fqid(g) if fqid_label(g, &o.datasource, entity_fqid(o).as_deref()) == short)
                });
                if clash { f.clone() } else { short }
            }
            SeriesName::Unnamed(_) => format!("series {}", rank + 1),
        });
        named.insert(k, (rank, label));
    }
    keys.iter()
        .map(|k| {
            let k = k.clone().expect("every alert was given a series");
            let (rank, label) = named.get(&k).cloned().unwrap_or((0, None));
            AlertSeries { key: k, rank, label }
        })
        .collect()
}

/// The part of a series fqid that names it among its datasource's series: `gtr.WEB_SEARCH.geo.netacuity.NA.US`
/// → `WEB_SEARCH` (the datasource and the entity's own fqid dropped).
fn fqid_label(fqid: &str, datasource: &str, entity_fqid: Option<&str>) -> String {
    let mut rest = fqid.strip_prefix(datasource).and_then(|r| r.strip_prefix('.')).unwrap_or(fqid);
    if let Some(e) = entity_fqid.filter(|e| !e.is_empty()) {
        if let Some(r) = rest.strip_suffix(e).and_then(|r| r.strip_suffix('.')) {
            rest = r;
        }
    }
    if rest.is_empty() {
        fqid.to_string()
    } else {
        rest.to_string()
    }
}

/// Lays alerts out on the window. Per series ([`alert_series`]: one fqid for one entity, as IODA squashes
/// them), a non-normal alert opens a bar that lasts until that series' next alert (or the end of the
/// window); a normal alert is a tick. Per datasource, a datasource with several series for an entity gets a
/// row per series. Pass every alert, not the level-filtered list: a hidden normal alert still ends a bar
/// (hide segments with [`level_shown`] instead). Rows are sorted by label.
pub fn timeline(alerts: &[IodaAlert], range: TimeRange, group: TimelineGroup) -> Vec<TimelineRow> {
    let span = (range.until - range.from).max(1) as f64;
    let frac = |t: Timestamp| (t.saturating_sub(range.from) as f64 / span).clamp(0.0, 1.0);

    let tags = alert_series(alerts);
    let mut series: BTreeMap<&SeriesKey, Vec<usize>> = BTreeMap::new();
    for (i, tag) in tags.iter().enumerate() {
        series.entry(&tag.key).or_default().push(i);
    }

    // Keyed by (label, identity, series rank, series label) so rows sort by label, same-named entities
    // stay apart, and a datasource's series follow in the order they first alerted.
    type RowKey = (String, String, usize, Option<String>);
    let mut rows: BTreeMap<RowKey, Vec<TimelineSegment>> = BTreeMap::new();
    for indices in series.values_mut() {
        indices.sort_by_key(|&i| (alerts[i].time, i));
        for (n, &i) in indices.iter().enumerate() {
            let a = &alerts[i];
            let segment = if a.level.is_outage() {
                let end = indices.get(n + 1).map_or(range.until, |&j| alerts[j].time);
                if end < range.from || a.time > range.until {
                    continue;
                }
                TimelineSegment {
                    start_frac: frac(a.time),
                    end_frac: frac(end),
                    level: a.level.clone(),
                    alert_index: i,
                }
            } else {
                if a.time < range.from || a.time > range.until {
                    continue;
                }
                let start = frac(a.time);
                TimelineSegment {
                    start_frac: start,
                    end_frac: (start + TICK_FRAC).min(1.0),
                    level: a.level.clone(),
                    alert_index: i,
                }
            };
            let key = match group {
                TimelineGroup::Datasource => {
                    let label = if a.datasource.is_empty() { "unknown".to_string() } else { a.datasource.clone() };
                    let tag = &tags[i];
                    (label, a.datasource.clone(), tag.label.as_ref().map_or(0, |_| tag.rank), tag.label.clone())
                }
                TimelineGroup::Entity => {
                    (a.entity.label(), format!("{}/{}", a.entity.kind.key(), a.entity.code), 0, None)
                }
            };
            rows.entry(key).or_default().push(segment);
        }
    }

    rows.into_iter()
        .map(|((label, _, _, series), mut segments)| {
            segments.sort_by(|a, b| a.start_frac.total_cmp(&b.start_frac).then(a.alert_index.cmp(&b.alert_index)));
            TimelineRow { label, series, segments }
        })
        .collect()
}

/// An outage as a span of time: a non-normal alert until its series' next alert, or the end of the window.
#[derive(Debug, Clone, PartialEq)]
pub struct OutageSpan {
    pub from: Timestamp,
    pub until: Timestamp,
    pub level: AlertLevel,
    pub datasource: String,
}

/// The outage spans of `alerts` that touch `range`, clipped to it, by start time. Same rule as [`timeline`]'s
/// bars (per series, [`alert_series`]), in seconds rather than fractions, for charts with their own axis.
pub fn outage_spans(alerts: &[IodaAlert], range: TimeRange) -> Vec<OutageSpan> {
    let tags = alert_series(alerts);
    let mut series: BTreeMap<&SeriesKey, Vec<usize>> = BTreeMap::new();
    for (i, tag) in tags.iter().enumerate() {
        series.entry(&tag.key).or_default().push(i);
    }
    let mut spans = Vec::new();
    for indices in series.values_mut() {
        indices.sort_by_key(|&i| (alerts[i].time, i));
        for (n, &i) in indices.iter().enumerate() {
            let a = &alerts[i];
            let end = indices.get(n + 1).map_or(range.until, |&j| alerts[j].time);
            if !a.level.is_outage() || end < range.from || a.time > range.until {
                continue;
            }
            spans.push(OutageSpan {
                from: a.time.max(range.from),
                until: end.min(range.until),
                level: a.level.clone(),
                datasource: a.datasource.clone(),
            });
        }
    }
    spans.sort_by(|a, b| (a.from, a.until, &a.datasource).cmp(&(b.from, b.until, &b.datasource)));
    spans
}

/// The rows a timeline chart draws: segments the level filter hides are dropped, then rows left
/// empty, and the `max` busiest rows (most segments, ties by label) are kept, busiest first.
/// Returns those rows and how many rows were left out.
pub fn busiest_rows(rows: Vec<TimelineRow>, levels: &[AlertLevel], max: usize) -> (Vec<TimelineRow>, usize) {
    let mut rows: Vec<TimelineRow> = rows
        .into_iter()
        .map(|mut r| {
            r.segments.retain(|s| level_shown(levels, &s.level));
            r
        })
        .filter(|r| !r.segments.is_empty())
        .collect();
    // A stable sort: rows come sorted by label, so equal counts stay in label order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.segments.len()));
    let left_out = rows.len().saturating_sub(max);
    rows.truncate(max);
    (rows, left_out)
}

/// One labelled mark on a timeline's time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisTick {
    pub time: Timestamp,
    /// Where it sits, as a fraction of the window.
    pub frac: f64,
    /// `06:00`, `01-02 00:00` (the first tick and midnights carry the date) or `2024-01-02`.
    pub label: String,
}

const TICK_STEPS: [i64; 12] =
    [300, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000];

/// Round UTC times for a timeline's axis: at most `max_ticks` (at least 2) on whole steps
/// (5 min … 30 days) within the window.
pub fn timeline_axis(range: TimeRange, max_ticks: usize) -> Vec<AxisTick> {
    let span = range.seconds().max(1);
    let max = i64::try_from(max_ticks.max(2)).unwrap_or(i64::MAX);
    let step = TICK_STEPS
        .into_iter()
        .find(|s| span / s < max)
        .unwrap_or_else(|| ((span / (max - 1) + 86_399) / 86_400).max(1) * 86_400);
    let mut t = range.from.div_euclid(step) * step;
    if t < range.from {
        t += step;
    }
    let mut ticks = Vec::new();
    while t <= range.until {
        let fmt = if step >= 86_400 {
            "%Y-%m-%d"
        } else if ticks.is_empty() || t.rem_euclid(86_400) == 0 {
            "%m-%d %H:%M"
        } else {
            "%H:%M"
        };
        let label = chrono::DateTime::<chrono::Utc>::from_timestamp(t, 0)
            .map(|d| d.format(fmt).to_string())
            .unwrap_or_default();
        ticks.push(AxisTick { time: t, frac: (t - range.from) as f64 / span as f64, label });
        t += step;
    }
    ticks
}

/// What the entity box means when the user typed rather than picked a suggestion: `country/US`,
/// a bare type (`asn`) or an AS number (`3307`, `AS3307`) is a reference, checked (so a bad code
/// comes back as the field's message); anything else (`Norway`) is search text: `None`.
pub fn typed_entity(raw: &str) -> Option<Result<EntityRef, String>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains('/') || EntityKind::from_key(s).is_queryable() {
        return Some(EntityRef::parse(s));
    }
    let digits = strip_as_prefix(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(EntityRef::new(EntityKind::Asn, s));
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/// `2023-08-10T00:00:00Z`. `api::time` formats for people; exports want ISO 8601.
fn iso_utc(ts: Timestamp) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(ts, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The flat shape both exports write.
#[derive(Serialize)]
struct AlertRecord<'a> {
    time_utc: String,
    time_unix: Timestamp,
    level: &'a str,
    entity_type: &'a str,
    entity_code: &'a str,
    entity_name: Option<&'a str>,
    datasource: &'a str,
    condition: Option<&'a str>,
    value: Option<f64>,
    history_value: Option<f64>,
    change_percent: Option<f64>,
    method: Option<&'a str>,
}

impl IodaAlert {
    fn record(&self) -> AlertRecord<'_> {
        AlertRecord {
            time_utc: iso_utc(self.time),
            time_unix: self.time,
            level: self.level.key(),
            entity_type: self.entity.kind.key(),
            entity_code: &self.entity.code,
            entity_name: self.entity.name.as_deref(),
            datasource: &self.datasource,
            condition: self.condition.as_deref(),
            value: self.value,
            history_value: self.history_value,
            change_percent: self.change_percent(),
            method: self.method.as_deref(),
        }
    }
}

impl Serialize for IodaAlert {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.record().serialize(s)
    }
}

impl CsvRecord for IodaAlert {
    fn csv_header() -> Vec<&'static str> {
        vec![
            "time_utc",
            "time_unix",
            "level",
            "entity_type",
            "entity_code",
            "entity_name",
            "datasource",
            "condition",
            "value",
            "history_value",
            "change_percent",
            "method",
        ]
    }

    fn csv_row(&self) -> Vec<String> {
        let r = self.record();
        let num = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        let text = |t: Option<&str>| t.unwrap_or_default().to_string();
        vec![
            r.time_utc,
            r.time_unix.to_string(),
            r.level.to_string(),
            r.entity_type.to_string(),
            r.entity_code.to_string(),
            text(r.entity_name),
            r.datasource.to_string(),
            text(r.condition),
            num(r.value),
            num(r.history_value),
            num(r.change_percent),
            text(r.method),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::export::{to_csv, to_json};

    const V2_ELEMENT: &str = include_str!("../../tests/fixtures/ioda/v2-outages-alerts-data-element-ihr.json");
    const V2_SUMMARY: &str = include_str!("../../tests/fixtures/ioda/v2-outages-summary-county-santa-clara.json");
    const V2_SIGNALS_LATENCY: &str =
        include_str!("../../tests/fixtures/ioda/v2-signals-raw-asn1299-upstream-delay-e2e-latency.json");
    const V2_SIGNALS_ASNS: &str =
        include_str!("../../tests/fixtures/ioda/v2-signals-raw-asn1299-upstream-delay-penult-asns.json");
    const LEGACY: &str = include_str!("../../tests/fixtures/ioda/v1-legacy-watchtower-alerts.json");

    /// 2024-01-01 00:00:30 UTC.
    const NOW: Timestamp = 1_704_067_230;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://api.ioda.inetintel.cc.gatech.edu/v2").unwrap()
    }

    fn params(q: &str) -> QueryParams {
        QueryParams::parse(q)
    }

    fn errors(q: &str) -> FieldErrors {
        IodaQuery::from_params(&params(q), NOW).unwrap_err()
    }

    #[test]
    fn the_folded_filter_bar_reads_the_window_entity_source_and_levels() {
        let q = IodaQuery::from_params(
            &QueryParams::parse("from=1764460800&until=1764547200&entity=country/NO&source=bgp&level=critical,warning"),
            1_764_547_200,
        )
        .unwrap();
        assert_eq!(q.summary(), "24 h to 2025-12-01 00:00 UTC · country/NO · BGP · Critical, Warning");
        let odd =
            IodaQuery::from_params(&QueryParams::parse("from=1764460000&until=1764547200"), 1_764_547_200).unwrap();
        assert_eq!(odd.summary(), "2025-11-29 23:46 UTC to 2025-12-01 00:00 UTC · all entities");
    }

    #[test]
    fn the_summary_query_round_trips_and_asks_ioda_for_a_ranked_window() {
        let q = IodaSummaryQuery::from_params(&params("from=1703980800&until=1704067200&type=asn"), NOW).unwrap();
        assert_eq!(q.range, TimeRange { from: 1_703_980_800, until: 1_704_067_200 });
        assert_eq!(q.kind, Some(EntityKind::Asn));
        assert_eq!(IodaSummaryQuery::from_params(&q.to_params(), NOW).unwrap(), q);
        assert_eq!(
            q.request_url(&base()),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/outages/summary?from=1703980800&until=1704067200\
             &entityType=asn&ignoreMethods=*.sarima&limit=100&orderBy=score%2Fdesc"
        );
        // No parameters: the last 24 h, every type, written out in the permalink.
        let d = IodaSummaryQuery::from_params(&params(""), NOW).unwrap();
        assert_eq!(d.range, RangePreset::Day.window(NOW));
        assert_eq!(d.kind, None);
        assert_eq!(d.to_params().to_suffix(), format!("?from={}&until={}", d.range.from, d.range.until));
    }

    #[test]
    fn the_summary_query_names_each_bad_field() {
        let e = IodaSummaryQuery::from_params(&params("type=geoasn&from=soon"), NOW).unwrap_err();
        assert!(e.for_field("type").unwrap().contains("use country, region or asn"), "{e:?}");
        assert!(e.for_field("from").is_some(), "{e:?}");
        let e = IodaSummaryQuery::from_params(&params("from=1704153600"), NOW).unwrap_err();
        assert!(e.for_field("from").unwrap().contains("in the future"), "{e:?}");
    }

    #[test]
    fn the_recorded_summary_ranks_by_overall_score_with_per_source_scores() {
        let entries = rank_summary(decode_summary(V2_SUMMARY).unwrap());
        assert!(!entries.is_empty());
        let overall: Vec<f64> = entries.iter().map(|e| e.overall_score().unwrap_or(f64::NEG_INFINITY)).collect();
        assert!(overall.windows(2).all(|w| w[0] >= w[1]), "{overall:?}");
        let first = &entries[0];
        assert!(first.event_count > 0);
        // Each per-source score is the sum of that source's methods in the answer.
        for ds in [Datasource::Bgp, Datasource::PingSlash24, Datasource::MeritNt] {
            let expected: f64 = first
                .scores
                .iter()
                .filter(|(k, _)| k.split('.').next().is_some_and(|d| ds.matches(d)))
                .map(|(_, v)| v)
                .sum();
            assert_eq!(first.source_score(ds).unwrap_or(0.0), expected, "{ds:?}");
        }
    }

    #[test]
    fn ranking_puts_unscored_entries_last_and_keeps_ties_in_order() {
        let entry = |code: &str, overall: Option<f64>| IodaSummaryEntry {
            entity: IodaEntity {
                kind: EntityKind::Asn,
                code: code.into(),
                name: None,
                fqid: None,
                attrs: Default::default(),
            },
            event_count: 1,
            scores: overall.map(|o| BTreeMap::from([("overall".to_string(), o)])).unwrap_or_default(),
        };
        let ranked =
            rank_summary(vec![entry("1", None), entry("2", Some(5.0)), entry("3", Some(9.0)), entry("4", Some(5.0))]);
        assert_eq!(ranked.iter().map(|e| e.entity.code.as_str()).collect::<Vec<_>>(), ["3", "2", "4", "1"]);
    }

    #[test]
    fn scores_are_written_for_people() {
        assert_eq!(score_label(1234.4), "1,234");
        assert_eq!(score_label(6.5e14), "6.5 × 10¹⁴");
        assert_eq!(score_label(1.0e6), "1.0 × 10⁶");
        assert_eq!(score_label(f64::NAN), "—");
    }

    #[test]
    fn entities_link_to_their_own_pages_where_netlens_has_one() {
        let e = |kind: EntityKind, code: &str| IodaEntity {
            kind,
            code: code.into(),
            name: None,
            fqid: None,
            attrs: Default::default(),
        };
        assert_eq!(e(EntityKind::Asn, "3356").page_path().as_deref(), Some("/asn/3356"));
        assert_eq!(e(EntityKind::Country, "NO").page_path().as_deref(), Some("/country/NO"));
        assert_eq!(e(EntityKind::Region, "2159").page_path(), None);
        assert_eq!(e(EntityKind::Asn, "not-a-number").page_path(), None);
    }

    /// The recorded element inside the envelope the v2 API wraps it in (fields per Envelope.php).
    fn enveloped(data: &str) -> String {
        format!(
            r#"{{"type":"outages.alerts","metadata":{{"requestTime":"2023-08-10T12:00:00+00:00","responseTime":"2023-08-10T12:00:01+00:00"}},"requestParameters":{{"from":"1691539200","until":"1691712000","datasource":null,"limit":500,"page":null,"relatedTo":null,"entityType":"asn","entityCode":null,"ignoreMethods":"*.sarima","extendWindow":0}},"error":null,"perf":null,"data":{data},"copyright":"This data is Copyright (c) 2021-2025 Georgia Tech Research Corporation. All Rights Reserved."}}"#
        )
    }

    fn alert(time: Timestamp, level: AlertLevel, ds: &str, code: &str) -> IodaAlert {
        IodaAlert {
            time,
            level,
            datasource: ds.into(),
            entity: IodaEntity {
                kind: EntityKind::Country,
                code: code.into(),
                name: Some(format!("Land {code}")),
                fqid: None,
                attrs: BTreeMap::new(),
            },
            condition: None,
            value: None,
            history_value: None,
            method: None,
            fqid: None,
        }
    }

    // ----- decoding the recorded samples

    fn assert_youtube(alerts: &[IodaAlert]) {
        assert_eq!(alerts.len(), 1);
        let a = &alerts[0];
        assert_eq!(a.datasource, "bgp");
        assert_eq!(a.time, 1_691_625_600);
        assert_eq!(a.level, AlertLevel::Critical);
        assert_eq!(a.condition.as_deref(), Some("< 0.99"));
        assert_eq!(a.value, Some(32.0));
        assert_eq!(a.history_value, Some(33.0));
        assert_eq!(a.method.as_deref(), Some("median"));
        assert_eq!(a.entity.kind, EntityKind::Asn);
        assert_eq!(a.entity.code, "36040");
        assert_eq!(a.entity.name.as_deref(), Some("AS36040 (YOUTUBE)"));
        assert_eq!(a.entity.fqid.as_deref(), Some("asn.36040"));
        assert_eq!(a.entity.attr("org"), Some("Google LLC"));
        assert_eq!(a.entity.attr("ip_count"), Some("11264"));
        assert_eq!(a.entity.to_ref(), Some(EntityRef { kind: EntityKind::Asn, code: Some("36040".into()) }));
    }

    #[test]
    fn decodes_the_recorded_v2_alert_element_alone() {
        assert_youtube(&decode_v2_alerts(V2_ELEMENT).unwrap());
    }

    #[test]
    fn decodes_the_recorded_v2_alert_element_in_its_envelope() {
        let alerts = decode_v2_alerts(&enveloped(V2_ELEMENT)).unwrap();
        assert_youtube(&alerts);
        assert_eq!(alerts, decode_v2_alerts(V2_ELEMENT).unwrap());
        let change = alerts[0].change_percent().unwrap();
        assert!((change - (32.0 - 33.0) / 33.0 * 100.0).abs() < 1e-9, "{change}");
        assert_eq!(alerts[0].change_label().as_deref(), Some("−3.0 %"));
    }

    #[test]
    fn decodes_the_recorded_legacy_alerts() {
        let alerts = decode_legacy_alerts(LEGACY).unwrap();
        assert_eq!(alerts.len(), 3);
        let babil = &alerts[0];
        assert_eq!(babil.level, AlertLevel::Normal);
        assert_eq!(babil.datasource, "bgp");
        assert_eq!(babil.time, 1_570_070_400);
        assert_eq!(babil.method.as_deref(), Some("last_value"));
        assert_eq!((babil.condition.as_deref(), babil.value, babil.history_value), (None, None, None));
        assert_eq!(babil.entity.kind, EntityKind::Region);
        assert_eq!(babil.entity.code, "1870");
        assert_eq!(babil.entity.name.as_deref(), Some("Babil"));
        assert_eq!(babil.entity.fqid.as_deref(), Some("geo.netacuity.AS.IQ.1870"));
        assert_eq!(babil.entity.attr("country_code"), Some("IQ"));
        assert_eq!(babil.change_percent(), None);

        let karbala = &alerts[1];
        assert_eq!(karbala.level, AlertLevel::Critical);
        assert_eq!(karbala.entity.name.as_deref(), Some("Karbala'"));
        assert_eq!(karbala.condition.as_deref(), Some("< historical * 0.5"));
        assert_eq!((karbala.value, karbala.history_value), (Some(7.0), Some(59.0)));

        let rugaju = &alerts[2];
        assert_eq!(rugaju.entity.attr("country_name"), Some("Latvia"));
        assert_eq!(rugaju.change_percent(), Some(-100.0));
        assert_eq!(decode_alerts(LEGACY, IodaDialect::Legacy).unwrap(), alerts);
    }

    #[test]
    fn decodes_the_recorded_summary() {
        let entries = decode_summary(V2_SUMMARY).unwrap();
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(e.entity.kind, EntityKind::County);
        assert_eq!(e.entity.code, "2159");
        assert_eq!(e.entity.name.as_deref(), Some("Santa Clara"));
        assert_eq!(e.entity.fqid.as_deref(), Some("geo.netacuity.NA.US.4416.2159"));
        assert_eq!(e.entity.attr("region_name"), Some("California"));
        assert_eq!(e.event_count, 11);
        assert_eq!(e.scores.len(), 6);
        assert_eq!(e.overall_score(), Some(650_945_358_117_973.4));
        assert_eq!(e.scores.get("bgp.median"), Some(&637_108.300_132_802_1));
        // County is no longer a filter, so it offers no "show only this" link.
        assert_eq!(e.entity.to_ref(), None);
    }

    #[test]
    fn decodes_the_recorded_latency_signals() {
        let series = decode_signals(V2_SIGNALS_LATENCY).unwrap();
        assert_eq!(series.len(), 1);
        let s = &series[0];
        assert_eq!(s.entity.kind, EntityKind::Asn);
        assert_eq!(s.entity.code, "1299");
        assert_eq!(s.entity.name.as_deref(), Some("AS1299 (TWELVE99)"));
        assert_eq!(s.entity.fqid.as_deref(), Some("asn.1299"));
        assert_eq!(s.datasource, "upstream-delay-penult-e2e-latency");
        assert_eq!((s.from, s.until, s.step, s.native_step), (1_727_740_800, 1_727_827_200, 3600, Some(3600)));
        assert_eq!(s.values.len(), 24);
        let SignalValue::Breakdown(first) = &s.values[0] else { panic!("{:?}", s.values[0]) };
        assert_eq!(first.len(), 2);
        assert!(first[0].values.values().all(Option::is_none));
        let SignalValue::Breakdown(bin4) = &s.values[4] else { panic!("{:?}", s.values[4]) };
        assert_eq!(bin4[0].penultimate_as.as_deref(), Some("21334"));
        assert_eq!(bin4[0].target_as.as_deref(), Some("1299"));
        assert_eq!(bin4[0].values.get("median_e2e_latency"), Some(&Some(124_845.0)));
        assert_eq!(bin4[1].values.get("p90_e2e_latency"), Some(&Some(4278.0)));
        assert_eq!(s.time_at(4), 1_727_740_800 + 4 * 3600);
        assert_eq!(s.points().last().map(|(t, _)| t), Some(1_727_740_800 + 23 * 3600));
    }

    #[test]
    fn decodes_the_recorded_penultimate_as_signals() {
        let series = decode_signals(V2_SIGNALS_ASNS).unwrap();
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].datasource, "upstream-delay-penult-asns");
        let SignalValue::Breakdown(bin5) = &series[0].values[5] else { panic!("{:?}", series[0].values[5]) };
        assert_eq!(bin5[1].penultimate_as.as_deref(), Some("2637"));
        assert_eq!(bin5[1].values.get("penultimate_as_count"), Some(&Some(20.0)));
        let SignalValue::Breakdown(bin0) = &series[0].values[0] else { panic!() };
        assert_eq!(bin0[0].values.get("penultimate_as_count"), Some(&None));
    }

    // ----- tolerance and errors

    #[test]
    fn tolerates_unknown_fields_missing_names_nulls_and_strings_for_numbers() {
        let body = enveloped(
            r#"[{"datasource":"ping-slash24","entity":{"code":3307,"type":"asn","subnames":[],"new":1},
                 "time":"1691625600","level":"WARNING","condition":null,"value":null,"historyValue":"40.5",
                 "method":null,"surprise":{"a":1}},
                {"datasource":"gtr","entity":{"code":"XK","name":"","type":"planet"},"time":1691625601.0,"level":"odd"}]"#,
        );
        let alerts = decode_v2_alerts(&body).unwrap();
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[0].entity.code, "3307");
        assert_eq!(alerts[0].entity.name, None);
        assert_eq!(alerts[0].entity.label(), "asn/3307");
        assert_eq!(alerts[0].time, 1_691_625_600);
        assert_eq!(alerts[0].level, AlertLevel::Warning);
        assert_eq!((alerts[0].value, alerts[0].history_value), (None, Some(40.5)));
        assert_eq!(alerts[0].change_percent(), None);
        assert_eq!(alerts[1].entity.kind, EntityKind::Other("planet".into()));
        assert_eq!(alerts[1].entity.to_ref(), None);
        assert_eq!(alerts[1].level, AlertLevel::Other("odd".into()));
        assert_eq!(alerts[1].time, 1_691_625_601);

        let signals = r#"{"type":"signals","error":null,"data":[[{"entityType":"country","entityCode":"NZ",
            "datasource":"bgp","from":100,"until":400,"step":"300","nativeStep":"300","values":[1,null,"2.5",true]}]]}"#;
        let s = &decode_signals(signals).unwrap()[0];
        assert_eq!(s.entity.name, None);
        assert_eq!((s.step, s.native_step, s.subtype.as_str()), (300, Some(300), ""));
        assert_eq!(
            s.values,
            vec![SignalValue::Number(1.0), SignalValue::Missing, SignalValue::Number(2.5), SignalValue::Missing]
        );

        let summary = r#"{"type":"outages.summary","data":[{"scores":{"overall":null,"bgp.median":"2"},"entity":{"code":"US","type":"country"}}]}"#;
        let e = &decode_summary(summary).unwrap()[0];
        assert_eq!((e.event_count, e.overall_score(), e.scores.get("bgp.median")), (0, None, Some(&2.0)));
        let summary = r#"{"type":"outages.summary","data":[{"scores":[],"event_cnt":"3","entity":{"code":"US","type":"country","attrs":[]}}]}"#;
        let e = &decode_summary(summary).unwrap()[0];
        assert_eq!((e.event_count, e.scores.len()), (3, 0));
        assert_eq!(decode_v2_alerts(&enveloped("null")).unwrap(), vec![]);
        assert_eq!(decode_v2_alerts("[]").unwrap(), vec![]);
    }

    #[test]
    fn a_reported_error_is_shown_in_the_services_words() {
        let body = r#"{"type":"outages.alerts","metadata":{},"requestParameters":{},"error":"'from' timestamp must be set","perf":null,"data":null}"#;
        let err = decode_v2_alerts(body).unwrap_err();
        assert!(matches!(err, FetchError::Decode { service: Source::Ioda, .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "IODA sent an answer NetLens could not read (IODA reported an error: “'from' timestamp must be set”)."
        );
        // Also when the data beside the error would not decode on its own.
        let body = r#"{"type":"signals","error":"range too long","data":{"odd":1}}"#;
        assert!(decode_signals(body).unwrap_err().to_string().contains("range too long"));
        let body = r#"{"type":"watchtower.alerts","error":"bad meta","data":null}"#;
        assert!(decode_legacy_alerts(body).unwrap_err().to_string().contains("bad meta"));
    }

    #[test]
    fn the_wrong_dialect_is_named() {
        let err = decode_v2_alerts(LEGACY).unwrap_err().to_string();
        assert!(err.contains("expected a “outages.alerts” answer but got “watchtower.alerts”"), "{err}");
        let err = decode_legacy_alerts(&enveloped(V2_ELEMENT)).unwrap_err().to_string();
        assert!(err.contains("got “outages.alerts”"), "{err}");
    }

    #[test]
    fn schema_surprises_name_the_field() {
        let err = decode_v2_alerts(&enveloped(r#"[{"datasource":"bgp","entity":{},"time":"soon"}]"#)).unwrap_err();
        assert!(err.to_string().contains("data[0].time"), "{err}");
        let err = decode_v2_alerts(r#"[{"datasource":"bgp","time":1}]"#).unwrap_err();
        assert!(err.to_string().contains("entity"), "{err}");
        assert!(decode_v2_alerts("<html>").unwrap_err().to_string().contains("not valid JSON"));
    }

    #[test]
    fn decodes_entity_lookups() {
        let body = r#"{"type":"entities.lookup","metadata":{},"requestParameters":{"search":"tur"},"error":null,"perf":null,
            "data":[
              {"code":"TR","name":"Turkey","type":"country","subnames":[],"attrs":{"fqid":"geo.netacuity.EU.TR"}},
              {"code":"4107","name":"Izmir","type":"region","subnames":[],"attrs":{"fqid":"geo.netacuity.EU.TR.4107","country_code":"TR","country_name":"Turkey","ne_region_id":2247}},
              {"code":"9074","name":"AS9074 (KOCSISTEM)","type":"asn","attrs":{"fqid":"asn.9074","ip_count":"3328","name":"KOCSISTEM","org":null}},
              {"code":"EU","name":"Europe","type":"continent","subnames":{"x":1},"attrs":[]}
            ],"copyright":"…"}"#;
        let entities = decode_entities(body).unwrap();
        assert_eq!(entities.len(), 4);
        // PHP writes an empty attribute map as `[]`.
        assert!(entities[3].attrs.is_empty() && entities[3].fqid.is_none());
        assert_eq!(entities[0].kind, EntityKind::Country);
        assert_eq!(entities[0].to_ref().unwrap().key(), "country/TR");
        assert_eq!(entities[1].attr("ne_region_id"), Some("2247"));
        assert_eq!(entities[1].fqid.as_deref(), Some("geo.netacuity.EU.TR.4107"));
        assert_eq!(entities[2].label(), "AS9074 (KOCSISTEM)");
        assert_eq!(entities[2].attr("org"), None);
        assert_eq!(entities[2].to_ref().unwrap().asn(), Some(9074));
        assert!(decode_entities(r#"{"type":"entities.lookup","error":null,"data":null}"#).unwrap().is_empty());
    }

    // ----- the page query

    #[test]
    fn defaults_to_the_last_day_and_everything() {
        let q = IodaQuery::from_params(&QueryParams::new(), NOW).unwrap();
        assert_eq!(q, IodaQuery::default_at(NOW));
        assert_eq!(q.range, RangePreset::Day.window(NOW));
        assert_eq!(q.range.until, NOW - 30);
        assert_eq!((q.entity, q.datasource, q.levels, q.page), (None, None, vec![], 1));
    }

    #[test]
    fn reads_every_key() {
        let q = IodaQuery::from_params(
            &params("from=2023-12-30&until=1703980800&entity=country/us&source=BGP&level=normal,CRITICAL&page=3"),
            NOW,
        )
        .unwrap();
        assert_eq!(q.range, TimeRange { from: 1_703_894_400, until: 1_703_980_800 });
        assert_eq!(q.entity, Some(EntityRef { kind: EntityKind::Country, code: Some("US".into()) }));
        assert_eq!(q.datasource, Some(Datasource::Bgp));
        assert_eq!(q.levels, vec![AlertLevel::Critical, AlertLevel::Normal]);
        assert_eq!(q.page, 3);
        // A lone bound takes the other from the default day.
        let q = IodaQuery::from_params(&params("until=1703980800"), NOW).unwrap();
        assert_eq!(q.range.from, 1_703_980_800 - 86_400);
        let q = IodaQuery::from_params(&params("from=1703980800"), NOW).unwrap();
        assert_eq!(q.range.until, NOW - 30);
        // Repeated level keys add up; duplicates collapse.
        let q = IodaQuery::from_params(&params("level=warning&level=critical,warning"), NOW).unwrap();
        assert_eq!(q.levels, vec![AlertLevel::Critical, AlertLevel::Warning]);
    }

    #[test]
    fn entity_references_are_checked_and_canonical() {
        let ok = |s: &str| EntityRef::parse(s).unwrap().key();
        assert_eq!(ok("country/us"), "country/US");
        assert_eq!(ok(" asn / AS3307 "), "asn/3307");
        assert_eq!(ok("asn/03307"), "asn/3307");
        assert_eq!(ok("ASN"), "asn");
        assert_eq!(ok("asn/"), "asn");
        assert_eq!(ok("continent/eu"), "continent/EU");
        assert_eq!(ok("region/4416"), "region/4416");
        assert_eq!(ok("geoasn/138322-af"), "geoasn/138322-AF");
        assert_eq!(ok("geoasn/138322"), "geoasn/138322");
        assert_eq!(EntityRef::parse("asn/4294967295").unwrap().asn(), Some(u32::MAX));

        let err = |s: &str| EntityRef::parse(s).unwrap_err();
        assert_eq!(
            err("asn/4294967296"),
            "“4294967296” is not an AS number (a whole number up to 4294967295, such as 3307)"
        );
        assert_eq!(err("country/USA"), "“USA” is not a two-letter country code (such as US or DE)");
        assert_eq!(err("continent/XX"), "“XX” is not a continent code: use AF, AN, AS, EU, NA, OC or SA");
        assert!(err("region/Izmir").contains("is not an IODA region code"));
        assert!(err("geoasn/x-1").contains("not a geoasn code"));
        assert!(err("county/2159").contains("replaced county entities with geoasn"));
        assert!(err("planet/earth").starts_with("“planet” is not an IODA entity type"));
        assert!(err("country/U/S").contains("two-letter"));
        assert!(err("/US").contains("is not an IODA entity type"));
    }

    #[test]
    fn validation_messages_name_their_fields() {
        let e = errors("from=2024-01-02&until=2024-01-03");
        assert!(e.for_field("from").unwrap().starts_with("is in the future (2024-01-02 00:00 UTC)"), "{e:?}");

        let e = errors("from=1700000000&until=1600000000");
        assert_eq!(e.for_field("until"), Some("must be after the start (2023-11-14 22:13 UTC)"));

        let e = errors("from=2023-01-01&until=2023-06-01");
        assert_eq!(
            e.for_field("from"),
            Some("IODA answers windows of up to 100 days quickly; narrow the window (this one is 151 days)")
        );
        // Exactly 100 days is fine.
        assert!(IodaQuery::from_params(&params("from=1600000000&until=1608640000"), NOW).is_ok());

        let e = errors("from=1700000000000&until=1700003600");
        assert!(e.for_field("from").unwrap().contains("not milliseconds"), "{e:?}");
        let e = errors("until=2147483648");
        assert!(e.for_field("until").unwrap().contains("past 2147483647"), "{e:?}");
        let e = errors("from=1969-12-31&until=1970-01-02");
        assert!(e.for_field("from").unwrap().contains("before 1970"), "{e:?}");
        let e = errors("from=yesterday");
        assert!(e.for_field("from").unwrap().contains("YYYY-MM-DD"), "{e:?}");
    }

    #[test]
    fn collects_every_error_at_once() {
        let e = errors("from=later&until=never&entity=asn/x&source=dns&level=red,blue,critical&page=0");
        let fields: Vec<_> = e.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["from", "until", "entity", "source", "level", "page"]);
        assert_eq!(
            e.for_field("source"),
            Some("“dns” is not an IODA alert datasource: use bgp, ping-slash24, gtr or merit-nt")
        );
        assert_eq!(e.for_field("level"), Some("“red”, “blue” are not alert levels: use critical, warning or normal"));
        assert!(e.for_field("page").unwrap().contains("between 1 and"));
    }

    #[test]
    fn round_trips_through_the_permalink() {
        let queries = [
            IodaQuery::default_at(NOW),
            IodaQuery {
                range: TimeRange { from: 1_691_539_200, until: 1_691_712_000 },
                entity: Some(EntityRef::new(EntityKind::Asn, "AS36040").unwrap()),
                datasource: Some(Datasource::PingSlash24),
                levels: vec![AlertLevel::Critical, AlertLevel::Warning],
                page: 7,
            },
            IodaQuery {
                range: TimeRange { from: 0, until: 3_600 },
                entity: Some(EntityRef::all_of(EntityKind::Region).unwrap()),
                datasource: Some(Datasource::MeritNt),
                levels: vec![AlertLevel::Normal],
                page: 1,
            },
            IodaQuery {
                range: TimeRange { from: NOW - 100 * 86_400, until: NOW },
                entity: Some(EntityRef::new(EntityKind::GeoAsn, "138322-AF").unwrap()),
                datasource: None,
                levels: vec![AlertLevel::Critical, AlertLevel::Warning, AlertLevel::Normal],
                page: 2,
            },
        ];
        for q in queries {
            let p = q.to_params();
            assert_eq!(IodaQuery::from_params(&p, NOW), Ok(q.clone()), "{}", p.to_query_string());
            // And through the text of a URL.
            assert_eq!(IodaQuery::from_params(&QueryParams::parse(&p.to_query_string()), NOW), Ok(q));
        }
        let p = IodaQuery::default_at(NOW).to_params();
        assert_eq!(p.to_query_string(), format!("from={}&until={}", NOW - 30 - 86_400, NOW - 30));
    }

    #[test]
    fn hostile_input_never_panics() {
        let long = "9".repeat(10_000);
        let longer = "é".repeat(10_000);
        let hostile = [
            "",
            " ",
            long.as_str(),
            longer.as_str(),
            "%00",
            "\0",
            "../../etc/passwd",
            "javascript:alert(1)",
            "asn/../../",
            "country/%",
            "geoasn/-",
            "geoasn/1-",
            "asn/AS",
            "a/",
            "/",
            "//",
            "-1",
            "9223372036854775808",
            "1e99",
            "ünïcödé/🙂",
            "level,,,",
            "2024-02-30",
        ];
        for key in ["from", "until", "entity", "source", "level", "page"] {
            for value in hostile {
                let p = QueryParams::from_pairs([(key, value), (key, value)]);
                if let Err(errs) = IodaQuery::from_params(&p, NOW) {
                    assert!(!errs.is_empty());
                    for e in &errs.0 {
                        assert!(e.message.chars().count() < 300, "{key}={}: {}", clip(value), e.message);
                    }
                }
            }
        }
        assert!(entity_search_url(&base(), &longer).len() < 2_000);
    }

    // ----- URLs

    #[test]
    fn v2_alert_urls() {
        let mut q = IodaQuery::from_params(&params("from=1547114400&until=1547118000"), NOW).unwrap();
        assert_eq!(
            q.request_url(&base(), IodaDialect::V2),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/outages/alerts?from=1547114400&until=1547118000\
             &ignoreMethods=*.sarima&limit=500&page=0"
        );
        q.entity = Some(EntityRef::parse("country/US").unwrap());
        q.datasource = Some(Datasource::PingSlash24);
        q.page = 3;
        assert_eq!(
            q.request_url(&base(), IodaDialect::V2),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/outages/alerts?from=1547114400&until=1547118000\
             &entityType=country&entityCode=US&datasource=ping-slash24&ignoreMethods=*.sarima&limit=500&page=2"
        );
        q.entity = Some(EntityRef::parse("asn").unwrap());
        q.datasource = None;
        assert!(q.request_url(&base(), IodaDialect::V2).contains("&entityType=asn&ignoreMethods="));
        // The level filter never reaches the API.
        q.levels = vec![AlertLevel::Critical];
        assert!(!q.request_url(&base(), IodaDialect::V2).contains("level"));
    }

    #[test]
    fn legacy_alert_urls() {
        let legacy = BaseUrl::parse(LEGACY_BASE).unwrap();
        let mut q = IodaQuery::from_params(&params("from=1547114400&until=1547118000&page=4"), NOW).unwrap();
        assert_eq!(
            q.request_url(&legacy, IodaDialect::Legacy),
            "https://ioda.caida.org/ioda/data/alerts?from=1547114400&until=1547118000&annotateMeta=true&human=true"
        );
        q.entity = Some(EntityRef::parse("asn/3307").unwrap());
        assert_eq!(
            q.request_url(&legacy, IodaDialect::Legacy),
            "https://ioda.caida.org/ioda/data/alerts?from=1547114400&until=1547118000&annotateMeta=true&human=true\
             &meta=asn%2F3307"
        );
        q.entity = Some(EntityRef::parse("country").unwrap());
        assert!(q.request_url(&legacy, IodaDialect::Legacy).ends_with("&meta=country"));
        assert_eq!(q.check_dialect(IodaDialect::Legacy), Ok(()));
        q.entity = Some(EntityRef::parse("geoasn/138322-AF").unwrap());
        assert_eq!(q.check_dialect(IodaDialect::Legacy).unwrap_err().field, "entity");
        assert_eq!(q.check_dialect(IodaDialect::V2), Ok(()));
    }

    #[test]
    fn dialect_keys() {
        assert_eq!(IodaDialect::from_key("v2"), Some(IodaDialect::V2));
        assert_eq!(IodaDialect::from_key("legacy"), Some(IodaDialect::Legacy));
        assert_eq!(IodaDialect::from_key("v3"), None);
        for d in [IodaDialect::V2, IodaDialect::Legacy] {
            assert_eq!(IodaDialect::from_key(d.key()), Some(d));
        }
        assert_eq!(IodaDialect::default(), IodaDialect::V2);
    }

    #[test]
    fn entity_search_and_lookup_urls() {
        assert_eq!(
            entity_search_url(&base(), " new zealand "),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/entities/query?limit=15&search=new%20zealand"
        );
        assert_eq!(
            entity_search_url(&base(), "a&b=c"),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/entities/query?limit=15&search=a%26b%3Dc"
        );
        assert_eq!(
            entity_lookup_url(&base(), &EntityRef::parse("asn/3307").unwrap()),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/entities/query?entityType=asn&entityCode=3307"
        );
        assert_eq!(
            entity_lookup_url(&base(), &EntityRef::parse("continent").unwrap()),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/entities/query?entityType=continent"
        );
    }

    #[test]
    fn signals_urls_name_one_entity_and_the_window() {
        assert_eq!(
            signals_url(&base(), &EntityRef::parse("asn/AS3307").unwrap(), 1_700_000_000, 1_700_086_400).as_deref(),
            Some(
                "https://api.ioda.inetintel.cc.gatech.edu/v2/signals/raw/asn/3307?from=1700000000&until=1700086400&maxPoints=3000"
            )
        );
        assert_eq!(
            signals_url(&base(), &EntityRef::parse("region/4416").unwrap(), 1, 2).as_deref(),
            Some("https://api.ioda.inetintel.cc.gatech.edu/v2/signals/raw/region/4416?from=1&until=2&maxPoints=3000")
        );
        assert_eq!(signals_url(&base(), &EntityRef::parse("country").unwrap(), 1, 2), None);
    }

    #[test]
    fn outage_spans_run_from_an_outage_alert_to_its_series_next_alert() {
        let at = |time: i64, level: &str, ds: &str| IodaAlert {
            time,
            level: AlertLevel::from_key(level),
            datasource: ds.into(),
            entity: IodaEntity {
                kind: EntityKind::Asn,
                code: "3307".into(),
                name: None,
                fqid: None,
                attrs: BTreeMap::new(),
            },
            condition: None,
            value: None,
            history_value: Some(100.0),
            method: None,
            fqid: None,
        };
        let alerts = vec![
            at(1000, "warning", "bgp"),
            at(1300, "critical", "bgp"),
            at(1600, "normal", "bgp"),
            at(1200, "critical", "ping-slash24"),
            at(500, "critical", "merit-nt"),
            at(900, "normal", "merit-nt"),
            at(1900, "critical", "merit-nt"),
        ];
        let spans = outage_spans(&alerts, TimeRange::new(800, 2000).unwrap());
        let got: Vec<(i64, i64, &str, &str)> =
            spans.iter().map(|s| (s.from, s.until, s.level.key(), s.datasource.as_str())).collect();
        assert_eq!(
            got,
            [
                (800, 900, "critical", "merit-nt"),
                (1000, 1300, "warning", "bgp"),
                (1200, 2000, "critical", "ping-slash24"),
                (1300, 1600, "critical", "bgp"),
                (1900, 2000, "critical", "merit-nt"),
            ]
        );
        assert!(outage_spans(&alerts, TimeRange::new(2100, 2200).unwrap()).iter().all(|s| s.from == 2100));
        assert!(outage_spans(&alerts, TimeRange::new(0, 400).unwrap()).is_empty());
    }

    #[test]
    fn dashboard_links() {
        let us = EntityRef::parse("country/US").unwrap();
        assert_eq!(
            dashboard_url(Some(&us), 10, 20),
            "https://ioda.inetintel.cc.gatech.edu/country/US?from=10&until=20"
        );
        let asn = EntityRef::parse("asn").unwrap();
        assert_eq!(
            dashboard_url(Some(&asn), 10, 20),
            "https://ioda.inetintel.cc.gatech.edu/dashboard/asn?from=10&until=20"
        );
        let geoasn = EntityRef::parse("geoasn").unwrap();
        assert_eq!(
            dashboard_url(Some(&geoasn), 10, 20),
            "https://ioda.inetintel.cc.gatech.edu/dashboard?from=10&until=20"
        );
        assert_eq!(dashboard_url(None, 10, 20), "https://ioda.inetintel.cc.gatech.edu/dashboard?from=10&until=20");
        let mut q = IodaQuery::default_at(NOW);
        q.entity = Some(EntityRef::parse("region/4416").unwrap());
        assert_eq!(
            q.dashboard_url(),
            format!("https://ioda.inetintel.cc.gatech.edu/region/4416?from={}&until={}", q.range.from, q.range.until)
        );
    }

    // ----- helpers

    #[test]
    fn change_percent_needs_a_history() {
        let mut a = alert(0, AlertLevel::Warning, "bgp", "US");
        assert_eq!(a.change_percent(), None);
        a.value = Some(50.0);
        assert_eq!(a.change_percent(), None);
        a.history_value = Some(0.0);
        assert_eq!(a.change_percent(), None);
        a.history_value = Some(40.0);
        assert_eq!(a.change_percent(), Some(25.0));
        assert_eq!(a.change_label().as_deref(), Some("+25.0 %"));
    }

    #[test]
    fn level_and_datasource_filters() {
        assert!(level_shown(&[], &AlertLevel::Other("x".into())));
        assert!(level_shown(&[AlertLevel::Critical], &AlertLevel::Critical));
        assert!(!level_shown(&[AlertLevel::Critical], &AlertLevel::Normal));
        let mut q = IodaQuery::default_at(NOW);
        q.levels = vec![AlertLevel::Critical, AlertLevel::Warning];
        q.datasource = Some(Datasource::MeritNt);
        assert!(q.keeps(&alert(0, AlertLevel::Critical, "merit-nt", "US")));
        assert!(q.keeps(&alert(0, AlertLevel::Warning, "ucsd-nt", "US")));
        assert!(!q.keeps(&alert(0, AlertLevel::Normal, "merit-nt", "US")));
        assert!(!q.keeps(&alert(0, AlertLevel::Critical, "bgp", "US")));
        assert!(q.page_nav(500).has_next);
        assert!(!q.page_nav(12).has_next);
    }

    #[test]
    fn timeline_spans_until_the_series_next_alert() {
        let range = TimeRange { from: 1_000, until: 2_000 };
        let alerts = vec![
            alert(1_500, AlertLevel::Normal, "bgp", "US"), // 0: ends the critical below
            alert(1_100, AlertLevel::Critical, "bgp", "US"), // 1
            alert(1_800, AlertLevel::Warning, "ping-slash24", "US"), // 2: open until the window end
            alert(900, AlertLevel::Critical, "bgp", "NZ"), // 3: started before the window
            alert(1_200, AlertLevel::Normal, "bgp", "NZ"), // 4
            alert(2_500, AlertLevel::Critical, "bgp", "NZ"), // 5: after the window
            alert(500, AlertLevel::Critical, "gtr", "NZ"), // 6: ended before the window
            alert(600, AlertLevel::Normal, "gtr", "NZ"),   // 7
        ];
        let rows = timeline(&alerts, range, TimelineGroup::Datasource);
        let labels: Vec<_> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, vec!["bgp", "ping-slash24"]);
        let bgp = &rows[0].segments;
        let spans: Vec<_> = bgp.iter().map(|s| (s.alert_index, s.start_frac, s.end_frac)).collect();
        assert_eq!(spans, vec![(3, 0.0, 0.2), (1, 0.1, 0.5), (4, 0.2, 0.2 + TICK_FRAC), (0, 0.5, 0.5 + TICK_FRAC)]);
        assert_eq!(bgp[0].level, AlertLevel::Critical);
        let ping = &rows[1].segments;
        assert_eq!((ping[0].alert_index, ping[0].start_frac, ping[0].end_frac), (2, 0.8, 1.0));
        assert_eq!(ping[0].level, AlertLevel::Warning);

        let rows = timeline(&alerts, range, TimelineGroup::Entity);
        let labels: Vec<_> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, vec!["Land NZ", "Land US"]);
        assert_eq!(rows[0].segments.iter().map(|s| s.alert_index).collect::<Vec<_>>(), vec![3, 4]);
        assert_eq!(rows[1].segments.iter().map(|s| s.alert_index).collect::<Vec<_>>(), vec![1, 0, 2]);
        for row in &rows {
            for s in &row.segments {
                assert!((0.0..=1.0).contains(&s.start_frac) && (0.0..=1.0).contains(&s.end_frac));
                assert!(s.start_frac <= s.end_frac);
            }
        }
        assert!(timeline(&[], range, TimelineGroup::Entity).is_empty());
    }

    /// Two Google-transparency series of one entity, as v2 sends them (no fqid): WEB_SEARCH (history
    /// ~5000) goes critical at 100 and recovers at 700; YOUTUBE (history ~90) is critical from 200 to 400.
    fn two_gtr_series() -> Vec<IodaAlert> {
        let mk = |time, level, history: f64| IodaAlert {
            value: Some(history * if level == AlertLevel::Normal { 1.0 } else { 0.2 }),
            history_value: Some(history),
            ..alert(time, level, "gtr", "US")
        };
        vec![
            mk(100, AlertLevel::Critical, 5_000.0), // 0: WEB_SEARCH
            mk(200, AlertLevel::Critical, 90.0),    // 1: YOUTUBE
            mk(400, AlertLevel::Normal, 91.0),      // 2: YOUTUBE
            mk(700, AlertLevel::Normal, 4_990.0),   // 3: WEB_SEARCH
        ]
    }

    fn spans(row: &TimelineRow) -> Vec<(usize, f64, f64)> {
        row.segments.iter().map(|s| (s.alert_index, s.start_frac, s.end_frac)).collect()
    }

    #[test]
    fn each_series_of_one_datasource_keeps_its_own_bars() {
        let range = TimeRange { from: 0, until: 1_000 };
        let rows = timeline(&two_gtr_series(), range, TimelineGroup::Datasource);
        assert_eq!(rows.len(), 2, "one row per series: {rows:?}");
        // WEB_SEARCH's outage lasts until its own recovery, not until YOUTUBE's alert at 200.
        assert_eq!(spans(&rows[0]), vec![(0, 0.1, 0.7), (3, 0.7, 0.7 + TICK_FRAC)]);
        assert_eq!(spans(&rows[1]), vec![(1, 0.2, 0.4), (2, 0.4, 0.4 + TICK_FRAC)]);
        // v2 names no fqid: the rows are named by order of first alert.
        assert_eq!((rows[0].label.as_str(), rows[0].series.as_deref()), ("gtr", Some("series 1")));
        assert_eq!((rows[1].label.as_str(), rows[1].series.as_deref()), ("gtr", Some("series 2")));
        let tags = alert_series(&two_gtr_series());
        assert_eq!(tags.iter().map(|t| t.rank).collect::<Vec<_>>(), vec![0, 1, 1, 0]);
        // Grouped by entity, both series share the entity's row and still end where each recovers.
        let rows = timeline(&two_gtr_series(), range, TimelineGroup::Entity);
        assert_eq!(rows.len(), 1);
        let outages: Vec<_> = spans(&rows[0]).into_iter().filter(|(i, ..)| [0, 1].contains(i)).collect();
        assert_eq!(outages, vec![(0, 0.1, 0.7), (1, 0.2, 0.4)]);
    }

    #[test]
    fn legacy_alerts_name_their_series() {
        let alert = |fqid: &str, time: i64, level: &str, history: u32| {
            format!(
                r#"{{"fqid":"{fqid}","time":{time},"level":"{level}","method":"median","value":{history},"historyValue":{history},"metaType":"country","metaCode":"US","meta":{{"name":"United States","attrs":{{"fqid":"geo.netacuity.NA.US"}}}}}}"#
            )
        };
        let (web, yt) = ("gtr.WEB_SEARCH.geo.netacuity.NA.US", "gtr.YOUTUBE.geo.netacuity.NA.US");
        // The history values would pair them the other way: the fqid decides.
        let body = format!(
            r#"{{"type":"watchtower.alerts","error":null,"data":{{"alerts":[{},{},{},{}]}}}}"#,
            alert(web, 100, "critical", 90),
            alert(yt, 200, "critical", 5_000),
            alert(web, 400, "normal", 5_000),
            alert(yt, 700, "normal", 90),
        );
        let alerts = decode_legacy_alerts(&body).unwrap();
        assert!(alerts.iter().all(|a| a.datasource == "gtr"));
        let rows = timeline(&alerts, TimeRange { from: 0, until: 1_000 }, TimelineGroup::Datasource);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(spans(&rows[0]), vec![(0, 0.1, 0.4), (2, 0.4, 0.4 + TICK_FRAC)]);
        assert_eq!(spans(&rows[1]), vec![(1, 0.2, 0.7), (3, 0.7, 0.7 + TICK_FRAC)]);
        // Named by the fqid's own part: the datasource and the entity's fqid are dropped.
        assert_eq!(rows[0].series.as_deref(), Some("WEB_SEARCH"));
        assert_eq!(rows[1].series.as_deref(), Some("YOUTUBE"));
        assert_eq!(alerts[1].fqid.as_deref(), Some(yt));
    }

    #[test]
    fn one_series_per_datasource_stays_one_row_without_a_series_name() {
        // Every transition IODA keeps within one series: N→W→C→N→C→N→W→N.
        use AlertLevel::{Critical as C, Normal as N, Warning as W};
        let levels = [N, W, C, N, C, N, W, N];
        let alerts: Vec<IodaAlert> =
            levels.iter().enumerate().map(|(i, l)| alert(100 * i as i64, l.clone(), "bgp", "NO")).collect();
        let tags = alert_series(&alerts);
        assert!(tags.iter().all(|t| t.rank == 0 && t.label.is_none()), "{tags:?}");
        let rows = timeline(&alerts, TimeRange { from: 0, until: 1_000 }, TimelineGroup::Datasource);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].series, None);
        // Each bar ends at the next alert of the series.
        let bars: Vec<_> = spans(&rows[0]).into_iter().filter(|(i, ..)| alerts[*i].level.is_outage()).collect();
        assert_eq!(bars, vec![(1, 0.1, 0.2), (2, 0.2, 0.3), (4, 0.4, 0.5), (6, 0.6, 0.7)]);
        // Another entity's alerts of the same datasource are another series, not a second one of NO's.
        let mut both = alerts.clone();
        both.push(alert(150, C, "bgp", "SE"));
        assert!(alert_series(&both).iter().all(|t| t.label.is_none()));
    }

    #[test]
    fn unnamed_series_follow_the_squashing_rule() {
        use AlertLevel::{Critical as C, Normal as N, Warning as W};
        let seq = |levels: &[AlertLevel]| {
            let alerts: Vec<IodaAlert> =
                levels.iter().enumerate().map(|(i, l)| alert(10 * i as i64, l.clone(), "gtr", "BR")).collect();
            alert_series(&alerts).iter().map(|t| t.rank).collect::<Vec<_>>()
        };
        // Kept transitions stay in one series.
        assert_eq!(seq(&[N, C, N, W, C, N]), vec![0; 6]);
        // What squashing drops within a series cannot be one: C→C, C→W, W→W, N→N.
        assert_eq!(seq(&[C, C]), vec![0, 1]);
        assert_eq!(seq(&[C, W]), vec![0, 1]);
        assert_eq!(seq(&[W, W, N, N]), vec![0, 1, 0, 1]);
        // Without historical values a recovery ends the oldest open outage it may follow.
        assert_eq!(seq(&[C, C, N, N]), vec![0, 1, 0, 1]);
        assert!(alert_series(&[]).is_empty());
    }

    #[test]
    fn timeline_of_the_recorded_legacy_alerts() {
        let alerts = decode_legacy_alerts(LEGACY).unwrap();
        let range = TimeRange { from: 1_570_024_940, until: 1_570_072_282 };
        let rows = timeline(&alerts, range, TimelineGroup::Entity);
        let labels: Vec<_> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, vec!["Babil", "Karbala'", "Rugaju"]);
        let karbala = &rows[1].segments[0];
        assert_eq!(karbala.level, AlertLevel::Critical);
        assert_eq!(karbala.end_frac, 1.0);
        let expected = (1_570_070_400 - 1_570_024_940) as f64 / (1_570_072_282 - 1_570_024_940) as f64;
        assert!((karbala.start_frac - expected).abs() < 1e-12);
    }

    // ----- export

    #[test]
    fn exports_flat_rows() {
        let alerts = decode_legacy_alerts(LEGACY).unwrap();
        let csv = to_csv(&alerts);
        let lines: Vec<_> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "time_utc,time_unix,level,entity_type,entity_code,entity_name,datasource,condition,value,history_value,\
             change_percent,method"
        );
        assert_eq!(lines[1], "2019-10-03T02:40:00Z,1570070400,normal,region,1870,Babil,bgp,,,,,last_value");
        assert_eq!(
            lines[3],
            "2019-10-03T02:40:00Z,1570070400,critical,region,2389,Rugaju,bgp,< historical * 0.5,0,1,-100,last_value"
        );
        assert_eq!(lines.len(), 4);

        let json: serde_json::Value = serde_json::from_str(&to_json(&alerts)).unwrap();
        assert_eq!(json[1]["time_utc"], "2019-10-03T02:40:00Z");
        assert_eq!(json[1]["time_unix"], 1_570_070_400);
        assert_eq!(json[1]["level"], "critical");
        assert_eq!(json[1]["entity_name"], "Karbala'");
        assert_eq!(json[1]["history_value"], 59.0);
        assert_eq!(json[0]["value"], serde_json::Value::Null);
        let change = json[1]["change_percent"].as_f64().unwrap();
        assert!((change - (7.0 - 59.0) / 59.0 * 100.0).abs() < 1e-9);
    }

    // ----- page helpers

    #[test]
    fn busiest_rows_drop_hidden_levels_and_keep_the_busiest() {
        let seg =
            |level: AlertLevel, i: usize| TimelineSegment { start_frac: 0.0, end_frac: 0.1, level, alert_index: i };
        let rows = vec![
            TimelineRow { label: "a".into(), series: None, segments: vec![seg(AlertLevel::Normal, 0)] },
            TimelineRow {
                label: "b".into(),
                series: None,
                segments: vec![seg(AlertLevel::Critical, 1), seg(AlertLevel::Normal, 2)],
            },
            TimelineRow { label: "c".into(), series: None, segments: vec![seg(AlertLevel::Warning, 3)] },
            TimelineRow {
                label: "d".into(),
                series: None,
                segments: vec![seg(AlertLevel::Critical, 4), seg(AlertLevel::Warning, 5), seg(AlertLevel::Critical, 6)],
            },
        ];
        let (all, left_out) = busiest_rows(rows.clone(), &[], 10);
        assert_eq!(all.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), vec!["d", "b", "a", "c"]);
        assert_eq!(left_out, 0);
        let (top, left_out) = busiest_rows(rows.clone(), &[AlertLevel::Critical, AlertLevel::Warning], 2);
        assert_eq!(top.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), vec!["d", "b"]);
        assert_eq!(top[1].segments.len(), 1);
        assert_eq!(left_out, 1, "a is empty once normal alerts are hidden; c does not fit");
        assert_eq!(busiest_rows(vec![], &[], 20), (vec![], 0));
    }

    #[test]
    fn axis_ticks_fall_on_round_utc_times() {
        // 2024-01-01 00:00:30 → 2024-01-02 00:00:00 (the last-24-h window, minute-aligned)
        let day = TimeRange { from: 1_704_067_230 - 86_400 + 30, until: 1_704_067_200 };
        let ticks = timeline_axis(day, 8);
        assert!(ticks.len() <= 8 && ticks.len() >= 4, "{ticks:?}");
        assert!(ticks.iter().all(|t| t.time % 10_800 == 0 && (0.0..=1.0).contains(&t.frac)));
        assert!(ticks[0].label.contains(' '), "the first tick carries the date: {}", ticks[0].label);
        assert_eq!(ticks.last().unwrap().label, "01-01 00:00");
        assert_eq!(ticks[1].label.len(), 5);

        let month = TimeRange { from: 1_700_000_000, until: 1_700_000_000 + 30 * 86_400 };
        let ticks = timeline_axis(month, 8);
        assert!(ticks.len() <= 8);
        assert!(ticks.iter().all(|t| t.time % 86_400 == 0 && t.label.len() == 10));

        let long = TimeRange { from: 0, until: 100 * 86_400 };
        assert!(timeline_axis(long, 6).len() <= 6);
        let tiny = TimeRange { from: 1_000, until: 1_001 };
        assert!(timeline_axis(tiny, 1).len() <= 2);
    }

    #[test]
    fn typed_entities_are_references_or_search_text() {
        let asn = |n: &str| EntityRef { kind: EntityKind::Asn, code: Some(n.into()) };
        assert_eq!(typed_entity("asn/3307"), Some(Ok(asn("3307"))));
        assert_eq!(typed_entity(" 3307 "), Some(Ok(asn("3307"))));
        assert_eq!(typed_entity("AS3307"), Some(Ok(asn("3307"))));
        assert_eq!(
            typed_entity("country/us"),
            Some(Ok(EntityRef { kind: EntityKind::Country, code: Some("US".into()) }))
        );
        assert_eq!(typed_entity("Region"), Some(Ok(EntityRef { kind: EntityKind::Region, code: None })));
        assert!(typed_entity("country/Norway").unwrap().is_err());
        assert!(typed_entity("99999999999").unwrap().is_err());
        assert_eq!(typed_entity("Norway"), None);
        assert_eq!(typed_entity("Blue Sky"), None);
        assert_eq!(typed_entity("AS"), None);
        assert_eq!(typed_entity("  "), None);
    }
}
