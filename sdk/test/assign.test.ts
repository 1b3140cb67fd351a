import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant } from '../src/assign.ts';

/**
 * Upper critical values of the chi-square distribution at p = 0.001 (a fair split fails the
 * test once in a thousand seeds), by degrees of freedom = variants − 1. Source: NIST/SEMATECH
 * e-Handbook of Statistical Methods, 1.3.6.7.4 "Critical Values of the Chi-Square Distribution",
 * column 0.001; equal to scipy.stats.chi2.ppf(0.999, df).
 */
const CHI2_CRIT_P001: Record<number, number> = { 1: 10.828, 2: 13.816, 3: 16.266 };

/** Deterministic 32-bit PRNG (mulberry32), so the simulated visitors are the same every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Visitor ids shaped like the snippet's (four random uint32 in decimal, joined). */
function snippetIds(n: number, seed: number): string[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => `${next()}${next()}${next()}${next()}`);
}

/** Pearson's chi-square statistic of observed counts against the weights' expected counts. */
function chiSquare(observed: number[], weights: number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  const total = weights.reduce((a, b) => a + b, 0);
  return observed.reduce((sum, o, i) => {
    const e = (n * (weights[i] as number)) / total;
    return sum + (o - e) ** 2 / e;
  }, 0);
}

function split(ids: string[], key: string, variants: string[], weights?: number[]): number[] {
  const counts = variants.map(() => 0);
  for (const id of ids) {
    const i = variants.indexOf(assignVariant(id, key, variants, weights));
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}

describe('assignVariant', () => {
  const cases: { name: string; ids: string[]; variants: string[]; weights?: number[] }[] = [
    { name: 'two even variants, snippet-shaped ids', ids: snippetIds(10_000, 1), variants: ['green', 'red'] },
    {
      name: '50/30/20, snippet-shaped ids',
      ids: snippetIds(10_000, 2),
      variants: ['a', 'b', 'c'],
      weights: [50, 30, 20],
    },
    {
      name: 'four even variants, sequential ids',
      ids: Array.from({ length: 10_000 }, (_, i) => `visitor-${i}`),
      variants: ['a', 'b', 'c', 'd'],
    },
    {
      name: '90/10, sequential ids',
      ids: Array.from({ length: 10_000 }, (_, i) => String(i)),
      variants: ['control', 'test'],
      weights: [90, 10],
    },
  ];
  for (const c of cases) {
    it(`splits 10,000 visitors by the weights (${c.name})`, () => {
      const weights = c.weights ?? c.variants.map(() => 1);
      const observed = split(c.ids, 'cta-color', c.variants, c.weights);
      const stat = chiSquare(observed, weights);
      const crit = CHI2_CRIT_P001[c.variants.length - 1] as number;
      expect(observed.reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(stat, `observed ${observed.join('/')}`).toBeLessThan(crit);
    });
  }

  it('gives a visitor the same variant every time', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(fc.string(), { minLength: 1, maxLength: 6 }),
        (id, key, vs) => {
          const first = assignVariant(id, key, vs);
          expect(vs).toContain(first);
          for (let i = 0; i < 3; i++) expect(assignVariant(id, key, [...vs])).toBe(first);
        },
      ),
    );
  });

  it('never picks a variant of weight zero', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 100 }), (id, w) => {
        expect(assignVariant(id, 'k', ['off', 'on', 'never'], [0, w, 0])).toBe('on');
      }),
    );
  });

  it('assigns experiments independently of each other', () => {
    // The same visitors split evenly in experiment B whatever they got in experiment A.
    const ids = snippetIds(10_000, 3);
    const inA = ids.filter((id) => assignVariant(id, 'exp-a', ['x', 'y']) === 'x');
    const observed = split(inA, 'exp-b', ['x', 'y']);
    expect(chiSquare(observed, [1, 1])).toBeLessThan(CHI2_CRIT_P001[1] as number);
  });
});
