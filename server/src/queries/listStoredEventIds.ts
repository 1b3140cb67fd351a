import { type Store, select } from '../clickhouse/client.ts';
import type { IdSpace } from '../wal/id-space.ts';

/**
 * Which of `ids` are already stored for `sites`, in which id space (`wal/id-space.ts`): distinct
 * (site_id, event_id, space), any date. No date window on purpose: a replayed id may carry any
 * timestamp, and the bloom filter index on event_id (migration 006) skips the granules that
 * cannot hold it.
 */
const SQL = `
SELECT DISTINCT site_id, event_id, if(source = 'browser', 'browser', 'trusted') AS space
FROM {db:Identifier}.events_v1
WHERE site_id IN {sites:Array(String)} AND event_id IN {ids:Array(String)}`;

export function listStoredEventIds(
  store: Store,
  sites: string[],
  ids: string[],
): Promise<{ site_id: string; event_id: string; space: IdSpace }[]> {
  return select(store, SQL, { sites, ids });
}
