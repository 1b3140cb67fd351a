/**
 * A look behind a funnel's drop, as the URL carries it: `insight=why` (correlation) or
 * `insight=where` (paths), and `steps=FROM-TO`, 1-based step numbers as the funnel view writes
 * them (`2-3`: the units that reached step 2, converted if they reached step 3). The API's
 * correlation takes 0-based indexes and paths a 1-based step: both are derived here, once.
 */
import type { FunnelDefinition } from '@funnelhouse/schemas';

export type InsightKind = 'why' | 'where';

export interface Insight {
  kind: InsightKind;
  /** 1-based step numbers, 1 ≤ from < to ≤ number of steps. */
  from: number;
  to: number;
}

const PAIR = /^(\d{1,2})-(\d{1,2})$/;

/** The insight the URL names for a funnel of `stepCount` steps, or undefined when it names none or a bad one. */
export function parseInsight(
  insight: string | undefined,
  steps: string | undefined,
  stepCount: number,
): Insight | undefined {
  if (insight !== 'why' && insight !== 'where') return undefined;
  const m = PAIR.exec(steps ?? '');
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (from < 1 || to <= from || to > stepCount) return undefined;
  // Paths follow the units that went no further than `from`: only the drop to the next step.
  if (insight === 'where' && to !== from + 1) return undefined;
  return { kind: insight, from, to };
}

/** The URL's fields for an insight (undefined closes it). */
export const insightParams = (i: Insight | undefined) =>
  i ? { insight: i.kind, steps: `${i.from}-${i.to}` } : { insight: undefined, steps: undefined };

/** Paths follow visitors: a funnel counted by another unit has no "where did they go". */
export const canFollowPaths = (d: FunnelDefinition) => (d.unit ?? 'visitor') === 'visitor';
