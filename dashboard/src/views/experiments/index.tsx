/**
 * Experiments: the list with status, and one experiment's results for the header's range: the
 * server's verdict as is (its health warnings as banners, the share of the planned sample beside
 * it), the exposure split, and per metric a table of every variant (value with interval, the
 * difference with the interval its p-value belongs to, relative uplift, chance to beat control).
 * Nothing statistical is computed here. While an experiment runs, the always-valid (sequential)
 * statistics are shown; the fixed-horizon ones are one click away.
 */
import type { ExperimentResult, SavedExperiment } from '@funnelhouse/schemas';
import { useState } from 'preact/hooks';
import type { Api, RangeQuery } from '../../api.ts';
import { fmtInt, fmtPct } from '../../format.ts';
import { Empty, Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { RESULT_EXTRAS } from './extras.tsx';
import { currencyUnit, fmtP, fmtSigned, metricLabel } from './labels.ts';

type Stats = 'sequential' | 'fixed';

export function Experiments(props: {
  api: Api;
  site: string;
  route: Route;
  range: RangeQuery;
  navigate: (r: Partial<Route>) => void;
}) {
  const { api, site, route, range, navigate } = props;
  const [list, retry] = useLoad<SavedExperiment[]>(
    async () => (await api.experiments(site)).experiments,
    [api, site],
  );
  return (
    <main aria-labelledby="view-title">
      <Show loaded={list} what="experiments" retry={retry}>
        {(exps) => {
          const open = exps.find((e) => e.key === route.exp);
          if (open)
            return (
              <Results
                api={api}
                site={site}
                exp={open}
                range={range}
                onBack={() => navigate({ exp: undefined })}
              />
            );
          return <List exps={exps} onOpen={(key) => navigate({ exp: key })} />;
        }}
      </Show>
    </main>
  );
}

function List({ exps, onOpen }: { exps: SavedExperiment[]; onOpen: (key: string) => void }) {
  return (
    <>
      <h1 id="view-title">Experiments</h1>
      {exps.length === 0 ? (
        <Empty title="No experiments yet">
          <p>
            Define one with <code>POST /api/v1/sites/:siteId/experiments</code> (see the API reference), and
            show its variants with <code>fh('variant', key, variants, weights, callback)</code> or the
            snippet's <code>data-fh-variant</code> and <code>data-fh-variants</code> attributes (see Install).
            The demo site comes with two experiments; <code>pnpm seed</code> sends their traffic.
          </p>
        </Empty>
      ) : (
        <div class="table-scroll">
          <table data-table="experiments">
            <thead>
              <tr>
                <th scope="col">Experiment</th>
                <th scope="col">Status</th>
                <th scope="col">Variants</th>
                <th scope="col">Primary metric</th>
              </tr>
            </thead>
            <tbody>
              {exps.map((e) => (
                <tr key={e.key}>
                  <td>
                    <a
                      href={`?view=experiments&exp=${encodeURIComponent(e.key)}`}
                      onClick={(ev) => {
                        ev.preventDefault();
                        onOpen(e.key);
                      }}
                    >
                      {e.name}
                    </a>{' '}
                    <span class="muted small">{e.key}</span>
                  </td>
                  <td>
                    <span class={`pill ${e.status}`}>{e.status}</span>
                  </td>
                  <td>{e.variants.map((v) => v.key).join(', ')}</td>
                  <td>{metricLabel(e.primary_metric)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Results(props: {
  api: Api;
  site: string;
  exp: SavedExperiment;
  range: RangeQuery;
  onBack: () => void;
}) {
  const { api, site, exp, range } = props;
  // Read daily while it runs, so the always-valid statistics by default.
  const [stats, setStats] = useState<Stats>(exp.status === 'running' ? 'sequential' : 'fixed');
  const [loaded, retry] = useLoad<ExperimentResult>(
    () => api.experimentResults(site, exp.key, range, stats === 'sequential'),
    [api, site, exp.key, range.from, range.to, range.tz, stats],
  );
  return (
    <>
      <p>
        <a
          href="?view=experiments"
          onClick={(e) => {
            e.preventDefault();
            props.onBack();
          }}
        >
          ← All experiments
        </a>
      </p>
      <h1 id="view-title">{exp.name}</h1>
      {exp.hypothesis ? <p class="muted">{exp.hypothesis}</p> : null}
      <StatsToggle stats={stats} onChange={setStats} />
      <Show loaded={loaded} what="the results" retry={retry}>
        {(r) => <ResultBody r={r} />}
      </Show>
    </>
  );
}

const STATS_WORDS: Record<Stats, { label: string; note: string }> = {
  sequential: {
    label: 'Always-valid (sequential)',
    note: 'Always-valid intervals and p-values (confidence sequences): safe to read every day.',
  },
  fixed: {
    label: 'Fixed horizon',
    note: 'Fixed-horizon intervals and p-values: valid when read once, at the planned sample.',
  },
};

function StatsToggle({ stats, onChange }: { stats: Stats; onChange: (s: Stats) => void }) {
  return (
    <div class="stats-toggle">
      <fieldset class="seg" data-stats={stats}>
        <legend class="visually-hidden">Statistics in the tables</legend>
        {(['sequential', 'fixed'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={stats === s} onClick={() => onChange(s)}>
            {STATS_WORDS[s].label}
          </button>
        ))}
      </fieldset>
      <p class="muted small">{STATS_WORDS[stats].note} The verdict is the same in both.</p>
    </div>
  );
}

const TEST_WORDS = { sequential: 'always-valid test', fixed_horizon: 'fixed-horizon test' } as const;

/** The server's verdict as is, with the share of the planned sample beside it. */
function Verdict({ r }: { r: ExperimentResult }) {
  const v = r.verdict;
  const p = v.progress;
  const unit = r.unit === 'user' ? 'users' : 'visitors';
  return (
    <>
      {v.warnings.map((w) => (
        <div
          key={w.code}
          class={`banner ${w.code === 'srm' ? 'error' : 'warn'}`}
          role="alert"
          data-warning={w.code}
        >
          {w.text}
        </div>
      ))}
      <section
        class={`verdict ${v.call}`}
        aria-label="Verdict"
        data-verdict={v.call}
        data-test={v.test ?? ''}
      >
        <p class="verdict-headline" data-field="headline">
          {v.headline}
        </p>
        <p class="verdict-progress" data-field="progress" data-share={p.share ?? ''}>
          {p.share === null || p.planned === null ? (
            <>
              No planned sample yet: {fmtInt(p.units)} {unit} in the smallest variant.
            </>
          ) : (
            <>
              <strong>{fmtPct(p.share)} of the planned sample</strong> ({fmtInt(p.units)} of{' '}
              {fmtInt(p.planned)} {unit} per variant)
            </>
          )}
          {v.test ? <span class="muted"> · rests on the {TEST_WORDS[v.test]}</span> : null}
        </p>
      </section>
    </>
  );
}

function ResultBody({ r }: { r: ExperimentResult }) {
  return (
    <>
      <Verdict r={r} />
      <section class="card" aria-labelledby="split-title">
        <h2 id="split-title">Exposed visitors</h2>
        {r.split.units === 0 ? (
          <p class="muted">
            No exposures in {r.from} – {r.to}. Check that the pages show the experiment, or pick a longer
            range.
          </p>
        ) : (
          <ul class="split">
            {r.variants.map((x, i) => {
              const split = r.split.variants[i];
              return (
                <li key={x.key} data-variant={x.key}>
                  <strong>{x.key}</strong> {fmtInt(x.units)} ({fmtPct(split?.share)}; planned{' '}
                  {fmtPct(split?.planned_share)})
                </li>
              );
            })}
          </ul>
        )}
        {r.health.srm.checked ? null : (
          <p class="muted small">The split is checked for sample ratio mismatch from 100 visitors in all.</p>
        )}
      </section>
      {r.metrics.map((m, i) => (
        <MetricTable key={`${m.role}-${i}`} m={m} control={r.control} />
      ))}
      {RESULT_EXTRAS.map(({ key, Section }) => (
        <Section key={key} result={r} />
      ))}
    </>
  );
}

const ROLE_WORDS = { primary: 'Primary', secondary: 'Secondary', guardrail: 'Guardrail' } as const;

/** The column headers, each saying its scale (the tooltip says it at length). */
function Head({ isRate, control, unit }: { isRate: boolean; control: string; unit: string }) {
  const th = (label: string, title: string) => (
    <th scope="col" class="num" title={title}>
      {label}
    </th>
  );
  return (
    <thead>
      <tr>
        <th scope="col">Variant</th>
        {th('Visitors', 'Units counted in this variant')}
        {th(isRate ? 'Rate' : `Mean${unit}`, 'The variant’s value')}
        {th('95 % interval', 'Interval of the variant’s value')}
        {th(
          isRate ? 'Difference (points, 95 % interval)' : 'Difference (95 % interval)',
          `Absolute difference, variant − ${control}, with its interval: the scale the p-value tests`,
        )}
        {th('p-value (Holm)', `Test of the absolute difference from ${control}; Holm-adjusted in brackets`)}
        {th('Relative uplift', `variant ÷ ${control} − 1 (its delta-method interval is in the API answer)`)}
        {th(`Chance to beat ${control}`, 'Bayesian, in the metric’s direction')}
      </tr>
    </thead>
  );
}

function MetricTable({ m, control }: { m: ExperimentResult['metrics'][number]; control: string }) {
  const isRate = m.variants.some((x) => 'conversions' in x.sums);
  // Money: the currency beside every amount (the server's `currency`; never two added).
  const unit = currencyUnit(m.currency);
  const num = (x: number) => (isRate ? fmtPct(x) : x.toLocaleString('en-US', { maximumFractionDigits: 3 }));
  const value = (x: number | null | undefined) => (x == null ? '–' : `${num(x)}${isRate ? '' : unit}`);
  // A rate's difference in percentage points; another metric's in its own units.
  const diff = (x: number) => (isRate ? `${fmtSigned(x * 100, 1)} pts` : `${fmtSigned(x)}${unit}`);
  const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${fmtPct(Math.abs(x))}`;
  const label = metricLabel(m.metric);
  const lower = m.metric.direction === 'decrease';
  return (
    <section class="card" aria-label={`${m.role} metric: ${label}`} data-metric={m.role}>
      <h2>
        {ROLE_WORDS[m.role]}: {label}
        {m.currency != null ? (
          <span class="unit" data-currency={m.currency}>
            {' '}
            in {m.currency === '' ? 'amounts without a currency' : m.currency}
          </span>
        ) : null}{' '}
        <span class="muted small" data-direction={lower ? 'decrease' : 'increase'}>
          ({lower ? 'lower' : 'higher'} is better)
        </span>
      </h2>
      {m.missing_rates.length > 0 ? (
        <p class="muted small" data-field="missing-rates">
          Left out, no rate to {m.currency}: amounts in{' '}
          {m.missing_rates.map((c) => (c === '' ? 'no currency' : c)).join(', ')}.
        </p>
      ) : null}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable). */}
      <section class="table-scroll" aria-label="The metric by variant" tabIndex={0}>
        <table data-cards="">
          <Head isRate={isRate} control={control} unit={unit} />
          <tbody>
            {m.variants.map((x) => {
              const c = x.comparison;
              const call = c?.significantly_better ? 'better' : c?.significantly_worse ? 'worse' : '';
              return (
                <tr key={x.variant} data-variant={x.variant} data-call={call}>
                  <th scope="row">
                    {x.variant}
                    {x.variant === control ? <span class="muted small"> control</span> : null}
                  </th>
                  <td class="num" data-field="units" data-label="Visitors">
                    {fmtInt(x.units)}
                  </td>
                  <td class="num" data-field="value" data-label={isRate ? 'Rate' : `Mean${unit}`}>
                    {value(x.value)}
                  </td>
                  <td class="num" data-field="interval" data-label="95 % interval">
                    {x.interval ? `${num(x.interval.low)} – ${value(x.interval.high)}` : '–'}
                  </td>
                  <td class="num" data-field="difference" data-label="Difference">
                    {c
                      ? `${diff(c.absolute.estimate)} (${isRate ? diff(c.absolute.interval.low) : fmtSigned(c.absolute.interval.low)} to ${diff(c.absolute.interval.high)})`
                      : '–'}
                    {call ? <span class={`call ${call}`}> {call}</span> : null}
                  </td>
                  <td class="num" data-field="p" data-label="p-value (Holm)">
                    {c ? `${fmtP(c.p_value)} (${fmtP(c.p_value_holm)})` : '–'}
                  </td>
                  <td class="num" data-field="uplift" data-label="Relative uplift">
                    {c?.relative ? signedPct(c.relative.estimate) : '–'}
                  </td>
                  <td class="num" data-field="chance" data-label={`Chance to beat ${control}`}>
                    {c ? fmtPct(c.chance_to_beat_control) : '–'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <p class="muted small">
        The difference and its interval are on the scale the p-value tests (
        {isRate ? 'percentage points' : unit ? unit.trim() : 'the metric’s units'}, variant − {control})
        {m.sequential ? ', always-valid' : ''}; the relative uplift is variant ÷ {control} − 1.
        {lower ? ' Lower is better here: a significant decrease is marked better.' : ''}
      </p>
    </section>
  );
}
