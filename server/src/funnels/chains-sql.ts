/**
 * The attempts' filled steps in work linear in a unit's events. The rules are the oracle's
 * (test/funnels/oracle.ts); `units-sql.ts` step 4 evaluates them per attempt, searching each step's
 * events for every attempt, which copies those events once per attempt (attempts × events). Here
 * every search runs once over the unit's positions instead, and attempts only read the result:
 *
 * - `C{t}[p]`: the event that fills step t after an event at position p fills the step before it
 *   (ordered: the first step-t event after p, by one reverse fill over the positions; strict: the
 *   event at p + 1), with its gap checks, or 0.
 * - From a state "step s filled at p", the next filled step is the earliest candidate among the
 *   steps the rules allow next (the optional ones after s and the first required one; a tie goes
 *   to the lower step). `H{j}_{s}[p]`: the event at step j on the path from that state (0: not
 *   filled), built from step j - 1 down to 0; `L{j}_{t}[p]`: `H{j}_{t}` at `C{t}[p]`'s event, one
 *   more reverse fill (strict: a shift), so following a path never gathers per attempt.
 * - An attempt entered at e has `H{j}_0[e]` at step j if it lies inside e's window: the path's
 *   events are in time order, so the window keeps a prefix of it, as it ends the attempt's scan.
 * - `any` and `unordered` search from the entry only: step t's first event after (unordered: from)
 *   each position, read at the entries.
 * - An ordered step with a minimum gap searches by time (its first event at least the gap after
 *   p): one sort of its events with a query per position (`firstAfterGap`).
 *
 * `units-sql.ts` sends heavy units here (`LINEAR_FROM`); the others keep the per-attempt search.
 */
import type { FunnelDefinition } from '@funnelhouse/schemas';

/** Packed values: time << POS_BITS | position (1-based); shared with `units-sql.ts`. */
export const POS_BITS = 24;
export const T = (v: string) => `bitShiftRight(${v}, ${POS_BITS})`;
export const POS = (v: string) => `bitAnd(${v}, ${2 ** POS_BITS - 1})`;

export interface ChainCtx {
  def: FunnelDefinition;
  /** Window in ms (a bound placeholder). */
  w: string;
  minGap: (string | undefined)[];
  maxGap: (string | undefined)[];
  /**
   * Per attempt, the values of a per-position array at the attempts' entries (`R0`, the entries'
   * own packed values, is one of these).
   */
  atEntries: (perPosition: string) => string;
  /** Mask with every bit set (the sentinel past the unit's last event). */
  maskAll: number;
}

const order = (def: FunnelDefinition) => def.order ?? 'ordered';

/** Over positions: `v` at the first step-j event after (`from`: at or after) each position; 0 for none. */
function firstOf(ctx: ChainCtx, v: string, j: number, from = false): string {
  const filled = `arrayReverseFill((a, x) -> bitTest(x, ${j}), arrayPushBack(${v}, 0), arrayPushBack(lm, ${ctx.maskAll}))`;
  return from ? `arrayPopBack(${filled})` : `arrayPopFront(${filled})`;
}

/**
 * Over positions: `v` at the first step-j event at least `gap` ms after each position; 0 for none.
 * One sort of the step's events (keyed by their packed value) with one query per position (keyed
 * by time + gap with position 0, so below every event of that ms), then a reverse fill hands each
 * query the next event's value. Queries grow with the position, so they come out in its order.
 */
function firstAfterGap(v: string, j: number, gap: string): string {
  const keys = `arrayConcat(arrayFilter((a, x) -> bitTest(x, ${j}), lpk, lm), arrayMap(a -> bitShiftLeft(${T('a')} + ${gap}, ${POS_BITS}), lpk))`;
  const values = `arrayConcat(arrayFilter((a, x) -> bitTest(x, ${j}), ${v}, lm), arrayMap(a -> 0, lpk))`;
  const sortedKeys = `arraySort(${keys})`;
  const filled = `arrayReverseFill((a, k) -> ${POS('k')} != 0, arraySort((a, k) -> k, ${values}, ${keys}), ${sortedKeys})`;
  return `arrayFilter((a, k) -> ${POS('k')} = 0, ${filled}, ${sortedKeys})`;
}

/** Over positions: `v` at step t's candidate event after each position (before its gap checks). */
function stepSearch(ctx: ChainCtx, v: string, t: number): string {
  const o = order(ctx.def);
  if (o === 'strict') return nextIf(v, t);
  const minGap = ctx.minGap[t];
  if (o === 'ordered' && minGap) return firstAfterGap(v, t, minGap);
  return firstOf(ctx, v, t, o === 'unordered');
}

/** Over positions: `v` at the next position, when that event matches step j; 0 otherwise. */
function nextIf(v: string, j: number): string {
  return `arrayPopFront(arrayPushBack(arrayMap((a, x) -> if(bitTest(x, ${j}), a, 0), ${v}, lm), 0))`;
}

/** `C{t}`: step t's candidate after each position, with the gaps from that position checked. */
function candidateSql(ctx: ChainCtx, t: number): string {
  const strict = order(ctx.def) === 'strict';
  const raw = stepSearch(ctx, 'lpk', t);
  const checks = ['c != 0'];
  const entryBased = order(ctx.def) === 'any' || order(ctx.def) === 'unordered';
  // any/unordered search from the entry itself, so its window applies here.
  if (entryBased) checks.push(`${T('c')} - ${T('v')} <= ${ctx.w}`);
  if (strict && ctx.minGap[t]) checks.push(`${T('c')} - ${T('v')} >= ${ctx.minGap[t]}`);
  if (ctx.maxGap[t]) checks.push(`${T('c')} - ${T('v')} <= ${ctx.maxGap[t]}`);
  return `arrayMap((c, v) -> if(${checks.join(' AND ')}, c, 0), ${raw}, lpk) AS C${t}`;
}

/** The steps that may be filled next after step s: the optional ones after it and the first required. */
function nextSteps(def: FunnelDefinition, s: number): number[] {
  const out: number[] = [];
  for (let t = s + 1; t < def.steps.length; t++) {
    out.push(t);
    if (!def.steps[t]?.optional) break;
  }
  return out;
}

/** Per step after the first, the attempts' filled events `A1..` (ordered and strict). */
function pathsSql(ctx: ChainCtx): string[] {
  const { def } = ctx;
  const n = def.steps.length;
  const layers: string[] = [
    Array.from({ length: n - 1 }, (_, i) => candidateSql(ctx, i + 1)).join(',\n     '),
  ];
  for (let s = n - 2; s >= 0; s--) {
    // H{j}_{t} at the candidate of step t, for the steps t that may follow s (t < j).
    const lookups: string[] = [];
    for (let j = s + 2; j < n; j++) {
      const t = s + 1;
      lookups.push(`${stepSearch(ctx, `H${j}_${t}`, t)} AS L${j}_${t}`);
    }
    if (lookups.length > 0) layers.push(lookups.join(',\n     '));
    const next = nextSteps(def, s);
    const paths: string[] = [];
    for (let j = s + 1; j < n; j++) {
      const arrays = [...next.map((t) => `C${t}`), ...next.filter((t) => t < j).map((t) => `L${j}_${t}`)];
      const params = [...next.map((t) => `c${t}`), ...next.filter((t) => t < j).map((t) => `l${t}`)];
      // The earliest candidate; a tie (one event, several steps) goes to the lower step.
      const chosen = (t: number) =>
        [
          `c${t} != 0`,
          ...next.filter((u) => u !== t).map((u) => `(c${u} = 0 OR c${t} ${u < t ? '<' : '<='} c${u})`),
        ].join(' AND ');
      const branches = next.filter((t) => t <= j).flatMap((t) => [chosen(t), t === j ? `c${t}` : `l${t}`]);
      paths.push(
        `arrayMap((${params.join(', ')}) -> multiIf(${branches.join(', ')}, 0), ${arrays.join(', ')}) AS H${j}_${s}`,
      );
    }
    layers.push(paths.join(',\n     '));
  }
  // The window keeps a prefix of each attempt's path.
  const within = Array.from(
    { length: n - 1 },
    (_, i) =>
      `arrayMap((a, e) -> if(a != 0 AND ${T('a')} - ${T('e')} <= ${ctx.w}, a, 0), ${ctx.atEntries(`H${i + 1}_0`)}, R0) AS R${i + 1}`,
  );
  layers.push(within.join(',\n     '));
  return layers;
}

/**
 * The layers giving `R1..R{n-1}` (per attempt, step k's packed event; unordered: the event reaching
 * level k + 1), each layer one SELECT so that ClickHouse materialises it. They read the unit's
 * packed values and masks as `lpk` and `lm` (empty for units the per-attempt engine evaluates) and
 * the entries as `R0`.
 */
export function chainsSql(ctx: ChainCtx): string[] {
  const { def } = ctx;
  const n = def.steps.length;
  if (order(def) === 'any') {
    return [
      Array.from({ length: n - 1 }, (_, i) => candidateSql(ctx, i + 1)).join(',\n     '),
      Array.from({ length: n - 1 }, (_, i) => `${ctx.atEntries(`C${i + 1}`)} AS R${i + 1}`).join(',\n     '),
    ];
  }
  if (order(def) === 'unordered') {
    const d = Array.from({ length: n }, (_, j) => `d${j}`);
    return [
      Array.from({ length: n }, (_, j) => candidateSql(ctx, j)).join(',\n     '),
      Array.from({ length: n }, (_, j) => `${ctx.atEntries(`C${j}`)} AS D${j}`).join(',\n     '),
      // Sorted with the undone (0) last: R{k} reaches level k + 1 (see units-sql.ts).
      `arrayMap((${d.join(', ')}) -> arraySort(v -> (v = 0, v), [${d.join(', ')}]), ${d.map((x) => x.toUpperCase()).join(', ')}) AS RU`,
      Array.from({ length: n - 1 }, (_, i) => `arrayMap(u -> u[${i + 2}], RU) AS R${i + 1}`).join(',\n     '),
    ];
  }
  return pathsSql(ctx);
}
