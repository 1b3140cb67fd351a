/** What a site sends (event types, names, property keys and top values) in the OpenAPI document. */
import { siteSchemaQuerySchema } from '@funnelhouse/schemas';
import { type Json, ok, queryParams, ref, siteOp, siteParam } from './parts.ts';

export function siteSchemaPaths(): Json {
  return {
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
