/** Paths of the OpenAPI document for experiment definitions and their results. */
import { experimentPlanQuerySchema, experimentResultsQuerySchema } from '@funnelhouse/schemas';
import { error, type Json, json, ok, queryParams, ref, siteOp, siteParam } from './parts.ts';

const keyParam = {
  name: 'key',
  in: 'path',
  required: true,
  description: 'The experiment key (the exposure event name the snippet sends)',
  schema: { type: 'string' },
};

/** A definition as a marketer writes it: the seeded button-colour test. */
const definitionExample = {
  key: 'cta-color',
  name: 'Checkout button colour',
  hypothesis: 'A green checkout button sells more than the red one',
  variants: [
    { key: 'red', weight: 1 },
    { key: 'green', weight: 1 },
  ],
  control: 'red',
  status: 'running',
  primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 86400 },
  secondary_metrics: [
    { kind: 'revenue_per_visitor', cap: { percentile: 0.99 } },
    { kind: 'average_order_value' },
    {
      kind: 'funnel',
      window_seconds: 86400,
      steps: [{ match: [{ type: 'begin_checkout' }] }, { match: [{ type: 'purchase' }] }],
    },
  ],
  guardrail_metrics: [
    {
      kind: 'conversion',
      event: { type: 'custom', name: 'error' },
      window_seconds: 3600,
      direction: 'decrease',
    },
  ],
};

/** How results are computed, as the results operation documents it. */
const RESULTS_METHOD = `Units enter at their first \`exposure\` event for the key within the range and the
experiment's dates; units seen in more than one variant are left out (\`health.multiple_exposures\`).
The unit is the visitor, or with \`unit: "user"\` the visitor's first user id in the range (all visitors
of one user are one unit). Only events at or after entry count.

Per variant: rate (Wilson 95 % interval, pooled two-proportion z-test), mean (t interval, Welch's t-test)
or ratio (average order value, property mean: delta method, z-test); absolute and relative uplift
(delta method) with 95 % intervals; Holm-corrected p-values within each role; chance to beat control
and expected loss (rates: Beta(1, 1) priors; otherwise a Gaussian on the absolute uplift with a flat
prior); \`significantly_better\`/\`worse\` at Holm p < 0.05 in the metric's direction; guardrails
\`flagged\` when a variant is significantly worse.

\`cuped=1\`: CUPED (Deng et al., WSDM 2013) with the unit's same metric over the \`cuped_days\` (14) before
its entry as covariate, one pooled θ; \`variance_reduction\` is the control's. Not for ratios or funnels.

\`sequential=1\`: always-valid intervals and p-values from the asymptotic confidence sequences of
Waudby-Smith, Arnold, Wu, Ramdas, Howard & Kohavi ("Time-uniform central limit theory and asymptotic
confidence sequences", Annals of Statistics 2024, arXiv:2103.06476), tuned to be tightest at
\`sequential_tuning\` total units (5,000): safe to read every day and stop when an interval excludes 0.

Health: sample-ratio mismatch (chi-square against the weights, flagged at p < 0.001 once the total is
≥ 100 units, whatever one variant holds: a variant with no units is a mismatch; it waits only while a
weight leaves some variant fewer than 5 expected units), multiple exposures and their share, exposures
of undefined variants (the 20 with the most units listed in \`undefined_variants\`, any others counted
in \`undefined_variants_more\`), fewer than 100 units in a variant, money metrics in several currencies
without rates (\`mixed_currencies\`). \`planning\`: units per variant for the definition's
\`plan\` (10 % relative MDE, α 0.05, power 0.8 by default) from the control's observed value, and days
left at the observed pace.

Money (revenue per visitor, average order value, property metrics with \`money: true\`, whose values
are amounts in their event's currency): two currencies are never added. With the site's rates
(\`PUT /api/v1/sites/{siteId}/settings/currency-rates\`) every amount, each order and each property value,
is converted to the reporting currency before a unit's total is summed and squared, so means and
variances are of converted amounts; amounts in a currency without a rate are left out and listed in the
metric's \`missing_rates\`. Without rates, amounts in one currency are read as they are; in more than one,
the metric reads only the currency with the most amounts (orders, or property values; ties by code),
and \`health.mixed_currencies\` (warning \`mixed_currencies\`) names the metric, the currencies and the
one \`used\`. Amounts recorded without a currency are their own currency \`""\`, never taken for another.
Each metric's \`currency\` is the unit of all its money numbers (value, interval, sums, absolute uplift,
expected loss, cap): the reporting currency with rates, else the one read; null for metrics that are not
money. \`currencies\` counts the amounts per currency, most first.

Scales: \`absolute\` (treatment − control, in the metric's units) is what \`p_value\` tests, and its
interval is the test's; \`relative\` (treatment ÷ control − 1) has a delta-method interval that can
disagree with the p-value near zero.

\`verdict\`, one for the answer, independent of \`cuped\` and \`metrics\` (the primary metric is read
both ways, without CUPED, the sequential test tuned by \`sequential_tuning\`):
1. a sample-ratio mismatch calls nothing (\`untrustworthy\`);
2. before the planned sample (the smallest variant below \`planning.needed_per_variant\`, or no plan),
   the call rests on the always-valid (sequential) test: a fixed-horizon p-value read daily overstates
   the evidence, so a winner is named only when the sequential test finds one (\`test: "sequential"\`);
   from the planned sample on, on the fixed-horizon test (\`test: "fixed_horizon"\`);
3. with fewer than 100 units in a variant nothing is called (\`too_early\`);
4. \`better\`/\`worse\` at Holm p < 0.05 in the metric's \`direction\` (\`decrease\`: lower is better);
   otherwise \`too_early\` before the plan, \`no_difference\` from it on; \`no_data\` without a comparison.
It states the progress (\`progress\`: the smallest variant's units against the units planned per variant)
and every health warning in words (\`warnings\`); \`text\` is the whole paragraph.`;

/** CRUD of experiment definitions and `GET …/results` (secret API key). */
export function experimentPaths(): Json {
  const base = '/api/v1/sites/{siteId}/experiments';
  const body = (s: string) => ({ required: true, content: json(ref(s)) });
  return {
    [base]: {
      get: siteOp(
        'List experiments',
        { parameters: [siteParam] },
        {
          '200': ok('Experiments', {
            type: 'object',
            properties: { experiments: { type: 'array', items: ref('SavedExperiment') } },
            required: ['experiments'],
          }),
        },
      ),
      post: siteOp(
        'Define an experiment',
        {
          parameters: [siteParam],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('ExperimentDefinition'), example: definitionExample },
            },
          },
        },
        {
          '201': ok('The experiment', ref('SavedExperiment')),
          '409': error('An experiment with this key exists (`conflict`)'),
        },
      ),
    },
    [`${base}/{key}`]: {
      get: siteOp(
        'Get an experiment',
        { parameters: [siteParam, keyParam] },
        { '200': ok('The experiment', ref('SavedExperiment')) },
      ),
      put: siteOp(
        'Replace an experiment definition (the key stays)',
        { parameters: [siteParam, keyParam], requestBody: body('UpdateExperiment') },
        { '200': ok('The experiment', ref('SavedExperiment')) },
      ),
      delete: siteOp(
        'Delete an experiment definition (its events stay)',
        { parameters: [siteParam, keyParam] },
        { '204': { description: 'Deleted' } },
      ),
    },
    [`${base}/{key}/results`]: {
      get: siteOp(
        'Results per variant and metric, with the health checks',
        {
          description: RESULTS_METHOD,
          parameters: [
            siteParam,
            keyParam,
            ...queryParams(experimentResultsQuerySchema).map((p) => ({
              ...p,
              ...(RESULT_EXAMPLES[p.name as string] ?? {}),
            })),
          ],
        },
        {
          '200': ok('Per-variant statistics, comparisons with the control, health', ref('ExperimentResult')),
        },
      ),
    },
    '/api/v1/sites/{siteId}/experiment-plan': {
      get: siteOp(
        'Sample size for a test before it runs (a rate, or a mean with its standard deviation)',
        {
          parameters: [
            siteParam,
            ...queryParams(experimentPlanQuerySchema).map((p) => ({
              ...p,
              ...(PLAN_EXAMPLES[p.name as string] ?? {}),
            })),
          ],
        },
        { '200': ok('Units per variant and in all, and days at the given pace', ref('ExperimentPlan')) },
      ),
    },
  };
}

const RESULT_EXAMPLES: Record<string, { example: unknown }> = {
  range: { example: '30d' },
  metrics: { example: 'primary,guardrail' },
  cuped: { example: '1' },
  sequential: { example: '1' },
  breakdown: { example: 'column:device' },
  over_time: { example: '1' },
};

const PLAN_EXAMPLES: Record<string, { example: unknown }> = {
  baseline_rate: { example: 0.04 },
  mde_relative: { example: 0.1 },
  daily_units: { example: 1500 },
};
