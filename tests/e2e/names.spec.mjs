// Entity headings name what they are about: an AS by IODA's name for it (with the source said), a
// country by its name and code; a name that cannot be loaded leaves the AS number, never an error.
import { test, expect } from './fixtures.mjs';

/** The name NetLens should show for an IODA AS entity: `attrs.name`, else the bracketed part of its name. */
function iodaAsName(entity) {
  const attr = entity.attrs?.name?.trim();
  if (attr) return attr;
  return /\(([^)]+)\)/.exec(entity.name ?? '')?.[1]?.trim();
}

test('an AS page names the network as IODA does, and says the name is from IODA', async ({ page, mock, api }) => {
  const { entities } = await api.data('ioda');
  const named = entities.filter((e) => e.type === 'asn' && iodaAsName(e));
  const entity = named.find((e) => e.code === '3307') ?? named[0];
  const name = iodaAsName(entity);
  await page.goto(mock.urls.app + `/asn/${entity.code}`);
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toHaveText(`AS${entity.code} · ${name}`);
  await expect(page.getByTestId('entity-name-source')).toContainText('name from IODA');
  const org = entity.attrs?.org?.trim();
  if (org && org !== name) await expect(page.getByTestId('entity-name-source')).toContainText(org);
});

test('an AS page whose name cannot be loaded still starts with the AS number and shows no error there', async ({ page, mock, api }) => {
  await api.fault({ service: 'ioda', kind: 'status', status: 503 });
  await page.goto(mock.urls.app + '/asn/3307');
  // GRIP's ASRank info may still name it; the heading starts with the number either way.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^AS3307( · .+)?$/);
  await expect(page.getByTestId('panel-ioda').locator('.error-panel')).toBeVisible();
  await expect(page.locator('.page-head .error-panel')).toHaveCount(0);
});

test('a country page names the country and its code', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/country/NO');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Norway (NO)');
});
