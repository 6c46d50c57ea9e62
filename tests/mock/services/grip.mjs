// GRIP API v2 (Flask over Elasticsearch) under /v1/json (/json redirects there): events search, event and prefix-event by
// id, tags, blocklist/blacklist and asndrop. Parameter handling copies app/elastic.py: Werkzeug
// `type=int` falls back to the default on bad input, `full`/`brief`/`debug` are presence-based,
// `overlap` is truthy for any non-empty value, and `ts_start`/`ts_end` accept only
// `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM:SS` or epoch s/ms (anything else leaves the bound open).

import { json, reason, sortedJson } from './respond.mjs';

export const COPYRIGHT = 'This data is Copyright (c) 2021 Georgia Tech Research Corporation. All Rights Reserved.';
export const RESULT_WINDOW = 10000;
const EVENT_TYPES = ['moas', 'submoas', 'defcon', 'edges'];

/** Flask's jsonify sorts keys; keep that so payloads look like the real ones. */
function flask(status, value) {
  const res = json(status, value);
  res.body = sortedJson(value);
  return res;
}
const withCopyright = (obj) => ({ ...obj, copyright: COPYRIGHT });

class InternalError extends Error {}

/** Python int(): optional whitespace, sign, digits with single underscores. */
function pyInt(s) {
  if (typeof s !== 'string' || !/^\s*[+-]?\d+(_\d+)*\s*$/.test(s)) return null;
  return parseInt(s.replace(/_/g, ''), 10);
}
/** `request.args.get(name, default, type=int)` */
function argInt(q, name, dflt) {
  if (!q.has(name)) return dflt;
  const v = pyInt(q.get(name));
  return v === null ? dflt : v;
}

function validCalendar(y, mo, d, h, mi, s) {
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const dt = new Date(t);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d && dt.getUTCHours() === h && dt.getUTCMinutes() === mi && dt.getUTCSeconds() === s ? t / 1000 : null;
}

/**
 * convert_time_str + what Elasticsearch then does with the string: Unix seconds, or null when the
 * bound is dropped. Throws InternalError where the real stack raises (ES cannot parse the date).
 */
export function gripTime(raw, nowMs) {
  let m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\n?$/.exec(raw) ?? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})()\n?$/.exec(raw);
  if (m) {
    const t = validCalendar(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] === '' ? 0 : +m[6]);
    if (t === null) throw new InternalError(`failed to parse date field [${raw}]`);
    return t;
  }
  let n = pyInt(raw);
  if (n === null) return null;
  if (n > (nowMs / 1000) * 10) n = Math.trunc(n / 1000);
  if (n > 253402300799 || n < -62135596800) throw new InternalError('year is out of range');
  return n;
}

/** add_match_params: every plain item must match (AND), every `!item` must not. */
function termFilter(raw, valuesOf) {
  const must = [];
  const mustNot = [];
  for (const a of raw.split(',')) {
    if (a.length === 0) throw new InternalError('string index out of range'); // a[0] on ''
    if (a[0] === '!' && a.length > 1) mustNot.push(a.slice(1));
    else must.push(a);
  }
  return (ev) => {
    const vals = valuesOf(ev);
    return must.every((t) => vals.includes(t)) && !mustNot.some((t) => vals.includes(t));
  };
}

function enhance(pfx) {
  const out = { ...pfx };
  for (const k of ['prefix', 'sub_pfx', 'super_pfx']) if (pfx.details && k in pfx.details) out[k] = pfx.details[k];
  return out;
}

/** remove_extra_event_detail */
function trimEvent(ev) {
  const out = { pfx_events: [] };
  for (const [k, v] of Object.entries(ev)) {
    if (['id', 'event_type', 'view_ts', 'finished_ts', 'asinfo', 'insert_ts', 'last_modified_ts', 'duration', 'tr_metrics', 'event_metrics', 'summary'].includes(k)) {
      out[k] = v;
    } else if (k === 'pfx_events') {
      for (const p of v) {
        const t = {};
        for (const [pk, pv] of Object.entries(p)) if (['tags', 'finished_ts', 'inferences'].includes(pk)) t[pk] = pv;
        for (const key of ['prefix', 'sub_pfx', 'super_pfx']) if (p.details && key in p.details) t[key] = p.details[key];
        out.pfx_events.push(t);
      }
    }
  }
  out.debug = {};
  return out;
}

function indexName(ev) {
  const d = new Date(ev.view_ts * 1000);
  return `observatory-v4-query-events-${ev.event_type}-${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** utils.validate_event_id: returns an error message or null. */
export function validateEventId(id, nowMs) {
  const parts = id.split('-');
  if (parts.length !== 3) return 'Invalid event ID format -- should be <evtype>-<timestamp>-<aslist>';
  const [type, ts, ases] = parts;
  if (!EVENT_TYPES.includes(type)) return `Invalid event type "${type}" -- should be one of ${EVENT_TYPES.join(', ')}`;
  if (!/^\d+$/.test(ts)) return 'Invalid timestamp in event ID -- should be a unix timestamp';
  if (Number(ts) > nowMs / 1000) return 'Invalid timestamp in event ID -- timestamp is in the future';
  const validAsList = (s) => s.length > 0 && s.split('_').every((a) => /^\d+$/.test(a) && Number(a) >= 1 && Number(a) <= 4294967295);
  if (type === 'submoas') {
    const sides = ases.split('=');
    if (sides.length !== 2 || !sides.every(validAsList)) return 'Invalid AS list in event ID -- submoas events should be <victim ASNs>=<attacker ASNs>, ASNs separated by _';
  } else if (type === 'edges') {
    const pair = ases.split('_');
    if (pair.length !== 2 || !validAsList(ases) || pair[0] === pair[1]) return 'Invalid AS list in event ID -- edges events should have exactly two distinct ASNs separated by _';
  } else if (!validAsList(ases)) {
    return 'Invalid AS list in event ID -- ASNs should be integers between 1 and 4294967295 separated by _';
  }
  return null;
}

/** Python ipaddress.ip_network(p) with strict=True. */
export function validPrefix(p) {
  const [addr, len, extra] = p.split('/');
  if (extra !== undefined) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) {
    const oct = addr.split('.').map(Number);
    if (oct.some((o) => o > 255) || addr.split('.').some((o) => o.length > 1 && o[0] === '0')) return false;
    const l = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : -1;
    if (l < 0 || l > 32) return false;
    const n = oct.reduce((a, o) => a * 256 + o, 0);
    return n % 2 ** (32 - l) === 0;
  }
  if (!/^[0-9a-fA-F:]+$/.test(addr) || (addr.match(/::/g) ?? []).length > 1) return false;
  const [h, t] = addr.includes('::') ? addr.split('::') : [addr, null];
  const groups = [...(h ? h.split(':') : []), ...(t === null ? [] : t ? t.split(':') : [])];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  if (t === null ? groups.length !== 8 : groups.length > 7) return false;
  const l = len === undefined ? 128 : /^\d{1,3}$/.test(len) ? Number(len) : -1;
  if (l < 0 || l > 128) return false;
  const full = [...(h ? h.split(':') : []), ...Array(t === null ? 0 : 8 - groups.length).fill('0'), ...(t ? t.split(':') : [])].map((g) => parseInt(g, 16));
  for (let bit = l; bit < 128; bit++) if (full[Math.floor(bit / 16)] & (1 << (15 - (bit % 16)))) return false;
  return true;
}

/**
 * The deployed API lives under `/v1/json/...`; `/json/...` answers 301 with an absolute Location on
 * its own host (third-party clients report it; api-spec.md still names `/json`). The path a request
 * is served from, or null when it is the old one that redirects.
 */
export function servedPath(pathname) {
  if (pathname === '/v1/json' || pathname.startsWith('/v1/json/')) return pathname.slice('/v1'.length);
  if (pathname === '/json' || pathname.startsWith('/json/')) return null;
  return pathname;
}

/** The 301 for `/json/...`: `origin` is the API's own `http://host:port`. */
export function redirect(origin, pathname, search) {
  const location = `${origin}/v1${pathname}${search}`;
  const href = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  // Werkzeug's redirect page.
  const body = `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`;
  return { status: 301, location, headers: { 'Content-Type': 'text/html; charset=utf-8', Location: location }, body };
}

export function createGrip(data, { now = () => Date.now() } = {}) {
  const events = data.grip.events; // sorted view_ts desc
  const byId = new Map(events.map((e) => [e.id, e]));

  function errorBody(status) {
    return flask(status, { error: reason(status) });
  }

  function search(q) {
    const start = argInt(q, 'start', 0);
    const size = argInt(q, 'length', 100);
    let type = q.has('event_type') ? q.get('event_type') : '*';
    if (type === 'all') type = '*';
    const full = q.has('full');
    const brief = q.has('brief');
    const debug = q.has('debug');
    if (start < 0) throw new InternalError('[from] parameter cannot be negative');
    if (size < 0) throw new InternalError('[size] parameter cannot be negative');
    if (start + size > RESULT_WINDOW) {
      throw new InternalError(
        `Result window is too large, from + size must be less than or equal to: [${RESULT_WINDOW}] but was [${start + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
      );
    }
    const tsStart = q.has('ts_start') ? gripTime(q.get('ts_start'), now()) : null;
    const tsEnd = q.has('ts_end') ? gripTime(q.get('ts_end'), now()) : null;
    const overlap = q.has('overlap') && q.get('overlap') !== '';
    const minSusp = argInt(q, 'min_susp', 0);
    const maxSusp = argInt(q, 'max_susp', 100);
    const minDur = argInt(q, 'min_duration', null);
    const maxDur = argInt(q, 'max_duration', null);
    const filters = [];
    if (q.has('pfxs')) filters.push(termFilter(q.get('pfxs'), (e) => e.summary.prefixes));
    if (q.has('asns')) filters.push(termFilter(q.get('asns'), (e) => e.summary.ases));
    if (q.has('tags')) filters.push(termFilter(q.get('tags'), (e) => e.summary.tags.map((t) => t.name)));
    if (q.has('codes')) filters.push(termFilter(q.get('codes'), (e) => e.summary.inference_result.inferences.map((i) => i.inference_id)));
    if (q.has('labels')) filters.push(termFilter(q.get('labels'), (e) => e.summary.inference_result.primary_inference?.labels ?? []));

    const typeOk = type === '*' ? () => true : EVENT_TYPES.includes(type) ? (e) => e.event_type === type : () => false;
    const hits = debug
      ? []
      : events.filter((e) => {
          if (!typeOk(e) || e.position === 'FINISHED') return false;
          const p = e.summary.inference_result.primary_inference;
          if (!p) return false;
          if (p.suspicion_level < minSusp || p.suspicion_level > maxSusp) return false;
          if (minDur !== null || maxDur !== null) {
            if (e.duration === null) return false;
            if (minDur !== null && e.duration < minDur) return false;
            if (maxDur !== null && e.duration > maxDur) return false;
          }
          if (tsStart !== null) {
            const startsIn = e.view_ts >= tsStart;
            const spans = overlap && e.view_ts < tsStart && (e.finished_ts === null || e.finished_ts >= tsStart);
            if (!startsIn && !spans) return false;
          }
          if (tsEnd !== null && e.view_ts > tsEnd) return false;
          return filters.every((f) => f(e));
        });
    const page = hits.slice(start, start + size).map((e) => {
      if (!brief) return serialised(e, full);
      const src = {};
      for (const [k, v] of Object.entries(e)) if (k.endsWith('_ts') || ['id', 'summary', 'event_type'].includes(k)) src[k] = v;
      return sortedJson(full ? { ...src, _esid: indexName(e) } : trimEvent(src));
    });
    return { data: page, recordsTotal: Math.min(hits.length, RESULT_WINDOW) };
  }

  // Real-weight events (~9 KB each) make a 1,000-event page ~9 MB: each event is serialised once
  // (keys sorted, as Flask's jsonify does) and pages are joined from those strings.
  const cache = { trimmed: new Map(), full: new Map() };
  function serialised(e, full) {
    const m = full ? cache.full : cache.trimmed;
    let s = m.get(e.id);
    if (s === undefined) {
      s = sortedJson(full ? { ...e, _esid: indexName(e) } : trimEvent(e));
      m.set(e.id, s);
    }
    return s;
  }
  /** The search envelope, keys in jsonify's order, around already serialised events. */
  function searchBody({ data: page, recordsTotal }) {
    const body = `{"copyright":${JSON.stringify(COPYRIGHT)},"data":[${page.join(',')}],"draw":null,"recordsFiltered":0,"recordsTotal":${recordsTotal}}`;
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
  }

  function eventById(id) {
    const msg = validateEventId(id, now());
    if (msg) return { status: 400, body: { error: msg } };
    const ev = byId.get(id);
    if (!ev) return { status: 404, body: { error: 'The requested event was not found' } };
    return { status: 200, body: { ...ev, pfx_events: ev.pfx_events.map(enhance) } };
  }

  async function handle(req) {
    const path = req.path;
    if (!path.startsWith('/json/') && path !== '/json') return flask(404, { error: 'The requested URL was not found on the server.' });
    const route = path.slice('/json'.length);
    const routes = [/^\/events$/, /^\/event\/id\/[^/]+$/, /^\/pfx_event\/id\/[^/]+\/[^/]+$/, /^\/tags$/, /^\/blocklist$/, /^\/blacklist$/, /^\/asndrop$/];
    if (!routes.some((r) => r.test(route))) return flask(404, { error: 'The requested URL was not found on the server.' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { ...flask(405, { error: 'The method is not allowed for the requested URL.' }), headers: { 'Content-Type': 'application/json', Allow: 'GET, HEAD, OPTIONS' } };
    }
    try {
      if (route === '/events') return searchBody(search(req.query));
      if (route === '/tags') return flask(200, withCopyright(data.grip.tags));
      if (route === '/blocklist') return flask(200, withCopyright({ blocklist: data.grip.blocklist }));
      if (route === '/blacklist') return flask(200, withCopyright({ blacklist: data.grip.blocklist }));
      if (route === '/asndrop') return flask(200, withCopyright({ asndrop: data.grip.asndrop }));
      const parts = route.split('/').map((p) => decodeURIComponent(p));
      if (parts[1] === 'event') {
        const r = eventById(parts[3]);
        return flask(r.status, r.status === 200 ? withCopyright(r.body) : r.body);
      }
      // /pfx_event/id/<event id>/<fingerprint>
      const r = eventById(parts[3]);
      if (r.status !== 200) return flask(r.status, r.body);
      const ev = r.body;
      const wanted = parts[4].replace(/-/g, '/').split('_');
      if (!wanted.every(validPrefix)) return flask(400, { error: 'One or more invalid IP prefixes' });
      let found;
      if (ev.event_type === 'moas' || ev.event_type === 'edges') {
        if (wanted.length !== 1) return flask(400, { error: `${ev.event_type} must only have one prefix in the fingerprint for a pfx_event!` });
        found = ev.pfx_events.find((p) => p.details.prefix === wanted[0]);
      } else {
        if (wanted.length !== 2) return flask(400, { error: `${ev.event_type} must have two prefixes (sub-pfx and super-pfx) in the fingerprint for a pfx_event!` });
        found = ev.pfx_events.find((p) => p.details.sub_pfx === wanted[0] && p.details.super_pfx === wanted[1]);
      }
      if (!found) return flask(404, { error: 'No events with the given search parameters were found' });
      return flask(200, withCopyright(found));
    } catch (e) {
      if (e instanceof InternalError) return flask(500, { error: e.message });
      throw e;
    }
  }

  return { name: 'grip', handle, errorBody };
}
