import { LIMITS } from '@funnelhouse/schemas';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

/** The server events API takes bigger batches than a browser or an admin ever sends. */
const SERVER_EVENTS = /^\/api\/v1\/sites\/[^/]+\/events$/;

function limit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      // The rest of the body is not read, so the connection cannot be reused: say so.
      throw new ApiError('payload_too_large', `Body larger than ${maxSize} bytes`, undefined, {
        Connection: 'close',
      });
    },
  });
}

/**
 * Every route's body limit in one place, applied before any route reads a byte: `/collect`
 * `LIMITS.bodyBytes`, the server events API `LIMITS.serverBodyBytes`, everything else
 * `LIMITS.apiBodyBytes`. Bytes are counted as they stream in (chunked bodies too), and reading
 * stops at the limit with `413 payload_too_large`.
 *
 * @example app.use('*', limitBodies())
 */
export function limitBodies(): MiddlewareHandler {
  const collect = limit(LIMITS.bodyBytes);
  const serverEvents = limit(LIMITS.serverBodyBytes);
  const api = limit(LIMITS.apiBodyBytes);
  return async function bodyLimits(c, next) {
    const path = c.req.path;
    if (path === '/collect') return collect(c, next);
    if (SERVER_EVENTS.test(path)) return serverEvents(c, next);
    return api(c, next);
  };
}
