import { type EraseVisitorResponse, type EventsResponse, eventsQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { countVisitorEvents } from '../queries/countVisitorEvents.ts';
import { deleteVisitorEvents } from '../queries/deleteVisitorEvents.ts';
import { listEvents } from '../queries/listEvents.ts';
import { requireSiteKey, requireSiteKeyOrAdmin } from '../sites/auth.ts';
import { readQuery } from './body.ts';
import { eraseCounted } from './erase.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/**
 * Stored events of a site, as stored (a small page, for checks and support; a streaming export
 * comes separately), and erasure of one visitor's events.
 */
export function eventRoutes({ registry, store, ingest, log, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);

  // `from`/`to` as in the overview (UTC); at most `limit` rows, oldest first.
  app.get('/api/v1/sites/:siteId/events', requireSiteKey(registry), share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, eventsQuerySchema);
    const range = await readRange(
      store,
      site,
      { from: q.from, to: q.to, range: q.range },
      { siteTz: registry.timeZoneOf(site) },
    );
    const trace = traceIf(q.explain);
    const events = await listEvents(reportStore(c, store), range, q.limit, trace);
    const body: EventsResponse = { site_id: site, events, ...explained(trace) };
    return c.json(body);
  });

  // Erasure request for one visitor id: answered once the rows are gone, with how many went.
  app.delete('/api/v1/sites/:siteId/visitors/:visitorId', requireSiteKeyOrAdmin(registry), async (c) => {
    const site = c.req.param('siteId');
    const visitor = c.req.param('visitorId');
    await ingest.drained();
    const { deleted, remaining } = await eraseCounted(
      () => countVisitorEvents(store, site, visitor),
      () => deleteVisitorEvents(store, site, visitor),
    );
    log.info('visitor erased', { site_id: site, events_deleted: deleted });
    const body: EraseVisitorResponse = {
      site_id: site,
      visitor_id: visitor,
      events_deleted: deleted,
      remaining,
    };
    return c.json(body);
  });
  return app;
}
