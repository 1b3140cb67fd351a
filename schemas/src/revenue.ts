/** The revenue report and the site's reporting-currency rates. */
import { z } from 'zod';
import {
  calendarDay,
  dateOrInstant,
  explainFlag,
  explainSchema,
  relativeRange,
  reportTimeZone,
} from './api.ts';
import { LIMITS } from './limits.ts';

export const REVENUE_DEFINITIONS = `Definitions, exactly as computed (server/src/revenue/revenue-sql.ts):
- Events read: the site's events with ts in [from, to).
- Orders: purchase events with an order_id, one order per order_id, dated by its first purchase event in the range; revenue and currency from the server (server events API or import) when it reported the order, else from the browser; among several such reports the first received, and of reports received together the smaller amount (the verified-orders rule of GET …/orders/summary). Amounts keep their currency.
- Visitors: distinct visitor ids with an event in the range; buyers: those with a purchase event that has an order_id. Both are exact counts at any size (unlike the overview's estimated visitors above distinct_counts.exact_up_to). Purchase conversion rate = buyers / visitors, with a 95 % Wilson interval. Daily: a visitor counts on each day it was seen, a buyer on each day it bought.
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
  tz: reportTimeZone,
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
    .record(currencyCode, z.number().min(LIMITS.currencyRateMin).max(LIMITS.currencyRateMax))
    .refine((r) => Object.keys(r).length <= 200, 'at most 200 rates')
    .describe(
      `1 unit of the key currency = this many units of the reporting currency, ${LIMITS.currencyRateMin} to ${LIMITS.currencyRateMax} (a converted sum stays finite)`,
    ),
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
    currency: z.string().describe('The site’s reporting currency'),
    revenue: z.number().describe('Σ revenue × rate over the currencies with a rate'),
    average_order_value: z
      .number()
      .nullable()
      .describe('That revenue / the orders in those currencies; null without such orders'),
    revenue_per_visitor: z.number().nullable().describe('That revenue / visitors; null without visitors'),
    missing_rates: z
      .array(z.string())
      .describe('Currencies without a rate, left out of the converted sums (sorted)'),
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

export const FORECAST_MODEL = `Traffic: expected visitors on a future day = the mean of the history's days with the same weekday (weekly seasonality, no trend: a few weeks of data estimate a trend mostly from noise). Conversion: orders per visitor is one Poisson rate for all weekdays (weekly seasonality of orders comes through traffic), with the Jeffreys prior Gamma(1/2, 0), so its posterior is Gamma(1/2 + orders, visitors) over the history (visitors counted per day and summed, the same unit as the traffic forecast). Orders over the horizon: Poisson(rate × visitors), mixed over the rate's posterior and the weekday traffic's day-to-day and estimation variance; the interval is a negative binomial's with that mean and variance (normal above 500 expected orders). Revenue, per currency: orders × the history's share of orders and mean order value there, with the order values' spread (normal interval, cut at 0). Visitors needed: target / rate, and the traffic that reaches the target with 90 % probability under the same model. History: the window's days from its first day with a visitor (earlier days are before the site sent anything, not days without visitors); below 14 such days there is no forecast (status not_enough_history), and the traffic interval takes Student's t with days − 7 degrees of freedom, so a short history gives a wider one. Not modelled: trend, holidays, campaigns, price changes. Checked on synthetic series with a known rate and weekly seasonality (server/src/stats/forecast.test.ts: 95 % intervals cover 91–99.5 % of simulated futures).`;

export const forecastQuerySchema = z.strictObject({
  tz: reportTimeZone,
  days: z.coerce.number().int().min(1).max(366).default(30).describe('Days to forecast, from as_of’s day on'),
  history_days: z.coerce
    .number()
    .int()
    .min(7)
    .max(366)
    .default(56)
    .describe('Whole days before as_of’s day the model learns from (default 8 weeks)'),
  target_orders: z.coerce.number().int().min(1).max(100_000_000).optional(),
  as_of: calendarDay
    .optional()
    .describe('The first forecast day (default: today in tz); history is the days before it'),
  explain: explainFlag.optional(),
});
export type ForecastQuery = z.infer<typeof forecastQuerySchema>;

const interval = z.object({ expected: z.number(), low: z.number(), high: z.number() });

export const forecastResponseSchema = z.object({
  site_id: z.string(),
  tz: z.string(),
  model: z.string(),
  status: z
    .enum(['ok', 'not_enough_history'])
    .describe(
      '`not_enough_history` when the history (from its first day with a visitor) is shorter than `min_history_days`: then there is no forecast (`visitors`, `orders`, `conversion_rate` and `target` are null, `revenue` and `daily` empty)',
    ),
  min_history_days: z
    .number()
    .int()
    .describe(
      'Days of history needed for a forecast (14: every weekday twice, the fewest that give each weekday a mean and a spread)',
    ),
  history: z
    .object({
      from: z
        .string()
        .describe('The first day with a visitor in the window (days before it are not history)'),
      to: z.string(),
      days: z.number().int().describe('Days from `from` to `to`, the history the model learns from'),
      visitors: z.number().int(),
      orders: z.number().int(),
    })
    .describe('The days of the `history_days` window from its first day with a visitor'),
  horizon: z.object({ from: z.string(), to: z.string(), days: z.number().int() }),
  conversion_rate: z.object({ rate: z.number(), low: z.number(), high: z.number() }).nullable(),
  visitors: interval.nullable(),
  orders: interval.nullable(),
  revenue: z.array(z.object({ currency: z.string() }).extend(interval.shape)),
  reporting: z
    .object({
      currency: z.string().describe('The site’s reporting currency'),
      revenue: z
        .number()
        .describe(
          'Σ expected revenue × rate over the currencies with a rate (no interval: the per-currency intervals do not add up to the interval of the sum)',
        ),
      missing_rates: z
        .array(z.string())
        .describe('Currencies without a rate, left out of the converted sum (sorted)'),
    })
    .nullable()
    .describe(
      'The expected revenue converted at the site’s rates (PUT …/settings/currency-rates); null when the site has none or there is no forecast',
    ),
  daily: z.array(z.object({ day: z.string(), visitors: z.number(), orders: z.number() })),
  target: z
    .object({
      orders: z.number().int(),
      visitors_needed: z.number().int().nullable(),
      visitors_needed_90: z
        .number()
        .int()
        .nullable()
        .describe('Traffic that reaches the target with 90 % probability'),
      expected_visitors: z.number(),
    })
    .nullable(),
  explain: explainSchema.optional(),
});
export type ForecastResponse = z.infer<typeof forecastResponseSchema>;
