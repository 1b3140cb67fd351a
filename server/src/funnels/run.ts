/**
 * Answers a funnel question: the levels query for the range (and for the previous period when
 * comparing), the events matching each step (so a step that matches nothing is told apart from a
 * step nobody reached), the trend query when asked, then pure shaping.
 */
import type { FunnelQueryRequest, FunnelResult, FunnelSeriesResult } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { explained } from '../clickhouse/query.ts';
import { ApiError } from '../errors.ts';
import { countStepEvents } from './queries/countStepEvents.ts';
import { getFunnelLevels } from './queries/getFunnelLevels.ts';
import { getFunnelTrend } from './queries/getFunnelTrend.ts';
import { openQuestion, type Resolved } from './question.ts';
import { rateOf, shapeLevels } from './shape.ts';
import { MAX_BREAKDOWN_VALUES, TOO_MANY_BREAKDOWN_VALUES } from './units-sql.ts';

function changeOf(cur: FunnelSeriesResult, prev: FunnelSeriesResult) {
  return cur.steps.map((s, i) => {
    const p = prev.steps[i];
    const a = s.from_entry.rate;
    const b = p?.from_entry.rate ?? null;
    return {
      step: s.step,
      units: s.units - (p?.units ?? 0),
      from_entry: a === null || b === null ? null : a - b,
    };
  });
}

/** A funnel question whose range is resolved (`api/range.ts`): dates or instants, the engine's zone. */
export type ResolvedFunnelQuery = Resolved<FunnelQueryRequest>;

export async function runFunnelQuery(
  store: Store,
  site: string,
  q: ResolvedFunnelQuery,
  now: number,
  explain = false,
): Promise<FunnelResult> {
  const { bounds: range, cohorts, trace, head } = openQuestion(q, now, explain);
  const levels = async (from: number, to: number) => {
    const r = await getFunnelLevels(store, site, q.definition, {
      from,
      to,
      now,
      cohorts,
      ...(q.breakdown ? { breakdown: q.breakdown } : {}),
    }).catch(tooManyBreakdownValues);
    trace?.record({ name: 'getFunnelLevels', sql: r.sql, params: r.params });
    return shapeLevels(q.definition, r.rows, cohorts);
  };
  const current = await levels(range.from, range.to);
  const matched = await countStepEvents(store, site, q.definition, { ...range, now });
  trace?.record({ name: 'countStepEvents', sql: matched.sql, params: matched.params });
  const result: FunnelResult = {
    ...head,
    skipped_units: current.skipped,
    cohorts,
    immature_units: current.immature,
    overall: current.overall,
    step_events: matched.counts,
  };
  if (q.breakdown) result.breakdown = current.groups;
  if (q.trend) {
    const t = await getFunnelTrend(store, site, q.definition, { ...range, now, bucket: q.trend, tz: q.tz });
    trace?.record({ name: 'getFunnelTrend', sql: t.sql, params: t.params });
    result.trend = t.rows.map((r) => {
      const mature = cohorts === 'mature';
      const entered = mature ? r.mature : r.closed + r.open;
      const converted = mature ? r.mature_converted : r.converted;
      return {
        period: r.period,
        entered,
        converted,
        in_progress: r.open,
        conversion: rateOf(converted, entered),
      };
    });
  }
  if (q.compare) {
    const len = range.to - range.from;
    const prev = await levels(range.from - len, range.from);
    result.compare = {
      from: new Date(range.from - len).toISOString(),
      to: new Date(range.from).toISOString(),
      skipped_units: prev.skipped,
      immature_units: prev.immature,
      overall: prev.overall,
      change: changeOf(current.overall, prev.overall),
    };
  }
  return { ...result, ...explained(trace) };
}

/** The engine packs a breakdown value's rank into each event's sort key: past 2^20 values, a 400. */
function tooManyBreakdownValues(err: unknown): never {
  if (String((err as Error)?.message ?? err).includes(TOO_MANY_BREAKDOWN_VALUES)) {
    throw new ApiError(
      'too_many_breakdown_values',
      `The breakdown has more than ${MAX_BREAKDOWN_VALUES} distinct values in this range: choose another dimension or a shorter range`,
      [
        {
          path: 'breakdown',
          code: 'too_many_values',
          message: `at most ${MAX_BREAKDOWN_VALUES} distinct values`,
        },
      ],
    );
  }
  throw err;
}
