import { exportQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { isClientAbort } from '../errors.ts';
import { getEventSpan } from '../queries/getEventSpan.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readQuery } from './body.ts';
import { csvFromNdjson, csvHeader } from './export-format.ts';
import { eventPages } from './export-pages.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

/** Rows per page read from ClickHouse: bounds the memory one export holds. */
const PAGE_SIZE = 5000;

const CONTENT_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' } as const;

/**
 * `GET /api/v1/sites/:siteId/events/export?from&to&tz&format=ndjson|csv`: the site's raw events
 * for its owner's own analysis (secret key), streamed page by page in (ts, event_id) order.
 */
export function exportRoutes({ registry, store, log, shares, metrics }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  app.get('/api/v1/sites/:siteId/events/export', requireSiteKey(registry), share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, exportQuerySchema);
    const range = await readRange(store, site, q, { siteTz: registry.timeZoneOf(site) });
    const db = reportStore(c, store);
    // Page only over the span that holds events: an empty range costs one query, not one per month.
    const { fromMs, toMs } = await getEventSpan(db, range);
    c.header('Content-Type', CONTENT_TYPES[q.format]);
    c.header('Content-Disposition', `attachment; filename="${site}-events.${q.format}"`);
    const pages = eventPages(db, { site, fromMs, toMs, pageSize: PAGE_SIZE });
    const encoder = new TextEncoder();
    let started = false;
    // Pull-based: the next page is read only when the client has taken the previous one.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const header = !started && q.format === 'csv' ? csvHeader() : '';
          started = true;
          const next = await pages.next();
          if (next.done) {
            if (header) controller.enqueue(encoder.encode(header));
            controller.close();
            return;
          }
          const text = q.format === 'csv' ? csvFromNdjson(next.value.text) : next.value.text;
          controller.enqueue(encoder.encode(header + text));
        } catch (err) {
          // Headers are sent already: break the stream so the client sees a failed download, not a short one.
          if (isClientAbort(err, c.req.raw.signal)) {
            // The client went away mid-download (its signal aborted the page query): expected
            // traffic, counted and noted at debug level as `app.ts` does for the other routes.
            metrics.aborted.inc({ route: '/api' });
            log.debug('client closed the export', { site_id: site });
          } else log.error('export failed', { site_id: site, error: String(err) });
          controller.error(err);
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    });
    return c.body(body);
  });
  return app;
}
