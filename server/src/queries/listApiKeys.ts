import { type Store, select } from '../clickhouse/client.ts';

/** Every API key that is not revoked, latest version of each row. Unit: one row per key. */
const SQL = `
SELECT key_id, site_id, key_hash, toUnixTimestamp64Milli(created_at) AS created_at
FROM {db:Identifier}.api_keys_v1 FINAL
WHERE revoked = 0`;

export interface ApiKeyRow {
  key_id: string;
  site_id: string;
  key_hash: string;
  created_at: number;
}

export async function listApiKeys(store: Store): Promise<ApiKeyRow[]> {
  const rows = await select<ApiKeyRow>(store, SQL);
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}
