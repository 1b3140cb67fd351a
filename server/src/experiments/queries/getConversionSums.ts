import type { StepAlternative } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { alternativeSql } from '../../sql/filters.ts';
import { Params } from '../../sql/params.ts';
import { count, SITE_RANGE } from '../../sql/range.ts';
import { EXPOSED_VISITORS, type ExposureScope, exposureValues } from '../exposures-sql.ts';

const row = z.object({ variant: z.string(), n: count, conversions: count });
export type ConversionSumsRow = z.infer<typeof row>;

/**
 * Sufficient statistics of a conversion metric per variant: n = counted exposed visitors,
 * conversions = those with an event matching `event` at or after entry, at most `windowSeconds`
 * after it and before the range's end. Unit: visitor (GROUP BY visitor, then by variant). The
 * condition comes from the one filter compiler, every value a parameter; only the matching
 * events are read, and joined on the visitor.
 */
export function getConversionSums(
  store: Store,
  s: ExposureScope,
  metric: { event: StepAlternative; windowSeconds: number },
  trace?: Trace,
): Promise<ConversionSumsRow[]> {
  const p = new Params();
  const condition = alternativeSql(metric.event, p);
  const sql = `
SELECT variant, count() AS n, countIf(converted) AS conversions
FROM
(
  SELECT
    x.visitor_id AS visitor_id,
    x.variant AS variant,
    countIf(e.ms >= x.entered_ms AND e.ms <= x.entered_ms + {window_ms:Int64}) > 0 AS converted
  FROM (${EXPOSED_VISITORS}) AS x
  LEFT JOIN
  (
    SELECT visitor_id, toUnixTimestamp64Milli(ts) AS ms
    FROM {db:Identifier}.events_v1
    WHERE ${SITE_RANGE} AND visitor_id != '' AND (${condition})
  ) AS e ON e.visitor_id = x.visitor_id
  WHERE x.variants = 1
  GROUP BY x.visitor_id, x.variant
)
GROUP BY variant
ORDER BY variant`;
  const params = { ...exposureValues(s), window_ms: metric.windowSeconds * 1000, ...p.values };
  return runGenerated(store, { name: 'getConversionSums', sql, params, row }, trace);
}
