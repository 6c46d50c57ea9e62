//! Property tests of every permalink parser: whatever a URL holds, parsing never panics, and a
//! query that parses comes back unchanged from its own permalink (parse(format(q)) == q).
#![cfg(not(target_arch = "wasm32"))]

use netlens::api::grip::{stored_prefix, GripQuery};
use netlens::api::ioda::IodaQuery;
use netlens::api::query::QueryParams;
use netlens::api::spamhaus::SpamhausQuery;
use netlens::api::spoofer::SpooferQuery;
use proptest::prelude::*;

const NOW: i64 = 1_795_392_780; // 2026-11-23 00:13 UTC

/// Values a user, a typo or a hostile link may put in a query string: plausible ones (so that many
/// queries parse) and hostile ones (so that the parsers meet them).
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        // plausible
        Just("3356".to_string()),
        Just("AS3307".to_string()),
        Just("!64496".to_string()),
        Just("45.150.206.0".to_string()),
        Just("45.150.206.0/24".to_string()),
        Just("2001:db8::/48".to_string()),
        // IPv6 prefixes spelt otherwise than GRIP stores them (upper case, zero-padded, host bits, dotted tail)
        Just("2001:DB8:0000:0000::/48".to_string()),
        Just("!2A00:A040:0:3:0:0:0:1/64".to_string()),
        Just("::1.2.3.4/120,::ffff:10.0.0.0/104".to_string()),
        Just("8.8.8.0/24,!1.1.1.0/24".to_string()),
        Just("country/NO".to_string()),
        Just("asn/3307".to_string()),
        Just("asn".to_string()),
        Just("bgp".to_string()),
        Just("critical,warning".to_string()),
        Just("moas".to_string()),
        Just("history".to_string()),
        Just("XBL".to_string()),
        Just("usa".to_string()),
        Just("2026-11-01".to_string()),
        Just("2026-11-20T10:30".to_string()),
        (1_700_000_000i64..1_795_392_780).prop_map(|n| n.to_string()),
        (0u32..2_000).prop_map(|n| n.to_string()),
        // hostile
        Just(String::new()),
        Just("-1".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("1e309".to_string()),
        Just("../../etc/passwd".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("%00%ff%".to_string()),
        Just("ß🙂\u{202e}ﬁ".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,24}",
        Just("x".repeat(10_000)),
    ]
}

fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        // IODA
        "from",
        "until",
        "entity",
        "source",
        "level",
        "page",
        // GRIP
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
        // Spoofer
        "after",
        "before",
        "asn",
        "country",
        "session",
        // Spamhaus
        "dataset",
        "mode",
        "type",
        "ip",
        "mask",
        "limit",
        "since",
        // never meaningful
        "token",
        "endpoint",
        "config",
    ])
}

/// A query string of up to 8 pairs (repeated keys included), percent-encoded as a browser would.
fn query_string() -> impl Strategy<Value = String> {
    prop::collection::vec((key(), value()), 0..8).prop_map(|pairs| QueryParams::from_pairs(pairs).to_query_string())
}

/// The round-trip law for one parser, written once for all four.
macro_rules! round_trips {
    ($name:ident, $query:ty) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
            #[test]
            fn $name(raw in query_string()) {
                let params = QueryParams::parse(&raw);
                if let Ok(q) = <$query>::from_params(&params, NOW) {
                    let link = q.to_params();
                    let again = <$query>::from_params(&link, NOW);
                    prop_assert_eq!(again.as_ref(), Ok(&q), "permalink {}", link.to_query_string());
                    // A permalink never carries anything but the query itself.
                    for (k, _) in link.pairs() {
                        prop_assert!(!["token", "endpoint", "config", "password"].contains(&k), "{} in {}", k, raw);
                    }
                }
            }
        }
    };
}

round_trips!(ioda_permalinks_round_trip, IodaQuery);
round_trips!(grip_permalinks_round_trip, GripQuery);
round_trips!(spoofer_permalinks_round_trip, SpooferQuery);
round_trips!(spamhaus_permalinks_round_trip, SpamhausQuery);

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    /// GRIP matches prefixes only as it stores them: a GRIP permalink (which is also the request) writes each
    /// prefix in that form, whatever spelling the link came with, and the form reads back to itself.
    #[test]
    fn grip_permalinks_write_prefixes_as_grip_stores_them(raw in query_string()) {
        let Ok(q) = GripQuery::from_params(&QueryParams::parse(&raw), NOW) else { return Ok(()) };
        let link = q.to_params();
        let written: Vec<&str> = link.get("pfxs").map(|v| v.split(',').collect()).unwrap_or_default();
        prop_assert_eq!(written.len(), q.pfxs.len());
        for (text, term) in written.iter().zip(&q.pfxs) {
            let body = text.strip_prefix('!').unwrap_or(text);
            prop_assert_eq!(text.starts_with('!'), term.negated);
            let want = stored_prefix(&term.value);
            prop_assert_eq!(body, want.as_str());
            prop_assert!(!body.chars().any(|c| c.is_ascii_uppercase()), "{}", body);
            let again: ipnet::IpNet = body.parse().map_err(|e| TestCaseError::fail(format!("{body}: {e}")))?;
            prop_assert_eq!(stored_prefix(&again), body);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// Raw bytes, not just well-formed pairs: the shared query parser and every source survive them.
    #[test]
    fn arbitrary_query_strings_never_panic(raw in "\\PC{0,200}") {
        let params = QueryParams::parse(&raw);
        let _ = IodaQuery::from_params(&params, NOW);
        let _ = GripQuery::from_params(&params, NOW);
        let _ = SpooferQuery::from_params(&params, NOW);
        let _ = SpamhausQuery::from_params(&params, NOW);
        // Formatting and parsing again keeps every pair.
        prop_assert_eq!(QueryParams::parse(&params.to_query_string()), params);
    }
}

/// The round-trip laws above only mean something if many generated links are valid queries:
/// this checks that each source accepts a good share of them (most carry at most a few keys).
#[test]
fn generated_links_exercise_valid_queries() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = query_string();
    let mut valid = [0u32; 4];
    const N: u32 = 400;
    for _ in 0..N {
        let raw = strategy.new_tree(&mut runner).expect("strategy").current();
        let p = QueryParams::parse(&raw);
        valid[0] += u32::from(IodaQuery::from_params(&p, NOW).is_ok());
        valid[1] += u32::from(GripQuery::from_params(&p, NOW).is_ok());
        valid[2] += u32::from(SpooferQuery::from_params(&p, NOW).is_ok());
        valid[3] += u32::from(SpamhausQuery::from_params(&p, NOW).is_ok());
    }
    eprintln!("valid generated links per source: {valid:?} of {N}");
    for (name, n) in ["ioda", "grip", "spoofer", "spamhaus"].iter().zip(valid) {
        assert!(n >= N / 10, "{name}: only {n} of {N} generated links are valid queries");
    }
}
