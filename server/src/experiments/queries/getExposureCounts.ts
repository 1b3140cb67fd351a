import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';
import { type ExposureScope, exposedUnits, exposureValues } from '../units-sql.ts';

const row = z.object({
  multiple: count,
  variant: z.string(),
  units: count,
  /** First and last entry among these units (ms). */
  first_ms: count,
  last_ms: count,
});
export type ExposureCountRow = z.infer<typeof row>;

/**
 * Exposed units of an experiment per variant value, defined or not (`''` = an exposure without
 * a variant). Units exposed to more than one variant are one row with `multiple = 1` and
 * variant `''`; they count nowhere else. Unit: the scope's (segments are not read here).
 */
export function getExposureCounts(
  store: Store,
  s: ExposureScope,
  trace?: Trace,
): Promise<ExposureCountRow[]> {
  const p = new Params();
  const sql = `
SELECT variants > 1 AS multiple, if(multiple, '', variant) AS variant, count() AS units,
  min(entered_ms) AS first_ms, max(entered_ms) AS last_ms
FROM (${exposedUnits({ ...s, segment: { by: 'none' } }, p)})
GROUP BY multiple, variant
ORDER BY multiple, variant`;
  return runGenerated(
    store,
    { name: 'getExposureCounts', sql, params: { ...exposureValues(s), ...p.values }, row },
    trace,
  );
}
