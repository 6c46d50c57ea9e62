//! The log: one line per request, and never a secret. Its own test binary, so the capturing
//! subscriber sees this test's events only.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{client, config_for, start_proxy, Upstream, APP_ORIGIN};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

// Single-threaded runtime: the proxy's tasks run on this thread, under the subscriber set below.
#[tokio::test(flavor = "current_thread")]
async fn the_log_has_one_line_per_request_and_no_secrets() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let upstream = Upstream::start(None).await;
    let proxy = start_proxy(config_for(&upstream.base(), Duration::from_secs(30))).await;
    let secret = "secret-token-123";
    let r = client()
        .get(format!("http://{proxy}/spamhaus/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.0/24?limit=5&q=query-secret-456"))
        .header("Authorization", format!("Bearer {secret}"))
        .header("Origin", APP_ORIGIN)
        .header("Cookie", "sid=cookie-secret-789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The echoed answer carries the token: the response body is not logged either.
    assert!(r.text().await.unwrap().contains(secret));
    let r = client()
        .post(format!("http://{proxy}/spamhaus/api/v1/login"))
        .header("Authorization", format!("Bearer {secret}"))
        .header("Content-Type", "application/json")
        .body(r#"{"username":"u","password":"body-secret-000"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client()
        .get(format!("http://{proxy}/nowhere?x=1"))
        .header("Authorization", format!("Bearer {secret}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Health checks come every few seconds: they stay out of the info log.
    let r = client().get(format!("http://{proxy}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(upstream.seen()[0]["headers"]["authorization"], format!("Bearer {secret}"));

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for s in [secret, "Bearer", "query-secret-456", "limit=5", "cookie-secret-789", "body-secret-000", "password"] {
        assert!(!log.contains(s), "{s:?} in the log:\n{log}");
    }
    assert!(!log.lines().any(|l| l.contains("INFO") && l.contains("healthz")), "{log}");
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("netlens_proxy") && l.contains("INFO")).collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[0].contains("GET spamhaus /spamhaus/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.0/24 200 "),
        "{log}"
    );
    assert!(lines[0].trim_end().ends_with("ms"), "{log}");
    assert!(lines[1].contains("POST spamhaus /spamhaus/api/v1/login 200 "), "{log}");
    assert!(lines[2].contains("GET - /nowhere 404 "), "{log}");
}
