import { mkdirSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { ApiError } from '../errors.ts';
import { ClientPool } from './pool.ts';
import { asSessionParams } from './session-params.ts';
import { type ClickHouseTarget, REPORT_DEFAULTS, type ReportLimits } from './target.ts';

/**
 * The store: the database every table lives in and the clients that reach it. The default
 * client serves ingestion, the flusher, health, keys and server events; reports run on
 * `analytics`, their own clients with time and memory limits, so a long report never makes the
 * write path or `/readyz` wait (chdb runs one query at a time per connection).
 */
export interface Store {
  /** The client `select` and `command` use (for a pooled store, the first of its clients). */
  readonly ch: ClickHouseClient;
  /** Database name, bound into queries as `{db:Identifier}`. */
  readonly db: string;
  readonly kind: 'embedded' | 'server';
  /** The cluster the DDL runs `ON CLUSTER` (undefined: one node). See `cluster-ddl.ts`. */
  readonly cluster: string | undefined;
  /** Clients to spread queries over, each taken when it has the fewest queries running. */
  readonly pool: ClientPool;
  /** Settings sent with every `select`/`command` (reports: the per-query limits). */
  readonly settings: ClickHouseSettings;
  /** Bind values as session `param_*` settings (see `session-params.ts`) instead of natively. */
  readonly sessionParams: boolean;
  /** When given, fired by the client going away: the query is abandoned (see `withSignal`). */
  readonly signal?: AbortSignal;
  /** The pool lane this store's queries queue in (a site's share of the reports; see `pool.ts`). */
  readonly lane?: string;
  /** The reports store (on the reports store itself, itself). */
  readonly analytics: Store;
  close(): Promise<void>;
}

/** Tests and tools may open a store without report limits: the defaults apply. */
type StoreConfig = ClickHouseTarget & { reports?: ReportLimits };
type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Raised when the embedded engine's data directory is held by another process. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export async function openStore(cfg: StoreConfig): Promise<Store> {
  const limits = cfg.reports ?? REPORT_DEFAULTS;
  if (cfg.kind === 'server') {
    const options = serverClientOptions(cfg);
    const open = () => createClient(options);
    // A ClickHouse server keeps running a SELECT whose HTTP request closed unless told not to.
    const settings = { ...reportSettings(limits), cancel_http_readonly_queries_on_client_close: 1 as const };
    const assembled = { main: [open()], reports: [open()], perSite: limits.connectionsPerSite };
    return assemble(cfg.database, 'server', assembled, settings, false, async () => {}, cfg.cluster);
  }
  mkdirSync(cfg.path, { recursive: true });
  // chdb is loaded lazily so that a deployment against a ClickHouse server never maps libchdb.
  const { createChdbConnection } = await import('chdb/connection');
  // chdb types its connection against @clickhouse/client-common, which the client now bundles
  // as its own copy; the interface is the same, only the declaration files differ.
  const open = () => {
    try {
      return createClient({
        connection: createChdbConnection({ path: cfg.path }) as unknown as ClientConnection,
      });
    } catch (err) {
      throw explainOpenFailure(cfg.path, err);
    }
  };
  const clients = {
    main: [open()],
    reports: Array.from({ length: limits.connections }, open),
    perSite: limits.connectionsPerSite,
  };
  return assemble(cfg.database, 'embedded', clients, reportSettings(limits), true, async () => {
    // The engine finishes background work after close; wait so the directory can be reopened.
    const chdb = (await import('chdb')) as { drainPending?: () => Promise<void> | void };
    await chdb.drainPending?.();
  });
}

/** Time and memory bounds of one report query; the engine throws once either is crossed. */
function reportSettings(l: ReportLimits): ClickHouseSettings {
  return {
    max_execution_time: l.timeoutSeconds,
    timeout_overflow_mode: 'throw',
    max_memory_usage: String(l.maxMemoryBytes),
  };
}

type ServerTarget = Extract<StoreConfig, { kind: 'server' }>;

/**
 * The server client's options. Inserts: the spool's flusher already sends one large batch per
 * `FUNNELHOUSE_FLUSH_MS` per node, the shape ClickHouse asks of its writers, and each batch
 * carries its own `insert_deduplication_token` so that a replay after a crash is dropped by the
 * table. Server-side async inserts are switched off explicitly (a user profile may turn them on):
 * they would add a second buffer in front of the table that deduplicates by its own rules, not
 * by our token (see ARCHITECTURE.md, "Against a ClickHouse server"). On a cluster, an insert into
 * the Distributed table returns only once every shard has written its part
 * (`insert_distributed_sync`), so the spool never drops a batch that sits in a queue on disk of
 * one ClickHouse node.
 */
export function serverClientOptions(cfg: ServerTarget): NonNullable<Parameters<typeof createClient>[0]> {
  const read = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const ca = read(cfg.tls?.caFile);
  const cert = read(cfg.tls?.certFile);
  const key = read(cfg.tls?.keyFile);
  // The client's mutual-TLS options require a CA; without a file, trust Node's usual roots.
  const roots = () => Buffer.from(rootCertificates.join('\n'));
  const tls =
    cert && key ? { tls: { ca_cert: ca ?? roots(), cert, key } } : ca ? { tls: { ca_cert: ca } } : {};
  return {
    url: cfg.url,
    username: cfg.user,
    password: cfg.password,
    request_timeout: 30_000,
    ...tls,
    clickhouse_settings: {
      async_insert: 0,
      ...(cfg.cluster ? { insert_distributed_sync: 1 } : {}),
    },
  };
}

/** The main clients, the reports clients, and how many of those one site may hold at once. */
interface Clients {
  main: ClickHouseClient[];
  reports: ClickHouseClient[];
  perSite: number;
}

function assemble(
  db: string,
  kind: Store['kind'],
  { main, reports, perSite }: Clients,
  settings: ClickHouseSettings,
  sessionParams: boolean,
  afterClose: () => Promise<void>,
  cluster?: string,
): Store {
  const close = async () => {
    await Promise.all([...main, ...reports].map((c) => c.close()));
    await afterClose();
  };
  const base = { db, kind, close, cluster };
  const def = { ...base, ch: main[0] as ClickHouseClient, pool: new ClientPool(main) };
  const analytics: Store = {
    ...base,
    ch: reports[0] as ClickHouseClient,
    pool: new ClientPool(reports, { perLane: perSite }),
    settings,
    sessionParams,
    get analytics() {
      return analytics;
    },
  };
  return { ...def, settings: {}, sessionParams: false, analytics };
}

/** This store with its queries abandoned when `signal` fires (pass a request's signal). */
export function withSignal(store: Store, signal: AbortSignal): Store {
  return { ...store, signal, analytics: store.analytics };
}

/** This store with its queries queued in `lane` of its pool (pass the site id of a report). */
export function inLane(store: Store, lane: string): Store {
  return { ...store, lane, analytics: store.analytics };
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
  return run(store, async (ch) => {
    const rs = await ch.query({ query, format: 'JSONEachRow', ...bound(store, params) });
    return rs.json<T>();
  });
}

/** Runs a SELECT and returns its JSONEachRow text unparsed (pages passed on as they are). */
export async function selectText(
  store: Store,
  query: string,
  params: Record<string, unknown> = {},
): Promise<string> {
  return run(store, async (ch) => {
    const rs = await ch.query({ query, format: 'JSONEachRow', ...bound(store, params) });
    return rs.text();
  });
}

/** Runs a statement without a result (DDL, ALTER … DELETE) with bound parameters. */
export async function command(
  store: Store,
  query: string,
  params: Record<string, unknown> = {},
): Promise<void> {
  await run(store, async (ch) => {
    await ch.command({ query, ...bound(store, params) });
  });
}

/** The values, settings and signal of one query on `store`. */
function bound(store: Store, params: Record<string, unknown>) {
  const values = { db: store.db, ...params };
  const signal = store.signal ? { abort_signal: store.signal } : {};
  if (store.sessionParams) {
    return { clickhouse_settings: { ...store.settings, ...asSessionParams(values) }, ...signal };
  }
  return { query_params: values, clickhouse_settings: store.settings, ...signal };
}

/** Engine errors raised by the per-query limits (`reportSettings`), by ClickHouse type name. */
const LIMIT_ERRORS = new Set([
  'TIMEOUT_EXCEEDED',
  'MEMORY_LIMIT_EXCEEDED',
  'TOO_MANY_ROWS',
  'TOO_MANY_BYTES',
  'TOO_MANY_ROWS_OR_BYTES',
]);

/** Runs `fn` on one of the store's clients; a crossed query limit becomes `query_too_expensive`. */
async function run<T>(store: Store, fn: (ch: ClickHouseClient) => Promise<T>): Promise<T> {
  try {
    return await store.pool.use(fn, store.signal, store.lane);
  } catch (err) {
    const type = (err as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && LIMIT_ERRORS.has(type) && !store.signal?.aborted) {
      const limit = type === 'TIMEOUT_EXCEEDED' ? 'time' : 'memory';
      throw new ApiError(
        'query_too_expensive',
        `The query went over its ${limit} limit: shorten the range or simplify the question`,
      );
    }
    throw err;
  }
}
