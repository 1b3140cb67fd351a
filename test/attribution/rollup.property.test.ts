import type { EventRow, Store } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TouchForm } from '../../server/src/attribution/attribution-sql.ts';
import { getAttributionTouches } from '../../server/src/attribution/queries/getAttributionTouches.ts';
import { getAttributionVisitors } from '../../server/src/attribution/queries/getAttributionVisitors.ts';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { formStores, ODD_VALUES } from '../helpers/rollup-forms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The attribution report's `hours` form (the session rollup of migration 022, the revenue rollups
 * for the orders) against its `events` form, which `credit.property.test.ts` holds to the oracle
 * through the API: the same sessions, values and orders for every dimension, on events made to find
 * where the joined sources or the encoded order key could part from the columns and the tuple.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2026, 5, 8);
const DIMENSIONS = ['channel', 'utm_source', 'utm_medium', 'utm_campaign', 'referrer_domain'] as const;

let s: TestServer;
let reads: Record<TouchForm, Store>;
beforeAll(async () => {
  s = await startTestServer();
  reads = formStores(s);
}, 180_000);
afterAll(() => s.destroy());

// Ids alike in their first 30 bytes.
const LONG = 'evt-2026-06-08-000000000000000-';

const eventArb = fc.record({
  // Few instants, several on an hour's edge: a session's events often share a millisecond or
  // straddle two hours, so its first event is decided by the id or by merging hours.
  hour: fc.oneof(fc.constantFrom(0, 1, 24, 47), fc.integer({ min: -40, max: 75 })),
  at: fc.constantFrom(0, 0, 1, HOUR - 1),
  long: fc.boolean(),
  visitor: fc.constantFrom('v1', 'v2', 'v3', ''),
  session: fc.constantFrom('s1', 's2', 's3', ''),
  channel: fc.constantFrom('direct', 'internal', 'email', 'social', '\x1F'),
  utm_source: fc.constantFrom(...ODD_VALUES),
  utm_medium: fc.constantFrom(...ODD_VALUES),
  utm_campaign: fc.constantFrom(...ODD_VALUES),
  referrer_host: fc.constantFrom(...ODD_VALUES),
  what: fc.oneof(
    fc.record({ type: fc.constantFrom('pageview', 'click') }),
    fc.record({
      type: fc.constant('purchase'),
      order_id: fc.constantFrom('o1', 'o2', 'o3', ''),
      revenue: fc.constantFrom(0, 10, 25.5),
      currency: fc.constantFrom('EUR', 'USD'),
      source: fc.constantFrom('browser', 'server'),
    }),
  ),
});

/** Rows and their arrays in one order: the queries give neither. */
const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();

it('the session rollup gives the sessions, values and orders the events give, for every dimension', async () => {
  const runId = nanoid(6);
  let run = 0;
  let sessions = 0;
  let orders = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(eventArb, { minLength: 10, maxLength: 40 }),
      fc.constantFrom(...DIMENSIONS),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 1, max: 3 }),
      async (xs, dim, fromH, lookbackDays) => {
        const site = `attrh-${runId}-${run++}`;
        const rows = xs.map((x, i) => {
          const ts = BASE + x.hour * HOUR + x.at;
          const { hour, at, long, visitor, session, what, ...values } = x;
          return eventRow(site, {
            ts,
            received_at: ts,
            event_id: long ? `${LONG}${i}` : `e${i}`,
            visitor_id: visitor,
            session_id: session,
            ...values,
            ...what,
          } as Partial<EventRow> & { ts: number });
        });
        await insertRows(s.deps.store, rows);
        for (const tz of ['UTC', 'America/New_York']) {
          const range = { site, fromMs: BASE + fromH * HOUR, toMs: BASE + (fromH + 48) * HOUR, tz };
          const q = { dim, lookbackMs: lookbackDays * DAY };
          const touches = (form: TouchForm) =>
            getAttributionTouches(reads[form], range, { ...q, form }).then((rs) =>
              sorted(rs.map((r) => ({ orders: sorted(r.orders), touches: sorted(r.touches) }))),
            );
          const hours = await touches('hours');
          expect(hours).toEqual(await touches('events'));
          const visitors = await getAttributionVisitors(reads.hours, range, { dim, form: 'hours' });
          expect(visitors).toEqual(
            await getAttributionVisitors(reads.events, range, { dim, form: 'events' }),
          );
          if (tz === 'UTC') {
            orders += hours.length;
            sessions += visitors.reduce((n, r) => n + r.visitors, 0);
          }
        }
      },
    ),
    { numRuns: 15 },
  );
  // The runs held buyers with sessions and visitors per value, not only empty answers.
  expect(orders).toBeGreaterThan(15);
  expect(sessions).toBeGreaterThan(15);
}, 300_000);

it('takes a session’s first event by the whole event id when two share a millisecond, in both forms', async () => {
  const site = `attrh-tie-${nanoid(6)}`;
  const at = BASE + 5 * HOUR + 123;
  const row = (event_id: string, channel: string, over: Partial<EventRow> = {}) =>
    eventRow(site, { ts: at, event_id, channel, visitor_id: 'v1', session_id: 's1', ...over });
  await insertRows(s.deps.store, [
    // Alike in their first 30 bytes: the smaller id is the session's first event.
    row(`${LONG}2`, 'social'),
    row(`${LONG}1`, 'email', { utm_medium: 'news\x1Fletter' }),
    row(`${LONG}3`, 'direct', { type: 'purchase', order_id: 'o1', revenue: 10, currency: 'EUR' }),
  ]);
  const range = { site, fromMs: BASE, toMs: BASE + DAY, tz: 'UTC' };
  for (const form of ['events', 'hours'] as const) {
    const [byChannel] = await getAttributionTouches(reads[form], range, {
      dim: 'channel',
      form,
      lookbackMs: DAY,
    });
    expect(byChannel?.touches).toEqual([[at, 's1', 'email', 0]]);
    expect(byChannel?.orders).toEqual([['o1', at, 10, 'EUR']]);
    const byMedium = await getAttributionVisitors(reads[form], range, { dim: 'utm_medium', form });
    expect(byMedium).toEqual([{ value: 'news\x1Fletter', visitors: 1 }]);
  }
});
