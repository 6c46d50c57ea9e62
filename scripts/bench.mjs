// NetLens benchmark (issue 8). Run by `make bench` after the release build in dist/.
//
//   node scripts/bench.mjs            every figure (sizes, timings in headless Chromium against the
//                                     mock, Lighthouse), median of RUNS runs; writes bench/results.json
//   node scripts/bench.mjs --sizes    sizes only, compared with bench/budgets.json; exits 1 when a
//                                     size is over its regression ceiling (`make test` runs this)
//   RUNS=5 (default) sets the runs per timing; --no-lighthouse skips Lighthouse.
//
// Sizes are deterministic (gzip -9, brotli q11 of the files a first visit loads). Timings are
// reported beside their budgets, never asserted: they depend on the machine.
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(root, process.env.DIST || 'dist');
const budgets = JSON.parse(fs.readFileSync(path.join(root, 'bench/budgets.json'), 'utf8'));
const args = new Set(process.argv.slice(2));
const RUNS = Number(process.env.RUNS || 5);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// ---------------------------------------------------------------------------------------------- sizes

const MAIN_WASM = /^netlens-[0-9a-f]+_bg\.wasm$/;
const MAIN_JS = /^netlens-[0-9a-f]+\.js$/;
const LOADER = /^__wasm_split-[0-9a-f]+\.js$/;
const BOOT = /^boot-[0-9a-f]+\.js$/;
const SECTIONS = ['spoofer', 'grip', 'ioda', 'spamhaus', 'entity'];

/**
 * The chunks of a split build and the sections each serves, from the loader's comments
 * (`/* entity, grip *\/ const __chunk_6 = makeLoad(… "./chunk_6-….wasm"`) and the `split_<section>-…`
 * names. Empty for an eager build.
 */
export function chunkSections(files, read) {
  const loader = files.find((f) => LOADER.test(f));
  const map = new Map();
  if (!loader) return map;
  const text = read(loader).toString('utf8');
  for (const m of text.matchAll(/\/\* ([a-z, ]+) \*\/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) {
    map.set(m[2], m[1].split(', '));
  }
  for (const f of files) {
    const own = f.match(/^split_([a-z]+)-[0-9a-f]+\.wasm$/);
    if (own) map.set(f, [own[1]]);
  }
  return map;
}

function sizes() {
  const files = fs.readdirSync(dist);
  const cache = new Map();
  const read = (f) => fs.readFileSync(path.join(dist, f));
  const one = (f) => {
    if (!cache.has(f)) {
      const b = read(f);
      cache.set(f, {
        raw: b.length,
        gzip: zlib.gzipSync(b, { level: 9 }).length,
        brotli: zlib.brotliCompressSync(b, {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length },
        }).length,
      });
    }
    return cache.get(f);
  };
  const measure = (names) => {
    const m = names.map(one);
    return Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, m.reduce((n, x) => n + x[k], 0)]));
  };
  const sections = chunkSections(files, read);
  const wasm = files.filter((f) => MAIN_WASM.test(f));
  // The main glue imports the loader statically, and index.html runs the boot screen's heads: all in the first visit.
  const js = files.filter((f) => MAIN_JS.test(f) || LOADER.test(f) || BOOT.test(f));
  const css = files.filter((f) => f.endsWith('.css'));
  const html = ['index.html'];
  const first = [...wasm, ...js, ...css, ...html];
  const out = { wasm: measure(wasm), js: measure(js), css: measure(css), html: measure(html), total: measure(first) };
  out.split = sections.size > 0;
  // A cold deep link into a section: the first visit and that section's chunks.
  out.routes = { home: out.total };
  for (const s of SECTIONS) {
    out.routes[s] = measure([...first, ...[...sections].filter(([, secs]) => secs.includes(s)).map(([f]) => f)]);
  }
  out.everything = measure([...first, ...sections.keys()]);
  out.chunks = [...sections].map(([name, secs]) => ({ name, sections: secs, ...one(name) })).sort((a, b) => b.brotli - a.brotli);
  out.first_visit = out.total;
  return out;
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const fmt = (v, unit) => (v === null || v === undefined ? 'n/a' : unit === 'B' ? kb(v) : unit === 'x' ? `${v.toFixed(2)}x` : unit === 'score' ? `${Math.round(v * 100)}` : `${Math.round(v)} ms`);

/** One table row: figure, value, budget, verdict. `higherIsBetter` for scores. */
function row(name, value, budget, unit, higherIsBetter = false) {
  let verdict = '';
  if (budget !== undefined && value !== null && value !== undefined) {
    verdict = (higherIsBetter ? value >= budget : value <= budget) ? 'PASS' : 'OVER';
  }
  return { name, value, budget: budget ?? null, unit, verdict };
}

function printTable(title, rows) {
  console.log(`\n${title}`);
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const budget = r.budget === null ? '' : `${r.unit === 'score' ? '≥' : '≤'} ${fmt(r.budget, r.unit)}`;
    console.log(`  ${r.name.padEnd(w)}  ${fmt(r.value, r.unit).padStart(10)}  ${budget.padStart(12)}  ${r.verdict}`);
  }
}

function sizeRows(s) {
  const t = budgets.target;
  const c = budgets.ceiling;
  return {
    target: [
      row('first visit to home, brotli (wasm+js+css+html)', s.total.brotli, t.first_visit_bytes, 'B'),
      row('first visit to home, gzip (wasm+js+css+html)', s.total.gzip, t.first_visit_bytes, 'B'),
    ],
    ceiling: Object.entries(c).filter(([k]) => !k.startsWith('_')).map(([k, limit]) => {
      const cut = k.lastIndexOf('_');
      const [part, enc] = [k.slice(0, cut), k.slice(cut + 1)];
      return row(`${part.replace('_', ' ')} ${enc}`, s[part][enc], limit, 'B');
    }),
  };
}

const s = sizes();
const sr = sizeRows(s);
console.log(`Sizes (gzip -9, brotli q11), as a static host serving compressed files sends them; ${s.split ? 'split build' : 'eager build (one module)'}:`);
for (const part of ['wasm', 'js', 'css', 'html', 'total']) {
  console.log(`  ${part.padEnd(6)} raw ${kb(s[part].raw).padStart(10)}  gzip ${kb(s[part].gzip).padStart(9)}  brotli ${kb(s[part].brotli).padStart(9)}`);
}
if (s.split) {
  console.log('First visit through a cold deep link (the shell and the chunks of that section):');
  for (const [r, m] of Object.entries(s.routes)) console.log(`  ${r.padEnd(9)} brotli ${kb(m.brotli).padStart(9)}  gzip ${kb(m.gzip).padStart(9)}`);
  console.log(`  every page visited: brotli ${kb(s.everything.brotli)}, gzip ${kb(s.everything.gzip)} (${s.chunks.length} chunks)`);
  console.log('Largest chunks (brotli): ' + s.chunks.slice(0, 8).map((c) => `${c.name.replace(/-[0-9a-f]+\.wasm$/, '')} ${kb(c.brotli)} [${c.sections.join(' ')}]`).join(', '));
}
printTable('Issue 15 target (the first visit to home):', sr.target);
printTable('Regression ceilings (measured size + ~3 %; make test fails when one is OVER):', sr.ceiling);
const overCeiling = sr.ceiling.filter((r) => r.verdict === 'OVER');

if (args.has('--sizes')) {
  if (overCeiling.length) {
    console.error(`\nSize check FAILED: ${overCeiling.map((r) => r.name).join(', ')} over the ceiling in bench/budgets.json.`);
    console.error('Cut what grew, or raise the ceiling in bench/budgets.json on purpose (say why in the commit).');
    process.exit(1);
  }
  console.log('\nSize check passed (every size within its regression ceiling).');
  process.exit(0);
}

// -------------------------------------------------------------------------------------- timings

const { startTopology } = await import('../tests/e2e/topology.mjs');
// The users' topology, as the e2e suite runs it: netlens-proxy --dist serves the app (deep links answered
// by its SPA fallback, which Lighthouse needs: it will not audit a page served as 404) and forwards GRIP
// and Spamhaus to the mock APIs.
const mock = await startTopology({ dist, staticHost: false });
const control = mock.urls.spoofer;
const mockPost = (p, body) => fetch(`${control}/__mock/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
// The answered requests (no preflights, no GRIP redirect hops).
const requests = async (service) => (await (await fetch(`${control}/__mock/requests?service=${service}`)).json()).filter((r) => r.method !== 'OPTIONS' && r.redirect === undefined);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
};
const ROWS = 'table.data tbody tr:not(.spacer)';

// The page reports a moment by a console message, `netlens-bench <key> <ms since navigation start>`,
// which the harness collects (see `listen` and `mark`). Waiting with page.waitForFunction instead would
// first inject Playwright's own script into the page: ~40 ms of main thread in the middle of the load
// being timed.
const report = (key) => `console.debug('netlens-bench ${key} ' + performance.now())`;

// Reports when the first element matching `selector` is in the DOM and the frame after it (what a
// user sees).
const observer = (selector, key) => `(() => {
  const seen = () => document.querySelector(${JSON.stringify(selector)});
  const mo = new MutationObserver(() => {
    if (seen()) {
      requestAnimationFrame(() => setTimeout(() => ${report(key)}, 0));
      mo.disconnect();
    }
  });
  mo.observe(document, { childList: true, subtree: true });
})();`;

/** Collects the page's `netlens-bench` reports into page.marks. */
function listen(page) {
  page.marks = new Map();
  page.on('console', (m) => {
    const x = /^netlens-bench (\S+) (\S+)$/.exec(m.text());
    if (x) page.marks.set(x[1], Number(x[2]));
  });
}

/** The time the page reported for `key`, once it has (polled here, not in the page). */
async function mark(page, key, timeout = 20_000) {
  const until = Date.now() + timeout;
  while (!page.marks.has(key)) {
    if (Date.now() > until) throw new Error(`the page never reported ${key}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return page.marks.get(key);
}
const OBSERVER = observer(ROWS, '__rowsPainted');
const SIGNALS = '[data-testid="signals-chart"] path.sig-line';

async function fresh() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(OBSERVER);
  await ctx.addInitScript(observer(SIGNALS, '__signalsPainted'));
  const page = await ctx.newPage();
  listen(page);
  return { ctx, page };
}

async function fcp(page) {
  return page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((l) => {
      const e = l.getEntries().find((x) => x.name === 'first-contentful-paint');
      if (e) resolve(e.startTime);
    }).observe({ type: 'paint', buffered: true });
  }));
}

async function rowsPainted(page) {
  return mark(page, '__rowsPainted');
}

async function signIn(page) {
  const acct = (await (await fetch(`${control}/__mock/data/spamhaus`)).json()).account;
  await page.goto(`${mock.urls.app}/spamhaus`);
  const form = page.getByTestId('signin');
  await form.getByLabel('Account e-mail').fill(acct.username);
  await form.getByLabel('Password', { exact: true }).fill(acct.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('token-state').filter({ hasText: 'Signed in' }).waitFor();
}

const pages = {
  ioda: '/ioda',
  grip: '/grip',
  spoofer: '/spoofer',
  spamhaus: '/spamhaus?ip=45.150.206.0&mask=24',
};

async function firstVisit() {
  const fcps = [];
  const rows = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    await mockPost('reset');
    {
      const { ctx, page } = await fresh();
      await page.goto(mock.urls.app + '/');
      fcps.push(await fcp(page));
      await ctx.close();
    }
    for (const [name, p] of Object.entries(pages)) {
      const { ctx, page } = await fresh();
      if (name === 'spamhaus') await signIn(page);
      await page.goto(mock.urls.app + p);
      rows[name].push(await rowsPainted(page));
      await ctx.close();
    }
  }
  return { fcp: median(fcps), rows: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)])) };
}

/** Response end of the last request whose URL contains `part`, in page time. */
const responseEnd = (page, part) => page.evaluate((part) => {
  const e = performance.getEntriesByType('resource').filter((r) => r.name.includes(part)).pop();
  return e ? e.responseEnd : null;
}, part);

// When the table first holds all 1,000 events (aria-rowcount counts the header row too) and the frame
// after that, reported as __whole (as the first rows are timed).
const WHOLE = `new MutationObserver((_, mo) => {
  if (document.querySelector('table.data[aria-rowcount="1001"]')) {
    mo.disconnect();
    requestAnimationFrame(() => setTimeout(() => ${report('__whole')}, 0));
  }
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-rowcount'] });`;

async function renderGrip1000() {
  const runs = [];
  const wholes = [];
  const parses = [];
  const decodes = [];
  const heads = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ctx, page } = await fresh();
    await ctx.addInitScript(WHOLE);
    await page.goto(mock.urls.app + '/grip?length=1000');
    // The first rows are painted from the page's first events (decoded apart); then the whole page.
    const painted = await rowsPainted(page);
    const end = await responseEnd(page, '/events');
    runs.push(painted - end);
    wholes.push((await mark(page, '__whole')) - end);
    // The app's own User Timing measures: the first events, and the whole page (the longest GRIP
    // decode: the events, not the tags).
    const measure = (name) => page.evaluate((name) => Math.max(...performance.getEntriesByName(name).map((m) => m.duration)), name);
    heads.push(await measure('netlens:decode-head grip'));
    decodes.push(await measure('netlens:decode grip'));
    // The browser's own JSON.parse of the same answer, in the same page: the floor to compare with.
    const parsed = await page.evaluate(async () => {
      const url = performance.getEntriesByType('resource').filter((r) => r.name.includes('/events')).pop().name;
      const text = await (await fetch(url, { cache: 'force-cache' })).text();
      const t0 = performance.now();
      JSON.parse(text);
      return { ms: performance.now() - t0, bytes: text.length };
    });
    parses.push(parsed.ms);
    bytes = parsed.bytes;
    await ctx.close();
  }
  return { painted: median(runs), whole: median(wholes), head: median(heads), decode: median(decodes), json_parse: median(parses), bytes };
}

/** A 7-day window of an AS's three main signals (~5,000 points) on the IODA explorer: answer → chart painted. */
async function renderSignals7d() {
  const { anchor } = await (await fetch(`${control}/__mock/data/ioda`)).json();
  const until = anchor - (anchor % 3600);
  const runs = [];
  const wire = [];
  const nav = [];
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ctx, page } = await fresh();
    await page.goto(`${mock.urls.app}/ioda?from=${until - 7 * 86_400}&until=${until}&entity=asn/3307`);
    const painted = await mark(page, '__signalsPainted');
    // From the answer handed to the chart (the app's User Timing mark, before the decode) to painted,
    // then from the wire's responseEnd (which adds the wait for a main thread still busy with the
    // alerts) and from navigation, what the user waits for.
    const answer = await page.evaluate(() => performance.getEntriesByName('netlens:signals-answer').pop()?.startTime);
    runs.push(painted - answer);
    wire.push(painted - (await responseEnd(page, '/signals/raw')));
    nav.push(painted);
    points = await page.evaluate(async () => {
      const url = performance.getEntriesByType('resource').filter((r) => r.name.includes('/signals/raw')).pop().name;
      const body = await (await fetch(url, { cache: 'force-cache' })).json();
      return body.data.flat().reduce((n, s) => n + s.values.length, 0);
    });
    await ctx.close();
  }
  return { painted: median(runs), wire: median(wire), nav: median(nav), points };
}

/** 5,000 alerts in IODA's real envelope: the mock's own answer for the page's request, grown. */
async function renderIoda5000() {
  await mockPost('reset');
  const probe = await fresh();
  await probe.page.goto(mock.urls.app + '/ioda');
  await rowsPainted(probe.page);
  await probe.ctx.close();
  const asked = (await requests('ioda')).find((r) => r.path.endsWith('/outages/alerts'));
  const answer = await (await fetch(`${mock.urls.ioda.replace(/\/v2$/, '')}${asked.url}`)).json();
  const base = answer.data;
  if (!base.length) throw new Error('the mock has no IODA alerts in the default window');
  const grown = [];
  for (let i = 0; grown.length < 5000; i++) {
    const a = base[i % base.length];
    grown.push({ ...a, time: a.time - Math.floor(i / base.length) * 60 });
  }
  grown.sort((a, b) => a.time - b.time);
  const body = JSON.stringify({ ...answer, data: grown });
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await mockPost('reset');
    await mockPost('fault', { service: 'ioda', path: '/v2/outages/alerts', kind: 'status', status: 200, body });
    const { ctx, page } = await fresh();
    await page.goto(mock.urls.app + '/ioda');
    const painted = await rowsPainted(page);
    runs.push(painted - (await responseEnd(page, '/outages/alerts')));
    await ctx.close();
  }
  await mockPost('reset');
  return median(runs);
}

/** Clicks a link and resolves with the time until `done()` holds, plus the frame after. */
async function timedClick(page, selector, doneSource) {
  return page.evaluate(([selector, doneSource]) => new Promise((resolve) => {
    const done = new Function(`return (${doneSource})`);
    const t0 = performance.now();
    const mo = new MutationObserver(() => {
      if (done()) {
        mo.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      }
    });
    mo.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    document.querySelector(selector).click();
  }), [selector, doneSource]);
}

async function switchCached() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await mockPost('reset');
    const { ctx, page } = await fresh();
    await page.goto(mock.urls.app + '/grip?length=30');
    await rowsPainted(page);
    await page.locator('nav.pager a[aria-label="Next page"]').first().click();
    await page.locator('nav.pager [aria-current="page"]', { hasText: '2' }).first().waitFor();
    await page.locator(ROWS).first().waitFor();
    const before = (await requests('grip')).filter((r) => r.path.endsWith('/events')).length;
    const ms = await timedClick(page, 'nav.pager a[aria-label="Previous page"]',
      `document.querySelector('nav.pager [aria-current="page"]')?.textContent.trim() === '1' && document.querySelector('${ROWS}') !== null`);
    const after = (await requests('grip')).filter((r) => r.path.endsWith('/events')).length;
    if (after !== before) console.warn('  (page switch fetched again: the cache missed)');
    runs.push(ms);
    await ctx.close();
  }
  return median(runs);
}

/** JS heap (after a forced GC) at start and after walking 20 in-app pages. */
async function heapWalk() {
  await mockPost('reset');
  const { ctx, page } = await fresh();
  const cdp = await ctx.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.goto(mock.urls.app + '/');
  await page.locator('main').waitFor();
  const start = await heap();
  const walk = [];
  for (let i = 0; i < 6; i++) walk.push([`/grip?length=30&start=${i * 30}`, true]);
  for (let i = 1; i <= 5; i++) walk.push([`/spoofer?page=${i}`, true]);
  walk.push(['/ioda', true], ['/grip/tags', false], ['/settings', false], ['/', false], ['/ioda?range=7d', true],
    ['/spoofer?asn=3356', true], ['/grip?event_type=moas', true], ['/asn/3356', false], ['/country/NO', false]);
  for (const [to] of walk.slice(0, 20)) {
    await page.evaluate((to) => {
      const a = document.createElement('a');
      a.href = to;
      document.body.append(a);
      a.click();
      a.remove();
    }, to);
    await page.waitForURL((u) => u.pathname + u.search === to || u.pathname === to.split('?')[0]);
    await page.waitForLoadState('networkidle').catch(() => {});
  }
  const end = await heap();
  await ctx.close();
  return { start, end, ratio: end / start, pages: Math.min(walk.length, 20) };
}

async function lighthouseScores() {
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const { default: desktop } = await import('lighthouse/core/config/desktop-config.js');
  const out = {};
  const targets = { home: '/', grip_results: '/grip?length=30' };
  for (const [preset, config] of [['mobile', undefined], ['desktop', desktop]]) {
    for (const [name, p] of Object.entries(targets)) {
      await mockPost('reset');
      const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', ...FLAGS] });
      try {
        const r = await lighthouse(mock.urls.app + p, { port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: ['performance', 'accessibility'] }, config);
        out[`${name}_${preset}`] = { performance: r.lhr.categories.performance.score, accessibility: r.lhr.categories.accessibility.score };
      } finally {
        await chrome.kill();
      }
    }
  }
  return out;
}

const results = { date: new Date().toISOString(), runs: RUNS, sizes: s };
try {
  console.log(`\nTimings: median of ${RUNS} runs in headless Chromium against the local mock.`);
  const fv = await firstVisit();
  results.fcp_ms = fv.fcp;
  results.first_rows_ms = fv.rows;
  // One figure failing (say, a page changed) is reported and the others still run.
  const attempt = async (name, f) => {
    try {
      return await f();
    } catch (e) {
      console.error(`  ${name} could not be measured: ${e.message.split('\n')[0]}`);
      return null;
    }
  };
  const grip1000 = await attempt('render 1,000 GRIP events', renderGrip1000);
  results.render_grip_1000_ms = grip1000?.painted ?? null;
  results.grip_1000_whole_ms = grip1000?.whole ?? null;
  results.grip_1000_head_decode_ms = grip1000?.head ?? null;
  results.grip_1000_decode_ms = grip1000?.decode ?? null;
  results.grip_1000_json_parse_ms = grip1000?.json_parse ?? null;
  results.grip_1000_bytes = grip1000?.bytes ?? null;
  results.render_ioda_5000_ms = await attempt('render 5,000 IODA alerts', renderIoda5000);
  const signals = await attempt('draw 7 days of IODA signals', renderSignals7d);
  results.render_signals_7d_ms = signals?.painted ?? null;
  results.render_signals_7d_from_wire_ms = signals?.wire ?? null;
  results.signals_7d_nav_to_painted_ms = signals?.nav ?? null;
  results.signals_7d_points = signals?.points ?? null;
  results.switch_cached_page_ms = await attempt('switch to a cached page', switchCached);
  results.heap = (await attempt('heap walk', heapWalk)) ?? { start: 0, end: 0, ratio: null, pages: 20 };
  if (!args.has('--no-lighthouse')) results.lighthouse = await attempt('Lighthouse', lighthouseScores);
} finally {
  await browser.close();
  await mock.close();
}

const t = budgets.target;
const timing = [
  row('first contentful paint (home)', results.fcp_ms, t.fcp_ms, 'ms'),
  ...Object.entries(results.first_rows_ms).map(([k, v]) => row(`first rows: ${k}${k === 'spamhaus' ? ' (signed in)' : ''}`, v, t.first_rows_ms, 'ms')),
  row(`render 1,000 GRIP events (response → first rows painted; ${kb(results.grip_1000_bytes ?? 0)})`, results.render_grip_1000_ms, t.render_1000_rows_ms, 'ms'),
  row('  of which the first 20 events\' decode ("netlens:decode-head grip")', results.grip_1000_head_decode_ms, undefined, 'ms'),
  row('  response → all 1,000 rows in the table, painted', results.grip_1000_whole_ms, undefined, 'ms'),
  row('  of which the whole page\'s decode ("netlens:decode grip")', results.grip_1000_decode_ms, undefined, 'ms'),
  row('  the browser\'s JSON.parse of the same answer', results.grip_1000_json_parse_ms, undefined, 'ms'),
  row('  ratio (goal ≤ 2.5x)', results.render_grip_1000_ms && results.grip_1000_json_parse_ms ? results.render_grip_1000_ms / results.grip_1000_json_parse_ms : null, 2.5, 'x'),
  row('render 5,000 IODA alerts (response → painted)', results.render_ioda_5000_ms, undefined, 'ms'),
  row(`draw 7 days of IODA signals (${results.signals_7d_points ?? '?'} points; answer → painted)`, results.render_signals_7d_ms, t.render_signals_ms, 'ms'),
  row('  from the wire\'s responseEnd', results.render_signals_7d_from_wire_ms, undefined, 'ms'),
  row('  navigation → chart painted', results.signals_7d_nav_to_painted_ms, undefined, 'ms'),
  row('switch to a cached page (click → painted)', results.switch_cached_page_ms, undefined, 'ms'),
  row(`JS heap after ${results.heap.pages} pages vs start (${kb(results.heap.start)} → ${kb(results.heap.end)})`, results.heap.ratio, t.heap_ratio, 'x'),
];
printTable('Timings (reported, not asserted):', timing);
if (results.lighthouse) {
  printTable('Lighthouse 12 (performance, accessibility):', Object.entries(results.lighthouse).flatMap(([k, v]) => [
    row(`${k} performance`, v.performance, undefined, 'score'),
    row(`${k} accessibility`, v.accessibility, 1, 'score', true),
  ]));
}
results.table = [...sr.target, ...sr.ceiling, ...timing];
fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
console.log('\nWrote bench/results.json');
