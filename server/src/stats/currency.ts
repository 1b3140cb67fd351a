/**
 * Conversion of per-currency amounts to a site's reporting currency, shared by every answer that
 * carries money (revenue, carts, orders, forecast). Pure: the queries return exact sums per
 * currency; converting here keeps one rule for all of them and never adds two currencies.
 */
import type { CurrencyRates } from '@funnelhouse/schemas';

/** Units of the reporting currency for one unit of `currency` (1 for itself); undefined without a rate. */
export function rateOf(rates: CurrencyRates, currency: string): number | undefined {
  return currency === rates.reporting_currency ? 1 : rates.rates[currency];
}

/** Rounded to 4 places, as sums are stored (a cent's hundredth). */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Σ amount × rate over the items whose currency has a rate (unrounded); the items converted; the
 * currencies without a rate, sorted and once each, left out of the sum.
 */
export function convertAmounts<T extends { currency: string }>(
  items: readonly T[],
  rates: CurrencyRates,
  amountOf: (item: T) => number,
): { total: number; converted: T[]; missing: string[] } {
  let total = 0;
  const converted: T[] = [];
  const missing = new Set<string>();
  for (const item of items) {
    const r = rateOf(rates, item.currency);
    if (r === undefined) {
      missing.add(item.currency);
      continue;
    }
    total += amountOf(item) * r;
    converted.push(item);
  }
  return { total, converted, missing: [...missing].sort() };
}

/** Currencies named in any of the lists, sorted, once each. */
export const unionOf = (...lists: readonly (readonly string[])[]) => [...new Set(lists.flat())].sort();
