/**
 * The results answer from what the queries returned: pure, no I/O. Health (SRM, multiple and
 * undefined exposures, sample size), every metric by `read.ts`, Holm's correction within each
 * role (the primary metric's treatments; the secondaries together; the guardrails together),
 * the guardrail flags, the planning figures, and the optional cumulative series and breakdown
 * (the verdict is `verdict.ts`'s).
 */
import type {
  ExperimentDefinition,
  ExperimentMetric,
  ExperimentMetricResult,
  ExperimentResult,
} from '@funnelhouse/schemas';
import { holmAdjust } from '../stats/multiple.ts';
import { daysToReach, meanSampleSize, proportionSampleSize } from '../stats/planning.ts';
import { checkSampleRatio } from '../stats/srm.ts';
import type { MoneyFacts } from './money.ts';
import type { MetricSumsRow, UndefinedRest } from './queries/getExperimentSums.ts';
import {
  type MetricRead,
  NO_SUMS,
  type ReadOptions,
  readMetric,
  type SumsKind,
  type VariantSums,
} from './read.ts';

/** What the SQL returned for one metric, tagged by how it is read. */
export interface MetricSums {
  kind: SumsKind | 'funnel';
  rows: MetricSumsRow[];
  /** Money metrics: the unit of their numbers and the currencies read (`money.ts`). */
  money?: MoneyFacts | null | undefined;
}

/** Money metrics whose amounts came in several currencies without rates: the one read. */
export type MixedCurrencies = ExperimentResult['health']['mixed_currencies'];

export type Role = ExperimentMetricResult['role'];

/** Exposed units per variant value (`multiple` = 1: in more than one variant), with their entry span. */
export interface ExposureCountRow {
  multiple: number;
  variant: string;
  units: number;
  first_ms: number;
  last_ms: number;
}

/** The exposure counts, from any one metric's rows (every exposed unit is in each metric's rows). */
export function exposureCounts(rows: readonly MetricSumsRow[]): ExposureCountRow[] {
  const out = new Map<string, ExposureCountRow>();
  for (const r of rows) {
    const k = `${r.multiple}\u0000${r.variant}`;
    const seen = out.get(k);
    if (!seen)
      out.set(k, {
        multiple: r.multiple,
        variant: r.variant,
        units: r.n,
        first_ms: r.first_ms,
        last_ms: r.last_ms,
      });
    else {
      seen.units += r.n;
      seen.first_ms = Math.min(seen.first_ms, r.first_ms);
      seen.last_ms = Math.max(seen.last_ms, r.last_ms);
    }
  }
  return [...out.values()];
}

export interface ShapeOptions {
  cuped: { days: number } | null;
  sequential: { tuning: number } | null;
}

/** A variant needs this many units before its numbers are more than rough. */
export const MIN_UNITS = 100;
const ALPHA = 0.05;

const add = (a: VariantSums, b: VariantSums): VariantSums => ({
  n: a.n + b.n,
  sumY: a.sumY + b.sumY,
  sumYSq: a.sumYSq + b.sumYSq,
  sumZ: a.sumZ + b.sumZ,
  sumZSq: a.sumZSq + b.sumZSq,
  sumYZ: a.sumYZ + b.sumYZ,
});

const fromRow = (r: MetricSumsRow): VariantSums => ({
  n: r.n,
  sumY: r.sum_y,
  sumYSq: r.sum_y_sq,
  sumZ: r.sum_z,
  sumZSq: r.sum_z_sq,
  sumYZ: r.sum_yz,
});

/** Sums per variant over the rows whose segment passes `keep`. */
function byVariant(
  rows: readonly MetricSumsRow[],
  keep: (segment: string) => boolean,
): Map<string, VariantSums> {
  const m = new Map<string, VariantSums>();
  for (const r of rows) {
    if (r.multiple === 0 && keep(r.segment)) m.set(r.variant, add(m.get(r.variant) ?? NO_SUMS, fromRow(r)));
  }
  return m;
}

/** A funnel's step k (0-based) as rate sums per variant. */
function stepSums(rows: readonly MetricSumsRow[], k: number, keep: (segment: string) => boolean) {
  const m = new Map<string, VariantSums>();
  for (const r of rows) {
    if (r.multiple !== 0 || !keep(r.segment)) continue;
    const reached = r.reached[k] ?? 0;
    m.set(
      r.variant,
      add(m.get(r.variant) ?? NO_SUMS, { ...NO_SUMS, n: r.n, sumY: reached, sumYSq: reached }),
    );
  }
  return m;
}

const directionOf = (m: ExperimentMetric) => m.direction ?? 'increase';

/** One metric read before Holm: the metric's own read and, for funnels, each step's. */
interface Read {
  role: Role;
  metric: ExperimentMetric;
  main: MetricRead;
  steps: MetricRead[] | null;
  capAt: number;
  money: MoneyFacts | null;
}

function readOne(
  d: ExperimentDefinition,
  role: Role,
  metric: ExperimentMetric,
  sums: MetricSums,
  o: ShapeOptions,
  keep: (segment: string) => boolean,
): Read {
  const variants = d.variants.map((v) => v.key);
  const base: ReadOptions = {
    cuped: o.cuped !== null,
    sequential: o.sequential,
    direction: directionOf(metric),
  };
  if (sums.kind === 'funnel') {
    const count = metric.kind === 'funnel' ? metric.steps.length : 0;
    const steps = Array.from({ length: count }, (_, k) =>
      readMetric('proportion', variants, d.control, stepSums(sums.rows, k, keep), { ...base, cuped: false }),
    );
    const last = steps[steps.length - 1] as MetricRead;
    return {
      role,
      metric,
      main: o.cuped ? { ...last, cuped: notApplied('not_for_funnels') } : last,
      steps,
      capAt: 0,
      money: null,
    };
  }
  const capAt = sums.rows.reduce((a, r) => Math.max(a, r.cap_at), 0);
  return {
    role,
    metric,
    main: readMetric(sums.kind, variants, d.control, byVariant(sums.rows, keep), base),
    steps: null,
    capAt,
    money: sums.money ?? null,
  };
}

const notApplied = (reason: string): MetricRead['cuped'] => ({
  applied: false,
  reason,
  theta: null,
  varianceReduction: null,
});

function capping(metric: ExperimentMetric, capAt: number): ExperimentMetricResult['capping'] {
  if (!('cap' in metric) || metric.cap === undefined) return null;
  return typeof metric.cap === 'number'
    ? { kind: 'value', value: metric.cap }
    : { kind: 'percentile', percentile: metric.cap.percentile, value: capAt };
}

const pValues = (ms: readonly MetricRead[]) =>
  ms.flatMap((m) => m.variants.flatMap((v) => (v.comparison ? [v.comparison.p_value] : [])));

/** Holm-adjusted p-values of `ms` as one family, handed back per read in order. */
function holmPerRead(ms: readonly MetricRead[]): number[][] {
  const adjusted = holmAdjust(pValues(ms));
  let next = 0;
  return ms.map((m) => m.variants.filter((v) => v.comparison).map(() => adjusted[next++] ?? 1));
}

/** The comparison's flags once its Holm p-value is known. */
function variantsOf(m: MetricRead, ps: readonly number[], direction: 'increase' | 'decrease') {
  let next = 0;
  return m.variants.map((v) => {
    if (!v.comparison) return { ...v, comparison: null };
    const pHolm = ps[next++] ?? 1;
    const up = v.comparison.absolute.estimate > 0;
    const down = v.comparison.absolute.estimate < 0;
    return {
      ...v,
      comparison: {
        ...v.comparison,
        p_value_holm: pHolm,
        significantly_better: pHolm < ALPHA && (direction === 'increase' ? up : down),
        significantly_worse: pHolm < ALPHA && (direction === 'increase' ? down : up),
      },
    };
  });
}

/**
 * Holm within each role (a funnel counts in its role by its last step; its steps form a family
 * of their own), the flags, and the answer's metric objects.
 */
function finish(reads: readonly Read[], o: ShapeOptions): ExperimentMetricResult[] {
  const holm = new Map<Read, number[]>();
  for (const role of ['primary', 'secondary', 'guardrail'] as const) {
    const family = reads.filter((r) => r.role === role);
    const adjusted = holmPerRead(family.map((r) => r.main));
    for (const [i, r] of family.entries()) holm.set(r, adjusted[i] ?? []);
  }
  return reads.map((r) => {
    const direction = directionOf(r.metric);
    const variants = variantsOf(r.main, holm.get(r) ?? [], direction);
    const result: ExperimentMetricResult = {
      role: r.role,
      metric: r.metric,
      variants,
      capping: capping(r.metric, r.capAt),
      cuped:
        r.main.cuped && o.cuped
          ? {
              applied: r.main.cuped.applied,
              ...(r.main.cuped.reason ? { reason: r.main.cuped.reason } : {}),
              pre_period_days: o.cuped.days,
              theta: r.main.cuped.theta,
              variance_reduction: r.main.cuped.varianceReduction,
            }
          : null,
      sequential: o.sequential !== null,
      currency: r.money?.currency ?? null,
      currencies: r.money?.currencies ?? [],
      missing_rates: r.money?.missing_rates ?? [],
      flagged: r.role === 'guardrail' && variants.some((v) => v.comparison?.significantly_worse === true),
    };
    if (r.steps && r.metric.kind === 'funnel') {
      const labels = r.metric.steps.map((s) => s.label);
      const stepHolm = holmPerRead(r.steps);
      result.steps = r.steps.map((m, k) => ({
        step: k + 1,
        ...(labels[k] !== undefined ? { label: labels[k] } : {}),
        variants: variantsOf(m, stepHolm[k] ?? [], direction),
      }));
    }
    return result;
  });
}

/** Every metric of the answer, from the sums of the rows whose segment passes `keep`. */
export function shapeMetrics(
  d: ExperimentDefinition,
  metrics: readonly { role: Role; metric: ExperimentMetric; sums: MetricSums }[],
  o: ShapeOptions,
  keep: (segment: string) => boolean = () => true,
): ExperimentMetricResult[] {
  return finish(
    metrics.map((m) => readOne(d, m.role, m.metric, m.sums, o, keep)),
    o,
  );
}

/**
 * Exposure counts as health: units per defined variant, SRM, multiple and undefined exposures.
 * `rest`: the undefined variants the query left out (it returns the largest only), counted;
 * `mixed`: money metrics read on one of several currencies (no rates).
 */
export function shapeHealth(
  d: ExperimentDefinition,
  rows: readonly ExposureCountRow[],
  rest: UndefinedRest = { variants: 0, units: 0 },
  mixed: MixedCurrencies = [],
) {
  const defined = d.variants.map((v) => v.key);
  const single = rows.filter((r) => r.multiple === 0);
  const units = defined.map((k) => single.find((r) => r.variant === k)?.units ?? 0);
  const srm = checkSampleRatio(
    units,
    d.variants.map((v) => v.weight),
  );
  const multiple = rows.filter((r) => r.multiple === 1).reduce((n, r) => n + r.units, 0);
  const all = rows.reduce((n, r) => n + r.units, rest.units);
  const undefinedVariants = single
    .filter((r) => !defined.includes(r.variant))
    .map((r) => ({ variant: r.variant, units: r.units }))
    .sort((a, b) => b.units - a.units || (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0));
  const lowSample = units.some((u) => u < MIN_UNITS);
  const warnings: ExperimentResult['health']['warnings'] = [];
  if (srm.mismatch) warnings.push('srm');
  if (multiple > 0) warnings.push('multiple_exposures');
  if (undefinedVariants.length > 0) warnings.push('undefined_variants');
  if (lowSample) warnings.push('low_sample');
  if (mixed.length > 0) warnings.push('mixed_currencies');
  return {
    variants: d.variants.map((v, i) => ({ key: v.key, weight: v.weight, units: units[i] ?? 0 })),
    health: {
      srm: { checked: srm.checked, p_value: srm.pValue, mismatch: srm.mismatch },
      multiple_exposures: multiple,
      multiple_exposure_share: all > 0 ? multiple / all : 0,
      undefined_variants: undefinedVariants,
      undefined_variants_more: rest.variants,
      low_sample: lowSample,
      mixed_currencies: [...mixed],
      warnings,
    },
  };
}

/** Each variant's share of the counted units (null while none) and its weight's share of the weights. */
export function shapeSplit(
  variants: readonly { key: string; weight: number; units: number }[],
): ExperimentResult['split'] {
  const units = variants.reduce((n, v) => n + v.units, 0);
  const weights = variants.reduce((n, v) => n + v.weight, 0);
  return {
    units,
    variants: variants.map((v) => ({
      key: v.key,
      share: units > 0 ? v.units / units : null,
      planned_share: v.weight / weights,
    })),
  };
}

const DAY_MS = 86_400_000;

/**
 * Sample size for the primary metric at the definition's plan (10 % relative MDE, α 0.05, power
 * 0.8 by default) from the control's observed value and spread, and the days left at the
 * observed pace: counted units per day since the first entry (to the range's end or now).
 */
export function shapePlanning(
  d: ExperimentDefinition,
  primary: ExperimentMetricResult,
  exposures: readonly ExposureCountRow[],
  endMs: number,
): ExperimentResult['planning'] {
  const mde = d.plan?.mde_relative ?? 0.1;
  const alpha = d.plan?.alpha ?? 0.05;
  const power = d.plan?.power ?? 0.8;
  const defined = d.variants.map((v) => v.key);
  const counted = exposures.filter((r) => r.multiple === 0 && defined.includes(r.variant));
  const units = defined.map((k) => counted.find((r) => r.variant === k)?.units ?? 0);
  const total = units.reduce((a, b) => a + b, 0);
  const first = counted.length ? Math.min(...counted.map((r) => r.first_ms)) : null;
  const days = first === null ? 0 : Math.max(1, (endMs - first) / DAY_MS);
  const daily = days > 0 ? total / days : 0;
  const control = primary.variants.find((v) => v.variant === d.control);
  const baseline = control?.value ?? null;
  let needed: number | null = null;
  if (control && baseline !== null && baseline !== 0) {
    if ('conversions' in control.sums) {
      if (baseline > 0 && baseline < 1 && baseline * (1 + mde) < 1) {
        needed = proportionSampleSize({ baseline, mde, relative: true, alpha, power });
      }
    } else if (control.interval && control.units > 1) {
      // The unit's spread from the interval's half-width: se·√n (t or normal critical value).
      const half = (control.interval.high - control.interval.low) / 2;
      const sd = (half / 1.959963984540054) * Math.sqrt(control.units);
      if (sd > 0) needed = meanSampleSize({ sd, mde: Math.abs(baseline) * mde, alpha, power });
    }
  }
  const smallest = units.length ? Math.min(...units) : 0;
  const weights = d.variants.map((v) => v.weight);
  const remaining =
    needed === null
      ? null
      : smallest >= needed
        ? 0
        : Number.isFinite(daysToReach(needed - smallest, daily, weights))
          ? daysToReach(needed - smallest, daily, weights)
          : null;
  return {
    baseline,
    mde_relative: mde,
    alpha,
    power,
    needed_per_variant: needed,
    smallest_variant_units: smallest,
    daily_units: daily,
    days_remaining: remaining,
  };
}

/**
 * The primary metric cumulated by day of first exposure: on each day, every unit entered up to
 * it (rows of one metric grouped by day).
 */
export function shapeOverTime(
  d: ExperimentDefinition,
  metric: ExperimentMetric,
  sums: MetricSums,
  o: ShapeOptions,
): NonNullable<ExperimentResult['over_time']> {
  const days = [...new Set(sums.rows.filter((r) => r.multiple === 0).map((r) => r.segment))].sort();
  return days.map((day) => {
    const [m] = shapeMetrics(d, [{ role: 'primary', metric, sums }], o, (s) => s <= day);
    return { day, variants: m?.variants ?? [] };
  });
}

/**
 * Results per segment value: the values with the most counted units (in the first metric's rows)
 * first, at most `limit`; the others are counted in `omitted`, never folded into an "other".
 */
export function shapeBreakdown(
  d: ExperimentDefinition,
  metrics: readonly { role: Role; metric: ExperimentMetric; sums: MetricSums }[],
  o: ShapeOptions,
  limit: number,
) {
  const units = new Map<string, number>();
  for (const r of metrics[0]?.sums.rows ?? []) {
    if (r.multiple === 0) units.set(r.segment, (units.get(r.segment) ?? 0) + r.n);
  }
  const ranked = [...units].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    segments: ranked.slice(0, limit).map(([value, n]) => ({
      value,
      units: n,
      metrics: shapeMetrics(d, metrics, o, (s) => s === value),
    })),
    omitted: Math.max(0, ranked.length - limit),
  };
}
