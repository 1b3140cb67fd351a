import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The API suite against a ClickHouse server: with `CLICKHOUSE_URL` set (and, as the operator's
 * server needs, `CLICKHOUSE_USER`, `CLICKHOUSE_PASSWORD`, `CLICKHOUSE_CLUSTER`, `CLICKHOUSE_CA_FILE`
 * …), these test files run in a child vitest whose every test server (`test/helpers/server.ts`)
 * migrates and works in a database of its own on that server, dropped at the end. Without a
 * server this is skipped, and says so: no ClickHouse server is reachable from every machine the
 * suite runs on, and an embedded-engine run of the same files is the ordinary suite.
 *
 * The files: every route family that reads or writes events and settings through HTTP only (no
 * test here opens the embedded engine's directory itself, which has no meaning on a server).
 */
export const REMOTE_SUITE = [
  'test/integration/admin-and-health.test.ts',
  'test/integration/collect.test.ts',
  'test/integration/server-events.test.ts',
  'test/integration/overview.test.ts',
  'test/integration/ranges.test.ts',
  'test/integration/orders.test.ts',
  'test/integration/export.test.ts',
  'test/integration/funnels-api.test.ts',
  'test/integration/funnel-patterns.test.ts',
  'test/integration/unknown-keys.test.ts',
  'test/integration/route-walk.test.ts',
  'test/experiments/api.test.ts',
  'test/funnels/cases.test.ts',
];

const url = process.env.CLICKHOUSE_URL;
if (!url) {
  console.warn(
    'SKIPPED test/remote/api-suite.test.ts: CLICKHOUSE_URL is not set, so there is no ClickHouse ' +
      'server to run the API suite against. Set CLICKHOUSE_URL (and CLICKHOUSE_USER, ' +
      'CLICKHOUSE_PASSWORD, CLICKHOUSE_CLUSTER, CLICKHOUSE_CA_FILE as needed) to run it.',
  );
}

describe.skipIf(!url)(`the API suite against ${url ?? 'CLICKHOUSE_URL'}`, () => {
  it('passes every file of the remote suite', { timeout: 30 * 60_000 }, () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const run = spawnSync('npx', ['vitest', 'run', ...REMOTE_SUITE], {
      cwd: root,
      env: process.env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) console.error(run.stdout.slice(-20_000), run.stderr.slice(-5_000));
    expect(run.status).toBe(0);
  });
});
