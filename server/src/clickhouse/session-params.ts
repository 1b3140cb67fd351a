/**
 * Query parameters as session settings (`SET param_name = '…'`) instead of chdb's native binding.
 *
 * Why: chdb 3.x runs every natively bound query of the process through one global chain, because
 * libchdb's parameter state is not isolated per connection. A 30 s report bound that way held up
 * every other bound query, on every connection: the flusher's id lookup, server events, readiness.
 * Parameters set on a connection's own session are substituted by the engine for that session
 * alone, so the reports connections bind this way and run beside the rest. The SQL still names
 * each value as `{name:Type}`; the value never becomes part of the statement text.
 */

/** `{name: value}` → `{param_name: text}`, the text written as the engine parses a parameter. */
export function asSessionParams(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad parameter name ${name}`);
    // The chdb connection writes a setting as a quoted literal and doubles quotes, but leaves
    // backslashes alone, which the literal would then read as escapes: double them here.
    out[`param_${name}`] = paramText(value, false).replaceAll('\\', '\\\\');
  }
  return out;
}

/**
 * A parameter's text: top-level strings in the engine's escaped (TSV) form, strings inside arrays
 * quoted; numbers as written. The types our queries bind: strings, numbers, arrays of them.
 */
function paramText(v: unknown, nested: boolean): string {
  if (typeof v === 'string') return nested ? `'${escaped(v).replaceAll("'", "\\'")}'` : escaped(v);
  if (typeof v === 'number') {
    // As the native binding does: an integer past 2^53 has already lost precision, refuse it.
    if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
      throw new Error(`cannot bind ${v} exactly: pass a bigint or a string`);
    }
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Array.isArray(v)) return `[${v.map((x) => paramText(x, true)).join(',')}]`;
  throw new Error(`cannot bind a value of type ${typeof v}`);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

function escaped(s: string): string {
  return s.replace(/[\\\t\n\r\0]/g, (ch) => ESCAPES[ch] ?? ch);
}
