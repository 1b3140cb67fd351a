import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { sumMoney, sumMoneySquares } from '../../sql/money.ts';
import { count, type SiteRange, siteRangeValues } from '../../sql/range.ts';
import {
  ORDERS,
  REVENUE_DIMENSIONS,
  type RevenueDimension,
  revenueShape,
  visitorDimSql,
} from '../revenue-sql.ts';

const row = z.object({
  dim: z.string(),
  day: z.string(),
  currency: z.string(),
  orders: count,
  revenue: count,
  revenue_sq: count,
});
export type RevenueOrderSumsRow = z.infer<typeof row>;
type Params = z.infer<z.ZodObject<typeof revenueShape>>;

/**
 * Orders, Σ revenue and Σ revenue² per attribution value, calendar day of the order in {tz} and currency
 * (rules in `revenue-sql.ts`). Unit: order. Sums exact, in types that cannot overflow (`sql/money.ts`).
 * One constant SQL text per dimension.
 */
const queries = Object.fromEntries(
  (Object.keys(REVENUE_DIMENSIONS) as RevenueDimension[]).map((dim) => [
    dim,
    defineQuery({
      name: 'getRevenueOrderSums',
      sql: `
SELECT
  ${dim === 'none' ? "''" : 'v.dim'} AS dim,
  toString(toDate(fromUnixTimestamp64Milli(o.order_ms), {tz:String})) AS day,
  o.order_currency AS currency,
  count() AS orders,
  ${sumMoney('o.order_revenue')} AS revenue,
  ${sumMoneySquares('o.order_revenue')} AS revenue_sq
FROM (${ORDERS}) AS o
${dim === 'none' ? '' : `LEFT JOIN (${visitorDimSql(dim)}) AS v ON o.order_visitor = v.visitor_id`}
GROUP BY dim, day, currency
ORDER BY dim, day, currency`,
      params: z.object(revenueShape),
      row,
    }),
  ]),
) as Record<RevenueDimension, Query<Params, RevenueOrderSumsRow>>;

export function getRevenueOrderSums(
  store: Store,
  r: SiteRange,
  dim: RevenueDimension,
  key: string,
  trace?: Trace,
): Promise<RevenueOrderSumsRow[]> {
  return runQuery(store, queries[dim], { ...siteRangeValues(r), dim_key: key }, trace);
}
