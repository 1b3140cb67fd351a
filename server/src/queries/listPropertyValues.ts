import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';

/** Free property keys seen in a range with their most common values; events per value (stored rows: one per event id). At most {limit} values per key. */
const query = defineQuery({
  name: 'listPropertyValues',
  sql: `
SELECT k AS key, props[k] AS value, count() AS events
FROM {db:Identifier}.events_v1
ARRAY JOIN mapKeys(props) AS k
WHERE ${SITE_RANGE}
GROUP BY key, value
ORDER BY key, events DESC, value
LIMIT {limit:UInt32} BY key
LIMIT 5000`,
  params: z.object({ ...siteRangeShape, limit: z.number().int().min(1) }),
  row: z.object({ key: z.string(), value: z.string(), events: count }),
});

export type PropertyValueRow = z.infer<typeof query.row>;

export function listPropertyValues(
  store: Store,
  r: SiteRange,
  limit: number,
  trace?: Trace,
): Promise<PropertyValueRow[]> {
  return runQuery(store, query, { ...siteRangeValues(r), limit }, trace);
}
