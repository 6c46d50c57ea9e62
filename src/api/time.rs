//! Time in NetLens: every instant is Unix seconds, shown in UTC. One formatter, one parser.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Unix seconds, UTC.
pub type Timestamp = i64;

/// `2026-11-23 00:13 UTC`.
pub fn format_utc(ts: Timestamp) -> String {
    match DateTime::<Utc>::from_timestamp(ts, 0) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => format!("{ts} (out of range)"),
    }
}

/// `2026-11-23 00:13:59 UTC`, for detail pages.
pub fn format_utc_seconds(ts: Timestamp) -> String {
    match DateTime::<Utc>::from_timestamp(ts, 0) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => format!("{ts} (out of range)"),
    }
}

/// `2026-11-23T00:13`, the value an `<input type="datetime-local">` takes (read as UTC).
pub fn format_input(ts: Timestamp) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0).map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}

/// `3 h ago`, `in 5 min`, `just now`: the coarsest unit that is at least 1.
pub fn relative(ts: Timestamp, now: Timestamp) -> String {
    let delta = now - ts;
    let span = delta.unsigned_abs();
    if span < 60 {
        return "just now".into();
    }
    let (n, unit) = match span {
        s if s < 3_600 => (s / 60, "min"),
        s if s < 86_400 => (s / 3_600, "h"),
        s if s < 86_400 * 60 => (s / 86_400, "d"),
        s if s < 86_400 * 730 => (s / (86_400 * 30), "mo"),
        s => (s / (86_400 * 365), "y"),
    };
    if delta >= 0 {
        format!("{n} {unit} ago")
    } else {
        format!("in {n} {unit}")
    }
}

/// `23 h 12 min`, `5 min`, `2 d 3 h`: a duration in seconds for people.
pub fn format_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// Reads a UTC instant as users and APIs write it: Unix seconds, `YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM[:SS]`, `YYYY-MM-DD HH:MM[:SS]`, or RFC 3339 with an offset.
pub fn parse_instant(raw: &str) -> Result<Timestamp, String> {
    let s = raw.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .ok()
            .filter(|n| *n <= 253_402_300_799)
            .ok_or_else(|| format!("“{}” is not a valid Unix time", super::query::clip(s)));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(t.and_utc().timestamp());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp());
    }
    Err(format!(
        "“{}” is not a time NetLens reads: use YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC) or Unix seconds",
        super::query::clip(s)
    ))
}

/// The preset windows of the shared time-range picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangePreset {
    Hour,
    Day,
    Week,
    Month,
}

impl RangePreset {
    pub const ALL: [RangePreset; 4] = [RangePreset::Hour, RangePreset::Day, RangePreset::Week, RangePreset::Month];

    pub fn seconds(self) -> i64 {
        match self {
            RangePreset::Hour => 3_600,
            RangePreset::Day => 86_400,
            RangePreset::Week => 7 * 86_400,
            RangePreset::Month => 30 * 86_400,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RangePreset::Hour => "1 h",
            RangePreset::Day => "24 h",
            RangePreset::Week => "7 d",
            RangePreset::Month => "30 d",
        }
    }

    /// The window ending at `now`, rounded down to the minute so permalinks stay short and
    /// identical queries made within a minute share the cache.
    pub fn window(self, now: Timestamp) -> TimeRange {
        let until = now - now.rem_euclid(60);
        TimeRange { from: until - self.seconds(), until }
    }

    /// The preset a window matches, if its length is one of them.
    pub fn matching(range: TimeRange) -> Option<RangePreset> {
        RangePreset::ALL.into_iter().find(|p| p.seconds() == range.until - range.from)
    }
}

/// A closed window of time, `from` before `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub from: Timestamp,
    pub until: Timestamp,
}

impl TimeRange {
    /// Checks the order; the message suits the `until` field.
    pub fn new(from: Timestamp, until: Timestamp) -> Result<TimeRange, String> {
        if until <= from {
            Err(format!("must be after the start ({})", format_utc(from)))
        } else {
            Ok(TimeRange { from, until })
        }
    }

    pub fn seconds(self) -> i64 {
        self.until - self.from
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_588_862_099), "2020-05-07 14:34 UTC");
        assert_eq!(format_utc_seconds(1_588_862_099), "2020-05-07 14:34:59 UTC");
        assert_eq!(format_input(1_588_862_099), "2020-05-07T14:34");
        assert!(format_utc(i64::MAX).contains("out of range"));
    }

    #[test]
    fn relative_picks_the_coarsest_unit() {
        let now = 1_000_000;
        assert_eq!(relative(now - 10, now), "just now");
        assert_eq!(relative(now - 3 * 3_600 - 5, now), "3 h ago");
        assert_eq!(relative(now - 5 * 60, now), "5 min ago");
        assert_eq!(relative(now + 120, now), "in 2 min");
        assert_eq!(relative(now - 3 * 86_400, now), "3 d ago");
        assert_eq!(relative(now - 400 * 86_400, now), "13 mo ago");
        assert_eq!(relative(now - 800 * 86_400, now), "2 y ago");
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(format_duration(23 * 3_600 + 12 * 60 + 5), "23 h 12 min");
        assert_eq!(format_duration(300), "5 min");
        assert_eq!(format_duration(42), "42 s");
        assert_eq!(format_duration(2 * 86_400 + 3 * 3_600), "2 d 3 h");
        assert_eq!(format_duration(-5), "0 s");
    }

    #[test]
    fn parses_every_accepted_form_as_utc() {
        let t = 1_588_862_040; // 2020-05-07 14:34 UTC
        assert_eq!(parse_instant("1588862040"), Ok(t));
        assert_eq!(parse_instant("2020-05-07T14:34"), Ok(t));
        assert_eq!(parse_instant("2020-05-07 14:34:00"), Ok(t));
        assert_eq!(parse_instant("2020-05-07T16:34:00+02:00"), Ok(t));
        assert_eq!(parse_instant("2020-05-07"), Ok(t - 14 * 3_600 - 34 * 60));
        assert!(parse_instant("yesterday").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_instant("99999999999999999999").is_err());
    }

    #[test]
    fn presets_make_minute_aligned_windows() {
        let r = RangePreset::Day.window(1_000_030);
        assert_eq!(r.until, 1_000_020);
        assert_eq!(r.seconds(), 86_400);
        assert_eq!(RangePreset::matching(r), Some(RangePreset::Day));
        assert_eq!(RangePreset::matching(TimeRange { from: 0, until: 5 }), None);
        assert!(TimeRange::new(10, 5).is_err());
        assert!(TimeRange::new(10, 10).is_err());
    }
}
