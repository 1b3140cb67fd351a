/**
 * Carts & revenue: for the header's range, the abandonment rate with its interval, the value
 * left in carts and what came back, each against the previous period; the carts by furthest
 * stage; the daily trend; the abandoned-cart list; revenue by channel or variant; which products
 * sell; which source earns the orders under each attribution model; the forecast. Every number is
 * the API's (`carts/abandonment`, `carts/abandoned`, `revenue`, `products`, `attribution`, `forecast`).
 */
import type { CartAbandonmentResponse, CartCounts } from '@funnelhouse/schemas';
import { useMemo } from 'preact/hooks';
import type { Api, RangeQuery } from '../../api.ts';
import { type Line, TimeSeries } from '../../charts/time-series.tsx';
import { fmtChange, fmtInt, fmtPct } from '../../format.ts';
import { Empty, NoPrevious, Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { CartMoney, type CartMoneyField, inReporting, missingText } from '../money.tsx';
import { Attribution } from './attribution.tsx';
import { Kpi, ScrollBox, signedPoints } from './parts.tsx';
import { Products } from './products.tsx';
import { Forecast, Revenue } from './revenue.tsx';
import { CartTable } from './table.tsx';

export function Carts(props: {
  api: Api;
  site: string;
  route: Route;
  range: RangeQuery;
  compare: boolean;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}) {
  const { api, site, range } = props;
  const [loaded, retry] = useLoad<CartAbandonmentResponse>(
    () => api.abandonment(site, range),
    [api, site, range.from, range.to, range.tz],
  );
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Carts &amp; revenue</h1>
      <Show loaded={loaded} what="the carts" retry={retry}>
        {(a) =>
          a.totals.carts === 0 ? (
            <Empty title="No carts in this range">
              <p>
                No cart was started in {a.from} – {a.to}. Carts come from the snippet's cart events (
                <code>add_to_cart</code>, <code>begin_checkout</code>, …) with a <code>cart_id</code>; pick a
                longer range, or for the demo run <code>pnpm seed</code>.
              </p>
            </Empty>
          ) : (
            <>
              <Abandonment a={a} compare={props.compare} />
              <Stages a={a} />
              <Trend a={a} />
              <CartTable api={api} site={site} range={range} route={props.route} navigate={props.navigate} />
            </>
          )
        }
      </Show>
      <Revenue api={api} site={site} range={range} route={props.route} navigate={props.navigate} />
      <Products api={api} site={site} range={range} route={props.route} navigate={props.navigate} />
      <Attribution api={api} site={site} range={range} route={props.route} navigate={props.navigate} />
      <Forecast api={api} site={site} tz={range.tz} route={props.route} navigate={props.navigate} />
    </main>
  );
}

function Abandonment({ a, compare }: { a: CartAbandonmentResponse; compare: boolean }) {
  const t = a.totals;
  // A previous period without carts is no comparison: a note says so instead.
  const had = compare && a.previous.totals.carts > 0;
  const p = had ? a.previous.totals : undefined;
  const rate = t.abandonment_rate;
  const rateChange = had ? a.change.abandonment_rate : null;
  return (
    <>
      {compare && !had ? <NoPrevious from={a.previous.from} to={a.previous.to} tz={a.tz} /> : null}
      <section aria-label="Abandonment" class="kpis">
        <Kpi
          id="abandonment-rate"
          label="Abandonment rate"
          value={fmtPct(rate?.rate)}
          hint={rate ? `95 % interval ${fmtPct(rate.low)} – ${fmtPct(rate.high)}` : 'no finished carts'}
          change={
            rateChange == null ? undefined : { text: signedPoints(rateChange), sign: -Math.sign(rateChange) }
          }
        />
        <Kpi
          id="carts"
          label="Carts"
          value={fmtInt(t.carts)}
          change={p ? fmtChange(t.carts, p.carts) : undefined}
        />
        <Kpi
          id="abandoned"
          label="Abandoned carts"
          value={fmtInt(t.abandoned)}
          hint={`every cart abandoned, incl. ${fmtInt(t.recovered)} recovered since · ${fmtInt(t.open)} still open`}
          change={p ? invert(fmtChange(t.abandoned, p.abandoned)) : undefined}
        />
        <Kpi
          id="abandoned-value"
          label={inReporting('Abandoned value', t.reporting)}
          value={<CartMoney t={t} field="abandoned_value" />}
          hint={withMissing('left in carts', t)}
          change={moneyChange(t, p, 'abandoned_value', -1)}
        />
        <Kpi
          id="lost-value"
          label={inReporting('Lost value', t.reporting)}
          value={<CartMoney t={t} field="lost_value" />}
          hint={withMissing('not recovered', t)}
          change={moneyChange(t, p, 'lost_value', -1)}
        />
        <Kpi
          id="recovered"
          label="Recovered carts"
          value={fmtInt(t.recovered)}
          hint={t.recovery_rate ? `${fmtPct(t.recovery_rate.rate)} of abandoned` : undefined}
          change={p ? fmtChange(t.recovered, p.recovered) : undefined}
        />
        <Kpi
          id="recovered-revenue"
          label={inReporting('Recovered revenue', t.reporting)}
          value={<CartMoney t={t} field="recovered_revenue" />}
          hint={withMissing(undefined, t)}
          change={moneyChange(t, p, 'recovered_revenue', 1)}
        />
      </section>
    </>
  );
}

/** A card's note, then the currencies the converted figure leaves out ("JPY has no rate: not included"). */
const withMissing = (hint: string | undefined, t: CartCounts) =>
  [hint, missingText(t.reporting?.missing_rates ?? [])].filter(Boolean).join(' · ') || undefined;

/**
 * A money figure against the previous period: only in the reporting currency (amounts of several
 * currencies have no one change); `good` is the sign of a rise that is good news.
 */
function moneyChange(t: CartCounts, p: CartCounts | undefined, field: CartMoneyField, good: 1 | -1) {
  const now = t.reporting;
  const before = p?.reporting;
  if (!now || !before || before.currency !== now.currency) return undefined;
  const c = fmtChange(now[field], before[field]);
  return { ...c, sign: c.sign * good };
}

/** More abandoned carts is bad news: the arrow's colour turns. */
const invert = (c: { text: string; sign: number }) => ({ ...c, sign: -c.sign });

const STAGE_LABELS: Record<string, string> = {
  cart: 'Cart',
  checkout: 'Checkout',
  shipping: 'Shipping',
  payment: 'Payment',
};

function Stages({ a }: { a: CartAbandonmentResponse }) {
  const max = Math.max(1, ...a.by_stage.map((s) => s.carts));
  return (
    <section class="card" aria-labelledby="stages-title">
      <h2 id="stages-title">By furthest stage reached</h2>
      <ScrollBox label="Carts by stage">
        <table data-table="stages" data-cards="">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" class="num">
                Carts
              </th>
              <th scope="col" class="num">
                Open
              </th>
              <th scope="col" class="num">
                Abandoned
              </th>
              <th scope="col" class="num">
                Rate
              </th>
              <th scope="col" class="num">
                {inReporting('Abandoned value', a.totals.reporting)}
              </th>
            </tr>
          </thead>
          <tbody>
            {a.by_stage.map((s) => (
              <StageRow
                key={s.stage}
                label={STAGE_LABELS[s.stage] ?? s.stage}
                stage={s.stage}
                s={s}
                max={max}
              />
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <p class="muted small" data-note="stages">
        Carts by the furthest stage they reached. Open carts (active within the inactivity timeout) are
        neither abandoned nor bought yet: the rate is abandoned ÷ carts no longer open (emptied carts left out
        too), and abandoned counts the carts recovered since.
      </p>
    </section>
  );
}

function StageRow({ label, stage, s, max }: { label: string; stage: string; s: CartCounts; max: number }) {
  return (
    <tr data-stage={stage}>
      <th scope="row" class="bar-cell">
        <span class="bar-fill" style={{ width: `${(100 * s.carts) / max}%` }} />
        <span class="bar-text">{label}</span>
      </th>
      <td class="num" data-field="carts" data-label="Carts">
        {fmtInt(s.carts)}
      </td>
      <td class="num" data-field="open" data-label="Open">
        {fmtInt(s.open)}
      </td>
      <td class="num" data-field="abandoned" data-label="Abandoned">
        {fmtInt(s.abandoned)}
      </td>
      <td class="num" data-field="rate" data-label="Rate">
        {fmtPct(s.abandonment_rate?.rate)}
      </td>
      <td class="num" data-field="abandoned-value" data-label="Abandoned value">
        <CartMoney t={s} field="abandoned_value" />
      </td>
    </tr>
  );
}

function Trend({ a }: { a: CartAbandonmentResponse }) {
  const { days, lines } = useMemo(() => {
    const lines: Line[] = [
      { label: 'Carts', color: '--c1', values: a.daily.map((d) => d.carts) },
      { label: 'Abandoned', color: '--c2', values: a.daily.map((d) => d.abandoned) },
      { label: 'Recovered', color: '--c3', values: a.daily.map((d) => d.recovered) },
    ];
    return { days: a.daily.map((d) => d.day), lines };
  }, [a]);
  return (
    <section class="card" aria-labelledby="trend-title">
      <h2 id="trend-title">Daily</h2>
      <p class="muted small">
        Carts by the day they were started, and how many of them were abandoned or recovered.
      </p>
      <TimeSeries days={days} lines={lines} title="Carts, abandoned and recovered carts by day" tz={a.tz} />
    </section>
  );
}
