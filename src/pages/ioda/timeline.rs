//! The alert timeline: one row per datasource (one entity chosen; a row per series where a datasource
//! has several, e.g. Google's products) or per entity, bars coloured by level and told apart by shape
//! too (critical: hatched, full height; warning: solid, shorter; normal: a thin tick), UTC ticks below.
//! Clicking a bar shows its row in the table.

use crate::api::ioda::{
    alert_series, busiest_rows, timeline, timeline_axis, AlertLevel, AlertSeries, Datasource, IodaAlert, TimelineGroup,
    TimelineRow, TimelineSegment,
};
use crate::api::page::format_count;
use crate::api::time::{format_duration, format_utc, TimeRange};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows drawn at most; the rest are counted in a "+N more" note.
pub const MAX_ROWS: usize = 20;

const WIDTH: f64 = 1000.0;
const LABEL_RIGHT: f64 = 192.0;
const PLOT_LEFT: f64 = 200.0;
const PLOT_RIGHT: f64 = 988.0;
const TOP: f64 = 4.0;
const ROW_H: f64 = 22.0;
const AXIS_H: f64 = 26.0;
const LABEL_CHARS: usize = 26;

fn level_class(level: &AlertLevel) -> &'static str {
    match level {
        AlertLevel::Critical => "seg seg-critical",
        AlertLevel::Warning => "seg seg-warning",
        AlertLevel::Normal => "seg seg-normal",
        AlertLevel::Other(_) => "seg seg-other",
    }
}

/// (y offset within the row, height) per level: height is a second carrier besides colour.
fn level_box(level: &AlertLevel) -> (f64, f64) {
    match level {
        AlertLevel::Warning => (6.0, 10.0),
        _ => (3.0, 16.0),
    }
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        format!("{}…", label.chars().take(LABEL_CHARS - 1).collect::<String>())
    }
}

fn row_label(row: &TimelineRow, group: TimelineGroup) -> String {
    let base = match group {
        TimelineGroup::Datasource => Datasource::from_key(&row.label).map_or(row.label.clone(), |d| d.label().into()),
        TimelineGroup::Entity => row.label.clone(),
    };
    match &row.series {
        // The series name first: it is what tells the rows apart when the label is cut short.
        Some(series) => format!("{series} · {base}"),
        None => base,
    }
}

fn x_of(frac: f64) -> f64 {
    PLOT_LEFT + frac.clamp(0.0, 1.0) * (PLOT_RIGHT - PLOT_LEFT)
}

/// The time axis of an IODA chart: a grid line and a label per tick between `top` and `bottom`,
/// `x_of` placing a fraction of the window (the alert timeline and the signals chart share it).
pub(super) fn time_axis(range: TimeRange, x_of: fn(f64) -> f64, top: f64, bottom: f64) -> impl IntoView {
    timeline_axis(range, 8)
        .into_iter()
        .map(|t| {
            let x = x_of(t.frac);
            let anchor = if t.frac < 0.04 {
                "start"
            } else if t.frac > 0.96 {
                "end"
            } else {
                "middle"
            };
            view! {
                <line class="tl-grid" x1=x x2=x y1=top y2=bottom + 4.0 />
                <text class="tl-tick" x=x y=bottom + 18.0 text-anchor=anchor>
                    {t.label}
                </text>
            }
        })
        .collect_view()
}

/// The hover text of a bar: level, time, entity, datasource and series (and how long an outage bar lasts).
fn bar_title(alert: &IodaAlert, series: Option<&AlertSeries>, duration: Option<i64>) -> String {
    let entity = if alert.entity.code.is_empty() {
        alert.entity.label()
    } else {
        format!("{} ({}/{})", alert.entity.label(), alert.entity.kind.key(), alert.entity.code)
    };
    let ds = if alert.datasource.is_empty() { "unknown datasource" } else { alert.datasource.as_str() };
    let mut out = format!("{} · {} · {} · {}", alert.level.label(), format_utc(alert.time), entity, ds);
    if let Some(name) = series.and_then(|s| s.label.as_deref()) {
        out.push_str(&format!(" ({name})"));
    }
    if let Some(d) = duration.filter(|_| alert.level.is_outage()) {
        out.push_str(&format!(" · shown for {}", format_duration(d)));
    }
    out
}

#[component]
pub fn Timeline(
    /// Every alert of the query (the level filter hides bars, not alerts: a hidden normal alert
    /// still ends an outage bar).
    alerts: Arc<Vec<IodaAlert>>,
    range: TimeRange,
    group: TimelineGroup,
    levels: Vec<AlertLevel>,
    /// Called with the index (into `alerts`) of a clicked bar.
    on_select: Callback<usize>,
) -> impl IntoView {
    let all_rows = timeline(&alerts, range, group);
    let series = alert_series(&alerts);
    let unnamed_series = series.iter().any(|s| s.label.as_deref().is_some_and(|l| l.starts_with("series ")));
    let (rows, left_out) = busiest_rows(all_rows, &levels, MAX_ROWS);
    if rows.is_empty() {
        return ().into_any();
    }
    let span = range.seconds().max(1) as f64;

    let mut counts = [0usize; 4];
    for row in &rows {
        for s in &row.segments {
            counts[match s.level {
                AlertLevel::Critical => 0,
                AlertLevel::Warning => 1,
                AlertLevel::Normal => 2,
                AlertLevel::Other(_) => 3,
            }] += 1;
        }
    }
    let bars: usize = counts.iter().sum();
    let per = match group {
        TimelineGroup::Datasource if rows.iter().any(|r| r.series.is_some()) => {
            "datasource (one per series where a datasource has several)"
        }
        TimelineGroup::Datasource => "datasource",
        TimelineGroup::Entity => "entity",
    };
    let summary = format!(
        "Alert timeline from {} to {}: {} alerts in {} rows, one per {per}; {} critical, {} warning, {} normal{}.",
        format_utc(range.from),
        format_utc(range.until),
        format_count(bars as u64),
        rows.len(),
        counts[0],
        counts[1],
        counts[2],
        if counts[3] > 0 { format!(", {} of unknown level", counts[3]) } else { String::new() },
    );

    let plot_bottom = TOP + rows.len() as f64 * ROW_H;
    let height = plot_bottom + AXIS_H;
    let grid = time_axis(range, x_of, TOP, plot_bottom);

    let bands = (0..rows.len())
        .map(|r| {
            let class = if r % 2 == 0 { "tl-band" } else { "tl-band odd" };
            view! { <rect class=class x=0 y=TOP + r as f64 * ROW_H width=WIDTH height=ROW_H /> }
        })
        .collect_view();

    let row_views = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let y = TOP + r as f64 * ROW_H;
            let full = row_label(row, group);
            let label = short(&full);
            // Normal ticks first, outage bars over them: a short outage (a 2-unit bar) otherwise
            // hides under the tick of the normal alert that ends it and cannot be clicked.
            let mut painted: Vec<&TimelineSegment> = row.segments.iter().collect();
            painted.sort_by_key(|s| s.level.is_outage());
            let segments = painted
                .into_iter()
                .map(|s| {
                    let alert = &alerts[s.alert_index];
                    let x = x_of(s.start_frac);
                    let w = (x_of(s.end_frac) - x).max(2.0);
                    let (dy, h) = level_box(&s.level);
                    let duration = ((s.end_frac - s.start_frac) * span).round() as i64;
                    let title = bar_title(alert, series.get(s.alert_index), Some(duration));
                    let index = s.alert_index;
                    view! {
                        <rect
                            class=level_class(&s.level)
                            x=x
                            y=y + dy
                            width=w
                            height=h
                            data-alert=index
                            on:click=move |_| on_select.run(index)
                        >
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                <g class="tl-row">
                    <text class="tl-label" x=LABEL_RIGHT y=y + ROW_H / 2.0 text-anchor="end" dominant-baseline="central">
                        <title>{full}</title>
                        {label}
                    </text>
                    {segments}
                </g>
            }
        })
        .collect_view();

    let more = (left_out > 0).then(|| {
        let what = match group {
            TimelineGroup::Datasource => "datasources",
            TimelineGroup::Entity => "entities",
        };
        view! {
            <p class="tl-more" data-testid="timeline-more">
                {format!("+{} more {what} with fewer alerts (not drawn; they are in the table).", format_count(left_out as u64))}
            </p>
        }
    });

    view! {
        <figure class="ioda-timeline" data-testid="ioda-timeline">
            <figcaption class="tl-legend">
                <span class="tl-caption">
                    {match group {
                        TimelineGroup::Datasource => "Alerts over time, per datasource (UTC). Click a bar to find its row.",
                        TimelineGroup::Entity => "Alerts over time, busiest entities first (UTC). Click a bar to find its row.",
                    }}
                    {unnamed_series.then_some(
                        " IODA does not say which of a datasource's series an alert is from: “series 1”, “series 2” are told apart by the order IODA keeps each series' alerts in.",
                    )}
                </span>
                <span class="tl-key">
                    <svg class="tl-swatch" viewBox="0 0 24 22" aria-hidden="true">
                        <rect class="seg seg-critical" x=2 y=3 width=20 height=16 />
                    </svg>
                    "Critical (hatched)"
                </span>
                <span class="tl-key">
                    <svg class="tl-swatch" viewBox="0 0 24 22" aria-hidden="true">
                        <rect class="seg seg-warning" x=2 y=6 width=20 height=10 />
                    </svg>
                    "Warning (thinner)"
                </span>
                <span class="tl-key">
                    <svg class="tl-swatch" viewBox="0 0 24 22" aria-hidden="true">
                        <rect class="seg seg-normal" x=11 y=3 width=3 height=16 />
                    </svg>
                    "Normal (tick)"
                </span>
            </figcaption>
            <div class="tl-scroll">
                <svg
                    class="tl-chart"
                    role="img"
                    aria-label=summary
                    viewBox=format!("0 0 {WIDTH} {height}")
                    preserveAspectRatio="xMinYMin meet"
                >
                    <defs>
                        <pattern id="ioda-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                            <rect class="hatch-bg" x="0" y="0" width="6" height="6" />
                            <line class="hatch-line" x1="0" y1="0" x2="0" y2="6" />
                        </pattern>
                    </defs>
                    {bands}
                    {grid}
                    {row_views}
                    <line class="tl-axis" x1=PLOT_LEFT x2=PLOT_RIGHT y1=plot_bottom + 4.0 y2=plot_bottom + 4.0 />
                </svg>
            </div>
            {more}
        </figure>
    }
    .into_any()
}
