import { z } from 'zod';
import { dateOrInstant, type ExplainedQuery, explainFlag, relativeRange, timeZone } from './api.ts';
import { FUNNEL_LIMITS, FUNNEL_TOO_COMPLEX, funnelComplexityProblem } from './funnel-size.ts';
import {
  BREAKDOWN_ATTRIBUTIONS,
  type BreakdownDimension,
  FUNNEL_COLUMNS,
  FUNNEL_EXCLUSION_MODES,
  FUNNEL_ORDERS,
  type FunnelBreakdown,
  type FunnelDefinition,
  type FunnelExclusion,
  type FunnelQueryRequest,
  type FunnelStep,
  type FunnelUnit,
  type PropertyFilter,
  RENAMED_ATTRIBUTIONS,
  RENAMED_EXCLUSION_MODES,
  type SaveFunnelRequest,
  type StepAlternative,
  type StringMatch,
} from './funnel-types.ts';
import { LIMITS } from './limits.ts';
import { EVENT_TYPES } from './types.ts';

export * from './funnel-size.ts';
export * from './funnel-types.ts';

/**
 * ClickHouse evaluates patterns with RE2, which has no look-around and no back-references; refuse
 * them here (and anything JavaScript cannot parse) so a pattern means the same in both places.
 */
function isPortableRegex(s: string): boolean {
  if (/\(\?[=!<]|\\[1-9]|\\k</.test(s)) return false;
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

const value = z.string().max(LIMITS.valueLength);
const propertyKey = z.string().min(1).max(LIMITS.keyLength);
const column = z.enum(FUNNEL_COLUMNS);

export const stringMatchSchema = z
  .strictObject({
    op: z.enum(['exact', 'wildcard', 'regex']),
    value: z.string().max(FUNNEL_LIMITS.patternLength),
  })
  .refine((m) => m.op !== 'regex' || isPortableRegex(m.value), {
    message: 'not a valid RE2 pattern (no look-around or back-references)',
    path: ['value'],
  }) satisfies z.ZodType<StringMatch>;

const target = z.union([
  z.object({ column, property: z.undefined().optional() }),
  z.object({ property: propertyKey, column: z.undefined().optional() }),
]);

const filterOp = z.discriminatedUnion('op', [
  z.object({ op: z.enum(['eq', 'neq', 'contains']), value }),
  z.object({ op: z.literal('in'), values: z.array(value).min(1).max(FUNNEL_LIMITS.inValues) }),
  z.object({ op: z.literal('exists') }),
  z.object({
    op: z.enum(['gt', 'lt']),
    // Beyond ±2^53 a JSON number is no longer exact (and the engine's client refuses to send it).
    value: z.number().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  }),
]);

/** The keys a filter may have: `target` and `filterOp` are intersected, so neither side can be strict. */
const FILTER_KEYS = new Set(['column', 'property', 'op', 'value', 'values']);

export const propertyFilterSchema = z.preprocess(
  (f, ctx) => {
    // Each side of the intersection drops the other's keys, so unknown ones are found on the input.
    const extra =
      f !== null && typeof f === 'object' ? Object.keys(f).filter((k) => !FILTER_KEYS.has(k)) : [];
    if (extra.length > 0)
      ctx.addIssue({ code: 'unrecognized_keys', keys: extra, input: f as Record<string, unknown> });
    return f;
  },
  z.intersection(target, filterOp),
) satisfies z.ZodType<PropertyFilter>;

export const stepAlternativeSchema = z
  .strictObject({
    type: z.enum(EVENT_TYPES).optional(),
    name: z.string().max(128).optional(),
    url: stringMatchSchema.optional(),
    path: stringMatchSchema.optional(),
    element: z
      .strictObject({
        selector: z.string().max(1024).optional(),
        text_contains: z.string().max(LIMITS.textLength).optional(),
        text: stringMatchSchema.optional(),
        href: stringMatchSchema.optional(),
      })
      .optional(),
    form_id: z.string().max(256).optional(),
    filters: z.array(propertyFilterSchema).max(FUNNEL_LIMITS.filters).optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), {
    message: 'an alternative needs at least one condition',
  }) satisfies z.ZodType<StepAlternative>;

export const alternatives = z.array(stepAlternativeSchema).min(1).max(FUNNEL_LIMITS.alternatives);
const seconds = z.number().int().min(0).max(FUNNEL_LIMITS.maxWindowSeconds);

export const funnelStepSchema = z.strictObject({
  label: z.string().max(200).optional(),
  match: alternatives,
  optional: z.boolean().optional(),
  max_gap_seconds: seconds.optional(),
  min_gap_seconds: seconds.optional(),
}) satisfies z.ZodType<FunnelStep>;

export const funnelExclusionSchema = z.strictObject({
  match: alternatives,
  from_step: z.number().int().min(1),
  to_step: z.number().int().min(2),
}) satisfies z.ZodType<FunnelExclusion>;

export const funnelUnitSchema = z.union([
  z.enum(['visitor', 'session', 'user', 'cart_id', 'order_id']),
  z.strictObject({ property: propertyKey }),
]) satisfies z.ZodType<FunnelUnit>;

/**
 * An enum that refuses a renamed value with a message naming its new name, instead of zod's
 * list of options: the old names were PostHog's, for rules that are not PostHog's (README).
 */
function renamedEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  renamed: Readonly<Record<string, string>>,
) {
  return z.enum(values, {
    error: (iss) => {
      const to = typeof iss.input === 'string' ? renamed[iss.input] : undefined;
      return to === undefined
        ? undefined
        : `"${iss.input}" is now called "${to}": it is not PostHog's rule of that name (see the README)`;
    },
  });
}

const exclusionMode = renamedEnum(FUNNEL_EXCLUSION_MODES, RENAMED_EXCLUSION_MODES).describe(
  'What an exclusion removes. attempt (default): the attempt with the excluded event between the two ' +
    'steps, having reached both; the other attempts still count. unit: the whole unit, as soon as one ' +
    'attempt did the event after from_step (before to_step, or within the window when to_step was never ' +
    "reached). Neither is PostHog's rule: PostHog drops a person only when the attempt that reached its " +
    'furthest step is excluded. "person" was renamed "unit".',
);

const attribution = renamedEnum(BREAKDOWN_ATTRIBUTIONS, RENAMED_ATTRIBUTIONS).describe(
  "Which of the counted attempt's events gives the breakdown value. counted_step (default): the event " +
    'at at_step. first_touch / last_touch: the first / last non-empty value among the events at the ' +
    'steps reached. every_touch: each distinct non-empty value among them (the unit counts in each ' +
    "group). The unit's outcome is the same in all its groups; PostHog instead evaluates the funnel " +
    'per value. "step" was renamed "counted_step", "all_events" "every_touch".',
);

type Issue = { path: (string | number)[]; message: string };

/** Rules that involve more than one field; each problem is reported at its own path. */
function definitionIssues(d: FunnelDefinition): Issue[] {
  const issues: Issue[] = [];
  const n = d.steps.length;
  const window = d.window_seconds ?? FUNNEL_LIMITS.defaultWindowSeconds;
  d.steps.forEach((s, i) => {
    const at = (k: string) => ['steps', i, k];
    if (s.optional && (i === 0 || i === n - 1)) {
      issues.push({ path: at('optional'), message: 'the first and the last step cannot be optional' });
    } else if (s.optional && d.order === 'unordered') {
      issues.push({ path: at('optional'), message: 'an unordered funnel has no optional steps' });
    }
    const hasGap = s.max_gap_seconds !== undefined || s.min_gap_seconds !== undefined;
    if (hasGap && i === 0) issues.push({ path: at('max_gap_seconds'), message: 'the first step has no gap' });
    if (hasGap && (d.order === 'any' || d.order === 'unordered')) {
      issues.push({ path: at('max_gap_seconds'), message: 'gaps need order "ordered" or "strict"' });
    }
    if ((s.min_gap_seconds ?? 0) > (s.max_gap_seconds ?? window)) {
      issues.push({
        path: at('min_gap_seconds'),
        message: 'min_gap_seconds exceeds max_gap_seconds or the window',
      });
    }
  });
  (d.exclusions ?? []).forEach((e, i) => {
    const bad = (k: string, message: string) => issues.push({ path: ['exclusions', i, k], message });
    if (e.from_step >= e.to_step) bad('to_step', 'to_step must come after from_step');
    if (e.to_step > n) bad('to_step', `the funnel has ${n} steps`);
    if (d.steps[e.from_step - 1]?.optional) bad('from_step', 'an exclusion must start at a required step');
    if (d.steps[e.to_step - 1]?.optional) bad('to_step', 'an exclusion must end at a required step');
  });
  return issues;
}

export const funnelDefinitionSchema = z
  .strictObject({
    steps: z.array(funnelStepSchema).min(FUNNEL_LIMITS.minSteps).max(FUNNEL_LIMITS.maxSteps),
    order: z.enum(FUNNEL_ORDERS).optional(),
    window_seconds: z.number().int().min(1).max(FUNNEL_LIMITS.maxWindowSeconds).optional(),
    exclusions: z.array(funnelExclusionSchema).max(FUNNEL_LIMITS.exclusions).optional(),
    exclusion_mode: exclusionMode.optional(),
    unit: funnelUnitSchema.optional(),
  })
  .superRefine((d, ctx) => {
    for (const i of definitionIssues(d)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    const tooBig = funnelComplexityProblem(d);
    if (tooBig) ctx.addIssue({ code: 'custom', message: tooBig, params: { reason: FUNNEL_TOO_COMPLEX } });
  }) satisfies z.ZodType<FunnelDefinition>;

export const breakdownDimensionSchema = z.union([
  z.strictObject({ column: column.exclude(['revenue']) }),
  z.strictObject({ property: propertyKey }),
  z.strictObject({ experiment: z.string().min(1).max(128) }),
]) satisfies z.ZodType<BreakdownDimension>;

export const funnelBreakdownSchema = z
  .strictObject({
    dimension: breakdownDimensionSchema,
    attribution: attribution.optional(),
    at_step: z.number().int().min(1).max(FUNNEL_LIMITS.maxSteps).optional(),
    limit: z.number().int().min(1).max(FUNNEL_LIMITS.breakdownLimit).optional(),
  })
  .refine((b) => b.at_step === undefined || (b.attribution ?? 'counted_step') === 'counted_step', {
    message: 'at_step needs attribution "counted_step"',
    path: ['at_step'],
  }) satisfies z.ZodType<FunnelBreakdown>;

export const funnelQuerySchema = z
  .strictObject({
    definition: funnelDefinitionSchema,
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    range: relativeRange.optional(),
    tz: timeZone.optional(),
    breakdown: funnelBreakdownSchema.optional(),
    cohorts: z.enum(['all', 'mature']).optional(),
    compare: z.boolean().optional(),
    trend: z.enum(['day', 'week']).optional(),
  })
  .superRefine((q, ctx) => {
    const at = q.breakdown?.at_step;
    if (at !== undefined && at > q.definition.steps.length) {
      ctx.addIssue({ code: 'custom', path: ['breakdown', 'at_step'], message: 'no such step' });
    }
  }) satisfies z.ZodType<FunnelQueryRequest>;

export const saveFunnelSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    definition: funnelDefinitionSchema,
    breakdown: funnelBreakdownSchema.optional(),
  })
  .superRefine((q, ctx) => {
    const at = q.breakdown?.at_step;
    if (at !== undefined && at > q.definition.steps.length) {
      ctx.addIssue({ code: 'custom', path: ['breakdown', 'at_step'], message: 'no such step' });
    }
  }) satisfies z.ZodType<SaveFunnelRequest>;

/**
 * A saved definition (stored as JSON, read without validation) in today's names: the
 * `exclusion_mode` "person" became "unit", the same rule under a name that does not claim to be
 * PostHog's. The funnel's results do not change; the next save stores the new name.
 */
export function normaliseSavedDefinition(d: FunnelDefinition): FunnelDefinition {
  const mode = d.exclusion_mode && RENAMED_EXCLUSION_MODES[d.exclusion_mode];
  return mode ? { ...d, exclusion_mode: mode } : d;
}

/** The window in seconds, with its default applied. */
export function funnelWindowSeconds(d: FunnelDefinition): number {
  return d.window_seconds ?? FUNNEL_LIMITS.defaultWindowSeconds;
}

export const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/**
 * `breakdown=column:channel`, `property:plan` or `experiment:cta-color` as a query parameter.
 */
export const breakdownParam = z
  .string()
  .max(200)
  .transform((s, ctx): BreakdownDimension => {
    const i = s.indexOf(':');
    const kind = s.slice(0, i);
    const name = s.slice(i + 1);
    const parsed = breakdownDimensionSchema.safeParse(i > 0 ? { [kind]: name } : {});
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'expected column:NAME, property:KEY or experiment:KEY' });
      return z.NEVER;
    }
    return parsed.data;
  });

/** Query string of `GET …/funnels/:id/results`. */
export const funnelResultsQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: timeZone.optional(),
  breakdown: breakdownParam.optional(),
  breakdown_attribution: attribution.optional(),
  breakdown_step: z.coerce.number().int().min(1).max(FUNNEL_LIMITS.maxSteps).optional(),
  breakdown_limit: z.coerce.number().int().min(1).max(FUNNEL_LIMITS.breakdownLimit).optional(),
  cohorts: z.enum(['all', 'mature']).optional(),
  compare: flag.optional(),
  trend: z.enum(['day', 'week']).optional(),
  explain: flag.optional(),
});
export type FunnelResultsQuery = z.infer<typeof funnelResultsQuerySchema>;

/** Query string of `GET …/schema`. */
export const siteSchemaQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: timeZone.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  explain: explainFlag.optional(),
});

export interface SiteSchemaResponse {
  site_id: string;
  from: string;
  to: string;
  event_types: { type: string; events: number }[];
  names: { type: string; name: string; events: number }[];
  properties: { key: string; top_values: { value: string; events: number }[] }[];
  explain?: ExplainedQuery[];
}
