// The header search box, the entity pages (AS, IP, prefix, country) and the pivots between them.
import { test, expect } from './fixtures.mjs';

const CIDR_PATH = '/api/intel/v1/byobject/cidr/';
const nowSecs = () => Math.floor(Date.now() / 1000);

/** The listing requests the browser sent to Spamhaus (preflights left out). */
const cidrRequests = async (api) =>
  (await api.requests('spamhaus')).filter((r) => r.path.startsWith(CIDR_PATH) && r.method === 'GET');

const search = (page) => page.getByRole('combobox', { name: /Search/ });

async function searchFor(page, text) {
  const box = search(page);
  await box.fill(text);
  await box.press('Enter');
}

test('the search box lands on the page of each kind of input', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  const cases = [
    ['AS3307', '/asn/3307', 'AS3307'],
    ['45.150.206.114', '/ip/45.150.206.114', '45.150.206.114'],
    ['2001:db8::1', '/ip/2001:db8::1', '2001:db8::1'],
    ['45.150.206.9/24', '/prefix/45.150.206.0/24', '45.150.206.0/24'],
    ['Norway', '/country/NO', 'Norway'],
    ['moas-1691663100-328892_60064', '/grip/event/moas-1691663100-328892_60064', 'GRIP event'],
    ['#891176', '/spoofer/session/891176', /891176/],
  ];
  for (const [text, path, heading] of cases) {
    await searchFor(page, text);
    await expect(page).toHaveURL(mock.urls.app + path);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(heading);
  }
});

test('a bare number offers AS and session in a listbox worked by keyboard alone', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  const box = search(page);
  await box.fill('891176');
  await box.press('Enter');
  const list = page.getByRole('listbox');
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  const options = list.getByRole('option');
  await expect(options).toHaveText(['AS891176 (autonomous system)', 'Spoofer session #891176']);
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await box.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', 'search-option-1');
  await box.press('Escape');
  await expect(list).toBeHidden();
  await box.press('Enter');
  await box.press('ArrowUp');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(page).toHaveURL(mock.urls.app + '/spoofer/session/891176');
});

test('junk input says what the box accepts', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/grip');
  await searchFor(page, 'hello world');
  await expect(page.locator('#site-search-message')).toContainText('does not recognise “hello world”');
  await expect(page.locator('#site-search-message')).toContainText('AS number');
  await expect(page).toHaveURL(mock.urls.app + '/grip');
});

test('an AS page joins the sources, and GRIP failing leaves the other panels', async ({ page, mock, api }) => {
  await api.fault({ service: 'grip', kind: 'status', status: 503 });
  await page.goto(mock.urls.app + '/asn/3356');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^AS3356( · .+)?$/);
  await expect(page.getByTestId('panel-grip').locator('.error-panel')).toBeVisible();
  const spoofer = page.getByTestId('panel-spoofer');
  await expect(spoofer.locator('table.data tbody tr').first()).toBeVisible();
  await expect(spoofer.getByTestId('spoof-summary')).toContainText('Routed IPv4');
  await expect(spoofer.getByRole('link', { name: 'Open in the Spoofer explorer' })).toHaveAttribute('href', '/spoofer?asn=3356');
  await expect(page.getByTestId('panel-ioda').locator('.count')).toBeVisible();
  await expect(page.getByTestId('panel-spamhaus').getByLabel('Prefix of this AS to look up')).toBeVisible();
});

test('an AS on GRIP\'s blocklist says so, and the IODA panel shows its alerts', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/asn/64496');
  await expect(page.getByTestId('lists-status')).toHaveText(/On GRIP's blocklist\. Not on Spamhaus ASN-DROP\./);
  await page.goto(mock.urls.app + '/asn/3307');
  await expect(page.getByTestId('panel-ioda').locator('table.data tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('lists-status')).toHaveText(/Not on GRIP's blocklist/);
  const ioda = page.getByTestId('entity-window');
  await expect(ioda.getByRole('button', { name: '7 d' })).toHaveAttribute('aria-pressed', 'true');
  await page.goto(mock.urls.app + '/asn/3307?window=30d');
  await expect(ioda.getByRole('button', { name: '30 d' })).toHaveAttribute('aria-pressed', 'true');
  await ioda.getByRole('button', { name: '24 h' }).click();
  await expect(page).toHaveURL(/\/asn\/3307\?from=\d+&until=\d+$/);
  await expect(ioda.getByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');
  await page.goto(mock.urls.app + '/asn/3307?window=2w');
  await expect(ioda.getByTestId('window-error')).toContainText('not one of 1h, 24h, 7d, 30d');
});

test('country and prefix pages; invalid parameters say so', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/country/us');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('United States of America');
  await expect(page.getByTestId('panel-spoofer').getByRole('link', { name: 'Open in the Spoofer explorer' })).toHaveAttribute('href', '/spoofer?country=usa');
  await expect(page.getByTestId('panel-spoofer').locator('table.data tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('panel-ioda').locator('table.data tbody tr').first()).toBeVisible();

  await page.goto(mock.urls.app + '/prefix/196.22.132.0/24');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('196.22.132.0/24');
  await expect(page.getByTestId('panel-grip').locator('.count')).toBeVisible();
  await expect(page.getByTestId('panel-spamhaus').getByRole('link', { name: 'Open in the Spamhaus explorer' })).toHaveAttribute('href', '/spamhaus?ip=196.22.132.0&mask=24');

  for (const bad of ['/asn/abc', '/country/XX', '/ip/1.2.3', '/prefix/10.0.0.0/33']) {
    await page.goto(mock.urls.app + bad);
    await expect(page.getByTestId('invalid-entity')).toBeVisible();
  }
});

test('a pivot walks from a GRIP event to the victim AS page and on to the IODA explorer', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/grip/event/moas-1691663100-328892_60064');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP event');
  await page.locator('a.pivot', { hasText: /^AS34467$/ }).first().click();
  await expect(page).toHaveURL(mock.urls.app + '/asn/34467');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^AS34467( · .+)?$/);
  await page.getByTestId('panel-ioda').getByRole('link', { name: 'Open in the IODA explorer' }).click();
  await expect(page).toHaveURL(/\/ioda\?from=\d+&until=\d+&entity=asn%2F34467$/);
  await expect(page.locator('#entity')).toHaveValue(/34467/);
});

test('Spoofer and IODA tables link their ASes and countries to entity pages', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/spoofer/session/891176');
  await expect(page.locator('a.pivot', { hasText: /^AS3356$/ }).first()).toHaveAttribute('href', '/asn/3356');
  await expect(page.locator('a.pivot.country').first()).toHaveAttribute('href', '/country/US');
  await page.goto(mock.urls.app + '/ioda?entity=country/NO');
  const link = page.locator('table.data a.pivot').first();
  await expect(link).toHaveAttribute('href', '/country/NO');
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Norway');
});

// ----- Spamhaus SIA inline -----

async function signInHere(panel, acct) {
  const form = panel.getByTestId('signin');
  await form.getByLabel('Account e-mail').fill(acct.username);
  await form.getByLabel('Password', { exact: true }).fill(acct.password);
  await panel.getByTestId('signin-submit').click();
}

/** The records of `prefix` (a.b.c.) the service calls live now (listed in the last 12 months, still valid). */
function liveIn(data, prefix) {
  const t = nowSecs();
  return data.records.filter((r) => r.ipaddress.startsWith(prefix) && r.valid_until > t && r.listed >= t - 365 * 86400);
}

/** The panel's compact table as dataset|address rows, in the order shown. */
async function panelRows(panel) {
  return panel.locator('.results table').evaluate((t) => {
    const heads = [...t.querySelectorAll('thead th')].map((th) => th.textContent.replace(/[▲▼]/g, '').trim());
    const col = (name) => heads.indexOf(name);
    return [...t.querySelectorAll('tbody tr')].map(
      (tr) => `${tr.children[col('Dataset')].textContent.trim()}|${tr.children[col('Address')].textContent.trim()}`,
    );
  });
}

/** What the panel shows of `records`: the ten most recently listed, newest first. */
const newestTen = (records) =>
  [...records].sort((a, b) => b.listed - a.listed).slice(0, 10).map((r) => `${r.dataset}|${r.ipaddress}`);

test('signed out, a prefix page asks to sign in right in the panel, then shows the listings there', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  const url = mock.urls.app + '/prefix/45.150.206.0/24';
  await page.goto(url);
  const panel = page.getByTestId('panel-spamhaus');
  await expect(panel.getByTestId('signin')).toBeVisible();
  await expect(panel.getByTestId('signin')).toContainText('the lookup runs as soon as you are signed in');
  await expect(page.getByTestId('panel-grip').locator('.count')).toBeVisible();
  expect(await cidrRequests(api)).toEqual([]);

  await signInHere(panel, data.account);
  const expected = liveIn(data, '45.150.206.');
  expect(expected.length).toBeGreaterThan(10);
  await expect(panel.getByTestId('count')).toHaveText(`${expected.length} records, ${expected.length} still listed`);
  await expect(panel.getByTestId('signin')).toBeHidden();
  await expect(panel.getByTestId('token-state')).toContainText('Signed in, expires in');
  expect(await panelRows(panel)).toEqual(newestTen(expected));
  await expect(panel.getByTestId('result-meta')).toContainText(`The 10 most recently listed; the explorer shows all ${expected.length}.`);
  await expect(page).toHaveURL(url);
  await expect(panel.getByRole('link', { name: 'Open in the Spamhaus explorer' })).toHaveAttribute('href', '/spamhaus?ip=45.150.206.0&mask=24');

  // The same query the explorer runs: every dataset, live, the /24 in one request.
  const cidr = await cidrRequests(api);
  expect(cidr.map((r) => r.path)).toEqual([`${CIDR_PATH}ALL/listed/live/45.150.206.0/24`]);

  // An address page of a clean address says so in the panel, with no error.
  await page.goto(mock.urls.app + '/ip/192.0.2.7');
  await expect(panel.locator('.empty-state')).toHaveText('Nothing listed: no live listing in any dataset for 192.0.2.7/32.');
  await expect(panel.locator('[role="alert"]:not(:empty)')).toHaveCount(0);
});

test('an AS page looks up the prefix in its URL, and a refused token asks to sign in again', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  const asn = data.records.find((r) => r.ipaddress.startsWith('45.150.206.')).asn;
  await page.goto(`${mock.urls.app}/asn/${asn}?sh=45.150.206.0/24`);
  const panel = page.getByTestId('panel-spamhaus');
  await expect(panel.getByLabel('Prefix of this AS to look up')).toHaveValue('45.150.206.0/24');
  await signInHere(panel, data.account);
  const all = liveIn(data, '45.150.206.');
  await expect(panel.getByTestId('count')).toHaveText(`${all.length} records, ${all.length} still listed`);
  expect(await panelRows(panel)).toEqual(newestTen(all));

  // Another prefix typed in goes into the URL (a permalink) and is looked up.
  const one = all[0].ipaddress;
  await panel.getByLabel('Prefix of this AS to look up').fill(one);
  await panel.getByRole('button', { name: 'Look up' }).click();
  await expect(page).toHaveURL(`${mock.urls.app}/asn/${asn}?sh=${one}`);
  const mine = liveIn(data, one).filter((r) => r.ipaddress === one);
  await expect(panel.getByTestId('count')).toHaveText(`${mine.length} record${mine.length === 1 ? '' : 's'}, ${mine.length} still listed`);

  // The service refuses the token (401): the panel asks to sign in again, and the query runs after it.
  await api.fault({ service: 'spamhaus', path: CIDR_PATH, method: 'GET', kind: 'status', status: 401, times: 1 });
  await panel.getByRole('button', { name: 'Run again' }).click();
  await expect(panel.getByTestId('signin')).toContainText('Your session expired: sign in again to run this query.');
  await signInHere(panel, data.account);
  await expect(panel.getByTestId('count')).toHaveText(`${mine.length} record${mine.length === 1 ? '' : 's'}, ${mine.length} still listed`);
});

test('a bad prefix on an AS page is explained next to the field and sends nothing', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/asn/3356');
  const panel = page.getByTestId('panel-spamhaus');
  const field = panel.getByLabel('Prefix of this AS to look up');
  await field.fill('45.150.206.0/33');
  await panel.getByRole('button', { name: 'Look up' }).click();
  await expect(page).toHaveURL(/\/asn\/3356\?sh=45\.150\.206\.0%2F33$/);
  await expect(panel.locator('#entity-spamhaus-error')).toHaveText('“45.150.206.0/33” is not an IPv4 or IPv6 prefix');
  await expect(field).toHaveAttribute('aria-describedby', 'entity-spamhaus-error');

  await field.fill('10.0.0.0/16');
  await panel.getByRole('button', { name: 'Look up' }).click();
  await expect(panel.locator('#entity-spamhaus-error')).toContainText('/16 is too wide: Spamhaus SIA searches at most a /24');
  expect(await cidrRequests(api)).toEqual([]);
});

test('Spamhaus down shows its error in its panel and leaves the other panels working', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/prefix/45.150.206.0/24');
  const panel = page.getByTestId('panel-spamhaus');
  await signInHere(panel, data.account);
  await expect(panel.getByTestId('count')).toBeVisible();

  await api.fault({ service: 'spamhaus', kind: 'status', status: 503 });
  await page.goto(mock.urls.app + '/prefix/45.150.206.0/25');
  await expect(panel.locator('.error-panel')).toContainText('503');
  await expect(panel.getByRole('button', { name: /Retry/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('45.150.206.0/25');
  await expect(page.getByTestId('panel-grip').locator('.count')).toBeVisible();
  await expect(page.getByTestId('panel-grip').locator('.error-panel')).toHaveCount(0);
});

// ----- Spoofer: the latest sessions -----

const SPOOFED = new Set(['received', 'rewritten']);
const couldSpoof = (s) => ['routedspoof', 'routedspoof6', 'privatespoof', 'privatespoof6'].some((k) => SPOOFED.has(s[k]));

test('the AS page shows its newest Spoofer sessions and the share of them that could spoof', async ({ page, mock, api }) => {
  const { sessions } = await api.data('spoofer');
  const ofAs = sessions.filter((s) => s.asn4 === '3356' || s.asn6 === '3356').sort((a, b) => b.session - a.session);
  expect(ofAs.length).toBeGreaterThan(60); // several pages: the newest are not on the first
  const latest = ofAs.slice(0, 30);
  const spoofed = latest.filter(couldSpoof).length;

  await page.goto(mock.urls.app + '/asn/3356');
  const panel = page.getByTestId('panel-spoofer');
  await expect(panel.getByTestId('spoof-share')).toContainText(
    `${spoofed} of the latest 30 sessions could spoof (${Math.round((spoofed * 100) / 30)} %)`,
  );
  const shown = await panel.locator('table.data tbody tr td:first-child').allTextContents();
  expect(shown).toEqual(latest.slice(0, 10).map((s) => `#${s.session}`));
  await expect(panel.locator('.count')).toHaveText(`${ofAs.length} sessions in all; the 10 newest below.`);
  // Read from the end: page 1 names the last page, which (being short) comes with the one before it.
  const last = Math.ceil(ofAs.length / 30);
  const asked = (await api.requests('spoofer')).filter((r) => r.method === 'GET' && r.path === '/sessions').map((r) => r.url);
  expect(asked.some((u) => u.endsWith(`page=${last}`))).toBe(true);
  if (ofAs.length % 30 !== 0) expect(asked.some((u) => u.endsWith(`page=${last - 1}`))).toBe(true);

  // The country page does the same for its country.
  const usa = sessions.filter((s) => s.country === 'usa').sort((a, b) => b.session - a.session);
  await page.goto(mock.urls.app + '/country/US');
  await expect(panel.locator('table.data tbody tr td:first-child').first()).toHaveText(`#${usa[0].session}`);
  const usaSpoofed = usa.slice(0, 30).filter(couldSpoof).length;
  await expect(panel.getByTestId('spoof-share')).toContainText(`${usaSpoofed} of the latest 30 sessions could spoof`);
});
