import { describe, expect, it } from 'vitest';
import type { ProductAbandonedRow } from './queries/getProductAbandonedSums.ts';
import type { ProductOrderRow } from './queries/getProductOrderSums.ts';
import type { LatestField, ProductVisitorRow } from './queries/getProductVisitorSums.ts';
import { productRows, sortProducts } from './shape.ts';

const NONE: LatestField = [0, ''];
const visitors = (item: string, grp: string, over: Partial<ProductVisitorRow> = {}): ProductVisitorRow => ({
  item_id: item,
  grp,
  views: 0,
  carts: 0,
  buyers: 0,
  viewed_carted: 0,
  carted_bought: 0,
  name: NONE,
  category: NONE,
  variant: NONE,
  ...over,
});
const order = (item: string, currency: string, purchases: number, quantity: number, revenue: number) =>
  ({ item_id: item, grp: '', currency, purchases, quantity, revenue }) satisfies ProductOrderRow;
const left = (item: string, currency: string, carts: number, value: number) =>
  ({
    item_id: item,
    grp: '',
    currency,
    abandoned_carts: carts,
    abandoned_value: value,
  }) satisfies ProductAbandonedRow;

describe('productRows', () => {
  it('merges the three sums per item, with rates, average prices and the latest name over all groups', () => {
    const rows = productRows(
      [
        visitors('mug', 'email', { views: 4, carts: 2, viewed_carted: 1, name: [10, 'Mug'] }),
        visitors('mug', 'search', {
          views: 1,
          name: [10, 'Mug XL'],
          category: [5, 'Kitchen'],
        }),
      ],
      [],
      [],
      { breakdown: true, rates: undefined },
    );
    const email = rows.find((r) => r.value === 'email');
    expect(rows.map((r) => [r.value, r.name, r.category])).toEqual([
      ['email', 'Mug XL', 'Kitchen'],
      ['search', 'Mug XL', 'Kitchen'],
    ]);
    expect(email?.view_to_cart?.rate).toBe(0.25);
    expect(email?.cart_to_purchase?.rate).toBe(0);
    const [pen] = productRows(
      [],
      [order('pen', 'EUR', 2, 3, 7.5), order('pen', 'USD', 1, 1, 2)],
      [left('pen', 'USD', 1, 4), left('pen', '', 1, 1)],
      { breakdown: false, rates: { reporting_currency: 'EUR', rates: { USD: 0.5 } } },
    );
    expect(pen).toMatchObject({
      views: 0,
      view_to_cart: null,
      purchases: 3,
      quantity: 4,
      abandoned_carts: 2,
      value: null,
      // "" (a cart without currency) has no rate: named, left out.
      reporting: {
        currency: 'EUR',
        revenue: 8.5,
        average_price: 2.125,
        abandoned_value: 2,
        missing_rates: [''],
      },
    });
    expect(pen?.by_currency.map((m) => [m.currency, m.average_price])).toEqual([
      ['', null],
      ['EUR', 2.5],
      ['USD', 2],
    ]);
  });
});

describe('sortProducts', () => {
  const rows = productRows(
    [
      visitors('b', '', { views: 2 }),
      visitors('a', '', { views: 2, viewed_carted: 1 }),
      visitors('c', '', { views: 5 }),
    ],
    [
      order('c', 'EUR', 1, 1, 1),
      order('a', 'EUR', 1, 1, 10),
      order('a', 'USD', 1, 1, 10),
      order('d', 'EUR', 1, 1, 3),
    ],
    [],
    { breakdown: false, rates: undefined },
  );
  const ids = (sort: Parameters<typeof sortProducts>[1], o: 'asc' | 'desc') =>
    sortProducts(rows, sort, o).map((r) => r.item_id);
  it('breaks ties by item id ascending in either order', () => {
    expect(ids('views', 'desc')).toEqual(['c', 'a', 'b', 'd']);
    expect(ids('views', 'asc')).toEqual(['d', 'a', 'b', 'c']);
  });
  it('sorts revenue by the plain sum over currencies without rates, and rates without a denominator last', () => {
    expect(ids('revenue', 'desc')).toEqual(['a', 'd', 'c', 'b']);
    expect(ids('view_to_cart', 'desc')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('item_id', 'desc')).toEqual(['d', 'c', 'b', 'a']);
  });
});
