/**
 * Credit of one conversion among its touches, per attribution model (rules in
 * `ATTRIBUTION_DEFINITIONS`). Pure: touches in, one credit per touch out, summing to 1.
 */
import type { AttributionModel } from '@funnelhouse/schemas';

export interface Touch {
  /** Epoch ms of the session's first event. */
  at: number;
  session: string;
  value: string;
  direct: boolean;
}

export interface CreditParams {
  /** time_decay: the age, in ms, at which a touch has half the weight of one at the conversion. */
  halfLifeMs: number;
  /** position_based: the first and the last touch's shares (their sum at most 1). */
  first: number;
  last: number;
}

/** Touches in the order every model reads them: by time, ties by session id. */
export function orderTouches(touches: readonly Touch[]): Touch[] {
  return [...touches].sort(
    (a, b) => a.at - b.at || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0),
  );
}

function one(n: number, i: number): number[] {
  return Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
}

function positionBased(n: number, p: CreditParams): number[] {
  if (n === 1) return [1];
  if (n === 2) {
    const ends = p.first + p.last;
    // The middle's share has no touch to go to: the two ends keep their proportion.
    return ends > 0 ? [p.first / ends, p.last / ends] : [0.5, 0.5];
  }
  const middle = (1 - p.first - p.last) / (n - 2);
  return Array.from({ length: n }, (_, i) => (i === 0 ? p.first : i === n - 1 ? p.last : middle));
}

function timeDecay(touches: readonly Touch[], p: CreditParams): number[] {
  // Ages from the newest touch, not from the conversion: the same proportions, and no weight
  // underflows to 0 however long the window is against the half-life.
  const newest = touches[touches.length - 1]?.at ?? 0;
  const w = touches.map((t) => 2 ** (-(newest - t.at) / p.halfLifeMs));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** Each touch's credit under `model`; `touches` ordered (`orderTouches`), at least one. */
export function credit(model: AttributionModel, touches: readonly Touch[], p: CreditParams): number[] {
  const n = touches.length;
  switch (model) {
    case 'first_touch':
      return one(n, 0);
    case 'last_touch':
      return one(n, n - 1);
    case 'last_non_direct': {
      let i = n - 1;
      while (i >= 0 && touches[i]?.direct) i--;
      return one(n, i >= 0 ? i : n - 1);
    }
    case 'linear':
      return Array.from({ length: n }, () => 1 / n);
    case 'position_based':
      return positionBased(n, p);
    case 'time_decay':
      return timeDecay(touches, p);
  }
}
