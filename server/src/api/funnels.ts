import {
  correlationRequestSchema,
  type FunnelQueryRequest,
  funnelComplexityProblem,
  funnelQuerySchema,
  funnelResultsQuerySchema,
  saveFunnelSchema,
} from '@funnelhouse/schemas';
import { type Context, Hono } from 'hono';
import {
  createFunnel,
  deleteFunnel,
  listSavedFunnels,
  loadFunnel,
  replaceFunnel,
  savedDefinition,
  savedFunnel,
} from '../definitions/funnels.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { runCorrelation } from '../funnels/correlation-run.ts';
import { runFunnelQuery } from '../funnels/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readJson, readQuery } from './body.ts';
import { checkPatterns } from './patterns.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** Funnel ranges: at most a year (a unit's window may reach a year past the range's end). */
const FUNNEL_RANGE_DAYS = 366;

/**
 * The request's range checked like every report's, resolved: `from`/`to` as dates or instants
 * (a relative `range` becomes its dates) and `tz` in the engine's spelling.
 */
async function resolved<Q extends Pick<FunnelQueryRequest, 'from' | 'to' | 'range' | 'tz'>>(
  store: Deps['store'],
  site: string,
  q: Q,
  code: 'invalid_body' | 'invalid_query',
  siteTz: string,
): Promise<Omit<Q, 'range'> & { from: string; to: string; tz: string }> {
  const range = await readRange(store, site, q, { maxDays: FUNNEL_RANGE_DAYS, code, siteTz });
  const { range: _relative, ...rest } = q;
  return { ...rest, from: range.from, to: range.to, tz: range.tz };
}

const explainOf = (c: Context) => ['1', 'true'].includes(c.req.query('explain') ?? '');

/** Funnel questions and saved funnels of one site (secret API key). */
export function funnelRoutes({ registry, store, shares, patterns }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);
  const base = '/api/v1/sites/:siteId/funnels';
  // Questions run on the reports clients, abandoned when the client goes away.
  const reports = (c: Context) => reportStore(c, store);

  app.post(`${base}/query`, auth, share, async (c) => {
    const q = await readJson(c, funnelQuerySchema);
    const site = c.req.param('siteId');
    const rq = await resolved(store, site, q, 'invalid_body', registry.timeZoneOf(site));
    await checkPatterns(patterns, reports(c), q.definition, 'invalid_body');
    return c.json(await runFunnelQuery(reports(c), site, rq, Date.now(), explainOf(c)));
  });

  // Which events and sources separate the units that converted from those that dropped.
  app.post(`${base}/correlation`, auth, share, async (c) => {
    const q = await readJson(c, correlationRequestSchema);
    const site = c.req.param('siteId');
    const rq = await resolved(store, site, q, 'invalid_body', registry.timeZoneOf(site));
    await checkPatterns(patterns, reports(c), q.definition, 'invalid_body');
    return c.json(await runCorrelation(reports(c), site, rq, Date.now(), explainOf(c)));
  });

  app.get(base, auth, async (c) => c.json({ funnels: await listSavedFunnels(store, c.req.param('siteId')) }));

  app.post(base, auth, async (c) => {
    const req = await readJson(c, saveFunnelSchema);
    await checkPatterns(patterns, reports(c), req.definition, 'invalid_body');
    return c.json(await createFunnel(store, c.req.param('siteId'), req), 201);
  });

  app.get(`${base}/:funnelId`, auth, async (c) =>
    c.json(savedFunnel(await loadFunnel(store, c.req.param('siteId'), c.req.param('funnelId')))),
  );

  app.put(`${base}/:funnelId`, auth, async (c) => {
    const site = c.req.param('siteId');
    const old = await loadFunnel(store, site, c.req.param('funnelId'));
    const req = await readJson(c, saveFunnelSchema);
    await checkPatterns(patterns, reports(c), req.definition, 'invalid_body');
    return c.json(await replaceFunnel(store, site, old, req));
  });

  app.delete(`${base}/:funnelId`, auth, async (c) => {
    const site = c.req.param('siteId');
    await deleteFunnel(store, site, await loadFunnel(store, site, c.req.param('funnelId')));
    return c.body(null, 204);
  });

  app.get(`${base}/:funnelId/results`, auth, share, async (c) => {
    const site = c.req.param('siteId');
    const saved = await loadFunnel(store, site, c.req.param('funnelId'));
    const p = readQuery(c, funnelResultsQuerySchema);
    const definition = savedDefinition(saved);
    // A funnel saved before the size limits existed may be over them: refuse it as a new one would be.
    const tooBig = funnelComplexityProblem(definition);
    if (tooBig) throw new ApiError('funnel_too_complex', tooBig);
    const q: FunnelQueryRequest = { definition, from: p.from, to: p.to };
    if (p.tz) q.tz = p.tz;
    if (p.range) q.range = p.range;
    if (p.breakdown) {
      q.breakdown = { dimension: p.breakdown };
      if (p.breakdown_attribution) q.breakdown.attribution = p.breakdown_attribution;
      if (p.breakdown_step) q.breakdown.at_step = p.breakdown_step;
      if (p.breakdown_limit) q.breakdown.limit = p.breakdown_limit;
    }
    if (p.breakdown_step && (p.breakdown_attribution ?? 'counted_step') !== 'counted_step') {
      throw new ApiError('invalid_query', 'breakdown_step needs breakdown_attribution=counted_step', [
        {
          path: 'breakdown_step',
          code: 'custom',
          message: 'breakdown_step needs breakdown_attribution=counted_step',
        },
      ]);
    }
    if (p.breakdown_step && p.breakdown_step > definition.steps.length) {
      throw new ApiError('invalid_query', 'No such step', [
        { path: 'breakdown_step', code: 'too_big', message: 'no such step' },
      ]);
    }
    if (p.cohorts) q.cohorts = p.cohorts;
    if (p.compare) q.compare = true;
    if (p.trend) q.trend = p.trend;
    const rq = await resolved(store, site, q, 'invalid_query', registry.timeZoneOf(site));
    // Saved before patterns were checked at the door: say so instead of failing in the engine.
    await checkPatterns(patterns, reports(c), definition, 'invalid_query');
    return c.json(await runFunnelQuery(reports(c), site, rq, Date.now(), p.explain === true));
  });
  return app;
}
