import type { KeyInfoResponse } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { presentedKey } from '../sites/auth.ts';
import { toSummary } from '../sites/registry.ts';

/**
 * `GET /api/v1/key`: the role of the presented key (admin, or a site's API key and its site).
 * It answers only for a valid key, so it tells nothing a key's holder does not already have.
 */
export function keyInfoRoutes({ registry }: Deps): Hono {
  const app = new Hono();
  app.get('/api/v1/key', (c) => {
    const key = presentedKey((n) => c.req.header(n));
    if (!key) throw new ApiError('unauthorized', 'Missing key (Authorization: Bearer …)');
    if (registry.isAdminKey(key)) return c.json({ role: 'admin' } satisfies KeyInfoResponse);
    const site = registry.byId(registry.siteOfApiKey(key) ?? '');
    if (!site) throw new ApiError('unauthorized', 'Invalid or revoked key');
    return c.json({ role: 'site', site: toSummary(site) } satisfies KeyInfoResponse);
  });
  return app;
}
