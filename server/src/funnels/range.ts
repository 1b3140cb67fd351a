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

/** Midnight starting `day` (YYYY-MM-DD) in `tz`, as epoch ms (correct across DST changes). */
export function zonedMidnight(day: string, tz: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`);
  const first = wall - zoneOffsetMs(wall, tz);
  return wall - zoneOffsetMs(first, tz);
}

/**
 * `[from, to)` in epoch ms. A bare date is midnight in `tz`; a bare `to` date includes that day.
 * Instants are taken as written (with their offset, or UTC).
 */
export function resolveFunnelRange(from: string, to: string, tz: string): { from: number; to: number } {
  const start = DATE_ONLY.test(from) ? zonedMidnight(from, tz) : Date.parse(from);
  if (!DATE_ONLY.test(to)) return { from: start, to: Date.parse(to) };
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: start, to: zonedMidnight(next.toISOString().slice(0, 10), tz) };
}
