import { type Store, select } from '../clickhouse/client.ts';
import type { EventRow } from '../enrich/row.ts';
import { type RangeParams, SITE_RANGE } from '../sql/range.ts';

/**
 * Stored events of a site in `[from, to)`, oldest first, one row per stored row (a retried id
 * stored twice appears twice), at most {limit} rows. Times as epoch milliseconds.
 */
const SQL = `
SELECT * EXCEPT (ts, received_at),
  toUnixTimestamp64Milli(ts) AS ts_ms,
  toUnixTimestamp64Milli(received_at) AS received_at_ms
FROM {db:Identifier}.events_v1
WHERE ${SITE_RANGE}
ORDER BY ts, event_id
LIMIT {limit:UInt32}`;

export async function listEvents(store: Store, p: RangeParams & { limit: number }): Promise<EventRow[]> {
  type Raw = Omit<EventRow, 'ts' | 'received_at'> & {
    ts_ms: string | number;
    received_at_ms: string | number;
  };
  const rows = await select<Raw>(store, SQL, { ...p });
  return rows.map(({ ts_ms, received_at_ms, ...r }) => ({
    ...r,
    ts: Number(ts_ms),
    received_at: Number(received_at_ms),
    revenue: Number(r.revenue),
  }));
}
