/** Product performance: per item, views, carts, orders, quantity, revenue and abandoned value. */
import { z } from 'zod';
import {
  csvPaging,
  dateOrInstant,
  explainFlag,
  explainSchema,
  relativeRange,
  reportTimeZone,
} from './api.ts';

export const PRODUCT_BREAKDOWNS = ['channel', 'device', 'country', 'variant'] as const;
export type ProductBreakdown = (typeof PRODUCT_BREAKDOWNS)[number];

export const PRODUCT_SORTS = [
  'views',
  'carts',
  'buyers',
  'purchases',
  'quantity',
  'revenue',
  'abandoned_value',
  'view_to_cart',
  'cart_to_purchase',
  'item_id',
] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** The cart definitions the abandoned figures are read with: the carts report's defaults. */
export const PRODUCT_CART_TIMEOUT_S = 3600;
export const PRODUCT_CART_WINDOW_S = 7 * 86_400;

export const PRODUCT_DEFINITIONS = `Definitions, exactly as computed (server/src/products/, oracle test/products/oracle.ts):
- Events read: the site's events with ts in [from, to) of type view_item, add_to_cart or purchase, each line of their items. An item is its id; a line without a quantity was stored with quantity 1, without a price with price 0.
- Unit: the visitor (a non-empty visitor id). Events without a visitor id count in no visitor figure, but in orders, names and carts.
- views: visitors with a view_item event listing the item. carts: visitors with an add_to_cart event listing it. buyers: visitors with a purchase event (with an order_id) listing it.
- view_to_cart: visitors who both viewed and added the item / views; cart_to_purchase: visitors who both added and bought it / carts. Both within the range, in any order; a proportion with its 95 % Wilson interval, null without a denominator.
- Orders: purchase events with an order_id, one order per order_id (its purchase events in the range). An order's items are those of one of its purchase events: among those that carry items, the first by the verified-orders rule (a server or import report before the browser's, then the first received, then the smaller revenue, then the currency), then by event id. purchases = the orders listing the item (an order counts once however many lines repeat it); quantity = Σ the quantities of those lines; revenue = Σ price × quantity of those lines, in that event's currency (the lines' own prices: shipping, tax and order-level discounts are not spread over items). average_price = revenue / quantity, per currency.
- Abandoned: the carts of the carts report (GET …/carts/abandonment, rules there) created in [from, to), seen at the request time with its defaults (inactivity_timeout 3600 s, recovery_window 7 days), whose status is abandoned or recovered (every cart that was abandoned, as that report counts them). Per such cart and item, the quantity is Σ the quantities of the item's lines in the cart's latest view_cart/begin_checkout/add_shipping_info/add_payment_info event, plus those in each add_to_cart after it, minus those in each remove_from_cart after it (the cart list's lines); the value is the same sum of price × quantity, at least 0. The item counts in a cart when that quantity is above 0: abandoned_carts = those carts, abandoned_value = Σ their values, per cart currency ("" when the cart has none). A cart whose events carry a value but no items leaves none on any item.
- name, category, variant: each the latest non-empty value among the item's lines in the events read, by ts; of several in the same millisecond, the greatest (in byte order); "" when no line has one.
- Refunds: not sent. The event schema has no refund event or refunded line; a server's negative purchase revenue is an order's figure, not a refund of its items.
- Breakdown (channel, device, country; variant with breakdown_key = the experiment key): a visitor figure counts a visitor under the value of each of its events that counts (so a visitor may count under several values); an order under its first purchase event (by (ts, event_id); for a variant, the first that carries the key); an abandoned cart under its first event (for a variant, the first that carries the key), as the carts report attributes carts. No value is the value "".
- Rows: one per item (per item and value with a breakdown) that has a line in the events read or is held by an abandoned cart, sorted by sort and order, ties by item id then value ascending; limit and offset page them and total counts them all. Sorting by revenue or abandoned_value compares the reporting currency's figure when the site has rates (currencies without a rate left out), else the plain sum of the amounts over currencies. A rate without a denominator sorts below every rate.
- Reporting currency: when the site has rates (PUT …/settings/currency-rates), \`reporting\` converts each currency's revenue and abandoned value at its rate, as the revenue report does, and average_price = that revenue / the quantity in currencies with a rate; currencies without a rate are listed in missing_rates and left out of the converted sums.`;

export const productsQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: reportTimeZone,
  breakdown: z.enum(PRODUCT_BREAKDOWNS).optional(),
  breakdown_key: z.string().min(1).max(128).optional().describe('The experiment key, for breakdown=variant'),
  sort: z.enum(PRODUCT_SORTS).default('purchases'),
  order: z.enum(['asc', 'desc']).default('desc'),
  ...csvPaging('Rows', 'row'),
  explain: explainFlag.optional(),
});
export type ProductsQuery = z.infer<typeof productsQuerySchema>;

const rate = z
  .object({ rate: z.number(), low: z.number(), high: z.number() })
  .nullable()
  .describe('Proportion with its 95 % Wilson interval; null without a denominator');

export const productRowSchema = z.object({
  item_id: z.string(),
  name: z.string().describe('The latest non-empty name; "" when none was sent'),
  category: z.string(),
  variant: z.string().describe('The item’s variant (size, colour), not an experiment’s'),
  value: z.string().nullable().describe('The breakdown value; null without a breakdown'),
  views: z.number().int().describe('Visitors who sent view_item for it'),
  carts: z.number().int().describe('Visitors who added it to a cart'),
  buyers: z.number().int().describe('Visitors who bought it'),
  view_to_cart: rate,
  cart_to_purchase: rate,
  purchases: z.number().int().describe('Orders with it'),
  quantity: z.number().int().describe('Units bought, all currencies'),
  abandoned_carts: z.number().int().describe('Abandoned carts holding it'),
  by_currency: z.array(
    z.object({
      currency: z.string(),
      purchases: z.number().int(),
      quantity: z.number().int(),
      revenue: z.number(),
      average_price: z.number().nullable().describe('revenue / quantity; null without quantity'),
      abandoned_carts: z.number().int(),
      abandoned_value: z.number(),
    }),
  ),
  reporting: z
    .object({
      currency: z.string().describe('The site’s reporting currency'),
      revenue: z.number().describe('Σ revenue × rate over the currencies with a rate'),
      average_price: z
        .number()
        .nullable()
        .describe('That revenue / the quantity bought in those currencies; null without quantity'),
      abandoned_value: z.number().describe('Σ abandoned_value × rate, likewise'),
      missing_rates: z.array(z.string()).describe('Currencies without a rate, left out (sorted)'),
    })
    .nullable()
    .describe('Converted at the site’s rates; null when the site has none'),
});
export type ProductRow = z.infer<typeof productRowSchema>;

export const productsResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  as_of: z.string().describe('The moment the carts were seen from (the request time)'),
  breakdown: z.object({ by: z.enum(PRODUCT_BREAKDOWNS), key: z.string().nullable() }).nullable(),
  sort: z.enum(PRODUCT_SORTS),
  order: z.enum(['asc', 'desc']),
  total: z.number().int().describe('Rows of the whole answer, before paging'),
  limit: z.number().int(),
  offset: z.number().int(),
  rows: z.array(productRowSchema),
  explain: explainSchema.optional(),
});
export type ProductsResponse = z.infer<typeof productsResponseSchema>;
