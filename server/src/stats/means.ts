/**
 * Mean metrics (revenue per visitor, orders per visitor, a property's mean) from the sufficient
 * statistics n, Σy and Σy² that SQL returns per variant.
 */
import { type Comparison, compareEstimates, type Estimate } from './compare.ts';
import { criticalValue } from './distributions.ts';
import type { Interval } from './wilson.ts';

export interface MeanSums {
  /** Units (visitors); a unit with no value counts with y = 0. */
  n: number;
  sum: number;
  sumSq: number;
}

export interface MeanSummary extends Estimate {
  /** Sample variance of one unit's value (n − 1 denominator). */
  unitVariance: number;
  /** value ± t(n − 1)·se, as scipy `ttest_1samp(a).confidence_interval()`. */
  interval: Interval;
}

/**
 * Sample variance from sums, (Σy² − (Σy)²/n)/(n − 1). Clamped at 0: when all values are equal,
 * rounding can leave a tiny negative number.
 */
export function sampleVariance(n: number, sum: number, sumSq: number): number {
  if (n < 2) return 0;
  return Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
}

/** A variant's mean, unit variance, standard error² and t interval; null with fewer than 2 units. */
export function summarizeMean(s: MeanSums, level = 0.95): MeanSummary | null {
  if (s.n < 2) return null;
  const value = s.sum / s.n;
  const unitVariance = sampleVariance(s.n, s.sum, s.sumSq);
  const variance = unitVariance / s.n;
  const half = criticalValue(level, s.n - 1) * Math.sqrt(variance);
  return { n: s.n, value, variance, unitVariance, interval: { low: value - half, high: value + half } };
}

/**
 * Welch–Satterthwaite degrees of freedom of a difference of two means with sampling variances
 * v = s²/n: (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1)).
 */
export function welchDf(a: Estimate, b: Estimate): number {
  const denom = (a.variance * a.variance) / (a.n - 1) + (b.variance * b.variance) / (b.n - 1);
  if (denom === 0) return Number.POSITIVE_INFINITY;
  return (a.variance + b.variance) ** 2 / denom;
}

/**
 * Treatment against control by Welch's t-test (unequal variances; as scipy
 * `ttest_ind(treatment, control, equal_var=False)`, statistic, p-value, df and
 * `confidence_interval()`), with the relative uplift by the delta method on the same t quantile.
 * Also takes CUPED-adjusted estimates (`cuped.ts`), whose variance is already reduced.
 */
export function compareMeans(control: Estimate, treatment: Estimate, level = 0.95): Comparison | null {
  if (control.n < 2 || treatment.n < 2) return null;
  return compareEstimates(control, treatment, { level, df: welchDf(control, treatment) });
}
