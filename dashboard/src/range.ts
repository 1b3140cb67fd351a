/**
 * Date ranges of the header, pure: a preset (today, 7d, 30d, month) resolves to whole days in the
 * chosen zone, and the previous period is the same number of days just before it.
 */
import type { RangeQuery } from './api.ts';

export const PRESETS = ['today', '7d', '30d', 'month', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];
export const PRESET_LABELS: Record<Preset, string> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  custom: 'Custom',
};

const DAY_MS = 86_400_000;

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(tz: string, now = Date.now()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now));
}

/** A calendar date moved by whole days (calendar arithmetic in UTC, so no zone shifts it). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The dates of a preset in a zone; `custom` keeps the given dates. */
export function resolveRange(
  preset: Preset,
  tz: string,
  custom: { from?: string; to?: string },
  now = Date.now(),
): RangeQuery {
  const today = todayIn(tz, now);
  switch (preset) {
    case 'today':
      return { from: today, to: today, tz };
    case '7d':
      return { from: addDays(today, -6), to: today, tz };
    case '30d':
      return { from: addDays(today, -29), to: today, tz };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today, tz };
    case 'custom': {
      const from = custom.from ?? addDays(today, -6);
      const to = custom.to ?? today;
      return from <= to ? { from, to, tz } : { from: to, to: from, tz };
    }
  }
}

/** The period of the same length just before a range. */
export function previousRange(r: RangeQuery): RangeQuery {
  const n = daysIn(r.from, r.to);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1), tz: r.tz };
}
