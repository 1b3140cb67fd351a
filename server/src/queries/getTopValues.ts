import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';
import { SEGMENT, type Segment, segmentShape, segmentValues } from '../sql/segment.ts';

/** Report name → column. The column is bound as an Identifier and comes only from this list. */
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

/**
 * The most common non-empty values of one column in a range (in the segment, if any), each with
 * its visitors and its pageviews. Two definitions, said in the API docs (`TOP_DEFINITIONS`):
 * - pages: visitors who viewed the page (a visitor counts on every page viewed, so the rows add
 *   up to more than the visitors) and the page's pageviews;
 * - every other column: visitors by first touch, i.e. under the value of their first event of the
 *   range (by `(ts, event_id)`), so a visitor counts once and the rows add up to the visitors
 *   whose first event had a value; the revenue report attributes visitors the same way. Pageviews
 *   are those whose own event had the value (every pageview counts once too).
 * Visitors are non-empty visitor ids, as in the totals and the revenue report. Ordered by visitors.
 */
const query = defineQuery({
  name: 'getTopValues',
  sql: `
SELECT value, sum(v) AS visitors, sum(p) AS pageviews
FROM (
  SELECT
    argMin(toString({col:Identifier}), (ts, event_id)) AS value,
    1 AS v, 0 AS p
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE}
    AND ${SEGMENT}
    AND visitor_id != ''
    AND ({only_pageviews:UInt8} = 0 OR type = 'pageview')
  -- Pages: one row per (visitor, page), so value is that page; else per visitor, its first value.
  GROUP BY visitor_id, if({only_pageviews:UInt8} = 1, toString({col:Identifier}), '')
  UNION ALL
  SELECT toString({col:Identifier}) AS value, 0 AS v, uniqExactIf(event_id, source = 'browser', type = 'pageview') AS p
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE}
    AND ${SEGMENT}
  GROUP BY value
)
WHERE value != ''
GROUP BY value
HAVING visitors > 0 OR pageviews > 0
ORDER BY visitors DESC, pageviews DESC, value
LIMIT {limit:UInt32}`,
  params: z.object({
    ...siteRangeShape,
    ...segmentShape,
    col: z.enum(Object.values(TOP_DIMENSIONS) as [string, ...string[]]),
    only_pageviews: z.union([z.literal(0), z.literal(1)]),
    limit: z.number().int().min(1),
  }),
  row: z.object({ value: z.string(), visitors: count, pageviews: count }),
});

export type TopValueRow = z.infer<typeof query.row>;

export function getTopValues(
  store: Store,
  r: SiteRange,
  o: { dimension: TopDimension; limit: number; segment: Segment },
  trace?: Trace,
): Promise<TopValueRow[]> {
  const values = {
    ...siteRangeValues(r),
    ...segmentValues(o.segment),
    col: TOP_DIMENSIONS[o.dimension],
    only_pageviews: o.dimension === 'pages' ? (1 as const) : (0 as const),
    limit: o.limit,
  };
  return runQuery(store, query, values, trace);
}
