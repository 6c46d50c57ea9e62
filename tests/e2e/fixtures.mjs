// Shared fixtures: per worker, the topology users run (tests/e2e/topology.mjs: the mock's four APIs
// and netlens-proxy --dist serving the app, GRIP and Spamhaus forwarded on the same origin), reset
// before every test, and a page that fails the test on any uncaught exception in the app or any
// Content-Security-Policy violation.
//
// `mock.urls.app`/`appRoot` are the proxy's origin (what users open); `mock.urls.staticApp`/`staticRoot`
// the mock's own static server with the public-default-like config.json (all four services direct: a
// static host without a proxy). `mock.urls.spoofer` etc. are the mock's services themselves.
import { test as base, expect } from '@playwright/test';
import path from 'node:path';
import { startMock } from '../mock/server.mjs';
import { ROOT, startTopology, proxySupports } from './topology.mjs';

export const test = base.extend({
  mock: [
    async ({}, use) => {
      const topology = await startTopology({ dist: path.join(ROOT, 'dist') });
      await use(topology);
      await topology.close();
    },
    // Growing the data (real-weight GRIP events) and starting the proxy take seconds on a busy machine.
    { scope: 'worker', timeout: 60_000 },
  ],
  // The same release build made for a sub-path (PUBLIC_URL=/netlens/), served under it: behind the proxy
  // when it serves sub-paths, else on the mock's static server.
  subpath: [
    async ({}, use) => {
      const dist = path.join(ROOT, 'target/dist-subpath');
      if (proxySupports('--public-path')) {
        const topology = await startTopology({ dist, publicPath: '/netlens/', staticHost: false });
        await use(topology);
        await topology.close();
      } else {
        const mock = await startMock({ port: 0, dist, publicPath: '/netlens/' });
        await use(mock);
        await mock.close();
      }
    },
    // Growing the data (real-weight GRIP events) and starting the proxy take seconds on a busy machine.
    { scope: 'worker', timeout: 60_000 },
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

/** Marks the tests' own requests to the mock, so they never count as the app's. */
export const DIRECT = { 'x-netlens-test': 'direct' };

/** A request the test itself sends straight to a mock service (logged, but not as the app's). */
export function directFetch(url, init = {}) {
  return fetch(url, { ...init, headers: { ...(init.headers ?? {}), ...DIRECT } });
}

/**
 * Whether a logged request came from the app (straight, or through the proxy, which forwards no
 * Origin), not from the test's own `directFetch`.
 */
export const isAppRequest = (r) => r.headers['x-netlens-test'] !== DIRECT['x-netlens-test'];

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
    /** Faults, the request log and tokens cleared; both config.json files back to their defaults. */
    reset: async () => {
      await post('reset');
      mock.writeConfig?.(mock.defaultConfig);
    },
    fault: (f) => post('fault', f),
    /**
     * The deployer's config.json: the proxy's config file (served with grip and spamhaus through the
     * proxy) and the mock's static server's (served verbatim). An object is JSON, a string verbatim,
     * null none at all.
     */
    config: async (c) => {
      mock.writeConfig?.(c);
      return post('config', c);
    },
    /** The log; GRIP's redirect hops (`/json/...` → 301) only with `{ redirects: true }`. */
    requests: async (service, { redirects = false } = {}) => {
      const log = await (await fetch(`${control}/__mock/requests${service ? `?service=${service}` : ''}`)).json();
      return redirects ? log : log.filter((r) => r.redirect === undefined);
    },
    /**
     * The data set behind a service (as `GET /__mock/data/<service>` gives it), read in-process (the
     * worker runs the mock; GRIP's is ~25 MB of JSON). The mock's own objects: sort or trim copies.
     */
    data: async (service) => (mock.dataOf ? mock.dataOf(service) : (await fetch(`${control}/__mock/data/${service}`)).json()),
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

/**
 * A critical BGP alert of an AS (not SARIMA: the app drops those, as IODA's UI does) in the mock's recent
 * days, closed by a normal alert of its series within 6 h, with no other alert of the series in the 6 h
 * before: its dip stands out against a steady signal.
 */
export function pickOutage(data) {
  const HOUR = 3600;
  const DAY = 86_400;
  const { alerts, anchor } = data;
  const sameSeries = (a, b) => a.fqid === b.fqid && a.entity.type === b.entity.type && a.entity.code === b.entity.code;
  for (const [i, a] of alerts.entries()) {
    if (a.entity.type !== 'asn' || a.datasource !== 'bgp' || a.level !== 'critical' || a.method === 'sarima') continue;
    if (a.time < anchor - 20 * DAY || a.time > anchor - 2 * DAY) continue;
    const series = alerts.filter((b) => sameSeries(a, b));
    const next = series.find((b) => b.time > a.time);
    if (!next || next.level !== 'normal' || next.time - a.time > 6 * HOUR) continue;
    if (series.some((b) => b !== a && b.time < a.time && b.time > a.time - 6 * HOUR)) continue;
    return { alert: a, end: next.time, code: a.entity.code, name: a.entity.name, index: i };
  }
  throw new Error('the mock has no suitable outage');
}

export { expect };
