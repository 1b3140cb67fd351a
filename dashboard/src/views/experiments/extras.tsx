/**
 * The result sections below the per-variant tables: the primary metric's cumulative uplift by
 * day of first exposure (`over_time`, asked for with `over_time=1`), and the sample-size
 * progress with the days left (`planning`). Each renders only when its field has something to
 * draw. Adding one: a component `({ result }) => VNode | null` listed in `RESULT_EXTRAS`.
 */
import type { ExperimentResult } from '@funnelhouse/schemas';
import { useMemo } from 'preact/hooks';
import { type Line, TimeSeries } from '../../charts/time-series.tsx';
import { fmtInt, fmtPct } from '../../format.ts';
import { currencyUnit } from './labels.ts';

const COLORS = ['--c1', '--c2', '--c3', '--muted'];

/** Each treatment's relative uplift on the primary metric, cumulated day by day, with its interval. */
function Cumulative({ result }: { result: ExperimentResult }) {
  const drawn = useMemo(() => {
    const days = result.over_time ?? [];
    if (days.length < 2) return undefined;
    const treatments = result.variants.map((v) => v.key).filter((k) => k !== result.control);
    const lines: Line[] = treatments.slice(0, 3).flatMap((t, i) => {
      const pick = (
        f: (c: NonNullable<ExperimentResult['metrics'][number]['variants'][number]['comparison']>) => number,
      ) =>
        days.map((d) => {
          const c = d.variants.find((v) => v.variant === t)?.comparison;
          return c?.relative ? f(c) * 100 : null;
        });
      const color = COLORS[i] ?? '--muted';
      return [
        { label: `${t} uplift %`, color, values: pick((c) => c.relative?.estimate ?? 0) },
        { label: `${t} low`, color, dashed: true, values: pick((c) => c.relative?.interval.low ?? 0) },
        { label: `${t} high`, color, dashed: true, values: pick((c) => c.relative?.interval.high ?? 0) },
      ];
    });
    return { days: days.map((d) => d.day), lines };
  }, [result]);
  if (!drawn) return null;
  return (
    <section class="card" aria-labelledby="cum-title" data-section="over-time">
      <h2 id="cum-title">Uplift over time</h2>
      <p class="muted small">
        Relative uplift of the primary metric against {result.control} with its{' '}
        {result.metrics[0]?.sequential ? 'always-valid ' : ''}95 % interval, counting every visitor exposed up
        to each day.
      </p>
      <TimeSeries
        days={drawn.days}
        lines={drawn.lines}
        title="Cumulative uplift by day of first exposure"
        unit="%"
      />
    </section>
  );
}

/** How far the smallest variant is towards the planned sample, and the days left at today's pace. */
function Plan({ result }: { result: ExperimentResult }) {
  const p = result.planning;
  if (!p || p.needed_per_variant === null) return null;
  // The verdict's progress (smallest variant ÷ planned), shown up to the plan.
  const share = Math.min(1, result.verdict.progress.share ?? 1);
  const unit = currencyUnit(result.metrics.find((m) => m.role === 'primary')?.currency);
  return (
    <section class="card" aria-labelledby="plan-title" data-section="planning">
      <h2 id="plan-title">Sample size</h2>
      <label class="progress-label" for="plan-progress">
        {fmtInt(p.smallest_variant_units)} of {fmtInt(p.needed_per_variant)} visitors in the smallest variant
        ({fmtPct(share)})
      </label>
      <progress
        id="plan-progress"
        max={p.needed_per_variant}
        value={Math.min(p.smallest_variant_units, p.needed_per_variant)}
      />
      <p data-days-remaining={p.days_remaining ?? ''}>
        {p.days_remaining === null
          ? 'Days left: unknown (no exposures per day yet).'
          : p.days_remaining === 0
            ? 'The planned sample is reached.'
            : `About ${fmtInt(p.days_remaining)} more day${p.days_remaining === 1 ? '' : 's'} at ${fmtInt(Math.round(p.daily_units))} visitors a day.`}
      </p>
      <p class="muted small">
        Planned to detect a {fmtPct(p.mde_relative)} relative change of{' '}
        {p.baseline === null ? '—' : `${p.baseline.toPrecision(3)}${unit}`} at α {p.alpha}, power {p.power}.
      </p>
    </section>
  );
}

export const RESULT_EXTRAS = [
  { key: 'over-time', Section: Cumulative },
  { key: 'planning', Section: Plan },
];
