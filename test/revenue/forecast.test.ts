import type { ForecastResponse } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
/** Visitors per weekday (Sunday first): a quiet weekend. Every 25th visitor buys one 40 EUR order. */
const WEEK = [20, 50, 50, 60, 50, 50, 20];
const FIRST = '2026-03-02'; // a Monday: the forecast starts here; history is the 56 days before.
const DAY = 86_400_000;

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const rows: EventRow[] = [];
  let n = 0;
  const start = Date.parse(`${FIRST}T00:00:00Z`) - 56 * DAY;
  for (let d = 0; d < 56; d++) {
    const t = start + d * DAY;
    const visitors = WEEK[new Date(t).getUTCDay()] as number;
    for (let v = 0; v < visitors; v++) {
      n += 1;
      const visitor_id = `v${n}`;
      rows.push(eventRow(site.id, { ts: t + 3_600_000 + v * 1000, visitor_id, source: 'browser' }));
      if (n % 25 === 0)
        rows.push(
          eventRow(site.id, {
            ts: t + 3_600_000 + v * 1000 + 500,
            visitor_id,
            type: 'purchase',
            order_id: `o${n}`,
            revenue: 40,
            currency: 'EUR',
            source: 'browser',
          }),
        );
    }
  }
  await insertRows(s.deps.store, rows);
}, 180_000);
afterAll(() => s.destroy());

it('forecasts from the weekday pattern and the history’s rate, and sizes traffic for a target', async () => {
  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/forecast?as_of=${FIRST}&days=7&target_orders=100&explain=1`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  const f = (await res.json()) as ForecastResponse;
  const visitors = 8 * WEEK.reduce((a, b) => a + b, 0);
  const orders = Math.floor(visitors / 25);
  expect(f.history).toEqual({ from: '2026-01-05', to: '2026-03-01', days: 56, visitors, orders });
  expect(f.horizon).toEqual({ from: FIRST, to: '2026-03-08', days: 7 });
  const rate = (0.5 + orders) / visitors;
  expect(f.conversion_rate?.rate).toBeCloseTo(rate, 12);
  // Monday first: the daily traffic is the weekday pattern itself.
  expect(f.daily.map((d) => d.visitors)).toEqual([50, 50, 60, 50, 50, 20, 20]);
  expect(f.status).toBe('ok');
  expect(f.visitors?.expected).toBe(300);
  expect(f.orders?.expected).toBeCloseTo(300 * rate, 9);
  expect(f.orders?.low).toBeLessThan(f.orders?.expected ?? 0);
  expect(f.orders?.high).toBeGreaterThan(f.orders?.expected ?? 0);
  expect(f.revenue).toHaveLength(1);
  expect(f.revenue[0]?.currency).toBe('EUR');
  expect(f.revenue[0]?.expected).toBeCloseTo(300 * rate * 40, 6);
  expect(f.reporting).toBeNull();
  expect(f.target).toMatchObject({
    orders: 100,
    visitors_needed: Math.ceil(100 / rate),
    expected_visitors: 300,
  });
  expect(f.target?.visitors_needed_90).toBeGreaterThan(f.target?.visitors_needed ?? 0);
  expect(f.explain?.map((q) => q.name)).toEqual(['getRevenueVisitorSums', 'getRevenueOrderSums']);
  expect(f.model).toContain('Jeffreys');

  const bad = await api(s, 'GET', `/api/v1/sites/${site.id}/forecast?days=0`, site.api_key);
  expect(bad.status).toBe(400);
});

/** A site with `days` days of 30 visitors each, ending the day before FIRST (an 8-week window). */
async function siteWithDays(days: number): Promise<{ id: string; api_key: string }> {
  const short = await createSite(s, `short ${days}`);
  const rows: EventRow[] = [];
  const end = Date.parse(`${FIRST}T00:00:00Z`);
  for (let d = days; d >= 1; d--) {
    for (let v = 0; v < 30; v++)
      rows.push(
        eventRow(short.id, { ts: end - d * DAY + v * 1000, visitor_id: `d${d}v${v}`, source: 'browser' }),
      );
  }
  await insertRows(s.deps.store, rows);
  return short;
}

it('converts the expected revenue to the reporting currency once the site has rates', async () => {
  // 14 days of 30 visitors; each day three of them buy: 10 EUR, 20 USD, 7 GBP.
  const shop = await siteWithDays(14);
  const end = Date.parse(`${FIRST}T00:00:00Z`);
  const buys = [
    ['EUR', 10],
    ['USD', 20],
    ['GBP', 7],
  ] as const;
  const orders: EventRow[] = [];
  for (let d = 14; d >= 1; d--)
    for (const [v, [currency, revenue]] of buys.entries())
      orders.push(
        eventRow(shop.id, {
          ts: end - d * DAY + v * 1000 + 500,
          visitor_id: `d${d}v${v}`,
          type: 'purchase',
          order_id: `o${d}-${currency}`,
          revenue,
          currency,
          source: 'browser',
        }),
      );
  await insertRows(s.deps.store, orders);
  const path = `/api/v1/sites/${shop.id}/settings/currency-rates`;
  const read = async () =>
    (await (
      await api(s, 'GET', `/api/v1/sites/${shop.id}/forecast?as_of=${FIRST}&days=7`, shop.api_key)
    ).json()) as ForecastResponse;
  const before = await read();
  expect(before.reporting).toBeNull();
  const exp = Object.fromEntries(before.revenue.map((r) => [r.currency, r.expected]));
  expect(Object.keys(exp).sort()).toEqual(['EUR', 'GBP', 'USD']);
  const [eur, usd, gbp] = [exp.EUR ?? 0, exp.USD ?? 0, exp.GBP ?? 0];
  expect(eur).toBeGreaterThan(0);

  const put = (body: unknown) => api(s, 'PUT', path, shop.api_key, body);
  expect((await put({ reporting_currency: 'USD', rates: { EUR: 2, GBP: 1.25 } })).status).toBe(200);
  const all = await read();
  expect(all.revenue).toEqual(before.revenue);
  expect(all.reporting?.currency).toBe('USD');
  expect(all.reporting?.revenue).toBeCloseTo(2 * eur + usd + 1.25 * gbp, 4);
  expect(all.reporting?.missing_rates).toEqual([]);

  // GBP has no rate: named, and left out of the sum.
  expect((await put({ reporting_currency: 'EUR', rates: { USD: 0.5 } })).status).toBe(200);
  const some = await read();
  expect(some.reporting?.currency).toBe('EUR');
  expect(some.reporting?.revenue).toBeCloseTo(eur + 0.5 * usd, 4);
  expect(some.reporting?.missing_rates).toEqual(['GBP']);

  expect((await put({ reporting_currency: 'JPY', rates: {} })).status).toBe(200);
  expect((await read()).reporting).toEqual({
    currency: 'JPY',
    revenue: 0,
    missing_rates: ['EUR', 'GBP', 'USD'],
  });
  expect((await api(s, 'DELETE', path, shop.api_key)).status).toBe(204);
  expect((await read()).reporting).toBeNull();
});

it('says "not enough history" below 14 days from the first day with data, and forecasts from 14', async () => {
  const read = async (short: { id: string; api_key: string }) => {
    const res = await api(
      s,
      'GET',
      `/api/v1/sites/${short.id}/forecast?as_of=${FIRST}&days=7&target_orders=5`,
      short.api_key,
    );
    expect(res.status).toBe(200);
    return (await res.json()) as ForecastResponse;
  };
  // Two days out of an 8-week window: the model used to average them with 54 empty days and
  // predict 0 visitors on every weekday it had not seen.
  for (const days of [2, 13]) {
    const f = await read(await siteWithDays(days));
    expect(f).toMatchObject({
      status: 'not_enough_history',
      min_history_days: 14,
      history: { days, visitors: 30 * days, orders: 0 },
      visitors: null,
      orders: null,
      conversion_rate: null,
      revenue: [],
      reporting: null,
      daily: [],
      target: null,
    });
  }
  const f = await read(await siteWithDays(14));
  expect(f.status).toBe('ok');
  expect(f.history).toMatchObject({ from: '2026-02-16', to: '2026-03-01', days: 14 });
  expect(f.daily.map((d) => d.visitors)).toEqual([30, 30, 30, 30, 30, 30, 30]);
  expect(f.visitors?.expected).toBe(210);
});

it('takes as_of only as a real calendar date in 2000–2099, the years every report range takes', async () => {
  const forecast = (asOf: string) =>
    api(s, 'GET', `/api/v1/sites/${site.id}/forecast?as_of=${asOf}&days=7`, site.api_key);
  // Each was a 500 (months and days out of range, year 1000), a history from year 3811 (0000-01-01)
  // or an echo of a day that does not exist (2026-02-30).
  for (const asOf of [
    '2026-13-01',
    '2026-00-10',
    '2026-12-32',
    '2026-02-30',
    '1000-01-01',
    '0000-01-01',
    '2100-01-01',
    '1999-12-31',
  ]) {
    const res = await forecast(asOf);
    expect(res.status, asOf).toBe(400);
    const { error } = (await res.json()) as {
      error: { code: string; issues: { path: string; code: string }[] };
    };
    expect(error.code).toBe('invalid_query');
    expect(error.issues).toEqual([expect.objectContaining({ path: 'as_of', code: 'invalid_date' })]);
  }
  for (const asOf of ['2000-01-01', '2028-02-29', '2099-12-31']) {
    const res = await forecast(asOf);
    expect(res.status, asOf).toBe(200);
    expect(((await res.json()) as ForecastResponse).horizon.from).toBe(asOf);
  }
});
