/**
 * One webhook POST, sent only to checked addresses: the URL is checked again (it may predate the
 * rules), the host is resolved once (every address, `dns.lookup` with `all`), the attempt is
 * refused when any address is in a refused range (`address.ts`), and the connection is made to
 * those same addresses through the request's `lookup`, so a DNS answer that changes between the
 * check and the connect (rebinding) is never used. Redirects are not followed (node:http never
 * does): a 3xx is an answer like any other non-2xx. The deadline covers resolving, connecting
 * and the answer's status line; the answer's body is not read.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkWebhookUrl, refusedRange } from './address.ts';

export type PostResult = { status_code: number; error: null } | { status_code: null; error: string };

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Resolver (tests may pass one); node:dns `lookup` with `all: true` by default. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

const systemResolve = (host: string) =>
  new Promise<LookupAddress[]>((ok, fail) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? fail(err) : ok(addresses))),
  );

/** A `lookup` for node:net that answers only the addresses checked before. */
function fixedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_host, options, callback) => {
    const family = (options as { family?: number | string }).family;
    const want = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0;
    const usable = addresses.filter((a) => want === 0 || a.family === want);
    const cb = callback as (
      err: NodeJS.ErrnoException | null,
      a: string | LookupAddress[],
      f?: number,
    ) => void;
    if (usable.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`no IPv${want} address for the host`);
      err.code = 'ENOTFOUND';
      cb(err, []);
    } else if ((options as { all?: boolean }).all) cb(null, usable);
    else cb(null, usable[0]?.address as string, usable[0]?.family);
  };
}

class Refused extends Error {}

/** Posts `body` to `url`; never throws: a failure is `{ error }` ("timeout", "refused_address: …", …). */
export async function postWebhook(url: string, o: PostOptions): Promise<PostResult> {
  const problem = checkWebhookUrl(url, o.allowPrivate);
  if (problem) return { status_code: null, error: `${problem.code}: ${problem.message}`.slice(0, 200) };
  const u = new URL(url);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, o.timeoutMs);
  try {
    const abort = new Promise<never>((_, fail) =>
      controller.signal.addEventListener('abort', () => fail(new Error('timeout')), { once: true }),
    );
    abort.catch(() => {}); // only raced while resolving
    const family = isIP(host);
    const addresses: LookupAddress[] =
      family !== 0
        ? [{ address: host, family }]
        : await Promise.race([(o.resolve ?? systemResolve)(host), abort]);
    if (addresses.length === 0) throw new Error(`no address for ${host}`);
    if (!o.allowPrivate)
      for (const a of addresses) {
        const range = refusedRange(a.address);
        if (range) throw new Refused(`refused_address: ${host} resolves to a ${range} address`);
      }
    const status = await new Promise<number>((ok, fail) => {
      const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
        {
          method: 'POST',
          host,
          port: u.port === '' ? undefined : Number(u.port),
          path: `${u.pathname}${u.search}`,
          headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
          lookup: fixedLookup(addresses),
          agent: false,
          signal: controller.signal,
          ...(u.protocol === 'https:' && family === 0 ? { servername: host } : {}),
        },
        (res) => {
          ok(res.statusCode ?? 0);
          res.destroy();
        },
      );
      req.on('error', fail);
      req.end(o.body);
    });
    return { status_code: status, error: null };
  } catch (err) {
    if (timedOut) return { status_code: null, error: 'timeout' };
    // Several addresses tried in turn fail together as an AggregateError without a message.
    const e = err as Error & { errors?: Error[] };
    const message = e.message || (e.errors ?? []).map((x) => x.message).join('; ') || String(err);
    return { status_code: null, error: message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}
