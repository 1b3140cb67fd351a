/**
 * Pure shaping of the paths tree: prefix counts (`getPathCounts`) → nodes and links. At each
 * node, its units' next labels are ranked by units (ties by label, in code-unit order); the top
 * `width` become nodes, the rest merge into one "Other" node whose units go on together (its
 * children are ranked over all the merged labels' next labels), and the units whose path ended
 * become an end node with no children. Children are listed in that order: ranked labels, Other,
 * end; nodes breadth first, so ids (`n0`, `n1`, …) follow levels.
 */
import {
  PATH_END_LABELS,
  PATH_OTHER_LABEL,
  type PathDirection,
  type PathLink,
  type PathNode,
} from '@funnelhouse/schemas';

export interface PrefixCount {
  prefix: string[];
  units: number;
  ended: number;
}

export interface ShapeOptions {
  direction: PathDirection;
  depth: number;
  width: number;
  /** The level-0 node's label. */
  startLabel: string;
}

const keyOf = (prefix: readonly string[]) => JSON.stringify(prefix);
const byUnitsThenLabel = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Prefix rows grouped under their parent prefix. */
function childrenIndex(rows: readonly PrefixCount[]): Map<string, PrefixCount[]> {
  const out = new Map<string, PrefixCount[]>();
  for (const r of rows) {
    if (r.prefix.length === 0) continue;
    const parent = keyOf(r.prefix.slice(0, -1));
    const list = out.get(parent) ?? [];
    list.push(r);
    out.set(parent, list);
  }
  return out;
}

interface Pending {
  id: string;
  level: number;
  /** The prefixes this node stands for (several under an "Other"). */
  members: PrefixCount[];
}

export function shapePaths(
  rows: readonly PrefixCount[],
  o: ShapeOptions,
): { units: number; nodes: PathNode[]; links: PathLink[] } {
  const root = rows.find((r) => r.prefix.length === 0);
  const units = root?.units ?? 0;
  const nodes: PathNode[] = [
    { id: 'n0', level: 0, label: o.startLabel, kind: 'start', units, share: units > 0 ? 1 : 0 },
  ];
  const links: PathLink[] = [];
  if (!root || units === 0) return { units, nodes, links };
  const children = childrenIndex(rows);
  const queue: Pending[] = [{ id: 'n0', level: 0, members: [root] }];
  const add = (parent: Pending, n: Omit<PathNode, 'id' | 'share'>, members: PrefixCount[]) => {
    const id = `n${nodes.length}`;
    nodes.push({ id, ...n, share: n.units / units });
    links.push({ from: parent.id, to: id, units: n.units });
    if (members.length > 0 && n.level < o.depth) queue.push({ id, level: n.level, members });
  };
  // Breadth first: the queue only grows at its end, so an index walks it.
  for (let i = 0; i < queue.length; i++) {
    const parent = queue[i] as Pending;
    const level = parent.level + 1;
    const byLabel = new Map<string, PrefixCount[]>();
    for (const m of parent.members) {
      for (const c of children.get(keyOf(m.prefix)) ?? []) {
        const label = c.prefix[c.prefix.length - 1] as string;
        const list = byLabel.get(label);
        if (list) list.push(c);
        else byLabel.set(label, [c]);
      }
    }
    const ranked = [...byLabel].map(([l, ms]): [string, number] => [l, sum(ms)]).sort(byUnitsThenLabel);
    for (const [label, n] of ranked.slice(0, o.width)) {
      add(parent, { level, label, kind: 'label', units: n }, byLabel.get(label) ?? []);
    }
    const rest = ranked.slice(o.width).flatMap(([l]) => byLabel.get(l) ?? []);
    if (rest.length > 0)
      add(parent, { level, label: PATH_OTHER_LABEL, kind: 'other', units: sum(rest) }, rest);
    const ended = parent.members.reduce((s, m) => s + m.ended, 0);
    if (ended > 0) add(parent, { level, label: PATH_END_LABELS[o.direction], kind: 'end', units: ended }, []);
  }
  return { units, nodes, links };
}

const sum = (ms: readonly PrefixCount[]) => ms.reduce((s, m) => s + m.units, 0);
