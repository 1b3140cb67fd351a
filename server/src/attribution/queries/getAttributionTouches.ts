import { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { ORDERS } from '../../revenue/revenue-sql.ts';
import { count, type SiteRange, siteRangeShape, siteRangeValues } from '../../sql/range.ts';
import { sessionTouchesSql } from '../attribution-sql.ts';

const order = z.tuple([z.string(), count, count, z.string()]);
const touch = z.tuple([count, z.string(), z.string(), count]);
const row = z.object({ orders: z.array(order), touches: z.array(touch) });
export type AttributionTouchesRow = z.infer<typeof row>;

const params = z.object({ ...siteRangeShape, touch_from_ms: z.number().int() });

/**
 * Per visitor with an order in the range (the revenue report's orders, each with its visitor):
 * its orders, each as (order id, time, revenue, currency), and its sessions from
 * {touch_from_ms} (the range's start minus the lookback) to the range's end, each as (start ms,
 * session id, value, direct), in no order. Orders without a visitor are one row without
 * sessions. Each session is sent once, however many of the visitor's orders it touches: the
 * window of each order is cut in `shape.ts`. Unit: visitor. One constant SQL text per dimension.
 */
const queries = Object.fromEntries(
  ATTRIBUTION_DIMENSIONS.map((dim) => [
    dim,
    defineQuery({
      name: 'getAttributionTouches',
      sql: `
SELECT o.orders AS orders, s.touches AS touches
FROM (
  SELECT
    order_visitor,
    groupArray((order_id, order_ms, toFloat64(order_revenue), order_currency)) AS orders
  FROM (${ORDERS})
  GROUP BY order_visitor
) AS o
LEFT JOIN (
  SELECT visitor_id, groupArray((start_ms, session_id, value, direct)) AS touches
  FROM (${sessionTouchesSql(
    dim,
    `site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({touch_from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
  AND visitor_id IN (
    SELECT visitor_id FROM {db:Identifier}.events_v1
    WHERE site_id = {site:String}
      AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
      AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
      AND type = 'purchase' AND order_id != '' AND visitor_id != '')`,
  )})
  GROUP BY visitor_id
) AS s ON s.visitor_id = o.order_visitor`,
      params,
      row,
    }),
  ]),
) as Record<AttributionDimension, Query<z.infer<typeof params>, AttributionTouchesRow>>;

export function getAttributionTouches(
  store: Store,
  r: SiteRange,
  dim: AttributionDimension,
  lookbackMs: number,
  trace?: Trace,
): Promise<AttributionTouchesRow[]> {
  const values = siteRangeValues(r);
  return runQuery(store, queries[dim], { ...values, touch_from_ms: values.from_ms - lookbackMs }, trace);
}
