/**
 * Funnel correlation (issue 29): the request and the answer of
 * `POST /api/v1/sites/:siteId/funnels/correlation`. The definitions of units, outcomes and the
 * events that count are written once, in `CORRELATION_DEFINITION`, which the OpenAPI description
 * and the README quote.
 */
import { z } from 'zod';
import { type ExplainedQuery, explainSchema } from './api.ts';
import { funnelDefinitionSchema, funnelQuerySchema } from './funnel.ts';
import { FUNNEL_LIMITS } from './funnel-size.ts';
import type { FunnelCohorts, FunnelDefinition } from './funnel-types.ts';
import { LIMITS } from './limits.ts';

/** Bounds of a correlation question. */
export const CORRELATION_LIMITS = {
  /** Candidates tested at most: the ones done by the most units (ties by kind, property, value). */
  candidates: 500,
  /** Values of one property that get a row of their own (by units, then value); the rest are "Other". */
  propertyValues: 20,
  /** Properties in one question. */
  properties: 20,
  /** Units who did a candidate before it is tested, unless `min_support` says otherwise. */
  defaultMinSupport: 30,
} as const;

/** Unit-level columns a question may name as a property (the value at the `from` step's event). */
export const CORRELATION_COLUMNS = [
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'device',
  'browser',
  'country',
] as const;
export type CorrelationColumn = (typeof CORRELATION_COLUMNS)[number];

/**
 * A property to correlate: a column of `CORRELATION_COLUMNS`, `landing_path` (the path of the entry
 * event), `experiments.KEY` (the variant of experiment KEY) or `props.NAME` (an event property).
 */
export type CorrelationProperty =
  | CorrelationColumn
  | 'landing_path'
  | `experiments.${string}`
  | `props.${string}`;

/** The definition the answer follows, word for word in the OpenAPI description and the README. */
export const CORRELATION_DEFINITION = [
  'Units: those whose counted attempt (as the funnel counts it) reached step `from` (0-based); converted = it also reached step `to`, dropped = it did not.',
  'Events that count for "did it": the unit\'s events strictly after the instant it reached `from`, and strictly before the instant it reached `to` (converted) or no later than its entry + the conversion window (dropped).',
  'Event candidates: every event type, and every custom event name (type `custom` with a `name`), among the events that count.',
  'Property candidates, per chosen property: `channel`, `utm_source`, `utm_medium`, `utm_campaign`, `device`, `browser`, `country` and `experiments.KEY` take the smallest value among the unit\'s events at the instant it reached `from` that match a step; `landing_path` the smallest path among its events at the entry instant that match a step; `props.NAME` every non-empty value on the events that count. A unit without a value is in the row "(empty)"; values past the top 20 of a property (by units, then value) are one row "Other".',
  'Excluded by default and listed in `excluded`: event types and custom event names that an alternative of a step after `from` names (`type`, `name`): they define conversion. `include_step_events: true` tests them too (`excluded` is then empty).',
  "Per candidate, a 2×2 table of units: did it and converted, did it and dropped, did not and converted, did not and dropped. Candidates done by fewer than `min_support` units are not tested; at most 500 candidates (those done by the most units) are considered. The tested ones get the odds ratio with Woolf's 95 % interval (0.5 added to every cell when one is zero: `corrected`), Fisher's exact test when an expected count is below 5 or the table holds fewer than 40 units and Pearson's chi-square otherwise, and the Benjamini–Hochberg q-value over all `tested`.",
] as const;

/** The body of `POST …/funnels/correlation`: the funnel question's definition and range, and what to correlate. */
export interface CorrelationRequest {
  definition: FunnelDefinition;
  from?: string;
  to?: string;
  range?: 'today' | 'yesterday' | '7d' | '30d' | 'month' | 'last_month' | '12mo';
  tz?: string;
  cohorts?: FunnelCohorts;
  /** 0-based step indexes; by default the entry (0) and the last step. */
  steps?: { from?: number; to?: number };
  properties?: CorrelationProperty[];
  /** Units who did a candidate before it is tested (default 30). */
  min_support?: number;
  /** Test the event types and names that define a step after `from` too (default false). */
  include_step_events?: boolean;
}

const columnOrKeyed = z.union([
  z.enum(CORRELATION_COLUMNS),
  z.literal('landing_path'),
  z
    .string()
    .regex(/^experiments\..+$/)
    .max(12 + 128) as z.ZodType<`experiments.${string}`>,
  z
    .string()
    .regex(/^props\..+$/)
    .max(6 + LIMITS.keyLength) as z.ZodType<`props.${string}`>,
]);

const stepIndex = z
  .number()
  .int()
  .min(0)
  .max(FUNNEL_LIMITS.maxSteps - 1);

export const correlationRequestSchema = z
  .strictObject({
    definition: funnelDefinitionSchema,
    from: funnelQuerySchema.shape.from,
    to: funnelQuerySchema.shape.to,
    range: funnelQuerySchema.shape.range,
    tz: funnelQuerySchema.shape.tz,
    cohorts: funnelQuerySchema.shape.cohorts,
    steps: z.strictObject({ from: stepIndex.optional(), to: stepIndex.optional() }).optional(),
    properties: z.array(columnOrKeyed).max(CORRELATION_LIMITS.properties).optional(),
    min_support: z.number().int().min(1).max(1_000_000_000).optional(),
    include_step_events: z.boolean().optional(),
  })
  .superRefine((q, ctx) => {
    const n = q.definition.steps.length;
    const from = q.steps?.from ?? 0;
    const to = q.steps?.to ?? n - 1;
    if (from >= n) ctx.addIssue({ code: 'custom', path: ['steps', 'from'], message: 'no such step' });
    if (to >= n) ctx.addIssue({ code: 'custom', path: ['steps', 'to'], message: 'no such step' });
    else if (to <= from) {
      ctx.addIssue({ code: 'custom', path: ['steps', 'to'], message: 'must be a step after `from`' });
    }
    const seen = new Set<string>();
    for (const [i, p] of (q.properties ?? []).entries()) {
      if (seen.has(p)) ctx.addIssue({ code: 'custom', path: ['properties', i], message: 'named twice' });
      seen.add(p);
    }
  }) satisfies z.ZodType<CorrelationRequest>;

export type CorrelationCandidateKind = 'event_type' | 'event_name' | 'property';

/** One tested candidate. */
export interface CorrelationCandidate {
  kind: CorrelationCandidateKind;
  /** For `property`: the property as the request named it. */
  property?: string;
  /** The event type, the custom event name, or the property value ("(empty)", "Other"). */
  value: string;
  /** For `property`: a value, no value (`empty`), or the values past the top (`other`). */
  bucket?: 'value' | 'empty' | 'other';
  counts: { did_converted: number; did_dropped: number; not_converted: number; not_dropped: number };
  /** Units who did it (`did_converted + did_dropped`). */
  units: number;
  /** The share who converted among units who did it and among those who did not (null: none). */
  converted_share: { did: number | null; did_not: number | null };
  /** Odds of converting for units who did it over units who did not. */
  odds_ratio: number;
  odds_ratio_interval: { low: number; high: number };
  /** True when a cell was zero and 0.5 was added to each (Haldane–Anscombe). */
  corrected: boolean;
  test: 'fisher' | 'chi_square';
  p_value: number;
  q_value: number;
}

export interface CorrelationExcluded {
  kind: 'event_type' | 'event_name';
  value: string;
  reason: 'defines_step';
  /** The 0-based step whose alternative names it (the first such step). */
  step: number;
}

export interface CorrelationResult {
  from: string;
  to: string;
  tz: string;
  now: number;
  steps: { from: number; to: number };
  units: { converted: number; dropped: number };
  cohorts: FunnelCohorts;
  min_support: number;
  /** Candidates found (before the cut to `candidates_limit`). */
  candidates_found: number;
  candidates_limit: number;
  /** Candidates tested: the size of the Benjamini–Hochberg family. */
  tested: number;
  /** Candidates considered but done by fewer than `min_support` units. */
  untested: number;
  excluded: CorrelationExcluded[];
  /** Odds ratio above 1, by p-value then |ln OR|. */
  success: CorrelationCandidate[];
  /** Odds ratio below 1, by p-value then |ln OR|. */
  drop_off: CorrelationCandidate[];
  explain?: ExplainedQuery[];
}

const num = z.number();
const candidateSchema = z.object({
  kind: z.enum(['event_type', 'event_name', 'property']),
  property: z.string().optional(),
  value: z.string(),
  bucket: z.enum(['value', 'empty', 'other']).optional(),
  counts: z.object({ did_converted: num, did_dropped: num, not_converted: num, not_dropped: num }),
  units: num,
  converted_share: z.object({ did: num.nullable(), did_not: num.nullable() }),
  odds_ratio: num,
  odds_ratio_interval: z.object({ low: num, high: num }),
  corrected: z.boolean(),
  test: z.enum(['fisher', 'chi_square']),
  p_value: num,
  q_value: num,
}) satisfies z.ZodType<CorrelationCandidate>;

export const correlationResultSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  now: num,
  steps: z.object({ from: num, to: num }),
  units: z.object({ converted: num, dropped: num }),
  cohorts: z.enum(['all', 'mature']),
  min_support: num,
  candidates_found: num,
  candidates_limit: num,
  tested: num,
  untested: num,
  excluded: z.array(
    z.object({
      kind: z.enum(['event_type', 'event_name']),
      value: z.string(),
      reason: z.literal('defines_step'),
      step: num,
    }),
  ),
  success: z.array(candidateSchema),
  drop_off: z.array(candidateSchema),
  explain: explainSchema.optional(),
}) satisfies z.ZodType<CorrelationResult>;
