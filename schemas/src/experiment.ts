/**
 * A/B experiment definitions and results. The snippet sends one `exposure` event per visitor and
 * experiment (`name` = the experiment key, the variant in `experiments[key]`); a definition names
 * the variants and their planned split, the control, the dates and the metrics to read.
 */
import { z } from 'zod';
import { dateOrInstant, explainFlag, explainSchema, isCalendarDate, relativeRange, timeZone } from './api.ts';
import { alternatives, breakdownParam, flag, stepAlternativeSchema } from './funnel.ts';
import { FUNNEL_LIMITS, FUNNEL_TOO_COMPLEX, funnelComplexityProblem } from './funnel-size.ts';

/** Bounds of one definition: each is a query (metrics) or a term of every statistic (variants). */
export const EXPERIMENT_LIMITS = {
  variants: 20,
  secondaryMetrics: 10,
  guardrailMetrics: 10,
  /** The snippet's own bound on an experiment key and a variant (`exp` in `event.ts`). */
  keyLength: 128,
} as const;

/**
 * Undefined variants listed in results' health, the ones with the most units: any visitor can
 * send any variant, so the rest is only counted (`undefined_variants_more`).
 */
export const MAX_UNDEFINED_VARIANTS = 20;

const key = z
  .string()
  .min(1)
  .max(EXPERIMENT_LIMITS.keyLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - (not first)');

/**
 * Capping (winsorising) one unit's number before it is summed, so a few huge orders cannot decide
 * a test: at a fixed value, or at a percentile of the counted units' non-zero values (all
 * variants together, computed in the same query). The answer says which cap was applied and its
 * value.
 */
const cap = z.union([
  z.number().positive().max(1e12),
  z.strictObject({ percentile: z.number().min(0.5).max(0.9999) }),
]);
export type MetricCap = z.infer<typeof cap>;

const windowSeconds = z.number().int().min(1).max(FUNNEL_LIMITS.maxWindowSeconds);
const propertyKey = z.string().min(1).max(128);

/**
 * Which way is good for a metric: `increase` (default) or `decrease` (e.g. refunds, errors).
 * Chance to beat control, expected loss and the guardrail flag read it.
 */
const direction = z.enum(['increase', 'decrease']);

/**
 * A property metric whose values are amounts in their event's `currency` (e.g. a discount on a
 * purchase): read like revenue, never adding two currencies (see the results' `currency`).
 */
const money = z.boolean().describe("The property is an amount in its event's currency");

/**
 * A metric read per unit (visitor, or user; see `unit`), from its events at or after entry:
 * - `conversion`: converted when an event matching `event` comes within `window_seconds` of entry;
 * - `funnel`: every step's rate over all counted units: step k is reached when its event comes
 *   after step k−1's (step 1: at or after entry), all within `window_seconds` of entry;
 * - `revenue_per_visitor`: the revenue of its orders (one per `order_id`), `cap` on the unit's total;
 * - `orders_per_visitor`: its orders, `cap` on the unit's count;
 * - `average_order_value`: Σ revenue / Σ orders over units (a ratio, delta method), `cap` on
 *   each unit's revenue;
 * - `property_sum`: Σ of the numeric property `property` over its events matching `event` (any
 *   event when absent) within `window_seconds` (the range's end when absent), a per-unit mean;
 * - `property_mean`: those values' mean over events, Σ values / Σ events (a ratio, delta method).
 *
 * Money metrics (`revenue_per_visitor`, `average_order_value`, property metrics with `money`)
 * never add two currencies: with the site's rates each amount is converted before it is summed;
 * without, one currency's amounts are read and named (results: `currency`, `mixed_currencies`).
 */
export const experimentMetricSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('conversion'),
    event: stepAlternativeSchema,
    window_seconds: windowSeconds,
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('funnel'),
    steps: z
      .array(z.strictObject({ label: z.string().max(200).optional(), match: alternatives }))
      .min(1)
      .max(FUNNEL_LIMITS.maxSteps),
    window_seconds: windowSeconds,
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('revenue_per_visitor'),
    cap: cap.optional(),
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('orders_per_visitor'),
    cap: cap.optional(),
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('average_order_value'),
    cap: cap.optional(),
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('property_sum'),
    property: propertyKey,
    money: money.optional(),
    event: stepAlternativeSchema.optional(),
    window_seconds: windowSeconds.optional(),
    cap: cap.optional(),
    direction: direction.optional(),
  }),
  z.strictObject({
    kind: z.literal('property_mean'),
    property: propertyKey,
    money: money.optional(),
    event: stepAlternativeSchema.optional(),
    window_seconds: windowSeconds.optional(),
    cap: cap.optional(),
    direction: direction.optional(),
  }),
]);
export type ExperimentMetric = z.infer<typeof experimentMetricSchema>;

/**
 * The counting unit: `visitor` (default), or `user`: a visitor that carries a user id on any of
 * its events in the range counts as that user (its first user id by time), with every visitor
 * of the same user; a visitor never identified stays its own unit. So a visitor exposed while
 * anonymous who signs in later is one unit with its other devices, from the first exposure of
 * any of them.
 */
export const EXPERIMENT_UNITS = ['visitor', 'user'] as const;

/** What the sample-size plan aims at (defaults: 10 % relative MDE, α 0.05, power 0.8). */
const planSettings = z.strictObject({
  mde_relative: z.number().positive().max(10).optional(),
  alpha: z.number().min(0.0001).max(0.5).optional(),
  power: z.number().min(0.5).max(0.9999).optional(),
});

export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped'] as const;

const variantSchema = z.strictObject({
  key,
  /**
   * Planned share, any scale from 10^-6 to 10^6 (normalised over the variants). The floor keeps
   * a share a normal number: 1e-320 (a denormal) is positive, yet every share and the
   * sample-ratio test built on it were nonsense.
   */
  weight: z.number().min(1e-6).max(1e6),
});

/** An ISO instant with offset, in the years reports can ask for (2000–2099, as `dateOrInstant`). */
const instant = z.iso
  .datetime({ offset: true })
  .refine((s) => isCalendarDate(s.slice(0, 10)), 'expected a date-time in the years 2000–2099');

/** The fields of a definition besides its key (the body of `PUT`). */
const fields = {
  name: z.string().min(1).max(200),
  hypothesis: z.string().max(2000).optional(),
  variants: z.array(variantSchema).min(2).max(EXPERIMENT_LIMITS.variants),
  control: key,
  status: z.enum(EXPERIMENT_STATUSES),
  /** Exposures before `start_at` or at/after `end_at` do not enter the experiment. */
  start_at: instant.optional(),
  end_at: instant.optional(),
  primary_metric: experimentMetricSchema,
  secondary_metrics: z.array(experimentMetricSchema).max(EXPERIMENT_LIMITS.secondaryMetrics).optional(),
  /** Metrics that must not get worse: reported apart, flagged when significantly worse. */
  guardrail_metrics: z.array(experimentMetricSchema).max(EXPERIMENT_LIMITS.guardrailMetrics).optional(),
  unit: z.enum(EXPERIMENT_UNITS).optional(),
  plan: planSettings.optional(),
};

/** Every metric of a definition: primary, secondaries, guardrails. */
export function allMetrics(d: {
  primary_metric: ExperimentMetric;
  secondary_metrics?: ExperimentMetric[] | undefined;
  guardrail_metrics?: ExperimentMetric[] | undefined;
}): ExperimentMetric[] {
  return [d.primary_metric, ...(d.secondary_metrics ?? []), ...(d.guardrail_metrics ?? [])];
}

/**
 * Cross-field rules: distinct variants, a control among them, start before end, and the
 * conversion events of all metrics together within the funnel's whole-definition bounds
 * (conditions, pattern characters: `FUNNEL_LIMITS`), since each one is a condition on every event
 * of the range, as a funnel step is (→ `funnel_too_complex`).
 */
function consistent(
  d: {
    variants: { key: string }[];
    control: string;
    start_at?: string | undefined;
    end_at?: string | undefined;
    primary_metric: ExperimentMetric;
    secondary_metrics?: ExperimentMetric[] | undefined;
    guardrail_metrics?: ExperimentMetric[] | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const events = allMetrics(d).flatMap((m) => {
    if (m.kind === 'funnel') return m.steps;
    if ('event' in m && m.event) return [{ match: [m.event] }];
    return [];
  });
  const tooBig = funnelComplexityProblem({ steps: events });
  if (tooBig) ctx.addIssue({ code: 'custom', message: tooBig, params: { reason: FUNNEL_TOO_COMPLEX } });
  const keys = d.variants.map((v) => v.key);
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', i, 'key'],
        message: 'variant keys must be distinct',
      });
    }
  });
  if (!keys.includes(d.control)) {
    ctx.addIssue({ code: 'custom', path: ['control'], message: 'the control must be one of the variants' });
  }
  if (d.start_at && d.end_at && Date.parse(d.start_at) >= Date.parse(d.end_at)) {
    ctx.addIssue({ code: 'custom', path: ['end_at'], message: '`end_at` must be after `start_at`' });
  }
}

/** Body of `POST …/experiments`. */
export const experimentDefinitionSchema = z.strictObject({ key, ...fields }).superRefine(consistent);
export type ExperimentDefinition = z.infer<typeof experimentDefinitionSchema>;

/** Body of `PUT …/experiments/:key`: the definition without its key (the key is the path's). */
export const updateExperimentSchema = z.strictObject(fields).superRefine(consistent);
export type UpdateExperimentRequest = z.infer<typeof updateExperimentSchema>;

export const savedExperimentSchema = z.object({
  key: z.string(),
  name: z.string(),
  hypothesis: z.string().optional(),
  variants: z.array(z.object({ key: z.string(), weight: z.number() })),
  control: z.string(),
  status: z.enum(EXPERIMENT_STATUSES),
  start_at: z.string().optional(),
  end_at: z.string().optional(),
  primary_metric: experimentMetricSchema,
  secondary_metrics: z.array(experimentMetricSchema).optional(),
  guardrail_metrics: z.array(experimentMetricSchema).optional(),
  unit: z.enum(EXPERIMENT_UNITS).optional(),
  plan: planSettings.optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SavedExperiment = z.infer<typeof savedExperimentSchema>;

export const METRIC_ROLES = ['primary', 'secondary', 'guardrail'] as const;

const roles = z
  .string()
  .max(100)
  .transform((v, ctx) => {
    const list = v.split(',').filter((x) => x !== '');
    const bad = list.find((x) => !(METRIC_ROLES as readonly string[]).includes(x));
    if (bad !== undefined || list.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected a comma list of primary, secondary, guardrail' });
      return z.NEVER;
    }
    return list as (typeof METRIC_ROLES)[number][];
  });

/** Query string of `GET …/experiments/:key/results`. */
export const experimentResultsQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: timeZone.optional(),
  /** Which metrics to read (default all): `primary`, `secondary`, `guardrail`, comma-separated. */
  metrics: roles.optional(),
  /** CUPED: adjust by each unit's same metric over the `cuped_days` before its entry. */
  cuped: flag.optional(),
  cuped_days: z.coerce.number().int().min(1).max(90).optional(),
  /** Always-valid intervals and p-values (safe to read every day). */
  sequential: flag.optional(),
  /** Total units (all variants) where the confidence sequence is tightest; default 5,000. */
  sequential_tuning: z.coerce.number().int().min(100).max(1e9).optional(),
  /** Results per value of a column, property or other experiment at the unit's entry. */
  breakdown: breakdownParam.optional(),
  breakdown_limit: z.coerce.number().int().min(1).max(50).optional(),
  /** The primary metric cumulated by day of first exposure. */
  over_time: flag.optional(),
  explain: explainFlag.optional(),
});
export type ExperimentResultsQuery = z.infer<typeof experimentResultsQuerySchema>;

const interval = z.object({ low: z.number(), high: z.number() });
const uplift = z.object({ estimate: z.number(), interval });

/** The sums a variant's statistic was computed from (what the SQL returned). */
const variantSums = z.union([
  z.object({ conversions: z.number().int() }),
  z.object({ sum: z.number(), sum_sq: z.number() }),
  z.object({
    sum_x: z.number(),
    sum_y: z.number(),
    sum_x_sq: z.number(),
    sum_y_sq: z.number(),
    sum_xy: z.number(),
  }),
]);

const comparisonSchema = z.object({
  /** treatment − control. */
  absolute: uplift,
  /** treatment / control − 1 (delta method); null when the control's value is 0 or sequential. */
  relative: uplift.nullable(),
  /**
   * Two-sided: pooled z-test (rates), Welch t-test (means), z-test (ratios, CUPED); with
   * `sequential`, the always-valid p-value of the confidence sequence.
   */
  p_value: z.number(),
  /** Holm-adjusted over every treatment × metric comparison of the same role. */
  p_value_holm: z.number(),
  /**
   * Rates: Beta(1, 1) posteriors; means, ratios, CUPED: Gaussian on the absolute uplift with a
   * flat prior. "Beat" follows the metric's direction.
   */
  chance_to_beat_control: z.number(),
  /** Expected loss of shipping this variant, in the metric's units (E[max(control − variant, 0)]). */
  expected_loss: z.number(),
  /** p < 0.05 (Holm) in the metric's bad direction. */
  significantly_worse: z.boolean(),
  significantly_better: z.boolean(),
});

/** One variant under one metric; `comparison` is null for the control and without enough units. */
export const experimentVariantResultSchema = z.object({
  variant: z.string(),
  units: z.number().int(),
  sums: variantSums,
  /** Rate, mean or ratio (CUPED: the adjusted mean); null without enough units. */
  value: z.number().nullable(),
  /** 95 %: Wilson for rates, t for means, normal (delta method) for ratios and CUPED. */
  interval: interval.nullable(),
  comparison: comparisonSchema.nullable(),
});

const cappingSchema = z.object({
  kind: z.enum(['value', 'percentile']),
  percentile: z.number().optional(),
  /** The value units were capped at (for a percentile, as computed on this data; 0 without values). */
  value: z.number(),
});

export const experimentMetricResultSchema = z.object({
  role: z.enum(METRIC_ROLES),
  metric: experimentMetricSchema,
  variants: z.array(experimentVariantResultSchema),
  /** For a funnel metric: each step's rate per variant (the metric's `variants` are its last step). */
  steps: z
    .array(
      z.object({
        step: z.number().int(),
        label: z.string().optional(),
        variants: z.array(experimentVariantResultSchema),
      }),
    )
    .optional(),
  capping: cappingSchema.nullable(),
  /** With `cuped=1`: applied (means and rates), its θ and the variance removed; null otherwise. */
  cuped: z
    .object({
      applied: z.boolean(),
      reason: z.string().optional(),
      pre_period_days: z.number().int(),
      theta: z.number().nullable(),
      /** 1 − adjusted/unadjusted variance of the control's mean. */
      variance_reduction: z.number().nullable(),
    })
    .nullable(),
  sequential: z.boolean(),
  /**
   * Money metrics (revenue per visitor, average order value, property metrics with `money`): the
   * currency of every money number of this metric (values, intervals, sums, absolute uplifts,
   * expected loss, the cap). With the site's rates, the reporting currency (each amount converted
   * before it is summed); without, the one currency read (`''`: amounts recorded without one).
   * Null for other metrics, and for money ones with no amounts and no rates.
   */
  currency: z.string().nullable(),
  /** Money metrics: the currencies of the amounts counted (orders, or property values), most first. */
  currencies: z.array(z.object({ currency: z.string(), count: z.number().int() })),
  /** With rates: currencies of amounts without a rate, left out of every number. */
  missing_rates: z.array(z.string()),
  /** Guardrails: some variant is significantly worse. */
  flagged: z.boolean(),
});

/** The health warnings' codes, in the order the answer lists them. */
export const HEALTH_WARNINGS = [
  'srm',
  'multiple_exposures',
  'undefined_variants',
  'low_sample',
  'mixed_currencies',
] as const;

const healthSchema = z.object({
  /**
   * Chi-square goodness of fit of units against the weights; checked once the total is 100 (and
   * every variant expects ≥ 5 at its weight), whatever one variant holds: zero units flags.
   */
  srm: z.object({ checked: z.boolean(), p_value: z.number().nullable(), mismatch: z.boolean() }),
  /** Units exposed to more than one variant: left out of every number. */
  multiple_exposures: z.number().int(),
  /** Their share of all exposed units. */
  multiple_exposure_share: z.number(),
  /**
   * Exposures with a variant the definition does not name (or none): left out too. At most
   * `MAX_UNDEFINED_VARIANTS` (20), those with the most units first (ties by variant).
   */
  undefined_variants: z
    .array(z.object({ variant: z.string(), units: z.number().int() }))
    .max(MAX_UNDEFINED_VARIANTS),
  /** Further undefined variants, not listed (their units are still in the exposure share). */
  undefined_variants_more: z.number().int(),
  /** Fewer than 100 units in some variant: intervals are rough, wait before reading. */
  low_sample: z.boolean(),
  /**
   * Money metrics whose amounts came in more than one currency while the site has no rates
   * (PUT …/settings/currency-rates): two currencies are never added, so each is read on one
   * currency only, `used` (the one with the most amounts, ties by code), named in its `currency`.
   * `role` and `index` point into the definition (`index` within the role's list; 0 = primary).
   */
  mixed_currencies: z.array(
    z.object({
      role: z.enum(METRIC_ROLES),
      index: z.number().int(),
      currencies: z.array(z.string()),
      used: z.string(),
    }),
  ),
  /** Plain codes of what to look at: srm, multiple_exposures, undefined_variants, low_sample, mixed_currencies. */
  warnings: z.array(z.enum(HEALTH_WARNINGS)),
});

/** What the verdict calls; only `better` names a winner. */
export const VERDICT_CALLS = [
  /** A treatment is significantly better than the control, in the metric's direction. */
  'better',
  /** A treatment is significantly worse than the control (named, never shipped). */
  'worse',
  /** Before the planned sample, the always-valid test has not found a difference (or a variant has < 100 units). */
  'too_early',
  /** At the planned sample, the fixed-horizon test found no difference. */
  'no_difference',
  /** A sample ratio mismatch: nothing is called until the assignment is fixed. */
  'untrustworthy',
  /** No comparison yet (some variant has no units, or no primary metric was read). */
  'no_data',
] as const;

/**
 * The one verdict on the primary metric, the server's; the dashboard renders it as is. Before
 * the planned sample (or without a plan) it rests on the always-valid (sequential) test, from it
 * on the fixed-horizon test; it never names a winner under an SRM or with < 100 units in a
 * variant. Independent of `cuped` and `metrics`; `sequential_tuning` tunes its sequential test.
 */
const verdictSchema = z
  .object({
    call: z.enum(VERDICT_CALLS),
    /** The treatment the headline is about (the winner, the worse one, or the closest call). */
    variant: z.string().nullable(),
    /** The test the call rests on; null when nothing was tested (`untrustworthy`, `no_data`). */
    test: z.enum(['sequential', 'fixed_horizon']).nullable(),
    /** That test's Holm-adjusted p-value for `variant`. */
    p_value: z.number().nullable(),
    /** The metric's direction: `decrease` when lower is better. */
    direction: z.enum(['increase', 'decrease']),
    /** The smallest variant's units against the units per variant planned (`planning`). */
    progress: z.object({
      units: z.number().int(),
      /** Null while there is no baseline to plan from. */
      planned: z.number().int().nullable(),
      /** units / planned (above 1 past the plan); null without a plan. */
      share: z.number().nullable(),
    }),
    /** One sentence: the call, on what, by which test. */
    headline: z.string(),
    /** Every health warning of `health.warnings`, in words. */
    warnings: z.array(z.object({ code: z.enum(HEALTH_WARNINGS), text: z.string() })),
    /** The headline, the progress and every warning, as one paragraph. */
    text: z.string(),
  })
  .describe(
    'The one verdict on the primary metric. Before the planned sample (or without a plan) it rests on the always-valid (sequential) test and names a winner only when that test does; from the planned sample on, on the fixed-horizon test. Under a sample ratio mismatch, or with fewer than 100 units in a variant, it names no winner. It states the progress towards the planned sample and every health warning.',
  );
export type ExperimentVerdict = z.infer<typeof verdictSchema>;

const planningSchema = z.object({
  /** The primary metric's control value the plan starts from (rate or mean); null without data. */
  baseline: z.number().nullable(),
  mde_relative: z.number(),
  alpha: z.number(),
  power: z.number(),
  /** Units per variant to detect `mde_relative` (null without a baseline or its spread). */
  needed_per_variant: z.number().int().nullable(),
  /** Units the smallest-share variant has now. */
  smallest_variant_units: z.number().int(),
  /** Counted units per day over the range's days with exposures. */
  daily_units: z.number(),
  /** Days until every variant has `needed_per_variant` more … 0 when reached; null when unknown. */
  days_remaining: z.number().int().nullable(),
});

export const experimentResultSchema = z.object({
  site_id: z.string(),
  experiment_key: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  unit: z.enum(EXPERIMENT_UNITS),
  control: z.string(),
  /** Counted units per defined variant (one variant only), in the definition's order. */
  variants: z.array(z.object({ key: z.string(), weight: z.number(), units: z.number().int() })),
  /** How the counted units split over the variants, against the split the weights plan. */
  split: z.object({
    /** Counted units in all variants. */
    units: z.number().int(),
    /** In the definition's order. */
    variants: z.array(
      z.object({
        key: z.string(),
        /** The variant's share of `units`; null while no unit is counted. */
        share: z.number().nullable(),
        /** Its weight's share of all weights. */
        planned_share: z.number(),
      }),
    ),
  }),
  health: healthSchema,
  verdict: verdictSchema,
  metrics: z.array(experimentMetricResultSchema),
  planning: planningSchema,
  over_time: z
    .array(
      z.object({
        /** Day of first exposure (the range's zone); numbers cumulate every unit entered up to it. */
        day: z.string(),
        variants: z.array(experimentVariantResultSchema),
      }),
    )
    .optional(),
  breakdown: z
    .object({
      dimension: z.record(z.string(), z.string()),
      /** The values with the most units first, at most `breakdown_limit`; `omitted` counts the rest. */
      segments: z.array(
        z.object({
          value: z.string(),
          units: z.number().int(),
          metrics: z.array(experimentMetricResultSchema),
        }),
      ),
      omitted: z.number().int(),
    })
    .optional(),
  explain: explainSchema.optional(),
});
export type ExperimentResult = z.infer<typeof experimentResultSchema>;
export type ExperimentMetricResult = z.infer<typeof experimentMetricResultSchema>;
export type ExperimentVariantResult = z.infer<typeof experimentVariantResultSchema>;

/** Query string of `GET …/experiments/plan`: a sample size for a baseline, with or without data. */
export const experimentPlanQuerySchema = z
  .strictObject({
    /** A conversion rate in (0, 1) … */
    baseline_rate: z.coerce.number().gt(0).lt(1).optional(),
    /** … or a mean and a unit's standard deviation. */
    baseline_mean: z.coerce.number().optional(),
    sd: z.coerce.number().positive().optional(),
    mde_relative: z.coerce.number().positive().max(10),
    alpha: z.coerce.number().min(0.0001).max(0.5).optional(),
    power: z.coerce.number().min(0.5).max(0.9999).optional(),
    variants: z.coerce.number().int().min(2).max(EXPERIMENT_LIMITS.variants).optional(),
    /** Units a day entering the experiment (all variants): gives `days`. */
    daily_units: z.coerce.number().positive().optional(),
  })
  .superRefine((q, ctx) => {
    const rate = q.baseline_rate !== undefined;
    const mean = q.baseline_mean !== undefined || q.sd !== undefined;
    if (rate === mean) {
      ctx.addIssue({ code: 'custom', message: 'give baseline_rate, or baseline_mean with sd' });
    } else if (mean && (q.baseline_mean === undefined || q.sd === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'baseline_mean and sd go together' });
    } else if (mean && q.baseline_mean === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseline_mean'],
        message: 'a relative effect needs a non-zero mean',
      });
    }
  });
export type ExperimentPlanQuery = z.infer<typeof experimentPlanQuerySchema>;

export const experimentPlanSchema = z.object({
  needed_per_variant: z.number().int(),
  needed_total: z.number().int(),
  /** With `daily_units`: days until every variant has its units (even split). */
  days: z.number().int().nullable(),
  /** The method, in words. */
  method: z.string(),
});
export type ExperimentPlan = z.infer<typeof experimentPlanSchema>;
