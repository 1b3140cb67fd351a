import type { Store } from '../clickhouse/client.ts';

/**
 * Erases every event of one site. A mutation (bytes leave the parts); `mutations_sync = 2`
 * returns once it has run. Unit: rows of events_v1.
 */
const SQL = `
ALTER TABLE {db:Identifier}.events_v1
DELETE WHERE site_id = {site:String}`;

export async function deleteSiteEvents(store: Store, site: string): Promise<void> {
  await store.ch.command({
    query: SQL,
    query_params: { db: store.db, site },
    clickhouse_settings: { mutations_sync: '2' },
  });
}
