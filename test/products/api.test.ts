import type { CollectEvent, ProductRow, ProductsResponse } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { batch } from '../helpers/events.ts';
import { storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { postEvents } from '../helpers/server-events.ts';

let s: TestServer;
let site: { id: string; site_key: string; api_key: string };
const at = (hhmm: string) => Date.parse(`2026-03-10T${hhmm}:00Z`);
const mug = { id: 'mug', name: 'Mug', price: 12.5, quantity: 1, category: 'Kitchen', variant: '' };
const pen = { id: 'pen', name: '', price: 3, quantity: 2, category: '', variant: '' };
const cup = { id: 'cup', name: 'Cup', price: 5, quantity: 1, category: '', variant: '' };

/**
 * On 2026-03-10: v1 (email) views the mug, adds it to cart k1 and buys it in order o1 (EUR),
 * whose lines hold the mug twice (2 + 1); v2 (search) views mug and pen, adds 2 pens (USD) to
 * cart k2, adds a cup and takes it out again, and leaves; v3 (direct) views the mug only; the server reports order o2 (USD), one pen,
 * without a visitor.
 */
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const ev = (visitor_id: string, channel: string, over: Partial<EventRow> & { ts: number }) =>
    eventRow(site.id, { source: 'browser', visitor_id, session_id: `${visitor_id}-s`, channel, ...over });
  const rows: EventRow[] = [
    ev('v1', 'email', { ts: at('10:00'), type: 'view_item', items: [mug] }),
    ev('v1', 'email', { ts: at('10:01'), type: 'add_to_cart', cart_id: 'k1', currency: 'EUR', items: [mug] }),
    ev('v1', 'email', {
      ts: at('10:05'),
      type: 'purchase',
      cart_id: 'k1',
      order_id: 'o1',
      revenue: 37.5,
      currency: 'EUR',
      items: [
        { ...mug, quantity: 2 },
        { ...mug, name: '', quantity: 1 },
      ],
    }),
    ev('v2', 'search', { ts: at('11:00'), type: 'view_item', items: [mug, pen] }),
    ev('v2', 'search', {
      ts: at('11:01'),
      type: 'add_to_cart',
      cart_id: 'k2',
      currency: 'USD',
      items: [pen],
    }),
    ev('v2', 'search', {
      ts: at('11:02'),
      type: 'add_to_cart',
      cart_id: 'k2',
      currency: 'USD',
      items: [cup],
    }),
    ev('v2', 'search', {
      ts: at('11:03'),
      type: 'remove_from_cart',
      cart_id: 'k2',
      currency: 'USD',
      items: [cup],
    }),
    ev('v3', 'direct', { ts: at('12:00'), type: 'view_item', items: [mug] }),
    ev('', 'direct', {
      ts: at('13:00'),
      type: 'purchase',
      source: 'server',
      order_id: 'o2',
      revenue: 3,
      currency: 'USD',
      items: [{ ...pen, quantity: 1 }],
    }),
  ];
  await insertRows(s.deps.store, rows);
}, 180_000);
afterAll(() => s.destroy());

const RANGE = 'from=2026-03-10&to=2026-03-10';
const get = async (q: string, status = 200) => {
  const res = await api(s, 'GET', `/api/v1/sites/${site.id}/products?${RANGE}&${q}`, site.api_key);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as ProductsResponse & {
    error?: { code: string; issues: { path: string }[] };
    explain?: { name: string; params: Record<string, unknown> }[];
  };
};
const row = (r: ProductsResponse, item: string, value: string | null = null) =>
  r.rows.find((x) => x.item_id === item && x.value === value) as ProductRow;

describe('GET …/products', () => {
  it('answers per item the views, carts, orders, quantity, revenue and abandoned value', async () => {
    const r = await get('sort=item_id&order=asc');
    expect(r.total).toBe(3);
    expect(r.rows.map((x) => x.item_id)).toEqual(['cup', 'mug', 'pen']);
    // Taken out of the abandoned cart again: added by a visitor, left in no cart.
    expect(row(r, 'cup')).toMatchObject({
      name: 'Cup',
      views: 0,
      carts: 1,
      abandoned_carts: 0,
      by_currency: [],
    });
    expect(row(r, 'mug')).toMatchObject({
      name: 'Mug',
      category: 'Kitchen',
      views: 3,
      carts: 1,
      buyers: 1,
      view_to_cart: { rate: 1 / 3 },
      cart_to_purchase: { rate: 1 },
      // o1 counts once, its two mug lines summed.
      purchases: 1,
      quantity: 3,
      abandoned_carts: 0,
      by_currency: [
        {
          currency: 'EUR',
          purchases: 1,
          quantity: 3,
          revenue: 37.5,
          average_price: 12.5,
          abandoned_carts: 0,
          abandoned_value: 0,
        },
      ],
      reporting: null,
    });
    // The pen: no name sent; bought only by the server's order (no visitor: not a buyer); the
    // cart k2 (2 pens, USD) abandoned.
    expect(row(r, 'pen')).toMatchObject({
      name: '',
      views: 1,
      carts: 1,
      buyers: 0,
      view_to_cart: { rate: 1 },
      cart_to_purchase: { rate: 0 },
      purchases: 1,
      quantity: 1,
      abandoned_carts: 1,
      by_currency: [
        {
          currency: 'USD',
          purchases: 1,
          quantity: 1,
          revenue: 3,
          average_price: 3,
          abandoned_carts: 1,
          abandoned_value: 6,
        },
      ],
    });
  });

  it('sorts and pages, with the total', async () => {
    const byViews = await get('sort=views&limit=1');
    expect([byViews.total, byViews.rows.map((x) => x.item_id)]).toEqual([3, ['mug']]);
    const next = await get('sort=views&limit=1&offset=1');
    expect(next.rows.map((x) => x.item_id)).toEqual(['pen']);
    const past = await get('offset=5');
    expect([past.total, past.rows]).toEqual([3, []]);
    const abandoned = await get('sort=abandoned_value');
    expect(abandoned.rows.map((x) => x.item_id)).toEqual(['pen', 'cup', 'mug']);
    // Ties (one purchase each) by item id, whatever the order.
    expect((await get('sort=purchases&order=asc')).rows.map((x) => x.item_id)).toEqual(['cup', 'mug', 'pen']);
    expect((await get('sort=purchases&order=desc')).rows.map((x) => x.item_id)).toEqual([
      'mug',
      'pen',
      'cup',
    ]);
  });

  it('breaks down by channel: visitors by their events’, orders by their first purchase, carts by their first event', async () => {
    const r = await get('breakdown=channel&sort=item_id&order=asc');
    expect(r.breakdown).toEqual({ by: 'channel', key: null });
    const cells = r.rows.map((x) => [x.item_id, x.value, x.views, x.carts, x.purchases, x.abandoned_carts]);
    expect(cells).toEqual([
      ['cup', 'search', 0, 1, 0, 0],
      ['mug', 'direct', 1, 0, 0, 0],
      ['mug', 'email', 1, 1, 1, 0],
      ['mug', 'search', 1, 0, 0, 0],
      ['pen', 'direct', 0, 0, 1, 0],
      ['pen', 'search', 1, 1, 0, 1],
    ]);
    // Names are the item's, whatever the group.
    expect(row(r, 'mug', 'direct').name).toBe('Mug');
  });

  it('converts money at the site’s rates and sorts revenue by the converted figure', async () => {
    const put = await api(s, 'PUT', `/api/v1/sites/${site.id}/settings/currency-rates`, site.api_key, {
      reporting_currency: 'EUR',
      rates: { USD: 0.5 },
    });
    expect(put.status).toBe(200);
    const r = await get('sort=revenue');
    expect(r.rows.map((x) => x.item_id)).toEqual(['mug', 'pen', 'cup']);
    expect(row(r, 'pen').reporting).toEqual({
      currency: 'EUR',
      revenue: 1.5,
      average_price: 1.5,
      abandoned_value: 3,
      missing_rates: [],
    });
    const del = await api(s, 'DELETE', `/api/v1/sites/${site.id}/settings/currency-rates`, site.api_key);
    expect(del.status).toBeLessThan(300);
  });

  it('downloads CSV: every row without limit, paged with Link and X-Total-Count with one', async () => {
    const path = `/api/v1/sites/${site.id}/products?${RANGE}&format=csv&sort=item_id&order=asc`;
    const all = await api(s, 'GET', path, site.api_key);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toContain('text/csv');
    expect(all.headers.get('x-total-count')).toBe('3');
    expect(all.headers.get('link')).toBeNull();
    const lines = (await all.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'item_id,name,category,variant,value,views,carts,buyers,view_to_cart,cart_to_purchase,purchases,quantity,abandoned_carts,by_currency,reporting_currency,reporting_revenue,reporting_average_price,reporting_abandoned_value',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['cup', 'Cup'],
      ['mug', 'Mug'],
      ['pen', ''],
    ]);
    const page = await api(s, 'GET', `${path}&limit=1`, site.api_key);
    expect(page.headers.get('link')).toBe(
      `</api/v1/sites/${site.id}/products?${RANGE}&format=csv&sort=item_id&order=asc&limit=1&offset=1>; rel="next"`,
    );
    expect((await page.text()).trim().split('\n')).toHaveLength(2);
  });

  it('refuses unknown keys, bad values and a variant without its key with a 400 naming the parameter', async () => {
    const path = (r: Awaited<ReturnType<typeof get>>) => [r.error?.code, r.error?.issues[0]?.path];
    expect(path(await get('sorting=views', 400))).toEqual(['invalid_query', 'sorting']);
    expect(path(await get('sort=price', 400))).toEqual(['invalid_query', 'sort']);
    expect(path(await get('limit=1001', 400))).toEqual(['invalid_query', 'limit']);
    expect(path(await get('limit=0', 400))).toEqual(['invalid_query', 'limit']);
    expect(path(await get('breakdown=variant', 400))).toEqual(['invalid_query', 'breakdown_key']);
    expect(path(await get('breakdown=utm_source', 400))).toEqual(['invalid_query', 'breakdown']);
  });

  it('explains with its three queries, every value bound', async () => {
    const r = await get('explain=1&breakdown=variant&breakdown_key=exp');
    expect(r.explain?.map((q) => q.name)).toEqual([
      'getProductAbandonedSums',
      'getProductVisitorSums',
      'getProductOrderSums',
    ]);
    for (const q of r.explain ?? []) expect(q.params).toMatchObject({ site: site.id, dim_key: 'exp' });
    expect(r.rows.every((x) => x.value === '')).toBe(true);
  });

  it('takes view_item from the snippet’s /collect and from the server events API', async () => {
    const other = await createSite(s, 'views');
    const now = Date.now();
    const view = (id: string, visitor_id: string, item: string) =>
      ({
        id,
        type: 'view_item',
        ts: now - 1000,
        url: 'https://shop.example/p/mug',
        visitor_id,
        session_id: `${visitor_id}-s`,
        items: [{ id: item, name: 'Mug', price: 12.5 }],
      }) satisfies CollectEvent;
    const res = await postCollect(s, batch(other.site_key, [view('c1', 'w1', 'mug')], now));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
    const server = await postEvents(s, other.id, other.api_key, [view('c2', 'w2', 'mug')]);
    expect(server.body).toMatchObject({ accepted: 1, rejected: 0 });
    const rows = await storedRows(s, other.id);
    expect(rows.map((r) => [r.type, r.cart_id, r.items])).toEqual([
      ['view_item', '', [{ id: 'mug', name: 'Mug', price: 12.5, quantity: 1, category: '', variant: '' }]],
      ['view_item', '', [{ id: 'mug', name: 'Mug', price: 12.5, quantity: 1, category: '', variant: '' }]],
    ]);
    const today = new Date(now).toISOString().slice(0, 10);
    const r = await api(
      s,
      'GET',
      `/api/v1/sites/${other.id}/products?from=${today}&to=${today}&tz=UTC`,
      other.api_key,
    );
    const body = (await r.json()) as ProductsResponse;
    expect(body.rows.map((x) => [x.item_id, x.name, x.views, x.carts])).toEqual([['mug', 'Mug', 2, 0]]);
  });
});
