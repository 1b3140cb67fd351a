/** The verified orders summary in the OpenAPI document (secret API key). */
import { ordersSummaryQuerySchema } from '@funnelhouse/schemas';
import { type Json, ok, queryParams, ref, siteOp, siteParam } from './parts.ts';

export function orderPaths(): Json {
  const sp = '/api/v1/sites/{siteId}';
  return {
    [`${sp}/orders/summary`]: {
      get: siteOp(
        'Orders and revenue per currency: browser-only, server-confirmed and server-only',
        { parameters: [siteParam, ...queryParams(ordersSummaryQuerySchema)] },
        { '200': ok('Orders in the range', ref('OrdersSummary')) },
      ),
    },
  };
}
