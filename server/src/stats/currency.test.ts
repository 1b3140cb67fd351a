import { describe, expect, it } from 'vitest';
import { convertAmounts, rateOf, unionOf } from './currency.ts';

const rates = { reporting_currency: 'EUR', rates: { USD: 0.5, GBP: 1.25 } };
const amount = (a: { amount: number }) => a.amount;

describe('convertAmounts', () => {
  it('sums each currency at its rate, the reporting currency at 1', () => {
    const r = convertAmounts(
      [
        { currency: 'EUR', amount: 10 },
        { currency: 'USD', amount: 7 },
        { currency: 'GBP', amount: 4 },
      ],
      rates,
      amount,
    );
    expect(r.total).toBe(10 + 3.5 + 5);
    expect(r.missing).toEqual([]);
    expect(r.converted.map((a) => a.currency)).toEqual(['EUR', 'USD', 'GBP']);
  });

  it('leaves a currency without a rate out of the sum and names it once, sorted', () => {
    const r = convertAmounts(
      [
        { currency: 'SEK', amount: 100 },
        { currency: 'USD', amount: 2 },
        { currency: 'CHF', amount: 3 },
        { currency: 'SEK', amount: 1 },
      ],
      rates,
      amount,
    );
    expect(r.total).toBe(1);
    expect(r.missing).toEqual(['CHF', 'SEK']);
    expect(r.converted).toEqual([{ currency: 'USD', amount: 2 }]);
  });

  it('gives 0 for no amounts', () => {
    expect(convertAmounts([], rates, amount)).toEqual({ total: 0, converted: [], missing: [] });
  });

  it('knows the reporting currency’s rate even when the table names it otherwise', () => {
    expect(rateOf({ reporting_currency: 'EUR', rates: { EUR: 2 } }, 'EUR')).toBe(1);
    expect(rateOf(rates, 'JPY')).toBeUndefined();
    expect(unionOf(['USD'], ['CHF', 'USD'], [])).toEqual(['CHF', 'USD']);
  });
});
