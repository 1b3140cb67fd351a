import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';
import { count } from '../sql/range.ts';

/** Every API key that is not revoked, latest version of each row. Unit: one row per key. */
const query = defineQuery({
  name: 'listApiKeys',
  sql: `
SELECT key_id, site_id, key_hash, toUnixTimestamp64Milli(created_at) AS created_at
FROM {db:Identifier}.api_keys_v1 FINAL
WHERE revoked = 0`,
  params: z.object({}),
  row: z.object({ key_id: z.string(), site_id: z.string(), key_hash: z.string(), created_at: count }),
});

export type ApiKeyRow = z.infer<typeof query.row>;

export function listApiKeys(store: Store): Promise<ApiKeyRow[]> {
  return runQuery(store, query, {});
}
