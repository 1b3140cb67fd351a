import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';

/** Event types and names (custom names, click names, experiment keys) seen in a range, with their events (stored rows: one per event id). */
const query = defineQuery({
  name: 'listEventNames',
  sql: `
SELECT type, name, count() AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
GROUP BY type, name
ORDER BY events DESC, type, name
LIMIT 500`,
  params: z.object(siteRangeShape),
  row: z.object({ type: z.string(), name: z.string(), events: count }),
});

export type EventNameRow = z.infer<typeof query.row>;

export function listEventNames(store: Store, r: SiteRange, trace?: Trace): Promise<EventNameRow[]> {
  return runQuery(store, query, siteRangeValues(r), trace);
}
