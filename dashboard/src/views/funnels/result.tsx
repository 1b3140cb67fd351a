/**
 * A funnel answer drawn: narrowing bars with the drop-off between steps, conversion with its 95 %
 * interval per step, units still in progress apart, time to convert (median, p90, histogram),
 * the previous period, the daily trend (uPlot) and the breakdown groups.
 */
import type { FunnelResult, FunnelSeriesResult } from '@funnelhouse/schemas';
import { useMemo } from 'preact/hooks';
import { TimeSeries } from '../../charts/time-series.tsx';
import { fmtDuration, fmtInt, fmtPct } from '../../format.ts';
import { NoPrevious } from '../../load.tsx';
import type { Insight } from './insight-route.ts';

const interval = (r: { low: number | null; high: number | null }) =>
  r.low == null || r.high == null ? '' : `${fmtPct(r.low)} – ${fmtPct(r.high)}`;

/** What "may still continue" means, on hover (the API's `in_progress`: window open, not converted). */
const STILL_OPEN =
  'Reached this step recently and have not finished yet: their time to complete the funnel has not run out, so they may still reach the next steps. Until then they count as not converted.';

/**
 * The looks behind the funnel's drops the chart offers: "why" and "where" for each step's drop,
 * "why" for the whole funnel; `open` is the one shown.
 */
export interface InsightLinks {
  open: Insight | undefined;
  /** Paths follow visitors only. */
  paths: boolean;
  onOpen: (i: Insight) => void;
}

export function FunnelChart({ result, insights }: { result: FunnelResult; insights?: InsightLinks }) {
  const steps = result.overall.steps;
  const entered = steps[0]?.units ?? 0;
  // A previous period nobody entered is no comparison: a note says so instead.
  const emptyBefore = result.compare !== undefined && (result.compare.overall.steps[0]?.units ?? 0) === 0;
  const before = emptyBefore ? undefined : result.compare?.overall.steps;
  const unmatched = steps.filter((_s, i) => result.step_events[i] === 0).map((s) => s.step);
  if (entered === 0) {
    return (
      <p class="banner warn" role="status">
        Nobody entered this funnel in {result.from} – {result.to}.{' '}
        {unmatched.length > 0
          ? `No event in this range matches step ${unmatched.join(', ')}: check its event, name and page path.`
          : 'Check the first step (event, page path) or pick a longer range.'}
      </p>
    );
  }
  return (
    <section class="card" aria-labelledby="result-title">
      <h2 id="result-title">Conversion</h2>
      {emptyBefore && result.compare ? (
        <NoPrevious from={result.compare.from} to={result.compare.to} tz={result.tz} />
      ) : null}
      <ol class="funnel">
        {steps.map((s, i) => (
          <li key={s.step} class="fstep" data-step={s.step}>
            {i > 0 ? (
              <div class="drop">
                ↓ <span data-field="dropped">{fmtInt(s.dropped)}</span> dropped ({fmtPct(s.drop_share)}) ·{' '}
                <span data-field="from-previous">{fmtPct(s.from_previous.rate)}</span> of the previous step
                {s.time_from_previous.median_ms != null
                  ? ` · median ${fmtDuration(s.time_from_previous.median_ms)}`
                  : ''}
                {insights && s.dropped > 0 ? <DropLinks links={insights} from={s.step - 1} /> : null}
              </div>
            ) : null}
            <div class="fstep-head">
              <span class="fstep-label">
                {s.step}. {s.label}
                {s.optional ? <span class="muted"> (optional)</span> : null}
              </span>
              <span>
                <strong data-field="units">{fmtInt(s.units)}</strong>{' '}
                <span data-field="rate">{fmtPct(s.from_entry.rate)}</span>
                <span class="muted small" data-field="interval">
                  {' '}
                  {interval(s.from_entry)}
                </span>
              </span>
            </div>
            {result.step_events[i] === 0 ? (
              <p class="funnel-step-warn" data-warn="no-match">
                No event in this range matches this step: check its event, name and page path.
              </p>
            ) : null}
            <div class="fbar" aria-hidden="true">
              <span class="fbar-fill" style={{ width: `${Math.max(0.5, 100 * (s.units / entered))}%` }} />
            </div>
            <div class="muted small">
              {s.in_progress > 0 ? (
                <span data-field="in-progress">
                  <span class="funnel-hint" title={STILL_OPEN}>
                    {fmtInt(s.in_progress)} may still continue
                  </span>{' '}
                  ·{' '}
                </span>
              ) : null}
              {before?.[i] ? (
                <span data-field="previous">
                  previous period {fmtInt(before[i].units)} ({fmtPct(before[i].from_entry.rate)})
                </span>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      {insights && steps.length > 2 ? (
        <p class="insight-links">
          <InsightButton links={insights} insight={{ kind: 'why', from: 1, to: steps.length }}>
            Why did they not convert?<span class="visually-hidden"> (step 1 → {steps.length})</span>
          </InsightButton>
        </p>
      ) : null}
      {result.skipped_units > 0 ? (
        <p class="banner warn">
          {fmtInt(result.skipped_units)} left out: too much activity to evaluate (crawlers or load tests).
        </p>
      ) : null}
      <TimeToConvert series={result.overall} />
      {result.trend && result.trend.length > 1 ? <Trend result={result} /> : null}
    </section>
  );
}

function InsightButton({
  links,
  insight,
  children,
}: {
  links: InsightLinks;
  insight: Insight;
  children: preact.ComponentChildren;
}) {
  const o = links.open;
  const open = o?.kind === insight.kind && o.from === insight.from && o.to === insight.to;
  return (
    <button
      type="button"
      class="ghost insight-button"
      aria-pressed={open}
      data-insight={`${insight.kind}:${insight.from}-${insight.to}`}
      onClick={() => links.onOpen(insight)}
    >
      {children}
    </button>
  );
}

/** "Why did they drop here?" and "Where did they go?" for the drop from step `from` to the next. */
function DropLinks({ links, from }: { links: InsightLinks; from: number }) {
  const pair = (
    <span class="visually-hidden">
      {' '}
      (step {from} → {from + 1})
    </span>
  );
  return (
    <span class="insight-links">
      <InsightButton links={links} insight={{ kind: 'why', from, to: from + 1 }}>
        Why did they drop here?{pair}
      </InsightButton>
      {links.paths ? (
        <InsightButton links={links} insight={{ kind: 'where', from, to: from + 1 }}>
          Where did they go?{pair}
        </InsightButton>
      ) : null}
    </span>
  );
}

function TimeToConvert({ series }: { series: FunnelSeriesResult }) {
  const lastStep = series.steps[series.steps.length - 1];
  const buckets = series.time_to_convert;
  const max = Math.max(1, ...buckets.map((b) => b.units));
  return (
    <div class="ttc">
      <h3>Time to convert</h3>
      <p>
        Median <strong data-field="median">{fmtDuration(lastStep?.time_from_entry.median_ms)}</strong>, 90th
        percentile <strong data-field="p90">{fmtDuration(lastStep?.time_from_entry.p90_ms)}</strong>
      </p>
      {buckets.length > 0 ? (
        <table class="hist">
          <caption class="visually-hidden">Conversions by time from the first step</caption>
          <thead>
            <tr>
              <th scope="col">Time from the first step</th>
              <th scope="col" class="num">
                Converted
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.from_ms}>
                <td class="bar-cell">
                  <span class="bar-fill" style={{ width: `${(100 * b.units) / max}%` }} />
                  <span class="bar-text">
                    {b.to_ms == null
                      ? `${fmtDuration(b.from_ms)} or more`
                      : `${fmtDuration(b.from_ms)} – ${fmtDuration(b.to_ms)}`}
                  </span>
                </td>
                <td class="num">{fmtInt(b.units)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function Trend({ result }: { result: FunnelResult }) {
  const { days, lines } = useMemo(() => {
    const t = result.trend ?? [];
    return {
      days: t.map((p) => p.period),
      lines: [
        {
          label: 'Conversion %',
          color: '--c2',
          values: t.map((p) => (p.conversion.rate == null ? null : 100 * p.conversion.rate)),
        },
      ],
    };
  }, [result]);
  return (
    <div>
      <h3>Conversion by entry day</h3>
      <TimeSeries days={days} lines={lines} title="Conversion by entry day" tz={result.tz} unit="%" />
    </div>
  );
}

export function BreakdownTable({ result }: { result: FunnelResult }) {
  const groups = result.breakdown ?? [];
  if (groups.length === 0) return null;
  return (
    <section class="card" aria-labelledby="bd-title">
      <h2 id="bd-title">Breakdown</h2>
      <p class="muted small" data-note="breakdown">
        People who entered this funnel, grouped by the value they had when they entered: not all visitors, so
        not the overview's or the revenue report's visitors by first touch.
      </p>
      <div class="table-scroll">
        <table data-table="breakdown" data-cards="">
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col" class="num">
                Entered
              </th>
              <th scope="col" class="num">
                Converted
              </th>
              <th scope="col" class="num">
                Conversion
              </th>
              <th scope="col" class="num">
                95 % interval
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const first = g.steps[0];
              const last = g.steps[g.steps.length - 1];
              return (
                <tr key={`${g.kind}:${g.value}`}>
                  <td data-label="Value">
                    {g.kind === 'none' ? '(none)' : g.kind === 'other' ? 'Other' : g.value}
                  </td>
                  <td class="num" data-label="Entered">
                    {fmtInt(first?.units ?? 0)}
                  </td>
                  <td class="num" data-label="Converted">
                    {fmtInt(last?.units ?? 0)}
                  </td>
                  <td class="num" data-label="Conversion" data-field="conversion">
                    {fmtPct(last?.from_entry.rate)}
                  </td>
                  <td class="num" data-label="95 % interval">
                    {last ? interval(last.from_entry) : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
