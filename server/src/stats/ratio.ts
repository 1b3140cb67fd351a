/**
 * Ratio metrics, such as average order value = revenue / orders, where the unit of
 * randomisation (the visitor) is not the unit of the ratio (the order). Orders of one visitor
 * are correlated, so the ratio's variance comes from per-visitor sums by the delta method, not
 * from treating orders as independent.
 */
import { type Comparison, compareEstimates, type Estimate } from './compare.ts';

/** Per-variant sums over units (visitors) of the numerator x and the denominator y. */
export interface RatioSums {
  n: number;
  sumX: number;
  sumY: number;
  sumXSq: number;
  sumYSq: number;
  sumXY: number;
}

/** Sample covariance from sums (n − 1 denominator). */
function covariance(n: number, sumA: number, sumB: number, sumAB: number): number {
  return (sumAB - (sumA * sumB) / n) / (n - 1);
}

/**
 * The ratio Σx/Σy and its variance by the delta method:
 * Var(x̄/ȳ) ≈ (s²ₓ/ȳ² − 2·x̄·sₓᵧ/ȳ³ + x̄²·s²ᵧ/ȳ⁴)/n,
 * which equals the variance of the linearised unit value (x − R·y)/ȳ divided by n.
 * @returns null with fewer than 2 units or a zero denominator.
 */
export function ratioEstimate(s: RatioSums): Estimate | null {
  if (s.n < 2 || s.sumY === 0) return null;
  const mx = s.sumX / s.n;
  const my = s.sumY / s.n;
  const vx = covariance(s.n, s.sumX, s.sumX, s.sumXSq);
  const vy = covariance(s.n, s.sumY, s.sumY, s.sumYSq);
  const cxy = covariance(s.n, s.sumX, s.sumY, s.sumXY);
  const unit = vx / my ** 2 - (2 * mx * cxy) / my ** 3 + (mx * mx * vy) / my ** 4;
  return { n: s.n, value: s.sumX / s.sumY, variance: Math.max(0, unit) / s.n };
}

/**
 * Treatment against control for a ratio metric: a z-test on the difference of ratios (the delta
 * method is asymptotic, so normal rather than t), relative uplift by the delta method again.
 */
export function compareRatios(control: RatioSums, treatment: RatioSums, level = 0.95): Comparison | null {
  const c = ratioEstimate(control);
  const t = ratioEstimate(treatment);
  if (c === null || t === null) return null;
  return compareEstimates(c, t, { level });
}
