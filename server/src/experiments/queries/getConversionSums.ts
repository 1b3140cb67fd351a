import type { StepAlternative } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { summedOverShards } from '../../clickhouse/shards.ts';
import { alternativeSql } from '../../sql/filters.ts';
import { Params } from '../../sql/params.ts';
import { count, SITE_RANGE } from '../../sql/range.ts';
import { countedVisitorIds, type ExposureScope, exposedVisitors, exposureValues } from '../exposures-sql.ts';

const row = z.object({ variant: z.string(), n: count, conversions: count });
export type ConversionSumsRow = z.infer<typeof row>;

/**
 * Sufficient statistics of a conversion metric per variant: n = counted exposed visitors,
 * conversions = those with an event matching `event` at or after entry, at most `windowSeconds`
 * after it and before the range's end. Unit: visitor (GROUP BY visitor, then by variant). The
 * condition comes from the one filter compiler, every value a parameter; only the matching
 * events of counted visitors are read, as one array of times per visitor (a 1:1 join).
 */
export function getConversionSums(
  store: Store,
  s: ExposureScope,
  metric: { event: StepAlternative; windowSeconds: number },
  trace?: Trace,
): Promise<ConversionSumsRow[]> {
  const { sql, params } = conversionSumsSql(s, metric, store.cluster);
  return runGenerated(store, { name: 'getConversionSums', sql, params, row }, trace);
}

/** The query's text and values, for one node or (`cluster`) summed over every shard. */
export function conversionSumsSql(
  s: ExposureScope,
  metric: { event: StepAlternative; windowSeconds: number },
  cluster: string | undefined,
): { sql: string; params: Record<string, unknown> } {
  const p = new Params();
  const condition = alternativeSql(metric.event, p);
  const perShard = (events: string) => `
SELECT variant, count() AS n, countIf(converted) AS conversions
FROM
(
  SELECT
    x.visitor_id AS visitor_id,
    x.variant AS variant,
    arrayExists((t) -> t >= x.entered_ms AND t <= x.entered_ms + {window_ms:Int64}, e.times) AS converted
  FROM (${exposedVisitors(events)}) AS x
  LEFT JOIN
  (
    SELECT visitor_id, groupArray(toUnixTimestamp64Milli(ts)) AS times
    FROM ${events}
    WHERE ${SITE_RANGE} AND (${condition}) AND visitor_id IN (${countedVisitorIds(events)})
    GROUP BY visitor_id
  ) AS e ON e.visitor_id = x.visitor_id
  WHERE x.variants = 1
)
GROUP BY variant
ORDER BY variant`;
  const sql = summedOverShards(perShard, cluster, ['variant'], ['n', 'conversions']);
  return { sql, params: { ...exposureValues(s), window_ms: metric.windowSeconds * 1000, ...p.values } };
}
