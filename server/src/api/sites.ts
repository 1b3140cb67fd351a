import {
  type ApiKeyListResponse,
  type CreateApiKeyResponse,
  type CreateSiteResponse,
  createSiteSchema,
  type DeleteSiteResponse,
  type RevokeApiKeyResponse,
  type SiteSummary,
  updateSiteSchema,
} from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { countSiteEvents } from '../queries/countSiteEvents.ts';
import { deleteSiteEvents } from '../queries/deleteSiteEvents.ts';
import { requireAdmin } from '../sites/auth.ts';
import { toSummary } from '../sites/registry.ts';
import { readJson } from './body.ts';
import { eraseCounted } from './erase.ts';
import { engineTimeZone } from './time-zone.ts';

/** Instance administration: sites and their keys. Admin key only. */
export function siteAdminRoutes({ registry, log, store, ingest }: Deps): Hono {
  const app = new Hono();
  const admin = requireAdmin(registry);
  // Stored in the engine's spelling, so every report of the site can bind it as is.
  const siteZone = (tz: string) => engineTimeZone(store, tz, 'invalid_body', 'time_zone');

  app.get('/api/v1/sites', admin, (c) => c.json({ sites: registry.list() }));

  app.post('/api/v1/sites', admin, async (c) => {
    const req = await readJson(c, createSiteSchema);
    const timeZone = req.time_zone === undefined ? undefined : await siteZone(req.time_zone);
    const { site, apiKey } = await registry.createSite(req.name, {
      allowedHosts: req.allowed_hosts,
      timeZone,
    });
    log.info('site created', { site_id: site.site_id });
    const body: CreateSiteResponse = { ...toSummary(site), api_key: apiKey };
    return c.json(body, 201);
  });

  app.get('/api/v1/sites/:siteId/keys', admin, (c) => {
    const siteId = c.req.param('siteId');
    if (!registry.byId(siteId)) throw new ApiError('not_found', 'Site not found');
    const iso = (ms: number) => new Date(ms).toISOString();
    const body: ApiKeyListResponse = {
      site_id: siteId,
      keys: registry.apiKeysOf(siteId).map((k) => ({
        id: k.keyId,
        kind: 'api',
        created_at: iso(k.createdAt),
        last_used_at: k.lastUsed === undefined ? null : iso(k.lastUsed),
      })),
    };
    return c.json(body);
  });

  app.post('/api/v1/sites/:siteId/keys', admin, async (c) => {
    const siteId = c.req.param('siteId');
    if (!registry.byId(siteId)) throw new ApiError('not_found', 'Site not found');
    const apiKey = await registry.createApiKey(siteId);
    log.info('api key created', { site_id: siteId });
    const body: CreateApiKeyResponse = { site_id: siteId, api_key: apiKey };
    return c.json(body, 201);
  });

  app.patch('/api/v1/sites/:siteId', admin, async (c) => {
    const req = await readJson(c, updateSiteSchema);
    const patch = req.time_zone === undefined ? req : { ...req, time_zone: await siteZone(req.time_zone) };
    const site = await registry.updateSite(c.req.param('siteId'), patch);
    if (!site) throw new ApiError('not_found', 'Site not found');
    log.info('site updated', { site_id: site.site_id, fields: Object.keys(req) });
    const body: SiteSummary = toSummary(site);
    return c.json(body);
  });

  // Revokes one API key; the key id is the part of the key between `fhk_` and the next `_`.
  app.delete('/api/v1/sites/:siteId/keys/:keyId', admin, async (c) => {
    const siteId = c.req.param('siteId');
    if (!registry.byId(siteId)) throw new ApiError('not_found', 'Site not found');
    if (!(await registry.revokeApiKey(siteId, c.req.param('keyId')))) {
      throw new ApiError('not_found', 'API key not found');
    }
    log.info('api key revoked', { site_id: siteId, key_id: c.req.param('keyId') });
    const body: RevokeApiKeyResponse = { site_id: siteId, key_id: c.req.param('keyId'), revoked: true };
    return c.json(body);
  });

  // Deletes a site and erases its events. The site key stops working first, then events still
  // in the write-ahead spool are flushed, so that none of them lands after the erasure.
  app.delete('/api/v1/sites/:siteId', admin, async (c) => {
    const siteId = c.req.param('siteId');
    if (!(await registry.deleteSite(siteId))) throw new ApiError('not_found', 'Site not found');
    await ingest.drained();
    const { deleted, remaining } = await eraseCounted(
      () => countSiteEvents(store, siteId),
      () => deleteSiteEvents(store, siteId),
    );
    log.info('site deleted', { site_id: siteId, events_deleted: deleted });
    const body: DeleteSiteResponse = { site_id: siteId, deleted: true, events_deleted: deleted, remaining };
    return c.json(body);
  });
  return app;
}
