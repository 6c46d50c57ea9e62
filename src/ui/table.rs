//! The one data table: sticky header, sort within the loaded page, numeric alignment, empty state.
//! Rows render as plain (non-reactive) cells: only the sort order is reactive.

use leptos::prelude::*;
use std::cmp::Ordering;
use std::sync::Arc;

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
    let body = move || {
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
            .into_iter()
            .map(|i| {
                let row = &rows[i];
                let id = row_id.as_ref().map(|f| f(row));
                let cells = columns
                    .iter()
                    .map(|col| {
                        let class = if col.numeric { "num" } else { "" };
                        view! { <td class=class>{(col.cell)(row)}</td> }
                    })
                    .collect_view();
                view! { <tr id=id>{cells}</tr> }
            })
            .collect_view()
    };
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
