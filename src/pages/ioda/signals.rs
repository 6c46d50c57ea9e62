//! The signals chart: IODA's raw signals for one entity and window as an SVG (one line per datasource on
//! its own scale, outage bands, UTC ticks), a readout that follows the pointer or the arrow keys, and the
//! same numbers as a table. The geometry is `api::chart`; this file only draws it.

use crate::api::chart::{chart_subject, path_data, reading_text, signal_chart, SignalChart};
use crate::api::ioda::{decode_signals, outage_spans, signals_url, EntityRef, IodaAlert, IodaSignalSeries};
use crate::api::time::{format_utc, TimeRange, Timestamp};
use crate::api::Source;
use crate::app::use_app;
use crate::http::{fetch_decoded, Request};
use crate::ui::results::loaded;
use crate::ui::table::lazy_table;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

const WIDTH: f64 = 1000.0;
const PLOT_LEFT: f64 = 8.0;
const PLOT_W: f64 = 984.0;
const TOP: f64 = 8.0;
const PLOT_H: f64 = 200.0;
const AXIS_H: f64 = 26.0;
/// Arrow keys move one bin; Page Up / Page Down this many.
const PAGE_BINS: i64 = 12;

fn x_of(frac: f64) -> f64 {
    PLOT_LEFT + frac.clamp(0.0, 1.0) * PLOT_W
}

/// The colour and dash class of a line: IODA's main signals keep theirs, the rest share one.
fn line_class(datasource: &str) -> &'static str {
    match datasource {
        "bgp" => "sig-line sig-bgp",
        "ping-slash24" => "sig-line sig-ping",
        "merit-nt" => "sig-line sig-merit",
        "gtr" => "sig-line sig-gtr",
        _ => "sig-line sig-other",
    }
}

/// IODA's signals for `entity` over `range`, with the outages of `alerts` (the page's, already loaded)
/// shaded. Only for the v2 API: the legacy one has no signals.
#[component]
pub fn SignalsChart(entity: EntityRef, range: TimeRange, alerts: Arc<Vec<IodaAlert>>) -> impl IntoView {
    let app = use_app();
    let url = signals_url(app.endpoints().base(Source::Ioda), &entity, range.from, range.until);
    let data = LocalResource::new(move || {
        let url = url.clone();
        async move {
            let url = url?;
            Some(fetch_decoded(Request::get(Source::Ioda, url), None, answer_in).await)
        }
    });
    let spans: Vec<(Timestamp, Timestamp)> =
        outage_spans(&alerts, range).into_iter().map(|s| (s.from, s.until)).collect();
    let render = move |series: Vec<IodaSignalSeries>| {
        let subject = chart_subject(&entity, &series);
        let chart = signal_chart(&series, range, &spans);
        chart_view(Arc::new(chart), subject)
    };
    view! {
        <section class="signals" data-testid="signals" aria-labelledby="signals-title">
            <h3 id="signals-title">"Signals"</h3>
            {loaded(data, render)}
        </section>
    }
}

/// Decodes the answer, first leaving a User Timing mark where the chart's own work starts (`make bench`
/// measures from it to the painted chart; the browser's performance panel shows it too).
fn answer_in(body: &str) -> Result<Vec<IodaSignalSeries>, crate::api::error::FetchError> {
    if let Some(p) = window().performance() {
        let _ = p.mark("netlens:signals-answer");
    }
    decode_signals(body)
}

fn chart_view(chart: Arc<SignalChart>, subject: String) -> AnyView {
    let label = chart.describe(&subject);
    if !chart.has_values() {
        return view! { <p class="empty-state" data-testid="signals-empty">{label}</p> }.into_any();
    }
    let cursor = RwSignal::new(None::<Timestamp>);
    let plot_bottom = TOP + PLOT_H;
    let height = plot_bottom + AXIS_H;

    let ticks = super::timeline::time_axis(chart.range, x_of, TOP, plot_bottom);
    let bands = chart
        .bands
        .iter()
        .map(|b| {
            let x = x_of(b.start_frac);
            let w = (x_of(b.end_frac) - x).max(2.0);
            view! { <rect class="sig-band" x=x y=TOP width=w height=PLOT_H data-from=b.from data-until=b.until /> }
        })
        .collect_view();
    let lines = chart
        .lines
        .iter()
        .map(|l| {
            let d = path_data(&l.segments, PLOT_W, PLOT_H);
            view! {
                <path
                    class=line_class(&l.datasource)
                    transform=format!("translate({PLOT_LEFT} {TOP})")
                    d=d
                    data-datasource=l.key.clone()
                />
            }
        })
        .collect_view();

    // The cursor: a vertical rule and a dot on each line at its nearest bin.
    let c = chart.clone();
    let marks = move || {
        let t = cursor.get()?;
        let r = c.readout(t);
        let x = x_of(r.frac);
        let dots = c
            .lines
            .iter()
            .zip(&r.readings)
            .filter_map(|(l, reading)| {
                let (time, value) = (reading.time?, reading.value?);
                let fx = (time - c.range.from) as f64 / c.range.seconds().max(1) as f64;
                let fy = if l.max > 0.0 { (value / l.max).clamp(0.0, 1.0) } else { 0.0 };
                let class = line_class(&l.datasource).replace("sig-line", "sig-dot");
                Some(view! { <circle class=class cx=x_of(fx) cy=TOP + (1.0 - fy) * PLOT_H r=4 /> })
            })
            .collect_view();
        Some(view! {
            <line class="sig-cursor" x1=x x2=x y1=TOP y2=plot_bottom />
            {dots}
        })
    };

    let c = chart.clone();
    let on_pointer = move |ev: web_sys::PointerEvent| {
        let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let rect = el.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let svg_x = (f64::from(ev.client_x()) - rect.left()) / rect.width() * WIDTH;
        cursor.set(Some(c.time_at((svg_x - PLOT_LEFT) / PLOT_W)));
    };
    let c = chart.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let now = cursor.get_untracked().unwrap_or_else(|| c.first_time());
        let next = match ev.key().as_str() {
            "ArrowRight" => c.move_cursor(now, 1),
            "ArrowLeft" => c.move_cursor(now, -1),
            "PageUp" => c.move_cursor(now, PAGE_BINS),
            "PageDown" => c.move_cursor(now, -PAGE_BINS),
            "Home" => c.first_time(),
            "End" => c.last_time(),
            "Escape" => {
                cursor.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
    };
    let c = chart.clone();
    let on_focus = move |_| {
        if cursor.get_untracked().is_none() {
            cursor.set(Some(c.first_time()));
        }
    };

    let c = chart.clone();
    let readout = move || match cursor.get() {
        None => view! { <span class="muted">"Point at the chart, or focus it and use ← →, to read the values."</span> }
            .into_any(),
        Some(t) => {
            let r = c.readout(t);
            let items = r
                .readings
                .into_iter()
                .map(|x| {
                    let at = x.time.map(format_utc).unwrap_or_default();
                    view! {
                        <li data-line=x.key>
                            <span class="sig-readout-label">{x.label}</span>
                            ": "
                            <strong>{reading_text(x.value)}</strong>
                            <span class="sig-sub">{format!(" at {at}")}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <span class="sig-readout-time">{format_utc(r.time)}</span>
                <ul>{items}</ul>
            }
            .into_any()
        }
    };

    view! {
        <figure class="signals-chart" data-testid="signals-chart">
            <figcaption class="tl-legend">
                <span class="tl-caption">
                    "Each line is scaled to its own maximum (0 at the bottom), as IODA's dashboard draws them. "
                    "Gaps are bins IODA had no value for; shaded spans are outage alerts. UTC."
                </span>
                {legend(&chart)}
            </figcaption>
            <div
                class="sig-plot"
                tabindex="0"
                role="group"
                aria-label="Signals chart: use the arrow keys, Page Up, Page Down, Home and End to move the readout"
                aria-describedby="signals-readout"
                on:keydown=on_key
                on:focus=on_focus
            >
                <svg
                    class="tl-chart"
                    role="img"
                    aria-label=label
                    viewBox=format!("0 0 {WIDTH} {height}")
                    preserveAspectRatio="xMinYMin meet"
                    on:pointermove=on_pointer
                    on:pointerleave=move |_| cursor.set(None)
                >
                    {bands}
                    {ticks}
                    {lines}
                    {marks}
                    <line class="tl-axis" x1=PLOT_LEFT x2=PLOT_LEFT + PLOT_W y1=plot_bottom + 4.0 y2=plot_bottom + 4.0 />
                </svg>
            </div>
            <div class="sig-readout" id="signals-readout" aria-live="polite" data-testid="signals-readout">
                {readout}
            </div>
            {skipped_note(&chart)}
            {table_view(chart.clone())}
        </figure>
    }
    .into_any()
}

fn legend(chart: &SignalChart) -> AnyView {
    chart
        .lines
        .iter()
        .map(|l| {
            let note = if l.has_values() {
                format!("max {}", reading_text(Some(l.max)))
            } else {
                "no data in this window".to_string()
            };
            view! {
                <span class="tl-key" data-line=l.key.clone()>
                    <svg class="tl-swatch" viewBox="0 0 24 22" aria-hidden="true">
                        <path class=line_class(&l.datasource) d="M1 11H23" />
                    </svg>
                    {l.label.clone()}
                    <span class="sig-sub">{format!(" ({note})")}</span>
                </span>
            }
        })
        .collect_view()
        .into_any()
}

fn skipped_note(chart: &SignalChart) -> Option<AnyView> {
    if chart.skipped.is_empty() {
        return None;
    }
    let text = chart.skipped.iter().map(|s| format!("{} ({})", s.datasource, s.reason)).collect::<Vec<_>>().join("; ");
    Some(view! { <p class="tl-more" data-testid="signals-skipped">{format!("Not drawn: {text}.")}</p> }.into_any())
}

/// The same numbers as a table, built only once opened (a week is thousands of rows).
fn table_view(chart: Arc<SignalChart>) -> AnyView {
    let labels: Vec<String> = chart.lines.iter().map(|l| l.label.clone()).collect();
    let head = move || {
        let cols = labels.iter().map(|l| view! { <th scope="col" class="num">{l.clone()}</th> }).collect_view();
        view! {
            <th scope="col">"Time (UTC)"</th>
            {cols}
        }
        .into_any()
    };
    let rows = move || {
        chart
            .table()
            .into_iter()
            .map(|row| {
                let cells = row
                    .values
                    .into_iter()
                    .map(|v| view! { <td class="num">{v.map_or_else(|| "—".to_string(), |n| reading_text(Some(n)))}</td> })
                    .collect_view();
                view! {
                    <tr data-time=row.time>
                        <th scope="row" class="nowrap">{format_utc(row.time)}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let caption = "IODA signal values per bin (as IODA sent them; — = no value)".to_string();
    lazy_table("Show as table".to_string(), "signals-table", caption, head, rows)
}
