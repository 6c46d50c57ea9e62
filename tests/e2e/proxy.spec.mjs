// The optional CORS proxy (proxy/, `netlens-proxy`): with Spamhaus refusing cross-origin requests
// (the mock's `nocors` fault, as the real service most likely does), the page fails without the
// proxy and works through it. Uses the binary `make test-e2e` builds: target/debug/netlens-proxy.
import { test as base, expect } from './fixtures.mjs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Where `cargo build -p netlens-proxy` (make test-e2e) puts it, also when CARGO_TARGET_DIR moves the target dir.
const BINARY = path.join(path.resolve(root, process.env.CARGO_TARGET_DIR || 'target'), 'debug/netlens-proxy');
const USERNAME = 'analyst@example.org';
const PASSWORD = 'correct horse battery staple';

/** Starts the proxy on a port the system picks (read back from its start-up log). */
async function startProxy(args) {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run cargo build -p netlens-proxy`);
  const child = spawn(BINARY, ['--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`netlens-proxy did not start:\n${log}`)), 10_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/(http:\/\/127\.0\.0\.1:\d+)\/spoofer\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`netlens-proxy exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    log: () => log,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

const test = base.extend({
  // (Not `proxy`: that name is Playwright's own browser-proxy option.)
  // The proxy in front of this worker's Spamhaus mock, for pages from this worker's app origin.
  corsProxy: async ({ mock }, use) => {
    const proxy = await startProxy(['--allow-origin', mock.urls.app, '--upstream', `spamhaus=${mock.urls.spamhaus}`]);
    await use(proxy);
    await proxy.close();
  },
});

async function signIn(page) {
  const form = page.getByTestId('signin');
  await form.getByLabel('Account e-mail').fill(USERNAME);
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByTestId('signin-submit').click();
}

async function search(page, prefix) {
  await page.getByLabel('Address or prefix').fill(prefix);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

test('Spamhaus refusing CORS works through the proxy: sign in, search, rows', async ({ page, mock, api, corsProxy: proxy }) => {
  await api.fault({ service: 'spamhaus', kind: 'nocors' });
  await api.config({
    endpoints: { spoofer: mock.urls.spoofer, grip: mock.urls.grip, ioda: mock.urls.ioda, spamhaus: `${proxy.url}/spamhaus` },
  });
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));

  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page);
  await expect(page.getByTestId('token-state')).toContainText('Signed in, expires in');
  await search(page, '45.150.206.0/24');
  await expect(page.getByTestId('count')).toContainText(/^\d+ records/);
  const rows = page.locator('.results table tbody tr');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(page.locator('.results table tbody')).toContainText('45.150.206.');
  await expect(page.locator('.error-panel')).toHaveCount(0);

  // The browser talked to the proxy only, never to the Spamhaus mock directly.
  expect(requested.some((u) => u.startsWith(`${proxy.url}/spamhaus/api/v1/login`))).toBe(true);
  expect(requested.some((u) => u.startsWith(mock.urls.spamhaus))).toBe(false);

  // What reached Spamhaus came from the proxy: the browser's token, no Origin, Referer or cookies.
  const seen = (await api.requests('spamhaus')).filter((r) => r.method !== 'OPTIONS');
  expect(seen.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/v1/login']));
  const cidr = seen.filter((r) => r.path.startsWith('/api/intel/v1/byobject/cidr/'));
  expect(cidr.length).toBeGreaterThan(0);
  const token = JSON.parse(await page.evaluate(() => sessionStorage.getItem('netlens.spamhaus.token'))).token;
  for (const r of cidr) expect(r.headers.authorization).toBe(`Bearer ${token}`);
  for (const r of seen) {
    expect(r.headers.origin).toBeUndefined();
    expect(r.headers.referer).toBeUndefined();
    expect(r.headers.cookie).toBeUndefined();
  }

  // The proxy logged each request by path, and neither the token nor the password.
  const log = proxy.log();
  expect(log).toContain('POST spamhaus /spamhaus/api/v1/login 200');
  expect(log).toMatch(/GET spamhaus \/spamhaus\/api\/intel\/v1\/byobject\/cidr\/\S+ 200 \d+ms/);
  expect(log).not.toContain(token);
  expect(log).not.toContain(PASSWORD);
});

test('without the proxy the same refusal shows the error panel about CORS', async ({ page, mock, api }) => {
  await api.fault({ service: 'spamhaus', kind: 'nocors' });
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page);
  const panel = page.locator('.error-panel');
  await expect(panel).toContainText('could not be reached');
  await expect(panel).toContainText('CORS');
  await expect(page.getByTestId('token-state')).toBeHidden();
});

test('the proxy refuses pages from other origins, so another site cannot use it', async ({ page, mock, api, corsProxy: proxy }) => {
  // The page's origin is the mock app; a proxy that allows only some other origin refuses it.
  const other = await startProxy(['--allow-origin', 'https://netlens.example.org', '--upstream', `spamhaus=${mock.urls.spamhaus}`]);
  try {
    await api.config({ endpoints: { spamhaus: `${other.url}/spamhaus` } });
    await page.goto(mock.urls.app + '/spamhaus');
    await signIn(page);
    await expect(page.locator('.error-panel')).toContainText('CORS');
    expect((await api.requests('spamhaus')).filter((r) => r.path === '/api/v1/login')).toHaveLength(0);
    // A script with an Origin header gets the 403; the allowed-origin proxy answers it.
    const refused = await fetch(`${other.url}/spamhaus/api/intel/v1/limits`, { headers: { origin: mock.urls.app } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'origin not allowed' });
    const allowed = await fetch(`${proxy.url}/spamhaus/api/intel/v1/limits`, { headers: { origin: mock.urls.app } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(mock.urls.app);
  } finally {
    await other.close();
  }
});

test('a proxy entered in Settings needs the deployer to allow it in config.json connect_src', async ({ page, mock, api, corsProxy: proxy }) => {
  page.expectCspViolations = true; // provoked on purpose
  await api.fault({ service: 'spamhaus', kind: 'nocors' });
  const endpoint = `${proxy.url}/spamhaus`;

  // Not allowed yet: Settings warns next to the field, and the browser blocks the sign-in.
  await page.goto(mock.urls.app + '/settings');
  await page.getByLabel('Spamhaus SIA', { exact: true }).fill(endpoint);
  await expect(page.getByTestId('csp-note-spamhaus')).toContainText(`allows connections only to this site (${mock.urls.app})`);
  await expect(page.getByTestId('csp-note-spamhaus')).toContainText(`browser will block ${proxy.url}`);
  await page.getByRole('button', { name: 'Save endpoints' }).click();
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page);
  await expect(page.locator('.error-panel')).toContainText('could not be reached');
  expect(page.consoleMessages.some((m) => m.includes('Content Security Policy') && m.includes(proxy.url))).toBe(true);
  expect(proxy.log()).not.toContain('/spamhaus/api/v1/login');

  // The deployer lists the proxy: the same Settings now work, with no note.
  await api.config({
    endpoints: { spoofer: mock.urls.spoofer, grip: mock.urls.grip, ioda: mock.urls.ioda, spamhaus: mock.urls.spamhaus },
    connect_src: [proxy.url],
  });
  await page.goto(mock.urls.app + '/settings');
  await expect(page.getByTestId('in-effect-spamhaus')).toContainText(endpoint);
  await expect(page.getByTestId('csp-note-spamhaus')).toBeEmpty();
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page);
  await expect(page.getByTestId('token-state')).toContainText('Signed in, expires in');
  await search(page, '45.150.206.0/24');
  await expect(page.locator('.results table tbody tr').first()).toBeVisible();
  expect(proxy.log()).toContain('POST spamhaus /spamhaus/api/v1/login 200');
});
