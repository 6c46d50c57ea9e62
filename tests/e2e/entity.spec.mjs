// The header search box, the entity pages (AS, IP, prefix, country) and the pivots between them.
import { test, expect } from './fixtures.mjs';

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
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('AS3356');
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
  const ioda = page.getByTestId('panel-ioda');
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
  await expect(page.getByTestId('panel-spamhaus').getByRole('link', { name: /Look up 196\.22\.132\.0\/24/ })).toHaveAttribute('href', '/spamhaus?ip=196.22.132.0&mask=24');

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
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('AS34467');
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
