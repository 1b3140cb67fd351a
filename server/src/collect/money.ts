import { type ErrorIssue, LIMITS } from '@funnelhouse/schemas';

/** An amount of one event that may not be stored, with its own code. */
export interface MoneyProblem<C extends string = 'money_out_of_range' | 'negative_revenue'> {
  code: C;
  message: string;
  issues: ErrorIssue[];
}

const MAX = LIMITS.moneyMax;

/**
 * Checks the amounts of one raw event before schema validation, so that the refusal has its own
 * code rather than `invalid_event`: `revenue` and every item `price` within ±`LIMITS.moneyMax`
 * (the bound that keeps every report's sums from overflowing: see there). An item's `price` may
 * be negative (a discount line), and so may a server's `revenue` (a refund). Non-numbers are
 * left to the schema.
 */
export function moneyProblem(ev: unknown): MoneyProblem<'money_out_of_range'> | undefined {
  if (ev === null || typeof ev !== 'object') return undefined;
  const { revenue, items } = ev as { revenue?: unknown; items?: unknown };
  const amounts: [string, unknown][] = [['revenue', revenue]];
  if (Array.isArray(items))
    items.forEach((it, i) => {
      if (it !== null && typeof it === 'object')
        amounts.push([`items.${i}.price`, (it as { price?: unknown }).price]);
    });
  for (const [path, v] of amounts) {
    if (typeof v === 'number' && Math.abs(v) > MAX) {
      const message = `Amounts are within ±${MAX.toLocaleString('en')}, got ${v}`;
      return { code: 'money_out_of_range', message, issues: [{ path, code: 'money_out_of_range', message }] };
    }
  }
  return undefined;
}

/**
 * `moneyProblem`, and for `/collect` no negative `revenue` either: anyone holding the public site
 * key can post there, and refunds come from the site's servers (the server events API).
 */
export function browserMoneyProblem(ev: unknown): MoneyProblem | undefined {
  const out = moneyProblem(ev);
  if (out) return out;
  const revenue = (ev as { revenue?: unknown } | null)?.revenue;
  if (typeof revenue !== 'number' || !(revenue < 0)) return undefined;
  const message = 'A browser may not send negative revenue: refunds come from the server events API';
  return {
    code: 'negative_revenue',
    message,
    issues: [{ path: 'revenue', code: 'negative_revenue', message }],
  };
}
