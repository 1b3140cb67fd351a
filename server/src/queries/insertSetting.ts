import type { Store } from '../clickhouse/client.ts';
import { insertInto } from '../clickhouse/insert.ts';

/** A new value of one instance setting (the admin key's hash); the latest `updated_at` wins. */
export async function insertSetting(store: Store, name: string, value: string): Promise<void> {
  await insertInto(store, 'settings_v1', [{ name, value, updated_at: Date.now() }]);
}
