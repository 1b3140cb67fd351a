/** The attribution report in the OpenAPI document, with its definitions and an example. */
import { ATTRIBUTION_DEFINITIONS, attributionQuerySchema } from '@funnelhouse/schemas';
import { type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

const DAY = 86_400_000;

/** Two EUR orders: one after email (8 days before) then a direct visit, one after search alone. */
const row = (value: string | null, conversions: number, revenue: number, visitors: number | null) => ({
  value,
  conversions,
  share: conversions / 2,
  visitors,
  by_currency:
    revenue > 0
      ? [{ currency: 'EUR', revenue, revenue_per_visitor: visitors ? revenue / visitors : null }]
      : [],
  reporting: null,
});

const attributionExample = {
  site_id: 'shop',
  from: '2026-03-01',
  to: '2026-03-31',
  tz: 'UTC',
  dimension: 'channel',
  conversion: 'order',
  lookback_days: 30,
  half_life_days: 7,
  position: { first: 0.4, middle: 0.2, last: 0.4 },
  totals: {
    orders: 2,
    with_touch: 2,
    touches: 3,
    by_currency: [{ currency: 'EUR', orders: 2, revenue: 100 }],
  },
  models: [
    {
      model: 'first_touch',
      rows: [row('search', 1, 40, 3), row('email', 1, 60, 2), row('direct', 0, 0, 5)],
      other_values: 0,
    },
    {
      model: 'last_touch',
      rows: [row('search', 1, 40, 3), row('email', 0, 0, 2), row('direct', 1, 60, 5)],
      other_values: 0,
    },
    {
      model: 'last_non_direct',
      rows: [row('search', 1, 40, 3), row('email', 1, 60, 2), row('direct', 0, 0, 5)],
      other_values: 0,
    },
    {
      model: 'linear',
      rows: [row('search', 1, 40, 3), row('email', 0.5, 30, 2), row('direct', 0.5, 30, 5)],
      other_values: 0,
    },
    {
      model: 'position_based',
      rows: [row('search', 1, 40, 3), row('email', 0.5, 30, 2), row('direct', 0.5, 30, 5)],
      other_values: 0,
    },
    {
      model: 'time_decay',
      rows: [row('search', 1, 40, 3), row('email', 0.3333, 20, 2), row('direct', 0.6667, 40, 5)],
      other_values: 0,
    },
  ],
  paths: [
    { path: ['email', 'direct'], orders: 1, share: 0.5, median_ms_to_order: 7 * DAY },
    { path: ['search'], orders: 1, share: 0.5, median_ms_to_order: 120_000 },
  ],
};

/** `GET …/attribution` (secret API key). */
export function attributionPaths(): Json {
  return {
    '/api/v1/sites/{siteId}/attribution': {
      get: siteOp(
        'Orders and revenue credited to sources: first, last, last non-direct, linear, position-based and time-decay touch, side by side',
        {
          description: ATTRIBUTION_DEFINITIONS,
          parameters: [siteParam, ...queryParams(attributionQuerySchema)],
        },
        {
          '200': {
            description: 'Per model, the credit and revenue of each source; the most common touch paths',
            content: { 'application/json': { schema: ref('Attribution'), example: attributionExample } },
          },
        },
      ),
    },
  };
}
