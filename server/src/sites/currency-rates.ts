import { type CurrencyRates, currencyRatesSchema } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { insertSiteState } from '../queries/insertSiteState.ts';
import { listSiteState } from '../queries/listSiteState.ts';

/** The site's reporting-currency rates, or undefined when never set (or deleted). */
export async function readCurrencyRates(store: Store, site: string): Promise<CurrencyRates | undefined> {
  const [row] = await listSiteState(store, { site, kind: 'currency_rates', key: '' });
  return row ? currencyRatesSchema.parse(JSON.parse(row.value)) : undefined;
}

/** Stores a new version of the rates (validated by the caller). */
export async function saveCurrencyRates(
  store: Store,
  site: string,
  rates: CurrencyRates | null,
): Promise<void> {
  await insertSiteState(store, [
    {
      site_id: site,
      kind: 'currency_rates',
      key: '',
      value: JSON.stringify(rates ?? {}),
      updated_at: Date.now(),
      deleted: rates ? 0 : 1,
    },
  ]);
}
