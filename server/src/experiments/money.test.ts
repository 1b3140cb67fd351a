import { describe, expect, it } from 'vitest';
import { isMoneyMetric, moneyFacts, rankCurrencies, readingFor } from './money.ts';

const counts = (o: Record<string, number>) => new Map(Object.entries(o));
const RATES = { reporting_currency: 'EUR', rates: { USD: 0.9 } };

describe('money in experiment metrics', () => {
  it('ranks currencies by amounts, ties by code; no currency is its own bucket', () => {
    expect(rankCurrencies(counts({ USD: 2, EUR: 2, '': 5, GBP: 0 }))).toEqual([
      { currency: '', count: 5 },
      { currency: 'EUR', count: 2 },
      { currency: 'USD', count: 2 },
    ]);
  });

  it('converts with rates, reads one currency as it is, and the top one of several', () => {
    expect(readingFor(counts({ USD: 1, JPY: 9 }), RATES)).toEqual({ kind: 'converted', rates: RATES });
    expect(readingFor(counts({ USD: 4 }), undefined)).toEqual({ kind: 'as_recorded' });
    expect(readingFor(counts({}), undefined)).toEqual({ kind: 'as_recorded' });
    expect(readingFor(counts({ USD: 3, EUR: 3, GBP: 1 }), undefined)).toEqual({
      kind: 'one_currency',
      currency: 'EUR',
    });
  });

  it('names the unit, the currencies without a rate, and the mixing', () => {
    const seen = counts({ USD: 3, JPY: 1, '': 1, EUR: 2 });
    expect(moneyFacts(seen, { kind: 'converted', rates: RATES })).toMatchObject({
      currency: 'EUR',
      missing_rates: ['', 'JPY'],
      mixed: null,
    });
    expect(moneyFacts(seen, { kind: 'one_currency', currency: 'USD' })).toMatchObject({
      currency: 'USD',
      missing_rates: [],
      mixed: { currencies: ['', 'EUR', 'JPY', 'USD'], used: 'USD' },
    });
    expect(moneyFacts(counts({ '': 2 }), { kind: 'as_recorded' }).currency).toBe('');
    expect(moneyFacts(counts({}), { kind: 'as_recorded' }).currency).toBeNull();
  });

  it('knows which metrics are money', () => {
    expect(isMoneyMetric({ kind: 'revenue_per_visitor' })).toBe(true);
    expect(isMoneyMetric({ kind: 'average_order_value' })).toBe(true);
    expect(isMoneyMetric({ kind: 'orders_per_visitor' })).toBe(false);
    expect(isMoneyMetric({ kind: 'property_sum', property: 'x' })).toBe(false);
    expect(isMoneyMetric({ kind: 'property_mean', property: 'x', money: true })).toBe(true);
  });
});
