/** The traffic overview and the realtime count in the OpenAPI document (secret API key). */
import { overviewQuerySchema } from '@funnelhouse/schemas';
import { type Json, ok, queryParams, ref, siteOp, siteParam } from './parts.ts';

export function overviewPaths(): Json {
  return {
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
  };
}
