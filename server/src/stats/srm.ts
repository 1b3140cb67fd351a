/**
 * Sample-ratio mismatch: when the units per variant differ from the configured split by more
 * than chance allows, assignment or tracking is broken and the experiment's numbers cannot be
 * trusted, whatever they say.
 */
import { chiSquareSf } from './distributions.ts';

export interface GoodnessOfFit {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-square goodness of fit of `observed` units against the split `weights` (any
 * positive scale; normalised here), as scipy `chisquare(observed, f_exp=total·w/Σw)`:
 * Σ (O − E)²/E with k − 1 degrees of freedom.
 * @returns null with fewer than two variants or no units.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  weights: readonly number[],
): GoodnessOfFit | null {
  if (observed.length < 2 || observed.length !== weights.length) return null;
  const total = observed.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || weightSum <= 0) return null;
  let statistic = 0;
  observed.forEach((o, i) => {
    const expected = (total * (weights[i] ?? 0)) / weightSum;
    statistic += ((o - expected) * (o - expected)) / expected;
  });
  const df = observed.length - 1;
  return { statistic, df, pValue: chiSquareSf(statistic, df) };
}

export interface SrmOptions {
  /** p below this is a mismatch; 0.001 because the check runs on every look at every experiment. */
  threshold?: number;
  /** Units in all variants before the check runs. */
  minTotal?: number;
  /**
   * The chi-square approximation needs expected counts that are not tiny (the textbook rule: 5).
   * Expected, never observed: a variant that gets no units is the clearest mismatch there is.
   */
  minExpected?: number;
}

export interface SrmCheck {
  /** False while there are too few units for the test to mean anything. */
  checked: boolean;
  pValue: number | null;
  mismatch: boolean;
}

/**
 * The SRM flag: p < 0.001 once the total is ≥ 100 units (and each variant's expected count at
 * its weight is ≥ 5), whatever any one variant holds: [0, 500, 500] at equal weights is checked
 * and flagged.
 */
export function checkSampleRatio(
  observed: readonly number[],
  weights: readonly number[],
  options: SrmOptions = {},
): SrmCheck {
  const { threshold = 0.001, minTotal = 100, minExpected = 5 } = options;
  const total = observed.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const enough = total >= minTotal && weights.every((w) => (total * w) / weightSum >= minExpected);
  const fit = enough ? chiSquareGoodnessOfFit(observed, weights) : null;
  if (fit === null) return { checked: false, pValue: null, mismatch: false };
  return { checked: true, pValue: fit.pValue, mismatch: fit.pValue < threshold };
}
