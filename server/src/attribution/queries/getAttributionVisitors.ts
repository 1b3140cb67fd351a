import type { AttributionDimension } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runQuery, type Trace } from '../../clickhouse/query.ts';
import { ROLLUP_SETTINGS } from '../../revenue/revenue-sql.ts';
import {
  count,
  HOUR_RANGE,
  SITE_RANGE,
  type SiteRange,
  siteRangeShape,
  siteRangeValues,
} from '../../sql/range.ts';
import { perFormAndDimension, sessionTouchesSql, type TouchForm } from '../attribution-sql.ts';

const row = z.object({ value: z.string(), visitors: count });
export type AttributionVisitorsRow = z.infer<typeof row>;
const params = z.object(siteRangeShape);

/**
 * Per value of the dimension: the distinct visitors with a session whose first event in the range
 * has it. Unit: visitor (one visitor counts under each of its sessions' values). `hours`: from the
 * session rollup (migration 022), for whole-hour ranges. One constant SQL text per dimension and
 * form.
 */
const sql = (dim: AttributionDimension, form: TouchForm) => `
SELECT value, uniqExact(visitor_id) AS visitors
FROM (${sessionTouchesSql(dim, form === 'hours' ? HOUR_RANGE : SITE_RANGE, form)})
GROUP BY value
ORDER BY value${form === 'hours' ? `\n${ROLLUP_SETTINGS}` : ''}`;
const queries = perFormAndDimension('getAttributionVisitors', sql, params, row);

export function getAttributionVisitors(
  store: Store,
  r: SiteRange,
  q: { dim: AttributionDimension; form: TouchForm },
  trace?: Trace,
): Promise<AttributionVisitorsRow[]> {
  return runQuery(store, queries[q.form][q.dim], siteRangeValues(r), trace);
}
