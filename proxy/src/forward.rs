//! Forwarding one request to its source's upstream and streaming the answer back.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode};
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use netlens::api::Source;

use crate::json_error;
use crate::route::{same_host, upstream_url, Upstreams};

/// Largest request body forwarded (POST, e.g. the Spamhaus login).
pub const MAX_REQUEST_BODY: usize = 64 * 1024;
/// Largest upstream answer relayed (a real 1,000-event GRIP page is about 9 MB). An answer that
/// declares more is a 502; one that turns out bigger while streaming is cut off.
pub const MAX_RESPONSE_BODY: u64 = 64 * 1024 * 1024;
const MAX_REDIRECTS: usize = 5;
const X_REQUESTED_WITH: HeaderName = HeaderName::from_static("x-requested-with");
/// The only request headers that reach an upstream.
const FORWARDED_HEADERS: [HeaderName; 4] = [AUTHORIZATION, CONTENT_TYPE, ACCEPT, X_REQUESTED_WITH];
/// The only answer headers that reach the browser (besides the ones the proxy sets itself).
const RELAYED_HEADERS: [HeaderName; 4] = [CONTENT_TYPE, CONTENT_LENGTH, CONTENT_ENCODING, RETRY_AFTER];

pub(crate) struct Forwarder {
    client: reqwest::Client,
    upstreams: Upstreams,
    timeout: Duration,
    max_answer: u64,
}

impl Forwarder {
    pub(crate) fn new(upstreams: Upstreams, timeout: Duration, max_answer: u64) -> Result<Forwarder, reqwest::Error> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error("too many redirects");
            }
            let allowed = attempt.previous().first().is_some_and(|first| same_host(first, attempt.url()));
            if allowed {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::Client::builder()
            .redirect(policy)
            // Waiting for the answer's head is bounded in `forward`; the body may take longer as long
            // as it keeps coming (a 9 MB page to a slow browser), so only a stall is a timeout.
            .read_timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // An idle pooled connection is dropped before the upstream would close it (gunicorn's
            // default keep-alive is 2 s, Node's 5 s, nginx's 75 s): a request sent on a connection the
            // server is closing ends in a reset the browser would read as a 502, and a POST (the
            // Spamhaus login) is not sent twice. The mock closes idle connections after 2 s, as gunicorn.
            .pool_idle_timeout(Duration::from_millis(1500))
            // Direct connections only: no HTTP(S)_PROXY from the environment.
            .no_proxy()
            .user_agent(concat!("netlens-proxy/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Forwarder { client, upstreams, timeout, max_answer })
    }

    pub(crate) fn upstreams(&self) -> &Upstreams {
        &self.upstreams
    }

    /// Sends `request` to `<base of source><tail>?<query>` and streams the answer back.
    pub(crate) async fn forward(&self, source: Source, tail: &str, request: Request) -> Response {
        self.try_forward(source, tail, request).await.unwrap_or_else(|e| e)
    }

    async fn try_forward(&self, source: Source, tail: &str, request: Request) -> Result<Response, Response> {
        let base = self.upstreams.base(source);
        let url = upstream_url(base, tail, request.uri().query())
            .ok_or_else(|| json_error(StatusCode::BAD_REQUEST, "path not allowed"))?;
        let (parts, body) = request.into_parts();

        let mut headers = HeaderMap::new();
        for name in FORWARDED_HEADERS {
            for value in parts.headers.get_all(&name) {
                headers.append(name.clone(), value.clone());
            }
        }
        let mut upstream = self.client.request(parts.method.clone(), url).headers(headers);
        if parts.method == Method::POST {
            upstream = upstream.body(read_body(&parts.headers, body).await?);
        }

        // A GET that met a dropped connection (not a timeout) is sent once more, on a fresh one.
        let again = (parts.method == Method::GET).then(|| upstream.try_clone()).flatten();
        let answer = tokio::time::timeout(self.timeout, async {
            match (upstream.send().await, again) {
                (Err(e), Some(again)) if !e.is_timeout() && (e.is_connect() || e.is_request()) => again.send().await,
                (result, _) => result,
            }
        })
        .await
        .map_err(|_| timed_out(source))?
        .map_err(|e| upstream_error(source, &e))?;
        if answer.status().is_redirection() {
            return Err(json_error(
                StatusCode::BAD_GATEWAY,
                &format!("{} redirected to another host; the proxy does not follow that", source.key()),
            ));
        }
        if answer.content_length().is_some_and(|n| n > self.max_answer) {
            return Err(too_large(source, self.max_answer));
        }

        let mut response = Response::new(Body::empty());
        *response.status_mut() = answer.status();
        for name in RELAYED_HEADERS {
            if let Some(v) = answer.headers().get(&name) {
                response.headers_mut().insert(name, v.clone());
            }
        }
        // Streamed: the first bytes reach the browser while the rest is still on its way. An answer
        // that grows past the limit without declaring its length ends the connection mid-body.
        let limited = Limited::new(reqwest::Body::from(answer), self.max_answer as usize);
        *response.body_mut() = Body::new(limited);
        Ok(response)
    }
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, Response> {
    let too_large =
        || json_error(StatusCode::PAYLOAD_TOO_LARGE, &format!("request body over {} KB", MAX_REQUEST_BODY / 1024));
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BODY as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => Err(json_error(StatusCode::BAD_REQUEST, "request body could not be read")),
    }
}

fn too_large(source: Source, max: u64) -> Response {
    json_error(StatusCode::BAD_GATEWAY, &format!("{} answered with more than {} MB", source.key(), max >> 20))
}

fn timed_out(source: Source) -> Response {
    json_error(StatusCode::GATEWAY_TIMEOUT, &format!("{} did not answer in time", source.key()))
}

/// 504 for a timeout, 502 otherwise. The message names the source only: a reqwest error's text
/// carries the URL with its query string.
fn upstream_error(source: Source, e: &reqwest::Error) -> Response {
    if e.is_timeout() {
        timed_out(source)
    } else if e.is_redirect() {
        json_error(StatusCode::BAD_GATEWAY, &format!("{} redirected too often", source.key()))
    } else {
        json_error(StatusCode::BAD_GATEWAY, &format!("{} could not be reached", source.key()))
    }
}
