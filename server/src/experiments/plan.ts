/**
 * The planning question without data: units per variant to detect a relative change of a
 * baseline rate (normal approximation on Cohen's h, as statsmodels `NormalIndPower` with
 * `proportion_effectsize`) or of a mean with a unit's standard deviation (a two-sample z
 * approximation), and the days at a given pace with an even split. Pure.
 */
import type { ExperimentPlan, ExperimentPlanQuery } from '@funnelhouse/schemas';
import { daysToReach, meanSampleSize, proportionSampleSize } from '../stats/planning.ts';

export function planExperiment(q: ExperimentPlanQuery): ExperimentPlan {
  const alpha = q.alpha ?? 0.05;
  const power = q.power ?? 0.8;
  const variants = q.variants ?? 2;
  const perVariant =
    q.baseline_rate !== undefined
      ? proportionSampleSize({ baseline: q.baseline_rate, mde: q.mde_relative, relative: true, alpha, power })
      : meanSampleSize({ sd: q.sd ?? 1, mde: Math.abs(q.baseline_mean ?? 0) * q.mde_relative, alpha, power });
  const days =
    q.daily_units === undefined
      ? null
      : daysToReach(
          perVariant,
          q.daily_units,
          Array.from({ length: variants }, () => 1),
        );
  const method =
    q.baseline_rate !== undefined
      ? `Two-sided test of two proportions at α = ${alpha}, power ${power}: the effect as Cohen's h between ${q.baseline_rate} and ${q.baseline_rate} × (1 + ${q.mde_relative}), normal approximation.`
      : `Two-sided test of two means at α = ${alpha}, power ${power}: effect ${q.mde_relative} × |mean| over the unit's standard deviation, normal approximation.`;
  return {
    needed_per_variant: perVariant,
    needed_total: perVariant * variants,
    days: days !== null && Number.isFinite(days) ? days : null,
    method,
  };
}
