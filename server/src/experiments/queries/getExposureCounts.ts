import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../../clickhouse/query.ts';
import { summedOverShards } from '../../clickhouse/shards.ts';
import { count } from '../../sql/range.ts';
import { type ExposureScope, exposedVisitors, exposureShape, exposureValues } from '../exposures-sql.ts';

/**
 * Exposed visitors of an experiment per variant value, defined or not (`''` = an exposure without
 * a variant). Unit: visitor. Visitors exposed to more than one variant are one row with
 * `multiple = 1` and variant `''`; they count nowhere else. On a cluster: counted on every shard,
 * added up (a visitor's exposures are all on its shard, so its variants are too).
 */
const sql = (events: string) => `
SELECT variants > 1 AS multiple, if(multiple, '', variant) AS variant, count() AS units
FROM (${exposedVisitors(events)})
GROUP BY multiple, variant
ORDER BY multiple, variant`;

const row = z.object({ multiple: count, variant: z.string(), units: count });

export const getExposureCountsQuery = (cluster: string | undefined) =>
  defineQuery({
    name: 'getExposureCounts',
    sql: summedOverShards(sql, cluster, ['multiple', 'variant'], ['units']),
    params: z.object(exposureShape),
    row,
  });

export type ExposureCountRow = z.infer<typeof row>;

export function getExposureCounts(
  store: Store,
  s: ExposureScope,
  trace?: Trace,
): Promise<ExposureCountRow[]> {
  return runQuery(store, getExposureCountsQuery(store.cluster), exposureValues(s), trace);
}
