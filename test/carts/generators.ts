/**
 * fast-check generators for cart property tests: a few carts, orders and visitors on coarse
 * times, so that adds, removes, quantity changes, stage jumps, purchases before and after the
 * timeout, repeated order ids, several currencies, rows repeated verbatim and events that arrive
 * late (stored in a second batch, or received long after their time) are all common, and the
 * timeout and window edges are met exactly.
 */
import type { EventRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { eventRow } from '../funnels/rows.ts';

export const BASE = Date.UTC(2026, 2, 10, 12);
export const MINUTE = 60_000;
const CARTS = ['c1', 'c2', 'c3', 'c4'];
const ORDERS = ['o1', 'o2', 'o3', 'o4'];

const time = fc
  .tuple(fc.integer({ min: -30, max: 400 }), fc.constantFrom(0, 0, 0, 1, 999))
  .map(([m, ms]) => BASE + m * MINUTE + ms);

const item = fc.record({
  id: fc.constantFrom('p1', 'p2', 'p3'),
  name: fc.constant('x'),
  price: fc.constantFrom(0, 1.5, 10, 24.99),
  quantity: fc.integer({ min: 0, max: 3 }),
  category: fc.constant(''),
  variant: fc.constant(''),
});

const cartEvent = fc.record({
  type: fc.constantFrom(
    'add_to_cart',
    'add_to_cart',
    'add_to_cart',
    'remove_from_cart',
    'remove_from_cart',
    'view_cart',
    'begin_checkout',
    'add_shipping_info',
    'add_payment_info',
  ),
  cart_id: fc.constantFrom(...CARTS, ''),
  items: fc.array(item, { maxLength: 2 }),
  revenue: fc.constantFrom(0, 0, 5, 12.5, 30),
  currency: fc.constantFrom('EUR', 'EUR', 'USD', 'GBP', ''),
});

const purchase = fc.record({
  type: fc.constant('purchase'),
  cart_id: fc.constantFrom(...CARTS, ...CARTS, ''),
  order_id: fc.constantFrom(...ORDERS, ''),
  revenue: fc.constantFrom(0, 10, 42.5, 100),
  currency: fc.constantFrom('EUR', 'USD'),
  source: fc.constantFrom('browser', 'browser', 'server', 'import') as fc.Arbitrary<EventRow['source']>,
});

const other = fc.record({
  type: fc.constantFrom('pageview', 'click'),
  cart_id: fc.constantFrom(...CARTS, ''),
});

/** A cart bought some minutes after its last add: before, at and after each timeout and window. */
const story = fc
  .record({
    cart: fc.constantFrom(...CARTS),
    order: fc.constantFrom(...ORDERS),
    start: fc.integer({ min: 0, max: 200 }),
    gapMin: fc.constantFrom(1, 5, 30, 60, 61, 120, 300, 700),
    price: fc.constantFrom(10, 24.99),
  })
  .map((x) => [
    {
      ts: BASE + x.start * MINUTE,
      type: 'add_to_cart',
      cart_id: x.cart,
      currency: 'EUR',
      items: [{ id: 'p1', name: 'x', price: x.price, quantity: 1, category: '', variant: '' }],
    },
    {
      ts: BASE + (x.start + x.gapMin) * MINUTE,
      type: 'purchase',
      cart_id: x.cart,
      order_id: x.order,
      revenue: x.price,
      currency: 'EUR',
    },
  ]);

export const eventsArb = (site: string) =>
  fc
    .tuple(
      fc.array(story, { maxLength: 2 }),
      fc.array(
        fc.record({
          ts: time,
          visitor_id: fc.constantFrom('v1', 'v2', 'v3'),
          user_id: fc.constantFrom('', '', 'u1', 'u2'),
          channel: fc.constantFrom('direct', 'email', 'paid_search'),
          lateMs: fc.constantFrom(0, 0, 0, 1000, 3_600_000),
          what: fc.oneof(
            { weight: 6, arbitrary: cartEvent },
            { weight: 4, arbitrary: purchase },
            { weight: 1, arbitrary: other },
          ),
          dup: fc.constantFrom(false, false, false, false, true),
          secondBatch: fc.constantFrom(false, false, false, true),
        }),
        { minLength: 4, maxLength: 40 },
      ),
    )
    .map(([stories, xs]) => {
      const first: EventRow[] = stories.flat().map((e) => eventRow(site, { source: 'browser', ...e }));
      const second: EventRow[] = [];
      for (const x of xs) {
        const row = eventRow(site, {
          source: 'browser',
          ts: x.ts,
          received_at: x.ts + x.lateMs,
          visitor_id: x.visitor_id,
          user_id: x.user_id,
          channel: x.channel,
          ...x.what,
        } as Partial<EventRow> & { ts: number });
        const batch = x.secondBatch ? second : first;
        batch.push(row);
        if (x.dup) batch.push({ ...row });
      }
      return { first, second };
    });

/** The report's scope: timeouts and windows of whole minutes, so edges are hit exactly. */
export const scopeArb = fc.record({
  fromMin: fc.constantFrom(0, 0, 30),
  spanMin: fc.constantFrom(240, 480, 720),
  asOfMin: fc.oneof(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 400, max: 1200 })),
  timeoutMin: fc.constantFrom(5, 30, 60, 120),
  windowMin: fc.constantFrom(0, 10, 60, 240, 600),
});
