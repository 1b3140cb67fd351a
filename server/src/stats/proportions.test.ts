import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareProportions, pooledZTest, summarizeProportion } from './proportions.ts';
import { expectRel } from './testing.ts';
import { wilsonInterval } from './wilson.ts';

/**
 * Reference values from scipy 1.17.1 / numpy 2.4 (statsmodels is not installed here, so its
 * formulas are evaluated directly; the pooled z-test p-value is the uncorrected 2×2 chi-square
 * test, which is the same test):
 *   tab = [[x1, n1 - x1], [x2, n2 - x2]]
 *   p = scipy.stats.chi2_contingency(tab, correction=False)[1]   # = proportions_ztest p-value
 *   d = p2 - p1; se = sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)            # confint_proportions_2indep wald
 *   d ± norm.ppf(0.975)·se
 *   rel = p2/p1 - 1; var = (p2(1-p2)/n2)/p1² + p2²(p1(1-p1)/n1)/p1⁴ # delta method
 *   rel ± norm.ppf(0.975)·sqrt(var)
 * Columns: x1, n1 (control), x2, n2 (treatment), p, abs low, abs high, rel low, rel high.
 */
const REFERENCE: [number, number, number, number, number, number, number, number, number][] = [
  [
    100, 1000, 120, 1000, 0.15291778186394195, -0.0074114819980199455, 0.04741148199801992,
    -0.10058461614448239, 0.5005846161444822,
  ],
  [
    81, 263, 95, 270, 0.2816400785064005, -0.0358680303966791, 0.12360215235133334, -0.13512893621313893,
    0.41999404823874453,
  ],
  [
    20, 5000, 35, 5100, 0.05063070161078861, 1.2289935746824174e-7, 0.005725367296720962,
    -0.22451510806401287, 1.6558876570836205,
  ],
  [
    450, 900, 430, 880, 0.631631088777359, -0.05781610371547686, 0.03508883098820415, -0.11459412482605853,
    0.06913957937151312,
  ],
];

describe('compareProportions', () => {
  it.each(REFERENCE)('%i/%i vs %i/%i matches scipy', (x1, n1, x2, n2, p, aLow, aHigh, rLow, rHigh) => {
    const c = compareProportions({ n: n1, conversions: x1 }, { n: n2, conversions: x2 });
    expectRel(c?.pValue ?? Number.NaN, p, 1e-10);
    expectRel(c?.absolute.interval.low ?? Number.NaN, aLow, 1e-8);
    expectRel(c?.absolute.interval.high ?? Number.NaN, aHigh, 1e-10);
    expectRel(c?.relative?.interval.low ?? Number.NaN, rLow, 1e-10);
    expectRel(c?.relative?.interval.high ?? Number.NaN, rHigh, 1e-10);
  });

  it('has no relative uplift over a control that never converts', () => {
    // 0/50 vs 3/60: chi2_contingency(..., correction=False) p = 0.10890129793272195,
    // wald interval (-0.005146667167800649, 0.10514666716780066).
    const c = compareProportions({ n: 50, conversions: 0 }, { n: 60, conversions: 3 });
    expect(c?.relative).toBeNull();
    expectRel(c?.pValue ?? Number.NaN, 0.10890129793272195, 1e-10);
    expectRel(c?.absolute.interval.low ?? Number.NaN, -0.005146667167800649, 1e-10);
    expectRel(c?.absolute.interval.high ?? Number.NaN, 0.10514666716780066, 1e-10);
  });

  it('answers p = 1 when nothing converted anywhere, and null without units', () => {
    expect(pooledZTest({ n: 10, conversions: 0 }, { n: 12, conversions: 0 }).pValue).toBe(1);
    expect(compareProportions({ n: 0, conversions: 0 }, { n: 5, conversions: 1 })).toBeNull();
  });
});

describe('summarizeProportion', () => {
  it('is the Wilson interval of wilson.ts (statsmodels-checked there)', () => {
    const s = summarizeProportion({ n: 263, conversions: 81 });
    expect(s?.interval).toEqual(wilsonInterval(81, 263));
    expect(s?.rate).toBe(81 / 263);
  });

  it('contains the rate and stays in [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const s = summarizeProportion({ n, conversions: Math.round(f * n) });
        if (s === null) return false;
        return (
          s.interval.low >= 0 && s.interval.high <= 1 && s.interval.low <= s.rate && s.rate <= s.interval.high
        );
      }),
    );
  });
});
