/**
 * Sites and their secret API keys in the OpenAPI document (admin key): list, create, change,
 * delete a site; list, create and revoke its keys.
 */
import { adminErrors, error, type Json, json, ok, pathParam, ref, siteParam } from './parts.ts';

const admin = { security: [{ adminKey: [] }] };

/** `GET`/`POST /api/v1/sites` and a site's key list (admin key). */
export function siteKeyPaths(): Json {
  return {
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
  };
}

/** `PATCH`/`DELETE` on a site and `DELETE` of one of its API keys (admin key). */
export function siteAdminPaths(): Json {
  return {
    '/api/v1/sites/{siteId}': {
      patch: {
        summary: 'Change a site: each field present replaces the current value',
        ...admin,
        parameters: [siteParam],
        requestBody: { required: true, content: json(ref('UpdateSite')) },
        responses: {
          '200': ok('The site as it is now', ref('SiteSummary')),
          '400': error(
            'Invalid JSON, unknown field or invalid value (a time_zone unknown: unknown_time_zone)',
          ),
          ...adminErrors,
          '404': error('Unknown site'),
        },
      },
      delete: {
        summary: 'Delete a site and erase all its events (its site key stops working first)',
        ...admin,
        parameters: [siteParam],
        responses: {
          '200': ok('Deleted, with the number of events erased', ref('DeleteSiteResponse')),
          ...adminErrors,
          '404': error('Unknown site'),
        },
      },
    },
    '/api/v1/sites/{siteId}/keys/{keyId}': {
      delete: {
        summary: 'Revoke one secret API key of a site',
        ...admin,
        parameters: [siteParam, pathParam('keyId', 'The part of the key between `fhk_` and the next `_`')],
        responses: {
          '200': ok('Revoked: the key is refused from now on', ref('RevokeApiKeyResponse')),
          ...adminErrors,
          '404': error('Unknown site, or no such key of this site'),
        },
      },
    },
  };
}
