import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';
import { SEGMENT, type Segment, segmentShape, segmentValues } from '../sql/segment.ts';

/** Per calendar day in zone {tz}: distinct visitors, sessions, pageviews and events. Days without events are absent. */
const query = defineQuery({
  name: 'getDailySeries',
  sql: `
SELECT
  toString(toDate(ts, {tz:String})) AS day,
  uniqExact(visitor_id) AS visitors,
  uniqExact(session_id) AS sessions,
  uniqExactIf(event_id, source = 'browser', type = 'pageview') AS pageviews,
  uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND ${SEGMENT}
GROUP BY day
ORDER BY day`,
  params: z.object({ ...siteRangeShape, ...segmentShape }),
  row: z.object({ day: z.string(), visitors: count, sessions: count, pageviews: count, events: count }),
});

export type DayRow = z.infer<typeof query.row>;

export function getDailySeries(
  store: Store,
  r: SiteRange,
  segment: Segment,
  trace?: Trace,
): Promise<DayRow[]> {
  return runQuery(store, query, { ...siteRangeValues(r), ...segmentValues(segment) }, trace);
}
