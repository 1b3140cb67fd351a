import type { ExperimentResult } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { healthWarnings, verdict } from './verdict.ts';

function result(over: { p: number; uplift: number; srm?: boolean; chance?: number }): ExperimentResult {
  const comparison = {
    absolute: { estimate: over.uplift / 10, interval: { low: -0.01, high: 0.05 } },
    relative: { estimate: over.uplift, interval: { low: over.uplift - 0.1, high: over.uplift + 0.1 } },
    p_value: over.p,
    p_value_holm: over.p,
    chance_to_beat_control: over.chance ?? (over.uplift > 0 ? 0.99 : 0.01),
    expected_loss: 0.001,
    significantly_better: over.p < 0.05 && over.uplift > 0,
    significantly_worse: over.p < 0.05 && over.uplift < 0,
  };
  return {
    site_id: 's',
    experiment_key: 'cta',
    from: '2026-03-01',
    to: '2026-03-07',
    tz: 'UTC',
    unit: 'visitor',
    control: 'red',
    variants: [
      { key: 'red', weight: 50, units: over.srm ? 700 : 500 },
      { key: 'green', weight: 50, units: over.srm ? 300 : 500 },
    ],
    health: {
      srm: { checked: true, p_value: over.srm ? 1e-9 : 0.8, mismatch: over.srm ?? false },
      multiple_exposures: 0,
      multiple_exposure_share: 0,
      undefined_variants: [],
      undefined_variants_more: 0,
      low_sample: false,
      warnings: over.srm ? ['srm'] : [],
    },
    verdict: '',
    planning: {
      baseline: 0.1,
      mde_relative: 0.1,
      alpha: 0.05,
      power: 0.8,
      needed_per_variant: 14_745,
      smallest_variant_units: 500,
      daily_units: 100,
      days_remaining: 285,
    },
    metrics: [
      {
        role: 'primary',
        metric: {
          kind: 'conversion',
          event: { type: 'purchase' },
        } as ExperimentResult['metrics'][number]['metric'],
        variants: [
          {
            variant: 'red',
            units: 500,
            sums: { conversions: 50 },
            value: 0.1,
            interval: { low: 0.08, high: 0.12 },
            comparison: null,
          },
          {
            variant: 'green',
            units: 500,
            sums: { conversions: 60 },
            value: 0.12,
            interval: { low: 0.1, high: 0.14 },
            comparison,
          },
        ],
        capping: null,
        cuped: null,
        sequential: false,
        flagged: false,
      },
    ],
  };
}

describe('the verdict in plain words', () => {
  it('names the winner only when significant', () => {
    expect(verdict(result({ p: 0.01, uplift: 0.2 }))).toMatchObject({ tone: 'win' });
    expect(verdict(result({ p: 0.01, uplift: 0.2 })).text).toMatch(
      /^green beats red on conversion rate: \+20\.0%/,
    );
    expect(verdict(result({ p: 0.01, uplift: -0.2 }))).toMatchObject({ tone: 'lose' });
    expect(verdict(result({ p: 0.2, uplift: 0.2 }))).toMatchObject({ tone: 'none' });
    expect(verdict(result({ p: 0.2, uplift: 0.2 })).text).toContain('not significant');
  });

  it('gives no verdict under a sample ratio mismatch, and says why in a banner', () => {
    const r = result({ p: 0.001, uplift: 0.3, srm: true });
    expect(verdict(r).tone).toBe('bad');
    expect(healthWarnings(r).map((w) => w.id)).toEqual(['srm']);
    expect(healthWarnings(r)[0]?.text).toContain('red 700, green 300');
    expect(healthWarnings(result({ p: 0.2, uplift: 0 }))).toEqual([]);
  });

  it('says undefined variants in one banner: the listed ones, then "and N more"', () => {
    const r = result({ p: 0.2, uplift: 0 });
    r.health.undefined_variants = [
      { variant: 'blue', units: 1200 },
      { variant: '', units: 1 },
    ];
    r.health.undefined_variants_more = 29_980;
    const warnings = healthWarnings(r);
    expect(warnings.map((w) => w.id)).toEqual(['undefined-variants']);
    expect(warnings[0]?.text).toBe(
      'Visitors were exposed to variants the experiment does not define: "blue" (1,200 visitors), "(none)" (1 visitor) and 29,980 more. They are left out.',
    );
    r.health.undefined_variants = [{ variant: 'blue', units: 3 }];
    r.health.undefined_variants_more = 0;
    expect(healthWarnings(r)[0]?.text).not.toContain('more');
  });
});
