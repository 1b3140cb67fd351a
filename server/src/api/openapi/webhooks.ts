/** The recovery webhook and its delivery log in the OpenAPI document. */
import { deliveriesQuerySchema, WEBHOOK_RULES, WEBHOOK_URL_RULES } from '@funnelhouse/schemas';
import { error, type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

const webhookExample = {
  url: 'https://crm.example/hooks/funnelhouse',
  inactivity_timeout: 3600,
  recovery_window: 604800,
  created_at: '2026-03-10T09:00:00.000Z',
  updated_at: '2026-03-10T09:00:00.000Z',
  secret: 'whsec_Q2hhbmdlIG1lOiB0aGlzIGlzIGFuIGV4YW1wbGUgc2VjcmV0',
};

const deliveriesExample = {
  deliveries: [
    {
      delivery_id: 'dlv_3f1c0a9e8b7d6c5b4a39281706f5e4d3',
      event: 'cart.abandoned',
      cart_id: 'k1',
      status: 'delivered',
      created_at: '2026-03-10T11:05:10.000Z',
      next_attempt_at: null,
      attempts: [
        { attempt: 1, at: '2026-03-10T11:05:10.020Z', status_code: 500, error: null, duration_ms: 31 },
        { attempt: 2, at: '2026-03-10T11:05:20.100Z', status_code: 200, error: null, duration_ms: 18 },
      ],
    },
  ],
};

/** The recovery webhook and its delivery log (secret API key). */
export function webhookPaths(): Json {
  const base = '/api/v1/sites/{siteId}/webhooks/recovery';
  const hook = (description: string, example: unknown) => ({
    description,
    content: { 'application/json': { schema: ref('Webhook'), example } },
  });
  const { secret: _s, ...shown } = webhookExample;
  return {
    [base]: {
      put: siteOp(
        'Set up (201, with the secret, shown once) or change (200) the recovery webhook',
        {
          description: `${WEBHOOK_URL_RULES}\n${WEBHOOK_RULES}`,
          parameters: [siteParam],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('WebhookConfig'),
                example: { url: 'https://crm.example/hooks/funnelhouse', inactivity_timeout: 3600 },
              },
            },
          },
        },
        {
          '201': hook('Created: store the secret now', webhookExample),
          '200': hook('Changed (the secret only when rotate_secret was true)', shown),
          '400': error(
            'Invalid body (`invalid_body`: a URL that is not absolute http(s), has a user name or password, or is too long), or `refused_address`: the host is a literal IP address in a refused range (loopback, private, link-local, cloud metadata, …) and the server does not allow private addresses',
          ),
        },
      ),
      get: siteOp(
        'The recovery webhook (without its secret)',
        { parameters: [siteParam] },
        { '200': hook('The webhook', shown) },
      ),
      delete: siteOp(
        'Stop the recovery webhook',
        { parameters: [siteParam] },
        { '204': { description: 'Stopped' } },
      ),
    },
    [`${base}/deliveries`]: {
      get: siteOp(
        'Deliveries of the recovery webhook, newest first, with every attempt',
        { description: WEBHOOK_RULES, parameters: [siteParam, ...queryParams(deliveriesQuerySchema)] },
        {
          '200': {
            description: 'The delivery log',
            content: { 'application/json': { schema: ref('Deliveries'), example: deliveriesExample } },
          },
        },
      ),
    },
  };
}
