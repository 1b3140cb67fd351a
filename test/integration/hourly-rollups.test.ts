import { select } from '@funnelhouse/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trace } from '../../server/src/clickhouse/query.ts';
import { getOrdersSummary } from '../../server/src/queries/getOrdersSummary.ts';
import { getOverviewCounts } from '../../server/src/queries/getOverviewCounts.ts';
import { getTopValues } from '../../server/src/queries/getTopValues.ts';
import { getRevenueOrderSums } from '../../server/src/revenue/queries/getRevenueOrderSums.ts';
import { getRevenueVisitorSums } from '../../server/src/revenue/queries/getRevenueVisitorSums.ts';
import { onWholeHours } from '../../server/src/sql/range.ts';
import { rollupSource } from '../../server/src/sql/segment.ts';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The overview reads the hourly rollups (projections of migration 014) when its range is on whole
 * hours and it has no segment, and they give exactly what the events give.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2026, 9, 5);

describe('onWholeHours', () => {
  const r = (fromMs: number, toMs: number, tz: string) => ({ site: 's', fromMs, toMs, tz });
  it('takes ranges on the hour in zones offset by whole hours, and nothing else', () => {
    expect(onWholeHours(r(BASE, BASE + 7 * DAY, 'UTC'))).toBe(true);
    expect(onWholeHours(r(BASE + 4 * HOUR, BASE + 30 * DAY + 4 * HOUR, 'America/New_York'))).toBe(true);
    expect(onWholeHours(r(BASE + 1, BASE + DAY, 'UTC'))).toBe(false);
    expect(onWholeHours(r(BASE, BASE + DAY - 60_000, 'UTC'))).toBe(false);
    expect(onWholeHours(r(BASE - 5 * HOUR, BASE + DAY - 5 * HOUR, 'Asia/Kolkata'))).toBe(false);
    // Lord Howe is +11:00 in January and +10:30 in July.
    const jan = Date.UTC(2026, 0, 10);
    const jul = Date.UTC(2026, 6, 10);
    expect(onWholeHours(r(jan, jan + DAY, 'Australia/Lord_Howe'))).toBe(true);
    expect(onWholeHours(r(jul, jul + DAY, 'Australia/Lord_Howe'))).toBe(false);
  });
});

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const PATHS = ['/', '/a', '/b', '/cart'];
const CHANNELS = ['direct', 'organic_search', 'social'];
const TYPES = ['pageview', 'pageview', 'click', 'add_to_cart'];

/** Rows over three days, many on an hour's first and last millisecond; all desktop. */
const rowsArb = fc.array(
  fc.record({
    hour: fc.integer({ min: -2, max: 74 }),
    at: fc.oneof(fc.constant(0), fc.constant(HOUR - 1), fc.integer({ min: 0, max: HOUR - 1 })),
    visitor: fc.integer({ min: -1, max: 40 }),
    session: fc.integer({ min: 0, max: 2 }),
    type: fc.constantFrom(...TYPES),
    path: fc.constantFrom(...PATHS),
    channel: fc.constantFrom(...CHANNELS),
    country: fc.constantFrom('DE', 'FR', ''),
  }),
  { minLength: 1, maxLength: 120 },
);

describe('the overview from hourly rollups', () => {
  it('equals the overview from events, for random events near hour edges', async () => {
    const site = await createSite(s, 'rollups-random');
    let day = 0;
    await fc.assert(
      fc.asyncProperty(rowsArb, async (events) => {
        // Each run writes to days of its own.
        const base = BASE + day * 10 * DAY;
        day += 1;
        await insertRows(
          s.deps.store,
          events.map((e) =>
            eventRow(site.id, {
              ts: base + e.hour * HOUR + e.at,
              // Visitor -1 has no id, as some server events.
              visitor_id: e.visitor < 0 ? '' : `v${e.visitor}`,
              session_id: `v${e.visitor}-${e.session}`,
              type: e.type,
              path: e.path,
              channel: e.channel,
              country: e.country,
              device: 'desktop',
            }),
          ),
        );
        for (const tz of ['UTC', 'America/New_York']) {
          const range = { site: site.id, fromMs: base, toMs: base + 3 * DAY, tz };
          expect(onWholeHours(range)).toBe(true);
          // Every row is desktop: the segment keeps every session, and sends the query to events.
          const all = { device: 'desktop' };
          expect(await getOverviewCounts(s.deps.store, range, rollupSource(range, {}))).toEqual(
            await getOverviewCounts(s.deps.store, range, rollupSource(range, all)),
          );
          expect(
            await getTopValues(s.deps.store, range, { limit: 3, source: rollupSource(range, {}) }),
          ).toEqual(await getTopValues(s.deps.store, range, { limit: 3, source: rollupSource(range, all) }));
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);

  it('gives the orders summary the events give, for random orders reported in several hours', async () => {
    const site = await createSite(s, 'rollups-orders');
    const order = fc.record({
      hour: fc.integer({ min: -1, max: 50 }),
      at: fc.oneof(fc.constant(0), fc.constant(HOUR - 1), fc.integer({ min: 0, max: HOUR - 1 })),
      // Few ids, so that one order is often reported by several events in different hours.
      order: fc.integer({ min: 0, max: 12 }),
      source: fc.constantFrom('browser', 'server', 'import'),
      late: fc.integer({ min: 0, max: 3 }),
      cents: fc.integer({ min: 0, max: 50_000 }),
      currency: fc.constantFrom('EUR', 'USD', ''),
      type: fc.constantFrom('purchase', 'purchase', 'purchase', 'pageview'),
    });
    let day = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 1, maxLength: 40 }), async (events) => {
        const base = BASE + 100 * DAY + day * 10 * DAY;
        day += 1;
        await insertRows(
          s.deps.store,
          events.map((e) => {
            const ts = base + e.hour * HOUR + e.at;
            return eventRow(site.id, {
              ts,
              // Received a little later, in a few ties, so that the rank's later keys decide too.
              received_at: ts + e.late * 1000,
              type: e.type,
              source: e.source,
              order_id: e.type === 'purchase' ? `o${day}-${e.order}` : '',
              revenue: e.cents / 100,
              currency: e.currency,
              device: 'desktop',
            });
          }),
        );
        for (const tz of ['UTC', 'America/New_York']) {
          const range = { site: site.id, fromMs: base, toMs: base + 2 * DAY, tz };
          expect(onWholeHours(range)).toBe(true);
          const all = { device: 'desktop' };
          expect(await getOrdersSummary(s.deps.store, range, rollupSource(range, {}))).toEqual(
            await getOrdersSummary(s.deps.store, range, rollupSource(range, all)),
          );
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);

  it('merges visitor and session estimates to what the events give, above the exact limit', async () => {
    const site = await createSite(s, 'rollups-large');
    const rows = Array.from({ length: 12_000 }, (_, i) =>
      eventRow(site.id, {
        ts: BASE + (i % 48) * HOUR + (i % 997),
        visitor_id: `v${i % 9_000}`,
        session_id: `s${i % 10_000}`,
        path: PATHS[i % 4],
        device: 'desktop',
      }),
    );
    await insertRows(s.deps.store, rows);
    const range = { site: site.id, fromMs: BASE, toMs: BASE + 2 * DAY, tz: 'UTC' };
    const hours = await getOverviewCounts(s.deps.store, range, rollupSource(range, {}));
    expect(hours.totals.events).toBe(12_000);
    expect(hours.totals.visitors).toBeGreaterThan(4_096);
    expect(hours).toEqual(
      await getOverviewCounts(s.deps.store, range, rollupSource(range, { device: 'desktop' })),
    );
  });

  it('gives back first-touch values holding the bytes that join them, exactly', async () => {
    const site = await createSite(s, 'rollups-bytes');
    const odd = ['a\x1Fb', '\x1E', '\x1E\x1C', '\x1E\x1D\x1F', 'x\x1F', '\x1Fy', 'ü\x1E€'];
    await insertRows(
      s.deps.store,
      odd.map((v, i) =>
        eventRow(site.id, {
          ts: BASE + i * HOUR,
          visitor_id: `v${i}`,
          utm_source: v,
          utm_campaign: `${v}${i}`,
          referrer_host: i % 2 ? v : '',
          channel: 'email',
          device: 'desktop',
        }),
      ),
    );
    const range = { site: site.id, fromMs: BASE, toMs: BASE + DAY, tz: 'UTC' };
    for (const segment of [{}, { device: 'desktop' }]) {
      const top = await getTopValues(s.deps.store, range, {
        limit: 20,
        source: rollupSource(range, segment),
      });
      const values = (list: { value: string; visitors: number }[]) =>
        list
          .filter((r) => r.visitors > 0)
          .map((r) => r.value)
          .sort();
      expect(values(top.utm_sources)).toEqual([...odd].sort());
      expect(values(top.utm_campaigns)).toEqual(odd.map((v, i) => `${v}${i}`).sort());
      expect(values(top.referrer_hosts)).toEqual(odd.filter((_, i) => i % 2).sort());
      expect(top.channels).toEqual([{ value: 'email', visitors: odd.length, pageviews: odd.length }]);
    }
  });

  it('breaks a tie in time by event id, as text', async () => {
    const site = await createSite(s, 'rollups-tie');
    const at = BASE + 5 * HOUR + 123;
    const row = (event_id: string, channel: string, visitor_id: string) =>
      eventRow(site.id, { ts: at, event_id, channel, visitor_id, device: 'desktop' });
    await insertRows(s.deps.store, [
      // Same millisecond: the smaller id is the first touch, wherever the ids first differ.
      row('b-0001', 'social', 'v1'),
      row('a-0002', 'email', 'v1'),
      row('evt-000000000000000002', 'social', 'v2'),
      row('evt-000000000000000001', 'referral', 'v2'),
      row('e1', 'organic_search', 'v3'),
      row('e10', 'social', 'v3'),
    ]);
    const range = { site: site.id, fromMs: BASE, toMs: BASE + DAY, tz: 'UTC' };
    for (const segment of [{}, { device: 'desktop' }]) {
      const top = await getTopValues(s.deps.store, range, { limit: 5, source: rollupSource(range, segment) });
      const firstTouch = top.channels.filter((c) => c.visitors > 0).map((c) => c.value);
      expect(firstTouch.sort()).toEqual(['email', 'organic_search', 'referral']);
    }
  });

  it('reads the rollups, not the events', async () => {
    const site = await createSite(s, 'rollups-plan');
    // Enough events that reading a rollup is cheaper than reading them, as the planner weighs it.
    await insertRows(
      s.deps.store,
      Array.from({ length: 20_000 }, (_, i) =>
        eventRow(site.id, {
          ts: BASE + HOUR + i,
          ...(i % 100 === 0 ? { type: 'purchase', order_id: `o${i}`, revenue: 5, currency: 'EUR' } : {}),
        }),
      ),
    );
    const range = { site: site.id, fromMs: BASE, toMs: BASE + DAY, tz: 'UTC' };
    const trace = new Trace();
    await getOverviewCounts(s.deps.store, range, rollupSource(range, {}), trace);
    await getTopValues(s.deps.store, range, { limit: 3, source: rollupSource(range, {}) }, trace);
    await getOrdersSummary(s.deps.store, range, rollupSource(range, {}), trace);
    // The revenue report and the forecast: the range's sums, and a breakdown by first touch.
    for (const dim of ['none', 'channel'] as const) {
      await getRevenueVisitorSums(s.deps.store, range, { dim, key: '', form: 'hours' }, trace);
      await getRevenueOrderSums(s.deps.store, range, { dim, key: '', form: 'hours' }, trace);
    }
    const read = new Set<string>();
    for (const run of trace.runs) {
      const plan = await select<{ explain: string }>(s.deps.store, `EXPLAIN ${run.sql}`, run.params);
      for (const { explain } of plan) {
        // A projection by its name, the table itself as `database.events_v1`.
        const m = /ReadFromMergeTree \(([^)]+)\)/.exec(explain);
        if (m?.[1]) read.add(m[1]);
      }
    }
    expect([...read].sort()).toEqual([
      'first_touch_hourly',
      'orders_hourly',
      'pages_hourly',
      'revenue_orders_hourly',
      'revenue_visitors_hourly',
      'types_hourly',
      'values_hourly',
      'visits_hourly',
    ]);
  });
});
