import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import type { IdSpace } from '../id-space.ts';

/**
 * Which of `ids` the `sites` already have with a `ts` on one of `days` (UTC dates) and within
 * `[from_ms, to_ms]`: one row per stored (site_id, event_id, space, ts). The window is what
 * keeps the cost of a flush flat as history grows (`wal/dedup.ts` says which replays it
 * catches): `toDate(ts)` is in the sorting key, so only those days' granules are opened, and
 * the `ts` bound runs as PREWHERE, so `event_id` (the wide column) is read only for the rows in
 * the window. The bloom filter on event_id (migration 006) cannot help a batch: with 10,000 ids
 * almost every granule may hold one.
 */
const query = defineQuery({
  name: 'listStoredEventIds',
  sql: `
SELECT site_id, event_id, if(source = 'browser', 'browser', 'trusted') AS space,
  toUnixTimestamp64Milli(ts) AS ts_ms
FROM {db:Identifier}.events_v1
PREWHERE site_id IN {sites:Array(String)}
  AND toDate(ts) IN {days:Array(Date)}
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND ts <= fromUnixTimestamp64Milli({to_ms:Int64})
WHERE event_id IN {ids:Array(String)}`,
  params: z.object({
    sites: z.array(z.string()),
    ids: z.array(z.string()),
    days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
  }),
  row: z.object({
    site_id: z.string(),
    event_id: z.string(),
    space: z.enum(['browser', 'trusted']),
    ts_ms: z.coerce.number(), // Int64 arrives as a string
  }),
});

/** Where to look: the UTC days and the time bounds (epoch ms, both included). */
export interface StoredIdWindow {
  days: string[];
  fromMs: number;
  toMs: number;
}

export function listStoredEventIds(
  store: Store,
  sites: string[],
  ids: string[],
  w: StoredIdWindow,
): Promise<{ site_id: string; event_id: string; space: IdSpace; ts_ms: number }[]> {
  return runQuery(store, query, { sites, ids, days: w.days, from_ms: w.fromMs, to_ms: w.toMs });
}
