import { createHash } from 'node:crypto';

/** Target field → input column, from `--map ts=timestamp,type=event,utm.source=src`. */
export type ColumnMap = Map<string, string>;

export function parseColumnMap(spec: string | undefined): ColumnMap {
  const map: ColumnMap = new Map();
  for (const pair of (spec ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const target = pair.slice(0, eq).trim();
    const source = pair.slice(eq + 1).trim();
    if (eq <= 0 || target === '' || source === '') {
      throw new Error(`--map: expected target=column pairs, got ${JSON.stringify(pair)}`);
    }
    if (reservedSegment(target)) throw new Error(`--map: ${RESERVED_MESSAGE(target)}`);
    map.set(target, source);
  }
  return map;
}

/** Fields whose CSV text is a number, and fields (or nested objects) whose CSV text is JSON. */
const NUMBERS = new Set(['revenue']);
const JSON_FIELDS = new Set(['items', 'exp', 'props', 'utm', 'el', 'form', 'form.fields']);

export type Mapped =
  | { event: Record<string, unknown> }
  | { code: 'invalid_timestamp' | 'reserved_key'; error: string };

/**
 * Path segments that name object machinery. A dotted key `__proto__.id` walked into a plain
 * object set `Object.prototype.id` for the whole process: every later line without an id was sent
 * without one. Such keys are refused per line; records are built without prototypes as well.
 */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const reservedSegment = (path: string) => path.split('.').some((p) => RESERVED.has(p));
const RESERVED_MESSAGE = (key: string) =>
  `key ${JSON.stringify(key.slice(0, 200))} has a segment __proto__, constructor or prototype: refused`;

/**
 * Turns one input record into a server event: renames mapped columns (dotted targets build
 * nested objects: `utm.source`, `props.plan`), reads CSV text as numbers or JSON where the schema
 * wants them, drops empty cells, reads `ts` as epoch ms or an ISO-8601 date-time, and gives
 * events without an `id` a stable one derived from the record, so a re-import dedups.
 */
export function toServerEvent(
  value: Record<string, unknown>,
  raw: string,
  map: ColumnMap,
  csv: boolean,
): Mapped {
  const mappedSources = new Set(map.values());
  const copied = Object.keys(value).filter((k) => !mappedSources.has(k));
  const reserved = copied.find(reservedSegment);
  if (reserved !== undefined) return { code: 'reserved_key', error: RESERVED_MESSAGE(reserved) };
  const out: Record<string, unknown> = Object.create(null);
  for (const k of copied) setPath(out, k, value[k], csv);
  for (const [target, source] of map) {
    if (Object.hasOwn(value, source)) setPath(out, target, value[source], csv);
  }
  const ts = readTimestamp(out.ts);
  if (ts === undefined) {
    return {
      code: 'invalid_timestamp',
      error: `ts ${JSON.stringify(out.ts ?? null)} is not epoch ms or ISO-8601`,
    };
  }
  out.ts = ts;
  if (out.id === undefined)
    out.id = `imp_${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}`;
  return { event: out };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown, csv: boolean): void {
  if (csv && value === '') return;
  let v = value;
  if (csv && typeof v === 'string') {
    if (NUMBERS.has(path) && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
    else if (JSON_FIELDS.has(path)) v = parseJsonOr(v);
  }
  const parts = path.split('.');
  let obj = target;
  for (const p of parts.slice(0, -1)) {
    const next = Object.hasOwn(obj, p) ? obj[p] : undefined;
    if (next === null || typeof next !== 'object') obj[p] = Object.create(null);
    obj = obj[p] as Record<string, unknown>;
  }
  obj[parts.at(-1) ?? path] = v;
}

function parseJsonOr(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s; // left as text: the server's validation names the field
  }
}

/** Epoch ms (number or digits) or an ISO-8601 date-time; undefined for anything else. */
export function readTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v);
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}
