import type { FunnelDefinition, FunnelResult, SavedFunnel } from '@funnelhouse/schemas';
import { command } from '@funnelhouse/server/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { batch, pageview } from '../helpers/events.ts';
import { countRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
let other: { id: string; api_key: string };
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'funnels');
  other = await createSite(s, 'other');
  const T = Date.UTC(2026, 2, 10, 23, 30);
  const h = 3_600_000;
  const row = (v: string, at: number, type: string, over = {}) =>
    eventRow(site.id, {
      ts: T + at,
      type,
      visitor_id: v,
      path: type === 'pageview' ? '/product' : '/',
      ...over,
    });
  await insertRows(s.deps.store, [
    row('a', 0, 'pageview', { channel: 'email' }),
    row('a', 60_000, 'add_to_cart'),
    row('a', 120_000, 'purchase'),
    row('b', h, 'pageview', { channel: 'email' }),
    row('b', h + 60_000, 'add_to_cart'),
    row('c', h, 'pageview', { channel: 'social' }),
    // the week before: one visitor who bought
    row('p', -7 * 24 * h, 'pageview', { channel: 'direct' }),
    row('p', -7 * 24 * h + 1000, 'add_to_cart'),
    row('p', -7 * 24 * h + 2000, 'purchase'),
    // props for the schema endpoint
    row('a', 3000, 'custom', { name: 'signup', props: { plan: 'pro' } }),
  ]);
});
afterAll(() => s.destroy());

const definition: FunnelDefinition = {
  steps: [
    { label: 'Product', match: [{ type: 'pageview', path: { op: 'wildcard', value: '/product*' } }] },
    { label: 'Cart', match: [{ type: 'add_to_cart' }] },
    { label: 'Bought', match: [{ type: 'purchase' }] },
  ],
  window_seconds: 86_400,
};

function call(path: string, init: RequestInit & { key?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.key ?? site.api_key}` };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${s.url}${path}`, {
    ...init,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
}
const query = (body: unknown, key?: string, siteId = site.id, suffix = '') =>
  call(`/api/v1/sites/${siteId}/funnels/query${suffix}`, {
    method: 'POST',
    json: body,
    ...(key ? { key } : {}),
  });

describe('POST /funnels/query', () => {
  it('answers per step with rates, intervals, drop-off and timings', async () => {
    const res = await query({ definition, from: '2026-03-10', to: '2026-03-11' });
    expect(res.status).toBe(200);
    const r = (await res.json()) as FunnelResult;
    expect(r.overall.steps.map((x) => x.units)).toEqual([3, 2, 1]);
    const cart = r.overall.steps[1];
    expect(cart?.from_previous.rate).toBeCloseTo(2 / 3, 12);
    expect(cart?.dropped).toBe(1);
    expect(cart?.time_from_previous.median_ms).toBe(60_000);
    expect(r.overall.steps[2]?.time_from_entry.median_ms).toBe(120_000);
    expect(r.overall.time_to_convert.find((b) => b.units > 0)).toMatchObject({
      from_ms: 60_000,
      to_ms: 300_000,
      units: 1,
    });
  });

  it('counts the events matching each step, so a step matching nothing differs from one nobody reached', async () => {
    const r = (await (
      await query({ definition, from: '2026-03-10', to: '2026-03-11' })
    ).json()) as FunnelResult;
    expect(r.step_events).toEqual([3, 2, 1]);
    // Nobody viewed a product after buying (0 units, 3 events); "/prodcts*" is a typo (0 events).
    const odd: FunnelDefinition = {
      steps: [
        { match: [{ type: 'purchase' }] },
        { match: [{ type: 'pageview', path: { op: 'wildcard', value: '/product*' } }] },
        { match: [{ type: 'pageview', path: { op: 'wildcard', value: '/prodcts*' } }] },
      ],
      window_seconds: 86_400,
    };
    const res = await query({ definition: odd, from: '2026-03-10', to: '2026-03-11', compare: true });
    expect(res.status).toBe(200);
    const o = (await res.json()) as FunnelResult;
    expect(o.overall.steps.map((x) => x.units)).toEqual([1, 0, 0]);
    expect(o.step_events).toEqual([1, 3, 0]);
  });

  it('breaks down by a dimension with top N, Other and no value', async () => {
    const res = await query({
      definition,
      from: '2026-03-10',
      to: '2026-03-11',
      breakdown: { dimension: { column: 'channel' }, limit: 1 },
    });
    const r = (await res.json()) as FunnelResult;
    expect(r.breakdown?.map((g) => [g.kind, g.value, g.steps.map((x) => x.units)])).toEqual([
      ['value', 'email', [2, 2, 1]],
      ['other', 'Other', [1, 0, 0]],
    ]);
    expect(r.breakdown?.[0]?.share).toBeCloseTo(2 / 3, 12);
  });

  it('refuses a breakdown with more distinct values than the engine packs (2^20) with a 400, not a 500', async () => {
    const wide = await createSite(s, 'wide');
    // 2^20 + 1 visitors, each entering with its own property value, made inside ClickHouse.
    await command(
      s.deps.store,
      `INSERT INTO {db:Identifier}.events_v1 (site_id, event_id, type, ts, received_at, visitor_id, session_id, path, props)
       SELECT {site:String}, toString(number), 'pageview', toDateTime64('2026-03-10 12:00:00', 3, 'UTC'),
              now64(3), toString(number), toString(number), '/product', map('k', toString(number))
       FROM numbers(1048577)`,
      { site: wide.id },
    );
    const res = await query(
      { definition, from: '2026-03-10', to: '2026-03-11', breakdown: { dimension: { property: 'k' } } },
      wide.api_key,
      wide.id,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('too_many_breakdown_values');
    expect(body.error.issues[0]?.path).toBe('breakdown');
  });

  it('trends by entry day in the requested time zone', async () => {
    const utc = (await (
      await query({ definition, from: '2026-03-10', to: '2026-03-11', trend: 'day' })
    ).json()) as FunnelResult;
    expect(utc.trend?.map((t) => [t.period, t.entered, t.converted])).toEqual([
      ['2026-03-10', 1, 1],
      ['2026-03-11', 2, 0],
    ]);
    const berlin = (await (
      await query({
        definition,
        from: '2026-03-10T00:00:00Z',
        to: '2026-03-12T00:00:00Z',
        tz: 'Europe/Berlin',
        trend: 'day',
      })
    ).json()) as FunnelResult;
    expect(berlin.trend?.map((t) => [t.period, t.entered, t.converted])).toEqual([
      ['2026-03-10', 0, 0],
      ['2026-03-11', 3, 1],
      ['2026-03-12', 0, 0],
    ]);
  });

  it('trends every period of the range, a day or week nobody entered as zero with no rate', async () => {
    const days = (await (
      await query({ definition, from: '2026-03-08', to: '2026-03-12', trend: 'day' })
    ).json()) as FunnelResult;
    expect(days.trend?.map((t) => [t.period, t.entered, t.conversion.rate])).toEqual([
      ['2026-03-08', 0, null],
      ['2026-03-09', 0, null],
      ['2026-03-10', 1, 1],
      ['2026-03-11', 2, 0],
      ['2026-03-12', 0, null],
    ]);
    const weeks = (await (
      await query({ definition, from: '2026-03-04', to: '2026-03-18', trend: 'week' })
    ).json()) as FunnelResult;
    expect(weeks.trend?.map((t) => [t.period, t.entered])).toEqual([
      ['2026-03-02', 0],
      ['2026-03-09', 3],
      ['2026-03-16', 0],
    ]);
  });

  it('compares with the previous period of equal length', async () => {
    const r = (await (
      await query({ definition, from: '2026-03-10', to: '2026-03-16', compare: true })
    ).json()) as FunnelResult;
    expect(r.compare?.overall.steps.map((x) => x.units)).toEqual([1, 1, 1]);
    expect(r.compare?.change.map((c) => c.units)).toEqual([2, 1, 0]);
    expect(r.compare?.change[2]?.from_entry).toBeCloseTo(1 / 3 - 1, 12);
  });

  it('counts an event sent twice once: ingestion stores an event id once, the engine counts rows', async () => {
    const dup = await createSite(s, 'dup');
    const ts = Date.now() - 60_000;
    const once = pageview({ id: 'pv-dup', ts });
    expect((await postCollect(s, batch(dup.site_key, [once, once]))).status).toBe(202);
    expect((await postCollect(s, batch(dup.site_key, [once]))).status).toBe(202);
    expect(await countRows(s, dup.id)).toBe(1);
    const twice = {
      steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'pageview' }] }],
      window_seconds: 1,
    };
    const range = { from: new Date(ts - 3_600_000).toISOString(), to: new Date(ts + 1000).toISOString() };
    const res = await query({ definition: twice, ...range }, dup.api_key, dup.id);
    expect(res.status).toBe(200);
    const r = (await res.json()) as FunnelResult;
    expect(r.overall.steps.map((x) => x.units)).toEqual([1, 0]);
  });

  it('skips a crawler-sized unit over the work limit, reports it, and answers the rest', async () => {
    const heavy = await createSite(s, 'heavy');
    const T = Date.UTC(2026, 2, 10, 1);
    const at = (v: string, ms: number, type: string) =>
      eventRow(heavy.id, { ts: T + ms, type, visitor_id: v, path: type === 'pageview' ? '/product' : '/' });
    // 3,000 entries × 3,000 cart events = 9e6 values to search, over MAX_UNIT_WORK (2^23 ≈ 8.4e6).
    const crawler = Array.from({ length: 6000 }, (_, i) =>
      at('crawler', i * 100, i % 2 === 0 ? 'pageview' : 'add_to_cart'),
    );
    await insertRows(s.deps.store, [
      ...crawler,
      at('buyer', 0, 'pageview'),
      at('buyer', 1000, 'add_to_cart'),
      at('buyer', 2000, 'purchase'),
    ]);
    const res = await query(
      { definition, from: '2026-03-10', to: '2026-03-11', trend: 'day', compare: true },
      heavy.api_key,
      heavy.id,
    );
    expect(res.status).toBe(200);
    const r = (await res.json()) as FunnelResult;
    expect(r.skipped_units).toBe(1);
    expect(r.overall.steps.map((x) => x.units)).toEqual([1, 1, 1]);
    expect(r.trend?.map((p) => [p.period, p.entered])).toEqual([
      ['2026-03-10', 1],
      ['2026-03-11', 0],
    ]);
    expect(r.compare?.skipped_units).toBe(0);
  });

  it('explains with SQL whose values are all bound parameters', async () => {
    const r = (await (
      await query({ definition, from: '2026-03-10', to: '2026-03-11' }, undefined, site.id, '?explain=1')
    ).json()) as FunnelResult;
    const [e] = r.explain ?? [];
    expect(e?.sql).toContain('{p0:');
    expect(e?.sql).not.toContain('/product');
    expect(Object.values(e?.params ?? {})).toContain('/product%');
  });

  it('refuses invalid definitions with the path of each problem', async () => {
    const res = await query({
      definition: {
        steps: [{ match: [{ type: 'pageview' }], optional: true }, { match: [] }],
        order: 'sideways',
      },
      from: '2026-03-10',
      to: '2026-03-11',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['definition.steps.1.match', 'definition.order']),
    );
    const inverted = await query({ definition, from: '2026-03-11', to: '2026-03-01' });
    expect(inverted.status).toBe(400);
  });

  it('needs a key for this very site', async () => {
    expect((await fetch(`${s.url}/api/v1/sites/${site.id}/funnels/query`, { method: 'POST' })).status).toBe(
      401,
    );
    const cross = await query({ definition, from: '2026-03-10', to: '2026-03-11' }, other.api_key);
    expect(cross.status).toBe(404);
    const isolated = (await (
      await query({ definition, from: '2026-03-10', to: '2026-03-11' }, other.api_key, other.id)
    ).json()) as FunnelResult;
    expect(isolated.overall.steps.map((x) => x.units)).toEqual([0, 0, 0]);
  });
});

describe('saved funnels', () => {
  it('create, list, get, update, results, delete', async () => {
    const base = `/api/v1/sites/${site.id}/funnels`;
    const created = await call(base, { method: 'POST', json: { name: 'Checkout', definition } });
    expect(created.status).toBe(201);
    const f = (await created.json()) as SavedFunnel;
    expect(f.definition).toEqual(definition);
    const list = (await (await call(base)).json()) as { funnels: SavedFunnel[] };
    expect(list.funnels.map((x) => x.id)).toEqual([f.id]);
    const upd = await call(`${base}/${f.id}`, { method: 'PUT', json: { name: 'Checkout v2', definition } });
    expect(((await upd.json()) as SavedFunnel).name).toBe('Checkout v2');
    expect(((await (await call(`${base}/${f.id}`)).json()) as SavedFunnel).name).toBe('Checkout v2');
    const results = await call(
      `${base}/${f.id}/results?from=2026-03-10&to=2026-03-11&breakdown=column:channel&trend=week&compare=1`,
    );
    expect(results.status).toBe(200);
    const r = (await results.json()) as FunnelResult;
    expect(r.overall.steps.map((x) => x.units)).toEqual([3, 2, 1]);
    expect(r.trend?.map((t) => t.period)).toEqual(['2026-03-09']);
    expect((await call(`${base}/${f.id}/results?from=2026-03-10&to=2026-03-11&breakdown=nope`)).status).toBe(
      400,
    );
    // Attribution on saved funnels: everyone is counted once whatever the attribution.
    const day = `${base}/${f.id}/results?from=2026-03-10&to=2026-03-11&breakdown=column:channel`;
    const all = await call(`${day}&breakdown_attribution=every_touch`);
    expect(all.status).toBe(200);
    expect(((await all.json()) as FunnelResult).overall.steps.map((x) => x.units)).toEqual([3, 2, 1]);
    expect((await call(`${day}&breakdown_attribution=first_touch&breakdown_step=2`)).status).toBe(400);
    expect((await call(`/api/v1/sites/${other.id}/funnels/${f.id}`, { key: other.api_key })).status).toBe(
      404,
    );
    expect((await call(`${base}/${f.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${base}/${f.id}`)).status).toBe(404);
    expect((await call(`${base}/${f.id}/results?from=2026-03-10&to=2026-03-11`)).status).toBe(404);
    expect(((await (await call(base)).json()) as { funnels: unknown[] }).funnels).toEqual([]);
  });

  it('reads a definition saved with exclusion_mode "person" as "unit"; new requests with "person" are refused', async () => {
    const base = `/api/v1/sites/${site.id}/funnels`;
    const withX = {
      ...definition,
      exclusions: [{ match: [{ type: 'add_to_cart' as const }], from_step: 1, to_step: 3 }],
    };
    const refused = await call(base, {
      method: 'POST',
      json: { name: 'old', definition: { ...withX, exclusion_mode: 'person' } },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('\\"unit\\"');
    // As saved before the rename: the stored JSON still says "person".
    await command(
      s.deps.store,
      `INSERT INTO {db:Identifier}.funnels_v1 (site_id, funnel_id, name, definition, created_at, updated_at, deleted)
       VALUES ({site:String}, 'legacy-person', 'old', {def:String}, now64(3), now64(3), 0)`,
      { site: site.id, def: JSON.stringify({ ...withX, exclusion_mode: 'person' }) },
    );
    const got = (await (await call(`${base}/legacy-person`)).json()) as SavedFunnel;
    expect(got.definition.exclusion_mode).toBe('unit');
    const results = await call(`${base}/legacy-person/results?from=2026-03-10&to=2026-03-11`);
    expect(results.status).toBe(200);
    const asUnit = await query({
      definition: { ...withX, exclusion_mode: 'unit' },
      from: '2026-03-10',
      to: '2026-03-11',
    });
    const units = (r: FunnelResult) => r.overall.steps.map((x) => x.units);
    // a and b did the excluded add_to_cart after the product view: only c is left.
    const saved = units((await results.json()) as FunnelResult);
    expect(saved[0]).toBe(1);
    expect(saved).toEqual(units((await asUnit.json()) as FunnelResult));
  });

  it('refuses a name another live funnel has (409 duplicate_name), ignoring case and spaces', async () => {
    const base = `/api/v1/sites/${site.id}/funnels`;
    const save = (name: string, method = 'POST', path = base) =>
      call(path, { method, json: { name, definition } });
    const first = (await (await save('Signups')).json()) as SavedFunnel;
    const second = (await (await save('Trials')).json()) as SavedFunnel;
    for (const res of [await save('  signups '), await save('SIGNUPS', 'PUT', `${base}/${second.id}`)]) {
      expect(res.status).toBe(409);
      const body = (await res.json()) as {
        error: { code: string; message: string; issues: { path: string }[] };
      };
      expect(body.error.code).toBe('duplicate_name');
      expect(body.error.message).toContain('"Signups"');
      expect(body.error.issues[0]?.path).toBe('name');
    }
    // A funnel keeps its own name; another site may use it; a deleted funnel's name is free again.
    expect((await save('Signups', 'PUT', `${base}/${first.id}`)).status).toBe(200);
    const elsewhere = await call(`/api/v1/sites/${other.id}/funnels`, {
      method: 'POST',
      key: other.api_key,
      json: { name: 'Signups', definition },
    });
    expect(elsewhere.status).toBe(201);
    expect((await call(`${base}/${first.id}`, { method: 'DELETE' })).status).toBe(204);
    const again = await save('signups');
    expect(again.status).toBe(201);
    const names = ((await (await call(base)).json()) as { funnels: SavedFunnel[] }).funnels.map(
      (f) => f.name,
    );
    expect(names.filter((n) => ['Trials', 'signups'].includes(n)).sort()).toEqual(['Trials', 'signups']);
    for (const f of [second, (await again.json()) as SavedFunnel]) {
      await call(`${base}/${f.id}`, { method: 'DELETE' });
    }
  });

  it('keeps the breakdown saved with the funnel; a save without one clears it', async () => {
    const base = `/api/v1/sites/${site.id}/funnels`;
    const breakdown = { dimension: { column: 'channel' as const }, limit: 5 };
    const created = await call(base, { method: 'POST', json: { name: 'By channel', definition, breakdown } });
    expect(created.status).toBe(201);
    const f = (await created.json()) as SavedFunnel;
    expect(f.breakdown).toEqual(breakdown);
    expect(((await (await call(`${base}/${f.id}`)).json()) as SavedFunnel).breakdown).toEqual(breakdown);
    const listed = ((await (await call(base)).json()) as { funnels: SavedFunnel[] }).funnels;
    expect(listed.find((x) => x.id === f.id)?.breakdown).toEqual(breakdown);
    const byProperty = { dimension: { property: 'plan' } };
    await call(`${base}/${f.id}`, {
      method: 'PUT',
      json: { name: 'By channel', definition, breakdown: byProperty },
    });
    expect(((await (await call(`${base}/${f.id}`)).json()) as SavedFunnel).breakdown).toEqual(byProperty);
    await call(`${base}/${f.id}`, { method: 'PUT', json: { name: 'By channel', definition } });
    expect((await (await call(`${base}/${f.id}`)).json()) as SavedFunnel).not.toHaveProperty('breakdown');
    const bad = await call(base, {
      method: 'POST',
      json: { name: 'Bad', definition, breakdown: { dimension: { column: 'channel' }, at_step: 4 } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
      'breakdown.at_step',
    );
    await call(`${base}/${f.id}`, { method: 'DELETE' });
  });

  it('refuses to save an invalid definition', async () => {
    const res = await call(`/api/v1/sites/${site.id}/funnels`, {
      method: 'POST',
      json: { name: 'x', definition: { steps: [] } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
      'definition.steps',
    );
  });
});

describe('GET /schema', () => {
  it('lists event types, names, property keys and top values', async () => {
    const res = await call(`/api/v1/sites/${site.id}/schema?from=2026-03-01&to=2026-03-31`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      event_types: { type: string; events: number }[];
      names: { name: string }[];
      properties: unknown[];
    };
    expect(body.event_types).toContainEqual({ type: 'pageview', events: 4 });
    expect(body.names).toEqual([{ type: 'custom', name: 'signup', events: 1 }]);
    expect(body.properties).toEqual([{ key: 'plan', top_values: [{ value: 'pro', events: 1 }] }]);
  });
});
