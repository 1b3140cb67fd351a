import { createDatabaseStatement, forDisplay, placeMigrations } from '../clickhouse/cluster-ddl.ts';
import { listMigrations } from '../clickhouse/migrate.ts';
import { loadConfig } from '../config.ts';

/**
 * Every migration placed on one node or on `cluster` (`clickhouse/cluster-ddl.ts`, the code path
 * `migrate` runs), as one SQL script an operator can read or run by hand: each migration's file
 * name, then its statements, database named.
 */
export function migrationsDdl(opts: { database: string; cluster?: string | undefined }): string {
  const placed = placeMigrations(listMigrations(), { db: opts.database, cluster: opts.cluster });
  const target = opts.cluster ? `cluster ${opts.cluster}` : 'one node';
  const out = [`-- Funnelhouse migrations for database ${opts.database} on ${target}.\n`];
  const topology = { db: opts.database, cluster: opts.cluster };
  out.push(`${forDisplay(createDatabaseStatement(topology), opts.database)};\n`);
  for (const m of placed) {
    out.push(`-- ${m.name}`);
    for (const s of m.statements) out.push(`${forDisplay(s.trim(), opts.database)};\n`);
  }
  return `${out.join('\n')}`;
}

/** The database and cluster the server would use (CLICKHOUSE_DATABASE, CLICKHOUSE_CLUSTER). */
export function defaultDatabase(): string {
  return loadConfig({ CLICKHOUSE_DATABASE: process.env.CLICKHOUSE_DATABASE }).clickhouse.database;
}

export function defaultCluster(): string | undefined {
  const name = process.env.CLICKHOUSE_CLUSTER;
  if (name && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name))
    throw new Error('CLICKHOUSE_CLUSTER must be a plain identifier');
  return name || undefined;
}
