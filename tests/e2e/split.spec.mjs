// The split release build (`--features split`): the first visit to home fetches the shell only, each
// explorer's code comes when it is first visited, a cold deep link fetches the shell and that
// explorer's chunks only, every piece is cache-safe, and a chunk that cannot be fetched says so with
// a reload link instead of leaving a blank page.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures.mjs';
import { ROOT } from './topology.mjs';

const DIST = path.join(ROOT, 'dist');
const SECTIONS = ['spoofer', 'grip', 'ioda', 'spamhaus', 'entity'];

/** The wasm files the page fetched, by file name, as they happen. */
function wasmFetched(page) {
  const names = [];
  page.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop();
    if (name.endsWith('.wasm')) names.push(name);
  });
  return names;
}

/** Which sections a chunk file serves, from the loader's comments: `/* entity, grip *\/ … "./chunk_6-….wasm"`. */
function chunkSections() {
  const loader = fs.readdirSync(DIST).find((f) => /^__wasm_split-[0-9a-f]{16}\.js$/.test(f));
  expect(loader, 'the split build ships a hashed loader').toBeTruthy();
  const text = fs.readFileSync(path.join(DIST, loader), 'utf8');
  const map = new Map();
  for (const m of text.matchAll(/\/\* ([a-z, ]+) \*\/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) {
    map.set(m[2], m[1].split(', '));
  }
  for (const s of SECTIONS) {
    const own = fs.readdirSync(DIST).find((f) => f.startsWith(`split_${s}-`) && f.endsWith('.wasm'));
    expect(own, `the ${s} chunk`).toBeTruthy();
    map.set(own, [s]);
  }
  return map;
}

const isMain = (name) => /^netlens-[0-9a-f]{16}_bg\.wasm$/.test(name);

test('home fetches the shell alone; the first visit to an explorer fetches its chunks, and they are not fetched twice', async ({ page, mock }) => {
  const fetched = wasmFetched(page);
  const sections = chunkSections();
  await page.goto(mock.urls.app + '/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(fetched.filter(isMain)).toHaveLength(1);
  expect(fetched.filter((n) => !isMain(n)), 'no chunk on home').toEqual([]);

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'GRIP' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP: BGP routing events');
  const grip = fetched.filter((n) => !isMain(n));
  expect(grip).toContain([...sections.keys()].find((n) => n.startsWith('split_grip-')));
  for (const name of grip) expect(sections.get(name), name).toContain('grip');

  // Back home and into GRIP again: nothing fetched anew.
  await page.goBack();
  await expect(page).toHaveURL(mock.urls.app + '/');
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP: BGP routing events');
  expect(fetched.filter((n) => !isMain(n))).toEqual(grip);
});

// The splitter makes a chunk for each combination of sections that share code; small ones are
// coalesced into the chunk every section loads (tools/split/coalesce.patch), so a section fetches a
// handful of files. Without that, a cold deep link into an explorer fetched 15 or 16.
const MOST_FILES = { spoofer: 6, grip: 6, ioda: 6, spamhaus: 6, entity: 9 };

for (const [route, section, heading] of [
  ['/spoofer', 'spoofer', 'Spoofer sessions'],
  ['/grip', 'grip', 'GRIP: BGP routing events'],
  ['/ioda', 'ioda', /IODA/],
  ['/spamhaus', 'spamhaus', /Spamhaus/],
  ['/asn/3356', 'entity', /^AS3356/],
]) {
  test(`a cold deep link to ${route} fetches the shell and the ${section} chunks only, in a few files`, async ({ page, mock }) => {
    const fetched = wasmFetched(page);
    const sections = chunkSections();
    await page.goto(mock.urls.app + route);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    // The heading comes with the boot screen; the page's own controls come with its chunks.
    await expect(page.locator('#boot')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    const chunks = fetched.filter((n) => !isMain(n));
    expect(chunks.length).toBeGreaterThan(0);
    for (const name of chunks) expect(sections.get(name), name).toContain(section);
    expect(chunks.some((n) => n.startsWith(`split_${section}-`))).toBe(true);
    // Every chunk that serves the section is fetched, each once, and there are few of them.
    const serving = [...sections].filter(([, s]) => s.includes(section)).map(([n]) => n);
    expect([...chunks].sort()).toEqual([...serving].sort());
    expect(chunks.length, chunks.join(' ')).toBeLessThanOrEqual(MOST_FILES[section]);
  });
}

test('while a chunk is on its way the page shows its title, lead and the loading state, then the page', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/split_spoofer-[0-9a-f]{16}\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Spoofer' }).click();
  await expect(page.getByTestId('chunk-loading')).toHaveText('Loading…');
  await expect(page.getByRole('progressbar', { name: 'Loading' })).toBeVisible();
  // The title and lead come with the first visit: they show before the page's code is here.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spoofer sessions');
  await expect(page.locator('main p.lead')).toContainText("Tests run by CAIDA's Spoofer client");
  await expect(page.getByLabel('After (UTC)')).toHaveCount(0);
  release();
  await expect(page.getByLabel('After (UTC)')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spoofer sessions');
  await expect(page.getByTestId('chunk-loading')).toHaveCount(0);
});

test('before any wasm has loaded, a deep link shows its page’s title and lead from the boot screen', async ({ page, mock }) => {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/netlens-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  const boot = page.locator('#boot');
  await page.goto(mock.urls.app + '/grip?length=30', { waitUntil: 'commit' });
  await expect(boot.getByRole('heading', { level: 1 })).toHaveText('GRIP: BGP routing events');
  await expect(boot.locator('p.lead')).toContainText('Possible prefix hijacks and route leaks detected by GRIP');
  await expect(boot.getByRole('progressbar', { name: 'Loading' })).toBeVisible();
  await expect(boot.locator('.boot-note')).toHaveCount(0);
  // A page without a head of its own, and home, keep the plain note.
  for (const p of ['/asn/3356', '/', '/grip/nowhere']) {
    await page.goto(mock.urls.app + p, { waitUntil: 'commit' });
    await expect(boot.locator('.boot-note')).toHaveText('Loading NetLens…');
    await expect(boot.getByRole('heading')).toHaveCount(0);
  }
  await page.goto(mock.urls.app + '/ioda/summary', { waitUntil: 'commit' });
  await expect(boot.getByRole('heading', { level: 1 })).toHaveText('What is out now');
  // Once the app is here it replaces the boot screen with the same head, then the page.
  release();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What is out now');
  await expect(boot).toHaveCount(0);
  await expect(page.locator('main#main p.lead')).toContainText('The countries, regions and networks IODA saw drop off');
});

test('a chunk that cannot be fetched shows a clear error with reload and retry, and the app keeps working', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.route(/\/split_grip-[0-9a-f]{16}\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'GRIP' }).click();
  const panel = page.getByTestId('chunk-error');
  await expect(panel).toContainText('This page could not be loaded.');
  await expect(panel).toContainText('Reloading fetches the current version');
  const reload = panel.getByRole('link', { name: 'Reload the page' });
  await expect(reload).toHaveAttribute('href', mock.urls.app + '/grip');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP: BGP routing events');
  await expect(page.locator('#panic-banner')).toBeHidden();

  // The rest of the app still works…
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Spoofer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spoofer sessions');
  // …and once the network is back, "Try again" loads the page without a reload.
  await page.goBack();
  await expect(page.getByTestId('chunk-error')).toBeVisible();
  await page.unroute(/\/split_grip-[0-9a-f]{16}\.wasm$/);
  await page.getByTestId('chunk-error').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('search', { name: 'Search GRIP events' })).toBeVisible();
  await expect(page.getByTestId('chunk-error')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP: BGP routing events');
  await expect(page.locator('#panic-banner')).toBeHidden();
});

test('every piece of the split build is named by its content and served for a long cache, with precompressed siblings', async ({ mock }) => {
  const files = fs.readdirSync(DIST);
  const pieces = files.filter((f) => /^(__wasm_split|chunk_\d+|split_[a-z]+)-[0-9a-f]{16}\.(js|wasm)$/.test(f));
  expect(pieces.length).toBeGreaterThan(SECTIONS.length + 1);
  // One build, one hash for all of its pieces.
  expect(new Set(pieces.map((f) => f.match(/-([0-9a-f]{16})\./)[1])).size).toBe(1);
  for (const f of pieces) {
    expect(files, `${f}.br`).toContain(`${f}.br`);
    const r = await fetch(`${mock.urls.app}/${f}`, { headers: { 'accept-encoding': 'br' } });
    expect(r.status, f).toBe(200);
    expect(r.headers.get('cache-control'), f).toContain('immutable');
    expect(r.headers.get('content-encoding'), f).toBe('br');
    if (f.endsWith('.wasm')) expect(r.headers.get('content-type'), f).toBe('application/wasm');
  }
  // The main glue imports this build's loader, and the loader this build's main glue.
  const glue = files.find((f) => /^netlens-[0-9a-f]{16}\.js$/.test(f));
  const loader = pieces.find((f) => f.startsWith('__wasm_split-'));
  expect(fs.readFileSync(path.join(DIST, glue), 'utf8')).toContain(`from "./${loader}"`);
  expect(fs.readFileSync(path.join(DIST, loader), 'utf8')).toContain(`from "./${glue}"`);
  // The page asks for the loader with the glue, not a round trip after it.
  expect(fs.readFileSync(path.join(DIST, 'index.html'), 'utf8')).toContain(`<link rel=modulepreload crossorigin href="/${loader}" data-netlens-loader>`);
});

test('the sub-path build loads its chunks under the sub-path', async ({ page, subpath }) => {
  const fetched = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && fetched.push(new URL(r.url()).pathname));
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/netlens-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(subpath.urls.app + '/netlens/grip', { waitUntil: 'commit' });
  // The boot screen finds the head under the sub-path too, before the app is here.
  await expect(page.locator('#boot h1')).toHaveText('GRIP: BGP routing events');
  release();
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GRIP: BGP routing events');
  expect(fetched.some((p) => /^\/netlens\/split_grip-[0-9a-f]{16}\.wasm$/.test(p))).toBe(true);
  for (const p of fetched) expect(p.startsWith('/netlens/')).toBe(true);
});
