/**
 * Which source earns the orders: the `attribution` route's six models side by side, one column
 * each, as credited orders or credited revenue, and the most common paths of sources before an
 * order. Every number is the API's; money in the reporting currency when the site has rates.
 */
import type {
  AttributionDimension,
  AttributionModel,
  AttributionResponse,
  AttributionRow,
} from '@funnelhouse/schemas';
import type { Api, RangeQuery } from '../../api.ts';
import { fmtInt, fmtPct } from '../../format.ts';
import { Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { Converted, inReporting, missingText } from '../money.tsx';
import { ScrollBox } from './parts.tsx';

const DIMENSIONS: Record<AttributionDimension, string> = {
  channel: 'Channel',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  referrer_domain: 'Referrer',
};

const MODELS: Record<AttributionModel, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  last_non_direct: 'Last non-direct',
  linear: 'Linear',
  position_based: 'Position-based',
  time_decay: 'Time decay',
};

type Measure = 'orders' | 'revenue';

const orders = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function label(v: string | null): preact.ComponentChild {
  if (v === null) return <span class="muted">(no touch)</span>;
  return v === '' ? <span class="muted">(none)</span> : v;
}

function days(ms: number | null): string {
  if (ms == null) return '–';
  const d = ms / 86_400_000;
  return d < 1 ? `${Math.round(ms / 3_600_000)} h` : `${orders.format(d)} d`;
}

export function Attribution(props: {
  api: Api;
  site: string;
  range: RangeQuery;
  route: Route;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}) {
  const { api, site, range, route, navigate } = props;
  const dim: AttributionDimension =
    route.adim && route.adim in DIMENSIONS ? (route.adim as AttributionDimension) : 'channel';
  const show: Measure = route.ashow === 'revenue' ? 'revenue' : 'orders';
  const [loaded, retry] = useLoad<AttributionResponse>(
    () => api.attribution(site, range, dim),
    [api, site, range.from, range.to, range.tz, dim],
  );
  return (
    <section class="card" aria-labelledby="attribution-title" data-section="attribution">
      <div class="card-head">
        <h2 id="attribution-title">Which source earns the orders</h2>
        <fieldset class="seg">
          <legend class="visually-hidden">Show</legend>
          {(['orders', 'revenue'] as const).map((s) => (
            <button key={s} type="button" aria-pressed={show === s} onClick={() => navigate({ ashow: s })}>
              {s === 'orders' ? 'Orders' : 'Revenue'}
            </button>
          ))}
        </fieldset>
      </div>
      <div class="field">
        <label for="f-adim">Credit to</label>
        <select
          id="f-adim"
          value={dim}
          onChange={(e) => navigate({ adim: (e.target as HTMLSelectElement).value })}
        >
          {Object.entries(DIMENSIONS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <Show loaded={loaded} what="the attribution" retry={retry}>
        {(r) => <AttributionBody r={r} show={show} dim={dim} />}
      </Show>
    </section>
  );
}

function Cell({ row, show }: { row: AttributionRow | undefined; show: Measure }) {
  if (!row) return <>–</>;
  if (show === 'orders') return <>{orders.format(row.conversions)}</>;
  return (
    <Converted
      reporting={row.reporting}
      value={row.reporting?.revenue}
      detail={row.by_currency.map((c) => ({ currency: c.currency, amount: c.revenue }))}
    />
  );
}

function AttributionBody({
  r,
  show,
  dim,
}: {
  r: AttributionResponse;
  show: Measure;
  dim: AttributionDimension;
}) {
  if (r.totals.orders === 0) return <p class="muted">No orders in this range.</p>;
  const first = r.models[0]?.rows ?? [];
  const missing = missingText(
    first.flatMap((x) => x.reporting?.missing_rates ?? []).filter((c, i, a) => a.indexOf(c) === i),
  );
  const reporting = first.find((x) => x.reporting)?.reporting ?? null;
  return (
    <>
      <p class="muted small">
        {fmtInt(r.totals.orders)} orders, {fmtInt(r.totals.with_touch)} with a visit in the {r.lookback_days}{' '}
        days before; each model shares every order among those visits ({r.position.first * 100}/
        {Math.round(r.position.middle * 100)}/{r.position.last * 100} position-based, time decay halving every{' '}
        {r.half_life_days} days).
      </p>
      <ScrollBox label="Orders credited per source and model">
        <table data-table="attribution">
          <caption class="visually-hidden">
            {show === 'orders' ? 'Orders' : inReporting('Revenue', reporting)} credited to each{' '}
            {DIMENSIONS[dim].toLowerCase()} under each model
          </caption>
          <thead>
            <tr>
              <th scope="col">{DIMENSIONS[dim]}</th>
              {r.models.map((m) => (
                <th key={m.model} scope="col" class="num">
                  {MODELS[m.model]}
                </th>
              ))}
              <th scope="col" class="num">
                Visitors
              </th>
            </tr>
          </thead>
          <tbody>
            {first.map((row, i) => (
              <tr key={String(row.value)} data-value={row.value ?? ''}>
                <th scope="row">{label(row.value)}</th>
                {r.models.map((m) => (
                  <td key={m.model} class="num" data-model={m.model}>
                    <Cell row={m.rows[i]} show={show} />
                  </td>
                ))}
                <td class="num">{row.visitors == null ? '–' : fmtInt(row.visitors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {show === 'revenue' && missing ? <p class="muted small">Converted figures: {missing}.</p> : null}
      {r.paths.length > 0 ? (
        <>
          <h3>Paths before an order</h3>
          <ScrollBox label="Most common paths before an order">
            <table data-table="attribution-paths">
              <thead>
                <tr>
                  <th scope="col">Sources, in order</th>
                  <th scope="col" class="num">
                    Orders
                  </th>
                  <th scope="col" class="num">
                    Share
                  </th>
                  <th scope="col" class="num">
                    First visit to order (median)
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.paths.slice(0, 10).map((p) => (
                  <tr key={p.path.join('\u0000')}>
                    <th scope="row">
                      {p.path.length === 0 ? (
                        <span class="muted">(no touch)</span>
                      ) : (
                        p.path.map((v) => v || '(none)').join(' → ')
                      )}
                    </th>
                    <td class="num">{fmtInt(p.orders)}</td>
                    <td class="num">{fmtPct(p.share)}</td>
                    <td class="num">{days(p.median_ms_to_order)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </>
      ) : null}
    </>
  );
}
