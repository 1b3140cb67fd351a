import {
  LIMITS,
  type ServerEvent,
  type ServerEventResult,
  type ServerEventSource,
  serverEventSchema,
  serverEventsEnvelopeSchema,
} from '@funnelhouse/schemas';
import { ApiError, toIssues } from '../errors.ts';
import { moneyProblem } from './money.ts';
import { parseJsonText, propertyMapProblem } from './parse.ts';

/** A server API is called by code, which can set the content type properly. */
export function checkJsonContentType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new ApiError(
      'unsupported_media_type',
      `Content-Type must be application/json, got ${JSON.stringify(type || 'none')}`,
    );
  }
}

/**
 * Parses the envelope of a server events request. Problems with the envelope (not JSON, too deep,
 * too many events, no `events` array) refuse the whole request; the events, property limits
 * included, are checked one by one afterwards by `validateServerEvent`, as `/collect` does. A
 * broken limit used to refuse the batch, and an import stopped at it on every rerun.
 */
export function parseServerEnvelope(text: string): { source: ServerEventSource; events: unknown[] } {
  const raw = parseJsonText(text);
  const events = (raw as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > LIMITS.serverEventsPerBatch) {
    throw new ApiError(
      'too_many_events',
      `A batch holds at most ${LIMITS.serverEventsPerBatch} events, got ${events.length}`,
    );
  }
  const parsed = serverEventsEnvelopeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiError('invalid_body', 'Body does not match the schema', toIssues(parsed.error.issues));
  }
  return parsed.data;
}

export type Validated =
  | { ok: true; event: ServerEvent }
  | { ok: false; result: Extract<ServerEventResult, { status: 'rejected' }> };

/**
 * Checks one event of a batch; a bad one becomes its own rejected result: a property limit with
 * its own code (checked first, as `/collect` does), `money_out_of_range` for an amount beyond
 * ±`LIMITS.moneyMax` (negative revenue is allowed here: refunds), anything else `invalid_event`.
 */
export function validateServerEvent(raw: unknown, index: number): Validated {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const id = typeof rawId === 'string' ? rawId.slice(0, LIMITS.idLength) : null;
  const problem = propertyMapProblem(raw);
  if (problem) return { ok: false, result: { index, id, status: 'rejected', ...problem } };
  const money = moneyProblem(raw);
  if (money) return { ok: false, result: { index, id, status: 'rejected', ...money } };
  const parsed = serverEventSchema.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    result: {
      index,
      id,
      status: 'rejected',
      code: 'invalid_event',
      message: 'Event does not match the event schema',
      issues: toIssues(parsed.error.issues),
    },
  };
}
