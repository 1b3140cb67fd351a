/** Calendar days in a zone: the daily series of every report and the ranges' day arithmetic. */

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The calendar date of an instant in an IANA zone. */
export function dayInZone(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}

/** Longest range a report covers, in days (ten years): the daily series has one row per day. */
export const MAX_RANGE_DAYS = 3660;

/** Every day from `first` to `last` inclusive (at most `max`, guarding against huge ranges). */
export function daysBetween(first: string, last: string, max = MAX_RANGE_DAYS): string[] {
  const out: string[] = [];
  for (let d = first; d <= last && out.length < max; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The Monday that starts the week of `day` (ISO weeks, as ClickHouse's `toStartOfWeek(d, 1)`). */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** Every period from the one holding `first` to the one holding `last`: days, or weeks by their Monday. */
export function periodsBetween(first: string, last: string, bucket: 'day' | 'week'): string[] {
  if (bucket === 'day') return daysBetween(first, last);
  const out: string[] = [];
  for (let d = mondayOf(first); d <= last && out.length < MAX_RANGE_DAYS; d = addDays(d, 7)) out.push(d);
  return out;
}

/** A daily series with a zero row for every day of the range that had no events. */
export function fillDays<T extends { day: string }>(
  rows: readonly T[],
  days: readonly string[],
  zero: (day: string) => T,
): T[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return days.map((d) => byDay.get(d) ?? zero(d));
}
