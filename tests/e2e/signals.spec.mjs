// IODA signals (issue 16): a permalink to an AS and a window around one of its outages shows IODA's
// signals as a chart, one line per datasource, the outage as a dip under its band, a text alternative,
// a readout that the keyboard moves, and the same numbers as a table; the AS page shows the same chart.
import { test, expect, directFetch, pickOutage } from './fixtures.mjs';

const HOUR = 3600;
const DAY = 86_400;
const LABELS = { bgp: 'BGP', 'ping-slash24': 'Active probing', 'merit-nt': 'Network telescope' };

/** `2026-11-23 00:10 UTC`, as the app shows a time. */
const utc = (t) => new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
/** A value as the table shows it: `1,234`, or `—` for none. */
const cell = (v) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 3 }));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What IODA (the mock) answers for the chart's request, and the table the app should draw from it. */
async function expectedSignals(mock, code, from, until) {
  const r = await directFetch(`${mock.urls.ioda}/signals/raw/asn/${code}?from=${from}&until=${until}&maxPoints=3000`);
  const series = (await r.json()).data[0];
  const byTime = new Map();
  series.forEach((s, col) => {
    s.values.forEach((v, i) => {
      const t = s.from + i * s.step;
      if (t < from || t > until) return;
      if (!byTime.has(t)) byTime.set(t, series.map(() => null));
      byTime.get(t)[col] = v;
    });
  });
  const rows = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => [utc(t), ...values.map(cell)]);
  const valueAt = (ds, t) => {
    const s = series.find((x) => x.datasource === ds);
    return s.values[Math.floor((t - s.from) / s.step)];
  };
  return { series, rows, valueAt };
}

test('an AS outage shows as a dip under its band, one line per datasource, with the numbers as a table', async ({ page, mock, api }) => {
  const outage = pickOutage(await api.data('ioda'));
  const from = outage.alert.time - 6 * HOUR;
  const until = outage.end + 6 * HOUR;
  const signals = await expectedSignals(mock, outage.code, from, until);
  const datasources = signals.series.map((s) => s.datasource);
  expect(datasources).toEqual(['bgp', 'ping-slash24', 'merit-nt']);
  // The mock's signal dips where IODA alerted: the premise of the picture.
  const before = signals.valueAt('bgp', outage.alert.time - 3 * HOUR);
  expect(signals.valueAt('bgp', outage.alert.time)).toBeLessThan(before * 0.6);

  await page.goto(`${mock.urls.app}/ioda?from=${from}&until=${until}&entity=asn/${outage.code}`);
  const chart = page.getByTestId('signals-chart');
  await expect(chart).toBeVisible();

  // One line per datasource, in IODA's order, each in the legend with its own maximum.
  const lines = chart.locator('svg[role="img"] path.sig-line[data-datasource]');
  await expect(lines).toHaveCount(3);
  expect(await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('data-datasource')))).toEqual(datasources);
  for (const ds of datasources) {
    await expect(chart.locator(`.tl-key[data-line="${ds}"]`)).toContainText(LABELS[ds]);
    await expect(chart.locator(`.tl-key[data-line="${ds}"]`)).toContainText('max ');
  }

  // The text alternative names the network, the window and the lines.
  const name = outage.name ?? `AS${outage.code}`;
  await expect(chart.locator('svg[role="img"]')).toHaveAttribute(
    'aria-label',
    new RegExp(
      `^IODA signals for ${escape(name)} from ${escape(utc(from))} to ${escape(utc(until))}: ` +
        'BGP, Active probing, Network telescope, each scaled to its own maximum; \\d+ outage spans? shaded\\.$',
    ),
  );
  expect(name).toContain(`AS${outage.code}`);

  // The outage's band covers the alert until the normal alert that closed it.
  const bands = await chart.locator('rect.sig-band').evaluateAll((rs) =>
    rs.map((r) => [Number(r.getAttribute('data-from')), Number(r.getAttribute('data-until'))]),
  );
  expect(bands.some(([f, u]) => f <= outage.alert.time && u >= outage.end), JSON.stringify(bands)).toBe(true);

  // The keyboard moves the readout, which shows IODA's raw values.
  const plot = chart.locator('.sig-plot');
  await plot.focus();
  await page.keyboard.press('Home');
  const readout = page.getByTestId('signals-readout');
  const first = signals.series[0].from >= from ? signals.series[0].from : signals.series[0].from + signals.series[0].step;
  await expect(readout.locator('.sig-readout-time')).toHaveText(utc(first));
  await page.keyboard.press('ArrowRight');
  await expect(readout.locator('.sig-readout-time')).toHaveText(utc(first + 300));
  const bgpNow = signals.valueAt('bgp', first + 300);
  await expect(readout.locator('li[data-line="bgp"] strong')).toHaveText(bgpNow === null ? 'no data' : cell(bgpNow));

  // "Show as table": the same numbers, one row per bin.
  await expect(chart.getByTestId('signals-table')).toHaveCount(0);
  await chart.getByText('Show as table').click();
  const table = chart.getByTestId('signals-table');
  await expect(table).toBeVisible();
  await expect(table.locator('thead th')).toHaveText(['Time (UTC)', 'BGP', 'Active probing', 'Network telescope']);
  const shown = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
  );
  expect(shown).toEqual(signals.rows);
  // The dip is in the table too.
  const dipRow = shown.find((r) => r[0] === utc(Math.floor(outage.alert.time / 300) * 300));
  expect(dipRow[1]).toBe(cell(signals.valueAt('bgp', outage.alert.time)));
});

test('the AS page shows the same signals chart for the window in its URL', async ({ page, mock, api }) => {
  const outage = pickOutage(await api.data('ioda'));
  const from = outage.alert.time - 6 * HOUR;
  const until = outage.end + 6 * HOUR;
  await page.goto(`${mock.urls.app}/asn/${outage.code}?from=${from}&until=${until}`);
  const chart = page.getByTestId('panel-ioda').getByTestId('signals-chart');
  await expect(chart.locator('path.sig-line[data-datasource]')).toHaveCount(3);
  await expect(chart.locator('svg[role="img"]')).toHaveAttribute('aria-label', new RegExp(`^IODA signals for AS${outage.code}\\b`));
  const bands = await chart.locator('rect.sig-band').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-from'))));
  expect(bands.some((f) => f <= outage.alert.time)).toBe(true);
  // One request for the signals, with the page's window.
  const asked = (await api.requests('ioda')).filter((r) => r.path === `/v2/signals/raw/asn/${outage.code}`);
  expect(asked.length).toBe(1);
});
