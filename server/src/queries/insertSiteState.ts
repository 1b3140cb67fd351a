import type { Store } from '../clickhouse/client.ts';
import { insertInto } from '../clickhouse/insert.ts';

/** One version of per-site state (a setting, a webhook delivery, an attempt). Unit: row version. */
export interface SiteStateVersion {
  site_id: string;
  kind: 'currency_rates' | 'webhook' | 'delivery' | 'attempt' | 'key_used';
  key: string;
  value: string;
  updated_at: number;
  deleted: 0 | 1;
}

export async function insertSiteState(store: Store, rows: readonly SiteStateVersion[]): Promise<void> {
  await insertInto(store, 'site_state_v1', rows);
}
