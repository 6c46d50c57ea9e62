// Reaching the sources the way each deployment can: same-origin paths (also under a sub-path), an
// endpoint on another origin saved in Settings, the "Check the sources" probe (answers / refused for
// browser pages (CORS) / unreachable), and a pinned build, where Settings offers no overrides and a
// config.json endpoint outside the policy is reported as blocked by the page's policy, never as CORS.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures.mjs';
import { ROOT, startProxy } from './topology.mjs';

/** The Settings check, run: the row of each source once all four have a result. */
async function checkSources(page) {
  await page.getByRole('button', { name: 'Check the sources' }).click();
  for (const s of ['spoofer', 'grip', 'ioda', 'spamhaus']) {
    await expect(page.getByTestId(`reach-${s}`)).toContainText(/[✓✗]/, { timeout: 15_000 });
  }
  const row = (s) => page.getByTestId(`reach-${s}`);
  return row;
}

/** A local server outside any pinned policy that answers anything with CORS, and counts the hits. */
async function outsider() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' });
    res.end('{}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, hits, close: () => new Promise((r) => server.close(r)) };
}

test('behind the proxy every source answers the check, GRIP and Spamhaus on the app\'s own origin', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  await expect(page.getByTestId('in-effect-grip')).toContainText(`${mock.urls.app}/api/grip`);
  await expect(page.getByTestId('in-effect-spamhaus')).toContainText(`${mock.urls.app}/api/spamhaus`);
  const row = await checkSources(page);
  for (const s of ['spoofer', 'grip', 'ioda']) await expect(row(s)).toContainText('✓ answers');
  await expect(row('spamhaus')).toContainText('✓ answers (sign-in needed)');
  await expect(row('grip')).toContainText(/\d+ ms/);
  // No static-host notice where the proxy forwards GRIP and Spamhaus.
  await page.goto(mock.urls.app + '/grip');
  await expect(page.getByTestId('same-origin-notice-grip')).toHaveCount(0);
  await page.goto(mock.urls.app + '/spamhaus');
  await expect(page.getByTestId('same-origin-notice-spamhaus')).toHaveCount(0);
});

test('on a static host the check names GRIP and Spamhaus as refused (CORS) and a closed port as unreachable', async ({ page, mock, api }) => {
  await api.config({ endpoints: { spoofer: mock.urls.spoofer, grip: mock.urls.grip, ioda: 'http://127.0.0.1:9/v2', spamhaus: mock.urls.spamhaus } });
  await page.goto(mock.urls.staticApp + '/settings');
  const row = await checkSources(page);
  for (const s of ['grip', 'spamhaus']) {
    await expect(row(s)).toContainText('✗ refused for browser pages (CORS)');
    await expect(row(s)).toContainText('netlens-proxy');
  }
  await expect(row('ioda')).toContainText('✗ unreachable (network, DNS or service down)');
  await expect(row('ioda')).not.toContainText('CORS');
  await expect(row('spoofer')).toContainText('✓ answers');
});

test('the sub-path build resolves api/grip under its own path and searches GRIP through it', async ({ page, subpath }) => {
  test.skip(!subpath.urls.proxied, 'this netlens-proxy cannot serve a sub-path');
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(subpath.urls.app + '/netlens/settings');
  await expect(page.getByTestId('in-effect-grip')).toContainText(`${subpath.urls.app}/netlens/api/grip`);
  await page.goto(subpath.urls.app + '/netlens/grip?event_type=moas&length=10');
  await expect(page.locator('.grip-results a.grip-event-link')).toHaveCount(10);
  expect(requested.some((u) => u.startsWith(`${subpath.urls.app}/netlens/api/grip/events?`))).toBe(true);
});

test('an endpoint on another origin saved in Settings is used with no policy violation', async ({ page, mock, api }) => {
  // localhost is another origin than 127.0.0.1 (the app's): the IODA mock there, with its CORS.
  const other = mock.urls.ioda.replace('127.0.0.1', 'localhost');
  await page.goto(mock.urls.app + '/settings');
  await page.getByLabel('IODA', { exact: true }).fill(other);
  await expect(page.getByTestId('csp-note-ioda')).toBeEmpty();
  await page.getByRole('button', { name: 'Save endpoints' }).click();
  await expect(page.getByTestId('in-effect-ioda')).toContainText(other);
  const before = (await api.requests('ioda')).length;
  await page.goto(mock.urls.app + '/ioda');
  await expect(page.locator('main .count')).toBeVisible();
  await expect(page.locator('main .error-panel')).toHaveCount(0);
  const sent = (await api.requests('ioda')).slice(before);
  expect(sent.some((r) => r.headers.host?.startsWith('localhost:'))).toBe(true);
});

test('Settings takes a path on this site, refuses another host in disguise and plain http to another host', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  const save = () => page.getByRole('button', { name: 'Save endpoints' }).click();
  for (const [typed, says] of [
    ['//evil.example/v2', 'or be a path on this site such as api/grip'],
    ['javascript:alert(1)', 'or be a path on this site such as api/grip'],
    ['../v2', 'or be a path on this site such as api/grip'],
    ['http://ioda.example.org/v2', 'plain http://'],
  ]) {
    await page.getByLabel('IODA', { exact: true }).fill(typed);
    await save();
    await expect(page.locator('#endpoint-ioda-error')).toContainText(says);
    expect(await page.evaluate(() => localStorage.getItem('netlens.endpoints'))).toBeNull();
  }
  await page.getByLabel('IODA', { exact: true }).fill('');
  await page.getByLabel('GRIP', { exact: true }).fill('api/grip');
  await save();
  await expect(page.locator('#endpoint-grip-error')).toBeEmpty();
  await expect(page.getByTestId('in-effect-grip')).toContainText(`${mock.urls.app}/api/grip`);
  await expect(page.getByTestId('in-effect-grip')).toContainText('your Settings');
});

test.describe('a pinned build (make dist CSP=pinned)', () => {
  /**
   * The release build with its policy <meta> pinned to 'self' and Spoofer's and IODA's mock origins, as
   * `make dist CSP=pinned` writes it for a config.json naming those, served by its own netlens-proxy
   * with `config` as the deployer's file. (A copy of dist/, not a second build: the pinned policy is
   * the only difference. Served from loopback like the rest, so Chromium's local-network rules are those
   * of every other test.)
   */
  async function pinnedApp(mock, config) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-pinned-'));
    fs.cpSync(path.join(ROOT, 'dist'), dir, { recursive: true });
    const pinned = `connect-src 'self' ${new URL(mock.urls.spoofer).origin} ${new URL(mock.urls.ioda).origin}`;
    for (const page of ['index.html', '404.html']) {
      const file = path.join(dir, page);
      if (!fs.existsSync(file)) continue;
      const html = fs.readFileSync(file, 'utf8').replace(/connect-src [^;"]*/, pinned);
      expect(html).toContain(pinned);
      fs.writeFileSync(file, html);
      for (const ext of ['.br', '.gz']) fs.rmSync(file + ext, { force: true });
    }
    const configFile = path.join(dir, 'deployer-config.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const proxy = await startProxy(['--dist', dir, '--config', configFile, '--upstream', `grip=${mock.urls.grip}`, '--upstream', `spamhaus=${mock.urls.spamhaus}`]);
    return {
      url: proxy.url,
      close: async () => {
        await proxy.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  test('Settings shows the overrides as unavailable, with the reason, and saves nothing', async ({ page, mock }) => {
    const app = await pinnedApp(mock, { endpoints: { spoofer: mock.urls.spoofer, ioda: mock.urls.ioda } });
    try {
      await page.goto(app.url + '/settings');
      await expect(page.getByTestId('overrides-unavailable')).toContainText('Endpoint overrides are unavailable on this deployment');
      await expect(page.getByTestId('overrides-unavailable')).toContainText('CSP=pinned');
      await expect(page.getByLabel('IODA', { exact: true })).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Save endpoints' })).toBeDisabled();
      await expect(page.getByTestId('in-effect-ioda')).toContainText(mock.urls.ioda);
      // What the policy allows still works.
      await page.goto(app.url + '/ioda');
      await expect(page.locator('main .count')).toBeVisible();
      await expect(page.locator('main .error-panel')).toHaveCount(0);
    } finally {
      await app.close();
    }
  });

  test('a config.json endpoint outside the policy is reported as blocked by the page, never as CORS', async ({ page, mock }) => {
    page.expectCspViolations = true; // provoked on purpose
    const evil = await outsider();
    const app = await pinnedApp(mock, { endpoints: { spoofer: mock.urls.spoofer, ioda: `${evil.origin}/v2` } });
    try {
      await page.goto(app.url + '/ioda');
      const panel = page.locator('main .error-panel');
      await expect(panel).toContainText(`The browser blocked the request to ${evil.origin}`);
      await expect(panel).toContainText('Content-Security-Policy');
      await expect(panel).not.toContainText('CORS');
      await expect(panel.getByRole('link', { name: 'Check the endpoints in Settings' })).toBeVisible();
      expect(evil.hits).toEqual([]);
      // The check says the same, and the sources the policy allows answer.
      await page.goto(app.url + '/settings');
      const row = await checkSources(page);
      await expect(row('ioda')).toContainText('✗ blocked by this page\'s policy');
      for (const s of ['spoofer', 'grip']) await expect(row(s)).toContainText('✓ answers');
      expect(evil.hits).toEqual([]);
    } finally {
      await app.close();
      await evil.close();
    }
  });
});
