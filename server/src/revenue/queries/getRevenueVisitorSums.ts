import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeValues } from '../../sql/range.ts';
import { REVENUE_DIMENSIONS, type RevenueDimension, revenueShape, visitorDimSql } from '../revenue-sql.ts';

const row = z.object({ dim: z.string(), day: z.string(), visitors: count, buyers: count });
export type RevenueVisitorSumsRow = z.infer<typeof row>;
type Params = z.infer<z.ZodObject<typeof revenueShape>>;

/**
 * Distinct visitors and buyers (visitors with a purchase event that has an order id) per
 * attribution value: over the whole range (`day` = '') and per calendar day in {tz} (a visitor
 * counts on each day it was seen; a buyer on each day it bought). Unit: visitor (per day:
 * visitor-day). Rules in `revenue-sql.ts`. One constant SQL text per dimension.
 */
const queries = Object.fromEntries(
  (Object.keys(REVENUE_DIMENSIONS) as RevenueDimension[]).map((dim) => [
    dim,
    defineQuery({
      name: 'getRevenueVisitorSums',
      sql: `
SELECT
  dim,
  day,
  uniqExact(visitor_id) AS visitors,
  uniqExactIf(visitor_id, bought = 1) AS buyers
FROM
(
  SELECT
    d.visitor_id AS visitor_id,
    ${dim === 'none' ? "''" : 'v.dim'} AS dim,
    d.day AS day,
    d.bought AS bought
  FROM
  (
    SELECT visitor_id, toString(toDate(ts, {tz:String})) AS day, max(type = 'purchase' AND order_id != '') AS bought
    FROM {db:Identifier}.events_v1
    WHERE ${SITE_RANGE}
      AND visitor_id != ''
    GROUP BY visitor_id, day
  ) AS d
  ${dim === 'none' ? '' : `LEFT JOIN (${visitorDimSql(dim)}) AS v ON d.visitor_id = v.visitor_id`}
)
GROUP BY GROUPING SETS ((dim), (dim, day))
ORDER BY dim, day`,
      params: z.object(revenueShape),
      row,
    }),
  ]),
) as Record<RevenueDimension, Query<Params, RevenueVisitorSumsRow>>;

export function getRevenueVisitorSums(
  store: Store,
  r: SiteRange,
  dim: RevenueDimension,
  key: string,
  trace?: Trace,
): Promise<RevenueVisitorSumsRow[]> {
  return runQuery(store, queries[dim], { ...siteRangeValues(r), dim_key: key }, trace);
}
