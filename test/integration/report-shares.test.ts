import { inLane } from '@funnelhouse/server/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { type Gate, startGate } from '../helpers/gate.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Each site's share of the reports (issue 25, item 2: six heavy funnels of one key made another
 * site's overview wait 42 s). Real server, real chdb, real HTTP. Site A's share of the report
 * connections is taken by queries held open by a gate (they read `url()` from a server that
 * answers only when told), so nothing here depends on how long anything takes: the assertions
 * are about which requests finish while the gate is closed, and how they are answered.
 */
type Site = Awaited<ReturnType<typeof createSite>>;
let s: TestServer;
let a: Site;
let b: Site;
/** A second API key of site A. */
let a2Key: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  s = await startTestServer({
    FUNNELHOUSE_ANALYTICS_CONNECTIONS: '4',
    FUNNELHOUSE_REPORT_CONNECTIONS_PER_SITE: '2',
    FUNNELHOUSE_REPORT_REQUESTS_PER_SITE: '3',
    FUNNELHOUSE_REPORT_REQUESTS_PER_KEY: '2',
  });
  a = await createSite(s, 'busy');
  b = await createSite(s, 'other');
  a2Key = ((await (await admin(s, 'POST', `/api/v1/sites/${a.id}/keys`)).json()) as { api_key: string })
    .api_key;
  for (const site of [a, b])
    expect((await postCollect(s, batch(site.site_key, [pageview()]))).status).toBe(202);
});
afterAll(() => s.destroy());

/** Runs `test` with `n` of site A's report queries held open by a gate: they take A's lane. */
async function holdingA(n: number, test: (gate: Gate, held: Promise<unknown>[]) => Promise<void>) {
  const gate = await startGate();
  const held = Array.from({ length: n }, () => gate.query(inLane(s.deps.store.analytics, a.id)));
  try {
    await test(gate, held);
  } finally {
    gate.open();
    await Promise.allSettled(held);
    await gate.close();
  }
}

/** An overview of `site` asked with `key`; `done` records the order answers arrive in. */
function overview(site: Site, key: string, done: string[], name: string): Promise<Response> {
  return api(s, 'GET', `/api/v1/sites/${site.id}/overview?from=${today}&to=${today}`, key).then((r) => {
    done.push(name);
    return r;
  });
}

async function refusal(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ...body.error };
}

describe("a site's share of the reports", () => {
  it("answers another site's report while one site holds its share of the connections", async () => {
    // Three held queries of A: two run (its share of the four), the third waits in A's lane.
    await holdingA(3, async (gate, held) => {
      await gate.until(2);
      const done: string[] = [];
      const waitingA = [overview(a, a.api_key, done, 'a1'), overview(a, a2Key, done, 'a2')];
      const other = await overview(b, b.api_key, done, 'b');
      expect(other.status).toBe(200);
      // B's report, queued after A's, ran on the connections A may not take; A's still wait.
      expect(done).toEqual(['b']);
      expect(gate.held).toBe(2);
      gate.open();
      expect((await Promise.all(waitingA)).map((r) => r.status)).toEqual([200, 200]);
      await Promise.all(held);
    });
  }, 60_000);

  it('refuses reports past the bounds of a key and of a site with 429 report_capacity', async () => {
    await holdingA(2, async (gate, held) => {
      await gate.until(2);
      const done: string[] = [];
      // Key 1 of A: two reports wait (the key's bound), a third is answered at once.
      const key1 = [1, 2, 3].map((i) => overview(a, a.api_key, done, `k1-${i}`));
      const byKey = await Promise.race(key1);
      expect(await refusal(byKey)).toMatchObject({
        status: 429,
        code: 'report_capacity',
        retryAfter: '2',
        message: expect.stringContaining('API key'),
      });
      // Key 2 of A: one more report fits the site's bound of three, the next does not.
      const key2 = [1, 2].map((i) => overview(a, a2Key, done, `k2-${i}`));
      const bySite = await Promise.race(key2);
      expect(await refusal(bySite)).toMatchObject({
        status: 429,
        code: 'report_capacity',
        retryAfter: '2',
        message: expect.stringContaining('site'),
      });
      // Another site is not refused, and is answered while A's admitted reports still wait.
      expect((await overview(b, b.api_key, done, 'b')).status).toBe(200);
      expect(done.filter((d) => d !== 'b')).toHaveLength(2);
      gate.open();
      const all = await Promise.all([...key1, ...key2]);
      expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
      await Promise.all(held);
    });
  }, 60_000);

  it('gives every place back: more reports one after another than the bounds allow all answer', async () => {
    const done: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await overview(a, i % 2 ? a.api_key : a2Key, done, `seq-${i}`);
      expect(res.status).toBe(200);
    }
    // Refused and failed reports give their place back too.
    for (let i = 0; i < 4; i++) {
      const bad = await api(
        s,
        'GET',
        `/api/v1/sites/${a.id}/overview?from=${today}&to=2001-01-01`,
        a.api_key,
      );
      expect(bad.status).toBe(400);
    }
    expect((await overview(a, a.api_key, done, 'last')).status).toBe(200);
  }, 60_000);
});
