// Tests of the mock itself: `node --test tests/mock/`.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMock, HUGE_BYTES } from './server.mjs';
import { generate } from './fixtures.mjs';
import { queryCost } from './services/spamhaus.mjs';

const ANCHOR = 1795392000; // a fixed hour, so counts are stable
let mock;
let dist;

const get = (url, headers = {}) => fetch(url, { headers });
const getJson = async (url, headers = {}) => {
  const r = await get(url, headers);
  return { status: r.status, headers: r.headers, body: await r.json() };
};
const post = (url, body, headers = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const control = (route, body) => post(`${mock.urls.spoofer}/__mock${route}`, body ?? {});
const fault = async (f) => {
  const r = await control('/fault', f);
  assert.equal(r.status, 201, await r.text());
};

before(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-dist-'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>NetLens</title>');
  fs.writeFileSync(path.join(dist, '404.html'), '<!doctype html><title>NetLens 404 boot</title>');
  fs.writeFileSync(path.join(dist, 'netlens_bg.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dist, 'netlens.js'), 'export default 1;');
  fs.writeFileSync(path.join(dist, 'style.css'), 'body{}');
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  mock = await startMock({ port: 0, dist, anchor: ANCHOR });
});
after(async () => {
  await mock?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('fixtures', () => {
  test('same anchor, same data; real samples included', () => {
    const a = generate({ anchor: ANCHOR });
    const b = generate({ anchor: ANCHOR });
    assert.deepEqual(a, b);
    assert.ok(a.spoofer.sessions.some((s) => s.session === 891176 && s.client4 === '4.30.179.0/24'));
    assert.ok(a.spoofer.sessions.some((s) => s.session === 894351));
    assert.ok(a.grip.events.some((e) => e.id === 'moas-1691663100-328892_60064'));
    assert.ok(a.ioda.alerts.some((x) => x.entity.code === '36040' && x.time === 1691625600));
    assert.ok(a.spamhaus.records.some((r) => r.ipaddress === '179.108.187.53' && r.listed === 1663178006));
  });

  test('sizes and default windows contain data', () => {
    const d = generate({ anchor: ANCHOR });
    assert.ok(d.spoofer.sessions.length >= 1100 && d.spoofer.sessions.length <= 1300);
    assert.ok(d.grip.events.length >= 2300 && d.grip.events.length <= 2700);
    assert.ok(d.ioda.alerts.length >= 1800 && d.ioda.alerts.length <= 2300);
    const day = ANCHOR - 86400;
    assert.ok(d.spoofer.sessions.filter((s) => Date.parse(s.timestamp) / 1000 > day).length > 10);
    assert.ok(d.grip.events.filter((e) => e.view_ts > day).length > 20);
    assert.ok(d.ioda.alerts.filter((a) => a.time > day).length > 40);
    for (const asn of ['3356', '1299', '3320', '7018']) assert.ok(d.spoofer.sessions.filter((s) => s.asn4 === asn || s.asn6 === asn).length > 60, asn);
    const ids = d.spoofer.sessions.map((s) => s.session);
    assert.deepEqual(ids, ids.slice().sort((x, y) => x - y), 'sessions ascend by id');
    const cidr = d.spamhaus.records.filter((r) => r.ipaddress.startsWith('45.150.206.'));
    assert.ok(cidr.length >= 35 && cidr.some((r) => r.valid_until < ANCHOR) && cidr.some((r) => r.valid_until > ANCHOR));
    assert.ok(!d.spamhaus.records.some((r) => r.ipaddress.startsWith('192.0.2.')));
  });
});

describe('spoofer', () => {
  test('Hydra collection envelope and paging across pages with next links', async () => {
    const { status, headers, body } = await getJson(`${mock.urls.spoofer}/sessions?asn=3356`, { Accept: 'application/ld+json' });
    assert.equal(status, 200);
    assert.match(headers.get('content-type'), /^application\/ld\+json/);
    assert.equal(headers.get('access-control-allow-origin'), '*');
    assert.equal(body['@context'], '/contexts/Session');
    assert.equal(body['@id'], '/sessions');
    assert.equal(body['@type'], 'hydra:Collection');
    assert.equal(body['hydra:member'].length, 30);
    assert.equal(body['hydra:view']['@type'], 'hydra:PartialCollectionView');
    assert.equal(body['hydra:view']['@id'], '/sessions?asn=3356&page=1');
    assert.equal(body['hydra:view']['hydra:next'], '/sessions?asn=3356&page=2');
    assert.ok(body['hydra:search']['hydra:mapping'].length > 5);
    const expected = mock.data.spoofer.sessions.filter((s) => s.asn4 === '3356' || s.asn6 === '3356');
    assert.equal(body['hydra:totalItems'], expected.length);
    const seen = [...body['hydra:member']];
    let next = body['hydra:view']['hydra:next'];
    let pages = 1;
    while (next) {
      const page = await getJson(mock.urls.spoofer + next, { Accept: 'application/ld+json' });
      seen.push(...page.body['hydra:member']);
      assert.ok(page.body['hydra:view']['hydra:previous']);
      next = page.body['hydra:view']['hydra:next'];
      pages++;
    }
    assert.ok(pages >= 4);
    assert.deepEqual(seen.map((s) => s.session), expected.map((s) => s.session));
  });

  test('asn[] and timestamp filters come back in links the PHP way', async () => {
    const { body } = await getJson(`${mock.urls.spoofer}/sessions?timestamp%5Bafter%5D=1%20May%202020&asn%5B%5D=3356&asn%5B%5D=1299`);
    assert.equal(body['hydra:view']['hydra:next'], '/sessions?timestamp%5Bafter%5D=1%20May%202020&asn%5B0%5D=3356&asn%5B1%5D=1299&page=2');
    const iso = await getJson(`${mock.urls.spoofer}/sessions?timestamp[after]=2020-05-01&asn[]=3356&asn[]=1299`);
    assert.equal(iso.body['hydra:totalItems'], body['hydra:totalItems']);
    const strict = await getJson(`${mock.urls.spoofer}/sessions?timestamp[strictly_before]=2020-05-08&asn=3356`);
    assert.deepEqual(strict.body['hydra:member'].map((s) => s.session), [891176]);
    assert.equal(strict.body['hydra:view']['@id'], '/sessions?timestamp%5Bstrictly_before%5D=2020-05-08&asn=3356');
    assert.equal(strict.body['hydra:view']['hydra:next'], undefined);
    const bad = await getJson(`${mock.urls.spoofer}/sessions?timestamp[after]=not-a-date&asn=3356`);
    assert.equal(bad.body['hydra:totalItems'], 130, 'unparseable dates are ignored like API Platform does');
  });

  test('country, session[gt], order and itemsPerPage (ignored)', async () => {
    const { body } = await getJson(`${mock.urls.spoofer}/sessions?country=nor&itemsPerPage=500`);
    assert.ok(body['hydra:member'].length <= 30);
    assert.ok(body['hydra:member'].every((s) => s.country === 'nor'));
    const upper = await getJson(`${mock.urls.spoofer}/sessions?country=NOR`);
    assert.equal(upper.body['hydra:totalItems'], 0, 'exact, case-sensitive match');
    const gt = await getJson(`${mock.urls.spoofer}/sessions?session[gt]=894351`);
    assert.equal(gt.body['hydra:totalItems'], mock.data.spoofer.sessions.length - 2);
    const desc = await getJson(`${mock.urls.spoofer}/sessions?order[timestamp]=desc`);
    const ts = desc.body['hydra:member'].map((s) => Date.parse(s.timestamp));
    assert.deepEqual(ts, ts.slice().sort((a, b) => b - a));
  });

  test('plain JSON array with Accept: application/json', async () => {
    const { headers, body } = await getJson(`${mock.urls.spoofer}/sessions?asn=3356&page=2`, { Accept: 'application/json' });
    assert.match(headers.get('content-type'), /^application\/json/);
    assert.ok(Array.isArray(body));
    assert.equal(body.length, 30);
    assert.equal(body[0]['@id'], undefined);
  });

  test('item, 404 Hydra error, page 0 error, 406', async () => {
    const item = await getJson(`${mock.urls.spoofer}/sessions/894351`);
    assert.equal(item.body['@context'], '/contexts/Session');
    assert.equal(item.body.client4, '8.9.89.0/24');
    const missing = await getJson(`${mock.urls.spoofer}/sessions/1`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { '@context': '/contexts/Error', '@type': 'hydra:Error', 'hydra:title': 'An error occurred', 'hydra:description': 'Not Found' });
    const zero = await getJson(`${mock.urls.spoofer}/sessions?page=0`);
    assert.equal(zero.status, 400);
    assert.equal(zero.body['hydra:description'], 'Page should not be less than 1');
    const beyond = await getJson(`${mock.urls.spoofer}/sessions?asn=3356&page=99`);
    assert.equal(beyond.body['hydra:member'].length, 0);
    assert.equal((await get(`${mock.urls.spoofer}/sessions`, { Accept: 'application/xml' })).status, 406);
  });
});

describe('grip', () => {
  test('events envelope, filters and offset paging', async () => {
    const { status, body } = await getJson(`${mock.urls.grip}/events?event_type=moas&min_susp=80&max_susp=100&length=10`);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['copyright', 'data', 'draw', 'recordsFiltered', 'recordsTotal']);
    assert.equal(body.draw, null);
    assert.equal(body.recordsFiltered, 0);
    assert.match(body.copyright, /Georgia Tech/);
    assert.equal(body.data.length, 10);
    const expected = mock.data.grip.events.filter((e) => e.event_type === 'moas' && e.position !== 'FINISHED' && e.summary.inference_result.primary_inference && e.summary.inference_result.primary_inference.suspicion_level >= 80);
    assert.equal(body.recordsTotal, expected.length);
    assert.ok(body.data.every((e) => e.event_type === 'moas' && e.summary.inference_result.primary_inference.suspicion_level >= 80));
    const ts = body.data.map((e) => e.view_ts);
    assert.deepEqual(ts, ts.slice().sort((a, b) => b - a));
    const p2 = await getJson(`${mock.urls.grip}/events?event_type=moas&min_susp=80&length=10&start=10`);
    assert.deepEqual(p2.body.data.map((e) => e.id), expected.slice(10, 20).map((e) => e.id));
    // trimmed by default, full is presence-based
    assert.equal(body.data[0].pfx_events[0].details, undefined);
    assert.deepEqual(body.data[0].debug, {});
    const full = await getJson(`${mock.urls.grip}/events?event_type=moas&length=1&full=false`);
    assert.equal(typeof full.body.data[0].pfx_events[0].details.aspaths, 'string');
    assert.match(full.body.data[0]._esid, /^observatory-v4-query-events-moas-\d{4}-\d{2}$/);
  });

  test('time formats, asns negation, durations', async () => {
    const day = new Date((ANCHOR - 86400) * 1000).toISOString();
    const hm = day.slice(0, 16);
    const a = await getJson(`${mock.urls.grip}/events?ts_start=${hm}`);
    const b = await getJson(`${mock.urls.grip}/events?ts_start=${encodeURIComponent(hm.replace('T', ' ') + ':00')}`);
    const c = await getJson(`${mock.urls.grip}/events?ts_start=${(ANCHOR - 86400) * 1000}`);
    const all = await getJson(`${mock.urls.grip}/events`);
    assert.equal(a.body.recordsTotal, b.body.recordsTotal);
    assert.equal(a.body.recordsTotal, c.body.recordsTotal);
    assert.ok(a.body.recordsTotal > 0 && a.body.recordsTotal < all.body.recordsTotal);
    const ignored = await getJson(`${mock.urls.grip}/events?ts_start=${hm}:00`);
    assert.equal(ignored.body.recordsTotal, all.body.recordsTotal, 'YYYY-MM-DDTHH:MM:SS does not parse: bound ignored');
    const neg = await getJson(`${mock.urls.grip}/events?asns=3356,!64496&length=50`);
    assert.ok(neg.body.data.every((e) => e.summary.ases.includes('3356') && !e.summary.ases.includes('64496')));
    const dur = await getJson(`${mock.urls.grip}/events?min_duration=3600&length=50`);
    assert.ok(dur.body.data.every((e) => e.duration !== null && e.duration >= 3600));
  });

  test('result window and bad list items are 500 {"error"}', async () => {
    const r = await getJson(`${mock.urls.grip}/events?start=9950&length=100`);
    assert.equal(r.status, 500);
    assert.match(r.body.error, /Result window is too large/);
    assert.equal((await getJson(`${mock.urls.grip}/events?asns=`)).status, 500);
  });

  test('event by id, pfx_event, 400/404', async () => {
    const ok = await getJson(`${mock.urls.grip}/event/id/moas-1691663100-328892_60064`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.view_ts, 1691663100);
    assert.deepEqual(ok.body.summary.victims, ['34467']);
    assert.equal(ok.body.pfx_events[0].prefix, '196.22.132.0/24');
    assert.equal((await getJson(`${mock.urls.grip}/event/id/moas-abc-1_2`)).status, 400);
    assert.equal((await getJson(`${mock.urls.grip}/event/id/edges-1691663100-5_5`)).status, 400);
    assert.equal((await getJson(`${mock.urls.grip}/event/id/moas-9999999999-1_2`)).status, 400);
    const nf = await getJson(`${mock.urls.grip}/event/id/moas-1691663100-1_2`);
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.body, { error: 'The requested event was not found' });
    const pfx = await getJson(`${mock.urls.grip}/pfx_event/id/moas-1691663100-328892_60064/196.22.132.0-24`);
    assert.equal(pfx.status, 200);
    assert.equal(pfx.body.details.prefix, '196.22.132.0/24');
    assert.equal((await getJson(`${mock.urls.grip}/pfx_event/id/moas-1691663100-328892_60064/196.22.132.0-24_1.0.0.0-8`)).status, 400);
    assert.equal((await getJson(`${mock.urls.grip}/pfx_event/id/moas-1691663100-328892_60064/196.22.132.1-24`)).status, 400);
    assert.equal((await getJson(`${mock.urls.grip}/pfx_event/id/moas-1691663100-328892_60064/10.0.0.0-24`)).status, 404);
    const sub = mock.data.grip.events.find((e) => e.event_type === 'submoas');
    const pe = sub.pfx_events[0].details;
    const fp = `${pe.sub_pfx}_${pe.super_pfx}`.replace(/\//g, '-');
    assert.equal((await getJson(`${mock.urls.grip}/pfx_event/id/${sub.id}/${fp}`)).status, 200);
  });

  test('/json/... answers 301 to an absolute /v1/json/... on its own host, query kept; /v1/json/... is served', async () => {
    await control('/reset');
    const q = 'event_type=moas&asns=3356,!64496&length=2';
    const r = await fetch(`${mock.urls.grip}/events?${q}`, { redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `http://127.0.0.1:${mock.ports.grip}/v1/json/events?${q}`);
    assert.match(await r.text(), /Redirecting/);
    const served = await getJson(r.headers.get('location'));
    assert.equal(served.status, 200);
    assert.equal(served.body.data.length, 2);
    for (const p of ['/json/event/id/moas-1691663100-328892_60064', '/json/tags', '/json']) {
      const hop = await fetch(`http://127.0.0.1:${mock.ports.grip}${p}`, { redirect: 'manual' });
      assert.equal(hop.status, 301, p);
      assert.equal(hop.headers.get('location'), `http://127.0.0.1:${mock.ports.grip}/v1${p}`);
    }
    assert.equal((await getJson(`http://127.0.0.1:${mock.ports.grip}/v1/json/event/id/moas-1691663100-328892_60064`)).status, 200);
    assert.equal((await getJson(`http://127.0.0.1:${mock.ports.grip}/v1/json/nope`)).status, 404);
    assert.equal((await getJson(`http://127.0.0.1:${mock.ports.grip}/v2/json/events`)).status, 404);
    // The log shows both hops under the service's route; the hop names where it sent the client.
    const log = await (await get(`${mock.urls.spoofer}/__mock/requests?service=grip`)).json();
    assert.equal(log[0].path, '/json/events');
    assert.equal(log[0].status, 301);
    assert.equal(log[0].redirect, `http://127.0.0.1:${mock.ports.grip}/v1/json/events?${q}`);
    assert.equal(log[1].path, '/json/events');
    assert.equal(log[1].url, `/v1/json/events?${q}`);
    assert.equal(log[1].status, 200);
    // A fault on /json/events meets the served request, not the redirect.
    await fault({ service: 'grip', path: '/json/events', kind: 'status', status: 503, times: 1 });
    const hop = await fetch(`${mock.urls.grip}/events`, { redirect: 'manual' });
    assert.equal(hop.status, 301);
    assert.equal((await fetch(`${mock.urls.grip}/events`)).status, 503);
    assert.equal((await fetch(`${mock.urls.grip}/events`)).status, 200);
  });

  test('no CORS headers on answers, redirects or preflights (Flask answers OPTIONS itself), unless a cors fault adds them', async () => {
    await control('/reset');
    const noCors = (r, what) => {
      for (const [k] of r.headers) assert.ok(!k.startsWith('access-control-'), `${what}: ${k}`);
    };
    const origin = { Origin: 'http://127.0.0.1:1' };
    noCors(await fetch(`${mock.urls.grip}/events?length=1`, { headers: origin, redirect: 'manual' }), 'redirect');
    noCors(await fetch(`${mock.urls.grip}/events?length=1`, { headers: origin }), 'answer');
    noCors(await fetch(`${mock.urls.grip}/event/id/moas-1-1_2`, { headers: origin }), 'error');
    const pre = await fetch(`http://127.0.0.1:${mock.ports.grip}/v1/json/events`, { method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-requested-with' } });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('allow'), 'GET, HEAD, OPTIONS');
    noCors(pre, 'preflight');
    await fault({ service: 'grip', kind: 'cors' });
    const hop = await fetch(`${mock.urls.grip}/events?length=1`, { headers: origin, redirect: 'manual' });
    assert.equal(hop.headers.get('access-control-allow-origin'), '*');
    const ok = await fetch(`${mock.urls.grip}/events?length=1`, { headers: origin });
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    await control('/reset');
  });

  test('events have real weight: ~9 KB each trimmed, so a 1,000-event page is ~9 MB', async () => {
    const t0 = Date.now();
    const r = await get(`${mock.urls.grip}/events?length=1000`);
    const bytes = Buffer.byteLength(await r.text());
    const first = Date.now() - t0;
    assert.equal(r.status, 200);
    const perEvent = bytes / 1000;
    assert.ok(perEvent >= 7500 && perEvent <= 11000, `${perEvent} bytes per event`);
    // The weight is per-AS info for every AS on the paths (asinfo), as the real answers carry it.
    const { body } = await getJson(`${mock.urls.grip}/events?length=100`);
    const asinfo = body.data.map((e) => Object.keys(e.asinfo).length).sort((a, b) => a - b);
    assert.ok(asinfo[50] >= 15, `median asinfo entries ${asinfo[50]}`);
    for (const e of body.data) for (const a of e.summary.ases) assert.ok(a in e.asinfo, `${e.id}: asinfo for ${a}`);
    const full = await getJson(`${mock.urls.grip}/events?length=20&full`);
    const paths = full.body.data.map((e) => e.pfx_events[0].details.aspaths ?? e.pfx_events[0].details.super_aspaths);
    assert.ok(paths.every((p) => p.split(':').length >= 4), 'collector paths to each origin');
    // Pages are joined from cached events: the second ask is quicker than the first.
    const t1 = Date.now();
    await (await get(`${mock.urls.grip}/events?length=1000`)).text();
    assert.ok(Date.now() - t1 <= Math.max(first, 1500), `cached page took ${Date.now() - t1} ms (first ${first} ms)`);
  });

  test('tags, blocklist, asndrop, unknown path', async () => {
    const tags = await getJson(`${mock.urls.grip}/tags`);
    assert.ok(tags.body.definitions['all-newcomers'].definition);
    assert.ok(Array.isArray(tags.body.tr_worthy));
    assert.ok(Array.isArray((await getJson(`${mock.urls.grip}/blocklist`)).body.blocklist));
    assert.ok(Array.isArray((await getJson(`${mock.urls.grip}/asndrop`)).body.asndrop));
    const nf = await getJson(`${mock.urls.grip}/nope`);
    assert.equal(nf.status, 404);
    assert.ok(nf.body.error);
  });
});

describe('ioda', () => {
  const from = ANCHOR - 7 * 86400;
  test('alerts envelope, order and 0-based paging', async () => {
    const { status, body } = await getJson(`${mock.urls.ioda}/outages/alerts?from=${from}&until=${ANCHOR}&limit=50`);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['type', 'metadata', 'requestParameters', 'error', 'perf', 'data', 'copyright']);
    assert.equal(body.type, 'outages.alerts');
    assert.equal(body.error, null);
    assert.equal(body.requestParameters.from, String(from));
    assert.equal(body.requestParameters.limit, 50);
    assert.equal(body.data.length, 50);
    const times = body.data.map((a) => a.time);
    assert.deepEqual(times, times.slice().sort((a, b) => a - b));
    const p1 = await getJson(`${mock.urls.ioda}/outages/alerts?from=${from}&until=${ANCHOR}&limit=50&page=1`);
    assert.ok(p1.body.data[0].time >= times.at(-1));
    const filtered = await getJson(`${mock.urls.ioda}/outages/alerts?from=0&until=${ANCHOR}&entityType=asn&entityCode=3307,36040&datasource=bgp&ignoreMethods=*.sarima`);
    assert.ok(filtered.body.data.length > 0);
    assert.ok(filtered.body.data.every((a) => a.datasource === 'bgp' && a.method !== 'sarima' && ['3307', '36040'].includes(a.entity.code)));
  });

  test('400s', async () => {
    const cases = [
      [`from=&until=${ANCHOR}`, "'from' timestamp must be set"],
      [`from=${from}000&until=${ANCHOR}`, "'from' timestamp must be set"],
      [`from=${from}`, "'until' timestamp must be set"],
      [`from=${from}&until=${ANCHOR}&page=1`, 'limit also needs to be set if page is set'],
      [`from=${from}&until=${ANCHOR}&datasource=ucsd-nt`, /invalid datasource/],
    ];
    for (const [q, msg] of cases) {
      const r = await getJson(`${mock.urls.ioda}/outages/alerts?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.data, null);
      if (msg instanceof RegExp) assert.match(r.body.error, msg);
      else assert.equal(r.body.error, msg);
    }
  });

  test('entities query', async () => {
    const s = await getJson(`${mock.urls.ioda}/entities/query?search=norway`);
    assert.equal(s.body.type, 'entities.lookup');
    assert.equal(s.body.data[0].code, 'NO');
    const asn = await getJson(`${mock.urls.ioda}/entities/query?entityType=asn&entityCode=3307`);
    assert.equal(asn.body.data[0].name, 'AS3307 (BANETELE-NORWAY)');
    const us = await getJson(`${mock.urls.ioda}/entities/query?entityType=country&entityCode=US`);
    assert.equal(us.body.data[0].name, 'United States');
    const both = await getJson(`${mock.urls.ioda}/entities/query?entityCode=NO&search=nor`);
    assert.equal(both.status, 400);
    const paged = await getJson(`${mock.urls.ioda}/entities/query?entityType=country&limit=5&page=1`);
    assert.equal(paged.body.data.length, 5);
  });

  test('legacy dialect, summary and signals', async () => {
    const legacy = await getJson(`${mock.urls.iodaLegacy}/data/alerts?from=${ANCHOR - 86400}&until=${ANCHOR}&annotateMeta=true&human=true&meta=country`);
    assert.equal(legacy.body.type, 'watchtower.alerts');
    const alerts = legacy.body.data.alerts;
    assert.ok(alerts.length > 0 && alerts.every((a) => a.metaType === 'country' && a.meta.name));
    assert.ok(alerts.filter((a) => a.level === 'normal').every((a) => !('condition' in a) && !('value' in a)));
    const sample = await getJson(`${mock.urls.iodaLegacy}/data/alerts?from=1570024940&until=1570072282&annotateMeta=true&human=true`);
    assert.equal(sample.body.data.alerts.length, 3);
    const sum = await getJson(`${mock.urls.ioda}/outages/summary?from=${from}&until=${ANCHOR}&entityType=country`);
    assert.equal(sum.body.type, 'outages.summary');
    assert.ok(sum.body.data.length > 0 && 'overall' in sum.body.data[0].scores);
    const sig = await getJson(`${mock.urls.ioda}/signals/raw/asn/1299?from=1727740800&until=1727827200&datasource=upstream-delay-penult-asns&maxPoints=3000`);
    assert.equal(sig.body.data[0][0].entityName, 'AS1299 (TWELVE99)');
  });
});

describe('ioda events', () => {
  const DAY = 86400;
  const from = ANCHOR - DAY;
  const events = (q) => getJson(`${mock.urls.ioda}/outages/events?${q}`);
  const CODF_KEYS = ['location', 'start', 'duration', 'uncertainty', 'method', 'datasource', 'status', 'fraction', 'score', 'location_name', 'overlaps_window'];

  test('envelope, requestParameters defaults and codf items', async () => {
    const { status, body } = await events(`from=${from}&until=${ANCHOR}`);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['type', 'metadata', 'requestParameters', 'error', 'perf', 'data', 'copyright']);
    assert.equal(body.type, 'outages.events');
    assert.equal(body.error, null);
    // OutagesController::events' parameters, in its order; orderBy's default (time/asc) is applied
    // by parseOrderBy, the echo keeps the parameter's own default (null), as for the summary.
    assert.deepEqual(body.requestParameters, {
      from: String(from), until: String(ANCHOR), datasource: null, includeAlerts: false, format: 'codf', limit: 500, page: null,
      relatedTo: null, entityType: null, entityCode: null, orderBy: null, overall: false, ignoreMethods: null, extendWindow: 1209600,
    });
    assert.ok(body.data.length > 10);
    const starts = body.data.map((e) => e.start);
    assert.deepEqual(starts, starts.slice().sort((a, b) => a - b), 'time/asc by default');
    for (const e of body.data) {
      assert.deepEqual(Object.keys(e), CODF_KEYS);
      assert.equal(e.uncertainty, null);
      assert.equal(e.status, 0);
      assert.equal(e.fraction, null);
      assert.match(e.location, /^(country|region|asn)\/[^/]+$/);
      assert.equal(typeof e.location_name, 'string');
      assert.ok(e.duration >= 0 && Number.isInteger(e.duration));
      assert.ok(e.start >= from - 1209600, 'alerts come from the extended window at most');
      assert.ok(e.start <= ANCHOR && e.start + e.duration <= ANCHOR);
      assert.ok(e.start + e.duration >= from, 'events ending before the window are dropped');
      assert.ok(e.score >= 0);
      assert.ok(mock.dataOf('ioda').datasources.includes(e.datasource));
      if (e.start < from) assert.equal(e.overlaps_window, true, 'started before from');
    }
  });

  test('an ongoing outage is closed at until and flagged overlaps_window', async () => {
    // A series whose last alert before the anchor is not normal: its outage is still going on.
    const last = new Map();
    for (const a of mock.dataOf('ioda').alerts) if (a.time <= ANCHOR) last.set(`${a.fqid}|${a.entity.type}|${a.entity.code}`, a);
    const ongoing = [...last.values()].filter((a) => a.level !== 'normal' && a.time > from);
    assert.ok(ongoing.length >= 3, 'the data set has ongoing outages at the anchor');
    const pick = ongoing[0];
    const { body } = await events(`from=${from}&until=${ANCHOR}&entityType=${pick.entity.type}&entityCode=${pick.entity.code}&datasource=${pick.datasource}`);
    assert.ok(body.data.length > 0);
    assert.ok(body.data.every((e) => e.location === `${pick.entity.type}/${pick.entity.code}` && e.datasource === pick.datasource), 'filtered');
    const open = body.data.find((e) => e.start + e.duration === ANCHOR);
    assert.ok(open, 'the ongoing event ends at until');
    assert.equal(open.overlaps_window, true);
    assert.ok(open.start <= pick.time && open.score > 0);
    // Closed events inside the window are not flagged.
    const all = await events(`from=${from}&until=${ANCHOR}`);
    assert.ok(all.body.data.some((e) => e.overlaps_window === false && e.start >= from && e.start + e.duration < ANCHOR));
    assert.ok(all.body.data.filter((e) => e.overlaps_window).length >= ongoing.length);
    // An earlier `until` closes the same outage there instead.
    const earlier = await events(`from=${from}&until=${ANCHOR - 60}&entityType=${pick.entity.type}&entityCode=${pick.entity.code}&datasource=${pick.datasource}`);
    assert.ok(earlier.body.data.some((e) => e.start + e.duration === ANCHOR - 60 && e.overlaps_window));
  });

  test('entityType/entityCode filter', async () => {
    const { body } = await events(`from=${ANCHOR - 30 * DAY}&until=${ANCHOR}&entityType=asn&entityCode=3307,36040`);
    assert.ok(body.data.length > 0);
    assert.ok(body.data.every((e) => ['asn/3307', 'asn/36040'].includes(e.location)));
    const countries = await events(`from=${from}&until=${ANCHOR}&entityType=country`);
    assert.ok(countries.body.data.length > 0 && countries.body.data.every((e) => e.location.startsWith('country/')));
  });

  test('orderBy, limit and page', async () => {
    const q = `from=${ANCHOR - 7 * DAY}&until=${ANCHOR}`;
    const byScore = await events(`${q}&orderBy=score/desc`);
    assert.equal(byScore.body.requestParameters.orderBy, 'score/desc');
    const scores = byScore.body.data.map((e) => e.score);
    assert.ok(scores.length > 20);
    assert.deepEqual(scores, scores.slice().sort((a, b) => b - a));
    const byName = await events(`${q}&orderBy=name`);
    const names = byName.body.data.map((e) => e.location_name);
    assert.deepEqual(names, names.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const full = await events(q);
    const page = await events(`${q}&limit=5&page=1`);
    assert.deepEqual(page.body.data, full.body.data.slice(5, 10), 'paginated after ordering');
    const top = await events(`${q}&orderBy=score/desc&limit=3`);
    assert.deepEqual(top.body.data, byScore.body.data.slice(0, 3));
  });

  test('format=ioda, includeAlerts and overall', async () => {
    const q = `from=${from}&until=${ANCHOR}&format=ioda`;
    const plain = await events(q);
    assert.equal(plain.body.requestParameters.format, 'ioda');
    assert.ok(plain.body.data.length > 0);
    for (const e of plain.body.data) {
      assert.deepEqual(Object.keys(e), ['entity', 'from', 'until', 'score', 'datasource', 'method']);
      assert.deepEqual(Object.keys(e.entity), ['code', 'name', 'type', 'subnames', 'attrs']);
      assert.ok(e.until >= e.from);
    }
    const withAlerts = await events(`${q}&includeAlerts`);
    assert.equal(withAlerts.body.requestParameters.includeAlerts, true, 'bare includeAlerts is true');
    for (const e of withAlerts.body.data) {
      assert.deepEqual(Object.keys(e), ['entity', 'from', 'until', 'score', 'alerts', 'datasource', 'method']);
      assert.ok(e.alerts.length > 0);
      assert.deepEqual(Object.keys(e.alerts[0]), ['datasource', 'entity', 'time', 'level', 'condition', 'value', 'historyValue', 'method']);
      assert.equal(e.alerts[0].time, e.from);
      assert.notEqual(e.alerts[0].level, 'normal');
      assert.ok(e.alerts.every((a) => a.entity.code === e.entity.code && a.datasource === e.datasource));
    }
    const falsy = await events(`${q}&includeAlerts=false`);
    assert.equal(falsy.body.requestParameters.includeAlerts, false);
    assert.ok(falsy.body.data.every((e) => !('alerts' in e)));
    // overall: one event per span of overlapping outages of an entity, across datasources
    const merged = await events(`from=${ANCHOR - 7 * DAY}&until=${ANCHOR}&format=ioda&overall&includeAlerts`);
    assert.equal(merged.body.requestParameters.overall, true);
    const perEntity = new Map();
    for (const e of merged.body.data) (perEntity.get(e.entity.type + e.entity.code) ?? perEntity.set(e.entity.type + e.entity.code, []).get(e.entity.type + e.entity.code)).push(e);
    for (const list of perEntity.values()) {
      for (let i = 1; i < list.length; i++) assert.ok(list[i].from > list[i - 1].until, 'merged events do not overlap');
    }
    const multi = merged.body.data.filter((e) => new Set(e.alerts.map((a) => a.datasource)).size > 1);
    assert.ok(multi.length > 0, 'some outages are seen by several datasources');
    assert.ok(multi.every((e) => e.datasource === 'overall'));
    const separate = await events(`from=${ANCHOR - 7 * DAY}&until=${ANCHOR}&format=ioda`);
    assert.ok(merged.body.data.length < separate.body.data.length);
  });

  test('400s', async () => {
    const cases = [
      [`from=${from}&until=${ANCHOR}&format=xml`, "invalid format xml (must be one of the following ['codf', 'ioda'])"],
      [`until=${ANCHOR}`, "'from' timestamp must be set"],
      [`from=${from}000&until=${ANCHOR}`, "'from' timestamp must be set"],
      [`from=${from}`, "'until' timestamp must be set"],
      [`from=${from}&until=${ANCHOR}&page=1`, 'limit also needs to be set if page is set'],
      [`from=${from}&until=${ANCHOR}&limit=0`, 'limit must be greater than 0'],
      [`from=${from}&until=${ANCHOR}&datasource=ucsd-nt`, /^invalid datasource ucsd-nt/],
      [`from=${from}&until=${ANCHOR}&orderBy=level`, "orderBy attribute must be in ['time', 'score', 'name']"],
      [`from=${from}&until=${ANCHOR}&orderBy=score/up`, 'orderBy order must be asc or desc'],
    ];
    for (const [q, msg] of cases) {
      const r = await events(q);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.type, 'outages.events');
      assert.equal(r.body.data, null);
      if (msg instanceof RegExp) assert.match(r.body.error, msg);
      else assert.equal(r.body.error, msg);
    }
  });
});

describe('ioda signals', () => {
  const DAY = 86400;
  const sig = (path, q) => getJson(`${mock.urls.ioda}/signals/raw/${path}${q === undefined ? '' : `?${q}`}`);

  test('from and until are required, ordered and at most 100 days apart', async () => {
    const cases = [
      ['', "'from' timestamp must be set"],
      [`from=${ANCHOR - DAY}`, "'until' timestamp must be set"],
      [`from=${ANCHOR}&until=${ANCHOR - DAY}`, "'from' must be earlier than 'until'"],
      [`from=${ANCHOR - 101 * DAY}&until=${ANCHOR}`, 'Time range must be at most 100 days'],
    ];
    for (const [q, msg] of cases) {
      const r = await sig('asn/3307', q);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.type, 'signals');
      assert.equal(r.body.error, msg);
      assert.equal(r.body.data, null);
    }
  });

  test('one series per datasource in the envelope, at the native step, with the outage as a dip', async () => {
    const { alerts } = mock.dataOf('ioda');
    // A critical BGP alert of an AS in the generated 30 days (not the recorded 2023 one), with no other
    // alert of its series in the 6 h before it.
    const pick = alerts.find((a, i) => {
      if (a.entity.type !== 'asn' || a.datasource !== 'bgp' || a.level !== 'critical' || a.time > ANCHOR - DAY || a.time < ANCHOR - 30 * DAY) return false;
      const before = alerts.slice(0, i).filter((b) => b.fqid === a.fqid && b.entity.code === a.entity.code && b.time > a.time - 6 * 3600);
      return before.length === 0;
    });
    assert.ok(pick, 'the data set has such an alert');
    const from = pick.time - 6 * 3600;
    const until = pick.time + 3600;
    const r = await sig(`asn/${pick.entity.code}`, `from=${from}&until=${until}&maxPoints=3000`);
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'signals');
    assert.equal(r.body.error, null);
    assert.deepEqual(Object.keys(r.body), ['type', 'metadata', 'requestParameters', 'error', 'perf', 'data', 'copyright']);
    assert.deepEqual(r.body.requestParameters, { from: String(from), until: String(until), datasource: null, sourceParams: null, maxPoints: 3000 });
    assert.equal(r.body.data.length, 1, 'one inner array per entity');
    const series = r.body.data[0];
    assert.deepEqual(series.map((s) => s.datasource), ['bgp', 'ping-slash24', 'merit-nt'], 'no gtr for an AS');
    assert.deepEqual(series.map((s) => s.step), [300, 600, 300]);
    for (const s of series) {
      assert.equal(s.entityType, 'asn');
      assert.equal(s.entityCode, pick.entity.code);
      assert.equal(s.entityName, pick.entity.name);
      assert.equal(s.entityFqid, `asn.${pick.entity.code}`);
      assert.equal(s.from % s.step, 0);
      assert.equal(s.values.length, Math.ceil((until - s.from) / s.step));
    }
    const bgp = series[0];
    const at = (t) => bgp.values[Math.floor((t - bgp.from) / bgp.step)];
    const before = at(pick.time - 3 * 3600);
    assert.ok(before > 0);
    assert.ok(at(pick.time) < before * 0.6, `dip ${at(pick.time)} vs ${before}`);
    // Coarser bins when maxPoints asks for fewer.
    const coarse = await sig(`asn/${pick.entity.code}`, `from=${from}&until=${until}&maxPoints=10`);
    assert.ok(coarse.body.data[0].every((s) => (until - from) / s.step <= 10));
  });

  test('gaps, places with Google traffic, bins not complete at now, unknown entities', async () => {
    const week = await sig('country/NO', `from=${ANCHOR - 7 * DAY}&until=${ANCHOR + 3600}`);
    const series = week.body.data[0];
    assert.deepEqual(series.map((s) => s.datasource), ['bgp', 'ping-slash24', 'merit-nt', 'gtr']);
    const merit = series.find((s) => s.datasource === 'merit-nt');
    const inner = merit.values.slice(0, -20);
    assert.ok(inner.some((v) => v === null) && inner.filter((v) => v === null).length < inner.length / 10, 'a few nulls');
    for (const s of series) assert.equal(s.values.at(-1), null, `${s.datasource}: the future has no value`);
    assert.ok(series[0].values.slice(0, -20).every((v) => typeof v === 'number'), 'bgp has no gaps');
    const none = await sig('asn/4200000000', `from=${ANCHOR - DAY}&until=${ANCHOR}`);
    assert.deepEqual(none.body.data, [[]]);
  });
});

describe('spamhaus', () => {
  const login = (body) => post(`${mock.urls.spamhaus}/api/v1/login`, body);
  const creds = { username: 'analyst@example.org', password: 'correct horse battery staple', realm: 'intel' };
  const token = async () => (await (await login(creds)).json()).token;

  test('login', async () => {
    await control('/reset');
    const ok = await login(creds);
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.equal(body.code, 200);
    assert.match(body.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(Math.abs(body.expires - (mock.now() / 1000 + 86400)) < 5);
    for (const bad of [{ ...creds, password: 'x' }, { ...creds, realm: 'pdns' }, {}]) {
      const r = await login(bad);
      assert.equal(r.status, 401);
      assert.deepEqual(await r.json(), { code: 401, message: 'Authentication failed' });
    }
  });

  test('query cost meets the documented points and matches the app (log2 X + 1, capped at 8)', () => {
    assert.deepEqual([32, 31, 30, 29, 28, 27, 26, 25, 24].map((m) => queryCost(4, m)), [1, 2, 3, 4, 5, 6, 7, 8, 8]);
    assert.deepEqual([64, 63, 56, 128].map((m) => queryCost(6, m)), [1, 2, 8, 1]);
  });

  test('token requirement, lookups, 404, 400s and the cost counter', async () => {
    await control('/reset');
    const base = `${mock.urls.spamhaus}/api/intel/v1`;
    assert.equal((await get(`${base}/byobject/cidr/XBL/listed/live/45.150.206.114`)).status, 401);
    assert.equal((await get(`${base}/limits`, { Authorization: 'Bearer nope' })).status, 401);
    const auth = { Authorization: `Bearer ${await token()}` };
    const live = await getJson(`${base}/byobject/cidr/XBL/listed/live/45.150.206.114`, auth);
    assert.equal(live.status, 200);
    assert.ok(live.body.results.every((r) => r.ipaddress === '45.150.206.114' && r.dataset === 'XBL' && r.valid_until > mock.now() / 1000));
    const hist = await getJson(`${base}/byobject/cidr/ALL/listed/history/45.150.206.0/24?limit=1000`, auth);
    assert.ok(hist.body.results.length >= 35);
    assert.ok(hist.body.results.some((r) => r.valid_until < mock.now() / 1000));
    const none = await getJson(`${base}/byobject/cidr/ALL/listed/history/192.0.2.0/24`, auth);
    assert.equal(none.status, 404);
    assert.deepEqual(none.body, { code: 404 });
    const limits = await getJson(`${base}/limits`, auth);
    assert.equal(limits.body.status, 200);
    assert.equal(limits.body.current.qpm, 1 + 8 + 8);
    assert.equal(limits.body.limits.ads, 'XBL,CSS,BCL');
    await new Promise((r) => setTimeout(r, 1100)); // rl_qps is 5
    for (const [q, re] of [
      ['XBL/listed/history/45.150.206.0/16', /netmask/],
      ['XBL/listed/history/45.150.206.0/24?limit=2001', /limit/],
      ['XBL/listed/history/45.150.206.0/24?since=1500000000&until=1600000000', /12 months/],
      ['SBL/listed/live/45.150.206.114', /dataset/],
    ]) {
      const r = await getJson(`${base}/byobject/cidr/${q}`, auth);
      assert.equal(r.status, 400, q);
      assert.match(r.body.message, re);
    }
    const doc = await getJson(`${base}/byobject/cidr/XBL/listed/history/74.77.66.227?since=1606000000&until=1607000000&limit=2`, auth);
    assert.equal(doc.body.results.length, 2);
  });

  test('rate limit and expired tokens', async () => {
    await control('/reset');
    const auth = { Authorization: `Bearer ${await token()}` };
    const url = `${mock.urls.spamhaus}/api/intel/v1/byobject/cidr/XBL/listed/live/45.150.206.114`;
    // At once, so that all of them fall in the same second however busy the machine is.
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => get(url, auth)))).map((r) => r.status);
    assert.ok(statuses.includes(429), `no 429 among ${statuses}`);
    assert.ok(statuses.filter((s) => s !== 429).length >= 1, 'the first requests of the second pass');
    await control('/spamhaus/expire-tokens');
    assert.equal((await get(`${mock.urls.spamhaus}/api/intel/v1/limits`, auth)).status, 401);
    await control('/reset');
  });

  test('no CORS headers, on answers and preflights alike, unless a cors fault adds them', async () => {
    const preflight = () => fetch(`${mock.urls.spamhaus}/api/intel/v1/limits`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
    await control('/reset');
    const r = await preflight();
    for (const [k] of r.headers) assert.ok(!k.startsWith('access-control-'), k);
    const login = await post(`${mock.urls.spamhaus}/api/v1/login`, {}, { Origin: 'http://127.0.0.1:1' });
    assert.equal(login.status, 401);
    for (const [k] of login.headers) assert.ok(!k.startsWith('access-control-'), k);
    await fault({ service: 'spamhaus', kind: 'cors' });
    const allowed = await preflight();
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), '*');
    assert.match(allowed.headers.get('access-control-allow-headers'), /Authorization/);
    assert.match(allowed.headers.get('access-control-allow-methods'), /GET/);
    assert.ok(Number(allowed.headers.get('access-control-max-age')) > 0);
    await control('/reset');
  });
});

describe('control API and faults', () => {
  test('status fault with headers, service error shape, times', async () => {
    await control('/reset');
    await fault({ service: 'grip', path: '/json/events', kind: 'status', status: 503, headers: { 'Retry-After': '3' }, times: 1 });
    const r = await get(`${mock.urls.grip}/events?length=1`);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '3');
    assert.deepEqual(await r.json(), { error: 'Service Unavailable' });
    assert.equal((await get(`${mock.urls.grip}/events?length=1`)).status, 200, 'times: 1 is used up');
    await fault({ service: 'spoofer', kind: 'status', status: 500, times: 1 });
    assert.equal((await getJson(`${mock.urls.spoofer}/sessions`)).body['@type'], 'hydra:Error');
    await fault({ service: 'ioda', kind: 'status', status: 502, times: 1 });
    assert.equal((await getJson(`${mock.urls.ioda}/outages/alerts?from=1&until=2`)).body.error, 'Bad Gateway');
    await fault({ service: 'spamhaus', kind: 'status', status: 429, body: '{"code":429,"message":"slow down"}', times: 1 });
    assert.deepEqual((await getJson(`${mock.urls.spamhaus}/api/intel/v1/limits`)).body, { code: 429, message: 'slow down' });
  });

  test('delay, malformed, wrong-shape, huge, reset, nocors', async () => {
    await control('/reset');
    await fault({ service: 'spoofer', kind: 'delay', delayMs: 300, times: 1 });
    const t0 = Date.now();
    assert.equal((await get(`${mock.urls.spoofer}/sessions/891176`)).status, 200);
    assert.ok(Date.now() - t0 >= 280);

    await fault({ service: 'ioda', kind: 'malformed', times: 1 });
    const m = await get(`${mock.urls.ioda}/entities/query?search=nor`);
    assert.equal(m.status, 200);
    const text = await m.text();
    assert.throws(() => JSON.parse(text), SyntaxError);

    await fault({ service: 'grip', kind: 'wrong-shape', times: 1 });
    const w = await getJson(`${mock.urls.grip}/events`);
    assert.equal(w.status, 200);
    assert.ok(!Array.isArray(w.body.data));

    await fault({ service: 'spoofer', kind: 'huge', times: 1 });
    const h = await get(`${mock.urls.spoofer}/sessions`);
    const big = await h.text();
    assert.ok(big.length >= HUGE_BYTES);
    assert.ok(Array.isArray(JSON.parse(big)['hydra:member']));

    await fault({ service: 'spamhaus', kind: 'reset', times: 1 });
    await assert.rejects(get(`${mock.urls.spamhaus}/api/intel/v1/limits`));

    await fault({ service: 'spoofer', kind: 'nocors', times: 1 });
    const n = await get(`${mock.urls.spoofer}/sessions/891176`);
    assert.equal(n.status, 200);
    assert.equal(n.headers.get('access-control-allow-origin'), null);
    assert.equal((await get(`${mock.urls.spoofer}/sessions/891176`)).headers.get('access-control-allow-origin'), '*');
    // IODA keeps its `*` (and echoes requested headers on preflights) unless nocors takes it away.
    const io = () => fetch(`${mock.urls.ioda}/entities/query?search=nor`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-custom' } });
    const pre = await io();
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.equal(pre.headers.get('access-control-allow-headers'), 'x-custom');
    await fault({ service: 'ioda', kind: 'nocors', times: 1 });
    assert.equal((await io()).headers.get('access-control-allow-origin'), null);
    assert.equal((await get(`${mock.urls.ioda}/entities/query?search=nor`)).headers.get('access-control-allow-origin'), null);
    assert.equal((await get(`${mock.urls.ioda}/entities/query?search=nor`)).headers.get('access-control-allow-origin'), '*');
  });

  test('first matching fault wins; method and path matching', async () => {
    await control('/reset');
    await fault({ service: 'grip', path: '/json/tags', kind: 'status', status: 404, times: 1 });
    await fault({ service: 'grip', kind: 'status', status: 500, method: 'GET', times: 1 });
    assert.equal((await get(`${mock.urls.grip}/events`)).status, 500);
    assert.equal((await get(`${mock.urls.grip}/tags`)).status, 404);
    assert.equal((await get(`${mock.urls.grip}/tags`)).status, 200);
    await fault({ service: 'spamhaus', kind: 'status', status: 503, method: 'POST' });
    assert.equal((await get(`${mock.urls.spamhaus}/api/intel/v1/limits`)).status, 401);
    assert.equal((await post(`${mock.urls.spamhaus}/api/v1/login`, {})).status, 503);
    const bad = await control('/fault', { service: 'nope', kind: 'status' });
    assert.equal(bad.status, 400);
    await control('/reset');
    assert.deepEqual(await (await get(`${mock.urls.grip.replace('/json', '')}/__mock/faults`)).json(), []);
  });

  test('request log keeps every header, incl. authorization', async () => {
    await control('/reset');
    await get(`${mock.urls.spamhaus}/api/intel/v1/limits`, { Authorization: 'Bearer abc' });
    await get(`${mock.urls.spoofer}/sessions?asn[]=3356`);
    const log = await (await get(`${mock.urls.ioda.replace('/v2', '')}/__mock/requests?service=spamhaus`)).json();
    assert.equal(log.length, 1);
    assert.equal(log[0].headers.authorization, 'Bearer abc');
    assert.equal(log[0].path, '/api/intel/v1/limits');
    assert.ok(log[0].time);
    const all = await (await get(`${mock.urls.spoofer}/__mock/requests`)).json();
    assert.deepEqual(all.find((e) => e.service === 'spoofer').query, { 'asn[]': '3356' });
  });

  test('data endpoint', async () => {
    const d = await (await get(`${mock.urls.spoofer}/__mock/data/spoofer`)).json();
    assert.equal(d.sessions.length, mock.data.spoofer.sessions.length);
    const g = await (await get(`${mock.urls.spoofer}/__mock/data/grip`)).json();
    assert.equal(g.events.length, mock.data.grip.events.length);
    // The same, in-process (what the e2e fixtures read).
    assert.deepEqual(mock.dataOf('grip').events.map((e) => e.id), g.events.map((e) => e.id));
    assert.deepEqual(mock.dataOf(null).sizes, (await (await get(`${mock.urls.spoofer}/__mock/data`)).json()).sizes);
    const i = await (await get(`${mock.urls.spoofer}/__mock/data/ioda`)).json();
    assert.ok(i.entities.some((e) => e.code === 'NO'));
    assert.equal((await get(`${mock.urls.spoofer}/__mock/data/nope`)).status, 404);
  });
});

describe('app server', () => {
  test('with spaFallback, deep links get index.html with 200 (an SPA rewrite); config.json still 404s when removed', async () => {
    const spa = await startMock({ port: 0, dist, anchor: ANCHOR, spaFallback: true });
    try {
      const deep = await get(`${spa.urls.appRoot}grip?length=30`);
      assert.equal(deep.status, 200);
      assert.match(await deep.text(), /<title>NetLens<\/title>/);
      assert.equal((await get(`${spa.urls.appRoot}netlens.js`)).status, 200);
      await post(`${spa.urls.spoofer}/__mock/config`, 'null');
      assert.equal((await get(`${spa.urls.appRoot}config.json`)).status, 404);
    } finally {
      await spa.close();
    }
  });

  test('static files, content types, 404.html, config.json and its control', async () => {
    await control('/reset');
    const types = { 'netlens_bg.wasm': 'application/wasm', 'netlens.js': 'text/javascript', 'style.css': 'text/css', 'assets/logo.svg': 'image/svg+xml', '': 'text/html' };
    for (const [file, type] of Object.entries(types)) {
      const r = await get(mock.urls.appRoot + file);
      assert.equal(r.status, 200, file);
      assert.ok(r.headers.get('content-type').startsWith(type), file);
    }
    const nf = await get(`${mock.urls.appRoot}spoofer/asn/3356`);
    assert.equal(nf.status, 404);
    assert.match(await nf.text(), /404 boot/);
    const cfg = await (await get(`${mock.urls.appRoot}config.json`)).json();
    assert.deepEqual(cfg, { endpoints: { spoofer: mock.urls.spoofer, grip: mock.urls.grip, ioda: mock.urls.ioda, spamhaus: mock.urls.spamhaus } });
    await control('/config', '"{broken"');
    assert.equal(await (await get(`${mock.urls.appRoot}config.json`)).text(), '{broken');
    await control('/config', { endpoints: { grip: 'http://127.0.0.1:9/json' } });
    assert.deepEqual(await (await get(`${mock.urls.appRoot}config.json`)).json(), { endpoints: { grip: 'http://127.0.0.1:9/json' } });
    await control('/config', 'null');
    assert.equal((await get(`${mock.urls.appRoot}config.json`)).status, 404);
    await control('/reset');
    assert.deepEqual(await (await get(`${mock.urls.appRoot}config.json`)).json(), cfg);
  });

  test('publicPath serves under a prefix', async () => {
    const sub = await startMock({ port: 0, dist, anchor: ANCHOR, publicPath: '/netlens/' });
    try {
      assert.ok(sub.urls.appRoot.endsWith('/netlens/'));
      assert.equal((await get(sub.urls.appRoot + 'netlens_bg.wasm')).status, 200);
      const cfg = await (await get(sub.urls.appRoot + 'config.json')).json();
      assert.equal(cfg.endpoints.spoofer, sub.urls.spoofer);
      const root = sub.urls.appRoot.replace('/netlens/', '');
      assert.equal((await fetch(`${root}/netlens`, { redirect: 'manual' })).status, 301);
      assert.equal((await get(`${root}/netlens_bg.wasm`)).status, 404);
      const deep = await get(`${sub.urls.appRoot}grip/event/x`);
      assert.equal(deep.status, 404);
      assert.match(await deep.text(), /404 boot/);
    } finally {
      await sub.close();
    }
  });
});
