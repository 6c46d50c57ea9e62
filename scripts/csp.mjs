// The Content-Security-Policy of a NetLens build, computed from the build's own files: every inline
// script Trunk wrote (by hash) and the endpoints in config.json (by origin). Written as a <meta> into
// index.html and 404.html, and as a `_headers` file (Netlify / Cloudflare Pages) that adds what a meta
// cannot carry (frame-ancestors) and two more headers. The mock's static server uses the same functions
// for the config.json it serves.
//
//   node scripts/csp.mjs [dist]      (default: $TRUNK_STAGING_DIR, as a Trunk post_build hook)
//
// Re-run it after editing dist/config.json: the policy follows the endpoints.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The app's defaults (src/config/mod.rs `public_default`), used where config.json names none. */
export const PUBLIC_DEFAULTS = {
  spoofer: 'https://api.spoofer.caida.org',
  grip: 'https://api.grip.inetintel.cc.gatech.edu/json',
  ioda: 'https://api.ioda.inetintel.cc.gatech.edu/v2',
  spamhaus: 'https://api.spamhaus.org',
};

/** Headers a static host sends with every file, besides the policy. */
export const EXTRA_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

// Trunk's `serve` injects a live-reload script whose text it rewrites per request (its address), so no
// hash made here could match it: a build carrying it is a development server's and gets no policy.
const TRUNK_AUTORELOAD_MARK = '.well-known/trunk/ws';

/** The origin of an endpoint the app would accept (the rules of `BaseUrl::parse`), or null. */
function endpointOrigin(raw) {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (!/^https?:\/\//.test(s) || /[\s\p{Cc}]/u.test(s)) return null;
  let u;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (!u.hostname || u.username || u.password || u.search || u.hash || s.includes('?') || s.includes('#')) return null;
  return u.origin;
}

/** An extra `connect_src` entry: an http(s)/ws(s) origin (a `*.` host wildcard allowed), or null. */
function extraOrigin(raw) {
  if (typeof raw !== 'string') return null;
  const m = /^(https?|wss?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(:(\d{1,5}|\*))?\/?$/i.exec(raw.trim());
  return m ? `${m[1].toLowerCase()}://${m[2] ?? ''}${m[3].toLowerCase()}${m[4] ?? ''}` : null;
}

/**
 * The origins the app may connect to besides its own, from config.json's text (or null when there is
 * none). Mirrors the app: a missing or invalid file, or a bad endpoint, means the public default.
 */
export function connectOrigins(configText) {
  const warnings = [];
  let config = {};
  if (configText !== null && configText !== undefined) {
    try {
      config = JSON.parse(configText);
    } catch (e) {
      warnings.push(`config.json is not valid JSON (${e.message}): the app uses the public endpoints`);
    }
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) config = {};
  const endpoints = config.endpoints && typeof config.endpoints === 'object' ? config.endpoints : {};
  const origins = [];
  const add = (o) => {
    if (o && !origins.includes(o)) origins.push(o);
  };
  for (const [source, fallback] of Object.entries(PUBLIC_DEFAULTS)) {
    const o = endpointOrigin(endpoints[source]);
    if (endpoints[source] !== undefined && !o) warnings.push(`config.json: endpoint "${source}" is not a valid base URL; the default is allowed`);
    add(o ?? endpointOrigin(fallback));
  }
  const extra = config.connect_src ?? [];
  for (const e of Array.isArray(extra) ? extra : [extra]) {
    const o = extraOrigin(e);
    if (o) add(o);
    else warnings.push(`config.json: connect_src entry ${JSON.stringify(e)} is not an origin such as https://proxy.example.org; ignored`);
  }
  return { origins, warnings };
}

/** The text of every inline script in an HTML document (scripts with `src` load from 'self'). */
export function inlineScripts(html) {
  const out = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1])) continue;
    out.push(m[2]);
  }
  return out;
}

/** `'sha256-…'` of a script's text as the browser hashes it (UTF-8, newlines normalised by the parser). */
export function scriptHash(text) {
  return `'sha256-${crypto.createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64')}'`;
}

/** Whether this HTML comes from `trunk serve` with live reload (see TRUNK_AUTORELOAD_MARK). */
export function isDevServerBuild(html) {
  return inlineScripts(html).some((s) => s.includes(TRUNK_AUTORELOAD_MARK));
}

/**
 * The policy for one build: `html` gives the inline scripts to allow, `configText` the endpoints.
 * `header: true` adds what only a header can carry.
 */
export function computePolicy({ html, configText, header = false }) {
  const { origins, warnings } = connectOrigins(configText);
  const hashes = [...new Set(inlineScripts(html).map(scriptHash))];
  const directives = [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the page compile its WebAssembly; it allows no JavaScript eval.
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...hashes].join(' '),
    // The app sets no style attributes (checked by the e2e suite's violation listener).
    "style-src 'self'",
    "img-src 'self'",
    ['connect-src', "'self'", ...origins].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (header) directives.push("frame-ancestors 'none'");
  return { policy: directives.join('; '), warnings };
}

const META_RE = /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;
const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * `html` with its policy meta replaced by one for `policy` (or removed, for null), placed right after
 * `<meta charset>` so that it precedes every script.
 */
export function withPolicyMeta(html, policy) {
  const stripped = html.replace(META_RE, '');
  if (policy === null) return stripped;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(policy)}">`;
  const anchor = /<meta\b[^>]*charset[^>]*>/i.exec(stripped) ?? /<head\b[^>]*>/i.exec(stripped) ?? /<html\b[^>]*>/i.exec(stripped);
  if (!anchor) return meta + stripped;
  const at = anchor.index + anchor[0].length;
  return stripped.slice(0, at) + meta + stripped.slice(at);
}

/** The `_headers` file for Netlify and Cloudflare Pages: every path gets the policy and the extras. */
export function headersFile(policy) {
  const lines = ['/*', `  Content-Security-Policy: ${policy}`, ...Object.entries(EXTRA_HEADERS).map(([k, v]) => `  ${k}: ${v}`)];
  return lines.join('\n') + '\n';
}

/** Applies the policy to a built app in `dir`: both HTML pages and `_headers`. */
export function applyToDist(dir, { log = console.error } = {}) {
  const index = path.join(dir, 'index.html');
  const html = fs.readFileSync(index, 'utf8');
  const pages = ['index.html', '404.html'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
  const headers = path.join(dir, '_headers');
  if (isDevServerBuild(html)) {
    log('csp: trunk serve live-reload build, no Content-Security-Policy (use `trunk build` to get one)');
    for (const f of pages) fs.writeFileSync(f, withPolicyMeta(fs.readFileSync(f, 'utf8'), null));
    fs.rmSync(headers, { force: true });
    return null;
  }
  const configFile = path.join(dir, 'config.json');
  const configText = fs.existsSync(configFile) ? fs.readFileSync(configFile, 'utf8') : null;
  const bare = withPolicyMeta(html, null);
  const { policy, warnings } = computePolicy({ html: bare, configText });
  for (const w of warnings) log(`csp: ${w}`);
  for (const f of pages) fs.writeFileSync(f, withPolicyMeta(fs.readFileSync(f, 'utf8'), policy));
  fs.writeFileSync(headers, headersFile(computePolicy({ html: bare, configText, header: true }).policy));
  return policy;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('usage: node scripts/csp.mjs <dist dir>   (or run as a Trunk hook, with TRUNK_STAGING_DIR)');
    process.exit(2);
  }
  const policy = applyToDist(dir);
  if (policy) console.error(`csp: ${policy}`);
}
