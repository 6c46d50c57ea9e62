// Where the time goes on one page: every request's timing, the long tasks, and when a selector was painted.
// node scripts/profile.mjs '/ioda?entity=asn/3307&from=…&until=…' '[data-testid="signals-chart"] path.sig-line'
import { chromium } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startTopology } = await import('../tests/e2e/topology.mjs');
const [route, selector = 'table.data tbody tr:not(.spacer)'] = process.argv.slice(2);
const mock = await startTopology({ dist: path.resolve(root, process.env.DIST || 'dist'), staticHost: false });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
const { anchor } = await (await fetch(`${mock.urls.spoofer}/__mock/data/ioda`)).json();
const until = anchor - (anchor % 3600);
const url = route.replace('{until}', until).replace('{from7d}', until - 7 * 86400);
for (let run = 0; run < Number(process.env.RUNS || 2); run++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(`(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
    const mo = new MutationObserver(() => { if (document.querySelector(${JSON.stringify(selector)})) { window.__seen = performance.now(); requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now(); }, 0)); mo.disconnect(); } });
    mo.observe(document, { childList: true, subtree: true });
  })();`);
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.text().includes('TMARK')) console.log(m.text()); });
  await page.goto(mock.urls.app + url);
  await page.waitForFunction(() => window.__painted !== undefined, null, { timeout: 20_000 });
  await page.waitForTimeout(500);
  const r = await page.evaluate(() => ({
    seen: Math.round(window.__seen), painted: Math.round(window.__painted), long: window.__long,
    res: performance.getEntriesByType('resource').map((e) => [e.name.replace(/^https?:\/\/[^/]+/, '').slice(0, 70), Math.round(e.startTime), Math.round(e.responseEnd), e.encodedBodySize]),
  }));
  console.log(JSON.stringify(r, null, 0).replace(/\],\[/g, '],\n['));
  await ctx.close();
}
await browser.close();
await mock.close?.();
process.exit(0);
