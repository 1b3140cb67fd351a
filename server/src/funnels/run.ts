/**
 * Answers a funnel question: the levels query for the range (and for the previous period when
 * comparing), the events matching each step (so a step that matches nothing is told apart from a
 * step nobody reached), the trend query when asked, then pure shaping.
 */
import type { FunnelQueryRequest, FunnelResult, FunnelSeriesResult } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { explained } from '../clickhouse/query.ts';
import { ApiError } from '../errors.ts';
import { dayInZone, fillDays, periodsBetween } from '../sql/days.ts';
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
    const mature = cohorts === 'mature';
    const points = t.rows.map((r) => {
      const entered = mature ? r.mature : r.closed + r.open;
      const converted = mature ? r.mature_converted : r.converted;
      return {
        day: r.period,
        entered,
        converted,
        in_progress: r.open,
        conversion: rateOf(converted, entered),
      };
    });
    // Every period of the range up to now, so that a day nobody entered is shown as one.
    const end = Math.min(range.to, now);
    const periods =
      end > range.from ? periodsBetween(dayInZone(range.from, q.tz), dayInZone(end - 1, q.tz), q.trend) : [];
    const filled = fillDays(points, periods, (day) => ({
      day,
      entered: 0,
      converted: 0,
      in_progress: 0,
      conversion: rateOf(0, 0),
    }));
    const extra = points.filter((p) => !periods.includes(p.day));
    result.trend = [...filled, ...extra]
      .sort((a, b) => (a.day < b.day ? -1 : 1))
      .map(({ day, ...p }) => ({ period: day, ...p }));
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
