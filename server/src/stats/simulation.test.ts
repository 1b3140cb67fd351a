/**
 * The tests behind the promises: simulated experiments with a seeded generator, judged by
 * counts. Each statement is about a rate over 2,000 experiments, so it is checked against the
 * 95 % binomial band of that rate (scipy 1.17.1: binom.ppf(0.025 / 0.975, 2000, 0.05) = 81 / 120,
 * binom.ppf(0.025 / 0.975, 2000, 0.95) = 1880 / 1919). Fixed seeds keep the counts reproducible.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { describe, expect, it } from 'vitest';
import { type CupedSums, cupedAdjust } from './cuped.ts';
import { compareMeans, summarizeMean } from './means.ts';
import { cohensH, normalPower, proportionSampleSize } from './planning.ts';
import { type ProportionSums, pooledZTest, proportionEstimate } from './proportions.ts';
import { compareSequential } from './sequential.ts';

const EXPERIMENTS = 2000;

/**
 * An exact Binomial(n, p) draw by inversion: walk the pmf up from k = 0. (1 − p)ⁿ underflows
 * for large n·p, so large n is split into two halves, which is exact (the sum of independent
 * binomials with the same p is binomial).
 */
function binomial(g: RandomGenerator, n: number, p: number): number {
  if (-n * Math.log1p(-p) > 600) {
    const half = Math.floor(n / 2);
    return binomial(g, half, p) + binomial(g, n - half, p);
  }
  let u = uniformFloat64(g);
  let pmf = (1 - p) ** n;
  let k = 0;
  while (u > pmf && k < n) {
    u -= pmf;
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
    k++;
  }
  return k;
}

/** A standard normal draw (Box–Muller; the second value is dropped for simplicity). */
function normal(g: RandomGenerator): number {
  const u = 1 - uniformFloat64(g);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniformFloat64(g));
}

function arm(g: RandomGenerator, n: number, p: number): ProportionSums {
  return { n, conversions: binomial(g, n, p) };
}

describe('fixed-horizon z-test', () => {
  it('rejects a true null about 5 % of the time', () => {
    const g = xoroshiro128plus(20261203);
    let rejected = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      if (pooledZTest(arm(g, 1000, 0.1), arm(g, 1000, 0.1)).pValue < 0.05) rejected++;
    }
    console.info(`A/A fixed horizon: ${rejected} / ${EXPERIMENTS} rejected`);
    expect(rejected).toBeGreaterThanOrEqual(81);
    expect(rejected).toBeLessThanOrEqual(120);
  });

  it('has the power the plan promised', () => {
    // Baseline 10 %, +20 % relative: the plan says 3,835 per variant for 80 % power.
    const n = proportionSampleSize({ baseline: 0.1, mde: 0.2, relative: true });
    const planned = normalPower(cohensH(0.1, 0.12), n);
    const g = xoroshiro128plus(7);
    let rejected = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      if (pooledZTest(arm(g, n, 0.1), arm(g, n, 0.12)).pValue < 0.05) rejected++;
    }
    console.info(`power: ${rejected} / ${EXPERIMENTS} rejected at n = ${n}, planned ${planned.toFixed(4)}`);
    expect(Math.abs(rejected / EXPERIMENTS - planned)).toBeLessThanOrEqual(0.03);
  });
});

describe('daily peeking', () => {
  const DAYS = 14;
  const PER_DAY = 200; // units per variant per day

  /** Experiments with no effect, read every day; counts those declared significant on any day. */
  function peek(seed: number, significant: (c: ProportionSums, t: ProportionSums) => boolean): number {
    const g = xoroshiro128plus(seed);
    let rejected = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const c = { n: 0, conversions: 0 };
      const t = { n: 0, conversions: 0 };
      let hit = false;
      for (let day = 0; day < DAYS; day++) {
        c.n += PER_DAY;
        t.n += PER_DAY;
        c.conversions += binomial(g, PER_DAY, 0.05);
        t.conversions += binomial(g, PER_DAY, 0.05);
        if (!hit && significant(c, t)) hit = true;
      }
      if (hit) rejected++;
    }
    return rejected;
  }

  it('inflates the fixed-horizon test (why sequential exists)', () => {
    const rejected = peek(99, (c, t) => pooledZTest(c, t).pValue < 0.05);
    console.info(`A/A fixed test read daily: ${rejected} / ${EXPERIMENTS} rejected`);
    expect(rejected).toBeGreaterThan(120);
  });

  it('keeps the sequential test at or under 5 %', () => {
    const plannedN = 2 * DAYS * PER_DAY;
    const rejected = peek(99, (c, t) => {
      return compareSequential(proportionEstimate(c), proportionEstimate(t), { plannedN }).pValue < 0.05;
    });
    console.info(`A/A sequential read daily: ${rejected} / ${EXPERIMENTS} rejected`);
    expect(rejected).toBeLessThanOrEqual(120);
  });
});

describe('CUPED', () => {
  /** One variant of units with covariate x ~ N(10, 2²) and y = 10 + 0.7·(x − 10)·(σ_y/σ_x) + noise. */
  function unitsSums(g: RandomGenerator, n: number, effect: number): CupedSums {
    const s: CupedSums = { n, sumY: 0, sumYSq: 0, sumX: 0, sumXSq: 0, sumXY: 0 };
    for (let i = 0; i < n; i++) {
      const zx = normal(g);
      const x = 10 + 2 * zx;
      // corr(x, y) = 0.7 with sd(y) = 3
      const y = 10 + effect + 3 * (0.7 * zx + Math.sqrt(1 - 0.49) * normal(g));
      s.sumX += x;
      s.sumXSq += x * x;
      s.sumY += y;
      s.sumYSq += y * y;
      s.sumXY += x * y;
    }
    return s;
  }

  it('narrows the interval and keeps 95 % coverage', () => {
    const g = xoroshiro128plus(2013);
    const effect = 0.5;
    let covered = 0;
    let coveredPlain = 0;
    let width = 0;
    let widthPlain = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const sums = [unitsSums(g, 200, 0), unitsSums(g, 200, effect)];
      const [c, t] = cupedAdjust(sums)?.estimates ?? [];
      const [pc, pt] = sums.map((s) => summarizeMean({ n: s.n, sum: s.sumY, sumSq: s.sumYSq }));
      if (!c || !t || !pc || !pt) throw new Error('no estimate');
      const adjusted = compareMeans(c, t)?.absolute.interval;
      const plain = compareMeans(pc, pt)?.absolute.interval;
      if (!adjusted || !plain) throw new Error('no comparison');
      if (adjusted.low <= effect && effect <= adjusted.high) covered++;
      if (plain.low <= effect && effect <= plain.high) coveredPlain++;
      width += adjusted.high - adjusted.low;
      widthPlain += plain.high - plain.low;
    }
    const ratio = width / widthPlain;
    console.info(
      `CUPED: coverage ${covered} (plain ${coveredPlain}) / ${EXPERIMENTS}, width ratio ${ratio.toFixed(3)}`,
    );
    expect(covered).toBeGreaterThanOrEqual(1880);
    expect(covered).toBeLessThanOrEqual(1919);
    // √(1 − 0.7²) = 0.714: the interval should shrink by about that factor.
    expect(ratio).toBeGreaterThan(0.68);
    expect(ratio).toBeLessThan(0.75);
  });
});
