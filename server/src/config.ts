import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ClickHouseTarget, ReportLimits } from './clickhouse/target.ts';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Where `npm start` keeps its data unless `FUNNELHOUSE_DATA_DIR` says otherwise. */
export const DEFAULT_DATA_DIR = `${repoRoot}.data`;

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** A name the engine takes as an identifier, written into SQL only after this check. */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier');

/** Every setting the server reads from the environment. This is the only reader of `process.env`. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL, used in printed links and the snippet tag. */
  FUNNELHOUSE_PUBLIC_URL: z.string().url().optional(),
  FUNNELHOUSE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  FUNNELHOUSE_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Which peers may set X-Forwarded-For: `0` (none), a hop count, or a list of addresses/CIDRs
   * (`loopback`, `linklocal`, `uniquelocal` allowed). The header is read from the right.
   */
  FUNNELHOUSE_TRUST_PROXY: z
    .string()
    .default('0')
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Slow clients: a request's headers must arrive within HEADERS_TIMEOUT_MS and the whole request
   * within REQUEST_TIMEOUT_MS; at most MAX_CONNECTIONS open connections, MAX_CONNECTIONS_PER_ADDRESS
   * from one peer address (0 = no per-address cap; trusted proxies are exempt).
   */
  FUNNELHOUSE_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  FUNNELHOUSE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  FUNNELHOUSE_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  FUNNELHOUSE_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).default(256),
  /** Create the demo site on first start (key `demo`). */
  FUNNELHOUSE_DEMO: bool.default(true),
  FUNNELHOUSE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Spool flusher: insert at most this many rows at once; send a batch this many ms after rows arrive. */
  FUNNELHOUSE_FLUSH_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  FUNNELHOUSE_FLUSH_MS: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** Recovery webhooks: how often abandoned carts are looked for and due deliveries sent (0 = never). */
  FUNNELHOUSE_WEBHOOK_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /** First retry delay of a failed delivery; each later one doubles, up to an hour. */
  FUNNELHOUSE_WEBHOOK_RETRY_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** Attempts before a delivery is given up (status failed). */
  FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  /** Time a receiver has to answer one attempt. */
  FUNNELHOUSE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Let webhooks reach loopback, private, link-local and other special addresses (a self-hosted
   * server whose receiver is on its own network). Off: such URLs are refused when set and such
   * resolved addresses at each delivery (`webhooks/address.ts`).
   */
  FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** Attempts kept in the delivery log per site (older ones are dropped, oldest first). */
  FUNNELHOUSE_WEBHOOK_LOG_ATTEMPTS: z.coerce.number().int().min(10).max(100_000).default(1000),
  /**
   * Webhook requests in flight at once, all sites together; and to one site's receiver. The sites
   * are sent to side by side, so a receiver that never answers holds only its own site's share.
   */
  FUNNELHOUSE_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  /**
   * Circuit breaker per receiver: after this many failed attempts in a row (0 = never) no request
   * goes to the site's URL for FUNNELHOUSE_WEBHOOK_BREAKER_COOLDOWN_MS, then one probe decides.
   */
  FUNNELHOUSE_WEBHOOK_BREAKER_FAILURES: z.coerce.number().int().min(0).max(1000).default(5),
  FUNNELHOUSE_WEBHOOK_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Spool (write-ahead log): unflushed bytes allowed on disk before /collect answers 503. */
  FUNNELHOUSE_SPOOL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  /**
   * /readyz answers 503 once the oldest acknowledged record still in the spool is older than this
   * many seconds (the flusher is behind or the store is down); 0 turns the check off.
   */
  FUNNELHOUSE_READY_MAX_LAG_SECONDS: z.coerce.number().min(0).default(30),
  /** Spool segment file size at which a new segment starts. */
  FUNNELHOUSE_SPOOL_SEGMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024),
  /**
   * TESTS ONLY: fault switches for the durability tests (test/fault/). Never set them in
   * production. FAIL_INSERTS: every insert fails while the file `<data dir>/test-fail-inserts`
   * exists (another process can create and delete it). CRASH_AFTER_INSERTS=n: the process kills
   * itself (SIGKILL) right after its n-th successful insert, before recording the checkpoint.
   * DEDUP_OFF: comma list of `token` (a random token per attempt instead of the range's, so
   * replays are inserted again) and `ids` (no first-version filter), the mutation check. ACK_AFTER_STORE: answer /collect only once the rows are in
   * ClickHouse (read-your-writes for tests that query right after posting).
   */
  FUNNELHOUSE_TEST_FAIL_INSERTS: bool.default(false),
  FUNNELHOUSE_TEST_CRASH_AFTER_INSERTS: z.coerce.number().int().min(0).default(0),
  FUNNELHOUSE_TEST_DEDUP_OFF: z
    .string()
    .regex(/^((token|ids)(,(token|ids))*)?$/, 'comma list of token, ids')
    .default(''),
  FUNNELHOUSE_TEST_ACK_AFTER_STORE: bool.default(false),
  /** Events older than this (after skew correction) are dropped as `stale`. */
  FUNNELHOUSE_MAX_EVENT_AGE_HOURS: z.coerce.number().min(1).default(72),
  /**
   * `/collect` rate limits, token buckets in requests per second (0 = off) and burst sizes: one
   * bucket per client address, one per site. Generous by default; a load test from a single
   * address should raise or switch off the per-address limit.
   */
  FUNNELHOUSE_RATE_LIMIT_IP: z.coerce.number().min(0).default(100),
  FUNNELHOUSE_RATE_LIMIT_IP_BURST: z.coerce.number().int().min(1).default(1000),
  FUNNELHOUSE_RATE_LIMIT_SITE: z.coerce.number().min(0).default(2000),
  FUNNELHOUSE_RATE_LIMIT_SITE_BURST: z.coerce.number().int().min(1).default(20_000),
  /**
   * Server events API rate limit: a token bucket per secret API key, in requests per second
   * (0 = off) and burst size. A request may carry 1,000 events and 4 MiB, so the default is far
   * below `/collect`'s; the import tool and `postServerEvents` wait out `Retry-After`.
   */
  FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS: z.coerce.number().min(0).default(20),
  FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS_BURST: z.coerce.number().int().min(1).default(40),
  /** Server events API and imports: oldest accepted absolute `ts`, in days (default 2 years). */
  FUNNELHOUSE_SERVER_EVENT_MAX_AGE_DAYS: z.coerce.number().min(1).max(36_500).default(730),
  /** Server events API: how far a `ts` may lie in the future (sender clock skew), in seconds. */
  FUNNELHOUSE_SERVER_EVENT_MAX_FUTURE_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  /**
   * Reports (overview, funnels, orders, events, export) run on their own connections, each query
   * stopped past QUERY_TIMEOUT_S seconds or QUERY_MAX_MEMORY bytes (→ 422 query_too_expensive).
   * ANALYTICS_CONNECTIONS: embedded engine connections for reports, that many run at once.
   */
  FUNNELHOUSE_QUERY_TIMEOUT_S: z.coerce.number().min(0.001).max(3600).default(30),
  FUNNELHOUSE_QUERY_MAX_MEMORY: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(2 * 1024 ** 3),
  FUNNELHOUSE_ANALYTICS_CONNECTIONS: z.coerce.number().int().min(1).max(32).default(4),
  /**
   * One site's share of the reports (issue 25: one tenant starved the others). CONNECTIONS_PER_SITE:
   * report connections one site's queries hold at once (default half of ANALYTICS_CONNECTIONS,
   * rounded up); freed connections go round-robin to the sites with queries waiting.
   * REQUESTS_PER_SITE / REQUESTS_PER_KEY: report requests of one site / one API key running or
   * waiting at once; one more is answered `429 report_capacity` with `Retry-After`.
   */
  FUNNELHOUSE_REPORT_CONNECTIONS_PER_SITE: z.coerce.number().int().min(1).max(32).optional(),
  FUNNELHOUSE_REPORT_REQUESTS_PER_SITE: z.coerce.number().int().min(1).max(10_000).default(16),
  FUNNELHOUSE_REPORT_REQUESTS_PER_KEY: z.coerce.number().int().min(1).max(10_000).default(8),
  /** A ClickHouse server (`http://` or `https://`) instead of the embedded engine. */
  CLICKHOUSE_URL: z.string().url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: identifier.default('funnelhouse'),
  /**
   * TLS to the server (an `https://` URL): CA_FILE, a PEM file of the authority to trust (a
   * private CA; without it Node's usual roots apply); CERT_FILE and KEY_FILE, both or neither,
   * a client certificate for mutual TLS.
   */
  CLICKHOUSE_CA_FILE: z.string().min(1).optional(),
  CLICKHOUSE_CERT_FILE: z.string().min(1).optional(),
  CLICKHOUSE_KEY_FILE: z.string().min(1).optional(),
  /**
   * A cluster name from the server's `remote_servers`: migrations create replicated local tables
   * and Distributed tables over them `ON CLUSTER` (clickhouse/cluster-ddl.ts).
   */
  CLICKHOUSE_CLUSTER: identifier.optional(),
  /**
   * What this process serves: `all` (one box), `ingest` (only /collect, the server events API,
   * spool and flusher; needs CLICKHOUSE_URL) or `api` (reports, admin, dashboard; no ingestion).
   */
  FUNNELHOUSE_ROLE: z.enum(['all', 'ingest', 'api']).default('all'),
  /** Sites and keys are re-read from ClickHouse this often when other processes may change them. */
  FUNNELHOUSE_REGISTRY_REFRESH_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

/** Which routes and machinery this process runs (`FUNNELHOUSE_ROLE`). */
export type Role = 'all' | 'ingest' | 'api';

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  adminKey: string | undefined;
  trustProxy: TrustProxy;
  /** Bounds on slow and numerous connections (`server.ts`). */
  connections: { headersTimeoutMs: number; requestTimeoutMs: number; max: number; perAddress: number };
  demo: boolean;
  logLevel: Env['FUNNELHOUSE_LOG_LEVEL'];
  flushRows: number;
  flushMs: number;
  /** /readyz is not ready past this spool lag (ms); 0 = never for lag. */
  readyMaxLagMs: number;
  maxEventAgeMs: number;
  rateLimit: {
    ip: { perSecond: number; burst: number };
    site: { perSecond: number; burst: number };
    /** Server events API, per secret API key. */
    serverEvents: { perSecond: number; burst: number };
  };
  spool: { dir: string; maxBytes: number; segmentBytes: number };
  /** Recovery webhooks (`webhooks/worker.ts`). */
  webhooks: {
    pollMs: number;
    retryMs: number;
    maxAttempts: number;
    timeoutMs: number;
    /** Private, loopback and other special addresses allowed (`FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE`). */
    allowPrivate: boolean;
    /** Attempts kept per site in the delivery log. */
    logAttempts: number;
    /** Requests in flight at once: all sites together, and to one site. */
    concurrency: number;
    siteConcurrency: number;
    /** Failed attempts in a row that open a site's breaker (0 = no breaker), and how long it stays open. */
    breakerFailures: number;
    breakerCooldownMs: number;
  };
  /** Fault switches for tests only (see `FUNNELHOUSE_TEST_*`). */
  test: {
    failInsertsFile: string | undefined;
    crashAfterInserts: number;
    noToken: boolean;
    noIdFilter: boolean;
    ackAfterStore: boolean;
  };
  /** Server events and imports: oldest accepted `ts`, as an age in ms. */
  serverEventMaxAgeMs: number;
  /** Server events and imports: tolerated clock skew into the future, in ms. */
  serverEventMaxFutureMs: number;
  clickhouse: ClickHouseTarget & { reports: ReportLimits };
  /** Report requests one site and one API key may have running or waiting (`api/report-shares.ts`). */
  reportShares: { perSite: number; perKey: number };
  role: Role;
  /** How often the site registry is re-read (processes other than this one may write sites). */
  registryRefreshMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; throws a `ConfigError` that names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const combined = combinationErrors(e);
  if (combined.length > 0) throw new ConfigError(`Invalid configuration:\n${combined.join('\n')}`);
  const database = e.CLICKHOUSE_DATABASE;
  const reports: ReportLimits = {
    connections: e.FUNNELHOUSE_ANALYTICS_CONNECTIONS,
    connectionsPerSite:
      e.FUNNELHOUSE_REPORT_CONNECTIONS_PER_SITE ?? Math.ceil(e.FUNNELHOUSE_ANALYTICS_CONNECTIONS / 2),
    timeoutSeconds: e.FUNNELHOUSE_QUERY_TIMEOUT_S,
    maxMemoryBytes: e.FUNNELHOUSE_QUERY_MAX_MEMORY,
  };
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.FUNNELHOUSE_PUBLIC_URL,
    dataDir: e.FUNNELHOUSE_DATA_DIR,
    adminKey: e.FUNNELHOUSE_ADMIN_KEY,
    trustProxy: e.FUNNELHOUSE_TRUST_PROXY,
    connections: {
      headersTimeoutMs: e.FUNNELHOUSE_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: Math.max(e.FUNNELHOUSE_REQUEST_TIMEOUT_MS, e.FUNNELHOUSE_HEADERS_TIMEOUT_MS),
      max: e.FUNNELHOUSE_MAX_CONNECTIONS,
      perAddress: e.FUNNELHOUSE_MAX_CONNECTIONS_PER_ADDRESS,
    },
    demo: e.FUNNELHOUSE_DEMO,
    logLevel: e.FUNNELHOUSE_LOG_LEVEL,
    flushRows: e.FUNNELHOUSE_FLUSH_ROWS,
    flushMs: e.FUNNELHOUSE_FLUSH_MS,
    readyMaxLagMs: e.FUNNELHOUSE_READY_MAX_LAG_SECONDS * 1000,
    maxEventAgeMs: e.FUNNELHOUSE_MAX_EVENT_AGE_HOURS * 3_600_000,
    rateLimit: {
      ip: { perSecond: e.FUNNELHOUSE_RATE_LIMIT_IP, burst: e.FUNNELHOUSE_RATE_LIMIT_IP_BURST },
      site: { perSecond: e.FUNNELHOUSE_RATE_LIMIT_SITE, burst: e.FUNNELHOUSE_RATE_LIMIT_SITE_BURST },
      serverEvents: {
        perSecond: e.FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS,
        burst: e.FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS_BURST,
      },
    },
    webhooks: {
      pollMs: e.FUNNELHOUSE_WEBHOOK_POLL_MS,
      retryMs: e.FUNNELHOUSE_WEBHOOK_RETRY_MS,
      maxAttempts: e.FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: e.FUNNELHOUSE_WEBHOOK_TIMEOUT_MS,
      allowPrivate: e.FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE,
      logAttempts: e.FUNNELHOUSE_WEBHOOK_LOG_ATTEMPTS,
      concurrency: e.FUNNELHOUSE_WEBHOOK_CONCURRENCY,
      siteConcurrency: e.FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY,
      breakerFailures: e.FUNNELHOUSE_WEBHOOK_BREAKER_FAILURES,
      breakerCooldownMs: e.FUNNELHOUSE_WEBHOOK_BREAKER_COOLDOWN_MS,
    },
    spool: {
      dir: `${e.FUNNELHOUSE_DATA_DIR}/spool`,
      maxBytes: e.FUNNELHOUSE_SPOOL_MAX_BYTES,
      segmentBytes: e.FUNNELHOUSE_SPOOL_SEGMENT_BYTES,
    },
    test: {
      failInsertsFile: e.FUNNELHOUSE_TEST_FAIL_INSERTS
        ? `${e.FUNNELHOUSE_DATA_DIR}/test-fail-inserts`
        : undefined,
      crashAfterInserts: e.FUNNELHOUSE_TEST_CRASH_AFTER_INSERTS,
      noToken: e.FUNNELHOUSE_TEST_DEDUP_OFF.split(',').includes('token'),
      noIdFilter: e.FUNNELHOUSE_TEST_DEDUP_OFF.split(',').includes('ids'),
      ackAfterStore: e.FUNNELHOUSE_TEST_ACK_AFTER_STORE,
    },
    serverEventMaxAgeMs: e.FUNNELHOUSE_SERVER_EVENT_MAX_AGE_DAYS * 86_400_000,
    serverEventMaxFutureMs: e.FUNNELHOUSE_SERVER_EVENT_MAX_FUTURE_SECONDS * 1000,
    clickhouse: e.CLICKHOUSE_URL
      ? {
          kind: 'server',
          url: e.CLICKHOUSE_URL,
          user: e.CLICKHOUSE_USER,
          password: e.CLICKHOUSE_PASSWORD,
          database,
          reports,
          ...tlsOf(e),
          ...(e.CLICKHOUSE_CLUSTER ? { cluster: e.CLICKHOUSE_CLUSTER } : {}),
        }
      : { kind: 'embedded', path: `${e.FUNNELHOUSE_DATA_DIR}/clickhouse`, database, reports },
    reportShares: {
      perSite: e.FUNNELHOUSE_REPORT_REQUESTS_PER_SITE,
      perKey: e.FUNNELHOUSE_REPORT_REQUESTS_PER_KEY,
    },
    role: e.FUNNELHOUSE_ROLE,
    registryRefreshMs: e.FUNNELHOUSE_REGISTRY_REFRESH_MS,
  };
}

/** Combinations that parse one by one but cannot work together; each names its variables. */
function combinationErrors(e: Env): string[] {
  const out: string[] = [];
  const tls = e.CLICKHOUSE_CA_FILE || e.CLICKHOUSE_CERT_FILE || e.CLICKHOUSE_KEY_FILE;
  if (tls && !e.CLICKHOUSE_URL?.startsWith('https:'))
    out.push('  CLICKHOUSE_CA_FILE/CERT_FILE/KEY_FILE: need an https:// CLICKHOUSE_URL');
  if (Boolean(e.CLICKHOUSE_CERT_FILE) !== Boolean(e.CLICKHOUSE_KEY_FILE))
    out.push('  CLICKHOUSE_CERT_FILE, CLICKHOUSE_KEY_FILE: give both (mutual TLS) or neither');
  if (e.CLICKHOUSE_CLUSTER && !e.CLICKHOUSE_URL)
    out.push('  CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (the embedded engine has no cluster)');
  if (e.FUNNELHOUSE_ROLE === 'ingest' && !e.CLICKHOUSE_URL)
    out.push('  FUNNELHOUSE_ROLE: ingest needs CLICKHOUSE_URL (an ingestion node runs no embedded engine)');
  // One stuck receiver holds at most its site's share: the other sites need the rest.
  if (e.FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY > e.FUNNELHOUSE_WEBHOOK_CONCURRENCY)
    out.push('  FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY: at most FUNNELHOUSE_WEBHOOK_CONCURRENCY');
  if ((e.FUNNELHOUSE_REPORT_CONNECTIONS_PER_SITE ?? 0) > e.FUNNELHOUSE_ANALYTICS_CONNECTIONS)
    out.push('  FUNNELHOUSE_REPORT_CONNECTIONS_PER_SITE: at most FUNNELHOUSE_ANALYTICS_CONNECTIONS');
  return out;
}

function tlsOf(e: Env): { tls?: { caFile?: string; certFile?: string; keyFile?: string } } {
  if (!e.CLICKHOUSE_CA_FILE && !e.CLICKHOUSE_CERT_FILE) return {};
  return {
    tls: {
      ...(e.CLICKHOUSE_CA_FILE ? { caFile: e.CLICKHOUSE_CA_FILE } : {}),
      ...(e.CLICKHOUSE_CERT_FILE ? { certFile: e.CLICKHOUSE_CERT_FILE } : {}),
      ...(e.CLICKHOUSE_KEY_FILE ? { keyFile: e.CLICKHOUSE_KEY_FILE } : {}),
    },
  };
}
