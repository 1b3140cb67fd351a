import { PATHS_LIMITS, pathsQuerySchema } from '@funnelhouse/schemas';
import { type Context, Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { runPaths } from '../paths/run.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readJson } from './body.ts';
import { checkPatterns } from './patterns.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

const explainOf = (c: Context) => ['1', 'true'].includes(c.req.query('explain') ?? '');

/** Paths of one site (secret API key): where units went after a start, or came from before it. */
export function pathRoutes({ registry, store, shares, patterns }: Deps): Hono {
  const app = new Hono();
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);

  app.post('/api/v1/sites/:siteId/paths', auth, share, async (c) => {
    const q = await readJson(c, pathsQuerySchema);
    const site = c.req.param('siteId');
    const range = await readRange(store, site, q, {
      maxDays: PATHS_LIMITS.maxRangeDays,
      code: 'invalid_body',
      siteTz: registry.timeZoneOf(site),
    });
    const reports = reportStore(c, store);
    // A funnel start's regexes are judged like a funnel question's.
    if ('funnel' in q.start) {
      await checkPatterns(
        patterns,
        reports,
        q.start.funnel.definition,
        'invalid_body',
        'start.funnel.definition',
      );
    }
    return c.json(await runPaths(reports, q, range, Date.now(), explainOf(c)));
  });
  return app;
}
