/**
 * The building blocks every experiment query shares: who was exposed, to which variant, from
 * when; and each visitor's orders. The rules (written out in `test/experiments/oracle.ts`):
 *
 * - a visitor enters at its first `exposure` event whose `name` is the key, within the range and
 *   the experiment's dates (`exposed_from_ms`/`exposed_to_ms`, already the intersection);
 * - its variant is `experiments[key]` of its exposures; a visitor whose exposures name more than
 *   one variant is left out of every metric and counted as a multiple exposure;
 * - only events at or after entry, and before the range's end, count for it.
 *
 * Values travel as parameters; the fragments are fixed text, so queries built from them are too.
 * Each takes the events table (`clickhouse/shards.ts`): `EVENTS` on one node, the shard's local
 * table when the whole query runs on every shard of a cluster.
 */
import { z } from 'zod';
import { EVENTS } from '../clickhouse/shards.ts';
import { SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';

/** What the exposure fragment binds besides the site range. */
export const exposureShape = {
  ...siteRangeShape,
  key: z.string(),
  exposed_from_ms: z.number().int(),
  exposed_to_ms: z.number().int(),
};

/** An experiment's exposures read for one request: the range and the dates intersected. */
export interface ExposureScope {
  range: SiteRange;
  key: string;
  /** Exposures in `[exposedFromMs, exposedToMs)` enter: the range within the experiment's dates. */
  exposedFromMs: number;
  exposedToMs: number;
}

export const exposureValues = (s: ExposureScope) => ({
  ...siteRangeValues(s.range),
  key: s.key,
  exposed_from_ms: s.exposedFromMs,
  exposed_to_ms: s.exposedToMs,
});

/**
 * One row per exposed visitor: `visitor_id`, `entered_ms` (first exposure), `variant` (one of its
 * variants) and `variants` (how many distinct ones; 1 for a visitor that counts).
 */
export const exposedVisitors = (events = EVENTS) => `
SELECT
  visitor_id,
  toUnixTimestamp64Milli(min(ts)) AS entered_ms,
  any(experiments[{key:String}]) AS variant,
  uniqExact(experiments[{key:String}]) AS variants
FROM ${events}
WHERE ${SITE_RANGE}
  AND type = 'exposure'
  AND name = {key:String}
  AND visitor_id != ''
  AND ts >= fromUnixTimestamp64Milli({exposed_from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({exposed_to_ms:Int64})
GROUP BY visitor_id`;

/**
 * The ids of the counted visitors (one variant only), to read only their events: the other side
 * of each join is then no larger than the experiment, whatever the site's traffic.
 */
export const countedVisitorIds = (events = EVENTS) =>
  `SELECT visitor_id FROM (${exposedVisitors(events)}) WHERE variants = 1`;

/**
 * One row per (visitor, order) in the range: `order_ms` (the order's first event of that
 * visitor) and `order_revenue`, from a server or import purchase when there is one (the payment
 * system's figure), else the browser's, as `getOrdersSummary` reads it. Purchases without an
 * `order_id` are not orders. Only counted visitors' orders are read.
 */
export const visitorOrders = (events = EVENTS) => `
SELECT
  visitor_id,
  order_id,
  toUnixTimestamp64Milli(min(ts)) AS order_ms,
  toFloat64(argMin(revenue, (source = 'browser', received_at, event_id))) AS order_revenue
FROM ${events}
WHERE ${SITE_RANGE}
  AND type = 'purchase'
  AND order_id != ''
  AND visitor_id IN (${countedVisitorIds(events)})
GROUP BY visitor_id, order_id`;

/**
 * One row per counted visitor (one variant only): its `variant`, `revenue` and `orders` (Float64)
 * from its orders at or after entry. The LEFT JOIN keeps visitors without orders (the join's
 * defaults, order_ms = 0, fail the time test, so they count 0).
 */
export const visitorOrderTotals = (events = EVENTS) => `
SELECT
  x.visitor_id AS visitor_id,
  x.variant AS variant,
  sumIf(o.order_revenue, o.order_ms >= x.entered_ms) AS revenue,
  toFloat64(countIf(o.order_ms >= x.entered_ms)) AS orders
FROM (${exposedVisitors(events)}) AS x
LEFT JOIN (${visitorOrders(events)}) AS o ON o.visitor_id = x.visitor_id
WHERE x.variants = 1
GROUP BY x.visitor_id, x.variant`;

/** `column` capped at `{cap:Float64}` when `{capped:UInt8}` is 1 (winsorising one visitor's value). */
export const cappedSql = (column: 'revenue' | 'orders') =>
  `if({capped:UInt8} = 1, least(${column}, {cap:Float64}), ${column})`;

/** The values the order totals bind: the exposure scope and the cap (0 and unused when none). */
export const orderTotalsShape = { ...exposureShape, capped: z.number().int(), cap: z.number() };

export const capValues = (cap: number | undefined) => ({ capped: cap === undefined ? 0 : 1, cap: cap ?? 0 });
