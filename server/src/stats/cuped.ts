/**
 * CUPED (Deng, Xu, Kohavi & Walker, "Improving the sensitivity of online controlled experiments
 * by utilizing pre-experiment data", WSDM 2013): subtract from each unit's outcome y the part a
 * pre-period covariate x predicts, y − θ(x − x̄). Randomisation makes x independent of the
 * variant, so means stay unbiased while the variance shrinks by the fraction ρ²(x, y).
 */
import type { Estimate } from './compare.ts';

/** Per-variant sums over units of the outcome y and the pre-period covariate x. */
export interface CupedSums {
  n: number;
  sumY: number;
  sumYSq: number;
  sumX: number;
  sumXSq: number;
  sumXY: number;
}

export interface CupedEstimate extends Estimate {
  /** The mean of y before adjustment and its sampling variance. */
  unadjusted: Estimate;
  /** 1 − adjusted variance / unadjusted variance, in [0, 1] up to estimation noise. */
  varianceReduction: number;
}

/** Centred sums of squares and products of one variant: Σ(x − x̄)², Σ(x − x̄)(y − ȳ), Σ(y − ȳ)². */
function centred(s: CupedSums): { xx: number; xy: number; yy: number } {
  return {
    xx: s.sumXSq - (s.sumX * s.sumX) / s.n,
    xy: s.sumXY - (s.sumX * s.sumY) / s.n,
    yy: s.sumYSq - (s.sumY * s.sumY) / s.n,
  };
}

/**
 * θ = cov(x, y)/var(x) pooled within variants: Σᵥ Sxyᵥ / Σᵥ Sxxᵥ. Centring inside each variant
 * keeps a treatment effect on y out of the slope; the result is the coefficient of x in the
 * regression y ~ variant + x (ANCOVA), so the adjusted difference is that regression's effect.
 * 0 when x does not vary (no adjustment).
 */
export function cupedTheta(variants: readonly CupedSums[]): number {
  let xx = 0;
  let xy = 0;
  for (const v of variants) {
    const c = centred(v);
    xx += c.xx;
    xy += c.xy;
  }
  return xx > 0 ? xy / xx : 0;
}

/**
 * Adjusted mean per variant, ȳᵥ − θ(x̄ᵥ − x̄) with x̄ the mean over all units, and its sampling
 * variance var(y − θx)/n (θ treated as known, as CUPED does; its own noise is O(1/n²)). The
 * estimates go to `compareMeans` like plain means.
 * @returns null when a variant has fewer than 2 units.
 */
export function cupedAdjust(
  variants: readonly CupedSums[],
): { theta: number; estimates: CupedEstimate[] } | null {
  if (variants.length === 0 || variants.some((v) => v.n < 2)) return null;
  const theta = cupedTheta(variants);
  const units = variants.reduce((a, v) => a + v.n, 0);
  const xMean = variants.reduce((a, v) => a + v.sumX, 0) / units;
  const estimates = variants.map((v): CupedEstimate => {
    const c = centred(v);
    const yVar = Math.max(0, c.yy / (v.n - 1));
    const adjVar = Math.max(0, (c.yy - 2 * theta * c.xy + theta * theta * c.xx) / (v.n - 1));
    const mean = v.sumY / v.n;
    return {
      n: v.n,
      value: mean - theta * (v.sumX / v.n - xMean),
      variance: adjVar / v.n,
      unadjusted: { n: v.n, value: mean, variance: yVar / v.n },
      varianceReduction: yVar > 0 ? 1 - adjVar / yVar : 0,
    };
  });
  return { theta, estimates };
}
