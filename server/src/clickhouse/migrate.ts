import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { command, type Store, select } from './client.ts';
import { createDatabaseStatement, placeMigrations } from './cluster-ddl.ts';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered `.sql` files, in order. Each holds exactly one statement. */
export function listMigrations(dir = DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({
      version: Number(name.slice(0, 3)),
      name,
      sql: readFileSync(`${dir}${name}`, 'utf8'),
    }));
}

/**
 * Creates the database and applies every migration not yet recorded, each placed on the store's
 * topology (`cluster-ddl.ts`: as written on one node, replicated and sharded `ON CLUSTER` on a
 * cluster). Statements are idempotent (`IF NOT EXISTS`), so a crash between applying and
 * recording is harmless.
 * @returns the names of the migrations applied by this call.
 */
export async function migrate(store: Store, migrations = listMigrations()): Promise<string[]> {
  const topology = { db: store.db, cluster: store.cluster };
  await command(store, createDatabaseStatement(topology));
  const [ledger, ...rest] = migrations;
  if (ledger?.version !== 0) throw new Error('migration 000 must create the ledger');
  // Placed all at once: whether a later ALTER goes to a local table depends on earlier CREATEs.
  const placed = placeMigrations(migrations, topology);
  for (const statement of placed[0]?.statements ?? []) await command(store, statement);
  const done = new Set(
    (
      await select<{ version: number }>(
        store,
        'SELECT version FROM {db:Identifier}.schema_migrations_v1 FINAL',
      )
    ).map((r) => Number(r.version)),
  );
  const applied: string[] = [];
  for (const [i, m] of rest.entries()) {
    if (done.has(m.version)) continue;
    for (const statement of placed[i + 1]?.statements ?? []) await command(store, statement);
    await store.ch.insert({
      table: `${store.db}.schema_migrations_v1`,
      values: [{ version: m.version, name: m.name, applied_at: Date.now() }],
      format: 'JSONEachRow',
    });
    applied.push(m.name);
  }
  return applied;
}

/** True when every known migration is recorded (used by readiness). */
export async function migrationsComplete(store: Store): Promise<boolean> {
  const want = listMigrations().filter((m) => m.version > 0).length;
  const [row] = await select<{ n: string }>(
    store,
    'SELECT uniqExact(version) AS n FROM {db:Identifier}.schema_migrations_v1 WHERE version > 0',
  );
  return Number(row?.n ?? 0) >= want;
}
