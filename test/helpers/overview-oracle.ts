import type { CountRow, OverviewResponse } from '@funnelhouse/schemas';
import type { Traffic } from '@funnelhouse/server';

/**
 * The overview computed in plain TypeScript from the generator's own record of what it sent
 * (its intended times, its channel/device/country labels), without the server or ClickHouse.
 * Crawlers are left out: the server must drop them.
 */

type Dimension = keyof OverviewResponse['top'];

interface Fact {
  id: string;
  type: string;
  ts: number;
  visitor: string;
  session: string;
  day: string;
  values: Record<Dimension, string>;
}

/** Calendar day of an instant in a zone, `YYYY-MM-DD`. */
export function localDay(ms: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function facts(t: Traffic, tz: string): Fact[] {
  const out: Fact[] = [];
  for (const v of t.visitors) {
    if (v.bot) continue;
    const channelOf = new Map(v.sessions.map((s) => [s.id, s.channel]));
    for (const e of v.events) {
      const session = e.session_id ?? '';
      out.push({
        id: e.id,
        type: e.type,
        ts: e.ts,
        visitor: v.id,
        session,
        day: localDay(e.ts, tz),
        values: {
          pages: e.type === 'pageview' ? new URL(e.url).pathname : '',
          referrer_hosts: e.referrer ? new URL(e.referrer).hostname.replace(/^www\./, '') : '',
          channels: channelOf.get(session) ?? '',
          utm_sources: e.utm?.source ?? '',
          utm_campaigns: e.utm?.campaign ?? '',
          countries: v.country,
          devices: v.device,
          browsers: v.browser,
        },
      });
    }
  }
  return out;
}

function totalsOf(fs: readonly Fact[]) {
  return {
    visitors: new Set(fs.map((f) => f.visitor)).size,
    sessions: new Set(fs.map((f) => f.session)).size,
    pageviews: new Set(fs.filter((f) => f.type === 'pageview').map((f) => f.id)).size,
    events: new Set(fs.map((f) => f.id)).size,
  };
}

/**
 * The top rule, written once: pages count the visitors who viewed the page; every other column
 * counts each visitor once, under the value of its first event (by time, then event id: first
 * touch), so its rows add up to the visitors; pageviews count under their own event's value.
 */
function topOf(fs: readonly Fact[], dim: Dimension, limit: number): CountRow[] {
  const groups = new Map<string, { visitors: Set<string>; pageviews: Set<string> }>();
  const group = (value: string) => {
    const g = groups.get(value) ?? { visitors: new Set(), pageviews: new Set() };
    groups.set(value, g);
    return g;
  };
  const first = new Map<string, Fact>();
  for (const f of fs) {
    const was = first.get(f.visitor);
    if (!was || f.ts < was.ts || (f.ts === was.ts && f.id < was.id)) first.set(f.visitor, f);
    const value = f.values[dim];
    if (value === '') continue;
    if (dim === 'pages') group(value).visitors.add(f.visitor);
    if (f.type === 'pageview') group(value).pageviews.add(f.id);
  }
  if (dim !== 'pages')
    for (const [visitor, f] of first) if (f.values[dim] !== '') group(f.values[dim]).visitors.add(visitor);
  return [...groups]
    .map(([value, g]) => ({ value, visitors: g.visitors.size, pageviews: g.pageviews.size }))
    .sort(
      (a, b) =>
        b.visitors - a.visitors ||
        b.pageviews - a.pageviews ||
        (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    )
    .slice(0, limit);
}

/** Every day from `first` to `last`, inclusive. */
export function daysFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); d.toISOString().slice(0, 10) <= last; ) {
    out.push(d.toISOString().slice(0, 10));
    d = new Date(d.getTime() + 86_400_000);
  }
  return out;
}

/** A segment as the query string names it: column → value (`path`, `channel`, `country`, …). */
export type OracleSegment = Partial<Record<string, string>>;

const SEGMENT_DIMENSION: Record<string, Dimension> = {
  path: 'pages',
  referrer_host: 'referrer_hosts',
  channel: 'channels',
  utm_source: 'utm_sources',
  utm_campaign: 'utm_campaigns',
  country: 'countries',
  device: 'devices',
  browser: 'browsers',
};

/**
 * The rule of a segment, written once: keep the events of the sessions in which, within the
 * range, each given value was met by some event (a page by a pageview of it).
 */
function inSegment(fs: Fact[], segment: OracleSegment): Fact[] {
  const wanted = Object.entries(segment).filter(([, v]) => v);
  if (wanted.length === 0) return fs;
  const sessions = new Set(
    [...new Set(fs.map((f) => f.session))].filter((session) =>
      wanted.every(([col, v]) =>
        fs.some((f) => f.session === session && f.values[SEGMENT_DIMENSION[col] as Dimension] === v),
      ),
    ),
  );
  return fs.filter((f) => sessions.has(f.session));
}

/**
 * What `GET /overview?from=firstDay&to=lastDay&tz=…&limit=…` must answer for this traffic alone;
 * with `window` (epoch ms, `[from, to)`), what the same query with instants must answer; with
 * `segment`, what the query narrowed by it must answer.
 */
export function expectedOverview(
  t: Traffic,
  q: {
    firstDay: string;
    lastDay: string;
    tz: string;
    limit: number;
    window?: [number, number];
    segment?: OracleSegment;
  },
): Pick<OverviewResponse, 'totals' | 'events_by_type' | 'daily' | 'top'> {
  const [from, to] = q.window ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const fs = inSegment(
    facts(t, q.tz).filter((f) => f.day >= q.firstDay && f.day <= q.lastDay && f.ts >= from && f.ts < to),
    q.segment ?? {},
  );
  const byType: Record<string, number> = {};
  for (const f of fs) byType[f.type] = (byType[f.type] ?? 0) + 1;
  const dims: Dimension[] = [
    'pages',
    'referrer_hosts',
    'channels',
    'utm_sources',
    'utm_campaigns',
    'countries',
    'devices',
    'browsers',
  ];
  return {
    totals: totalsOf(fs),
    events_by_type: byType,
    daily: daysFrom(q.firstDay, q.lastDay).map((day) => ({
      day,
      ...totalsOf(fs.filter((f) => f.day === day)),
    })),
    top: Object.fromEntries(dims.map((d) => [d, topOf(fs, d, q.limit)])) as OverviewResponse['top'],
  };
}
