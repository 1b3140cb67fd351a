import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareMeans, type MeanSums, summarizeMean } from './means.ts';
import { expectRel } from './testing.ts';

/**
 * Reference values from scipy 1.17.1, from the raw values (the sums below are their exact float
 * sums, which is all the code sees):
 *   r = scipy.stats.ttest_ind(b, a, equal_var=False); r.statistic, r.pvalue, r.df,
 *   r.confidence_interval(0.95)
 *   scipy.stats.ttest_1samp(a, 0).confidence_interval(0.95)          # control's own interval
 *   rel = mean(b)/mean(a) - 1 ± t.ppf(0.975, r.df)·sqrt(delta-method variance)
 */
interface Case {
  label: string;
  a: MeanSums;
  b: MeanSums;
  t: number;
  p: number;
  df: number;
  ci: [number, number];
  controlCi: [number, number];
  relCi: [number, number];
}

const CASES: Case[] = [
  {
    // a = [0,0,12.5,0,40,0,0,7.25,0,19.99], b = [0,25,0,0,60,14.5,0,0,33,0,9.75,0]
    label: 'small sparse revenue',
    a: { n: 10, sum: 79.74, sumSq: 2208.4126 },
    b: { n: 12, sum: 142.25, sumSq: 5619.3125 },
    t: 0.5643686709469279,
    p: 0.5789405216380249,
    df: 19.49156290308059,
    ci: [-10.485340315072918, 18.24567364840625],
    controlCi: [-1.4819667876783873, 17.429966787678385],
    relCi: [-1.6807016773366397, 2.653906258893366],
  },
  {
    // rng = numpy.random.default_rng(20261203)
    // a = rng.exponential(20, 4000) * (rng.random(4000) < 0.1); b likewise with 22 and 4200
    label: 'revenue per visitor',
    a: { n: 4000, sum: 7801.05316068056, sumSq: 284276.99254826043 },
    b: { n: 4200, sum: 8621.765234839891, sumSq: 335828.6631980145 },
    t: 0.5491918071490003,
    p: 0.5828887859934282,
    df: 8197.086966865772,
    ci: [-0.2634550863642731, 0.46853099880489385],
    controlCi: [1.6959899920087524, 2.2045365883315275],
    relCi: [-0.1399110195992693, 0.2450639563715805],
  },
  {
    // then a = rng.normal(3, 1.5, 50); b = rng.normal(3.2, 0.5, 80)
    label: 'unequal variances',
    a: { n: 50, sum: 170.61629411768848, sumSq: 713.4501588665267 },
    b: { n: 80, sum: 255.33808429244328, sumSq: 837.9658115284376 },
    t: -0.9222867547269253,
    p: 0.36035524054478807,
    df: 55.722914968693885,
    ci: [-0.699803345616214, 0.25860368821975666],
    controlCi: [2.947196472743121, 3.8774552919644183],
    relCi: [-0.1965983537914572, 0.06730247977249496],
  },
];

describe('compareMeans (Welch)', () => {
  it.each(CASES)('$label matches scipy ttest_ind(equal_var=False)', (c) => {
    const a = summarizeMean(c.a);
    const b = summarizeMean(c.b);
    if (a === null || b === null) throw new Error('no summary');
    const r = compareMeans(a, b);
    expectRel(r?.statistic ?? Number.NaN, c.t, 1e-9);
    expectRel(r?.pValue ?? Number.NaN, c.p, 1e-9);
    expectRel(r?.df ?? Number.NaN, c.df, 1e-9);
    expectRel(r?.absolute.interval.low ?? Number.NaN, c.ci[0], 1e-9);
    expectRel(r?.absolute.interval.high ?? Number.NaN, c.ci[1], 1e-9);
    expectRel(r?.relative?.interval.low ?? Number.NaN, c.relCi[0], 1e-9);
    expectRel(r?.relative?.interval.high ?? Number.NaN, c.relCi[1], 1e-9);
    expectRel(a.interval.low, c.controlCi[0], 1e-9);
    expectRel(a.interval.high, c.controlCi[1], 1e-9);
  });

  it('has the sample variance numpy reports (var(a, ddof=1) = 174.72953777777784)', () => {
    expectRel(
      summarizeMean({ n: 10, sum: 79.74, sumSq: 2208.4126 })?.unitVariance ?? 0,
      174.72953777777784,
      1e-12,
    );
  });

  it('needs two units per variant', () => {
    expect(summarizeMean({ n: 1, sum: 3, sumSq: 9 })).toBeNull();
  });

  it('gives an interval that contains the estimate, and swapping sides mirrors it (property)', () => {
    const sums = fc
      .tuple(
        fc.integer({ min: 2, max: 10_000 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
      )
      .map(([n, mean, sd]): MeanSums => ({ n, sum: n * mean, sumSq: (n - 1) * sd * sd + n * mean * mean }));
    fc.assert(
      fc.property(sums, sums, (x, y) => {
        const a = summarizeMean(x);
        const b = summarizeMean(y);
        if (a === null || b === null) return false;
        const ab = compareMeans(a, b);
        const ba = compareMeans(b, a);
        if (ab === null || ba === null) return false;
        const { low, high } = ab.absolute.interval;
        return (
          low <= ab.absolute.estimate &&
          ab.absolute.estimate <= high &&
          Math.abs(ab.pValue - ba.pValue) < 1e-12 &&
          Math.abs(low + ba.absolute.interval.high) <= 1e-9 * (1 + Math.abs(low))
        );
      }),
    );
  });
});
