// IODA API v2 (Symfony) under /v2 and the retired legacy alerts API under /ioda/data/alerts.
//
// v2 answers always use the Envelope {type, metadata, requestParameters, error, perf, data,
// copyright}; validation failures are HTTP 400 with `error` set and `data` null, with the
// messages of OutagesController::sanitizeInputs and EntitiesController.

import { parseStr, intval } from './php.mjs';
import { json, reason } from './respond.mjs';

export const COPYRIGHT = 'This data is Copyright (c) 2021-2025 Georgia Tech Research Corporation. All Rights Reserved.';
export const DEFAULT_ALERT_LIMIT = 500;
export const DEFAULT_ENTITY_LIMIT = 2000;
const TYPE_ORDER = { continent: 0, country: 1, region: 2, county: 3, geoasn: 4, asn: 5 };
const NATIVE_STEP = { bgp: 300, 'ping-slash24': 600, 'merit-nt': 300, gtr: 1800 };

function gmdate(sec) {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Symfony ParameterBag over PHP's parse_str result. */
class Bag {
  constructor(rawQuery) {
    this.map = parseStr(rawQuery);
  }
  has(k) {
    return this.map.has(k);
  }
  string(k) {
    const v = this.map.get(k);
    return v instanceof Map ? null : v;
  }
  int(k) {
    return intval(this.map.get(k));
  }
  bool(k) {
    const v = this.map.get(k);
    if (v === '' || v === undefined) return true;
    return ['1', 'true', 'on', 'yes'].includes(String(v).toLowerCase());
  }
}

/** Envelope: parameters are [name, type, default] in the controller's order. */
function envelope(type, bag, spec, requestTime) {
  const requestParameters = {};
  for (const [name, kind, dflt] of spec) {
    if (!bag.has(name)) requestParameters[name] = dflt;
    else if (kind === 'int') requestParameters[name] = bag.int(name);
    else if (kind === 'bool') requestParameters[name] = bag.bool(name);
    else requestParameters[name] = bag.string(name);
  }
  return { type, metadata: { requestTime: gmdate(requestTime), responseTime: gmdate(requestTime) }, requestParameters, error: null, perf: null, data: null, copyright: COPYRIGHT };
}
const fail = (env, msg) => json(400, { ...env, error: msg, data: null });
const ok = (env, data) => json(200, { ...env, error: null, data });

/** parseTimestampParameter: ctype_digit and <= 2147483647, else null. */
function parseTimestamp(text) {
  if (typeof text !== 'string' || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= 2147483647 ? n : null;
}

function publicEntity(e) {
  return { code: e.code, name: e.name, type: e.type, subnames: e.subnames, attrs: e.attrs };
}

function parseRelatedTo(raw) {
  if (!raw) return [null, null];
  const parts = raw.split('/');
  if (parts.length > 2) throw new Error("relatedTo parameter must be in the form 'type[/code]'");
  return [parts[0], parts[1] ?? null];
}

export function createIoda(data, { now: clock = () => Date.now() } = {}) {
  const { entities, alerts, datasources } = data.ioda;
  const fqidDs = data.ioda.fqids;

  function dsOfFqid(fqid) {
    return Object.keys(fqidDs).find((k) => fqid.includes(k)) ?? null;
  }

  function errorBody(status, req) {
    if (req.path.startsWith('/ioda/')) {
      return json(status, { type: 'watchtower.alerts', error: reason(status), queryParameters: {}, data: null });
    }
    return json(status, { type: 'error', metadata: { requestTime: gmdate(Math.floor(clock() / 1000)), responseTime: gmdate(Math.floor(clock() / 1000)) }, requestParameters: {}, error: reason(status), perf: null, data: null, copyright: COPYRIGHT });
  }

  /** MetadataEntitiesRepository search (ILIKE over name and code, ordered like the real one). */
  function searchEntities({ type, code, search, relatedType, relatedCode }) {
    let list = entities;
    if (type) list = list.filter((e) => e.type === type);
    else list = list.filter((e) => e.type !== 'county' && e.type !== 'geoasn');
    if (code) {
      const codes = code.split(',');
      list = list.filter((e) => codes.includes(e.code));
    }
    if (relatedType) {
      list = list.filter((e) => {
        const rel = e._related?.[relatedType];
        return rel && (relatedCode === null ? rel.length > 0 : rel.includes(relatedCode));
      });
    }
    if (search) {
      const s = search.toLowerCase();
      list = list.filter((e) => e.name.toLowerCase().includes(s) || e.code.toLowerCase().includes(s));
      const rank = (e) => (e.code.toLowerCase() === s ? 0 : e.name.toLowerCase() === s ? 1 : 2);
      list = list.slice().sort((a, b) => rank(a) - rank(b) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.name.localeCompare(b.name));
    } else {
      list = list.slice().sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.name.localeCompare(b.name));
    }
    return list;
  }

  /** OutagesAlertsService::findAlerts, without pagination. */
  function findAlerts({ from, until, entityType, entityCode, datasource, relatedTo, ignoreMethods }) {
    let codes = entityCode ? entityCode.split(',') : null;
    if (relatedTo[0]) {
      const related = searchEntities({ type: entityType, code: entityCode, relatedType: relatedTo[0], relatedCode: relatedTo[1] });
      codes = related.map((e) => e.code);
    }
    let list = alerts.filter(
      (a) =>
        (!from || a.time >= from) &&
        (!until || a.time <= until) &&
        (!datasource || a.fqid.includes(datasource)) &&
        (!entityType || a.entity.type === entityType) &&
        (!codes || codes.includes(a.entity.code)),
    );
    if (ignoreMethods) {
      const methods = ignoreMethods.split(',');
      list = list.filter((a) => {
        const ds = dsOfFqid(a.fqid);
        return !(methods.includes(`${ds}.${a.method}`) || methods.includes(`${ds}.*`) || methods.includes(`*.${a.method}`));
      });
    }
    // squashAlerts: per series keep only N->W[->C], N->C, C->N transitions
    const level = new Map();
    return list.filter((a) => {
      const id = a.fqid + a.entity.type + a.entity.code;
      const cl = level.get(id);
      if (cl === undefined || (cl === 'critical' && a.level === 'normal') || (cl !== 'critical' && cl !== a.level)) {
        level.set(id, a.level);
        return true;
      }
      return false;
    });
  }

  function normalizeAlert(a) {
    const scale = a.datasource === 'gtr' ? 1_000_000 : 1;
    return {
      datasource: a.datasource,
      entity: publicEntity(a.entity),
      time: a.time,
      level: a.level,
      condition: a.condition,
      value: scale === 1 ? a.value : Math.trunc(a.value / scale),
      historyValue: scale === 1 ? a.historyValue : Math.trunc(a.historyValue / scale),
      method: a.method,
    };
  }

  /** sanitizeInputs; returns the message of the first failed check or null. */
  // `limitGiven`: the reference (and the brief) say page requires an explicit limit; the default
  // limit does not count, so a client must always send both.
  function sanitize(from, until, datasource, limit, page, limitGiven = true, format = null) {
    if (from === null) return "'from' timestamp must be set";
    if (until === null) return "'until' timestamp must be set";
    if (datasource && !datasources.includes(datasource)) return `invalid datasource ${datasource} (must be one of the following [${datasources.join(', ')}])`;
    if (format && !['codf', 'ioda'].includes(format)) return `invalid format ${format} (must be one of the following ['codf', 'ioda'])`;
    if (limit !== null && limit <= 0) return 'limit must be greater than 0';
    if (page !== null) {
      if (!limit || !limitGiven) return 'limit also needs to be set if page is set';
      if (page < 0) return 'page must be greater than or equals to 0';
    }
    return null;
  }

  function outagesAlerts(bag, now) {
    const env = envelope('outages.alerts', bag, [
      ['from', 'string', null], ['until', 'string', null], ['datasource', 'string', null], ['limit', 'int', DEFAULT_ALERT_LIMIT],
      ['page', 'int', null], ['relatedTo', 'string', null], ['entityType', 'string', null], ['entityCode', 'string', null],
      ['ignoreMethods', 'string', null], ['extendWindow', 'int', 0],
    ], now);
    const p = env.requestParameters;
    const from = parseTimestamp(p.from);
    const until = parseTimestamp(p.until);
    const msg = sanitize(from, until, p.datasource, p.limit, p.page, bag.has('limit'));
    if (msg) return fail(env, msg);
    let relatedTo;
    try {
      relatedTo = parseRelatedTo(p.relatedTo);
    } catch (e) {
      return fail(env, e.message);
    }
    const ext = Math.max(0, p.extendWindow ?? 0);
    let list = findAlerts({ from: from && from - ext, until: until && until + ext, entityType: p.entityType, entityCode: p.entityCode, datasource: p.datasource, relatedTo, ignoreMethods: p.ignoreMethods });
    if (p.limit) list = list.slice(p.limit * (p.page ?? 0), p.limit * (p.page ?? 0) + p.limit);
    return ok(env, list.map(normalizeAlert));
  }

  function entitiesQuery(bag, now) {
    const env = envelope('entities.lookup', bag, [
      ['relatedTo', 'string', null], ['search', 'string', null], ['limit', 'int', null], ['page', 'int', null],
      ['entityType', 'string', null], ['entityCode', 'string', null],
    ], now);
    const p = env.requestParameters;
    const empty = (v) => v === null || v === '' || v === '0';
    if (!empty(p.entityCode) && (!empty(p.search) || !empty(p.relatedTo))) return fail(env, 'entity type and code provided, no search or relatedTo can be used');
    let relatedTo;
    try {
      relatedTo = parseRelatedTo(p.relatedTo);
    } catch (e) {
      return fail(env, e.message);
    }
    const limit = p.limit || DEFAULT_ENTITY_LIMIT;
    const offset = limit * Math.max(0, p.page ?? 0);
    let list = searchEntities({ type: p.entityType, code: p.entityCode, search: p.search, relatedType: relatedTo[0], relatedCode: relatedTo[1] }).slice(offset, offset + limit).map(publicEntity);
    if (!list.length && p.entityType === 'asn') {
      // EntitiesController's fallback for ASNs without metadata
      const n = intval(p.entityCode ?? '');
      list = [{ code: p.entityCode, name: `AS${n}`, type: 'asn', subnames: [], attrs: { fqid: `asn.${n}`, ip_count: 0 } }];
    }
    return ok(env, list);
  }

  /**
   * Outage events per series (an event opens at a non-normal alert and closes at the next normal one).
   * The summary uses `drop` (the deepest drop) and `score`. For /outages/events each event also carries
   * what OutagesEventsService::buildEvents keeps: `id` (its series), `alerts` (all of the event's
   * alerts, the closing normal one included), `acc` (the real score: each alert's drop% × the minutes
   * until the event's next alert; for an event still open at the end of `list`, the last drop × the
   * minutes until `until`) and `overlaps` (X-Overlaps-Window: started before `from`, or still open and
   * closed artificially at `until`).
   */
  function buildEvents(list, from, until) {
    const open = new Map();
    const events = [];
    for (const a of list) {
      const id = a.fqid + '|' + a.entity.type + '|' + a.entity.code;
      const drop = a.historyValue ? Math.abs(a.historyValue - a.value) / Math.max(a.historyValue, a.value) * 100 : 0;
      const cur = open.get(id);
      if (cur) {
        cur.acc += cur.prevDrop * ((a.time - cur.prevTime) / 60);
        cur.prevTime = a.time;
        cur.prevDrop = drop;
        cur.alerts.push(a);
      }
      if (a.level === 'normal') {
        if (cur) {
          cur.until = a.time;
          events.push(cur);
          open.delete(id);
        }
      } else if (cur) {
        cur.drop = Math.max(cur.drop, drop);
      } else {
        open.set(id, { id, alert: a, from: a.time, until, drop, alerts: [a], acc: 0, prevTime: a.time, prevDrop: drop, overlaps: a.time < from });
      }
    }
    for (const e of open.values()) {
      e.acc += e.prevDrop * ((until - e.prevTime) / 60);
      e.overlaps = true;
      events.push(e);
    }
    return events.filter((e) => e.until >= from && e.from <= until).map((e) => ({ ...e, score: e.drop * ((Math.min(e.until, until) - Math.max(e.from, from)) / 60 || 1) }));
  }

  /**
   * OutagesEventsService::mergeOverlappingEvents (`overall`), for the events of one entity: sorted by
   * start, an event starting at or before the end of the last merged one joins it (the union span:
   * the later end wins). The merged score is, as in IODA, the *product* over the series (fqids) of
   * each series' largest event score in the merge, not a sum (hence IODA's huge overall scores); a
   * lone event keeps its own score. The merged event keeps the first event's overlaps_window flag and
   * all alerts in merge order, so its datasource is "overall" and its method "multiple" only if they
   * differ (OutagesEvent's constructor).
   */
  function mergeOverlapping(evs) {
    const merged = [];
    for (const e of evs.slice().sort((a, b) => a.from - b.from)) {
      const last = merged.at(-1);
      const fqid = e.alert.fqid;
      if (!last || last.until < e.from) {
        merged.push({ ...e, alerts: e.alerts.slice(), fqScores: { [fqid]: e.acc } });
        continue;
      }
      if (last.until < e.until) last.until = e.until;
      if (!(fqid in last.fqScores) || last.fqScores[fqid] < e.acc) last.fqScores[fqid] = e.acc;
      last.alerts.push(...e.alerts);
    }
    return merged.map((m) => ({ ...m, acc: Object.values(m.fqScores).reduce((p, v) => p * v, 1) }));
  }

  /** OutagesController::parseOrderBy. */
  function parseOrderBy(raw, dflt) {
    if (!raw) return dflt;
    const parts = raw.split('/');
    if (parts.length > 2) throw new Error("orderBy parameter must be in the form 'attr[/[asc|desc]]'");
    if (parts.length === 1) parts.push('asc');
    if (!['time', 'score', 'name'].includes(parts[0])) throw new Error("orderBy attribute must be in ['time', 'score', 'name']");
    if (!['asc', 'desc'].includes(parts[1])) throw new Error('orderBy order must be asc or desc');
    return parts;
  }

  /** OutagesEvent + OutagesEventNormalizer. */
  function normalizeEvent(ev, format, includeAlerts) {
    let method = 'unknown';
    let datasource = 'unknown';
    for (const a of ev.alerts) {
      method = method === 'unknown' ? a.method : method !== a.method ? 'multiple' : method;
      datasource = datasource === 'unknown' ? a.datasource : datasource !== a.datasource ? 'overall' : datasource;
    }
    const e = ev.alerts[0].entity;
    if (format === 'codf') {
      return { location: `${e.type}/${e.code}`, start: ev.from, duration: ev.until - ev.from, uncertainty: null, method, datasource, status: 0, fraction: null, score: ev.acc, location_name: e.name, overlaps_window: ev.overlaps };
    }
    if (format === 'ioda') {
      // the object's public properties in declaration order
      const out = { entity: publicEntity(e), from: ev.from, until: ev.until, score: ev.acc, alerts: ev.alerts.map(normalizeAlert), datasource, method };
      if (!includeAlerts) delete out.alerts;
      if (out.from === 0) delete out.from;
      if (out.until === 0) delete out.until;
      return out;
    }
    return []; // `format=` (empty) passes sanitizeInputs and normalizes to an empty array
  }

  /**
   * OutagesController::events + OutagesEventsService::buildEventsObjects. Alerts come from
   * `from - extendWindow` to `until + extendWindow` (as /outages/alerts); events are built per entity
   * (in the order the entities' first alerts come), optionally merged across series (`overall`),
   * ordered (stable ascending sort; `desc` reverses it, as array_reverse does), then paginated.
   */
  function outagesEvents(bag, now) {
    const env = envelope('outages.events', bag, [
      ['from', 'string', null], ['until', 'string', null], ['datasource', 'string', null], ['includeAlerts', 'bool', false],
      ['format', 'string', 'codf'], ['limit', 'int', DEFAULT_ALERT_LIMIT], ['page', 'int', null], ['relatedTo', 'string', null],
      ['entityType', 'string', null], ['entityCode', 'string', null], ['orderBy', 'string', null], ['overall', 'bool', false],
      ['ignoreMethods', 'string', null], ['extendWindow', 'int', 1209600],
    ], now);
    const p = env.requestParameters;
    const from = parseTimestamp(p.from);
    const until = parseTimestamp(p.until);
    let relatedTo;
    let orderBy;
    try {
      orderBy = parseOrderBy(p.orderBy, ['time', 'asc']);
      relatedTo = parseRelatedTo(p.relatedTo);
    } catch (e) {
      return fail(env, e.message);
    }
    const msg = sanitize(from, until, p.datasource, p.limit, p.page, bag.has('limit'), p.format);
    if (msg) return fail(env, msg);
    const ext = Math.max(0, p.extendWindow ?? 0);
    const list = findAlerts({ from: from - ext, until: until + ext, entityType: p.entityType, entityCode: p.entityCode, datasource: p.datasource, relatedTo, ignoreMethods: p.ignoreMethods });
    const groups = new Map();
    for (const a of list) {
      const key = a.entity.type + a.entity.code;
      (groups.get(key) ?? groups.set(key, []).get(key)).push(a);
    }
    let events = [];
    for (const group of groups.values()) {
      const order = new Map();
      for (const a of group) {
        const id = a.fqid + '|' + a.entity.type + '|' + a.entity.code;
        if (!order.has(id)) order.set(id, order.size);
      }
      const evs = buildEvents(group, from, until).sort((a, b) => order.get(a.id) - order.get(b.id));
      events.push(...(p.overall ? mergeOverlapping(evs) : evs));
    }
    const [attr, dir] = orderBy;
    const name = (ev) => ev.alerts[0].entity.name;
    const cmp = { time: (a, b) => a.from - b.from, score: (a, b) => a.acc - b.acc, name: (a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0) }[attr];
    events.sort(cmp);
    if (dir === 'desc') events.reverse();
    if (p.limit) events = events.slice(p.limit * (p.page ?? 0), p.limit * (p.page ?? 0) + p.limit);
    return ok(env, events.map((ev) => normalizeEvent(ev, p.format, p.includeAlerts)));
  }

  function outagesSummary(bag, now) {
    const env = envelope('outages.summary', bag, [
      ['from', 'string', null], ['until', 'string', null], ['limit', 'int', DEFAULT_ALERT_LIMIT], ['page', 'int', null],
      ['relatedTo', 'string', null], ['entityType', 'string', null], ['entityCode', 'string', null], ['orderBy', 'string', null],
      ['ignoreMethods', 'string', null], ['extendWindow', 'int', 1209600],
    ], now);
    const p = env.requestParameters;
    const from = parseTimestamp(p.from);
    const until = parseTimestamp(p.until);
    const msg = sanitize(from, until, null, p.limit, p.page, bag.has('limit'));
    if (msg) return fail(env, msg);
    let relatedTo;
    try {
      relatedTo = parseRelatedTo(p.relatedTo);
    } catch (e) {
      return fail(env, e.message);
    }
    // The recorded sample answers its own query (Santa Clara county).
    if (p.entityType === 'county' && p.entityCode === '2159') return ok(env, data.ioda.summarySample.data);
    const list = findAlerts({ from: from - (p.extendWindow ?? 0), until, entityType: p.entityType, entityCode: p.entityCode, datasource: null, relatedTo, ignoreMethods: p.ignoreMethods });
    const per = new Map();
    for (const ev of buildEvents(list, from, until)) {
      const e = ev.alert.entity;
      const key = e.type + '/' + e.code;
      const row = per.get(key) ?? { scores: {}, event_cnt: 0, entity: publicEntity(e) };
      const sk = `${ev.alert.datasource}.${ev.alert.method}`;
      row.scores[sk] = (row.scores[sk] ?? 0) + ev.score;
      row.event_cnt++;
      per.set(key, row);
    }
    let rows = [...per.values()].map((r) => ({ ...r, scores: { ...r.scores, overall: Object.values(r.scores).reduce((s, v) => s + v, 0) } }));
    const [attr, dir] = (p.orderBy ?? 'score/desc').split('/');
    const sign = (dir ?? 'asc') === 'desc' ? -1 : 1;
    rows.sort((a, b) => sign * (attr === 'name' ? a.entity.name.localeCompare(b.entity.name) : a.scores.overall - b.scores.overall));
    if (p.limit) rows = rows.slice(p.limit * (p.page ?? 0), p.limit * (p.page ?? 0) + p.limit);
    return ok(env, rows);
  }

  function signalsRaw(bag, now, entityType, entityCode) {
    const env = envelope('signals', bag, [
      ['from', 'string', null], ['until', 'string', null], ['datasource', 'string', null], ['sourceParams', 'string', null], ['maxPoints', 'int', null],
    ], now);
    const p = env.requestParameters;
    const from = parseTimestamp(p.from);
    const until = parseTimestamp(p.until);
    if (from === null) return fail(env, "'from' timestamp must be set");
    if (until === null) return fail(env, "'until' timestamp must be set");
    if (from > until) return fail(env, "'from' must be earlier than 'until'");
    if (until - from > 100 * 86400) return fail(env, 'Time range must be at most 100 days');
    const sample = data.ioda.signalSamples[p.datasource];
    if (sample && entityType === 'asn' && entityCode === '1299') {
      return ok({ ...env, perf: sample.perf }, sample.data); // replay of the recorded responses
    }
    if (p.datasource && !datasources.includes(p.datasource)) return fail(env, `invalid datasource ${p.datasource} (must be one of the following [${datasources.join(', ')}])`);
    const ent = entities.find((e) => e.type === entityType && e.code === entityCode);
    if (!ent) return ok(env, [[]]);
    // Google's transparency report is per place: IODA has no gtr series for an AS.
    const dss = (p.datasource ? [p.datasource] : datasources).filter((ds) => ds !== 'gtr' || ent.type !== 'asn');
    const series = dss.map((ds) => {
      const native = NATIVE_STEP[ds];
      let step = native;
      if (p.maxPoints) while ((until - from) / step > p.maxPoints) step *= 2;
      const start = Math.floor(from / step) * step;
      return { entityType, entityCode, entityName: ent.name, entityFqid: ent.attrs.fqid, datasource: ds, subtype: '', from: start, until, step, nativeStep: native, values: signalValues(ent, ds, start, until, step, now) };
    });
    return ok({ ...env, perf: dss.map((ds) => ({ datasource: ds, backend: 'influxv2', timeUsed: 0.01 })) }, [series]);
  }

  /**
   * One synthetic series: the level the entity's alerts give as history (their median) (seeded when it has none), a daily
   * wave, and, from each outage alert until its series' next alert, the alert's own value: the dip IODA
   * alerted on. Some bins of the probing and telescope signals are null, as IODA's are, and bins not yet
   * complete at "now" are null.
   */
  function signalValues(ent, ds, start, until, step, now) {
    const own = alerts.filter((a) => a.entity === ent && a.datasource === ds).sort((a, b) => a.time - b.time);
    const bySeries = new Map();
    for (const a of own) (bySeries.get(a.fqid) ?? bySeries.set(a.fqid, []).get(a.fqid)).push(a);
    const dips = [];
    for (const list of bySeries.values()) {
      list.forEach((a, i) => {
        if (a.level !== 'normal') dips.push({ from: a.time, until: list[i + 1]?.time ?? Infinity, value: a.value });
      });
    }
    const seed = [...(ent.code + ds)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    const history = own.map((a) => a.historyValue).filter((v) => v > 0).sort((a, b) => a - b);
    const base = history.length ? history[Math.floor(history.length / 2)] : 50 + (seed % 5000);
    const wave = { bgp: 0.004, 'ping-slash24': 0.04, 'merit-nt': 0.12, gtr: 0.35 }[ds] ?? 0.05;
    const nullEvery = { 'ping-slash24': 83, 'merit-nt': 47 }[ds] ?? 0;
    const values = [];
    for (let t = start; t < until; t += step) {
      const bin = Math.floor(t / step);
      if (t + step > now || (nullEvery && ((bin * 2654435761 + seed) >>> 0) % nullEvery === 0)) {
        values.push(null);
        continue;
      }
      const dip = dips.find((d) => t >= d.from && t < d.until);
      const daily = 1 + wave * Math.sin(((t / 86400) * 2 + (seed % 7) / 7) * Math.PI);
      values.push(Math.round((dip ? dip.value : base) * daily));
    }
    return values;
  }

  /** The retired ioda.caida.org alerts API (watchtower.alerts). */
  function legacyAlerts(bag) {
    const human = bag.has('human') ? bag.bool('human') : false;
    const annotate = bag.has('annotateMeta') ? bag.bool('annotateMeta') : false;
    const meta = bag.string('meta') ?? null;
    const queryParameters = { human, level: [], from: bag.string('from') ?? null, until: bag.string('until') ?? null, expression: [], queryExpression: [], fqid: [], name: [], meta: meta === null ? null : [meta], limit: null, annotateMeta: annotate };
    const from = parseTimestamp(queryParameters.from);
    const until = parseTimestamp(queryParameters.until);
    const err = from === null ? "'from' parameter must be set (Unix timestamp)" : until === null ? "'until' parameter must be set (Unix timestamp)" : null;
    if (err) return json(400, { type: 'watchtower.alerts', error: err, queryParameters, data: null });
    const [mType, mCode] = meta ? meta.split('/') : [null, null];
    const rows = [];
    for (const a of data.ioda.legacySample.data.alerts) rows.push(a);
    for (const a of alerts) {
      const e = a.entity;
      const legacy = { fqid: a.fqid, time: a.time, level: a.level, method: a.datasource === 'bgp' ? 'last_value' : 'median' };
      if (a.level !== 'normal') {
        legacy.condition = a.level === 'critical' ? '< historical * 0.5' : '< historical * 0.99';
        legacy.value = a.value;
        legacy.historyValue = a.historyValue;
      }
      legacy.metaType = e.type;
      legacy.metaCode = e.code;
      const attrs = e.type === 'region' ? { fqid: e.attrs.fqid, country_name: e.attrs.country_name, country_code: e.attrs.country_code } : e.type === 'asn' ? { fqid: e.attrs.fqid, org: e.attrs.org, ip_count: e.attrs.ip_count, name: e.attrs.name } : { fqid: e.attrs.fqid };
      legacy.meta = { name: e.type === 'asn' ? `AS${e.code} (${e.attrs.org})` : e.name, attrs };
      rows.push(legacy);
    }
    const out = rows
      .filter((a) => a.time >= from && a.time <= until && (!mType || (a.metaType === mType && (!mCode || a.metaCode === mCode))))
      .sort((a, b) => a.time - b.time)
      .map((a) => {
        if (annotate) return a;
        const { meta: _m, ...rest } = a;
        return rest;
      });
    return json(200, { type: 'watchtower.alerts', error: null, queryParameters, data: { alerts: out } });
  }

  async function handle(req) {
    const now = Math.floor(clock() / 1000);
    const bag = new Bag(req.rawQuery);
    const path = req.path.replace(/\/+$/, '') || '/';
    const notFound = () => json(404, { type: 'https://tools.ietf.org/html/rfc2616#section-10', title: 'An error occurred', status: 404, detail: `No route found for "${req.method} ${req.path}"` });
    const routes = {
      '/v2/outages/alerts': () => outagesAlerts(bag, now),
      '/v2/outages/events': () => outagesEvents(bag, now),
      '/v2/outages/summary': () => outagesSummary(bag, now),
      '/v2/entities/query': () => entitiesQuery(bag, now),
      '/ioda/data/alerts': () => legacyAlerts(bag),
    };
    const sig = /^\/v2\/signals\/raw\/([^/]+)\/([^/]+)$/.exec(path);
    const route = routes[path] ?? (sig ? () => signalsRaw(bag, now, decodeURIComponent(sig[1]), decodeURIComponent(sig[2])) : null);
    if (!route) return notFound();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return json(405, { type: 'https://tools.ietf.org/html/rfc2616#section-10', title: 'An error occurred', status: 405, detail: `No route found for "${req.method} ${req.path}": Method Not Allowed (Allow: GET)` }, 'application/json', { Allow: 'GET' });
    }
    return route();
  }

  return { name: 'ioda', handle, errorBody };
}
