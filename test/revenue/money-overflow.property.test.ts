/**
 * Every report that sums money, at the largest amount the event schema accepts (±`LIMITS.moneyMax`)
 * and beside small ones, through the real routes on real chdb (issue 25, item 1: one order of
 * 303,701 made `GET …/revenue` answer 500 for good, `Decimal(18, 8)` overflowing in Σ revenue²;
 * the forecast followed, and the carts' order rank overflowed from 9.2 × 10^10). Rows are
 * inserted as stored rows, so the refunds a server may send (negative revenue) are among them.
 *
 * Expected sums are exact (BigInt, in ten-thousandths) and the answer must be within what one
 * conversion to a double, and the route's own adding up of a few such doubles, can change.
 */
import {
  type CartAbandonmentResponse,
  type ExperimentResult,
  LIMITS,
  type RevenueResponse,
} from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

const MAX4 = LIMITS.moneyMax * 10_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 1);
const VARIANT: Record<string, string> = { v1: 'a', v2: 'b', v3: 'a' };
const RANGE = 'from=2026-03-01&to=2026-03-08&tz=UTC';

/** One order: its amount in ten-thousandths, currency, source, visitor, day and cart quantity. */
const orderArb = fc.record({
  amount4: fc.constantFrom(MAX4, -MAX4, MAX4 - 1, -(MAX4 - 1), 1, 125_000, -72_500),
  currency: fc.constantFrom('JPY', 'VND'),
  source: fc.constantFrom('browser', 'server') as fc.Arbitrary<EventRow['source']>,
  visitor: fc.constantFrom('v1', 'v2', 'v3'),
  day: fc.integer({ min: 0, max: 6 }),
  quantity: fc.constantFrom(1, 1_000_000),
});
type Order = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

const asAmount = (x4: number) => x4 / 10_000;

/** The rows of a run: exposures, then per order a cart line, its purchase and a custom event. */
function rowsOf(site: string, orders: Order[]): EventRow[] {
  const rows = Object.entries(VARIANT).map(([v, variant]) =>
    eventRow(site, {
      ts: START,
      visitor_id: v,
      source: 'browser',
      type: 'exposure',
      name: 'money',
      experiments: { money: variant },
    }),
  );
  orders.forEach((o, i) => {
    const t = START + o.day * DAY + HOUR + i * 60_000;
    const common = { visitor_id: o.visitor, source: o.source, currency: o.currency, cart_id: `c${i}` };
    const amount = asAmount(o.amount4);
    const item = { id: 'sku', name: 'x', price: amount, quantity: o.quantity, category: '', variant: '' };
    rows.push(eventRow(site, { ts: t, ...common, type: 'add_to_cart', items: [item] }));
    // Two hours without activity, then the purchase: a recovered cart when its value is > 0.
    rows.push(
      eventRow(site, { ts: t + 2 * HOUR, ...common, type: 'purchase', order_id: `o${i}`, revenue: amount }),
    );
    rows.push(
      eventRow(site, { ts: t, ...common, type: 'custom', name: 'amt', props: { amt: String(amount) } }),
    );
  });
  return rows;
}

/** Σ of ten-thousandths, exact, as the nearest double in currency units. */
const exact = (xs4: bigint[]) => {
  const t = xs4.reduce((a, b) => a + b, 0n);
  const neg = t < 0n;
  const abs = neg ? -t : t;
  return Number(`${neg ? '-' : ''}${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`);
};

/** What adding up n doubles of this magnitude may cost: a few ulps of the largest, per term. */
const slack = (n: number, magnitude: number) => 1e-6 + n * magnitude * 2 ** -50;

const expectNear = (got: number | undefined, want: number, n: number, magnitude: number, what: string) => {
  expect(typeof got, what).toBe('number');
  expect(Math.abs((got as number) - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(
    slack(n, magnitude),
  );
};

async function getJson<T>(site: { id: string; api_key: string }, path: string): Promise<T> {
  const res = await api(s, 'GET', `/api/v1/sites/${site.id}${path}`, site.api_key);
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(200);
  return JSON.parse(text) as T;
}

const byCurrency = <T extends { currency: string }>(xs: readonly T[]) =>
  new Map(xs.map((x) => [x.currency, x]));

it('revenue, forecast, orders, carts and experiment money sums hold at ±LIMITS.moneyMax', async () => {
  let run = 0;
  let extremes = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(orderArb, { minLength: 1, maxLength: 8 }), async (orders) => {
      const site = await createSite(s, `money-${run++}`);
      const key = site.api_key;
      const put = await api(s, 'PUT', `/api/v1/sites/${site.id}/settings/currency-rates`, key, {
        reporting_currency: 'EUR',
        rates: { JPY: LIMITS.currencyRateMax, VND: LIMITS.currencyRateMin },
      });
      expect(put.status).toBe(200);
      await insertRows(s.deps.store, rowsOf(site.id, orders));
      extremes += orders.filter((o) => Math.abs(o.amount4) >= MAX4 - 1).length;
      const currencies = [...new Set(orders.map((o) => o.currency))];
      const of = (cur: string, keep: (o: Order) => boolean = () => true) =>
        orders.filter((o) => o.currency === cur && keep(o));
      const sum = (os: Order[], f: (o: Order) => bigint = (o) => BigInt(o.amount4)) => exact(os.map(f));

      // Revenue: per currency, and converted at the largest and smallest rate.
      for (const q of ['', '&breakdown=channel']) {
        const r = await getJson<RevenueResponse>(site, `/revenue?${RANGE}${q}`);
        const got = byCurrency(r.totals.by_currency);
        for (const cur of currencies) {
          expectNear(got.get(cur)?.revenue, sum(of(cur)), orders.length, LIMITS.moneyMax, `revenue ${cur}`);
          expect(got.get(cur)?.orders).toBe(of(cur).length);
        }
        expect(typeof r.totals.reporting?.revenue).toBe('number');
        for (const d of r.daily)
          expect(d.reporting === null || typeof d.reporting.revenue === 'number').toBe(true);
      }

      // Verified orders: per currency, and by who reported the order.
      const summary = await getJson<{
        by_currency: { currency: string; revenue: number; browser_only: { revenue: number } }[];
      }>(site, `/orders/summary?${RANGE}`);
      const sums = byCurrency(summary.by_currency);
      for (const cur of currencies) {
        expectNear(sums.get(cur)?.revenue, sum(of(cur)), orders.length, LIMITS.moneyMax, `orders ${cur}`);
        const browser = of(cur, (o) => o.source === 'browser');
        expectNear(
          sums.get(cur)?.browser_only.revenue,
          sum(browser),
          orders.length,
          LIMITS.moneyMax,
          `browser ${cur}`,
        );
      }

      // Forecast: these days are its history; every amount a number.
      const f = await getJson<{
        revenue: { currency: string; expected: number; low: number; high: number }[];
      }>(site, '/forecast?as_of=2026-03-08&history_days=14&days=7&tz=UTC');
      for (const x of f.revenue)
        for (const k of ['expected', 'low', 'high'] as const) expect(typeof x[k], k).toBe('number');

      // Carts: a cart of value > 0 bought after two idle hours is recovered (abandoned first).
      const carts = await getJson<CartAbandonmentResponse>(site, `/carts/abandonment?${RANGE}`);
      const value = byCurrency(carts.totals.abandoned_value);
      const recovered = byCurrency(carts.totals.recovered_revenue);
      for (const cur of currencies) {
        const positive = of(cur, (o) => o.amount4 > 0);
        if (positive.length === 0) continue;
        const lines = sum(positive, (o) => BigInt(o.amount4) * BigInt(o.quantity));
        expectNear(
          value.get(cur)?.amount,
          lines,
          positive.length,
          LIMITS.moneyMax * 1e6,
          `cart value ${cur}`,
        );
        expectNear(
          recovered.get(cur)?.amount,
          sum(positive),
          positive.length,
          LIMITS.moneyMax,
          `recovered ${cur}`,
        );
      }

      // Experiments: revenue per visitor (converted) and a property's sum, per variant.
      const saved = await api(s, 'POST', `/api/v1/sites/${site.id}/experiments`, key, {
        key: 'money',
        name: 'Money',
        status: 'running',
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
        control: 'a',
        primary_metric: { kind: 'revenue_per_visitor' },
        secondary_metrics: [
          { kind: 'average_order_value' },
          { kind: 'property_sum', property: 'amt', event: { type: 'custom', name: 'amt' } },
          { kind: 'property_mean', property: 'amt' },
        ],
      });
      expect(saved.status, await saved.text()).toBe(201);
      const e = await getJson<ExperimentResult>(site, `/experiments/money/results?${RANGE}`);
      for (const m of e.metrics) {
        for (const v of m.variants) {
          const mine = orders.filter((o) => VARIANT[o.visitor] === v.variant);
          const sums = v.sums as Record<string, number>;
          for (const [k, x] of Object.entries(sums))
            expect(typeof x, `${m.metric.kind} ${v.variant} ${k}`).toBe('number');
          // The property is not money: its values are summed as they are.
          if (m.metric.kind === 'property_sum')
            expectNear(sums.sum, sum(mine), mine.length, LIMITS.moneyMax, `${m.metric.kind} ${v.variant}`);
          // Revenue is converted order by order to EUR, at the largest and the smallest rate.
          if (m.metric.kind === 'revenue_per_visitor') {
            expect(m.currency).toBe('EUR');
            const jpy = sum(mine.filter((o) => o.currency === 'JPY')) * LIMITS.currencyRateMax;
            const vnd = sum(mine.filter((o) => o.currency === 'VND')) * LIMITS.currencyRateMin;
            const magnitude = LIMITS.moneyMax * LIMITS.currencyRateMax;
            expectNear(sums.sum, jpy + vnd, mine.length + 1, magnitude, `converted ${v.variant}`);
          }
        }
      }
    }),
    { numRuns: 15 },
  );
  expect(extremes).toBeGreaterThan(15);
}, 600_000);
