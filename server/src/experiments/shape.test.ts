import type { ExperimentDefinition } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { type MetricSums, shapeExperiment } from './shape.ts';

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

const conversions: MetricSums = {
  sums: 'proportion',
  rows: [
    { variant: 'a', n: 1000, conversions: 100 },
    { variant: 'b', n: 1000, conversions: 130 },
    { variant: 'c', n: 1000, conversions: 95 },
  ],
};
const empty = (sums: MetricSums['sums']) => ({ sums, rows: [] }) as MetricSums;

describe('shapeExperiment', () => {
  it('compares each treatment with the control; Holm runs over treatments × metrics', () => {
    const r = shapeExperiment(definition, [], [conversions, empty('mean'), empty('ratio')]);
    const [a, b, c] = r.metrics[0]?.variants ?? [];
    expect(a?.comparison).toBeNull();
    expect(a?.value).toBe(0.1);
    // scipy.stats.chi2_contingency([[100, 900], [130, 870]], correction=False).pvalue
    expect(b?.comparison?.p_value).toBeCloseTo(0.03548845046647463, 10);
    // … and [[100, 900], [95, 905]]
    expect(c?.comparison?.p_value).toBeCloseTo(0.7062460149623009, 10);
    // Two p-values in the family (the empty metrics have none): 2·p for the smaller, then the running max.
    expect(b?.comparison?.p_value_holm).toBeCloseTo(2 * 0.03548845046647463, 10);
    expect(c?.comparison?.p_value_holm).toBeCloseTo(0.7062460149623009, 10);
    expect(b?.comparison?.absolute.estimate).toBeCloseTo(0.03, 12);
    expect(b?.comparison?.relative?.estimate).toBeCloseTo(0.3, 12);
    expect(b?.comparison?.chance_to_beat_control).toBeGreaterThan(0.95);
    expect(c?.comparison?.chance_to_beat_control).toBeLessThan(0.5);
    expect(b?.interval?.low).toBeLessThan(0.13);
    expect(b?.interval?.high).toBeGreaterThan(0.13);
  });

  it('answers every defined variant, in the definition’s order, with nothing where there are no units', () => {
    const r = shapeExperiment(definition, [], [empty('proportion'), empty('mean'), empty('ratio')]);
    expect(r.variants).toEqual([
      { key: 'a', weight: 1, units: 0 },
      { key: 'b', weight: 1, units: 0 },
      { key: 'c', weight: 1, units: 0 },
    ]);
    for (const m of r.metrics) {
      expect(m.variants.map((v) => [v.variant, v.units, v.value, v.interval, v.comparison])).toEqual([
        ['a', 0, null, null, null],
        ['b', 0, null, null, null],
        ['c', 0, null, null, null],
      ]);
    }
    expect(r.metrics.map((m) => m.role)).toEqual(['primary', 'secondary', 'secondary']);
  });

  it('leaves a ratio without orders in the control uncompared, and a mean of one unit unread', () => {
    const ratio: MetricSums = {
      sums: 'ratio',
      rows: [
        { variant: 'a', n: 10, sum_x: 0, sum_y: 0, sum_x_sq: 0, sum_y_sq: 0, sum_xy: 0 },
        { variant: 'b', n: 10, sum_x: 50, sum_y: 2, sum_x_sq: 1300, sum_y_sq: 2, sum_xy: 50 },
      ],
    };
    const mean: MetricSums = { sums: 'mean', rows: [{ variant: 'a', n: 1, sum: 5, sum_sq: 25 }] };
    const r = shapeExperiment(definition, [], [conversions, mean, ratio]);
    expect(r.metrics[1]?.variants[0]?.value).toBeNull();
    expect(r.metrics[2]?.variants.map((v) => [v.value, v.comparison])).toEqual([
      [null, null],
      [25, null],
      [null, null],
    ]);
  });

  it('reports the health: SRM against the weights, multiple exposures, undefined variants', () => {
    const two = { ...definition, variants: definition.variants.slice(0, 2) };
    const exposures = [
      { multiple: 0, variant: '', units: 3 },
      { multiple: 0, variant: 'a', units: 1000 },
      { multiple: 0, variant: 'b', units: 800 },
      { multiple: 0, variant: 'z', units: 2 },
      { multiple: 1, variant: '', units: 7 },
    ];
    const r = shapeExperiment(two, exposures, [empty('proportion'), empty('mean'), empty('ratio')]);
    expect(r.variants.map((v) => v.units)).toEqual([1000, 800]);
    expect(r.health.multiple_exposures).toBe(7);
    expect(r.health.undefined_variants).toEqual([
      { variant: '', units: 3 },
      { variant: 'z', units: 2 },
    ]);
    // scipy.stats.chisquare([1000, 800]).pvalue
    expect(r.health.srm.checked).toBe(true);
    expect(r.health.srm.p_value).toBeCloseTo(2.4284674729758432e-6, 15);
    expect(r.health.srm.mismatch).toBe(true);
    const weighted = {
      ...two,
      variants: [two.variants[0], { key: 'b', weight: 0.8 }],
    } as ExperimentDefinition;
    expect(
      shapeExperiment(weighted, exposures, [empty('proportion'), empty('mean'), empty('ratio')]).health.srm
        .mismatch,
    ).toBe(false);
  });
});
