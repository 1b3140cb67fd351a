/**
 * The OpenAPI 3.1 document, built from the same zod schemas that validate requests (zod 4's own
 * `z.toJSONSchema`, which emits JSON Schema 2020-12, the dialect OpenAPI 3.1 uses), so the document
 * cannot drift from what the server accepts. Response schemas live in `schemas/src/responses.ts`.
 * Each analysis (and each group of service routes) writes its paths in a file of this folder;
 * this file puts them in the document's order and lists the components.
 */
import {
  apiKeyListResponseSchema,
  attributionResponseSchema,
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
  keyInfoResponseSchema,
  ordersSummaryResponseSchema,
  overviewResponseSchema,
  pathsQuerySchema,
  pathsResultSchema,
  productsResponseSchema,
  realtimeResponseSchema,
  revenueResponseSchema,
  revokeApiKeyResponseSchema,
  savedExperimentSchema,
  savedFunnelSchema,
  saveFunnelSchema,
  serverEventsBodySchema,
  serverEventsResponseSchema,
  siteSchemaResponseSchema,
  siteSummarySchema,
  updateExperimentSchema,
  updateSiteSchema,
  webhookConfigSchema,
  webhookPayloadSchema,
  webhookResponseSchema,
} from '@funnelhouse/schemas';
import { attributionPaths } from './attribution.ts';
import { cartPaths } from './carts.ts';
import { correlationPaths } from './correlation.ts';
import { currencyRatePaths } from './currency-rates.ts';
import { erasurePaths } from './erasure.ts';
import { eventPaths } from './events.ts';
import { experimentPaths } from './experiments.ts';
import { exportPaths } from './export.ts';
import { forecastPaths } from './forecast.ts';
import { funnelPaths } from './funnels.ts';
import { withOperationIds } from './operation-ids.ts';
import { orderPaths } from './orders.ts';
import { overviewPaths } from './overview.ts';
import { type Json, schema, withBoundsErrors, withErrorExamples } from './parts.ts';
import { pathAnalysisPaths } from './paths.ts';
import { productPaths } from './products.ts';
import { revenuePaths } from './revenue.ts';
import { siteSchemaPaths } from './schema.ts';
import { documentationPaths, servicePaths } from './service.ts';
import { siteAdminPaths, siteKeyPaths } from './sites.ts';
import { webhookPaths } from './webhooks.ts';

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
          ...servicePaths(),
          ...siteKeyPaths(),
          ...overviewPaths(),
          ...documentationPaths(),
          ...siteAdminPaths(),
          ...eventPaths(),
          ...exportPaths(),
          ...erasurePaths(),
          ...orderPaths(),
          ...funnelPaths(),
          ...siteSchemaPaths(),
          ...correlationPaths(),
          ...experimentPaths(),
          ...pathAnalysisPaths(),
          ...cartPaths(),
          ...revenuePaths(),
          ...attributionPaths(),
          ...productPaths(),
          ...forecastPaths(),
          ...currencyRatePaths(),
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
        Attribution: schema(attributionResponseSchema),
        Products: schema(productsResponseSchema),
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
