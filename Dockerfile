# NetLens for a team: the built app and netlens-proxy on one origin, one port, no CORS anywhere.
#
#   make dist                                  # the release build into dist/ (needs the Rust/wasm tools)
#   docker build -t netlens .
#   docker run --rm -p 8080:8080 netlens       # then open http://127.0.0.1:8080/
#
# Extra flags go after the image name (they follow the ENTRYPOINT's), e.g. a deployer's config.json:
#   docker run --rm -p 8080:8080 -v "$PWD/config.json:/etc/netlens/config.json:ro" \
#     netlens --config /etc/netlens/config.json
# Stateless: run as many replicas as you like behind any load balancer (health check: GET /healthz).
# See proxy/README.md, "The container".

# Builder: only the proxy is compiled here; the app (wasm) comes ready-made in dist/.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# The proxy takes the sources, defaults and endpoint rules from the app's pure core (the root crate).
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY proxy proxy
# The workspace's release profile is tuned for the wasm bundle (size, panic=abort); a server wants
# speed, and a panic in one request must not end the others.
ENV CARGO_PROFILE_RELEASE_OPT_LEVEL=3 \
    CARGO_PROFILE_RELEASE_PANIC=unwind
RUN cargo build --release --locked -p netlens-proxy \
 && cp target/release/netlens-proxy /usr/local/bin/netlens-proxy

FROM debian:bookworm-slim
# TLS roots are built into the binary (rustls with webpki-roots): no packages needed.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin netlens
COPY --from=build /usr/local/bin/netlens-proxy /usr/local/bin/netlens-proxy
COPY dist/ /srv/netlens/
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=5s --retries=3 \
  CMD ["netlens-proxy", "--health-check", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["netlens-proxy", "--dist", "/srv/netlens", "--listen", "0.0.0.0:8080"]
