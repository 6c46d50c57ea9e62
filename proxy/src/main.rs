//! `netlens-proxy`: the command line. See proxy/README.md.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use netlens_proxy::{Config, Source, DEFAULT_ORIGINS};

/// Optional CORS proxy for NetLens: forwards /spoofer/, /grip/, /ioda/ and /spamhaus/ to the
/// services' fixed base URLs, for pages from the allowed origins only.
#[derive(Parser, Debug)]
#[command(name = "netlens-proxy", version, about, long_about = None)]
struct Args {
    /// Address and port to listen on.
    #[arg(long, env = "NETLENS_PROXY_LISTEN", default_value = "127.0.0.1:8787", value_name = "IP:PORT")]
    listen: SocketAddr,

    /// Origin (scheme://host[:port]) whose pages may use the proxy; repeatable.
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

    /// Seconds to wait for an upstream answer before replying 504.
    #[arg(long = "timeout", env = "NETLENS_PROXY_TIMEOUT", default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).with_ansi(false).init();
    let args = Args::parse();
    let config = match Config::new(&args.allow_origin, &args.upstream, Duration::from_secs(args.timeout)) {
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
    if !addr.ip().is_loopback() {
        tracing::warn!("listening on {addr}, which is not a loopback address: anyone who can reach it can use the proxy with any Origin-less client");
    }
    for s in Source::ALL {
        tracing::info!("http://{addr}/{}/ -> {}", s.name(), config.upstreams.base(s).as_str().trim_end_matches('/'));
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
