/**
 * The results API's options on a small known data set: the user unit, funnel and property
 * metrics, percentile capping, guardrails, CUPED, sequential intervals, breakdown, the series
 * over time, metric selection, and the plan endpoint. Every expected number is worked out by
 * hand in the comments from the rows below.
 */
import {
  type ErrorBody,
  type ExperimentPlan,
  type ExperimentResult,
  experimentResultSchema,
} from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let site: { id: string; api_key: string };
const t = (hhmm: string, day = '2026-03-12') => Date.parse(`${day}T${hhmm}:00Z`);

const definition = {
  key: 'exp-b',
  name: 'Checkout layout',
  variants: [
    { key: 'ctl', weight: 1 },
    { key: 'trt', weight: 1 },
  ],
  control: 'ctl',
  status: 'running',
  primary_metric: {
    kind: 'funnel',
    window_seconds: 3600,
    steps: [{ label: 'cart', match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
  },
  secondary_metrics: [
    { kind: 'property_sum', property: 'items', event: { type: 'add_to_cart' } },
    { kind: 'revenue_per_visitor', cap: { percentile: 0.5 } },
  ],
  guardrail_metrics: [
    {
      kind: 'conversion',
      event: { type: 'custom', name: 'error' },
      window_seconds: 3600,
      direction: 'decrease',
    },
  ],
};

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s);
  const at = (visitor_id: string, over: Partial<EventRow> & { ts: number }) =>
    eventRow(site.id, { visitor_id, ...over });
  const exposure = (v: string, variant: string, ts: number, device = 'desktop') =>
    at(v, { ts, type: 'exposure', name: 'exp-b', experiments: { 'exp-b': variant }, device });
  const cart = (v: string, ts: number, items: string) => at(v, { ts, type: 'add_to_cart', props: { items } });
  const buy = (v: string, ts: number, order_id: string, revenue: number, user_id = '') =>
    at(v, { ts, type: 'purchase', order_id, revenue, currency: 'EUR', user_id });
  await insertRows(s.deps.store, [
    // w1 and w2 are alice on two devices; w1 is exposed first (mobile), signs in at purchase.
    exposure('w1', 'ctl', t('10:00'), 'mobile'),
    cart('w1', t('10:05'), '2'),
    buy('w1', t('10:10'), 'o10', 40, 'alice'),
    exposure('w2', 'ctl', t('11:00')),
    buy('w2', t('11:30'), 'o11', 60, 'alice'),
    // w5: a cart, no purchase; in 14 days before its entry it bought once (a CUPED covariate).
    buy('w5', t('09:00'), 'o9', 30),
    exposure('w5', 'ctl', t('10:00')),
    cart('w5', t('10:30'), '1'),
    // w3: a cart of 3 and an error; w4: a purchase without a cart, and an error.
    exposure('w3', 'trt', t('10:00')),
    cart('w3', t('10:01'), '3'),
    at('w3', { ts: t('10:02'), type: 'custom', name: 'error' }),
    exposure('w4', 'trt', t('10:00')),
    at('w4', { ts: t('10:03'), type: 'custom', name: 'error' }),
    buy('w4', t('10:20'), 'o12', 20),
    // w6 enters the next day, and meets an error too.
    exposure('w6', 'trt', t('10:00', '2026-03-13')),
    at('w6', { ts: t('10:01', '2026-03-13'), type: 'custom', name: 'error' }),
  ]);
  const res = await api(s, 'POST', `/api/v1/sites/${site.id}/experiments`, site.api_key, definition);
  expect(res.status).toBe(201);
}, 180_000);
afterAll(() => s.destroy());

const RANGE = 'from=2026-03-12&to=2026-03-13';
async function results(query = ''): Promise<ExperimentResult> {
  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/experiments/exp-b/results?${RANGE}&${query}`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as ExperimentResult;
}
const sumsOf = (r: ExperimentResult, i: number) => r.metrics[i]?.variants.map((v) => [v.units, v.sums]);

describe('results options', () => {
  it('read a funnel metric step by step, a property sum and a percentile cap (visitor unit)', async () => {
    const r = await results();
    expect(r.unit).toBe('visitor');
    // ctl: w1 cart→purchase, w2 nothing, w5 cart; trt: w3 cart, w4 a purchase without a cart, w6 nothing.
    expect(r.metrics[0]?.steps?.map((st) => st.variants.map((v) => [v.units, v.sums]))).toEqual([
      [
        [3, { conversions: 2 }],
        [3, { conversions: 1 }],
      ],
      [
        [3, { conversions: 1 }],
        [3, { conversions: 0 }],
      ],
    ]);
    expect(r.metrics[0]?.variants.map((v) => v.value)).toEqual([1 / 3, 0]);
    // Items added: ctl 2 + 0 + 1, trt 3 + 0 + 0.
    expect(sumsOf(r, 1)).toEqual([
      [3, { sum: 3, sum_sq: 5 }],
      [3, { sum: 3, sum_sq: 9 }],
    ]);
    // Non-zero revenues 20, 40, 60: the 50th percentile (element ⌊0.5·3⌋ of the sorted) is 40.
    expect(r.metrics[2]?.capping).toEqual({ kind: 'percentile', percentile: 0.5, value: 40 });
    expect(sumsOf(r, 2)).toEqual([
      [3, { sum: 80, sum_sq: 3200 }],
      [3, { sum: 20, sum_sq: 400 }],
    ]);
  });

  it('flag a guardrail that got significantly worse, apart from the other metrics', async () => {
    const r = await results();
    const g = r.metrics.find((m) => m.role === 'guardrail');
    // Errors: ctl 0 of 3, trt 3 of 3; pooled rate ½, z = 1/√(¼·⅔) = √6;
    // scipy.stats.chi2_contingency([[0, 3], [3, 0]], correction=False).pvalue = erfc(√3).
    expect(g?.variants.map((v) => v.sums)).toEqual([{ conversions: 0 }, { conversions: 3 }]);
    expect(g?.variants[1]?.comparison?.p_value).toBeCloseTo(0.014305878435429631, 12);
    expect(g?.flagged).toBe(true);
    expect(g?.variants[1]?.comparison?.significantly_worse).toBe(true);
    expect(r.metrics.filter((m) => m.role !== 'guardrail').every((m) => !m.flagged)).toBe(true);
    // Only the asked roles are read.
    const only = await results('metrics=guardrail');
    expect(only.metrics.map((m) => m.role)).toEqual(['guardrail']);
    expect(only.verdict).toEqual(r.verdict);
  });

  it('count a user across devices with unit: user, from the first exposure of any of them', async () => {
    const put = await api(s, 'PUT', `/api/v1/sites/${site.id}/experiments/exp-b`, site.api_key, {
      ...definition,
      key: undefined,
      unit: 'user',
    });
    expect(put.status).toBe(200);
    const r = await results('breakdown=column:device');
    expect(r.unit).toBe('user');
    // alice (w1 + w2) is one unit: entered 10:00 on w1; she reached both steps within the hour.
    expect(r.variants.map((v) => v.units)).toEqual([2, 3]);
    expect(r.metrics[0]?.steps?.map((st) => st.variants[0]?.sums)).toEqual([
      { conversions: 2 },
      { conversions: 1 },
    ]);
    // Her revenue is both orders: 40 + 60, capped at the percentile of 20 and 100 (⌊0.5·2⌋ → 100).
    expect(r.metrics[2]?.capping?.value).toBe(100);
    expect(r.metrics[2]?.variants[0]?.sums).toEqual({ sum: 100, sum_sq: 10_000 });
    // Her segment is her first exposure's device: mobile; everyone else is on desktop.
    expect(r.breakdown?.segments.map((x) => [x.value, x.units])).toEqual([
      ['desktop', 4],
      ['mobile', 1],
    ]);
    expect(r.breakdown?.omitted).toBe(0);
    const mobile = r.breakdown?.segments[1]?.metrics[0]?.variants.map((v) => v.units);
    expect(mobile).toEqual([1, 0]);
    const { key: _k, ...fields } = definition;
    await api(s, 'PUT', `/api/v1/sites/${site.id}/experiments/exp-b`, site.api_key, fields);
  });

  it('adjust by the pre-period with CUPED and say how much variance went', async () => {
    const r = await results('cuped=1&cuped_days=1&metrics=secondary');
    const rpv = r.metrics[1];
    // Revenue per visitor, uncapped y then capped at 40: ctl [40, 40, 0], trt [0, 20, 0]; the
    // covariate (revenue in the day before entry, capped too) is w5's 30: ctl [0, 0, 30].
    // θ = Sxy/Sxx over ctl (trt has no spread in x): x̄ = 10, ȳ = 80/3,
    // Sxy = Σxy − 3·x̄·ȳ = 0 − 800 = −800, Sxx = 900 − 300 = 600, θ = −4/3.
    expect(rpv?.cuped?.applied).toBe(true);
    expect(rpv?.cuped?.pre_period_days).toBe(1);
    expect(rpv?.cuped?.theta).toBeCloseTo(-4 / 3, 12);
    expect(rpv?.cuped?.variance_reduction).toBeGreaterThan(0);
    // The adjusted control mean: ȳ − θ(x̄_ctl − x̄_all) = 80/3 + 4/3·(10 − 5) = 100/3.
    expect(rpv?.variants[0]?.value).toBeCloseTo(100 / 3, 12);
    // Funnels cannot be adjusted.
    const funnel = await results('cuped=1');
    expect(funnel.metrics[0]?.cuped).toMatchObject({ applied: false, reason: 'not_for_funnels' });
  });

  it('give wider, always-valid intervals with sequential=1', async () => {
    const fixed = (await results('metrics=secondary')).metrics[0]?.variants[1]?.comparison;
    const seq = await results('metrics=secondary&sequential=1&sequential_tuning=1000');
    const c = seq.metrics[0]?.variants[1]?.comparison;
    expect(seq.metrics[0]?.sequential).toBe(true);
    expect(c?.absolute.estimate).toBe(fixed?.absolute.estimate);
    expect((c?.absolute.interval.high ?? 0) - (c?.absolute.interval.low ?? 0)).toBeGreaterThan(
      (fixed?.absolute.interval.high ?? 0) - (fixed?.absolute.interval.low ?? 0),
    );
  });

  it('give one verdict whatever the view, resting on the always-valid test before the plan', async () => {
    const r = await results();
    expect(experimentResultSchema.safeParse(r).success).toBe(true);
    // The view's options change the metrics, not the verdict: it reads the primary both ways.
    expect((await results('sequential=1')).verdict).toEqual(r.verdict);
    expect((await results('cuped=1')).verdict).toEqual(r.verdict);
    expect(r.verdict).toMatchObject({ call: 'too_early', test: 'sequential', variant: 'trt' });
    expect(r.verdict.warnings.map((w) => w.code)).toEqual(r.health.warnings);
    expect(r.verdict.progress.units).toBe(r.planning.smallest_variant_units);
    expect(r.verdict.headline).toMatch(/^Too early to call funnel completion: /);
    // The sequential test it rests on is the sequential view's, at the same tuning.
    const seq = await results('sequential=1&sequential_tuning=1000');
    expect(seq.verdict.p_value).toBe(seq.metrics[0]?.variants[1]?.comparison?.p_value_holm);
  });

  it('cumulate the primary metric by day of first exposure', async () => {
    const r = await results('over_time=1');
    expect(r.over_time?.map((d) => [d.day, d.variants.map((v) => v.units)])).toEqual([
      ['2026-03-12', [3, 2]],
      ['2026-03-13', [3, 3]],
    ]);
    expect(r.over_time?.[1]?.variants.map((v) => v.value)).toEqual(
      r.metrics[0]?.variants.map((v) => v.value),
    );
  });

  it('refuses unknown roles and flags (400)', async () => {
    for (const q of ['metrics=tertiary', 'cuped=yes', 'breakdown=column:nope', 'cuped_days=0']) {
      const res = await api(
        s,
        'GET',
        `/api/v1/sites/${site.id}/experiments/exp-b/results?${q}`,
        site.api_key,
      );
      expect(res.status, q).toBe(400);
    }
  });
});

describe('the plan endpoint', () => {
  const plan = async (q: string) => {
    const res = await api(s, 'GET', `/api/v1/sites/${site.id}/experiment-plan?${q}`, site.api_key);
    return { status: res.status, body: (await res.json()) as ExperimentPlan };
  };

  it('sizes a test for a rate or a mean, and the days at a pace', async () => {
    // 3834.5957… per variant for 10 % → 12 % (see stats/planning.test.ts for its source).
    const rate = await plan('baseline_rate=0.1&mde_relative=0.2&daily_units=1000');
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({ needed_per_variant: 3835, needed_total: 7670, days: 8 });
    // sd 10, change 1 (10 % of 10): 1569.77… per variant.
    const mean = await plan('baseline_mean=10&sd=10&mde_relative=0.1&variants=3');
    expect(mean.body).toMatchObject({ needed_per_variant: 1570, needed_total: 4710, days: null });
  });

  it('refuses a plan without a baseline or with both kinds (400)', async () => {
    expect((await plan('mde_relative=0.1')).status).toBe(400);
    expect((await plan('baseline_rate=0.1&baseline_mean=3&sd=1&mde_relative=0.1')).status).toBe(400);
    expect((await plan('baseline_mean=3&mde_relative=0.1')).status).toBe(400);
  });

  it('names a missing or non-numeric mde_relative instead of "received NaN" (400 invalid_query)', async () => {
    const missing = (await plan('baseline_rate=0.4&daily_units=200')).body as unknown as ErrorBody;
    expect(missing.error).toMatchObject({
      code: 'invalid_query',
      message: 'Missing query parameter: mde_relative',
      issues: [{ path: 'mde_relative', code: 'required', message: 'mde_relative is required' }],
    });
    const word = (await plan('baseline_rate=0.4&mde_relative=abc')).body as unknown as ErrorBody;
    expect(word.error).toMatchObject({
      code: 'invalid_query',
      issues: [{ path: 'mde_relative', code: 'invalid_type', message: 'expected a number, got "abc"' }],
    });
    expect(JSON.stringify([missing, word])).not.toContain('NaN');
  });
});
