import type { Store } from '../clickhouse/client.ts';
import { eventsMutationTarget } from '../clickhouse/shards.ts';

/**
 * Erases every event of one site. A mutation (bytes leave the parts); `mutations_sync = 2`
 * returns once it has run. Unit: rows of events_v1 (on a cluster, of every shard's
 * events_v1_local).
 */
export const sqlFor = (cluster: string | undefined) => `
ALTER TABLE ${eventsMutationTarget(cluster)}
DELETE WHERE site_id = {site:String}`;

export async function deleteSiteEvents(store: Store, site: string): Promise<void> {
  await store.ch.command({
    query: sqlFor(store.cluster),
    query_params: { db: store.db, site },
    clickhouse_settings: { mutations_sync: '2' },
  });
}
