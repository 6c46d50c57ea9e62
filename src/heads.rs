//! The title and lead of each page whose code is in a chunk. A cold deep link shows them twice before
//! the page's code is here: first from the static boot screen (`netlens-dist` writes [`BY_PATH`] into
//! the small `boot-<hash>.js` that index.html runs before the wasm loads), then from the route while
//! the chunk is on its way. They are the page's largest text, so the first meaningful paint waits for
//! neither the wasm nor the chunk; the page then shows them with its own actions beside them.

/// A page's title and the sentence that says what it shows.
#[derive(Clone, Copy, Debug)]
pub struct Head {
    pub title: &'static str,
    pub lead: &'static str,
}

pub const SPOOFER: Head = Head {
    title: "Spoofer sessions",
    lead: concat!(
        "Tests run by CAIDA's Spoofer client: could a network send packets with forged source ",
        "addresses (no source address validation, BCP 38)? Filter by time, AS and country.",
    ),
};

pub const GRIP: Head = Head {
    title: "GRIP: BGP routing events",
    lead: concat!(
        "Possible prefix hijacks and route leaks detected by GRIP (Georgia Tech): MOAS, sub-MOAS, ",
        "DEFCON and new-edge events with the inference engine's suspicion. Newest events first.",
    ),
};

pub const GRIP_TAGS: Head = Head {
    title: "GRIP tag glossary",
    lead: concat!(
        "GRIP tags every event and prefix event with facts about it (newcomer origins, AS ",
        "relationships, history). The tags feed its inference engine and decide whether a ",
        "traceroute is worth running.",
    ),
};

pub const IODA: Head = Head {
    title: "IODA outage alerts",
    lead: concat!(
        "When IODA saw a country, region or network (AS) drop off the Internet: alerts from BGP, ",
        "active probing, a network telescope and Google traffic, on a timeline and in a table. ",
        "Times are UTC; every view is a link you can share.",
    ),
};

pub const IODA_SUMMARY: Head = Head {
    title: "What is out now",
    lead: concat!(
        "The countries, regions and networks IODA saw drop off the Internet in the window, ",
        "worst first: IODA’s overall score and each source’s (BGP, active probing, the network ",
        "telescope), with the number of outage events. Times are UTC.",
    ),
};

pub const SPAMHAUS: Head = Head {
    title: "Spamhaus SIA listings",
    lead: concat!(
        "Is anything in an address or prefix listed on XBL, CSS or BCL, since when, and why? ",
        "Queries run with your own SIA account and count against its quota.",
    ),
};

pub const SPAMHAUS_LIMITS: Head = Head {
    title: "Spamhaus SIA quota and limits",
    lead: "Your account's allowed datasets, its monthly and rate limits, and what it has used so far.",
};

/// Each head by its page's path, relative to the app's base and without slashes at either end, as
/// the boot screen looks it up from `location.pathname`.
pub const BY_PATH: &[(&str, Head)] = &[
    ("spoofer", SPOOFER),
    ("grip", GRIP),
    ("grip/tags", GRIP_TAGS),
    ("ioda", IODA),
    ("ioda/summary", IODA_SUMMARY),
    ("spamhaus", SPAMHAUS),
    ("spamhaus/limits", SPAMHAUS_LIMITS),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_head_has_one_path_and_reads_as_text() {
        let mut paths: Vec<&str> = BY_PATH.iter().map(|(p, _)| *p).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), BY_PATH.len(), "a path twice");
        for (path, head) in BY_PATH {
            assert!(!path.starts_with('/') && !path.ends_with('/') && !path.is_empty(), "{path}");
            assert!(!head.title.is_empty() && head.lead.ends_with('.'), "{path}: {head:?}");
            assert!(!head.title.contains('<') && !head.lead.contains('<'), "{path}: plain text only");
        }
        let titles: Vec<&str> = BY_PATH.iter().map(|(_, h)| h.title).collect();
        assert!(titles.contains(&GRIP.title) && titles.contains(&SPAMHAUS_LIMITS.title));
    }
}
