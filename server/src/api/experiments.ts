import {
  experimentDefinitionSchema,
  experimentPlanQuerySchema,
  experimentResultsQuerySchema,
  type UpdateExperimentRequest,
  updateExperimentSchema,
} from '@funnelhouse/schemas';
import { type Context, Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import {
  createExperiment,
  definitionOf,
  deleteExperiment,
  listSavedExperiments,
  loadExperiment,
  replaceExperiment,
  savedExperiment,
} from '../definitions/experiments.ts';
import type { Deps } from '../deps.ts';
import { planExperiment } from '../experiments/plan.ts';
import { runExperiment } from '../experiments/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readCurrencyRates } from '../sites/currency-rates.ts';
import { readJson, readQuery } from './body.ts';
// The RE2 check walks any definition; it lives with the funnels until it moves down a floor.
import { checkPatterns } from './patterns.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** Refuses metrics whose patterns RE2 cannot compile (400 naming each), as funnels are. */
async function checkMetricPatterns(
  verdicts: Deps['patterns'],
  reports: Deps['store'],
  d: UpdateExperimentRequest,
): Promise<void> {
  await checkPatterns(verdicts, reports, d.primary_metric, 'invalid_body', 'primary_metric');
  if (d.secondary_metrics)
    await checkPatterns(verdicts, reports, d.secondary_metrics, 'invalid_body', 'secondary_metrics');
  if (d.guardrail_metrics)
    await checkPatterns(verdicts, reports, d.guardrail_metrics, 'invalid_body', 'guardrail_metrics');
}

/** CUPED's default pre-period: the two weeks before each unit's entry. */
const CUPED_DAYS = 14;

/** Experiment ranges: at most a year, like funnels. */
const EXPERIMENT_RANGE_DAYS = 366;

/** Experiment definitions and results of one site (secret API key). */
export function experimentRoutes({ registry, store, shares, patterns }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);
  const base = '/api/v1/sites/:siteId/experiments';
  const reports = (c: Context) => reportStore(c, store);

  // A sample size for a baseline, before any data (results give the plan from the data).
  app.get('/api/v1/sites/:siteId/experiment-plan', auth, (c) =>
    c.json(planExperiment(readQuery(c, experimentPlanQuerySchema))),
  );

  app.get(base, auth, async (c) =>
    c.json({ experiments: await listSavedExperiments(store, c.req.param('siteId')) }),
  );

  app.post(base, auth, async (c) => {
    const definition = await readJson(c, experimentDefinitionSchema);
    await checkMetricPatterns(patterns, reports(c), definition);
    return c.json(await createExperiment(store, c.req.param('siteId'), definition), 201);
  });

  app.get(`${base}/:key`, auth, async (c) =>
    c.json(savedExperiment(await loadExperiment(store, c.req.param('siteId'), c.req.param('key')))),
  );

  app.put(`${base}/:key`, auth, async (c) => {
    const site = c.req.param('siteId');
    const old = await loadExperiment(store, site, c.req.param('key'));
    const fields = await readJson(c, updateExperimentSchema);
    await checkMetricPatterns(patterns, reports(c), fields);
    return c.json(await replaceExperiment(store, site, old, fields));
  });

  app.delete(`${base}/:key`, auth, async (c) => {
    const site = c.req.param('siteId');
    await deleteExperiment(store, site, await loadExperiment(store, site, c.req.param('key')));
    return c.body(null, 204);
  });

  app.get(`${base}/:key/results`, auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, experimentResultsQuerySchema);
    const d = definitionOf(await loadExperiment(store, site, c.req.param('key')));
    const range = await readRange(store, site, q, {
      maxDays: EXPERIMENT_RANGE_DAYS,
      siteTz: registry.timeZoneOf(site),
    });
    const trace = traceIf(q.explain);
    // Money metrics are converted to the reporting currency when the site has rates.
    const rates = await readCurrencyRates(store, site);
    const result = await runExperiment(
      reports(c),
      d,
      range,
      {
        roles: q.metrics,
        cupedDays: q.cuped ? (q.cuped_days ?? CUPED_DAYS) : undefined,
        sequential: q.sequential,
        sequentialTuning: q.sequential_tuning,
        breakdown: q.breakdown ? { dimension: q.breakdown, limit: q.breakdown_limit ?? 10 } : undefined,
        overTime: q.over_time,
        rates,
      },
      trace,
    );
    return c.json({
      site_id: site,
      experiment_key: d.key,
      from: range.from,
      to: range.to,
      tz: range.tz,
      ...result,
      ...explained(trace),
    });
  });

  return app;
}
