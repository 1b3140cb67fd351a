/**
 * Bayesian read-outs: chance to beat control and expected loss. Deterministic: closed forms and
 * finite sums, no Monte Carlo, so the same data always gives the same numbers.
 */
import type { Comparison } from './compare.ts';
import { betaQuantile, lnBeta, normalCdf } from './distributions.ts';
import type { ProportionSums } from './proportions.ts';
import type { Interval } from './wilson.ts';

/** A Beta(alpha, beta) distribution over a conversion rate. */
export interface Beta {
  alpha: number;
  beta: number;
}

/** The prior for conversion rates: Beta(1, 1), uniform on [0, 1] (one pseudo-success and -failure). */
export const BETA_PRIOR: Beta = { alpha: 1, beta: 1 };

/** The posterior of a conversion rate under `prior`: Beta(α + conversions, β + non-conversions). */
export function betaPosterior(s: ProportionSums, prior: Beta = BETA_PRIOR): Beta {
  return { alpha: prior.alpha + s.conversions, beta: prior.beta + s.n - s.conversions };
}

/** Equal-tailed credible interval of a Beta posterior. */
export function betaCredibleInterval(b: Beta, level = 0.95): Interval {
  const tail = (1 - level) / 2;
  return { low: betaQuantile(tail, b.alpha, b.beta), high: betaQuantile(1 - tail, b.alpha, b.beta) };
}

/**
 * P(Y > X) for independent X ~ Beta(a, b), Y ~ Beta(c, d) with c a positive integer, by the
 * finite sum (Evan Miller, "Formulas for Bayesian A/B testing", 2015)
 *   Σᵢ₌₀^{c−1} B(a + i, b + d) / ((d + i)·B(1 + i, d)·B(a, b)).
 * Term i+1 is term i times (a + i)(d + i) / ((a + b + d + i)(i + 1)); terms are summed in log
 * space so huge counts neither overflow nor underflow.
 */
function greaterBySum(a: number, b: number, c: number, d: number): number {
  let logTerm = lnBeta(a, b + d) - lnBeta(a, b);
  let max = logTerm;
  let scaled = 1; // Σ exp(logTerm − max)
  for (let i = 0; i < c - 1; i++) {
    logTerm += Math.log(a + i) + Math.log(d + i) - Math.log(a + b + d + i) - Math.log(i + 1);
    if (logTerm > max) {
      scaled = scaled * Math.exp(max - logTerm) + 1;
      max = logTerm;
    } else {
      scaled += Math.exp(logTerm - max);
    }
  }
  return Math.min(1, Math.max(0, Math.exp(max) * scaled));
}

/**
 * P(Y > X) for independent Beta variables with integer parameters. The sum runs over one
 * integer parameter; the symmetries P(Y > X) = 1 − P(X > Y) and P(Y > X) = P(1 − X > 1 − Y)
 * (1 − X ~ Beta(b, a)) let it run over whichever of the four is smallest, usually the
 * conversions, so a rate of 2 % over a million visitors costs 20,000 terms, not a million.
 */
export function probabilityGreater(x: Beta, y: Beta): number {
  const smallest = Math.min(x.alpha, x.beta, y.alpha, y.beta);
  if (smallest === y.alpha) return greaterBySum(x.alpha, x.beta, y.alpha, y.beta);
  if (smallest === x.alpha) return 1 - greaterBySum(y.alpha, y.beta, x.alpha, x.beta);
  if (smallest === x.beta) return greaterBySum(y.beta, y.alpha, x.beta, x.alpha);
  return 1 - greaterBySum(x.beta, x.alpha, y.beta, y.alpha);
}

/**
 * E[max(X − Y, 0)]: what is lost, in rate, by choosing Y when X is better. Since
 * x·f(x; a, b) = a/(a + b)·f(x; a + 1, b), it is
 *   a/(a + b)·P(X⁺ > Y) − c/(c + d)·P(X > Y⁺), X⁺ ~ Beta(a + 1, b), Y⁺ ~ Beta(c + 1, d).
 */
export function expectedShortfall(x: Beta, y: Beta): number {
  const up = (b: Beta): Beta => ({ alpha: b.alpha + 1, beta: b.beta });
  const meanX = x.alpha / (x.alpha + x.beta);
  const meanY = y.alpha / (y.alpha + y.beta);
  return Math.max(0, meanX * probabilityGreater(y, up(x)) - meanY * probabilityGreater(up(y), x));
}

export interface BayesResult {
  /** Posterior probability that the treatment is better than the control. */
  chanceToBeatControl: number;
  /** Expected loss of shipping the treatment: E[max(control − treatment, 0)]. */
  expectedLoss: number;
  /** Expected loss of keeping the control: E[max(treatment − control, 0)]. */
  controlExpectedLoss: number;
}

/**
 * Conversion rates under independent Beta(1, 1) priors; loss in absolute rate (0.001 = 0.1
 * percentage point). Both variants need integer counts, which conversions are.
 */
export function bayesProportions(control: ProportionSums, treatment: ProportionSums): BayesResult {
  const c = betaPosterior(control);
  const t = betaPosterior(treatment);
  return {
    chanceToBeatControl: probabilityGreater(c, t),
    expectedLoss: expectedShortfall(c, t),
    controlExpectedLoss: expectedShortfall(t, c),
  };
}

/** A normal prior on the effect; `null` is the flat (improper) prior, GrowthBook's default. */
export interface NormalPrior {
  mean: number;
  variance: number;
}

/** E[max(−D, 0)] for D ~ N(μ, σ²): σ·φ(μ/σ) − μ·Φ(−μ/σ). */
function normalShortfall(mean: number, sd: number): number {
  const z = mean / sd;
  return sd * (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) - mean * normalCdf(-z);
}

/**
 * GrowthBook's Bayesian engine for means (and ratios, CUPED): the effect (relative by default,
 * or absolute) is taken as Gaussian with the frequentist estimate and standard error
 * (`compareMeans`' output), updated by a normal `prior` when given (precision-weighted), else
 * with a flat prior, which leaves it as is. Chance to beat is P(effect > 0); expected losses are
 * in the effect's units.
 * @returns null when the comparison has no such effect (relative with a control of 0).
 */
export function bayesGaussian(
  comparison: Comparison,
  scale: 'relative' | 'absolute' = 'relative',
  prior: NormalPrior | null = null,
): BayesResult | null {
  const uplift = scale === 'relative' ? comparison.relative : comparison.absolute;
  if (uplift === null) return null;
  let variance = uplift.standardError ** 2;
  let mean = uplift.estimate;
  if (prior !== null) {
    const precision = 1 / prior.variance + 1 / variance;
    mean = (prior.mean / prior.variance + mean / variance) / precision;
    variance = 1 / precision;
  }
  const sd = Math.sqrt(variance);
  if (!(sd > 0)) {
    // No uncertainty left (every unit had the same value): the effect is known.
    return {
      chanceToBeatControl: mean > 0 ? 1 : mean < 0 ? 0 : 0.5,
      expectedLoss: Math.max(0, -mean),
      controlExpectedLoss: Math.max(0, mean),
    };
  }
  return {
    chanceToBeatControl: normalCdf(mean / sd),
    expectedLoss: normalShortfall(mean, sd),
    controlExpectedLoss: normalShortfall(-mean, sd),
  };
}
