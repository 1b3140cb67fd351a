/**
 * Paths: where units went after a start (a page, an event, or a funnel step), or what they did
 * before it, as a tree of counts. The rules are written once here and in the README ("Paths").
 */
import { z } from 'zod';
import { dateOrInstant, type ExplainedQuery, explainSchema, relativeRange, timeZone } from './api.ts';
import { funnelDefinitionSchema, propertyFilterSchema } from './funnel.ts';
import { FUNNEL_LIMITS } from './funnel-size.ts';
import type { FunnelDefinition, PropertyFilter } from './funnel-types.ts';
import { LIMITS } from './limits.ts';
import { EVENT_TYPES, type EventType } from './types.ts';

export const PATHS_LIMITS = {
  /** Levels after (before) the start. */
  maxDepth: 5,
  defaultDepth: 3,
  /** Labels kept per parent and level; the rest merge into "Other". */
  maxWidth: 20,
  defaultWidth: 5,
  /** Range, in calendar days (as funnels). */
  maxRangeDays: 366,
  /** Node events read per unit after (before) its anchor: the first (last) this many. */
  eventsPerUnit: 1000,
  /** Distinct label prefixes the engine may return; past it, `422 too_many_paths`. */
  maxPrefixes: 100_000,
} as const;

export const PATH_DIRECTIONS = ['after', 'before'] as const;
export type PathDirection = (typeof PATH_DIRECTIONS)[number];
export const PATH_NODE_KINDS = ['path', 'event'] as const;
export type PathNodeKind = (typeof PATH_NODE_KINDS)[number];
export const PATH_FUNNEL_WHO = ['dropped', 'converted', 'reached'] as const;
export type PathFunnelWho = (typeof PATH_FUNNEL_WHO)[number];

/** Where the paths start: a page (path, cleaned), an event, or the units at a funnel step. */
export type PathStart =
  | { page: string }
  | { event: { type: EventType; name?: string } }
  | { funnel: { definition: FunnelDefinition; step: number; who: PathFunnelWho } };

export interface PathsQueryRequest {
  start: PathStart;
  direction: PathDirection;
  /** 1–5, default 3. */
  depth?: number;
  /** 1–20, default 5. */
  width?: number;
  node: PathNodeKind;
  /** Only events matching every filter are read (the start event and the path events alike). */
  filters?: PropertyFilter[];
  from?: string;
  to?: string;
  range?: 'today' | 'yesterday' | '7d' | '30d' | 'month' | 'last_month' | '12mo';
  tz?: string;
}

/** `start`: the units with the start; `label`: a node label; `other`: merged labels; `end`: no more events. */
export const PATH_NODE_TYPES = ['start', 'label', 'other', 'end'] as const;
export type PathNodeType = (typeof PATH_NODE_TYPES)[number];

export interface PathNode {
  id: string;
  /** 0 = the start; level k = the k-th node after (before) it. */
  level: number;
  label: string;
  kind: PathNodeType;
  units: number;
  /** `units` over the start's units (1 for the start; 0 when no unit has the start). */
  share: number;
}

export interface PathLink {
  from: string;
  to: string;
  units: number;
}

export interface PathsResult {
  from: string;
  to: string;
  tz: string;
  direction: PathDirection;
  depth: number;
  width: number;
  node: PathNodeKind;
  /** Units with the start: the units of the level-0 node. */
  units: number;
  nodes: PathNode[];
  links: PathLink[];
  explain?: ExplainedQuery[];
}

/** The label of units with no more node events (after) or none earlier (before). */
export const PATH_END_LABELS: Record<PathDirection, string> = {
  after: '(left the site)',
  before: '(start of the range)',
};
export const PATH_OTHER_LABEL = 'Other';

const start = z.union(
  [
    z.strictObject({ page: z.string().min(1).max(LIMITS.valueLength) }),
    z.strictObject({
      event: z.strictObject({ type: z.enum(EVENT_TYPES), name: z.string().max(128).optional() }),
    }),
    z.strictObject({
      funnel: z.strictObject({
        definition: funnelDefinitionSchema,
        step: z.number().int().min(1).max(FUNNEL_LIMITS.maxSteps),
        who: z.enum(PATH_FUNNEL_WHO),
      }),
    }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? 'expected one of {"page": "/path"}, {"event": {"type", "name"?}} or {"funnel": {"definition", "step", "who"}}'
        : undefined,
  },
);

export const pathsQuerySchema = z
  .strictObject({
    start,
    direction: z.enum(PATH_DIRECTIONS),
    depth: z.number().int().min(1).max(PATHS_LIMITS.maxDepth).optional(),
    width: z.number().int().min(1).max(PATHS_LIMITS.maxWidth).optional(),
    node: z.enum(PATH_NODE_KINDS),
    filters: z.array(propertyFilterSchema).max(FUNNEL_LIMITS.filters).optional(),
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    range: relativeRange.optional(),
    tz: timeZone.optional(),
  })
  .superRefine((q, ctx) => {
    if (!('funnel' in q.start)) return;
    const f = q.start.funnel;
    const n = f.definition.steps.length;
    const at = ['start', 'funnel'];
    if (f.step > n)
      ctx.addIssue({ code: 'custom', path: [...at, 'step'], message: `the funnel has ${n} steps` });
    else if (f.who !== 'reached' && f.step === n) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'who'],
        message: 'nobody goes past the last step: use who "reached" or an earlier step',
      });
    }
    if ((f.definition.unit ?? 'visitor') !== 'visitor') {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'definition', 'unit'],
        message: 'paths follow visitors: the funnel unit must be "visitor"',
      });
    }
  }) satisfies z.ZodType<PathsQueryRequest>;

const num = z.number();

export const pathsResultSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  direction: z.enum(PATH_DIRECTIONS),
  depth: num,
  width: num,
  node: z.enum(PATH_NODE_KINDS),
  units: num,
  nodes: z.array(
    z.object({
      id: z.string(),
      level: num,
      label: z.string(),
      kind: z.enum(PATH_NODE_TYPES),
      units: num,
      share: num,
    }),
  ),
  links: z.array(z.object({ from: z.string(), to: z.string(), units: num })),
  explain: explainSchema.optional(),
}) satisfies z.ZodType<PathsResult>;
