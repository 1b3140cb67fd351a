/**
 * fast-check generators for experiment property tests: few visitors, variants, orders and
 * coarse times, so that repeated and conflicting exposures, orders before and after entry,
 * repeated order ids, range and date edges and window edges are all common.
 */
import type { StepAlternative } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { eventRow } from '../funnels/rows.ts';

export const KEY = 'exp';
// 23:00 UTC, so that two hours of events span two days (the day segment).
const BASE = Date.UTC(2026, 2, 1, 23);
const MINUTE = 60_000;
const VISITORS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', ''];
/**
 * The user a visitor signs in as (on some of its events), and its device: one per user, so two
 * visitors of one user never disagree on the segment of their shared first exposure.
 */
const USER: Record<string, string> = { v1: 'u1', v2: 'u1', v3: 'u2', v4: 'u2', v5: 'u3' };
const DEVICE: Record<string, string> = {
  v1: 'mobile',
  v2: 'mobile',
  v5: 'tablet',
  v7: 'mobile',
  v9: 'tablet',
};

/** Minutes past BASE, sometimes with a millisecond offset so that ties and near-ties occur. */
const time = fc
  .tuple(fc.integer({ min: 0, max: 120 }), fc.constantFrom(0, 0, 0, 1, 999))
  .map(([m, ms]) => BASE + m * MINUTE + ms);

const exposure = fc
  .record({
    name: fc.constantFrom(KEY, KEY, KEY, KEY, KEY, 'other'),
    variant: fc.constantFrom('a', 'a', 'b', 'b', 'c', null),
  })
  .map(({ name, variant }) => ({
    type: 'exposure',
    name,
    experiments: variant === null ? {} : { [name]: variant },
  }));

const purchase = fc
  .record({
    order_id: fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', ''),
    revenue: fc.constantFrom(0, 5, 12.5, 40, 100),
    source: fc.constantFrom('browser', 'browser', 'server', 'import') as fc.Arbitrary<EventRow['source']>,
    late: fc.constantFrom(0, 0, 1000, 60_000),
  })
  .map(({ late, ...o }) => ({ type: 'purchase', ...o, receivedLate: late }));

const other = fc
  .record({
    type: fc.constantFrom('pageview', 'add_to_cart'),
    path: fc.constantFrom('/a', '/b'),
    k: fc.constantFrom('1', '2'),
    // At the bound of a number a metric reads (10^15), past it, and digits that read as +inf.
    amt: fc.constantFrom(
      '5',
      '2.5',
      '-1',
      'x',
      null,
      '1000000000000000',
      '1000000000000001',
      '9'.repeat(400),
    ),
  })
  .map(({ k, amt, ...o }) => ({ ...o, props: amt === null ? { k } : { k, amt } }));

const eventArb = fc
  .record({
    visitor_id: fc.constantFrom(...VISITORS),
    ts: time,
    what: fc.oneof(
      { weight: 3, arbitrary: exposure },
      { weight: 3, arbitrary: purchase },
      { weight: 2, arbitrary: other },
    ),
  })
  .map(({ visitor_id, ts, what }) => ({ visitor_id, ts, what }));

/** One visitor's story: mostly an exposure first, then events around and after it. */
const visitorArb = fc.record({
  visitor_id: fc.constantFrom(...VISITORS),
  entry: fc.integer({ min: 0, max: 100 }),
  exposure,
  events: fc.array(
    fc.record({
      // Whole minutes a window long are common, so window edges are met exactly.
      offset: fc.oneof(fc.integer({ min: -10, max: 60 }), fc.constantFrom(0, 1, 10, 30, 60)),
      ms: fc.constantFrom(0, 0, 1, 999),
      identified: fc.boolean(),
      what: fc.oneof(
        { weight: 1, arbitrary: exposure },
        { weight: 3, arbitrary: purchase },
        { weight: 2, arbitrary: other },
      ),
    }),
    { maxLength: 8 },
  ),
});

type Fields = { receivedLate?: number } & Record<string, unknown>;
const row = (site: string, visitor_id: string, ts: number, what: Fields, identified = false) => {
  const { receivedLate, ...fields } = what;
  return eventRow(site, {
    visitor_id,
    ts,
    received_at: ts + (receivedLate ?? 0),
    user_id: identified ? (USER[visitor_id] ?? '') : '',
    device: DEVICE[visitor_id] ?? 'desktop',
    ...(fields as Partial<EventRow>),
  });
};

/**
 * Raw rows for `site`: visitors' stories plus unrelated noise. received_at is ts, or later for
 * some purchases (it orders an order's events).
 */
export function rowsArb(site: string): fc.Arbitrary<EventRow[]> {
  return fc
    .record({
      visitors: fc.array(visitorArb, { minLength: 1, maxLength: 10 }),
      noise: fc.array(eventArb, { maxLength: 10 }),
    })
    .map(({ visitors, noise }) => [
      ...visitors.flatMap((v) => {
        const entry = BASE + v.entry * MINUTE;
        return [
          row(site, v.visitor_id, entry, v.exposure as Fields),
          ...v.events.map((e) =>
            row(site, v.visitor_id, entry + e.offset * MINUTE + e.ms, e.what as Fields, e.identified),
          ),
        ];
      }),
      ...noise.map((e) => row(site, e.visitor_id, e.ts, e.what as Fields)),
    ]);
}

export const conversionEventArb: fc.Arbitrary<StepAlternative> = fc.oneof(
  fc.record({ type: fc.constantFrom('purchase', 'add_to_cart', 'pageview', 'exposure') }),
  fc.record({ path: fc.record({ op: fc.constant('exact' as const), value: fc.constantFrom('/a', '/b') }) }),
  fc.record({
    type: fc.constant('pageview'),
    filters: fc.constant([{ property: 'k', op: 'eq', value: '1' }]),
  }) as fc.Arbitrary<StepAlternative>,
);

/** The range and the experiment's dates, in minutes past BASE; dates may be absent. */
export const scopeArb = fc
  .record({
    from: fc.integer({ min: 0, max: 30 }),
    span: fc.integer({ min: 1, max: 130 }).map((m) => Math.max(m, 30)),
    start: fc.option(fc.integer({ min: 0, max: 60 }), { freq: 3 }),
    end: fc.option(fc.integer({ min: 60, max: 130 }), { freq: 3 }),
  })
  .map(({ from, span, start, end }) => {
    const fromMs = BASE + from * MINUTE;
    const toMs = fromMs + span * MINUTE;
    const exposedFromMs = Math.max(fromMs, start === null ? fromMs : BASE + start * MINUTE);
    const exposedToMs = Math.max(exposedFromMs, Math.min(toMs, end === null ? toMs : BASE + end * MINUTE));
    return { fromMs, toMs, exposedFromMs, exposedToMs };
  });

const capArb = fc
  .option(
    fc.oneof(fc.constantFrom(10, 50, 1, 2), fc.record({ percentile: fc.constantFrom(0.5, 0.75, 0.9, 0.99) })),
    { freq: 2 },
  )
  .map((c) => c ?? undefined);

export const metricArb = fc.record({
  event: conversionEventArb,
  windowSeconds: fc.constantFrom(60, 600, 1800, 3600, 7200),
  cap: capArb,
  /** A second step list for the funnel metric. */
  steps: fc.array(
    fc.constantFrom<StepAlternative>(
      { type: 'pageview' },
      { type: 'add_to_cart' },
      { type: 'purchase' },
      { path: { op: 'exact', value: '/a' } },
    ),
    { minLength: 2, maxLength: 3 },
  ),
  propertyEvent: fc.option(conversionEventArb, { freq: 2 }).map((e) => e ?? undefined),
  propertyWindow: fc.option(fc.constantFrom(600, 3600), { freq: 2 }).map((w) => w ?? undefined),
});

/** How the units are counted and grouped in one run: unit, segment and CUPED's pre-period. */
export const shapeArb = fc.record({
  unit: fc.constantFrom('visitor' as const, 'visitor' as const, 'user' as const),
  segment: fc.constantFrom(
    { by: 'none' as const },
    { by: 'none' as const },
    { by: 'day' as const },
    { by: 'dimension' as const, dimension: { column: 'device' as const } },
  ),
  preMs: fc.constantFrom(0, 0, 10 * MINUTE, 45 * MINUTE),
});
