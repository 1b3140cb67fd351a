/**
 * Money in experiment metrics: two currencies are never added. Pure, no I/O.
 *
 * - With the site's rates, every amount (each order, each money property value) is converted to
 *   the reporting currency in the query, before a unit's total is summed and squared, so Σy² is
 *   of converted values; amounts in a currency without a rate are left out and named
 *   (`missing_rates`).
 * - Without rates, amounts in one currency are read as they are and that currency is named; with
 *   more than one, the statistics are of one currency's amounts only: the one with the most
 *   amounts (orders, or property values), ties by code, and the answer warns (`mixed_currencies`).
 * - An amount recorded without a currency is its own currency `''`, never assumed to be any other.
 */
import type { CurrencyRates, ExperimentMetric } from '@funnelhouse/schemas';
import { rateOf } from '../stats/currency.ts';

/** How the query reads one money metric's amounts. */
export type MoneyReading =
  /** As recorded, added as they are: right only when they share one currency (the first read). */
  | { kind: 'as_recorded' }
  /** Each amount × its currency's rate (the reporting currency's is 1); no rate: left out. */
  | { kind: 'converted'; rates: CurrencyRates }
  /** Only the amounts in `currency`. */
  | { kind: 'one_currency'; currency: string };

/** Revenue per visitor, average order value, and property metrics marked `money`. */
export const isMoneyMetric = (m: ExperimentMetric): boolean =>
  m.kind === 'revenue_per_visitor' ||
  m.kind === 'average_order_value' ||
  ((m.kind === 'property_sum' || m.kind === 'property_mean') && m.money === true);

/** Amounts per currency, most first, ties by code. */
export function rankCurrencies(counts: ReadonlyMap<string, number>): { currency: string; count: number }[] {
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([currency, count]) => ({ currency, count }))
    .sort((a, b) => b.count - a.count || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/**
 * The reading of a money metric once its amounts' currencies are known (from the first read):
 * converted with rates; else as recorded for one currency (or none), else the top currency's only.
 */
export function readingFor(
  counts: ReadonlyMap<string, number>,
  rates: CurrencyRates | undefined,
): MoneyReading {
  if (rates) return { kind: 'converted', rates };
  const ranked = rankCurrencies(counts);
  const top = ranked[0];
  return ranked.length > 1 && top
    ? { kind: 'one_currency', currency: top.currency }
    : { kind: 'as_recorded' };
}

/** What the answer says of a money metric's unit. */
export interface MoneyFacts {
  /** The unit of every money value; null when nothing says (no amounts and no rates). */
  currency: string | null;
  currencies: { currency: string; count: number }[];
  missing_rates: string[];
  /** Without rates and with more than one currency: the one read. */
  mixed: { currencies: string[]; used: string } | null;
}

/** The answer's facts for one money metric from its amounts' currencies and its reading. */
export function moneyFacts(counts: ReadonlyMap<string, number>, reading: MoneyReading): MoneyFacts {
  const currencies = rankCurrencies(counts);
  const codes = currencies.map((c) => c.currency);
  if (reading.kind === 'converted') {
    const missing = codes.filter((c) => rateOf(reading.rates, c) === undefined).sort();
    return { currency: reading.rates.reporting_currency, currencies, missing_rates: missing, mixed: null };
  }
  if (reading.kind === 'one_currency') {
    return {
      currency: reading.currency,
      currencies,
      missing_rates: [],
      mixed: { currencies: [...codes].sort(), used: reading.currency },
    };
  }
  return { currency: codes[0] ?? null, currencies, missing_rates: [], mixed: null };
}
