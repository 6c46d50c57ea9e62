// Accessibility: axe-core on every page (results loaded, error states too), in the light and the dark
// theme: no serious or critical violation. And colour is never the only carrier of meaning: every badge
// and level says what it means in words.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, signIn } from './fixtures.mjs';

/** The mock's four endpoints, as config.json names them. */
const endpoints = ({ urls }) => ({ spoofer: urls.spoofer, grip: urls.grip, ioda: urls.ioda, spamhaus: urls.spamhaus });

const table = (page) => page.locator('main table tbody tr').first();
const h1 = (name) => (page) => page.getByRole('heading', { level: 1, name });

// Every page: `open(page, ctx)` goes there (with whatever set-up the state needs) and returns the
// locator that shows it is ready.
const PAGES = [
  { name: 'home', open: async (page, { app }) => (await page.goto(app + '/'), h1(/Public Internet-security data/)(page)) },
  { name: 'settings', open: async (page, { app }) => (await page.goto(app + '/settings'), h1('Settings')(page)) },
  { name: 'IODA alerts', open: async (page, { app }) => (await page.goto(app + '/ioda'), table(page)) },
  { name: 'IODA, one country', open: async (page, { app }) => (await page.goto(app + '/ioda?entity=country/NO'), page.locator('main svg[aria-label]').first()) },
  // Ten rows: axe's run time grows with the table, and ten show every kind of cell.
  { name: 'GRIP events', open: async (page, { app }) => (await page.goto(app + '/grip?length=10'), table(page)) },
  { name: 'GRIP tags', open: async (page, { app }) => (await page.goto(app + '/grip/tags'), table(page)) },
  {
    name: 'GRIP event',
    open: async (page, { app, api }) => {
      const { events } = await api.data('grip');
      const ev = events.find((e) => e.event_type === 'moas' && e.pfx_events.length);
      await page.goto(`${app}/grip/event/${ev.id}`);
      return table(page);
    },
  },
  {
    name: 'GRIP prefix event',
    open: async (page, { app, api }) => {
      const { events } = await api.data('grip');
      const ev = events.find((e) => e.event_type === 'moas' && e.pfx_events.some((p) => p.traceroutes.msms.some((m) => m.results.length)));
      const pe = ev.pfx_events.find((p) => p.traceroutes.msms.some((m) => m.results.length));
      await page.goto(`${app}/grip/event/${ev.id}/${pe.details.prefix.replace('/', '-')}`);
      return table(page);
    },
  },
  { name: 'Spoofer sessions', open: async (page, { app }) => (await page.goto(app + '/spoofer?asn=3356'), table(page)) },
  { name: 'Spoofer session', open: async (page, { app }) => (await page.goto(app + '/spoofer/session/891176'), page.locator('main dl').first()) },
  { name: 'Spamhaus, signed out', open: async (page, { app }) => (await page.goto(app + '/spamhaus'), page.getByTestId('signin')) },
  {
    name: 'Spamhaus with results',
    open: async (page, { app, api }) => {
      await page.goto(app + '/spamhaus');
      await signIn(page, api);
      await page.getByLabel('Address or prefix').fill('45.150.206.0/24');
      await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
      return table(page);
    },
  },
  {
    name: 'Spamhaus limits',
    open: async (page, { app, api }) => {
      await page.goto(app + '/spamhaus');
      await signIn(page, api);
      await page.getByRole('link', { name: 'Quota and limits' }).click();
      return page.locator('main dl, main table').first();
    },
  },
  // With the timeline's lanes and the spoofability trend drawn.
  { name: 'AS page', open: async (page, { app }) => (await page.goto(app + '/asn/3307'), page.getByTestId('spoof-trend').locator('li.st-bar').first()) },
  { name: 'country page', open: async (page, { app }) => (await page.goto(app + '/country/NO'), page.getByTestId('xt-lane-ioda').locator('.xt-note').filter({ hasText: 'in the window' })) },
  { name: 'prefix page', open: async (page, { app }) => (await page.goto(app + '/prefix/45.150.206.0/24'), page.getByRole('heading', { level: 1 })) },
  { name: 'address page', open: async (page, { app }) => (await page.goto(app + '/ip/45.150.206.114'), page.getByRole('heading', { level: 1 })) },
  { name: 'not found', open: async (page, { app }) => (await page.goto(app + '/no/such/page'), h1('Page not found')(page)) },
  {
    name: 'a service error (503)',
    open: async (page, { app, api }) => {
      await api.fault({ service: 'ioda', path: '/v2/outages/alerts', kind: 'status', status: 503 });
      await page.goto(app + '/ioda');
      return page.locator('main .error-panel');
    },
  },
  {
    name: 'an unreachable service',
    open: async (page, { app, api, mock }) => {
      // IODA is reached straight from the browser (GRIP goes through the proxy, whose upstream is fixed).
      await api.config({ endpoints: { ...endpoints(mock), ioda: 'http://127.0.0.1:9/v2' } });
      await page.goto(app + '/ioda');
      return page.locator('main .error-panel');
    },
  },
  {
    name: 'field errors in a form',
    open: async (page, { app }) => (await page.goto(app + '/grip?pfxs=8.8.8.300/24'), page.getByTestId('grip-invalid')),
  },
  {
    name: 'diagnostics',
    open: async (page, { app, api, mock }) => {
      await api.config({ endpoints: endpoints(mock), diagnostics: true });
      await page.goto(app + '/diagnostics');
      return page.getByRole('button', { name: 'Trigger a test panic' });
    },
  },
];

for (const scheme of ['light', 'dark']) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    for (const p of PAGES) {
      test(`${p.name}: no serious or critical axe violation; badges say what they mean`, async ({ page, mock, api }) => {
        // axe's run time grows with the page (a full IODA alert table takes ~20 s on a busy 2-core machine).
        test.slow();
        const ready = await p.open(page, { app: mock.urls.app, api, mock });
        await expect(ready).toBeVisible();
        // Nothing still loading: axe checks the page the user ends up reading.
        await expect(page.locator('[role="progressbar"], .loading-note')).toHaveCount(0);
        const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
        expect(dark).toBe(scheme === 'dark');

        const { violations } = await new AxeBuilder({ page }).analyze();
        const bad = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
        expect(bad).toEqual([]);

        // Badges and levels carry words, not only a colour.
        const wordless = await page.locator('main .badge').evaluateAll((els) =>
          els.filter((e) => !/[A-Za-z0-9]/.test(e.textContent)).map((e) => e.outerHTML),
        );
        expect(wordless).toEqual([]);
      });
    }
  });
}

test('levels, results and flags are words in the tables, not colours alone', async ({ page, mock, api }) => {
  // IODA: each alert's level is written in the Level column.
  await page.goto(mock.urls.app + '/ioda');
  const levels = page.locator('main table tbody .badge');
  await expect(levels.first()).toBeVisible();
  for (const t of await levels.allTextContents()) expect(['critical', 'warning', 'normal']).toContain(t.trim().toLowerCase());
  // The timeline's colours have a legend in words.
  await page.goto(mock.urls.app + '/ioda?entity=country/NO');
  for (const word of ['Critical', 'Warning', 'Normal']) await expect(page.locator('main').getByText(word, { exact: true }).first()).toBeVisible();

  // Spoofer: the spoofing results read "yes"/"no"/"not applicable" (or the service's word).
  await page.goto(mock.urls.app + '/spoofer?asn=3356');
  const results = page.locator('main table tbody .badge');
  await expect(results.first()).toBeVisible();
  for (const t of await results.allTextContents()) expect(t.trim().length).toBeGreaterThan(0);

  // GRIP: suspicion is a number and a word.
  await page.goto(mock.urls.app + '/grip');
  const susp = page.locator('main table tbody .badge');
  await expect(susp.first()).toBeVisible();
  for (const t of await susp.allTextContents()) expect(t).toMatch(/[A-Za-z0-9]/);
});
