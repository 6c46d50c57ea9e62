# NetLens: every command installs what it is missing first (idempotent, no prompts, package
# registries only), then does its job. `make help` lists them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Tools land in the usual places: cargo's bin dir, ./node_modules/.bin (wasm-opt, playwright), Debian's /usr/bin.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CARGO_TERM_COLOR ?= never

TRUNK_VERSION := 0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WASM_SPLIT_VERSION := 0.2.4
# A release build with each explorer in a chunk of its own: the feature marks the split points, the
# wrapper first on PATH splits the module before wasm-bindgen (tools/split/wasm-bindgen), and
# netlens-dist places the chunks. `make serve` builds eagerly (no feature), for fast reloads.
TRUNK_RELEASE := PATH=$(CURDIR)/tools/split:$$PATH trunk build --release --features split
PUBLIC_URL ?= /
PORT ?= 8080
DEMO_PORT ?= 8700
# e.g. make proxy PROXY_ARGS='--upstream spamhaus=http://127.0.0.1:8704' (proxy/README.md lists the flags)
PROXY_ARGS ?=
# make dist CSP=pinned: connect-src pinned to config.json's endpoints (default open: what the app accepts)
CSP ?= open
# make dist HOST=netlify|vercel|nginx|caddy|static: that host's recipe next to the bundle (docs/deploy.md)
# (from the command line only: some shells and CI runners export HOST as the machine's name)
HOST_RECIPE := $(if $(filter command line,$(origin HOST)),$(HOST))
# Where the bundle lives on the nginx or Caddy machine (HOST=nginx|caddy)
SITE_ROOT ?= /srv/netlens

.PHONY: help serve demo dist proxy test test-native test-wasm test-mock test-e2e lint fmt \
	tools tools-build tools-test clean bench size-check

help: ## List the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'
	@echo "  make dist options: PUBLIC_URL=/netlens/  CSP=pinned  HOST=netlify|vercel|nginx|caddy|static  (docs/deploy.md)"

# ---------------------------------------------------------------------------------------------
# Tools

tools-build: ## Install the build tools: wasm32 target, trunk, wasm-bindgen-cli, wasm-opt, netlens-dist
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -q "$(TRUNK_VERSION)" || cargo install trunk --locked --version $(TRUNK_VERSION)
	@# Without --locked: wasm-bindgen-cli's own lockfile wants a crate version the registry mirror lacks.
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@# The splitter of the release builds (tools/split/wasm-bindgen runs it), from leptos' own family,
	@# with NetLens' patch (fewer chunk files per explorer; tools/split/coalesce.patch).
	@tools/split/install-splitter $(WASM_SPLIT_VERSION)
	@$(MAKE) --no-print-directory node_modules/.installed
	@cargo fetch --quiet
	@# netlens-dist, Trunk's post_build hook (tools/postbuild): built once here, so a build only checks it.
	@cargo build --quiet --offline -p netlens-dist

# npm's binaryen (wasm-opt 132) and Playwright. Debian's binaryen 108 builds a bundle that breaks at runtime.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

tools-test: tools-build ## Install the test tools too: Debian's Chromium and ChromeDriver
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; }

tools: tools-test

# ---------------------------------------------------------------------------------------------
# Run

# GRIP and Spamhaus go through Trunk's [[proxy]] (Trunk.toml); NETLENS_DEV_PROXY points config.json at it.
serve: tools-build ## Serve the app with live reload on http://127.0.0.1:8080 (real services; GRIP, Spamhaus proxied)
	NETLENS_DEV_PROXY=1 trunk serve --port $(PORT)

dist: tools-build ## Build the release bundle into dist/ (PUBLIC_URL=/sub/path/, CSP=pinned, HOST=netlify…)
	NETLENS_CSP=$(CSP) NETLENS_HOST=$(HOST_RECIPE) NETLENS_SITE_ROOT=$(SITE_ROOT) $(TRUNK_RELEASE) --public-url $(PUBLIC_URL)

# The users' topology (tests/e2e/topology.mjs): netlens-proxy --dist serves the app on DEMO_PORT and
# forwards GRIP and Spamhaus to the mock APIs on DEMO_PORT+1…+4, which send CORS headers only where
# the real services do.
demo: dist ## Serve the release build through netlens-proxy against the local mock APIs (no network needed)
	cargo build -p netlens-proxy --quiet
	node tests/e2e/topology.mjs --port $(DEMO_PORT) --dist dist --public-path $(PUBLIC_URL)

proxy: ## Run the optional CORS proxy (see README)
	cargo run --release -p netlens-proxy -- $(PROXY_ARGS)

# ---------------------------------------------------------------------------------------------
# Test

test: tools-test ## Run every test: lint, native, mock, wasm-in-browser, end-to-end
	@$(MAKE) --no-print-directory lint test-native test-mock test-wasm test-e2e
	@echo "make test: all suites passed"

lint: ## cargo fmt --check and clippy (native and wasm32) with warnings as errors
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	cargo clippy -p netlens --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
	bash -n tools/postbuild/validate-hosts.sh

test-native: ## The pure core's unit tests and the proxy's tests, natively
	cargo test --workspace --quiet

test-mock: ## The mock APIs' own tests
	node --test tests/mock/

test-wasm: ## Browser tests of the shell (fetch, storage, config) in headless Chromium
	cargo test --target wasm32-unknown-unknown --test browser

# The e2e suite drives the release build (what ships) and a sub-path build of it.
test-e2e: ## End-to-end tests in headless Chromium: the app behind netlens-proxy --dist, against the mock APIs
	$(TRUNK_RELEASE) --public-url / --dist dist
	@$(MAKE) --no-print-directory size-check
	$(TRUNK_RELEASE) --public-url /netlens/ --dist target/dist-subpath
	cargo build -p netlens-proxy --quiet
	playwright test -c tests/e2e/playwright.config.mjs

# Sizes are deterministic, so they are checked; timings depend on the machine and are only reported.
size-check: ## Check the release bundle in dist/ against the size ceilings in bench/budgets.json
	node scripts/bench.mjs --sizes

bench: tools-test ## Build the release bundle and measure it (sizes, timings, Lighthouse): bench/results.json
	$(TRUNK_RELEASE) --public-url / --dist dist
	cargo build -p netlens-proxy --quiet
	node scripts/bench.mjs

fmt: ## Format the code
	cargo fmt --all

clean: ## Remove build output (keeps installed tools)
	rm -rf dist target/dist-subpath tests/e2e/test-results
