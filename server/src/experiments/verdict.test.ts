import type { ExperimentDefinition, ExperimentMetric } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import type { MetricSumsRow } from './queries/getExperimentSums.ts';
import { type ExposureCountRow, shapeHealth, shapeMetrics, shapePlanning } from './shape.ts';
import { experimentVerdict, type VerdictInput } from './verdict.ts';

const conversion: ExperimentMetric = { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 60 };

const rate = (variant: string, n: number, conversions: number, multiple = 0): MetricSumsRow => ({
  metric: 0,
  multiple,
  variant,
  segment: '',
  n,
  sum_y: conversions,
  sum_y_sq: conversions,
  sum_z: 0,
  sum_z_sq: 0,
  sum_yz: 0,
  cap_at: 0,
  reached: [],
  currencies: {},
  first_ms: 0,
  last_ms: 86_400_000,
});

interface Setup {
  /** [units, conversions] of a (control) and b. */
  a: [number, number];
  b: [number, number];
  metric?: ExperimentMetric;
  /** Replaces the plan's units per variant (null: no plan). */
  planned?: number | null;
  /** Extra exposure rows (multiple, undefined variants). */
  extra?: ExposureCountRow[];
}

/** A verdict's input as `run.ts` builds it: the same sums read fixed and sequential (tuned at 5,000). */
function input(s: Setup): VerdictInput {
  const metric = s.metric ?? conversion;
  const definition: ExperimentDefinition = {
    key: 'e',
    name: 'e',
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
    control: 'a',
    status: 'running',
    primary_metric: metric,
  };
  const sums = { kind: 'proportion' as const, rows: [rate('a', ...s.a), rate('b', ...s.b)] };
  const primary = [{ role: 'primary' as const, metric, sums }];
  const [fixed] = shapeMetrics(definition, primary, { cuped: null, sequential: null });
  const [sequential] = shapeMetrics(definition, primary, { cuped: null, sequential: { tuning: 5000 } });
  if (!fixed || !sequential) throw new Error('no read');
  const exposures: ExposureCountRow[] = [
    { multiple: 0, variant: 'a', units: s.a[0], first_ms: 0, last_ms: 0 },
    { multiple: 0, variant: 'b', units: s.b[0], first_ms: 0, last_ms: 0 },
    ...(s.extra ?? []),
  ];
  const { variants, health } = shapeHealth(definition, exposures);
  const plan = shapePlanning(definition, fixed, exposures, 10 * 86_400_000);
  const planning = s.planned === undefined ? plan : { ...plan, needed_per_variant: s.planned };
  return { definition, variants, health, planning, fixed, sequential };
}

const pOf = (read: VerdictInput['fixed']) => read?.variants[1]?.comparison?.p_value_holm ?? 1;

describe('experimentVerdict', () => {
  it('names no winner at a low sample, however small the fixed-horizon p (the seeded cta-color case)', () => {
    // 64 visitors each, 5 vs 18 purchases: fixed-horizon p = 0.0028, always-valid p = 0.49.
    const i = input({ a: [64, 5], b: [64, 18], planned: 3542 });
    expect(pOf(i.fixed)).toBeLessThan(0.005);
    const v = experimentVerdict(i);
    expect(v).toMatchObject({ call: 'too_early', variant: 'b', test: 'sequential' });
    expect(v.p_value).toBe(pOf(i.sequential));
    expect(v.headline).not.toMatch(/beats/);
    expect(v.headline).toMatch(
      /^Too early to call conversion rate: .* by the always-valid \(sequential\) test/,
    );
    expect(v.headline).toContain('The fixed-horizon test gives p = 0.0028, which is not read before');
    expect(v.warnings.map((w) => w.code)).toEqual(['low_sample']);
    expect(v.text).toContain('Low sample: fewer than 100 visitors in a 64, b 64');
    expect(v.text).toContain('64 of the 3,542 visitors planned per variant so far (1.8 %');
  });

  it('names no winner at a low sample even when the sequential test is significant', () => {
    const i = input({ a: [90, 2], b: [90, 40], planned: 3542 });
    expect(pOf(i.sequential)).toBeLessThan(0.05);
    expect(experimentVerdict(i)).toMatchObject({ call: 'too_early', test: 'sequential' });
  });

  it('before the planned sample, a fixed-horizon p < 0.05 alone is no winner', () => {
    // 100 vs 130 of 1,000: fixed p = 0.035, always-valid p = 0.38.
    const i = input({ a: [1000, 100], b: [1000, 130] });
    expect(pOf(i.fixed)).toBeLessThan(0.05);
    const v = experimentVerdict(i);
    expect(v).toMatchObject({ call: 'too_early', variant: 'b', test: 'sequential' });
    expect(v.headline).toMatch(
      /^No winner yet on conversion rate: b vs a \+30\.0 %, p = 0\.38 by the always-valid/,
    );
    expect(v.headline).toContain('fixed-horizon test gives p = 0.035');
  });

  it('names the winner when the always-valid test does, and says it rests on it', () => {
    // 100 vs 170 of 1,000: always-valid p = 0.00064.
    const i = input({ a: [1000, 100], b: [1000, 170] });
    const v = experimentVerdict(i);
    expect(v).toMatchObject({ call: 'better', variant: 'b', test: 'sequential', direction: 'increase' });
    expect(v.p_value).toBe(pOf(i.sequential));
    expect(v.headline).toBe(
      'b beats a on conversion rate: +70.0 %, p = 0.00064 by the always-valid (sequential) test.',
    );
    expect(v.warnings).toEqual([]);
  });

  it('follows the metric’s direction: with lower is better, a decrease wins and an increase loses', () => {
    const errors: ExperimentMetric = { ...conversion, direction: 'decrease' };
    const down = experimentVerdict(input({ a: [1000, 170], b: [1000, 100], metric: errors }));
    expect(down).toMatchObject({ call: 'better', variant: 'b', direction: 'decrease' });
    expect(down.headline).toMatch(/^b beats a on conversion rate \(lower is better\): −41\.2 %/);
    const up = experimentVerdict(input({ a: [1000, 100], b: [1000, 170], metric: errors }));
    expect(up).toMatchObject({ call: 'worse', variant: 'b' });
    expect(up.headline).toMatch(/^b does worse than a on conversion rate \(lower is better\): \+70\.0 %/);
  });

  it('calls nothing under a sample ratio mismatch, even with a significant difference, and says why', () => {
    // 1,000 vs 700 under 50/50: scipy chisquare([1000, 700]).pvalue = 3.0e-13.
    const i = input({ a: [1000, 100], b: [700, 170] });
    expect(pOf(i.sequential)).toBeLessThan(0.05);
    const v = experimentVerdict(i);
    expect(v).toMatchObject({ call: 'untrustworthy', variant: null, test: null, p_value: null });
    expect(v.headline).toMatch(/^No verdict on conversion rate: .*sample ratio mismatch/);
    expect(v.warnings.map((w) => w.code)).toEqual(['srm']);
    expect(v.warnings[0]?.text).toContain(
      'the exposures (a 1,000, b 700) do not fit the planned split (p < 0.0001)',
    );
    expect(v.text).toContain(v.warnings[0]?.text);
  });

  it('states the progress, and rests on the fixed-horizon test from the planned sample on', () => {
    const before = experimentVerdict(input({ a: [1000, 100], b: [1000, 130], planned: 4000 }));
    expect(before.progress).toEqual({ units: 1000, planned: 4000, share: 0.25 });
    expect(before.text).toContain('1,000 of the 4,000 visitors planned per variant so far (25.0 %');
    // The same numbers at a plan of 1,000: the fixed-horizon p = 0.035 is now the test.
    const at = experimentVerdict(input({ a: [1000, 100], b: [1000, 130], planned: 1000 }));
    expect(at).toMatchObject({ call: 'better', test: 'fixed_horizon', progress: { share: 1 } });
    expect(at.headline).toBe('b beats a on conversion rate: +30.0 %, p = 0.035 by the fixed-horizon test.');
    expect(at.text).toContain('The planned sample is reached: 1,000 of the 1,000 visitors');
    const flat = experimentVerdict(input({ a: [3000, 300], b: [3000, 330], planned: 2000 }));
    expect(flat).toMatchObject({ call: 'no_difference', test: 'fixed_horizon' });
    expect(flat.progress.share).toBe(1.5);
    // No baseline to plan from: the always-valid test, and the progress says there is no plan.
    const unplanned = experimentVerdict(input({ a: [1000, 100], b: [1000, 170], planned: null }));
    expect(unplanned).toMatchObject({ call: 'better', test: 'sequential', progress: { share: null } });
    expect(unplanned.text).toContain('No planned sample yet');
  });

  it('states every health warning in words, in the order of health.warnings', () => {
    const x = { first_ms: 0, last_ms: 0 };
    const i = input({
      a: [120, 10],
      b: [80, 9],
      extra: [
        { multiple: 1, variant: '', units: 7, ...x },
        { multiple: 0, variant: 'z', units: 3, ...x },
      ],
    });
    const v = experimentVerdict(i);
    expect(v.warnings.map((w) => w.code)).toEqual(i.health.warnings);
    expect(v.warnings.map((w) => w.code)).toEqual(['multiple_exposures', 'undefined_variants', 'low_sample']);
    expect(v.warnings.map((w) => w.text)).toEqual([
      '7 visitors (3.3 % of those exposed) saw more than one variant; they are left out of every number.',
      'Visitors were exposed to variants the experiment does not define: "z" (3 visitors). They are left out.',
      'Low sample: fewer than 100 visitors in b 80; the intervals are rough and no winner is named yet.',
    ]);
    for (const w of v.warnings) expect(v.text).toContain(w.text);
  });

  it('names the money read on one of several currencies, amounts without a currency as such', () => {
    const base = input({ a: [1000, 100], b: [1000, 110] });
    const mixed = [
      { role: 'primary' as const, index: 0, currencies: ['EUR', 'USD'], used: 'USD' },
      { role: 'primary' as const, index: 0, currencies: ['', 'EUR'], used: '' },
    ];
    const health = { ...base.health, mixed_currencies: mixed, warnings: ['mixed_currencies' as const] };
    const v = experimentVerdict({ ...base, health });
    expect(v.warnings).toEqual([
      {
        code: 'mixed_currencies',
        text: "Amounts in more than one currency and no currency rates for the site: conversion rate (primary) reads only its USD amounts (of EUR, USD); conversion rate (primary) reads only its amounts without a currency (of none, EUR). Set the site's currency rates to convert every amount.",
      },
    ]);
  });

  it('has nothing to call while a variant has no units', () => {
    const v = experimentVerdict(input({ a: [150, 10], b: [0, 0] }));
    expect(v).toMatchObject({ call: 'untrustworthy' }); // [150, 0] is an SRM first
    const none = experimentVerdict(input({ a: [0, 0], b: [0, 0] }));
    expect(none).toMatchObject({ call: 'no_data', variant: null, test: null });
  });
});
