// The fault matrix: every source (IODA, GRIP, Spoofer, Spamhaus signed in) against every way a service
// fails: 401, 403, 404, 429 with and without Retry-After, 500, 502, 503, an answer slower than the
// timeout, a refused connection, a body that is not JSON, JSON of the wrong shape, a 32 MB body, and an
// older answer arriving after a newer query. For each: the page says what happened in words (the service's
// name and the status), what the user typed is still in the form, the rest of the app still works, and
// an older answer never replaces a newer one.
//
// The topology is the users': GRIP and Spamhaus answer through netlens-proxy on the app's origin, so
// their faults reach the page as the proxy relays them (status, body, Retry-After); IODA and Spoofer
// are asked straight. One page per source (a serial block), so the matrix stays fast; config.json sets
// `timeout_seconds` to 2 so "slower than the timeout" takes seconds, not the default 20.
import { test, expect, controlApi, signIn, directFetch } from './fixtures.mjs';

const TIMEOUT_S = 2;
const DAY = 86_400;

/**
 * config.json for the mock's four services, with the short timeout and `over` replacing endpoints
 * (the proxy serves grip and spamhaus as its own `api/<source>` whatever the file says).
 */
function configFor(mock, over = {}) {
  const { spoofer, grip, ioda, spamhaus } = mock.urls;
  return { endpoints: { spoofer, grip, ioda, spamhaus, ...over }, timeout_seconds: TIMEOUT_S };
}

/** `YYYY-MM-DDTHH:MM` (UTC), as the datetime-local inputs take it. */
const inputTime = (secs) => new Date(secs * 1000).toISOString().slice(0, 16);
const formatCount = (n) => n.toLocaleString('en-US');
const search = (page) => page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();

// Per source: where it lives, the request a search makes, what the user types (`inputs(i)` gives the i-th
// distinct query, so every step is a new query), and how many results an answer holds.
const SOURCES = [
  {
    key: 'ioda',
    name: 'IODA',
    path: '/ioda',
    nav: 'IODA',
    listPath: '/v2/outages/alerts',
    // IODA's own typing: the window's start, one day further back each step.
    inputs: (i) => ({ 'From (UTC)': inputTime(Math.floor(Date.now() / 1000 / 3600) * 3600 - (2 + i) * DAY) }),
    // The older query spans 30 days, the newer 7: their answers differ.
    race: () => {
      const hour = Math.floor(Date.now() / 1000 / 3600) * 3600;
      return [{ 'From (UTC)': inputTime(hour - 30 * DAY) }, { 'From (UTC)': inputTime(hour - 7 * DAY) }];
    },
    count: (json) => `${formatCount(json.data.length)} alerts`,
    otherExplorer: { nav: 'GRIP', heading: 'GRIP: BGP routing events' },
  },
  {
    key: 'grip',
    name: 'GRIP',
    path: '/grip',
    nav: 'GRIP',
    listPath: '/json/events',
    inputs: (i) => ({ 'ASNs (asns)': String(64496 + i) }),
    race: () => [{ 'ASNs (asns)': '3356' }, { 'ASNs (asns)': '64496' }],
    count: (json) => `of ${formatCount(json.recordsTotal)}`,
    otherExplorer: { nav: 'IODA', heading: 'IODA outage alerts' },
  },
  {
    key: 'spoofer',
    name: 'CAIDA Spoofer',
    path: '/spoofer',
    nav: 'Spoofer',
    listPath: '/sessions',
    // A query of its own per fault (the second AS makes it unique): an answer already in the response cache
    // would never meet the fault.
    inputs: (i) => ({ ASNs: `${[3356, 3320, 1299, 7018][i % 4]},${64500 + i}`, Country: i % 2 ? 'usa' : '' }),
    // Neither query is asked anywhere else (the AS page's Spoofer panel asks for 3356), so neither is cached.
    race: () => [{ ASNs: '1299', Country: '' }, { ASNs: '7018', Country: '' }],
    count: (json) => `${formatCount(json['hydra:totalItems'])} session`,
    otherExplorer: { nav: 'IODA', heading: 'IODA outage alerts' },
  },
  {
    key: 'spamhaus',
    name: 'Spamhaus SIA',
    path: '/spamhaus',
    nav: 'Spamhaus',
    listPath: '/api/intel/v1/byobject/cidr/',
    inputs: (i) => ({ 'Address or prefix': `45.150.206.${i * 4}`, Mask: String(28 + (i % 3)) }),
    race: () => [{ 'Address or prefix': '45.150.206.0', Mask: '24' }, { 'Address or prefix': '45.150.206.114', Mask: '' }],
    count: (json) => `${formatCount(json.results?.length ?? 0)} record`,
    otherExplorer: { nav: 'GRIP', heading: 'GRIP: BGP routing events' },
  },
];

// Same-origin through the proxy (GRIP, Spamhaus), the page reads Retry-After as relayed; cross-origin
// (IODA, Spoofer) only when the service exposes it.
const RETRY_AFTER = { 'Retry-After': '3', 'Access-Control-Expose-Headers': 'Retry-After' };
// The sources the browser reaches through the proxy.
const PROXIED = new Set(['grip', 'spamhaus']);

// The faults. `says(source)` is what the page must show; `spamhaus` replaces a row where Spamhaus gives the
// status a meaning of its own. `refused` rows point the endpoint at a closed port instead of faulting; for
// a proxied source the proxy's connection to it is dropped (the mock resets it), which the page reads as
// the proxy's 502.
const FAULTS = [
  ...[401, 403, 404, 500, 502, 503].map((status) => ({
    name: `${status}`,
    fault: { kind: 'status', status },
    says: (s) => [`${s.name} answered ${status}`],
  })),
  {
    name: '429 with Retry-After',
    fault: { kind: 'status', status: 429, headers: RETRY_AFTER },
    says: (s) => [`${s.name} answered 429 (too many requests)`, 'try again in 3 s'],
  },
  {
    name: '429 without Retry-After',
    fault: { kind: 'status', status: 429 },
    says: (s) => [`${s.name} answered 429 (too many requests)`, 'wait a little before trying again'],
  },
  {
    name: 'an answer slower than the timeout',
    fault: { kind: 'delay', delayMs: TIMEOUT_S * 1000 + 1500 },
    says: (s) => [`${s.name} did not answer within ${TIMEOUT_S} s`],
  },
  {
    name: 'a refused connection',
    refused: true,
    says: (s) => (PROXIED.has(s.key) ? [s.name, /\b502\b/] : [/could not be reached|network/i, s.name]),
  },
  {
    name: 'a body that is not JSON',
    fault: { kind: 'malformed' },
    says: (s) => [`${s.name} sent an answer NetLens could not read (not valid JSON`],
  },
  {
    name: 'JSON of the wrong shape',
    fault: { kind: 'wrong-shape' },
    says: (s) => [`${s.name} sent an answer NetLens could not read`],
  },
  // 32 MiB: more than any page the app offers (a 1,000-event GRIP page is ~9 MB).
  { name: 'a 32 MB body', fault: { kind: 'huge' }, says: (s) => [`${s.name} sent an answer too large to show (`, 'Narrow the query'] },
];

/** Fills the form with `values` ({label: value}). */
async function fill(page, values) {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}

async function expectKept(page, values) {
  for (const [label, value] of Object.entries(values)) await expect(page.getByLabel(label, { exact: true })).toHaveValue(value);
}

/** The source's GET requests to its list path that the mock has seen. */
async function listRequests(api, s) {
  return (await api.requests(s.key)).filter((r) => r.method === 'GET' && r.path.startsWith(s.listPath));
}

/** Back on the source's page by its header link (client-side, the page is not reloaded), settled. */
async function backTo(page, s) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: s.nav, exact: true }).click();
  await expect(page.getByRole('main').getByRole('button', { name: 'Search', exact: true })).toBeVisible();
  // The default query (Spamhaus runs none) must be answered before a fault is queued for the next one.
  if (s.key !== 'spamhaus') await expect(page.locator('.count, .error-panel').first()).toBeVisible();
}

/** The app outside the failed view still works: the header search box, or another explorer. */
async function appStillWorks(page, s, i) {
  if (i % 2 === 0) {
    const box = page.getByRole('combobox', { name: /Search by AS/ });
    await box.fill('AS3356');
    await box.press('Enter');
    await expect(page).toHaveURL(/\/asn\/3356$/);
    await expect(page.getByRole('heading', { level: 1, name: 'AS3356' })).toBeVisible();
  } else {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: s.otherExplorer.nav, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: s.otherExplorer.heading })).toBeVisible();
    await expect(page.locator('main .count')).toBeVisible();
  }
}

for (const s of SOURCES) {
  test.describe(`${s.name}`, () => {
    test.describe.configure({ mode: 'serial' });
    let page;
    let errors;
    let api;

    test.beforeAll(async ({ browser, mock }) => {
      api = controlApi(mock);
      await api.reset();
      await api.config(configFor(mock));
      page = await browser.newPage();
      // As the shared fixture does: no prefetching, so the request log holds only what the user's actions ask.
      await page.addInitScript(() => localStorage.setItem('netlens.prefetch', 'off'));
      errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(mock.urls.app + s.path);
      if (s.key === 'spamhaus') await signIn(page, api);
      await backTo(page, s);
    });

    test.afterAll(async () => {
      await page?.close();
    });

    test.afterEach(async () => {
      expect(errors, 'uncaught exceptions in the app').toEqual([]);
    });

    FAULTS.forEach((f, i) => {
      test(`${f.name}: the page says so, keeps the form, and the app goes on`, async ({ mock }) => {
        const values = s.inputs(i);
        const refusedDirect = f.refused && !PROXIED.has(s.key);
        if (f.refused && PROXIED.has(s.key)) {
          // The proxy's upstream is fixed at its start: the mock drops the proxy's connection instead,
          // twice (the proxy sends a GET once more on a fresh connection).
          await api.fault({ service: s.key, path: s.listPath, method: 'GET', times: 2, kind: 'reset' });
        } else if (f.refused) {
          // A closed port on loopback: the browser's fetch fails outright.
          const closed = { ioda: 'http://127.0.0.1:9/v2', spoofer: 'http://127.0.0.1:9' };
          await api.config(configFor(mock, { [s.key]: closed[s.key] }));
          await page.goto(mock.urls.app + s.path);
        } else {
          await api.fault({ service: s.key, path: s.listPath, method: 'GET', times: 1, ...f.fault });
        }
        const before = (await listRequests(api, s)).length;
        await fill(page, values);
        await search(page);

        const spamhaus = s.key === 'spamhaus' && SPAMHAUS_MEANINGS[f.name];
        if (spamhaus) {
          await spamhaus(page, api, values);
        } else {
          const panel = page.locator('main .error-panel');
          for (const words of f.says(s)) await expect(panel).toContainText(words);
          await expect(panel).toContainText('Could not load the data.');
          await expectKept(page, values);
          if (refusedDirect) {
            // Nothing reached the service.
            expect((await listRequests(api, s)).length).toBe(before);
          } else {
            // The fault met the search itself, once.
            const sent = (await listRequests(api, s)).slice(before);
            expect(sent.length).toBeGreaterThanOrEqual(1);
            expect(sent[0].fault).toBe(f.fault?.kind ?? 'reset');
          }
        }

        if (refusedDirect) {
          await api.config(configFor(mock));
          await page.goto(mock.urls.app + s.path);
          await backTo(page, s);
        }
        await appStillWorks(page, s, i);
        await backTo(page, s);
      });
    });

    test('an older answer arriving after a newer query is never shown', async ({ mock }) => {
      const [older, newer] = s.race();
      await api.fault({ service: s.key, path: s.listPath, method: 'GET', times: 1, kind: 'delay', delayMs: 1_500 });
      const before = (await listRequests(api, s)).length;
      await fill(page, older);
      await search(page);
      await expect.poll(async () => (await listRequests(api, s)).length).toBeGreaterThan(before);
      await fill(page, newer);
      await search(page);
      await expect.poll(async () => (await listRequests(api, s)).length).toBeGreaterThan(before + 1);

      const sent = (await listRequests(api, s)).slice(before);
      const late = sent[0];
      expect(late.fault).toBe('delay');
      const last = sent.at(-1);
      expect(last.fault).toBeUndefined();
      // What the newer query returns, asked directly, and what the older one would have shown.
      const base = new URL(mock.urls[s.key]).origin;
      const headers = s.key === 'spamhaus' ? { authorization: last.headers.authorization } : { accept: last.headers.accept };
      const answer = async (r) => {
        const res = await directFetch(base + r.url, { headers });
        return res.status === 404 ? [] : res.json();
      };
      const newerCount = s.count(await answer(last));
      const olderCount = s.count(await answer(late));
      expect(olderCount).not.toBe(newerCount);
      const count = s.key === 'spamhaus' ? page.getByTestId('count') : page.locator('main .count');
      await expect(count).toContainText(newerCount);
      await expectKept(page, newer);
      // The delayed answer has certainly been sent (the mock logs its status once it answers) ...
      await expect
        .poll(async () => (await listRequests(api, s)).find((r) => r.time === late.time && r.url === late.url)?.status, {
          timeout: 5_000,
        })
        .toBeTruthy();
      // ... and after one more round of the event loop the page still shows the newer answer.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      await expect(count).toContainText(newerCount);
      await expect(count).not.toContainText(olderCount);
    });
  });
}

// Spamhaus gives three statuses a meaning of its own.
const SPAMHAUS_MEANINGS = {
  // 404 is how the service says "nothing listed": an empty result, not an error.
  404: async (page, api, values) => {
    await expect(page.locator('.results .empty-state')).toContainText('Nothing listed');
    await expect(page.getByTestId('count')).toHaveText('0 records, 0 still listed');
    await expect(page.locator('main .error-panel')).toHaveCount(0);
    await expectKept(page, values);
  },
  // 401: the token was refused; sign in again, and the query runs by itself.
  401: async (page, api, values) => {
    await expect(page.getByTestId('signin')).toContainText('Your session expired: sign in again to run this query.');
    await expect(page.getByTestId('awaiting-signin')).toBeVisible();
    await expect(page.locator('main .error-panel')).toHaveCount(0);
    await expectKept(page, values);
    await signIn(page, api);
    await expect(page.getByTestId('count')).toBeVisible();
  },
  // 429: a notice counts down and the search runs again by itself.
  '429 with Retry-After': async (page, api, values) => {
    const notice = page.getByTestId('rate-limit');
    await expect(notice).toContainText("Spamhaus SIA is limiting this account's request rate (429 Too many requests");
    await expect(notice).toContainText(/Retrying automatically in [0-3] s\./);
    await expectKept(page, values);
    await expect(page.getByTestId('count')).toBeVisible();
    await expect(notice).toBeHidden();
  },
  '429 without Retry-After': async (page, api, values) => {
    const notice = page.getByTestId('rate-limit');
    await expect(notice).toContainText("Spamhaus SIA is limiting this account's request rate (429 Too many requests");
    await expect(notice).toContainText(/Retrying automatically in \d+ s\./);
    await expectKept(page, values);
    await expect(page.getByTestId('count')).toBeVisible({ timeout: 10_000 });
    await expect(notice).toBeHidden();
  },
};

// A panic shows the banner from index.html with the panic's message and a reload link, instead of a dead
// page. Nothing in NetLens panics on purpose, so the deployer-only diagnostics page (config.json
// `"diagnostics": true`) has a button that does. Its own page: the wasm trap after a panic is an uncaught
// exception, which this test expects (the shared fixture fails a test on any).
test('a panic shows the "something broke" banner with its message and a working reload link', async ({ browser, mock, api }) => {
  await api.reset();
  await api.config({ ...configFor(mock), diagnostics: true });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(mock.urls.app + '/diagnostics');
    const banner = page.locator('#panic-banner');
    await expect(page.getByRole('heading', { level: 1, name: 'Diagnostics' })).toBeVisible();
    await expect(banner).toBeHidden();
    await page.getByRole('button', { name: 'Trigger a test panic' }).click();

    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('role', 'alert');
    await expect(banner).toContainText('Something broke in NetLens.');
    await expect(banner.locator('#panic-message')).toContainText('test panic from the diagnostics page');
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatch(/unreachable/i); // the wasm trap that follows the panic, nothing else

    const reload = banner.getByRole('link', { name: 'Reload the page' });
    await expect(reload).toHaveAttribute('href', mock.urls.app + '/diagnostics');
    await reload.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Diagnostics' })).toBeVisible();
    await expect(banner).toBeHidden();
    expect(errors).toHaveLength(1);
  } finally {
    await page.close();
  }
});

test('without the config switch /diagnostics is the not-found page, whatever the URL or Settings say', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/diagnostics?diagnostics=true');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Trigger a test panic' })).toHaveCount(0);
  // Settings live in localStorage with the endpoints; the switch there counts for nothing.
  await page.evaluate(() => localStorage.setItem('netlens.endpoints', JSON.stringify(JSON.stringify({ endpoints: {}, diagnostics: true }))));
  await page.goto(mock.urls.app + '/diagnostics');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Trigger a test panic' })).toHaveCount(0);
});
