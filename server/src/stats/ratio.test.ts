import { describe, expect, it } from 'vitest';
import { compareRatios, type RatioSums, ratioEstimate } from './ratio.ts';
import { expectRel } from './testing.ts';

/**
 * Reference values from numpy 2.4 / scipy 1.17.1 by a different route than the code: the
 * variance of the linearised unit value, two-pass.
 *   rng = numpy.random.default_rng(7)
 *   y = rng.poisson(lam, n) (orders per visitor); x = [rng.gamma(2, scale, k).sum() for k in y]
 *   R = x.sum()/y.sum(); var = numpy.var(x - R*y, ddof=1) / (n * y.mean()**2)
 *   z = (Rb - Ra)/sqrt(va + vb); p = 2*scipy.stats.norm.sf(|z|)
 *   intervals with scipy.stats.norm.ppf(0.975); relative by the delta method.
 * Case "aov": control (n=3000, λ=0.08, scale=25), treatment (3100, 0.085, 27), in that order.
 */
const A: RatioSums = {
  n: 3000,
  sumX: 11221.511809194475,
  sumY: 232,
  sumXSq: 843817.2881248535,
  sumYSq: 246,
  sumXY: 11829.69537074336,
};
const B: RatioSums = {
  n: 3100,
  sumX: 13380.852283194114,
  sumY: 263,
  sumXSq: 1074655.8273883534,
  sumYSq: 283,
  sumXY: 14576.238090903402,
};
/** Case "dense", drawn next: control (400, 1.5, 10), treatment (380, 1.4, 10). */
const C: RatioSums = {
  n: 400,
  sumX: 12618.271402014452,
  sumY: 612,
  sumXSq: 791244.7897304118,
  sumYSq: 1610,
  sumXY: 32590.635716103272,
};
const D: RatioSums = {
  n: 380,
  sumX: 10498.511969982017,
  sumY: 532,
  sumXSq: 616715.5800982878,
  sumYSq: 1352,
  sumXY: 26253.40614091413,
};

describe('ratio metrics by the delta method', () => {
  it('matches the linearised variance (aov case)', () => {
    expectRel(ratioEstimate(A)?.value ?? 0, 48.368585384458946, 1e-12);
    expectRel(ratioEstimate(A)?.variance ?? 0, 5.110353118771917, 1e-9);
    expectRel(ratioEstimate(B)?.value ?? 0, 50.877765335338836, 1e-12);
    expectRel(ratioEstimate(B)?.variance ?? 0, 4.6857166976473295, 1e-9);
    const r = compareRatios(A, B);
    expectRel(r?.statistic ?? 0, 0.8016889044276044, 1e-9);
    expectRel(r?.pValue ?? 0, 0.42273293569421666, 1e-9);
    expectRel(r?.absolute.interval.low ?? 0, -3.6252473903166127, 1e-9);
    expectRel(r?.absolute.interval.high ?? 0, 8.643607292076393, 1e-9);
    expectRel(r?.relative?.interval.low ?? 0, -0.0784241514773415, 1e-9);
    expectRel(r?.relative?.interval.high ?? 0, 0.1821766152277534, 1e-9);
  });

  it('matches the linearised variance (dense case)', () => {
    expectRel(ratioEstimate(C)?.variance ?? 0, 0.35264680993224534, 1e-9);
    expectRel(ratioEstimate(D)?.variance ?? 0, 0.3792577246857923, 1e-9);
    const r = compareRatios(C, D);
    expectRel(r?.pValue ?? 0, 0.30144020278834605, 1e-9);
    expectRel(r?.absolute.interval.low ?? 0, -2.5608224765748435, 1e-9);
    expectRel(r?.absolute.interval.high ?? 0, 0.7927315369543793, 1e-9);
    expectRel(r?.relative?.interval.low ?? 0, -0.12254164092152244, 1e-9);
    expectRel(r?.relative?.interval.high ?? 0, 0.03678729148860595, 1e-9);
  });

  it('has no ratio without a denominator', () => {
    expect(ratioEstimate({ n: 10, sumX: 0, sumY: 0, sumXSq: 0, sumYSq: 0, sumXY: 0 })).toBeNull();
  });
});
