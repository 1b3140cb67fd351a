/** The recovery webhook: its configuration, what it posts, and its delivery log. */
import { z } from 'zod';
import { cartSchema } from './carts.ts';

export const WEBHOOK_RULES = `The recovery webhook posts JSON to the site's URL once when a cart becomes abandoned (event cart.abandoned) and once more if it is recovered (cart.recovered), by the definitions of GET …/carts/abandonment with the webhook's own inactivity_timeout and recovery_window. Carts are looked for every FUNNELHOUSE_WEBHOOK_POLL_MS among those created from 7 days before the webhook was set up (and at most 37 days back); a cart abandoned before the webhook existed is not announced. A cart found already recovered gets both deliveries, abandoned first.
Each delivery has a delivery id derived from (site, cart, event), recorded (fsynced) before it is first sent, so it is the same on every attempt and after any restart: receivers deduplicate by the Funnelhouse-Delivery header. Headers: Funnelhouse-Delivery (the id), Funnelhouse-Event, Funnelhouse-Timestamp (Unix seconds of this attempt), Funnelhouse-Signature: v1=<hex HMAC-SHA256 with the secret over "<timestamp>.<raw body>">. Check the signature and reject timestamps older than a few minutes.
An answer 2xx delivers; anything else (or no answer within FUNNELHOUSE_WEBHOOK_TIMEOUT_MS) is retried after FUNNELHOUSE_WEBHOOK_RETRY_MS, doubling each time up to an hour, until FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS (then status failed). Every attempt is logged (GET …/webhooks/recovery/deliveries): the log keeps the last FUNNELHOUSE_WEBHOOK_LOG_ATTEMPTS (default 1,000) attempts of the site, so an old delivery may list fewer attempts than it had, or none.
Deliveries are kept while their cart can still be found: a delivered or failed one created more than a day before the oldest creation time the poll looks at (the later of 7 days before the webhook was set up and 37 days ago, so 38 days for a webhook older than a month) is deleted, since its cart is out of the poll's range and cannot be announced again; a pending one is never deleted. Exception: a cart id used again after more than 30 days without events is a new cart; if its earlier delivery was deleted, it is announced again under the same delivery id.
Sites are sent to side by side: at most FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY (default 2) requests to one site's URL at once and FUNNELHOUSE_WEBHOOK_CONCURRENCY (default 16) for all sites together, so a receiver that is slow or never answers delays only its own site's deliveries; a cart's cart.abandoned is still sent before its cart.recovered. Circuit breaker: after FUNNELHOUSE_WEBHOOK_BREAKER_FAILURES (default 5; 0 = off) failed attempts in a row, no request goes to the site's URL for FUNNELHOUSE_WEBHOOK_BREAKER_COOLDOWN_MS (default 60,000), then the oldest due delivery is sent alone as a probe: a 2xx closes the breaker and the others follow, a failure opens it for another cool-down. Deliveries held back by the breaker are not attempted: they stay pending, their attempts and next attempt time unchanged (so next_attempt_at may be in the past while it is open), and they spend none of FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS. The breaker lives in memory: a restart, or setting the webhook again, closes it.
At least once: a delivery is sent again only when the server died after sending it and before recording the answer (a process kill or a crash); none is skipped, whatever the restarts.`;

/**
 * The URL as written: absolute http(s), a host, no user name or password, ≤ 2048 characters. The
 * server also refuses a literal IP host in a private, loopback, link-local or other special
 * range (`400 refused_address`), and checks every resolved address again at each delivery.
 */
export const WEBHOOK_URL_RULES = `The url: absolute http: or https:, with a host, no user name or password, at most 2048 characters (else 400 invalid_body, issue at path url). Unless the server runs with FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE=1 (a self-hosted install whose receiver is on its own network), a host that is a literal IP address in a refused range is 400 refused_address (issue code refused_address at path url): unspecified (0.0.0.0/8, ::), loopback (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fec0::/10), shared (100.64/10), link-local with the cloud metadata address (169.254/16, fe80::/10), unique-local (fc00::/7), multicast, reserved and documentation ranges, and those written as IPv4-mapped (::ffff:127.0.0.1), NAT64 or 6to4 IPv6, or as one number (2130706433); Teredo (2001::/32, which carries IPv4 addresses) is refused whole as reserved. A host name is resolved at each delivery: when any of its addresses is in a refused range, the attempt is not sent and is logged with error "refused_address: <host> resolves to a <range> address", then retried by the rules below like any failure; otherwise the connection goes to exactly the addresses that were checked. Redirects are not followed (a 3xx answer is a failure).`;

export const webhookUrlSchema = z
  .string()
  .max(2048)
  .superRefine((u, ctx) => {
    let p: URL;
    try {
      p = new URL(u);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'an absolute http(s) URL' });
      return;
    }
    if (p.protocol !== 'https:' && p.protocol !== 'http:')
      ctx.addIssue({ code: 'custom', message: 'an absolute http(s) URL' });
    else if (p.username !== '' || p.password !== '')
      ctx.addIssue({ code: 'custom', message: 'no user name or password in the URL' });
    else if (p.hostname === '') ctx.addIssue({ code: 'custom', message: 'a host is required' });
  });

export const webhookConfigSchema = z.strictObject({
  url: webhookUrlSchema,
  inactivity_timeout: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(3600),
  recovery_window: z
    .number()
    .int()
    .min(0)
    .max(90 * 86_400)
    .default(7 * 86_400),
  /** Make a new secret (the old one stops signing). */
  rotate_secret: z.boolean().optional(),
});
export type WebhookConfigRequest = z.input<typeof webhookConfigSchema>;

export const webhookResponseSchema = z.object({
  url: z.string(),
  inactivity_timeout: z.number().int(),
  recovery_window: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Only in the answer that made it: store it, it is never shown again. */
  secret: z.string().optional(),
});
export type WebhookResponse = z.infer<typeof webhookResponseSchema>;

export const webhookPayloadSchema = z.object({
  delivery_id: z.string(),
  event: z.enum(['cart.abandoned', 'cart.recovered']),
  site_id: z.string(),
  occurred_at: z.string(),
  cart: cartSchema,
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const deliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
});

export const deliverySchema = z.object({
  delivery_id: z.string(),
  event: z.enum(['cart.abandoned', 'cart.recovered']),
  cart_id: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  created_at: z.string(),
  next_attempt_at: z.string().nullable(),
  attempts: z.array(deliveryAttemptSchema),
});

export const deliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
});

export const deliveriesResponseSchema = z.object({ deliveries: z.array(deliverySchema) });
export type DeliveriesResponse = z.infer<typeof deliveriesResponseSchema>;
