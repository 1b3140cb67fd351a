import { overviewQuerySchema } from '@funnelhouse/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { runOverview } from '../overview/run.ts';
import { countRecentVisitors } from '../queries/countRecentVisitors.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { segmentOf } from '../sql/segment.ts';
import { readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

const realtimeQuerySchema = z.strictObject({
  minutes: z.coerce.number().int().min(1).max(60).default(5),
});

/** Site-scoped traffic reports (secret API key). */
export function overviewRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  const auth = requireSiteKey(registry);
  // Reports run on the reports clients, abandoned when the client goes away.
  const reports = (c: Context) => reportStore(c, store);

  app.get('/api/v1/sites/:siteId/overview', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, overviewQuerySchema);
    const range = await readRange(store, site, q, { siteTz: registry.timeZoneOf(site) });
    const trace = traceIf(q.explain);
    const body = await runOverview(reports(c), range, { limit: q.limit, segment: segmentOf(q) }, trace);
    return c.json({ ...body, ...explained(trace) });
  });

  app.get('/api/v1/sites/:siteId/realtime', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const { minutes } = readQuery(c, realtimeQuerySchema);
    return c.json({ site_id: site, minutes, visitors: await countRecentVisitors(reports(c), site, minutes) });
  });
  return app;
}
