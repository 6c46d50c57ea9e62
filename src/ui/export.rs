//! Export of the loaded rows as CSV or JSON: the content is built by the pure core
//! (`api::export`), this only offers it as a download.

use crate::api::export::{file_name, to_csv, to_json, CsvRecord, ExportFormat};
use crate::ui::now;
use leptos::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// Offers `content` as a file download through a Blob URL.
pub fn download(name: &str, format: ExportFormat, content: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(format.mime());
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlAnchorElement>(e).ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked a little later: some browsers start reading the Blob only after `click()` returns.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

#[component]
pub fn ExportButtons<T: Serialize + CsvRecord + Send + Sync + 'static>(
    rows: Arc<Vec<T>>,
    /// The source key used in the file name (`netlens-ioda-….csv`).
    source_key: &'static str,
) -> impl IntoView {
    let disabled = rows.is_empty();
    let csv = {
        let rows = rows.clone();
        move |_| download(&file_name(source_key, ExportFormat::Csv, now()), ExportFormat::Csv, &to_csv(&rows))
    };
    let json =
        move |_| download(&file_name(source_key, ExportFormat::Json, now()), ExportFormat::Json, &to_json(&rows));
    view! {
        <span class="actions export" role="group" aria-label="Export the loaded rows">
            <button type="button" on:click=csv disabled=disabled>"⤓ CSV"</button>
            <button type="button" on:click=json disabled=disabled>"⤓ JSON"</button>
        </span>
    }
}
