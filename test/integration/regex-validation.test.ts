import { inLane } from '@funnelhouse/server/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegexVerdicts } from '../../server/src/api/regex-verdicts.ts';
import { api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { type Gate, startGate } from '../helpers/gate.ts';
import { metricValue } from '../helpers/metrics.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';
import { postEvents, serverPageview } from '../helpers/server-events.ts';

/**
 * Regular expressions are judged by the engine on the report connections, in the asking site's
 * lane, and each verdict is kept (issue 25, item 7: invalid patterns were compiled one query
 * each on the main connection, and another site's server events waited behind them). Real
 * server, real chdb, real HTTP; connections are held by gated queries (`helpers/gate.ts`), so
 * the assertions are about which answers arrive while a gate is closed, never about durations.
 */
type Site = Awaited<ReturnType<typeof createSite>>;
let s: TestServer;
let site: Site;
let other: Site;

beforeAll(async () => {
  s = await startTestServer({ FUNNELHOUSE_REPORT_CONNECTIONS_PER_SITE: '2' });
  site = await createSite(s, 'patterns');
  other = await createSite(s, 'other');
});
afterAll(() => s.destroy());

/** A funnel whose first step matches `patterns` (path regexes, one alternative each). */
const funnel = (...patterns: string[]) => ({
  name: 'regexes',
  definition: {
    steps: [
      { match: patterns.map((value) => ({ type: 'pageview', path: { op: 'regex', value } })) },
      { match: [{ type: 'purchase' }] },
    ],
  },
});

function save(body: unknown, done: string[]): Promise<Response> {
  return api(s, 'POST', `/api/v1/sites/${site.id}/funnels`, site.api_key, body).then((r) => {
    done.push('save');
    return r;
  });
}

async function holding(
  n: number,
  store: () => Parameters<Gate['query']>[0],
  test: (g: Gate) => Promise<void>,
) {
  const gate = await startGate();
  const held = Array.from({ length: n }, () => gate.query(store()));
  try {
    await gate.until(n);
    await test(gate);
  } finally {
    gate.open();
    await Promise.allSettled(held);
    await gate.close();
  }
}

const compiles = () => metricValue(s, 'funnelhouse_regex_compiles_total');

describe('regex validation', () => {
  it('is answered while the main connection (ingestion, server events, /readyz) is held', async () => {
    await holding(
      1,
      () => s.deps.store,
      async (gate) => {
        const done: string[] = [];
        const res = await save(funnel('^/ok$', '\\y-main', '[^]-main'), done);
        expect(gate.held).toBe(1);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
        expect(body.error.code).toBe('invalid_body');
        expect(body.error.issues.map((i) => i.path)).toEqual([
          'definition.steps.0.match.1.path.value',
          'definition.steps.0.match.2.path.value',
        ]);
      },
    );
  }, 60_000);

  it("waits for its site's report connections while ingestion and /readyz answer", async () => {
    // The site's share of the report connections is held: its validation waits there.
    let saving: Promise<Response> | undefined;
    const done: string[] = [];
    await holding(
      2,
      () => inLane(s.deps.store.analytics, site.id),
      async () => {
        saving = save(funnel('\\y-held'), done);
        const others = await Promise.all([
          fetch(`${s.url}/readyz`).then((r) => r.status),
          postCollect(s, batch(other.site_key, [pageview()])).then((r) => r.status),
          postEvents(s, other.id, other.api_key, [serverPageview(Date.now())]).then((r) => r.status),
        ]);
        expect(others).toEqual([200, 202, 200]);
        expect(done).toEqual([]);
      },
    );
    // The gate is open: the validation runs and answers.
    expect((await saving)?.status).toBe(400);
  }, 60_000);

  it('compiles a pattern once: a kept verdict sends no query', async () => {
    const done: string[] = [];
    const first = await compiles();
    // One query for both patterns; it fails, so one more for each to tell which.
    const r1 = await save(funnel('a{1001}-cache', '^/fine-cache$'), done);
    expect(r1.status).toBe(400);
    const second = await compiles();
    expect(second - first).toBe(3);
    const r2 = await save(funnel('a{1001}-cache', '^/fine-cache$'), done);
    expect(await r2.json()).toMatchObject({
      error: { code: 'invalid_body', issues: [{ path: 'definition.steps.0.match.0.path.value' }] },
    });
    expect(await compiles()).toBe(second);
    // A new pattern beside kept ones: one query, for the new one alone.
    const r3 = await save(funnel('a{1001}-cache', '^/new-cache$'), done);
    expect(r3.status).toBe(400);
    expect((await compiles()) - second).toBe(1);
    // A valid definition whose patterns are all kept: saved with no query.
    const r4 = await save(funnel('^/fine-cache$', '^/new-cache$'), done);
    expect(r4.status).toBe(201);
    expect((await compiles()) - second).toBe(1);
  }, 60_000);

  it('keeps a bounded number of verdicts, and answers right about those it could not keep', async () => {
    const verdicts = new RegexVerdicts({ entries: 2, chars: 40 });
    const patterns = ['a{1001}-b1', '^ok-b2$', 'a{1001}-b3', `^${'x'.repeat(40)}$`];
    const reports = inLane(s.deps.store.analytics, site.id);
    expect([...(await verdicts.judge(reports, patterns)).keys()].sort()).toEqual([
      'a{1001}-b1',
      'a{1001}-b3',
    ]);
    expect(verdicts.size).toBe(2);
    expect([...(await verdicts.judge(reports, patterns)).keys()].sort()).toEqual([
      'a{1001}-b1',
      'a{1001}-b3',
    ]);
    expect(verdicts.size).toBe(2);
  }, 60_000);
});
