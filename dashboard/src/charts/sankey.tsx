/**
 * A Sankey diagram of a path tree in plain SVG (no chart library: the layout is
 * `sankey-layout.ts`). The picture is for the eye only (`aria-hidden`): the view that draws it
 * gives the same nodes and links as a table for screen readers and for reading exact figures.
 */
import { useMemo } from 'preact/hooks';
import { fmtInt } from '../format.ts';
import { layoutSankey, type SankeyLinkIn, type SankeyNodeIn } from './sankey-layout.ts';

export interface SankeyNode extends SankeyNodeIn {
  label: string;
  /** `start`, a plain label, the merged `other`, or the `end` (left the site): each drawn its own way. */
  kind: 'start' | 'label' | 'other' | 'end';
}

const NODE_WIDTH = 12;
const LABEL_MAX = 26;

const short = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);

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
  // Room for a label beside every column; it scales to the card, and scrolls sideways on a phone.
  const width = Math.max(640, levels * 210);
  const layout = useMemo(
    () => layoutSankey(nodes, links, { width, height: 300, nodeWidth: NODE_WIDTH, gap: 6, minSlot: 22 }),
    [nodes, links, width],
  );
  const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
  const last = layout.levels - 1;
  return (
    // Focusable: on a narrow screen the diagram scrolls sideways, by keyboard too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section class="sankey-scroll" aria-label="Paths diagram (its figures are in the table)" tabIndex={0}>
      <svg
        class="sankey"
        viewBox={`-2 -2 ${layout.width + 4} ${layout.height + 4}`}
        // Labels stay readable (90 % of their size or more): a narrower box scrolls instead.
        style={{ minWidth: `${Math.round(0.9 * layout.width)}px` }}
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
          const right = n.level < last || last === 0;
          return (
            <g key={n.id} class={`sankey-node kind-${n.kind}`} data-node={n.id}>
              <rect x={b.x} y={b.y} width={NODE_WIDTH} height={b.height} rx={2}>
                <title>{`${n.label}: ${unitsText(n.units)}`}</title>
              </rect>
              <text
                x={right ? b.x + NODE_WIDTH + 6 : b.x - 6}
                y={b.labelY}
                dy="0.35em"
                text-anchor={right ? 'start' : 'end'}
              >
                {short(n.label)} <tspan class="sankey-units">{fmtInt(n.units)}</tspan>
              </text>
            </g>
          );
        })}
      </svg>
    </section>
  );
}
