// The app shell: navigation, deep links, not found, sub-path deployment, config and Settings.
import { test, expect } from './fixtures.mjs';

const SECTIONS = ['Home', 'Spoofer', 'GRIP', 'IODA', 'Spamhaus', 'Settings'];

test('a visitor sees the start page with every section and source', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Public Internet-security data/);
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const s of SECTIONS) await expect(nav.getByRole('link', { name: s, exact: true })).toBeVisible();
  for (const s of ['CAIDA Spoofer', 'GRIP', 'IODA', 'Spamhaus SIA']) {
    await expect(page.locator('.card h2', { hasText: s })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'CAIDA Acceptable Use Agreement' })).toHaveAttribute('href', /caida\.org/);
  await expect(nav.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
});

test('header navigation changes the route without reloading the app', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(mock.urls.app + '/settings');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Public Internet-security data/);
});

test('a deep link opened cold on a static host boots the app from 404.html', async ({ page, mock }) => {
  // The mock's static server answers as GitHub Pages does (netlens-proxy answers 200: proxy.spec).
  const response = await page.goto(mock.urls.staticApp + '/settings');
  expect(response.status()).toBe(404); // what a static host answers; its 404.html is the app
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
});

test('an unknown route shows the in-app not-found page', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.locator('main code')).toHaveText('/no/such/page');
  await page.getByRole('link', { name: 'Go to the start page' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Public Internet-security data/);
});

test('the build for a sub-path serves deep links and keeps links under it', async ({ page, subpath }) => {
  await page.goto(subpath.urls.app + '/netlens/settings');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  const home = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Home' });
  await expect(home).toHaveAttribute('href', '/netlens/');
  await home.click();
  await expect(page).toHaveURL(subpath.urls.app + '/netlens/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Public Internet-security data/);
});

test('config.json decides the endpoints, and Settings shows where each comes from', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  await expect(page.getByTestId('in-effect-ioda')).toContainText(mock.urls.ioda);
  await expect(page.getByTestId('in-effect-ioda')).toContainText('config.json');
  // Behind the proxy, GRIP and Spamhaus are the proxy's own paths, resolved on the app's origin.
  await expect(page.getByTestId('in-effect-spamhaus')).toContainText(`${mock.urls.app}/api/spamhaus`);
  await expect(page.getByTestId('in-effect-spamhaus')).toContainText('config.json');
});

test('an invalid config.json falls back to the public endpoints with a console warning', async ({ page, mock, api }) => {
  // The file served as it is (a static host: the proxy writes its own config.json).
  await api.config('{"endpoints": ');
  await page.goto(mock.urls.staticApp + '/settings');
  await expect(page.getByTestId('in-effect-grip')).toContainText('https://api.grip.inetintel.cc.gatech.edu/json');
  await expect(page.getByTestId('in-effect-grip')).toContainText('public default');
  expect(page.consoleMessages.some((m) => m.startsWith('warning') && m.includes('config.json'))).toBe(true);
});

test('a config.json entry that is not a URL is ignored, the others kept', async ({ page, mock, api }) => {
  await api.config(JSON.stringify({ endpoints: { grip: 'javascript:alert(1)', ioda: mock.urls.ioda } }));
  await page.goto(mock.urls.staticApp + '/settings');
  await expect(page.getByTestId('in-effect-grip')).toContainText('public default');
  await expect(page.getByTestId('in-effect-ioda')).toContainText(mock.urls.ioda);
});

test('a Settings override persists in this browser and reset restores config.json', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  await page.getByLabel('GRIP').fill('https://proxy.example.org/grip/');
  await page.getByRole('button', { name: 'Save endpoints' }).click();
  await expect(page.getByText('Saved for this browser')).toBeVisible();
  await expect(page.getByTestId('in-effect-grip')).toContainText('https://proxy.example.org/grip');
  await expect(page.getByTestId('in-effect-grip')).toContainText('your Settings');
  await page.reload();
  await expect(page.getByTestId('in-effect-grip')).toContainText('your Settings');
  expect(await page.evaluate(() => localStorage.getItem('netlens.endpoints'))).toContain('proxy.example.org');
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(page.getByTestId('in-effect-grip')).toContainText(`${mock.urls.app}/api/grip`);
  expect(await page.evaluate(() => localStorage.getItem('netlens.endpoints'))).toBeNull();
});

test('a bad endpoint in Settings gets a message next to the field and is not saved', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  await page.getByLabel('IODA', { exact: true }).fill('ftp://example.org');
  await page.getByRole('button', { name: 'Save endpoints' }).click();
  await expect(page.locator('#endpoint-ioda-error')).toContainText('must start with https://');
  await expect(page.getByTestId('in-effect-ioda')).toContainText(mock.urls.ioda);
  expect(await page.evaluate(() => localStorage.getItem('netlens.endpoints'))).toBeNull();
  // A host in Unicode is asked for in its ASCII form (the bundle has no IDNA tables).
  await page.getByLabel('IODA', { exact: true }).fill('https://bücher.example/v2');
  await page.getByRole('button', { name: 'Save endpoints' }).click();
  await expect(page.locator('#endpoint-ioda-error')).toContainText('ASCII form (xn--');
  expect(await page.evaluate(() => localStorage.getItem('netlens.endpoints'))).toBeNull();
});

test('a page URL cannot change an endpoint', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings?endpoints=https://evil.example&grip=https://evil.example&config=https://evil.example/config.json');
  for (const s of ['spoofer', 'grip', 'ioda', 'spamhaus']) {
    await expect(page.getByTestId(`in-effect-${s}`)).not.toContainText('evil');
  }
});

test('the theme choice applies at once and survives a reload', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  await page.getByLabel('Dark').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Follow the system').check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
});
