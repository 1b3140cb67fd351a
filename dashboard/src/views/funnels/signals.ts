/**
 * How the correlation view writes a candidate and its figures: pure, so the formats are tested
 * once (the e2e test reads them back against the API's numbers).
 */
import type { CorrelationCandidate } from '@funnelhouse/schemas';
import { fmtInt } from '../../format.ts';

/** An odds ratio as "2.45", "0.125", "1,250" (three significant digits, no exponent). */
export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '–';
  if (x >= 1000) return fmtInt(x);
  return String(Number(x.toPrecision(3)));
}

/** A p- or q-value as "0.300", "0.012", "0.0050" or "< 0.001". */
export function fmtQ(q: number): string {
  if (q < 0.001) return '< 0.001';
  return q.toFixed(q < 0.01 ? 4 : 3);
}

/** What a candidate is, in words. */
export function candidateLabel(c: CorrelationCandidate): string {
  if (c.kind === 'event_type') return `Event: ${c.value}`;
  if (c.kind === 'event_name') return `Custom event: ${c.value}`;
  return `${c.property ?? 'property'} = ${c.value}`;
}
