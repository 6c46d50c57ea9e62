//! "Check the sources": probes every configured source from this page and shows, per source, whether
//! it answers and, if not, why (this page's policy, CORS, network, HTTP), with the time it took.

use crate::api::reach::{probe_url, verdict, Verdict};
use crate::api::Source;
use crate::app::use_app;
use leptos::prelude::*;

/// A probe's verdict and how long it took (ms); `None` while not run or running.
type Cell = RwSignal<Option<(Verdict, u32)>>;

#[component]
pub fn ReachCheck() -> impl IntoView {
    let app = use_app();
    let results: Vec<(Source, Cell)> = Source::ALL.into_iter().map(|s| (s, RwSignal::new(None))).collect();
    let running = RwSignal::new(false);
    let run = {
        let results = results.clone();
        move |_| {
            running.set(true);
            let endpoints = app.endpoints();
            let pending = RwSignal::new(results.len());
            for (source, cell) in results.iter().cloned() {
                cell.set(None);
                let url = probe_url(source, endpoints.base(source));
                leptos::task::spawn_local(async move {
                    let started = js_sys::Date::now();
                    let outcome = crate::http::probe(source, url).await;
                    let ms = (js_sys::Date::now() - started).max(0.0) as u32;
                    // The page may be gone by now: its signals then take nothing.
                    let _ = cell.try_set(Some((verdict(source, outcome.as_ref().map(|s| *s)), ms)));
                    if pending.try_update(|n| {
                        *n -= 1;
                        *n
                    }) == Some(0)
                    {
                        let _ = running.try_set(false);
                    }
                });
            }
        }
    };
    let rows = results
        .into_iter()
        .map(|(source, cell)| {
            let endpoint = move || app.endpoints().base(source).as_str().to_string();
            view! {
                <tr data-testid=format!("reach-{}", source.key())>
                    <th scope="row">{source.name()}</th>
                    <td>
                        <code>{endpoint}</code>
                    </td>
                    <td class=move || match cell.get() {
                        Some((v, _)) if v.ok => "reach-ok",
                        Some(_) => "reach-bad",
                        None => "",
                    }>
                        {move || match cell.get() {
                            Some((v, _)) => format!("{} {}", if v.ok { "✓" } else { "✗" }, v.kind),
                            None if running.get() => "checking…".to_string(),
                            None => "not checked".to_string(),
                        }}
                    </td>
                    <td class="num">{move || cell.get().map(|(_, ms)| format!("{ms} ms"))}</td>
                    <td>{move || cell.get().map(|(v, _)| v.detail)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="reach-check">
            <p class="actions">
                <button type="button" class="primary" on:click=run prop:disabled=move || running.get()>
                    "Check the sources"
                </button>
            </p>
            <div class="table-wrap">
                <table class="data">
                    <caption class="visually-hidden">"Whether each source answers this page"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Source"</th>
                            <th scope="col">"Endpoint"</th>
                            <th scope="col">"Result"</th>
                            <th scope="col">"Time"</th>
                            <th scope="col">"What it means"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
