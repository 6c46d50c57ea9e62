// The keyboard alone: every form, the table sort buttons, the pager, export, the header search box
// and the time-range picker are reached with Tab / Shift+Tab and worked with Enter, Space, the arrows
// and Escape; whatever has the focus shows it (an outline or a box shadow on :focus-visible).
import { test, expect } from './fixtures.mjs';

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, checking on the way that every stop shows
 * its focus. Fails if the target is not reached within `max` presses.
 */
async function tabTo(page, target, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    await expectFocusVisible(page);
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses: ${target}`);
}

/** The focused element draws an outline or a box shadow (by :focus-visible, or :focus for date fields). */
async function expectFocusVisible(page) {
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    return {
      what: el.outerHTML.slice(0, 80),
      ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
    };
  });
  if (focus === null) return;
  expect(focus, `focus ring on ${focus.what}`).toMatchObject({ ring: true });
}

test('the skip link is the first stop and moves the focus to the content', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/ioda');
  await expect(page.locator('main table tbody tr').first()).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  // The next Tab goes on from the content, past the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement.closest('main'))).toBe(true);
});

test('the header search box and its listbox work with the keyboard alone', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/');
  const box = page.getByRole('combobox', { name: /Search by AS/ });
  await tabTo(page, box);
  await page.keyboard.type('3356');
  await page.keyboard.press('Enter');
  const options = page.getByRole('listbox').getByRole('option');
  await expect(options).toHaveCount(2);
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox')).toBeHidden();
  await expect(box).toHaveAttribute('aria-expanded', 'false');
  await expect(box).toHaveValue('3356');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp'); // wraps round to the last
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/spoofer\/session\/3356$/);
});

test('the Spoofer form, sort buttons, pager and export work with the keyboard alone', async ({ page, mock, api }) => {
  await page.goto(mock.urls.app + '/spoofer');
  await expect(page.locator('main .count')).toBeVisible();
  // The form: type, Enter submits.
  const asns = page.getByLabel('ASNs', { exact: true });
  await tabTo(page, asns);
  await page.keyboard.type('3356');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]asn=3356/);
  const total = (await api.data('spoofer')).sessions.filter((s) => s.asn4 === 3356 || s.asn6 === 3356).length;
  await expect(page.locator('main .count')).toContainText(`${total} sessions`);

  // A sort button: Enter sorts, Space flips.
  const sortTime = page.getByRole('button', { name: 'Time (UTC)' });
  const th = page.locator('main thead th').filter({ has: sortTime });
  await tabTo(page, sortTime);
  const before = await th.getAttribute('aria-sort');
  await page.keyboard.press('Enter');
  await expect(th).not.toHaveAttribute('aria-sort', before ?? 'none');
  const after = await th.getAttribute('aria-sort');
  await page.keyboard.press('Space');
  await expect(th).toHaveAttribute('aria-sort', after === 'ascending' ? 'descending' : 'ascending');

  // The pager: Shift+Tab back to "Next page" (it comes before the table), Enter follows it.
  const next = page.getByRole('navigation', { name: 'Pages' }).first().getByRole('link', { name: 'Next page' });
  await tabTo(page, next, { back: true });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.locator('main .count')).toContainText('page 2 of');

  // Export: Enter on "⤓ CSV" downloads the loaded rows.
  const csv = page.getByRole('button', { name: '⤓ CSV' });
  await tabTo(page, csv);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
});

test('the time-range picker and the IODA form work with the keyboard alone', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/ioda');
  await expect(page.locator('main .count')).toBeVisible();
  const week = page.getByRole('button', { name: '7 d', exact: true });
  await tabTo(page, week);
  await page.keyboard.press('Space');
  await expect(week).toHaveAttribute('aria-pressed', 'true');
  const from = await page.getByLabel('From (UTC)').inputValue();
  const until = await page.getByLabel('Until (UTC)').inputValue();
  expect(Date.parse(until + 'Z') - Date.parse(from + 'Z')).toBe(7 * 86_400_000);
  // A level checkbox (applied at once): Space unticks it, and the window chosen above stays in the form.
  const normal = page.getByLabel('Normal', { exact: true });
  await tabTo(page, normal);
  const wasChecked = await normal.isChecked();
  await page.keyboard.press('Space');
  await expect(normal).toBeChecked({ checked: !wasChecked });
  await expect(page.getByLabel('From (UTC)')).toHaveValue(from);
  await expect(page.getByLabel('Until (UTC)')).toHaveValue(until);
  // The entity combobox: type, ↓ to the suggestion, Enter picks it, Escape closes the list.
  const entity = page.getByRole('combobox', { name: 'Entity' });
  await tabTo(page, entity, { back: true });
  await page.keyboard.type('Norw');
  const norway = page.getByRole('option', { name: /Norway/ }).first();
  await expect(norway).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(norway).toBeHidden();
  await expect(entity).toHaveValue('Norw');
  await page.keyboard.press('ArrowDown'); // opens the list again
  await expect(norway).toBeVisible();
  if ((await entity.getAttribute('aria-activedescendant')) === null) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(entity).toHaveValue('Norway');
  const search = page.getByRole('main').getByRole('button', { name: 'Search', exact: true });
  await tabTo(page, search);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/entity=country(%2F|\/)NO/);
  const url = new URL(page.url());
  expect(Number(url.searchParams.get('until')) - Number(url.searchParams.get('from'))).toBe(7 * 86_400);
});

test('the GRIP form and its pager work with the keyboard alone', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/grip');
  await expect(page.locator('main .count')).toBeVisible();
  const type = page.getByLabel('Event type (event_type)');
  await tabTo(page, type);
  await page.keyboard.press('ArrowDown'); // a closed select changes value with the arrows
  const chosen = await type.inputValue();
  expect(chosen).not.toBe('');
  const suspicious = page.getByRole('button', { name: 'Suspicious 80–100' });
  await tabTo(page, suspicious);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Min (min_susp)')).toHaveValue('80');
  const search = page.getByRole('main').getByRole('button', { name: 'Search', exact: true });
  await tabTo(page, search);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`event_type=${chosen}`));
  await expect(page).toHaveURL(/min_susp=80/);
  // Jump to a page: type and Enter.
  const jump = page.getByLabel('Jump to page');
  await tabTo(page, jump);
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]start=\d+/);
});

test('signing in to Spamhaus and searching work with the keyboard alone', async ({ page, mock, api }) => {
  const { account } = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await tabTo(page, page.getByLabel('Account e-mail'));
  await page.keyboard.type(account.username);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(account.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('token-state')).toContainText('Signed in, expires in');
  await tabTo(page, page.getByLabel('Address or prefix'));
  await page.keyboard.type('45.150.206.0/24');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('count')).toContainText('records');
});

test('Settings: endpoints form and theme radios work with the keyboard alone', async ({ page, mock }) => {
  await page.goto(mock.urls.app + '/settings');
  const light = page.getByLabel('Light', { exact: true });
  const dark = page.getByLabel('Dark', { exact: true });
  await tabTo(page, page.getByLabel('Follow the system'));
  await page.keyboard.press('ArrowDown'); // radios: the arrows move and choose
  await expect(light).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.keyboard.press('ArrowDown');
  await expect(dark).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const grip = page.getByLabel('GRIP', { exact: true });
  await tabTo(page, grip, { back: true });
  await page.keyboard.type('https://proxy.example.org/grip');
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toContainText('your Settings');
});
