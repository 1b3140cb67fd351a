import { type Store, select } from '../clickhouse/client.ts';

/** Every API key that is not revoked, latest version of each row. Unit: one row per key. */
const SQL = `
SELECT key_id, site_id, key_hash
FROM {db:Identifier}.api_keys_v1 FINAL
WHERE revoked = 0`;

export interface ApiKeyRow {
  key_id: string;
  site_id: string;
  key_hash: string;
}

export function listApiKeys(store: Store): Promise<ApiKeyRow[]> {
  return select<ApiKeyRow>(store, SQL);
}
