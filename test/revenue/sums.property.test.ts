import { type EventRow, getRevenueOrderSums, getRevenueVisitorSums } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { oracleRevenue } from './oracle.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

const BASE = Date.UTC(2026, 2, 10);
const HOUR = 3_600_000;

/** Few visitors, orders and channels over three days; repeated order ids from browser and server. */
const eventsArb = fc.array(
  fc.record({
    ts: fc
      .tuple(fc.integer({ min: -6, max: 72 }), fc.constantFrom(0, 0, 1))
      .map(([h, ms]) => BASE + h * HOUR + ms),
    late: fc.constantFrom(0, 0, 5000),
    visitor_id: fc.constantFrom('v1', 'v2', 'v3', 'v4', ''),
    channel: fc.constantFrom('direct', 'email', 'social'),
    what: fc.oneof(
      fc.constant({ type: 'pageview' }),
      fc.record({
        type: fc.constant('purchase'),
        order_id: fc.constantFrom('o1', 'o2', 'o3', ''),
        revenue: fc.constantFrom(0, 10, 25.5),
        currency: fc.constantFrom('EUR', 'USD'),
        source: fc.constantFrom('browser', 'browser', 'server') as fc.Arbitrary<EventRow['source']>,
      }),
    ),
  }),
  { maxLength: 30 },
);

it('ClickHouse and the oracle agree on revenue and visitor sums per channel and day, read from events and from the hourly rollups', async () => {
  const runId = nanoid(6);
  let run = 0;
  let orders = 0;
  await fc.assert(
    fc.asyncProperty(
      eventsArb,
      fc.constantFrom(0, 12, 24),
      fc.constantFrom(24, 48),
      async (xs, fromH, spanH) => {
        const site = `rev-${runId}-${run++}`;
        const rows = xs.map((x) =>
          eventRow(site, {
            ts: x.ts,
            received_at: x.ts + x.late,
            visitor_id: x.visitor_id,
            channel: x.channel,
            source: 'browser',
            ...x.what,
          } as Partial<EventRow> & { ts: number }),
        );
        await insertRows(s.deps.store, rows);
        const range = { site, fromMs: BASE + fromH * HOUR, toMs: BASE + (fromH + spanH) * HOUR, tz: 'UTC' };
        const want = oracleRevenue(rows, range, (r) => r.channel);
        const db = s.deps.store.analytics;
        // The range is on whole hours: both forms answer it.
        for (const form of ['events', 'hours'] as const) {
          const o = await getRevenueOrderSums(db, range, { dim: 'channel', key: '', form });
          const v = await getRevenueVisitorSums(db, range, { dim: 'channel', key: '', form });
          expect(
            o.map((r) => `${r.dim}|${r.day}|${r.currency}|${r.orders}|${Math.round(r.revenue * 1e4)}`).sort(),
          ).toEqual(want.orders);
          expect(v.map((r) => `${r.dim}|${r.day}|${r.visitors}|${r.buyers}`).sort()).toEqual(want.visitors);
          if (form === 'events') orders += o.reduce((n, r) => n + r.orders, 0);
        }
      },
    ),
    { numRuns: 100 },
  );
  expect(orders).toBeGreaterThan(35);
}, 300_000);
