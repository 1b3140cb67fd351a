import { type OverviewResponse, overviewQuerySchema } from '@funnelhouse/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { countRecentVisitors } from '../queries/countRecentVisitors.ts';
import { getOverviewCounts } from '../queries/getOverviewCounts.ts';
import { getTopValues } from '../queries/getTopValues.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { distinctCounts } from '../sql/distinct.ts';
import { segmentOf } from '../sql/segment.ts';
import { readQuery } from './body.ts';
import { explained, traceIf } from './explain.ts';
import { daysBetween, fillDays, readRange } from './range.ts';
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
    const db = reports(c);
    const trace = traceIf(q.explain);
    const segment = segmentOf(q);
    const [{ totals, daily, byType }, top] = await Promise.all([
      getOverviewCounts(db, range, segment, trace),
      getTopValues(db, range, { limit: q.limit, segment }, trace),
    ]);
    const body: OverviewResponse = {
      site_id: site,
      from: range.from,
      to: range.to,
      tz: range.tz,
      totals,
      events_by_type: byType,
      daily: fillDays(daily, daysBetween(range.firstDay, range.lastDay), (day) => ({
        day,
        visitors: 0,
        sessions: 0,
        pageviews: 0,
        events: 0,
      })),
      top,
      distinct_counts: distinctCounts({
        'totals.visitors': [totals.visitors],
        'totals.sessions': [totals.sessions],
        'daily.visitors': daily.map((d) => d.visitors),
        'daily.sessions': daily.map((d) => d.sessions),
        'top.pages.visitors': top.pages.map((p) => p.visitors),
      }),
      ...explained(trace),
    };
    return c.json(body);
  });

  app.get('/api/v1/sites/:siteId/realtime', auth, share, async (c) => {
    const site = c.req.param('siteId');
    const { minutes } = readQuery(c, realtimeQuerySchema);
    return c.json({ site_id: site, minutes, visitors: await countRecentVisitors(reports(c), site, minutes) });
  });
  return app;
}
