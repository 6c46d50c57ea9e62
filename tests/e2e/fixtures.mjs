// Shared fixtures: a mock per worker (app + four APIs), reset before every test, and a page that
// fails the test on any uncaught exception in the app.
import { test as base, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMock } from '../mock/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const test = base.extend({
  mock: [
    async ({}, use, workerInfo) => {
      const mock = await startMock({ port: 0, dist: path.join(root, 'dist') });
      await use(mock);
      await mock.close();
    },
    { scope: 'worker' },
  ],
  // The same release build made for a sub-path (PUBLIC_URL=/netlens/), served under it.
  subpath: [
    async ({}, use, workerInfo) => {
      const mock = await startMock({
        port: 0,
        dist: path.join(root, 'target/dist-subpath'),
        publicPath: '/netlens/',
      });
      await use(mock);
      await mock.close();
    },
    { scope: 'worker' },
  ],
  api: async ({ mock }, use) => {
    await use(controlApi(mock));
  },
  page: async ({ page, mock }, use) => {
    await controlApi(mock).reset();
    // No prefetching of next pages (perf.spec.mjs turns it back on), so request counts are the user's.
    await page.addInitScript(() => localStorage.setItem('netlens.prefetch', 'off'));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.consoleMessages = [];
    page.on('console', (m) => page.consoleMessages.push(`${m.type()}: ${m.text()}`));
    await use(page);
    expect(errors, 'uncaught exceptions in the app').toEqual([]);
    // The Content-Security-Policy holds everywhere: Chromium reports each violation on the console.
    // A test that provokes one on purpose sets `page.expectCspViolations = true`.
    if (!page.expectCspViolations) {
      const violations = page.consoleMessages.filter((m) => m.includes('Content Security Policy'));
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    }
  },
});

export function controlApi(mock) {
  const control = mock.urls.spoofer;
  const post = async (p, body) => {
    const r = await fetch(`${control}/__mock/${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`mock ${p}: ${r.status} ${await r.text()}`);
    return r;
  };
  return {
    reset: () => post('reset'),
    fault: (f) => post('fault', f),
    config: (c) => post('config', c),
    requests: async (service) => (await fetch(`${control}/__mock/requests${service ? `?service=${service}` : ''}`)).json(),
    data: async (service) => (await fetch(`${control}/__mock/data/${service}`)).json(),
  };
}

/** Signs in on the page's Spamhaus sign-in form with the mock's account and waits for the token. */
export async function signIn(page, api) {
  const { account } = await api.data('spamhaus');
  const form = page.getByTestId('signin');
  await form.getByLabel('Account e-mail').fill(account.username);
  await form.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('token-state')).toContainText('Signed in, expires in');
}

export { expect };
