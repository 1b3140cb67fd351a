import { describe, expect, it } from 'vitest';
import { checkSampleRatio, chiSquareGoodnessOfFit } from './srm.ts';
import { expectRel } from './testing.ts';

describe('chiSquareGoodnessOfFit', () => {
  it('matches the examples printed in the scipy.stats.chisquare documentation', () => {
    // chisquare([16, 18, 16, 14, 12, 12]) → statistic=2.0, pvalue=0.84914503608460956
    const even = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [1, 1, 1, 1, 1, 1]);
    expectRel(even?.statistic ?? 0, 2, 1e-14);
    expectRel(even?.pValue ?? 0, 0.84914503608460956, 1e-12);
    // chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8]) → 3.5, 0.62338762774958223
    const skewed = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expectRel(skewed?.statistic ?? 0, 3.5, 1e-14);
    expectRel(skewed?.pValue ?? 0, 0.62338762774958223, 1e-12);
  });

  // scipy 1.17.1: scipy.stats.chisquare(obs, f_exp=obs.sum()*w/w.sum())
  it.each([
    [[5040, 4960], [1, 1], 0.64, 0.4237107971667936],
    [[1030, 970, 1100], [1, 1, 1], 8.193548387096774, 0.016626221963982658],
    [[10250, 9750], [1, 1], 12.5, 0.00040695201744495946],
    [[3000, 2000, 5100], [0.3, 0.2, 0.5], 0.9900990099009901, 0.609540731265658],
  ])('%j against weights %j matches scipy', (obs, w, statistic, p) => {
    const fit = chiSquareGoodnessOfFit(obs, w);
    expectRel(fit?.statistic ?? 0, statistic, 1e-12);
    expectRel(fit?.pValue ?? 0, p, 1e-12);
  });
});

describe('checkSampleRatio', () => {
  it('flags 10,250 vs 9,750 on a 50/50 split (p = 0.000407)', () => {
    expect(checkSampleRatio([10250, 9750], [50, 50])).toMatchObject({ checked: true, mismatch: true });
  });

  it('does not flag p = 0.0047 (120 vs 80), which is under 0.05 but not under 0.001', () => {
    const check = checkSampleRatio([120, 80], [1, 1]);
    expectRel(check.pValue ?? 0, 0.004677734981047276, 1e-12); // scipy chisquare([120, 80])
    expect(check.mismatch).toBe(false);
  });

  it('waits for 100 units in all, then checks whatever one variant holds', () => {
    expect(checkSampleRatio([95, 4], [1, 1])).toEqual({ checked: false, pValue: null, mismatch: false });
    expect(checkSampleRatio([60, 30], [1, 1]).checked).toBe(false);
    expect(checkSampleRatio([92, 8], [1, 1])).toMatchObject({ checked: true, mismatch: true });
    // scipy chisquare([96, 4]) → statistic 84.64, pvalue 3.5794976240280713e-20
    const few = checkSampleRatio([96, 4], [1, 1]);
    expect(few).toMatchObject({ checked: true, mismatch: true });
    expectRel(few.pValue ?? 0, 3.5794976240280713e-20, 1e-9);
  });

  // Issue 26 item 4: a variant with no traffic is the clearest mismatch, not "too few to check".
  it('flags a variant with zero units: [0, 500, 500] at equal weights', () => {
    // By hand: E = 1000/3 each; Σ(O − E)²/E = 1000/3 + 2·(500/3)²/(1000/3) = 500, df 2, and the
    // chi-square(2) survival is exp(−x/2) = exp(−250). scipy 1.17.1: chisquare([0, 500, 500]) →
    // statistic 500.00000000000006, pvalue 2.6691902155411894e-109.
    const check = checkSampleRatio([0, 500, 500], [1, 1, 1]);
    expect(check).toMatchObject({ checked: true, mismatch: true });
    expectRel(check.pValue ?? 0, Math.exp(-250), 1e-9);
    expectRel(check.pValue ?? 0, 2.6691902155411894e-109, 1e-9);
    // scipy chisquare([0, 100]) → 100.0, 1.5239706048320995e-23;
    // chisquare([0, 60, 60]) → 60.0, 9.357622968840163e-14
    expectRel(checkSampleRatio([0, 100], [1, 1]).pValue ?? 0, 1.5239706048320995e-23, 1e-9);
    expectRel(checkSampleRatio([0, 60, 60], [1, 1, 1]).pValue ?? 0, 9.357622968840163e-14, 1e-9);
  });

  it('waits while a weight leaves some variant fewer than 5 expected units', () => {
    // 1 % of 200 is 2 expected units: the chi-square approximation does not hold yet.
    expect(checkSampleRatio([0, 200], [1, 99]).checked).toBe(false);
    expect(checkSampleRatio([0, 500], [1, 99])).toMatchObject({ checked: true, mismatch: false });
  });
});
