//! Browser tests of the shell's own plumbing (fetch helper, storage, theme), run in headless
//! Chromium by wasm-bindgen-test: `cargo test --target wasm32-unknown-unknown --test browser`.
#![cfg(target_arch = "wasm32")]

use netlens::api::error::FetchError;
use netlens::api::Source;
use netlens::config::{browser, EndpointOverrides, Theme};
use netlens::http::{fetch_decoded_head_first, fetch_json, send, Request, RequestSlot};
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, Deserialize, PartialEq)]
struct Envelope {
    data: Vec<Item>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    time: i64,
}

fn data_url(json: &str) -> String {
    format!("data:application/json,{}", js_sys::encode_uri_component(json))
}

#[wasm_bindgen_test]
async fn fetch_json_decodes_a_response() {
    let got: Envelope = fetch_json(Request::get(Source::Ioda, data_url(r#"{"data":[{"time":5}],"extra":true}"#)), None)
        .await
        .expect("decodes");
    assert_eq!(got, Envelope { data: vec![Item { time: 5 }] });
}

#[wasm_bindgen_test]
async fn a_body_is_read_as_utf8_with_bad_bytes_replaced_and_its_decode_is_measured() {
    // `{"name":"ås<0xFF>"}`: a two-byte letter kept, a byte that is no UTF-8 replaced as `text()` does.
    let url = "data:application/json,%7B%22name%22%3A%22%C3%A5s%FF%22%7D";
    let response = send(Request::get(Source::Spamhaus, url), None).await.expect("answers");
    assert_eq!(&*response.body, "{\"name\":\"ås\u{FFFD}\"}");
    let performance = web_sys::window().unwrap().performance().unwrap();
    performance.clear_measures();
    let _: Envelope = fetch_json(Request::get(Source::Ioda, data_url(r#"{"data":[]}"#)), None).await.expect("decodes");
    assert_eq!(performance.get_entries_by_name("netlens:decode ioda").length(), 1, "one User Timing measure a decode");
}

#[wasm_bindgen_test]
async fn a_large_answer_shows_its_head_before_the_whole_is_decoded_and_a_small_one_does_not() {
    let performance = web_sys::window().unwrap().performance().unwrap();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let fetch = |json: String| {
        let (head_log, show_log, decode_log) = (log.clone(), log.clone(), log.clone());
        fetch_decoded_head_first(
            Request::get(Source::Grip, data_url(&json)),
            None,
            move |body: &str| {
                head_log.borrow_mut().push("head".into());
                Some(body.len())
            },
            move |len: usize| show_log.borrow_mut().push(format!("show {len}")),
            move |body: &str| {
                decode_log.borrow_mut().push("decode".into());
                serde_json::from_str::<Envelope>(body)
                    .map_err(|e| FetchError::Decode { service: Source::Grip, detail: e.to_string() })
            },
        )
    };
    // Over 512 kB: the head is read and shown first, then the whole is decoded.
    let items: Vec<String> = (0..60_000).map(|i| format!(r#"{{"time":{i}}}"#)).collect();
    let big = format!(r#"{{"data":[{}]}}"#, items.join(","));
    assert!(big.len() > 512 * 1024);
    performance.clear_measures();
    let got = fetch(big.clone()).await.expect("decodes");
    assert_eq!(got.data.len(), 60_000);
    assert_eq!(*log.borrow(), ["head".to_string(), format!("show {}", big.len()), "decode".to_string()]);
    assert_eq!(performance.get_entries_by_name("netlens:decode-head grip").length(), 1);
    // A small answer is decoded at once.
    log.borrow_mut().clear();
    let got = fetch(r#"{"data":[{"time":7}]}"#.to_string()).await.expect("decodes");
    assert_eq!(got.data, vec![Item { time: 7 }]);
    assert_eq!(*log.borrow(), ["decode".to_string()]);
}

#[wasm_bindgen_test]
async fn a_schema_surprise_names_the_field() {
    let err = fetch_json::<Envelope>(Request::get(Source::Grip, data_url(r#"{"data":[{"time":"soon"}]}"#)), None)
        .await
        .unwrap_err();
    match err {
        FetchError::Decode { service, detail } => {
            assert_eq!(service, Source::Grip);
            assert!(detail.contains("data[0].time"), "{detail}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn an_unreachable_service_is_a_network_error() {
    // Port 9 (discard) is closed on the test machine: the browser reports a failed fetch.
    let Err(err) = send(Request::get(Source::Spoofer, "http://127.0.0.1:9/sessions"), None).await else {
        panic!("a closed port cannot answer");
    };
    assert!(matches!(err, FetchError::Network { service: Source::Spoofer, .. }), "{err:?}");
    assert!(!err.is_cors_refusal(), "a closed port answers nothing, not even without CORS");
}

#[wasm_bindgen_test]
async fn a_request_leaves_when_asked_not_when_awaited_and_a_twin_joins_it() {
    // Counts the page's calls of `fetch` (gloo-net calls `window.fetch` by name).
    let count = js_sys::Function::new_no_args(
        "const real = window.fetch; let n = 0;
         window.fetch = function (...args) { n += 1; return real.apply(this, args); };
         return [() => n, () => { window.fetch = real; }];",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .map(|v| js_sys::Array::from(&v))
    .expect("wraps fetch");
    let calls = || js_sys::Function::from(count.get(0)).call0(&wasm_bindgen::JsValue::NULL).unwrap().as_f64().unwrap();
    let url = data_url(r#"{"data":[{"time":42}]}"#);

    let answer = fetch_json::<Envelope>(Request::get(Source::Ioda, url.clone()), None);
    assert_eq!(calls(), 1.0, "the fetch is under way before its future is polled");
    let twin = fetch_json::<Envelope>(Request::get(Source::Ioda, url), None);
    assert_eq!(calls(), 1.0, "an identical request joins the one in flight");
    let (answer, twin) = futures::join!(answer, twin);
    js_sys::Function::from(count.get(1)).call0(&wasm_bindgen::JsValue::NULL).unwrap();
    assert_eq!(answer.expect("answers").data[0].time, 42);
    assert_eq!(twin.expect("the twin shares the answer").data[0].time, 42);
}

#[wasm_bindgen_test]
async fn a_newer_request_supersedes_the_older_one() {
    let slot = RequestSlot::default();
    let older = fetch_json::<Envelope>(Request::get(Source::Ioda, data_url(r#"{"data":[{"time":1}]}"#)), Some(&slot));
    let newer = fetch_json::<Envelope>(Request::get(Source::Ioda, data_url(r#"{"data":[{"time":2}]}"#)), Some(&slot));
    let (older, newer) = futures::join!(older, newer);
    assert_eq!(older, Err(FetchError::Superseded));
    assert_eq!(newer.expect("the newer request wins").data[0].time, 2);
}

#[wasm_bindgen_test]
fn settings_overrides_round_trip_through_local_storage() {
    let mut overrides = EndpointOverrides::default();
    overrides.endpoints.insert("grip".into(), "https://proxy.example/grip".into());
    browser::save_settings(&overrides);
    assert_eq!(browser::load_settings(), overrides);
    browser::save_settings(&EndpointOverrides::default());
    assert_eq!(browser::load_settings(), EndpointOverrides::default());
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(storage.get_item("netlens.endpoints").unwrap(), None);
}

#[wasm_bindgen_test]
fn the_theme_is_applied_to_the_document() {
    let root = web_sys::window().unwrap().document().unwrap().document_element().unwrap();
    browser::save_and_apply_theme(Theme::Dark);
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(browser::load_theme(), Theme::Dark);
    browser::save_and_apply_theme(Theme::System);
    assert_eq!(root.get_attribute("data-theme"), None);
    assert_eq!(browser::load_theme(), Theme::System);
}
