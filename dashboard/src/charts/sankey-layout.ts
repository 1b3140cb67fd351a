/**
 * The geometry of a Sankey diagram of a path tree (the paths API's `nodes` and `links`), pure so
 * it is tested without a browser. Levels are columns; a node is a bar whose height is its units
 * on one scale for the whole diagram; a link is a band as thick as its units, leaving its parent
 * stacked in child order and arriving at its child.
 *
 * Labels need room even for small nodes: each node gets a slot at least `minSlot` high and its
 * bar is centred in it, so the bars stay proportional while labels never overlap.
 */

export interface SankeyNodeIn {
  id: string;
  level: number;
  units: number;
}
export interface SankeyLinkIn {
  from: string;
  to: string;
  units: number;
}

export interface SankeyBar<N> {
  node: N;
  x: number;
  y: number;
  height: number;
  /** Middle of the node's slot: where its label goes. */
  labelY: number;
}
export interface SankeyBand<L> {
  link: L;
  /** The SVG path of the band (a closed shape between two cubic curves). */
  d: string;
  thickness: number;
}

export interface SankeyOptions {
  width: number;
  /** Height of the tallest column before slots are widened for labels. */
  height: number;
  nodeWidth: number;
  gap: number;
  minSlot: number;
}

export interface SankeyLayout<N, L> {
  width: number;
  height: number;
  bars: SankeyBar<N>[];
  bands: SankeyBand<L>[];
  levels: number;
}

/** Nodes of each level in the order of their parents, then as listed (the API ranks siblings). */
function columns<N extends SankeyNodeIn>(nodes: N[], parentOf: Map<string, string>): N[][] {
  const cols: N[][] = [];
  for (const n of nodes) {
    const col = cols[n.level] ?? [];
    col.push(n);
    cols[n.level] = col;
  }
  const rank = new Map<string, number>();
  for (const [level, col] of cols.entries()) {
    if (!col) {
      cols[level] = [];
      continue;
    }
    const listed = new Map(col.map((n, i) => [n.id, i]));
    const parentRank = (n: N) => rank.get(parentOf.get(n.id) ?? '') ?? -1;
    col.sort((a, b) => parentRank(a) - parentRank(b) || (listed.get(a.id) ?? 0) - (listed.get(b.id) ?? 0));
    for (const [i, n] of col.entries()) rank.set(n.id, i);
  }
  return cols;
}

const band = (x0: number, y0: number, x1: number, y1: number, t: number) => {
  const xm = (x0 + x1) / 2;
  const r = (v: number) => Math.round(v * 10) / 10;
  return (
    `M${r(x0)},${r(y0)}C${r(xm)},${r(y0)} ${r(xm)},${r(y1)} ${r(x1)},${r(y1)}` +
    `L${r(x1)},${r(y1 + t)}C${r(xm)},${r(y1 + t)} ${r(xm)},${r(y0 + t)} ${r(x0)},${r(y0 + t)}Z`
  );
};

export function layoutSankey<N extends SankeyNodeIn, L extends SankeyLinkIn>(
  nodes: N[],
  links: L[],
  o: SankeyOptions,
): SankeyLayout<N, L> {
  const parentOf = new Map(links.map((l) => [l.to, l.from]));
  const cols = columns(nodes, parentOf);
  const levels = cols.length;
  const total = (col: N[]) => col.reduce((s, n) => s + n.units, 0);
  const densest = Math.max(1, ...cols.map((c) => c.length));
  const scale = (o.height - (densest - 1) * o.gap) / Math.max(1, ...cols.map(total));
  const step = levels > 1 ? (o.width - o.nodeWidth) / (levels - 1) : 0;
  const bars: SankeyBar<N>[] = [];
  const barOf = new Map<string, SankeyBar<N>>();
  let height = 0;
  for (const [level, col] of cols.entries()) {
    let y = 0;
    for (const n of col) {
      const h = Math.max(1, n.units * scale);
      const slot = Math.max(h, o.minSlot);
      const bar = { node: n, x: level * step, y: y + (slot - h) / 2, height: h, labelY: y + slot / 2 };
      bars.push(bar);
      barOf.set(n.id, bar);
      y += slot + o.gap;
    }
    height = Math.max(height, y - o.gap);
  }
  // Bands leave a parent stacked from its top in the order of its children's bars.
  const order = new Map(bars.map((b, i) => [b.node.id, i]));
  const sorted = [...links].sort((a, b) => (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0));
  const used = new Map<string, number>();
  const bands: SankeyBand<L>[] = [];
  for (const l of sorted) {
    const a = barOf.get(l.from);
    const b = barOf.get(l.to);
    if (!a || !b) continue;
    const t = Math.min(a.height, b.height, Math.max(1, l.units * scale));
    const off = used.get(l.from) ?? 0;
    used.set(l.from, off + t);
    const y1 = b.y + (b.height - t) / 2;
    bands.push({ link: l, d: band(a.x + o.nodeWidth, a.y + off, b.x, y1, t), thickness: t });
  }
  return { width: o.width, height: Math.ceil(height), bars, bands, levels };
}
