import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { DISTINCT_IF } from '../sql/distinct.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';
import { SEGMENT, type Segment, segmentShape, segmentValues } from '../sql/segment.ts';

/** Report name → column; the SQL below is written from this list, never from a request. */
export const TOP_DIMENSIONS = {
  pages: 'path',
  referrer_hosts: 'referrer_host',
  channels: 'channel',
  utm_sources: 'utm_source',
  utm_campaigns: 'utm_campaign',
  countries: 'country',
  devices: 'device',
  browsers: 'browser',
} as const;
export type TopDimension = keyof typeof TOP_DIMENSIONS;

const entries = Object.entries(TOP_DIMENSIONS) as [TopDimension, string][];
const firstTouch = entries.filter(([name]) => name !== 'pages');

/**
 * Every top list of the overview in one query: the most common non-empty values of each column
 * in a range (in the segment, if any), each with its visitors and its pageviews, `limit` per
 * list. Two definitions, said in the API docs (`TOP_DEFINITIONS`):
 * - pages: visitors who viewed the page (a visitor counts on every page viewed, so the rows add
 *   up to more than the visitors), counted `DISTINCT_IF` (exact up to its limit), and the page's
 *   pageviews;
 * - every other column: visitors by first touch, i.e. under the value of their first event of the
 *   range (by `(ts, event_id)`), so a visitor counts once and the rows add up to the visitors
 *   whose first event had a value (one row per visitor: exact at any size); the revenue report
 *   attributes visitors the same way. Pageviews are those whose own event had the value.
 * Two scans instead of two per list: one groups events by visitor for every first touch at once,
 * the other groups pageviews by each column (`GROUPING SETS`; `grouping(c) = 0` marks c's set).
 * Visitors are non-empty visitor ids, as in the revenue report. Ordered by visitors.
 */
const query = defineQuery({
  name: 'getTopValues',
  sql: `
SELECT dimension, value, sum(v) AS visitors, sum(p) AS pageviews
FROM (
  SELECT touch.1 AS dimension, touch.2 AS value, count() AS v, 0 AS p
  FROM (
    SELECT argMin((${firstTouch.map(([, c]) => `toString(${c})`).join(', ')}), (ts, event_id)) AS first
    FROM {db:Identifier}.events_v1
    WHERE ${SITE_RANGE}
      AND ${SEGMENT}
      AND visitor_id != ''
    GROUP BY visitor_id
  )
  ARRAY JOIN [${firstTouch.map(([name], i) => `('${name}', first.${i + 1})`).join(', ')}] AS touch
  GROUP BY dimension, value
  UNION ALL
  SELECT
    multiIf(${entries.map(([name, c]) => `grouping(${c}) = 0, '${name}'`).join(', ')}, '') AS dimension,
    multiIf(${entries.map(([, c]) => `grouping(${c}) = 0, toString(${c})`).join(', ')}, '') AS value,
    if(dimension = 'pages', ${DISTINCT_IF('visitor_id', "visitor_id != ''")}, 0) AS v,
    count() AS p
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE}
    AND ${SEGMENT}
    AND type = 'pageview'
  GROUP BY GROUPING SETS (${entries.map(([, c]) => `(${c})`).join(', ')})
)
WHERE value != ''
GROUP BY dimension, value
HAVING visitors > 0 OR pageviews > 0
ORDER BY dimension, visitors DESC, pageviews DESC, value
LIMIT {limit:UInt32} BY dimension`,
  params: z.object({ ...siteRangeShape, ...segmentShape, limit: z.number().int().min(1) }),
  row: z.object({
    dimension: z.enum(Object.keys(TOP_DIMENSIONS) as [TopDimension, ...TopDimension[]]),
    value: z.string(),
    visitors: count,
    pageviews: count,
  }),
});

export interface TopValueRow {
  value: string;
  visitors: number;
  pageviews: number;
}

/** Each list, most visitors first; a list without values is empty. */
export async function getTopValues(
  store: Store,
  r: SiteRange,
  o: { limit: number; segment: Segment },
  trace?: Trace,
): Promise<Record<TopDimension, TopValueRow[]>> {
  const rows = await runQuery(
    store,
    query,
    { ...siteRangeValues(r), ...segmentValues(o.segment), limit: o.limit },
    trace,
  );
  const lists = Object.fromEntries(entries.map(([name]) => [name, [] as TopValueRow[]])) as Record<
    TopDimension,
    TopValueRow[]
  >;
  for (const { dimension, value, visitors, pageviews } of rows)
    lists[dimension].push({ value, visitors, pageviews });
  return lists;
}
