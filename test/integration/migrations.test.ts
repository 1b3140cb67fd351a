import { loadConfig, migrate, select } from '@funnelhouse/server';
import { openStore } from '@funnelhouse/server/clickhouse';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('migrations', () => {
  it('run twice leave one schema, record each migration once, and keep events on disk', async () => {
    const cfg = loadConfig({ FUNNELHOUSE_DATA_DIR: dir.path });
    const store = await openStore(cfg.clickhouse);
    try {
      const first = await migrate(store);
      expect(first.length).toBeGreaterThanOrEqual(4);
      const tablesAfterFirst = await tables(store);
      expect(await migrate(store)).toEqual([]);
      expect(await tables(store)).toEqual(tablesAfterFirst);

      const ledger = await select<{ version: number; n: number }>(
        store,
        'SELECT version, count() AS n FROM {db:Identifier}.schema_migrations_v1 GROUP BY version',
      );
      expect(ledger.every((r) => Number(r.n) === 1)).toBe(true);
      expect(ledger.length).toBe(first.length);

      const [events] = await select<{
        engine: string;
        data_paths: string[];
        partition_key: string;
        sorting_key: string;
      }>(
        store,
        `SELECT engine, data_paths, partition_key, sorting_key FROM system.tables
         WHERE database = {db:String} AND name = 'events_v1'`,
      );
      expect(events?.engine).toBe('MergeTree');
      expect(events?.data_paths[0]).toContain(dir.path);
      expect(events?.partition_key).toBe('toYYYYMM(ts)');
      expect(events?.sorting_key).toBe('site_id, toDate(ts), visitor_id, ts');

      const uncommented = await select<{ table: string; name: string }>(
        store,
        `SELECT table, name FROM system.columns WHERE database = {db:String} AND comment = ''`,
      );
      expect(uncommented).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

async function tables(store: Parameters<typeof select>[0]) {
  return select<{ name: string; create_table_query: string }>(
    store,
    'SELECT name, create_table_query FROM system.tables WHERE database = {db:String} ORDER BY name',
  );
}
