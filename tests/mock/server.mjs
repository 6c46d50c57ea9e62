// Local mock of the four services NetLens calls, plus the static app server, for e2e tests and
// the demo. Ports: base = app (only with `dist`), base+1 Spoofer, +2 GRIP, +3 IODA, +4 Spamhaus.
// Every API port also answers the control API under /__mock/ (faults, request log, config, data).
//
//   node tests/mock/server.mjs --port 8700 --dist dist [--public-path /netlens/] [--host 127.0.0.1]

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './fixtures.mjs';
import { mockClock } from './clock.mjs';
import { createSpoofer } from './services/spoofer.mjs';
import { createGrip, servedPath as gripServedPath, redirect as gripRedirect } from './services/grip.mjs';
import { createIoda } from './services/ioda.mjs';
import { createSpamhaus } from './services/spamhaus.mjs';

export const SERVICES = ['spoofer', 'grip', 'ioda', 'spamhaus'];
const PORT_OFFSET = { spoofer: 1, grip: 2, ioda: 3, spamhaus: 4 };
const FAULT_KINDS = ['status', 'delay', 'malformed', 'wrong-shape', 'huge', 'reset', 'nocors', 'cors'];
// Which services send CORS headers, as the real ones do: IODA (`Access-Control-Allow-Origin: *`) and
// Spoofer yes; GRIP's v2 Flask app and (as far as anyone knows) Spamhaus none, on answers and
// preflights alike (/work/shared/apis/grip.md §2.6, spamhaus.md §4.6). Faults flip it per request:
// `nocors` takes them away, `cors` adds them (as a CORS proxy in front would).
export const SENDS_CORS = { spoofer: true, grip: false, ioda: true, spamhaus: false };
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, x-requested-with';
// Beyond what the app reads for any page it lets a user ask for (a 1,000-event GRIP page is ~9 MB).
export const HUGE_BYTES = 32 * 1024 * 1024;
const LOG_MAX = 10000; // oldest entries are dropped, so a long demo does not grow without bound
const WRONG_SHAPE = { unexpected: 'shape', data: { items: 'not a list' }, 'hydra:member': 'not a list', results: 42, token: null };

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.webmanifest': 'application/manifest+json', '.xml': 'application/xml',
};

/** CORS the way each service sends it (IODA's nelmio config allows any header). */
function corsHeaders(service, req, preflight) {
  const h = { 'Access-Control-Allow-Origin': '*', Vary: 'Origin' };
  if (service === 'grip') h['Access-Control-Allow-Credentials'] = 'true';
  if (preflight) {
    h['Access-Control-Allow-Methods'] = 'GET, POST, OPTIONS';
    h['Access-Control-Allow-Headers'] = service === 'ioda' && req.headers['access-control-request-headers'] ? req.headers['access-control-request-headers'] : ALLOW_HEADERS;
    h['Access-Control-Max-Age'] = service === 'ioda' ? '3600' : '86400';
  }
  return h;
}

function queryObject(searchParams) {
  const out = {};
  for (const [k, v] of searchParams) {
    if (!(k in out)) out[k] = v;
    else out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v];
  }
  return out;
}

function readBody(req, max = 2 * 1024 * 1024) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function send(req, res, status, headers, body) {
  if (res.destroyed) return;
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '', 'utf8');
  res.writeHead(status, { ...headers, 'Content-Length': buf.length });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

/** Pads a JSON answer to HUGE_BYTES while keeping its shape (repeats the main list). */
function hugeBody(value) {
  const grow = (list) => {
    if (!list.length) return list;
    const one = JSON.stringify(list[0]).length + 1;
    const n = Math.ceil(HUGE_BYTES / Math.max(one, 1));
    return Array.from({ length: n }, (_, i) => list[i % list.length]);
  };
  if (Array.isArray(value) && value.length) return JSON.stringify(grow(value));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of ['data', 'hydra:member', 'results']) {
      const v = value[k];
      if (Array.isArray(v) && v.length && JSON.stringify(v[0]).length > 10) return JSON.stringify({ ...value, [k]: grow(v) });
    }
    return JSON.stringify({ ...value, padding: Array.from({ length: Math.ceil(HUGE_BYTES / 1026) }, () => 'x'.repeat(1024)) });
  }
  return JSON.stringify(value) + ' '.repeat(HUGE_BYTES);
}

function malformedBody(body) {
  const s = String(body ?? '');
  const cut = s.length > 40 ? s.slice(0, Math.floor(s.length * 0.6)) : `{"data": [{"id": ${s.slice(0, 5)}`;
  return cut + '\u0000<!-- upstream connection closed -->';
}

// `spaFallback`: answer unknown app paths with index.html and status 200, as a host with a
// single-page-app rewrite does (Netlify `/* /index.html 200`, Cloudflare Pages); by default they get
// 404.html with status 404, as GitHub Pages does. Lighthouse refuses to audit a page served as 404.
export async function startMock({ port = 8700, dist = null, host = '127.0.0.1', anchor, publicPath = '/', spaFallback = false } = {}) {
  const data = generate({ anchor });
  // A fixed anchor fixes the services' clock too (tests/mock/clock.mjs); without one, the real clock.
  const now = mockClock(anchor === undefined || anchor === null ? null : data.anchor);
  const handlers = {
    spoofer: createSpoofer(data, { now }),
    grip: createGrip(data, { now }),
    ioda: createIoda(data, { now }),
    spamhaus: createSpamhaus(data, { now }),
  };
  const trimmed = String(publicPath ?? '/').replace(/^\/+|\/+$/g, '');
  const prefix = trimmed ? `/${trimmed}/` : '/';
  const base = prefix === '//' ? '/' : prefix;
  const distDir = dist ? path.resolve(dist) : null;

  const state = { faults: [], log: [], config: null, nextFaultId: 1 };
  let ports = null;
  let defaultConfig = null;
  const dataCache = new Map();

  function urlsFor(p) {
    const o = (s) => `http://${host}:${p + PORT_OFFSET[s]}`;
    return {
      // The app's origin (tests append paths) and its root under the public path.
      app: distDir ? `http://${host}:${p}` : null,
      appRoot: distDir ? `http://${host}:${p}${base}` : null,
      spoofer: o('spoofer'),
      grip: `${o('grip')}/json`,
      ioda: `${o('ioda')}/v2`,
      iodaLegacy: `${o('ioda')}/ioda`,
      spamhaus: o('spamhaus'),
    };
  }

  /** The data set behind a service as the control API gives it (`GET /__mock/data/<service>`), cached. */
  function publicValue(service) {
    const key = `value:${service}`;
    if (dataCache.has(key)) return dataCache.get(key);
    let value;
    if (service === 'spoofer') value = { anchor: data.anchor, sessions: data.spoofer.sessions, itemsPerPage: 30 };
    else if (service === 'grip') value = { anchor: data.anchor, ...data.grip };
    else if (service === 'ioda') {
      const ent = (e) => ({ code: e.code, name: e.name, type: e.type, subnames: e.subnames, attrs: e.attrs });
      value = {
        anchor: data.anchor,
        datasources: data.ioda.datasources,
        entities: data.ioda.entities.map((e) => ({ ...ent(e), related: e._related ?? {} })),
        alerts: data.ioda.alerts.map((a) => ({ ...a, entity: ent(a.entity) })),
        legacySampleAlerts: data.ioda.legacySample.data.alerts,
      };
    } else if (service === 'spamhaus') value = { anchor: data.anchor, records: data.spamhaus.records, account: data.spamhaus.account };
    else {
      return {
        anchor: data.anchor,
        sizes: { spooferSessions: data.spoofer.sessions.length, gripEvents: data.grip.events.length, iodaAlerts: data.ioda.alerts.length, iodaEntities: data.ioda.entities.length, spamhausRecords: data.spamhaus.records.length },
        urls: urlsFor(ports.base),
      };
    }
    dataCache.set(key, value);
    return value;
  }
  function publicData(service) {
    if (service === null) return JSON.stringify(publicValue(null));
    if (dataCache.has(service)) return dataCache.get(service);
    const s = JSON.stringify(publicValue(service));
    dataCache.set(service, s);
    return s;
  }

  // ------------------------------------------------------------------ control API (/__mock/)
  async function control(req, res, url) {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': ALLOW_HEADERS, 'Access-Control-Max-Age': '86400' };
    const reply = (status, value) => send(req, res, status, { 'Content-Type': 'application/json', ...cors }, typeof value === 'string' ? value : JSON.stringify(value));
    if (req.method === 'OPTIONS') return send(req, res, 204, cors, '');
    const route = url.pathname.slice('/__mock'.length);
    const body = req.method === 'POST' ? await readBody(req) : '';
    const parse = () => {
      try {
        return { ok: true, value: JSON.parse(body || 'null') };
      } catch (e) {
        return { ok: false, error: `invalid JSON body: ${e.message}` };
      }
    };
    if (route === '/fault' && req.method === 'POST') {
      const p = parse();
      if (!p.ok) return reply(400, { error: p.error });
      const f = p.value ?? {};
      if (!SERVICES.includes(f.service)) return reply(400, { error: `service must be one of ${SERVICES.join(', ')}` });
      if (!FAULT_KINDS.includes(f.kind)) return reply(400, { error: `kind must be one of ${FAULT_KINDS.join(', ')}` });
      if (f.kind === 'status' && !Number.isInteger(f.status)) return reply(400, { error: 'kind "status" needs an integer status' });
      if (f.kind === 'delay' && !(Number(f.delayMs) >= 0)) return reply(400, { error: 'kind "delay" needs delayMs' });
      if (f.times !== undefined && f.times !== null && !(Number.isInteger(f.times) && f.times > 0)) return reply(400, { error: 'times must be a positive integer' });
      const fault = { id: state.nextFaultId++, service: f.service, path: f.path ?? null, method: f.method ? String(f.method).toUpperCase() : null, times: f.times ?? null, kind: f.kind, status: f.status ?? null, headers: f.headers ?? {}, body: f.body ?? null, delayMs: f.delayMs ?? 0 };
      state.faults.push(fault);
      return reply(201, { ok: true, fault });
    }
    if (route === '/faults' && req.method === 'GET') return reply(200, state.faults);
    if (route === '/reset' && req.method === 'POST') {
      state.faults = [];
      state.log = [];
      state.config = defaultConfig;
      handlers.spamhaus.reset();
      return reply(200, { ok: true });
    }
    if (route === '/requests' && req.method === 'GET') {
      const svc = url.searchParams.get('service');
      return reply(200, svc ? state.log.filter((e) => e.service === svc) : state.log);
    }
    if (route === '/config' && req.method === 'POST') {
      const p = parse();
      if (!p.ok) return reply(400, { error: p.error });
      state.config = p.value === null ? null : typeof p.value === 'string' ? p.value : JSON.stringify(p.value);
      return reply(200, { ok: true, config: state.config });
    }
    if (route === '/config' && req.method === 'GET') return reply(200, { config: state.config });
    if (route === '/spamhaus/expire-tokens' && req.method === 'POST') {
      handlers.spamhaus.expireTokens();
      return reply(200, { ok: true });
    }
    if (route === '/data' && req.method === 'GET') return reply(200, publicData(null));
    const m = /^\/data\/([a-z]+)$/.exec(route);
    if (m && req.method === 'GET') {
      if (!SERVICES.includes(m[1])) return reply(404, { error: `unknown service ${m[1]}` });
      return reply(200, publicData(m[1]));
    }
    return reply(404, { error: `unknown control route ${req.method} ${url.pathname}` });
  }

  // ------------------------------------------------------------------ API ports
  function takeFault(service, req, pathname) {
    const preflight = req.method === 'OPTIONS';
    const method = preflight ? String(req.headers['access-control-request-method'] ?? '').toUpperCase() : req.method;
    for (const f of state.faults) {
      if (f.service !== service) continue;
      if (f.path && !pathname.startsWith(f.path)) continue;
      if (preflight) {
        // A preflight is only hit by faults aimed at OPTIONS, or by nocors/cors (without using it up).
        if (f.method === 'OPTIONS') return consume(f);
        if ((f.kind === 'nocors' || f.kind === 'cors') && (!f.method || f.method === method)) return f;
        continue;
      }
      if (f.method && f.method !== method) continue;
      return consume(f);
    }
    return null;
  }
  function consume(f) {
    if (f.times !== null) {
      f.times -= 1;
      if (f.times <= 0) state.faults = state.faults.filter((x) => x !== f);
    }
    return f;
  }

  /** Whether an answer carries CORS headers: the service's own habit unless a fault says otherwise. */
  const corsFor = (service, fault) => (fault?.kind === 'cors' ? true : fault?.kind === 'nocors' ? false : SENDS_CORS[service]);

  async function apiRequest(service, req, res) {
    const url = new URL(req.url, `http://${req.headers.host ?? host}`);
    if (url.pathname.startsWith('/__mock/') || url.pathname === '/__mock') return control(req, res, url);
    const body = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH' ? await readBody(req) : '';
    // `path` is the service's route; for GRIP without the `/v1` its redirect adds (`url` keeps it),
    // so a fault or a test names `/json/events` whichever way the request came.
    const served = service === 'grip' ? gripServedPath(url.pathname) : url.pathname;
    const route = served ?? url.pathname;
    const entry = { service, method: req.method, url: req.url, path: route, query: queryObject(url.searchParams), headers: { ...req.headers }, time: new Date(now()).toISOString() };
    if (body) entry.body = body;
    state.log.push(entry);
    if (state.log.length > LOG_MAX) state.log.splice(0, state.log.length - LOG_MAX);

    if (served === null) {
      // GRIP's `/json/...` → 301 to `/v1/json/...` on its own host, before any fault: faults meet the
      // request that is served. (A cors/nocors fault still decides the redirect's CORS headers.)
      const cors = state.faults.find((f) => f.service === service && (f.kind === 'cors' || f.kind === 'nocors') && (!f.path || route.startsWith(f.path)));
      const r = gripRedirect(`http://${host}:${ports.grip}`, url.pathname, url.search);
      entry.status = r.status;
      entry.redirect = r.location;
      return send(req, res, r.status, { ...r.headers, ...(corsFor(service, cors) ? corsHeaders(service, req, req.method === 'OPTIONS') : {}) }, r.body);
    }

    const fault = takeFault(service, req, route);
    if (fault) entry.fault = fault.kind;
    const withCors = corsFor(service, fault);
    const finish = (status, headers, payload) => {
      entry.status = status;
      send(req, res, status, { ...headers, ...(withCors ? corsHeaders(service, req, req.method === 'OPTIONS') : {}), ...(fault?.headers ?? {}) }, payload);
    };

    if (fault?.kind === 'reset') {
      entry.status = null;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await sleep(Number(fault.delayMs) || 0);
    if (fault && (fault.kind === 'status' || (fault.kind === 'delay' && fault.status))) {
      const handler = handlers[service];
      let ct = 'application/json';
      let payload = fault.body;
      if (payload === null || payload === undefined) {
        const e = handler.errorBody(fault.status, { ...req, path: url.pathname, headers: req.headers });
        payload = e.body;
        ct = e.headers['Content-Type'];
      } else if (typeof payload !== 'string') {
        payload = JSON.stringify(payload);
      } else {
        try {
          JSON.parse(payload);
        } catch {
          ct = 'text/plain; charset=utf-8';
        }
      }
      return finish(fault.status, { 'Content-Type': ct }, payload);
    }
    if (req.method === 'OPTIONS') {
      // Without CORS, Flask still answers OPTIONS by itself: 200, an Allow header, no body.
      if (service === 'grip' && !withCors) return finish(200, { 'Content-Type': 'text/html; charset=utf-8', Allow: 'GET, HEAD, OPTIONS' }, '');
      return finish(204, {}, '');
    }

    const r = await handlers[service].handle({
      method: req.method,
      url: req.url,
      path: route,
      rawQuery: url.search.slice(1),
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    if (fault?.kind === 'malformed') return finish(200, r.headers, malformedBody(r.body));
    if (fault?.kind === 'wrong-shape') return finish(200, { 'Content-Type': r.headers['Content-Type'] ?? 'application/json' }, JSON.stringify(WRONG_SHAPE));
    if (fault?.kind === 'huge') {
      let value = r.json;
      if (value === undefined) {
        try {
          value = JSON.parse(r.body);
        } catch {
          value = { body: String(r.body) };
        }
      }
      return finish(200, r.headers, hugeBody(value));
    }
    return finish(r.status, r.headers, r.body);
  }

  // ------------------------------------------------------------------ app (static dist/)
  // Like a static host (Netlify, Cloudflare Pages): the files as built, with the headers of the
  // build's `_headers` (netlens-dist writes it: the policy and the other security headers) for every
  // path its blocks match (`/*` matches all).
  function serveFile(req, res, file, status = 200) {
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const body = fs.readFileSync(file);
    // index.html names the hashed files, so the browser must not reuse an older copy.
    const cache = type.startsWith('text/html') ? 'no-cache' : 'max-age=600';
    const urlPath = new URL(req.url.replace(/^\/+/, '/'), 'http://x').pathname;
    send(req, res, status, { 'Content-Type': type, 'Cache-Control': cache, ...headersFor(urlPath) }, body);

    function headersFor(urlPath) {
      const headersFile = path.join(distDir, '_headers');
      if (!fs.existsSync(headersFile)) return {};
      const headers = {};
      let applies = false;
      for (const line of fs.readFileSync(headersFile, 'utf8').split('\n')) {
        if (!line.trim() || line.trim().startsWith('#')) continue;
        if (!/^\s/.test(line)) {
          const pattern = line.trim().split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
          applies = new RegExp(`^${pattern}$`).test(urlPath);
        } else if (applies) {
          const at = line.indexOf(':');
          if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
        }
      }
      return headers;
    }
  }

  async function appRequest(req, res) {
    // A path starting with `//` would parse as a host name; collapse leading slashes first.
    const url = new URL(req.url.replace(/^\/+/, '/'), `http://${req.headers.host ?? host}`);
    if (url.pathname.startsWith('/__mock/')) return control(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' }, 'Method Not Allowed');
    let p;
    try {
      p = decodeURIComponent(url.pathname);
    } catch {
      return send(req, res, 400, { 'Content-Type': 'text/plain' }, 'Bad Request');
    }
    const notFound = () => {
      const page = path.join(distDir, '404.html');
      if (fs.existsSync(page)) return serveFile(req, res, page, 404);
      return send(req, res, 404, { 'Content-Type': 'text/html; charset=utf-8' }, '<!DOCTYPE html><title>404</title><h1>404</h1>');
    };
    if (!p.startsWith(base)) {
      if (p + '/' === base) return send(req, res, 301, { Location: base + url.search }, '');
      return send(req, res, 404, { 'Content-Type': 'text/html; charset=utf-8' }, '<!DOCTYPE html><title>404</title><h1>404 File not found</h1>');
    }
    const rel = p.slice(base.length);
    if (rel === 'config.json') {
      if (state.config === null) return notFound();
      return send(req, res, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, state.config);
    }
    let file = path.resolve(distDir, '.' + path.posix.normalize('/' + rel));
    if (file !== distDir && !file.startsWith(distDir + path.sep)) return notFound();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!p.endsWith('/')) return send(req, res, 301, { Location: p + '/' + url.search }, '');
      file = path.join(file, 'index.html');
    }
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return serveFile(req, res, file);
    if (spaFallback) return serveFile(req, res, path.join(distDir, 'index.html'), 200);
    return notFound();
  }

  // ------------------------------------------------------------------ listening
  const servers = [];
  const wrap = (fn) => (req, res) => {
    fn(req, res).catch((e) => {
      console.error('[mock]', e);
      if (!res.headersSent) send(req, res, 500, { 'Content-Type': 'application/json' }, JSON.stringify({ error: `mock failure: ${e.message}` }));
    });
  };
  const plan = (b) => [...(distDir ? [['app', b]] : []), ...SERVICES.map((s) => [s, b + PORT_OFFSET[s]])];
  const listen = (name, p) =>
    new Promise((resolve, reject) => {
      const srv = http.createServer(wrap(name === 'app' ? appRequest : (req, res) => apiRequest(name, req, res)));
      // gunicorn's default keep-alive (GRIP is a Flask app): a client that reuses a connection idle
      // longer than this meets a reset, as it would on the real service.
      srv.keepAliveTimeout = 2000;
      srv.once('error', reject);
      srv.listen(p, host, () => resolve(srv));
    });
  async function listenAll(b) {
    const opened = [];
    try {
      for (const [name, p] of plan(b)) opened.push(await listen(name, p));
      return opened;
    } catch (e) {
      await Promise.all(opened.map((s) => new Promise((r) => s.close(r))));
      throw e;
    }
  }
  let basePort = port;
  if (port === 0) {
    for (let attempt = 0; ; attempt++) {
      basePort = 20000 + Math.floor(Math.random() * 40000);
      try {
        servers.push(...(await listenAll(basePort)));
        break;
      } catch (e) {
        if (e.code !== 'EADDRINUSE' || attempt > 30) throw e;
      }
    }
  } else {
    servers.push(...(await listenAll(basePort)));
  }
  ports = { base: basePort, ...Object.fromEntries(SERVICES.map((s) => [s, basePort + PORT_OFFSET[s]])) };
  const urls = urlsFor(basePort);
  defaultConfig = JSON.stringify({ endpoints: { spoofer: urls.spoofer, grip: urls.grip, ioda: urls.ioda, spamhaus: urls.spamhaus } });
  state.config = defaultConfig;

  return {
    urls,
    ports,
    data,
    state,
    /** The services' clock, in ms (tests compare with it, never with `Date.now()`). */
    now,
    /**
     * What `GET /__mock/data/<service>` answers, without the trip: a caller in the same process reads
     * it (GRIP's real-weight events are ~25 MB of JSON). Shared: read it, do not change it.
     */
    dataOf: (service) => publicValue(SERVICES.includes(service) ? service : null),
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise((r) => {
              s.close(() => r());
              s.closeAllConnections?.();
            }),
        ),
      ).then(() => undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.startsWith('--') ? a.slice(2).split('=', 2) : [null, null];
    if (!k) continue;
    const v = inline ?? argv[++i];
    if (k === 'port') out.port = Number(v);
    else if (k === 'dist') out.dist = v;
    else if (k === 'host') out.host = v;
    else if (k === 'public-path') out.publicPath = v;
    else if (k === 'anchor') out.anchor = /^\d+$/.test(v) ? Number(v) : new Date(v);
    else throw new Error(`unknown option --${k}`);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const opts = parseArgs(process.argv.slice(2));
  const mock = await startMock(opts);
  const d = mock.data;
  console.log(`NetLens mock services (data anchored at ${new Date(d.anchor * 1000).toISOString()})`);
  for (const [k, v] of Object.entries(mock.urls)) if (v) console.log(`  ${k.padEnd(10)} ${v}`);
  console.log(`  control    ${mock.urls.spoofer}/__mock/ (also on every API port)`);
  const stop = async () => {
    await mock.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
