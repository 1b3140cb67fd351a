/**
 * Pure result shaping: per-level counts and timings from ClickHouse → rates, drop-off, intervals.
 */
import type {
  FunnelBreakdownGroup,
  FunnelCohorts,
  FunnelDefinition,
  FunnelSeriesResult,
  FunnelStepResult,
  HistogramBucket,
  Rate,
  TimeStats,
} from '@funnelhouse/schemas';
import { wilsonInterval } from '../stats/wilson.ts';

/** Lower bounds of the time-to-convert buckets: 0, 1 min, 5 min, 15 min, 1 h, 6 h, 1 d, 3 d, 7 d, 14 d, 30 d. */
export const HISTOGRAM_BOUNDS_MS = [0, 1, 5, 15, 60, 360, 1440, 4320, 10080, 20160, 43200].map(
  (m) => m * 60_000,
);

/**
 * One row of `getFunnelLevels`: a step of one breakdown group (or of everyone). Level 0 holds the
 * units skipped for the work limit (in `reached`).
 */
export interface LevelRow {
  overall: boolean;
  kind: 'value' | 'other' | 'none';
  value: string;
  /** 1-based step. */
  level: number;
  /** Units that reached the step. */
  reached: number;
  /** Of those, units still in progress: window open and the last step not reached. */
  open: number;
  /** Of those, units whose window is still open, converted or not (not a mature cohort member). */
  young: number;
  /** Units whose times are in the quantiles (every one; with mature cohorts, reached − young). */
  timed: number;
  /** [median, p90] ms from entry. */
  fromEntry: number[];
  /** [median, p90] ms from the previous counted step. */
  fromPrevious: number[];
  /** Units per time-to-convert bucket (last step only). */
  histogram: number[];
}

export function rateOf(successes: number, trials: number): Rate {
  const ci = wilsonInterval(successes, trials);
  return { rate: trials > 0 ? successes / trials : null, low: ci?.low ?? null, high: ci?.high ?? null };
}

function timeStats(q: number[], timed: number): TimeStats {
  if (timed === 0 || q.length < 2) return { median_ms: null, p90_ms: null };
  return { median_ms: q[0] ?? null, p90_ms: q[1] ?? null };
}

/** The nearest earlier required step (0-based): the base of "from previous" and of drop-off. */
function baseStep(def: FunnelDefinition, k: number): number {
  let j = k - 1;
  while (j > 0 && def.steps[j]?.optional) j--;
  return j;
}

function histogram(counts: number[]): HistogramBucket[] {
  return HISTOGRAM_BOUNDS_MS.map((from, i) => ({
    from_ms: from,
    to_ms: HISTOGRAM_BOUNDS_MS[i + 1] ?? null,
    units: counts[i] ?? 0,
  }));
}

/** Units a row counts: every unit that reached the step, or only mature ones (window closed). */
const counted = (r: LevelRow, cohorts: FunnelCohorts) =>
  cohorts === 'mature' ? r.reached - r.young : r.reached;

/**
 * One series (everyone, or one breakdown group). By default every unit that entered counts, as in
 * PostHog, GA4 and Mixpanel, and each step reports how many of its units are still in progress;
 * with mature cohorts only units whose window has closed count, converted or not (`immature_units`
 * says how many entered units that leaves out).
 */
export function shapeSeries(
  def: FunnelDefinition,
  rows: LevelRow[],
  cohorts: FunnelCohorts,
): FunnelSeriesResult {
  const n = def.steps.length;
  const at = (k: number) => rows.find((r) => r.level === k + 1);
  const units = Array.from({ length: n }, (_, k) => {
    const r = at(k);
    return r ? counted(r, cohorts) : 0;
  });
  const entered = units[0] ?? 0;
  const steps: FunnelStepResult[] = def.steps.map((s, k) => {
    const r = at(k);
    const u = units[k] ?? 0;
    const base = k === 0 ? undefined : (units[baseStep(def, k)] ?? 0);
    return {
      step: k + 1,
      label: s.label ?? `Step ${k + 1}`,
      optional: s.optional === true,
      units: u,
      in_progress: r?.open ?? 0,
      from_entry: rateOf(u, entered),
      from_previous: base === undefined ? { rate: null, low: null, high: null } : rateOf(u, base),
      dropped: base === undefined ? 0 : base - u,
      drop_share: base === undefined || base === 0 ? null : (base - u) / base,
      time_from_previous:
        k === 0 ? { median_ms: null, p90_ms: null } : timeStats(r?.fromPrevious ?? [], r?.timed ?? 0),
      time_from_entry: timeStats(r?.fromEntry ?? [], r?.timed ?? 0),
    };
  });
  return { steps, time_to_convert: histogram(at(n - 1)?.histogram ?? []) };
}

/** Everyone, plus one series per breakdown group (top values by entered units, other, none). */
export function shapeLevels(
  def: FunnelDefinition,
  rows: LevelRow[],
  cohorts: FunnelCohorts,
): { overall: FunnelSeriesResult; groups: FunnelBreakdownGroup[]; skipped: number; immature: number } {
  const skipped = rows.find((r) => r.overall && r.level === 0)?.reached ?? 0;
  const overallRows = rows.filter((r) => r.overall && r.level > 0);
  const enteredOf = (rs: LevelRow[]) => rs.filter((r) => r.level === 1).reduce((a, r) => a + r.reached, 0);
  const total = enteredOf(overallRows);
  const keys = new Map<string, LevelRow[]>();
  for (const r of rows.filter((x) => !x.overall && x.level > 0)) {
    const key = `${r.kind}\u0000${r.value}`;
    keys.set(key, [...(keys.get(key) ?? []), r]);
  }
  const order = { value: 0, other: 1, none: 2 };
  const groups = [...keys.values()]
    .map((rs) => {
      const first = rs[0] as LevelRow;
      const entered = enteredOf(rs);
      return {
        value: first.kind === 'value' ? first.value : first.kind === 'other' ? 'Other' : null,
        kind: first.kind,
        share: total > 0 ? entered / total : null,
        entered,
        ...shapeSeries(def, rs, cohorts),
      };
    })
    .sort(
      (a, b) =>
        order[a.kind] - order[b.kind] ||
        b.entered - a.entered ||
        String(a.value).localeCompare(String(b.value)),
    )
    .map(({ entered: _e, ...g }) => g);
  const immature = overallRows.find((r) => r.level === 1)?.young ?? 0;
  return { overall: shapeSeries(def, overallRows, cohorts), groups, skipped, immature };
}
