//! Where the code splits: one chunk per explorer and one for the entity pages, each fetched when a
//! page of it is first visited (`make dist` builds with `--features split`; see docs/architecture.md).
//! Home, Settings, Diagnostics, the search box and the shared UI stay in the first visit.
//!
//! Each page has two entries: `preload_*` fetches its chunk (and the chunks it shares with other
//! sections), then `ui::chunk::chunked` calls the other, which builds the page at once.

use crate::pages;
use crate::ui::chunk::ChunkFailed;
use leptos::prelude::*;

macro_rules! entries {
    ($($chunk:ident { $($entry:ident, $preload:ident => $page:path),* $(,)? })*) => { $($(
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible, preload($preload))]
        pub fn $entry() -> Result<AnyView, ChunkFailed> {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        pub async fn $entry() -> Result<AnyView, ChunkFailed> {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        pub async fn $preload() -> Result<(), ChunkFailed> {
            Ok(())
        }
    )*)* };
}

entries! {
    spoofer {
        spoofer_list, preload_spoofer_list => pages::spoofer::list::SpooferList,
        spoofer_session, preload_spoofer_session => pages::spoofer::session::SpooferSessionView,
    }
    grip {
        grip_search, preload_grip_search => pages::grip::GripSearch,
        grip_tags, preload_grip_tags => pages::grip::GripTagsPage,
        grip_event, preload_grip_event => pages::grip::GripEventPage,
        grip_pfx_event, preload_grip_pfx_event => pages::grip::GripPfxEventPage,
    }
    ioda {
        ioda, preload_ioda => pages::ioda::Ioda,
        ioda_summary, preload_ioda_summary => pages::ioda::IodaSummary,
    }
    spamhaus {
        spamhaus_search, preload_spamhaus_search => pages::spamhaus::SpamhausSearch,
        spamhaus_limits, preload_spamhaus_limits => pages::spamhaus::SpamhausLimitsPage,
    }
    entity {
        asn, preload_asn => pages::entity::AsnPage,
        prefix, preload_prefix => pages::entity::PrefixPage,
        ip, preload_ip => pages::entity::IpPage,
        country, preload_country => pages::entity::CountryPage,
    }
}

/// Starts fetching the chunk of the page at `path` (relative to the app's base, e.g. `grip/event/7`)
/// while the app is still starting (reading config.json), so a cold deep link does not wait for the
/// two one after the other. The page's own load then joins the fetch in flight.
pub fn preload_for(path: &str) {
    fn spawn<E: 'static>(load: impl std::future::Future<Output = Result<(), E>> + 'static) {
        // Not leptos' spawner: the app is not mounted yet, so it has none.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = load.await;
        });
    }
    match path.trim_start_matches('/').split('/').next().unwrap_or_default() {
        "spoofer" => spawn(preload_spoofer_list()),
        "grip" => spawn(preload_grip_search()),
        "ioda" => spawn(preload_ioda()),
        "spamhaus" => spawn(preload_spamhaus_search()),
        "asn" | "prefix" | "ip" | "country" => spawn(preload_asn()),
        _ => {}
    }
}
