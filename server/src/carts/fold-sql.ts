/**
 * The cart-state fold every cart query shares: one row per cart, folded from raw events at query
 * time, so a late event (one stored after a report ran) or a duplicate row changes nothing that
 * a re-run does not fix: every aggregate here is idempotent (min, max, argMin/argMax, and the
 * add/remove deltas and idle times are collected per cart and made distinct, keyed by event
 * order key and event id). The rules, written out once more in `test/carts/oracle.ts` (the
 * brute-force reference) and in the API docs:
 *
 * - **Events read**: the site's events with `ts` in `[from − 30 days, as_of)`. `as_of` is the
 *   request time unless given; nothing after it is seen.
 * - **Cart events**: `add_to_cart`, `remove_from_cart`, `view_cart`, `begin_checkout`,
 *   `add_shipping_info`, `add_payment_info` with a non-empty `cart_id`.
 * - **Orders**: purchase events with an `order_id`; one order per `order_id`, timed by its first
 *   purchase event; revenue and currency from a server/import purchase when there is one (the
 *   payment system's figure), else the browser's, among equals the first received, then the
 *   smaller amount (`sql/orders.ts`); its cart is
 *   the smallest non-empty `cart_id` among its purchase events. A cart is **purchased** by its
 *   first order (ties by order id) at `purchased_ms`.
 * - **History**: the cart's events at or before `purchased_ms` (all of them when not purchased).
 *   A cart id without a cart event in its history is not a cart (a purchase alone makes none).
 * - **Created** at its first event; a cart counts in `[from, to)` by its creation time.
 *   `last_ms` = its last event. Order of events: `(ts, event_id)`.
 * - **Stage** (`stage_rank` 1–4): the furthest of `cart` (add, remove, view), `checkout`
 *   (`begin_checkout`), `shipping` (`add_shipping_info`), `payment` (`add_payment_info`) in the
 *   history; a purchased cart's stage is reported as `purchased`, and `stage_rank` keeps the
 *   stage it had reached before (the stage at which an abandoned-then-bought cart was left).
 * - **Value**: an event's value is its `revenue` when > 0, else Σ price × quantity of its items.
 *   The latest snapshot event (view_cart and the checkout stages) sets the cart's value; each
 *   `add_to_cart` after it adds its value and each `remove_from_cart` subtracts it; no snapshot
 *   starts from 0; the result is at least 0. `currency` is the latest non-empty one.
 * - **Idle gaps**: the times between consecutive events of the history, and from its last
 *   event to the purchase (or to `as_of` when not purchased).
 * - **Status** (exactly one, with `timeout` = inactivity timeout, `window` = recovery window):
 *   not purchased: `empty` when value = 0; `abandoned` when `as_of − last > timeout` (abandoned
 *   at `last + timeout`); else `open` (a cart that was idle once and is active again is open).
 *   Purchased: when value > 0 and some idle gap before the purchase is longer than `timeout`,
 *   the cart was abandoned at the start of the first such gap + `timeout`: `recovered` when
 *   `purchased − abandoned_at ≤ window`, else `abandoned` (bought too late to count as
 *   recovered); otherwise `purchased`.
 * - **Attributes at creation**: visitor, channel, device, country, a property: those of the first
 *   event; a variant: the first event carrying the experiment key; `user_id`: the latest non-empty.
 *
 * The breakdown dimension is chosen from `CART_DIMENSIONS` (an allow-list); its key is a bound value.
 */
import { z } from 'zod';
import type { SiteRange } from '../sql/range.ts';
import { siteRangeShape, siteRangeValues } from '../sql/range.ts';

/** How far before `from` a cart's earlier events are looked for (a cart created before `from` is not one of the range's). */
export const CART_LOOKBACK_MS = 30 * 86_400_000;

export const SNAPSHOT_TYPES = [
  'view_cart',
  'begin_checkout',
  'add_shipping_info',
  'add_payment_info',
] as const;
export const CART_EVENT_TYPES = ['add_to_cart', 'remove_from_cart', ...SNAPSHOT_TYPES] as const;
export const CART_STAGES = ['cart', 'checkout', 'shipping', 'payment', 'purchased'] as const;
export type CartStage = (typeof CART_STAGES)[number];
export const CART_STATUSES = ['open', 'abandoned', 'recovered', 'purchased', 'empty'] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/** Breakdown dimensions: the column read per event, and whether the first non-empty value counts. */
export const CART_DIMENSIONS = {
  none: { col: "''", firstNonEmpty: false },
  channel: { col: 'channel', firstNonEmpty: false },
  device: { col: 'device', firstNonEmpty: false },
  country: { col: 'country', firstNonEmpty: false },
  utm_source: { col: 'utm_source', firstNonEmpty: false },
  utm_campaign: { col: 'utm_campaign', firstNonEmpty: false },
  variant: { col: 'experiments[{dim_key:String}]', firstNonEmpty: true },
  property: { col: 'props[{dim_key:String}]', firstNonEmpty: false },
} as const;
export type CartDimension = keyof typeof CART_DIMENSIONS;

/** What the fold binds. */
export const cartScopeShape = {
  ...siteRangeShape,
  lo_ms: z.number().int(),
  as_of_ms: z.number().int(),
  timeout_ms: z.number().int().min(1),
  window_ms: z.number().int().min(0),
  dim_key: z.string(),
};

/** A cart report's scope: the range, the moment it is seen from and the two definitions' lengths. */
export interface CartScope {
  range: SiteRange;
  asOfMs: number;
  timeoutMs: number;
  windowMs: number;
}

export const cartScopeValues = (s: CartScope, dimKey = '') => ({
  ...siteRangeValues(s.range),
  lo_ms: s.range.fromMs - CART_LOOKBACK_MS,
  as_of_ms: s.asOfMs,
  timeout_ms: s.timeoutMs,
  window_ms: s.windowMs,
  dim_key: dimKey,
});

export const CART_TYPES_IN = `type IN ('${CART_EVENT_TYPES.join("', '")}')`;

/**
 * Whether a cart event lies in `[from, to)`: a cart is created at its first cart event, so
 * without one no cart is created in the range and the fold answers no row. A scalar subquery
 * that stops at the first such event (the key prunes on the range's days); ClickHouse runs it
 * first and reads nothing else when it is false. The previous period of a site's first weeks has
 * none: its fold read all the site's events (as many as the range's), the guard reads none.
 */
export const RANGE_HAS_CART_EVENT = `(SELECT count() FROM (
      SELECT 1 FROM {db:Identifier}.events_v1
      WHERE site_id = {site:String}
        AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
        AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
        AND cart_id != ''
        AND ${CART_TYPES_IN}
      LIMIT 1)) = 1`;

/** The events the fold reads (guarded as `RANGE_HAS_CART_EVENT` says). */
export const CART_READ = `site_id = {site:String}
    AND ts >= fromUnixTimestamp64Milli({lo_ms:Int64})
    AND ts < fromUnixTimestamp64Milli({as_of_ms:Int64})
    AND ${RANGE_HAS_CART_EVENT}`;

/**
 * An order key: `(ms, id)` as one string that sorts as that tuple does: the milliseconds as 8
 * big-endian bytes with the sign bit flipped (byte order is then numeric order, before 1970 too),
 * then the id. The first 8 bytes decide unless the times are equal, then the id does. argMin,
 * argMax and maxIf compare one string much faster than a tuple.
 */
const orderKey = (ms: string, id: string) =>
  `concat(reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(${ms}), toUInt64(9223372036854775808)))), ${id})`;

/** An event's place in the order of events, `(ts, event_id)`. */
export const ORDER_KEY = orderKey('toUnixTimestamp64Milli(ts)', 'event_id');
/**
 * A purchase's rank as its order's figure, `ORDER_FIGURE_RANK` (`sql/orders.ts`) as one string:
 * `(source = 'browser', received_at, revenue, currency)`, server/import first. The amount in
 * ten-thousandths is scaled as a Decimal128: `revenue * 10000` stays a `Decimal(18, 4)`, which
 * overflows from 9.2 × 10^10 on and failed every cart report of the site.
 */
const FIGURE_KEY = `concat(toString(source = 'browser'), ${orderKey(
  'toUnixTimestamp64Milli(received_at)',
  orderKey('toInt64(toDecimal128(revenue, 4) * 10000)', 'toString(currency)'),
)})`;
/** An order's rank among its cart's orders, `(o_ms, oid)`. */
const FIRST_ORDER_KEY = orderKey('o_ms', 'oid');

/** One row per cart that has an order: the first order's time, id, revenue and currency (none when the range holds no cart event). */
export const CART_ORDERS = `
SELECT
  o_cart AS cart_id,
  min(o_ms) AS purchased_ms,
  argMin(oid, ${FIRST_ORDER_KEY}) AS order_id,
  argMin(o_rev, ${FIRST_ORDER_KEY}) AS order_revenue,
  argMin(o_cur, ${FIRST_ORDER_KEY}) AS order_currency
FROM
(
  SELECT
    order_id AS oid,
    toUnixTimestamp64Milli(min(ts)) AS o_ms,
    argMin(revenue, ${FIGURE_KEY}) AS o_rev,
    argMin(currency, ${FIGURE_KEY}) AS o_cur,
    minIf(cart_id, cart_id != '') AS o_cart
  FROM {db:Identifier}.events_v1
  WHERE ${CART_READ}
    AND type = 'purchase'
    AND order_id != ''
  GROUP BY order_id
)
WHERE o_cart != ''
GROUP BY o_cart`;

/**
 * The cart events read, each with its order key (`k`), its value (`v`; items read as their
 * `price` and `quantity` subcolumns only) and the breakdown column (`dim_value`).
 */
function cartEvents(dimCol: string, extra: string): string {
  return `
SELECT
  cart_id, ts, ${ORDER_KEY} AS k, type, currency, visitor_id, user_id, ${extra}
  ${dimCol} AS dim_value,
  if(revenue > 0, toDecimal128(revenue, 4),
     toDecimal128(arraySum(arrayMap((p, q) -> toDecimal128(p, 4) * q, items.price, items.quantity)), 4)) AS v
FROM {db:Identifier}.events_v1
WHERE ${CART_READ}
  AND cart_id != ''
  AND ${CART_TYPES_IN}`;
}

const SNAP = `e.type NOT IN ('add_to_cart', 'remove_from_cart')`;

/**
 * The fold: one row per cart created in `[from, to)`, with its status at `as_of` (see the rules
 * above). `withItems` also returns the snapshot's items and the item deltas (`(k, is_add,
 * items)` in event order, compared with `snap_key`), for lists.
 *
 * Cost (measured with `pnpm bench carts`): the per-event work is what counts, so every "latest
 * by (ts, event_id)" is an argMax on the one-string order key; the deltas and times are plain
 * `groupArray`s made distinct once per cart (a repeated row is the same element); the idle times
 * are kept only for carts with an order (an unbought cart's status needs only its last event).
 */
export function cartStatesSql(dim: CartDimension, withItems = false): string {
  const d = CART_DIMENSIONS[dim];
  const dimAgg = d.firstNonEmpty
    ? `argMinIf(e.dim_value, e.k, e.dim_value != '')`
    : `argMin(e.dim_value, e.k)`;
  const items = withItems
    ? `
    argMaxIf(e.items, e.k, ${SNAP}) AS snap_items,
    arraySort(arrayDistinct(groupArrayIf((e.k, e.type = 'add_to_cart', e.items), NOT ${SNAP}))) AS item_deltas,`
    : '';
  return `
SELECT
  cart_id, created_ms, last_ms, value, currency, visitor_id, user_id, dim, ${withItems ? 'snap_key, snap_items, item_deltas,' : 'snap_key,'}
  purchased_ms, order_id, order_revenue, order_currency,
  stage_rank,
  multiIf(
    purchased_ms = 0 AND value <= 0, 'empty',
    purchased_ms = 0 AND {as_of_ms:Int64} - last_ms > {timeout_ms:Int64}, 'abandoned',
    purchased_ms = 0, 'open',
    value > 0 AND first_idle_ms != 0
      AND purchased_ms - first_idle_ms - {timeout_ms:Int64} <= {window_ms:Int64}, 'recovered',
    value > 0 AND first_idle_ms != 0, 'abandoned',
    'purchased') AS status,
  multiIf(status = 'abandoned' AND purchased_ms = 0, last_ms + {timeout_ms:Int64},
          status IN ('abandoned', 'recovered'), first_idle_ms + {timeout_ms:Int64}, 0) AS abandoned_ms
FROM
(
SELECT *,
  -- The start of the first idle gap longer than the timeout before the purchase (0: none).
  arrayMap((a, b) -> b - a, arrayPopBack(times), arrayPopFront(times)) AS gaps,
  arrayFirstIndex(g -> g > {timeout_ms:Int64}, gaps) AS gap_at,
  multiIf(purchased_ms = 0, 0, gap_at > 0, times[gap_at],
          purchased_ms - last_ms > {timeout_ms:Int64}, last_ms, 0) AS first_idle_ms
FROM
(
  SELECT
    e.cart_id AS cart_id,
    toUnixTimestamp64Milli(min(e.ts)) AS created_ms,
    toUnixTimestamp64Milli(max(e.ts)) AS last_ms,
    -- The distinct event times, for carts with an order only (see first_idle_ms).
    arraySort(arrayDistinct(groupArrayIf(toUnixTimestamp64Milli(e.ts), o.purchased_ms != 0))) AS times,
    max(multiIf(e.type = 'add_payment_info', 4, e.type = 'add_shipping_info', 3,
                e.type = 'begin_checkout', 2, 1)) AS stage_rank,
    -- '' when there is no snapshot: every delta's key is greater.
    maxIf(e.k, ${SNAP}) AS snap_key,
    argMaxIf(e.v, e.k, ${SNAP}) AS snap_value,
    arrayDistinct(groupArrayIf((e.k, if(e.type = 'add_to_cart', e.v, -e.v)), NOT ${SNAP})) AS deltas,${items}
    toFloat64(greatest(toDecimal128(0, 4),
      snap_value + arraySum(arrayMap(x -> if(x.1 > snap_key, x.2, toDecimal128(0, 4)), deltas)))) AS value,
    argMaxIf(e.currency, e.k, e.currency != '') AS currency,
    argMin(e.visitor_id, e.k) AS visitor_id,
    argMaxIf(e.user_id, e.k, e.user_id != '') AS user_id,
    ${dimAgg} AS dim,
    any(o.purchased_ms) AS purchased_ms,
    any(o.order_id) AS order_id,
    toFloat64(any(o.order_revenue)) AS order_revenue,
    any(o.order_currency) AS order_currency
  FROM (${cartEvents(d.col, withItems ? 'items,' : '')}) AS e
  LEFT JOIN (${CART_ORDERS}) AS o ON e.cart_id = o.cart_id
  WHERE o.purchased_ms = 0 OR toUnixTimestamp64Milli(e.ts) <= o.purchased_ms
  GROUP BY e.cart_id
  HAVING created_ms >= {from_ms:Int64} AND created_ms < {to_ms:Int64}
)
)`;
}

/** The stage name of `stage_rank` (1 … 4), or `purchased`. */
export const stageOf = (rank: number, purchased: boolean): CartStage =>
  purchased ? 'purchased' : (CART_STAGES[Math.min(Math.max(rank, 1), 4) - 1] ?? 'cart');
