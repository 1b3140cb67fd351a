/**
 * Experiments: the list with status, and one experiment's results for the header's range: the
 * verdict in plain words, health banners (sample ratio mismatch and others), the exposure split,
 * and per metric a table of every variant (value with interval, uplift with interval, chance to
 * beat control, p-values).
 */
import type { ExperimentResult, SavedExperiment } from '@funnelhouse/schemas';
import type { Api, RangeQuery } from '../../api.ts';
import { fmtInt, fmtPct } from '../../format.ts';
import { Empty, Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { RESULT_EXTRAS } from './extras.tsx';
import { fmtP, healthWarnings, metricLabel, verdict } from './verdict.ts';

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
  const [loaded, retry] = useLoad<ExperimentResult>(
    () => api.experimentResults(site, exp.key, range),
    [api, site, exp.key, range.from, range.to, range.tz],
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
      <Show loaded={loaded} what="the results" retry={retry}>
        {(r) => <ResultBody r={r} />}
      </Show>
    </>
  );
}

function ResultBody({ r }: { r: ExperimentResult }) {
  const total = r.variants.reduce((n, v) => n + v.units, 0);
  const v = verdict(r);
  return (
    <>
      {healthWarnings(r).map((w) => (
        <div key={w.id} class={`banner ${w.kind}`} role="alert" data-warning={w.id}>
          {w.text}
        </div>
      ))}
      <p class={`verdict ${v.tone}`} data-verdict={v.tone}>
        {v.text}
      </p>
      <section class="card" aria-labelledby="split-title">
        <h2 id="split-title">Exposed visitors</h2>
        {total === 0 ? (
          <p class="muted">
            No exposures in {r.from} – {r.to}. Check that the pages show the experiment, or pick a longer
            range.
          </p>
        ) : (
          <ul class="split">
            {r.variants.map((x) => (
              <li key={x.key} data-variant={x.key}>
                <strong>{x.key}</strong> {fmtInt(x.units)} ({fmtPct(x.units / total)}; planned{' '}
                {fmtPct(x.weight / r.variants.reduce((n, y) => n + y.weight, 0))})
              </li>
            ))}
          </ul>
        )}
        {r.health.srm.checked ? null : (
          <p class="muted small">
            The split is checked for sample ratio mismatch from 8 visitors per variant and 100 in all.
          </p>
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

function MetricTable({ m, control }: { m: ExperimentResult['metrics'][number]; control: string }) {
  const isRate = (m.metric as { kind: string }).kind === 'conversion';
  const value = (x: number | null | undefined) =>
    x == null ? '–' : isRate ? fmtPct(x) : x.toLocaleString('en-US', { maximumFractionDigits: 3 });
  const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${fmtPct(Math.abs(x))}`;
  const label = metricLabel(m.metric);
  return (
    <section class="card" aria-label={`${m.role} metric: ${label}`} data-metric={m.role}>
      <h2>
        {m.role === 'primary' ? 'Primary' : 'Secondary'}: {label}
      </h2>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                {isRate ? 'Rate' : 'Mean'}
              </th>
              <th scope="col" class="num">
                95 % interval
              </th>
              <th scope="col" class="num">
                Uplift
              </th>
              <th scope="col" class="num">
                Uplift interval
              </th>
              <th scope="col" class="num">
                Chance to beat {control}
              </th>
              <th scope="col" class="num">
                p-value (Holm)
              </th>
            </tr>
          </thead>
          <tbody>
            {m.variants.map((x) => {
              const c = x.comparison;
              return (
                <tr key={x.variant} data-variant={x.variant}>
                  <th scope="row">
                    {x.variant}
                    {x.variant === control ? <span class="muted small"> control</span> : null}
                  </th>
                  <td class="num" data-field="units">
                    {fmtInt(x.units)}
                  </td>
                  <td class="num" data-field="value">
                    {value(x.value)}
                  </td>
                  <td class="num">
                    {x.interval ? `${value(x.interval.low)} – ${value(x.interval.high)}` : '–'}
                  </td>
                  <td class="num" data-field="uplift">
                    {c?.relative ? signedPct(c.relative.estimate) : '–'}
                  </td>
                  <td class="num">
                    {c?.relative
                      ? `${signedPct(c.relative.interval.low)} to ${signedPct(c.relative.interval.high)}`
                      : '–'}
                  </td>
                  <td class="num" data-field="chance">
                    {c ? fmtPct(c.chance_to_beat_control) : '–'}
                  </td>
                  <td class="num" data-field="p">
                    {c ? `${fmtP(c.p_value)} (${fmtP(c.p_value_holm)})` : '–'}
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
