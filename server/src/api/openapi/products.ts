/** The products report in the OpenAPI document, with its definitions and an example. */
import { PRODUCT_DEFINITIONS, productsQuerySchema } from '@funnelhouse/schemas';
import { type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

/** A mug viewed by 40 visitors, added by 10 and bought by 4 (5 orders, 7 mugs, 12.5 EUR each); one abandoned cart. */
const mug = {
  item_id: 'mug',
  name: 'Espresso mug',
  category: 'Kitchen',
  variant: 'blue',
  value: null,
  views: 40,
  carts: 10,
  buyers: 4,
  view_to_cart: { rate: 0.2, low: 0.1049, high: 0.3493 },
  cart_to_purchase: { rate: 0.4, low: 0.1682, high: 0.6873 },
  purchases: 5,
  quantity: 7,
  abandoned_carts: 1,
  by_currency: [
    {
      currency: 'EUR',
      purchases: 5,
      quantity: 7,
      revenue: 87.5,
      average_price: 12.5,
      abandoned_carts: 1,
      abandoned_value: 25,
    },
  ],
  reporting: null,
};

const productsExample = {
  site_id: 'shop',
  from: '2026-03-01',
  to: '2026-03-31',
  tz: 'UTC',
  as_of: '2026-04-02T09:00:00.000Z',
  breakdown: null,
  sort: 'purchases',
  order: 'desc',
  total: 1,
  limit: 50,
  offset: 0,
  rows: [mug],
};

/** `GET …/products` (secret API key). */
export function productPaths(): Json {
  return {
    '/api/v1/sites/{siteId}/products': {
      get: siteOp(
        'Per product: views, carts, orders, quantity, revenue, the view → cart and cart → purchase rates and the value left in abandoned carts; JSON or CSV',
        {
          description: `${PRODUCT_DEFINITIONS}\n\n\`format=csv\` gives the same rows as CSV: the amounts per currency as JSON text in \`by_currency\`, the reporting currency's figures in columns of their own.`,
          parameters: [siteParam, ...queryParams(productsQuerySchema)],
        },
        {
          '200': {
            description: 'A page of products',
            content: {
              'application/json': { schema: ref('Products'), example: productsExample },
              'text/csv': {
                schema: { type: 'string' },
                example:
                  'item_id,name,category,variant,value,views,carts,buyers,view_to_cart,cart_to_purchase,purchases,quantity,abandoned_carts,by_currency,reporting_currency,reporting_revenue,reporting_average_price,reporting_abandoned_value\n' +
                  'mug,Espresso mug,Kitchen,blue,,40,10,4,0.2,0.4,5,7,1,"[{""currency"":""EUR"",""purchases"":5,""quantity"":7,""revenue"":87.5,""average_price"":12.5,""abandoned_carts"":1,""abandoned_value"":25}]",,,,\n',
              },
            },
          },
        },
      ),
    },
  };
}
