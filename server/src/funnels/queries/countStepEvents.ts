import type { FunnelDefinition } from '@funnelhouse/schemas';
import { funnelWindowSeconds } from '@funnelhouse/schemas';
import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { runGenerated } from '../../clickhouse/query.ts';
import { EVENTS } from '../../clickhouse/shards.ts';
import { alternativesSql } from '../../sql/filters.ts';
import { Params } from '../../sql/params.ts';
import { count } from '../../sql/range.ts';

/**
 * Per step, the site's events in the span the engine scans (`[from, min(now, to + window))`) that
 * match the step (any of its alternatives), whether or not a unit reached it. Unit: stored event
 * row. Only "none" versus "some" is read (a step that matches nothing is a mistyped path or name,
 * and the dashboard says so), so rows are counted, not distinct event ids: ingestion stores an
 * event id once, and one pass over the range's granules stays cheap next to the funnel itself.
 */
function sql(def: FunnelDefinition, p: Params, from: string, end: string): string {
  const counts = def.steps.map((s) => `countIf(${alternativesSql(s.match, p)})`);
  return `
SELECT [${counts.join(', ')}] AS counts
FROM ${EVENTS}
WHERE site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli(${from}) AND ts < fromUnixTimestamp64Milli(${end})`;
}

const row = z.object({ counts: z.array(count) });

export async function countStepEvents(
  store: Store,
  site: string,
  def: FunnelDefinition,
  o: { from: number; to: number; now: number },
): Promise<{ counts: number[]; sql: string; params: Record<string, unknown> }> {
  const p = new Params();
  const end = Math.min(o.now, o.to + funnelWindowSeconds(def) * 1000);
  const text = sql(def, p, p.bind('Int64', o.from), p.bind('Int64', Math.max(o.from, end)));
  const params = { ...p.values, site };
  const [r] = await runGenerated(store, { name: 'countStepEvents', sql: text, params, row });
  return { counts: r?.counts ?? def.steps.map(() => 0), sql: text, params };
}
