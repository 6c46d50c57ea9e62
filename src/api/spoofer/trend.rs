//! Spoofability over time: Spoofer sessions grouped into UTC calendar months, quarters or years,
//! each bucket tallied as [`SpoofSummary`] tallies a page, for the trend chart and its one-line reading.

use super::{SpoofSummary, SpoofTally, SpoofTest, SpooferSession};
use crate::api::page::format_count;
use crate::api::time::Timestamp;
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc};
use std::slice;

/// How much time one point of the trend covers: a UTC calendar month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrendBucket {
    Month,
    Quarter,
    Year,
}

impl TrendBucket {
    pub const ALL: [TrendBucket; 3] = [TrendBucket::Month, TrendBucket::Quarter, TrendBucket::Year];

    pub fn label(self) -> &'static str {
        match self {
            TrendBucket::Month => "month",
            TrendBucket::Quarter => "quarter",
            TrendBucket::Year => "year",
        }
    }

    /// Years when the sessions span more than 3 years, quarters when more than 9 months, else
    /// months, so a chart has a handful to a few dozen points. Spans are calendar spans (9 months
    /// after 15 January is 15 October); the order of the two instants does not matter.
    pub fn for_span(first: Timestamp, last: Timestamp) -> TrendBucket {
        let (from, until) = (first.min(last), first.max(last));
        // An instant chrono cannot represent is hundreds of millennia away: the widest bucket.
        let Some(start) = DateTime::<Utc>::from_timestamp(from, 0) else { return TrendBucket::Year };
        let beyond =
            |months: u32| start.checked_add_months(Months::new(months)).is_none_or(|edge| until > edge.timestamp());
        if beyond(36) {
            TrendBucket::Year
        } else if beyond(9) {
            TrendBucket::Quarter
        } else {
            TrendBucket::Month
        }
    }

    fn months(self) -> u32 {
        match self {
            TrendBucket::Month => 1,
            TrendBucket::Quarter => 3,
            TrendBucket::Year => 12,
        }
    }

    /// The first day of the bucket holding `day`.
    fn start_of(self, day: NaiveDate) -> Option<NaiveDate> {
        let month = match self {
            TrendBucket::Month => day.month(),
            TrendBucket::Quarter => day.month0() / 3 * 3 + 1,
            TrendBucket::Year => 1,
        };
        NaiveDate::from_ymd_opt(day.year(), month, 1)
    }

    /// The first day of the following bucket.
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        start.checked_add_months(Months::new(self.months()))
    }

    /// The start of the bucket holding `ts`; `None` when chrono cannot represent it or its end.
    fn start_at(self, ts: Timestamp) -> Option<NaiveDate> {
        let start = self.start_of(DateTime::<Utc>::from_timestamp(ts, 0)?.date_naive())?;
        self.next(start).map(|_| start)
    }

    /// `2024`, `2024 Q3`, `Mar 2024`.
    fn name(self, start: NaiveDate) -> String {
        match self {
            TrendBucket::Year => start.format("%Y").to_string(),
            TrendBucket::Quarter => format!("{} Q{}", start.format("%Y"), start.month0() / 3 + 1),
            TrendBucket::Month => start.format("%b %Y").to_string(),
        }
    }
}

/// One bucket of the trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Midnight UTC of the bucket's first day.
    pub start: Timestamp,
    /// Exclusive: the start of the next bucket.
    pub end: Timestamp,
    /// `2024`, `2024 Q3` or `Mar 2024`.
    pub label: String,
    /// Sessions in the bucket; 0 for a gap in testing between the first and last bucket.
    pub sessions: u64,
    pub summary: SpoofSummary,
    /// [`SpoofSummary::could_spoof`] of the bucket's sessions.
    pub any: SpoofTally,
}

/// The first and last bucket with a verdict for one test, and the share that got through in each.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChange {
    pub from_label: String,
    /// got_through / conclusive in the first bucket with a verdict.
    pub from_share: f64,
    pub to_label: String,
    pub to_share: f64,
}

/// Sessions counted per calendar bucket, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct SpoofTrend {
    pub bucket: TrendBucket,
    /// Every bucket from the first dated session's to the last one's, empty ones included.
    pub points: Vec<TrendPoint>,
    /// Sessions without a usable timestamp (missing, unreadable or beyond chrono's range), in no bucket.
    pub undated: u64,
}

impl TrendPoint {
    /// "2021: 4 of 10 sessions with a verdict could spoof (40 %)", for a bar's label and the chart's text.
    pub fn reading(&self) -> String {
        match self.any.share() {
            _ if self.sessions == 0 => format!("{}: no sessions", self.label),
            None => format!("{}: {} without a verdict", self.label, sessions_text(self.sessions)),
            Some(share) => format!(
                "{}: {} of {} with a verdict could spoof ({:.0} %)",
                self.label,
                format_count(self.any.got_through),
                sessions_text(self.any.conclusive),
                share * 100.0
            ),
        }
    }
}

fn sessions_text(n: u64) -> String {
    format!("{} session{}", format_count(n), if n == 1 { "" } else { "s" })
}

impl SpoofTrend {
    /// The chart's text alternative: what it shows, for whom, per what, and every bucket's reading.
    pub fn describe(&self, subject: &str) -> String {
        match (self.points.first(), self.points.last()) {
            (Some(first), Some(last)) => format!(
                "Share of {subject}'s Spoofer sessions that could spoof in any test, by {}, {} to {}: {}.",
                self.bucket.label(),
                first.label,
                last.label,
                self.points.iter().map(TrendPoint::reading).collect::<Vec<_>>().join("; ")
            ),
            _ => format!("No dated Spoofer sessions of {subject} to follow over time."),
        }
    }

    /// Buckets chosen by [`TrendBucket::for_span`] over the dated sessions (months when there are none).
    pub fn of(sessions: &[SpooferSession]) -> SpoofTrend {
        let dated = sessions.iter().filter_map(|s| s.timestamp).filter(|ts| DateTime::from_timestamp(*ts, 0).is_some());
        let span = dated.fold(None, |acc: Option<(Timestamp, Timestamp)>, ts| match acc {
            None => Some((ts, ts)),
            Some((lo, hi)) => Some((lo.min(ts), hi.max(ts))),
        });
        let bucket = span.map_or(TrendBucket::Month, |(lo, hi)| TrendBucket::for_span(lo, hi));
        SpoofTrend::with_bucket(sessions, bucket)
    }

    /// The sessions in buckets of the given width; the sessions may come in any order.
    pub fn with_bucket(sessions: &[SpooferSession], bucket: TrendBucket) -> SpoofTrend {
        let mut undated = 0;
        let mut placed: Vec<(NaiveDate, &SpooferSession)> = Vec::with_capacity(sessions.len());
        for s in sessions {
            match s.timestamp.and_then(|ts| bucket.start_at(ts)) {
                Some(start) => placed.push((start, s)),
                None => undated += 1,
            }
        }
        let (Some(first), Some(last)) = (placed.iter().map(|p| p.0).min(), placed.iter().map(|p| p.0).max()) else {
            return SpoofTrend { bucket, points: Vec::new(), undated };
        };
        // Bucket starts from the first to the last, then the last one's end (`start_at` checked it exists).
        let mut bounds = vec![first];
        let mut current = first;
        while current <= last {
            let Some(next) = bucket.next(current) else { break };
            bounds.push(next);
            current = next;
        }
        let mut points: Vec<TrendPoint> = bounds
            .windows(2)
            .map(|w| TrendPoint {
                start: midnight(w[0]),
                end: midnight(w[1]),
                label: bucket.name(w[0]),
                sessions: 0,
                summary: SpoofSummary::default(),
                any: SpoofTally::default(),
            })
            .collect();
        for (start, s) in placed {
            // Every placed start is one of the bounds, found by chrono's date order.
            let Ok(i) = bounds.binary_search(&start) else { continue };
            let Some(p) = points.get_mut(i) else { continue };
            // One session at a time through the summary's own definitions, so the two never disagree.
            let one = slice::from_ref(s);
            p.sessions += 1;
            add_summary(&mut p.summary, SpoofSummary::of(one));
            add_tally(&mut p.any, SpoofSummary::could_spoof(one));
        }
        SpoofTrend { bucket, points, undated }
    }

    /// The first and last buckets with a conclusive verdict for `test`; `None` with fewer than two.
    pub fn change(&self, test: SpoofTest) -> Option<TrendChange> {
        let mut verdicts = self.verdicts(test);
        let (from, _, from_share) = verdicts.next()?;
        let (to, _, to_share) = verdicts.last()?;
        Some(TrendChange { from_label: from.label.clone(), from_share, to_label: to.label.clone(), to_share })
    }

    /// One line for people: "Routed IPv4, by year: 40 % could spoof in 2021 (4 of 10 conclusive
    /// tests), 10 % in 2024 (1 of 10)." The counts stay beside the shares because 1 of 1 and 400 of
    /// 1,000 are not the same evidence.
    pub fn sentence(&self, test: SpoofTest) -> String {
        let name = test.label();
        let unit = self.bucket.label();
        let mut verdicts = self.verdicts(test);
        let Some((first, first_tally, first_share)) = verdicts.next() else {
            return match self.points.as_slice() {
                [] => format!("{name}: no dated sessions to follow over time."),
                [only] => format!("{name}: no conclusive test in {}.", only.label),
                [from, .., to] => format!(
                    "{name}: no conclusive test in any of the {} {unit}s from {} to {}.",
                    format_count(self.points.len() as u64),
                    from.label,
                    to.label
                ),
            };
        };
        let counted = |t: SpoofTally| format!("{} of {}", format_count(t.got_through), format_count(t.conclusive));
        let tests_word = if first_tally.conclusive == 1 { "test" } else { "tests" };
        match verdicts.last() {
            Some((last, last_tally, last_share)) => format!(
                "{name}, by {unit}: {} could spoof in {} ({} conclusive {tests_word}), {} in {} ({}).",
                percent(first_share),
                first.label,
                counted(first_tally),
                percent(last_share),
                last.label,
                counted(last_tally)
            ),
            None => format!(
                "{name}, by {unit}: {} could spoof in {} ({} conclusive {tests_word}), the only {unit} with a verdict.",
                percent(first_share),
                first.label,
                counted(first_tally)
            ),
        }
    }

    /// The buckets with a verdict for `test`, oldest first, with that test's tally and share.
    fn verdicts(&self, test: SpoofTest) -> impl Iterator<Item = (&TrendPoint, SpoofTally, f64)> {
        self.points.iter().filter_map(move |p| {
            let t = p.summary.tally(test);
            t.share().map(|share| (p, t, share))
        })
    }
}

fn midnight(day: NaiveDate) -> Timestamp {
    day.and_time(NaiveTime::MIN).and_utc().timestamp()
}

/// `40 %`, as the summary line writes shares.
fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn add_tally(into: &mut SpoofTally, t: SpoofTally) {
    into.tested += t.tested;
    into.conclusive += t.conclusive;
    into.got_through += t.got_through;
}

fn add_summary(into: &mut SpoofSummary, s: SpoofSummary) {
    into.total += s.total;
    add_tally(&mut into.private4, s.private4);
    add_tally(&mut into.private6, s.private6);
    add_tally(&mut into.routed4, s.routed4);
    add_tally(&mut into.routed6, s.routed6);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::time::parse_instant;
    use serde_json::{json, Map};

    fn ts(s: &str) -> Timestamp {
        parse_instant(s).unwrap()
    }

    /// A session as the service would send it: `results` in [`SpoofTest::ALL`] order, `None` = null.
    fn session(id: u64, at: Option<&str>, results: [Option<&str>; 4]) -> SpooferSession {
        let mut raw = Map::new();
        raw.insert("session".into(), json!(id));
        if let Some(t) = at {
            raw.insert("timestamp".into(), json!(t));
        }
        for (test, r) in SpoofTest::ALL.iter().zip(results) {
            raw.insert(test.field().into(), json!(r));
        }
        SpooferSession::from_raw(raw).unwrap()
    }

    /// A session with only the routed IPv4 test.
    fn routed(id: u64, at: &str, r: &str) -> SpooferSession {
        session(id, Some(at), [None, None, Some(r), None])
    }

    fn labels(t: &SpoofTrend) -> Vec<&str> {
        t.points.iter().map(|p| p.label.as_str()).collect()
    }

    fn counts(t: &SpoofTrend) -> Vec<u64> {
        t.points.iter().map(|p| p.sessions).collect()
    }

    #[test]
    fn the_text_alternative_reads_every_bucket() {
        let t = SpoofTrend::of(&[
            routed(1, "2024-01-10T00:00:00Z", "received"),
            routed(2, "2024-01-11T00:00:00Z", "blocked"),
            routed(3, "2024-03-01T00:00:00Z", "unknown"),
        ]);
        assert_eq!(
            t.describe("AS3356"),
            "Share of AS3356's Spoofer sessions that could spoof in any test, by month, Jan 2024 to Mar 2024: \
             Jan 2024: 1 of 2 sessions with a verdict could spoof (50 %); Feb 2024: no sessions; \
             Mar 2024: 1 session without a verdict."
        );
        assert_eq!(SpoofTrend::of(&[]).describe("NO"), "No dated Spoofer sessions of NO to follow over time.");
    }

    #[test]
    fn bucket_labels() {
        let got: Vec<&str> = TrendBucket::ALL.iter().map(|b| b.label()).collect();
        assert_eq!(got, vec!["month", "quarter", "year"]);
    }

    #[test]
    fn bucket_choice_at_the_nine_month_and_three_year_edges() {
        let first = ts("2020-01-15T00:00:00Z");
        let nine = ts("2020-10-15T00:00:00Z");
        let three = ts("2023-01-15T00:00:00Z");
        assert_eq!(TrendBucket::for_span(first, first), TrendBucket::Month);
        assert_eq!(TrendBucket::for_span(first, nine - 1), TrendBucket::Month);
        assert_eq!(TrendBucket::for_span(first, nine), TrendBucket::Month, "exactly 9 months is not more");
        assert_eq!(TrendBucket::for_span(first, nine + 1), TrendBucket::Quarter);
        assert_eq!(TrendBucket::for_span(first, three), TrendBucket::Quarter, "exactly 3 years is not more");
        assert_eq!(TrendBucket::for_span(first, three + 1), TrendBucket::Year);
        assert_eq!(TrendBucket::for_span(three + 1, first), TrendBucket::Year, "order does not matter");
        assert_eq!(TrendBucket::for_span(i64::MIN, 0), TrendBucket::Year, "no panic out of range");
        assert_eq!(TrendBucket::for_span(0, i64::MAX), TrendBucket::Year);
    }

    #[test]
    fn of_picks_the_bucket_from_the_dated_span() {
        let short = [routed(1, "2020-01-15T00:00:00Z", "blocked"), routed(2, "2020-10-15T00:00:00Z", "blocked")];
        assert_eq!(SpoofTrend::of(&short).bucket, TrendBucket::Month);
        assert_eq!(SpoofTrend::of(&short).points.len(), 10);
        let year = [routed(1, "2020-01-15T00:00:00Z", "blocked"), routed(2, "2020-10-15T00:00:01Z", "blocked")];
        assert_eq!(SpoofTrend::of(&year).bucket, TrendBucket::Quarter);
        assert_eq!(labels(&SpoofTrend::of(&year)), vec!["2020 Q1", "2020 Q2", "2020 Q3", "2020 Q4"]);
        let long = [routed(1, "2020-01-15T00:00:00Z", "blocked"), routed(2, "2023-01-15T00:00:01Z", "blocked")];
        let t = SpoofTrend::of(&long);
        assert_eq!((t.bucket, labels(&t)), (TrendBucket::Year, vec!["2020", "2021", "2022", "2023"]));
        assert_eq!(counts(&t), vec![1, 0, 0, 1]);
    }

    #[test]
    fn monthly_buckets_keep_an_empty_middle_month() {
        let sessions = [
            routed(1, "2024-01-31T23:59:59Z", "received"),
            routed(2, "2024-01-01T00:00:00Z", "blocked"),
            routed(3, "2024-03-01T00:00:00Z", "blocked"),
        ];
        let t = SpoofTrend::of(&sessions);
        assert_eq!(t.bucket, TrendBucket::Month);
        assert_eq!(labels(&t), vec!["Jan 2024", "Feb 2024", "Mar 2024"]);
        assert_eq!(counts(&t), vec![2, 0, 1]);
        let feb = &t.points[1];
        assert_eq!((feb.start, feb.end), (ts("2024-02-01"), ts("2024-03-01")), "2024 is a leap year: 29 days");
        assert_eq!(feb.summary, SpoofSummary::default());
        assert_eq!(feb.any, SpoofTally::default());
        assert_eq!(t.points[0].summary.routed4, SpoofTally { tested: 2, conclusive: 2, got_through: 1 });
        assert_eq!((t.points[2].start, t.points[2].end), (ts("2024-03-01"), ts("2024-04-01")));
        assert_eq!(t.undated, 0);
    }

    #[test]
    fn quarters_are_utc_calendar_quarters() {
        let sessions = [
            routed(1, "2024-03-31T23:59:59Z", "received"),
            routed(2, "2024-04-01T00:00:00Z", "blocked"),
            // 01:30 on 1 October in UTC+02:00 is still 30 September, 23:30 UTC: Q3.
            routed(3, "2024-10-01T01:30:00+02:00", "blocked"),
            routed(4, "2024-12-31T23:59:59Z", "blocked"),
        ];
        let t = SpoofTrend::with_bucket(&sessions, TrendBucket::Quarter);
        assert_eq!(labels(&t), vec!["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]);
        assert_eq!(counts(&t), vec![1, 1, 1, 1]);
        let bounds: Vec<(Timestamp, Timestamp)> = t.points.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(
            bounds,
            vec![
                (ts("2024-01-01"), ts("2024-04-01")),
                (ts("2024-04-01"), ts("2024-07-01")),
                (ts("2024-07-01"), ts("2024-10-01")),
                (ts("2024-10-01"), ts("2025-01-01")),
            ]
        );
        assert_eq!(t.points[0].summary.routed4.got_through, 1);
        assert_eq!(t.points[1].summary.routed4.got_through, 0);
    }

    #[test]
    fn years_span_whole_calendar_years() {
        let sessions = [routed(1, "2019-12-31T23:59:59Z", "blocked"), routed(2, "2020-01-01T00:00:00Z", "blocked")];
        let t = SpoofTrend::with_bucket(&sessions, TrendBucket::Year);
        assert_eq!(labels(&t), vec!["2019", "2020"]);
        assert_eq!(counts(&t), vec![1, 1]);
        assert_eq!((t.points[1].start, t.points[1].end), (ts("2020-01-01"), ts("2021-01-01")));
    }

    #[test]
    fn per_bucket_tallies_for_each_test_and_any() {
        let sessions = [
            // March: every test in a different state.
            session(1, Some("2024-03-02T10:00:00Z"), [Some("received"), Some("blocked"), Some("unknown"), None]),
            session(2, Some("2024-03-20T10:00:00Z"), [Some("blocked"), Some("rewritten"), Some("blocked"), None]),
            session(3, Some("2024-03-31T10:00:00Z"), [Some("unknown"), None, Some("sent"), None]),
            // April: IPv6 only, one leak.
            session(4, Some("2024-04-01T00:00:00Z"), [None, Some("blocked"), None, Some("received")]),
            session(5, Some("2024-04-15T00:00:00Z"), [None, None, None, Some("blocked")]),
        ];
        let t = SpoofTrend::of(&sessions);
        assert_eq!(labels(&t), vec!["Mar 2024", "Apr 2024"]);
        let (mar, apr) = (&t.points[0], &t.points[1]);
        assert_eq!((mar.sessions, mar.summary.total), (3, 3));
        assert_eq!(mar.summary.private4, SpoofTally { tested: 3, conclusive: 2, got_through: 1 });
        assert_eq!(mar.summary.private6, SpoofTally { tested: 2, conclusive: 2, got_through: 1 });
        assert_eq!(mar.summary.routed4, SpoofTally { tested: 3, conclusive: 1, got_through: 0 });
        assert_eq!(mar.summary.routed6, SpoofTally::default());
        assert_eq!(mar.any, SpoofTally { tested: 3, conclusive: 2, got_through: 2 });
        assert_eq!((apr.sessions, apr.summary.total), (2, 2));
        assert_eq!(apr.summary.private4, SpoofTally::default());
        assert_eq!(apr.summary.private6, SpoofTally { tested: 1, conclusive: 1, got_through: 0 });
        assert_eq!(apr.summary.routed4, SpoofTally::default());
        assert_eq!(apr.summary.routed6, SpoofTally { tested: 2, conclusive: 2, got_through: 1 });
        assert_eq!(apr.any, SpoofTally { tested: 2, conclusive: 2, got_through: 1 });
        // The buckets match the summary of their own sessions.
        assert_eq!(mar.summary, SpoofSummary::of(&sessions[..3]));
        assert_eq!(apr.any, SpoofSummary::could_spoof(&sessions[3..]));
    }

    #[test]
    fn undated_sessions_are_counted_apart() {
        let mut far = routed(4, "2024-01-01T00:00:00Z", "received");
        far.timestamp = Some(i64::MAX);
        let sessions = [
            routed(1, "2024-05-05T00:00:00Z", "blocked"),
            session(2, None, [None, None, Some("received"), None]),
            routed(3, "not a time", "received"),
            far,
        ];
        let t = SpoofTrend::of(&sessions);
        assert_eq!(t.undated, 3);
        assert_eq!((labels(&t), counts(&t)), (vec!["May 2024"], vec![1]));
        assert_eq!(t.points[0].summary.routed4.got_through, 0, "the undated leaks are in no bucket");
        let none = SpoofTrend::of(&sessions[1..]);
        assert_eq!((none.points.len(), none.undated, none.bucket), (0, 3, TrendBucket::Month));
        let empty = SpoofTrend::of(&[]);
        assert_eq!((empty.points.len(), empty.undated), (0, 0));
        assert_eq!(empty.change(SpoofTest::RoutedV4), None);
    }

    #[test]
    fn change_uses_the_first_and_last_buckets_with_a_verdict() {
        let sessions = [
            // 2019: routed IPv4 ran but said nothing.
            routed(1, "2019-06-01T00:00:00Z", "unknown"),
            // 2020: 2 of 5 got through.
            routed(2, "2020-01-01T00:00:00Z", "received"),
            routed(3, "2020-02-01T00:00:00Z", "rewritten"),
            routed(4, "2020-03-01T00:00:00Z", "blocked"),
            routed(5, "2020-04-01T00:00:00Z", "blocked"),
            routed(6, "2020-05-01T00:00:00Z", "blocked"),
            // 2021: a verdict between the first and last, not used.
            routed(7, "2021-01-01T00:00:00Z", "received"),
            // 2022: none. 2023: 1 of 4.
            routed(8, "2023-01-01T00:00:00Z", "received"),
            routed(9, "2023-02-01T00:00:00Z", "blocked"),
            routed(10, "2023-03-01T00:00:00Z", "blocked"),
            routed(11, "2023-04-01T00:00:00Z", "blocked"),
            // 2024: only the private test, which is no verdict for routed IPv4.
            session(12, Some("2024-01-01T00:00:00Z"), [Some("received"), None, None, None]),
        ];
        let t = SpoofTrend::of(&sessions);
        assert_eq!(t.bucket, TrendBucket::Year);
        assert_eq!(labels(&t), vec!["2019", "2020", "2021", "2022", "2023", "2024"]);
        assert_eq!(
            t.change(SpoofTest::RoutedV4),
            Some(TrendChange { from_label: "2020".into(), from_share: 0.4, to_label: "2023".into(), to_share: 0.25 })
        );
        assert_eq!(t.change(SpoofTest::PrivateV4), None, "one bucket with a verdict is no change");
        assert_eq!(t.change(SpoofTest::RoutedV6), None);
    }

    #[test]
    fn sentence_without_dated_sessions() {
        let t = SpoofTrend::of(&[session(1, None, [None, None, Some("received"), None])]);
        assert_eq!(t.sentence(SpoofTest::RoutedV4), "Routed IPv4: no dated sessions to follow over time.");
        assert_eq!(
            SpoofTrend::of(&[]).sentence(SpoofTest::PrivateV6),
            "Private IPv6: no dated sessions to follow over time."
        );
    }

    #[test]
    fn sentence_without_verdicts() {
        let one = SpoofTrend::of(&[routed(1, "2024-03-01T00:00:00Z", "unknown")]);
        assert_eq!(one.sentence(SpoofTest::RoutedV4), "Routed IPv4: no conclusive test in Mar 2024.");
        let many = SpoofTrend::of(&[
            routed(1, "2024-03-01T00:00:00Z", "unknown"),
            routed(2, "2024-05-01T00:00:00Z", "blocked"),
        ]);
        assert_eq!(
            many.sentence(SpoofTest::RoutedV6),
            "Routed IPv6: no conclusive test in any of the 3 months from Mar 2024 to May 2024."
        );
    }

    #[test]
    fn sentence_with_one_bucket() {
        let t = SpoofTrend::of(&[
            routed(1, "2024-03-01T00:00:00Z", "received"),
            routed(2, "2024-03-02T00:00:00Z", "blocked"),
            routed(3, "2024-05-01T00:00:00Z", "unknown"),
        ]);
        let line = t.sentence(SpoofTest::RoutedV4);
        assert_eq!(line, "Routed IPv4, by month: 50 % could spoof in Mar 2024 (1 of 2 conclusive tests), the only month with a verdict.");
        let single = SpoofTrend::of(&[routed(1, "2024-03-01T00:00:00Z", "blocked")]);
        assert_eq!(
            single.sentence(SpoofTest::RoutedV4),
            "Routed IPv4, by month: 0 % could spoof in Mar 2024 (0 of 1 conclusive test), the only month with a verdict."
        );
    }

    #[test]
    fn sentence_with_two_buckets() {
        let mut sessions: Vec<SpooferSession> =
            (0..10).map(|i| routed(i, "2021-03-01T00:00:00Z", if i < 4 { "received" } else { "blocked" })).collect();
        sessions
            .extend((10..20).map(|i| routed(i, "2024-06-01T00:00:00Z", if i < 11 { "rewritten" } else { "blocked" })));
        let t = SpoofTrend::of(&sessions);
        let line = t.sentence(SpoofTest::RoutedV4);
        assert_eq!(
            line,
            "Routed IPv4, by year: 40 % could spoof in 2021 (4 of 10 conclusive tests), 10 % in 2024 (1 of 10)."
        );
        assert!(!line.contains("NaN"));
        let q = SpoofTrend::with_bucket(&sessions, TrendBucket::Quarter);
        assert!(q.sentence(SpoofTest::RoutedV4).contains("by quarter: 40 % could spoof in 2021 Q1"));
        for test in SpoofTest::ALL {
            assert!(!t.sentence(test).contains("NaN"), "{test:?}");
        }
    }

    #[test]
    fn sessions_in_any_order_give_the_same_trend() {
        let sessions = vec![
            routed(1, "2022-11-03T00:00:00Z", "received"),
            routed(2, "2021-02-03T00:00:00Z", "blocked"),
            session(3, None, [None, None, Some("blocked"), None]),
            routed(4, "2023-07-03T00:00:00Z", "rewritten"),
            routed(5, "2021-02-04T00:00:00Z", "received"),
            routed(6, "2022-01-01T00:00:00Z", "unknown"),
        ];
        let forward = SpoofTrend::of(&sessions);
        let mut reversed = sessions.clone();
        reversed.reverse();
        assert_eq!(SpoofTrend::of(&reversed), forward);
        let mut rotated = sessions.clone();
        rotated.rotate_left(2);
        assert_eq!(SpoofTrend::of(&rotated), forward);
        assert_eq!(forward.bucket, TrendBucket::Quarter);
        assert_eq!(forward.points.first().map(|p| p.label.as_str()), Some("2021 Q1"));
        assert_eq!(forward.points.last().map(|p| p.label.as_str()), Some("2023 Q3"));
        assert_eq!(forward.points.len(), 11);
        assert_eq!(forward.undated, 1);
    }

    /// A small linear congruential generator (Knuth's MMIX constants), so the test needs no crate.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn seeded_random_sessions_keep_the_invariants() {
        const RESULTS: [Option<&str>; 6] =
            [None, Some("received"), Some("rewritten"), Some("blocked"), Some("unknown"), Some("sent")];
        let (from, until) = (ts("2019-01-01"), ts("2024-01-01"));
        let mut rng = Lcg(0x5eed_2024);
        let sessions: Vec<SpooferSession> = (0..500)
            .map(|id| {
                let at = match rng.below(20) {
                    0 => None,
                    1 => Some("garbled".to_string()),
                    _ => {
                        let t = from + rng.below((until - from) as u64) as i64;
                        Some(DateTime::<Utc>::from_timestamp(t, 0).unwrap().to_rfc3339())
                    }
                };
                let results = [(); 4].map(|_| RESULTS[rng.below(6) as usize]);
                session(id, at.as_deref(), results)
            })
            .collect();
        let dated: Vec<SpooferSession> = sessions.iter().filter(|s| s.timestamp.is_some()).cloned().collect();
        assert!(dated.len() > 400 && dated.len() < 500, "the seed gives both kinds: {}", dated.len());

        let chosen = SpoofTrend::of(&sessions);
        assert_eq!(chosen.bucket, TrendBucket::Year);
        for bucket in TrendBucket::ALL {
            let t = SpoofTrend::with_bucket(&sessions, bucket);
            let what = bucket.label();
            assert_eq!(t.points.iter().map(|p| p.sessions).sum::<u64>() + t.undated, 500, "{what}");
            assert_eq!(t.undated, (500 - dated.len()) as u64, "{what}");
            assert!(t.points.windows(2).all(|w| w[0].end == w[1].start), "{what}: contiguous");
            assert!(t.points.iter().all(|p| p.start < p.end), "{what}");
            let mut whole = SpoofSummary::default();
            let mut any = SpoofTally::default();
            for p in &t.points {
                assert_eq!(p.summary.total, p.sessions, "{what} {}", p.label);
                let inside = dated.iter().filter(|s| (p.start..p.end).contains(&s.timestamp.unwrap())).count();
                assert_eq!(p.sessions, inside as u64, "{what} {}", p.label);
                for tally in SpoofTest::ALL.map(|test| p.summary.tally(test)).into_iter().chain([p.any]) {
                    assert!(tally.got_through <= tally.conclusive, "{what} {}: {tally:?}", p.label);
                    assert!(tally.conclusive <= tally.tested, "{what} {}: {tally:?}", p.label);
                    assert!(tally.tested <= p.sessions, "{what} {}: {tally:?}", p.label);
                }
                for test in SpoofTest::ALL {
                    let one = p.summary.tally(test);
                    assert!(p.any.got_through >= one.got_through && p.any.conclusive >= one.conclusive);
                }
                add_summary(&mut whole, p.summary);
                add_tally(&mut any, p.any);
            }
            assert_eq!(whole, SpoofSummary::of(&dated), "{what}: buckets add up to the dated sessions");
            assert_eq!(any, SpoofSummary::could_spoof(&dated), "{what}");
            let first = dated.iter().filter_map(|s| s.timestamp).min().unwrap();
            let last = dated.iter().filter_map(|s| s.timestamp).max().unwrap();
            assert!(t.points[0].start <= first && first < t.points[0].end, "{what}: starts at the first session");
            let tail = t.points.last().unwrap();
            assert!(tail.start <= last && last < tail.end, "{what}: ends at the last session");
            assert!(!t.sentence(SpoofTest::RoutedV4).contains("NaN"));
        }
        assert_eq!(labels(&chosen), vec!["2019", "2020", "2021", "2022", "2023"]);
        assert_eq!(SpoofTrend::with_bucket(&sessions, TrendBucket::Month).points.len(), 60);
        assert_eq!(SpoofTrend::with_bucket(&sessions, TrendBucket::Quarter).points.len(), 20);
    }
}
