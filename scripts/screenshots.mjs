// Screenshots of every page against the mock APIs, in the users' topology (the app behind
// netlens-proxy --dist, tests/e2e/topology.mjs): desktop and phone widths, light and dark.
// Usage: node scripts/screenshots.mjs [outdir] (after `make dist` and `cargo build -p netlens-proxy`).
// Used to look at the UI and for the README picture.
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startTopology } from '../tests/e2e/topology.mjs';

const out = process.argv[2] || 'target/screenshots';
fs.mkdirSync(out, { recursive: true });
// With the mock's static server too: a static host without a proxy (the GRIP notice).
const mock = await startTopology({ dist: path.resolve('dist'), staticHost: true });
const app = mock.urls.app;
const pages = {
  home: '/',
  ioda: '/ioda',
  'ioda-norway': '/ioda?entity=country/NO',
  'ioda-summary': '/ioda/summary',
  grip: '/grip',
  spoofer: '/spoofer?asn=3356',
  'spoofer-session': '/spoofer/session/891176',
  spamhaus: '/spamhaus?ip=45.150.206.0&mask=24',
  settings: '/settings',
  asn: '/asn/3307',
  country: '/country/NO',
  prefix: '/prefix/45.150.206.0/24',
  notfound: '/nope',
  // On a static host without a proxy: GRIP says, before any query, that it needs one.
  'grip-static': { url: mock.urls.staticApp + '/grip' },
  // Settings after "Check the sources".
  'settings-checked': { url: app + '/settings', click: 'Check the sources' },
};
const only = process.env.ONLY ? process.env.ONLY.split(',') : null;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
for (const [scheme, width, height, label] of [['light', 1280, 900, 'desktop'], ['dark', 1280, 900, 'desktop'], ['light', 390, 844, 'phone'], ['dark', 390, 844, 'phone']]) {
  const ctx = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[${label}/${scheme}] pageerror: ${e.message}`));
  for (const [name, p] of Object.entries(pages)) {
    if (only && !only.includes(name)) continue;
    await page.goto(typeof p === 'string' ? app + p : p.url);
    if (p.click) await page.getByRole('button', { name: p.click }).click();
    await page.waitForTimeout(p.click ? 2500 : 900);
    await page.screenshot({ path: path.join(out, `${name}-${label}-${scheme}.png`), fullPage: label === 'desktop' });
  }
  await ctx.close();
}
// The README picture: the IODA explorer as a visitor first sees it.
{
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  const page = await ctx.newPage();
  await page.goto(app + '/ioda');
  await page.locator('table.data').waitFor();
  await page.screenshot({ path: path.join(out, 'readme.png') });
  await ctx.close();
}
await browser.close();
await mock.close();
console.log(`screenshots in ${out}`);
