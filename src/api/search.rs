//! The search box: what a line of text the user typed can mean, and where each meaning leads.
//!
//! [`parse`] turns the text into one or more [`Reading`]s (a bare number is an AS number or a
//! Spoofer session id), or a message saying what is accepted. Countries come from the ISO 3166-1
//! list of the `isocountry` crate (alpha-2, alpha-3 or English name).

use crate::api::grip::GripEventId;
use crate::api::time::RangePreset;
use ipnet::IpNet;
use isocountry::CountryCode;
use std::fmt;
use std::net::IpAddr;

/// Longest input looked at; anything longer is junk (the longest valid reading is an IPv6 CIDR or
/// a GRIP event id, both far shorter).
pub const MAX_INPUT: usize = 512;

/// What the search box accepts, in words (shown under the box for unrecognised input).
pub const ACCEPTED: &str = "Type an AS number (AS3356), an IP address (192.0.2.1, 2001:db8::1), a prefix \
(192.0.2.0/24), a country (NO, NOR or Norway), a GRIP event id (moas-1649166000-208485_49392) or a \
Spoofer session (#891176).";

/// A country, by its ISO 3166-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country(CountryCode);

impl Country {
    /// An alpha-2 or alpha-3 code, any case.
    pub fn from_code(raw: &str) -> Option<Country> {
        let s = raw.trim();
        if !s.is_ascii() {
            return None;
        }
        // A scan of the 249 codes, not isocountry's per-length `match`: the search box is in the
        // first visit, and those two matches weigh ~15 KB of wasm where the scan weighs nothing.
        let code: fn(&CountryCode) -> &'static str = match s.len() {
            2 => CountryCode::alpha2,
            3 => CountryCode::alpha3,
            _ => return None,
        };
        CountryCode::iter().find(|c| code(c).eq_ignore_ascii_case(s)).copied().map(Country)
    }

    /// Upper-case alpha-2 (`NO`): the form NetLens's URLs and IODA use.
    pub fn alpha2(&self) -> &'static str {
        self.0.alpha2()
    }

    /// Upper-case alpha-3 (`NOR`); Spoofer writes it in lower case.
    pub fn alpha3(&self) -> &'static str {
        self.0.alpha3()
    }

    /// The ISO 3166-1 English short name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The flag emoji: the two regional-indicator symbols of the alpha-2 code.
    pub fn flag(&self) -> String {
        self.alpha2().chars().filter_map(|c| char::from_u32(0x1F1E6 + (c as u32 - 'A' as u32))).collect()
    }

    /// Every country, sorted by alpha-3 code.
    pub fn all() -> impl Iterator<Item = Country> {
        CountryCode::iter_alpha3().map(|c| Country(*c))
    }

    /// Countries whose English name is `raw` (any case), or starts with it at a word boundary
    /// ("iran" → "Iran (Islamic Republic of)", "united states" → two). Exact matches win.
    pub fn by_name(raw: &str) -> Vec<Country> {
        let want = fold(raw);
        if want.chars().count() < 3 {
            return Vec::new();
        }
        let exact: Vec<Country> = Country::all().filter(|c| fold(c.name()) == want).collect();
        if !exact.is_empty() {
            return exact;
        }
        let mut found: Vec<Country> = Country::all()
            .filter(|c| {
                let name = fold(c.name());
                name.strip_prefix(want.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',', '(']))
            })
            .collect();
        found.sort_by_key(|c| c.name());
        found
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lower case, single spaces, for comparing names.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One meaning of the search text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    Asn(u32),
    Address(IpAddr),
    /// A prefix, normalised; `host_bits` when the typed text had host bits set (`10.1.2.3/8`).
    Prefix {
        net: IpNet,
        host_bits: bool,
    },
    Country(Country),
    GripEvent(GripEventId),
    SpooferSession(u64),
}

impl Reading {
    /// The NetLens page for this reading (app-relative, for `AppContext::href`).
    pub fn target(&self) -> String {
        match self {
            Reading::Asn(n) => asn_path(*n),
            Reading::Address(a) => ip_path(a),
            Reading::Prefix { net, .. } => prefix_path(net),
            Reading::Country(c) => country_path(c),
            Reading::GripEvent(id) => format!("/grip/event/{}", id.as_str()),
            Reading::SpooferSession(n) => format!("/spoofer/session/{n}"),
        }
    }

    /// A short label for the reading, as a list option reads it.
    pub fn label(&self) -> String {
        match self {
            Reading::Asn(n) => format!("AS{n} (autonomous system)"),
            Reading::Address(a) => format!("{a} (IP address)"),
            Reading::Prefix { net, host_bits: false } => format!("{net} (prefix)"),
            Reading::Prefix { net, host_bits: true } => format!("{net} (prefix; host bits cleared)"),
            Reading::Country(c) => format!("{} {} ({})", c.flag(), c.name(), c.alpha2()),
            Reading::GripEvent(id) => format!("{} (GRIP event)", id.as_str()),
            Reading::SpooferSession(n) => format!("Spoofer session #{n}"),
        }
    }
}

/// `/asn/3356`.
pub fn asn_path(asn: u32) -> String {
    format!("/asn/{asn}")
}

/// `/ip/192.0.2.1` (IPv6 colons are path-safe).
pub fn ip_path(addr: &IpAddr) -> String {
    format!("/ip/{addr}")
}

/// `/prefix/192.0.2.0/24`, always with the host bits cleared.
pub fn prefix_path(net: &IpNet) -> String {
    let net = net.trunc();
    format!("/prefix/{}/{}", net.addr(), net.prefix_len())
}

/// `/country/NO`.
pub fn country_path(c: &Country) -> String {
    format!("/country/{}", c.alpha2())
}

/// The `window` parameter of an entity page: `1h`, `24h`, `7d` or `30d` (a picker preset).
pub fn parse_window(raw: &str) -> Result<RangePreset, String> {
    let key: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    RangePreset::ALL
        .into_iter()
        .find(|p| p.label().replace(' ', "") == key)
        .ok_or_else(|| format!("window “{}” is not one of 1h, 24h, 7d, 30d", raw.chars().take(20).collect::<String>()))
}

/// Reads an AS number: `3356`, `AS3356`, `as 3356`; 1 to 4294967295.
pub fn parse_asn(raw: &str) -> Option<u32> {
    let s = raw.trim();
    let digits = match s.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("as") => s[2..].trim_start(),
        _ => s,
    };
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|n| *n > 0)
}

/// Reads an IP address; IPv6 zone ids (`fe80::1%eth0`) are not accepted.
pub fn parse_addr(raw: &str) -> Option<IpAddr> {
    let s = raw.trim();
    if s.contains('%') {
        return None;
    }
    s.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(s).parse().ok()
}

/// Reads a CIDR prefix, normalised; the flag tells whether host bits were set.
pub fn parse_prefix(raw: &str) -> Option<(IpNet, bool)> {
    let s = raw.trim();
    if s.contains('%') {
        return None;
    }
    let net: IpNet = s.parse().ok()?;
    let trunc = net.trunc();
    Some((trunc, trunc != net))
}

/// Every reading of the search text, most likely first; `Err` says what is accepted.
pub fn parse(raw: &str) -> Result<Vec<Reading>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(format!("Nothing to search for. {ACCEPTED}"));
    }
    if s.len() > MAX_INPUT {
        return Err(format!("That is too long to be anything NetLens can look up. {ACCEPTED}"));
    }
    let mut out = Vec::new();
    // A session: `#891176`, `session 891176`.
    let session = s
        .strip_prefix('#')
        .or_else(|| s.get(..7).filter(|p| p.eq_ignore_ascii_case("session")).map(|_| s[7..].trim_start()));
    if let Some(rest) = session {
        let rest = rest.trim();
        if !rest.is_empty() && rest.len() <= 20 && rest.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(n) = rest.parse::<u64>().ok().filter(|n| *n > 0) {
                return Ok(vec![Reading::SpooferSession(n)]);
            }
        }
    }
    if let Some(n) = parse_asn(s) {
        out.push(Reading::Asn(n));
        // A bare number may also be a Spoofer session id.
        if s.bytes().all(|b| b.is_ascii_digit()) {
            out.push(Reading::SpooferSession(n as u64));
        }
        return Ok(out);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 20 {
        if let Some(n) = s.parse::<u64>().ok().filter(|n| *n > 0) {
            return Ok(vec![Reading::SpooferSession(n)]);
        }
    }
    if let Some(a) = parse_addr(s) {
        return Ok(vec![Reading::Address(a)]);
    }
    if let Some((net, host_bits)) = parse_prefix(s) {
        return Ok(vec![Reading::Prefix { net, host_bits }]);
    }
    if let Ok(id) = GripEventId::parse(s) {
        return Ok(vec![Reading::GripEvent(id)]);
    }
    if let Some(c) = Country::from_code(s) {
        out.push(Reading::Country(c));
    }
    for c in Country::by_name(s) {
        if !out.contains(&Reading::Country(c)) {
            out.push(Reading::Country(c));
        }
    }
    if out.is_empty() {
        let shown: String = s.chars().take(40).collect();
        let more = if s.chars().count() > 40 { "…" } else { "" };
        return Err(format!("NetLens does not recognise “{shown}{more}”. {ACCEPTED}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Reading {
        let r = parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(r.len(), 1, "{s}: {r:?}");
        r.into_iter().next().unwrap()
    }

    #[test]
    fn asns() {
        assert_eq!(one("AS3307"), Reading::Asn(3307));
        assert_eq!(one("as3307"), Reading::Asn(3307));
        assert_eq!(one(" AS 64496 "), Reading::Asn(64496));
        assert_eq!(one("AS4294967295"), Reading::Asn(4_294_967_295));
        assert_eq!(one("AS3307").target(), "/asn/3307");
        assert!(parse("AS0").is_err());
        assert!(parse("AS4294967296").is_err());
    }

    #[test]
    fn bare_number_is_ambiguous() {
        let r = parse("3307").unwrap();
        assert_eq!(r, vec![Reading::Asn(3307), Reading::SpooferSession(3307)]);
        assert_eq!(r[1].target(), "/spoofer/session/3307");
        // Too big for an AS number: only a session.
        assert_eq!(one("5000000000"), Reading::SpooferSession(5_000_000_000));
        assert!(parse("0").is_err());
    }

    #[test]
    fn sessions() {
        assert_eq!(one("#891176"), Reading::SpooferSession(891_176));
        assert_eq!(one("session 891176"), Reading::SpooferSession(891_176));
        assert_eq!(one("Session891176"), Reading::SpooferSession(891_176));
        assert_eq!(one("#891176").target(), "/spoofer/session/891176");
        assert!(parse("#").is_err());
        assert!(parse("#12a").is_err());
    }

    #[test]
    fn ipv4_and_prefixes() {
        assert_eq!(one("192.0.2.1"), Reading::Address("192.0.2.1".parse().unwrap()));
        assert_eq!(one("192.0.2.1").target(), "/ip/192.0.2.1");
        let p = one("45.150.206.0/24");
        assert_eq!(p, Reading::Prefix { net: "45.150.206.0/24".parse().unwrap(), host_bits: false });
        assert_eq!(p.target(), "/prefix/45.150.206.0/24");
        let h = one("10.1.2.3/8");
        assert_eq!(h, Reading::Prefix { net: "10.0.0.0/8".parse().unwrap(), host_bits: true });
        assert!(h.label().contains("host bits"));
        assert!(parse("10.0.0.0/33").is_err());
        assert!(parse("256.1.1.1").is_err());
    }

    #[test]
    fn ipv6_forms() {
        for s in ["::1", "::", "2001:db8::", "2001:db8::1", "[2001:db8::1]", "::ffff:192.0.2.1", "fe80::1"] {
            assert!(matches!(one(s), Reading::Address(IpAddr::V6(_))), "{s}");
        }
        assert_eq!(one("2001:DB8::1").target(), "/ip/2001:db8::1");
        let p = one("2001:db8::/32");
        assert_eq!(p.target(), "/prefix/2001:db8::/32");
        assert_eq!(one("2001:db8::1/32"), Reading::Prefix { net: "2001:db8::/32".parse().unwrap(), host_bits: true });
        assert!(parse("fe80::1%eth0").is_err(), "zone ids are rejected");
        assert!(parse("fe80::1%1/64").is_err());
        assert!(parse("2001:db8:::1").is_err());
    }

    #[test]
    fn countries() {
        let no = one("NO");
        assert_eq!(no.target(), "/country/NO");
        assert_eq!(one("nor"), no);
        assert_eq!(one("Norway"), no);
        assert_eq!(one("  norway "), no);
        assert_eq!(one("usa").target(), "/country/US");
        assert_eq!(one("Germany").target(), "/country/DE");
        assert_eq!(one("iran").target(), "/country/IR");
        let us = parse("United States").unwrap();
        assert!(us.len() >= 2 && us.contains(&Reading::Country(Country::from_code("US").unwrap())));
        let c = Country::from_code("no").unwrap();
        assert_eq!((c.alpha2(), c.alpha3(), c.name()), ("NO", "NOR", "Norway"));
        assert_eq!(c.flag(), "🇳🇴");
        assert!(Country::from_code("XX").is_none());
        assert!(Country::from_code("ü").is_none());
        assert_eq!(Country::all().count(), 249);
    }

    #[test]
    fn windows() {
        assert_eq!(parse_window("7d"), Ok(RangePreset::Week));
        assert_eq!(parse_window("24 h"), Ok(RangePreset::Day));
        assert_eq!(parse_window("1H"), Ok(RangePreset::Hour));
        assert_eq!(parse_window("30d"), Ok(RangePreset::Month));
        assert!(parse_window("2w").is_err());
        assert!(parse_window("ü").is_err());
    }

    #[test]
    fn grip_event_ids() {
        let r = one("moas-1649166000-208485_49392");
        assert!(matches!(r, Reading::GripEvent(_)));
        assert_eq!(r.target(), "/grip/event/moas-1649166000-208485_49392");
        assert!(parse("moas-x-1").is_err());
    }

    #[test]
    fn junk_says_what_is_accepted() {
        for s in ["", "   ", "hello world", "192.0.2", "zz", "<script>"] {
            let e = parse(s).unwrap_err();
            assert!(e.contains("AS number"), "{s}: {e}");
        }
    }

    #[test]
    fn long_and_unicode_input_never_panics() {
        let long = "9".repeat(10_000);
        assert!(parse(&long).is_err());
        let long_unicode = "ü".repeat(100);
        let e = parse(&long_unicode).unwrap_err();
        assert!(e.contains('…'));
        for s in ["ÄS3307", "AS３３０７", "#８９", "🇳🇴", "日本", "sessionü", "sessio", "a\u{0301}s1", "::ü", "1/ü"]
        {
            let _ = parse(s);
        }
        assert!(parse("99999999999999999999999").is_err());
    }
}
