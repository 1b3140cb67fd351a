import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bayesGaussian,
  bayesProportions,
  betaCredibleInterval,
  betaPosterior,
  probabilityGreater,
} from './bayes.ts';
import type { Comparison } from './compare.ts';
import { betaQuantile } from './distributions.ts';
import { expectRel } from './testing.ts';

/**
 * Reference values by numerical integration in scipy 1.17.1, a different route from the sums in
 * the code. With A = Beta(1 + xc, 1 + nc − xc), B = Beta(1 + xt, 1 + nt − xt):
 *   P(B > A) = integrate.quad(lambda t: beta.pdf(t, *B) * beta.cdf(t, *A), lo, hi,
 *                             points=[means], epsabs=1e-15, epsrel=1e-13)
 *   E[max(A − B, 0)] = integrate.quad(lambda t: beta.pdf(t, *B) *
 *                        (mean(A)·beta.sf(t, a+1, b) − t·beta.sf(t, a, b)), lo, hi, …)
 * lo/hi are the 1e-13 quantiles of the two posteriors.
 * Columns: xc, nc, xt, nt, P(B > A), loss of shipping B, loss of keeping A.
 */
const REFERENCE: [number, number, number, number, number, number, number][] = [
  [100, 1000, 120, 1000, 0.923183438973459, 0.00048461392635644436, 0.020444693766668156],
  [20, 5000, 35, 5100, 0.9741166007559906, 1.4736851629943574e-5, 0.002872472628349564],
  [3, 40, 1, 35, 0.2224495977920472, 0.04885924885923933, 0.007675207675207674],
  [980, 1000, 990, 1000, 0.9657042774898048, 7.635032728146461e-5, 0.010056390247434932],
  [2000, 100000, 2100, 100000, 0.9427003200354165, 1.5519263110471366e-5, 0.0010154992635100465],
];

describe('bayesProportions (Beta(1, 1) prior)', () => {
  it.each(REFERENCE)('%i/%i vs %i/%i matches scipy quadrature', (xc, nc, xt, nt, ctw, loss, controlLoss) => {
    const r = bayesProportions({ n: nc, conversions: xc }, { n: nt, conversions: xt });
    expectRel(r.chanceToBeatControl, ctw, 1e-9);
    expectRel(r.expectedLoss, loss, 1e-9);
    expectRel(r.controlExpectedLoss, controlLoss, 1e-9);
  });

  it('gives the same probability whichever parameter the sum runs over', () => {
    const x = { alpha: 7, beta: 30 };
    const y = { alpha: 9, beta: 25 };
    expectRel(probabilityGreater(x, y) + probabilityGreater(y, x), 1, 1e-13);
    // P(Y > X) with equal parameters is ½ by symmetry.
    expectRel(probabilityGreater(x, x), 0.5, 1e-13);
  });

  it('sums the two orders to 1 and stays in [0, 1] whichever route the sum takes (property)', () => {
    const beta = fc.record({
      alpha: fc.integer({ min: 1, max: 3000 }),
      beta: fc.integer({ min: 1, max: 3000 }),
    });
    fc.assert(
      fc.property(beta, beta, (x, y) => {
        const p = probabilityGreater(x, y);
        return p >= 0 && p <= 1 && Math.abs(p + probabilityGreater(y, x) - 1) < 1e-9;
      }),
    );
  });

  it('uses the Beta quantiles for the credible interval', () => {
    const post = betaPosterior({ n: 10000, conversions: 200 });
    expect(post).toEqual({ alpha: 201, beta: 9801 });
    // scipy.stats.beta.ppf(0.025, 201, 9801), ppf(0.975, 201, 9801)
    const ci = betaCredibleInterval(post);
    expectRel(ci.low, 0.01743804741072506, 1e-9);
    expectRel(ci.high, 0.02293563465314448, 1e-9);
    expect(ci.low).toBe(betaQuantile(0.025, 201, 9801));
  });

  it('is fast at a million visitors per arm', () => {
    const start = performance.now();
    const r = bayesProportions({ n: 1e6, conversions: 20_000 }, { n: 1e6, conversions: 20_300 });
    expect(performance.now() - start).toBeLessThan(500);
    expect(r.chanceToBeatControl).toBeGreaterThan(0.9);
  });
});

/** A comparison carrying only what the Gaussian engine reads. */
function effect(estimate: number, standardError: number): Comparison {
  const uplift = { estimate, standardError, interval: { low: Number.NaN, high: Number.NaN } };
  return { absolute: uplift, relative: uplift, statistic: 0, df: Number.POSITIVE_INFINITY, pValue: 1 };
}

describe('bayesGaussian (GrowthBook-style normal posterior on the effect)', () => {
  // scipy.stats.norm.sf(0, mu, sd); losses by integrate.quad of max(∓t, 0)·norm.pdf(t, mu, sd).
  it.each([
    [0.05, 0.04, 0.8943502263331446, 0.002023474732218113, 0.052023474732218127],
    [-0.02, 0.01, 0.022750131948179195, 0.0200849070261683, 8.490702616829666e-5],
    [0.3, 0.5, 0.7257468822499265, 0.08433636612087776, 0.3843363661208778],
  ])('flat prior, effect %d ± %d', (mu, sd, ctw, loss, controlLoss) => {
    const r = bayesGaussian(effect(mu, sd));
    expectRel(r?.chanceToBeatControl ?? 0, ctw, 1e-10);
    expectRel(r?.expectedLoss ?? 0, loss, 1e-9);
    expectRel(r?.controlExpectedLoss ?? 0, controlLoss, 1e-9);
  });

  it('knows the effect when there is no uncertainty left', () => {
    expect(bayesGaussian(effect(0.1, 0), 'absolute')).toEqual({
      chanceToBeatControl: 1,
      expectedLoss: 0,
      controlExpectedLoss: 0.1,
    });
  });

  it('updates a proper N(0, 0.3²) prior by precision weighting', () => {
    // posterior N(0.049126637554585156, 0.039649116027305385²); norm.sf(0, m, s) and quad as above
    const r = bayesGaussian(effect(0.05, 0.04), 'relative', { mean: 0, variance: 0.09 });
    expectRel(r?.chanceToBeatControl ?? 0, 0.8923337086722738, 1e-10);
    expectRel(r?.expectedLoss ?? 0, 0.0020520939913192472, 1e-9);
  });
});
