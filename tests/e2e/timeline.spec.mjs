// The entity pages' join (issue 16): IODA's outage events next to its alerts, one timeline that lines up
// IODA, GRIP, Spoofer and Spamhaus on the page's window (each mark a link, each missing source with its
// reason), and the network's spoofability over time.
import { test, expect, directFetch, isAppRequest, pickOutage } from './fixtures.mjs';

const HOUR = 3600;
const DAY = 86_400;
const SPOOFED = new Set(['received', 'rewritten']);
const CONCLUSIVE = new Set(['received', 'rewritten', 'blocked']);
const TESTS = ['privatespoof', 'privatespoof6', 'routedspoof', 'routedspoof6'];

test('an AS outage is an IODA event in its table and a span on the timeline that opens the explorer on it', async ({ page, mock, api }) => {
  const outage = pickOutage(await api.data('ioda'));
  const from = outage.alert.time - 6 * HOUR;
  const until = outage.end + 6 * HOUR;
  await page.goto(`${mock.urls.app}/asn/${outage.code}?from=${from}&until=${until}`);

  // What the mock's events endpoint says for the same window is what the panel counts.
  const r = await directFetch(
    `${mock.urls.ioda}/outages/events?from=${from}&until=${until}&entityType=asn&entityCode=${outage.code}&ignoreMethods=*.sarima`,
  );
  const events = (await r.json()).data;
  expect(events.length).toBeGreaterThan(0);
  const ioda = page.getByTestId('panel-ioda');
  await expect(ioda.getByTestId('events-count')).toHaveText(new RegExp(`^${events.length} outage events? in the window`));
  await expect(ioda.locator('table.data').first().locator('tbody tr')).toHaveCount(Math.min(events.length, 10));
  // The events request names the entity and the window, as IODA's own page asks.
  const asked = (await api.requests('ioda')).filter((q) => isAppRequest(q) && q.path === '/v2/outages/events');
  expect(asked.length).toBe(1);
  expect(asked[0].url).toContain(`entityCode=${outage.code}`);
  expect(asked[0].url).toContain(`from=${from}&until=${until}`);

  const timeline = page.getByTestId('cross-timeline');
  await expect(timeline.locator('svg[role="img"]')).toHaveAttribute('aria-label', new RegExp(`^Timeline of AS${outage.code}\\b.*across sources`));
  await expect(timeline.locator('.xt-lane')).toHaveCount(4);
  const lane = timeline.getByTestId('xt-lane-ioda');
  const spans = lane.locator('a.xt-mark.span');
  await expect(spans).toHaveCount(events.length);
  // The outage's span starts where the alert fired, as a fraction of the window.
  const left = await spans.first().evaluate((a) => parseFloat(a.style.left));
  const first = events.reduce((a, b) => (a.start <= b.start ? a : b));
  expect(left).toBeCloseTo((Math.max(first.start, from) - from) / (until - from) * 100, 1);
  await expect(spans.first()).toHaveAttribute('aria-label', /outage from \d{4}-\d\d-\d\d/);
  // A mark is a link: focus and Enter open the IODA explorer zoomed on it.
  await spans.first().focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/ioda\\?from=\\d+&until=\\d+&entity=asn/${outage.code}$`));
  await expect(page.locator('table.data tbody tr').first()).toBeVisible();
});

test('the timeline lines up GRIP events and Spoofer sessions, and lists every mark as a table', async ({ page, mock, api }) => {
  await page.goto(`${mock.urls.app}/asn/3356?window=30d`);
  const timeline = page.getByTestId('cross-timeline');
  const grip = timeline.getByTestId('xt-lane-grip');
  await expect(grip.locator('.xt-note')).toContainText('GRIP asked for the last 30 days');
  const gripMarks = grip.locator('a.xt-mark');
  const shownEvents = await page.getByTestId('panel-grip').locator('.count').textContent();
  expect(shownEvents).toMatch(/event/);
  const n = await gripMarks.count();
  expect(n).toBeGreaterThan(0);
  const href = await gripMarks.first().getAttribute('href');
  expect(href).toMatch(/^\/grip\/event\/[a-z-]+-\d+/);
  // Spoofer: each session in the window is a moment mark linking to the session.
  const spoofer = timeline.getByTestId('xt-lane-spoofer');
  await expect(spoofer.locator('.xt-note')).toContainText('sessions');
  // Spamhaus: no prefix looked up yet, the lane says what to do.
  await expect(timeline.getByTestId('xt-lane-spamhaus')).toContainText('Look up a prefix of this AS');

  const all = await timeline.locator('a.xt-mark').count();
  await timeline.getByText(/^Show as table/).click();
  await expect(timeline.getByTestId('xt-table').locator('tbody tr')).toHaveCount(all);
  // The GRIP mark opens its event page.
  await gripMarks.first().click();
  await expect(page).toHaveURL(new RegExp(`${href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
});

test('a source that fails or cannot answer leaves its lane with the reason, and the others still draw', async ({ page, mock, api }) => {
  await api.fault({ service: 'grip', kind: 'status', status: 503 });
  await page.goto(`${mock.urls.app}/asn/3307?window=30d`);
  const timeline = page.getByTestId('cross-timeline');
  await expect(timeline.getByTestId('xt-lane-grip')).toContainText('GRIP could not be loaded');
  await expect(timeline.getByTestId('xt-lane-ioda').locator('.xt-note')).toContainText('in the window');
  await expect(timeline.getByTestId('xt-lane-spoofer').locator('.xt-note')).toContainText('sessions');

  await api.reset();
  await page.goto(`${mock.urls.app}/country/NO`);
  await expect(timeline.getByTestId('xt-lane-grip')).toContainText('not per country');
  await expect(timeline.getByTestId('xt-lane-spamhaus')).toContainText('not countries');
  await expect(timeline.getByTestId('xt-lane-ioda').locator('.xt-note')).toContainText('in the window');

  await page.goto(`${mock.urls.app}/prefix/196.22.132.0/24`);
  await expect(timeline.getByTestId('xt-lane-ioda')).toContainText('not prefixes');
  await expect(timeline.getByTestId('xt-lane-spoofer')).toContainText('not by prefix');
  await expect(timeline.getByTestId('xt-lane-grip').locator('.xt-note')).toContainText('GRIP asked for the last 30 days');
});

test('the window picker above the timeline moves the timeline and the IODA panel together', async ({ page, mock, api }) => {
  await page.goto(`${mock.urls.app}/asn/3307`);
  const bar = page.getByTestId('entity-window');
  await expect(bar.getByRole('button', { name: '7 d' })).toHaveAttribute('aria-pressed', 'true');
  const label = page.getByTestId('cross-timeline').locator('svg[role="img"]');
  const before = await label.getAttribute('aria-label');
  await bar.getByRole('button', { name: '24 h' }).click();
  await expect(page).toHaveURL(/\/asn\/3307\?from=\d+&until=\d+$/);
  await expect(label).not.toHaveAttribute('aria-label', before);
  const url = new URL(page.url());
  const [from, until] = [url.searchParams.get('from'), url.searchParams.get('until')];
  expect(Number(until) - Number(from)).toBe(DAY);
  await expect.poll(async () => (await api.requests('ioda')).some((q) => q.path === '/v2/outages/events' && q.url.includes(`from=${from}&until=${until}`))).toBe(true);
});

/** The UTC calendar bucket of `t` (seconds) for `unit`, as a sortable number. */
function bucketOf(t, unit) {
  const d = new Date(t * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return unit === 'year' ? y : unit === 'quarter' ? y * 4 + Math.floor(m / 3) : y * 12 + m;
}

test('the AS page shows how its spoofability changed over time, from its sessions', async ({ page, mock, api }) => {
  const { sessions } = await api.data('spoofer');
  const ofAs = sessions.filter((s) => s.asn4 === '3356' || s.asn6 === '3356');
  expect(ofAs.length).toBeLessThanOrEqual(300); // all of them fit in the trend's ten pages
  await page.goto(`${mock.urls.app}/asn/3356`);
  const trend = page.getByTestId('panel-spoofer').getByTestId('spoof-trend');
  const unit = await trend.locator('ol.st-bars').getAttribute('data-bucket');
  await expect(trend).toContainText(`All ${ofAs.length} sessions, by ${unit}.`);
  const times = ofAs.map((s) => Date.parse(s.timestamp) / 1000);
  const lo = bucketOf(Math.min(...times), unit);
  const hi = bucketOf(Math.max(...times), unit);
  await expect(trend.locator('li.st-bar')).toHaveCount(hi - lo + 1);
  // Per bucket: sessions with a verdict in any test, and those whose spoofed packets got through.
  const per = new Map();
  for (const s of ofAs) {
    const k = bucketOf(Date.parse(s.timestamp) / 1000, unit);
    const row = per.get(k) ?? { n: 0, conclusive: 0, spoofed: 0 };
    row.n++;
    row.conclusive += TESTS.some((t) => CONCLUSIVE.has(s[t])) ? 1 : 0;
    row.spoofed += TESTS.some((t) => SPOOFED.has(s[t])) ? 1 : 0;
    per.set(k, row);
  }
  const bars = await trend.locator('li.st-bar').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  bars.forEach((label, i) => {
    const row = per.get(lo + i);
    if (!row) expect(label).toMatch(/: no sessions$/);
    else if (row.conclusive === 0) expect(label).toContain('without a verdict');
    else expect(label).toContain(`: ${row.spoofed} of ${row.conclusive} session${row.conclusive === 1 ? '' : 's'} with a verdict could spoof (${Math.round((row.spoofed * 100) / row.conclusive)} %)`);
  });
  await expect(trend.locator('svg[role="img"]')).toHaveAttribute('aria-label', new RegExp(`^Share of AS3356's Spoofer sessions that could spoof in any test, by ${unit}`));
  await expect(trend.locator('.spoof-trend-lines li')).toHaveCount(4);
  await trend.getByText('Show as table').click();
  await expect(trend.getByTestId('spoof-trend-table').locator('tbody tr')).toHaveCount(hi - lo + 1);
});
