/**
 * Reading an experiment for one request: the exposure scope (range ∩ the experiment's dates),
 * one query per metric for its sufficient statistics, one for the exposure counts, then the pure
 * shaping. Every query takes the same scope, so every number counts the same visitors.
 */
import type { ExperimentDefinition, ExperimentMetric, ExperimentResult } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import type { SiteRange } from '../sql/range.ts';
import type { ExposureScope } from './exposures-sql.ts';
import { getConversionSums } from './queries/getConversionSums.ts';
import { getExposureCounts } from './queries/getExposureCounts.ts';
import { getMeanSums } from './queries/getMeanSums.ts';
import { getRatioSums } from './queries/getRatioSums.ts';
import { type MetricSums, shapeExperiment } from './shape.ts';

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
  };
}

/** The sufficient statistics of one metric, from its own query. */
export async function metricSums(
  store: Store,
  s: ExposureScope,
  m: ExperimentMetric,
  trace?: Trace,
): Promise<MetricSums> {
  switch (m.kind) {
    case 'conversion':
      return {
        sums: 'proportion',
        rows: await getConversionSums(store, s, { event: m.event, windowSeconds: m.window_seconds }, trace),
      };
    case 'revenue_per_visitor':
      return { sums: 'mean', rows: await getMeanSums(store, s, { value: 'revenue', cap: m.cap }, trace) };
    case 'orders_per_visitor':
      return { sums: 'mean', rows: await getMeanSums(store, s, { value: 'orders', cap: m.cap }, trace) };
    case 'average_order_value':
      return { sums: 'ratio', rows: await getRatioSums(store, s, { cap: m.cap }, trace) };
  }
}

/**
 * Every number of the results answer. Queries run one after another: a request holds one
 * reports connection at a time, so one experiment cannot take the whole pool.
 */
export async function runExperiment(
  store: Store,
  d: ExperimentDefinition,
  range: SiteRange,
  trace?: Trace,
): Promise<Pick<ExperimentResult, 'control' | 'variants' | 'health' | 'metrics'>> {
  const scope = exposureScope(d, range);
  const exposures = await getExposureCounts(store, scope, trace);
  const sums: MetricSums[] = [];
  for (const m of [d.primary_metric, ...(d.secondary_metrics ?? [])]) {
    sums.push(await metricSums(store, scope, m, trace));
  }
  return shapeExperiment(d, exposures, sums);
}
