//! `netlens-proxy`: the command line. See proxy/README.md.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use netlens_proxy::{site, Config, Source, API_PREFIX, DEFAULT_ORIGINS};

/// NetLens on one origin: with --dist, serves the built app and forwards its calls under
/// /api/<source>/ to the services' fixed base URLs; without it, a CORS proxy for pages from the
/// allowed origins (also at /<source>/).
#[derive(Parser, Debug)]
#[command(name = "netlens-proxy", version, about, long_about = None)]
struct Args {
    /// Address and port to listen on (port 0: the system picks one). The first line on stdout is
    /// `listening on http://IP:PORT`.
    #[arg(long, env = "NETLENS_PROXY_LISTEN", default_value = "127.0.0.1:8787", value_name = "IP:PORT")]
    listen: SocketAddr,

    /// Serve the built app in DIR (from `make dist`) on the same origin as the forwarding.
    #[arg(long, env = "NETLENS_PROXY_DIST", value_name = "DIR")]
    dist: Option<PathBuf>,

    /// The config.json to serve (re-read on each request), instead of DIR/config.json.
    #[arg(long, env = "NETLENS_PROXY_CONFIG", value_name = "FILE", requires = "dist")]
    config: Option<PathBuf>,

    /// The path the app is served under, e.g. /netlens/ (build it with the same PUBLIC_URL).
    #[arg(long = "public-path", env = "NETLENS_PROXY_PUBLIC_PATH", default_value = "/", value_name = "PATH")]
    public_path: String,

    /// Origin (scheme://host[:port]) of another site whose pages may use the proxy; repeatable.
    /// The environment variable takes a comma-separated list.
    #[arg(
        long = "allow-origin",
        env = "NETLENS_PROXY_ALLOW_ORIGINS",
        value_delimiter = ',',
        default_values_t = DEFAULT_ORIGINS.map(String::from),
        value_name = "ORIGIN"
    )]
    allow_origin: Vec<String>,

    /// Replace one source's upstream base, e.g. spamhaus=http://127.0.0.1:8704; repeatable.
    /// Sources: spoofer, grip, ioda, spamhaus. The environment variable takes a comma-separated list.
    #[arg(long = "upstream", env = "NETLENS_PROXY_UPSTREAMS", value_delimiter = ',', value_name = "NAME=URL")]
    upstream: Vec<String>,

    /// Seconds to wait for an upstream to start answering (or to go on sending) before replying 504.
    #[arg(long = "timeout", env = "NETLENS_PROXY_TIMEOUT", default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,

    /// Check a running proxy instead of starting one: GET URL, exit 0 on 200, else 1. For container
    /// health checks, e.g. --health-check http://127.0.0.1:8080/healthz
    #[arg(long = "health-check", value_name = "URL")]
    health_check: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).with_ansi(false).init();
    let args = Args::parse();
    if let Some(url) = &args.health_check {
        return match netlens_proxy::health_check(url).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("netlens-proxy: health check failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let config = Config::new(&args.allow_origin, &args.upstream, Duration::from_secs(args.timeout))
        .and_then(|c| c.with_public_path(&args.public_path))
        .and_then(|c| match &args.dist {
            Some(dist) => c.with_dist(dist, args.config.as_deref()),
            None => Ok(c),
        });
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("netlens-proxy: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("netlens-proxy: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.listen);
    // The first line on stdout, for scripts that start the proxy on port 0 and need the address.
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();

    let public = &config.public_path;
    if let Some(dist) = &args.dist {
        tracing::info!("NetLens at http://{addr}{public} from {}", dist.display());
        let through: Vec<&str> = site::proxied_sources(&config.upstreams).into_iter().map(Source::key).collect();
        tracing::info!("config.json sends {} through the proxy", through.join(", "));
    } else if !addr.ip().is_loopback() {
        tracing::warn!("listening on {addr}, which is not a loopback address: anyone who can reach it can use the proxy with any Origin-less client");
    }
    for s in Source::ALL {
        let base = config.upstreams.base(s).as_str().trim_end_matches('/').to_owned();
        tracing::info!("http://{addr}{public}{}/{}/ -> {base}", API_PREFIX.trim_start_matches('/'), s.key());
        if args.dist.is_none() {
            tracing::info!("http://{addr}{public}{}/ -> {base}", s.key());
        }
    }
    tracing::info!("allowed origins: {}", config.allowed_origins.join(", "));
    match netlens_proxy::serve(listener, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("netlens-proxy: {e}");
            ExitCode::FAILURE
        }
    }
}
