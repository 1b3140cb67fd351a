/** The forecast in the OpenAPI document, with its model and an example. */
import { FORECAST_MODEL, forecastQuerySchema } from '@funnelhouse/schemas';
import { type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

const forecastExample = {
  site_id: 'shop',
  tz: 'UTC',
  model:
    'Traffic: expected visitors on a future day = the mean of the history’s days with the same weekday …',
  status: 'ok',
  min_history_days: 14,
  history: { from: '2026-01-05', to: '2026-03-01', days: 56, visitors: 2400, orders: 96 },
  horizon: { from: '2026-03-02', to: '2026-03-08', days: 7 },
  conversion_rate: { rate: 0.04021, low: 0.03217, high: 0.04825 },
  visitors: { expected: 300, low: 300, high: 300 },
  orders: { expected: 12.06, low: 5, high: 20 },
  revenue: [{ currency: 'EUR', expected: 482.5, low: 199.1, high: 765.9 }],
  reporting: { currency: 'EUR', revenue: 482.5, missing_rates: [] },
  daily: [
    { day: '2026-03-02', visitors: 50, orders: 2.01 },
    { day: '2026-03-03', visitors: 50, orders: 2.01 },
  ],
  target: { orders: 100, visitors_needed: 2487, visitors_needed_90: 2960, expected_visitors: 300 },
};

/** `GET …/forecast` (secret API key). */
export function forecastPaths(): Json {
  return {
    '/api/v1/sites/{siteId}/forecast': {
      get: siteOp(
        'Expected visitors, orders and revenue over the next days, and the visitors a target needs',
        { description: FORECAST_MODEL, parameters: [siteParam, ...queryParams(forecastQuerySchema)] },
        {
          '200': {
            description:
              'The forecast with 95 % intervals, or `status: "not_enough_history"` and no forecast when the history has fewer than `min_history_days` days from its first day with a visitor',
            content: { 'application/json': { schema: ref('Forecast'), example: forecastExample } },
          },
        },
      ),
    },
  };
}
