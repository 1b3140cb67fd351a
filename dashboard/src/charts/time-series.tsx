/**
 * A daily time series drawn with uPlot: one line per series, the previous period dashed.
 * Colours come from the page's CSS variables, so the chart follows light and dark.
 *
 * Read as a chart should be: the legend shows the latest day until the pointer picks another
 * (never uPlot's "--" placeholders); an axis of non-negative values (counts, rates) starts at 0,
 * so a small change does not look like a fall; a percent axis says %; and today, a day not over
 * yet, is drawn as a dashed last segment named "today so far", not as a crash.
 * The figure carries what the canvas draws as attributes (`data-y-min`, `data-y-ticks`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { todayIn } from '../range.ts';

export interface Line {
  label: string;
  values: (number | null)[];
  /** A CSS variable name such as `--c1`. */
  color: string;
  dashed?: boolean;
}

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

/** Light or dark, following the system as it changes (the chart's colours are read when drawn). */
function useScheme(): string {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = () => setDark(query.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query?.media]);
  return dark ? 'dark' : 'light';
}

const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A value as the axis and legend write it: "12.5%" on a percent chart, "1,234" otherwise. */
const formatter = (unit: '%' | undefined) => (v: number | null | undefined) =>
  v == null ? '–' : `${num.format(v)}${unit ?? ''}`;

/** The y range: from 0 when no value is negative (counts and rates), else uPlot's own. */
function yRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min == null || max == null) return [0, 1];
  const [lo, hi] = uPlot.rangeNum(Math.min(0, min), max === min ? max + 1 : max, 0.1, true);
  return [min >= 0 ? 0 : lo, hi];
}

/**
 * Today's line split in two: the finished days, and a dashed segment from yesterday to today.
 * Lines of another period (dashed ones) are whole days and stay as they are.
 */
function splitPartial(lines: Line[], partial: boolean) {
  const last = (lines[0]?.values.length ?? 0) - 1;
  const drawn: (Line & { partial?: boolean; whole: (number | null)[] })[] = [];
  for (const l of lines) {
    if (!partial || l.dashed) {
      drawn.push({ ...l, whole: l.values });
      continue;
    }
    drawn.push({ ...l, whole: l.values, values: l.values.map((v, i) => (i === last ? null : v)) });
    drawn.push({
      ...l,
      label: `${l.label}, today so far`,
      partial: true,
      whole: l.values,
      values: l.values.map((v, i) => (i >= last - 1 ? v : null)),
    });
  }
  return drawn;
}

/**
 * `days` are YYYY-MM-DD; every line has one value per day. `tz` is the zone of the days: when
 * the last one is today there, it is marked as partial. `unit` '%' for values in percent.
 */
export function TimeSeries({
  days,
  lines,
  title,
  tz,
  unit,
}: {
  days: string[];
  lines: Line[];
  title: string;
  tz?: string;
  unit?: '%';
}) {
  const fig = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const scheme = useScheme();
  const partial = tz !== undefined && days.length >= 2 && days[days.length - 1] === todayIn(tz);
  useEffect(() => {
    const el = box.current;
    const figure = fig.current;
    if (!el || !figure) return;
    // One point per day, at its index: the axis names days, never hours between them.
    const xs = days.map((_, i) => i);
    const last = days.length - 1;
    const dayLabel = (i: number) => (Number.isInteger(i) ? (days[i]?.slice(5) ?? '') : '');
    const fmt = formatter(unit);
    const axis = {
      stroke: cssVar(el, '--muted'),
      grid: { stroke: cssVar(el, '--grid') },
      ticks: { show: false },
    };
    const drawn = splitPartial(lines, partial);
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: yRange } },
      axes: [
        { ...axis, space: 48, incrs: [1, 2, 7, 14, 30], values: (_u, splits) => splits.map(dayLabel) },
        {
          ...axis,
          size: 56,
          values: (_u, splits) => {
            const ticks = splits.map((v) => fmt(v));
            figure.dataset.yTicks = ticks.join('|');
            return ticks;
          },
        },
      ],
      series: [
        {
          label: 'Day',
          // Without a pointer on the chart the legend shows the latest day, not "--".
          value: (_u, _v, _s, i) => {
            const d = days[i ?? last] ?? '';
            return partial && (i ?? last) === last ? `${d} (today so far)` : d;
          },
        },
        ...drawn.map((l) => ({
          label: l.label,
          stroke: cssVar(el, l.color),
          width: 2,
          ...(l.dashed || l.partial ? { dash: l.partial ? [3, 4] : [6, 4] } : {}),
          ...(l.partial ? { class: 'partial' } : {}),
          points: { show: days.length <= 31 },
          value: (_u: uPlot, _v: unknown, _s: number, i: number | null) => fmt(l.whole[i ?? last]),
        })),
      ],
      hooks: {
        setScale: [
          (u, key) => {
            if (key === 'y') figure.dataset.yMin = String(u.scales.y?.min ?? '');
          },
        ],
      },
    };
    const plot = new uPlot(opts, [xs, ...drawn.map((l) => l.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, lines, scheme, partial, unit]);
  return (
    <figure class="chart" ref={fig} aria-label={title}>
      <div ref={box} />
      {partial ? (
        <figcaption class="muted small" data-partial="">
          <span class="partial-key" aria-hidden="true" /> {days[days.length - 1]}: today so far, the day is
          not over
        </figcaption>
      ) : null}
    </figure>
  );
}
