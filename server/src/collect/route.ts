import type { CollectResponse } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Deps } from '../deps.ts';
import { enrichBatch } from '../enrich/pipeline.ts';
import { ApiError } from '../errors.ts';
import { DailySalt } from './anonymous-id.ts';
import { clientAddress } from './client-address.ts';
import { optedOut } from './opt-out.ts';
import { checkContentType, parseCollectBody } from './parse.ts';
import { enforce, TokenBuckets } from './rate-limit.ts';
import { storeRows } from './store-rows.ts';

/**
 * Open CORS for `/collect`, mounted in app.ts ahead of the body limits so that a 413 carries it
 * too. Retry-After is exposed so that the snippet, posting cross-origin, can honour it.
 */
export const collectCors = () =>
  cors({ origin: '*', allowMethods: ['POST', 'OPTIONS'], exposeHeaders: ['Retry-After'], maxAge: 86400 });

/**
 * `POST /collect`: the public ingestion endpoint. Open CORS without credentials, so any page
 * may post; the body names its site by the public site key. Answers 202 only after the
 * batch's rows are fsynced in the spool. A bad envelope refuses the batch (4xx, nothing stored);
 * a bad event is listed in the answer's `rejected` and the batch's other events are stored, so
 * the snippet, which forgets a batch once answered 202, never resends what can never be stored.
 */
export function collectRoutes(deps: Deps): Hono {
  const { registry, metrics, config } = deps;
  const salt = new DailySalt();
  const perAddress = new TokenBuckets(config.rateLimit.ip);
  const perSite = new TokenBuckets(config.rateLimit.site);
  const app = new Hono();

  // The body limit (`LIMITS.bodyBytes`) is applied for every route by `limitBodies` in app.ts.
  app.post('/collect', async (c) => {
    const receivedAt = Date.now();
    const ip = clientAddress(c, config.trustProxy);
    enforce(perAddress, ip ?? '', 'client address');
    checkContentType(c.req.header('content-type'));
    const body = parseCollectBody(await c.req.text());
    const site = registry.bySiteKey(body.site);
    if (!site) {
      const secret = body.site.startsWith('fhk_') || body.site.startsWith('fha_');
      throw new ApiError(
        'unknown_site_key',
        secret ? 'Secret keys are refused here: /collect takes the public site key' : 'Unknown site key',
      );
    }
    enforce(perSite, site.site_id, 'site');
    const userAgent = c.req.header('user-agent') ?? '';
    const { rows, dropped } = enrichBatch(body.events, {
      source: 'browser',
      siteId: site.site_id,
      receivedAt,
      sentAt: body.sent_at,
      userAgent,
      ip,
      maxEventAgeMs: config.maxEventAgeMs,
      allowedHosts: site.allowed_hosts,
      optedOut: site.respect_dnt === 1 && optedOut((n) => c.req.header(n)),
      scrubEmails: site.scrub_emails === 1,
      anonymousVisitorId: () => salt.visitorId(site.site_id, ip ?? '', userAgent, receivedAt),
      memo: {},
    });
    for (const [reason, n] of Object.entries(dropped)) metrics.dropped.inc({ reason }, n);
    for (const r of body.rejected) metrics.eventsRejected.inc({ code: r.code });
    await storeRows(deps, rows);
    metrics.accepted.inc(rows.length);
    const answer: CollectResponse = {
      accepted: rows.length,
      dropped: body.events.length + body.rejected.length - rows.length,
      dropped_by_reason: dropped,
      rejected: body.rejected,
    };
    return c.json(answer, 202);
  });
  app.all('/collect', () => {
    throw new ApiError('method_not_allowed', 'Use POST', undefined, { Allow: 'POST, OPTIONS' });
  });
  return app;
}
