import type { FunnelDefinition, FunnelStep, StepAlternative } from '@funnelhouse/schemas';
import { createLogger, generateTraffic, postTraffic } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { metricValue } from '../helpers/metrics.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { postEvents, serverPageview } from '../helpers/server-events.ts';

/**
 * Reports run on their own connections: while a long funnel question runs, ingestion, server
 * events, readiness and another site's reports are answered. Real server, real chdb; the heavy
 * question is as large as the limits allow, on seeded traffic, and the test waits until the
 * engine lists it as running (no wall-clock thresholds).
 */
type Site = Awaited<ReturnType<typeof createSite>>;
let s: TestServer;
let heavySite: Site;
let otherSite: Site;
const logged: { level: string; msg: string }[] = [];
const now = Date.now();
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

beforeAll(async () => {
  const log = createLogger('debug', (line) => {
    logged.push(JSON.parse(line) as { level: string; msg: string });
  });
  // The heavy funnel must finish, however busy the machine: the report time limit is not the
  // subject here (test/integration/query-limits.test.ts covers it).
  s = await startTestServer({ FUNNELHOUSE_QUERY_TIMEOUT_S: '600' }, undefined, log);
  heavySite = await createSite(s, 'heavy');
  otherSite = await createSite(s, 'other');
  const traffic = generateTraffic({ seed: 3, visitors: 1000, now });
  const sent = await postTraffic(traffic.visitors, {
    url: s.url,
    siteKey: heavySite.site_key,
    concurrency: 16,
  });
  expect(sent.accepted).toBeGreaterThan(4000);
  expect((await postCollect(s, batch(otherSite.site_key, [pageview()]))).status).toBe(202);
}, 120_000);
afterAll(() => s.destroy());

const TYPES = ['pageview', 'add_to_cart', 'begin_checkout', 'purchase', 'click'] as const;

/** 20 steps × 5 alternatives, 300 conditions: within the limits, and seconds of engine work. */
const heavy: FunnelDefinition = {
  order: 'strict',
  steps: Array.from(
    { length: 20 },
    (_, i): FunnelStep => ({
      match: Array.from(
        { length: 5 },
        (_, j): StepAlternative => ({
          type: TYPES[(i + j) % 5],
          path: { op: 'wildcard', value: `/*${j}*` },
          filters: [{ column: 'country', op: 'in', values: ['DE', 'FR', 'US'] }],
        }),
      ),
    }),
  ),
};

function askHeavy(signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.url}/api/v1/sites/${heavySite.id}/funnels/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${heavySite.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      definition: heavy,
      from: day(now - 5 * 86_400_000),
      to: day(now),
      breakdown: { dimension: { column: 'channel' } },
      trend: 'day',
      compare: true,
    }),
    ...(signal ? { signal } : {}),
  });
}

/**
 * Funnel queries the engine is running now. Read with no bound values: chdb runs natively bound
 * queries one at a time process-wide, and this probe must see the heavy query, not wait for it.
 */
async function runningFunnelQueries(): Promise<number> {
  const rs = await s.deps.store.ch.query({
    query: `SELECT count() AS n FROM system.processes
      WHERE query LIKE '%short_circuit_function_evaluation%' AND query NOT LIKE '%system.processes%'`,
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ n: string | number }>();
  return Number(r?.n ?? 0);
}

async function untilRunning(): Promise<void> {
  while ((await runningFunnelQueries()) === 0) await new Promise((r) => setTimeout(r, 20));
}

describe('a long report does not hold up the rest', () => {
  it('answers /collect, server events, /readyz and another site while a heavy funnel runs', async () => {
    const done: string[] = [];
    const heavyAnswer = askHeavy().then(async (res) => {
      done.push('heavy');
      return res.status;
    });
    await untilRunning();
    const timed = async (name: string, call: () => Promise<number>) => {
      const t = performance.now();
      const status = await call();
      done.push(name);
      return { name, status, ms: Math.round(performance.now() - t) };
    };
    const others = await Promise.all([
      timed('readyz', async () => (await fetch(`${s.url}/readyz`)).status),
      // Answered once the rows are in ClickHouse (the helper sets FUNNELHOUSE_TEST_ACK_AFTER_STORE).
      timed('collect', async () => (await postCollect(s, batch(heavySite.site_key, [pageview()]))).status),
      timed(
        'server event',
        async () => (await postEvents(s, heavySite.id, heavySite.api_key, [serverPageview(now)])).status,
      ),
      timed(
        'other site',
        async () =>
          (
            await api(
              s,
              'GET',
              `/api/v1/sites/${otherSite.id}/overview?from=${day(now)}&to=${day(now)}`,
              otherSite.api_key,
            )
          ).status,
      ),
    ]);
    expect(await heavyAnswer).toBe(200);
    console.log('beside a heavy funnel query:', JSON.stringify(others));
    expect(others.map((o) => [o.name, o.status])).toEqual([
      ['readyz', 200],
      ['collect', 202],
      ['server event', 200],
      ['other site', 200],
    ]);
    expect(done.at(-1)).toBe('heavy');
  }, 600_000);

  it('abandons the question when the client goes away: counted, not logged as an error', async () => {
    const before = await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/api"');
    const controller = new AbortController();
    const answer = askHeavy(controller.signal).catch((err: Error) => err.name);
    await untilRunning();
    controller.abort();
    expect(await answer).toBe('AbortError');
    while ((await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/api"')) === before) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    // chdb cannot interrupt a running query: it computes on until done or max_execution_time.
    console.log('funnel queries still computing after the abort:', await runningFunnelQueries());
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
