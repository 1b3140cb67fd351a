import { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { ORDERS } from '../../revenue/revenue-sql.ts';
import { count, type SiteRange, siteRangeShape, siteRangeValues } from '../../sql/range.ts';
import { sessionTouchesSql } from '../attribution-sql.ts';

const touch = z.tuple([count, z.string(), z.string(), count]);
const row = z.object({
  order_id: z.string(),
  order_ms: count,
  revenue: count,
  currency: z.string(),
  touches: z.array(touch),
});
export type AttributionTouchesRow = z.infer<typeof row>;

const params = z.object({
  ...siteRangeShape,
  touch_from_ms: z.number().int(),
  lookback_ms: z.number().int(),
});

/**
 * Per order of the range (the revenue report's orders): its time, revenue and currency, and its
 * touches: the sessions of its visitor that start at most {lookback_ms} before the order and not
 * after it, each as (start ms, session id, value, direct). Sessions are read from {touch_from_ms}
 * (the range's start minus the lookback). Unit: order. One constant SQL text per dimension.
 */
const queries = Object.fromEntries(
  ATTRIBUTION_DIMENSIONS.map((dim) => [
    dim,
    defineQuery({
      name: 'getAttributionTouches',
      sql: `
SELECT
  o.order_id AS order_id,
  o.order_ms AS order_ms,
  toFloat64(o.order_revenue) AS revenue,
  o.order_currency AS currency,
  arrayFilter(t -> t.1 + {lookback_ms:Int64} >= o.order_ms AND t.1 <= o.order_ms, s.touches) AS touches
FROM (${ORDERS}) AS o
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
) AS s ON s.visitor_id = o.order_visitor
ORDER BY o.order_ms, o.order_id`,
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
  return runQuery(
    store,
    queries[dim],
    { ...values, touch_from_ms: values.from_ms - lookbackMs, lookback_ms: lookbackMs },
    trace,
  );
}
