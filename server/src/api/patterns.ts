import type { ErrorIssue } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import type { RegexVerdicts } from './regex-verdicts.ts';

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
 * each bad pattern's path and RE2's reason. The engine is asked on `reports` (a report store in
 * the site's lane, never the main connection), and only about patterns whose verdict is not
 * kept in `verdicts` (see `regex-verdicts.ts`).
 */
export async function checkPatterns(
  verdicts: RegexVerdicts,
  reports: Store,
  definition: unknown,
  code: 'invalid_body' | 'invalid_query',
  root = 'definition',
): Promise<void> {
  const found = regexesIn(definition, [root], []);
  if (found.length === 0) return;
  const bad = await verdicts.judge(
    reports,
    found.map((f) => f.pattern),
  );
  if (bad.size === 0) return;
  const issues: ErrorIssue[] = found.flatMap((f) => {
    const reason = bad.get(f.pattern);
    return reason === undefined
      ? []
      : [{ path: f.path, code: 'invalid_regex', message: `RE2 cannot compile this pattern: ${reason}` }];
  });
  throw new ApiError(code, 'A regular expression is not valid in RE2', issues.slice(0, 20));
}
