import type { RevenueResponse } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00Z`);

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const ev = (visitor_id: string, over: Partial<EventRow> & { ts: number }) =>
    eventRow(site.id, { source: 'browser', visitor_id, ...over });
  const buy = (
    v: string,
    ts: number,
    order_id: string,
    revenue: number,
    currency: string,
    source: EventRow['source'] = 'browser',
  ) => ev(v, { ts, type: 'purchase', order_id, revenue, currency, source });
  const rows: EventRow[] = [
    ev('v1', { ts: at('2026-03-10', '09:00'), channel: 'email', experiments: {} }),
    ev('v1', { ts: at('2026-03-10', '09:30'), type: 'exposure', name: 'cta', experiments: { cta: 'a' } }),
    buy('v1', at('2026-03-10', '10:00'), 'o1', 20, 'EUR'),
    // The server's figure wins for o1.
    buy('v1', at('2026-03-10', '10:06'), 'o1', 22, 'EUR', 'server'),
    ev('v2', { ts: at('2026-03-10', '11:00') }),
    buy('v2', at('2026-03-11', '11:00'), 'o2', 10, 'USD'),
    ev('v3', { ts: at('2026-03-11', '12:00') }),
    ev('v4', { ts: at('2026-03-11', '13:00'), channel: 'paid_search' }),
    buy('v4', at('2026-03-11', '13:10'), 'o3', 30, 'EUR'),
    // The browser sends o3 twice (a reload): one order.
    buy('v4', at('2026-03-11', '13:11'), 'o3', 30, 'EUR'),
    // A server-only order without a visitor.
    buy('', at('2026-03-11', '15:00'), 'o4', 50, 'GBP', 'server'),
    // Outside the range.
    buy('v4', at('2026-03-12', '10:00'), 'o5', 1000, 'EUR'),
  ];
  await insertRows(s.deps.store, rows);
}, 180_000);
afterAll(() => s.destroy());

const RANGE = 'from=2026-03-10&to=2026-03-11';
const get = async (q: string, status = 200) => {
  const res = await api(s, 'GET', `/api/v1/sites/${site.id}/revenue?${RANGE}&${q}`, site.api_key);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as RevenueResponse;
};

describe('GET …/revenue', () => {
  it('counts orders once with the server’s figure, per currency, with conversion, AOV and revenue per visitor', async () => {
    const r = await get('');
    expect(r.totals).toMatchObject({ visitors: 4, buyers: 3, orders: 4, reporting: null });
    expect(r.totals.by_currency).toEqual([
      { currency: 'EUR', orders: 2, revenue: 52, average_order_value: 26, revenue_per_visitor: 13 },
      { currency: 'GBP', orders: 1, revenue: 50, average_order_value: 50, revenue_per_visitor: 12.5 },
      { currency: 'USD', orders: 1, revenue: 10, average_order_value: 10, revenue_per_visitor: 2.5 },
    ]);
    expect(r.totals.conversion_rate).toMatchObject({ rate: 0.75 });
    expect(r.totals.conversion_rate?.low).toBeCloseTo(0.30064, 4);
    expect(r.daily.map((d) => [d.day, d.visitors, d.buyers, d.orders])).toEqual([
      ['2026-03-10', 2, 1, 1],
      ['2026-03-11', 3, 2, 3],
    ]);
    expect(r.daily[0]?.by_currency).toEqual([
      { currency: 'EUR', orders: 1, revenue: 22, average_order_value: 22, revenue_per_visitor: 11 },
    ]);
  });

  it('breaks down by the visitor’s first channel and by variant', async () => {
    const r = await get('breakdown=channel');
    expect(r.breakdown?.groups.map((g) => [g.value, g.visitors, g.buyers, g.orders])).toEqual([
      ['direct', 2, 1, 1],
      ['email', 1, 1, 1],
      ['paid_search', 1, 1, 1],
      ['', 0, 0, 1],
    ]);
    const v = await get('breakdown=variant&breakdown_key=cta');
    expect(
      v.breakdown?.groups.map((g) => [g.value, g.visitors, g.orders, g.by_currency[0]?.revenue]),
    ).toEqual([
      ['', 3, 3, 50],
      ['a', 1, 1, 22],
    ]);
    await get('breakdown=variant', 400);
    await get('breakdown=os', 400);
  });

  it('converts to the reporting currency with the rates the owner sets', async () => {
    const path = `/api/v1/sites/${site.id}/settings/currency-rates`;
    expect(await (await api(s, 'GET', path, site.api_key)).json()).toEqual({ currency_rates: null });
    const bad = await api(s, 'PUT', path, site.api_key, { reporting_currency: 'eur', rates: { USD: -1 } });
    expect(bad.status).toBe(400);
    const rates = { reporting_currency: 'EUR', rates: { USD: 0.5 } };
    const put = await api(s, 'PUT', path, site.api_key, rates);
    expect(put.status).toBe(200);
    expect(await (await api(s, 'GET', path, site.api_key)).json()).toEqual({ currency_rates: rates });
    const r = await get('');
    expect(r.totals.reporting).toEqual({
      currency: 'EUR',
      revenue: 57,
      average_order_value: 19,
      revenue_per_visitor: 14.25,
      missing_rates: ['GBP'],
    });
    expect((await api(s, 'DELETE', path, site.api_key)).status).toBe(204);
    expect((await get('')).totals.reporting).toBeNull();
  });
});
