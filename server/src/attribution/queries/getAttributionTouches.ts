import type { AttributionDimension } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runQuery, type Trace } from '../../clickhouse/query.ts';
import { ORDERS, ORDERS_FROM_HOURS, ROLLUP_SETTINGS } from '../../revenue/revenue-sql.ts';
import { count, type SiteRange, siteRangeShape, siteRangeValues } from '../../sql/range.ts';
import { perFormAndDimension, sessionTouchesSql, type TouchForm } from '../attribution-sql.ts';

const order = z.tuple([z.string(), count, count, z.string()]);
const touch = z.tuple([count, z.string(), z.string(), count]);
const row = z.object({ orders: z.array(order), touches: z.array(touch) });
export type AttributionTouchesRow = z.infer<typeof row>;

const params = z.object({ ...siteRangeShape, touch_from_ms: z.number().int() });

/**
 * Per visitor with an order in the range (the revenue report's orders, each with its visitor):
 * its orders, each as (order id, time, revenue, currency), and its sessions from
 * {touch_from_ms} (the range's start minus the lookback) to the range's end, each as (start ms,
 * session id, value, direct), in no order; only the orders' visitors' sessions are grouped. Orders
 * without a visitor are one row without sessions. Each session is sent once, however many of the
 * visitor's orders it touches: the window of each order is cut in `shape.ts`. Unit: visitor. `hours`: the orders from the revenue
 * rollups and the sessions from the session rollup (migrations 020, 022), for whole-hour ranges.
 * One constant SQL text per dimension and form.
 */
const ts = (form: TouchForm) => (form === 'hours' ? 'toStartOfHour(ts)' : 'ts');
const sql = (dim: AttributionDimension, form: TouchForm) => {
  const orders = form === 'hours' ? ORDERS_FROM_HOURS : ORDERS;
  return `
SELECT o.orders AS orders, s.touches AS touches
FROM (
  SELECT
    order_visitor,
    groupArray((order_id, order_ms, toFloat64(order_revenue), order_currency)) AS orders
  FROM (${orders})
  GROUP BY order_visitor
) AS o
LEFT JOIN (
  SELECT visitor_id, groupArray((start_ms, session_id, value, direct)) AS touches
  FROM (${sessionTouchesSql(
    dim,
    `site_id = {site:String}
  AND ${ts(form)} >= fromUnixTimestamp64Milli({touch_from_ms:Int64})
  AND ${ts(form)} < fromUnixTimestamp64Milli({to_ms:Int64})
  AND visitor_id IN (SELECT order_visitor FROM (${orders}))`,
    form,
  )})
  GROUP BY visitor_id
) AS s ON s.visitor_id = o.order_visitor${form === 'hours' ? `\n${ROLLUP_SETTINGS}` : ''}`;
};
const queries = perFormAndDimension('getAttributionTouches', sql, params, row);

export function getAttributionTouches(
  store: Store,
  r: SiteRange,
  q: { dim: AttributionDimension; form: TouchForm; lookbackMs: number },
  trace?: Trace,
): Promise<AttributionTouchesRow[]> {
  const values = siteRangeValues(r);
  const query = queries[q.form][q.dim];
  return runQuery(store, query, { ...values, touch_from_ms: values.from_ms - q.lookbackMs }, trace);
}
