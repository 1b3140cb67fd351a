/**
 * A brute-force funnel oracle: evaluates a definition over raw events exactly as the rules are
 * written, one unit, one attempt and one event at a time. Slow on purpose; it exists to be read
 * and to be compared with the ClickHouse engine.
 *
 * The rules it implements:
 * - Only events with `ts < now`, `ts >= from`, a non-empty unit value count. Every stored event
 *   counts: ingestion stores an event id once (test/integration/once-per-id.test.ts, and end to end
 *   for funnels in funnels-api.test.ts), so neither the engine nor the oracle looks at ids.
 * - A unit's events are taken in time order; events at the same millisecond are taken in funnel
 *   order (an event matching an earlier step first; events matching no step last). Events that tie
 *   on time and on the steps and exclusions they match are interchangeable, except for their
 *   breakdown value: the breakdown value of an event is the smallest among the events tied with it.
 * - Every step-1 event with `from <= ts < to` starts an attempt (unordered: every event matching
 *   any step). Nothing later than `entry + window` (inclusive) belongs to it.
 * - ordered/strict: from the last step filled, the next steps that may be filled are the following
 *   optional ones and the first required one. The first event after it (strict: only the very next
 *   event) that matches one of them with its gap from the last filled step inside
 *   [min_gap, max_gap] fills the lowest such step. Otherwise the attempt ends.
 * - any: each later step is filled by its first matching event after the entry, within the window.
 *   One event may fill several steps.
 * - unordered (PostHog's "unordered"; no optional steps, no gaps): each step is done by its first
 *   matching event from the entry on (the entry included, in the unit's order), within the window.
 *   One event may do several steps. Step k here means "k distinct steps done": the events that
 *   did a step, taken in the unit's order, reach levels 1, 2, … (an event doing two steps reaches
 *   two levels at once), so step k is reached at the k-th of them, which is also the event whose
 *   breakdown value `at_step: k` takes. Exclusions and timings read these levels as the steps.
 * - An attempt reaches step k when k is filled and every required step before k is filled.
 * - Exclusions (X between steps a and b), two rules side by side (`exclusion_mode`):
 *   - `attempt` (default): an attempt that filled a and b and has an X event strictly between
 *     their times is discarded; the unit's other attempts still count.
 *   - `unit`: an attempt that filled a is excluded when an X event lies strictly between the
 *     times of a and b, or, when b was not filled, strictly after a and no later than
 *     `entry + window` (so a unit that gave up after X is excluded too). One excluded attempt
 *     drops the whole unit: it is not counted at all, whatever its other attempts reached.
 *   Neither is PostHog's rule, and `unit` was called `person` until that was found out. PostHog
 *   (funnel-udf/src/steps.rs) drops a person only when the attempt holding its furthest step is
 *   excluded: a later clean attempt that gets as far rescues it, and an X after a retry's entry
 *   but more than a window after the first entry does not drop it. The hand cases in
 *   cases.test.ts ("PostHog's exclusion tests") show each difference with PostHog's numbers.
 * - The unit counts once, at the furthest step any kept attempt reached; ties go to the earliest
 *   attempt, whose times give the timings. A unit whose every attempt was discarded is not counted.
 * - Breakdown value (`attribution`), always from the counted attempt, with the unit's one outcome
 *   (steps, times) in each of its groups: `counted_step` (default): the value of the counted
 *   attempt's event at `at_step` (default 1), none when that step was not filled.
 *   `first_touch` / `last_touch`: among the counted attempt's events at the steps it reached
 *   (filled, up to the furthest), in the unit's order, the first / the last whose value is not
 *   empty; none when every one is empty. `every_touch`: every distinct non-empty value among those
 *   events; the unit belongs to each of their groups (to "none" when there is none). It counts
 *   once overall and once in "other" however many of its values fall there, so group shares may
 *   sum to more than 1. PostHog's `step` and `all_events` (our former names) instead evaluate the
 *   funnel once per value, through the events carrying it (at the breakdown step, or at every
 *   step), so a unit can sit in a group at a step its counted attempt did not reach, or in two
 *   groups at different steps; see the hand cases "PostHog's breakdown attribution".
 * - Window open: the unit's latest entry's window has not closed (`entry + window >= now`),
 *   converted or not. In progress: window open and the last step not reached.
 * - Cohorts: by default every counted unit counts at its steps. With mature cohorts only units
 *   whose window is closed count (the unbiased rate on a range younger than the window); units
 *   with an open window are left out whatever they reached, and their number is reported.
 * - Work limit: a unit's work is its attempts (entries, as above) × its events that match a step or an exclusion (in
 *   strict order all its events), from `from` to `min(now, to + window)`. A unit whose work is above
 *   `maxUnitWork` is skipped: reported (as the single level 0), counted at no step.
 */
import type { FunnelBreakdown, FunnelDefinition } from '@funnelhouse/schemas';
import { MAX_UNIT_WORK } from '@funnelhouse/server';
import { anyAlternativeMatches, dimensionOf, type OracleEvent, unitOf } from './oracle-match.ts';

export interface OracleOptions {
  from: number;
  to: number;
  now: number;
  breakdown?: FunnelBreakdown;
  /** Default: the engine's MAX_UNIT_WORK. */
  maxUnitWork?: number;
}

/** What one unit contributes. Steps are 1-based. */
export interface UnitOutcome {
  unit: string;
  /** The furthest step reached by the counted attempt. */
  furthest: number;
  /** The steps counted for the unit: every step up to `furthest` that is required or was filled. */
  levels: number[];
  /** Per level: ms from the entry to the moment the unit reached that step. */
  fromEntry: number[];
  /** Per level: ms from reaching the previous counted level (0 for the entry). */
  fromPrevious: number[];
  inProgress: boolean;
  /** The latest entry's window is still open (converted or not). */
  windowOpen: boolean;
  entryTs: number;
  breakdown: string;
  /** Over the work limit: not evaluated (furthest 0, the single level 0 at 0 ms, entryTs 0, no breakdown). */
  skipped: boolean;
}

interface Prepared {
  e: OracleEvent;
  steps: boolean[];
  excl: boolean[];
  rank: number;
}

const DAY_MS = 86_400_000;

const maskOf = (bits: boolean[]) => bits.reduce((m, b, i) => m + (b ? 2 ** i : 0), 0);

/** The smallest breakdown value among the events tied with `x` (same ms, same steps and exclusions). */
function tiedValue(ev: Prepared[], x: Prepared, o: OracleOptions): string {
  const d = o.breakdown?.dimension;
  if (!d) return '';
  const tied = ev.filter(
    (y) => y.e.ts === x.e.ts && maskOf(y.steps) === maskOf(x.steps) && maskOf(y.excl) === maskOf(x.excl),
  );
  return tied.map((y) => dimensionOf(d, y.e)).sort()[0] ?? '';
}

/**
 * Evaluates the funnel; one outcome per counted unit, ordered by unit (with `every_touch`
 * attribution, one per unit and value, ordered by unit and value).
 */
export function oracleFunnel(events: OracleEvent[], def: FunnelDefinition, o: OracleOptions): UnitOutcome[] {
  const byUnit = new Map<string, OracleEvent[]>();
  for (const e of events) {
    const u = unitOf(def.unit ?? 'visitor', e);
    if (u === '' || e.ts >= o.now || e.ts < o.from) continue;
    byUnit.set(u, [...(byUnit.get(u) ?? []), e]);
  }
  const out: UnitOutcome[] = [];
  for (const [unit, evs] of [...byUnit].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(...evaluateUnit(unit, evs, def, o));
  }
  return out;
}

function prepare(evs: OracleEvent[], def: FunnelDefinition): Prepared[] {
  const p = evs.map((e) => {
    const steps = def.steps.map((s) => anyAlternativeMatches(s.match, e));
    const excl = (def.exclusions ?? []).map((x) => anyAlternativeMatches(x.match, e));
    const first = steps.indexOf(true);
    return { e, steps, excl, rank: first === -1 ? 99 : first };
  });
  return p.sort(
    (a, b) =>
      a.e.ts - b.e.ts ||
      a.rank - b.rank ||
      maskOf(a.excl) - maskOf(b.excl) ||
      maskOf(a.steps) - maskOf(b.steps),
  );
}

/** Step index (0-based) → event index, for one attempt. */
type Filled = Map<number, number>;

function runOrdered(ev: Prepared[], entry: number, def: FunnelDefinition, windowMs: number): Filled {
  const filled: Filled = new Map([[0, entry]]);
  const n = def.steps.length;
  const strict = def.order === 'strict';
  let last = entry;
  let lastStep = 0;
  while (lastStep < n - 1) {
    const fillable: number[] = [];
    for (let s = lastStep + 1; s < n; s++) {
      fillable.push(s);
      if (!def.steps[s]?.optional) break;
    }
    let next: { j: number; s: number } | undefined;
    for (let j = last + 1; j < ev.length; j++) {
      const e = ev[j] as Prepared;
      if (e.e.ts - (ev[entry] as Prepared).e.ts > windowMs) break;
      const gap = e.e.ts - (ev[last] as Prepared).e.ts;
      const s = fillable.find((k) => {
        const st = def.steps[k];
        const min = (st?.min_gap_seconds ?? 0) * 1000;
        const max = st?.max_gap_seconds === undefined ? Number.POSITIVE_INFINITY : st.max_gap_seconds * 1000;
        return e.steps[k] && gap >= min && gap <= max;
      });
      if (s !== undefined) {
        next = { j, s };
        break;
      }
      if (strict) break;
    }
    if (!next) break;
    filled.set(next.s, next.j);
    last = next.j;
    lastStep = next.s;
  }
  return filled;
}

function runAny(ev: Prepared[], entry: number, def: FunnelDefinition, windowMs: number): Filled {
  const filled: Filled = new Map([[0, entry]]);
  const entryTs = (ev[entry] as Prepared).e.ts;
  for (let s = 1; s < def.steps.length; s++) {
    for (let j = entry + 1; j < ev.length; j++) {
      const e = ev[j] as Prepared;
      if (e.e.ts - entryTs > windowMs) break;
      if (e.steps[s]) {
        filled.set(s, j);
        break;
      }
    }
  }
  return filled;
}

/** Unordered: level index (0-based) → the event that did the level's step (see the header). */
function runUnordered(ev: Prepared[], entry: number, def: FunnelDefinition, windowMs: number): Filled {
  const entryTs = (ev[entry] as Prepared).e.ts;
  const done: number[] = [];
  for (let s = 0; s < def.steps.length; s++) {
    for (let j = entry; j < ev.length; j++) {
      const e = ev[j] as Prepared;
      if (e.e.ts - entryTs > windowMs) break;
      if (e.steps[s]) {
        done.push(j);
        break;
      }
    }
  }
  return new Map(done.sort((a, b) => a - b).map((j, level) => [level, j]));
}

/** Furthest step (1-based) reached: filled, with every required step before it filled. */
function furthestOf(filled: Filled, def: FunnelDefinition): number {
  let furthest = 0;
  for (let k = 0; k < def.steps.length; k++) {
    if (filled.has(k)) furthest = k + 1;
    else if (!def.steps[k]?.optional) break;
  }
  return furthest;
}

/** Whether an exclusion discards (attempt mode) or excludes (unit mode) this attempt. */
function isDiscarded(ev: Prepared[], filled: Filled, def: FunnelDefinition, windowMs: number): boolean {
  const wholeUnit = def.exclusion_mode === 'unit';
  const tsOf = (j: number) => (ev[j] as Prepared).e.ts;
  return (def.exclusions ?? []).some((x, xi) => {
    const a = filled.get(x.from_step - 1);
    const b = filled.get(x.to_step - 1);
    if (a === undefined || (b === undefined && !wholeUnit)) return false;
    const inside =
      b === undefined
        ? (t: number) => t > tsOf(a) && t <= tsOf(filled.get(0) as number) + windowMs
        : (t: number) => t > Math.min(tsOf(a), tsOf(b)) && t < Math.max(tsOf(a), tsOf(b));
    return ev.some((e) => e.excl[xi] && inside(e.e.ts));
  });
}

function evaluateUnit(
  unit: string,
  evs: OracleEvent[],
  def: FunnelDefinition,
  o: OracleOptions,
): UnitOutcome[] {
  const windowMs = (def.window_seconds ?? (14 * DAY_MS) / 1000) * 1000;
  const ev = prepare(evs, def);
  if (workOf(ev, def, o, windowMs) > (o.maxUnitWork ?? MAX_UNIT_WORK)) {
    const skipped = {
      unit,
      furthest: 0,
      levels: [0],
      fromEntry: [0],
      fromPrevious: [0],
      inProgress: false,
      windowOpen: false,
      entryTs: 0,
      breakdown: '',
      skipped: true,
    };
    return [skipped];
  }
  const attempts: { entry: number; filled: Filled; score: number; excluded: boolean }[] = [];
  ev.forEach((x, i) => {
    if (!entersAt(x, def) || x.e.ts < o.from || x.e.ts >= o.to) return;
    const run = { any: runAny, unordered: runUnordered }[def.order as string] ?? runOrdered;
    const filled = run(ev, i, def, windowMs);
    const excluded = isDiscarded(ev, filled, def, windowMs);
    attempts.push({ entry: i, filled, score: excluded ? 0 : furthestOf(filled, def), excluded });
  });
  if (def.exclusion_mode === 'unit' && attempts.some((a) => a.excluded)) return [];
  const best = Math.max(0, ...attempts.map((a) => a.score));
  if (best === 0) return [];
  const chosen = attempts.find((a) => a.score === best) as (typeof attempts)[number];
  const tsOf = (j: number) => (ev[j] as Prepared).e.ts;
  const entryTs = tsOf(chosen.entry);
  const levels: number[] = [];
  const reachedAt: number[] = [];
  let latest = entryTs;
  for (let k = 0; k < best; k++) {
    const j = chosen.filled.get(k);
    if (j !== undefined) latest = Math.max(latest, tsOf(j));
    if (j !== undefined || !def.steps[k]?.optional) {
      levels.push(k + 1);
      reachedAt.push(latest);
    }
  }
  const lastEntry = Math.max(...attempts.map((a) => tsOf(a.entry)));
  return breakdownsOf(ev, chosen.filled, best, o).map((breakdown) => ({
    unit,
    furthest: best,
    levels,
    fromEntry: reachedAt.map((t) => t - entryTs),
    fromPrevious: reachedAt.map((t, i) => (i === 0 ? 0 : t - (reachedAt[i - 1] as number))),
    inProgress: best < def.steps.length && lastEntry + windowMs >= o.now,
    windowOpen: lastEntry + windowMs >= o.now,
    entryTs,
    breakdown,
    skipped: false,
  }));
}

/**
 * The counted attempt's breakdown values under the request's attribution (see the header): one,
 * or with `every_touch` every distinct non-empty one in sorted order ('' when there is none).
 */
function breakdownsOf(ev: Prepared[], filled: Filled, furthest: number, o: OracleOptions): string[] {
  const b = o.breakdown;
  if (!b) return [''];
  const valueAt = (j: number | undefined) => (j === undefined ? '' : tiedValue(ev, ev[j] as Prepared, o));
  if ((b.attribution ?? 'counted_step') === 'counted_step')
    return [valueAt(filled.get((b.at_step ?? 1) - 1))];
  const reached = [...filled].filter(([k]) => k < furthest).map(([, j]) => j);
  const values = reached
    .sort((x, y) => x - y)
    .map(valueAt)
    .filter((v) => v !== '');
  if (b.attribution === 'every_touch') {
    const all = [...new Set(values)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return all.length > 0 ? all : [''];
  }
  return [(b.attribution === 'first_touch' ? values[0] : values[values.length - 1]) ?? ''];
}

/** Whether an event may start an attempt: a step-1 event, in unordered order an event of any step. */
const entersAt = (x: Prepared, def: FunnelDefinition) =>
  def.order === 'unordered' ? x.steps.some(Boolean) : x.steps[0] === true;

function workOf(ev: Prepared[], def: FunnelDefinition, o: OracleOptions, windowMs: number): number {
  const scanned = ev.filter((x) => x.e.ts < Math.min(o.now, o.to + windowMs));
  const attempts = scanned.filter((x) => entersAt(x, def) && x.e.ts < o.to).length;
  const funnelEvents = scanned.filter(
    (x) => def.order === 'strict' || x.steps.some(Boolean) || x.excl.some(Boolean),
  );
  return attempts * funnelEvents.length;
}
