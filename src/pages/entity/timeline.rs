//! The cross-source timeline at the top of an entity page: one lane per source on the page's window, fed
//! by what the panels below loaded (no requests of its own). A lane whose source cannot answer says why.
//! Marks are links (keyboard focus, Enter opens the detail page); the grid behind them is the `role="img"`
//! drawing with the text alternative; a table view lists the same marks.

use super::window::PageWindow;
use crate::api::ioda::timeline_axis;
use crate::api::time::{format_utc, TimeRange};
use crate::api::timeline::{aria_label, place, LaneFeed, LanePlan, Mark, LANES};
use crate::api::Source;
use crate::app::use_app;
use crate::ui::table::lazy_table;
use leptos::prelude::*;

/// What the panels hand the timeline: one feed per lane, in [`LANES`] order.
#[derive(Clone, Copy)]
pub(super) struct TimelineFeed([RwSignal<LaneFeed>; 4]);

impl TimelineFeed {
    /// A feed for this page; `absent` lanes start with their reason (the page has no such panel).
    pub fn provide(absent: &[(Source, &str)]) -> TimelineFeed {
        let lanes = LANES.map(|(source, _)| {
            let reason = absent.iter().find(|(s, _)| *s == source).map(|(_, r)| r.to_string());
            RwSignal::new(reason.map_or(LaneFeed::Loading, LaneFeed::Unavailable))
        });
        let feed = TimelineFeed(lanes);
        provide_context(feed);
        feed
    }

    fn lane(&self, source: Source) -> RwSignal<LaneFeed> {
        let i = LANES.iter().position(|(s, _)| *s == source).unwrap_or(0);
        self.0[i]
    }
}

/// Tells the page's timeline (if it has one) what a panel loaded.
pub(super) fn feed(source: Source, value: LaneFeed) {
    if let Some(f) = use_context::<TimelineFeed>() {
        f.lane(source).set(value);
    }
}

/// A panel's loaded answer or failure as its lane's feed.
pub(super) fn feed_result<T, E: std::fmt::Display>(
    source: Source,
    result: &Result<T, E>,
    marks: impl FnOnce(&T) -> (Vec<Mark>, String),
) {
    let value = match result {
        Ok(answer) => {
            let (marks, covers) = marks(answer);
            LaneFeed::Ready { marks, covers }
        }
        Err(e) => LaneFeed::Unavailable(format!("{} could not be loaded: {e}", source.name())),
    };
    feed(source, value);
}

/// One lane as drawn: its source, the noun it counts, its feed and (when ready) its placed marks.
type Lane = (Source, (&'static str, &'static str), LaneFeed, Option<LanePlan>);

fn lane_title(source: Source) -> &'static str {
    match source {
        Source::Ioda => "IODA outages",
        Source::Grip => "GRIP routing",
        Source::Spoofer => "Spoofer tests",
        Source::Spamhaus => "Spamhaus listings",
    }
}

#[component]
pub(super) fn CrossTimeline(
    /// "AS3307", "Norway", "192.0.2.0/24": what the text alternative names.
    #[prop(into)]
    subject: Signal<String>,
    window: PageWindow,
    feed: TimelineFeed,
) -> impl IntoView {
    let chart = move || {
        let range = window.get()?;
        let lanes: Vec<Lane> = LANES
            .iter()
            .map(|(source, noun)| {
                let value = feed.lane(*source).get();
                let plan = match &value {
                    LaneFeed::Ready { marks, .. } => Some(place(marks.clone(), range)),
                    _ => None,
                };
                (*source, *noun, value, plan)
            })
            .collect();
        let label =
            aria_label(&subject.get(), range, &lanes.iter().map(|(s, _, _, p)| (*s, p.as_ref())).collect::<Vec<_>>());
        Some(chart_view(range, label, lanes))
    };
    view! {
        <section class="cross-timeline" data-testid="cross-timeline" aria-labelledby="xt-title">
            <h2 id="xt-title">"Timeline across sources"</h2>
            {chart}
        </section>
    }
}

fn chart_view(range: TimeRange, label: String, lanes: Vec<Lane>) -> AnyView {
    let ticks = timeline_axis(range, 6);
    let grid = ticks
        .iter()
        .map(|t| {
            let x = t.frac * 1000.0;
            view! { <line class="xt-gridline" x1=x x2=x y1=0 y2=100 /> }
        })
        .collect_view();
    let tick_labels = ticks
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            // Every other label gives way on a phone.
            let minor = if i % 2 == 1 { " minor" } else { "" };
            let class = if t.frac < 0.06 {
                format!("xt-tick start{minor}")
            } else if t.frac > 0.94 {
                format!("xt-tick end{minor}")
            } else {
                format!("xt-tick{minor}")
            };
            view! { <span class=class style:left=format!("{:.3}%", t.frac * 100.0)>{t.label}</span> }
        })
        .collect_view();
    let all_marks: Vec<(Source, Mark)> = lanes
        .iter()
        .filter_map(|(s, _, _, p)| p.as_ref().map(|p| (s, p)))
        .flat_map(|(s, p)| p.marks.iter().map(move |m| (*s, m.mark.clone())))
        .collect();
    let rows = lanes.into_iter().map(|(source, noun, value, plan)| lane_view(source, noun, value, plan)).collect_view();
    view! {
        <figure class="xt" data-testid="xt-chart">
            <div class="xt-body">
                <svg class="xt-grid" role="img" aria-label=label viewBox="0 0 1000 100" preserveAspectRatio="none">
                    {grid}
                </svg>
                {rows}
                <div class="xt-axis" aria-hidden="true">
                    <span class="xt-label"></span>
                    <div class="xt-ticks">{tick_labels}</div>
                </div>
            </div>
            <figcaption class="xt-legend">
                <span class="xt-key alarm">"outage, suspicious, could spoof, listed"</span>
                <span class="xt-key caution">"warning, grey"</span>
                <span class="xt-key calm">"benign, could not spoof, expired"</span>
                <span class="xt-key plain">"no verdict"</span>
                <span class="muted">" UTC. Select a mark to open it."</span>
            </figcaption>
            {table_view(all_marks)}
        </figure>
    }
    .into_any()
}

fn lane_view(source: Source, noun: (&str, &str), value: LaneFeed, plan: Option<LanePlan>) -> AnyView {
    let app = use_app();
    let (track, note) = match (value, plan) {
        (LaneFeed::Ready { covers, .. }, Some(plan)) => {
            let note = format!("{} · {covers}", plan.note(noun));
            let marks = plan
                .marks
                .into_iter()
                .map(|p| {
                    let span = p.width > 0.0;
                    let class = format!("xt-mark {} {}", if span { "span" } else { "moment" }, p.mark.tone.key());
                    let width = span.then(|| format!("{:.3}%", p.width * 100.0));
                    view! {
                        <a
                            class=class
                            href=app.href(&p.mark.path)
                            title=p.mark.title.clone()
                            aria-label=p.mark.title
                            style:left=format!("{:.3}%", p.x * 100.0)
                            style:width=width
                        ></a>
                    }
                })
                .collect_view();
            (view! { <div class="xt-track">{marks}</div> }.into_any(), note)
        }
        (LaneFeed::Unavailable(why), _) => {
            (view! { <div class="xt-track empty"><span class="xt-why">{why}</span></div> }.into_any(), String::new())
        }
        _ => (
            view! { <div class="xt-track empty"><span class="xt-why">"Loading…"</span></div> }.into_any(),
            String::new(),
        ),
    };
    view! {
        <div class="xt-lane" data-lane=source.key() data-testid=format!("xt-lane-{}", source.key())>
            <div class="xt-label">
                <span class="xt-name">{lane_title(source)}</span>
                <span class="xt-note">{note}</span>
            </div>
            {track}
        </div>
    }
    .into_any()
}

/// The marks as a table, built only when opened.
fn table_view(marks: Vec<(Source, Mark)>) -> AnyView {
    let app = use_app();
    let summary = format!("Show as table ({} marks)", marks.len());
    let marks = StoredValue::new(marks);
    let head = || {
        ["Source", "Start", "End", "What"]
            .map(|h| view! { <th scope="col">{h}</th> })
            .into_iter()
            .collect_view()
            .into_any()
    };
    let rows = move || {
        marks
            .get_value()
            .into_iter()
            .map(|(source, m)| {
                view! {
                    <tr>
                        <td>{source.name()}</td>
                        <td class="nowrap">{format_utc(m.start)}</td>
                        <td class="nowrap">{m.end.map(format_utc).unwrap_or_else(|| "—".into())}</td>
                        <td><a href=app.href(&m.path)>{m.title}</a></td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    lazy_table(summary, "xt-table", "Every mark of the timeline (UTC)".to_string(), head, rows)
}
