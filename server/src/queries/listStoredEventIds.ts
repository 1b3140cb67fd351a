import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import type { IdSpace } from '../wal/id-space.ts';

/**
 * Which of `ids` are already stored for `sites`, in which id space (`wal/id-space.ts`): distinct
 * (site_id, event_id, space), any date. No date window on purpose: a replayed id may carry any
 * timestamp, and the bloom filter index on event_id (migration 006) skips the granules that
 * cannot hold it.
 */
const query = defineQuery({
  name: 'listStoredEventIds',
  sql: `
SELECT DISTINCT site_id, event_id, if(source = 'browser', 'browser', 'trusted') AS space
FROM {db:Identifier}.events_v1
WHERE site_id IN {sites:Array(String)} AND event_id IN {ids:Array(String)}`,
  params: z.object({ sites: z.array(z.string()), ids: z.array(z.string()) }),
  row: z.object({ site_id: z.string(), event_id: z.string(), space: z.enum(['browser', 'trusted']) }),
});

export function listStoredEventIds(
  store: Store,
  sites: string[],
  ids: string[],
): Promise<{ site_id: string; event_id: string; space: IdSpace }[]> {
  return runQuery(store, query, { sites, ids });
}
