// CAIDA Spoofer Data API (API Platform): GET /sessions, GET /sessions/{id}, JSON-LD/Hydra or JSON.
//
// Query strings are read the PHP way (parse_str), filters follow API Platform's Search/Range/
// Date/Order filters (invalid values are ignored, not rejected), and hydra:view links are rebuilt
// with http_build_query exactly as IriHelper does (so `asn[]=3356` comes back as `asn%5B0%5D=3356`).

import { parseStr, httpBuildQuery, intval, isNumeric, isValidInt, phpStrToTime } from './php.mjs';
import { json, text, reason } from './respond.mjs';

export const ITEMS_PER_PAGE = 30;

const LD = 'application/ld+json; charset=utf-8';
const JS = 'application/json; charset=utf-8';
const DOCS_LINK = '<{origin}/docs.jsonld>; rel="http://www.w3.org/ns/hydra/core#apiDocumentation"';

const SEARCH_VARIABLES = [
  ['timestamp[before]', 'timestamp'], ['timestamp[strictly_before]', 'timestamp'], ['timestamp[after]', 'timestamp'],
  ['timestamp[strictly_after]', 'timestamp'], ['session[between]', 'session'], ['session[gt]', 'session'],
  ['session[gte]', 'session'], ['session[lt]', 'session'], ['session[lte]', 'session'], ['asn', 'asn'], ['asn[]', 'asn'],
  ['country', 'country'], ['country[]', 'country'], ['order[timestamp]', 'timestamp'],
];
const HYDRA_SEARCH = {
  '@type': 'hydra:IriTemplate',
  'hydra:template': `/sessions{?${SEARCH_VARIABLES.map(([v]) => v).join(',')}}`,
  'hydra:variableRepresentation': 'BasicRepresentation',
  'hydra:mapping': SEARCH_VARIABLES.map(([variable, property]) => ({ '@type': 'IriTemplateMapping', variable, property, required: false })),
};

/** Picks the output format from Accept the way API Platform's content negotiation does. */
export function negotiate(accept, forced = null) {
  if (forced) return forced;
  if (!accept || !accept.trim()) return 'jsonld';
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { type } of ranges) {
    if (type === 'application/ld+json') return 'jsonld';
    if (type === 'application/json') return 'json';
    if (type === 'text/html') return 'html';
    if (type === '*/*' || type === 'application/*') return 'jsonld';
  }
  return null;
}

function toList(v) {
  if (v === undefined) return null;
  if (v instanceof Map) return [...v.values()].filter((x) => !(x instanceof Map));
  return [v];
}

function stripLd(record) {
  const { '@id': _id, '@type': _type, ...rest } = record;
  return rest;
}

export function createSpoofer(data, { now = () => Date.now() } = {}) {
  const sessions = data.spoofer.sessions.slice().sort((a, b) => a.session - b.session);
  const byId = new Map(sessions.map((s) => [String(s.session), s]));
  const times = new Map(sessions.map((s) => [s.session, Date.parse(s.timestamp) / 1000]));

  function error(format, status, description, extraHeaders = {}) {
    if (format === 'json') {
      return json(status, { type: 'https://tools.ietf.org/html/rfc2616#section-10', title: 'An error occurred', status, detail: description }, 'application/problem+json; charset=utf-8', extraHeaders);
    }
    return json(status, { '@context': '/contexts/Error', '@type': 'hydra:Error', 'hydra:title': 'An error occurred', 'hydra:description': description }, LD, extraHeaders);
  }

  /** The service's own error shape, for injected faults. */
  function errorBody(status, req) {
    const format = negotiate(req.headers.accept) === 'json' ? 'json' : 'jsonld';
    return error(format, status, reason(status));
  }

  function collection(req, format) {
    const params = parseStr(req.rawQuery);
    let list = sessions;

    const asns = toList(params.get('asn'));
    if (asns && asns.length && asns.every(isValidInt)) {
      const set = new Set(asns.map((a) => String(parseInt(a, 10))));
      list = list.filter((s) => set.has(s.asn4) || set.has(s.asn6));
    }
    const countries = toList(params.get('country'));
    if (countries && countries.length) {
      const set = new Set(countries);
      list = list.filter((s) => set.has(s.country));
    }
    const range = params.get('session');
    if (range instanceof Map) {
      for (const [op, raw] of range) {
        if (typeof raw !== 'string') continue;
        if (op === 'between') {
          const [lo, hi, extra] = raw.split('..');
          if (extra !== undefined || !isNumeric(lo ?? '') || !isNumeric(hi ?? '')) continue;
          list = list.filter((s) => s.session >= Number(lo) && s.session <= Number(hi));
          continue;
        }
        if (!isNumeric(raw)) continue;
        const n = Number(raw);
        const cmp = { gt: (x) => x > n, gte: (x) => x >= n, lt: (x) => x < n, lte: (x) => x <= n }[op];
        if (cmp) list = list.filter((s) => cmp(s.session));
      }
    }
    const ts = params.get('timestamp');
    if (ts instanceof Map) {
      for (const [op, raw] of ts) {
        if (typeof raw !== 'string' || raw.trim() === '') continue;
        const cmp = { after: (x, t) => x >= t, before: (x, t) => x <= t, strictly_after: (x, t) => x > t, strictly_before: (x, t) => x < t }[op];
        const t = phpStrToTime(raw, now());
        if (!cmp || t === null) continue; // API Platform ignores a date it cannot parse
        list = list.filter((s) => cmp(times.get(s.session), t));
      }
    }
    const order = params.get('order');
    if (order instanceof Map && typeof order.get('timestamp') === 'string') {
      const dir = order.get('timestamp').toLowerCase();
      if (dir === 'asc' || dir === 'desc') {
        const sign = dir === 'asc' ? 1 : -1;
        list = list.slice().sort((a, b) => sign * (times.get(a.session) - times.get(b.session)) || a.session - b.session);
      }
    }

    const page = params.has('page') ? intval(params.get('page')) : 1;
    if (page < 1) return error(format, 400, 'Page should not be less than 1');
    const total = list.length;
    const lastPage = Math.max(1, Math.ceil(total / ITEMS_PER_PAGE));
    const members = list.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE);

    if (format === 'json') return json(200, members.map(stripLd), JS);

    const body = { '@context': '/contexts/Session', '@id': '/sessions', '@type': 'hydra:Collection', 'hydra:member': members, 'hydra:totalItems': total };
    const filters = new Map(params);
    filters.delete('page');
    const applied = new Map(filters);
    applied.delete('pagination');
    const paginated = lastPage !== 1;
    if (applied.size || paginated) {
      const iri = (p) => {
        const q = new Map(filters);
        if (p !== null) q.set('page', String(p));
        const qs = httpBuildQuery(q);
        return qs ? `/sessions?${qs}` : '/sessions';
      };
      const view = { '@id': iri(paginated ? page : null), '@type': 'hydra:PartialCollectionView' };
      if (paginated) {
        view['hydra:first'] = iri(1);
        view['hydra:last'] = iri(lastPage);
        if (page !== 1) view['hydra:previous'] = iri(page - 1);
        if (page < lastPage) view['hydra:next'] = iri(page + 1);
      }
      body['hydra:view'] = view;
    }
    body['hydra:search'] = HYDRA_SEARCH;
    return json(200, body, LD);
  }

  async function handle(req) {
    let path = req.path;
    let forced = null;
    const ext = /^(.*?)\.(jsonld|json|html)$/.exec(path);
    if (ext) {
      path = ext[1];
      forced = { jsonld: 'jsonld', json: 'json', html: 'html' }[ext[2]];
    }
    const format = negotiate(req.headers.accept, forced);
    const errFormat = format === 'json' ? 'json' : 'jsonld';
    const link = { Link: DOCS_LINK.replace('{origin}', `http://${req.headers.host ?? 'localhost'}`) };
    const known = path === '/' || path === '/sessions' || /^\/sessions\/[^/]+$/.test(path);
    if (!known) return error(errFormat, 404, `No route found for "${req.method} ${req.url}"`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return error(errFormat, 405, `No route found for "${req.method} ${req.url}": Method Not Allowed (Allow: GET)`, { Allow: 'GET' });
    }
    if (format === null) {
      return error('jsonld', 406, `Requested format "${req.headers.accept}" is not supported. Supported MIME types are "application/ld+json", "application/json", "text/html".`);
    }
    if (format === 'html') {
      return text(200, '<!DOCTYPE html><html><head><title>Spoofer API</title></head><body><h1>Spoofer API 1.0.0</h1><p>GET /sessions, GET /sessions/{id}</p></body></html>', 'text/html; charset=UTF-8');
    }
    let res;
    if (path === '/') {
      res = format === 'json' ? json(200, { session: '/sessions' }, JS) : json(200, { '@context': '/contexts/Entrypoint', '@id': '/', '@type': 'Entrypoint', session: '/sessions' }, LD);
    } else if (path === '/sessions') {
      res = collection(req, format);
    } else {
      const id = decodeURIComponent(path.slice('/sessions/'.length));
      const s = /^\d+$/.test(id) ? byId.get(String(Number(id))) : undefined;
      if (!s) return error(errFormat, 404, 'Not Found');
      res = format === 'json' ? json(200, stripLd(s), JS) : json(200, { '@context': '/contexts/Session', ...s }, LD);
    }
    Object.assign(res.headers, link);
    return res;
  }

  return { name: 'spoofer', handle, errorBody };
}
