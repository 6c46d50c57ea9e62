//! What an AS is called and by whom: the name and organisation from IODA's entity metadata or
//! GRIP's per-AS info (ASRank), for the headings of the entity pages.

use crate::api::grip::GripEvent;
use crate::api::ioda::{EntityKind, IodaEntity};
use crate::api::Source;

/// An AS's name (`BANETELE-NORWAY`) and organisation (`Telenor Norge AS`), and the service that
/// gave them. At least one of the two is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkName {
    pub name: Option<String>,
    pub org: Option<String>,
    pub source: Source,
}

impl NetworkName {
    fn new(name: Option<&str>, org: Option<&str>, asn: u32, source: Source) -> Option<NetworkName> {
        let name = name.and_then(|n| usable(n, asn));
        let org = org.and_then(|o| usable(o, asn)).filter(|o| Some(o) != name.as_ref());
        (name.is_some() || org.is_some()).then_some(NetworkName { name, org, source })
    }

    /// What the heading shows after the AS number: the name, else the organisation.
    pub fn title(&self) -> &str {
        self.name.as_deref().or(self.org.as_deref()).unwrap_or_default()
    }

    /// The organisation when the heading shows the name (nothing to add otherwise).
    pub fn org_beside_title(&self) -> Option<&str> {
        self.name.as_ref().and(self.org.as_deref())
    }

    /// The source note: "name from IODA".
    pub fn source_note(&self) -> String {
        format!("name from {}", self.source.name())
    }
}

/// Trimmed text that says more than the AS number itself (IODA names an AS it does not know
/// `AS<n>`), and not a stringified null.
fn usable(text: &str, asn: u32) -> Option<String> {
    let t = text.trim();
    let bare = t.strip_prefix("AS").or_else(|| t.strip_prefix("as")).unwrap_or(t);
    let says_nothing = t.is_empty() || t.eq_ignore_ascii_case("null") || bare == asn.to_string();
    (!says_nothing).then(|| t.to_string())
}

/// The AS's name from an `/entities/query?entityType=asn&entityCode=N` answer: `attrs.name` and
/// `attrs.org`, else what is inside the brackets of the entity's name (`AS3307 (BANETELE-NORWAY)`).
/// `None` when IODA has no entity for it, or only the synthetic one (`AS3307`, no attributes).
pub fn from_ioda(entities: &[IodaEntity], asn: u32) -> Option<NetworkName> {
    let code = asn.to_string();
    let e = entities.iter().find(|e| e.kind == EntityKind::Asn && e.code.trim() == code)?;
    let bracketed = e.name.as_deref().and_then(bracketed);
    let name = e.attr("name").and_then(|n| usable(n, asn)).or(bracketed);
    NetworkName::new(name.as_deref(), e.attr("org"), asn, Source::Ioda)
}

/// `AS3307 (BANETELE-NORWAY)` → `BANETELE-NORWAY`.
fn bracketed(label: &str) -> Option<String> {
    let inner = label.trim().split_once('(')?.1;
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    Some(inner.trim().to_string()).filter(|s| !s.is_empty())
}

/// The AS's name from the `asinfo` of GRIP events (ASRank's AS name and organisation), from the
/// first event that has either.
pub fn from_grip(events: &[GripEvent], asn: u32) -> Option<NetworkName> {
    let key = asn.to_string();
    events.iter().find_map(|e| {
        let rank = e.as_info(&key)?.asrank.as_ref()?;
        let org = rank.organization.as_ref().and_then(|o| o.org_name.as_deref());
        NetworkName::new(rank.asn_name.as_deref(), org, asn, Source::Grip)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::grip::decode_events;
    use crate::api::ioda::{decode_entities, decode_v2_alerts};

    /// The shape IODA's `/entities/query?entityType=asn&entityCode=…` returns (envelope trimmed).
    fn lookup(data: &str) -> Vec<IodaEntity> {
        decode_entities(&format!(r#"{{"type":"entities.lookup","error":null,"data":{data}}}"#)).unwrap()
    }

    #[test]
    fn reads_name_and_org_from_the_recorded_ioda_entity() {
        // The entity of the recorded alert (IHR's copy of a real /outages/alerts answer).
        let body = include_str!("../../tests/fixtures/ioda/v2-outages-alerts-data-element-ihr.json");
        let entities: Vec<IodaEntity> = decode_v2_alerts(body).unwrap().into_iter().map(|a| a.entity).collect();
        let n = from_ioda(&entities, 36040).unwrap();
        assert_eq!(n.name.as_deref(), Some("YOUTUBE"));
        assert_eq!(n.org.as_deref(), Some("Google LLC"));
        assert_eq!((n.title(), n.org_beside_title()), ("YOUTUBE", Some("Google LLC")));
        assert_eq!(n.source_note(), "name from IODA");
        assert_eq!(from_ioda(&entities, 3307), None);
    }

    #[test]
    fn tolerates_missing_fields() {
        // org null (a real lookup shape), ip_count as text.
        let e = lookup(
            r#"[{"code":"9074","name":"AS9074 (KOCSISTEM)","type":"asn","attrs":{"fqid":"asn.9074","ip_count":"3328","name":"KOCSISTEM","org":null}}]"#,
        );
        assert_eq!(
            from_ioda(&e, 9074),
            Some(NetworkName { name: Some("KOCSISTEM".into()), org: None, source: Source::Ioda })
        );
        // No attrs name: the bracketed part of the entity name.
        let e = lookup(r#"[{"code":"3307","name":"AS3307 (BANETELE-NORWAY)","type":"asn","attrs":[]}]"#);
        assert_eq!(from_ioda(&e, 3307).unwrap().title(), "BANETELE-NORWAY");
        // Only the organisation: the heading uses it and adds nothing beside.
        let e = lookup(r#"[{"code":"3307","name":"AS3307","type":"asn","attrs":{"org":" Telenor Norge AS "}}]"#);
        let n = from_ioda(&e, 3307).unwrap();
        assert_eq!((n.title(), n.org_beside_title()), ("Telenor Norge AS", None));
        // Same name and org: said once.
        let e = lookup(r#"[{"code":"3307","type":"asn","attrs":{"name":"TELENOR","org":"TELENOR"}}]"#);
        assert_eq!(from_ioda(&e, 3307).unwrap().org, None);
        // No name at all, or a type mismatch.
        assert_eq!(from_ioda(&lookup(r#"[{"code":"3307","type":"asn"}]"#), 3307), None);
        assert_eq!(from_ioda(&lookup(r#"[{"code":"3307","name":"AS3307 (X)","type":"region"}]"#), 3307), None);
        assert_eq!(from_ioda(&lookup("null"), 3307), None);
    }

    #[test]
    fn the_synthetic_entity_of_an_unknown_as_names_nothing() {
        // What IODA returns for an AS it has no metadata for.
        let e = lookup(
            r#"[{"code":"64496","name":"AS64496","type":"asn","subnames":[],"attrs":{"fqid":"asn.64496","ip_count":0}}]"#,
        );
        assert_eq!(from_ioda(&e, 64496), None);
        let e = lookup(r#"[{"code":"64496","name":"AS64496 ()","type":"asn","attrs":{"name":"null","org":""}}]"#);
        assert_eq!(from_ioda(&e, 64496), None);
    }

    #[test]
    fn reads_asrank_names_from_grip_events() {
        let body = r#"{"data":[
            {"id":"moas-1-1_2","event_type":"moas","asinfo":{"1":{"asrank":null}}},
            {"id":"moas-2-34467_2","event_type":"moas","asinfo":{
              "34467":{"asrank":{"asn":"34467","asnName":"EXAMPLE-NET","rank":120,
                "organization":{"orgId":"ORG-1","orgName":"Example Org","country":{"iso":"ZA","name":"South Africa"}}}},
              "2":{"asrank":{"asn":"2","asnName":"","organization":{"orgName":"Only Org"}}}}}
          ],"recordsTotal":2,"recordsFiltered":2}"#;
        let events = decode_events(body).unwrap().data;
        let n = from_grip(&events, 34467).unwrap();
        assert_eq!(
            n,
            NetworkName { name: Some("EXAMPLE-NET".into()), org: Some("Example Org".into()), source: Source::Grip }
        );
        assert_eq!(n.source_note(), "name from GRIP");
        assert_eq!(from_grip(&events, 2).unwrap().title(), "Only Org");
        assert_eq!(from_grip(&events, 1), None);
        assert_eq!(from_grip(&events, 64500), None);
    }
}
