import { type CreateSiteResponse, createSiteSchema } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { toSummary } from '../sites/registry.ts';
import { requireAdmin } from './auth.ts';
import { readJson } from './body.ts';

/** Instance administration: sites and their keys. Admin key only. */
export function siteAdminRoutes({ registry, log }: Deps): Hono {
  const app = new Hono();
  const admin = requireAdmin(registry);

  app.get('/api/v1/sites', admin, (c) => c.json({ sites: registry.list() }));

  app.post('/api/v1/sites', admin, async (c) => {
    const req = await readJson(c, createSiteSchema);
    const { site, apiKey } = await registry.createSite(req.name, { allowedHosts: req.allowed_hosts });
    log.info('site created', { site_id: site.site_id });
    const body: CreateSiteResponse = { ...toSummary(site), api_key: apiKey };
    return c.json(body, 201);
  });

  app.post('/api/v1/sites/:siteId/keys', admin, async (c) => {
    const siteId = c.req.param('siteId');
    if (!registry.byId(siteId)) throw new ApiError('not_found', 'Site not found');
    const apiKey = await registry.createApiKey(siteId);
    log.info('api key created', { site_id: siteId });
    return c.json({ site_id: siteId, api_key: apiKey }, 201);
  });
  return app;
}
