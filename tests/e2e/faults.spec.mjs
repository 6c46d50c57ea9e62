// Shared failure handling, seen through the IODA page (the first page that needs no sign-in):
// unreachable services, slow answers, and an older answer arriving after a newer query.
import { test, expect } from './fixtures.mjs';

test('an unreachable service says so, points at the proxy help, and the app keeps working', async ({ page, mock, api }) => {
  // Port 9 on loopback is closed: the browser reports a failed fetch, as it does for a CORS refusal.
  await api.config({ endpoints: { ioda: 'http://127.0.0.1:9/v2' } });
  await page.goto(mock.urls.app + '/ioda');
  const panel = page.locator('.error-panel');
  await expect(panel).toContainText('IODA could not be reached');
  await expect(panel).toContainText('CORS');
  await panel.getByRole('link', { name: 'Point NetLens at a proxy' }).click();
  await expect(page).toHaveURL(/\/settings#proxy$/);
  await expect(page.getByRole('heading', { name: 'Using a CORS proxy' })).toBeVisible();
});

test('a service slower than the timeout gets a message and a retry that works', async ({ page, mock, api }) => {
  test.setTimeout(60_000);
  await api.fault({ service: 'ioda', path: '/v2/outages/alerts', kind: 'delay', delayMs: 25_000, times: 1 });
  await page.goto(mock.urls.app + '/ioda');
  const panel = page.locator('.error-panel');
  await expect(panel).toContainText('IODA did not answer within 20 s', { timeout: 25_000 });
  await panel.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('table.data tbody tr').first()).toBeVisible();
  await expect(page.locator('.error-panel')).toHaveCount(0);
});

test('an older answer arriving after a newer query is never shown', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/ioda');
  await expect(page.locator('.count')).toBeVisible();
  const first = await page.locator('.count').textContent();
  // The next request (the 30-day window) answers late; the one after it (7 days) at once.
  await api.fault({ service: 'ioda', path: '/v2/outages/alerts', kind: 'delay', delayMs: 2_500, times: 1 });
  const search = page.getByRole('button', { name: 'Search', exact: true });
  await page.getByRole('button', { name: '30 d', exact: true }).click();
  await search.click();
  await page.getByRole('button', { name: '7 d', exact: true }).click();
  await search.click();
  await expect(page).toHaveURL(/until=/);
  const week = new URL(page.url());
  const from = Number(week.searchParams.get('from'));
  const until = Number(week.searchParams.get('until'));
  expect(until - from).toBe(7 * 86_400);
  await expect(page.locator('.count')).not.toHaveText(first);
  const requests = (await api.requests('ioda')).filter((r) => r.path === '/v2/outages/alerts' && r.method === 'GET');
  const windows = requests.map((r) => Number(r.query.until) - Number(r.query.from));
  expect(windows).toContain(30 * 86_400);
  expect(windows.at(-1)).toBe(7 * 86_400);
  // Requests leave exactly as the core built them (no stray separators added on the way).
  for (const r of requests) expect(r.url).not.toMatch(/[&?]$/);
  // What the 7-day query returns, asked directly.
  const answer = await (await fetch(mock.urls.ioda.replace(/\/v2$/, '') + requests.at(-1).url)).json();
  await expect(page.locator('.count')).toHaveText(`${answer.data.length} alerts (page 1)`);
  // Wait until the delayed 30-day answer has certainly arrived, then check nothing changed.
  await page.waitForTimeout(3_000);
  await expect(page.locator('.count')).toHaveText(`${answer.data.length} alerts (page 1)`);
});
