/** The standard normal quantile for a two-sided 95 % interval, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a binomial proportion of `successes` out of `trials` (Wilson 1927;
 * same formula as statsmodels `proportion_confint(method='wilson')`). Unlike the normal
 * approximation it stays inside [0, 1] and is sensible at 0 and at `trials`.
 * @returns null when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 and at `trials` the bound is exactly 0 (or 1) in exact arithmetic; in floating point
  // center − half can come out as +1e-18, which would put the interval beside its own estimate.
  const low = successes <= 0 ? 0 : Math.max(0, center - half);
  const high = successes >= trials ? 1 : Math.min(1, center + half);
  return { low, high };
}

/** `successes / trials` with its Wilson interval, as the reports answer a rate; null without trials. */
export function wilsonRate(
  successes: number,
  trials: number,
): { rate: number; low: number; high: number } | null {
  const ci = wilsonInterval(successes, trials);
  return ci ? { rate: successes / trials, low: ci.low, high: ci.high } : null;
}
