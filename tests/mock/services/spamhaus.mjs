// Spamhaus Intelligence API: login, CIDR lookups and the limits/counters endpoint.
//
// Tokens are issued by POST /api/v1/login and live 24 h; every other call needs
// `Authorization: Bearer <token>`. Queries are counted with the documented CIDR multiplier (see
// queryCost). Monthly counters (qpm, qpd) add that cost; rate-limit counters (rl_qps, rl_qpm, rl_qph)
// count requests, and exceeding a limit answers 429.

import { randomBytes } from 'node:crypto';
import { json, reason } from './respond.mjs';

export const LIMITS = { ads: 'XBL,CSS,BCL', trs: 'base', qms: 5000, qmh: 6000, rl_qps: 5, rl_qpm: 120, rl_qph: 3000 };
export const TOKEN_TTL = 86400;
export const MAX_LIMIT = 2000;
export const DEFAULT_LIMIT = 500;
export const MAX_WINDOW = 365 * 86400; // "12 months"

const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function parseV4(s) {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return null;
  const o = s.split('.').map(Number);
  if (o.some((x) => x > 255)) return null;
  return BigInt(o.reduce((a, x) => a * 256 + x, 0));
}
function parseV6(s) {
  if (!/^[0-9a-fA-F:]+$/.test(s) || (s.match(/::/g) ?? []).length > 1) return null;
  const [h, t] = s.includes('::') ? s.split('::') : [s, null];
  const head = h ? h.split(':') : [];
  const tail = t === null ? [] : t ? t.split(':') : [];
  if ([...head, ...tail].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  if (t === null ? head.length !== 8 : head.length + tail.length > 7) return null;
  const groups = [...head, ...Array(t === null ? 0 : 8 - head.length - tail.length).fill('0'), ...tail];
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
}
export function parseIp(s) {
  const v4 = parseV4(s);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseV6(s);
  return v6 === null ? null : { family: 6, value: v6 };
}
function inNet(ip, net, mask) {
  if (ip.family !== net.family) return false;
  const bits = BigInt((net.family === 4 ? 32 : 128) - mask);
  return ip.value >> bits === net.value >> bits;
}

/**
 * The cost of one CIDR query. docs/spamhaus-sia.txt gives three points, /32 (IPv6 /64) = 1,
 * /31 (/63) = 2 and /24 (/56) = 8, and the rule "apply log2 X, X the number of addresses (IPv6: /64s)
 * in the CIDR", which does not fit its own points (log2 X gives 0, 1, 8). Between the points the
 * documentation says nothing exact, so the mock uses the same reading as the app's core
 * (src/api/spamhaus.rs `query_cost`): log2 X + 1, capped at 8. It meets every documented point and
 * rises steadily between them (/30 = 3, /25 = 8), so the cost NetLens shows before a query is the
 * cost the counters (qpm, qpd) then add. (It errs on the dear side: where the two readings differ,
 * /30 to /25, it counts one more than plain log2 X.)
 */
export function queryCost(family, mask) {
  const log2 = family === 4 ? 32 - mask : Math.max(0, 64 - mask); // log2 of the /32s or /64s covered
  return Math.min(8, log2 + 1);
}

export function createSpamhaus(data, { now = () => Date.now() } = {}) {
  const account = data.spamhaus.account;
  const records = data.spamhaus.records.map((r) => ({ r, ip: parseIp(r.ipaddress) }));
  const state = { tokens: new Map(), usage: [], requests: [] };

  function reset() {
    state.tokens.clear();
    state.usage = [];
    state.requests = [];
  }
  function expireTokens() {
    for (const t of state.tokens.values()) t.expires = 0;
  }

  const err = (status, message, extra = {}) => json(status, { code: status, message }, 'application/json', extra);
  function errorBody(status) {
    return err(status, reason(status));
  }

  function authorized(req) {
    const m = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return null;
    const t = state.tokens.get(m[1]);
    return t && t.expires > now() / 1000 ? t : null;
  }

  function counters() {
    const t = now() / 1000;
    const d = new Date(t * 1000);
    const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
    const sum = (since) => state.usage.filter((u) => u.t >= since).reduce((s, u) => s + u.cost, 0);
    const reqs = (win) => state.requests.filter((r) => r > t - win).length;
    return { qpm: sum(month), qpd: sum(day), rl_qps: reqs(1), rl_qpm: reqs(60), rl_qph: reqs(3600) };
  }

  async function login(req) {
    let body = null;
    try {
      body = JSON.parse(req.body || 'null');
    } catch {
      body = null;
    }
    const good = body && typeof body === 'object' && body.username === account.username && body.password === account.password && body.realm === 'intel';
    if (!good) return err(401, 'Authentication failed');
    const iat = Math.floor(now() / 1000);
    const expires = iat + TOKEN_TTL;
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
    const payload = b64url(JSON.stringify({ iss: 'api.spamhaus.org', sub: account.sub, usr: account.username, realm: 'intel', iat, exp: expires, jti: randomBytes(8).toString('hex') }));
    const token = `${header}.${payload}.${b64url(randomBytes(32))}`;
    state.tokens.set(token, { expires, usr: account.username });
    return json(200, { code: 200, token, expires });
  }

  function limits() {
    return json(200, { status: 200, account: { usr: account.username, sub: account.sub }, limits: { ...LIMITS }, current: counters() });
  }

  function byCidr(req, [dataset, mode, type, ipText, maskText, ...extra]) {
    if (extra.length) return err(404, 'Not Found');
    if (!['XBL', 'CSS', 'BCL', 'ALL'].includes(dataset)) return err(400, `Invalid dataset "${dataset}": must be one of XBL, CSS, BCL or ALL`);
    if (!['listed', 'listings'].includes(mode)) return err(400, `Invalid mode "${mode}": must be listed or listings`);
    if (!['live', 'history'].includes(type)) return err(400, `Invalid type "${type}": must be live or history`);
    const ip = parseIp(ipText ?? '');
    if (!ip) return err(400, `Invalid IP address "${ipText}"`);
    let mask = ip.family === 4 ? 32 : 64;
    if (maskText !== undefined) {
      if (!/^\d{1,3}$/.test(maskText)) return err(400, `Invalid netmask "${maskText}"`);
      mask = Number(maskText);
      const [lo, hi] = ip.family === 4 ? [24, 32] : [56, 128];
      if (mask < lo || mask > hi) return err(400, `Invalid netmask /${mask}: IPv${ip.family} searches allow /${lo} to /${hi}`);
    }
    const q = req.query;
    const t = Math.floor(now() / 1000);
    let limit = DEFAULT_LIMIT;
    if (q.has('limit')) {
      if (!/^\d+$/.test(q.get('limit')) || Number(q.get('limit')) < 1) return err(400, 'Invalid limit: must be a positive integer');
      limit = Number(q.get('limit'));
      if (limit > MAX_LIMIT) return err(400, `Invalid limit: the maximum is ${MAX_LIMIT}`);
    }
    for (const k of ['since', 'until']) if (q.has(k) && !/^\d+$/.test(q.get(k))) return err(400, `Invalid ${k}: must be a unix timestamp`);
    const until = q.has('until') ? Number(q.get('until')) : t;
    const since = q.has('since') ? Number(q.get('since')) : until - MAX_WINDOW;
    if (since > until) return err(400, 'Invalid time window: since is after until');
    if (type === 'history' && until - since > MAX_WINDOW) return err(400, 'Invalid time window: history queries span at most 12 months');

    const c = counters();
    if (c.rl_qps >= LIMITS.rl_qps || c.rl_qpm >= LIMITS.rl_qpm || c.rl_qph >= LIMITS.rl_qph) return err(429, 'Too many requests');
    const cost = queryCost(ip.family, mask);
    if (c.qpm + cost > LIMITS.qmh) return err(429, 'Too many requests: monthly query limit reached');
    state.requests.push(t);
    state.usage.push({ t, cost });

    const allowed = dataset === 'ALL' ? LIMITS.ads.split(',') : [dataset];
    const results = records
      .filter(({ r, ip: rip }) => {
        if (!allowed.includes(r.dataset) || !rip) return false;
        // listed: records inside the block; listings: records whose (single-address) listing covers it
        const hit = mode === 'listed' ? inNet(rip, ip, mask) : mask === (ip.family === 4 ? 32 : 128) && inNet(rip, ip, mask);
        if (!hit) return false;
        if (type === 'live' && !(r.valid_until > t)) return false;
        return r.listed >= since && r.listed <= until;
      })
      .map(({ r }) => r)
      .sort((a, b) => b.listed - a.listed)
      .slice(0, limit);
    if (!results.length) return json(404, { code: 404 });
    return json(200, { code: 200, results });
  }

  async function handle(req) {
    const path = req.path;
    if (path === '/api/v1/login') {
      if (req.method !== 'POST') return err(405, 'Method Not Allowed', { Allow: 'POST' });
      return login(req);
    }
    const isLimits = path === '/api/intel/v1/limits';
    const cidr = path.startsWith('/api/intel/v1/byobject/cidr/');
    if (!isLimits && !cidr) return err(404, 'Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return err(405, 'Method Not Allowed', { Allow: 'GET' });
    if (!authorized(req)) return err(401, 'Unauthorized');
    if (isLimits) return limits();
    const segs = path.slice('/api/intel/v1/byobject/cidr/'.length).split('/').map((s) => decodeURIComponent(s));
    return byCidr(req, segs);
  }

  return { name: 'spamhaus', handle, errorBody, reset, expireTokens, counters };
}
