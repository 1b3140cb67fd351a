import {
  type CollectEvent,
  type CollectRejection,
  collectEnvelopeSchema,
  collectEventSchema,
  type ErrorIssue,
  type EventRejectionCode,
  LIMITS,
} from '@funnelhouse/schemas';
import { z } from 'zod';
import { ApiError, toIssues } from '../errors.ts';
import { browserMoneyProblem, type MoneyProblem } from './money.ts';
import { parseWellFormed } from './well-formed.ts';

const ACCEPTED_TYPES = ['text/plain', 'application/json'];

/** Keys that name object machinery in JavaScript; as property keys they are refused outright. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `sendBeacon` sends `text/plain`; bundlers' fetch calls send JSON. Anything else is refused. */
export function checkContentType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!ACCEPTED_TYPES.includes(type)) {
    throw new ApiError(
      'unsupported_media_type',
      `Content-Type must be text/plain or application/json, got ${JSON.stringify(type.slice(0, 100) || 'none')}`,
    );
  }
}

/**
 * True when JSON text nests deeper than `max`, counting brackets outside strings. Checked on the
 * text, before parsing: the parse reviver recurses, so a 10 000-deep array must never reach it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

/** A broken limit of one event's `props` or `exp`, with its own code. */
export interface MapProblem {
  code: Exclude<EventRejectionCode, 'invalid_event' | MoneyProblem['code']>;
  message: string;
  issues: ErrorIssue[];
}

/**
 * Checks the free-form maps of one event (`props`, `exp`) before schema validation, so that each
 * limit answers with its own code rather than a generic one. `path` prefixes the issue paths.
 */
export function propertyMapProblem(ev: unknown, path = ''): MapProblem | undefined {
  if (ev === null || typeof ev !== 'object') return undefined;
  const maps: [string, unknown, number][] = [
    ['props', (ev as { props?: unknown }).props, LIMITS.props],
    ['exp', (ev as { exp?: unknown }).exp, LIMITS.experiments],
  ];
  for (const [name, map, max] of maps) {
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    const problem = checkMap(`${path}${name}`, map as Record<string, unknown>, max);
    if (problem) return problem;
  }
  return undefined;
}

function checkMap(path: string, map: Record<string, unknown>, max: number): MapProblem | undefined {
  const keys = Object.keys(map);
  const problem = (code: MapProblem['code'], message: string, key?: string): MapProblem => ({
    code,
    message,
    issues: [{ path: key === undefined ? path : `${path}.${key}`, code, message }],
  });
  if (keys.length > max)
    return problem('too_many_properties', `At most ${max} keys in ${path}, got ${keys.length}`);
  for (const k of keys) {
    if (RESERVED_KEYS.has(k))
      return problem('reserved_property_key', `Key ${JSON.stringify(k)} is reserved`, k);
    if (k.length > LIMITS.keyLength) {
      return problem(
        'property_key_too_long',
        `Keys are at most ${LIMITS.keyLength} characters`,
        k.slice(0, 80),
      );
    }
    const v = map[k];
    if (typeof v === 'string' && v.length > LIMITS.valueLength) {
      return problem('property_value_too_long', `Values are at most ${LIMITS.valueLength} characters`, k);
    }
  }
  return undefined;
}

/**
 * Parses a JSON request body: nesting is measured on the text first (so a hostile depth cannot
 * overflow the parser), and lone UTF-16 surrogates become U+FFFD (ClickHouse refuses them, which
 * would fail every batch sharing a flush). Shared by every ingestion route.
 */
export function parseJsonText(text: string): unknown {
  if (nestsDeeperThan(text, LIMITS.jsonDepth)) {
    // Too deep is only the right answer for valid JSON; the plain parser does not recurse.
    const valid = (() => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    })();
    if (valid) throw new ApiError('json_too_deep', `JSON nesting deeper than ${LIMITS.jsonDepth} levels`);
    throw new ApiError('invalid_json', 'Body is not valid JSON');
  }
  try {
    return parseWellFormed(text);
  } catch {
    throw new ApiError('invalid_json', 'Body is not valid JSON');
  }
}

/** A `/collect` batch whose envelope is valid: its valid events, and the refused ones. */
export interface ParsedBatch {
  site: string;
  sent_at: number;
  events: CollectEvent[];
  rejected: CollectRejection[];
}

/**
 * Parses a `/collect` body. The envelope (JSON syntax, depth, event count, site, sent_at, an
 * events array) is all or nothing: a problem throws an `ApiError` naming the first kind. Each
 * event is then judged on its own, so a bad one is listed in `rejected` and the rest stand.
 */
export function parseCollectBody(text: string): ParsedBatch {
  const raw = parseJsonText(text);
  const events = (raw as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > LIMITS.eventsPerBatch) {
    throw new ApiError(
      'too_many_events',
      `A batch holds at most ${LIMITS.eventsPerBatch} events, got ${events.length}`,
    );
  }
  const envelope = collectEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new ApiError(
      'invalid_body',
      'Body does not match the collect schema',
      toIssues(envelope.error.issues),
    );
  }
  const out: ParsedBatch = {
    site: envelope.data.site,
    sent_at: envelope.data.sent_at,
    events: [],
    rejected: [],
  };
  envelope.data.events.forEach((ev, index) => {
    const v = validateCollectEvent(ev, index);
    if ('event' in v) out.events.push(v.event);
    else out.rejected.push(v);
  });
  return out;
}

/**
 * `collectEventSchema` compiled by zod (`z.compile`): a parser generated from the schema, with
 * zod's runtime parser behind it wherever the generated one fails, so its verdicts, output and
 * issues are zod's (`compiled-event.test.ts` holds them to the runtime's on random and hostile
 * events). It costs a third of the runtime's CPU per event (BENCHMARKS.md, "Ingestion").
 */
export const compiledCollectEvent = z.compile(collectEventSchema);

/** One event of a batch: the parsed event, or why it is refused. */
export function validateCollectEvent(
  raw: unknown,
  index: number,
): { event: CollectEvent } | CollectRejection {
  const problem = propertyMapProblem(raw) ?? browserMoneyProblem(raw);
  if (problem) return { index, ...problem };
  const parsed = compiledCollectEvent.safeParse(raw);
  if (parsed.success) return { event: parsed.data };
  return {
    index,
    code: 'invalid_event',
    message: 'Event does not match the event schema',
    issues: toIssues(parsed.error.issues),
  };
}
