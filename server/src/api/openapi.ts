/**
 * The OpenAPI 3.1 document, built from the same zod schemas that validate requests (zod 4's own
 * `z.toJSONSchema`, which emits JSON Schema 2020-12, the dialect OpenAPI 3.1 uses), so the document
 * cannot drift from what the server accepts. Response schemas live in `schemas/src/responses.ts`.
 */
import {
  apiKeyListResponseSchema,
  cartAbandonmentResponseSchema,
  cartListResponseSchema,
  collectBodySchema,
  collectResponseSchema,
  correlationRequestSchema,
  correlationResultSchema,
  createApiKeyResponseSchema,
  createSiteResponseSchema,
  createSiteSchema,
  currencyRatesSchema,
  deleteSiteResponseSchema,
  deliveriesResponseSchema,
  eraseVisitorResponseSchema,
  errorBodySchema,
  eventsResponseSchema,
  experimentDefinitionSchema,
  experimentPlanSchema,
  experimentResultSchema,
  exportEventSchema,
  forecastResponseSchema,
  funnelQuerySchema,
  funnelResultSchema,
  funnelResultsQuerySchema,
  keyInfoResponseSchema,
  LIMITS,
  ordersSummaryResponseSchema,
  overviewQuerySchema,
  overviewResponseSchema,
  pathsQuerySchema,
  pathsResultSchema,
  realtimeResponseSchema,
  revenueResponseSchema,
  revokeApiKeyResponseSchema,
  savedExperimentSchema,
  savedFunnelSchema,
  saveFunnelSchema,
  serverEventsBodySchema,
  serverEventsResponseSchema,
  siteSchemaQuerySchema,
  siteSchemaResponseSchema,
  siteSummarySchema,
  updateExperimentSchema,
  updateSiteSchema,
  webhookConfigSchema,
  webhookPayloadSchema,
  webhookResponseSchema,
} from '@funnelhouse/schemas';
import { correlationPaths } from './openapi/correlation.ts';
import { pathAnalysisPaths } from './openapi/paths.ts';
import { cartPaths, revenuePaths, webhookPaths } from './openapi-carts.ts';
import { experimentPaths } from './openapi-experiments.ts';
import { withOperationIds } from './openapi-operation-ids.ts';
import {
  error,
  explainParam,
  type Json,
  json,
  ok,
  queryParams,
  ref,
  schema,
  siteOp,
  siteParam,
  withBoundsErrors,
  withErrorExamples,
} from './openapi-parts.ts';
import { siteAdminPaths, siteDataPaths } from './openapi-paths.ts';

const funnelParam = { name: 'funnelId', in: 'path', required: true, schema: { type: 'string' } };
function funnelPaths(): Json {
  const base = '/api/v1/sites/{siteId}/funnels';
  const body = (s: string) => ({ required: true, content: json(ref(s)) });
  return {
    [`${base}/query`]: {
      post: siteOp(
        'Answer an ad-hoc funnel question',
        { parameters: [siteParam, explainParam], requestBody: body('FunnelQuery') },
        {
          '200': ok('Per-step results, breakdown, trend and comparison', ref('FunnelResult')),
        },
      ),
    },
    [base]: {
      get: siteOp(
        'List saved funnels',
        { parameters: [siteParam] },
        {
          '200': ok('Saved funnels', {
            type: 'object',
            properties: { funnels: { type: 'array', items: ref('SavedFunnel') } },
            required: ['funnels'],
          }),
        },
      ),
      post: siteOp(
        'Save a funnel (with its breakdown, if any)',
        { parameters: [siteParam], requestBody: body('SaveFunnel') },
        {
          '201': ok('The saved funnel', ref('SavedFunnel')),
          '409': error('Another saved funnel has this name (`duplicate_name`)'),
        },
      ),
    },
    [`${base}/{funnelId}`]: {
      get: siteOp(
        'Get a saved funnel',
        { parameters: [siteParam, funnelParam] },
        { '200': ok('The funnel', ref('SavedFunnel')) },
      ),
      put: siteOp(
        'Replace a saved funnel',
        { parameters: [siteParam, funnelParam], requestBody: body('SaveFunnel') },
        {
          '200': ok('The funnel', ref('SavedFunnel')),
          '409': error('Another saved funnel has this name (`duplicate_name`)'),
        },
      ),
      delete: siteOp(
        'Delete a saved funnel',
        { parameters: [siteParam, funnelParam] },
        { '204': { description: 'Deleted' } },
      ),
    },
    [`${base}/{funnelId}/results`]: {
      get: siteOp(
        'Results of a saved funnel',
        { parameters: [siteParam, funnelParam, ...queryParams(funnelResultsQuerySchema)] },
        { '200': ok('Per-step results', ref('FunnelResult')) },
      ),
    },
    '/api/v1/sites/{siteId}/schema': {
      get: siteOp(
        'Event types, names, property keys and top values seen',
        { parameters: [siteParam, ...queryParams(siteSchemaQuerySchema)] },
        {
          '200': ok('What the site sends', ref('SiteSchema')),
        },
      ),
    },
  };
}

function corePaths(): Json {
  const admin = { security: [{ adminKey: [] }] };
  return {
    '/collect': {
      post: {
        summary: 'Ingest a batch of events (the snippet posts text/plain; JSON is accepted too)',
        description:
          `Each event is judged on its own; a bad one is listed in the 202's \`rejected\` and not stored. ` +
          `Amounts (\`revenue\`, an item's \`price\`) are within ±${LIMITS.moneyMax} currency units, stored with 4 ` +
          'decimals (`money_out_of_range` past it); a browser may not send negative `revenue` ' +
          '(`negative_revenue`: refunds come from the server events API).',
        requestBody: {
          required: true,
          content: { 'text/plain': { schema: ref('CollectBody') }, ...json(ref('CollectBody')) },
        },
        responses: {
          '202': ok('Stored (accepted) or dropped with a counted reason', ref('CollectResponse')),
          '400': error('Invalid batch: nothing stored'),
          '401': error('Unknown site key (`unknown_site_key`)'),
          '413': error('Body too large'),
          '415': error('Unsupported content type'),
        },
      },
    },
    '/healthz': {
      get: {
        summary: 'Liveness',
        responses: {
          '200': ok('Alive', { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }),
        },
      },
    },
    '/readyz': {
      get: {
        summary: 'Readiness (migrations applied, store answering, spool not behind)',
        responses: {
          '200': ok('Ready', { type: 'object', properties: { ready: { const: true } }, required: ['ready'] }),
          '503': ok('Not ready', {
            type: 'object',
            properties: {
              ready: { const: false },
              reason: { type: 'string' },
              spool_lag_seconds: { type: 'number' },
            },
            required: ['ready'],
          }),
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: {
          '200': {
            description: 'Text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/f.js': {
      get: {
        summary: 'The tracking snippet',
        responses: {
          '200': {
            description: 'JavaScript',
            content: { 'text/javascript': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/api/v1/key': {
      get: {
        summary: 'What the presented key is: the admin key, or an API key and its site',
        security: [{ apiKey: [] }, { adminKey: [] }],
        responses: {
          '200': ok('The role of the key', ref('KeyInfo')),
          '401': error('Missing, invalid or revoked key'),
        },
      },
    },
    '/api/v1/sites': {
      get: {
        summary: 'List sites',
        ...admin,
        responses: {
          '200': ok('Sites', {
            type: 'object',
            properties: { sites: { type: 'array', items: ref('SiteSummary') } },
            required: ['sites'],
          }),
          '401': error('Missing key'),
          '403': error('Not the admin key'),
        },
      },
      post: {
        summary: 'Create a site (returns its first secret API key once)',
        ...admin,
        requestBody: { required: true, content: json(ref('CreateSite')) },
        responses: {
          '201': ok('The site', ref('CreateSiteResponse')),
          '400': error('Invalid body, or a time_zone the database does not know (unknown_time_zone)'),
          '401': error('Missing key'),
          '403': error('Not the admin key'),
        },
      },
    },
    '/api/v1/sites/{siteId}/keys': {
      get: {
        summary: "List a site's secret API keys: id, kind, created, last used (never the key)",
        ...admin,
        parameters: [siteParam],
        responses: {
          '200': ok('The live keys, oldest first', ref('ApiKeyList')),
          '401': error('Missing key'),
          '403': error('Not the admin key'),
          '404': error('Unknown site'),
        },
      },
      post: {
        summary: 'Create another secret API key for a site',
        ...admin,
        parameters: [siteParam],
        responses: {
          '201': ok('The key, shown once', ref('CreateApiKeyResponse')),
          '401': error('Missing key'),
          '403': error('Not the admin key'),
          '404': error('Unknown site'),
        },
      },
    },
    '/api/v1/sites/{siteId}/overview': {
      get: siteOp(
        'Traffic overview',
        { parameters: [siteParam, ...queryParams(overviewQuerySchema)] },
        { '200': ok('Totals, daily series, top values', ref('Overview')) },
      ),
    },
    '/api/v1/sites/{siteId}/realtime': {
      get: siteOp(
        'Visitors in the last minutes',
        {
          parameters: [
            siteParam,
            {
              name: 'minutes',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 60 },
            },
          ],
        },
        { '200': ok('Recent visitors', ref('Realtime')) },
      ),
    },
    '/api/v1/openapi.json': {
      get: {
        summary: 'This document',
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
    '/api/docs': {
      get: {
        summary: 'Interactive API reference (Swagger UI): request examples, try it out',
        responses: {
          '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
  };
}

/** Builds the document once; it depends on nothing at run time. */
export function buildOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Funnelhouse API',
      version: '1',
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'Every non-2xx answer has the body `{ error: { code, message, requestId, issues? } }`. ' +
        'Site-scoped endpoints take a secret API key of that site (`Authorization: Bearer KEY` or `X-API-Key`).',
    },
    paths: withOperationIds(
      withErrorExamples(
        withBoundsErrors({
          ...corePaths(),
          ...siteAdminPaths(),
          ...siteDataPaths(),
          ...funnelPaths(),
          ...correlationPaths(),
          ...experimentPaths(),
          ...pathAnalysisPaths(),
          ...cartPaths(),
          ...revenuePaths(),
          ...webhookPaths(),
        }),
      ),
    ),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A secret API key of the site' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The instance admin key' },
      },
      schemas: {
        Error: schema(errorBodySchema),
        CollectBody: schema(collectBodySchema, 'input'),
        CollectResponse: schema(collectResponseSchema),
        SiteSummary: schema(siteSummarySchema),
        KeyInfo: schema(keyInfoResponseSchema),
        CreateSite: schema(createSiteSchema, 'input'),
        CreateSiteResponse: schema(createSiteResponseSchema),
        Overview: schema(overviewResponseSchema),
        Realtime: schema(realtimeResponseSchema),
        FunnelQuery: schema(funnelQuerySchema, 'input'),
        SaveFunnel: schema(saveFunnelSchema, 'input'),
        SavedFunnel: schema(savedFunnelSchema),
        FunnelResult: schema(funnelResultSchema),
        PathsQuery: schema(pathsQuerySchema, 'input'),
        PathsResult: schema(pathsResultSchema),
        CorrelationQuery: schema(correlationRequestSchema, 'input'),
        CorrelationResult: schema(correlationResultSchema),
        ExperimentDefinition: schema(experimentDefinitionSchema, 'input'),
        UpdateExperiment: schema(updateExperimentSchema, 'input'),
        SavedExperiment: schema(savedExperimentSchema),
        ExperimentResult: schema(experimentResultSchema),
        ExperimentPlan: schema(experimentPlanSchema),
        SiteSchema: schema(siteSchemaResponseSchema),
        UpdateSite: schema(updateSiteSchema, 'input'),
        ApiKeyList: schema(apiKeyListResponseSchema),
        CreateApiKeyResponse: schema(createApiKeyResponseSchema),
        DeleteSiteResponse: schema(deleteSiteResponseSchema),
        RevokeApiKeyResponse: schema(revokeApiKeyResponseSchema),
        EventsResponse: schema(eventsResponseSchema),
        ExportEvent: schema(exportEventSchema),
        EraseVisitorResponse: schema(eraseVisitorResponseSchema),
        OrdersSummary: schema(ordersSummaryResponseSchema),
        ServerEventsBody: schema(serverEventsBodySchema, 'input'),
        ServerEventsResponse: schema(serverEventsResponseSchema),
        CartAbandonment: schema(cartAbandonmentResponseSchema),
        CartList: schema(cartListResponseSchema),
        Revenue: schema(revenueResponseSchema),
        Forecast: schema(forecastResponseSchema),
        WebhookConfig: schema(webhookConfigSchema, 'input'),
        Webhook: schema(webhookResponseSchema),
        WebhookPayload: schema(webhookPayloadSchema),
        Deliveries: schema(deliveriesResponseSchema),
        CurrencyRates: schema(currencyRatesSchema, 'input'),
      },
    },
  };
}
