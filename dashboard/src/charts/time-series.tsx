/**
 * A daily time series drawn with uPlot: one line per series, the previous period dashed.
 * Colours come from the page's CSS variables, so the chart follows light and dark.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

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

/** `days` are YYYY-MM-DD; every line has one value per day. */
export function TimeSeries({ days, lines, title }: { days: string[]; lines: Line[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const scheme = useScheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // One point per day, at its index: the axis names days, never hours between them.
    const xs = days.map((_, i) => i);
    const dayLabel = (i: number) => (Number.isInteger(i) ? (days[i]?.slice(5) ?? '') : '');
    const axis = {
      stroke: cssVar(el, '--muted'),
      grid: { stroke: cssVar(el, '--grid') },
      ticks: { show: false },
    };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, space: 48, incrs: [1, 2, 7, 14, 30], values: (_u, splits) => splits.map(dayLabel) },
        { ...axis, size: 50 },
      ],
      series: [
        { label: 'Day', value: (_u, i) => (i == null ? '' : (days[i] ?? '')) },
        ...lines.map((l) => ({
          label: l.label,
          stroke: cssVar(el, l.color),
          width: 2,
          ...(l.dashed ? { dash: [6, 4] } : {}),
          points: { show: days.length <= 31 },
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...lines.map((l) => l.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, lines, scheme]);
  return <figure class="chart" ref={box} aria-label={title} />;
}
