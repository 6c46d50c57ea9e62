// Security: the Content-Security-Policy in force on every page, hostile API data shown as text, the
// Spamhaus token kept to the Spamhaus base across the whole app, and hostile permalinks on every route.
import { test, expect, directFetch } from './fixtures.mjs';

const USERNAME = 'analyst@example.org';
const PASSWORD = 'correct horse battery staple';
const TOKEN_KEY = 'netlens.spamhaus.token';
const IHR_EVENT = 'moas-1691663100-328892_60064';

/** Every route of the app, with a query where the page takes one. */
const ROUTES = [
  '/',
  '/settings',
  '/spoofer?asn=3356',
  '/spoofer/session/891176',
  '/grip',
  '/grip/tags',
  `/grip/event/${IHR_EVENT}`,
  `/grip/event/${IHR_EVENT}/196.22.132.0-24`,
  '/ioda?entity=country/NO',
  '/spamhaus?ip=45.150.206.0&mask=24',
  '/spamhaus/limits',
  '/asn/3356',
  '/prefix/45.150.206.0/24',
  '/ip/45.150.206.114',
  '/country/NO',
  '/no/such/page',
];

/** Records CSP violations from the first script on, in every document the page loads. */
async function watchViolations(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI} ${e.sample}`),
    );
  });
}
const violations = (page) => page.evaluate(() => window.__violations);

/** Opens a route and waits until the page has rendered and its requests have settled. */
async function visit(page, url) {
  await page.goto(url);
  await expect(page.locator('main h1')).toBeVisible();
  await page.waitForLoadState('networkidle');
}

/**
 * The origins this worker's app talks to: its own (the proxy, which forwards GRIP and Spamhaus under
 * /api/), and Spoofer and IODA straight.
 */
const allowedOrigins = (mock) => ['app', 'spoofer', 'ioda'].map((s) => new URL(mock.urls[s]).origin);

test.describe('Content-Security-Policy', () => {
  test('every page runs under the policy without a single violation', async ({ page, mock }) => {
    await watchViolations(page);
    const response = await page.goto(mock.urls.app + '/');
    const header = response.headers()['content-security-policy'];
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(header).toBe(`${meta}; frame-ancestors 'none'`);
    for (const d of ["object-src 'none'", "base-uri 'self'", "default-src 'self'"]) expect(meta.split('; ')).toContain(d);
    expect(meta).not.toContain('unsafe-inline');
    expect(meta).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    // GRIP and Spamhaus are 'self' behind the proxy; Spoofer and IODA must be allowed too (the walk below
    // shows they are), and never by a bare wildcard.
    const connect = meta.split('; ').find((d) => d.startsWith('connect-src ')).split(' ').slice(1);
    expect(connect).toContain("'self'");
    expect(connect).not.toContain('*');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(response.headers()['referrer-policy']).toBe('no-referrer');

    for (const route of ROUTES) {
      await visit(page, mock.urls.app + route);
      expect(await violations(page), route).toEqual([]);
    }
    // In-app navigation too (same document): every section from the header.
    for (const name of ['Spoofer', 'GRIP', 'IODA', 'Spamhaus', 'Settings', 'Home']) {
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();
      await page.waitForLoadState('networkidle');
    }
    expect(await violations(page)).toEqual([]);
    expect(page.consoleMessages.filter((m) => m.includes('Content Security Policy'))).toEqual([]);
  });

  test('a fetch to a host outside the policy is blocked before it leaves the browser', async ({ page, mock }) => {
    page.expectCspViolations = true; // provoked on purpose
    await watchViolations(page);
    await visit(page, mock.urls.app + '/settings');
    // The open policy allows what the app accepts (https anywhere, http on loopback) and nothing more:
    // Settings refuses plain http to another host at its field...
    await page.getByLabel('IODA', { exact: true }).fill('http://evil.example/v2');
    await page.getByRole('button', { name: 'Save endpoints' }).click();
    await expect(page.locator('#endpoint-ioda-error')).toContainText('plain http://');
    await expect(page.getByTestId('in-effect-ioda')).toContainText(mock.urls.ioda);
    // ...and the browser itself refuses it, before any name lookup.
    const direct = await page.evaluate((u) => fetch(u).then(() => 'fetched', (e) => `refused: ${e.name}`), 'http://evil.example/direct');
    expect(direct).toBe('refused: TypeError');
    await expect.poll(() => violations(page)).toContainEqual(expect.stringContaining('connect-src blocked http://evil.example'));
    // The other sources still work.
    await visit(page, mock.urls.app + '/spoofer?asn=3356');
    await expect(page.locator('main table.data tbody tr').first()).toBeVisible();
  });
});

// ------------------------------------------------------------------------------------- hostile data

const PAYLOADS = ['<img src=x onerror=window.__pwned=1>', '<script>window.__pwned=1</script>', 'javascript:window.__pwned=1'];

/** Replaces, anywhere in `value`, the value of each key in `edits` by what its function returns. */
function deepEdit(value, edits, counter = { n: 0 }) {
  if (Array.isArray(value)) return value.map((v) => deepEdit(v, edits, counter));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k in edits ? edits[k](v, counter.n++) : deepEdit(v, edits, counter)]),
    );
  }
  return value;
}
const payload = (_, i) => PAYLOADS[i % PAYLOADS.length];

/**
 * Opens `route`, finds the request the page made to `service` under `pathPrefix`, replays it to the
 * mock for the real answer, edits it, serves the edited answer (status 200, the service's own
 * envelope and content type) and reloads, so the page shows the hostile data.
 */
async function withHostileAnswer(page, mock, api, { service, route, pathPrefix, edits, ready }) {
  await visit(page, mock.urls.app + route);
  await ready(page);
  const seen = (await api.requests(service)).filter((r) => r.method === 'GET' && r.path.startsWith(pathPrefix));
  expect(seen.length, `the page asked ${service} for ${pathPrefix}`).toBeGreaterThan(0);
  const last = seen.at(-1);
  const base = new URL(mock.urls[service]).origin;
  const headers = Object.fromEntries(['accept', 'authorization'].filter((h) => last.headers[h]).map((h) => [h, last.headers[h]]));
  const real = await directFetch(base + last.url, { headers });
  expect(real.status).toBe(200);
  const body = deepEdit(await real.json(), edits);
  await api.fault({ service, path: last.path, method: 'GET', kind: 'status', status: 200, body, headers: { 'Content-Type': real.headers.get('content-type') } });
  await page.addInitScript(() => window.__violations === undefined && (window.__violations = []));
  await page.reload();
  await ready(page);
  return body;
}

/** The one script in the page's body is the boot screen's own, from this site (index.html's, not the data's). */
async function expectOnlyBootScript(page) {
  const scripts = await page.locator('body script').evaluateAll((list) => list.map((s) => [s.getAttribute('src'), s.text]));
  expect(scripts).toEqual([[expect.stringMatching(/^boot-[0-9a-f]{16}\.js$/), '']]);
}

/** None of the payloads became markup, ran, or turned into a link. */
async function expectInert(page) {
  await expectOnlyBootScript(page);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"], body script:not([data-netlens-boot]), iframe, object, embed')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:" i], a[href*="__pwned"]')).toHaveCount(0);
  const handlers = await page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
  );
  expect(handlers).toEqual([]);
}

test.describe('hostile API data is shown as text', () => {
  test('Spoofer: country names and paging links', async ({ page, mock, api }) => {
    const ready = (p) => expect(p.locator('main table.data tbody tr').first()).toBeVisible();
    const body = await withHostileAnswer(page, mock, api, {
      service: 'spoofer', route: '/spoofer?asn=3356', pathPrefix: '/sessions', ready,
      edits: { country: payload, 'hydra:next': () => PAYLOADS[2], 'hydra:last': () => PAYLOADS[2], 'hydra:first': () => PAYLOADS[2] },
    });
    expect(body['hydra:view']['hydra:next']).toBe(PAYLOADS[2]);
    const table = page.locator('main table.data tbody');
    // Country codes show in capitals: the text itself, not markup.
    for (const p of PAYLOADS) await expect(table).toContainText(p.toUpperCase());
    await expectInert(page);
  });

  test('GRIP: inference explanations and labels of an event', async ({ page, mock, api }) => {
    const ready = (p) => expect(p.getByText('Explanation', { exact: true }).first()).toBeVisible();
    await withHostileAnswer(page, mock, api, {
      service: 'grip', route: `/grip/event/${IHR_EVENT}`, pathPrefix: '/json/event/id/', ready,
      edits: { explanation: payload, labels: (_, i) => [PAYLOADS[(i + 1) % 3], PAYLOADS[(i + 2) % 3]] },
    });
    for (const p of PAYLOADS) await expect(page.locator('main')).toContainText(p);
    await expectInert(page);
  });

  test('IODA: entity names in the alert table', async ({ page, mock, api }) => {
    const ready = (p) => expect(p.locator('main table.data tbody tr').first()).toBeVisible();
    await withHostileAnswer(page, mock, api, {
      service: 'ioda', route: '/ioda', pathPrefix: '/v2/outages/alerts', ready,
      edits: { name: payload },
    });
    for (const p of PAYLOADS) await expect(page.locator('main table.data tbody')).toContainText(p);
    await expectInert(page);
  });

  test('Spamhaus: bot names, heuristics and mail subjects', async ({ page, mock, api }) => {
    await visit(page, mock.urls.app + '/spamhaus');
    await signIn(page);
    const ready = (p) => expect(p.locator('main table.data tbody tr').first()).toBeVisible();
    await withHostileAnswer(page, mock, api, {
      service: 'spamhaus', route: '/spamhaus?ip=45.150.206.0&mask=24', pathPrefix: '/api/intel/v1/byobject/cidr/', ready,
      edits: { botname: payload, heuristic: (_, i) => PAYLOADS[(i + 1) % 3], subject: (_, i) => PAYLOADS[(i + 2) % 3] },
    });
    for (const p of PAYLOADS) await expect(page.locator('main table.data tbody')).toContainText(p);
    await expectInert(page);
  });
});

// -------------------------------------------------------------------------- the Spamhaus token

async function signIn(page) {
  const form = page.getByTestId('signin');
  await form.getByLabel('Account e-mail').fill(USERNAME);
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('token-state')).toContainText('Signed in, expires in');
}

test('signed in, the whole app never shows, stores or sends the Spamhaus token anywhere else', async ({ page, mock, api }) => {
  test.setTimeout(60_000);
  const urls = [];
  const requests = [];
  page.on('framenavigated', (f) => urls.push(f.url()));
  page.on('request', (r) => requests.push(r.allHeaders().then((headers) => ({ url: r.url(), headers, body: r.postData() ?? '' }))));

  await visit(page, mock.urls.app + '/spamhaus');
  await signIn(page);
  const token = JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)).token;
  expect(token.length).toBeGreaterThan(20);

  const dom = [];
  const check = async (where) => {
    urls.push(page.url());
    dom.push([where, await page.evaluate(() => document.documentElement.outerHTML)]);
    const local = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(local, `localStorage on ${where}`).not.toContain(token);
  };
  for (const route of ROUTES) {
    await visit(page, mock.urls.app + route);
    await check(route);
  }
  // The Spamhaus pages really used the token on the way (so the walk proves something).
  await visit(page, mock.urls.app + '/spamhaus?ip=45.150.206.0&mask=24');
  await expect(page.locator('main table.data tbody tr').first()).toBeVisible();
  await check('spamhaus search');
  // In-app navigation, and history back and forward.
  for (const name of ['Spoofer', 'GRIP', 'IODA', 'Spamhaus', 'Settings', 'Home']) {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();
    await page.waitForLoadState('networkidle');
    await check(`nav ${name}`);
  }
  await page.goBack();
  await page.goBack();
  await check('back');
  await page.goForward();
  await check('forward');
  expect(JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)).token).toBe(token);

  for (const [where, html] of dom) expect(html.includes(token), `DOM of ${where}`).toBe(false);
  for (const u of urls) expect(u).not.toContain(token);
  expect(page.consoleMessages.join('\n')).not.toContain(token);

  // Spamhaus is reached through the proxy, under /api/spamhaus/ on the app's origin.
  const spamhaus = mock.urls.proxied.spamhaus + '/';
  const sent = await Promise.all(requests);
  expect(sent.length).toBeGreaterThan(ROUTES.length);
  const withToken = sent.filter((r) => JSON.stringify(r).includes(token));
  expect(withToken.length).toBeGreaterThan(2);
  for (const r of withToken) {
    expect(r.url.startsWith(spamhaus), `token sent to ${r.url}`).toBe(true);
    expect(r.url).not.toContain(token);
  }
  // The mock's own logs agree: no other service ever saw it, Spamhaus only in the header.
  for (const service of ['spoofer', 'grip', 'ioda']) {
    const log = await api.requests(service);
    expect(log.length).toBeGreaterThan(0);
    expect(JSON.stringify(log)).not.toContain(token);
  }
  for (const r of await api.requests('spamhaus')) {
    expect(r.url).not.toContain(token);
    expect(r.body ?? '').not.toContain(token);
  }
});

// --------------------------------------------------------------------------- hostile permalinks

const EVIL = 'https://evil.example';
const HOSTILE_QUERY = [
  ['endpoint', EVIL], ['base', EVIL], ['spamhaus', `${EVIL}/spamhaus`], ['ioda', `${EVIL}/v2`], ['grip', EVIL],
  ['spoofer', EVIL], ['url', EVIL], ['token', 'eyJhbGciOiJIUzI1NiJ9.stolen.sig'], ['api_key', 'k-123'],
  ['config', `${EVIL}/config.json`], ['endpoints[spamhaus]', EVIL], ['ioda_dialect', 'legacy'], ['next', `//evil.example`],
];
const encoded = (pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const raw = (pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&');

test('hostile keys in any permalink change no endpoint, store nothing and still show the page', async ({ page, mock, api }) => {
  test.setTimeout(60_000);
  const hosts = [];
  page.on('request', (r) => hosts.push(new URL(r.url()).origin));
  const allowed = allowedOrigins(mock);
  for (const route of ROUTES) {
    const sep = route.includes('?') ? '&' : '?';
    for (const q of [encoded(HOSTILE_QUERY), raw(HOSTILE_QUERY), encoded(HOSTILE_QUERY).replace(/%/g, '%25')]) {
      await visit(page, `${mock.urls.app}${route}${sep}${q}`);
      // The route's own page, or its own message about its query; never an error from elsewhere.
      await expect(page.locator('main h1')).not.toHaveText('');
      // `netlens.prefetch` is put there by the test fixture itself (fixtures.mjs), not by the app.
      const stored = await page.evaluate(() => [Object.keys(localStorage).filter((k) => k !== 'netlens.prefetch'), Object.keys(sessionStorage)]);
      expect(stored, route).toEqual([[], []]);
    }
  }
  expect([...new Set(hosts)].filter((h) => !allowed.includes(h))).toEqual([]);
  // Nothing asked for the legacy IODA API or used a token from the URL.
  expect((await api.requests('ioda')).filter((r) => r.path.startsWith('/ioda/'))).toEqual([]);
  for (const r of await api.requests('spamhaus')) expect(r.headers.authorization).toBeUndefined();
  // Settings still shows config.json's endpoints.
  await visit(page, `${mock.urls.app}/settings?${encoded(HOSTILE_QUERY)}`);
  for (const s of ['spoofer', 'ioda']) await expect(page.getByTestId(`in-effect-${s}`)).toContainText(mock.urls[s]);
  for (const s of ['grip', 'spamhaus']) await expect(page.getByTestId(`in-effect-${s}`)).toContainText(`api/${s}`);
});

test('paths that look like other hosts stay on this site', async ({ page, mock }) => {
  const hosts = [];
  page.on('request', (r) => hosts.push(new URL(r.url()).origin));
  for (const p of ['//evil.example', '//evil.example/grip', '/%2F%2Fevil.example', '/%5C%5Cevil.example', '/\\evil.example/x', '/https:%2F%2Fevil.example']) {
    await visit(page, mock.urls.app + p);
    expect(new URL(page.url()).origin, p).toBe(mock.urls.app);
    await expect(page.locator('main h1')).toHaveText('Page not found');
    // The app's own links still lead to this site.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL(`${mock.urls.app}/settings`);
  }
  expect([...new Set(hosts)].filter((h) => !allowedOrigins(mock).includes(h))).toEqual([]);
});
