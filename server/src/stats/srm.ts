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
  /** The chi-square approximation needs expected counts that are not tiny. */
  minPerVariant?: number;
  minTotal?: number;
}

export interface SrmCheck {
  /** False while there are too few units for the test to mean anything. */
  checked: boolean;
  pValue: number | null;
  mismatch: boolean;
}

/** The SRM flag: p < 0.001 once every variant has ≥ 8 units and the total is ≥ 100. */
export function checkSampleRatio(
  observed: readonly number[],
  weights: readonly number[],
  options: SrmOptions = {},
): SrmCheck {
  const { threshold = 0.001, minPerVariant = 8, minTotal = 100 } = options;
  const total = observed.reduce((a, b) => a + b, 0);
  const enough = observed.every((o) => o >= minPerVariant) && total >= minTotal;
  const fit = enough ? chiSquareGoodnessOfFit(observed, weights) : null;
  if (fit === null) return { checked: false, pValue: null, mismatch: false };
  return { checked: true, pValue: fit.pValue, mismatch: fit.pValue < threshold };
}
