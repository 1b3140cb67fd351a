import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, holmAdjust } from './multiple.ts';
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

describe('benjaminiHochberg', () => {
  it('matches R p.adjust(method = "BH") on ten p-values with ties', () => {
    // R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.04, 0.2, 0.0001, 0.5, 0.03, 0.9), method = "BH")
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.04, 0.2, 0.0001, 0.5, 0.03, 0.9]);
    const r = [
      0.033333333333333333, 0.057142857142857148, 0.057142857142857148, 0.025000000000000001,
      0.057142857142857148, 0.25, 0.001, 0.55555555555555558, 0.057142857142857148, 0.90000000000000002,
    ];
    for (const [i, expected] of r.entries()) expectRel(q[i] ?? Number.NaN, expected, 1e-12);
  });

  it('matches R p.adjust(method = "BH") when four p-values tie at the threshold', () => {
    // R 4.2.2: p.adjust(c(0.049, 0.049, 0.049, 0.049, 0.6, 0.001, 0.02, 0.02), method = "BH")
    const q = benjaminiHochberg([0.049, 0.049, 0.049, 0.049, 0.6, 0.001, 0.02, 0.02]);
    const r = [
      0.056000000000000001, 0.056000000000000001, 0.056000000000000001, 0.056000000000000001,
      0.59999999999999998, 0.0080000000000000002, 0.05333333333333333, 0.05333333333333333,
    ];
    for (const [i, expected] of r.entries()) expectRel(q[i] ?? Number.NaN, expected, 1e-12);
  });

  it('is at least the raw p-value, at most 1, never above Holm, and keeps the order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (ps) => {
        const q = benjaminiHochberg(ps);
        const holm = holmAdjust(ps);
        return ps.every((p, i) => {
          const a = q[i] ?? Number.NaN;
          const ordered = ps.every((other, j) => !(p < other) || a <= (q[j] ?? Number.NaN));
          return a >= p && a <= 1 && a <= (holm[i] ?? Number.NaN) && ordered;
        });
      }),
    );
  });

  it('is the raw p-value for a single test', () => {
    expect(benjaminiHochberg([0.037])).toEqual([0.037]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
