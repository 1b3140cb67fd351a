import type { CollectEvent, OrdersSummaryResponse } from '@funnelhouse/schemas';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch } from '../helpers/events.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { daysAgo, postEvents } from '../helpers/server-events.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

function purchase(orderId: string, revenue: number, currency = 'EUR', ts = Date.now() - 1000): CollectEvent {
  return {
    id: nanoid(),
    type: 'purchase',
    ts,
    url: 'https://shop.example/thanks',
    visitor_id: 'v-1',
    session_id: 's-1',
    order_id: orderId,
    revenue,
    currency,
  };
}

async function summary(site: { id: string; api_key: string }): Promise<OrdersSummaryResponse> {
  const res = await fetch(
    `${s.url}/api/v1/sites/${site.id}/orders/summary?from=${daysAgo(1).day}&to=${daysAgo(0).day}`,
    { headers: { authorization: `Bearer ${site.api_key}` } },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as OrdersSummaryResponse;
}

describe('verified orders', () => {
  it('counts a purchase reported by the browser and by the server once, with the server revenue', async () => {
    const site = await createSite(s);
    expect((await postCollect(s, batch(site.site_key, [purchase('o-1', 59.9)]))).status).toBe(202);
    const server = await postEvents(s, site.id, site.api_key, [purchase('o-1', 59.95)]);
    expect(server.body.accepted).toBe(1);
    await postCollect(s, batch(site.site_key, [purchase('o-2', 10)])); // browser only
    await postEvents(s, site.id, site.api_key, [purchase('o-3', 5)]); // webhook only

    const sum = await summary(site);
    expect(sum.totals).toEqual({ orders: 3, browser_only: 1, server_confirmed: 1, server_only: 1 });
    expect(sum.by_currency).toEqual([
      {
        currency: 'EUR',
        orders: 3,
        revenue: 74.95,
        browser_only: { orders: 1, revenue: 10 },
        server_confirmed: { orders: 1, revenue: 59.95 },
        server_only: { orders: 1, revenue: 5 },
      },
    ]);
    expect(sum.reporting).toBeNull();
  });

  it('converts revenue to the reporting currency once the site has rates', async () => {
    const site = await createSite(s);
    await postCollect(
      s,
      batch(site.site_key, [purchase('e-1', 10), purchase('u-1', 7, 'USD'), purchase('c-1', 6, 'USD')]),
    );
    await postEvents(s, site.id, site.api_key, [
      purchase('u-2', 4, 'USD'),
      purchase('c-1', 6, 'USD'),
      purchase('g-1', 99, 'GBP'),
    ]);
    expect((await summary(site)).reporting).toBeNull();
    const path = `${s.url}/api/v1/sites/${site.id}/settings/currency-rates`;
    const put = await fetch(path, {
      method: 'PUT',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reporting_currency: 'EUR', rates: { USD: 0.5 } }),
    });
    expect(put.status).toBe(200);
    // EUR 10 (browser) + USD 7 (browser) × 0.5 + USD 6 (both) × 0.5 + USD 4 (server) × 0.5; GBP has no rate.
    expect((await summary(site)).reporting).toEqual({
      currency: 'EUR',
      orders: 4,
      revenue: 18.5,
      browser_only: 13.5,
      server_confirmed: 3,
      server_only: 2,
      missing_rates: ['GBP'],
    });
  });

  it('takes the first received report, and within one request the smaller amount', async () => {
    const site = await createSite(s);
    // One request, two reports of o-1 (received together): 80 counts, not 95 (whose event id sorts first).
    const twice = [
      { ...purchase('o-1', 95), id: `a-${nanoid()}` },
      { ...purchase('o-1', 80), id: `b-${nanoid()}` },
    ];
    await postCollect(s, batch(site.site_key, twice));
    // o-2: a first request with 30, a later one with 12: the first received (30) counts.
    await postCollect(s, batch(site.site_key, [purchase('o-2', 30)]));
    await new Promise((r) => setTimeout(r, 20));
    await postCollect(s, batch(site.site_key, [purchase('o-2', 12)]));
    const sum = await summary(site);
    expect(sum.totals.orders).toBe(2);
    expect(sum.by_currency[0]?.revenue).toBe(110);
  });

  it('matches a brute-force oracle over random mixes of browser, server and repeated reports', async () => {
    // Per order: how many purchase events each side sends (repeats = retries with new event ids).
    const order = fc.record({
      browser: fc.integer({ min: 0, max: 2 }),
      server: fc.integer({ min: 0, max: 2 }),
      browserRevenue: fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
      serverRevenue: fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
      currency: fc.constantFrom('EUR', 'USD'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 1, maxLength: 8 }), async (orders) => {
        const site = await createSite(s);
        const browser: CollectEvent[] = [];
        const server: CollectEvent[] = [];
        orders.forEach((o, i) => {
          for (let k = 0; k < o.browser; k++) browser.push(purchase(`o${i}`, o.browserRevenue, o.currency));
          for (let k = 0; k < o.server; k++) server.push(purchase(`o${i}`, o.serverRevenue, o.currency));
        });
        if (browser.length > 0)
          expect((await postCollect(s, batch(site.site_key, browser))).status).toBe(202);
        if (server.length > 0) expect((await postEvents(s, site.id, site.api_key, server)).status).toBe(200);
        expect(await summary(site)).toEqual(oracle(site.id, orders));
      }),
      { numRuns: 15 },
    );
  });
});

type OracleOrder = {
  browser: number;
  server: number;
  browserRevenue: number;
  serverRevenue: number;
  currency: string;
};

/** Straight from the definition: an order exists if any side reported it; the server's figure wins. */
function oracle(siteId: string, orders: OracleOrder[]): OrdersSummaryResponse {
  const by = new Map<string, OrdersSummaryResponse['by_currency'][number]>();
  const totals = { orders: 0, browser_only: 0, server_confirmed: 0, server_only: 0 };
  const cents = (x: number) => Math.round(x * 100);
  for (const o of orders) {
    if (o.browser + o.server === 0) continue;
    const kind = o.server === 0 ? 'browser_only' : o.browser === 0 ? 'server_only' : 'server_confirmed';
    const revenue = o.server > 0 ? o.serverRevenue : o.browserRevenue;
    const zero = { orders: 0, revenue: 0 };
    const c = by.get(o.currency) ?? {
      currency: o.currency,
      orders: 0,
      revenue: 0,
      browser_only: { ...zero },
      server_confirmed: { ...zero },
      server_only: { ...zero },
    };
    c.orders++;
    c.revenue = (cents(c.revenue) + cents(revenue)) / 100;
    c[kind].orders++;
    c[kind].revenue = (cents(c[kind].revenue) + cents(revenue)) / 100;
    by.set(o.currency, c);
    totals.orders++;
    totals[kind]++;
  }
  const byCurrency = [...by.values()].sort(
    (a, b) => b.orders - a.orders || a.currency.localeCompare(b.currency),
  );
  return {
    site_id: siteId,
    from: daysAgo(1).day,
    to: daysAgo(0).day,
    tz: 'UTC',
    totals,
    by_currency: byCurrency,
    reporting: null,
  };
}
