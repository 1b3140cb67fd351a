/**
 * The oracle's reading of step conditions: plain TypeScript over one event, written from the
 * schema's documentation and not from the SQL compiler.
 */
import type {
  BreakdownDimension,
  FunnelUnit,
  PropertyFilter,
  StepAlternative,
  StringMatch,
} from '@funnelhouse/schemas';

/** The fields of an `events_v1` row the funnel reads. `ts` is epoch milliseconds. */
export interface OracleEvent {
  event_id: string;
  type: string;
  name: string;
  ts: number;
  visitor_id: string;
  session_id: string;
  user_id: string;
  url: string;
  path: string;
  el_selector: string;
  el_text: string;
  el_href: string;
  form_id: string;
  props: Record<string, string>;
  experiments: Record<string, string>;
  /** Any other column by name (channel, country, cart_id, revenue, …). */
  [column: string]: unknown;
}

function wildcardToRegExp(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

function matchesString(m: StringMatch, s: string): boolean {
  if (m.op === 'exact') return s === m.value;
  if (m.op === 'wildcard') return wildcardToRegExp(m.value).test(s);
  return new RegExp(m.value).test(s);
}

/** A plain decimal number, or null: "1e3", "" and " 1" are not numbers. */
function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^-?[0-9]+(\.[0-9]+)?$/.test(s) ? Number(s) : null;
}

function filterHolds(f: PropertyFilter, e: OracleEvent): boolean {
  const isProp = 'property' in f && f.property !== undefined;
  const key = isProp ? (f as { property: string }).property : (f as { column: string }).column;
  const raw: unknown = isProp ? (e.props[key] ?? '') : e[key];
  const v = typeof raw === 'number' ? String(raw) : String(raw ?? '');
  switch (f.op) {
    case 'eq':
      return v === f.value;
    case 'neq':
      return v !== f.value;
    case 'contains':
      return v.includes(f.value);
    case 'in':
      return f.values.includes(v);
    case 'exists':
      return isProp ? key in e.props : v !== '';
    case 'gt': {
      const x = asNumber(raw);
      return x !== null && x > f.value;
    }
    case 'lt': {
      const x = asNumber(raw);
      return x !== null && x < f.value;
    }
  }
}

/** True when every condition the alternative gives holds for the event. */
export function alternativeMatches(a: StepAlternative, e: OracleEvent): boolean {
  if (a.type !== undefined && e.type !== a.type) return false;
  if (a.name !== undefined && e.name !== a.name) return false;
  if (a.url && !matchesString(a.url, e.url)) return false;
  if (a.path && !matchesString(a.path, e.path)) return false;
  if (a.element?.selector !== undefined && e.el_selector !== a.element.selector) return false;
  if (a.element?.text_contains !== undefined && !e.el_text.includes(a.element.text_contains)) return false;
  if (a.element?.text && !matchesString(a.element.text, e.el_text)) return false;
  if (a.element?.href && !matchesString(a.element.href, e.el_href)) return false;
  if (a.form_id !== undefined && e.form_id !== a.form_id) return false;
  return (a.filters ?? []).every((f) => filterHolds(f, e));
}

export function anyAlternativeMatches(alts: StepAlternative[], e: OracleEvent): boolean {
  return alts.some((a) => alternativeMatches(a, e));
}

/** The unit an event belongs to; empty when the event has none (it then takes no part). */
export function unitOf(unit: FunnelUnit, e: OracleEvent): string {
  if (unit === 'visitor') return e.visitor_id;
  if (unit === 'session') return e.session_id;
  if (unit === 'user') return e.user_id;
  if (unit === 'cart_id' || unit === 'order_id') return String(e[unit] ?? '');
  return e.props[unit.property] ?? '';
}

/** The breakdown value an event carries; empty means "no value". */
export function dimensionOf(d: BreakdownDimension, e: OracleEvent): string {
  if ('column' in d) return String(e[d.column] ?? '');
  if ('property' in d) return e.props[d.property] ?? '';
  return e.experiments[d.experiment] ?? '';
}
