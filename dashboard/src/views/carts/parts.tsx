/** Formatting shared by the carts views: rate differences, times, a scrolling table box. */
import type { ComponentChildren } from 'preact';

export { Kpi } from '../overview.tsx';

/** A difference of two rates (0.012) as "+1.2 pts". */
export function signedPoints(d: number): string {
  const pts = Math.abs(d * 100).toFixed(1);
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${pts} pts`;
}

/** An instant as "2026-12-03 14:05" in the view's zone. */
export function fmtTime(iso: string | null, tz: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

/**
 * A table wider than a phone scrolls inside this box; the box takes focus so the keyboard can
 * scroll it too (axe's scrollable-region-focusable) when the table has nothing focusable.
 */
export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
