/**
 * The `operationId` of every operation, verb first in camelCase: the names generated clients give
 * their methods, so they are written here once, side by side, where a duplicate is easy to see.
 */
import type { Json } from './parts.ts';

const sp = '/api/v1/sites/{siteId}';

const OPERATION_IDS: Record<string, string> = {
  'post /collect': 'collectEvents',
  'get /healthz': 'getHealth',
  'get /readyz': 'getReadiness',
  'get /metrics': 'getMetrics',
  'get /f.js': 'getSnippet',
  'get /api/v1/key': 'getKeyInfo',
  'get /api/v1/openapi.json': 'getOpenApi',
  'get /api/docs': 'getApiReference',
  'get /api/v1/sites': 'listSites',
  'post /api/v1/sites': 'createSite',
  [`patch ${sp}`]: 'updateSite',
  [`delete ${sp}`]: 'deleteSite',
  [`get ${sp}/keys`]: 'listApiKeys',
  [`post ${sp}/keys`]: 'createApiKey',
  [`delete ${sp}/keys/{keyId}`]: 'revokeApiKey',
  [`get ${sp}/overview`]: 'getOverview',
  [`get ${sp}/realtime`]: 'getRealtime',
  [`get ${sp}/schema`]: 'getSiteSchema',
  [`get ${sp}/events`]: 'listEvents',
  [`post ${sp}/events`]: 'sendServerEvents',
  [`get ${sp}/events/export`]: 'exportEvents',
  [`delete ${sp}/visitors/{visitorId}`]: 'eraseVisitor',
  [`get ${sp}/orders/summary`]: 'getOrdersSummary',
  [`post ${sp}/funnels/query`]: 'queryFunnel',
  [`post ${sp}/funnels/correlation`]: 'queryFunnelCorrelation',
  [`get ${sp}/funnels`]: 'listFunnels',
  [`post ${sp}/funnels`]: 'saveFunnel',
  [`get ${sp}/funnels/{funnelId}`]: 'getFunnel',
  [`put ${sp}/funnels/{funnelId}`]: 'replaceFunnel',
  [`delete ${sp}/funnels/{funnelId}`]: 'deleteFunnel',
  [`get ${sp}/funnels/{funnelId}/results`]: 'getFunnelResults',
  [`get ${sp}/experiments`]: 'listExperiments',
  [`post ${sp}/experiments`]: 'createExperiment',
  [`get ${sp}/experiments/{key}`]: 'getExperiment',
  [`put ${sp}/experiments/{key}`]: 'replaceExperiment',
  [`delete ${sp}/experiments/{key}`]: 'deleteExperiment',
  [`get ${sp}/experiments/{key}/results`]: 'getExperimentResults',
  [`get ${sp}/experiment-plan`]: 'planExperiment',
  [`post ${sp}/paths`]: 'queryPaths',
  [`get ${sp}/carts/abandonment`]: 'getCartAbandonment',
  [`get ${sp}/carts/abandoned`]: 'listAbandonedCarts',
  [`get ${sp}/revenue`]: 'getRevenue',
  [`get ${sp}/attribution`]: 'getAttribution',
  [`get ${sp}/products`]: 'getProducts',
  [`get ${sp}/forecast`]: 'getForecast',
  [`get ${sp}/settings/currency-rates`]: 'getCurrencyRates',
  [`put ${sp}/settings/currency-rates`]: 'setCurrencyRates',
  [`delete ${sp}/settings/currency-rates`]: 'deleteCurrencyRates',
  [`get ${sp}/webhooks/recovery`]: 'getRecoveryWebhook',
  [`put ${sp}/webhooks/recovery`]: 'setRecoveryWebhook',
  [`delete ${sp}/webhooks/recovery`]: 'deleteRecoveryWebhook',
  [`get ${sp}/webhooks/recovery/deliveries`]: 'listWebhookDeliveries',
};

/**
 * Gives each operation its `operationId`. An operation missing from the table fails the build of
 * the document (and so the server's start and every test), not a generated client later.
 */
export function withOperationIds(paths: Json): Json {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Json>)) {
      const id = OPERATION_IDS[`${method} ${path}`];
      if (!id) throw new Error(`OpenAPI: no operationId for ${method} ${path}`);
      op.operationId = id;
    }
  }
  return paths;
}
