/**
 * A daily time series drawn with uPlot: one line per series, the previous period dashed.
 * Colours come from the page's CSS variables, so the chart follows light and dark.
 */
import { useEffect, useRef } from 'preact/hooks';
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

/** `days` are YYYY-MM-DD; every line has one value per day. */
export function TimeSeries({ days, lines, title }: { days: string[]; lines: Line[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
    const axis = {
      stroke: cssVar(el, '--muted'),
      grid: { stroke: cssVar(el, '--grid') },
      ticks: { show: false },
    };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 50 }],
      series: [
        {},
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
  }, [days, lines]);
  return <figure class="chart" ref={box} aria-label={title} />;
}
