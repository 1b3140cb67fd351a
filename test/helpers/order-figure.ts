import type { EventRow } from '@funnelhouse/server';

/**
 * The oracles' statement of which of an order's purchase events gives its revenue and currency:
 * server or import before browser, then the earliest `received_at`, then the smaller amount,
 * then the currency (events equal in all four carry the same figure).
 */
const rank = (e: EventRow) => [e.source === 'browser' ? 1 : 0, e.received_at, e.revenue, e.currency] as const;

export function orderFigure(events: readonly EventRow[]): EventRow {
  let best = events[0] as EventRow;
  for (const e of events) {
    const [a, b] = [rank(e), rank(best)];
    const i = a.findIndex((x, k) => x !== b[k]);
    if (i >= 0 && (a[i] as number | string) < (b[i] as number | string)) best = e;
  }
  return best;
}
