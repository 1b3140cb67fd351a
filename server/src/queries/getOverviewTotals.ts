import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';
import { SEGMENT, type Segment, segmentShape, segmentValues } from '../sql/segment.ts';

/** Distinct visitors, sessions, pageviews and events of a site in a range (and segment). Each event id counts once. */
const query = defineQuery({
  name: 'getOverviewTotals',
  sql: `
SELECT
  uniqExact(visitor_id) AS visitors,
  uniqExact(session_id) AS sessions,
  uniqExactIf(event_id, source = 'browser', type = 'pageview') AS pageviews,
  uniqExact(event_id, source = 'browser') AS events
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND ${SEGMENT}`,
  params: z.object({ ...siteRangeShape, ...segmentShape }),
  row: z.object({ visitors: count, sessions: count, pageviews: count, events: count }),
});

export type Totals = z.infer<typeof query.row>;

export async function getOverviewTotals(
  store: Store,
  r: SiteRange,
  segment: Segment,
  trace?: Trace,
): Promise<Totals> {
  const [row] = await runQuery(store, query, { ...siteRangeValues(r), ...segmentValues(segment) }, trace);
  return row ?? { visitors: 0, sessions: 0, pageviews: 0, events: 0 };
}
