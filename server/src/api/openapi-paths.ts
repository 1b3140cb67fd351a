/**
 * Paths of the OpenAPI document for site administration beyond creation (update, delete, key
 * revocation) and for a site's raw data: stored events, the export, erasure, orders and the server
 * events API.
 */
import { eventsQuerySchema, exportQuerySchema, LIMITS, ordersSummaryQuerySchema } from '@funnelhouse/schemas';
import {
  adminErrors,
  error,
  type Json,
  json,
  ok,
  queryParams,
  ref,
  siteOp,
  siteParam,
  wrongKeyKind,
} from './openapi-parts.ts';

const admin = { security: [{ adminKey: [] }] };
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

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

const exportMedia = {
  // OpenAPI 3.1 has no schema for one item of a sequential media type (3.2's `itemSchema`):
  // the schema given here is that of each line.
  'application/x-ndjson': { schema: ref('ExportEvent') },
  'text/csv': {
    schema: {
      type: 'string',
      description:
        'A header line of the column names (those of ExportEvent, in its order), then one RFC 4180 record per ' +
        'event; `form_fields`, `items`, `experiments` and `props` cells hold JSON text.',
    },
  },
};

/** A site's stored events, export, erasure, orders and the server events API (secret API key). */
export function siteDataPaths(): Json {
  const sp = '/api/v1/sites/{siteId}';
  return {
    [`${sp}/events`]: {
      get: siteOp(
        'Stored events in [from, to) (UTC), oldest first, at most `limit`',
        { parameters: [siteParam, ...queryParams(eventsQuerySchema)] },
        { '200': ok('Stored rows; times are epoch milliseconds', ref('EventsResponse')) },
      ),
      post: {
        summary:
          'Send events from your servers (server events API): each event is stored, a duplicate, or rejected on its own',
        description:
          `At most ${LIMITS.serverEventsPerBatch} events and ${LIMITS.serverBodyBytes} bytes per request. ` +
          '`ts` is taken as an absolute time. ' +
          `Amounts (\`revenue\`, an item's \`price\`) are within ±${LIMITS.moneyMax} currency units, stored with 4 ` +
          'decimals; negative revenue (a refund) is accepted; past the bound an event is rejected with ' +
          '`money_out_of_range`. The answer comes once the stored events are stored; resending ' +
          'an event with the same id is safe (it is reported as a duplicate).',
        security: [{ apiKey: [] }],
        parameters: [siteParam],
        requestBody: { required: true, content: json(ref('ServerEventsBody')) },
        responses: {
          '200': ok('One result per event, in request order', ref('ServerEventsResponse')),
          '400': error('Invalid JSON, a bad envelope or too many events: nothing stored'),
          '401': error('Missing or invalid API key (`unauthorized`)'),
          '403': wrongKeyKind,
          '404': error('Unknown site (or a key for another site)'),
          '413': error('Body too large'),
          '415': error('Content-Type is not application/json'),
          '429': error('Over the per-key rate limit (`rate_limited`): retry after `Retry-After` seconds'),
        },
      },
    },
    [`${sp}/events/export`]: {
      get: siteOp(
        'Export raw events in [from, to), streamed in (ts, event_id) order',
        { parameters: [siteParam, ...queryParams(exportQuerySchema)] },
        {
          '200': {
            description:
              '`format=ndjson` (default): one ExportEvent JSON object per line. `format=csv`: the same ' +
              'columns as CSV. Sent as an attachment.',
            content: exportMedia,
          },
        },
      ),
    },
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
    [`${sp}/orders/summary`]: {
      get: siteOp(
        'Orders and revenue per currency: browser-only, server-confirmed and server-only',
        { parameters: [siteParam, ...queryParams(ordersSummaryQuerySchema)] },
        { '200': ok('Orders in the range', ref('OrdersSummary')) },
      ),
    },
  };
}
