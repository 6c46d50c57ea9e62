// GRIP: the event search (permalinks, paging, page size, validation, errors, export), the event
// and prefix-event pages, tag tooltips, blocklist / ASN-DROP badges and the tag glossary.
import fs from 'node:fs';
import { test, expect, directFetch, isAppRequest } from './fixtures.mjs';

const PERMALINK = '/grip?event_type=moas&min_susp=80&length=10';

/** The app's `format_count`: 10,000. */
const count = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The GRIP requests the app made (through the proxy), not the tests' own. */
async function appRequests(api) {
  return (await api.requests('grip')).filter((r) => r.method === 'GET' && isAppRequest(r));
}

/** The app's `/json/events` requests. */
async function searches(api) {
  return (await appRequests(api)).filter((r) => r.path === '/json/events');
}

/** Asks the mock the same URL as a logged request, as the app did. */
async function answerTo(mock, request) {
  const r = await directFetch(new URL(request.url, mock.urls.grip).href);
  expect(r.status).toBe(200);
  return r.json();
}

/** The events GRIP's search can return, filtered like the permalink (type, suspicion). */
function searchable(events, { type, minSusp = 0, maxSusp = 100 }) {
  return events.filter((e) => {
    const p = e.summary.inference_result.primary_inference;
    return (!type || e.event_type === type) && e.position !== 'FINISHED' && p && p.suspicion_level >= minSusp && p.suspicion_level <= maxSusp;
  });
}

const results = (page) => page.locator('.grip-results');
const countLabel = (page) => results(page).locator('.toolbar .count');
const rowIds = (page) => results(page).locator('a.grip-event-link');
const pager = (page) => results(page).getByRole('navigation', { name: 'Pages' }).first();
const tableBy = (page, caption) => page.locator('table.data', { has: page.locator('caption', { hasText: caption }) });

test('a permalink with filters opened cold shows them in the form and the first page GRIP returns', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + PERMALINK);
  await expect(page.locator('#event_type')).toHaveValue('moas');
  await expect(page.locator('#min_susp')).toHaveValue('80');
  await expect(page.locator('#max_susp')).toHaveValue('');
  await expect(page.locator('#length')).toHaveValue('10');
  await expect(page.getByTestId('susp-suspicious')).toHaveAttribute('aria-pressed', 'true');

  await expect(countLabel(page)).toHaveText(/^showing 1–10 of /);
  const [request] = await searches(api);
  expect(request.query).toMatchObject({ event_type: 'moas', min_susp: '80', length: '10' });
  const answer = await answerTo(mock, request);
  await expect(countLabel(page)).toHaveText(`showing 1–10 of ${count(answer.recordsTotal)}`);
  await expect(rowIds(page)).toHaveText(answer.data.map((e) => e.id));

  // The same count and order straight from the mock's data set.
  const { events } = await api.data('grip');
  const expected = searchable(events, { type: 'moas', minSusp: 80 });
  expect(answer.recordsTotal).toBe(expected.length);
  expect(answer.data.map((e) => e.id)).toEqual(expected.slice(0, 10).map((e) => e.id));
  expect(await searches(api)).toHaveLength(1);
});

test('the pager moves forward and back, the URL follows and browser back works', async ({ page, mock, api }) => {
  const { events } = await api.data('grip');
  const ids = searchable(events, { type: 'moas', minSusp: 80 }).map((e) => e.id);
  const total = count(ids.length);
  await page.goto(mock.urls.app + PERMALINK);
  await expect(rowIds(page)).toHaveText(ids.slice(0, 10));

  await pager(page).getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/[?&]start=10(&|$)/);
  await expect(countLabel(page)).toHaveText(`showing 11–20 of ${total}`);
  await expect(rowIds(page)).toHaveText(ids.slice(10, 20));
  await expect(pager(page).getByRole('link', { name: 'Page 2, current' })).toBeVisible();
  expect((await searches(api)).at(-1).query).toMatchObject({ event_type: 'moas', min_susp: '80', length: '10', start: '10' });

  await pager(page).getByRole('link', { name: 'Previous page' }).click();
  await expect(page).toHaveURL(mock.urls.app + PERMALINK); // start=0 is the default, left out
  await expect(countLabel(page)).toHaveText(`showing 1–10 of ${total}`);
  await expect(rowIds(page)).toHaveText(ids.slice(0, 10));

  await page.goBack();
  await expect(page).toHaveURL(/[?&]start=10(&|$)/);
  await expect(rowIds(page)).toHaveText(ids.slice(10, 20));
  await page.goBack();
  await expect(page).toHaveURL(mock.urls.app + PERMALINK);
  await expect(rowIds(page)).toHaveText(ids.slice(0, 10));
  // Every page asked GRIP once for exactly the slice shown; returning to a page reuses its answer.
  expect((await searches(api)).map((r) => r.query.start ?? '0')).toEqual(['0', '10']);
});

test('changing the page size searches again from the first page with the new length', async ({ page, mock, api }) => {
  const { events } = await api.data('grip');
  const ids = searchable(events, { type: 'moas', minSusp: 80 }).map((e) => e.id);
  await page.goto(mock.urls.app + PERMALINK.replace('length=10', 'start=10&length=10'));
  await expect(rowIds(page)).toHaveText(ids.slice(10, 20));

  // The page size sits behind "More filters", which counts it as set (the suspicion preset is in the bar).
  const more = page.getByTestId('more-filters');
  await expect(more.locator('summary')).toHaveText('More filters1 set');
  await expect(page.locator('#length')).toBeHidden();
  await more.locator('summary').click();
  await page.locator('#length').selectOption('30');
  await expect(page).toHaveURL(/[?&]length=30(&|$)/);
  expect(new URL(page.url()).searchParams.has('start')).toBe(false);
  await expect(countLabel(page)).toHaveText(`showing 1–30 of ${count(ids.length)}`);
  await expect(rowIds(page)).toHaveText(ids.slice(0, 30));
  const last = (await searches(api)).at(-1);
  expect(last.query).toMatchObject({ event_type: 'moas', min_susp: '80', length: '30' });
  expect(last.query.start).toBeUndefined();
  // Filters stay in the form.
  await expect(page.locator('#event_type')).toHaveValue('moas');
  await expect(page.locator('#min_susp')).toHaveValue('80');
});

test('a time window from the picker asks GRIP in its minute format and finds the events started in it', async ({ page, mock, api }) => {
  const { events } = await api.data('grip');
  await page.goto(mock.urls.app + '/grip?length=10');
  await expect(countLabel(page)).toHaveText(/^showing 1–10 of /);
  await page.getByTestId('grip-time-bounds').getByRole('button', { name: '24 h' }).click();
  await expect(page).toHaveURL(/ts_start=.*ts_end=/);
  await expect(page.getByTestId('grip-time-bounds').getByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await searches(api)).length).toBe(2);
  const { query } = (await searches(api)).at(-1);
  // GRIP v2 reads `YYYY-MM-DDTHH:MM` (a `…:SS` bound would be dropped silently).
  expect(query.ts_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  expect(query.ts_end).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  const from = Date.parse(`${query.ts_start}:00Z`) / 1000;
  const until = Date.parse(`${query.ts_end}:00Z`) / 1000;
  expect(until - from).toBe(86_400);
  const inWindow = searchable(events, {}).filter((e) => e.view_ts >= from && e.view_ts <= until);
  expect(inWindow.length).toBeGreaterThan(0);
  await expect(countLabel(page)).toHaveText(`showing 1–${Math.min(10, inWindow.length)} of ${count(inWindow.length)}`);
  await expect(rowIds(page)).toHaveText(inWindow.slice(0, 10).map((e) => e.id));
  await expect(page.locator('#ts-from')).toHaveValue(query.ts_start);
});

test('a row names at most six prefixes, then "+N more" to the event page, which lists them all', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/grip');
  await expect(rowIds(page).first()).toBeVisible();
  const [request] = await searches(api);
  const answer = await answerTo(mock, request);
  const many = answer.data.filter((e) => e.summary.prefixes.length > 6);
  expect(many.length, 'the page has events with many prefixes (real GRIP events name up to hundreds)').toBeGreaterThan(0);
  const ev = many[0];
  const row = results(page).locator('tbody tr', { has: page.locator(`a.grip-event-link:text-is("${ev.id}")`) });
  await expect(row.locator('.grip-pfx')).toHaveText(ev.summary.prefixes.slice(0, 6));
  const more = row.locator('a.grip-more');
  await expect(more).toHaveText(`+${count(ev.summary.prefixes.length - 6)} more`);
  await expect(more).toHaveAttribute('aria-label', `+${count(ev.summary.prefixes.length - 6)} more prefixes, all ${count(ev.summary.prefixes.length)} on the event's page`);
  // A row with few prefixes names them all, with no link.
  const few = answer.data.find((e) => e.summary.prefixes.length > 0 && e.summary.prefixes.length <= 6);
  if (few) {
    const fewRow = results(page).locator('tbody tr', { has: page.locator(`a.grip-event-link:text-is("${few.id}")`) });
    await expect(fewRow.locator('.grip-pfx')).toHaveText(few.summary.prefixes);
    await expect(fewRow.locator('.grip-more')).toHaveCount(0);
  }
  await more.click();
  await expect(page).toHaveURL(`${mock.urls.app}/grip/event/${ev.id}`);
  await expect(page.getByTestId('grip-summary').locator('.grip-pfx')).toHaveCount(ev.summary.prefixes.length);
});

test('a row opens its event page, and a prefix event from there draws its AS paths', async ({ page, mock, api }) => {
  const { events } = await api.data('grip');
  await page.goto(mock.urls.app + PERMALINK);
  const first = rowIds(page).first();
  await expect(first).toBeVisible();
  const id = await first.textContent();
  const ev = events.find((e) => e.id === id);
  await first.click();

  await expect(page).toHaveURL(`${mock.urls.app}/grip/event/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP event');
  await expect(page.getByTestId('grip-event-id')).toHaveText(id);
  const summary = page.getByTestId('grip-summary');
  await expect(summary).toContainText('MOAS (moas)');
  for (const p of ev.summary.prefixes) await expect(summary.locator('.grip-pfx', { hasText: p })).toBeVisible();
  for (const a of ev.summary.ases) await expect(summary.locator('.grip-asn .mono', { hasText: new RegExp(`^AS${a}$`) }).first()).toBeVisible();
  await expect(summary.getByTestId('suspicion')).toContainText(String(ev.summary.inference_result.primary_inference.suspicion_level));

  const inferences = tableBy(page, 'Inferences GRIP drew');
  await expect(inferences.locator('tbody tr')).toHaveCount(ev.summary.inference_result.inferences.length);
  await expect(inferences.locator('tbody tr').first()).toContainText(ev.summary.inference_result.primary_inference.inference_id);
  await expect(inferences.locator('tbody tr').first()).toContainText('primary');

  const pfxTable = tableBy(page, 'The prefix events of this event');
  await expect(pfxTable.locator('tbody tr')).toHaveCount(ev.pfx_events.length);
  // The event's metrics as grip-core names them (pfx_events_cnt, per_tag_cnt as {name, count}).
  const metrics = page.getByTestId('grip-metrics');
  await expect(metrics.locator('dt:text-is("Prefix events") + dd')).toHaveText(String(ev.event_metrics.pfx_events_cnt));
  await expect(metrics.locator('dt:text-is("Tags per name") + dd li')).toHaveText(
    [...ev.event_metrics.per_tag_cnt].sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => `${t.name} ${t.count}`),
  );
  const pe = ev.pfx_events[0];
  await expect(pfxTable.locator('tbody tr').first()).toContainText(pe.details.prefix);
  expect((await appRequests(api)).some((r) => r.path === `/json/event/id/${id}`)).toBe(true);

  await pfxTable.locator('tbody tr').first().getByRole('link', { name: `Open the prefix event of ${pe.details.prefix}` }).click();
  const fingerprint = pe.details.prefix.replace('/', '-');
  await expect(page).toHaveURL(`${mock.urls.app}/grip/event/${id}/${fingerprint}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP prefix event');
  await expect(page.getByTestId('grip-pfx-prefixes')).toHaveText(pe.details.prefix);
  const paths = pe.details.aspaths.split(':').filter((p) => p.trim());
  const set = page.getByTestId('grip-path-set').first();
  await expect(set.locator('h3')).toHaveText(`Paths (${paths.length})`);
  await expect(set.locator('li.grip-path')).toHaveCount(Math.min(paths.length, 50));
  // The first path hop by hop (prepends collapsed), the origin last and marked.
  const hops = paths[0].trim().split(/\s+/).filter((h, i, all) => i === 0 || h !== all[i - 1]);
  const drawn = set.locator('li.grip-path').first().locator('li.grip-hop');
  await expect(drawn.locator('.grip-asn .mono')).toHaveText(hops.map((h) => `AS${h}`));
  await expect(drawn.last()).toHaveClass(/origin/);
  expect((await appRequests(api)).some((r) => r.path === `/json/pfx_event/id/${id}/${fingerprint}`)).toBe(true);
});

test('a prefix event lists the RIPE Atlas traceroutes GRIP ran, hop counts included', async ({ page, mock, api }) => {
  const { events } = await api.data('grip');
  const ev = events.find((e) => e.event_type === 'moas' && e.pfx_events.some((p) => p.traceroutes.msms.some((m) => m.results.length)));
  const pe = ev.pfx_events.find((p) => p.traceroutes.msms.some((m) => m.results.length));
  const results = pe.traceroutes.msms.flatMap((m) => m.results);
  await page.goto(`${mock.urls.app}/grip/event/${ev.id}/${pe.details.prefix.replace('/', '-')}`);
  const msm = pe.traceroutes.msms[0];
  await expect(page.getByRole('link', { name: `RIPE Atlas ${msm.msm_id}` })).toHaveAttribute('href', `https://atlas.ripe.net/measurements/${msm.msm_id}/`);
  const table = tableBy(page, 'Traceroute results');
  await expect(table.locator('tbody tr')).toHaveCount(results.length);
  const hopsColumn = (await table.locator('thead th').allTextContents()).findIndex((t) => t.startsWith('Hops'));
  await expect(table.locator(`tbody tr td:nth-child(${hopsColumn + 1})`)).toHaveText(results.map((r) => String(Object.keys(r.hops).length)));
  await expect(table.locator('tbody tr').first()).toContainText(`${results[0].src} → ${results[0].dst}`);
});

test("a tag chip's tooltip is the tag's definition from GRIP's glossary", async ({ page, mock, api }) => {
  const { tags } = await api.data('grip');
  await page.goto(mock.urls.app + PERMALINK);
  const chips = results(page).locator('tbody tr').first().locator('li.grip-tag');
  await expect(chips.first()).toBeVisible();
  const names = await chips.allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const [i, name] of names.entries()) {
    const def = tags.definitions[name]?.definition;
    expect(def, `the mock defines ${name}`).toBeTruthy();
    await expect(chips.nth(i)).toHaveAttribute('title', def);
  }
  // The glossary is asked for once per app session.
  expect((await appRequests(api)).filter((r) => r.path === '/json/tags')).toHaveLength(1);
});

test('an AS on the blocklist or on ASN-DROP carries its badge, other ASes none', async ({ page, mock, api }) => {
  const { events, blocklist, asndrop } = await api.data('grip');
  const listed = (list) => (e) => e.summary.ases.some((a) => list.includes(Number(a)));
  const clean = (a) => !blocklist.includes(Number(a)) && !asndrop.includes(Number(a));
  // An event with one AS on each list (and a clean AS beside it).
  for (const [list, flag, other] of [[blocklist, 'flag-blocklist', 'flag-asndrop'], [asndrop, 'flag-asndrop', 'flag-blocklist']]) {
    const ev = events.find((e) => listed(list)(e) && e.summary.ases.some(clean));
    expect(ev, `an event involving ${flag}`).toBeTruthy();
    const bad = ev.summary.ases.find((a) => list.includes(Number(a)));
    const good = ev.summary.ases.find(clean);
    await page.goto(`${mock.urls.app}/grip/event/${ev.id}`);
    const summary = page.getByTestId('grip-summary');
    const badAs = summary.locator('.grip-asn', { has: page.locator('.mono', { hasText: new RegExp(`^AS${bad}$`) }) }).first();
    await expect(badAs.getByTestId(flag)).toBeVisible();
    await expect(badAs.getByTestId(flag)).toHaveAttribute('title', flag === 'flag-blocklist' ? /GRIP's blocklist/ : /ASN-DROP/);
    await expect(badAs.getByTestId(other)).toHaveCount(0);
    const goodAs = summary.locator('.grip-asn', { has: page.locator('.mono', { hasText: new RegExp(`^AS${good}$`) }) }).first();
    await expect(goodAs).toBeVisible();
    await expect(goodAs.locator('.grip-flag')).toHaveCount(0);
  }
});

test('length=5000 gets a message next to the length field and no request until fixed', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/grip?length=5000');
  const field = page.locator('.field', { has: page.locator('#length') });
  await expect(field.locator('.field-error')).toContainText('1000');
  await expect(field).toHaveClass(/invalid/);
  await expect(page.getByTestId('grip-invalid')).toBeVisible();

  await page.locator('#length').selectOption('10');
  await expect(page).toHaveURL(mock.urls.app + '/grip?length=10');
  await expect(countLabel(page)).toHaveText(/^showing 1–10 of /);
  await expect(field.locator('.field-error')).toHaveText('');
  const sent = await searches(api);
  expect(sent.map((r) => r.query.length)).toEqual(['10']);
});

test('an impossible prefix gets a message at the prefixes field and is never sent', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/grip?pfxs=8.8.8.300/24');
  await expect(page.locator('#pfxs')).toHaveValue('8.8.8.300/24');
  await expect(page.locator('#pfxs-error')).toContainText('8.8.8.300/24');
  await expect(page.getByTestId('grip-invalid')).toBeVisible();

  await page.locator('#pfxs').fill('8.8.8.0/24');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/pfxs=8\.8\.8\.0%2F24|pfxs=8\.8\.8\.0\/24/);
  await expect(page.locator('#pfxs-error')).toHaveText('');
  await expect.poll(async () => (await searches(api)).length).toBe(1);
  const [request] = await searches(api);
  expect(request.query.pfxs).toBe('8.8.8.0/24');
  const answer = await answerTo(mock, request);
  await expect(results(page)).toContainText(answer.recordsTotal ? `of ${count(answer.recordsTotal)}` : 'No GRIP event matches this search');
});

test('an invalid event id shows a message and asks GRIP nothing', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/grip/event/moas-yesterday-3356');
  await expect(page.getByTestId('grip-bad-id')).toContainText('This is not a valid GRIP event id.');
  await expect(page.getByTestId('grip-event-id')).toHaveText('moas-yesterday-3356');
  // Leave through the offered link: by then the page would long have sent its request.
  await page.getByTestId('grip-bad-id').getByRole('link', { name: 'Search GRIP events' }).click();
  await expect(countLabel(page)).toHaveText(/^showing 1–/);
  const asked = (await appRequests(api)).map((r) => r.path);
  expect(asked.filter((p) => p.startsWith('/json/event/'))).toEqual([]);
  expect(asked).toContain('/json/events');
});

test('a well-formed id GRIP does not know shows "not found", not an error', async ({ page, mock, api }) => {
  const { events } = await api.data('grip');
  const id = 'moas-1600000000-3356_174';
  expect(events.some((e) => e.id === id)).toBe(false);
  await page.goto(`${mock.urls.app}/grip/event/${id}`);
  await expect(page.getByTestId('grip-not-found')).toContainText('GRIP has no such event.');
  await expect(page.locator('.error-panel')).toHaveCount(0);
  const asked = (await appRequests(api)).filter((r) => r.path === `/json/event/id/${id}`);
  expect(asked.map((r) => r.status)).toEqual([404]);
});

test('a server error shows the error panel, and Retry loads the events', async ({ page, mock, api }) => {
  await api.fault({ service: 'grip', path: '/json/events', kind: 'status', status: 503, times: 1 });
  await page.goto(mock.urls.app + PERMALINK);
  const panel = results(page).locator('.error-panel');
  await expect(panel).toContainText('Could not load the data.');
  await expect(panel).toContainText('503');
  await expect(results(page).locator('table.data')).toHaveCount(0);

  await panel.getByRole('button', { name: 'Retry' }).click();
  await expect(countLabel(page)).toHaveText(/^showing 1–10 of /);
  await expect(panel).toHaveCount(0);
  const sent = await searches(api);
  expect(sent.map((r) => r.status)).toEqual([503, 200]);
  expect(sent[1].url).toBe(sent[0].url);
  const answer = await answerTo(mock, sent[1]);
  await expect(rowIds(page)).toHaveText(answer.data.map((e) => e.id));
});

test('the tag glossary lists every tag from GRIP and the filter narrows it', async ({ page, mock, api }) => {
  const { tags } = await api.data('grip');
  const names = Object.keys(tags.definitions);
  await page.goto(mock.urls.app + '/grip/tags');
  const table = tableBy(page, 'GRIP tags and their definitions');
  const status = page.locator('.grip-tag-filter + .count');
  await expect(status).toHaveText(`${count(names.length)} tags`);
  await expect(table.locator('tbody tr')).toHaveCount(names.length);
  for (const name of names) {
    await expect(page.locator(`[id="tag-${name}"]`)).toContainText(tags.definitions[name].definition);
  }

  const needle = 'newcomer';
  const matching = names.filter((n) => {
    const d = tags.definitions[n];
    return [n, d.definition ?? '', ...(d.comments ?? [])].some((t) => t.toLowerCase().includes(needle));
  });
  expect(matching.length).toBeGreaterThan(0);
  expect(matching.length).toBeLessThan(names.length);
  await page.getByLabel('Filter tags').fill(needle);
  await expect(status).toHaveText(`${count(matching.length)} of ${count(names.length)} tags`);
  await expect(table.locator('tbody tr td:first-child')).toHaveText([...matching].sort());

  await page.getByLabel('Filter tags').fill('no-such-tag-anywhere');
  await expect(page.getByText('No tag matches the filter.')).toBeVisible();
});

test('CSV export downloads the rows loaded on the page', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + PERMALINK);
  await expect(countLabel(page)).toHaveText(/^showing 1–10 of /);
  const [request] = await searches(api);
  const answer = await answerTo(mock, request);

  const [download] = await Promise.all([page.waitForEvent('download'), results(page).getByRole('button', { name: '⤓ CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^netlens-grip-.*\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0].split(',')).toEqual(['id', 'event_type', 'view_ts', 'finished_ts', 'duration', 'prefixes', 'ases', 'victims', 'attackers', 'tags', 'primary_inference', 'suspicion', 'confidence']);
  expect(lines).toHaveLength(answer.data.length + 1);
  const rows = lines.slice(1).map((l) => l.split(','));
  expect(rows.map((r) => r[0])).toEqual(answer.data.map((e) => e.id));
  expect(rows.map((r) => r[1])).toEqual(answer.data.map(() => 'moas'));
  expect(rows.map((r) => r[11])).toEqual(answer.data.map((e) => String(e.summary.inference_result.primary_inference.suspicion_level)));
});

test('an event page checks its attacker ASes in Spoofer only when asked, and flags one that can spoof', async ({ page, mock, api }) => {
  const [{ events }, { sessions }] = [await api.data('grip'), await api.data('spoofer')];
  const spoofed = new Set(['received', 'rewritten']);
  const canSpoof = (s) => ['routedspoof', 'routedspoof6', 'privatespoof', 'privatespoof6'].some((k) => spoofed.has(s[k]));
  // The newest 30 sessions of each AS, as the check reads them.
  const newest = (asn) => sessions.filter((s) => s.asn4 === asn || s.asn6 === asn).sort((a, b) => b.session - a.session).slice(0, 30);
  const ev = events.find((e) => {
    const at = (e.summary?.attackers ?? []).map(String);
    return at.length === 1 && newest(at[0]).some(canSpoof);
  });
  expect(ev, 'an event whose one attacker has sessions that got through').toBeTruthy();
  const attacker = String(ev.summary.attackers[0]);
  await page.goto(`${mock.urls.app}/grip/event/${ev.id}`);
  const box = page.getByTestId('correlation');
  await expect(box).toContainText('1 attacker AS.');
  // Nothing asked of Spoofer until the user asks.
  const spooferAsks = async () => (await api.requests('spoofer')).filter((r) => r.path === '/sessions').length;
  expect(await spooferAsks()).toBe(0);
  await box.getByTestId('check-spoofer').click();
  const item = box.locator(`li[data-asn="${attacker}"]`);
  await expect(item.getByTestId('flag-spoofer')).toHaveText('can spoof');
  const got = newest(attacker).filter(canSpoof).length;
  await expect(item).toContainText(`Could spoof: ${got} of its latest ${newest(attacker).length} Spoofer session`);
  expect(await spooferAsks()).toBeGreaterThan(0);
  await expect(box.getByTestId('check-spoofer')).toHaveCount(0);
});
