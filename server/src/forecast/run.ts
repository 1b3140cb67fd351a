/**
 * Answers the forecast: the history's visitors and orders per day (the revenue report's queries),
 * the days with data, then the model (`stats/forecast.ts`) over the horizon's weekdays, the
 * expected revenue converted at the site's rates and the visitors a target needs.
 */
import {
  type CurrencyRates,
  FORECAST_MODEL,
  type ForecastQuery,
  type ForecastResponse,
} from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import type { Trace } from '../clickhouse/query.ts';
import { revenueSums } from '../revenue/run.ts';
import { addDays, daysBetween } from '../sql/days.ts';
import type { ReportRange } from '../sql/range.ts';
import { forecastOrders, historyWithData, MIN_HISTORY_DAYS, visitorsNeeded } from '../stats/forecast.ts';
import { currencyHistory, forecastReporting, historyDays, weekday } from './shape.ts';

/** The question as the route read it: the horizon's first day, its length, a target, the rates. */
export type ForecastQuestion = Pick<ForecastQuery, 'days' | 'target_orders'> & {
  first: string;
  rates: CurrencyRates | undefined;
};

/** `range` is the history: the `history_days` before `first`, in the report's zone. */
export async function runForecast(
  store: Store,
  range: ReportRange,
  q: ForecastQuestion,
  trace?: Trace,
): Promise<ForecastResponse> {
  const { visitors: visitorRows, orders: orderRows } = await revenueSums(store, range, 'none', '', trace);
  const history = historyWithData(
    historyDays(daysBetween(range.firstDay, range.lastDay), visitorRows, orderRows),
  );
  const future = daysBetween(q.first, addDays(q.first, q.days - 1));
  const totals = {
    visitors: visitorRows.find((r) => r.day === '')?.visitors ?? 0,
    orders: history.reduce((s, d) => s + d.orders, 0),
  };
  const common = {
    site_id: range.site,
    tz: range.tz,
    model: FORECAST_MODEL,
    min_history_days: MIN_HISTORY_DAYS,
    history: {
      from: history[0]?.day ?? range.firstDay,
      to: range.lastDay,
      days: history.length,
      ...totals,
    },
    horizon: { from: q.first, to: future[future.length - 1] ?? q.first, days: future.length },
  };
  if (history.length < MIN_HISTORY_DAYS) {
    return {
      ...common,
      status: 'not_enough_history',
      conversion_rate: null,
      visitors: null,
      orders: null,
      revenue: [],
      reporting: null,
      daily: [],
      target: null,
    };
  }
  const f = forecastOrders(history, future.map(weekday), currencyHistory(orderRows, history[0]?.day ?? ''));
  // The rate is per visitor-day: the model's unit is a day's visitors, as the traffic forecast.
  const visitorDays = history.reduce((s, d) => s + d.visitors, 0);
  let target: ForecastResponse['target'] = null;
  if (q.target_orders !== undefined) {
    const need = visitorsNeeded(q.target_orders, { visitors: visitorDays, orders: totals.orders });
    target = {
      orders: q.target_orders,
      visitors_needed: need.expected,
      visitors_needed_90: need.with_chance,
      expected_visitors: f.visitors.expected,
    };
  }
  return {
    ...common,
    status: 'ok',
    conversion_rate: f.conversion_rate,
    visitors: f.visitors,
    orders: f.orders,
    revenue: f.revenue,
    reporting: forecastReporting(f.revenue, q.rates),
    daily: future.map((day, i) => ({ day, ...(f.days[i] ?? { visitors: 0, orders: 0 }) })),
    target,
  };
}
