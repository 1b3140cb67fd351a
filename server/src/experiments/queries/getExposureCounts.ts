import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';
import { EXPOSED_VISITORS, type ExposureScope, exposureShape, exposureValues } from '../exposures-sql.ts';

/**
 * Exposed visitors of an experiment per variant value, defined or not (`''` = an exposure without
 * a variant). Unit: visitor. Visitors exposed to more than one variant are one row with
 * `multiple = 1` and variant `''`; they count nowhere else.
 */
const query = defineQuery({
  name: 'getExposureCounts',
  sql: `
SELECT variants > 1 AS multiple, if(multiple, '', variant) AS variant, count() AS units
FROM (${EXPOSED_VISITORS})
GROUP BY multiple, variant
ORDER BY multiple, variant`,
  params: z.object(exposureShape),
  row: z.object({ multiple: count, variant: z.string(), units: count }),
});

export type ExposureCountRow = z.infer<typeof query.row>;

export function getExposureCounts(
  store: Store,
  s: ExposureScope,
  trace?: Trace,
): Promise<ExposureCountRow[]> {
  return runQuery(store, query, exposureValues(s), trace);
}
