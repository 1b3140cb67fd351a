/**
 * The funnel engine as one SQL subquery giving one row per counted unit. The rules are the ones
 * documented on the oracle (test/funnels/oracle.ts); this is how ClickHouse evaluates them:
 *
 * 1. Scan the site's events from `from` to `min(now, to + window)`, keep those matching any step or
 *    exclusion (strict mode keeps every event: "no other event between steps" must see them), and
 *    give each a bitmask: bit k = matches step k, bit n+x = matches exclusion x (n steps).
 * 2. Per unit, one sorted array of integer keys (ms since `from`, rank, mask, with a breakdown the
 *    index of the event's value among the sorted distinct values). Rank puts same-millisecond events
 *    in funnel order. Each stored row is one event: ingestion stores an event id once (the spool's
 *    id filter, server/src/wal), so the engine does not read event ids.
 * 3. Per attempt (each step-1 event in `[from, to)`; unordered: each event of any step), each filled
 *    step as a packed (time, position), found by `chains-sql.ts` in work linear in the unit's
 *    events (unordered: each step's first event, sorted into levels); then exclusions, the furthest
 *    step, and the earliest attempt with the best score.
 */
import { type FunnelDefinition, type FunnelQueryRequest, funnelWindowSeconds } from '@funnelhouse/schemas';
import { EVENTS, EVENTS_LOCAL, onEveryShard } from '../clickhouse/shards.ts';
import { alternativesSql, dimensionSql, unitSql } from '../sql/filters.ts';
import type { Params } from '../sql/params.ts';
import { type ChainCtx, chainsSql, POS, POS_BITS, pathValueSql, plainPaths, T } from './chains-sql.ts';

/**
 * Appended to every query built on `unitsSql`. The per-attempt lambdas are chains of cheap `if`s
 * whose branches never fail; evaluating both branches on whole columns beats ClickHouse's
 * short-circuit bookkeeping (measured 5-7 % of the whole query in `pnpm bench`).
 */
export const ENGINE_SETTINGS = "SETTINGS short_circuit_function_evaluation = 'disable'";

export interface UnitsSqlOptions {
  /** Entry range `[from, to)` and the evaluation instant, epoch ms. */
  from: number;
  to: number;
  now: number;
  breakdown?: FunnelQueryRequest['breakdown'];
  /** Force the key's width (tests run both layouts); by default the narrowest that fits. */
  keyType?: KeyLayout['type'];
  /** Per-unit work limit (tests lower it); by default MAX_UNIT_WORK. */
  maxUnitWork?: number;
  /** The events table read (`clickhouse/shards.ts`); by default `EVENTS`. */
  events?: string;
}

/**
 * The work of a unit is counted as its attempts × its events in the unit's array (events matching a
 * step or an exclusion; in strict order all its events); a unit above this limit is not evaluated:
 * it is reported as skipped (`skipped_units`), never silently counted at some step. Finding the
 * steps is linear in the unit's events (`chains-sql.ts`), and so is the exclusion check with plain
 * paths (ordered or strict, no optional step); otherwise each attempt's exclusion check still
 * reads a copy of the unit's exclusion events, so a crawler with 50,000 entries among 50,000
 * excluded events would need 2.5e9 values. 2^23 is ~64 MB of such copies for one unit; a visitor
 * with 2,000 entries among 4,000 funnel events stays inside.
 */
export const MAX_UNIT_WORK = 2 ** 23;

/**
 * One event = one integer key, so a unit's events sort as plain integers (sorting tuples was the
 * slowest part of the query). From the top: ms since `from` | rank (the lowest step matched; all
 * ones for none) | mask (steps, then exclusions) | with a breakdown, the index of the event's value
 * among the sorted distinct values in the scanned range (so the smallest index of a tie group is its
 * smallest value; carrying the values themselves per unit cost more than the rest of the
 * breakdown). Widths follow the query, and the key is a UInt64 whenever they fit (a typical query
 * needs ~45 bits), else a UInt128: grouping and sorting UInt64 arrays is markedly cheaper.
 */
export interface KeyLayout {
  type: 'UInt64' | 'UInt128';
  tsShift: number;
  rankShift: number;
  maskShift: number;
  /** Rank of an event that matches no step. */
  rankNone: number;
  /** Bit of exclusion 0 in the mask (= the number of steps). */
  exclBit: number;
  maskAll: number;
}

/** Breakdown values a key can hold (the index field's width). */
const BD_BITS = 20;
const BD_VALUES = 2 ** BD_BITS;
/** Distinct breakdown values a query can pack into its sort key (2^20). */
export const MAX_BREAKDOWN_VALUES = BD_VALUES;

const bitLength = (v: number) => (v <= 0 ? 0 : Math.floor(Math.log2(v)) + 1);

/** The key's fields for a definition, a scanned span of `spanMs` and whether there is a breakdown. */
export function keyLayout(
  def: FunnelDefinition,
  spanMs: number,
  breakdown: boolean,
  type?: KeyLayout['type'],
): KeyLayout {
  const n = def.steps.length;
  const maskBits = n + (def.exclusions?.length ?? 0);
  const rankBits = bitLength(n);
  const maskShift = breakdown ? BD_BITS : 0;
  const rankShift = maskShift + maskBits;
  const tsShift = rankShift + rankBits;
  return {
    type: type ?? (tsShift + bitLength(spanMs) <= 64 ? 'UInt64' : 'UInt128'),
    tsShift,
    rankShift,
    maskShift,
    rankNone: 2 ** rankBits - 1,
    exclBit: n,
    maskAll: 2 ** maskBits - 1,
  };
}
/** The message the query raises (throwIf) past that many values; the API turns it into a 400. */
export const TOO_MANY_BREAKDOWN_VALUES = 'too many distinct breakdown values';

function maskSql(def: FunnelDefinition, p: Params): string {
  const n = def.steps.length;
  const steps = def.steps.map((s, k) => `if(${alternativesSql(s.match, p)}, ${2 ** k}, 0)`);
  const excl = (def.exclusions ?? []).map((x, i) => `if(${alternativesSql(x.match, p)}, ${2 ** (n + i)}, 0)`);
  return `toUInt64(${[...steps, ...excl].join(' + ')})`;
}

/** What the generators share: the definition and the placeholders bound once per query. */
interface Ctx {
  def: FunnelDefinition;
  key: KeyLayout;
  /** Window in ms. */
  w: string;
  minGap: (string | undefined)[];
  maxGap: (string | undefined)[];
}

/*
 * Attempts carry each filled step as one packed value, time << 24 | position (0 = unfilled), so the
 * per-attempt lambdas read times without capturing the unit's time array (a captured array is
 * copied for every attempt). Times are below 2^36 ms (two years), positions below 2^24
 * (`POS_BITS`, `T` and `POS` in chains-sql.ts).
 */

function scoreSql(ctx: Ctx): string {
  const { def } = ctx;
  const n = def.steps.length;
  const reached: string[] = [];
  const required: string[] = [];
  for (let k = 0; k < n; k++) {
    reached.push(`if(P${k} != 0${required.map((r) => ` AND ${r}`).join('')}, ${k + 1}, 0)`);
    if (!def.steps[k]?.optional) required.push(`P${k} != 0`);
  }
  // Plain paths fill a prefix of the steps (P0, the entry, always): count the filled ones.
  const furthest = plainPaths(def)
    ? `toUInt8(1${Array.from({ length: n - 1 }, (_, k) => ` + (P${k + 1} != 0)`).join('')})`
    : `greatest(${reached.join(', ')})`;
  const wholeUnit = def.exclusion_mode === 'unit';
  const discards = (def.exclusions ?? []).map((x, i) => {
    const a = `P${x.from_step - 1}`;
    const b = `P${x.to_step - 1}`;
    if (plainPaths(def)) {
      // X${i}: the time of the first X event after step a's (exclusionsSql); a precedes b.
      const inside = wholeUnit
        ? `if(${b} != 0, X${i} < ${T(b)}, X${i} <= ${T('P0')} + ${ctx.w})`
        : `X${i} < ${T(b)}`;
      return `(${a} != 0${wholeUnit ? '' : ` AND ${b} != 0`} AND ${inside})`;
    }
    // xt: times of this exclusion's events (usually none), so the check copies little per attempt.
    const between = `t > least(${T(a)}, ${T(b)}) AND t < greatest(${T(a)}, ${T(b)})`;
    if (!wholeUnit) {
      return `(${a} != 0 AND ${b} != 0 AND notEmpty(xt${i}) AND arrayExists(t -> ${between}, xt${i}))`;
    }
    // Unit mode: with b never reached, any X after a inside the attempt's window counts too.
    const inside = `if(${b} != 0, ${between}, t > ${T(a)} AND t <= ${T('P0')} + ${ctx.w})`;
    return `(${a} != 0 AND notEmpty(xt${i}) AND arrayExists(t -> ${inside}, xt${i}))`;
  });
  if (discards.length === 0) return furthest;
  return `if(${discards.join(' OR ')}, ${wholeUnit ? EXCLUDED : 0}, ${furthest})`;
}

/** Unit-mode score of an excluded attempt: above any step, so one such attempt drops the unit. */
const EXCLUDED = 255;

function furthestSql(def: FunnelDefinition): string {
  if (def.exclusion_mode !== 'unit' || !def.exclusions?.length) return 'arrayMax(S)';
  return `if(has(S, ${EXCLUDED}), 0, arrayMax(S))`;
}

/** Past every time in a unit (times are below 2^36 ms). */
const NEVER = 2 ** 40;

/**
 * Per exclusion, its events' times (usually none, so the per-attempt check copies little). With
 * plain paths, instead, per position the time of the first X event strictly later than that
 * position's (NX; NEVER for none), read at each attempt's step a (`exclusionsSql`): an X lies
 * strictly between a and b exactly when that time is before b's. Same-ms events are adjacent, so
 * the first X at or after each position, read at the position after its ms's last event, is it.
 */
function helperArraysSql(def: FunnelDefinition, key: KeyLayout): string[] {
  if (plainPaths(def) && def.exclusions?.length) {
    const last = `arrayMap((v, u) -> ${T('v')} != ${T('u')}, pk, arrayShiftLeft(pk, 1))`;
    const nx = def.exclusions.map((_, i) => {
      const bit = key.exclBit + i;
      const times = `arrayMap((v, x) -> if(bitTest(x, ${bit}), ${T('v')}, ${NEVER}), pk, m)`;
      const firstFrom = `arrayReverseFill((t, x) -> bitTest(x, ${bit}), ${times}, m)`;
      return `arrayReverseFill((t, l) -> l, arrayShiftLeft(${firstFrom}, 1, ${NEVER}), lastOfMs) AS NX${i}`;
    });
    return [`${last} AS lastOfMs`, nx.join(',\n     ')];
  }
  const out = (def.exclusions ?? []).map(
    (_, i) =>
      `arrayMap(v -> ${T('v')}, arrayFilter((v, x) -> bitTest(x, ${key.exclBit + i}), pk, m)) AS xt${i}`,
  );
  return out.length > 0 ? [out.join(', ')] : [];
}

/**
 * The per-unit subquery (with `every_touch` attribution, one row per unit and breakdown value).
 * Columns: unit, furthest (1-based step), levels (steps counted),
 * from_entry / from_prev (ms per level), in_progress, window_open (its latest entry's window has not
 * closed, converted or not: the unit is not yet a mature cohort member), entry_ms, bd (breakdown value or ''),
 * skipped (1: over the work limit, not evaluated; furthest 0, the single level 0 with times 0, entry_ms
 * 0, no value).
 */
export function unitsSql(def: FunnelDefinition, o: UnitsSqlOptions, p: Params): string {
  const windowMs = funnelWindowSeconds(def) * 1000;
  const end = Math.min(o.now, o.to + windowMs);
  const ctx: Ctx = {
    def,
    key: keyLayout(def, end - o.from, o.breakdown !== undefined, o.keyType),
    w: p.bind('Int64', windowMs),
    minGap: def.steps.map((s) => (s.min_gap_seconds ? p.bind('Int64', s.min_gap_seconds * 1000) : undefined)),
    maxGap: def.steps.map((s) =>
      s.max_gap_seconds !== undefined ? p.bind('Int64', s.max_gap_seconds * 1000) : undefined,
    ),
  };
  const from = p.bind('Int64', o.from);
  const scanEnd = p.bind('Int64', end);
  const bd = o.breakdown
    ? breakdownValuesSql(dimensionSql(o.breakdown.dimension, p), from, scanEnd, o.events ?? EVENTS)
    : undefined;
  let q = perUnitSql(ctx, p, from, scanEnd, bd, o.events ?? EVENTS);
  // Each layer materialises its columns: ClickHouse would otherwise inline every alias into its
  // users, and the unrolled steps would grow the query tree exponentially.
  // One layer per line block, innermost first in reading order once indented: a reviewer reads
  // the golden SQL (test/funnels/__sql__) from the scan outwards.
  for (const layer of layersSql(ctx, o, p, from, bd)) {
    const [cols, where] = typeof layer === 'string' ? [layer, ''] : layer;
    q = `SELECT *,\n     ${cols}\nFROM (${indent(q)}\n)${where ? `\nWHERE ${where}` : ''}`;
  }
  // every_touch attribution: one row per unit and value (the value list is `bds`).
  const perValue = o.breakdown?.attribution === 'every_touch' ? '\nARRAY JOIN bds AS bd' : '';
  return `
SELECT unit, furthest, levels, from_entry, from_prev, in_progress, window_open, entry_ms, bd, skipped
FROM (${q})${perValue}
WHERE furthest > 0 OR skipped = 1`;
}

/**
 * The units query on this topology. On a cluster with the visitor as unit, it runs whole on
 * every shard against the local table (all of a visitor's events are on its shard, so each
 * shard's units are complete) and the shards' unit rows are the answer's rows. Any other unit
 * (session, user, a property) may span shards: the query reads the Distributed table and groups
 * the units on the initiator, as on one node. ARCHITECTURE.md has the argument.
 */
export function unitsSqlOn(
  def: FunnelDefinition,
  o: UnitsSqlOptions,
  p: Params,
  cluster: string | undefined,
): string {
  if (!cluster || (def.unit ?? 'visitor') !== 'visitor') return unitsSql(def, o, p);
  return `
SELECT * FROM ${onEveryShard(unitsSql(def, { ...o, events: EVENTS_LOCAL }, p), cluster)}`;
}

const indent = (sql: string) => sql.replaceAll('\n', '\n  ');

interface BreakdownValues {
  /** The breakdown expression on an event. */
  dim: string;
  /** A scalar subquery: the sorted distinct values in the scanned range (computed once per query). */
  vals: string;
}

function breakdownValuesSql(dim: string, from: string, scanEnd: string, events: string): BreakdownValues {
  const vals = `(SELECT arraySort(groupUniqArray(${dim})) FROM ${events}
      WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli(${from}) AND ts < fromUnixTimestamp64Milli(${scanEnd}))`;
  return { dim, vals };
}

/** Steps 1–2: the scan with one packed key per event, then one sorted key array per unit. */
function perUnitSql(
  { def, key }: Ctx,
  p: Params,
  from: string,
  scanEnd: string,
  bd: BreakdownValues | undefined,
  events: string,
): string {
  const unit = unitSql(def.unit ?? 'visitor', p);
  const mask = maskSql(def, p);
  const t = key.type;
  const value = bd
    ? `\n        + to${t}(transform(${bd.dim}, ${bd.vals}, range(toUInt64(length(${bd.vals}))), 0))`
    : '';
  // More distinct values than the key has room for would corrupt the mask bits: refuse instead.
  const guard = bd
    ? `\n      AND throwIf(length(${bd.vals}) > ${BD_VALUES}, '${TOO_MANY_BREAKDOWN_VALUES}') = 0`
    : '';
  const scan = `
    SELECT
      ${unit} AS unit,
      ${mask} AS mask,
      bitAnd(mask, ${2 ** def.steps.length - 1}) AS sm,
      bitShiftLeft(to${t}(toUnixTimestamp64Milli(ts) - ${from}), ${key.tsShift})
        + bitShiftLeft(to${t}(if(sm = 0, ${key.rankNone}, bitCount(bitXor(sm, sm - 1)) - 1)), ${key.rankShift})
        + bitShiftLeft(to${t}(mask), ${key.maskShift})${value} AS key
    FROM ${events}
    WHERE site_id = {site:String}
      AND ts >= fromUnixTimestamp64Milli(${from})
      AND ts < fromUnixTimestamp64Milli(${scanEnd})
      AND unit != ''${def.order === 'strict' ? '' : '\n      AND mask != 0'}${guard}`;
  return `
    SELECT unit, arraySort(groupArray(key)) AS ks
    FROM (${scan})
    GROUP BY unit`;
}

/** Step 3 and the outputs, one SELECT layer each. Times in the arrays are ms since `from`. */
function layersSql(
  ctx: Ctx,
  o: UnitsSqlOptions,
  p: Params,
  from: string,
  bd: BreakdownValues | undefined,
): (string | [string, string])[] {
  const { def, key } = ctx;
  const n = def.steps.length;
  const to = p.bind('Int64', o.to - o.from);
  const now = p.bind('Int64', o.now - o.from);
  const entersAt = def.order === 'unordered' ? `bitAnd(x, ${2 ** n - 1}) != 0` : 'bitTest(x, 0)';
  // The attempts: every entry in the range (v: packed value, x: mask); none for a skipped unit.
  // `e0`: per position, 1 for an entry in the range; computed once, read by every filter.
  const entry = '(h, e) -> e > skipped';
  const chainCtx: ChainCtx = {
    def,
    w: ctx.w,
    minGap: ctx.minGap,
    maxGap: ctx.maxGap,
    atEntries: (a) => `arrayFilter(${entry}, ${a}, e0)`,
    maskAll: key.maskAll,
  };
  const positions = chainsSql(chainCtx);
  return [
    `arrayMap(x -> toUInt32(bitAnd(bitShiftRight(x, ${key.maskShift}), ${key.maskAll})), ks) AS m,
     arrayMap((x, i) -> bitShiftLeft(toInt64(bitShiftRight(x, ${key.tsShift})), ${POS_BITS}) + i, ks, arrayEnumerate(ks)) AS pk`,
    // Units without an entry in the range are dropped here. A unit over the work limit keeps no
    // attempts.
    [
      `arrayMap((v, x) -> toUInt8(${entersAt} AND ${T('v')} < ${to}), pk, m) AS e0,
     arraySum(e0) AS entries,
     toUInt8(entries * length(m) > ${p.bind('UInt64', o.maxUnitWork ?? MAX_UNIT_WORK)}) AS skipped,
     arrayFilter(${entry}, pk, e0) AS A0`,
      'entries > 0',
    ],
    ...helperArraysSql(def, key),
    ...positions,
    ...exclusionsSql(ctx, chainCtx),
    `arrayMap((${lambdas(n)}${xParams(def)}) -> ${scoreSql(ctx)}, ${arrays(n)}${xParams(def)}) AS S`,
    `${furthestSql(def)} AS furthest, indexOf(S, furthest) AS ci`,
    `[${Array.from({ length: n }, (_, k) => POS(`A${k}[ci]`)).join(', ')}] AS cpos`,
    // Unfilled steps get time 0 (and position 0).
    `[${Array.from({ length: n }, (_, k) => T(`A${k}[ci]`)).join(', ')}] AS cts`,
    ...outputsSql(ctx),
    `toUInt8(skipped = 0 AND ${T('A0[-1]')} + ${ctx.w} >= ${now}) AS window_open,
     toUInt8(window_open = 1 AND furthest < ${n}) AS in_progress,
     if(skipped = 1, 0, cts[1] + ${from}) AS entry_ms,
     ${breakdownSql(o, key, bd)} AS ${o.breakdown?.attribution === 'every_touch' ? 'bds' : 'bd'}`,
  ];
}

/** With plain paths, per attempt and exclusion, `NX{i}` at the attempt's event at step a. */
function exclusionsSql(ctx: Ctx, chainCtx: ChainCtx): string[] {
  if (!plainPaths(ctx.def) || !ctx.def.exclusions?.length) return [];
  const xs = ctx.def.exclusions.map(
    (x, i) => `${chainCtx.atEntries(pathValueSql(chainCtx, x.from_step - 1, `NX${i}`))} AS X${i}`,
  );
  return [xs.join(',\n     ')];
}

/** The per-attempt exclusion arrays the score reads (`exclusionsSql`), as `, X0, X1`. */
const xParams = (def: FunnelDefinition) =>
  plainPaths(def) ? (def.exclusions ?? []).map((_, i) => `, X${i}`).join('') : '';

const lambdas = (k: number) => Array.from({ length: k }, (_, i) => `P${i}`).join(', ');
const arrays = (k: number) => Array.from({ length: k }, (_, i) => `A${i}`).join(', ');

/**
 * levels (steps counted: up to the furthest, required or filled), from_entry and from_prev (ms).
 * In ordered and strict mode filled steps are in time order, so the times of the filled steps are
 * the times each level was reached; in any order a level is reached at the latest time among the
 * steps up to it.
 */
function outputsSql(ctx: Ctx): string[] {
  const n = ctx.def.steps.length;
  // A skipped unit (furthest 0) gets the single level 0 with times 0, so that the levels query
  // counts it without a LEFT ARRAY JOIN: the ranges start at 0 for it, at 1 otherwise.
  const first = '(1 - skipped)';
  const upTo = (a: string) => `arraySlice(${a}, 1, furthest + skipped)`;
  if (ctx.def.order !== 'any' && ctx.def.steps.every((s) => !s.optional)) {
    // Every step up to the furthest is filled, in time order.
    return [
      `range(${first}, furthest + 1) AS levels,
     arrayDifference(${upTo('cts')}) AS from_prev`,
      'arrayCumSum(from_prev) AS from_entry',
    ];
  }
  if (ctx.def.order !== 'any') {
    return [
      `arrayFilter((k, c) -> c != 0 OR k = 0, range(${first}, furthest + 1), ${upTo('cpos')}) AS levels,
     arrayDifference(arrayFilter((t, c) -> c != 0 OR skipped = 1, ${upTo('cts')}, ${upTo('cpos')})) AS from_prev`,
      'arrayCumSum(from_prev) AS from_entry',
    ];
  }
  const req = `[${ctx.def.steps.map((s) => (s.optional ? 0 : 1)).join(', ')}]`;
  return [
    `arrayMap(k -> arrayMax(arraySlice(cts, 1, k)), range(1, ${n + 1})) AS reach,
     arrayFilter(k -> k = 0 OR (k <= furthest AND (${req}[k] = 1 OR cpos[k] != 0)), range(${first}, ${n + 1})) AS levels`,
    `arrayMap(k -> reach[k] - cts[1], levels) AS from_entry,
     arrayMap((k, i) -> if(i = 1, 0, reach[k] - reach[levels[i - 1]]), levels, arrayEnumerate(levels)) AS from_prev`,
  ];
}

/**
 * The breakdown value of the chosen attempt's event at the breakdown step; among events tied with
 * it (same ms, same steps), the smallest value, so that the answer does not depend on their order.
 * Keys sort by value index within a tie group, so the group's first key holds the smallest.
 */
function breakdownSql(o: UnitsSqlOptions, key: KeyLayout, bd: BreakdownValues | undefined): string {
  if (!o.breakdown || !bd) return "''";
  // The value of the event at position `c` (1-based in ks).
  const valueAt = (c: string) => {
    const tie = `bitShiftRight(ks[${c}], ${key.maskShift})`;
    const first = `arrayFirst(x -> bitShiftRight(x, ${key.maskShift}) = ${tie}, ks)`;
    return `${bd.vals}[toUInt32(bitAnd(${first}, ${BD_VALUES - 1})) + 1]`;
  };
  const attribution = o.breakdown.attribution ?? 'counted_step';
  if (attribution === 'counted_step') {
    const at = o.breakdown.at_step ?? 1;
    return `if(cpos[${at}] = 0, '', ${valueAt(`cpos[${at}]`)})`;
  }
  // Touch attribution: the values of the events at the reached steps, in the unit's order.
  const events = `arraySort(arrayFilter(c -> c != 0, arraySlice(cpos, 1, furthest)))`;
  const values = `arrayFilter(v -> v != '', arrayMap(c -> ${valueAt('c')}, ${events}))`;
  if (attribution === 'every_touch') return `if(empty(${values}), [''], arraySort(arrayDistinct(${values})))`;
  return attribution === 'first_touch' ? `arrayFirst(v -> 1, ${values})` : `arrayLast(v -> 1, ${values})`;
}
