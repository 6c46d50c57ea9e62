// The deployment users run: `netlens-proxy --dist` serves the app and forwards GRIP and Spamhaus (which
// send no CORS headers, as the real services do) on the same origin under /api/<source>/; and the
// static-host path without a proxy, where the app says why GRIP and Spamhaus need one. The worker's
// topology (tests/e2e/topology.mjs) starts the proxy for every spec; these tests look at the proxy
// itself, and at what a user of a plain static host reads.
import { test, expect, signIn } from './fixtures.mjs';
import { startProxy } from './topology.mjs';

const IHR_EVENT = 'moas-1691663100-328892_60064';

async function search(page, prefix) {
  await page.getByLabel('Address or prefix').fill(prefix);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

test('behind the proxy, Spamhaus works on the app\'s own origin: sign in, search, rows, the token only to Spamhaus', async ({ page, mock, api }) => {
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));

  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, api);
  await search(page, '45.150.206.0/24');
  await expect(page.getByTestId('count')).toContainText(/^\d+ records/);
  const rows = page.locator('.results table tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(page.locator('.results table tbody')).toContainText('45.150.206.');
  await expect(page.locator('.error-panel')).toHaveCount(0);

  // The browser talked to its own origin only, never to the Spamhaus mock directly.
  expect(requested.some((u) => u.startsWith(`${mock.urls.proxied.spamhaus}/api/v1/login`))).toBe(true);
  expect(requested.some((u) => u.startsWith(mock.urls.spamhaus))).toBe(false);

  // What reached Spamhaus came through the proxy: the browser's token, and no cookies or Referer.
  const seen = (await api.requests('spamhaus')).filter((r) => r.method !== 'OPTIONS');
  expect(seen.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/v1/login']));
  const cidr = seen.filter((r) => r.path.startsWith('/api/intel/v1/byobject/cidr/'));
  expect(cidr.length).toBeGreaterThan(0);
  const token = JSON.parse(await page.evaluate(() => sessionStorage.getItem('netlens.spamhaus.token'))).token;
  for (const r of cidr) expect(r.headers.authorization).toBe(`Bearer ${token}`);
  for (const r of seen) {
    expect(r.headers.referer).toBeUndefined();
    expect(r.headers.cookie).toBeUndefined();
  }
  // The proxy's log never holds the token or the password.
  const { account } = await api.data('spamhaus');
  expect(mock.proxy.log()).not.toContain(token);
  expect(mock.proxy.log()).not.toContain(account.password);
});

test('behind the proxy, GRIP works on the app\'s own origin: the proxy follows GRIP\'s redirect to /v1/json', async ({ page, mock, api }) => {
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(mock.urls.app + '/grip?event_type=moas&length=10');
  await expect(page.locator('.grip-results a.grip-event-link')).toHaveCount(10);
  await expect(page.locator('main .error-panel')).toHaveCount(0);
  expect(requested.some((u) => u.startsWith(`${mock.urls.proxied.grip}/events?`))).toBe(true);
  expect(requested.some((u) => u.startsWith(`http://127.0.0.1:${mock.ports.grip}`))).toBe(false);

  // The mock answered /json/events with its 301, and the proxy asked the absolute Location itself.
  const log = await api.requests('grip', { redirects: true });
  const hop = log.find((r) => r.status === 301 && r.url.startsWith('/json/events?'));
  expect(hop).toBeTruthy();
  expect(hop.redirect).toBe(`http://127.0.0.1:${mock.ports.grip}/v1/json/events?${hop.url.split('?')[1]}`);
  expect(log.some((r) => r.status === 200 && r.url === new URL(hop.redirect).pathname + new URL(hop.redirect).search)).toBe(true);

  // A deep link opened cold boots the app (SPA fallback) and loads the event through the proxy.
  await page.goto(`${mock.urls.app}/grip/event/${IHR_EVENT}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP event');
  await expect(page.locator('main')).toContainText(IHR_EVENT);
  await expect(page.locator('main')).toContainText('AS328892');
  await expect(page.locator('main .error-panel')).toHaveCount(0);
});

test('a GRIP request that meets a dropped upstream connection is sent once more by the proxy, and the page never knows', async ({ page, mock, api }) => {
  await api.fault({ service: 'grip', path: '/json/events', method: 'GET', times: 1, kind: 'reset' });
  await page.goto(mock.urls.app + '/grip?event_type=moas&length=10');
  await expect(page.locator('.grip-results a.grip-event-link')).toHaveCount(10);
  await expect(page.locator('main .error-panel')).toHaveCount(0);
  const log = await api.requests('grip', { redirects: true });
  const events = log.filter((r) => r.path === '/json/events');
  // The hop to /v1/json (301), the dropped answer, then the proxy's second try: 301 and 200.
  expect(events.filter((r) => r.fault === 'reset')).toHaveLength(1);
  expect(events.at(-1).status).toBe(200);
  expect(events.at(-1).fault ?? null).toBeNull();
});

test('the proxy serves config.json with GRIP and Spamhaus through it, and follows the config file without a restart', async ({ mock, api }) => {
  const read = async () => {
    const r = await fetch(`${mock.urls.app}/config.json`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toMatch(/no-cache|no-store/);
    return r.json();
  };
  const served = await read();
  expect(served.endpoints.grip).toBe('api/grip');
  expect(served.endpoints.spamhaus).toBe('api/spamhaus');
  expect(served.endpoints.spoofer).toBe(mock.urls.spoofer);
  expect(served.endpoints.ioda).toBe(mock.urls.ioda);

  // The deployer edits the file: the next request sees it, grip and spamhaus still through the proxy.
  await api.config({ endpoints: { spoofer: mock.urls.spoofer, ioda: mock.urls.iodaLegacy, grip: 'https://elsewhere.example/json' }, ioda_dialect: 'legacy', timeout_seconds: 7 });
  const edited = await read();
  expect(edited.endpoints.ioda).toBe(mock.urls.iodaLegacy);
  expect(edited.endpoints.grip).toBe('api/grip');
  expect(edited.endpoints.spamhaus).toBe('api/spamhaus');
  expect(edited.ioda_dialect).toBe('legacy');
  expect(edited.timeout_seconds).toBe(7);
});

test('the proxy serves the app like a static host: cache headers, security headers, SPA fallback, /healthz', async ({ mock }) => {
  expect((await fetch(`${mock.urls.app}/healthz`)).status).toBe(200);
  const index = await fetch(`${mock.urls.app}/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('cache-control')).toMatch(/no-cache/);
  expect(index.headers.get('content-security-policy')).toMatch(/default-src/);
  expect(index.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  expect(index.headers.get('x-content-type-options')).toBe('nosniff');
  const html = await index.text();
  // A hashed file is cached for long.
  const wasm = html.match(/\/([\w.-]+_bg\.wasm)/)?.[1];
  expect(wasm).toBeTruthy();
  const file = await fetch(`${mock.urls.app}/${wasm}`);
  expect(file.status).toBe(200);
  expect(file.headers.get('cache-control')).toMatch(/max-age=\d{5,}|immutable/);
  // An app route has no file: the app's HTML answers it.
  const deep = await fetch(`${mock.urls.app}/grip/event/${IHR_EVENT}`);
  expect(await deep.text()).toContain(wasm);
  // Only the four sources are forwarded.
  expect([400, 404]).toContain((await fetch(`${mock.urls.app}/api/nope/x`)).status);
});

test('the proxy refuses pages from other origins, so another site cannot use it', async ({ mock }) => {
  const proxy = await startProxy(['--allow-origin', 'https://netlens.example.org', '--upstream', `spamhaus=${mock.urls.spamhaus}`]);
  try {
    // The forwarding path of a proxy without --dist.
    const paths = [`${proxy.url}/spamhaus/api/intel/v1/limits`, `${proxy.url}/api/spamhaus/api/intel/v1/limits`];
    let refused = null;
    for (const p of paths) {
      const r = await fetch(p, { headers: { origin: 'https://evil.example' } });
      if (r.status !== 404) {
        refused = r;
        break;
      }
    }
    expect(refused?.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'origin not allowed' });
  } finally {
    await proxy.close();
  }
});

// ------------------------------------------------------------------ a static host without a proxy

// The mock's own static server with the public defaults' shape: all four services straight from the
// browser. GRIP and Spamhaus send no CORS headers, so the browser refuses their answers.
test.describe('on a static host without a proxy', () => {
  test('the GRIP page says, before any query, that GRIP needs netlens-proxy, and a search fails as refused (CORS), not as a network error', async ({ page, mock, api }) => {
    await page.goto(mock.urls.staticApp + '/grip');
    const main = page.getByRole('main');
    await expect(main).toContainText(/netlens-proxy/);
    await expect(main).toContainText(/Settings/);
    // The default search went out, reached GRIP, and its answer was refused by the browser.
    const panel = page.locator('main .error-panel');
    await expect(panel).toContainText('GRIP');
    await expect(panel).toContainText(/CORS|refus/i);
    await expect(panel).not.toContainText(/network|DNS/i);
    expect((await api.requests('grip', { redirects: true })).some((r) => r.path === '/json/events')).toBe(true);
  });

  test('the Spamhaus page says, before signing in, that Spamhaus needs netlens-proxy, and signing in fails as refused (CORS)', async ({ page, mock, api }) => {
    await page.goto(mock.urls.staticApp + '/spamhaus');
    const main = page.getByRole('main');
    await expect(main).toContainText(/netlens-proxy/);
    await expect(main).toContainText(/Settings/);
    const { account } = await api.data('spamhaus');
    const form = page.getByTestId('signin');
    await form.getByLabel('Account e-mail').fill(account.username);
    await form.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByTestId('signin-submit').click();
    const panel = page.locator('.error-panel');
    await expect(panel).toContainText('Spamhaus');
    await expect(panel).toContainText(/CORS|refus/i);
    await expect(panel).not.toContainText(/network|DNS/i);
    await expect(page.getByTestId('token-state')).toBeHidden();
  });

  test('IODA and Spoofer, which send CORS headers, work there as they are', async ({ page, mock }) => {
    await page.goto(mock.urls.staticApp + '/ioda');
    await expect(page.locator('main .count')).toBeVisible();
    await expect(page.locator('main .error-panel')).toHaveCount(0);
    await page.goto(mock.urls.staticApp + '/spoofer?asn=3356');
    await expect(page.locator('main .count')).toBeVisible();
    await expect(page.locator('main .error-panel')).toHaveCount(0);
  });
});
