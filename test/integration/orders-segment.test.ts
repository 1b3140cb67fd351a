import type { CollectEvent, OrdersSummaryResponse } from '@funnelhouse/schemas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { daysAgo, postEvents } from '../helpers/server-events.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const purchase = (order: string, revenue: number, session: string): CollectEvent => ({
  id: `${order}-${session}`,
  type: 'purchase',
  ts: Date.now() - 1000,
  url: 'https://shop.example/thanks',
  visitor_id: `v-${session}`,
  session_id: session,
  order_id: order,
  revenue,
  currency: 'EUR',
});

async function summary(site: { id: string; api_key: string }, extra = ''): Promise<OrdersSummaryResponse> {
  const q = `from=${daysAgo(1).day}&to=${daysAgo(0).day}${extra}`;
  const res = await fetch(`${s.url}/api/v1/sites/${site.id}/orders/summary?${q}`, {
    headers: { authorization: `Bearer ${site.api_key}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as OrdersSummaryResponse;
}

it('narrowed to a segment: the orders of its sessions, each still with its server figure', async () => {
  const site = await createSite(s);
  const events: CollectEvent[] = [
    pageview({
      visitor_id: 'v-a',
      session_id: 'a',
      url: 'https://shop.example/promo',
      ts: Date.now() - 5000,
    }),
    purchase('o-1', 10, 'a'),
    pageview({ visitor_id: 'v-b', session_id: 'b', url: 'https://shop.example/home', ts: Date.now() - 5000 }),
    purchase('o-2', 20, 'b'),
  ];
  expect((await postCollect(s, batch(site.site_key, events))).status).toBe(202);
  // The payment system confirms o-1 at 12 EUR and reports o-3, which no page ever saw.
  const server = [
    { ...purchase('o-1', 12, 'srv'), id: 'o-1-paid', session_id: undefined },
    { ...purchase('o-3', 30, 'srv'), id: 'o-3-paid', session_id: undefined },
  ];
  const posted = await postEvents(s, site.id, site.api_key, server);
  expect(posted.body.results.map((r) => r.status)).toEqual(['stored', 'stored']);
  await s.deps.ingest.drained();

  const all = await summary(site);
  expect(all.totals).toEqual({ orders: 3, browser_only: 1, server_confirmed: 1, server_only: 1 });
  const promo = await summary(site, '&path=/promo');
  expect(promo.totals).toEqual({ orders: 1, browser_only: 0, server_confirmed: 1, server_only: 0 });
  expect(promo.by_currency.map((c) => [c.currency, c.revenue])).toEqual([['EUR', 12]]);
  const home = await summary(site, '&path=/home');
  expect(home.totals).toEqual({ orders: 1, browser_only: 1, server_confirmed: 0, server_only: 0 });
  expect(home.by_currency[0]?.revenue).toBe(20);
  expect((await summary(site, '&path=/nowhere')).totals.orders).toBe(0);
  const bad = await fetch(`${s.url}/api/v1/sites/${site.id}/orders/summary?range=7d&path=`, {
    headers: { authorization: `Bearer ${site.api_key}` },
  });
  expect(bad.status).toBe(400);
});
