/**
 * Reading an experiment for one request: the exposure scope (range ∩ the experiment's dates,
 * the unit, CUPED's pre-period), one query for the exposure counts, one per metric for its
 * sufficient statistics (per segment when broken down), one for the primary metric by day when
 * the series is asked for, then the pure shaping. Every query takes the same scope, so every
 * number counts the same units.
 */
import type {
  BreakdownDimension,
  ExperimentDefinition,
  ExperimentMetric,
  ExperimentMetricResult,
  ExperimentResult,
  METRIC_ROLES,
} from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import type { SiteRange } from '../sql/range.ts';
import { getExperimentSums, type UndefinedRest } from './queries/getExperimentSums.ts';
import {
  exposureCounts,
  type MetricSums,
  type Role,
  type ShapeOptions,
  shapeBreakdown,
  shapeHealth,
  shapeMetrics,
  shapeOverTime,
  shapePlanning,
} from './shape.ts';
import type { ExposureScope, Segment } from './units-sql.ts';
import { sumsKind } from './values-sql.ts';
import { experimentVerdict } from './verdict.ts';

const DAY_MS = 86_400_000;
/** Total units where the confidence sequence is tightest by default (GrowthBook's default too). */
export const SEQUENTIAL_TUNING = 5000;

/** The range within the experiment's dates; an empty intersection is an empty window, not an error. */
export function exposureScope(d: ExperimentDefinition, range: SiteRange): ExposureScope {
  const start = d.start_at ? Date.parse(d.start_at) : range.fromMs;
  const end = d.end_at ? Date.parse(d.end_at) : range.toMs;
  const exposedFromMs = Math.max(range.fromMs, start);
  return {
    range,
    key: d.key,
    exposedFromMs,
    exposedToMs: Math.max(exposedFromMs, Math.min(range.toMs, end)),
    unit: d.unit ?? 'visitor',
    variants: d.variants.map((v) => v.key),
  };
}

/** The sufficient statistics of `metrics`, from one query, split per metric. */
export async function metricSums(
  store: Store,
  s: ExposureScope,
  metrics: readonly ExperimentMetric[],
  trace?: Trace,
): Promise<{ sums: MetricSums[]; undefinedRest: UndefinedRest }> {
  if (metrics.length === 0) return { sums: [], undefinedRest: { variants: 0, units: 0 } };
  const { rows, undefinedRest } = await getExperimentSums(store, s, metrics, trace);
  const sums = metrics.map((m, i) => ({ kind: sumsKind(m), rows: rows.filter((r) => r.metric === i) }));
  return { sums, undefinedRest };
}

export interface RunOptions {
  roles?: (typeof METRIC_ROLES)[number][] | undefined;
  cupedDays?: number | undefined;
  /** Sequential (always-valid) statistics in the answer's metrics. */
  sequential?: boolean | undefined;
  /** Total units where the confidence sequence is tightest (the verdict's sequential test too). */
  sequentialTuning?: number | undefined;
  breakdown?: { dimension: BreakdownDimension; limit: number } | undefined;
  overTime?: boolean | undefined;
  /** The clock, for the pace of exposures (tests pass their own). */
  now?: number | undefined;
}

/** The metrics of a definition with their roles, those of the asked roles only. */
function selected(d: ExperimentDefinition, roles: RunOptions['roles']) {
  const all: { role: Role; metric: ExperimentMetric }[] = [
    { role: 'primary', metric: d.primary_metric },
    ...(d.secondary_metrics ?? []).map((metric) => ({ role: 'secondary' as const, metric })),
    ...(d.guardrail_metrics ?? []).map((metric) => ({ role: 'guardrail' as const, metric })),
  ];
  return roles ? all.filter((m) => roles.includes(m.role)) : all;
}

/**
 * Every number of the results answer. Queries run one after another: a request holds one
 * reports connection at a time, so one experiment cannot take the whole pool.
 */
export async function runExperiment(
  store: Store,
  d: ExperimentDefinition,
  range: SiteRange,
  options: RunOptions = {},
  trace?: Trace,
): Promise<Omit<ExperimentResult, 'site_id' | 'experiment_key' | 'from' | 'to' | 'tz' | 'explain'>> {
  const base = exposureScope(d, range);
  const tuning = options.sequentialTuning ?? SEQUENTIAL_TUNING;
  const o: ShapeOptions = {
    cuped: options.cupedDays ? { days: options.cupedDays } : null,
    sequential: options.sequential ? { tuning } : null,
  };
  const scope: ExposureScope = { ...base, preMs: (options.cupedDays ?? 0) * DAY_MS };
  // The primary metric always drives the plan and the verdict: read even when not chosen.
  const chosen = selected(d, options.roles);
  const withPrimary = chosen.some((m) => m.role === 'primary')
    ? chosen
    : [{ role: 'primary' as const, metric: d.primary_metric }, ...chosen];
  let undefinedRest: UndefinedRest = { variants: 0, units: 0 };
  const read = async (segment: Segment) => {
    const list = withPrimary.map((m) => m.metric);
    const got = await metricSums(store, { ...scope, segment }, list, trace);
    if (segment.by === 'none') undefinedRest = got.undefinedRest;
    return withPrimary.map((m, i) => ({ ...m, sums: got.sums[i] as MetricSums }));
  };
  const shown = <T>(xs: T[]) => (withPrimary === chosen ? xs : xs.slice(1));
  const plain = await read({ by: 'none' });
  const exposures = exposureCounts(plain[0]?.sums.rows ?? []);
  const all = shapeMetrics(d, plain, o);
  const primaryResult = all.find((m) => m.role === 'primary') as ExperimentMetricResult;
  const metrics = shown(all);
  const { variants, health } = shapeHealth(d, exposures, undefinedRest);
  const endMs = Math.min(range.toMs, options.now ?? Date.now());
  const planning = shapePlanning(d, primaryResult, exposures, endMs);
  // The verdict reads the primary metric both ways, whatever the view asked (no CUPED).
  const primarySums = plain.filter((m) => m.role === 'primary');
  const [fixed] = shapeMetrics(d, primarySums, { cuped: null, sequential: null });
  const [sequential] = shapeMetrics(d, primarySums, { cuped: null, sequential: { tuning } });
  const answer: Awaited<ReturnType<typeof runExperiment>> = {
    unit: d.unit ?? 'visitor',
    control: d.control,
    variants,
    health,
    verdict: experimentVerdict({ definition: d, variants, health, planning, fixed, sequential }),
    metrics,
    planning,
  };
  if (options.overTime) {
    const {
      sums: [sums],
    } = await metricSums(store, { ...scope, segment: { by: 'day' } }, [d.primary_metric], trace);
    if (sums) answer.over_time = shapeOverTime(d, d.primary_metric, sums, o);
  }
  if (options.breakdown) {
    const { dimension, limit } = options.breakdown;
    const rows = await read({ by: 'dimension', dimension });
    answer.breakdown = {
      dimension: dimension as Record<string, string>,
      ...shapeBreakdown(d, rows, o, limit),
    };
  }
  return answer;
}
