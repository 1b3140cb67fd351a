/**
 * The DDL a migration runs, on one node or on a cluster, from the one set of migration files.
 *
 * On one node (embedded engine or a single server) a migration runs as written. On a cluster
 * (`CLICKHOUSE_CLUSTER`) each statement is placed:
 *
 * - **Sharded tables** (every table with a `visitor_id` column: today `events_v1`) become a
 *   local table `<name>_local`, `Replicated*MergeTree` under the shard's Keeper path, and a
 *   `Distributed` table under the original name over it, sharded by `sipHash64(visitor_id)`. All
 *   of one visitor's events are on one shard (the argument the queries rely on, ARCHITECTURE.md
 *   "Queries on the Distributed table"), and every query keeps reading and inserting `<name>`.
 * - **Small tables** (sites, keys, settings, funnels, experiments, the ledger, and whatever later
 *   migrations add without a `visitor_id`) become `Replicated*MergeTree` under one Keeper path
 *   for the whole cluster: every node holds all of their rows, reads them locally, and a write on
 *   any node reaches all of them.
 * - `ALTER TABLE` goes to the local table `ON CLUSTER`; a column change also goes to the
 *   Distributed table, whose columns must follow.
 * - `non_replicated_deduplication_window` (the replay guard of the spool's tokens, migration
 *   001) becomes `replicated_deduplication_window`, its replicated counterpart.
 *
 * Cluster statements carry the database and cluster names as text (`ON CLUSTER` and the engine
 * arguments take no query parameters); both are checked identifiers (`config.ts`), quoted here.
 * A statement of another kind, or an engine outside the MergeTree family, stops the plan with
 * the migration's name, rather than running unplaced on one node of a cluster.
 */

export interface Topology {
  db: string;
  /** Undefined: one node, the migrations as written. */
  cluster?: string | undefined;
}

/** What the statements of a migration create, carried from one migration to the next. */
export interface ClusterState {
  /** Tables split over shards (local + Distributed), by their original name. */
  sharded: Set<string>;
}

/** The sharding key of every sharded table: one visitor, one shard. */
export const SHARDING_KEY = 'sipHash64(visitor_id)';
/** The suffix of a sharded table's replicated local table. */
export const LOCAL_SUFFIX = '_local';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const quote = (name: string) => {
  if (!IDENT.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `\`${name}\``;
};

/** `CREATE DATABASE` for this topology. */
export function createDatabaseStatement(t: Topology): string {
  if (!t.cluster) return 'CREATE DATABASE IF NOT EXISTS {db:Identifier}';
  return `CREATE DATABASE IF NOT EXISTS ${quote(t.db)} ON CLUSTER ${quote(t.cluster)}`;
}

/**
 * The statements one migration runs on `t`, in order. `state` is updated with the tables it
 * creates, so pass the same state through every migration from 000 on.
 * @throws when a statement cannot be placed on a cluster (its name and the reason).
 */
export function placeMigration(name: string, sql: string, t: Topology, state: ClusterState): string[] {
  const create = CREATE.exec(sql);
  if (create?.groups) {
    const g = create.groups as Record<'head' | 'table' | 'body', string>;
    if (/^\s+visitor_id\s/m.test(columnsOf(g.body))) state.sharded.add(g.table);
    if (!t.cluster) return [sql];
    return placeCreate(name, g, { db: t.db, cluster: t.cluster }, state.sharded.has(g.table));
  }
  const alter = ALTER.exec(sql);
  if (alter?.groups) {
    if (!t.cluster) return [sql];
    const g = alter.groups as Record<'head' | 'table' | 'body', string>;
    return placeAlter(g, { db: t.db, cluster: t.cluster }, state.sharded.has(g.table));
  }
  throw new Error(`${name}: only CREATE TABLE and ALTER TABLE migrations can be placed on a cluster`);
}

/** Every migration placed on `t`, in order (the migration ledger's own 000 first). */
export function placeMigrations(
  migrations: readonly { name: string; sql: string }[],
  t: Topology,
): { name: string; statements: string[] }[] {
  const state: ClusterState = { sharded: new Set() };
  return migrations.map((m) => ({ name: m.name, statements: placeMigration(m.name, m.sql, t, state) }));
}

/** Leading comment lines, then the statement (migrations are written in this one shape). */
const CREATE =
  /^(?<head>(?:\s*--[^\n]*\n)*\s*)CREATE TABLE IF NOT EXISTS \{db:Identifier\}\.(?<table>\w+)(?<body>[\s\S]*)$/;
const ALTER = /^(?<head>(?:\s*--[^\n]*\n)*\s*)ALTER TABLE \{db:Identifier\}\.(?<table>\w+)(?<body>[\s\S]*)$/;
const ENGINE = /ENGINE = (?<kind>\w*)MergeTree(?:\((?<args>[^)]*)\))?/;
const COLUMN_CHANGE = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR) COLUMN\b/;

/** The text between the column list's parentheses (up to the line holding `ENGINE`). */
function columnsOf(body: string): string {
  const end = body.search(/^\)\s*$/m);
  return end < 0 ? '' : body.slice(0, end);
}

function placeCreate(
  name: string,
  g: Record<'head' | 'table' | 'body', string>,
  t: { db: string; cluster: string },
  sharded: boolean,
): string[] {
  const engine = ENGINE.exec(g.body);
  if (!engine?.groups)
    throw new Error(`${name}: ${g.table} is not a MergeTree table and cannot be replicated on a cluster`);
  const local = sharded ? `${g.table}${LOCAL_SUFFIX}` : g.table;
  // `{shard}`, `{replica}`, `{database}` and `{table}` are the server's macros (deploy/), not
  // query parameters: they sit inside string literals. A sharded table has one replica set per
  // shard; a small table one replica set over the whole cluster, so `{replica}` must be unique
  // in the cluster, not only in its shard.
  const path = sharded
    ? `/clickhouse/tables/{shard}/{database}/{table}`
    : `/clickhouse/tables/all/{database}/{table}`;
  const args = [`'${path}'`, `'{replica}'`, ...(engine.groups.args ? [engine.groups.args] : [])];
  const body = replicatedSettings(
    g.body.replace(ENGINE, `ENGINE = Replicated${engine.groups.kind ?? ''}MergeTree(${args.join(', ')})`),
  );
  const db = quote(t.db);
  const on = `ON CLUSTER ${quote(t.cluster)}`;
  const statements = [`${g.head}CREATE TABLE IF NOT EXISTS ${db}.${quote(local)} ${on}${body}`];
  if (sharded) {
    statements.push(
      `-- The cluster-wide view of ${local}: reads fan out to one replica of every shard, an insert\n` +
        `-- is split by ${SHARDING_KEY} and returns once every shard wrote its part.\n` +
        `CREATE TABLE IF NOT EXISTS ${db}.${quote(g.table)} ${on} AS ${db}.${quote(local)}\n` +
        `ENGINE = Distributed(${quote(t.cluster)}, ${db}, ${quote(local)}, ${SHARDING_KEY})`,
    );
  }
  return statements;
}

function placeAlter(
  g: Record<'head' | 'table' | 'body', string>,
  t: { db: string; cluster: string },
  sharded: boolean,
): string[] {
  const db = quote(t.db);
  const on = `ON CLUSTER ${quote(t.cluster)}`;
  const local = sharded ? `${g.table}${LOCAL_SUFFIX}` : g.table;
  const body = replicatedSettings(g.body);
  const statements = [`${g.head}ALTER TABLE ${db}.${quote(local)} ${on}${body}`];
  if (sharded && COLUMN_CHANGE.test(g.body))
    statements.push(`ALTER TABLE ${db}.${quote(g.table)} ${on}${g.body}`);
  return statements;
}

/** A replicated table guards replays with its replicated window (same size). */
function replicatedSettings(body: string): string {
  return body.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window');
}

/**
 * The cluster DDL with its cluster parts taken out: `ON CLUSTER`, the `Replicated` prefix with
 * its Keeper path and replica name, the replicated window's name, and each `Distributed` engine
 * replaced by `Merge` over its one local table (what a Distributed table over a single shard
 * reads). What is left runs on the embedded engine, so tests can hold it to the single-node DDL
 * (`cluster-ddl.test.ts`): same columns, keys and settings, same rows and answers.
 */
export function stripClusterParts(sql: string): string {
  return sql
    .replace(/ ON CLUSTER `\w+`/g, '')
    .replace(/Replicated(\w*)MergeTree\('[^']*', '\{replica\}'(?:, )?([^)]*)\)/g, (_m, kind, args) =>
      args ? `${kind}MergeTree(${args})` : `${kind}MergeTree`,
    )
    .replace(/\breplicated_deduplication_window\b/g, 'non_replicated_deduplication_window')
    .replace(
      /ENGINE = Distributed\(`\w+`, (`\w+`), `(\w+)`, [^\n]*\)$/gm,
      (_m, db, local) => `ENGINE = Merge(${db}, '^${local}$')`,
    );
}

/** A statement as an operator reads it: the database named instead of bound. */
export function forDisplay(sql: string, db: string): string {
  return sql.replaceAll('{db:Identifier}', quote(db));
}
