/**
 * A/B experiment definitions and results. The snippet sends one `exposure` event per visitor and
 * experiment (`name` = the experiment key, the variant in `experiments[key]`); a definition names
 * the variants and their planned split, the control, the dates and the metrics to read.
 */
import { z } from 'zod';
import { dateOrInstant, explainFlag, explainSchema, relativeRange, timeZone } from './api.ts';
import { stepAlternativeSchema } from './funnel.ts';
import { FUNNEL_LIMITS, FUNNEL_TOO_COMPLEX, funnelComplexityProblem } from './funnel-size.ts';

/** Bounds of one definition: each is a query (metrics) or a term of every statistic (variants). */
export const EXPERIMENT_LIMITS = {
  variants: 20,
  secondaryMetrics: 10,
  /** The snippet's own bound on an experiment key and a variant (`exp` in `event.ts`). */
  keyLength: 128,
} as const;

const key = z
  .string()
  .min(1)
  .max(EXPERIMENT_LIMITS.keyLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - (not first)');

/** A value a visitor's number is capped at (winsorised) before it is summed. */
const cap = z.number().positive().max(1e12);

/**
 * A metric read per exposed visitor, from its events at or after its entry:
 * - `conversion`: converted when an event matching `event` comes within `window_seconds` of entry;
 * - `revenue_per_visitor`: the revenue of its orders (one per `order_id`), `cap` on the visitor's total;
 * - `orders_per_visitor`: its orders, `cap` on the visitor's count;
 * - `average_order_value`: Σ revenue / Σ orders over visitors (a ratio, delta method), `cap` on
 *   each visitor's revenue.
 */
export const experimentMetricSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('conversion'),
    event: stepAlternativeSchema,
    window_seconds: z.number().int().min(1).max(FUNNEL_LIMITS.maxWindowSeconds),
  }),
  z.strictObject({ kind: z.literal('revenue_per_visitor'), cap: cap.optional() }),
  z.strictObject({ kind: z.literal('orders_per_visitor'), cap: cap.optional() }),
  z.strictObject({ kind: z.literal('average_order_value'), cap: cap.optional() }),
]);
export type ExperimentMetric = z.infer<typeof experimentMetricSchema>;

export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped'] as const;

const variantSchema = z.strictObject({
  key,
  /** Planned share, any positive scale (normalised over the variants). */
  weight: z.number().positive().max(1e6),
});

const instant = z.iso.datetime({ offset: true });

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
};

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
  },
  ctx: z.RefinementCtx,
): void {
  const events = [d.primary_metric, ...(d.secondary_metrics ?? [])].flatMap((m) =>
    m.kind === 'conversion' ? [{ match: [m.event] }] : [],
  );
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
  created_at: z.string(),
  updated_at: z.string(),
});
export type SavedExperiment = z.infer<typeof savedExperimentSchema>;

/** Query string of `GET …/experiments/:key/results`. */
export const experimentResultsQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: timeZone.optional(),
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

/** One variant under one metric; `comparison` is null for the control and without enough units. */
export const experimentVariantResultSchema = z.object({
  variant: z.string(),
  units: z.number().int(),
  sums: variantSums,
  /** Rate, mean or ratio; null without enough units (a mean needs 2, a ratio an order). */
  value: z.number().nullable(),
  /** 95 %: Wilson for rates, t for means, normal (delta method) for ratios. */
  interval: interval.nullable(),
  comparison: z
    .object({
      /** treatment − control. */
      absolute: uplift,
      /** treatment / control − 1; null when the control's value is 0. */
      relative: uplift.nullable(),
      /** Two-sided: pooled z-test (rates), Welch t-test (means), z-test (ratios). */
      p_value: z.number(),
      /** Holm-adjusted over every treatment × metric comparison of the answer. */
      p_value_holm: z.number(),
      /** Rates: Beta(1, 1) posteriors; means and ratios: Gaussian on the absolute uplift, flat prior. */
      chance_to_beat_control: z.number(),
    })
    .nullable(),
});

export const experimentMetricResultSchema = z.object({
  role: z.enum(['primary', 'secondary']),
  metric: experimentMetricSchema,
  variants: z.array(experimentVariantResultSchema),
});

export const experimentResultSchema = z.object({
  site_id: z.string(),
  experiment_key: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  control: z.string(),
  /** Exposed visitors per defined variant (one variant only), in the definition's order. */
  variants: z.array(z.object({ key: z.string(), weight: z.number(), units: z.number().int() })),
  health: z.object({
    /** Chi-square goodness of fit of units against the weights; checked once every variant has 8 and the total 100. */
    srm: z.object({ checked: z.boolean(), p_value: z.number().nullable(), mismatch: z.boolean() }),
    /** Visitors exposed to more than one variant: left out of every number. */
    multiple_exposures: z.number().int(),
    /** Exposures with a variant the definition does not name (or none): left out too. */
    undefined_variants: z.array(z.object({ variant: z.string(), units: z.number().int() })),
  }),
  metrics: z.array(experimentMetricResultSchema),
  explain: explainSchema.optional(),
});
export type ExperimentResult = z.infer<typeof experimentResultSchema>;
export type ExperimentVariantResult = z.infer<typeof experimentVariantResultSchema>;
