import type { Store } from '../clickhouse/client.ts';
import { insertInto } from '../clickhouse/insert.ts';

/** One version of an API key (created, or revoked = a newer row). Only the key's hash is stored. */
export interface ApiKeyVersion {
  key_id: string;
  site_id: string;
  key_hash: string;
  created_at: number;
  updated_at: number;
  revoked: 0 | 1;
}

export async function insertApiKeyVersion(store: Store, row: ApiKeyVersion): Promise<void> {
  await insertInto(store, 'api_keys_v1', [row]);
}
