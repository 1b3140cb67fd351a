import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../../clickhouse/query.ts';
import { summedOverShards } from '../../clickhouse/shards.ts';
import { count } from '../../sql/range.ts';
import {
  cappedSql,
  capValues,
  type ExposureScope,
  exposureValues,
  orderTotalsShape,
  visitorOrderTotals,
} from '../exposures-sql.ts';

/**
 * Sufficient statistics of average order value (Σ revenue / Σ orders) per variant, for the delta
 * method: n = counted exposed visitors, x = a visitor's revenue (capped when asked), y = its
 * orders, both from orders at or after entry; Σx, Σy, Σx², Σy², Σxy. Unit: visitor, since the
 * visitor is what was randomised (one visitor's orders are not independent).
 */
const sql = (events: string) => `
SELECT variant, count() AS n,
  sum(x) AS sum_x, sum(y) AS sum_y, sum(x * x) AS sum_x_sq, sum(y * y) AS sum_y_sq, sum(x * y) AS sum_xy
FROM
(
  SELECT variant, ${cappedSql('revenue')} AS x, orders AS y
  FROM (${visitorOrderTotals(events)})
)
GROUP BY variant
ORDER BY variant`;

export const getRatioSumsQuery = (cluster: string | undefined) =>
  defineQuery({
    name: 'getRatioSums',
    sql: summedOverShards(
      sql,
      cluster,
      ['variant'],
      ['n', 'sum_x', 'sum_y', 'sum_x_sq', 'sum_y_sq', 'sum_xy'],
    ),
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

export type RatioSumsRow = z.infer<ReturnType<typeof getRatioSumsQuery>['row']>;

export function getRatioSums(
  store: Store,
  s: ExposureScope,
  metric: { cap?: number | undefined },
  trace?: Trace,
): Promise<RatioSumsRow[]> {
  return runQuery(
    store,
    getRatioSumsQuery(store.cluster),
    { ...exposureValues(s), ...capValues(metric.cap) },
    trace,
  );
}
