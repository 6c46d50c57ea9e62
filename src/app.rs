//! The app shell: start-up, the shared context, the layout and the route table (the map of the app).

use crate::config::{browser, EndpointOverrides, Endpoints, Theme};
use crate::heads;
use crate::pages::{self, chunks};
use crate::ui::chunk::chunked;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// What every page may read: the endpoints in effect and the user's preferences.
#[derive(Clone, Copy)]
pub struct AppContext {
    /// `config.json` as loaded at start-up.
    pub file: StoredValue<EndpointOverrides>,
    /// The user's overrides from Settings.
    pub settings: RwSignal<EndpointOverrides>,
    pub theme: RwSignal<Theme>,
    /// `/` or `/netlens/`: every link NetLens writes starts with it.
    pub base: StoredValue<String>,
    /// The page's base URL (`document.baseURI`): same-origin endpoints resolve against it.
    pub page: StoredValue<url::Url>,
}

impl AppContext {
    pub fn endpoints(&self) -> Endpoints {
        self.page.with_value(|page| Endpoints::resolve_for(&self.file.get_value(), &self.settings.get(), page))
    }

    /// An app-internal link: `href("/ioda?from=1")` → `/netlens/ioda?from=1` under a sub-path.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base.get_value(), path.trim_start_matches('/'))
    }
}

pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}

/// Installs the panic banner, reads `config.json`, then mounts the app in place of the static
/// boot screen (so no request can go to a default endpoint before the deployment's config is known).
pub fn start() {
    install_panic_banner();
    crate::http::watch_policy_violations();
    let theme = browser::load_theme();
    browser::apply_theme(theme);
    let base = browser::base_path();
    let here = window().location().pathname().unwrap_or_default();
    chunks::preload_for(here.strip_prefix(base.as_str()).unwrap_or(&here));
    wasm_bindgen_futures::spawn_local(async move {
        let file = browser::load_file().await;
        let page = browser::page_url();
        for w in file.unusable_on(&page) {
            leptos::logging::warn!("NetLens: {w}");
        }
        if let Some(seconds) = file.timeout_seconds {
            crate::http::set_default_timeout_ms(seconds * 1000);
        }
        if let Some(boot) = document().get_element_by_id("boot") {
            boot.remove();
        }
        leptos::mount::mount_to_body(move || {
            let ctx = AppContext {
                file: StoredValue::new(file),
                settings: RwSignal::new(browser::load_settings()),
                theme: RwSignal::new(theme),
                base: StoredValue::new(browser::base_path()),
                page: StoredValue::new(page),
            };
            provide_context(ctx);
            view! { <App /> }
        });
    });
}

/// A panic shows a banner with its message instead of leaving a dead page. Plain DOM calls: after a
/// panic the reactive system cannot be trusted. The message is set as text, never as HTML.
fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let doc = document();
        if let Some(msg) = doc.get_element_by_id("panic-message") {
            msg.set_text_content(Some(&info.to_string()));
        }
        if let Some(banner) = doc.get_element_by_id("panic-banner") {
            let _ = banner.remove_attribute("hidden");
            if let Ok(Some(link)) = banner.query_selector("a") {
                let here = window().location().href().unwrap_or_default();
                let _ = link.set_attribute("href", &here);
                // A full page load: the router must not take this click, the app behind it is dead.
                let _ = link.set_attribute("rel", "external");
            }
        }
    }));
}

#[component]
fn App() -> impl IntoView {
    let app = use_app();
    let base = app.base.get_value();
    let router_base = base.trim_end_matches('/').to_string();
    view! {
        <Router base=router_base>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <pages::not_found::NotFound /> }>
                    <Route path=path!("/") view=pages::home::Home />
                    <Route path=path!("/ioda") view=|| chunked(Some(heads::IODA), chunks::preload_ioda, chunks::ioda) />
                    <Route path=path!("/ioda/summary") view=|| chunked(Some(heads::IODA_SUMMARY), chunks::preload_ioda_summary, chunks::ioda_summary) />
                    <Route path=path!("/settings") view=pages::settings::Settings />
                    <Route path=path!("/spoofer") view=|| chunked(Some(heads::SPOOFER), chunks::preload_spoofer_list, chunks::spoofer_list) />
                    <Route path=path!("/spoofer/session/:id") view=|| chunked(None, chunks::preload_spoofer_session, chunks::spoofer_session) />
                    <Route path=path!("/grip") view=|| chunked(Some(heads::GRIP), chunks::preload_grip_search, chunks::grip_search) />
                    <Route path=path!("/grip/tags") view=|| chunked(Some(heads::GRIP_TAGS), chunks::preload_grip_tags, chunks::grip_tags) />
                    <Route path=path!("/grip/event/:id") view=|| chunked(None, chunks::preload_grip_event, chunks::grip_event) />
                    <Route path=path!("/grip/event/:id/:fingerprint") view=|| chunked(None, chunks::preload_grip_pfx_event, chunks::grip_pfx_event) />
                    <Route path=path!("/spamhaus") view=|| chunked(Some(heads::SPAMHAUS), chunks::preload_spamhaus_search, chunks::spamhaus_search) />
                    <Route path=path!("/spamhaus/limits") view=|| chunked(Some(heads::SPAMHAUS_LIMITS), chunks::preload_spamhaus_limits, chunks::spamhaus_limits) />
                    <Route path=path!("/asn/:n") view=|| chunked(None, chunks::preload_asn, chunks::asn) />
                    <Route path=path!("/prefix/:addr/:len") view=|| chunked(None, chunks::preload_prefix, chunks::prefix) />
                    <Route path=path!("/ip/:addr") view=|| chunked(None, chunks::preload_ip, chunks::ip) />
                    <Route path=path!("/country/:cc") view=|| chunked(None, chunks::preload_country, chunks::country) />
                    <Route path=path!("/diagnostics") view=pages::diagnostics::Diagnostics />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// The sections in the header, in order: (path, label).
const SECTIONS: [(&str, &str); 6] = [
    ("/", "Home"),
    ("/spoofer", "Spoofer"),
    ("/grip", "GRIP"),
    ("/ioda", "IODA"),
    ("/spamhaus", "Spamhaus"),
    ("/settings", "Settings"),
];

#[component]
fn Header() -> impl IntoView {
    let app = use_app();
    let location = leptos_router::hooks::use_location();
    let current = move |path: &'static str| {
        let here = location.pathname.get();
        let base = app.base.get_value();
        let rel = format!("/{}", here.strip_prefix(base.as_str()).unwrap_or(&here).trim_start_matches('/'));
        let on = if path == "/" { rel == "/" } else { rel == path || rel.starts_with(&format!("{path}/")) };
        on.then_some("page")
    };
    view! {
        <header class="site-header">
            // Inside the banner landmark, so every piece of the page belongs to a landmark.
            <a class="skip-link" href="#main" on:click=skip_to_main>
                "Skip to content"
            </a>
            <a class="brand" href=app.href("/")>
                <span class="brand-mark">"◉ "</span>
                "NetLens"
            </a>
            <nav class="site-nav" aria-label="Sections">
                {SECTIONS
                    .into_iter()
                    .map(|(path, label)| {
                        view! {
                            <a href=app.href(path) aria-current=move || current(path)>
                                {label}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <crate::ui::search_box::SearchBox />
        </header>
    }
}

/// Moves the focus itself: the router takes the click on `#main`, and a fragment alone would only scroll.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    if let Some(main) = document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = main.focus();
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Data: "
                <a href="https://www.caida.org/projects/spoofer/">"CAIDA Spoofer"</a>
                " (CAIDA AUA), "
                <a href="https://grip.inetintel.cc.gatech.edu">"GRIP"</a>
                " and "
                <a href="https://ioda.inetintel.cc.gatech.edu">"IODA"</a>
                " (Georgia Tech Internet Intelligence Lab), "
                <a href="https://www.spamhaus.com/product/intelligence-api/">"Spamhaus Intelligence API"</a>
                " (your own account). NetLens queries them from your browser: straight, or through this site’s own proxy for the services that refuse pages from other sites."
            </p>
        </footer>
    }
}
