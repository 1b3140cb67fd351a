import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { addressBehindProxies, type TrustProxy } from '../trust-proxy.ts';

/**
 * The client address, for country lookup, cookieless ids and per-address limits only: it is
 * never stored or logged. `X-Forwarded-For` is read only through the peers the operator trusts
 * (`FUNNELHOUSE_TRUST_PROXY`), from the right.
 */
export function clientAddress(c: Context, trust: TrustProxy): string | undefined {
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    socket = undefined; // no socket, e.g. app.request() in tests
  }
  if (socket === undefined) return undefined;
  return addressBehindProxies(socket, c.req.header('x-forwarded-for'), trust);
}
