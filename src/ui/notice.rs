//! The static-host notice: on the pages of a source that refuses browser pages from other sites
//! (GRIP, Spamhaus), said before the user types a query when this deployment reaches it on another
//! origin, with what to do about it.

use crate::api::reach::needs_same_origin;
use crate::api::Source;
use crate::app::use_app;
use leptos::prelude::*;

#[component]
pub fn SameOriginNotice(source: Source) -> impl IntoView {
    let app = use_app();
    let cross_origin = move || {
        let endpoints = app.endpoints();
        let remote = app.page.with_value(|page| !endpoints.is_same_origin(source, page));
        (needs_same_origin(source) && remote).then(|| endpoints.base(source).as_str().to_string())
    };
    move || {
        cross_origin().map(|url| {
            view! {
                <aside class="notice" role="note" data-testid=format!("same-origin-notice-{}", source.key())>
                    <p>
                        <strong>{format!("{} needs a proxy on this site. ", source.name())}</strong>
                        {format!(
                            "{} sends no CORS headers, so a browser page on another site cannot read its answers, \
                             and this NetLens reaches it at {url}, another site. Unless that address is a proxy \
                             that allows this page, searches here will be refused. Whoever runs this NetLens can \
                             serve it with netlens-proxy (one command: the app and the forwarding on one origin) or \
                             with the host's proxy rules; or you can enter a proxy's address for {} in ",
                            source.name(),
                            source.name()
                        )}
                        <a href=app.href("/settings#proxy")>"Settings"</a>
                        "."
                    </p>
                    <p>
                        <a href=app.href("/settings#proxy")>"How to reach GRIP and Spamhaus from NetLens"</a>
                        " (docs/deploy.md in the NetLens sources has the recipe for each host)."
                    </p>
                </aside>
            }
        })
    }
}
