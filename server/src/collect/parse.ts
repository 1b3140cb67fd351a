import { type CollectBody, collectBodySchema, LIMITS } from '@funnelhouse/schemas';
import { ApiError, toIssues } from '../errors.ts';

const ACCEPTED_TYPES = ['text/plain', 'application/json'];

/** `sendBeacon` sends `text/plain`; bundlers' fetch calls send JSON. Anything else is refused. */
export function checkContentType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!ACCEPTED_TYPES.includes(type)) {
    throw new ApiError(
      'unsupported_media_type',
      `Content-Type must be text/plain or application/json, got ${JSON.stringify(type || 'none')}`,
    );
  }
}

/** Nesting depth of a parsed JSON value (a scalar is 0). Iterative: hostile input cannot overflow. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d + 1);
    if (max > LIMITS.jsonDepth) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Parses and validates a `/collect` body; throws an `ApiError` naming the first kind of problem. */
export function parseCollectBody(text: string): CollectBody {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'Body is not valid JSON');
  }
  if (jsonDepth(raw) > LIMITS.jsonDepth) {
    throw new ApiError('json_too_deep', `JSON nesting deeper than ${LIMITS.jsonDepth} levels`);
  }
  const events = (raw as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > LIMITS.eventsPerBatch) {
    throw new ApiError(
      'too_many_events',
      `A batch holds at most ${LIMITS.eventsPerBatch} events, got ${events.length}`,
    );
  }
  const parsed = collectBodySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiError(
      'invalid_body',
      'Body does not match the collect schema',
      toIssues(parsed.error.issues),
    );
  }
  return parsed.data;
}
