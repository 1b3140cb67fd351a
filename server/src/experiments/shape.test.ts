import type { ExperimentDefinition, ExperimentMetric } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { bayesProportions } from '../stats/bayes.ts';
import { cupedAdjust } from '../stats/cuped.ts';
import { proportionSampleSize } from '../stats/planning.ts';
import { compareSequential } from '../stats/sequential.ts';
import type { MetricSumsRow } from './queries/getExperimentSums.ts';
import {
  type MetricSums,
  type Role,
  type ShapeOptions,
  shapeBreakdown,
  shapeHealth,
  shapeMetrics,
  shapeOverTime,
  shapePlanning,
  shapeSplit,
} from './shape.ts';

const definition: ExperimentDefinition = {
  key: 'e',
  name: 'e',
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
    { key: 'c', weight: 1 },
  ],
  control: 'a',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 60 },
  secondary_metrics: [{ kind: 'revenue_per_visitor' }, { kind: 'average_order_value' }],
};

const plain: ShapeOptions = { cuped: null, sequential: null };

/** A row of `getMetricSums` with the unread sums zero. */
const row = (variant: string, n: number, over: Partial<MetricSumsRow> = {}): MetricSumsRow => ({
  metric: 0,
  multiple: 0,
  variant,
  segment: '',
  n,
  sum_y: 0,
  sum_y_sq: 0,
  sum_z: 0,
  sum_z_sq: 0,
  sum_yz: 0,
  cap_at: 0,
  reached: [],
  currencies: {},
  first_ms: 0,
  last_ms: 0,
  ...over,
});
const rate = (variant: string, n: number, conversions: number, segment = '') =>
  row(variant, n, { sum_y: conversions, sum_y_sq: conversions, segment });

const conversions: MetricSums = {
  kind: 'proportion',
  rows: [rate('a', 1000, 100), rate('b', 1000, 130), rate('c', 1000, 95)],
};
const empty = (kind: 'proportion' | 'mean' | 'ratio'): MetricSums => ({ kind, rows: [] });

const metricsOf = (d: ExperimentDefinition, sums: MetricSums[]) => {
  const all: { role: Role; metric: ExperimentMetric }[] = [
    { role: 'primary', metric: d.primary_metric },
    ...(d.secondary_metrics ?? []).map((metric) => ({ role: 'secondary' as const, metric })),
    ...(d.guardrail_metrics ?? []).map((metric) => ({ role: 'guardrail' as const, metric })),
  ];
  return all.map((m, i) => ({ ...m, sums: sums[i] as MetricSums }));
};

describe('shapeMetrics', () => {
  it('compares each treatment with the control; Holm runs over the treatments of the primary metric', () => {
    const [m] = shapeMetrics(
      definition,
      metricsOf(definition, [conversions, empty('mean'), empty('ratio')]),
      plain,
    );
    const [a, b, c] = m?.variants ?? [];
    expect(a?.comparison).toBeNull();
    expect(a?.value).toBe(0.1);
    // scipy.stats.chi2_contingency([[100, 900], [130, 870]], correction=False).pvalue
    expect(b?.comparison?.p_value).toBeCloseTo(0.03548845046647463, 10);
    // … and [[100, 900], [95, 905]]
    expect(c?.comparison?.p_value).toBeCloseTo(0.7062460149623009, 10);
    // Two p-values in the family: 2·p for the smaller, then the running max.
    expect(b?.comparison?.p_value_holm).toBeCloseTo(2 * 0.03548845046647463, 10);
    expect(c?.comparison?.p_value_holm).toBeCloseTo(0.7062460149623009, 10);
    expect(b?.comparison?.significantly_better).toBe(false);
    expect(b?.comparison?.absolute.estimate).toBeCloseTo(0.03, 12);
    expect(b?.comparison?.relative?.estimate).toBeCloseTo(0.3, 12);
    // Chance and loss are the Beta(1, 1) posteriors' (checked against references in stats/).
    const bayes = bayesProportions({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 });
    expect(b?.comparison?.chance_to_beat_control).toBe(bayes.chanceToBeatControl);
    expect(b?.comparison?.expected_loss).toBe(bayes.expectedLoss);
    expect(c?.comparison?.chance_to_beat_control).toBeLessThan(0.5);
    expect(b?.interval?.low).toBeLessThan(0.13);
    expect(b?.interval?.high).toBeGreaterThan(0.13);
  });

  it('answers every defined variant, in the definition’s order, with nothing where there are no units', () => {
    const r = shapeMetrics(
      definition,
      metricsOf(definition, [empty('proportion'), empty('mean'), empty('ratio')]),
      plain,
    );
    for (const m of r) {
      expect(m.variants.map((v) => [v.variant, v.units, v.value, v.interval, v.comparison])).toEqual([
        ['a', 0, null, null, null],
        ['b', 0, null, null, null],
        ['c', 0, null, null, null],
      ]);
    }
    expect(r.map((m) => m.role)).toEqual(['primary', 'secondary', 'secondary']);
  });

  it('leaves a ratio without orders in the control uncompared, and a mean of one unit unread', () => {
    const ratio: MetricSums = {
      kind: 'ratio',
      rows: [row('a', 10), row('b', 10, { sum_y: 50, sum_z: 2, sum_y_sq: 1300, sum_z_sq: 2, sum_yz: 50 })],
    };
    const mean: MetricSums = { kind: 'mean', rows: [row('a', 1, { sum_y: 5, sum_y_sq: 25 })] };
    const r = shapeMetrics(definition, metricsOf(definition, [conversions, mean, ratio]), plain);
    expect(r[1]?.variants[0]?.value).toBeNull();
    expect(r[2]?.variants.map((v) => [v.value, v.comparison])).toEqual([
      [null, null],
      [25, null],
      [null, null],
    ]);
    expect(r[2]?.variants[1]?.sums).toEqual({ sum_x: 50, sum_y: 2, sum_x_sq: 1300, sum_y_sq: 2, sum_xy: 50 });
  });

  it('flags a guardrail that is significantly worse, in the metric’s own direction', () => {
    const d: ExperimentDefinition = {
      ...definition,
      variants: definition.variants.slice(0, 2),
      secondary_metrics: [],
      guardrail_metrics: [
        {
          kind: 'conversion',
          event: { type: 'custom', name: 'refund' },
          window_seconds: 60,
          direction: 'decrease',
        },
        { kind: 'conversion', event: { type: 'custom', name: 'signup' }, window_seconds: 60 },
      ],
    };
    // Refunds up from 10 % to 13 % (worse); sign-ups up the same (better, not flagged).
    const up: MetricSums = { kind: 'proportion', rows: [rate('a', 2000, 200), rate('b', 2000, 260)] };
    const r = shapeMetrics(d, metricsOf(d, [up, up, up]), plain);
    const [refunds, signups] = r.filter((m) => m.role === 'guardrail');
    expect(refunds?.flagged).toBe(true);
    expect(refunds?.variants[1]?.comparison?.significantly_worse).toBe(true);
    expect(signups?.flagged).toBe(false);
    expect(signups?.variants[1]?.comparison?.significantly_better).toBe(true);
    // Direction flips the chance to beat: the same numbers, read the other way.
    const refundChance = refunds?.variants[1]?.comparison?.chance_to_beat_control ?? 0;
    const signupChance = signups?.variants[1]?.comparison?.chance_to_beat_control ?? 0;
    expect(refundChance + signupChance).toBeCloseTo(1, 12);
    // Holm over the two guardrails: both have the same p, so both become 2p capped by the max.
    expect(refunds?.variants[1]?.comparison?.p_value_holm).toBeCloseTo(
      2 * (refunds?.variants[1]?.comparison?.p_value ?? 0),
      12,
    );
  });

  it('applies CUPED to means with the pooled θ, and reports the variance removed', () => {
    const d: ExperimentDefinition = {
      ...definition,
      variants: definition.variants.slice(0, 2),
      primary_metric: { kind: 'revenue_per_visitor' },
      secondary_metrics: [],
    };
    const sums = [
      { n: 50, sumY: 600, sumYSq: 12_000, sumX: 500, sumXSq: 9_000, sumXY: 9_800 },
      { n: 60, sumY: 780, sumYSq: 16_000, sumX: 610, sumXSq: 10_500, sumXY: 12_000 },
    ];
    const mean: MetricSums = {
      kind: 'mean',
      rows: sums.map((s, i) =>
        row(i === 0 ? 'a' : 'b', s.n, {
          sum_y: s.sumY,
          sum_y_sq: s.sumYSq,
          sum_z: s.sumX,
          sum_z_sq: s.sumXSq,
          sum_yz: s.sumXY,
        }),
      ),
    };
    const [m] = shapeMetrics(d, metricsOf(d, [mean]), { cuped: { days: 14 }, sequential: null });
    const fit = cupedAdjust(sums);
    expect(m?.cuped?.applied).toBe(true);
    expect(m?.cuped?.theta).toBe(fit?.theta);
    expect(m?.cuped?.variance_reduction).toBe(fit?.estimates[0]?.varianceReduction);
    expect(m?.cuped?.variance_reduction).toBeGreaterThan(0.3);
    expect(m?.variants[1]?.value).toBe(fit?.estimates[1]?.value);
    const plainRead = shapeMetrics(d, metricsOf(d, [mean]), plain)[0];
    const width = (x: typeof m) => {
      const i = x?.variants[1]?.comparison?.absolute.interval;
      return (i?.high ?? 0) - (i?.low ?? 0);
    };
    expect(width(m)).toBeLessThan(width(plainRead));
    // A ratio cannot be adjusted: said so, and read plainly.
    const aov = { ...d, primary_metric: { kind: 'average_order_value' } } as ExperimentDefinition;
    const [r] = shapeMetrics(aov, metricsOf(aov, [{ kind: 'ratio', rows: mean.rows }]), {
      cuped: { days: 14 },
      sequential: null,
    });
    expect(r?.cuped).toMatchObject({ applied: false, reason: 'not_for_ratio_metrics' });
  });

  it('swaps the interval and p-value for the confidence sequence when sequential', () => {
    const d = { ...definition, variants: definition.variants.slice(0, 2), secondary_metrics: [] };
    const two: MetricSums = { kind: 'proportion', rows: [rate('a', 1000, 100), rate('b', 1000, 130)] };
    const [fixed] = shapeMetrics(d, metricsOf(d, [two]), plain);
    const [seq] = shapeMetrics(d, metricsOf(d, [two]), { cuped: null, sequential: { tuning: 5000 } });
    const direct = compareSequential(
      { n: 1000, value: 0.1, variance: (0.1 * 0.9) / 1000 },
      { n: 1000, value: 0.13, variance: (0.13 * 0.87) / 1000 },
      { plannedN: 5000 },
    );
    const s = seq?.variants[1]?.comparison;
    expect(s?.p_value).toBeCloseTo(direct.pValue, 12);
    expect(s?.absolute.interval.low).toBeCloseTo(direct.absolute.interval.low, 12);
    expect(seq?.sequential).toBe(true);
    // Always-valid is wider and its p larger than the fixed-horizon one at the same data.
    const f = fixed?.variants[1]?.comparison;
    expect(s?.p_value).toBeGreaterThan(f?.p_value ?? 1);
    expect((s?.absolute.interval.high ?? 0) - (s?.absolute.interval.low ?? 0)).toBeGreaterThan(
      (f?.absolute.interval.high ?? 0) - (f?.absolute.interval.low ?? 0),
    );
  });

  it('reads a funnel metric step by step; the metric’s own numbers are its last step', () => {
    const d: ExperimentDefinition = {
      ...definition,
      variants: definition.variants.slice(0, 2),
      secondary_metrics: [],
      primary_metric: {
        kind: 'funnel',
        window_seconds: 3600,
        steps: [{ label: 'cart', match: [{ type: 'add_to_cart' }] }, { match: [{ type: 'purchase' }] }],
      },
    };
    const funnel: MetricSums = {
      kind: 'funnel',
      rows: [row('a', 1000, { reached: [400, 100] }), row('b', 1000, { reached: [420, 150] })],
    };
    const [m] = shapeMetrics(d, metricsOf(d, [funnel]), plain);
    expect(m?.steps?.map((s) => [s.step, s.label, s.variants.map((v) => v.value)])).toEqual([
      [1, 'cart', [0.4, 0.42]],
      [2, undefined, [0.1, 0.15]],
    ]);
    expect(m?.variants.map((v) => v.value)).toEqual([0.1, 0.15]);
    // The metric's Holm family is its role's (one comparison); its steps are a family of their own.
    expect(m?.variants[1]?.comparison?.p_value_holm).toBe(m?.variants[1]?.comparison?.p_value);
    const stepP = m?.steps?.map((s) => s.variants[1]?.comparison?.p_value ?? 0) ?? [];
    // Holm over two: the smaller p doubled, the larger kept (never below the smaller's).
    const [lo, hi] = [Math.min(...stepP), Math.max(...stepP)];
    const holm = m?.steps?.map((s) => s.variants[1]?.comparison?.p_value_holm);
    expect(holm?.[0]).toBeCloseTo(stepP[0] === hi ? Math.max(hi, 2 * lo) : 2 * lo, 12);
    expect(holm?.[1]).toBeCloseTo(stepP[1] === lo ? 2 * lo : Math.max(hi, 2 * lo), 12);
  });
});

describe('shapeSplit', () => {
  it('gives each variant its share of the counted units and of the weights', () => {
    expect(
      shapeSplit([
        { key: 'a', weight: 1, units: 300 },
        { key: 'b', weight: 3, units: 100 },
        { key: 'c', weight: 4, units: 0 },
      ]),
    ).toEqual({
      units: 400,
      variants: [
        { key: 'a', share: 0.75, planned_share: 0.125 },
        { key: 'b', share: 0.25, planned_share: 0.375 },
        { key: 'c', share: 0, planned_share: 0.5 },
      ],
    });
    expect(shapeSplit([{ key: 'a', weight: 2, units: 0 }]).variants).toEqual([
      { key: 'a', share: null, planned_share: 1 },
    ]);
  });
});

describe('shapeHealth', () => {
  it('reports SRM against the weights, multiple exposures, undefined variants and a small sample', () => {
    const two = { ...definition, variants: definition.variants.slice(0, 2) };
    const x = { first_ms: 0, last_ms: 0 };
    const exposures = [
      { multiple: 0, variant: '', units: 3, ...x },
      { multiple: 0, variant: 'a', units: 1000, ...x },
      { multiple: 0, variant: 'b', units: 800, ...x },
      { multiple: 0, variant: 'z', units: 2, ...x },
      { multiple: 1, variant: '', units: 7, ...x },
    ];
    const r = shapeHealth(two, exposures);
    expect(r.variants.map((v) => v.units)).toEqual([1000, 800]);
    expect(r.health.multiple_exposures).toBe(7);
    expect(r.health.multiple_exposure_share).toBeCloseTo(7 / 1812, 15);
    expect(r.health.undefined_variants).toEqual([
      { variant: '', units: 3 },
      { variant: 'z', units: 2 },
    ]);
    // scipy.stats.chisquare([1000, 800]).pvalue
    expect(r.health.srm.checked).toBe(true);
    expect(r.health.srm.p_value).toBeCloseTo(2.4284674729758432e-6, 15);
    expect(r.health.srm.mismatch).toBe(true);
    expect(r.health.warnings).toEqual(['srm', 'multiple_exposures', 'undefined_variants']);
    const weighted = {
      ...two,
      variants: [two.variants[0], { key: 'b', weight: 0.8 }],
    } as ExperimentDefinition;
    expect(shapeHealth(weighted, exposures).health.srm.mismatch).toBe(false);
    const small = shapeHealth(two, [{ multiple: 0, variant: 'a', units: 99, ...x }]);
    expect(small.health.low_sample).toBe(true);
    expect(small.health.warnings).toEqual(['low_sample']);
  });

  it('flags a variant no unit reached: [0, 500, 500] at equal weights is an SRM', () => {
    const x = { first_ms: 0, last_ms: 0 };
    const r = shapeHealth(definition, [
      { multiple: 0, variant: 'b', units: 500, ...x },
      { multiple: 0, variant: 'c', units: 500, ...x },
    ]);
    expect(r.variants.map((v) => v.units)).toEqual([0, 500, 500]);
    // scipy chisquare([0, 500, 500]).pvalue = 2.6691902155411894e-109 (= exp(−250), df 2)
    expect(r.health.srm).toMatchObject({ checked: true, mismatch: true });
    expect(r.health.srm.p_value).toBeCloseTo(2.6691902155411894e-109, 120);
    expect(r.health.warnings).toEqual(['srm', 'low_sample']);
  });
});

describe('planning, over time and breakdown', () => {
  const d = { ...definition, variants: definition.variants.slice(0, 2), secondary_metrics: [] };
  const DAY = 86_400_000;

  it('plans from the control’s observed rate and the pace of exposures', () => {
    const two: MetricSums = { kind: 'proportion', rows: [rate('a', 1000, 100), rate('b', 1000, 104)] };
    const [m] = shapeMetrics(d, metricsOf(d, [two]), plain);
    const exposures = [
      { multiple: 0, variant: 'a', units: 1000, first_ms: 0, last_ms: 0 },
      { multiple: 0, variant: 'b', units: 1000, first_ms: 0, last_ms: 0 },
    ];
    if (!m) throw new Error('no metric');
    const p = shapePlanning(d, m, exposures, 10 * DAY);
    const needed = proportionSampleSize({ baseline: 0.1, mde: 0.1, relative: true });
    expect(p).toMatchObject({
      baseline: 0.1,
      needed_per_variant: needed,
      smallest_variant_units: 1000,
      daily_units: 200,
    });
    // 200 a day, half each: (needed − 1000) more per variant at 100 a day.
    expect(p.days_remaining).toBe(Math.ceil((needed - 1000) / 100));
  });

  it('cumulates by day of entry, and breaks down by the most common values first', () => {
    const days: MetricSums = {
      kind: 'proportion',
      rows: [
        rate('a', 100, 10, '2026-03-01'),
        rate('b', 100, 12, '2026-03-01'),
        rate('a', 50, 5, '2026-03-02'),
        rate('b', 60, 9, '2026-03-02'),
      ],
    };
    const series = shapeOverTime(d, d.primary_metric, days, plain);
    expect(series.map((s) => [s.day, s.variants.map((v) => [v.units, v.sums])])).toEqual([
      [
        '2026-03-01',
        [
          [100, { conversions: 10 }],
          [100, { conversions: 12 }],
        ],
      ],
      [
        '2026-03-02',
        [
          [150, { conversions: 15 }],
          [160, { conversions: 21 }],
        ],
      ],
    ]);
    const b = shapeBreakdown(d, metricsOf(d, [days]), plain, 1);
    expect(b.omitted).toBe(1);
    expect(b.segments.map((s) => [s.value, s.units, s.metrics[0]?.variants.map((v) => v.value)])).toEqual([
      ['2026-03-01', 200, [0.1, 0.12]],
    ]);
  });
});
