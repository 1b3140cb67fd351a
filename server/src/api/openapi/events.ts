/** A site's stored events and the server events API in the OpenAPI document (secret API key). */
import { eventsQuerySchema, LIMITS } from '@funnelhouse/schemas';
import { error, type Json, json, ok, queryParams, ref, siteOp, siteParam, wrongKeyKind } from './parts.ts';

export function eventPaths(): Json {
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
  };
}
