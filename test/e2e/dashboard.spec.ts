import type { OrdersSummaryResponse, OverviewResponse } from '@funnelhouse/schemas';
import { ADMIN_KEY } from '../helpers/server.ts';
import {
  expect,
  expectAccessible,
  readNumber,
  screenshots,
  signIn,
  submitKey,
  test,
} from './dashboard-fixtures.ts';

/**
 * The dashboard's first load (page, JS and CSS) stays within 60 KB as Chromium receives it: the
 * encoded bytes on the wire, in the coding it asked for; `pnpm bench` prints it too.
 */
const FIRST_LOAD_BUDGET = 60 * 1024;

async function api<T>(url: string, key: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

test('first load: page, JS and CSS within the budget on the wire, no other host, no inline script', async ({
  page,
  server,
  guard,
}) => {
  const bodies: { url: string; wire: number; coding: string }[] = [];
  page.on('requestfinished', async (r) => {
    const res = await r.response();
    const type = res?.headers()['content-type'] ?? '';
    if (res && /javascript|css|html/.test(type))
      bodies.push({
        url: r.url(),
        wire: (await r.sizes()).responseBodySize,
        coding: res.headers()['content-encoding'] ?? 'identity',
      });
  });
  await page.goto(`${server.url}/`);
  await expect(page.getByLabel('API key or admin key')).toBeVisible();
  // The page names its first load: the stylesheet, the entry and the chunks it imports. The views
  // other than the sign-in and the overview are chunks fetched when opened, not fetched here.
  const html = await (await page.request.get(`${server.url}/`)).text();
  const named = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  expect(named.filter((a) => a?.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
  await expect.poll(() => bodies.length).toBe(1 + named.length);
  const total = bodies.reduce((n, b) => n + b.wire, 0);
  expect(bodies.map((b) => new URL(b.url).pathname).sort()).toEqual(['/', ...named].sort());
  // Chromium asks for brotli on localhost; each file comes compressed.
  expect(bodies.map((b) => b.coding)).toEqual(bodies.map(() => 'br'));
  expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
  test.info().annotations.push({ type: 'first load bytes on the wire', description: String(total) });
  const csp = (await page.request.get(`${server.url}/`)).headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(await page.locator('script:not([src])').count()).toBe(0);
  await expectAccessible(page);
  await screenshots(page, 'sign-in');
  expect(guard.problems).toEqual([]);
});

test('sign-in with a wrong key says so; the public site key is refused; the keyboard alone signs in', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  guard.allow(401, '/api/v1/key');
  await submitKey(page, server.url, seeded.site_key);
  await expect(page.getByRole('alert')).toContainText('not valid');
  await expect(page.getByLabel('API key or admin key')).toBeVisible();
  // Keyboard only: the key field is the first stop, Enter signs in, and the views are reachable.
  await page.goto(`${server.url}/`);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('API key or admin key')).toBeFocused();
  await page.keyboard.type(seeded.api_key);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  const funnels = page.getByRole('link', { name: 'Funnels' });
  for (let i = 0; i < 12 && !(await funnels.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(funnels).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Funnels', exact: true })).toBeVisible();
});

test('overview: the numbers of the API for the same query; the URL holds the view; sign-out clears the key', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.getByLabel('Range').selectOption('30d');
  await page.getByLabel('Time zone').fill('America/New_York');
  await page.getByLabel('Time zone').dispatchEvent('change');
  await expect(page).toHaveURL(/range=30d/);
  await expect(page).toHaveURL(/tz=America%2FNew_York/);
  // The URL alone brings the view back.
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.getByLabel('Range')).toHaveValue('30d');
  await expect(page.getByLabel('Time zone')).toHaveValue('America/New_York');
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  expect(dates).toHaveLength(2);
  const q = new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz: 'America/New_York' });
  const base = `${server.url}/api/v1/sites/${seeded.id}`;
  const o = await api<OverviewResponse>(`${base}/overview?${q}&limit=10`, seeded.api_key);
  const orders = await api<OrdersSummaryResponse>(`${base}/orders/summary?${q}`, seeded.api_key);
  expect(o.totals.visitors).toBeGreaterThan(50);
  const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`);
  await expect(kpi('visitors')).toHaveText(o.totals.visitors.toLocaleString('en-US'));
  expect(readNumber(await kpi('sessions').textContent())).toBe(o.totals.sessions);
  expect(readNumber(await kpi('pageviews').textContent())).toBe(o.totals.pageviews);
  expect(readNumber(await kpi('orders').textContent())).toBe(orders.totals.orders);
  expect(readNumber(await kpi('conversion').textContent())).toBeCloseTo(
    orders.totals.orders / o.totals.visitors,
    3,
  );
  for (const c of orders.by_currency) {
    expect(readNumber(await kpi(`revenue-${c.currency}`).textContent())).toBeCloseTo(c.revenue, 2);
  }
  // Top tables: every row as the API lists it.
  const rows = async (card: string) =>
    page
      .locator(`[data-top="${card}"] tbody tr`)
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
  const asRows = (list: OverviewResponse['top']['pages']) =>
    list.map((r) => [
      r.value || '(none)',
      r.visitors.toLocaleString('en-US'),
      r.pageviews.toLocaleString('en-US'),
    ]);
  expect(await rows('pages')).toEqual(asRows(o.top.pages));
  expect(await rows('countries')).toEqual(asRows(o.top.countries));
  await page.getByRole('tab', { name: 'Sources' }).click();
  expect(await rows('sources')).toEqual(asRows(o.top.utm_sources));
  await page.getByRole('tab', { name: 'Browsers' }).click();
  expect(await rows('browsers')).toEqual(asRows(o.top.browsers));
  await expect(page.locator('.chart canvas')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'overview');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page);
  await screenshots(page, 'overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Back and forward go through the views the URL named.
  await page.getByRole('link', { name: 'Install' }).click();
  await expect(page).toHaveURL(/view=install/);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('API key or admin key')).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
  await page.reload();
  await expect(page.getByLabel('API key or admin key')).toBeVisible();
  expect(guard.problems).toEqual([]);
});

test('admin key: every site, key management, and an API key made for this browser', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, ADMIN_KEY);
  const sites = await api<{ sites: { id: string }[] }>(`${server.url}/api/v1/sites`, ADMIN_KEY);
  await expect(page.getByLabel('Site').locator('option')).toHaveCount(sites.sites.length);
  await page.getByLabel('Site').selectOption(seeded.id);
  await expect(page.getByRole('button', { name: 'Make an API key for this browser' })).toBeVisible();
  await page.getByRole('button', { name: 'Make an API key for this browser' }).click();
  await expect(page.locator('[data-kpi="visitors"] .kpi-value')).not.toHaveText('0');
  await page.getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('heading', { name: 'Sites and keys' })).toBeVisible();
  const section = page.locator(`[data-site-keys="${seeded.id}"]`);
  await expect(section.getByText(seeded.site_key)).toBeVisible();
  await section.getByRole('button', { name: 'New API key' }).click();
  const made = (await section.locator('.banner code.secret').textContent()) ?? '';
  expect(made).toMatch(/^fhk_/);
  const info = await api<{ role: string; site: { id: string } }>(`${server.url}/api/v1/key`, made);
  expect(info.site.id).toBe(seeded.id);
  const row = section.locator(`tr[data-key-id="${made.split('_')[1]}"]`);
  await row.getByRole('button', { name: /^Revoke key/ }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is revoked' })).toBeVisible();
  expect(
    (await fetch(`${server.url}/api/v1/key`, { headers: { authorization: `Bearer ${made}` } })).status,
  ).toBe(401);
  await expectAccessible(page);
  await screenshots(page, 'keys');
  expect(guard.problems).toEqual([]);
});

test('overview: clicking a value narrows the view to its sessions, as the API counts them', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=overview&range=7d&tz=UTC`);
  await page
    .locator('[data-top="channels"], [data-top="sources"]')
    .getByRole('tab', { name: 'Channels' })
    .click();
  const first = page.locator('[data-top="channels"] tbody tr').first().getByRole('button');
  const channel = (await first.textContent()) ?? '';
  await first.click();
  await expect(page).toHaveURL(new RegExp(`channel=${channel}`));
  await page.locator('[data-top="pages"] tbody tr').nth(1).getByRole('button').click();
  await expect(page).toHaveURL(/path=%2F/);
  const path = new URL(page.url()).searchParams.get('path') ?? '';
  await page.reload();
  await expect(page.getByRole('button', { name: `Remove filter Channel ${channel}` })).toBeVisible();
  await expect(page.getByRole('button', { name: `Remove filter Page ${path}` })).toBeVisible();
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const q = new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz: 'UTC', channel, path });
  const base = `${server.url}/api/v1/sites/${seeded.id}`;
  const o = await api<OverviewResponse>(`${base}/overview?${q}&limit=10`, seeded.api_key);
  const orders = await api<OrdersSummaryResponse>(`${base}/orders/summary?${q}`, seeded.api_key);
  const all = await api<OverviewResponse>(
    `${base}/overview?${q}`.replace(/&channel=[^&]*&path=[^&]*/, ''),
    seeded.api_key,
  );
  expect(o.totals.visitors).toBeGreaterThan(0);
  expect(o.totals.visitors).toBeLessThan(all.totals.visitors);
  const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`);
  await expect(kpi('visitors')).toHaveText(o.totals.visitors.toLocaleString('en-US'));
  expect(readNumber(await kpi('pageviews').textContent())).toBe(o.totals.pageviews);
  expect(readNumber(await kpi('orders').textContent())).toBe(orders.totals.orders);
  await expectAccessible(page);
  await screenshots(page, 'overview-filtered');
  await page.getByRole('button', { name: `Remove filter Channel ${channel}` }).click();
  await expect(page).not.toHaveURL(/channel=/);
  await expect(page).toHaveURL(/path=/);
  expect(guard.problems).toEqual([]);
});

test("the header is in the site's own zone when the URL names none; a zone in the URL wins", async ({
  page,
  server,
  guard,
}) => {
  // A zone far from this machine's (UTC in CI): its "today" differs from UTC's for half of each day.
  const res = await fetch(`${server.url}/api/v1/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Kiwi shop', time_zone: 'Pacific/Auckland' }),
  });
  expect(res.status).toBe(201);
  const made = (await res.json()) as { id: string; api_key: string; time_zone: string };
  expect(made.time_zone).toBe('Pacific/Auckland');
  await signIn(page, server.url, made.api_key);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByLabel('Time zone')).toHaveValue('Pacific/Auckland');
  expect(new URL(page.url()).searchParams.has('tz')).toBe(false);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Auckland' }).format(Date.now());
  await page.getByLabel('Range').selectOption('today');
  await expect(page.locator('.dates')).toHaveText(`${today} – ${today}`);
  expect(new URL(page.url()).searchParams.has('tz')).toBe(false);
  await page.goto(`${server.url}/?site=${made.id}&view=overview&range=today&tz=UTC`);
  await expect(page.getByLabel('Time zone')).toHaveValue('UTC');
  const utc = new Date().toISOString().slice(0, 10);
  await expect(page.locator('.dates')).toHaveText(`${utc} – ${utc}`);
  expect(guard.problems).toEqual([]);
});
