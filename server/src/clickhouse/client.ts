import { mkdirSync, readFileSync } from 'node:fs';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import type { Config } from '../config.ts';

/** The store: one ClickHouse client and the database every table lives in. */
export interface Store {
  readonly ch: ClickHouseClient;
  /** Database name, bound into queries as `{db:Identifier}`. */
  readonly db: string;
  readonly kind: 'embedded' | 'server';
  close(): Promise<void>;
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Raised when the embedded engine's data directory is held by another process. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export async function openStore(cfg: Config['clickhouse']): Promise<Store> {
  if (cfg.kind === 'server') {
    const ch = createClient({
      url: cfg.url,
      username: cfg.user,
      password: cfg.password,
      request_timeout: 30_000,
    });
    return { ch, db: cfg.database, kind: 'server', close: () => ch.close() };
  }
  mkdirSync(cfg.path, { recursive: true });
  // chdb is loaded lazily so that a deployment against a ClickHouse server never maps libchdb.
  const { createChdbConnection } = await import('chdb/connection');
  let connection: ReturnType<typeof createChdbConnection>;
  try {
    connection = createChdbConnection({ path: cfg.path });
  } catch (err) {
    throw explainOpenFailure(cfg.path, err);
  }
  // chdb types its connection against @clickhouse/client-common, which the client now bundles
  // as its own copy; the interface is the same, only the declaration files differ.
  const ch = createClient({ connection: connection as unknown as ClientConnection });
  return {
    ch,
    db: cfg.database,
    kind: 'embedded',
    async close() {
      await ch.close();
      // The engine finishes background work after close; wait so the directory can be reopened.
      const chdb = (await import('chdb')) as { drainPending?: () => Promise<void> | void };
      await chdb.drainPending?.();
    },
  };
}

/**
 * chdb reports a held data directory only on stderr ("Cannot lock file …/status"); the engine
 * writes the holder's PID into that status file, so read it to tell the user plainly.
 */
function explainOpenFailure(path: string, err: unknown): Error {
  let pid: number | undefined;
  try {
    const m = /PID:\s*(\d+)/.exec(readFileSync(`${path}/status`, 'utf8'));
    if (m?.[1]) pid = Number(m[1]);
  } catch {
    // no status file: not a lock problem
  }
  if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
    return new DataDirLockedError(
      `The data directory ${path} is in use by another process (PID ${pid}). ` +
        'The embedded ClickHouse allows one process per directory: stop that process, ' +
        'or set FUNNELHOUSE_DATA_DIR to another folder.',
    );
  }
  return new Error(`Could not open the embedded ClickHouse at ${path}: ${String(err)}`, {
    cause: err,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs a SELECT with bound parameters (`db` is always bound) and returns its rows. */
export async function select<T>(
  store: Store,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const rs = await store.ch.query({
    query,
    query_params: { db: store.db, ...params },
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

/** Runs a statement without a result (DDL, ALTER … DELETE) with bound parameters. */
export async function command(
  store: Store,
  query: string,
  params: Record<string, unknown> = {},
): Promise<void> {
  await store.ch.command({ query, query_params: { db: store.db, ...params } });
}
