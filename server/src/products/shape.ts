/**
 * Pure shaping of the products report: the three queries' per-item sums merged into one row per
 * item (and breakdown value), the rates, the money per currency and in the reporting currency,
 * then sorted and paged. Rules in `PRODUCT_DEFINITIONS`.
 */
import type { CurrencyRates, ProductRow, ProductSort } from '@funnelhouse/schemas';
import { convertAmounts, round4, unionOf } from '../stats/currency.ts';
import { wilsonRate } from '../stats/wilson.ts';
import type { ProductAbandonedRow } from './queries/getProductAbandonedSums.ts';
import type { ProductOrderRow } from './queries/getProductOrderSums.ts';
import type { LatestField, ProductVisitorRow } from './queries/getProductVisitorSums.ts';

type Money = ProductRow['by_currency'][number];

/** One item (and value) while the rows are merged. */
interface Acc {
  item: string;
  grp: string;
  visitors: Pick<ProductVisitorRow, 'views' | 'carts' | 'buyers' | 'viewed_carted' | 'carted_bought'>;
  money: Map<string, Money>;
}

const NO_VISITORS = { views: 0, carts: 0, buyers: 0, viewed_carted: 0, carted_bought: 0 };

/** Strings in the engine's order (bytes), not JavaScript's (UTF-16 code units). */
export const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The later of two values by time, then the greater value (bytes), as the query's `max` of (ms, value). */
function later(a: LatestField, b: LatestField): LatestField {
  return (a[0] - b[0] || byteOrder(a[1], b[1])) >= 0 ? a : b;
}

const keyOf = (item: string, grp: string) => JSON.stringify([item, grp]);

function accOf(all: Map<string, Acc>, item: string, grp: string): Acc {
  const k = keyOf(item, grp);
  let a = all.get(k);
  if (!a) {
    a = { item, grp, visitors: { ...NO_VISITORS }, money: new Map() };
    all.set(k, a);
  }
  return a;
}

function moneyOf(a: Acc, currency: string): Money {
  let m = a.money.get(currency);
  if (!m) {
    m = {
      currency,
      purchases: 0,
      quantity: 0,
      revenue: 0,
      average_price: null,
      abandoned_carts: 0,
      abandoned_value: 0,
    };
    a.money.set(currency, m);
  }
  return m;
}

/** The item's text fields: the latest non-empty line over all its values. */
function textFields(rows: readonly ProductVisitorRow[]) {
  const byItem = new Map<string, { name: LatestField; category: LatestField; variant: LatestField }>();
  for (const r of rows) {
    const t = byItem.get(r.item_id);
    byItem.set(
      r.item_id,
      t
        ? {
            name: later(t.name, r.name),
            category: later(t.category, r.category),
            variant: later(t.variant, r.variant),
          }
        : { name: r.name, category: r.category, variant: r.variant },
    );
  }
  return byItem;
}

function reportingOf(money: readonly Money[], rates: CurrencyRates | undefined): ProductRow['reporting'] {
  if (!rates) return null;
  const revenue = convertAmounts(money, rates, (m) => m.revenue);
  const abandoned = convertAmounts(money, rates, (m) => m.abandoned_value);
  const quantity = revenue.converted.reduce((n, m) => n + m.quantity, 0);
  return {
    currency: rates.reporting_currency,
    revenue: round4(revenue.total),
    average_price: quantity > 0 ? round4(revenue.total / quantity) : null,
    abandoned_value: round4(abandoned.total),
    missing_rates: unionOf(revenue.missing, abandoned.missing),
  };
}

function rowOf(
  a: Acc,
  text: ReturnType<typeof textFields>,
  breakdown: boolean,
  rates: CurrencyRates | undefined,
): ProductRow {
  const v = a.visitors;
  const money = [...a.money.values()]
    .map((m) => ({
      ...m,
      revenue: round4(m.revenue),
      abandoned_value: round4(m.abandoned_value),
      average_price: m.quantity > 0 ? round4(m.revenue / m.quantity) : null,
    }))
    .sort((x, y) => byteOrder(x.currency, y.currency));
  const t = text.get(a.item);
  return {
    item_id: a.item,
    name: t?.name[1] ?? '',
    category: t?.category[1] ?? '',
    variant: t?.variant[1] ?? '',
    value: breakdown ? a.grp : null,
    views: v.views,
    carts: v.carts,
    buyers: v.buyers,
    view_to_cart: wilsonRate(v.viewed_carted, v.views),
    cart_to_purchase: wilsonRate(v.carted_bought, v.carts),
    purchases: money.reduce((n, m) => n + m.purchases, 0),
    quantity: money.reduce((n, m) => n + m.quantity, 0),
    abandoned_carts: money.reduce((n, m) => n + m.abandoned_carts, 0),
    by_currency: money,
    reporting: reportingOf(money, rates),
  };
}

/** Every row of the answer, unsorted: one per item (and value) with a line read or an abandoned cart. */
export function productRows(
  visitors: readonly ProductVisitorRow[],
  orders: readonly ProductOrderRow[],
  abandoned: readonly ProductAbandonedRow[],
  o: { breakdown: boolean; rates: CurrencyRates | undefined },
): ProductRow[] {
  const all = new Map<string, Acc>();
  for (const r of visitors) {
    const v = accOf(all, r.item_id, r.grp).visitors;
    v.views = r.views;
    v.carts = r.carts;
    v.buyers = r.buyers;
    v.viewed_carted = r.viewed_carted;
    v.carted_bought = r.carted_bought;
  }
  for (const r of orders) {
    const m = moneyOf(accOf(all, r.item_id, r.grp), r.currency);
    m.purchases += r.purchases;
    m.quantity += r.quantity;
    m.revenue += r.revenue;
  }
  for (const r of abandoned) {
    const m = moneyOf(accOf(all, r.item_id, r.grp), r.currency);
    m.abandoned_carts += r.abandoned_carts;
    m.abandoned_value += r.abandoned_value;
  }
  const text = textFields(visitors);
  return [...all.values()].map((a) => rowOf(a, text, o.breakdown, o.rates));
}

/** A row's money figure for sorting: the reporting currency's when converted, else Σ amounts. */
function moneyKey(r: ProductRow, field: 'revenue' | 'abandoned_value'): number {
  if (r.reporting) return r.reporting[field];
  return r.by_currency.reduce((n, m) => n + m[field], 0);
}

function sortKey(r: ProductRow, sort: Exclude<ProductSort, 'item_id'>): number {
  switch (sort) {
    case 'revenue':
    case 'abandoned_value':
      return moneyKey(r, sort);
    case 'view_to_cart':
    case 'cart_to_purchase':
      return r[sort]?.rate ?? -1;
    default:
      return r[sort];
  }
}

/** The rows in the asked order, ties by item id then value (both ascending, in byte order). */
export function sortProducts(
  rows: readonly ProductRow[],
  sort: ProductSort,
  order: 'asc' | 'desc',
): ProductRow[] {
  const dir = order === 'asc' ? 1 : -1;
  const ties = (a: ProductRow, b: ProductRow) =>
    byteOrder(a.item_id, b.item_id) || byteOrder(a.value ?? '', b.value ?? '');
  return [...rows].sort((a, b) => {
    const primary =
      sort === 'item_id' ? byteOrder(a.item_id, b.item_id) : sortKey(a, sort) - sortKey(b, sort);
    return dir * primary || ties(a, b);
  });
}
