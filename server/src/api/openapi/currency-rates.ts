/** The site's rates to its reporting currency in the OpenAPI document (secret API key). */
import { type Json, ref, siteOp, siteParam } from './parts.ts';

const ratesSchema = {
  type: 'object',
  properties: { currency_rates: { anyOf: [ref('CurrencyRates'), { type: 'null' }] } },
  required: ['currency_rates'],
};
const ratesExample = { reporting_currency: 'EUR', rates: { USD: 0.92, GBP: 1.17 } };

/** `GET`/`PUT`/`DELETE …/settings/currency-rates`. */
export function currencyRatePaths(): Json {
  return {
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
