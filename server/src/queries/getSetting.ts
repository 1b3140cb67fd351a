import { type Store, select } from '../clickhouse/client.ts';

/** The current value of one instance setting, or undefined when never set. */
const SQL = `
SELECT value
FROM {db:Identifier}.settings_v1 FINAL
WHERE name = {name:String}`;

export async function getSetting(store: Store, name: string): Promise<string | undefined> {
  const [row] = await select<{ value: string }>(store, SQL, { name });
  return row?.value;
}
