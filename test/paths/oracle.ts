/**
 * The paths rules, written once, plainly, over raw events (not from the SQL):
 *
 * - Unit: visitor (events without one are not read). Events read: those in the span matching every
 *   filter (a funnel start: the path events only, not the funnel's), ordered by (ts, event_id). The
 *   span is the range `[from, to)`; for a funnel start, the funnel engine's span
 *   `[from, min(now, to + window))`.
 * - Start and anchor. `page`: a pageview whose cleaned path equals the given path cleaned; `event`:
 *   its type (and name, when given). The anchor is the unit's first start event. `funnel`: the units
 *   whose counted attempt reached `step` (converted: furthest step > step; dropped: furthest = step),
 *   anchored at the time they reached it; the anchor is a time, so node events at that very
 *   millisecond are neither after nor before it.
 * - Nodes: `path`, each pageview labelled by its cleaned path (each `/`-separated segment that is all
 *   digits, a UUID or ≥ 16 hex digits becomes `*`); `event`, each event labelled by its type, or
 *   `custom:<name>`.
 * - A unit's path: the node labels after the anchor (before it, nearest first), at most the first
 *   1,000 of them; a label equal to the one before it is dropped, the one before the first being the
 *   anchor's own label when the anchor event is itself a node; then the first `depth`.
 * - The tree: the start node holds every unit. Under a node, its units' next labels are ranked by
 *   units, then label (code units); the top `width` are nodes, the others' units go together under
 *   "Other"; units whose path has no next label end in the end node ("(left the site)", before:
 *   "(start of the range)"), which has no children.
 */
import type { FunnelDefinition, PathsQueryRequest, PropertyFilter } from '@funnelhouse/schemas';
import { oracleFunnel } from '../funnels/oracle.ts';
import { anyAlternativeMatches, type OracleEvent } from '../funnels/oracle-match.ts';

const ID = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;

export const clean = (path: string) =>
  path
    .split('/')
    .map((seg) => (ID.test(seg) ? '*' : seg))
    .join('/');

export interface Tree {
  units: number;
  /** By the node's label path from the start (the start itself: []), as JSON. */
  nodes: Map<string, { level: number; label: string; kind: string; units: number }>;
  /** `parent path JSON -> child path JSON` → units. */
  links: Map<string, number>;
}

interface Walker {
  path: string[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function labelOf(node: 'path' | 'event', e: OracleEvent): string | null {
  if (node === 'path') return e.type === 'pageview' ? clean(e.path) : null;
  return e.type === 'custom' ? `custom:${e.name}` : e.type;
}

function isStart(q: PathsQueryRequest, e: OracleEvent): boolean {
  const s = q.start;
  if ('page' in s) return e.type === 'pageview' && clean(e.path) === clean(s.page);
  if ('event' in s) return e.type === s.event.type && (s.event.name === undefined || e.name === s.event.name);
  return false;
}

const matchesFilters = (filters: PropertyFilter[] | undefined, e: OracleEvent) =>
  !filters?.length || anyAlternativeMatches([{ filters }], e);

function collapse(anchor: string | null, labels: string[]): string[] {
  const out: string[] = [];
  let prev = anchor;
  for (const l of labels.slice(0, 1000)) {
    if (l !== prev) out.push(l);
    prev = l;
  }
  return out;
}

function byVisitor(events: OracleEvent[], q: PathsQueryRequest, from: number, to: number) {
  const out = new Map<string, OracleEvent[]>();
  for (const e of events) {
    if (e.visitor_id === '' || e.ts < from || e.ts >= to || !matchesFilters(q.filters, e)) continue;
    out.set(e.visitor_id, [...(out.get(e.visitor_id) ?? []), e]);
  }
  for (const list of out.values()) list.sort((a, b) => a.ts - b.ts || cmp(a.event_id, b.event_id));
  return out;
}

/** Each unit's path (labels up to `depth`). */
export function unitPaths(
  events: OracleEvent[],
  q: PathsQueryRequest,
  o: { from: number; to: number; now: number },
): string[][] {
  const depth = q.depth ?? 3;
  const after = q.direction === 'after';
  const out: string[][] = [];
  if ('funnel' in q.start) {
    const { definition, step, who } = q.start.funnel;
    const window = (definition.window_seconds ?? 14 * 86_400) * 1000;
    const visitors = byVisitor(events, q, o.from, Math.max(o.from, Math.min(o.now, o.to + window)));
    for (const u of oracleFunnel(events, definition as FunnelDefinition, o)) {
      const at = u.levels.indexOf(step);
      if (u.skipped || at < 0) continue;
      if (who === 'converted' && !(u.furthest > step)) continue;
      if (who === 'dropped' && u.furthest !== step) continue;
      const anchor = u.entryTs + (u.fromEntry[at] as number);
      const evs = visitors.get(u.unit) ?? [];
      const side = evs.filter((e) => (after ? e.ts > anchor : e.ts < anchor));
      const labels = side.flatMap((e) => labelOf(q.node, e) ?? []);
      out.push(collapse(null, after ? labels : labels.reverse()).slice(0, depth));
    }
    return out;
  }
  for (const evs of byVisitor(events, q, o.from, o.to).values()) {
    const si = evs.findIndex((e) => isStart(q, e));
    if (si < 0) continue;
    const anchor = labelOf(q.node, evs[si] as OracleEvent);
    const side = after ? evs.slice(si + 1) : evs.slice(0, si).reverse();
    const labels = side.flatMap((e) => labelOf(q.node, e) ?? []);
    out.push(collapse(anchor, labels).slice(0, depth));
  }
  return out;
}

/** The tree the API must answer, keyed by label paths. */
export function oracleTree(paths: string[][], q: PathsQueryRequest): Tree {
  const depth = q.depth ?? 3;
  const width = q.width ?? 5;
  const tree: Tree = { units: paths.length, nodes: new Map(), links: new Map() };
  const key = (p: string[]) => JSON.stringify(p);
  const grow = (walkers: Walker[][], at: string[], level: number, label: string, kind: string) => {
    const units = walkers.flat();
    tree.nodes.set(key(at), { level, label, kind, units: units.length });
    if (level > 0) tree.links.set(`${key(at.slice(0, -1))} -> ${key(at)}`, units.length);
    if (kind === 'end' || level === depth) return;
    const next = new Map<string, Walker[]>();
    for (const w of units) {
      const l = w.path[level];
      if (l !== undefined) next.set(l, [...(next.get(l) ?? []), w]);
    }
    const ranked = [...next].sort((a, b) => b[1].length - a[1].length || cmp(a[0], b[0]));
    for (const [l, ws] of ranked.slice(0, width)) grow([ws], [...at, l], level + 1, l, 'label');
    const rest = ranked.slice(width).map(([, ws]) => ws);
    if (rest.length > 0) grow(rest, [...at, 'Other'], level + 1, 'Other', 'other');
    const ended = units.filter((w) => w.path.length === level);
    const end = q.direction === 'after' ? '(left the site)' : '(start of the range)';
    if (ended.length > 0) grow([ended], [...at, end], level + 1, end, 'end');
  };
  if (paths.length > 0) grow([paths.map((path) => ({ path }))], [], 0, '', 'start');
  return tree;
}

/** The API's answer in the oracle's keys (the start node's label left out). */
export function treeOfAnswer(a: {
  units: number;
  nodes: { id: string; level: number; label: string; kind: string; units: number }[];
  links: { from: string; to: string; units: number }[];
}): Tree {
  const parent = new Map(a.links.map((l) => [l.to, l.from]));
  const byId = new Map(a.nodes.map((n) => [n.id, n]));
  const pathOf = (id: string): string[] => {
    const p = parent.get(id);
    return p === undefined ? [] : [...pathOf(p), byId.get(id)?.label ?? '?'];
  };
  const tree: Tree = { units: a.units, nodes: new Map(), links: new Map() };
  if (a.units === 0) return tree;
  for (const n of a.nodes) {
    tree.nodes.set(JSON.stringify(pathOf(n.id)), {
      level: n.level,
      label: n.kind === 'start' ? '' : n.label,
      kind: n.kind,
      units: n.units,
    });
  }
  for (const l of a.links) {
    tree.links.set(`${JSON.stringify(pathOf(l.from))} -> ${JSON.stringify(pathOf(l.to))}`, l.units);
  }
  return tree;
}
