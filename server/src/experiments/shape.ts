/**
 * Experiment results from per-variant sufficient statistics: pure, no I/O. Every defined variant
 * is in every list (with zeros when the SQL returned no row for it), in the definition's order,
 * the control first among the comparisons' references. The statistics are `stats/`'s.
 */
import type { ExperimentDefinition, ExperimentResult, ExperimentVariantResult } from '@funnelhouse/schemas';
import { bayesGaussian, bayesProportions } from '../stats/bayes.ts';
import type { Comparison } from '../stats/compare.ts';
import { symmetricInterval } from '../stats/compare.ts';
import { criticalValue } from '../stats/distributions.ts';
import { compareMeans, summarizeMean } from '../stats/means.ts';
import { holmAdjust } from '../stats/multiple.ts';
import { compareProportions, summarizeProportion } from '../stats/proportions.ts';
import { compareRatios, type RatioSums, ratioEstimate } from '../stats/ratio.ts';
import { checkSampleRatio } from '../stats/srm.ts';
import type { Interval } from '../stats/wilson.ts';
import type { ConversionSumsRow } from './queries/getConversionSums.ts';
import type { ExposureCountRow } from './queries/getExposureCounts.ts';
import type { MeanSumsRow } from './queries/getMeanSums.ts';
import type { RatioSumsRow } from './queries/getRatioSums.ts';

/** What the SQL returned for one metric, tagged by the kind of sums. */
export type MetricSums =
  | { sums: 'proportion'; rows: ConversionSumsRow[] }
  | { sums: 'mean'; rows: MeanSumsRow[] }
  | { sums: 'ratio'; rows: RatioSumsRow[] };

/** One variant's read-out before multiple-testing correction. */
interface Read {
  row: Omit<ExperimentVariantResult, 'comparison'>;
  comparison: Comparison | null;
  chance: number | null;
}

const out = (i: Interval) => ({ low: i.low, high: i.high });

function upliftOf(c: Comparison) {
  return {
    absolute: { estimate: c.absolute.estimate, interval: out(c.absolute.interval) },
    relative: c.relative ? { estimate: c.relative.estimate, interval: out(c.relative.interval) } : null,
  };
}

/** Chance to beat for means and ratios: P(absolute uplift > 0), Gaussian, flat prior. */
const gaussianChance = (c: Comparison | null) =>
  c ? (bayesGaussian(c, 'absolute')?.chanceToBeatControl ?? null) : null;

function readProportions(variants: string[], control: string, rows: ConversionSumsRow[]): Read[] {
  const get = (v: string) => {
    const r = rows.find((x) => x.variant === v);
    return { n: r?.n ?? 0, conversions: r?.conversions ?? 0 };
  };
  const c = get(control);
  return variants.map((v) => {
    const s = get(v);
    const summary = summarizeProportion(s);
    const comparison = v === control ? null : compareProportions(c, s);
    const chance = comparison ? bayesProportions(c, s).chanceToBeatControl : null;
    return {
      row: {
        variant: v,
        units: s.n,
        sums: { conversions: s.conversions },
        value: summary?.rate ?? null,
        interval: summary ? out(summary.interval) : null,
      },
      comparison,
      chance,
    };
  });
}

function readMeans(variants: string[], control: string, rows: MeanSumsRow[]): Read[] {
  const get = (v: string) => {
    const r = rows.find((x) => x.variant === v);
    return { n: r?.n ?? 0, sum: r?.sum ?? 0, sumSq: r?.sum_sq ?? 0 };
  };
  const c = summarizeMean(get(control));
  return variants.map((v) => {
    const s = get(v);
    const summary = summarizeMean(s);
    const comparison = v === control || !c || !summary ? null : compareMeans(c, summary);
    return {
      row: {
        variant: v,
        units: s.n,
        sums: { sum: s.sum, sum_sq: s.sumSq },
        value: summary?.value ?? null,
        interval: summary ? out(summary.interval) : null,
      },
      comparison,
      chance: gaussianChance(comparison),
    };
  });
}

function readRatios(variants: string[], control: string, rows: RatioSumsRow[]): Read[] {
  const get = (v: string): RatioSums => {
    const r = rows.find((x) => x.variant === v);
    return {
      n: r?.n ?? 0,
      sumX: r?.sum_x ?? 0,
      sumY: r?.sum_y ?? 0,
      sumXSq: r?.sum_x_sq ?? 0,
      sumYSq: r?.sum_y_sq ?? 0,
      sumXY: r?.sum_xy ?? 0,
    };
  };
  const c = get(control);
  return variants.map((v) => {
    const s = get(v);
    const e = ratioEstimate(s);
    const comparison = v === control ? null : compareRatios(c, s);
    return {
      row: {
        variant: v,
        units: s.n,
        sums: { sum_x: s.sumX, sum_y: s.sumY, sum_x_sq: s.sumXSq, sum_y_sq: s.sumYSq, sum_xy: s.sumXY },
        value: e?.value ?? null,
        interval: e ? out(symmetricInterval(e.value, Math.sqrt(e.variance), criticalValue(0.95))) : null,
      },
      comparison,
      chance: gaussianChance(comparison),
    };
  });
}

function read(variants: string[], control: string, m: MetricSums): Read[] {
  if (m.sums === 'proportion') return readProportions(variants, control, m.rows);
  if (m.sums === 'mean') return readMeans(variants, control, m.rows);
  return readRatios(variants, control, m.rows);
}

/** Exposure counts as health: units per defined variant, SRM, multiple and undefined exposures. */
export function shapeHealth(d: ExperimentDefinition, rows: readonly ExposureCountRow[]) {
  const defined = d.variants.map((v) => v.key);
  const single = rows.filter((r) => r.multiple === 0);
  const units = defined.map((k) => single.find((r) => r.variant === k)?.units ?? 0);
  const srm = checkSampleRatio(
    units,
    d.variants.map((v) => v.weight),
  );
  return {
    variants: d.variants.map((v, i) => ({ key: v.key, weight: v.weight, units: units[i] ?? 0 })),
    health: {
      srm: { checked: srm.checked, p_value: srm.pValue, mismatch: srm.mismatch },
      multiple_exposures: rows.filter((r) => r.multiple === 1).reduce((n, r) => n + r.units, 0),
      undefined_variants: single
        .filter((r) => !defined.includes(r.variant))
        .map((r) => ({ variant: r.variant, units: r.units })),
    },
  };
}

/**
 * The answer's variants, health and metrics (primary first, then the secondaries in order). The
 * Holm correction runs over every comparison that has a p-value, treatments × metrics.
 */
export function shapeExperiment(
  d: ExperimentDefinition,
  exposures: readonly ExposureCountRow[],
  sums: readonly MetricSums[],
): Pick<ExperimentResult, 'control' | 'variants' | 'health' | 'metrics'> {
  const variants = d.variants.map((v) => v.key);
  const metrics = [d.primary_metric, ...(d.secondary_metrics ?? [])];
  const reads = metrics.map((_, i) => read(variants, d.control, sums[i] as MetricSums));
  const pValues = reads.flatMap((r) => r.flatMap((x) => (x.comparison ? [x.comparison.pValue] : [])));
  const holm = holmAdjust(pValues);
  let next = 0;
  return {
    control: d.control,
    ...shapeHealth(d, exposures),
    metrics: metrics.map((metric, i) => ({
      role: i === 0 ? ('primary' as const) : ('secondary' as const),
      metric,
      variants: (reads[i] ?? []).map(({ row, comparison, chance }) => ({
        ...row,
        comparison: comparison
          ? {
              ...upliftOf(comparison),
              p_value: comparison.pValue,
              p_value_holm: holm[next++] ?? 1,
              chance_to_beat_control: chance ?? 0.5,
            }
          : null,
      })),
    })),
  };
}
