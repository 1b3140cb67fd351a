/**
 * Per counted unit, the numbers each metric reads from it: `y` (the outcome), `z` (for ratios
 * the denominator; for CUPED the same outcome over the pre-period, 0 without CUPED) and, for a
 * funnel, `reached` (1 or 0 per step). Each metric adds what it needs to the one scan
 * (`units-sql.ts`) — a condition and an aggregate per unit — and an expression over those
 * aggregates. The rules are the oracle's (`test/experiments/oracle.ts`).
 */
import { type ExperimentMetric, LIMITS } from '@funnelhouse/schemas';
import { alternativeSql, alternativesSql, NUMERIC } from '../sql/filters.ts';
import { ORDER_RECEIPT_KEY } from '../sql/orders.ts';
import type { Params } from '../sql/params.ts';
import { isMoneyMetric, type MoneyReading } from './money.ts';
import type { ExposureScope, ScanNeeds } from './units-sql.ts';

export type ValueMetric = Exclude<ExperimentMetric, { kind: 'funnel' }>;

/** How a metric's sums are read: a rate, a per-unit mean, a ratio of two per-unit sums, a funnel. */
export const sumsKind = (m: ExperimentMetric): 'proportion' | 'mean' | 'ratio' | 'funnel' =>
  m.kind === 'conversion'
    ? 'proportion'
    : m.kind === 'funnel'
      ? 'funnel'
      : m.kind === 'average_order_value' || m.kind === 'property_mean'
        ? 'ratio'
        : 'mean';

/** `t` in `[entered, entered + window]`, and in the pre-period `[entered − pre, entered)`. */
const after = (t: string, window: string) => `${t} >= entered_ms AND ${t} <= entered_ms + ${window}`;
const before = (t: string) => `${t} >= entered_ms - {pre_ms:Int64} AND ${t} < entered_ms`;

/** One metric's per-unit expressions over the aggregates it asked for. */
export interface UnitValues {
  y: string;
  z: string;
  /** Array(UInt64) of steps reached (funnels), else `[]`. */
  reached: string;
  /** The cap applies to z too (a pre-period value of the same number). */
  capZ: boolean;
  /**
   * Money metrics: Array(String), the currency of each amount counted for y (its orders at or
   * after entry, its property values in the window), whatever the reading; `[]` otherwise.
   */
  currencies: string;
  /**
   * Money metrics read as recorded, without a percentile cap: the same y and z in each currency
   * of the unit's amounts, so that the one-currency reading needs no second query. `keys`:
   * Array(String), the unit's currencies (every amount's, in or out of the window); `values`:
   * Array(Tuple(Float64, Float64)), (y, z) with only that currency's amounts, as the
   * `one_currency` reading gives them. Absent otherwise.
   */
  inCurrency?: { keys: string; values: string };
}

/**
 * A reading of amounts as SQL: which to keep (null: every one), and an amount in the unit the
 * answer names.
 */
type MoneySql = { keep: ((c: string) => string) | null; amount: (v: string, c: string) => string };

/** The lambda variable of the per-currency values: the currency they are read in. */
const CUR = 'cur';

/** The `one_currency` reading with the currency a lambda's variable (`inCurrency`). */
const perCurrency: MoneySql = { keep: (c: string) => `${c} = ${CUR}`, amount: (v: string) => v };

function moneySql(reading: MoneyReading | undefined, p: Params): MoneySql {
  if (reading?.kind === 'converted') {
    const { reporting_currency: to, rates } = reading.rates;
    const from = Object.entries(rates).filter(([c]) => c !== to);
    const codes = p.bind('Array(String)', [to, ...from.map(([c]) => c)]);
    const factors = p.bind('Array(Float64)', [1, ...from.map(([, r]) => r)]);
    return {
      keep: (c: string) => `has(${codes}, ${c})`,
      // Each amount converted before any sum: a unit's total, and its square, are of converted amounts.
      amount: (v: string, c: string) => `${v} * transform(${c}, ${codes}, ${factors}, toFloat64(0))`,
    };
  }
  if (reading?.kind === 'one_currency') {
    const one = p.bind('String', reading.currency);
    return { keep: (c: string) => `${c} = ${one}`, amount: (v: string) => v };
  }
  return { keep: null, amount: (v: string) => v };
}

/**
 * A unit's orders as (ms, revenue, currency), one per order id, from `raw_orders` = its purchases
 * with an order id as (order_id, ms, revenue, receipt key, currency): an order's time is its
 * earliest event, its revenue and currency those of its first event by `ORDER_FIGURE_RANK`
 * (`sql/orders.ts`, the rule every report shares; carried as `ORDER_RECEIPT_KEY`, one number,
 * then the amount, then the currency), so the payment system's figure wins. When the unit's
 * order ids are all distinct (nearly always) its purchases are its orders as they are; `if`
 * evaluates the fold only for the other units (a fold for every unit, or a GROUP BY of all
 * purchases in a second scan, cost 30–50 % of the whole query at 10 M events).
 */
const FOLDED_ORDERS = `if(length(raw_orders) = length(arrayDistinct(arrayMap((o) -> o.1, raw_orders))),
    arrayMap((o) -> (o.2, o.3, o.5), raw_orders),
    arrayMap((id) -> (
      arrayMin(arrayMap((o) -> o.2, arrayFilter((o) -> o.1 = id, raw_orders))),
      arraySort((o) -> (o.4, o.3, o.5), arrayFilter((o) -> o.1 = id, raw_orders))[1].3,
      arraySort((o) -> (o.4, o.3, o.5), arrayFilter((o) -> o.1 = id, raw_orders))[1].5
    ), arrayDistinct(arrayMap((o) -> o.1, raw_orders))))`;

/**
 * Adds what metric `i` reads to `needs` and returns its per-unit expressions. `reading`: how a
 * money metric's amounts are read (`money.ts`); as recorded when absent.
 */
export function unitValues(
  s: ExposureScope,
  p: Params,
  m: ExperimentMetric,
  i: number,
  needs: ScanNeeds,
  reading?: MoneyReading,
): UnitValues {
  const none = { reached: '[]', currencies: '[]' };
  const money = moneySql(isMoneyMetric(m) ? reading : undefined, p);
  // A percentile cap is of the one currency's values: that reading keeps its own query.
  const split = reading?.kind === 'as_recorded' && !('cap' in m && typeof m.cap === 'object');
  const inCurrency = (keys: string, read: (sql: MoneySql) => { y: string; z: string }) => {
    if (!split) return {};
    const { y, z } = read(perCurrency);
    return {
      inCurrency: { keys, values: `arrayMap((${CUR}) -> (toFloat64(${y}), toFloat64(${z})), ${keys})` },
    };
  };
  switch (m.kind) {
    case 'conversion': {
      needs.conditions[`c${i}`] = `(${alternativeSql(m.event, p)})`;
      needs.aggregates[`t${i}`] = `groupArrayIf(ms, c${i})`;
      const window = p.bind('Int64', m.window_seconds * 1000);
      return {
        y: `toFloat64(arrayExists((t) -> ${after('t', window)}, t${i}))`,
        z: `toFloat64(arrayExists((t) -> ${before('t')}, t${i}))`,
        ...none,
        capZ: false,
      };
    }
    case 'funnel': {
      const end = `entered_ms + ${p.bind('Int64', m.window_seconds * 1000)}`;
      const firsts: string[] = [];
      m.steps.forEach((step, k) => {
        needs.conditions[`c${i}_${k}`] = `(${alternativesSql(step.match, p)})`;
        needs.aggregates[`t${i}_${k}`] = `arraySort(groupArrayIf(ms, c${i}_${k}))`;
        // The earliest event of step k after step k−1's (step 1: at or after entry), within the window.
        const prev = firsts[k - 1];
        firsts.push(
          prev === undefined
            ? `arrayFirst((t) -> t >= entered_ms AND t <= ${end}, t${i}_${k})`
            : `if((${prev}) = 0, 0, arrayFirst((t) -> t > (${prev}) AND t <= ${end}, t${i}_${k}))`,
        );
      });
      const reached = `[${firsts.map((f) => `toUInt64((${f}) > 0)`).join(', ')}]`;
      return { y: `toFloat64(arraySum(${reached}))`, z: '0', reached, capZ: false, currencies: '[]' };
    }
    case 'revenue_per_visitor':
    case 'orders_per_visitor':
    case 'average_order_value': {
      needs.conditions.is_order = `(type = 'purchase' AND order_id != '')`;
      needs.columns.order = `(order_id, toFloat64(revenue), ${ORDER_RECEIPT_KEY}, toString(currency))`;
      needs.aggregates.raw_orders = `groupArrayIf((order.1, ms, order.2, order.3, order.4), is_order)`;
      needs.derived.orders = FOLDED_ORDERS;
      const count = (when: string) => `toFloat64(arrayCount((f) -> ${when}, orders))`;
      const at = 'f.1 >= entered_ms';
      // Orders are counted in any currency; only their amounts have one.
      if (m.kind === 'orders_per_visitor')
        return { y: count(at), z: count(before('f.1')), ...none, capZ: true };
      const read = (sql: MoneySql) => {
        const kept = (when: string) => (sql.keep ? `${when} AND ${sql.keep('f.3')}` : when);
        const revenue = (when: string) =>
          `arraySum((f) -> if(${kept(when)}, ${sql.amount('f.2', 'f.3')}, 0), orders)`;
        return m.kind === 'revenue_per_visitor'
          ? { y: revenue(at), z: revenue(before('f.1')) }
          : { y: revenue(at), z: count(kept(at)) };
      };
      return {
        ...read(money),
        ...none,
        capZ: m.kind === 'revenue_per_visitor',
        currencies: `arrayMap((f) -> f.3, arrayFilter((f) -> ${at}, orders))`,
        ...inCurrency('arrayDistinct(arrayMap((f) -> f.3, orders))', read),
      };
    }
    case 'property_sum':
    case 'property_mean': {
      const prop = `props[${p.bind('String', m.property)}]`;
      const event = m.event ? `(${alternativeSql(m.event, p)}) AND ` : '';
      // A plain decimal within ±LIMITS.metricValueMax: a string property may hold 1,000 digits,
      // which reads as +inf and made every sum of the metric NaN.
      const max = p.bind('Float64', LIMITS.metricValueMax);
      needs.conditions[`c${i}`] =
        `(${event}match(${prop}, ${NUMERIC}) AND abs(toFloat64OrZero(${prop})) <= ${max})`;
      needs.columns[`v${i}`] = `toFloat64OrZero(${prop})`;
      // A money property carries its event's currency (`''` when it has none).
      if (m.money) needs.columns.event_currency = 'toString(currency)';
      needs.aggregates[`p${i}`] = m.money
        ? `groupArrayIf((ms, v${i}, event_currency), c${i})`
        : `groupArrayIf((ms, v${i}), c${i})`;
      // Without a window, every event up to the range's end: the range's length bounds it.
      const windowMs =
        m.window_seconds === undefined ? s.range.toMs - s.range.fromMs : m.window_seconds * 1000;
      const inWindow = `arrayFilter((x) -> ${after('x.1', p.bind('Int64', windowMs))}, p${i})`;
      const read = (sql: MoneySql) => {
        const keep = sql.keep;
        const sum = (xs: string) =>
          keep
            ? `toFloat64(arraySum((x) -> if(${keep('x.3')}, ${sql.amount('x.2', 'x.3')}, 0), ${xs}))`
            : `toFloat64(arraySum((x) -> x.2, ${xs}))`;
        const y = sum(inWindow);
        if (m.kind === 'property_mean')
          return {
            y,
            z: keep
              ? `toFloat64(arrayCount((x) -> ${keep('x.3')}, ${inWindow}))`
              : `toFloat64(length(${inWindow}))`,
          };
        return { y, z: sum(`arrayFilter((x) -> ${before('x.1')}, p${i})`) };
      };
      return {
        ...read(money),
        ...none,
        capZ: m.kind === 'property_sum',
        currencies: m.money ? `arrayMap((x) -> x.3, ${inWindow})` : '[]',
        ...(m.money ? inCurrency(`arrayDistinct(arrayMap((x) -> x.3, p${i}))`, read) : {}),
      };
    }
  }
}
