import type { ErrorIssue } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import { compilePatterns } from '../queries/compilePatterns.ts';

interface Found {
  path: string;
  pattern: string;
}

/** Every `{op: 'regex', value}` in a definition, with its JSON path. */
function regexesIn(node: unknown, path: string[], out: Found[]): Found[] {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) regexesIn(v, [...path, String(i)], out);
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.op === 'regex' && typeof o.value === 'string')
      out.push({ path: [...path, 'value'].join('.'), pattern: o.value });
    else for (const [k, v] of Object.entries(o)) regexesIn(v, [...path, k], out);
  }
  return out;
}

/**
 * Refuses a definition whose regular expressions the engine cannot compile, with a 400 naming
 * each bad pattern's path and RE2's reason. One query when all compile (the usual case); one per
 * distinct pattern only to locate the bad ones.
 */
export async function checkPatterns(
  store: Store,
  definition: unknown,
  code: 'invalid_body' | 'invalid_query',
  root = 'definition',
): Promise<void> {
  const found = regexesIn(definition, [root], []);
  const distinct = [...new Set(found.map((f) => f.pattern))];
  if ((await compilePatterns(store, distinct)) === undefined) return;
  const issues: ErrorIssue[] = [];
  for (const pattern of distinct) {
    const reason = await compilePatterns(store, [pattern]);
    if (reason === undefined) continue;
    for (const f of found.filter((x) => x.pattern === pattern))
      issues.push({
        path: f.path,
        code: 'invalid_regex',
        message: `RE2 cannot compile this pattern: ${reason}`,
      });
  }
  throw new ApiError(code, 'A regular expression is not valid in RE2', issues.slice(0, 20));
}
