// Spamhaus SIA: signing in with the user's own account, the token's whereabouts, listing searches (cost,
// empty state, permalinks, 401 and 429 on the way), validation, the limits page and long history windows.
import { test, expect } from './fixtures.mjs';

const TOKEN_KEY = 'netlens.spamhaus.token';
const CIDR_PATH = '/api/intel/v1/byobject/cidr/';
const LOGIN_PATH = '/api/v1/login';

const nowSecs = () => Math.floor(Date.now() / 1000);
const inSlash24 = (r) => r.ipaddress.startsWith('45.150.206.');

/** The account the mock accepts (the test account of the mock's README). */
async function account(api) {
  return (await api.data('spamhaus')).account;
}

async function signIn(page, acct, password = acct.password) {
  const form = page.getByTestId('signin');
  await form.getByLabel('Account e-mail').fill(acct.username);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await page.getByTestId('signin-submit').click();
}

async function signedIn(page) {
  await expect(page.getByTestId('token-state')).toContainText('Signed in, expires in');
  await expect(page.getByTestId('signin')).toBeHidden();
}

/** The browser-side requests of one kind the mock saw (preflights left out). */
async function logged(api, pathPrefix, method = 'GET') {
  return (await api.requests('spamhaus')).filter((r) => r.path.startsWith(pathPrefix) && r.method === method);
}

async function search(page, ip, mask) {
  await page.getByLabel('Address or prefix').fill(ip);
  await page.getByLabel('Mask').fill(mask === undefined ? '' : String(mask));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

/** The result table as {dataset, address, bot} rows, sorted so they compare with the mock's records. */
async function tableRows(page) {
  const rows = await page.locator('.results table').evaluate((t) => {
    const heads = [...t.querySelectorAll('thead th')].map((th) => th.textContent.replace(/[▲▼]/g, '').trim());
    const col = (name) => heads.indexOf(name);
    const main = (td) => {
      const c = td.cloneNode(true);
      c.querySelectorAll('.sub').forEach((s) => s.remove());
      const s = c.textContent.trim();
      return s === '—' ? null : s;
    };
    return [...t.querySelectorAll('tbody tr')].map((tr) => ({
      dataset: main(tr.children[col('Dataset')]),
      address: main(tr.children[col('Address')]),
      bot: main(tr.children[col('Bot')]),
    }));
  });
  return sortRows(rows);
}

const key = (r) => `${r.dataset}|${r.address}|${r.bot}`;
const sortRows = (rows) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
const expectedRows = (records) =>
  sortRows(records.map((r) => ({ dataset: r.dataset, address: r.ipaddress, bot: r.botname ?? null })));

/** The /24's records still listed now (the page's default: live, the service's default window). */
function liveIn24(data) {
  const t = nowSecs();
  return data.records.filter((r) => inSlash24(r) && r.valid_until > t && r.listed >= t - 365 * 86400);
}

/** `YYYY-MM-DDTHH:MM` in UTC, as the page's datetime-local inputs take it. */
const inputTime = (d) => d.toISOString().slice(0, 16);

test('an analyst signs in; the token stays in this tab and goes only to Spamhaus', async ({ page, mock, api }) => {
  const urls = [];
  const sent = [];
  page.on('framenavigated', (f) => urls.push(f.url()));
  page.on('request', (r) => {
    urls.push(r.url());
    sent.push(r.allHeaders().then((h) => ({ url: r.url(), authorization: h.authorization })));
  });
  const acct = await account(api);

  await page.goto(mock.urls.app + '/spamhaus');
  await expect(page.getByTestId('signin')).toBeVisible();
  await expect(page.getByTestId('token-state')).toBeHidden();
  await signIn(page, acct);
  await expect(page.getByTestId('token-state')).toContainText(/^Signed in, expires in 23 h \d+ min/);
  await expect(page.getByTestId('token-state')).toContainText(`(account ${acct.username})`);
  await expect(page.getByTestId('signin')).toBeHidden();
  // A search, so the token is also used for a listing, not just for the limits.
  await search(page, '45.150.206.114');
  await expect(page.getByTestId('count')).toBeVisible();

  const stored = JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY));
  const token = stored.token;
  expect(token).toMatch(/^eyJ/);
  expect(Object.keys(stored).sort()).toEqual(['expires', 'token']);
  const local = await page.evaluate(() => Object.entries(localStorage).flat().join('\n'));
  expect(local).not.toContain(token);
  expect(local).not.toContain(acct.password);

  // Never in a page URL or any request URL the browser made.
  urls.push(page.url());
  expect(urls.length).toBeGreaterThan(3);
  for (const u of urls) expect(u).not.toContain(token);

  // Every Authorization header the browser sent went to Spamhaus (through the proxy), and only with this token.
  const headers = await Promise.all(sent);
  const authorised = headers.filter((h) => h.authorization);
  expect(authorised.length).toBeGreaterThanOrEqual(2); // limits + the search
  for (const h of authorised) {
    expect(h.url.startsWith(mock.urls.proxied.spamhaus + '/')).toBe(true);
    expect(h.authorization).toBe(`Bearer ${token}`);
  }
  // The same from the mock's side, for every service.
  for (const service of ['spoofer', 'grip', 'ioda']) {
    for (const r of await api.requests(service)) expect(r.headers.authorization, `${service} ${r.url}`).toBeUndefined();
  }
  const spamhaus = await api.requests('spamhaus');
  for (const r of spamhaus) {
    expect(r.url).not.toContain(token);
    if (r.headers.authorization) expect(r.path.startsWith('/api/intel/v1/')).toBe(true);
  }
  // The password went once, in the login body, and nowhere else.
  const logins = spamhaus.filter((r) => r.path === LOGIN_PATH && r.method === 'POST');
  expect(logins).toHaveLength(1);
  expect(JSON.parse(logins[0].body)).toEqual({ username: acct.username, password: acct.password, realm: 'intel' });
  expect(page.consoleMessages.join('\n')).not.toContain(token);
});

test('wrong passwords show the service message and hold the button back with a countdown', async ({ page, mock, api }) => {
  const acct = await account(api);
  await page.goto(mock.urls.app + '/spamhaus');
  const button = page.getByTestId('signin-submit');

  // The first refusal may be a typo: the message, and the button stays usable.
  await signIn(page, acct, 'wrong password');
  await expect(page.locator('.signin-error')).toContainText('Sign-in refused.');
  await expect(page.locator('.signin-error')).toContainText('“Authentication failed”');
  await expect(button).toBeEnabled();

  // The second one: the button waits, counting down.
  await signIn(page, acct, 'wrong again');
  await expect(button).toBeDisabled();
  await expect(button).toHaveText(/^Sign in \(try again in [1-5] s\)$/);
  await expect(page.locator('.throttle-note')).toContainText(/Sign-in refused 2 times: wait [1-5] s before trying again/);
  await expect(page.locator('.signin-error')).toContainText('“Authentication failed”');
  expect(await logged(api, LOGIN_PATH, 'POST')).toHaveLength(2);

  // When the wait is over the button comes back, and nothing was sent by itself meanwhile.
  await expect(button).toBeEnabled({ timeout: 8_000 });
  await expect(button).toHaveText('Sign in');
  const logins = await logged(api, LOGIN_PATH, 'POST');
  expect(logins).toHaveLength(2);
  expect(logins.map((r) => JSON.parse(r.body).password)).toEqual(['wrong password', 'wrong again']);
  expect(await page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)).toBeNull();
  await expect(page.getByTestId('token-state')).toBeHidden();
});

test('a /24 search lists the live records of the prefix and costs 8', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);

  await page.getByLabel('Address or prefix').fill('45.150.206.0');
  await page.getByLabel('Mask').fill('24');
  await expect(page.getByTestId('cost')).toContainText('This query costs 8 of your monthly queries');
  await page.getByRole('button', { name: 'Search', exact: true }).click();

  const expected = liveIn24(data);
  expect(expected.length).toBeGreaterThan(3);
  await expect(page.getByTestId('count')).toHaveText(`${expected.length} records, ${expected.length} still listed`);
  expect(await tableRows(page)).toEqual(expectedRows(expected));
  await expect(page.locator('.results tbody .badge.bad')).toHaveCount(expected.length);
  await expect(page.getByTestId('result-meta')).toContainText('45.150.206.0/24, ALL listed live, 1 request.');
  await expect(page).toHaveURL(/[?&]ip=45\.150\.206\.0&mask=24/);

  const cidr = await logged(api, CIDR_PATH);
  expect(cidr).toHaveLength(1);
  expect(cidr[0].path).toBe(`${CIDR_PATH}ALL/listed/live/45.150.206.0/24`);
  await expect(page.getByTestId('cost')).toContainText('costs 8 of your monthly queries; about 5,992 left this month');
});

test('a clean prefix shows a friendly "Nothing listed", not an error', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  expect(data.records.filter((r) => r.ipaddress.startsWith('192.0.2.'))).toEqual([]);
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  await search(page, '192.0.2.0/24');

  await expect(page.locator('.results .empty-state')).toHaveText('Nothing listed: no live listing in any dataset for 192.0.2.0/24.');
  await expect(page.getByTestId('count')).toHaveText('0 records, 0 still listed');
  await expect(page.locator('.results [role="alert"]')).toHaveCount(0);
  const cidr = await logged(api, CIDR_PATH);
  expect(cidr.map((r) => r.status)).toEqual([404]); // how the service says "not listed"
});

test('a permalink opened signed out asks to sign in, then runs by itself', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus?ip=45.150.206.0&mask=24');
  await expect(page.getByTestId('signin')).toBeVisible();
  await expect(page.getByTestId('signin')).toContainText('Sign in to run this query; it runs as soon as you are signed in.');
  await expect(page.getByTestId('awaiting-signin')).toBeVisible();
  await expect(page.getByLabel('Address or prefix')).toHaveValue('45.150.206.0');
  await expect(page.getByLabel('Mask')).toHaveValue('24');
  expect(await logged(api, CIDR_PATH)).toHaveLength(0);

  await signIn(page, data.account);
  const expected = liveIn24(data);
  await expect(page.getByTestId('count')).toHaveText(`${expected.length} records, ${expected.length} still listed`);
  expect(await tableRows(page)).toEqual(expectedRows(expected));
  await expect(page.getByTestId('awaiting-signin')).toBeHidden();
  expect(await logged(api, CIDR_PATH)).toHaveLength(1);
});

test('a token refused mid-search (401) asks for sign-in again, then the search re-runs', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  await api.fault({ service: 'spamhaus', path: CIDR_PATH, method: 'GET', kind: 'status', status: 401, times: 1 });
  await search(page, '45.150.206.0/24');

  await expect(page.getByTestId('signin')).toBeVisible();
  await expect(page.getByTestId('signin')).toContainText('Your session expired: sign in again to run this query.');
  await expect(page.getByTestId('awaiting-signin')).toBeVisible();
  await expect(page.getByTestId('token-state')).toBeHidden();
  expect(await page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)).toBeNull();

  await signIn(page, data.account);
  const expected = liveIn24(data);
  await expect(page.getByTestId('count')).toHaveText(`${expected.length} records, ${expected.length} still listed`);
  await signedIn(page);
  const cidr = await logged(api, CIDR_PATH);
  expect(cidr.map((r) => r.status)).toEqual([401, 200]);
  expect(cidr[0].path).toBe(cidr[1].path);
  expect(cidr[1].headers.authorization).not.toBe(cidr[0].headers.authorization); // the new token
  expect(await logged(api, LOGIN_PATH, 'POST')).toHaveLength(2);
});

test('a rate limit (429 with Retry-After) counts down, then the results come without a click', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  await api.fault({
    service: 'spamhaus',
    path: CIDR_PATH,
    method: 'GET',
    kind: 'status',
    status: 429,
    times: 1,
    headers: { 'Retry-After': '2', 'Access-Control-Expose-Headers': 'Retry-After' },
  });
  await search(page, '45.150.206.0/24');

  const notice = page.getByTestId('rate-limit');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Spamhaus SIA is limiting this account's request rate (429 Too many requests");
  await expect(notice).toContainText(/Retrying automatically in [0-2] s\./);
  const expected = liveIn24(data);
  await expect(page.getByTestId('count')).toHaveText(`${expected.length} records, ${expected.length} still listed`);
  await expect(notice).toBeHidden();
  const cidr = await logged(api, CIDR_PATH);
  expect(cidr.map((r) => r.status)).toEqual([429, 200]);
  const waited = Date.parse(cidr[1].time) - Date.parse(cidr[0].time);
  expect(waited).toBeGreaterThanOrEqual(1900); // Retry-After honoured
});

test('signing out forgets the token and shows the sign-in panel', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  expect(await page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)).not.toBeNull();

  await page.getByTestId('token-state').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('signin')).toBeVisible();
  await expect(page.getByTestId('token-state')).toBeHidden();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await page.reload();
  await expect(page.getByTestId('signin')).toBeVisible();
  await expect(page.getByTestId('token-state')).toBeHidden();
});

test('a mask too wide for IPv4 gets a message next to the mask and sends nothing', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  await search(page, '45.150.206.0', 16);

  await expect(page.locator('#mask-error')).toContainText('/16 is too wide: Spamhaus SIA searches at most a /24 for IPv4');
  await expect(page.locator('#ip-error')).toBeEmpty();
  await expect(page.getByTestId('cost')).toBeHidden();
  await expect(page.getByTestId('count')).toBeHidden();
  expect(await logged(api, CIDR_PATH)).toHaveLength(0);
});

test('the limits page shows the account and a month counter raised by the search cost', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus/limits');
  await expect(page.getByTestId('awaiting-signin')).toBeVisible();
  await signIn(page, data.account);
  const account = page.getByTestId('account');
  await expect(account).toContainText(data.account.username);
  await expect(account).toContainText(data.account.sub);
  for (const d of ['XBL', 'CSS', 'BCL']) await expect(account.locator('.datasets')).toContainText(d);
  const month = page.getByRole('row', { name: /This month/ }).locator('.usage-count');
  const before = Number((await month.textContent()).match(/^([\d,]+) of/)[1].replace(/,/g, ''));
  expect(before).toBe(0);

  await page.getByRole('link', { name: 'Search listings' }).click();
  await page.getByLabel('Address or prefix').fill('45.150.206.0/24');
  const cost = Number((await page.getByTestId('cost').textContent()).match(/costs (\d+) of/)[1]);
  expect(cost).toBe(8);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('count')).toBeVisible();

  await page.getByRole('link', { name: 'Quota and limits' }).click();
  await expect(month).toHaveText(new RegExp(`^${before + cost} of [\\d,]+$`));
  await expect(page.getByRole('row', { name: /Today/ }).locator('.usage-count')).toHaveText(String(before + cost));
  const remaining = Number((await page.getByTestId('remaining').textContent()).replace(/,/g, ''));
  const hard = Number((await month.textContent()).match(/of ([\d,]+)/)[1].replace(/,/g, ''));
  expect(remaining).toBe(hard - before - cost);
  await expect(page.getByTestId('token-state')).toContainText(`(account ${data.account.username})`);
});

test('the cost shown for a /30 is what the service counts', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  await page.getByLabel('Address or prefix').fill('45.150.206.112/30');
  const shown = Number((await page.getByTestId('cost').textContent()).match(/costs (\d+) of/)[1]);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const t = nowSecs();
  const expected = data.records.filter((r) => /^45\.150\.206\.11[2-5]$/.test(r.ipaddress) && r.valid_until > t);
  await expect(page.getByTestId('count')).toHaveText(new RegExp(`^${expected.length} records?, `));

  await page.getByRole('link', { name: 'Quota and limits' }).click();
  await expect(page.getByRole('row', { name: /This month/ }).locator('.usage-count')).toHaveText(new RegExp(`^${shown} of `));
});

test('a 13-month history runs as two 12-month requests and merges them', async ({ page, mock, api }) => {
  const data = await api.data('spamhaus');
  await page.goto(mock.urls.app + '/spamhaus');
  await signIn(page, data.account);
  await signedIn(page);
  const since = new Date();
  since.setUTCMonth(since.getUTCMonth() - 13);
  await page.getByLabel('Type').selectOption('history');
  await page.getByLabel('Address or prefix').fill('45.150.206.0/24');
  await page.getByLabel('Since (UTC)').fill(inputTime(since));
  await expect(page.getByTestId('cost')).toContainText('This query costs 16 of your monthly queries (2 requests, 365-day windows)');
  await page.getByRole('button', { name: 'Search', exact: true }).click();

  await expect(page.getByTestId('result-meta')).toContainText('45.150.206.0/24, ALL listed history, 2 requests, 365-day windows.');
  const cidr = await logged(api, CIDR_PATH);
  expect(cidr).toHaveLength(2);
  for (const r of cidr) {
    expect(r.path).toBe(`${CIDR_PATH}ALL/listed/history/45.150.206.0/24`);
    expect(r.status).toBe(200);
  }
  const [a, b] = cidr.map((r) => ({ since: Number(r.query.since), until: Number(r.query.until) }));
  expect(a.since).toBe(Math.floor(Date.parse(inputTime(since) + ':00Z') / 1000));
  expect(b.since).toBe(a.until + 1);
  for (const w of [a, b]) expect(w.until - w.since).toBeLessThanOrEqual(366 * 86400);
  expect(b.until).toBeGreaterThan(nowSecs() - 120);

  const expected = data.records.filter((r) => inSlash24(r) && r.listed >= a.since && r.listed <= b.until);
  const t = nowSecs();
  const live = expected.filter((r) => r.valid_until > t).length;
  await expect(page.getByTestId('count')).toHaveText(`${expected.length} records, ${live} still listed`);
  expect(await tableRows(page)).toEqual(expectedRows(expected));
});
