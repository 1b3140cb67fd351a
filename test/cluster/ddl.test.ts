import { getExperimentSums, getFunnelLevels, type Store, select } from '@funnelhouse/server';
import { openStore } from '@funnelhouse/server/clickhouse';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDdl } from '../../server/src/cli/migrations.ts';
import {
  createDatabaseStatement,
  LOCAL_SUFFIX,
  placeMigration,
  placeMigrations,
  stripClusterParts,
} from '../../server/src/clickhouse/cluster-ddl.ts';
import { listMigrations, migrate } from '../../server/src/clickhouse/migrate.ts';
import { KEY, rowsArb, scopeArb } from '../experiments/generators.ts';
import { funnelCaseArb } from '../funnels/generators.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The cluster DDL (`clickhouse/cluster-ddl.ts`), without a cluster: its cluster-specific text
 * is held by snapshot, and with its cluster parts stripped it must build, on the embedded
 * engine, the same schema as the single-node DDL and give the same rows and answers on the same
 * data. Database `single` is migrated as a one-node server is; database `stripped` runs the
 * cluster statements with ON CLUSTER, the Replicated engines and the Distributed engine taken
 * out (the last replaced by a Merge table over the local table, what a one-shard Distributed
 * table reads). Inserts into `stripped` go to the local table, as a Distributed table forwards
 * them.
 */
const CLUSTER = 'events';
const dir = tempDir();
let store: Store;
const single = 'fh_single';
const stripped = 'fh_stripped';
const on = (db: string): Store => ({ ...store.analytics, db });

beforeAll(async () => {
  store = await openStore({ kind: 'embedded', path: dir.path, database: single });
  await migrate(store);
  const t = { db: stripped, cluster: CLUSTER };
  await store.ch.command({ query: stripClusterParts(createDatabaseStatement(t)) });
  for (const m of placeMigrations(listMigrations(), t)) {
    for (const s of m.statements) await store.ch.command({ query: stripClusterParts(s) });
  }
}, 120_000);
afterAll(async () => {
  await store.close();
  dir.remove();
});

describe('cluster DDL text', () => {
  it('places each migration as written on one node', () => {
    for (const m of placeMigrations(listMigrations(), { db: 'funnelhouse' })) {
      expect(m.statements).toEqual([listMigrations().find((x) => x.name === m.name)?.sql]);
    }
  });

  it('matches the snapshot in its cluster-specific lines, migration by migration', async () => {
    const placed = placeMigrations(listMigrations(), { db: 'funnelhouse', cluster: CLUSTER });
    for (const m of placed) {
      const lines = m.statements
        .flatMap((s) => s.split('\n'))
        .filter((l) => /ON CLUSTER|Replicated|Distributed|replicated_deduplication_window/.test(l));
      await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot(`__cluster__/${m.name}`);
    }
  });

  it('every CREATE and ALTER runs ON CLUSTER on a replicated engine; events are sharded by visitor', () => {
    const placed = placeMigrations(listMigrations(), { db: 'funnelhouse', cluster: CLUSTER });
    for (const s of placed.flatMap((m) => m.statements)) {
      expect(s).toMatch(/(CREATE TABLE IF NOT EXISTS|ALTER TABLE) `funnelhouse`\.`\w+` ON CLUSTER `events`/);
      if (s.includes('CREATE TABLE')) expect(s).toMatch(/ENGINE = (Replicated\w*MergeTree|Distributed)\(/);
    }
    const events = placed.find((m) => m.name === '001_events_v1.sql')?.statements ?? [];
    expect(events[1]).toContain(
      'ENGINE = Distributed(`events`, `funnelhouse`, `events_v1_local`, sipHash64(visitor_id))',
    );
  });

  it('is what `funnelhouse migrations --print [--cluster]` prints, every migration named', () => {
    const text = migrationsDdl({ database: 'fh', cluster: CLUSTER });
    expect(text).toContain('CREATE DATABASE IF NOT EXISTS `fh` ON CLUSTER `events`;');
    for (const m of listMigrations()) expect(text).toContain(`-- ${m.name}\n`);
    expect(text).not.toContain('{db:Identifier}');
    const one = migrationsDdl({ database: 'fh' });
    expect(one).not.toContain('ON CLUSTER');
    expect(one).toContain('CREATE TABLE IF NOT EXISTS `fh`.events_v1');
  });

  it('places a table a later migration adds: sharded when it has visitor_id, else replicated everywhere', () => {
    const state = { sharded: new Set<string>() };
    const t = { db: 'd', cluster: CLUSTER };
    const table = (name: string, col: string) =>
      `CREATE TABLE IF NOT EXISTS {db:Identifier}.${name}\n(\n    ${col} String COMMENT 'x'\n)\nENGINE = MergeTree\nORDER BY ${col}`;
    const carts = placeMigration('011_carts_v1.sql', table('carts_v1', 'visitor_id'), t, state);
    expect(carts).toHaveLength(2);
    expect(carts[0]).toContain(
      "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')",
    );
    const notes = placeMigration('012_notes_v1.sql', table('notes_v1', 'note_id'), t, state);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(
      "ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}')",
    );
    const alter = placeMigration(
      '013_x.sql',
      "ALTER TABLE {db:Identifier}.carts_v1\n    ADD COLUMN IF NOT EXISTS n UInt8 DEFAULT 0 COMMENT 'n'",
      t,
      state,
    );
    expect(alter.map((s) => s.split('\n')[0])).toEqual([
      'ALTER TABLE `d`.`carts_v1_local` ON CLUSTER `events`',
      'ALTER TABLE `d`.`carts_v1` ON CLUSTER `events`',
    ]);
    expect(() => placeMigration('014_v.sql', 'CREATE VIEW {db:Identifier}.v AS SELECT 1', t, state)).toThrow(
      /014_v.sql: only CREATE TABLE and ALTER TABLE/,
    );
    expect(() =>
      placeMigration(
        '015_m.sql',
        'CREATE TABLE IF NOT EXISTS {db:Identifier}.m (x UInt8)\nENGINE = Memory',
        t,
        state,
      ),
    ).toThrow(/015_m.sql: m is not a MergeTree table/);
  });
});

describe('cluster DDL with its cluster parts stripped, on the embedded engine', () => {
  it('builds the single-node schema: columns, keys, partitioning, settings', async () => {
    const tables = await select<{ name: string }>(
      store,
      'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name',
      { db: single },
    );
    expect(tables.length).toBeGreaterThanOrEqual(7);
    // Sharded tables (those with a visitor_id column: events_v1, and any a later migration adds)
    // have a local table beside the stand-in for their Distributed table.
    const strippedTables = new Set(
      (
        await select<{ name: string }>(store, 'SELECT name FROM system.tables WHERE database = {db:String}', {
          db: stripped,
        })
      ).map((t) => t.name),
    );
    expect(strippedTables.has(`events_v1${LOCAL_SUFFIX}`)).toBe(true);
    for (const { name } of tables) {
      const sharded = strippedTables.has(`${name}${LOCAL_SUFFIX}`);
      expect(await columns(stripped, name)).toEqual(await columns(single, name));
      if (sharded)
        expect(await columns(stripped, `${name}${LOCAL_SUFFIX}`)).toEqual(await columns(single, name));
      const storageOf = sharded ? `${name}${LOCAL_SUFFIX}` : name;
      expect(await storage(stripped, storageOf)).toEqual(await storage(single, name));
    }
  });

  it('gives the same rows and the same funnel and experiment answers on the same data', async () => {
    const cases = fc.sample(funnelCaseArb, { seed: 18, numRuns: 10 });
    const experiments = fc.sample(fc.tuple(rowsArb('_'), scopeArb), { seed: 18, numRuns: 10 });
    let levels = 0;
    for (const [i, c] of cases.entries()) {
      const site = `f${i}`;
      const rows = c.rows.map((r) => ({ ...r, site_id: site }));
      await insert(single, 'events_v1', rows);
      await insert(stripped, 'events_v1_local', rows);
      const o = { ...c.o, cohorts: 'all' as const };
      const a = await getFunnelLevels(on(single), site, c.def, o);
      const b = await getFunnelLevels(on(stripped), site, c.def, o);
      expect(b.rows).toEqual(a.rows);
      levels += a.rows.filter((r) => r.reached > 0).length;
    }
    let exposed = 0;
    for (const [i, [generated, scope]] of experiments.entries()) {
      const site = `x${i}`;
      const rows = generated.map((r) => ({ ...r, site_id: site }));
      await insert(single, 'events_v1', rows);
      await insert(stripped, 'events_v1_local', rows);
      const ch = { range: { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' }, key: KEY, ...scope };
      const metrics = [
        { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 86_400 },
        { kind: 'revenue_per_visitor' },
        { kind: 'average_order_value' },
      ] as Parameters<typeof getExperimentSums>[2];
      const counts = await getExperimentSums(on(single), ch, metrics);
      expect(await getExperimentSums(on(stripped), ch, metrics)).toEqual(counts);
      exposed += counts.rows.filter((r) => r.metric === 0).reduce((n, r) => n + r.n, 0);
    }
    // Same answers over nothing would prove nothing: the data must reach deep steps and variants.
    expect(levels).toBeGreaterThan(15);
    expect(exposed).toBeGreaterThan(20);
    const all = (db: string) =>
      select(store, `SELECT * EXCEPT received_at FROM {d:Identifier}.events_v1 ORDER BY site_id, event_id`, {
        d: db,
      });
    expect(await all(stripped)).toEqual(await all(single));
  }, 120_000);
});

async function insert(db: string, table: string, rows: object[]): Promise<void> {
  if (rows.length > 0)
    await store.ch.insert({ table: `${db}.${table}`, values: rows, format: 'JSONEachRow' });
}

function columns(db: string, table: string) {
  return select(
    store,
    `SELECT name, type, default_kind, default_expression, comment, position FROM system.columns
     WHERE database = {d:String} AND table = {t:String} ORDER BY position`,
    { d: db, t: table },
  );
}

async function storage(db: string, table: string) {
  const rows = await select<Record<string, unknown>>(
    store,
    `SELECT engine, partition_key, sorting_key, primary_key, comment,
            replaceRegexpAll(engine_full, '^.*?SETTINGS', 'SETTINGS') AS settings,
            arraySort(groupArray(i.name)) AS indexes
     FROM system.tables AS t LEFT JOIN system.data_skipping_indices AS i
       ON i.database = t.database AND i.table = t.name
     WHERE t.database = {d:String} AND t.name = {t:String}
     GROUP BY engine, partition_key, sorting_key, primary_key, comment, engine_full`,
    { d: db, t: table },
  );
  return rows;
}
