/** The revenue report and the site's reporting-currency rates. */
import { z } from 'zod';
import { dateOrInstant, explainFlag, explainSchema, relativeRange, timeZone } from './api.ts';

export const REVENUE_DEFINITIONS = `Definitions, exactly as computed (server/src/revenue/revenue-sql.ts):
- Events read: the site's events with ts in [from, to).
- Orders: purchase events with an order_id, one order per order_id, dated by its first purchase event in the range; revenue and currency from the server (server events API or import) when it reported the order, else from the browser (the verified-orders rule of GET …/orders/summary). Amounts keep their currency.
- Visitors: distinct visitor ids with an event in the range; buyers: those with a purchase event that has an order_id. Purchase conversion rate = buyers / visitors, with a 95 % Wilson interval. Daily: a visitor counts on each day it was seen, a buyer on each day it bought.
- Average order value = revenue / orders and revenue per visitor = revenue / visitors, per currency.
- Breakdown: each visitor is attributed by its first event in the range (channel, utm_source, utm_campaign, country, device), or for a variant by its first event carrying the experiment key; an order by its visitor (the first of its purchase events with a visitor id); orders of visitors unknown in the range count under ''.
- Reporting currency: when the site has rates (PUT …/settings/currency-rates), \`reporting\` converts each currency's amount at its rate (1 unit of the currency = rate units of the reporting currency; the reporting currency itself is 1); currencies without a rate are listed in missing_rates and left out of the converted sums.`;

export const REVENUE_BREAKDOWNS = [
  'channel',
  'utm_source',
  'utm_campaign',
  'country',
  'device',
  'variant',
] as const;

export const revenueQuerySchema = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  range: relativeRange.optional(),
  tz: timeZone.default('UTC'),
  breakdown: z.enum(REVENUE_BREAKDOWNS).optional(),
  breakdown_key: z.string().min(1).max(128).optional().describe('The experiment key, for breakdown=variant'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('Breakdown groups, most visitors first'),
  explain: explainFlag.optional(),
});
export type RevenueQuery = z.infer<typeof revenueQuerySchema>;

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an upper-case ISO 4217 code such as EUR');

export const currencyRatesSchema = z.strictObject({
  reporting_currency: currencyCode,
  rates: z
    .record(currencyCode, z.number().positive().finite())
    .refine((r) => Object.keys(r).length <= 200, 'at most 200 rates')
    .describe('1 unit of the key currency = this many units of the reporting currency'),
});
export type CurrencyRates = z.infer<typeof currencyRatesSchema>;

const rate = z.object({ rate: z.number(), low: z.number(), high: z.number() }).nullable();

const currencyAmounts = z.object({
  currency: z.string(),
  orders: z.number().int(),
  revenue: z.number(),
  average_order_value: z.number().nullable(),
  revenue_per_visitor: z.number().nullable(),
});

const reporting = z
  .object({
    currency: z.string(),
    revenue: z.number(),
    average_order_value: z.number().nullable(),
    revenue_per_visitor: z.number().nullable(),
    missing_rates: z.array(z.string()),
  })
  .nullable()
  .describe('Converted at the site’s rates; null when the site has none');

export const revenueTotalsSchema = z.object({
  visitors: z.number().int(),
  buyers: z.number().int(),
  orders: z.number().int(),
  conversion_rate: rate,
  by_currency: z.array(currencyAmounts),
  reporting,
});
export type RevenueTotals = z.infer<typeof revenueTotalsSchema>;

export const revenueResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  totals: revenueTotalsSchema,
  daily: z.array(z.object({ day: z.string() }).extend(revenueTotalsSchema.shape)),
  breakdown: z
    .object({
      by: z.enum(REVENUE_BREAKDOWNS),
      key: z.string().nullable(),
      groups: z.array(z.object({ value: z.string() }).extend(revenueTotalsSchema.shape)),
      other_groups: z.number().int(),
    })
    .nullable(),
  explain: explainSchema.optional(),
});
export type RevenueResponse = z.infer<typeof revenueResponseSchema>;
