import { FUNNEL_TOO_COMPLEX } from '@funnelhouse/schemas';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, toIssues } from '../errors.ts';

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
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    throw new ApiError('invalid_query', 'Invalid query parameters', toIssues(parsed.error.issues));
  }
  return parsed.data;
}
