import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';

/** Every time zone name the ClickHouse engine knows (its own tzdata). Unit: one row per name. */
const query = defineQuery({
  name: 'listTimeZones',
  sql: `
SELECT time_zone
FROM system.time_zones`,
  params: z.object({}),
  row: z.object({ time_zone: z.string() }),
});

export async function listTimeZones(store: Store): Promise<string[]> {
  const rows = await runQuery(store, query, {});
  return rows.map((r) => r.time_zone);
}
