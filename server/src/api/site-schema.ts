import { type SiteSchemaResponse, siteSchemaQuerySchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { explained, traceIf } from '../clickhouse/query.ts';
import type { Deps } from '../deps.ts';
import { listEventNames } from '../queries/listEventNames.ts';
import { listPropertyValues } from '../queries/listPropertyValues.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { readQuery } from './body.ts';
import { readRange } from './range.ts';
import { reportStore, shareReports } from './report-shares.ts';

const DEFAULT_DAYS = 30;

/** What a site's events look like (for building funnel steps): types, names, property keys and top values. */
export function siteSchemaRoutes({ registry, store, shares }: Deps): Hono {
  const app = new Hono();
  // Reports run within their site's and key's share (`report-shares.ts`).
  const share = shareReports(shares);
  app.get('/api/v1/sites/:siteId/schema', requireSiteKey(registry), share, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, siteSchemaQuerySchema);
    const fallback = q.range === undefined;
    const to = q.to ?? (fallback ? new Date().toISOString() : undefined);
    const from =
      q.from ?? (fallback ? new Date(Date.now() - DEFAULT_DAYS * 86_400_000).toISOString() : undefined);
    const range = await readRange(
      store,
      site,
      { from, to, tz: q.tz, range: q.range },
      { siteTz: registry.timeZoneOf(site) },
    );
    const db = reportStore(c, store);
    const trace = traceIf(q.explain);
    const [names, values] = await Promise.all([
      listEventNames(db, range, trace),
      listPropertyValues(db, range, q.limit, trace),
    ]);
    const types = new Map<string, number>();
    for (const n of names) types.set(n.type, (types.get(n.type) ?? 0) + n.events);
    const props = new Map<string, { value: string; events: number }[]>();
    for (const v of values)
      props.set(v.key, [...(props.get(v.key) ?? []), { value: v.value, events: v.events }]);
    const body: SiteSchemaResponse = {
      site_id: site,
      from: range.from,
      to: range.to,
      event_types: [...types].map(([type, events]) => ({ type, events })).sort((a, b) => b.events - a.events),
      names: names.filter((n) => n.name !== ''),
      properties: [...props].map(([key, top_values]) => ({ key, top_values })),
      ...explained(trace),
    };
    return c.json(body);
  });
  return app;
}
