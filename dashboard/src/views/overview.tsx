/**
 * Overview: headline figures with their change against the previous period, the daily series,
 * and the top values. Numbers are the API's (overview, orders summary, realtime), only formatted.
 */
import type { CountRow, OrdersSummaryResponse, OverviewResponse } from '@funnelhouse/schemas';

/** What each top list counts (the API docs say the same, `TOP_DEFINITIONS`). */
const TOP_NOTES: Record<string, string> = {
  Pages: 'Visitors who viewed the page; a visitor counts on every page they viewed.',
};
const FIRST_TOUCH_NOTE =
  'Visitors by first touch: each visitor once, by their first visit in the range (as on the revenue report). Pageviews by their own visit.';

import { useMemo, useState } from 'preact/hooks';
import type { Api, RangeQuery } from '../api.ts';
import { type Line, TimeSeries } from '../charts/time-series.tsx';
import { fmtChange, fmtInt, fmtMoney, fmtPct } from '../format.ts';
import { Empty, NoPrevious, Show, useLoad } from '../load.tsx';
import { previousRange } from '../range.ts';
import type { Segment, SegmentColumn } from '../route.ts';
import { Converted, inReporting, missingText } from './money.tsx';

/** The current period's answers, and the request they answer. */
interface Current {
  asked: string;
  now: OverviewResponse;
  orders: OrdersSummaryResponse;
  live: number;
}

/** The previous period's answers, or the note that it had no events. */
interface Comparison {
  before?: OverviewResponse;
  ordersBefore?: OrdersSummaryResponse;
  /** Compare is on but the previous period has no events: its dates, for the note. */
  emptyBefore?: { from: string; to: string };
}

type Data = Omit<Current, 'asked'> & Comparison;

export function Overview(props: {
  api: Api;
  site: string;
  range: RangeQuery;
  compare: boolean;
  segment: Segment;
  onSegment: (s: Segment) => void;
  onInstall: () => void;
}) {
  const { api, site, range, compare, segment } = props;
  const segKey = JSON.stringify(segment);
  // What the current figures answer; the comparison waits for exactly these.
  const asked = JSON.stringify([site, range.from, range.to, range.tz, segKey]);
  const [loaded, retry] = useLoad<Current>(async () => {
    const [now, orders, live] = await Promise.all([
      api.overview(site, range, segment),
      api.orders(site, range, segment),
      api.realtime(site),
    ]);
    return { asked, now, orders, live: live.visitors };
  }, [api, site, range.from, range.to, range.tz, segKey]);
  // The previous period is asked once the current figures are shown, so that on a busy server
  // its queries do not hold up the page (the first page's figures in BENCHMARKS.md).
  const shown = loaded.state === 'ok' && loaded.data.asked === asked;
  const [compared] = useLoad<Comparison>(async () => {
    if (!compare || !shown) return {};
    const prev = previousRange(range);
    const [before, ordersBefore] = await Promise.all([
      // The comparison reads the previous period's totals and days, not its top lists.
      api.overview(site, prev, segment, 0),
      api.orders(site, prev, segment),
    ]);
    // Nothing before: no comparison, a note says why (see `NoPrevious`).
    return before.totals.events > 0
      ? { before, ordersBefore }
      : { emptyBefore: { from: before.from, to: before.to } };
  }, [api, site, range.from, range.to, range.tz, compare, segKey, shown]);
  const comparing = compare && compared.state === 'loading';
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Overview</h1>
      <Filters segment={segment} onSegment={props.onSegment} />
      <Show loaded={loaded} what="the overview" retry={retry}>
        {(current) => {
          const d: Data = { ...current, ...(compared.state === 'ok' ? compared.data : {}) };
          return d.now.totals.events === 0 && Object.keys(segment).length > 0 ? (
            <Empty title="No sessions in this segment">
              <p>No session in this range matches every filter above: remove one, or pick a longer range.</p>
            </Empty>
          ) : d.now.totals.events === 0 && d.live === 0 ? (
            <Empty title="No events in this range">
              <p>
                Nothing has arrived for {d.now.from} – {d.now.to}. Put the snippet on your pages (see{' '}
                <a
                  href="?view=install"
                  onClick={(e) => {
                    e.preventDefault();
                    props.onInstall();
                  }}
                >
                  Install
                </a>
                ), pick a longer range, or for the demo run <code>pnpm seed</code>.
              </p>
            </Empty>
          ) : (
            <OverviewBody
              d={d}
              comparison={
                comparing ? 'loading' : compare && compared.state === 'error' ? compared.error.message : ''
              }
              filtered={Object.keys(segment).length > 0}
              onFilter={(c, v) => props.onSegment({ ...segment, [c]: v })}
            />
          );
        }}
      </Show>
    </main>
  );
}

function OverviewBody({
  d,
  comparison,
  filtered,
  onFilter,
}: {
  d: Data;
  /** The comparison's state when it is not (yet) shown: `loading`, a failure's message, or ''. */
  comparison: string;
  filtered: boolean;
  onFilter: (c: SegmentColumn, v: string) => void;
}) {
  const t = d.now.totals;
  const b = d.before?.totals;
  const rate = (o: OrdersSummaryResponse, v: number) => (v > 0 ? o.totals.orders / v : null);
  const conv = rate(d.orders, t.visitors);
  // Above a few thousand distinct ids the server estimates visitors and sessions, and says so.
  const estimate = (field: string) =>
    d.now.distinct_counts?.estimated.includes(field)
      ? `estimate, ±${(d.now.distinct_counts.relative_standard_error * 100).toFixed(1)} %`
      : undefined;
  const convBefore = d.ordersBefore && b ? rate(d.ordersBefore, b.visitors) : undefined;
  return (
    <>
      {d.emptyBefore ? <NoPrevious {...d.emptyBefore} tz={d.now.tz} /> : null}
      {comparison ? (
        <p class="muted" role="status" data-note="comparison">
          {comparison === 'loading'
            ? 'Comparing with the previous period…'
            : `The previous period could not be loaded: ${comparison}`}
        </p>
      ) : null}
      <section aria-label="Key figures" class="kpis">
        <Kpi
          id="live"
          label="Visitors now"
          hint={filtered ? 'last 5 minutes, all traffic' : 'last 5 minutes'}
          value={fmtInt(d.live)}
        />
        <Kpi
          id="visitors"
          label="Visitors"
          hint={estimate('totals.visitors')}
          value={fmtInt(t.visitors)}
          change={fmtChange(t.visitors, b?.visitors)}
        />
        <Kpi
          id="sessions"
          label="Sessions"
          hint={estimate('totals.sessions')}
          value={fmtInt(t.sessions)}
          change={fmtChange(t.sessions, b?.sessions)}
        />
        <Kpi
          id="pageviews"
          label="Pageviews"
          value={fmtInt(t.pageviews)}
          change={fmtChange(t.pageviews, b?.pageviews)}
        />
        <Kpi
          id="conversion"
          label="Conversion rate"
          hint="orders ÷ visitors"
          value={fmtPct(conv)}
          change={conv != null && convBefore != null ? fmtChange(conv, convBefore) : undefined}
        />
        <Kpi
          id="orders"
          label="Orders"
          value={fmtInt(d.orders.totals.orders)}
          change={fmtChange(d.orders.totals.orders, d.ordersBefore?.totals.orders)}
        />
        {d.orders.reporting ? (
          <ReportingRevenue now={d.orders} before={d.ordersBefore} />
        ) : d.orders.by_currency.length === 0 ? (
          <Kpi id="revenue" label="Revenue" value="–" hint="no orders" />
        ) : (
          d.orders.by_currency.map((c) => (
            <Kpi
              key={c.currency}
              id={`revenue-${c.currency}`}
              label={`Revenue (${c.currency})`}
              value={fmtMoney(c.revenue, c.currency)}
              change={fmtChange(
                c.revenue,
                d.ordersBefore?.by_currency.find((x) => x.currency === c.currency)?.revenue ??
                  (d.ordersBefore ? 0 : undefined),
              )}
            />
          ))
        )}
      </section>
      <Series d={d} />
      <section class="tops" aria-label="Top values">
        <TopCard title="Pages" tabs={{ Pages: d.now.top.pages }} onFilter={onFilter} />
        <TopCard
          title="Sources"
          tabs={{
            Channels: d.now.top.channels,
            Sources: d.now.top.utm_sources,
            Campaigns: d.now.top.utm_campaigns,
            Referrers: d.now.top.referrer_hosts,
          }}
          onFilter={onFilter}
        />
        <TopCard title="Countries" tabs={{ Countries: d.now.top.countries }} onFilter={onFilter} />
        <TopCard
          title="Devices"
          tabs={{ Devices: d.now.top.devices, Browsers: d.now.top.browsers }}
          onFilter={onFilter}
        />
      </section>
    </>
  );
}

/**
 * One revenue card in the reporting currency (the orders summary's conversion, segment included),
 * each currency's revenue behind a disclosure, the currencies without a rate named.
 */
function ReportingRevenue({
  now,
  before,
}: {
  now: OrdersSummaryResponse;
  before?: OrdersSummaryResponse | undefined;
}) {
  const r = now.reporting;
  if (!r) return null;
  const b = before?.reporting;
  return (
    <Kpi
      id="revenue"
      label={inReporting('Revenue', r)}
      value={
        <Converted
          reporting={r}
          value={r.revenue}
          detail={now.by_currency.map((c) => ({ currency: c.currency, amount: c.revenue }))}
        />
      }
      change={before ? fmtChange(r.revenue, b?.currency === r.currency ? b.revenue : undefined) : undefined}
      hint={missingText(r.missing_rates) || undefined}
    />
  );
}

export function Kpi(props: {
  id: string;
  label: string;
  value: preact.ComponentChildren;
  hint?: string;
  change?: { text: string; sign: number } | undefined;
}) {
  const c = props.change;
  return (
    <div class="kpi" data-kpi={props.id}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value">{props.value}</div>
      {c?.text ? (
        <div class={`kpi-change ${c.sign > 0 ? 'up' : c.sign < 0 ? 'down' : ''}`}>
          {c.text} <span class="muted">vs previous</span>
        </div>
      ) : null}
      {props.hint ? <div class="muted small">{props.hint}</div> : null}
    </div>
  );
}

const SERIES = [
  { key: 'visitors', label: 'Visitors', color: '--c1' },
  { key: 'sessions', label: 'Sessions', color: '--c2' },
  { key: 'pageviews', label: 'Pageviews', color: '--c3' },
] as const;

function Series({ d }: { d: Data }) {
  const [metric, setMetric] = useState<(typeof SERIES)[number]['key']>('visitors');
  const { days, lines } = useMemo(() => {
    const m = SERIES.find((s) => s.key === metric) ?? SERIES[0];
    const days = d.now.daily.map((p) => p.day);
    const lines: Line[] = [{ label: m.label, color: m.color, values: d.now.daily.map((p) => p[m.key]) }];
    if (d.before) {
      const prev = d.before.daily;
      lines.push({
        label: `${m.label}, previous period`,
        color: '--muted',
        dashed: true,
        values: days.map((_, i) => prev[i]?.[m.key] ?? null),
      });
    }
    return { days, lines };
  }, [d, metric]);
  return (
    <section class="card" aria-labelledby="series-title">
      <div class="card-head">
        <h2 id="series-title">Daily</h2>
        <div class="seg">
          {SERIES.map((s) => (
            <button
              key={s.key}
              type="button"
              aria-pressed={metric === s.key}
              onClick={() => setMetric(s.key)}
            >
              {s.label}
            </button>
          ))}
        </div>
      </div>
      <TimeSeries days={days} lines={lines} title={`Daily ${metric}`} tz={d.now.tz} />
    </section>
  );
}

const SINGULAR: Record<string, string> = {
  Pages: 'Page',
  Channels: 'Channel',
  Sources: 'Source',
  Campaigns: 'Campaign',
  Referrers: 'Referrer',
  Countries: 'Country',
  Devices: 'Device',
  Browsers: 'Browser',
};

const COLUMN_OF: Record<string, SegmentColumn> = {
  Pages: 'path',
  Channels: 'channel',
  Sources: 'utm_source',
  Campaigns: 'utm_campaign',
  Referrers: 'referrer_host',
  Countries: 'country',
  Devices: 'device',
  Browsers: 'browser',
};
const LABEL_OF: Record<SegmentColumn, string> = {
  path: 'Page',
  channel: 'Channel',
  utm_source: 'Source',
  utm_campaign: 'Campaign',
  referrer_host: 'Referrer',
  country: 'Country',
  device: 'Device',
  browser: 'Browser',
};

/** The segment as removable chips; the report counts the sessions that match all of them. */
function Filters({ segment, onSegment }: { segment: Segment; onSegment: (s: Segment) => void }) {
  const entries = Object.entries(segment) as [SegmentColumn, string][];
  if (entries.length === 0) {
    return <p class="muted small">Click a value in a table below to see only the sessions that had it.</p>;
  }
  return (
    <fieldset class="filters">
      <legend class="visually-hidden">Filters</legend>
      <span class="muted">Sessions with</span>
      {entries.map(([c, v]) => (
        <button
          key={c}
          type="button"
          class="chip"
          aria-label={`Remove filter ${LABEL_OF[c]} ${v}`}
          onClick={() => {
            const next = { ...segment };
            delete next[c];
            onSegment(next);
          }}
        >
          {LABEL_OF[c]}: {v} ✕
        </button>
      ))}
      {entries.length > 1 ? (
        <button type="button" class="ghost" onClick={() => onSegment({})}>
          Clear all
        </button>
      ) : null}
    </fieldset>
  );
}

function TopCard({
  title,
  tabs,
  onFilter,
}: {
  title: string;
  tabs: Record<string, CountRow[]>;
  onFilter: (c: SegmentColumn, v: string) => void;
}) {
  const names = Object.keys(tabs);
  const [tab, setTab] = useState(names[0] ?? '');
  const rows = tabs[tab] ?? [];
  const max = Math.max(1, ...rows.map((r) => r.visitors));
  const id = `top-${title.toLowerCase()}`;
  return (
    <section class="card top" aria-labelledby={id} data-top={tab.toLowerCase()}>
      <div class="card-head">
        <h2 id={id}>{title}</h2>
        {names.length > 1 ? (
          <div role="tablist" aria-label={title} class="seg">
            {names.map((n) => (
              <button key={n} type="button" role="tab" aria-selected={tab === n} onClick={() => setTab(n)}>
                {n}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <p class="muted small" data-note="top">
        {TOP_NOTES[tab] ?? FIRST_TOUCH_NOTE}
      </p>
      {rows.length === 0 ? (
        <p class="muted">No {tab.toLowerCase()} in this range.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{SINGULAR[tab] ?? tab}</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                Pageviews
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.value}>
                <td class="bar-cell">
                  <span class="bar-fill" style={{ width: `${(100 * r.visitors) / max}%` }} />
                  <button
                    type="button"
                    class="bar-text link-button"
                    title={`Show only sessions with ${SINGULAR[tab]?.toLowerCase()} ${r.value}`}
                    onClick={() => {
                      const c = COLUMN_OF[tab];
                      if (c) onFilter(c, r.value);
                    }}
                  >
                    {r.value}
                  </button>
                </td>
                <td class="num">{fmtInt(r.visitors)}</td>
                <td class="num">{fmtInt(r.pageviews)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
