//! The entity pages' cross-source timeline: what IODA, GRIP, Spoofer and Spamhaus say about one
//! network, as marks on one time axis, one lane per source. Pure: the page feeds it what its panels
//! loaded and draws the placed marks.

use super::grip::{GripEvent, SuspicionLevel};
use super::ioda::{EntityRef, EventStatus, IodaAlert, IodaEvent};
use super::page::format_count;
use super::spamhaus::SpamhausRecord;
use super::spoofer::SpooferSession;
use super::time::{format_duration, format_utc, TimeRange, Timestamp};
use super::Source;

/// Marks one lane draws at most; the rest are counted in the lane's note (the panels list them all).
pub const MAX_MARKS: usize = 400;

/// How a mark reads at a glance (a CSS class in the chart, a word in its table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// An outage, a suspicious routing event, a session that could spoof, a live listing.
    Alarm,
    /// A warning-level alert, a grey routing event.
    Caution,
    /// Nothing wrong: a benign event, a session that could not spoof, an expired listing.
    Calm,
    /// No verdict.
    Plain,
}

impl Tone {
    pub fn key(self) -> &'static str {
        match self {
            Tone::Alarm => "alarm",
            Tone::Caution => "caution",
            Tone::Calm => "calm",
            Tone::Plain => "plain",
        }
    }
}

/// One thing that happened: a moment (`end == None`) or a span, with where to read more.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    /// What it is, for the tooltip, the screen-reader label and the table ("BGP outage, 2 h").
    pub title: String,
    /// The app path of its detail page (`/grip/event/…`), without the deployment's base.
    pub path: String,
    pub tone: Tone,
}

/// A mark on the axis: `x` and `width` are fractions of the window (a moment has width 0).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedMark {
    pub mark: Mark,
    pub x: f64,
    pub width: f64,
}

/// One lane's marks within the window, and how many fell outside it or over the cap.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LanePlan {
    pub marks: Vec<PlacedMark>,
    pub before: usize,
    pub after: usize,
    /// In the window but not drawn (over [`MAX_MARKS`]).
    pub not_drawn: usize,
}

/// Places `marks` on `range`: spans are clipped to it, marks wholly outside are counted, and the
/// lane keeps at most [`MAX_MARKS`] (the most severe first, then the latest) so a busy network
/// cannot make the chart slow.
pub fn place(mut marks: Vec<Mark>, range: TimeRange) -> LanePlan {
    let span = range.seconds().max(1) as f64;
    let mut plan = LanePlan::default();
    marks.retain(|m| {
        let end = m.end.unwrap_or(m.start).max(m.start);
        if end < range.from {
            plan.before += 1;
            false
        } else if m.start > range.until {
            plan.after += 1;
            false
        } else {
            true
        }
    });
    if marks.len() > MAX_MARKS {
        marks.sort_by_key(|m| (severity(m.tone), std::cmp::Reverse(m.start)));
        plan.not_drawn = marks.len() - MAX_MARKS;
        marks.truncate(MAX_MARKS);
    }
    marks.sort_by_key(|m| (m.start, m.end));
    plan.marks = marks
        .into_iter()
        .map(|m| {
            let from = m.start.max(range.from);
            let until = m.end.map_or(from, |e| e.min(range.until).max(from));
            let x = (from - range.from) as f64 / span;
            let width = (until - from) as f64 / span;
            PlacedMark { mark: m, x, width }
        })
        .collect();
    plan
}

fn severity(t: Tone) -> u8 {
    match t {
        Tone::Alarm => 0,
        Tone::Caution => 1,
        Tone::Plain => 2,
        Tone::Calm => 3,
    }
}

impl LanePlan {
    /// "3 in the window · 2 before it" (`noun` is singular and plural: ("event", "events")).
    pub fn note(&self, noun: (&str, &str)) -> String {
        let n = self.marks.len() + self.not_drawn;
        let word = |n: usize| if n == 1 { noun.0 } else { noun.1 };
        let mut parts = vec![if n == 0 {
            format!("No {} in the window", noun.1)
        } else {
            format!("{} {} in the window", format_count(n as u64), word(n))
        }];
        if self.not_drawn > 0 {
            parts.push(format!("the {} most severe drawn", format_count(MAX_MARKS as u64)));
        }
        if self.before > 0 {
            parts.push(format!("{} before it", format_count(self.before as u64)));
        }
        if self.after > 0 {
            parts.push(format!("{} after it", format_count(self.after as u64)));
        }
        parts.join(" · ")
    }
}

/// IODA: its events as spans (linking to the explorer zoomed on each), and the warning and critical
/// alerts as moments. With no events endpoint (the legacy API) the alerts alone tell it.
pub fn ioda_marks(events: &[IodaEvent], alerts: &[IodaAlert], entity: &EntityRef, range: TimeRange) -> Vec<Mark> {
    let explorer = |from: Timestamp, until: Timestamp| {
        let pad = ((until - from) / 4).max(3_600);
        format!("/ioda?from={}&until={}&entity={}", from - pad, until + pad, entity.key())
    };
    let mut marks: Vec<Mark> = events
        .iter()
        .map(|e| {
            let status = e.status(range);
            let ongoing = if status == EventStatus::Ongoing { ", ongoing" } else { "" };
            Mark {
                start: e.start,
                end: Some(e.end()),
                title: format!(
                    "{} outage from {}, {}{ongoing}",
                    e.source_label(),
                    format_utc(e.start),
                    format_duration(e.duration)
                ),
                path: explorer(e.start, e.end()),
                tone: Tone::Alarm,
            }
        })
        .collect();
    marks.extend(alerts.iter().filter(|a| a.level.is_outage()).map(|a| Mark {
        start: a.time,
        end: None,
        title: format!("{} alert ({}) at {}", a.level.label(), a.datasource, format_utc(a.time)),
        path: explorer(a.time, a.time),
        tone: if a.level.key() == "critical" { Tone::Alarm } else { Tone::Caution },
    }));
    marks
}

/// GRIP: each event as a moment at its start (most are ongoing or last minutes; long bars would hide the
/// rest), with how long it lasted in its title.
pub fn grip_marks(events: &[GripEvent]) -> Vec<Mark> {
    events
        .iter()
        .filter_map(|e| {
            let start = e.view_ts?;
            let id = e.event_id()?;
            let level = e.suspicion_level();
            let suspicion = match (e.suspicion(), level) {
                (Some(s), Some(l)) => format!(", suspicion {s} ({})", l.label()),
                _ => String::new(),
            };
            let lasted = match (e.finished_ts, e.duration_secs()) {
                (None, _) => ", ongoing".to_string(),
                (Some(_), Some(d)) => format!(", lasted {}", format_duration(d)),
                (Some(_), None) => String::new(),
            };
            Some(Mark {
                start,
                end: None,
                title: format!("GRIP {} event from {}{lasted}{suspicion}", e.event_type, format_utc(start)),
                path: format!("/grip/event/{}", id.as_str()),
                tone: match level {
                    Some(SuspicionLevel::Suspicious) => Tone::Alarm,
                    Some(SuspicionLevel::Grey) => Tone::Caution,
                    Some(SuspicionLevel::Benign) => Tone::Calm,
                    None => Tone::Plain,
                },
            })
        })
        .collect()
}

/// Spoofer: each session as a moment, alarm when any test's spoofed packets got through.
pub fn spoofer_marks(sessions: &[SpooferSession]) -> Vec<Mark> {
    sessions
        .iter()
        .filter_map(|s| {
            let t = s.timestamp?;
            let any = super::spoofer::SpoofSummary::could_spoof(std::slice::from_ref(s));
            let (verdict, tone) = if any.got_through > 0 {
                ("could spoof", Tone::Alarm)
            } else if any.conclusive > 0 {
                ("could not spoof", Tone::Calm)
            } else {
                ("no verdict", Tone::Plain)
            };
            Some(Mark {
                start: t,
                end: None,
                title: format!("Spoofer session #{} at {}: {verdict}", s.session, format_utc(t)),
                path: format!("/spoofer/session/{}", s.session),
                tone,
            })
        })
        .collect()
}

/// Spamhaus: each listing from `listed` until it expires (`valid_until`), live ones marked alarm.
/// `path` is the explorer query the records came from (listings have no page of their own).
pub fn spamhaus_marks(records: &[SpamhausRecord], path: &str, now: Timestamp) -> Vec<Mark> {
    records
        .iter()
        .filter_map(|r| {
            let start = r.listed.or(r.seen)?;
            let end = r.valid_until.map(|v| v.max(start));
            let what = r.dataset.as_deref().unwrap_or("listing");
            let addr = r.ipaddress.as_deref().unwrap_or("an address");
            Some(Mark {
                start,
                end,
                title: format!("{addr} listed on {what} from {}", format_utc(start)),
                path: path.to_string(),
                tone: if r.is_live(now) { Tone::Alarm } else { Tone::Calm },
            })
        })
        .collect()
}

/// What a lane shows: marks, or why there are none.
#[derive(Debug, Clone, PartialEq)]
pub enum LaneFeed {
    Loading,
    /// The source cannot say anything here (not configured, not signed in, failed): the reason.
    Unavailable(String),
    /// The marks, and what the source was asked for ("the last 30 days", "the latest 30 sessions").
    Ready {
        marks: Vec<Mark>,
        covers: String,
    },
}

/// The lanes in the order the chart draws them, with the noun each lane counts.
pub const LANES: [(Source, (&str, &str)); 4] = [
    (Source::Ioda, ("mark", "marks")),
    (Source::Grip, ("routing event", "routing events")),
    (Source::Spoofer, ("session", "sessions")),
    (Source::Spamhaus, ("listing", "listings")),
];

/// "Timeline of AS3307 across IODA, GRIP, Spoofer and Spamhaus, 2026-11-27 00:00 to …: 3 outages, …".
pub fn aria_label(subject: &str, range: TimeRange, plans: &[(Source, Option<&LanePlan>)]) -> String {
    let parts: Vec<String> = plans
        .iter()
        .map(|(source, plan)| {
            let noun = LANES.iter().find(|(s, _)| s == source).map_or(("mark", "marks"), |(_, n)| *n);
            match plan {
                Some(p) => {
                    let n = p.marks.len() + p.not_drawn;
                    format!("{} {}", format_count(n as u64), if n == 1 { noun.0 } else { noun.1 })
                }
                None => format!("{} unavailable", source.name()),
            }
        })
        .collect();
    format!(
        "Timeline of {subject} across sources, {} to {} UTC: {}",
        format_utc(range.from),
        format_utc(range.until),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ioda::{decode_v2_alerts, EntityKind};

    const FROM: Timestamp = 1_700_000_000;
    const DAY: i64 = 86_400;

    fn range() -> TimeRange {
        TimeRange::new(FROM, FROM + 10 * DAY).unwrap()
    }

    fn mark(start: Timestamp, end: Option<Timestamp>, tone: Tone) -> Mark {
        Mark { start, end, title: format!("m{start}"), path: format!("/x/{start}"), tone }
    }

    #[test]
    fn marks_are_placed_as_fractions_of_the_window_and_spans_are_clipped() {
        let plan = place(
            vec![
                mark(FROM + 5 * DAY, None, Tone::Plain),
                mark(FROM - DAY, Some(FROM + DAY), Tone::Alarm),
                mark(FROM + 9 * DAY, Some(FROM + 12 * DAY), Tone::Caution),
                mark(FROM - 3 * DAY, Some(FROM - 2 * DAY), Tone::Alarm),
                mark(FROM + 11 * DAY, None, Tone::Calm),
            ],
            range(),
        );
        assert_eq!((plan.before, plan.after, plan.not_drawn), (1, 1, 0));
        let xs: Vec<(f64, f64)> = plan.marks.iter().map(|m| (m.x, m.width)).collect();
        assert_eq!(xs, vec![(0.0, 0.1), (0.5, 0.0), (0.9, 0.1)]);
        assert_eq!(plan.note(("outage", "outages")), "3 outages in the window · 1 before it · 1 after it");
    }

    #[test]
    fn a_busy_lane_keeps_the_most_severe_marks_and_says_how_many_it_left() {
        let mut marks: Vec<Mark> = (0..MAX_MARKS as i64 + 50).map(|i| mark(FROM + i * 60, None, Tone::Calm)).collect();
        marks.push(mark(FROM + 3, None, Tone::Alarm));
        let plan = place(marks, range());
        assert_eq!(plan.marks.len(), MAX_MARKS);
        assert_eq!(plan.not_drawn, 51);
        assert!(plan.marks.iter().any(|m| m.mark.tone == Tone::Alarm), "the alarm survives the cap");
        assert!(plan.marks.windows(2).all(|w| w[0].mark.start <= w[1].mark.start), "drawn in time order");
        assert!(plan.note(("event", "events")).starts_with(&format!("{} events in the window", MAX_MARKS + 51)));
    }

    #[test]
    fn an_empty_lane_says_so() {
        let plan = place(vec![mark(FROM - DAY, None, Tone::Plain)], range());
        assert_eq!(plan.note(("session", "sessions")), "No sessions in the window · 1 before it");
    }

    #[test]
    fn ioda_events_are_spans_to_the_explorer_and_outage_alerts_are_moments() {
        let entity = EntityRef::new(EntityKind::Asn, "3307").unwrap();
        let events = crate::api::ioda::decode_events(
            r#"[{"location":"asn/3307","start":1700100000,"duration":7200,"datasource":"bgp","score":5,
                "overlaps_window":false}]"#,
        )
        .unwrap();
        let alert = |t: i64, level: &str| {
            format!(
                r#"{{"datasource":"ping-slash24","entity":{{"code":"3307","type":"asn"}},"time":{t},"level":"{level}",
                "value":1,"historyValue":10}}"#
            )
        };
        let alerts = decode_v2_alerts(&format!(
            "[{},{},{}]",
            alert(FROM + 100, "critical"),
            alert(FROM + 200, "warning"),
            alert(FROM + 300, "normal")
        ))
        .unwrap();
        let marks = ioda_marks(&events, &alerts, &entity, range());
        assert_eq!(marks.len(), 3, "the normal alert is no mark");
        assert_eq!(marks[0].end, Some(1_700_107_200));
        assert!(marks[0].title.starts_with("BGP outage from"), "{}", marks[0].title);
        assert_eq!(marks[0].path, "/ioda?from=1700096400&until=1700110800&entity=asn/3307");
        assert_eq!((marks[1].tone, marks[2].tone), (Tone::Alarm, Tone::Caution));
    }

    #[test]
    fn the_recorded_grip_event_is_a_moment_linking_to_its_page() {
        let sample = include_str!("../../tests/fixtures/grip/events-data-element-trimmed-ihr.json");
        let body = format!(r#"{{"data":{sample},"recordsTotal":1,"recordsFiltered":1}}"#);
        let page = crate::api::grip::decode_events(&body).unwrap();
        let e = &page.data[0];
        let marks = grip_marks(&page.data);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].start, e.view_ts.unwrap());
        assert_eq!(marks[0].end, None);
        assert_eq!(marks[0].path, format!("/grip/event/{}", e.event_id().unwrap().as_str()));
        let expected_tone = match e.suspicion_level() {
            Some(SuspicionLevel::Suspicious) => Tone::Alarm,
            Some(SuspicionLevel::Grey) => Tone::Caution,
            Some(SuspicionLevel::Benign) => Tone::Calm,
            None => Tone::Plain,
        };
        assert_eq!(marks[0].tone, expected_tone);
        assert!(marks[0].title.starts_with(&format!("GRIP {} event from ", e.event_type)), "{}", marks[0].title);
    }

    #[test]
    fn spoofer_sessions_are_alarms_when_they_could_spoof() {
        let session = |id: u64, t: &str, routed: &str| {
            let raw: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&format!(
                r#"{{"session":{id},"timestamp":"{t}","routedspoof":"{routed}","privatespoof":"blocked"}}"#
            ))
            .unwrap();
            SpooferSession::from_raw(raw).unwrap()
        };
        let marks = spoofer_marks(&[
            session(1, "2023-11-15T00:00:00+00:00", "received"),
            session(2, "2023-11-16T00:00:00+00:00", "blocked"),
        ]);
        assert_eq!(marks.iter().map(|m| m.tone).collect::<Vec<_>>(), vec![Tone::Alarm, Tone::Calm]);
        assert_eq!(marks[0].path, "/spoofer/session/1");
        assert!(marks[1].title.contains("could not spoof"));
    }

    #[test]
    fn the_label_names_the_subject_window_and_each_lane() {
        let plan = place(vec![mark(FROM + DAY, None, Tone::Plain)], range());
        let label = aria_label("AS3307", range(), &[(Source::Ioda, Some(&plan)), (Source::Spamhaus, None)]);
        assert!(label.starts_with("Timeline of AS3307 across sources, "), "{label}");
        assert!(label.ends_with(": 1 mark, Spamhaus SIA unavailable"), "{label}");
    }
}
