import { readFileSync } from 'node:fs';
import type {
  AttributionResponse,
  CartAbandonmentResponse,
  CartListResponse,
  ForecastResponse,
  ProductsResponse,
  RevenueResponse,
} from '@funnelhouse/schemas';
import { CTA_DEFINITION } from '@funnelhouse/server';
import type { Page } from '@playwright/test';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { createSite } from '../helpers/server.ts';
import { expect, expectAccessible, screenshots, signIn, test } from './dashboard-fixtures.ts';

/** The page's own formatting (en-US), written again here so a wrong number cannot pass as text. */
const pct = (r: number | null | undefined) =>
  r == null
    ? '–'
    : new Intl.NumberFormat('en-US', {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(r);
const money = (n: number, currency: string) =>
  currency === ''
    ? `${n.toFixed(2)} (no currency)`
    : new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(n);
const amounts = (list: { currency: string; amount: number }[]) =>
  list.length === 0 ? '–' : list.map((m) => money(m.amount, m.currency)).join(' · ');
const int = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n);

async function get<T>(url: string, key: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** The header's dates and zone, as the view asked the API for them. */
async function viewRange(page: Page): Promise<string> {
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const tz = await page.getByLabel('Time zone').inputValue();
  return new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz }).toString();
}

const kpi = (page: Page, id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`);

test('carts: the view shows the API numbers, sorts and pages the list, and downloads its CSV', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.getByRole('link', { name: 'Carts & revenue' }).click();
  await page.getByLabel('Range').selectOption('30d');
  await expect(page).toHaveURL(/view=carts/);
  await expect(page.locator('[data-kpi="abandonment-rate"]')).toBeVisible();
  const q = await viewRange(page);
  const site = `/api/v1/sites/${seeded.id}`;
  const a = await get<CartAbandonmentResponse>(server.url, seeded.api_key, `${site}/carts/abandonment?${q}`);
  const t = a.totals;
  expect(t.carts).toBeGreaterThan(10);
  expect(t.abandoned).toBeGreaterThan(0);

  // Headline figures, interval and change.
  await expect(kpi(page, 'abandonment-rate')).toHaveText(pct(t.abandonment_rate?.rate));
  await expect(page.locator('[data-kpi="abandonment-rate"]')).toContainText(
    `${pct(t.abandonment_rate?.low)} – ${pct(t.abandonment_rate?.high)}`,
  );
  await expect(kpi(page, 'carts')).toHaveText(int(t.carts));
  await expect(kpi(page, 'abandoned')).toHaveText(int(t.abandoned));
  await expect(kpi(page, 'recovered')).toHaveText(int(t.recovered));
  await expect(kpi(page, 'abandoned-value')).toHaveText(amounts(t.abandoned_value));
  await expect(kpi(page, 'lost-value')).toHaveText(amounts(t.lost_value));
  await expect(kpi(page, 'recovered-revenue')).toHaveText(amounts(t.recovered_revenue));
  // What "abandoned" counts, said where the numbers differ: the headline includes the recovered
  // carts, the list does not; the stage table shows the open carts its rate leaves out.
  await expect(page.locator('[data-kpi="abandoned"]')).toContainText(
    `incl. ${int(t.recovered)} recovered since · ${int(t.open)} still open`,
  );
  await expect(page.locator('[data-note="list"]')).toHaveText(
    'Abandoned and not bought since: the headline’s abandoned carts less the recovered ones.',
  );
  await expect(page.locator('[data-note="stages"]')).toContainText('abandoned ÷ carts no longer open');
  // Stages.
  for (const s of a.by_stage) {
    const row = page.locator(`[data-table="stages"] tr[data-stage="${s.stage}"]`);
    await expect(row.locator('[data-field="carts"]')).toHaveText(int(s.carts));
    await expect(row.locator('[data-field="open"]')).toHaveText(int(s.open));
    await expect(row.locator('[data-field="abandoned"]')).toHaveText(int(s.abandoned));
    await expect(row.locator('[data-field="rate"]')).toHaveText(pct(s.abandonment_rate?.rate));
  }
  await expect(page.locator('.chart canvas').first()).toBeVisible();

  // The cart list, as the API lists it (by value, largest first, a page of 20).
  const list = async (extra: string) =>
    get<CartListResponse>(server.url, seeded.api_key, `${site}/carts/abandoned?${q}&limit=20&${extra}`);
  const expectRows = async (l: CartListResponse) => {
    const rows = page.locator('[data-table="carts"] tbody tr');
    await expect(rows).toHaveCount(l.carts.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-cart')))).toEqual(
      l.carts.map((c) => c.cart_id),
    );
    expect(await rows.locator('[data-field="value"]').allTextContents()).toEqual(
      l.carts.map((c) => money(c.value, c.currency)),
    );
  };
  const byValue = await list('status=abandoned&sort=value&order=desc');
  expect(byValue.total).toBe(t.abandoned - t.recovered);
  await expectRows(byValue);
  await expect(page.locator('[data-section="carts"] [data-total]')).toHaveAttribute(
    'data-total',
    String(byValue.total),
  );
  await expectAccessible(page);
  await screenshots(page, 'carts');

  // The CSV: the same list, fetched with the key and saved as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download abandoned carts as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^carts-abandoned-.*\.csv$/);
  const saved = readFileSync(await download.path(), 'utf8');
  const csv = await (
    await fetch(
      `${server.url}${site}/carts/abandoned?${q}&status=abandoned&sort=value&order=desc&limit=1000&format=csv`,
      {
        headers: { authorization: `Bearer ${seeded.api_key}` },
      },
    )
  ).text();
  expect(saved).toBe(csv);
  expect(saved.trim().split('\n').length).toBe((byValue.total ?? 0) + 1);

  // Sorting by the keyboard: Value is focused and Enter flips it to ascending.
  await page.getByRole('button', { name: /^Value/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/sort=value&order=asc/);
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Value');
  await expectRows(await list('status=abandoned&sort=value&order=asc'));
  // Sorting by time, ascending on a second click; the URL keeps it.
  await page.getByRole('button', { name: 'Last activity' }).click();
  await expect(page).toHaveURL(/sort=last_activity&order=desc/);
  await expectRows(await list('status=abandoned&sort=last_activity&order=desc'));
  await page.getByRole('button', { name: /Last activity/ }).click();
  await expect(page).toHaveURL(/sort=last_activity&order=asc/);
  await expectRows(await list('status=abandoned&sort=last_activity&order=asc'));
  // Recovered carts; then a reload keeps status and sort.
  await page.getByRole('button', { name: 'Recovered', exact: true }).click();
  await expect(page).toHaveURL(/status=recovered/);
  await expectRows(await list('status=recovered&sort=last_activity&order=asc'));
  await page.reload();
  await expect(page.getByRole('button', { name: 'Recovered', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expectRows(await list('status=recovered&sort=last_activity&order=asc'));
  expect(guard.problems).toEqual([]);
});

test('carts: pages of 20 through the abandoned carts of a busy range', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(
    `${server.url}/?site=${seeded.id}&view=carts&range=30d&tz=UTC&status=abandoned&sort=created`,
  );
  await expect(page.locator('[data-table="carts"]')).toBeVisible();
  const q = await viewRange(page);
  const site = `/api/v1/sites/${seeded.id}`;
  const first = await get<CartListResponse>(
    server.url,
    seeded.api_key,
    `${site}/carts/abandoned?${q}&status=abandoned&sort=created&order=desc&limit=20`,
  );
  const total = first.total ?? 0;
  // The cart list's pager, not the products table's.
  const pager = page.getByRole('navigation', { name: 'Cart pages' });
  // The seeded shop leaves more than one page of abandoned carts in 30 days.
  expect(total).toBeGreaterThan(20);
  await expect(pager).toContainText(`1–20 of ${int(total)}`);
  await pager.getByRole('button', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/page=2/);
  const second = await get<CartListResponse>(
    server.url,
    seeded.api_key,
    `${site}/carts/abandoned?${q}&status=abandoned&sort=created&order=desc&limit=20&offset=20`,
  );
  await expect(page.locator('[data-table="carts"] tbody tr').first()).toHaveAttribute(
    'data-cart',
    second.carts[0]?.cart_id ?? '',
  );
  await expect(pager).toContainText(`21–${int(20 + second.carts.length)} of ${int(total)}`);
  await pager.getByRole('button', { name: '← Previous' }).click();
  await expect(page.locator('[data-table="carts"] tbody tr').first()).toHaveAttribute(
    'data-cart',
    first.carts[0]?.cart_id ?? '',
  );
  expect(guard.problems).toEqual([]);
});

test('revenue by channel and by variant, and the forecast with visitors needed, equal the API', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=carts&range=30d&tz=UTC`);
  await expect(page.locator('[data-table="revenue"]')).toBeVisible();
  const q = await viewRange(page);
  const site = `/api/v1/sites/${seeded.id}`;
  const check = async (r: RevenueResponse) => {
    expect(r.totals.orders).toBeGreaterThan(0);
    await expect(kpi(page, 'rev-orders')).toHaveText(int(r.totals.orders));
    await expect(kpi(page, 'rev-visitors')).toHaveText(int(r.totals.visitors));
    const fmt = (
      g: RevenueResponse['totals'],
      f: 'revenue' | 'average_order_value' | 'revenue_per_visitor',
    ) =>
      g.by_currency.length === 0
        ? '–'
        : g.by_currency.map((c) => (c[f] == null ? '–' : money(c[f] as number, c.currency))).join(' · ');
    await expect(kpi(page, 'rev-revenue')).toHaveText(fmt(r.totals, 'revenue'));
    const groups = r.breakdown?.groups ?? [];
    expect(groups.length).toBeGreaterThan(1);
    await expect(page.locator('[data-table="revenue"] tbody tr')).toHaveCount(groups.length);
    for (const g of groups) {
      const row = page.locator(`[data-table="revenue"] tr[data-group="${g.value}"]`);
      await expect(row.locator('[data-field="visitors"]')).toHaveText(int(g.visitors));
      await expect(row.locator('[data-field="orders"]')).toHaveText(int(g.orders));
      await expect(row.locator('[data-field="conversion"]')).toHaveText(pct(g.conversion_rate?.rate));
      await expect(row.locator('[data-field="revenue"]')).toHaveText(fmt(g, 'revenue'));
      await expect(row.locator('[data-field="aov"]')).toHaveText(fmt(g, 'average_order_value'));
      await expect(row.locator('[data-field="rpv"]')).toHaveText(fmt(g, 'revenue_per_visitor'));
    }
  };
  await check(
    await get<RevenueResponse>(server.url, seeded.api_key, `${site}/revenue?${q}&breakdown=channel`),
  );
  await page.getByRole('button', { name: 'By variant' }).click();
  await expect(page).toHaveURL(/by=variant/);
  await expect(page.getByLabel('Experiment')).toHaveValue(CTA_DEFINITION.key);
  await expect(page.locator('[data-table="revenue"] th[scope="col"]').first()).toHaveText('Variant');
  await check(
    await get<RevenueResponse>(
      server.url,
      seeded.api_key,
      `${site}/revenue?${q}&breakdown=variant&breakdown_key=${CTA_DEFINITION.key}`,
    ),
  );

  // The seeded shop has two days of traffic: too little for a forecast, and the view says so.
  const short = await get<ForecastResponse>(server.url, seeded.api_key, `${site}/forecast?tz=UTC&days=30`);
  expect(short.status).toBe('not_enough_history');
  const fc = page.locator('[data-section="forecast"]');
  await expect(fc.locator('[data-status="not_enough_history"]')).toContainText(
    `Not enough history yet. The forecast needs 14 days of traffic (every weekday twice); this site has ${short.history.days}`,
  );
  await expect(kpi(page, 'fc-orders')).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, 'revenue-forecast');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page);
  await screenshots(page, 'carts-dark');
  expect(guard.problems).toEqual([]);
});

test('products: the table equals the API, sorts by a column, pages and downloads its CSV', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=carts&range=30d&tz=UTC`);
  const card = page.locator('[data-section="products"]');
  const table = card.locator('[data-table="products"]');
  await expect(table).toBeVisible();
  const q = await viewRange(page);
  const site = `/api/v1/sites/${seeded.id}`;
  const check = async (extra: string) => {
    const r = await get<ProductsResponse>(
      server.url,
      seeded.api_key,
      `${site}/products?${q}&limit=20&${extra}`,
    );
    expect(r.total).toBeGreaterThan(1);
    const rows = table.locator('tbody tr');
    await expect(rows).toHaveCount(r.rows.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item')))).toEqual(
      r.rows.map((x) => x.item_id),
    );
    for (const [i, x] of r.rows.entries()) {
      const cells = rows.nth(i).locator('td');
      await expect(cells.nth(0)).toHaveText(int(x.views));
      await expect(cells.nth(1)).toHaveText(int(x.carts));
      await expect(cells.nth(3)).toHaveText(int(x.purchases));
      await expect(cells.nth(4)).toHaveText(int(x.quantity));
      await expect(cells.nth(5)).toHaveText(
        amounts(
          x.by_currency
            .filter((c) => c.purchases > 0)
            .map((c) => ({ currency: c.currency, amount: c.revenue })),
        ),
      );
      await expect(cells.nth(6)).toHaveText(pct(x.cart_to_purchase?.rate));
    }
    return r;
  };
  // Best sellers first, as the API sorts by default.
  const byOrders = await check('sort=purchases&order=desc');
  expect(byOrders.rows[0]?.purchases).toBeGreaterThan(0);
  await expect(table.locator('th[aria-sort="descending"]')).toHaveText('Orders ▼');

  await table.getByRole('button', { name: 'Left in abandoned carts' }).click();
  await expect(page).toHaveURL(/psort=abandoned_value/);
  await check('sort=abandoned_value&order=desc');
  await table.getByRole('button', { name: /Left in abandoned carts/ }).click();
  await expect(page).toHaveURL(/porder=asc/);
  await check('sort=abandoned_value&order=asc');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'Download products as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^products-.*\.csv$/);
  const saved = readFileSync(await download.path(), 'utf8');
  const csv = await (
    await fetch(
      `${server.url}${site}/products?${q}&sort=abandoned_value&order=asc&limit=1000&offset=0&format=csv`,
      {
        headers: { authorization: `Bearer ${seeded.api_key}` },
      },
    )
  ).text();
  expect(saved).toBe(csv);
  await card.scrollIntoViewIfNeeded();
  await expectAccessible(page);
  await screenshots(page, 'products');
  expect(guard.problems).toEqual([]);
});

test('attribution: every model’s credited orders and revenue per source, and the paths, equal the API', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=carts&range=30d&tz=UTC`);
  const card = page.locator('[data-section="attribution"]');
  const table = card.locator('[data-table="attribution"]');
  await expect(table).toBeVisible();
  const q = await viewRange(page);
  const site = `/api/v1/sites/${seeded.id}`;
  const one = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const check = async (
    r: AttributionResponse,
    cell: (row: AttributionResponse['models'][0]['rows'][0]) => string,
  ) => {
    expect(r.totals.orders).toBeGreaterThan(0);
    const rows = r.models[0]?.rows ?? [];
    await expect(table.locator('tbody tr')).toHaveCount(rows.length);
    await expect(table.locator('thead th').nth(0).locator('xpath=following-sibling::th')).toHaveText([
      'First touch',
      'Last touch',
      'Last non-direct',
      'Linear',
      'Position-based',
      'Time decay',
      'Visitors',
    ]);
    for (const [i, row] of rows.entries()) {
      const tr = table.locator('tbody tr').nth(i);
      for (const m of r.models) {
        const x = m.rows[i];
        expect(x?.value).toBe(row.value);
        await expect(tr.locator(`[data-model="${m.model}"]`)).toHaveText(x ? cell(x) : '–');
      }
    }
  };
  const byChannel = await get<AttributionResponse>(
    server.url,
    seeded.api_key,
    `${site}/attribution?${q}&dimension=channel`,
  );
  await check(byChannel, (x) => one.format(x.conversions));
  // The models disagree somewhere on the seeded shop: one answer in six columns would hide a bug.
  const firsts = byChannel.models.map((m) => m.rows.map((x) => x.conversions).join());
  expect(new Set(firsts).size).toBeGreaterThan(1);
  await expect(card.locator('[data-table="attribution-paths"] tbody tr')).toHaveCount(
    Math.min(10, byChannel.paths.length),
  );

  await card.getByRole('button', { name: 'Revenue' }).click();
  await expect(page).toHaveURL(/ashow=revenue/);
  await check(byChannel, (x) =>
    amounts(x.by_currency.map((c) => ({ currency: c.currency, amount: c.revenue }))),
  );

  await card.getByLabel('Credit to').selectOption('utm_source');
  await expect(page).toHaveURL(/adim=utm_source/);
  await expect(table.locator('thead th').first()).toHaveText('UTM source');
  const bySource = await get<AttributionResponse>(
    server.url,
    seeded.api_key,
    `${site}/attribution?${q}&dimension=utm_source`,
  );
  await check(bySource, (x) =>
    amounts(x.by_currency.map((c) => ({ currency: c.currency, amount: c.revenue }))),
  );
  await card.scrollIntoViewIfNeeded();
  await expectAccessible(page);
  await screenshots(page, 'attribution');
  expect(guard.problems).toEqual([]);
});

test('carts: a site without carts or orders says what to do', async ({ page, server, guard }) => {
  const site = await createSite(server, 'Quiet shop');
  await signIn(page, server.url, site.api_key);
  await page.goto(`${server.url}/?site=${site.id}&view=carts&range=7d&tz=UTC`);
  await expect(page.getByRole('heading', { name: 'No carts in this range' })).toBeVisible();
  await expect(page.locator('[data-empty="forecast"]')).toBeVisible();
  await expect(kpi(page, 'rev-orders')).toHaveText('0');
  await expectAccessible(page);
  await screenshots(page, 'carts-empty');
  expect(guard.problems).toEqual([]);
});

test('carts: a failing report says what happened and can be tried again; the rest of the view still shows', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  let fail = true;
  await page.route('**/carts/abandonment?*', async (route) => {
    if (!fail) return route.continue();
    await route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: 'The analytics store is busy.' } }),
    });
  });
  guard.allow(503, `/api/v1/sites/${seeded.id}/carts/abandonment`);
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=carts&range=30d&tz=UTC`);
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load this view' });
  await expect(alert).toContainText('The analytics store is busy.');
  await expect(alert).toContainText('unavailable');
  await expect(page.locator('[data-table="revenue"]')).toBeVisible();
  await expectAccessible(page);
  fail = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('[data-kpi="abandonment-rate"]')).toBeVisible();
  await expect(alert).toHaveCount(0);
  expect(guard.problems).toEqual([]);
});

test('carts: a cart or order without a currency says "no currency", never dollars', async ({
  page,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Currency shop');
  const t = Date.now() - 3 * 3_600_000;
  const item = (id: string, price: number) => [
    { id, name: id, price, quantity: 1, category: '', variant: '' },
  ];
  const cart = (cart_id: string, visitor_id: string, currency: string, price: number, dt: number) =>
    eventRow(site.id, {
      ts: t + dt,
      type: 'add_to_cart',
      source: 'browser',
      visitor_id,
      cart_id,
      currency,
      items: item(cart_id, price),
    });
  await insertRows(server.deps.store, [
    eventRow(site.id, { ts: t - 1000, source: 'browser', visitor_id: 'v1' }),
    cart('eur-cart', 'v1', 'EUR', 25, 0),
    cart('bare-cart', 'v2', '', 3, 1000),
    cart('bare-order', 'v3', '', 10, 2000),
    // Bought two hours later: recovered, its order without a currency.
    eventRow(site.id, {
      ts: t + 2 * 3_600_000,
      type: 'purchase',
      source: 'browser',
      visitor_id: 'v3',
      cart_id: 'bare-order',
      order_id: 'o-1',
      revenue: 10,
      currency: '',
    }),
  ]);
  // Rows written straight to the store: wait until the reports' connections see them.
  await expect
    .poll(
      async () =>
        (
          await get<CartAbandonmentResponse>(
            server.url,
            site.api_key,
            `/api/v1/sites/${site.id}/carts/abandonment?range=7d&tz=UTC`,
          )
        ).totals.carts,
      { timeout: 30_000 },
    )
    .toBe(3);
  await signIn(page, server.url, site.api_key);
  await page.goto(
    `${server.url}/?site=${site.id}&view=carts&range=7d&tz=UTC&status=abandoned&sort=value&order=desc`,
  );
  const value = (id: string) =>
    page.locator(`[data-table="carts"] tr[data-cart="${id}"] [data-field="value"]`);
  await expect(value('eur-cart')).toHaveText('€25.00');
  await expect(value('bare-cart')).toHaveText('3.00 (no currency)');
  await expect(kpi(page, 'abandoned-value')).toContainText('3.00 (no currency)');
  await page.getByRole('button', { name: 'Recovered', exact: true }).click();
  const row = page.locator('[data-table="carts"] tr[data-cart="bare-order"]');
  await expect(row.locator('[data-field="value"]')).toHaveText('10.00 (no currency)');
  await expect(row).toContainText('10.00 (no currency)');
  await expect(page.locator('main')).not.toContainText('$');
  await expectAccessible(page);
  await screenshots(page, 'carts-no-currency');

  // With a reporting currency the amounts without one are left out and said so, never converted.
  const put = await fetch(`${server.url}/api/v1/sites/${site.id}/settings/currency-rates`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reporting_currency: 'EUR', rates: {} }),
  });
  expect(put.status).toBe(200);
  await page.reload();
  const a = await get<CartAbandonmentResponse>(
    server.url,
    site.api_key,
    `/api/v1/sites/${site.id}/carts/abandonment?range=7d&tz=UTC`,
  );
  expect(a.totals.reporting?.missing_rates).toEqual(['']);
  const card = page.locator('[data-kpi="abandoned-value"]');
  await expect(card.locator('[data-reporting="EUR"]')).toHaveText(
    money(a.totals.reporting?.abandoned_value ?? -1, 'EUR'),
  );
  await expect(card).toContainText('amounts with no currency: not included');
  await card.locator('summary').click();
  await expect(card.locator('[data-currency=""]')).toContainText('3.00 (no currency)');
  await expect(page.locator('main')).not.toContainText('$');
  await expectAccessible(page);
  expect(guard.problems).toEqual([]);
});

test('forecast: with four weeks of history the view shows the API forecast and the traffic for a target', async ({
  page,
  server,
  guard,
}) => {
  const site = await createSite(server, 'Steady shop');
  const DAY = 86_400_000;
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const rows = [];
  for (let d = 28; d >= 1; d--) {
    const visitors = 20 + ((d * 7) % 11);
    for (let v = 0; v < visitors; v++) {
      const visitor_id = `d${d}v${v}`;
      const ts = today - d * DAY + 3_600_000 + v * 1000;
      rows.push(eventRow(site.id, { ts, visitor_id, source: 'browser' }));
      if (v % 10 === 0)
        rows.push(
          eventRow(site.id, {
            ts: ts + 500,
            visitor_id,
            source: 'browser',
            type: 'purchase',
            order_id: `o${d}-${v}`,
            revenue: 30,
            currency: 'EUR',
          }),
        );
    }
  }
  await insertRows(server.deps.store, rows);
  const forecast = `/api/v1/sites/${site.id}/forecast?tz=UTC&days=30&target_orders=40`;
  await expect
    .poll(async () => (await get<ForecastResponse>(server.url, site.api_key, forecast)).status, {
      timeout: 30_000,
    })
    .toBe('ok');
  await signIn(page, server.url, site.api_key);
  await page.goto(`${server.url}/?site=${site.id}&view=carts&range=30d&tz=UTC`);
  await page.getByLabel('Orders wanted').fill('40');
  await page.getByRole('button', { name: 'Visitors needed' }).click();
  await expect(page).toHaveURL(/target=40/);
  const f = await get<ForecastResponse>(
    server.url,
    site.api_key,
    `/api/v1/sites/${site.id}/forecast?tz=UTC&days=30&target_orders=40`,
  );
  expect(f.status).toBe('ok');
  expect(f.history.days).toBe(28);
  const fc = page.locator('[data-section="forecast"]');
  await expect(fc.locator('[data-field="visitors-needed"]')).toHaveText(int(f.target?.visitors_needed ?? -1));
  await expect(fc.locator('[data-field="visitors-needed-90"]')).toHaveText(
    int(f.target?.visitors_needed_90 ?? -1),
  );
  const round = (n: number | undefined) => int(Math.round(n ?? -1));
  await expect(kpi(page, 'fc-orders')).toHaveText(round(f.orders?.expected));
  await expect(page.locator('[data-kpi="fc-orders"]')).toContainText(
    `${round(f.orders?.low)} – ${round(f.orders?.high)}`,
  );
  await expect(kpi(page, 'fc-visitors')).toHaveText(round(f.visitors?.expected));
  for (const r of f.revenue)
    await expect(kpi(page, `fc-revenue-${r.currency}`)).toHaveText(money(r.expected, r.currency));
  await expect(fc).toContainText('learnt from');
  await expectAccessible(page);
  await screenshots(page, 'forecast');

  // With a reporting currency: one revenue figure, the API's conversion; EUR without a rate is said.
  const setRates = async (rates: Record<string, number>) => {
    const res = await fetch(`${server.url}/api/v1/sites/${site.id}/settings/currency-rates`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reporting_currency: 'USD', rates }),
    });
    expect(res.status).toBe(200);
  };
  for (const rates of [{}, { EUR: 1.1 }] as Record<string, number>[]) {
    await setRates(rates);
    await page.reload();
    const g = await get<ForecastResponse>(server.url, site.api_key, forecast);
    if (!g.reporting) throw new Error('the forecast has no reporting object');
    const card = page.locator('[data-kpi="fc-revenue"]');
    await expect(card.locator('[data-reporting="USD"]')).toHaveText(money(g.reporting.revenue, 'USD'));
    await expect(page.locator('[data-kpi^="fc-revenue-"]')).toHaveCount(0);
    if ('EUR' in rates) expect(g.reporting.missing_rates).toEqual([]);
    else await expect(card).toContainText('EUR has no rate: not included');
    await card.locator('summary').click();
    for (const r of g.revenue)
      await expect(card.locator(`[data-currency="${r.currency}"]`)).toContainText(
        `${money(r.expected, r.currency)} (${money(r.low, r.currency)} – ${money(r.high, r.currency)})`,
      );
  }
  await expectAccessible(page);
  await screenshots(page, 'forecast-reporting');
  expect(guard.problems).toEqual([]);
});
