//! The one data table: sticky header, sort within the loaded page, numeric alignment, empty state.
//! Rows are keyed and render as plain (non-reactive) cells: only the sort order and, for long
//! pages, the window of rendered rows are reactive.

use leptos::prelude::*;
use std::cmp::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// What a column sorts by.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum SortKey {
    Int(i64),
    Float(f64),
    Text(String),
    Missing,
}

impl SortKey {
    fn compare(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
            // Missing values sort last whatever the direction is.
            (SortKey::Missing, _) => Ordering::Greater,
            (_, SortKey::Missing) => Ordering::Less,
            (SortKey::Int(a), SortKey::Int(b)) => a.cmp(b),
            (SortKey::Float(a), SortKey::Float(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.to_lowercase().cmp(&b.to_lowercase()),
            (a, b) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        }
    }
}

type Cell<T> = Arc<dyn Fn(&T) -> AnyView + Send + Sync>;
type Key<T> = Arc<dyn Fn(&T) -> SortKey + Send + Sync>;
/// Gives a row its element id, so other parts of the page can scroll to it.
pub type RowId<T> = Arc<dyn Fn(&T) -> String + Send + Sync>;

pub struct Column<T> {
    pub title: &'static str,
    pub numeric: bool,
    pub cell: Cell<T>,
    pub sort: Option<Key<T>>,
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Column { title: self.title, numeric: self.numeric, cell: self.cell.clone(), sort: self.sort.clone() }
    }
}

impl<T> Column<T> {
    pub fn new(title: &'static str, cell: impl Fn(&T) -> AnyView + Send + Sync + 'static) -> Self {
        Column { title, numeric: false, cell: Arc::new(cell), sort: None }
    }

    pub fn sort_by(mut self, key: impl Fn(&T) -> SortKey + Send + Sync + 'static) -> Self {
        self.sort = Some(Arc::new(key));
        self
    }

    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }
}

/// Above this many rows the table is windowed: only the rows in view (plus a margin) are in the
/// DOM, with spacer rows standing in for the rest, so a 1,000-row page renders as fast as a short
/// one. At or below it every row is in the DOM (so "scroll to this row" and the browser's find
/// see all of them): the first rows are painted first and the rest follow, [`BATCH`] a task.
pub const WINDOW_ABOVE: usize = 500;
/// Rows in the first drawing of a table, before anything is measured. The explorers' tables start
/// below their forms, counts and charts: at 1280x900 the first row's top is at 690-1320 px (GRIP,
/// Spoofer, IODA), on a phone at 565-1100 px, so at most two rows show in the first frame (GRIP's
/// are 110-220 px tall, and more). Each row drawn costs building, V8 compiling its code on first
/// use and layout, all before that frame; the rows below the fold come a frame later.
const FIRST_ROWS: usize = 10;
/// Rows added a task, after the first drawing, until every row is in (non-windowed tables): the
/// browser paints and answers input in between, instead of one long task for a 100-row page.
const BATCH: usize = 20;
/// Rows rendered above and below the visible ones when the window moves.
const MARGIN: usize = 25;
/// The window moves once fewer than this many rendered rows are left beyond the visible ones (so the
/// first frame keeps the rows it was painted with, and scrolling re-renders every few rows only).
const SLACK: usize = 5;
/// The window's height in CSS pixels.
fn screen_height() -> f64 {
    window().inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(800.0)
}
/// The row height assumed until rendered rows have been measured, in CSS pixels.
const ROW_HEIGHT_GUESS: f64 = 40.0;

/// `rows` are the loaded page; `row_id` gives a row an element id (for "scroll to this row").
#[component]
pub fn DataTable<T: Send + Sync + 'static>(
    rows: Arc<Vec<T>>,
    columns: Vec<Column<T>>,
    /// Read by screen readers: what the table lists.
    caption: String,
    #[prop(into)] empty: String,
    #[prop(optional)] row_id: Option<RowId<T>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <div class="table-wrap"><p class="empty-state">{empty}</p></div> }.into_any();
    }
    let sort = RwSignal::new(None::<(usize, bool)>);
    let columns = Arc::new(columns);
    let len = rows.len();
    let windowed = len > WINDOW_ABOVE;
    let head = {
        let columns = columns.clone();
        columns
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let title = col.title;
                let class = if col.numeric { "num" } else { "" };
                let aria = move || match sort.get() {
                    Some((c, true)) if c == i => "ascending",
                    Some((c, false)) if c == i => "descending",
                    _ => "none",
                };
                let arrow = move || match sort.get() {
                    Some((c, true)) if c == i => " ▲",
                    Some((c, false)) if c == i => " ▼",
                    _ => "",
                };
                if col.sort.is_some() {
                    let toggle = move |_| {
                        sort.update(|s| {
                            *s = match *s {
                                Some((c, asc)) if c == i => Some((i, !asc)),
                                _ => Some((i, true)),
                            }
                        })
                    };
                    view! {
                        <th scope="col" class=class aria-sort=aria>
                            <button type="button" class="sort" on:click=toggle title=format!("Sort by {title}")>
                                {title}
                                {arrow}
                            </button>
                        </th>
                    }
                    .into_any()
                } else {
                    view! { <th scope="col" class=class>{title}</th> }.into_any()
                }
            })
            .collect_view()
    };
    // The display order of the whole page (sorting never looks only at the rendered window).
    let order = {
        let (rows, columns) = (rows.clone(), columns.clone());
        Memo::new(move |_| {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            if let Some((c, asc)) = sort.get() {
                if let Some(key) = columns.get(c).and_then(|col| col.sort.clone()) {
                    let keys: Vec<SortKey> = rows.iter().map(|r| key(r)).collect();
                    order.sort_by(|a, b| {
                        let o = keys[*a].compare(&keys[*b]);
                        let missing = matches!(keys[*a], SortKey::Missing) || matches!(keys[*b], SortKey::Missing);
                        if asc || missing {
                            o
                        } else {
                            o.reverse()
                        }
                    });
                }
            }
            order
        })
    };
    // Which positions of `order` are in the DOM: the first rows, then the window or all.
    let first = len.min(FIRST_ROWS);
    let range = RwSignal::new((0, first));
    let row_height = RwSignal::new(ROW_HEIGHT_GUESS);
    // Rows are keyed by (position, row), so scrolling only adds and drops rows at the edges and
    // cells are plain, non-reactive views.
    let shown = move || {
        let (start, end) = range.get();
        order.with(|o| {
            o[start.min(o.len())..end.min(o.len())].iter().enumerate().map(|(k, i)| (start + k, *i)).collect::<Vec<_>>()
        })
    };
    let render_row = {
        let (rows, columns) = (rows.clone(), columns.clone());
        move |(pos, i): (usize, usize)| {
            let row = &rows[i];
            let id = row_id.as_ref().map(|f| f(row));
            let cells = columns
                .iter()
                .map(|col| {
                    let class = if col.numeric { "num" } else { "" };
                    view! { <td class=class>{(col.cell)(row)}</td> }
                })
                .collect_view();
            // Row 1 is the header row.
            view! { <tr id=id aria-rowindex=pos + 2>{cells}</tr> }
        }
    };
    let wrap_ref = NodeRef::<leptos::html::Div>::new();
    let body_ref = NodeRef::<leptos::html::Tbody>::new();
    let ncols = columns.len();
    // Spacer rows stand in for the rows not rendered, so the table keeps its full height.
    let spacer_row = move |height: Signal<f64>| {
        view! {
            <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", height.get())>
                <td colspan=ncols></td>
            </tr>
        }
    };
    let top = Signal::derive(move || range.get().0 as f64 * row_height.get());
    let bottom = Signal::derive(move || (len - range.get().1.min(len)) as f64 * row_height.get());
    if windowed {
        let update = move || refit(wrap_ref, body_ref, range, row_height, len, 0);
        let on_scroll = window_event_listener(leptos::ev::scroll, move |_| update());
        let on_resize = window_event_listener(leptos::ev::resize, move |_| update());
        on_cleanup(move || {
            on_scroll.remove();
            on_resize.remove();
        });
        Effect::new(move |_| {
            if body_ref.get().is_some() {
                request_animation_frame(update);
            }
        });
    } else if first < len {
        // The rest, a batch a task, from the frame after the one that paints the first rows (so
        // the first rows' frame carries nothing else: its paint, then whatever the page queued).
        Effect::new(move |_| {
            if body_ref.get().is_some() {
                request_animation_frame(move || request_animation_frame(move || grow(range, len)));
            }
        });
    }
    let on_wrap_scroll = move |_| {
        if windowed {
            refit(wrap_ref, body_ref, range, row_height, len, 0);
        }
    };
    view! {
        <div class="table-wrap" node_ref=wrap_ref on:scroll=on_wrap_scroll>
            <table class="data" aria-rowcount=len + 1>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr aria-rowindex=1>{head}</tr>
                </thead>
                <tbody node_ref=body_ref>
                    {windowed.then(|| spacer_row(top))}
                    <For each=shown key=|k| *k children=render_row />
                    {move || (windowed || range.get().1 < len).then(|| spacer_row(bottom))}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Adds the next [`BATCH`] rows in a task of their own, and so on until all `len` are in; stops when
/// the table is gone.
fn grow(range: RwSignal<(usize, usize)>, len: usize) {
    set_timeout(
        move || {
            let Some((start, end)) = range.try_get_untracked() else { return };
            let next = (end + BATCH).min(len);
            if range.try_set((start, next)).is_none() && next < len {
                grow(range, len);
            }
        },
        Duration::ZERO,
    );
}

/// Measures the rendered rows and moves the window to what is on screen (the table's own scroll
/// box on wide screens, the page on narrow ones, where the box does not scroll).
fn refit(
    wrap: NodeRef<leptos::html::Div>,
    body: NodeRef<leptos::html::Tbody>,
    range: RwSignal<(usize, usize)>,
    row_height: RwSignal<f64>,
    len: usize,
    depth: u8,
) {
    let (Some(wrap_el), Some(body_el)) = (wrap.get_untracked(), body.get_untracked()) else { return };
    let (start, end) = range.get_untracked();
    let mut h = row_height.get_untracked();
    let body_box = body_el.get_bounding_client_rect();
    let rendered = end.saturating_sub(start);
    if rendered > 0 {
        let spacers = (start + len.saturating_sub(end)) as f64 * h;
        let measured = (body_box.height() - spacers) / rendered as f64;
        // Rows differ in height, so the average of each window differs a little: follow it only
        // when it is far off, or the spacers (and so the scroll position) would jitter.
        if measured.is_finite() && measured > 4.0 && (measured - h).abs() > h * 0.25 {
            h = measured;
            row_height.set(h);
        }
    }
    let wrap_box = wrap_el.get_bounding_client_rect();
    let screen = screen_height();
    let view_top = wrap_box.top().max(0.0);
    let view_bottom = wrap_box.bottom().min(screen).max(view_top);
    let first = ((view_top - body_box.top()) / h).floor().max(0.0) as usize;
    let last = ((view_bottom - body_box.top()) / h).ceil().max(0.0) as usize;
    // Rows to spare on both sides of the visible ones: nothing to do (the end of the page counts).
    let spare_above = start <= first.saturating_sub(SLACK);
    let spare_below = end >= (last + SLACK).min(len);
    let s = first.saturating_sub(MARGIN).min(len);
    let e = (last + MARGIN).min(len).max(s);
    let oversized = end.saturating_sub(start) > e - s + 2 * MARGIN;
    if (!(spare_above && spare_below) || oversized) && (s, e) != (start, end) {
        range.set((s, e));
        // The new rows may be taller or shorter than assumed: look again once they are laid out,
        // a few times at most (the estimate settles quickly).
        if depth < 4 {
            request_animation_frame(move || refit(wrap, body, range, row_height, len, depth + 1));
        }
    }
}

/// "Show as table": a chart's numbers as a table (`head`: the header cells, `rows`: the body rows), built
/// only once opened (a week of signals is thousands of rows that nobody may ask for).
pub fn lazy_table(
    summary: String,
    testid: &'static str,
    caption: String,
    head: impl Fn() -> AnyView + Send + Sync + 'static,
    rows: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    use wasm_bindgen::JsCast;
    let open = RwSignal::new(false);
    let on_toggle = move |ev: web_sys::Event| {
        let el = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        open.set(el.is_some_and(|el| el.has_attribute("open")));
    };
    let caption = StoredValue::new(caption);
    let table = move || {
        view! {
            <div class="table-wrap">
                <table class="data" data-testid=testid>
                    <caption>{caption.get_value()}</caption>
                    <thead>
                        <tr>{head()}</tr>
                    </thead>
                    <tbody>{rows()}</tbody>
                </table>
            </div>
        }
    };
    view! {
        <details class="sig-table" on:toggle=on_toggle>
            <summary>{summary}</summary>
            {move || open.get().then(&table)}
        </details>
    }
    .into_any()
}
