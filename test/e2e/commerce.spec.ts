import type { CartListResponse, OrdersSummaryResponse } from '@funnelhouse/schemas';
import type { Page } from '@playwright/test';
import { api } from '../helpers/api.ts';
import { drained, expect, expectEvents, type Row, type Shop, test } from './shop.ts';

/**
 * Every documented call form of every commerce event, from the call in Chromium to the stored
 * row (read from ClickHouse), field by field, and back through the API. The README documents
 * one item (`{id, name, price, quantity, category, variant, currency}`, its fields at the top)
 * and several (`{items, revenue, currency}`) for each cart event, and
 * `{order_id, revenue, currency, items}` (or one item's fields) for `purchase`.
 */
const CART_EVENTS = [
  'add_to_cart',
  'remove_from_cart',
  'view_cart',
  'begin_checkout',
  'add_shipping_info',
  'add_payment_info',
] as const;

/** An item as a stored row holds it: every field, absent ones at their defaults. */
const stored = (i: {
  id: string;
  name?: string;
  price?: number;
  quantity?: number;
  category?: string;
  variant?: string;
}) => ({
  id: i.id,
  name: i.name ?? '',
  price: i.price ?? 0,
  quantity: i.quantity ?? 1,
  category: i.category ?? '',
  variant: i.variant ?? '',
});

/** The fields of a commerce row a call decides (the rest: identity, page, enrichment). */
const COMMERCE_FIELDS = ['type', 'order_id', 'revenue', 'currency', 'items', 'props'] as const;
const commerceOf = (r: Row) => Object.fromEntries(COMMERCE_FIELDS.map((k) => [k, r[k]]));

type Call = [string, Record<string, unknown>];
async function call(page: Page, calls: Call[]): Promise<void> {
  await page.evaluate((list) => {
    const fh = (window as unknown as { fh: (...a: unknown[]) => unknown }).fh;
    for (const [cmd, data] of list) fh(cmd, data);
  }, calls);
}

/** The commerce rows of the site, in the order they were called (their ts, then call order). */
async function commerceRows(shop: Shop, n: number): Promise<Row[]> {
  let rows: Row[] = [];
  await expect
    .poll(
      async () => {
        rows = (await shop.rows()).filter((r) => r.type !== 'pageview');
        return rows.length;
      },
      { timeout: 15_000 },
    )
    .toBe(n);
  return rows.sort((a, b) => Number(a.ts_ms) - Number(b.ts_ms) || order(a) - order(b));
}
/** Each call below sets props.n to its position; the rows' ts may tie within a millisecond. */
const order = (r: Row) => Number((r.props as Record<string, string>).n);

test('the one-item form of every commerce event keeps the item, the currency, revenue and props', async ({
  page,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  const item = { id: 'mug', name: 'Mug', price: 12.5, quantity: 2, category: 'Kitchen', variant: 'blue' };
  const calls: Call[] = CART_EVENTS.map((type, n) => [
    type,
    { ...item, quantity: n + 1, currency: 'EUR', props: { n: String(n) } },
  ]);
  calls.push(['purchase', { ...item, order_id: 'o-1', revenue: 25, currency: 'eur', props: { n: '6' } }]);
  await call(page, calls);
  const rows = await commerceRows(shop, calls.length);
  expect(rows.map(commerceOf)).toEqual([
    ...CART_EVENTS.map((type, n) => ({
      type,
      order_id: '',
      revenue: 0,
      currency: 'EUR',
      items: [{ ...item, quantity: n + 1 }],
      props: { n: String(n) },
    })),
    {
      type: 'purchase',
      order_id: 'o-1',
      revenue: 25,
      currency: 'EUR',
      items: [item],
      props: { n: '6' },
    },
  ]);
  // One cart from the first add to the purchase, which still carries it.
  expect(new Set(rows.map((r) => r.cart_id)).size).toBe(1);
  expect(rows[0]?.cart_id).toMatch(/^\d{10,40}$/);
});

test('view_item (GA4) keeps its item, opens no cart, and a later add_to_cart does', async ({
  page,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  const item = { id: 'mug', name: 'Mug', price: 12.5, category: 'Kitchen', variant: 'blue' };
  await call(page, [
    ['view_item', { ...item, currency: 'EUR', props: { n: '0' } }],
    ['view_item', { items: [item, { id: 'tea' }], props: { n: '1' } }],
    ['add_to_cart', { ...item, currency: 'EUR', props: { n: '2' } }],
  ]);
  const rows = await commerceRows(shop, 3);
  expect(rows.map(commerceOf)).toEqual([
    {
      type: 'view_item',
      order_id: '',
      revenue: 0,
      currency: 'EUR',
      items: [stored(item)],
      props: { n: '0' },
    },
    {
      type: 'view_item',
      order_id: '',
      revenue: 0,
      currency: '',
      items: [stored(item), stored({ id: 'tea' })],
      props: { n: '1' },
    },
    {
      type: 'add_to_cart',
      order_id: '',
      revenue: 0,
      currency: 'EUR',
      items: [stored(item)],
      props: { n: '2' },
    },
  ]);
  expect(rows.map((r) => r.cart_id === '')).toEqual([true, true, false]);
});

test('the items form of every commerce event keeps every item, revenue, currency and props', async ({
  page,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  const items = [
    { id: 'mug', name: 'Mug', price: 12.5, quantity: 2 },
    { id: 'tea', price: 4 },
  ];
  const calls: Call[] = CART_EVENTS.map((type, n) => [
    type,
    { items, revenue: 29, currency: 'GBP', props: { n: String(n) } },
  ]);
  // Without items, as the README's begin_checkout / add_payment_info examples do.
  calls.push(['add_payment_info', { revenue: 29, currency: 'GBP', props: { n: '6' } }]);
  calls.push(['purchase', { order_id: 'o-2', revenue: 29, currency: 'GBP', items, props: { n: '7' } }]);
  calls.push(['purchase', { order_id: 'o-3', revenue: 5, currency: 'GBP', props: { n: '8' } }]);
  await call(page, calls);
  const rows = await commerceRows(shop, calls.length);
  const want = (type: string, n: number, over: Row = {}) => ({
    type,
    order_id: '',
    revenue: 29,
    currency: 'GBP',
    items: items.map(stored),
    props: { n: String(n) },
    ...over,
  });
  expect(rows.map(commerceOf)).toEqual([
    ...CART_EVENTS.map((type, n) => want(type, n)),
    want('add_payment_info', 6, { items: [] }),
    want('purchase', 7, { order_id: 'o-2' }),
    want('purchase', 8, { order_id: 'o-3', revenue: 5, items: [] }),
  ]);
  // The cart id ends with the first purchase: the second order has none.
  const carts = rows.map((r) => r.cart_id);
  expect(new Set(carts.slice(0, 8)).size).toBe(1);
  expect(carts[8]).toBe('');
});

test('a one-item EUR cart is a EUR cart in the API; one without a currency has none', async ({
  page,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}blank.html`);
  // The README's one-item form: the bug stored currency "" and the dashboard showed "$25.00".
  await call(page, [['add_to_cart', { id: 'mug', name: 'Mug', price: 25, quantity: 1, currency: 'EUR' }]]);
  await expectEvents(shop, { expected: [{ type: 'add_to_cart', currency: 'EUR', revenue: 0 }] });
  await drained(page);
  const today = new Date().toISOString().slice(0, 10);
  const list = async () => {
    const res = await api(
      { url: shop.serverUrl },
      'GET',
      `/api/v1/sites/${shop.site.id}/carts/abandoned?from=${today}&to=${today}&tz=UTC&status=open`,
      shop.site.api_key,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as CartListResponse).carts.map((c) => [c.value, c.currency, c.items]);
  };
  await expect
    .poll(list, { timeout: 15_000 })
    .toEqual([[25, 'EUR', [expect.objectContaining({ id: 'mug', name: 'Mug', price: 25, quantity: 1 })]]]);

  // A second visitor's cart without a currency stays without one (the dashboard says so).
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await call(page, [['add_to_cart', { id: 'pen', price: 3 }]]);
  await expect
    .poll(async () => (await list()).map(([value, currency]) => [value, currency]), { timeout: 15_000 })
    .toEqual([
      [25, 'EUR'],
      [3, ''],
    ]);

  // An order placed with the one-item form is counted in its currency.
  await call(page, [['purchase', { id: 'pen', price: 3, order_id: 'o-9', revenue: 3, currency: 'CHF' }]]);
  await expect
    .poll(
      async () => {
        const res = await api(
          { url: shop.serverUrl },
          'GET',
          `/api/v1/sites/${shop.site.id}/orders/summary?from=${today}&to=${today}&tz=UTC`,
          shop.site.api_key,
        );
        return ((await res.json()) as OrdersSummaryResponse).by_currency.map((c) => [c.currency, c.revenue]);
      },
      { timeout: 15_000 },
    )
    .toEqual([['CHF', 3]]);
});
