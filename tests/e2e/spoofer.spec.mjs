// CAIDA Spoofer: the session explorer (/spoofer), one session (/spoofer/session/:id) and the
// "Export all" walk, against the mock's data set and request log.
import { test, expect } from './fixtures.mjs';
import fs from 'node:fs/promises';

const PER_PAGE = 30;
const TESTS = [
  ['privatespoof', 'Private IPv4'],
  ['privatespoof6', 'Private IPv6'],
  ['routedspoof', 'Routed IPv4'],
  ['routedspoof6', 'Routed IPv6'],
];
const LABELS = { received: 'Received', rewritten: 'Rewritten', blocked: 'Blocked', unknown: 'Unknown' };

// ------------------------------------------------------------------ helpers on the mock's data

const epoch = (s) => Date.parse(s.timestamp) / 1000;
const fromAsn = (asn) => (s) => s.asn4 === String(asn) || s.asn6 === String(asn);

/** The sessions the service answers for these filters, in its order (ascending id). */
async function matching(api, { asn, after } = {}) {
  const { sessions } = await api.data('spoofer');
  return sessions
    .filter((s) => asn === undefined || fromAsn(asn)(s))
    .filter((s) => after === undefined || epoch(s) >= Date.parse(`${after}T00:00:00Z`) / 1000)
    .sort((a, b) => a.session - b.session);
}

const pageOf = (list, n) => list.slice((n - 1) * PER_PAGE, n * PER_PAGE);
const pages = (list) => Math.max(1, Math.ceil(list.length / PER_PAGE));
const ids = (list) => list.map((s) => String(s.session));
const fmt = (n) => n.toLocaleString('en-US');

/** GET /sessions requests the mock saw (preflights left out), with their query read back. */
async function listRequests(api) {
  return (await api.requests('spoofer'))
    .filter((r) => r.method === 'GET' && r.path === '/sessions')
    .map((r) => ({ ...r, params: new URLSearchParams(r.url.split('?')[1] ?? '') }));
}

// ------------------------------------------------------------------ helpers on the page

const rows = (page) => page.locator('table.data tbody tr');
const rowIds = (page) => page.locator('table.data tbody a.session-link');
const countLabel = (page) => page.locator('.toolbar .count');
const pager = (page) => page.getByRole('navigation', { name: 'Pages' }).first();
const exportPanel = (page) => page.locator('section.export-all');

async function expectPage(page, list, n) {
  await expect(countLabel(page)).toHaveText(`${fmt(list.length)} sessions · page ${n} of ${pages(list)}`);
  await expect(rowIds(page)).toHaveText(ids(pageOf(list, n)));
}

/** What the summary strip says of one test, computed from the rows (same rules as the app). */
function tallyText(rowsOnPage, field) {
  const values = rowsOnPage.map((s) => s[field]).filter((v) => v !== null && v !== undefined && v !== '');
  const conclusive = values.filter((v) => ['received', 'rewritten', 'blocked'].includes(v)).length;
  const through = values.filter((v) => v === 'received' || v === 'rewritten').length;
  const unknown = values.length - conclusive;
  const note = unknown > 0 ? ` (${fmt(unknown)} without a verdict)` : '';
  if (conclusive === 0) return values.length > 0 ? `no verdict${note}` : 'not tested';
  const pct = Math.round((through / conclusive) * 100);
  const shown = pct === 0 && through > 0 ? '<1%' : `${pct}%`;
  return `${shown} got through: ${fmt(through)} of ${fmt(conclusive)} with a verdict${note}`;
}

/** Clicks a download button and returns the file's name and text. */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), exportPanel(page).getByRole('button', { name }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await fs.readFile(path, 'utf8') };
}

/** Every NDJSON line parsed; a blank line or a line that is not one JSON object fails. */
function ndjsonRecords(text) {
  expect(text.endsWith('\n'), 'NDJSON ends with a newline').toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value = JSON.parse(line);
      expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
      return value;
    });
}

// ------------------------------------------------------------------ the explorer

test('a filtered permalink opened cold fills the form, asks the API for exactly that and lists it', async ({ page, mock, api }) => {
  const all = await matching(api, { asn: 3356 });
  // A day some way into AS3356's history, so the filter leaves several pages but not all of them.
  const after = all[20].timestamp.slice(0, 10);
  const expected = await matching(api, { asn: 3356, after });
  expect(expected.length).toBeGreaterThan(PER_PAGE);
  expect(expected.length).toBeLessThan(all.length);

  await page.goto(`${mock.urls.app}/spoofer?asn=3356&after=${after}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spoofer sessions');
  await expect(page.locator('#asn')).toHaveValue('3356');
  await expect(page.locator('#after')).toHaveValue(after);
  await expect(page.locator('#before')).toHaveValue('');
  await expectPage(page, expected, 1);
  await expect(rows(page)).toHaveCount(PER_PAGE);

  const reqs = await listRequests(api);
  expect(reqs).toHaveLength(1);
  const [req] = reqs;
  expect(req.params.getAll('asn[]')).toEqual(['3356']);
  expect(req.params.get('timestamp[after]')).toBe(after);
  expect(req.params.has('page')).toBe(false);
  expect(req.headers.accept).toBe('application/ld+json');
  expect(req.status).toBe(200);
});

test('the pager walks next, previous and last pages, the URL follows and Back returns', async ({ page, mock, api }) => {
  const list = await matching(api, { asn: 3356 });
  expect(pages(list)).toBe(5);
  await page.goto(`${mock.urls.app}/spoofer?asn=3356`);
  await expectPage(page, list, 1);
  await expect(pager(page).getByRole('link', { name: 'Previous page' })).toHaveCount(0);

  await pager(page).getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer?asn=3356&page=2`);
  await expectPage(page, list, 2);
  await expect(pager(page).getByRole('link', { name: 'Page 2, current' })).toHaveAttribute('aria-current', 'page');

  await pager(page).getByRole('link', { name: 'Previous page' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer?asn=3356`);
  await expectPage(page, list, 1);

  await pager(page).getByRole('link', { name: 'Last page (5)' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer?asn=3356&page=5`);
  await expectPage(page, list, 5);
  await expect(rows(page)).toHaveCount(list.length - 4 * PER_PAGE);
  await expect(pager(page).getByRole('link', { name: 'Next page' })).toHaveCount(0);

  await page.goBack();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer?asn=3356`);
  await expectPage(page, list, 1);
  await page.goBack();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer?asn=3356&page=2`);
  await expectPage(page, list, 2);

  // Each page came from the service with the same filter and its page number.
  const asked = (await listRequests(api)).map((r) => [r.params.getAll('asn[]').join(), r.params.get('page')]);
  expect(asked).toContainEqual(['3356', '2']);
  expect(asked).toContainEqual(['3356', '5']);
  expect(asked.every(([asn]) => asn === '3356')).toBe(true);
});

test("the summary strip's numbers are those of the rows on the page", async ({ page, mock, api }) => {
  const list = await matching(api, { asn: 3356 });
  const shown = pageOf(list, 2);
  await page.goto(`${mock.urls.app}/spoofer?asn=3356&page=2`);
  await expectPage(page, list, 2);
  const strip = page.getByRole('region', { name: 'Summary of the sessions on this page' });
  await expect(strip.locator('.summary-head strong')).toHaveText(`${shown.length} sessions`);
  for (const [field, label] of TESTS) {
    const share = strip.locator(`.spoof-share[data-test="${field}"]`);
    await expect(share.locator('.share-label')).toHaveText(label);
    await expect(share.locator('.share-text')).toHaveText(tallyText(shown, field));
  }
  // The table's badges say the same, row by row.
  for (const [i, s] of shown.entries()) {
    const badges = rows(page).nth(i).locator('[data-result]');
    await expect(badges).toHaveText(TESTS.map(([f]) => LABELS[s[f]] ?? 'Not tested'));
  }
});

test('the 5xx error panel explains the failure and Retry loads the page', async ({ page, mock, api }) => {
  await api.fault({ service: 'spoofer', path: '/sessions', kind: 'status', status: 503, times: 1 });
  await page.goto(`${mock.urls.app}/spoofer?asn=3356`);
  const panel = page.locator('.spoofer-results .error-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('Could not load the data.');
  await expect(panel).toContainText('CAIDA Spoofer answered 503 (service unavailable)');
  await expect(panel).toContainText('Service Unavailable'); // the service's own hydra:description
  await expect(panel).toContainText('retrying later usually helps');
  await expect(rows(page)).toHaveCount(0);
  expect((await listRequests(api)).map((r) => r.status)).toEqual([503]);

  await panel.getByRole('button', { name: 'Retry' }).click();
  await expectPage(page, await matching(api, { asn: 3356 }), 1);
  await expect(panel).toHaveCount(0);
});

test('filters typed in the form go to the URL and to the API, and bad ones are named at their field', async ({ page, mock, api }) => {
  const { sessions } = await api.data('spoofer');
  const after = (await matching(api, { asn: 3356 }))[10].timestamp.slice(0, 10);
  const expected = sessions
    .filter((s) => (fromAsn(3356)(s) || fromAsn(1299)(s)) && s.country === 'usa' && epoch(s) >= Date.parse(`${after}T00:00:00Z`) / 1000)
    .sort((a, b) => a.session - b.session);
  expect(expected.length).toBeGreaterThan(0);

  await page.goto(`${mock.urls.app}/spoofer`);
  await expect(rows(page)).toHaveCount(PER_PAGE);
  await page.locator('#after').fill(after);
  await page.locator('#asn').fill('AS3356, 1299');
  await page.locator('#country').fill('usa');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer?after=${after}&asn=3356%2C1299&country=usa`);
  await expectPage(page, expected, 1);
  const last = (await listRequests(api)).at(-1);
  expect(last.params.getAll('asn[]')).toEqual(['3356', '1299']);
  expect(last.params.get('country')).toBe('usa');
  expect(last.params.get('timestamp[after]')).toBe(after);

  // A typo is explained at the field and nothing is asked of the service.
  const count = (await listRequests(api)).length;
  await page.locator('#asn').fill('3356, AS12x');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('#asn-error')).toContainText('“AS12x” is not an AS number');
  await expect(rows(page)).toHaveCount(0);
  expect(await listRequests(api)).toHaveLength(count);
});

test('a permalink bound with a time of day keeps it: shown exactly and sent with its Z', async ({ page, mock, api }) => {
  const all = await matching(api, { asn: 3356 });
  const at = all[50].timestamp.slice(0, 16); // YYYY-MM-DDTHH:MM of a real session
  const expected = all.filter((s) => epoch(s) >= Date.parse(`${at}:00Z`) / 1000);
  await page.goto(`${mock.urls.app}/spoofer?asn=3356&after=${at}`);
  await expect(page.locator('#after')).toHaveValue(at.slice(0, 10));
  await expect(page.getByText(`Exactly ${at.replace('T', ' ')} UTC`)).toBeVisible();
  await expectPage(page, expected, 1);
  expect((await listRequests(api)).at(-1).params.get('timestamp[after]')).toBe(`${at}:00Z`);
});

// ------------------------------------------------------------------ one session

test('a row click opens the session page with every field and the CAIDA report link', async ({ page, mock, api }) => {
  const list = await matching(api, { asn: 3356 });
  // A session with IPv6 too, so no field is left empty.
  const index = pageOf(list, 1).findIndex((s) => s.asn6 && s.client6 && s.privatespoof6);
  expect(index).toBeGreaterThanOrEqual(0);
  const s = list[index];

  await page.goto(`${mock.urls.app}/spoofer?asn=3356`);
  await rowIds(page).nth(index).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer/session/${s.session}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Spoofer session ${s.session}`);
  await expect(page.getByRole('heading', { name: 'Session fields' })).toBeVisible();

  const facts = await page.locator('dl.session-fields').evaluate((dl) =>
    Object.fromEntries(
      [...dl.querySelectorAll('dt')].map((dt) => [dt.querySelector('code').textContent, dt.nextElementSibling.querySelector('.value').innerText.trim()]),
    ),
  );
  const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : '—');
  expect(facts).toEqual({
    session: String(s.session),
    timestamp: expect.stringContaining(`${s.timestamp.slice(0, 10)} ${s.timestamp.slice(11, 19)} UTC`),
    asn4: `AS${s.asn4}`,
    asn6: `AS${s.asn6}`,
    client4: s.client4,
    client6: s.client6,
    country: expect.stringMatching(new RegExp(`^${s.country.toUpperCase()}\\b`)),
    nat4: yesNo(s.nat4),
    nat6: yesNo(s.nat6),
    '@id': `/sessions/${s.session}`,
  });
  for (const [field, label] of TESTS) {
    const dd = page.locator(`dl.spoof-tests dd[data-test="${field}"]`);
    await expect(dd.locator('.badge')).toHaveText(LABELS[s[field]] ?? 'Not tested');
    await expect(page.locator('dl.spoof-tests dt', { hasText: label })).toContainText(field);
  }
  const report = page.getByRole('link', { name: "CAIDA's report for this session ↗" });
  await expect(report).toHaveAttribute('href', `https://spoofer.caida.org/report.php?sessionid=${s.session}`);
  await expect(report).toHaveAttribute('target', '_blank');
  await expect(page.getByRole('link', { name: 'Other sessions from AS3356' })).toHaveAttribute('href', '/spoofer?asn=3356');

  // The record as published is the mock's, plus the `@context` of a single resource.
  const raw = JSON.parse(await page.locator('details.raw-record pre').textContent());
  expect(raw).toEqual({ '@context': '/contexts/Session', ...s });

  const asked = (await api.requests('spoofer')).filter((r) => r.method === 'GET' && r.path === `/sessions/${s.session}`);
  expect(asked).toHaveLength(1);
  expect(asked[0].headers.accept).toBe('application/ld+json');
});

test('a session id typed in the form jumps to that session', async ({ page, mock, api }) => {
  const { sessions } = await api.data('spoofer');
  const s = sessions.find((x) => x.country !== 'usa' && x.asn4);
  await page.goto(`${mock.urls.app}/spoofer`);
  await expect(countLabel(page)).toBeVisible();
  await page.locator('#session').fill(`  ${s.session} `);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer/session/${s.session}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Spoofer session ${s.session}`);
  await expect(page.locator('dl.session-fields')).toContainText(`AS${s.asn4}`);
  await page.goBack();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spoofer sessions');
});

test('an unknown session id shows a friendly not-found, not an error', async ({ page, mock, api }) => {
  const { sessions } = await api.data('spoofer');
  const missing = Math.max(...sessions.map((s) => s.session)) + 1;
  await page.goto(`${mock.urls.app}/spoofer`);
  await page.locator('#session').fill(String(missing));
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer/session/${missing}`);
  const notice = page.locator('.not-found');
  await expect(notice).toContainText(`CAIDA Spoofer has no published session ${missing}.`);
  await expect(notice).toContainText('results can take a while to be published');
  await expect(notice.getByRole('link', { name: "Try CAIDA's report for this id ↗" })).toHaveAttribute(
    'href',
    `https://spoofer.caida.org/report.php?sessionid=${missing}`,
  );
  await expect(page.locator('.error-panel')).toHaveCount(0);
  const asked = (await api.requests('spoofer')).filter((r) => r.path === `/sessions/${missing}`);
  expect(asked.map((r) => r.status)).toEqual([404]);
  await notice.getByRole('link', { name: 'Search the sessions' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/spoofer`);
});

// ------------------------------------------------------------------ export all

test('Export all walks every page and the NDJSON holds each matching session once, as published', async ({ page, mock, api }) => {
  const expected = await matching(api, { asn: 3356 });
  expect(pages(expected)).toBe(5);
  await page.goto(`${mock.urls.app}/spoofer?asn=3356&page=3`);
  await expectPage(page, expected, 3);
  const before = (await listRequests(api)).length;

  await exportPanel(page).getByRole('button', { name: 'Export all' }).click();
  await expect(exportPanel(page).locator('.walk-end')).toHaveText('All pages fetched.');
  await expect(exportPanel(page).locator('.walk-text')).toHaveText(`page 5 of 5, ${expected.length} sessions so far`);
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${expected.length} sessions`);

  // One request per page, page 1 first whatever page the explorer shows, following hydra:next.
  const walk = (await listRequests(api)).slice(before);
  expect(walk.map((r) => r.params.get('page'))).toEqual([null, '2', '3', '4', '5']);
  expect(walk.every((r) => r.headers.accept === 'application/ld+json' && r.status === 200)).toBe(true);

  const { name, text } = await download(page, 'Download NDJSON');
  expect(name).toMatch(/spoofer-all.*\.ndjson$/);
  const records = ndjsonRecords(text);
  expect(records).toHaveLength(expected.length);
  expect(new Set(records.map((r) => r.session)).size).toBe(expected.length);
  records.forEach((r, i) => expect(r, `line ${i + 1}`).toEqual(expected[i]));
});

test('cancelling an export midway offers the partial download and sends nothing more', async ({ page, mock, api }) => {
  const expected = await matching(api, { asn: 3356 });
  await page.goto(`${mock.urls.app}/spoofer?asn=3356`);
  await expectPage(page, expected, 1);
  // From now on every page takes 1.5 s, so the walk is surely busy with page 2 when Cancel is clicked.
  await api.fault({ service: 'spoofer', path: '/sessions', kind: 'delay', delayMs: 1500 });
  const before = (await listRequests(api)).length;
  const seen = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/sessions') seen.push(r);
  });

  await exportPanel(page).getByRole('button', { name: 'Export all' }).click();
  await expect(exportPanel(page).locator('.walk-text')).toHaveText(`page 1 of 5, ${PER_PAGE} sessions so far`);
  // Cancel while page 2 is on its way (it reached the mock, whose answer takes 1.5 s).
  await expect.poll(async () => (await listRequests(api)).length - before).toBe(2);
  await exportPanel(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(exportPanel(page).locator('.walk-end')).toHaveText('Cancelled. What was collected so far is a partial export.');
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${PER_PAGE} sessions (partial)`);

  // The request under way has come back (and been ignored); a walk still running would send the
  // next one a pause (200 ms) after that answer. An absence has no visible state to wait on, so
  // give it three pauses (a page-side timer started after the answer), then count.
  expect(seen).toHaveLength(2);
  const answer = await seen[1].response();
  if (answer) await answer.finished();
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
  const walk = (await listRequests(api)).slice(before);
  expect(walk.map((r) => r.params.get('page'))).toEqual([null, '2']);
  expect(seen).toHaveLength(2);
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${PER_PAGE} sessions (partial)`);

  const { name, text } = await download(page, 'Download NDJSON');
  expect(name).toMatch(/spoofer-partial.*\.ndjson$/);
  const records = ndjsonRecords(text);
  expect(records).toEqual(pageOf(expected, 1));
});

test('a 5xx in the middle of an export keeps what was collected, and Retry finishes the walk', async ({ page, mock, api }) => {
  const expected = await matching(api, { asn: 3356 });
  await page.goto(`${mock.urls.app}/spoofer?asn=3356`);
  await expectPage(page, expected, 1);
  // The walk's first request passes; the second (page 2) gets a 502 once.
  await api.fault({ service: 'spoofer', path: '/sessions', kind: 'delay', delayMs: 0, times: 1 });
  await api.fault({ service: 'spoofer', path: '/sessions', kind: 'status', status: 502, times: 1 });
  const before = (await listRequests(api)).length;

  await exportPanel(page).getByRole('button', { name: 'Export all' }).click();
  const panel = exportPanel(page).locator('.error-panel');
  await expect(panel).toContainText('CAIDA Spoofer answered 502 (bad gateway)');
  await expect(exportPanel(page).locator('.walk-end')).toHaveText('The export stopped. What was collected so far is a partial export.');
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${PER_PAGE} sessions (partial)`);
  const partial = await download(page, 'Download NDJSON');
  expect(partial.name).toMatch(/spoofer-partial.*\.ndjson$/);
  expect(ndjsonRecords(partial.text)).toEqual(pageOf(expected, 1));

  await panel.getByRole('button', { name: 'Retry' }).click();
  await expect(exportPanel(page).locator('.walk-end')).toHaveText('All pages fetched.');
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${expected.length} sessions`);
  const walk = (await listRequests(api)).slice(before);
  expect(walk.map((r) => [r.params.get('page'), r.status])).toEqual([[null, 200], ['2', 502], ['2', 200], ['3', 200], ['4', 200], ['5', 200]]);
  const full = await download(page, 'Download NDJSON');
  expect(ndjsonRecords(full.text)).toEqual(expected);
});

test('new filters drop a finished export, so it never mixes with other results', async ({ page, mock, api }) => {
  await page.goto(`${mock.urls.app}/spoofer?asn=7018`);
  const expected = await matching(api, { asn: 7018 });
  await expectPage(page, expected, 1);
  await exportPanel(page).getByRole('button', { name: 'Export all' }).click();
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${expected.length} sessions`);
  // Another page of the same filters keeps it …
  await pager(page).getByRole('link', { name: 'Next page' }).click();
  await expectPage(page, expected, 2);
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${expected.length} sessions`);
  // … other filters do not.
  await page.locator('#asn').fill('1299');
  await page.getByRole('button', { name: 'Search' }).click();
  await expectPage(page, await matching(api, { asn: 1299 }), 1);
  await expect(exportPanel(page).locator('.download-what')).toHaveCount(0);
  await expect(exportPanel(page).getByRole('button', { name: 'Export all' })).toBeEnabled();
});

test('an export past the courtesy limit asks first and can be stopped at the question', async ({ page, mock, api }) => {
  await page.goto(`${mock.urls.app}/spoofer`);
  const { sessions } = await api.data('spoofer');
  await expect(countLabel(page)).toHaveText(`${fmt(sessions.length)} sessions · page 1 of ${pages(sessions)}`);
  // The real service holds far more sessions than the mock: unfiltered it answers page 1 with a
  // total that needs 1,200 requests. That first page, as API Platform would write it, once.
  const first = await (await fetch(`${mock.urls.spoofer}/sessions`, { headers: { accept: 'application/ld+json' } })).json();
  const total = 1200 * PER_PAGE;
  const big = {
    ...first,
    'hydra:totalItems': total,
    'hydra:view': { ...first['hydra:view'], 'hydra:last': '/sessions?page=1200' },
  };
  await api.fault({ service: 'spoofer', path: '/sessions', kind: 'status', status: 200, body: big, times: 1 });
  const before = (await listRequests(api)).length;

  await exportPanel(page).getByRole('button', { name: 'Export all' }).click();
  const notice = exportPanel(page).locator('.courtesy');
  await expect(notice).toContainText('This export takes about 1,200 requests.');
  await expect(notice).toContainText('more than 1,000 requests a day');
  await expect(notice.getByRole('link', { name: 'spoofer-info@caida.org' })).toHaveAttribute('href', 'mailto:spoofer-info@caida.org');
  await expect(exportPanel(page).locator('.walk-text')).toHaveText(`page 1 of 1,200, ${PER_PAGE} sessions so far`);
  // It waits for the answer: only the first page was fetched.
  expect((await listRequests(api)).slice(before).map((r) => r.params.get('page'))).toEqual([null]);

  // Going on fetches page 2 (from the mock's own data now); then the user stops.
  await notice.getByRole('button', { name: 'Continue export' }).click();
  await expect(exportPanel(page).locator('.walk-text')).toContainText(`, ${2 * PER_PAGE} sessions so far`);
  await exportPanel(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(exportPanel(page).locator('.walk-end')).toContainText('Cancelled.');
  await expect(notice).toHaveCount(0);
  const walk = (await listRequests(api)).slice(before);
  expect(walk.slice(0, 2).map((r) => r.params.get('page'))).toEqual([null, '2']);
  await expect(exportPanel(page).locator('.download-what')).toContainText('sessions (partial)');
});

test('the courtesy question can be declined: nothing more is fetched', async ({ page, mock, api }) => {
  await page.goto(`${mock.urls.app}/spoofer`);
  await expect(rows(page)).toHaveCount(PER_PAGE);
  const first = await (await fetch(`${mock.urls.spoofer}/sessions`, { headers: { accept: 'application/ld+json' } })).json();
  const big = { ...first, 'hydra:totalItems': 31_000, 'hydra:view': { ...first['hydra:view'], 'hydra:last': '/sessions?page=1034' } };
  await api.fault({ service: 'spoofer', path: '/sessions', kind: 'status', status: 200, body: big, times: 1 });
  const before = (await listRequests(api)).length;
  await exportPanel(page).getByRole('button', { name: 'Export all' }).click();
  const notice = exportPanel(page).locator('.courtesy');
  await expect(notice).toContainText('This export takes about 1,034 requests.');
  await notice.getByRole('button', { name: 'Cancel' }).click();
  await expect(exportPanel(page).locator('.walk-end')).toHaveText('Cancelled. What was collected so far is a partial export.');
  await expect(exportPanel(page).locator('.download-what')).toHaveText(`${PER_PAGE} sessions (partial)`);
  expect((await listRequests(api)).slice(before)).toHaveLength(1);
  const { text } = await download(page, 'Download NDJSON');
  expect(ndjsonRecords(text)).toEqual(first['hydra:member']);
});
