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
 * The most common non-empty values of one column in a range: distinct visitors who had the value
 * and distinct pageviews with it (in the segment, if any). Pages count pageview events only.
 * Ordered by visitors.
 */
const query = defineQuery({
  name: 'getTopValues',
  sql: `
SELECT
  toString({col:Identifier}) AS value,
  uniqExact(visitor_id) AS visitors,
  uniqExactIf(event_id, source = 'browser', type = 'pageview') AS pageviews
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND ${SEGMENT}
  AND value != ''
  AND ({only_pageviews:UInt8} = 0 OR type = 'pageview')
GROUP BY value
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
