import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';

/**
 * The part of a range that holds a site's events: from its first event to just after its last, as
 * epoch ms; an empty span (from = to) when there are none. Unit: one site, one range. A paging
 * reader (the export) walks this span instead of the asked one, so a wide, sparse or empty range
 * costs pages for the data only.
 */
const query = defineQuery({
  name: 'getEventSpan',
  sql: `
SELECT
  count() AS n,
  toUnixTimestamp64Milli(min(ts)) AS first_ms,
  toUnixTimestamp64Milli(max(ts)) AS last_ms
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}`,
  params: z.object(siteRangeShape),
  row: z.object({ n: count, first_ms: count, last_ms: count }),
});

export async function getEventSpan(
  store: Store,
  r: SiteRange,
  trace?: Trace,
): Promise<{ fromMs: number; toMs: number }> {
  const [row] = await runQuery(store, query, siteRangeValues(r), trace);
  if (!row || row.n === 0) return { fromMs: r.fromMs, toMs: r.fromMs };
  return { fromMs: row.first_ms, toMs: row.last_ms + 1 };
}
