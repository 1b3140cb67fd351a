import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holmAdjust } from './multiple.ts';
import { expectRel } from './testing.ts';

describe('holmAdjust', () => {
  it('matches the worked example of the Holm–Bonferroni method', () => {
    // Wikipedia "Holm–Bonferroni method", Example: p = 0.01, 0.04, 0.03, 0.005 at α = 0.05 rejects
    // H1 and H4 only. Adjusted by hand: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06,
    // max(0.04·1, 0.06) = 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    for (const [i, p] of [0.03, 0.06, 0.06, 0.02].entries()) expectRel(adjusted[i] ?? Number.NaN, p, 1e-15);
    expect(adjusted.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it('matches the statsmodels algorithm on six tests', () => {
    // numpy: o = argsort(p); minimum(1, maximum.accumulate((m - arange(m)) * p[o])), unsorted —
    // the computation in statsmodels.stats.multitest.multipletests(method='holm').
    const adjusted = holmAdjust([0.2, 0.001, 0.049, 0.0125, 0.7, 0.03]);
    for (const [i, p] of [0.4, 0.006, 0.147, 0.0625, 0.7, 0.12].entries())
      expectRel(adjusted[i] ?? Number.NaN, p, 1e-12);
  });

  it('is at least the raw p-value, at most 1, and keeps the order of the raw values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (ps) => {
        const adjusted = holmAdjust(ps);
        return ps.every((p, i) => {
          const a = adjusted[i] ?? Number.NaN;
          const ordered = ps.every((q, j) => !(p < q) || a <= (adjusted[j] ?? Number.NaN));
          return a >= p && a <= 1 && ordered;
        });
      }),
    );
  });

  it('is the raw p-value for a single test', () => {
    expect(holmAdjust([0.037])).toEqual([0.037]);
    expect(holmAdjust([])).toEqual([]);
  });
});
