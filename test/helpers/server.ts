import { rmSync } from 'node:fs';
import {
  type Config,
  createLogger,
  type Logger,
  loadConfig,
  type RunningServer,
  startServer,
} from '@funnelhouse/server';
import { openStore } from '@funnelhouse/server/clickhouse';
import { tempDir } from './tmp.ts';

/**
 * With `CLICKHOUSE_URL` set in the test process's environment, every test server runs against
 * that ClickHouse server (and `CLICKHOUSE_CLUSTER`, TLS files, user and password with it), each
 * in a database of its own that `destroy()` drops; unset, the embedded engine as usual.
 * `test/remote/api-suite.test.ts` runs a set of the API tests this way.
 */
export function remoteClickHouseEnv(): Record<string, string> {
  const url = process.env.CLICKHOUSE_URL;
  if (!url) return {};
  const names = [
    'CLICKHOUSE_USER',
    'CLICKHOUSE_PASSWORD',
    'CLICKHOUSE_CLUSTER',
    'CLICKHOUSE_CA_FILE',
    'CLICKHOUSE_CERT_FILE',
    'CLICKHOUSE_KEY_FILE',
  ];
  const env: Record<string, string> = { CLICKHOUSE_URL: url };
  for (const n of names) {
    const v = process.env[n];
    if (v) env[n] = v;
  }
  env.CLICKHOUSE_DATABASE = `fh_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  return env;
}

/** Drops a test server's own database on a ClickHouse server (on every node of a cluster). */
async function dropRemoteDatabase(config: Config): Promise<void> {
  if (config.clickhouse.kind !== 'server') return;
  const store = await openStore(config.clickhouse);
  try {
    const onCluster = store.cluster ? ` ON CLUSTER ${store.cluster}` : '';
    await store.ch.command({
      query: `DROP DATABASE IF EXISTS {db:Identifier}${onCluster} SYNC`,
      query_params: { db: store.db },
    });
  } finally {
    await store.close();
  }
}

export const ADMIN_KEY = 'fha_test_admin_key_0123456789';
/** A desktop Chrome user agent: requests without a browser user agent are dropped as bots. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface TestServer extends RunningServer {
  dataDir: string;
  config: Config;
  /** Stop, then start again on the same data directory. */
  restart(): Promise<TestServer>;
  /** Stop and delete the data directory. */
  destroy(): Promise<void>;
}

/**
 * A real server (real HTTP on a free port, embedded ClickHouse) in this test process, on its
 * own data directory. One per test file: chdb holds one directory per process.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  dataDir?: string,
  /** Receives the server's log (silent by default; `FUNNELHOUSE_LOG_LEVEL=debug` prints it). */
  log?: Logger,
): Promise<TestServer> {
  const dir = dataDir ?? tempDir().path;
  const remote = remoteClickHouseEnv();
  const config = loadConfig({
    ...remote,
    PORT: '0',
    HOST: '127.0.0.1',
    FUNNELHOUSE_DATA_DIR: dir,
    FUNNELHOUSE_ADMIN_KEY: ADMIN_KEY,
    FUNNELHOUSE_TRUST_PROXY: '1',
    FUNNELHOUSE_FLUSH_MS: '20',
    // Tests post from one address much faster than a visitor: limits are tested where asked for.
    FUNNELHOUSE_RATE_LIMIT_IP: '0',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0',
    FUNNELHOUSE_RATE_LIMIT_SERVER_EVENTS: '0',
    // Answer /collect once rows are in ClickHouse, so a test can read right after posting.
    // The fault tests (test/fault/) run real processes without it.
    FUNNELHOUSE_TEST_ACK_AFTER_STORE: '1',
    ...env,
  });
  const server = await startServer(
    config,
    log ?? createLogger(env.FUNNELHOUSE_LOG_LEVEL === 'debug' ? 'debug' : 'silent'),
  );
  const t: TestServer = {
    ...server,
    dataDir: dir,
    config,
    async restart() {
      await server.close();
      // The same database again on a server: a restart keeps the data.
      const same: Record<string, string> = remote.CLICKHOUSE_DATABASE
        ? { CLICKHOUSE_DATABASE: config.clickhouse.database }
        : {};
      return startTestServer({ ...env, ...same }, dir, log);
    },
    async destroy() {
      await server.close();
      await dropRemoteDatabase(config);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Creates a site through the admin API and returns its ids and keys. */
export async function createSite(
  s: { url: string },
  name = 'Test site',
): Promise<{ id: string; site_key: string; api_key: string }> {
  const res = await fetch(`${s.url}/api/v1/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`createSite: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; site_key: string; api_key: string };
}

/** Posts a collect body as the snippet would. */
export function postCollect(
  s: { url: string },
  body: unknown,
  opts: { contentType?: string; ip?: string; ua?: string; raw?: string } = {},
): Promise<Response> {
  return fetch(`${s.url}/collect`, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'text/plain;charset=UTF-8',
      'user-agent': opts.ua ?? BROWSER_UA,
      ...(opts.ip ? { 'x-forwarded-for': opts.ip } : {}),
    },
    body: opts.raw ?? JSON.stringify(body),
  });
}
