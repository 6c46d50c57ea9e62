#!/usr/bin/env bash
# Validates the nginx and Caddy recipes netlens-dist writes (`make dist HOST=nginx|caddy`): each config
# must pass the server's own check (`nginx -t`, `caddy validate`), then run, serve the app with the
# security headers and deep links, and forward /api/grip/ and /api/spamhaus/ to their upstreams (a
# local echo server stands in for GRIP and Spamhaus). Needs Debian's nginx-light and caddy packages;
# a server that is not installed is skipped with a note.
#
#   tools/postbuild/validate-hosts.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d /tmp/netlens-hosts-XXXXXX)
chmod 755 "$work" # nginx's workers run as nobody
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
fail() { echo "validate-hosts: $*" >&2; exit 1; }

# An upstream that answers every request with its method, path, query and Host header.
echo_port=$(free_port)
node -e "require('http').createServer((q,r)=>{r.setHeader('content-type','application/json');r.end(JSON.stringify({path:q.url,host:q.headers.host,cookie:q.headers.cookie??null}))}).listen($echo_port,'127.0.0.1')" &
pids+=($!)

# A bundle like Trunk's, whose config.json names the local upstreams (the recipes forward to what
# config.json names, or to the public services).
make_dist() {
  local dir=$1 host=$2
  mkdir -p "$dir"
  printf '%s' '<!doctype html><html lang=en><meta charset=utf-8><title>NetLens</title><script type=module>import init from "/netlens.js"; await init();</script></html>' >"$dir/index.html"
  for _ in $(seq 100); do echo 'export const netlens = "NetLens";'; done >"$dir/netlens-0123456789abcdef.js"
  printf '{"endpoints":{"grip":"http://127.0.0.1:%s/json","spamhaus":"http://127.0.0.1:%s/sh"}}\n' "$echo_port" "$echo_port" >"$dir/config.json"
  cargo run --quiet --offline -p netlens-dist -- "$dir" --host "$host" --site-root "$dir" --compress always
  chmod -R a+rX "$dir"
}

wait_for() {
  for _ in $(seq 50); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "nothing answers on $1"
}

check_server() {
  local name=$1 base=$2 dir=$3
  wait_for "$base/"
  local h
  h=$(curl -fsS -D - -o /dev/null "$base/grip/event/moas-1-1_2")
  grep -qi "^content-security-policy: default-src 'self'.*frame-ancestors 'none'" <<<"$h" || fail "$name: no policy header on a deep link: $h"
  grep -qi '^x-content-type-options: nosniff' <<<"$h" || fail "$name: no nosniff"
  grep -qi '^referrer-policy: no-referrer' <<<"$h" || fail "$name: no referrer policy"
  grep -qi '^cache-control: no-cache' <<<"$h" || fail "$name: the app page must revalidate: $h"
  curl -fsS "$base/grip/event/moas-1-1_2" | grep -q '<title>NetLens</title>' || fail "$name: a deep link does not boot the app"
  curl -fsS -D - -o /dev/null "$base/netlens-0123456789abcdef.js" | grep -qi 'cache-control: .*immutable' || fail "$name: hashed files are not cached"
  curl -fsS -H 'Accept-Encoding: gzip' -D - -o /dev/null "$base/netlens-0123456789abcdef.js" | grep -qi '^content-encoding: gzip' \
    || fail "$name: the precompressed .gz is not served"
  local grip spamhaus
  grip=$(curl -fsS -H 'Cookie: secret=1' "$base/api/grip/events?length=10")
  [[ $grip == *"\"path\":\"/json/events?length=10\""* && $grip == *"\"host\":\"127.0.0.1:$echo_port\""* ]] \
    || fail "$name: /api/grip/ forwards wrongly: $grip"
  [[ $grip == *'"cookie":null'* ]] || fail "$name: cookies reach the upstream: $grip"
  spamhaus=$(curl -fsS "$base/api/spamhaus/api/v1/login")
  [[ $spamhaus == *'"path":"/sh/api/v1/login"'* ]] || fail "$name: /api/spamhaus/ forwards wrongly: $spamhaus"
  echo "validate-hosts: $name serves the app and forwards GRIP and Spamhaus ($dir)"
}

if command -v nginx >/dev/null; then
  dir="$work/nginx/site"
  make_dist "$dir" nginx
  port=$(free_port)
  sed "s/listen 8080;/listen 127.0.0.1:$port;/" "$dir/netlens.nginx.conf" >"$work/nginx/server.conf"
  cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
pid $work/nginx/nginx.pid;
error_log stderr warn;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    include $work/nginx/server.conf;
}
EOF
  nginx -t -q -e stderr -p "$work/nginx" -c "$work/nginx/nginx.conf" || fail "nginx -t refused netlens.nginx.conf"
  nginx -e stderr -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  pids+=($!)
  check_server nginx "http://127.0.0.1:$port" "$dir"
else
  echo "validate-hosts: nginx is not installed (apt-get install nginx-light); skipped"
fi

if command -v caddy >/dev/null; then
  dir="$work/caddy/site"
  make_dist "$dir" caddy
  port=$(free_port)
  export NETLENS_SITE="http://127.0.0.1:$port" CADDY_ADMIN="127.0.0.1:$(free_port)"
  export XDG_DATA_HOME="$work/caddy/data" XDG_CONFIG_HOME="$work/caddy/config"
  caddy validate --adapter caddyfile --config "$dir/Caddyfile" >/dev/null 2>"$work/caddy/validate.log" \
    || { cat "$work/caddy/validate.log" >&2; fail "caddy validate refused the Caddyfile"; }
  caddy run --adapter caddyfile --config "$dir/Caddyfile" >"$work/caddy/run.log" 2>&1 &
  pids+=($!)
  check_server caddy "http://127.0.0.1:$port" "$dir"
else
  echo "validate-hosts: caddy is not installed (apt-get install caddy); skipped"
fi
