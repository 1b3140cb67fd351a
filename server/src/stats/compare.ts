/**
 * Comparing a treatment estimate with the control's: absolute and relative uplift with intervals
 * and a two-sided p-value. Proportions, means, ratio metrics and CUPED-adjusted means all reduce
 * to an `Estimate` (a value and its sampling variance) and share this one comparison.
 */
import { criticalValue, normalTwoSidedP, tTwoSidedP } from './distributions.ts';
import type { Interval } from './wilson.ts';

/** A per-variant point estimate with its sampling variance (SE², not a unit's variance). */
export interface Estimate {
  /** Units (visitors) behind the estimate. */
  n: number;
  /** The estimate: a rate, a mean, a ratio. */
  value: number;
  /** Variance of `value` as an estimator, i.e. its squared standard error. */
  variance: number;
}

export interface Uplift {
  estimate: number;
  standardError: number;
  interval: Interval;
}

export interface Comparison {
  /** treatment − control. */
  absolute: Uplift;
  /** treatment / control − 1 by the delta method; null when the control's value is 0. */
  relative: Uplift | null;
  /** The test statistic, absolute uplift / its standard error. */
  statistic: number;
  /** Degrees of freedom of the reference distribution; Infinity means normal. */
  df: number;
  /** Two-sided p-value for "no difference". */
  pValue: number;
}

export interface CompareOptions {
  /** Interval level, 0.95 unless given. */
  level?: number;
  /** Degrees of freedom for a t reference (Welch's); normal when omitted. */
  df?: number;
}

/** An interval `estimate ± critical·se`. */
export function symmetricInterval(estimate: number, se: number, critical: number): Interval {
  return { low: estimate - critical * se, high: estimate + critical * se };
}

/**
 * Variance of treatment/control − 1 by the delta method (first-order Taylor expansion of the
 * ratio, the two estimates independent): Var(T)/C² + T²·Var(C)/C⁴. This is the interval
 * GrowthBook's frequentist engine reports for relative uplift.
 */
export function relativeVariance(control: Estimate, treatment: Estimate): number {
  const c = control.value;
  return treatment.variance / (c * c) + (treatment.value * treatment.value * control.variance) / c ** 4;
}

/**
 * Absolute and relative uplift of `treatment` over `control`, with intervals at `level` (t with
 * `df` degrees of freedom when given, else normal) and the two-sided p-value of
 * (T − C)/√(Var T + Var C).
 */
export function compareEstimates(
  control: Estimate,
  treatment: Estimate,
  options: CompareOptions = {},
): Comparison {
  const df = options.df ?? Number.POSITIVE_INFINITY;
  const critical = criticalValue(options.level ?? 0.95, df);
  const diff = treatment.value - control.value;
  const se = Math.sqrt(control.variance + treatment.variance);
  const statistic = se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
  const pValue = Number.isFinite(df) ? tTwoSidedP(statistic, df) : normalTwoSidedP(statistic);
  let relative: Uplift | null = null;
  if (control.value !== 0) {
    const estimate = treatment.value / control.value - 1;
    const standardError = Math.sqrt(relativeVariance(control, treatment));
    relative = { estimate, standardError, interval: symmetricInterval(estimate, standardError, critical) };
  }
  const absolute = { estimate: diff, standardError: se, interval: symmetricInterval(diff, se, critical) };
  return { absolute, relative, statistic, df, pValue };
}
