/**
 * The building blocks of the products report (rules in `PRODUCT_DEFINITIONS`,
 * `schemas/src/products.ts`, and in the oracle `test/products/oracle.ts`): the breakdown column
 * from an allow-list, the events read, and which purchase event gives an order its items.
 */
import type { ProductBreakdown } from '@funnelhouse/schemas';
import { z } from 'zod';
import { CART_DIMENSIONS } from '../carts/fold-sql.ts';
import { ORDER_FIGURE_RANK } from '../sql/orders.ts';
import { siteRangeShape } from '../sql/range.ts';

/** `none` or a breakdown: the column read per event, as the cart fold reads it (identifiers only from here). */
export type ProductDimension = 'none' | ProductBreakdown;
export const PRODUCT_DIMENSIONS: Record<ProductDimension, (typeof CART_DIMENSIONS)[ProductDimension]> = {
  none: CART_DIMENSIONS.none,
  channel: CART_DIMENSIONS.channel,
  device: CART_DIMENSIONS.device,
  country: CART_DIMENSIONS.country,
  variant: CART_DIMENSIONS.variant,
};
export const PRODUCT_DIMENSION_NAMES = Object.keys(PRODUCT_DIMENSIONS) as ProductDimension[];

/** What every products query binds: the range and the experiment key (`''` unless `variant`). */
export const productShape = { ...siteRangeShape, dim_key: z.string() };

/**
 * The item-bearing events the report reads. `type` is a LowCardinality column that ClickHouse
 * moves to PREWHERE, and `notEmpty(items)` reads the array's sizes only, so the wide columns of
 * page views, clicks and the rest are never read.
 */
export const ITEM_EVENTS = `type IN ('view_item', 'add_to_cart', 'purchase') AND notEmpty(items)`;

/**
 * Which purchase event of an order gives its items: `ORDER_FIGURE_RANK` (`sql/orders.ts`: server
 * or import first, then the first received, the smaller amount, the currency), then the event id,
 * so that two reports equal in all four but with other lines still give one answer.
 */
export const ORDER_ITEMS_RANK = ORDER_FIGURE_RANK.replace(/\)$/, ', event_id)');

/** The value an order or a cart counts under: its first event's (`variant`: the first carrying the key). */
export function firstValueSql(dim: ProductDimension): string {
  const d = PRODUCT_DIMENSIONS[dim];
  return d.firstNonEmpty
    ? `argMinIf(toString(${d.col}), (ts, event_id), ${d.col} != '')`
    : `argMin(toString(${d.col}), (ts, event_id))`;
}
