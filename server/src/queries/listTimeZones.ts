import { type Store, select } from '../clickhouse/client.ts';

/** Every time zone name the ClickHouse engine knows (its own tzdata). Unit: one row per name. */
const SQL = `
SELECT time_zone
FROM system.time_zones`;

export async function listTimeZones(store: Store): Promise<string[]> {
  const rows = await select<{ time_zone: string }>(store, SQL);
  return rows.map((r) => r.time_zone);
}
