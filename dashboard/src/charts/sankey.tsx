/**
 * A Sankey diagram of a path tree in plain SVG (no chart library: the layout is
 * `sankey-layout.ts`). The picture is for the eye only (`aria-hidden`): the view that draws it
 * gives the same nodes and links as a table for screen readers and for reading exact figures.
 */
import type { RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fmtInt } from '../format.ts';
import { layoutSankey, type SankeyLinkIn, type SankeyNodeIn } from './sankey-layout.ts';

export interface SankeyNode extends SankeyNodeIn {
  label: string;
  /** `start`, a plain label, the merged `other`, or the `end` (left the site): each drawn its own way. */
  kind: 'start' | 'label' | 'other' | 'end';
}

const NODE_WIDTH = 12;
const LABEL_MAX = 26;
/** A generous width of one character of a 12 px label (lower-case paths average about 6.5). */
const CHAR_PX = 7.2;
/** From a bar to its label. */
const LABEL_GAP = 6;
/** Room around the drawing for the bars' edges and the labels' outline (SVG units = CSS pixels). */
const PAD = 2;

/** The width of an element's content box, followed as the card resizes (undefined before the first layout). */
function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number | undefined] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState<number>();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const resize = new ResizeObserver(() => setWidth(el.clientWidth));
    resize.observe(el);
    return () => resize.disconnect();
  }, []);
  return [ref, width];
}

const short = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);
/** A label as drawn: the short name, a space, the units. */
const labelText = (n: { label: string; units: number }) => `${short(n.label)} ${fmtInt(n.units)}`;

export function Sankey({
  nodes,
  links,
  unitsText,
}: {
  nodes: SankeyNode[];
  links: SankeyLinkIn[];
  /** "12 visitors" for a node's hover title. */
  unitsText: (units: number) => string;
}) {
  const levels = Math.max(1, ...nodes.map((n) => n.level + 1));
  const [box, boxWidth] = useWidth<HTMLElement>();
  // Every label is right of its bar; the last column's labels go in a margin kept for them, so
  // each gap between columns holds one label and none runs past the right edge. Drawn at the
  // card's width in CSS pixels, so labels keep their 12 px; a card narrower than a label column
  // per level (a phone) scrolls sideways instead of shrinking the text.
  const room = (inLast: boolean) =>
    LABEL_GAP +
    Math.ceil(
      Math.max(
        8,
        ...nodes.filter((n) => (n.level === levels - 1) === inLast).map((n) => labelText(n).length),
      ) * CHAR_PX,
    );
  const margin = room(true);
  // A column is a bar and the widest label beside it, with a little air before the next bar.
  const narrowest = (levels - 1) * (NODE_WIDTH + room(false) + 8) + NODE_WIDTH;
  const width = Math.max(narrowest, (boxWidth ?? 640) - 2 * PAD - margin);
  const layout = useMemo(
    () => layoutSankey(nodes, links, { width, height: 300, nodeWidth: NODE_WIDTH, gap: 6, minSlot: 22 }),
    [nodes, links, width],
  );
  const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
  const outer = { width: layout.width + margin + 2 * PAD, height: layout.height + 2 * PAD };
  return (
    // Focusable: on a narrow screen the diagram scrolls sideways, by keyboard too.
    <section
      ref={box}
      class="sankey-scroll"
      aria-label="Paths diagram (its figures are in the table)"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
    >
      <svg
        class="sankey"
        width={outer.width}
        height={outer.height}
        viewBox={`${-PAD} ${-PAD} ${outer.width} ${outer.height}`}
        aria-hidden="true"
        data-chart="sankey"
      >
        <g class="sankey-links">
          {layout.bands.map((b) => (
            <path
              key={`${b.link.from}>${b.link.to}`}
              d={b.d}
              class={`sankey-link to-${kindOf.get(b.link.to) ?? 'label'}`}
              data-from={b.link.from}
              data-to={b.link.to}
            >
              <title>{unitsText(b.link.units)}</title>
            </path>
          ))}
        </g>
        {layout.bars.map((b) => {
          const n = b.node;
          return (
            <g key={n.id} class={`sankey-node kind-${n.kind}`} data-node={n.id}>
              <rect x={b.x} y={b.y} width={NODE_WIDTH} height={b.height} rx={2}>
                <title>{`${n.label}: ${unitsText(n.units)}`}</title>
              </rect>
              <text x={b.x + NODE_WIDTH + LABEL_GAP} y={b.labelY} dy="0.35em">
                {short(n.label)} <tspan class="sankey-units">{fmtInt(n.units)}</tspan>
              </text>
            </g>
          );
        })}
      </svg>
    </section>
  );
}
