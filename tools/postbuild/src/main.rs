//! netlens-dist: the last step of every NetLens build (Trunk's `post_build` hook). In the staging
//! directory it places a split build's loader and chunks (split.rs), links the boot screen's page
//! heads (boot.rs), writes the Content-Security-Policy into index.html, copies it to 404.html (static
//! hosts serve that for unknown paths, so deep links boot the app), writes `_headers`, optionally a
//! host's recipe and a `config.json` that sends GRIP and Spamhaus through it, and finally the
//! precompressed `.br`/`.gz` siblings. The policy itself is built by `netlens::config::policy`.
//!
//!   netlens-dist [DIR] [--csp open|pinned] [--host netlify|vercel|nginx|caddy|static] [--dev-proxy]
//!
//! Run again after editing `dist/config.json` only for a pinned build: an open one needs nothing.

mod boot;
mod compress;
mod hosts;
mod html;
mod split;

use clap::Parser;
use hosts::Host;
use netlens::config::policy::{ConnectMode, ContentPolicy};
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    version,
    about = "Writes the Content-Security-Policy, host recipes and precompressed files of a built NetLens"
)]
struct Args {
    /// The built app (default: Trunk's staging directory, as a post_build hook).
    #[arg(env = "TRUNK_STAGING_DIR")]
    dir: PathBuf,
    /// `open` (connect wherever the app accepts an endpoint) or `pinned` (only config.json's).
    #[arg(long, env = "NETLENS_CSP", default_value = "open")]
    csp: String,
    /// Write this host's recipe and point GRIP and Spamhaus at it in config.json.
    #[arg(long, env = "NETLENS_HOST", default_value = "")]
    host: String,
    /// Point GRIP and Spamhaus at the app's own origin (`make serve`: Trunk's [[proxy]] forwards them).
    #[arg(long, env = "NETLENS_DEV_PROXY", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    dev_proxy: bool,
    /// The app's base path (`/`, `/netlens/`), for the host recipes' rules.
    #[arg(long, env = "TRUNK_PUBLIC_URL", default_value = "/")]
    public_url: String,
    /// Where the bundle will live on an nginx or Caddy machine.
    #[arg(long, env = "NETLENS_SITE_ROOT", default_value = "/srv/netlens")]
    site_root: String,
    /// Whether to write .br/.gz siblings: `auto` = yes except for Trunk's debug builds.
    #[arg(long, env = "NETLENS_COMPRESS", default_value = "auto")]
    compress: String,
    /// Brotli quality 0–11: 11 is the smallest and slowest (about 20 s of CPU on the wasm); a test
    /// build that does not measure sizes can pass e.g. 5.
    #[arg(long, env = "NETLENS_BROTLI_QUALITY", default_value_t = 11, value_parser = clap::value_parser!(u32).range(0..=11))]
    brotli_quality: u32,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("netlens-dist: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let mode = ConnectMode::from_key(&args.csp)
        .ok_or_else(|| format!("unknown CSP mode “{}”: use open or pinned", args.csp))?;
    let host = Host::parse(&args.host)?;
    let public_url = base_path(&args.public_url);
    let dir = args.dir.as_path();
    let read = |name: &str| {
        fs::read_to_string(dir.join(name)).map_err(|e| format!("cannot read {}: {e}", dir.join(name).display()))
    };
    let write = |name: &str, text: &str| {
        fs::write(dir.join(name), text).map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
    };

    // First, so the chunks get their precompressed siblings like every other file.
    let profile = std::env::var("TRUNK_PROFILE").unwrap_or_else(|_| "release".into());
    let placed = split::place(dir, &split::source_dir(&profile), profile != "debug")?;
    if let Some(placed) = &placed {
        eprintln!("netlens-dist: placed the split build's loader {} and {} chunks", placed.loader, placed.chunks);
    }

    let config_path = dir.join("config.json");
    let original_config = config_path.exists().then(|| read("config.json")).transpose()?;
    let config = if args.dev_proxy || host.is_some_and(Host::forwards) {
        let rewritten = hosts::with_same_origin_endpoints(original_config.as_deref())?;
        write("config.json", &rewritten)?;
        Some(rewritten)
    } else {
        original_config.clone()
    };

    let mut page = html::with_policy_meta(&read("index.html")?, None)?;
    if let Some(placed) = &placed {
        page = split::with_loader_preload(&page, &placed.glue, &placed.loader)?;
    }
    let (page, boot_file) = boot::place(dir, &page)?;
    if let Some(name) = boot_file {
        eprintln!("netlens-dist: wrote the boot screen's page heads, {name}");
    }
    if html::is_dev_server_page(&page)? {
        // `trunk serve` with live reload: no policy can match its per-request script.
        write("index.html", &page)?;
        write("404.html", &page)?;
        let _ = fs::remove_file(dir.join("_headers"));
        eprintln!(
            "netlens-dist: trunk serve live-reload build, no Content-Security-Policy (use `trunk build` to get one)"
        );
        return Ok(());
    }

    let hashes = html::inline_scripts(&page)?.iter().map(|s| html::script_hash(s)).collect();
    let (policy, warnings) = ContentPolicy::for_mode(mode, config.as_deref(), hashes);
    for w in warnings {
        eprintln!("netlens-dist: {w}");
    }
    let with_meta = html::with_policy_meta(&page, Some(&policy.meta_text()))?;
    write("index.html", &with_meta)?;
    write("404.html", &with_meta)?;
    write("_headers", &policy.headers_file())?;

    if let Some(host) = host {
        let forwards = hosts::forwards(original_config.as_deref(), &public_url);
        for (name, text) in hosts::recipe(host, &forwards, &policy, &public_url, args.site_root.trim_end_matches('/')) {
            write(name, &text)?;
            eprintln!("netlens-dist: wrote {name} for {}", host.key());
        }
        if !host.forwards() {
            eprintln!(
                "netlens-dist: a static host cannot forward GRIP and Spamhaus; see docs/deploy.md (netlens-proxy)"
            );
        }
    }

    let compress = match args.compress.as_str() {
        "auto" => std::env::var("TRUNK_PROFILE").map_or(true, |p| p != "debug"),
        "always" | "yes" | "true" => true,
        "never" | "no" | "false" => false,
        other => return Err(format!("unknown --compress “{other}”: use auto, always or never")),
    };
    let summary = if compress {
        let (n, before, after) = compress::precompress(dir, args.brotli_quality)?;
        format!(", {n} files precompressed ({} kB → {} kB brotli)", before / 1000, after / 1000)
    } else {
        String::new()
    };
    let mode_name = if mode == ConnectMode::Pinned { "pinned" } else { "open" };
    eprintln!(
        "netlens-dist: {mode_name} Content-Security-Policy written{summary} in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}

/// The path part of Trunk's public URL, with a leading and a trailing slash.
fn base_path(public_url: &str) -> String {
    let path = match public_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => public_url,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compress::tests::tempdir;
    use crate::html::tests::trunk_page;
    use std::path::Path;

    fn args(dir: &Path, csp: &str, host: &str) -> Args {
        Args {
            dir: dir.to_path_buf(),
            csp: csp.into(),
            host: host.into(),
            dev_proxy: false,
            public_url: "/".into(),
            site_root: "/srv/netlens".into(),
            compress: "always".into(),
            brotli_quality: 5,
        }
    }

    fn meta(dir: &Path, page: &str) -> String {
        let html = fs::read_to_string(dir.join(page)).unwrap();
        let start = html.find(r#"http-equiv="Content-Security-Policy" content=""#).expect("a policy meta") + 46;
        html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&")
    }

    #[test]
    fn a_build_gets_its_policy_in_both_pages_and_in_headers() {
        let dir = tempdir("run");
        fs::write(dir.join("index.html"), trunk_page()).unwrap();
        fs::write(dir.join("netlens.js"), "export default 1;\n".repeat(100)).unwrap();
        let config = r#"{"endpoints":{"grip":"http://127.0.0.1:8702/json"},"connect_src":["http://127.0.0.1:8787"]}"#;
        fs::write(dir.join("config.json"), config).unwrap();

        run(args(&dir, "open", "")).unwrap();
        let hash = html::script_hash(crate::html::tests::BOOT);
        let open = ContentPolicy::open(vec![hash.clone()]);
        assert_eq!(meta(&dir, "index.html"), open.meta_text());
        assert_eq!(
            fs::read_to_string(dir.join("404.html")).unwrap(),
            fs::read_to_string(dir.join("index.html")).unwrap()
        );
        assert_eq!(fs::read_to_string(dir.join("_headers")).unwrap(), open.headers_file());
        assert_eq!(fs::read_to_string(dir.join("config.json")).unwrap(), config, "no host: config.json untouched");
        assert!(dir.join("index.html.br").exists() && dir.join("netlens.js.gz").exists());
        let first = fs::read_to_string(dir.join("index.html")).unwrap();
        run(args(&dir, "open", "")).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), first, "running it again changes nothing");

        run(args(&dir, "pinned", "")).unwrap();
        let pinned = meta(&dir, "404.html");
        assert!(pinned.contains("connect-src 'self' https://api.spoofer.caida.org http://127.0.0.1:8702 "), "{pinned}");
        assert!(
            pinned.ends_with("http://127.0.0.1:8787; object-src 'none'; base-uri 'self'; form-action 'self'"),
            "{pinned}"
        );
        assert!(netlens::config::policy::is_pinned(&pinned));
        assert!(run(args(&dir, "strict", "")).is_err());
        assert!(run(args(&dir, "open", "heroku")).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_forwarding_host_gets_its_recipe_and_a_config_through_it() {
        let dir = tempdir("host");
        fs::write(dir.join("index.html"), trunk_page()).unwrap();
        fs::write(dir.join("config.json"), r#"{"endpoints":{"spamhaus":"https://sh.example"}}"#).unwrap();
        run(Args { compress: "never".into(), ..args(&dir, "open", "netlify") }).unwrap();
        let redirects = fs::read_to_string(dir.join("_redirects")).unwrap();
        assert!(
            redirects.contains("/api/spamhaus/*  https://sh.example/:splat  200"),
            "the configured upstream: {redirects}"
        );
        let config: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
        assert_eq!(config["endpoints"]["spamhaus"], "api/spamhaus");
        assert_eq!(config["endpoints"]["grip"], "api/grip");
        assert!(!dir.join("index.html.br").exists(), "--compress never");

        let dir2 = tempdir("static");
        fs::write(dir2.join("index.html"), trunk_page()).unwrap();
        fs::write(dir2.join("config.json"), "{}").unwrap();
        run(Args { compress: "never".into(), ..args(&dir2, "open", "static") }).unwrap();
        assert_eq!(
            fs::read_to_string(dir2.join("config.json")).unwrap(),
            "{}",
            "a static host keeps the public endpoints"
        );
        assert_eq!(fs::read_dir(&dir2).unwrap().count(), 4, "index.html, 404.html, _headers, config.json");
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(&dir2).unwrap();
    }

    #[test]
    fn a_page_with_a_boot_screen_gets_the_heads_script_once_and_no_new_hash() {
        let dir = tempdir("boot");
        let page = trunk_page().replace("<body>", "<body><div id=boot><p class=boot-note>Loading</p></div>");
        fs::write(dir.join("index.html"), &page).unwrap();
        run(Args { compress: "never".into(), ..args(&dir, "open", "") }).unwrap();
        let name = boot::file_name(&boot::script());
        let script = fs::read_to_string(dir.join(&name)).unwrap();
        assert!(script.contains(netlens::heads::GRIP.lead), "{script}");
        let first = fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(first.contains(&format!("</div><script src=\"{name}\" data-netlens-boot></script>")), "{first}");
        assert_eq!(meta(&dir, "index.html"), {
            let hashes = html::inline_scripts(&page).unwrap().iter().map(|s| html::script_hash(s)).collect();
            netlens::config::policy::ContentPolicy::for_mode(ConnectMode::Open, None, hashes).0.meta_text()
        });
        run(Args { compress: "never".into(), ..args(&dir, "open", "") }).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), first, "a second run changes nothing");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dev_server_build_gets_no_policy_and_the_dev_proxy_config() {
        let dir = tempdir("dev");
        let dev = trunk_page()
            .replace("</body>", "<script>const u = '{{__TRUNK_ADDRESS__}}' + '.well-known/trunk/ws';</script></body>");
        fs::write(dir.join("index.html"), html::with_policy_meta(&dev, Some("default-src 'self'")).unwrap()).unwrap();
        fs::write(dir.join("_headers"), "old").unwrap();
        run(Args { dev_proxy: true, ..args(&dir, "open", "") }).unwrap();
        assert!(!fs::read_to_string(dir.join("index.html")).unwrap().contains("Content-Security-Policy"));
        assert!(!dir.join("_headers").exists());
        assert!(!dir.join("index.html.br").exists(), "a dev server serves plain files");
        let config: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
        assert_eq!(config["endpoints"]["grip"], "api/grip");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("/netlens"), "/netlens/");
        assert_eq!(base_path("netlens/"), "/netlens/");
        assert_eq!(base_path("https://cdn.example/app/"), "/app/");
        assert_eq!(base_path("https://cdn.example"), "/");
    }
}
