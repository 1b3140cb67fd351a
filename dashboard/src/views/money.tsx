/**
 * Money of several currencies. With the site's rates, the server's `reporting` figure comes first
 * (in the reporting currency) and each currency's own amount is behind a disclosure; without rates,
 * one amount per currency. Nothing is summed here: a sum across currencies is the server's answer,
 * rendered as is, and currencies without a rate are named as left out.
 */
import type { CartCounts, RevenueTotals } from '@funnelhouse/schemas';
import { fmtMoney } from '../format.ts';

/** Amounts per currency (or other texts) as "$1,234.00 · €56.00", one a line when several; none is "–". */
export function Amounts({ texts }: { texts: string[] }) {
  if (texts.length <= 1) return <>{texts[0] ?? '–'}</>;
  return (
    <span class="amounts">
      {texts.map((t, i) => (
        <span key={`${i}:${t}`}>
          {i > 0 ? <span class="sep"> · </span> : null}
          <span class="amount">{t}</span>
        </span>
      ))}
    </span>
  );
}

const orDash = (v: number | null | undefined, currency: string) => (v == null ? '–' : fmtMoney(v, currency));

/**
 * The currencies a converted figure leaves out, said plainly: "JPY has no rate: not included",
 * "GBP, CAD have no rate: not included"; amounts with no currency ('') are never converted. '' when none.
 */
export function missingText(codes: string[]): string {
  const named = codes.filter((c) => c !== '');
  const parts = named.length
    ? [`${named.join(', ')} ${named.length === 1 ? 'has' : 'have'} no rate: not included`]
    : [];
  if (named.length < codes.length) parts.push('amounts with no currency: not included');
  return parts.join('; ');
}

/** The conversion the server made, with the currencies it left out. */
export interface Conversion {
  currency: string;
  missing_rates: string[];
}

/**
 * One money figure: the converted `value` first when `reporting` is set, the per-currency `detail`
 * on demand (a native disclosure, keyboard and screen-reader ready); else the detail itself.
 */
export function Converted(props: {
  reporting: Conversion | null;
  value: number | null | undefined;
  /** Each currency's amount, with an optional note after it (an interval). */
  detail: { currency: string; amount: number | null; note?: string }[];
}) {
  const { reporting: r, detail } = props;
  if (!r) return <Amounts texts={detail.map((c) => orDash(c.amount, c.currency))} />;
  return (
    <span class="reporting">
      <span data-reporting={r.currency}>{orDash(props.value, r.currency)}</span>
      {detail.length > 0 ? (
        <details class="by-currency">
          <summary>By currency</summary>
          <ul>
            {detail.map((c) => (
              <li key={c.currency} data-currency={c.currency}>
                <span class="amount">{orDash(c.amount, c.currency)}</span>
                {c.note ? <span class="muted"> {c.note}</span> : null}
                {r.missing_rates.includes(c.currency) ? <span class="muted"> (no rate)</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </span>
  );
}

export type MoneyField = 'revenue' | 'average_order_value' | 'revenue_per_visitor';

/** One figure of the revenue report (revenue, AOV or revenue per visitor). */
export const Money = ({ t, field }: { t: RevenueTotals; field: MoneyField }) => (
  <Converted
    reporting={t.reporting}
    value={t.reporting?.[field]}
    detail={t.by_currency.map((c) => ({ currency: c.currency, amount: c[field] }))}
  />
);

export type CartMoneyField = 'abandoned_value' | 'lost_value' | 'recovered_revenue';

/** One money figure of the carts report (abandoned, lost or recovered). */
export const CartMoney = ({ t, field }: { t: CartCounts; field: CartMoneyField }) => (
  <Converted reporting={t.reporting} value={t.reporting?.[field]} detail={t[field]} />
);

/** A label with the reporting currency when there is one: "Revenue (EUR)". */
export const inReporting = (label: string, r: Conversion | null | undefined) =>
  r ? `${label} (${r.currency})` : label;
