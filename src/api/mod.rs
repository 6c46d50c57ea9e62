//! The pure core: everything about the four services that needs no browser (URLs, queries,
//! validation, response models, paging, time and export). `cargo test` runs it natively.

pub mod cache;
/// Signal charts: series → scaled lines, gaps, outage bands and the cursor's readout.
pub mod chart;
/// Where sources meet: a GRIP event's attackers against Spoofer's measurements of them.
pub mod correlate;
pub mod error;
pub mod export;
pub mod grip;
pub mod ioda;
/// Tolerant decoding helpers shared by every source: numbers that arrive as strings, nulls, odd shapes.
pub mod lenient;
/// What an AS is called (IODA entity metadata, GRIP's ASRank info), for the entity pages' headings.
pub mod names;
pub mod page;
pub mod query;
pub mod reach;
pub mod search;
pub mod spamhaus;
pub mod spoofer;
pub mod time;
/// The entity pages' cross-source timeline: every source's marks on one axis.
pub mod timeline;

use std::fmt;

/// The data services NetLens queries. A fifth source gets a variant here, a module beside this
/// file, a page folder under `pages/` and a route in `app.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Spoofer,
    Grip,
    Ioda,
    Spamhaus,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Spoofer, Source::Grip, Source::Ioda, Source::Spamhaus];

    /// The key used in `config.json`, in Settings and in routes.
    pub fn key(self) -> &'static str {
        match self {
            Source::Spoofer => "spoofer",
            Source::Grip => "grip",
            Source::Ioda => "ioda",
            Source::Spamhaus => "spamhaus",
        }
    }

    /// The name a user knows the service by.
    pub fn name(self) -> &'static str {
        match self {
            Source::Spoofer => "CAIDA Spoofer",
            Source::Grip => "GRIP",
            Source::Ioda => "IODA",
            Source::Spamhaus => "Spamhaus SIA",
        }
    }

    pub fn from_key(key: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in Source::ALL {
            assert_eq!(Source::from_key(s.key()), Some(s));
        }
        assert_eq!(Source::from_key("nope"), None);
    }
}
