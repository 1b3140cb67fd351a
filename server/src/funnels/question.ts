/**
 * The opening every question on the funnel engine shares (a funnel, its correlation): the range
 * the route resolved (`api/range.ts` `readRange`, `from`/`to` as asked, the engine's zone) as
 * exact bounds, the cohorts counted (every entrant unless `mature`), the evaluation instant and
 * the trace kept for `explain=1`. The answer starts with the same head.
 */
import type { FunnelCohorts } from '@funnelhouse/schemas';
import { type Trace, traceIf } from '../clickhouse/query.ts';
import { zonedBounds } from '../sql/zoned-time.ts';

/** A question whose range is resolved: dates or instants as asked, the engine's spelling of the zone. */
export type Resolved<Q> = Omit<Q, 'from' | 'to' | 'range' | 'tz'> & { from: string; to: string; tz: string };

export interface Opening {
  /** `[from, to)` in epoch milliseconds. */
  bounds: { from: number; to: number };
  cohorts: FunnelCohorts;
  trace: Trace | undefined;
  /** The answer's first members. */
  head: { from: string; to: string; tz: string; now: number };
}

export function openQuestion(
  q: { from: string; to: string; tz: string; cohorts?: FunnelCohorts | undefined },
  now: number,
  explain: boolean,
): Opening {
  return {
    bounds: zonedBounds(q.from, q.to, q.tz),
    cohorts: q.cohorts ?? 'all',
    trace: traceIf(explain),
    head: { from: q.from, to: q.to, tz: q.tz, now },
  };
}
