//! Entity pivots: every AS number, prefix, address and country any page shows links to its
//! NetLens entity page through these helpers (class `pivot`). Text that is not a valid entity is
//! shown as plain text: an href is only ever built from a value the core has parsed.

use crate::api::search::{asn_path, country_path, ip_path, parse_addr, parse_asn, parse_prefix, prefix_path, Country};
use crate::app::AppContext;
use leptos::prelude::*;

fn href(path: &str) -> String {
    match use_context::<AppContext>() {
        Some(app) => app.href(path),
        None => path.to_string(),
    }
}

/// `AS3356` linking to `/asn/3356`.
pub fn asn_link(asn: u32) -> AnyView {
    view! { <a class="pivot asn mono" href=href(&asn_path(asn))>{format!("AS{asn}")}</a> }.into_any()
}

/// An AS number as sent (`3356`, `AS3356`); a link when it is one, text otherwise (`*`, AS sets).
pub fn asn_text_link(raw: &str) -> AnyView {
    match parse_asn(raw) {
        Some(n) => asn_link(n),
        None => view! { <span class="mono">{raw.trim().to_string()}</span> }.into_any(),
    }
}

/// A prefix or address as sent, shown as sent, linking to its prefix or IP page when it parses.
pub fn prefix_link(raw: &str) -> AnyView {
    let text = raw.trim().to_string();
    let path = if let Some(a) = parse_addr(&text) {
        Some(ip_path(&a))
    } else {
        parse_prefix(&text).map(|(net, _)| prefix_path(&net))
    };
    match path {
        Some(p) => view! { <a class="pivot prefix mono" href=href(&p)>{text}</a> }.into_any(),
        None => view! { <span class="mono">{text}</span> }.into_any(),
    }
}

/// A country code (alpha-2 or alpha-3, any case) shown as `text`, linking to its country page.
pub fn country_link(code: &str, text: String) -> AnyView {
    match Country::from_code(code) {
        Some(c) => view! { <a class="pivot country" href=href(&country_path(&c))>{text}</a> }.into_any(),
        None => view! { <span>{text}</span> }.into_any(),
    }
}
