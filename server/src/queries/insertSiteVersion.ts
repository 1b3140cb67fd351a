import type { Store } from '../clickhouse/client.ts';
import { insertInto } from '../clickhouse/insert.ts';
import type { SiteRow } from './listSites.ts';

/** One version of a site (create, change or delete = a newer row; ReplacingMergeTree by `updated_at`). */
export async function insertSiteVersion(
  store: Store,
  row: SiteRow & { updated_at: number; deleted: 0 | 1 },
): Promise<void> {
  await insertInto(store, 'sites_v1', [row]);
}
