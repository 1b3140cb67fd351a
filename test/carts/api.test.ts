import type { CartAbandonmentResponse, CartListResponse } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00Z`);
const AS_OF = '2026-03-20T00:00:00Z';

const item = (id: string, price: number, quantity = 1) => ({
  id,
  name: `Item ${id}`,
  price,
  quantity,
  category: 'c',
  variant: '',
});

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const ev = (over: Partial<EventRow> & { ts: number }) =>
    eventRow(site.id, { source: 'browser', currency: 'EUR', ...over });
  const rows: EventRow[] = [
    // k1 (email, variant a): 2 × 10 added, checkout, left: abandoned at the checkout stage, 20 EUR.
    ev({
      ts: at('2026-03-10', '10:00'),
      type: 'add_to_cart',
      cart_id: 'k1',
      channel: 'email',
      items: [item('p1', 10, 2)],
      experiments: { cta: 'a' },
      visitor_id: 'v1',
      user_id: 'u1',
    }),
    ev({
      ts: at('2026-03-10', '10:05'),
      type: 'begin_checkout',
      cart_id: 'k1',
      channel: 'direct',
      items: [item('p1', 10, 2)],
      visitor_id: 'v1',
    }),
    // k2 (direct, variant b): 49 added, bought 3 hours later: recovered, the server's 55 wins.
    ev({
      ts: at('2026-03-10', '11:00'),
      type: 'add_to_cart',
      cart_id: 'k2',
      items: [item('p2', 49)],
      experiments: { cta: 'b' },
      visitor_id: 'v2',
    }),
    ev({
      ts: at('2026-03-10', '14:00'),
      type: 'purchase',
      cart_id: 'k2',
      order_id: 'o2',
      revenue: 49,
      visitor_id: 'v2',
    }),
    ev({
      ts: at('2026-03-10', '14:01'),
      type: 'purchase',
      order_id: 'o2',
      revenue: 55,
      source: 'server',
      visitor_id: 'v2',
    }),
    // k3 (direct, no variant): bought within minutes: purchased.
    ev({
      ts: at('2026-03-11', '09:00'),
      type: 'add_to_cart',
      cart_id: 'k3',
      items: [item('p3', 24.5)],
      visitor_id: 'v3',
    }),
    ev({
      ts: at('2026-03-11', '09:10'),
      type: 'add_payment_info',
      cart_id: 'k3',
      revenue: 24.5,
      visitor_id: 'v3',
    }),
    ev({
      ts: at('2026-03-11', '09:11'),
      type: 'purchase',
      cart_id: 'k3',
      order_id: 'o3',
      revenue: 24.5,
      visitor_id: 'v3',
    }),
    // k4 (email, USD): 2 items, one removed: abandoned at the cart stage, 5 USD.
    ev({
      ts: at('2026-03-11', '12:00'),
      type: 'add_to_cart',
      cart_id: 'k4',
      channel: 'email',
      currency: 'USD',
      items: [item('p4', 5)],
      visitor_id: 'v4',
    }),
    ev({
      ts: at('2026-03-11', '12:01'),
      type: 'add_to_cart',
      cart_id: 'k4',
      channel: 'email',
      currency: 'USD',
      items: [item('p5', 7)],
      visitor_id: 'v4',
    }),
    ev({
      ts: at('2026-03-11', '12:02'),
      type: 'remove_from_cart',
      cart_id: 'k4',
      channel: 'email',
      currency: 'USD',
      items: [item('p5', 7)],
      visitor_id: 'v4',
    }),
    // k5: emptied.
    ev({
      ts: at('2026-03-11', '13:00'),
      type: 'add_to_cart',
      cart_id: 'k5',
      items: [item('p1', 10)],
      visitor_id: 'v5',
    }),
    ev({
      ts: at('2026-03-11', '13:01'),
      type: 'remove_from_cart',
      cart_id: 'k5',
      items: [item('p1', 10)],
      visitor_id: 'v5',
    }),
    // k6: still open at as_of.
    ev({
      ts: at('2026-03-19', '23:30'),
      type: 'add_to_cart',
      cart_id: 'k6',
      items: [item('p2', 49)],
      visitor_id: 'v6',
    }),
    // The previous period (Mar 1–9 … of the same length before): one abandoned cart.
    ev({
      ts: at('2026-03-05', '10:00'),
      type: 'add_to_cart',
      cart_id: 'p1',
      items: [item('p1', 10)],
      visitor_id: 'v7',
    }),
  ];
  await insertRows(s.deps.store, rows);
}, 180_000);
afterAll(() => s.destroy());

const get = async <T>(path: string, status = 200): Promise<T> => {
  const res = await api(s, 'GET', `/api/v1/sites/${site.id}/carts/${path}`, site.api_key);
  const body = await res.text();
  expect(res.status, body).toBe(status);
  return (res.headers.get('content-type')?.includes('json') ? JSON.parse(body) : body) as T;
};

const RANGE = `from=2026-03-10&to=2026-03-19&as_of=${AS_OF}`;

describe('GET …/carts/abandonment', () => {
  it('counts carts by status with rates, values per currency, stages, days and the previous period', async () => {
    const r = await get<CartAbandonmentResponse>(`abandonment?${RANGE}`);
    expect(r).toMatchObject({
      as_of: '2026-03-20T00:00:00.000Z',
      inactivity_timeout: 3600,
      recovery_window: 604800,
    });
    expect(r.totals).toMatchObject({
      carts: 6,
      open: 1,
      empty: 1,
      purchased: 2,
      abandoned: 3,
      recovered: 1,
      abandoned_value: [
        { currency: 'EUR', amount: 69 },
        { currency: 'USD', amount: 5 },
      ],
      lost_value: [
        { currency: 'EUR', amount: 20 },
        { currency: 'USD', amount: 5 },
      ],
      recovered_revenue: [{ currency: 'EUR', amount: 55 }],
    });
    // 3 abandoned of 4 decided carts; statsmodels proportion_confint(3, 4, method='wilson').
    expect(r.totals.abandonment_rate?.rate).toBe(0.75);
    expect(r.totals.abandonment_rate?.low).toBeCloseTo(0.30064, 4);
    expect(r.totals.abandonment_rate?.high).toBeCloseTo(0.95441, 4);
    expect(r.totals.recovery_rate?.rate).toBeCloseTo(1 / 3, 10);
    const stage = Object.fromEntries(r.by_stage.map((x) => [x.stage, x]));
    expect(stage.cart).toMatchObject({ carts: 4, abandoned: 2, recovered: 1, open: 1, empty: 1 });
    expect(stage.checkout).toMatchObject({ carts: 1, abandoned: 1 });
    expect(stage.payment).toMatchObject({ carts: 1, purchased: 1, abandoned: 0 });
    expect(r.daily).toHaveLength(10);
    expect(r.daily[0]).toEqual({
      day: '2026-03-10',
      carts: 2,
      open: 0,
      empty: 0,
      purchased: 1,
      abandoned: 2,
      recovered: 1,
      reporting: null,
    });
    expect(r.daily[1]).toMatchObject({ day: '2026-03-11', carts: 3, purchased: 1, abandoned: 1, empty: 1 });
    expect(r.daily[9]).toMatchObject({ day: '2026-03-19', carts: 1, open: 1 });
    expect(r.previous.totals).toMatchObject({ carts: 1, abandoned: 1 });
    expect(r.previous).toMatchObject({ from: '2026-02-28T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' });
    expect(r.change.carts).toBe(5);
    expect(r.change.abandonment_rate).toBeCloseTo(-0.25, 10);
    expect(r.breakdown).toBeNull();
    // Without rates nothing is converted.
    expect(r.totals.reporting).toBeNull();
    expect(r.by_stage.map((x) => x.reporting)).toEqual([null, null, null, null]);
    expect(r.previous.totals.reporting).toBeNull();
  });

  it('converts every money figure to the reporting currency once the site has rates', async () => {
    const path = `/api/v1/sites/${site.id}/settings/currency-rates`;
    const put = async (rates: unknown) =>
      expect((await api(s, 'PUT', path, site.api_key, rates)).status).toBe(200);
    try {
      // 1 USD = 0.5 EUR. Abandoned: k1 20 EUR, k2 49 EUR (recovered, order 55 EUR), k4 5 USD.
      await put({ reporting_currency: 'EUR', rates: { USD: 0.5 } });
      const r = await get<CartAbandonmentResponse>(`abandonment?${RANGE}&breakdown=channel`);
      const eur = (abandoned_value: number, lost_value: number, recovered_revenue: number) => ({
        currency: 'EUR',
        abandoned_value,
        lost_value,
        recovered_revenue,
        missing_rates: [],
      });
      expect(r.totals.reporting).toEqual(eur(20 + 49 + 2.5, 20 + 2.5, 55));
      const stage = Object.fromEntries(r.by_stage.map((x) => [x.stage, x.reporting]));
      expect(stage).toEqual({
        cart: eur(49 + 2.5, 2.5, 55),
        checkout: eur(20, 20, 0),
        shipping: eur(0, 0, 0),
        payment: eur(0, 0, 0),
      });
      expect(r.daily[0]?.reporting).toEqual(eur(69, 20, 55));
      expect(r.daily[1]?.reporting).toEqual(eur(2.5, 2.5, 0));
      expect(r.daily[9]?.reporting).toEqual(eur(0, 0, 0));
      expect(r.breakdown?.groups.map((g) => [g.value, g.reporting])).toEqual([
        ['direct', eur(49, 0, 55)],
        ['email', eur(20 + 2.5, 20 + 2.5, 0)],
      ]);
      // The previous period: one abandoned cart p1 of 10 EUR.
      expect(r.previous.totals.reporting).toEqual(eur(10, 10, 0));

      // GBP reporting, a rate for EUR only: USD is named and left out of every sum.
      await put({ reporting_currency: 'GBP', rates: { EUR: 0.8 } });
      const g = await get<CartAbandonmentResponse>(`abandonment?${RANGE}`);
      expect(g.totals.reporting).toEqual({
        currency: 'GBP',
        abandoned_value: 55.2,
        lost_value: 16,
        recovered_revenue: 44,
        missing_rates: ['USD'],
      });
      expect(g.daily[0]?.reporting?.missing_rates).toEqual([]);
      expect(g.daily[1]?.reporting).toMatchObject({ abandoned_value: 0, missing_rates: ['USD'] });
      // The list: each cart's value and order revenue, null for a currency without a rate.
      const row = (currency: string, value: number | null, order: number | null, missing: string[]) => ({
        currency,
        value,
        order_revenue: order,
        missing_rates: missing,
      });
      const gl = await get<CartListResponse>(`abandoned?${RANGE}`);
      expect(gl.carts.map((k) => [k.cart_id, k.reporting])).toEqual([
        ['k1', row('GBP', 16, null, [])],
        ['k4', row('GBP', null, null, ['USD'])],
      ]);
      const gr = await get<CartListResponse>(`abandoned?${RANGE}&status=recovered`);
      expect(gr.carts[0]?.reporting).toEqual(row('GBP', 39.2, 44, []));
      await put({ reporting_currency: 'EUR', rates: { USD: 0.5 } });
      const el = await get<CartListResponse>(`abandoned?${RANGE}`);
      expect(el.carts.map((k) => [k.cart_id, k.reporting])).toEqual([
        ['k1', row('EUR', 20, null, [])],
        ['k4', row('EUR', 2.5, null, [])],
      ]);
    } finally {
      expect((await api(s, 'DELETE', path, site.api_key)).status).toBe(204);
    }
  });

  it('breaks down by channel and by experiment variant at the cart’s creation', async () => {
    const ch = await get<CartAbandonmentResponse>(`abandonment?${RANGE}&breakdown=channel`);
    expect(ch.breakdown?.groups.map((g) => [g.value, g.carts, g.abandoned])).toEqual([
      ['direct', 4, 1],
      ['email', 2, 2],
    ]);
    const v = await get<CartAbandonmentResponse>(`abandonment?${RANGE}&breakdown=variant&breakdown_key=cta`);
    expect(v.breakdown).toMatchObject({ by: 'variant', key: 'cta', other_groups: 0 });
    expect(v.breakdown?.groups.map((g) => [g.value, g.carts, g.abandoned, g.recovered])).toEqual([
      ['', 4, 1, 0],
      ['a', 1, 1, 0],
      ['b', 1, 1, 1],
    ]);
  });

  it('takes the timeout and the window as parameters', async () => {
    // With a 4-hour timeout k2 (3 h) is a plain purchase; k6 stays open.
    const r = await get<CartAbandonmentResponse>(`abandonment?${RANGE}&inactivity_timeout=14400`);
    expect(r.totals).toMatchObject({ abandoned: 2, recovered: 0, purchased: 2, open: 1 });
    // With a 1-hour window k2's purchase (2 h after abandonment) is too late to recover it.
    const w = await get<CartAbandonmentResponse>(`abandonment?${RANGE}&recovery_window=3600`);
    expect(w.totals).toMatchObject({ abandoned: 3, recovered: 0, purchased: 2 });
  });

  it('answers bad parameters with a 400 naming them', async () => {
    for (const [q, path] of [
      ['breakdown=variant', 'breakdown_key'],
      ['inactivity_timeout=0', 'inactivity_timeout'],
      ['breakdown=browser_id', 'breakdown'],
      ['as_of=yesterday', 'as_of'],
      ['colour=red', ''],
    ] as const) {
      const res = await api(
        s,
        'GET',
        `/api/v1/sites/${site.id}/carts/abandonment?from=2026-03-10&to=2026-03-19&${q}`,
        site.api_key,
      );
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(body.error.code).toBe('invalid_query');
      if (path) expect(body.error.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('explains itself with its queries', async () => {
    const r = await get<CartAbandonmentResponse>(`abandonment?${RANGE}&breakdown=country&explain=1`);
    expect(r.explain?.map((q) => q.name)).toEqual([
      'getCartDailySums',
      'getCartDailySums',
      'getCartGroupSums',
    ]);
  });
});

describe('GET …/carts/abandoned', () => {
  it('lists abandoned carts with their lines, sorted by value or time, paginated', async () => {
    const r = await get<CartListResponse>(`abandoned?${RANGE}`);
    expect(r.total).toBe(2);
    expect(r.carts.map((k) => k.cart_id)).toEqual(['k1', 'k4']);
    expect(r.carts[0]).toEqual({
      cart_id: 'k1',
      visitor_id: 'v1',
      user_id: 'u1',
      status: 'abandoned',
      value: 20,
      currency: 'EUR',
      stage: 'checkout',
      stage_reached: 'checkout',
      items: [item('p1', 10, 2)],
      created_at: '2026-03-10T10:00:00.000Z',
      last_activity_at: '2026-03-10T10:05:00.000Z',
      abandoned_at: '2026-03-10T11:05:00.000Z',
      order: null,
      reporting: null,
    });
    expect(r.carts[1]?.items).toEqual([item('p4', 5)]);
    const byTime = await get<CartListResponse>(
      `abandoned?${RANGE}&sort=last_activity&order=desc&limit=1&offset=0`,
    );
    expect(byTime.carts.map((k) => k.cart_id)).toEqual(['k4']);
    const next = await get<CartListResponse>(
      `abandoned?${RANGE}&sort=last_activity&order=desc&limit=1&offset=1`,
    );
    expect(next.carts.map((k) => k.cart_id)).toEqual(['k1']);
    const past = await get<CartListResponse>(`abandoned?${RANGE}&limit=1&offset=5`);
    expect(past).toMatchObject({ total: null, carts: [] });
  });

  it('lists recovered and open carts too', async () => {
    const rec = await get<CartListResponse>(`abandoned?${RANGE}&status=recovered`);
    expect(rec.carts).toHaveLength(1);
    expect(rec.carts[0]).toMatchObject({
      cart_id: 'k2',
      stage: 'purchased',
      stage_reached: 'cart',
      order: { order_id: 'o2', purchased_at: '2026-03-10T14:00:00.000Z', revenue: 55, currency: 'EUR' },
    });
    const open = await get<CartListResponse>(`abandoned?${RANGE}&status=open`);
    expect(open.carts.map((k) => [k.cart_id, k.status, k.abandoned_at])).toEqual([['k6', 'open', null]]);
  });

  it('gives CSV', async () => {
    const csv = await get<string>(`abandoned?${RANGE}&format=csv`);
    const [header, ...records] = parse(csv) as string[][];
    expect(header?.slice(0, 6)).toEqual(['cart_id', 'visitor_id', 'user_id', 'status', 'value', 'currency']);
    expect(records.map((r) => [r[0], r[4], r[5]])).toEqual([
      ['k1', '20', 'EUR'],
      ['k4', '5', 'USD'],
    ]);
    expect(JSON.parse(records[0]?.[8] ?? '')).toEqual([item('p1', 10, 2)]);
  });

  it('holds every cart in a CSV without limit (past the 50 of a JSON page); a paged one says what is left', async () => {
    const many = await createSite(s, 'many carts');
    await insertRows(
      s.deps.store,
      Array.from({ length: 60 }, (_, i) =>
        eventRow(many.id, {
          source: 'browser',
          currency: 'EUR',
          ts: at('2026-03-12', '10:00') + i * 1000,
          type: 'add_to_cart',
          cart_id: `m${i}`,
          items: [item('p1', 10)],
          visitor_id: `mv${i}`,
        }),
      ),
    );
    const csv = (q: string) =>
      api(s, 'GET', `/api/v1/sites/${many.id}/carts/abandoned?${RANGE}&format=csv${q}`, many.api_key);
    const all = await csv('');
    expect(parse(await all.text()).slice(1)).toHaveLength(60);
    expect(all.headers.get('x-total-count')).toBe('60');
    expect(all.headers.get('link')).toBeNull();
    const page = await csv('&limit=25&offset=25');
    expect(parse(await page.text()).slice(1)).toHaveLength(25);
    expect(page.headers.get('x-total-count')).toBe('60');
    const next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1] ?? '';
    const rest = await api(s, 'GET', next, many.api_key);
    expect(parse(await rest.text()).slice(1)).toHaveLength(10);
    expect(rest.headers.get('link')).toBeNull();
  });
});
