//! The browser side of configuration: reading `config.json` from the app's own base URL, and the
//! Settings overrides and theme kept in localStorage (never anything secret).

use super::{ConnectPolicy, EndpointOverrides, Theme};
use gloo_storage::{LocalStorage, Storage};

const OVERRIDES_KEY: &str = "netlens.endpoints";
const THEME_KEY: &str = "netlens.theme";

/// The path the app is served under, always ending in `/` (`/` or `/netlens/`), taken from the
/// `<base href>` Trunk writes for `--public-url`.
pub fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|u| u.pathname())
        .unwrap_or_else(|| "/".into());
    if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    }
}

/// The page's base URL (`document.baseURI`, which Trunk's `<base href>` sets), against which
/// same-origin endpoints such as `api/grip` resolve.
pub fn page_url() -> url::Url {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| url::Url::parse(&uri).ok())
        .unwrap_or_else(|| url::Url::parse("http://localhost/").expect("a valid URL"))
}

/// Reads `config.json` beside the app. A missing file means the public defaults; an invalid one
/// too, with a console warning saying why.
pub async fn load_file() -> EndpointOverrides {
    let url = format!("{}config.json", base_path());
    let response = match gloo_net::http::Request::get(&url).send().await {
        Ok(r) if r.ok() => r,
        Ok(r) => {
            if r.status() != 404 {
                leptos::logging::warn!("NetLens: {url} answered {}; using the public endpoints", r.status());
            }
            return EndpointOverrides::default();
        }
        Err(_) => return EndpointOverrides::default(),
    };
    let text = response.text().await.unwrap_or_default();
    match EndpointOverrides::parse(&text) {
        Ok((file, warnings)) => {
            for w in warnings {
                leptos::logging::warn!("NetLens: {w}");
            }
            file
        }
        Err(e) => {
            leptos::logging::warn!("NetLens: {e}; using the public endpoints");
            EndpointOverrides::default()
        }
    }
}

/// The policy `<meta>` the build step (tools/postbuild) writes into the page; a header-only policy cannot
/// be read from a script (its violations still can: `http::watch_policy_violations`).
fn page_policy_text() -> Option<String> {
    let meta = web_sys::window()?.document()?.query_selector("meta[http-equiv='Content-Security-Policy' i]").ok()??;
    meta.get_attribute("content")
}

/// Where this deployment lets the page connect; `None` when connections are unrestricted.
pub fn page_connect_policy() -> Option<ConnectPolicy> {
    ConnectPolicy::parse(&page_policy_text()?, &web_sys::window()?.location().href().ok()?)
}

/// Whether this build pins connections to config.json's endpoints (`make dist CSP=pinned`): Settings
/// then cannot offer endpoint overrides.
pub fn policy_is_pinned() -> bool {
    page_policy_text().is_some_and(|p| super::policy::is_pinned(&p))
}

/// The user's endpoint overrides from Settings (empty when none or unreadable).
pub fn load_settings() -> EndpointOverrides {
    LocalStorage::get::<String>(OVERRIDES_KEY)
        .ok()
        .and_then(|json| EndpointOverrides::parse(&json).ok())
        // The deployer-only keys count in config.json alone.
        .map(|(o, _)| EndpointOverrides { diagnostics: false, timeout_seconds: None, ..o })
        .unwrap_or_default()
}

pub fn save_settings(overrides: &EndpointOverrides) {
    if overrides == &EndpointOverrides::default() {
        LocalStorage::delete(OVERRIDES_KEY);
    } else if let Ok(json) = serde_json::to_string(overrides) {
        let _ = LocalStorage::set(OVERRIDES_KEY, json);
    }
}

pub fn load_theme() -> Theme {
    LocalStorage::get::<String>(THEME_KEY).map(|k| Theme::from_key(&k)).unwrap_or_default()
}

/// Stores the theme and applies it to `<html data-theme>` (absent = follow the system).
pub fn save_and_apply_theme(theme: Theme) {
    match theme {
        Theme::System => LocalStorage::delete(THEME_KEY),
        t => {
            let _ = LocalStorage::set(THEME_KEY, t.key());
        }
    }
    apply_theme(theme);
}

pub fn apply_theme(theme: Theme) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            t => root.set_attribute("data-theme", t.key()),
        };
    }
}
