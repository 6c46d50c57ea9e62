//! How fast the core reads a page of GRIP events (and its first 20, as a large page draws first),
//! natively, beside serde_json's own floors: a `Value` of the whole answer and a skip over it
//! (`IgnoredAny`). The browser's figure is in
//! `make bench`; this one isolates the decoder from the page.
//!
//! `cargo run --release --example grip_decode -- answer.json`, with an answer of `/events`, e.g. the
//! mock's 1,000 real-weight events (`make demo`, then save `/api/grip/events?length=1000`).

use std::time::Instant;

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: grip_decode <answer of /events>.json");
        std::process::exit(2);
    };
    let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let events = match netlens::api::grip::decode_events(&body) {
        Ok(page) => page.data.len(),
        Err(e) => panic!("{path} is no page of events: {e}"),
    };
    let list = best_of(15, || drop(netlens::api::grip::decode_events(&body)));
    let head = best_of(15, || drop(netlens::api::grip::decode_events_head(&body, 20)));
    let value = best_of(5, || drop(serde_json::from_str::<serde_json::Value>(&body)));
    let skip = best_of(5, || drop(serde_json::from_str::<serde::de::IgnoredAny>(&body)));
    println!(
        "{events} events, {:.2} MB: list decode {list:.1} ms (its first 20 events {head:.2} ms); serde_json Value {value:.1} ms; skip only {skip:.1} ms",
        body.len() as f64 / 1e6
    );
}
