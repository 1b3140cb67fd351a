import type { FunnelDefinition } from '@funnelhouse/schemas';
import { select } from '@funnelhouse/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The reports store on real chdb: per-query limits from the configuration are enforced by the
 * engine and answered `422 query_too_expensive`; values bound as session parameters arrive
 * exactly as the native binding delivers them.
 */
let s: TestServer;
let site: Awaited<ReturnType<typeof createSite>>;
const T = Date.UTC(2026, 4, 4, 10);

beforeAll(async () => {
  // A millisecond: any report over a few thousand events crosses it.
  s = await startTestServer({ FUNNELHOUSE_QUERY_TIMEOUT_S: '0.001' });
  site = await createSite(s, 'limits');
  const rows = Array.from({ length: 20_000 }, (_, i) =>
    eventRow(site.id, {
      ts: T + i * 1000,
      visitor_id: `v${i % 2000}`,
      type: i % 3 === 0 ? 'purchase' : 'pageview',
      path: `/p${i % 50}`,
      // Orders with lines, for the products report.
      ...(i % 3 === 0
        ? {
            order_id: `o${i}`,
            currency: 'EUR',
            items: [{ id: `p${i % 50}`, name: '', price: 1, quantity: 1, category: '', variant: '' }],
          }
        : {}),
    }),
  );
  await insertRows(s.deps.store, rows);
});
afterAll(() => s.destroy());

const definition: FunnelDefinition = {
  steps: [
    { match: [{ type: 'pageview' }] },
    { match: [{ type: 'purchase', path: { op: 'wildcard', value: '/p1*' } }] },
  ],
};

describe('per-query limits', () => {
  it('reads them from the configuration', () => {
    expect(s.config.clickhouse.reports.timeoutSeconds).toBe(0.001);
    expect(s.deps.store.analytics.settings).toMatchObject({ max_execution_time: 0.001 });
  });

  it('answers a funnel question over its time limit with 422 query_too_expensive', async () => {
    const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition,
      from: '2026-05-04',
      to: '2026-05-04',
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('query_too_expensive');
    expect(body.error.message).toContain('time limit');
  });

  it('answers a funnel correlation over its time limit with 422 query_too_expensive', async () => {
    const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/correlation`, site.api_key, {
      definition,
      from: '2026-05-04',
      to: '2026-05-04',
      properties: ['channel', 'landing_path'],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('query_too_expensive');
  });

  it('answers the products report over its time limit with 422 query_too_expensive', async () => {
    const res = await api(
      s,
      'GET',
      `/api/v1/sites/${site.id}/products?from=2026-05-04&to=2026-05-04`,
      site.api_key,
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('query_too_expensive');
  });

  it('leaves the default store unlimited (ingestion, keys, health)', async () => {
    const [r] = await select<{ n: string }>(
      s.deps.store,
      'SELECT count() AS n FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}',
      { site: site.id },
    );
    expect(Number(r?.n)).toBe(20_000);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });

  it('stops a query over its memory limit the same way', async () => {
    const limited = {
      ...s.deps.store.analytics,
      settings: { ...s.deps.store.analytics.settings, max_execution_time: 30, max_memory_usage: '20000000' },
    };
    await expect(
      select(limited, 'SELECT groupArray(number) AS a FROM numbers({n:UInt64})', { n: 50_000_000 }),
    ).rejects.toMatchObject({ code: 'query_too_expensive', status: 422 });
  });
});

describe('session parameters', () => {
  const unlimited = () => ({
    ...s.deps.store.analytics,
    settings: { ...s.deps.store.analytics.settings, max_execution_time: 30 },
  });
  const tricky = fc.string({
    unit: fc.constantFrom(
      '\\',
      "'",
      '"',
      '\t',
      '\n',
      '\r',
      '\0',
      'a',
      'é',
      '😀',
      '{',
      '}',
      ':',
      ',',
      '[',
      ']',
      'N',
    ),
    maxLength: 12,
  });
  const text = fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 12 }));
  const SQL = 'SELECT {s:String} AS s, {a:Array(String)} AS a, {n:Int64} AS n, {x:Float64} AS x';

  it('deliver every value exactly as the native binding does', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(text, { maxLength: 4 }),
        fc.integer(),
        // Integers past 2^53 are refused by both bindings (precision already lost); -0 leaves
        // out the native binding, which delivers it as 0 (the session keeps the sign).
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .filter((x) => (!Number.isInteger(x) || Number.isSafeInteger(x)) && !Object.is(x, -0)),
        async (str, arr, n, x) => {
          const params = { s: str, a: arr, n, x };
          const viaSession = await select(unlimited(), SQL, params);
          const native = await select(s.deps.store, SQL, params);
          expect(viaSession).toEqual(native);
          expect((viaSession[0] as { s: string }).s).toBe(str);
          expect((viaSession[0] as { a: string[] }).a).toEqual(arr);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuse an integer past 2^53 as the native binding does', async () => {
    const params = { s: '', a: [], n: 2 ** 60, x: 0 };
    await expect(select(unlimited(), SQL, params)).rejects.toThrow(/bigint or a string/);
    await expect(select(s.deps.store, SQL, params)).rejects.toThrow(/unsafe integer/);
  });
});
