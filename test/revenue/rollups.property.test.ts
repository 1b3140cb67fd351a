import { type EventRow, getRevenueOrderSums, getRevenueVisitorSums, type Store } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RevenueDimension, revenueForm } from '../../server/src/revenue/revenue-sql.ts';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { formStores, ODD_VALUES } from '../helpers/rollup-forms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The revenue report's `hours` form (the rollups of migration 020) against its `events` form, which
 * `sums.property.test.ts` holds to the oracle: the same rows for every breakdown the rollups keep,
 * on events made to find where an encoded sort key could part from the tuple it stands for.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2026, 4, 4);

describe('revenueForm', () => {
  const r = (fromMs: number, toMs: number, tz: string) => ({ site: 's', fromMs, toMs, tz });
  it('reads the rollups for whole hours in a zone offset by whole hours, except for a variant', () => {
    expect(revenueForm(r(BASE, BASE + 7 * DAY, 'UTC'), 'none')).toBe('hours');
    expect(revenueForm(r(BASE + 4 * HOUR, BASE + 4 * HOUR + DAY, 'America/New_York'), 'channel')).toBe(
      'hours',
    );
    expect(revenueForm(r(BASE, BASE + 7 * DAY, 'UTC'), 'variant')).toBe('events');
    expect(revenueForm(r(BASE + 1, BASE + DAY, 'UTC'), 'none')).toBe('events');
    expect(revenueForm(r(BASE - 5 * HOUR - 30 * 60_000, BASE + DAY, 'Asia/Kolkata'), 'none')).toBe('events');
  });
});

let s: TestServer;
let reads: Record<'hours' | 'events', Store>;
beforeAll(async () => {
  s = await startTestServer();
  reads = formStores(s);
}, 180_000);
afterAll(() => s.destroy());

// Ids alike in their first 30 bytes, where an id cut to 24 bytes would tie.
const LONG = 'evt-2026-05-04-000000000000000-';

const eventArb = fc.record({
  // Few instants, many on an hour's edge: events (and an order's purchases) often share a
  // millisecond, so the figure's rank and the attribution are decided by their later keys.
  hour: fc.oneof(fc.constantFrom(0, 1, 24, 47), fc.integer({ min: -3, max: 75 })),
  at: fc.constantFrom(0, 0, 1, HOUR - 1),
  late: fc.constantFrom(0, 0, 1000),
  long: fc.boolean(),
  visitor: fc.constantFrom('v1', 'v2', 'v3', 'v4', 'v5', ''),
  channel: fc.constantFrom('direct', 'email', 'social'),
  utm_source: fc.constantFrom(...ODD_VALUES),
  utm_campaign: fc.constantFrom(...ODD_VALUES),
  country: fc.constantFrom('DE', 'US', ''),
  device: fc.constantFrom('desktop', 'mobile'),
  what: fc.oneof(
    fc.record({ type: fc.constantFrom('pageview', 'click') }),
    fc.record({
      type: fc.constant('purchase'),
      order_id: fc.constantFrom('o1', 'o2', 'o3', 'o4', ''),
      // Negative amounts and the largest one, where a sign or a width would show.
      revenue: fc.constantFrom(-12.5, -0.0001, 0, 0.0001, 10, 25.5, 100_000_000_000),
      currency: fc.constantFrom('EUR', 'USD', 'EU', ''),
      source: fc.constantFrom('browser', 'browser', 'server', 'import'),
    }),
  ),
});

const DIMS = ['channel', 'utm_source', 'utm_campaign', 'country', 'device'] as const;

it('the hourly rollups give the revenue sums the events give, for every breakdown they keep', async () => {
  const runId = nanoid(6);
  let run = 0;
  let orders = 0;
  let buyers = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(eventArb, { minLength: 10, maxLength: 40 }),
      fc.constantFrom(...DIMS),
      fc.integer({ min: 0, max: 30 }),
      async (xs, dim, fromH) => {
        const site = `revh-${runId}-${run++}`;
        const rows = xs.map((x, i) => {
          const ts = BASE + x.hour * HOUR + x.at;
          const { hour, at, late, long, visitor, what, ...values } = x;
          return eventRow(site, {
            ts,
            received_at: ts + late,
            event_id: long ? `${LONG}${i}` : `e${i}`,
            visitor_id: visitor,
            source: 'browser',
            ...values,
            ...what,
          } as Partial<EventRow> & { ts: number });
        });
        await insertRows(s.deps.store, rows);
        for (const tz of ['UTC', 'America/New_York']) {
          const range = { site, fromMs: BASE + fromH * HOUR, toMs: BASE + (fromH + 48) * HOUR, tz };
          for (const d of ['none', dim] as RevenueDimension[]) {
            expect(revenueForm(range, d)).toBe('hours');
            const q = { dim: d, key: '' };
            const hours = await getRevenueOrderSums(reads.hours, range, { ...q, form: 'hours' });
            expect(hours).toEqual(await getRevenueOrderSums(reads.events, range, { ...q, form: 'events' }));
            const visitors = await getRevenueVisitorSums(reads.hours, range, { ...q, form: 'hours' });
            expect(visitors).toEqual(
              await getRevenueVisitorSums(reads.events, range, { ...q, form: 'events' }),
            );
            if (tz === 'UTC' && d === 'none') {
              orders += hours.reduce((n, r) => n + r.orders, 0);
              buyers += visitors.find((r) => r.day === '')?.buyers ?? 0;
            }
          }
        }
      },
    ),
    { numRuns: 15 },
  );
  // The runs held orders and buyers, not only empty answers.
  expect(orders).toBeGreaterThan(15);
  expect(buyers).toBeGreaterThan(15);
}, 300_000);

it('attributes by the whole event id when two events share a millisecond, in both forms', async () => {
  const site = `revh-tie-${nanoid(6)}`;
  const at = BASE + 5 * HOUR + 123;
  const row = (event_id: string, channel: string, over: Partial<EventRow> = {}) =>
    eventRow(site, { ts: at, event_id, channel, visitor_id: 'v1', source: 'browser', ...over });
  await insertRows(s.deps.store, [
    // Alike in their first 30 bytes: the smaller id is the first event.
    row(`${LONG}2`, 'social'),
    row(`${LONG}1`, 'email'),
    row(`${LONG}3`, 'direct', { type: 'purchase', order_id: 'o1', revenue: 10, currency: 'EUR' }),
    // The order's visitor is its first purchase event's, by the same order.
    eventRow(site, { ts: at, event_id: `${LONG}4`, visitor_id: 'v2', channel: 'social', source: 'browser' }),
    eventRow(site, {
      ts: at,
      event_id: `${LONG}5`,
      visitor_id: 'v2',
      source: 'server',
      type: 'purchase',
      order_id: 'o1',
    }),
  ]);
  const range = { site, fromMs: BASE, toMs: BASE + DAY, tz: 'UTC' };
  for (const form of ['events', 'hours'] as const) {
    const v = await getRevenueVisitorSums(reads[form], range, { dim: 'channel', key: '', form });
    expect(v.filter((r) => r.day === '')).toEqual([
      { dim: 'email', day: '', visitors: 1, buyers: 1 },
      { dim: 'social', day: '', visitors: 1, buyers: 1 },
    ]);
    const o = await getRevenueOrderSums(reads[form], range, { dim: 'channel', key: '', form });
    expect(o.map((r) => [r.dim, r.orders])).toEqual([['email', 1]]);
  }
});

it('takes each order’s figure by the whole rank in both forms: source, receipt, amount with its sign, currency', async () => {
  const site = `revh-rank-${nanoid(6)}`;
  const at = BASE + 7 * HOUR;
  let n = 0;
  const buy = (order_id: string, revenue: number, currency: string, over: Partial<EventRow> = {}) =>
    eventRow(site, {
      ts: at,
      event_id: `r${n++}`,
      type: 'purchase',
      source: 'browser',
      order_id,
      revenue,
      currency,
      ...over,
    });
  await insertRows(s.deps.store, [
    // Equal receipts: the smaller amount, a negative one below every positive one.
    buy('o1', 10, 'EUR'),
    buy('o1', -5, 'EUR'),
    buy('o2', 0.0001, 'EUR'),
    buy('o2', -0.0001, 'EUR'),
    // Equal amounts: the smaller currency, a prefix before the longer code.
    buy('o3', 7, 'EUR'),
    buy('o3', 7, 'EU'),
    // A server's figure before the browser's, received later.
    buy('o4', 1, 'USD'),
    buy('o4', 100_000_000_000, 'USD', { source: 'server', received_at: at + HOUR + 5 }),
    // The first received, an hour apart.
    buy('o5', 3, 'USD', { received_at: at + HOUR }),
    buy('o5', 4, 'USD', { ts: at + HOUR, received_at: at + HOUR - 1 }),
  ]);
  const range = { site, fromMs: BASE, toMs: BASE + DAY, tz: 'UTC' };
  for (const form of ['events', 'hours'] as const) {
    const o = await getRevenueOrderSums(reads[form], range, { dim: 'none', key: '', form });
    expect(o.map((r) => [r.currency, r.orders, r.revenue])).toEqual([
      ['EU', 1, 7],
      ['EUR', 2, -5.0001],
      ['USD', 2, 100_000_000_004],
    ]);
  }
});
