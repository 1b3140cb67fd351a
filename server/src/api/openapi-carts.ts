/** Paths of the OpenAPI document for the cart reports, with the definitions and examples. */
import {
  CART_DEFINITIONS,
  cartAbandonmentQuerySchema,
  cartListQuerySchema,
  deliveriesQuerySchema,
  FORECAST_MODEL,
  forecastQuerySchema,
  REVENUE_DEFINITIONS,
  revenueQuerySchema,
  WEBHOOK_RULES,
  WEBHOOK_URL_RULES,
} from '@funnelhouse/schemas';
import { error, type Json, queryParams, ref, siteOp, siteParam } from './openapi-parts.ts';

const counts = (o: Partial<Record<string, unknown>>) => ({
  carts: 6,
  open: 1,
  empty: 1,
  purchased: 2,
  abandoned: 3,
  recovered: 1,
  abandonment_rate: { rate: 0.75, low: 0.3006, high: 0.9544 },
  recovery_rate: { rate: 0.3333, low: 0.0615, high: 0.7923 },
  abandoned_value: [
    { currency: 'EUR', amount: 69 },
    { currency: 'USD', amount: 5 },
  ],
  lost_value: [
    { currency: 'EUR', amount: 20 },
    { currency: 'USD', amount: 5 },
  ],
  recovered_revenue: [{ currency: 'EUR', amount: 55 }],
  reporting: null,
  ...o,
});

const scope = {
  from: '2026-03-10',
  to: '2026-03-19',
  tz: 'UTC',
  as_of: '2026-03-20T00:00:00.000Z',
  inactivity_timeout: 3600,
  recovery_window: 604800,
};

const abandonmentExample = {
  site_id: 'shop',
  ...scope,
  totals: counts({}),
  by_stage: [
    { stage: 'cart', ...counts({ carts: 4, purchased: 1, abandoned: 2 }) },
    {
      stage: 'checkout',
      ...counts({ carts: 1, open: 0, empty: 0, purchased: 0, abandoned: 1, recovered: 0 }),
    },
    {
      stage: 'shipping',
      ...counts({ carts: 0, open: 0, empty: 0, purchased: 0, abandoned: 0, recovered: 0 }),
    },
    {
      stage: 'payment',
      ...counts({ carts: 1, open: 0, empty: 0, purchased: 1, abandoned: 0, recovered: 0 }),
    },
  ],
  daily: [
    {
      day: '2026-03-10',
      carts: 2,
      open: 0,
      empty: 0,
      purchased: 1,
      abandoned: 2,
      recovered: 1,
      reporting: null,
    },
    {
      day: '2026-03-11',
      carts: 3,
      open: 0,
      empty: 1,
      purchased: 1,
      abandoned: 1,
      recovered: 0,
      reporting: null,
    },
  ],
  breakdown: {
    by: 'channel',
    key: null,
    groups: [
      { value: 'direct', ...counts({ carts: 4, abandoned: 1 }) },
      {
        value: 'email',
        ...counts({ carts: 2, open: 0, empty: 0, purchased: 0, abandoned: 2, recovered: 0 }),
      },
    ],
    other_groups: 0,
  },
  previous: {
    from: '2026-02-28T00:00:00.000Z',
    to: '2026-03-10T00:00:00.000Z',
    totals: counts({ carts: 1, open: 0, empty: 0, purchased: 0, abandoned: 1, recovered: 0 }),
  },
  change: { carts: 5, abandonment_rate: -0.25, recovery_rate: null },
};

const cartExample = {
  cart_id: 'k1',
  visitor_id: 'v1',
  user_id: 'u1',
  status: 'abandoned',
  value: 20,
  currency: 'EUR',
  stage: 'checkout',
  stage_reached: 'checkout',
  items: [{ id: 'p1', name: 'Espresso cup', price: 10, quantity: 2, category: 'Kitchen', variant: '' }],
  created_at: '2026-03-10T10:00:00.000Z',
  last_activity_at: '2026-03-10T10:05:00.000Z',
  abandoned_at: '2026-03-10T11:05:00.000Z',
  order: null,
};

const listExample = {
  site_id: 'shop',
  ...scope,
  status: 'abandoned',
  sort: 'value',
  order: 'desc',
  limit: 50,
  offset: 0,
  total: 1,
  carts: [
    { ...cartExample, reporting: { currency: 'EUR', value: 20, order_revenue: null, missing_rates: [] } },
  ],
};

/** `GET …/carts/abandonment` and `GET …/carts/abandoned` (secret API key). */
export function cartPaths(): Json {
  const base = '/api/v1/sites/{siteId}/carts';
  return {
    [`${base}/abandonment`]: {
      get: siteOp(
        'Cart abandonment and recovery: counts, rates, value, stages, days, breakdown, previous period',
        {
          description: CART_DEFINITIONS,
          parameters: [siteParam, ...queryParams(cartAbandonmentQuerySchema)],
        },
        {
          '200': {
            description: 'Cart counts with 95 % intervals, per stage, day and group, and the period before',
            content: {
              'application/json': { schema: ref('CartAbandonment'), example: abandonmentExample },
            },
          },
        },
      ),
    },
    [`${base}/abandoned`]: {
      get: siteOp(
        'Abandoned (or recovered, or open) carts with their lines, for recovery work; JSON or CSV',
        {
          description: `${CART_DEFINITIONS}\n\nSorted by value, last activity or creation (ties by cart id); \`total\` is the number of carts of that status (null on a page past the end). \`format=csv\` gives the same carts as CSV with the items as JSON text.`,
          parameters: [siteParam, ...queryParams(cartListQuerySchema)],
        },
        {
          '200': {
            description: 'A page of carts',
            content: {
              'application/json': { schema: ref('CartList'), example: listExample },
              'text/csv': {
                schema: { type: 'string' },
                example:
                  'cart_id,visitor_id,user_id,status,value,currency,stage,stage_reached,items,created_at,last_activity_at,abandoned_at,order_id,order_revenue,order_currency\n' +
                  'k1,v1,u1,abandoned,20,EUR,checkout,checkout,"[{""id"":""p1"",""name"":""Espresso cup"",""price"":10,""quantity"":2,""category"":""Kitchen"",""variant"":""""}]",2026-03-10T10:00:00.000Z,2026-03-10T10:05:00.000Z,2026-03-10T11:05:00.000Z,,,\n',
              },
            },
          },
        },
      ),
    },
  };
}

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

const ratesSchema = {
  type: 'object',
  properties: { currency_rates: { anyOf: [ref('CurrencyRates'), { type: 'null' }] } },
  required: ['currency_rates'],
};
const ratesExample = { reporting_currency: 'EUR', rates: { USD: 0.92, GBP: 1.17 } };

/** `GET …/revenue` and the site's reporting-currency rates (secret API key). */
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
    '/api/v1/sites/{siteId}/settings/currency-rates': {
      get: siteOp(
        'The rates to the reporting currency (null when none are set)',
        { parameters: [siteParam] },
        {
          '200': {
            description: 'The rates',
            content: {
              'application/json': { schema: ratesSchema, example: { currency_rates: ratesExample } },
            },
          },
        },
      ),
      put: siteOp(
        'Set the reporting currency and the rates to it (1 unit of a currency = rate units of the reporting one)',
        {
          parameters: [siteParam],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('CurrencyRates'), example: ratesExample } },
          },
        },
        {
          '200': {
            description: 'The rates stored',
            content: {
              'application/json': { schema: ratesSchema, example: { currency_rates: ratesExample } },
            },
          },
        },
      ),
      delete: siteOp('Remove the rates', { parameters: [siteParam] }, { '204': { description: 'Removed' } }),
    },
  };
}

const webhookExample = {
  url: 'https://crm.example/hooks/funnelhouse',
  inactivity_timeout: 3600,
  recovery_window: 604800,
  created_at: '2026-03-10T09:00:00.000Z',
  updated_at: '2026-03-10T09:00:00.000Z',
  secret: 'whsec_Q2hhbmdlIG1lOiB0aGlzIGlzIGFuIGV4YW1wbGUgc2VjcmV0',
};

const deliveriesExample = {
  deliveries: [
    {
      delivery_id: 'dlv_3f1c0a9e8b7d6c5b4a39281706f5e4d3',
      event: 'cart.abandoned',
      cart_id: 'k1',
      status: 'delivered',
      created_at: '2026-03-10T11:05:10.000Z',
      next_attempt_at: null,
      attempts: [
        { attempt: 1, at: '2026-03-10T11:05:10.020Z', status_code: 500, error: null, duration_ms: 31 },
        { attempt: 2, at: '2026-03-10T11:05:20.100Z', status_code: 200, error: null, duration_ms: 18 },
      ],
    },
  ],
};

/** The recovery webhook and its delivery log (secret API key). */
export function webhookPaths(): Json {
  const base = '/api/v1/sites/{siteId}/webhooks/recovery';
  const hook = (description: string, example: unknown) => ({
    description,
    content: { 'application/json': { schema: ref('Webhook'), example } },
  });
  const { secret: _s, ...shown } = webhookExample;
  return {
    [base]: {
      put: siteOp(
        'Set up (201, with the secret, shown once) or change (200) the recovery webhook',
        {
          description: `${WEBHOOK_URL_RULES}\n${WEBHOOK_RULES}`,
          parameters: [siteParam],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('WebhookConfig'),
                example: { url: 'https://crm.example/hooks/funnelhouse', inactivity_timeout: 3600 },
              },
            },
          },
        },
        {
          '201': hook('Created: store the secret now', webhookExample),
          '200': hook('Changed (the secret only when rotate_secret was true)', shown),
          '400': error(
            'Invalid body (`invalid_body`: a URL that is not absolute http(s), has a user name or password, or is too long), or `refused_address`: the host is a literal IP address in a refused range (loopback, private, link-local, cloud metadata, …) and the server does not allow private addresses',
          ),
        },
      ),
      get: siteOp(
        'The recovery webhook (without its secret)',
        { parameters: [siteParam] },
        { '200': hook('The webhook', shown) },
      ),
      delete: siteOp(
        'Stop the recovery webhook',
        { parameters: [siteParam] },
        { '204': { description: 'Stopped' } },
      ),
    },
    [`${base}/deliveries`]: {
      get: siteOp(
        'Deliveries of the recovery webhook, newest first, with every attempt',
        { description: WEBHOOK_RULES, parameters: [siteParam, ...queryParams(deliveriesQuerySchema)] },
        {
          '200': {
            description: 'The delivery log',
            content: { 'application/json': { schema: ref('Deliveries'), example: deliveriesExample } },
          },
        },
      ),
    },
  };
}
