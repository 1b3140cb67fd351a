import type { AttributionResponse } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00Z`);

/**
 * v1: an email visit 8 days before buying and a direct visit 1 day before, then the order (60 EUR)
 * in that direct session; v2: one search visit and its order (40 USD); o3: a server order (10 EUR)
 * without a visitor; v3: a social visit and no order.
 */
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const ev = (visitor_id: string, session_id: string, over: Partial<EventRow> & { ts: number }) =>
    eventRow(site.id, { source: 'browser', visitor_id, session_id, ...over });
  const rows: EventRow[] = [
    ev('v1', 'a', { ts: at('2026-03-02', '10:00'), channel: 'email', utm_source: 'news' }),
    ev('v1', 'b', { ts: at('2026-03-09', '10:00'), channel: 'direct' }),
    ev('v1', 'b', {
      ts: at('2026-03-10', '09:00'),
      type: 'purchase',
      order_id: 'o1',
      revenue: 60,
      currency: 'EUR',
    }),
    ev('v2', 'c', { ts: at('2026-03-10', '11:00'), channel: 'search' }),
    ev('v2', 'c', {
      ts: at('2026-03-10', '11:02'),
      type: 'purchase',
      order_id: 'o2',
      revenue: 40,
      currency: 'USD',
    }),
    ev('', '', {
      ts: at('2026-03-10', '12:00'),
      type: 'purchase',
      order_id: 'o3',
      revenue: 10,
      currency: 'EUR',
      source: 'server',
    }),
    ev('v3', 'd', { ts: at('2026-03-10', '13:00'), channel: 'social' }),
  ];
  await insertRows(s.deps.store, rows);
}, 180_000);
afterAll(() => s.destroy());

const RANGE = 'from=2026-03-09&to=2026-03-10';
const get = async (q: string, status = 200) => {
  const res = await api(s, 'GET', `/api/v1/sites/${site.id}/attribution?${RANGE}&${q}`, site.api_key);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as AttributionResponse & { error?: { code: string; issues: { path: string }[] } };
};
const credits = (r: AttributionResponse, model: string) =>
  Object.fromEntries(
    (r.models.find((m) => m.model === model)?.rows ?? []).map((x) => [String(x.value), x.conversions]),
  );

describe('GET …/attribution', () => {
  it('credits each order under the six models side by side; an order without touch goes to null', async () => {
    const r = await get('');
    expect(r.totals).toEqual({
      orders: 3,
      with_touch: 2,
      touches: 3,
      by_currency: [
        { currency: 'EUR', orders: 2, revenue: 70 },
        { currency: 'USD', orders: 1, revenue: 40 },
      ],
    });
    expect(credits(r, 'first_touch')).toEqual({ email: 1, search: 1, direct: 0, null: 1 });
    expect(credits(r, 'last_touch')).toEqual({ email: 0, search: 1, direct: 1, null: 1 });
    expect(credits(r, 'last_non_direct')).toEqual({ email: 1, search: 1, direct: 0, null: 1 });
    expect(credits(r, 'linear')).toEqual({ email: 0.5, search: 1, direct: 0.5, null: 1 });
    expect(credits(r, 'position_based')).toEqual({ email: 0.5, search: 1, direct: 0.5, null: 1 });
    // Email 7 days older than the direct visit: half its weight, 1/3 against 2/3.
    expect(credits(r, 'time_decay')).toEqual({ email: 0.3333, search: 1, direct: 0.6667, null: 1 });
    const linear = r.models.find((m) => m.model === 'linear');
    expect(linear?.rows.find((x) => x.value === 'email')).toMatchObject({
      share: 0.5 / 3,
      by_currency: [{ currency: 'EUR', revenue: 30, revenue_per_visitor: null }],
      visitors: 0, // the email session is before the range
    });
    expect(linear?.rows.find((x) => x.value === 'direct')).toMatchObject({
      visitors: 1,
      by_currency: [{ currency: 'EUR', revenue: 30, revenue_per_visitor: 30 }],
    });
    // Ties by the path's text: [] (no touch) after the named ones.
    expect(r.paths).toEqual([
      { path: ['email', 'direct'], orders: 1, share: 1 / 3, median_ms_to_order: 8 * 86_400_000 - 3_600_000 },
      { path: ['search'], orders: 1, share: 1 / 3, median_ms_to_order: 120_000 },
      { path: [], orders: 1, share: 1 / 3, median_ms_to_order: null },
    ]);
  });

  it('takes the lookback, the dimension, the limit and the site’s rates', async () => {
    const short = await get('lookback_days=7');
    expect(credits(short, 'first_touch')).toEqual({ direct: 1, search: 1, null: 1 });
    const bySource = await get('dimension=utm_source');
    expect(credits(bySource, 'first_touch')).toEqual({ news: 1, '': 1, null: 1 });
    const one = await get('limit=1');
    expect(one.models[0]?.rows.map((x) => x.value)).toEqual(['search', 'Other']);
    expect(one.models[0]?.other_values).toBe(3);
    const rates = await api(s, 'PUT', `/api/v1/sites/${site.id}/settings/currency-rates`, site.api_key, {
      reporting_currency: 'EUR',
      rates: { USD: 0.5 },
    });
    expect(rates.status).toBe(200);
    const conv = await get('');
    const search = conv.models[0]?.rows.find((x) => x.value === 'search');
    expect(search?.reporting).toEqual({
      currency: 'EUR',
      revenue: 20,
      revenue_per_visitor: 20,
      missing_rates: [],
    });
  });

  it('refuses shares over 1, unknown keys and a bad dimension with a 400 naming the parameter', async () => {
    const over = await get('position_first=0.7&position_last=0.5', 400);
    expect(over.error?.code).toBe('invalid_query');
    expect(over.error?.issues[0]?.path).toBe('position_last');
    expect((await get('dimensions=channel', 400)).error?.code).toBe('invalid_query');
    expect((await get('dimension=country', 400)).error?.issues[0]?.path).toBe('dimension');
  });

  it('explains with its two queries, every value bound', async () => {
    const r = (await get('explain=1')) as AttributionResponse & {
      explain: { name: string; params: object }[];
    };
    expect(r.explain.map((q) => q.name)).toEqual(['getAttributionTouches', 'getAttributionVisitors']);
    const params = r.explain[0]?.params as { site: string; from_ms: number; touch_from_ms: number };
    expect(params.site).toBe(site.id);
    // Sessions are read from the lookback's start; each order's window is cut in the shaping.
    expect(params.from_ms - params.touch_from_ms).toBe(30 * 86_400_000);
  });
});
