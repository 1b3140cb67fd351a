import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count, HOUR_RANGE, SITE_RANGE, type SiteRange, siteRangeValues } from '../../sql/range.ts';
import { EVENT_ORDER_KEY } from '../../sql/sort-keys.ts';
import { TOUCH_VALUES, touchValue } from '../../sql/touch.ts';
import {
  REVENUE_DIMENSIONS,
  type RevenueDimension,
  type RevenueForm,
  ROLLUP_SETTINGS,
  revenueShape,
  touchColumn,
  visitorDimSql,
} from '../revenue-sql.ts';

const row = z.object({ dim: z.string(), day: z.string(), visitors: count, buyers: count });
export type RevenueVisitorSumsRow = z.infer<typeof row>;
type Params = z.infer<z.ZodObject<typeof revenueShape>>;

/**
 * Distinct visitors and buyers (visitors with a purchase event that has an order id) per
 * attribution value: over the whole range (`day` = '') and per calendar day in {tz} (a visitor
 * counts on each day it was seen; a buyer on each day it bought). Unit: visitor (per day:
 * visitor-day). Rules in `revenue-sql.ts`. One constant SQL text per dimension and form.
 */
const eventsSql = (dim: RevenueDimension) => `
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
  ${dim === 'none' ? '' : `LEFT JOIN (${visitorDimSql(dim, 'events')}) AS v ON d.visitor_id = v.visitor_id`}
)
GROUP BY GROUPING SETS ((dim), (dim, day))
ORDER BY dim, day`;

/** A row per visitor and day of the range from the `revenue_visitors_hourly` rollup: whether it bought that day. */
const hourDays = (touch: string) => `
    SELECT
      visitor_id,
      toDate(toStartOfHour(ts), {tz:String}) AS day,
      max(type = 'purchase' AND order_id != '') AS bought${touch}
    FROM {db:Identifier}.events_v1
    WHERE ${HOUR_RANGE}
      AND visitor_id != ''
    GROUP BY visitor_id, day`;

/**
 * The same from the `revenue_visitors_hourly` rollup (migration 020). Each visitor-day and each
 * visitor is one row there, so the counts are plain counts, with no set of ids per group as
 * `uniqExact` over grouping sets keeps (about 1 s of CPU at 10 M events).
 * - `none`: the days' rows counted per day, and the rollup read again by visitor for the range's
 *   row (cheaper than carrying each visitor's days through a second grouping);
 * - a breakdown, in one read: each visitor-day with its first touch of the day, then each visitor
 *   with its days and its first touch (that of its first day, which holds its first event),
 *   spread back into its days and the range's row (`day` = '', spread as 1970-01-01, a day no
 *   report range holds: ranges lie in 2000–2099).
 */
const hoursSql = (dim: Exclude<RevenueDimension, 'variant'>) => {
  const column = touchColumn(dim);
  if (!column)
    return `
SELECT dim, day, visitors, buyers
FROM
(
  SELECT '' AS dim, toString(day) AS day, count() AS visitors, countIf(bought = 1) AS buyers
  FROM (${hourDays('')}
  )
  GROUP BY day
  UNION ALL
  SELECT '', '', count(), countIf(bought = 1)
  FROM
  (
    SELECT visitor_id, max(type = 'purchase' AND order_id != '') AS bought
    FROM {db:Identifier}.events_v1
    WHERE ${HOUR_RANGE}
      AND visitor_id != ''
    GROUP BY visitor_id
  )
  HAVING count() > 0
)
ORDER BY dim, day
${ROLLUP_SETTINGS}`;
  return `
SELECT dim, if(day = toDate(0), '', toString(day)) AS day, count() AS visitors, countIf(bought = 1) AS buyers
FROM
(
  SELECT
    visitor_id,
    ${touchValue(column, 'argMin(touch, day)')} AS dim,
    groupArray(day) AS days,
    groupArray(bought) AS bought_days,
    max(bought) AS bought_ever
  FROM (${hourDays(`,
      argMin(${TOUCH_VALUES}, ${EVENT_ORDER_KEY}) AS touch`)}
  )
  GROUP BY visitor_id
)
ARRAY JOIN arrayPushFront(days, toDate(0)) AS day, arrayPushFront(bought_days, bought_ever) AS bought
GROUP BY dim, day
ORDER BY dim, day
${ROLLUP_SETTINGS}`;
};

const define = (sql: string) =>
  defineQuery({ name: 'getRevenueVisitorSums', sql, params: z.object(revenueShape), row });
const dims = Object.keys(REVENUE_DIMENSIONS) as RevenueDimension[];
const queries = {
  events: Object.fromEntries(dims.map((dim) => [dim, define(eventsSql(dim))])),
  hours: Object.fromEntries(dims.filter((d) => d !== 'variant').map((dim) => [dim, define(hoursSql(dim))])),
} as Record<RevenueForm, Partial<Record<RevenueDimension, Query<Params, RevenueVisitorSumsRow>>>>;

/** The sums of one dimension (`key`: the experiment of `variant`), read as `form` says (`revenueForm`). */
export function getRevenueVisitorSums(
  store: Store,
  r: SiteRange,
  q: { dim: RevenueDimension; key: string; form: RevenueForm },
  trace?: Trace,
): Promise<RevenueVisitorSumsRow[]> {
  const query = queries[q.form][q.dim];
  if (!query) throw new Error(`no ${q.form} form for ${q.dim}`);
  return runQuery(store, query, { ...siteRangeValues(r), dim_key: q.key }, trace);
}
