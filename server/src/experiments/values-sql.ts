/**
 * One row per counted unit with the numbers a metric reads from it: `variant`, `segment`, `y`
 * (the outcome) and `z` (for ratios the denominator; for CUPED the same outcome over the
 * pre-period, 0 without CUPED). Every metric except the funnel is one of these; the rules are
 * the oracle's (`test/experiments/oracle.ts`).
 */
import type { ExperimentMetric } from '@funnelhouse/schemas';
import { alternativeSql, NUMERIC } from '../sql/filters.ts';
import type { Params } from '../sql/params.ts';
import { countedUnitEvents, type ExposureScope, exposedUnits } from './units-sql.ts';

export type ValueMetric = Exclude<ExperimentMetric, { kind: 'funnel' }>;

/** How a metric's sums are read: a rate, a per-unit mean, or a ratio of two per-unit sums. */
export const sumsKind = (m: ValueMetric): 'proportion' | 'mean' | 'ratio' =>
  m.kind === 'conversion'
    ? 'proportion'
    : m.kind === 'average_order_value' || m.kind === 'property_mean'
      ? 'ratio'
      : 'mean';

/** `t` in `[entered, entered + window]`, and in the pre-period `[entered − pre, entered)`. */
const after = (t: string, window: string) => `${t} >= x.entered_ms AND ${t} <= x.entered_ms + ${window}`;
const before = (t: string) => `${t} >= x.entered_ms - {pre_ms:Int64} AND ${t} < x.entered_ms`;

/** Conversion: y = 1 when a matching event is within the window; z = the same before entry. */
function conversionSql(s: ExposureScope, p: Params, m: Extract<ValueMetric, { kind: 'conversion' }>) {
  const window = p.bind('Int64', m.window_seconds * 1000);
  const events = countedUnitEvents(s, p, alternativeSql(m.event, p), {});
  return `
SELECT x.variant AS variant, x.segment AS segment,
  toFloat64(arrayExists((t) -> ${after('t', window)}, e.times)) AS y,
  toFloat64(arrayExists((t) -> ${before('t')}, e.times)) AS z
FROM (${exposedUnits(s, p)}) AS x
LEFT JOIN (SELECT unit, groupArray(ms) AS times FROM (${events}) GROUP BY unit) AS e ON e.unit = x.unit
WHERE x.variants = 1`;
}

/**
 * Orders: one per (unit, order_id), its time its earliest event, its revenue from a server or
 * import purchase when there is one (the payment system's figure), else the browser's, as
 * `getOrdersSummary` reads it. Purchases without an `order_id` are not orders. Per unit:
 * revenue and orders at or after entry, and the same over the pre-period. The LEFT JOIN keeps
 * units without orders (the join's default order_ms = 0 fails every time test, so they count 0).
 */
function orderTotalsSql(s: ExposureScope, p: Params): string {
  const events = countedUnitEvents(s, p, `type = 'purchase' AND order_id != ''`, {
    order_id: 'order_id',
    revenue: 'revenue',
    rank: `(source = 'browser', received_at, event_id)`,
  });
  const orders = `
SELECT unit, order_id, min(ms) AS order_ms, toFloat64(argMin(revenue, rank)) AS order_revenue
FROM (${events})
GROUP BY unit, order_id`;
  const at = `o.order_ms >= x.entered_ms`;
  return `
SELECT x.unit AS unit, x.variant AS variant, x.segment AS segment,
  sumIf(o.order_revenue, ${at}) AS revenue,
  toFloat64(countIf(${at})) AS orders,
  sumIf(o.order_revenue, ${before('o.order_ms')}) AS pre_revenue,
  toFloat64(countIf(${before('o.order_ms')})) AS pre_orders
FROM (${exposedUnits(s, p)}) AS x
LEFT JOIN (${orders}) AS o ON o.unit = x.unit
WHERE x.variants = 1
GROUP BY x.unit, x.variant, x.segment`;
}

/**
 * A numeric property: per unit the values of its matching events (text that reads as a decimal
 * number), summed over the window after entry (y) and, for `property_sum`, over the pre-period
 * (z); for `property_mean` z is the number of those events (the ratio's denominator).
 */
function propertySql(
  s: ExposureScope,
  p: Params,
  m: Extract<ValueMetric, { kind: 'property_sum' | 'property_mean' }>,
) {
  const prop = `props[${p.bind('String', m.property)}]`;
  const condition = `${m.event ? `(${alternativeSql(m.event, p)}) AND ` : ''}match(${prop}, ${NUMERIC})`;
  const events = countedUnitEvents(s, p, condition, { value: `toFloat64OrZero(${prop})` });
  // Without a window, every event up to the range's end: the range's length bounds it.
  const windowMs = m.window_seconds === undefined ? s.range.toMs - s.range.fromMs : m.window_seconds * 1000;
  const window = p.bind('Int64', windowMs);
  const inWindow = `arrayFilter((v) -> ${after('v.1', window)}, e.vals)`;
  const z =
    m.kind === 'property_sum'
      ? `arraySum((v) -> v.2, arrayFilter((v) -> ${before('v.1')}, e.vals))`
      : `toFloat64(length(${inWindow}))`;
  return `
SELECT x.variant AS variant, x.segment AS segment,
  toFloat64(arraySum((v) -> v.2, ${inWindow})) AS y,
  toFloat64(${z}) AS z
FROM (${exposedUnits(s, p)}) AS x
LEFT JOIN (SELECT unit, groupArray((ms, value)) AS vals FROM (${events}) GROUP BY unit) AS e ON e.unit = x.unit
WHERE x.variants = 1`;
}

/** The per-unit rows of `m`; `capZ` says whether the cap applies to z too (a pre-period value). */
export function unitValuesSql(s: ExposureScope, p: Params, m: ValueMetric): { sql: string; capZ: boolean } {
  switch (m.kind) {
    case 'conversion':
      return { sql: conversionSql(s, p, m), capZ: false };
    case 'revenue_per_visitor':
      return {
        sql: `SELECT variant, segment, revenue AS y, pre_revenue AS z FROM (${orderTotalsSql(s, p)})`,
        capZ: true,
      };
    case 'orders_per_visitor':
      return {
        sql: `SELECT variant, segment, orders AS y, pre_orders AS z FROM (${orderTotalsSql(s, p)})`,
        capZ: true,
      };
    case 'average_order_value':
      return {
        sql: `SELECT variant, segment, revenue AS y, orders AS z FROM (${orderTotalsSql(s, p)})`,
        capZ: false,
      };
    case 'property_sum':
      return { sql: propertySql(s, p, m), capZ: true };
    case 'property_mean':
      return { sql: propertySql(s, p, m), capZ: false };
  }
}
