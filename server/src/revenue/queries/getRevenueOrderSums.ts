import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { sumMoney, sumMoneySquares } from '../../sql/money.ts';
import { count, type SiteRange, siteRangeValues } from '../../sql/range.ts';
import {
  ORDERS,
  ORDERS_FROM_HOURS,
  REVENUE_DIMENSIONS,
  type RevenueDimension,
  type RevenueForm,
  ROLLUP_SETTINGS,
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
 * One constant SQL text per dimension and form: `events` reads the orders and the visitors'
 * attribution from the events, `hours` from the rollups of migration 020 (`ORDERS_FROM_HOURS`,
 * `visitorDimSql`).
 */
const sqlOf = (dim: RevenueDimension, form: RevenueForm) => `
SELECT
  ${dim === 'none' ? "''" : 'v.dim'} AS dim,
  toString(toDate(fromUnixTimestamp64Milli(o.order_ms), {tz:String})) AS day,
  o.order_currency AS currency,
  count() AS orders,
  ${sumMoney('o.order_revenue')} AS revenue,
  ${sumMoneySquares('o.order_revenue')} AS revenue_sq
FROM (${form === 'hours' ? ORDERS_FROM_HOURS : ORDERS}) AS o
${dim === 'none' ? '' : `LEFT JOIN (${visitorDimSql(dim, form)}) AS v ON o.order_visitor = v.visitor_id`}
GROUP BY dim, day, currency
ORDER BY dim, day, currency${form === 'hours' ? `\n${ROLLUP_SETTINGS}` : ''}`;

const define = (dim: RevenueDimension, form: RevenueForm) =>
  defineQuery({ name: 'getRevenueOrderSums', sql: sqlOf(dim, form), params: z.object(revenueShape), row });
const dims = Object.keys(REVENUE_DIMENSIONS) as RevenueDimension[];
const queries = {
  events: Object.fromEntries(dims.map((dim) => [dim, define(dim, 'events')])),
  hours: Object.fromEntries(dims.filter((d) => d !== 'variant').map((dim) => [dim, define(dim, 'hours')])),
} as Record<RevenueForm, Partial<Record<RevenueDimension, Query<Params, RevenueOrderSumsRow>>>>;

/** The sums of one dimension (`key`: the experiment of `variant`), read as `form` says (`revenueForm`). */
export function getRevenueOrderSums(
  store: Store,
  r: SiteRange,
  q: { dim: RevenueDimension; key: string; form: RevenueForm },
  trace?: Trace,
): Promise<RevenueOrderSumsRow[]> {
  const query = queries[q.form][q.dim];
  if (!query) throw new Error(`no ${q.form} form for ${q.dim}`);
  return runQuery(store, query, { ...siteRangeValues(r), dim_key: q.key }, trace);
}
