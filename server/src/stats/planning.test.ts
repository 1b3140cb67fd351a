import { describe, expect, it } from 'vitest';
import {
  cohensH,
  daysToReach,
  meanSampleSize,
  normalPower,
  proportionSampleSize,
  sampleSizeForEffect,
} from './planning.ts';
import { expectRel } from './testing.ts';

/**
 * statsmodels is not installed here; the references solve its power equation
 * (statsmodels.stats.power.normal_power with nobs = n1/2 for ratio=1, both tails) with scipy
 * 1.17.1: brentq(lambda n: norm.sf(c - d·sqrt(n/2)) + norm.cdf(-c - d·sqrt(n/2)) - power, …).
 * The first case is the value printed for NormalIndPower().solve_power(0.2, alpha=0.05,
 * power=0.8) in statsmodels' tutorials: 392.443.
 */
describe('sampleSizeForEffect', () => {
  it.each([
    [0.2, 0.05, 0.8, 392.44302546630996],
    [0.1, 0.05, 0.8, 1569.7721018652403], // mean: sd 10, mde 1
    [2.5 / 45, 0.05, 0.9, 6808.807777479612], // mean: sd 45, mde 2.5
    [0.5, 0.1, 0.8, 49.45789459552321], // mean: sd 1, mde 0.5
  ])('d = %d, α = %d, power %d', (d, alpha, power, n) => {
    expectRel(sampleSizeForEffect(d, alpha, power), n, 1e-10);
    expectRel(normalPower(d, n, alpha), power, 1e-12);
  });

  it('power of d = 0.1 at 3000 per variant is 0.9721272158055216 (scipy, same formula)', () => {
    expectRel(normalPower(0.1, 3000), 0.9721272158055216, 1e-12);
  });
});

describe('proportionSampleSize (Cohen h)', () => {
  // h = 2·arcsin(sqrt(p2)) − 2·arcsin(sqrt(p1)) with numpy; n from the solve above.
  it.each([
    [0.1, 0.2, true, 0.05, 0.8, 0.06398210298605855, 3834.5957398771407],
    [0.02, 0.1, true, 0.05, 0.8, 0.013952450866945354, 80637.23038484417],
    [0.5, 0.05, false, 0.01, 0.9, 0.10016742116155974, 2965.93790444091],
    [0.05, -0.01, false, 0.05, 0.8, -0.048310970215600824, 6725.817636815022],
  ])('baseline %d, mde %d (relative %s)', (baseline, mde, relative, alpha, power, h, n) => {
    const target = relative ? baseline * (1 + mde) : baseline + mde;
    expectRel(cohensH(baseline, target), h, 1e-12);
    expect(proportionSampleSize({ baseline, mde, relative, alpha, power })).toBe(Math.ceil(n));
  });

  it('rounds a mean plan up', () => {
    expect(meanSampleSize({ sd: 10, mde: 1 })).toBe(1570);
  });
});

describe('daysToReach', () => {
  it('waits for the smallest arm', () => {
    expect(daysToReach(3835, 1000, [1, 1])).toBe(8); // 3835 / 500 = 7.67
    expect(daysToReach(1000, 1000, [0.8, 0.2])).toBe(5);
    expect(daysToReach(1000, 0, [1, 1])).toBe(Number.POSITIVE_INFINITY);
  });
});
