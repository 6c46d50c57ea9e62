//! CAIDA Spoofer pages: the session explorer (`/spoofer`), one session (`/spoofer/session/:id`) and
//! the full export walk. Shared here: the one fetch helper for Spoofer (JSON-LD `Accept`), and the
//! small renderers every Spoofer view uses (ASN, prefix, country, result badge, legend).

mod export_all;
pub mod list;
pub mod session;

use crate::api::error::FetchError;
use crate::api::spoofer::{
    country_name, decode_page, decode_session, latest_last_page, newest_first, SpoofResult, SpooferPage, SpooferQuery,
    SpooferSession, ACCEPT, LATEST_WINDOW,
};
use crate::api::Source;
use crate::config::BaseUrl;
use crate::http::{send, Request, RequestSlot};
use leptos::prelude::*;

/// The Spoofer request: JSON-LD, so pages carry `hydra:view` links and `hydra:totalItems`.
pub(crate) fn spoofer_request(url: String) -> Request {
    Request::get(Source::Spoofer, url).header("Accept", ACCEPT)
}

/// One page of `GET /sessions` (the explorer and the export walk both fetch through this).
pub(crate) fn fetch_page(
    url: String,
    slot: Option<&RequestSlot>,
) -> impl std::future::Future<Output = Result<SpooferPage, FetchError>> + 'static {
    fetch_page_of(spoofer_request(url), slot)
}

/// An AS's newest sessions (up to two pages' worth): the service lists oldest first, so page 1 names the
/// last page and the newest are read from there. For checks that need a verdict, not a history.
pub(crate) async fn newest_sessions(query: SpooferQuery, base: &BaseUrl) -> Result<Vec<SpooferSession>, FetchError> {
    let first = fetch_page(query.with_page(1).request_url(base), None).await?;
    let Some(last) = latest_last_page(&first) else { return Ok(first.members) };
    let pages = futures::future::join_all(
        [last - 1, last].into_iter().filter(|&n| n > 1).map(|n| fetch_page(query.with_page(n).request_url(base), None)),
    )
    .await;
    let mut all = Vec::new();
    for page in pages {
        all.push(page?.members);
    }
    Ok(newest_first(all, LATEST_WINDOW))
}

/// The export walk's pages: past the response cache (a walk of 1,000 pages would evict the pages
/// a user returns to, and always wants what the service says now).
pub(crate) async fn fetch_walk_page(url: String) -> Result<SpooferPage, FetchError> {
    fetch_page_of(spoofer_request(url).no_store(), None).await
}

fn fetch_page_of(
    req: Request,
    slot: Option<&RequestSlot>,
) -> impl std::future::Future<Output = Result<SpooferPage, FetchError>> + 'static {
    let sent = send(req, slot);
    async move {
        let response = sent.await?;
        if !response.is_ok() {
            return Err(response.status_error(Source::Spoofer));
        }
        decode_page(&response.body)
    }
}

/// `GET /sessions/{id}`; `Ok(None)` when the service says it has no such session (404).
async fn fetch_session(url: String, slot: Option<&RequestSlot>) -> Result<Option<SpooferSession>, FetchError> {
    let response = send(spoofer_request(url), slot).await?;
    if response.status == 404 {
        return Ok(None);
    }
    if !response.is_ok() {
        return Err(response.status_error(Source::Spoofer));
    }
    decode_session(&response.body).map(Some)
}

/// An AS number as shown everywhere on the Spoofer pages. The one place a later change turns it
/// into a link to an AS page.
fn asn_text(asn: Option<u32>) -> AnyView {
    match asn {
        Some(n) => view! { <span class="asn mono">{crate::ui::pivot::asn_link(n)}</span> }.into_any(),
        None => view! { <span class="none" title="Not published for this session">"—"</span> }.into_any(),
    }
}

/// A client prefix as published (anonymised: IPv4 /24, IPv6 /40). The one place a later change
/// turns it into a link to a prefix page.
fn prefix_text(prefix: Option<&str>) -> AnyView {
    match prefix.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => view! { <span class="prefix mono">{crate::ui::pivot::prefix_link(p)}</span> }.into_any(),
        None => view! { <span class="none" title="No address of this family in this session">"—"</span> }.into_any(),
    }
}

/// A country code as published (`usa`), with its name when the code is a known ISO 3166 one. The
/// one place a later change turns it into a link to a country page.
fn country_text(code: Option<&str>) -> AnyView {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            let name = country_name(c);
            view! {
                <span class="country">
                    <span class="mono">{crate::ui::pivot::country_link(c, c.to_ascii_uppercase())}</span>
                    {name.map(|n| view! { <span class="country-name">{n}</span> })}
                </span>
            }
            .into_any()
        }
        None => view! { <span class="none">"—"</span> }.into_any(),
    }
}

/// `yes` / `no` / `—` for the NAT flags.
fn nat_text(flag: Option<bool>) -> &'static str {
    match flag {
        Some(true) => "yes",
        Some(false) => "no",
        None => "—",
    }
}

/// The badge colour of a result: spoofed packets through is bad, rewritten a warning, blocked ok.
fn result_class(r: &SpoofResult) -> &'static str {
    match r {
        SpoofResult::Received => "badge bad",
        SpoofResult::Rewritten => "badge warn",
        SpoofResult::Blocked => "badge ok",
        SpoofResult::Unknown | SpoofResult::Other(_) => "badge neutral",
        SpoofResult::NotTested => "badge neutral dim",
    }
}

/// A result as a badge with its word; the meaning is the tooltip.
fn result_badge(r: &SpoofResult) -> AnyView {
    view! {
        <span class=result_class(r) title=r.meaning() data-result=r.api_value().unwrap_or("not-tested").to_string()>
            {r.label().to_string()}
        </span>
    }
    .into_any()
}

/// The legend of the result badges, one entry per result CAIDA defines.
#[component]
fn ResultLegend() -> impl IntoView {
    let items = [
        SpoofResult::Received,
        SpoofResult::Rewritten,
        SpoofResult::Blocked,
        SpoofResult::Unknown,
        SpoofResult::NotTested,
    ]
    .into_iter()
    .map(|r| {
        view! {
            <li>
                {result_badge(&r)}
                " "
                <span class="meaning">{r.meaning()}</span>
            </li>
        }
    })
    .collect_view();
    view! {
        <ul class="spoof-legend" aria-label="What the results mean">
            {items}
        </ul>
    }
}
