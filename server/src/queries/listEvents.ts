import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery, type Trace } from '../clickhouse/query.ts';
import type { EventRow } from '../enrich/row.ts';
import { count, SITE_RANGE, type SiteRange, siteRangeShape, siteRangeValues } from '../sql/range.ts';

/**
 * Stored events of a site in `[from, to)`, oldest first, one row per stored row, at most {limit}
 * rows. Times as epoch milliseconds. The row is the stored row (`EventRow`): its string and map
 * columns pass through as the engine sends them; only the numbers are coerced.
 */
const query = defineQuery({
  name: 'listEvents',
  sql: `
SELECT * EXCEPT (ts, received_at),
  toUnixTimestamp64Milli(ts) AS ts_ms,
  toUnixTimestamp64Milli(received_at) AS received_at_ms
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
ORDER BY ts, event_id
LIMIT {limit:UInt32}`,
  params: z.object({ ...siteRangeShape, limit: z.number().int().min(1) }),
  row: z.looseObject({ ts_ms: count, received_at_ms: count, revenue: count }),
});

export async function listEvents(
  store: Store,
  r: SiteRange,
  limit: number,
  trace?: Trace,
): Promise<EventRow[]> {
  const rows = await runQuery(store, query, { ...siteRangeValues(r), limit }, trace);
  return rows.map(
    ({ ts_ms, received_at_ms, ...row }) => ({ ...row, ts: ts_ms, received_at: received_at_ms }) as EventRow,
  );
}
