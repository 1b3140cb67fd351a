import {
  type CollectEvent,
  CURRENCY_PATTERN,
  EVENT_BOUNDS,
  FORM_EVENT_TYPES,
  ITEM_EVENT_TYPES,
  isHttpUrl,
  LIMITS,
} from '@funnelhouse/schemas';

/**
 * A compiled check of one `/collect` event: the rules of `collectEventSchema` (zod, in
 * `schemas/src/event.ts`) written out by hand, at about 60 % of zod's CPU per event (BENCHMARKS.md,
 * "Ingestion"; half of what is left is the URL test, `isHttpUrl`, shared with zod). zod stays the
 * reference and the API's schema language: every bound here is read from the constants the zod
 * schema is built from (`LIMITS`, `EVENT_BOUNDS`, the type lists, `CURRENCY_PATTERN`), the field
 * lists are compared with zod's shapes by a test, and `event-check.test.ts` holds the two to the
 * same verdict, the same output and the same issues (path and code) on random and hostile events.
 *
 * Only a "valid" verdict is used on its own: an invalid event is judged again by zod, so the
 * answer a client reads is always zod's. When an input is outside what this check models (an
 * object that is not plain, which JSON never yields), it answers `undefined`: zod decides.
 *
 * zod's behaviour copied here, for the record (zod 4): strings are measured in code points; a
 * type mismatch stops the checks of that value; an array longer than its bound is refused before
 * its items are read; a union of scalars reports the one option that got past the type check, or
 * `invalid_union`; an unknown `type` is `invalid_union` at `type`; unknown keys are dropped.
 */

/** One issue as zod reports it: the path and code, and whether it stops later checks. */
export interface CheckIssue {
  path: (string | number)[];
  code: string;
  /** zod's "no `continue`": the enclosing value's later checks (a record's key count) are skipped. */
  abort: boolean;
}

export type CheckResult = { valid: true; event: CollectEvent } | { valid: false; issues: CheckIssue[] };

/** Checks a value, pushes zod's issues (paths relative to it), returns the value zod would output. */
type Rule = (v: unknown, issues: CheckIssue[]) => unknown;

/** Thrown when an input is outside what the check models; the caller falls back to zod. */
const DOUBT = Symbol('doubt');

const push = (issues: CheckIssue[], code: string, abort: boolean) => {
  issues.push({ path: [], code, abort });
};

/** Prefixes the paths of the issues pushed since `start` (a value's own issues) with `key`. */
function prefix(issues: CheckIssue[], start: number, key: string | number): void {
  for (let i = start; i < issues.length; i++) (issues[i] as CheckIssue).path.unshift(key);
}

const abortedSince = (issues: CheckIssue[], start: number) => {
  for (let i = start; i < issues.length; i++) if ((issues[i] as CheckIssue).abort) return true;
  return false;
};

/** Unicode code points, as zod counts a string's length (a lone surrogate counts as one). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

/** One check of a string, in the schema's order: a length bound, or a test and its code. */
type StringCheck = ['min' | 'max', number] | ['test', (s: string) => boolean, string];

/**
 * zod's length bound, which runs on anything with a `length` even after a type mismatch (an
 * array, or `{"length": …}`, sent for a string); a string is measured in code points, where that
 * can change the verdict (a unit is half a pair at most).
 */
function checkLength(v: unknown, bound: 'min' | 'max', n: number, issues: CheckIssue[]): void {
  if (v === null || v === undefined) return;
  const units = (v as { length?: unknown }).length;
  if (units === undefined) return;
  const text = typeof v === 'string';
  if (bound === 'min') {
    const length = text && (units as number) >= n && (units as number) < 2 * n ? codePoints(v) : units;
    if (!((length as number) >= n)) push(issues, 'too_small', false);
  } else {
    const length = text && (units as number) > n ? codePoints(v) : units;
    if (!((length as number) <= n)) push(issues, 'too_big', false);
  }
}

function string(...checks: StringCheck[]): Rule {
  return (v, issues) => {
    const text = typeof v === 'string';
    if (!text) push(issues, 'invalid_type', true);
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i] as StringCheck;
      if (check[0] === 'test') {
        // A test (pattern, refinement) runs only on a string: a type mismatch stops it.
        if (text && !check[1](v)) push(issues, check[2], false);
      } else checkLength(v, check[0], check[1], issues);
    }
    return v;
  };
}

function number({ int, min, max }: { int?: boolean; min: number; max: number }): Rule {
  return (v, issues) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      push(issues, 'invalid_type', true);
      return v;
    }
    if (int) {
      if (!Number.isInteger(v)) {
        push(issues, 'invalid_type', true);
        return v;
      }
      if (!Number.isSafeInteger(v)) push(issues, v > 0 ? 'too_big' : 'too_small', false);
    }
    if (v < min) push(issues, 'too_small', false);
    if (v > max) push(issues, 'too_big', false);
    return v;
  };
}

/** A field of an object: its key, its rule, and whether it may be absent. */
export interface Field {
  key: string;
  rule: Rule;
  optional: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object of `fields` (in zod's shape order); keys not in it are dropped, as zod strips them. */
function object(fields: readonly Field[]): Rule {
  return (v, issues) => {
    if (!isObject(v)) {
      push(issues, 'invalid_type', true);
      return v;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const { key, rule, optional } = fields[i] as Field;
      const raw = v[key];
      const present = raw !== undefined || key in v;
      if (!present && optional) continue;
      const start = issues.length;
      const value = rule(raw, issues);
      if (issues.length !== start) prefix(issues, start, key);
      if (present) out[key] = value;
    }
    return out;
  };
}

function optional(rule: Rule): Rule {
  return (v, issues) => (v === undefined ? undefined : rule(v, issues));
}

function array(item: Rule, max: number): Rule {
  return (v, issues) => {
    if (!Array.isArray(v)) {
      push(issues, 'invalid_type', true);
      checkLength(v, 'max', max, issues);
      return v;
    }
    if (v.length > max) {
      push(issues, 'too_big', true);
      return v;
    }
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const start = issues.length;
      out[i] = item(v[i], issues);
      if (issues.length !== start) prefix(issues, start, i);
    }
    return out;
  };
}

const keyRule = string(['min', 1], ['max', LIMITS.keyLength]);

/** A map of free keys, at most `maxKeys` of them; `__proto__` is skipped (zod skips it too). */
function record(value: Rule, maxKeys: number): Rule {
  return (v, issues) => {
    if (!isObject(v)) {
      push(issues, 'invalid_type', true);
      return v;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw DOUBT;
    const start = issues.length;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (key === '__proto__') continue;
      const keyIssues: CheckIssue[] = [];
      keyRule(key, keyIssues);
      if (keyIssues.length > 0) {
        issues.push({ path: [key], code: 'invalid_key', abort: true });
        continue;
      }
      const at = issues.length;
      out[key] = value(v[key], issues);
      if (issues.length !== at) prefix(issues, at, key);
    }
    if (!abortedSince(issues, start) && Object.keys(out).length > maxKeys) push(issues, 'custom', false);
    return out;
  };
}

const propValueText = string(['max', LIMITS.valueLength]);

/** A property value: text, a finite number or a boolean (zod's union of the three). */
const propValue: Rule = (v, issues) => {
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (typeof v === 'string') return propValueText(v, issues);
  push(issues, 'invalid_union', true);
  return v;
};

const B = EVENT_BOUNDS;
const text = (max: number = LIMITS.textLength) => string(['max', max]);
const id = string(['min', 1], ['max', LIMITS.idLength]);
const epochMs = number({ int: true, min: B.epochMsMin, max: B.epochMsMax });
const money = number({ min: -LIMITS.moneyMax, max: LIMITS.moneyMax });
const currency = string(['test', (s) => CURRENCY_PATTERN.test(s), 'invalid_format']);
/** `text(128).min(1)`: the bounds in that order (zod reports them in the order they were written). */
const name = string(['max', B.nameLength], ['min', 1]);
const accept: Rule = (v) => v;

const req = (key: string, rule: Rule): Field => ({ key, rule, optional: false });
const opt = (key: string, rule: Rule): Field => ({ key, rule: optional(rule), optional: true });

/** The nested objects' fields, in zod's shape order (`event-check.test.ts` compares them). */
export const NESTED_FIELDS = {
  element: [
    req('tag', text(B.element.tag)),
    opt('id', text(B.element.id)),
    opt('classes', text(B.element.classes)),
    opt('selector', text(B.element.selector)),
    opt('text', text()),
    opt('href', text(LIMITS.urlLength)),
  ],
  form: [
    opt('id', text(B.formText)),
    opt('name', text(B.formText)),
    opt('fields', array(text(B.formText), LIMITS.formFields)),
  ],
  item: [
    req('id', id),
    opt('name', text()),
    opt('price', money),
    opt('quantity', number({ int: true, min: 0, max: B.quantityMax })),
    opt('category', text()),
    opt('variant', text()),
  ],
  utm: [
    opt('source', text()),
    opt('medium', text()),
    opt('campaign', text()),
    opt('term', text()),
    opt('content', text()),
    opt('click_id', text(B.clickIdLength)),
  ],
} satisfies Record<string, Field[]>;

const items = array(object(NESTED_FIELDS.item), LIMITS.items);

/** The fields every event has, in zod's order; `identify` makes `user_id` required in place. */
function baseFields(userIdRequired: boolean): Field[] {
  return [
    req('id', id),
    req('ts', epochMs),
    req('url', string(['min', 1], ['max', LIMITS.urlLength], ['test', isHttpUrl, 'custom'])),
    opt('title', text()),
    opt('referrer', string(['max', LIMITS.urlLength])),
    opt('utm', object(NESTED_FIELDS.utm)),
    opt('visitor_id', id),
    opt('session_id', id),
    userIdRequired ? req('user_id', id) : opt('user_id', id),
    opt('cart_id', id),
    opt('exp', record(text(B.nameLength), LIMITS.experiments)),
    opt('props', record(propValue, LIMITS.props)),
  ];
}

/** Each event type's fields after the base ones (the discriminator `type` is matched already). */
const TYPE_FIELDS: [types: readonly string[], fields: Field[]][] = [
  [['pageview'], []],
  [['click'], [opt('name', text(B.nameLength)), req('el', object(NESTED_FIELDS.element))]],
  [FORM_EVENT_TYPES, [req('form', object(NESTED_FIELDS.form))]],
  [ITEM_EVENT_TYPES, [opt('items', items), opt('revenue', money), opt('currency', currency)]],
  [
    ['purchase'],
    [req('order_id', id), req('revenue', money), req('currency', currency), opt('items', items)],
  ],
  [['exposure'], [req('name', name), req('variant', name)]],
  [['identify'], []],
  [['custom'], [req('name', name)]],
];

/** Every event type's fields in zod's shape order, `type` included. */
export const EVENT_FIELDS: ReadonlyMap<string, readonly Field[]> = new Map(
  TYPE_FIELDS.flatMap(([types, fields]) =>
    types.map((t): [string, Field[]] => [
      t,
      [...baseFields(t === 'identify'), req('type', accept), ...fields],
    ]),
  ),
);

const RULES = new Map([...EVENT_FIELDS].map(([t, fields]) => [t, object(fields)]));

/**
 * Checks one raw event (a JSON value) by the rules of `collectEventSchema`: valid with the event
 * as zod would output it, invalid with zod's issues, or `undefined` when zod must decide.
 */
export function checkCollectEvent(raw: unknown): CheckResult | undefined {
  const issues: CheckIssue[] = [];
  if (!isObject(raw)) return { valid: false, issues: [{ path: [], code: 'invalid_type', abort: true }] };
  const rule = RULES.get(raw.type as string);
  if (!rule) return { valid: false, issues: [{ path: ['type'], code: 'invalid_union', abort: true }] };
  try {
    const event = rule(raw, issues) as CollectEvent;
    return issues.length === 0 ? { valid: true, event } : { valid: false, issues };
  } catch (err) {
    if (err === DOUBT) return undefined;
    throw err;
  }
}
