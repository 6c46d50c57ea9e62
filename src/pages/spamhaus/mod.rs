//! Spamhaus SIA pages: `/spamhaus` (listings by address or prefix) and `/spamhaus/limits` (the account's
//! quota). Both need the user's own SIA account; the token lives only in this tab (see `token`).

mod limits;
pub mod listings;
mod search;
pub mod signin;
pub mod token;

pub use limits::SpamhausLimitsPage;
pub use search::SpamhausSearch;

use crate::api::spamhaus::SpamhausRecord;
use leptos::prelude::*;

/// THE one place a record's ASN is rendered (entity pivots will turn it into a link here).
pub fn asn_text(record: &SpamhausRecord) -> AnyView {
    match (record.asn_number(), record.asn.as_deref()) {
        (Some(n), _) => view! { <span class="asn">{crate::ui::pivot::asn_link(n)}</span> }.into_any(),
        (None, Some(raw)) => view! { <span class="asn">{raw.to_string()}</span> }.into_any(),
        (None, None) => dash(),
    }
}

/// An absent value.
pub fn dash() -> AnyView {
    view! { <span class="none">"—"</span> }.into_any()
}
