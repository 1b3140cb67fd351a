import { randomBytes } from 'node:crypto';
import {
  type DeliveriesResponse,
  deliveriesQuerySchema,
  type WebhookResponse,
  webhookConfigSchema,
} from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { requireSiteKey } from '../sites/auth.ts';
import { checkWebhookUrl } from '../webhooks/address.ts';
import {
  listAttempts,
  listDeliveries,
  readWebhook,
  saveWebhook,
  type WebhookConfig,
} from '../webhooks/state.ts';
import { readJson, readQuery } from './body.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function view(c: WebhookConfig, withSecret: boolean): WebhookResponse {
  return {
    url: c.url,
    inactivity_timeout: c.inactivity_timeout,
    recovery_window: c.recovery_window,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    ...(withSecret ? { secret: c.secret } : {}),
  };
}

/** The recovery webhook of a site and its delivery log (secret API key). */
export function webhookRoutes({ registry, store, config: appConfig }: Deps): Hono {
  const app = new Hono();
  const auth = requireSiteKey(registry);
  const base = '/api/v1/sites/:siteId/webhooks/recovery';

  app.put(base, auth, async (c) => {
    const site = c.req.param('siteId');
    const body = await readJson(c, webhookConfigSchema);
    const problem = checkWebhookUrl(body.url, appConfig.webhooks.allowPrivate);
    if (problem) {
      const code = problem.code === 'refused_address' ? 'refused_address' : 'invalid_body';
      throw new ApiError(code, `url: ${problem.message}`, [
        { path: 'url', code: problem.code, message: problem.message },
      ]);
    }
    const old = await readWebhook(store, site);
    const now = Math.max(Date.now(), (old?.updated_at ?? 0) + 1);
    const fresh = !old || body.rotate_secret === true;
    const config: WebhookConfig = {
      url: body.url,
      secret: fresh ? `whsec_${randomBytes(32).toString('base64url')}` : old.secret,
      inactivity_timeout: body.inactivity_timeout,
      recovery_window: body.recovery_window,
      created_at: old?.created_at ?? now,
      updated_at: now,
    };
    await saveWebhook(store, site, config);
    return c.json(view(config, fresh), old ? 200 : 201);
  });

  app.get(base, auth, async (c) => {
    const config = await readWebhook(store, c.req.param('siteId'));
    if (!config) throw new ApiError('not_found', 'No recovery webhook is set up');
    return c.json(view(config, false));
  });

  app.delete(base, auth, async (c) => {
    const site = c.req.param('siteId');
    if (!(await readWebhook(store, site))) throw new ApiError('not_found', 'No recovery webhook is set up');
    await saveWebhook(store, site, null);
    return c.body(null, 204);
  });

  app.get(`${base}/deliveries`, auth, async (c) => {
    const site = c.req.param('siteId');
    const q = readQuery(c, deliveriesQuerySchema);
    const attempts = await listAttempts(store, site);
    const byDelivery = new Map<string, typeof attempts>();
    for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
    const deliveries = (await listDeliveries(store, site))
      .filter((d) => !q.status || d.status === q.status)
      .reverse()
      .slice(0, q.limit);
    const body: DeliveriesResponse = {
      deliveries: deliveries.map((d) => ({
        delivery_id: d.delivery_id,
        event: d.event,
        cart_id: d.cart_id,
        status: d.status,
        created_at: iso(d.created_at),
        next_attempt_at: d.status === 'pending' ? iso(d.next_at) : null,
        attempts: (byDelivery.get(d.delivery_id) ?? [])
          .sort((a, b) => a.attempt - b.attempt)
          .map((a) => ({
            attempt: a.attempt,
            at: iso(a.at),
            status_code: a.status_code,
            error: a.error,
            duration_ms: a.duration_ms,
          })),
      })),
    };
    return c.json(body);
  });
  return app;
}
