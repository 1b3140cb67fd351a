/**
 * The building blocks of the revenue report. Rules (also in the API docs, `REVENUE_DEFINITIONS`):
 *
 * - Events read: the site's events with `ts` in `[from, to)`.
 * - Orders: purchase events with an `order_id`, one order per `order_id` (its events in the range),
 *   dated by its first purchase event; revenue and currency from a server/import purchase when
 *   there is one, else the browser's, among equals the first received, then the smaller amount (`sql/orders.ts`).
 *   The order's visitor: the visitor id of its first purchase event that carries one.
 * - Visitors: distinct non-empty visitor ids with an event in the range; buyers: those of them
 *   with a purchase event that has an `order_id`.
 * - Attribution for breakdowns: the visitor's first event in the range (channel, campaign,
 *   source, country, device); a variant: the visitor's first event carrying the experiment key.
 *   An order whose visitor is unknown counts in the group `''`.
 */
import { z } from 'zod';
import { ORDER_FIGURE_RANK } from '../sql/orders.ts';
import { SITE_RANGE, siteRangeShape } from '../sql/range.ts';

export const REVENUE_DIMENSIONS = {
  none: { col: "''", firstNonEmpty: false },
  channel: { col: 'channel', firstNonEmpty: false },
  utm_source: { col: 'utm_source', firstNonEmpty: false },
  utm_campaign: { col: 'utm_campaign', firstNonEmpty: false },
  country: { col: 'country', firstNonEmpty: false },
  device: { col: 'device', firstNonEmpty: false },
  variant: { col: 'experiments[{dim_key:String}]', firstNonEmpty: true },
} as const;
export type RevenueDimension = keyof typeof REVENUE_DIMENSIONS;

export const revenueShape = { ...siteRangeShape, dim_key: z.string() };

/** One row per visitor of the range: its attribution value `dim`. */
export function visitorDimSql(dim: RevenueDimension): string {
  const d = REVENUE_DIMENSIONS[dim];
  const agg = d.firstNonEmpty
    ? `argMinIf(${d.col}, (ts, event_id), ${d.col} != '')`
    : `argMin(${d.col}, (ts, event_id))`;
  return `
SELECT visitor_id, ${agg} AS dim
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND visitor_id != ''
GROUP BY visitor_id`;
}

/** One row per order of the range: time, revenue, currency and visitor. */
export const ORDERS = `
SELECT
  order_id,
  toUnixTimestamp64Milli(min(ts)) AS order_ms,
  argMin(revenue, ${ORDER_FIGURE_RANK}) AS order_revenue,
  argMin(currency, ${ORDER_FIGURE_RANK}) AS order_currency,
  argMinIf(visitor_id, (ts, event_id), visitor_id != '') AS order_visitor
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND type = 'purchase'
  AND order_id != ''
GROUP BY order_id`;
