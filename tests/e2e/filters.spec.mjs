// Results first (issue 16): every explorer shows its first results above the fold at 1280×900 and at
// 390 px. The common filters stay in the bar, the rest behind "More filters" (which counts the ones set),
// and on a phone the whole form folds to a one-line summary of the query; permalinks keep every filter.
import { test, expect } from './fixtures.mjs';

const EXPLORERS = [
  ['GRIP', '/grip', '.grip-results table.data tbody tr'],
  // The Spoofer's first result is its summary of the page's sessions, above the table.
  ['Spoofer', '/spoofer', '.spoofer-results .spoof-summary'],
  // IODA's first result is its alert timeline, drawn above the table.
  ['IODA', '/ioda', '.ioda-results .alerts-list [data-testid="ioda-timeline"]'],
];

for (const [width, height] of [[1280, 900], [390, 844]]) {
  for (const [name, path, row] of EXPLORERS) {
    test(`${name}: the first results are above the fold at ${width}×${height}`, async ({ page, mock }) => {
      await page.setViewportSize({ width, height });
      await page.goto(mock.urls.app + path);
      const first = page.locator(row).first();
      await expect(first).toBeVisible();
      // Polled: a large GRIP page draws its first events, then the whole page in their place.
      const top = async () => {
        const box = await first.boundingBox();
        return box ? box.y + Math.min(box.height, 40) : Infinity;
      };
      await expect.poll(top).toBeLessThan(height);
    });
  }
}

test('on a phone the form folds to a summary of the query, opens to edit, and folds again after a search', async ({ page, mock }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(mock.urls.app + '/grip?event_type=moas&asns=3356&min_susp=80');
  const panel = page.getByTestId('filter-panel');
  await expect(panel.locator('.fs-text')).toHaveText('MOAS · AS 3356 · Suspicious');
  await expect(page.locator('#asns')).toBeHidden();
  await panel.locator('summary.filter-summary').click();
  await expect(page.locator('#asns')).toBeVisible();
  await expect(page.locator('#asns')).toHaveValue('3356');
  await page.locator('#asns').fill('3356, 174');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/asns=3356%2C174|asns=3356,174/);
  await expect(page.locator('#asns')).toBeHidden();
  await expect(panel.locator('.fs-text')).toHaveText('MOAS · AS 3356, 174 · Suspicious');
});

test('a bad value opens the folded form and "More filters" so its message shows next to the field', async ({ page, mock }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(mock.urls.app + '/grip?min_duration=abc');
  const field = page.locator('.field', { has: page.locator('#min_duration') });
  await expect(field.locator('.field-error')).toBeVisible();
  await expect(field.locator('.field-error')).not.toHaveText('');
  await expect(page.getByTestId('filter-panel').locator('.fs-text')).toHaveText('Some filters need a correction');
});

test('"More filters" counts the filters it hides, and a permalink keeps them all', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/grip?tags=newcomer-small-asn&min_duration=60&full=true');
  const more = page.getByTestId('more-filters');
  await expect(more.locator('.more-count')).toHaveText('3 set');
  await expect(page.locator('#tags')).toBeHidden();
  await more.locator('summary').click();
  await expect(page.locator('#tags')).toHaveValue('newcomer-small-asn');
  await expect(page.locator('#min_duration')).toHaveValue('60');
  await expect(page.locator('#full')).toBeChecked();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const url = new URL(page.url());
  expect(url.searchParams.get('tags')).toBe('newcomer-small-asn');
  expect(url.searchParams.get('min_duration')).toBe('60');
  expect(url.searchParams.has('full')).toBe(true);
});
