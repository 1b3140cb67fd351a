import type { FunnelDefinition } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Every analytics route, found in the OpenAPI document (any operation taking `from`/`to`), with
 * bad zones and ranges: always a 400 with a code, never a 500; a zone in the wrong case is taken
 * in the engine's spelling on every route; and `explain=1` lists the SQL and values behind each
 * answer. A route added later is walked without touching this file.
 */
let s: TestServer;
let site: { id: string; api_key: string; site_key: string };
let funnelId: string;
type Op = { method: 'GET' | 'POST'; template: string; tz: boolean };
const ops: Op[] = [];
const definition: FunnelDefinition = {
  steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'purchase' }] }],
};

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'walk');
  await postCollect(s, batch(site.site_key, [pageview()]));
  const saved = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels`, site.api_key, {
    name: 'f',
    definition,
  });
  funnelId = ((await saved.json()) as { id: string }).id;
  const experiment = await api(s, 'POST', `/api/v1/sites/${site.id}/experiments`, site.api_key, {
    key: 'walk',
    name: 'walk',
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
    control: 'a',
    status: 'running',
    primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 60 },
    secondary_metrics: [{ kind: 'revenue_per_visitor' }, { kind: 'average_order_value' }],
  });
  expect(experiment.status).toBe(201);
  const doc = (await (await fetch(`${s.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const names = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      if (method === 'get' && names.includes('from'))
        ops.push({ method: 'GET', template, tz: names.includes('tz') });
      if (method === 'post' && /\/(funnels\/(query|correlation)|paths)$/.test(template))
        ops.push({ method: 'POST', template, tz: true });
    }
  }
});
afterAll(() => s.destroy());

const today = new Date().toISOString().slice(0, 10);

/** The body of each POST report besides its range. */
const postBodies: Record<string, object> = {
  '/funnels/query': { definition },
  '/funnels/correlation': { definition },
  '/paths': { start: { page: '/' }, direction: 'after', node: 'path' },
};

/** Calls one operation with a range (and zone), as a query string or as the report's body. */
function call(op: Op, range: { from: string; to: string; tz?: string }, explain = false) {
  const path = op.template
    .replace('{siteId}', site.id)
    .replace('{funnelId}', funnelId)
    .replace('{key}', 'walk');
  const tz: Record<string, string> = op.tz && range.tz !== undefined ? { tz: range.tz } : {};
  const flag: Record<string, string> = explain ? { explain: '1' } : {};
  if (op.method === 'POST') {
    const q = new URLSearchParams(flag);
    const own = Object.entries(postBodies).find(([end]) => op.template.endsWith(end))?.[1];
    return api(s, 'POST', `${path}?${q}`, site.api_key, {
      ...own,
      from: range.from,
      to: range.to,
      ...tz,
    });
  }
  const q = new URLSearchParams({ from: range.from, to: range.to, ...tz, ...flag });
  return api(s, 'GET', `${path}?${q}`, site.api_key);
}

const BAD: [string, { from: string; to: string; tz?: string }][] = [
  ['unknown zone', { from: today, to: today, tz: 'Mars/Olympus_Mons' }],
  ['zone with a path', { from: today, to: today, tz: '../../etc/passwd' }],
  ['offset as zone', { from: today, to: today, tz: 'UTC+01:00' }],
  ['empty zone', { from: today, to: today, tz: '' }],
  ['reversed range', { from: '2026-03-10', to: '2026-03-01' }],
  ['reversed instants', { from: '2026-03-01T12:00:00Z', to: '2026-03-01T11:59:59Z' }],
  ['huge span', { from: '2000-01-01', to: '2099-12-31' }],
  ['year 0', { from: '0000-01-01', to: today }],
  ['year 9999', { from: today, to: '9999-12-31' }],
  ['year 9999 instant', { from: today, to: '9999-12-31T00:00:00Z' }],
  ['not a date', { from: 'yesterday', to: today }],
];

describe('every analytics route', () => {
  it('is found in the OpenAPI document', () => {
    expect(ops.map((o) => `${o.method} ${o.template}`).sort()).toEqual(
      [
        'GET /api/v1/sites/{siteId}/attribution',
        'GET /api/v1/sites/{siteId}/carts/abandoned',
        'GET /api/v1/sites/{siteId}/carts/abandonment',
        'GET /api/v1/sites/{siteId}/events',
        'GET /api/v1/sites/{siteId}/events/export',
        'GET /api/v1/sites/{siteId}/experiments/{key}/results',
        'GET /api/v1/sites/{siteId}/funnels/{funnelId}/results',
        'GET /api/v1/sites/{siteId}/orders/summary',
        'GET /api/v1/sites/{siteId}/overview',
        'GET /api/v1/sites/{siteId}/products',
        'GET /api/v1/sites/{siteId}/revenue',
        'GET /api/v1/sites/{siteId}/schema',
        'POST /api/v1/sites/{siteId}/funnels/correlation',
        'POST /api/v1/sites/{siteId}/funnels/query',
        'POST /api/v1/sites/{siteId}/paths',
      ].sort(),
    );
  });

  it.each(BAD)('answers %s with a 400 and a code on every route', async (_name, range) => {
    for (const op of ops) {
      if (range.tz !== undefined && !op.tz) continue;
      const res = await call(op, range);
      const body = (await res.json()) as { error?: { code: string; issues?: { path: string }[] } };
      expect(res.status, `${op.method} ${op.template}`).toBe(400);
      expect(['invalid_query', 'invalid_body']).toContain(body.error?.code);
      expect(body.error?.issues?.length ?? 0, `${op.template} names the parameter`).toBeGreaterThan(0);
    }
  });

  it('takes a zone in any case and answers in the engine’s spelling, with a trend too', async () => {
    for (const op of ops.filter((o) => o.tz)) {
      const res = await call(op, { from: '2026-03-01', to: '2026-03-02', tz: 'america/new_york' });
      expect(res.status, `${op.method} ${op.template}`).toBe(200);
    }
    const trend = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/query`, site.api_key, {
      definition,
      from: '2026-03-01',
      to: '2026-03-02',
      tz: 'america/new_york',
      trend: 'day',
    });
    expect(trend.status).toBe(200);
    expect(((await trend.json()) as { tz: string }).tz).toBe('America/New_York');
    const orders = await api(
      s,
      'GET',
      `/api/v1/sites/${site.id}/orders/summary?from=2026-03-01&to=2026-03-02&tz=america/new_york`,
      site.api_key,
    );
    expect(((await orders.json()) as { tz: string }).tz).toBe('America/New_York');
  });

  it('explains itself with explain=1: the SQL and bound values behind the answer', async () => {
    for (const op of ops.filter((o) => !o.template.endsWith('/export'))) {
      const res = await call(op, { from: today, to: today, tz: 'UTC' }, true);
      expect(res.status, op.template).toBe(200);
      const body = (await res.json()) as {
        explain?: { name?: string; sql: string; params: Record<string, unknown> }[];
      };
      expect(body.explain?.length ?? 0, op.template).toBeGreaterThan(0);
      for (const q of body.explain ?? []) {
        expect(q.sql, op.template).toContain('events_v1');
        expect(Object.values(q.params), op.template).toContain(site.id);
        expect(q.name, op.template).toMatch(/^[a-z][A-Za-z]+$/);
      }
      const plain = (await (await call(op, { from: today, to: today, tz: 'UTC' })).json()) as object;
      expect('explain' in plain, op.template).toBe(false);
    }
  });
});
