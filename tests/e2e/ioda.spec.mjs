// The IODA explorer: permalinks, the entity picker, the window, the level filter, the timeline,
// the legacy dialect, validation, errors and the CSV export, against the mock's IODA.
import fs from 'node:fs/promises';
import { test, expect } from './fixtures.mjs';

const DAY = 86_400;
const ALERTS_V2 = '/v2/outages/alerts';
const ALERTS_LEGACY = '/ioda/data/alerts';
const LEVEL_LABEL = { critical: 'Critical', warning: 'Warning', normal: 'Normal' };

/** `2026-11-23 00:10 UTC`, as the table shows a time. */
const utc = (t) => new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
/** `2026-11-23T00:10`, the value of a datetime-local input. */
const inputValue = (t) => new Date(t * 1000).toISOString().slice(0, 16);

/** A 20-day window well inside the mock's 30 days of alerts. */
function windowOf(data) {
  return { from: data.anchor - 24 * DAY, until: data.anchor - 4 * DAY };
}

function iodaUrl(mock, { from, until, entity, level }) {
  const q = new URLSearchParams({ from: String(from), until: String(until) });
  if (entity) q.set('entity', entity);
  if (level) q.set('level', level);
  return `${mock.urls.app}/ioda?${q}`;
}

/**
 * What IODA v2 answers for one entity and window, from the mock's data set: the window, the
 * entity, `ignoreMethods=*.sarima`, then squashed per series (N→W[→C], N→C, C→N kept), by time.
 */
function expectedV2(data, { from, until, type, code }) {
  const level = new Map();
  return data.alerts
    .filter((a) => a.time >= from && a.time <= until && a.entity.type === type && a.entity.code === code && a.method !== 'sarima')
    .filter((a) => {
      const id = a.fqid + a.entity.type + a.entity.code;
      const cl = level.get(id);
      if (cl === undefined || (cl === 'critical' && a.level === 'normal') || (cl !== 'critical' && cl !== a.level)) {
        level.set(id, a.level);
        return true;
      }
      return false;
    })
    .slice(0, 500);
}

/** What the retired API answers: every alert of the entity in the window (no squashing, no method filter). */
function expectedLegacy(data, { from, until, type, code }) {
  const own = data.alerts.map((a) => ({ time: a.time, level: a.level, datasource: a.datasource, type: a.entity.type, code: a.entity.code }));
  const sample = data.legacySampleAlerts.map((a) => ({ time: a.time, level: a.level, datasource: a.fqid.split('.')[0], type: a.metaType, code: a.metaCode }));
  return [...sample, ...own]
    .filter((a) => a.time >= from && a.time <= until && a.type === type && a.code === code)
    .sort((a, b) => a.time - b.time);
}

/** A row as the table should show it. */
const rowOf = (a) => ({
  time: utc(a.time),
  level: LEVEL_LABEL[a.level],
  entity: `${a.type ?? a.entity.type}/${a.code ?? a.entity.code}`,
  datasource: a.datasource,
});

/** The alerts table's rows, read from the page. */
async function tableRows(page) {
  return page.locator('.ioda-results .alerts-list table.data tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      return {
        time: td[0].querySelector('.nowrap').textContent.trim(),
        level: td[1].textContent.trim(),
        entity: (td[2].querySelector('.sub') ?? td[2]).textContent.trim(),
        datasource: (td[3].querySelector('.sub') ?? td[3]).textContent.trim(),
      };
    }),
  );
}

async function expectTable(page, expected) {
  await expect(page.locator('.ioda-results .alerts-list table.data tbody tr')).toHaveCount(expected.length);
  expect(await tableRows(page)).toEqual(expected.map(rowOf));
}

const alertRequests = async (api, path = ALERTS_V2) =>
  (await api.requests('ioda')).filter((r) => r.method === 'GET' && r.path === path);

const query = (page) => Object.fromEntries(new URL(page.url()).searchParams);

test('a permalink for Norway opened cold shows its window, its name, its alerts and a timeline', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  const expected = expectedV2(data, { ...w, type: 'country', code: 'NO' });
  expect(expected.length).toBeGreaterThan(3);

  await page.goto(iodaUrl(mock, { ...w, entity: 'country/NO' }));
  await expect(page.getByLabel('From (UTC)')).toHaveValue(inputValue(w.from));
  await expect(page.getByLabel('Until (UTC)')).toHaveValue(inputValue(w.until));
  await expect(page.getByRole('combobox', { name: 'Entity' })).toHaveValue('Norway');
  await expect(page.getByTestId('entity-current')).toContainText('Norway');
  await expectTable(page, expected);
  await expect(page.locator('.ioda-results .count')).toHaveText(`${expected.length} alerts (page 1)`);

  const sent = await alertRequests(api);
  expect(sent).toHaveLength(1);
  expect(sent[0].query).toEqual({
    from: String(w.from),
    until: String(w.until),
    entityType: 'country',
    entityCode: 'NO',
    limit: '500',
    page: '0',
    ignoreMethods: '*.sarima',
  });

  // One bar per alert, each naming its alert; one row per datasource.
  const bars = page.locator('[data-testid="ioda-timeline"] rect.seg[data-alert]');
  await expect(bars).toHaveCount(expected.length);
  const rows = new Set(expected.map((a) => a.datasource)).size;
  await expect(page.locator('[data-testid="ioda-timeline"] g.tl-row')).toHaveCount(rows);
  await expect(page.getByRole('img', { name: /Alert timeline from/ })).toHaveAttribute(
    'aria-label',
    new RegExp(`${expected.length} alerts in ${rows} rows, one per datasource`),
  );
});

test('picking an entity and a preset window updates the URL, table and timeline, and back restores them', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  const us = expectedV2(data, { ...w, type: 'country', code: 'US' });
  const no = expectedV2(data, { ...w, type: 'country', code: 'NO' });
  await page.goto(iodaUrl(mock, { ...w, entity: 'country/US' }));
  await expectTable(page, us);

  const box = page.getByRole('combobox', { name: 'Entity' });
  await box.click();
  await box.fill('Norw');
  await expect(page.getByRole('option', { name: /Norway/ })).toBeVisible();
  await box.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', 'entity-opt-0');
  await box.press('Enter');
  await expect.poll(() => query(page)).toEqual({ from: String(w.from), until: String(w.until), entity: 'country/NO' });
  await expect(box).toHaveValue('Norway');
  await expectTable(page, no);
  await expect(page.locator('[data-testid="ioda-timeline"] rect.seg[data-alert]')).toHaveCount(no.length);

  await page.getByRole('button', { name: '7 d', exact: true }).click();
  await expect(page.getByRole('button', { name: '7 d', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => Number(query(page).until) - Number(query(page).from)).toBe(7 * DAY);
  const week = { from: Number(query(page).from), until: Number(query(page).until) };
  expect(query(page).entity).toBe('country/NO');
  expect(Math.abs(week.until - Date.now() / 1000)).toBeLessThan(120);
  const lastWeek = expectedV2(data, { ...week, type: 'country', code: 'NO' });
  await expectTable(page, lastWeek);
  await expect(page.locator('[data-testid="ioda-timeline"] rect.seg[data-alert]')).toHaveCount(lastWeek.length);
  const last = (await alertRequests(api)).at(-1);
  expect(last.query).toMatchObject({ from: String(week.from), until: String(week.until), entityCode: 'NO' });

  await page.goBack();
  await expect.poll(() => query(page)).toEqual({ from: String(w.from), until: String(w.until), entity: 'country/NO' });
  await expect(page.getByLabel('From (UTC)')).toHaveValue(inputValue(w.from));
  await expectTable(page, no);
  await page.goBack();
  await expect.poll(() => query(page).entity).toBe('country/US');
  await expect(box).toHaveValue('United States');
  await expectTable(page, us);
});

test('the level filter hides normal alerts without asking IODA again', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  const expected = expectedV2(data, { ...w, type: 'country', code: 'NO' });
  const outages = expected.filter((a) => a.level !== 'normal');
  expect(outages.length).toBeLessThan(expected.length);
  await page.goto(iodaUrl(mock, { ...w, entity: 'country/NO' }));
  await expectTable(page, expected);

  await page.locator('#level-normal').uncheck();
  await expect.poll(() => query(page).level).toBe('critical,warning');
  await expectTable(page, outages);
  await expect(page.locator('.ioda-results .count-note')).toHaveText(
    `${expected.length - outages.length} more on this page hidden by the level filter`,
  );
  await expect(page.locator('[data-testid="ioda-timeline"] rect.seg-normal[data-alert]')).toHaveCount(0);
  await expect(page.locator('[data-testid="ioda-timeline"] rect.seg[data-alert]')).toHaveCount(outages.length);
  expect(await alertRequests(api)).toHaveLength(1);

  await page.locator('#level-normal').check();
  await expect.poll(() => query(page).level).toBeUndefined();
  await expectTable(page, expected);
  expect(await alertRequests(api)).toHaveLength(1);
});

test('clicking a timeline bar highlights its row in the table', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  const expected = expectedV2(data, { ...w, type: 'country', code: 'NO' });
  await page.goto(iodaUrl(mock, { ...w, entity: 'country/NO' }));
  await expectTable(page, expected);

  // The widest outage bar, and the narrowest: a short outage drawn 2 units wide right next to the
  // tick of the normal alert that ends it (it must stay on top, reachable by a click).
  const bars = page.locator('[data-testid="ioda-timeline"] rect.seg[data-alert]:not(.seg-normal)');
  const widths = await bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
  const widest = widths.indexOf(Math.max(...widths));
  const narrowest = widths.indexOf(Math.min(...widths));
  expect(widths[narrowest]).toBe(2);
  for (const pick of [bars.nth(widest), bars.nth(narrowest)]) {
    const index = Number(await pick.getAttribute('data-alert'));
    await pick.click();
    const row = page.locator(`#alert-${index}`);
    await expect(row).toHaveClass(/highlight/);
    await expect(row).toBeInViewport();
    await expect(page.locator('tr.highlight')).toHaveCount(1);
    expect((await tableRows(page))[index]).toEqual(rowOf(expected[index]));
  }
});

test('the legacy dialect from config.json asks the retired alerts API and shows its alerts', async ({ page, mock, api }) => {
  await api.config(JSON.stringify({ endpoints: { ioda: mock.urls.iodaLegacy }, ioda_dialect: 'legacy' }));
  const data = await api.data('ioda');
  const w = windowOf(data);
  const expected = expectedLegacy(data, { ...w, type: 'country', code: 'NO' });
  expect(expected.length).toBeGreaterThan(3);

  await page.goto(iodaUrl(mock, { ...w, entity: 'country/NO' }));
  await expect(page.getByTestId('ioda-legacy')).toBeVisible();
  await expectTable(page, expected);
  await expect(page.locator('[data-testid="ioda-timeline"] rect.seg[data-alert]')).toHaveCount(expected.length);
  expect(await alertRequests(api)).toHaveLength(0);
  const sent = await alertRequests(api, ALERTS_LEGACY);
  expect(sent).toHaveLength(1);
  expect(sent[0].query).toMatchObject({ from: String(w.from), until: String(w.until), meta: 'country/NO', annotateMeta: 'true' });

  // The recorded 2019 alerts of the retired API, for one of their regions.
  const [first] = data.legacySampleAlerts;
  const win = { from: first.time - 3600, until: first.time + 3600 };
  const sample = expectedLegacy(data, { ...win, type: first.metaType, code: first.metaCode });
  await page.goto(iodaUrl(mock, { ...win, entity: `${first.metaType}/${first.metaCode}` }));
  await expectTable(page, sample);
});

test('an until before the from gets a message next to Until and sends no request', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  await page.goto(iodaUrl(mock, w));
  await expect(page.locator('.ioda-results .alerts-list table.data')).toBeVisible();
  const before = (await alertRequests(api)).length;

  await page.getByLabel('Until (UTC)').fill(inputValue(w.from - DAY));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => query(page).until).toBe(String(w.from - DAY));
  const until = page.getByLabel('Until (UTC)').locator('xpath=..');
  await expect(until.getByRole('alert')).toContainText('must be after the start');
  await expect(page.getByTestId('ioda-invalid')).toBeVisible();
  expect(await alertRequests(api)).toHaveLength(before);
});

test('a window over 100 days gets a message and sends no request', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  await page.goto(iodaUrl(mock, { from: data.anchor - 120 * DAY, until: data.anchor, entity: 'country/NO' }));
  const from = page.getByLabel('From (UTC)').locator('xpath=..');
  await expect(from.getByRole('alert')).toContainText('windows of up to 100 days');
  await expect(from.getByRole('alert')).toContainText('this one is 120 days');
  await expect(page.getByTestId('ioda-invalid')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Entity' })).toHaveValue('Norway');
  expect(await alertRequests(api)).toHaveLength(0);
});

test('a 503 from IODA shows the error panel, and Retry then loads the alerts', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  const expected = expectedV2(data, { ...w, type: 'country', code: 'NO' });
  await api.fault({ service: 'ioda', path: ALERTS_V2, kind: 'status', status: 503, times: 1 });
  await page.goto(iodaUrl(mock, { ...w, entity: 'country/NO' }));
  const panel = page.locator('.error-panel');
  await expect(panel).toContainText('Could not load the data.');
  await expect(panel).toContainText('503');
  await panel.getByRole('button', { name: 'Retry' }).click();
  await expectTable(page, expected);
  await expect(panel).toHaveCount(0);
  const sent = await alertRequests(api);
  expect(sent.map((r) => r.status)).toEqual([503, 200]);
});

test('a malformed answer shows the error panel saying it could not be read', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  await api.fault({ service: 'ioda', path: ALERTS_V2, kind: 'malformed' });
  await page.goto(iodaUrl(mock, { ...windowOf(data), entity: 'country/NO' }));
  const panel = page.locator('.error-panel');
  await expect(panel).toContainText('could not read');
  await expect(panel.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.locator('.ioda-results .alerts-list table.data')).toHaveCount(0);
});

test('Export CSV downloads the rows the table shows', async ({ page, mock, api }) => {
  const data = await api.data('ioda');
  const w = windowOf(data);
  const expected = expectedV2(data, { ...w, type: 'country', code: 'NO' });
  await page.goto(iodaUrl(mock, { ...w, entity: 'country/NO' }));
  await expectTable(page, expected);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '⤓ CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^netlens-ioda-\d{8}T\d{4}Z\.csv$/);
  const text = await fs.readFile(await download.path(), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const cols = header.split(',');
  expect(cols).toEqual(['time_utc', 'time_unix', 'level', 'entity_type', 'entity_code', 'entity_name', 'datasource', 'condition', 'value', 'history_value', 'change_percent', 'method']);
  const csv = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
  expect(csv).toHaveLength(expected.length);
  const shown = await tableRows(page);
  expect(csv.map((r) => ({ time: utc(Number(r.time_unix)), level: LEVEL_LABEL[r.level], entity: `${r.entity_type}/${r.entity_code}`, datasource: r.datasource }))).toEqual(shown);
  expect(csv.map((r) => [r.time_utc, r.entity_name, r.value, r.history_value, r.method])).toEqual(
    expected.map((a) => {
      const scale = (v) => String(a.datasource === 'gtr' ? Math.trunc(v / 1_000_000) : v); // v2 sends gtr in millions
      return [new Date(a.time * 1000).toISOString().replace('.000', ''), a.entity.name, scale(a.value), scale(a.historyValue), a.method];
    }),
  );
});
