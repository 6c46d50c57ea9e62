//! Signal charts: IODA's raw signal series turned into drawable geometry (one line per datasource on its
//! own 0..max scale, gaps where bins are missing, outage bands) and what a cursor reads at a time.

use super::ioda::{Datasource, EntityKind, EntityRef, IodaSignalSeries, SignalValue};
use super::page::format_number;
use super::time::{format_utc, TimeRange, Timestamp};
use std::fmt::Write as _;

/// The order lines are drawn and listed in: IODA's three main signals, then Google's; others follow by name.
const ORDER: [&str; 4] = ["bgp", "ping-slash24", "merit-nt", "gtr"];

/// One bin of a line, as IODA sent it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    pub time: Timestamp,
    /// `None`: IODA had no value for the bin (drawn as a gap).
    pub value: Option<f64>,
}

/// One datasource's series, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalLine {
    /// `bgp`, or `gtr.WEB_SEARCH` when IODA names a subtype: unique within a chart.
    pub key: String,
    pub datasource: String,
    /// `BGP`, `Active probing`, `Google Transparency Report · WEB_SEARCH`.
    pub label: String,
    /// Seconds between bins.
    pub step: i64,
    /// The top of this line's own scale: its largest value (0 when it has none).
    pub max: f64,
    /// The bins within the window, by time.
    pub points: Vec<ChartPoint>,
    /// Runs of consecutive values as `(x, y)` fractions: x 0 = window start, 1 = end; y 0 = zero, 1 = `max`.
    pub segments: Vec<Vec<(f64, f64)>>,
}

impl SignalLine {
    /// Whether the line has any value to draw.
    pub fn has_values(&self) -> bool {
        self.points.iter().any(|p| p.value.is_some())
    }
}

/// A shaded span of the window (outages, merged where they overlap).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub from: Timestamp,
    pub until: Timestamp,
    pub start_frac: f64,
    pub end_frac: f64,
}

/// A series IODA sent that the chart does not draw, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub datasource: String,
    pub reason: &'static str,
}

/// Everything a signals chart draws for one entity and window.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalChart {
    pub range: TimeRange,
    pub lines: Vec<SignalLine>,
    pub bands: Vec<Band>,
    pub skipped: Vec<Skipped>,
}

/// What a cursor at one time reads off one line: its nearest bin.
#[derive(Debug, Clone, PartialEq)]
pub struct LineReading {
    pub key: String,
    pub label: String,
    /// The nearest bin's time (`None` when the line has no bins in the window).
    pub time: Option<Timestamp>,
    pub value: Option<f64>,
}

/// What a cursor at one time reads off every line.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    pub time: Timestamp,
    pub frac: f64,
    pub readings: Vec<LineReading>,
}

/// A row of the table view: one time, each line's value there (same order as `lines`).
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub time: Timestamp,
    pub values: Vec<Option<f64>>,
}

fn order_of(datasource: &str) -> usize {
    ORDER.iter().position(|d| *d == datasource).unwrap_or(ORDER.len())
}

fn line_label(datasource: &str, subtype: &str) -> String {
    let base = Datasource::from_key(datasource).map_or_else(|| datasource.to_string(), |d| d.label().to_string());
    if subtype.is_empty() {
        base
    } else {
        format!("{base} · {subtype}")
    }
}

/// The chart of `series` over `range`, with `spans` (outages, as `(from, until)`) shaded. A series whose bins
/// are not numbers (the upstream-delay datasources: a breakdown per penultimate AS) is left out and listed
/// in `skipped`; a bin that is null, or a breakdown within a numeric series, is a gap.
pub fn signal_chart(series: &[IodaSignalSeries], range: TimeRange, spans: &[(Timestamp, Timestamp)]) -> SignalChart {
    let span = range.seconds().max(1) as f64;
    let frac = |t: Timestamp| (t - range.from) as f64 / span;
    let mut lines = Vec::new();
    let mut skipped = Vec::new();
    for s in series {
        let numeric = s.values.iter().any(|v| matches!(v, SignalValue::Number(_)));
        let breakdown = s.values.iter().any(|v| matches!(v, SignalValue::Breakdown(_)));
        if breakdown && !numeric {
            skipped.push(Skipped {
                datasource: s.datasource.clone(),
                reason: "its values are per-path breakdowns, not one number per bin",
            });
            continue;
        }
        let key = if s.subtype.is_empty() { s.datasource.clone() } else { format!("{}.{}", s.datasource, s.subtype) };
        if lines.iter().any(|l: &SignalLine| l.key == key) {
            skipped.push(Skipped { datasource: key, reason: "IODA sent this series twice; the first is drawn" });
            continue;
        }
        let points: Vec<ChartPoint> = s
            .points()
            .filter(|(t, _)| *t >= range.from && *t <= range.until)
            .map(|(time, v)| ChartPoint {
                time,
                value: match v {
                    SignalValue::Number(n) if n.is_finite() => Some(*n),
                    _ => None,
                },
            })
            .collect();
        let max = points.iter().filter_map(|p| p.value).fold(0.0_f64, f64::max);
        let y = |v: f64| if max > 0.0 { (v / max).clamp(0.0, 1.0) } else { 0.0 };
        let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut run: Vec<(f64, f64)> = Vec::new();
        for p in &points {
            match p.value {
                Some(v) => run.push((frac(p.time), y(v))),
                None if !run.is_empty() => segments.push(std::mem::take(&mut run)),
                None => {}
            }
        }
        if !run.is_empty() {
            segments.push(run);
        }
        lines.push(SignalLine {
            key,
            datasource: s.datasource.clone(),
            label: line_label(&s.datasource, &s.subtype),
            step: s.step.max(1),
            max,
            points,
            segments,
        });
    }
    lines.sort_by(|a, b| (order_of(&a.datasource), &a.key).cmp(&(order_of(&b.datasource), &b.key)));
    SignalChart { range, lines, bands: bands(spans, range), skipped }
}

/// `spans` clipped to the window, sorted and merged where they overlap or touch.
fn bands(spans: &[(Timestamp, Timestamp)], range: TimeRange) -> Vec<Band> {
    let mut clipped: Vec<(Timestamp, Timestamp)> = spans
        .iter()
        .filter(|(f, u)| u >= f && *u >= range.from && *f <= range.until)
        .map(|&(f, u)| (f.max(range.from), u.min(range.until)))
        .collect();
    clipped.sort_unstable();
    let mut merged: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (f, u) in clipped {
        match merged.last_mut() {
            Some(last) if f <= last.1 => last.1 = last.1.max(u),
            _ => merged.push((f, u)),
        }
    }
    let span = range.seconds().max(1) as f64;
    merged
        .into_iter()
        .map(|(from, until)| Band {
            from,
            until,
            start_frac: (from - range.from) as f64 / span,
            end_frac: (until - range.from) as f64 / span,
        })
        .collect()
}

impl SignalChart {
    /// Whether any line has a value to draw.
    pub fn has_values(&self) -> bool {
        self.lines.iter().any(SignalLine::has_values)
    }

    /// The finest step among the lines: how far one arrow key press moves the cursor.
    pub fn step(&self) -> i64 {
        self.lines.iter().map(|l| l.step).min().unwrap_or(300).max(1)
    }

    /// Where the cursor starts: the first bin of any line, else the window's start.
    pub fn first_time(&self) -> Timestamp {
        self.lines.iter().filter_map(|l| l.points.first().map(|p| p.time)).min().unwrap_or(self.range.from)
    }

    /// The last bin of any line, else the window's end.
    pub fn last_time(&self) -> Timestamp {
        self.lines.iter().filter_map(|l| l.points.last().map(|p| p.time)).max().unwrap_or(self.range.until)
    }

    /// `t` moved by `bins` of the finest step, kept between the first and the last bin.
    pub fn move_cursor(&self, t: Timestamp, bins: i64) -> Timestamp {
        let (first, last) = (self.first_time(), self.last_time().max(self.first_time()));
        t.saturating_add(bins.saturating_mul(self.step())).clamp(first, last)
    }

    /// The time at a fraction of the window (a pointer's position).
    pub fn time_at(&self, frac: f64) -> Timestamp {
        let f = if frac.is_finite() { frac.clamp(0.0, 1.0) } else { 0.0 };
        self.range.from + (f * self.range.seconds() as f64).round() as i64
    }

    /// What every line shows nearest to `t`: the bin's time and its value as IODA sent it.
    pub fn readout(&self, t: Timestamp) -> Readout {
        let t = t.clamp(self.range.from, self.range.until);
        let readings = self
            .lines
            .iter()
            .map(|l| {
                let nearest = nearest(&l.points, t);
                LineReading {
                    key: l.key.clone(),
                    label: l.label.clone(),
                    time: nearest.map(|p| p.time),
                    value: nearest.and_then(|p| p.value),
                }
            })
            .collect();
        let frac = (t - self.range.from) as f64 / self.range.seconds().max(1) as f64;
        Readout { time: t, frac, readings }
    }

    /// The table view: every bin time of any line, each line's value at it (`None`: no bin or no value).
    pub fn table(&self) -> Vec<TableRow> {
        let mut times: Vec<Timestamp> = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.time)).collect();
        times.sort_unstable();
        times.dedup();
        let mut cursors = vec![0usize; self.lines.len()];
        times
            .into_iter()
            .map(|time| {
                let values = self
                    .lines
                    .iter()
                    .zip(cursors.iter_mut())
                    .map(|(l, c)| {
                        while *c < l.points.len() && l.points[*c].time < time {
                            *c += 1;
                        }
                        l.points.get(*c).filter(|p| p.time == time).and_then(|p| p.value)
                    })
                    .collect();
                TableRow { time, values }
            })
            .collect()
    }

    /// The chart's text alternative: what, for whom, when, which lines and how many outage bands.
    pub fn describe(&self, subject: &str) -> String {
        let mut out = format!(
            "IODA signals for {subject} from {} to {}",
            format_utc(self.range.from),
            format_utc(self.range.until)
        );
        let drawn: Vec<&str> = self.lines.iter().filter(|l| l.has_values()).map(|l| l.label.as_str()).collect();
        if drawn.is_empty() {
            out.push_str(": IODA sent no values for this window");
        } else {
            let _ = write!(out, ": {}, each scaled to its own maximum", drawn.join(", "));
        }
        match self.bands.len() {
            0 => out.push_str("; no outage alerts in the window."),
            1 => out.push_str("; 1 outage span shaded."),
            n => {
                let _ = write!(out, "; {n} outage spans shaded.");
            }
        }
        out
    }
}

/// The bin nearest to `t` (the earlier one on a tie), by binary search over bins sorted by time.
fn nearest(points: &[ChartPoint], t: Timestamp) -> Option<&ChartPoint> {
    let i = points.partition_point(|p| p.time < t);
    match (i.checked_sub(1).and_then(|j| points.get(j)), points.get(i)) {
        (Some(a), Some(b)) => Some(if t - a.time <= b.time - t { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// SVG path data for a line's segments in a `width` × `height` box (y grows down): one subpath per run of
/// values, so gaps stay gaps; a lone value is a zero-length subpath that a round line cap draws as a dot.
pub fn path_data(segments: &[Vec<(f64, f64)>], width: f64, height: f64) -> String {
    let mut d = String::new();
    for seg in segments {
        for (i, (x, y)) in seg.iter().enumerate() {
            let cmd = if i == 0 { 'M' } else { 'L' };
            let _ = write!(d, "{cmd}{:.1} {:.1}", x * width, (1.0 - y) * height);
        }
        if seg.len() == 1 {
            d.push_str("h0");
        }
    }
    d
}

/// A reading as the readout and the table show it: `1,234`, `0.42`, or `no data`.
pub fn reading_text(value: Option<f64>) -> String {
    value.map_or_else(|| "no data".to_string(), format_number)
}

/// Who the chart is about: IODA's name for the entity when the answer gives one
/// (`AS3307 (BANETELE-NORWAY)`), else `AS3307` or `country/NO`.
pub fn chart_subject(entity: &EntityRef, series: &[IodaSignalSeries]) -> String {
    let code = entity.code.as_deref().unwrap_or_default();
    let named = series
        .iter()
        .find(|s| s.entity.kind == entity.kind && s.entity.code == code)
        .and_then(|s| s.entity.name.clone())
        .filter(|n| !n.trim().is_empty());
    match (named, &entity.kind) {
        (Some(n), _) => n,
        (None, EntityKind::Asn) => format!("AS{code}"),
        (None, _) => entity.key(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ioda::{decode_signals, IodaEntity};
    use std::collections::BTreeMap;

    const LATENCY: &str =
        include_str!("../../tests/fixtures/ioda/v2-signals-raw-asn1299-upstream-delay-e2e-latency.json");
    const ASNS: &str = include_str!("../../tests/fixtures/ioda/v2-signals-raw-asn1299-upstream-delay-penult-asns.json");

    fn entity() -> IodaEntity {
        IodaEntity {
            kind: EntityKind::Asn,
            code: "3307".into(),
            name: Some("AS3307 (BANETELE-NORWAY)".into()),
            fqid: Some("asn.3307".into()),
            attrs: BTreeMap::new(),
        }
    }

    fn series(ds: &str, from: Timestamp, step: i64, values: &[Option<f64>]) -> IodaSignalSeries {
        IodaSignalSeries {
            entity: entity(),
            datasource: ds.into(),
            subtype: String::new(),
            from,
            until: from + step * values.len() as i64,
            step,
            native_step: Some(step),
            values: values.iter().map(|v| v.map_or(SignalValue::Missing, SignalValue::Number)).collect(),
        }
    }

    fn range(from: Timestamp, until: Timestamp) -> TimeRange {
        TimeRange::new(from, until).unwrap()
    }

    #[test]
    fn one_line_per_datasource_in_iodas_order_each_on_its_own_scale() {
        let s = vec![
            series("merit-nt", 0, 300, &[Some(10.0), Some(20.0)]),
            series("mozilla", 0, 3600, &[Some(1.0)]),
            series("bgp", 0, 300, &[Some(500.0), Some(1000.0), Some(250.0)]),
            series("ping-slash24", 0, 600, &[Some(0.0), Some(40.0)]),
        ];
        let c = signal_chart(&s, range(0, 600), &[]);
        let keys: Vec<&str> = c.lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["bgp", "ping-slash24", "merit-nt", "mozilla"]);
        assert_eq!(c.lines[0].label, "BGP");
        assert_eq!(c.lines[1].label, "Active probing");
        assert_eq!(c.lines[3].label, "mozilla");
        let bgp = &c.lines[0];
        assert_eq!(bgp.max, 1000.0);
        assert_eq!(bgp.segments, vec![vec![(0.0, 0.5), (0.5, 1.0), (1.0, 0.25)]]);
        // The other lines reach the top of their own scale too.
        assert_eq!(c.lines[2].segments[0][1], (0.5, 1.0));
        assert_eq!(c.lines[1].segments[0], vec![(0.0, 0.0), (1.0, 1.0)]);
        assert!(c.skipped.is_empty());
    }

    #[test]
    fn nulls_are_gaps_and_bins_outside_the_window_are_dropped() {
        let s = vec![series("bgp", 0, 100, &[Some(1.0), Some(2.0), None, Some(4.0), None, None, Some(2.0), Some(9.0)])];
        let c = signal_chart(&s, range(100, 600), &[]);
        let bgp = &c.lines[0];
        assert_eq!(bgp.points.len(), 6, "bins 100..=600");
        assert_eq!(bgp.points[0], ChartPoint { time: 100, value: Some(2.0) });
        assert_eq!(bgp.points[1], ChartPoint { time: 200, value: None });
        assert_eq!(bgp.max, 4.0, "the bin at 700 is outside and does not set the scale");
        assert_eq!(bgp.segments, vec![vec![(0.0, 0.5)], vec![(0.4, 1.0)], vec![(1.0, 0.5)]]);
        assert_eq!(path_data(&bgp.segments, 100.0, 10.0), "M0.0 5.0h0M40.0 0.0h0M100.0 5.0h0");
        let two = vec![vec![(0.0, 0.0), (0.5, 1.0)], vec![(0.75, 0.5), (1.0, 0.25)]];
        assert_eq!(path_data(&two, 200.0, 100.0), "M0.0 100.0L100.0 0.0M150.0 50.0L200.0 75.0");
    }

    #[test]
    fn an_all_missing_or_all_zero_series_draws_flat_or_nothing() {
        let s = vec![series("bgp", 0, 300, &[None, None]), series("merit-nt", 0, 300, &[Some(0.0), Some(0.0)])];
        let c = signal_chart(&s, range(0, 300), &[]);
        assert!(!c.lines[0].has_values());
        assert!(c.lines[0].segments.is_empty());
        assert_eq!(c.lines[1].max, 0.0);
        assert_eq!(c.lines[1].segments, vec![vec![(0.0, 0.0), (1.0, 0.0)]]);
        assert!(c.has_values());
        assert!(!signal_chart(&s[..1], range(0, 300), &[]).has_values());
    }

    #[test]
    fn bands_are_clipped_sorted_and_merged() {
        let c = signal_chart(
            &[],
            range(1000, 2000),
            &[(1500, 1700), (900, 1100), (1600, 1800), (2500, 2600), (1900, 1800)],
        );
        let spans: Vec<(Timestamp, Timestamp)> = c.bands.iter().map(|b| (b.from, b.until)).collect();
        assert_eq!(spans, [(1000, 1100), (1500, 1800)]);
        assert_eq!((c.bands[1].start_frac, c.bands[1].end_frac), (0.5, 0.8));
        // A span covering the whole window, and one touching its end.
        let c = signal_chart(&[], range(1000, 2000), &[(0, 5000)]);
        assert_eq!((c.bands[0].start_frac, c.bands[0].end_frac), (0.0, 1.0));
        let c = signal_chart(&[], range(1000, 2000), &[(2000, 2100)]);
        assert_eq!((c.bands[0].from, c.bands[0].until), (2000, 2000));
    }

    #[test]
    fn readout_takes_the_nearest_bin_of_each_line() {
        let s = vec![
            series("bgp", 0, 300, &[Some(10.0), Some(11.0), None, Some(13.0)]),
            series("ping-slash24", 0, 600, &[Some(5.0), Some(6.0)]),
        ];
        let c = signal_chart(&s, range(0, 900), &[]);
        let r = c.readout(320);
        assert_eq!(r.time, 320);
        assert_eq!(
            r.readings[0],
            LineReading { key: "bgp".into(), label: "BGP".into(), time: Some(300), value: Some(11.0) }
        );
        assert_eq!((r.readings[1].time, r.readings[1].value), (Some(600), Some(6.0)));
        // Ties go to the earlier bin; a null bin reads as no value, not as its neighbour's.
        assert_eq!(c.readout(150).readings[0].time, Some(0));
        assert_eq!(
            c.readout(600).readings[0],
            LineReading { key: "bgp".into(), label: "BGP".into(), time: Some(600), value: None }
        );
        // Outside the window the cursor is clamped.
        assert_eq!(c.readout(5000).time, 900);
        assert_eq!(c.readout(-5).readings[1].time, Some(0));
        assert_eq!(reading_text(Some(1234.0)), "1,234");
        assert_eq!(reading_text(None), "no data");
    }

    #[test]
    fn the_cursor_moves_by_the_finest_step_within_the_bins() {
        let s = vec![series("bgp", 0, 300, &[Some(1.0); 4]), series("ping-slash24", 0, 600, &[Some(1.0); 2])];
        let c = signal_chart(&s, range(0, 1200), &[]);
        assert_eq!(c.step(), 300);
        assert_eq!((c.first_time(), c.last_time()), (0, 900));
        assert_eq!(c.move_cursor(0, 1), 300);
        assert_eq!(c.move_cursor(0, -1), 0);
        assert_eq!(c.move_cursor(600, 12), 900);
        assert_eq!(c.time_at(0.5), 600);
        assert_eq!(c.time_at(f64::NAN), 0);
        assert_eq!(c.time_at(2.0), 1200);
        let empty = signal_chart(&[], range(0, 1200), &[]);
        assert_eq!((empty.step(), empty.first_time(), empty.move_cursor(0, 3)), (300, 0, 900));
    }

    #[test]
    fn the_table_has_every_bin_time_and_blanks_where_a_line_has_none() {
        let s = vec![
            series("bgp", 0, 300, &[Some(10.0), None, Some(12.0)]),
            series("ping-slash24", 0, 600, &[Some(5.0), Some(6.0)]),
        ];
        let rows = signal_chart(&s, range(0, 600), &[]).table();
        assert_eq!(
            rows,
            vec![
                TableRow { time: 0, values: vec![Some(10.0), Some(5.0)] },
                TableRow { time: 300, values: vec![None, None] },
                TableRow { time: 600, values: vec![Some(12.0), Some(6.0)] },
            ]
        );
    }

    #[test]
    fn the_text_alternative_says_what_for_whom_and_when() {
        let day = 1_699_920_000; // 2023-11-14 00:00 UTC
        let s = vec![series("bgp", day, 300, &[Some(1.0)]), series("merit-nt", day, 300, &[None])];
        let asn = EntityRef::parse("asn/3307").unwrap();
        let c = signal_chart(&s, range(day, day + 86_400), &[(10, 20)]);
        assert_eq!(chart_subject(&asn, &s), "AS3307 (BANETELE-NORWAY)");
        assert_eq!(chart_subject(&asn, &[]), "AS3307");
        assert_eq!(chart_subject(&EntityRef::parse("country/NO").unwrap(), &s), "country/NO");
        assert_eq!(
            c.describe("AS3307"),
            "IODA signals for AS3307 from 2023-11-14 00:00 UTC to 2023-11-15 00:00 UTC: BGP, each scaled to its own \
             maximum; no outage alerts in the window."
        );
        let c = signal_chart(&[], range(0, 100), &[(10, 20), (50, 60)]);
        assert!(c.describe("AS1").ends_with("IODA sent no values for this window; 2 outage spans shaded."));
    }

    #[test]
    fn the_recorded_upstream_delay_answers_are_skipped_with_a_note() {
        for body in [LATENCY, ASNS] {
            let s = decode_signals(body).unwrap();
            let window = range(s[0].from, s[0].until);
            let c = signal_chart(&s, window, &[]);
            assert!(c.lines.is_empty());
            assert_eq!(c.skipped.len(), 1);
            assert!(c.skipped[0].datasource.starts_with("upstream-delay-penult-"));
            assert!(!c.has_values());
            assert!(c.describe("AS1299 (TWELVE99)").contains("IODA sent no values"));
        }
    }

    #[test]
    fn a_numeric_series_beside_the_recorded_one_is_drawn() {
        // The recorded envelope with a bgp series added next to the upstream-delay one, as an answer
        // without `datasource` carries both.
        let mut v: serde_json::Value = serde_json::from_str(ASNS).unwrap();
        let mut bgp = v["data"][0][0].clone();
        bgp["datasource"] = "bgp".into();
        bgp["step"] = 300.into();
        bgp["values"] = serde_json::json!([100, 100, null, "50", 100]);
        v["data"][0].as_array_mut().unwrap().push(bgp);
        let s = decode_signals(&v.to_string()).unwrap();
        let from = s[0].from;
        let c = signal_chart(&s, range(from, s[0].until), &[(from + 600, from + 1200)]);
        assert_eq!(c.lines.len(), 1);
        assert_eq!(c.lines[0].key, "bgp");
        assert_eq!(c.lines[0].segments.len(), 2);
        assert_eq!(c.readout(from + 900).readings[0].value, Some(50.0));
        assert_eq!(c.skipped[0].datasource, "upstream-delay-penult-asns");
        assert_eq!(chart_subject(&EntityRef::parse("asn/1299").unwrap(), &s), "AS1299 (TWELVE99)");
        assert_eq!(c.bands.len(), 1);
    }

    #[test]
    fn subtypes_are_separate_lines_and_duplicates_are_noted() {
        let mut web = series("gtr", 0, 1800, &[Some(1.0)]);
        web.subtype = "WEB_SEARCH".into();
        let mut yt = series("gtr", 0, 1800, &[Some(2.0)]);
        yt.subtype = "YOUTUBE".into();
        let s = vec![yt, web, series("bgp", 0, 300, &[Some(1.0)]), series("bgp", 0, 300, &[Some(7.0)])];
        let c = signal_chart(&s, range(0, 1800), &[]);
        let keys: Vec<&str> = c.lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["bgp", "gtr.WEB_SEARCH", "gtr.YOUTUBE"]);
        assert_eq!(c.lines[1].label, "Google Transparency Report · WEB_SEARCH");
        assert_eq!(c.lines[0].max, 1.0);
        assert_eq!(c.skipped[0].datasource, "bgp");
    }
}
