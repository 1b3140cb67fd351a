/**
 * Answers a paths question: the prefix counts query over the resolved range, then pure shaping.
 * The range is resolved by the route (`api/range.ts` `readRange`): a `SiteRange` and the range as asked; `now` is the funnel engine's evaluation instant
 * for a funnel start.
 */
import { PATHS_LIMITS, type PathsQueryRequest, type PathsResult } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { Trace } from '../clickhouse/query.ts';
import { ApiError } from '../errors.ts';
import type { SiteRange } from '../sql/range.ts';
import { startLabel } from './labels-sql.ts';
import { getPathCounts } from './queries/getPathCounts.ts';
import { shapePaths } from './shape.ts';

export async function runPaths(
  store: Store,
  q: PathsQueryRequest,
  range: SiteRange & { from: string; to: string },
  now: number,
  explain = false,
  maxPrefixes: number = PATHS_LIMITS.maxPrefixes,
): Promise<PathsResult> {
  const depth = q.depth ?? PATHS_LIMITS.defaultDepth;
  const width = q.width ?? PATHS_LIMITS.defaultWidth;
  const trace = explain ? new Trace() : undefined;
  const rows = await getPathCounts(
    store,
    {
      start: q.start,
      direction: q.direction,
      depth,
      node: q.node,
      filters: q.filters,
      range,
      now,
      maxPrefixes,
    },
    trace,
  );
  if (rows.length > maxPrefixes) {
    throw new ApiError(
      'too_many_paths',
      `The paths have more than ${maxPrefixes} distinct label prefixes: ask with a smaller depth, filters or a shorter range`,
    );
  }
  const tree = shapePaths(rows, { direction: q.direction, depth, width, startLabel: startLabel(q.start) });
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    direction: q.direction,
    depth,
    width,
    node: q.node,
    ...tree,
    ...(trace ? { explain: trace.runs } : {}),
  };
}
