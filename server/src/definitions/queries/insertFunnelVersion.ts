import type { Store } from '../../clickhouse/client.ts';
import { insertInto } from '../../clickhouse/insert.ts';

/** One version of a saved funnel (create, update or delete = a newer row). Unit: funnel version. */
export interface FunnelVersion {
  site_id: string;
  funnel_id: string;
  name: string;
  definition: string;
  /** The saved breakdown as JSON, '' for none. */
  breakdown: string;
  created_at: number;
  updated_at: number;
  deleted: 0 | 1;
}

export async function insertFunnelVersion(store: Store, row: FunnelVersion): Promise<void> {
  await insertInto(store, 'funnels_v1', [row]);
}
