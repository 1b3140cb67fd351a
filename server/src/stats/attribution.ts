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

type Cells = { [i: number]: number; length: number };

/** All of the credit to touch `i`. */
function one(out: Cells, n: number, i: number): void {
  for (let j = 0; j < n; j++) out[j] = j === i ? 1 : 0;
}

function positionBased(out: Cells, n: number, p: CreditParams): void {
  if (n === 1) {
    out[0] = 1;
    return;
  }
  if (n === 2) {
    const ends = p.first + p.last;
    // The middle's share has no touch to go to: the two ends keep their proportion.
    out[0] = ends > 0 ? p.first / ends : 0.5;
    out[1] = ends > 0 ? p.last / ends : 0.5;
    return;
  }
  const middle = (1 - p.first - p.last) / (n - 2);
  for (let i = 0; i < n; i++) out[i] = i === 0 ? p.first : i === n - 1 ? p.last : middle;
}

function timeDecay(out: Cells, touches: readonly Touch[], p: CreditParams): void {
  // Ages from the newest touch, not from the conversion: the same proportions, and no weight
  // underflows to 0 however long the window is against the half-life.
  const n = touches.length;
  const newest = touches[n - 1]?.at ?? 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    out[i] = 2 ** (-(newest - (touches[i]?.at ?? 0)) / p.halfLifeMs);
    total += out[i] ?? 0;
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) / total;
}

/**
 * Each touch's credit under `model`, written into `out[0 … touches.length)`; `touches` ordered
 * (`orderTouches`), at least one. Allocates nothing: the report credits millions of touches.
 */
export function creditInto(
  model: AttributionModel,
  touches: readonly Touch[],
  p: CreditParams,
  out: Cells,
): void {
  const n = touches.length;
  switch (model) {
    case 'first_touch':
      one(out, n, 0);
      break;
    case 'last_touch':
      one(out, n, n - 1);
      break;
    case 'last_non_direct': {
      let i = n - 1;
      while (i >= 0 && touches[i]?.direct) i--;
      one(out, n, i >= 0 ? i : n - 1);
      break;
    }
    case 'linear':
      for (let i = 0; i < n; i++) out[i] = 1 / n;
      break;
    case 'position_based':
      positionBased(out, n, p);
      break;
    case 'time_decay':
      timeDecay(out, touches, p);
      break;
  }
}

/** Each touch's credit under `model`; `touches` ordered (`orderTouches`), at least one. */
export function credit(model: AttributionModel, touches: readonly Touch[], p: CreditParams): number[] {
  const out = new Array<number>(touches.length).fill(0);
  creditInto(model, touches, p, out);
  return out;
}
