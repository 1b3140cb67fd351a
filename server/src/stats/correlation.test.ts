import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chiSquare2x2,
  correlate2x2,
  fisherExact2x2,
  independenceTest2x2,
  oddsRatio2x2,
  rankCorrelations,
  type Table2x2,
} from './correlation.ts';
import { expectRel } from './testing.ts';

/** [[a, b], [c, d]] as scipy and statsmodels take it. */
const table = (m: number[][]): Table2x2 => ({
  a: m[0]?.[0] ?? 0,
  b: m[0]?.[1] ?? 0,
  c: m[1]?.[0] ?? 0,
  d: m[1]?.[1] ?? 0,
});

const swapRows = (t: Table2x2): Table2x2 => ({ a: t.c, b: t.d, c: t.a, d: t.b });
const transpose = (t: Table2x2): Table2x2 => ({ a: t.a, b: t.c, c: t.b, d: t.d });

const tables = fc.record({
  a: fc.integer({ min: 0, max: 400 }),
  b: fc.integer({ min: 0, max: 400 }),
  c: fc.integer({ min: 0, max: 400 }),
  d: fc.integer({ min: 0, max: 400 }),
});

describe('oddsRatio2x2', () => {
  // statsmodels 0.13.5: t = Table2x2(np.array(tbl)); t.oddsratio, t.oddsratio_confint(alpha=alpha)
  it.each([
    [
      [
        [3, 1],
        [1, 3],
      ],
      0.05,
      9.0,
      0.3666369319255454,
      220.92700692915756,
    ],
    [
      [
        [8, 2],
        [1, 5],
      ],
      0.05,
      20.0,
      1.4161851393939517,
      282.44894602634895,
    ],
    [
      [
        [1500, 8000],
        [900, 12000],
      ],
      0.05,
      2.5,
      2.2908967989012874,
      2.7281892414348325,
    ],
    [
      [
        [2, 3],
        [150, 9845],
      ],
      0.05,
      43.75555555555555,
      7.2585009021965305,
      263.76639856804786,
    ],
    [
      [
        [40, 60],
        [25, 75],
      ],
      0.1,
      2.0,
      1.204626118892277,
      3.320532352127837,
    ],
    [
      [
        [40, 60],
        [25, 75],
      ],
      0.01,
      2.0,
      0.9041348757841009,
      4.424118687525516,
    ],
  ])('%j at alpha %s matches statsmodels Table2x2', (tbl, alpha, estimate, low, high) => {
    const or = oddsRatio2x2(table(tbl), 1 - alpha);
    expectRel(or.estimate, estimate, 1e-12);
    expectRel(or.interval.low, low, 1e-9);
    expectRel(or.interval.high, high, 1e-9);
    expect(or.corrected).toBe(false);
  });

  it('has the standard error √(1/a + 1/b + 1/c + 1/d)', () => {
    // statsmodels 0.13.5: Table2x2(np.array([[1500, 8000], [900, 12000]])).log_oddsratio_se
    expectRel(
      oddsRatio2x2(
        table([
          [1500, 8000],
          [900, 12000],
        ]),
      ).standardError,
      0.04456580652373646,
      1e-12,
    );
  });

  // Haldane–Anscombe: 0.5 added to all four cells. statsmodels only replaces the zero cells by 0.5
  // (its default gives 0.23333333333333334 for the first table), so the reference is the shifted
  // table, which has no zero left: statsmodels 0.13.5: Table2x2(np.array(tbl) + 0.5).
  it.each([
    [
      [
        [0, 5],
        [3, 7],
      ],
      0.19480519480519481,
      0.008257541793807489,
      4.595685358994938,
    ],
    [
      [
        [12, 0],
        [4, 9],
      ],
      52.77777777777778,
      2.5218574043952637,
      1104.5405748579394,
    ],
    [
      [
        [3, 0],
        [20, 4000],
      ],
      1366.0243902439024,
      68.36493895631268,
      27295.023783077962,
    ],
    [
      [
        [0, 10],
        [0, 15],
      ],
      1.4761904761904763,
      0.027106682806490603,
      80.39118388450234,
    ],
  ])(
    '%j with a zero cell adds 0.5 to every cell (statsmodels on the shifted table)',
    (tbl, estimate, low, high) => {
      const or = oddsRatio2x2(table(tbl));
      expect(or.corrected).toBe(true);
      expectRel(or.estimate, estimate, 1e-12);
      expectRel(or.interval.low, low, 1e-9);
      expectRel(or.interval.high, high, 1e-9);
    },
  );

  it('inverts when the rows are swapped, and is unchanged by transposing (property)', () => {
    fc.assert(
      fc.property(tables, (t) => {
        const or = oddsRatio2x2(t);
        const swapped = oddsRatio2x2(swapRows(t));
        const transposed = oddsRatio2x2(transpose(t));
        const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.abs(y);
        return (
          close(swapped.estimate, 1 / or.estimate) &&
          close(swapped.interval.low, 1 / or.interval.high) &&
          close(swapped.interval.high, 1 / or.interval.low) &&
          close(transposed.estimate, or.estimate) &&
          or.interval.low <= or.estimate &&
          or.estimate <= or.interval.high
        );
      }),
    );
  });
});

describe('fisherExact2x2', () => {
  // scipy 1.17.1: fisher_exact(tbl, alternative='two-sided').pvalue. Each was also checked against
  // the exact rational sum over all tables with the same margins (Python fractions and math.comb),
  // agreeing to ≤ 1.1e-15 relative.
  it.each([
    // Lady tasting tea: P(3) = P(1) = 16/70, a tie, so p = (16 + 1 + 16 + 1)/70.
    [
      [
        [3, 1],
        [1, 3],
      ],
      0.48571428571428565,
    ],
    // The example in scipy's fisher_exact documentation.
    [
      [
        [8, 2],
        [1, 5],
      ],
      0.034965034965034975,
    ],
    // Zero cells; [[0, 10], [0, 15]] has an empty column, so p = 1.
    [
      [
        [0, 5],
        [3, 7],
      ],
      0.5054945054945055,
    ],
    [
      [
        [12, 0],
        [4, 9],
      ],
      0.00045766590389016015,
    ],
    [
      [
        [0, 10],
        [0, 15],
      ],
      1.0,
    ],
    [
      [
        [5, 0],
        [0, 5],
      ],
      0.007936507936507938,
    ],
    [
      [
        [10, 0],
        [0, 10],
      ],
      1.082508822446903e-5,
    ],
    // Ties: equal rows (P(x) = P(k − x)) and equal columns (P(x) = P(r₁ − x)).
    [
      [
        [7, 3],
        [3, 7],
      ],
      0.1788954079975752,
    ],
    [
      [
        [6, 4],
        [14, 16],
      ],
      0.7164265551362325,
    ],
    [
      [
        [1010, 990],
        [990, 1010],
      ],
      0.5479567285498396,
    ],
    // Very unequal tables and large counts.
    [
      [
        [2, 3],
        [150, 9845],
      ],
      0.002227319769141434,
    ],
    [
      [
        [3, 0],
        [20, 4000],
      ],
      1.6332160517013364e-7,
    ],
    [
      [
        [1, 99],
        [500, 500],
      ],
      8.883048121234857e-27,
    ],
    [
      [
        [100, 2],
        [3, 100],
      ],
      3.287270479204266e-52,
    ],
    [
      [
        [2, 30],
        [40, 3],
      ],
      3.0243537652690596e-15,
    ],
    [
      [
        [40, 60],
        [25, 75],
      ],
      0.03414380231476882,
    ],
    [
      [
        [1500, 8000],
        [900, 12000],
      ],
      2.2440130213941172e-97,
    ],
    [
      [
        [1500, 8000],
        [1350, 12000],
      ],
      5.794998475282725e-37,
    ],
    // Equal columns, P(1505) = P(995) = 9.72e-33, about a fifth of p: log-gamma sums put the two
    // 4.5e-12 apart in ln P (Python math.lgamma), beyond the 1e-14 tolerance, and would drop one.
    [
      [
        [1505, 995],
        [3495, 4005],
      ],
      4.572244891301306e-32,
    ],
    // 40,000 units, a tie between tables 20 apart (not checked by the rational sum).
    [
      [
        [10010, 9990],
        [9990, 10010],
      ],
      0.8493094295702951,
    ],
    // Beyond the smallest double: scipy returns 0.0, and so does the log-space sum.
    [
      [
        [150000, 800000],
        [90000, 1200000],
      ],
      0,
    ],
  ])('%j matches scipy fisher_exact', (tbl, p) => {
    expectRel(fisherExact2x2(table(tbl)), p, 1e-9);
  });

  it('is the sum over all tables with the same margins no more probable than the observed (property)', () => {
    const small = fc.record({
      a: fc.integer({ min: 0, max: 15 }),
      b: fc.integer({ min: 0, max: 15 }),
      c: fc.integer({ min: 0, max: 15 }),
      d: fc.integer({ min: 0, max: 15 }),
    });
    fc.assert(
      fc.property(small, (t) => {
        const p = fisherExact2x2(t);
        const expected = bruteForceFisher(t);
        return Math.abs(p - expected) <= 1e-12 * expected;
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its p-value when rows are swapped or the table transposed, and stays in [0, 1] (property)', () => {
    fc.assert(
      fc.property(tables, (t) => {
        const p = fisherExact2x2(t);
        const close = (x: number) => Math.abs(x - p) <= 1e-9 * p;
        return p >= 0 && p <= 1 && close(fisherExact2x2(swapRows(t))) && close(fisherExact2x2(transpose(t)));
      }),
    );
  });
});

/** Σ P(x) over x with C(r₁, x)·C(r₂, k − x) ≤ the observed one's, in exact integers. */
function bruteForceFisher(t: Table2x2): number {
  const choose = (n: number, k: number): bigint => {
    let r = 1n;
    for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
    return r;
  };
  const [r1, r2, k] = [t.a + t.b, t.c + t.d, t.a + t.c];
  const weight = (x: number) => choose(r1, x) * choose(r2, k - x);
  const observed = weight(t.a);
  let tail = 0n;
  for (let x = Math.max(0, k - r2); x <= Math.min(k, r1); x++) if (weight(x) <= observed) tail += weight(x);
  return Number(tail) / Number(choose(r1 + r2, k));
}

describe('chiSquare2x2', () => {
  // scipy 1.17.1: chi2_contingency(tbl, correction=False) → statistic, pvalue
  it.each([
    [
      [
        [3, 1],
        [1, 3],
      ],
      2.0,
      0.15729920705028105,
    ],
    [
      [
        [8, 2],
        [1, 5],
      ],
      6.112169312169312,
      0.013425424881491248,
    ],
    [
      [
        [0, 5],
        [3, 7],
      ],
      1.875,
      0.17090352023079358,
    ],
    [
      [
        [40, 60],
        [25, 75],
      ],
      5.128205128205129,
      0.023540058261177926,
    ],
    [
      [
        [1500, 8000],
        [900, 12000],
      ],
      444.16156670746625,
      1.3450501724460795e-98,
    ],
    [
      [
        [2, 3],
        [150, 9845],
      ],
      49.484103289833804,
      1.9998566670745503e-12,
    ],
    [
      [
        [3, 0],
        [20, 4000],
      ],
      522.1284879948084,
      1.457011383491975e-115,
    ],
  ])('%j matches scipy chi2_contingency(correction=False)', (tbl, statistic, p) => {
    const chi = chiSquare2x2(table(tbl));
    expectRel(chi?.statistic ?? Number.NaN, statistic, 1e-12);
    expectRel(chi?.pValue ?? Number.NaN, p, 1e-9);
  });

  it('is null for an empty row or column (scipy raises: an expected count is 0)', () => {
    expect(
      chiSquare2x2(
        table([
          [0, 10],
          [0, 15],
        ]),
      ),
    ).toBeNull();
    expect(
      chiSquare2x2(
        table([
          [0, 0],
          [4, 15],
        ]),
      ),
    ).toBeNull();
  });
});

describe('independenceTest2x2', () => {
  it('uses Fisher below 40 units or when an expected count is under 5, chi-square otherwise', () => {
    // Expected counts r·c/N: [[8, 2], [1, 5]] has 10·9/16 = 5.6 but 6·7/16 = 2.6 < 5.
    expect(
      independenceTest2x2(
        table([
          [8, 2],
          [1, 5],
        ]),
      ),
    ).toEqual({ test: 'fisher', pValue: expect.any(Number) });
    expectRel(
      independenceTest2x2(
        table([
          [8, 2],
          [1, 5],
        ]),
      ).pValue,
      0.034965034965034975,
      1e-9,
    );
    // All expected counts 7.5, but only 30 units.
    expect(
      independenceTest2x2(
        table([
          [10, 5],
          [5, 10],
        ]),
      ).test,
    ).toBe('fisher');
    expect(
      independenceTest2x2(
        table([
          [10, 5],
          [5, 10],
        ]),
        { minTotal: 20 },
      ).test,
    ).toBe('chi_square');
    // 5·152/10000 = 0.076 expected units did it and converted.
    expect(
      independenceTest2x2(
        table([
          [2, 3],
          [150, 9845],
        ]),
      ).test,
    ).toBe('fisher');
    expect(
      independenceTest2x2(
        table([
          [0, 10],
          [0, 15],
        ]),
      ),
    ).toEqual({ test: 'fisher', pValue: 1 });
    // Smallest expected 65·100/200 = 32.5.
    const big = independenceTest2x2(
      table([
        [40, 60],
        [25, 75],
      ]),
    );
    expect(big.test).toBe('chi_square');
    expectRel(big.pValue, 0.023540058261177926, 1e-9); // scipy chi2_contingency(correction=False)
  });
});

describe('independenceTest2x2 (properties)', () => {
  it('gives a p-value in [0, 1], the same test and p-value with rows swapped or transposed', () => {
    fc.assert(
      fc.property(tables, (t) => {
        const r = independenceTest2x2(t);
        const same = (o: { test: string; pValue: number }) =>
          o.test === r.test && Math.abs(o.pValue - r.pValue) <= 1e-9 * r.pValue;
        return (
          r.pValue >= 0 &&
          r.pValue <= 1 &&
          same(independenceTest2x2(swapRows(t))) &&
          same(independenceTest2x2(transpose(t)))
        );
      }),
    );
  });
});

describe('correlate2x2', () => {
  it('gives the counts, odds ratio, interval, test and p-value of one candidate', () => {
    const r = correlate2x2(
      table([
        [1500, 8000],
        [900, 12000],
      ]),
    );
    expect(r.table).toEqual({ a: 1500, b: 8000, c: 900, d: 12000 });
    expect(r.support).toBe(9500);
    expect(r.test).toBe('chi_square');
    expect(r.oddsRatio.corrected).toBe(false);
    expectRel(r.oddsRatio.estimate, 2.5, 1e-12);
    expectRel(r.oddsRatio.interval.low, 2.2908967989012874, 1e-9); // statsmodels, as above
    expectRel(r.pValue, 1.3450501724460795e-98, 1e-9); // scipy chi2_contingency(correction=False)
  });
});

describe('rankCorrelations', () => {
  it('tests the candidates with enough support, adjusts by BH over them and splits by direction', () => {
    const ranking = rankCorrelations(
      [
        {
          key: 'pricing',
          table: table([
            [300, 200],
            [700, 3800],
          ]),
        },
        {
          key: 'blog',
          table: table([
            [40, 460],
            [960, 3540],
          ]),
        },
        {
          key: 'newsletter',
          table: table([
            [5, 3],
            [995, 3997],
          ]),
        },
        {
          key: 'faq',
          table: table([
            [100, 400],
            [900, 3600],
          ]),
        },
        {
          key: 'chat',
          table: table([
            [120, 280],
            [880, 3720],
          ]),
        },
        {
          key: 'footer',
          table: table([
            [12, 60],
            [988, 3940],
          ]),
        },
      ],
      { minSupport: 30 },
    );
    expect(ranking.untested).toEqual(['newsletter']);
    expect(ranking.success.map((r) => r.key)).toEqual(['pricing', 'chat']);
    expect(ranking.dropOff.map((r) => r.key)).toEqual(['blog', 'footer']);
    // faq has an odds ratio of exactly 1 and is in neither list, but in the BH family of five.
    const all = [...ranking.success, ...ranking.dropOff];
    for (const r of all) expect(r.qValue).toBeGreaterThanOrEqual(r.pValue);
    const footer = ranking.dropOff[1];
    expectRel(footer?.qValue ?? Number.NaN, Math.min(1, (5 * (footer?.pValue ?? 0)) / 4), 1e-12);
  });

  it('orders equal p-values by the size of the effect, largest first', () => {
    // Nobody converted: an empty column, Fisher p = 1 for both; corrected ORs 30.5/40.5 and 5.5/40.5.
    const ranking = rankCorrelations(
      [
        {
          key: 'small',
          table: table([
            [0, 40],
            [0, 30],
          ]),
        },
        {
          key: 'large',
          table: table([
            [0, 40],
            [0, 5],
          ]),
        },
      ],
      { minSupport: 1 },
    );
    expect(ranking.dropOff.map((r) => [r.key, r.pValue])).toEqual([
      ['large', 1],
      ['small', 1],
    ]);
  });
});
