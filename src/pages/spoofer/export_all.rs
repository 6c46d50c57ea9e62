//! "Export all": every session that matches the filters, not only the loaded page. The core's
//! `ExportWalk` decides what to fetch next; this panel fetches one page at a time (never in
//! parallel, with a pause between requests), asks first when the walk would pass CAIDA's
//! courtesy limit, shows progress, can be cancelled, and offers NDJSON and CSV of what it has.

use super::fetch_walk_page;
use crate::api::error::FetchError;
use crate::api::export::{file_name, ExportFormat};
use crate::api::page::format_count;
use crate::api::query::FieldErrors;
use crate::api::spoofer::{ExportWalk, SpooferQuery, WalkStep, COURTESY_REQUESTS, PAGE_SIZE};
use crate::api::Source;
use crate::app::use_app;
use crate::config::BaseUrl;
use crate::ui::error_panel::ErrorPanel;
use crate::ui::export::download;
use crate::ui::now;
use futures::future::{select, Either};
use leptos::prelude::*;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The pause between two requests of a walk, to be polite to CAIDA's service.
const PAUSE_MS: u32 = 200;

/// How often a waiting walk looks whether it was cancelled.
const CANCEL_POLL_MS: u32 = 100;

#[derive(Clone)]
enum Phase {
    Idle,
    /// Fetching pages.
    Running,
    /// The first page is in and the whole walk passes the courtesy limit: waiting for the user.
    Confirm {
        pages: u64,
    },
    /// The walk ended by itself (`ExportWalk::end` says how).
    Done,
    /// The user stopped it; what was collected is offered as partial.
    Cancelled,
    Failed(FetchError),
}

/// Everything a walk touches; cheap to clone into handlers and the fetch loop.
#[derive(Clone)]
struct Walker {
    phase: RwSignal<Phase>,
    /// `(pages fetched, pages expected if known, sessions collected)`.
    progress: RwSignal<(u64, Option<u64>, u64)>,
    walk: StoredValue<Option<ExportWalk>>,
    base: StoredValue<Option<BaseUrl>>,
    /// The filters being exported (page 1), to notice when the page's filters change.
    filters: StoredValue<Option<SpooferQuery>>,
    /// Bumped to stop a running loop: a loop only acts while the number is the one it started with.
    run: Arc<AtomicU64>,
}

impl Walker {
    fn new() -> Walker {
        Walker {
            phase: RwSignal::new(Phase::Idle),
            progress: RwSignal::new((0, None, 0)),
            walk: StoredValue::new(None),
            base: StoredValue::new(None),
            filters: StoredValue::new(None),
            run: Arc::new(AtomicU64::new(0)),
        }
    }

    fn run_id(&self) -> u64 {
        self.run.load(Ordering::SeqCst)
    }

    /// Invalidates any loop in progress (its in-flight request is dropped, its answer ignored).
    fn stop(&self) {
        self.run.fetch_add(1, Ordering::SeqCst);
    }

    fn start(&self, query: SpooferQuery, base: BaseUrl) {
        self.stop();
        self.walk.set_value(Some(ExportWalk::for_query(&query, &base)));
        self.base.set_value(Some(base));
        self.filters.set_value(Some(query.with_page(1)));
        self.progress.set((0, None, 0));
        self.resume();
    }

    /// Runs (or continues) the walk from its next URL.
    fn resume(&self) {
        self.phase.set(Phase::Running);
        let walker = self.clone();
        let id = self.run_id();
        leptos::task::spawn_local(async move { walker.drive(id).await });
    }

    fn cancel(&self) {
        self.stop();
        self.phase.set(Phase::Cancelled);
    }

    fn reset(&self) {
        self.stop();
        self.walk.set_value(None);
        self.filters.set_value(None);
        self.progress.set((0, None, 0));
        self.phase.set(Phase::Idle);
    }

    /// Waits for `fut`, or gives up as soon as this run is stopped.
    async fn unless_stopped<F: Future>(&self, id: u64, fut: F) -> Option<F::Output> {
        let run = self.run.clone();
        let watch = async move {
            while run.load(Ordering::SeqCst) == id {
                gloo_timers::future::TimeoutFuture::new(CANCEL_POLL_MS).await;
            }
        };
        match select(Box::pin(fut), Box::pin(watch)).await {
            Either::Left((out, _)) => Some(out),
            Either::Right(_) => None,
        }
    }

    /// The fetch loop: one request at a time, a pause between requests, and a check after every
    /// wait that the run was not stopped (a stopped loop touches nothing).
    async fn drive(self, id: u64) {
        let Some(base) = self.base.try_get_value().flatten() else { return };
        let mut first = true;
        loop {
            if self.run_id() != id {
                return;
            }
            let next = self.walk.try_with_value(|w| w.as_ref().and_then(|w| w.next_url().map(str::to_string)));
            let Some(url) = next.flatten() else {
                self.phase.set(Phase::Done);
                return;
            };
            if !first && self.unless_stopped(id, gloo_timers::future::TimeoutFuture::new(PAUSE_MS)).await.is_none() {
                return;
            }
            first = false;
            let Some(result) = self.unless_stopped(id, fetch_walk_page(url)).await else { return };
            if self.run_id() != id {
                return;
            }
            let page = match result {
                Ok(page) => page,
                Err(e) => {
                    self.phase.set(Phase::Failed(e));
                    return;
                }
            };
            // Ask before going on when this is the walk's first page and the whole walk is large.
            let pages_before = self.progress.get_untracked().0;
            let ask = pages_before == 0 && ExportWalk::needs_confirmation(&page);
            let estimated = page.estimated_pages();
            let step = self.walk.try_update_value(|w| w.as_mut().map(|w| w.accept(page, &base))).flatten();
            if let Some(p) = self.walk.try_with_value(|w| w.as_ref().map(ExportWalk::progress)).flatten() {
                self.progress.set(p);
            }
            match step {
                Some(WalkStep::Next(_)) if ask => {
                    self.phase.set(Phase::Confirm { pages: estimated.unwrap_or(0) });
                    return;
                }
                Some(WalkStep::Next(_)) => {}
                Some(WalkStep::Done(_)) | None => {
                    self.phase.set(Phase::Done);
                    return;
                }
            }
        }
    }
}

/// `page 3 of 42, 90 sessions so far`.
fn progress_text((pages, total, sessions): (u64, Option<u64>, u64)) -> String {
    let of = total.map(|t| format!(" of {}", format_count(t))).unwrap_or_default();
    let word = if sessions == 1 { "session" } else { "sessions" };
    format!("page {}{of}, {} {word} so far", format_count(pages), format_count(sessions))
}

#[component]
pub fn ExportAll(
    /// The page's filters as parsed from the URL.
    #[prop(into)]
    query: Signal<Result<SpooferQuery, FieldErrors>>,
) -> impl IntoView {
    let app = use_app();
    let walker = Walker::new();

    // The panel always belongs to the filters on screen: new filters drop the old export.
    {
        let walker = walker.clone();
        Effect::new(move |_| {
            let filters = query.get().ok().map(|q| q.with_page(1));
            if walker.filters.get_value().is_some() && walker.filters.get_value() != filters {
                walker.reset();
            }
        });
    }
    {
        let run = walker.run.clone();
        on_cleanup(move || {
            run.fetch_add(1, Ordering::SeqCst);
        });
    }

    let start = {
        let walker = walker.clone();
        move |_| {
            if let Ok(q) = query.get_untracked() {
                walker.start(q, app.endpoints().base(Source::Spoofer).clone());
            }
        }
    };
    let invalid = move || query.get().is_err();

    let body = {
        let walker = walker.clone();
        move || {
            let w = walker.clone();
            match walker.phase.get() {
                Phase::Idle => view! {
                    <p class="actions">
                        <button type="button" class="primary" on:click=start.clone() disabled=invalid>
                            "Export all"
                        </button>
                        <span class="field-hint">
                            {format!(
                                "One request per {PAGE_SIZE} sessions, one at a time. CAIDA asks for an email to \
                                 spoofer-info@caida.org before more than {} requests a day.",
                                format_count(COURTESY_REQUESTS),
                            )}
                        </span>
                    </p>
                }
                .into_any(),
                Phase::Running => {
                    let cancel = w.clone();
                    view! {
                        <WalkProgress progress=w.progress />
                        <p class="actions">
                            <button type="button" on:click=move |_| cancel.cancel()>"Cancel"</button>
                        </p>
                    }
                    .into_any()
                }
                Phase::Confirm { pages } => {
                    let (go, cancel) = (w.clone(), w.clone());
                    let requests = if pages > 0 { format_count(pages) } else { "many".to_string() };
                    view! {
                        <WalkProgress progress=w.progress />
                        <div class="notice courtesy" role="alert">
                            <p>
                                <strong>{format!("This export takes about {requests} requests. ")}</strong>
                                {format!(
                                    "CAIDA asks anyone making more than {} requests a day to its Spoofer API to email ",
                                    format_count(COURTESY_REQUESTS),
                                )}
                                <a href="mailto:spoofer-info@caida.org">"spoofer-info@caida.org"</a>
                                " first. Narrow the filters (a shorter time window, an AS or a country), or go on if "
                                "you have arranged it with CAIDA."
                            </p>
                            <p class="actions">
                                <button type="button" class="primary" on:click=move |_| go.resume()>
                                    "Continue export"
                                </button>
                                <button type="button" on:click=move |_| cancel.cancel()>"Cancel"</button>
                            </p>
                        </div>
                    }
                    .into_any()
                }
                Phase::Done => {
                    let (message, complete, dups) = w
                        .walk
                        .with_value(|x| {
                            x.as_ref().map(|x| {
                                let end = x.end();
                                (
                                    end.map(|e| e.message()).unwrap_or_default(),
                                    end.is_some_and(|e| e.is_complete()),
                                    x.duplicates(),
                                )
                            })
                        })
                        .unwrap_or_default();
                    let dup_note = (dups > 0).then(|| {
                        format!(
                            " {} {} appeared on more than one page and {} exported once.",
                            format_count(dups),
                            if dups == 1 { "session" } else { "sessions" },
                            if dups == 1 { "is" } else { "are" },
                        )
                    });
                    view! {
                        <WalkProgress progress=w.progress stopped=true />
                        <p class="walk-end" class:warn=!complete role="status">{message}{dup_note}</p>
                        <Downloads walker=w.clone() partial=!complete />
                    }
                    .into_any()
                }
                Phase::Cancelled => view! {
                    <WalkProgress progress=w.progress stopped=true />
                    <p class="walk-end warn" role="status">
                        "Cancelled. What was collected so far is a partial export."
                    </p>
                    <Downloads walker=w.clone() partial=true />
                }
                .into_any(),
                Phase::Failed(e) => {
                    let retry = w.clone();
                    view! {
                        <WalkProgress progress=w.progress stopped=true />
                        <ErrorPanel error=e on_retry=Callback::new(move |_| retry.resume()) />
                        <p class="walk-end warn">"The export stopped. What was collected so far is a partial export."</p>
                        <Downloads walker=w.clone() partial=true />
                    }
                    .into_any()
                }
            }
        }
    };

    view! {
        <section class="export-all" aria-labelledby="export-all-title">
            <h2 id="export-all-title">"Export every matching session"</h2>
            <p class="lead">
                "Fetches every page for these filters, not only the one shown, and offers the sessions as NDJSON "
                "(one session per line, as CAIDA's own script prints them) or CSV."
            </p>
            {body}
        </section>
    }
}

/// The progress bar and its words (`page k of n, m sessions so far`). With no page count from
/// the service the bar is indeterminate while running and full once stopped.
#[component]
fn WalkProgress(progress: RwSignal<(u64, Option<u64>, u64)>, #[prop(optional)] stopped: bool) -> impl IntoView {
    let bounds = move || {
        let (done, total, _) = progress.get();
        match total {
            Some(t) => Some((t.max(1), done.min(t.max(1)))),
            None if stopped => Some((done.max(1), done.max(1))),
            None => None,
        }
    };
    view! {
        <div class="walk-progress">
            <progress
                class="walk"
                max=move || bounds().map(|(max, _)| max.to_string())
                value=move || bounds().map(|(_, value)| value.to_string())
                aria-label="Export progress"
            ></progress>
            <span class="walk-text" role="status">{move || progress_text(progress.get())}</span>
        </div>
    }
}

/// NDJSON and CSV of what the walk collected; `partial` names the files so.
#[component]
fn Downloads(walker: Walker, partial: bool) -> impl IntoView {
    let count = walker.walk.with_value(|w| w.as_ref().map_or(0, |w| w.sessions().len()));
    let key = if partial { "spoofer-partial" } else { "spoofer-all" };
    let walk = walker.walk;
    let ndjson = move |_| {
        walk.with_value(|w| {
            if let Some(w) = w {
                download(&file_name(key, ExportFormat::Ndjson, now()), ExportFormat::Ndjson, w.ndjson());
            }
        })
    };
    let csv = move |_| {
        walk.with_value(|w| {
            if let Some(w) = w {
                download(&file_name(key, ExportFormat::Csv, now()), ExportFormat::Csv, &w.csv());
            }
        })
    };
    let what = format!(
        "{} {}{}",
        format_count(count as u64),
        if count == 1 { "session" } else { "sessions" },
        if partial { " (partial)" } else { "" }
    );
    view! {
        <p class="actions downloads">
            <span class="download-what">{what}</span>
            <button type="button" on:click=ndjson disabled=count == 0>"Download NDJSON"</button>
            <button type="button" on:click=csv disabled=count == 0>"Download CSV"</button>
        </p>
    }
}
