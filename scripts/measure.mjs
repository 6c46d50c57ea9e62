// Quick figures for notes: bundle sizes (raw, gzip -9, brotli) and, against the mock, first
// contentful paint of / and time until the first IODA/Spoofer/GRIP rows show (median of 5 cold loads).
// Usage: node scripts/measure.mjs (after `make dist`). The full benchmark with budgets is issue 8.
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startMock } from '../tests/mock/server.mjs';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const f of fs.readdirSync('dist').filter((f) => /\.(wasm|js|css)$/.test(f))) {
  const raw = fs.readFileSync(path.join('dist', f));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${f.padEnd(40)} raw ${kb(raw.length).padStart(10)}  gzip ${kb(gz).padStart(9)}  brotli ${kb(br).padStart(9)}`);
}
const mock = await startMock({ port: 0, dist: 'dist' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function cold(url, selector) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(url);
  const fcp = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((l) => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
  }));
  let rows = null;
  if (selector) {
    await page.locator(selector).first().waitFor({ timeout: 15_000 });
    rows = Date.now() - t0;
  }
  await ctx.close();
  return { fcp, rows };
}
for (const [name, p, sel] of [['home', '/', null], ['ioda', '/ioda', 'table.data tbody tr'], ['spoofer', '/spoofer', 'table.data tbody tr'], ['grip', '/grip', 'table.data tbody tr']]) {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await cold(mock.urls.app + p, sel));
  const fcp = median(runs.map((r) => r.fcp));
  const rows = sel ? median(runs.map((r) => r.rows)) : null;
  console.log(`${name.padEnd(8)} first contentful paint ${fcp.toFixed(0)} ms${rows !== null ? `, first rows ${rows} ms` : ''}`);
}
await browser.close();
await mock.close();
