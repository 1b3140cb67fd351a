import type { CountRow } from '@funnelhouse/schemas';
import { type Store, select } from '../clickhouse/client.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

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
 * and distinct pageviews with it. Pages count pageview events only. Ordered by visitors.
 */
const SQL = `
SELECT
  toString({col:Identifier}) AS value,
  uniqExact(visitor_id) AS visitors,
  uniqExactIf(event_id, source = 'browser', type = 'pageview') AS pageviews
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
  AND value != ''
  AND ({only_pageviews:UInt8} = 0 OR type = 'pageview')
GROUP BY value
ORDER BY visitors DESC, pageviews DESC, value
LIMIT {limit:UInt32}`;

export async function getTopValues(
  store: Store,
  p: RangeParams & { dimension: TopDimension; limit: number },
): Promise<CountRow[]> {
  const rows = await select<{ value: string; visitors: string | number; pageviews: string | number }>(
    store,
    SQL,
    {
      site: p.site,
      from: p.from,
      to: p.to,
      tz: p.tz,
      col: TOP_DIMENSIONS[p.dimension],
      only_pageviews: p.dimension === 'pages' ? 1 : 0,
      limit: p.limit,
    },
  );
  return rows.map((r) => ({ value: r.value, visitors: Number(r.visitors), pageviews: Number(r.pageviews) }));
}
