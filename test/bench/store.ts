import { migrate, type Store } from '@funnelhouse/server';
import { openStore } from '../../server/src/clickhouse/client.ts';

/** The embedded store a query benchmark writes its site into, migrated. */
export async function openBenchStore(dataDir: string): Promise<Store> {
  const store = await openStore({ kind: 'embedded', path: dataDir, database: 'funnelhouse' });
  await migrate(store);
  return store;
}
