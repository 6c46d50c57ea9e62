//! The start page: what each source is, who owns it, and its terms of use.

use crate::api::Source;
use crate::app::use_app;
use crate::ui::page_head::PageHead;
use leptos::prelude::*;

struct SourceCard {
    source: Source,
    path: &'static str,
    what: &'static str,
    owner: (&'static str, &'static str),
    terms: (&'static str, &'static str),
}

const CARDS: [SourceCard; 4] = [
    SourceCard {
        source: Source::Spoofer,
        path: "/spoofer",
        what: "Source-address-validation tests: can a network send packets with spoofed source addresses (BCP 38)?",
        owner: ("CAIDA, UC San Diego", "https://www.caida.org/projects/spoofer/"),
        terms: ("CAIDA Acceptable Use Agreement", "https://www.caida.org/about/legal/aua/"),
    },
    SourceCard {
        source: Source::Grip,
        path: "/grip",
        what: "BGP routing events (MOAS, sub-MOAS, defcon, new edges) with hijack inferences and suspicion levels.",
        owner: ("Internet Intelligence Lab, Georgia Tech", "https://grip.inetintel.cc.gatech.edu"),
        terms: ("GRIP terms and acknowledgement", "https://grip.inetintel.cc.gatech.edu"),
    },
    SourceCard {
        source: Source::Ioda,
        path: "/ioda",
        what: "Internet outage alerts per country, region or autonomous system, from BGP, active probing and telescope data.",
        owner: ("Internet Intelligence Lab, Georgia Tech", "https://ioda.inetintel.cc.gatech.edu"),
        terms: ("IODA acceptable use", "https://ioda.inetintel.cc.gatech.edu/about"),
    },
    SourceCard {
        source: Source::Spamhaus,
        path: "/spamhaus",
        what: "IP reputation listings (XBL, CSS, BCL) by address or CIDR. Needs your own SIA account; the token stays in this tab.",
        owner: ("The Spamhaus Project", "https://www.spamhaus.com/product/intelligence-api/"),
        terms: ("Spamhaus terms of use", "https://www.spamhaus.com/legal/terms-of-use/"),
    },
];

#[component]
pub fn Home() -> impl IntoView {
    let app = use_app();
    let cards = CARDS
        .iter()
        .map(|c| {
            view! {
                <article class="card">
                    <h2>
                        <a href=app.href(c.path)>{c.source.name()}</a>
                    </h2>
                    <p>{c.what}</p>
                    <p class="meta">
                        "From " <a href=c.owner.1>{c.owner.0}</a> ". Use is subject to the "
                        <a href=c.terms.1>{c.terms.0}</a> "."
                    </p>
                </article>
            }
        })
        .collect_view();
    view! {
        <section>
            <PageHead
                title="Public Internet-security data, in one place"
                lead=concat!(
                    "NetLens queries four public data services straight from your browser. Every view is a link: ",
                    "copy it and a colleague sees the same query.",
                )
            />
            <p class="home-now">
                <a class="button primary" href=app.href("/ioda/summary")>"What is out now"</a>
                <span>"The countries, regions and networks in outage in the last 24 hours, worst first (IODA)."</span>
            </p>
            <div class="cards">{cards}</div>
        </section>
    }
}
