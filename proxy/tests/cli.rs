//! The `netlens-proxy` binary itself: the address line scripts read, `--dist`, and
//! `--health-check` (the container's HEALTHCHECK).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{client, Dist, INDEX_HTML};

const BINARY: &str = env!("CARGO_BIN_EXE_netlens-proxy");

/// Kills the child when the test ends, passing or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on port 0 and reads back `listening on http://IP:PORT`, its first stdout line.
fn start(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let url = first.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {first:?}")).to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    (Running(child), url)
}

fn health_check(url: &str) -> bool {
    Command::new(BINARY).args(["--health-check", url]).stderr(Stdio::null()).status().unwrap().success()
}

#[tokio::test]
async fn the_binary_serves_the_dist_and_says_where() {
    let dist = Dist::new(None);
    let (_proxy, url) = start(&["--dist", dist.dir.to_str().unwrap()]);
    let r = client().get(format!("{url}/grip/event/x")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), INDEX_HTML);

    assert!(health_check(&format!("{url}/healthz")));
    // Not 200, and nothing listening: both fail.
    assert!(!health_check(&format!("{url}/api/evil/x")));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    assert!(!health_check(&format!("http://{closed}/healthz")));
}

#[test]
fn bad_flags_exit_with_a_sentence() {
    let dist = Dist::new(None);
    std::fs::remove_file(dist.dir.join("index.html")).unwrap();
    let out =
        Command::new(BINARY).args(["--listen", "127.0.0.1:0", "--dist", dist.dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index.html"));
    let out = Command::new(BINARY).args(["--config", "/tmp/x.json"]).output().unwrap();
    assert!(!out.status.success(), "--config needs --dist");
    let out = Command::new(BINARY).args(["--public-path", "/a/../b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_health_check_gives_up_on_a_silent_server() {
    // Accepts the connection and never answers: the check must end (5 s), not hang.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let started = std::time::Instant::now();
    assert!(!health_check(&format!("http://{addr}/healthz")));
    assert!(started.elapsed() < Duration::from_secs(15));
    drop(listener);
}
