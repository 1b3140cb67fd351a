import { z } from 'zod';
import { explainSchema, overviewQuerySchema } from './api.ts';

/** Query string of the orders summary: the overview's range (`from`, `to`, `tz`) and segment. */
export const ordersSummaryQuerySchema = overviewQuerySchema.omit({ limit: true });
export type OrdersSummaryQuery = z.infer<typeof ordersSummaryQuerySchema>;

const slice = z.object({ orders: z.number().int(), revenue: z.number() });

/**
 * Orders of one currency. An order is one `order_id`, however many purchase events name it; its
 * revenue is the server's (or import's) figure when there is one, else the browser's; among
 * several such reports the first received, of reports received together the smaller amount.
 * `browser_only`: only the snippet reported it; `server_confirmed`: both did; `server_only`:
 * only the server events API or an import did (the browser never reported it).
 */
export const currencyOrdersSchema = z.object({
  currency: z.string(),
  orders: z.number().int(),
  revenue: z.number(),
  browser_only: slice,
  server_confirmed: slice,
  server_only: slice,
});

export const ordersSummaryResponseSchema = z.object({
  site_id: z.string(),
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  /** Order counts over every currency (revenue is only given per currency). */
  totals: z.object({
    orders: z.number().int(),
    browser_only: z.number().int(),
    server_confirmed: z.number().int(),
    server_only: z.number().int(),
  }),
  by_currency: z.array(currencyOrdersSchema),
  reporting: z
    .object({
      currency: z.string().describe('The site’s reporting currency'),
      orders: z.number().int().describe('Orders whose currency has a rate'),
      revenue: z.number().describe('Σ revenue × rate of those orders'),
      browser_only: z.number().describe('Revenue of browser-only orders'),
      server_confirmed: z.number().describe('Revenue of server-confirmed orders'),
      server_only: z.number().describe('Revenue of server-only orders'),
      missing_rates: z
        .array(z.string())
        .describe('Currencies without a rate, left out of the converted sums (sorted)'),
    })
    .nullable()
    .describe(
      'Revenue converted at the site’s rates (PUT …/settings/currency-rates: 1 unit of a currency = rate units of the reporting currency); null when the site has none',
    ),
  explain: explainSchema.optional(),
});
export type OrdersSummaryResponse = z.infer<typeof ordersSummaryResponseSchema>;
