/**
 * The oracle's aggregation of unit outcomes into per-step rows, as `getFunnelLevels` returns them:
 * breakdown groups (top `limit` values by entered units, ties by value; "other"; "none") and
 * everyone; quantiles by linear interpolation between order statistics (R-7, numpy's default).
 */
import type { LevelRow } from '@funnelhouse/server';
import type { UnitOutcome } from './oracle.ts';

const BOUNDS = [0, 1, 5, 15, 60, 360, 1440, 4320, 10080, 20160, 43200].map((m) => m * 60_000);

export function quantileR7(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const a = s[lo] as number;
  const b = s[Math.min(lo + 1, s.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

function rowsFor(
  units: UnitOutcome[],
  n: number,
  mature: boolean,
  head: Omit<
    LevelRow,
    'level' | 'reached' | 'open' | 'young' | 'timed' | 'fromEntry' | 'fromPrevious' | 'histogram'
  >,
): LevelRow[] {
  const out: LevelRow[] = [];
  units = units.filter((u) => !u.skipped);
  for (let level = 1; level <= n; level++) {
    const at = units.filter((u) => u.levels.includes(level));
    if (at.length === 0) continue;
    const timed = at.filter((u) => !mature || !u.windowOpen);
    const te = timed.map((u) => u.fromEntry[u.levels.indexOf(level)] as number);
    const tp = timed.map((u) => u.fromPrevious[u.levels.indexOf(level)] as number);
    const hist = BOUNDS.map(() => 0);
    if (level === n) for (const t of te) (hist[BOUNDS.filter((b) => b <= t).length - 1] as number) += 1;
    const q = (xs: number[]) => (xs.length === 0 ? [] : [quantileR7(xs, 0.5), quantileR7(xs, 0.9)]);
    out.push({
      ...head,
      level,
      reached: at.length,
      open: at.filter((u) => u.inProgress).length,
      young: at.filter((u) => u.windowOpen).length,
      timed: timed.length,
      fromEntry: q(te),
      fromPrevious: level > 1 ? q(tp) : [],
      histogram: hist,
    });
  }
  return out;
}

/** `limit` undefined: no breakdown, the overall rows only. */
export function oracleLevels(
  units: UnitOutcome[],
  n: number,
  limit: number | undefined,
  mature: boolean,
): LevelRow[] {
  // With `every_touch` attribution a unit has one outcome per value; it counts once per group.
  const once = (us: UnitOutcome[]) => us.filter((u, i) => us.findIndex((x) => x.unit === u.unit) === i);
  if (limit === undefined) return rowsFor(units, n, mature, { overall: true, kind: 'none', value: '' });
  const entered = new Map<string, number>();
  for (const u of units)
    if (u.breakdown !== '') entered.set(u.breakdown, (entered.get(u.breakdown) ?? 0) + 1);
  const top = [...entered]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
    .map(([v]) => v);
  const groupOf = (u: UnitOutcome) =>
    u.breakdown === '' ? 'none' : top.includes(u.breakdown) ? `value:${u.breakdown}` : 'other';
  const groups = new Map<string, UnitOutcome[]>();
  for (const u of units) groups.set(groupOf(u), [...(groups.get(groupOf(u)) ?? []), u]);
  const rows = rowsFor(once(units), n, mature, { overall: true, kind: 'value', value: '' });
  for (const [g, us] of groups) {
    const kind = g === 'none' ? 'none' : g === 'other' ? 'other' : 'value';
    rows.push(
      ...rowsFor(once(us), n, mature, { overall: false, kind, value: kind === 'value' ? g.slice(6) : '' }),
    );
  }
  return rows;
}
