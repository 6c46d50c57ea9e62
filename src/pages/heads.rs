//! The title and lead of each page whose code is in a chunk, in the first visit: the route shows them
//! while the chunk is on its way (a cold deep link reads what the page is at once, and it is the
//! page's largest text, so the first meaningful paint does not wait for the chunk), then the page
//! shows them with its own actions beside them.

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
