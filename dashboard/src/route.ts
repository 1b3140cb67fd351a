/**
 * The whole view state lives in the URL's query string (`/?site=demo&view=overview&range=7d…`),
 * so a view can be bookmarked, shared and reloaded. `parseRoute` and `routeToSearch` are inverse
 * for every state the dashboard makes; unknown or bad values fall back to defaults.
 */

import { SEGMENT_COLUMNS, type Segment, type SegmentColumn } from '@funnelhouse/schemas/types';
import { useEffect, useState } from 'preact/hooks';
import { PRESETS, type Preset } from './range.ts';

export const VIEWS = ['overview', 'funnels', 'experiments', 'carts', 'install', 'settings', 'keys'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  site?: string;
  range: Preset;
  from?: string;
  to?: string;
  /** A zone the URL names; without one, the view is in the site's zone (`viewZone`). */
  tz?: string;
  compare: boolean;
  /** Funnels: a saved funnel's id, and the builder's definition (JSON) while it is edited. */
  funnel?: string;
  def?: string;
  breakdown?: string;
  /**
   * Funnels: a look behind a drop, `why` (correlation) or `where` (paths), and the step pair it is
   * about as 1-based step numbers `FROM-TO` (`2-3`: reached step 2, not step 3). Checked by the view.
   */
  insight?: string;
  steps?: string;
  /** Experiments: the experiment whose results are open. */
  exp?: string;
  /**
   * Carts: the cart list's status, sort, order and page (from 1); the revenue breakdown (`channel`
   * or `variant`) and its experiment; the forecast's target orders. Checked by the view.
   */
  status?: string;
  sort?: string;
  order?: string;
  page?: string;
  by?: string;
  bexp?: string;
  target?: string;
  /** Attribution: the dimension a touch is credited to, and orders or revenue shown. Checked by the view. */
  adim?: string;
  ashow?: string;
  /** Products: the table's sort, order and page (from 1). Checked by the view. */
  psort?: string;
  porder?: string;
  ppage?: string;
  /** Overview: the segment, column → value (the API's own parameter names). */
  segment: Segment;
}

/** Columns the overview can be narrowed by (the API's segment parameters). */
export { SEGMENT_COLUMNS, type Segment, type SegmentColumn };

const CART_KEYS = [
  'status',
  'sort',
  'order',
  'page',
  'by',
  'bexp',
  'target',
  'adim',
  'ashow',
  'psort',
  'porder',
  'ppage',
] as const;
const INSIGHT_KEYS = ['insight', 'steps'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A zone this browser knows (the range presets are computed in it), else undefined. */
function knownZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The zone the view is in: the URL's `tz`, else the site's own zone (as the API answers without
 * `tz`, so presets are the site's days for every reader), else this browser's.
 */
export function viewZone(route: Pick<Route, 'tz'>, siteZone: string | undefined): string {
  return route.tz ?? knownZone(siteZone) ?? browserZone();
}

export function parseRoute(search: string): Route {
  const q = new URLSearchParams(search);
  const pick = <T extends string>(v: string | null, allowed: readonly T[], d: T): T =>
    allowed.includes(v as T) ? (v as T) : d;
  // A real calendar date: Date rolls 2026-02-30 over, so compare back.
  const date = (v: string | null) => {
    const ms = v && DATE.test(v) ? Date.parse(`${v}T00:00:00Z`) : Number.NaN;
    return v && !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === v ? v : undefined;
  };
  const text = (v: string | null) => (v ? v.slice(0, 4000) : undefined);
  const route: Route = {
    view: pick(q.get('view'), VIEWS, 'overview'),
    range: pick(q.get('range'), PRESETS, '7d'),
    compare: q.get('compare') !== '0',
    segment: Object.fromEntries(
      SEGMENT_COLUMNS.flatMap((c) => {
        const v = text(q.get(c));
        return v ? [[c, v]] : [];
      }),
    ),
  };
  const optional = {
    site: text(q.get('site')),
    tz: knownZone(text(q.get('tz'))),
    from: date(q.get('from')),
    to: date(q.get('to')),
    funnel: text(q.get('funnel')),
    def: text(q.get('def')),
    breakdown: text(q.get('breakdown')),
    exp: text(q.get('exp')),
    ...Object.fromEntries([...CART_KEYS, ...INSIGHT_KEYS].map((k) => [k, text(q.get(k))?.slice(0, 128)])),
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (route as unknown as Record<string, string>)[k] = v;
  return route;
}

export function routeToSearch(r: Route): string {
  const q = new URLSearchParams();
  if (r.site) q.set('site', r.site);
  q.set('view', r.view);
  q.set('range', r.range);
  if (r.range === 'custom') {
    if (r.from) q.set('from', r.from);
    if (r.to) q.set('to', r.to);
  }
  if (r.tz) q.set('tz', r.tz);
  if (!r.compare) q.set('compare', '0');
  for (const k of ['funnel', 'def', 'breakdown', 'insight', 'steps', 'exp', ...CART_KEYS] as const) {
    const v = r[k];
    if (v) q.set(k, v);
  }
  for (const c of SEGMENT_COLUMNS) {
    const v = r.segment[c];
    if (v) q.set(c, v);
  }
  return `?${q.toString()}`;
}

/** The current route and a setter that pushes a history entry (or replaces it). */
export function useRoute(): [Route, (next: Partial<Route>, replace?: boolean) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.search));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = (next: Partial<Route>, replace = false) => {
    const merged = { ...parseRoute(location.search), ...next };
    for (const [k, v] of Object.entries(next))
      if (v === undefined) delete (merged as Record<string, unknown>)[k];
    const search = routeToSearch(merged);
    if (search !== location.search) history[replace ? 'replaceState' : 'pushState'](null, '', search);
    setRoute(parseRoute(search));
  };
  return [route, navigate];
}
