/**
 * The attribution rules (`ATTRIBUTION_DEFINITIONS`) as a brute-force reading of raw rows, written
 * apart from the server's code, the models included: orders as the revenue report counts them;
 * a visitor's sessions as touches at their first (ts, event_id) event, read from from − lookback;
 * touches in [order − lookback, order], ordered by time then session id; each model's credit;
 * visitors per value from the sessions' first events in [from, to); paths with repeats collapsed.
 */
import { ATTRIBUTION_MODELS } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { orderFigure } from '../helpers/order-figure.ts';

const before = (a: EventRow, b: EventRow) => a.ts < b.ts || (a.ts === b.ts && a.event_id < b.event_id);

export interface OracleOptions {
  dim: (r: EventRow) => string;
  lookbackMs: number;
  halfLifeMs: number;
  first: number;
  last: number;
}

interface OTouch {
  at: number;
  session: string;
  value: string;
  direct: boolean;
}

/** Per (visitor, session) of `evs`: its first event. */
function sessionFirsts(evs: readonly EventRow[]): Map<string, EventRow> {
  const firsts = new Map<string, EventRow>();
  for (const r of evs) {
    if (r.session_id === '' || r.visitor_id === '') continue;
    const k = JSON.stringify([r.visitor_id, r.session_id]);
    const f = firsts.get(k);
    if (!f || before(r, f)) firsts.set(k, r);
  }
  return firsts;
}

function modelCredit(model: string, t: readonly OTouch[], orderMs: number, o: OracleOptions): number[] {
  const n = t.length;
  const at = (i: number) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
  if (model === 'first_touch') return at(0);
  if (model === 'last_touch') return at(n - 1);
  if (model === 'last_non_direct') {
    const nonDirect = t.map((x, i) => (x.direct ? -1 : i)).filter((i) => i >= 0);
    return at(nonDirect.length > 0 ? (nonDirect[nonDirect.length - 1] ?? 0) : n - 1);
  }
  if (model === 'linear') return t.map(() => 1 / n);
  if (model === 'position_based') {
    if (n === 1) return [1];
    if (n === 2)
      return o.first + o.last === 0 ? [0.5, 0.5] : [o.first, o.last].map((x) => x / (o.first + o.last));
    return t.map((_, i) => (i === 0 ? o.first : i === n - 1 ? o.last : (1 - o.first - o.last) / (n - 2)));
  }
  // time_decay, from the conversion itself
  const w = t.map((x) => 0.5 ** ((orderMs - x.at) / o.halfLifeMs));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

export const MODELS: readonly string[] = ATTRIBUTION_MODELS;

export function oracleAttribution(
  rows: readonly EventRow[],
  s: { site: string; fromMs: number; toMs: number },
  o: OracleOptions,
) {
  const site = rows.filter((r) => r.site_id === s.site);
  const inRange = site.filter((r) => r.ts >= s.fromMs && r.ts < s.toMs);
  const orderEvents = new Map<string, EventRow[]>();
  for (const r of inRange)
    if (r.type === 'purchase' && r.order_id !== '')
      orderEvents.set(r.order_id, [...(orderEvents.get(r.order_id) ?? []), r]);

  const touchesOf = new Map<string, OTouch[]>();
  for (const f of sessionFirsts(
    site.filter((r) => r.ts >= s.fromMs - o.lookbackMs && r.ts < s.toMs),
  ).values()) {
    const list = touchesOf.get(f.visitor_id) ?? [];
    list.push({
      at: f.ts,
      session: f.session_id,
      value: o.dim(f),
      direct: f.channel === 'direct' || f.channel === 'internal',
    });
    touchesOf.set(f.visitor_id, list);
  }

  // model → value (JSON of string | null) → credit and revenue per currency
  const credit = new Map<string, Map<string, { credit: number; revenue: Map<string, number> }>>(
    MODELS.map((m) => [m, new Map()]),
  );
  const paths = new Map<string, { orders: number; ages: number[] }>();
  let orders = 0;
  let withTouch = 0;
  let touchCount = 0;
  for (const es of orderEvents.values()) {
    orders++;
    const orderMs = Math.min(...es.map((e) => e.ts));
    const fig = orderFigure(es);
    const visitor = es
      .filter((e) => e.visitor_id !== '')
      .sort((a, b) => (before(a, b) ? -1 : 1))[0]?.visitor_id;
    const t = (visitor ? (touchesOf.get(visitor) ?? []) : [])
      .filter((x) => x.at <= orderMs && x.at >= orderMs - o.lookbackMs)
      .sort((a, b) => a.at - b.at || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0));
    if (t.length > 0) withTouch++;
    touchCount += t.length;
    for (const m of MODELS) {
      const byValue = credit.get(m) ?? new Map();
      const shares: [string, number][] =
        t.length === 0
          ? [[JSON.stringify(null), 1]]
          : modelCredit(m, t, orderMs, o).map((c, i) => [JSON.stringify(t[i]?.value ?? ''), c]);
      for (const [k, c] of shares) {
        const g = byValue.get(k) ?? { credit: 0, revenue: new Map<string, number>() };
        g.credit += c;
        g.revenue.set(fig.currency, (g.revenue.get(fig.currency) ?? 0) + c * fig.revenue);
        byValue.set(k, g);
      }
      credit.set(m, byValue);
    }
    const path = t.map((x) => x.value).filter((v, i, all) => i === 0 || all[i - 1] !== v);
    const p = paths.get(JSON.stringify(path)) ?? { orders: 0, ages: [] };
    p.orders++;
    if (t[0]) p.ages.push(orderMs - t[0].at);
    paths.set(JSON.stringify(path), p);
  }

  const visitorSets = new Map<string, Set<string>>();
  for (const f of sessionFirsts(inRange).values()) {
    const k = o.dim(f);
    visitorSets.set(k, (visitorSets.get(k) ?? new Set()).add(f.visitor_id));
  }
  return {
    orders,
    withTouch,
    touches: touchCount,
    credit,
    visitors: new Map([...visitorSets].map(([k, v]) => [k, v.size])),
    paths,
  };
}
