//! Where sources meet: a GRIP event's attacker ASes checked against what Spoofer measured of them. Asked
//! for on demand from the event page (one Spoofer query per attacker), never by the event list.

use super::grip::{parse_asn, GripEvent};
use super::page::format_count;
use super::spoofer::{SpoofSummary, SpooferSession};
use super::time::{format_utc, Timestamp};

/// Attackers one check asks Spoofer about at most (an event rarely names more than two or three).
pub const MAX_ATTACKERS: usize = 8;

/// The event's attacker ASes that are AS numbers (not `*` or sets), each once, at most [`MAX_ATTACKERS`].
pub fn attacker_asns(ev: &GripEvent) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for a in &ev.summary.attackers {
        if let Ok(n) = parse_asn(a) {
            if !out.contains(&n) && out.len() < MAX_ATTACKERS {
                out.push(n);
            }
        }
    }
    out
}

/// What an AS's Spoofer sessions say about whether it can send spoofed packets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpoofEvidence {
    /// Spoofer has no session from the AS.
    Untested,
    /// At least one session's spoofed packets got through: the flag.
    CouldSpoof { got_through: u64, sessions: u64, latest: Option<Timestamp> },
    /// Every session with a verdict was blocked.
    CouldNot { sessions: u64, latest: Option<Timestamp> },
    /// Sessions, but none with a verdict.
    NoVerdict { sessions: u64 },
}

impl SpoofEvidence {
    /// `sessions`: the AS's newest sessions (any order).
    pub fn of(sessions: &[SpooferSession]) -> SpoofEvidence {
        let n = sessions.len() as u64;
        let latest = sessions.iter().filter_map(|s| s.timestamp).max();
        let any = SpoofSummary::could_spoof(sessions);
        match (n, any.got_through, any.conclusive) {
            (0, _, _) => SpoofEvidence::Untested,
            (_, g, _) if g > 0 => SpoofEvidence::CouldSpoof { got_through: g, sessions: n, latest },
            (_, _, 0) => SpoofEvidence::NoVerdict { sessions: n },
            _ => SpoofEvidence::CouldNot { sessions: n, latest },
        }
    }

    /// The flag a GRIP page shows beside the AS.
    pub fn is_flag(&self) -> bool {
        matches!(self, SpoofEvidence::CouldSpoof { .. })
    }

    /// "Could spoof: 3 of its latest 30 Spoofer sessions got spoofed packets through (latest 2026-11-02 10:00 UTC)."
    pub fn sentence(&self) -> String {
        let sessions = |n: u64| format!("{} Spoofer session{}", format_count(n), if n == 1 { "" } else { "s" });
        let latest = |t: &Option<Timestamp>| t.map(|t| format!(" (latest {})", format_utc(t))).unwrap_or_default();
        match self {
            SpoofEvidence::Untested => "Not tested: Spoofer has no session from this AS.".to_string(),
            SpoofEvidence::CouldSpoof { got_through, sessions: n, latest: l } => format!(
                "Could spoof: {} of its latest {} got spoofed packets through{}.",
                format_count(*got_through),
                sessions(*n),
                latest(l)
            ),
            SpoofEvidence::CouldNot { sessions: n, latest: l } => {
                format!("Could not spoof in its latest {}{}.", sessions(*n), latest(l))
            }
            SpoofEvidence::NoVerdict { sessions: n } => format!("No verdict in its latest {}.", sessions(*n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: u64, t: &str, routed: &str) -> SpooferSession {
        let raw = serde_json::from_str(&format!(
            r#"{{"session":{id},"timestamp":"{t}","routedspoof":"{routed}","asn4":"64500"}}"#
        ))
        .unwrap();
        SpooferSession::from_raw(raw).unwrap()
    }

    #[test]
    fn attackers_are_the_numeric_ases_each_once() {
        let body = r#"{"data":[{"id":"moas-1700000000-64500_64501","event_type":"moas","view_ts":1700000000,
            "summary":{"attackers":["64500","AS64501","*","64500","{1,2}"],"victims":["3356"]}}],
            "recordsTotal":1,"recordsFiltered":1}"#;
        let page = crate::api::grip::decode_events(body).unwrap();
        assert_eq!(attacker_asns(&page.data[0]), vec![64500, 64501]);
    }

    #[test]
    fn one_session_that_got_through_is_the_flag() {
        let e = SpoofEvidence::of(&[
            session(1, "2026-11-01T10:00:00Z", "blocked"),
            session(2, "2026-11-02T10:00:00Z", "received"),
        ]);
        assert_eq!(e, SpoofEvidence::CouldSpoof { got_through: 1, sessions: 2, latest: Some(1_793_613_600) });
        assert!(e.is_flag());
        assert_eq!(
            e.sentence(),
            "Could spoof: 1 of its latest 2 Spoofer sessions got spoofed packets through (latest 2026-11-02 10:00 UTC)."
        );
    }

    #[test]
    fn blocked_unknown_and_none_are_not_flags() {
        let blocked = SpoofEvidence::of(&[session(1, "2026-11-01T10:00:00Z", "blocked")]);
        assert!(matches!(blocked, SpoofEvidence::CouldNot { sessions: 1, .. }));
        assert!(blocked.sentence().starts_with("Could not spoof in its latest 1 Spoofer session ("));
        let unknown = SpoofEvidence::of(&[session(1, "2026-11-01T10:00:00Z", "unknown")]);
        assert_eq!(unknown, SpoofEvidence::NoVerdict { sessions: 1 });
        assert_eq!(SpoofEvidence::of(&[]), SpoofEvidence::Untested);
        assert!(![blocked, unknown, SpoofEvidence::Untested].iter().any(SpoofEvidence::is_flag));
    }
}
