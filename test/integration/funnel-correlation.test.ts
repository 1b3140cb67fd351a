import { readFileSync } from 'node:fs';
import { CORRELATION_DEFINITION, type CorrelationResult, type FunnelDefinition } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Funnel correlation through real HTTP on a planted signal: visitors who used the site search
 * convert at twice the rate of those who did not (20 of 40 against 15 of 60).
 */
let s: TestServer;
let site: { id: string; api_key: string };
const T = Date.UTC(2026, 2, 10, 10);
const SEC = 1000;

const definition: FunnelDefinition = {
  steps: [
    { match: [{ type: 'pageview', path: { op: 'exact', value: '/product' } }] },
    { match: [{ type: 'add_to_cart' }] },
    { match: [{ type: 'purchase' }] },
  ],
  window_seconds: 86_400,
};

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'correlation');
  const rows: EventRow[] = [];
  const at = (v: string, start: number, dt: number, type: string, over: Partial<EventRow> = {}) =>
    rows.push(eventRow(site.id, { ts: start + dt, type, visitor_id: v, path: '/product', ...over }));
  const journey = (v: string, start: number, channel: string, buys: boolean) => {
    at(v, start, 0, 'pageview', { channel });
    at(v, start, 20 * SEC, 'add_to_cart', { channel });
    if (buys) at(v, start, 30 * SEC, 'purchase', { channel });
  };
  for (let i = 0; i < 40; i++) {
    const start = T + i * 60 * SEC;
    journey(`s${i}`, start, 'direct', i < 20);
    at(`s${i}`, start, 10 * SEC, 'custom', {
      name: 'site_search',
      props: { query: i % 2 ? 'shoes' : 'bags' },
    });
  }
  for (let i = 0; i < 60; i++)
    journey(`n${i}`, T + 3_600_000 + i * 60 * SEC, i < 30 ? 'social' : 'direct', i < 15);
  // Searches that do not count: after converting, at the very instant of entry, after the window.
  at('n0', T + 3_600_000, 40 * SEC, 'custom', { name: 'site_search' });
  at('n1', T + 3_600_000 + 60 * SEC, 0, 'custom', { name: 'site_search' });
  at('n59', T + 3_600_000 + 59 * 60 * SEC, 86_400 * SEC + 1, 'custom', { name: 'site_search' });
  await insertRows(s.deps.store, rows);
}, 180_000);
afterAll(() => s.destroy());

const correlate = (body: Record<string, unknown>, suffix = '') =>
  api(s, 'POST', `/api/v1/sites/${site.id}/funnels/correlation${suffix}`, site.api_key, {
    definition,
    from: '2026-03-10',
    to: '2026-03-10',
    ...body,
  });

describe('POST /funnels/correlation', () => {
  it('finds the planted signal with exact counts, and ranks sources both ways', async () => {
    const res = await correlate({ properties: ['channel', 'props.query'] });
    expect(res.status).toBe(200);
    const r = (await res.json()) as CorrelationResult;
    expect(r.units).toEqual({ converted: 35, dropped: 65 });
    expect(r.steps).toEqual({ from: 0, to: 2 });
    expect(r.min_support).toBe(30);
    expect(r.excluded).toEqual([
      { kind: 'event_type', value: 'add_to_cart', reason: 'defines_step', step: 1 },
      { kind: 'event_type', value: 'purchase', reason: 'defines_step', step: 2 },
    ]);
    // site_search, custom, channel direct and social, query (empty); shoes and bags (20 each) untested.
    expect(r.candidates_found).toBe(7);
    expect(r.tested).toBe(5);
    expect(r.untested).toBe(2);

    expect(r.success.map((c) => [c.kind, c.property ?? '', c.value])).toEqual([
      ['event_name', '', 'site_search'],
      ['event_type', '', 'custom'],
      ['property', 'channel', 'social'],
    ]);
    const search = r.success[0];
    expect(search?.counts).toEqual({
      did_converted: 20,
      did_dropped: 20,
      not_converted: 15,
      not_dropped: 45,
    });
    expect(search?.odds_ratio).toBeCloseTo(3, 12);
    const se = Math.sqrt(1 / 20 + 1 / 20 + 1 / 15 + 1 / 45);
    expect(search?.odds_ratio_interval.low).toBeCloseTo(Math.exp(Math.log(3) - 1.959963984540054 * se), 9);
    expect(search?.odds_ratio_interval.high).toBeCloseTo(Math.exp(Math.log(3) + 1.959963984540054 * se), 9);
    expect(search?.corrected).toBe(false);
    expect(search?.test).toBe('chi_square');
    // χ² = 100·(20·45 − 20·15)² / (40·60·35·65) = 6.5934…, p ≈ 0.01024.
    expect(search?.p_value).toBeGreaterThan(0.0101);
    expect(search?.p_value).toBeLessThan(0.0104);
    // Five tested; the three smallest p-values tie, so q = p · 5/3.
    expect(search?.q_value).toBeCloseTo(((search?.p_value ?? 0) * 5) / 3, 12);
    expect(r.success[2]?.counts).toEqual({
      did_converted: 15,
      did_dropped: 15,
      not_converted: 20,
      not_dropped: 50,
    });
    expect(r.success[2]?.bucket).toBe('value');

    expect(
      r.drop_off.map((c) => [c.property, c.bucket, c.value, c.counts.did_converted, c.counts.did_dropped]),
    ).toEqual([
      ['props.query', 'empty', '(empty)', 15, 45],
      ['channel', 'value', 'direct', 20, 50],
    ]);
    expect(r.drop_off[0]?.odds_ratio).toBeCloseTo(1 / 3, 12);
  });

  it('tests the small candidates when min_support allows, and says which step pair it used', async () => {
    const res = await correlate({ properties: ['props.query'], min_support: 5, steps: { from: 1 } });
    expect(res.status).toBe(200);
    const r = (await res.json()) as CorrelationResult;
    // Units that reached the cart: all 100; the search happened before it, so it does not count.
    expect(r.steps).toEqual({ from: 1, to: 2 });
    expect(r.units).toEqual({ converted: 35, dropped: 65 });
    expect(r.min_support).toBe(5);
    expect(r.excluded).toEqual([{ kind: 'event_type', value: 'purchase', reason: 'defines_step', step: 2 }]);
    // n0's search after its purchase does not count either: only "(empty)" is left, held by every
    // unit, so two cells are zero and the table is corrected.
    const all = [...r.success, ...r.drop_off];
    expect(all.map((c) => [c.property, c.bucket, c.counts])).toEqual([
      ['props.query', 'empty', { did_converted: 35, did_dropped: 65, not_converted: 0, not_dropped: 0 }],
    ]);
    expect(all[0]?.corrected).toBe(true);
    expect(all[0]?.odds_ratio).toBeCloseTo((35.5 * 0.5) / (65.5 * 0.5), 12);
    expect(r.tested).toBe(1);
  });

  it('tests the events that define a later step when asked to', async () => {
    const res = await correlate({ include_step_events: true });
    const r = (await res.json()) as CorrelationResult;
    expect(r.excluded).toEqual([]);
    // Every unit added to its cart after entering (so it is no signal: c = d = 0); nobody's
    // purchase counts, as it is the conversion itself.
    const cart = [...r.success, ...r.drop_off].find((c) => c.value === 'add_to_cart');
    expect(cart?.counts).toEqual({ did_converted: 35, did_dropped: 65, not_converted: 0, not_dropped: 0 });
    expect([...r.success, ...r.drop_off].some((c) => c.value === 'purchase')).toBe(false);
  });

  it('explains itself with the query that counted', async () => {
    const res = await correlate({}, '?explain=1');
    const r = (await res.json()) as CorrelationResult;
    expect(r.explain?.map((q) => q.name)).toEqual(['getCorrelationCounts']);
    expect(r.explain?.[0]?.sql).toContain('uniqExactIfState');
  });

  it('answers an empty range with no units and no candidates', async () => {
    const res = await correlate({ from: '2026-01-01', to: '2026-01-02' });
    expect(res.status).toBe(200);
    const r = (await res.json()) as CorrelationResult;
    expect(r.units).toEqual({ converted: 0, dropped: 0 });
    expect([r.candidates_found, r.tested, r.success.length, r.drop_off.length]).toEqual([0, 0, 0, 0]);
  });

  it.each([
    ['an unknown property', { properties: ['plan'] }, 'properties.0'],
    ['a property named twice', { properties: ['channel', 'channel'] }, 'properties.1'],
    ['a step past the last', { steps: { to: 3 } }, 'steps.to'],
    ['a pair in the wrong order', { steps: { from: 2, to: 1 } }, 'steps.to'],
    ['a negative step', { steps: { from: -1 } }, 'steps.from'],
    ['an unknown key', { breakdown: { dimension: { column: 'channel' } } }, 'breakdown'],
    ['a min_support of 0', { min_support: 0 }, 'min_support'],
  ])('refuses %s with 400 invalid_body', async (_, body, path) => {
    const res = await correlate(body);
    expect(res.status).toBe(400);
    const e = (await res.json()) as { error: { code: string; issues?: { path: string }[] } };
    expect(e.error.code).toBe('invalid_body');
    expect(e.error.issues?.map((i) => i.path)).toContain(path);
  });

  it('refuses a body that is not JSON and a public site key', async () => {
    const bad = await fetch(`${s.url}/api/v1/sites/${site.id}/funnels/correlation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
      body: '{"definition":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/correlation`, undefined, {
      definition,
    });
    expect(res.status).toBe(401);
  });
});

describe('the definition', () => {
  it('is written word for word in the README and the OpenAPI description', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const doc = (await (await fetch(`${s.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { description?: string } }>;
    };
    const described = doc.paths['/api/v1/sites/{siteId}/funnels/correlation']?.post?.description ?? '';
    for (const line of CORRELATION_DEFINITION) {
      expect(readme).toContain(`- ${line}`);
      expect(described).toContain(`- ${line}`);
    }
  });
});
