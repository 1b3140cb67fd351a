/**
 * Cart reports: the query strings and the answers of `GET …/carts/abandonment` and
 * `GET …/carts/abandoned`. The definitions (what a cart, an abandoned, an open and a recovered
 * cart are) are written in `CART_DEFINITIONS`, which the OpenAPI document shows verbatim.
 */
import { z } from 'zod';
import {
  csvPaging,
  dateOrInstant,
  explainFlag,
  explainSchema,
  relativeRange,
  reportTimeZone,
} from './api.ts';

export const CART_DEFINITIONS = `Definitions, exactly as computed (server/src/carts/fold-sql.ts):
- Events read: the site's events with ts in [from − 30 days, as_of); as_of is the request time unless given. Nothing after as_of is seen, so an answer with a past as_of is reproducible.
- A cart is a snippet cart id (cart_id) with at least one cart event: add_to_cart, remove_from_cart, view_cart, begin_checkout, add_shipping_info, add_payment_info. A purchase alone makes no cart. A cart belongs to [from, to) by its first event.
- Orders: purchase events with an order_id, one order per order_id, timed by its first purchase event; its revenue and currency are the server's (server events API or import) when there is one, else the browser's; among several such reports the first received, and of reports received together the smaller amount (the verified-orders rule). The order's cart is the cart_id of its purchase events (the smallest non-empty one). A cart is purchased by its first order.
- History: the cart's events at or before its purchase (all when not purchased), ordered by (ts, event_id). last activity = its last event.
- Stage reached: the furthest of cart (add/remove/view), checkout (begin_checkout), shipping (add_shipping_info), payment (add_payment_info); purchased carts show stage purchased.
- Value: an event's value is its revenue when > 0, else Σ price × quantity of its items. The latest of view_cart/begin_checkout/add_shipping_info/add_payment_info sets the value; every add_to_cart after it adds its value, every remove_from_cart subtracts it; without such an event the value starts at 0; never below 0. Currency: the latest non-empty one. Items: the same fold per item id.
- Status, with timeout = inactivity_timeout (default 3600 s) and window = recovery_window (default 604800 s = 7 days). Idle gaps are the times between consecutive events of the history and from its last event to the purchase (or to as_of when not purchased):
  empty: not purchased and value 0 (an emptied cart is never abandoned);
  open: not purchased, value > 0, as_of − last activity ≤ timeout (exactly one timeout old is still open; a cart idle once and active again is open);
  abandoned: not purchased, value > 0 and as_of − last activity > timeout (abandoned_at = last activity + timeout); or purchased, with value > 0 and an idle gap longer than timeout before the purchase, but later than window after it became abandoned;
  recovered: purchased, value > 0, with an idle gap longer than timeout before the purchase (abandoned_at = the start of the first such gap + timeout), and purchased at most window after abandoned_at (at the edge counts);
  purchased: bought with no idle gap longer than timeout before.
- Counts: abandoned = abandoned + recovered carts (every cart that was abandoned); purchased = every cart with an order; abandonment rate = abandoned / (carts − open − empty); recovery rate = recovered / abandoned; both with 95 % Wilson intervals. abandoned_value = Σ value (the last before any purchase) of abandoned and recovered carts, per cart currency; lost_value = the same for those not recovered; recovered_revenue = Σ order revenue of recovered carts, per order currency.
- Reporting currency: when the site has rates (PUT …/settings/currency-rates), \`reporting\` (in totals, each stage, day and breakdown group, and the previous period's totals) converts each currency's amount at its rate (the reporting currency itself is 1); currencies without a rate are listed in missing_rates and left out of the converted sums. Each listed cart's \`reporting\` has its value and its order's revenue converted, null for a currency without a rate.
- Attributes at creation: visitor, channel, device, country, campaign and properties of the cart's first event; an experiment variant: the first of the cart's events that carries the experiment key; user_id: the latest non-empty one.`;

export const CART_BREAKDOWNS = [
  'channel',
  'device',
  'country',
  'utm_source',
  'utm_campaign',
  'variant',
  'property',
] as const;
export type CartBreakdown = (typeof CART_BREAKDOWNS)[number];

const DAY_S = 86_400;

/** The range and definitions every cart report takes. */
const cartScopeQuery = {
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: reportTimeZone,
  inactivity_timeout: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * DAY_S)
    .default(3600)
    .describe('Seconds without cart activity after which a cart is abandoned (default 3600 = 1 hour)'),
  recovery_window: z.coerce
    .number()
    .int()
    .min(0)
    .max(90 * DAY_S)
    .default(7 * DAY_S)
    .describe(
      'Seconds after abandonment within which a purchase recovers the cart (default 604800 = 7 days)',
    ),
  as_of: dateOrInstant
    .optional()
    .describe('The moment the carts are seen from (default: now); events after it are ignored'),
  explain: explainFlag.optional(),
};

export const cartAbandonmentQuerySchema = z.strictObject({
  ...cartScopeQuery,
  breakdown: z.enum(CART_BREAKDOWNS).optional(),
  breakdown_key: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('The experiment key (breakdown=variant) or property key (breakdown=property)'),
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Breakdown groups, most carts first'),
});
export type CartAbandonmentQuery = z.infer<typeof cartAbandonmentQuerySchema>;

export const cartListQuerySchema = z.strictObject({
  ...cartScopeQuery,
  status: z.enum(['abandoned', 'recovered', 'open']).default('abandoned'),
  sort: z.enum(['value', 'last_activity', 'created']).default('value'),
  order: z.enum(['asc', 'desc']).default('desc'),
  ...csvPaging('Carts', 'cart'),
});
export type CartListQuery = z.infer<typeof cartListQuerySchema>;

const rate = z
  .object({ rate: z.number(), low: z.number(), high: z.number() })
  .nullable()
  .describe('Proportion with its 95 % Wilson interval; null without a denominator');
const money = z.array(z.object({ currency: z.string(), amount: z.number() }));

export const cartReportingSchema = z
  .object({
    currency: z.string().describe('The site’s reporting currency'),
    abandoned_value: z.number().describe('Σ abandoned_value × rate over the currencies with a rate'),
    lost_value: z.number().describe('Σ lost_value × rate, likewise'),
    recovered_revenue: z.number().describe('Σ recovered_revenue × rate, likewise'),
    missing_rates: z
      .array(z.string())
      .describe('Currencies without a rate, left out of the converted sums (sorted)'),
  })
  .nullable()
  .describe(
    'The money figures converted at the site’s rates (PUT …/settings/currency-rates: 1 unit of a currency = rate units of the reporting currency); null when the site has none',
  );
export type CartReporting = z.infer<typeof cartReportingSchema>;

export const cartCountsSchema = z.object({
  carts: z.number().int(),
  open: z.number().int(),
  empty: z.number().int(),
  purchased: z.number().int(),
  abandoned: z.number().int(),
  recovered: z.number().int(),
  abandonment_rate: rate,
  recovery_rate: rate,
  abandoned_value: money,
  lost_value: money,
  recovered_revenue: money,
  reporting: cartReportingSchema,
});
export type CartCounts = z.infer<typeof cartCountsSchema>;

export const CART_STAGE_NAMES = ['cart', 'checkout', 'shipping', 'payment'] as const;

export const cartAbandonmentResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  as_of: z.string(),
  inactivity_timeout: z.number().int(),
  recovery_window: z.number().int(),
  totals: cartCountsSchema,
  /** Per furthest stage reached before any purchase. */
  by_stage: z.array(z.object({ stage: z.enum(CART_STAGE_NAMES) }).extend(cartCountsSchema.shape)),
  daily: z.array(
    z.object({
      day: z.string(),
      carts: z.number().int(),
      open: z.number().int(),
      empty: z.number().int(),
      purchased: z.number().int(),
      abandoned: z.number().int(),
      recovered: z.number().int(),
      reporting: cartReportingSchema,
    }),
  ),
  breakdown: z
    .object({
      by: z.enum(CART_BREAKDOWNS),
      key: z.string().nullable(),
      groups: z.array(z.object({ value: z.string() }).extend(cartCountsSchema.shape)),
      other_groups: z.number().int(),
    })
    .nullable(),
  previous: z.object({ from: z.string(), to: z.string(), totals: cartCountsSchema }),
  change: z.object({
    carts: z.number().nullable().describe('Relative change of carts created (0.1 = +10 %)'),
    abandonment_rate: z.number().nullable().describe('Difference in rate (percentage points / 100)'),
    recovery_rate: z.number().nullable(),
  }),
  explain: explainSchema.optional(),
});
export type CartAbandonmentResponse = z.infer<typeof cartAbandonmentResponseSchema>;

export const cartItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  price: z.number(),
  quantity: z.number().int(),
  category: z.string(),
  variant: z.string(),
});

export const cartSchema = z.object({
  cart_id: z.string(),
  visitor_id: z.string(),
  user_id: z.string(),
  status: z.enum(['open', 'abandoned', 'recovered', 'purchased', 'empty']),
  value: z.number(),
  currency: z.string(),
  stage: z.enum([...CART_STAGE_NAMES, 'purchased']),
  stage_reached: z.enum(CART_STAGE_NAMES).describe('Furthest stage before any purchase'),
  items: z.array(cartItemSchema),
  created_at: z.string(),
  last_activity_at: z.string(),
  abandoned_at: z.string().nullable(),
  order: z
    .object({ order_id: z.string(), purchased_at: z.string(), revenue: z.number(), currency: z.string() })
    .nullable(),
});
export type CartView = z.infer<typeof cartSchema>;

export const cartRowReportingSchema = z
  .object({
    currency: z.string().describe('The site’s reporting currency'),
    value: z.number().nullable().describe('The cart’s value × its currency’s rate; null without a rate'),
    order_revenue: z
      .number()
      .nullable()
      .describe('The order’s revenue × its currency’s rate; null without an order or without a rate'),
    missing_rates: z
      .array(z.string())
      .describe(
        'The cart’s and the order’s currencies without a rate (sorted; "" is a cart without currency)',
      ),
  })
  .nullable()
  .describe(
    'The cart’s money converted at the site’s rates (PUT …/settings/currency-rates); null when the site has none',
  );
export type CartRowReporting = z.infer<typeof cartRowReportingSchema>;

/** A cart as the list gives it: the cart (as the webhook sends it) and its converted money. */
export const listedCartSchema = cartSchema.extend({ reporting: cartRowReportingSchema });
export type ListedCart = z.infer<typeof listedCartSchema>;

export const cartListResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  as_of: z.string(),
  inactivity_timeout: z.number().int(),
  recovery_window: z.number().int(),
  status: z.enum(['abandoned', 'recovered', 'open']),
  sort: z.enum(['value', 'last_activity', 'created']),
  order: z.enum(['asc', 'desc']),
  limit: z.number().int(),
  offset: z.number().int(),
  total: z.number().int().nullable().describe('Carts of this status; null on a page past the end'),
  carts: z.array(listedCartSchema),
  explain: explainSchema.optional(),
});
export type CartListResponse = z.infer<typeof cartListResponseSchema>;
