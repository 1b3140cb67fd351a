import {
  funnelWindowSeconds,
  PATHS_LIMITS,
  type PathDirection,
  type PathNodeKind,
  type PathStart,
  type PropertyFilter,
} from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated, type Trace } from '../../clickhouse/query.ts';
import { EVENTS } from '../../clickhouse/shards.ts';
import { ENGINE_SETTINGS, unitsSql } from '../../funnels/units-sql.ts';
import { alternativeSql } from '../../sql/filters.ts';
import { Params } from '../../sql/params.ts';
import { count, type SiteRange } from '../../sql/range.ts';
import { nodeSql, startSql } from '../labels-sql.ts';

/**
 * Per label prefix of the paths tree: the units whose path begins with it, and those of them
 * whose path ends right after it (no more node events: "left the site", or for `before` "start
 * of the range"). Unit: visitor. The empty prefix counts every unit with the start.
 *
 * Per unit: its node events in the scanned span sorted by (ts, event_id); the anchor (page and
 * event starts: the first start event; a funnel start: the time its counted attempt reached the
 * step); the first `PATHS_LIMITS.eventsPerUnit` node labels after the anchor (or the last ones
 * before it, nearest first); consecutive repeats dropped, the anchor's own label counting as the
 * first (a start event that is itself a node: a page start's pageview, any event with
 * `node: "event"`); then the first `depth` labels. The TypeScript shaping cuts each level to the
 * top `width` labels. At most `maxPrefixes` (`PATHS_LIMITS.maxPrefixes`) + 1 rows are returned,
 * so a caller sees that there were too many.
 */
export interface PathCountsOptions {
  start: PathStart;
  direction: PathDirection;
  depth: number;
  node: PathNodeKind;
  filters?: PropertyFilter[] | undefined;
  range: SiteRange;
  /** The funnel engine's evaluation instant (epoch ms). */
  now: number;
  /** Prefixes past which the caller refuses the answer (tests lower it); one more row is returned. */
  maxPrefixes?: number;
}

const el = (i: number) => (e: string) => `tupleElement(${e}, ${i})`;
const tsOf = el(1);
const labelOf = el(3);

/** Node events (and start events) of the span, one row each: the scan every form shares. */
function scanSql(o: PathCountsOptions, p: Params, from: string, to: string, withStart: boolean): string {
  const node = nodeSql(o.node);
  const filters = o.filters?.length ? alternativeSql({ filters: o.filters }, p) : '1';
  const isStart = withStart ? startSql(o.start, p) : '0';
  return `
      SELECT visitor_id, toUnixTimestamp64Milli(ts) AS ms, event_id, ${node.label} AS lbl,
        toUInt8(${isStart}) AS is_start, toUInt8(${node.isNode}) AS is_node
      FROM ${EVENTS}
      WHERE site_id = {site:String}
        AND ts >= fromUnixTimestamp64Milli(${from}) AND ts < fromUnixTimestamp64Milli(${to})
        AND visitor_id != '' AND (${filters})`;
}

/** Page and event starts: per unit, the anchor label and the node labels after (before) it. */
function eventStartSql(o: PathCountsOptions, p: Params, cap: string): string {
  const from = p.bind('Int64', o.range.fromMs);
  const to = p.bind('Int64', o.range.toMs);
  const nodes = (a: string) => `arrayFilter(e -> ${el(5)('e')} = 1, ${a})`;
  const ls =
    o.direction === 'after'
      ? nodes('arraySlice(evs, si + 1)')
      : `arrayReverse(${nodes('arraySlice(evs, 1, si - 1)')})`;
  return `
    SELECT if(${el(5)('evs[si]')} = 1, ${labelOf('evs[si]')}, '') AS anchor,
      arrayMap(e -> ${labelOf('e')}, arraySlice(${ls}, 1, ${cap})) AS ls
    FROM (
      SELECT visitor_id AS unit, arraySort(groupArray((ms, event_id, lbl, is_start, is_node))) AS evs,
        arrayFirstIndex(e -> ${el(4)('e')} = 1, evs) AS si
      FROM (${scanSql(o, p, from, to, true)}
      )
      WHERE is_start = 1 OR is_node = 1
      GROUP BY unit
      HAVING max(is_start) = 1
    )`;
}

/**
 * A funnel start: the units whose counted attempt reached the step (and went on, or not), their
 * anchor the time they reached it (`unitsSql`, the funnel engine), joined with their node events
 * over the span the engine scans. Events in the anchor's own millisecond are neither after nor
 * before it.
 */
function funnelStartSql(o: PathCountsOptions, p: Params, cap: string): string {
  if (!('funnel' in o.start)) throw new Error('not a funnel start');
  const { definition, step, who } = o.start.funnel;
  const end = Math.max(
    o.range.fromMs,
    Math.min(o.now, o.range.toMs + funnelWindowSeconds(definition) * 1000),
  );
  const units = unitsSql(definition, { from: o.range.fromMs, to: o.range.toMs, now: o.now }, p);
  const s = p.bind('UInt32', step);
  const whoSql = { reached: '1', converted: `furthest > ${s}`, dropped: `furthest = ${s}` }[who];
  const from = p.bind('Int64', o.range.fromMs);
  const to = p.bind('Int64', end);
  const side = o.direction === 'after' ? `${tsOf('e')} > anchor_ms` : `${tsOf('e')} < anchor_ms`;
  const near = o.direction === 'after' ? 'arrayFilter(e -> ' : 'arrayReverse(arrayFilter(e -> ';
  const close = o.direction === 'after' ? ', evs)' : ', evs))';
  return `
    SELECT '' AS anchor,
      arrayMap(e -> ${labelOf('e')}, arraySlice(${near}${side}${close}, 1, ${cap})) AS ls
    FROM (
      SELECT a.unit AS unit, a.anchor_ms AS anchor_ms, e.evs AS evs
      FROM (
        SELECT unit, toInt64(entry_ms + from_entry[indexOf(levels, ${s})]) AS anchor_ms
        FROM (${units})
        WHERE has(levels, ${s}) AND ${whoSql}
      ) AS a
      LEFT JOIN (
        SELECT visitor_id AS unit, arraySort(groupArray((ms, event_id, lbl))) AS evs
        FROM (${scanSql(o, p, from, to, false)}
        )
        WHERE is_node = 1
        GROUP BY unit
      ) AS e ON a.unit = e.unit
    )`;
}

function sql(o: PathCountsOptions, p: Params): string {
  const cap = p.bind('UInt32', PATHS_LIMITS.eventsPerUnit);
  const depth = p.bind('UInt32', o.depth);
  const perUnit = 'funnel' in o.start ? funnelStartSql(o, p, cap) : eventStartSql(o, p, cap);
  // Repeats: a label is kept when it differs from the one before it (the anchor's for the first),
  // compared with the array shifted by one, so no lambda captures the whole array.
  return `
SELECT prefix, count() AS units, countIf(ends) AS ended
FROM (
  SELECT arraySlice(path, 1, k) AS prefix, (k = length(path) AND length(path) < ${depth}) AS ends
  FROM (
    SELECT arraySlice(arrayFilter((x, y) -> x != y, ls, arrayPopBack(arrayPushFront(ls, anchor))), 1, ${depth}) AS path
    FROM (${perUnit}
    )
  )
  ARRAY JOIN range(0, toUInt64(length(path) + 1)) AS k
)
GROUP BY prefix
ORDER BY length(prefix), prefix
LIMIT ${p.bind('UInt64', (o.maxPrefixes ?? PATHS_LIMITS.maxPrefixes) + 1)}
${ENGINE_SETTINGS}`;
}

const row = z.object({ prefix: z.array(z.string()), units: count, ended: count });
export type PathCountRow = z.infer<typeof row>;

export async function getPathCounts(
  store: Store,
  o: PathCountsOptions,
  trace?: Trace,
): Promise<PathCountRow[]> {
  const p = new Params();
  const text = sql(o, p);
  return runGenerated(
    store,
    { name: 'getPathCounts', sql: text, params: { ...p.values, site: o.range.site }, row },
    trace,
  );
}
