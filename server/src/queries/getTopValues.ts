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
import { FIRST_TOUCH, TOUCH_COLUMNS, unescapeTouch } from '../sql/touch.ts';

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
// The first-touch lists, in the order `TOUCH_COLUMNS` joins their values.
const firstTouch = TOUCH_COLUMNS.map((c) => entries.find(([, col]) => col === c) as [TopDimension, string]);

// Non-empty visitor ids (NULLs are skipped); an `If` combinator here would keep the rollup unused.
const PAGE_VISITORS = DISTINCT("nullIf(visitor_id, '')");

/**
 * The first-touch lists: a row per visitor and its first event's values, counted per combination
 * of values (a few hundred where there are 100,000s of visitors), then spread into one row per
 * list. Grouped on the escaped value, which is the same grouping (escaping is one to one).
 */
const firstTouchSql = (where: string) => `
  SELECT touch.1 AS dimension, ${unescapeTouch('touch.2')} AS value, sum(visitors) AS v, 0 AS p
  FROM (
    SELECT first, count() AS visitors
    FROM (
      SELECT ${FIRST_TOUCH} AS first
      FROM {db:Identifier}.events_v1
      WHERE ${where}
        AND visitor_id != ''
      GROUP BY visitor_id
    )
    GROUP BY first
  )
  ARRAY JOIN arrayZip([${firstTouch.map(([name]) => `'${name}'`).join(', ')}], splitByChar('\\x1F', first)) AS touch
  GROUP BY touch.1, touch.2`;

const outer = (inner: string) => `
SELECT dimension, value, sum(v) AS visitors, sum(p) AS pageviews
FROM (${inner}
)
WHERE value != ''
GROUP BY dimension, value
HAVING visitors > 0 OR pageviews > 0
ORDER BY dimension, visitors DESC, pageviews DESC, value
LIMIT {limit:UInt32} BY dimension`;

const row = z.object({
  dimension: z.enum(Object.keys(TOP_DIMENSIONS) as [TopDimension, ...TopDimension[]]),
  value: z.string(),
  visitors: count,
  pageviews: count,
});

/**
 * Every top list of the overview in one query: the most common non-empty values of each column
 * in a range (in the segment, if any), each with its visitors and its pageviews, `limit` per
 * list. Two definitions, said in the API docs (`TOP_DEFINITIONS`):
 * - pages: visitors who viewed the page (a visitor counts on every page viewed, so the rows add
 *   up to more than the visitors), counted `DISTINCT` (exact up to its limit), and the page's
 *   pageviews;
 * - every other column: visitors by first touch, i.e. under the value of their first event of the
 *   range (by `(ts, event_id)`, as `FIRST_KEY` orders them), so a visitor counts once and the
 *   rows add up to the visitors whose first event had a value (one row per visitor: exact at
 *   any size); the revenue report attributes visitors the same way. Pageviews are those whose
 *   own event had the value.
 * One query instead of two per list: one grouping of events by visitor gives every first touch.
 * Visitors are non-empty visitor ids, as in the revenue report. Ordered by visitors.
 *
 * Two forms of one query, as in `getOverviewCounts`. `events`: two scans, the pageviews grouped by
 * every column at once (`GROUPING SETS`; `grouping(c) = 0` marks c's set). `hours` (a range on
 * whole hours, no segment): each part reads an hourly rollup (first touch from `first_touch_hourly`
 * of migration 016, pages from `pages_hourly`, the other lists' pageviews from `values_hourly` of
 * migration 014). The rollups answer a plain grouping, not grouping sets: the pageviews are
 * grouped by the combination of all seven columns in one read, then spread into the lists.
 */
const queries = {
  events: defineQuery({
    name: 'getTopValues',
    sql: outer(`${firstTouchSql(`${SITE_RANGE}\n      AND ${SEGMENT}`)}
  UNION ALL
  SELECT
    multiIf(${entries.map(([name, c]) => `grouping(${c}) = 0, '${name}'`).join(', ')}, '') AS dimension,
    multiIf(${entries.map(([, c]) => `grouping(${c}) = 0, toString(${c})`).join(', ')}, '') AS value,
    if(dimension = 'pages', ${PAGE_VISITORS}, 0) AS v,
    count() AS p
  FROM {db:Identifier}.events_v1
  WHERE ${SITE_RANGE}
    AND ${SEGMENT}
    AND type = 'pageview'
  GROUP BY GROUPING SETS (${entries.map(([, c]) => `(${c})`).join(', ')})`),
    params: z.object({ ...siteRangeShape, ...segmentShape, limit: z.number().int().min(1) }),
    row,
  }),
  hours: defineQuery({
    name: 'getTopValues',
    sql: outer(`${firstTouchSql(HOUR_RANGE)}
  UNION ALL
  SELECT 'pages' AS dimension, path AS value, ${PAGE_VISITORS} AS v, count() AS p
  FROM {db:Identifier}.events_v1
  WHERE ${HOUR_RANGE}
    AND type = 'pageview'
  GROUP BY path
  UNION ALL
  SELECT touch.1, touch.2, 0, sum(pageviews)
  FROM (
    SELECT ${firstTouch.map(([, c]) => c).join(', ')}, count() AS pageviews
    FROM {db:Identifier}.events_v1
    WHERE ${HOUR_RANGE}
      AND type = 'pageview'
    GROUP BY ${firstTouch.map(([, c]) => c).join(', ')}
  )
  ARRAY JOIN [${firstTouch.map(([name, c]) => `('${name}', toString(${c}))`).join(', ')}] AS touch
  GROUP BY touch.1, touch.2`),
    params: z.object({ ...siteRangeShape, limit: z.number().int().min(1) }),
    row,
  }),
};

export interface TopValueRow {
  value: string;
  visitors: number;
  pageviews: number;
}

/** Each list, most visitors first; a list without values is empty. `limit` 0: every list empty, no query. */
export async function getTopValues(
  store: Store,
  r: SiteRange,
  o: { limit: number; source: RollupSource },
  trace?: Trace,
): Promise<Record<TopDimension, TopValueRow[]>> {
  const lists = Object.fromEntries(entries.map(([name]) => [name, [] as TopValueRow[]])) as Record<
    TopDimension,
    TopValueRow[]
  >;
  if (o.limit === 0) return lists;
  const rows = await runQuery(
    store,
    queries[o.source.form],
    { ...siteRangeValues(r), ...sourceValues(o.source), limit: o.limit },
    trace,
  );
  for (const { dimension, value, visitors, pageviews } of rows)
    lists[dimension].push({ value, visitors, pageviews });
  return lists;
}
