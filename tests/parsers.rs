//! Property tests of the parsers behind the search box, the entity routes (`/asn/:n`,
//! `/prefix/:addr/:len`, `/ip/:addr`, `/country/:cc`), the detail routes (GRIP event ids, Spoofer
//! session ids), IODA entity references and typed times: any text survives them, and whatever they
//! accept comes back unchanged through the link NetLens makes of it (parse(format(x)) == x).
#![cfg(not(target_arch = "wasm32"))]

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use netlens::api::grip::{
    decode_fingerprint, encode_fingerprint, stored_prefix, EventAses, EventType, GripEventId, GripQuery,
};
use netlens::api::ioda::EntityRef;
use netlens::api::query::QueryParams;
use netlens::api::search::{self, parse_addr, parse_asn, parse_prefix, parse_window, Country, Reading};
use netlens::api::spoofer::parse_session_id;
use netlens::api::time::{self, RangePreset};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The clock the GRIP query parser is given (its times are checked against it).
const NOW_GRIP: i64 = 1_795_392_780;

/// Text a user may type or a hostile link may carry: pieces of every accepted form glued to junk,
/// so the parsers meet near-misses, not only noise.
fn typed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("AS".to_string()),
        Just("as ".to_string()),
        Just("#".to_string()),
        Just("session ".to_string()),
        Just("moas-".to_string()),
        Just("submoas-".to_string()),
        Just("edges-".to_string()),
        Just("=".to_string()),
        Just("_".to_string()),
        Just("/".to_string()),
        Just(":".to_string()),
        Just("::".to_string()),
        Just(".".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("%".to_string()),
        Just("%25".to_string()),
        Just("%2F".to_string()),
        Just("+".to_string()),
        Just(" ".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{202e}".to_string()),
        Just("🙂".to_string()),
        Just("ß".to_string()),
        Just("Norway".to_string()),
        Just("united".to_string()),
        Just("NO".to_string()),
        Just("usa".to_string()),
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0u8..=255).prop_map(|n| n.to_string()),
        "[0-9a-f]{1,4}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn any_net() -> impl Strategy<Value = IpNet> {
    prop_oneof![
        (any::<u32>(), 0u8..=32).prop_map(|(a, l)| IpNet::V4(Ipv4Net::new(Ipv4Addr::from(a), l).expect("len ≤ 32"))),
        (any::<u128>(), 0u8..=128).prop_map(|(a, l)| IpNet::V6(Ipv6Net::new(Ipv6Addr::from(a), l).expect("len ≤ 128"))),
    ]
}

fn any_addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![any::<u32>().prop_map(|a| IpAddr::V4(a.into())), any::<u128>().prop_map(|a| IpAddr::V6(a.into()))]
}

/// What the entity and detail routes make of the path NetLens links to (the same functions the
/// route components call on their path segments).
fn route_reading(path: &str) -> Option<Reading> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["asn", n] => parse_asn(n).map(Reading::Asn),
        ["ip", a] => parse_addr(a).map(Reading::Address),
        ["prefix", addr, len] => {
            parse_prefix(&format!("{addr}/{len}")).map(|(net, _)| Reading::Prefix { net, host_bits: false })
        }
        ["country", cc] => Country::from_code(cc).map(Reading::Country),
        ["grip", "event", id] => GripEventId::parse(id).ok().map(Reading::GripEvent),
        ["spoofer", "session", n] => parse_session_id(n).ok().map(Reading::SpooferSession),
        _ => None,
    }
}

/// A reading as its route gives it back (a prefix's link drops the "host bits" remark).
fn normalised(r: &Reading) -> Reading {
    match r {
        Reading::Prefix { net, .. } => Reading::Prefix { net: *net, host_bits: false },
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// Whatever is typed, the search box answers readings or a message, and every reading's page
    /// is a route that reads the same thing back.
    #[test]
    fn search_box_never_panics_and_its_links_read_back(raw in prop_oneof![typed(), "\\PC{0,80}", "[ -~]{0,600}"]) {
        match search::parse(&raw) {
            Ok(readings) => {
                prop_assert!(!readings.is_empty());
                for r in &readings {
                    let path = r.target();
                    prop_assert!(path.starts_with('/') && !path.starts_with("//"), "{path}");
                    prop_assert!(!path.contains(['?', '#', '\\', ' ']), "{path}");
                    prop_assert_eq!(route_reading(&path), Some(normalised(r)), "{} → {}", raw, path);
                }
            }
            Err(msg) => {
                prop_assert!(msg.contains("AS number"), "the message says what is accepted: {msg}");
                prop_assert!(msg.chars().count() < 600, "the message clips what was typed");
            }
        }
    }

    #[test]
    fn every_as_number_reads_back(n in 1u32..) {
        prop_assert_eq!(search::parse(&format!("AS{n}")), Ok(vec![Reading::Asn(n)]));
        prop_assert_eq!(search::parse(&format!("as {n}")), Ok(vec![Reading::Asn(n)]));
        // A bare number is ambiguous, AS first.
        prop_assert_eq!(
            search::parse(&n.to_string()),
            Ok(vec![Reading::Asn(n), Reading::SpooferSession(u64::from(n))])
        );
    }

    #[test]
    fn every_session_id_reads_back(n in 1u64..) {
        prop_assert_eq!(search::parse(&format!("#{n}")), Ok(vec![Reading::SpooferSession(n)]));
        prop_assert_eq!(search::parse(&format!("session {n}")), Ok(vec![Reading::SpooferSession(n)]));
        prop_assert_eq!(parse_session_id(&format!("https://spoofer.caida.org/report.php?sessionid={n}&x=1")), Ok(n));
    }

    #[test]
    fn every_address_reads_back(a in any_addr()) {
        prop_assert_eq!(search::parse(&a.to_string()), Ok(vec![Reading::Address(a)]));
        if a.is_ipv6() {
            prop_assert_eq!(search::parse(&format!("[{a}]")), Ok(vec![Reading::Address(a)]));
            // Upper-case hex is the same address.
            prop_assert_eq!(search::parse(&a.to_string().to_uppercase()), Ok(vec![Reading::Address(a)]));
        }
    }

    #[test]
    fn every_prefix_reads_back_normalised(net in any_net()) {
        let trunc = net.trunc();
        let want = Reading::Prefix { net: trunc, host_bits: trunc != net };
        prop_assert_eq!(search::parse(&net.to_string()), Ok(vec![want.clone()]));
        prop_assert_eq!(route_reading(&want.target()), Some(Reading::Prefix { net: trunc, host_bits: false }));
    }

    /// Zone ids and percent signs never reach an address parser's output.
    #[test]
    fn zone_ids_are_refused(a in any::<u128>(), zone in "[a-z0-9]{1,8}") {
        let raw = format!("{}%{zone}", Ipv6Addr::from(a));
        prop_assert!(search::parse(&raw).is_err(), "{raw}");
    }

    /// Ids as GRIP writes them (each AS once per list, sorted as text; built by `GripEventId::build`) read
    /// back unchanged through the search box and the event route.
    #[test]
    fn grip_event_ids_read_back(
        kind in prop::sample::select(vec![EventType::Moas, EventType::Defcon, EventType::Submoas, EventType::Edges]),
        ts in 1_000_000_000i64..1_900_000_000,
        a in prop::collection::btree_set(1u32.., 1..4),
        b in prop::collection::btree_set(1u32.., 1..3),
    ) {
        let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
        let ases = match kind {
            EventType::Submoas => EventAses::Split { victims: a.clone(), attackers: b.clone() },
            EventType::Edges if a[0] != b[0] => EventAses::Edge(a[0], b[0]),
            EventType::Edges => return Ok(()),
            _ => EventAses::Origins(a.clone()),
        };
        let id = GripEventId::build(kind, ts, ases.clone()).map_err(|e| TestCaseError::fail(format!("{kind} {ts} {ases:?}: {e}")))?;
        let raw = id.as_str().to_string();
        prop_assert_eq!(id.event_type, kind);
        prop_assert_eq!(id.timestamp, ts);
        // The AS lists are GRIP's: distinct, sorted as text; an edge keeps its direction.
        let text_sorted = |v: &[u32]| {
            let mut t: Vec<String> = v.iter().map(u32::to_string).collect();
            t.sort();
            t.join("_")
        };
        let details = match &ases {
            EventAses::Origins(v) => text_sorted(v),
            EventAses::Split { victims, attackers } => format!("{}={}", text_sorted(victims), text_sorted(attackers)),
            EventAses::Edge(x, y) => format!("{x}_{y}"),
        };
        prop_assert_eq!(&raw, &format!("{kind}-{ts}-{details}"));
        prop_assert_eq!(GripEventId::parse(&raw), Ok(id.clone()));
        prop_assert_eq!(search::parse(&raw), Ok(vec![Reading::GripEvent(id.clone())]));
        prop_assert_eq!(route_reading(&format!("/grip/event/{raw}")), Some(Reading::GripEvent(id)));
    }

    /// An id that repeats an AS within a list is refused, with a message naming the AS (GRIP has no such
    /// event); building one writes the AS once instead.
    #[test]
    fn grip_event_ids_with_a_repeated_as_are_refused(
        kind in prop::sample::select(vec![EventType::Moas, EventType::Defcon, EventType::Submoas, EventType::Edges]),
        ts in 1_000_000_000i64..1_900_000_000,
        asn in 1u32..,
        others in prop::collection::vec(1u32.., 0..3),
    ) {
        let mut list = others.clone();
        list.push(asn);
        list.insert(0, asn);
        let join = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join("_");
        let raw = match kind {
            EventType::Submoas => format!("{kind}-{ts}-{}=1", join(&list)),
            EventType::Edges => format!("{kind}-{ts}-{asn}_{asn}"),
            _ => format!("{kind}-{ts}-{}", join(&list)),
        };
        let err = GripEventId::parse(&raw).unwrap_err();
        if kind == EventType::Edges {
            prop_assert!(err.contains("two different"), "{}: {}", raw, err);
        } else {
            prop_assert!(err.contains(&format!("AS{asn}")) || others.iter().any(|o| err.contains(&format!("AS{o}"))), "{}: {}", raw, err);
            prop_assert!(err.contains("more than once"), "{}: {}", raw, err);
            let built = match kind {
                EventType::Submoas => GripEventId::build(kind, ts, EventAses::Split { victims: list.clone(), attackers: vec![1] }),
                _ => GripEventId::build(kind, ts, EventAses::Origins(list.clone())),
            };
            let built = built.map_err(TestCaseError::fail)?;
            let ases = built.asns();
            let side = if kind == EventType::Submoas { &ases[..ases.len() - 1] } else { &ases[..] };
            prop_assert_eq!(side.iter().filter(|a| **a == asn).count(), 1, "{}", built);
        }
    }

    /// A prefix in any spelling is written as GRIP stores it (network address, lower case, zeros compressed,
    /// inet_ntop's dotted tails); that text reads back to itself, in a GRIP query and in a fingerprint.
    #[test]
    fn grip_prefixes_round_trip_in_the_stored_form(net in any_net(), upper in any::<bool>()) {
        let stored = stored_prefix(&net);
        let net_text = if upper { net.to_string().to_uppercase() } else { net.to_string() };
        prop_assert!(!stored.chars().any(|c| c.is_ascii_uppercase()), "{}", stored);
        let parsed: IpNet = stored.parse().map_err(|e| TestCaseError::fail(format!("{stored}: {e}")))?;
        prop_assert_eq!(parsed, net.trunc());
        prop_assert_eq!(stored_prefix(&parsed), stored.clone());
        if parsed.addr().is_ipv6() {
            // No zero-padded or uncompressable group: what inet_ntop writes.
            let addr = stored.split('/').next().unwrap_or_default();
            prop_assert!(addr.split(':').all(|g| g.len() <= 4 && !(g.len() > 1 && g.starts_with('0'))), "{}", stored);
            prop_assert!(addr.matches("::").count() <= 1, "{}", stored);
        }
        let q = GripQuery::from_params(&QueryParams::from_pairs(vec![("pfxs", net_text.as_str())]), NOW_GRIP)
            .map_err(|e| TestCaseError::fail(format!("{net_text}: {e:?}")))?;
        let link = q.to_params();
        prop_assert_eq!(link.get("pfxs"), Some(stored.as_str()));
        prop_assert_eq!(GripQuery::from_params(&link, NOW_GRIP), Ok(q));
        let fp = encode_fingerprint(&[net]);
        prop_assert_eq!(&fp, &stored.replace('/', "-"));
        prop_assert_eq!(decode_fingerprint(&fp.to_uppercase()), Ok(vec![net.trunc()]));
    }

    #[test]
    fn grip_event_id_parser_never_panics(raw in prop_oneof![typed(), "\\PC{0,300}"], now in 0i64..2_000_000_000) {
        if let Ok(id) = GripEventId::parse(&raw) {
            // Every character of an accepted id is safe in a URL path.
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)), "{}", id);
            prop_assert_eq!(GripEventId::parse(id.as_str()), Ok(id.clone()));
        }
        let _ = GripEventId::parse_at(&raw, now);
    }

    #[test]
    fn countries_read_back_by_code_and_name(c in prop::sample::select(Country::all().collect::<Vec<_>>())) {
        prop_assert_eq!(Country::from_code(c.alpha2()), Some(c));
        prop_assert_eq!(Country::from_code(&c.alpha3().to_lowercase()), Some(c));
        let by_name = search::parse(c.name()).map_err(TestCaseError::fail)?;
        prop_assert!(by_name.contains(&Reading::Country(c)), "{} → {:?}", c.name(), by_name);
        prop_assert_eq!(route_reading(&search::country_path(&c)), Some(Reading::Country(c)));
    }

    #[test]
    fn entity_route_segments_never_panic(seg in prop_oneof![typed(), "\\PC{0,60}"]) {
        let _ = parse_asn(&seg);
        let _ = parse_addr(&seg);
        let _ = parse_prefix(&seg);
        let _ = Country::from_code(&seg);
        let _ = parse_session_id(&seg);
        if let Ok(p) = parse_window(&seg) {
            prop_assert!(RangePreset::ALL.contains(&p));
        }
    }

    #[test]
    fn ioda_entity_refs_read_back(raw in prop_oneof![
        typed(),
        "(country|asn|region|continent|geoasn|county|city)(/[ -~]{0,12})?",
    ]) {
        if let Ok(e) = EntityRef::parse(&raw) {
            prop_assert_eq!(EntityRef::parse(&e.key()), Ok(e.clone()), "{}", raw);
        }
    }

    #[test]
    fn typed_times_read_back(ts in 0i64..253_402_300_799, raw in "\\PC{0,40}") {
        prop_assert_eq!(time::parse_instant(&ts.to_string()), Ok(ts));
        // The form the pickers show (minute precision) reads back to the same minute.
        let minute = ts - ts.rem_euclid(60);
        prop_assert_eq!(time::parse_instant(&time::format_input(minute)), Ok(minute));
        let _ = time::parse_instant(&raw);
    }

    /// Percent-encoding edge cases: truncated escapes, encoded separators, `+`, empty and
    /// repeated keys. Parsing never panics, and formatting then parsing keeps every pair in order.
    #[test]
    fn query_strings_with_odd_encoding_round_trip(parts in prop::collection::vec(prop_oneof![
        Just("%"), Just("%2"), Just("%zz"), Just("%25"), Just("%26"), Just("%3D"), Just("%00"), Just("%C3%A9"),
        Just("%FF"), Just("+"), Just("&"), Just("&&"), Just("="), Just("=="), Just(";"), Just("#"), Just("?"),
        Just("asn"), Just("asn[]"), Just("entity"), Just("token"), Just("a"), Just("é"), Just("🙂"),
    ], 0..30)) {
        let raw = parts.concat();
        let params = QueryParams::parse(&raw);
        let again = QueryParams::parse(&params.to_query_string());
        prop_assert_eq!(&again, &params);
        // Repeated keys stay repeated.
        let asn_count = params.pairs().filter(|(k, _)| *k == "asn").count();
        prop_assert_eq!(again.pairs().filter(|(k, _)| *k == "asn").count(), asn_count);
    }
}

#[test]
fn every_window_preset_reads_back() {
    for p in RangePreset::ALL {
        assert_eq!(parse_window(&p.label().replace(' ', "")), Ok(p));
        assert_eq!(parse_window(&p.label().to_uppercase()), Ok(p));
    }
    assert!(parse_window("2w").unwrap_err().contains("1h, 24h, 7d, 30d"));
}

#[test]
fn overlong_search_text_gets_a_message_not_a_lookup() {
    let long = format!("AS{}", "1".repeat(100_000));
    let msg = search::parse(&long).unwrap_err();
    assert!(msg.contains("too long"), "{msg}");
    assert!(search::parse(&"🙂".repeat(10_000)).is_err());
}
