import { type ErrorIssue, FUNNEL_TOO_COMPLEX } from '@funnelhouse/schemas';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, toIssues } from '../errors.ts';
import { nearestKey } from './nearest-key.ts';

/** Reads a JSON request body and validates it; problems become a 400 with their paths. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError('invalid_json', 'Body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = toIssues(parsed.error.issues);
    const tooComplex = parsed.error.issues.find(
      (i) => i.code === 'custom' && i.params?.reason === FUNNEL_TOO_COMPLEX,
    );
    if (tooComplex) throw new ApiError('funnel_too_complex', tooComplex.message, issues);
    throw new ApiError('invalid_body', 'Body does not match the schema', issues);
  }
  return parsed.data;
}

/** Validates the query string; problems become a 400 with their parameter names. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const query = c.req.query();
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const known = queryKeys(schema);
    const issues = toIssues(parsed.error.issues).map((i) => suggest(nameNaN(i, query), known));
    const missing = issues.filter((i) => i.code === 'required').map((i) => i.path);
    const unknown = issues.filter((i) => i.code === 'unrecognized_keys');
    const message = missing.length
      ? `Missing query parameter: ${missing.join(', ')}`
      : unknown.length
        ? unknown.map((i) => `U${i.message.slice(1)}`).join('; ')
        : 'Invalid query parameters';
    throw new ApiError('invalid_query', message, issues);
  }
  return parsed.data;
}

/**
 * A coerced number sees `Number(undefined)` or `Number('abc')`, so zod reports "received NaN"
 * either way: say which it was, a parameter left out (code `required`) or one that is not a number.
 */
function nameNaN(i: ErrorIssue, query: Record<string, string>): ErrorIssue {
  if (i.code !== 'invalid_type' || !/received NaN/.test(i.message)) return i;
  const given = Object.hasOwn(query, i.path) ? query[i.path] : undefined;
  if (given === undefined) return { path: i.path, code: 'required', message: `${i.path} is required` };
  return { ...i, message: `expected a number, got ${JSON.stringify(given.slice(0, 40))}` };
}

/** The parameter names a query schema knows: its object shape, under any pipe or refinement. */
function queryKeys(schema: z.ZodType): string[] {
  let s: unknown = schema;
  for (let depth = 0; s && depth < 5; depth++) {
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (shape && typeof shape === 'object') return Object.keys(shape);
    const def = (s as { def?: { in?: unknown; innerType?: unknown; schema?: unknown } }).def;
    s = def?.in ?? def?.innerType ?? def?.schema;
  }
  return [];
}

/** An unknown parameter's issue names the known one it most likely meant, if one is close. */
function suggest(i: ErrorIssue, known: string[]): ErrorIssue {
  if (i.code !== 'unrecognized_keys' || i.path.includes('.')) return i;
  const near = nearestKey(i.path, known);
  const message = `unknown query parameter ${JSON.stringify(i.path)}`;
  return near
    ? { ...i, message: `${message}; did you mean ${JSON.stringify(near)}?`, suggestion: near }
    : { ...i, message };
}
