import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

// Real acknowledgement timing (fsynced in the spool), a readiness limit of 1 s of spool lag, and
// the test switch that makes inserts fail while a flag file exists, so rows stay in the spool.
let s: TestServer;
let flag: string;
beforeAll(async () => {
  s = await startTestServer({
    FUNNELHOUSE_TEST_ACK_AFTER_STORE: '0',
    FUNNELHOUSE_TEST_FAIL_INSERTS: '1',
    FUNNELHOUSE_READY_MAX_LAG_SECONDS: '1',
  });
  flag = `${s.dataDir}/test-fail-inserts`;
});
afterAll(async () => {
  rmSync(flag, { force: true });
  await s.destroy();
});

const metricsOf = async () => {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return { bytes: value('funnelhouse_spool_pending_bytes'), lag: value('funnelhouse_spool_lag_seconds') };
};

/** Polls /readyz (200 ms apart, at most `polls` times) until it answers `status`. */
async function readyzUntil(status: number, polls: number): Promise<{ status: number; body: unknown }> {
  let last = { status: 0, body: undefined as unknown };
  for (let i = 0; i < polls; i++) {
    const res = await fetch(`${s.url}/readyz`);
    last = { status: res.status, body: await res.json() };
    if (last.status === status) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

describe('backpressure is visible', () => {
  it('shows spool bytes and lag in /metrics, and /readyz turns not ready past the lag limit and back', async () => {
    const site = await createSite(s);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect(await metricsOf()).toEqual({ bytes: 0, lag: 0 });

    writeFileSync(flag, '');
    expect((await postCollect(s, batch(site.site_key, [pageview(), pageview()]))).status).toBe(202);
    const behind = await readyzUntil(503, 50);
    expect(behind.status).toBe(503);
    expect(behind.body).toMatchObject({ ready: false, reason: expect.stringMatching(/^spool \d+ s behind/) });
    const held = await metricsOf();
    expect(held.bytes).toBeGreaterThan(0);
    expect(held.lag).toBeGreaterThan(1);

    rmSync(flag);
    expect((await readyzUntil(200, 100)).status).toBe(200);
    await s.deps.ingest.drained();
    expect(await metricsOf()).toEqual({ bytes: 0, lag: 0 });
  });
});
