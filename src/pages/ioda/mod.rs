//! `/ioda`: IODA's outage alerts for a window, an entity (country, region, AS) and a datasource,
//! as a timeline and a table, with a permalink. The URL is the query; the form only drafts it.

mod entity_picker;
mod events;
mod results;
mod signals;
mod summary;
mod timeline;

pub use events::{outage_events_table, OutageEvents};
pub use results::level_badge;
pub use signals::SignalsChart;
pub use summary::IodaSummary;

use crate::api::ioda::{
    decode_alerts, decode_entities, entity_lookup_url, AlertLevel, Datasource, EntityRef, IodaDialect, IodaQuery,
};
use crate::api::query::{FieldErrors, QueryParams};
use crate::api::time::parse_instant;
use crate::api::Source;
use crate::app::use_app;
use crate::config::BaseUrl;
use crate::heads::IODA;
use crate::http::{fetch_decoded, send, Request, RequestSlot};
use crate::ui::field::Field;
use crate::ui::filters::FilterPanel;
use crate::ui::now;
use crate::ui::page_head::PageHead;
use crate::ui::results::results_area;
use crate::ui::time_range::TimeRangePicker;
use crate::ui::url_state::{use_query_params, use_set_query};
use entity_picker::{entity_param, Choice, EntityPicker};
use leptos::prelude::*;
use results::{Loaded, Results};
use std::sync::Arc;

/// The datasource choices, in the order the form lists them.
const DATASOURCES: [Datasource; 4] = [Datasource::Bgp, Datasource::PingSlash24, Datasource::MeritNt, Datasource::Gtr];

/// Keys whose messages show next to their own field; any other key's message shows above the results.
const FORM_KEYS: [&str; 5] =
    [IodaQuery::FROM, IodaQuery::UNTIL, IodaQuery::ENTITY, IodaQuery::SOURCE, IodaQuery::LEVEL];

/// The valid levels of the URL's `level` filter (empty = all), in filter order.
fn url_levels(p: &QueryParams) -> Vec<AlertLevel> {
    let mut out: Vec<AlertLevel> = Vec::new();
    for level in p.get_all(IodaQuery::LEVEL).flat_map(|v| v.split(',')).map(AlertLevel::from_key) {
        if AlertLevel::FILTERABLE.contains(&level) && !out.contains(&level) {
            out.push(level);
        }
    }
    out.sort_by_key(|l| AlertLevel::FILTERABLE.iter().position(|f| f == l));
    out
}

/// The name and type of the URL's entity: from a pick made in this tab, else from IODA's entity
/// metadata (a permalink opened cold), else the reference itself.
async fn describe_entity(
    raw: Option<String>,
    known: Option<Choice>,
    dialect: IodaDialect,
    base: BaseUrl,
) -> Option<Choice> {
    let Some(raw) = raw else { return Some(Choice::everything()) };
    let r = EntityRef::parse(&raw).ok()?;
    if r.code.is_none() {
        return Some(Choice::scope(&r.kind));
    }
    if let Some(c) = known {
        return Some(c);
    }
    let fallback = Choice::from_ref(&r);
    if dialect == IodaDialect::Legacy {
        return Some(fallback);
    }
    let found = match send(Request::get(Source::Ioda, entity_lookup_url(&base, &r)), None).await {
        Ok(resp) if resp.is_ok() => decode_entities(&resp.body)
            .ok()
            .and_then(|list| list.iter().find(|e| e.to_ref().as_ref() == Some(&r)).and_then(Choice::from_entity)),
        _ => None,
    };
    Some(found.unwrap_or(fallback))
}

/// The canonical form of the URL's entity (as typed when it does not parse); empty = none.
fn entity_key(raw: Option<&str>) -> String {
    raw.map(|r| EntityRef::parse(r).map_or_else(|_| r.to_string(), |e| e.key())).unwrap_or_default()
}

#[component]
pub fn Ioda() -> impl IntoView {
    let app = use_app();
    let params = use_query_params();
    let dialect = Memo::new(move |_| app.endpoints().ioda_dialect);
    let parsed: Memo<Result<IodaQuery, FieldErrors>> = Memo::new(move |_| {
        let q = IodaQuery::from_params(&params.get(), now())?;
        q.check_dialect(dialect.get()).map_err(|e| FieldErrors(vec![e]))?;
        Ok(q)
    });
    // What the request depends on: levels filter in the browser, and the legacy API answers the
    // whole window, so neither a level change nor a legacy page change fetches again.
    let fetch_key = Memo::new(move |_| {
        parsed.get().map(|mut q| {
            q.levels.clear();
            if dialect.get() == IodaDialect::Legacy {
                q.page = 1;
            }
            q
        })
    });
    let slot = RequestSlot::default();
    let data = LocalResource::new(move || {
        let q = fetch_key.get().ok();
        let dialect = dialect.get();
        let base = app.endpoints().base(Source::Ioda).clone();
        // Sent here, not in the future: the request is on the wire while the page builds.
        let alerts = q.as_ref().map(|q| {
            let req = Request::get(Source::Ioda, q.request_url(&base, dialect));
            fetch_decoded(req, Some(&slot), move |b| decode_alerts(b, dialect))
        });
        async move {
            let (query, result) = (q?, alerts?.await);
            Some(result.map(|alerts| Loaded { alerts: Arc::new(alerts), query, dialect }))
        }
    });

    let set_query = StoredValue::new_local(use_set_query("/ioda"));
    let err = move |key: &'static str| {
        Signal::derive(move || parsed.get().err().and_then(|e| e.for_field(key).map(str::to_string)))
    };

    // ----- drafts: what the form shows; the URL changes only on Search (or a pick / a level box)
    let draft_from = RwSignal::new(None::<i64>);
    let draft_until = RwSignal::new(None::<i64>);
    let draft_source = RwSignal::new(String::new());
    // Only a change of the URL's window or datasource resets those drafts: a level box or an entity
    // pick changes the URL too, and must not throw away a window typed but not yet searched.
    let url_window = Memo::new(move |_| {
        let p = params.get();
        let (from, until) = match parsed.get() {
            Ok(q) => (Some(q.range.from), Some(q.range.until)),
            Err(_) => (
                p.get(IodaQuery::FROM).and_then(|v| parse_instant(v).ok()),
                p.get(IodaQuery::UNTIL).and_then(|v| parse_instant(v).ok()),
            ),
        };
        (from, until, p.get(IodaQuery::SOURCE).unwrap_or_default().to_string())
    });
    Effect::new(move |_| {
        let (from, until, source) = url_window.get();
        draft_from.set(from);
        draft_until.set(until);
        draft_source.set(source);
    });

    // ----- the entity: the box's text, its pick, its suggestions, and the URL's entity described
    let entity_text = RwSignal::new(String::new());
    let entity_chosen = RwSignal::new(None::<Choice>);
    let suggestions = RwSignal::new(Vec::<Choice>::new());
    let searched = RwSignal::new(String::new());
    let known = StoredValue::new(Vec::<Choice>::new());
    let url_entity = Memo::new(move |_| params.get().get(IodaQuery::ENTITY).map(str::to_string));
    let entity_info = LocalResource::new(move || {
        let raw = url_entity.get();
        let endpoints = app.endpoints();
        let key = entity_key(raw.as_deref());
        let cached = known.with_value(|k| k.iter().find(|c| c.key == key && !key.is_empty()).cloned());
        describe_entity(raw, cached, endpoints.ioda_dialect, endpoints.base(Source::Ioda).clone())
    });
    let current_entity = Memo::new(move |_| {
        let key = entity_key(url_entity.get().as_deref());
        entity_info.get().flatten().filter(|c| c.key == key)
    });
    Effect::new(move |_| {
        let key = entity_key(url_entity.get().as_deref());
        match current_entity.get() {
            Some(c) => {
                entity_text.set(c.input_text());
                entity_chosen.set(Some(c));
            }
            // A pick made in this tab already shows its name while the description loads.
            None if entity_chosen.get_untracked().is_some_and(|c| c.key == key) => {}
            None => {
                entity_text.set(key);
                entity_chosen.set(None);
            }
        }
    });

    let filter_summary = Signal::derive(move || match parsed.get() {
        Ok(q) => q.summary(),
        Err(_) => "Some filters need a correction".to_string(),
    });
    let filter_error = Signal::derive(move || parsed.with(Result::is_err));

    // Search: the drafts become the URL (invalid values too: the page then explains them).
    let submit = move |entity: Option<String>| {
        let mut p = QueryParams::new();
        p.push_opt(IodaQuery::FROM, draft_from.get_untracked());
        p.push_opt(IodaQuery::UNTIL, draft_until.get_untracked());
        let entity = entity.unwrap_or_else(|| {
            entity_param(
                &entity_text.get_untracked(),
                entity_chosen.get_untracked().as_ref(),
                &suggestions.get_untracked(),
                &searched.get_untracked(),
            )
        });
        p.push_opt(IodaQuery::ENTITY, Some(entity).filter(|e| !e.is_empty()));
        p.push_opt(IodaQuery::SOURCE, Some(draft_source.get_untracked()).filter(|s| !s.is_empty()));
        for level in params.get_untracked().get_all(IodaQuery::LEVEL) {
            p.push(IodaQuery::LEVEL, level);
        }
        if p == params.get_untracked() {
            // The same query again: the user wants fresh data.
            data.refetch();
        } else {
            set_query.with_value(|go| go(&p));
        }
    };
    let on_pick = Callback::new(move |choice: Choice| {
        known.update_value(|k| {
            k.retain(|c| c.key != choice.key);
            k.push(choice.clone());
        });
        submit(Some(choice.key));
    });

    // ----- levels: applied at once (they filter what is loaded; no request)
    let levels_now = Memo::new(move |_| url_levels(&params.get()));
    let toggle_level = move |level: AlertLevel, on: bool| {
        let mut set = levels_now.get_untracked();
        if set.is_empty() {
            set = AlertLevel::FILTERABLE.to_vec();
        }
        if on {
            if !set.contains(&level) {
                set.push(level);
            }
        } else {
            set.retain(|l| *l != level);
        }
        set.sort_by_key(|l| AlertLevel::FILTERABLE.iter().position(|f| f == l));
        if set.len() == AlertLevel::FILTERABLE.len() {
            set.clear();
        }
        let next = match parsed.get_untracked() {
            Ok(mut q) => {
                q.levels = set;
                if dialect.get_untracked() == IodaDialect::Legacy {
                    q.page = 1;
                }
                q.to_params()
            }
            Err(_) => {
                let mut p = params.get_untracked();
                let joined = set.iter().map(AlertLevel::key).collect::<Vec<_>>().join(",");
                p.set(IodaQuery::LEVEL, Some(joined).filter(|j| !j.is_empty()));
                p
            }
        };
        set_query.with_value(|go| go(&next));
    };
    let level_boxes = AlertLevel::FILTERABLE
        .into_iter()
        .map(|level| {
            let id = format!("level-{}", level.key());
            let label_for = id.clone();
            let checked = {
                let level = level.clone();
                move || {
                    let set = levels_now.get();
                    set.is_empty() || set.contains(&level)
                }
            };
            // The last box left cannot be cleared: an empty filter would mean "everything".
            let only = {
                let level = level.clone();
                move || levels_now.with(|set| set.len() == 1 && set[0] == level)
            };
            let badge = level_badge(&level);
            view! {
                <label class="check" for=label_for>
                    <input
                        id=id
                        type="checkbox"
                        name="level"
                        value=level.key().to_string()
                        prop:checked=checked
                        disabled=only
                        on:change=move |ev| toggle_level(level.clone(), event_target_checked(&ev))
                    />
                    {badge}
                </label>
            }
        })
        .collect_view();

    let source_options = DATASOURCES
        .into_iter()
        .map(|d| {
            view! {
                <option value=d.key() prop:selected=move || draft_source.get() == d.key()>
                    {format!("{} ({})", d.label(), d.key())}
                </option>
            }
        })
        .collect_view();

    let other_errors = move || {
        parsed
            .get()
            .err()
            .map(|e| {
                e.0.iter()
                    .filter(|fe| !FORM_KEYS.contains(&fe.field))
                    .map(|fe| view! { <p class="field-error" data-testid=format!("error-{}", fe.field)>{fe.message.clone()}</p> })
                    .collect_view()
            })
    };

    let dashboard = move || parsed.get().ok().map(|q| q.dashboard_url());

    view! {
        <section class="ioda-page">
            <PageHead
                title=IODA.title
                lead=IODA.lead
            >
                <a class="button" href=app.href("/ioda/summary") data-testid="to-summary">
                    "What is out now"
                </a>
                {move || {
                    dashboard()
                        .map(|href| {
                            view! {
                                <a class="button" href=href target="_blank" rel="noopener" data-testid="open-in-ioda">
                                    "Open this view in IODA ↗"
                                </a>
                            }
                        })
                }}
            </PageHead>
            {move || {
                (dialect.get() == IodaDialect::Legacy)
                    .then(|| {
                        view! {
                            <p class="notice" data-testid="ioda-legacy">
                                "Using the legacy IODA alert API (set in config.json or "
                                <a href=app.href("/settings")>"Settings"</a>
                                "): it answers the whole window at once and has no name search."
                            </p>
                        }
                    })
            }}
            <FilterPanel summary=filter_summary has_error=filter_error>
            <form
                class="query-form ioda-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit(None);
                }
            >
                <TimeRangePicker
                    from=draft_from
                    until=draft_until
                    on_change=Callback::new(move |(f, u): (i64, i64)| {
                        draft_from.set(Some(f));
                        draft_until.set(Some(u));
                    })
                    from_error=err(IodaQuery::FROM)
                    until_error=err(IodaQuery::UNTIL)
                />
                <Field
                    id="entity"
                    label="Entity"
                    error=err(IodaQuery::ENTITY)
                    hint="A name or code (Norway, Blue Sky, 3307), or country/US, asn/3307. ↓ lists all countries, regions, ASes."
                >
                    <EntityPicker
                        text=entity_text
                        chosen=entity_chosen
                        options=suggestions
                        searched=searched
                        on_pick=on_pick
                        invalid=Signal::derive(move || err(IodaQuery::ENTITY).get().is_some())
                    />
                    <p class="entity-current" data-testid="entity-current">
                        {move || {
                            current_entity
                                .get()
                                .map(|c| {
                                    let detail = match (c.kind.is_empty(), c.code.is_empty()) {
                                        (true, _) => String::new(),
                                        (false, true) => format!(" · {} (every one)", c.kind),
                                        (false, false) => format!(" · {} · {}", c.kind, c.code),
                                    };
                                    view! {
                                        "Showing: "
                                        <strong>{c.label}</strong>
                                        {detail}
                                    }
                                })
                        }}
                    </p>
                </Field>
                <Field id="source" label="Datasource" error=err(IodaQuery::SOURCE)>
                    <select id="source" name="source" on:change=move |ev| draft_source.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || draft_source.get().is_empty()>
                            "All datasources"
                        </option>
                        {source_options}
                    </select>
                </Field>
                <fieldset
                    class="field level-filter"
                    class:invalid=move || err(IodaQuery::LEVEL).get().is_some()
                    data-testid="level"
                >
                    <legend class="label">"Levels"</legend>
                    <div class="checks">{level_boxes}</div>
                    <span class="field-hint">"Filters what is loaded; applies at once."</span>
                    <span class="field-error" id="level-error" role="alert">
                        {move || err(IodaQuery::LEVEL).get()}
                    </span>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="primary">
                        "Search"
                    </button>
                </div>
            </form>
            </FilterPanel>
            <section class="ioda-results" aria-labelledby="ioda-results-title">
                <h2 id="ioda-results-title">"Results"</h2>
                {other_errors}
                {results_area(
                    "ioda-answer",
                    data,
                    || view! { <p class="empty-state" data-testid="ioda-invalid">"Correct the fields marked above to search."</p> }.into_any(),
                    move |loaded| view! { <Results loaded=loaded current=parsed /> }.into_any(),
                )}
            </section>
        </section>
    }
}
