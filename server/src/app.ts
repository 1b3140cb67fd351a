import type { ErrorBody } from '@funnelhouse/schemas';
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { attributionRoutes } from './api/attribution.ts';
import { limitBodies } from './api/body-limits.ts';
import { cartRoutes } from './api/carts.ts';
import { compressAnswers } from './api/compress.ts';
import { docsRoutes } from './api/docs.ts';
import { eventRoutes } from './api/events.ts';
import { experimentRoutes } from './api/experiments.ts';
import { exportRoutes } from './api/export.ts';
import { forecastRoutes } from './api/forecast.ts';
import { funnelRoutes } from './api/funnels.ts';
import { healthRoutes } from './api/health.ts';
import { keyInfoRoutes } from './api/key-info.ts';
import { orderRoutes } from './api/orders.ts';
import { overviewRoutes } from './api/overview.ts';
import { pathRoutes } from './api/paths.ts';
import { productRoutes } from './api/products.ts';
import { revenueRoutes } from './api/revenue.ts';
import { siteSchemaRoutes } from './api/site-schema.ts';
import { siteAdminRoutes } from './api/sites.ts';
import { webhookRoutes } from './api/webhooks.ts';
import { collectCors, collectRoutes } from './collect/route.ts';
import { serverEventRoutes } from './collect/server-route.ts';
import type { Deps } from './deps.ts';
import { ApiError, isClientAbort } from './errors.ts';
import { demoRoutes } from './static/demo.ts';
import { faviconPath, staticRoutes } from './static/routes.ts';

/** Smaller answers are sent as they are: compressing them saves less than it costs. */
export const API_COMPRESS_THRESHOLD = 1024;

/** The whole HTTP surface. Every error leaves through `onError` in one shape. */
export function createApp(deps: Deps): Hono {
  const app = new Hono();
  app.use('*', requestId());
  app.use(
    '*',
    secureHeaders({
      crossOriginResourcePolicy: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );

  // Roles (server.ts): an ingestion node answers only health and the two ingestion routes, an
  // api node everything but those; anything else is the same 404 as an unknown path.
  const ingests = deps.config.role !== 'api';
  const serves = deps.config.role !== 'ingest';
  if (ingests) app.use('/collect', collectCors());
  app.use('*', limitBodies());
  // API answers of 1 KiB or more go out gzip-compressed when the client accepts it (JSON, CSV,
  // NDJSON, streamed exports too); static files carry their own brotli and gzip copies.
  app.use('/api/*', compressAnswers(API_COMPRESS_THRESHOLD));
  app.route('/', healthRoutes(deps));
  if (ingests) {
    app.route('/', collectRoutes(deps));
    app.route('/', serverEventRoutes(deps));
  }
  if (serves) {
    app.route('/', keyInfoRoutes(deps));
    app.route('/', siteAdminRoutes(deps));
    app.route('/', overviewRoutes(deps));
    app.route('/', eventRoutes(deps));
    app.route('/', orderRoutes(deps));
    app.route('/', cartRoutes(deps));
    app.route('/', revenueRoutes(deps));
    app.route('/', attributionRoutes(deps));
    app.route('/', productRoutes(deps));
    app.route('/', forecastRoutes(deps));
    app.route('/', webhookRoutes(deps));
    app.route('/', exportRoutes(deps));
    app.route('/', funnelRoutes(deps));
    app.route('/', experimentRoutes(deps));
    app.route('/', pathRoutes(deps));
    app.route('/', siteSchemaRoutes(deps));
    app.route('/', docsRoutes({ favicon: faviconPath() }));
    app.route('/', staticRoutes());
    if (deps.config.demo) app.route('/', demoRoutes());
  }

  app.notFound((c) => errorResponse(c, new ApiError('not_found', 'Not found')));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (isClientAbort(err, c.req.raw.signal)) {
      // Counted and noted at debug level only: a slow or closed client is expected traffic, and
      // logging each at error level let one client flood the log. The answer reaches no one.
      deps.metrics.aborted.inc({ route: routeLabel(c.req.path) });
      deps.log.debug('client closed the request', { request_id: c.get('requestId'), path: c.req.path });
      return new Response(null, { status: 499 });
    }
    deps.log.error('unhandled error', {
      request_id: c.get('requestId'),
      path: c.req.path,
      error: String(err),
    });
    return errorResponse(c, new ApiError('internal_error', 'Internal error'));
  });
  /** The one error shape; a 500 says nothing about its cause. */
  function errorResponse(c: Context, e: ApiError): Response {
    if (c.req.path === '/collect') deps.metrics.rejected.inc({ code: e.code });
    for (const [k, v] of Object.entries(e.headers ?? {})) c.header(k, v);
    const body: ErrorBody = {
      error: {
        code: e.code,
        message: e.message,
        requestId: c.get('requestId') ?? '',
        ...(e.issues ? { issues: e.issues } : {}),
      },
    };
    return c.json(body, e.status as ContentfulStatusCode);
  }
  return app;
}

/** A coarse route label for metrics: never a path with ids or keys in it. */
function routeLabel(path: string): string {
  if (path === '/collect') return '/collect';
  return path.startsWith('/api/') ? '/api' : 'other';
}
