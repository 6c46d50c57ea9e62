// /ioda/summary: "what is out now", from IODA's /outages/summary. The page ranks what the service
// answers by overall score, with per-source scores and event counts, links each entity to its own
// page, follows the window and the entity type in the URL, and names a bad parameter at its field.
import { test, expect, directFetch, isAppRequest } from './fixtures.mjs';

const DAY = 86_400;
const SUMMARY = '/v2/outages/summary';

/** A 20-day window inside the mock's 30 days of alerts. */
const windowOf = (data) => ({ from: data.anchor - 24 * DAY, until: data.anchor - 4 * DAY });

/** What the service itself answers for the page's request (the test's own request, not logged as the app's). */
async function answered(mock, { from, until, type }) {
  const q = new URLSearchParams({ from: String(from), until: String(until), ignoreMethods: '*.sarima', limit: '100', orderBy: 'score/desc' });
  if (type) q.set('entityType', type);
  const body = await (await directFetch(`${mock.urls.ioda}/outages/summary?${q}`)).json();
  expect(body.error).toBeNull();
  return body.data;
}

/** The table's rows as the page shows them: entity code and name, the overall score, the events. */
async function tableRows(page) {
  return page.locator('main table.data tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      return { rank: Number(td[0].textContent), code: td[1].querySelector('.mono').textContent.trim(), events: td[6].textContent.trim() };
    }),
  );
}

test('home links to the summary, which ranks what IODA answers by overall score and links each entity', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  await page.goto(mock.urls.app + '/');
  await page.getByRole('link', { name: 'What is out now' }).click();
  await expect(page).toHaveURL(/\/ioda\/summary$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What is out now');

  await page.goto(`${mock.urls.app}/ioda/summary?from=${w.from}&until=${w.until}`);
  const expected = await answered(mock, w);
  expect(expected.length).toBeGreaterThan(2);
  await expect(page.getByTestId('count')).toHaveText(`${expected.length} entities with outages`);
  const rows = await tableRows(page);
  expect(rows).toEqual(
    expected.map((e, i) => ({ rank: i + 1, code: `${e.entity.type}/${e.entity.code}`, events: e.event_cnt.toLocaleString('en-US') })),
  );
  // Worst first.
  const overall = expected.map((e) => e.scores.overall);
  expect([...overall].sort((a, b) => b - a)).toEqual(overall);

  // The app asked for exactly this, once (the home link's default window came before).
  const sent = (await api.requests('ioda')).filter((r) => r.path === SUMMARY && isAppRequest(r) && r.query.from === String(w.from));
  expect(sent).toHaveLength(1);
  expect(sent[0].query).toMatchObject({ from: String(w.from), until: String(w.until), orderBy: 'score/desc', ignoreMethods: '*.sarima' });

  // An AS links to its own page.
  const asRow = expected.findIndex((e) => e.entity.type === 'asn');
  expect(asRow).toBeGreaterThanOrEqual(0);
  const code = expected[asRow].entity.code;
  await page.locator('main table.data tbody tr').nth(asRow).getByRole('link', { name: `asn/${code}` }).click();
  await expect(page).toHaveURL(new RegExp(`/asn/${code}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`AS${code}`);
});

test('the entity type narrows the summary through the URL, and back restores it', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  await page.goto(`${mock.urls.app}/ioda/summary?from=${w.from}&until=${w.until}`);
  await expect(page.getByTestId('count')).toBeVisible();
  await page.getByLabel('Entities').selectOption('country');
  await expect(page).toHaveURL(/[?&]type=country(&|$)/);
  const expected = await answered(mock, { ...w, type: 'country' });
  expect(expected.length).toBeGreaterThan(0);
  await expect(page.locator('main table.data tbody tr')).toHaveCount(expected.length);
  for (const r of await tableRows(page)) expect(r.code).toMatch(/^country\//);
  const sent = (await api.requests('ioda')).filter((r) => r.path === SUMMARY && isAppRequest(r));
  expect(sent.at(-1).query.entityType).toBe('country');

  await page.goBack();
  await expect(page.getByLabel('Entities')).toHaveValue('');
  await expect(page.locator('main table.data tbody tr')).toHaveCount((await answered(mock, w)).length);
});

test('a window preset sets the URL; a bad type or window is named at its field and asks IODA nothing', async ({ page, mock, api }) => {
  await page.goto(`${mock.urls.app}/ioda/summary?type=geoasn`);
  await expect(page.locator('#summary-type-error')).toContainText('use country, region or asn');
  await page.goto(`${mock.urls.app}/ioda/summary?from=2030-01-01`);
  await expect(page.locator('.field.invalid .field-error').first()).toContainText('in the future');
  expect((await api.requests('ioda')).filter((r) => r.path === SUMMARY && isAppRequest(r))).toHaveLength(0);

  await page.getByRole('button', { name: '7 d' }).click();
  await expect(page).toHaveURL(/from=\d+&until=\d+/);
  const u = new URL(page.url());
  expect(Number(u.searchParams.get('until')) - Number(u.searchParams.get('from'))).toBe(7 * DAY);
  await expect(page.getByTestId('count')).toBeVisible();
});

test('a failing summary shows the error panel, and Retry loads it', async ({ page, mock, api }) => {
  await api.fault({ service: 'ioda', path: SUMMARY, method: 'GET', times: 1, kind: 'status', status: 503 });
  await page.goto(`${mock.urls.app}/ioda/summary`);
  await expect(page.locator('main .error-panel')).toContainText('Could not load the data.');
  await page.locator('main .error-panel').getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('count')).toBeVisible();
});
