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
 *
 * "First" is by `(ts, event_id)` everywhere. Each query has two forms that give the same rows
 * (`RevenueForm`): `events` reads every event of the range; `hours` reads the hourly rollups of
 * migration 020 instead.
 */
import { z } from 'zod';
import { ORDER_FIGURE_KEY, ORDER_FIGURE_RANK } from '../sql/orders.ts';
import { HOUR_RANGE, rollupForm, SITE_RANGE, type SiteRange, siteRangeShape } from '../sql/range.ts';
import { EVENT_ORDER_KEY } from '../sql/sort-keys.ts';
import { TOUCH_VALUES, type TouchColumn, touchValue } from '../sql/touch.ts';

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

/**
 * Where a revenue query reads. `hours`: the rollups of migration 020, for a range `rollupForm`
 * sends to the hourly rollups (whole hours, a zone offset by whole hours; the report has no
 * segment) and a breakdown they keep (not `variant`: they keep no experiments). `events`: the rest.
 */
export type RevenueForm = 'hours' | 'events';

export function revenueForm(r: SiteRange, dim: RevenueDimension): RevenueForm {
  return dim !== 'variant' && rollupForm(r, {}) === 'hours' ? 'hours' : 'events';
}

/**
 * Ends every `hours` query. ClickHouse rewrites `x = ''` into `empty(x)`, and then `empty` of a
 * String column into a read of its size: the query's aggregates would no longer be the rollup's,
 * which are written with `= ''` and `!= ''`, and the events would be read instead.
 */
export const ROLLUP_SETTINGS = 'SETTINGS optimize_empty_string_comparisons = 0';

/** The rollup's first-touch column for a dimension (`none` has none). */
export function touchColumn(dim: Exclude<RevenueDimension, 'variant'>): TouchColumn | null {
  return dim === 'none' ? null : REVENUE_DIMENSIONS[dim].col;
}

/** One row per visitor of the range: its attribution value `dim`. */
export function visitorDimSql(dim: RevenueDimension, form: RevenueForm): string {
  if (form === 'hours') {
    if (dim === 'variant') throw new Error('no rollup keeps experiments');
    const column = touchColumn(dim);
    return `
SELECT visitor_id, ${column ? touchValue(column, `argMin(${TOUCH_VALUES}, ${EVENT_ORDER_KEY})`) : "''"} AS dim
FROM {db:Identifier}.events_v1
WHERE ${HOUR_RANGE}
  AND visitor_id != ''
GROUP BY visitor_id`;
  }
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

/**
 * `ORDERS` from the `revenue_orders_hourly` rollup (migration 020): the same aggregates by keys
 * that sort as `ORDERS`' do (the order's visitor: an empty id after every other, then by
 * `(ts, event_id)`). An order reported in several hours merges its hours' states.
 */
export const ORDERS_FROM_HOURS = `
SELECT
  order_id,
  toUnixTimestamp64Milli(min(ts)) AS order_ms,
  argMin(revenue, ${ORDER_FIGURE_KEY}) AS order_revenue,
  argMin(currency, ${ORDER_FIGURE_KEY}) AS order_currency,
  argMin(visitor_id, concat(if(visitor_id = '', '1', '0'), ${EVENT_ORDER_KEY})) AS order_visitor
FROM {db:Identifier}.events_v1
WHERE ${HOUR_RANGE}
  AND type = 'purchase'
  AND order_id != ''
GROUP BY order_id`;
