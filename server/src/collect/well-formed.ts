// A UTF-16 surrogate without its partner. Without the `u` flag the regex sees code units.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The string with every lone surrogate replaced by U+FFFD, as a UTF-8 encoder would. JSON may
 * spell a lone surrogate as `\ud800`; ClickHouse refuses such an escape and fails the whole
 * insert, so one hostile string would poison every batch it shares a flush with.
 */
export function toWellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A `JSON.parse` reviver that makes every string value and object key well-formed. Objects whose
 * keys change are rebuilt with `Object.fromEntries`, which defines own properties: a `__proto__`
 * key stays a plain key and never reaches an object's prototype.
 */
export function wellFormedReviver(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return toWellFormed(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.every((k) => toWellFormed(k) === k)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [toWellFormed(k), v]));
}

// A `\u` escape of a surrogate (high or low) in JSON text, or something that looks like one
// (`\\ud800` is an escaped backslash and plain text: a false alarm costs only the slow path).
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;
// LONE_SURROGATE without the `g` flag: `test` then keeps no position between calls.
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

/**
 * `JSON.parse` whose strings and keys are all well-formed. A reviver is a JavaScript call per
 * value (≈ 4× the parse on a `/collect` batch), so it runs only when the result could hold a
 * lone surrogate: when the text has one itself, or spells a surrogate as a `\u` escape. Text
 * decoded from UTF-8 (every request body) has none of its own, so only escapes matter there.
 */
export function parseWellFormed(text: string): unknown {
  if (!ESCAPED_SURROGATE.test(text) && !HAS_LONE_SURROGATE.test(text)) return JSON.parse(text);
  return JSON.parse(text, wellFormedReviver);
}
