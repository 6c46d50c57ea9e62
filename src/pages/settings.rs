//! Settings: per-browser endpoint overrides (localStorage), which endpoint is in effect and why,
//! reset, and the theme.

use crate::api::Source;
use crate::app::use_app;
use crate::config::{browser, public_default, BaseUrl, EndpointOverrides, Theme};
use crate::ui::page_head::PageHead;
use leptos::prelude::*;

#[component]
pub fn Settings() -> impl IntoView {
    let app = use_app();
    let saved = RwSignal::new(false);
    // What the user is typing, per source; empty = no override.
    let drafts: Vec<(Source, RwSignal<String>, RwSignal<Option<String>>)> = Source::ALL
        .into_iter()
        .map(|s| {
            let current = app.settings.get_untracked().get(s).map(|b| b.as_str().to_string()).unwrap_or_default();
            (s, RwSignal::new(current), RwSignal::new(None))
        })
        .collect();

    // The IODA dialect override: "" follows config.json.
    let dialect = RwSignal::new(app.settings.get_untracked().ioda_dialect.clone().unwrap_or_default());

    let save = {
        let drafts = drafts.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut next = EndpointOverrides {
                ioda_dialect: Some(dialect.get_untracked()).filter(|d| !d.is_empty()),
                ..Default::default()
            };
            let mut ok = true;
            for (source, text, error) in &drafts {
                let raw = text.get_untracked();
                if raw.trim().is_empty() {
                    error.set(None);
                    continue;
                }
                match BaseUrl::parse(&raw).and_then(|b| app.page.with_value(|page| b.resolve(page)).map(|_| b)) {
                    Ok(url) => {
                        error.set(None);
                        next.endpoints.insert(source.key().to_string(), url.as_str().to_string());
                    }
                    Err(e) => {
                        ok = false;
                        error.set(Some(format!("This address {e}.")));
                    }
                }
            }
            if ok {
                browser::save_settings(&next);
                app.settings.set(next);
                saved.set(true);
            } else {
                saved.set(false);
            }
        }
    };
    let reset = {
        let drafts = drafts.clone();
        move |_| {
            for (_, text, error) in &drafts {
                text.set(String::new());
                error.set(None);
            }
            dialect.set(String::new());
            browser::save_settings(&EndpointOverrides::default());
            app.settings.set(EndpointOverrides::default());
            saved.set(false);
        }
    };

    // The deployment's Content-Security-Policy blocks any other destination, whatever Settings say.
    let policy = StoredValue::new(browser::page_connect_policy());
    // A pinned build (make dist CSP=pinned) allows config.json's endpoints only: nothing to override.
    let pinned = browser::policy_is_pinned();

    let rows = drafts
        .into_iter()
        .map(|(source, text, error)| {
            let id = format!("endpoint-{}", source.key());
            let error_id = format!("{id}-error");
            let csp_id = format!("{id}-csp");
            let (label_for, described_by) = (id.clone(), format!("{error_id} {csp_id}"));
            // What is typed (once it is a URL), else what is in effect: either way the browser's verdict.
            let blocked = move || {
                let typed = BaseUrl::parse(&text.get()).ok().and_then(|b| app.page.with_value(|p| b.resolve(p).ok()));
                let target = typed.unwrap_or_else(|| app.endpoints().base(source).clone());
                policy.with_value(|p| {
                    p.as_ref().filter(|p| !p.allows(&target)).map(|p| {
                        format!(
                            "This deployment’s Content-Security-Policy allows connections only to {}, so the \
                             browser will block {}. The deployer can add it to config.json “connect_src”.",
                            p.describe(),
                            target.origin()
                        )
                    })
                })
            };
            let placeholder = app
                .file
                .with_value(|f| f.get(source))
                .map_or(public_default(source).to_string(), |b| b.as_str().to_string());
            let in_effect = move || {
                let e = app.endpoints();
                (e.base(source).as_str().to_string(), e.origin_of(source).label())
            };
            view! {
                <tr>
                    <th scope="row">
                        <label for=label_for>{source.name()}</label>
                    </th>
                    <td>
                        <input
                            id=id
                            // Text, not url: a path on this site (api/grip) is an endpoint too, and the
                            // app's own check says what is wrong next to the field.
                            type="text"
                            inputmode="url"
                            autocomplete="off"
                            spellcheck="false"
                            placeholder=placeholder
                            prop:value=move || text.get()
                            disabled=pinned
                            on:input=move |ev| {
                                text.set(event_target_value(&ev));
                                saved.set(false);
                            }
                            aria-describedby=described_by
                        />
                        <span class="field-error" id=error_id role="alert">
                            {move || error.get()}
                        </span>
                        <span class="field-hint csp-note" id=csp_id data-testid=format!("csp-note-{}", source.key())>
                            {blocked}
                        </span>
                    </td>
                    <td data-testid=format!("in-effect-{}", source.key())>
                        <code>{move || in_effect().0}</code>
                        <span class="origin">" (" {move || in_effect().1} ")"</span>
                    </td>
                </tr>
            }
        })
        .collect_view();

    let prefetch_on = RwSignal::new(crate::http::prefetch_enabled());
    let theme_options = Theme::ALL
        .into_iter()
        .map(|t| {
            let id = format!("theme-{}", t.key());
            let label_for = id.clone();
            view! {
                <label for=label_for>
                    <input
                        id=id
                        type="radio"
                        name="theme"
                        value=t.key()
                        prop:checked=move || app.theme.get() == t
                        on:change=move |_| {
                            app.theme.set(t);
                            browser::save_and_apply_theme(t);
                        }
                    />
                    " "
                    {t.label()}
                </label>
            }
        })
        .collect_view();

    view! {
        <section>
            <PageHead
                title="Settings"
                lead=concat!(
                    "Stored in this browser only. Links you share never carry these settings: a permalink can ",
                    "never change where NetLens sends requests.",
                )
            />
            <h2>"Endpoints"</h2>
            {pinned
                .then(|| {
                    view! {
                        <p class="notice" role="note" data-testid="overrides-unavailable">
                            <strong>"Endpoint overrides are unavailable on this deployment. "</strong>
                            "It was built with its Content-Security-Policy pinned to the endpoints in its config.json "
                            "(make dist CSP=pinned), so the browser would block any other address you saved here. "
                            "The table shows what is in effect; whoever runs this NetLens can change config.json."
                        </p>
                    }
                })}
            <form class="settings-form" on:submit=save novalidate=true>
                <div class="table-wrap">
                    <table class="data settings-table">
                        <thead>
                            <tr>
                                <th scope="col">"Source"</th>
                                <th scope="col">"Your override (empty = none)"</th>
                                <th scope="col">"In effect"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="field form-footer">
                    <label for="ioda-dialect">"IODA alert API"</label>
                    <select
                        id="ioda-dialect"
                        prop:value=move || dialect.get()
                        on:change=move |ev| {
                            dialect.set(event_target_value(&ev));
                            saved.set(false);
                        }
                    >
                        <option value="">"As config.json says (default: v2)"</option>
                        <option value="v2">"v2 (api.ioda.inetintel.cc.gatech.edu)"</option>
                        <option value="legacy">"Legacy data/alerts (ioda.caida.org archives and mirrors)"</option>
                    </select>
                    <span class="field-hint" data-testid="ioda-dialect-in-effect">
                        {move || format!("In effect: {}", app.endpoints().ioda_dialect.key())}
                    </span>
                </div>
                <p class="actions form-footer">
                    <button type="submit" class="primary" disabled=pinned>"Save endpoints"</button>
                    <button type="button" on:click=reset disabled=pinned>"Reset to defaults"</button>
                    <span role="status">{move || saved.get().then_some("✓ Saved for this browser.")}</span>
                </p>
            </form>
            <h2>"Theme"</h2>
            <fieldset class="theme-choice">
                <legend class="visually-hidden">"Colour theme"</legend>
                {theme_options}
            </fieldset>
            <h2>"Loading ahead"</h2>
            <fieldset class="theme-choice">
                <legend class="visually-hidden">"Loading ahead"</legend>
                <label for="prefetch">
                    <input
                        id="prefetch"
                        type="checkbox"
                        prop:checked=prefetch_on
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            prefetch_on.set(on);
                            crate::http::set_prefetch_enabled(on);
                        }
                    />
                    " Fetch the next page of results in the background when I pause on a page"
                </label>
            </fieldset>
            <p class="field-hint">
                "Paging then feels instant; it costs one extra request to the service per page you stop on. "
                "Answers are kept in memory for 5 minutes either way, so going back never fetches again."
            </p>
            <h2>"Can this page reach the sources?"</h2>
            <p>
                "One small request to each source, from this page: whether it answers, or why not (this page’s "
                "policy, a service that refuses pages from other sites, the network, an HTTP error), and how long it took."
            </p>
            <crate::ui::reach::ReachCheck />
            <h2 id="proxy">"GRIP, Spamhaus and the proxy"</h2>
            <p>
                "Browsers let a page read another site’s answers only when that site allows it (CORS). IODA and "
                "Spoofer allow it; GRIP and Spamhaus do not, so they must be reached on this site’s own address. "
                "The recommended deployment does that: "
                <code>"netlens-proxy --dist dist"</code>
                " serves NetLens and forwards GRIP and Spamhaus under /api/grip/ and /api/spamhaus/, on one port. "
                "Netlify, Vercel, nginx and Caddy can forward them too (make dist HOST=netlify|vercel|nginx|caddy writes "
                "the rules; docs/deploy.md has the recipes)."
            </p>
            <p>
                "On a plain static host (GitHub Pages, S3) run netlens-proxy somewhere with "
                <code>"--allow-origin"</code>
                " set to this site, and enter its address for GRIP and Spamhaus above (for example "
                "https://proxy.example.org/api/grip, or http://127.0.0.1:8787/grip for make proxy on your own machine). "
                "Endpoints may also be paths on this site, such as api/grip. Plain http:// is accepted only for "
                "this machine (127.0.0.1, localhost) or this site itself."
            </p>
        </section>
    }
}
