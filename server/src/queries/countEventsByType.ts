import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';
import { SEGMENT, type Segment, segmentShape, segmentValues } from '../sql/segment.ts';

/** Distinct events per event type of a site in a range (and segment). Unit: event id. */
const query = defineQuery({
  name: 'countEventsByType',
  sql: `
SELECT type, uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND ${SEGMENT}
GROUP BY type
ORDER BY events DESC, type`,
  params: z.object({ ...siteRangeShape, ...segmentShape }),
  row: z.object({ type: z.string(), events: count }),
});

export async function countEventsByType(
  store: Store,
  r: SiteRange,
  segment: Segment,
  trace?: Trace,
): Promise<Record<string, number>> {
  const rows = await runQuery(store, query, { ...siteRangeValues(r), ...segmentValues(segment) }, trace);
  return Object.fromEntries(rows.map((row) => [row.type, row.events]));
}
