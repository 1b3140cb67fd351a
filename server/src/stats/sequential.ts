/**
 * Sequential testing ("safe peeking"): an asymptotic confidence sequence (Waudby-Smith, Arnold,
 * Wu, Ramdas, Howard & Kohavi, "Time-uniform central limit theory and asymptotic confidence
 * sequences", Annals of Statistics 2024, arXiv 2103.06476), as GrowthBook's sequential engine
 * uses it. Unlike a fixed-horizon interval, it covers the true effect at every sample size at
 * once with probability ≥ 1 − α, so an experiment may be read daily and stopped whenever it
 * excludes zero.
 *
 * The mixture boundary for the mean of n observations with variance σ² has half-width
 *   σ·√( 2(nρ² + 1)/(n²ρ²) · ln(√(nρ² + 1)/α) )          (paper eq. 9, two-sided)
 * and ρ, chosen to make it tightest at a planned sample size n*, is
 *   ρ = √( (−2 ln α + ln(−2 ln α + 1)) / n* ).            (paper §B.2, GrowthBook's "tuning")
 * For a difference of two variants, n is the units of both and σ² = SE²·n, with SE² the
 * variance of the difference, so the interval shrinks like a fixed one would.
 */
import type { Estimate, Uplift } from './compare.ts';

/** ρ tuned to be tightest at `plannedN` total units. */
export function sequentialRho(alpha: number, plannedN: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / plannedN);
}

/** Half-width of the confidence sequence after `n` units for an estimate with variance `se2`. */
export function confidenceSequenceHalfWidth(se2: number, n: number, rho: number, alpha: number): number {
  const s2 = se2 * n;
  const k = n * rho * rho + 1;
  return Math.sqrt(s2 * ((2 * k) / (n * n * rho * rho)) * Math.log(Math.sqrt(k) / alpha));
}

/**
 * The always-valid p-value: the smallest α whose confidence sequence (same ρ) excludes 0.
 * Solving |estimate| = half-width for α gives
 *   p = √(nρ² + 1) · exp(−estimate²·nρ² / (2·SE²·(nρ² + 1))), capped at 1,
 * the reciprocal of the mixture e-value (paper eq. 155). Computed in logs: the exponent can be
 * huge with strong evidence.
 */
export function sequentialPValue(estimate: number, se2: number, n: number, rho: number): number {
  if (!(se2 > 0)) return estimate === 0 ? 1 : 0;
  const k = n * rho * rho + 1;
  const logP = 0.5 * Math.log(k) - (estimate * estimate * n * rho * rho) / (2 * se2 * k);
  return Math.min(1, Math.exp(logP));
}

export interface SequentialOptions {
  /** Planned total units (both variants) where the sequence should be tightest. */
  plannedN: number;
  alpha?: number;
}

export interface SequentialComparison {
  absolute: Uplift;
  pValue: number;
  rho: number;
}

/** Absolute difference treatment − control with its confidence sequence and always-valid p. */
export function compareSequential(
  control: Estimate,
  treatment: Estimate,
  options: SequentialOptions,
): SequentialComparison {
  const alpha = options.alpha ?? 0.05;
  const rho = sequentialRho(alpha, options.plannedN);
  const n = control.n + treatment.n;
  const se2 = control.variance + treatment.variance;
  const estimate = treatment.value - control.value;
  const half = confidenceSequenceHalfWidth(se2, n, rho, alpha);
  return {
    absolute: {
      estimate,
      standardError: Math.sqrt(se2),
      interval: { low: estimate - half, high: estimate + half },
    },
    pValue: sequentialPValue(estimate, se2, n, rho),
    rho,
  };
}
