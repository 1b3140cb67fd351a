import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { DISTINCT } from '../sql/distinct.ts';
import {
  count,
  HOUR_RANGE,
  SITE_RANGE,
  type SiteRange,
  siteRangeShape,
  siteRangeValues,
} from '../sql/range.ts';
import { type RollupSource, SEGMENT, segmentShape, sourceValues } from '../sql/segment.ts';

/**
 * The overview's counts: the range's totals (kind 0), each calendar day's in zone {tz} (kind 1)
 * and each event type's events (kind 2). Events are stored rows: storage keeps each (site, id
 * space, event id) once (`wal/dedup.ts`), so `count()` is exact and reads no id. Visitors and
 * sessions are `DISTINCT` (`sql/distinct.ts`): exact up to its limit, estimated above it. Three
 * aggregations over one range rather than `GROUPING SETS`, which would count visitors and
 * sessions for every type too (measured 1.5-2x slower at 10 M events).
 *
 * Two forms of one query. `hours`, for a range `onWholeHours` accepts without a segment: the range
 * and the days are stated on `toStartOfHour(ts)`, which the hourly rollups (migration 014) hold,
 * so ClickHouse reads a row per hour instead of every event; their visitor and session states
 * merge to the same counts. `events` for the rest (a range cut inside an hour, a zone offset by
 * half an hour, a segment, whose sessions the rollups do not know).
 */
const sqlOf = (where: string, hour: string) => `
SELECT 0 AS kind, '' AS day, '' AS event_type,
  ${DISTINCT('visitor_id')} AS visitors, ${DISTINCT('session_id')} AS sessions,
  countIf(type = 'pageview') AS pageviews, count() AS events
FROM {db:Identifier}.events_v1
WHERE ${where}
UNION ALL
SELECT 1, toString(toDate(${hour}, {tz:String})) AS day, '',
  ${DISTINCT('visitor_id')}, ${DISTINCT('session_id')}, countIf(type = 'pageview'), count()
FROM {db:Identifier}.events_v1
WHERE ${where}
GROUP BY day
UNION ALL
SELECT 2, '', type, 0, 0, 0, count()
FROM {db:Identifier}.events_v1
WHERE ${where}
GROUP BY type`;

const segmented = z.object({ ...siteRangeShape, ...segmentShape });
const row = z.object({
  kind: count,
  day: z.string(),
  event_type: z.string(),
  visitors: count,
  sessions: count,
  pageviews: count,
  events: count,
});
const queries = {
  // No segment: the fragment's session subquery would keep ClickHouse off the rollups.
  hours: defineQuery({
    name: 'getOverviewCounts',
    sql: sqlOf(HOUR_RANGE, 'toStartOfHour(ts)'),
    params: z.object(siteRangeShape),
    row,
  }),
  events: defineQuery({
    name: 'getOverviewCounts',
    sql: sqlOf(`${SITE_RANGE}\n  AND ${SEGMENT}`, 'ts'),
    params: segmented,
    row,
  }),
};

export interface Counts {
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
}

export interface OverviewCounts {
  totals: Counts;
  /** Days with events, in order. */
  daily: (Counts & { day: string })[];
  byType: Record<string, number>;
}

export async function getOverviewCounts(
  store: Store,
  r: SiteRange,
  source: RollupSource,
  trace?: Trace,
): Promise<OverviewCounts> {
  const rows = await runQuery(
    store,
    queries[source.form],
    { ...siteRangeValues(r), ...sourceValues(source) },
    trace,
  );
  const counts = ({ visitors, sessions, pageviews, events }: Counts): Counts => ({
    visitors,
    sessions,
    pageviews,
    events,
  });
  const total = rows.find((row) => row.kind === 0);
  return {
    totals: total ? counts(total) : { visitors: 0, sessions: 0, pageviews: 0, events: 0 },
    daily: rows
      .filter((row) => row.kind === 1)
      .sort((a, b) => (a.day < b.day ? -1 : 1))
      .map((row) => ({ day: row.day, ...counts(row) })),
    byType: Object.fromEntries(
      rows
        .filter((row) => row.kind === 2)
        .sort((a, b) => b.events - a.events || (a.event_type < b.event_type ? -1 : 1))
        .map((row) => [row.event_type, row.events]),
    ),
  };
}
