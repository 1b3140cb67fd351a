/**
 * Conversion metrics: a share of units that converted. Sufficient statistics per variant are the
 * units and the converted units.
 */
import { type CompareOptions, type Comparison, compareEstimates, type Estimate } from './compare.ts';
import { criticalValue, normalTwoSidedP } from './distributions.ts';
import { type Interval, wilsonInterval } from './wilson.ts';

export interface ProportionSums {
  /** Units exposed (visitors). */
  n: number;
  /** Units that converted, 0 ≤ conversions ≤ n. */
  conversions: number;
}

export interface ProportionSummary {
  n: number;
  rate: number;
  /** Wilson interval: unlike rate ± z·se it stays in [0, 1] and means something at 0 and n. */
  interval: Interval;
}

/** A variant's conversion rate with its Wilson interval; null without units. */
export function summarizeProportion(s: ProportionSums, level = 0.95): ProportionSummary | null {
  const interval = wilsonInterval(s.conversions, s.n, criticalValue(level));
  if (interval === null) return null;
  return { n: s.n, rate: s.conversions / s.n, interval };
}

/**
 * The rate as an estimate with the binomial sampling variance p(1 − p)/n (the unpooled "Wald"
 * variance that statsmodels `confint_proportions_2indep(method='wald')` uses).
 */
export function proportionEstimate(s: ProportionSums): Estimate {
  const p = s.conversions / s.n;
  return { n: s.n, value: p, variance: (p * (1 - p)) / s.n };
}

/**
 * Two-sided p-value of the pooled two-proportion z-test, as statsmodels `proportions_ztest` and
 * as the uncorrected 2×2 chi-square test: under the null both variants share one rate, so the
 * standard error uses the pooled rate p̂ = (x₁ + x₂)/(n₁ + n₂).
 */
export function pooledZTest(
  control: ProportionSums,
  treatment: ProportionSums,
): { z: number; pValue: number } {
  const pooled = (control.conversions + treatment.conversions) / (control.n + treatment.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const diff = treatment.conversions / treatment.n - control.conversions / control.n;
  if (se === 0) return { z: 0, pValue: 1 };
  const z = diff / se;
  return { z, pValue: normalTwoSidedP(z) };
}

/**
 * Treatment against control: absolute uplift with the Wald interval, relative uplift with the
 * delta-method interval, and the pooled z-test p-value (the interval and the test use different
 * variances, as statsmodels does, so at the margin they can disagree).
 * @returns null when either variant has no units.
 */
export function compareProportions(
  control: ProportionSums,
  treatment: ProportionSums,
  options: Omit<CompareOptions, 'df'> = {},
): Comparison | null {
  if (control.n <= 0 || treatment.n <= 0) return null;
  const comparison = compareEstimates(proportionEstimate(control), proportionEstimate(treatment), options);
  const { z, pValue } = pooledZTest(control, treatment);
  return { ...comparison, statistic: z, pValue };
}
