/** Multi-touch attribution: which sources earn the orders and the revenue, under six models side by side. */
import { z } from 'zod';
import { dateOrInstant, explainFlag, explainSchema, relativeRange, reportTimeZone } from './api.ts';

export const ATTRIBUTION_DIMENSIONS = [
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'referrer_domain',
] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

export const ATTRIBUTION_MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'position_based',
  'time_decay',
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export const ATTRIBUTION_DEFINITIONS = `Definitions, exactly as computed (server/src/attribution/, the credit in server/src/stats/attribution.ts):
- Conversions: the orders of the range, as the revenue report counts them (purchase events with an order_id, one order per order_id, dated by its first purchase event in [from, to); revenue and currency by the verified-orders rule). The unit is the order's visitor: the visitor id of its first purchase event that carries one.
- Touches: the visitor's sessions. A session is a touch at its first event (ts, then event_id), read from from − lookback_days on, and its value is that event's dimension (channel, utm_source, utm_medium, utm_campaign, or referrer_domain: the referrer's host); an empty value is the value "" (no tag). A session is direct when that first event's channel is direct or internal (a session that began on a link of the site itself, after the previous one timed out), whatever the dimension. Events without a session id are not touches.
- Lookback: a touch counts for an order when it is at most lookback_days (default 30) before the order and not after it: order − lookback ≤ touch ≤ order. The order's own session counts.
- Order of touches: by time, ties by session id. Every touch counts, also several in a row from the same source.
- Models, each giving an order a credit of 1 in total: first_touch (all to the first touch), last_touch (all to the last), last_non_direct (all to the last touch that is not direct; to the last touch when all are direct), linear (1/n each), position_based (position_first to the first, position_last to the last and the rest shared equally by the touches between; with two touches the middle share is split between them in proportion to position_first and position_last, with one touch it gets all; defaults 0.4, 0.4), time_decay (weights 2^(−age / half_life_days), age = order − touch, normalised to 1; default half-life 7 days).
- No touch: an order whose visitor is unknown, or has no session in the window, gives its credit to the row with value null in every model.
- Per value: conversions = Σ credit (a fraction; rounded to 4 decimals in the answer, after summing), share = that / the orders, revenue per currency = Σ credit × the order's revenue (rounded to 4 decimals), and visitors = distinct visitors with a session whose first event is in [from, to) and has the value; revenue per visitor = revenue / visitors. Reporting currency: converted at the site's rates, as the revenue report does; currencies without a rate are listed in missing_rates.
- Rows: the same values in every model, in the same order, so the models line up: the values with credit under any model, most credit summed over the six models first, ties by value (null last); at most limit of them, the rest summed into one row with value "Other" (other_values says how many).
- position_first + position_last must be at most 1 (else 400).
- Paths: per order, the sequence of its touches' values with consecutive repeats collapsed (direct kept as its value), the most frequent first (at most 20); per path the orders, the share of all orders, and the median time from the first touch to the order.`;

export const attributionQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: reportTimeZone,
  dimension: z.enum(ATTRIBUTION_DIMENSIONS).default('channel').describe('What a touch is credited to'),
  conversion: z.enum(['order']).default('order').describe('What converts: an order (with its revenue)'),
  lookback_days: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(30)
    .describe('Days before an order within which a session counts as its touch'),
  half_life_days: z.coerce
    .number()
    .min(0.1)
    .max(90)
    .default(7)
    .describe('time_decay: a touch this many days older than another gets half its weight'),
  position_first: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.4)
    .describe('position_based: the first touch’s share'),
  position_last: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.4)
    .describe('position_based: the last touch’s share'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('Values per model (the same in every model), most credit first'),
  explain: explainFlag.optional(),
});
export type AttributionQuery = z.infer<typeof attributionQuerySchema>;

const money = z.object({ currency: z.string(), revenue: z.number() });

const reporting = z
  .object({
    currency: z.string().describe('The site’s reporting currency'),
    revenue: z.number().describe('Σ revenue × rate over the currencies with a rate'),
    revenue_per_visitor: z.number().nullable().describe('That revenue / visitors; null without visitors'),
    missing_rates: z.array(z.string()).describe('Currencies without a rate, left out of the converted sums'),
  })
  .nullable()
  .describe('Converted at the site’s rates; null when the site has none');

export const attributionRowSchema = z.object({
  value: z
    .string()
    .nullable()
    .describe(
      'The source; "" for touches without a value, null for orders without a touch, "Other" for the rest',
    ),
  conversions: z.number().describe('Σ credit, a fraction of orders'),
  share: z.number().nullable().describe('conversions / all orders of the range'),
  visitors: z.number().int().nullable().describe('Visitors with a session from this value in the range'),
  by_currency: z.array(money.extend({ revenue_per_visitor: z.number().nullable() })),
  reporting,
});
export type AttributionRow = z.infer<typeof attributionRowSchema>;

export const attributionResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  dimension: z.enum(ATTRIBUTION_DIMENSIONS),
  conversion: z.literal('order'),
  lookback_days: z.number(),
  half_life_days: z.number(),
  position: z.object({ first: z.number(), middle: z.number(), last: z.number() }),
  totals: z.object({
    orders: z.number().int(),
    with_touch: z.number().int().describe('Orders with at least one touch in their window'),
    touches: z.number().int().describe('Touches of all orders (a session counts once per order it touches)'),
    by_currency: z.array(money.extend({ orders: z.number().int() })),
  }),
  models: z.array(
    z.object({
      model: z.enum(ATTRIBUTION_MODELS),
      rows: z.array(attributionRowSchema),
      other_values: z.number().int(),
    }),
  ),
  paths: z.array(
    z.object({
      path: z
        .array(z.string())
        .describe('Touch values in order, consecutive repeats collapsed; [] without touch'),
      orders: z.number().int(),
      share: z.number(),
      median_ms_to_order: z
        .number()
        .nullable()
        .describe('From the first touch to the order; null without touch'),
    }),
  ),
  explain: explainSchema.optional(),
});
export type AttributionResponse = z.infer<typeof attributionResponseSchema>;
