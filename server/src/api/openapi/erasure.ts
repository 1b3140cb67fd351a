/** Erasing one visitor's events in the OpenAPI document (secret API key or admin key). */
import { error, type Json, ok, pathParam, ref, siteParam, wrongKeyKind } from './parts.ts';

export function erasurePaths(): Json {
  const sp = '/api/v1/sites/{siteId}';
  return {
    [`${sp}/visitors/{visitorId}`]: {
      delete: {
        summary: "Erase one visitor's events (answered once they are gone)",
        security: [{ apiKey: [] }, { adminKey: [] }],
        parameters: [siteParam, pathParam('visitorId', 'The visitor id as stored')],
        responses: {
          '200': ok('How many events were erased', ref('EraseVisitorResponse')),
          '401': error('Missing or invalid key (`unauthorized`)'),
          '403': wrongKeyKind,
          '404': error('Unknown site (or an API key of another site)'),
        },
      },
    },
  };
}
