/**
 * Planning: how many units each variant needs to detect an effect, and how long that takes.
 * Both metric kinds go through one power function of a standardised effect size, the one
 * statsmodels `NormalIndPower` uses, so a proportion's plan uses Cohen's h (the arcsine
 * transform, which makes the binomial variance independent of p) and a mean's uses δ/σ.
 */
import { normalCdf, normalQuantile } from './distributions.ts';

/**
 * Power of a two-sided two-sample z-test with `nPerVariant` units in each of two equal arms and
 * standardised effect `effectSize`, counting both rejection tails, as statsmodels
 * `NormalIndPower().power(effect_size, nobs1, alpha, ratio=1)`.
 */
export function normalPower(effectSize: number, nPerVariant: number, alpha = 0.05): number {
  const critical = normalQuantile(1 - alpha / 2);
  const shift = Math.abs(effectSize) * Math.sqrt(nPerVariant / 2);
  return normalCdf(shift - critical) + normalCdf(-critical - shift);
}

/**
 * Units per variant (not rounded) for `power` at `alpha`: the root of normalPower = power, as
 * statsmodels `NormalIndPower().solve_power(effect_size, alpha=alpha, power=power, ratio=1)`.
 * Newton's method on u = √(n/2) from the one-tail closed form ((z₁₋α/₂ + z_power)/d)², which
 * is already within the far tail's contribution (< 1e-6 of power at usual settings).
 */
export function sampleSizeForEffect(effectSize: number, alpha = 0.05, power = 0.8): number {
  const d = Math.abs(effectSize);
  if (!(d > 0)) return Number.POSITIVE_INFINITY;
  const critical = normalQuantile(1 - alpha / 2);
  const density = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  let u = (critical + normalQuantile(power)) / d;
  for (let i = 0; i < 50; i++) {
    const gap = normalCdf(d * u - critical) + normalCdf(-critical - d * u) - power;
    const slope = d * (density(d * u - critical) - density(critical + d * u));
    const step = gap / slope;
    u -= step;
    if (Math.abs(step) <= 1e-15 * u) break;
  }
  return 2 * u * u;
}

/** Cohen's h between two rates: 2·asin√p₂ − 2·asin√p₁. */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
}

export interface ProportionPlan {
  /** Control's conversion rate. */
  baseline: number;
  /** Smallest effect worth detecting, as a fraction of the baseline (relative) or in rate. */
  mde: number;
  relative: boolean;
  alpha?: number;
  power?: number;
}

/** Units per variant to detect a change of a conversion rate, rounded up. */
export function proportionSampleSize(plan: ProportionPlan): number {
  const target = plan.relative ? plan.baseline * (1 + plan.mde) : plan.baseline + plan.mde;
  return Math.ceil(sampleSizeForEffect(cohensH(plan.baseline, target), plan.alpha, plan.power));
}

export interface MeanPlan {
  /** Standard deviation of one unit's value (from past data). */
  sd: number;
  /** Smallest absolute change of the mean worth detecting. */
  mde: number;
  alpha?: number;
  power?: number;
}

/** Units per variant to detect a change of a mean, rounded up. */
export function meanSampleSize(plan: MeanPlan): number {
  return Math.ceil(sampleSizeForEffect(plan.mde / plan.sd, plan.alpha, plan.power));
}

/**
 * Days until every variant has `perVariant` units, given the units the experiment sees per day
 * in all and the split `weights`; the variant with the smallest share decides.
 */
export function daysToReach(perVariant: number, dailyUnits: number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  const smallest = Math.min(...weights) / total;
  if (!(dailyUnits > 0) || !(smallest > 0)) return Number.POSITIVE_INFINITY;
  return Math.ceil(perVariant / (dailyUnits * smallest));
}
