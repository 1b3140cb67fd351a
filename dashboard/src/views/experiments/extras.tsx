/**
 * Result sections for fields the results API is gaining (a cumulative-over-time series and a
 * sample-size / days-to-significance plan). Each section renders only when its field is in the
 * answer, so the page works with the API as it is and picks them up when they land. Adding one:
 * write a component `({ result }) => VNode | null` and list it in `RESULT_EXTRAS` with a key.
 */
import type { ExperimentResult } from '@funnelhouse/schemas';
import { useMemo } from 'preact/hooks';
import { type Line, TimeSeries } from '../../charts/time-series.tsx';

type Loose = Record<string, unknown>;
const COLORS = ['--c1', '--c2', '--c3', '--muted'];

/** `cumulative`: points with a day (`day`, `date` or `period`) and numeric series. */
function Cumulative({ result }: { result: ExperimentResult }) {
  const points = (result as unknown as Loose).cumulative;
  const drawn = useMemo(() => {
    if (!Array.isArray(points) || points.length < 2) return undefined;
    const rows = points as Loose[];
    const dayKey = ['day', 'date', 'period'].find((k) => typeof rows[0]?.[k] === 'string');
    if (!dayKey) return undefined;
    const keys = Object.keys(rows[0] ?? {}).filter((k) => typeof rows[0]?.[k] === 'number');
    const lines: Line[] = keys.slice(0, 4).map((k, i) => ({
      label: k.replace(/_/g, ' '),
      color: COLORS[i] ?? '--muted',
      values: rows.map((p) => (typeof p[k] === 'number' ? (p[k] as number) : null)),
    }));
    return { days: rows.map((p) => String(p[dayKey]).slice(0, 10)), lines };
  }, [points]);
  if (!drawn || drawn.lines.length === 0) return null;
  return (
    <section class="card" aria-labelledby="cum-title">
      <h2 id="cum-title">Cumulative, day by day</h2>
      <TimeSeries days={drawn.days} lines={drawn.lines} title="Cumulative results by day" />
    </section>
  );
}

/** `plan`: the sample-size plan; its scalar fields as a list (days to significance among them). */
function Plan({ result }: { result: ExperimentResult }) {
  const plan = (result as unknown as Loose).plan;
  if (!plan || typeof plan !== 'object') return null;
  const fields = Object.entries(plan as Loose).filter(([, v]) =>
    ['number', 'string', 'boolean'].includes(typeof v),
  );
  if (fields.length === 0) return null;
  return (
    <section class="card" aria-labelledby="plan-title">
      <h2 id="plan-title">Sample size</h2>
      <dl class="facts">
        {fields.map(([k, v]) => (
          <div key={k}>
            <dt>{k.replace(/_/g, ' ')}</dt>
            <dd>
              {typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export const RESULT_EXTRAS = [
  { key: 'cumulative', Section: Cumulative },
  { key: 'plan', Section: Plan },
];
