import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { SiteRegistry } from './registry.ts';

/** `Authorization: Bearer KEY`, or `X-API-Key: KEY` for tools that cannot set Authorization. */
export function presentedKey(header: (name: string) => string | undefined): string | undefined {
  const auth = header('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return header('x-api-key')?.trim() || undefined;
}

/**
 * Guards `/api/v1/sites/:siteId/...` with a secret API key. A key for another site gets the very
 * same 404 as a site that does not exist, so keys cannot probe which site ids exist.
 */
export function requireSiteKey(registry: SiteRegistry): MiddlewareHandler {
  return async function siteKeyAuth(c, next) {
    const key = presentedKey((n) => c.req.header(n));
    if (!key) throw new ApiError('unauthorized', 'Missing API key (Authorization: Bearer …)');
    const siteId = registry.siteOfApiKey(key);
    if (!siteId) throw wrongKind(registry, key) ?? new ApiError('unauthorized', 'Invalid or revoked API key');
    if (siteId !== c.req.param('siteId')) throw new ApiError('not_found', 'Site not found');
    await next();
  };
}

/**
 * A key that is valid, but not a secret API key: say what it is for and which key to use, rather
 * than calling it invalid (a new user tries the admin key and the `demo` site key first).
 */
function wrongKind(registry: SiteRegistry, key: string): ApiError | undefined {
  if (registry.isAdminKey(key))
    return new ApiError(
      'wrong_key_kind',
      "This is the admin key: it manages sites and keys and reads no reports. Use the site's secret API key (fhk_…), or make one with POST /api/v1/sites/:siteId/keys and the admin key.",
    );
  if (registry.bySiteKey(key))
    return new ApiError(
      'wrong_key_kind',
      "This is a site's public site key: it only sends events (the snippet's data-site, POST /collect). Reports need the site's secret API key (fhk_…).",
    );
  return undefined;
}

/** Guards instance administration (creating sites and keys) with the admin key. */
export function requireAdmin(registry: SiteRegistry): MiddlewareHandler {
  return async function adminAuth(c, next) {
    const key = presentedKey((n) => c.req.header(n));
    if (!key) throw new ApiError('unauthorized', 'Missing admin key (Authorization: Bearer …)');
    if (!registry.isAdminKey(key)) throw new ApiError('forbidden', 'Not the admin key');
    await next();
  };
}

/**
 * Guards site-scoped actions that either the site's own API key or the admin key may take
 * (erasure). With the admin key, a missing site is a 404; with an API key, the usual rules apply.
 */
export function requireSiteKeyOrAdmin(registry: SiteRegistry): MiddlewareHandler {
  const siteKey = requireSiteKey(registry);
  return async function siteKeyOrAdminAuth(c, next) {
    const key = presentedKey((n) => c.req.header(n));
    if (key && registry.isAdminKey(key)) {
      if (!registry.byId(c.req.param('siteId') ?? '')) throw new ApiError('not_found', 'Site not found');
      await next();
      return;
    }
    await siteKey(c, next);
  };
}
