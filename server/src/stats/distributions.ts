/**
 * The distribution functions the experiment statistics need, in one place so every other file
 * imports them from here and the library behind them can change without touching the math.
 *
 * Library: the `@stdlib/stats-base-dists-*` and `@stdlib/math-base-special-*` packages
 * (Apache-2.0, stdlib-js): one small package per function, typed, no install scripts, ported
 * from Cephes and Boost and released through 2025–2026. The alternative, jstat, is one untyped
 * bundle (types from DefinitelyTyped) whose npm metadata carries no licence field. stdlib costs
 * more packages on disk (server only; nothing reaches the browser). `distributions.test.ts`
 * holds every function here to scipy at 1e-12 relative (1e-9 for t and beta quantiles).
 *
 * Tail probabilities are computed as tails (erfc, upper incomplete gamma), never as 1 − cdf, so a
 * p-value of 1e-17 is 1e-17 and not 0.
 */
import betaln from '@stdlib/math-base-special-betaln';
import erfcinv from '@stdlib/math-base-special-erfcinv';
import gammainc from '@stdlib/math-base-special-gammainc';
import betaCdfImpl from '@stdlib/stats-base-dists-beta-cdf';
import betaQuantileImpl from '@stdlib/stats-base-dists-beta-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/**
 * Standard normal quantile Φ⁻¹(p) = −√2·erfcinv(2p). Not stdlib's normal quantile package: it
 * goes through erfinv(2p − 1), which rounds to −∞ below p ≈ 1e-17 and is off by ~2e-9 relative
 * at p = 1e-10. For p > ½ the complement 1 − p is exact in floating point (Sterbenz).
 */
export function normalQuantile(p: number): number {
  if (p > 0.5) return Math.SQRT2 * erfcinv(2 * (1 - p));
  return -Math.SQRT2 * erfcinv(2 * p);
}

/** Two-sided p-value of a z statistic, 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Student t CDF with `df` degrees of freedom (`df` may be fractional, as Welch's is). */
export function tCdf(x: number, df: number): number {
  return tCdfImpl(x, df);
}

/** Student t quantile. */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** Two-sided p-value of a t statistic, 2·F(−|t|). */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Chi-square survival function P(X > x) with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Beta(a, b) CDF. */
export function betaCdf(x: number, a: number, b: number): number {
  return betaCdfImpl(x, a, b);
}

/** Beta(a, b) quantile. */
export function betaQuantile(p: number, a: number, b: number): number {
  return betaQuantileImpl(p, a, b);
}

/** ln B(a, b), the log of the beta function. */
export function lnBeta(a: number, b: number): number {
  return betaln(a, b);
}

/**
 * The two-sided critical value for a `level` interval: Student t with `df` degrees of freedom
 * when given (and finite), else normal.
 */
export function criticalValue(level: number, df?: number): number {
  const p = 1 - (1 - level) / 2;
  return df !== undefined && Number.isFinite(df) ? tQuantile(p, df) : normalQuantile(p);
}
