// Performance behaviour a user notices: pages already seen come back without a new request (the
// in-memory response cache), the next page is fetched ahead while the user reads, identical
// requests in flight are sent once, and a 1,000-row page is windowed yet every row is reachable.
import { test, expect, directFetch, isAppRequest } from './fixtures.mjs';

const PER_PAGE = 30;

// fixtures.mjs turns prefetching off for the other specs; these tests are about it.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.removeItem('netlens.prefetch'));
});

/** The app's GET requests to one service path (straight or through the proxy), not the tests' own. */
async function appGets(api, service, path) {
  return (await api.requests(service)).filter((r) => r.method === 'GET' && r.path === path && isAppRequest(r));
}

/** How many times each URL was requested. */
const perUrl = (reqs) => reqs.reduce((m, r) => m.set(r.url, (m.get(r.url) ?? 0) + 1), new Map());

const gripIds = (page) => page.locator('.grip-results a.grip-event-link');
const gripPager = (page) => page.locator('.grip-results').getByRole('navigation', { name: 'Pages' }).first();

/** The Spoofer sessions of an AS, in the order the service lists them. */
async function sessionsOf(api, asn) {
  const { sessions } = await api.data('spoofer');
  return sessions
    .filter((s) => s.asn4 === String(asn) || s.asn6 === String(asn))
    .sort((a, b) => a.session - b.session)
    .map((s) => String(s.session));
}

test('back, forward and returning to a result page show it again without asking GRIP again', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/grip?event_type=moas&length=10');
  await expect(gripIds(page)).toHaveCount(10);
  const first = await gripIds(page).allTextContents();

  await gripPager(page).getByRole('link', { name: 'Next page' }).click();
  await expect(gripPager(page).locator('[aria-current="page"]')).toHaveText('2');
  await expect(gripIds(page)).toHaveCount(10);
  const second = await gripIds(page).allTextContents();
  expect(second).not.toEqual(first);

  await page.goBack();
  await expect(gripIds(page)).toHaveText(first);
  await page.goForward();
  await expect(gripIds(page)).toHaveText(second);
  // Away to another source and back through the header.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Spoofer' }).click();
  await expect(page.locator('table.data tbody tr').first()).toBeVisible();
  await page.goBack();
  await expect(gripIds(page)).toHaveText(second);

  // Each page was fetched once (a prefetch of page 3 may be among them, also once).
  const searches = await appGets(api, 'grip', '/json/events');
  const counts = perUrl(searches);
  expect([...counts.values()].every((n) => n === 1), JSON.stringify([...counts])).toBe(true);
  const starts = searches.map((r) => r.query.start ?? '0');
  expect(starts).toContain('0');
  expect(starts).toContain('10');
});

test('after a moment on a page the next one is fetched ahead and opens without a new request', async ({ page, mock, api }) => {
  const ids = await sessionsOf(api, 3356);
  await page.goto(mock.urls.app + '/spoofer?asn=3356');
  await expect(page.locator('table.data tbody a.session-link')).toHaveText(ids.slice(0, PER_PAGE));
  // The prefetch of page 2 reaches the mock while the user is still on page 1.
  await expect.poll(async () => (await appGets(api, 'spoofer', '/sessions')).filter((r) => r.url.includes('page=2')).length, { timeout: 10_000 }).toBe(1);
  expect(page.url()).not.toContain('page=2');

  await page.getByRole('navigation', { name: 'Pages' }).first().getByRole('link', { name: 'Next page' }).click();
  await expect(page.locator('table.data tbody a.session-link')).toHaveText(ids.slice(PER_PAGE, 2 * PER_PAGE));
  const page2 = (await appGets(api, 'spoofer', '/sessions')).filter((r) => r.url.includes('page=2'));
  expect(page2).toHaveLength(1);
});

test('turning "load ahead" off in Settings stops the prefetch; turning it on brings it back', async ({ page, mock, api }) => {
  // In-app navigation only: this spec's beforeEach clears the setting on every full page load.
  const nav = page.getByRole('navigation', { name: 'Sections' });
  const box = page.getByLabel(/Fetch the next page of results in the background/);
  const page2Asks = async () => (await appGets(api, 'spoofer', '/sessions')).filter((r) => r.url.includes('page=2')).length;
  await page.goto(mock.urls.app + '/settings');
  await expect(box).toBeChecked();
  await box.uncheck();
  expect(await page.evaluate(() => localStorage.getItem('netlens.prefetch'))).toBe('off');

  await nav.getByRole('link', { name: 'Spoofer', exact: true }).click();
  await expect(page.locator('table.data tbody a.session-link').first()).toBeVisible();
  // Longer than the prefetch delay (1.2 s): page 2 must still be unasked.
  await page.waitForTimeout(2_500);
  expect(await page2Asks()).toBe(0);

  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await box.check();
  expect(await page.evaluate(() => localStorage.getItem('netlens.prefetch'))).toBeNull();
  await nav.getByRole('link', { name: 'Spoofer', exact: true }).click();
  await expect(page.locator('table.data tbody a.session-link').first()).toBeVisible();
  await expect.poll(page2Asks, { timeout: 10_000 }).toBe(1);
});

test('leaving a result page that the cache answers for another page never breaks the app', async ({ page, mock }) => {
  // Page 1 is cached; coming back to it and leaving at once through the search box used to let the
  // cached answer land inside the page being torn down (a panic). The fixture fails on any.
  await page.goto(mock.urls.app + '/ioda');
  await expect(page.locator('main .count')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('link', { name: 'GRIP', exact: true }).click();
  await expect(page.locator('main .count')).toBeVisible();
  await page.goBack();
  await expect(page.locator('main .count')).toBeVisible();
  const search = page.getByRole('combobox', { name: /Search by AS/ });
  await search.fill('AS3356');
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'AS3356' })).toBeVisible();
  await expect(page.locator('#panic-banner')).toBeHidden();
});

test('opening a page while the same request is in flight shares it: GRIP is asked once', async ({ page, mock, api }) => {
  // Page 2 answers slowly, so the user's click arrives while the prefetch is still waiting.
  await api.fault({ service: 'grip', path: '/json/events', kind: 'delay', delayMs: 3_000, times: 1 });
  await page.goto(mock.urls.app + '/grip?event_type=moas&length=10');
  // The first (fault-delayed) answer is page 1's; the prefetch of page 2 is answered normally
  // unless page 1 was slow, so queue a second delay for page 2 once page 1 shows.
  await expect(gripIds(page)).toHaveCount(10);
  await api.fault({ service: 'grip', path: '/json/events', kind: 'delay', delayMs: 3_000, times: 1 });
  await expect.poll(async () => (await appGets(api, 'grip', '/json/events')).length, { timeout: 10_000 }).toBe(2);

  await gripPager(page).getByRole('link', { name: 'Next page' }).click();
  await expect(gripPager(page).locator('[aria-current="page"]')).toHaveText('2');
  const [, page2] = await appGets(api, 'grip', '/json/events');
  const answer = await (await directFetch(new URL(page2.url, mock.urls.grip).href)).json();
  await expect(gripIds(page)).toHaveText(answer.data.map((e) => e.id));
  const searches = await appGets(api, 'grip', '/json/events');
  expect(searches.filter((r) => r.url === page2.url)).toHaveLength(1);
});

test('a 1,000-event page of real-weight events (~9 MB) loads through the proxy, renders at once and every row is reachable by scrolling', async ({ page, mock, api }) => {
  test.setTimeout(60_000); // ~9 MB through the proxy, parsed and windowed, on a busy machine
  const proxied = [];
  page.on('response', (r) => r.url().startsWith(`${mock.urls.proxied.grip}/events`) && proxied.push(r));
  await page.goto(mock.urls.app + '/grip?length=1000');
  const table = page.locator('.grip-results table.data');
  await expect(table).toHaveAttribute('aria-rowcount', '1001', { timeout: 20_000 });
  await expect(page.locator('main .error-panel')).toHaveCount(0);
  const [request] = await appGets(api, 'grip', '/json/events');
  const body = await (await directFetch(new URL(request.url, mock.urls.grip).href)).text();
  const answer = JSON.parse(body);
  expect(answer.data).toHaveLength(1000);
  // Real weight: GRIP's answers carry ~9 KB per event (asinfo for every AS on the paths).
  expect(Buffer.byteLength(body)).toBeGreaterThan(7_500_000);
  // The page asked its own origin (the proxy), which followed GRIP's redirect to /v1/json/events.
  expect(proxied.length).toBe(1);
  expect(proxied[0].status()).toBe(200);
  expect(request.url.startsWith('/v1/json/events?')).toBe(true);
  await expect(gripIds(page).first()).toHaveText(answer.data[0].id);
  // Windowed: far fewer rows than 1,000 are in the DOM.
  expect(await table.locator('tbody tr:not(.spacer)').count()).toBeLessThan(200);
  // Nothing of the table's scroll box spills onto the page: the page ends soon after the table's box
  // (the rows' screen-reader text once stretched it by thousands of blank pixels).
  const { pageHeight, boxBottom } = await table.evaluate((t) => ({
    pageHeight: document.documentElement.scrollHeight,
    boxBottom: t.closest('.table-wrap').getBoundingClientRect().bottom + window.scrollY,
  }));
  expect(pageHeight).toBeLessThan(boxBottom + 600);

  // Any row can be reached by scrolling towards it: the first, some in the middle, the last.
  const reach = (n) =>
    table.evaluate(async (t, n) => {
      const wrap = t.closest('.table-wrap');
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (let step = 0; step < 40; step++) {
        const rendered = [...t.querySelectorAll('tbody tr[aria-rowindex]')];
        const target = rendered.find((tr) => Number(tr.getAttribute('aria-rowindex')) === n);
        if (target) {
          target.scrollIntoView({ block: 'center' });
          await frame();
          return target.querySelector('a.grip-event-link')?.textContent ?? null;
        }
        // Scroll towards it by the rendered rows' height each.
        const first = rendered[0];
        const last = rendered[rendered.length - 1];
        const height = (last.getBoundingClientRect().bottom - first.getBoundingClientRect().top) / rendered.length;
        const mid = (Number(first.getAttribute('aria-rowindex')) + Number(last.getAttribute('aria-rowindex'))) / 2;
        wrap.scrollTop += (n - mid) * height;
        await frame();
      }
      return null;
    }, n);
  for (const n of [2, 250, 501, 777, 1001]) {
    expect(await reach(n), `row ${n}`).toBe(answer.data[n - 2].id);
    await expect(table.locator(`tbody tr[aria-rowindex="${n}"] a.grip-event-link`)).toBeVisible();
  }
});

test('a large page paints its first 20 events before the rest is decoded, then the whole page in their place', async ({ page, mock, api }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 412, height: 823 });
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
    // What the results held when the first events were drawn.
    const mo = new MutationObserver(() => {
      const partial = document.querySelector('[data-testid="grip-partial"]');
      const table = document.querySelector('.grip-results table.data');
      if (partial && table && !window.__partial) {
        window.__partial = {
          label: partial.textContent,
          rowcount: table.getAttribute('aria-rowcount'),
          ids: [...table.querySelectorAll('a.grip-event-link')].map((a) => a.textContent),
          pager: document.querySelectorAll('.grip-results nav, .grip-results [data-testid="grip-jump"]').length,
        };
        mo.disconnect();
      }
    });
    mo.observe(document, { childList: true, subtree: true });
  });
  await page.goto(mock.urls.app + '/grip?length=1000');
  const table = page.locator('.grip-results table.data');
  await expect(table).toHaveAttribute('aria-rowcount', '1001', { timeout: 20_000 });
  await expect(page.getByTestId('grip-partial')).toHaveCount(0);
  await expect(page.locator('.grip-results .count')).toContainText('1–1,000');
  const [request, ...more] = await appGets(api, 'grip', '/json/events');
  expect(more, 'the page is asked once').toHaveLength(0);
  const answer = await (await directFetch(new URL(request.url, mock.urls.grip).href)).json();
  const partial = await page.evaluate(() => window.__partial);
  expect(partial, 'the first events were drawn before the whole page').toBeTruthy();
  expect(partial.label).toBe('The first 20 events; reading the rest of the page…');
  expect(partial.rowcount).toBe('21');
  expect(partial.pager, 'no pager before the count is known').toBe(0);
  // The answer's first events, in its order: the same rows the whole page then shows first.
  expect(partial.ids.length).toBeGreaterThan(5);
  expect(partial.ids).toEqual(answer.data.slice(0, partial.ids.length).map((e) => e.id));
  await expect(gripIds(page).first()).toHaveText(answer.data[0].id);
  // The whole page takes the first events' place without moving what is on screen (on a phone).
  const shifts = await page.evaluate(() => window.__shifts);
  expect(shifts.reduce((n, v) => n + v, 0), JSON.stringify(shifts)).toBeLessThan(0.02);
});

test('a page of 50 events (under the size drawn head first) paints its first rows, then every row, and nothing on a phone shifts when the answer lands', async ({ page, mock, api }) => {
  await page.setViewportSize({ width: 412, height: 823 });
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push([e.value, e.sources.map((s) => s.node?.nodeName ?? '?').join(',')]);
    }).observe({ type: 'layout-shift', buffered: true });
    // What the first painted frame with rows held: counted in the frame the first row appears in.
    const mo = new MutationObserver(() => {
      const body = document.querySelector('.grip-results table.data tbody');
      if (body?.querySelector('tr[aria-rowindex]')) {
        mo.disconnect();
        requestAnimationFrame(() => {
          window.__firstFrame = { rows: body.querySelectorAll('tr[aria-rowindex]').length, spacer: body.querySelectorAll('tr.spacer').length };
        });
      }
    });
    mo.observe(document, { childList: true, subtree: true });
  });
  await page.goto(mock.urls.app + '/grip?length=50');
  const table = page.locator('.grip-results table.data');
  await expect(table).toHaveAttribute('aria-rowcount', '51');
  const [request] = await appGets(api, 'grip', '/json/events');
  const answer = await (await directFetch(new URL(request.url, mock.urls.grip).href)).json();
  expect(answer.data).toHaveLength(50);
  // Every row follows, in order, and the spacer that held their place is gone.
  await expect(table.locator('tbody tr')).toHaveCount(50);
  await expect(table.locator('tbody tr.spacer')).toHaveCount(0);
  expect(await gripIds(page).allTextContents()).toEqual(answer.data.map((e) => e.id));
  // The first frame had the first rows only (the table starts below the fold: ui/table.rs draws 10
  // first, then 20 a task) and a spacer for the rest.
  const first = await page.evaluate(() => window.__firstFrame);
  expect(first.rows).toBeGreaterThan(5);
  expect(first.rows).toBeLessThanOrEqual(10);
  expect(first.spacer).toBe(1);
  // Layout shifts while the page loaded (the footer once jumped when the answer landed: 0.13).
  const shifts = await page.evaluate(() => window.__shifts);
  const total = shifts.reduce((n, [v]) => n + v, 0);
  expect(total, JSON.stringify(shifts)).toBeLessThan(0.02);
});
