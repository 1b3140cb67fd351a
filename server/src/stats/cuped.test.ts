import { describe, expect, it } from 'vitest';
import { type CupedSums, cupedAdjust, cupedTheta } from './cuped.ts';
import { expectRel } from './testing.ts';

/**
 * Reference values with numpy 2.4 (the regression route, not the sums):
 *   rng = numpy.random.default_rng(11)
 *   per variant (n, effect) in (500, 0), (520, 1.5), (480, -0.5), drawn in that order:
 *     x = rng.gamma(2, 10, n); y = 0.8·x + rng.normal(0, 8, n) + effect
 *   coef = numpy.linalg.lstsq([1, D₁, D₂, x], y)  (ANCOVA y ~ variant + x)
 *     → intercept 0.5939613693810063, D₁ 1.8899873955938817, D₂ −0.7270069609684693,
 *       θ = 0.7729022615854514
 *   adjusted mean = y.mean() − θ·(x.mean() − X.mean()); var(y − θ·x, ddof=1);
 *   reduction = 1 − that / var(y, ddof=1)
 */
const VARIANTS: CupedSums[] = [
  {
    n: 500,
    sumY: 8377.390573124903,
    sumYSq: 231904.98484271523,
    sumX: 10454.633515833022,
    sumXSq: 319813.9879356674,
    sumXY: 252797.15308062625,
  },
  {
    n: 520,
    sumY: 9572.009343539776,
    sumYSq: 283112.73264170846,
    sumX: 10713.3287057116,
    sumXSq: 347458.96999899915,
    sumXY: 292715.8985300238,
  },
  {
    n: 480,
    sumY: 7397.129550811937,
    sumYSq: 205677.93033986562,
    sumX: 9653.214650283488,
    sumXSq: 286742.0831444594,
    sumXY: 223384.02161883906,
  },
];
const ADJUSTED: [number, number, number][] = [
  [16.475132908688444, 64.13510525605683, 0.6504026080044152],
  [18.365120304282332, 67.41249293543281, 0.6727547597602022],
  [15.748125947719974, 66.085152308541, 0.6547368815923832],
];

describe('CUPED', () => {
  it('θ is the ANCOVA slope of x', () => {
    expectRel(cupedTheta(VARIANTS), 0.7729022615854514, 1e-10);
  });

  it('adjusted means, variances and reductions match numpy', () => {
    const r = cupedAdjust(VARIANTS);
    ADJUSTED.forEach(([mean, unitVar, reduction], i) => {
      const e = r?.estimates[i];
      expectRel(e?.value ?? 0, mean, 1e-10);
      expectRel((e?.variance ?? 0) * (e?.n ?? 0), unitVar, 1e-9);
      expectRel(e?.varianceReduction ?? 0, reduction, 1e-9);
    });
  });

  it('adjusted differences are the regression effects', () => {
    const e = cupedAdjust(VARIANTS)?.estimates ?? [];
    expectRel((e[1]?.value ?? 0) - (e[0]?.value ?? 0), 1.8899873955938817, 1e-9);
    expectRel((e[2]?.value ?? 0) - (e[0]?.value ?? 0), -0.7270069609684693, 1e-9);
  });

  it('leaves a constant covariate alone', () => {
    const flat = VARIANTS.map((v) => ({ ...v, sumX: v.n, sumXSq: v.n, sumXY: v.sumY }));
    const e = cupedAdjust(flat)?.estimates[0];
    expect(cupedTheta(flat)).toBe(0);
    expect(e?.value).toBe(e?.unadjusted.value);
    expect(e?.varianceReduction).toBe(0);
  });
});
