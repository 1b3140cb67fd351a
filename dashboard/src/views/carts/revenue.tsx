/**
 * Revenue, average order value and revenue per visitor by channel or by experiment variant (the
 * `revenue` route's breakdown), and the 30-day forecast with its interval and the traffic
 * needed for a number of orders (the `forecast` route's `target_orders`).
 */
import type { ForecastResponse, RevenueResponse, SavedExperiment } from '@funnelhouse/schemas';
import { useMemo, useState } from 'preact/hooks';
import type { Api, RangeQuery } from '../../api.ts';
import { TimeSeries } from '../../charts/time-series.tsx';
import { fmtInt, fmtMoney, fmtPct } from '../../format.ts';
import { Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { Converted, inReporting, Money, missingText } from '../money.tsx';
import { Kpi, ScrollBox } from './parts.tsx';

type By = 'channel' | 'variant';
interface RevenueData {
  r: RevenueResponse | undefined;
  experiments: SavedExperiment[];
  experiment: string | undefined;
}

export function Revenue(props: {
  api: Api;
  site: string;
  range: RangeQuery;
  route: Route;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}) {
  const { api, site, range, route, navigate } = props;
  const by: By = route.by === 'variant' ? 'variant' : 'channel';
  const [loaded, retry] = useLoad<RevenueData>(async () => {
    const experiments = by === 'variant' ? (await api.experiments(site)).experiments : [];
    const experiment =
      by === 'variant' ? (experiments.find((e) => e.key === route.bexp) ?? experiments[0])?.key : undefined;
    const r = by === 'channel' || experiment ? await api.revenue(site, range, by, experiment) : undefined;
    return { r, experiments, experiment };
  }, [api, site, range.from, range.to, range.tz, by, route.bexp]);
  return (
    <section class="card" aria-labelledby="revenue-title" data-section="revenue">
      <div class="card-head">
        <h2 id="revenue-title">Revenue</h2>
        <fieldset class="seg">
          <legend class="visually-hidden">Revenue by</legend>
          {(['channel', 'variant'] as const).map((b) => (
            <button key={b} type="button" aria-pressed={by === b} onClick={() => navigate({ by: b })}>
              By {b}
            </button>
          ))}
        </fieldset>
      </div>
      <Show loaded={loaded} what="the revenue" retry={retry}>
        {(d) => (
          <>
            {by === 'variant' && d.experiments.length > 0 ? (
              <div class="field">
                <label for="f-bexp">Experiment</label>
                <select
                  id="f-bexp"
                  value={d.experiment}
                  onChange={(e) => navigate({ bexp: (e.target as HTMLSelectElement).value })}
                >
                  {d.experiments.map((e) => (
                    <option key={e.key} value={e.key}>
                      {e.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {d.r ? (
              <RevenueBody r={d.r} by={by} />
            ) : (
              <p class="muted">
                No experiment is defined for this site, so there are no variants to compare.
              </p>
            )}
          </>
        )}
      </Show>
    </section>
  );
}

function RevenueBody({ r, by }: { r: RevenueResponse; by: By }) {
  const t = r.totals;
  const groups = r.breakdown?.groups ?? [];
  const missing = missingText(t.reporting?.missing_rates ?? []) || undefined;
  return (
    <>
      <div class="kpis" data-totals="revenue">
        <Kpi id="rev-visitors" label="Visitors" value={fmtInt(t.visitors)} />
        <Kpi id="rev-orders" label="Orders" value={fmtInt(t.orders)} />
        <Kpi
          id="rev-conversion"
          label="Purchase conversion"
          value={fmtPct(t.conversion_rate?.rate)}
          hint={
            t.conversion_rate
              ? `${fmtPct(t.conversion_rate.low)} – ${fmtPct(t.conversion_rate.high)}`
              : undefined
          }
        />
        <Kpi
          id="rev-revenue"
          label={inReporting('Revenue', t.reporting)}
          value={<Money t={t} field="revenue" />}
          hint={missing}
        />
        <Kpi
          id="rev-aov"
          label={inReporting('Average order value', t.reporting)}
          value={<Money t={t} field="average_order_value" />}
        />
        <Kpi
          id="rev-rpv"
          label={inReporting('Revenue per visitor', t.reporting)}
          value={<Money t={t} field="revenue_per_visitor" />}
        />
      </div>
      {groups.length === 0 ? (
        <p class="muted">No visitors in this range.</p>
      ) : (
        <ScrollBox label="Revenue by group">
          <table data-table="revenue">
            <thead>
              <tr>
                <th scope="col">{by === 'channel' ? 'Channel' : 'Variant'}</th>
                <th scope="col" class="num">
                  Visitors
                </th>
                <th scope="col" class="num">
                  Orders
                </th>
                <th scope="col" class="num">
                  Conversion
                </th>
                <th scope="col" class="num">
                  {inReporting('Revenue', t.reporting)}
                </th>
                <th scope="col" class="num">
                  {inReporting('AOV', t.reporting)}
                </th>
                <th scope="col" class="num">
                  {inReporting('Revenue / visitor', t.reporting)}
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.value} data-group={g.value}>
                  <th scope="row">{g.value || <span class="muted">(none)</span>}</th>
                  <td class="num" data-field="visitors">
                    {fmtInt(g.visitors)}
                  </td>
                  <td class="num" data-field="orders">
                    {fmtInt(g.orders)}
                  </td>
                  <td class="num" data-field="conversion">
                    {fmtPct(g.conversion_rate?.rate)}
                  </td>
                  <td class="num" data-field="revenue">
                    <Money t={g} field="revenue" />
                  </td>
                  <td class="num" data-field="aov">
                    <Money t={g} field="average_order_value" />
                  </td>
                  <td class="num" data-field="rpv">
                    <Money t={g} field="revenue_per_visitor" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {groups.length > 0 && missing ? (
        <p class="muted small" data-note="missing-rates">
          Converted figures: {missing}.
        </p>
      ) : null}
      {r.breakdown && r.breakdown.other_groups > 0 ? (
        <p class="muted small">{fmtInt(r.breakdown.other_groups)} more not shown.</p>
      ) : null}
    </>
  );
}

export function Forecast(props: {
  api: Api;
  site: string;
  tz: string;
  route: Route;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}) {
  const { api, site, tz, route, navigate } = props;
  const parsed = Number.parseInt(route.target ?? '', 10);
  const target = parsed >= 1 && parsed <= 100_000_000 ? parsed : undefined;
  const [loaded, retry] = useLoad<ForecastResponse>(
    () => api.forecast(site, tz, target),
    [api, site, tz, target],
  );
  const [draft, setDraft] = useState(target ? String(target) : '');
  return (
    <section class="card" aria-labelledby="forecast-title" data-section="forecast">
      <h2 id="forecast-title">Forecast, next 30 days</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number.parseInt(draft, 10);
          navigate({ target: n >= 1 ? String(n) : undefined });
        }}
      >
        <label for="f-target">Orders wanted</label>
        <input
          id="f-target"
          type="number"
          min={1}
          max={100_000_000}
          inputMode="numeric"
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Visitors needed</button>
      </form>
      <Show loaded={loaded} what="the forecast" retry={retry}>
        {(f) => <ForecastBody f={f} />}
      </Show>
    </section>
  );
}

const range = (i: { expected: number; low: number; high: number }, fmt: (n: number) => string) =>
  `${fmt(i.low)} – ${fmt(i.high)}`;

function ForecastBody({ f }: { f: ForecastResponse }) {
  const lines = useMemo(
    () => [
      { label: 'Expected visitors', color: '--c1', values: f.daily.map((d) => d.visitors) },
      { label: 'Expected orders', color: '--c2', values: f.daily.map((d) => d.orders) },
    ],
    [f],
  );
  const days = useMemo(() => f.daily.map((d) => d.day), [f]);
  if (f.history.visitors === 0)
    return (
      <p class="muted" data-empty="forecast">
        No visitors in the days before {f.horizon.from}: the forecast learns from them.
      </p>
    );
  if (f.status === 'not_enough_history' || !f.visitors || !f.orders)
    return (
      <div data-empty="forecast" data-status={f.status}>
        <p>
          <strong>Not enough history yet.</strong> The forecast needs {f.min_history_days} days of traffic
          (every weekday twice); this site has {fmtInt(f.history.days)} ({f.history.from} – {f.history.to}
          ).
        </p>
        <p class="muted small">
          A forecast from fewer days guesses the weekdays it has not seen; it appears here once there is
          enough.
        </p>
      </div>
    );
  const visitors = f.visitors;
  const orders = f.orders;
  const round = (n: number) => fmtInt(Math.round(n));
  return (
    <>
      <p class="muted small">
        {f.horizon.from} – {f.horizon.to}, learnt from {f.history.from} – {f.history.to} (
        {fmtInt(f.history.days)} days, {fmtInt(f.history.visitors)} visitors, {fmtInt(f.history.orders)}{' '}
        orders). Intervals are 95 %; the shorter the history, the wider they are.
      </p>
      <div class="kpis" data-totals="forecast">
        <Kpi id="fc-orders" label="Orders" value={round(orders.expected)} hint={range(orders, round)} />
        <Kpi
          id="fc-visitors"
          label="Visitors"
          value={round(visitors.expected)}
          hint={range(visitors, round)}
        />
        {f.reporting ? (
          <Kpi
            id="fc-revenue"
            label={inReporting('Revenue', f.reporting)}
            value={
              <Converted
                reporting={f.reporting}
                value={f.reporting.revenue}
                detail={f.revenue.map((r) => ({
                  currency: r.currency,
                  amount: r.expected,
                  note: `(${range(r, (n) => fmtMoney(n, r.currency))})`,
                }))}
              />
            }
            hint={['no interval for a sum of currencies', missingText(f.reporting.missing_rates)]
              .filter(Boolean)
              .join(' · ')}
          />
        ) : (
          f.revenue.map((r) => (
            <Kpi
              key={r.currency}
              id={`fc-revenue-${r.currency}`}
              label={`Revenue (${r.currency})`}
              value={fmtMoney(r.expected, r.currency)}
              hint={range(r, (n) => fmtMoney(n, r.currency))}
            />
          ))
        )}
        <Kpi
          id="fc-conversion"
          label="Orders per visitor"
          value={fmtPct(f.conversion_rate?.rate)}
          hint={
            f.conversion_rate
              ? `${fmtPct(f.conversion_rate.low)} – ${fmtPct(f.conversion_rate.high)}`
              : undefined
          }
        />
      </div>
      {f.target ? (
        <p data-target={f.target.orders}>
          For <strong>{fmtInt(f.target.orders)}</strong> orders:{' '}
          {f.target.visitors_needed === null ? (
            'unknown (no orders in the history yet).'
          ) : (
            <>
              about <strong data-field="visitors-needed">{fmtInt(f.target.visitors_needed)}</strong> visitors
              (<span data-field="visitors-needed-90">{fmtInt(f.target.visitors_needed_90 ?? 0)}</span> for a
              90 % chance); <span data-field="expected-visitors">{round(f.target.expected_visitors)}</span>{' '}
              are expected.
            </>
          )}
        </p>
      ) : null}
      <TimeSeries days={days} lines={lines} title="Expected visitors and orders by day" />
    </>
  );
}
