import { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, type Query, runQuery, type Trace } from '../../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../../sql/range.ts';
import { sessionTouchesSql } from '../attribution-sql.ts';

const row = z.object({ value: z.string(), visitors: count });
export type AttributionVisitorsRow = z.infer<typeof row>;
const params = z.object(siteRangeShape);

/**
 * Per value of the dimension: the distinct visitors with a session whose first event in the range
 * has it. Unit: visitor (one visitor counts under each of its sessions' values). One constant SQL
 * text per dimension.
 */
const queries = Object.fromEntries(
  ATTRIBUTION_DIMENSIONS.map((dim) => [
    dim,
    defineQuery({
      name: 'getAttributionVisitors',
      sql: `
SELECT value, uniqExact(visitor_id) AS visitors
FROM (${sessionTouchesSql(dim, SITE_RANGE)})
GROUP BY value
ORDER BY value`,
      params,
      row,
    }),
  ]),
) as Record<AttributionDimension, Query<z.infer<typeof params>, AttributionVisitorsRow>>;

export function getAttributionVisitors(
  store: Store,
  r: SiteRange,
  dim: AttributionDimension,
  trace?: Trace,
): Promise<AttributionVisitorsRow[]> {
  return runQuery(store, queries[dim], siteRangeValues(r), trace);
}
