/**
 * The one filter compiler: step conditions (and, next, experiment metrics and cart breakdowns) →
 * ClickHouse boolean expressions. Every value travels as a query parameter
 * (`{p3:String}`); every column comes from the schema's allow-list and is bound as an Identifier.
 */
import type {
  BreakdownDimension,
  FunnelUnit,
  PropertyFilter,
  StepAlternative,
  StringMatch,
} from '@funnelhouse/schemas';
import type { Params } from './params.ts';

/** A plain decimal number (the schema's definition of "numeric" for `gt`/`lt`). */
export const NUMERIC = `'^-?[0-9]+(\\\\.[0-9]+)?$'`;

/** `*` is the only wildcard: escape LIKE's own metacharacters, then map `*` to `%`. */
export function wildcardToLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

function stringMatch(col: string, m: StringMatch, p: Params): string {
  if (m.op === 'exact') return `${col} = ${p.bind('String', m.value)}`;
  if (m.op === 'wildcard') return `like(${col}, ${p.bind('String', wildcardToLike(m.value))})`;
  return `match(${col}, ${p.bind('String', m.value)})`;
}

function filterSql(f: PropertyFilter, p: Params): string {
  const isProp = 'property' in f && typeof f.property === 'string';
  const key = isProp ? p.bind('String', (f as { property: string }).property) : '';
  const colName = isProp ? '' : (f as { column: string }).column;
  const expr = isProp ? `props[${key}]` : `toString(${p.column(colName)})`;
  switch (f.op) {
    case 'eq':
      return `${expr} = ${p.bind('String', f.value)}`;
    case 'neq':
      return `${expr} != ${p.bind('String', f.value)}`;
    case 'contains':
      return `position(${expr}, ${p.bind('String', f.value)}) > 0`;
    case 'in':
      return `has(${p.bind('Array(String)', f.values)}, ${expr})`;
    case 'exists':
      return isProp ? `mapContains(props, ${key})` : `${expr} != ''`;
    case 'gt':
    case 'lt': {
      const cmp = f.op === 'gt' ? '>' : '<';
      const v = p.bind('Float64', f.value);
      if (colName === 'revenue') return `toFloat64(revenue) ${cmp} ${v}`;
      return `(match(${expr}, ${NUMERIC}) AND toFloat64OrZero(${expr}) ${cmp} ${v})`;
    }
  }
}

/** One alternative: every condition it gives (AND). */
export function alternativeSql(a: StepAlternative, p: Params): string {
  const parts: string[] = [];
  if (a.type !== undefined) parts.push(`type = ${p.bind('String', a.type)}`);
  if (a.name !== undefined) parts.push(`name = ${p.bind('String', a.name)}`);
  if (a.url) parts.push(stringMatch('url', a.url, p));
  if (a.path) parts.push(stringMatch('path', a.path, p));
  if (a.element?.selector !== undefined) parts.push(`el_selector = ${p.bind('String', a.element.selector)}`);
  if (a.element?.text_contains !== undefined) {
    parts.push(`position(el_text, ${p.bind('String', a.element.text_contains)}) > 0`);
  }
  if (a.element?.text) parts.push(stringMatch('el_text', a.element.text, p));
  if (a.element?.href) parts.push(stringMatch('el_href', a.element.href, p));
  if (a.form_id !== undefined) parts.push(`form_id = ${p.bind('String', a.form_id)}`);
  for (const f of a.filters ?? []) parts.push(filterSql(f, p));
  return parts.length === 0 ? '1' : parts.map((x) => `(${x})`).join(' AND ');
}

/** A step or exclusion: any of its alternatives (OR). */
export function alternativesSql(alts: StepAlternative[], p: Params): string {
  return alts.map((a) => `(${alternativeSql(a, p)})`).join(' OR ');
}

/** The expression giving an event's unit; empty means the event has none. */
export function unitSql(unit: FunnelUnit, p: Params): string {
  if (typeof unit === 'object') return `props[${p.bind('String', unit.property)}]`;
  const col = { visitor: 'visitor_id', session: 'session_id', user: 'user_id' }[unit as string] ?? unit;
  return p.column(col);
}

/** The expression giving an event's breakdown value as text; empty means none. */
export function dimensionSql(d: BreakdownDimension, p: Params): string {
  // Breakdown columns are all (LowCardinality) strings: no conversion, so dictionaries are kept.
  if ('column' in d) return p.column(d.column);
  if ('property' in d) return `props[${p.bind('String', d.property)}]`;
  return `experiments[${p.bind('String', d.experiment)}]`;
}
