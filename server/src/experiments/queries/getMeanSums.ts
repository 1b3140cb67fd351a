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
 * Sufficient statistics of a per-visitor mean per variant: n = counted exposed visitors (those
 * without orders count with y = 0), Σy and Σy², y = the visitor's revenue or its order count
 * from orders at or after entry, capped when asked. Unit: visitor.
 */
const sql = (events: string) => `
SELECT variant, count() AS n, sum(y) AS sum, sum(y * y) AS sum_sq
FROM
(
  SELECT variant, if({value:String} = 'orders', ${cappedSql('orders')}, ${cappedSql('revenue')}) AS y
  FROM (${visitorOrderTotals(events)})
)
GROUP BY variant
ORDER BY variant`;

export const getMeanSumsQuery = (cluster: string | undefined) =>
  defineQuery({
    name: 'getMeanSums',
    sql: summedOverShards(sql, cluster, ['variant'], ['n', 'sum', 'sum_sq']),
    params: z.object({ ...orderTotalsShape, value: z.enum(['revenue', 'orders']) }),
    row: z.object({ variant: z.string(), n: count, sum: count, sum_sq: count }),
  });

export type MeanSumsRow = z.infer<ReturnType<typeof getMeanSumsQuery>['row']>;

export function getMeanSums(
  store: Store,
  s: ExposureScope,
  metric: { value: 'revenue' | 'orders'; cap?: number | undefined },
  trace?: Trace,
): Promise<MeanSumsRow[]> {
  return runQuery(
    store,
    getMeanSumsQuery(store.cluster),
    { ...exposureValues(s), ...capValues(metric.cap), value: metric.value },
    trace,
  );
}
