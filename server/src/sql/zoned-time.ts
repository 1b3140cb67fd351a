const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** How far `tz` is ahead of UTC at the instant `utcMs`, in ms. */
function zoneOffsetMs(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(utcMs);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The instant at which clocks in `tz` show the wall time `wall` (given as if it were UTC). */
function zonedWallTime(wall: number, tz: string): number {
  const first = wall - zoneOffsetMs(wall, tz);
  return wall - zoneOffsetMs(first, tz);
}

/** Midnight starting `day` (YYYY-MM-DD) in `tz`, as epoch ms (correct across DST changes). */
export function zonedMidnight(day: string, tz: string): number {
  return zonedWallTime(Date.parse(`${day}T00:00:00Z`), tz);
}

/** An ISO instant; without `Z` or an offset it is a wall time in `tz` (never the server's zone). */
function instant(s: string, tz: string): number {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
  return hasZone ? Date.parse(s) : zonedWallTime(Date.parse(`${s}Z`), tz);
}

/**
 * `[from, to)` in epoch ms. A bare date is midnight in `tz`; a bare `to` date includes that day.
 * Instants with `Z` or an offset are exact; without one they are wall times in `tz`.
 */
export function zonedBounds(from: string, to: string, tz: string): { from: number; to: number } {
  const start = DATE_ONLY.test(from) ? zonedMidnight(from, tz) : instant(from, tz);
  if (!DATE_ONLY.test(to)) return { from: start, to: instant(to, tz) };
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: start, to: zonedMidnight(next.toISOString().slice(0, 10), tz) };
}
