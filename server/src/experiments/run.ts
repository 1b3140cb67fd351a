/**
 * Reading an experiment for one request: the exposure scope (range ∩ the experiment's dates,
 * the unit, CUPED's pre-period), one query for the exposure counts, one per metric for its
 * sufficient statistics (per segment when broken down), one for the primary metric by day when
 * the series is asked for, then the pure shaping. Every query takes the same scope, so every
 * number counts the same units.
 */
import type {
  BreakdownDimension,
  CurrencyRates,
  ExperimentDefinition,
  ExperimentMetric,
  ExperimentMetricResult,
  ExperimentResult,
  METRIC_ROLES,
} from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import type { SiteRange } from '../sql/range.ts';
import { isMoneyMetric, type MoneyReading, moneyFacts, readingFor } from './money.ts';
import {
  getExperimentSums,
  type MetricSumsRow,
  rowsInCurrency,
  type UndefinedRest,
} from './queries/getExperimentSums.ts';
import {
  exposureCounts,
  type MetricSums,
  type MixedCurrencies,
  type Role,
  type ShapeOptions,
  shapeBreakdown,
  shapeHealth,
  shapeMetrics,
  shapeOverTime,
  shapePlanning,
  shapeSplit,
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

/** A money metric's amounts per currency in the counted units (one defined variant each). */
export function currencyCounts(rows: readonly MetricSumsRow[], variants?: readonly string[]) {
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (r.multiple !== 0 || (variants && !variants.includes(r.variant))) continue;
    for (const [c, n] of Object.entries(r.currencies)) counts.set(c, (counts.get(c) ?? 0) + n);
  }
  return counts;
}

/**
 * The first read's rows with each `one_currency` metric's sums taken from its per-currency sums
 * (`MetricSumsRow.in_currency`): what reading again with `readings` would give. Null when some
 * such metric's rows carry none (a percentile cap): then the query runs again.
 */
function readInCurrencies(
  got: Awaited<ReturnType<typeof getExperimentSums>>,
  readings: readonly (MoneyReading | undefined)[],
): Awaited<ReturnType<typeof getExperimentSums>> | null {
  const rows: MetricSumsRow[] = [];
  for (const [i, reading] of readings.entries()) {
    const own = got.rows.filter((r) => r.metric === i);
    const read = reading?.kind === 'one_currency' ? rowsInCurrency(own, reading.currency) : own;
    if (!read) return null;
    rows.push(...read);
  }
  return { rows, undefinedRest: got.undefinedRest };
}

/**
 * The sufficient statistics of `metrics`, from one query, split per metric, each money metric's
 * amounts read as `readings` says. Without readings (`undefined`), they are chosen (`money.ts`):
 * converted at `rates`; without rates, as recorded, and when some money metric's amounts turn
 * out to be in more than one currency that metric is read on its top currency only: from the
 * per-currency sums the first read carries, or (a percentile cap, which is of that currency's
 * values) by running the query once more. The readings used come back, for the other reads of the same request.
 */
export async function metricSums(
  store: Store,
  s: ExposureScope,
  metrics: readonly ExperimentMetric[],
  trace?: Trace,
  money: { rates?: CurrencyRates | undefined; readings?: (MoneyReading | undefined)[] } = {},
): Promise<{ sums: MetricSums[]; undefinedRest: UndefinedRest; readings: (MoneyReading | undefined)[] }> {
  if (metrics.length === 0) return { sums: [], undefinedRest: { variants: 0, units: 0 }, readings: [] };
  const first: (MoneyReading | undefined)[] =
    money.readings ??
    metrics.map((m) =>
      isMoneyMetric(m)
        ? money.rates
          ? { kind: 'converted', rates: money.rates }
          : { kind: 'as_recorded' }
        : undefined,
    );
  let got = await getExperimentSums(store, s, metrics, trace, first);
  const rowsOf = (i: number) => got.rows.filter((r) => r.metric === i);
  let readings = first;
  if (!money.readings) {
    readings = metrics.map((m, i) =>
      isMoneyMetric(m) ? readingFor(currencyCounts(rowsOf(i), s.variants), money.rates) : undefined,
    );
    if (readings.some((r) => r?.kind === 'one_currency'))
      got = readInCurrencies(got, readings) ?? (await getExperimentSums(store, s, metrics, trace, readings));
  }
  const sums = metrics.map((m, i): MetricSums => {
    const rows = rowsOf(i);
    const reading = readings[i];
    return {
      kind: sumsKind(m),
      rows,
      money: reading ? moneyFacts(currencyCounts(rows, s.variants), reading) : null,
    };
  });
  return { sums, undefinedRest: got.undefinedRest, readings };
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
  /** The site's currency rates: money metrics are converted to its reporting currency. */
  rates?: CurrencyRates | undefined;
}

/** The metrics of a definition with their roles, those of the asked roles only. */
function selected(d: ExperimentDefinition, roles: RunOptions['roles']) {
  const all: { role: Role; index: number; metric: ExperimentMetric }[] = [
    { role: 'primary', index: 0, metric: d.primary_metric },
    ...(d.secondary_metrics ?? []).map((metric, index) => ({ role: 'secondary' as const, index, metric })),
    ...(d.guardrail_metrics ?? []).map((metric, index) => ({ role: 'guardrail' as const, index, metric })),
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
    : [{ role: 'primary' as const, index: 0, metric: d.primary_metric }, ...chosen];
  let undefinedRest: UndefinedRest = { variants: 0, units: 0 };
  // The plain read chooses how money is read; the breakdown reads it the same way.
  let readings: (MoneyReading | undefined)[] | undefined;
  const read = async (segment: Segment) => {
    const list = withPrimary.map((m) => m.metric);
    const got = await metricSums(store, { ...scope, segment }, list, trace, {
      rates: options.rates,
      readings,
    });
    if (segment.by === 'none') {
      undefinedRest = got.undefinedRest;
      readings = got.readings;
    }
    return withPrimary.map((m, i) => ({ ...m, sums: got.sums[i] as MetricSums }));
  };
  const shown = <T>(xs: T[]) => (withPrimary === chosen ? xs : xs.slice(1));
  const plain = await read({ by: 'none' });
  const exposures = exposureCounts(plain[0]?.sums.rows ?? []);
  const all = shapeMetrics(d, plain, o);
  const primaryResult = all.find((m) => m.role === 'primary') as ExperimentMetricResult;
  const metrics = shown(all);
  const mixed: MixedCurrencies = plain.flatMap((m) =>
    m.sums.money?.mixed ? [{ role: m.role, index: m.index, ...m.sums.money.mixed }] : [],
  );
  const { variants, health } = shapeHealth(d, exposures, undefinedRest, mixed);
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
    split: shapeSplit(variants),
    health,
    verdict: experimentVerdict({ definition: d, variants, health, planning, fixed, sequential }),
    metrics,
    planning,
  };
  if (options.overTime) {
    const {
      sums: [sums],
    } = await metricSums(store, { ...scope, segment: { by: 'day' } }, [d.primary_metric], trace, {
      rates: options.rates,
      readings: readings?.slice(0, 1),
    });
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
