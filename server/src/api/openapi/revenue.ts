/** The revenue report in the OpenAPI document, with its definitions and an example. */
import { REVENUE_DEFINITIONS, revenueQuerySchema } from '@funnelhouse/schemas';
import { type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

const eur = (orders: number, revenue: number, visitors: number) => ({
  currency: 'EUR',
  orders,
  revenue,
  average_order_value: revenue / orders,
  revenue_per_visitor: revenue / visitors,
});

const revenueExample = {
  site_id: 'shop',
  from: '2026-03-10',
  to: '2026-03-11',
  tz: 'UTC',
  totals: {
    visitors: 4,
    buyers: 3,
    orders: 4,
    conversion_rate: { rate: 0.75, low: 0.3006, high: 0.9544 },
    by_currency: [
      eur(2, 52, 4),
      { currency: 'GBP', orders: 1, revenue: 50, average_order_value: 50, revenue_per_visitor: 12.5 },
      { currency: 'USD', orders: 1, revenue: 10, average_order_value: 10, revenue_per_visitor: 2.5 },
    ],
    reporting: {
      currency: 'EUR',
      revenue: 57,
      average_order_value: 19,
      revenue_per_visitor: 14.25,
      missing_rates: ['GBP'],
    },
  },
  daily: [
    {
      day: '2026-03-10',
      visitors: 2,
      buyers: 1,
      orders: 1,
      conversion_rate: { rate: 0.5, low: 0.0945, high: 0.9055 },
      by_currency: [eur(1, 22, 2)],
      reporting: {
        currency: 'EUR',
        revenue: 22,
        average_order_value: 22,
        revenue_per_visitor: 11,
        missing_rates: [],
      },
    },
  ],
  breakdown: {
    by: 'channel',
    key: null,
    groups: [
      {
        value: 'email',
        visitors: 1,
        buyers: 1,
        orders: 1,
        conversion_rate: { rate: 1, low: 0.2065, high: 1 },
        by_currency: [eur(1, 22, 1)],
        reporting: {
          currency: 'EUR',
          revenue: 22,
          average_order_value: 22,
          revenue_per_visitor: 22,
          missing_rates: [],
        },
      },
    ],
    other_groups: 0,
  },
};

/** `GET …/revenue` (secret API key). */
export function revenuePaths(): Json {
  return {
    '/api/v1/sites/{siteId}/revenue': {
      get: siteOp(
        'Revenue, orders, average order value, revenue per visitor and purchase conversion',
        { description: REVENUE_DEFINITIONS, parameters: [siteParam, ...queryParams(revenueQuerySchema)] },
        {
          '200': {
            description: 'Totals, daily series and breakdown; amounts per original currency',
            content: { 'application/json': { schema: ref('Revenue'), example: revenueExample } },
          },
        },
      ),
    },
  };
}
