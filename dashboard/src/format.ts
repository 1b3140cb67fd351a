/** Number formatting of the views, one locale (en-US) so tests and users read the same digits. */
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const pct1 = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export const fmtInt = (n: number) => int.format(n);
export const fmtPct = (r: number | null | undefined) => (r == null ? '–' : pct1.format(r));
const plain2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/**
 * An amount in its currency ("€25.00"). A cart or order sent without a currency (the snippet
 * accepts one) is "25.00 (no currency)": never shown as dollars or any other guess.
 */
export function fmtMoney(n: number, currency: string): string {
  if (currency === '') return `${plain2.format(n)} (no currency)`;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

/** A change from `before` to `now` as "+12.5%", or "new" / "–" when there was nothing before. */
export function fmtChange(now: number, before: number | undefined): { text: string; sign: number } {
  if (before === undefined) return { text: '', sign: 0 };
  if (before === 0) return now === 0 ? { text: '±0%', sign: 0 } : { text: 'new', sign: 1 };
  const c = (now - before) / before;
  const text = `${c > 0 ? '+' : c < 0 ? '−' : '±'}${pct1.format(Math.abs(c))}`;
  return { text, sign: Math.sign(c) };
}

/** A duration in ms as "45 s", "12 min", "3.5 h", "2.1 d". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms == null) return '–';
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 129_600) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}
