import { type Store, select } from '../clickhouse/client.ts';

/**
 * Compiles each of {patterns} with the engine's own regular expressions (RE2 in ClickHouse) by
 * matching it against the empty string. Unit: none; the answer is "all compile" or the engine's
 * error. JavaScript accepts patterns RE2 refuses (`\y`, `[^]`, `a{1001}`), so a definition is
 * checked here, at the door, instead of failing every query that uses it.
 */
const SQL = `SELECT arrayMap(x -> match('', x), {patterns:Array(String)}) AS m`;

/** ClickHouse's code for a pattern RE2 cannot compile. */
const CANNOT_COMPILE_REGEXP = '427';

/** `undefined` when every pattern compiles, else RE2's reason for (one of) the failure(s). */
export async function compilePatterns(store: Store, patterns: string[]): Promise<string | undefined> {
  if (patterns.length === 0) return undefined;
  try {
    await select(store, SQL, { patterns });
    return undefined;
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    if (String(e.code) !== CANNOT_COMPILE_REGEXP) throw err;
    // "… cannot compile re2: <pattern>, error: <reason>. Look at …": keep the reason only.
    const reason = /error: (.*?)(?:\. Look at|$)/s.exec(String(e.message))?.[1];
    return reason ?? 'RE2 cannot compile this pattern';
  }
}
