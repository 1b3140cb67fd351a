/**
 * The attempts' filled steps (`units-sql.ts` step 3) in work linear in a unit's events. The rules
 * are the oracle's (test/funnels/oracle.ts). Searching each step's events per attempt, in a lambda,
 * copies the events it captures once per attempt (attempts × events: a heavy unit ran out of
 * memory). Here every search runs once over the unit's positions, and attempts only read results:
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
  /** Per attempt, the values of a per-position array at the attempts' entries (as `A0` is of `pk`). */
  atEntries: (perPosition: string) => string;
  /** Mask with every bit set (the sentinel past the unit's last event). */
  maskAll: number;
}

const order = (def: FunnelDefinition) => def.order ?? 'ordered';

/**
 * `v` moved one position earlier (`pk1`, `m1`: the next event's packed value and mask, past the
 * last event 0 and a mask matching every step), so that "after p" reads "from p on".
 */
const shifted = (v: string) => (v === 'pk' ? 'pk1' : `arrayShiftLeft(${v}, 1)`);

/** Over positions: `v` at the first step-j event after (`from`: at or after) each position; 0 for none. */
function firstOf(ctx: ChainCtx, v: string, j: number, from = false): string {
  if (!from) return `arrayReverseFill((a, x) -> bitTest(x, ${j}), ${shifted(v)}, m1)`;
  return `arrayPopBack(arrayReverseFill((a, x) -> bitTest(x, ${j}), arrayPushBack(${v}, 0), arrayPushBack(m, ${ctx.maskAll})))`;
}

/**
 * Over positions: `v` at the first step-j event at least `gap` ms after each position; 0 for none.
 * One sort of the step's events (keyed by their packed value) with one query per position (keyed
 * by time + gap with position 0, so below every event of that ms), then a reverse fill hands each
 * query the next event's value. Queries grow with the position, so they come out in its order.
 */
function firstAfterGap(v: string, j: number, gap: string): string {
  const keys = `arrayConcat(arrayFilter((a, x) -> bitTest(x, ${j}), pk, m), arrayMap(a -> bitShiftLeft(${T('a')} + ${gap}, ${POS_BITS}), pk))`;
  const sortedKeys = `arraySort(${keys})`;
  const queries = (filled: string) => `arrayFilter((a, k) -> ${POS('k')} = 0, ${filled}, ${sortedKeys})`;
  if (v === 'pk') {
    // The events' values are their keys: one sort; a query with no event after keeps its own key.
    const filled = `arrayReverseFill(k -> ${POS('k')} != 0, ${sortedKeys})`;
    return `arrayMap(k -> if(${POS('k')} = 0, 0, k), ${queries(filled)})`;
  }
  const values = `arrayConcat(arrayFilter((a, x) -> bitTest(x, ${j}), ${v}, m), arrayMap(a -> 0, pk))`;
  return queries(
    `arrayReverseFill((a, k) -> ${POS('k')} != 0, arraySort((a, k) -> k, ${values}, ${keys}), ${sortedKeys})`,
  );
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
  return `arrayMap((a, x) -> if(bitTest(x, ${j}), a, 0), ${shifted(v)}, m1)`;
}

/** `C{t}`: step t's candidate after each position, with the gaps from that position checked. */
function candidateSql(ctx: ChainCtx, t: number): string {
  const strict = order(ctx.def) === 'strict';
  const raw = stepSearch(ctx, 'pk', t);
  const checks = ['c != 0'];
  const entryBased = order(ctx.def) === 'any' || order(ctx.def) === 'unordered';
  // any/unordered search from the entry itself, so its window applies here.
  if (entryBased) checks.push(`${T('c')} - ${T('v')} <= ${ctx.w}`);
  if (strict && ctx.minGap[t]) checks.push(`${T('c')} - ${T('v')} >= ${ctx.minGap[t]}`);
  if (ctx.maxGap[t]) checks.push(`${T('c')} - ${T('v')} <= ${ctx.maxGap[t]}`);
  if (checks.length === 1) return `${raw} AS C${t}`;
  return `arrayMap((c, v) -> if(${checks.join(' AND ')}, c, 0), ${raw}, pk) AS C${t}`;
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

// One pass each (popping the front and pushing a sentinel copied the array twice).
const shiftedSql = (ctx: ChainCtx) =>
  `arrayShiftLeft(pk, 1) AS pk1, arrayShiftLeft(m, 1, ${ctx.maskAll}) AS m1`;

/** Per attempt, the smallest packed value past its window: (entry time + window + 1) << POS_BITS. */
const deadlineSql = (ctx: ChainCtx) =>
  `arrayMap(e -> bitShiftLeft(${T('e')} + ${ctx.w} + 1, ${POS_BITS}), A0) AS DL`;

/** Whether step t's candidate has checks beyond existing (its gaps, in strict order the minimum too). */
const checked = (ctx: ChainCtx, t: number) =>
  ctx.maxGap[t] !== undefined || (order(ctx.def) === 'strict' && ctx.minGap[t] !== undefined);

/**
 * Whether each attempt's path is one nested lookup per step (ordered or strict, no optional
 * step): then step j is filled only if every step before it is, and `pathValueSql` follows it.
 */
export const plainPaths = (def: FunnelDefinition) =>
  (order(def) === 'ordered' || order(def) === 'strict') && def.steps.every((s) => !s.optional);

/**
 * Over positions (with `plainPaths`): `v` at step j's event on the path entered at each position
 * (0 when unfilled). Gap checks are left out: a caller reads it only where `A{j}` is filled, and
 * then every candidate on the way passed them, so the unchecked lookups follow the same events.
 */
export function pathValueSql(ctx: ChainCtx, j: number, v: string): string {
  let h = v;
  for (let t = j; t >= 1; t--) h = stepSearch(ctx, h, t);
  return h;
}

/** Per step after the first, the attempts' filled events `A1..` (ordered and strict). */
function pathsSql(ctx: ChainCtx): string[] {
  const { def } = ctx;
  const n = def.steps.length;
  const candidates = Array.from({ length: n - 1 }, (_, i) => candidateSql(ctx, i + 1)).join(',\n     ');
  // The window keeps a prefix of each attempt's path.
  // (`DL`: per attempt, the packed value just past its window, so that one comparison checks both
  // "filled" and "inside the window".)
  const within = (j: number, path: string) =>
    `arrayMap((a, d) -> if(a < d, a, 0), ${ctx.atEntries(path)}, DL) AS A${j}`;
  if (plainPaths(def)) {
    // Each state has one next step, so H{j}_{s} is used once (by H{j}_{s-1}): one nested
    // expression per step, in one layer (fewer layers plan faster).
    const paths = Array.from({ length: n - 1 }, (_, i) => {
      const j = i + 1;
      let h = `C${j}`;
      for (let t = j - 1; t >= 1; t--) {
        const l = stepSearch(ctx, h, t);
        // Without checks, C{t} is 0 exactly when no event follows, and then so is the lookup.
        h = checked(ctx, t) ? `arrayMap((c, l) -> if(c != 0, l, 0), C${t}, ${l})` : l;
      }
      return within(j, h);
    });
    return [`${shiftedSql(ctx)},\n     ${deadlineSql(ctx)}`, candidates, paths.join(',\n     ')];
  }
  const layers: string[] = [`${shiftedSql(ctx)},\n     ${deadlineSql(ctx)}`, candidates];
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
  layers.push(Array.from({ length: n - 1 }, (_, i) => within(i + 1, `H${i + 1}_0`)).join(',\n     '));
  return layers;
}

/**
 * The layers giving `A1..A{n-1}` (per attempt, step k's packed event; unordered: the event reaching
 * level k + 1) from the unit's packed values `pk`, masks `m` and entries `A0`, each layer one
 * SELECT so that ClickHouse materialises it.
 */
export function chainsSql(ctx: ChainCtx): string[] {
  const { def } = ctx;
  const n = def.steps.length;
  if (order(def) === 'any') {
    return [
      shiftedSql(ctx),
      Array.from({ length: n - 1 }, (_, i) => candidateSql(ctx, i + 1)).join(',\n     '),
      Array.from({ length: n - 1 }, (_, i) => `${ctx.atEntries(`C${i + 1}`)} AS A${i + 1}`).join(',\n     '),
    ];
  }
  if (order(def) === 'unordered') {
    const d = Array.from({ length: n }, (_, j) => `d${j}`);
    return [
      Array.from({ length: n }, (_, j) => candidateSql(ctx, j)).join(',\n     '),
      Array.from({ length: n }, (_, j) => `${ctx.atEntries(`C${j}`)} AS D${j}`).join(',\n     '),
      // Sorted with the undone (0) last: A{k} reaches level k + 1 (see units-sql.ts).
      `arrayMap((${d.join(', ')}) -> arraySort(v -> (v = 0, v), [${d.join(', ')}]), ${d.map((x) => x.toUpperCase()).join(', ')}) AS U`,
      Array.from({ length: n - 1 }, (_, i) => `arrayMap(u -> u[${i + 2}], U) AS A${i + 1}`).join(',\n     '),
    ];
  }
  return pathsSql(ctx);
}
