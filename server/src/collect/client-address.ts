import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client address, for country lookup and cookieless ids only: it is never stored or logged.
 * X-Forwarded-For is honoured only when the operator says a trusted proxy sets it.
 */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // no socket, e.g. app.request() in tests
  }
}
