/**
 * The experiment rules, written once, as a brute-force reading of raw `events_v1` rows. The
 * ClickHouse queries (`server/src/experiments/queries/`) are held to it by fast-check.
 *
 * 1. Scope: one site; events with `ts` in the range `[fromMs, toMs)`.
 * 2. Exposure: an event with `type = 'exposure'`, `name` = the key, a non-empty visitor id and
 *    `ts` in `[exposedFromMs, exposedToMs)` (the range within the experiment's dates). Its
 *    variant is `experiments[key]`, `''` when the map lacks the key.
 * 3. A visitor enters at its first exposure (`entered`). A visitor whose exposures name more
 *    than one distinct variant (`''` counts as one) is a multiple exposure: counted apart, and
 *    in no metric. Every other exposed visitor counts in its variant, defined or not.
 * 4. Only events of the visitor at or after `entered` (and in the range, rule 1) count for it.
 * 5. Conversion: the visitor converted when one of its events matches the metric's condition
 *    with `entered ≤ ts ≤ entered + window` (both ends included).
 * 6. Orders: purchases with a non-empty `order_id`, one order per (visitor, order_id) in the
 *    range; its time is its earliest such event, its revenue that of the first of its events
 *    ordered by (browser after server/import, received_at, event_id). An order counts for the
 *    visitor when its time is ≥ `entered` (so an order begun before entry never counts, even if
 *    a later event repeats it).
 * 7. Per visitor: revenue = Σ its counted orders' revenue, orders = their count; with a cap,
 *    the value read (revenue, or orders for orders per visitor) is min(value, cap). For AOV the
 *    cap applies to revenue (x) only; orders (y) are never capped there.
 * 8. Sums per variant over counted visitors: n, conversions; Σy, Σy²; Σx, Σy, Σx², Σy², Σxy.
 *    Variants are listed in byte order of their value.
 */
import type { StepAlternative } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { alternativeMatches, type OracleEvent } from '../funnels/oracle-match.ts';

export interface OracleScope {
  site: string;
  fromMs: number;
  toMs: number;
  key: string;
  exposedFromMs: number;
  exposedToMs: number;
}

interface Exposed {
  variant: string;
  entered: number;
  variants: Set<string>;
}

const inRange = (s: OracleScope, r: EventRow) => r.site_id === s.site && r.ts >= s.fromMs && r.ts < s.toMs;

/** Rules 2–3: every exposed visitor, with its variants. */
export function exposedVisitors(rows: readonly EventRow[], s: OracleScope): Map<string, Exposed> {
  const out = new Map<string, Exposed>();
  for (const r of rows) {
    if (!inRange(s, r) || r.type !== 'exposure' || r.name !== s.key || r.visitor_id === '') continue;
    if (r.ts < s.exposedFromMs || r.ts >= s.exposedToMs) continue;
    const variant = r.experiments[s.key] ?? '';
    const seen = out.get(r.visitor_id);
    if (!seen) out.set(r.visitor_id, { variant, entered: r.ts, variants: new Set([variant]) });
    else {
      seen.entered = Math.min(seen.entered, r.ts);
      seen.variants.add(variant);
    }
  }
  return out;
}

/** The counted visitors (one variant only), as [visitor, variant, entered]. */
function counted(rows: readonly EventRow[], s: OracleScope): [string, string, number][] {
  return [...exposedVisitors(rows, s)]
    .filter(([, e]) => e.variants.size === 1)
    .map(([v, e]) => [v, e.variant, e.entered]);
}

const byVariant = <T extends { variant: string }>(xs: T[]) =>
  xs.sort((a, b) => (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0));

/** Groups per-visitor values by variant and folds them. */
function perVariant<T, R extends { variant: string }>(
  units: [string, T][],
  fold: (variant: string, values: T[]) => R,
): R[] {
  const groups = new Map<string, T[]>();
  for (const [variant, value] of units) groups.set(variant, [...(groups.get(variant) ?? []), value]);
  return byVariant([...groups].map(([variant, values]) => fold(variant, values)));
}

/** As `getExposureCounts`: units per variant value, multiple exposures as one row. */
export function oracleExposureCounts(rows: readonly EventRow[], s: OracleScope) {
  const all = [...exposedVisitors(rows, s).values()];
  const single = perVariant(
    all.filter((e) => e.variants.size === 1).map((e) => [e.variant, 1] as [string, number]),
    (variant, ones) => ({ multiple: 0, variant, units: ones.length }),
  );
  const multiple = all.filter((e) => e.variants.size > 1).length;
  return multiple > 0 ? [...single, { multiple: 1, variant: '', units: multiple }] : single;
}

/** Rule 5, as `getConversionSums`. */
export function oracleConversionSums(
  rows: readonly EventRow[],
  s: OracleScope,
  m: { event: StepAlternative; windowSeconds: number },
) {
  const units = counted(rows, s).map(([visitor, variant, entered]): [string, boolean] => [
    variant,
    rows.some(
      (r) =>
        inRange(s, r) &&
        r.visitor_id === visitor &&
        r.ts >= entered &&
        r.ts <= entered + m.windowSeconds * 1000 &&
        alternativeMatches(m.event, r as unknown as OracleEvent),
    ),
  ]);
  return perVariant(units, (variant, xs) => ({
    variant,
    n: xs.length,
    conversions: xs.filter(Boolean).length,
  }));
}

/** Rules 6–7: a counted visitor's revenue and orders. */
function orderTotals(rows: readonly EventRow[], s: OracleScope, visitor: string, entered: number) {
  const orders = new Map<string, EventRow[]>();
  for (const r of rows) {
    if (!inRange(s, r) || r.type !== 'purchase' || r.order_id === '' || r.visitor_id !== visitor) continue;
    orders.set(r.order_id, [...(orders.get(r.order_id) ?? []), r]);
  }
  let revenue = 0;
  let count = 0;
  for (const events of orders.values()) {
    if (Math.min(...events.map((e) => e.ts)) < entered) continue;
    const rank = (e: EventRow) => [e.source === 'browser' ? 1 : 0, e.received_at, e.event_id] as const;
    const first = [...events].sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      for (let i = 0; i < 3; i++)
        if (x[i] !== y[i]) return (x[i] as number | string) < (y[i] as number | string) ? -1 : 1;
      return 0;
    })[0] as EventRow;
    revenue += Number(first.revenue);
    count += 1;
  }
  return { revenue, orders: count };
}

const capAt = (v: number, cap: number | undefined) => (cap === undefined ? v : Math.min(v, cap));

/** Rules 7–8 for a mean, as `getMeanSums`. */
export function oracleMeanSums(
  rows: readonly EventRow[],
  s: OracleScope,
  m: { value: 'revenue' | 'orders'; cap?: number | undefined },
) {
  const units = counted(rows, s).map(([visitor, variant, entered]): [string, number] => [
    variant,
    capAt(orderTotals(rows, s, visitor, entered)[m.value], m.cap),
  ]);
  return perVariant(units, (variant, ys) => ({
    variant,
    n: ys.length,
    sum: ys.reduce((a, y) => a + y, 0),
    sum_sq: ys.reduce((a, y) => a + y * y, 0),
  }));
}

/** Rules 7–8 for average order value, as `getRatioSums`. */
export function oracleRatioSums(rows: readonly EventRow[], s: OracleScope, m: { cap?: number | undefined }) {
  const units = counted(rows, s).map(([visitor, variant, entered]): [string, [number, number]] => {
    const t = orderTotals(rows, s, visitor, entered);
    return [variant, [capAt(t.revenue, m.cap), t.orders]];
  });
  const sum = (xs: [number, number][], f: (x: number, y: number) => number) =>
    xs.reduce((a, [x, y]) => a + f(x, y), 0);
  return perVariant(units, (variant, xy) => ({
    variant,
    n: xy.length,
    sum_x: sum(xy, (x) => x),
    sum_y: sum(xy, (_, y) => y),
    sum_x_sq: sum(xy, (x) => x * x),
    sum_y_sq: sum(xy, (_, y) => y * y),
    sum_xy: sum(xy, (x, y) => x * y),
  }));
}
