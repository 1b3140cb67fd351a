/**
 * One metric's statistics per variant from its sufficient statistics: pure, no I/O. Every defined
 * variant is read (with zeros when the SQL returned no row for it), in the definition's order.
 * The statistics are `stats/`'s; this file only chooses which apply:
 *
 * - fixed horizon (default): Wilson interval and pooled z-test for rates, t interval and Welch
 *   for means, delta method and z-test for ratios;
 * - CUPED: means and rates adjusted by the pre-period covariate (`cupedAdjust`), compared with a
 *   z-test (not for ratios: their covariate would need a second ratio);
 * - sequential: the same estimates, with the asymptotic confidence sequence in place of the
 *   fixed interval and its always-valid p-value (relative uplift: the delta-method variance in
 *   the same sequence);
 * - Bayesian: Beta(1, 1) posteriors for plain rates; otherwise a Gaussian on the absolute uplift
 *   with a flat prior (GrowthBook's default) from the fixed-horizon comparison.
 */
import { bayesGaussian, bayesProportions } from '../stats/bayes.ts';
import {
  type Comparison,
  compareEstimates,
  type Estimate,
  relativeVariance,
  symmetricInterval,
} from '../stats/compare.ts';
import { cupedAdjust } from '../stats/cuped.ts';
import { criticalValue } from '../stats/distributions.ts';
import { compareMeans, summarizeMean } from '../stats/means.ts';
import { compareProportions, proportionEstimate, summarizeProportion } from '../stats/proportions.ts';
import { compareRatios, type RatioSums, ratioEstimate } from '../stats/ratio.ts';
import { compareSequential, confidenceSequenceHalfWidth, sequentialRho } from '../stats/sequential.ts';
import type { Interval } from '../stats/wilson.ts';

/** A variant's sums as the queries give them (funnel steps as a rate: Σy = reached). */
export interface VariantSums {
  n: number;
  sumY: number;
  sumYSq: number;
  sumZ: number;
  sumZSq: number;
  sumYZ: number;
}

export const NO_SUMS: VariantSums = { n: 0, sumY: 0, sumYSq: 0, sumZ: 0, sumZSq: 0, sumYZ: 0 };

export type SumsKind = 'proportion' | 'mean' | 'ratio';

export interface ReadOptions {
  /** CUPED requested (applies to rates and means). */
  cuped: boolean;
  /** Sequential intervals, tightest at `tuning` total units. */
  sequential: { tuning: number } | null;
  direction: 'increase' | 'decrease';
}

/** One variant's read-out; `p` feeds the multiple-testing correction. */
export interface VariantRead {
  variant: string;
  units: number;
  sums:
    | { conversions: number }
    | { sum: number; sum_sq: number }
    | { sum_x: number; sum_y: number; sum_x_sq: number; sum_y_sq: number; sum_xy: number };
  value: number | null;
  interval: Interval | null;
  comparison: {
    absolute: { estimate: number; interval: Interval };
    relative: { estimate: number; interval: Interval } | null;
    p_value: number;
    chance_to_beat_control: number;
    expected_loss: number;
  } | null;
}

export interface MetricRead {
  variants: VariantRead[];
  /** Null when CUPED was not asked for. */
  cuped: { applied: boolean; reason?: string; theta: number | null; varianceReduction: number | null } | null;
}

const ratioSums = (s: VariantSums): RatioSums => ({
  n: s.n,
  sumX: s.sumY,
  sumY: s.sumZ,
  sumXSq: s.sumYSq,
  sumYSq: s.sumZSq,
  sumXY: s.sumYZ,
});

const sumsOut = (kind: SumsKind, s: VariantSums): VariantRead['sums'] =>
  kind === 'proportion'
    ? { conversions: s.sumY }
    : kind === 'mean'
      ? { sum: s.sumY, sum_sq: s.sumYSq }
      : { sum_x: s.sumY, sum_y: s.sumZ, sum_x_sq: s.sumYSq, sum_y_sq: s.sumZSq, sum_xy: s.sumYZ };

/** The plain estimate and its shown interval (Wilson, t, or delta-method normal). */
function plain(kind: SumsKind, s: VariantSums): { estimate: Estimate; interval: Interval } | null {
  if (kind === 'proportion') {
    const summary = summarizeProportion({ n: s.n, conversions: s.sumY });
    return summary
      ? { estimate: proportionEstimate({ n: s.n, conversions: s.sumY }), interval: summary.interval }
      : null;
  }
  if (kind === 'mean') {
    const summary = summarizeMean({ n: s.n, sum: s.sumY, sumSq: s.sumYSq });
    return summary ? { estimate: summary, interval: summary.interval } : null;
  }
  const e = ratioEstimate(ratioSums(s));
  return e
    ? { estimate: e, interval: symmetricInterval(e.value, Math.sqrt(e.variance), criticalValue(0.95)) }
    : null;
}

/** The fixed-horizon comparison of plain estimates, kind by kind. */
function fixedComparison(kind: SumsKind, c: VariantSums, t: VariantSums): Comparison | null {
  if (kind === 'proportion') {
    return compareProportions({ n: c.n, conversions: c.sumY }, { n: t.n, conversions: t.sumY });
  }
  if (kind === 'mean') {
    const a = summarizeMean({ n: c.n, sum: c.sumY, sumSq: c.sumYSq });
    const b = summarizeMean({ n: t.n, sum: t.sumY, sumSq: t.sumYSq });
    return a && b ? compareMeans(a, b) : null;
  }
  return compareRatios(ratioSums(c), ratioSums(t));
}

/** The sequential version of a comparison: same estimates, confidence-sequence intervals and p. */
function sequentialComparison(c: Estimate, t: Estimate, tuning: number) {
  const seq = compareSequential(c, t, { plannedN: tuning });
  let relative: { estimate: number; interval: Interval } | null = null;
  if (c.value !== 0) {
    const estimate = t.value / c.value - 1;
    const alpha = 0.05;
    const half = confidenceSequenceHalfWidth(
      relativeVariance(c, t),
      c.n + t.n,
      sequentialRho(alpha, tuning),
      alpha,
    );
    relative = { estimate, interval: { low: estimate - half, high: estimate + half } };
  }
  return {
    absolute: { estimate: seq.absolute.estimate, interval: seq.absolute.interval },
    relative,
    pValue: seq.pValue,
  };
}

/** Chance to beat and expected loss in the metric's direction. */
function bayes(
  kind: SumsKind,
  adjusted: boolean,
  c: VariantSums,
  t: VariantSums,
  fixed: Comparison,
  direction: ReadOptions['direction'],
) {
  const r =
    kind === 'proportion' && !adjusted
      ? bayesProportions({ n: c.n, conversions: c.sumY }, { n: t.n, conversions: t.sumY })
      : bayesGaussian(fixed, 'absolute');
  if (!r) return { chance: 0.5, loss: 0 };
  return direction === 'increase'
    ? { chance: r.chanceToBeatControl, loss: r.expectedLoss }
    : { chance: 1 - r.chanceToBeatControl, loss: r.controlExpectedLoss };
}

const out = (i: Interval): Interval => ({ low: i.low, high: i.high });

/** Every variant of one metric (or one funnel step) against `control`. */
export function readMetric(
  kind: SumsKind,
  variants: readonly string[],
  control: string,
  sums: ReadonlyMap<string, VariantSums>,
  options: ReadOptions,
): MetricRead {
  const get = (v: string) => sums.get(v) ?? NO_SUMS;
  const plains = new Map(variants.map((v) => [v, plain(kind, get(v))]));
  // CUPED: one θ over the defined variants; every variant needs 2 units.
  let cuped: MetricRead['cuped'] = null;
  let adjusted: Map<string, { estimate: Estimate; interval: Interval }> | null = null;
  if (options.cuped) {
    const fit =
      kind === 'ratio'
        ? null
        : cupedAdjust(
            variants.map((v) => {
              const s = get(v);
              return {
                n: s.n,
                sumY: s.sumY,
                sumYSq: s.sumYSq,
                sumX: s.sumZ,
                sumXSq: s.sumZSq,
                sumXY: s.sumYZ,
              };
            }),
          );
    if (fit) {
      const z = criticalValue(0.95);
      adjusted = new Map(
        variants.map((v, i) => {
          const e = fit.estimates[i] as Estimate;
          return [v, { estimate: e, interval: symmetricInterval(e.value, Math.sqrt(e.variance), z) }];
        }),
      );
      const ci = variants.indexOf(control);
      cuped = {
        applied: true,
        theta: fit.theta,
        varianceReduction: fit.estimates[ci]?.varianceReduction ?? null,
      };
    } else {
      cuped = {
        applied: false,
        reason: kind === 'ratio' ? 'not_for_ratio_metrics' : 'too_few_units',
        theta: null,
        varianceReduction: null,
      };
    }
  }
  const shown = (v: string) => (adjusted ? adjusted.get(v) : plains.get(v)) ?? null;
  const c = shown(control);
  return {
    cuped,
    variants: variants.map((v): VariantRead => {
      const s = get(v);
      const mine = shown(v);
      let comparison: VariantRead['comparison'] = null;
      if (v !== control && c && mine) {
        const fixed = adjusted
          ? compareEstimates(c.estimate, mine.estimate)
          : fixedComparison(kind, get(control), s);
        if (fixed) {
          const seq = options.sequential
            ? sequentialComparison(c.estimate, mine.estimate, options.sequential.tuning)
            : null;
          const b = bayes(kind, adjusted !== null, get(control), s, fixed, options.direction);
          comparison = {
            absolute: seq
              ? seq.absolute
              : { estimate: fixed.absolute.estimate, interval: out(fixed.absolute.interval) },
            relative: seq
              ? seq.relative
              : fixed.relative
                ? { estimate: fixed.relative.estimate, interval: out(fixed.relative.interval) }
                : null,
            p_value: seq ? seq.pValue : fixed.pValue,
            chance_to_beat_control: b.chance,
            expected_loss: b.loss,
          };
        }
      }
      return {
        variant: v,
        units: s.n,
        sums: sumsOut(kind, s),
        value: mine?.estimate.value ?? null,
        interval: mine ? out(mine.interval) : null,
        comparison,
      };
    }),
  };
}
