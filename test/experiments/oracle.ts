/**
 * The experiment rules, written once, as a brute-force reading of raw `events_v1` rows. The
 * ClickHouse queries (`server/src/experiments/queries/`) are held to it by fast-check.
 *
 * 1. Scope: one site; events with `ts` in the range `[fromMs, toMs)`; with CUPED, events from
 *    `pre` before `fromMs` are read too (for the pre-period only, rules 10–11).
 * 2. Unit: the visitor; with `unit: 'user'`, the visitor's first user id by time among its events
 *    in the range (`u:` + id), else its own id (`v:` + id); all visitors of one user are one unit.
 * 3. Exposure: an event with `type = 'exposure'`, `name` = the key, a non-empty visitor id and
 *    `ts` in `[exposedFromMs, exposedToMs)`. Its variant is `experiments[key]`, `''` when absent.
 * 4. A unit enters at its first exposure (`entered`). A unit whose exposures name more than one
 *    distinct variant (`''` counts as one) is a multiple exposure: counted apart, and in no
 *    metric. Every other exposed unit counts in its variant, defined or not.
 * 5. Segment: '' ; or a dimension's value on the unit's first exposure event (the earliest; on
 *    a tie, any of them — the generators avoid ties between visitors of one user); or the UTC
 *    date of `entered`.
 * 6. Only events of the unit at or after `entered` (and before `toMs`) count for an outcome.
 * 7. Conversion: y = 1 when an event matches with `entered ≤ ts ≤ entered + window`.
 * 8. Orders: purchases with a non-empty `order_id`, one order per (unit, order_id) among the
 *    events read (rule 1); its time is its earliest such event, its revenue that of the first of
 *    its events ordered by (browser after server/import, received_at, revenue, currency: `orderFigure`). It counts for
 *    the outcome when its time is ≥ `entered`.
 * 9. Property: events matching the metric's event (any when absent) whose property reads as a
 *    decimal number within ±`LIMITS.metricValueMax` (10^15); y = Σ values with `entered ≤ ts ≤ entered + window` (window: the range's
 *    length when absent); for `property_mean` z = their count.
 * 10. CUPED covariate z (revenue, orders, conversion, property sum): the same outcome over
 *    `[entered − pre, entered)` (orders by their time, rule 8). 0 without CUPED.
 * 11. Cap: a fixed value, or the percentile of the non-zero y over all counted units (sorted
 *    ascending, the element at ⌊p·n⌋, the last when past it); y = min(y, cap), and z too for a
 *    CUPED covariate.
 * 12. Sums per (variant, segment) over counted units: n, Σy, Σy², Σz, Σz², Σyz; for a funnel,
 *    reached[k] = units reaching step k: step 1 by an event at or after entry, step k by one
 *    strictly after step k−1's (the earliest such), all ≤ entered + window.
 *    Rows in byte order of (variant, segment).
 */
import {
  type BreakdownDimension,
  type ExperimentMetric,
  LIMITS,
  type MetricCap,
  type StepAlternative,
} from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import {
  alternativeMatches,
  anyAlternativeMatches,
  dimensionOf,
  type OracleEvent,
} from '../funnels/oracle-match.ts';
import { orderFigure } from '../helpers/order-figure.ts';

export type OracleSegment =
  | { by: 'none' }
  | { by: 'dimension'; dimension: BreakdownDimension }
  | { by: 'day' };

export interface OracleScope {
  site: string;
  fromMs: number;
  toMs: number;
  key: string;
  exposedFromMs: number;
  exposedToMs: number;
  unit?: 'visitor' | 'user';
  segment?: OracleSegment;
  preMs?: number;
}

interface Exposed {
  variant: string;
  entered: number;
  variants: Set<string>;
  segment: string;
}

const ofSite = (s: OracleScope, r: EventRow) => r.site_id === s.site;
const inRange = (s: OracleScope, r: EventRow) => ofSite(s, r) && r.ts >= s.fromMs && r.ts < s.toMs;
const inRead = (s: OracleScope, r: EventRow) =>
  ofSite(s, r) && r.ts >= s.fromMs - (s.preMs ?? 0) && r.ts < s.toMs;
const asEvent = (r: EventRow) => r as unknown as OracleEvent;

/** Rule 2: visitor → unit. */
export function unitMap(rows: readonly EventRow[], s: OracleScope): (visitor: string) => string {
  if (s.unit !== 'user') return (v) => v;
  const first = new Map<string, { ts: number; user: string }>();
  for (const r of rows) {
    if (!inRange(s, r) || r.visitor_id === '' || r.user_id === '') continue;
    const seen = first.get(r.visitor_id);
    if (!seen || r.ts < seen.ts) first.set(r.visitor_id, { ts: r.ts, user: r.user_id });
  }
  return (v) => {
    const u = first.get(v);
    return u ? `u:${u.user}` : `v:${v}`;
  };
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Rules 3–5: every exposed unit, with its variants and segment. */
export function exposedUnits(rows: readonly EventRow[], s: OracleScope): Map<string, Exposed> {
  const unitOf = unitMap(rows, s);
  const seg = s.segment ?? { by: 'none' };
  const out = new Map<string, Exposed>();
  for (const r of rows) {
    if (!inRange(s, r) || r.type !== 'exposure' || r.name !== s.key || r.visitor_id === '') continue;
    if (r.ts < s.exposedFromMs || r.ts >= s.exposedToMs) continue;
    const variant = r.experiments[s.key] ?? '';
    const value = seg.by === 'dimension' ? dimensionOf(seg.dimension, asEvent(r)) : '';
    const unit = unitOf(r.visitor_id);
    const seen = out.get(unit);
    if (!seen) out.set(unit, { variant, entered: r.ts, variants: new Set([variant]), segment: value });
    else {
      if (r.ts < seen.entered) {
        seen.entered = r.ts;
        seen.segment = value;
      }
      seen.variants.add(variant);
    }
  }
  if (seg.by === 'day') for (const e of out.values()) e.segment = utcDay(e.entered);
  return out;
}

interface Counted {
  unit: string;
  variant: string;
  entered: number;
  segment: string;
}

function counted(rows: readonly EventRow[], s: OracleScope): Counted[] {
  return [...exposedUnits(rows, s)]
    .filter(([, e]) => e.variants.size === 1)
    .map(([unit, e]) => ({ unit, variant: e.variant, entered: e.entered, segment: e.segment }));
}

/** The events read for unit `unit` (rule 1's read window). */
function eventsOf(rows: readonly EventRow[], s: OracleScope, unit: string): EventRow[] {
  const unitOf = unitMap(rows, s);
  return rows.filter((r) => inRead(s, r) && r.visitor_id !== '' && unitOf(r.visitor_id) === unit);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** As `getExposureCounts`: units per variant value, multiple exposures as one row. */
export function oracleExposureCounts(rows: readonly EventRow[], s: OracleScope) {
  const groups = new Map<string, number[]>();
  const multiple: number[] = [];
  for (const e of exposedUnits(rows, s).values()) {
    if (e.variants.size > 1) multiple.push(e.entered);
    else groups.set(e.variant, [...(groups.get(e.variant) ?? []), e.entered]);
  }
  const rowOf = (m: number, variant: string, ts: number[]) => ({
    multiple: m,
    variant,
    units: ts.length,
    first_ms: Math.min(...ts),
    last_ms: Math.max(...ts),
  });
  const single = [...groups].sort((a, b) => cmp(a[0], b[0])).map(([v, ts]) => rowOf(0, v, ts));
  return multiple.length > 0 ? [...single, rowOf(1, '', multiple)] : single;
}

/** Rule 8: a unit's orders as (time, revenue). */
function ordersOf(events: readonly EventRow[]): { ms: number; revenue: number }[] {
  const orders = new Map<string, EventRow[]>();
  for (const r of events) {
    if (r.type !== 'purchase' || r.order_id === '') continue;
    orders.set(r.order_id, [...(orders.get(r.order_id) ?? []), r]);
  }
  return [...orders.values()].map((list) => ({
    ms: Math.min(...list.map((e) => e.ts)),
    revenue: Number(orderFigure(list).revenue),
  }));
}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/** Rules 6–10: a counted unit's (y, z) for a metric, before capping. */
function unitValues(
  rows: readonly EventRow[],
  s: OracleScope,
  u: Counted,
  m: Exclude<ExperimentMetric, { kind: 'funnel' }>,
): [number, number] {
  const events = eventsOf(rows, s, u.unit);
  const pre = s.preMs ?? 0;
  const isAfter = (t: number, window: number) => t >= u.entered && t <= u.entered + window;
  const isBefore = (t: number) => t >= u.entered - pre && t < u.entered;
  switch (m.kind) {
    case 'conversion': {
      const hits = events.filter((e) => alternativeMatches(m.event, asEvent(e)));
      const w = m.window_seconds * 1000;
      return [hits.some((e) => isAfter(e.ts, w)) ? 1 : 0, hits.some((e) => isBefore(e.ts)) ? 1 : 0];
    }
    case 'revenue_per_visitor':
    case 'orders_per_visitor':
    case 'average_order_value': {
      const orders = ordersOf(events);
      const at = orders.filter((o) => o.ms >= u.entered);
      const before = orders.filter((o) => isBefore(o.ms));
      const revenue = at.reduce((a, o) => a + o.revenue, 0);
      if (m.kind === 'orders_per_visitor') return [at.length, before.length];
      if (m.kind === 'average_order_value') return [revenue, at.length];
      return [revenue, before.reduce((a, o) => a + o.revenue, 0)];
    }
    case 'property_sum':
    case 'property_mean': {
      const values = events
        .filter((e) => (m.event ? alternativeMatches(m.event, asEvent(e)) : true))
        .filter((e) => NUMBER.test(e.props[m.property] ?? ''))
        .filter((e) => Math.abs(Number(e.props[m.property])) <= LIMITS.metricValueMax)
        .map((e) => ({ ts: e.ts, v: Number(e.props[m.property]) }));
      const w = m.window_seconds === undefined ? s.toMs - s.fromMs : m.window_seconds * 1000;
      const after = values.filter((x) => isAfter(x.ts, w));
      const y = after.reduce((a, x) => a + x.v, 0);
      if (m.kind === 'property_mean') return [y, after.length];
      return [y, values.filter((x) => isBefore(x.ts)).reduce((a, x) => a + x.v, 0)];
    }
  }
}

/** Rule 11: the cap value (0 = none). */
function capValue(cap: MetricCap | undefined, ys: number[]) {
  if (cap === undefined) return 0;
  if (typeof cap === 'number') return cap;
  const nonZero = ys.filter((y) => y > 0).sort((a, b) => a - b);
  if (nonZero.length === 0) return 0;
  return nonZero[Math.min(nonZero.length - 1, Math.floor(cap.percentile * nonZero.length))] as number;
}

/** Rules 6–12 for every metric but the funnel, as `getMetricSums`. */
export function oracleMetricSums(
  rows: readonly EventRow[],
  s: OracleScope,
  m: Exclude<ExperimentMetric, { kind: 'funnel' }>,
) {
  const units = counted(rows, s).map((u) => ({ u, yz: unitValues(rows, s, u, m) }));
  const cap = capValue(
    'cap' in m ? m.cap : undefined,
    units.map((x) => x.yz[0]),
  );
  const capZ =
    m.kind === 'revenue_per_visitor' || m.kind === 'orders_per_visitor' || m.kind === 'property_sum';
  const at = (v: number) => (cap > 0 ? Math.min(v, cap) : v);
  const groups = new Map<string, { variant: string; segment: string; yz: [number, number][] }>();
  for (const { u, yz } of units) {
    const k = `${u.variant}\u0000${u.segment}`;
    const g = groups.get(k) ?? { variant: u.variant, segment: u.segment, yz: [] };
    g.yz.push([at(yz[0]), capZ ? at(yz[1]) : yz[1]]);
    groups.set(k, g);
  }
  const sum = (xs: [number, number][], f: (y: number, z: number) => number) =>
    xs.reduce((a, [y, z]) => a + f(y, z), 0);
  return [...groups.values()]
    .sort((a, b) => cmp(a.variant, b.variant) || cmp(a.segment, b.segment))
    .map((g) => ({
      variant: g.variant,
      segment: g.segment,
      n: g.yz.length,
      sum_y: sum(g.yz, (y) => y),
      sum_y_sq: sum(g.yz, (y) => y * y),
      sum_z: sum(g.yz, (_, z) => z),
      sum_z_sq: sum(g.yz, (_, z) => z * z),
      sum_yz: sum(g.yz, (y, z) => y * z),
      cap_at: cap,
    }));
}

/** Rule 12 for a funnel, as `getFunnelSums`: the earliest chain of step events after entry. */
export function oracleFunnelSums(
  rows: readonly EventRow[],
  s: OracleScope,
  m: { steps: { match: StepAlternative[] }[]; windowSeconds: number },
) {
  const groups = new Map<string, { variant: string; segment: string; n: number; reached: number[] }>();
  for (const u of counted(rows, s)) {
    const events = eventsOf(rows, s, u.unit);
    const end = u.entered + m.windowSeconds * 1000;
    let level = 0;
    let prev = -1;
    for (const [k, step] of m.steps.entries()) {
      const times = events
        .filter((e) => anyAlternativeMatches(step.match, asEvent(e)))
        .map((e) => e.ts)
        .filter((t) => (k === 0 ? t >= u.entered : t > prev) && t <= end);
      if (times.length === 0) break;
      prev = Math.min(...times);
      level = k + 1;
    }
    const key = `${u.variant}\u0000${u.segment}`;
    const g = groups.get(key) ?? {
      variant: u.variant,
      segment: u.segment,
      n: 0,
      reached: m.steps.map(() => 0),
    };
    g.n += 1;
    for (let k = 0; k < level; k++) g.reached[k] = (g.reached[k] ?? 0) + 1;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => cmp(a.variant, b.variant) || cmp(a.segment, b.segment));
}
