import type { ExperimentResult, SavedExperiment } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const t = (hhmm: string, day = '2026-03-10') => Date.parse(`${day}T${hhmm}:00Z`);

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const at = (visitor_id: string, over: Partial<EventRow> & { ts: number }) =>
    eventRow(site.id, { visitor_id, ...over });
  const exposure = (v: string, variant: string, hhmm: string) =>
    at(v, { ts: t(hhmm), type: 'exposure', name: 'exp-a', experiments: { 'exp-a': variant } });
  const purchase = (
    v: string,
    order_id: string,
    revenue: number,
    ts: number,
    source: EventRow['source'] = 'browser',
  ) => at(v, { ts, type: 'purchase', order_id, revenue, currency: 'EUR', source, experiments: {} });
  await insertRows(s.deps.store, [
    // a: converts 30 min after entry, one order of 10.
    exposure('v1', 'a', '10:00'),
    purchase('v1', 'o1', 10, t('10:30')),
    // a: a page before entry only: nothing counts.
    at('v2', { ts: t('09:00'), path: '/thanks' }),
    exposure('v2', 'a', '10:00'),
    // a: two orders (30 and 20); a second exposure to the same variant changes nothing.
    exposure('v3', 'a', '11:00'),
    purchase('v3', 'o2', 30, t('11:10')),
    exposure('v3', 'a', '11:30'),
    purchase('v3', 'o3', 20, t('12:00')),
    // b: one order reported by the browser (50) and the server (55): one order of 55.
    exposure('v4', 'b', '10:00'),
    purchase('v4', 'o4', 50, t('10:05')),
    purchase('v4', 'o4', 55, t('10:06'), 'server'),
    // b: ordered a minute before entry: not counted.
    purchase('v5', 'o5', 5, t('09:59')),
    exposure('v5', 'b', '10:00'),
    // b: ordered the next day, after the range's end.
    exposure('v8', 'b', '10:00'),
    purchase('v8', 'o7', 20, t('10:00', '2026-03-11')),
    // Exposed to b and a: left out, counted.
    exposure('v6', 'b', '10:00'),
    exposure('v6', 'a', '10:10'),
    purchase('v6', 'o6', 100, t('10:20')),
    // A variant the definition does not name.
    exposure('v7', 'c', '10:00'),
    // Another experiment's exposure and another site's: not this experiment's.
    at('v9', { ts: t('10:00'), type: 'exposure', name: 'other', experiments: { other: 'a' } }),
    eventRow('another-site', {
      ts: t('10:00'),
      type: 'exposure',
      name: 'exp-a',
      experiments: { 'exp-a': 'a' },
    }),
  ]);
}, 180_000);
afterAll(() => s.destroy());

const definition = {
  key: 'exp-a',
  name: 'Button colour',
  hypothesis: 'b sells more',
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
  ],
  control: 'a',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 3600 },
  secondary_metrics: [
    { kind: 'revenue_per_visitor' },
    { kind: 'orders_per_visitor' },
    { kind: 'average_order_value' },
    { kind: 'revenue_per_visitor', cap: 40 },
    { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 600 },
  ],
};

const base = () => `/api/v1/sites/${site.id}/experiments`;
async function results(key: string, query = 'from=2026-03-10&to=2026-03-10'): Promise<ExperimentResult> {
  const res = await api(s, 'GET', `${base()}/${key}/results?${query}`, site.api_key);
  expect(res.status).toBe(200);
  return (await res.json()) as ExperimentResult;
}

describe('experiment definitions', () => {
  it('are created, listed, read, replaced and deleted; a second create of a key is a conflict', async () => {
    const created = await api(s, 'POST', base(), site.api_key, definition);
    expect(created.status).toBe(201);
    const saved = (await created.json()) as SavedExperiment;
    expect(saved).toMatchObject({ ...definition, created_at: expect.any(String) });
    expect((await api(s, 'POST', base(), site.api_key, definition)).status).toBe(409);
    const list = (await (await api(s, 'GET', base(), site.api_key)).json()) as {
      experiments: SavedExperiment[];
    };
    expect(list.experiments.map((e) => e.key)).toEqual(['exp-a']);

    const { key: _k, ...fields } = definition;
    const other = { ...fields, key: undefined, name: 'Temp', status: 'draft' };
    await api(s, 'POST', base(), site.api_key, { ...other, key: 'temp' });
    const put = await api(s, 'PUT', `${base()}/temp`, site.api_key, { ...fields, name: 'Renamed' });
    expect(((await put.json()) as SavedExperiment).name).toBe('Renamed');
    const got = (await (await api(s, 'GET', `${base()}/temp`, site.api_key)).json()) as SavedExperiment;
    expect(got).toMatchObject({ key: 'temp', name: 'Renamed', status: 'running' });
    expect((await api(s, 'DELETE', `${base()}/temp`, site.api_key)).status).toBe(204);
    expect((await api(s, 'GET', `${base()}/temp`, site.api_key)).status).toBe(404);
    expect((await api(s, 'GET', `${base()}/temp/results?range=7d`, site.api_key)).status).toBe(404);
  });

  it('refuses a control outside the variants, duplicate variants, unknown keys and bad regexes (400)', async () => {
    const bad = async (body: unknown) => {
      const res = await api(s, 'POST', base(), site.api_key, body);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: { issues?: { path: string }[] } }).error.issues?.map(
        (i) => i.path,
      );
    };
    expect(await bad({ ...definition, key: 'x1', control: 'z' })).toEqual(['control']);
    expect(
      await bad({ ...definition, key: 'x2', variants: [definition.variants[0], definition.variants[0]] }),
    ).toEqual(['variants.1.key']);
    expect(await bad({ ...definition, key: 'x3', colour: 'red' })).toEqual(['colour']);
    // Six `in` filters of 100 values: within each list's limit, over 500 conditions in all.
    const values = Array.from({ length: 100 }, (_, i) => `v${i}`);
    const filters = Array.from({ length: 6 }, () => ({ property: 'k', op: 'in', values }));
    const huge = { kind: 'conversion', event: { type: 'purchase', filters }, window_seconds: 60 };
    const tooBig = await api(s, 'POST', base(), site.api_key, {
      ...definition,
      key: 'x5',
      primary_metric: huge,
    });
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('funnel_too_complex');
    const regex = {
      kind: 'conversion',
      event: { path: { op: 'regex', value: '(?=x)' } },
      window_seconds: 60,
    };
    expect(await bad({ ...definition, key: 'x4', primary_metric: regex })).toEqual([
      'primary_metric.event.path.value',
    ]);
  });
});

describe('experiment results', () => {
  it('count exposed visitors per variant from their first exposure; multiple and undefined variants apart', async () => {
    const r = await results('exp-a');
    expect(r.variants).toEqual([
      { key: 'a', weight: 1, units: 3 },
      { key: 'b', weight: 1, units: 3 },
    ]);
    expect(r.health).toEqual({
      srm: { checked: false, p_value: null, mismatch: false },
      multiple_exposures: 1,
      multiple_exposure_share: 1 / 8,
      undefined_variants: [{ variant: 'c', units: 1 }],
      undefined_variants_more: 0,
      low_sample: true,
      mixed_currencies: [],
      warnings: ['multiple_exposures', 'undefined_variants', 'low_sample'],
    });
    expect(r.unit).toBe('visitor');
    // Every order in EUR: the money metrics name it, the others have no unit.
    expect(r.metrics.map((m) => m.currency)).toEqual([null, 'EUR', null, 'EUR', 'EUR', null]);
    expect(r.metrics.map((m) => m.role)).toEqual([
      'primary',
      ...definition.secondary_metrics.map(() => 'secondary'),
    ]);
  });

  it('give the exact sums and statistics of a small known data set', async () => {
    const r = await results('exp-a');
    const [conv, rpv, opv, aov, capped, short] = r.metrics.map((m) => m.variants);
    expect(conv?.map((v) => [v.variant, v.units, v.sums])).toEqual([
      ['a', 3, { conversions: 2 }],
      ['b', 3, { conversions: 1 }],
    ]);
    expect(conv?.[0]?.value).toBeCloseTo(2 / 3, 12);
    expect(conv?.[0]?.comparison).toBeNull();
    const cb = conv?.[1]?.comparison;
    expect(cb?.absolute.estimate).toBeCloseTo(-1 / 3, 12);
    expect(cb?.relative?.estimate).toBeCloseTo(-0.5, 12);
    // scipy.stats.chi2_contingency([[2, 1], [1, 2]], correction=False).pvalue
    expect(cb?.p_value).toBeCloseTo(0.4142161782425251, 9);
    expect(cb?.chance_to_beat_control).toBeLessThan(0.5);

    expect(rpv?.map((v) => v.sums)).toEqual([
      { sum: 60, sum_sq: 2600 },
      { sum: 55, sum_sq: 3025 },
    ]);
    // scipy.stats.ttest_ind([55, 0, 0], [10, 0, 50], equal_var=False).pvalue
    expect(rpv?.[1]?.comparison?.p_value).toBeCloseTo(0.9477745964809491, 9);
    expect(opv?.map((v) => v.sums)).toEqual([
      { sum: 3, sum_sq: 5 },
      { sum: 1, sum_sq: 1 },
    ]);
    // scipy.stats.ttest_ind([1, 0, 0], [1, 0, 2], equal_var=False).pvalue
    expect(opv?.[1]?.comparison?.p_value).toBeCloseTo(0.38680875391800656, 9);
    expect(aov?.map((v) => [v.sums, v.value])).toEqual([
      [{ sum_x: 60, sum_y: 3, sum_x_sq: 2600, sum_y_sq: 5, sum_xy: 110 }, 20],
      [{ sum_x: 55, sum_y: 1, sum_x_sq: 3025, sum_y_sq: 1, sum_xy: 55 }, 55],
    ]);
    // Delta-method variance of a: 33.33 (numpy); b has one order, no variance: z = 35/√33.33.
    expect(aov?.[1]?.comparison?.p_value).toBeCloseTo(1.3429061791428149e-9, 15);
    expect(capped?.map((v) => v.sums)).toEqual([
      { sum: 50, sum_sq: 1700 },
      { sum: 40, sum_sq: 1600 },
    ]);
    // Within 10 minutes (inclusive): v3 (10 min) in a, v4 (5 min) in b.
    expect(short?.map((v) => v.sums)).toEqual([{ conversions: 1 }, { conversions: 1 }]);
  });

  it('correct the p-values by Holm within each role: the primary alone, the secondaries together', async () => {
    const r = await results('exp-a');
    const primary = r.metrics[0]?.variants[1]?.comparison;
    expect(primary?.p_value_holm).toBe(primary?.p_value);
    const secondaries = r.metrics.filter((m) => m.role === 'secondary');
    const ps = secondaries.map((m) => m.variants[1]?.comparison?.p_value ?? Number.NaN);
    const holm = secondaries.map((m) => m.variants[1]?.comparison?.p_value_holm ?? Number.NaN);
    const m = ps.length;
    const order = ps.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
    let running = 0;
    const want = new Array<number>(m);
    order.forEach(({ p, i }, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * p));
      want[i] = running;
    });
    for (const [i, h] of holm.entries()) expect(h).toBeCloseTo(want[i] ?? Number.NaN, 12);
    // Average order value (the third secondary) has the smallest p of five.
    expect(holm[2]).toBeCloseTo(5 * 1.3429061791428149e-9, 14);
    expect(secondaries[2]?.variants[1]?.comparison?.significantly_better).toBe(true);
  });

  it('take the experiment dates: only exposures within them enter', async () => {
    const { key: _k, ...fields } = definition;
    await api(s, 'PUT', `${base()}/exp-a`, site.api_key, { ...fields, start_at: '2026-03-10T10:30:00Z' });
    const r = await results('exp-a');
    expect(r.variants.map((v) => v.units)).toEqual([1, 0]);
    expect(r.health.multiple_exposures).toBe(0);
    expect(r.health.undefined_variants).toEqual([]);
    // Every variant is answered, the empty one with no value and no comparison.
    expect(r.metrics[0]?.variants.map((v) => [v.variant, v.units, v.value, v.comparison])).toEqual([
      ['a', 1, 1, null],
      ['b', 0, null, null],
    ]);
    await api(s, 'PUT', `${base()}/exp-a`, site.api_key, fields);
  });

  it('explain the queries behind the answer', async () => {
    const r = await results('exp-a', 'from=2026-03-10&to=2026-03-10&explain=1');
    // One scan answers every metric and the exposure counts.
    expect(r.explain?.map((q) => q.name)).toEqual(['getExperimentSums']);
    expect(r.explain?.[0]?.sql).toContain('{key:String}');
  });
});
