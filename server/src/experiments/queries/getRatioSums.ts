import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';
import {
  cappedSql,
  capValues,
  type ExposureScope,
  exposureValues,
  orderTotalsShape,
  VISITOR_ORDER_TOTALS,
} from '../exposures-sql.ts';

/**
 * Sufficient statistics of average order value (Σ revenue / Σ orders) per variant, for the delta
 * method: n = counted exposed visitors, x = a visitor's revenue (capped when asked), y = its
 * orders, both from orders at or after entry; Σx, Σy, Σx², Σy², Σxy. Unit: visitor, since the
 * visitor is what was randomised (one visitor's orders are not independent).
 */
const query = defineQuery({
  name: 'getRatioSums',
  sql: `
SELECT variant, count() AS n,
  sum(x) AS sum_x, sum(y) AS sum_y, sum(x * x) AS sum_x_sq, sum(y * y) AS sum_y_sq, sum(x * y) AS sum_xy
FROM
(
  SELECT variant, ${cappedSql('revenue')} AS x, orders AS y
  FROM (${VISITOR_ORDER_TOTALS})
)
GROUP BY variant
ORDER BY variant`,
  params: z.object(orderTotalsShape),
  row: z.object({
    variant: z.string(),
    n: count,
    sum_x: count,
    sum_y: count,
    sum_x_sq: count,
    sum_y_sq: count,
    sum_xy: count,
  }),
});

export type RatioSumsRow = z.infer<typeof query.row>;

export function getRatioSums(
  store: Store,
  s: ExposureScope,
  metric: { cap?: number | undefined },
  trace?: Trace,
): Promise<RatioSumsRow[]> {
  return runQuery(store, query, { ...exposureValues(s), ...capValues(metric.cap) }, trace);
}
