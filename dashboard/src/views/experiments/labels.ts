/**
 * Words and number formats of the experiment views: presentation only. Every statistic and the
 * verdict are the server's answer (`ExperimentResult`), rendered as is.
 */
import type { ExperimentMetric } from '@funnelhouse/schemas';

const WORDS: Record<string, string> = {
  conversion: 'conversion rate',
  funnel: 'funnel completion',
  revenue_per_visitor: 'revenue per visitor',
  orders_per_visitor: 'orders per visitor',
  average_order_value: 'average order value',
};

export function metricLabel(m: ExperimentMetric): string {
  const k = (m as { kind: string }).kind;
  return WORDS[k] ?? k.replace(/_/g, ' ');
}

/** "0.0123" or "< 0.0001". */
export function fmtP(p: number | null | undefined): string {
  if (p == null) return '–';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/** A signed number for a difference: "+0.012", "−1.5" (a minus sign, not a hyphen). */
export function fmtSigned(x: number, digits = 3): string {
  const abs = Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: digits });
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${abs}`;
}

/**
 * The unit beside a money number: the answer's `currency` ("EUR"; `''` = amounts recorded
 * without a currency); nothing for a metric that is not money (`null`).
 */
export function currencyUnit(currency: string | null | undefined): string {
  if (currency == null) return '';
  return currency === '' ? ' (no currency)' : ` ${currency}`;
}
