import { z } from 'zod';
import { collectEventSchema } from './event.ts';
import { LIMITS } from './limits.ts';
import type { CollectEvent } from './types.ts';

/**
 * The server events API (`POST /api/v1/sites/:siteId/events`): the snippet's event schema, with
 * `ts` read as an absolute time (no clock-skew correction), plus what a server knows about the
 * visitor instead of the request it came in (there is no browser request to read it from).
 */
export interface ServerEventExtras {
  /** Any event may name the order it belongs to (a purchase must). */
  order_id?: string;
  /** The visitor's user agent, for browser/OS/device; nothing is derived when absent. */
  user_agent?: string;
  /** The visitor's address: used for the country lookup, then discarded (never stored). */
  ip?: string;
  /** ISO 3166-1 alpha-2 country, when the sender knows it; wins over `ip`. */
  country?: string;
}

export type ServerEvent = CollectEvent & ServerEventExtras;

export const SERVER_EVENT_SOURCES = ['server', 'import'] as const;
export type ServerEventSource = (typeof SERVER_EVENT_SOURCES)[number];

export const serverEventExtrasSchema = z.object({
  order_id: z.string().min(1).max(LIMITS.idLength).optional(),
  user_agent: z.string().max(LIMITS.userAgentLength).optional(),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 code')
    .optional(),
}) satisfies z.ZodType<ServerEventExtras>;

/** One server event: validated on its own, so one bad event does not sink its batch. */
export const serverEventSchema = z.intersection(collectEventSchema, serverEventExtrasSchema);

/**
 * The envelope the route checks first (a bad envelope refuses the whole request); each entry of
 * `events` is then checked against `serverEventSchema` separately.
 */
export const serverEventsEnvelopeSchema = z.strictObject({
  /** `import` marks historical data loaded by the import tool; `server` (default) live events. */
  source: z.enum(SERVER_EVENT_SOURCES).default('server'),
  events: z.array(z.unknown()).min(1).max(LIMITS.serverEventsPerBatch),
});

/** The request body as documented (OpenAPI): the envelope with typed events. */
export const serverEventsBodySchema = serverEventsEnvelopeSchema.extend({
  events: z.array(serverEventSchema).min(1).max(LIMITS.serverEventsPerBatch),
});
export type ServerEventsBody = z.input<typeof serverEventsBodySchema>;

/**
 * Why one event of a batch was refused: the `/collect` codes (schema, property limits, an amount
 * out of range; a negative revenue is a refund here, not refused) and the two of an absolute `ts`.
 */
export const SERVER_EVENT_REJECTIONS = [
  'invalid_event',
  'too_many_properties',
  'property_key_too_long',
  'property_value_too_long',
  'reserved_property_key',
  'money_out_of_range',
  'too_old',
  'in_future',
] as const;
export type ServerEventRejection = (typeof SERVER_EVENT_REJECTIONS)[number];

const issueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

/**
 * The outcome of one event, in request order. `stored`: written now. `duplicate`: an event with
 * this id was already stored (or came earlier in the batch); the first version is kept and the
 * request counts as accepted, so a retry is safe. `rejected`: not stored, with the reason.
 */
export const serverEventResultSchema = z.discriminatedUnion('status', [
  z.object({ index: z.number().int(), id: z.string(), status: z.enum(['stored', 'duplicate']) }),
  z.object({
    index: z.number().int(),
    id: z.string().nullable(),
    status: z.literal('rejected'),
    code: z.enum(SERVER_EVENT_REJECTIONS),
    message: z.string(),
    issues: z.array(issueSchema).optional(),
  }),
]);
export type ServerEventResult = z.infer<typeof serverEventResultSchema>;

export const serverEventsResponseSchema = z.object({
  /** Stored plus duplicates: events the sender need not send again. */
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(serverEventResultSchema),
});
export type ServerEventsResponse = z.infer<typeof serverEventsResponseSchema>;
