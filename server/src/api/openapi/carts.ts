/** Paths of the OpenAPI document for the cart reports, with the definitions and examples. */
import { CART_DEFINITIONS, cartAbandonmentQuerySchema, cartListQuerySchema } from '@funnelhouse/schemas';
import { type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

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
