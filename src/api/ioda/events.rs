//! IODA's outage events (`/outages/events`): spans from a non-normal alert to the next normal one,
//! with IODA's score, as the entity pages and the explorer list them next to the alerts.

use super::{de_opt_f64, de_opt_i64, de_opt_string, decode_envelope, EntityRef, IGNORE_METHODS};
use crate::api::error::{decode, FetchError};
use crate::api::query::QueryParams;
use crate::api::time::{format_duration, TimeRange, Timestamp};
use crate::api::Source;
use crate::config::BaseUrl;
use serde::Deserialize;

/// Events one request asks for (IODA's default). An entity rarely has more in a 100-day window.
pub const EVENTS_LIMIT: u32 = 500;
/// The lookback IODA adds by default to find events that opened before `from`; NetLens sends it
/// explicitly so a change of default on the service cannot change what a permalink shows.
pub const EXTEND_WINDOW: i64 = 14 * 86_400;

/// One outage event, in IODA's default (`codf`) shape or its raw (`format=ioda`) one.
#[derive(Debug, Clone, PartialEq)]
pub struct IodaEvent {
    /// `asn/3307`, `country/NO`.
    pub location: String,
    pub location_name: Option<String>,
    pub start: Timestamp,
    /// Seconds; IODA closes an ongoing event at the window's end.
    pub duration: i64,
    pub datasource: String,
    pub method: Option<String>,
    pub score: Option<f64>,
    /// IODA's only sign of an ongoing event: the event runs into or out of the window.
    pub overlaps_window: bool,
}

/// Where an event stands relative to the window it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// Closed by a normal alert inside the window.
    Ended,
    /// Still open when the window ends (IODA cut it at `until`).
    Ongoing,
    /// Opened before the window and closed inside it.
    BeganBefore,
}

impl EventStatus {
    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Ended => "Ended",
            EventStatus::Ongoing => "Ongoing",
            EventStatus::BeganBefore => "Began before the window",
        }
    }
}

impl IodaEvent {
    pub fn end(&self) -> Timestamp {
        self.start.saturating_add(self.duration.max(0))
    }

    /// IODA flags both ends the same way; the times tell them apart. An event that reaches `until`
    /// is ongoing even when it also began before `from`.
    pub fn status(&self, range: TimeRange) -> EventStatus {
        if !self.overlaps_window {
            EventStatus::Ended
        } else if self.end() >= range.until {
            EventStatus::Ongoing
        } else {
            EventStatus::BeganBefore
        }
    }

    /// "2 h 5 min", or "2 h 5 min so far" for an ongoing event.
    pub fn duration_label(&self, range: TimeRange) -> String {
        let d = format_duration(self.duration.max(0));
        match self.status(range) {
            EventStatus::Ongoing => format!("{d} so far"),
            _ => d,
        }
    }

    /// The entity the event is about, when its `location` is one NetLens can query.
    pub fn entity(&self) -> Option<EntityRef> {
        EntityRef::parse(&self.location).ok()
    }

    /// `bgp`, `ping-slash24`, … as people read them (`bgp` → "BGP").
    pub fn source_label(&self) -> String {
        match super::Datasource::from_key(&self.datasource) {
            Some(ds) => ds.label().to_string(),
            None => self.datasource.clone(),
        }
    }
}

/// The events of one entity over a window, as IODA's own entity page asks for them (SARIMA events
/// dropped, as for the alerts, so both lists tell the same story).
pub fn events_url(base: &BaseUrl, entity: &EntityRef, range: TimeRange) -> String {
    let mut q = QueryParams::new();
    q.push("from", range.from.to_string()).push("until", range.until.to_string());
    q.push("entityType", entity.kind.key());
    q.push_opt("entityCode", entity.code.as_deref());
    q.push("ignoreMethods", IGNORE_METHODS)
        .push("extendWindow", EXTEND_WINDOW.to_string())
        .push("orderBy", "time/asc")
        .push("limit", EVENTS_LIMIT.to_string());
    format!("{}{}", base.join("outages/events"), q.to_suffix())
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(default, deserialize_with = "de_opt_string")]
    location: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    location_name: Option<String>,
    /// `format=ioda`: the entity object instead of `location`.
    #[serde(default)]
    entity: Option<super::RawEntity>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    start: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    duration: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    from: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    until: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_string")]
    datasource: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    method: Option<String>,
    #[serde(default, deserialize_with = "de_opt_f64")]
    score: Option<f64>,
    #[serde(default)]
    overlaps_window: Option<serde_json::Value>,
}

impl RawEvent {
    /// `None` for an item without a start: there is nothing to place on a time axis.
    fn into_event(self) -> Option<IodaEvent> {
        let start = self.start.or(self.from)?;
        let duration = self.duration.or_else(|| self.until.map(|u| u - start)).unwrap_or(0).max(0);
        let (location, location_name) = match self.entity.map(super::IodaEntity::from) {
            Some(e) => (format!("{}/{}", e.kind.key(), e.code), e.name),
            None => (self.location.unwrap_or_default(), self.location_name),
        };
        let overlaps_window = match self.overlaps_window {
            Some(serde_json::Value::Bool(b)) => b,
            Some(serde_json::Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
            Some(serde_json::Value::String(s)) => matches!(s.trim(), "true" | "1"),
            _ => false,
        };
        Some(IodaEvent {
            location,
            location_name: location_name.filter(|n| !n.trim().is_empty()),
            start,
            duration,
            datasource: self.datasource.unwrap_or_default(),
            method: self.method,
            score: self.score,
            overlaps_window,
        })
    }
}

/// `/outages/events` (`outages.events`), the envelope or a bare `data` array; items without a
/// start are dropped, the rest sorted by start.
pub fn decode_events(body: &str) -> Result<Vec<IodaEvent>, FetchError> {
    let raw: Vec<RawEvent> = if body.trim_start().starts_with('[') {
        decode(Source::Ioda, body)?
    } else {
        decode_envelope(body, "outages.events")?.unwrap_or_default()
    };
    let mut events: Vec<IodaEvent> = raw.into_iter().filter_map(RawEvent::into_event).collect();
    events.sort_by_key(|e| e.start);
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ioda::EntityKind;

    fn range() -> TimeRange {
        TimeRange::new(1_700_000_000, 1_700_086_400).unwrap()
    }

    fn enveloped(data: &str) -> String {
        format!(
            r#"{{"type":"outages.events","metadata":{{}},"requestParameters":{{}},"error":null,"perf":null,"data":{data},"copyright":"x"}}"#
        )
    }

    #[test]
    fn the_request_names_the_entity_window_and_ioda_defaults_explicitly() {
        let base = BaseUrl::parse("https://api.ioda.inetintel.cc.gatech.edu/v2").unwrap();
        let e = EntityRef::new(EntityKind::Asn, "AS3307").unwrap();
        let url = events_url(&base, &e, range());
        let (path, query) = url.split_once('?').unwrap();
        assert_eq!(path, "https://api.ioda.inetintel.cc.gatech.edu/v2/outages/events");
        let q = QueryParams::parse(query);
        assert_eq!(q.get("from"), Some("1700000000"));
        assert_eq!(q.get("until"), Some("1700086400"));
        assert_eq!(q.get("entityType"), Some("asn"));
        assert_eq!(q.get("entityCode"), Some("3307"));
        assert_eq!(q.get("ignoreMethods"), Some(IGNORE_METHODS));
        assert_eq!(q.get("extendWindow"), Some("1209600"));
        assert_eq!(q.get("orderBy"), Some("time/asc"));
        assert_eq!(q.get("limit"), Some("500"));
    }

    #[test]
    fn decodes_codf_items_tolerating_strings_nulls_and_unknown_fields() {
        let body = enveloped(
            r#"[
            {"location":"asn/3307","start":"1700050000","duration":600,"uncertainty":null,"method":"median",
             "datasource":"bgp","status":0,"fraction":null,"score":1234.5,"location_name":"AS3307 (BANETELE)",
             "overlaps_window":false,"new_field":{"x":1}},
            {"location":"asn/3307","start":1699990000,"duration":20000,"datasource":"ping-slash24","score":null,
             "overlaps_window":true},
            {"location":"asn/3307","duration":5,"datasource":"bgp"}
        ]"#,
        );
        let events = decode_events(&body).unwrap();
        assert_eq!(events.len(), 2, "the item without a start is dropped");
        assert_eq!(events[0].start, 1_699_990_000, "sorted by start");
        assert_eq!(events[0].status(range()), EventStatus::BeganBefore);
        assert_eq!(events[1].location_name.as_deref(), Some("AS3307 (BANETELE)"));
        assert_eq!(events[1].end(), 1_700_050_600);
        assert_eq!(events[1].score, Some(1234.5));
        assert_eq!(events[1].status(range()), EventStatus::Ended);
        assert_eq!(events[1].entity().unwrap().asn(), Some(3307));
        assert_eq!(events[1].source_label(), "BGP");
    }

    #[test]
    fn an_event_cut_at_the_window_end_is_ongoing_even_when_it_began_before() {
        let r = range();
        let ev = |start: i64, end: i64, overlaps: bool| IodaEvent {
            location: "country/NO".into(),
            location_name: None,
            start,
            duration: end - start,
            datasource: "bgp".into(),
            method: None,
            score: None,
            overlaps_window: overlaps,
        };
        assert_eq!(ev(r.from + 10, r.until, true).status(r), EventStatus::Ongoing);
        assert_eq!(ev(r.from - 10, r.until, true).status(r), EventStatus::Ongoing);
        assert_eq!(ev(r.from - 10, r.from + 100, true).status(r), EventStatus::BeganBefore);
        assert!(ev(r.from + 10, r.until, true).duration_label(r).ends_with("so far"));
        assert!(!ev(r.from + 10, r.from + 70, false).duration_label(r).ends_with("so far"));
    }

    #[test]
    fn decodes_the_raw_ioda_format_and_a_bare_array() {
        let body = r#"[{"entity":{"code":"NO","name":"Norway","type":"country","attrs":{}},
            "from":1700010000,"until":1700013600,"score":9.5,"datasource":"merit-nt","method":"median"}]"#;
        let events = decode_events(body).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].location, "country/NO");
        assert_eq!(events[0].location_name.as_deref(), Some("Norway"));
        assert_eq!(events[0].duration, 3600);
        assert!(!events[0].overlaps_window);
    }

    #[test]
    fn a_service_error_or_another_answer_type_is_a_clear_message() {
        let err = decode_events(r#"{"type":"outages.events","error":"'from' timestamp must be set","data":null}"#)
            .unwrap_err();
        assert!(err.to_string().contains("'from' timestamp must be set"), "{err}");
        let other = decode_events(r#"{"type":"outages.alerts","error":null,"data":{"not":"a list"}}"#).unwrap_err();
        assert!(other.to_string().contains("outages.events"), "{other}");
        assert_eq!(decode_events(&enveloped("null")).unwrap(), vec![]);
    }
}
