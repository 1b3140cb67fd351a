import { z } from 'zod';
import type { Store } from '../clickhouse/client.ts';
import { defineQuery, runQuery } from '../clickhouse/query.ts';

/** The current value of one instance setting, or undefined when never set. */
const query = defineQuery({
  name: 'getSetting',
  sql: `
SELECT value
FROM {db:Identifier}.settings_v1 FINAL
WHERE name = {name:String}`,
  params: z.object({ name: z.string() }),
  row: z.object({ value: z.string() }),
});

export async function getSetting(store: Store, name: string): Promise<string | undefined> {
  const [row] = await runQuery(store, query, { name });
  return row?.value;
}
